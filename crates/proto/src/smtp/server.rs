//! The SMTP server session (RFC 5321 §3, §4): one per TCP connection on port 25.
//!
//! §4.1.4: "a client MUST issue HELO or EHLO before starting a mail
//! transaction"; "If the transaction beginning command argument is not
//! acceptable, a 501 failure reply MUST be returned"; commands out of order
//! get "503 Bad sequence of commands". §4.5.2: "Before sending a line of
//! mail text, the SMTP client checks the first character of the line. If it
//! is a period, one additional period is inserted at the beginning of the
//! line." — the server removes it again here (dot-unstuffing).

use core::net::IpAddr;
use std::collections::VecDeque;
use std::time::Duration;

use super::command::{Command, CommandError};
use super::config::{RelayPolicy, ServerConfig};
use super::envelope::{Envelope, deliver_local};
use super::reply::{Reply, ReplyCode as C};
use super::server_note::{Event, Note};
use crate::SimTime;
use crate::mail::line::{Line, LineReader};
use crate::mail::mime::{decode_base64, encode_base64};
use crate::mail::{AccountId, Address, MailStore, Recipient, StoreError, date};
use crate::stream::StreamServer;

/// Longest command line accepted, CRLF included. RFC 5321 §4.5.3.1.4 lets
/// clients send at most 512 octets, and §4.5.3.1 asks servers to limit as
/// little as possible; a lab accepts the text-line length (1000) so a long
/// typed address still gets a useful reply. Longer lines get 500.
pub const MAX_COMMAND_LINE: usize = 1000;
/// RFC 5321 §4.5.3.1.6: text lines are at most 1000 octets with CRLF.
pub const MAX_TEXT_LINE: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    /// Greeting sent; waiting for HELO/EHLO.
    Greeted,
    /// Introduced; no transaction.
    Ready,
    /// MAIL accepted; collecting RCPTs.
    Mail,
    /// Reading message text after 354.
    Data,
    /// 221 or 421 sent.
    Closed,
}

/// Where an `AUTH` exchange stands (RFC 4954 §4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Sasl {
    #[default]
    None,
    /// `AUTH PLAIN` without an initial response: waiting for it.
    Plain,
    /// `AUTH LOGIN`: waiting for the user name.
    LoginUser,
    /// `AUTH LOGIN`: waiting for the password.
    LoginPassword(String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Transaction {
    from: Option<Address>,
    to: Vec<Address>,
    rejected: usize,
    data: String,
    too_big: bool,
    long_line: bool,
}

/// One SMTP server session.
#[derive(Clone, Debug)]
pub struct Server {
    config: ServerConfig,
    peer: IpAddr,
    phase: Phase,
    helo: String,
    esmtp: bool,
    txn: Transaction,
    received: u32,
    /// A SASL exchange in progress (the next line is a base64 response).
    sasl: Sasl,
    /// Who logged in with AUTH (submission servers only).
    authed: Option<AccountId>,
    reader: LineReader,
    last_input: SimTime,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
    notes: VecDeque<Note>,
}

impl Server {
    /// A session for a client at `peer` that connected at `now`; the 220
    /// greeting is queued at once.
    pub fn new(config: ServerConfig, peer: IpAddr, now: SimTime) -> Server {
        let mut s = Server {
            peer,
            phase: Phase::Greeted,
            helo: String::new(),
            esmtp: false,
            txn: Transaction::default(),
            received: 0,
            sasl: Sasl::None,
            authed: None,
            reader: LineReader::new(),
            last_input: now,
            output: VecDeque::new(),
            events: VecDeque::new(),
            notes: VecDeque::new(),
            config,
        };
        let host = s.config.hostname.clone();
        s.reply(C::Ready, format!("{host} ESMTP lanlab ready"));
        s.notes.push_back(Note::Greeted { hostname: host });
        s
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    fn reply(&mut self, code: C, text: impl Into<String>) {
        self.output.push_back(Reply::new(code, text).to_wire());
    }

    fn close(&mut self) {
        self.phase = Phase::Closed;
        self.events.push_back(Event::Closed);
    }

    fn out_of_order(&mut self, command: &str, need: &str) {
        self.notes.push_back(Note::OutOfSequence {
            command: command.into(),
            need: need.into(),
        });
        self.reply(
            C::BadSequence,
            format!("Bad sequence of commands: {need} first"),
        );
    }

    fn command(&mut self, line: &str, store: &mut MailStore) {
        if self.sasl != Sasl::None {
            return self.sasl_line(line, store);
        }
        let cmd = match Command::parse(line) {
            Ok(c) => c,
            Err(e) => {
                self.notes.push_back(Note::BadCommand {
                    error: e.to_string(),
                });
                let code = match e {
                    CommandError::Unknown(_) => C::SyntaxError,
                    CommandError::Syntax(_) => C::ParamError,
                    // §4.2.3: 555 "MAIL FROM/RCPT TO parameters not recognized or not implemented".
                    CommandError::Param(_) => C::ParamsNotRecognized,
                    CommandError::BadAddress(_) => C::NameNotAllowed,
                };
                let text = match &e {
                    CommandError::Unknown(v) => format!("Command unrecognized: {v}"),
                    e => e.to_string(),
                };
                return self.reply(code, text);
            }
        };
        match cmd {
            Command::Helo(name) | Command::Ehlo(name) if name.split_whitespace().count() != 1 => {
                self.reply(C::ParamError, "Syntax: HELO/EHLO your-host-name");
            }
            Command::Helo(name) => self.hello(name, false),
            Command::Ehlo(name) => self.hello(name, true),
            Command::Mail { from, size, .. } => self.mail(from, size),
            Command::Rcpt(to) => self.rcpt(to, store),
            Command::Data => match self.phase {
                Phase::Mail if !self.txn.to.is_empty() => {
                    self.phase = Phase::Data;
                    self.reply(
                        C::StartMailInput,
                        "Start mail input; end with <CRLF>.<CRLF>",
                    );
                }
                // §3.3: "all such commands were rejected [...] "no valid recipients" (554)".
                Phase::Mail if self.txn.rejected > 0 => {
                    self.reply(C::TransactionFailed, "No valid recipients")
                }
                Phase::Mail => self.out_of_order("DATA", "RCPT"),
                Phase::Greeted => self.out_of_order("DATA", "HELO/EHLO"),
                _ => self.out_of_order("DATA", "MAIL"),
            },
            Command::Rset => {
                if self.phase == Phase::Mail {
                    self.phase = Phase::Ready;
                }
                self.txn = Transaction::default();
                self.notes.push_back(Note::Reset);
                self.reply(C::Ok, "OK");
            }
            Command::Noop => self.reply(C::Ok, "OK"),
            Command::Quit => {
                self.notes.push_back(Note::Quit);
                let host = self.config.hostname.clone();
                self.reply(
                    C::Closing,
                    format!("{host} Service closing transmission channel"),
                );
                self.close();
            }
            Command::Help(topic) => self.help(topic),
            Command::Vrfy(who) => self.vrfy(&who, store),
            Command::Expn(list) => self.expn(&list, store),
            Command::Auth { mechanism, initial } => self.auth(mechanism, initial, store),
            Command::NotImplemented(v) => {
                self.reply(C::NotImplemented, format!("{v} not implemented"))
            }
        }
    }

    /// `AUTH` (RFC 4954 §4): PLAIN (RFC 4616) or LOGIN, on a submission
    /// server after EHLO and outside a transaction.
    fn auth(&mut self, mechanism: String, initial: Option<String>, store: &MailStore) {
        if !self.config.submission {
            return self.reply(
                C::NotImplemented,
                "AUTH not available here; use the submission port 587",
            );
        }
        if !self.esmtp || self.phase == Phase::Greeted {
            return self.out_of_order("AUTH", "EHLO");
        }
        if self.authed.is_some() {
            // RFC 4954 §4: "After a successful AUTH command completes, a
            // server MUST reject any further AUTH commands with a 503 reply."
            return self.reply(
                C::BadSequence,
                "Bad sequence of commands: already authenticated",
            );
        }
        if self.phase == Phase::Mail {
            return self.out_of_order("AUTH", "RSET (a transaction is open)");
        }
        match (mechanism.as_str(), initial) {
            ("PLAIN", Some(r)) => self.sasl_plain(if r == "=" { "" } else { &r }, store),
            ("PLAIN", None) => {
                self.sasl = Sasl::Plain;
                self.reply(C::AuthContinue, "");
            }
            ("LOGIN", Some(u)) => {
                let user = String::from_utf8_lossy(&decode_base64(&u)).into_owned();
                self.sasl = Sasl::LoginPassword(user);
                self.reply(C::AuthContinue, encode_base64(b"Password:"));
            }
            ("LOGIN", None) => {
                self.sasl = Sasl::LoginUser;
                self.reply(C::AuthContinue, encode_base64(b"Username:"));
            }
            (m, _) => self.reply(
                C::ParamNotImplemented,
                format!("AUTH {m} not supported; use PLAIN or LOGIN"),
            ),
        }
    }

    /// A line of an AUTH exchange: base64, or `*` to cancel (501).
    fn sasl_line(&mut self, line: &str, store: &MailStore) {
        let line = line.trim();
        let state = std::mem::take(&mut self.sasl);
        if line == "*" {
            self.notes.push_back(Note::AuthFailed {
                reason: "cancelled by the client".into(),
            });
            return self.reply(C::ParamError, "AUTH cancelled");
        }
        match state {
            Sasl::None => {}
            Sasl::Plain => self.sasl_plain(line, store),
            Sasl::LoginUser => {
                let user = String::from_utf8_lossy(&decode_base64(line)).into_owned();
                self.sasl = Sasl::LoginPassword(user);
                self.reply(C::AuthContinue, encode_base64(b"Password:"));
            }
            Sasl::LoginPassword(user) => {
                let password = String::from_utf8_lossy(&decode_base64(line)).into_owned();
                self.login(&user, &password, "LOGIN", store);
            }
        }
    }

    /// RFC 4616: `authzid NUL authcid NUL passwd`.
    fn sasl_plain(&mut self, b64: &str, store: &MailStore) {
        let raw = decode_base64(b64);
        let parts: Vec<&[u8]> = raw.split(|&b| b == 0).collect();
        let [authz, user, password] = parts.as_slice() else {
            self.notes.push_back(Note::AuthFailed {
                reason: "not base64 of authzid NUL user NUL password".into(),
            });
            return self.reply(
                C::ParamError,
                "AUTH PLAIN: the response is not base64 of authzid NUL user NUL password",
            );
        };
        let user = String::from_utf8_lossy(user).into_owned();
        if !authz.is_empty() && **authz != *user.as_bytes() {
            self.notes.push_back(Note::AuthFailed {
                reason: format!("{user} may not act as another user"),
            });
            return self.reply(C::AuthFailed, "Authentication credentials invalid");
        }
        let password = String::from_utf8_lossy(password).into_owned();
        self.login(&user, &password, "PLAIN", store);
    }

    fn login(&mut self, user: &str, password: &str, mechanism: &str, store: &MailStore) {
        match store.authenticate(user, password) {
            Ok(id) => {
                self.notes.push_back(Note::Authenticated {
                    user: user.into(),
                    mechanism: mechanism.into(),
                });
                self.authed = Some(id);
                self.reply(C::AuthSucceeded, "Authentication successful");
            }
            Err(e) => {
                self.notes.push_back(Note::AuthFailed {
                    reason: format!("{user}: {e}"),
                });
                self.reply(C::AuthFailed, "Authentication credentials invalid");
            }
        }
    }

    fn hello(&mut self, name: String, extended: bool) {
        // §4.1.4: EHLO/HELO mid-session "is equivalent to RSET".
        if self.phase != Phase::Greeted && self.txn != Transaction::default() {
            self.notes.push_back(Note::Reset);
        }
        self.txn = Transaction::default();
        self.phase = Phase::Ready;
        self.esmtp = extended;
        self.notes.push_back(Note::Hello {
            name: name.clone(),
            extended,
        });
        let host = self.config.hostname.clone();
        if extended {
            let lines = vec![
                format!("{host} Hello {name}"),
                format!("SIZE {}", self.config.max_message_size),
                "8BITMIME".into(),
                "PIPELINING".into(),
                "HELP".into(),
            ];
            let mut lines = lines;
            if self.config.submission {
                lines.push("AUTH PLAIN LOGIN".into());
            }
            self.output.push_back(Reply::multi(C::Ok, lines).to_wire());
        } else {
            self.reply(C::Ok, format!("{host} Hello {name}"));
        }
        self.helo = name;
    }

    fn mail(&mut self, from: Option<Address>, size: Option<usize>) {
        match self.phase {
            Phase::Greeted => return self.out_of_order("MAIL", "HELO/EHLO"),
            Phase::Mail => return self.out_of_order("MAIL", "RSET (a transaction is open)"),
            _ => {}
        }
        if self.config.submission && self.authed.is_none() {
            self.notes.push_back(Note::AuthFailed {
                reason: "MAIL before AUTH on a submission server".into(),
            });
            return self.reply(C::AuthRequired, "Authentication required: use AUTH first");
        }
        let limit = self.config.max_message_size;
        if let Some(size) = size.filter(|&s| s > limit) {
            self.notes.push_back(Note::TooBig { size, limit });
            return self.reply(
                C::ExceededStorage,
                format!("Message size exceeds fixed limit of {limit} octets"),
            );
        }
        let path = from.as_ref().map_or("<>".into(), |a| format!("<{a}>"));
        self.notes.push_back(Note::Sender { from: path.clone() });
        self.txn = Transaction {
            from,
            ..Transaction::default()
        };
        self.phase = Phase::Mail;
        self.reply(C::Ok, format!("Sender {path} OK"));
    }

    fn may_relay(&self, store: &MailStore) -> bool {
        if self.authed.is_some() {
            return true;
        }
        match &self.config.relay {
            RelayPolicy::Deny => false,
            RelayPolicy::Open => true,
            RelayPolicy::LocalSenders => self
                .txn
                .from
                .as_ref()
                .is_some_and(|a| store.is_local_domain(&a.domain)),
            RelayPolicy::Networks(nets) => nets.iter().any(|n| n.contains(self.peer)),
        }
    }

    fn rcpt(&mut self, mut to: Address, store: &MailStore) {
        if self.phase != Phase::Mail {
            let need = if self.phase == Phase::Greeted {
                "HELO/EHLO"
            } else {
                "MAIL"
            };
            return self.out_of_order("RCPT", need);
        }
        if self.txn.to.len() >= self.config.max_recipients {
            let limit = self.config.max_recipients;
            self.notes.push_back(Note::TooManyRecipients { limit });
            return self.reply(C::InsufficientStorage, "Too many recipients");
        }
        if to.domain.is_empty() {
            // <Postmaster>: the first local domain's postmaster.
            to.domain = store.domains().next().unwrap_or_default().to_string();
        }
        let addr = to.to_string();
        match store.resolve(&to) {
            Recipient::Local(_) => {
                self.notes.push_back(Note::RcptLocal { addr: addr.clone() });
                self.txn.to.push(to);
                self.reply(C::Ok, format!("Recipient <{addr}> OK"));
            }
            Recipient::List(m) => {
                self.notes.push_back(Note::RcptList {
                    addr: addr.clone(),
                    members: m.len(),
                });
                self.txn.to.push(to);
                self.reply(C::Ok, format!("Recipient <{addr}> OK (list)"));
            }
            Recipient::UnknownUser => {
                self.txn.rejected += 1;
                self.notes.push_back(Note::RcptUnknownUser {
                    addr: addr.clone(),
                    domain: to.domain.clone(),
                });
                self.reply(
                    C::MailboxUnavailable,
                    format!("<{addr}>: Recipient address rejected: User unknown"),
                );
            }
            Recipient::Foreign if self.may_relay(store) => {
                self.notes.push_back(Note::RcptRelay { addr: addr.clone() });
                self.txn.to.push(to);
                self.reply(
                    C::WillForward,
                    format!("User not local; will forward to <{addr}>"),
                );
            }
            Recipient::Foreign => {
                self.txn.rejected += 1;
                self.notes
                    .push_back(Note::RelayDenied { addr: addr.clone() });
                if self.config.relay == RelayPolicy::Deny {
                    self.reply(
                        C::UserNotLocal,
                        format!("<{addr}>: User not local; relaying not permitted"),
                    );
                } else {
                    self.reply(
                        C::MailboxUnavailable,
                        format!("<{addr}>: Relay access denied"),
                    );
                }
            }
        }
    }

    fn data_line(&mut self, now: SimTime, line: Line, store: &mut MailStore) {
        let text = match line {
            Line::TooLong => {
                self.txn.long_line = true;
                return;
            }
            Line::Text(t) if t == "." => return self.end_of_data(now, store),
            Line::Text(t) => t,
        };
        // Dot-unstuffing (§4.5.2).
        let text = text.strip_prefix('.').unwrap_or(&text);
        if self.txn.data.len() + text.len() + 2 > self.config.max_message_size {
            self.txn.too_big = true;
            return;
        }
        self.txn.data.push_str(text);
        self.txn.data.push_str("\r\n");
    }

    fn end_of_data(&mut self, now: SimTime, store: &mut MailStore) {
        self.phase = Phase::Ready;
        let txn = std::mem::take(&mut self.txn);
        if txn.too_big {
            let limit = self.config.max_message_size;
            self.notes.push_back(Note::TooBig {
                size: limit + 1,
                limit,
            });
            return self.reply(
                C::ExceededStorage,
                format!("Message exceeds fixed limit of {limit} octets"),
            );
        }
        if txn.long_line {
            self.notes.push_back(Note::LineTooLong);
            return self.reply(
                C::SyntaxError,
                "Line too long (more than 1000 octets): message refused",
            );
        }
        self.received += 1;
        let id = format!("{:X}.{}", now.as_micros(), self.received);
        let for_part = match txn.to.as_slice() {
            [one] => format!("\r\n\tfor <{one}>"),
            _ => String::new(),
        };
        let full = format!(
            "Received: from {} ([{}])\r\n\tby {} (lanlab) with {} id {}{};\r\n\t{}\r\n{}",
            self.helo,
            self.peer,
            self.config.hostname,
            if self.esmtp { "ESMTP" } else { "SMTP" },
            id,
            for_part,
            date::rfc5322(store.unix_time(now)),
            txn.data
        );
        self.notes.push_back(Note::MessageAccepted {
            size: full.len(),
            recipients: txn.to.len(),
        });
        let report = deliver_local(store, now, &txn.to, &full);
        if report.delivered.is_empty() && report.foreign.is_empty() {
            // Every local mailbox vanished between RCPT and the final dot.
            return self.reply(
                C::LocalError,
                "Requested action aborted: local error in processing",
            );
        }
        for (_, account, uid) in report.delivered {
            self.notes.push_back(Note::Delivered {
                account: account.to_string(),
                uid,
            });
            self.events.push_back(Event::Delivered { account, uid });
        }
        // Unknown members of a local list are dropped (the list is the admin's).
        if !report.foreign.is_empty() {
            self.notes.push_back(Note::QueuedForRelay {
                recipients: report.foreign.iter().map(ToString::to_string).collect(),
            });
            self.events.push_back(Event::Relay(Envelope {
                from: txn.from,
                to: report.foreign,
                data: full,
            }));
        }
        self.reply(C::Ok, format!("OK: queued as {id}"));
    }

    fn help(&mut self, topic: Option<String>) {
        let text = match topic.as_deref().map(str::to_ascii_uppercase).as_deref() {
            None => {
                let lines = vec![
                    "Commands:".into(),
                    "  HELO EHLO MAIL RCPT DATA".into(),
                    "  RSET NOOP QUIT HELP VRFY EXPN".into(),
                    "End of HELP info".into(),
                ];
                return self
                    .output
                    .push_back(Reply::multi(C::Help, lines).to_wire());
            }
            Some("HELO") => "HELO <your-host>: introduce yourself",
            Some("EHLO") => "EHLO <your-host>: introduce yourself and list extensions",
            Some("MAIL") => "MAIL FROM:<sender@domain> [SIZE=n]: start a message",
            Some("RCPT") => "RCPT TO:<recipient@domain>: add a recipient",
            Some("DATA") => "DATA: send the message, end with a line holding only \".\"",
            Some("RSET") => "RSET: abort the current message",
            Some("NOOP") => "NOOP: do nothing, the server answers 250",
            Some("QUIT") => "QUIT: close the session",
            Some("HELP") => "HELP [command]: this help",
            Some("VRFY") => "VRFY <user>: check that a user exists",
            Some("EXPN") => "EXPN <list>: list the members of a mailing list",
            Some(_) => return self.reply(C::ParamNotImplemented, "HELP topic unknown"),
        };
        self.reply(C::Help, text);
    }

    fn vrfy(&mut self, who: &str, store: &MailStore) {
        if !self.config.vrfy {
            return self.reply(
                C::CannotVerify,
                "Cannot VRFY user, but will accept message and attempt delivery",
            );
        }
        let who = who.trim().trim_start_matches('<').trim_end_matches('>');
        let found = if who.contains('@') {
            match who.parse::<Address>() {
                Ok(a) if !store.is_local_domain(&a.domain) => {
                    return self.reply(
                        C::CannotVerify,
                        format!("Cannot VRFY <{a}>: not local, will attempt delivery"),
                    );
                }
                Ok(a) => store.find_login(&a.to_string()),
                Err(e) => return self.reply(C::NameNotAllowed, e.to_string()),
            }
        } else {
            store.find_login(who)
        };
        match found {
            Ok(id) => {
                let name = store
                    .account(&id)
                    .map_or(id.user.clone(), |a| a.name.clone());
                self.reply(C::Ok, format!("{name} <{name}@{}>", id.domain));
            }
            Err(StoreError::AmbiguousUser(_)) => {
                self.reply(C::NameNotAllowed, format!("User ambiguous: {who}"))
            }
            Err(_) => self.reply(C::MailboxUnavailable, format!("{who}: no such user here")),
        }
    }

    fn expn(&mut self, list: &str, store: &MailStore) {
        if !self.config.expn {
            return self.reply(C::NotImplemented, "EXPN not allowed");
        }
        let list = list.trim().trim_start_matches('<').trim_end_matches('>');
        let found = store.domains().find_map(|d| {
            let (local, dom) = list.split_once('@').unwrap_or((list, d));
            if !dom.eq_ignore_ascii_case(d) {
                return None;
            }
            store
                .domain(d)?
                .lists
                .get(&local.to_ascii_lowercase())
                .cloned()
        });
        match found {
            Some(l) if !l.members.is_empty() => {
                let lines = l.members.iter().map(|m| format!("<{m}>")).collect();
                self.output.push_back(Reply::multi(C::Ok, lines).to_wire());
            }
            Some(_) => self.reply(C::MailboxUnavailable, format!("{list}: list is empty")),
            None => self.reply(
                C::MailboxUnavailable,
                format!("{list}: no such mailing list"),
            ),
        }
    }
}

impl StreamServer for Server {
    type Context = MailStore;
    type Note = Note;
    type Event = Event;

    /// Whether the session has ended (the host should close the connection).
    fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// Feeds bytes received from the client.
    fn handle_input(&mut self, now: SimTime, bytes: &[u8], store: &mut MailStore) {
        if self.is_closed() {
            return;
        }
        self.last_input = now;
        self.reader.push(bytes);
        loop {
            let max = if self.phase == Phase::Data {
                MAX_TEXT_LINE
            } else {
                MAX_COMMAND_LINE
            };
            let Some(line) = self.reader.next_line(max) else {
                break;
            };
            if self.phase == Phase::Data {
                self.data_line(now, line, store);
            } else {
                match line {
                    Line::TooLong => {
                        self.notes.push_back(Note::LineTooLong);
                        self.reply(C::SyntaxError, "Line too long");
                    }
                    Line::Text(t) => self.command(&t, store),
                }
            }
            if self.is_closed() {
                break;
            }
        }
    }

    /// The next reply to send.
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    /// The next event for the host.
    fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next note for the trace.
    fn poll_note(&mut self) -> Option<Note> {
        self.notes.pop_front()
    }

    /// When the idle timeout fires.
    fn poll_timeout(&self) -> Option<SimTime> {
        (!self.is_closed())
            .then(|| self.last_input + Duration::from_secs(self.config.idle_timeout_secs))
    }

    /// Closes the session with 421 if it has been idle too long.
    fn handle_timeout(&mut self, now: SimTime, _store: &mut MailStore) {
        if self.poll_timeout().is_some_and(|t| now >= t) {
            let secs = self.config.idle_timeout_secs;
            self.notes.push_back(Note::IdleTimeout { secs });
            let host = self.config.hostname.clone();
            self.reply(
                C::NotAvailable,
                format!("{host} Timeout, closing transmission channel"),
            );
            self.close();
        }
    }

    /// The client closed or the connection was lost: the session ends
    /// (an unfinished transaction is dropped, RFC 5321 §3.8).
    fn handle_end(&mut self, _now: SimTime, _store: &mut MailStore) {
        if !self.is_closed() {
            self.close();
        }
    }
}
