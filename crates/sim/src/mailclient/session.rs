//! The mail client's running connections: bytes in, replies parsed by
//! the proto engines, the local mailbox updated, the job told.

use std::net::SocketAddrV4;

use lanlab_proto::SimTime;
use lanlab_proto::imap::{self, Flag, Request};
use lanlab_proto::pop3;
use lanlab_proto::smtp;

use super::{LocalMessage, MailClient, MailFailure, Op, Task, imap_addrs};
use crate::job::JobId;
use crate::services::app::TcpEnd;
use crate::services::mail::app::end_words;
use crate::services::mail::{ConnId, MailIo, MailNote, MailProto};

impl MailClient {
    /// Bytes arrived on one of the client's connections.
    pub fn data(&mut self, io: &mut dyn MailIo, conn: ConnId, bytes: &[u8]) {
        let now = io.now();
        match self.conns.get_mut(&conn) {
            Some(Op::Send { client, .. }) => client.handle_input(now, bytes),
            Some(Op::Pop3 { client, .. }) => client.handle_input(now, bytes),
            Some(Op::Imap { client, .. }) => client.handle_input(now, bytes),
            None => return,
        }
        self.drain(io, conn, None);
        self.refile(conn);
    }

    /// A connection the client opened is established.
    pub fn connected(&mut self, conn: ConnId) {
        if self.conns.contains_key(&conn) {
            self.up.insert(conn);
        }
    }

    /// The connection ended (closed, refused, reset, timed out).
    pub fn closed(&mut self, io: &mut dyn MailIo, conn: ConnId, end: TcpEnd) {
        let reason = end_words(end);
        let was_up = self.up.remove(&conn);
        if was_up {
            match self.conns.get_mut(&conn) {
                Some(Op::Send { client, .. }) => client.handle_closed(reason),
                Some(Op::Pop3 { client, .. }) => client.handle_closed(reason),
                Some(Op::Imap { .. }) | None => {}
            }
            self.drain(io, conn, Some(end));
        }
        // Still here: it never connected, or ended before its work was done.
        if let Some(op) = self.conns.remove(&conn) {
            let (proto, server) = match &op {
                Op::Send { server, .. } => (MailProto::Smtp, *server),
                Op::Pop3 { server, .. } => (MailProto::Pop3, *server),
                Op::Imap { server, .. } => (MailProto::Imap, *server),
            };
            let job = op.job();
            let why = match &op {
                Op::Imap {
                    failed: Some(f), ..
                } => f.clone(),
                _ if was_up => MailFailure::Ended { proto, server, end },
                _ => MailFailure::Unreachable { proto, server, end },
            };
            if was_up {
                io.println(
                    job,
                    &format!("the {proto} server at {server} ended the session: {reason}"),
                );
            } else {
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
            io.failed(job, why);
            io.finish(job, false);
        }
        self.refile(conn);
    }

    /// The reply timer of connection `conn`'s client.
    fn conn_timeout(&self, conn: ConnId) -> Option<SimTime> {
        match self.conns.get(&conn)? {
            Op::Send { client, .. } => client.poll_timeout(),
            Op::Pop3 { client, .. } => client.poll_timeout(),
            Op::Imap { client, .. } => client.poll_timeout(),
        }
    }

    /// Files connection `conn`'s timer again after it changed (or left).
    pub(super) fn refile(&mut self, conn: ConnId) {
        let t = self.conn_timeout(conn);
        self.timers.set(conn, t);
    }

    /// When [`MailClient::handle_timeout`] is next due.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        debug_assert_eq!(
            self.timers.first(),
            self.conns
                .keys()
                .filter_map(|c| self.conn_timeout(*c))
                .min(),
            "stale mail client timer"
        );
        self.timers.first()
    }

    /// Runs the clients' reply timers.
    pub fn handle_timeout(&mut self, io: &mut dyn MailIo) {
        let now = io.now();
        // The due ones, by connection as a scan visits them.
        let mut conns: Vec<ConnId> = self.timers.due(now).into_iter().map(|(_, c)| c).collect();
        conns.sort_unstable();
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
                self.drain(io, c, None);
            }
            self.refile(c);
        }
    }

    /// Carries out what a connection's client wants; `end` is how the
    /// connection ended, when that is why the client stopped.
    fn drain(&mut self, io: &mut dyn MailIo, conn: ConnId, end: Option<TcpEnd>) {
        let Some(op) = self.conns.get_mut(&conn) else {
            return;
        };
        let mut close = false;
        let mut finished: Option<(JobId, bool)> = None;
        let mut failure: Option<MailFailure> = None;
        let mut mark_answered = None;
        let mut new_msgs: Vec<LocalMessage> = Vec::new();
        let mut imap_events = Vec::new();
        match op {
            Op::Send {
                job,
                client,
                reply_to,
                server,
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
                                failure = Some(smtp_failure(&o, *server, end));
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
                server,
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
                                    "Received {} new message(s); the server had {}, {} deleted there.",
                                    s.fetched, s.on_server, s.deleted
                                ),
                            );
                            self.uidls = client.memory().clone();
                            finished = Some((*job, true));
                        }
                        pop3::ClientEvent::Done(Err(e)) => {
                            io.println(*job, &format!("Receive failed: {e}"));
                            failure = Some(pop3_failure(e, *server, end));
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
                server,
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
                            *failed = Some(MailFailure::NoAnswer {
                                proto: MailProto::Imap,
                                server: *server,
                            });
                            close = true;
                        }
                        imap::ClientEvent::Failed { request, text, .. } => {
                            let what = match &request {
                                Request::Login { .. } => "login refused",
                                _ => "refused",
                            };
                            io.println(*job, &format!("IMAP server: {what}: {text}"));
                            if failed.is_none() {
                                let proto = MailProto::Imap;
                                *failed = Some(match &request {
                                    Request::Login { .. } => {
                                        MailFailure::LoginRefused { proto, reply: text }
                                    }
                                    _ => MailFailure::Refused { proto, reply: text },
                                });
                            }
                            if matches!(request, Request::Login { .. }) {
                                close = true;
                            }
                        }
                        other => imap_events.push(other),
                    }
                }
                if close {
                    failure.clone_from(failed);
                    finished = Some((*job, failed.is_none()));
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
            if let Some(why) = failure {
                io.failed(job, why);
            }
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
            imap::ClientEvent::SearchResult(uids) => {
                self.search_hits = uids;
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
                if *task == Task::Search {
                    let hits: Vec<&LocalMessage> = self
                        .messages
                        .iter()
                        .filter(|m| {
                            m.folder == folder
                                && m.uid.is_some_and(|u| self.search_hits.contains(&u))
                        })
                        .collect();
                    io.println(
                        job,
                        &format!("{} message(s) found on the server:", hits.len()),
                    );
                    for m in hits {
                        io.println(job, &format!("  {}  {}  {}", m.id, m.from, m.subject));
                    }
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

/// Why a Send failed: the server's refusal, or how the connection ended.
fn smtp_failure(o: &smtp::Outcome, server: SocketAddrV4, end: Option<TcpEnd>) -> MailFailure {
    let proto = MailProto::Smtp;
    match (o, end) {
        (smtp::Outcome::Failed { reply: Some(r), .. }, _) => MailFailure::Refused {
            proto,
            reply: r.to_string(),
        },
        (_, Some(end)) => MailFailure::Ended { proto, server, end },
        (_, None) => MailFailure::NoAnswer { proto, server },
    }
}

/// Why a Receive (POP3) failed.
fn pop3_failure(e: pop3::ClientError, server: SocketAddrV4, end: Option<TcpEnd>) -> MailFailure {
    let proto = MailProto::Pop3;
    match e {
        pop3::ClientError::Login(reply) => MailFailure::LoginRefused { proto, reply },
        pop3::ClientError::Greeting(reply)
        | pop3::ClientError::Stat(reply)
        | pop3::ClientError::Retr(reply) => MailFailure::Refused { proto, reply },
        pop3::ClientError::NoApop => MailFailure::NoApop,
        pop3::ClientError::TimedOut => MailFailure::NoAnswer { proto, server },
        pop3::ClientError::Closed(_) => MailFailure::Ended {
            proto,
            server,
            end: end.unwrap_or(TcpEnd::Closed),
        },
    }
}
