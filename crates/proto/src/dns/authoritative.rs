//! The authoritative server: answers from its own zones (RFC 1034 §4.3.2),
//! refers below zone cuts, and answers negatively with the SOA (RFC 2308).
//!
//! Bytes in, bytes out: [`Authoritative::handle_query`] takes one DNS message
//! (for TCP, already taken out of its 2-byte length frame with
//! [`TcpDeframer`]) and returns the response (frame it with [`tcp_frame`] for
//! TCP). Responses over UDP are cut to 512 bytes (or the client's EDNS size)
//! with TC set (RFC 1035 §4.2.1).

use std::collections::VecDeque;

use super::message::{Message, Opcode, Rcode, Record};
use super::name::Name;
use super::note::Note;
use super::rdata::{Class, RData, RecordType};
use super::zone::{Zone, ZoneAnswer};
use crate::SimTime;

/// How a query arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Transport {
    /// UDP: responses are cut to the size limit with TC.
    Udp,
    /// TCP: up to 65535 bytes; each message framed by a 2-byte length.
    Tcp,
}

/// UDP payload size announced in EDNS replies (the DNS Flag Day 2020 value).
pub const EDNS_PAYLOAD: u16 = 1232;

/// Largest DNS message over TCP (RFC 1035 §4.2.2).
pub const TCP_LIMIT: usize = 65535;

/// A server answering from its zones.
#[derive(Clone, Debug, Default)]
pub struct Authoritative {
    zones: Vec<Zone>,
    notes: VecDeque<Note>,
}

impl Authoritative {
    /// A server for these zones.
    pub fn new(zones: Vec<Zone>) -> Self {
        Authoritative {
            zones,
            notes: VecDeque::new(),
        }
    }

    /// The zones served.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// Adds a zone, replacing one with the same origin (config applies live).
    pub fn set_zone(&mut self, zone: Zone) {
        self.zones.retain(|z| z.origin != zone.origin);
        self.zones.push(zone);
    }

    /// Stops serving the zone with this origin; true if there was one.
    pub fn remove_zone(&mut self, origin: &Name) -> bool {
        let before = self.zones.len();
        self.zones.retain(|z| &z.origin != origin);
        before != self.zones.len()
    }

    /// The most specific zone containing `name`.
    pub fn find_zone(&self, name: &Name) -> Option<&Zone> {
        self.zones
            .iter()
            .filter(|z| name.is_within(&z.origin))
            .max_by_key(|z| z.origin.label_count())
    }

    /// The next note about what the server decided.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<Note> {
        self.notes.pop_front()
    }

    /// Answers one query from the wire; `None` when there is nothing to send
    /// (a response, or bytes too short to hold a header).
    pub fn handle_query(
        &mut self,
        now: SimTime,
        bytes: &[u8],
        transport: Transport,
    ) -> Option<Vec<u8>> {
        let _ = now;
        let query = match Message::parse(bytes) {
            Ok(query) => query,
            Err(error) => {
                let (id, flags) = Message::peek_header(bytes)?;
                if flags.qr {
                    return None;
                }
                self.notes.push_back(Note::Malformed {
                    reason: error.to_string(),
                });
                let mut resp = Message {
                    id,
                    ..Message::default()
                };
                resp.flags.qr = true;
                resp.flags.opcode = flags.opcode;
                resp.flags.rd = flags.rd;
                resp.flags.rcode = Rcode::FormErr;
                return Some(resp.emit());
            }
        };
        if query.flags.qr {
            return None;
        }
        let response = self.answer(&query);
        Some(self.encode(&response, &query, transport))
    }

    /// Encodes `response` within the transport's size limit, noting a cut.
    pub(crate) fn encode(
        &mut self,
        response: &Message,
        query: &Message,
        transport: Transport,
    ) -> Vec<u8> {
        let limit = match transport {
            Transport::Udp => query.udp_limit(),
            Transport::Tcp => TCP_LIMIT,
        };
        // RFC 6891 §6.1.1: a request with OPT gets an OPT back.
        let edns = query
            .additionals
            .iter()
            .any(|r| r.rtype() == RecordType::Opt)
            && !response
                .additionals
                .iter()
                .any(|r| r.rtype() == RecordType::Opt);
        let with_opt;
        let response = if edns {
            let mut r = response.clone();
            r.additionals.push(Record {
                name: Name::root(),
                class: Class::from(EDNS_PAYLOAD),
                ttl: 0,
                data: RData::Unknown {
                    rtype: RecordType::Opt.into(),
                    data: Vec::new(),
                },
            });
            with_opt = r;
            &with_opt
        } else {
            response
        };
        let full = response.emit();
        if full.len() <= limit {
            return full;
        }
        let cut = response.emit_limited(limit);
        if Message::peek_header(&cut).is_some_and(|(_, f)| f.tc) {
            self.notes.push_back(Note::Truncated {
                size: full.len(),
                limit,
            });
        }
        cut
    }

    /// Builds the response to a parsed query (RFC 1034 §4.3.2).
    pub fn answer(&mut self, query: &Message) -> Message {
        let mut resp = Message::response_to(query, Rcode::NoError);
        if query.flags.opcode != Opcode::Query {
            self.notes.push_back(Note::NotImplemented {
                what: format!("opcode {}", query.flags.opcode),
            });
            resp.flags.rcode = Rcode::NotImp;
            return resp;
        }
        let [q] = query.questions.as_slice() else {
            self.notes.push_back(Note::Malformed {
                reason: format!("{} questions; exactly 1 expected", query.questions.len()),
            });
            resp.flags.rcode = Rcode::FormErr;
            return resp;
        };
        if !matches!(q.qclass, Class::In | Class::Any) {
            self.notes.push_back(Note::NotImplemented {
                what: format!("class {}", q.qclass),
            });
            resp.flags.rcode = Rcode::NotImp;
            return resp;
        }
        match q.qtype {
            RecordType::Axfr | RecordType::Unknown(251 | 253 | 254) => {
                self.notes.push_back(Note::NotImplemented {
                    what: format!("{} (zone transfer)", q.qtype),
                });
                resp.flags.rcode = Rcode::NotImp;
                return resp;
            }
            RecordType::Opt => {
                self.notes.push_back(Note::Malformed {
                    reason: "OPT is not a question type".into(),
                });
                resp.flags.rcode = Rcode::FormErr;
                return resp;
            }
            _ => {}
        }
        let Some(zone) = self.find_zone(&q.name) else {
            self.notes.push_back(Note::NotAuthoritative {
                name: q.name.clone(),
            });
            resp.flags.rcode = Rcode::Refused;
            return resp;
        };
        let lookup = zone.lookup(&q.name, q.qtype);
        let mut notes = Vec::new();
        match lookup {
            ZoneAnswer::Answer(records) => {
                resp.flags.aa = true;
                note_aliases(&records, &mut notes);
                notes.push(Note::Answered {
                    question: q.clone(),
                    count: records.len(),
                });
                resp.answers = records;
                resp.additionals = self.additional_for(&resp.answers);
            }
            ZoneAnswer::Delegation { cut, ns, glue } => {
                notes.push(Note::Delegated {
                    zone: cut,
                    servers: ns.iter().filter_map(|r| r.data.target().cloned()).collect(),
                });
                resp.authorities = ns;
                resp.additionals = glue;
            }
            ZoneAnswer::NoData { chain, soa } => {
                resp.flags.aa = true;
                note_aliases(&chain, &mut notes);
                let name = chain
                    .last()
                    .and_then(|r| r.data.target().cloned())
                    .unwrap_or_else(|| q.name.clone());
                notes.push(Note::NoData {
                    name,
                    rtype: q.qtype,
                });
                resp.answers = chain;
                resp.authorities = soa.into_iter().collect();
            }
            ZoneAnswer::NxDomain { chain, soa } => {
                resp.flags.aa = true;
                resp.flags.rcode = Rcode::NxDomain;
                note_aliases(&chain, &mut notes);
                let name = chain
                    .last()
                    .and_then(|r| r.data.target().cloned())
                    .unwrap_or_else(|| q.name.clone());
                notes.push(Note::NxDomain { name });
                resp.answers = chain;
                resp.authorities = soa.into_iter().collect();
            }
        }
        self.notes.extend(notes);
        resp
    }

    /// Addresses of the hosts named by MX, NS and SRV answers, when held here
    /// (RFC 1035 §3.3.9 "additional section processing").
    fn additional_for(&self, answers: &[Record]) -> Vec<Record> {
        let mut out: Vec<Record> = Vec::new();
        for r in answers {
            if !matches!(r.rtype(), RecordType::Mx | RecordType::Ns | RecordType::Srv) {
                continue;
            }
            let Some(target) = r.data.target() else {
                continue;
            };
            let Some(zone) = self.find_zone(target) else {
                continue;
            };
            for a in zone.addresses_of(target) {
                if !out.contains(&a) && !answers.contains(&a) {
                    out.push(a);
                }
            }
        }
        out
    }
}

fn note_aliases(records: &[Record], notes: &mut Vec<Note>) {
    for r in records {
        if r.rtype() == RecordType::Cname
            && let Some(to) = r.data.target()
        {
            notes.push(Note::AliasFollowed {
                from: r.name.clone(),
                to: to.clone(),
            });
        }
    }
}

/// Puts the 2-byte length in front of a message for TCP (RFC 1035 §4.2.2).
pub fn tcp_frame(message: &[u8]) -> Vec<u8> {
    let len = message.len().min(TCP_LIMIT);
    let mut out = Vec::with_capacity(len + 2);
    out.extend_from_slice(&(len as u16).to_be_bytes());
    out.extend_from_slice(&message[..len]);
    out
}

/// Collects TCP stream bytes and yields whole DNS messages.
#[derive(Clone, Debug, Default)]
pub struct TcpDeframer {
    buf: Vec<u8>,
}

impl TcpDeframer {
    /// An empty deframer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes received from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete message, without its length prefix.
    #[must_use]
    pub fn next_message(&mut self) -> Option<Vec<u8>> {
        let len = usize::from(u16::from_be_bytes([*self.buf.first()?, *self.buf.get(1)?]));
        if self.buf.len() < 2 + len {
            return None;
        }
        let msg = self.buf[2..2 + len].to_vec();
        self.buf.drain(..2 + len);
        Some(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::fixtures::*;
    use crate::dns::message::{Flags, Question};
    use crate::dns::rdata::RData;

    fn hasan() -> Authoritative {
        Authoritative::new(vec![hasan_zone(), reverse_zone()])
    }

    fn ask(server: &mut Authoritative, name: &str, qtype: RecordType) -> Message {
        let q = Message::query(42, Question::new(n(name), qtype), false);
        let bytes = server
            .handle_query(SimTime::ZERO, &q.emit(), Transport::Udp)
            .unwrap();
        Message::parse(&bytes).unwrap()
    }

    fn notes(server: &mut Authoritative) -> Vec<String> {
        core::iter::from_fn(|| server.poll_note())
            .map(|n| n.to_string())
            .collect()
    }

    #[test]
    fn authoritative_answers() {
        let mut s = hasan();
        let r = ask(&mut s, "hasan.com", RecordType::A);
        assert_eq!(r.to_string(), "A hasan.com. 192.168.1.1 (AA)");
        assert_eq!(r.id, 42);
        let r = ask(&mut s, "www.hasan.com", RecordType::A);
        assert_eq!(
            r.to_string(),
            "CNAME www.hasan.com. hasan.com., A hasan.com. 192.168.1.1 (AA)"
        );
        assert_eq!(
            notes(&mut s)[1..],
            [
                "www.hasan.com. is an alias for hasan.com.",
                "authoritative answer to A? www.hasan.com.: 2 record(s)"
            ]
        );
        let r = ask(&mut s, "hasan.com", RecordType::Mx);
        assert_eq!(r.to_string(), "MX hasan.com. 10 mail.hasan.com. (AA)");
        assert_eq!(r.additionals[0].summary(), "A mail.hasan.com. 192.168.1.1");
        let r = ask(&mut s, "_imap._tcp.hasan.com", RecordType::Srv);
        assert_eq!(r.additionals.len(), 1);
        let r = ask(&mut s, "1.1.168.192.in-addr.arpa", RecordType::Ptr);
        assert_eq!(
            r.to_string(),
            "PTR 1.1.168.192.in-addr.arpa. hasan.com. (AA)"
        );
    }

    #[test]
    fn negative_answers_carry_the_soa() {
        let mut s = hasan();
        let r = ask(&mut s, "foo.hasan.com", RecordType::A);
        assert_eq!(r.flags.rcode, Rcode::NxDomain);
        assert!(r.flags.aa);
        assert_eq!(r.authorities.len(), 1);
        assert_eq!(r.authorities[0].rtype(), RecordType::Soa);
        assert_eq!(r.authorities[0].ttl, 300, "min(TTL, MINIMUM)");
        assert_eq!(notes(&mut s), ["NXDOMAIN for foo.hasan.com."]);
        let r = ask(&mut s, "mail.hasan.com", RecordType::Aaaa);
        assert_eq!(r.flags.rcode, Rcode::NoError);
        assert!(r.answers.is_empty());
        assert_eq!(r.authorities[0].rtype(), RecordType::Soa);
        assert_eq!(
            notes(&mut s),
            ["mail.hasan.com. exists but has no AAAA record (NODATA)"]
        );
    }

    #[test]
    fn referrals_with_glue() {
        let mut root = Authoritative::new(vec![root_zone()]);
        let r = ask(&mut root, "www.hasan.com", RecordType::A);
        assert!(!r.flags.aa);
        assert_eq!(
            r.to_string(),
            "NOERROR A? www.hasan.com., referral to com. (1 NS)"
        );
        assert_eq!(
            r.additionals[0].summary(),
            "A a.gtld-servers.net. 192.5.6.30"
        );
        let r = ask(&mut root, "1.1.168.192.in-addr.arpa", RecordType::Ptr);
        assert_eq!(r.authorities[0].name, n("1.168.192.in-addr.arpa"));
        assert_eq!(r.additionals[0].data, RData::A(HASAN_IP.parse().unwrap()));
        let mut com = Authoritative::new(vec![com_zone()]);
        let r = ask(&mut com, "hasan.com", RecordType::A);
        assert_eq!(r.authorities[0].summary(), "NS hasan.com. ns1.hasan.com.");
        assert_eq!(r.additionals[0].summary(), "A ns1.hasan.com. 10.0.3.53");
        assert_eq!(
            notes(&mut com),
            ["hasan.com. is delegated to ns1.hasan.com."]
        );
    }

    #[test]
    fn errors() {
        let mut s = hasan();
        let r = ask(&mut s, "foo.org", RecordType::A);
        assert_eq!(r.flags.rcode, Rcode::Refused);
        let r = ask(&mut s, "hasan.com", RecordType::Axfr);
        assert_eq!(r.flags.rcode, Rcode::NotImp);
        let mut q = Message::query(9, Question::new(n("hasan.com"), RecordType::A), false);
        q.flags.opcode = Opcode::Status;
        let r = s
            .handle_query(SimTime::ZERO, &q.emit(), Transport::Udp)
            .unwrap();
        assert_eq!(Message::parse(&r).unwrap().flags.rcode, Rcode::NotImp);
        // Header fine, question cut short: FORMERR with the same id.
        let mut bytes = q.emit();
        bytes.truncate(16);
        bytes[2] = 0x01;
        let r = Message::parse(
            &s.handle_query(SimTime::ZERO, &bytes, Transport::Udp)
                .unwrap(),
        )
        .unwrap();
        assert_eq!((r.id, r.flags.rcode), (9, Rcode::FormErr));
        // Too short for a header, or a response: silence.
        assert_eq!(
            s.handle_query(SimTime::ZERO, &[1, 2, 3], Transport::Udp),
            None
        );
        let mut resp = q.clone();
        resp.flags = Flags {
            qr: true,
            ..Flags::default()
        };
        assert_eq!(
            s.handle_query(SimTime::ZERO, &resp.emit(), Transport::Udp),
            None
        );
    }

    #[test]
    fn edns_queries_get_opt_and_a_bigger_limit() {
        let mut zone = hasan_zone();
        for i in 0..5 {
            zone.add(Record::new(
                n("big.hasan.com"),
                60,
                RData::Txt(vec![format!("{i}").repeat(150)]),
            ))
            .unwrap();
        }
        let mut s = Authoritative::new(vec![zone]);
        let mut q = Message::query(5, Question::new(n("big.hasan.com"), RecordType::Txt), false);
        q.additionals.push(Record {
            name: Name::root(),
            class: Class::from(4096),
            ttl: 0,
            data: RData::Unknown {
                rtype: 41,
                data: Vec::new(),
            },
        });
        assert_eq!(q.udp_limit(), 4096);
        let r = s
            .handle_query(SimTime::ZERO, &q.emit(), Transport::Udp)
            .unwrap();
        assert!(r.len() > 512);
        let r = Message::parse(&r).unwrap();
        assert!(!r.flags.tc);
        assert_eq!(r.answers.len(), 5);
        assert_eq!(r.additionals.last().unwrap().rtype(), RecordType::Opt);
        assert_eq!(u16::from(r.additionals.last().unwrap().class), EDNS_PAYLOAD);
    }

    #[test]
    fn udp_truncation_and_tcp() {
        let mut zone = hasan_zone();
        for i in 0..8 {
            zone.add(Record::new(
                n("big.hasan.com"),
                60,
                RData::Txt(vec![format!("{i}").repeat(120)]),
            ))
            .unwrap();
        }
        let mut s = Authoritative::new(vec![zone]);
        let r = ask(&mut s, "big.hasan.com", RecordType::Txt);
        assert!(r.flags.tc);
        assert!(r.answers.is_empty());
        assert_eq!(
            notes(&mut s).last().unwrap(),
            "response is 1095 bytes, over the 512-byte UDP limit: truncated (TC)"
        );
        let q = Message::query(5, Question::new(n("big.hasan.com"), RecordType::Txt), false);
        let mut deframer = TcpDeframer::new();
        let framed = tcp_frame(&q.emit());
        deframer.push(&framed[..3]);
        assert_eq!(deframer.next_message(), None);
        deframer.push(&framed[3..]);
        let msg = deframer.next_message().unwrap();
        let r = s.handle_query(SimTime::ZERO, &msg, Transport::Tcp).unwrap();
        let r = Message::parse(&r).unwrap();
        assert!(!r.flags.tc);
        assert_eq!(r.answers.len(), 8);
    }
}
