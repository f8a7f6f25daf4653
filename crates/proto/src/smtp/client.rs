//! The SMTP client session (RFC 5321 §3, §4.1): sends one message, used by
//! the relay [`super::Queue`] and by the desktop mail client's Send.
//!
//! No pipelining: one command, one reply. EHLO first; §3.2: "If the EHLO
//! command is not acceptable to the SMTP server, 501, 500, 502, or 550
//! failure replies MUST be returned" and the client falls back to HELO.
//! §4.5.2 dot-stuffing: "If it is a period, one additional period is
//! inserted at the beginning of the line."

use core::fmt;
use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::envelope::Envelope;
use super::reply::{Reply, ReplyParser};
use crate::SimTime;
use crate::mail::Address;
use crate::mail::line::{LineReader, LineRef};

/// How long the client waits for any reply (RFC 5321 §4.5.3.2 gives 2–10 min).
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// How long the client waits for the reply to the final dot (§4.5.3.2.6: 10 min).
pub const DATA_END_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// The result of one attempt to send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// The server took the message for `accepted`; `rejected` got an error reply.
    Sent {
        /// Recipients the server accepted.
        accepted: Vec<Address>,
        /// Recipients refused, with the server's reply.
        rejected: Vec<(Address, Reply)>,
    },
    /// Nothing was delivered.
    Failed {
        /// The server's error reply, if there was one.
        reply: Option<Reply>,
        /// 5xx: do not retry.
        permanent: bool,
        /// What failed, in words.
        reason: String,
        /// Recipients refused one by one, with the replies.
        rejected: Vec<(Address, Reply)>,
    },
}

impl Outcome {
    /// A failure without a reply (connection refused, closed, timed out): transient.
    pub fn connection_failed(reason: impl Into<String>) -> Outcome {
        Outcome::Failed {
            reply: None,
            permanent: false,
            reason: reason.into(),
            rejected: Vec::new(),
        }
    }

    /// Whether the message went to at least one recipient.
    pub fn is_sent(&self) -> bool {
        matches!(self, Outcome::Sent { .. })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Sent { accepted, rejected } => {
                write!(f, "sent to {} recipient(s)", accepted.len())?;
                for (a, r) in rejected {
                    write!(f, "; {a} refused: {r}")?;
                }
                Ok(())
            }
            Outcome::Failed { reason, reply, .. } => match reply {
                Some(r) => write!(f, "{reason}: {r}"),
                None => f.write_str(reason),
            },
        }
    }
}

/// Something the host must act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientEvent {
    /// The attempt finished (success or failure); QUIT follows.
    Done(Outcome),
    /// The session ended: close the connection.
    Closed,
}

/// The client's steps, for the PDU inspector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientNote {
    /// A command was sent.
    Sent {
        /// The command line.
        command: String,
    },
    /// The message text was sent.
    SentBody {
        /// Octets before dot-stuffing.
        size: usize,
    },
    /// A reply arrived.
    Reply {
        /// The reply.
        reply: Reply,
    },
    /// The server does not know EHLO: trying HELO.
    FallbackToHelo,
    /// A recipient was refused.
    RecipientRefused {
        /// The address.
        addr: String,
        /// The reply.
        reply: Reply,
    },
    /// The server sent something that is not a reply.
    Garbled {
        /// The line.
        line: String,
    },
    /// Finished.
    Finished {
        /// Outcome in words.
        outcome: String,
    },
}

impl fmt::Display for ClientNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientNote::Sent { command } => write!(f, "client sends {command}"),
            ClientNote::SentBody { size } => write!(
                f,
                "client sends the message ({size} octets) and the final \".\""
            ),
            ClientNote::Reply { reply } => write!(f, "server replies {reply}"),
            ClientNote::FallbackToHelo => f.write_str("server does not know EHLO: trying HELO"),
            ClientNote::RecipientRefused { addr, reply } => {
                write!(f, "recipient {addr} refused: {reply}")
            }
            ClientNote::Garbled { line } => write!(
                f,
                "server sent something that is not an SMTP reply: {line:?}"
            ),
            ClientNote::Finished { outcome } => write!(f, "mail {outcome}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Greeting,
    Ehlo,
    Helo,
    Mail,
    Rcpt(usize),
    Data,
    Body,
    Quit,
    Done,
}

/// One SMTP client session sending one envelope.
#[derive(Clone, Debug)]
pub struct Client {
    helo: String,
    size_ext: bool,
    envelope: Envelope,
    step: Step,
    reader: LineReader,
    parser: ReplyParser,
    accepted: Vec<Address>,
    rejected: Vec<(Address, Reply)>,
    outcome: Option<Outcome>,
    deadline: Option<SimTime>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ClientEvent>,
    notes: VecDeque<ClientNote>,
}

impl Client {
    /// A client that will introduce itself as `helo` and send `envelope`.
    /// Call it when the connection opens at `now`; it waits for the 220 greeting.
    pub fn new(helo: impl Into<String>, envelope: Envelope, now: SimTime) -> Client {
        Client {
            helo: helo.into(),
            size_ext: false,
            envelope,
            step: Step::Greeting,
            reader: LineReader::new(),
            parser: ReplyParser::default(),
            accepted: Vec::new(),
            rejected: Vec::new(),
            outcome: None,
            deadline: Some(now + REPLY_TIMEOUT),
            output: VecDeque::new(),
            events: VecDeque::new(),
            notes: VecDeque::new(),
        }
    }

    /// The envelope being sent.
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// The outcome, once known.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        self.step == Step::Done
    }

    /// Feeds bytes from the server.
    pub fn handle_input(&mut self, now: SimTime, bytes: &[u8]) {
        // The lines are borrowed from the reader, taken out meanwhile.
        let mut reader = std::mem::take(&mut self.reader);
        reader.push(bytes);
        while !self.is_closed() {
            let Some(line) = reader.next_line_ref(4096) else {
                break;
            };
            let LineRef::Text(line) = line else { continue };
            match self.parser.line(&line) {
                Ok(Some(reply)) => self.on_reply(now, reply),
                Ok(None) => {}
                Err(_) => self.notes.push_back(ClientNote::Garbled {
                    line: line.into_owned(),
                }),
            }
        }
        self.reader = reader;
    }

    /// The connection closed or could not be opened.
    pub fn handle_closed(&mut self, reason: &str) {
        if self.outcome.is_none() {
            self.finish(Outcome::connection_failed(reason));
        }
        self.end();
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

    /// When the wait for a reply times out.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        if self.is_closed() {
            None
        } else {
            self.deadline
        }
    }

    /// Gives up if the server has not replied in time.
    pub fn handle_timeout(&mut self, now: SimTime) {
        if self.poll_timeout().is_some_and(|t| now >= t) {
            self.handle_closed("no reply from the server (timeout)");
        }
    }

    fn send(&mut self, now: SimTime, command: String) {
        self.notes.push_back(ClientNote::Sent {
            command: command.clone(),
        });
        self.output.push_back(format!("{command}\r\n").into_bytes());
        self.deadline = Some(now + REPLY_TIMEOUT);
    }

    fn finish(&mut self, outcome: Outcome) {
        self.notes.push_back(ClientNote::Finished {
            outcome: outcome.to_string(),
        });
        self.events.push_back(ClientEvent::Done(outcome.clone()));
        self.outcome = Some(outcome);
    }

    fn end(&mut self) {
        if self.step != Step::Done {
            self.step = Step::Done;
            self.events.push_back(ClientEvent::Closed);
        }
    }

    fn fail(&mut self, now: SimTime, reason: &str, reply: Reply) {
        let permanent = reply.code.is_permanent();
        let rejected = std::mem::take(&mut self.rejected);
        self.finish(Outcome::Failed {
            reply: Some(reply),
            permanent,
            reason: reason.into(),
            rejected,
        });
        self.quit(now);
    }

    fn quit(&mut self, now: SimTime) {
        self.step = Step::Quit;
        self.send(now, "QUIT".into());
    }

    fn send_rcpt(&mut self, now: SimTime, i: usize) {
        self.step = Step::Rcpt(i);
        let to = &self.envelope.to[i];
        self.send(now, format!("RCPT TO:<{to}>"));
    }

    fn on_reply(&mut self, now: SimTime, reply: Reply) {
        self.notes.push_back(ClientNote::Reply {
            reply: reply.clone(),
        });
        let ok = reply.code.is_positive();
        match self.step.clone() {
            Step::Greeting if ok => {
                self.step = Step::Ehlo;
                self.send(now, format!("EHLO {}", self.helo));
            }
            Step::Greeting => self.fail(now, "server refused the connection", reply),
            Step::Ehlo if ok => {
                // RFC 1870: "SIZE" with the server's fixed limit (0 = none).
                let limit = reply.lines.iter().skip(1).find_map(|l| {
                    let mut w = l.split_whitespace();
                    w.next().filter(|k| k.eq_ignore_ascii_case("SIZE"))?;
                    Some(w.next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0))
                });
                self.size_ext = limit.is_some();
                match limit {
                    Some(max) if max > 0 && self.envelope.data.len() > max => {
                        let r = Reply::new(
                            super::ReplyCode::ExceededStorage,
                            format!(
                                "message of {} octets is over the server's SIZE {max}",
                                self.envelope.data.len()
                            ),
                        );
                        self.fail(now, "message too big for the server", r);
                    }
                    _ => self.send_mail(now),
                }
            }
            Step::Ehlo if reply.code.is_permanent() => {
                self.notes.push_back(ClientNote::FallbackToHelo);
                self.step = Step::Helo;
                self.send(now, format!("HELO {}", self.helo));
            }
            Step::Ehlo => self.fail(now, "server refused EHLO", reply),
            Step::Helo if ok => self.send_mail(now),
            Step::Helo => self.fail(now, "server refused HELO", reply),
            Step::Mail if ok => {
                if self.envelope.to.is_empty() {
                    let r = Reply::new(super::ReplyCode::ParamError, "no recipients");
                    return self.fail(now, "message has no recipients", r);
                }
                self.send_rcpt(now, 0);
            }
            Step::Mail => self.fail(now, "server refused the sender", reply),
            Step::Rcpt(i) => {
                let to = self.envelope.to[i].clone();
                if ok {
                    self.accepted.push(to);
                } else {
                    self.notes.push_back(ClientNote::RecipientRefused {
                        addr: to.to_string(),
                        reply: reply.clone(),
                    });
                    self.rejected.push((to, reply.clone()));
                }
                if i + 1 < self.envelope.to.len() {
                    self.send_rcpt(now, i + 1);
                } else if self.accepted.is_empty() {
                    self.fail(now, "every recipient was refused", reply);
                } else {
                    self.step = Step::Data;
                    self.send(now, "DATA".into());
                }
            }
            Step::Data if reply.code.is_intermediate() => {
                self.step = Step::Body;
                let body = dot_stuff(&self.envelope.data);
                self.notes.push_back(ClientNote::SentBody {
                    size: self.envelope.data.len(),
                });
                self.output.push_back(body.into_bytes());
                self.deadline = Some(now + DATA_END_TIMEOUT);
            }
            Step::Data => self.fail(now, "server refused DATA", reply),
            Step::Body if ok => {
                let accepted = std::mem::take(&mut self.accepted);
                let rejected = std::mem::take(&mut self.rejected);
                self.finish(Outcome::Sent { accepted, rejected });
                self.quit(now);
            }
            Step::Body => self.fail(now, "server refused the message", reply),
            Step::Quit | Step::Done => self.end(),
        }
    }

    fn send_mail(&mut self, now: SimTime) {
        self.step = Step::Mail;
        let from = self.envelope.from_path();
        if self.size_ext {
            // RFC 1870 §6: the client declares the size so the server can refuse early.
            let size = self.envelope.data.len();
            self.send(now, format!("MAIL FROM:{from} SIZE={size}"));
        } else {
            self.send(now, format!("MAIL FROM:{from}"));
        }
    }
}

/// The message text as sent after DATA: CRLF line ends, a `.` doubled at
/// the start of a line, and the closing `.` line.
pub fn dot_stuff(data: &str) -> String {
    use crate::mail::line_end;
    let b = data.as_bytes();
    let mut out = String::with_capacity(data.len() + data.len() / 32 + 8);
    // One pass: lone CRs and LFs become CRLF (as `mail::crlf`) and a dot
    // starting a line is doubled; the runs between are copied whole.
    let (mut start, mut i) = (0, 0);
    loop {
        // `i` starts a line.
        if b.get(i) == Some(&b'.') {
            out.push_str(&data[start..i]);
            out.push('.');
            start = i;
        }
        match line_end(b, i) {
            None => break,
            Some((at, 2)) => i = at + 2,
            Some((at, _)) => {
                out.push_str(&data[start..at]);
                out.push_str("\r\n");
                i = at + 1;
                start = i;
            }
        }
    }
    out.push_str(&data[start..]);
    if !out.is_empty() && !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out.push_str(".\r\n");
    out
}
