//! The event queue: events ordered by (time, sequence number).
//!
//! Sequence numbers grow with every push, so within one instant events come
//! out first-in first-out. The queue is therefore a set of FIFO buckets, one
//! per instant: pushing and popping are O(1) within an instant and O(log k)
//! over the k distinct instants pending, which stays small (a LAN's cables
//! share a few latencies) even when a hundred thousand frames are in flight.
//!
//! The earliest few instants' buckets are kept out of the map, in a short
//! sorted list: events are popped from the first and nearly every push goes
//! to one of them (a frame handled now sends frames that arrive one cable
//! latency later), so the map is touched about once per instant, not once
//! per event.

use std::collections::{BTreeMap, VecDeque};

use lanlab_proto::SimTime;

/// How many of the earliest instants' buckets are kept out of the map.
const NEAR: usize = 4;

/// A queue of `E` ordered by (time, sequence).
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    /// The earliest instants' buckets, in time order, never empty; all
    /// earlier than every instant in `far`, and `far` is empty unless
    /// there are `NEAR` of them.
    near: Vec<(SimTime, VecDeque<E>)>,
    /// The later instants' buckets (never empty).
    far: BTreeMap<SimTime, VecDeque<E>>,
    spare: Vec<VecDeque<E>>,
    next_seq: u64,
    len: usize,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            near: Vec::with_capacity(NEAR + 1),
            far: BTreeMap::new(),
            spare: Vec::new(),
            next_seq: 0,
            len: 0,
        }
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// A bucket holding just `event`.
    fn bucket(&mut self, event: E) -> VecDeque<E> {
        let mut b = self.spare.pop().unwrap_or_default();
        b.push_back(event);
        b
    }

    /// Adds an event at `time`; returns its sequence number.
    pub fn push(&mut self, time: SimTime, event: E) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.len += 1;
        let mut at = self.near.len();
        for (i, (t, b)) in self.near.iter_mut().enumerate() {
            if *t == time {
                b.push_back(event);
                return seq;
            }
            if time < *t {
                at = i;
                break;
            }
        }
        if at < self.near.len() || self.near.len() < NEAR {
            // Earlier than a near instant, or room left (`far` is empty).
            let b = self.bucket(event);
            self.near.insert(at, (time, b));
            if self.near.len() > NEAR {
                let (t, b) = self.near.pop().expect("more than NEAR");
                self.far.insert(t, b);
            }
        } else if let Some(b) = self.far.get_mut(&time) {
            b.push_back(event);
        } else {
            let b = self.bucket(event);
            self.far.insert(time, b);
        }
        seq
    }

    /// Removes the earliest event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let (time, first) = self.near.first_mut()?;
        let time = *time;
        let e = first.pop_front().expect("buckets are never empty");
        if first.is_empty() {
            let (_, bucket) = self.near.remove(0);
            if self.spare.len() < 64 {
                self.spare.push(bucket);
            }
            if let Some(next) = self.far.pop_first() {
                self.near.push(next);
            }
        }
        self.len -= 1;
        Some((time, e))
    }

    /// The time of the earliest event.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.near.first().map(|(t, _)| *t)
    }

    /// All waiting events in delivery order, with their times.
    pub fn iter(&self) -> impl Iterator<Item = (SimTime, &E)> {
        let near = self.near.iter().map(|(t, b)| (t, b));
        near.chain(self.far.iter())
            .flat_map(|(t, b)| b.iter().map(move |e| (*t, e)))
    }

    /// Number of events waiting.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    #[test]
    fn orders_by_time_then_sequence() {
        let mut q = EventQueue::new();
        q.push(SimTime::from_micros(5), 'a');
        q.push(SimTime::from_micros(1), 'b');
        q.push(SimTime::from_micros(5), 'c');
        q.push(SimTime::from_micros(1), 'd');
        assert_eq!(q.len(), 4);
        assert_eq!(q.peek_time(), Some(SimTime::from_micros(1)));
        let seen: Vec<char> = q.iter().map(|(_, e)| *e).collect();
        assert_eq!(seen, vec!['b', 'd', 'a', 'c']);
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['b', 'd', 'a', 'c']);
        assert!(q.is_empty());
        assert_eq!(q.push(SimTime::ZERO, 'e'), 4);
    }

    /// Random pushes (now, a few latencies later, far timers, the past)
    /// and pops give the same events in the same order as one map keyed
    /// by (time, sequence), with the same view of what waits.
    #[test]
    fn matches_a_map_by_time_and_sequence() {
        for seed in 0..40 {
            let mut rng = SplitMix64::new(seed);
            let mut q = EventQueue::new();
            let mut plain: BTreeMap<(SimTime, u64), u32> = BTreeMap::new();
            let mut now = 0u64;
            for n in 0..3_000u32 {
                let r = rng.next_u64();
                if r % 5 < 2 {
                    let got = q.pop();
                    let want = plain.pop_first().map(|((t, _), e)| (t, e));
                    assert_eq!(got, want);
                    if let Some((t, _)) = got {
                        now = t.as_micros();
                    }
                } else {
                    let t = SimTime::from_micros(match (r >> 8) % 6 {
                        0 => now,
                        1 | 2 => now + 10,
                        3 => now + 25,
                        4 => now + (r >> 16) % 5_000,
                        _ => now.saturating_sub((r >> 20) % 30),
                    });
                    let seq = q.push(t, n);
                    plain.insert((t, seq), n);
                }
                assert_eq!(q.len(), plain.len());
                assert_eq!(q.peek_time(), plain.keys().next().map(|(t, _)| *t));
                if n % 97 == 0 {
                    let a: Vec<_> = q.iter().map(|(t, e)| (t, *e)).collect();
                    let b: Vec<_> = plain.iter().map(|((t, _), e)| (*t, *e)).collect();
                    assert_eq!(a, b);
                }
            }
        }
    }
}
