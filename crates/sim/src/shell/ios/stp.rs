//! Spanning tree at the console of a switch: `spanning-tree mode
//! pvst|rapid-pvst`, `spanning-tree vlan N priority P`, `spanning-tree vlan
//! N root primary|secondary` (global), `spanning-tree portfast`
//! (interface), their `no` forms, `show spanning-tree [vlan N]` in IOS's
//! layout, and the lines `show running-config` prints for them. The
//! configuration is [`IosSettings::stp`](lanlab_doc::ios::IosSettings::stp).

use lanlab_doc::stp::StpMode;
use lanlab_proto::stp::{Bridge, Mode, State};

use super::grammar::{Cmd, Matched, NO, Pat, Show, T};
use super::{Console, Mode as CMode};
use crate::device::Switch;
use crate::lab::Device;

/// Which spanning tree command a line is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum StpCmd {
    /// `spanning-tree mode pvst` (false) / `rapid-pvst` (true).
    Mode(bool),
    /// `no spanning-tree mode`: back to pvst.
    NoMode,
    /// `spanning-tree vlan N priority P`.
    Priority,
    /// `no spanning-tree vlan N priority [P]`, `no spanning-tree vlan N root`.
    NoPriority,
    /// `spanning-tree vlan N root primary` (true) / `secondary` (false).
    Root(bool),
    /// Interface: `[no] spanning-tree portfast`.
    Portfast(bool),
}

const ST: T = T::K("spanning-tree", "Spanning Tree Subsystem");
const MODE: T = T::K("mode", "Spanning tree operating mode");
const VLAN: T = T::K("vlan", "VLAN Switch Spanning Tree");
const VID: T = T::Num("<1-4094>  VLAN number");
const PRIO: T = T::K("priority", "Set the bridge priority for the spanning tree");
const PRIO_N: T = T::Num("<0-61440>  bridge priority in increments of 4096");
const ROOT: T = T::K("root", "Configure switch as root");

const fn p(id: StpCmd, toks: &'static [T]) -> Pat {
    Pat {
        id: Cmd::Stp(id),
        toks,
    }
}

/// Global configuration commands.
pub(crate) const GLOBAL: &[Pat] = &[
    p(
        StpCmd::Mode(false),
        &[ST, MODE, T::K("pvst", "Per-Vlan spanning tree mode")],
    ),
    p(
        StpCmd::Mode(true),
        &[
            ST,
            MODE,
            T::K("rapid-pvst", "Per-Vlan rapid spanning tree mode"),
        ],
    ),
    p(StpCmd::NoMode, &[NO, ST, MODE]),
    p(StpCmd::Priority, &[ST, VLAN, VID, PRIO, PRIO_N]),
    p(StpCmd::NoPriority, &[NO, ST, VLAN, VID, PRIO]),
    p(StpCmd::NoPriority, &[NO, ST, VLAN, VID, PRIO, PRIO_N]),
    p(StpCmd::NoPriority, &[NO, ST, VLAN, VID, ROOT]),
    p(
        StpCmd::Root(true),
        &[
            ST,
            VLAN,
            VID,
            ROOT,
            T::K(
                "primary",
                "Configure this switch as primary root for this spanning tree",
            ),
        ],
    ),
    p(
        StpCmd::Root(false),
        &[
            ST,
            VLAN,
            VID,
            ROOT,
            T::K("secondary", "Configure switch as secondary root"),
        ],
    ),
];

const PORTFAST: T = T::K(
    "portfast",
    "Enable an interface to move directly to forwarding on link up",
);

/// Interface configuration commands.
pub(crate) const INTERFACE: &[Pat] = &[
    p(StpCmd::Portfast(true), &[ST, PORTFAST]),
    p(StpCmd::Portfast(false), &[NO, ST, PORTFAST]),
];

const SHOW: T = T::K("show", "Show running system information");
const SST: T = T::K("spanning-tree", "Spanning tree topology");

/// `show spanning-tree [vlan N]` (both EXEC levels).
pub(crate) const SHOW_CMDS: &[Pat] = &[
    Pat {
        id: Cmd::Show(Show::SpanningTree(0)),
        toks: &[SHOW, SST],
    },
    Pat {
        id: Cmd::Show(Show::SpanningTree(u16::MAX)),
        toks: &[SHOW, SST, T::K("vlan", "VLAN Switch Spanning Trees"), VID],
    },
];

/// The `show` a matched line asks for: `show spanning-tree vlan N` takes
/// its VLAN from the line.
pub(crate) fn show_of(s: Show, m: &Matched) -> Show {
    match s {
        Show::SpanningTree(u16::MAX) => Show::SpanningTree(vlan(m).unwrap_or(u16::MAX)),
        s => s,
    }
}

fn vlan(m: &Matched) -> Option<u16> {
    m.args
        .first()
        .and_then(|a| a.parse::<u16>().ok())
        .filter(|v| (1..=4094).contains(v))
}

/// Runs a spanning tree configuration command on `d`.
pub(super) fn apply(c: &Console, d: &mut Device, m: &Matched, n: StpCmd) -> Result<String, String> {
    if !d.kind.is_switch() {
        return Err("% lanlab: spanning tree runs on switches.\n".into());
    }
    let bad = || "% Invalid input detected at '^' marker.\n".to_string();
    let stp = &mut d.ios.stp;
    match n {
        StpCmd::Mode(rapid) => {
            stp.mode = if rapid {
                StpMode::RapidPvst
            } else {
                StpMode::Pvst
            };
        }
        StpCmd::NoMode => stp.mode = StpMode::Pvst,
        StpCmd::Priority => {
            let v = vlan(m).ok_or_else(bad)?;
            let p: u32 = m.args.get(1).and_then(|a| a.parse().ok()).ok_or_else(bad)?;
            if p > 61440 || !p.is_multiple_of(4096) {
                return Err(format!(
                    "% Bridge Priority must be in increments of 4096.\n% Allowed values are:\n  0     4096  8192  12288 16384 20480 24576 28672\n  32768 36864 40960 45056 49152 53248 57344 61440\n(you typed {p})\n"
                ));
            }
            stp.priority.insert(v, p as u16);
        }
        StpCmd::NoPriority => {
            let v = vlan(m).ok_or_else(bad)?;
            stp.priority.remove(&v);
        }
        StpCmd::Root(primary) => {
            // IOS's macro: 24576 (primary) or 28672 (secondary), written
            // into the configuration as a priority.
            let v = vlan(m).ok_or_else(bad)?;
            stp.priority.insert(v, if primary { 24576 } else { 28672 });
        }
        StpCmd::Portfast(on) => {
            let CMode::Interface(ports) = &c.mode else {
                return Err(bad());
            };
            for &k in ports {
                stp.portfast.retain(|&x| x != k);
                if on {
                    stp.portfast.push(k);
                }
            }
            stp.portfast.sort_unstable();
            if on {
                return Ok("%Warning: portfast should only be enabled on ports connected to a single\n host. Connecting hubs, concentrators, switches, bridges, etc... to this\n interface  when portfast is enabled, can cause temporary bridging loops.\n Use with CAUTION\n".into());
            }
        }
    }
    Ok(String::new())
}

/// The interface line of `show running-config`.
pub(super) fn interface_line(d: &Device, k: usize) -> Option<&'static str> {
    d.ios
        .stp
        .is_portfast(k)
        .then_some(" spanning-tree portfast")
}

/// The global lines of `show running-config`.
pub(super) fn global_lines(d: &Device) -> Vec<String> {
    let mut out = Vec::new();
    if !d.kind.is_switch() {
        return out;
    }
    if d.ios.stp.mode == StpMode::RapidPvst {
        out.push("spanning-tree mode rapid-pvst".into());
    }
    for (v, p) in &d.ios.stp.priority {
        out.push(format!("spanning-tree vlan {v} priority {p}"));
    }
    out
}

fn short(name: &str) -> String {
    super::show::short_port(name)
}

fn times(b: &Bridge) -> String {
    let t = b.timers();
    format!(
        "Hello Time  {} sec  Max Age {} sec  Forward Delay {} sec",
        t.hello.as_secs(),
        t.max_age.as_secs(),
        t.forward_delay.as_secs()
    )
}

/// `show spanning-tree [vlan N]` (`vlan` 0: every VLAN).
pub(crate) fn show(sw: &Switch, d: &Device, vlan: u16) -> String {
    let stp = sw.stp();
    let mut out = String::new();
    let mut any = false;
    for (&v, b) in stp.instances() {
        if vlan != 0 && v != vlan {
            continue;
        }
        // As on IOS, a VLAN's instance shows once one of its ports is up.
        if (0..b.port_count()).all(|i| b.port(i).is_none_or(|p| p.state == State::Disabled)) {
            continue;
        }
        any = true;
        let proto = match b.mode() {
            Mode::Pvst => "ieee",
            Mode::RapidPvst => "rstp",
        };
        out.push_str(&format!(
            "\nVLAN{v:04}\n  Spanning tree enabled protocol {proto}\n"
        ));
        let root = b.root_id();
        out.push_str(&format!(
            "  Root ID    Priority    {}\n             Address     {}\n",
            root.priority,
            root.cisco_mac()
        ));
        match b.root_port() {
            None => out.push_str("             This bridge is the root\n"),
            Some(rp) => {
                let name = d.ports.get(rp).map_or("?", |p| p.name.as_str());
                out.push_str(&format!(
                    "             Cost        {}\n             Port        {}({name})\n",
                    b.root_cost(),
                    rp + 1
                ));
            }
        }
        out.push_str(&format!("             {}\n\n", times(b)));
        let id = b.id();
        out.push_str(&format!(
            "  Bridge ID  Priority    {}  (priority {} sys-id-ext {v})\n             Address     {}\n             {}\n             Aging Time  300 sec\n\n",
            id.priority,
            id.priority.saturating_sub(v),
            id.cisco_mac(),
            times(b)
        ));
        out.push_str("Interface           Role Sts Cost      Prio.Nbr Type\n");
        out.push_str(
            "------------------- ---- --- --------- -------- --------------------------------\n",
        );
        for i in 0..b.port_count() {
            let Some(pv) = b.port(i) else { continue };
            if pv.state == State::Disabled {
                continue;
            }
            let name = d.ports.get(i).map_or("?".to_string(), |p| short(&p.name));
            let ty = if pv.edge { "P2p Edge" } else { "P2p" };
            out.push_str(&format!(
                "{name:<19} {} {} {:<9} {:<8} {ty}\n",
                pv.role.ios(),
                pv.state.ios(),
                pv.cost,
                pv.id.to_string()
            ));
        }
    }
    if !any && vlan == 0 {
        return "No spanning tree instance exists.\n".into();
    }
    if !any {
        return format!("Spanning tree instance(s) for vlan {vlan} does not exist.\n");
    }
    out.push('\n');
    out
}
