//! The IMAP client session of the desktop mail client, sans-IO.
//!
//! The app queues typed [`Request`]s; the client writes one command at a
//! time (RFC 3501 §5.5 allows pipelining, one at a time keeps replies
//! unambiguous), parses the replies and hands back typed [`ClientEvent`]s.
//! Untagged updates from the server (new mail, flags changed or messages
//! expunged by another device) arrive as events too.

use std::collections::VecDeque;
use std::time::Duration;

use super::command::StatusItem;
use super::command::StoreMode;
use super::frame::{Frame, Framer};
use super::reply::parse_response;
use super::requests::Written;
pub use super::requests::{
    ClientEvent, ClientNote, FolderInfo, MailboxInfo, MessageSummary, Request,
};
use super::response::{Code, FetchData, Response, Status};
use super::types::{Flag, SequenceSet};
use crate::SimTime;

/// Sequence numbers above this are not tracked (a hostile server cannot make
/// the client allocate without bound).
const MAX_MESSAGES: u32 = 1 << 20;

/// How long the client waits for a command's completion.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Clone, Debug, Default)]
struct Acc {
    folders: Vec<FolderInfo>,
    messages: Vec<MessageSummary>,
    body: Option<Vec<u8>>,
    flags: Vec<(u32, Vec<Flag>)>,
    search: Vec<u32>,
    expunged: Vec<u32>,
    code: Option<Code>,
    mailbox: MailboxInfo,
    status: Vec<(StatusItem, u64)>,
}

#[derive(Clone, Debug)]
struct Inflight {
    tag: String,
    req: Request,
    acc: Acc,
    literal: Option<Vec<u8>>,
    sent_at: SimTime,
    /// IDLE accepted and DONE not yet sent.
    idling: bool,
}

/// An IMAP client session for one connection.
#[derive(Clone, Debug)]
pub struct Client {
    framer: Framer,
    out: Vec<u8>,
    events: VecDeque<ClientEvent>,
    notes: VecDeque<ClientNote>,
    queue: VecDeque<Request>,
    inflight: Option<Inflight>,
    next_tag: u32,
    greeted: bool,
    closed: bool,
    capabilities: Vec<String>,
    /// UIDs of the selected folder by sequence number (0 = not known yet).
    uids: Vec<u32>,
    selected: Option<String>,
    /// The folders of the last LIST (for `\Trash`).
    folders: Vec<FolderInfo>,
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    /// A client waiting for the server's greeting.
    pub fn new() -> Self {
        Client {
            framer: Framer::new(false),
            out: Vec::new(),
            events: VecDeque::new(),
            notes: VecDeque::new(),
            queue: VecDeque::new(),
            inflight: None,
            next_tag: 1,
            greeted: false,
            closed: false,
            capabilities: Vec::new(),
            uids: Vec::new(),
            selected: None,
            folders: Vec::new(),
        }
    }

    /// Queues a request; it is sent when the previous one has completed.
    pub fn request(&mut self, now: SimTime, req: Request) {
        self.queue.push_back(req);
        // RFC 2177: "The client MUST NOT send a command while the server is
        // waiting for the DONE" — so end the IDLE first.
        if let Some(i) = self.inflight.as_mut()
            && i.req == Request::Idle
            && i.idling
        {
            i.idling = false;
            self.out.extend_from_slice(b"DONE\r\n");
            self.notes.push_back(ClientNote::Sent {
                tag: i.tag.clone(),
                line: "DONE".into(),
            });
        }
        self.pump(now);
    }

    /// The server's capabilities (from the greeting or LOGIN).
    pub fn capabilities(&self) -> &[String] {
        &self.capabilities
    }

    /// Whether the server offers `capability` (`MOVE`, `UIDPLUS`, …).
    pub fn offers(&self, capability: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(capability))
    }

    /// The folder the last LIST marked `\Trash` (RFC 6154), if any.
    pub fn trash_folder(&self) -> Option<&str> {
        self.folders
            .iter()
            .find(|f| f.attrs.iter().any(|a| a.eq_ignore_ascii_case("\\Trash")))
            .map(|f| f.name.as_str())
    }

    /// The commands `req` stands for, by what the server offers: a client
    /// uses an extension only when the server lists it.
    fn expand(&self, req: Request) -> Vec<Request> {
        let erase = |uids: Vec<u32>| {
            if self.offers("UIDPLUS") {
                Request::UidExpunge(uids)
            } else {
                Request::Expunge
            }
        };
        let flag_deleted = |uids: Vec<u32>| Request::SetFlags {
            uids,
            mode: StoreMode::Add,
            flags: vec![Flag::Deleted],
        };
        let move_to = |uids: Vec<u32>, to: String| {
            if self.offers("MOVE") {
                vec![Request::Move { uids, to }]
            } else {
                vec![
                    Request::Copy {
                        uids: uids.clone(),
                        to,
                    },
                    flag_deleted(uids.clone()),
                    erase(uids),
                ]
            }
        };
        match req {
            // Nothing to leave when SELECT failed.
            Request::Leave if self.offers("UNSELECT") && self.selected.is_some() => {
                vec![Request::Unselect]
            }
            Request::Leave => Vec::new(),
            Request::Move { uids, to } => move_to(uids, to),
            Request::Trash { uids } => match self.trash_folder() {
                Some(trash) if self.selected.as_deref() != Some(trash) => {
                    move_to(uids, trash.to_string())
                }
                _ => vec![flag_deleted(uids.clone()), erase(uids)],
            },
            req => vec![req],
        }
    }

    /// The selected folder.
    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// `true` when nothing is queued or waiting for a reply (not the IDLE command).
    pub fn is_quiet(&self) -> bool {
        self.inflight.is_none() && self.queue.is_empty()
    }

    fn pump(&mut self, now: SimTime) {
        if !self.greeted || self.closed || self.inflight.is_some() {
            return;
        }
        let req = loop {
            let Some(req) = self.queue.pop_front() else {
                return;
            };
            let mut steps = self.expand(req).into_iter();
            if let Some(first) = steps.next() {
                for (i, step) in steps.enumerate() {
                    self.queue.insert(i, step);
                }
                break first;
            }
        };
        let tag = format!("a{}", self.next_tag);
        self.next_tag += 1;
        if let Request::Select(_) = req {
            // New mailbox, new sequence numbers.
            self.uids.clear();
            self.selected = None;
        }
        let literal_plus = self
            .capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case("LITERAL+"));
        let Written {
            line,
            literal,
            shown,
        } = req.write(literal_plus);
        let text = format!("{tag} {shown}");
        self.notes.push_back(ClientNote::Sent {
            tag: tag.clone(),
            line: text,
        });
        self.out.extend_from_slice(tag.as_bytes());
        self.out.push(b' ');
        self.out.extend_from_slice(&line);
        self.out.extend_from_slice(b"\r\n");
        self.inflight = Some(Inflight {
            tag,
            req,
            acc: Acc::default(),
            literal,
            sent_at: now,
            idling: false,
        });
    }

    /// Feeds bytes from the server, in chunks of any size.
    pub fn handle_input(&mut self, now: SimTime, bytes: &[u8]) {
        self.framer.push(bytes);
        while let Some(frame) = self.framer.next_frame() {
            let Frame::Line(line) = frame else {
                self.notes
                    .push_back(ClientNote::Unreadable("reply too large".into()));
                continue;
            };
            match parse_response(&line) {
                Ok(r) => self.on_response(now, r),
                Err(e) => self.notes.push_back(ClientNote::Unreadable(e.to_string())),
            }
        }
        self.pump(now);
    }

    fn seq_uid(&self, seq: u32) -> u32 {
        let i = (seq as usize).checked_sub(1);
        i.and_then(|i| self.uids.get(i)).copied().unwrap_or(0)
    }

    fn on_response(&mut self, now: SimTime, r: Response) {
        match r {
            Response::Status {
                tag: None,
                status,
                code,
                text,
            } => {
                if !self.greeted {
                    self.greeted = true;
                    match &code {
                        Some(Code::Capability(c)) => self.capabilities.clone_from(c),
                        // RFC 3501 §6.1.1: ask, as a client does before it
                        // relies on any extension.
                        _ => self.queue.push_front(Request::Capability),
                    }
                    self.events.push_back(ClientEvent::Connected {
                        capabilities: self.capabilities.clone(),
                    });
                    return;
                }
                if status == Status::Bye {
                    self.closed = true;
                    if !matches!(
                        self.inflight.as_ref().map(|i| &i.req),
                        Some(Request::Logout)
                    ) {
                        // The server is going away: nothing queued will be answered.
                        self.inflight = None;
                        self.queue.clear();
                        self.events.push_back(ClientEvent::Bye(text));
                    }
                    return;
                }
                if code == Some(Code::Alert) {
                    self.events.push_back(ClientEvent::Alert(text));
                    return;
                }
                if let Some(i) = self.inflight.as_mut() {
                    match code {
                        Some(Code::UidValidity(n)) => i.acc.mailbox.uidvalidity = n,
                        Some(Code::UidNext(n)) => i.acc.mailbox.uidnext = n,
                        Some(Code::Unseen(n)) => i.acc.mailbox.unseen = Some(n),
                        Some(c @ Code::CopyUid(..)) => i.acc.code = Some(c),
                        _ => {}
                    }
                }
            }
            Response::Status {
                tag: Some(tag),
                status,
                code,
                text,
            } => self.complete(now, &tag, status, code, text),
            Response::Continue(_) => match self.inflight.as_mut() {
                Some(i) if i.req == Request::Idle => {
                    i.idling = true;
                    self.events.push_back(ClientEvent::Idling);
                    if !self.queue.is_empty() {
                        // Something was asked while IDLE was on its way.
                        i.idling = false;
                        self.out.extend_from_slice(b"DONE\r\n");
                    }
                }
                Some(i) => {
                    if let Some(data) = i.literal.take() {
                        self.out.extend_from_slice(&data);
                    }
                }
                None => {}
            },
            Response::Capability(c) => self.capabilities = c,
            Response::List {
                attrs,
                delimiter,
                name,
                ..
            } => {
                if let Some(i) = self.inflight.as_mut() {
                    i.acc.folders.push(FolderInfo {
                        name,
                        delimiter,
                        attrs,
                    });
                }
            }
            Response::Search(ns) | Response::SearchModseq(ns, _) => {
                if let Some(i) = self.inflight.as_mut() {
                    i.acc.search.extend(ns);
                }
            }
            Response::Exists(n) => {
                let selecting = matches!(
                    self.inflight.as_ref().map(|i| &i.req),
                    Some(Request::Select(_))
                );
                let grew = n as usize > self.uids.len();
                self.uids.resize(n.min(MAX_MESSAGES) as usize, 0);
                if let Some(i) = self.inflight.as_mut().filter(|_| selecting) {
                    i.acc.mailbox.exists = n;
                } else if grew {
                    self.events.push_back(ClientEvent::NewMail { exists: n });
                }
            }
            Response::Recent(n) => {
                if let Some(i) = self.inflight.as_mut() {
                    i.acc.mailbox.recent = n;
                }
            }
            Response::Expunge(seq) => {
                if seq == 0 || seq as usize > self.uids.len() {
                    return;
                }
                let uid = self.uids.remove(seq as usize - 1);
                match self.inflight.as_mut() {
                    Some(i)
                        if matches!(
                            i.req,
                            Request::Expunge | Request::UidExpunge(_) | Request::Move { .. }
                        ) =>
                    {
                        i.acc.expunged.push(uid)
                    }
                    _ => self.events.push_back(ClientEvent::Gone { uid }),
                }
            }
            Response::Fetch { seq, items } => self.on_fetch(seq, items),
            Response::StatusData { items, .. } => {
                if let Some(i) = self.inflight.as_mut() {
                    i.acc.status = items;
                }
            }
            Response::Flags(_) | Response::Data(_) => {}
        }
    }

    fn on_fetch(&mut self, seq: u32, items: Vec<FetchData>) {
        if seq == 0 || seq > MAX_MESSAGES {
            return;
        }
        let mut m = MessageSummary {
            seq,
            ..MessageSummary::default()
        };
        let mut has_flags = false;
        let mut body = None;
        for item in items {
            match item {
                FetchData::Uid(u) => m.uid = u,
                FetchData::Flags(f) => {
                    m.flags = f;
                    has_flags = true;
                }
                FetchData::Size(n) => m.size = n,
                FetchData::InternalDate(t) => m.internal_date = t,
                FetchData::Envelope(e) => m.envelope = Some(*e),
                FetchData::Bytes { data, .. } => body = data,
                FetchData::Structure(..) | FetchData::Modseq(_) => {}
            }
        }
        if seq as usize > self.uids.len() {
            self.uids.resize(seq as usize, 0);
        }
        if m.uid != 0 {
            self.uids[seq as usize - 1] = m.uid;
        } else {
            m.uid = self.seq_uid(seq);
        }
        match self.inflight.as_mut().map(|i| (&i.req, &mut i.acc)) {
            Some((Request::FetchSummaries, acc)) => acc.messages.push(m),
            Some((Request::FetchBody(uid), acc)) if *uid == m.uid && body.is_some() => {
                acc.body = body
            }
            Some((Request::SetFlags { uids, .. }, acc)) if has_flags && uids.contains(&m.uid) => {
                acc.flags.push((m.uid, m.flags));
            }
            _ if has_flags => self.events.push_back(ClientEvent::FlagsChanged {
                uid: m.uid,
                flags: m.flags,
            }),
            _ => {}
        }
    }

    fn complete(
        &mut self,
        now: SimTime,
        tag: &str,
        status: Status,
        code: Option<Code>,
        text: String,
    ) {
        let Some(i) = self.inflight.take_if(|i| i.tag == tag) else {
            self.notes.push_back(ClientNote::Unreadable(format!(
                "reply for unknown tag {tag}"
            )));
            return;
        };
        self.notes.push_back(ClientNote::Completed {
            tag: tag.into(),
            status,
            text: text.clone(),
        });
        if status != Status::Ok {
            if matches!(i.req, Request::Select(_)) {
                self.selected = None;
                self.uids.clear();
            }
            self.events.push_back(ClientEvent::Failed {
                request: i.req,
                status,
                text,
            });
            return;
        }
        let mut acc = i.acc;
        let ev = match i.req {
            Request::Login { .. } => {
                if let Some(Code::Capability(c)) = code {
                    self.capabilities = c;
                }
                ClientEvent::LoggedIn
            }
            Request::Capability => ClientEvent::Capabilities(self.capabilities.clone()),
            Request::ListFolders => {
                self.folders.clone_from(&acc.folders);
                ClientEvent::Folders(acc.folders)
            }
            Request::Select(name) => {
                acc.mailbox.name.clone_from(&name);
                acc.mailbox.read_only = code == Some(Code::ReadOnly);
                self.selected = Some(name);
                ClientEvent::Selected(acc.mailbox)
            }
            Request::FetchSummaries => ClientEvent::Messages(acc.messages),
            Request::FetchBody(uid) => match acc.body {
                Some(raw) => ClientEvent::Body { uid, raw },
                None => ClientEvent::Failed {
                    request: Request::FetchBody(uid),
                    status: Status::No,
                    text: format!("message UID {uid} no longer exists"),
                },
            },
            Request::SetFlags { .. } => ClientEvent::FlagsSet(acc.flags),
            Request::CreateFolder(n) => ClientEvent::FolderCreated(n),
            Request::DeleteFolder(n) => ClientEvent::FolderDeleted(n),
            Request::RenameFolder { from, to } => ClientEvent::FolderRenamed { from, to },
            Request::Status(folder) => {
                let get = |want: StatusItem| {
                    acc.status
                        .iter()
                        .find(|(i, _)| *i == want)
                        .map_or(0, |(_, n)| u32::try_from(*n).unwrap_or(u32::MAX))
                };
                ClientEvent::FolderStatus {
                    messages: get(StatusItem::Messages),
                    unseen: get(StatusItem::Unseen),
                    uidnext: get(StatusItem::UidNext),
                    folder,
                }
            }
            Request::Copy { to, .. } => {
                let new_uids = match code {
                    Some(Code::CopyUid(_, _, to_set)) => expand(&to_set),
                    _ => Vec::new(),
                };
                ClientEvent::Copied { to, new_uids }
            }
            Request::Move { to, .. } => ClientEvent::Moved {
                to,
                uids: acc.expunged,
            },
            Request::Expunge | Request::UidExpunge(_) => ClientEvent::Expunged(acc.expunged),
            Request::Unselect | Request::Leave => {
                self.selected = None;
                self.uids.clear();
                ClientEvent::Unselected
            }
            // Expanded before they are sent; only a server's odd reply gets here.
            Request::Trash { uids } => ClientEvent::Moved {
                to: self.trash_folder().unwrap_or("Trash").to_string(),
                uids,
            },
            Request::Search(_) => ClientEvent::SearchResult(acc.search),
            Request::Append { folder, .. } => ClientEvent::Appended {
                folder,
                uid: match code {
                    Some(Code::AppendUid(_, u)) => Some(u),
                    _ => None,
                },
            },
            Request::Noop => ClientEvent::NoopDone,
            Request::Idle => ClientEvent::IdleDone,
            Request::Logout => {
                self.closed = true;
                ClientEvent::LoggedOut
            }
        };
        self.events.push_back(ev);
        self.pump(now);
    }

    /// Bytes to send to the server, if any.
    #[must_use]
    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        (!self.out.is_empty()).then(|| std::mem::take(&mut self.out))
    }

    /// The next typed result or update.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// The next note for the inspector.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<ClientNote> {
        self.notes.pop_front()
    }

    /// When the reply to the command in flight is overdue.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        // An IDLE is answered only when it ends: no reply deadline.
        self.inflight
            .as_ref()
            .filter(|i| i.req != Request::Idle)
            .map(|i| i.sent_at + REPLY_TIMEOUT)
    }

    /// Gives up on an overdue reply.
    pub fn handle_timeout(&mut self, now: SimTime) {
        if self.poll_timeout().is_some_and(|t| now >= t) {
            self.inflight = None;
            self.queue.clear();
            self.closed = true;
            self.events.push_back(ClientEvent::TimedOut);
        }
    }
}

/// The numbers of a set without `*` (as in COPYUID).
fn expand(set: &SequenceSet) -> Vec<u32> {
    use super::types::SeqNum;
    let mut out = Vec::new();
    for &(a, b) in &set.0 {
        if let (SeqNum::Value(a), SeqNum::Value(b)) = (a, b) {
            let (lo, hi) = (a.min(b), a.max(b));
            out.extend((lo..=hi).take(10_000));
        }
    }
    out
}
