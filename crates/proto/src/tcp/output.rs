//! Segment output (RFC 9293 §3.8.6, RFC 5681): what the connection sends
//! next, one segment per [`Connection::poll_transmit`] call.

use super::connection::Connection;
use super::segment::{Control, Segment};
use super::seq;
use super::types::{Note, State};
use crate::SimTime;

impl Connection {
    /// The next segment to send at `now`, if any. Call until `None`: the
    /// engine releases as much as the peer's window and the congestion window
    /// allow, MSS-sized, then a pure ACK if one is owed.
    #[must_use]
    pub fn poll_transmit(&mut self, now: SimTime) -> Option<Segment> {
        self.now = self.now.max(now);
        if let Some(reply) = self.reply.take() {
            return Some(reply);
        }
        if self.rst_pending {
            self.rst_pending = false;
            return Some(self.build(self.snd_max, Control::Rst, Vec::new()));
        }
        let seg = match self.state {
            State::Closed | State::Listen => None,
            State::SynSent | State::SynReceived if self.snd_nxt == self.iss => {
                let mut syn = self.build(self.iss, Control::Syn, Vec::new());
                syn.mss = Some(self.config.mss);
                self.advance(now, self.iss, 1);
                Some(syn)
            }
            State::SynSent => None,
            _ => self.transmit_synchronized(now),
        };
        self.update_timer(now);
        seg
    }

    // Segments without data or FIN carry SND.MAX, the RFC's SND.NXT: after a
    // timeout `snd_nxt` goes back, and a pure ACK numbered in the past
    // would fail the peer's acceptability test and its ACK field be lost.
    fn transmit_synchronized(&mut self, now: SimTime) -> Option<Segment> {
        if self.dup_acks_owed > 0 {
            // One pure ACK per out-of-order segment, so the sender can count them.
            self.dup_acks_owed -= 1;
            return Some(self.build(self.snd_max, Control::None, Vec::new()));
        }
        if seq::gt(self.snd_una, self.iss) {
            if self.fast_retransmit {
                self.fast_retransmit = false;
                let una = self.snd_una;
                let in_flight = seq::diff(self.snd_max, una);
                if let Some(seg) = self.data_segment(una, in_flight) {
                    return Some(seg);
                }
            }
            let data_end = self.data_end();
            let limit = self.snd_una.wrapping_add(self.snd_wnd.min(self.cwnd));
            let avail = if seq::lt(self.snd_nxt, data_end) {
                seq::diff(data_end, self.snd_nxt)
            } else {
                0
            };
            let room = if seq::lt(self.snd_nxt, limit) {
                seq::diff(limit, self.snd_nxt)
            } else {
                0
            };
            if avail > 0 {
                let mut len = avail.min(u32::from(self.send_mss)).min(room);
                if len < u32::from(self.send_mss) && len < avail && self.snd_nxt != self.snd_una {
                    // Sender SWS avoidance (§3.8.6.2.1): no runt segment
                    // while an ACK is still to come and open the window.
                    len = 0;
                }
                if len == 0 && self.probe_pending && self.snd_wnd == 0 && !self.ack_pending {
                    // §3.8.6.1 zero-window probe, the way deployed stacks do
                    // it: a bare ACK numbered one below SND.UNA. The peer
                    // must answer (it is out of window) with its window, and
                    // no sequence space is spent, so our later ACKs stay
                    // acceptable to a peer whose own window is closed.
                    self.probe_pending = false;
                    let seq_no = self.snd_una.wrapping_sub(1);
                    self.notes.push_back(Note::ZeroWindowProbe { seq: seq_no });
                    return Some(self.build(seq_no, Control::None, Vec::new()));
                }
                if len > 0 {
                    self.probe_pending = false;
                    let start = self.snd_nxt;
                    let fin_fits = self.fin_queued && start.wrapping_add(len) == data_end;
                    let seg = self.data_segment(start, len + u32::from(fin_fits))?;
                    self.advance(now, start, seg.seq_len());
                    return Some(seg);
                }
            } else if self.fin_queued && self.snd_nxt == data_end {
                let seg = self.build(data_end, Control::Fin, Vec::new());
                self.advance(now, data_end, 1);
                return Some(seg);
            }
        }
        if self.ack_pending {
            return Some(self.build(self.snd_max, Control::None, Vec::new()));
        }
        None
    }

    /// A segment carrying up to `max_len` octets of sequence space from
    /// `start` (data, then the FIN if it is due and fits), or `None` if there
    /// is nothing there. Does not move `snd_nxt`.
    fn data_segment(&mut self, start: u32, max_len: u32) -> Option<Segment> {
        let data_end = self.data_end();
        let offset = seq::diff(start, self.snd_buf_seq) as usize;
        let avail = if seq::lt(start, data_end) {
            seq::diff(data_end, start)
        } else {
            0
        };
        let len = avail.min(max_len).min(u32::from(self.send_mss)) as usize;
        let fin =
            self.fin_queued && start.wrapping_add(len as u32) == data_end && (len as u32) < max_len;
        if (len == 0 && !fin) || offset.saturating_add(len) > self.snd_buf.len() {
            return None;
        }
        let payload: Vec<u8> = self.snd_buf.range(offset..offset + len).copied().collect();
        let control = if fin { Control::Fin } else { Control::None };
        let mut seg = self.build(start, control, payload);
        seg.psh = len > 0 && start.wrapping_add(len as u32) == data_end;
        Some(seg)
    }

    /// Account for `len` octets of sequence space sent from `start`.
    fn advance(&mut self, now: SimTime, start: u32, len: u32) {
        if start == self.snd_max && self.rtt_probe.is_none() {
            self.rtt_probe = Some((start.wrapping_add(len), now));
        }
        self.snd_nxt = start.wrapping_add(len);
        if seq::gt(self.snd_nxt, self.snd_max) {
            self.snd_max = self.snd_nxt;
        }
    }

    /// A segment from us with the current ACK and window.
    pub(super) fn build(&mut self, seq_no: u32, control: Control, payload: Vec<u8>) -> Segment {
        let window = self.rcv_window() as u16;
        let ack = self.peer_syn_seen.then_some(self.rcv_nxt);
        if ack.is_some() {
            if window == 0 && self.adv_wnd != 0 && self.state.is_synchronized() {
                self.notes.push_back(Note::WindowFull);
            }
            self.adv_wnd = window;
            self.ack_pending = false;
        }
        Segment {
            src_port: self.local.port(),
            dst_port: self.remote.port(),
            seq: seq_no,
            ack,
            control,
            psh: false,
            window,
            mss: None,
            window_scale: None,
            payload,
        }
    }
}
