//! Segment arrival (RFC 9293 §3.10.7): SYN-SENT processing, then for the
//! synchronized states the fixed order "check sequence number, RST, SYN,
//! ACK, text, FIN", with RFC 5961's challenge ACKs and RFC 5681's duplicate
//! ACK counting.

use super::connection::Connection;
use super::reassembly::Placed;
use super::segment::{Control, Segment, reset_for};
use super::seq;
use super::types::{Event, Note, State};
use crate::SimTime;

/// Least time between two ACKs answering out-of-window bare segments.
const OOW_ACK_INTERVAL: core::time::Duration = core::time::Duration::from_millis(500);

impl Connection {
    /// Feed a segment that arrived for this connection at `now`. Segments for
    /// other ports are ignored (the host demultiplexes by address and port).
    pub fn handle_segment(&mut self, now: SimTime, seg: &Segment) {
        self.now = self.now.max(now);
        if seg.src_port != self.remote.port() || seg.dst_port != self.local.port() {
            return;
        }
        match self.state {
            State::Closed | State::Listen => {}
            State::SynSent => self.on_syn_sent(now, seg),
            _ => self.on_synchronized(now, seg),
        }
        self.update_timer(now);
    }

    /// RFC 9293 §3.10.7.3, "If the state is SYN-SENT".
    fn on_syn_sent(&mut self, now: SimTime, seg: &Segment) {
        let mut ack_ok = false;
        if let Some(ack) = seg.ack {
            // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless
            // the RST bit is set, if so drop the segment and return)."
            if seq::le(ack, self.iss) || seq::gt(ack, self.snd_max) {
                if !seg.is_rst() {
                    self.notes.push_back(Note::AckOfUnsent {
                        ack,
                        snd_nxt: self.snd_max,
                    });
                    self.reply = reset_for(seg);
                }
                return;
            }
            ack_ok = true;
        }
        if seg.is_rst() {
            if ack_ok {
                self.notes.push_back(Note::Refused);
                self.events.push_back(Event::Reset);
                self.terminate(now);
            }
            return;
        }
        if !seg.is_syn() {
            return;
        }
        self.irs = seg.seq;
        self.rcv_nxt = seg.seq.wrapping_add(1);
        self.peer_syn_seen = true;
        self.learn_peer_syn(seg);
        if let Some(ack) = seg.ack {
            self.on_new_ack(now, ack);
        }
        self.ack_pending = true;
        if seq::gt(self.snd_una, self.iss) {
            self.establish(now);
        } else {
            // Simultaneous open: answer with SYN-ACK from the same ISS.
            self.set_state(now, State::SynReceived);
            self.snd_nxt = self.iss;
        }
    }

    /// The handshake is complete.
    fn establish(&mut self, now: SimTime) {
        self.set_state(now, State::Established);
        self.events.push_back(Event::Connected);
        if self.close_after_handshake {
            self.close_after_handshake = false;
            self.close();
        }
    }

    fn on_synchronized(&mut self, now: SimTime, seg: &Segment) {
        // A retransmitted SYN while our SYN-ACK is unacknowledged: send it again.
        if self.state == State::SynReceived
            && seg.is_syn()
            && seg.ack.is_none()
            && seg.seq == self.irs
        {
            self.snd_nxt = self.iss;
            return;
        }
        // Simultaneous open (RFC 9293 Figure 7): the peer's SYN-ACK repeats
        // the SYN we already took; keep only its ACK.
        let stripped;
        let seg = if self.state == State::SynReceived
            && seg.is_syn()
            && seg.ack.is_some()
            && seg.seq == self.irs
        {
            stripped = Segment {
                seq: self.irs.wrapping_add(1),
                control: Control::None,
                mss: None,
                ..seg.clone()
            };
            &stripped
        } else {
            seg
        };
        if !self.acceptable(seg) {
            // Answer, except RSTs; bare segments at most every 500 ms, so two
            // ends that find each other's ACKs out of window cannot
            // ping-pong forever (RFC 5961 §7, Linux's tcp_invalid_ratelimit).
            let bare = seg.seq_len() == 0 && seg.payload.is_empty();
            let limited = bare
                && self
                    .last_oow_ack
                    .is_some_and(|t| now < t + OOW_ACK_INTERVAL);
            if !seg.is_rst() && !limited {
                if bare {
                    self.last_oow_ack = Some(now);
                }
                self.notes.push_back(Note::OutsideWindow {
                    seq: seg.seq,
                    expected: self.rcv_nxt,
                });
                self.ack_pending = true;
                if self.state == State::TimeWait && seg.is_fin() {
                    // §3.10.7.4: a retransmitted FIN restarts the 2 MSL timeout.
                    self.enter_time_wait(now);
                }
            }
            return;
        }
        if seg.is_rst() {
            self.on_rst(now, seg);
            return;
        }
        if seg.is_syn() {
            // RFC 5961 §4.2: a SYN in a synchronized state gets a challenge ACK.
            self.notes.push_back(Note::ChallengeAck);
            self.ack_pending = true;
            return;
        }
        let Some(ack) = seg.ack else {
            return; // "if the ACK bit is off, drop the segment and return"
        };
        if self.state == State::SynReceived {
            if seq::gt(ack, self.snd_una) && seq::le(ack, self.snd_max) {
                self.snd_wnd = u32::from(seg.window);
                self.snd_wl1 = seg.seq;
                self.snd_wl2 = ack;
                self.on_new_ack(now, ack);
                self.establish(now);
            } else {
                self.reply = reset_for(seg);
                return;
            }
        }
        if !self.on_ack(now, seg, ack) {
            return;
        }
        match self.state {
            State::FinWait1 if self.fin_acked() => self.set_state(now, State::FinWait2),
            State::Closing if self.fin_acked() => self.enter_time_wait(now),
            State::LastAck if self.fin_acked() => {
                self.events.push_back(Event::Closed);
                self.terminate(now);
                return;
            }
            _ => {}
        }
        self.on_text(seg);
        self.on_fin(now);
    }

    /// RFC 9293 §3.10.7.4 "first check sequence number" (the four cases).
    /// With a zero window, a segment at RCV.NXT is still let through so its
    /// ACK and RST are processed; its text is trimmed away later.
    fn acceptable(&self, seg: &Segment) -> bool {
        let wnd = self.rcv_window();
        let len = seg.seq_len();
        let end = self.rcv_nxt.wrapping_add(wnd);
        if wnd == 0 {
            return seg.seq == self.rcv_nxt;
        }
        if len == 0 {
            return seq::in_range(seg.seq, self.rcv_nxt, end);
        }
        seq::in_range(seg.seq, self.rcv_nxt, end)
            || seq::in_range(seg.seq.wrapping_add(len - 1), self.rcv_nxt, end)
    }

    /// RST in a synchronized state (RFC 5961 §3.2: only an exact match resets).
    fn on_rst(&mut self, now: SimTime, seg: &Segment) {
        if seg.seq != self.rcv_nxt {
            self.notes.push_back(Note::ChallengeAck);
            self.ack_pending = true;
            return;
        }
        match self.state {
            State::Closing | State::LastAck | State::TimeWait => {
                self.events.push_back(Event::Closed);
            }
            _ => {
                self.notes.push_back(Note::PeerReset);
                self.events.push_back(Event::Reset);
            }
        }
        self.terminate(now);
    }

    /// The ACK field (§3.10.7.4 "fifth, check the ACK field"). Returns
    /// whether processing of the segment goes on.
    fn on_ack(&mut self, now: SimTime, seg: &Segment, ack: u32) -> bool {
        if seq::gt(ack, self.snd_max) {
            // "If the ACK acks something not yet sent, then send an ACK, drop
            // the segment, and return."
            self.notes.push_back(Note::AckOfUnsent {
                ack,
                snd_nxt: self.snd_max,
            });
            self.ack_pending = true;
            return false;
        }
        if seq::lt(ack, self.snd_una) {
            return true; // an old duplicate ACK: ignore the field
        }
        let window = u32::from(seg.window);
        if seq::gt(ack, self.snd_una) {
            self.on_new_ack(now, ack);
        } else if seg.payload.is_empty()
            && seg.control.seq_len() == 0
            && window == self.snd_wnd
            && self.snd_una != self.snd_max
            && window > 0
        {
            self.on_duplicate_ack(ack);
        }
        // Window update (§3.10.7.4): only from a segment no older than the last one used.
        if seq::lt(self.snd_wl1, seg.seq) || (self.snd_wl1 == seg.seq && seq::le(self.snd_wl2, ack))
        {
            self.snd_wnd = window;
            self.snd_wl1 = seg.seq;
            self.snd_wl2 = ack;
        }
        if self.snd_wnd == 0 {
            // The peer answers our probes: it is alive (§3.8.6.1).
            self.retries = 0;
        }
        true
    }

    /// SND.UNA moves forward to `ack`.
    pub(super) fn on_new_ack(&mut self, now: SimTime, ack: u32) {
        // The SYN takes sequence space but is no data for congestion control.
        let syn = u32::from(self.snd_una == self.iss);
        let acked = seq::diff(ack, self.snd_una).saturating_sub(syn);
        if seq::gt(ack, self.snd_buf_seq) {
            let n = (seq::diff(ack, self.snd_buf_seq) as usize).min(self.snd_buf.len());
            self.snd_buf.drain(..n);
            self.snd_buf_seq = self.snd_buf_seq.wrapping_add(n as u32);
        }
        self.snd_una = ack;
        if seq::lt(self.snd_nxt, ack) {
            self.snd_nxt = ack;
        }
        self.retries = 0;
        self.dup_acks = 0;
        if let Some((end, sent)) = self.rtt_probe
            && seq::ge(ack, end)
        {
            self.rtt_probe = None;
            self.rtt_sample(now - sent);
        }
        // RFC 6298 §5.3: restart the timer when new data is acknowledged.
        self.rtx_deadline = None;
        // RFC 5681 §3.1: slow start, then congestion avoidance.
        let mss = u32::from(self.send_mss);
        let growth = if self.cwnd < self.ssthresh {
            acked.min(mss)
        } else if acked > 0 {
            (mss * mss / self.cwnd.max(1)).max(1)
        } else {
            0
        };
        self.cwnd = self.cwnd.saturating_add(growth);
    }

    /// RFC 5681 §3.2: the third duplicate ACK triggers a fast retransmit.
    fn on_duplicate_ack(&mut self, ack: u32) {
        self.dup_acks += 1;
        self.notes.push_back(Note::DuplicateAck {
            ack,
            count: self.dup_acks,
        });
        if self.dup_acks == 3 {
            self.notes.push_back(Note::FastRetransmit { seq: ack });
            let flight = seq::diff(self.snd_max, self.snd_una);
            self.ssthresh = (flight / 2).max(2 * u32::from(self.send_mss));
            self.cwnd = self.ssthresh;
            self.fast_retransmit = true;
            self.rtt_probe = None;
        }
    }

    /// Segment text (§3.10.7.4 "seventh, process the segment text"): trim to
    /// the window, deliver in order or hold for later, and owe an ACK.
    fn on_text(&mut self, seg: &Segment) {
        if !matches!(
            self.state,
            State::Established | State::FinWait1 | State::FinWait2
        ) || (seg.payload.is_empty() && !seg.is_fin())
        {
            return;
        }
        self.ack_pending = true;
        let mut start = seg.seq;
        let mut data: &[u8] = &seg.payload;
        let mut fin = seg.is_fin();
        if seq::lt(start, self.rcv_nxt) {
            let skip = seq::diff(self.rcv_nxt, start) as usize;
            if skip > data.len() {
                return; // only an old FIN
            }
            data = &data[skip..];
            start = self.rcv_nxt;
        }
        let offset = seq::diff(start, self.rcv_nxt);
        let room = self.rcv_window().saturating_sub(offset) as usize;
        if data.len() > room {
            data = &data[..room];
            fin = false;
        }
        if !data.is_empty() {
            match self.rcv.insert(&mut self.rcv_nxt, start, data) {
                Placed::InOrder { filled_gap } => {
                    if filled_gap {
                        self.notes.push_back(Note::GapFilled {
                            rcv_nxt: self.rcv_nxt,
                        });
                    }
                    if !self.events.contains(&Event::DataReadable) {
                        self.events.push_back(Event::DataReadable);
                    }
                }
                Placed::Held => {
                    self.notes.push_back(Note::OutOfOrder {
                        seq: start,
                        expected: self.rcv_nxt,
                    });
                    self.dup_acks_owed += 1;
                }
                Placed::Dropped => self.dup_acks_owed += 1,
            }
        }
        if fin {
            self.peer_fin = Some(start.wrapping_add(data.len() as u32));
        }
    }

    /// The FIN (§3.10.7.4 "eighth, check the FIN bit"), once every byte
    /// before it has arrived.
    fn on_fin(&mut self, now: SimTime) {
        if self.fin_received || self.peer_fin != Some(self.rcv_nxt) {
            return;
        }
        self.fin_received = true;
        self.rcv_nxt = self.rcv_nxt.wrapping_add(1);
        self.ack_pending = true;
        self.events.push_back(Event::PeerClosed);
        match self.state {
            State::SynReceived | State::Established => self.set_state(now, State::CloseWait),
            State::FinWait1 if self.fin_acked() => self.enter_time_wait(now),
            State::FinWait1 => self.set_state(now, State::Closing),
            State::FinWait2 => self.enter_time_wait(now),
            _ => {}
        }
    }
}
