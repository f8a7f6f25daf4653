//! A router's RIP process (`router rip`): the `lanlab_proto::rip` engine
//! mounted on the router's interfaces. It hears RIPv2 on UDP 520 sent to
//! 224.0.0.9 (MAC 01:00:5e:00:00:09) or to the router's own address, sends
//! what the engine produces, installs the engine's routes in the routing
//! table, prefix by prefix as they change
//! ([`RouteTable::replace_protocol_routes_for`]), notices a link going
//! down or up at once, and keeps the `debug ip rip` lines for the console.
//!
//! [`RouteTable::replace_protocol_routes_for`]: lanlab_proto::net::RouteTable::replace_protocol_routes_for

use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::rc::Rc;

use lanlab_proto::SimTime;
use lanlab_proto::net::route::RouteOrigin;
use lanlab_proto::net::{Mac, packet};
use lanlab_proto::rip::{self, Interface, Repr, Rip, Settings};
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{IpAddress, IpProtocol, UdpPacket, UdpRepr};

use super::Router;
use crate::device::Ctx;
use crate::lab::Device;
use crate::note::{Named, Note};

/// The Ethernet address of 224.0.0.9 (RFC 1112 §6.4).
pub const RIP_MAC: Mac = Mac([0x01, 0x00, 0x5e, 0x00, 0x00, 0x09]);

/// Most `debug ip rip` lines kept until the console reads them.
const DEBUG_LINES: usize = 400;

/// The RIP process and what the console reads of it.
#[derive(Clone, Debug)]
pub(super) struct RouterRip {
    engine: Rip,
    /// The interfaces and settings the configuration asks for; an
    /// interface whose link is down goes to the engine without its address.
    want: (Vec<Interface>, Settings),
    /// Per interface, whether its link was up when the engine last looked.
    line: Vec<bool>,
    /// `want` or `line` changed since the engine was last configured (it
    /// is, at the next timeout, due at once: `reconfigure` has no time).
    pending: bool,
    debug: bool,
    debug_lines: Vec<String>,
}

impl Router {
    /// Starts, reconfigures or stops RIP after a configuration change.
    pub(super) fn reconfigure_rip(&mut self, d: &Device) {
        let Some(cfg) = &d.ios.rip else {
            if self.rip.take().is_some() {
                self.table
                    .replace_protocol_routes(RouteOrigin::Rip, Vec::new());
            }
            return;
        };
        let ifaces: Vec<Interface> = self
            .ifaces
            .iter()
            .enumerate()
            .map(|(k, i)| Interface {
                net: i.net,
                enabled: i.net.is_some_and(|n| cfg.covers(n.addr)),
                passive: cfg.passive.contains(&k),
                name: i.name.to_string(),
            })
            .collect();
        let settings = Settings {
            auto_summary: !cfg.no_auto_summary,
            default_originate: cfg.default_originate,
        };
        let seed = 0x5249_5000_0000_0000 ^ u64::from(d.id.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let r = self.rip.get_or_insert_with(|| {
            Box::new(RouterRip {
                engine: Rip::new(seed),
                want: (Vec::new(), Settings::default()),
                line: Vec::new(),
                pending: true,
                debug: false,
                debug_lines: Vec::new(),
            })
        });
        if r.want.0 != ifaces || r.want.1 != settings {
            r.want = (ifaces, settings);
            r.pending = true;
        }
    }

    /// A port's link came up: a running RIP process looks at its links at
    /// once (a request and an update out of it); returns whether it will.
    pub(crate) fn link_came_up(&mut self) -> bool {
        match &mut self.rip {
            Some(r) if r.engine.next_update().is_some() => {
                r.pending = true;
                true
            }
            _ => false,
        }
    }

    /// Whether interface `k`'s link is up: its cable port's line (a
    /// sub-interface's is its parent's) and no `shutdown`.
    fn rip_line(&self, ctx: &Ctx<'_>, k: usize) -> bool {
        let port = self.cable_port(k);
        ctx.cabled.get(port).copied().unwrap_or(false) && !self.down.get(k).copied().unwrap_or(true)
    }

    /// Gives the engine the wanted interfaces, those whose link is down
    /// without an address, when they or a link changed: a pulled cable or
    /// `shutdown` drops the routes through it at once and poisons them in
    /// a triggered update, as IOS does, instead of waiting 180 s for them
    /// to turn invalid.
    fn rip_sync(&mut self, ctx: &Ctx<'_>) {
        let line: Vec<bool> = (0..self.ifaces.len())
            .map(|k| self.rip_line(ctx, k))
            .collect();
        let Some(r) = &mut self.rip else { return };
        if r.line != line {
            r.line = line;
            r.pending = true;
        }
        if !std::mem::take(&mut r.pending) {
            return;
        }
        let ifaces: Vec<Interface> = r
            .want
            .0
            .iter()
            .enumerate()
            .map(|(k, i)| Interface {
                net: i.net.filter(|_| r.line.get(k).copied().unwrap_or(false)),
                ..i.clone()
            })
            .collect();
        let same = r.engine.next_update().is_some()
            && r.engine.interfaces() == ifaces.as_slice()
            && *r.engine.settings() == r.want.1;
        if !same {
            r.engine.configure(ctx.now, ifaces, r.want.1.clone());
        }
    }

    /// The RIP engine, when `router rip` is configured.
    pub fn rip(&self) -> Option<&Rip> {
        self.rip.as_ref().map(|r| &r.engine)
    }

    /// Whether `ip` is RIP's group and RIP runs here.
    pub(super) fn wants_rip_group(&self, ip: Ipv4Addr) -> bool {
        self.rip.is_some() && ip == rip::GROUP
    }

    /// A UDP datagram to port 520 arrived on `port`; returns false when
    /// RIP does not run here.
    pub(super) fn rip_input(
        &mut self,
        ctx: &mut Ctx<'_>,
        port: usize,
        src: Ipv4Addr,
        payload: &[u8],
    ) -> bool {
        if self.rip.is_none() {
            return false;
        }
        // A link that came back up is noticed with the first message on it.
        let moved = (0..self.ifaces.len()).any(|k| {
            self.rip.as_ref().and_then(|r| r.line.get(k).copied()) != Some(self.rip_line(ctx, k))
        });
        if moved {
            self.rip_sync(ctx);
        }
        let Some(r) = &mut self.rip else {
            return false;
        };
        let repr = match Repr::from_bytes(payload) {
            Ok(repr) => repr,
            Err(_) => {
                ctx.note(Note::Malformed {
                    what: "RIP message",
                });
                return true;
            }
        };
        if r.debug {
            let name = self.ifaces.get(port).map_or("?", |i| &i.name);
            let mut l = format!(
                "RIP: received v{} {} from {src} on {name}",
                repr.version,
                if repr.command == rip::Command::Request {
                    "request"
                } else {
                    "update"
                }
            );
            if repr.command == rip::Command::Response {
                for e in &repr.entries {
                    if let Some(d) = e.dest() {
                        let _ = write!(l, "\n     {d} via {} in {} hops", e.next_hop, e.metric);
                    }
                }
            }
            push_debug(&mut r.debug_lines, l);
        }
        r.engine.handle_message(ctx.now, port, src, &repr);
        self.drain_rip(ctx);
        true
    }

    /// Timers of the RIP process (and a pending configuration).
    pub(super) fn rip_timeout(&mut self, ctx: &mut Ctx<'_>) {
        if self.rip.is_none() {
            return;
        }
        self.rip_sync(ctx);
        let Some(r) = &mut self.rip else { return };
        if r.engine.poll_timeout().is_some_and(|t| t <= ctx.now) {
            r.engine.handle_timeout(ctx.now);
        }
        self.drain_rip(ctx);
    }

    /// When RIP next needs the router.
    pub(super) fn rip_poll_timeout(&self) -> Option<SimTime> {
        let r = self.rip.as_ref()?;
        if r.pending {
            return Some(SimTime::ZERO);
        }
        r.engine.poll_timeout()
    }

    /// Sends what the engine produced, notes its decisions, installs its routes.
    fn drain_rip(&mut self, ctx: &mut Ctx<'_>) {
        let Some(r) = &mut self.rip else { return };
        let mut out = Vec::new();
        while let Some(t) = r.engine.poll_transmit() {
            out.push(t);
        }
        while let Some(n) = r.engine.poll_note() {
            ctx.note(Note::Rip(Box::new(Named {
                note: n,
                router: self.hostname.clone(),
                names: self.names.clone(),
            })));
        }
        if r.engine.take_rib_changed() {
            // Only the prefixes changed or refreshed since the last time:
            // the table's RIP routes end up equal to `rib_routes()`.
            let table = &mut self.table;
            r.engine.drain_rib_updates(|dest, routes| {
                table.replace_protocol_routes_for(RouteOrigin::Rip, dest, routes);
            });
        }
        for t in out {
            let Some(i) = self.ifaces.get(t.iface) else {
                continue;
            };
            let Some(src) = i.addr() else { continue };
            if let Some(r) = &mut self.rip
                && r.debug
            {
                let what = if t.repr.command == rip::Command::Request {
                    "request"
                } else {
                    "update"
                };
                let mut l = format!(
                    "RIP: sending v2 {}{what} to {} via {} ({src})",
                    if t.triggered { "flash " } else { "" },
                    t.dst,
                    i.name
                );
                if t.repr.command == rip::Command::Response {
                    l.push_str("\nRIP: build update entries");
                    for e in &t.repr.entries {
                        if let Some(d) = e.dest() {
                            let _ = write!(
                                l,
                                "\n\t{d} via {}, metric {}, tag {}",
                                e.next_hop, e.metric, e.tag
                            );
                        }
                    }
                }
                push_debug(&mut r.debug_lines, l);
            }
            let bytes = t.repr.to_bytes();
            let ident = self.ip_ident;
            self.ip_ident = self.ip_ident.wrapping_add(1);
            if t.dst == rip::GROUP {
                // RFC 2453 §4.7 / IOS: multicast updates with TTL 2.
                let head = packet::Ipv4Head {
                    macs: (self.ifaces[t.iface].mac, RIP_MAC),
                    src,
                    dst: t.dst,
                    protocol: IpProtocol::Udp,
                    ttl: 2,
                    ident,
                    dscp: 0,
                };
                ctx.send_shared(t.iface, multicast_frame(&head, &bytes));
            } else {
                let udp = packet::udp(src, t.dst, rip::PORT, rip::PORT, &bytes);
                let pkt = packet::ipv4(src, t.dst, IpProtocol::Udp, super::ROUTER_TTL, ident, &udp);
                self.ifaces[t.iface].send_ip(ctx, t.iface, t.dst, pkt);
            }
        }
    }

    /// `debug ip rip` on or off.
    pub fn set_rip_debug(&mut self, on: bool) {
        if let Some(r) = &mut self.rip {
            r.debug = on;
        }
    }

    /// The `debug ip rip` lines since the last call.
    pub fn take_rip_debug(&mut self) -> Vec<String> {
        self.rip
            .as_mut()
            .map(|r| std::mem::take(&mut r.debug_lines))
            .unwrap_or_default()
    }

    /// `show ip rip database`.
    pub fn show_ip_rip_database(&self, now: SimTime) -> String {
        let Some(r) = &self.rip else {
            return String::new();
        };
        let e = &r.engine;
        let mut rows: Vec<(lanlab_proto::net::Ipv4Net, String)> = Vec::new();
        for (k, i) in e.interfaces().iter().enumerate() {
            if let (true, Some(n)) = (i.enabled, i.net) {
                let _ = k;
                rows.push((
                    n.trunc(),
                    format!("{}    directly connected, {}\n", n.trunc(), i.name),
                ));
            }
        }
        for (dest, l) in e.database() {
            let mut s = format!("{dest}\n");
            for p in &l.paths {
                let name = e.interfaces().get(p.iface).map_or("?", |i| i.name.as_str());
                if l.metric >= rip::INFINITY {
                    let _ = writeln!(
                        s,
                        "    [{}] via {}, {name} (possibly down, holddown)",
                        l.metric, p.via
                    );
                } else {
                    let age = now.saturating_since(p.updated).as_secs();
                    let _ = writeln!(
                        s,
                        "    [{}] via {}, {:02}:{:02}:{:02}, {name}",
                        l.metric,
                        p.via,
                        age / 3600,
                        age / 60 % 60,
                        age % 60
                    );
                }
            }
            rows.push((*dest, s));
        }
        lanlab_proto::order::sort_by_key(&mut rows, |(d, _)| (u32::from(d.addr), d.prefix));
        rows.into_iter().map(|(_, s)| s).collect()
    }

    /// The RIP part of `show ip protocols`.
    pub fn show_ip_protocols(
        &self,
        now: SimTime,
        rip_cfg: Option<&lanlab_doc::rip::RipConfig>,
    ) -> String {
        let (Some(r), Some(cfg)) = (&self.rip, rip_cfg) else {
            return String::new();
        };
        let e = &r.engine;
        let due = e
            .next_update()
            .map_or(0, |t| t.saturating_since(now).as_secs());
        let mut s = String::from("*** IP Routing is NSF aware ***\n\n");
        s.push_str("Routing Protocol is \"rip\"\n");
        s.push_str("  Outgoing update filter list for all interfaces is not set\n");
        s.push_str("  Incoming update filter list for all interfaces is not set\n");
        let _ = writeln!(
            s,
            "  Sending updates every 30 seconds, next due in {due} seconds"
        );
        s.push_str("  Invalid after 180 seconds, hold down 180, flushed after 240\n");
        if cfg.default_originate {
            s.push_str("  Default route originated\n");
        }
        s.push_str("  Redistributing: rip\n");
        s.push_str("  Default version control: send version 2, receive version 2\n");
        s.push_str("    Interface             Send  Recv  Triggered RIP  Key-chain\n");
        for i in e.interfaces() {
            if i.enabled && !i.passive && i.net.is_some() {
                let _ = writeln!(s, "    {:<22}2     2", i.name);
            }
        }
        let _ = writeln!(
            s,
            "  Automatic network summarization is {}in effect",
            if cfg.no_auto_summary { "not " } else { "" }
        );
        s.push_str("  Maximum path: 4\n  Routing for Networks:\n");
        for n in &cfg.networks {
            let _ = writeln!(s, "    {n}");
        }
        let passive: Vec<&str> = e
            .interfaces()
            .iter()
            .filter(|i| i.passive)
            .map(|i| i.name.as_str())
            .collect();
        if !passive.is_empty() {
            s.push_str("  Passive Interface(s):\n");
            for p in passive {
                let _ = writeln!(s, "    {p}");
            }
        }
        s.push_str(
            "  Routing Information Sources:\n    Gateway         Distance      Last Update\n",
        );
        let mut gws: Vec<(Ipv4Addr, SimTime)> = Vec::new();
        for l in e.database().values() {
            for p in &l.paths {
                match gws.iter_mut().find(|(g, _)| *g == p.via) {
                    Some((_, t)) => *t = (*t).max(p.updated),
                    None => gws.push((p.via, p.updated)),
                }
            }
        }
        lanlab_proto::order::sort(&mut gws);
        for (g, t) in gws {
            let _ = writeln!(
                s,
                "    {:<16}{:<14}{}",
                g.to_string(),
                120,
                lanlab_proto::net::route::show::age(now, t)
            );
        }
        s.push_str("  Distance: (default is 120)\n");
        s
    }
}

/// The frame of a multicast update (`message`, a RIP message of at most
/// 25 entries), built straight into the buffer it travels in: the bytes
/// `packet::udp`, `packet::ipv4` and `packet::ethernet` would build one
/// after the other, with one allocation and one copy of the message.
fn multicast_frame(head: &packet::Ipv4Head, message: &[u8]) -> Rc<[u8]> {
    const HEAD: usize = 14 + 20;
    let mut buf: Rc<[u8]> = std::iter::repeat_n(0u8, HEAD + 8 + message.len()).collect();
    let b = Rc::get_mut(&mut buf).expect("not shared yet");
    let filled = head.fill(b);
    debug_assert!(filled, "a RIP message fits the MTU");
    UdpRepr {
        src_port: rip::PORT,
        dst_port: rip::PORT,
    }
    .emit(
        &mut UdpPacket::new_unchecked(&mut b[HEAD..]),
        &IpAddress::Ipv4(head.src),
        &IpAddress::Ipv4(head.dst),
        message.len(),
        |p| p.copy_from_slice(message),
        &ChecksumCapabilities::default(),
    );
    debug_assert_eq!(
        buf,
        head.frame_rc(&packet::udp(
            head.src,
            head.dst,
            rip::PORT,
            rip::PORT,
            message
        ))
    );
    buf
}

fn push_debug(lines: &mut Vec<String>, l: String) {
    if lines.len() < DEBUG_LINES {
        lines.push(l);
    }
}
