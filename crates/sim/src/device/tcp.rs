//! A host's TCP sockets: listeners, connections (the `proto::tcp` engine)
//! and the two small programs lanlab runs on them until the application
//! issues mount theirs: a discard sink on a listening port (RFC 863) and a
//! sender that pushes N bytes and closes.
//!
//! Only the connections with work are polled: a segment, a timer, a call of
//! their program or app marks a connection *dirty*, and
//! [`TcpStack::drive`] visits the dirty ones in creation order (the order a
//! scan of all of them would take), so a host with a thousand idle
//! connections pays nothing for them. The clean ones' deadlines wait in a
//! set ordered by time. A connection polled at every drive only ever moved
//! its clock forward; a clean one catches up with the last drive's time
//! when it is next touched, so what it records is the same.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, SocketAddrV4};

use lanlab_proto::SimTime;
use lanlab_proto::tcp::{Connection, Event, ListenAction, Listener, Segment, State, reset_for};
use smoltcp::wire::Icmpv4DstUnreachable;

use crate::job::{Job, JobId};
use crate::note::Note;
use crate::rng::SplitMix64;
use crate::services::app::{AppId, SockId, TcpEnd};

/// Keep at most this much of what a sink received (for inspection).
pub const SINK_KEEP: usize = 1 << 20;

#[derive(Clone, Debug)]
enum Role {
    /// Accepted on a listening port: reads and keeps what arrives, closes when the peer does.
    Sink { port: u16 },
    /// Started by a job: sends `data`, then closes.
    Sender {
        job: JobId,
        data: Vec<u8>,
        offset: usize,
        started: SimTime,
    },
    /// Owned by an app (a service's session, the browser, a mail client).
    App {
        app: AppId,
        sock: SockId,
        /// Bytes the connection's send buffer could not take yet.
        pending: Vec<u8>,
        /// Close once `pending` is sent.
        closing: bool,
        connected: bool,
    },
}

/// What happened on an app's connection, for the host to dispatch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AppTcpEvent {
    Accepted {
        local: SocketAddrV4,
        remote: SocketAddrV4,
    },
    Connected,
    Data(Vec<u8>),
    PeerClosed,
    Ended(TcpEnd),
}

#[derive(Clone, Debug)]
struct Sock {
    conn: Connection,
    role: Role,
    /// The deadline this socket has in [`TcpStack::timers`] (clean sockets only).
    indexed: Option<SimTime>,
    /// Whether it waits in [`Index::dirty`] for the next drive.
    dirty: bool,
}

impl Sock {
    /// Whether a drive would do something with it even untouched: bytes
    /// that did not fit its send buffer yet.
    fn has_backlog(&self) -> bool {
        match &self.role {
            Role::App { pending, .. } => !pending.is_empty(),
            Role::Sender { data, offset, .. } => *offset < data.len(),
            Role::Sink { .. } => false,
        }
    }
}

/// The indexes of a host's connections.
#[derive(Clone, Debug, Default)]
struct Index {
    /// Connections by (local, remote), oldest first (a reused ephemeral
    /// port may meet a connection that has not closed yet).
    by_tuple: BTreeMap<Tuple, Vec<Key>>,
    /// Apps' connections by socket id, oldest first.
    by_sock: BTreeMap<SockId, Vec<Key>>,
    /// Connections to visit at the next drive, in the order they were
    /// touched (the drive sorts them); a key whose connection is gone is
    /// skipped. A connection is listed once: its `dirty` flag says so.
    dirty: Vec<Key>,
    /// The last drive's list, emptied, to take the next one's keys.
    spare: Vec<Key>,
    /// Deadlines of the clean connections that have one.
    timers: BTreeSet<(SimTime, Key)>,
}

/// A connection's key: its creation number, so keys sort in creation order.
type Key = u64;

/// (local, remote) of a connection.
type Tuple = (SocketAddrV4, SocketAddrV4);

/// One line of `netstat`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SocketLine {
    /// Local address.
    pub local: SocketAddrV4,
    /// Remote address (`0.0.0.0:0` for a listener).
    pub remote: SocketAddrV4,
    /// State.
    pub state: State,
}

/// The TCP side of a host.
#[derive(Clone, Debug)]
pub struct TcpStack {
    listeners: BTreeMap<u16, Listener>,
    /// The connections, by creation number.
    socks: BTreeMap<Key, Sock>,
    next_key: Key,
    /// Which connections to visit, and how to find them.
    ix: Box<Index>,
    /// The time of the last drive.
    last_drive: SimTime,
    rng: SplitMix64,
    next_port: u16,
    received: BTreeMap<u16, Vec<u8>>,
    app_listen: BTreeMap<u16, AppId>,
    app_events: Vec<(AppId, SockId, AppTcpEvent)>,
    /// Socket ids of accepted connections count down from the top, so they
    /// never meet the ids apps pick for connections they open.
    next_app_sock: u32,
}

/// How a connection attempt ends on an ICMP destination unreachable:
/// port or protocol unreachable is a refusal (as a RST is), net or host
/// unreachable means no path, codes 9, 10 and 13 a filter. "Fragmentation
/// needed" is path MTU discovery's business, not an end.
fn end_for(reason: Icmpv4DstUnreachable) -> Option<TcpEnd> {
    Some(match reason {
        Icmpv4DstUnreachable::FragRequired => return None,
        Icmpv4DstUnreachable::PortUnreachable | Icmpv4DstUnreachable::ProtoUnreachable => {
            TcpEnd::Refused
        }
        Icmpv4DstUnreachable::NetProhibited
        | Icmpv4DstUnreachable::HostProhibited
        | Icmpv4DstUnreachable::CommProhibited => TcpEnd::Prohibited,
        _ => TcpEnd::Unreachable,
    })
}

/// A segment to put in an IPv4 packet: (source, destination, TCP bytes).
pub(crate) type Out = (Ipv4Addr, Ipv4Addr, Vec<u8>);

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| b'0' + (i % 10) as u8).collect()
}

impl TcpStack {
    /// No socket; initial sequence numbers drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        TcpStack {
            listeners: BTreeMap::new(),
            socks: BTreeMap::new(),
            next_key: 0,
            ix: Box::default(),
            last_drive: SimTime::ZERO,
            rng: SplitMix64::new(seed),
            next_port: 49152,
            received: BTreeMap::new(),
            app_listen: BTreeMap::new(),
            app_events: Vec::new(),
            next_app_sock: 1 << 31,
        }
    }

    /// Adds a connection (dirty: its first segment is due).
    fn insert(&mut self, conn: Connection, role: Role) {
        let key = self.next_key;
        self.next_key += 1;
        self.ix
            .by_tuple
            .entry((conn.local(), conn.remote()))
            .or_default()
            .push(key);
        if let Role::App { sock, .. } = role {
            self.ix.by_sock.entry(sock).or_default().push(key);
        }
        self.socks.insert(
            key,
            Sock {
                conn,
                role,
                indexed: None,
                dirty: true,
            },
        );
        self.ix.dirty.push(key);
    }

    /// Marks connection `key` for the next drive and returns it. A clean
    /// connection first catches up with the last drive's time, as if that
    /// drive had polled it (it had nothing to send then, nor now).
    fn touch(&mut self, key: Key) -> Option<&mut Sock> {
        let s = self.socks.get_mut(&key)?;
        if !s.dirty {
            s.dirty = true;
            self.ix.dirty.push(key);
            if let Some(t) = s.indexed.take() {
                self.ix.timers.remove(&(t, key));
            }
            let seg = s.conn.poll_transmit(self.last_drive);
            debug_assert!(seg.is_none(), "a clean connection has nothing to send");
        }
        Some(s)
    }

    /// Forgets connection `key`.
    fn remove(&mut self, key: Key) {
        let Some(s) = self.socks.remove(&key) else {
            return;
        };
        if let Some(t) = s.indexed {
            self.ix.timers.remove(&(t, key));
        }
        let tuple = (s.conn.local(), s.conn.remote());
        if let Some(v) = self.ix.by_tuple.get_mut(&tuple) {
            v.retain(|k| *k != key);
            if v.is_empty() {
                self.ix.by_tuple.remove(&tuple);
            }
        }
        if let Role::App { sock, .. } = s.role
            && let Some(v) = self.ix.by_sock.get_mut(&sock)
        {
            v.retain(|k| *k != key);
            if v.is_empty() {
                self.ix.by_sock.remove(&sock);
            }
        }
    }

    /// Opens a listening port whose connections belong to `app`.
    pub(crate) fn listen_app(&mut self, port: u16, app: AppId) {
        self.listeners.insert(
            port,
            Listener::new(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)),
        );
        self.app_listen.insert(port, app);
    }

    /// Closes `app`'s listening ports and aborts its connections.
    pub(crate) fn drop_app(&mut self, app: AppId) {
        let ports: Vec<u16> = self
            .app_listen
            .iter()
            .filter(|(_, a)| **a == app)
            .map(|(p, _)| *p)
            .collect();
        for p in ports {
            self.app_listen.remove(&p);
            self.listeners.remove(&p);
        }
        // Connections the app was closing finish closing; the rest are reset.
        let doomed: Vec<Key> = self
            .socks
            .iter()
            .filter(|(_, s)| {
                matches!(&s.role, Role::App { app: a, closing, .. } if *a == app && !*closing)
                    && s.conn.may_send()
            })
            .map(|(k, _)| *k)
            .collect();
        for key in doomed {
            if let Some(s) = self.touch(key) {
                s.conn.abort();
            }
        }
    }

    /// Connects from `local_ip` to `remote` for an app.
    pub(crate) fn connect_app(
        &mut self,
        now: SimTime,
        local_ip: Ipv4Addr,
        remote: SocketAddrV4,
        app: AppId,
        sock: SockId,
    ) {
        let local = SocketAddrV4::new(local_ip, self.ephemeral());
        let iss = self.rng.next_u64() as u32;
        let conn = Connection::connect(local, remote, iss, now);
        self.insert(
            conn,
            Role::App {
                app,
                sock,
                pending: Vec::new(),
                closing: false,
                connected: false,
            },
        );
    }

    fn app_sock(&mut self, id: SockId) -> Option<&mut Sock> {
        let key = *self.ix.by_sock.get(&id)?.first()?;
        self.touch(key)
    }

    /// Queues bytes on an app's connection.
    pub(crate) fn app_send(&mut self, id: SockId, bytes: &[u8]) {
        if let Some(Sock {
            role: Role::App { pending, .. },
            ..
        }) = self.app_sock(id)
        {
            pending.extend_from_slice(bytes);
        }
    }

    /// Closes an app's connection once its queued bytes are sent.
    pub(crate) fn app_close(&mut self, id: SockId) {
        if let Some(Sock {
            role: Role::App { closing, .. },
            ..
        }) = self.app_sock(id)
        {
            *closing = true;
        }
    }

    /// Resets an app's connection.
    pub(crate) fn app_abort(&mut self, id: SockId) {
        if let Some(s) = self.app_sock(id) {
            s.conn.abort();
        }
    }

    /// What happened on apps' connections since the last call.
    pub(crate) fn take_app_events(&mut self) -> Vec<(AppId, SockId, AppTcpEvent)> {
        std::mem::take(&mut self.app_events)
    }

    /// Opens a listening port with a discard sink.
    pub fn listen(&mut self, port: u16) {
        self.listeners
            .entry(port)
            .or_insert_with(|| Listener::new(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)));
    }

    /// What the sinks of a listening port received so far (up to [`SINK_KEEP`] bytes).
    pub fn received(&self, port: u16) -> &[u8] {
        self.received.get(&port).map_or(&[], Vec::as_slice)
    }

    fn ephemeral(&mut self) -> u16 {
        let p = self.next_port;
        self.next_port = if p == u16::MAX { 49152 } else { p + 1 };
        p
    }

    /// Connects from `local_ip` to `remote` and sends `bytes` bytes, then closes.
    pub(crate) fn send_to(
        &mut self,
        now: SimTime,
        local_ip: Ipv4Addr,
        remote: SocketAddrV4,
        bytes: usize,
        job: JobId,
    ) {
        let local = SocketAddrV4::new(local_ip, self.ephemeral());
        let iss = self.rng.next_u64() as u32;
        let conn = Connection::connect(local, remote, iss, now);
        self.insert(
            conn,
            Role::Sender {
                job,
                data: pattern(bytes),
                offset: 0,
                started: now,
            },
        );
    }

    /// Handles a segment for this host.
    pub(crate) fn handle_segment(
        &mut self,
        now: SimTime,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        seg: &Segment,
        out: &mut Vec<Out>,
        notes: &mut Vec<Note>,
    ) {
        let local = SocketAddrV4::new(dst, seg.dst_port);
        let remote = SocketAddrV4::new(src, seg.src_port);
        let known = self
            .ix
            .by_tuple
            .get(&(local, remote))
            .and_then(|v| v.first().copied());
        if let Some(s) = known.and_then(|key| self.touch(key)) {
            s.conn.handle_segment(now, seg);
            return;
        }
        match self
            .listeners
            .get(&seg.dst_port)
            .map(|l| l.handle_segment(seg))
        {
            Some(ListenAction::Accept) => {
                let iss = self.rng.next_u64() as u32;
                let conn = Connection::accept(local, remote, seg, iss, now);
                let role = match self.app_listen.get(&seg.dst_port) {
                    Some(&app) => {
                        let sock = SockId(self.next_app_sock);
                        self.next_app_sock += 1;
                        self.app_events
                            .push((app, sock, AppTcpEvent::Accepted { local, remote }));
                        Role::App {
                            app,
                            sock,
                            pending: Vec::new(),
                            closing: false,
                            connected: true,
                        }
                    }
                    None => Role::Sink { port: seg.dst_port },
                };
                self.insert(conn, role);
            }
            Some(ListenAction::Reset(rst)) => out.push((dst, src, rst.emit(dst, src))),
            Some(ListenAction::Ignore) => {}
            None => {
                if let Some(rst) = reset_for(seg) {
                    notes.push(Note::TcpPortClosed { port: seg.dst_port });
                    out.push((dst, src, rst.emit(dst, src)));
                }
            }
        }
    }

    /// An ICMP destination unreachable about a segment this host sent from
    /// `local` to `remote`; true when it aborted a connection attempt.
    ///
    /// RFC 1122 §4.2.3.9 lets TCP abort on hard errors; a connection still
    /// in SYN-SENT has nothing to protect, so (as Linux does) any
    /// unreachable aborts it and its program fails at once instead of
    /// waiting for the SYN retransmissions to time out. A synchronized
    /// connection carries on.
    pub(crate) fn handle_unreachable(
        &mut self,
        now: SimTime,
        local: SocketAddrV4,
        remote: SocketAddrV4,
        reason: Icmpv4DstUnreachable,
        jobs: &mut [Job],
    ) -> bool {
        let Some(end) = end_for(reason) else {
            return false;
        };
        let key = self.ix.by_tuple.get(&(local, remote)).and_then(|v| {
            v.iter().copied().find(|k| {
                self.socks
                    .get(k)
                    .is_some_and(|s| s.conn.state() == State::SynSent)
            })
        });
        let Some(key) = key else {
            return false;
        };
        if self.touch(key).is_none() {
            return false;
        }
        let Some(s) = self.socks.get_mut(&key) else {
            return false;
        };
        s.conn.abort();
        match &s.role {
            Role::App { app, sock, .. } => {
                self.app_events.push((*app, *sock, AppTcpEvent::Ended(end)));
            }
            Role::Sender { job, .. } => {
                if let Some(j) = jobs.get_mut(job.0 as usize) {
                    j.println(&format!("Connection failed: {end}."));
                    j.finish(now, false);
                }
            }
            Role::Sink { .. } => {}
        }
        true
    }

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
                out.push((*l.ip(), *r.ip(), seg.emit(*l.ip(), *r.ip())));
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

    /// Listeners and connections, for `netstat`.
    pub fn sockets(&self) -> Vec<SocketLine> {
        let any = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0);
        let mut v: Vec<SocketLine> = self
            .listeners
            .values()
            .map(|l| SocketLine {
                local: l.local(),
                remote: any,
                state: State::Listen,
            })
            .collect();
        v.extend(self.socks.values().map(|s| SocketLine {
            local: s.conn.local(),
            remote: s.conn.remote(),
            state: s.conn.state(),
        }));
        v
    }

    /// Stops every sender (the host is switched off).
    pub(crate) fn kill(&mut self, now: SimTime, jobs: &mut [Job]) {
        self.ix.by_tuple.clear();
        self.ix.by_sock.clear();
        self.ix.dirty.clear();
        self.ix.timers.clear();
        for s in std::mem::take(&mut self.socks).into_values() {
            if let Role::Sender { job, .. } = s.role
                && let Some(j) = jobs.get_mut(job.0 as usize)
            {
                j.println("(the device was switched off)");
                j.finish(now, false);
            }
        }
    }
}

#[cfg(test)]
mod tests;
