//! The IMAP4rev1 server session (RFC 3501 §3 states, §6 commands), sans-IO.
//!
//! One [`Server`] per TCP connection. Bytes go in with
//! [`StreamServer::handle_input`] together with the device's [`MailStore`];
//! responses come out of [`StreamServer::poll_output`]. Several sessions on one
//! account learn of each other's changes from the store's change log: the
//! host calls [`StreamServer::handle_context_change`] on the other sessions when one
//! reports [`Event::FolderChanged`] (this is how IDLE pushes updates).
//!
//! RFC 3501 §3: "Once the connection between client and server is
//! established, an IMAP4rev1 connection is in one of four states."
//! RFC 3501 §5.4: "If a server has an inactivity autologout timer, the
//! duration of that timer MUST be at least 30 minutes."

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use super::command::{Command, CommandKind, peek_tag};
use super::frame::{Frame, Framer, MAX_LITERAL};
use super::note::{Event, Note};
use super::response::{Code, Response, Status};
use super::selected::Selection;
use super::types::{Flag, MailboxName};
use crate::SimTime;
use crate::mail::{self, AccountId, MailStore};
use crate::stream::StreamServer;

/// What the server advertises (RFC 3501 §6.1.1 and extensions). LITERAL+
/// (RFC 7888) includes LITERAL-: non-synchronising literals of any size.
pub const CAPABILITIES: [&str; 12] = [
    "IMAP4rev1",
    "LITERAL+",
    "IDLE",
    "NAMESPACE",
    "ID",
    "ENABLE",
    "CHILDREN",
    "SPECIAL-USE",
    "MOVE",
    "UIDPLUS",
    "UNSELECT",
    "CONDSTORE",
];

/// What `ID` answers (RFC 2971 §3.3).
pub const SERVER_ID: &str = "ID (\"name\" \"lanlab\" \"vendor\" \"lanlab\")";

/// Server settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// Name in the greeting, e.g. `mail.hasan.com`.
    pub hostname: String,
    /// Inactivity autologout; raised to 30 minutes if set lower (RFC 3501 §5.4).
    pub autologout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            hostname: "mail".into(),
            autologout: Duration::from_secs(30 * 60),
        }
    }
}

/// The session state (RFC 3501 §3).
#[derive(Clone, Debug)]
pub(crate) enum State {
    NotAuthenticated,
    Authenticated(AccountId),
    Selected(AccountId, Box<Selection>),
    Logout,
}

/// An IMAP server session for one connection.
#[derive(Clone, Debug)]
pub struct Server {
    config: ServerConfig,
    pub(crate) state: State,
    framer: Framer,
    out: Vec<u8>,
    events: VecDeque<Event>,
    pub(crate) notes: VecDeque<Note>,
    last_activity: SimTime,
    idle_tag: Option<String>,
    /// UIDNEXT of each folder when this session last selected it (for \Recent).
    pub(crate) seen_uidnext: BTreeMap<String, u32>,
    /// CONDSTORE is on (RFC 7162 §3.1): a "CONDSTORE enabling command" was
    /// seen, so FETCH responses about flag changes carry MODSEQ.
    pub(crate) condstore: bool,
}

/// Converts IMAP flags to the store's (dropping `\Recent`, which is session state).
pub(crate) fn to_store(flags: &[Flag]) -> mail::Flags {
    flags
        .iter()
        .filter_map(|f| {
            Some(match f {
                Flag::Seen => mail::Flag::Seen,
                Flag::Answered => mail::Flag::Answered,
                Flag::Flagged => mail::Flag::Flagged,
                Flag::Deleted => mail::Flag::Deleted,
                Flag::Draft => mail::Flag::Draft,
                Flag::Recent => return None,
                Flag::Keyword(k) => mail::Flag::Keyword(k.clone()),
            })
        })
        .collect()
}

/// Converts the store's flags to IMAP flags, adding `\Recent` if asked.
pub(crate) fn from_store(flags: &mail::Flags, recent: bool) -> Vec<Flag> {
    let mut v: Vec<Flag> = flags
        .iter()
        .map(|f| match f {
            mail::Flag::Seen => Flag::Seen,
            mail::Flag::Answered => Flag::Answered,
            mail::Flag::Flagged => Flag::Flagged,
            mail::Flag::Deleted => Flag::Deleted,
            mail::Flag::Draft => Flag::Draft,
            mail::Flag::Keyword(k) => Flag::Keyword(k.clone()),
        })
        .collect();
    if recent {
        v.push(Flag::Recent);
    }
    v
}

impl Server {
    /// A new session; the greeting is queued at once (RFC 3501 §7.1.1).
    pub fn new(config: ServerConfig, now: SimTime) -> Self {
        let mut s = Server {
            config,
            state: State::NotAuthenticated,
            framer: Framer::new(true),
            out: Vec::new(),
            events: VecDeque::new(),
            notes: VecDeque::new(),
            last_activity: now,
            idle_tag: None,
            seen_uidnext: BTreeMap::new(),
            condstore: false,
        };
        let caps = CAPABILITIES.map(String::from).to_vec();
        let text = format!("{} IMAP4rev1 server ready", s.config.hostname);
        s.send(Response::untagged(
            Status::Ok,
            Some(Code::Capability(caps)),
            text,
        ));
        s.notes.push_back(Note::Greeting);
        s
    }

    /// `not authenticated`, `authenticated`, `selected` or `logout`.
    pub fn state_name(&self) -> &'static str {
        match self.state {
            State::NotAuthenticated => "not authenticated",
            State::Authenticated(_) => "authenticated",
            State::Selected(..) => "selected",
            State::Logout => "logout",
        }
    }

    /// The logged-in account.
    pub fn account(&self) -> Option<&AccountId> {
        match &self.state {
            State::Authenticated(a) | State::Selected(a, _) => Some(a),
            _ => None,
        }
    }

    /// The selected folder's name.
    pub fn selected(&self) -> Option<&str> {
        match &self.state {
            State::Selected(_, s) => Some(&s.name),
            _ => None,
        }
    }

    /// `true` while the client is in IDLE.
    pub fn is_idle(&self) -> bool {
        self.idle_tag.is_some()
    }

    pub(crate) fn send(&mut self, r: Response) {
        self.out.extend_from_slice(&r.to_bytes());
    }

    pub(crate) fn event(&mut self, e: Event) {
        self.events.push_back(e);
    }

    pub(crate) fn finish(
        &mut self,
        tag: &str,
        status: Status,
        code: Option<Code>,
        text: impl Into<String>,
    ) {
        let text = text.into();
        if status != Status::Ok {
            self.notes.push_back(Note::Refused {
                tag: tag.to_string(),
                status,
                reason: text.clone(),
            });
        }
        self.send(Response::tagged(tag, status, code, text));
    }

    fn end_idle(&mut self, tag: &str, line: &[u8]) {
        self.notes.push_back(Note::Idle { start: false });
        if line.trim_ascii().eq_ignore_ascii_case(b"DONE") {
            self.finish(tag, Status::Ok, None, "IDLE terminated");
        } else {
            self.finish(tag, Status::Bad, None, "expected DONE to end IDLE");
        }
    }

    fn autologout(&self) -> Duration {
        self.config.autologout.max(Duration::from_secs(30 * 60))
    }

    /// Sends what other sessions changed in the selected folder.
    pub(crate) fn sync(&mut self, store: &MailStore, allow_expunge: bool) {
        let condstore = self.condstore;
        if let State::Selected(acc, sel) = &mut self.state {
            let mut out = Vec::new();
            sel.sync(
                store,
                acc,
                allow_expunge,
                condstore,
                &mut out,
                &mut self.notes,
            );
            for r in out {
                self.send(r);
            }
        }
    }

    fn handle_line(&mut self, now: SimTime, line: &[u8], store: &mut MailStore) {
        if line.trim_ascii().is_empty() {
            return;
        }
        let cmd = match Command::parse(line) {
            Ok(c) => c,
            Err(e) => {
                let tag = peek_tag(line).unwrap_or_else(|| "*".into());
                self.finish(&tag, Status::Bad, None, format!("syntax error: {e}"));
                return;
            }
        };
        let tag = cmd.tag.clone();
        let name = cmd.kind.name();
        use CommandKind as K;
        let allowed = match (&self.state, &cmd.kind) {
            (_, K::Capability | K::Noop | K::Logout | K::Id(_)) => true,
            // RFC 5161 §3.1: "The ENABLE command is only valid in the
            // authenticated state".
            (State::Selected(..), K::Enable(_)) => false,
            (State::NotAuthenticated, K::Login { .. } | K::Authenticate(_) | K::StartTls) => true,
            (State::NotAuthenticated, _) => false,
            (_, K::Login { .. } | K::Authenticate(_) | K::StartTls) => false,
            (State::Authenticated(_), K::Check | K::Close | K::Unselect | K::Expunge(_))
            | (
                State::Authenticated(_),
                K::Search { .. }
                | K::Fetch { .. }
                | K::Store { .. }
                | K::Copy { .. }
                | K::Move { .. },
            ) => false,
            _ => true,
        };
        if !allowed {
            let state = self.state_name();
            self.notes.push_back(Note::WrongState {
                tag: tag.clone(),
                command: name,
                state,
            });
            let hint = match self.state {
                State::NotAuthenticated => "log in first",
                State::Selected(..) if matches!(cmd.kind, K::Enable(_)) => {
                    "ENABLE comes before SELECT"
                }
                State::Authenticated(_) => "select a mailbox first",
                _ => "already logged in",
            };
            self.send(Response::tagged(
                &tag,
                Status::Bad,
                None,
                format!("{name} not allowed in the {state} state: {hint}"),
            ));
            return;
        }
        match cmd.kind {
            K::Capability => {
                self.send(Response::Capability(
                    CAPABILITIES.map(String::from).to_vec(),
                ));
                self.finish(&tag, Status::Ok, None, "CAPABILITY completed");
            }
            K::Noop => {
                self.sync(store, true);
                self.finish(&tag, Status::Ok, None, "NOOP completed");
            }
            K::Logout => {
                self.send(Response::untagged(
                    Status::Bye,
                    None,
                    "IMAP4rev1 server logging out",
                ));
                self.finish(&tag, Status::Ok, None, "LOGOUT completed");
                self.notes.push_back(Note::Logout);
                self.state = State::Logout;
                self.event(Event::Closed);
            }
            K::Login { user, password } => match store.authenticate(&user, &password) {
                Ok(id) => {
                    self.notes.push_back(Note::Login {
                        tag: tag.clone(),
                        user: user.clone(),
                        failure: None,
                    });
                    let caps = CAPABILITIES.map(String::from).to_vec();
                    self.send(Response::tagged(
                        &tag,
                        Status::Ok,
                        Some(Code::Capability(caps)),
                        format!("LOGIN completed, welcome {id}"),
                    ));
                    self.event(Event::LoggedIn(id.clone()));
                    self.state = State::Authenticated(id);
                }
                Err(e) => {
                    self.notes.push_back(Note::Login {
                        tag: tag.clone(),
                        user: user.clone(),
                        failure: Some(e.to_string()),
                    });
                    self.event(Event::LoginFailed { user });
                    self.send(Response::tagged(
                        &tag,
                        Status::No,
                        None,
                        format!("LOGIN failed: {e}"),
                    ));
                }
            },
            K::Authenticate(m) => self.finish(
                &tag,
                Status::No,
                None,
                format!("AUTHENTICATE {m} is not supported; use LOGIN"),
            ),
            K::StartTls => self.finish(
                &tag,
                Status::No,
                None,
                "STARTTLS is not available in this lab",
            ),
            K::Namespace => {
                // RFC 2342 §5: one personal namespace, no prefix, "/" as the
                // hierarchy delimiter; no other users' or shared namespaces.
                self.send(Response::Data(format!(
                    "NAMESPACE ((\"\" \"{}\")) NIL NIL",
                    mail::DELIMITER
                )));
                self.finish(&tag, Status::Ok, None, "NAMESPACE completed");
            }
            K::Id(fields) => {
                let client = fields
                    .iter()
                    .find(|(f, _)| f.eq_ignore_ascii_case("name"))
                    .and_then(|(_, v)| v.clone());
                self.notes.push_back(Note::Done {
                    command: "ID",
                    detail: client.map_or("client gave no name".into(), |n| format!("client {n}")),
                });
                self.send(Response::Data(SERVER_ID.into()));
                self.finish(&tag, Status::Ok, None, "ID completed");
            }
            K::Enable(caps) => {
                // RFC 5161 §3.1: only extensions the server supports that
                // change its behaviour are enabled: of the advertised ones,
                // CONDSTORE (RFC 7162 §3.1), listed once it is newly on.
                let wanted = caps.iter().any(|c| c == "CONDSTORE");
                let line = if wanted && !self.condstore {
                    "ENABLED CONDSTORE"
                } else {
                    "ENABLED"
                };
                self.condstore |= wanted;
                self.send(Response::Data(line.into()));
                self.finish(&tag, Status::Ok, None, "ENABLE completed");
            }
            K::Select(m, condstore) | K::Examine(m, condstore) => {
                let read_only = name == "EXAMINE";
                // RFC 7162 §3.1.8: `SELECT box (CONDSTORE)` enables CONDSTORE.
                self.condstore |= condstore;
                self.select(&tag, &m, read_only, store);
            }
            K::Idle => {
                self.send(Response::Continue("idling".into()));
                self.notes.push_back(Note::Idle { start: true });
                self.idle_tag = Some(tag);
                self.sync(store, true);
            }
            K::Create(_) | K::Delete(_) | K::Rename(..) | K::Subscribe(_) | K::Unsubscribe(_) => {
                self.folder_command(&tag, cmd.kind, store);
            }
            K::List(r, p) => self.list(&tag, &r, &p, false, store),
            K::Lsub(r, p) => self.list(&tag, &r, &p, true, store),
            K::Status(m, items) => self.status(&tag, &m, &items, store),
            K::Append {
                mailbox,
                flags,
                date,
                message,
            } => self.append(now, &tag, &mailbox, &flags, date, &message, store),
            other => self.selected_command(now, &tag, other, store),
        }
    }

    pub(crate) fn account_id(&self) -> AccountId {
        self.account().cloned().unwrap_or_else(|| AccountId {
            domain: String::new(),
            user: String::new(),
        })
    }

    fn select(&mut self, tag: &str, m: &MailboxName, read_only: bool, store: &MailStore) {
        let acc = self.account_id();
        let was_selected = matches!(self.state, State::Selected(..));
        // RFC 3501 §6.3.1: "If the client is permitted to modify the mailbox
        // ... a failed SELECT ... leaves no mailbox selected".
        self.state = State::Authenticated(acc.clone());
        if was_selected {
            self.send(Response::untagged(
                Status::Ok,
                Some(Code::Closed),
                "previous mailbox closed",
            ));
        }
        let known = self.seen_uidnext.get(m.as_str()).copied();
        match Selection::open(store, &acc, m.as_str(), read_only, known) {
            Ok((sel, responses)) => {
                for r in responses {
                    self.send(r);
                }
                self.notes.push_back(Note::Selected {
                    mailbox: sel.name.clone(),
                    exists: sel.uids.len() as u32,
                    recent: sel.recent.len() as u32,
                    read_only,
                });
                if !read_only {
                    self.seen_uidnext.insert(sel.name.clone(), sel.uidnext);
                }
                self.state = State::Selected(acc, Box::new(sel));
                let (code, what) = if read_only {
                    (Code::ReadOnly, "EXAMINE")
                } else {
                    (Code::ReadWrite, "SELECT")
                };
                self.finish(tag, Status::Ok, Some(code), format!("{what} completed"));
            }
            Err(e) => self.finish(tag, Status::No, None, format!("{e}")),
        }
    }
}

impl StreamServer for Server {
    type Context = MailStore;
    type Note = Note;
    type Event = Event;

    /// Whether the session is over (LOGOUT, autologout or the connection ended).
    fn is_closed(&self) -> bool {
        matches!(self.state, State::Logout)
    }

    /// Feeds bytes from the client, in chunks of any size.
    fn handle_input(&mut self, now: SimTime, bytes: &[u8], store: &mut MailStore) {
        if matches!(self.state, State::Logout) {
            return;
        }
        self.last_activity = now;
        self.framer.push(bytes);
        while let Some(frame) = self.framer.next_frame() {
            match frame {
                Frame::Continue => self.send(Response::Continue("Ready for literal data".into())),
                Frame::LineTooLong { tag } => {
                    let tag = tag.unwrap_or_else(|| "*".into());
                    self.finish(&tag, Status::Bad, None, "line too long");
                }
                Frame::LiteralTooLarge { tag, size } => {
                    let tag = tag.unwrap_or_else(|| "*".into());
                    let text = format!(
                        "literal of {size} octets is larger than the limit of {MAX_LITERAL}"
                    );
                    self.finish(&tag, Status::No, Some(Code::TooBig), text);
                }
                Frame::Line(line) => {
                    if let Some(tag) = self.idle_tag.take() {
                        self.end_idle(&tag, &line);
                    } else {
                        self.handle_line(now, &line, store);
                    }
                }
            }
            if matches!(self.state, State::Logout) {
                break;
            }
        }
    }

    /// Another session changed the store: in IDLE, push what changed now
    /// (RFC 2177: "the server is now free to send untagged EXISTS, EXPUNGE,
    /// and other messages at any time").
    fn handle_context_change(&mut self, _now: SimTime, store: &MailStore) {
        if self.idle_tag.is_some() {
            self.sync(store, true);
        }
    }

    /// Bytes to send to the client, if any.
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        (!self.out.is_empty()).then(|| std::mem::take(&mut self.out))
    }

    /// The next event for the host.
    fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next note for the inspector.
    fn poll_note(&mut self) -> Option<Note> {
        self.notes.pop_front()
    }

    /// When the autologout timer fires.
    fn poll_timeout(&self) -> Option<SimTime> {
        (!matches!(self.state, State::Logout)).then(|| self.last_activity + self.autologout())
    }

    /// Fires the autologout timer if it is due.
    fn handle_timeout(&mut self, now: SimTime, _store: &mut MailStore) {
        if let Some(t) = self.poll_timeout()
            && now >= t
        {
            let minutes = self.autologout().as_secs() / 60;
            self.send(Response::untagged(
                Status::Bye,
                None,
                format!("Autologout; idle for more than {minutes} minutes"),
            ));
            self.notes.push_back(Note::Autologout { minutes });
            self.state = State::Logout;
            self.event(Event::Closed);
        }
    }

    /// The client closed or the connection was lost: the session ends
    /// without a BYE (there is no one left to read it).
    fn handle_end(&mut self, _now: SimTime, _store: &mut MailStore) {
        if !self.is_closed() {
            self.state = State::Logout;
            self.event(Event::Closed);
        }
    }
}
