//! The conversation view: the text dialogue of one TCP connection (SMTP,
//! POP3, IMAP, HTTP, Telnet) as the course material shows it,
//! `C: USER akbari` / `S: +OK …`, rebuilt from the trace.
//!
//! A segment crosses several cables and so appears once per hop; each
//! (direction, sequence number) is read once, so hops and retransmissions
//! do not repeat lines.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use smoltcp::wire::{EthernetFrame, EthernetProtocol, IpProtocol, Ipv4Packet, TcpPacket};

use crate::trace::{KindView, Trace};

mod hint;
pub use hint::{Hint, hint, subject_name};

/// One TCP connection: the client's and the server's address and port.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Conn {
    /// The client (the side with the higher, ephemeral port).
    pub client: (Ipv4Addr, u16),
    /// The server (the side with the well-known port).
    pub server: (Ipv4Addr, u16),
}

impl std::fmt::Display for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self.server.1 {
            25 | 587 => "SMTP",
            110 => "POP3",
            143 => "IMAP",
            80 => "HTTP",
            23 => "Telnet",
            _ => "TCP",
        };
        write!(
            f,
            "{name} {}:{} → {}:{}",
            self.client.0, self.client.1, self.server.0, self.server.1
        )
    }
}

/// One line of the dialogue.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Line {
    /// Sent by the client (`C:`), else by the server (`S:`).
    pub from_client: bool,
    /// The text, without its line end.
    pub text: String,
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let who = if self.from_client { "C" } else { "S" };
        write!(f, "{who}: {}", self.text)
    }
}

/// Most lines one conversation shows.
pub const MAX_LINES: usize = 5_000;

struct Segment<'a> {
    conn: Conn,
    from_client: bool,
    seq: u32,
    payload: &'a [u8],
}

fn segment(frame: &[u8]) -> Option<Segment<'_>> {
    let eth = EthernetFrame::new_checked(frame).ok()?;
    if eth.ethertype() != EthernetProtocol::Ipv4 {
        return None;
    }
    let ip = Ipv4Packet::new_checked(&frame[14..]).ok()?;
    if ip.next_header() != IpProtocol::Tcp {
        return None;
    }
    let header = usize::from(ip.header_len());
    let total = usize::from(ip.total_len()).min(frame.len() - 14);
    let tcp = TcpPacket::new_checked(frame.get(14 + header..14 + total)?).ok()?;
    let (src, dst) = (
        (ip.src_addr(), tcp.src_port()),
        (ip.dst_addr(), tcp.dst_port()),
    );
    let from_client = src.1 > dst.1;
    let conn = if from_client {
        Conn {
            client: src,
            server: dst,
        }
    } else {
        Conn {
            client: dst,
            server: src,
        }
    };
    Some(Segment {
        conn,
        from_client,
        seq: tcp.seq_number().0 as u32,
        payload: tcp.payload(),
    })
}

/// The connection a frame belongs to, if it is a TCP segment.
pub fn conn_of(frame: &[u8]) -> Option<Conn> {
    segment(frame).map(|s| s.conn)
}

/// Every connection that carried data, in order of its first data.
pub fn connections(trace: &Trace) -> Vec<Conn> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for e in trace.events() {
        if let KindView::Frame { bytes, .. } = &e.view()
            && let Some(s) = segment(bytes)
            && !s.payload.is_empty()
            && seen.insert(s.conn)
        {
            out.push(s.conn);
        }
    }
    out
}

/// The dialogue of `conn` so far: each line of data in the order it was
/// first delivered.
pub fn conversation(trace: &Trace, conn: &Conn) -> Vec<Line> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    // Text of a line not yet ended, per direction (client, server).
    let mut partial = [String::new(), String::new()];
    for e in trace.events() {
        let KindView::Frame { bytes, .. } = &e.view() else {
            continue;
        };
        let Some(s) = segment(bytes) else { continue };
        if s.conn != *conn || s.payload.is_empty() || !seen.insert((s.from_client, s.seq)) {
            continue;
        }
        let side = usize::from(!s.from_client);
        // The other side speaks: whatever it left unfinished is a line.
        let other = 1 - side;
        if !partial[other].is_empty() {
            out.push(Line {
                from_client: other == 0,
                text: std::mem::take(&mut partial[other]),
            });
        }
        partial[side].push_str(&String::from_utf8_lossy(s.payload));
        while let Some(i) = partial[side].find('\n') {
            let rest = partial[side].split_off(i + 1);
            let line = std::mem::replace(&mut partial[side], rest);
            out.push(Line {
                from_client: side == 0,
                text: line.trim_end_matches(['\r', '\n']).to_string(),
            });
            if out.len() >= MAX_LINES {
                return out;
            }
        }
    }
    for (side, text) in partial.into_iter().enumerate() {
        if !text.is_empty() {
            out.push(Line {
                from_client: side == 0,
                text,
            });
        }
    }
    out
}
