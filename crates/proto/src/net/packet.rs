//! Builders for whole Ethernet frames and IPv4 packets, on `smoltcp::wire`'s
//! codecs (RFC 894, 826, 791, 792, 768).

use std::net::Ipv4Addr;
use std::rc::Rc;

use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{
    ArpOperation, ArpPacket, ArpRepr, EthernetAddress, EthernetFrame, EthernetProtocol,
    EthernetRepr, Icmpv4DstUnreachable, Icmpv4Packet, Icmpv4Repr, Icmpv4TimeExceeded, IpAddress,
    IpProtocol, Ipv4Packet, Ipv4Repr, UdpPacket, UdpRepr,
};

/// The largest IPv4 packet this stack builds or forwards (Ethernet MTU).
pub const MTU: usize = 1500;

/// An Ethernet II frame around `payload`.
pub fn ethernet(
    src: EthernetAddress,
    dst: EthernetAddress,
    ethertype: EthernetProtocol,
    payload: &[u8],
) -> Vec<u8> {
    let repr = EthernetRepr {
        src_addr: src,
        dst_addr: dst,
        ethertype,
    };
    let mut buf = vec![0u8; repr.buffer_len() + payload.len()];
    let mut frame = EthernetFrame::new_unchecked(&mut buf[..]);
    repr.emit(&mut frame);
    frame.payload_mut().copy_from_slice(payload);
    buf
}

/// [`ethernet`] built straight into the shared buffer a frame travels in:
/// one allocation and one copy of the payload, where `Rc::from(ethernet(…))`
/// takes two of each.
pub fn ethernet_rc(
    src: EthernetAddress,
    dst: EthernetAddress,
    ethertype: EthernetProtocol,
    payload: &[u8],
) -> Rc<[u8]> {
    let repr = EthernetRepr {
        src_addr: src,
        dst_addr: dst,
        ethertype,
    };
    // An exact-size iterator: collected into one allocation of this length.
    let mut buf: Rc<[u8]> = std::iter::repeat_n(0u8, repr.buffer_len() + payload.len()).collect();
    let mut frame = EthernetFrame::new_unchecked(Rc::get_mut(&mut buf).expect("not shared yet"));
    repr.emit(&mut frame);
    frame.payload_mut().copy_from_slice(payload);
    buf
}

/// An ARP request or reply, as the Ethernet payload.
pub fn arp(
    op: ArpOperation,
    sender_mac: EthernetAddress,
    sender_ip: Ipv4Addr,
    target_mac: EthernetAddress,
    target_ip: Ipv4Addr,
) -> Vec<u8> {
    let repr = ArpRepr::EthernetIpv4 {
        operation: op,
        source_hardware_addr: sender_mac,
        source_protocol_addr: sender_ip,
        target_hardware_addr: target_mac,
        target_protocol_addr: target_ip,
    };
    let mut buf = vec![0u8; repr.buffer_len()];
    repr.emit(&mut ArpPacket::new_unchecked(&mut buf[..]));
    buf
}

/// An IPv4 packet (no options) carrying `payload`, with its checksum.
pub fn ipv4(
    src: Ipv4Addr,
    dst: Ipv4Addr,
    protocol: IpProtocol,
    ttl: u8,
    ident: u16,
    payload: &[u8],
) -> Vec<u8> {
    let payload = &payload[..payload.len().min(MTU - 20)];
    let repr = Ipv4Repr {
        src_addr: src,
        dst_addr: dst,
        next_header: protocol,
        payload_len: payload.len(),
        hop_limit: ttl,
    };
    let mut buf = vec![0u8; repr.buffer_len() + payload.len()];
    let mut p = Ipv4Packet::new_unchecked(&mut buf[..]);
    repr.emit(&mut p, &ChecksumCapabilities::default());
    p.set_ident(ident);
    p.set_dont_frag(false);
    p.payload_mut().copy_from_slice(payload);
    p.fill_checksum();
    buf
}

/// The Ethernet and IPv4 headers of a frame around an IPv4 packet (no
/// options, DF clear, no fragment), as [`ipv4`] and [`ethernet`] would
/// write them, with the DSCP set: the frame is written in one go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Head {
    /// Source and destination MAC addresses.
    pub macs: (EthernetAddress, EthernetAddress),
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// The payload's protocol.
    pub protocol: IpProtocol,
    /// Time to live.
    pub ttl: u8,
    /// Identification.
    pub ident: u16,
    /// Differentiated services code point.
    pub dscp: u8,
}

impl Ipv4Head {
    /// The frame around `payload` (cut to the MTU) in a new buffer.
    pub fn frame(&self, payload: &[u8]) -> Vec<u8> {
        let mut buf = Vec::new();
        self.frame_in(&mut buf, payload);
        buf
    }

    /// The frame [`Ipv4Head::frame`] builds, written into `buf` (emptied
    /// first): a caller sending many frames reuses one buffer.
    pub fn frame_in(&self, buf: &mut Vec<u8>, payload: &[u8]) {
        let payload = &payload[..payload.len().min(MTU - 20)];
        let head = self.bytes(payload.len());
        buf.clear();
        buf.reserve(head.len() + payload.len());
        buf.extend_from_slice(&head);
        buf.extend_from_slice(payload);
    }

    /// The frame [`Ipv4Head::frame`] builds, straight into the shared buffer
    /// it travels in (one allocation, the payload copied once).
    pub fn frame_rc(&self, payload: &[u8]) -> Rc<[u8]> {
        let payload = &payload[..payload.len().min(MTU - 20)];
        let head = self.bytes(payload.len());
        // An exact-size iterator: collected into one allocation of this length.
        let mut buf: Rc<[u8]> = std::iter::repeat_n(0u8, head.len() + payload.len()).collect();
        let b = Rc::get_mut(&mut buf).expect("not shared yet");
        let (h, p) = b.split_at_mut(head.len());
        h.copy_from_slice(&head);
        p.copy_from_slice(payload);
        buf
    }

    /// Writes the headers [`Ipv4Head::frame`] puts before the payload into
    /// the first 34 bytes of `frame`, whose rest is the payload: no copy
    /// of it. False (nothing written) when the payload is longer than the
    /// MTU allows ([`Ipv4Head::frame`] would cut it) or `frame` is shorter
    /// than the headers.
    pub fn fill(&self, frame: &mut [u8]) -> bool {
        const HEAD: usize = 14 + 20;
        let Some(len) = frame.len().checked_sub(HEAD) else {
            return false;
        };
        if len > MTU - 20 {
            return false;
        }
        frame[..HEAD].copy_from_slice(&self.bytes(len));
        true
    }

    /// The headers for a payload of `len` bytes, written field by field:
    /// the bytes `smoltcp`'s `EthernetRepr` and `Ipv4Repr` emit (IHL 5),
    /// with the ident, DSCP and header checksum set.
    fn bytes(&self, len: usize) -> [u8; 14 + 20] {
        let Ipv4Head {
            macs,
            src,
            dst,
            protocol,
            ttl,
            ident,
            dscp,
        } = *self;
        let mut h = [0u8; 14 + 20];
        h[0..6].copy_from_slice(&macs.1.0);
        h[6..12].copy_from_slice(&macs.0.0);
        h[12..14].copy_from_slice(&u16::from(EthernetProtocol::Ipv4).to_be_bytes());
        let ip = &mut h[14..];
        ip[0] = 0x45;
        ip[1] = dscp << 2;
        ip[2..4].copy_from_slice(&((20 + len) as u16).to_be_bytes());
        ip[4..6].copy_from_slice(&ident.to_be_bytes());
        ip[8] = ttl;
        ip[9] = protocol.into();
        ip[12..16].copy_from_slice(&src.octets());
        ip[16..20].copy_from_slice(&dst.octets());
        // The header's 16-bit words summed from the fields (the checksum and
        // the flags and fragment offset are zero).
        let (s, d) = (u32::from(src), u32::from(dst));
        let sum = 0x4500
            + u32::from(dscp << 2)
            + (20 + len as u32)
            + u32::from(ident)
            + (u32::from(ttl) << 8 | u32::from(u8::from(protocol)))
            + (s >> 16)
            + (s & 0xffff)
            + (d >> 16)
            + (d & 0xffff);
        let sum = (sum & 0xffff) + (sum >> 16);
        let sum = (sum & 0xffff) + (sum >> 16);
        ip[10..12].copy_from_slice(&(!(sum as u16)).to_be_bytes());
        h
    }
}

/// An ICMP echo request (`reply == false`) or reply, as the IPv4 payload.
pub fn icmp_echo(reply: bool, ident: u16, seq_no: u16, data: &[u8]) -> Vec<u8> {
    let repr = if reply {
        Icmpv4Repr::EchoReply {
            ident,
            seq_no,
            data,
        }
    } else {
        Icmpv4Repr::EchoRequest {
            ident,
            seq_no,
            data,
        }
    };
    let mut buf = vec![0u8; repr.buffer_len()];
    repr.emit(
        &mut Icmpv4Packet::new_unchecked(&mut buf[..]),
        &ChecksumCapabilities::default(),
    );
    buf
}

/// Which ICMP error to build.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum IcmpError {
    /// Type 11 code 0: TTL reached zero in transit.
    TtlExceeded,
    /// Type 3 code 0.
    NetUnreachable,
    /// Type 3 code 1.
    HostUnreachable,
    /// Type 3 code 3.
    PortUnreachable,
    /// Type 3 code 13: communication administratively prohibited (a
    /// router's access list denied the packet, RFC 1812 §5.2.7.1).
    AdminProhibited,
}

/// An ICMP error about `original` (a whole IPv4 packet), as the IPv4 payload.
///
/// RFC 792 asks for the header plus the first 8 bytes of data; like Linux we
/// follow RFC 1812 §4.3.2.3 and quote "as much of the original datagram as
/// possible without the length of the ICMP datagram exceeding 576 bytes".
///
/// Returns `None` when `original` is not a well-formed IPv4 packet.
pub fn icmp_error(kind: IcmpError, original: &[u8]) -> Option<Vec<u8>> {
    let p = Ipv4Packet::new_checked(original).ok()?;
    let hl = usize::from(p.header_len());
    let total = usize::from(p.total_len()).min(original.len());
    if total < hl + 8 {
        return None;
    }
    let quoted_len = total.min(576 - 20 - 8);
    let mut buf = vec![0u8; 8 + quoted_len];
    let mut icmp = Icmpv4Packet::new_unchecked(&mut buf[..]);
    match kind {
        IcmpError::TtlExceeded => {
            icmp.set_msg_type(smoltcp::wire::Icmpv4Message::TimeExceeded);
            icmp.set_msg_code(u8::from(Icmpv4TimeExceeded::TtlExpired));
        }
        IcmpError::NetUnreachable => {
            icmp.set_msg_type(smoltcp::wire::Icmpv4Message::DstUnreachable);
            icmp.set_msg_code(u8::from(Icmpv4DstUnreachable::NetUnreachable));
        }
        IcmpError::HostUnreachable => {
            icmp.set_msg_type(smoltcp::wire::Icmpv4Message::DstUnreachable);
            icmp.set_msg_code(u8::from(Icmpv4DstUnreachable::HostUnreachable));
        }
        IcmpError::PortUnreachable => {
            icmp.set_msg_type(smoltcp::wire::Icmpv4Message::DstUnreachable);
            icmp.set_msg_code(u8::from(Icmpv4DstUnreachable::PortUnreachable));
        }
        IcmpError::AdminProhibited => {
            icmp.set_msg_type(smoltcp::wire::Icmpv4Message::DstUnreachable);
            icmp.set_msg_code(u8::from(Icmpv4DstUnreachable::CommProhibited));
        }
    }
    buf[8..].copy_from_slice(&original[..quoted_len]);
    Icmpv4Packet::new_unchecked(&mut buf[..]).fill_checksum();
    Some(buf)
}

/// A UDP datagram with its checksum, as the IPv4 payload.
pub fn udp(src: Ipv4Addr, dst: Ipv4Addr, src_port: u16, dst_port: u16, data: &[u8]) -> Vec<u8> {
    let data = &data[..data.len().min(MTU - 28)];
    let repr = UdpRepr { src_port, dst_port };
    let mut buf = vec![0u8; repr.header_len() + data.len()];
    repr.emit(
        &mut UdpPacket::new_unchecked(&mut buf[..]),
        &IpAddress::Ipv4(src),
        &IpAddress::Ipv4(dst),
        data.len(),
        |b| b.copy_from_slice(data),
        &ChecksumCapabilities::default(),
    );
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_buffer_frame_is_the_two_step_frame() {
        let macs = (
            EthernetAddress([2, 0, 0, 0, 0, 1]),
            EthernetAddress([1, 0, 0x5e, 0, 0, 5]),
        );
        // The headers written field by field against smoltcp's: addresses,
        // TTLs, idents, DSCPs and protocols whose checksums carry.
        let cases = [
            (
                (10, 0, 0, 1),
                (224, 0, 0, 5),
                1,
                77,
                0x30,
                IpProtocol::Unknown(89),
            ),
            (
                (255, 255, 255, 255),
                (255, 255, 255, 254),
                255,
                0xffff,
                0x3f,
                IpProtocol::Udp,
            ),
            ((0, 0, 0, 0), (0, 0, 0, 0), 0, 0, 0, IpProtocol::Icmp),
            (
                (192, 168, 200, 17),
                (10, 99, 0, 2),
                64,
                0x8001,
                0x2e,
                IpProtocol::Tcp,
            ),
        ];
        for (a, b, ttl, ident, dscp, proto) in cases {
            let a = Ipv4Addr::new(a.0, a.1, a.2, a.3);
            let b = Ipv4Addr::new(b.0, b.1, b.2, b.3);
            for len in [0, 1, 64, 1480, 2000] {
                let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
                let mut pkt = ipv4(a, b, proto, ttl, ident, &payload);
                let mut p = Ipv4Packet::new_unchecked(&mut pkt[..]);
                p.set_dscp(dscp);
                p.fill_checksum();
                let two_step = ethernet(macs.0, macs.1, EthernetProtocol::Ipv4, &pkt);
                let head = Ipv4Head {
                    macs,
                    src: a,
                    dst: b,
                    protocol: proto,
                    ttl,
                    ident,
                    dscp,
                };
                let one = head.frame(&payload);
                assert_eq!(one, two_step, "{len}");
                // A reused buffer holding a longer frame before.
                let mut reused = vec![0xee; 3000];
                head.frame_in(&mut reused, &payload);
                assert_eq!(reused, one, "{len}");
                let shared = head.frame_rc(&payload);
                assert_eq!(&shared[..], &one[..], "{len}");
                // The headers written before a payload already in place.
                let mut framed = vec![0xee; 34];
                framed.extend_from_slice(&payload);
                assert_eq!(head.fill(&mut framed), len <= 1480, "{len}");
                if len <= 1480 {
                    assert_eq!(framed, one, "{len}");
                }
            }
        }
    }

    #[test]
    fn shared_frame_is_the_plain_frame() {
        let macs = (
            EthernetAddress([2, 0, 0, 0, 0, 1]),
            EthernetAddress::BROADCAST,
        );
        for len in [0, 1, 46, 1500] {
            let payload: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            for ty in [EthernetProtocol::Ipv4, EthernetProtocol::Arp] {
                let plain = ethernet(macs.0, macs.1, ty, &payload);
                assert_eq!(&ethernet_rc(macs.0, macs.1, ty, &payload)[..], &plain[..]);
            }
        }
    }

    #[test]
    fn built_packets_parse_back() {
        let a = Ipv4Addr::new(10, 0, 0, 1);
        let b = Ipv4Addr::new(10, 0, 0, 2);
        let icmp = icmp_echo(false, 7, 1, &[0x61; 32]);
        let ip = ipv4(a, b, IpProtocol::Icmp, 128, 1, &icmp);
        let p = Ipv4Packet::new_checked(&ip[..]).unwrap();
        assert!(p.verify_checksum());
        let repr = Ipv4Repr::parse(&p, &ChecksumCapabilities::default()).unwrap();
        assert_eq!(repr.hop_limit, 128);
        let ic = Icmpv4Packet::new_checked(p.payload()).unwrap();
        let r = Icmpv4Repr::parse(&ic, &ChecksumCapabilities::default()).unwrap();
        assert!(
            matches!(r, Icmpv4Repr::EchoRequest { ident: 7, seq_no: 1, data } if data.len() == 32)
        );

        let err = icmp_error(IcmpError::TtlExceeded, &ip).unwrap();
        let ic = Icmpv4Packet::new_checked(&err[..]).unwrap();
        let r = Icmpv4Repr::parse(&ic, &ChecksumCapabilities::default()).unwrap();
        assert!(matches!(r, Icmpv4Repr::TimeExceeded { header, .. } if header.dst_addr == b));
        assert_eq!(icmp_error(IcmpError::HostUnreachable, &[1, 2, 3]), None);
        let err = icmp_error(IcmpError::AdminProhibited, &ip).unwrap();
        assert_eq!((err[0], err[1]), (3, 13));

        let u = udp(a, b, 1000, 53, b"hi");
        let up = UdpPacket::new_checked(&u[..]).unwrap();
        assert!(up.verify_checksum(&IpAddress::Ipv4(a), &IpAddress::Ipv4(b)));
        let f = ethernet(
            EthernetAddress([2, 0, 0, 0, 0, 1]),
            EthernetAddress::BROADCAST,
            EthernetProtocol::Ipv4,
            &ip,
        );
        assert_eq!(f.len(), 14 + ip.len());
    }
}
