//! What the IMAP server session tells the simulator: [`Event`]s to act on and
//! [`Note`]s (the server's reasons) for the PDU inspector, with English
//! `Display`; the UI translates from the typed values.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::command::StoreMode;
use super::response::Status;
use super::types::{Flag, flag_list};
use crate::mail::AccountId;

/// Something the host must act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// A user logged in.
    LoggedIn(AccountId),
    /// A LOGIN was refused.
    LoginFailed {
        /// The user name tried.
        user: String,
    },
    /// This session changed a folder: other sessions of the account should
    /// be told (call their `handle_context_change`).
    FolderChanged {
        /// Whose folder.
        account: AccountId,
        /// Which folder.
        folder: String,
    },
    /// The session is over (LOGOUT or autologout): close the connection.
    Closed,
}

/// The server's reason for what it did, one per decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Note {
    /// The greeting was sent.
    Greeting,
    /// `a1 LOGIN akbari: OK`.
    Login {
        /// Command tag.
        tag: String,
        /// User name.
        user: String,
        /// `None` on success, else why it failed.
        failure: Option<String>,
    },
    /// `SELECT INBOX: 3 messages, 1 recent`.
    Selected {
        /// Folder.
        mailbox: String,
        /// Messages.
        exists: u32,
        /// Recent for this session.
        recent: u32,
        /// EXAMINE.
        read_only: bool,
    },
    /// `STORE +FLAGS (\Seen) on 2`.
    Stored {
        /// Replace/add/remove.
        mode: StoreMode,
        /// The flags.
        flags: Vec<Flag>,
        /// Sequence numbers changed.
        seqs: Vec<u32>,
    },
    /// `\Seen` set because a body was fetched without PEEK.
    SeenByFetch {
        /// Sequence numbers.
        seqs: Vec<u32>,
    },
    /// `FETCH 1:3 (FLAGS UID)`: messages returned.
    Fetched {
        /// How many messages.
        count: usize,
    },
    /// `SEARCH: 2 matches`.
    Searched {
        /// Matches.
        count: usize,
    },
    /// `EXPUNGE 1 (seen by 2 sessions)`: removals reported to this client.
    Expunged {
        /// Sequence numbers as sent, in order.
        seqs: Vec<u32>,
        /// Caused by another session (reported now).
        by_other: bool,
    },
    /// Flags changed by another session, reported with untagged FETCH.
    FlagsChangedElsewhere {
        /// Sequence number.
        seq: u32,
        /// New flags.
        flags: Vec<Flag>,
    },
    /// New messages arrived in the selected folder.
    NewMessages {
        /// Messages now.
        exists: u32,
    },
    /// APPEND/COPY/MOVE/CREATE/DELETE/RENAME/SUBSCRIBE done: `COPY 2 messages to Archive`.
    Done {
        /// Command name.
        command: &'static str,
        /// What happened.
        detail: String,
    },
    /// A command was refused: `a3 NO SELECT Foo: no folder Foo`.
    Refused {
        /// Command tag (or `*`).
        tag: String,
        /// NO or BAD.
        status: Status,
        /// Why.
        reason: String,
    },
    /// A command arrived in the wrong state.
    WrongState {
        /// Command tag.
        tag: String,
        /// The command.
        command: &'static str,
        /// The state name.
        state: &'static str,
    },
    /// IDLE started or ended.
    Idle {
        /// `true` when starting.
        start: bool,
    },
    /// LOGOUT.
    Logout,
    /// Inactivity autologout (RFC 3501 §5.4).
    Autologout {
        /// Minutes idle.
        minutes: u64,
    },
}

fn seq_list(seqs: &[u32]) -> String {
    seqs.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Greeting => f.write_str("greeting sent: IMAP4rev1 server ready"),
            Note::Login { tag, user, failure } => match failure {
                None => write!(f, "{tag} LOGIN {user}: OK"),
                Some(why) => write!(f, "{tag} LOGIN {user}: NO ({why})"),
            },
            Note::Selected {
                mailbox,
                exists,
                recent,
                read_only,
            } => write!(
                f,
                "{} {mailbox}: {exists} messages, {recent} recent",
                if *read_only { "EXAMINE" } else { "SELECT" }
            ),
            Note::Stored { mode, flags, seqs } => {
                let op = match mode {
                    StoreMode::Replace => "FLAGS",
                    StoreMode::Add => "+FLAGS",
                    StoreMode::Remove => "-FLAGS",
                };
                write!(f, "STORE {op} {} on {}", flag_list(flags), seq_list(seqs))
            }
            Note::SeenByFetch { seqs } => {
                write!(f, "\\Seen set on {} by fetching the body", seq_list(seqs))
            }
            Note::Fetched { count } => write!(f, "FETCH returned {count} messages"),
            Note::Searched { count } => write!(f, "SEARCH: {count} matches"),
            Note::Expunged { seqs, by_other } => {
                write!(f, "EXPUNGE {}", seq_list(seqs))?;
                if *by_other {
                    f.write_str(" (done by another session)")?;
                }
                Ok(())
            }
            Note::FlagsChangedElsewhere { seq, flags } => write!(
                f,
                "message {seq} now has flags {} (changed by another session)",
                flag_list(flags)
            ),
            Note::NewMessages { exists } => write!(f, "new mail: {exists} EXISTS"),
            Note::Done { command, detail } => write!(f, "{command} {detail}"),
            Note::Refused {
                tag,
                status,
                reason,
            } => write!(f, "{tag} {}: {reason}", status.as_str()),
            Note::WrongState {
                tag,
                command,
                state,
            } => write!(f, "{tag} {command} is not allowed in the {state} state"),
            Note::Idle { start: true } => f.write_str("IDLE: changes will be pushed"),
            Note::Idle { start: false } => f.write_str("IDLE ended by DONE"),
            Note::Logout => f.write_str("LOGOUT: closing the connection"),
            Note::Autologout { minutes } => {
                write!(f, "autologout after {minutes} minutes without a command")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english() {
        let n = Note::Login {
            tag: "a1".into(),
            user: "akbari".into(),
            failure: None,
        };
        assert_eq!(n.to_string(), "a1 LOGIN akbari: OK");
        let n = Note::Selected {
            mailbox: "INBOX".into(),
            exists: 3,
            recent: 1,
            read_only: false,
        };
        assert_eq!(n.to_string(), "SELECT INBOX: 3 messages, 1 recent");
        let n = Note::Stored {
            mode: StoreMode::Add,
            flags: vec![Flag::Seen],
            seqs: vec![2],
        };
        assert_eq!(n.to_string(), "STORE +FLAGS (\\Seen) on 2");
        let n = Note::Expunged {
            seqs: vec![1],
            by_other: true,
        };
        assert_eq!(n.to_string(), "EXPUNGE 1 (done by another session)");
    }
}
