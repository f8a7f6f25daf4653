//! The programs that run over virtual time at a prompt: `ping` and
//! `tracert`, printing what Windows prints.

use std::net::Ipv4Addr;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::net::{EchoClient, ProbeResult};
use smoltcp::wire::Icmpv4DstUnreachable;

use crate::device::host::{HOST_TTL, SendError};
use crate::job::Job;

/// How long `ping` and `tracert` wait for each answer (Windows: 4000 ms).
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(4);
/// Pause between two pings.
pub const PING_INTERVAL: Duration = Duration::from_secs(1);

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

fn time_text(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        "time<1ms".to_string()
    } else {
        format!("time={}ms", ms(d))
    }
}

/// What Windows' ping prints for a destination unreachable. Windows maps
/// "communication administratively prohibited" (code 13, an access list)
/// to a network error (ERROR_NETWORK_UNREACHABLE, Microsoft KB 325122), so
/// ping shows it as net unreachable.
fn unreachable_text(reason: Icmpv4DstUnreachable) -> &'static str {
    match reason {
        Icmpv4DstUnreachable::NetUnreachable | Icmpv4DstUnreachable::CommProhibited => {
            "Destination net unreachable."
        }
        Icmpv4DstUnreachable::PortUnreachable => "Destination port unreachable.",
        _ => "Destination host unreachable.",
    }
}

/// `ping`: `count` echo requests, one at a time.
#[derive(Clone, Debug)]
pub struct Ping {
    target: Ipv4Addr,
    name: Option<String>,
    count: u16,
    sent: u16,
    received: u16,
    echo_replies: u16,
    rtts: Vec<Duration>,
    next_send: Option<SimTime>,
    done: bool,
}

/// `tracert`: three probes per hop with growing TTL.
#[derive(Clone, Debug)]
pub struct Tracert {
    target: Ipv4Addr,
    name: Option<String>,
    max_hops: u8,
    hop: u8,
    probe: u8,
    cells: Vec<String>,
    answered_by: Option<Ipv4Addr>,
    reached: bool,
    unreachable: Option<Icmpv4DstUnreachable>,
    done: bool,
}

/// A running program.
#[derive(Clone, Debug)]
pub enum Run {
    /// `ping`.
    Ping(Ping, EchoClient),
    /// `tracert`.
    Tracert(Tracert, EchoClient),
}

impl Run {
    /// `ping -n count target`.
    pub fn ping(target: Ipv4Addr, count: u16) -> Run {
        Run::Ping(
            Ping {
                target,
                name: None,
                count: count.max(1),
                sent: 0,
                received: 0,
                echo_replies: 0,
                rtts: Vec::new(),
                next_send: None,
                done: false,
            },
            EchoClient::new(0, PROBE_TIMEOUT),
        )
    }

    /// `tracert -h max_hops target`.
    pub fn tracert(target: Ipv4Addr, max_hops: u8) -> Run {
        Run::Tracert(
            Tracert {
                target,
                name: None,
                max_hops: max_hops.max(1),
                hop: 1,
                probe: 0,
                cells: Vec::new(),
                answered_by: None,
                reached: false,
                unreachable: None,
                done: false,
            },
            EchoClient::new(0, PROBE_TIMEOUT),
        )
    }

    /// The same program, showing the name it resolved (`Pinging hasan.com [192.168.1.1]`).
    pub fn named(mut self, name: &str) -> Run {
        match &mut self {
            Run::Ping(p, _) => p.name = Some(name.to_string()),
            Run::Tracert(t, _) => t.name = Some(name.to_string()),
        }
        self
    }

    pub(crate) fn set_ident(&mut self, ident: u16) {
        let e = self.echo_mut();
        *e = EchoClient::new(ident, PROBE_TIMEOUT);
    }

    /// The echo client of the program.
    pub fn echo_mut(&mut self) -> &mut EchoClient {
        match self {
            Run::Ping(_, e) | Run::Tracert(_, e) => e,
        }
    }

    fn echo(&self) -> &EchoClient {
        match self {
            Run::Ping(_, e) | Run::Tracert(_, e) => e,
        }
    }

    /// The address probed.
    pub fn target(&self) -> Ipv4Addr {
        match self {
            Run::Ping(p, _) => p.target,
            Run::Tracert(t, _) => t.target,
        }
    }

    /// Prints the banner and schedules the first probe.
    pub fn start(&mut self, now: SimTime, job: &mut Job) {
        match self {
            Run::Ping(p, _) => {
                job.println("");
                let who = match &p.name {
                    Some(n) => format!("{n} [{}]", p.target),
                    None => p.target.to_string(),
                };
                job.println(&format!(
                    "Pinging {who} with {} bytes of data:",
                    crate::device::host::PING_DATA.len()
                ));
                p.next_send = Some(now);
            }
            Run::Tracert(t, _) => {
                job.println("");
                let who = match &t.name {
                    Some(n) => format!("{n} [{}]", t.target),
                    None => t.target.to_string(),
                };
                job.println(&format!(
                    "Tracing route to {who} over a maximum of {} hops",
                    t.max_hops
                ));
                job.println("");
            }
        }
    }

    /// Whether the program has finished.
    pub fn finished(&self) -> bool {
        match self {
            Run::Ping(p, _) => p.done,
            Run::Tracert(t, _) => t.done,
        }
    }

    /// The TTL of the probe to send now, if one is due.
    pub fn want_send(&self, now: SimTime) -> Option<u8> {
        if self.finished() || self.echo().is_waiting() {
            return None;
        }
        match self {
            Run::Ping(p, _) => {
                (p.sent < p.count && p.next_send.is_some_and(|t| t <= now)).then_some(HOST_TTL)
            }
            Run::Tracert(t, _) => Some(t.hop),
        }
    }

    /// When the program next needs [`Run::handle_timeout`].
    pub fn poll_timeout(&self) -> Option<SimTime> {
        if self.finished() {
            return None;
        }
        let wait = self.echo().poll_timeout();
        let send = match self {
            Run::Ping(p, _) if !self.echo().is_waiting() => p.next_send,
            _ => None,
        };
        wait.into_iter().chain(send).min()
    }

    /// Times out the outstanding probe if due.
    pub fn handle_timeout(&mut self, now: SimTime, job: &mut Job) {
        if let Some(r) = self.echo_mut().handle_timeout(now) {
            self.on_result(now, r, job);
        }
    }

    /// A probe could not even be sent.
    pub fn on_send_error(&mut self, now: SimTime, e: SendError, job: &mut Job) {
        // The client thinks a probe is out; take it back.
        self.echo_mut().cancel();
        match self {
            Run::Ping(p, _) => {
                p.sent += 1;
                job.println("PING: transmit failed. General failure.");
                p.next_send = Some(now + PING_INTERVAL);
                if p.sent >= p.count {
                    p.finish(now, job);
                }
            }
            Run::Tracert(t, _) => {
                let why = match e {
                    SendError::NoAddress => "this device has no IPv4 address",
                    SendError::NoRoute => "no route (is the default gateway set?)",
                    SendError::Blocked => "blocked by this device's firewall",
                };
                job.println(&format!("Unable to contact {}: {why}.", t.target));
                t.done = true;
                job.finish(now, false);
            }
        }
    }

    /// A probe ended.
    pub fn on_result(&mut self, now: SimTime, r: ProbeResult, job: &mut Job) {
        match self {
            Run::Ping(p, _) => p.on_result(now, r, job),
            Run::Tracert(t, _) => t.on_result(now, r, job),
        }
    }
}

impl Ping {
    fn on_result(&mut self, now: SimTime, r: ProbeResult, job: &mut Job) {
        self.sent += 1;
        let line = match r {
            ProbeResult::Reply {
                from,
                rtt,
                ttl,
                bytes,
            } => {
                self.received += 1;
                self.echo_replies += 1;
                self.rtts.push(rtt);
                format!(
                    "Reply from {from}: bytes={bytes} {} TTL={ttl}",
                    time_text(rtt)
                )
            }
            ProbeResult::TimeExceeded { from, .. } => {
                self.received += 1;
                format!("Reply from {from}: TTL expired in transit.")
            }
            ProbeResult::Unreachable { from, reason, .. } => {
                self.received += 1;
                format!("Reply from {from}: {}", unreachable_text(reason))
            }
            ProbeResult::TimedOut => "Request timed out.".to_string(),
        };
        job.println(&line);
        self.next_send = Some(if r == ProbeResult::TimedOut {
            now
        } else {
            now + PING_INTERVAL
        });
        if self.sent >= self.count {
            self.finish(now, job);
        }
    }

    fn finish(&mut self, now: SimTime, job: &mut Job) {
        self.done = true;
        let lost = self.sent - self.received;
        let pct = u32::from(lost) * 100 / u32::from(self.sent.max(1));
        job.println("");
        job.println(&format!("Ping statistics for {}:", self.target));
        job.println(&format!(
            "    Packets: Sent = {}, Received = {}, Lost = {} ({pct}% loss),",
            self.sent, self.received, lost
        ));
        if !self.rtts.is_empty() {
            let min = self.rtts.iter().min().copied().unwrap_or_default();
            let max = self.rtts.iter().max().copied().unwrap_or_default();
            let avg = self.rtts.iter().sum::<Duration>() / self.rtts.len() as u32;
            job.println("Approximate round trip times in milli-seconds:");
            job.println(&format!(
                "    Minimum = {}ms, Maximum = {}ms, Average = {}ms",
                ms(min),
                ms(max),
                ms(avg)
            ));
        }
        job.finish(now, self.echo_replies > 0);
    }
}

impl Tracert {
    fn on_result(&mut self, now: SimTime, r: ProbeResult, job: &mut Job) {
        let cell = |rtt: Duration| {
            if rtt < Duration::from_millis(1) {
                "<1 ms".to_string()
            } else {
                format!("{} ms", ms(rtt))
            }
        };
        match r {
            ProbeResult::Reply { from, rtt, .. } => {
                self.cells.push(cell(rtt));
                self.answered_by = Some(from);
                self.reached = true;
            }
            ProbeResult::TimeExceeded { from, rtt } => {
                self.cells.push(cell(rtt));
                self.answered_by = Some(from);
            }
            ProbeResult::Unreachable { from, reason, rtt } => {
                self.cells.push(cell(rtt));
                self.answered_by = Some(from);
                self.unreachable = Some(reason);
            }
            ProbeResult::TimedOut => self.cells.push("*".to_string()),
        }
        self.probe += 1;
        if self.probe < 3 {
            return;
        }
        let mut line = format!("{:>3}", self.hop);
        for c in &self.cells {
            line.push_str(&format!("{c:>9}"));
        }
        match (self.answered_by, self.unreachable) {
            (Some(a), Some(reason)) => {
                line.push_str(&format!("  {a} reports: {}", unreachable_text(reason)))
            }
            (Some(a), None) => line.push_str(&format!("  {a}")),
            (None, _) => line.push_str("  Request timed out."),
        }
        job.println(&line);
        let stop = self.reached || self.unreachable.is_some() || self.hop >= self.max_hops;
        if stop {
            job.println("");
            job.println("Trace complete.");
            self.done = true;
            job.finish(now, self.reached);
        } else {
            self.hop += 1;
            self.probe = 0;
            self.cells.clear();
            self.answered_by = None;
        }
    }
}
