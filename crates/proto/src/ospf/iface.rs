//! OSPF interfaces and neighbours (RFC 2328 §9, §10): their configuration,
//! their states, the data kept per neighbour, and the DR/BDR election
//! (§9.4).

use core::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;

use super::lsa::{LsaHeader, LsaKey};
use super::lsa_list::LsaList;
use crate::SimTime;
use crate::net::ip::Ipv4Net;

/// How OSPF treats the network of an interface.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum NetType {
    /// A multi-access network (Ethernet): DR and BDR are elected.
    Broadcast,
    /// Exactly one neighbour: no election.
    PointToPoint,
}

/// One interface's OSPF configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IfaceConfig {
    /// The router's interface index (what packets arrive on and leave by).
    pub port: usize,
    /// Its address and prefix.
    pub addr: Ipv4Net,
    /// The area it is in.
    pub area: Ipv4Addr,
    /// Broadcast or point-to-point.
    pub net: NetType,
    /// Cost of sending out of it.
    pub cost: u16,
    /// Router priority (0: never DR or BDR).
    pub priority: u8,
    /// Advertised, but no hellos sent or heard.
    pub passive: bool,
    /// MTU announced in Database Description packets.
    pub mtu: u16,
}

/// Interface state (§9.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum IfState {
    /// Link down.
    Down,
    /// Waiting to learn of a DR before electing one.
    Waiting,
    /// Point-to-point: an adjacency with the one neighbour.
    PointToPoint,
    /// Neither DR nor BDR.
    DrOther,
    /// Backup designated router.
    Backup,
    /// Designated router.
    Dr,
}

impl fmt::Display for IfState {
    /// The words of `show ip ospf interface`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IfState::Down => "DOWN",
            IfState::Waiting => "WAIT",
            IfState::PointToPoint => "P2P",
            IfState::DrOther => "DROTH",
            IfState::Backup => "BDR",
            IfState::Dr => "DR",
        })
    }
}

/// Neighbour state (§10.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum NbrState {
    /// Nothing heard.
    Down,
    /// A hello heard, but it does not list this router yet.
    Init,
    /// Hellos both ways; no adjacency wanted (two DROTHERs).
    TwoWay,
    /// Deciding master and slave.
    ExStart,
    /// Exchanging database descriptions.
    Exchange,
    /// Asking for the LSAs still missing.
    Loading,
    /// Databases synchronised.
    Full,
}

impl fmt::Display for NbrState {
    /// As IOS prints it (`FULL`, `2WAY`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NbrState::Down => "DOWN",
            NbrState::Init => "INIT",
            NbrState::TwoWay => "2WAY",
            NbrState::ExStart => "EXSTART",
            NbrState::Exchange => "EXCHANGE",
            NbrState::Loading => "LOADING",
            NbrState::Full => "FULL",
        })
    }
}

/// What this router keeps about one neighbour.
#[derive(Clone, Debug)]
pub(super) struct Nbr {
    pub rid: Ipv4Addr,
    pub addr: Ipv4Addr,
    pub priority: u8,
    pub state: NbrState,
    /// DR and BDR as the neighbour declares them.
    pub dr: Ipv4Addr,
    pub bdr: Ipv4Addr,
    pub dead_at: SimTime,
    pub master: bool,
    pub dd_seq: u32,
    /// Headers still to describe.
    pub summary: Vec<LsaHeader>,
    /// The last DBD sent (bytes), for retransmission and duplicates.
    pub last_dbd: Vec<u8>,
    /// Whether the last DBD sent had the M bit.
    pub last_more: bool,
    /// Flags and sequence of the last DBD received.
    pub last_rcv: Option<(u8, u32)>,
    pub dbd_rxmt_at: Option<SimTime>,
    /// LSAs to ask for, with the instance described.
    pub requests: LsaList,
    pub lsr_sent: Vec<LsaKey>,
    pub lsr_at: Option<SimTime>,
    /// LSAs flooded and not yet acknowledged.
    pub rxmt: LsaList,
    pub rxmt_at: Option<SimTime>,
}

impl Nbr {
    pub fn new(rid: Ipv4Addr, addr: Ipv4Addr, now: SimTime) -> Nbr {
        Nbr {
            rid,
            addr,
            priority: 1,
            state: NbrState::Down,
            dr: Ipv4Addr::UNSPECIFIED,
            bdr: Ipv4Addr::UNSPECIFIED,
            dead_at: now,
            master: false,
            dd_seq: 0,
            summary: Vec::new(),
            last_dbd: Vec::new(),
            last_more: false,
            last_rcv: None,
            dbd_rxmt_at: None,
            requests: LsaList::new(),
            lsr_sent: Vec::new(),
            lsr_at: None,
            rxmt: LsaList::new(),
            rxmt_at: None,
        }
    }

    /// Forgets the adjacency's lists (§10.3 "clear the lists").
    pub fn clear_lists(&mut self) {
        self.summary.clear();
        self.requests.clear();
        self.lsr_sent.clear();
        self.lsr_at = None;
        self.rxmt.clear();
        self.rxmt_at = None;
        self.dbd_rxmt_at = None;
        self.last_rcv = None;
    }
}

/// One OSPF interface.
#[derive(Clone, Debug)]
pub(super) struct Iface {
    pub cfg: IfaceConfig,
    pub state: IfState,
    /// DR and BDR interface addresses (0.0.0.0: none).
    pub dr: Ipv4Addr,
    pub bdr: Ipv4Addr,
    pub nbrs: Vec<Nbr>,
    pub hello_at: Option<SimTime>,
    pub wait_until: Option<SimTime>,
    /// When the delayed acknowledgements gathered are due (§13.5).
    pub ack_at: Option<SimTime>,
    /// When the flood pacing lets the next update out.
    pub pace_at: Option<SimTime>,
}

impl Iface {
    pub fn new(cfg: IfaceConfig) -> Iface {
        Iface {
            cfg,
            state: IfState::Down,
            dr: Ipv4Addr::UNSPECIFIED,
            bdr: Ipv4Addr::UNSPECIFIED,
            nbrs: Vec::new(),
            hello_at: None,
            wait_until: None,
            ack_at: None,
            pace_at: None,
        }
    }

    pub fn addr(&self) -> Ipv4Addr {
        self.cfg.addr.addr
    }

    /// Whether an adjacency should form with this neighbour (§10.4).
    pub fn adj_ok(&self, n: &Nbr) -> bool {
        match self.cfg.net {
            NetType::PointToPoint => true,
            NetType::Broadcast => {
                matches!(self.state, IfState::Dr | IfState::Backup)
                    || n.addr == self.dr
                    || n.addr == self.bdr
            }
        }
    }

    /// The DR/BDR election (§9.4); sets `dr`, `bdr` and the state.
    pub fn elect(&mut self, rid: Ipv4Addr) {
        let me = self.addr();
        let old = (self.dr, self.bdr);
        // (priority, router id, address, declared DR, declared BDR)
        let mut cands: Vec<(u8, Ipv4Addr, Ipv4Addr, Ipv4Addr, Ipv4Addr)> = self
            .nbrs
            .iter()
            .filter(|n| n.state >= NbrState::TwoWay && n.priority > 0)
            .map(|n| (n.priority, n.rid, n.addr, n.dr, n.bdr))
            .collect();
        let mine = |dr, bdr| (self.cfg.priority, rid, me, dr, bdr);
        let run = |c: &[(u8, Ipv4Addr, Ipv4Addr, Ipv4Addr, Ipv4Addr)]| {
            let best = |it: &mut dyn Iterator<
                Item = &(u8, Ipv4Addr, Ipv4Addr, Ipv4Addr, Ipv4Addr),
            >| { it.max_by_key(|c| (c.0, c.1)).map(|c| c.2) };
            let not_dr: Vec<_> = c.iter().filter(|x| x.3 != x.2).collect();
            let bdr = best(&mut not_dr.iter().copied().filter(|x| x.4 == x.2))
                .or_else(|| best(&mut not_dr.iter().copied()))
                .unwrap_or(Ipv4Addr::UNSPECIFIED);
            let dr = best(&mut c.iter().filter(|x| x.3 == x.2)).unwrap_or(bdr);
            (dr, bdr)
        };
        let mut all = cands.clone();
        if self.cfg.priority > 0 {
            all.push(mine(self.dr, self.bdr));
        }
        let (mut dr, mut bdr) = run(&all);
        // Step 4: if this router's role changed, run again with its new claims.
        let was = (old.0 == me, old.1 == me);
        if (dr == me, bdr == me) != was && self.cfg.priority > 0 {
            cands.push(mine(dr, bdr));
            (dr, bdr) = run(&cands);
        }
        self.dr = dr;
        self.bdr = bdr;
        self.state = if dr == me {
            IfState::Dr
        } else if bdr == me {
            IfState::Backup
        } else {
            IfState::DrOther
        };
    }
}

/// A neighbour as `show ip ospf neighbor` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NbrView {
    /// Its router id.
    pub rid: Ipv4Addr,
    /// Its priority.
    pub priority: u8,
    /// The adjacency's state.
    pub state: NbrState,
    /// Its role on the network (`DR`, `BDR`, `DROTHER`, or `-` on point-to-point).
    pub role: &'static str,
    /// Seconds until it is declared dead.
    pub dead_in: u64,
    /// Its interface address.
    pub addr: Ipv4Addr,
    /// The interface (router's index).
    pub port: usize,
}

/// An interface as `show ip ospf interface` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IfaceView {
    /// Its configuration.
    pub cfg: IfaceConfig,
    /// Its state.
    pub state: IfState,
    /// The DR's address (0.0.0.0: none).
    pub dr: Ipv4Addr,
    /// The DR's router id, when known.
    pub dr_rid: Option<Ipv4Addr>,
    /// The BDR's address.
    pub bdr: Ipv4Addr,
    /// The BDR's router id, when known.
    pub bdr_rid: Option<Ipv4Addr>,
    /// Neighbours heard.
    pub nbrs: usize,
    /// Neighbours fully adjacent.
    pub adjacent: usize,
    /// Seconds until the next hello.
    pub hello_in: u64,
}
