//! SMTP, POP3 and IMAP on real TCP connections, every session over one
//! shared [`MailStore`] (behind a mutex), as on the lab's mail server.

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use lanlab_proto::mail::MailStore;
use lanlab_proto::{SimTime, imap, pop3, smtp};

use super::config::MailSettings;
use super::firewall::Gate;
use super::stream::{Session, spawn_listener};
use super::{Clock, Service, log};

/// The store every session of the server shares.
pub type SharedStore = Arc<Mutex<MailStore>>;

fn lock(store: &SharedStore) -> MutexGuard<'_, MailStore> {
    store.lock().unwrap_or_else(|e| e.into_inner())
}

/// Serves `service` (SMTP, POP3 or IMAP) on `listener`.
pub fn spawn(
    service: Service,
    listener: TcpListener,
    store: SharedStore,
    settings: Arc<MailSettings>,
    clock: Clock,
    gate: Arc<Gate>,
) -> JoinHandle<()> {
    let counter = Arc::new(AtomicU64::new(1));
    spawn_listener(
        service.name(),
        listener,
        clock,
        gate,
        service.lab_port(),
        move |now, peer: SocketAddr| -> Box<dyn Session> {
            let store = store.clone();
            match service {
                Service::Pop3 => {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    let stamp = pop3::apop_stamp(n, now, &settings.hostname);
                    let config = pop3::ServerConfig {
                        apop: settings.apop,
                        ..Default::default()
                    };
                    let server = pop3::Server::new(config, stamp, now);
                    Box::new(Pop3 { server, store })
                }
                Service::Imap => {
                    let config = imap::ServerConfig {
                        hostname: settings.hostname.clone(),
                        ..Default::default()
                    };
                    let server = imap::Server::new(config, now);
                    Box::new(Imap { server, store })
                }
                _ => {
                    let config = smtp::ServerConfig {
                        hostname: settings.hostname.clone(),
                        relay: settings.relay.clone(),
                        ..Default::default()
                    };
                    let server = smtp::Server::new(config, peer.ip(), now);
                    Box::new(Smtp { server, store })
                }
            }
        },
    )
}

/// One SMTP connection.
struct Smtp {
    server: smtp::Server,
    store: SharedStore,
}

impl Session for Smtp {
    fn input(&mut self, now: SimTime, bytes: &[u8]) {
        self.server.handle_input(now, bytes, &mut lock(&self.store));
    }
    fn output(&mut self) -> Option<Vec<u8>> {
        self.server.poll_output()
    }
    fn timeout(&self) -> Option<SimTime> {
        self.server.poll_timeout()
    }
    fn on_timeout(&mut self, now: SimTime) {
        self.server.handle_timeout(now);
    }
    fn eof(&mut self, _now: SimTime) {}
    fn finished(&mut self) -> bool {
        while let Some(note) = self.server.poll_note() {
            log("smtp", note);
        }
        let mut closed = false;
        while let Some(ev) = self.server.poll_event() {
            match ev {
                smtp::Event::Delivered { account, uid } => log(
                    "smtp",
                    format_args!(
                        "delivered to {}@{} (uid {uid})",
                        account.user, account.domain
                    ),
                ),
                // The bridge originates no traffic: nothing leaves loopback.
                smtp::Event::Relay(envelope) => log(
                    "smtp",
                    format_args!(
                        "not relayed (lanlab serve delivers locally only): {} recipient(s)",
                        envelope.to.len()
                    ),
                ),
                smtp::Event::Closed => closed = true,
            }
        }
        closed || self.server.is_closed()
    }
}

/// One POP3 connection.
struct Pop3 {
    server: pop3::Server,
    store: SharedStore,
}

impl Session for Pop3 {
    fn input(&mut self, now: SimTime, bytes: &[u8]) {
        self.server.handle_input(now, bytes, &mut lock(&self.store));
    }
    fn output(&mut self) -> Option<Vec<u8>> {
        self.server.poll_output()
    }
    fn timeout(&self) -> Option<SimTime> {
        self.server.poll_timeout()
    }
    fn on_timeout(&mut self, now: SimTime) {
        self.server.handle_timeout(now, &mut lock(&self.store));
    }
    fn eof(&mut self, _now: SimTime) {
        self.server.handle_closed(&mut lock(&self.store));
    }
    fn finished(&mut self) -> bool {
        while let Some(note) = self.server.poll_note() {
            log("pop3", note);
        }
        let mut closed = false;
        while let Some(ev) = self.server.poll_event() {
            closed |= matches!(ev, pop3::Event::Closed);
        }
        closed || self.server.is_closed()
    }
}

/// One IMAP connection.
struct Imap {
    server: imap::Server,
    store: SharedStore,
}

impl Session for Imap {
    fn input(&mut self, now: SimTime, bytes: &[u8]) {
        self.server.handle_input(now, bytes, &mut lock(&self.store));
    }
    fn output(&mut self) -> Option<Vec<u8>> {
        self.server.poll_output()
    }
    fn timeout(&self) -> Option<SimTime> {
        self.server.poll_timeout()
    }
    fn on_timeout(&mut self, now: SimTime) {
        self.server.handle_timeout(now);
    }
    fn eof(&mut self, _now: SimTime) {}
    fn finished(&mut self) -> bool {
        while let Some(note) = self.server.poll_note() {
            log("imap", note);
        }
        let mut closed = false;
        while let Some(ev) = self.server.poll_event() {
            closed |= matches!(ev, imap::Event::Close);
        }
        closed
    }
    /// Sessions in IDLE hear at once about mail delivered or changed by
    /// other sessions (RFC 2177).
    fn tick(&mut self, now: SimTime) {
        if self.server.is_idle() {
            self.server.handle_store_change(now, &lock(&self.store));
        }
    }
}
