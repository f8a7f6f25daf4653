//! The RIP version 2 message (RFC 2453 §4): a 4-byte header (command,
//! version, must-be-zero) and up to 25 route entries of 20 bytes (address
//! family, route tag, address, mask, next hop, metric). The smoltcp
//! pattern: [`Packet`] checks untrusted bytes once, [`Repr`] is the plain
//! value with `parse`/`emit`; [`fields`] gives the inspector's tree.

use core::fmt;
use std::net::Ipv4Addr;

use crate::fields::{Field, be16, be32};
use crate::net::ip::{Ipv4Net, mask_to_prefix};

/// The UDP port RIP speaks on (RFC 2453 §3.6).
pub const PORT: u16 = 520;
/// The RIPv2 multicast group (RFC 2453 §4.7).
pub const GROUP: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 9);
/// The header's length.
pub const HEADER_LEN: usize = 4;
/// One route entry's length.
pub const ENTRY_LEN: usize = 20;
/// Most entries in one message (RFC 2453 §3.6: 512-byte datagrams).
pub const MAX_ENTRIES: usize = 25;
/// The metric that means unreachable (RFC 2453 §3.6, "infinity").
pub const INFINITY: u32 = 16;
/// Address family identifier of IPv4 entries.
pub const AFI_INET: u16 = 2;
/// Address family identifier of an authentication entry (RFC 2453 §4.1).
pub const AFI_AUTH: u16 = 0xFFFF;

/// Why bytes are not a RIP message.
#[derive(Copy, Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Fewer than 4 bytes.
    #[error("RIP message shorter than its 4-byte header")]
    Truncated,
    /// The entries are not a whole number of 20-byte entries.
    #[error("RIP entries are {0} bytes, not a multiple of 20")]
    Ragged(usize),
    /// More than 25 entries.
    #[error("RIP message has {0} entries; at most 25 fit")]
    TooMany(usize),
}

/// The command byte (RFC 2453 §4).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// 1: asks for all or part of a routing table.
    Request,
    /// 2: carries routes (an update).
    Response,
    /// Anything else.
    Unknown(u8),
}

impl From<u8> for Command {
    fn from(b: u8) -> Self {
        match b {
            1 => Command::Request,
            2 => Command::Response,
            x => Command::Unknown(x),
        }
    }
}

impl From<Command> for u8 {
    fn from(c: Command) -> u8 {
        match c {
            Command::Request => 1,
            Command::Response => 2,
            Command::Unknown(x) => x,
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Request => f.write_str("Request"),
            Command::Response => f.write_str("Response"),
            Command::Unknown(x) => write!(f, "command {x}"),
        }
    }
}

/// A checked view of a RIP message: after [`Packet::new_checked`] no
/// accessor can panic.
#[derive(Debug, Clone)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Wraps bytes without checking them.
    pub fn new_unchecked(buffer: T) -> Self {
        Packet { buffer }
    }

    /// Wraps bytes after checking the header and the entries' length.
    ///
    /// # Errors
    /// [`Error`] when the bytes cannot be a RIP message.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        let p = Packet { buffer };
        p.check_len()?;
        Ok(p)
    }

    /// Checks the lengths.
    ///
    /// # Errors
    /// [`Error`] as in [`Packet::new_checked`].
    pub fn check_len(&self) -> Result<(), Error> {
        let len = self.buffer.as_ref().len();
        if len < HEADER_LEN {
            return Err(Error::Truncated);
        }
        let body = len - HEADER_LEN;
        if !body.is_multiple_of(ENTRY_LEN) {
            return Err(Error::Ragged(body));
        }
        if body / ENTRY_LEN > MAX_ENTRIES {
            return Err(Error::TooMany(body / ENTRY_LEN));
        }
        Ok(())
    }

    /// The command.
    pub fn command(&self) -> Command {
        Command::from(self.buffer.as_ref()[0])
    }

    /// The version (2 for RIPv2).
    pub fn version(&self) -> u8 {
        self.buffer.as_ref()[1]
    }

    /// How many 20-byte entries follow the header.
    pub fn entry_count(&self) -> usize {
        (self.buffer.as_ref().len() - HEADER_LEN) / ENTRY_LEN
    }

    /// The `i`-th entry's 20 bytes.
    pub fn entry(&self, i: usize) -> &[u8] {
        let s = HEADER_LEN + i * ENTRY_LEN;
        &self.buffer.as_ref()[s..s + ENTRY_LEN]
    }
}

/// One route entry (RFC 2453 §4: "Route Tag, IP Address, Subnet Mask, Next Hop, Metric").
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Address family: 2 for IPv4, 0 in a whole-table request.
    pub afi: u16,
    /// Route tag (0 here).
    pub tag: u16,
    /// The destination network.
    pub addr: Ipv4Addr,
    /// Its mask.
    pub mask: Ipv4Addr,
    /// 0.0.0.0: via the sender.
    pub next_hop: Ipv4Addr,
    /// 1–15 hops, 16 unreachable.
    pub metric: u32,
}

impl Entry {
    /// An IPv4 route entry.
    pub fn route(dest: Ipv4Net, metric: u32) -> Entry {
        Entry {
            afi: AFI_INET,
            tag: 0,
            addr: dest.network(),
            mask: dest.mask(),
            next_hop: Ipv4Addr::UNSPECIFIED,
            metric,
        }
    }

    /// The destination as a prefix, when the mask is contiguous.
    pub fn dest(&self) -> Option<Ipv4Net> {
        let prefix = mask_to_prefix(self.mask).ok()?;
        Some(Ipv4Net {
            addr: self.addr,
            prefix,
        })
    }

    fn parse(b: &[u8]) -> Entry {
        let ip = |i: usize| Ipv4Addr::new(b[i], b[i + 1], b[i + 2], b[i + 3]);
        Entry {
            afi: u16::from_be_bytes([b[0], b[1]]),
            tag: u16::from_be_bytes([b[2], b[3]]),
            addr: ip(4),
            mask: ip(8),
            next_hop: ip(12),
            metric: u32::from_be_bytes([b[16], b[17], b[18], b[19]]),
        }
    }

    fn emit(&self, b: &mut [u8]) {
        b[0..2].copy_from_slice(&self.afi.to_be_bytes());
        b[2..4].copy_from_slice(&self.tag.to_be_bytes());
        b[4..8].copy_from_slice(&self.addr.octets());
        b[8..12].copy_from_slice(&self.mask.octets());
        b[12..16].copy_from_slice(&self.next_hop.octets());
        b[16..20].copy_from_slice(&self.metric.to_be_bytes());
    }
}

/// A RIP message as plain values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repr {
    /// Request or response.
    pub command: Command,
    /// 2 for RIPv2 (1 is parsed too).
    pub version: u8,
    /// The entries, at most 25.
    pub entries: Vec<Entry>,
}

impl Repr {
    /// A RIPv2 request for the whole table (RFC 2453 §3.9.1: one entry,
    /// address family 0, metric 16).
    pub fn request_all() -> Repr {
        Repr {
            command: Command::Request,
            version: 2,
            entries: vec![Entry {
                afi: 0,
                tag: 0,
                addr: Ipv4Addr::UNSPECIFIED,
                mask: Ipv4Addr::UNSPECIFIED,
                next_hop: Ipv4Addr::UNSPECIFIED,
                metric: INFINITY,
            }],
        }
    }

    /// Whether this is a request for the whole table.
    pub fn is_request_all(&self) -> bool {
        self.command == Command::Request
            && self.entries.len() == 1
            && self.entries[0].afi == 0
            && self.entries[0].metric == INFINITY
    }

    /// Reads a checked packet.
    ///
    /// # Errors
    /// None today beyond [`Packet::new_checked`]'s; kept for the pattern.
    pub fn parse<T: AsRef<[u8]>>(p: &Packet<T>) -> Result<Repr, Error> {
        p.check_len()?;
        Ok(Repr {
            command: p.command(),
            version: p.version(),
            entries: (0..p.entry_count())
                .map(|i| Entry::parse(p.entry(i)))
                .collect(),
        })
    }

    /// Reads bytes.
    ///
    /// # Errors
    /// [`Error`] when they are not a RIP message.
    pub fn from_bytes(b: &[u8]) -> Result<Repr, Error> {
        Repr::parse(&Packet::new_checked(b)?)
    }

    /// The encoded length.
    pub fn buffer_len(&self) -> usize {
        HEADER_LEN + ENTRY_LEN * self.entries.len().min(MAX_ENTRIES)
    }

    /// Writes the message into `p`'s buffer, which is at least
    /// [`Repr::buffer_len`] long.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, p: &mut Packet<T>) {
        let b = p.buffer.as_mut();
        b[0] = self.command.into();
        b[1] = self.version;
        b[2] = 0;
        b[3] = 0;
        for (i, e) in self.entries.iter().take(MAX_ENTRIES).enumerate() {
            let s = HEADER_LEN + i * ENTRY_LEN;
            e.emit(&mut b[s..s + ENTRY_LEN]);
        }
    }

    /// The message's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = vec![0; self.buffer_len()];
        self.emit(&mut Packet::new_unchecked(&mut v[..]));
        v
    }
}

impl fmt::Display for Repr {
    /// `RIPv2 Response, 3 routes: 192.168.3.0/24 metric 2, …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_request_all() {
            return write!(f, "RIPv{} Request for the whole table", self.version);
        }
        let n = self.entries.len();
        write!(
            f,
            "RIPv{} {}, {n} route{}",
            self.version,
            self.command,
            if n == 1 { "" } else { "s" }
        )?;
        for (i, e) in self.entries.iter().take(4).enumerate() {
            let sep = if i == 0 { ": " } else { ", " };
            match e.dest() {
                Some(d) => write!(f, "{sep}{d} metric {}", e.metric)?,
                None => write!(f, "{sep}{} mask {} metric {}", e.addr, e.mask, e.metric)?,
            }
        }
        if n > 4 {
            f.write_str(", …")?;
        }
        Ok(())
    }
}

/// The inspector's field tree of a RIP message starting at `base` in the
/// frame; an unreadable message gives one field saying why.
pub fn fields(b: &[u8], base: usize) -> Field {
    let whole = base..base + b.len();
    let repr = match Repr::from_bytes(b) {
        Ok(r) => r,
        Err(e) => return Field::new("Routing Information Protocol", e.to_string(), whole),
    };
    let mut kids = vec![
        Field::new(
            "Command",
            format!("{} ({})", repr.command, u8::from(repr.command)),
            base..base + 1,
        ),
        Field::new(
            "Version",
            format!("RIPv{}", repr.version),
            base + 1..base + 2,
        ),
        Field::new(
            "Must be zero",
            be16(b, 2).unwrap_or(0).to_string(),
            base + 2..base + 4,
        ),
    ];
    for (i, e) in repr.entries.iter().enumerate() {
        let s = base + HEADER_LEN + i * ENTRY_LEN;
        let o = HEADER_LEN + i * ENTRY_LEN;
        let family = match e.afi {
            AFI_INET => "IP (2)".to_string(),
            0 => "Unspecified (0)".to_string(),
            AFI_AUTH => "Authentication (0xffff)".to_string(),
            x => format!("Unknown ({x})"),
        };
        let title = match e.dest() {
            Some(d) if e.afi == AFI_INET => format!("{d}, metric {}", e.metric),
            _ if e.afi == 0 => "whole table".to_string(),
            _ => family.clone(),
        };
        let addr = |k: usize| {
            let v = be32(b, o + k).unwrap_or(0);
            Ipv4Addr::from(v).to_string()
        };
        kids.push(
            Field::new(&format!("Entry {}", i + 1), title, s..s + ENTRY_LEN).with_children(vec![
                Field::new("Address Family", family, s..s + 2),
                Field::new("Route Tag", e.tag.to_string(), s + 2..s + 4),
                Field::new("IP Address", addr(4), s + 4..s + 8),
                Field::new("Netmask", addr(8), s + 8..s + 12),
                Field::new("Next Hop", addr(12), s + 12..s + 16),
                Field::new(
                    "Metric",
                    if e.metric >= INFINITY {
                        format!("{} (unreachable)", e.metric)
                    } else {
                        e.metric.to_string()
                    },
                    s + 16..s + 20,
                ),
            ]),
        );
    }
    Field::new("Routing Information Protocol", repr.to_string(), whole).with_children(kids)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A RIPv2 response as Cisco IOS sends it (captured bytes): one route,
    /// 192.168.3.0/24 metric 2.
    const RESPONSE: [u8; 24] = [
        0x02, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0xc0, 0xa8, 0x03, 0x00, 0xff, 0xff, 0xff,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    ];

    #[test]
    fn parses_and_emits_a_response() {
        let r = Repr::from_bytes(&RESPONSE).unwrap();
        assert_eq!(r.command, Command::Response);
        assert_eq!(r.entries[0].dest(), Some("192.168.3.0/24".parse().unwrap()));
        assert_eq!(r.entries[0].metric, 2);
        assert_eq!(r.to_bytes(), RESPONSE);
        assert_eq!(
            r.to_string(),
            "RIPv2 Response, 1 route: 192.168.3.0/24 metric 2"
        );
        let f = fields(&RESPONSE, 42);
        assert_eq!(f.range, 42..66);
        assert_eq!(f.find("Metric").unwrap().range, 62..66);
        assert_eq!(f.find("Netmask").unwrap().value, "255.255.255.0");
    }

    #[test]
    fn request_all_round_trips() {
        let r = Repr::request_all();
        let b = r.to_bytes();
        assert_eq!(b.len(), 24);
        assert!(Repr::from_bytes(&b).unwrap().is_request_all());
        assert_eq!(r.to_string(), "RIPv2 Request for the whole table");
    }

    #[test]
    fn bad_lengths_are_errors() {
        assert_eq!(Repr::from_bytes(&[2, 2]), Err(Error::Truncated));
        assert_eq!(Repr::from_bytes(&[2, 2, 0, 0, 1]), Err(Error::Ragged(1)));
        let big = vec![0u8; 4 + 26 * 20];
        assert_eq!(Repr::from_bytes(&big), Err(Error::TooMany(26)));
        assert!(fields(&[1], 0).children.is_empty());
    }
}
