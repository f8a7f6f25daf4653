//! A zone of authority: its origin and its records, as lab-document data, and
//! the lookup algorithm of RFC 1034 §4.3.2 over them (answers, CNAME chains,
//! zone cuts with glue, NODATA and NXDOMAIN with the SOA of RFC 2308 §3).

use serde::{Deserialize, Serialize};

use super::message::Record;
use super::name::Name;
use super::rdata::{RData, RecordType, Soa};

/// Longest CNAME chain followed inside one zone.
pub const MAX_CNAME_CHAIN: usize = 8;

/// Why a record cannot go into a zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    /// The owner name lies outside the zone.
    #[error("{name} is not inside the zone {origin}")]
    OutOfZone {
        /// The record's owner.
        name: Name,
        /// The zone's origin.
        origin: Name,
    },
    /// A CNAME next to other data at one name (RFC 1034 §3.6.2).
    #[error("{0} has a CNAME, so it cannot have other records (and the other way round)")]
    CnameConflict(Name),
    /// A CNAME at the origin, which always has SOA and NS records
    /// (RFC 1912 §2.4).
    #[error(
        "{0} is the zone's own name (@), which always has SOA and NS records, so it cannot be a CNAME: give @ an A record instead, or put the CNAME on another name (www CNAME …)"
    )]
    CnameAtApex(Name),
    /// A second SOA record.
    #[error("the zone {0} already has an SOA record")]
    SecondSoa(Name),
    /// An SOA away from the origin.
    #[error("the SOA record must be at the zone's origin {0}")]
    SoaNotAtOrigin(Name),
}

/// One zone: an origin and the records at and below it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    /// The zone's top name (`hasan.com.`).
    pub origin: Name,
    /// Every record, in the order they were added.
    pub records: Vec<Record>,
}

/// What a zone says about a question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZoneAnswer {
    /// Records for the answer section (any CNAMEs first). When the last CNAME
    /// leaves the zone, the chain is all there is.
    Answer(Vec<Record>),
    /// The name lies below a zone cut: refer to the child's servers.
    Delegation {
        /// The child zone.
        cut: Name,
        /// Its NS records (for the authority section).
        ns: Vec<Record>,
        /// Addresses of those servers held here (for the additional section).
        glue: Vec<Record>,
    },
    /// The name exists but has no records of the type asked (RFC 2308 §2.2).
    NoData {
        /// CNAMEs followed on the way.
        chain: Vec<Record>,
        /// The zone's SOA, for the authority section.
        soa: Option<Record>,
    },
    /// The name does not exist (RFC 2308 §2.1).
    NxDomain {
        /// CNAMEs followed on the way.
        chain: Vec<Record>,
        /// The zone's SOA, for the authority section.
        soa: Option<Record>,
    },
}

impl Zone {
    /// An empty zone.
    pub fn new(origin: Name) -> Self {
        Zone {
            origin,
            records: Vec::new(),
        }
    }

    /// A zone with a plain SOA record (`ns1.<origin>`, `hostmaster.<origin>`,
    /// serial 1, one-hour negative TTL), for zones typed without one.
    pub fn with_default_soa(origin: Name, primary: Option<Name>) -> Self {
        let mname = primary
            .or_else(|| origin.prepend(b"ns1").ok())
            .unwrap_or_else(|| origin.clone());
        let rname = origin
            .prepend(b"hostmaster")
            .unwrap_or_else(|_| origin.clone());
        let soa = Record::new(
            origin.clone(),
            3600,
            RData::Soa(Soa {
                mname,
                rname,
                serial: 1,
                refresh: 3600,
                retry: 600,
                expire: 86400,
                minimum: 3600,
            }),
        );
        Zone {
            origin,
            records: vec![soa],
        }
    }

    /// Adds a record, checking it belongs here; an exact duplicate is ignored.
    ///
    /// # Errors
    /// Outside the origin, a CNAME at the origin or next to other data, or a
    /// misplaced/second SOA.
    pub fn add(&mut self, record: Record) -> Result<(), ZoneError> {
        if !record.name.is_within(&self.origin) {
            return Err(ZoneError::OutOfZone {
                name: record.name,
                origin: self.origin.clone(),
            });
        }
        let rtype = record.rtype();
        if rtype == RecordType::Cname && record.name == self.origin {
            return Err(ZoneError::CnameAtApex(record.name));
        }
        if rtype == RecordType::Soa {
            if record.name != self.origin {
                return Err(ZoneError::SoaNotAtOrigin(self.origin.clone()));
            }
            if self.soa().is_some() {
                return Err(ZoneError::SecondSoa(self.origin.clone()));
            }
        }
        let mut here = self.records.iter().filter(|r| r.name == record.name);
        let conflict = here.any(|r| {
            (r.rtype() == RecordType::Cname) != (rtype == RecordType::Cname)
                || (rtype == RecordType::Cname && r.data != record.data)
        });
        if conflict {
            return Err(ZoneError::CnameConflict(record.name));
        }
        if !self
            .records
            .iter()
            .any(|r| r.name == record.name && r.data == record.data)
        {
            self.records.push(record);
        }
        Ok(())
    }

    /// Removes every record equal to `record` (ignoring TTL); true if any went.
    pub fn remove(&mut self, record: &Record) -> bool {
        let before = self.records.len();
        self.records
            .retain(|r| !(r.name == record.name && r.data == record.data));
        before != self.records.len()
    }

    /// The zone's SOA record.
    pub fn soa(&self) -> Option<&Record> {
        self.records
            .iter()
            .find(|r| r.rtype() == RecordType::Soa && r.name == self.origin)
    }

    /// The SOA record as it goes into a negative answer: TTL is the smaller
    /// of its own TTL and its MINIMUM field (RFC 2308 §3).
    pub fn negative_soa(&self) -> Option<Record> {
        let soa = self.soa()?;
        let mut rec = soa.clone();
        if let RData::Soa(s) = &soa.data {
            rec.ttl = rec.ttl.min(s.minimum);
        }
        Some(rec)
    }

    /// Records owned by `name`.
    pub fn records_at<'a>(&'a self, name: &'a Name) -> impl Iterator<Item = &'a Record> + 'a {
        self.records.iter().filter(move |r| &r.name == name)
    }

    /// Records owned by `name` of type `rtype`.
    pub fn rrset(&self, name: &Name, rtype: RecordType) -> Vec<Record> {
        self.records_at(name)
            .filter(|r| r.rtype() == rtype)
            .cloned()
            .collect()
    }

    /// The highest zone cut (a name below the origin with NS records) at or
    /// above `name`.
    pub fn find_cut(&self, name: &Name) -> Option<Name> {
        let depth = self.origin.label_count();
        for n in depth + 1..=name.label_count() {
            let candidate = name.suffix(n);
            if self
                .records_at(&candidate)
                .any(|r| r.rtype() == RecordType::Ns)
            {
                return Some(candidate);
            }
        }
        None
    }

    /// Whether any record lies strictly below `name` (an empty non-terminal).
    fn has_descendants(&self, name: &Name) -> bool {
        self.records
            .iter()
            .any(|r| r.name.label_count() > name.label_count() && r.name.is_within(name))
    }

    /// Records synthesized for a missing `name` from the wildcard `*.<closest
    /// encloser>` (RFC 4592 §3.3.1), with `name` as their owner.
    fn wildcard_for(&self, name: &Name) -> Vec<Record> {
        let mut ancestor = name.parent();
        while let Some(a) = ancestor {
            if !a.is_within(&self.origin) {
                break;
            }
            if a == self.origin || self.records_at(&a).next().is_some() || self.has_descendants(&a)
            {
                let Ok(source) = a.prepend(b"*") else {
                    break;
                };
                return self
                    .records_at(&source)
                    .map(|r| Record {
                        name: name.clone(),
                        ..r.clone()
                    })
                    .collect();
            }
            ancestor = a.parent();
        }
        Vec::new()
    }

    /// A and AAAA records held here for `name` (glue or additional data).
    pub fn addresses_of(&self, name: &Name) -> Vec<Record> {
        self.records_at(name)
            .filter(|r| matches!(r.rtype(), RecordType::A | RecordType::Aaaa))
            .cloned()
            .collect()
    }

    /// Answers `qname`/`qtype` from this zone (RFC 1034 §4.3.2 step 3).
    pub fn lookup(&self, qname: &Name, qtype: RecordType) -> ZoneAnswer {
        let mut chain: Vec<Record> = Vec::new();
        let mut name = qname.clone();
        for _ in 0..=MAX_CNAME_CHAIN {
            if !name.is_within(&self.origin) {
                return ZoneAnswer::Answer(chain);
            }
            if let Some(cut) = self.find_cut(&name) {
                if !chain.is_empty() {
                    return ZoneAnswer::Answer(chain);
                }
                let ns = self.rrset(&cut, RecordType::Ns);
                let glue = ns
                    .iter()
                    .filter_map(|r| r.data.target())
                    .flat_map(|t| self.addresses_of(t))
                    .collect();
                return ZoneAnswer::Delegation { cut, ns, glue };
            }
            // The records at the name, borrowed: only the answer is copied.
            let wild: Vec<Record>;
            let mut here: Vec<&Record> = self.records.iter().filter(|r| r.name == name).collect();
            if here.is_empty() {
                let soa = self.negative_soa();
                if self.has_descendants(&name) {
                    return ZoneAnswer::NoData { chain, soa };
                }
                wild = self.wildcard_for(&name);
                here = wild.iter().collect();
                if here.is_empty() {
                    return ZoneAnswer::NxDomain { chain, soa };
                }
            }
            let matching: Vec<Record> = here
                .iter()
                .copied()
                .filter(|r| qtype == RecordType::Any || r.rtype() == qtype)
                .cloned()
                .collect();
            if !matching.is_empty() {
                chain.extend(matching);
                return ZoneAnswer::Answer(chain);
            }
            let cname = here.iter().find(|r| r.rtype() == RecordType::Cname);
            match cname {
                Some(c) => {
                    let Some(target) = c.data.target() else {
                        break;
                    };
                    name = target.clone();
                    chain.push((*c).clone());
                    if chain.iter().any(|r| r.name == name) {
                        break; // a CNAME loop
                    }
                }
                None => {
                    return ZoneAnswer::NoData {
                        chain,
                        soa: self.negative_soa(),
                    };
                }
            }
        }
        ZoneAnswer::Answer(chain)
    }

    /// A zone holding `records` (a default SOA is added when they have none).
    /// A flat, Packet-Tracer-style record list fits in a zone for the root
    /// `.`: the server then answers every name it has and NXDOMAIN otherwise.
    ///
    /// # Errors
    /// The first record that does not fit (see [`Zone::add`]).
    pub fn from_records(origin: Name, records: Vec<Record>) -> Result<Zone, ZoneError> {
        let has_soa = records.iter().any(|r| r.rtype() == RecordType::Soa);
        let mut zone = if has_soa {
            Zone::new(origin)
        } else {
            Zone::with_default_soa(origin, None)
        };
        for r in records {
            zone.add(r)?;
        }
        Ok(zone)
    }

    /// The zone as text, one record per line, the way the UI lists it.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for r in &self.records {
            out.push_str(&r.to_string());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Name {
        Name::parse(s).unwrap()
    }

    fn a(name: &str, ip: &str) -> Record {
        Record::new(n(name), 3600, RData::A(ip.parse().unwrap()))
    }

    fn com_zone() -> Zone {
        let mut z = Zone::with_default_soa(n("com"), Some(n("a.gtld-servers.net")));
        z.add(Record::new(
            n("hasan.com"),
            86400,
            RData::Ns(n("ns1.hasan.com")),
        ))
        .unwrap();
        z.add(a("ns1.hasan.com", "10.0.3.53")).unwrap();
        z.add(a("x.y.com", "10.9.9.9")).unwrap();
        z
    }

    #[test]
    fn delegation_carries_glue() {
        let z = com_zone();
        match z.lookup(&n("www.hasan.com"), RecordType::A) {
            ZoneAnswer::Delegation { cut, ns, glue } => {
                assert_eq!(cut, n("hasan.com"));
                assert_eq!(ns.len(), 1);
                assert_eq!(glue, vec![a("ns1.hasan.com", "10.0.3.53")]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn negative_answers() {
        let z = com_zone();
        assert!(matches!(
            z.lookup(&n("nothere.com"), RecordType::A),
            ZoneAnswer::NxDomain { soa: Some(_), .. }
        ));
        // y.com has no records but x.y.com does: empty non-terminal.
        assert!(matches!(
            z.lookup(&n("y.com"), RecordType::A),
            ZoneAnswer::NoData { .. }
        ));
        assert!(matches!(
            z.lookup(&n("x.y.com"), RecordType::Mx),
            ZoneAnswer::NoData { .. }
        ));
    }

    #[test]
    fn wildcards_and_flat_zones() {
        let mut z = Zone::with_default_soa(n("hasan.com"), None);
        z.add(a("*.hasan.com", "192.168.1.9")).unwrap();
        z.add(a("x.sub.hasan.com", "192.168.1.10")).unwrap();
        match z.lookup(&n("anything.hasan.com"), RecordType::A) {
            ZoneAnswer::Answer(rs) => assert_eq!(rs, vec![a("anything.hasan.com", "192.168.1.9")]),
            other => panic!("{other:?}"),
        }
        // sub.hasan.com exists (empty non-terminal): no wildcard below the
        // closest encloser without its own `*`.
        assert!(matches!(
            z.lookup(&n("y.sub.hasan.com"), RecordType::A),
            ZoneAnswer::NxDomain { .. }
        ));
        assert!(matches!(
            z.lookup(&n("sub.hasan.com"), RecordType::A),
            ZoneAnswer::NoData { .. }
        ));

        // S1: the server's flat list of records.
        let flat = Zone::from_records(Name::root(), vec![a("hasan.com", "192.168.1.1")]).unwrap();
        assert!(matches!(
            flat.lookup(&n("hasan.com"), RecordType::A),
            ZoneAnswer::Answer(rs) if rs.len() == 1
        ));
        assert!(matches!(
            flat.lookup(&n("google.com"), RecordType::A),
            ZoneAnswer::NxDomain { soa: Some(_), .. }
        ));
    }

    #[test]
    fn cname_rules() {
        let mut z = Zone::with_default_soa(n("hasan.com"), None);
        z.add(a("hasan.com", "192.168.1.1")).unwrap();
        z.add(Record::new(
            n("www.hasan.com"),
            60,
            RData::Cname(n("hasan.com")),
        ))
        .unwrap();
        assert_eq!(
            z.add(a("www.hasan.com", "1.2.3.4")),
            Err(ZoneError::CnameConflict(n("www.hasan.com")))
        );
        assert!(matches!(
            z.add(a("hasan.org", "1.2.3.4")),
            Err(ZoneError::OutOfZone { .. })
        ));
        match z.lookup(&n("www.hasan.com"), RecordType::A) {
            ZoneAnswer::Answer(chain) => {
                assert_eq!(chain.len(), 2);
                assert_eq!(chain[0].rtype(), RecordType::Cname);
                assert_eq!(chain[1], a("hasan.com", "192.168.1.1"));
            }
            other => panic!("{other:?}"),
        }
        z.add(Record::new(
            n("loop1.hasan.com"),
            60,
            RData::Cname(n("loop2.hasan.com")),
        ))
        .unwrap();
        z.add(Record::new(
            n("loop2.hasan.com"),
            60,
            RData::Cname(n("loop1.hasan.com")),
        ))
        .unwrap();
        assert!(matches!(
            z.lookup(&n("loop1.hasan.com"), RecordType::A),
            ZoneAnswer::Answer(c) if c.len() == 2
        ));
    }
}
