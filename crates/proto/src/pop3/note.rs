//! What a POP3 server session reports: events for the host and notes for
//! the PDU inspector.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::mail::AccountId;

/// Something the host must act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A user logged in (TRANSACTION state).
    LoggedIn(AccountId),
    /// The session ended: close the connection (after QUIT, or silently on autologout).
    Closed,
}

/// The server's reason for what it did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Note {
    /// Greeting sent with the APOP timestamp.
    Greeted {
        /// The timestamp `<n.t@host>`.
        stamp: String,
    },
    /// USER given; PASS expected next.
    UserGiven {
        /// The name.
        user: String,
    },
    /// Logged in.
    LoggedIn {
        /// The user.
        user: String,
        /// Messages in the maildrop.
        messages: usize,
        /// Their total size.
        octets: usize,
        /// With APOP (true) or USER/PASS.
        apop: bool,
    },
    /// Wrong name or password.
    AuthFailed {
        /// The name tried.
        user: String,
    },
    /// Another session holds the maildrop.
    MaildropLocked {
        /// The user.
        user: String,
    },
    /// A message was sent to the client.
    Retrieved {
        /// Message number.
        msg: u32,
        /// Octets.
        octets: usize,
    },
    /// Message marked for deletion.
    MarkedDeleted {
        /// Message number.
        msg: u32,
    },
    /// RSET: deletion marks removed.
    Unmarked {
        /// How many marks were removed.
        count: usize,
    },
    /// UPDATE state: deletions carried out.
    Updated {
        /// Messages removed.
        deleted: usize,
        /// Messages left.
        left: usize,
    },
    /// Command not valid in this state.
    WrongState {
        /// The keyword.
        command: String,
        /// The state.
        state: String,
    },
    /// Unknown or malformed command.
    BadCommand {
        /// Why.
        error: String,
    },
    /// Line over 255 octets.
    LineTooLong,
    /// Idle too long: session ended without deleting.
    Autologout {
        /// Minutes allowed.
        minutes: u64,
    },
    /// Connection lost outside QUIT: nothing deleted.
    Aborted,
    /// QUIT.
    SignedOff,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Greeted { stamp } => write!(f, "POP3 server ready, APOP timestamp {stamp}"),
            Note::UserGiven { user } => write!(f, "user name {user} given, waiting for PASS"),
            Note::LoggedIn {
                user,
                messages,
                octets,
                apop,
            } => write!(
                f,
                "user {user} logged in{}: {messages} messages ({octets} octets), maildrop locked",
                if *apop {
                    " with APOP (no password on the wire)"
                } else {
                    ""
                }
            ),
            Note::AuthFailed { user } => {
                write!(f, "login failed for {user}: wrong user name or password")
            }
            Note::MaildropLocked { user } => {
                write!(f, "maildrop of {user} is locked by another session")
            }
            Note::Retrieved { msg, octets } => write!(f, "message {msg} sent ({octets} octets)"),
            Note::MarkedDeleted { msg } => write!(f, "message {msg} marked deleted"),
            Note::Unmarked { count } => write!(f, "{count} deletion mark(s) removed"),
            Note::Updated { deleted, left } => {
                write!(f, "UPDATE: {deleted} message(s) deleted, {left} left")
            }
            Note::WrongState { command, state } => {
                write!(f, "{command} is not allowed in the {state} state")
            }
            Note::BadCommand { error } => write!(f, "bad command: {error}"),
            Note::LineTooLong => f.write_str("command line longer than 255 octets"),
            Note::Autologout { minutes } => {
                write!(f, "autologout after {minutes} min idle (nothing deleted)")
            }
            Note::Aborted => f.write_str("connection lost without QUIT: nothing deleted"),
            Note::SignedOff => f.write_str("client said QUIT"),
        }
    }
}
