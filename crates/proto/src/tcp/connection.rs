//! One end of a TCP connection: the transmission control block (RFC 9293
//! §3.3.1), the user calls (§3.10.1–3.10.6) and the timers (§3.8.1, RFC 6298).
//!
//! Segment arrival lives in `input.rs`, segment output in `output.rs`,
//! timers in `timers.rs`.

use core::fmt;
use std::collections::VecDeque;
use std::net::SocketAddrV4;
use std::time::Duration;

use super::reassembly::RecvBuffer;
use super::segment::Segment;
use super::seq;
use super::types::{Config, Event, Note, State, Tcb};
use crate::SimTime;

/// MSS assumed when the peer's SYN carries no MSS option (RFC 9293 §3.7.1).
pub(super) const DEFAULT_PEER_MSS: u16 = 536;

/// One end of a TCP connection, as a value: feed it segments and time, poll
/// segments, events and notes out.
#[derive(Clone, Debug)]
pub struct Connection {
    pub(super) config: Config,
    pub(super) local: SocketAddrV4,
    pub(super) remote: SocketAddrV4,
    pub(super) state: State,
    pub(super) state_since: SimTime,
    /// The latest time seen in any call (close/abort take none).
    pub(super) now: SimTime,

    // Send sequence space (RFC 9293 §3.3.1).
    pub(super) iss: u32,
    pub(super) snd_una: u32,
    pub(super) snd_nxt: u32,
    /// Highest sequence number sent plus one (`snd_nxt` goes back on RTO).
    pub(super) snd_max: u32,
    pub(super) snd_wnd: u32,
    pub(super) snd_wl1: u32,
    pub(super) snd_wl2: u32,
    /// MSS for our segments: min(our MSS, the peer's).
    pub(super) send_mss: u16,
    /// The MSS the peer announced (536 if its SYN had none), once known.
    pub(super) peer_mss: Option<u16>,
    /// Unacknowledged and unsent data; its first byte has sequence `snd_buf_seq`.
    pub(super) snd_buf: VecDeque<u8>,
    pub(super) snd_buf_seq: u32,
    /// The application closed: a FIN follows the buffered data.
    pub(super) fin_queued: bool,
    /// Close was called before the handshake finished.
    pub(super) close_after_handshake: bool,

    // Receive sequence space.
    pub(super) irs: u32,
    /// The peer's SYN has arrived: segments carry an ACK from now on.
    pub(super) peer_syn_seen: bool,
    pub(super) rcv_nxt: u32,
    pub(super) rcv: RecvBuffer,
    /// Sequence number of the peer's FIN once seen (possibly ahead of a gap).
    pub(super) peer_fin: Option<u32>,
    pub(super) fin_received: bool,
    /// The window we advertised last.
    pub(super) adv_wnd: u16,

    // Retransmission (RFC 6298).
    pub(super) rto: Duration,
    pub(super) srtt: Option<Duration>,
    pub(super) rttvar: Duration,
    /// The segment being timed: (sequence number that acknowledges it, sent at).
    pub(super) rtt_probe: Option<(u32, SimTime)>,
    pub(super) rtx_deadline: Option<SimTime>,
    pub(super) retries: u32,
    pub(super) time_wait_deadline: Option<SimTime>,

    // Congestion control (RFC 5681, Reno without window inflation).
    pub(super) cwnd: u32,
    pub(super) ssthresh: u32,
    pub(super) dup_acks: u32,
    pub(super) fast_retransmit: bool,
    pub(super) probe_pending: bool,

    // Output flags.
    pub(super) ack_pending: bool,
    /// When we last answered an out-of-window bare segment.
    pub(super) last_oow_ack: Option<SimTime>,
    /// Immediate duplicate ACKs owed for out-of-order segments (RFC 5681 §4.2).
    pub(super) dup_acks_owed: u32,
    pub(super) rst_pending: bool,
    /// A reply that belongs to no state (RST for a bad ACK).
    pub(super) reply: Option<Segment>,

    pub(super) events: VecDeque<Event>,
    pub(super) notes: VecDeque<Note>,
}

impl Connection {
    fn new(
        local: SocketAddrV4,
        remote: SocketAddrV4,
        state: State,
        iss: u32,
        now: SimTime,
    ) -> Self {
        let config = Config::default();
        Connection {
            rcv: RecvBuffer::new(config.recv_buffer),
            rto: config.initial_rto,
            send_mss: config.mss.max(1),
            peer_mss: None,
            cwnd: initial_cwnd(config.mss),
            ssthresh: u32::MAX,
            config,
            local,
            remote,
            state,
            state_since: now,
            now,
            iss,
            snd_una: iss,
            snd_nxt: iss,
            snd_max: iss,
            snd_wnd: 0,
            snd_wl1: 0,
            snd_wl2: 0,
            snd_buf: VecDeque::new(),
            snd_buf_seq: iss.wrapping_add(1),
            fin_queued: false,
            close_after_handshake: false,
            irs: 0,
            peer_syn_seen: false,
            rcv_nxt: 0,
            peer_fin: None,
            fin_received: false,
            adv_wnd: 0,
            srtt: None,
            rttvar: Duration::ZERO,
            rtt_probe: None,
            rtx_deadline: None,
            retries: 0,
            time_wait_deadline: None,
            dup_acks: 0,
            fast_retransmit: false,
            probe_pending: false,
            ack_pending: false,
            last_oow_ack: None,
            dup_acks_owed: 0,
            rst_pending: false,
            reply: None,
            events: VecDeque::new(),
            notes: VecDeque::new(),
        }
    }

    /// Active open (RFC 9293 §3.10.1): a connection in SYN-SENT whose SYN,
    /// with initial sequence number `iss`, comes out of the next
    /// [`poll_transmit`](Self::poll_transmit).
    pub fn connect(local: SocketAddrV4, remote: SocketAddrV4, iss: u32, now: SimTime) -> Self {
        Self::new(local, remote, State::SynSent, iss, now)
    }

    /// Passive open: answer the SYN `syn` that reached a listener on `local`
    /// from `remote`. The connection starts in SYN-RECEIVED; its SYN-ACK comes
    /// out of the next [`poll_transmit`](Self::poll_transmit).
    pub fn accept(
        local: SocketAddrV4,
        remote: SocketAddrV4,
        syn: &Segment,
        iss: u32,
        now: SimTime,
    ) -> Self {
        let mut c = Self::new(local, remote, State::SynReceived, iss, now);
        c.irs = syn.seq;
        c.peer_syn_seen = true;
        c.rcv_nxt = syn.seq.wrapping_add(1);
        c.learn_peer_syn(syn);
        c
    }

    /// Replace the default [`Config`]; call right after `connect`/`accept`.
    #[must_use]
    pub fn with_config(mut self, config: Config) -> Self {
        self.rcv = RecvBuffer::new(config.recv_buffer);
        self.rto = config.initial_rto;
        self.config = config;
        self.update_send_mss();
        self
    }

    /// Our segments' MSS: ours, or the peer's if smaller (RFC 9293 §3.7.1).
    fn update_send_mss(&mut self) {
        let ours = self.config.mss.max(1);
        self.send_mss = self.peer_mss.map_or(ours, |p| p.clamp(1, ours));
        self.cwnd = initial_cwnd(self.send_mss);
    }

    /// Record what the peer's SYN tells: its window and its MSS.
    pub(super) fn learn_peer_syn(&mut self, syn: &Segment) {
        self.snd_wnd = u32::from(syn.window);
        self.snd_wl1 = syn.seq;
        self.snd_wl2 = syn.ack.unwrap_or(self.iss);
        self.peer_mss = Some(syn.mss.unwrap_or(DEFAULT_PEER_MSS));
        self.update_send_mss();
    }

    // ----- getters -------------------------------------------------------

    /// The current state, for `netstat`.
    pub fn state(&self) -> State {
        self.state
    }

    /// When the connection entered its current state.
    pub fn state_since(&self) -> SimTime {
        self.state_since
    }

    /// Our address and port.
    pub fn local(&self) -> SocketAddrV4 {
        self.local
    }

    /// The peer's address and port.
    pub fn remote(&self) -> SocketAddrV4 {
        self.remote
    }

    /// The tunables in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Bytes waiting to be read ([`recv`](Self::recv)).
    pub fn recv_queue(&self) -> usize {
        self.rcv.len()
    }

    /// Out-of-order bytes held for reassembly.
    pub fn out_of_order_bytes(&self) -> usize {
        self.rcv.held()
    }

    /// Bytes sent or to be sent but not yet acknowledged (netstat's Send-Q).
    pub fn send_queue(&self) -> usize {
        self.snd_buf.len()
    }

    /// Room left in the send buffer.
    pub fn send_capacity(&self) -> usize {
        self.config.send_buffer.saturating_sub(self.snd_buf.len())
    }

    /// The current retransmission timeout.
    pub fn rto(&self) -> Duration {
        self.rto
    }

    /// The smoothed round-trip time, once measured.
    pub fn srtt(&self) -> Option<Duration> {
        self.srtt
    }

    /// The MSS used for our segments (min of ours and the peer's).
    pub fn send_mss(&self) -> u16 {
        self.send_mss
    }

    /// A snapshot of the transmission control block, for the inspector.
    pub fn tcb(&self) -> Tcb {
        Tcb {
            state: self.state,
            iss: self.iss,
            snd_una: self.snd_una,
            snd_nxt: self.snd_max,
            snd_wnd: self.snd_wnd,
            irs: self.irs,
            rcv_nxt: self.rcv_nxt,
            rcv_wnd: self.rcv_window(),
            send_mss: self.send_mss,
            cwnd: self.cwnd,
            ssthresh: self.ssthresh,
            rto_ms: self.rto.as_millis() as u64,
            srtt_ms: self.srtt.map(|d| d.as_millis() as u64),
            send_queue: self.snd_buf.len(),
            recv_queue: self.rcv.len(),
            retries: self.retries,
        }
    }

    /// Whether the connection is over and the host may forget it.
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed && !self.rst_pending && self.reply.is_none()
    }

    /// Whether more data may be queued with [`send`](Self::send).
    pub fn may_send(&self) -> bool {
        matches!(
            self.state,
            State::SynSent | State::SynReceived | State::Established | State::CloseWait
        ) && !self.fin_queued
            && !self.close_after_handshake
    }

    // ----- user calls ----------------------------------------------------

    /// Queue data for sending (RFC 9293 §3.10.2); returns how many bytes fit
    /// in the send buffer (0 once closed).
    pub fn send(&mut self, data: &[u8]) -> usize {
        if !self.may_send() {
            return 0;
        }
        let n = data.len().min(self.send_capacity());
        self.snd_buf.extend(&data[..n]);
        n
    }

    /// Take all received in-order data (RFC 9293 §3.10.3).
    pub fn recv(&mut self) -> Vec<u8> {
        let data = self.rcv.read_all();
        self.after_read();
        data
    }

    /// Take up to `buf.len()` received bytes; returns how many were copied.
    pub fn recv_into(&mut self, buf: &mut [u8]) -> usize {
        let n = self.rcv.read_into(buf);
        self.after_read();
        n
    }

    /// Reading opened the window: tell the peer when that matters (RFC 9293
    /// §3.8.6.2.2: update when the window grows by an MSS or half the buffer).
    fn after_read(&mut self) {
        if !matches!(
            self.state,
            State::Established | State::FinWait1 | State::FinWait2
        ) {
            return;
        }
        let now_wnd = self.rcv_window();
        let grown = now_wnd.saturating_sub(u32::from(self.adv_wnd));
        let threshold = u32::from(self.send_mss).min((self.config.recv_buffer / 2) as u32);
        if grown >= threshold.max(1) {
            self.ack_pending = true;
        }
    }

    /// Close our side (RFC 9293 §3.10.4): a FIN follows the buffered data.
    /// Before the handshake completes, the FIN waits for it (or, in SYN-SENT
    /// with nothing queued, the connection is simply dropped).
    pub fn close(&mut self) {
        let now = self.now;
        match self.state {
            // RFC 9293 deletes the TCB in SYN-SENT; with data already queued
            // we keep the promise of `send` and close once connected.
            State::SynSent if self.snd_buf.is_empty() => {
                self.set_state(now, State::Closed);
                self.events.push_back(Event::Closed);
            }
            State::SynSent | State::SynReceived => self.close_after_handshake = true,
            State::Established => {
                self.fin_queued = true;
                self.set_state(now, State::FinWait1);
            }
            State::CloseWait => {
                self.fin_queued = true;
                self.set_state(now, State::LastAck);
            }
            _ => {}
        }
    }

    /// Abort (RFC 9293 §3.10.5): drop everything and send RST if the peer
    /// knows of us.
    pub fn abort(&mut self) {
        let now = self.now;
        if self.state.is_synchronized() {
            self.rst_pending = true;
        }
        if self.state != State::Closed {
            self.notes.push_back(Note::Aborted);
            self.terminate(now);
        }
    }

    // ----- polls ---------------------------------------------------------

    /// The next application event, if any.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next trace note, if any.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<Note> {
        self.notes.pop_front()
    }

    // ----- helpers shared with input/output -------------------------------

    /// The receive window: free buffer space, capped at 16 bits.
    pub(super) fn rcv_window(&self) -> u32 {
        self.rcv.free().min(usize::from(u16::MAX)) as u32
    }

    /// Move to `to`, noting the change.
    pub(super) fn set_state(&mut self, now: SimTime, to: State) {
        if self.state == to {
            return;
        }
        self.notes.push_back(Note::StateChanged {
            from: self.state,
            to,
        });
        self.state = to;
        self.state_since = now;
    }

    /// Go to CLOSED and forget buffers and timers.
    pub(super) fn terminate(&mut self, now: SimTime) {
        self.set_state(now, State::Closed);
        self.snd_buf.clear();
        self.rtx_deadline = None;
        self.time_wait_deadline = None;
        self.ack_pending = false;
        self.dup_acks_owed = 0;
        self.fast_retransmit = false;
        self.probe_pending = false;
    }

    /// First byte after the application's data (where the FIN goes).
    pub(super) fn data_end(&self) -> u32 {
        self.snd_buf_seq.wrapping_add(self.snd_buf.len() as u32)
    }

    /// Whether our FIN has been acknowledged.
    pub(super) fn fin_acked(&self) -> bool {
        self.fin_queued && self.snd_una == self.data_end().wrapping_add(1)
    }

    /// Whether our FIN has gone out at least once.
    pub(super) fn fin_sent(&self) -> bool {
        self.fin_queued && seq::gt(self.snd_max, self.data_end())
    }
}

/// Initial congestion window (RFC 6928): min(10×MSS, max(2×MSS, 14600)).
fn initial_cwnd(mss: u16) -> u32 {
    let mss = u32::from(mss);
    (10 * mss).min((2 * mss).max(14_600))
}

impl fmt::Display for Connection {
    /// A `netstat` line: `tcp  10.0.0.1:1025  10.0.0.2:80  ESTABLISHED`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tcp  {}  {}  {}", self.local, self.remote, self.state)
    }
}
