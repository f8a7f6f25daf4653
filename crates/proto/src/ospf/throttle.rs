//! The throttles of RFC 2328 that keep flooding in bounds:
//!
//! - MinLSInterval (§12.4): a new instance of one of this router's LSAs
//!   goes out at most once every 5 s; a change within that time is
//!   originated when the interval is over (IOS `timers throttle lsa`
//!   defaults: start 0, hold 5000 ms, max 5000 ms).
//! - MinLSArrival (§13 (5a)): a new instance of an LSA arriving less than
//!   1 s after the database copy was installed from flooding is discarded,
//!   unacknowledged (IOS `timers lsa arrival 1000`).
//! - Delayed acknowledgements (§13.5): the acknowledgements of one
//!   interface are gathered for 1 s, well within the RxmtInterval, and sent
//!   together in one Link State Acknowledgement.
//! - Flood pacing (IOS `timers pacing flood 33`): at most one flooding
//!   update every 33 ms per interface; the LSAs flooded meanwhile wait and
//!   go together in the next (§13.3 lets several LSAs share one update).

use std::net::Ipv4Addr;
use std::time::Duration;

use super::engine::{Entry, Ospf};
use super::lsa::LsaKey;
use super::note::OspfNote;
use crate::SimTime;

/// MinLSInterval: least time between two instances of an own LSA.
pub const MIN_LS_INTERVAL: Duration = Duration::from_secs(5);
/// MinLSArrival: least time between two instances accepted from flooding.
pub const MIN_LS_ARRIVAL: Duration = Duration::from_secs(1);
/// How long an acknowledgement may wait to be sent with others.
pub const ACK_DELAY: Duration = Duration::from_secs(1);
/// Least time between two flooding updates out of one interface.
pub const FLOOD_PACING: Duration = Duration::from_millis(33);

/// One of this router's own LSAs: when its last instance was originated
/// and, if a new one waits for MinLSInterval, when it goes out.
#[derive(Clone, Debug)]
pub(super) struct OwnLsa {
    /// The area it is flooded in (the backbone for external LSAs).
    pub scope: Ipv4Addr,
    pub key: LsaKey,
    pub last: SimTime,
    pub deferred: Option<SimTime>,
}

impl Ospf {
    /// Whether a new instance of own LSA `key` may be originated at `now`
    /// (§12.4). If not, it is deferred to the end of MinLSInterval (noted
    /// once) and [`Ospf::orig_at`] wakes the process then.
    pub(super) fn may_originate(&mut self, now: SimTime, scope: Ipv4Addr, key: LsaKey) -> bool {
        let Some(o) = self
            .own
            .iter_mut()
            .find(|o| o.scope == scope && o.key == key)
        else {
            return true;
        };
        let due = o.last + MIN_LS_INTERVAL;
        if now >= due {
            return true;
        }
        if o.deferred.is_none() {
            o.deferred = Some(due);
            self.notes.push_back(OspfNote::Deferred { key, until: due });
        }
        self.orig_at = Some(self.orig_at.map_or(due, |t| t.min(due)));
        false
    }

    /// Records that a new instance of own LSA `key` went out at `now`.
    pub(super) fn originated(&mut self, now: SimTime, scope: Ipv4Addr, key: LsaKey) {
        match self
            .own
            .iter_mut()
            .find(|o| o.scope == scope && o.key == key)
        {
            Some(o) => {
                o.last = now;
                o.deferred = None;
            }
            None => self.own.push(OwnLsa {
                scope,
                key,
                last: now,
                deferred: None,
            }),
        }
    }

    /// Forgets the deferrals not made again by the origination pass that
    /// just ran (`kept`: the LSAs it deferred): their contents went back to
    /// what was last sent, or they are no longer wanted.
    pub(super) fn drop_stale_deferrals(&mut self, kept: &[(Ipv4Addr, LsaKey)]) {
        for o in &mut self.own {
            if o.deferred.is_some() && !kept.contains(&(o.scope, o.key)) {
                o.deferred = None;
            }
        }
    }

    /// Whether a new instance arriving now must be discarded because the
    /// database copy `e`, received by flooding, was installed less than
    /// MinLSArrival ago (§13 (5a)).
    pub(super) fn too_soon(e: &Entry, now: SimTime) -> bool {
        e.flooded && now < e.at + MIN_LS_ARRIVAL
    }

    /// Queues a delayed acknowledgement on interface `i` (§13.5): sent
    /// with the others gathered within [`ACK_DELAY`].
    pub(super) fn delay_ack(&mut self, now: SimTime, i: usize, h: super::lsa::LsaHeader) {
        self.ack_q[i].push(h);
        if self.ifaces[i].ack_at.is_none() {
            self.ifaces[i].ack_at = Some(now + ACK_DELAY);
        }
    }
}
