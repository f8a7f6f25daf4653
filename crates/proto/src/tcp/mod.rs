//! TCP (RFC 9293): a sans-IO connection engine over `smoltcp::wire` segments.
//!
//! Transport layer of the simulated hosts. [`Segment`] is an owned segment
//! with a codec built on smoltcp's `TcpPacket`/`TcpRepr`; [`Connection`] is one
//! end of a connection (the RFC 9293 §3.3.2 state machine, retransmission per
//! RFC 6298, Reno congestion control after RFC 5681, RFC 5961 challenge ACKs);
//! [`Listener`] answers segments for a listening port; [`reset_for`] answers
//! segments for closed ones (§3.10.7.1).
//!
//! Like every engine in this crate it owns no socket and reads no clock: the
//! host feeds segments and `now` in, polls segments, events and trace
//! [`Note`]s out, and calls back at [`Connection::poll_timeout`].
//!
//! ```
//! use std::net::{Ipv4Addr, SocketAddrV4};
//! use lanlab_proto::SimTime;
//! use lanlab_proto::tcp::{Connection, Event, ListenAction, Listener, Segment, State};
//!
//! let (pc, server) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
//! let (client_addr, server_addr) = (SocketAddrV4::new(pc, 1025), SocketAddrV4::new(server, 25));
//! let now = SimTime::ZERO;
//! let mut client = Connection::connect(client_addr, server_addr, 100, now);
//! let listener = Listener::new(server_addr);
//!
//! // The SYN crosses the wire as bytes; the server's listener accepts it.
//! let syn = client.poll_transmit(now).unwrap();
//! assert_eq!(syn.to_string(), "1025 → 25 [SYN] seq=100 win=65535 mss=1460");
//! let syn = Segment::parse(pc, server, &syn.emit(pc, server)).unwrap();
//! assert_eq!(listener.handle_segment(&syn), ListenAction::Accept);
//! let mut conn = Connection::accept(server_addr, client_addr, &syn, 300, now);
//!
//! // SYN-ACK, then the client's ACK carrying its first data.
//! let syn_ack = conn.poll_transmit(now).unwrap();
//! client.handle_segment(now, &syn_ack);
//! assert_eq!(client.state(), State::Established);
//! client.send(b"HELO pc\r\n");
//! while let Some(seg) = client.poll_transmit(now) {
//!     conn.handle_segment(now, &seg);
//! }
//! assert_eq!(conn.poll_event(), Some(Event::Connected));
//! assert_eq!(conn.poll_event(), Some(Event::DataReadable));
//! assert_eq!(conn.recv(), b"HELO pc\r\n");
//! ```

mod connection;
mod input;
mod listener;
mod output;
mod reassembly;
mod segment;
mod timers;
mod types;

#[cfg(test)]
mod tests;

pub use connection::Connection;
pub use listener::{ListenAction, Listener};
pub use segment::{Control, Segment, reset_for};
pub use types::{Config, Event, Note, State, Tcb};

/// Why a TCP segment could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Fewer bytes than a TCP header (or than its data offset) needs.
    #[error("TCP segment truncated: {len} bytes is shorter than its header")]
    Truncated {
        /// Bytes received.
        len: usize,
    },
    /// The checksum over the pseudo-header and segment does not match.
    #[error("TCP checksum {checksum:#06x} is wrong: segment damaged in transit")]
    BadChecksum {
        /// The checksum field as received.
        checksum: u16,
    },
    /// Zero port, impossible flag combination or broken options.
    #[error("TCP segment malformed: zero port, conflicting flags or broken options")]
    Malformed,
}

/// Sequence-number arithmetic modulo 2³² (RFC 9293 §3.4).
pub(crate) mod seq {
    /// `a < b` in sequence space.
    pub fn lt(a: u32, b: u32) -> bool {
        (a.wrapping_sub(b) as i32) < 0
    }
    /// `a <= b` in sequence space.
    pub fn le(a: u32, b: u32) -> bool {
        (a.wrapping_sub(b) as i32) <= 0
    }
    /// `a > b` in sequence space.
    pub fn gt(a: u32, b: u32) -> bool {
        lt(b, a)
    }
    /// `a >= b` in sequence space.
    pub fn ge(a: u32, b: u32) -> bool {
        le(b, a)
    }
    /// `lo <= x < hi` in sequence space.
    pub fn in_range(x: u32, lo: u32, hi: u32) -> bool {
        le(lo, x) && lt(x, hi)
    }
    /// The distance from `from` to `to`, assuming `to` is not before `from`.
    pub fn diff(to: u32, from: u32) -> u32 {
        to.wrapping_sub(from)
    }
}
