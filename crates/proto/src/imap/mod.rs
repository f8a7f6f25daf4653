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
//! server.poll_timeout() / handle_timeout(now)    client.poll_timeout() / handle_timeout(now)
//! ```
//!
//! Several sessions on one account share the store; each keeps its own
//! view (sequence numbers, flags last reported) and catches up from the
//! folder's change log at the moments RFC 3501 §7.4.1 allows. When a
//! session reports [`Event::FolderChanged`] (or SMTP delivers new mail), the
//! host calls [`Server::handle_store_change`] on the account's other
//! sessions so that those in IDLE (RFC 2177) are told at once.
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
pub mod types;

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
pub use types::{Date, Flag, MailboxName, SeqNum, SequenceSet};
