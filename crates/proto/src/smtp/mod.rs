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

pub mod client;
pub mod command;
pub mod config;
pub mod envelope;
pub mod queue;
pub mod reply;
pub mod server;
pub mod server_note;

pub use client::{Client, ClientEvent, ClientNote, Outcome, dot_stuff};
pub use command::{Command, CommandError};
pub use config::{RelayPolicy, ServerConfig, Subnet};
pub use envelope::{DeliveryReport, Envelope, deliver_local};
pub use queue::{Job, JobId, JobState, Queue, QueueConfig, QueueEvent, QueueNote};
pub use reply::{Reply, ReplyCode, ReplyParser};
pub use server::Server;
pub use server_note::{Event, Note};

#[cfg(test)]
mod tests;
