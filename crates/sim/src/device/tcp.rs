//! A host's TCP sockets: listeners, connections (the `proto::tcp` engine)
//! and the two small programs lanlab runs on them until the application
//! issues mount theirs: a discard sink on a listening port (RFC 863) and a
//! sender that pushes N bytes and closes.

use std::collections::BTreeMap;
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
    socks: Vec<Sock>,
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
            socks: Vec::new(),
            rng: SplitMix64::new(seed),
            next_port: 49152,
            received: BTreeMap::new(),
            app_listen: BTreeMap::new(),
            app_events: Vec::new(),
            next_app_sock: 1 << 31,
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
        for s in &mut self.socks {
            if let Role::App {
                app: a, closing, ..
            } = &s.role
                && *a == app
                && !*closing
                && s.conn.may_send()
            {
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
        self.socks.push(Sock {
            conn,
            role: Role::App {
                app,
                sock,
                pending: Vec::new(),
                closing: false,
                connected: false,
            },
        });
    }

    fn app_sock(&mut self, id: SockId) -> Option<&mut Sock> {
        self.socks
            .iter_mut()
            .find(|s| matches!(s.role, Role::App { sock, .. } if sock == id))
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
        self.socks.push(Sock {
            conn,
            role: Role::Sender {
                job,
                data: pattern(bytes),
                offset: 0,
                started: now,
            },
        });
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
        if let Some(s) = self
            .socks
            .iter_mut()
            .find(|s| s.conn.local() == local && s.conn.remote() == remote)
        {
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
                self.socks.push(Sock { conn, role });
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
        let Some(s) = self.socks.iter_mut().find(|s| {
            s.conn.local() == local && s.conn.remote() == remote && s.conn.state() == State::SynSent
        }) else {
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

    /// Runs the programs, drains notes and segments, forgets closed sockets.
    pub(crate) fn drive(
        &mut self,
        now: SimTime,
        jobs: &mut [Job],
        out: &mut Vec<Out>,
        notes: &mut Vec<Note>,
    ) {
        for s in &mut self.socks {
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
        }
        self.socks.retain(|s| s.conn.state() != State::Closed);
    }

    /// When a connection next needs its timeout handling.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.socks
            .iter()
            .filter_map(|s| s.conn.poll_timeout())
            .min()
    }

    /// Runs the connections' timers.
    pub(crate) fn handle_timeout(&mut self, now: SimTime) {
        for s in &mut self.socks {
            if s.conn.poll_timeout().is_some_and(|t| t <= now) {
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
        v.extend(self.socks.iter().map(|s| SocketLine {
            local: s.conn.local(),
            remote: s.conn.remote(),
            state: s.conn.state(),
        }));
        v
    }

    /// Stops every sender (the host is switched off).
    pub(crate) fn kill(&mut self, now: SimTime, jobs: &mut [Job]) {
        for s in self.socks.drain(..) {
            if let Role::Sender { job, .. } = s.role
                && let Some(j) = jobs.get_mut(job.0 as usize)
            {
                j.println("(the device was switched off)");
                j.finish(now, false);
            }
        }
    }
}
