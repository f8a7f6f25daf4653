//! POP3 (RFC 1939, RFC 2449): server session and client session.
//!
//! - [`Server`]: AUTHORIZATION → TRANSACTION → UPDATE over the account's
//!   INBOX in a [`crate::mail::MailStore`], with USER/PASS and APOP, the
//!   exclusive maildrop lock, deletions only at QUIT and a 10-minute
//!   autologout that deletes nothing.
//! - [`Client`]: the desktop mail client's Receive: download-and-delete, or
//!   leave a copy on the server and remember UIDLs.
//!
//! # How a host mounts these
//!
//! The server device creates one [`Server`] per TCP connection on port
//! 110, with a fresh greeting timestamp ([`apop_stamp`] from a per-device
//! counter). The PC's mail app creates one [`Client`] per press of Receive
//! with its saved [`ClientConfig`] and [`UidlMemory`], and saves
//! `client.memory()` afterwards.
//!
//! ```
//! use lanlab_proto::{SimTime, StreamServer};
//! use lanlab_proto::mail::MailStore;
//! use lanlab_proto::pop3::{Client, ClientConfig, ClientEvent, Server, ServerConfig, UidlMemory, apop_stamp};
//!
//! let mut store = MailStore::new();
//! store.add_domain("hasan.com").unwrap();
//! let id = store.add_user("hasan.com", "12_5b_01", "kelas5b").unwrap();
//! store.deliver(&id, "Subject: Tes Email\r\n\r\nhalo\r\n", SimTime::ZERO).unwrap();
//!
//! let now = SimTime::from_secs(60);
//! let mut server = Server::new(ServerConfig::default(), apop_stamp(1, now, "hasan.com"), now);
//! let config = ClientConfig { user: "12_5b_01".into(), password: "kelas5b".into(), ..Default::default() };
//! let mut client = Client::new(config, UidlMemory::default(), now);
//! // In the simulator these bytes travel as TCP segments; here they are handed over directly.
//! loop {
//!     let mut moved = false;
//!     while let Some(b) = server.poll_output() { client.handle_input(now, &b); moved = true; }
//!     while let Some(b) = client.poll_output() { server.handle_input(now, &b, &mut store); moved = true; }
//!     if !moved { break; }
//! }
//! let got: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
//! assert!(matches!(&got[0], ClientEvent::Message(m) if m.raw.starts_with("Subject: Tes Email")));
//! assert!(store.folder(&id, "INBOX").unwrap().is_empty(), "downloaded and deleted");
//! ```

pub mod client;
pub mod command;
pub mod note;
pub mod server;
pub mod summary;

pub use client::{
    AuthMethod, Client, ClientConfig, ClientError, ClientEvent, ClientNote, Fetched, UidlMemory,
};
pub use command::{Command, CommandError};
pub use note::{Event, Note};
pub use server::{MAX_COMMAND_LINE, Server, ServerConfig, apop_stamp};
pub use summary::{fields, summarize};

#[cfg(test)]
mod tests;
