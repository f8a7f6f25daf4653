//! The running e-mail service of a server: one [`MailStore`], one relay
//! [`smtp::Queue`], one protocol session per accepted connection (SMTP on
//! 25, POP3 on 110, IMAP on 143) and one SMTP client per relay attempt.
//! Transport-free: the host hands it connection events through [`MailIo`].

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddrV4};

use lanlab_proto::SimTime;
use lanlab_proto::mail::{AccountId, MailStore};
use lanlab_proto::{imap, pop3, smtp};

use super::io::{ConnId, MailIo};
use super::note::{MailNote, MailProto};
use super::{MailConfigError, MailService};

#[derive(Clone, Debug)]
enum Session {
    Smtp(Box<smtp::Server>),
    Pop3(Box<pop3::Server>),
    Imap(Box<imap::Server>),
}

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
    sessions: BTreeMap<ConnId, Session>,
    relays: BTreeMap<ConnId, Relay>,
    routes: VecDeque<(smtp::JobId, String)>,
    stamps: u64,
    /// Each connection's next timer, and the same ordered by time, so the
    /// host's timer costs O(log n) with a thousand sessions open.
    deadline: BTreeMap<ConnId, SimTime>,
    timers: BTreeSet<(SimTime, ConnId)>,
}

fn session_timeout(s: &Session) -> Option<SimTime> {
    match s {
        Session::Smtp(s) => s.poll_timeout(),
        Session::Pop3(s) => s.poll_timeout(),
        Session::Imap(s) => s.poll_timeout(),
    }
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
            sessions: BTreeMap::new(),
            relays: BTreeMap::new(),
            routes: VecDeque::new(),
            stamps: 0,
            deadline: BTreeMap::new(),
            timers: BTreeSet::new(),
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
        for s in self.sessions.values() {
            match s {
                Session::Smtp(_) => c.0 += 1,
                Session::Pop3(_) => c.1 += 1,
                Session::Imap(_) => c.2 += 1,
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
        let s = match proto {
            MailProto::Smtp => Session::Smtp(Box::new(smtp::Server::new(
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
                Session::Pop3(Box::new(pop3::Server::new(
                    pop3::ServerConfig {
                        apop: self.config.apop,
                        ..Default::default()
                    },
                    pop3::apop_stamp(self.stamps, now, &domain),
                    now,
                )))
            }
            MailProto::Imap => Session::Imap(Box::new(imap::Server::new(
                imap::ServerConfig {
                    hostname: host,
                    ..Default::default()
                },
                now,
            ))),
        };
        self.sessions.insert(conn, s);
        self.drain_session(io, conn);
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
        match self.sessions.get_mut(&conn) {
            Some(Session::Smtp(s)) => s.handle_input(now, bytes, &mut self.store),
            Some(Session::Pop3(s)) => s.handle_input(now, bytes, &mut self.store),
            Some(Session::Imap(s)) => s.handle_input(now, bytes, &mut self.store),
            None => return,
        }
        self.drain_session(io, conn);
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
        if let Some(Session::Pop3(s)) = self.sessions.get_mut(&conn) {
            s.handle_closed(&mut self.store);
        }
        self.drain_session(io, conn);
        self.sessions.remove(&conn);
        self.touch(conn);
    }

    /// Re-files connection `conn`'s next timer.
    fn touch(&mut self, conn: ConnId) {
        let t = match (self.sessions.get(&conn), self.relays.get(&conn)) {
            (Some(s), _) => session_timeout(s),
            (None, Some(r)) => r.client.poll_timeout(),
            (None, None) => None,
        };
        if self.deadline.get(&conn) == t.as_ref() {
            return;
        }
        if let Some(old) = self.deadline.remove(&conn) {
            self.timers.remove(&(old, conn));
        }
        if let Some(t) = t {
            self.deadline.insert(conn, t);
            self.timers.insert((t, conn));
        }
    }

    /// When [`MailServer::handle_timeout`] is next due.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        let conns = self.timers.first().map(|(t, _)| *t);
        conns.into_iter().chain(self.queue.poll_timeout()).min()
    }

    /// Runs the due timers: idle sessions, relay replies, the queue.
    pub fn handle_timeout(&mut self, io: &mut dyn MailIo) {
        let now = io.now();
        let due: Vec<ConnId> = self
            .timers
            .range(..=(now, ConnId(u32::MAX)))
            .map(|(_, c)| *c)
            .collect();
        for c in due {
            if self.relays.contains_key(&c) {
                if let Some(r) = self.relays.get_mut(&c) {
                    r.client.handle_timeout(now);
                }
                self.drain_relay(io, c);
                continue;
            }
            match self.sessions.get_mut(&c) {
                Some(Session::Smtp(s)) => s.handle_timeout(now),
                Some(Session::Pop3(s)) => s.handle_timeout(now, &mut self.store),
                Some(Session::Imap(s)) => s.handle_timeout(now),
                None => {}
            }
            self.drain_session(io, c);
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

    fn drain_session(&mut self, io: &mut dyn MailIo, conn: ConnId) {
        let now = io.now();
        let mut changed: Vec<AccountId> = Vec::new();
        let mut close = false;
        match self.sessions.get_mut(&conn) {
            Some(Session::Smtp(s)) => {
                while let Some(n) = s.poll_note() {
                    io.note(MailNote::Smtp(n));
                }
                while let Some(b) = s.poll_output() {
                    io.send(conn, &b);
                }
                while let Some(ev) = s.poll_event() {
                    match ev {
                        smtp::Event::Delivered { account, .. } => changed.push(account),
                        smtp::Event::Relay(env) => {
                            self.queue.enqueue(now, env);
                        }
                        smtp::Event::Closed => close = true,
                    }
                }
            }
            Some(Session::Pop3(s)) => {
                while let Some(n) = s.poll_note() {
                    io.note(MailNote::Pop3(n));
                }
                while let Some(b) = s.poll_output() {
                    io.send(conn, &b);
                }
                while let Some(ev) = s.poll_event() {
                    if ev == pop3::Event::Closed {
                        close = true;
                    }
                }
            }
            Some(Session::Imap(s)) => {
                while let Some(n) = s.poll_note() {
                    io.note(MailNote::Imap(n));
                }
                while let Some(b) = s.poll_output() {
                    io.send(conn, &b);
                }
                while let Some(ev) = s.poll_event() {
                    match ev {
                        imap::Event::FolderChanged { account, .. } => changed.push(account),
                        imap::Event::Close => close = true,
                        _ => {}
                    }
                }
            }
            None => return,
        }
        self.touch(conn);
        if close {
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
            .filter(|(c, s)| {
                Some(**c) != except && matches!(s, Session::Imap(s) if s.account() == Some(account))
            })
            .map(|(c, _)| *c)
            .collect();
        if targets.is_empty() {
            return;
        }
        io.note(MailNote::FannedOut {
            account: account.to_string(),
            sessions: targets.len(),
        });
        for c in targets {
            if let Some(Session::Imap(s)) = self.sessions.get_mut(&c) {
                s.handle_store_change(now, &self.store);
                while let Some(b) = s.poll_output() {
                    io.send(c, &b);
                }
                while let Some(n) = s.poll_note() {
                    io.note(MailNote::Imap(n));
                }
            }
            self.touch(c);
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
