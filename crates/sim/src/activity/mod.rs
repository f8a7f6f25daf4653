//! Activity evaluation: each check of a lab's [`Activity`] (the
//! specification lives in the document crate, [`lanlab_doc::activity`])
//! evaluated over the document and over what really happened in a running
//! [`Engine`]: frames in its trace (a DHCP ACK reached PC0, a DNS answer for
//! hasan.com reached PC1), its jobs (a ping that succeeded, a page that
//! loaded) and its mail clients (a message from akbari@hasan.com).
//!
//! Everything here is pure: [`evaluate`] reads a lab and an engine and
//! returns each check's state. [`RunMemo`] remembers what the trace already
//! showed, so re-evaluating after each simulation step only reads the new
//! entries.

use std::collections::BTreeSet;

pub use lanlab_doc::activity::*;

use crate::config::IpConfig;
use crate::engine::Engine;
use crate::job::{JobResult, JobStatus};
use crate::lab::{DeviceId, Lab};
use crate::trace::KindView;

#[cfg(test)]
mod tests;

/// Where a check stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CheckState {
    /// Done.
    Passed,
    /// Not (yet) done.
    Pending,
}

/// What the trace showed so far, read once per entry.
#[derive(Clone, Debug, Default)]
pub struct RunMemo {
    cursor: usize,
    last_time: lanlab_proto::SimTime,
    seed: u64,
    acks: BTreeSet<DeviceId>,
    resolved: BTreeSet<(DeviceId, String)>,
}

impl RunMemo {
    /// An empty memo (nothing seen yet).
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the trace entries added since the last call. A different or
    /// rewound engine (rebuilt, stepped back) starts the memo over.
    pub fn update(&mut self, engine: &Engine) {
        let trace = engine.trace();
        if trace.len() < self.cursor || engine.now() < self.last_time || engine.seed() != self.seed
        {
            *self = RunMemo {
                seed: engine.seed(),
                ..RunMemo::default()
            };
        }
        self.last_time = engine.now();
        let lab = engine.lab();
        for i in self.cursor..trace.len() {
            let Some(ev) = trace.get(i) else { break };
            let KindView::Frame { to, bytes, .. } = &ev.view() else {
                continue;
            };
            let Some((src_port, payload)) = udp_payload(bytes) else {
                continue;
            };
            match src_port {
                lanlab_proto::dhcp::SERVER_PORT => {
                    if let Ok(m) = lanlab_proto::dhcp::Message::from_bytes(payload)
                        && m.kind() == Some(lanlab_proto::dhcp::MessageType::Ack)
                        && let Some(d) = lab.device(to.device)
                        && d.ports.get(to.port).is_some_and(|p| p.mac.0 == m.chaddr.0)
                    {
                        self.acks.insert(to.device);
                    }
                }
                53 => {
                    if let Ok(m) = lanlab_proto::dns::Message::parse(payload)
                        && m.flags.qr
                        && m.flags.rcode == lanlab_proto::dns::header::Rcode::NoError
                        && !m.answers.is_empty()
                        && let Some(q) = m.questions.first()
                    {
                        self.resolved
                            .insert((to.device, norm_name(&q.name.to_string())));
                    }
                }
                _ => {}
            }
        }
        self.cursor = trace.len();
    }
}

/// The UDP source port and payload of an Ethernet/IPv4/UDP frame.
fn udp_payload(frame: &[u8]) -> Option<(u16, &[u8])> {
    use smoltcp::wire::{EthernetFrame, EthernetProtocol, IpProtocol, Ipv4Packet, UdpPacket};
    let eth = EthernetFrame::new_checked(frame).ok()?;
    if eth.ethertype() != EthernetProtocol::Ipv4 {
        return None;
    }
    let ip = Ipv4Packet::new_checked(eth.payload()).ok()?;
    if ip.next_header() != IpProtocol::Udp {
        return None;
    }
    let udp = UdpPacket::new_checked(ip.payload()).ok()?;
    let src = udp.src_port();
    let payload = udp.payload();
    // `payload` borrows the packet views: re-slice the frame so the result
    // outlives them.
    let (start, len) = (offset_of(frame, payload)?, payload.len());
    Some((src, &frame[start..start + len]))
}

/// Where `inner` starts inside `outer` (both views of one buffer).
fn offset_of(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let o = outer.as_ptr() as usize;
    let i = inner.as_ptr() as usize;
    (i >= o && i + inner.len() <= o + outer.len()).then(|| i - o)
}

/// `Hasan.COM.` → `hasan.com`.
fn norm_name(s: &str) -> String {
    s.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The target of a `ping` command line (`ping -n 2 hasan.com` → `hasan.com`).
fn ping_target(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("ping") {
        return None;
    }
    let mut target = None;
    let mut skip = false;
    for w in words {
        if skip {
            skip = false;
        } else if w.starts_with('-') || w.starts_with('/') {
            // Options with a value: -n, -l, -i, -w.
            skip = matches!(
                w.trim_start_matches(['-', '/'])
                    .to_ascii_lowercase()
                    .as_str(),
                "n" | "l" | "i" | "w"
            );
        } else {
            target = Some(w);
        }
    }
    target
}

/// Evaluates one configuration check over a document.
pub fn config_passes(kind: &CheckKind, lab: &Lab) -> bool {
    let Some(dev) = lab.device_by_name(kind.device()) else {
        return false;
    };
    match kind {
        CheckKind::UsesDhcp { .. } => dev.ports.iter().any(|p| p.ip == IpConfig::Dhcp),
        CheckKind::InterfaceUp {
            port, ip, prefix, ..
        } => match crate::shell::ios::iface::resolve(dev, port) {
            Some(crate::shell::ios::iface::IfRef::Port(k)) => {
                let p = &dev.ports[k];
                !p.shutdown
                    && p.ip
                        .as_static()
                        .and_then(|s| s.net())
                        .is_some_and(|n| n.addr == *ip && n.prefix == *prefix)
            }
            _ => false,
        },
        CheckKind::HasIp { ip, .. } => dev
            .ports
            .iter()
            .any(|p| p.ip.as_static().is_some_and(|s| s.address == *ip)),
        CheckKind::ARecord { name, ip, .. } => {
            let want = norm_name(name);
            dev.services.dns_on().is_some_and(|dns| {
                dns.zones.iter().flat_map(|z| &z.records).any(|r| {
                    norm_name(&r.name.to_string()) == want
                        && r.data == lanlab_proto::dns::rdata::RData::A(*ip)
                })
            })
        }
        CheckKind::Serves { svc, .. } => {
            let s = &dev.services;
            dev.powered
                && match svc {
                    Service::Dhcp => s.dhcp_on().is_some(),
                    Service::Dns => s.dns_on().is_some(),
                    Service::Http => s.http_on().is_some(),
                    Service::Mail => s.mail.as_ref().is_some_and(|m| m.enabled),
                }
        }
        _ => false,
    }
}

/// Evaluates one run check over an engine (with its memo up to date).
pub fn run_passes(kind: &CheckKind, engine: &Engine, memo: &RunMemo) -> bool {
    let lab = engine.lab();
    let Some(dev) = lab.device_by_name(kind.device()) else {
        return false;
    };
    let jobs = || {
        engine
            .jobs()
            .iter()
            .filter(move |j| j.device == dev.id && j.status == JobStatus::Succeeded)
    };
    match kind {
        CheckKind::DhcpAck { .. } => memo.acks.contains(&dev.id),
        CheckKind::Resolved { name, .. } => memo.resolved.contains(&(dev.id, norm_name(name))),
        CheckKind::Pinged { target, .. } => {
            jobs().any(|j| ping_target(&j.line).is_some_and(|t| norm_name(t) == norm_name(target)))
        }
        CheckKind::Browsed { host, .. } => jobs().any(|j| {
            matches!(j.result.as_deref(), Some(JobResult::Page(p))
                if p.status == 200 && norm_name(&p.url.host.to_string()) == norm_name(host))
        }),
        CheckKind::MailReceived { from, subject, .. } => {
            engine.mail_client(&dev.name).is_some_and(|c| {
                c.messages().iter().any(|m| {
                    (from.is_empty()
                        || m.from
                            .to_ascii_lowercase()
                            .contains(&from.trim().to_ascii_lowercase()))
                        && (subject.is_empty()
                            || m.subject.trim().eq_ignore_ascii_case(subject.trim()))
                })
            })
        }
        _ => false,
    }
}

/// Evaluates every check: configuration checks over `lab`, run checks over
/// `engine` (pending when there is none). `memo` is brought up to date.
pub fn evaluate(
    activity: &Activity,
    lab: &Lab,
    engine: Option<&Engine>,
    memo: &mut RunMemo,
) -> Vec<CheckState> {
    let run = engine.map(|e| run_checks(activity, e, memo));
    states(activity, lab, run.as_deref())
}

/// Which run checks pass over `engine` (a configuration check reads
/// `false` here: [`states`] evaluates those over the document). `memo` is
/// brought up to date. This is the part that needs the engine, so the
/// engine's host answers it ([`crate::host::query::RunQuery::Checks`]).
pub fn run_checks(activity: &Activity, engine: &Engine, memo: &mut RunMemo) -> Vec<bool> {
    memo.update(engine);
    activity
        .checks
        .iter()
        .map(|c| c.kind.family() == Family::Run && run_passes(&c.kind, engine, memo))
        .collect()
}

/// Every check's state: configuration checks over `lab`, run checks from
/// `run` ([`run_checks`]'s answer; pending when there is none).
pub fn states(activity: &Activity, lab: &Lab, run: Option<&[bool]>) -> Vec<CheckState> {
    activity
        .checks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let ok = match c.kind.family() {
                Family::Config => config_passes(&c.kind, lab),
                Family::Run => run.is_some_and(|r| r.get(i).copied().unwrap_or(false)),
            };
            if ok {
                CheckState::Passed
            } else {
                CheckState::Pending
            }
        })
        .collect()
}

/// Score of a set of states: (passed, total).
pub fn score(states: &[CheckState]) -> (usize, usize) {
    (
        states.iter().filter(|s| **s == CheckState::Passed).count(),
        states.len(),
    )
}
