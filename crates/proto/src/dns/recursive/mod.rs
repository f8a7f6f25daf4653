//! The recursive (caching, iterative) server, sans-IO (RFC 1034 §5.3.3).
//!
//! A client's question is answered from the cache when possible; otherwise
//! the resolver starts at the closest servers it knows (the root hints at
//! first), sends non-recursive queries, follows referrals using glue (or
//! looks a name server's address up first when there is none), chases CNAMEs,
//! caches positive and negative answers (RFC 2308), retries and moves to the
//! next server on timeout, and finally answers the client. A query without RD
//! is answered from the cache alone, or referred to the closest servers known
//! (RFC 1034 §4.3.1).
//!
//! Driving it: feed datagrams with [`Resolver::handle_datagram`] (client
//! queries and upstream replies alike), send everything
//! [`Resolver::poll_transmit`] gives, and call [`Resolver::handle_timeout`]
//! at [`Resolver::poll_timeout`]. Query ids come from a counter seeded by the
//! caller.

use core::time::Duration;
use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};

use serde::{Deserialize, Serialize};

use crate::SimTime;
use crate::dns::authoritative::{Authoritative, Transport};
use crate::dns::cache::Cache;
use crate::dns::message::{Message, Opcode, Question, Rcode, Record};
use crate::dns::name::Name;
use crate::dns::note::Note;
use crate::dns::rdata::{Class, RData, RecordType};
use crate::dns::zone::Zone;

mod iterate;

/// Most client questions worked on at once; more are refused.
pub const MAX_TASKS: usize = 64;

/// How the recursive server behaves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolverConfig {
    /// Addresses of the root servers (S4: 198.41.0.4).
    pub root_hints: Vec<IpAddr>,
    /// How long to wait for a server's reply.
    pub timeout: Duration,
    /// Tries per server before moving to the next.
    pub attempts_per_server: u8,
    /// Most queries sent for one client question.
    pub max_queries: u32,
    /// Most nested lookups of name-server addresses.
    pub max_depth: usize,
}

impl ResolverConfig {
    /// Defaults with these root hints: 2 s timeout, 2 tries per server,
    /// 32 queries, depth 4.
    pub fn with_root_hints(root_hints: Vec<IpAddr>) -> Self {
        ResolverConfig {
            root_hints,
            timeout: Duration::from_secs(2),
            attempts_per_server: 2,
            max_queries: 32,
            max_depth: 4,
        }
    }
}

/// A datagram to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// Where to: a server's port 53, or the client that asked.
    pub dst: SocketAddr,
    /// The DNS message.
    pub payload: Vec<u8>,
}

#[derive(Clone, Debug)]
enum Outcome {
    Records(Vec<Record>),
    NxDomain(Option<Record>),
    NoData(Option<Record>),
    Fail(String),
}

/// One name being resolved: the client's, or a name server's address.
#[derive(Clone, Debug)]
struct Frame {
    qname: Name,
    qtype: RecordType,
    chain: Vec<Record>,
    fresh: bool,
    zone: Name,
    servers: Vec<IpAddr>,
    next: usize,
    attempts: u8,
    unresolved: Vec<Name>,
}

impl Frame {
    fn new(qname: Name, qtype: RecordType) -> Self {
        Frame {
            qname,
            qtype,
            chain: Vec::new(),
            fresh: true,
            zone: Name::root(),
            servers: Vec::new(),
            next: 0,
            attempts: 0,
            unresolved: Vec::new(),
        }
    }

    fn skip_server(&mut self) {
        self.next += 1;
        self.attempts = 0;
    }
}

#[derive(Clone, Debug)]
struct Pending {
    id: u16,
    server: IpAddr,
    question: Question,
    deadline: SimTime,
}

#[derive(Clone, Debug)]
struct Task {
    client: SocketAddr,
    query: Message,
    frames: Vec<Frame>,
    sent: u32,
    pending: Option<Pending>,
}

enum Step {
    Wait,
    Again,
    Done(Outcome),
}

/// A recursive, caching DNS server.
#[derive(Clone, Debug)]
pub struct Resolver {
    config: ResolverConfig,
    cache: Cache,
    local: Authoritative,
    next_id: u16,
    tasks: Vec<Task>,
    transmits: VecDeque<Transmit>,
    notes: VecDeque<Note>,
}

impl Resolver {
    /// A resolver; query ids count up from `id_seed`.
    pub fn new(config: ResolverConfig, id_seed: u16) -> Self {
        Resolver {
            config,
            cache: Cache::new(),
            local: Authoritative::default(),
            next_id: id_seed,
            tasks: Vec::new(),
            transmits: VecDeque::new(),
            notes: VecDeque::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ResolverConfig {
        &self.config
    }

    /// Changes the configuration; lookups under way carry on with it.
    pub fn set_config(&mut self, config: ResolverConfig) {
        self.config = config;
    }

    /// The cache, for display.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The cache, to flush it.
    pub fn cache_mut(&mut self) -> &mut Cache {
        &mut self.cache
    }

    /// Serves `zone` authoritatively as well (replacing one of the same origin).
    pub fn set_local_zone(&mut self, zone: Zone) {
        self.local.set_zone(zone);
    }

    /// The zones served authoritatively.
    pub fn local_zones(&self) -> &[Zone] {
        self.local.zones()
    }

    /// The next datagram to send.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next note for the trace.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<Note> {
        self.notes.pop_front()
    }

    /// When [`Resolver::handle_timeout`] should next be called.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.tasks
            .iter()
            .filter_map(|t| t.pending.as_ref().map(|p| p.deadline))
            .min()
    }

    /// A datagram arrived on port 53: a client's query or a server's reply.
    pub fn handle_datagram(&mut self, now: SimTime, from: SocketAddr, bytes: &[u8]) {
        match Message::peek_header(bytes) {
            Some((_, flags)) if flags.qr => self.handle_server_response(now, from, bytes),
            _ => self.handle_client_query(now, from, bytes),
        }
    }

    /// A client's query.
    pub fn handle_client_query(&mut self, now: SimTime, client: SocketAddr, bytes: &[u8]) {
        let query = match Message::parse(bytes) {
            Ok(q) if !q.flags.qr => q,
            Ok(_) => return,
            Err(_) => {
                if let Some(reply) = self.local.handle_query(now, bytes, Transport::Udp) {
                    self.drain_local_notes();
                    self.transmits.push_back(Transmit {
                        dst: client,
                        payload: reply,
                    });
                }
                return;
            }
        };
        let unusual = query.flags.opcode != Opcode::Query
            || query.questions.len() != 1
            || !matches!(query.questions[0].qclass, Class::In | Class::Any)
            || matches!(
                query.questions[0].qtype,
                RecordType::Axfr | RecordType::Opt | RecordType::Unknown(251 | 253 | 254)
            );
        let local = !unusual && self.local.find_zone(&query.questions[0].name).is_some();
        if unusual || local {
            let mut resp = self.local.answer(&query);
            self.drain_local_notes();
            let referral = !resp.flags.aa && resp.flags.rcode == Rcode::NoError;
            if unusual || !referral {
                resp.flags.ra = true;
                self.reply(client, &query, &resp);
                return;
            }
        }
        if !query.flags.rd {
            let resp = self.answer_without_recursion(now, &query);
            self.reply(client, &query, &resp);
            return;
        }
        if self
            .tasks
            .iter()
            .any(|t| t.client == client && t.query.id == query.id)
        {
            return; // a retransmission of a question being worked on
        }
        if self.tasks.len() >= MAX_TASKS {
            let mut resp = Message::response_to(&query, Rcode::Refused);
            resp.flags.ra = true;
            self.reply(client, &query, &resp);
            return;
        }
        let q = &query.questions[0];
        let task = Task {
            client,
            frames: vec![Frame::new(q.name.clone(), q.qtype)],
            query,
            sent: 0,
            pending: None,
        };
        self.drive(now, task);
    }

    /// A reply from an upstream server.
    pub fn handle_server_response(&mut self, now: SimTime, from: SocketAddr, bytes: &[u8]) {
        let msg = match Message::parse(bytes) {
            Ok(msg) if msg.flags.qr => msg,
            _ => {
                if let Some((id, _)) = Message::peek_header(bytes) {
                    self.notes.push_back(Note::UnexpectedReply { from, id });
                }
                return;
            }
        };
        let found = self.tasks.iter().position(|t| {
            t.pending.as_ref().is_some_and(|p| {
                p.id == msg.id && p.server == from.ip() && msg.questions == [p.question.clone()]
            })
        });
        let Some(i) = found else {
            self.notes
                .push_back(Note::UnexpectedReply { from, id: msg.id });
            return;
        };
        let mut task = self.tasks.swap_remove(i);
        task.pending = None;
        let step = self.classify(now, &mut task, from.ip(), &msg);
        self.finish_step(now, task, step);
    }

    /// Handles every query whose reply is overdue at `now`.
    pub fn handle_timeout(&mut self, now: SimTime) {
        let mut i = 0;
        while i < self.tasks.len() {
            let due = self.tasks[i]
                .pending
                .as_ref()
                .is_some_and(|p| p.deadline <= now);
            if !due {
                i += 1;
                continue;
            }
            let mut task = self.tasks.swap_remove(i);
            if let Some(p) = task.pending.take() {
                self.notes.push_back(Note::Timeout {
                    server: p.server,
                    after: self.config.timeout,
                });
            }
            if let Some(frame) = task.frames.last_mut()
                && frame.attempts >= self.config.attempts_per_server
            {
                frame.skip_server();
            }
            self.drive(now, task);
        }
    }

    fn drain_local_notes(&mut self) {
        while let Some(n) = self.local.poll_note() {
            self.notes.push_back(n);
        }
    }

    fn reply(&mut self, client: SocketAddr, query: &Message, resp: &Message) {
        self.notes.push_back(Note::Replied {
            client,
            rcode: resp.flags.rcode,
            count: resp.answers.len(),
        });
        let payload = self.local.encode(resp, query, Transport::Udp);
        self.drain_local_notes();
        self.transmits.push_back(Transmit {
            dst: client,
            payload,
        });
    }

    fn finish_step(&mut self, now: SimTime, task: Task, step: Step) {
        match step {
            Step::Wait => self.tasks.push(task),
            Step::Again => self.drive(now, task),
            Step::Done(outcome) => self.complete_frame(now, task, outcome),
        }
    }

    /// Runs a task until it waits for a reply or is finished.
    fn drive(&mut self, now: SimTime, mut task: Task) {
        for _ in 0..256 {
            match self.step(now, &mut task) {
                Step::Wait => {
                    self.tasks.push(task);
                    return;
                }
                Step::Again => {}
                Step::Done(outcome) => match self.pop_frame(task, outcome) {
                    Some(parent) => task = parent,
                    None => return,
                },
            }
        }
        task.frames.truncate(1);
        let _ = self.pop_frame(task, Outcome::Fail("resolution loop".into()));
    }

    fn complete_frame(&mut self, now: SimTime, task: Task, outcome: Outcome) {
        if let Some(task) = self.pop_frame(task, outcome) {
            self.drive(now, task);
        }
    }

    /// Ends the active frame; gives the task back if a parent frame remains,
    /// else answers the client.
    fn pop_frame(&mut self, mut task: Task, outcome: Outcome) -> Option<Task> {
        let frame = task.frames.pop()?;
        if let Some(parent) = task.frames.last_mut() {
            if let Outcome::Records(rs) = &outcome {
                for r in rs {
                    if let RData::A(a) = r.data
                        && !parent.servers.contains(&IpAddr::V4(a))
                    {
                        parent.servers.push(IpAddr::V4(a));
                    }
                }
            }
            return Some(task);
        }
        let query = &task.query;
        let mut resp = Message::response_to(query, Rcode::NoError);
        resp.flags.ra = true;
        resp.answers = frame.chain;
        match outcome {
            Outcome::Records(rs) => resp.answers.extend(rs),
            Outcome::NxDomain(soa) => {
                resp.flags.rcode = Rcode::NxDomain;
                resp.authorities.extend(soa);
            }
            Outcome::NoData(soa) => resp.authorities.extend(soa),
            Outcome::Fail(reason) => {
                self.notes.push_back(Note::GaveUp {
                    question: query.questions[0].clone(),
                    reason,
                });
                resp.flags.rcode = Rcode::ServFail;
            }
        }
        self.reply(task.client, &task.query, &resp);
        None
    }
}
