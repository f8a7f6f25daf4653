//! The iterative part of the resolver (RFC 1034 §5.3.3): where to start
//! (cache, closest known servers, root hints), one query at a time, and what
//! a server's reply means (answer, CNAME, referral, NXDOMAIN, NODATA, lame).

use std::net::{IpAddr, SocketAddr};

use super::{Frame, Outcome, Pending, Resolver, Step, Task, Transmit};
use crate::SimTime;
use crate::dns::cache::CacheAnswer;
use crate::dns::message::{Message, Question, Rcode, Record};
use crate::dns::name::Name;
use crate::dns::note::Note;
use crate::dns::rdata::{RData, RecordType};
use crate::dns::zone::MAX_CNAME_CHAIN;

impl Resolver {
    /// Answers a query without RD from the cache, or refers it to the
    /// closest zone whose servers are cached (RFC 1034 §4.3.1).
    pub(super) fn answer_without_recursion(&mut self, now: SimTime, query: &Message) -> Message {
        let mut resp = Message::response_to(query, Rcode::NoError);
        resp.flags.ra = true;
        let q = &query.questions[0];
        self.notes.push_back(Note::NoRecursion {
            question: q.clone(),
        });
        let mut frame = Frame::new(q.name.clone(), q.qtype);
        frame.fresh = false;
        if let Some((hit, left)) = self.cache.get(now, &q.name, q.qtype) {
            match self.cache_hit(&frame, hit, left) {
                Outcome::Records(rs) => resp.answers = rs,
                Outcome::NxDomain(soa) => {
                    resp.flags.rcode = Rcode::NxDomain;
                    resp.authorities.extend(soa);
                }
                Outcome::NoData(soa) => resp.authorities.extend(soa),
                Outcome::Fail(_) => resp.flags.rcode = Rcode::ServFail,
            }
            return resp;
        }
        let (zone, _, _) = self.best_servers(now, &q.name);
        if let Some(ns) = self.cache.records(now, &zone, RecordType::Ns) {
            for target in ns.iter().filter_map(|r| r.data.target()) {
                resp.additionals.extend(
                    self.cache
                        .records(now, target, RecordType::A)
                        .unwrap_or_default(),
                );
            }
            resp.authorities = ns;
        }
        resp
    }

    fn follow_cname(frame: &mut Frame, cname: Record) -> Result<(), Outcome> {
        let Some(target) = cname.data.target().cloned() else {
            return Err(Outcome::Fail("bad CNAME".into()));
        };
        if frame.chain.len() >= MAX_CNAME_CHAIN || frame.chain.iter().any(|r| r.name == target) {
            return Err(Outcome::Fail(format!(
                "CNAME chain at {target} is too long or loops"
            )));
        }
        frame.chain.push(cname);
        frame.qname = target;
        frame.fresh = true;
        Ok(())
    }

    /// One move of the active frame.
    pub(super) fn step(&mut self, now: SimTime, task: &mut Task) -> Step {
        let depth = task.frames.len();
        let ancestors: Vec<Name> = task.frames.iter().map(|f| f.qname.clone()).collect();
        let Some(frame) = task.frames.last_mut() else {
            return Step::Done(Outcome::Fail("nothing to do".into()));
        };
        if frame.fresh {
            frame.fresh = false;
            if let Some((hit, left)) = self.cache.get(now, &frame.qname, frame.qtype) {
                return Step::Done(self.cache_hit(frame, hit, left));
            }
            if frame.qtype != RecordType::Cname
                && let Some(mut rs) = self.cache.records(now, &frame.qname, RecordType::Cname)
                && let Some(cname) = rs.pop()
            {
                self.notes.push_back(Note::CacheHit {
                    name: frame.qname.clone(),
                    rtype: RecordType::Cname,
                    ttl_left: cname.ttl,
                });
                return match Self::follow_cname(frame, cname) {
                    Ok(()) => Step::Again,
                    Err(o) => Step::Done(o),
                };
            }
            let (zone, servers, unresolved) = self.best_servers(now, &frame.qname);
            frame.zone = zone;
            frame.servers = servers;
            frame.unresolved = unresolved;
            frame.next = 0;
            frame.attempts = 0;
        }
        if let Some(&server) = frame.servers.get(frame.next) {
            if task.sent >= self.config.max_queries {
                return Step::Done(Outcome::Fail(format!(
                    "{} queries sent without an answer",
                    task.sent
                )));
            }
            let id = self.next_id;
            self.next_id = self.next_id.wrapping_add(1);
            let question = Question::new(frame.qname.clone(), frame.qtype);
            self.notes.push_back(Note::Asking {
                server,
                zone: frame.zone.clone(),
                question: question.clone(),
                id,
            });
            let query = Message::query(id, question.clone(), false);
            self.transmits.push_back(Transmit {
                dst: SocketAddr::new(server, 53),
                payload: query.emit(),
            });
            frame.attempts += 1;
            task.sent += 1;
            task.pending = Some(Pending {
                id,
                server,
                question,
                deadline: now + self.config.timeout,
            });
            return Step::Wait;
        }
        while let Some(ns) = frame.unresolved.pop() {
            if depth > self.config.max_depth || ancestors.contains(&ns) {
                continue;
            }
            self.notes
                .push_back(Note::ResolvingServerName { name: ns.clone() });
            task.frames.push(Frame::new(ns, RecordType::A));
            return Step::Again;
        }
        Step::Done(Outcome::Fail(format!(
            "no server for {} gave an answer",
            frame.zone
        )))
    }

    fn cache_hit(&mut self, frame: &Frame, hit: CacheAnswer, left: u32) -> Outcome {
        let (name, rtype) = (frame.qname.clone(), frame.qtype);
        match hit {
            CacheAnswer::Records(rs) => {
                self.notes.push_back(Note::CacheHit {
                    name,
                    rtype,
                    ttl_left: left,
                });
                Outcome::Records(rs)
            }
            CacheAnswer::NxDomain(soa) => {
                self.notes.push_back(Note::NegativeCacheHit {
                    name,
                    rtype,
                    nxdomain: true,
                    ttl_left: left,
                });
                Outcome::NxDomain(Some(soa))
            }
            CacheAnswer::NoData(soa) => {
                self.notes.push_back(Note::NegativeCacheHit {
                    name,
                    rtype,
                    nxdomain: false,
                    ttl_left: left,
                });
                Outcome::NoData(Some(soa))
            }
        }
    }

    /// The deepest zone above `name` with cached servers (RFC 1034 §5.3.3
    /// step 2), or the root hints.
    fn best_servers(&self, now: SimTime, name: &Name) -> (Name, Vec<IpAddr>, Vec<Name>) {
        for n in (0..=name.label_count()).rev() {
            let zone = name.suffix(n);
            let Some(ns) = self.cache.records(now, &zone, RecordType::Ns) else {
                continue;
            };
            let (servers, unresolved) = self.addresses_of(now, &zone, &ns);
            if !servers.is_empty() || !unresolved.is_empty() {
                return (zone, servers, unresolved);
            }
        }
        (Name::root(), self.config.root_hints.clone(), Vec::new())
    }

    /// Cached addresses of a zone's servers, and the server names to look up
    /// (only those outside the zone: inside, only glue could help).
    fn addresses_of(&self, now: SimTime, zone: &Name, ns: &[Record]) -> (Vec<IpAddr>, Vec<Name>) {
        let mut servers = Vec::new();
        let mut unresolved = Vec::new();
        for target in ns.iter().filter_map(|r| r.data.target()) {
            match self.cache.records(now, target, RecordType::A) {
                Some(rs) => {
                    for r in rs {
                        if let RData::A(a) = r.data
                            && !servers.contains(&IpAddr::V4(a))
                        {
                            servers.push(IpAddr::V4(a));
                        }
                    }
                }
                None if !target.is_within(zone) => unresolved.push(target.clone()),
                None => {}
            }
        }
        unresolved.reverse();
        (servers, unresolved)
    }

    /// Reads a server's reply (RFC 1034 §5.3.3 step 4).
    pub(super) fn classify(
        &mut self,
        now: SimTime,
        task: &mut Task,
        server: IpAddr,
        msg: &Message,
    ) -> Step {
        let Some(frame) = task.frames.last_mut() else {
            return Step::Done(Outcome::Fail("nothing to do".into()));
        };
        if msg.flags.tc {
            self.notes.push_back(Note::ServerError {
                server,
                rcode: msg.flags.rcode,
            });
            frame.skip_server();
            return Step::Again;
        }
        if !matches!(msg.flags.rcode, Rcode::NoError | Rcode::NxDomain) {
            self.notes.push_back(Note::ServerError {
                server,
                rcode: msg.flags.rcode,
            });
            frame.skip_server();
            return Step::Again;
        }
        // Walk the answer section, following CNAMEs the server included.
        let start = frame.qname.clone();
        for _ in 0..=MAX_CNAME_CHAIN {
            let matching: Vec<Record> = msg
                .answers
                .iter()
                .filter(|r| {
                    r.name == frame.qname
                        && (r.rtype() == frame.qtype || frame.qtype == RecordType::Any)
                })
                .cloned()
                .collect();
            if !matching.is_empty() {
                self.cache_answer(now, &matching);
                return Step::Done(Outcome::Records(matching));
            }
            let cname = msg
                .answers
                .iter()
                .find(|r| r.name == frame.qname && r.rtype() == RecordType::Cname)
                .cloned();
            let Some(cname) = cname else { break };
            self.cache_answer(now, core::slice::from_ref(&cname));
            if let Err(o) = Self::follow_cname(frame, cname) {
                return Step::Done(o);
            }
        }
        let soa = msg
            .authorities
            .iter()
            .find(|r| r.rtype() == RecordType::Soa && frame.qname.is_within(&r.name))
            .cloned();
        if msg.flags.rcode == Rcode::NxDomain {
            if let Some(soa) = &soa
                && let Some(ttl) =
                    self.cache
                        .insert_negative(now, &frame.qname, frame.qtype, true, soa)
            {
                self.notes.push_back(Note::CachedNegative {
                    name: frame.qname.clone(),
                    rtype: frame.qtype,
                    nxdomain: true,
                    ttl,
                });
            }
            return Step::Done(Outcome::NxDomain(soa));
        }
        if frame.qname != start {
            // Followed a CNAME out of what this server answered: start over.
            frame.fresh = true;
            return Step::Again;
        }
        // A referral: NS records for a zone below the one asked, above the name.
        let cut = msg
            .authorities
            .iter()
            .find(|r| {
                r.rtype() == RecordType::Ns
                    && frame.qname.is_within(&r.name)
                    && r.name.is_within(&frame.zone)
                    && r.name.label_count() > frame.zone.label_count()
            })
            .map(|r| r.name.clone());
        if let Some(cut) = cut.filter(|_| msg.answers.is_empty()) {
            let ns: Vec<Record> = msg
                .authorities
                .iter()
                .filter(|r| r.rtype() == RecordType::Ns && r.name == cut)
                .cloned()
                .collect();
            let targets: Vec<&Name> = ns.iter().filter_map(|r| r.data.target()).collect();
            // Glue only from within the referring server's zone (bailiwick).
            let glue: Vec<Record> = msg
                .additionals
                .iter()
                .filter(|r| {
                    r.rtype() == RecordType::A
                        && targets.contains(&&r.name)
                        && r.name.is_within(&frame.zone)
                })
                .cloned()
                .collect();
            self.cache.insert_records(now, &ns);
            self.cache.insert_records(now, &glue);
            let mut servers: Vec<IpAddr> = glue
                .iter()
                .filter_map(|r| match r.data {
                    RData::A(a) => Some(IpAddr::V4(a)),
                    _ => None,
                })
                .collect();
            let (cached, unresolved) = self.addresses_of(now, &cut, &ns);
            for s in cached {
                if !servers.contains(&s) {
                    servers.push(s);
                }
            }
            self.notes.push_back(Note::Referral {
                zone: cut.clone(),
                addresses: servers.clone(),
            });
            frame.zone = cut;
            frame.servers = servers;
            frame.unresolved = unresolved;
            frame.next = 0;
            frame.attempts = 0;
            return Step::Again;
        }
        if msg.flags.aa || soa.is_some() {
            if let Some(soa) = &soa
                && let Some(ttl) =
                    self.cache
                        .insert_negative(now, &frame.qname, frame.qtype, false, soa)
            {
                self.notes.push_back(Note::CachedNegative {
                    name: frame.qname.clone(),
                    rtype: frame.qtype,
                    nxdomain: false,
                    ttl,
                });
            }
            return Step::Done(Outcome::NoData(soa));
        }
        // Neither answer nor referral nor authority: a lame server.
        self.notes.push_back(Note::ServerError {
            server,
            rcode: msg.flags.rcode,
        });
        frame.skip_server();
        Step::Again
    }

    fn cache_answer(&mut self, now: SimTime, records: &[Record]) {
        for (name, rtype, ttl) in self.cache.insert_records(now, records) {
            self.notes.push_back(Note::Cached { name, rtype, ttl });
        }
    }
}
