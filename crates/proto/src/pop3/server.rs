//! The POP3 server session (RFC 1939, RFC 2449 CAPA): one per connection to port 110.
//!
//! RFC 1939 §3: "Once the TCP connection has been opened and the POP3 server
//! has sent the greeting, the session enters the AUTHORIZATION state. [...]
//! Once the client has successfully identified itself [...] the server
//! acquires resources associated with the client's maildrop, and the session
//! enters the TRANSACTION state. [...] When the client has issued the QUIT
//! command, the session enters the UPDATE state." §6: "The POP3 server
//! removes all messages marked as deleted from the maildrop". §3: "If a
//! session terminates for some reason other than a client-issued QUIT
//! command, the POP3 session does not enter the UPDATE state and MUST not
//! remove any messages from the maildrop." Autologout: "Such a timer MUST be
//! of at least 10 minutes' duration."

use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::command::{Command, CommandError};
use super::note::{Event, Note};
use crate::SimTime;
use crate::mail::line::{Line, LineReader};
use crate::mail::{AccountId, Flag, FlagOp, Flags, INBOX, LockToken, MailStore, StoreError, md5};
use crate::stream::StreamServer;

/// RFC 2449 §4: "the maximum length of a command line is 255 octets, including the terminating CRLF".
pub const MAX_COMMAND_LINE: usize = 255;

/// Settings of a POP3 server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerConfig {
    /// Seconds idle before autologout (RFC 1939: at least 600).
    pub idle_timeout_secs: u64,
    /// Whether APOP is offered.
    pub apop: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            idle_timeout_secs: 600,
            apop: true,
        }
    }
}

/// The greeting timestamp of RFC 1939 §7 ("syntax of a msg-id"): `<n.t@host>`
/// from a per-server counter and the virtual time in seconds.
pub fn apop_stamp(counter: u64, now: SimTime, host: &str) -> String {
    format!("<{counter}.{}@{host}>", now.as_micros() / 1_000_000)
}

/// One message as the session sees it (snapshot taken at login).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    uid: u32,
    size: usize,
    deleted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    Authorization {
        user: Option<String>,
    },
    Transaction {
        account: AccountId,
        lock: LockToken,
        uidvalidity: u32,
        entries: Vec<Entry>,
    },
    Closed,
}

/// One POP3 server session.
#[derive(Clone, Debug)]
pub struct Server {
    config: ServerConfig,
    stamp: String,
    state: State,
    reader: LineReader,
    last_input: SimTime,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
    notes: VecDeque<Note>,
    /// `AUTH PLAIN` was given without an initial response: the next line is
    /// the client's base64 response (RFC 5034 §4).
    sasl_pending: bool,
}

/// The SASL mechanisms `AUTH` offers (RFC 5034, RFC 4616).
pub const SASL_MECHANISMS: &str = "PLAIN";

impl Server {
    /// A session that connected at `now`, greeting with `stamp` (see [`apop_stamp`]).
    pub fn new(config: ServerConfig, stamp: String, now: SimTime) -> Server {
        let mut s = Server {
            config,
            state: State::Authorization { user: None },
            reader: LineReader::new(),
            last_input: now,
            output: VecDeque::new(),
            events: VecDeque::new(),
            notes: VecDeque::new(),
            sasl_pending: false,
            stamp: stamp.clone(),
        };
        s.ok(format!("POP3 server ready {stamp}"));
        s.notes.push_back(Note::Greeted { stamp });
        s
    }

    /// The logged-in account, in TRANSACTION state.
    pub fn account(&self) -> Option<&AccountId> {
        match &self.state {
            State::Transaction { account, .. } => Some(account),
            _ => None,
        }
    }

    fn release(&mut self, store: &mut MailStore) {
        if let State::Transaction { account, lock, .. } = &self.state {
            store.unlock_maildrop(account, *lock);
        }
        self.state = State::Closed;
        self.events.push_back(Event::Closed);
    }

    fn ok(&mut self, text: impl AsRef<str>) {
        let t = text.as_ref();
        let line = if t.is_empty() {
            "+OK\r\n".to_string()
        } else {
            format!("+OK {t}\r\n")
        };
        self.output.push_back(line.into_bytes());
    }

    fn err(&mut self, text: impl AsRef<str>) {
        self.output
            .push_back(format!("-ERR {}\r\n", text.as_ref()).into_bytes());
    }

    fn multi(&mut self, first: String, lines: &[String]) {
        let mut s = format!("+OK {first}\r\n");
        for l in lines {
            if l.starts_with('.') {
                s.push('.');
            }
            s.push_str(l);
            s.push_str("\r\n");
        }
        s.push_str(".\r\n");
        self.output.push_back(s.into_bytes());
    }

    fn command(&mut self, line: &str, store: &mut MailStore) {
        if std::mem::take(&mut self.sasl_pending) {
            return self.sasl_response(line, store);
        }
        let cmd = match Command::parse(line) {
            Ok(c) => c,
            Err(e) => {
                self.notes.push_back(Note::BadCommand {
                    error: e.to_string(),
                });
                return match e {
                    CommandError::Unknown(_) => self.err("unknown command"),
                    CommandError::Syntax(s) => self.err(s),
                };
            }
        };
        if cmd == Command::Capa {
            return self.capa();
        }
        let in_auth = matches!(self.state, State::Authorization { .. });
        let auth_cmd = matches!(
            cmd,
            Command::User(_)
                | Command::Pass(_)
                | Command::Apop(..)
                | Command::Auth(..)
                | Command::Quit
        );
        let trans_cmd = !matches!(
            cmd,
            Command::User(_) | Command::Pass(_) | Command::Apop(..) | Command::Auth(..)
        );
        if (in_auth && !auth_cmd) || (!in_auth && !trans_cmd) {
            self.notes.push_back(Note::WrongState {
                command: cmd.keyword().into(),
                state: if in_auth {
                    "AUTHORIZATION"
                } else {
                    "TRANSACTION"
                }
                .into(),
            });
            return self.err(if in_auth {
                "command not valid in this state: log in first (USER/PASS or APOP)"
            } else {
                "command not valid in this state: already logged in"
            });
        }
        match cmd {
            Command::User(u) => {
                self.notes.push_back(Note::UserGiven { user: u.clone() });
                self.state = State::Authorization { user: Some(u) };
                self.ok("send PASS");
            }
            Command::Pass(p) => {
                let State::Authorization { user: Some(u) } = self.state.clone() else {
                    return self.err("give USER first");
                };
                self.state = State::Authorization { user: None };
                match store.authenticate(&u, &p) {
                    Ok(id) => self.login(id, &u, false, store),
                    Err(e) => self.auth_failed(&u, e),
                }
            }
            Command::Apop(u, digest) => {
                if !self.config.apop {
                    return self.err("APOP not enabled");
                }
                let id = store.find_login(&u);
                let good = id
                    .as_ref()
                    .ok()
                    .and_then(|id| store.account(id))
                    .is_some_and(|a| {
                        md5::hex_digest(format!("{}{}", self.stamp, a.password).as_bytes())
                            == digest
                    });
                match id {
                    Ok(id) if good => self.login(id, &u, true, store),
                    Ok(_) => self.auth_failed(&u, StoreError::AuthFailed),
                    Err(e) => self.auth_failed(&u, e),
                }
            }
            Command::Auth(None, _) => {
                // The RFC 1734 form some clients probe with: list the mechanisms.
                self.multi("SASL mechanisms follow".into(), &[SASL_MECHANISMS.into()]);
            }
            Command::Auth(Some(m), initial) => {
                if m != "PLAIN" {
                    return self.err(format!(
                        "AUTH {m} is not supported; use AUTH {SASL_MECHANISMS}"
                    ));
                }
                match initial {
                    // RFC 5034 §4: "=" is an empty initial response.
                    Some(r) => self.sasl_response(if r == "=" { "" } else { &r }, store),
                    None => {
                        self.sasl_pending = true;
                        self.output.push_back(b"+ \r\n".to_vec());
                    }
                }
            }
            Command::Quit => self.quit(store),
            other => self.transaction(other, store),
        }
    }

    /// The client's `AUTH PLAIN` response (RFC 4616): base64 of
    /// `authzid NUL authcid NUL password`; `*` cancels (RFC 5034 §4).
    fn sasl_response(&mut self, line: &str, store: &mut MailStore) {
        let line = line.trim();
        if line == "*" {
            return self.err("AUTH cancelled");
        }
        let decoded = crate::mail::mime::decode_base64(line);
        let parts: Vec<&[u8]> = decoded.split(|&b| b == 0).collect();
        let [authz, user, pass] = parts.as_slice() else {
            return self
                .err("AUTH PLAIN: the response is not base64 of authzid NUL user NUL password");
        };
        let (user, pass) = (
            String::from_utf8_lossy(user).into_owned(),
            String::from_utf8_lossy(pass).into_owned(),
        );
        if !authz.is_empty() && **authz != *user.as_bytes() {
            self.notes
                .push_back(Note::AuthFailed { user: user.clone() });
            return self.err("[AUTH] cannot act as another user");
        }
        match store.authenticate(&user, &pass) {
            Ok(id) => self.login(id, &user, false, store),
            Err(e) => self.auth_failed(&user, e),
        }
    }

    fn capa(&mut self) {
        // RFC 2449 §6: exactly what this server does. No PIPELINING (each
        // command is answered in turn, but the capability promises more), no
        // LOGIN-DELAY, no STLS.
        let mut caps: Vec<String> = vec![
            "TOP".into(),
            "USER".into(),
            "UIDL".into(),
            "RESP-CODES".into(),
            "AUTH-RESP-CODE".into(),
            format!("SASL {SASL_MECHANISMS}"),
        ];
        caps.push("EXPIRE NEVER".into());
        caps.push("IMPLEMENTATION lanlab".into());
        self.multi("Capability list follows".into(), &caps);
    }

    fn auth_failed(&mut self, user: &str, e: StoreError) {
        self.notes.push_back(Note::AuthFailed { user: user.into() });
        match e {
            StoreError::AmbiguousUser(_) => self.err(format!("[AUTH] {e}")),
            _ => self.err("[AUTH] invalid user name or password"),
        }
    }

    fn login(&mut self, id: AccountId, user: &str, apop: bool, store: &mut MailStore) {
        let lock = match store.lock_maildrop(&id) {
            Ok(l) => l,
            Err(_) => {
                self.notes
                    .push_back(Note::MaildropLocked { user: user.into() });
                return self.err("[IN-USE] maildrop already locked");
            }
        };
        let Ok(inbox) = store.folder(&id, INBOX) else {
            store.unlock_maildrop(&id, lock);
            return self.err("[SYS/PERM] no maildrop");
        };
        let entries: Vec<Entry> = inbox
            .messages()
            .iter()
            .map(|m| Entry {
                uid: m.uid,
                size: m.size(),
                deleted: false,
            })
            .collect();
        let octets: usize = entries.iter().map(|e| e.size).sum();
        let n = entries.len();
        self.notes.push_back(Note::LoggedIn {
            user: user.into(),
            messages: n,
            octets,
            apop,
        });
        self.events.push_back(Event::LoggedIn(id.clone()));
        self.state = State::Transaction {
            account: id,
            lock,
            uidvalidity: inbox.uidvalidity,
            entries,
        };
        self.ok(format!("{n} messages ({octets} octets)"));
    }

    fn quit(&mut self, store: &mut MailStore) {
        self.notes.push_back(Note::SignedOff);
        if let State::Transaction {
            account, entries, ..
        } = &self.state
        {
            let gone: Vec<u32> = entries
                .iter()
                .filter(|e| e.deleted)
                .map(|e| e.uid)
                .collect();
            let removed = store.remove_messages(account, INBOX, &gone);
            let left = store.folder(account, INBOX).map_or(0, |f| f.len());
            self.notes.push_back(Note::Updated {
                deleted: gone.len(),
                left,
            });
            match removed {
                Ok(_) if left == 0 => self.ok("POP3 server signing off (maildrop empty)"),
                Ok(_) => self.ok(format!("POP3 server signing off ({left} messages left)")),
                Err(_) => self.err("some deleted messages not removed"),
            }
        } else {
            self.ok("POP3 server signing off");
        }
        self.release(store);
    }

    fn transaction(&mut self, cmd: Command, store: &mut MailStore) {
        let State::Transaction {
            account,
            uidvalidity,
            entries,
            ..
        } = &mut self.state
        else {
            return;
        };
        let (account, uidvalidity) = (account.clone(), *uidvalidity);
        let mut taken = std::mem::take(entries);
        self.transaction_on(cmd, store, &account, uidvalidity, &mut taken);
        if let State::Transaction { entries, .. } = &mut self.state {
            *entries = taken;
        }
    }

    fn transaction_on(
        &mut self,
        cmd: Command,
        store: &mut MailStore,
        account: &AccountId,
        uidvalidity: u32,
        entries: &mut [Entry],
    ) {
        let live = |e: &Entry| !e.deleted;
        let count = entries.iter().filter(|e| live(e)).count();
        let octets: usize = entries.iter().filter(|e| live(e)).map(|e| e.size).sum();
        // Looks a message number up: Ok(index) or Err(reply text).
        let find = |entries: &[Entry], n: u32| -> Result<usize, String> {
            let i = n as usize - 1;
            match entries.get(i) {
                None => Err(format!(
                    "no such message, only {} messages in maildrop",
                    entries.len()
                )),
                Some(e) if e.deleted => Err(format!("message {n} already deleted")),
                Some(_) => Ok(i),
            }
        };
        match cmd {
            Command::Stat => self.ok(format!("{count} {octets}")),
            Command::List(None) => {
                let lines: Vec<String> = entries
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| live(e))
                    .map(|(i, e)| format!("{} {}", i + 1, e.size))
                    .collect();
                self.multi(format!("{count} messages ({octets} octets)"), &lines);
            }
            Command::List(Some(n)) => match find(entries, n) {
                Ok(i) => {
                    let size = entries[i].size;
                    self.ok(format!("{n} {size}"));
                }
                Err(e) => self.err(e),
            },
            Command::Uidl(None) => {
                let lines: Vec<String> = entries
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| live(e))
                    .map(|(i, e)| format!("{} {uidvalidity}.{}", i + 1, e.uid))
                    .collect();
                self.multi("unique-id listing follows".into(), &lines);
            }
            Command::Uidl(Some(n)) => match find(entries, n) {
                Ok(i) => {
                    let uid = entries[i].uid;
                    self.ok(format!("{n} {uidvalidity}.{uid}"));
                }
                Err(e) => self.err(e),
            },
            Command::Dele(n) => match find(entries, n) {
                Ok(i) => {
                    entries[i].deleted = true;
                    self.notes.push_back(Note::MarkedDeleted { msg: n });
                    self.ok(format!("message {n} deleted"));
                }
                Err(e) => self.err(e),
            },
            Command::Rset => {
                let marked = entries.iter().filter(|e| e.deleted).count();
                entries.iter_mut().for_each(|e| e.deleted = false);
                let (n, o) = (entries.len(), entries.iter().map(|e| e.size).sum::<usize>());
                self.notes.push_back(Note::Unmarked { count: marked });
                self.ok(format!("maildrop has {n} messages ({o} octets)"));
            }
            Command::Noop => self.ok(""),
            Command::Retr(n) | Command::Top(n, _) => {
                let i = match find(entries, n) {
                    Ok(i) => i,
                    Err(e) => return self.err(e),
                };
                let uid = entries[i].uid;
                let Some(raw) = store
                    .folder(account, INBOX)
                    .ok()
                    .and_then(|f| f.get(uid))
                    .map(|m| m.raw.clone())
                else {
                    return self.err(format!("message {n} no longer exists"));
                };
                let mut lines: Vec<String> = raw.split("\r\n").map(str::to_string).collect();
                if lines.last().is_some_and(String::is_empty) {
                    lines.pop();
                }
                if let Command::Top(_, body_lines) = cmd {
                    let head = lines
                        .iter()
                        .position(String::is_empty)
                        .map_or(lines.len(), |p| p + 1);
                    lines.truncate(head.saturating_add(body_lines as usize).min(lines.len()));
                    // Real servers answer TOP with a bare "+OK" (Dovecot) or an
                    // octet count; Wireshark reads any word after "+OK" as one.
                    let octets: usize = lines.iter().map(|l| l.len() + 2).sum();
                    self.multi(format!("{octets} octets"), &lines);
                } else {
                    self.notes.push_back(Note::Retrieved {
                        msg: n,
                        octets: raw.len(),
                    });
                    // Reading over POP3 counts as reading: IMAP sessions see \Seen.
                    let seen: Flags = [Flag::Seen].into_iter().collect();
                    let _ = store.set_flags(account, INBOX, uid, FlagOp::Add, &seen);
                    self.multi(format!("{} octets", raw.len()), &lines);
                }
            }
            _ => {}
        }
    }
}

impl StreamServer for Server {
    type Context = MailStore;
    type Note = Note;
    type Event = Event;

    /// Whether the session has ended.
    fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Feeds bytes from the client.
    fn handle_input(&mut self, now: SimTime, bytes: &[u8], store: &mut MailStore) {
        if self.is_closed() {
            return;
        }
        self.last_input = now;
        self.reader.push(bytes);
        while !self.is_closed() {
            match self.reader.next_line(MAX_COMMAND_LINE) {
                None => break,
                Some(Line::TooLong) => {
                    self.notes.push_back(Note::LineTooLong);
                    self.err("line too long");
                }
                Some(Line::Text(t)) => self.command(&t, store),
            }
        }
    }

    /// The connection was lost or the client closed without QUIT: release
    /// the maildrop without deleting (RFC 1939 §3: the session "does not
    /// enter the UPDATE state").
    fn handle_end(&mut self, _now: SimTime, store: &mut MailStore) {
        if !self.is_closed() {
            self.notes.push_back(Note::Aborted);
            self.release(store);
        }
    }

    /// The next response to send.
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    /// The next event.
    fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next note.
    fn poll_note(&mut self) -> Option<Note> {
        self.notes.pop_front()
    }

    /// When autologout fires.
    fn poll_timeout(&self) -> Option<SimTime> {
        (!self.is_closed())
            .then(|| self.last_input + Duration::from_secs(self.config.idle_timeout_secs))
    }

    /// Autologout: end the session silently, deleting nothing (RFC 1939 §3).
    fn handle_timeout(&mut self, now: SimTime, store: &mut MailStore) {
        if self.poll_timeout().is_some_and(|t| now >= t) {
            self.notes.push_back(Note::Autologout {
                minutes: self.config.idle_timeout_secs / 60,
            });
            self.release(store);
        }
    }
}
