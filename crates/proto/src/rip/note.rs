//! What a RIP process decided and why, as typed notes with an English
//! `Display` (the app words them in Bahasa Indonesia too).

use core::fmt;
use std::net::Ipv4Addr;

use crate::net::ip::Ipv4Net;

/// One decision of the RIP engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A new route from a neighbour's update.
    Added {
        /// The network.
        dest: Ipv4Net,
        /// The next hop.
        via: Ipv4Addr,
        /// Hops.
        metric: u32,
        /// The neighbour that sent the update.
        from: Ipv4Addr,
    },
    /// A second (third, …) path with the same metric.
    EqualPath {
        /// The network.
        dest: Ipv4Net,
        /// The new next hop.
        via: Ipv4Addr,
        /// Hops.
        metric: u32,
    },
    /// A route's metric changed.
    Changed {
        /// The network.
        dest: Ipv4Net,
        /// The next hop now.
        via: Ipv4Addr,
        /// Hops before.
        old: u32,
        /// Hops now.
        new: u32,
    },
    /// One of several equal paths went.
    PathLost {
        /// The network.
        dest: Ipv4Net,
        /// The next hop that went.
        via: Ipv4Addr,
    },
    /// The neighbour advertised the route with metric 16.
    Poisoned {
        /// The network.
        dest: Ipv4Net,
        /// The neighbour.
        via: Ipv4Addr,
    },
    /// The interface a path went through is down (pulled cable,
    /// `shutdown`) or no longer runs RIP: the path goes at once.
    InterfaceDown {
        /// The network.
        dest: Ipv4Net,
        /// The next hop that went.
        via: Ipv4Addr,
        /// The interface.
        iface: String,
    },
    /// No update for 180 s: possibly down, held down.
    Invalid {
        /// The network.
        dest: Ipv4Net,
        /// The silent neighbour.
        via: Ipv4Addr,
    },
    /// News about a held-down route from another neighbour, ignored.
    HeldDown {
        /// The network.
        dest: Ipv4Net,
        /// The neighbour.
        from: Ipv4Addr,
        /// The hops it offered.
        metric: u32,
    },
    /// A held-down route is usable again.
    Restored {
        /// The network.
        dest: Ipv4Net,
        /// The next hop.
        via: Ipv4Addr,
        /// Hops.
        metric: u32,
    },
    /// 240 s without an update: removed.
    Flushed {
        /// The network.
        dest: Ipv4Net,
    },
    /// An update from an address not on the interface's subnet.
    NotNeighbour {
        /// Its source.
        from: Ipv4Addr,
        /// The interface.
        iface: String,
    },
    /// A neighbour asked for the whole table.
    AnsweredRequest {
        /// The neighbour.
        to: Ipv4Addr,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Added {
                dest,
                via,
                metric,
                from,
            } => write!(
                f,
                "RIP adds {dest} via {via}, metric {metric}: learned from {from}'s update"
            ),
            Note::EqualPath { dest, via, metric } => write!(
                f,
                "RIP adds a second path to {dest} via {via}: same metric {metric}, both are used"
            ),
            Note::Changed {
                dest,
                via,
                old,
                new,
            } => write!(
                f,
                "RIP changes {dest} to via {via}, metric {new} (was {old})"
            ),
            Note::PathLost { dest, via } => {
                write!(f, "RIP stops using {via} for {dest}; the other paths stay")
            }
            Note::Poisoned { dest, via } => write!(
                f,
                "RIP: {via} says {dest} is unreachable (metric 16): route held down for 180 s"
            ),
            Note::InterfaceDown { dest, via, iface } => write!(
                f,
                "RIP drops {dest} via {via} at once: {iface} is down or no longer runs RIP"
            ),
            Note::Invalid { dest, via } => write!(
                f,
                "RIP: no update about {dest} from {via} for 180 s: possibly down, held down"
            ),
            Note::HeldDown { dest, from, metric } => write!(
                f,
                "RIP ignores {from}'s metric {metric} for {dest}: the route is in holddown"
            ),
            Note::Restored { dest, via, metric } => {
                write!(
                    f,
                    "RIP: {dest} is reachable again via {via}, metric {metric}"
                )
            }
            Note::Flushed { dest } => {
                write!(f, "RIP flushes {dest}: 240 s without an update")
            }
            Note::NotNeighbour { from, iface } => write!(
                f,
                "RIP ignores an update from {from}: not on {iface}'s subnet"
            ),
            Note::AnsweredRequest { to } => {
                write!(f, "RIP answers {to}'s request with the whole table")
            }
        }
    }
}
