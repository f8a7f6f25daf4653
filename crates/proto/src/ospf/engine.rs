//! One router's OSPF process: interfaces, neighbours and their states
//! (RFC 2328 §10), packets in and out, and timers. Hellos and the DR
//! election live in `hello.rs`, the database exchange in `exchange.rs`,
//! flooding in `flood.rs`, LSA origination and SPF scheduling in
//! `origin.rs`, the `show` views in `view.rs`.

use std::collections::VecDeque;
use std::net::Ipv4Addr;
use std::rc::Rc;
use std::time::Duration;

use super::ALL_D_ROUTERS;
use super::areas::Areas;
use super::db::Db;
pub use super::entry::Entry;
use super::iface::{IfState, Iface, IfaceConfig, NbrState, NetType};
use super::lsa::{Lsa, LsaHeader};
use super::note::{NbrEvent, OspfNote};
use super::packet::{self, Body, InBody, PacketType, Repr};
use super::spf::OspfRoute;
use super::throttle::OwnLsa;
use crate::SimTime;

/// Seconds between hellos.
pub const HELLO: u16 = 10;
/// Seconds of silence before a neighbour is declared dead.
pub const DEAD: u32 = 40;
/// Packet buffers [`Ospf::recycle`] keeps.
const SPARE: usize = 8;
/// Seconds between retransmissions.
pub const RXMT: Duration = Duration::from_secs(5);

/// An LSA on its way out in a Link State Update: its age then, and its
/// encoding (whose age field is overwritten with it).
#[derive(Clone, Debug)]
pub(super) struct OutLsa {
    pub age: u16,
    pub bytes: Rc<[u8]>,
}

/// The bytes of `lsa` as this router sends it: length and checksum
/// computed from its contents, as [`Lsa::emit`] writes them.
pub(super) fn encode(lsa: &Lsa) -> Rc<[u8]> {
    let len = lsa.buffer_len();
    // Most LSAs fit on the stack: one allocation (the `Rc`) instead of two.
    let mut small = [0u8; 256];
    if let Some(b) = small.get_mut(..len) {
        lsa.write(b);
        return Rc::from(&*b);
    }
    let mut v = vec![0; len];
    lsa.write(&mut v);
    v.into()
}

/// An OSPF packet to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// Interface index.
    pub port: usize,
    /// Source address (the interface's).
    pub src: Ipv4Addr,
    /// Destination: 224.0.0.5, 224.0.0.6 or a neighbour.
    pub dst: Ipv4Addr,
    /// The OSPF packet (IP payload; send with TTL 1, protocol 89).
    pub bytes: Vec<u8>,
    /// Its type.
    pub kind: PacketType,
}

/// Counters for the benchmark and `show ip ospf`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// SPF runs.
    pub spf_runs: u64,
    /// Packets sent.
    pub sent: u64,
    /// Packets received and accepted.
    pub received: u64,
}

/// One router's OSPF process.
#[derive(Clone, Debug)]
pub struct Ospf {
    pub(super) rid: Ipv4Addr,
    pub(super) ifaces: Vec<Iface>,
    pub(super) areas: Areas,
    pub(super) external: Db,
    pub(super) default_originate: bool,
    pub(super) routes: Vec<OspfRoute>,
    pub(super) spf_at: Option<SimTime>,
    pub(super) last_spf: Option<SimTime>,
    pub(super) house_at: SimTime,
    pub(super) dirty: bool,
    pub(super) out: VecDeque<Transmit>,
    pub(super) notes: VecDeque<OspfNote>,
    /// LSAs to flood (with their headers) and delayed acknowledgements,
    /// by interface index, waiting for the flood pacing and the ack delay
    /// (kept allocated between events).
    pub(super) flood_q: Vec<Vec<(LsaHeader, OutLsa)>>,
    /// By interface index: whether a header left (or was replaced in) one
    /// of its neighbours' retransmission lists since its flood queue was
    /// last sent. Until one does, every LSA queued there is still in the
    /// list of a neighbour it went to, and the queue goes out unchecked.
    pub(super) rxmt_cut: Vec<bool>,
    pub(super) ack_q: Vec<Vec<LsaHeader>>,
    /// The LSAs of one paced update (kept allocated too).
    pub(super) pace_q: Vec<OutLsa>,
    /// Direct acknowledgements of one update, and the newer instances
    /// sent back to its sender (kept allocated too).
    pub(super) direct_q: Vec<LsaHeader>,
    pub(super) back_q: Vec<OutLsa>,
    pub(super) seed: u32,
    pub(super) stats: Stats,
    /// [`Ospf::timeout_due`] as the last event left it.
    pub(super) next_at: Option<SimTime>,
    /// Packet buffers sent and given back ([`Ospf::recycle`]), for the
    /// next updates and acknowledgements.
    pub(super) spare: Vec<Vec<u8>>,
    /// This router's own LSAs: when each was last originated, and which
    /// wait for MinLSInterval (§12.4).
    pub(super) own: Vec<OwnLsa>,
    /// The earliest deferred origination.
    pub(super) orig_at: Option<SimTime>,
    /// For each LSA of the update being read, the database slot its key
    /// was found in when its bytes were compared ([`Ospf::holds`]): the
    /// update is then handled without looking them up again (kept
    /// allocated between updates).
    pub(super) hints: Vec<Option<u32>>,
}

impl Ospf {
    /// A process with router id `rid` on these interfaces (all up), started at `now`.
    /// `seed` varies the first DD sequence numbers.
    pub fn new(
        rid: Ipv4Addr,
        ifaces: Vec<IfaceConfig>,
        default_originate: bool,
        seed: u64,
        now: SimTime,
    ) -> Ospf {
        let mut o = Ospf {
            rid,
            ifaces: Vec::new(),
            areas: Areas::new(),
            external: Db::new(),
            default_originate,
            routes: Vec::new(),
            spf_at: None,
            last_spf: None,
            house_at: now + Duration::from_secs(60),
            dirty: true,
            out: VecDeque::new(),
            notes: VecDeque::new(),
            flood_q: Vec::new(),
            rxmt_cut: Vec::new(),
            pace_q: Vec::new(),
            ack_q: Vec::new(),
            direct_q: Vec::new(),
            back_q: Vec::new(),
            seed: (seed as u32) ^ u32::from(rid),
            stats: Stats::default(),
            next_at: None,
            spare: Vec::new(),
            own: Vec::new(),
            orig_at: None,
            hints: Vec::new(),
        };
        for c in ifaces {
            o.areas.add(c.area);
            o.ifaces.push(Iface::new(c));
            o.flood_q.push(Vec::new());
            o.rxmt_cut.push(false);
            o.ack_q.push(Vec::new());
        }
        for i in 0..o.ifaces.len() {
            o.iface_up(i, now);
        }
        o.finish(now);
        o
    }

    /// The router id.
    pub fn router_id(&self) -> Ipv4Addr {
        self.rid
    }

    /// The routes of the last SPF run.
    pub fn routes(&self) -> &[OspfRoute] {
        &self.routes
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Whether this router joins two areas or more (an ABR).
    pub fn is_abr(&self) -> bool {
        self.areas.len() > 1
    }

    /// The next packet to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.out.pop_front()
    }

    /// Gives back the bytes of a [`Transmit`] once sent, to be written
    /// over by a later packet (a few are kept; the rest are freed).
    pub fn recycle(&mut self, bytes: Vec<u8>) {
        if self.spare.len() < SPARE {
            self.spare.push(bytes);
        }
    }

    /// The next note.
    pub fn poll_note(&mut self) -> Option<OspfNote> {
        self.notes.pop_front()
    }

    /// An interface's link went up or down (cable, `shutdown`).
    pub fn set_link(&mut self, now: SimTime, port: usize, up: bool) {
        let Some(i) = self.ifaces.iter().position(|f| f.cfg.port == port) else {
            return;
        };
        match (up, self.ifaces[i].state == IfState::Down) {
            (true, true) => self.iface_up(i, now),
            (false, false) => {
                let rids: Vec<Ipv4Addr> = self.ifaces[i].nbrs.iter().map(|n| n.rid).collect();
                for r in rids {
                    self.set_state(i, r, NbrState::Down, NbrEvent::KillNbr);
                }
                let f = &mut self.ifaces[i];
                f.nbrs.clear();
                self.rxmt_cut[i] = true;
                f.state = IfState::Down;
                f.dr = Ipv4Addr::UNSPECIFIED;
                f.bdr = Ipv4Addr::UNSPECIFIED;
                f.hello_at = None;
                f.wait_until = None;
                f.ack_at = None;
                f.pace_at = None;
                self.ack_q[i].clear();
                self.flood_q[i].clear();
                self.dirty = true;
            }
            _ => {}
        }
        self.finish(now);
    }

    fn iface_up(&mut self, i: usize, now: SimTime) {
        let f = &mut self.ifaces[i];
        f.state = match f.cfg.net {
            // IOS: a passive broadcast interface is its network's DR, alone.
            NetType::Broadcast if f.cfg.passive && f.cfg.priority > 0 => {
                f.dr = f.cfg.addr.addr;
                IfState::Dr
            }
            _ if f.cfg.passive => IfState::DrOther,
            NetType::PointToPoint => IfState::PointToPoint,
            NetType::Broadcast if f.cfg.priority == 0 => IfState::DrOther,
            NetType::Broadcast => {
                f.wait_until = Some(now + Duration::from_secs(u64::from(DEAD)));
                IfState::Waiting
            }
        };
        if !f.cfg.passive {
            f.hello_at = Some(now);
        }
        self.dirty = true;
    }

    /// The earliest time [`Ospf::handle_timeout`] has work (worked out
    /// once per event, when the event is done: the caller asks after
    /// every event, of every device).
    pub fn poll_timeout(&self) -> Option<SimTime> {
        debug_assert_eq!(self.next_at, self.timeout_due());
        self.next_at
    }

    /// The earliest time a timer is due, from the timers themselves.
    pub(super) fn timeout_due(&self) -> Option<SimTime> {
        let mut t = Some(self.house_at);
        let mut min = |x: Option<SimTime>| {
            if let Some(x) = x {
                t = Some(t.map_or(x, |t| t.min(x)));
            }
        };
        min(self.spf_at);
        min(self.orig_at);
        for (f, q) in self.ifaces.iter().zip(&self.flood_q) {
            min(f.hello_at);
            min(f.wait_until);
            min(f.ack_at);
            if !q.is_empty() {
                min(f.pace_at);
            }
            for n in &f.nbrs {
                min(Some(n.dead_at));
                min(n.dbd_rxmt_at);
                min(n.lsr_at);
                min(n.rxmt_at);
            }
        }
        t
    }

    /// Runs the timers due at `now`.
    pub fn handle_timeout(&mut self, now: SimTime) {
        for i in 0..self.ifaces.len() {
            if self.ifaces[i].hello_at.is_some_and(|t| t <= now) {
                self.send_hello(i);
                self.ifaces[i].hello_at = Some(now + Duration::from_secs(u64::from(HELLO)));
            }
            if self.ifaces[i].wait_until.is_some_and(|t| t <= now) {
                self.ifaces[i].wait_until = None;
                self.elect(now, i);
            }
            let dead: Vec<Ipv4Addr> = if self.ifaces[i].nbrs.iter().any(|n| n.dead_at <= now) {
                self.ifaces[i]
                    .nbrs
                    .iter()
                    .filter(|n| n.dead_at <= now)
                    .map(|n| n.rid)
                    .collect()
            } else {
                Vec::new()
            };
            for r in dead {
                self.set_state(i, r, NbrState::Down, NbrEvent::InactivityTimer);
                self.ifaces[i].nbrs.retain(|n| n.rid != r);
                self.rxmt_cut[i] = true;
                self.dirty = true;
                if self.ifaces[i].cfg.net == NetType::Broadcast
                    && self.ifaces[i].state != IfState::Waiting
                {
                    self.elect(now, i);
                }
            }
            for k in 0..self.ifaces[i].nbrs.len() {
                let port = self.ifaces[i].cfg.port;
                let n = &mut self.ifaces[i].nbrs[k];
                let addr = n.addr;
                if n.dbd_rxmt_at.is_some_and(|t| t <= now) {
                    n.dbd_rxmt_at = Some(now + RXMT);
                    let bytes = n.last_dbd.clone();
                    let src = self.ifaces[i].addr();
                    self.push(port, src, addr, bytes, PacketType::DbDescription);
                }
                let n = &mut self.ifaces[i].nbrs[k];
                if n.lsr_at.is_some_and(|t| t <= now) {
                    n.lsr_at = None;
                    self.send_lsr(i, k, now);
                }
                if self.ifaces[i].nbrs[k].rxmt_at.is_some_and(|t| t <= now) {
                    self.retransmit(i, k, now);
                }
            }
        }
        if self.house_at <= now {
            self.house_at = now + Duration::from_secs(60);
            self.housekeeping(now);
        }
        if self.orig_at.is_some_and(|t| t <= now) {
            // MinLSInterval is over: originate what was held back.
            self.orig_at = None;
            self.dirty = true;
        }
        if self.spf_at.is_some_and(|t| t <= now) {
            self.spf_at = None;
            self.run_spf(now);
        }
        self.finish(now);
    }

    /// Takes an OSPF packet that arrived on interface `port` from `src` to `dst`.
    pub fn handle_packet(
        &mut self,
        now: SimTime,
        port: usize,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        bytes: &[u8],
    ) {
        let Some(i) = self.ifaces.iter().position(|f| f.cfg.port == port) else {
            return;
        };
        let f = &self.ifaces[i];
        if f.state == IfState::Down || f.cfg.passive {
            return;
        }
        let mut hints = std::mem::take(&mut self.hints);
        hints.clear();
        let parsed =
            packet::parse_incoming_known(bytes, |area, all| self.holds(area, all, &mut hints));
        self.hints = hints;
        let repr = match parsed {
            Ok(r) => r,
            Err(e) => {
                self.notes.push_back(OspfNote::Dropped {
                    port,
                    reason: e.to_string(),
                });
                return;
            }
        };
        if repr.router_id == self.rid {
            return;
        }
        if repr.area != f.cfg.area {
            self.notes.push_back(OspfNote::Dropped {
                port,
                reason: format!(
                    "area {} from {} does not match this interface's area {}",
                    repr.area, repr.router_id, f.cfg.area
                ),
            });
            return;
        }
        if dst == ALL_D_ROUTERS && !matches!(f.state, IfState::Dr | IfState::Backup) {
            return;
        }
        if f.cfg.net == NetType::Broadcast && !f.cfg.addr.contains(src) {
            self.notes.push_back(OspfNote::Dropped {
                port,
                reason: format!("source {src} is not on this interface's network"),
            });
            return;
        }
        self.stats.received += 1;
        let rid = repr.router_id;
        let body = match repr.body {
            InBody::Update(lsas) => {
                if let Some(k) = self.nbr_idx(i, rid) {
                    let hints = std::mem::take(&mut self.hints);
                    self.recv_lsu(now, i, k, lsas, &hints);
                    self.hints = hints;
                }
                self.finish(now);
                return;
            }
            InBody::Ack(headers) => {
                if let Some(k) = self.nbr_idx(i, rid) {
                    self.recv_ack(i, k, headers.iter());
                }
                self.finish(now);
                return;
            }
            InBody::Other(body) => body,
        };
        match body {
            Body::Hello(h) => self.recv_hello(now, i, src, rid, &h),
            Body::DbDesc(d) => {
                if let Some(k) = self.nbr_idx(i, rid) {
                    self.recv_dbd(now, i, k, &d);
                }
            }
            Body::LsRequest(r) => {
                if let Some(k) = self.nbr_idx(i, rid) {
                    self.recv_lsr(now, i, k, &r);
                }
            }
            // `parse_incoming` hands updates over as `InBody::Update`.
            Body::LsUpdate(_) => {}
            // `parse_incoming` hands acknowledgements over as `InBody::Ack`.
            Body::LsAck(_) => {}
        }
        self.finish(now);
    }

    /// Whether the database holds these LSA bytes (header included; the
    /// age aside): bytes it checked when they arrived, or encoded itself.
    /// Notes in `hints` the slot the key was found in (`None` if not).
    fn holds(&self, area: Ipv4Addr, all: &[u8], hints: &mut Vec<Option<u32>>) -> bool {
        let found = LsaHeader::parse(all).ok().and_then(|h| {
            let db = self.db_of(area, h.key.ls_type)?;
            db.slot(&h.key).map(|s| (db, s))
        });
        hints.push(found.map(|(_, s)| s));
        found
            .and_then(|(db, s)| db.at_slot(s))
            .is_some_and(|e| e.bytes.get(2..) == all.get(2..))
    }

    pub(super) fn nbr_idx(&self, i: usize, rid: Ipv4Addr) -> Option<usize> {
        self.ifaces[i].nbrs.iter().position(|n| n.rid == rid)
    }

    pub(super) fn push(
        &mut self,
        port: usize,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        bytes: Vec<u8>,
        kind: PacketType,
    ) {
        self.stats.sent += 1;
        self.out.push_back(Transmit {
            port,
            src,
            dst,
            bytes,
            kind,
        });
    }

    /// Sends a packet out of interface `i`.
    pub(super) fn send(&mut self, i: usize, dst: Ipv4Addr, body: Body) {
        let f = &self.ifaces[i];
        let repr = Repr {
            router_id: self.rid,
            area: f.cfg.area,
            body,
        };
        let bytes = repr.to_bytes();
        let (port, src) = (f.cfg.port, f.addr());
        self.push(port, src, dst, bytes, repr.packet_type());
    }

    /// Sends a packet as [`Ospf::send`] does and returns a copy of its
    /// bytes (a DBD kept for retransmission).
    pub(super) fn send_kept(&mut self, i: usize, dst: Ipv4Addr, body: Body) -> Vec<u8> {
        self.send(i, dst, body);
        self.out.back().map(|t| t.bytes.clone()).unwrap_or_default()
    }

    pub(super) fn set_state(&mut self, i: usize, rid: Ipv4Addr, to: NbrState, event: NbrEvent) {
        let port = self.ifaces[i].cfg.port;
        let Some(k) = self.nbr_idx(i, rid) else {
            return;
        };
        let n = &mut self.ifaces[i].nbrs[k];
        let from = n.state;
        if from == to {
            return;
        }
        n.state = to;
        if to < NbrState::ExStart {
            n.clear_lists();
            self.rxmt_cut[i] = true;
        }
        if from == NbrState::Full || to == NbrState::Full {
            self.dirty = true;
        }
        self.notes.push_back(OspfNote::NbrState {
            port,
            rid,
            from,
            to,
            event,
        });
    }

    /// Whether every neighbour on every interface is in a final state
    /// (Full, or 2-Way between DROTHERs), no LSA waits for an acknowledgement
    /// and no origination waits for MinLSInterval.
    pub fn is_settled(&self) -> bool {
        self.orig_at.is_none()
            && self.ifaces.iter().all(|f| {
                f.state != IfState::Waiting
                    && f.nbrs.iter().all(|n| {
                        (n.state == NbrState::Full || n.state == NbrState::TwoWay)
                            && n.rxmt.is_empty()
                    })
            })
    }
}
