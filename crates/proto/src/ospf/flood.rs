//! Flooding (RFC 2328 §13): receiving Link State Updates, the flooding
//! procedure (§13.3), acknowledgements (§13.5, delayed and direct),
//! retransmission (§13.6), Link State Requests (§10.7) and Acks (§13.7).

use std::net::Ipv4Addr;

use std::rc::Rc;

use super::engine::{Entry, Ospf, OutLsa, RXMT, encode};
use super::iface::{IfState, NbrState, NetType};
use super::lsa::{LsType, Lsa, LsaHeader, LsaKey, MAX_AGE};
use super::note::{NbrEvent, OspfNote};
use super::packet::{PacketType, lsack_into, lsu_into};
use super::throttle::FLOOD_PACING;
use super::{ALL_D_ROUTERS, ALL_SPF_ROUTERS};
use crate::SimTime;

/// Room for LSAs in one update (IP and OSPF headers and the count taken off).
fn room(mtu: u16) -> usize {
    usize::from(mtu).saturating_sub(20 + 24 + 4).max(64)
}

impl Ospf {
    /// The database an LSA of this area belongs in.
    pub(super) fn db_of(&self, area: Ipv4Addr, t: LsType) -> Option<&super::db::Db> {
        if t == LsType::External {
            Some(&self.external)
        } else {
            self.areas.get(&area)
        }
    }

    fn db_mut(&mut self, area: Ipv4Addr, t: LsType) -> Option<&mut super::db::Db> {
        if t == LsType::External {
            Some(&mut self.external)
        } else {
            self.areas.get_mut(&area)
        }
    }

    /// Sends LSAs to one destination, split to fit the MTU.
    pub(super) fn send_lsu(&mut self, i: usize, dst: Ipv4Addr, lsas: &[OutLsa]) {
        let room = room(self.ifaces[i].cfg.mtu);
        let (mut start, mut used) = (0, 0);
        for (k, l) in lsas.iter().enumerate() {
            let n = l.bytes.len();
            if k > start && used + n > room {
                self.send_update(i, dst, &lsas[start..k]);
                (start, used) = (k, 0);
            }
            used += n;
        }
        if start < lsas.len() {
            self.send_update(i, dst, &lsas[start..]);
        }
    }

    /// Sends one Link State Update, built from the LSAs' stored encodings.
    fn send_update(&mut self, i: usize, dst: Ipv4Addr, lsas: &[OutLsa]) {
        let f = &self.ifaces[i];
        let buf = self.spare.pop().unwrap_or_default();
        let bytes = lsu_into(
            buf,
            self.rid,
            f.cfg.area,
            lsas.iter().map(|l| (l.age, &l.bytes[..])),
        );
        let (port, src) = (f.cfg.port, f.addr());
        self.push(port, src, dst, bytes, PacketType::LsUpdate);
    }

    /// Sends Link State Acknowledgements of these headers, as many to a
    /// packet as the MTU allows.
    fn send_acks(&mut self, i: usize, dst: Ipv4Addr, headers: &[LsaHeader]) {
        let max = (usize::from(self.ifaces[i].cfg.mtu).saturating_sub(20 + 24) / 20).max(1);
        for part in headers.chunks(max) {
            let f = &self.ifaces[i];
            let buf = self.spare.pop().unwrap_or_default();
            let bytes = lsack_into(buf, self.rid, f.cfg.area, part);
            let (port, src) = (f.cfg.port, f.addr());
            self.push(port, src, dst, bytes, PacketType::LsAck);
        }
    }

    /// The copy of a database LSA to send now (age plus InfTransDelay, 1 s).
    fn outgoing(e: &Entry, now: SimTime) -> OutLsa {
        OutLsa {
            age: e.age(now).saturating_add(1).min(MAX_AGE),
            bytes: e.bytes.clone(),
        }
    }

    pub(super) fn recv_lsr(&mut self, now: SimTime, i: usize, k: usize, keys: &[LsaKey]) {
        if self.ifaces[i].nbrs[k].state < NbrState::Exchange {
            return;
        }
        let area = self.ifaces[i].cfg.area;
        let mut out = Vec::new();
        for key in keys {
            match self.db_of(area, key.ls_type).and_then(|db| db.get(key)) {
                Some(e) => out.push(Self::outgoing(e, now)),
                None => {
                    self.start_exstart(now, i, k, NbrEvent::SeqNumberMismatch);
                    return;
                }
            }
        }
        let addr = self.ifaces[i].nbrs[k].addr;
        let dst = self.unicast_dst(i, addr);
        self.send_lsu(i, dst, &out);
    }

    pub(super) fn recv_ack(
        &mut self,
        i: usize,
        k: usize,
        headers: impl Iterator<Item = LsaHeader>,
    ) {
        let n = &mut self.ifaces[i].nbrs[k];
        if n.state < NbrState::Exchange {
            return;
        }
        for h in headers {
            if n.rxmt.remove_if(&h.key, |x| x.compare(&h).is_eq()) {
                self.rxmt_cut[i] = true;
            }
        }
        if n.rxmt.is_empty() {
            n.rxmt_at = None;
        }
    }

    pub(super) fn retransmit(&mut self, i: usize, k: usize, now: SimTime) {
        let area = self.ifaces[i].cfg.area;
        let keys: Vec<LsaKey> = self.ifaces[i].nbrs[k].rxmt.keys().copied().collect();
        let mut out = Vec::new();
        for key in keys {
            match self.db_of(area, key.ls_type).and_then(|db| db.get(&key)) {
                Some(e) => out.push(Self::outgoing(e, now)),
                None => {
                    self.ifaces[i].nbrs[k].rxmt.remove(&key);
                    self.rxmt_cut[i] = true;
                }
            }
        }
        let n = &mut self.ifaces[i].nbrs[k];
        n.rxmt_at = if n.rxmt.is_empty() {
            None
        } else {
            Some(now + RXMT)
        };
        let addr = n.addr;
        if !out.is_empty() {
            let dst = self.unicast_dst(i, addr);
            self.send_lsu(i, dst, &out);
        }
    }

    fn any_exchanging(&self) -> bool {
        self.ifaces.iter().any(|f| {
            f.nbrs
                .iter()
                .any(|n| matches!(n.state, NbrState::Exchange | NbrState::Loading))
        })
    }

    /// Takes the LSAs of an update, checked by [`Lsa::check`] and read as
    /// headers and bytes; only new instances are parsed.
    pub(super) fn recv_lsu(
        &mut self,
        now: SimTime,
        i: usize,
        k: usize,
        lsas: super::packet::UpdateLsas<'_>,
        hints: &[Option<u32>],
    ) {
        if self.ifaces[i].nbrs[k].state < NbrState::Exchange {
            return;
        }
        let area = self.ifaces[i].cfg.area;
        let (from_rid, from_addr) = (self.ifaces[i].nbrs[k].rid, self.ifaces[i].nbrs[k].addr);
        let from_dr = from_addr == self.ifaces[i].dr;
        let mut direct_acks = std::mem::take(&mut self.direct_q);
        let mut send_back = std::mem::take(&mut self.back_q);
        for (n, (header, raw)) in lsas.iter().enumerate() {
            let key = header.key;
            if matches!(key.ls_type, LsType::Unknown(_)) {
                continue;
            }
            // The slot `holds` found the key in (checked again).
            let hint = hints.get(n).copied().flatten();
            let cur = self
                .db_of(area, key.ls_type)
                .and_then(|db| db.get_hinted(hint, &key))
                .map(|e| (e.header(now), Self::too_soon(e, now)));
            if header.age >= MAX_AGE && cur.is_none() && !self.any_exchanging() {
                direct_acks.push(header);
                continue;
            }
            let order = cur.map(|(c, _)| header.compare(&c));
            if order == Some(core::cmp::Ordering::Greater) && cur.is_some_and(|(_, soon)| soon) {
                // §13 (5a): discarded, unacknowledged; the sender sends it
                // again after its RxmtInterval.
                self.notes.push_back(OspfNote::TooSoon {
                    key,
                    seq: header.seq,
                    from: from_rid,
                });
                continue;
            }
            // Whatever the outcome, an instance at least as new as the one
            // requested satisfies the request.
            self.ifaces[i].nbrs[k]
                .requests
                .remove_if(&key, |r| !header.compare(r).is_lt());
            match order {
                None | Some(core::cmp::Ordering::Greater) => {
                    // The bytes as received (they passed `Lsa::check`)
                    // are the bytes this router would encode (length and
                    // checksum checked, the age overwritten on the way
                    // out): flooded as they came, and stored, the body
                    // read from them when needed.
                    let bytes: Rc<[u8]> = Rc::from(raw);
                    debug_assert!(
                        Lsa::read_checked(header, raw).is_ok_and(|l| encode(&l) == bytes),
                        "{key}"
                    );
                    let back = self.flood(now, area, Some((i, k)), &header, &bytes, true);
                    let seq = header.seq;
                    self.install(now, area, header, bytes, true, hint);
                    self.notes.push_back(OspfNote::Installed {
                        key,
                        seq,
                        from: from_rid,
                    });
                    let own = key.adv == self.rid
                        || (key.ls_type == LsType::Network
                            && self.ifaces.iter().any(|f| f.addr() == key.id));
                    if own {
                        self.dirty = true;
                    }
                    if !back {
                        let backup = self.ifaces[i].state == IfState::Backup;
                        if !backup || from_dr {
                            self.delay_ack(now, i, header);
                        }
                    }
                }
                Some(core::cmp::Ordering::Equal) => {
                    let n = &mut self.ifaces[i].nbrs[k];
                    if n.rxmt.remove(&key).is_some() {
                        self.rxmt_cut[i] = true;
                        if self.ifaces[i].state == IfState::Backup && from_dr {
                            self.delay_ack(now, i, header);
                        }
                    } else {
                        direct_acks.push(header);
                    }
                }
                Some(core::cmp::Ordering::Less) => {
                    if let Some(e) = self
                        .db_of(area, key.ls_type)
                        .and_then(|db| db.get_hinted(hint, &key))
                        && !(e.age(now) >= MAX_AGE && e.header.seq == 0x7fff_ffff)
                    {
                        send_back.push(Self::outgoing(e, now));
                    }
                }
            }
        }
        let dst = self.unicast_dst(i, from_addr);
        if !direct_acks.is_empty() {
            self.send_acks(i, dst, &direct_acks);
            direct_acks.clear();
        }
        self.direct_q = direct_acks;
        if !send_back.is_empty() {
            self.send_lsu(i, dst, &send_back);
            send_back.clear();
        }
        self.back_q = send_back;
        self.check_loading(now);
    }

    /// Neighbours in Loading whose requests are all answered go Full; the
    /// others get their next request once the last one is answered.
    pub(super) fn check_loading(&mut self, now: SimTime) {
        for i in 0..self.ifaces.len() {
            for k in 0..self.ifaces[i].nbrs.len() {
                let n = &self.ifaces[i].nbrs[k];
                if n.state != NbrState::Loading && n.state != NbrState::Exchange {
                    continue;
                }
                let (rid, state) = (n.rid, n.state);
                let answered = !n.lsr_sent.iter().any(|x| n.requests.contains_key(x));
                if n.requests.is_empty() {
                    self.ifaces[i].nbrs[k].lsr_at = None;
                    if state == NbrState::Loading {
                        self.set_state(i, rid, NbrState::Full, NbrEvent::LoadingDone);
                    }
                } else if state == NbrState::Loading && answered {
                    self.send_lsr(i, k, now);
                }
            }
        }
    }

    /// Puts an LSA in its database (`flooded`: received from a
    /// neighbour; `hint`: the slot its key was found in, if known);
    /// schedules SPF when its contents changed.
    pub(super) fn install(
        &mut self,
        now: SimTime,
        area: Ipv4Addr,
        header: LsaHeader,
        bytes: Rc<[u8]>,
        flooded: bool,
        hint: Option<u32>,
    ) {
        let key = header.key;
        let Some(db) = self.db_mut(area, key.ls_type) else {
            return;
        };
        let (old, new) = db.put_hinted(
            hint,
            key,
            Entry {
                header,
                at: now,
                flooded,
                bytes,
            },
        );
        let changed = match old {
            None => true,
            Some(old) => {
                !old.same_body(new) || (old.header.age >= MAX_AGE) != (new.header.age >= MAX_AGE)
            }
        };
        if changed {
            self.schedule_spf(now);
        }
    }

    /// The flooding procedure (§13.3) for an LSA of `area` (encoded as
    /// `bytes`) received from neighbour `from` (interface, index) or
    /// originated here (`None`). With `replace` (a new instance for the
    /// database), older instances leave every retransmission list
    /// (§13 (5b)): the neighbours it is flooded to get the new one in their
    /// list's slot, the others lose it, one look-up each. Returns whether
    /// it went back out of the interface it came in on.
    pub(super) fn flood(
        &mut self,
        now: SimTime,
        area: Ipv4Addr,
        from: Option<(usize, usize)>,
        header: &LsaHeader,
        bytes: &Rc<[u8]>,
        replace: bool,
    ) -> bool {
        let key = header.key;
        let mut back = false;
        for j in 0..self.ifaces.len() {
            let f = &mut self.ifaces[j];
            if key.ls_type != LsType::External && f.cfg.area != area {
                // Another area's database: an LSA with the same key there
                // (an ABR's router LSA) is another LSA.
                continue;
            }
            if f.state == IfState::Down || f.cfg.passive {
                if replace {
                    for n in &mut f.nbrs {
                        if n.rxmt.remove(&key).is_some() {
                            self.rxmt_cut[j] = true;
                        }
                    }
                }
                continue;
            }
            // Whether a neighbour here still lists an instance without
            // this call noting it in `rxmt_cut` (below).
            let mut held = false;
            let mut added = false;
            for (m, n) in f.nbrs.iter_mut().enumerate() {
                let mut skip = n.state < NbrState::Exchange;
                if !skip
                    && n.state < NbrState::Full
                    && let Some(req) = n.requests.get(&key)
                {
                    match header.compare(req) {
                        core::cmp::Ordering::Less => skip = true,
                        core::cmp::Ordering::Equal => {
                            n.requests.remove(&key);
                            skip = true;
                        }
                        core::cmp::Ordering::Greater => {
                            n.requests.remove(&key);
                        }
                    }
                }
                if skip || from == Some((j, m)) {
                    if replace {
                        if n.rxmt.remove(&key).is_some() {
                            self.rxmt_cut[j] = true;
                        }
                    } else if n.rxmt.contains_key(&key) {
                        held = true;
                    }
                    continue;
                }
                // Replaces an older instance, if any.
                if n.rxmt.insert(key, *header).is_some() {
                    self.rxmt_cut[j] = true;
                }
                n.rxmt_at.get_or_insert(now + RXMT);
                added = true;
            }
            if !added {
                continue;
            }
            if let Some((fi, fk)) = from
                && fi == j
            {
                {
                    let a = f.nbrs[fk].addr;
                    if a == f.dr || a == f.bdr || f.state == IfState::Backup {
                        continue;
                    }
                    back = true;
                }
            }
            let out = OutLsa {
                age: header.age.saturating_add(1).min(MAX_AGE),
                bytes: bytes.clone(),
            };
            // A newer instance takes the place of one still queued. Every
            // LSA queued here is in the retransmission list of a neighbour
            // here until one of those lists loses or replaces it (which
            // `rxmt_cut` notes): unless one did, or still lists this key,
            // it is not queued, and the queue is not searched.
            let q = &mut self.flood_q[j];
            let queued = if self.rxmt_cut[j] || held {
                q.iter_mut().find(|(h, _)| h.key == key)
            } else {
                debug_assert!(q.iter().all(|(h, _)| h.key != key), "{key}");
                None
            };
            match queued {
                Some(q) => *q = (*header, out),
                None => q.push((*header, out)),
            }
        }
        back
    }

    /// Sends the floods queued on each interface the flood pacing lets
    /// out now, and the delayed acknowledgements whose time has come.
    pub(super) fn flush_queues(&mut self, now: SimTime) {
        let group = |this: &Self, i: usize| match this.ifaces[i].cfg.net {
            NetType::PointToPoint => ALL_SPF_ROUTERS,
            NetType::Broadcast => {
                if matches!(this.ifaces[i].state, IfState::Dr | IfState::Backup) {
                    ALL_SPF_ROUTERS
                } else {
                    ALL_D_ROUTERS
                }
            }
        };
        for i in 0..self.flood_q.len() {
            if self.flood_q[i].is_empty() || self.ifaces[i].pace_at.is_some_and(|t| t > now) {
                continue;
            }
            // What every neighbour acknowledged while it waited (sent
            // the same instance back: an implied acknowledgement) stays.
            let mut lsas = std::mem::take(&mut self.pace_q);
            let nbrs = &self.ifaces[i].nbrs;
            if self.rxmt_cut[i] {
                lsas.extend(self.flood_q[i].drain(..).filter_map(|(h, out)| {
                    nbrs.iter()
                        .any(|n| n.rxmt.get(&h.key).is_some_and(|r| r.compare(&h).is_eq()))
                        .then_some(out)
                }));
                self.rxmt_cut[i] = false;
            } else {
                debug_assert!(self.flood_q[i].iter().all(|(h, _)| {
                    nbrs.iter()
                        .any(|n| n.rxmt.get(&h.key).is_some_and(|r| r.compare(h).is_eq()))
                }));
                lsas.extend(self.flood_q[i].drain(..).map(|(_, out)| out));
            }
            if !lsas.is_empty() {
                let dst = group(self, i);
                self.send_lsu(i, dst, &lsas);
                self.ifaces[i].pace_at = Some(now + FLOOD_PACING);
                lsas.clear();
            }
            self.pace_q = lsas;
        }
        for i in 0..self.ack_q.len() {
            if self.ifaces[i].ack_at.is_none_or(|t| t > now) {
                continue;
            }
            self.ifaces[i].ack_at = None;
            if self.ack_q[i].is_empty() {
                continue;
            }
            let mut acks = std::mem::take(&mut self.ack_q[i]);
            let dst = group(self, i);
            self.send_acks(i, dst, &acks);
            acks.clear();
            self.ack_q[i] = acks;
        }
    }
}
