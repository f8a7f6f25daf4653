//! IMAP4rev1 (RFC 3501): server session and client session, sans-IO.
//!
//! The layers, bottom up: [`parse`] (lexer), [`types`], [`command`],
//! [`fetch`], [`search`], [`message`] (ENVELOPE/BODYSTRUCTURE of a stored
//! message), [`response`] (what the server writes).

pub mod command;
pub mod fetch;
#[allow(dead_code)] // used by the sessions (next commits)
pub(crate) mod frame;
pub mod message;
#[allow(dead_code)] // number64 and nstring serve the client
pub(crate) mod parse;
pub mod response;
pub mod search;
pub mod types;

pub use command::{Command, CommandKind, StatusItem, StoreMode};
pub use fetch::{FetchAttr, Section, SectionKind};
pub use message::{Address, BodyStructure, Envelope};
pub use parse::ParseError;
pub use response::{Code, FetchData, Response, Status};
pub use search::SearchKey;
pub use types::{Date, Flag, MailboxName, SeqNum, SequenceSet};
