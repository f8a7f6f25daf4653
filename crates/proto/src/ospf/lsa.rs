//! Link-state advertisements (RFC 2328 §12, appendix A.4): the 20-byte LSA
//! header with its Fletcher checksum (§12.1.7), and the bodies this router
//! understands: router LSAs (type 1), network LSAs (type 2), summary LSAs
//! (types 3 and 4) and AS-external LSAs (type 5, for the default route).
//! Other types are carried as raw bytes.

use core::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;

use super::OspfError;
use crate::fields::be32;

/// Length of an LSA header.
pub const LSA_HEADER_LEN: usize = 20;
/// MaxAge: an LSA this old is being flushed (RFC 2328 appendix B).
pub const MAX_AGE: u16 = 3600;
/// The first sequence number an LSA gets (§12.1.6).
pub const INITIAL_SEQ: u32 = 0x8000_0001;
/// Most LSAs or links read from one packet (caps work on hostile input).
pub(super) const MAX_ITEMS: usize = 1024;

/// An LSA type (§12.1.3).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum LsType {
    /// 1: a router's links in one area.
    Router,
    /// 2: the routers on a multi-access network, from its DR.
    Network,
    /// 3: a network in another area, from an ABR.
    Summary,
    /// 4: an AS boundary router in another area.
    AsbrSummary,
    /// 5: a route from outside OSPF (the default route here).
    External,
    /// Any other type.
    Unknown(u8),
}

impl From<u8> for LsType {
    fn from(v: u8) -> Self {
        match v {
            1 => LsType::Router,
            2 => LsType::Network,
            3 => LsType::Summary,
            4 => LsType::AsbrSummary,
            5 => LsType::External,
            x => LsType::Unknown(x),
        }
    }
}

impl From<LsType> for u8 {
    fn from(t: LsType) -> u8 {
        match t {
            LsType::Router => 1,
            LsType::Network => 2,
            LsType::Summary => 3,
            LsType::AsbrSummary => 4,
            LsType::External => 5,
            LsType::Unknown(x) => x,
        }
    }
}

impl fmt::Display for LsType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LsType::Router => f.write_str("router"),
            LsType::Network => f.write_str("network"),
            LsType::Summary => f.write_str("summary"),
            LsType::AsbrSummary => f.write_str("ASBR summary"),
            LsType::External => f.write_str("external"),
            LsType::Unknown(x) => write!(f, "type {x}"),
        }
    }
}

/// What names one LSA in the database: type, link-state id, advertising
/// router. Hashed as its [`LsaKey::rank`] (one `write_u128`), as the
/// databases and neighbour lists hash it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LsaKey {
    /// Its type.
    pub ls_type: LsType,
    /// Link-state id (a router id, a DR's address or a network).
    pub id: Ipv4Addr,
    /// The router that originated it.
    pub adv: Ipv4Addr,
}

impl LsaKey {
    /// The key as one number that orders as keys do (type in declaration
    /// order, unknown types last by number, then id, then advertising
    /// router, packed from the high bits down): the databases and
    /// neighbour lists, looked up for every LSA flooded, are keyed by it,
    /// compared in one step.
    pub(super) fn rank(&self) -> u128 {
        let t = match self.ls_type {
            LsType::Router => 0,
            LsType::Network => 1,
            LsType::Summary => 2,
            LsType::AsbrSummary => 3,
            LsType::External => 4,
            LsType::Unknown(x) => 5 + u16::from(x),
        };
        (u128::from(t) << 64)
            | (u128::from(u32::from(self.id)) << 32)
            | u128::from(u32::from(self.adv))
    }
}

impl core::hash::Hash for LsaKey {
    /// The rank is one-to-one with the key: equal keys hash alike.
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        state.write_u128(self.rank());
    }
}

impl fmt::Display for LsaKey {
    /// `router LSA 2.2.2.2 from 2.2.2.2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} LSA {} from {}", self.ls_type, self.id, self.adv)
    }
}

/// The LSA header (§A.4.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LsaHeader {
    /// Seconds since it was originated.
    pub age: u16,
    /// Options (E bit 0x02).
    pub options: u8,
    /// Type, id and advertising router.
    pub key: LsaKey,
    /// Sequence number (compared as a signed 32-bit number).
    pub seq: u32,
    /// Fletcher checksum of everything but the age.
    pub checksum: u16,
    /// Length of header and body.
    pub length: u16,
}

impl LsaHeader {
    /// Reads a header from the first 20 bytes of `b`.
    ///
    /// # Errors
    /// [`OspfError::Truncated`] when fewer than 20 bytes are there.
    pub fn parse(b: &[u8]) -> Result<LsaHeader, OspfError> {
        let h = b.get(..LSA_HEADER_LEN).ok_or(OspfError::Truncated)?;
        Ok(LsaHeader {
            age: u16::from_be_bytes([h[0], h[1]]),
            options: h[2],
            key: LsaKey {
                ls_type: LsType::from(h[3]),
                id: ip(&h[4..8]),
                adv: ip(&h[8..12]),
            },
            seq: u32::from_be_bytes([h[12], h[13], h[14], h[15]]),
            checksum: u16::from_be_bytes([h[16], h[17]]),
            length: u16::from_be_bytes([h[18], h[19]]),
        })
    }

    /// Writes the header into the first 20 bytes of `b` (which must hold them).
    pub fn emit(&self, b: &mut [u8]) {
        b[0..2].copy_from_slice(&self.age.to_be_bytes());
        b[2] = self.options;
        b[3] = self.key.ls_type.into();
        b[4..8].copy_from_slice(&self.key.id.octets());
        b[8..12].copy_from_slice(&self.key.adv.octets());
        b[12..16].copy_from_slice(&self.seq.to_be_bytes());
        b[16..18].copy_from_slice(&self.checksum.to_be_bytes());
        b[18..20].copy_from_slice(&self.length.to_be_bytes());
    }

    /// Which of two instances of one LSA is more recent (§13.1):
    /// `Greater` when `self` is.
    pub fn compare(&self, other: &LsaHeader) -> core::cmp::Ordering {
        use core::cmp::Ordering;
        let (a, b) = (self.seq as i32, other.seq as i32);
        if a != b {
            return a.cmp(&b);
        }
        if self.checksum != other.checksum {
            return self.checksum.cmp(&other.checksum);
        }
        let (sa, sb) = (self.age >= MAX_AGE, other.age >= MAX_AGE);
        if sa != sb {
            return if sa {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        // MaxAgeDiff: 900 s.
        if self.age.abs_diff(other.age) > 900 {
            return other.age.cmp(&self.age);
        }
        Ordering::Equal
    }
}

/// A link in a router LSA (§A.4.2).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RouterLink {
    /// Kind of link.
    pub kind: LinkType,
    /// Neighbour's router id, DR's address, or stub network.
    pub id: Ipv4Addr,
    /// Own interface address, or the stub network's mask.
    pub data: Ipv4Addr,
    /// Cost of using the link.
    pub metric: u16,
}

/// The type of a router-LSA link.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum LinkType {
    /// 1: to another router over a point-to-point link.
    PointToPoint,
    /// 2: to a transit (multi-access) network, named by its DR.
    Transit,
    /// 3: to a stub network.
    Stub,
    /// 4: a virtual link.
    Virtual,
    /// Any other value.
    Unknown(u8),
}

impl From<u8> for LinkType {
    fn from(v: u8) -> Self {
        match v {
            1 => LinkType::PointToPoint,
            2 => LinkType::Transit,
            3 => LinkType::Stub,
            4 => LinkType::Virtual,
            x => LinkType::Unknown(x),
        }
    }
}

impl From<LinkType> for u8 {
    fn from(t: LinkType) -> u8 {
        match t {
            LinkType::PointToPoint => 1,
            LinkType::Transit => 2,
            LinkType::Stub => 3,
            LinkType::Virtual => 4,
            LinkType::Unknown(x) => x,
        }
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkType::PointToPoint => f.write_str("point-to-point"),
            LinkType::Transit => f.write_str("transit network"),
            LinkType::Stub => f.write_str("stub network"),
            LinkType::Virtual => f.write_str("virtual link"),
            LinkType::Unknown(x) => write!(f, "type {x}"),
        }
    }
}

/// Router LSA flags: area border router.
pub const FLAG_B: u8 = 0x01;
/// Router LSA flags: AS boundary router.
pub const FLAG_E: u8 = 0x02;

/// An LSA's contents after the header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum LsaBody {
    /// Type 1.
    Router {
        /// V/E/B bits.
        flags: u8,
        /// The router's links in this area.
        links: Vec<RouterLink>,
    },
    /// Type 2.
    Network {
        /// The network's mask.
        mask: Ipv4Addr,
        /// Routers fully adjacent to the DR, the DR included.
        attached: Vec<Ipv4Addr>,
    },
    /// Types 3 and 4.
    Summary {
        /// The network's mask (0 for type 4).
        mask: Ipv4Addr,
        /// Cost from the ABR (24 bits).
        metric: u32,
    },
    /// Type 5.
    External {
        /// The network's mask.
        mask: Ipv4Addr,
        /// Type 2 metric (E bit) when true.
        e2: bool,
        /// Cost (24 bits).
        metric: u32,
        /// Forwarding address (0: the ASBR itself).
        forward: Ipv4Addr,
        /// External route tag.
        tag: u32,
    },
    /// A type this router does not read.
    Other(Vec<u8>),
}

/// One LSA: header and body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lsa {
    /// The header (length and checksum are set by [`Lsa::emit`]).
    pub header: LsaHeader,
    /// The contents.
    pub body: LsaBody,
}

fn ip(b: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

fn ip_at(b: &[u8], i: usize) -> Result<Ipv4Addr, OspfError> {
    be32(b, i).map(Ipv4Addr::from).ok_or(OspfError::Truncated)
}

/// Reads an LSA body of type `t`: checks it always, builds it when `build`
/// (`None` otherwise), so that checking and parsing fail alike.
fn read_body(t: LsType, body: &[u8], build: bool) -> Result<Option<LsaBody>, OspfError> {
    Ok(match t {
        LsType::Router => {
            if body.len() < 4 {
                return Err(OspfError::Truncated);
            }
            let n = usize::from(u16::from_be_bytes([body[2], body[3]]));
            if n > MAX_ITEMS {
                return Err(OspfError::TooMany);
            }
            let mut links = Vec::with_capacity(if build { n } else { 0 });
            let mut i = 4;
            for _ in 0..n {
                let l = body.get(i..i + 12).ok_or(OspfError::Truncated)?;
                if build {
                    links.push(RouterLink {
                        id: ip(&l[0..4]),
                        data: ip(&l[4..8]),
                        kind: LinkType::from(l[8]),
                        metric: u16::from_be_bytes([l[10], l[11]]),
                    });
                }
                i += 12 + 4 * usize::from(l[9]);
            }
            if i > body.len() {
                return Err(OspfError::Truncated);
            }
            build.then(|| LsaBody::Router {
                flags: body[0],
                links,
            })
        }
        LsType::Network => {
            let mask = ip_at(body, 0)?;
            build.then(|| LsaBody::Network {
                mask,
                attached: body[4..].chunks_exact(4).take(MAX_ITEMS).map(ip).collect(),
            })
        }
        LsType::Summary | LsType::AsbrSummary => {
            let body = LsaBody::Summary {
                mask: ip_at(body, 0)?,
                metric: be32(body, 4).ok_or(OspfError::Truncated)? & 0x00ff_ffff,
            };
            build.then_some(body)
        }
        LsType::External => {
            let m = be32(body, 4).ok_or(OspfError::Truncated)?;
            let body = LsaBody::External {
                mask: ip_at(body, 0)?,
                e2: m & 0x8000_0000 != 0,
                metric: m & 0x00ff_ffff,
                forward: ip_at(body, 8)?,
                tag: be32(body, 12).ok_or(OspfError::Truncated)?,
            };
            build.then_some(body)
        }
        LsType::Unknown(_) => build.then(|| LsaBody::Other(body.to_vec())),
    })
}

impl Lsa {
    /// Reads one LSA from the start of `b`; returns it and its length.
    ///
    /// # Errors
    /// [`OspfError::Truncated`] when the bytes end early,
    /// [`OspfError::BadLength`] when the length field is impossible,
    /// [`OspfError::BadLsaChecksum`] when the Fletcher checksum is wrong.
    pub fn parse(b: &[u8]) -> Result<(Lsa, usize), OspfError> {
        let (header, len) = Lsa::check(b)?;
        Ok((Lsa::read_checked(header, &b[..len])?, len))
    }

    /// Checks one LSA at the start of `b` as [`Lsa::parse`] does (same
    /// errors for the same bytes) without building its body; returns its
    /// header and length. [`Lsa::read_checked`] builds the body later.
    ///
    /// # Errors
    /// As [`Lsa::parse`].
    pub fn check(b: &[u8]) -> Result<(LsaHeader, usize), OspfError> {
        let header = LsaHeader::parse(b)?;
        let len = usize::from(header.length);
        if len < LSA_HEADER_LEN {
            return Err(OspfError::BadLength(header.length));
        }
        let all = b.get(..len).ok_or(OspfError::Truncated)?;
        if !fletcher_ok(&all[2..]) {
            return Err(OspfError::BadLsaChecksum(header.key));
        }
        read_body(header.key.ls_type, &all[LSA_HEADER_LEN..], false)?;
        Ok((header, len))
    }

    /// The LSA whose bytes (`all`, header included, exactly its length)
    /// [`Lsa::check`] accepted with this header: its body built.
    ///
    /// # Errors
    /// As [`Lsa::parse`] (none for bytes [`Lsa::check`] accepted).
    pub fn read_checked(header: LsaHeader, all: &[u8]) -> Result<Lsa, OspfError> {
        let body = all.get(LSA_HEADER_LEN..).ok_or(OspfError::Truncated)?;
        let body = read_body(header.key.ls_type, body, true)?.ok_or(OspfError::Truncated)?;
        Ok(Lsa { header, body })
    }

    /// The LSA's length on the wire.
    pub fn buffer_len(&self) -> usize {
        LSA_HEADER_LEN
            + match &self.body {
                LsaBody::Router { links, .. } => 4 + 12 * links.len(),
                LsaBody::Network { attached, .. } => 4 + 4 * attached.len(),
                LsaBody::Summary { .. } => 8,
                LsaBody::External { .. } => 16,
                LsaBody::Other(b) => b.len(),
            }
    }

    /// Writes the LSA, with its length and Fletcher checksum, into `b`
    /// (at least [`Lsa::buffer_len`] bytes), and stores both in the header.
    pub fn emit(&mut self, b: &mut [u8]) {
        let (length, checksum) = self.write(b);
        self.header.length = length;
        self.header.checksum = checksum;
    }

    /// Writes the LSA as [`Lsa::emit`] does, leaving `self` as it is;
    /// returns the length and checksum written.
    pub fn write(&self, b: &mut [u8]) -> (u16, u16) {
        let len = self.buffer_len();
        let length = u16::try_from(len).unwrap_or(u16::MAX);
        LsaHeader {
            length,
            checksum: 0,
            ..self.header
        }
        .emit(b);
        let body = &mut b[LSA_HEADER_LEN..len];
        match &self.body {
            LsaBody::Router { flags, links } => {
                body[0] = *flags;
                body[1] = 0;
                let n = u16::try_from(links.len()).unwrap_or(u16::MAX);
                body[2..4].copy_from_slice(&n.to_be_bytes());
                for (l, out) in links.iter().zip(body[4..].chunks_exact_mut(12)) {
                    out[0..4].copy_from_slice(&l.id.octets());
                    out[4..8].copy_from_slice(&l.data.octets());
                    out[8] = l.kind.into();
                    out[9] = 0;
                    out[10..12].copy_from_slice(&l.metric.to_be_bytes());
                }
            }
            LsaBody::Network { mask, attached } => {
                body[0..4].copy_from_slice(&mask.octets());
                for (r, out) in attached.iter().zip(body[4..].chunks_exact_mut(4)) {
                    out.copy_from_slice(&r.octets());
                }
            }
            LsaBody::Summary { mask, metric } => {
                body[0..4].copy_from_slice(&mask.octets());
                body[4..8].copy_from_slice(&(metric & 0x00ff_ffff).to_be_bytes());
            }
            LsaBody::External {
                mask,
                e2,
                metric,
                forward,
                tag,
            } => {
                body[0..4].copy_from_slice(&mask.octets());
                let m = (metric & 0x00ff_ffff) | if *e2 { 0x8000_0000 } else { 0 };
                body[4..8].copy_from_slice(&m.to_be_bytes());
                body[8..12].copy_from_slice(&forward.octets());
                body[12..16].copy_from_slice(&tag.to_be_bytes());
            }
            LsaBody::Other(raw) => body.copy_from_slice(raw),
        }
        let c = fletcher(&b[2..len], 14);
        b[16..18].copy_from_slice(&c.to_be_bytes());
        (length, c)
    }

    /// The LSA as bytes (checksum and length filled in).
    pub fn to_bytes(&mut self) -> Vec<u8> {
        let mut v = vec![0; self.buffer_len()];
        self.emit(&mut v);
        v
    }
}

/// The ISO 8473 Fletcher checksum of `data` with its two checksum bytes at
/// `off` (RFC 2328 §12.1.7, RFC 905 annex B); those bytes are taken as zero.
pub fn fletcher(data: &[u8], off: usize) -> u16 {
    let (c0, c1) = fletcher_sums(data, Some(off));
    let (c0, c1) = (c0 as i64, c1 as i64);
    let l = data.len() as i64;
    let k = off as i64;
    let mut x = ((l - k - 1) * c0 - c1).rem_euclid(255);
    let mut y = (c1 - (l - k) * c0).rem_euclid(255);
    if x == 0 {
        x = 255;
    }
    if y == 0 {
        y = 255;
    }
    ((x as u16) << 8) | y as u16
}

/// Whether bytes carrying a Fletcher checksum add up (both sums zero).
pub fn fletcher_ok(data: &[u8]) -> bool {
    fletcher_sums(data, None) == (0, 0)
}

/// The two running sums modulo 255 (below 255, so they fit any integer),
/// the bytes at `zero` and after it taken
/// as zero. Reduced once per block rather than once per byte: the sums of
/// a 4096-byte block fit a `u64` many times over, and reducing later gives
/// the same remainders.
fn fletcher_sums(data: &[u8], zero: Option<usize>) -> (u64, u64) {
    const BLOCK: usize = 4096;
    let (mut c0, mut c1) = (0u64, 0u64);
    for (n, block) in data.chunks(BLOCK).enumerate() {
        let base = n * BLOCK;
        for (i, &b) in block.iter().enumerate() {
            let b = match zero {
                Some(z) if base + i == z || base + i == z + 1 => 0,
                _ => u64::from(b),
            };
            c0 += b;
            c1 += c0;
        }
        c0 %= 255;
        c1 %= 255;
    }
    (c0, c1)
}
