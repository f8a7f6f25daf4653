//! What an OSPF process did and why, as typed notes with an English
//! `Display` (the simulator words them for the student in both languages).

use core::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;

use super::iface::NbrState;
use super::lsa::LsaKey;
use super::spf::OspfRoute;
use crate::SimTime;
use crate::net::ip::Ipv4Net;

/// Why a neighbour changed state (the RFC 2328 §10.2 events).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum NbrEvent {
    /// A hello arrived.
    HelloReceived,
    /// A hello listed this router.
    TwoWayReceived,
    /// A hello no longer lists this router.
    OneWayReceived,
    /// Master and slave decided.
    NegotiationDone,
    /// All descriptions exchanged.
    ExchangeDone,
    /// All requested LSAs arrived.
    LoadingDone,
    /// A DBD out of order: start the exchange again.
    SeqNumberMismatch,
    /// The DR or BDR changed: adjacency wanted or not any more.
    AdjOk,
    /// No hello within the dead interval.
    InactivityTimer,
    /// The interface went down.
    KillNbr,
}

impl fmt::Display for NbrEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NbrEvent::HelloReceived => "hello received",
            NbrEvent::TwoWayReceived => "it lists us in its hello",
            NbrEvent::OneWayReceived => "its hello no longer lists us",
            NbrEvent::NegotiationDone => "master/slave negotiated",
            NbrEvent::ExchangeDone => "database descriptions exchanged",
            NbrEvent::LoadingDone => "Loading Done",
            NbrEvent::SeqNumberMismatch => "DBD sequence mismatch",
            NbrEvent::AdjOk => "DR/BDR changed",
            NbrEvent::InactivityTimer => "Dead timer expired",
            NbrEvent::KillNbr => "Interface down",
        })
    }
}

/// One OSPF note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum OspfNote {
    /// A neighbour moved to another state.
    NbrState {
        /// Interface index.
        port: usize,
        /// Neighbour's router id.
        rid: Ipv4Addr,
        /// Old state.
        from: NbrState,
        /// New state.
        to: NbrState,
        /// Why.
        event: NbrEvent,
    },
    /// Master/slave decided for a neighbour's database exchange.
    Negotiated {
        /// Interface index.
        port: usize,
        /// Neighbour's router id.
        rid: Ipv4Addr,
        /// Whether this router is the master.
        master: bool,
    },
    /// The DR/BDR election on an interface gave a new result.
    Elected {
        /// Interface index.
        port: usize,
        /// DR's address.
        dr: Ipv4Addr,
        /// BDR's address.
        bdr: Ipv4Addr,
    },
    /// This router originated a new instance of its LSA.
    Originated {
        /// Which LSA.
        key: LsaKey,
        /// Its sequence number.
        seq: u32,
    },
    /// A new instance of this router's LSA waits for MinLSInterval (5 s
    /// since the last one, RFC 2328 §12.4).
    Deferred {
        /// Which LSA.
        key: LsaKey,
        /// When it goes out.
        until: SimTime,
    },
    /// A newer LSA arrived less than MinLSArrival (1 s) after the copy
    /// installed from flooding: discarded, not acknowledged (§13 (5a)).
    TooSoon {
        /// Which LSA.
        key: LsaKey,
        /// Its sequence number.
        seq: u32,
        /// The neighbour it came from.
        from: Ipv4Addr,
    },
    /// This router flushed (MaxAge) an LSA of its own.
    Flushed {
        /// Which LSA.
        key: LsaKey,
    },
    /// A newer LSA arrived and went into the database (and is flooded on).
    Installed {
        /// Which LSA.
        key: LsaKey,
        /// Its sequence number.
        seq: u32,
        /// The neighbour it came from.
        from: Ipv4Addr,
    },
    /// SPF ran.
    Spf {
        /// Routers reached.
        routers: usize,
        /// Routes in the result.
        routes: usize,
    },
    /// SPF found a new route.
    RouteAdded(OspfRoute),
    /// SPF changed a route's path or cost.
    RouteChanged(OspfRoute),
    /// A route is gone.
    RouteRemoved {
        /// The destination.
        dest: Ipv4Net,
    },
    /// A hello that cannot form an adjacency.
    Mismatch {
        /// Interface index.
        port: usize,
        /// Sender's router id.
        rid: Ipv4Addr,
        /// What differs.
        what: &'static str,
    },
    /// A packet was discarded.
    Dropped {
        /// Interface index.
        port: usize,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for OspfNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OspfNote::NbrState {
                rid,
                from,
                to,
                event,
                ..
            } => write!(f, "OSPF neighbour {rid} from {from} to {to}: {event}"),
            OspfNote::Negotiated { rid, master, .. } => write!(
                f,
                "OSPF negotiation with {rid} done: we are the {}",
                if *master { "MASTER" } else { "SLAVE" }
            ),
            OspfNote::Elected { dr, bdr, .. } => {
                write!(f, "OSPF election: DR {dr}, BDR {bdr}")
            }
            OspfNote::Originated { key, seq } => {
                write!(
                    f,
                    "OSPF originates its {key} (seq 0x{seq:08x}) and floods it"
                )
            }
            OspfNote::Deferred { key, until } => write!(
                f,
                "OSPF holds back a new instance of its {key} until {until}: \
                 less than MinLSInterval (5 s) since the last one"
            ),
            OspfNote::TooSoon { key, seq, from } => write!(
                f,
                "OSPF discards {key} (seq 0x{seq:08x}) from {from}: less than \
                 MinLSArrival (1 s) since the last instance arrived; not acknowledged"
            ),
            OspfNote::Flushed { key } => write!(f, "OSPF flushes its {key} (MaxAge)"),
            OspfNote::Installed { key, seq, from } => write!(
                f,
                "OSPF installs {key} (seq 0x{seq:08x}) received from {from} and floods it on"
            ),
            OspfNote::Spf { routers, routes } => write!(
                f,
                "OSPF SPF run: {routers} routers reachable, {routes} routes"
            ),
            OspfNote::RouteAdded(r) => write!(f, "OSPF adds {r}"),
            OspfNote::RouteChanged(r) => write!(f, "OSPF changes route: {r}"),
            OspfNote::RouteRemoved { dest } => {
                write!(f, "OSPF removes {dest}: no longer reachable")
            }
            OspfNote::Mismatch { rid, what, .. } => {
                write!(f, "OSPF hello from {rid} ignored: {what} mismatch")
            }
            OspfNote::Dropped { reason, .. } => write!(f, "OSPF packet dropped: {reason}"),
        }
    }
}
