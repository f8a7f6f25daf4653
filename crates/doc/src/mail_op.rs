//! The mail client's operations as the document stores them: how a PC's
//! mail app fetches mail ([`IncomingProto`]) and the buttons other than Send
//! and Receive ([`MailOp`]), carried by [`crate::action::Action::Mail`].

use std::fmt;

use lanlab_proto::imap::Flag;
use serde::{Deserialize, Serialize};

/// How the client fetches mail.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncomingProto {
    /// POP3 on port 110.
    #[default]
    Pop3,
    /// IMAP on port 143.
    Imap,
}

/// A flag the user can set or clear.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkFlag {
    /// Read.
    Read,
    /// Answered.
    Answered,
    /// Flagged.
    Flagged,
    /// Deleted (not yet expunged).
    Deleted,
}

impl MarkFlag {
    /// The IMAP system flag it stands for.
    pub fn imap(self) -> Flag {
        match self {
            MarkFlag::Read => Flag::Seen,
            MarkFlag::Answered => Flag::Answered,
            MarkFlag::Flagged => Flag::Flagged,
            MarkFlag::Deleted => Flag::Deleted,
        }
    }
}

/// A mail-client button other than Send and Receive (an [`crate::action::Action`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
// Written `{"op": "reply", …}`: see `crate::tagged`.
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum MailOp {
    /// Open message `id` (IMAP downloads it and marks it read on the server).
    Read {
        /// Local message number.
        id: u32,
    },
    /// Answer message `id`.
    Reply {
        /// Local message number.
        id: u32,
        /// Text of the answer.
        body: String,
    },
    /// Delete message `id`.
    Delete {
        /// Local message number.
        id: u32,
    },
    /// Move message `id` to another folder (IMAP).
    Move {
        /// Local message number.
        id: u32,
        /// Destination folder.
        folder: String,
    },
    /// Set or clear a flag.
    Mark {
        /// Local message number.
        id: u32,
        /// Which flag.
        flag: MarkFlag,
        /// Set (`true`) or clear.
        on: bool,
    },
    /// Create a folder on the server (IMAP).
    CreateFolder {
        /// Its name.
        name: String,
    },
    /// List a folder from the server (IMAP).
    Sync {
        /// The folder.
        folder: String,
    },
    /// Search a folder on the server (IMAP `SEARCH TEXT`).
    Search {
        /// The folder.
        folder: String,
        /// Text to look for in headers and body.
        text: String,
    },
    /// Forget the POP3 leave-a-copy memory: the next Receive fetches all again.
    ForgetUidls,
}

impl Serialize for MailOp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::tagged::write(self, s, "op", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for MailOp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::tagged::read(d, "op", Self::deserialize)
    }
}

impl fmt::Display for MailOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailOp::Read { id } => write!(f, "read message {id}"),
            MailOp::Reply { id, .. } => write!(f, "reply to message {id}"),
            MailOp::Delete { id } => write!(f, "delete message {id}"),
            MailOp::Move { id, folder } => write!(f, "move message {id} to {folder}"),
            MailOp::Mark { id, flag, on } => {
                let what = match flag {
                    MarkFlag::Read => "read",
                    MarkFlag::Answered => "answered",
                    MarkFlag::Flagged => "flagged",
                    MarkFlag::Deleted => "deleted",
                };
                if *on {
                    write!(f, "mark message {id} {what}")
                } else {
                    write!(f, "mark message {id} not {what}")
                }
            }
            MailOp::CreateFolder { name } => write!(f, "create folder {name}"),
            MailOp::Sync { folder } => write!(f, "list folder {folder}"),
            MailOp::Search { folder, text } => write!(f, "search {folder} for \"{text}\""),
            MailOp::ForgetUidls => write!(f, "forget downloaded-message memory"),
        }
    }
}
