//! The Hello protocol (RFC 2328 §10.5, §9.5): hellos sent and received,
//! the neighbour's first states (Init, 2-Way) and the DR/BDR election
//! with its consequences for adjacencies (§9.4).

use std::net::Ipv4Addr;
use std::time::Duration;

use super::ALL_SPF_ROUTERS;
use super::engine::{DEAD, HELLO, Ospf};
use super::iface::{IfState, Nbr, NbrState, NetType};
use super::note::{NbrEvent, OspfNote};
use super::packet::{Body, Hello, OPT_E};
use crate::SimTime;

impl Ospf {
    pub(super) fn send_hello(&mut self, i: usize) {
        let f = &self.ifaces[i];
        if f.cfg.passive || f.state == IfState::Down {
            return;
        }
        let h = Hello {
            mask: crate::net::ip::prefix_to_mask(f.cfg.addr.prefix),
            hello_interval: HELLO,
            options: OPT_E,
            priority: f.cfg.priority,
            dead_interval: DEAD,
            dr: f.dr,
            bdr: f.bdr,
            neighbors: f.nbrs.iter().map(|n| n.rid).collect(),
        };
        self.send(i, ALL_SPF_ROUTERS, Body::Hello(h));
    }

    pub(super) fn recv_hello(
        &mut self,
        now: SimTime,
        i: usize,
        src: Ipv4Addr,
        rid: Ipv4Addr,
        h: &Hello,
    ) {
        let f = &self.ifaces[i];
        let port = f.cfg.port;
        let what = if h.hello_interval != HELLO {
            Some("hello interval")
        } else if h.dead_interval != DEAD {
            Some("dead interval")
        } else if f.cfg.net == NetType::Broadcast
            && h.mask != crate::net::ip::prefix_to_mask(f.cfg.addr.prefix)
        {
            Some("network mask")
        } else {
            None
        };
        if let Some(what) = what {
            self.notes.push_back(OspfNote::Mismatch { port, rid, what });
            return;
        }
        let k = match self.nbr_idx(i, rid) {
            Some(k) => k,
            None => {
                self.ifaces[i].nbrs.push(Nbr::new(rid, src, now));
                self.ifaces[i].nbrs.len() - 1
            }
        };
        let n = &mut self.ifaces[i].nbrs[k];
        n.addr = src;
        n.dead_at = now + Duration::from_secs(u64::from(DEAD));
        let old = (n.priority, n.dr == n.addr, n.bdr == n.addr);
        n.priority = h.priority;
        n.dr = h.dr;
        n.bdr = h.bdr;
        let new = (n.priority, n.dr == n.addr, n.bdr == n.addr);
        let backup_seen = n.bdr == n.addr || (n.dr == n.addr && n.bdr.is_unspecified());
        let mut changed = old != new && n.state >= NbrState::TwoWay;
        if n.state == NbrState::Down {
            self.set_state(i, rid, NbrState::Init, NbrEvent::HelloReceived);
        }
        let state = self.ifaces[i].nbrs[k].state;
        if h.neighbors.contains(&self.rid) {
            if state == NbrState::Init {
                changed = true;
                if self.ifaces[i].adj_ok(&self.ifaces[i].nbrs[k]) {
                    self.start_exstart(now, i, k, NbrEvent::TwoWayReceived);
                } else {
                    self.set_state(i, rid, NbrState::TwoWay, NbrEvent::TwoWayReceived);
                }
            }
        } else if state >= NbrState::TwoWay {
            changed = true;
            self.set_state(i, rid, NbrState::Init, NbrEvent::OneWayReceived);
        }
        if self.ifaces[i].cfg.net == NetType::Broadcast {
            if self.ifaces[i].state == IfState::Waiting {
                if backup_seen && self.ifaces[i].nbrs[k].state >= NbrState::TwoWay {
                    self.ifaces[i].wait_until = None;
                    self.elect(now, i);
                }
            } else if changed {
                self.elect(now, i);
            }
        }
    }

    /// Runs the DR election and its consequences (§9.4, AdjOK? for each neighbour).
    pub(super) fn elect(&mut self, now: SimTime, i: usize) {
        if self.ifaces[i].cfg.net != NetType::Broadcast || self.ifaces[i].cfg.passive {
            return;
        }
        let old = (self.ifaces[i].dr, self.ifaces[i].bdr, self.ifaces[i].state);
        self.ifaces[i].elect(self.rid);
        let f = &self.ifaces[i];
        if (f.dr, f.bdr, f.state) == old {
            return;
        }
        self.notes.push_back(OspfNote::Elected {
            port: f.cfg.port,
            dr: f.dr,
            bdr: f.bdr,
        });
        self.dirty = true;
        for k in 0..self.ifaces[i].nbrs.len() {
            let n = &self.ifaces[i].nbrs[k];
            let ok = self.ifaces[i].adj_ok(n);
            let rid = n.rid;
            if n.state == NbrState::TwoWay && ok {
                self.start_exstart(now, i, k, NbrEvent::AdjOk);
            } else if n.state >= NbrState::ExStart && !ok {
                self.set_state(i, rid, NbrState::TwoWay, NbrEvent::AdjOk);
            }
        }
    }
}
