//! What the app draws of dynamic routing on the canvas: each router's
//! neighbours, per interface ([`Neighbour`]). For OSPF, the adjacency's
//! state and the neighbour's role on the segment, as `show ip ospf
//! neighbor` prints them (`FULL`, `2WAY`, `INIT`…; `DR`, `BDR`,
//! `DROTHER`); for RIP, the routers whose updates the router learned routes
//! from (the "Routing Information Sources" of `show ip protocols`). Owned,
//! serializable view models, so they cross the engine host's message
//! boundary ([`crate::host::message::Reply::Neighbours`]).

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::Engine;
use crate::device::Node;
use crate::lab::DeviceId;

/// The routing protocol a neighbour relation belongs to.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoutingProtocol {
    /// RIP (`router rip`).
    Rip,
    /// OSPF (`router ospf N`).
    Ospf,
}

/// One neighbour a router knows on one of its interfaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbour {
    /// The router that knows the neighbour.
    pub router: DeviceId,
    /// Its interface (port index) the neighbour is on.
    pub port: usize,
    /// RIP or OSPF.
    pub protocol: RoutingProtocol,
    /// The neighbouring router, when an interface of a router in the lab
    /// has the neighbour's address.
    pub device: Option<DeviceId>,
    /// The neighbour's interface address.
    pub addr: Ipv4Addr,
    /// OSPF: the neighbour's router id.
    pub rid: Option<Ipv4Addr>,
    /// OSPF: the adjacency's state as IOS prints it (`FULL`, `2WAY`, `INIT`,
    /// `EXSTART`, `EXCHANGE`, `LOADING`, `DOWN`).
    pub state: Option<String>,
    /// OSPF: the neighbour's role on the segment (`DR`, `BDR`, `DROTHER`;
    /// `None` on a point-to-point link).
    pub role: Option<String>,
}

impl Engine {
    /// Every running router's RIP and OSPF neighbours, router by router in
    /// the lab's order, then by interface; empty when no router runs RIP
    /// or OSPF.
    pub fn neighbours(&self) -> Vec<Neighbour> {
        // Which router owns an address (to name a neighbour by its device).
        let mut owners: Vec<(Ipv4Addr, DeviceId)> = Vec::new();
        for (k, node) in self.nodes.iter().enumerate() {
            if let (Node::Router(r), Some(d)) = (node, self.lab.devices.get(k)) {
                owners.extend(
                    r.interface_addresses()
                        .into_iter()
                        .flatten()
                        .map(|n| (n.addr, d.id)),
                );
            }
        }
        let owner = |a: Ipv4Addr| owners.iter().find(|(x, _)| *x == a).map(|(_, d)| *d);
        let mut out = Vec::new();
        for (k, node) in self.nodes.iter().enumerate() {
            let (Node::Router(r), Some(d)) = (node, self.lab.devices.get(k)) else {
                continue;
            };
            if !self.powered.get(k).copied().unwrap_or(false) {
                continue;
            }
            let mut mine = Vec::new();
            if let Some(o) = r.ospf() {
                for n in o.neighbors(self.now) {
                    mine.push(Neighbour {
                        router: d.id,
                        port: n.port,
                        protocol: RoutingProtocol::Ospf,
                        device: owner(n.addr),
                        addr: n.addr,
                        rid: Some(n.rid),
                        state: Some(n.state.to_string()),
                        role: (n.role != "-").then(|| n.role.to_string()),
                    });
                }
            }
            if let Some(rip) = r.rip() {
                let mut heard: Vec<(usize, Ipv4Addr)> = Vec::new();
                for l in rip.database().values() {
                    for p in &l.paths {
                        if !heard.contains(&(p.iface, p.via)) {
                            heard.push((p.iface, p.via));
                        }
                    }
                }
                mine.extend(heard.into_iter().map(|(port, addr)| Neighbour {
                    router: d.id,
                    port,
                    protocol: RoutingProtocol::Rip,
                    device: owner(addr),
                    addr,
                    rid: None,
                    state: None,
                    role: None,
                }));
            }
            lanlab_proto::order::sort_by_key(&mut mine, |n| {
                (n.port, n.protocol == RoutingProtocol::Rip, n.addr)
            });
            out.extend(mine);
        }
        out
    }
}
