//! The one way the simulator hosts a server-side stream engine
//! ([`StreamServer`]: SMTP, POP3, IMAP, HTTP): a table of sessions by
//! connection with their timers, and one call shape for everything that can
//! happen to a connection — bytes, the peer's FIN or loss, a timer, a change
//! other sessions made to the shared context. Each call hands back what the
//! session produced ([`Drained`]) in the order the host passes it on: notes
//! to the trace, bytes to the connection, events to the service, then
//! whether the session just closed (the host closes the connection).
//!
//! The table knows nothing of sockets: it is keyed by any connection
//! handle. [`StreamApp`](super::stream_app::StreamApp), the one app that
//! hosts every stream service on a simulated host, keys it by
//! [`SockId`](super::app::SockId).

use std::collections::{BTreeMap, BTreeSet};

use lanlab_proto::{SimTime, StreamServer};

/// What one call into a session produced.
pub struct Drained<S: StreamServer> {
    /// The engine's notes, in order.
    pub notes: Vec<S::Note>,
    /// Bytes to send, in order.
    pub output: Vec<Vec<u8>>,
    /// Events for the service, in order.
    pub events: Vec<S::Event>,
    /// The session closed during this call: close the connection after
    /// sending `output`.
    pub closed: bool,
}

/// Each connection's next timer, and the same ordered by time, so the
/// host's timer costs O(log n) with a thousand connections open.
#[derive(Clone, Debug)]
pub struct Timers<K> {
    deadline: BTreeMap<K, SimTime>,
    timers: BTreeSet<(SimTime, K)>,
}

impl<K> Default for Timers<K> {
    fn default() -> Self {
        Timers {
            deadline: BTreeMap::new(),
            timers: BTreeSet::new(),
        }
    }
}

impl<K: Ord + Copy> Timers<K> {
    /// Files `key`'s next timer (`None`: it has none).
    pub fn set(&mut self, key: K, t: Option<SimTime>) {
        // A deadline that moves is changed in place (one lookup, not two).
        let old = match self.deadline.get_mut(&key) {
            Some(d) if Some(*d) == t => return,
            Some(d) => {
                let old = *d;
                match t {
                    Some(t) => *d = t,
                    None => {
                        self.deadline.remove(&key);
                    }
                }
                Some(old)
            }
            None => {
                if let Some(t) = t {
                    self.deadline.insert(key, t);
                }
                None
            }
        };
        if let Some(old) = old {
            self.timers.remove(&(old, key));
        }
        if let Some(t) = t {
            self.timers.insert((t, key));
        }
    }

    /// The earliest timer.
    pub fn first(&self) -> Option<SimTime> {
        self.timers.first().map(|(t, _)| *t)
    }

    /// The timers due at `now`, earliest first.
    pub fn due(&self, now: SimTime) -> Vec<(SimTime, K)> {
        self.timers
            .iter()
            .take_while(|(t, _)| *t <= now)
            .copied()
            .collect()
    }
}

/// The open sessions of one service, by connection, with their timers.
#[derive(Clone, Debug)]
pub struct StreamSessions<K, S> {
    sessions: BTreeMap<K, S>,
    timers: Timers<K>,
}

impl<K, S> Default for StreamSessions<K, S> {
    fn default() -> Self {
        StreamSessions {
            sessions: BTreeMap::new(),
            timers: Timers::default(),
        }
    }
}

impl<K: Ord + Copy, S: StreamServer> StreamSessions<K, S> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the session of a newly accepted connection and returns its
    /// greeting.
    pub fn insert(&mut self, key: K, session: S) -> Drained<S> {
        self.sessions.insert(key, session);
        self.with(key, |_| {}).expect("just inserted")
    }

    /// The session of connection `key`.
    pub fn get(&self, key: K) -> Option<&S> {
        self.sessions.get(&key)
    }

    /// Every session, by connection.
    pub fn iter(&self) -> impl Iterator<Item = (K, &S)> {
        self.sessions.iter().map(|(k, s)| (*k, s))
    }

    /// Forgets connection `key` (it is gone).
    pub fn remove(&mut self, key: K) -> Option<S> {
        self.timers.set(key, None);
        self.sessions.remove(&key)
    }

    /// Runs `f` on the session of `key` and drains it; `None` if there is
    /// no such session.
    pub fn with(&mut self, key: K, f: impl FnOnce(&mut S)) -> Option<Drained<S>> {
        let s = self.sessions.get_mut(&key)?;
        let was_closed = s.is_closed();
        f(s);
        let drained = Drained {
            notes: std::iter::from_fn(|| s.poll_note()).collect(),
            output: std::iter::from_fn(|| s.poll_output()).collect(),
            events: std::iter::from_fn(|| s.poll_event()).collect(),
            closed: !was_closed && s.is_closed(),
        };
        let t = s.poll_timeout();
        self.timers.set(key, t);
        Some(drained)
    }

    /// Bytes arrived on connection `key`.
    pub fn input(
        &mut self,
        key: K,
        now: SimTime,
        bytes: &[u8],
        cx: &mut S::Context,
    ) -> Option<Drained<S>> {
        self.with(key, |s| s.handle_input(now, bytes, cx))
    }

    /// The peer of `key` closed its side, or the connection was lost.
    pub fn end(&mut self, key: K, now: SimTime, cx: &mut S::Context) -> Option<Drained<S>> {
        self.with(key, |s| s.handle_end(now, cx))
    }

    /// The timer of `key` is due.
    pub fn timeout(&mut self, key: K, now: SimTime, cx: &mut S::Context) -> Option<Drained<S>> {
        self.with(key, |s| s.handle_timeout(now, cx))
    }

    /// Another session changed the shared context.
    pub fn context_changed(&mut self, key: K, now: SimTime, cx: &S::Context) -> Option<Drained<S>> {
        self.with(key, |s| s.handle_context_change(now, cx))
    }

    /// The earliest timer of any session.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.timers.first()
    }

    /// The sessions whose timer is due at `now`, earliest first.
    pub fn due(&self, now: SimTime) -> Vec<(SimTime, K)> {
        self.timers.due(now)
    }
}
