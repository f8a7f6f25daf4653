//! The one TCP application that hosts a server-side stream engine
//! ([`StreamServer`]: SMTP, POP3, IMAP, HTTP) on a simulated host:
//! [`StreamApp`], generic over a small [`StreamService`] that says what
//! differs per service.
//!
//! The app does the hosting the same way for every protocol: it listens on
//! the service's ports, makes a session for each accepted connection (the
//! service picks the engine by local port, or refuses), feeds bytes, the
//! peer's FIN, the connection's loss and the sessions' timers into its
//! [`StreamSessions`] table, and passes on what each call produced — notes
//! to the trace, bytes to the connection, a FIN once the session closed,
//! events to the service.
//!
//! The service supplies the rest: its ports, a session for a port, the
//! sessions' shared context (the web site as configured now, so edits apply
//! live; the mail store), how a note reads in the trace, what an event
//! means (HTTP counts requests served; mail tells a mailbox's other IMAP
//! sessions of a change and queues relays), and, through hooks with empty
//! defaults, work of its own: connections it opened itself (the mail
//! relay's SMTP clients), its own timers (the relay queue), name lookups
//! (MX records).
//!
//! ```text
//! on_start / on_config   listen on StreamService::listen_ports
//! on_accept              StreamService::session → table; greeting out
//! on_data                own connection? hook : table input
//! on_peer_closed         table end; FIN back
//! on_closed              own connection? hook : table end (nothing sent); forget
//! on_timeout             due sessions and own connections in time order,
//!                        then the service's timer
//! on_resolved            hook
//! (after each callback)  StreamService::after
//! ```

use std::fmt;
use std::net::SocketAddrV4;

use lanlab_proto::dns::LookupResult;
use lanlab_proto::{SimTime, StreamServer};

use super::app::{App, AppCx, SockId, TcpEnd};
use super::stream::{Drained, StreamSessions};
use crate::note::Note;

/// The session table of a stream service, by connection.
pub type Sessions<S> = StreamSessions<SockId, <S as StreamService>::Session>;

/// The shared context of a service's sessions.
pub type Context<S> = <<S as StreamService>::Session as StreamServer>::Context;

/// What differs between the stream services [`StreamApp`] hosts. The
/// hooks for connections and timers of the service's own have empty
/// defaults (only the mail service relays).
#[allow(unused_variables)]
pub trait StreamService: Clone + fmt::Debug + 'static {
    /// The engine of one connection.
    type Session: StreamServer + Clone + fmt::Debug;

    /// The app's name (`web server`).
    const NAME: &'static str;

    /// The TCP ports to listen on.
    fn listen_ports(&self) -> Vec<u16>;

    /// The device's services configuration changed (the app then listens
    /// on any port that is new in [`StreamService::listen_ports`]).
    fn on_config(&mut self, cx: &mut AppCx<'_>) {}

    /// The session for a connection accepted on `local` from `remote`, or
    /// `None` to refuse it (reset).
    fn session(
        &mut self,
        cx: &mut AppCx<'_>,
        local: SocketAddrV4,
        remote: SocketAddrV4,
    ) -> Option<Self::Session>;

    /// Runs `f` with the sessions' shared context.
    fn with_context<R>(&mut self, cx: &AppCx<'_>, f: impl FnOnce(&mut Context<Self>) -> R) -> R;

    /// A session's note as a trace note.
    fn note(n: <Self::Session as StreamServer>::Note) -> Note;

    /// What session `sock` produced besides notes and bytes (called after
    /// every call into a session, even with no events).
    fn on_events(
        &mut self,
        cx: &mut AppCx<'_>,
        sessions: &mut Sessions<Self>,
        sock: SockId,
        events: Vec<<Self::Session as StreamServer>::Event>,
    );

    /// Whether `sock` is a connection the service opened itself (its
    /// events go to the `on_own_*` hooks, not to the session table).
    fn owns(&self, sock: SockId) -> bool {
        false
    }

    /// Bytes arrived on a connection of the service's own.
    fn on_own_data(
        &mut self,
        cx: &mut AppCx<'_>,
        sessions: &mut Sessions<Self>,
        sock: SockId,
        data: &[u8],
    ) {
    }

    /// A connection of the service's own is gone.
    fn on_own_closed(
        &mut self,
        cx: &mut AppCx<'_>,
        sessions: &mut Sessions<Self>,
        sock: SockId,
        end: TcpEnd,
    ) {
    }

    /// The connections of the service's own whose timer is due at `now`.
    fn own_due(&self, now: SimTime) -> Vec<(SimTime, SockId)> {
        Vec::new()
    }

    /// The timer of a connection of the service's own is due.
    fn on_own_timeout(&mut self, cx: &mut AppCx<'_>, sessions: &mut Sessions<Self>, sock: SockId) {}

    /// The service's earliest timer of its own (its connections' and any
    /// other), beside the sessions'.
    fn poll_timeout(&self) -> Option<SimTime> {
        None
    }

    /// Runs the service's timers that are not its connections' (checks
    /// itself whether they are due).
    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {}

    /// A lookup asked with [`AppCx::resolve`] finished.
    fn on_resolved(&mut self, cx: &mut AppCx<'_>, token: u64, result: &LookupResult) {}

    /// Runs at the end of every callback on a connection, timer or lookup
    /// (the mail service starts the MX lookups its queue asked for).
    fn after(&mut self, cx: &mut AppCx<'_>) {}
}

/// The app hosting a stream service: its sessions and the service.
#[derive(Clone, Debug)]
pub struct StreamApp<S: StreamService> {
    service: S,
    sessions: Sessions<S>,
}

impl<S: StreamService + Default> Default for StreamApp<S> {
    fn default() -> Self {
        StreamApp::new(S::default())
    }
}

impl<S: StreamService> StreamApp<S> {
    /// The app for `service`, with no connection yet.
    pub fn new(service: S) -> Self {
        StreamApp {
            service,
            sessions: StreamSessions::new(),
        }
    }

    /// The service (its state for the UI).
    pub fn service(&self) -> &S {
        &self.service
    }

    /// The open sessions, by connection.
    pub fn sessions(&self) -> &Sessions<S> {
        &self.sessions
    }

    /// Passes on what session `sock` produced: notes to the trace, bytes
    /// and the close to the connection if it is `live` (still exists),
    /// events to the service.
    fn deliver(&mut self, cx: &mut AppCx<'_>, sock: SockId, d: Drained<S::Session>, live: bool) {
        for n in d.notes {
            cx.note(S::note(n));
        }
        if live {
            for out in d.output {
                cx.tcp_send(sock, out);
            }
            if d.closed {
                cx.tcp_close(sock);
            }
        }
        self.service
            .on_events(cx, &mut self.sessions, sock, d.events);
    }
}

impl<S: StreamService> App for StreamApp<S> {
    fn name(&self) -> &'static str {
        S::NAME
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        for port in self.service.listen_ports() {
            cx.listen_tcp(port);
        }
    }

    fn on_config(&mut self, cx: &mut AppCx<'_>) {
        let before = self.service.listen_ports();
        self.service.on_config(cx);
        for port in self.service.listen_ports() {
            if !before.contains(&port) {
                cx.listen_tcp(port);
            }
        }
    }

    fn on_accept(
        &mut self,
        cx: &mut AppCx<'_>,
        sock: SockId,
        local: SocketAddrV4,
        remote: SocketAddrV4,
    ) {
        match self.service.session(cx, local, remote) {
            Some(s) => {
                let d = self.sessions.insert(sock, s);
                self.deliver(cx, sock, d, true);
            }
            None => cx.tcp_abort(sock),
        }
        self.service.after(cx);
    }

    fn on_data(&mut self, cx: &mut AppCx<'_>, sock: SockId, data: &[u8]) {
        if self.service.owns(sock) {
            self.service.on_own_data(cx, &mut self.sessions, sock, data);
        } else {
            let now = cx.now;
            let sessions = &mut self.sessions;
            let d = self
                .service
                .with_context(cx, |ctx| sessions.input(sock, now, data, ctx));
            if let Some(d) = d {
                self.deliver(cx, sock, d, true);
            }
        }
        self.service.after(cx);
    }

    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        let now = cx.now;
        let sessions = &mut self.sessions;
        let d = self
            .service
            .with_context(cx, |ctx| sessions.end(sock, now, ctx));
        if let Some(d) = d {
            self.deliver(cx, sock, d, true);
        }
        cx.tcp_close(sock);
        self.service.after(cx);
    }

    fn on_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId, end: TcpEnd) {
        if self.service.owns(sock) {
            self.service
                .on_own_closed(cx, &mut self.sessions, sock, end);
        } else {
            let now = cx.now;
            let sessions = &mut self.sessions;
            let d = self
                .service
                .with_context(cx, |ctx| sessions.end(sock, now, ctx));
            if let Some(d) = d {
                self.deliver(cx, sock, d, false);
            }
            self.sessions.remove(sock);
        }
        self.service.after(cx);
    }

    fn on_resolved(&mut self, cx: &mut AppCx<'_>, token: u64, result: &LookupResult) {
        self.service.on_resolved(cx, token, result);
        self.service.after(cx);
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        [self.sessions.poll_timeout(), self.service.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
    }

    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        let now = cx.now;
        let mut due = self.sessions.due(now);
        due.extend(self.service.own_due(now));
        lanlab_proto::order::sort(&mut due);
        for (_, sock) in due {
            if self.service.owns(sock) {
                self.service.on_own_timeout(cx, &mut self.sessions, sock);
                continue;
            }
            let sessions = &mut self.sessions;
            let d = self
                .service
                .with_context(cx, |ctx| sessions.timeout(sock, now, ctx));
            if let Some(d) = d {
                self.deliver(cx, sock, d, true);
            }
        }
        self.service.on_timeout(cx);
        self.service.after(cx);
    }
}
