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
//! keeps its slot). The table ([`Table`]) holds 8-byte cells (a hash and
//! a slot number, not the key: the key is compared in its slot, read
//! next anyway): a look-up reads one line of a few-kilobyte table and
//! the slot, where a map from key to slot read its control bytes, then
//! its 16-byte entry elsewhere, then the slot. Every router's database
//! is looked up for every LSA it receives, one router after another:
//! each look-up finds the router's tables out of the cache, and the
//! lines read are the time it takes.

use std::hash::Hasher;

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

/// The 32 bits of a key's hash a [`Table`] keeps (the high half of
/// [`RankHasher`]'s, as `HashMap` hashed the key).
fn hash32(key: &LsaKey) -> u32 {
    let mut h = RankHasher::default();
    h.write_u128(key.rank());
    (h.finish() >> 32) as u32
}

/// Slot numbers by key: open addressing with linear probing, each cell
/// a key's [`hash32`] (high 32 bits; its low bits are the cell it
/// belongs in) and its slot number plus one (low 32 bits; 0: an empty
/// cell). At most half full; a removal shifts the cells after it back
/// (no tombstones).
#[derive(Clone, Debug, Default)]
struct Table {
    cells: Vec<u64>,
    len: usize,
}

/// Where [`Table::find`] ended: the cell holding the key, or the empty
/// cell that ended the search.
enum Probe {
    Found(usize, u32),
    Empty(usize),
}

impl Table {
    fn mask(&self) -> usize {
        self.cells.len() - 1
    }

    /// The key's cell, its slot read from `slots` to compare keys (only
    /// where the hashes agree). The table must not be empty.
    fn find(&self, key: &LsaKey, h: u32, slots: &[Option<(LsaKey, Entry)>]) -> Probe {
        let mask = self.mask();
        let mut i = h as usize & mask;
        loop {
            let c = self.cells[i];
            if c == 0 {
                return Probe::Empty(i);
            }
            if (c >> 32) as u32 == h {
                let s = (c as u32).wrapping_sub(1);
                if slots
                    .get(s as usize)
                    .and_then(Option::as_ref)
                    .is_some_and(|(k, _)| k == key)
                {
                    return Probe::Found(i, s);
                }
            }
            i = (i + 1) & mask;
        }
    }

    fn get(&self, key: &LsaKey, slots: &[Option<(LsaKey, Entry)>]) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        match self.find(key, hash32(key), slots) {
            Probe::Found(_, s) => Some(s),
            Probe::Empty(_) => None,
        }
    }

    /// Room for `n` keys at most half full (a power of two, at least 16 cells).
    fn grow_to(&mut self, n: usize) {
        let want = (2 * n).next_power_of_two().max(16);
        if want <= self.cells.len() {
            return;
        }
        let old = std::mem::replace(&mut self.cells, vec![0; want]);
        let mask = self.mask();
        for c in old.into_iter().filter(|&c| c != 0) {
            let mut i = (c >> 32) as usize & mask;
            while self.cells[i] != 0 {
                i = (i + 1) & mask;
            }
            self.cells[i] = c;
        }
    }

    /// Fills empty cell `at` (from [`Table::find`], no growth since).
    fn fill(&mut self, at: usize, h: u32, slot: u32) {
        self.cells[at] = (u64::from(h) << 32) | u64::from(slot + 1);
        self.len += 1;
    }

    /// Empties cell `at`, moving back the cells after it that may sit
    /// there (their own cell not between the hole and them).
    fn clear_cell(&mut self, at: usize) {
        let mask = self.mask();
        let mut hole = at;
        let mut j = (at + 1) & mask;
        loop {
            let c = self.cells[j];
            if c == 0 {
                break;
            }
            let home = (c >> 32) as usize & mask;
            if j.wrapping_sub(home) & mask >= j.wrapping_sub(hole) & mask {
                self.cells[hole] = c;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.cells[hole] = 0;
        self.len -= 1;
    }
}

/// LSAs by key, in key order.
#[derive(Clone, Debug, Default)]
pub struct Db {
    /// Slot numbers by key rank, sorted by rank (for walks).
    index: Vec<Ranked>,
    /// The same slot numbers by key, hashed as its rank (for look-ups).
    hashed: Table,
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
        let slot = self.hashed.get(key, &self.slots)?;
        self.at(slot).map(|(_, e)| e)
    }

    /// The slot of the LSA with this key (a hint for
    /// [`Db::get_hinted`] and [`Db::put_hinted`]).
    pub(super) fn slot(&self, key: &LsaKey) -> Option<u32> {
        self.hashed.get(key, &self.slots)
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
        if self.hashed.cells.is_empty() {
            // Room for an area's LSAs from the start.
            self.slots.reserve(SLOTS);
            self.index.reserve(SLOTS);
            self.hashed.grow_to(SLOTS);
        }
        // Room for one more before looking: the empty cell found stays
        // the key's place.
        self.hashed.grow_to(self.hashed.len + 1);
        // One hashing: the key's place in the table, found or made.
        let h = hash32(&key);
        let (slot, old) = match self.hashed.find(&key, h, &self.slots) {
            Probe::Found(_, slot) => {
                let old = self.slots[slot as usize].replace((key, e));
                (slot, old.map(|(_, e)| e))
            }
            Probe::Empty(at) => {
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
                self.hashed.fill(at, h, slot);
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
        if self.hashed.len == 0 {
            return None;
        }
        let Probe::Found(at, slot) = self.hashed.find(key, hash32(key), &self.slots) else {
            return None;
        };
        self.hashed.clear_cell(at);
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
    fn grows_and_shrinks_past_its_first_room() {
        let key = |i: u32| LsaKey {
            ls_type: if i.is_multiple_of(3) {
                LsType::Network
            } else {
                LsType::Router
            },
            id: Ipv4Addr::from(i.wrapping_mul(0x0101_0101)),
            adv: Ipv4Addr::from(i % 7),
        };
        let mut db = Db::new();
        let mut map: BTreeMap<LsaKey, u32> = BTreeMap::new();
        for i in 0..3000 {
            assert_eq!(
                db.insert(key(i), entry(key(i), i)).is_some(),
                map.insert(key(i), i).is_some()
            );
        }
        for i in (0..3000).filter(|i| i % 4 != 1) {
            let got = db.remove(&key(i)).map(|e| e.header.seq);
            assert_eq!(got, map.remove(&key(i)), "{i}");
        }
        for i in 0..3000 {
            assert_eq!(
                db.get(&key(i)).map(|e| e.header.seq),
                map.get(&key(i)).copied(),
                "{i}"
            );
            assert_eq!(db.slot(&key(i)).is_some(), map.contains_key(&key(i)));
        }
        assert!(
            db.iter()
                .map(|(k, e)| (*k, e.header.seq))
                .eq(map.iter().map(|(k, s)| (*k, *s)))
        );
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
