//! What an SMTP server session reports: events for the host and notes for
//! the PDU inspector.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::Envelope;
use crate::mail::AccountId;

/// Something the host must act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A message was filed in a local mailbox.
    Delivered {
        /// The account.
        account: AccountId,
        /// Its UID in INBOX.
        uid: u32,
    },
    /// A message for foreign recipients: put it in the relay [`super::Queue`].
    Relay(Envelope),
    /// The session ended (after 221 or 421): close the connection.
    Closed,
}

/// The server's reason for what it did, for the PDU inspector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Note {
    /// Greeting sent.
    Greeted {
        /// Server host name.
        hostname: String,
    },
    /// The client introduced itself.
    Hello {
        /// Name the client gave.
        name: String,
        /// EHLO (true) or HELO.
        extended: bool,
    },
    /// A transaction started.
    Sender {
        /// The reverse-path as written (`<>` for a bounce).
        from: String,
    },
    /// Recipient in a local domain and known: accepted.
    RcptLocal {
        /// The address.
        addr: String,
    },
    /// Recipient is a local list.
    RcptList {
        /// The address.
        addr: String,
        /// Number of members.
        members: usize,
    },
    /// Recipient in a local domain but unknown: 550.
    RcptUnknownUser {
        /// The address.
        addr: String,
        /// The domain.
        domain: String,
    },
    /// Recipient in a foreign domain, accepted for relay.
    RcptRelay {
        /// The address.
        addr: String,
    },
    /// Recipient in a foreign domain refused by the relay policy.
    RelayDenied {
        /// The address.
        addr: String,
    },
    /// Too many recipients: 452.
    TooManyRecipients {
        /// The limit.
        limit: usize,
    },
    /// Message over the size limit: 552.
    TooBig {
        /// Size announced or received.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Command line over the length limit: 500.
    LineTooLong,
    /// A command out of order: 503.
    OutOfSequence {
        /// The command.
        command: String,
        /// What was expected first.
        need: String,
    },
    /// An unrecognised or malformed command.
    BadCommand {
        /// The error.
        error: String,
    },
    /// End of data: the message was accepted.
    MessageAccepted {
        /// Size in octets.
        size: usize,
        /// Number of recipients.
        recipients: usize,
    },
    /// Filed in a local INBOX.
    Delivered {
        /// The account.
        account: String,
        /// UID.
        uid: u32,
    },
    /// Handed to the relay queue.
    QueuedForRelay {
        /// Foreign recipients.
        recipients: Vec<String>,
    },
    /// The transaction was reset (RSET or a new HELO/EHLO).
    Reset,
    /// The client quit.
    Quit,
    /// No command for too long: 421.
    IdleTimeout {
        /// Seconds allowed.
        secs: u64,
    },
    /// AUTH succeeded (235): the client may send and relay as this user.
    Authenticated {
        /// The login name given.
        user: String,
        /// The SASL mechanism.
        mechanism: String,
    },
    /// AUTH failed (535) or was refused.
    AuthFailed {
        /// Why.
        reason: String,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Greeted { hostname } => {
                write!(f, "SMTP server {hostname} greets the client (220)")
            }
            Note::Hello { name, extended } => write!(
                f,
                "client introduced itself as {name} ({})",
                if *extended {
                    "EHLO: extensions listed"
                } else {
                    "HELO"
                }
            ),
            Note::Sender { from } => write!(f, "new message from {from}"),
            Note::RcptLocal { addr } => write!(f, "RCPT {addr}: local user, accepted"),
            Note::RcptList { addr, members } => {
                write!(f, "RCPT {addr}: local list of {members} members, accepted")
            }
            Note::RcptUnknownUser { addr, domain } => {
                write!(
                    f,
                    "RCPT {addr}: {domain} is local but has no such user, rejected (550)"
                )
            }
            Note::RcptRelay { addr } => write!(f, "RCPT {addr}: foreign domain, will relay via MX"),
            Note::RelayDenied { addr } => {
                write!(
                    f,
                    "RCPT {addr}: foreign domain and relaying is not allowed for this client"
                )
            }
            Note::TooManyRecipients { limit } => write!(f, "more than {limit} recipients (452)"),
            Note::TooBig { size, limit } => {
                write!(
                    f,
                    "message of {size} octets exceeds the limit of {limit} (552)"
                )
            }
            Note::LineTooLong => f.write_str("line longer than allowed, ignored (500)"),
            Note::OutOfSequence { command, need } => {
                write!(f, "{command} out of order: {need} first (503)")
            }
            Note::BadCommand { error } => write!(f, "bad command: {error}"),
            Note::MessageAccepted { size, recipients } => {
                write!(
                    f,
                    "message of {size} octets accepted for {recipients} recipient(s)"
                )
            }
            Note::Delivered { account, uid } => {
                write!(f, "message filed in {account}'s INBOX as UID {uid}")
            }
            Note::QueuedForRelay { recipients } => {
                write!(
                    f,
                    "message for {} put in the relay queue",
                    recipients.join(", ")
                )
            }
            Note::Reset => f.write_str("transaction reset"),
            Note::Quit => f.write_str("client said QUIT: closing"),
            Note::IdleTimeout { secs } => write!(f, "no command for {secs} s: closing (421)"),
            Note::Authenticated { user, mechanism } => {
                write!(f, "AUTH {mechanism}: {user} logged in (235)")
            }
            Note::AuthFailed { reason } => write!(f, "AUTH failed: {reason}"),
        }
    }
}
