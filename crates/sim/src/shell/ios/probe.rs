//! `ping` and `traceroute` typed at a router's console: the target and the
//! options IOS takes on one line (`ping 10.0.0.2 repeat 10 size 200 source
//! g0/0 timeout 1`), checked and worded as IOS words its refusals. The
//! probes themselves run in the router (`device::router::ping`).

use std::net::Ipv4Addr;

use super::grammar::{Cmd, MatchError, words};
use super::iface::{IfRef, resolve};
use super::{Console, Effect, Reply};
use crate::lab::Device;

/// The largest `repeat` (IOS takes up to 2147483647; a lab never needs more).
pub const MAX_REPEAT: u32 = 10_000;
/// The smallest and largest datagram size (IOS: 36–18024; the simulated
/// links carry no more than an Ethernet MTU and nothing fragments).
pub const SIZES: std::ops::RangeInclusive<u16> = 36..=1500;
/// The longest `timeout` in seconds (as IOS).
pub const MAX_TIMEOUT: u32 = 3600;

/// What `ping` was asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PingOptions {
    /// The address pinged.
    pub target: Ipv4Addr,
    /// How many echoes (`repeat`, default 5).
    pub repeat: u32,
    /// The IP datagram size in bytes (`size`, default 100).
    pub size: u16,
    /// Seconds to wait for each answer (`timeout`, default 2).
    pub timeout_s: u32,
    /// The source address (`source`, an interface or one of the router's
    /// addresses); `None`: the outgoing interface's address.
    pub source: Option<Ipv4Addr>,
}

impl PingOptions {
    /// IOS's defaults: 5 echoes of 100 bytes, 2 seconds each.
    pub fn new(target: Ipv4Addr) -> Self {
        PingOptions {
            target,
            repeat: 5,
            size: 100,
            timeout_s: 2,
            source: None,
        }
    }
}

const UNRECOGNIZED: &str = "% Unrecognized host or address, or protocol not running.\n";

fn caret(pad: usize, at: usize) -> Reply {
    Reply::refused(Console::error_text(pad, MatchError::Invalid(at)))
}

/// The address the words after `source` name on `d`: an interface with an
/// address that is not shut down, or one of those addresses.
fn source(d: &Device, w: &str) -> Result<Ipv4Addr, &'static str> {
    let up = |k: usize| {
        let p = &d.ports[k];
        p.ip.as_static().filter(|_| !p.shutdown).map(|s| s.address)
    };
    if let Ok(a) = w.parse::<Ipv4Addr>() {
        return (0..d.ports.len())
            .find(|&k| up(k) == Some(a))
            .map(|_| a)
            .ok_or("% Invalid source address- IP address not on any of our up interfaces\n");
    }
    match resolve(d, w) {
        Some(IfRef::Port(k)) => {
            up(k).ok_or("% Invalid source interface - IP not enabled or interface is down\n")
        }
        _ => Err("% Invalid source interface - IP not enabled or interface is down\n"),
    }
}

/// The reply to a `ping` or `traceroute` line (already matched by the
/// grammar): the probe to start, or IOS's refusal. `pad` is the width
/// before the line, for the caret.
pub(super) fn reply(d: &Device, cmd: Cmd, line: &str, pad: usize) -> Reply {
    let ws = words(line);
    let Some(target) = ws.get(1) else {
        return Reply::refused("% Incomplete command.\n");
    };
    let Ok(addr) = target.text.parse::<Ipv4Addr>() else {
        return Reply::refused(UNRECOGNIZED);
    };
    if cmd == Cmd::Traceroute {
        if let Some(w) = ws.get(2) {
            return caret(pad, w.at);
        }
        return Reply {
            effect: Effect::Traceroute(addr),
            ..Reply::text("")
        };
    }
    let mut o = PingOptions::new(addr);
    let mut i = 2;
    while let Some(kw) = ws.get(i) {
        let lower = kw.text.to_ascii_lowercase();
        let fits: Vec<&str> = ["repeat", "size", "source", "timeout"]
            .into_iter()
            .filter(|k| k.starts_with(&lower))
            .collect();
        let name = match fits.as_slice() {
            [k] => *k,
            [] => return caret(pad, kw.at),
            _ => {
                let upto = &line[..kw.at + kw.text.len()];
                return Reply::refused(Console::error_text(
                    pad,
                    MatchError::Ambiguous(upto.trim().to_string()),
                ));
            }
        };
        let Some(v) = ws.get(i + 1) else {
            return Reply::refused("% Incomplete command.\n");
        };
        let num = || v.text.parse::<u32>().ok();
        match name {
            "repeat" => match num().filter(|n| (1..=MAX_REPEAT).contains(n)) {
                Some(n) => o.repeat = n,
                None => return caret(pad, v.at),
            },
            "size" => match num()
                .and_then(|n| u16::try_from(n).ok())
                .filter(|n| SIZES.contains(n))
            {
                Some(n) => o.size = n,
                None => return caret(pad, v.at),
            },
            "timeout" => match num().filter(|n| *n <= MAX_TIMEOUT) {
                Some(n) => o.timeout_s = n,
                None => return caret(pad, v.at),
            },
            _ => match source(d, v.text) {
                Ok(a) => o.source = Some(a),
                Err(e) => return Reply::refused(e),
            },
        }
        i += 2;
    }
    Reply {
        effect: Effect::Ping(o),
        ..Reply::text("")
    }
}
