//! A neighbour's request and retransmission lists (RFC 2328 §10): LSA
//! headers by key, kept as sorted vectors. The lists are short, looked up
//! on every LSA flooded or acknowledged, and fill and empty all the time:
//! a vector keeps its allocation where a `BTreeMap` frees its node each
//! time it empties. Same answers, same (key) order as the map; searched
//! by the keys' ranks ([`LsaKey::rank`]), kept apart from the headers so
//! that a search reads 16 bytes per step, not the whole entry.

use super::lsa::{LsaHeader, LsaKey};

/// LSA headers by key, in key order, one per key.
#[derive(Clone, Debug, Default)]
pub(super) struct LsaList {
    /// The keys' ranks, in order.
    ranks: Vec<u128>,
    /// The headers, in the same order (each under its own key).
    headers: Vec<LsaHeader>,
}

impl LsaList {
    pub fn new() -> Self {
        Self::default()
    }

    fn find(&self, key: &LsaKey) -> Result<usize, usize> {
        self.ranks.binary_search(&key.rank())
    }

    pub fn is_empty(&self) -> bool {
        self.ranks.is_empty()
    }

    pub fn clear(&mut self) {
        self.ranks.clear();
        self.headers.clear();
    }

    pub fn get(&self, key: &LsaKey) -> Option<&LsaHeader> {
        self.find(key).ok().map(|i| &self.headers[i])
    }

    pub fn contains_key(&self, key: &LsaKey) -> bool {
        self.find(key).is_ok()
    }

    /// Puts `h` under `key` (its own key); returns what was there.
    pub fn insert(&mut self, key: LsaKey, h: LsaHeader) -> Option<LsaHeader> {
        debug_assert_eq!(key, h.key);
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.headers[i], h)),
            Err(i) => {
                self.ranks.insert(i, key.rank());
                self.headers.insert(i, h);
                None
            }
        }
    }

    pub fn remove(&mut self, key: &LsaKey) -> Option<LsaHeader> {
        self.find(key).ok().map(|i| {
            self.ranks.remove(i);
            self.headers.remove(i)
        })
    }

    /// Removes the header under `key` if `f` says so (one look-up).
    pub fn remove_if(&mut self, key: &LsaKey, f: impl FnOnce(&LsaHeader) -> bool) {
        if let Ok(i) = self.find(key)
            && f(&self.headers[i])
        {
            self.ranks.remove(i);
            self.headers.remove(i);
        }
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &LsaKey> {
        self.headers.iter().map(|h| &h.key)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::net::Ipv4Addr;

    use super::super::lsa::LsType;
    use super::*;

    #[test]
    fn answers_as_a_btreemap_does() {
        let mut seed = 0x853c_49e6_748f_ea9b_u64;
        let mut r = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let types = [LsType::Router, LsType::Network, LsType::Unknown(9)];
        let mut list = LsaList::new();
        let mut map: BTreeMap<LsaKey, LsaHeader> = BTreeMap::new();
        for step in 0..20_000 {
            let key = LsaKey {
                ls_type: types[(r() % 3) as usize],
                id: Ipv4Addr::from((r() % 6) as u32),
                adv: Ipv4Addr::from((r() % 4) as u32 + 0x0a00_0000),
            };
            let h = LsaHeader {
                age: (r() % 3600) as u16,
                options: 2,
                key,
                seq: r() as u32,
                checksum: r() as u16,
                length: 20,
            };
            match r() % 6 {
                0 | 1 => assert_eq!(list.insert(key, h), map.insert(key, h), "{step}"),
                2 => assert_eq!(list.remove(&key), map.remove(&key), "{step}"),
                3 => {
                    let odd = |x: &LsaHeader| x.seq & 1 == 1;
                    list.remove_if(&key, odd);
                    if map.get(&key).is_some_and(odd) {
                        map.remove(&key);
                    }
                }
                4 if r() % 50 == 0 => {
                    list.clear();
                    map.clear();
                }
                _ => {
                    assert_eq!(list.get(&key), map.get(&key), "{step}");
                    assert_eq!(list.contains_key(&key), map.contains_key(&key));
                }
            }
            assert_eq!(list.is_empty(), map.is_empty());
            assert!(list.keys().eq(map.keys()), "{step}");
        }
    }
}
