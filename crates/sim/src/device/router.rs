//! A router: IPv4 interfaces, connected and static routes with
//! longest-prefix match, ARP per interface, TTL, and ICMP errors
//! (RFC 1812: §5.2.4 routing, §5.3.1 TTL, §4.3.2 ICMP errors), and NAT
//! around the route lookup (`router::nat`), and 802.1Q sub-interfaces
//! (`router::subif`, router on a stick).

use std::net::Ipv4Addr;
use std::rc::Rc;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::net::{Route, RouteTable, packet};
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{
    EthernetFrame, EthernetProtocol, Icmpv4Message, Icmpv4Packet, Icmpv4Repr, IpProtocol,
    Ipv4Packet,
};

use super::Ctx;
use super::l3::{L3Iface, lab_mac};
use crate::lab::Device;
use crate::note::Note;

mod nat;
mod ospf;
mod ping;
mod rip;
mod services;
mod subif;
mod vty;

pub use vty::VtySession;

/// A router's TTL for packets it originates (Cisco's 255).
pub const ROUTER_TTL: u8 = 255;
/// How long a router keeps an ARP entry (Cisco: 4 hours).
pub const ROUTER_ARP_TTL: Duration = Duration::from_secs(4 * 3600);

/// Packets a router holds per neighbour while ARP resolves it.
pub const ROUTER_ARP_QUEUE: usize = 2048;

/// The running state of a router.
#[derive(Clone, Debug)]
pub struct Router {
    ifaces: Vec<L3Iface>,
    table: RouteTable,
    ip_ident: u16,
    acl: Option<Box<lanlab_proto::firewall::AclEngine>>,
    relay: Option<Box<lanlab_proto::dhcp::Relay>>,
    /// `ip dhcp pool`: the router as DHCP server on its interfaces.
    dhcp: Option<Box<lanlab_proto::dhcp::Server>>,
    /// Ports that are administratively down (`shutdown`).
    down: Vec<bool>,
    /// Ports with `no ip unreachables`: no ICMP destination unreachable
    /// about packets received on them.
    quiet: Vec<bool>,
    /// Telnet on TCP 23 (`line vty 0 4`).
    vty: Box<vty::Vty>,
    /// `ping` and `traceroute` typed at the console, running.
    probes: ping::Probes,
    /// NAT (`ip nat …`), when configured.
    nat: Option<Box<nat::RouterNat>>,
    /// RIP (`router rip`), when configured.
    rip: Option<Box<rip::RouterRip>>,
    /// OSPF (`router ospf N`), when configured.
    ospf: Option<Box<ospf::RouterOspf>>,
    /// `debug ip ospf adj` is on.
    ospf_debug: bool,
    /// A link went down or a port was (un)shut: the routing processes look
    /// at their links at once (a timer due now) instead of at their next timer.
    link_check: bool,
    /// This router's hostname and the lab's router names, for OSPF and RIP notes.
    hostname: Rc<str>,
    names: crate::note::RouterNames,
    /// 802.1Q sub-interfaces (`router::subif`): interfaces past the ports.
    subifs: subif::SubIfs,
    /// Whether packets for other hosts are routed (always on a router; a
    /// multilayer switch's `ip routing`).
    forwarding: bool,
}

impl Router {
    /// A router just switched on.
    pub fn new(d: &Device) -> Self {
        let mut r = Router {
            ifaces: Vec::new(),
            table: RouteTable::new(),
            ip_ident: 1,
            acl: None,
            relay: None,
            dhcp: None,
            down: Vec::new(),
            quiet: Vec::new(),
            vty: Box::new(vty::Vty::new(
                0x7e1e_7000_0000_0000 ^ u64::from(d.id.0).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            )),
            probes: ping::Probes::default(),
            nat: None,
            rip: None,
            ospf: None,
            ospf_debug: false,
            link_check: false,
            hostname: Rc::from(d.name.as_str()),
            names: crate::note::RouterNames::default(),
            subifs: subif::SubIfs::default(),
            forwarding: true,
        };
        r.reconfigure(d);
        r
    }

    /// Applies interface addresses and static routes; keeps ARP caches.
    pub fn reconfigure(&mut self, d: &Device) {
        let old = std::mem::take(&mut self.ifaces);
        // Connected and static routes are rebuilt; protocol routes stay.
        self.table.clear_configured();
        let down: Vec<bool> = d.ports.iter().map(|p| p.shutdown).collect();
        if !self.down.is_empty() && down != self.down {
            self.link_went_down();
        }
        self.down = down;
        if *self.hostname != *d.name {
            self.hostname = Rc::from(d.name.as_str());
        }
        self.quiet = (0..d.ports.len())
            .map(|k| d.ios.no_unreachables.contains(&k))
            .collect();
        for (i, p) in d.ports.iter().enumerate() {
            // A shut-down interface has no connected route and takes no frames.
            let net =
                p.ip.as_static()
                    .and_then(|s| s.net())
                    .filter(|_| !p.shutdown);
            let mut l3 = L3Iface::new(&p.name, p.mac, net, ROUTER_ARP_TTL);
            // Like Linux' unres_qlen_bytes (~200 KB): a router holds many
            // packets for a neighbour being resolved.
            l3.arp = l3.arp.with_queue_limit(ROUTER_ARP_QUEUE);
            if let Some(o) = old.get(i)
                && o.net == net
            {
                l3.arp = o.arp.clone();
            }
            if let Some(n) = net {
                self.table.add_connected(i, n);
            }
            self.ifaces.push(l3);
        }
        self.reconfigure_subifs(d, &old);
        for r in &d.routes {
            if let Some(dest) = r.dest() {
                self.table
                    .add_static_with_distance(dest, r.next_hop, r.distance());
            }
        }
        self.reconfigure_services(d);
        self.reconfigure_nat(d);
        self.reconfigure_rip(d);
        self.reconfigure_ospf(d);
    }

    /// Turns routing between the interfaces on or off (a multilayer
    /// switch's `ip routing`); off, the router only answers for itself.
    pub fn set_forwarding(&mut self, on: bool) {
        self.forwarding = on;
    }

    /// Interface names, in port order.
    pub fn interface_names(&self) -> Vec<String> {
        self.ifaces.iter().map(|i| i.name.to_string()).collect()
    }

    /// Interface addresses, in port order.
    pub fn interface_addresses(&self) -> Vec<Option<lanlab_proto::net::Ipv4Net>> {
        self.ifaces.iter().map(|i| i.net).collect()
    }

    /// The installed routes, longest prefix first (`show ip route`).
    pub fn routes(&self) -> &[Route] {
        self.table.routes()
    }

    /// The routing table: installed routes and the candidates behind them.
    pub fn route_table(&self) -> &RouteTable {
        &self.table
    }

    /// The ARP entries of interface `k`.
    pub fn arp_entries(&self, k: usize, now: SimTime) -> Vec<lanlab_proto::net::ArpEntry> {
        self.ifaces
            .get(k)
            .map(|i| i.arp.entries(now).copied().collect())
            .unwrap_or_default()
    }

    fn is_mine(&self, ip: Ipv4Addr) -> bool {
        ip.is_broadcast()
            || self
                .ifaces
                .iter()
                .any(|i| i.net.is_some_and(|n| n.addr == ip || n.broadcast() == ip))
    }

    pub(crate) fn handle_frame(&mut self, ctx: &mut Ctx<'_>, port: usize, frame: &Rc<[u8]>) {
        // 802.1Q: a tagged frame belongs to its VLAN's sub-interface.
        let inner;
        let (port, frame): (usize, &[u8]) = match self.subif_in(ctx, port, frame) {
            subif::Arrival::Port(k) => (k, &frame[..]),
            subif::Arrival::Sub(k, untagged) => {
                inner = untagged;
                (k, &inner[..])
            }
            subif::Arrival::Drop => return,
        };
        let Ok(eth) = EthernetFrame::new_checked(frame) else {
            ctx.note(Note::Malformed {
                what: "Ethernet frame",
            });
            return;
        };
        if self.down.get(port).copied().unwrap_or(false) {
            return;
        }
        let dst = eth.dst_addr();
        let group = self.ospf_group_mac(dst);
        let rip_on = self.rip.is_some();
        let Some(iface) = self.ifaces.get_mut(port) else {
            return;
        };
        let rip_group = rip_on && dst == rip::RIP_MAC;
        if !(dst == iface.mac || dst.is_broadcast() || group || rip_group) {
            ctx.note(Note::NotForMe { dst: lab_mac(dst) });
            return;
        }
        match eth.ethertype() {
            EthernetProtocol::Arp => iface.handle_arp(ctx, port, eth.payload()),
            EthernetProtocol::Ipv4 => self.handle_ipv4(ctx, port, eth.payload()),
            _ => ctx.note(Note::Unsupported {
                what: "this EtherType",
            }),
        }
    }

    fn handle_ipv4(&mut self, ctx: &mut Ctx<'_>, in_port: usize, bytes: &[u8]) {
        let Ok(ip) = Ipv4Packet::new_checked(bytes) else {
            ctx.note(Note::Malformed {
                what: "IPv4 packet",
            });
            return;
        };
        if !ip.verify_checksum() {
            ctx.note(Note::Malformed {
                what: "IPv4 packet (bad checksum)",
            });
            return;
        }
        let total = usize::from(ip.total_len()).min(bytes.len());
        let bytes = &bytes[..total];
        let (src, dst, ttl) = (ip.src_addr(), ip.dst_addr(), ip.hop_limit());
        if !self.acl_allows(ctx, in_port, lanlab_proto::firewall::Direction::In, bytes) {
            self.admin_prohibited(ctx, in_port, bytes);
            return;
        }
        // NAT outside → inside, before the route lookup.
        let translated;
        let (bytes, dst) = match self.nat_inbound(ctx, in_port, bytes) {
            nat::Inbound::Pass => (bytes, dst),
            nat::Inbound::Drop => return,
            nat::Inbound::Translated(b) => {
                translated = b;
                let dst = Ipv4Packet::new_unchecked(&translated[..]).dst_addr();
                (&translated[..], dst)
            }
        };
        let ip = Ipv4Packet::new_unchecked(bytes);
        if (dst.is_multicast() || self.is_mine(dst))
            && self.ospf_input(ctx, in_port, src, dst, ip.next_header(), ip.payload())
        {
            return;
        }
        if self.wants_rip_group(dst) || self.is_mine(dst) {
            if ip.next_header() == IpProtocol::Tcp {
                self.tcp_input(ctx, src, dst, ip.payload());
                return;
            }
            if self.own_input(ctx, in_port, bytes) {
                return;
            }
            self.handle_local(ctx, in_port, src, ip.next_header(), ip.payload());
            return;
        }
        if !self.forwarding {
            ctx.note(Note::NotRouting { dst });
            return;
        }
        // RFC 1812 §5.3.1: a packet whose TTL would reach zero is dropped
        // and an ICMP Time Exceeded sent back.
        if ttl <= 1 {
            ctx.note(Note::TtlExpired { src, dst });
            self.icmp_error(ctx, Some(in_port), packet::IcmpError::TtlExceeded, bytes);
            return;
        }
        let Some(route) = self.table.lookup_flow(src, dst).copied() else {
            ctx.note(Note::NoRoute { dst });
            self.icmp_error(ctx, Some(in_port), packet::IcmpError::NetUnreachable, bytes);
            return;
        };
        let mut out = bytes.to_vec();
        // NAT inside → outside, after the route lookup.
        if !self.nat_outbound(ctx, in_port, route.iface, &mut out) {
            return;
        }
        if !self.acl_allows(
            ctx,
            route.iface,
            lanlab_proto::firewall::Direction::Out,
            &out,
        ) {
            // Told about the packet as its source sent it (before NAT).
            self.admin_prohibited(ctx, in_port, bytes);
            return;
        }
        {
            let mut p = Ipv4Packet::new_unchecked(&mut out[..]);
            p.set_hop_limit(ttl - 1);
            p.fill_checksum();
        }
        let hop = route.next_hop.unwrap_or(dst);
        ctx.note(Note::Forwarded {
            dst,
            via: route.next_hop,
            port: self.ifaces[route.iface].name.clone(),
            ttl: ttl - 1,
        });
        self.ifaces[route.iface].send_ip(ctx, route.iface, hop, out);
    }

    fn handle_local(
        &mut self,
        ctx: &mut Ctx<'_>,
        in_port: usize,
        src: Ipv4Addr,
        proto: IpProtocol,
        payload: &[u8],
    ) {
        if proto == IpProtocol::Udp
            && let Ok(u) = smoltcp::wire::UdpPacket::new_checked(payload)
            && u.dst_port() == lanlab_proto::rip::PORT
            && self.rip_input(ctx, in_port, src, u.payload())
        {
            return;
        }
        if proto == IpProtocol::Udp
            && let Ok(u) = smoltcp::wire::UdpPacket::new_checked(payload)
            && u.dst_port() == lanlab_proto::dhcp::SERVER_PORT
            && (self.relay_input(ctx, in_port, u.payload())
                || self.dhcp_input(ctx, in_port, u.payload()))
        {
            return;
        }
        if proto != IpProtocol::Icmp {
            ctx.note(Note::Unsupported {
                what: "this IP protocol on a router",
            });
            return;
        }
        let Ok(p) = Icmpv4Packet::new_checked(payload) else {
            return;
        };
        if let Ok(Icmpv4Repr::EchoRequest {
            ident,
            seq_no,
            data,
        }) = Icmpv4Repr::parse(&p, &ChecksumCapabilities::default())
        {
            let reply = packet::icmp_echo(true, ident, seq_no, data);
            if self.originate(ctx, None, src, &reply) {
                ctx.note(Note::EchoReplied { to: src });
            }
        }
    }

    /// An access list denied `original`, received on `in_port`: RFC 1812
    /// §5.2.7.1 sends ICMP destination unreachable, communication
    /// administratively prohibited, back to its source, unless the
    /// interface has `no ip unreachables`.
    fn admin_prohibited(&mut self, ctx: &mut Ctx<'_>, in_port: usize, original: &[u8]) {
        if self.quiet.get(in_port).copied().unwrap_or(false) {
            return;
        }
        let Ok(ip) = Ipv4Packet::new_checked(original) else {
            return;
        };
        let (to, dst) = (ip.src_addr(), ip.dst_addr());
        if self.icmp_error(
            ctx,
            Some(in_port),
            packet::IcmpError::AdminProhibited,
            original,
        ) {
            ctx.note(Note::AdminProhibitedSent { to, dst });
        }
    }

    /// Sends an ICMP error about `original` back to its source. Never about
    /// an ICMP error (RFC 1122 §3.2.2), and no destination unreachable
    /// about a packet that came in on an interface with `no ip
    /// unreachables`. Returns whether one was sent.
    fn icmp_error(
        &mut self,
        ctx: &mut Ctx<'_>,
        in_port: Option<usize>,
        kind: packet::IcmpError,
        original: &[u8],
    ) -> bool {
        if kind != packet::IcmpError::TtlExceeded
            && in_port.is_some_and(|k| self.quiet.get(k).copied().unwrap_or(false))
        {
            return false;
        }
        let Ok(ip) = Ipv4Packet::new_checked(original) else {
            return false;
        };
        if ip.next_header() == IpProtocol::Icmp
            && let Ok(p) = Icmpv4Packet::new_checked(ip.payload())
            && !matches!(
                p.msg_type(),
                Icmpv4Message::EchoRequest | Icmpv4Message::EchoReply
            )
        {
            return false;
        }
        let src = ip.src_addr();
        match packet::icmp_error(kind, original) {
            Some(msg) => self.originate(ctx, in_port, src, &msg),
            None => false,
        }
    }

    /// Sends an ICMP message the router itself originates, from the address
    /// of `from_iface` (or of the outgoing interface).
    fn originate(
        &mut self,
        ctx: &mut Ctx<'_>,
        from_iface: Option<usize>,
        dst: Ipv4Addr,
        icmp: &[u8],
    ) -> bool {
        let Some(route) = self.table.lookup(dst).copied() else {
            ctx.note(Note::NoRoute { dst });
            return false;
        };
        let src = from_iface
            .and_then(|k| self.ifaces[k].addr())
            .or_else(|| self.ifaces[route.iface].addr());
        let Some(src) = src else { return false };
        let ident = self.ip_ident;
        self.ip_ident = self.ip_ident.wrapping_add(1);
        let pkt = packet::ipv4(src, dst, IpProtocol::Icmp, ROUTER_TTL, ident, icmp);
        let hop = route.next_hop.unwrap_or(dst);
        self.ifaces[route.iface].send_ip(ctx, route.iface, hop, pkt);
        true
    }

    /// Every `debug ip …` line printed since the last call, as the console
    /// shows them: RIP's, then NAT's, then OSPF's.
    pub fn take_debug(&mut self) -> Vec<String> {
        let mut lines = self.take_rip_debug();
        lines.extend(self.take_nat_debug());
        lines.extend(self.take_ospf_debug());
        lines
    }

    /// When the router next needs its timeout handling.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        // The earliest of them all, kept in one variable (asked after
        // every event of every router).
        let mut t: Option<SimTime> = None;
        let mut min = |x: Option<SimTime>| {
            if let Some(x) = x {
                t = Some(t.map_or(x, |t| t.min(x)));
            }
        };
        for i in &self.ifaces {
            min(i.arp.poll_timeout());
        }
        min(self.dhcp.as_ref().and_then(|s| s.poll_timeout()));
        min(self.vty_poll_timeout());
        min(self.probes.poll_timeout());
        min(self.nat_poll_timeout());
        min(self.rip_poll_timeout());
        min(self.ospf_poll_timeout());
        min(self.link_check.then_some(SimTime::ZERO));
        t
    }

    /// Gives the router the lab's router names for its OSPF and RIP notes.
    pub(crate) fn set_router_names(&mut self, names: crate::note::RouterNames) {
        self.names = names;
    }

    /// The addresses the lab's other routers know this one by, for their
    /// notes: its interface addresses and its OSPF router ID.
    pub(crate) fn name_keys(&self) -> Vec<Ipv4Addr> {
        self.ifaces
            .iter()
            .filter_map(|i| i.addr())
            .chain(self.ospf_router_id())
            .collect()
    }

    /// Whether interface `k` is administratively down.
    pub fn is_shutdown(&self, k: usize) -> bool {
        self.down.get(k).copied().unwrap_or(false)
    }

    pub(crate) fn handle_timeout(&mut self, ctx: &mut Ctx<'_>) {
        self.dhcp_timeout(ctx);
        self.vty_timeout(ctx);
        self.probe_timeout(ctx);
        self.nat_timeout(ctx.now);
        self.rip_timeout(ctx);
        self.ospf_timeout(ctx);
        self.link_check = false;
        for k in 0..self.ifaces.len() {
            let lost = self.ifaces[k].handle_timeout(ctx, k);
            for pkt in lost {
                let Ok(ip) = Ipv4Packet::new_checked(&pkt[..]) else {
                    continue;
                };
                let (src, dst) = (ip.src_addr(), ip.dst_addr());
                if self.is_mine(src) {
                    continue;
                }
                ctx.note(Note::HostUnreachableSent { to: src, dst });
                self.icmp_error(ctx, None, packet::IcmpError::HostUnreachable, &pkt);
            }
        }
    }
}
