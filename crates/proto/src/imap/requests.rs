//! What the desktop mail client asks ([`Request`]) and learns
//! ([`ClientEvent`]) through the IMAP [`super::Client`] session.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::command::StoreMode;
use super::message::Envelope;
use super::parse::is_atom_char;
use super::response::Status;
use super::search::SearchKey;
use super::types::{Flag, SequenceSet, flag_list};

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
    /// `CAPABILITY`: what the server offers. The client sends it by itself
    /// first when the greeting does not list the capabilities.
    Capability,
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
    /// `RENAME from to`.
    RenameFolder {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `STATUS folder (MESSAGES UNSEEN UIDNEXT)`: counts for the folder list.
    Status(String),
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
    /// `UID EXPUNGE uids` (RFC 4315 UIDPLUS): erases only these of the
    /// `\Deleted` messages, not those another client flagged.
    UidExpunge(Vec<u32>),
    /// `UNSELECT` (RFC 3691): leaves the folder without erasing the
    /// `\Deleted` messages (`CLOSE` would erase them).
    Unselect,
    /// Leave the folder as a client does when it is done: `UNSELECT` if the
    /// server offers it and a folder is selected, else nothing (`LOGOUT`
    /// does not erase either).
    Leave,
    /// Delete as a desktop client does: `UID MOVE` to the folder LIST marks
    /// `\Trash` (RFC 6154) if there is one and this is not it; else flag
    /// `\Deleted` and erase (`UID EXPUNGE` with UIDPLUS, else `EXPUNGE`).
    /// Without MOVE, a move is `UID COPY`, `UID STORE +FLAGS (\Deleted)`
    /// and the erase.
    Trash {
        /// Messages.
        uids: Vec<u32>,
    },
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
    /// CAPABILITY result.
    Capabilities(Vec<String>),
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
    /// A folder was renamed.
    FolderRenamed {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// STATUS result.
    FolderStatus {
        /// Folder.
        folder: String,
        /// Messages in it.
        messages: u32,
        /// Messages without `\Seen`.
        unseen: u32,
        /// Next UID.
        uidnext: u32,
    },
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
    /// EXPUNGE (or UID EXPUNGE) done: UIDs removed.
    Expunged(Vec<u32>),
    /// UNSELECT done: no folder is selected.
    Unselected,
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

/// A request written as an IMAP command (without tag and final CRLF).
pub(crate) struct Written {
    /// The command line (may hold LITERAL+ literals).
    pub line: Vec<u8>,
    /// A synchronizing literal to send after the server's `+`.
    pub literal: Option<Vec<u8>>,
    /// What the inspector shows (the password masked).
    pub shown: String,
}

impl Request {
    /// Writes the command; `literal_plus` if the server offers LITERAL+ (RFC 7888).
    pub(crate) fn write(&self, literal_plus: bool) -> Written {
        let mut line = Vec::new();
        let mut literal = None;
        let set = |uids: &[u32]| SequenceSet::of(uids).to_string();
        let mut shown = None;
        match self {
            Request::Login { user, password } => {
                line.extend_from_slice(b"LOGIN ");
                astr(&mut line, user);
                line.push(b' ');
                let mut masked = String::from_utf8_lossy(&line).into_owned();
                masked.push_str("****");
                shown = Some(masked);
                astr(&mut line, password);
            }
            Request::Capability => line.extend_from_slice(b"CAPABILITY"),
            Request::ListFolders => line.extend_from_slice(b"LIST \"\" *"),
            Request::Select(m) => {
                line.extend_from_slice(b"SELECT ");
                astr(&mut line, m);
            }
            Request::FetchSummaries => {
                line.extend_from_slice(
                    b"UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)",
                );
            }
            Request::FetchBody(uid) => {
                line.extend_from_slice(format!("UID FETCH {uid} BODY[]").as_bytes())
            }
            Request::SetFlags { uids, mode, flags } => {
                let op = match mode {
                    StoreMode::Replace => "",
                    StoreMode::Add => "+",
                    StoreMode::Remove => "-",
                };
                line.extend_from_slice(
                    format!("UID STORE {} {op}FLAGS {}", set(uids), flag_list(flags)).as_bytes(),
                );
            }
            Request::CreateFolder(m) | Request::DeleteFolder(m) => {
                let verb = if matches!(self, Request::CreateFolder(_)) {
                    "CREATE "
                } else {
                    "DELETE "
                };
                line.extend_from_slice(verb.as_bytes());
                astr(&mut line, m);
            }
            Request::RenameFolder { from, to } => {
                line.extend_from_slice(b"RENAME ");
                astr(&mut line, from);
                line.push(b' ');
                astr(&mut line, to);
            }
            Request::Status(m) => {
                line.extend_from_slice(b"STATUS ");
                astr(&mut line, m);
                line.extend_from_slice(b" (MESSAGES UNSEEN UIDNEXT)");
            }
            Request::Copy { uids, to } | Request::Move { uids, to } => {
                let verb = if matches!(self, Request::Copy { .. }) {
                    "COPY"
                } else {
                    "MOVE"
                };
                line.extend_from_slice(format!("UID {verb} {} ", set(uids)).as_bytes());
                astr(&mut line, to);
            }
            Request::Expunge => line.extend_from_slice(b"EXPUNGE"),
            Request::UidExpunge(uids) => {
                line.extend_from_slice(format!("UID EXPUNGE {}", set(uids)).as_bytes())
            }
            // `Leave` and `Trash` are expanded by the client before they
            // are written; alone they read as their usual form.
            Request::Unselect | Request::Leave => line.extend_from_slice(b"UNSELECT"),
            Request::Trash { uids } => {
                line.extend_from_slice(format!("UID MOVE {} Trash", set(uids)).as_bytes())
            }
            Request::Search(criteria) => {
                line.extend_from_slice(format!("UID SEARCH {criteria}").as_bytes())
            }
            Request::Append {
                folder,
                flags,
                message,
            } => {
                line.extend_from_slice(b"APPEND ");
                astr(&mut line, folder);
                if !flags.is_empty() {
                    line.extend_from_slice(format!(" {}", flag_list(flags)).as_bytes());
                }
                if literal_plus {
                    line.extend_from_slice(format!(" {{{}+}}\r\n", message.len()).as_bytes());
                    line.extend_from_slice(message);
                } else {
                    line.extend_from_slice(format!(" {{{}}}", message.len()).as_bytes());
                    let mut data = message.clone();
                    data.extend_from_slice(b"\r\n");
                    literal = Some(data);
                }
            }
            Request::Noop => line.extend_from_slice(b"NOOP"),
            Request::Idle => line.extend_from_slice(b"IDLE"),
            Request::Logout => line.extend_from_slice(b"LOGOUT"),
        }
        let shown = shown.unwrap_or_else(|| {
            let l = String::from_utf8_lossy(&line);
            l.split("\r\n").next().unwrap_or("").to_string()
        });
        Written {
            line,
            literal,
            shown,
        }
    }
}

/// Writes an astring for a command: atom, quoted, or a LITERAL+ literal.
fn astr(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if !b.is_empty() && b.iter().all(|&c| is_atom_char(c)) {
        out.extend_from_slice(b);
    } else if b.iter().all(|&c| (0x20..0x7f).contains(&c)) {
        out.push(b'"');
        for &c in b {
            if c == b'"' || c == b'\\' {
                out.push(b'\\');
            }
            out.push(c);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(format!("{{{}+}}\r\n", b.len()).as_bytes());
        out.extend_from_slice(b);
    }
}
