//! The running e-mail service of a server: one [`MailStore`], one relay
//! [`smtp::Queue`], one protocol session per accepted connection (SMTP on
//! 25, POP3 on 110, IMAP on 143) and one SMTP client per relay attempt.
//! Transport-free: the host hands it connection events through [`MailIo`].
//!
//! The three protocols' sessions live in one [`StreamSessions`] table,
//! each boxed as a [`MailSession`]: a [`StreamServer`] over the
//! [`MailStore`] whose notes and events are already the mail service's.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddrV4};

use lanlab_proto::mail::{AccountId, MailStore};
use lanlab_proto::{SimTime, StreamServer, imap, pop3, smtp};

use super::io::{ConnId, MailIo};
use super::note::{MailNote, MailProto};
use super::{MailConfigError, MailService};
use crate::services::stream::{Drained, StreamSessions, Timers};

/// What the mail server does with a session's event.
#[derive(Clone, Debug)]
pub enum MailEvent {
    /// A mailbox of this account changed: tell its other IMAP sessions.
    Changed(AccountId),
    /// A message for foreign recipients: queue it for relay.
    Relay(smtp::Envelope),
    /// Nothing for the server to do (the session's close is read from
    /// [`StreamServer::is_closed`]).
    Other,
}

/// A protocol engine the mail server hosts, and how its notes and events
/// read in the mail service's terms.
trait MailEngine: StreamServer<Context = MailStore> + Clone + fmt::Debug + 'static {
    /// Its protocol.
    const PROTO: MailProto;
    /// Its note as a mail note.
    fn note(n: Self::Note) -> MailNote;
    /// Its event as a mail event.
    fn event(e: Self::Event) -> MailEvent;
    /// The account whose mailbox changes this session reports at once
    /// (IMAP, logged in).
    fn watching(&self) -> Option<&AccountId> {
        None
    }
}

impl MailEngine for smtp::Server {
    const PROTO: MailProto = MailProto::Smtp;
    fn note(n: smtp::Note) -> MailNote {
        MailNote::Smtp(n)
    }
    fn event(e: smtp::Event) -> MailEvent {
        match e {
            smtp::Event::Delivered { account, .. } => MailEvent::Changed(account),
            smtp::Event::Relay(env) => MailEvent::Relay(env),
            smtp::Event::Closed => MailEvent::Other,
        }
    }
}

impl MailEngine for pop3::Server {
    const PROTO: MailProto = MailProto::Pop3;
    fn note(n: pop3::Note) -> MailNote {
        MailNote::Pop3(n)
    }
    fn event(_: pop3::Event) -> MailEvent {
        MailEvent::Other
    }
}

impl MailEngine for imap::Server {
    const PROTO: MailProto = MailProto::Imap;
    fn note(n: imap::Note) -> MailNote {
        MailNote::Imap(n)
    }
    fn event(e: imap::Event) -> MailEvent {
        match e {
            imap::Event::FolderChanged { account, .. } => MailEvent::Changed(account),
            _ => MailEvent::Other,
        }
    }
    fn watching(&self) -> Option<&AccountId> {
        self.account()
    }
}

/// One mail session of any protocol.
pub trait MailSession:
    StreamServer<Context = MailStore, Note = MailNote, Event = MailEvent> + fmt::Debug
{
    /// A copy in a new box (the simulation's state is `Clone`).
    fn clone_box(&self) -> Box<dyn MailSession>;
    /// Its protocol.
    fn proto(&self) -> MailProto;
    /// The account whose mailbox changes this session reports at once.
    fn watching(&self) -> Option<&AccountId>;
}

impl Clone for Box<dyn MailSession> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// An engine with its notes and events mapped to the mail service's.
#[derive(Clone, Debug)]
struct Mail<E>(E);

impl<E: MailEngine> StreamServer for Mail<E> {
    type Context = MailStore;
    type Note = MailNote;
    type Event = MailEvent;

    fn handle_input(&mut self, now: SimTime, bytes: &[u8], store: &mut MailStore) {
        self.0.handle_input(now, bytes, store);
    }
    fn handle_end(&mut self, now: SimTime, store: &mut MailStore) {
        self.0.handle_end(now, store);
    }
    fn handle_context_change(&mut self, now: SimTime, store: &MailStore) {
        self.0.handle_context_change(now, store);
    }
    fn poll_timeout(&self) -> Option<SimTime> {
        self.0.poll_timeout()
    }
    fn handle_timeout(&mut self, now: SimTime, store: &mut MailStore) {
        self.0.handle_timeout(now, store);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.0.poll_output()
    }
    fn poll_note(&mut self) -> Option<MailNote> {
        self.0.poll_note().map(E::note)
    }
    fn poll_event(&mut self) -> Option<MailEvent> {
        self.0.poll_event().map(E::event)
    }
    fn is_closed(&self) -> bool {
        self.0.is_closed()
    }
}

impl<E: MailEngine> MailSession for Mail<E> {
    fn clone_box(&self) -> Box<dyn MailSession> {
        Box::new(self.clone())
    }
    fn proto(&self) -> MailProto {
        E::PROTO
    }
    fn watching(&self) -> Option<&AccountId> {
        self.0.watching()
    }
}

type Sessions = StreamSessions<ConnId, Box<dyn MailSession>>;

/// A relay attempt in flight.
#[derive(Clone, Debug)]
struct Relay {
    job: smtp::JobId,
    client: smtp::Client,
}

/// The e-mail service of one server, running.
#[derive(Clone, Debug)]
pub struct MailServer {
    config: MailService,
    store: MailStore,
    queue: smtp::Queue,
    sessions: Sessions,
    relays: BTreeMap<ConnId, Relay>,
    /// The relay connections' timers (the sessions keep their own).
    relay_timers: Timers<ConnId>,
    routes: VecDeque<(smtp::JobId, String)>,
    stamps: u64,
}

impl MailServer {
    /// The service as configured, with empty mailboxes.
    ///
    /// # Errors
    /// [`MailConfigError`] when a domain or user is refused.
    pub fn new(config: &MailService) -> Result<Self, MailConfigError> {
        let store = config.build_store()?;
        let queue = smtp::Queue::new(smtp::QueueConfig {
            hostname: config.host_name(),
            retry_every_secs: config.retry_every_secs.max(1),
            warn_after_secs: config.warn_after_secs,
            give_up_after_secs: config.give_up_after_secs,
        });
        Ok(MailServer {
            config: config.clone(),
            store,
            queue,
            sessions: Sessions::new(),
            relays: BTreeMap::new(),
            relay_timers: Timers::default(),
            routes: VecDeque::new(),
            stamps: 0,
        })
    }

    /// The configuration it runs.
    pub fn config(&self) -> &MailService {
        &self.config
    }

    /// Applies a changed configuration: new users and domains get empty
    /// mailboxes, passwords change; mail already stored stays.
    pub fn reconfigure(&mut self, config: &MailService) {
        for d in &config.domains {
            let _ = self.store.add_domain(d);
            for u in config
                .users
                .iter()
                .filter(|u| u.domain.eq_ignore_ascii_case(d))
            {
                let id = AccountId {
                    domain: d.to_ascii_lowercase(),
                    user: u.name.to_ascii_lowercase(),
                };
                if self.store.account(&id).is_some() {
                    let _ = self.store.set_password(&id, &u.password);
                } else {
                    let _ = self.store.add_user(d, &u.name, &u.password);
                }
            }
        }
        self.queue.config.retry_every_secs = config.retry_every_secs.max(1);
        self.queue.config.warn_after_secs = config.warn_after_secs;
        self.queue.config.give_up_after_secs = config.give_up_after_secs;
        self.queue.config.hostname = config.host_name();
        self.config = config.clone();
    }

    /// The mailboxes (for the server's mail page and for tests).
    pub fn store(&self) -> &MailStore {
        &self.store
    }

    /// The relay queue (for the server's queue page).
    pub fn queue(&self) -> &smtp::Queue {
        &self.queue
    }

    /// The TCP ports to listen on, with their protocol.
    pub fn ports(&self) -> Vec<(u16, MailProto)> {
        if !self.config.enabled {
            return Vec::new();
        }
        [
            (&self.config.smtp, MailProto::Smtp),
            (&self.config.pop3, MailProto::Pop3),
            (&self.config.imap, MailProto::Imap),
        ]
        .into_iter()
        .filter(|(l, _)| l.on)
        .map(|(l, p)| (l.port, p))
        .collect()
    }

    /// Which protocol listens on `port`.
    pub fn proto_of(&self, port: u16) -> Option<MailProto> {
        self.ports()
            .into_iter()
            .find(|(p, _)| *p == port)
            .map(|(_, m)| m)
    }

    /// Open sessions by protocol: (SMTP, POP3, IMAP).
    pub fn session_counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for (_, s) in self.sessions.iter() {
            match s.proto() {
                MailProto::Smtp => c.0 += 1,
                MailProto::Pop3 => c.1 += 1,
                MailProto::Imap => c.2 += 1,
            }
        }
        c
    }

    /// A connection to one of [`MailServer::ports`] was accepted. Returns
    /// `false` if no mail protocol listens there.
    pub fn accepted(
        &mut self,
        io: &mut dyn MailIo,
        conn: ConnId,
        local_port: u16,
        peer: SocketAddrV4,
    ) -> bool {
        let Some(proto) = self.proto_of(local_port) else {
            return false;
        };
        let now = io.now();
        io.note(MailNote::Accepted { proto, peer });
        let host = self.config.host_name();
        let s: Box<dyn MailSession> = match proto {
            MailProto::Smtp => Box::new(Mail(smtp::Server::new(
                smtp::ServerConfig {
                    hostname: host,
                    relay: self.config.relay.clone(),
                    ..Default::default()
                },
                IpAddr::V4(*peer.ip()),
                now,
            ))),
            MailProto::Pop3 => {
                self.stamps += 1;
                let domain = self
                    .config
                    .domains
                    .first()
                    .cloned()
                    .unwrap_or_else(|| host.clone());
                Box::new(Mail(pop3::Server::new(
                    pop3::ServerConfig {
                        apop: self.config.apop,
                        ..Default::default()
                    },
                    pop3::apop_stamp(self.stamps, now, &domain),
                    now,
                )))
            }
            MailProto::Imap => Box::new(Mail(imap::Server::new(
                imap::ServerConfig {
                    hostname: host,
                    ..Default::default()
                },
                now,
            ))),
        };
        let d = self.sessions.insert(conn, s);
        self.deliver(io, conn, d, true);
        true
    }

    /// Bytes arrived on a connection.
    pub fn data(&mut self, io: &mut dyn MailIo, conn: ConnId, bytes: &[u8]) {
        let now = io.now();
        if let Some(r) = self.relays.get_mut(&conn) {
            r.client.handle_input(now, bytes);
            self.drain_relay(io, conn);
            return;
        }
        if let Some(d) = self.sessions.input(conn, now, bytes, &mut self.store) {
            self.deliver(io, conn, d, true);
        }
    }

    /// The peer closed its side of a connection (FIN): its session ends
    /// (a POP3 session without QUIT deletes nothing).
    pub fn peer_closed(&mut self, io: &mut dyn MailIo, conn: ConnId) {
        if let Some(d) = self.sessions.end(conn, io.now(), &mut self.store) {
            self.deliver(io, conn, d, true);
        }
    }

    /// A relay connection opened (the client waits for the 220 greeting).
    pub fn connected(&mut self, _io: &mut dyn MailIo, _conn: ConnId) {}

    /// A connection ended (peer closed, reset or timed out).
    pub fn closed(&mut self, io: &mut dyn MailIo, conn: ConnId, reason: &str) {
        if let Some(r) = self.relays.get_mut(&conn) {
            r.client.handle_closed(reason);
            self.drain_relay(io, conn);
            if let Some(r) = self.relays.remove(&conn)
                && r.client.outcome().is_none()
            {
                let outcome = smtp::Outcome::connection_failed(reason);
                self.queue
                    .attempt_finished(io.now(), r.job, &outcome, &mut self.store);
                self.drain_queue(io);
            }
            self.touch(conn);
            return;
        }
        if let Some(d) = self.sessions.end(conn, io.now(), &mut self.store) {
            self.deliver(io, conn, d, false);
        }
        self.sessions.remove(conn);
    }

    /// Re-files relay connection `conn`'s next timer.
    fn touch(&mut self, conn: ConnId) {
        let t = self.relays.get(&conn).and_then(|r| r.client.poll_timeout());
        self.relay_timers.set(conn, t);
    }

    /// When [`MailServer::handle_timeout`] is next due.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        [
            self.sessions.poll_timeout(),
            self.relay_timers.first(),
            self.queue.poll_timeout(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Runs the due timers: idle sessions, relay replies, the queue.
    pub fn handle_timeout(&mut self, io: &mut dyn MailIo) {
        let now = io.now();
        let mut due = self.sessions.due(now);
        due.extend(self.relay_timers.due(now));
        due.sort();
        for (_, c) in due {
            if self.relays.contains_key(&c) {
                if let Some(r) = self.relays.get_mut(&c) {
                    r.client.handle_timeout(now);
                }
                self.drain_relay(io, c);
                continue;
            }
            if let Some(d) = self.sessions.timeout(c, now, &mut self.store) {
                self.deliver(io, c, d, true);
            }
        }
        if self.queue.poll_timeout().is_some_and(|t| t <= now) {
            self.queue.handle_timeout(now, &mut self.store);
            self.drain_queue(io);
        }
    }

    /// The next domain whose mail server the host must look up (MX, then A);
    /// answer with [`MailServer::route_resolved`].
    pub fn poll_route(&mut self) -> Option<(smtp::JobId, String)> {
        self.routes.pop_front()
    }

    /// The host's answer to [`MailServer::poll_route`]: opens the relay
    /// connection to port 25 of `route`, or queues a retry.
    pub fn route_resolved(
        &mut self,
        io: &mut dyn MailIo,
        job: smtp::JobId,
        route: Result<Ipv4Addr, String>,
    ) {
        let now = io.now();
        let Ok(ip) = route.clone() else {
            let _ = self
                .queue
                .route_resolved(now, job, Err(route.unwrap_err()), &self.store);
            self.drain_queue(io);
            return;
        };
        let Some(client) = self
            .queue
            .route_resolved(now, job, Ok(IpAddr::V4(ip)), &self.store)
        else {
            self.drain_queue(io);
            return;
        };
        self.drain_queue(io);
        let server = SocketAddrV4::new(ip, 25);
        match io.connect(server) {
            Ok(conn) => {
                self.relays.insert(conn, Relay { job, client });
                self.touch(conn);
            }
            Err(reason) => {
                io.note(MailNote::Unreachable {
                    proto: MailProto::Smtp,
                    server,
                    reason: reason.clone(),
                });
                let o = smtp::Outcome::connection_failed(reason);
                self.queue.attempt_finished(now, job, &o, &mut self.store);
                self.drain_queue(io);
            }
        }
    }

    /// Passes on what session `conn` produced: notes to the trace, bytes
    /// to the connection (if `live`: it still exists), events to the queue
    /// and to the account's other IMAP sessions.
    fn deliver(
        &mut self,
        io: &mut dyn MailIo,
        conn: ConnId,
        d: Drained<Box<dyn MailSession>>,
        live: bool,
    ) {
        let now = io.now();
        for n in d.notes {
            io.note(n);
        }
        if live {
            for b in &d.output {
                io.send(conn, b);
            }
        }
        let mut changed: Vec<AccountId> = Vec::new();
        for ev in d.events {
            match ev {
                MailEvent::Changed(account) => changed.push(account),
                MailEvent::Relay(env) => {
                    self.queue.enqueue(now, env);
                }
                MailEvent::Other => {}
            }
        }
        if live && d.closed {
            io.close(conn);
        }
        self.drain_queue(io);
        changed.dedup();
        for account in changed {
            self.fan_out(io, &account, Some(conn));
        }
    }

    /// RFC 2177: tells the account's other IMAP sessions (those in IDLE
    /// answer at once) that its mailbox changed.
    fn fan_out(&mut self, io: &mut dyn MailIo, account: &AccountId, except: Option<ConnId>) {
        let now = io.now();
        let targets: Vec<ConnId> = self
            .sessions
            .iter()
            .filter(|(c, s)| Some(*c) != except && s.watching() == Some(account))
            .map(|(c, _)| c)
            .collect();
        if targets.is_empty() {
            return;
        }
        io.note(MailNote::FannedOut {
            account: account.to_string(),
            sessions: targets.len(),
        });
        for c in targets {
            if let Some(d) = self.sessions.context_changed(c, now, &self.store) {
                for b in d.output {
                    io.send(c, &b);
                }
                for n in d.notes {
                    io.note(n);
                }
            }
        }
    }

    fn drain_queue(&mut self, io: &mut dyn MailIo) {
        while let Some(n) = self.queue.poll_note() {
            io.note(MailNote::Queue(n));
        }
        while let Some(ev) = self.queue.poll_event() {
            if let smtp::QueueEvent::NeedRoute { job, domain } = ev {
                io.note(MailNote::MxQuery {
                    domain: domain.clone(),
                });
                self.routes.push_back((job, domain));
            }
        }
    }

    fn drain_relay(&mut self, io: &mut dyn MailIo, conn: ConnId) {
        let now = io.now();
        let Some(r) = self.relays.get_mut(&conn) else {
            return;
        };
        while let Some(n) = r.client.poll_note() {
            io.note(MailNote::SmtpClient(n));
        }
        while let Some(b) = r.client.poll_output() {
            io.send(conn, &b);
        }
        let mut done = None;
        let mut close = false;
        while let Some(ev) = r.client.poll_event() {
            match ev {
                smtp::ClientEvent::Done(o) => done = Some(o),
                smtp::ClientEvent::Closed => close = true,
            }
        }
        let job = r.job;
        if let Some(o) = done {
            self.queue.attempt_finished(now, job, &o, &mut self.store);
            self.drain_queue(io);
            // Bounces and warnings land in local mailboxes.
            if self.session_counts().2 > 0 {
                let accounts: Vec<AccountId> = self.store.accounts().map(|(a, _)| a).collect();
                for a in accounts {
                    self.fan_out(io, &a, None);
                }
            }
        }
        if close {
            io.close(conn);
            if let Some(r) = self.relays.remove(&conn)
                && r.client.outcome().is_none()
            {
                let o = smtp::Outcome::connection_failed("connection closed");
                self.queue.attempt_finished(now, r.job, &o, &mut self.store);
                self.drain_queue(io);
            }
        }
        self.touch(conn);
    }
}
