//! `ping` and `traceroute` from a router's console, as Cisco IOS runs and
//! prints them, and what a router answers to a UDP datagram for a port it
//! does not serve (ICMP port unreachable, RFC 1122 §3.2.2.1 / RFC 1812
//! §4.3.2.7), which is how a traceroute to a router ends.
//!
//! `ping`: echoes one at a time, the next as soon as the last is answered
//! or timed out (2 s by default); one character per echo — `!` reply, `.`
//! timeout, `U` destination unreachable, `N` network unreachable, `P`
//! protocol unreachable, `&` TTL expired. `traceroute`: UDP probes to port
//! 33434 and up, three per TTL, 3 s each, TTL 1 to 30, ending when the
//! destination answers (port unreachable).
//!
//! The router's own echoes and probes are not queued while ARP resolves
//! the next hop: like IOS, the router asks and drops the packet, so the
//! first echo to a neighbour not yet in the ARP cache times out (`.!!!!`).
//! Packets the router forwards still wait for ARP, as before.

use std::net::Ipv4Addr;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::net::{Resolve, packet};
use smoltcp::wire::{EthernetProtocol, IpProtocol, Ipv4Packet, UdpPacket};

use super::{ROUTER_TTL, Router};
use crate::device::Ctx;
use crate::job::{Job, JobId};
use crate::note::Note;
use crate::shell::ios::PingOptions;

/// The first UDP port traceroute probes (as IOS and BSD).
pub const TRACE_PORT: u16 = 33434;
/// How long traceroute waits for each probe.
pub const TRACE_TIMEOUT: Duration = Duration::from_secs(3);
/// The largest TTL traceroute tries.
pub const TRACE_MAX_TTL: u8 = 30;
/// Probes per TTL.
const TRACE_PROBES: u8 = 3;
/// Echo characters IOS prints on one line before it wraps.
const PING_LINE: u32 = 70;

/// The probes running on one router, each for the console job that started it.
#[derive(Clone, Debug, Default)]
pub(super) struct Probes {
    list: Vec<(JobId, Probe)>,
    next_ident: u16,
}

#[derive(Copy, Clone, Debug)]
struct Outstanding {
    /// The echo's sequence number, or the probe's UDP destination port.
    key: u16,
    sent: SimTime,
}

#[derive(Clone, Debug)]
struct Ping {
    o: PingOptions,
    ident: u16,
    next_seq: u16,
    sent: u32,
    ok: u32,
    rtts: Vec<Duration>,
    out: Option<Outstanding>,
    done: bool,
}

#[derive(Clone, Debug)]
struct Trace {
    target: Ipv4Addr,
    src_port: u16,
    next_port: u16,
    ttl: u8,
    probe: u8,
    last_from: Option<Ipv4Addr>,
    reached: bool,
    stop: bool,
    out: Option<Outstanding>,
    done: bool,
}

#[derive(Clone, Debug)]
enum Probe {
    Ping(Ping),
    Trace(Trace),
}

/// An answer to the outstanding echo or probe.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Answer {
    /// An echo reply.
    Echo(Ipv4Addr),
    /// Time exceeded from a router on the way.
    Expired(Ipv4Addr),
    /// Destination unreachable, with its code.
    Unreachable(Ipv4Addr, u8),
    /// Nothing in time.
    TimedOut,
}

/// What became of a packet the router sent itself.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Sent {
    /// On the cable (or waiting on nothing).
    Out,
    /// Addressed to the router itself.
    ToSelf,
    /// Dropped: no route, or the next hop's MAC is being asked for.
    Dropped,
}

/// What a probe wants to send now.
struct Want {
    dst: Ipv4Addr,
    src: Option<Ipv4Addr>,
    ttl: u8,
    proto: IpProtocol,
    payload: Vec<u8>,
    /// The UDP source port of a traceroute probe.
    src_port: u16,
    key: u16,
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

/// Matches an ICMP message (`icmp`, from `from`) against a probe's
/// outstanding `key`: an echo reply with `echo_ident`, or an error quoting
/// our echo or UDP probe from `udp_src`.
fn classify(icmp: &[u8], from: Ipv4Addr, probe: &Probe) -> Option<(u16, Answer)> {
    let (&kind, &code) = (icmp.first()?, icmp.get(1)?);
    let be = |b: &[u8], i: usize| Some(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]));
    if kind == 0 {
        let Probe::Ping(p) = probe else { return None };
        return (be(icmp, 4)? == p.ident).then_some((be(icmp, 6)?, Answer::Echo(from)));
    }
    if kind != 3 && kind != 11 {
        return None;
    }
    let quoted = icmp.get(8..)?;
    let ihl = usize::from(quoted.first()? & 0x0f) * 4;
    let inner = quoted.get(ihl..ihl + 8)?;
    let answer = if kind == 11 {
        Answer::Expired(from)
    } else {
        Answer::Unreachable(from, code)
    };
    match probe {
        Probe::Ping(p)
            if quoted.get(9) == Some(&1) && inner[0] == 8 && be(inner, 4)? == p.ident =>
        {
            Some((be(inner, 6)?, answer))
        }
        Probe::Trace(t) if quoted.get(9) == Some(&17) && be(inner, 0)? == t.src_port => {
            Some((be(inner, 2)?, answer))
        }
        _ => None,
    }
}

impl Probe {
    fn out(&self) -> Option<Outstanding> {
        match self {
            Probe::Ping(p) => p.out,
            Probe::Trace(t) => t.out,
        }
    }

    fn set_out(&mut self, o: Option<Outstanding>) {
        match self {
            Probe::Ping(p) => p.out = o,
            Probe::Trace(t) => t.out = o,
        }
    }

    fn done(&self) -> bool {
        match self {
            Probe::Ping(p) => p.done,
            Probe::Trace(t) => t.done,
        }
    }

    fn timeout(&self) -> Duration {
        match self {
            Probe::Ping(p) => Duration::from_secs(u64::from(p.o.timeout_s)),
            Probe::Trace(_) => TRACE_TIMEOUT,
        }
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        self.out().map(|o| o.sent + self.timeout())
    }

    /// The next packet to send, if one is due.
    fn want(&mut self) -> Option<Want> {
        if self.done() || self.out().is_some() {
            return None;
        }
        match self {
            Probe::Ping(p) => {
                let seq = p.next_seq;
                p.next_seq = p.next_seq.wrapping_add(1);
                // IOS fills its echoes with 0xABCD.
                let data: Vec<u8> = (0..usize::from(p.o.size) - 28)
                    .map(|i| if i % 2 == 0 { 0xab } else { 0xcd })
                    .collect();
                Some(Want {
                    dst: p.o.target,
                    src: p.o.source,
                    ttl: ROUTER_TTL,
                    proto: IpProtocol::Icmp,
                    payload: packet::icmp_echo(false, p.ident, seq, &data),
                    src_port: 0,
                    key: seq,
                })
            }
            Probe::Trace(t) => {
                let port = t.next_port;
                t.next_port = t.next_port.wrapping_add(1);
                Some(Want {
                    dst: t.target,
                    src: None,
                    ttl: t.ttl,
                    proto: IpProtocol::Udp,
                    payload: Vec::new(),
                    src_port: t.src_port,
                    key: port,
                })
            }
        }
    }

    /// The outstanding packet ended with `a` after `rtt`.
    fn answer(&mut self, now: SimTime, rtt: Duration, a: Answer, job: &mut Job) {
        self.set_out(None);
        match self {
            Probe::Ping(p) => p.answer(now, rtt, a, job),
            Probe::Trace(t) => t.answer(now, rtt, a, job),
        }
    }
}

impl Ping {
    fn answer(&mut self, now: SimTime, rtt: Duration, a: Answer, job: &mut Job) {
        self.sent += 1;
        let c = match a {
            Answer::Echo(_) => {
                self.ok += 1;
                self.rtts.push(rtt);
                '!'
            }
            Answer::Expired(_) => '&',
            Answer::Unreachable(_, 0) => 'N',
            Answer::Unreachable(_, 2) => 'P',
            Answer::Unreachable(..) => 'U',
            Answer::TimedOut => '.',
        };
        job.output.push(c);
        if self.sent < self.o.repeat {
            if self.sent.is_multiple_of(PING_LINE) {
                job.output.push('\n');
            }
            return;
        }
        self.done = true;
        let pct = u64::from(self.ok) * 100 / u64::from(self.sent.max(1));
        let mut last = format!(
            "\nSuccess rate is {pct} percent ({}/{})",
            self.ok, self.sent
        );
        if !self.rtts.is_empty() {
            let min = self.rtts.iter().min().copied().unwrap_or_default();
            let max = self.rtts.iter().max().copied().unwrap_or_default();
            let avg = self.rtts.iter().sum::<Duration>() / self.rtts.len() as u32;
            last.push_str(&format!(
                ", round-trip min/avg/max = {}/{}/{} ms",
                ms(min),
                ms(avg),
                ms(max)
            ));
        }
        job.println(&last);
        job.finish(now, self.ok > 0);
    }
}

impl Trace {
    fn answer(&mut self, now: SimTime, rtt: Duration, a: Answer, job: &mut Job) {
        if self.probe == 0 {
            job.output.push_str(&format!("{:>3}", self.ttl));
        }
        self.probe += 1;
        let from = match a {
            Answer::Echo(f) | Answer::Expired(f) | Answer::Unreachable(f, _) => Some(f),
            Answer::TimedOut => None,
        };
        match from {
            Some(f) => {
                if self.last_from != Some(f) {
                    job.output.push_str(&format!(" {f}"));
                    self.last_from = Some(f);
                }
                job.output.push_str(&format!(" {} msec", ms(rtt)));
            }
            None => job.output.push_str("  *"),
        }
        if let Answer::Unreachable(f, code) = a {
            self.stop = true;
            // A port unreachable is the destination (a router answers from
            // the address it sends from, not always the one probed).
            self.reached |= code == 3 || f == self.target;
            match code {
                3 => {}
                0 => job.output.push_str(" !N"),
                1 => job.output.push_str(" !H"),
                2 => job.output.push_str(" !P"),
                _ => job.output.push_str(" !A"),
            }
        }
        if self.probe < TRACE_PROBES {
            return;
        }
        job.output.push('\n');
        if self.stop || self.ttl >= TRACE_MAX_TTL {
            self.done = true;
            job.finish(now, self.reached);
        } else {
            self.ttl += 1;
            self.probe = 0;
            self.last_from = None;
        }
    }
}

impl Probes {
    fn ident(&mut self) -> u16 {
        self.next_ident = self.next_ident.wrapping_add(1).max(1);
        self.next_ident
    }

    pub(super) fn poll_timeout(&self) -> Option<SimTime> {
        self.list.iter().filter_map(|(_, p)| p.poll_timeout()).min()
    }
}

impl Router {
    /// Starts `ping` for console job `job`.
    pub(crate) fn start_ping(&mut self, ctx: &mut Ctx<'_>, job: JobId, o: PingOptions) {
        if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
            j.println("Type escape sequence to abort.");
            j.println(&format!(
                "Sending {}, {}-byte ICMP Echos to {}, timeout is {} seconds:",
                o.repeat, o.size, o.target, o.timeout_s
            ));
            if let Some(s) = o.source {
                j.println(&format!("Packet sent with a source address of {s} "));
            }
        }
        let ident = self.probes.ident();
        self.probes.list.push((
            job,
            Probe::Ping(Ping {
                o,
                ident,
                next_seq: 0,
                sent: 0,
                ok: 0,
                rtts: Vec::new(),
                out: None,
                done: false,
            }),
        ));
        self.drive_probes(ctx);
    }

    /// Starts `traceroute` for console job `job`.
    pub(crate) fn start_traceroute(&mut self, ctx: &mut Ctx<'_>, job: JobId, target: Ipv4Addr) {
        if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
            j.println("Type escape sequence to abort.");
            j.println(&format!("Tracing the route to {target}"));
            j.println("VRF info: (vrf in name/id, vrf out name/id)");
        }
        let ident = self.probes.ident();
        self.probes.list.push((
            job,
            Probe::Trace(Trace {
                target,
                src_port: 49152 + ident % 16384,
                next_port: TRACE_PORT,
                ttl: 1,
                probe: 0,
                last_from: None,
                reached: false,
                stop: false,
                out: None,
                done: false,
            }),
        ));
        self.drive_probes(ctx);
    }

    /// Ends every running probe (the router was switched off or reloaded).
    pub(crate) fn kill_probes(&mut self, now: SimTime, jobs: &mut [Job]) {
        for (job, _) in self.probes.list.drain(..) {
            if let Some(j) = jobs.get_mut(job.0 as usize) {
                j.println("\n(the router restarted)");
                j.finish(now, false);
            }
        }
    }

    /// Times out what is due, then sends what the probes want.
    pub(super) fn probe_timeout(&mut self, ctx: &mut Ctx<'_>) {
        let now = ctx.now;
        for (job, p) in &mut self.probes.list {
            if let Some(out) = p.out()
                && p.poll_timeout().is_some_and(|t| t <= now)
                && let Some(j) = ctx.jobs.get_mut(job.0 as usize)
            {
                p.answer(now, now - out.sent, Answer::TimedOut, j);
            }
        }
        self.drive_probes(ctx);
    }

    fn drive_probes(&mut self, ctx: &mut Ctx<'_>) {
        let now = ctx.now;
        let mut i = 0;
        while i < self.probes.list.len() {
            while let Some(w) = self.probes.list[i].1.want() {
                self.probes.list[i].1.set_out(Some(Outstanding {
                    key: w.key,
                    sent: now,
                }));
                let sent = self.send_own(ctx, &w);
                if sent == Sent::ToSelf {
                    // The router answers itself at once.
                    let a = match w.proto {
                        IpProtocol::Icmp => Answer::Echo(w.dst),
                        _ => Answer::Unreachable(w.dst, 3),
                    };
                    let (job, p) = &mut self.probes.list[i];
                    if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
                        p.answer(now, Duration::ZERO, a, j);
                    }
                }
            }
            if self.probes.list[i].1.done() {
                self.probes.list.remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// Sends a packet the router originates for a probe. Unlike a
    /// forwarded packet it does not wait for ARP: it is dropped while the
    /// router asks, as IOS does.
    fn send_own(&mut self, ctx: &mut Ctx<'_>, w: &Want) -> Sent {
        if !w.dst.is_broadcast() && self.is_mine(w.dst) {
            return Sent::ToSelf;
        }
        let Some(route) = self.table.lookup(w.dst).copied() else {
            ctx.note(Note::NoRoute { dst: w.dst });
            return Sent::Dropped;
        };
        let k = route.iface;
        let Some(src) = w.src.or_else(|| self.ifaces[k].addr()) else {
            return Sent::Dropped;
        };
        let payload = if w.proto == IpProtocol::Udp {
            // IOS's probes carry no data.
            packet::udp(src, w.dst, w.src_port, w.key, &[])
        } else {
            w.payload.clone()
        };
        let ident = self.ip_ident;
        self.ip_ident = self.ip_ident.wrapping_add(1);
        let pkt = packet::ipv4(src, w.dst, w.proto, w.ttl, ident, &payload);
        let hop = route.next_hop.unwrap_or(w.dst);
        let iface = &mut self.ifaces[k];
        let broadcast = hop.is_broadcast() || iface.net.is_some_and(|n| n.broadcast() == hop);
        if broadcast {
            iface.send_ip(ctx, k, hop, pkt);
            return Sent::Out;
        }
        match iface.arp.request(ctx.now, hop) {
            Resolve::Known(mac) => {
                ctx.send(
                    k,
                    packet::ethernet(iface.mac, mac, EthernetProtocol::Ipv4, &pkt),
                );
                Sent::Out
            }
            Resolve::SendRequest => {
                iface.send_request(ctx, k, hop);
                Sent::Dropped
            }
            Resolve::Queued | Resolve::QueueFull => Sent::Dropped,
        }
    }

    /// Handles what only the router's own probes and closed ports answer:
    /// ICMP for a running probe, and a unicast UDP datagram for a port the
    /// router does not serve (port unreachable). `bytes` is the IPv4 packet
    /// addressed to the router. Returns whether it was handled here.
    pub(super) fn own_input(&mut self, ctx: &mut Ctx<'_>, in_port: usize, bytes: &[u8]) -> bool {
        let Ok(ip) = Ipv4Packet::new_checked(bytes) else {
            return false;
        };
        let (src, dst) = (ip.src_addr(), ip.dst_addr());
        match ip.next_header() {
            IpProtocol::Icmp => {
                let now = ctx.now;
                for (job, p) in &mut self.probes.list {
                    let Some(out) = p.out() else { continue };
                    let Some((key, a)) = classify(ip.payload(), src, p) else {
                        continue;
                    };
                    if key != out.key {
                        continue;
                    }
                    ctx.note(Note::IcmpToApp { from: src });
                    if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
                        p.answer(now, now - out.sent, a, j);
                    }
                    self.drive_probes(ctx);
                    return true;
                }
                false
            }
            IpProtocol::Udp => {
                let Ok(u) = UdpPacket::new_checked(ip.payload()) else {
                    return false;
                };
                let port = u.dst_port();
                let served = port == lanlab_proto::dhcp::SERVER_PORT
                    || port == lanlab_proto::dhcp::CLIENT_PORT
                    || (port == lanlab_proto::rip::PORT && self.rip().is_some());
                if served
                    || dst.is_broadcast()
                    || self
                        .ifaces
                        .iter()
                        .any(|i| i.net.is_some_and(|n| n.broadcast() == dst))
                {
                    return false;
                }
                ctx.note(Note::PortUnreachable { port });
                self.icmp_error(
                    ctx,
                    Some(in_port),
                    packet::IcmpError::PortUnreachable,
                    bytes,
                );
                true
            }
            _ => false,
        }
    }
}
