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
use std::rc::Rc;

use lanlab_proto::SimTime;
use lanlab_proto::tcp::{Connection, Listener, Segment, State};

use crate::job::{Job, JobId};
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

/// (local, remote) of a connection, packed into one number (addresses and
/// ports in the order they sort in): compared in one go.
type Tuple = u128;

/// The [`Tuple`] of a connection from `local` to `remote`.
fn tuple(local: SocketAddrV4, remote: SocketAddrV4) -> Tuple {
    let half = |a: SocketAddrV4| u128::from(u32::from(*a.ip())) << 16 | u128::from(a.port());
    half(local) << 48 | half(remote)
}

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

/// A segment to put in an IPv4 packet: (source, destination, frame). The
/// frame is [`FRAME_HEAD`] zero bytes for the Ethernet and IPv4 headers,
/// then the TCP bytes: the host writes the headers in place
/// (`Ipv4Head::fill` in `lanlab_proto::net::packet`) and sends the one buffer.
pub(crate) type Out = (Ipv4Addr, Ipv4Addr, Rc<[u8]>);

/// The room for the Ethernet and IPv4 headers before an [`Out`]'s segment.
pub(crate) const FRAME_HEAD: usize = 14 + 20;

/// The [`Out`] of `seg` from `src` to `dst`: room for the headers, then the
/// bytes [`Segment::emit`] writes.
pub(crate) fn out(seg: &Segment, src: Ipv4Addr, dst: Ipv4Addr) -> Out {
    // An exact-size iterator: collected into one allocation of this length.
    let mut frame: Rc<[u8]> = std::iter::repeat_n(0u8, FRAME_HEAD + seg.emit_len()).collect();
    let bytes = Rc::get_mut(&mut frame).expect("not shared yet");
    seg.emit_into(src, dst, &mut bytes[FRAME_HEAD..]);
    (src, dst, frame)
}

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
            .entry(tuple(conn.local(), conn.remote()))
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
        let t = tuple(s.conn.local(), s.conn.remote());
        if let Some(v) = self.ix.by_tuple.get_mut(&t) {
            v.retain(|k| *k != key);
            if v.is_empty() {
                self.ix.by_tuple.remove(&t);
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

mod drive;
mod input;

#[cfg(test)]
mod tests;
