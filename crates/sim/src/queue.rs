//! The event queue: events ordered by (time, sequence number).
//!
//! Sequence numbers grow with every push, so within one instant events come
//! out first-in first-out. The queue is therefore a map from time to a FIFO
//! bucket: pushing and popping are O(1) within an instant and O(log k) over
//! the k distinct instants pending, which stays small (a LAN's cables share
//! a few latencies) even when a hundred thousand frames are in flight.

use std::collections::{BTreeMap, VecDeque};

use lanlab_proto::SimTime;

/// A queue of `E` ordered by (time, sequence).
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    buckets: BTreeMap<SimTime, VecDeque<E>>,
    spare: Vec<VecDeque<E>>,
    next_seq: u64,
    len: usize,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            buckets: BTreeMap::new(),
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

    /// Adds an event at `time`; returns its sequence number.
    pub fn push(&mut self, time: SimTime, event: E) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        let spare = &mut self.spare;
        self.buckets
            .entry(time)
            .or_insert_with(|| spare.pop().unwrap_or_default())
            .push_back(event);
        self.len += 1;
        seq
    }

    /// Removes the earliest event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let mut entry = self.buckets.first_entry()?;
        let time = *entry.key();
        let e = entry
            .get_mut()
            .pop_front()
            .expect("buckets are never empty");
        if entry.get().is_empty() {
            let bucket = entry.remove();
            if self.spare.len() < 64 {
                self.spare.push(bucket);
            }
        }
        self.len -= 1;
        Some((time, e))
    }

    /// The time of the earliest event.
    pub fn peek_time(&self) -> Option<SimTime> {
        // Not `keys().next()`: that builds a double-ended range, walking
        // down to the last leaf as well.
        self.buckets.first_key_value().map(|(t, _)| *t)
    }

    /// All waiting events in delivery order, with their times.
    pub fn iter(&self) -> impl Iterator<Item = (SimTime, &E)> {
        self.buckets
            .iter()
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
}
