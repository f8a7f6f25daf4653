//! The mail service's sessions: SMTP, POP3 and IMAP engines, each boxed as
//! a [`MailSession`] — a [`StreamServer`] over the [`MailStore`] whose notes
//! and events are already the mail service's ([`MailNote`], [`MailEvent`]),
//! so one session table holds all three protocols.

use std::fmt;
use std::net::{IpAddr, SocketAddrV4};

use lanlab_proto::mail::{AccountId, MailStore};
use lanlab_proto::{SimTime, StreamServer, imap, pop3, smtp};

use super::MailService;
use super::note::{MailNote, MailProto};

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
    StreamServer<Context = MailStore, Note = MailNote, Event = MailEvent>
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

/// A session in `Debug` form: its protocol. Not a supertrait, for the
/// same reason as `App`'s (each vtable would hold the engine's `Debug`).
impl fmt::Debug for dyn MailSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MailSession").field(&self.proto()).finish()
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

/// A new session of `proto` for a client at `peer`, as `config` asks;
/// `stamp` numbers the POP3 APOP greeting.
pub(crate) fn new_session(
    proto: MailProto,
    config: &MailService,
    submission: bool,
    peer: SocketAddrV4,
    now: SimTime,
    stamp: u64,
) -> Box<dyn MailSession> {
    let host = config.host_name();
    match proto {
        MailProto::Smtp => Box::new(Mail(smtp::Server::new(
            smtp::ServerConfig {
                hostname: host,
                relay: config.relay.clone(),
                submission,
                ..Default::default()
            },
            IpAddr::V4(*peer.ip()),
            now,
        ))),
        MailProto::Pop3 => {
            let domain = config
                .domains
                .first()
                .cloned()
                .unwrap_or_else(|| host.clone());
            Box::new(Mail(pop3::Server::new(
                pop3::ServerConfig {
                    apop: config.apop,
                    ..Default::default()
                },
                pop3::apop_stamp(stamp, now, &domain),
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
    }
}
