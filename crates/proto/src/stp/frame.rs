//! A BPDU in its Ethernet frame, as Cisco switches send them.
//!
//! - IEEE (802.1D §7.12.3): to 01:80:c2:00:00:00, an 802.3 length field,
//!   LLC DSAP/SSAP 0x42, control 0x03, then the BPDU. Cisco sends the
//!   VLAN 1 instance this way (untagged).
//! - PVST+ SSTP: to 01:00:0c:cc:cc:cd, 802.1Q-tagged with the VLAN on a
//!   trunk (untagged in the native VLAN), an 802.3 length, LLC/SNAP
//!   AA-AA-03 with OUI 00-00-0c and PID 0x010b, the BPDU, then the
//!   originating VLAN TLV (type 0, length 2, the VLAN) at offset 36 of the
//!   BPDU: a 35-byte configuration BPDU is followed by one zero byte, as
//!   Cisco sends it and Wireshark reads it.
//!
//! Frames are padded to the 60-byte Ethernet minimum; the length field
//! says where the LLC payload ends.

use std::fmt;

use super::wire::{self, Packet, Repr, WireError};
use crate::fields::{Field, be16, hex};

/// The IEEE bridge group address.
pub const IEEE_MAC: [u8; 6] = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x00];
/// Cisco's shared spanning tree (PVST+) address.
pub const PVST_MAC: [u8; 6] = [0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcd];
/// SNAP OUI and protocol ID of PVST+.
const PVST_SNAP: [u8; 5] = [0x00, 0x00, 0x0c, 0x01, 0x0b];
/// Where the PVST+ VLAN TLV starts in the BPDU (after a one-byte pad
/// behind a 35-byte configuration BPDU).
const PVST_TLV_AT: usize = 36;

/// Ethernet's minimum frame without the FCS.
const MIN_FRAME: usize = 60;

/// The longest BPDU frame: a tagged PVST+ RST BPDU (Ethernet header and
/// tag 18, LLC/SNAP 8, BPDU and pad 36, VLAN TLV 6).
pub const MAX_FRAME: usize = 68;

/// How the BPDU is carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encap {
    /// IEEE LLC to the bridge group address.
    Ieee,
    /// Cisco PVST+ SSTP, with the originating VLAN from its TLV.
    Pvst {
        /// The VLAN in the PVID TLV.
        vlan: u16,
    },
}

/// A whole BPDU frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BpduFrame {
    /// Sender's port MAC.
    pub src: [u8; 6],
    /// The 802.1Q VLAN tag, if tagged.
    pub tag: Option<u16>,
    /// How the BPDU is carried.
    pub encap: Encap,
    /// The BPDU.
    pub bpdu: Repr,
}

/// Whether the frame is addressed to one of the two spanning tree groups.
pub fn is_bpdu_dst(frame: &[u8]) -> bool {
    frame
        .get(0..6)
        .is_some_and(|d| d == IEEE_MAC || d == PVST_MAC)
}

/// Where the parts sit (offsets into the frame).
struct Layout {
    tag: Option<u16>,
    /// Offset of the 802.3 length field.
    len_at: usize,
    /// The LLC payload (LLC header included), clipped to the length field.
    llc: std::ops::Range<usize>,
}

fn layout(frame: &[u8]) -> Result<Layout, WireError> {
    if frame.len() < 14 {
        return Err(WireError::Encapsulation("shorter than an Ethernet header"));
    }
    let mut at = 12;
    let mut tag = None;
    if be16(frame, 12) == Some(0x8100) {
        let tci = be16(frame, 14).ok_or(WireError::Encapsulation("802.1Q tag cut short"))?;
        tag = Some(tci & 0x0fff);
        at = 16;
    }
    let len = be16(frame, at).ok_or(WireError::Encapsulation("no length field"))?;
    if len > 1500 {
        return Err(WireError::Encapsulation(
            "an EtherType, not an 802.3 length",
        ));
    }
    let start = at + 2;
    let end = (start + usize::from(len)).min(frame.len());
    Ok(Layout {
        tag,
        len_at: at,
        llc: start..end,
    })
}

/// Parses a frame carrying a BPDU.
///
/// # Errors
/// [`WireError::Encapsulation`] when it is not a BPDU frame, or the BPDU's
/// own error.
pub fn parse(frame: &[u8]) -> Result<BpduFrame, WireError> {
    if !is_bpdu_dst(frame) {
        return Err(WireError::Encapsulation(
            "not sent to a spanning tree address",
        ));
    }
    let l = layout(frame)?;
    let llc = &frame[l.llc.clone()];
    let mut src = [0u8; 6];
    src.copy_from_slice(&frame[6..12]);
    let (encap, bpdu) = if frame[..6] == IEEE_MAC {
        if llc.get(0..3) != Some(&[0x42, 0x42, 0x03]) {
            return Err(WireError::Encapsulation("LLC is not 42-42-03"));
        }
        let p = Packet::new_checked(&llc[3..])?;
        (Encap::Ieee, Repr::parse(&p)?)
    } else {
        if llc.get(0..3) != Some(&[0xaa, 0xaa, 0x03]) || llc.get(3..8) != Some(&PVST_SNAP[..]) {
            return Err(WireError::Encapsulation(
                "SNAP is not Cisco PVST+ (00000c 010b)",
            ));
        }
        let p = Packet::new_checked(&llc[8..])?;
        let bpdu = Repr::parse(&p)?;
        let tlv = llc
            .get(8 + bpdu.buffer_len().max(PVST_TLV_AT)..)
            .unwrap_or_default();
        let vlan = match (be16(tlv, 0), be16(tlv, 2), be16(tlv, 4)) {
            (Some(0), Some(2), Some(v)) => v & 0x0fff,
            _ => return Err(WireError::Encapsulation("PVST+ BPDU without its VLAN TLV")),
        };
        (Encap::Pvst { vlan }, bpdu)
    };
    Ok(BpduFrame {
        src,
        tag: l.tag,
        encap,
        bpdu,
    })
}

impl BpduFrame {
    /// The whole Ethernet frame, padded to 60 bytes.
    pub fn emit(&self) -> Vec<u8> {
        let mut buf = [0u8; MAX_FRAME];
        let n = self.emit_into(&mut buf);
        buf[..n].to_vec()
    }

    /// Writes the whole Ethernet frame, padded to 60 bytes, into `buf`
    /// (no allocation); returns its length (at most [`MAX_FRAME`]).
    pub fn emit_into(&self, buf: &mut [u8; MAX_FRAME]) -> usize {
        buf.fill(0);
        buf[0..6].copy_from_slice(match self.encap {
            Encap::Ieee => &IEEE_MAC,
            Encap::Pvst { .. } => &PVST_MAC,
        });
        buf[6..12].copy_from_slice(&self.src);
        let mut at = 12;
        if let Some(v) = self.tag {
            buf[12..14].copy_from_slice(&[0x81, 0x00]);
            buf[14..16].copy_from_slice(&(v & 0x0fff).to_be_bytes());
            at = 16;
        }
        let len_at = at;
        at += 2;
        match self.encap {
            Encap::Ieee => {
                buf[at..at + 3].copy_from_slice(&[0x42, 0x42, 0x03]);
                at += 3;
            }
            Encap::Pvst { .. } => {
                buf[at..at + 3].copy_from_slice(&[0xaa, 0xaa, 0x03]);
                buf[at + 3..at + 8].copy_from_slice(&PVST_SNAP);
                at += 8;
            }
        }
        let n = self.bpdu.buffer_len();
        self.bpdu
            .emit(&mut Packet::new_unchecked(&mut buf[at..at + n]));
        at += n;
        if let Encap::Pvst { vlan } = self.encap {
            // The pad bytes up to the TLV are already zero.
            at += PVST_TLV_AT.saturating_sub(n);
            buf[at..at + 4].copy_from_slice(&[0, 0, 0, 2]);
            buf[at + 4..at + 6].copy_from_slice(&vlan.to_be_bytes());
            at += 6;
        }
        let len = u16::try_from(at - len_at - 2).unwrap_or(0);
        buf[len_at..len_at + 2].copy_from_slice(&len.to_be_bytes());
        at.max(MIN_FRAME)
    }

    /// The spanning tree instance (VLAN) this BPDU is about: the TLV's for
    /// PVST+, else the tag's, else `native`.
    pub fn vlan(&self, native: u16) -> u16 {
        match self.encap {
            Encap::Pvst { vlan } => vlan,
            Encap::Ieee => self.tag.unwrap_or(native),
        }
    }
}

/// `PVST+ VLAN 10: STP Conf. Root = …` or the bare BPDU for IEEE.
impl fmt::Display for BpduFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.encap {
            Encap::Ieee => write!(f, "{}", self.bpdu),
            Encap::Pvst { vlan } => write!(f, "PVST+ VLAN {vlan}: {}", self.bpdu),
        }
    }
}

/// The field tree after the 14-byte Ethernet header of a BPDU frame: the
/// 802.1Q tag (if any), LLC (and SNAP), the BPDU, the PVST+ VLAN TLV.
/// Empty when the frame is not a BPDU frame.
pub fn fields(frame: &[u8]) -> Vec<Field> {
    let mut out = Vec::new();
    if !is_bpdu_dst(frame) {
        return out;
    }
    let Ok(l) = layout(frame) else {
        return out;
    };
    if let Some(v) = l.tag {
        out.push(
            Field::new("802.1Q Virtual LAN", format!("VLAN {v}"), 12..16).with_children(vec![
                Field::new("Type", "0x8100 (802.1Q)", 12..14),
                Field::new("VLAN ID", v.to_string(), 14..16),
            ]),
        );
    }
    let s = l.llc.start;
    let llc = &frame[l.llc.clone()];
    let length = Field::new(
        "Length",
        (l.llc.end - l.llc.start).to_string(),
        l.len_at..l.len_at + 2,
    );
    let ieee = frame[..6] == IEEE_MAC;
    let hdr = if ieee { 3 } else { 8 };
    let mut llc_kids = vec![length];
    if llc.len() >= 3 {
        llc_kids.push(Field::new("DSAP", format!("0x{:02x}", llc[0]), s..s + 1));
        llc_kids.push(Field::new(
            "SSAP",
            format!("0x{:02x}", llc[1]),
            s + 1..s + 2,
        ));
        llc_kids.push(Field::new(
            "Control",
            format!("0x{:02x}", llc[2]),
            s + 2..s + 3,
        ));
    }
    if !ieee && llc.len() >= 8 {
        llc_kids.push(Field::new(
            "Organization Code",
            hex(&llc[3..6]) + " (Cisco)",
            s + 3..s + 6,
        ));
        llc_kids.push(Field::new("PID", "0x010b (PVST+)", s + 6..s + 8));
    }
    let llc_label = if ieee {
        "Logical-Link Control"
    } else {
        "LLC/SNAP"
    };
    out.push(
        Field::new(
            llc_label,
            if ieee { "STP (0x42)" } else { "Cisco PVST+" },
            l.len_at..s + hdr.min(llc.len()),
        )
        .with_children(llc_kids),
    );
    if llc.len() <= hdr {
        return out;
    }
    let body = &llc[hdr..];
    if let Some(f) = wire::fields(body, s + hdr) {
        let used = f.range.end - (s + hdr);
        out.push(f);
        let skip = if ieee { used } else { used.max(PVST_TLV_AT) };
        let t = body.get(skip..).unwrap_or_default();
        let o = s + hdr + skip;
        if !ieee && let Some(v) = be16(t, 4) {
            out.push(
                Field::new(
                    "Originating VLAN (PVID)",
                    (v & 0x0fff).to_string(),
                    o..o + 6,
                )
                .with_children(vec![
                    Field::new("Type", "0x0000", o..o + 2),
                    Field::new("Length", "2", o + 2..o + 4),
                    Field::new("VLAN", (v & 0x0fff).to_string(), o + 4..o + 6),
                ]),
            );
        }
    }
    out
}
