//! A link-state database (one area's, or the AS-external LSAs): the LSAs
//! by key, in key order. Every LSA received is looked up here, so the
//! index is keyed by [`LsaKey::rank`], one number computed once per
//! look-up, rather than by the key compared field by field at every step
//! of the search; the order is the same. The index holds only the rank
//! (split in two words) and a slot number, sorted, in one vector (a few
//! hundred entries of 16 bytes: a binary search and a short move to
//! insert, and a plain walk in order); the LSAs stay put in their slots.
//! Look-ups (every LSA received) go through a hash table from key
//! (hashed as its rank) to slot instead of the ordered index, which is
//! touched only when a key comes or goes (a new instance of a known LSA
//! keeps its slot).

use std::collections::HashMap;
use std::collections::hash_map::Entry as Place;
use std::hash::BuildHasherDefault;

use super::engine::Entry;
use super::lsa::LsaKey;
use super::lsa_list::RankHasher;

/// Slots a database makes room for at its first LSA: a few hundred LSAs
/// (the 100-router grid's 280) without growing the hash table, and the
/// slots and index growing once.
const SLOTS: usize = 256;

/// A key's place in the index: its rank ([`LsaKey::rank`], below 2^73)
/// as its high 64 bits and low 32 bits, and its slot.
#[derive(Copy, Clone, Debug)]
struct Ranked {
    hi: u64,
    lo: u32,
    slot: u32,
}

/// The two words of a key's rank, compared in this order as the rank is.
fn words(key: &LsaKey) -> (u64, u32) {
    let r = key.rank();
    ((r >> 32) as u64, r as u32)
}

impl Ranked {
    fn words(&self) -> (u64, u32) {
        (self.hi, self.lo)
    }
}

/// LSAs by key, in key order.
#[derive(Clone, Debug, Default)]
pub struct Db {
    /// Slot numbers by key rank, sorted by rank (for walks).
    index: Vec<Ranked>,
    /// The same slot numbers by key, hashed as its rank (for look-ups;
    /// 16 bytes an entry, half of what the rank itself as key took).
    hashed: HashMap<LsaKey, u32, BuildHasherDefault<RankHasher>>,
    /// The LSAs with their keys; `None` for a slot freed by a removal.
    slots: Vec<Option<(LsaKey, Entry)>>,
    /// Freed slots, to be used again.
    free: Vec<u32>,
}

impl Db {
    /// An empty database.
    pub fn new() -> Self {
        Self::default()
    }

    fn at(&self, slot: u32) -> Option<&(LsaKey, Entry)> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    /// The LSA with this key.
    pub fn get(&self, key: &LsaKey) -> Option<&Entry> {
        let slot = *self.hashed.get(key)?;
        self.at(slot).map(|(_, e)| e)
    }

    /// The slot of the LSA with this key (a hint for
    /// [`Db::get_hinted`] and [`Db::put_hinted`]).
    pub(super) fn slot(&self, key: &LsaKey) -> Option<u32> {
        self.hashed.get(key).copied()
    }

    /// The LSA in `slot`, with its key.
    pub(super) fn at_slot(&self, slot: u32) -> Option<&Entry> {
        self.at(slot).map(|(_, e)| e)
    }

    /// The slot `hint` if it holds the LSA with this key (a key keeps
    /// its slot while it stays).
    fn hit(&self, hint: Option<u32>, key: &LsaKey) -> Option<u32> {
        hint.filter(|&s| self.at(s).is_some_and(|(k, _)| k == key))
    }

    /// The LSA with this key, as [`Db::get`], looked for in slot `hint`
    /// first (where an earlier look-up found it): no hashing when it is
    /// there.
    pub(super) fn get_hinted(&self, hint: Option<u32>, key: &LsaKey) -> Option<&Entry> {
        match self.hit(hint, key) {
            Some(s) => self.at_slot(s),
            None => self.get(key),
        }
    }

    /// Puts `e` under `key` as [`Db::put`] does, in slot `hint` if the
    /// key is there (no hashing).
    pub(super) fn put_hinted(
        &mut self,
        hint: Option<u32>,
        key: LsaKey,
        e: Entry,
    ) -> (Option<Entry>, &Entry) {
        let Some(s) = self.hit(hint, &key) else {
            return self.put(key, e);
        };
        let slot = &mut self.slots[s as usize];
        let old = slot.replace((key, e)).map(|(_, e)| e);
        match slot {
            Some((_, e)) => (old, e),
            None => unreachable!("slot {s} was just filled"),
        }
    }

    /// Puts `e` under `key`; returns what was there.
    pub fn insert(&mut self, key: LsaKey, e: Entry) -> Option<Entry> {
        self.put(key, e).0
    }

    /// Puts `e` under `key` (one look-up); returns what was there and
    /// the LSA now there.
    pub fn put(&mut self, key: LsaKey, e: Entry) -> (Option<Entry>, &Entry) {
        if self.hashed.capacity() == 0 {
            // Room for an area's LSAs from the start.
            self.slots.reserve(SLOTS);
            self.index.reserve(SLOTS);
            self.hashed.reserve(SLOTS);
        }
        // One hashing: the key's place in the table, found or made.
        let (slot, old) = match self.hashed.entry(key) {
            Place::Occupied(o) => {
                let slot = *o.get();
                let old = self.slots[slot as usize].replace((key, e));
                (slot, old.map(|(_, e)| e))
            }
            Place::Vacant(v) => {
                let slot = match self.free.pop() {
                    Some(s) => {
                        self.slots[s as usize] = Some((key, e));
                        s
                    }
                    None => {
                        self.slots.push(Some((key, e)));
                        (self.slots.len() - 1) as u32
                    }
                };
                v.insert(slot);
                let (hi, lo) = words(&key);
                // Not in the index (not in `hashed`): its place after every
                // smaller rank.
                let at = self.index.partition_point(|r| r.words() < (hi, lo));
                self.index.insert(at, Ranked { hi, lo, slot });
                (slot, None)
            }
        };
        let new = match &self.slots[slot as usize] {
            Some((_, e)) => e,
            None => unreachable!("slot {slot} was just filled"),
        };
        (old, new)
    }

    /// Takes the LSA with this key out.
    pub fn remove(&mut self, key: &LsaKey) -> Option<Entry> {
        let slot = self.hashed.remove(key)?;
        let w = words(key);
        let at = self.index.partition_point(|r| r.words() < w);
        debug_assert_eq!(self.index.get(at).map(Ranked::words), Some(w));
        self.index.remove(at);
        self.free.push(slot);
        self.slots[slot as usize].take().map(|(_, e)| e)
    }

    /// Keys and LSAs, in key order.
    pub fn iter(&self) -> Iter<'_> {
        self.into_iter()
    }

    /// The LSAs, in key order.
    pub fn values(&self) -> impl Iterator<Item = &Entry> {
        self.iter().map(|(_, e)| e)
    }
}

/// The iterator [`Db::iter`] returns.
pub struct Iter<'a> {
    slots: std::slice::Iter<'a, Ranked>,
    db: &'a Db,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a LsaKey, &'a Entry);

    fn next(&mut self) -> Option<Self::Item> {
        let r = self.slots.next()?;
        self.db.at(r.slot).map(|(k, e)| (k, e))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.size_hint()
    }
}

impl<'a> IntoIterator for &'a Db {
    type Item = (&'a LsaKey, &'a Entry);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        Iter {
            slots: self.index.iter(),
            db: self,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::net::Ipv4Addr;

    use super::super::lsa::{LsType, LsaHeader};
    use super::*;
    use crate::SimTime;

    fn entry(key: LsaKey, seq: u32) -> Entry {
        Entry {
            header: LsaHeader {
                age: 0,
                options: 2,
                key,
                seq,
                checksum: 0,
                length: 0,
            },
            at: SimTime::ZERO,
            flooded: false,
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
            let seq_of = |e: Option<Entry>| e.map(|e| e.header.seq);
            match r() % 4 {
                0 => assert_eq!(
                    seq_of(db.insert(key, entry(key, seq))),
                    map.insert(key, seq),
                    "{step}"
                ),
                1 => {
                    let (old, new) = db.put(key, entry(key, seq));
                    assert_eq!(new.header.seq, seq);
                    assert_eq!(seq_of(old), map.insert(key, seq), "{step}");
                }
                2 => assert_eq!(seq_of(db.remove(&key)), map.remove(&key), "{step}"),
                _ => assert_eq!(
                    db.get(&key).map(|e| e.header.seq),
                    map.get(&key).copied(),
                    "{step}"
                ),
            }
            if step % 97 == 0 {
                let got: Vec<(LsaKey, u32)> = db.iter().map(|(k, e)| (*k, e.header.seq)).collect();
                let want: Vec<(LsaKey, u32)> = map.iter().map(|(k, s)| (*k, *s)).collect();
                assert_eq!(got, want, "{step}");
                assert!(db.values().map(|e| e.header.key).eq(map.keys().copied()));
            }
        }
    }
}
