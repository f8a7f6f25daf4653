//! A neighbour's request and retransmission lists (RFC 2328 §10): LSA
//! headers by key. The lists are looked up, filled and emptied on every
//! LSA flooded, received or acknowledged, and are long while a database
//! is exchanged (a few hundred LSAs): a hash table of the headers,
//! hashed by their keys' ranks ([`LsaKey::rank`]), answers in one or two cache lines where a sorted
//! vector searched and shifted kilobytes of entries, and keeps its
//! allocation when it empties, as the vector did (a `BTreeMap` freed its
//! node each time). The lists are walked in key order only to send
//! requests or retransmit, and sorted then: the same answers, in the same
//! (key) order, as a map by key.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use super::lsa::{LsaHeader, LsaKey};

/// Hashes a key's rank: two multiplications, the same on every run (no
/// random seed; the keys come from the routers' own configuration).
#[derive(Default)]
pub(super) struct RankHasher(u64);

impl Hasher for RankHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u128(&mut self, x: u128) {
        let v = (x as u64) ^ ((x >> 64) as u64).rotate_left(29) ^ self.0;
        let h = v.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let h = (h ^ (h >> 32)).wrapping_mul(0xD6E8_FEB8_6659_FD93);
        self.0 = h ^ (h >> 29);
    }
}

/// A header in a list, equal to and hashed as its key (looked up by key
/// through `Borrow`): the table holds the 24-byte headers alone, half
/// the room a map from rank to header took.
#[derive(Clone, Debug)]
struct ByKey(LsaHeader);

impl PartialEq for ByKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.key == other.0.key
    }
}

impl Eq for ByKey {}

impl Hash for ByKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.key.hash(state);
    }
}

impl Borrow<LsaKey> for ByKey {
    fn borrow(&self) -> &LsaKey {
        &self.0.key
    }
}

/// Headers a list makes room for at its first.
const ROOM: usize = 32;

/// LSA headers by key, one per key.
#[derive(Clone, Debug, Default)]
pub(super) struct LsaList {
    /// Each header, under its own key.
    set: HashSet<ByKey, BuildHasherDefault<RankHasher>>,
}

impl LsaList {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    pub fn clear(&mut self) {
        self.set.clear();
    }

    // An empty list (requests, most of the time) answers without hashing
    // the key.

    pub fn get(&self, key: &LsaKey) -> Option<&LsaHeader> {
        if self.set.is_empty() {
            return None;
        }
        self.set.get(key).map(|h| &h.0)
    }

    pub fn contains_key(&self, key: &LsaKey) -> bool {
        !self.set.is_empty() && self.set.contains(key)
    }

    /// Puts `h` under `key` (its own key); returns what was there.
    pub fn insert(&mut self, key: LsaKey, h: LsaHeader) -> Option<LsaHeader> {
        debug_assert_eq!(key, h.key);
        if self.set.capacity() == 0 {
            // Room for a few dozen at the first: no growing through the
            // small sizes (the list keeps its room when it empties).
            self.set.reserve(ROOM);
        }
        self.set.replace(ByKey(h)).map(|old| old.0)
    }

    pub fn remove(&mut self, key: &LsaKey) -> Option<LsaHeader> {
        if self.set.is_empty() {
            return None;
        }
        self.set.take(key).map(|h| h.0)
    }

    /// Removes the header under `key` if `f` says so; returns whether it
    /// did. One look-up when it does (taken out, put back otherwise: the
    /// set's order is not its answers' order, [`LsaList::keys`] sorts).
    pub fn remove_if(&mut self, key: &LsaKey, f: impl FnOnce(&LsaHeader) -> bool) -> bool {
        if self.set.is_empty() {
            return false;
        }
        match self.set.take(key) {
            Some(h) if f(&h.0) => true,
            Some(h) => {
                self.set.insert(h);
                false
            }
            None => false,
        }
    }

    /// The keys, in order (sorted for the call).
    pub fn keys(&self) -> impl Iterator<Item = &LsaKey> {
        let mut hs: Vec<(u128, &LsaHeader)> =
            self.set.iter().map(|h| (h.0.key.rank(), &h.0)).collect();
        hs.sort_unstable_by_key(|(r, _)| *r);
        hs.into_iter().map(|(_, h)| &h.key)
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
