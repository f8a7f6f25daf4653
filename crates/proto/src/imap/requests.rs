//! What the desktop mail client asks ([`Request`]) and learns
//! ([`ClientEvent`]) through the IMAP [`super::Client`] session.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::command::StoreMode;
use super::message::Envelope;
use super::response::Status;
use super::search::SearchKey;
use super::types::Flag;

/// What the mail client asks of the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// `LOGIN`.
    Login {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
    /// `LIST "" *`.
    ListFolders,
    /// `SELECT`.
    Select(String),
    /// `UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)`.
    FetchSummaries,
    /// `UID FETCH uid BODY[]` (marks it read).
    FetchBody(u32),
    /// `UID STORE uids ±FLAGS (flags)`.
    SetFlags {
        /// Messages.
        uids: Vec<u32>,
        /// Replace, add or remove.
        mode: StoreMode,
        /// Flags.
        flags: Vec<Flag>,
    },
    /// `CREATE`.
    CreateFolder(String),
    /// `DELETE`.
    DeleteFolder(String),
    /// `UID COPY`.
    Copy {
        /// Messages.
        uids: Vec<u32>,
        /// Destination.
        to: String,
    },
    /// `UID MOVE`.
    Move {
        /// Messages.
        uids: Vec<u32>,
        /// Destination.
        to: String,
    },
    /// `EXPUNGE`.
    Expunge,
    /// `UID SEARCH key`, e.g. `UNSEEN FROM "bob"` (server-side search).
    Search(SearchKey),
    /// `APPEND`.
    Append {
        /// Folder.
        folder: String,
        /// Initial flags.
        flags: Vec<Flag>,
        /// The message.
        message: Vec<u8>,
    },
    /// `NOOP`: ask for news.
    Noop,
    /// `IDLE` (RFC 2177): wait for news pushed by the server. It ends with
    /// `DONE`, sent by the client as soon as another request is queued.
    Idle,
    /// `LOGOUT`.
    Logout,
}

/// A folder as LIST shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderInfo {
    /// Full name.
    pub name: String,
    /// Hierarchy delimiter.
    pub delimiter: Option<char>,
    /// `\HasChildren`, `\Noselect`, …
    pub attrs: Vec<String>,
}

/// The selected folder, from the SELECT replies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxInfo {
    /// Name.
    pub name: String,
    /// Messages.
    pub exists: u32,
    /// Recent.
    pub recent: u32,
    /// First unseen sequence number.
    pub unseen: Option<u32>,
    /// UIDVALIDITY.
    pub uidvalidity: u32,
    /// UIDNEXT.
    pub uidnext: u32,
    /// Opened read-only.
    pub read_only: bool,
}

/// One line of the message list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSummary {
    /// Sequence number.
    pub seq: u32,
    /// UID.
    pub uid: u32,
    /// Flags.
    pub flags: Vec<Flag>,
    /// Size in octets.
    pub size: u64,
    /// Arrival, unix seconds.
    pub internal_date: i64,
    /// Subject, From, To, Date, …
    pub envelope: Option<Envelope>,
}

impl MessageSummary {
    /// `true` if `\Seen` is set.
    pub fn is_read(&self) -> bool {
        self.flags.contains(&Flag::Seen)
    }
}

/// What the client learned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientEvent {
    /// The server greeted us.
    Connected {
        /// Its capabilities.
        capabilities: Vec<String>,
    },
    /// LOGIN succeeded.
    LoggedIn,
    /// LIST result.
    Folders(Vec<FolderInfo>),
    /// SELECT result.
    Selected(MailboxInfo),
    /// FetchSummaries result, in sequence order.
    Messages(Vec<MessageSummary>),
    /// FetchBody result.
    Body {
        /// UID.
        uid: u32,
        /// The whole message.
        raw: Vec<u8>,
    },
    /// SetFlags result: new flags per UID.
    FlagsSet(Vec<(u32, Vec<Flag>)>),
    /// A folder was created.
    FolderCreated(String),
    /// A folder was deleted.
    FolderDeleted(String),
    /// Copy done; new UIDs in the destination if the server said (UIDPLUS).
    Copied {
        /// Destination.
        to: String,
        /// New UIDs.
        new_uids: Vec<u32>,
    },
    /// Move done.
    Moved {
        /// Destination.
        to: String,
        /// UIDs that left this folder.
        uids: Vec<u32>,
    },
    /// EXPUNGE done: UIDs removed.
    Expunged(Vec<u32>),
    /// Search result: UIDs.
    SearchResult(Vec<u32>),
    /// APPEND done.
    Appended {
        /// Folder.
        folder: String,
        /// New UID, if the server said.
        uid: Option<u32>,
    },
    /// NOOP done.
    NoopDone,
    /// The server accepted IDLE: updates now arrive as they happen.
    Idling,
    /// IDLE ended (after DONE).
    IdleDone,
    /// LOGOUT done; close the connection.
    LoggedOut,
    /// A request failed (NO or BAD).
    Failed {
        /// What was asked.
        request: Request,
        /// NO or BAD.
        status: Status,
        /// The server's words.
        text: String,
    },
    /// New messages arrived in the selected folder.
    NewMail {
        /// Messages now.
        exists: u32,
    },
    /// Another session changed a message's flags.
    FlagsChanged {
        /// UID (0 if not known yet).
        uid: u32,
        /// New flags.
        flags: Vec<Flag>,
    },
    /// Another session removed a message.
    Gone {
        /// UID (0 if not known yet).
        uid: u32,
    },
    /// `* OK [ALERT] text`: RFC 3501 §7.1: "The human-readable text contains
    /// a special alert that MUST be presented to the user".
    Alert(String),
    /// The server closed the session (`* BYE`).
    Bye(String),
    /// No reply within [`super::client::REPLY_TIMEOUT`].
    TimedOut,
}

/// What the client did, for the inspector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientNote {
    /// A command was sent (passwords masked).
    Sent {
        /// Tag.
        tag: String,
        /// The command line.
        line: String,
    },
    /// A command completed.
    Completed {
        /// Tag.
        tag: String,
        /// OK/NO/BAD.
        status: Status,
        /// Server text.
        text: String,
    },
    /// The server sent something the client could not read.
    Unreadable(String),
}

impl fmt::Display for ClientNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientNote::Sent { line, .. } => write!(f, "sent {line}"),
            ClientNote::Completed { tag, status, text } => {
                write!(f, "{tag} {}: {text}", status.as_str())
            }
            ClientNote::Unreadable(why) => write!(f, "could not read the server's reply: {why}"),
        }
    }
}
