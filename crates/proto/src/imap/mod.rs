//! IMAP4rev1 (RFC 3501): server session and client session, sans-IO.
//!
//! RFC 3501 §1: "IMAP4rev1 allows a client to access and manipulate
//! electronic mail messages on a server." Here the server is a [`Server`]
//! per connection over the device's [`crate::mail::MailStore`], and the
//! desktop mail client is a [`Client`]. Neither owns a socket or a clock:
//!
//! ```text
//! server.handle_input(now, bytes, &mut store)   client.request(now, Request::Select(..))
//! server.poll_output() -> bytes                  client.handle_input(now, bytes)
//! server.poll_event()  -> Event                  client.poll_output() -> bytes
//! server.poll_note()   -> Note                   client.poll_event()  -> ClientEvent
//! server.poll_timeout() / handle_timeout(now, &mut store)
//!                                                client.poll_timeout() / handle_timeout(now)
//! ```
//!
//! Several sessions on one account share the store; each keeps its own
//! view (sequence numbers, flags last reported) and catches up from the
//! folder's change log at the moments RFC 3501 §7.4.1 allows. When a
//! session reports [`Event::FolderChanged`] (or SMTP delivers new mail), the
//! host calls [`StreamServer::handle_context_change`](crate::StreamServer::handle_context_change) on the account's other
//! sessions so that those in IDLE (RFC 2177) are told at once.
//!
//! ```
//! use lanlab_proto::{SimTime, StreamServer};
//! use lanlab_proto::imap::{Client, ClientEvent, Request, Server, ServerConfig};
//! use lanlab_proto::mail::MailStore;
//!
//! let mut store = MailStore::new();
//! store.add_domain("hasan.com").unwrap();
//! let id = store.add_user("hasan.com", "akbari", "secret").unwrap();
//! store.deliver(&id, "Subject: hi\r\n\r\nhello\r\n", SimTime::ZERO).unwrap();
//!
//! let now = SimTime::from_secs(1);
//! let mut server = Server::new(ServerConfig::default(), now);
//! let mut client = Client::new();
//! client.request(now, Request::Login { user: "akbari".into(), password: "secret".into() });
//! client.request(now, Request::Select("INBOX".into()));
//! client.request(now, Request::FetchSummaries);
//! // The host carries bytes both ways (here directly; in a lab, over TCP).
//! loop {
//!     let mut moved = false;
//!     while let Some(b) = server.poll_output() {
//!         client.handle_input(now, &b);
//!         moved = true;
//!     }
//!     while let Some(b) = client.poll_output() {
//!         server.handle_input(now, &b, &mut store);
//!         moved = true;
//!     }
//!     if !moved { break; }
//! }
//! let events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
//! let ClientEvent::Messages(list) = &events[3] else { panic!("{events:?}") };
//! assert_eq!(list[0].envelope.as_ref().unwrap().subject.as_deref(), Some("hi"));
//! assert_eq!(server.poll_note().unwrap().to_string(), "greeting sent: IMAP4rev1 server ready");
//! assert_eq!(server.poll_note().unwrap().to_string(), "a1 LOGIN akbari: OK");
//! assert_eq!(server.poll_note().unwrap().to_string(), "SELECT INBOX: 1 messages, 1 recent");
//! ```
//!
//! Layers, bottom up: `parse` (lexer), `frame` (lines and literals from a
//! byte stream cut anywhere), [`types`], [`command`], [`fetch`], [`search`],
//! [`message`] (ENVELOPE/BODYSTRUCTURE/sections of a stored message),
//! [`response`] (server wire form) and [`reply`] (its parser, for the
//! client); then [`server`] with `selected` and `mailboxes`, and [`client`].

pub mod client;
#[cfg(test)]
mod client_tests;
pub mod command;
#[cfg(test)]
mod condstore_tests;
#[cfg(test)]
mod ext_tests;
pub mod fetch;
pub(crate) mod frame;
mod mailboxes;
pub mod message;
pub mod note;
pub(crate) mod parse;
pub mod reply;
pub mod requests;
pub mod response;
pub mod search;
mod selected;
pub mod server;
#[cfg(test)]
mod server_tests;
#[cfg(test)]
mod session_tests;
pub mod summary;
pub mod types;
pub mod utf7;

pub use client::{
    Client, ClientEvent, ClientNote, FolderInfo, MailboxInfo, MessageSummary, Request,
};
pub use command::{Command, CommandKind, StatusItem, StoreMode};
pub use fetch::{FetchAttr, Section, SectionKind};
pub use message::{Address, BodyStructure, Envelope};
pub use note::{Event, Note};
pub use parse::ParseError;
pub use response::{Code, FetchData, Response, Status};
pub use search::SearchKey;
pub use server::{CAPABILITIES, Server, ServerConfig};
pub use summary::{fields, summarize};
pub use types::{Date, Flag, MailboxName, SeqNum, SequenceSet};
