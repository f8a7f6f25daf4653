//! The running e-mail service of a server: one [`MailStore`], one relay
//! [`smtp::Queue`], and one SMTP client per relay attempt — the
//! [`StreamService`] that the generic [`StreamApp`] hosts. The app keeps
//! the protocol sessions (SMTP on 25, POP3 on 110, IMAP on 143, each a
//! [`MailSession`]) in its table; the service makes them by port, lends
//! them the store, and acts on their events: a mailbox change is told to
//! the account's other IMAP sessions (RFC 2177 IDLE), a message for
//! foreign recipients joins the queue. Its own work rides on the app's
//! hooks: the relay connections it opens, the queue's retry timer, and the
//! MX lookups for the domains the queue must reach.
//!
//! [`StreamApp`]: crate::services::stream_app::StreamApp

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddrV4};

use lanlab_proto::dns::LookupResult;
use lanlab_proto::mail::{AccountId, MailStore};
use lanlab_proto::{SimTime, smtp};

use super::app::end_words;
use super::mx::MxLookups;
use super::note::{MailNote, MailProto};
use super::session::{MailEvent, MailSession, new_session};
use super::{MailConfigError, MailService};
use crate::note::Note;
use crate::services::app::{AppCx, SockId, TcpEnd};
use crate::services::stream::Timers;
use crate::services::stream_app::{Sessions, StreamService};

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
    /// The queue's next timer, kept from the last change of the queue (it
    /// scans every job; the host asks after every event).
    queue_next: Option<SimTime>,
    relays: BTreeMap<SockId, Relay>,
    /// The relay connections' timers (the sessions keep their own).
    relay_timers: Timers<SockId>,
    /// Domains the queue asked a route for, not yet looked up.
    routes: VecDeque<(smtp::JobId, String)>,
    mx: MxLookups,
    stamps: u64,
    /// The IMAP sessions, a superset of the open ones (a closed one is
    /// forgotten when next met): only they report mailbox changes, so a
    /// change visits them, not every open SMTP session.
    imap: BTreeSet<SockId>,
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
            queue_next: None,
            relays: BTreeMap::new(),
            relay_timers: Timers::default(),
            routes: VecDeque::new(),
            mx: MxLookups::default(),
            stamps: 0,
            imap: BTreeSet::new(),
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
        self.queue_next = self.queue.poll_timeout();
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
            (&self.config.submission, MailProto::Smtp),
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

    /// Re-files relay connection `sock`'s next timer.
    fn touch(&mut self, sock: SockId) {
        let t = self.relays.get(&sock).and_then(|r| r.client.poll_timeout());
        self.relay_timers.set(sock, t);
    }

    /// The route of a relay job is known: opens the relay connection to
    /// port 25 of the address, or queues a retry.
    fn route_resolved(
        &mut self,
        cx: &mut AppCx<'_>,
        job: smtp::JobId,
        route: Result<Ipv4Addr, String>,
    ) {
        let now = cx.now;
        let ip = match route {
            Ok(ip) => ip,
            Err(e) => {
                let _ = self.queue.route_resolved(now, job, Err(e), &self.store);
                self.drain_queue(cx);
                return;
            }
        };
        let Some(client) = self
            .queue
            .route_resolved(now, job, Ok(IpAddr::V4(ip)), &self.store)
        else {
            self.drain_queue(cx);
            return;
        };
        self.drain_queue(cx);
        let sock = cx.connect(SocketAddrV4::new(ip, 25));
        self.relays.insert(sock, Relay { job, client });
        self.touch(sock);
    }

    /// RFC 2177: tells the account's other IMAP sessions (those in IDLE
    /// answer at once) that its mailbox changed.
    fn fan_out(
        &mut self,
        cx: &mut AppCx<'_>,
        sessions: &mut Sessions<Self>,
        account: &AccountId,
        except: Option<SockId>,
    ) {
        let now = cx.now;
        debug_assert!(
            sessions
                .iter()
                .all(|(c, s)| s.watching().is_none() || self.imap.contains(&c)),
            "an IMAP session is not filed"
        );
        self.forget_closed_imap(sessions);
        let targets: Vec<SockId> = self
            .imap
            .iter()
            .copied()
            .filter(|c| {
                Some(*c) != except
                    && sessions
                        .get(*c)
                        .is_some_and(|s| s.watching() == Some(account))
            })
            .collect();
        if targets.is_empty() {
            return;
        }
        cx.note(MailNote::FannedOut {
            account: account.to_string(),
            sessions: targets.len(),
        });
        for c in targets {
            if let Some(d) = sessions.context_changed(c, now, &self.store) {
                for b in d.output {
                    cx.tcp_send(c, b);
                }
                for n in d.notes {
                    cx.note(n);
                }
            }
        }
    }

    /// Forgets the IMAP sessions that closed (a socket id is not reused,
    /// but a session met under a filed id must still be IMAP).
    fn forget_closed_imap(&mut self, sessions: &Sessions<Self>) {
        self.imap.retain(|c| {
            sessions
                .get(*c)
                .is_some_and(|s| s.proto() == MailProto::Imap)
        });
    }

    /// Passes on the queue's notes and route requests; every change of the
    /// queue ends here, so this is where its next timer is taken.
    fn drain_queue(&mut self, cx: &mut AppCx<'_>) {
        self.queue_next = self.queue.poll_timeout();
        while let Some(n) = self.queue.poll_note() {
            cx.note(MailNote::Queue(n));
        }
        while let Some(ev) = self.queue.poll_event() {
            if let smtp::QueueEvent::NeedRoute { job, domain } = ev {
                cx.note(MailNote::MxQuery {
                    domain: domain.clone(),
                });
                self.routes.push_back((job, domain));
            }
        }
    }

    fn drain_relay(&mut self, cx: &mut AppCx<'_>, sessions: &mut Sessions<Self>, sock: SockId) {
        let now = cx.now;
        let Some(r) = self.relays.get_mut(&sock) else {
            return;
        };
        while let Some(n) = r.client.poll_note() {
            cx.note(MailNote::SmtpClient(n));
        }
        while let Some(b) = r.client.poll_output() {
            cx.tcp_send(sock, b);
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
            self.drain_queue(cx);
            // Bounces and warnings land in local mailboxes.
            self.forget_closed_imap(sessions);
            debug_assert_eq!(
                !self.imap.is_empty(),
                sessions.iter().any(|(_, s)| s.proto() == MailProto::Imap),
                "the IMAP sessions are filed"
            );
            if !self.imap.is_empty() {
                let accounts: Vec<AccountId> = self.store.accounts().map(|(a, _)| a).collect();
                for a in accounts {
                    self.fan_out(cx, sessions, &a, None);
                }
            }
        }
        if close {
            cx.tcp_close(sock);
            if let Some(r) = self.relays.remove(&sock)
                && r.client.outcome().is_none()
            {
                let o = smtp::Outcome::connection_failed("connection closed");
                self.queue.attempt_finished(now, r.job, &o, &mut self.store);
                self.drain_queue(cx);
            }
        }
        self.touch(sock);
    }
}

impl StreamService for MailServer {
    type Session = Box<dyn MailSession>;

    const NAME: &'static str = "e-mail server";

    fn listen_ports(&self) -> Vec<u16> {
        self.ports().into_iter().map(|(p, _)| p).collect()
    }

    fn on_config(&mut self, cx: &mut AppCx<'_>) {
        if let Some(cfg) = &cx.services.mail {
            self.reconfigure(cfg);
        }
    }

    /// The session of the protocol listening on `local`'s port.
    fn session(
        &mut self,
        cx: &mut AppCx<'_>,
        local: SocketAddrV4,
        remote: SocketAddrV4,
    ) -> Option<Box<dyn MailSession>> {
        let proto = self.proto_of(local.port())?;
        cx.note(MailNote::Accepted {
            proto,
            peer: remote,
        });
        if proto == MailProto::Pop3 {
            self.stamps += 1;
        }
        // RFC 6409: the submission port asks for AUTH before it takes mail.
        let submission = self.config.submission.on && local.port() == self.config.submission.port;
        Some(new_session(
            proto,
            &self.config,
            submission,
            remote,
            cx.now,
            self.stamps,
        ))
    }

    /// The mail store.
    fn with_context<R>(&mut self, _cx: &AppCx<'_>, f: impl FnOnce(&mut MailStore) -> R) -> R {
        f(&mut self.store)
    }

    fn note(n: MailNote) -> Note {
        Note::Mail(Box::new(n))
    }

    /// Queues relays, then tells the other IMAP sessions of each account
    /// whose mailbox changed.
    fn on_events(
        &mut self,
        cx: &mut AppCx<'_>,
        sessions: &mut Sessions<Self>,
        sock: SockId,
        events: Vec<MailEvent>,
    ) {
        if sessions
            .get(sock)
            .is_some_and(|s| s.proto() == MailProto::Imap)
        {
            self.imap.insert(sock);
        }
        let mut changed: Vec<AccountId> = Vec::new();
        let mut queued = false;
        for ev in events {
            match ev {
                MailEvent::Changed(account) => changed.push(account),
                MailEvent::Relay(env) => {
                    self.queue.enqueue(cx.now, env);
                    queued = true;
                }
                MailEvent::Other => {}
            }
        }
        // Only a change of the queue has notes, events or a new timer.
        if queued {
            self.drain_queue(cx);
        }
        changed.dedup();
        for account in changed {
            self.fan_out(cx, sessions, &account, Some(sock));
        }
    }

    /// The relay connections.
    fn owns(&self, sock: SockId) -> bool {
        self.relays.contains_key(&sock)
    }

    fn on_own_data(
        &mut self,
        cx: &mut AppCx<'_>,
        sessions: &mut Sessions<Self>,
        sock: SockId,
        data: &[u8],
    ) {
        if let Some(r) = self.relays.get_mut(&sock) {
            r.client.handle_input(cx.now, data);
            self.drain_relay(cx, sessions, sock);
        }
    }

    /// A relay connection ended: an attempt without an outcome failed.
    fn on_own_closed(
        &mut self,
        cx: &mut AppCx<'_>,
        sessions: &mut Sessions<Self>,
        sock: SockId,
        end: TcpEnd,
    ) {
        let reason = end_words(end);
        if let Some(r) = self.relays.get_mut(&sock) {
            r.client.handle_closed(reason);
            self.drain_relay(cx, sessions, sock);
            if let Some(r) = self.relays.remove(&sock)
                && r.client.outcome().is_none()
            {
                let outcome = smtp::Outcome::connection_failed(reason);
                self.queue
                    .attempt_finished(cx.now, r.job, &outcome, &mut self.store);
                self.drain_queue(cx);
            }
            self.touch(sock);
        }
    }

    fn own_due(&self, now: SimTime) -> Vec<(SimTime, SockId)> {
        self.relay_timers.due(now)
    }

    fn on_own_timeout(&mut self, cx: &mut AppCx<'_>, sessions: &mut Sessions<Self>, sock: SockId) {
        if let Some(r) = self.relays.get_mut(&sock) {
            r.client.handle_timeout(cx.now);
        }
        self.drain_relay(cx, sessions, sock);
    }

    /// The relay connections' timers and the queue's.
    fn poll_timeout(&self) -> Option<SimTime> {
        debug_assert_eq!(
            self.queue_next,
            self.queue.poll_timeout(),
            "stale queue timer"
        );
        [self.relay_timers.first(), self.queue_next]
            .into_iter()
            .flatten()
            .min()
    }

    /// The queue's retry timer.
    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        let now = cx.now;
        if self.queue.poll_timeout().is_some_and(|t| t <= now) {
            self.queue.handle_timeout(now, &mut self.store);
            self.drain_queue(cx);
        }
    }

    fn on_resolved(&mut self, cx: &mut AppCx<'_>, token: u64, result: &LookupResult) {
        if let Some((job, route)) = self.mx.resolved(cx, token, result) {
            self.route_resolved(cx, job, route);
        }
    }

    /// Looks up the routes the queue asked for.
    fn after(&mut self, cx: &mut AppCx<'_>) {
        while let Some((job, domain)) = self.routes.pop_front() {
            if let Some((job, route)) = self.mx.start(cx, job, domain) {
                self.route_resolved(cx, job, route);
            }
        }
    }
}
