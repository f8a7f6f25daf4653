//! An owned TCP segment (RFC 9293 §3.1) and its codec, built on
//! `smoltcp::wire`'s `TcpPacket`/`TcpRepr`.
//!
//! [`Segment`] is what the connection engine consumes and produces; the host
//! stack turns it into bytes with [`Segment::emit`] and back with
//! [`Segment::parse`]. [`reset_for`] answers a segment that reached no socket
//! (RFC 9293 §3.10.7.1).

use core::fmt;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{IpAddress, TcpControl, TcpPacket, TcpRepr, TcpSeqNumber};

use super::Error;

/// The control bit a segment carries besides ACK (and PSH, kept apart).
///
/// RFC 9293 allows only one of SYN, FIN and RST per segment in practice;
/// smoltcp's codec rejects the other combinations and so do we.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Control {
    /// No SYN, FIN or RST.
    #[default]
    None,
    /// Synchronize sequence numbers (opens a connection).
    Syn,
    /// No more data from the sender (closes one direction).
    Fin,
    /// Reset the connection.
    Rst,
}

impl Control {
    /// How much sequence space the control bit takes (SYN and FIN take one).
    pub const fn seq_len(self) -> u32 {
        match self {
            Control::Syn | Control::Fin => 1,
            Control::None | Control::Rst => 0,
        }
    }
}

/// An owned TCP segment: header fields the engine needs plus the payload.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Segment {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Sequence number of the first octet (or of the SYN).
    pub seq: u32,
    /// Acknowledgment number; `Some` exactly when the ACK bit is set.
    pub ack: Option<u32>,
    /// SYN, FIN, RST or none.
    pub control: Control,
    /// The PSH bit (informational: the engine delivers data at once anyway).
    pub psh: bool,
    /// Advertised receive window (unscaled; lanlab never negotiates scaling).
    pub window: u16,
    /// Maximum segment size option (SYN segments only).
    pub mss: Option<u16>,
    /// Window scale option as seen on the wire (parsed for display; ignored
    /// by the engine, which never sends one, so neither side scales: RFC 7323 §2.2).
    pub window_scale: Option<u8>,
    /// Payload octets.
    pub payload: Vec<u8>,
}

impl Segment {
    /// Parse a TCP segment carried in an IPv4 packet from `src` to `dst`,
    /// verifying its checksum over the pseudo-header.
    ///
    /// # Errors
    /// [`Error::Truncated`] when the bytes are shorter than the header says,
    /// [`Error::BadChecksum`] when the checksum does not match, and
    /// [`Error::Malformed`] for zero ports, an impossible flag combination
    /// (e.g. SYN+FIN) or broken options.
    pub fn parse(src: Ipv4Addr, dst: Ipv4Addr, bytes: &[u8]) -> Result<Segment, Error> {
        let packet =
            TcpPacket::new_checked(bytes).map_err(|_| Error::Truncated { len: bytes.len() })?;
        let (src_ip, dst_ip) = (IpAddress::Ipv4(src), IpAddress::Ipv4(dst));
        if !packet.verify_checksum(&src_ip, &dst_ip) {
            return Err(Error::BadChecksum {
                checksum: packet.checksum(),
            });
        }
        let repr = TcpRepr::parse(&packet, &src_ip, &dst_ip, &ChecksumCapabilities::ignored())
            .map_err(|_| Error::Malformed)?;
        let control = match repr.control {
            TcpControl::None | TcpControl::Psh => Control::None,
            TcpControl::Syn => Control::Syn,
            TcpControl::Fin => Control::Fin,
            TcpControl::Rst => Control::Rst,
        };
        Ok(Segment {
            src_port: repr.src_port,
            dst_port: repr.dst_port,
            seq: repr.seq_number.0 as u32,
            ack: repr.ack_number.map(|a| a.0 as u32),
            control,
            psh: packet.psh(),
            window: repr.window_len,
            mss: repr.max_seg_size,
            window_scale: repr.window_scale,
            payload: repr.payload.to_vec(),
        })
    }

    /// Serialize the segment (TCP header + payload) for an IPv4 packet from
    /// `src` to `dst`, with the checksum filled in.
    pub fn emit(&self, src: Ipv4Addr, dst: Ipv4Addr) -> Vec<u8> {
        let mut bytes = vec![0u8; self.emit_len()];
        self.emit_into(src, dst, &mut bytes);
        bytes
    }

    /// The length of the bytes [`Segment::emit`] writes.
    pub fn emit_len(&self) -> usize {
        self.repr().buffer_len()
    }

    /// Writes the bytes [`Segment::emit`] returns into `buf`, which is
    /// [`Segment::emit_len`] zero bytes long (a frame's tail, say).
    pub fn emit_into(&self, src: Ipv4Addr, dst: Ipv4Addr, buf: &mut [u8]) {
        let repr = self.repr();
        let mut packet = TcpPacket::new_unchecked(buf);
        let (src_ip, dst_ip) = (IpAddress::Ipv4(src), IpAddress::Ipv4(dst));
        repr.emit(
            &mut packet,
            &src_ip,
            &dst_ip,
            &ChecksumCapabilities::default(),
        );
        if self.psh {
            // smoltcp's codec sets PSH only on a bare `Psh` control.
            packet.set_psh(true);
            packet.fill_checksum(&src_ip, &dst_ip);
        }
    }

    fn repr(&self) -> TcpRepr<'_> {
        let control = match self.control {
            Control::None if self.psh => TcpControl::Psh,
            Control::None => TcpControl::None,
            Control::Syn => TcpControl::Syn,
            Control::Fin => TcpControl::Fin,
            Control::Rst => TcpControl::Rst,
        };
        TcpRepr {
            src_port: self.src_port,
            dst_port: self.dst_port,
            control,
            seq_number: TcpSeqNumber(self.seq as i32),
            ack_number: self.ack.map(|a| TcpSeqNumber(a as i32)),
            window_len: self.window,
            window_scale: self.window_scale,
            max_seg_size: self.mss,
            sack_permitted: false,
            sack_ranges: [None; 3],
            timestamp: None,
            payload: &self.payload,
        }
    }

    /// Sequence space the segment occupies: payload plus SYN/FIN.
    pub fn seq_len(&self) -> u32 {
        // A segment never carries more than 4 GiB.
        u32::try_from(self.payload.len())
            .unwrap_or(u32::MAX)
            .saturating_add(self.control.seq_len())
    }

    /// Whether the RST bit is set.
    pub fn is_rst(&self) -> bool {
        self.control == Control::Rst
    }

    /// Whether the SYN bit is set.
    pub fn is_syn(&self) -> bool {
        self.control == Control::Syn
    }

    /// Whether the FIN bit is set.
    pub fn is_fin(&self) -> bool {
        self.control == Control::Fin
    }
}

impl fmt::Display for Segment {
    /// One line, tcpdump-like: `1025 → 25 [SYN] seq=100 win=65535 mss=1460`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut flags: Vec<&str> = Vec::with_capacity(3);
        match self.control {
            Control::Syn => flags.push("SYN"),
            Control::Fin => flags.push("FIN"),
            Control::Rst => flags.push("RST"),
            Control::None => {}
        }
        if self.psh {
            flags.push("PSH");
        }
        if self.ack.is_some() {
            flags.push("ACK");
        }
        write!(
            f,
            "{} → {} [{}] seq={}",
            self.src_port,
            self.dst_port,
            flags.join(", "),
            self.seq
        )?;
        if let Some(ack) = self.ack {
            write!(f, " ack={ack}")?;
        }
        write!(f, " win={}", self.window)?;
        if let Some(mss) = self.mss {
            write!(f, " mss={mss}")?;
        }
        if let Some(ws) = self.window_scale {
            write!(f, " wscale={ws}")?;
        }
        if !self.payload.is_empty() {
            write!(f, " len={}", self.payload.len())?;
        }
        Ok(())
    }
}

/// The RST to send for `seg` when it reached no connection or listener
/// (RFC 9293 §3.10.7.1), or `None` when `seg` is itself a RST.
///
/// "If the ACK bit is off, sequence number zero is used,
///  `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`.
///  If the ACK bit is on, `<SEQ=SEG.ACK><CTL=RST>`."
pub fn reset_for(seg: &Segment) -> Option<Segment> {
    if seg.is_rst() {
        return None;
    }
    let (seq, ack) = match seg.ack {
        Some(ack) => (ack, None),
        None => (0, Some(seg.seq.wrapping_add(seg.seq_len()))),
    };
    Some(Segment {
        src_port: seg.dst_port,
        dst_port: seg.src_port,
        seq,
        ack,
        control: Control::Rst,
        ..Segment::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const A: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 10);
    const B: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 20);

    fn syn() -> Segment {
        Segment {
            src_port: 1025,
            dst_port: 25,
            seq: 100,
            control: Control::Syn,
            window: 65535,
            mss: Some(1460),
            ..Segment::default()
        }
    }

    #[test]
    fn displays_like_tcpdump() {
        assert_eq!(
            syn().to_string(),
            "1025 → 25 [SYN] seq=100 win=65535 mss=1460"
        );
        let data = Segment {
            src_port: 25,
            dst_port: 1025,
            seq: 201,
            ack: Some(101),
            psh: true,
            window: 1000,
            payload: b"220 hi\r\n".to_vec(),
            ..Segment::default()
        };
        assert_eq!(
            data.to_string(),
            "25 → 1025 [PSH, ACK] seq=201 ack=101 win=1000 len=8"
        );
    }

    #[test]
    fn emit_then_parse_round_trips_and_checks_checksum() {
        let mut seg = syn();
        seg.payload = b"hello".to_vec();
        seg.psh = true;
        let bytes = seg.emit(A, B);
        assert_eq!(Segment::parse(A, B, &bytes), Ok(seg));
        // The pseudo-header binds the addresses.
        assert!(matches!(
            Segment::parse(A, Ipv4Addr::new(192, 168, 1, 21), &bytes),
            Err(Error::BadChecksum { .. })
        ));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert!(matches!(
            Segment::parse(A, B, &flipped),
            Err(Error::BadChecksum { .. })
        ));
        assert!(matches!(
            Segment::parse(A, B, &bytes[..10]),
            Err(Error::Truncated { len: 10 })
        ));
    }

    #[test]
    fn reset_for_follows_rfc_9293_3_10_7_1() {
        let rst = reset_for(&syn()).unwrap();
        assert_eq!(rst.to_string(), "25 → 1025 [RST, ACK] seq=0 ack=101 win=0");
        let stray = Segment {
            ack: Some(555),
            control: Control::None,
            payload: vec![1, 2, 3],
            ..syn()
        };
        let rst = reset_for(&stray).unwrap();
        assert_eq!((rst.seq, rst.ack, rst.control), (555, None, Control::Rst));
        assert_eq!(reset_for(&rst), None);
    }

    fn arb_segment() -> impl Strategy<Value = Segment> {
        (
            (
                1u16..,
                1u16..,
                any::<u32>(),
                proptest::option::of(any::<u32>()),
            ),
            (
                0u8..4,
                any::<bool>(),
                any::<u16>(),
                proptest::option::of(any::<u16>()),
            ),
            proptest::option::of(0u8..=14),
            proptest::collection::vec(any::<u8>(), 0..200),
        )
            .prop_map(|((sp, dp, seq, ack), (c, psh, window, mss), ws, payload)| {
                let control =
                    [Control::None, Control::Syn, Control::Fin, Control::Rst][usize::from(c)];
                Segment {
                    src_port: sp,
                    dst_port: dp,
                    seq,
                    ack,
                    control,
                    psh,
                    window,
                    mss,
                    window_scale: ws,
                    payload,
                }
            })
    }

    proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            let _ = Segment::parse(A, B, &bytes);
        }

        #[test]
        fn parse_never_panics_on_mutated_segments(
            seg in arb_segment(),
            idx in any::<usize>(),
            byte in any::<u8>(),
        ) {
            let mut bytes = seg.emit(A, B);
            let i = idx % bytes.len();
            bytes[i] = byte;
            let _ = Segment::parse(A, B, &bytes);
            let _ = Segment::parse(A, B, &bytes[..i]);
        }

        #[test]
        fn emit_parse_round_trip(seg in arb_segment()) {
            let bytes = seg.emit(A, B);
            prop_assert_eq!(Segment::parse(A, B, &bytes), Ok(seg));
        }
    }
}
