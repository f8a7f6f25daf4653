//! The desktop mail client of a PC: one account (display name, address,
//! incoming server with POP3 or IMAP, outgoing SMTP server, user name,
//! password, leave-a-copy), a local mailbox the UI shows as plain data,
//! and the operations Send, Receive, Read, Reply, Delete, Move, Mark.
//!
//! Each operation opens one TCP connection through the host ([`MailIo`])
//! and drives proto's [`smtp::Client`], [`pop3::Client`] or
//! [`imap::Client`] over it; what it did ends up in a job's output.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};

use serde::{Deserialize, Serialize};

use lanlab_proto::SimTime;
use lanlab_proto::imap::{self, Flag, Request, StoreMode};
use lanlab_proto::mail::{Draft, Message, date};
use lanlab_proto::pop3::{self, UidlMemory};
use lanlab_proto::smtp;

use crate::job::JobId;
use crate::services::mail::{ConnId, MailIo, MailNote, MailProto};

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
    fn imap(self) -> Flag {
        match self {
            MarkFlag::Read => Flag::Seen,
            MarkFlag::Answered => Flag::Answered,
            MarkFlag::Flagged => Flag::Flagged,
            MarkFlag::Deleted => Flag::Deleted,
        }
    }
}

/// A mail-client button other than Send and Receive (an [`crate::Action`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
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
    /// Forget the POP3 leave-a-copy memory: the next Receive fetches all again.
    ForgetUidls,
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
            MailOp::ForgetUidls => write!(f, "forget downloaded-message memory"),
        }
    }
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
        failed: Option<String>,
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
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
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
    BadAddress(String),
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
                io.finish(job, false);
                None
            }
        }
    }

    /// Send: composes a message and hands it to the outgoing server.
    pub fn send(&mut self, io: &mut dyn MailIo, job: JobId, to: &str, subject: &str, body: &str) {
        self.send_inner(io, job, to, subject, body, None);
    }

    fn send_inner(
        &mut self,
        io: &mut dyn MailIo,
        job: JobId,
        to: &str,
        subject: &str,
        body: &str,
        reply_to: Option<(u32, Option<String>)>,
    ) {
        let acc = match self.account_or_err() {
            Ok(a) => a,
            Err(e) => return Self::fail(io, job, &e),
        };
        let server = match server_addr(&acc.outgoing_server, 25) {
            Ok(s) => s,
            Err(e) => return Self::fail(io, job, &e),
        };
        let draft = Draft {
            from_name: acc.display_name.clone(),
            from: acc.address.clone(),
            to: to
                .split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            subject: subject.to_string(),
            body: body.to_string(),
            in_reply_to: reply_to.as_ref().and_then(|(_, m)| m.clone()),
            ..Default::default()
        };
        self.sent_count += 1;
        let unix = date::unix_at(date::DEFAULT_EPOCH_UNIX, io.now());
        let seed = self
            .sent_count
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(io.now().as_micros());
        let env = match smtp::Envelope::from_draft(&draft, unix, seed) {
            Ok(e) => e,
            Err(e) => {
                return Self::fail(io, job, &MailClientError::BadAddress(e.to_string()));
            }
        };
        if env.to.is_empty() {
            return Self::fail(
                io,
                job,
                &MailClientError::BadAddress("no recipient: fill in To".into()),
            );
        }
        io.println(
            job,
            &format!("Sending \"{subject}\" to {to} through {server} ..."),
        );
        let Some(conn) = Self::open(io, job, MailProto::Smtp, server) else {
            return;
        };
        let client = smtp::Client::new(self.hostname.clone(), env, io.now());
        self.conns.insert(
            conn,
            Op::Send {
                job,
                client: Box::new(client),
                server,
                reply_to: reply_to.map(|(id, _)| id),
            },
        );
    }

    /// Reply: answers local message `id` (subject `Re: …`, to its sender);
    /// marks it answered once sent.
    pub fn reply(&mut self, io: &mut dyn MailIo, job: JobId, id: u32, body: &str) {
        let Some(m) = self.messages.iter().find(|m| m.id == id) else {
            return Self::fail(io, job, &MailClientError::NoMessage(id));
        };
        let to = Message::parse(&format!("From: {}\r\n\r\n", m.from))
            .from()
            .first()
            .map(|b| b.addr.clone())
            .unwrap_or_else(|| m.from.clone());
        let subject = if m.subject.to_ascii_lowercase().starts_with("re:") {
            m.subject.clone()
        } else {
            format!("Re: {}", m.subject)
        };
        self.send_inner(io, job, &to, &subject, body, Some((id, None)));
    }

    /// Receive: POP3 download (and delete, unless leave-a-copy) or IMAP sync of INBOX.
    pub fn receive(&mut self, io: &mut dyn MailIo, job: JobId) {
        let acc = match self.account_or_err() {
            Ok(a) => a,
            Err(e) => return Self::fail(io, job, &e),
        };
        match acc.incoming {
            IncomingProto::Pop3 => {
                let server = match server_addr(&acc.incoming_server, 110) {
                    Ok(s) => s,
                    Err(e) => return Self::fail(io, job, &e),
                };
                let Some(conn) = Self::open(io, job, MailProto::Pop3, server) else {
                    return;
                };
                let config = pop3::ClientConfig {
                    user: acc.user.clone(),
                    password: acc.password.clone(),
                    auth: if acc.apop {
                        pop3::AuthMethod::Apop
                    } else {
                        pop3::AuthMethod::UserPass
                    },
                    leave_copy: acc.leave_copy,
                };
                let client = pop3::Client::new(config, self.uidls.clone(), io.now());
                self.conns.insert(
                    conn,
                    Op::Pop3 {
                        job,
                        client: Box::new(client),
                        server,
                        fetched: 0,
                    },
                );
            }
            IncomingProto::Imap => self.imap_task(io, job, "INBOX", Task::Sync, Vec::new()),
        }
    }

    /// Opens an IMAP connection that logs in, selects `folder`, runs
    /// `requests`, re-lists the folder and logs out.
    fn imap_task(
        &mut self,
        io: &mut dyn MailIo,
        job: JobId,
        folder: &str,
        task: Task,
        requests: Vec<Request>,
    ) {
        let acc = match self.account_or_err() {
            Ok(a) => a,
            Err(e) => return Self::fail(io, job, &e),
        };
        if acc.incoming != IncomingProto::Imap {
            return Self::fail(io, job, &MailClientError::NeedsImap);
        }
        let server = match server_addr(&acc.incoming_server, 143) {
            Ok(s) => s,
            Err(e) => return Self::fail(io, job, &e),
        };
        let Some(conn) = Self::open(io, job, MailProto::Imap, server) else {
            return;
        };
        let now = io.now();
        let mut client = imap::Client::new();
        client.request(
            now,
            Request::Login {
                user: acc.user.clone(),
                password: acc.password.clone(),
            },
        );
        client.request(now, Request::ListFolders);
        client.request(now, Request::Select(folder.to_string()));
        for r in requests {
            client.request(now, r);
        }
        client.request(now, Request::FetchSummaries);
        client.request(now, Request::Logout);
        self.conns.insert(
            conn,
            Op::Imap {
                job,
                client: Box::new(client),
                server,
                folder: folder.to_string(),
                task,
                failed: None,
            },
        );
    }

    fn local(&self, id: u32) -> Result<(String, u32), MailClientError> {
        let m = self
            .messages
            .iter()
            .find(|m| m.id == id)
            .ok_or(MailClientError::NoMessage(id))?;
        match m.uid {
            Some(uid) => Ok((m.folder.clone(), uid)),
            None => Err(MailClientError::NeedsImap),
        }
    }

    /// Read: shows local message `id`; with IMAP downloads it first (the
    /// server marks it `\Seen`, and so do the account's other devices).
    pub fn read(&mut self, io: &mut dyn MailIo, job: JobId, id: u32) {
        let Some(m) = self.messages.iter_mut().find(|m| m.id == id) else {
            return Self::fail(io, job, &MailClientError::NoMessage(id));
        };
        if m.downloaded {
            m.read = true;
            let text = format!(
                "From: {}\nTo: {}\nSubject: {}\nDate: {}\n\n{}",
                m.from, m.to, m.subject, m.date, m.body
            );
            io.println(job, text.trim_end());
            if m.uid.is_none() {
                io.finish(job, true);
                return;
            }
            // Already here: only tell the server it was read.
            let (folder, uid) = self.local(id).expect("has a uid");
            let seen = Request::SetFlags {
                uids: vec![uid],
                mode: StoreMode::Add,
                flags: vec![Flag::Seen],
            };
            return self.imap_task(io, job, &folder, Task::Change, vec![seen]);
        }
        match self.local(id) {
            Ok((folder, uid)) => self.imap_task(
                io,
                job,
                &folder,
                Task::Read(uid),
                vec![Request::FetchBody(uid)],
            ),
            Err(e) => Self::fail(io, job, &e),
        }
    }

    /// Delete: POP3 removes it locally; IMAP flags it `\Deleted` and expunges.
    pub fn delete(&mut self, io: &mut dyn MailIo, job: JobId, id: u32) {
        let Some(pos) = self.messages.iter().position(|m| m.id == id) else {
            return Self::fail(io, job, &MailClientError::NoMessage(id));
        };
        if self.messages[pos].uid.is_none() {
            self.messages.remove(pos);
            io.println(job, &format!("Message {id} deleted."));
            io.finish(job, true);
            return;
        }
        let (folder, uid) = self.local(id).expect("has a uid");
        self.imap_task(
            io,
            job,
            &folder,
            Task::Change,
            vec![
                Request::SetFlags {
                    uids: vec![uid],
                    mode: StoreMode::Add,
                    flags: vec![Flag::Deleted],
                },
                Request::Expunge,
            ],
        );
    }

    /// Move (IMAP): moves local message `id` to folder `to` on the server.
    pub fn move_to(&mut self, io: &mut dyn MailIo, job: JobId, id: u32, to: &str) {
        match self.local(id) {
            Ok((folder, uid)) => self.imap_task(
                io,
                job,
                &folder,
                Task::Change,
                vec![Request::Move {
                    uids: vec![uid],
                    to: to.to_string(),
                }],
            ),
            Err(e) => Self::fail(io, job, &e),
        }
    }

    /// Mark: sets or clears a flag (IMAP on the server; POP3 locally).
    pub fn mark(&mut self, io: &mut dyn MailIo, job: JobId, id: u32, flag: MarkFlag, on: bool) {
        let Some(m) = self.messages.iter_mut().find(|m| m.id == id) else {
            return Self::fail(io, job, &MailClientError::NoMessage(id));
        };
        if m.uid.is_none() {
            match flag {
                MarkFlag::Read => m.read = on,
                MarkFlag::Answered => m.answered = on,
                MarkFlag::Flagged => m.flagged = on,
                MarkFlag::Deleted => m.deleted = on,
            }
            io.println(job, &format!("Message {id} marked."));
            io.finish(job, true);
            return;
        }
        let (folder, uid) = self.local(id).expect("has a uid");
        let mode = if on {
            StoreMode::Add
        } else {
            StoreMode::Remove
        };
        self.imap_task(
            io,
            job,
            &folder,
            Task::Change,
            vec![Request::SetFlags {
                uids: vec![uid],
                mode,
                flags: vec![flag.imap()],
            }],
        );
    }

    /// Creates a folder on the IMAP server.
    pub fn create_folder(&mut self, io: &mut dyn MailIo, job: JobId, name: &str) {
        self.imap_task(
            io,
            job,
            "INBOX",
            Task::Change,
            vec![Request::CreateFolder(name.to_string())],
        );
    }

    /// Lists folder `folder` from the IMAP server.
    pub fn sync_folder(&mut self, io: &mut dyn MailIo, job: JobId, folder: &str) {
        self.imap_task(io, job, folder, Task::Sync, Vec::new());
    }

    /// Runs a button other than Send and Receive for job `job`.
    pub fn run_op(&mut self, io: &mut dyn MailIo, job: JobId, op: &MailOp) {
        match op {
            MailOp::Read { id } => self.read(io, job, *id),
            MailOp::Reply { id, body } => self.reply(io, job, *id, body),
            MailOp::Delete { id } => self.delete(io, job, *id),
            MailOp::Move { id, folder } => self.move_to(io, job, *id, folder),
            MailOp::Mark { id, flag, on } => self.mark(io, job, *id, *flag, *on),
            MailOp::CreateFolder { name } => self.create_folder(io, job, name),
            MailOp::Sync { folder } => self.sync_folder(io, job, folder),
            MailOp::ForgetUidls => {
                let n = self.uidls.len();
                self.forget_uidls();
                io.println(job, &format!("Forgot {n} downloaded message id(s)."));
                io.finish(job, true);
            }
        }
    }

    /// Bytes arrived on one of the client's connections.
    pub fn data(&mut self, io: &mut dyn MailIo, conn: ConnId, bytes: &[u8]) {
        let now = io.now();
        match self.conns.get_mut(&conn) {
            Some(Op::Send { client, .. }) => client.handle_input(now, bytes),
            Some(Op::Pop3 { client, .. }) => client.handle_input(now, bytes),
            Some(Op::Imap { client, .. }) => client.handle_input(now, bytes),
            None => return,
        }
        self.drain(io, conn);
    }

    /// The connection ended (closed, refused, reset, timed out).
    pub fn closed(&mut self, io: &mut dyn MailIo, conn: ConnId, reason: &str) {
        match self.conns.get_mut(&conn) {
            Some(Op::Send { client, .. }) => client.handle_closed(reason),
            Some(Op::Pop3 { client, .. }) => client.handle_closed(reason),
            Some(Op::Imap { .. }) | None => {}
        }
        self.drain(io, conn);
        if let Some(op) = self.conns.remove(&conn) {
            let (proto, server, ok) = match &op {
                Op::Send { server, .. } => (MailProto::Smtp, *server, false),
                Op::Pop3 { server, .. } => (MailProto::Pop3, *server, false),
                Op::Imap { server, failed, .. } => (MailProto::Imap, *server, failed.is_none()),
            };
            let job = op.job();
            if !ok {
                io.note(MailNote::Unreachable {
                    proto,
                    server,
                    reason: reason.to_string(),
                });
                io.println(
                    job,
                    &format!("cannot reach the {proto} server at {server}: {reason}"),
                );
            }
            io.finish(job, ok);
        }
    }

    /// When [`MailClient::handle_timeout`] is next due.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.conns
            .values()
            .filter_map(|op| match op {
                Op::Send { client, .. } => client.poll_timeout(),
                Op::Pop3 { client, .. } => client.poll_timeout(),
                Op::Imap { client, .. } => client.poll_timeout(),
            })
            .min()
    }

    /// Runs the clients' reply timers.
    pub fn handle_timeout(&mut self, io: &mut dyn MailIo) {
        let now = io.now();
        let conns: Vec<ConnId> = self.conns.keys().copied().collect();
        for c in conns {
            let due = match self.conns.get_mut(&c) {
                Some(Op::Send { client, .. }) => {
                    let d = client.poll_timeout().is_some_and(|t| t <= now);
                    if d {
                        client.handle_timeout(now);
                    }
                    d
                }
                Some(Op::Pop3 { client, .. }) => {
                    let d = client.poll_timeout().is_some_and(|t| t <= now);
                    if d {
                        client.handle_timeout(now);
                    }
                    d
                }
                Some(Op::Imap { client, .. }) => {
                    let d = client.poll_timeout().is_some_and(|t| t <= now);
                    if d {
                        client.handle_timeout(now);
                    }
                    d
                }
                None => false,
            };
            if due {
                self.drain(io, c);
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

    fn drain(&mut self, io: &mut dyn MailIo, conn: ConnId) {
        let Some(op) = self.conns.get_mut(&conn) else {
            return;
        };
        let mut close = false;
        let mut finished: Option<(JobId, bool)> = None;
        let mut mark_answered = None;
        let mut new_msgs: Vec<LocalMessage> = Vec::new();
        let mut imap_events = Vec::new();
        match op {
            Op::Send {
                job,
                client,
                reply_to,
                ..
            } => {
                while let Some(n) = client.poll_note() {
                    io.note(MailNote::SmtpClient(n));
                }
                while let Some(b) = client.poll_output() {
                    io.send(conn, &b);
                }
                while let Some(ev) = client.poll_event() {
                    match ev {
                        smtp::ClientEvent::Done(o) => {
                            let ok = o.is_sent();
                            if ok {
                                io.println(*job, &format!("Mail sent: {o}"));
                                mark_answered = *reply_to;
                            } else {
                                io.println(*job, &format!("Send failed: {o}"));
                            }
                            finished = Some((*job, ok));
                        }
                        smtp::ClientEvent::Closed => close = true,
                    }
                }
            }
            Op::Pop3 {
                job,
                client,
                fetched,
                ..
            } => {
                while let Some(n) = client.poll_note() {
                    io.note(MailNote::Pop3Client(n));
                }
                while let Some(b) = client.poll_output() {
                    io.send(conn, &b);
                }
                while let Some(ev) = client.poll_event() {
                    match ev {
                        pop3::ClientEvent::Message(f) => {
                            let mut m = Self::from_raw(&f.raw, "INBOX");
                            m.uidl = f.uidl.clone();
                            *fetched += 1;
                            new_msgs.push(m);
                        }
                        pop3::ClientEvent::Done(Ok(s)) => {
                            io.println(
                                *job,
                                &format!(
                                    "Received {} new message(s); {} deleted on the server, {} left there.",
                                    s.fetched, s.deleted, s.on_server
                                ),
                            );
                            self.uidls = client.memory().clone();
                            finished = Some((*job, true));
                        }
                        pop3::ClientEvent::Done(Err(e)) => {
                            io.println(*job, &format!("Receive failed: {e}"));
                            finished = Some((*job, false));
                        }
                        pop3::ClientEvent::Closed => close = true,
                    }
                }
            }
            Op::Imap {
                job,
                client,
                folder,
                task,
                failed,
                ..
            } => {
                while let Some(n) = client.poll_note() {
                    io.note(MailNote::ImapClient(n));
                }
                while let Some(b) = client.poll_output() {
                    io.send(conn, &b);
                }
                while let Some(ev) = client.poll_event() {
                    match ev {
                        imap::ClientEvent::LoggedOut | imap::ClientEvent::Bye(_) => {
                            close = true;
                        }
                        imap::ClientEvent::TimedOut => {
                            *failed = Some("no answer from the IMAP server".into());
                            close = true;
                        }
                        imap::ClientEvent::Failed { request, text, .. } => {
                            let what = match &request {
                                Request::Login { .. } => "login refused",
                                _ => "refused",
                            };
                            io.println(*job, &format!("IMAP server: {what}: {text}"));
                            if failed.is_none() {
                                *failed = Some(text);
                            }
                            if matches!(request, Request::Login { .. }) {
                                close = true;
                            }
                        }
                        other => imap_events.push(other),
                    }
                }
                if close {
                    let ok = failed.is_none();
                    finished = Some((*job, ok));
                }
                let (job, folder, task) = (*job, folder.clone(), task.clone());
                for ev in imap_events.drain(..) {
                    self.imap_event(io, job, &folder, &task, ev);
                }
            }
        }
        for m in new_msgs {
            self.add_message(m);
        }
        if let Some(id) = mark_answered
            && let Some(m) = self.messages.iter_mut().find(|m| m.id == id)
        {
            m.answered = true;
        }
        if close {
            io.close(conn);
        }
        if let Some((job, ok)) = finished {
            io.finish(job, ok);
            self.conns.remove(&conn);
        }
    }

    fn imap_event(
        &mut self,
        io: &mut dyn MailIo,
        job: JobId,
        folder: &str,
        task: &Task,
        ev: imap::ClientEvent,
    ) {
        match ev {
            imap::ClientEvent::Folders(list) => {
                for f in list {
                    if !self.folders.contains(&f.name) {
                        self.folders.push(f.name);
                    }
                }
            }
            imap::ClientEvent::FolderCreated(name) => {
                io.println(job, &format!("Folder {name} created."));
            }
            imap::ClientEvent::Moved { to, uids } => {
                io.println(job, &format!("{} message(s) moved to {to}.", uids.len()));
            }
            imap::ClientEvent::Expunged(uids) => {
                io.println(job, &format!("{} message(s) deleted.", uids.len()));
            }
            imap::ClientEvent::FlagsSet(list) => {
                io.println(job, &format!("Flags changed on {} message(s).", list.len()));
            }
            imap::ClientEvent::Body { uid, raw } => {
                let raw = String::from_utf8_lossy(&raw).into_owned();
                let full = Self::from_raw(&raw, folder);
                if let Some(m) = self
                    .messages
                    .iter_mut()
                    .find(|m| m.folder == folder && m.uid == Some(uid))
                {
                    m.body = full.body;
                    m.downloaded = true;
                    m.read = true;
                    if *task == Task::Read(uid) {
                        let text = format!(
                            "From: {}\nTo: {}\nSubject: {}\nDate: {}\n\n{}",
                            m.from, m.to, m.subject, m.date, m.body
                        );
                        io.println(job, text.trim_end());
                    }
                }
            }
            imap::ClientEvent::Messages(list) => {
                let before = self.messages.iter().filter(|m| m.folder == folder).count();
                let keep: Vec<u32> = list.iter().map(|s| s.uid).collect();
                self.messages
                    .retain(|m| m.folder != folder || m.uid.is_some_and(|u| keep.contains(&u)));
                let mut added = 0;
                for s in list {
                    let flags = &s.flags;
                    if let Some(m) = self
                        .messages
                        .iter_mut()
                        .find(|m| m.folder == folder && m.uid == Some(s.uid))
                    {
                        m.read = flags.contains(&Flag::Seen);
                        m.answered = flags.contains(&Flag::Answered);
                        m.flagged = flags.contains(&Flag::Flagged);
                        m.deleted = flags.contains(&Flag::Deleted);
                        continue;
                    }
                    let env = s.envelope.clone().unwrap_or_default();
                    added += 1;
                    self.add_message(LocalMessage {
                        id: 0,
                        folder: folder.to_string(),
                        uid: Some(s.uid),
                        uidl: None,
                        from: imap_addrs(&env.from),
                        to: imap_addrs(&env.to),
                        subject: env.subject.unwrap_or_default(),
                        date: env.date.unwrap_or_default(),
                        body: String::new(),
                        downloaded: false,
                        read: flags.contains(&Flag::Seen),
                        answered: flags.contains(&Flag::Answered),
                        flagged: flags.contains(&Flag::Flagged),
                        deleted: flags.contains(&Flag::Deleted),
                        size: s.size,
                    });
                }
                let now_n = self.messages.iter().filter(|m| m.folder == folder).count();
                if *task == Task::Sync {
                    io.println(
                        job,
                        &format!("{folder}: {now_n} message(s), {added} new (was {before})."),
                    );
                }
            }
            _ => {}
        }
    }
}
