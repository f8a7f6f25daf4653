//! The POP3 client session of the desktop mail client (Receive).
//!
//! Two modes, as desktop clients offer them: download and delete (the
//! default: RETR then DELE each message, so the next device finds nothing),
//! or leave a copy on the server, remembering each message's unique id
//! (RFC 1939 §7 UIDL: "The unique-id of a message is an arbitrary server-
//! determined string [...] which uniquely identifies a message within a
//! maildrop and which persists across sessions") so only new ones are fetched.

use core::fmt;
use std::collections::{BTreeSet, VecDeque};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::SimTime;
use crate::mail::line::{Line, LineReader};
use crate::mail::md5;

/// How long the client waits for a response before giving up.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// The largest multi-line response accepted (a message), in octets.
pub const MAX_RESPONSE: usize = 32 * 1024 * 1024;

/// How the client logs in.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthMethod {
    /// USER then PASS: the password crosses the wire in clear text.
    #[default]
    UserPass,
    /// APOP: only MD5(timestamp + password) crosses the wire.
    Apop,
}

/// The mail client's incoming-server settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientConfig {
    /// Login name.
    pub user: String,
    /// Password.
    pub password: String,
    /// USER/PASS or APOP.
    pub auth: AuthMethod,
    /// Leave a copy on the server (else download and delete).
    pub leave_copy: bool,
}

/// The UIDLs a client has already downloaded (kept with the client's settings).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UidlMemory(pub BTreeSet<String>);

impl UidlMemory {
    /// Forgets everything: the next Receive fetches all messages again.
    pub fn forget(&mut self) {
        self.0.clear();
    }

    /// Whether `uidl` was downloaded before.
    pub fn contains(&self, uidl: &str) -> bool {
        self.0.contains(uidl)
    }

    /// How many ids are remembered.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One downloaded message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// Its number in this session.
    pub msg: u32,
    /// Its unique id, if the server supports UIDL.
    pub uidl: Option<String>,
    /// The message text (CRLF line ends, dot-unstuffed).
    pub raw: String,
}

/// Counts after a successful Receive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Messages downloaded.
    pub fetched: usize,
    /// Messages deleted on the server.
    pub deleted: usize,
    /// Messages on the server before this session.
    pub on_server: usize,
}

/// Why a Receive failed. The server's status line is kept as it came.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The greeting was `-ERR`.
    #[error("server refused the connection: {0}")]
    Greeting(String),
    /// APOP was asked for, but the greeting has no timestamp.
    #[error("server does not offer APOP (no timestamp in greeting)")]
    NoApop,
    /// USER, PASS or APOP got `-ERR`.
    #[error("login failed: {0}")]
    Login(String),
    /// STAT got `-ERR`.
    #[error("STAT failed: {0}")]
    Stat(String),
    /// RETR got `-ERR`.
    #[error("RETR failed: {0}")]
    Retr(String),
    /// The server did not answer in time.
    #[error("no response from the server (timeout)")]
    TimedOut,
    /// The connection ended (or never opened), for the reason the host gave.
    #[error("{0}")]
    Closed(String),
}

/// Something the host (the mail client app) must act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientEvent {
    /// A message arrived: put it in the local inbox.
    Message(Fetched),
    /// Receive finished: the summary, or why it failed.
    Done(Result<Summary, ClientError>),
    /// Close the connection.
    Closed,
}

/// The client's steps, for the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientNote {
    /// A command was sent (PASS is shown masked).
    Sent {
        /// The command line.
        command: String,
    },
    /// The server answered.
    Response {
        /// Status line.
        line: String,
    },
    /// These messages are new (not in the UIDL memory).
    NewMessages {
        /// How many.
        new: usize,
        /// Total on the server.
        total: usize,
    },
}

impl fmt::Display for ClientNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientNote::Sent { command } => write!(f, "mail client sends {command}"),
            ClientNote::Response { line } => write!(f, "server answers {line}"),
            ClientNote::NewMessages { new, total } => {
                write!(f, "{new} of {total} messages not downloaded before")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Greeting,
    User,
    Pass,
    Apop,
    Stat,
    Uidl,
    Retr(usize),
    Dele(usize),
    Quit,
    Done,
}

/// One POP3 client session (one press of Receive).
#[derive(Clone, Debug)]
pub struct Client {
    config: ClientConfig,
    memory: UidlMemory,
    step: Step,
    reader: LineReader,
    /// Collecting a multi-line response: (status line, body lines, octets).
    multi: Option<(String, Vec<String>, usize)>,
    total: usize,
    uidls: Vec<Option<String>>,
    todo: Vec<u32>,
    summary: Summary,
    error: Option<ClientError>,
    deadline: Option<SimTime>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ClientEvent>,
    notes: VecDeque<ClientNote>,
}

impl Client {
    /// A session that opened its connection at `now`, with the UIDLs
    /// downloaded before (used only when leaving a copy).
    pub fn new(config: ClientConfig, memory: UidlMemory, now: SimTime) -> Client {
        Client {
            config,
            memory,
            step: Step::Greeting,
            reader: LineReader::new(),
            multi: None,
            total: 0,
            uidls: Vec::new(),
            todo: Vec::new(),
            summary: Summary::default(),
            error: None,
            deadline: Some(now + RESPONSE_TIMEOUT),
            output: VecDeque::new(),
            events: VecDeque::new(),
            notes: VecDeque::new(),
        }
    }

    /// The UIDL memory to save after the session.
    pub fn memory(&self) -> &UidlMemory {
        &self.memory
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        self.step == Step::Done
    }

    /// The next bytes to send.
    #[must_use]
    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    /// The next event.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// The next note.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<ClientNote> {
        self.notes.pop_front()
    }

    /// When the wait for a response times out.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        if self.is_closed() {
            None
        } else {
            self.deadline
        }
    }

    /// Gives up if the server has not answered in time.
    pub fn handle_timeout(&mut self, now: SimTime) {
        if self.poll_timeout().is_some_and(|t| now >= t) {
            self.end(ClientError::TimedOut);
        }
    }

    /// The connection closed or could not be opened.
    pub fn handle_closed(&mut self, reason: &str) {
        self.end(ClientError::Closed(reason.to_string()));
    }

    fn end(&mut self, why: ClientError) {
        if self.step != Step::Done {
            if self.step != Step::Quit {
                self.events.push_back(ClientEvent::Done(Err(why)));
            }
            self.step = Step::Done;
            self.events.push_back(ClientEvent::Closed);
        }
    }

    /// Feeds bytes from the server.
    pub fn handle_input(&mut self, now: SimTime, bytes: &[u8]) {
        self.reader.push(bytes);
        while !self.is_closed() {
            let Some(line) = self.reader.next_line(MAX_RESPONSE) else {
                break;
            };
            let Line::Text(line) = line else { continue };
            if let Some((_, body, size)) = &mut self.multi {
                if line == "." {
                    let (status, body, _) = self.multi.take().unwrap_or_default();
                    self.on_response(now, true, &status, body);
                } else {
                    let l = line.strip_prefix('.').map_or(line.clone(), str::to_string);
                    *size += l.len() + 2;
                    if *size <= MAX_RESPONSE {
                        body.push(l);
                    }
                }
                continue;
            }
            let ok = line.starts_with("+OK");
            self.notes
                .push_back(ClientNote::Response { line: line.clone() });
            if ok && self.expects_multi() {
                self.multi = Some((line, Vec::new(), 0));
            } else {
                self.on_response(now, ok, &line, Vec::new());
            }
        }
    }

    fn expects_multi(&self) -> bool {
        matches!(self.step, Step::Uidl | Step::Retr(_))
    }

    fn send(&mut self, now: SimTime, command: String) {
        let shown = if command.starts_with("PASS ") {
            "PASS ********".to_string()
        } else {
            command.clone()
        };
        self.notes.push_back(ClientNote::Sent { command: shown });
        self.output.push_back(format!("{command}\r\n").into_bytes());
        self.deadline = Some(now + RESPONSE_TIMEOUT);
    }

    fn fail(&mut self, now: SimTime, msg: ClientError) {
        self.error = Some(msg);
        self.quit(now);
    }

    fn quit(&mut self, now: SimTime) {
        let result = match self.error.take() {
            Some(e) => Err(e),
            None => Ok(self.summary.clone()),
        };
        self.events.push_back(ClientEvent::Done(result));
        self.step = Step::Quit;
        self.send(now, "QUIT".into());
    }

    fn next_message(&mut self, now: SimTime, from: usize) {
        match self.todo.get(from).copied() {
            Some(n) => {
                self.step = Step::Retr(from);
                self.send(now, format!("RETR {n}"));
            }
            None => self.quit(now),
        }
    }

    fn on_response(&mut self, now: SimTime, ok: bool, status: &str, body: Vec<String>) {
        match self.step.clone() {
            Step::Greeting if !ok => self.fail(now, ClientError::Greeting(status.to_string())),
            Step::Greeting => match self.config.auth {
                AuthMethod::UserPass => {
                    self.step = Step::User;
                    self.send(now, format!("USER {}", self.config.user));
                }
                AuthMethod::Apop => {
                    let stamp = status
                        .find('<')
                        .and_then(|l| status[l..].find('>').map(|r| &status[l..=l + r]));
                    let Some(stamp) = stamp else {
                        return self.fail(now, ClientError::NoApop);
                    };
                    let digest =
                        md5::hex_digest(format!("{stamp}{}", self.config.password).as_bytes());
                    self.step = Step::Apop;
                    self.send(now, format!("APOP {} {digest}", self.config.user));
                }
            },
            Step::User | Step::Pass | Step::Apop if !ok => {
                self.fail(now, ClientError::Login(status.to_string()))
            }
            Step::User => {
                self.step = Step::Pass;
                self.send(now, format!("PASS {}", self.config.password));
            }
            Step::Pass | Step::Apop => {
                self.step = Step::Stat;
                self.send(now, "STAT".into());
            }
            Step::Stat if !ok => self.fail(now, ClientError::Stat(status.to_string())),
            Step::Stat => {
                self.total = status
                    .split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                self.summary.on_server = self.total;
                self.uidls = vec![None; self.total.min(100_000)];
                if self.total == 0 {
                    return self.quit(now);
                }
                self.step = Step::Uidl;
                self.send(now, "UIDL".into());
            }
            Step::Uidl => {
                for l in body {
                    let mut it = l.split_whitespace();
                    if let (Some(n), Some(u)) =
                        (it.next().and_then(|n| n.parse::<usize>().ok()), it.next())
                        && let Some(slot) = n.checked_sub(1).and_then(|i| self.uidls.get_mut(i))
                    {
                        *slot = Some(u.to_string());
                    }
                }
                let all = 1..=self.uidls.len() as u32;
                self.todo = if self.config.leave_copy {
                    let mem = &self.memory;
                    all.filter(|&n| {
                        !self.uidls[n as usize - 1]
                            .as_deref()
                            .is_some_and(|u| mem.contains(u))
                    })
                    .collect()
                } else {
                    all.collect()
                };
                if self.config.leave_copy {
                    // Forget ids of messages no longer on the server.
                    let present = crate::order::set(self.uidls.iter().flatten().cloned());
                    self.memory.0.retain(|u| present.contains(u));
                    self.notes.push_back(ClientNote::NewMessages {
                        new: self.todo.len(),
                        total: self.total,
                    });
                }
                self.next_message(now, 0);
            }
            Step::Retr(_) if !ok => self.fail(now, ClientError::Retr(status.to_string())),
            Step::Retr(i) => {
                let n = self.todo[i];
                let uidl = self.uidls.get(n as usize - 1).cloned().flatten();
                let mut raw = body.join("\r\n");
                raw.push_str("\r\n");
                if let Some(u) = &uidl
                    && self.config.leave_copy
                {
                    self.memory.0.insert(u.clone());
                }
                self.summary.fetched += 1;
                self.events
                    .push_back(ClientEvent::Message(Fetched { msg: n, uidl, raw }));
                if self.config.leave_copy {
                    self.next_message(now, i + 1);
                } else {
                    self.step = Step::Dele(i);
                    self.send(now, format!("DELE {n}"));
                }
            }
            Step::Dele(i) => {
                if ok {
                    self.summary.deleted += 1;
                }
                self.next_message(now, i + 1);
            }
            Step::Quit | Step::Done => {
                self.step = Step::Done;
                self.events.push_back(ClientEvent::Closed);
            }
        }
    }
}
