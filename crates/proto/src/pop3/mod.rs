//! POP3 (RFC 1939, RFC 2449): server session and client session.
//!
//! - [`Server`]: AUTHORIZATION → TRANSACTION → UPDATE over the account's
//!   INBOX in a [`crate::mail::MailStore`], with USER/PASS and APOP, the
//!   exclusive maildrop lock, deletions only at QUIT and a 10-minute
//!   autologout that deletes nothing.
//! - [`Client`]: the desktop mail client's Receive: download-and-delete, or
//!   leave a copy on the server and remember UIDLs.

pub mod client;
pub mod command;
pub mod note;
pub mod server;

pub use client::{AuthMethod, Client, ClientConfig, ClientEvent, ClientNote, Fetched, UidlMemory};
pub use command::{Command, CommandError};
pub use note::{Event, Note};
pub use server::{MAX_COMMAND_LINE, Server, ServerConfig, apop_stamp};

#[cfg(test)]
mod tests;
