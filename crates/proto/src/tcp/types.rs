//! The vocabulary of the TCP engine: connection states (RFC 9293 §3.3.2),
//! events for the application, trace notes for the PDU inspector, and the
//! tunables.

use core::fmt;
use core::time::Duration;

use serde::{Deserialize, Serialize};

/// A connection state (RFC 9293 §3.3.2), as `netstat` shows it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    /// No connection.
    Closed,
    /// Waiting for a connection request (listeners only).
    Listen,
    /// SYN sent, waiting for the peer's SYN.
    SynSent,
    /// SYN received and answered, waiting for the ACK of our SYN.
    SynReceived,
    /// Open: data flows both ways.
    Established,
    /// We closed; our FIN is not yet acknowledged.
    FinWait1,
    /// We closed and our FIN is acknowledged; waiting for the peer's FIN.
    FinWait2,
    /// The peer closed; waiting for our application to close.
    CloseWait,
    /// Both closed at once; waiting for the ACK of our FIN.
    Closing,
    /// The peer closed, then we did; waiting for the ACK of our FIN.
    LastAck,
    /// Both FINs acknowledged; lingering 2×MSL for stray segments.
    TimeWait,
}

impl State {
    /// Whether the SYNs have been exchanged (RFC 9293's "synchronized states").
    pub fn is_synchronized(self) -> bool {
        !matches!(self, State::Closed | State::Listen | State::SynSent)
    }
}

impl fmt::Display for State {
    /// The RFC's name: `LISTEN`, `SYN-SENT`, `ESTABLISHED`, `TIME-WAIT`, …
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Closed => "CLOSED",
            State::Listen => "LISTEN",
            State::SynSent => "SYN-SENT",
            State::SynReceived => "SYN-RECEIVED",
            State::Established => "ESTABLISHED",
            State::FinWait1 => "FIN-WAIT-1",
            State::FinWait2 => "FIN-WAIT-2",
            State::CloseWait => "CLOSE-WAIT",
            State::Closing => "CLOSING",
            State::LastAck => "LAST-ACK",
            State::TimeWait => "TIME-WAIT",
        })
    }
}

/// Something the application should hear about.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Event {
    /// The handshake completed: the connection is ESTABLISHED.
    Connected,
    /// New in-order data waits in the receive buffer.
    DataReadable,
    /// The peer sent FIN: no more data will arrive.
    PeerClosed,
    /// The connection closed normally (both FINs acknowledged).
    Closed,
    /// The peer reset the connection (or refused it).
    Reset,
    /// Retransmissions went unanswered; the connection was dropped.
    TimedOut,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Event::Connected => "connection established",
            Event::DataReadable => "data ready to read",
            Event::PeerClosed => "peer closed its side",
            Event::Closed => "connection closed",
            Event::Reset => "connection reset",
            Event::TimedOut => "connection timed out",
        })
    }
}

/// A decision the engine made, for the trace (the device's reason, not its
/// output). The UI translates it; `Display` is the English wording.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// The state machine moved.
    StateChanged {
        /// Old state.
        from: State,
        /// New state.
        to: State,
    },
    /// The retransmission timer fired; sending again from `seq`.
    Retransmit {
        /// First sequence number sent again.
        seq: u32,
        /// The timeout that expired, in milliseconds.
        rto_ms: u64,
    },
    /// Three duplicate ACKs: resending the missing segment at once (RFC 5681 §3.2).
    FastRetransmit {
        /// Sequence number resent.
        seq: u32,
    },
    /// A duplicate ACK arrived (the peer is missing `ack`).
    DuplicateAck {
        /// The repeated acknowledgment number.
        ack: u32,
        /// How many duplicates in a row.
        count: u32,
    },
    /// A segment arrived ahead of a gap and was kept for later.
    OutOfOrder {
        /// Its sequence number.
        seq: u32,
        /// The sequence number we wait for.
        expected: u32,
    },
    /// Buffered out-of-order data filled a gap.
    GapFilled {
        /// The new next expected sequence number.
        rcv_nxt: u32,
    },
    /// A segment fell outside the receive window and was answered with an ACK.
    OutsideWindow {
        /// Its sequence number.
        seq: u32,
        /// The sequence number we wait for.
        expected: u32,
    },
    /// A segment acknowledged data never sent.
    AckOfUnsent {
        /// The acknowledgment number.
        ack: u32,
        /// Our next sequence number.
        snd_nxt: u32,
    },
    /// The receive buffer is full: advertising window 0.
    WindowFull,
    /// The peer's window is 0; probing it.
    ZeroWindowProbe {
        /// Sequence number of the probe byte.
        seq: u32,
    },
    /// A round-trip sample updated the retransmission timeout (RFC 6298).
    RttSample {
        /// Measured round trip, in milliseconds.
        rtt_ms: u64,
        /// New retransmission timeout, in milliseconds.
        rto_ms: u64,
    },
    /// RST or SYN inside the window but not where expected: challenge ACK (RFC 5961).
    ChallengeAck,
    /// The peer reset the connection.
    PeerReset,
    /// The peer refused the connection (RST answering our SYN).
    Refused,
    /// Gave up after too many retransmissions.
    GaveUp {
        /// Retransmissions tried.
        retries: u32,
    },
    /// The application aborted: sending RST.
    Aborted,
    /// TIME-WAIT ended.
    TimeWaitOver,
    /// A segment for a closed port was answered with RST (RFC 9293 §3.10.7.1).
    ClosedPort {
        /// The port nobody listens on.
        port: u16,
        /// Whether the segment was a SYN (a connection attempt).
        syn: bool,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::StateChanged { from, to } => write!(f, "{from} → {to}"),
            Note::Retransmit { seq, rto_ms } => {
                write!(f, "retransmitting seq {seq} after RTO {rto_ms} ms")
            }
            Note::FastRetransmit { seq } => {
                write!(f, "3 duplicate ACKs: fast retransmit of seq {seq}")
            }
            Note::DuplicateAck { ack, count } => {
                write!(
                    f,
                    "duplicate ACK {ack} (#{count}): peer is missing seq {ack}"
                )
            }
            Note::OutOfOrder { seq, expected } => write!(
                f,
                "segment seq {seq} out of order (expected {expected}): kept for later"
            ),
            Note::GapFilled { rcv_nxt } => {
                write!(
                    f,
                    "gap filled from buffered segments: next expected {rcv_nxt}"
                )
            }
            Note::OutsideWindow { seq, expected } => write!(
                f,
                "segment seq {seq} outside receive window (expected {expected}): ACK"
            ),
            Note::AckOfUnsent { ack, snd_nxt } => write!(
                f,
                "ACK {ack} acknowledges data not yet sent (next is {snd_nxt}): ignored"
            ),
            Note::WindowFull => write!(f, "receive buffer full: window 0"),
            Note::ZeroWindowProbe { seq } => {
                write!(f, "peer window is 0: probing with seq {seq}")
            }
            Note::RttSample { rtt_ms, rto_ms } => {
                write!(f, "round trip {rtt_ms} ms: RTO now {rto_ms} ms")
            }
            Note::ChallengeAck => write!(
                f,
                "unexpected RST/SYN inside the window: challenge ACK (RFC 5961)"
            ),
            Note::PeerReset => write!(f, "connection reset by peer"),
            Note::Refused => write!(f, "connection refused: RST answered our SYN"),
            Note::GaveUp { retries } => write!(
                f,
                "no answer after {retries} retransmissions: connection timed out"
            ),
            Note::Aborted => write!(f, "connection aborted: RST"),
            Note::TimeWaitOver => write!(f, "TIME-WAIT over (2×MSL): CLOSED"),
            Note::ClosedPort { port, syn: true } => write!(f, "SYN to closed port {port}: RST"),
            Note::ClosedPort { port, syn: false } => {
                write!(f, "segment to closed port {port}: RST")
            }
        }
    }
}

/// Tunables of a connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// Our MSS, advertised in the SYN (default 1460: Ethernet MTU − 40).
    pub mss: u16,
    /// Receive buffer size in bytes; the advertised window is what is free
    /// (at most 65535, no window scaling).
    pub recv_buffer: usize,
    /// Send buffer size in bytes: `send` accepts at most this much unacknowledged data.
    pub send_buffer: usize,
    /// Retransmission timeout before any RTT sample (RFC 6298: 1 s).
    pub initial_rto: Duration,
    /// Lower bound of the RTO.
    pub min_rto: Duration,
    /// Upper bound of the RTO after back-off.
    pub max_rto: Duration,
    /// Retransmissions of a SYN or SYN-ACK before giving up with [`Event::TimedOut`].
    pub max_syn_retries: u32,
    /// Retransmissions of the same data or FIN before giving up.
    pub max_retries: u32,
    /// Maximum segment lifetime; TIME-WAIT lasts 2×MSL.
    pub msl: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mss: 1460,
            recv_buffer: 65535,
            send_buffer: 256 * 1024,
            initial_rto: Duration::from_secs(1),
            min_rto: Duration::from_millis(200),
            max_rto: Duration::from_secs(60),
            max_syn_retries: 6,
            max_retries: 10,
            msl: Duration::from_secs(2),
        }
    }
}

/// A snapshot of a connection's transmission control block (RFC 9293
/// §3.3.1), what the inspector shows next to `netstat`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tcb {
    /// Connection state.
    pub state: State,
    /// Our initial sequence number.
    pub iss: u32,
    /// Oldest unacknowledged sequence number.
    pub snd_una: u32,
    /// Next new sequence number to send.
    pub snd_nxt: u32,
    /// The peer's advertised window.
    pub snd_wnd: u32,
    /// The peer's initial sequence number.
    pub irs: u32,
    /// Next sequence number expected from the peer.
    pub rcv_nxt: u32,
    /// Our receive window.
    pub rcv_wnd: u32,
    /// MSS of our segments.
    pub send_mss: u16,
    /// Congestion window, in bytes.
    pub cwnd: u32,
    /// Slow-start threshold, in bytes (`u32::MAX` until the first loss).
    pub ssthresh: u32,
    /// Retransmission timeout, in milliseconds.
    pub rto_ms: u64,
    /// Smoothed round-trip time, in milliseconds, once measured.
    pub srtt_ms: Option<u64>,
    /// Bytes not yet acknowledged by the peer (Send-Q).
    pub send_queue: usize,
    /// Bytes not yet read by the application (Recv-Q).
    pub recv_queue: usize,
    /// Consecutive retransmission timeouts.
    pub retries: u32,
}
