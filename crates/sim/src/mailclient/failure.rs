//! Why a mail job failed, as data: the job's typed result
//! ([`JobResult::MailFailed`](crate::job::JobResult::MailFailed)), which the
//! app words in the user's language. `Display` is the English wording.

use std::fmt;
use std::net::SocketAddrV4;

use super::MailClientError;
use crate::services::app::TcpEnd;
use crate::services::mail::MailProto;
use crate::services::mail::app::end_words;

/// Why a Send, Receive or other mail button failed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MailFailure {
    /// The button could not even start (no account, a bad field).
    Start(MailClientError),
    /// No connection to the server.
    Unreachable {
        /// Protocol.
        proto: MailProto,
        /// Server.
        server: SocketAddrV4,
        /// How the connection attempt ended.
        end: TcpEnd,
    },
    /// The connection ended before the work was done.
    Ended {
        /// Protocol.
        proto: MailProto,
        /// Server.
        server: SocketAddrV4,
        /// How it ended.
        end: TcpEnd,
    },
    /// The server stopped answering.
    NoAnswer {
        /// Protocol.
        proto: MailProto,
        /// Server.
        server: SocketAddrV4,
    },
    /// The server refused the user name or password.
    LoginRefused {
        /// Protocol.
        proto: MailProto,
        /// The server's reply, as it came.
        reply: String,
    },
    /// The server refused a command or the message.
    Refused {
        /// Protocol.
        proto: MailProto,
        /// The server's reply, as it came.
        reply: String,
    },
    /// APOP was chosen, but the POP3 server does not offer it.
    NoApop,
}

impl fmt::Display for MailFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailFailure::Start(e) => write!(f, "{e}"),
            MailFailure::Unreachable { proto, server, end } => write!(
                f,
                "cannot reach the {proto} server at {server}: {}",
                end_words(*end)
            ),
            MailFailure::Ended { proto, server, end } => write!(
                f,
                "the {proto} server at {server} ended the session: {}",
                end_words(*end)
            ),
            MailFailure::NoAnswer { proto, server } => {
                write!(f, "no answer from the {proto} server at {server}")
            }
            MailFailure::LoginRefused { proto, reply } => write!(
                f,
                "the {proto} server refused the user name or password: {reply}"
            ),
            MailFailure::Refused { proto, reply } => {
                write!(f, "the {proto} server refused: {reply}")
            }
            MailFailure::NoApop => f.write_str(
                "the POP3 server does not offer APOP: turn APOP off in the account settings",
            ),
        }
    }
}
