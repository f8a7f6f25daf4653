//! What a router adds to forwarding: access lists per interface and
//! direction (Cisco IOS semantics: first match, implicit deny) and the DHCP
//! relay agent on interfaces with helper addresses (RFC 2131 §4.1, RFC 1542),
//! and the DHCP server of `ip dhcp pool` (the same engine a server runs,
//! RFC 2131 §4.3), answering on every interface without a helper address.

use std::net::Ipv4Addr;

use lanlab_proto::dhcp::{
    Arrival, Destination, Message, Relay, RelayConfig, RelayInterface, Server, Transmit,
};
use lanlab_proto::firewall::{AclEngine, Direction, PacketInfo};
use lanlab_proto::net::{Mac, packet};
use smoltcp::wire::{EthernetProtocol, IpProtocol};

use super::{ROUTER_TTL, Router};
use crate::device::Ctx;
use crate::lab::Device;
use crate::note::Note;

impl Router {
    /// Applies the device's access lists and relay settings; keeps hit
    /// counters when the lists did not change.
    pub(super) fn reconfigure_services(&mut self, d: &Device) {
        match (&mut self.acl, &d.services.acl) {
            (Some(e), Some(c)) if e.config() == c => {}
            (_, Some(c)) => self.acl = Some(Box::new(AclEngine::new(c.clone()))),
            (_, None) => self.acl = None,
        }
        let interfaces: Vec<RelayInterface> = d
            .services
            .dhcp_relay
            .iter()
            .filter_map(|r| {
                let k = d.port_index(&r.interface)?;
                Some(RelayInterface {
                    address: self.ifaces.get(k)?.addr()?,
                    helpers: r.helpers.clone(),
                })
            })
            .chain(self.subif_relays(d))
            .collect();
        self.relay = if interfaces.is_empty() {
            None
        } else {
            Some(Box::new(Relay::new(RelayConfig::new(interfaces))))
        };
        match (&mut self.dhcp, d.services.dhcp_on()) {
            (Some(s), Some(c)) if s.config() == c => {}
            (Some(s), Some(c)) => s.set_config(c.clone()),
            (None, Some(c)) => self.dhcp = Some(Box::new(Server::new(c.clone()))),
            (_, None) => self.dhcp = None,
        }
    }

    /// The DHCP server of `ip dhcp pool`, if pools are configured.
    pub fn dhcp_server(&self) -> Option<&Server> {
        self.dhcp.as_deref()
    }

    /// A datagram to UDP 67 on `port` when no relay takes it: the router's
    /// own DHCP server answers. Returns false when none runs.
    pub(super) fn dhcp_input(&mut self, ctx: &mut Ctx<'_>, port: usize, payload: &[u8]) -> bool {
        let Some(addr) = self.ifaces.get(port).and_then(|i| i.addr()) else {
            return false;
        };
        let Some(server) = &mut self.dhcp else {
            return false;
        };
        match Message::from_bytes(payload) {
            Ok(m) => server.handle_message(ctx.now, Arrival { interface: addr }, &m),
            Err(_) => ctx.note(Note::Malformed {
                what: "DHCP message",
            }),
        }
        self.drain_dhcp(ctx, port);
        true
    }

    /// Lease expiry and offer holds of the router's DHCP server.
    pub(super) fn dhcp_timeout(&mut self, ctx: &mut Ctx<'_>) {
        let Some(server) = &mut self.dhcp else { return };
        if server.poll_timeout().is_some_and(|t| t <= ctx.now) {
            server.handle_timeout(ctx.now);
            self.drain_dhcp(ctx, 0);
        }
    }

    fn drain_dhcp(&mut self, ctx: &mut Ctx<'_>, port: usize) {
        let Some(server) = &mut self.dhcp else { return };
        let mut out = Vec::new();
        while let Some(t) = server.poll_transmit() {
            out.push(t);
        }
        while let Some(n) = server.poll_note() {
            ctx.note(Note::DhcpServer(n));
        }
        self.send_dhcp(ctx, port, out);
    }

    /// `show access-lists`, with hit counters.
    pub fn show_access_lists(&self) -> String {
        self.acl
            .as_ref()
            .map(|a| a.show_access_lists())
            .unwrap_or_default()
    }

    /// The DHCP relay agent, if an interface has helper addresses.
    pub fn dhcp_relay(&self) -> Option<&Relay> {
        self.relay.as_deref()
    }

    /// Whether the ACL bound to `port` in `direction` lets `pkt` through
    /// (notes a drop with the entry that decided).
    pub(super) fn acl_allows(
        &mut self,
        ctx: &mut Ctx<'_>,
        port: usize,
        direction: Direction,
        pkt: &[u8],
    ) -> bool {
        let Some(acl) = &mut self.acl else {
            return true;
        };
        let Some(name) = self.ifaces.get(port).map(|i| i.name.clone()) else {
            return true;
        };
        if acl.config().bound(&name, direction).is_none() {
            return true;
        }
        let Ok(info) = PacketInfo::parse_ipv4(pkt) else {
            return true;
        };
        let v = acl.check(&name, direction, &info);
        if v.allowed() {
            return true;
        }
        ctx.note(v.note);
        false
    }

    /// A datagram to UDP 67 reached the router on `port`: relay it.
    /// Returns false when this interface does not relay.
    pub(super) fn relay_input(&mut self, ctx: &mut Ctx<'_>, port: usize, payload: &[u8]) -> bool {
        let Some(relay) = &mut self.relay else {
            return false;
        };
        let Some(addr) = self.ifaces.get(port).and_then(|i| i.addr()) else {
            return false;
        };
        relay.handle_bytes(addr, payload);
        let mut out = Vec::new();
        while let Some(t) = relay.poll_transmit() {
            out.push(t);
        }
        while let Some(n) = relay.poll_note() {
            ctx.note(Note::DhcpRelay(n));
        }
        self.send_dhcp(ctx, port, out);
        true
    }

    /// Sends what the relay or the server produced, each from the interface
    /// that owns its source address (else `port`).
    fn send_dhcp(&mut self, ctx: &mut Ctx<'_>, port: usize, out: Vec<Transmit>) {
        for t in out {
            let bytes = t.message.to_bytes();
            let k = self
                .ifaces
                .iter()
                .position(|i| i.addr() == Some(t.src))
                .unwrap_or(port);
            match t.dst {
                Destination::Unicast { ip, port: dport } => {
                    let udp = packet::udp(t.src, ip, t.src_port, dport, &bytes);
                    self.originate_ip(ctx, t.src, ip, IpProtocol::Udp, &udp);
                }
                Destination::Broadcast { port: dport } => {
                    self.raw_udp(
                        ctx,
                        k,
                        t.src,
                        t.src_port,
                        Ipv4Addr::BROADCAST,
                        dport,
                        Mac::BROADCAST,
                        &bytes,
                    );
                }
                Destination::Hardware {
                    ip,
                    mac,
                    port: dport,
                } => {
                    self.raw_udp(ctx, k, t.src, t.src_port, ip, dport, Mac(mac.0), &bytes);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn raw_udp(
        &mut self,
        ctx: &mut Ctx<'_>,
        k: usize,
        src: Ipv4Addr,
        src_port: u16,
        dst: Ipv4Addr,
        dst_port: u16,
        to: Mac,
        payload: &[u8],
    ) {
        let udp = packet::udp(src, dst, src_port, dst_port, payload);
        let ident = self.ip_ident;
        self.ip_ident = self.ip_ident.wrapping_add(1);
        let pkt = packet::ipv4(src, dst, IpProtocol::Udp, ROUTER_TTL, ident, &udp);
        let Some(i) = self.ifaces.get(k) else { return };
        ctx.send_shared(
            k,
            packet::ethernet_rc(i.mac, to, EthernetProtocol::Ipv4, &pkt),
        );
    }

    /// Sends a packet the router originates from address `src`, routed.
    pub(super) fn originate_ip(
        &mut self,
        ctx: &mut Ctx<'_>,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        proto: IpProtocol,
        payload: &[u8],
    ) {
        let Some(route) = self.table.lookup(dst).copied() else {
            ctx.note(Note::NoRoute { dst });
            return;
        };
        let ident = self.ip_ident;
        self.ip_ident = self.ip_ident.wrapping_add(1);
        let pkt = packet::ipv4(src, dst, proto, ROUTER_TTL, ident, payload);
        let hop = route.next_hop.unwrap_or(dst);
        self.ifaces[route.iface].send_ip(ctx, route.iface, hop, pkt);
    }
}
