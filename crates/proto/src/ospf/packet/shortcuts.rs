//! The shortcuts the engine takes through the codec, each giving what
//! the plain [`Repr`] path gives: updates and acknowledgements built from
//! bytes already encoded or headers already queued, and received packets
//! read with an update's LSAs checked but left as bytes and an
//! acknowledgement's headers left in place.

use std::net::Ipv4Addr;

use super::super::OspfError;
use super::super::lsa::{LSA_HEADER_LEN, Lsa, LsaHeader};
use super::{Body, HEADER_LEN, MAX_ITEMS, Packet, PacketType, Repr, packet_checksum};

/// A Link State Update from LSAs already encoded (as [`Lsa::emit`] writes
/// them), each sent with its own age: the same bytes as [`Repr::to_bytes`]
/// of the update holding those LSAs, without encoding them again.
#[cfg(test)]
pub(in crate::ospf) fn lsu_bytes<'a>(
    router_id: Ipv4Addr,
    area: Ipv4Addr,
    lsas: impl Iterator<Item = (u16, &'a [u8])> + Clone,
) -> Vec<u8> {
    lsu_into(Vec::new(), router_id, area, lsas)
}

/// [`lsu_bytes`] written into `b` (emptied first; a buffer used before,
/// so that sending an update allocates nothing).
pub(in crate::ospf) fn lsu_into<'a>(
    mut b: Vec<u8>,
    router_id: Ipv4Addr,
    area: Ipv4Addr,
    lsas: impl Iterator<Item = (u16, &'a [u8])> + Clone,
) -> Vec<u8> {
    let body: usize = lsas.clone().map(|(_, l)| l.len()).sum();
    let len = HEADER_LEN + 4 + body;
    b.clear();
    b.reserve(len);
    b.extend_from_slice(&[2, PacketType::LsUpdate.into()]);
    b.extend_from_slice(&u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes());
    b.extend_from_slice(&router_id.octets());
    b.extend_from_slice(&area.octets());
    b.resize(HEADER_LEN, 0);
    b.extend_from_slice(&(lsas.clone().count() as u32).to_be_bytes());
    for (age, l) in lsas {
        let at = b.len();
        b.extend_from_slice(l);
        if let Some(a) = b.get_mut(at..at + 2) {
            a.copy_from_slice(&age.to_be_bytes());
        }
    }
    let c = packet_checksum(&b);
    b[12..14].copy_from_slice(&c.to_be_bytes());
    b
}

/// The LSAs of a Link State Update's body `b`, each checked
/// ([`Lsa::check`]) and left as bytes.
pub(super) fn update_lsas(b: &[u8]) -> Result<UpdateLsas<'_>, OspfError> {
    update_lsas_known(b, &mut |_| false)
}

/// [`update_lsas`], taking an LSA whose bytes (header included, exactly
/// its length) `known` answers true for as checked without checking it
/// again. `known` must answer true only for bytes [`Lsa::check`] accepts
/// (the engine: an instance it stored after checking it, the same bytes
/// but for the age, which the check does not read); the result is then
/// the same as [`update_lsas`]'s. `known` is asked about each LSA whose
/// header and length field can be read, in order (the engine notes what
/// it found for each, for the update's LSAs walked next).
fn update_lsas_known<'a>(
    b: &'a [u8],
    known: &mut dyn FnMut(&[u8]) -> bool,
) -> Result<UpdateLsas<'a>, OspfError> {
    if b.len() < 4 {
        return Err(OspfError::Truncated);
    }
    let n = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if n as usize > MAX_ITEMS {
        return Err(OspfError::TooMany);
    }
    let mut rest = &b[4..];
    for _ in 0..n {
        let len = match known_len(rest, known) {
            Some(len) => len,
            None => Lsa::check(rest)?.1,
        };
        rest = &rest[len..];
    }
    Ok(UpdateLsas {
        count: n,
        bytes: &b[4..],
    })
}

/// The length of the LSA at the start of `b` if `known` knows its bytes.
fn known_len(b: &[u8], known: &mut dyn FnMut(&[u8]) -> bool) -> Option<usize> {
    let h = b.get(..LSA_HEADER_LEN)?;
    let len = usize::from(u16::from_be_bytes([h[18], h[19]]));
    let all = b.get(..len.max(LSA_HEADER_LEN))?;
    (len >= LSA_HEADER_LEN && known(all)).then_some(len)
}

/// The checked LSAs of an update, read again (headers only) when walked:
/// no list is built for them.
#[derive(Clone, Copy, Debug)]
pub(in crate::ospf) struct UpdateLsas<'a> {
    count: u32,
    /// From the first LSA on.
    bytes: &'a [u8],
}

impl<'a> UpdateLsas<'a> {
    /// Each LSA's header and bytes (header included), in order.
    pub fn iter(&self) -> impl Iterator<Item = (LsaHeader, &'a [u8])> + use<'a> {
        let mut rest = self.bytes;
        (0..self.count).map_while(move |_| {
            let h = LsaHeader::parse(rest).ok()?;
            let all = rest.get(..usize::from(h.length))?;
            rest = &rest[all.len()..];
            Some((h, all))
        })
    }
}

/// A received packet as the engine reads it: a Link State Update's LSAs
/// are checked but kept as bytes, so that only new instances are parsed.
pub(in crate::ospf) struct Incoming<'a> {
    /// The sender's router id.
    pub router_id: Ipv4Addr,
    /// The area.
    pub area: Ipv4Addr,
    /// The body.
    pub body: InBody<'a>,
}

/// The LSA headers of a Link State Acknowledgement, read again from its
/// bytes when walked: no list is built for them.
#[derive(Clone, Copy, Debug)]
pub(in crate::ospf) struct AckHeaders<'a> {
    bytes: &'a [u8],
}

impl<'a> AckHeaders<'a> {
    /// The headers, in order.
    pub fn iter(&self) -> impl Iterator<Item = LsaHeader> + use<'a> {
        self.bytes
            .chunks_exact(LSA_HEADER_LEN)
            .filter_map(|c| LsaHeader::parse(c).ok())
    }
}

/// A Link State Acknowledgement of these headers: the same bytes as
/// [`Repr::to_bytes`] of `Body::LsAck` with them, without the list.
#[cfg(test)]
pub(in crate::ospf) fn lsack_bytes(
    router_id: Ipv4Addr,
    area: Ipv4Addr,
    headers: &[LsaHeader],
) -> Vec<u8> {
    lsack_into(Vec::new(), router_id, area, headers)
}

/// [`lsack_bytes`] written into `b` (emptied first), as [`lsu_into`].
pub(in crate::ospf) fn lsack_into(
    mut b: Vec<u8>,
    router_id: Ipv4Addr,
    area: Ipv4Addr,
    headers: &[LsaHeader],
) -> Vec<u8> {
    let len = HEADER_LEN + LSA_HEADER_LEN * headers.len();
    b.clear();
    b.resize(len, 0);
    b[0] = 2;
    b[1] = PacketType::LsAck.into();
    b[2..4].copy_from_slice(&u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes());
    b[4..8].copy_from_slice(&router_id.octets());
    b[8..12].copy_from_slice(&area.octets());
    for (h, o) in headers
        .iter()
        .zip(b[HEADER_LEN..].chunks_exact_mut(LSA_HEADER_LEN))
    {
        h.emit(o);
    }
    let c = packet_checksum(&b);
    b[12..14].copy_from_slice(&c.to_be_bytes());
    b
}

/// The body of an [`Incoming`] packet.
pub(in crate::ospf) enum InBody<'a> {
    /// A Link State Update's LSAs, checked.
    Update(UpdateLsas<'a>),
    /// A Link State Acknowledgement's headers.
    Ack(AckHeaders<'a>),
    /// Any other packet, parsed.
    Other(Body),
}

/// Parses OSPF bytes as [`parse`] does (the same errors for the same
/// bytes), leaving an update's LSAs and an acknowledgement's headers
/// unparsed.
#[cfg(test)]
pub(in crate::ospf) fn parse_incoming(bytes: &[u8]) -> Result<Incoming<'_>, OspfError> {
    parse_incoming_known(bytes, |_, _| false)
}

/// [`parse_incoming`], an update's LSAs that `known` answers true for
/// (given the packet's area and the LSA's bytes, header included) taken
/// as checked, as [`update_lsas_known`] does: the same result when
/// `known` answers true only for bytes [`Lsa::check`] accepts. Most LSAs
/// a router receives are copies of the instance it already holds (one
/// per neighbour flooding it): a look-up and a comparison instead of the
/// Fletcher checksum and a walk of the body.
pub(in crate::ospf) fn parse_incoming_known(
    bytes: &[u8],
    mut known: impl FnMut(Ipv4Addr, &[u8]) -> bool,
) -> Result<Incoming<'_>, OspfError> {
    let p = Packet::new_checked(bytes)?;
    let (router_id, area) = (p.router_id(), p.area_id());
    if p.packet_type() == PacketType::LsAck {
        p.check_header()?;
        let b = &bytes[HEADER_LEN..usize::from(p.length())];
        // As `headers` refuses them.
        if b.len() / LSA_HEADER_LEN > MAX_ITEMS {
            return Err(OspfError::TooMany);
        }
        return Ok(Incoming {
            router_id,
            area,
            body: InBody::Ack(AckHeaders { bytes: b }),
        });
    }
    if p.packet_type() != PacketType::LsUpdate {
        let r = Repr::parse(&p)?;
        return Ok(Incoming {
            router_id,
            area,
            body: InBody::Other(r.body),
        });
    }
    p.check_header()?;
    let b = &bytes[HEADER_LEN..usize::from(p.length())];
    Ok(Incoming {
        router_id,
        area,
        body: InBody::Update(update_lsas_known(b, &mut |all| known(area, all))?),
    })
}
