//! Classic pcap export of the trace (Ethernet link type), for Wireshark:
//! every frame on every hop, or the hops of one cable. Timestamps are the
//! lab's `start_unix` plus virtual time.

use std::io::{self, Write};

use crate::lab::LinkId;
use crate::trace::{KindView, Trace};

/// Link type of Ethernet II frames (LINKTYPE_ETHERNET).
pub const LINKTYPE_ETHERNET: u32 = 1;
const SNAPLEN: u32 = 65_535;

/// Writes the frames of `trace` as a classic pcap file (every hop, and the
/// frames through taps); only those that crossed cable `link` when given.
///
/// # Errors
/// What the writer returns.
pub fn write(
    trace: &Trace,
    start_unix: u64,
    link: Option<LinkId>,
    out: &mut impl Write,
) -> io::Result<usize> {
    out.write_all(&0xa1b2_c3d4u32.to_le_bytes())?;
    out.write_all(&2u16.to_le_bytes())?;
    out.write_all(&4u16.to_le_bytes())?;
    out.write_all(&0i32.to_le_bytes())?;
    out.write_all(&0u32.to_le_bytes())?;
    out.write_all(&SNAPLEN.to_le_bytes())?;
    out.write_all(&LINKTYPE_ETHERNET.to_le_bytes())?;
    let mut n = 0;
    for e in trace.events() {
        let bytes = match e.view() {
            KindView::Frame { link: l, bytes, .. } if link.is_none_or(|want| want == l) => bytes,
            KindView::Tapped { bytes, .. } if link.is_none() => bytes,
            _ => continue,
        };
        let us = e.time.as_micros();
        let secs = start_unix.saturating_add(us / 1_000_000);
        let len = bytes.len().min(SNAPLEN as usize) as u32;
        out.write_all(&(secs as u32).to_le_bytes())?;
        out.write_all(&((us % 1_000_000) as u32).to_le_bytes())?;
        out.write_all(&len.to_le_bytes())?;
        out.write_all(&(bytes.len() as u32).to_le_bytes())?;
        out.write_all(&bytes[..len as usize])?;
        n += 1;
    }
    Ok(n)
}
