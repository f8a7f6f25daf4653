//! NAT at the console: the `ip nat …` configuration commands (global and
//! interface), their `no` forms, the exec commands `show ip nat
//! translations [verbose]`, `show ip nat statistics`, `clear ip nat
//! translation *` and `debug ip nat` / `undebug all`, and the lines `show
//! running-config` prints for them. The configuration is
//! [`IosSettings::nat`](lanlab_doc::ios::IosSettings::nat).

use lanlab_proto::nat::{DynamicNat, NatPool, NatProtocol, NatTarget, StaticNat};
use lanlab_proto::net::mask_to_prefix;

use super::grammar::{Cmd, Matched, NO, Pat, Show, T, words};
use super::iface::{self, IfRef};
use super::{Console, Mode};
use crate::lab::{Device, DeviceKind};

/// Which NAT command a line is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum NatCmd {
    /// Interface: `[no] ip nat inside`.
    Inside(bool),
    /// Interface: `[no] ip nat outside`.
    Outside(bool),
    /// `[no] ip nat inside source static LOCAL GLOBAL`.
    Static(bool),
    /// `[no] ip nat inside source static tcp|udp LOCAL PORT GLOBAL PORT`.
    StaticPort(bool),
    /// `ip nat pool NAME FIRST LAST netmask M`.
    PoolMask,
    /// `ip nat pool NAME FIRST LAST prefix-length N`.
    PoolPrefix,
    /// `no ip nat pool NAME [...]`.
    NoPool,
    /// `[no] ip nat inside source list ACL pool NAME [overload]`; the
    /// second flag is `overload`.
    ListPool(bool, bool),
    /// `[no] ip nat inside source list ACL interface IFACE overload`.
    ListIf(bool),
    /// `clear ip nat translation *`.
    Clear,
    /// `debug ip nat` (true) / `no debug ip nat`, `undebug all` (false).
    Debug(bool),
}

const GIP: T = T::K("ip", "Global IP configuration subcommands");
const NAT: T = T::K("nat", "NAT configuration commands");
const INSIDE: T = T::K("inside", "Inside address translation");
const SOURCE: T = T::K("source", "Source address translation");
const STATIC: T = T::K("static", "Specify static local->global mapping");
const LIST: T = T::K("list", "Specify access list describing local addresses");
const ACL: T = T::Word("WORD  Access list number or name for local addresses");
const POOL: T = T::K("pool", "Name pool of global addresses");
const POOL_NAME: T = T::Word("WORD  Pool name for global addresses");
const IFACE: T = T::K("interface", "Specify interface for global address");
const OVERLOAD: T = T::K("overload", "Overload an address translation");
const LOCAL: T = T::Ip("A.B.C.D  Inside local IP address");
const GLOBAL_IP: T = T::Ip("A.B.C.D  Inside global IP address");
const LOCAL_PORT: T = T::Num("<1-65535>  Local UDP/TCP port");
const GLOBAL_PORT: T = T::Num("<1-65535>  Global UDP/TCP port");
const TCP: T = T::K("tcp", "Transmission Control Protocol");
const UDP: T = T::K("udp", "User Datagram Protocol");
const FIRST: T = T::Ip("A.B.C.D  Start IP address");
const LAST: T = T::Ip("A.B.C.D  End IP address");
const NETMASK: T = T::K("netmask", "Specify the network mask");
const MASK: T = T::Ip("A.B.C.D  Network mask");
const PREFIX: T = T::K("prefix-length", "Specify the prefix length");
const PREFIX_N: T = T::Num("<1-32>  Prefix length");

const fn p(id: NatCmd, toks: &'static [T]) -> Pat {
    Pat {
        id: Cmd::Nat(id),
        toks,
    }
}

/// Global configuration commands.
pub(crate) const GLOBAL: &[Pat] = &[
    p(
        NatCmd::Static(false),
        &[GIP, NAT, INSIDE, SOURCE, STATIC, LOCAL, GLOBAL_IP],
    ),
    p(
        NatCmd::Static(true),
        &[NO, GIP, NAT, INSIDE, SOURCE, STATIC, LOCAL, GLOBAL_IP],
    ),
    p(
        NatCmd::StaticPort(false),
        &[
            GIP,
            NAT,
            INSIDE,
            SOURCE,
            STATIC,
            TCP,
            LOCAL,
            LOCAL_PORT,
            GLOBAL_IP,
            GLOBAL_PORT,
        ],
    ),
    p(
        NatCmd::StaticPort(false),
        &[
            GIP,
            NAT,
            INSIDE,
            SOURCE,
            STATIC,
            UDP,
            LOCAL,
            LOCAL_PORT,
            GLOBAL_IP,
            GLOBAL_PORT,
        ],
    ),
    p(
        NatCmd::StaticPort(true),
        &[
            NO,
            GIP,
            NAT,
            INSIDE,
            SOURCE,
            STATIC,
            TCP,
            LOCAL,
            LOCAL_PORT,
            GLOBAL_IP,
            GLOBAL_PORT,
        ],
    ),
    p(
        NatCmd::StaticPort(true),
        &[
            NO,
            GIP,
            NAT,
            INSIDE,
            SOURCE,
            STATIC,
            UDP,
            LOCAL,
            LOCAL_PORT,
            GLOBAL_IP,
            GLOBAL_PORT,
        ],
    ),
    p(
        NatCmd::PoolMask,
        &[GIP, NAT, POOL, POOL_NAME, FIRST, LAST, NETMASK, MASK],
    ),
    p(
        NatCmd::PoolPrefix,
        &[GIP, NAT, POOL, POOL_NAME, FIRST, LAST, PREFIX, PREFIX_N],
    ),
    p(NatCmd::NoPool, &[NO, GIP, NAT, POOL, POOL_NAME]),
    p(
        NatCmd::NoPool,
        &[
            NO,
            GIP,
            NAT,
            POOL,
            POOL_NAME,
            T::Rest("LINE  The rest of the pool definition"),
        ],
    ),
    p(
        NatCmd::ListPool(false, false),
        &[GIP, NAT, INSIDE, SOURCE, LIST, ACL, POOL, POOL_NAME],
    ),
    p(
        NatCmd::ListPool(false, true),
        &[
            GIP, NAT, INSIDE, SOURCE, LIST, ACL, POOL, POOL_NAME, OVERLOAD,
        ],
    ),
    p(
        NatCmd::ListPool(true, false),
        &[NO, GIP, NAT, INSIDE, SOURCE, LIST, ACL, POOL, POOL_NAME],
    ),
    p(
        NatCmd::ListPool(true, true),
        &[
            NO, GIP, NAT, INSIDE, SOURCE, LIST, ACL, POOL, POOL_NAME, OVERLOAD,
        ],
    ),
    p(
        NatCmd::ListIf(false),
        &[GIP, NAT, INSIDE, SOURCE, LIST, ACL, IFACE, T::If, OVERLOAD],
    ),
    p(
        NatCmd::ListIf(true),
        &[
            NO,
            GIP,
            NAT,
            INSIDE,
            SOURCE,
            LIST,
            ACL,
            IFACE,
            T::If,
            OVERLOAD,
        ],
    ),
];

const IIP: T = T::K("ip", "Interface Internet Protocol config commands");
const IINSIDE: T = T::K("inside", "Inside interface for address translation");
const IOUTSIDE: T = T::K("outside", "Outside interface for address translation");

/// Interface configuration commands.
pub(crate) const INTERFACE: &[Pat] = &[
    p(NatCmd::Inside(false), &[IIP, NAT, IINSIDE]),
    p(NatCmd::Outside(false), &[IIP, NAT, IOUTSIDE]),
    p(NatCmd::Inside(true), &[NO, IIP, NAT, IINSIDE]),
    p(NatCmd::Outside(true), &[NO, IIP, NAT, IOUTSIDE]),
];

const SHOW: T = T::K("show", "Show running system information");
const SIP: T = T::K("ip", "IP information");
const SNAT: T = T::K("nat", "IP NAT information");
const TRANSLATIONS: T = T::K("translations", "Translation entries");

/// `show ip nat …` (both EXEC levels).
pub(crate) const SHOW_CMDS: &[Pat] = &[
    Pat {
        id: Cmd::Show(Show::NatTranslations),
        toks: &[SHOW, SIP, SNAT, TRANSLATIONS],
    },
    Pat {
        id: Cmd::Show(Show::NatTranslationsVerbose),
        toks: &[
            SHOW,
            SIP,
            SNAT,
            TRANSLATIONS,
            T::K("verbose", "Show extra information"),
        ],
    },
    Pat {
        id: Cmd::Show(Show::NatStatistics),
        toks: &[
            SHOW,
            SIP,
            SNAT,
            T::K("statistics", "Translation statistics"),
        ],
    },
];

const DEBUG: T = T::K("debug", "Debugging functions (see also 'undebug')");
const UNDEBUG: T = T::K("undebug", "Disable debugging functions (see also 'debug')");
const DIP: T = T::K("ip", "IP information");
const DNAT: T = T::K("nat", "NAT events");
const ALL: T = T::K("all", "Enable all debugging");

/// Privileged EXEC: clearing and debugging.
pub(crate) const EXEC: &[Pat] = &[
    p(
        NatCmd::Clear,
        &[
            T::K("clear", "Reset functions"),
            T::K("ip", "IP"),
            T::K("nat", "Clear NAT"),
            T::K("translation", "Clear dynamic translation"),
            T::K("*", "Delete all dynamic translations"),
        ],
    ),
    p(NatCmd::Debug(true), &[DEBUG, DIP, DNAT]),
    p(NatCmd::Debug(false), &[NO, DEBUG, DIP, DNAT]),
    p(NatCmd::Debug(false), &[NO, DEBUG, ALL]),
    p(NatCmd::Debug(false), &[UNDEBUG, DIP, DNAT]),
    p(NatCmd::Debug(false), &[UNDEBUG, ALL]),
];

fn port(m: &Matched, k: usize) -> Result<u16, String> {
    match m.args.get(k).and_then(|a| a.parse::<u16>().ok()) {
        Some(p) if p > 0 => Ok(p),
        _ => Err("% Invalid input detected at '^' marker.\n".into()),
    }
}

fn arg(m: &Matched, k: usize) -> String {
    m.args.get(k).cloned().unwrap_or_default()
}

/// Runs a NAT configuration command on `d`.
pub(super) fn apply(
    c: &Console,
    d: &mut Device,
    line: &str,
    m: &Matched,
    n: NatCmd,
) -> Result<String, String> {
    if d.kind != DeviceKind::Router {
        return Err("% lanlab: NAT runs on routers.\n".into());
    }
    let nat = &mut d.ios.nat;
    match n {
        NatCmd::Inside(no) | NatCmd::Outside(no) => {
            let Mode::Interface(ports) = &c.mode else {
                return Err("% Invalid input detected at '^' marker.\n".into());
            };
            let list = if matches!(n, NatCmd::Inside(_)) {
                &mut nat.inside
            } else {
                &mut nat.outside
            };
            for &k in ports {
                list.retain(|&x| x != k);
                if !no {
                    list.push(k);
                }
            }
            list.sort_unstable();
            // An interface is inside or outside, not both.
            let (set, other) = if matches!(n, NatCmd::Inside(_)) {
                (nat.inside.clone(), &mut nat.outside)
            } else {
                (nat.outside.clone(), &mut nat.inside)
            };
            if !no {
                other.retain(|k| !set.contains(k));
            }
        }
        NatCmd::Static(no) | NatCmd::StaticPort(no) => {
            let s = if let NatCmd::Static(_) = n {
                StaticNat::address(m.ip(0)?, m.ip(1)?)
            } else {
                let proto = words(line)
                    .iter()
                    .map(|w| w.text.to_ascii_lowercase())
                    .find(|w| "tcp".starts_with(w.as_str()) || "udp".starts_with(w.as_str()));
                let proto = match proto.as_deref() {
                    Some(w) if "udp".starts_with(w) => NatProtocol::Udp,
                    _ => NatProtocol::Tcp,
                };
                StaticNat::port(proto, m.ip(0)?, port(m, 1)?, m.ip(2)?, port(m, 3)?)
            };
            if no {
                let before = nat.statics.len();
                nat.statics.retain(|x| *x != s);
                if nat.statics.len() == before {
                    return Err("%Translation not found\n".into());
                }
            } else if !nat.statics.contains(&s) {
                let clash = nat.statics.iter().find(|x| {
                    x.port.map(|p| (p.protocol, p.local_port))
                        == s.port.map(|p| (p.protocol, p.local_port))
                        && x.local == s.local
                        || x.port.map(|p| (p.protocol, p.global_port))
                            == s.port.map(|p| (p.protocol, p.global_port))
                            && x.global == s.global
                });
                if let Some(x) = clash {
                    return Err(format!(
                        "% similar static entry ({} -> {}) already exists\n",
                        x.local, x.global
                    ));
                }
                nat.statics.push(s);
            }
        }
        NatCmd::PoolMask | NatCmd::PoolPrefix => {
            let (name, first, last) = (arg(m, 0), m.ip(1)?, m.ip(2)?);
            let prefix_len = if n == NatCmd::PoolMask {
                let mask = m.ip(3)?;
                mask_to_prefix(mask).map_err(|_| format!("%Bad netmask {mask}\n"))?
            } else {
                match arg(m, 3).parse::<u8>() {
                    Ok(l) if (1..=32).contains(&l) => l,
                    _ => return Err("% Invalid input detected at '^' marker.\n".into()),
                }
            };
            if u32::from(last) < u32::from(first) {
                return Err("%End address less than starting address\n".into());
            }
            let pool = NatPool::new(name.clone(), first, last, prefix_len);
            match nat.pools.iter_mut().find(|p| p.name == name) {
                Some(p) => *p = pool,
                None => nat.pools.push(pool),
            }
        }
        NatCmd::NoPool => {
            let name = arg(m, 0);
            if nat.pool(&name).is_none() {
                return Err(format!("%Pool {name} not found\n"));
            }
            if nat
                .dynamic
                .iter()
                .any(|r| r.target == NatTarget::Pool(name.clone()))
            {
                return Err(format!("%Pool {name} in use, cannot destroy\n"));
            }
            nat.pools.retain(|p| p.name != name);
        }
        NatCmd::ListPool(no, _) | NatCmd::ListIf(no) => {
            let overload = matches!(n, NatCmd::ListPool(_, true) | NatCmd::ListIf(_));
            let acl = arg(m, 0);
            let target = if let NatCmd::ListPool(..) = n {
                NatTarget::Pool(arg(m, 1))
            } else {
                match iface::resolve(d, &arg(m, 1)) {
                    Some(IfRef::Port(k)) => NatTarget::Interface(k),
                    _ => return Err("% Invalid interface.\n".into()),
                }
            };
            let nat = &mut d.ios.nat;
            let rule = DynamicNat {
                acl: acl.clone(),
                target,
                overload,
            };
            if no {
                let before = nat.dynamic.len();
                nat.dynamic.retain(|r| *r != rule);
                if nat.dynamic.len() == before {
                    return Err("%Dynamic mapping not found\n".into());
                }
            } else {
                match nat.dynamic.iter_mut().find(|r| r.acl == acl) {
                    Some(r) => *r = rule,
                    None => nat.dynamic.push(rule),
                }
            }
        }
        NatCmd::Clear | NatCmd::Debug(_) => {
            return Err("% Invalid input detected at '^' marker.\n".into());
        }
    }
    Ok(String::new())
}

/// The interface line of `show running-config` for port `k`, if any.
pub(super) fn interface_line(d: &Device, k: usize) -> Option<&'static str> {
    if d.ios.nat.is_inside(k) {
        Some(" ip nat inside")
    } else if d.ios.nat.is_outside(k) {
        Some(" ip nat outside")
    } else {
        None
    }
}

/// The global lines of `show running-config`: pools, dynamic rules, statics.
pub(super) fn global_lines(d: &Device) -> Vec<String> {
    let nat = &d.ios.nat;
    let mut out = Vec::new();
    for p in &nat.pools {
        out.push(format!(
            "ip nat pool {} {} {} netmask {}",
            p.name,
            p.first,
            p.last,
            p.netmask()
        ));
    }
    for r in &nat.dynamic {
        let target = match &r.target {
            NatTarget::Pool(name) => format!("pool {name}"),
            NatTarget::Interface(k) => format!(
                "interface {}",
                d.ports.get(*k).map_or("?", |p| p.name.as_str())
            ),
        };
        let over = if r.overload { " overload" } else { "" };
        out.push(format!(
            "ip nat inside source list {} {target}{over}",
            r.acl
        ));
    }
    for s in &nat.statics {
        out.push(match s.port {
            None => format!("ip nat inside source static {} {}", s.local, s.global),
            Some(p) => format!(
                "ip nat inside source static {} {} {} {} {}",
                p.protocol, s.local, p.local_port, s.global, p.global_port
            ),
        });
    }
    out
}

#[cfg(test)]
#[path = "nat_tests.rs"]
mod tests;
