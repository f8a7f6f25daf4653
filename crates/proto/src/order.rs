//! One compiled sort for the whole engine.
//!
//! Every `sort_by_key` on a new element type or with a new closure is a
//! copy of the standard library's sort (about 4 KB of wasm each, and the
//! engine had dozens), and so is every `collect()` into a `BTreeSet` or
//! `BTreeMap` (which sorts the items, then builds the tree). The sorts here
//! order a list of indices with one comparison behind a `dyn`, so a single
//! copy of the sort serves every caller, and then move the elements into
//! that order; [`set`] and [`map`] insert one item at a time. For lists that
//! are short or sorted rarely (a console command, a configuration, a
//! timer's due list); a hot loop over long lists keeps the standard sort.

use core::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The set of `items`, like `collect()`, inserted one by one.
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut s = BTreeSet::new();
    s.extend(items);
    s
}

/// The map of `items`, like `collect()` (a later value for a key replaces
/// an earlier one), inserted one by one.
pub fn map<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut m = BTreeMap::new();
    m.extend(items);
    m
}

/// Sorts `v` by `cmp`, stably (equal elements keep their order), like
/// `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let from = order(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, from);
}

/// Sorts `v` by `key`, stably, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its natural order, stably, like `slice::sort`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The indices `0..n` in the order `cmp` (comparing the elements at two
/// indices) puts them, equal ones in index order: the one sort compiled.
fn order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    from.sort_by(|&a, &b| cmp(a, b));
    from
}

/// Puts `v[from[i]]` at `i` for every `i`, one cycle of the permutation at
/// a time (each element moved by one swap).
fn permute<T>(v: &mut [T], mut from: Vec<usize>) {
    for start in 0..v.len() {
        let mut i = start;
        loop {
            let j = from[i];
            from[i] = i;
            if j == start {
                break;
            }
            v.swap(i, j);
            i = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_sort_and_is_stable() {
        let mut seed = 7u32;
        for n in 0..60 {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) as u8 % 5, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|e| e.0);
            let mut got = v.clone();
            sort_by_key(&mut got, |e| e.0);
            assert_eq!(got, want);
            let mut want = v.clone();
            want.sort();
            let mut got = v;
            sort(&mut got);
            assert_eq!(got, want);
        }
    }
}
