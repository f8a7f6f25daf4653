//! VLANs at the console: the VLAN database (`vlan 10`, `name STAFF`, `no
//! vlan 10`), switchports (`switchport mode access|trunk`, `switchport
//! access vlan N`, `switchport trunk native vlan N`, `switchport trunk
//! allowed vlan …` with add/remove/except/all/none), a router's
//! sub-interfaces (`encapsulation dot1Q N [native]`, `ip address`, `ip
//! helper-address`), the exec commands `show vlan brief` and `show
//! interfaces trunk`, and the lines `show running-config` prints for them.
//! The configuration is [`IosSettings::vlan`](lanlab_doc::ios::IosSettings::vlan).

use super::grammar::{Cmd, Matched, NO, Pat, Show, T};
use super::{Console, Mode};
use crate::lab::Device;
use crate::vlan::{PortMode, VlanList, valid_vlan};

/// Which VLAN command a line is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum VlanCmd {
    /// Global: `vlan N` (enters `config-vlan`).
    Vlan,
    /// Global: `no vlan N`.
    NoVlan,
    /// VLAN: `name WORD`.
    Name,
    /// VLAN: `no name`.
    NoName,
    /// Interface: `switchport mode access`.
    ModeAccess,
    /// Interface: `switchport mode trunk`.
    ModeTrunk,
    /// Interface: `switchport access vlan N`.
    AccessVlan,
    /// Interface: `no switchport access vlan`.
    NoAccessVlan,
    /// Interface: `switchport trunk native vlan N`.
    NativeVlan,
    /// Interface: `no switchport trunk native vlan`.
    NoNativeVlan,
    /// Interface: `switchport trunk allowed vlan [add|remove|except] LIST|all|none`.
    Allowed(Allowed),
    /// Interface: `no switchport trunk allowed vlan`.
    NoAllowed,
    /// Sub-interface: `encapsulation dot1Q N` (true: `native`).
    Encapsulation(bool),
    /// Sub-interface: `no encapsulation dot1Q`.
    NoEncapsulation,
    /// Global: `ip routing` (true) or `no ip routing` (`shell::ios::svi`).
    IpRouting(bool),
    /// Global: `no interface vlan N` (`shell::ios::svi`).
    NoInterfaceVlan,
}

/// How `switchport trunk allowed vlan` changes the list.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Allowed {
    /// Replace with the list (or `all`, `none`).
    Set,
    /// Add the list.
    Add,
    /// Take the list out.
    Remove,
    /// Every VLAN but the list.
    Except,
}

const VLAN_KW: T = T::K("vlan", "VLAN commands");
const VLAN_ID: T = T::Num("<1-4094>  ISL VLAN IDs 1-1005");
const SWITCHPORT: T = T::K("switchport", "Set switching mode characteristics");
const MODE: T = T::K("mode", "Set trunking mode of the interface");
const ACCESS: T = T::K("access", "Set access mode characteristics of the interface");
const TRUNK: T = T::K("trunk", "Set trunking characteristics of the interface");
const IF_VLAN: T = T::K("vlan", "Set VLAN when interface is in access mode");
const NATIVE: T = T::K(
    "native",
    "Set trunking native characteristics when interface is in trunking mode",
);
const ALLOWED: T = T::K(
    "allowed",
    "Set allowed VLAN characteristics when interface is in trunking mode",
);
const LIST: T = T::Word("WORD  VLAN IDs of the allowed VLANs, like 10,20,30-40 (or all, none)");
const ENCAP: T = T::K("encapsulation", "Set encapsulation type for an interface");
const DOT1Q: T = T::K("dot1Q", "IEEE 802.1Q Virtual LAN");
const IP: T = T::K("ip", "Interface Internet Protocol config commands");
const GLOBAL_IP: T = T::K("ip", "Global IP configuration subcommands");
const ROUTING: T = T::K("routing", "Enable IP routing");

const fn p(id: VlanCmd, toks: &'static [T]) -> Pat {
    Pat {
        id: Cmd::Vlan(id),
        toks,
    }
}

/// Global configuration commands.
pub(crate) const GLOBAL: &[Pat] = &[
    p(VlanCmd::Vlan, &[VLAN_KW, VLAN_ID]),
    p(VlanCmd::NoVlan, &[NO, VLAN_KW, VLAN_ID]),
    p(VlanCmd::IpRouting(true), &[GLOBAL_IP, ROUTING]),
    p(VlanCmd::IpRouting(false), &[NO, GLOBAL_IP, ROUTING]),
    p(
        VlanCmd::NoInterfaceVlan,
        &[NO, T::K("interface", "Delete a logical interface"), T::If],
    ),
];

/// `config-vlan` mode.
pub(crate) const VLAN_DB: &[Pat] = &[
    p(
        VlanCmd::Name,
        &[
            T::K("name", "Ascii name of the VLAN"),
            T::Word("WORD  The ascii name for the VLAN"),
        ],
    ),
    p(
        VlanCmd::NoName,
        &[NO, T::K("name", "Ascii name of the VLAN")],
    ),
];

/// Interface commands (switch ports).
pub(crate) const INTERFACE: &[Pat] = &[
    p(
        VlanCmd::ModeAccess,
        &[
            SWITCHPORT,
            MODE,
            T::K("access", "Set trunking mode to ACCESS unconditionally"),
        ],
    ),
    p(
        VlanCmd::ModeTrunk,
        &[
            SWITCHPORT,
            MODE,
            T::K("trunk", "Set trunking mode to TRUNK unconditionally"),
        ],
    ),
    p(VlanCmd::AccessVlan, &[SWITCHPORT, ACCESS, IF_VLAN, VLAN_ID]),
    p(VlanCmd::NoAccessVlan, &[NO, SWITCHPORT, ACCESS, IF_VLAN]),
    p(
        VlanCmd::NativeVlan,
        &[SWITCHPORT, TRUNK, NATIVE, VLAN_KW, VLAN_ID],
    ),
    p(
        VlanCmd::NoNativeVlan,
        &[NO, SWITCHPORT, TRUNK, NATIVE, VLAN_KW],
    ),
    p(
        VlanCmd::Allowed(Allowed::Set),
        &[SWITCHPORT, TRUNK, ALLOWED, VLAN_KW, LIST],
    ),
    p(
        VlanCmd::Allowed(Allowed::Add),
        &[
            SWITCHPORT,
            TRUNK,
            ALLOWED,
            VLAN_KW,
            T::K("add", "add VLANs to the current list"),
            LIST,
        ],
    ),
    p(
        VlanCmd::Allowed(Allowed::Remove),
        &[
            SWITCHPORT,
            TRUNK,
            ALLOWED,
            VLAN_KW,
            T::K("remove", "remove VLANs from the current list"),
            LIST,
        ],
    ),
    p(
        VlanCmd::Allowed(Allowed::Except),
        &[
            SWITCHPORT,
            TRUNK,
            ALLOWED,
            VLAN_KW,
            T::K("except", "all VLANs except the following"),
            LIST,
        ],
    ),
    p(
        VlanCmd::NoAllowed,
        &[NO, SWITCHPORT, TRUNK, ALLOWED, VLAN_KW],
    ),
    p(
        VlanCmd::Encapsulation(false),
        &[
            T::K("switchport", "Set switching mode characteristics"),
            T::K("trunk", "Set trunking characteristics of the interface"),
            T::K(
                "encapsulation",
                "Set trunking encapsulation when interface is in trunking mode",
            ),
            DOT1Q,
        ],
    ),
];

/// Sub-interface configuration (`config-subif`).
pub(crate) const SUBIF: &[Pat] = &[
    p(VlanCmd::Encapsulation(false), &[ENCAP, DOT1Q, VLAN_ID]),
    p(
        VlanCmd::Encapsulation(true),
        &[
            ENCAP,
            DOT1Q,
            VLAN_ID,
            T::K("native", "Make this as native vlan"),
        ],
    ),
    p(VlanCmd::NoEncapsulation, &[NO, ENCAP, DOT1Q]),
    p(VlanCmd::NoEncapsulation, &[NO, ENCAP]),
    Pat {
        id: Cmd::IpAddress,
        toks: &[
            IP,
            T::K("address", "Set the IP address of an interface"),
            T::Ip("A.B.C.D  IP address"),
            T::Ip("A.B.C.D  IP subnet mask"),
        ],
    },
    Pat {
        id: Cmd::NoIpAddress,
        toks: &[
            NO,
            IP,
            T::K("address", "Set the IP address of an interface"),
        ],
    },
    Pat {
        id: Cmd::Helper,
        toks: &[
            IP,
            T::K(
                "helper-address",
                "Specify a destination address for UDP broadcasts",
            ),
            T::Ip("A.B.C.D  IP destination address"),
        ],
    },
    Pat {
        id: Cmd::NoHelper,
        toks: &[
            NO,
            IP,
            T::K(
                "helper-address",
                "Specify a destination address for UDP broadcasts",
            ),
        ],
    },
    Pat {
        id: Cmd::Shutdown,
        toks: &[T::K("shutdown", "Shutdown the selected interface")],
    },
    Pat {
        id: Cmd::NoShutdown,
        toks: &[NO, T::K("shutdown", "Shutdown the selected interface")],
    },
    Pat {
        id: Cmd::Description,
        toks: &[
            T::K("description", "Interface specific description"),
            T::Rest("LINE  Up to 240 characters describing this interface"),
        ],
    },
    Pat {
        id: Cmd::NoDescription,
        toks: &[NO, T::K("description", "Interface specific description")],
    },
];

/// The `show` commands.
pub(crate) const SHOW_CMDS: &[Pat] = &[
    Pat {
        id: Cmd::Show(Show::VlanBrief),
        toks: &[
            T::K("show", "Show running system information"),
            T::K("vlan", "VTP VLAN status"),
            T::K("brief", "VTP all VLAN status in brief"),
        ],
    },
    Pat {
        id: Cmd::Show(Show::InterfacesTrunk),
        toks: &[
            T::K("show", "Show running system information"),
            T::K("interfaces", "Interface status and configuration"),
            T::K("trunk", "Show interface trunk information"),
        ],
    },
];

const INVALID: &str = "% Invalid input detected at '^' marker.\n";

fn vid(m: &Matched, k: usize) -> Result<u16, String> {
    m.args
        .get(k)
        .and_then(|a| a.parse::<u16>().ok())
        .filter(|v| valid_vlan(*v))
        .ok_or_else(|| "% Bad VLAN list - character #1 is a non-numeric\ncharacter or the VLAN ID is out of range (1-4094).\n".to_string())
}

fn switch_only(d: &Device) -> Result<(), String> {
    if d.kind.is_switch() {
        Ok(())
    } else {
        Err(INVALID.into())
    }
}

/// Runs a VLAN command on `d`.
pub(super) fn apply(
    c: &mut Console,
    d: &mut Device,
    m: &Matched,
    cmd: VlanCmd,
) -> Result<String, String> {
    match (c.mode.clone(), cmd) {
        (_, VlanCmd::IpRouting(on)) => super::svi::ip_routing(d, on),
        (_, VlanCmd::NoInterfaceVlan) => super::svi::remove(d, m),
        (_, VlanCmd::Vlan) => {
            switch_only(d)?;
            let v = vid(m, 0)?;
            d.ios.vlan.create_vlan(v);
            c.mode = Mode::VlanDb(v);
            Ok(String::new())
        }
        (_, VlanCmd::NoVlan) => {
            switch_only(d)?;
            let v = vid(m, 0)?;
            if v == 1 {
                return Err("%Default VLAN 1 may not be deleted.\n".into());
            }
            d.ios.vlan.delete_vlan(v);
            Ok(String::new())
        }
        (Mode::VlanDb(v), VlanCmd::Name | VlanCmd::NoName) => {
            let name = if cmd == VlanCmd::Name {
                m.args.first().cloned().unwrap_or_default()
            } else {
                String::new()
            };
            if name.len() > 32 {
                return Err("% VLAN name must be 32 characters or fewer.\n".into());
            }
            if v == 1 && !name.is_empty() && name != "default" {
                return Err("%Default VLAN 1 may not have its name changed.\n".into());
            }
            d.ios.vlan.create_vlan(v).name = name;
            Ok(String::new())
        }
        (Mode::Interface(ports), _) => {
            switch_only(d)?;
            let mut out = String::new();
            for k in ports {
                out.push_str(&switchport(d, k, m, cmd)?);
            }
            Ok(out)
        }
        (Mode::Subif(k, n), VlanCmd::Encapsulation(native)) => {
            let v = vid(m, 0)?;
            if let Some(other) = d
                .ios
                .vlan
                .subifs
                .iter()
                .find(|s| s.port == k && s.number != n && s.vlan == Some(v))
            {
                return Err(format!(
                    "% Configuration of multiple subinterfaces of the same main\n% interface with the same VID ({v}) is not permitted.\n% This VID is already configured on {}.{}.\n",
                    d.ports[k].name, other.number
                ));
            }
            let s = d.ios.vlan.subif_mut(k, n);
            s.vlan = Some(v);
            s.native = native;
            Ok(String::new())
        }
        (Mode::Subif(k, n), VlanCmd::NoEncapsulation) => {
            let s = d.ios.vlan.subif_mut(k, n);
            s.vlan = None;
            s.native = false;
            Ok(String::new())
        }
        _ => Err(INVALID.into()),
    }
}

fn switchport(d: &mut Device, k: usize, m: &Matched, cmd: VlanCmd) -> Result<String, String> {
    let mut sp = d.ios.vlan.port(k);
    let mut out = String::new();
    match cmd {
        VlanCmd::ModeAccess => sp.mode = PortMode::Access,
        VlanCmd::ModeTrunk => sp.mode = PortMode::Trunk,
        VlanCmd::AccessVlan => {
            let v = vid(m, 0)?;
            if !d.ios.vlan.has_vlan(v) {
                // IOS creates a missing access VLAN and says so.
                d.ios.vlan.create_vlan(v);
                out = format!("% Access VLAN does not exist. Creating vlan {v}\n");
            }
            sp.access = v;
        }
        VlanCmd::NoAccessVlan => sp.access = 1,
        VlanCmd::NativeVlan => sp.native = vid(m, 0)?,
        VlanCmd::NoNativeVlan => sp.native = 1,
        VlanCmd::NoAllowed => sp.allowed = VlanList::all(),
        VlanCmd::Allowed(how) => {
            let text = m.args.last().cloned().unwrap_or_default();
            let list: VlanList = text
                .to_ascii_lowercase()
                .parse()
                .map_err(|e| format!("% {e}\n"))?;
            sp.allowed = match how {
                Allowed::Set => list,
                Allowed::Add => sp.allowed.union(&list),
                Allowed::Remove => sp.allowed.minus(&list),
                Allowed::Except => VlanList::all().minus(&list),
            };
        }
        VlanCmd::Encapsulation(_) => {}
        _ => return Err(INVALID.into()),
    }
    d.ios.vlan.set_port(sp);
    Ok(out)
}

/// A sub-interface's `ip address`, `ip helper-address`, `shutdown`,
/// `description` and their `no` forms.
pub(super) fn subif(d: &mut Device, k: usize, n: u32, m: &Matched) -> Result<String, String> {
    match m.id {
        Cmd::IpAddress => {
            let (a, mask, _) = m.address_and_mask()?;
            let s = d.ios.vlan.subif_mut(k, n);
            if s.vlan.is_none() {
                return Err("% Configuring IP routing on a LAN subinterface is only allowed if that\nsubinterface is already configured as part of an IEEE 802.10, IEEE 802.1Q,\nor ISL vLAN.\n".into());
            }
            s.address = Some((a, mask));
        }
        Cmd::NoIpAddress => d.ios.vlan.subif_mut(k, n).address = None,
        Cmd::Helper => {
            let h = m.ip(0)?;
            let s = d.ios.vlan.subif_mut(k, n);
            if !s.helpers.contains(&h) {
                s.helpers.push(h);
            }
        }
        Cmd::NoHelper => d.ios.vlan.subif_mut(k, n).helpers.clear(),
        Cmd::Shutdown => d.ios.vlan.subif_mut(k, n).shutdown = true,
        Cmd::NoShutdown => d.ios.vlan.subif_mut(k, n).shutdown = false,
        Cmd::Description => {
            d.ios.vlan.subif_mut(k, n).description = m
                .args
                .first()
                .map(|a| a.chars().take(240).collect())
                .unwrap_or_default();
        }
        Cmd::NoDescription => d.ios.vlan.subif_mut(k, n).description.clear(),
        _ => return Err(INVALID.into()),
    }
    Ok(String::new())
}

/// The `vlan` lines of `show running-config` (before the interfaces).
pub(super) fn global_lines(d: &Device) -> Vec<String> {
    let mut out = Vec::new();
    if d.ios.vlan.ip_routing {
        out.push("ip routing".into());
        out.push("!".into());
    }
    for v in &d.ios.vlan.vlans {
        if v.id == 1 {
            continue;
        }
        out.push(format!("vlan {}", v.id));
        if !v.name.is_empty() {
            out.push(format!(" name {}", v.name));
        }
        out.push("!".into());
    }
    out
}

/// The `switchport` lines of port `k` in `show running-config`.
pub(super) fn interface_lines(d: &Device, k: usize) -> Vec<String> {
    if !d.kind.is_switch() {
        return Vec::new();
    }
    let sp = d.ios.vlan.port(k);
    let mut out = Vec::new();
    if sp.access != 1 {
        out.push(format!(" switchport access vlan {}", sp.access));
    }
    if sp.native != 1 {
        out.push(format!(" switchport trunk native vlan {}", sp.native));
    }
    if !sp.allowed.is_all() {
        out.push(format!(" switchport trunk allowed vlan {}", sp.allowed));
    }
    match sp.mode {
        PortMode::Access if sp.access != 1 => out.push(" switchport mode access".into()),
        PortMode::Access => {}
        PortMode::Trunk => out.push(" switchport mode trunk".into()),
    }
    out
}

/// The end of a sub-interface's or SVI's block in `show running-config`:
/// its address, DHCP helpers, shutdown and the closing `!`.
pub(super) fn l3_lines(
    out: &mut Vec<String>,
    address: Option<(std::net::Ipv4Addr, std::net::Ipv4Addr)>,
    helpers: &[std::net::Ipv4Addr],
    shutdown: bool,
) {
    match address {
        Some((a, m)) => out.push(format!(" ip address {a} {m}")),
        None => out.push(" no ip address".into()),
    }
    for h in helpers {
        out.push(format!(" ip helper-address {h}"));
    }
    if shutdown {
        out.push(" shutdown".into());
    }
    out.push("!".into());
}

/// The sub-interfaces of port `k` in `show running-config`.
pub(super) fn subif_lines(d: &Device, k: usize) -> Vec<String> {
    let mut out = Vec::new();
    for s in d.ios.vlan.subifs.iter().filter(|s| s.port == k) {
        out.push(format!("interface {}.{}", d.ports[k].name, s.number));
        if !s.description.is_empty() {
            out.push(format!(" description {}", s.description));
        }
        if let Some(v) = s.vlan {
            out.push(format!(
                " encapsulation dot1Q {v}{}",
                if s.native { " native" } else { "" }
            ));
        }
        l3_lines(&mut out, s.address, &s.helpers, s.shutdown);
    }
    out
}

/// `show vlan brief`.
pub fn show_vlan_brief(d: &Device) -> String {
    let mut out = String::from(
        "VLAN Name                             Status    Ports\n---- -------------------------------- --------- -------------------------------\n",
    );
    let s = &d.ios.vlan;
    for v in s.vlan_ids() {
        let ports: Vec<String> = (0..d.ports.len())
            .filter(|&k| {
                let sp = s.port(k);
                sp.mode == PortMode::Access && sp.access == v
            })
            .map(|k| super::short_port(&d.ports[k].name))
            .collect();
        let mut chunks = ports.chunks(4);
        let first = chunks.next().map(|c| c.join(", ")).unwrap_or_default();
        out.push_str(&format!(
            "{:<4} {:<32} {:<9} {}\n",
            v,
            s.vlan_name(v),
            "active",
            first
        ));
        for c in chunks {
            out.push_str(&format!("{:48}{}\n", "", c.join(", ")));
        }
    }
    for (v, name) in [
        (1002, "fddi-default"),
        (1003, "token-ring-default"),
        (1004, "fddinet-default"),
        (1005, "trnet-default"),
    ] {
        out.push_str(&format!("{v:<4} {name:<32} act/unsup \n"));
    }
    out
}

/// `show interfaces trunk`.
pub fn show_interfaces_trunk(d: &Device, cabled: &[bool]) -> String {
    let s = &d.ios.vlan;
    let trunks: Vec<usize> = (0..d.ports.len())
        .filter(|&k| {
            s.port(k).mode == PortMode::Trunk
                && cabled.get(k).copied().unwrap_or(false)
                && !d.ports[k].shutdown
        })
        .collect();
    if trunks.is_empty() {
        return String::new();
    }
    let name = |k: usize| super::short_port(&d.ports[k].name);
    let mut out =
        String::from("\nPort        Mode             Encapsulation  Status        Native vlan\n");
    for &k in &trunks {
        out.push_str(&format!(
            "{:<12}{:<17}{:<15}{:<14}{}\n",
            name(k),
            "on",
            "802.1q",
            "trunking",
            s.port(k).native
        ));
    }
    out.push_str("\nPort        Vlans allowed on trunk\n");
    for &k in &trunks {
        out.push_str(&format!("{:<12}{}\n", name(k), s.port(k).allowed));
    }
    out.push_str("\nPort        Vlans allowed and active in management domain\n");
    let active = |k: usize| {
        let list: Vec<u16> = s
            .vlan_ids()
            .into_iter()
            .filter(|v| s.port(k).allowed.contains(*v))
            .collect();
        let text: Vec<String> = list.iter().map(ToString::to_string).collect();
        if text.is_empty() {
            "none".to_string()
        } else {
            text.join(",")
        }
    };
    for &k in &trunks {
        out.push_str(&format!("{:<12}{}\n", name(k), active(k)));
    }
    out.push_str("\nPort        Vlans in spanning tree forwarding state and not pruned\n");
    for &k in &trunks {
        out.push_str(&format!("{:<12}{}\n", name(k), active(k)));
    }
    out
}

#[cfg(test)]
#[path = "vlan_tests.rs"]
mod tests;
