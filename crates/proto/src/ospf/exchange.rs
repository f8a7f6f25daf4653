//! The database exchange (RFC 2328 §10.6, §10.8): ExStart's master/slave
//! negotiation, Database Description packets in sequence, and the Link
//! State Requests for what the neighbour has and this router lacks
//! (§10.9).

use std::net::Ipv4Addr;

use super::ALL_SPF_ROUTERS;
use super::engine::{Ospf, RXMT};
use super::iface::{NbrState, NetType};
use super::lsa::{LsaHeader, LsaKey, MAX_AGE};
use super::note::{NbrEvent, OspfNote};
use super::packet::{Body, DD_I, DD_M, DD_MS, DbDesc, OPT_E, PacketType};
use crate::SimTime;

impl Ospf {
    /// Enters ExStart: claims master with an empty DBD (§10.8).
    pub(super) fn start_exstart(&mut self, now: SimTime, i: usize, k: usize, event: NbrEvent) {
        let rid = self.ifaces[i].nbrs[k].rid;
        self.set_state(i, rid, NbrState::ExStart, event);
        self.seed = self.seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let mtu = self.ifaces[i].cfg.mtu;
        let n = &mut self.ifaces[i].nbrs[k];
        n.clear_lists();
        self.rxmt_cut[i] = true;
        n.dd_seq = if n.dd_seq == 0 {
            self.seed >> 8
        } else {
            n.dd_seq.wrapping_add(1)
        };
        n.master = true;
        let d = DbDesc {
            mtu,
            options: OPT_E,
            flags: DD_I | DD_M | DD_MS,
            seq: n.dd_seq,
            headers: Vec::new(),
        };
        let addr = n.addr;
        let dst = self.unicast_dst(i, addr);
        let bytes = self.send_kept(i, dst, Body::DbDesc(d));
        let n = &mut self.ifaces[i].nbrs[k];
        n.last_dbd = bytes;
        n.last_more = true;
        n.dbd_rxmt_at = Some(now + RXMT);
    }

    /// Where packets for one neighbour go: the AllSPFRouters group on a
    /// point-to-point link, the neighbour's address otherwise.
    pub(super) fn unicast_dst(&self, i: usize, addr: Ipv4Addr) -> Ipv4Addr {
        match self.ifaces[i].cfg.net {
            NetType::PointToPoint => ALL_SPF_ROUTERS,
            NetType::Broadcast => addr,
        }
    }

    fn send_dbd(&mut self, now: SimTime, i: usize, k: usize) {
        let mtu = self.ifaces[i].cfg.mtu;
        let max = (usize::from(mtu).saturating_sub(20 + 24 + 8) / 20).max(1);
        let dst0 = self.ifaces[i].nbrs[k].addr;
        let dst = self.unicast_dst(i, dst0);
        let n = &mut self.ifaces[i].nbrs[k];
        let take = n.summary.len().min(max);
        let headers: Vec<LsaHeader> = n.summary.drain(..take).collect();
        let more = !n.summary.is_empty();
        let flags = if more { DD_M } else { 0 } | if n.master { DD_MS } else { 0 };
        let d = DbDesc {
            mtu,
            options: OPT_E,
            flags,
            seq: n.dd_seq,
            headers,
        };
        let master = n.master;
        let bytes = self.send_kept(i, dst, Body::DbDesc(d));
        let n = &mut self.ifaces[i].nbrs[k];
        n.last_dbd = bytes;
        n.last_more = more;
        n.dbd_rxmt_at = master.then_some(now + RXMT);
    }

    fn fill_summary(&mut self, now: SimTime, i: usize, k: usize) {
        let area = self.ifaces[i].cfg.area;
        let mut hs: Vec<LsaHeader> = self
            .areas
            .get(&area)
            .into_iter()
            .flat_map(|db| db.values())
            .chain(self.external.values())
            .map(|e| e.header(now))
            .collect();
        hs.retain(|h| h.age < MAX_AGE);
        self.ifaces[i].nbrs[k].summary = hs;
    }

    /// ExStart is over (§10.6, NegotiationDone): who is master is said,
    /// the neighbour goes to Exchange and the database summary is filled.
    fn negotiation_done(&mut self, now: SimTime, i: usize, k: usize, master: bool) {
        let (port, rid) = (self.ifaces[i].cfg.port, self.ifaces[i].nbrs[k].rid);
        self.notes
            .push_back(OspfNote::Negotiated { port, rid, master });
        self.set_state(i, rid, NbrState::Exchange, NbrEvent::NegotiationDone);
        self.fill_summary(now, i, k);
    }

    pub(super) fn recv_dbd(&mut self, now: SimTime, i: usize, k: usize, d: &DbDesc) {
        let rid = self.ifaces[i].nbrs[k].rid;
        if self.ifaces[i].nbrs[k].state == NbrState::Init {
            if self.ifaces[i].adj_ok(&self.ifaces[i].nbrs[k]) {
                self.start_exstart(now, i, k, NbrEvent::TwoWayReceived);
            } else {
                self.set_state(i, rid, NbrState::TwoWay, NbrEvent::TwoWayReceived);
            }
        }
        let port = self.ifaces[i].cfg.port;
        let n = &self.ifaces[i].nbrs[k];
        match n.state {
            NbrState::ExStart => {
                let all = DD_I | DD_M | DD_MS;
                if d.flags & all == all && d.headers.is_empty() && rid > self.rid {
                    let n = &mut self.ifaces[i].nbrs[k];
                    n.master = false;
                    n.dd_seq = d.seq;
                    n.dbd_rxmt_at = None;
                    n.last_rcv = Some((d.flags, d.seq));
                    self.negotiation_done(now, i, k, false);
                    self.send_dbd(now, i, k);
                } else if d.flags & (DD_I | DD_MS) == 0 && d.seq == n.dd_seq && rid < self.rid {
                    self.negotiation_done(now, i, k, true);
                    self.exchange(now, i, k, d);
                }
            }
            NbrState::Exchange => {
                if n.last_rcv == Some((d.flags, d.seq)) {
                    if !n.master {
                        let (bytes, addr) = (n.last_dbd.clone(), n.addr);
                        let (src, dst) = (self.ifaces[i].addr(), self.unicast_dst(i, addr));
                        self.push(port, src, dst, bytes, PacketType::DbDescription);
                    }
                    return;
                }
                let ms_ok = (d.flags & DD_MS != 0) != n.master;
                let seq_ok = if n.master {
                    d.seq == n.dd_seq
                } else {
                    d.seq == n.dd_seq.wrapping_add(1)
                };
                if !ms_ok || !seq_ok || d.flags & DD_I != 0 {
                    self.start_exstart(now, i, k, NbrEvent::SeqNumberMismatch);
                    return;
                }
                self.exchange(now, i, k, d);
            }
            NbrState::Loading | NbrState::Full => {
                if n.last_rcv == Some((d.flags, d.seq)) {
                    if !n.master {
                        let (bytes, addr) = (n.last_dbd.clone(), n.addr);
                        let (src, dst) = (self.ifaces[i].addr(), self.unicast_dst(i, addr));
                        self.push(port, src, dst, bytes, PacketType::DbDescription);
                    }
                } else {
                    self.start_exstart(now, i, k, NbrEvent::SeqNumberMismatch);
                }
            }
            _ => {}
        }
    }

    /// Takes the headers of an in-sequence DBD and answers (§10.6, §10.8).
    fn exchange(&mut self, now: SimTime, i: usize, k: usize, d: &DbDesc) {
        let area = self.ifaces[i].cfg.area;
        for h in &d.headers {
            let db = if h.key.ls_type == super::lsa::LsType::External {
                &self.external
            } else {
                match self.areas.get(&area) {
                    Some(db) => db,
                    None => continue,
                }
            };
            let want = match db.get(&h.key) {
                None => true,
                Some(e) => h.compare(&e.header(now)).is_gt(),
            };
            if want {
                self.ifaces[i].nbrs[k].requests.insert(h.key, *h);
            }
        }
        let n = &mut self.ifaces[i].nbrs[k];
        n.last_rcv = Some((d.flags, d.seq));
        let their_more = d.flags & DD_M != 0;
        if n.master {
            n.dd_seq = n.dd_seq.wrapping_add(1);
            if !n.last_more && !their_more {
                n.dbd_rxmt_at = None;
                self.exchange_done(now, i, k);
            } else {
                self.send_dbd(now, i, k);
            }
        } else {
            n.dd_seq = d.seq;
            self.send_dbd(now, i, k);
            if !their_more && !self.ifaces[i].nbrs[k].last_more {
                self.exchange_done(now, i, k);
            }
        }
    }

    fn exchange_done(&mut self, now: SimTime, i: usize, k: usize) {
        let rid = self.ifaces[i].nbrs[k].rid;
        if self.ifaces[i].nbrs[k].requests.is_empty() {
            self.set_state(i, rid, NbrState::Full, NbrEvent::ExchangeDone);
        } else {
            self.set_state(i, rid, NbrState::Loading, NbrEvent::ExchangeDone);
            self.send_lsr(i, k, now);
        }
    }

    /// Asks for the next batch of missing LSAs.
    pub(super) fn send_lsr(&mut self, i: usize, k: usize, now: SimTime) {
        let max = (usize::from(self.ifaces[i].cfg.mtu).saturating_sub(44) / 12).max(1);
        let n = &mut self.ifaces[i].nbrs[k];
        if n.requests.is_empty() || n.state < NbrState::Exchange {
            n.lsr_at = None;
            return;
        }
        let keys: Vec<LsaKey> = n.requests.keys().take(max).copied().collect();
        n.lsr_sent = keys.clone();
        n.lsr_at = Some(now + RXMT);
        let addr = n.addr;
        let dst = self.unicast_dst(i, addr);
        self.send(i, dst, Body::LsRequest(keys));
    }
}
