//! The drive (the dirty connections' programs, notes and segments) and
//! the connections' timers.

use lanlab_proto::SimTime;
use lanlab_proto::tcp::{Event, State};

use super::{AppTcpEvent, Key, Out, Role, SINK_KEEP, TcpStack};
use crate::job::Job;
use crate::note::Note;
use crate::services::app::TcpEnd;

impl TcpStack {
    /// Whether a drive would do nothing but note the time: no connection
    /// touched since the last one, no app event waiting.
    pub(crate) fn is_idle(&self) -> bool {
        self.ix.dirty.is_empty() && self.app_events.is_empty()
    }

    /// The drive of an idle stack ([`TcpStack::is_idle`]): only its time.
    pub(crate) fn idle_drive(&mut self, now: SimTime) {
        self.last_drive = now;
    }

    /// Runs the programs, drains notes and segments, forgets closed sockets.
    pub(crate) fn drive(
        &mut self,
        now: SimTime,
        jobs: &mut [Job],
        out: &mut Vec<Out>,
        notes: &mut Vec<Note>,
    ) {
        self.last_drive = now;
        if self.ix.dirty.is_empty() {
            return;
        }
        let spare = std::mem::take(&mut self.ix.spare);
        let mut keys = std::mem::replace(&mut self.ix.dirty, spare);
        // Creation order, as a scan of every connection visits them.
        keys.sort_unstable();
        for &key in &keys {
            let Some(s) = self.socks.get_mut(&key) else {
                continue;
            };
            s.dirty = false;
            while let Some(n) = s.conn.poll_note() {
                notes.push(Note::Tcp(n));
            }
            while let Some(ev) = s.conn.poll_event() {
                match (&mut s.role, ev) {
                    (Role::Sink { port }, Event::DataReadable) => {
                        let data = s.conn.recv();
                        let keep = self.received.entry(*port).or_default();
                        let room = SINK_KEEP.saturating_sub(keep.len());
                        keep.extend_from_slice(&data[..data.len().min(room)]);
                    }
                    (Role::Sink { .. }, Event::PeerClosed) => s.conn.close(),
                    (Role::Sender { job, .. }, Event::Connected) => {
                        if let Some(j) = jobs.get_mut(job.0 as usize) {
                            j.println(&format!("Connected to {}.", s.conn.remote()));
                        }
                    }
                    (
                        Role::Sender {
                            job, data, started, ..
                        },
                        Event::Closed,
                    ) => {
                        if let Some(j) = jobs.get_mut(job.0 as usize) {
                            let ms = (now - *started).as_millis();
                            j.println(&format!(
                                "Sent {} bytes in {ms} ms; connection closed.",
                                data.len()
                            ));
                            j.finish(now, true);
                        }
                    }
                    (Role::Sender { job, .. }, Event::Reset | Event::TimedOut) => {
                        if let Some(j) = jobs.get_mut(job.0 as usize) {
                            let why = if ev == Event::Reset {
                                "Connection refused or reset by the peer."
                            } else {
                                "Connection timed out."
                            };
                            j.println(why);
                            j.finish(now, false);
                        }
                    }
                    (
                        Role::App {
                            app,
                            sock,
                            connected,
                            ..
                        },
                        ev,
                    ) => {
                        let e = match ev {
                            Event::Connected => {
                                *connected = true;
                                AppTcpEvent::Connected
                            }
                            Event::DataReadable => AppTcpEvent::Data(s.conn.recv()),
                            Event::PeerClosed => AppTcpEvent::PeerClosed,
                            Event::Closed => AppTcpEvent::Ended(TcpEnd::Closed),
                            Event::Reset if !*connected => AppTcpEvent::Ended(TcpEnd::Refused),
                            Event::Reset => AppTcpEvent::Ended(TcpEnd::Reset),
                            Event::TimedOut => AppTcpEvent::Ended(TcpEnd::TimedOut),
                        };
                        self.app_events.push((*app, *sock, e));
                    }
                    _ => {}
                }
            }
            if let Role::App {
                pending, closing, ..
            } = &mut s.role
            {
                if !pending.is_empty() {
                    let n = s.conn.send(pending);
                    pending.drain(..n);
                }
                if *closing && pending.is_empty() && s.conn.may_send() {
                    *closing = false;
                    s.conn.close();
                }
            }
            if let Role::Sender { data, offset, .. } = &mut s.role
                && *offset < data.len()
            {
                let n = s.conn.send(&data[*offset..]);
                *offset += n;
                if *offset == data.len() {
                    s.conn.close();
                }
            }
            while let Some(seg) = s.conn.poll_transmit(now) {
                let (l, r) = (s.conn.local(), s.conn.remote());
                out.push(super::out(&seg, *l.ip(), *r.ip()));
            }
            while let Some(n) = s.conn.poll_note() {
                notes.push(Note::Tcp(n));
            }
            if s.conn.state() == State::Closed {
                self.remove(key);
            } else if s.has_backlog() {
                s.dirty = true;
                self.ix.dirty.push(key);
            } else if let Some(t) = s.conn.poll_timeout() {
                s.indexed = Some(t);
                self.ix.timers.insert((t, key));
            }
        }
        keys.clear();
        self.ix.spare = keys;
    }

    /// When a connection next needs its timeout handling.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        let clean = self.ix.timers.first().map(|(t, _)| *t);
        self.ix
            .dirty
            .iter()
            .filter_map(|k| self.socks.get(k)?.conn.poll_timeout())
            .chain(clean)
            .min()
    }

    /// Runs the connections' timers.
    pub(crate) fn handle_timeout(&mut self, now: SimTime) {
        let due: Vec<Key> = self
            .ix
            .timers
            .iter()
            .take_while(|(t, _)| *t <= now)
            .map(|(_, k)| *k)
            .collect();
        for key in due {
            self.touch(key);
        }
        for key in &self.ix.dirty {
            if let Some(s) = self.socks.get_mut(key)
                && s.conn.poll_timeout().is_some_and(|t| t <= now)
            {
                s.conn.handle_timeout(now);
            }
        }
    }
}
