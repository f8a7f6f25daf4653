//! The desktop mail client of a PC: one account (display name, address,
//! incoming server with POP3 or IMAP, outgoing SMTP server, user name,
//! password, leave-a-copy), a local mailbox the UI shows as plain data,
//! and the operations Send, Receive, Read, Reply, Delete, Move, Mark.
//!
//! Each operation opens one TCP connection through the host ([`MailIo`])
//! and drives proto's [`smtp::Client`], [`pop3::Client`] or
//! [`imap::Client`] over it; what it did ends up in a job's output, and
//! why it failed in the job's typed result ([`MailFailure`]).

use std::collections::BTreeMap;

use std::net::{Ipv4Addr, SocketAddrV4};

use serde::{Deserialize, Serialize};

use lanlab_proto::imap;
use lanlab_proto::mail::Message;
use lanlab_proto::pop3::{self, UidlMemory};
use lanlab_proto::smtp;

pub use lanlab_doc::mail_op::{IncomingProto, MailOp, MarkFlag};

use crate::job::JobId;
use crate::services::app::TcpEnd;
use crate::services::mail::{ConnId, MailIo, MailNote, MailProto};

mod failure;
mod ops;
mod session;

pub use failure::MailFailure;

/// A mail account as the PC's mail app stores it (document data).
pub type MailAccount = crate::services::MailClientAccount;

/// A message in the client's local mailbox, as the UI lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalMessage {
    /// Local number (stable while the message is kept).
    pub id: u32,
    /// Folder (`INBOX`).
    pub folder: String,
    /// IMAP UID on the server.
    pub uid: Option<u32>,
    /// POP3 unique id.
    pub uidl: Option<String>,
    /// `From:`.
    pub from: String,
    /// `To:`.
    pub to: String,
    /// `Subject:`.
    pub subject: String,
    /// `Date:`.
    pub date: String,
    /// Text body (empty until downloaded, for IMAP).
    pub body: String,
    /// Whether the whole message is here.
    pub downloaded: bool,
    /// `\Seen`.
    pub read: bool,
    /// `\Answered`.
    pub answered: bool,
    /// `\Flagged`.
    pub flagged: bool,
    /// `\Deleted` (IMAP, before EXPUNGE).
    pub deleted: bool,
    /// Size in octets.
    pub size: u64,
}

/// What an IMAP connection is for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Task {
    /// Sync a folder's list.
    Sync,
    /// Download one message (marks it read).
    Read(u32),
    /// Anything else; then sync.
    Change,
    /// A server-side search; hits are listed after the sync.
    Search,
}

#[derive(Clone, Debug)]
enum Op {
    Send {
        job: JobId,
        client: Box<smtp::Client>,
        server: SocketAddrV4,
        reply_to: Option<u32>,
    },
    Pop3 {
        job: JobId,
        client: Box<pop3::Client>,
        server: SocketAddrV4,
        fetched: usize,
    },
    Imap {
        job: JobId,
        client: Box<imap::Client>,
        server: SocketAddrV4,
        folder: String,
        task: Task,
        failed: Option<MailFailure>,
    },
}

impl Op {
    fn job(&self) -> JobId {
        match self {
            Op::Send { job, .. } | Op::Pop3 { job, .. } | Op::Imap { job, .. } => *job,
        }
    }
}

/// Why an operation cannot start, as the job prints it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum MailClientError {
    /// No account set up.
    #[error("the mail client has no account: set one up first")]
    NoAccount,
    /// A server field that is not an address.
    #[error("{0:?} is not an IPv4 address of a mail server")]
    BadServer(String),
    /// No local message with that number.
    #[error("there is no message {0} in the mail client")]
    NoMessage(u32),
    /// The operation needs IMAP.
    #[error("this needs an IMAP account (POP3 keeps folders on the PC only)")]
    NeedsImap,
    /// A bad address.
    #[error("{0}")]
    BadAddress(lanlab_proto::mail::AddressError),
    /// Send with an empty To.
    #[error("no recipient: fill in To")]
    NoRecipient,
}

/// The mail app of one PC: account, local mailbox, running operations.
#[derive(Clone, Debug, Default)]
pub struct MailClient {
    hostname: String,
    account: Option<MailAccount>,
    messages: Vec<LocalMessage>,
    folders: Vec<String>,
    uidls: UidlMemory,
    next_id: u32,
    sent_count: u64,
    conns: BTreeMap<ConnId, Op>,
    search_hits: Vec<u32>,
    /// Connections that got through (the others failed to connect).
    up: std::collections::BTreeSet<ConnId>,
    /// Each connection's reply timer, filed after every change to it, so
    /// the host's next timeout is not a scan of a hundred sends at once.
    timers: crate::services::stream::Timers<ConnId>,
}

fn server_addr(s: &str, port: u16) -> Result<SocketAddrV4, MailClientError> {
    s.trim()
        .parse::<Ipv4Addr>()
        .map(|ip| SocketAddrV4::new(ip, port))
        .map_err(|_| MailClientError::BadServer(s.to_string()))
}

fn mailbox_list(m: &[lanlab_proto::mail::Mailbox]) -> String {
    m.iter()
        .map(|b| match &b.name {
            Some(n) if !n.is_empty() => format!("{n} <{}>", b.addr),
            _ => b.addr.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn imap_addrs(a: &[imap::Address]) -> String {
    a.iter()
        .map(|x| {
            let addr = format!(
                "{}@{}",
                x.mailbox.as_deref().unwrap_or(""),
                x.host.as_deref().unwrap_or("")
            );
            match &x.name {
                Some(n) if !n.is_empty() => format!("{n} <{addr}>"),
                _ => addr,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl MailClient {
    /// A mail app on host `hostname` (its HELO name).
    pub fn new(hostname: &str) -> Self {
        MailClient {
            hostname: hostname.to_string(),
            folders: vec!["INBOX".into()],
            next_id: 1,
            ..Default::default()
        }
    }

    /// Sets the name the client gives in HELO/EHLO (the device's name).
    pub fn set_hostname(&mut self, name: &str) {
        self.hostname = name.to_string();
    }

    /// Sets or replaces the account (the local mailbox stays).
    pub fn set_account(&mut self, account: Option<MailAccount>) {
        self.account = account;
    }

    /// The account.
    pub fn account(&self) -> Option<&MailAccount> {
        self.account.as_ref()
    }

    /// The local mailbox, all folders, in arrival order.
    pub fn messages(&self) -> &[LocalMessage] {
        &self.messages
    }

    /// The folders known (INBOX first).
    pub fn folders(&self) -> &[String] {
        &self.folders
    }

    /// POP3 unique ids already downloaded (leave-a-copy memory).
    pub fn uidls(&self) -> &UidlMemory {
        &self.uidls
    }

    /// Forgets the UIDL memory: the next Receive fetches everything again.
    pub fn forget_uidls(&mut self) {
        self.uidls.forget();
    }

    /// Whether an operation is running.
    pub fn is_busy(&self) -> bool {
        !self.conns.is_empty()
    }

    /// Whether a connection belongs to this client.
    pub fn owns(&self, conn: ConnId) -> bool {
        self.conns.contains_key(&conn)
    }

    fn account_or_err(&self) -> Result<MailAccount, MailClientError> {
        self.account.clone().ok_or(MailClientError::NoAccount)
    }

    fn fail(io: &mut dyn MailIo, job: JobId, e: &MailClientError) {
        io.println(job, &e.to_string());
        io.failed(job, MailFailure::Start(e.clone()));
        io.finish(job, false);
    }

    fn open(
        io: &mut dyn MailIo,
        job: JobId,
        proto: MailProto,
        server: SocketAddrV4,
    ) -> Option<ConnId> {
        io.note(MailNote::Connecting { proto, server });
        match io.connect(server) {
            Ok(c) => Some(c),
            Err(reason) => {
                io.note(MailNote::Unreachable {
                    proto,
                    server,
                    reason: reason.clone(),
                });
                io.println(
                    job,
                    &format!("cannot reach the {proto} server at {server}: {reason}"),
                );
                let end = TcpEnd::Unreachable;
                io.failed(job, MailFailure::Unreachable { proto, server, end });
                io.finish(job, false);
                None
            }
        }
    }

    fn add_message(&mut self, mut m: LocalMessage) -> u32 {
        m.id = self.next_id;
        self.next_id += 1;
        if !self.folders.contains(&m.folder) {
            self.folders.push(m.folder.clone());
        }
        let id = m.id;
        self.messages.push(m);
        id
    }

    fn from_raw(raw: &str, folder: &str) -> LocalMessage {
        let msg = Message::parse(raw);
        LocalMessage {
            id: 0,
            folder: folder.to_string(),
            uid: None,
            uidl: None,
            from: mailbox_list(&msg.from()),
            to: mailbox_list(&msg.to()),
            subject: msg.subject().unwrap_or_default(),
            date: msg.date().unwrap_or_default().to_string(),
            body: msg.text(),
            downloaded: true,
            read: false,
            answered: false,
            flagged: false,
            deleted: false,
            size: raw.len() as u64,
        }
    }
}
