//! OSPFv2 packets (RFC 2328 appendix A.3): the 24-byte header with its IP
//! checksum (authentication type 0, null), and the five packet types:
//! Hello, Database Description, Link State Request, Link State Update and
//! Link State Acknowledgment. [`Packet`] is the checked view over bytes,
//! [`Repr`] the parsed packet (smoltcp's `wire` pattern).

use core::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;
#[cfg(test)]
use smoltcp::wire::checksum;

use super::OspfError;
use super::lsa::{LSA_HEADER_LEN, LsType, Lsa, LsaHeader, LsaKey};

mod shortcuts;

use shortcuts::update_lsas;
pub(super) use shortcuts::{InBody, UpdateLsas, lsack_into, lsu_into, parse_incoming_known};
#[cfg(test)]
pub(super) use shortcuts::{lsack_bytes, lsu_bytes, parse_incoming};

/// Length of the OSPF header.
pub const HEADER_LEN: usize = 24;
/// Most neighbours, headers or requests read from one packet.
const MAX_ITEMS: usize = 1024;

/// Database Description flag: Init.
pub const DD_I: u8 = 0x04;
/// Database Description flag: More.
pub const DD_M: u8 = 0x02;
/// Database Description flag: Master/Slave (set by the master).
pub const DD_MS: u8 = 0x01;
/// Options: external routing capable (E bit).
pub const OPT_E: u8 = 0x02;

/// The OSPF packet type (§A.3.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PacketType {
    /// 1
    Hello,
    /// 2
    DbDescription,
    /// 3
    LsRequest,
    /// 4
    LsUpdate,
    /// 5
    LsAck,
    /// Anything else.
    Unknown(u8),
}

impl From<u8> for PacketType {
    fn from(v: u8) -> Self {
        match v {
            1 => PacketType::Hello,
            2 => PacketType::DbDescription,
            3 => PacketType::LsRequest,
            4 => PacketType::LsUpdate,
            5 => PacketType::LsAck,
            x => PacketType::Unknown(x),
        }
    }
}

impl From<PacketType> for u8 {
    fn from(t: PacketType) -> u8 {
        match t {
            PacketType::Hello => 1,
            PacketType::DbDescription => 2,
            PacketType::LsRequest => 3,
            PacketType::LsUpdate => 4,
            PacketType::LsAck => 5,
            PacketType::Unknown(x) => x,
        }
    }
}

impl fmt::Display for PacketType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PacketType::Hello => f.write_str("Hello"),
            PacketType::DbDescription => f.write_str("DBD"),
            PacketType::LsRequest => f.write_str("LS Request"),
            PacketType::LsUpdate => f.write_str("LS Update"),
            PacketType::LsAck => f.write_str("LS Ack"),
            PacketType::Unknown(x) => write!(f, "type {x}"),
        }
    }
}

/// A checked view of an OSPF packet's bytes.
#[derive(Debug, Clone)]
pub struct Packet<T: AsRef<[u8]>> {
    buf: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Checks that the bytes hold an OSPFv2 header and the whole packet its
    /// length field names; after that no accessor panics.
    ///
    /// # Errors
    /// [`OspfError::Truncated`], [`OspfError::BadVersion`] or [`OspfError::BadLength`].
    pub fn new_checked(buf: T) -> Result<Self, OspfError> {
        let b = buf.as_ref();
        if b.len() < HEADER_LEN {
            return Err(OspfError::Truncated);
        }
        if b[0] != 2 {
            return Err(OspfError::BadVersion(b[0]));
        }
        let len = u16::from_be_bytes([b[2], b[3]]);
        if usize::from(len) < HEADER_LEN || usize::from(len) > b.len() {
            return Err(OspfError::BadLength(len));
        }
        Ok(Packet { buf })
    }

    fn b(&self) -> &[u8] {
        self.buf.as_ref()
    }

    /// The packet type.
    pub fn packet_type(&self) -> PacketType {
        PacketType::from(self.b()[1])
    }

    /// Length of header and body.
    pub fn length(&self) -> u16 {
        u16::from_be_bytes([self.b()[2], self.b()[3]])
    }

    /// The sender's router id.
    pub fn router_id(&self) -> Ipv4Addr {
        Ipv4Addr::new(self.b()[4], self.b()[5], self.b()[6], self.b()[7])
    }

    /// The area the packet belongs to.
    pub fn area_id(&self) -> Ipv4Addr {
        Ipv4Addr::new(self.b()[8], self.b()[9], self.b()[10], self.b()[11])
    }

    /// The checksum field.
    pub fn checksum(&self) -> u16 {
        u16::from_be_bytes([self.b()[12], self.b()[13]])
    }

    /// The authentication type (0: none).
    pub fn auth_type(&self) -> u16 {
        u16::from_be_bytes([self.b()[14], self.b()[15]])
    }

    /// The body after the header, up to the length field.
    pub fn payload(&self) -> &[u8] {
        &self.b()[HEADER_LEN..usize::from(self.length())]
    }

    /// Checks the checksum and the authentication type.
    fn check_header(&self) -> Result<(), OspfError> {
        if !self.verify_checksum() {
            return Err(OspfError::BadChecksum);
        }
        if self.auth_type() != 0 {
            return Err(OspfError::Auth(self.auth_type()));
        }
        Ok(())
    }

    /// Whether the checksum is right: the IP checksum of the whole packet
    /// but the 64-bit authentication field (§D.4.1).
    pub fn verify_checksum(&self) -> bool {
        packet_checksum(&self.b()[..usize::from(self.length())]) == self.checksum()
    }
}

/// The checksum an OSPF packet should carry (its checksum field taken as
/// zero): the IP checksum of the first 16 bytes and the body, as
/// `!checksum::combine(&[checksum::data(head), checksum::data(body)])`
/// gives it, the parts summed as one (each starts at an even offset).
pub fn packet_checksum(b: &[u8]) -> u16 {
    !fold_sum(word_sum(&b[..12]) + word_sum(&b[14..16]) + word_sum(&b[HEADER_LEN..]))
}

/// The bytes taken as native-endian 16-bit words and summed: eight bytes
/// at a time into a `u64`, each carry out of it counted and added back at
/// the end (a 64-bit word is four 16-bit words and 2^64 is 1, since 2^16
/// is 1 modulo 0xffff; RFC 1071 §2). Less than 2^35 for any slice.
fn word_sum(b: &[u8]) -> u64 {
    let (words, rest) = b.as_chunks::<8>();
    let (mut acc, mut carries) = (0u64, 0u64);
    for w in words {
        let (s, c) = acc.overflowing_add(u64::from_ne_bytes(*w));
        acc = s;
        carries += u64::from(c);
    }
    let mut sum = (acc & 0xffff_ffff) + (acc >> 32) + carries;
    let mut rest = rest;
    if let [a, b, c, d, more @ ..] = rest {
        sum += u64::from(u32::from_ne_bytes([*a, *b, *c, *d]));
        rest = more;
    }
    if let [x, y, more @ ..] = rest {
        sum += u64::from(u16::from_ne_bytes([*x, *y]));
        rest = more;
    }
    if let [x] = rest {
        sum += u64::from(u16::from_ne_bytes([*x, 0]));
    }
    sum
}

/// A [`word_sum`] folded to the ones' complement 16-bit sum, in network
/// byte order as `checksum::data` gives it (0 only for a zero sum).
fn fold_sum(mut acc: u64) -> u16 {
    while acc >> 16 != 0 {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    u16::to_be(acc as u16)
}

/// The straightforward checksum [`packet_checksum`] stands for.
#[cfg(test)]
pub(super) fn packet_checksum_reference(b: &[u8]) -> u16 {
    let mut head = [0u8; 16];
    head.copy_from_slice(&b[..16]);
    head[12] = 0;
    head[13] = 0;
    !checksum::combine(&[checksum::data(&head), checksum::data(&b[HEADER_LEN..])])
}

/// A Hello packet's body (§A.3.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hello {
    /// The sending interface's mask.
    pub mask: Ipv4Addr,
    /// Seconds between hellos.
    pub hello_interval: u16,
    /// Options (E bit).
    pub options: u8,
    /// Router priority (0: never DR).
    pub priority: u8,
    /// Seconds before a silent neighbour is declared down.
    pub dead_interval: u32,
    /// The DR's interface address as the sender sees it (0.0.0.0: none).
    pub dr: Ipv4Addr,
    /// The BDR's interface address (0.0.0.0: none).
    pub bdr: Ipv4Addr,
    /// Router ids heard from on this network within the dead interval.
    pub neighbors: Vec<Ipv4Addr>,
}

/// A Database Description packet's body (§A.3.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DbDesc {
    /// The interface MTU.
    pub mtu: u16,
    /// Options (E bit).
    pub options: u8,
    /// I, M and MS bits.
    pub flags: u8,
    /// DD sequence number.
    pub seq: u32,
    /// The LSA headers described.
    pub headers: Vec<LsaHeader>,
}

/// The body of an OSPF packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Body {
    /// Type 1.
    Hello(Hello),
    /// Type 2.
    DbDesc(DbDesc),
    /// Type 3: the LSAs asked for.
    LsRequest(Vec<LsaKey>),
    /// Type 4: LSAs flooded or sent on request.
    LsUpdate(Vec<Lsa>),
    /// Type 5: headers of the LSAs acknowledged.
    LsAck(Vec<LsaHeader>),
}

/// A parsed OSPF packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Repr {
    /// The sender's router id.
    pub router_id: Ipv4Addr,
    /// The area.
    pub area: Ipv4Addr,
    /// The body.
    pub body: Body,
}

fn ip4(b: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

fn headers(b: &[u8]) -> Result<Vec<LsaHeader>, OspfError> {
    if b.len() / LSA_HEADER_LEN > MAX_ITEMS {
        return Err(OspfError::TooMany);
    }
    b.chunks_exact(LSA_HEADER_LEN)
        .map(LsaHeader::parse)
        .collect()
}

impl Repr {
    /// Parses a checked packet (checksum and authentication type checked too).
    ///
    /// # Errors
    /// [`OspfError::BadChecksum`], [`OspfError::Auth`],
    /// [`OspfError::UnknownType`], [`OspfError::Truncated`] and the LSA errors.
    pub fn parse<T: AsRef<[u8]>>(p: &Packet<T>) -> Result<Repr, OspfError> {
        p.check_header()?;
        let b = p.payload();
        let body = match p.packet_type() {
            PacketType::Hello => {
                if b.len() < 20 {
                    return Err(OspfError::Truncated);
                }
                if (b.len() - 20) / 4 > MAX_ITEMS {
                    return Err(OspfError::TooMany);
                }
                Body::Hello(Hello {
                    mask: ip4(&b[0..4]),
                    hello_interval: u16::from_be_bytes([b[4], b[5]]),
                    options: b[6],
                    priority: b[7],
                    dead_interval: u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
                    dr: ip4(&b[12..16]),
                    bdr: ip4(&b[16..20]),
                    neighbors: b[20..].chunks_exact(4).map(ip4).collect(),
                })
            }
            PacketType::DbDescription => {
                if b.len() < 8 {
                    return Err(OspfError::Truncated);
                }
                Body::DbDesc(DbDesc {
                    mtu: u16::from_be_bytes([b[0], b[1]]),
                    options: b[2],
                    flags: b[3],
                    seq: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
                    headers: headers(&b[8..])?,
                })
            }
            PacketType::LsRequest => {
                if b.len() / 12 > MAX_ITEMS {
                    return Err(OspfError::TooMany);
                }
                Body::LsRequest(
                    b.chunks_exact(12)
                        .map(|c| LsaKey {
                            ls_type: LsType::from(c[3]),
                            id: ip4(&c[4..8]),
                            adv: ip4(&c[8..12]),
                        })
                        .collect(),
                )
            }
            PacketType::LsUpdate => {
                let lsas = update_lsas(b)?
                    .iter()
                    .map(|(h, raw)| Lsa::read_checked(h, raw))
                    .collect::<Result<_, _>>()?;
                Body::LsUpdate(lsas)
            }
            PacketType::LsAck => Body::LsAck(headers(b)?),
            PacketType::Unknown(x) => return Err(OspfError::UnknownType(x)),
        };
        Ok(Repr {
            router_id: p.router_id(),
            area: p.area_id(),
            body,
        })
    }

    /// The packet type of the body.
    pub fn packet_type(&self) -> PacketType {
        match self.body {
            Body::Hello(_) => PacketType::Hello,
            Body::DbDesc(_) => PacketType::DbDescription,
            Body::LsRequest(_) => PacketType::LsRequest,
            Body::LsUpdate(_) => PacketType::LsUpdate,
            Body::LsAck(_) => PacketType::LsAck,
        }
    }

    /// Length on the wire.
    pub fn buffer_len(&self) -> usize {
        HEADER_LEN
            + match &self.body {
                Body::Hello(h) => 20 + 4 * h.neighbors.len(),
                Body::DbDesc(d) => 8 + LSA_HEADER_LEN * d.headers.len(),
                Body::LsRequest(r) => 12 * r.len(),
                Body::LsUpdate(l) => 4 + l.iter().map(Lsa::buffer_len).sum::<usize>(),
                Body::LsAck(h) => LSA_HEADER_LEN * h.len(),
            }
    }

    /// The packet as bytes, checksum included.
    pub fn to_bytes(&self) -> Vec<u8> {
        let len = self.buffer_len();
        let mut b = vec![0u8; len];
        b[0] = 2;
        b[1] = self.packet_type().into();
        b[2..4].copy_from_slice(&u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes());
        b[4..8].copy_from_slice(&self.router_id.octets());
        b[8..12].copy_from_slice(&self.area.octets());
        let p = &mut b[HEADER_LEN..];
        match &self.body {
            Body::Hello(h) => {
                p[0..4].copy_from_slice(&h.mask.octets());
                p[4..6].copy_from_slice(&h.hello_interval.to_be_bytes());
                p[6] = h.options;
                p[7] = h.priority;
                p[8..12].copy_from_slice(&h.dead_interval.to_be_bytes());
                p[12..16].copy_from_slice(&h.dr.octets());
                p[16..20].copy_from_slice(&h.bdr.octets());
                for (n, o) in h.neighbors.iter().zip(p[20..].chunks_exact_mut(4)) {
                    o.copy_from_slice(&n.octets());
                }
            }
            Body::DbDesc(d) => {
                p[0..2].copy_from_slice(&d.mtu.to_be_bytes());
                p[2] = d.options;
                p[3] = d.flags;
                p[4..8].copy_from_slice(&d.seq.to_be_bytes());
                for (h, o) in d
                    .headers
                    .iter()
                    .zip(p[8..].chunks_exact_mut(LSA_HEADER_LEN))
                {
                    h.emit(o);
                }
            }
            Body::LsRequest(r) => {
                for (k, o) in r.iter().zip(p.chunks_exact_mut(12)) {
                    o[3] = k.ls_type.into();
                    o[4..8].copy_from_slice(&k.id.octets());
                    o[8..12].copy_from_slice(&k.adv.octets());
                }
            }
            Body::LsUpdate(l) => {
                p[0..4].copy_from_slice(&(l.len() as u32).to_be_bytes());
                let mut i = 4;
                for lsa in l {
                    let mut lsa = lsa.clone();
                    let n = lsa.buffer_len();
                    // The age is outside the checksum: keep the LSA's own.
                    let age = lsa.header.age;
                    lsa.emit(&mut p[i..i + n]);
                    p[i..i + 2].copy_from_slice(&age.to_be_bytes());
                    i += n;
                }
            }
            Body::LsAck(h) => {
                for (h, o) in h.iter().zip(p.chunks_exact_mut(LSA_HEADER_LEN)) {
                    h.emit(o);
                }
            }
        }
        let c = packet_checksum(&b);
        b[12..14].copy_from_slice(&c.to_be_bytes());
        b
    }
}

/// Parses OSPF bytes in one call.
///
/// # Errors
/// As [`Packet::new_checked`] and [`Repr::parse`].
pub fn parse(bytes: &[u8]) -> Result<Repr, OspfError> {
    Repr::parse(&Packet::new_checked(bytes)?)
}

impl fmt::Display for Repr {
    /// `OSPF Hello from 1.1.1.1 area 0.0.0.0, DR 10.0.0.1, 1 neighbour`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OSPF {} from {}", self.packet_type(), self.router_id)?;
        if self.area != Ipv4Addr::UNSPECIFIED {
            write!(f, " area {}", self.area)?;
        }
        match &self.body {
            Body::Hello(h) => write!(
                f,
                ", DR {}, BDR {}, {} neighbour{}",
                h.dr,
                h.bdr,
                h.neighbors.len(),
                if h.neighbors.len() == 1 { "" } else { "s" }
            ),
            Body::DbDesc(d) => {
                write!(f, ", seq 0x{:08x}", d.seq)?;
                for (bit, name) in [(DD_I, " I"), (DD_M, " M"), (DD_MS, " MS")] {
                    if d.flags & bit != 0 {
                        f.write_str(name)?;
                    }
                }
                write!(f, ", {} LSA headers", d.headers.len())
            }
            Body::LsRequest(r) => write!(f, ", {} LSAs requested", r.len()),
            Body::LsUpdate(l) => {
                write!(
                    f,
                    ", {} LSA{}",
                    l.len(),
                    if l.len() == 1 { "" } else { "s" }
                )?;
                if let Some(first) = l.first() {
                    write!(f, " ({}", first.header.key)?;
                    if l.len() > 1 {
                        f.write_str(", …")?;
                    }
                    f.write_str(")")?;
                }
                Ok(())
            }
            Body::LsAck(h) => write!(f, ", {} LSAs acknowledged", h.len()),
        }
    }
}
