//! RIP at the console: `router rip` and its `(config-router)` commands
//! (`version`, `network` — classful, as IOS stores it —, `[no]
//! auto-summary`, `[no] passive-interface`, `[no] default-information
//! originate`), `no router rip`, the exec commands `show ip rip database`,
//! `show ip protocols` and `debug ip rip`, and the lines `show
//! running-config` prints. The configuration is
//! [`IosSettings::rip`](lanlab_doc::ios::IosSettings::rip).

use std::net::Ipv4Addr;

use lanlab_doc::rip::{RipConfig, classful};

use super::grammar::{
    Cmd, DEFINFO, Matched, NETWORK, NO, ORIGINATE, PASSIVE, Pat, ROUTER_CMD as ROUTER, Show, T,
};
use super::iface::{self, IfRef};
use super::{Console, Mode};
use crate::lab::{Device, DeviceKind};

/// Which RIP command a line is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum RipCmd {
    /// `router rip`: enter `(config-router)`, creating the process.
    Enter,
    /// `no router rip`.
    Remove,
    /// `version 1|2`.
    Version,
    /// `no version`.
    NoVersion,
    /// `[no] network A.B.C.D` (true = `no`).
    Network(bool),
    /// `[no] auto-summary` (true = `no`).
    AutoSummary(bool),
    /// `[no] passive-interface IF` (true = `no`).
    Passive(bool),
    /// `[no] default-information originate` (true = `no`).
    DefaultOriginate(bool),
    /// `debug ip rip` (true) / `no debug ip rip`, `undebug ip rip` (false).
    Debug(bool),
}

const fn p(id: RipCmd, toks: &'static [T]) -> Pat {
    Pat {
        id: Cmd::Rip(id),
        toks,
    }
}

const RIP: T = T::K("rip", "Routing Information Protocol (RIP)");
const VERSION: T = T::K("version", "Set routing protocol version");
const NET: T = T::Ip("A.B.C.D  Network number");
const AUTO: T = T::K(
    "auto-summary",
    "Enable automatic network number summarization",
);

/// Global configuration: `[no] router rip`.
pub(crate) const GLOBAL: &[Pat] = &[
    p(RipCmd::Enter, &[ROUTER, RIP]),
    p(RipCmd::Remove, &[NO, ROUTER, RIP]),
];

/// `(config-router)` under `router rip`.
pub(crate) const ROUTER_MODE: &[Pat] = &[
    p(RipCmd::Version, &[VERSION, T::Num("<1-2>  version")]),
    p(RipCmd::NoVersion, &[NO, VERSION]),
    p(RipCmd::Network(false), &[NETWORK, NET]),
    p(RipCmd::Network(true), &[NO, NETWORK, NET]),
    p(RipCmd::AutoSummary(false), &[AUTO]),
    p(RipCmd::AutoSummary(true), &[NO, AUTO]),
    p(RipCmd::Passive(false), &[PASSIVE, T::If]),
    p(RipCmd::Passive(true), &[NO, PASSIVE, T::If]),
    p(RipCmd::DefaultOriginate(false), &[DEFINFO, ORIGINATE]),
    p(RipCmd::DefaultOriginate(true), &[NO, DEFINFO, ORIGINATE]),
];

const SHOW: T = T::K("show", "Show running system information");
const SIP: T = T::K("ip", "IP information");

/// `show ip rip database`, `show ip protocols` (both EXEC levels).
pub(crate) const SHOW_CMDS: &[Pat] = &[
    Pat {
        id: Cmd::Show(Show::RipDatabase),
        toks: &[
            SHOW,
            SIP,
            T::K("rip", "IP RIP show commands"),
            T::K("database", "IP RIP database"),
        ],
    },
    Pat {
        id: Cmd::Show(Show::IpProtocols),
        toks: &[
            SHOW,
            SIP,
            T::K(
                "protocols",
                "IP routing protocol process parameters and statistics",
            ),
        ],
    },
];

const DEBUG: T = T::K("debug", "Debugging functions (see also 'undebug')");
const UNDEBUG: T = T::K("undebug", "Disable debugging functions (see also 'debug')");
const DIP: T = T::K("ip", "IP information");
const DRIP: T = T::K("rip", "RIP protocol transactions");

/// Privileged EXEC: `debug ip rip`.
pub(crate) const EXEC: &[Pat] = &[
    p(RipCmd::Debug(true), &[DEBUG, DIP, DRIP]),
    p(RipCmd::Debug(false), &[NO, DEBUG, DIP, DRIP]),
    p(RipCmd::Debug(false), &[UNDEBUG, DIP, DRIP]),
];

/// Runs a RIP configuration command on `d`.
pub(super) fn apply(
    c: &mut Console,
    d: &mut Device,
    m: &Matched,
    cmd: RipCmd,
) -> Result<String, String> {
    if d.kind != DeviceKind::Router {
        return Err("% Invalid input detected at '^' marker.\n".into());
    }
    match cmd {
        RipCmd::Enter => {
            d.ios.rip.get_or_insert_with(RipConfig::default);
            c.mode = Mode::RouterRip;
            return Ok(String::new());
        }
        RipCmd::Remove => {
            d.ios.rip = None;
            return Ok(String::new());
        }
        RipCmd::Debug(_) => return Ok(String::new()),
        _ => {}
    }
    let rip = d.ios.rip.get_or_insert_with(RipConfig::default);
    match cmd {
        RipCmd::Version => match m.args.first().map(String::as_str) {
            Some("1") => rip.version = Some(1),
            Some("2") => rip.version = Some(2),
            _ => return Err("% Invalid input detected at '^' marker.\n".into()),
        },
        RipCmd::NoVersion => rip.version = None,
        RipCmd::Network(no) => {
            let a: Ipv4Addr = m
                .args
                .first()
                .and_then(|a| a.parse().ok())
                .ok_or_else(|| "% Incomplete command.\n".to_string())?;
            // IOS keeps the classful network: `network 10.0.12.0` is `network 10.0.0.0`.
            let n = classful(a);
            if no {
                rip.networks.retain(|x| *x != n);
            } else if !rip.networks.contains(&n) {
                // IOS keeps them in numerical order.
                rip.networks.push(n);
                lanlab_proto::order::sort_by_key(&mut rip.networks, |a| u32::from(*a));
            }
        }
        RipCmd::AutoSummary(no) => rip.no_auto_summary = no,
        RipCmd::DefaultOriginate(no) => rip.default_originate = !no,
        RipCmd::Passive(no) => {
            let w = m.args.first().cloned().unwrap_or_default();
            let Some(IfRef::Port(k)) = iface::resolve(d, &w) else {
                return Err("% Invalid interface.\n".into());
            };
            let rip = d.ios.rip.get_or_insert_with(RipConfig::default);
            rip.passive.retain(|x| *x != k);
            if !no {
                rip.passive.push(k);
                rip.passive.sort_unstable();
            }
        }
        _ => {}
    }
    Ok(String::new())
}

/// The `router rip` block of `show running-config`.
pub(super) fn running_lines(d: &Device) -> Vec<String> {
    let Some(rip) = &d.ios.rip else {
        return Vec::new();
    };
    let mut v = vec!["router rip".to_string()];
    if let Some(n) = rip.version {
        v.push(format!(" version {n}"));
    }
    for &k in &rip.passive {
        if let Some(p) = d.ports.get(k) {
            v.push(format!(" passive-interface {}", p.name));
        }
    }
    for n in &rip.networks {
        v.push(format!(" network {n}"));
    }
    if rip.default_originate {
        v.push(" default-information originate".into());
    }
    if rip.no_auto_summary {
        v.push(" no auto-summary".into());
    }
    v.push("!".into());
    v
}

#[cfg(test)]
#[path = "rip_tests.rs"]
mod tests;
