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
use crate::mail::line::{LineReader, LineRef};
use crate::mail::{AccountId, Address, MailStore, Recipient, StoreError, date};
use crate::stream::StreamServer;

mod auth;

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

    fn reply(&mut self, code: C, text: impl AsRef<str>) {
        self.output
            .push_back(Reply::line_wire(code, &[text.as_ref()]));
    }

    /// A reply with its RFC 3463 enhanced status code (`250 2.1.0 Ok`):
    /// RFC 2034 §3, once `ENHANCEDSTATUSCODES` is advertised, "the server
    /// MUST preface the text part of almost all response lines with a
    /// status code" — all but the greeting and the HELO/EHLO replies.
    fn say(&mut self, code: C, status: &str, text: impl AsRef<str>) {
        self.output
            .push_back(Reply::line_wire(code, &[status, " ", text.as_ref()]));
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
        // Postfix's wording for each case.
        let text = match (command, need) {
            ("MAIL", "RSET (a transaction is open)") => "Error: nested MAIL command".to_string(),
            (_, "RSET (a transaction is open)") => "Error: MAIL transaction in progress".into(),
            (_, "HELO/EHLO" | "EHLO") => format!("Error: send {need} first"),
            (_, need) => format!("Error: need {need} command"),
        };
        self.say(C::BadSequence, "5.5.1", text);
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
                // RFC 3463: X.5.2 "syntax error", X.5.4 "invalid command
                // arguments", X.1.3 "bad destination mailbox address syntax".
                let (code, status, text) = match &e {
                    CommandError::Unknown(_) => (
                        C::SyntaxError,
                        "5.5.2",
                        "Error: command not recognized".to_string(),
                    ),
                    CommandError::Syntax(m) => (C::ParamError, "5.5.4", syntax_text(m)),
                    // §4.2.3: 555 "MAIL FROM/RCPT TO parameters not recognized or not implemented".
                    CommandError::Param(p) => (
                        C::ParamsNotRecognized,
                        "5.5.4",
                        format!("Unsupported option: {p}"),
                    ),
                    CommandError::BadAddress(m) => (C::NameNotAllowed, "5.1.3", m.clone()),
                };
                return self.say(code, status, text);
            }
        };
        match cmd {
            Command::Helo(name) | Command::Ehlo(name) if name.split_whitespace().count() != 1 => {
                self.say(C::ParamError, "5.5.4", "Syntax: HELO/EHLO your-host-name");
            }
            Command::Helo(name) => self.hello(name, false),
            Command::Ehlo(name) => self.hello(name, true),
            Command::Mail { from, size, .. } => self.mail(from, size),
            Command::Rcpt(to) => self.rcpt(to, store),
            Command::Data => match self.phase {
                Phase::Mail if !self.txn.to.is_empty() => {
                    self.phase = Phase::Data;
                    // RFC 2034 numbers completion replies; 354 is an
                    // intermediate one, and Postfix sends it bare.
                    self.reply(C::StartMailInput, "End data with <CR><LF>.<CR><LF>");
                }
                // §3.3: "all such commands were rejected [...] "no valid recipients" (554)".
                Phase::Mail if self.txn.rejected > 0 => {
                    self.say(C::TransactionFailed, "5.5.1", "Error: no valid recipients")
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
                self.say(C::Ok, "2.0.0", "Ok");
            }
            Command::Noop => self.say(C::Ok, "2.0.0", "Ok"),
            Command::Quit => {
                self.notes.push_back(Note::Quit);
                self.say(C::Closing, "2.0.0", "Bye");
                self.close();
            }
            Command::Help(topic) => self.help(topic),
            Command::Vrfy(who) => self.vrfy(&who, store),
            Command::Expn(list) => self.expn(&list, store),
            Command::Auth { mechanism, initial } => self.auth(mechanism, initial, store),
            Command::NotImplemented(v) => self.say(
                C::NotImplemented,
                "5.5.1",
                format!("Error: command not implemented: {v}"),
            ),
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
                "ENHANCEDSTATUSCODES".into(),
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
            return self.say(C::AuthRequired, "5.7.0", "Authentication required");
        }
        let limit = self.config.max_message_size;
        if let Some(size) = size.filter(|&s| s > limit) {
            self.notes.push_back(Note::TooBig { size, limit });
            return self.say(
                C::ExceededStorage,
                "5.3.4",
                "Message size exceeds fixed limit",
            );
        }
        let path = from.as_ref().map_or("<>".into(), |a| format!("<{a}>"));
        self.notes.push_back(Note::Sender { from: path.clone() });
        self.txn = Transaction {
            from,
            ..Transaction::default()
        };
        self.phase = Phase::Mail;
        self.say(C::Ok, "2.1.0", "Ok");
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
            return self.say(
                C::InsufficientStorage,
                "4.5.3",
                "Error: too many recipients",
            );
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
                self.say(C::Ok, "2.1.5", "Ok");
            }
            Recipient::List(m) => {
                self.notes.push_back(Note::RcptList {
                    addr: addr.clone(),
                    members: m.len(),
                });
                self.txn.to.push(to);
                self.say(C::Ok, "2.1.5", "Ok");
            }
            Recipient::UnknownUser => {
                self.txn.rejected += 1;
                self.notes.push_back(Note::RcptUnknownUser {
                    addr: addr.clone(),
                    domain: to.domain.clone(),
                });
                self.say(
                    C::MailboxUnavailable,
                    "5.1.1",
                    format!(
                        "<{addr}>: Recipient address rejected: User unknown in local recipient table"
                    ),
                );
            }
            Recipient::Foreign if self.may_relay(store) => {
                self.notes.push_back(Note::RcptRelay { addr: addr.clone() });
                self.txn.to.push(to);
                self.say(
                    C::WillForward,
                    "2.1.5",
                    format!("User not local; will forward to <{addr}>"),
                );
            }
            Recipient::Foreign => {
                self.txn.rejected += 1;
                self.notes
                    .push_back(Note::RelayDenied { addr: addr.clone() });
                if self.config.relay == RelayPolicy::Deny {
                    self.say(
                        C::UserNotLocal,
                        "5.7.1",
                        format!("<{addr}>: User not local; relaying not permitted"),
                    );
                } else {
                    self.say(
                        C::MailboxUnavailable,
                        "5.7.1",
                        format!("<{addr}>: Relay access denied"),
                    );
                }
            }
        }
    }

    fn data_line(&mut self, now: SimTime, line: LineRef<'_>, store: &mut MailStore) {
        let text = match line {
            LineRef::TooLong => {
                self.txn.long_line = true;
                return;
            }
            LineRef::Text(t) if t == "." => return self.end_of_data(now, store),
            LineRef::Text(t) => t,
        };
        // Dot-unstuffing (§4.5.2).
        let text = text.strip_prefix('.').unwrap_or(&text);
        if self.txn.data.len() + text.len() + 2 > self.config.max_message_size {
            self.txn.too_big = true;
            return;
        }
        if self.txn.data.capacity() == 0 {
            // Room for a short message at once, not ten doublings.
            self.txn.data.reserve(4096);
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
            return self.say(
                C::ExceededStorage,
                "5.3.4",
                "Message size exceeds fixed limit",
            );
        }
        if txn.long_line {
            self.notes.push_back(Note::LineTooLong);
            return self.say(
                C::SyntaxError,
                "5.6.0",
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
            return self.say(
                C::LocalError,
                "4.3.0",
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
        self.say(C::Ok, "2.0.0", format!("Ok: queued as {id}"));
    }

    fn help(&mut self, topic: Option<String>) {
        let text = match topic.as_deref().map(str::to_ascii_uppercase).as_deref() {
            None => {
                let lines = [
                    "Commands:",
                    "  HELO EHLO MAIL RCPT DATA",
                    "  RSET NOOP QUIT HELP VRFY EXPN",
                    "End of HELP info",
                ]
                .iter()
                .map(|l| format!("2.0.0 {l}"))
                .collect();
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
            Some(_) => return self.say(C::ParamNotImplemented, "5.5.4", "HELP topic unknown"),
        };
        self.say(C::Help, "2.0.0", text);
    }

    fn vrfy(&mut self, who: &str, store: &MailStore) {
        if !self.config.vrfy {
            return self.say(
                C::CannotVerify,
                "2.0.0",
                "Cannot VRFY user, but will accept message and attempt delivery",
            );
        }
        let who = who.trim().trim_start_matches('<').trim_end_matches('>');
        let found = if who.contains('@') {
            match who.parse::<Address>() {
                Ok(a) if !store.is_local_domain(&a.domain) => {
                    return self.say(
                        C::CannotVerify,
                        "2.0.0",
                        format!("Cannot VRFY <{a}>: not local, will attempt delivery"),
                    );
                }
                Ok(a) => store.find_login(&a.to_string()),
                Err(e) => return self.say(C::NameNotAllowed, "5.1.3", e.to_string()),
            }
        } else {
            store.find_login(who)
        };
        match found {
            Ok(id) => {
                let name = store
                    .account(&id)
                    .map_or(id.user.clone(), |a| a.name.clone());
                self.say(C::Ok, "2.1.5", format!("{name} <{name}@{}>", id.domain));
            }
            Err(StoreError::AmbiguousUser(_)) => {
                self.say(C::NameNotAllowed, "5.1.4", format!("User ambiguous: {who}"))
            }
            Err(_) => self.say(
                C::MailboxUnavailable,
                "5.1.1",
                format!("{who}: no such user here"),
            ),
        }
    }

    fn expn(&mut self, list: &str, store: &MailStore) {
        if !self.config.expn {
            return self.say(C::NotImplemented, "5.5.1", "EXPN not allowed");
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
                let lines = l.members.iter().map(|m| format!("2.1.5 <{m}>")).collect();
                self.output.push_back(Reply::multi(C::Ok, lines).to_wire());
            }
            Some(_) => self.say(
                C::MailboxUnavailable,
                "5.1.1",
                format!("{list}: list is empty"),
            ),
            None => self.say(
                C::MailboxUnavailable,
                "5.1.1",
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
        // The lines are borrowed from the reader, taken out meanwhile.
        let mut reader = std::mem::take(&mut self.reader);
        reader.push(bytes);
        loop {
            let max = if self.phase == Phase::Data {
                MAX_TEXT_LINE
            } else {
                MAX_COMMAND_LINE
            };
            let Some(line) = reader.next_line_ref(max) else {
                break;
            };
            if self.phase == Phase::Data {
                self.data_line(now, line, store);
            } else {
                match line {
                    LineRef::TooLong => {
                        self.notes.push_back(Note::LineTooLong);
                        self.say(C::SyntaxError, "5.5.2", "Error: line too long");
                    }
                    LineRef::Text(t) => self.command(&t, store),
                }
            }
            if self.is_closed() {
                break;
            }
        }
        self.reader = reader;
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
            self.say(
                C::NotAvailable,
                "4.4.2",
                format!("{host} Error: timeout exceeded"),
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

/// `501 5.5.4 Syntax: …` as Postfix words it, from a parse error's text.
fn syntax_text(message: &str) -> String {
    match message.strip_prefix("syntax: ") {
        Some(rest) => format!("Syntax: {rest}"),
        None => message.to_string(),
    }
}
