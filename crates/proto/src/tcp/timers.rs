//! The connection's timers (RFC 9293 §3.8.1, RFC 6298): retransmission with
//! exponential back-off, the persist timer that probes a zero window, and
//! TIME-WAIT; plus the round-trip estimator that sets the timeout.

use std::time::Duration;

use super::connection::Connection;
use super::seq;
use super::types::{Event, Note, State};
use crate::SimTime;

impl Connection {
    /// When [`handle_timeout`](Self::handle_timeout) should be called next.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        match (self.rtx_deadline, self.time_wait_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Fire whatever timers are due at `now`: retransmission (RFC 6298 §5),
    /// zero-window probe, TIME-WAIT.
    pub fn handle_timeout(&mut self, now: SimTime) {
        self.now = self.now.max(now);
        if self.time_wait_deadline.is_some_and(|t| t <= now) {
            self.time_wait_deadline = None;
            self.notes.push_back(Note::TimeWaitOver);
            self.set_state(now, State::Closed);
            self.events.push_back(Event::Closed);
            return;
        }
        if self.rtx_deadline.is_none_or(|t| t > now) {
            return;
        }
        self.rtx_deadline = None;
        self.retries += 1;
        let limit = if matches!(self.state, State::SynSent | State::SynReceived) {
            self.config.max_syn_retries
        } else {
            self.config.max_retries
        };
        if self.retries > limit {
            self.notes.push_back(Note::GaveUp {
                retries: self.retries - 1,
            });
            self.events.push_back(Event::TimedOut);
            self.terminate(now);
            return;
        }
        let rto_ms = self.rto.as_millis() as u64;
        if self.snd_wnd == 0 && self.state.is_synchronized() && self.state != State::SynReceived
            || self.snd_una == self.snd_max
        {
            // The persist timer (§3.8.6.1): probe the closed window with one
            // byte from SND.UNA; the peer's answer tells it is alive.
            self.probe_pending = true;
            self.snd_nxt = self.snd_una;
        } else {
            self.notes.push_back(Note::Retransmit {
                seq: self.snd_una,
                rto_ms,
            });
            // RFC 5681 §3.1: ssthresh = max(FlightSize / 2, 2*SMSS); cwnd = 1 MSS.
            let flight = seq::diff(self.snd_max, self.snd_una);
            self.ssthresh = (flight / 2).max(2 * u32::from(self.send_mss));
            self.cwnd = u32::from(self.send_mss);
            self.snd_nxt = self.snd_una;
            self.dup_acks = 0;
            self.fast_retransmit = false;
        }
        // Karn: never time a retransmitted segment. RFC 6298 §5.5: back off.
        self.rtt_probe = None;
        self.rto = self.rto.saturating_mul(2).min(self.config.max_rto);
    }

    /// Enter TIME-WAIT and (re)start its 2×MSL timer.
    pub(super) fn enter_time_wait(&mut self, now: SimTime) {
        self.set_state(now, State::TimeWait);
        self.rtx_deadline = None;
        self.time_wait_deadline = Some(now + self.config.msl.saturating_mul(2));
    }

    /// Keep the retransmission/persist timer consistent with what is in flight.
    pub(super) fn update_timer(&mut self, now: SimTime) {
        if self.state == State::Closed || self.state == State::TimeWait {
            self.rtx_deadline = None;
            return;
        }
        let in_flight = self.snd_una != self.snd_max;
        let blocked = self.snd_wnd == 0
            && self.state.is_synchronized()
            && self.snd_una == self.snd_max
            && (self.data_end() != self.snd_max || (self.fin_queued && !self.fin_sent()));
        if in_flight || blocked {
            if self.rtx_deadline.is_none() {
                self.rtx_deadline = Some(now + self.rto);
            }
        } else {
            self.rtx_deadline = None;
        }
    }

    /// Fold a round-trip sample into SRTT/RTTVAR/RTO (RFC 6298 §2).
    pub(super) fn rtt_sample(&mut self, rtt: Duration) {
        let (srtt, rttvar) = match self.srtt {
            None => (rtt, rtt / 2),
            Some(srtt) => {
                let err = srtt.abs_diff(rtt);
                let rttvar = self.rttvar * 3 / 4 + err / 4;
                (srtt * 7 / 8 + rtt / 8, rttvar)
            }
        };
        self.srtt = Some(srtt);
        self.rttvar = rttvar;
        let rto = srtt
            .saturating_add(rttvar.saturating_mul(4).max(Duration::from_millis(1)))
            .max(self.config.min_rto)
            .min(self.config.max_rto);
        if rto.as_millis() != self.rto.as_millis() {
            self.notes.push_back(Note::RttSample {
                rtt_ms: rtt.as_millis() as u64,
                rto_ms: rto.as_millis() as u64,
            });
        }
        self.rto = rto;
    }
}
