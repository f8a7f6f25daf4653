//! Router sub-interfaces (`interface g0/0.10`, `encapsulation dot1Q 10
//! [native]`): router on a stick. Each configured sub-interface is one more
//! IPv4 interface after the physical ports, with the parent port's MAC; a
//! frame tagged for its VLAN (or untagged, for the native one) arriving on
//! the parent is handed to it, and what it sends leaves the parent tagged
//! ([`Router::egress`], applied as the engine puts frames on cables).

use std::rc::Rc;

use lanlab_proto::dhcp::RelayInterface;
use lanlab_proto::net::{Ipv4Net, dot1q};

use super::{ROUTER_ARP_QUEUE, ROUTER_ARP_TTL, Router};
use crate::device::Ctx;
use crate::device::l3::L3Iface;
use crate::lab::Device;
use crate::note::Note;

/// One running sub-interface.
#[derive(Clone, Debug)]
struct Sub {
    /// The physical port.
    port: usize,
    /// Its VLAN.
    vlan: u16,
    /// Whether its frames go untagged.
    native: bool,
}

/// The sub-interfaces of a router: interface index `ports + i` is `subs[i]`.
#[derive(Clone, Debug, Default)]
pub(super) struct SubIfs {
    ports: usize,
    subs: Vec<Sub>,
}

/// Where an arriving frame goes.
pub(super) enum Arrival {
    /// The physical interface (untagged, no native sub-interface).
    Port(usize),
    /// Sub-interface `k`, with the frame untagged.
    Sub(usize, Vec<u8>),
    /// Nowhere (a note says why).
    Drop,
}

impl Router {
    /// Adds an interface per sub-interface with `encapsulation dot1Q`,
    /// after the ports; keeps the ARP cache of one whose address stayed.
    pub(super) fn reconfigure_subifs(&mut self, d: &Device, old: &[L3Iface]) {
        self.subifs = SubIfs {
            ports: d.ports.len(),
            subs: Vec::new(),
        };
        for s in &d.ios.vlan.subifs {
            let (Some(vlan), Some(parent)) = (s.vlan, d.ports.get(s.port)) else {
                continue;
            };
            let off = s.shutdown || parent.shutdown;
            let net = s
                .address
                .and_then(|(a, m)| Ipv4Net::with_mask(a, m).ok())
                .filter(|_| !off);
            let name = format!("{}.{}", parent.name, s.number);
            let mut l3 = L3Iface::new(&name, parent.mac, net, ROUTER_ARP_TTL);
            l3.arp = l3.arp.with_queue_limit(ROUTER_ARP_QUEUE);
            if let Some(o) = old.iter().find(|o| *o.name == *name)
                && o.net == net
            {
                l3.arp = o.arp.clone();
            }
            let k = self.ifaces.len();
            if let Some(n) = net {
                self.table.add_connected(k, n);
            }
            self.ifaces.push(l3);
            self.down.push(off);
            self.quiet.push(false);
            self.subifs.subs.push(Sub {
                port: s.port,
                vlan,
                native: s.native,
            });
        }
    }

    /// The relay interfaces of sub-interfaces with `ip helper-address`.
    pub(super) fn subif_relays(&self, d: &Device) -> Vec<RelayInterface> {
        d.ios
            .vlan
            .subifs
            .iter()
            .filter(|s| !s.helpers.is_empty())
            .filter_map(|s| {
                let name = format!("{}.{}", d.ports.get(s.port)?.name, s.number);
                let i = self.ifaces.iter().find(|i| *i.name == *name)?;
                Some(RelayInterface {
                    address: i.addr()?,
                    helpers: s.helpers.clone(),
                })
            })
            .collect()
    }

    /// Which interface a frame arriving on port `port` is for.
    pub(super) fn subif_in(&self, ctx: &mut Ctx<'_>, port: usize, frame: &[u8]) -> Arrival {
        let base = self.subifs.ports;
        let find = |f: &dyn Fn(&Sub) -> bool| {
            self.subifs
                .subs
                .iter()
                .position(|s| s.port == port && f(s))
                .map(|i| base + i)
        };
        match dot1q::untag(frame) {
            Some((tag, inner)) => match find(&|s: &Sub| s.vlan == tag.vid) {
                Some(k) => Arrival::Sub(k, inner),
                None => {
                    ctx.note(Note::NoSubInterface {
                        port: self
                            .ifaces
                            .get(port)
                            .map(|i| i.name.clone())
                            .unwrap_or_else(|| "?".into()),
                        vlan: tag.vid,
                    });
                    Arrival::Drop
                }
            },
            None => match find(&|s: &Sub| s.native) {
                Some(k) => Arrival::Sub(k, frame.to_vec()),
                None => Arrival::Port(port),
            },
        }
    }

    /// The port whose cable interface `k` uses (a sub-interface's parent).
    pub(super) fn cable_port(&self, k: usize) -> usize {
        k.checked_sub(self.subifs.ports)
            .and_then(|i| self.subifs.subs.get(i))
            .map_or(k, |s| s.port)
    }

    /// The cable port and bytes of a frame the router queued on interface
    /// `k`: a sub-interface's frames leave its port tagged with its VLAN
    /// (untagged when native).
    pub fn egress(&self, k: usize, frame: Rc<[u8]>) -> (usize, Rc<[u8]>) {
        let Some(s) = k
            .checked_sub(self.subifs.ports)
            .and_then(|i| self.subifs.subs.get(i))
        else {
            return (k, frame);
        };
        if s.native {
            return (s.port, frame);
        }
        match dot1q::tag(&frame, s.vlan) {
            Some(t) => (s.port, Rc::from(t)),
            None => (s.port, frame),
        }
    }
}
