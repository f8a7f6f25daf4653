//! Spanning tree notes: what a switch's STP instance decided, worded with
//! port names and, where the lab knows them, the neighbour switches' names.

use std::fmt;

use lanlab_proto::stp::{Role, State};

use super::PortName;

/// Why a port is alternate or backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StpWhy {
    /// The switch whose BPDU wins (its name, or its bridge ID).
    pub from: String,
    /// Its port ID (`128.2`).
    pub their_port: String,
    /// Its root path cost.
    pub cost: u32,
    /// This switch's root port.
    pub root_port: Option<PortName>,
}

/// One spanning tree decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StpWhat {
    /// A new root bridge; the note's port is the root port (none: this switch is the root).
    NewRoot {
        /// The root (its name, or its bridge ID).
        root: String,
        /// Root path cost.
        cost: u32,
    },
    /// The port took a role.
    Role {
        /// The role.
        role: Role,
        /// For alternate and backup: why.
        why: Option<StpWhy>,
    },
    /// The port moved to a state; `next_in` seconds until the next one.
    State {
        /// The state.
        state: State,
        /// Seconds to the next state (listening and learning: forward delay).
        next_in: Option<u64>,
    },
    /// No BPDU for max age: the port's information aged out.
    InfoExpired,
    /// An inferior BPDU from the designated bridge, ignored until max age.
    InferiorIgnored,
    /// A topology change seen here.
    TopologyChange,
    /// A TCN arrived and was acknowledged.
    TcnReceived,
    /// Topology change: short MAC aging (802.1D) or a flush (rapid).
    Flush,
    /// Rapid: proposal sent.
    Proposal,
    /// Rapid: agreement received, forwarding.
    Agreed,
    /// Rapid: proposal on the root port, synced, agreement sent.
    AgreementSent,
    /// A BPDU on a portfast port.
    EdgeLost,
}

/// One STP note: instance (VLAN), port, decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StpNote {
    /// The VLAN of the instance.
    pub vlan: u16,
    /// The port concerned.
    pub port: Option<PortName>,
    /// What was decided.
    pub what: StpWhat,
}

impl fmt::Display for StpNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "STP VLAN {}: ", self.vlan)?;
        let port = self.port.as_deref().unwrap_or("?");
        match &self.what {
            StpWhat::NewRoot { root, cost } => match &self.port {
                None => write!(f, "this switch is the root bridge ({root})"),
                Some(p) => write!(f, "the root bridge is {root}, cost {cost} through {p}"),
            },
            StpWhat::Role { role, why: Some(w) } => {
                write!(
                    f,
                    "{port} is {role}: {}'s BPDU (its port {}, cost {}) offers a cheaper path to the root",
                    w.from, w.their_port, w.cost
                )?;
                if let Some(rp) = &w.root_port {
                    write!(f, "; the root is reached through {rp}")?;
                }
                Ok(())
            }
            StpWhat::Role { role, why: None } => write!(f, "{port} is {role} port"),
            StpWhat::State {
                state,
                next_in: Some(s),
            } => write!(f, "{port} is {state} (forward delay {s} s)"),
            StpWhat::State {
                state,
                next_in: None,
            } => write!(f, "{port} is {state}"),
            StpWhat::InfoExpired => {
                write!(
                    f,
                    "{port}: no BPDU for max age, the neighbour's information aged out"
                )
            }
            StpWhat::InferiorIgnored => write!(
                f,
                "{port}: an inferior BPDU from the designated bridge, ignored until max age"
            ),
            StpWhat::TopologyChange => write!(f, "topology change: {port} changed state"),
            StpWhat::TcnReceived => {
                write!(f, "topology change notification on {port}, acknowledged")
            }
            StpWhat::Flush => write!(
                f,
                "topology change: MAC addresses age out quickly (except on {port})"
            ),
            StpWhat::Proposal => write!(f, "{port} proposes to forward at once"),
            StpWhat::Agreed => write!(f, "{port} got an agreement: forwarding"),
            StpWhat::AgreementSent => {
                write!(
                    f,
                    "proposal on root port {port}: other ports synced, agreement sent"
                )
            }
            StpWhat::EdgeLost => {
                write!(f, "BPDU on portfast port {port}: no longer an edge port")
            }
        }
    }
}
