//! The stub resolver every host uses (ping, browser, mail client, nslookup):
//! one recursive query (RD set, RFC 1034 §5.3.1) to the configured DNS
//! servers, matched by id, retried on timeout, with a typed result; and the
//! `nslookup` command's parsing and output.

use core::fmt;
use core::time::Duration;
use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};

use serde::{Deserialize, Serialize};

use super::message::{Message, Question, Rcode, Record};
use super::name::{Name, NameError};
use super::note::Note;
use super::rdata::{RData, RecordType};
use super::recursive::Transmit;
use crate::SimTime;

/// Where a host sends its DNS queries and how patiently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StubConfig {
    /// DNS servers, tried in order.
    pub servers: Vec<IpAddr>,
    /// How long to wait for each reply.
    pub timeout: Duration,
    /// Rounds over the server list before giving up.
    pub attempts: u32,
}

impl StubConfig {
    /// These servers with a 2 s timeout and 2 rounds.
    pub fn new(servers: Vec<IpAddr>) -> Self {
        StubConfig {
            servers,
            timeout: Duration::from_secs(2),
            attempts: 2,
        }
    }
}

/// How a lookup ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum LookupResult {
    /// Records came back (any CNAMEs first).
    Answer {
        /// The server that answered.
        server: IpAddr,
        /// Whether it was authoritative (AA).
        authoritative: bool,
        /// The answer section.
        records: Vec<Record>,
    },
    /// The name does not exist.
    NxDomain {
        /// The server that answered.
        server: IpAddr,
        /// The name asked for.
        name: Name,
    },
    /// The name exists but has no record of the type asked.
    NoAnswer {
        /// The server that answered.
        server: IpAddr,
        /// The name asked for.
        name: Name,
        /// The type asked for.
        rtype: RecordType,
    },
    /// Every server refused or failed.
    Failed {
        /// The last server asked.
        server: IpAddr,
        /// The name asked for.
        name: Name,
        /// Its response code (REFUSED, SERVFAIL, …).
        rcode: Rcode,
    },
    /// The answer did not fit in UDP (TC) and TCP retry is not done here.
    Truncated {
        /// The server that answered.
        server: IpAddr,
        /// The name asked for.
        name: Name,
    },
    /// No server replied.
    Timeout {
        /// The name asked for.
        name: Name,
    },
    /// No DNS server is configured.
    NoServers,
}

impl LookupResult {
    /// The IPv4/IPv6 addresses in the answer.
    pub fn addresses(&self) -> Vec<IpAddr> {
        match self {
            LookupResult::Answer { records, .. } => records
                .iter()
                .filter_map(|r| match r.data {
                    RData::A(a) => Some(IpAddr::V4(a)),
                    RData::Aaaa(a) => Some(IpAddr::V6(a)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for LookupResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupResult::Answer { records, .. } => {
                let list: Vec<String> = records.iter().map(Record::summary).collect();
                f.write_str(&list.join(", "))
            }
            LookupResult::NxDomain { name, .. } => {
                write!(f, "server can't find {}: NXDOMAIN", name.to_string_no_dot())
            }
            LookupResult::NoAnswer { name, rtype, .. } => {
                write!(f, "{} has no {rtype} record", name.to_string_no_dot())
            }
            LookupResult::Failed { name, rcode, .. } => {
                write!(f, "server can't find {}: {rcode}", name.to_string_no_dot())
            }
            LookupResult::Truncated { server, name } => write!(
                f,
                "the answer for {} from {server} was truncated (TC) and TCP is not tried",
                name.to_string_no_dot()
            ),
            LookupResult::Timeout { .. } => {
                f.write_str("connection timed out; no servers could be reached")
            }
            LookupResult::NoServers => f.write_str("no DNS server is configured"),
        }
    }
}

/// One lookup by a host's resolver.
#[derive(Clone, Debug)]
pub struct StubLookup {
    question: Question,
    config: StubConfig,
    id: u16,
    tries: u32,
    server: usize,
    deadline: Option<SimTime>,
    result: Option<LookupResult>,
    transmits: VecDeque<Transmit>,
    notes: VecDeque<Note>,
}

impl StubLookup {
    /// Starts a lookup (the first query is ready in `poll_transmit`).
    pub fn new(now: SimTime, question: Question, config: StubConfig, id: u16) -> Self {
        let mut lookup = StubLookup {
            question,
            config,
            id,
            tries: 0,
            server: 0,
            deadline: None,
            result: None,
            transmits: VecDeque::new(),
            notes: VecDeque::new(),
        };
        if lookup.config.servers.is_empty() {
            lookup.finish(LookupResult::NoServers);
        } else {
            lookup.send(now);
        }
        lookup
    }

    /// The question asked.
    pub fn question(&self) -> &Question {
        &self.question
    }

    /// The query id used.
    pub fn id(&self) -> u16 {
        self.id
    }

    /// The result, once there is one.
    pub fn result(&self) -> Option<&LookupResult> {
        self.result.as_ref()
    }

    /// The server the current (or last) query went to.
    pub fn current_server(&self) -> Option<IpAddr> {
        self.config.servers.get(self.server).copied()
    }

    /// The next datagram to send (to port 53 of a DNS server).
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next note for the trace.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<Note> {
        self.notes.pop_front()
    }

    /// When to call [`StubLookup::handle_timeout`].
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.deadline
    }

    fn send(&mut self, now: SimTime) {
        let Some(server) = self.current_server() else {
            return;
        };
        self.tries += 1;
        self.notes.push_back(Note::StubQuery {
            server,
            question: self.question.clone(),
            attempt: self.tries,
        });
        let query = Message::query(self.id, self.question.clone(), true);
        self.transmits.push_back(Transmit {
            dst: SocketAddr::new(server, 53),
            payload: query.emit(),
        });
        self.deadline = Some(now + self.config.timeout);
    }

    fn finish(&mut self, result: LookupResult) {
        self.deadline = None;
        self.notes.push_back(Note::StubDone {
            question: self.question.clone(),
            result: result.to_string(),
        });
        self.result = Some(result);
    }

    /// Moves to the next server (or round); false when all tries are spent.
    fn advance(&mut self, now: SimTime) -> bool {
        let total = self.config.servers.len() as u32 * self.config.attempts.max(1);
        if self.tries >= total {
            return false;
        }
        self.server = (self.server + 1) % self.config.servers.len();
        self.send(now);
        true
    }

    /// A datagram from a DNS server; true when it was the reply awaited.
    pub fn handle_response(&mut self, now: SimTime, from: SocketAddr, bytes: &[u8]) -> bool {
        if self.result.is_some() {
            return false;
        }
        let Ok(msg) = Message::parse(bytes) else {
            return false;
        };
        if !msg.flags.qr
            || msg.id != self.id
            || !self.config.servers.contains(&from.ip())
            || msg.questions != [self.question.clone()]
        {
            return false;
        }
        let server = from.ip();
        let name = self.question.name.clone();
        let result = match msg.flags.rcode {
            Rcode::NoError if !msg.answers.is_empty() => LookupResult::Answer {
                server,
                authoritative: msg.flags.aa,
                records: msg.answers,
            },
            Rcode::NoError if msg.flags.tc => LookupResult::Truncated { server, name },
            Rcode::NoError => LookupResult::NoAnswer {
                server,
                name,
                rtype: self.question.qtype,
            },
            Rcode::NxDomain => LookupResult::NxDomain { server, name },
            rcode => {
                if self.advance(now) {
                    return true;
                }
                LookupResult::Failed {
                    server,
                    name,
                    rcode,
                }
            }
        };
        self.finish(result);
        true
    }

    /// An ICMP destination unreachable (port unreachable: no DNS server
    /// there) about a query sent to `server`: try the next server, or give
    /// up, at once rather than after the timeout. True when it concerned
    /// the query in flight.
    pub fn handle_unreachable(&mut self, now: SimTime, server: SocketAddr) -> bool {
        if self.result.is_some()
            || self.deadline.is_none()
            || self.current_server() != Some(server.ip())
            || server.port() != 53
        {
            return false;
        }
        self.notes.push_back(Note::Unreachable {
            server: server.ip(),
        });
        if !self.advance(now) {
            let name = self.question.name.clone();
            self.finish(LookupResult::Timeout { name });
        }
        true
    }

    /// Retries or gives up when the reply is overdue.
    pub fn handle_timeout(&mut self, now: SimTime) {
        if self.deadline.is_none_or(|d| now < d) {
            return;
        }
        if let Some(server) = self.current_server() {
            self.notes.push_back(Note::Timeout {
                server,
                after: self.config.timeout,
            });
        }
        if !self.advance(now) {
            let name = self.question.name.clone();
            self.finish(LookupResult::Timeout { name });
        }
    }
}

/// Why an `nslookup` command line was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NslookupError {
    /// No name given.
    #[error("usage: nslookup [-type=TYPE] name [server]")]
    Usage,
    /// `-type=` with an unknown type.
    #[error("unknown query type '{0}'")]
    UnknownType(String),
    /// The server is not an address.
    #[error("'{0}' is not a server address")]
    BadServer(String),
    /// The name is not valid.
    #[error(transparent)]
    Name(#[from] NameError),
}

/// A parsed `nslookup [-type=X] name [server]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NslookupCommand {
    /// The question to ask (an address becomes a PTR question).
    pub question: Question,
    /// The server given on the command line, if any.
    pub server: Option<IpAddr>,
}

/// Parses an `nslookup` command line (with or without the word `nslookup`).
///
/// # Errors
/// No name, an unknown type, a bad server address or a bad name.
pub fn parse_nslookup(line: &str) -> Result<NslookupCommand, NslookupError> {
    let mut qtype = None;
    let mut args = Vec::new();
    for (i, word) in line.split_whitespace().enumerate() {
        if i == 0 && word.eq_ignore_ascii_case("nslookup") {
            continue;
        }
        let lower = word.to_ascii_lowercase();
        if let Some(t) = ["-type=", "-query=", "-q=", "-querytype="]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| &word[p.len()..])
        {
            qtype = Some(
                RecordType::parse(t).ok_or_else(|| NslookupError::UnknownType(t.to_string()))?,
            );
        } else {
            args.push(word);
        }
    }
    let name = *args.first().ok_or(NslookupError::Usage)?;
    let server = match args.get(1) {
        Some(s) => Some(
            s.parse::<IpAddr>()
                .map_err(|_| NslookupError::BadServer(s.to_string()))?,
        ),
        None => None,
    };
    let question = match name.parse::<IpAddr>() {
        Ok(addr) if qtype.is_none() || qtype == Some(RecordType::Ptr) => {
            Question::new(Name::reverse(addr), RecordType::Ptr)
        }
        _ => Question::new(Name::parse(name)?, qtype.unwrap_or(RecordType::A)),
    };
    Ok(NslookupCommand { question, server })
}

fn nslookup_record(out: &mut String, r: &Record) {
    let owner = r.name.to_string_no_dot();
    let line = match &r.data {
        RData::A(a) => format!("Name:\t{owner}\nAddress: {a}"),
        RData::Aaaa(a) => format!("Name:\t{owner}\nAddress: {a}"),
        RData::Cname(t) => format!("{owner}\tcanonical name = {t}"),
        RData::Ns(t) => format!("{owner}\tnameserver = {t}"),
        RData::Ptr(t) => format!("{owner}\tname = {t}"),
        RData::Mx {
            preference,
            exchange,
        } => format!("{owner}\tmail exchanger = {preference} {exchange}"),
        RData::Srv {
            priority,
            weight,
            port,
            target,
        } => format!("{owner}\tservice = {priority} {weight} {port} {target}"),
        RData::Txt(_) => format!("{owner}\ttext = {}", r.data),
        RData::Soa(s) => format!(
            "{owner}\n\torigin = {}\n\tmail addr = {}\n\tserial = {}\n\trefresh = {}\n\tretry = {}\n\texpire = {}\n\tminimum = {}",
            s.mname.to_string_no_dot(),
            s.rname.to_string_no_dot(),
            s.serial,
            s.refresh,
            s.retry,
            s.expire,
            s.minimum
        ),
        RData::Unknown { .. } => format!("{owner}\trdata_{} = {}", r.rtype(), r.data),
    };
    out.push_str(&line);
    out.push('\n');
}

/// Renders what `nslookup` prints for a finished lookup against `server`.
pub fn render_nslookup(server: IpAddr, result: &LookupResult) -> String {
    let mut out = String::new();
    if matches!(result, LookupResult::Timeout { .. }) {
        out.push_str(";; connection timed out; no servers could be reached\n");
        return out;
    }
    if matches!(result, LookupResult::NoServers) {
        out.push_str(";; no DNS server is configured\n");
        return out;
    }
    out.push_str(&format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n"));
    match result {
        LookupResult::Answer {
            authoritative,
            records,
            ..
        } => {
            if !authoritative {
                out.push_str("Non-authoritative answer:\n");
            }
            for r in records {
                nslookup_record(&mut out, r);
            }
        }
        LookupResult::NoAnswer { name, .. } => {
            out.push_str(&format!(
                "*** Can't find {}: No answer\n",
                name.to_string_no_dot()
            ));
        }
        other => out.push_str(&format!("** {other}\n")),
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::fixtures::n;

    const A: &str = "10.0.0.53";
    const B: &str = "10.0.0.54";

    fn lookup() -> StubLookup {
        let config = StubConfig::new(vec![A.parse().unwrap(), B.parse().unwrap()]);
        StubLookup::new(
            SimTime::ZERO,
            Question::new(n("google.com"), RecordType::A),
            config,
            77,
        )
    }

    fn reply(q: &[u8], rcode: Rcode, f: impl FnOnce(&mut Message)) -> Vec<u8> {
        let q = Message::parse(q).unwrap();
        let mut r = Message::response_to(&q, rcode);
        f(&mut r);
        r.emit()
    }

    fn from(s: &str) -> SocketAddr {
        SocketAddr::new(s.parse().unwrap(), 53)
    }

    #[test]
    fn matches_by_id_server_and_question() {
        let mut l = lookup();
        let t = l.poll_transmit().unwrap();
        assert_eq!(t.dst, from(A));
        let q = Message::parse(&t.payload).unwrap();
        assert!(q.flags.rd);
        let mut wrong_id = Message::parse(&reply(&t.payload, Rcode::NoError, |_| {})).unwrap();
        wrong_id.id = 78;
        assert!(!l.handle_response(SimTime::ZERO, from(A), &wrong_id.emit()));
        let good = reply(&t.payload, Rcode::NxDomain, |_| {});
        assert!(!l.handle_response(SimTime::ZERO, from("10.9.9.9"), &good));
        assert!(
            !l.handle_response(SimTime::ZERO, from(A), &t.payload),
            "a query"
        );
        assert!(l.handle_response(SimTime::ZERO, from(A), &good));
        assert_eq!(
            l.result().unwrap().to_string(),
            "server can't find google.com: NXDOMAIN"
        );
        assert_eq!(l.poll_timeout(), None);
    }

    #[test]
    fn refused_moves_on_then_fails() {
        let mut l = lookup();
        for (i, server) in [A, B, A, B].iter().enumerate() {
            let t = l.poll_transmit().unwrap();
            assert_eq!(t.dst, from(server), "try {}", i + 1);
            let r = reply(&t.payload, Rcode::Refused, |_| {});
            assert!(l.handle_response(SimTime::ZERO, from(server), &r));
        }
        assert_eq!(l.poll_transmit(), None);
        assert_eq!(
            l.result().unwrap().to_string(),
            "server can't find google.com: REFUSED"
        );
    }

    #[test]
    fn timeouts_rotate_servers() {
        let mut l = lookup();
        let _ = l.poll_transmit();
        assert_eq!(l.poll_timeout(), Some(SimTime::from_secs(2)));
        l.handle_timeout(SimTime::from_secs(1));
        assert_eq!(l.poll_transmit(), None, "not due yet");
        l.handle_timeout(SimTime::from_secs(2));
        assert_eq!(l.poll_transmit().unwrap().dst, from(B));
        let t = {
            l.handle_timeout(SimTime::from_secs(4));
            l.poll_transmit().unwrap()
        };
        assert_eq!(t.dst, from(A));
        // A truncated reply: reported as such.
        let r = reply(&t.payload, Rcode::NoError, |m| m.flags.tc = true);
        assert!(l.handle_response(SimTime::from_secs(5), from(A), &r));
        assert!(matches!(l.result(), Some(LookupResult::Truncated { .. })));
        let notes: Vec<String> = core::iter::from_fn(|| l.poll_note())
            .map(|n| n.to_string())
            .collect();
        assert_eq!(
            notes[0],
            "asking DNS server 10.0.0.53: A? google.com. (try 1)"
        );
        assert_eq!(notes[1], "no reply from 10.0.0.53 after 2 s");
    }

    #[test]
    fn port_unreachable_moves_on_at_once_then_gives_up() {
        let mut l = lookup();
        let t = l.poll_transmit().unwrap();
        assert_eq!(t.dst, from(A));
        // About another server, or another port: not this query's.
        assert!(!l.handle_unreachable(SimTime::ZERO, from(B)));
        assert!(!l.handle_unreachable(SimTime::ZERO, SocketAddr::new(A.parse().unwrap(), 5353)));
        let ms = SimTime::from_millis(3);
        for (i, next) in [B, A, B].iter().enumerate() {
            let sent = l.poll_transmit().map(|t| t.dst);
            assert!(sent.is_none(), "try {i}: nothing new before the error");
            let now = l.current_server().unwrap();
            assert!(l.handle_unreachable(ms, SocketAddr::new(now, 53)));
            assert_eq!(l.poll_transmit().unwrap().dst, from(next), "try {}", i + 2);
        }
        assert!(l.handle_unreachable(ms, from(B)));
        assert_eq!(l.poll_transmit(), None);
        assert_eq!(
            l.result().unwrap().to_string(),
            "connection timed out; no servers could be reached"
        );
        assert_eq!(l.poll_timeout(), None);
        assert!(!l.handle_unreachable(ms, from(B)), "already over");
        let notes: Vec<String> = core::iter::from_fn(|| l.poll_note())
            .map(|n| n.to_string())
            .collect();
        assert!(
            notes.contains(&"no response from server 10.0.0.53: port 53 unreachable".to_string()),
            "{notes:?}"
        );
    }

    #[test]
    fn no_servers() {
        let l = StubLookup::new(
            SimTime::ZERO,
            Question::new(n("x"), RecordType::A),
            StubConfig::new(Vec::new()),
            1,
        );
        assert_eq!(l.result(), Some(&LookupResult::NoServers));
    }
}
