//! A listening port (RFC 9293 §3.10.7.2, "If the state is LISTEN").
//!
//! The listener keeps no per-connection state: for each segment that reaches
//! it, it says whether to ignore it, answer with RST, or accept it by
//! creating a [`Connection`](super::Connection) with
//! [`Connection::accept`](super::Connection::accept).

use core::fmt;
use std::net::SocketAddrV4;

use serde::{Deserialize, Serialize};

use super::segment::{Segment, reset_for};
use super::types::State;

/// What a listener does with a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenAction {
    /// Drop it silently (a RST, or a segment with neither SYN nor ACK).
    Ignore,
    /// Answer with this RST (an ACK for a connection that does not exist).
    Reset(Segment),
    /// A connection request: create a connection with `Connection::accept`.
    Accept,
}

/// A passive open on a local address and port.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Listener {
    local: SocketAddrV4,
}

impl Listener {
    /// Listen on `local` (address `0.0.0.0` for any local address).
    pub fn new(local: SocketAddrV4) -> Self {
        Listener { local }
    }

    /// The address and port listened on.
    pub fn local(&self) -> SocketAddrV4 {
        self.local
    }

    /// Always [`State::Listen`], for `netstat`.
    pub fn state(&self) -> State {
        State::Listen
    }

    /// Decide what to do with `seg`, which arrived for the listening port.
    pub fn handle_segment(&self, seg: &Segment) -> ListenAction {
        // "First, check for a RST: an incoming RST segment could not be
        // valid ... It should be ignored."
        if seg.is_rst() {
            return ListenAction::Ignore;
        }
        // "Second, check for an ACK: any acknowledgment is bad if it arrives
        // on a connection still in the LISTEN state. An acceptable reset
        // segment should be formed for any arriving ACK-bearing segment."
        if seg.ack.is_some() {
            return reset_for(seg).map_or(ListenAction::Ignore, ListenAction::Reset);
        }
        // "Third, check for a SYN."
        if seg.is_syn() {
            return ListenAction::Accept;
        }
        ListenAction::Ignore
    }
}

impl fmt::Display for Listener {
    /// A `netstat` line: `tcp  10.0.0.2:80  0.0.0.0:*  LISTEN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tcp  {}  0.0.0.0:*  LISTEN", self.local)
    }
}
