//! IMAP4rev1 (RFC 3501): server session and client session, sans-IO.
//!
//! The layers, bottom up: [`parse`] (lexer), [`frame`] (lines and literals
//! from a byte stream), [`types`], [`command`], [`fetch`], [`search`],
//! [`message`] (ENVELOPE/BODYSTRUCTURE of a stored message), [`response`]
//! (what the server writes); then the engines: [`Server`] over the
//! [`crate::mail::MailStore`], with [`Note`]s and [`Event`]s.

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
