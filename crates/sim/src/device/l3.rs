//! What hosts and routers share: an IPv4 interface with its ARP cache, and
//! sending an IPv4 packet to a next hop on it (RFC 826, RFC 1122 §2.3.2).

use std::net::Ipv4Addr;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::net::{ArpCache, ArpTimeout, Ipv4Net, Mac, Resolve, packet};
use smoltcp::wire::{ArpOperation, ArpPacket, ArpRepr, EthernetProtocol};

use super::Ctx;
use crate::lab::MacAddr;
use crate::note::{Note, PortName};

pub(crate) fn mac(m: MacAddr) -> Mac {
    Mac(m.0)
}

pub(crate) fn lab_mac(m: Mac) -> MacAddr {
    MacAddr(m.0)
}

/// An IPv4 interface: name, MAC, address, ARP cache.
#[derive(Clone, Debug)]
pub(crate) struct L3Iface {
    pub name: PortName,
    pub mac: Mac,
    pub net: Option<Ipv4Net>,
    pub arp: ArpCache,
}

impl L3Iface {
    pub fn new(name: &str, m: MacAddr, net: Option<Ipv4Net>, arp_ttl: Duration) -> Self {
        L3Iface {
            name: name.into(),
            mac: mac(m),
            net,
            arp: ArpCache::new(arp_ttl),
        }
    }

    pub fn addr(&self) -> Option<Ipv4Addr> {
        self.net.map(|n| n.addr)
    }

    /// Handles an ARP packet that arrived on this interface (port `port`).
    pub fn handle_arp(&mut self, ctx: &mut Ctx<'_>, port: usize, payload: &[u8]) {
        let Ok(p) = ArpPacket::new_checked(payload) else {
            ctx.note(Note::Malformed { what: "ARP packet" });
            return;
        };
        let Ok(ArpRepr::EthernetIpv4 {
            operation,
            source_hardware_addr: sha,
            source_protocol_addr: spa,
            target_protocol_addr: tpa,
            ..
        }) = ArpRepr::parse(&p)
        else {
            ctx.note(Note::Malformed { what: "ARP packet" });
            return;
        };
        let Some(me) = self.addr() else {
            ctx.note(Note::Unsupported {
                what: "ARP on an interface without an IPv4 address",
            });
            return;
        };
        if tpa != me {
            // RFC 826: update the sender if we already know it, nothing more.
            self.arp.refresh(ctx.now, spa, sha);
            if operation == ArpOperation::Request {
                ctx.note(Note::ArpNotForMe { target: tpa });
            }
            return;
        }
        if self.arp.lookup(ctx.now, spa) != Some(sha) {
            ctx.note(Note::ArpLearned {
                ip: spa,
                mac: lab_mac(sha),
            });
        }
        let released = self.arp.learn(ctx.now, spa, sha);
        if operation == ArpOperation::Request {
            let reply = packet::arp(ArpOperation::Reply, self.mac, me, sha, spa);
            ctx.send_shared(
                port,
                packet::ethernet_rc(self.mac, sha, EthernetProtocol::Arp, &reply),
            );
            ctx.note(Note::ArpReplied { ip: me, to: spa });
        }
        for pkt in released {
            ctx.send_shared(
                port,
                packet::ethernet_rc(self.mac, sha, EthernetProtocol::Ipv4, &pkt),
            );
        }
    }

    /// Sends an IPv4 packet to `next_hop` on this interface, resolving its MAC.
    /// The MAC address [`L3Iface::send_ip`] sends to `next_hop` at once,
    /// without broadcasting or asking ARP: a unicast next hop ARP knows.
    pub fn known_unicast_mac(&self, now: SimTime, next_hop: Ipv4Addr) -> Option<Mac> {
        if self.is_broadcast(next_hop) {
            return None;
        }
        self.arp.lookup(now, next_hop)
    }

    fn is_broadcast(&self, next_hop: Ipv4Addr) -> bool {
        next_hop.is_broadcast() || self.net.is_some_and(|n| n.broadcast() == next_hop)
    }

    pub fn send_ip(&mut self, ctx: &mut Ctx<'_>, port: usize, next_hop: Ipv4Addr, pkt: Vec<u8>) {
        if self.is_broadcast(next_hop) {
            ctx.send_shared(
                port,
                packet::ethernet_rc(self.mac, Mac::BROADCAST, EthernetProtocol::Ipv4, &pkt),
            );
            return;
        }
        if let Some(m) = self.arp.lookup(ctx.now, next_hop) {
            ctx.send_shared(
                port,
                packet::ethernet_rc(self.mac, m, EthernetProtocol::Ipv4, &pkt),
            );
            return;
        }
        match self.arp.resolve(ctx.now, next_hop, pkt) {
            Resolve::SendRequest => self.send_request(ctx, port, next_hop),
            Resolve::Queued => ctx.note(Note::ArpQueued { ip: next_hop }),
            Resolve::QueueFull => ctx.note(Note::ArpFailed {
                ip: next_hop,
                dropped: 1,
            }),
            Resolve::Known(_) => unreachable!("looked up just before"),
        }
    }

    pub(crate) fn send_request(&mut self, ctx: &mut Ctx<'_>, port: usize, ip: Ipv4Addr) {
        let Some(me) = self.addr() else { return };
        let req = packet::arp(ArpOperation::Request, self.mac, me, Mac([0; 6]), ip);
        ctx.send_shared(
            port,
            packet::ethernet_rc(self.mac, Mac::BROADCAST, EthernetProtocol::Arp, &req),
        );
        ctx.note(Note::ArpRequested { ip });
    }

    /// Retries due ARP requests; returns the packets of neighbours that never answered.
    pub fn handle_timeout(&mut self, ctx: &mut Ctx<'_>, port: usize) -> Vec<Vec<u8>> {
        let mut lost = Vec::new();
        for t in self.arp.handle_timeout(ctx.now) {
            match t {
                ArpTimeout::Retry(ip) => self.send_request(ctx, port, ip),
                ArpTimeout::GaveUp { ip, dropped } => {
                    ctx.note(Note::ArpFailed {
                        ip,
                        dropped: dropped.len(),
                    });
                    lost.extend(dropped);
                }
            }
        }
        lost
    }
}
