//! What `show ip ospf interface`, `show ip ospf neighbor` and
//! `show ip ospf database` read from a running process.

use std::net::Ipv4Addr;

use super::engine::Ospf;
use super::iface::{IfaceView, NbrState, NbrView, NetType};
use super::lsa::Lsa;
use crate::SimTime;

impl Ospf {
    /// Interfaces as `show ip ospf interface` shows them.
    pub fn interfaces(&self, now: SimTime) -> Vec<IfaceView> {
        self.ifaces
            .iter()
            .map(|f| {
                let rid_of = |a: Ipv4Addr| {
                    if a == f.addr() && !a.is_unspecified() {
                        Some(self.rid)
                    } else {
                        f.nbrs.iter().find(|n| n.addr == a).map(|n| n.rid)
                    }
                };
                IfaceView {
                    cfg: f.cfg.clone(),
                    state: f.state,
                    dr: f.dr,
                    dr_rid: rid_of(f.dr),
                    bdr: f.bdr,
                    bdr_rid: rid_of(f.bdr),
                    nbrs: f.nbrs.len(),
                    adjacent: f.nbrs.iter().filter(|n| n.state == NbrState::Full).count(),
                    hello_in: f.hello_at.map_or(0, |t| t.saturating_since(now).as_secs()),
                }
            })
            .collect()
    }

    /// Neighbours as `show ip ospf neighbor` shows them.
    pub fn neighbors(&self, now: SimTime) -> Vec<NbrView> {
        let mut v = Vec::new();
        for f in &self.ifaces {
            for n in &f.nbrs {
                let role = match f.cfg.net {
                    NetType::PointToPoint => "-",
                    NetType::Broadcast if n.addr == f.dr => "DR",
                    NetType::Broadcast if n.addr == f.bdr => "BDR",
                    NetType::Broadcast => "DROTHER",
                };
                v.push(NbrView {
                    rid: n.rid,
                    priority: n.priority,
                    state: n.state,
                    role,
                    dead_in: n.dead_at.saturating_since(now).as_secs(),
                    addr: n.addr,
                    port: f.cfg.port,
                });
            }
        }
        v
    }

    /// Every LSA in the databases, by area (external LSAs under `None`), with current ages.
    pub fn database(&self, now: SimTime) -> Vec<(Option<Ipv4Addr>, Lsa)> {
        let mut v = Vec::new();
        for (a, db) in &self.areas {
            for e in db.values() {
                let mut l = e.lsa();
                l.header.age = e.age(now);
                v.push((Some(*a), l));
            }
        }
        for e in self.external.values() {
            let mut l = e.lsa();
            l.header.age = e.age(now);
            v.push((None, l));
        }
        v
    }
}
