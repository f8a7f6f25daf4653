//! OSPF at the console: `router ospf N` and its router-mode commands
//! (`router-id`, `network A W area X`, `passive-interface`, `auto-cost
//! reference-bandwidth`, `default-information originate [always]`), the
//! interface commands `ip ospf cost|priority|network`, the exec commands
//! `show ip ospf neighbor`, `show ip ospf interface [brief]`, `show ip ospf
//! database`, and the lines `show running-config` prints for them. The
//! configuration is [`IosSettings::ospf`](lanlab_doc::ios::IosSettings::ospf).

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use lanlab_doc::ospf::OspfNetwork;
use lanlab_proto::SimTime;
use lanlab_proto::ospf::{LsType, LsaBody, NetType, area_str};

use super::grammar::{
    Cmd, DEFINFO, Matched, NETWORK, NO, ORIGINATE, PASSIVE, Pat, ROUTER_CMD as ROUTER, Show, T,
};
use super::iface::{self, IfRef};
use super::{Console, Mode};
use crate::device::Router;
use crate::lab::{Device, DeviceKind};

/// Which OSPF command a line is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum OspfCmd {
    /// `[no] router ospf N`.
    Process(bool),
    /// `[no] router-id A`.
    RouterId(bool),
    /// `[no] network A W area X`.
    Network(bool),
    /// `[no] passive-interface IF`.
    Passive(bool),
    /// `[no] auto-cost reference-bandwidth N`.
    RefBw(bool),
    /// `default-information originate` (false) / `… always` (true).
    DefaultOriginate(bool),
    /// `no default-information originate`.
    NoDefaultOriginate,
    /// Interface: `[no] ip ospf cost N`.
    Cost(bool),
    /// Interface: `[no] ip ospf priority N`.
    Priority(bool),
    /// Interface: `ip ospf network point-to-point` (true) / `broadcast`.
    Network2(bool),
    /// `debug ip ospf adj` (true) / `no debug ip ospf adj` (false).
    Debug(bool),
}

const OSPF: T = T::K("ospf", "Open Shortest Path First (OSPF)");
const PID: T = T::Num("<1-65535>  Process ID");
const RID: T = T::K("router-id", "router-id for this OSPF process");
const AREA: T = T::K("area", "Set the OSPF area ID");
const AREA_ID: T = T::Word("<0-4294967295>  OSPF area ID as a decimal value, or A.B.C.D");
const AUTO: T = T::K(
    "auto-cost",
    "Calculate OSPF interface cost according to bandwidth",
);
const REFBW: T = T::K(
    "reference-bandwidth",
    "Use reference bandwidth method to assign OSPF cost",
);
const ALWAYS: T = T::K("always", "Always advertise default route");
const IIP: T = T::K("ip", "Interface Internet Protocol config commands");
const IOSPF: T = T::K("ospf", "OSPF interface commands");

const fn p(id: OspfCmd, toks: &'static [T]) -> Pat {
    Pat {
        id: Cmd::Ospf(id),
        toks,
    }
}

/// Global configuration: `router ospf N`.
pub(crate) const GLOBAL: &[Pat] = &[
    p(OspfCmd::Process(false), &[ROUTER, OSPF, PID]),
    p(OspfCmd::Process(true), &[NO, ROUTER, OSPF, PID]),
];

/// `R1(config-router)#` under `router ospf`.
pub(crate) const ROUTER_MODE: &[Pat] = &[
    p(
        OspfCmd::RouterId(false),
        &[RID, T::Ip("A.B.C.D  OSPF router-id in IP address format")],
    ),
    p(OspfCmd::RouterId(true), &[NO, RID]),
    p(
        OspfCmd::Network(false),
        &[
            NETWORK,
            T::Ip("A.B.C.D  Network number"),
            T::Ip("A.B.C.D  OSPF wild card bits"),
            AREA,
            AREA_ID,
        ],
    ),
    p(
        OspfCmd::Network(true),
        &[
            NO,
            NETWORK,
            T::Ip("A.B.C.D  Network number"),
            T::Ip("A.B.C.D  OSPF wild card bits"),
            AREA,
            AREA_ID,
        ],
    ),
    p(OspfCmd::Passive(false), &[PASSIVE, T::If]),
    p(OspfCmd::Passive(true), &[NO, PASSIVE, T::If]),
    p(
        OspfCmd::RefBw(false),
        &[
            AUTO,
            REFBW,
            T::Num("<1-4294967>  The reference bandwidth in terms of Mbits per second"),
        ],
    ),
    p(OspfCmd::RefBw(true), &[NO, AUTO, REFBW]),
    p(OspfCmd::DefaultOriginate(false), &[DEFINFO, ORIGINATE]),
    p(
        OspfCmd::DefaultOriginate(true),
        &[DEFINFO, ORIGINATE, ALWAYS],
    ),
    p(OspfCmd::NoDefaultOriginate, &[NO, DEFINFO, ORIGINATE]),
];

/// Interface configuration: `ip ospf …`.
pub(crate) const INTERFACE: &[Pat] = &[
    p(
        OspfCmd::Cost(false),
        &[
            IIP,
            IOSPF,
            T::K("cost", "Interface cost"),
            T::Num("<1-65535>  Cost"),
        ],
    ),
    p(
        OspfCmd::Cost(true),
        &[NO, IIP, IOSPF, T::K("cost", "Interface cost")],
    ),
    p(
        OspfCmd::Priority(false),
        &[
            IIP,
            IOSPF,
            T::K("priority", "Router priority"),
            T::Num("<0-255>  Priority"),
        ],
    ),
    p(
        OspfCmd::Priority(true),
        &[NO, IIP, IOSPF, T::K("priority", "Router priority")],
    ),
    p(
        OspfCmd::Network2(true),
        &[
            IIP,
            IOSPF,
            T::K("network", "Network type"),
            T::K("point-to-point", "Specify OSPF point-to-point network"),
        ],
    ),
    p(
        OspfCmd::Network2(false),
        &[
            IIP,
            IOSPF,
            T::K("network", "Network type"),
            T::K("broadcast", "Specify OSPF broadcast multi-access network"),
        ],
    ),
    p(
        OspfCmd::Network2(false),
        &[NO, IIP, IOSPF, T::K("network", "Network type")],
    ),
];

const SHOW: T = T::K("show", "Show running system information");
const SIP: T = T::K("ip", "IP information");
const SOSPF: T = T::K("ospf", "OSPF information");

/// `show ip ospf …` (both EXEC levels).
pub(crate) const SHOW_CMDS: &[Pat] = &[
    Pat {
        id: Cmd::Show(Show::OspfNeighbor),
        toks: &[SHOW, SIP, SOSPF, T::K("neighbor", "Neighbor list")],
    },
    Pat {
        id: Cmd::Show(Show::OspfInterface),
        toks: &[SHOW, SIP, SOSPF, T::K("interface", "Interface information")],
    },
    Pat {
        id: Cmd::Show(Show::OspfInterfaceBrief),
        toks: &[
            SHOW,
            SIP,
            SOSPF,
            T::K("interface", "Interface information"),
            T::K("brief", "Brief summary of OSPF interfaces"),
        ],
    },
    Pat {
        id: Cmd::Show(Show::OspfDatabase),
        toks: &[SHOW, SIP, SOSPF, T::K("database", "Database summary")],
    },
];

const DEBUG: T = T::K("debug", "Debugging functions (see also 'undebug')");
const DIP: T = T::K("ip", "IP information");
const DOSPF: T = T::K("ospf", "OSPF information");
const ADJ: T = T::K("adj", "OSPF adjacency events");

/// `debug ip ospf adj` (privileged EXEC).
pub(crate) const EXEC: &[Pat] = &[
    p(OspfCmd::Debug(true), &[DEBUG, DIP, DOSPF, ADJ]),
    p(OspfCmd::Debug(false), &[NO, DEBUG, DIP, DOSPF, ADJ]),
    p(
        OspfCmd::Debug(false),
        &[
            T::K("undebug", "Disable debugging functions (see also 'debug')"),
            DIP,
            DOSPF,
            ADJ,
        ],
    ),
];

fn arg(m: &Matched, k: usize) -> String {
    m.args.get(k).cloned().unwrap_or_default()
}

fn ip(m: &Matched, k: usize) -> Result<Ipv4Addr, String> {
    m.args
        .get(k)
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| "% Invalid input detected at '^' marker.\n".to_string())
}

fn num(m: &Matched, k: usize) -> Result<u32, String> {
    m.args
        .get(k)
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| "% Invalid input detected at '^' marker.\n".to_string())
}

/// An area as typed: a number (`0`, `51`) or dotted (`0.0.0.1`).
fn area(w: &str) -> Result<Ipv4Addr, String> {
    if let Ok(n) = w.parse::<u32>() {
        return Ok(Ipv4Addr::from(n));
    }
    w.parse().map_err(|_| {
        format!("% OSPF: invalid area id {w}: write a number like 0 or an address like 0.0.0.1\n")
    })
}

/// Runs an OSPF configuration command on `d`.
pub(super) fn apply(
    c: &mut Console,
    d: &mut Device,
    m: &Matched,
    o: OspfCmd,
) -> Result<String, String> {
    if d.kind != DeviceKind::Router {
        return Err("% lanlab: OSPF runs on routers.\n".into());
    }
    let s = &mut d.ios.ospf;
    match o {
        OspfCmd::Process(no) => {
            let pid = num(m, 0)?;
            let pid = u16::try_from(pid)
                .ok()
                .filter(|p| *p > 0)
                .ok_or("% Invalid input detected at '^' marker.\n")?;
            if no {
                if s.process == Some(pid) {
                    let ifs = std::mem::take(&mut s.interfaces);
                    *s = Default::default();
                    s.interfaces = ifs;
                }
                return Ok(String::new());
            }
            if let Some(old) = s.process
                && old != pid
            {
                return Err(format!(
                    "% lanlab: OSPF process {old} is already running; one OSPF process per router is simulated (no router ospf {old} first).\n"
                ));
            }
            s.process = Some(pid);
            c.mode = Mode::RouterOspf;
        }
        OspfCmd::RouterId(no) => {
            s.router_id = if no { None } else { Some(ip(m, 0)?) };
            return Ok(
                "% OSPF: Reload or use \"clear ip ospf process\" command, for this to take effect\n".into(),
            );
        }
        OspfCmd::Network(no) => {
            let n = OspfNetwork {
                addr: ip(m, 0)?,
                wildcard: ip(m, 1)?,
                area: area(&arg(m, 2))?,
            };
            s.networks
                .retain(|x| (x.addr, x.wildcard) != (n.addr, n.wildcard));
            if !no {
                s.networks.push(n);
            }
        }
        OspfCmd::Passive(no) => {
            let Some(IfRef::Port(k)) = iface::resolve(d, &arg(m, 0)) else {
                return Err("% Invalid input detected at '^' marker.\n".into());
            };
            let s = &mut d.ios.ospf;
            s.passive.retain(|&x| x != k);
            if !no {
                s.passive.push(k);
                s.passive.sort_unstable();
            }
        }
        OspfCmd::RefBw(no) => {
            s.reference_bandwidth = if no { None } else { Some(num(m, 0)?.max(1)) };
            if !no {
                return Ok("% OSPF: Reference bandwidth is changed.\n        Please ensure reference bandwidth is consistent across all routers.\n".into());
            }
        }
        OspfCmd::DefaultOriginate(always) => s.default_originate = Some(always),
        OspfCmd::NoDefaultOriginate => s.default_originate = None,
        OspfCmd::Cost(no) | OspfCmd::Priority(no) | OspfCmd::Network2(no) => {
            let Mode::Interface(ports) = &c.mode else {
                return Err("% Invalid input detected at '^' marker.\n".into());
            };
            for &k in ports {
                let i = s.iface_mut(k);
                match o {
                    OspfCmd::Cost(_) => {
                        i.cost = if no {
                            None
                        } else {
                            Some(num(m, 0)?.clamp(1, 65535) as u16)
                        }
                    }
                    OspfCmd::Priority(_) => {
                        i.priority = if no {
                            None
                        } else {
                            Some(num(m, 0)?.min(255) as u8)
                        }
                    }
                    _ => i.point_to_point = no,
                }
            }
            s.interfaces
                .retain(|i| i.cost.is_some() || i.priority.is_some() || i.point_to_point);
        }
        OspfCmd::Debug(_) => {}
    }
    Ok(String::new())
}

/// The interface lines of `show running-config` for port `k`.
pub(super) fn interface_lines(d: &Device, k: usize) -> Vec<String> {
    let i = d.ios.ospf.iface(k);
    let mut v = Vec::new();
    if i.point_to_point {
        v.push(" ip ospf network point-to-point".into());
    }
    if let Some(c) = i.cost {
        v.push(format!(" ip ospf cost {c}"));
    }
    if let Some(p) = i.priority {
        v.push(format!(" ip ospf priority {p}"));
    }
    v
}

/// The `router ospf` block of `show running-config`.
pub(super) fn global_lines(d: &Device) -> Vec<String> {
    let s = &d.ios.ospf;
    let Some(pid) = s.process else {
        return Vec::new();
    };
    let mut v = vec![format!("router ospf {pid}")];
    if let Some(r) = s.router_id {
        v.push(format!(" router-id {r}"));
    }
    if let Some(b) = s.reference_bandwidth {
        v.push(format!(" auto-cost reference-bandwidth {b}"));
    }
    for &k in &s.passive {
        if let Some(p) = d.ports.get(k) {
            v.push(format!(" passive-interface {}", p.name));
        }
    }
    for n in &s.networks {
        v.push(format!(
            " network {} {} area {}",
            n.addr,
            n.wildcard,
            area_str(n.area)
        ));
    }
    match s.default_originate {
        Some(true) => v.push(" default-information originate always".into()),
        Some(false) => v.push(" default-information originate".into()),
        None => {}
    }
    v.push("!".into());
    v
}

fn short(name: &str) -> String {
    let digits = name
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(name.len());
    let (kind, num) = name.split_at(digits);
    let k = match kind {
        "GigabitEthernet" => "Gi",
        "FastEthernet" => "Fa",
        "Ethernet" => "Et",
        "Serial" => "Se",
        other => other,
    };
    format!("{k}{num}")
}

fn hms(s: u64) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Renders `show ip ospf …`.
pub(super) fn show(s: Show, r: &Router, d: &Device, now: SimTime) -> String {
    let Some(o) = r.ospf() else {
        return if d.ios.ospf.process.is_some() {
            String::new()
        } else {
            "%OSPF: No router process is configured\n".into()
        };
    };
    let pid = d.ios.ospf.process.unwrap_or(1);
    let name = |k: usize| {
        d.ports
            .get(k)
            .map(|p| p.name.to_string())
            .unwrap_or_default()
    };
    let mut t = String::new();
    match s {
        Show::OspfNeighbor => {
            t.push_str(
                "\nNeighbor ID     Pri   State           Dead Time   Address         Interface\n",
            );
            for n in o.neighbors(now) {
                let state = if n.role == "-" {
                    format!("{}/  -", n.state)
                } else {
                    format!("{}/{}", n.state, n.role)
                };
                let _ = writeln!(
                    t,
                    "{:<15} {:>3}   {:<15} {:<11} {:<15} {}",
                    n.rid.to_string(),
                    n.priority,
                    state,
                    hms(n.dead_in),
                    n.addr.to_string(),
                    name(n.port)
                );
            }
        }
        Show::OspfInterfaceBrief => {
            t.push_str(
                "Interface    PID   Area            IP Address/Mask    Cost  State Nbrs F/C\n",
            );
            for i in o.interfaces(now) {
                let _ = writeln!(
                    t,
                    "{:<12} {:<5} {:<15} {:<18} {:<5} {:<5} {}/{}",
                    short(&name(i.cfg.port)),
                    pid,
                    area_str(i.cfg.area),
                    i.cfg.addr.to_string(),
                    i.cfg.cost,
                    i.state.to_string(),
                    i.adjacent,
                    i.nbrs
                );
            }
        }
        Show::OspfInterface => {
            for i in o.interfaces(now) {
                let _ = writeln!(t, "{} is up, line protocol is up ", name(i.cfg.port));
                let _ = writeln!(
                    t,
                    "  Internet Address {}, Area {} ",
                    i.cfg.addr,
                    area_str(i.cfg.area)
                );
                let _ = writeln!(
                    t,
                    "  Process ID {pid}, Router ID {}, Network Type {}, Cost: {}",
                    o.router_id(),
                    match i.cfg.net {
                        NetType::Broadcast => "BROADCAST",
                        NetType::PointToPoint => "POINT_TO_POINT",
                    },
                    i.cfg.cost
                );
                let _ = writeln!(
                    t,
                    "  Transmit Delay is 1 sec, State {}, Priority {} ",
                    i.state, i.cfg.priority
                );
                if i.cfg.net == NetType::Broadcast {
                    if let Some(r) = i.dr_rid {
                        let _ = writeln!(
                            t,
                            "  Designated Router (ID) {r}, Interface address {}",
                            i.dr
                        );
                    } else {
                        t.push_str("  No designated router on this network\n");
                    }
                    if let Some(r) = i.bdr_rid {
                        let _ = writeln!(
                            t,
                            "  Backup Designated router (ID) {r}, Interface address {}",
                            i.bdr
                        );
                    } else {
                        t.push_str("  No backup designated router on this network\n");
                    }
                }
                t.push_str(
                    "  Timer intervals configured, Hello 10, Dead 40, Wait 40, Retransmit 5\n",
                );
                if i.cfg.passive {
                    t.push_str("    No Hellos (Passive interface) \n");
                } else {
                    let _ = writeln!(t, "    Hello due in {}", hms(i.hello_in));
                }
                let _ = writeln!(
                    t,
                    "  Neighbor Count is {}, Adjacent neighbor count is {} ",
                    i.nbrs, i.adjacent
                );
            }
        }
        Show::OspfDatabase => {
            let _ = writeln!(
                t,
                "\n            OSPF Router with ID ({}) (Process ID {pid})",
                o.router_id()
            );
            let db = o.database(now);
            let mut areas: Vec<Ipv4Addr> = db.iter().filter_map(|(a, _)| *a).collect();
            areas.dedup();
            for (title, ty) in [
                ("Router Link States", LsType::Router),
                ("Net Link States", LsType::Network),
                ("Summary Net Link States", LsType::Summary),
            ] {
                for &a in &areas {
                    let rows: Vec<_> = db
                        .iter()
                        .filter(|(x, l)| *x == Some(a) && l.header.key.ls_type == ty)
                        .collect();
                    if rows.is_empty() {
                        continue;
                    }
                    let _ = writeln!(t, "\n\t\t{title} (Area {})\n", area_str(a));
                    t.push_str(if ty == LsType::Router {
                        "Link ID         ADV Router      Age         Seq#       Checksum Link count\n"
                    } else {
                        "Link ID         ADV Router      Age         Seq#       Checksum\n"
                    });
                    for (_, l) in rows {
                        let h = &l.header;
                        let _ = write!(
                            t,
                            "{:<15} {:<15} {:<11} 0x{:08X} 0x{:06X}",
                            h.key.id.to_string(),
                            h.key.adv.to_string(),
                            h.age,
                            h.seq,
                            h.checksum
                        );
                        if let LsaBody::Router { links, .. } = &l.body {
                            let _ = write!(t, " {}", links.len());
                        }
                        t.push('\n');
                    }
                }
            }
            let ext: Vec<_> = db.iter().filter(|(a, _)| a.is_none()).collect();
            if !ext.is_empty() {
                t.push_str("\n\t\tType-5 AS External Link States\n\n");
                t.push_str("Link ID         ADV Router      Age         Seq#       Checksum Tag\n");
                for (_, l) in ext {
                    let h = &l.header;
                    let tag = match l.body {
                        LsaBody::External { tag, .. } => tag,
                        _ => 0,
                    };
                    let _ = writeln!(
                        t,
                        "{:<15} {:<15} {:<11} 0x{:08X} 0x{:06X} {tag}",
                        h.key.id.to_string(),
                        h.key.adv.to_string(),
                        h.age,
                        h.seq,
                        h.checksum
                    );
                }
            }
        }
        _ => {}
    }
    t
}
