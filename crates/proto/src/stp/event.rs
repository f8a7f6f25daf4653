//! What a spanning tree instance decided, as typed values with an English
//! `Display` (the trace notes and the inspector's "why").

use std::fmt;

use serde::Serialize;

use super::id::{BridgeId, PortId};
use super::types::{Role, State};

/// Why a port is alternate (or backup): whose BPDU beats this bridge's own
/// offer on that segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AlternateWhy {
    /// The bridge whose BPDU is better.
    pub bridge: BridgeId,
    /// Its port.
    pub port: PortId,
    /// Its root path cost.
    pub cost: u32,
    /// This bridge's own port that leads to the root.
    pub root_port: Option<usize>,
}

/// One decision of a spanning tree instance. Ports are indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Event {
    /// This bridge now believes `root` is the root bridge.
    NewRoot {
        /// The root.
        root: BridgeId,
        /// The root port, `None` when this bridge is the root.
        port: Option<usize>,
        /// Root path cost.
        cost: u32,
    },
    /// A port took a new role.
    Role {
        /// The port.
        port: usize,
        /// Its role.
        role: Role,
        /// For an alternate or backup port: the better BPDU.
        why: Option<AlternateWhy>,
    },
    /// A port moved to a new state.
    State {
        /// The port.
        port: usize,
        /// Its state.
        state: State,
    },
    /// The information stored for a port aged out (max age; 3 × hello in
    /// rapid mode): the neighbour's BPDUs stopped.
    InfoExpired {
        /// The port.
        port: usize,
    },
    /// A BPDU worse than the one stored was ignored (802.1D waits max age).
    InferiorIgnored {
        /// The port.
        port: usize,
    },
    /// This bridge saw a topology change (a port went forwarding or
    /// stopped forwarding) and tells the root (TCN) or everyone (TC flag).
    TopologyChange {
        /// The port whose state changed.
        port: usize,
    },
    /// A TCN came in on a designated port: acknowledged, passed on.
    TcnReceived {
        /// The port.
        port: usize,
    },
    /// A topology change is in progress: MAC addresses age out after the
    /// forward delay (802.1D) or are flushed (rapid), except on `keep`.
    Flush {
        /// The port whose addresses stay (where the TC came from).
        keep: Option<usize>,
    },
    /// Rapid: a designated port proposes to go forwarding at once.
    Proposal {
        /// The port.
        port: usize,
    },
    /// Rapid: the neighbour agreed; the port forwards at once.
    Agreed {
        /// The port.
        port: usize,
    },
    /// Rapid: a proposal came in on the root port; the other ports were
    /// synced and an agreement sent back.
    AgreementSent {
        /// The root port.
        port: usize,
    },
    /// A BPDU arrived on a portfast (edge) port: it is not an edge any more.
    EdgeLost {
        /// The port.
        port: usize,
    },
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::NewRoot {
                root, port: None, ..
            } => write!(f, "this bridge ({root}) is the root"),
            Event::NewRoot {
                root,
                port: Some(p),
                cost,
            } => write!(f, "root is {root}, cost {cost} via port {p}"),
            Event::Role {
                port,
                role,
                why: Some(w),
            } => write!(
                f,
                "port {port} is {role}: the BPDU of {} (port {}, cost {}) offers a better path to the root",
                w.bridge, w.port, w.cost
            ),
            Event::Role { port, role, .. } => write!(f, "port {port} is {role}"),
            Event::State { port, state } => write!(f, "port {port} is {state}"),
            Event::InfoExpired { port } => {
                write!(
                    f,
                    "port {port}: no BPDU for max age, its information aged out"
                )
            }
            Event::InferiorIgnored { port } => {
                write!(f, "port {port}: inferior BPDU ignored until max age")
            }
            Event::TopologyChange { port } => write!(f, "topology change on port {port}"),
            Event::TcnReceived { port } => {
                write!(f, "TCN received on port {port}, acknowledged")
            }
            Event::Flush { keep: Some(p) } => {
                write!(
                    f,
                    "topology change: MAC addresses flushed except on port {p}"
                )
            }
            Event::Flush { keep: None } => write!(f, "topology change: short MAC aging"),
            Event::Proposal { port } => write!(f, "port {port} sends a proposal"),
            Event::Agreed { port } => write!(f, "port {port} got an agreement: forwarding"),
            Event::AgreementSent { port } => {
                write!(f, "proposal on root port {port}: synced, agreement sent")
            }
            Event::EdgeLost { port } => {
                write!(f, "BPDU on portfast port {port}: no longer an edge port")
            }
        }
    }
}
