//! A link-state database (one area's, or the AS-external LSAs): the LSAs
//! by key, in key order. Every LSA received is looked up here, so the map
//! is keyed by [`LsaKey::rank`], two numbers computed once per look-up,
//! rather than by the key compared field by field at every step of the
//! search; the order is the same.

use std::collections::BTreeMap;

use super::engine::Entry;
use super::lsa::LsaKey;

/// LSAs by key, in key order.
#[derive(Clone, Debug, Default)]
pub struct Db {
    map: BTreeMap<(u16, u64), (LsaKey, Entry)>,
}

impl Db {
    /// An empty database.
    pub fn new() -> Self {
        Self::default()
    }

    /// The LSA with this key.
    pub fn get(&self, key: &LsaKey) -> Option<&Entry> {
        self.map.get(&key.rank()).map(|(_, e)| e)
    }

    /// Puts `e` under `key`; returns what was there.
    pub fn insert(&mut self, key: LsaKey, e: Entry) -> Option<Entry> {
        self.map.insert(key.rank(), (key, e)).map(|(_, e)| e)
    }

    /// Takes the LSA with this key out.
    pub fn remove(&mut self, key: &LsaKey) -> Option<Entry> {
        self.map.remove(&key.rank()).map(|(_, e)| e)
    }

    /// Keys and LSAs, in key order.
    pub fn iter(&self) -> Iter<'_> {
        self.into_iter()
    }

    /// The LSAs, in key order.
    pub fn values(&self) -> impl Iterator<Item = &Entry> {
        self.map.values().map(|(_, e)| e)
    }
}

/// The iterator [`Db::iter`] returns.
type Iter<'a> = std::iter::Map<
    std::collections::btree_map::Values<'a, (u16, u64), (LsaKey, Entry)>,
    fn(&'a (LsaKey, Entry)) -> (&'a LsaKey, &'a Entry),
>;

impl<'a> IntoIterator for &'a Db {
    type Item = (&'a LsaKey, &'a Entry);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.map.values().map(|(k, e)| (k, e))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::net::Ipv4Addr;

    use super::super::lsa::{LsType, Lsa, LsaBody, LsaHeader};
    use super::*;
    use crate::SimTime;

    fn entry(key: LsaKey, seq: u32) -> Entry {
        Entry {
            lsa: Lsa {
                header: LsaHeader {
                    age: 0,
                    options: 2,
                    key,
                    seq,
                    checksum: 0,
                    length: 0,
                },
                body: LsaBody::Other(Vec::new()),
            },
            at: SimTime::ZERO,
            bytes: Vec::new().into(),
        }
    }

    #[test]
    fn answers_and_iterates_as_a_map_by_key_does() {
        let mut seed = 0xdead_beef_cafe_f00d_u64;
        let mut r = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let types = [
            LsType::Router,
            LsType::Network,
            LsType::External,
            LsType::Unknown(0),
            LsType::Unknown(200),
        ];
        let mut db = Db::new();
        let mut map: BTreeMap<LsaKey, u32> = BTreeMap::new();
        for step in 0..20_000 {
            let key = LsaKey {
                ls_type: types[(r() % 5) as usize],
                id: Ipv4Addr::from(((r() % 4) as u32) << 24 | (r() % 3) as u32),
                adv: Ipv4Addr::from((r() % 3) as u32 * 0x4000_0001),
            };
            let seq = r() as u32;
            let seq_of = |e: Option<Entry>| e.map(|e| e.lsa.header.seq);
            match r() % 4 {
                0 | 1 => assert_eq!(
                    seq_of(db.insert(key, entry(key, seq))),
                    map.insert(key, seq),
                    "{step}"
                ),
                2 => assert_eq!(seq_of(db.remove(&key)), map.remove(&key), "{step}"),
                _ => assert_eq!(
                    db.get(&key).map(|e| e.lsa.header.seq),
                    map.get(&key).copied(),
                    "{step}"
                ),
            }
            if step % 97 == 0 {
                let got: Vec<(LsaKey, u32)> =
                    db.iter().map(|(k, e)| (*k, e.lsa.header.seq)).collect();
                let want: Vec<(LsaKey, u32)> = map.iter().map(|(k, s)| (*k, *s)).collect();
                assert_eq!(got, want, "{step}");
                assert!(
                    db.values()
                        .map(|e| e.lsa.header.key)
                        .eq(map.keys().copied())
                );
            }
        }
    }
}
