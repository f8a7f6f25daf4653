//! The receive side's buffer: in-order bytes waiting for the application,
//! plus segments that arrived ahead of a gap (RFC 9293 §3.10.7.4: "segments
//! with higher beginning sequence numbers may be held for later processing").

use std::collections::VecDeque;

use super::seq;

/// At most this many out-of-order pieces are kept; later ones are dropped
/// (the sender retransmits them).
const MAX_PIECES: usize = 64;

/// What became of data handed to [`RecvBuffer::insert`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Placed {
    /// Appended in order; `filled_gap` when buffered pieces followed it.
    InOrder { filled_gap: bool },
    /// Kept for later, ahead of a gap.
    Held,
    /// Dropped: too many pieces already held.
    Dropped,
}

/// Receive buffer with a small reassembly queue.
#[derive(Clone, Debug, Default)]
pub(crate) struct RecvBuffer {
    /// In-order bytes not yet read by the application.
    data: VecDeque<u8>,
    /// Capacity of `data`; the advertised window is what is free.
    capacity: usize,
    /// Out-of-order pieces: (first sequence number, bytes).
    pieces: Vec<(u32, Vec<u8>)>,
}

impl RecvBuffer {
    /// An empty buffer of `capacity` bytes.
    pub fn new(capacity: usize) -> Self {
        RecvBuffer {
            data: VecDeque::new(),
            capacity,
            pieces: Vec::new(),
        }
    }

    /// Free space, which is the receive window before the 16-bit cap.
    pub fn free(&self) -> usize {
        self.capacity.saturating_sub(self.data.len())
    }

    /// Bytes ready for the application.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Out-of-order bytes held (overlaps counted twice).
    pub fn held(&self) -> usize {
        self.pieces.iter().map(|(_, p)| p.len()).sum()
    }

    /// Take up to `buf.len()` in-order bytes.
    pub fn read_into(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.data.len());
        for (dst, src) in buf.iter_mut().zip(self.data.drain(..n)) {
            *dst = src;
        }
        n
    }

    /// Take every in-order byte.
    pub fn read_all(&mut self) -> Vec<u8> {
        // Copied as the ring's two slices, not byte by byte.
        let (a, b) = self.data.as_slices();
        let mut out = Vec::with_capacity(a.len() + b.len());
        out.extend_from_slice(a);
        out.extend_from_slice(b);
        self.data.clear();
        out
    }

    /// Place `bytes` starting at `seq_no`, already trimmed to lie within
    /// `[*rcv_nxt, *rcv_nxt + free)`. Advances `rcv_nxt` over everything now
    /// contiguous.
    pub fn insert(&mut self, rcv_nxt: &mut u32, seq_no: u32, bytes: &[u8]) -> Placed {
        if seq_no != *rcv_nxt {
            if self.pieces.len() >= MAX_PIECES {
                return Placed::Dropped;
            }
            if !self
                .pieces
                .iter()
                .any(|(s, p)| *s == seq_no && p.len() >= bytes.len())
            {
                self.pieces.push((seq_no, bytes.to_vec()));
            }
            return Placed::Held;
        }
        self.append(rcv_nxt, bytes);
        let mut filled_gap = false;
        loop {
            // Forget pieces wholly before rcv_nxt; append the first that overlaps it.
            let next = *rcv_nxt;
            self.pieces.retain(|(s, p)| seq::gt(piece_end(*s, p), next));
            let Some(i) = self.pieces.iter().position(|(s, _)| seq::le(*s, next)) else {
                break;
            };
            let (s, piece) = self.pieces.swap_remove(i);
            let skip = seq::diff(next, s) as usize;
            let room = self.free();
            let tail = &piece[skip.min(piece.len())..];
            self.append(rcv_nxt, &tail[..tail.len().min(room)]);
            filled_gap = true;
        }
        Placed::InOrder { filled_gap }
    }

    fn append(&mut self, rcv_nxt: &mut u32, bytes: &[u8]) {
        let n = bytes.len().min(self.free());
        self.data.extend(&bytes[..n]);
        *rcv_nxt = rcv_nxt.wrapping_add(n as u32);
    }
}

fn piece_end(start: u32, piece: &[u8]) -> u32 {
    start.wrapping_add(piece.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reassembles_across_gaps_and_overlaps() {
        let mut b = RecvBuffer::new(100);
        let mut nxt = u32::MAX - 2; // wraps mid-stream
        let base = nxt;
        assert_eq!(
            b.insert(&mut nxt, base.wrapping_add(6), b"ghij"),
            Placed::Held
        );
        assert_eq!(
            b.insert(&mut nxt, base.wrapping_add(3), b"def"),
            Placed::Held
        );
        assert_eq!(
            b.insert(&mut nxt, base.wrapping_add(4), b"efgh"),
            Placed::Held
        );
        assert_eq!(
            b.insert(&mut nxt, base, b"abc"),
            Placed::InOrder { filled_gap: true }
        );
        assert_eq!(nxt, base.wrapping_add(10));
        assert_eq!(b.read_all(), b"abcdefghij");
        assert_eq!(b.held(), 0);
    }

    #[test]
    fn never_holds_more_than_capacity_in_order() {
        let mut b = RecvBuffer::new(4);
        let mut nxt = 0;
        b.insert(&mut nxt, 0, b"abcdef");
        assert_eq!((nxt, b.len(), b.free()), (4, 4, 0));
        let mut out = [0u8; 3];
        assert_eq!(b.read_into(&mut out), 3);
        assert_eq!(&out, b"abc");
        assert_eq!(b.free(), 3);
    }
}
