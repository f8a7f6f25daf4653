//! The resolver's cache: record sets kept for their TTL (RFC 1035 §7.4,
//! RFC 2181 §5.2 — one TTL per set), and negative answers kept for the SOA's
//! negative TTL (RFC 2308 §5). Entries are plain data the UI can list
//! (`ipconfig /displaydns`-style), with the TTL counting down in virtual time.

use core::time::Duration;

use serde::{Deserialize, Serialize};

use super::message::Record;
use super::name::Name;
use super::rdata::{RData, RecordType};
use crate::SimTime;

/// Longest a record set is kept, in seconds (one week, like BIND's max-cache-ttl).
pub const MAX_TTL: u32 = 7 * 86400;
/// Longest a negative answer is kept, in seconds (3 hours, RFC 2308 §5).
pub const MAX_NEGATIVE_TTL: u32 = 3 * 3600;
/// Most entries kept; past this the entry closest to expiry goes first.
pub const MAX_ENTRIES: usize = 4096;

/// What a cache entry holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CacheData {
    /// A record set (all records share the entry's TTL).
    Records(Vec<Record>),
    /// The name does not exist (for every type).
    NxDomain {
        /// The SOA that came with the answer.
        soa: Record,
    },
    /// The name exists without records of this type.
    NoData {
        /// The SOA that came with the answer.
        soa: Record,
    },
}

/// One cached answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheEntry {
    /// The owner name.
    pub name: Name,
    /// The type (`ANY` for an NXDOMAIN, which covers every type).
    pub rtype: RecordType,
    /// The data.
    pub data: CacheData,
    /// When it was stored.
    pub stored: SimTime,
    /// When it goes stale.
    pub expires: SimTime,
}

impl CacheEntry {
    /// Whole seconds of TTL left at `now` (0 once expired).
    pub fn ttl_left(&self, now: SimTime) -> u32 {
        u32::try_from((self.expires - now).as_secs()).unwrap_or(u32::MAX)
    }

    /// One line for a cache listing:
    /// `A hasan.com. 192.168.1.1 (TTL 3550 s left)`.
    pub fn describe(&self, now: SimTime) -> String {
        let what = match &self.data {
            CacheData::Records(rs) => rs
                .iter()
                .map(Record::summary)
                .collect::<Vec<_>>()
                .join(", "),
            CacheData::NxDomain { .. } => format!("{} NXDOMAIN", self.name),
            CacheData::NoData { .. } => format!("{} {} NODATA", self.rtype, self.name),
        };
        format!("{what} (TTL {} s left)", self.ttl_left(now))
    }

    fn fresh(&self, now: SimTime) -> bool {
        now < self.expires
    }
}

/// A cache hit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheAnswer {
    /// Records, their TTLs lowered to what is left.
    Records(Vec<Record>),
    /// A cached NXDOMAIN, with its SOA (TTL lowered).
    NxDomain(Record),
    /// A cached NODATA, with its SOA (TTL lowered).
    NoData(Record),
}

/// The resolver's cache.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cache {
    entries: Vec<CacheEntry>,
}

impl Cache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every entry, fresh or stale (call [`Cache::purge`] first for a listing).
    pub fn entries(&self) -> &[CacheEntry] {
        &self.entries
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets everything (`ipconfig /flushdns`).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Drops stale entries.
    pub fn purge(&mut self, now: SimTime) {
        self.entries.retain(|e| e.fresh(now));
    }

    fn put(&mut self, now: SimTime, entry: CacheEntry) {
        self.entries
            .retain(|e| !(e.name == entry.name && e.rtype == entry.rtype));
        if self.entries.len() >= MAX_ENTRIES {
            self.purge(now);
        }
        if self.entries.len() >= MAX_ENTRIES
            && let Some(i) = (0..self.entries.len()).min_by_key(|&i| self.entries[i].expires)
        {
            self.entries.remove(i);
        }
        self.entries.push(entry);
    }

    /// Stores records, one entry per (name, type) set with the set's lowest
    /// TTL (capped at [`MAX_TTL`]); TTL 0 is not stored. Returns the sets
    /// stored as (name, type, TTL).
    pub fn insert_records(
        &mut self,
        now: SimTime,
        records: &[Record],
    ) -> Vec<(Name, RecordType, u32)> {
        let mut stored = Vec::new();
        let mut done: Vec<(Name, RecordType)> = Vec::new();
        for r in records {
            let key = (r.name.clone(), r.rtype());
            if done.contains(&key) || matches!(key.1, RecordType::Opt | RecordType::Any) {
                continue;
            }
            let set: Vec<Record> = records
                .iter()
                .filter(|x| x.name == key.0 && x.rtype() == key.1)
                .cloned()
                .collect();
            let ttl = set.iter().map(|x| x.ttl).min().unwrap_or(0).min(MAX_TTL);
            done.push(key.clone());
            if ttl == 0 {
                continue;
            }
            // A name that now has data no longer "does not exist".
            self.entries
                .retain(|e| !(e.name == key.0 && matches!(e.data, CacheData::NxDomain { .. })));
            self.put(
                now,
                CacheEntry {
                    name: key.0.clone(),
                    rtype: key.1,
                    data: CacheData::Records(set),
                    stored: now,
                    expires: now + Duration::from_secs(u64::from(ttl)),
                },
            );
            stored.push((key.0, key.1, ttl));
        }
        stored
    }

    /// Stores a negative answer for the SOA's negative TTL: min(SOA TTL,
    /// MINIMUM) (RFC 2308 §5), capped at [`MAX_NEGATIVE_TTL`]. Returns the
    /// TTL, or `None` when not stored (TTL 0).
    pub fn insert_negative(
        &mut self,
        now: SimTime,
        name: &Name,
        rtype: RecordType,
        nxdomain: bool,
        soa: &Record,
    ) -> Option<u32> {
        let minimum = match &soa.data {
            RData::Soa(s) => s.minimum,
            _ => return None,
        };
        let ttl = soa.ttl.min(minimum).min(MAX_NEGATIVE_TTL);
        if ttl == 0 {
            return None;
        }
        let mut soa = soa.clone();
        soa.ttl = ttl;
        let (rtype, data) = if nxdomain {
            (RecordType::Any, CacheData::NxDomain { soa })
        } else {
            (rtype, CacheData::NoData { soa })
        };
        self.put(
            now,
            CacheEntry {
                name: name.clone(),
                rtype,
                data,
                stored: now,
                expires: now + Duration::from_secs(u64::from(ttl)),
            },
        );
        Some(ttl)
    }

    fn fresh_entry(&self, now: SimTime, name: &Name, rtype: RecordType) -> Option<&CacheEntry> {
        self.entries
            .iter()
            .find(|e| e.fresh(now) && e.rtype == rtype && &e.name == name)
    }

    /// Looks a question up: an NXDOMAIN for the name, or the set (or NODATA)
    /// for the type. TTLs in the result count down from when they were stored.
    pub fn get(&self, now: SimTime, name: &Name, rtype: RecordType) -> Option<(CacheAnswer, u32)> {
        let entry = self
            .fresh_entry(now, name, RecordType::Any)
            .filter(|e| matches!(e.data, CacheData::NxDomain { .. }))
            .or_else(|| self.fresh_entry(now, name, rtype))?;
        let left = entry.ttl_left(now);
        let lowered = |r: &Record| Record {
            ttl: left,
            ..r.clone()
        };
        let answer = match &entry.data {
            CacheData::Records(rs) => CacheAnswer::Records(rs.iter().map(lowered).collect()),
            CacheData::NxDomain { soa } => CacheAnswer::NxDomain(lowered(soa)),
            CacheData::NoData { soa } => CacheAnswer::NoData(lowered(soa)),
        };
        Some((answer, left))
    }

    /// Just the positive records of a set, TTLs lowered.
    pub fn records(&self, now: SimTime, name: &Name, rtype: RecordType) -> Option<Vec<Record>> {
        match self.get(now, name, rtype)? {
            (CacheAnswer::Records(rs), _) => Some(rs),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::fixtures::{hasan_zone, n};

    #[test]
    fn ttl_counts_down_and_expires() {
        let mut c = Cache::new();
        let rec = Record::new(
            n("hasan.com"),
            3600,
            RData::A("192.168.1.1".parse().unwrap()),
        );
        let stored = c.insert_records(SimTime::from_secs(10), &[rec]);
        assert_eq!(stored, vec![(n("hasan.com"), RecordType::A, 3600)]);
        let (ans, left) = c
            .get(SimTime::from_secs(60), &n("HASAN.com"), RecordType::A)
            .unwrap();
        assert_eq!(left, 3550);
        let CacheAnswer::Records(rs) = ans else {
            panic!()
        };
        assert_eq!(rs[0].ttl, 3550);
        assert_eq!(
            c.entries()[0].describe(SimTime::from_secs(60)),
            "A hasan.com. 192.168.1.1 (TTL 3550 s left)"
        );
        assert!(
            c.get(SimTime::from_secs(3610), &n("hasan.com"), RecordType::A)
                .is_none()
        );
        c.purge(SimTime::from_secs(3610));
        assert!(c.is_empty());
    }

    #[test]
    fn negative_entries() {
        let mut c = Cache::new();
        let soa = hasan_zone().negative_soa().unwrap();
        assert_eq!(
            c.insert_negative(
                SimTime::ZERO,
                &n("foo.hasan.com"),
                RecordType::A,
                true,
                &soa
            ),
            Some(300)
        );
        // NXDOMAIN covers every type.
        assert!(matches!(
            c.get(SimTime::from_secs(1), &n("foo.hasan.com"), RecordType::Mx),
            Some((CacheAnswer::NxDomain(_), 299))
        ));
        c.insert_negative(
            SimTime::ZERO,
            &n("mail.hasan.com"),
            RecordType::Aaaa,
            false,
            &soa,
        );
        assert!(matches!(
            c.get(SimTime::ZERO, &n("mail.hasan.com"), RecordType::Aaaa),
            Some((CacheAnswer::NoData(_), 300))
        ));
        assert!(
            c.get(SimTime::ZERO, &n("mail.hasan.com"), RecordType::A)
                .is_none()
        );
        // Zero TTL is not kept.
        let zero = Record::new(n("z.hasan.com"), 0, RData::A("1.2.3.4".parse().unwrap()));
        assert!(c.insert_records(SimTime::ZERO, &[zero]).is_empty());
    }
}
