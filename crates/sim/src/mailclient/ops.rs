//! The mail client's buttons: Send, Reply, Receive, Read, Delete, Move,
//! Mark, folders, Search. Each opens one connection and queues its steps.

use lanlab_proto::imap::{self, Flag, Request, StoreMode};
use lanlab_proto::mail::{Draft, Message, date};
use lanlab_proto::pop3;
use lanlab_proto::smtp;

use super::{IncomingProto, MailClient, MailClientError, MailOp, MarkFlag, Op, Task, server_addr};
use crate::job::JobId;
use crate::services::mail::{MailIo, MailProto};

impl MailClient {
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
                return Self::fail(io, job, &MailClientError::BadAddress(e));
            }
        };
        if env.to.is_empty() {
            return Self::fail(io, job, &MailClientError::NoRecipient);
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
        self.refile(conn);
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
                self.refile(conn);
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
        // Done with the folder: UNSELECT where offered (RFC 3691), which
        // unlike CLOSE erases nothing.
        client.request(now, Request::Leave);
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
        self.refile(conn);
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

    /// Delete: POP3 removes it locally; IMAP moves it to the `\Trash`
    /// folder (`UID MOVE`), or where there is none (or it is already in
    /// Trash) flags it `\Deleted` and erases it (`UID EXPUNGE`).
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
            vec![Request::Trash { uids: vec![uid] }],
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
            MailOp::Search { folder, text } => self.imap_task(
                io,
                job,
                folder,
                Task::Search,
                vec![Request::Search(imap::SearchKey::Text(text.clone()))],
            ),
            MailOp::ForgetUidls => {
                let n = self.uidls.len();
                self.forget_uidls();
                io.println(job, &format!("Forgot {n} downloaded message id(s)."));
                io.finish(job, true);
            }
        }
    }
}
