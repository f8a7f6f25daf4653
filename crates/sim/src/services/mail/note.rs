//! The mail service's and mail client's notes for the trace: the engines'
//! own notes (every SMTP/POP3/IMAP command and reply) wrapped, plus the
//! host's decisions (accepting a connection, looking up an MX, fanning a
//! mailbox change out to other IMAP sessions).

use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};

use lanlab_proto::{imap, pop3, smtp};

/// Which mail protocol.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum MailProto {
    /// SMTP (RFC 5321).
    Smtp,
    /// POP3 (RFC 1939).
    Pop3,
    /// IMAP (RFC 3501).
    Imap,
}

impl fmt::Display for MailProto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MailProto::Smtp => "SMTP",
            MailProto::Pop3 => "POP3",
            MailProto::Imap => "IMAP",
        })
    }
}

/// One decision of a mail server or mail client.
#[derive(Clone, Debug, PartialEq)]
pub enum MailNote {
    /// The SMTP server session.
    Smtp(smtp::Note),
    /// An SMTP client (relay or desktop Send).
    SmtpClient(smtp::ClientNote),
    /// The relay queue.
    Queue(smtp::QueueNote),
    /// The POP3 server session.
    Pop3(pop3::Note),
    /// The desktop POP3 client.
    Pop3Client(pop3::ClientNote),
    /// The IMAP server session.
    Imap(imap::Note),
    /// The desktop IMAP client.
    ImapClient(imap::ClientNote),
    /// A connection to a mail port was accepted.
    Accepted {
        /// Protocol.
        proto: MailProto,
        /// Client.
        peer: SocketAddrV4,
    },
    /// A client opens a connection to a mail server.
    Connecting {
        /// Protocol.
        proto: MailProto,
        /// Server.
        server: SocketAddrV4,
    },
    /// The server could not be reached.
    Unreachable {
        /// Protocol.
        proto: MailProto,
        /// Server.
        server: SocketAddrV4,
        /// Why.
        reason: String,
    },
    /// The relay asks DNS for the MX of a domain.
    MxQuery {
        /// Domain.
        domain: String,
    },
    /// DNS named the mail server of a domain.
    MxFound {
        /// Domain.
        domain: String,
        /// Mail exchanger host name.
        host: String,
        /// Preference.
        preference: u16,
        /// Its address.
        addr: Ipv4Addr,
    },
    /// Other IMAP sessions of an account were told of a change.
    FannedOut {
        /// The account.
        account: String,
        /// How many sessions.
        sessions: usize,
    },
}

impl fmt::Display for MailNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailNote::Smtp(n) => write!(f, "SMTP server: {n}"),
            MailNote::SmtpClient(n) => write!(f, "SMTP client: {n}"),
            MailNote::Queue(n) => write!(f, "mail queue: {n}"),
            MailNote::Pop3(n) => write!(f, "POP3 server: {n}"),
            MailNote::Pop3Client(n) => write!(f, "POP3 client: {n}"),
            MailNote::Imap(n) => write!(f, "IMAP server: {n}"),
            MailNote::ImapClient(n) => write!(f, "IMAP client: {n}"),
            MailNote::Accepted { proto, peer } => {
                write!(f, "{proto} server accepts a connection from {peer}")
            }
            MailNote::Connecting { proto, server } => {
                write!(f, "mail client connects to the {proto} server at {server}")
            }
            MailNote::Unreachable {
                proto,
                server,
                reason,
            } => write!(f, "cannot reach the {proto} server at {server}: {reason}"),
            MailNote::MxQuery { domain } => write!(f, "asking DNS for the MX of {domain}"),
            MailNote::MxFound {
                domain,
                host,
                preference,
                addr,
            } => write!(
                f,
                "mail for {domain} goes to {host} (MX preference {preference}) at {addr}"
            ),
            MailNote::FannedOut { account, sessions } => write!(
                f,
                "mailbox of {account} changed: {sessions} other IMAP session(s) told"
            ),
        }
    }
}
