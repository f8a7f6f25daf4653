//! SMTP, submission, POP3 and IMAP on real TCP connections, every session
//! over one shared [`MailStore`] (behind a mutex), as on the lab's mail
//! server. Submission (RFC 6409) is the SMTP engine with `submission` set:
//! it asks for `AUTH PLAIN`/`LOGIN` (RFC 4954) before it takes mail, as
//! the simulator's listener on the lab's submission port does.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use lanlab_proto::mail::MailStore;
use lanlab_proto::{SimTime, imap, pop3, smtp};

use super::config::MailSettings;
use super::firewall::Gate;
use super::stream::{Shared, StreamService, ignore_events, spawn_listener};
use super::{Clock, Service, log};

/// The store every session of the server shares.
pub type SharedStore = Shared<MailStore>;

/// Serves `service` (SMTP, submission, POP3 or IMAP) on `listener`.
pub fn spawn(
    service: Service,
    listener: TcpListener,
    store: SharedStore,
    settings: Arc<MailSettings>,
    clock: Clock,
    gate: Arc<Gate>,
) -> JoinHandle<()> {
    let name = service.name();
    let lab_port = match service {
        Service::Submission => settings.submission_port,
        s => s.lab_port(),
    };
    let submission = service == Service::Submission;
    match service {
        Service::Pop3 => {
            let counter = AtomicU64::new(1);
            spawn_listener(
                StreamService {
                    name,
                    lab_port,
                    context: store,
                    on_event: ignore_events,
                },
                listener,
                clock,
                gate,
                move |now: SimTime, _peer| {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    let stamp = pop3::apop_stamp(n, now, &settings.hostname);
                    let config = pop3::ServerConfig {
                        apop: settings.apop,
                        ..Default::default()
                    };
                    pop3::Server::new(config, stamp, now)
                },
            )
        }
        Service::Imap => spawn_listener(
            StreamService {
                name,
                lab_port,
                context: store,
                on_event: ignore_events,
            },
            listener,
            clock,
            gate,
            move |now: SimTime, _peer| {
                let config = imap::ServerConfig {
                    hostname: settings.hostname.clone(),
                    ..Default::default()
                };
                imap::Server::new(config, now)
            },
        ),
        _ => spawn_listener(
            StreamService {
                name,
                lab_port,
                context: store,
                on_event: smtp_event,
            },
            listener,
            clock,
            gate,
            move |now: SimTime, peer: SocketAddr| {
                let config = smtp::ServerConfig {
                    hostname: settings.hostname.clone(),
                    relay: settings.relay.clone(),
                    submission,
                    ..Default::default()
                };
                smtp::Server::new(config, peer.ip(), now)
            },
        ),
    }
}

/// Logs what an SMTP session delivered (or could not relay).
fn smtp_event(service: &'static str, ev: smtp::Event) {
    match ev {
        smtp::Event::Delivered { account, uid } => log(
            service,
            format_args!(
                "delivered to {}@{} (uid {uid})",
                account.user, account.domain
            ),
        ),
        // The bridge originates no traffic: nothing leaves loopback.
        smtp::Event::Relay(envelope) => log(
            service,
            format_args!(
                "not relayed (lanlab serve delivers locally only): {} recipient(s)",
                envelope.to.len()
            ),
        ),
        smtp::Event::Closed => {}
    }
}
