//! DNS messages (RFC 1035 §4.1): header, question, resource records, and the
//! message representation with `parse`, `emit` and `buffer_len`.
//!
//! Parsing is total: any byte string gives `Ok` or a [`WireError`], never a
//! panic. Emitting compresses names (RFC 1035 §4.1.4) and can cut a response
//! down to a UDP size limit, setting TC (RFC 1035 §4.2.1, RFC 2181 §9).

use core::fmt;

use serde::{Deserialize, Serialize};

pub use super::header::{Flags, Opcode, Rcode};
use super::name::Name;
use super::rdata::{Class, RData, RecordType};
use super::wire::{Reader, WireError, Writer};

/// Largest DNS message over UDP without EDNS (RFC 1035 §2.3.4).
pub const UDP_LIMIT: usize = 512;

/// One question: name, type and class (RFC 1035 §4.1.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Question {
    /// The name asked about.
    pub name: Name,
    /// The type asked for.
    pub qtype: RecordType,
    /// The class, normally `IN`.
    pub qclass: Class,
}

impl Question {
    /// An `IN` question.
    pub fn new(name: Name, qtype: RecordType) -> Self {
        Question {
            name,
            qtype,
            qclass: Class::In,
        }
    }
}

impl fmt::Display for Question {
    /// `A? hasan.com.`, like tcpdump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}? {}", self.qtype, self.name)
    }
}

/// A resource record (RFC 1035 §4.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Record {
    /// The owner name.
    pub name: Name,
    /// The class, normally `IN` (an OPT record carries its UDP size here).
    #[serde(default = "default_class")]
    pub class: Class,
    /// Seconds the record may be cached.
    pub ttl: u32,
    /// The type and data.
    pub data: RData,
}

fn default_class() -> Class {
    Class::In
}

impl Record {
    /// An `IN` record.
    pub fn new(name: Name, ttl: u32, data: RData) -> Self {
        Record {
            name,
            class: Class::In,
            ttl,
            data,
        }
    }

    /// The record's type.
    pub fn rtype(&self) -> RecordType {
        self.data.rtype()
    }

    /// tcpdump-style summary: `A hasan.com. 192.168.1.1`.
    pub fn summary(&self) -> String {
        format!("{} {} {}", self.rtype(), self.name, self.data)
    }

    fn parse(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let name = r.name()?;
        let rtype = RecordType::from(r.u16()?);
        let class = Class::from(r.u16()?);
        let ttl = r.u32()?;
        let len = usize::from(r.u16()?);
        let data = RData::parse(r, rtype, len)?;
        Ok(Record {
            name,
            class,
            ttl,
            data,
        })
    }

    fn emit(&self, w: &mut Writer) {
        w.name(&self.name, true);
        w.u16(self.rtype().into());
        w.u16(self.class.into());
        w.u32(self.ttl);
        let len_at = w.buf.len();
        w.u16(0);
        self.data.emit(w);
        let len = (w.buf.len() - len_at - 2).min(usize::from(u16::MAX)) as u16;
        w.buf[len_at..len_at + 2].copy_from_slice(&len.to_be_bytes());
    }
}

impl fmt::Display for Record {
    /// Zone-file form: `hasan.com. 3600 IN A 192.168.1.1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {}",
            self.name,
            self.ttl,
            self.class,
            self.rtype(),
            self.data
        )
    }
}

/// A whole DNS message.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Message {
    /// Matches a response to its query.
    pub id: u16,
    /// Header flags and response code.
    pub flags: Flags,
    /// Question section (normally exactly one).
    pub questions: Vec<Question>,
    /// Answer section.
    pub answers: Vec<Record>,
    /// Authority section (NS of a referral, SOA of a negative answer).
    pub authorities: Vec<Record>,
    /// Additional section (glue addresses, OPT).
    pub additionals: Vec<Record>,
}

impl Message {
    /// A standard query for one question.
    pub fn query(id: u16, question: Question, recursion_desired: bool) -> Self {
        Message {
            id,
            flags: Flags {
                rd: recursion_desired,
                ..Flags::default()
            },
            questions: vec![question],
            ..Message::default()
        }
    }

    /// An empty response to `query`: same id, question and RD, QR set.
    pub fn response_to(query: &Message, rcode: Rcode) -> Self {
        Message {
            id: query.id,
            flags: Flags {
                qr: true,
                opcode: query.flags.opcode,
                rd: query.flags.rd,
                rcode,
                ..Flags::default()
            },
            questions: query.questions.clone(),
            ..Message::default()
        }
    }

    /// The first question, if any.
    pub fn question(&self) -> Option<&Question> {
        self.questions.first()
    }

    /// Reads the id and flags of whatever is at least 12 bytes long.
    pub fn peek_header(bytes: &[u8]) -> Option<(u16, Flags)> {
        let b = bytes.get(..4)?;
        if bytes.len() < 12 {
            return None;
        }
        Some((
            u16::from_be_bytes([b[0], b[1]]),
            Flags::from_bits(u16::from_be_bytes([b[2], b[3]])),
        ))
    }

    /// Parses a message.
    ///
    /// # Errors
    /// Any malformation: short header, bad names, data overruns.
    pub fn parse(bytes: &[u8]) -> Result<Self, WireError> {
        if bytes.len() < 12 {
            return Err(WireError::TooShort(bytes.len()));
        }
        let mut r = Reader::new(bytes);
        let id = r.u16()?;
        let flags = Flags::from_bits(r.u16()?);
        let counts = [r.u16()?, r.u16()?, r.u16()?, r.u16()?];
        let mut questions = Vec::new();
        for _ in 0..counts[0] {
            let name = r.name()?;
            let qtype = RecordType::from(r.u16()?);
            let qclass = Class::from(r.u16()?);
            questions.push(Question {
                name,
                qtype,
                qclass,
            });
        }
        let mut sections: [Vec<Record>; 3] = Default::default();
        for (section, &count) in sections.iter_mut().zip(&counts[1..]) {
            for _ in 0..count {
                section.push(Record::parse(&mut r)?);
            }
        }
        let [answers, authorities, additionals] = sections;
        Ok(Message {
            id,
            flags,
            questions,
            answers,
            authorities,
            additionals,
        })
    }

    /// Writes the message with name compression.
    pub fn emit(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u16(self.id);
        w.u16(self.flags.to_bits());
        for n in [
            self.questions.len(),
            self.answers.len(),
            self.authorities.len(),
            self.additionals.len(),
        ] {
            w.u16(n.min(usize::from(u16::MAX)) as u16);
        }
        for q in self.questions.iter().take(usize::from(u16::MAX)) {
            w.name(&q.name, true);
            w.u16(q.qtype.into());
            w.u16(q.qclass.into());
        }
        for section in [&self.answers, &self.authorities, &self.additionals] {
            for rec in section.iter().take(usize::from(u16::MAX)) {
                rec.emit(&mut w);
            }
        }
        w.buf
    }

    /// Length of [`Message::emit`]'s output.
    pub fn buffer_len(&self) -> usize {
        self.emit().len()
    }

    /// Writes the message in at most `limit` bytes: first the additional
    /// section is dropped (no TC needed, RFC 2181 §9), then the answer and
    /// authority sections go and TC is set.
    pub fn emit_limited(&self, limit: usize) -> Vec<u8> {
        let full = self.emit();
        if full.len() <= limit {
            return full;
        }
        let mut cut = self.clone();
        cut.additionals.retain(|r| r.rtype() == RecordType::Opt);
        let bytes = cut.emit();
        if bytes.len() <= limit {
            return bytes;
        }
        cut.flags.tc = true;
        cut.answers.clear();
        cut.authorities.clear();
        cut.emit()
    }

    /// The UDP payload size the sender can receive: its EDNS OPT size, or 512.
    pub fn udp_limit(&self) -> usize {
        self.additionals
            .iter()
            .find(|r| r.rtype() == RecordType::Opt)
            .map(|r| usize::from(u16::from(r.class)).clamp(UDP_LIMIT, 4096))
            .unwrap_or(UDP_LIMIT)
    }
}

impl fmt::Display for Message {
    /// One line: `A? hasan.com. (RD)` for a query; `A hasan.com. 192.168.1.1 (AA)`
    /// or `NXDOMAIN A? foo.hasan.com. (AA)` for a response.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let question = self
            .questions
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if !self.flags.qr {
            if self.flags.opcode != Opcode::Query {
                write!(f, "{} ", self.flags.opcode)?;
            }
            f.write_str(if question.is_empty() {
                "(no question)"
            } else {
                &question
            })?;
        } else if self.flags.rcode != Rcode::NoError || self.answers.is_empty() {
            write!(f, "{} {}", self.flags.rcode, question)?;
            if let Some(first) = self.authorities.first() {
                let kind = first.rtype();
                let n = self
                    .authorities
                    .iter()
                    .filter(|r| r.rtype() == kind)
                    .count();
                if kind == RecordType::Ns && !self.flags.aa {
                    write!(f, ", referral to {} ({n} NS)", first.name)?;
                } else {
                    write!(f, ", authority {kind} {}", first.name)?;
                }
            }
        } else {
            let answers = self
                .answers
                .iter()
                .map(Record::summary)
                .collect::<Vec<_>>()
                .join(", ");
            f.write_str(&answers)?;
        }
        let mut tags = Vec::new();
        for (on, tag) in [
            (self.flags.aa, "AA"),
            (self.flags.tc, "TC"),
            (self.flags.rd && !self.flags.qr, "RD"),
            (self.flags.ra, "RA"),
        ] {
            if on {
                tags.push(tag);
            }
        }
        if !tags.is_empty() {
            write!(f, " ({})", tags.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::rdata::Soa;

    /// Found by `cargo fuzz` (fuzz/regressions/dns_message): a TXT answer with
    /// empty RDATA must survive parse → emit → parse unchanged.
    #[test]
    fn empty_txt_rdata_round_trips() {
        let wire: [u8; 23] = [
            0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, // header: one answer
            0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0, // root TXT IN, TTL 0, RDLENGTH 0
        ];
        let first = Message::parse(&wire).expect("parses");
        let again = Message::parse(&first.emit()).expect("re-parses");
        assert_eq!(first, again);
    }

    /// Found by `cargo fuzz` (fuzz/regressions/dns_message): a long TXT
    /// string is written as <character-string>s cut between characters, so
    /// a multi-byte character (here U+FFFD from bytes that were not UTF-8)
    /// is never split into two halves that read back as two characters.
    #[test]
    fn long_txt_is_cut_between_characters() {
        let text = format!("v=s1{}{}", "\u{fffd}".repeat(90), "é".repeat(40));
        let mut m = Message::query(7, Question::new(name("hasan.com"), RecordType::Txt), true);
        m.answers.push(Record::new(
            name("hasan.com"),
            60,
            RData::Txt(vec![text.clone()]),
        ));
        let back = Message::parse(&m.emit()).expect("re-parses");
        let RData::Txt(strings) = &back.answers[0].data else {
            panic!("not TXT: {back:?}");
        };
        assert!(
            strings.len() > 1,
            "{} bytes need more than one string",
            text.len()
        );
        assert!(strings.iter().all(|s| s.len() <= 255));
        assert_eq!(strings.concat(), text);
    }

    fn name(s: &str) -> Name {
        Name::parse(s).unwrap()
    }

    #[test]
    fn query_bytes_match_dig() {
        // dig +noedns hasan.com A, id 0x1234, RD.
        let q = Message::query(
            0x1234,
            Question::new(name("hasan.com"), RecordType::A),
            true,
        );
        let bytes = q.emit();
        let expected: &[u8] = &[
            0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, b'h', b'a', b's', b'a', b'n', 3,
            b'c', b'o', b'm', 0, 0, 1, 0, 1,
        ];
        assert_eq!(bytes, expected);
        assert_eq!(Message::parse(&bytes).unwrap(), q);
        assert_eq!(q.to_string(), "A? hasan.com. (RD)");
    }

    #[test]
    fn response_round_trips_every_type() {
        let q = Message::query(7, Question::new(name("hasan.com"), RecordType::Any), true);
        let mut m = Message::response_to(&q, Rcode::NoError);
        m.flags.aa = true;
        let h = name("hasan.com");
        let mail = name("mail.hasan.com");
        m.answers = vec![
            Record::new(h.clone(), 3600, RData::A("192.168.1.1".parse().unwrap())),
            Record::new(h.clone(), 3600, RData::Aaaa("2001:db8::1".parse().unwrap())),
            Record::new(name("www.hasan.com"), 3600, RData::Cname(h.clone())),
            Record::new(
                h.clone(),
                3600,
                RData::Mx {
                    preference: 10,
                    exchange: mail.clone(),
                },
            ),
            Record::new(h.clone(), 3600, RData::Txt(vec!["v=spf1 mx -all".into()])),
            Record::new(
                name("_imap._tcp.hasan.com"),
                3600,
                RData::Srv {
                    priority: 0,
                    weight: 0,
                    port: 143,
                    target: mail.clone(),
                },
            ),
            Record::new(
                name("1.1.168.192.in-addr.arpa"),
                3600,
                RData::Ptr(h.clone()),
            ),
            Record::new(h.clone(), 3600, RData::Ns(name("ns1.hasan.com"))),
            Record::new(
                h.clone(),
                3600,
                RData::Soa(Soa {
                    mname: name("ns1.hasan.com"),
                    rname: name("admin.hasan.com"),
                    serial: 1,
                    refresh: 2,
                    retry: 3,
                    expire: 4,
                    minimum: 5,
                }),
            ),
            Record::new(
                h.clone(),
                60,
                RData::Unknown {
                    rtype: 99,
                    data: vec![1, 2, 3],
                },
            ),
        ];
        let bytes = m.emit();
        assert_eq!(Message::parse(&bytes).unwrap(), m);
        assert_eq!(m.buffer_len(), bytes.len());
        // Compression: "hasan" is written in full only in the question and
        // in the SRV target, which must not be compressed (RFC 2782).
        let count = bytes.windows(5).filter(|w| w == b"hasan").count();
        assert_eq!(count, 2);
    }

    #[test]
    fn truncation_sets_tc() {
        let q = Message::query(
            1,
            Question::new(name("big.hasan.com"), RecordType::Txt),
            true,
        );
        let mut m = Message::response_to(&q, Rcode::NoError);
        for i in 0..10 {
            m.answers.push(Record::new(
                name("big.hasan.com"),
                60,
                RData::Txt(vec![format!("{i}").repeat(100)]),
            ));
        }
        let bytes = m.emit_limited(UDP_LIMIT);
        assert!(bytes.len() <= UDP_LIMIT);
        let cut = Message::parse(&bytes).unwrap();
        assert!(cut.flags.tc);
        assert!(cut.answers.is_empty());
        assert_eq!(cut.questions, m.questions);
    }

    #[test]
    fn displays_like_tcpdump() {
        let q = Message::query(1, Question::new(name("hasan.com"), RecordType::A), true);
        let mut r = Message::response_to(&q, Rcode::NoError);
        r.flags.aa = true;
        r.answers.push(Record::new(
            name("hasan.com"),
            3600,
            RData::A("192.168.1.1".parse().unwrap()),
        ));
        assert_eq!(r.to_string(), "A hasan.com. 192.168.1.1 (AA)");
        let mut nx = Message::response_to(&q, Rcode::NxDomain);
        nx.flags.aa = true;
        assert_eq!(nx.to_string(), "NXDOMAIN A? hasan.com. (AA)");
    }

    #[test]
    fn short_and_garbage_input_is_an_error() {
        assert_eq!(Message::parse(&[1, 2, 3]), Err(WireError::TooShort(3)));
        let mut bytes = vec![0u8; 12];
        bytes[5] = 1; // one question, no data
        assert!(Message::parse(&bytes).is_err());
    }
}
