//! SMTP (RFC 5321): server session, client session, relay queue.
//!
//! - [`Server`]: one per connection to port 25. It decides per recipient
//!   (local user → accept, local domain but unknown user → 550, foreign
//!   domain → accept for relay if the [`RelayPolicy`] allows), files local
//!   mail in the [`crate::mail::MailStore`] with a `Received:` line (RFC 5321
//!   §4.4: "When forwarding a message into or out of the Internet
//!   environment, a gateway MUST prepend a Received: line") and hands
//!   foreign recipients to the host as [`Event::Relay`].
//! - [`Queue`]: the host puts relay envelopes in; the queue asks for routes,
//!   hands out [`Client`]s, retries, warns and bounces.
//! - [`Client`]: sends one envelope; used by the queue and by the desktop
//!   mail client's Send.
//!
//! # How a host mounts these
//!
//! The simulator's mail-server device owns one `MailStore`, one [`Queue`]
//! and one [`Server`] (a [`crate::StreamServer`]) per accepted TCP
//! connection on port 25. Bytes from
//! the connection go to `handle_input`; `poll_output` bytes go back;
//! `poll_event` says what to do; `poll_timeout`/`handle_timeout` drive the
//! idle timer. The queue's `poll_timeout` is one more timer of the device.
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr};
//! use lanlab_proto::{SimTime, StreamServer};
//! use lanlab_proto::mail::MailStore;
//! use lanlab_proto::smtp::{Event, Queue, QueueConfig, QueueEvent, Server, ServerConfig};
//!
//! let mut store = MailStore::new();
//! store.add_domain("garudayaksa.com").unwrap();
//! store.add_user("garudayaksa.com", "mbrain", "mbrain1").unwrap();
//! let mut queue = Queue::new(QueueConfig { hostname: "mail.garudayaksa.com".into(), ..Default::default() });
//! let config = ServerConfig { hostname: "mail.garudayaksa.com".into(), ..Default::default() };
//! let pc = IpAddr::V4(Ipv4Addr::new(10, 1, 0, 10));
//! let now = SimTime::ZERO;
//!
//! // A TCP connection to port 25 was accepted:
//! let mut session = Server::new(config, pc, now);
//! session.handle_input(now, b"HELO pc\r\nMAIL FROM:<mbrain@garudayaksa.com>\r\n\
//!     RCPT TO:<jpri@dadali.com>\r\nDATA\r\nSubject: hi\r\n\r\nhalo\r\n.\r\nQUIT\r\n", &mut store);
//! while let Some(bytes) = session.poll_output() { /* send on the TCP connection */ let _ = bytes; }
//! while let Some(ev) = session.poll_event() {
//!     match ev {
//!         Event::Relay(envelope) => { queue.enqueue(now, envelope); }
//!         Event::Delivered { .. } => {}
//!         Event::Closed => { /* close the TCP connection */ }
//!     }
//! }
//!
//! // The device's timer fired at queue.poll_timeout():
//! queue.handle_timeout(now, &mut store);
//! while let Some(ev) = queue.poll_event() {
//!     if let QueueEvent::NeedRoute { job, domain } = ev {
//!         assert_eq!(domain, "dadali.com");
//!         // The host resolves MX dadali.com, then its A record, with the DNS engine.
//!         let target = IpAddr::V4(Ipv4Addr::new(10, 2, 0, 25));
//!         let client = queue.route_resolved(now, job, Ok(target), &store).unwrap();
//!         // Open TCP to target:25 and run `client` like the session above;
//!         // on ClientEvent::Done(outcome) call
//!         // queue.attempt_finished(now, job, &outcome, &mut store).
//!         # let _ = client;
//!     }
//! }
//! ```

pub mod client;
pub mod command;
pub mod config;
pub mod envelope;
pub mod queue;
pub mod reply;
pub mod server;
pub mod server_note;
pub mod summary;

pub use client::{Client, ClientEvent, ClientNote, Outcome, dot_stuff};
pub use command::{Command, CommandError};
pub use config::{RelayPolicy, ServerConfig, Subnet};
pub use envelope::{DeliveryReport, Envelope, deliver_local};
pub use queue::{Job, JobId, JobState, Queue, QueueConfig, QueueEvent, QueueNote};
pub use reply::{Reply, ReplyCode, ReplyParser};
pub use server::Server;
pub use server_note::{Event, Note};
pub use summary::{fields, summarize};

#[cfg(test)]
mod tests;
