//! IEEE 802.1Q VLAN tags: the four bytes a trunk port inserts after the
//! source MAC address (TPID 0x8100, then the Tag Control Information:
//! priority, drop eligible, VLAN ID) and the inner EtherType.
//!
//! smoltcp's `wire` pattern: [`Packet`] is a checked view over an Ethernet
//! frame's payload when its EtherType is 0x8100 (TCI, inner type, inner
//! payload); [`Repr`] is the parsed tag. [`tag`] and [`untag`] are what a
//! switch does on a trunk; [`fields`] is the inspector's field tree and
//! [`Repr`]'s `Display` the one-line summary.

use std::fmt;

use smoltcp::wire::EthernetProtocol;

use crate::fields::Field;

/// The Tag Protocol Identifier of a customer VLAN tag.
pub const TPID: u16 = 0x8100;
/// The tag's length on the wire (TPID + TCI).
pub const TAG_LEN: usize = 4;
/// What [`Packet`] covers before the inner payload: TCI + inner EtherType.
pub const HEADER_LEN: usize = 4;
/// Offset of the TPID in an Ethernet frame (after the two MACs).
const MACS: usize = 12;

/// Why bytes are not an 802.1Q tag.
#[derive(Copy, Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Fewer than 4 bytes after the TPID.
    #[error("802.1Q tag cut short: {0} bytes, 4 needed")]
    Truncated(usize),
    /// VID 4095 is reserved (802.1Q table 9-2).
    #[error("802.1Q VLAN ID 4095 is reserved")]
    ReservedVid,
}

/// A read-only or writable view of the bytes after an 802.1Q TPID.
#[derive(Clone, Debug)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Wraps bytes without checking their length (accessors may panic).
    pub const fn new_unchecked(buffer: T) -> Self {
        Packet { buffer }
    }

    /// Wraps bytes that hold at least the TCI and the inner type.
    ///
    /// # Errors
    /// [`Error::Truncated`] when fewer than 4 bytes are given.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        let len = buffer.as_ref().len();
        if len < HEADER_LEN {
            return Err(Error::Truncated(len));
        }
        Ok(Packet { buffer })
    }

    fn tci(&self) -> u16 {
        let b = self.buffer.as_ref();
        u16::from_be_bytes([b[0], b[1]])
    }

    /// Priority Code Point (802.1p class of service, 0–7).
    pub fn pcp(&self) -> u8 {
        (self.tci() >> 13) as u8
    }

    /// Drop Eligible Indicator.
    pub fn dei(&self) -> bool {
        self.tci() & 0x1000 != 0
    }

    /// VLAN Identifier (0 = priority tag only, 4095 reserved).
    pub fn vid(&self) -> u16 {
        self.tci() & 0x0fff
    }

    /// The EtherType of what the tag carries.
    pub fn ethertype(&self) -> EthernetProtocol {
        let b = self.buffer.as_ref();
        EthernetProtocol::from(u16::from_be_bytes([b[2], b[3]]))
    }

    /// The bytes the tag carries.
    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[HEADER_LEN..]
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Packet<T> {
    fn set_tci(&mut self, tci: u16) {
        self.buffer.as_mut()[0..2].copy_from_slice(&tci.to_be_bytes());
    }

    /// Sets the inner EtherType.
    pub fn set_ethertype(&mut self, t: EthernetProtocol) {
        self.buffer.as_mut()[2..4].copy_from_slice(&u16::from(t).to_be_bytes());
    }
}

/// A parsed 802.1Q tag.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Repr {
    /// Priority (0–7).
    pub pcp: u8,
    /// Drop eligible.
    pub dei: bool,
    /// The VLAN (0 for a priority-only tag).
    pub vid: u16,
    /// The inner EtherType.
    pub ethertype: EthernetProtocol,
}

impl Repr {
    /// A plain tag for VLAN `vid` carrying `ethertype`, priority 0.
    pub fn new(vid: u16, ethertype: EthernetProtocol) -> Self {
        Repr {
            pcp: 0,
            dei: false,
            vid,
            ethertype,
        }
    }

    /// Reads a checked view.
    ///
    /// # Errors
    /// [`Error::ReservedVid`] for VID 4095.
    pub fn parse<T: AsRef<[u8]>>(p: &Packet<T>) -> Result<Self, Error> {
        if p.vid() == 0x0fff {
            return Err(Error::ReservedVid);
        }
        Ok(Repr {
            pcp: p.pcp(),
            dei: p.dei(),
            vid: p.vid(),
            ethertype: p.ethertype(),
        })
    }

    /// Bytes [`Repr::emit`] writes (TCI + inner type).
    pub const fn buffer_len(&self) -> usize {
        HEADER_LEN
    }

    /// Writes the TCI and the inner type.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, p: &mut Packet<T>) {
        let tci = (u16::from(self.pcp & 7) << 13)
            | if self.dei { 0x1000 } else { 0 }
            | (self.vid & 0x0fff);
        p.set_tci(tci);
        p.set_ethertype(self.ethertype);
    }
}

impl fmt::Display for Repr {
    /// `802.1Q vlan 10, p 0, ethertype IPv4`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "802.1Q vlan {}, p {}{}, ethertype {}",
            self.vid,
            self.pcp,
            if self.dei { ", DEI" } else { "" },
            self.ethertype
        )
    }
}

/// The tag's VLAN when `frame` is an Ethernet frame tagged 802.1Q.
pub fn vid_of(frame: &[u8]) -> Option<u16> {
    if frame.get(MACS..MACS + 2)? != TPID.to_be_bytes() {
        return None;
    }
    let p = Packet::new_checked(frame.get(MACS + 2..)?).ok()?;
    Repr::parse(&p).ok().map(|r| r.vid)
}

/// `frame` with a tag for VLAN `vid` inserted after its MAC addresses
/// (priority 0); `None` when it is not a whole Ethernet header.
pub fn tag(frame: &[u8], vid: u16) -> Option<Vec<u8>> {
    if frame.len() < MACS + 2 {
        return None;
    }
    let mut out = Vec::with_capacity(frame.len() + TAG_LEN);
    out.extend_from_slice(&frame[..MACS]);
    out.extend_from_slice(&TPID.to_be_bytes());
    out.extend_from_slice(&[0; HEADER_LEN]);
    out.extend_from_slice(&frame[MACS + 2..]);
    let inner = EthernetProtocol::from(u16::from_be_bytes([frame[MACS], frame[MACS + 1]]));
    let mut p = Packet::new_unchecked(&mut out[MACS + 2..]);
    Repr::new(vid, inner).emit(&mut p);
    Some(out)
}

/// A tagged frame's tag and the frame without it; `None` when `frame` is
/// not a well-formed 802.1Q-tagged Ethernet frame.
pub fn untag(frame: &[u8]) -> Option<(Repr, Vec<u8>)> {
    if frame.get(MACS..MACS + 2)? != TPID.to_be_bytes() {
        return None;
    }
    let p = Packet::new_checked(frame.get(MACS + 2..)?).ok()?;
    let r = Repr::parse(&p).ok()?;
    let mut out = Vec::with_capacity(frame.len() - TAG_LEN);
    out.extend_from_slice(&frame[..MACS]);
    out.extend_from_slice(&frame[MACS + TAG_LEN..]);
    Some((r, out))
}

/// The tag's field tree; `bytes` start at the TCI (the Ethernet header's
/// type field holds the TPID), `base` is their offset in the frame.
pub fn fields(bytes: &[u8], base: usize) -> Option<Field> {
    let p = Packet::new_checked(bytes).ok()?;
    let o = base;
    let vid = p.vid();
    let vid_note = match vid {
        0 => " (priority tag, no VLAN)",
        0x0fff => " (reserved)",
        _ => "",
    };
    let ty = u16::from(p.ethertype());
    Some(
        Field::new(
            "802.1Q Virtual LAN",
            format!("PRI: {}, DEI: {}, ID: {vid}", p.pcp(), u8::from(p.dei())),
            o..o + HEADER_LEN,
        )
        .with_children(vec![
            Field::new("Priority", p.pcp().to_string(), o..o + 1),
            Field::new("DEI", u8::from(p.dei()).to_string(), o..o + 1),
            Field::new("ID", format!("{vid}{vid_note}"), o..o + 2),
            Field::new(
                "Type",
                format!("0x{ty:04x} ({})", type_name(ty)),
                o + 2..o + 4,
            ),
        ]),
    )
}

/// The name of an EtherType as the inspector shows it.
pub fn type_name(ty: u16) -> &'static str {
    match ty {
        0x0800 => "IPv4",
        0x0806 => "ARP",
        0x86dd => "IPv6",
        0x8100 => "802.1Q Virtual LAN",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real ARP request in VLAN 10 as a Cisco trunk sends it (tshark:
    // "802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 10").
    const TAGGED_ARP: [u8; 46] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x4c, 0x00, 0x00, 0x01, 0x00, 0x81, 0x00, 0x00,
        0x0a, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x4c, 0x00, 0x00,
        0x01, 0x00, 0xc0, 0xa8, 0x0a, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xa8, 0x0a,
        0x01,
    ];

    #[test]
    fn parses_emits_and_round_trips() {
        let p = Packet::new_checked(&TAGGED_ARP[14..]).unwrap();
        let r = Repr::parse(&p).unwrap();
        assert_eq!(r, Repr::new(10, EthernetProtocol::Arp));
        assert_eq!(r.to_string(), "802.1Q vlan 10, p 0, ethertype ARP");
        assert_eq!(p.payload().len(), 28);
        let (r2, inner) = untag(&TAGGED_ARP).unwrap();
        assert_eq!(r2, r);
        assert_eq!(inner.len(), 42);
        assert_eq!(&inner[12..14], &[0x08, 0x06]);
        assert_eq!(tag(&inner, 10).unwrap(), TAGGED_ARP.to_vec());
        assert_eq!(vid_of(&TAGGED_ARP), Some(10));
        assert_eq!(vid_of(&inner), None);
        let mut buf = [0u8; 4];
        let full = Repr {
            pcp: 5,
            dei: true,
            vid: 4094,
            ethertype: EthernetProtocol::Ipv4,
        };
        full.emit(&mut Packet::new_unchecked(&mut buf[..]));
        assert_eq!(buf, [0xbf, 0xfe, 0x08, 0x00]);
        assert_eq!(
            Repr::parse(&Packet::new_checked(&buf[..]).unwrap()),
            Ok(full)
        );
    }

    #[test]
    fn short_and_reserved_tags_are_errors() {
        assert_eq!(
            Packet::new_checked(&[0u8; 3][..]).err(),
            Some(Error::Truncated(3))
        );
        let p = Packet::new_checked(&[0x0f, 0xff, 8, 0][..]).unwrap();
        assert_eq!(Repr::parse(&p), Err(Error::ReservedVid));
        assert_eq!(untag(&TAGGED_ARP[..16]), None);
        assert_eq!(tag(&[0u8; 13], 5), None);
    }

    #[test]
    fn field_tree_has_its_bytes() {
        let f = fields(&TAGGED_ARP[14..], 14).unwrap();
        assert_eq!(f.label, "802.1Q Virtual LAN");
        assert_eq!(f.value, "PRI: 0, DEI: 0, ID: 10");
        assert_eq!(f.range, 14..18);
        assert_eq!(f.find("ID").unwrap().range, 14..16);
        assert_eq!(f.find("Type").unwrap().value, "0x0806 (ARP)");
        assert!(fields(&[1, 2], 14).is_none());
    }
}
