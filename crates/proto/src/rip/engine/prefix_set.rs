//! A set of prefixes kept as a vector: an insert is a push (skipped when
//! the prefix is the last one pushed, as a response's entries mostly
//! are), sorted and deduplicated when read in order or when it grows to
//! twice what it held the last time, so a set that is never read stays
//! small. Reads in order see what a `BTreeSet` would hold, without a tree
//! node per prefix.

use crate::net::ip::Ipv4Net;

/// Grows to at least this many before it deduplicates on its own.
const COMPACT_AT: usize = 64;

/// Prefixes, read in order ([`PrefixSet::sorted`]).
#[derive(Clone, Debug, Default)]
pub(super) struct PrefixSet {
    v: Vec<Ipv4Net>,
    /// Length after the last sort.
    compacted: usize,
}

impl PrefixSet {
    /// Adds `d`.
    pub(super) fn insert(&mut self, d: Ipv4Net) {
        if self.v.last() == Some(&d) {
            return;
        }
        self.v.push(d);
        if self.v.len() >= COMPACT_AT.max(2 * self.compacted) {
            self.compact();
        }
    }

    /// Sorts and deduplicates.
    pub(super) fn compact(&mut self) {
        if !self.v.is_sorted_by(|a, b| a < b) {
            self.v.sort_unstable();
            self.v.dedup();
        }
        self.compacted = self.v.len();
    }

    /// The prefixes in order, each once, after [`PrefixSet::compact`].
    pub(super) fn sorted(&self) -> &[Ipv4Net] {
        debug_assert!(self.v.is_sorted_by(|a, b| a < b), "compacted first");
        &self.v
    }

    /// Empties it (keeping its room).
    pub(super) fn clear(&mut self) {
        self.v.clear();
        self.compacted = 0;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::net::Ipv4Addr;

    use super::*;

    #[test]
    fn holds_what_a_btreeset_holds() {
        let mut seed = 0x1234_5678_9abc_def1_u64;
        let mut r = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut s = PrefixSet::default();
        let mut want = BTreeSet::new();
        for step in 0..5_000 {
            let d = Ipv4Net {
                addr: Ipv4Addr::from((r() % 40) as u32),
                prefix: (r() % 3) as u8 + 24,
            };
            s.insert(d);
            want.insert(d);
            match r() % 50 {
                0 => {
                    s.compact();
                    assert!(s.sorted().iter().eq(want.iter()), "{step}");
                }
                1 => {
                    s.clear();
                    want.clear();
                }
                _ => {}
            }
            assert!(s.v.len() <= COMPACT_AT.max(2 * want.len()), "{step}");
        }
    }
}
