//! Reading and rewriting the fields NAT changes in an IPv4 packet: addresses,
//! TCP/UDP ports, ICMP echo identifiers, and inside an ICMP error the embedded
//! header of the packet it is about.
//!
//! Headers are validated with `smoltcp::wire`'s checked views; the rewrite then
//! touches the validated byte ranges only (every access bounds-checked). The
//! IPv4 header checksum and the ICMP checksum of an error message are
//! recomputed with smoltcp; TCP and UDP checksums (pseudo-header included) and
//! the embedded checksums are adjusted incrementally (RFC 1624), as IOS and
//! Linux do: it is exact for a packet whose checksum was right, works for the
//! first fragment of a datagram and for the truncated transport header quoted
//! in an ICMP error, and leaves a corrupt checksum corrupt.

use std::net::Ipv4Addr;

use smoltcp::wire::{Icmpv4Packet, IpProtocol, Ipv4Packet, TcpPacket, UdpPacket};

use super::config::NatProtocol;
use crate::firewall::{PacketInfo, TcpFlags, Transport};

/// The transport part of a packet, as NAT sees it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum L4 {
    /// A TCP segment.
    Tcp {
        sport: u16,
        dport: u16,
        flags: TcpFlags,
    },
    /// A UDP datagram.
    Udp { sport: u16, dport: u16 },
    /// ICMP echo request or reply.
    Echo { id: u16 },
    /// An ICMP error quoting a packet NAT can match (`None`: one it cannot).
    IcmpError { inner: Option<Inner> },
    /// Any other ICMP message.
    IcmpOther,
    /// Any other protocol, or a fragment after the first (no transport header).
    Other,
}

/// The packet quoted inside an ICMP error (its header and first 8 bytes).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct Inner {
    pub proto: NatProtocol,
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub sport: u16,
    pub dport: u16,
    /// Offset of the quoted IPv4 header in the whole packet.
    off: usize,
    /// Its header length.
    ihl: usize,
}

/// The parsed view of an IPv4 packet.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct Parsed {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub ip_id: u16,
    pub l4: L4,
    /// The IP protocol number.
    pub protocol: u8,
    /// ICMP type and code (zeros for other protocols).
    icmp: (u8, u8),
    ihl: usize,
    total: usize,
}

impl Parsed {
    /// The protocol and ports (ICMP echo: the identifier both ways) of a
    /// translatable flow.
    pub fn flow(&self) -> Option<(NatProtocol, u16, u16)> {
        match self.l4 {
            L4::Tcp { sport, dport, .. } => Some((NatProtocol::Tcp, sport, dport)),
            L4::Udp { sport, dport } => Some((NatProtocol::Udp, sport, dport)),
            L4::Echo { id } => Some((NatProtocol::Icmp, id, id)),
            _ => None,
        }
    }

    /// Whether it is a TCP FIN or RST.
    pub fn fin_rst(&self) -> bool {
        matches!(self.l4, L4::Tcp { flags, .. } if flags.fin || flags.rst)
    }

    /// What an access list sees of the packet.
    pub fn info(&self) -> PacketInfo {
        let transport = match self.l4 {
            L4::Tcp {
                sport,
                dport,
                flags,
            } => Transport::Tcp {
                src_port: sport,
                dst_port: dport,
                flags,
            },
            L4::Udp { sport, dport } => Transport::Udp {
                src_port: sport,
                dst_port: dport,
            },
            L4::Echo { id } => Transport::Icmp {
                ty: self.icmp.0,
                code: self.icmp.1,
                ident: id,
            },
            L4::IcmpError { .. } | L4::IcmpOther => Transport::Icmp {
                ty: self.icmp.0,
                code: self.icmp.1,
                ident: 0,
            },
            L4::Other => Transport::Other(self.protocol),
        };
        PacketInfo {
            src: self.src,
            dst: self.dst,
            transport,
        }
    }
}

fn rd16(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

fn wr16(b: &mut [u8], off: usize, v: u16) {
    if let Some(s) = off.checked_add(2).and_then(|end| b.get_mut(off..end)) {
        s.copy_from_slice(&v.to_be_bytes());
    }
}

fn rd_addr(b: &[u8], off: usize) -> Option<Ipv4Addr> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(Ipv4Addr::new(s[0], s[1], s[2], s[3]))
}

fn wr_addr(b: &mut [u8], off: usize, a: Ipv4Addr) {
    if let Some(s) = off.checked_add(4).and_then(|end| b.get_mut(off..end)) {
        s.copy_from_slice(&a.octets());
    }
}

fn words(a: Ipv4Addr) -> [u16; 2] {
    let o = a.octets();
    [
        u16::from_be_bytes([o[0], o[1]]),
        u16::from_be_bytes([o[2], o[3]]),
    ]
}

/// RFC 1624 eqn. 3: the checksum after 16-bit words `old` became `new`.
pub(super) fn adjust(sum: u16, old: &[u16], new: &[u16]) -> u16 {
    let mut acc = u32::from(!sum);
    for &o in old {
        acc += u32::from(!o);
    }
    for &n in new {
        acc += u32::from(n);
    }
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// Adjusts the checksum at `off` (if present); `udp`: zero means "none" and stays.
fn fix_sum(b: &mut [u8], off: usize, old: &[u16], new: &[u16], udp: bool) {
    let Some(sum) = rd16(b, off) else { return };
    if udp && sum == 0 {
        return;
    }
    let mut next = adjust(sum, old, new);
    if udp && next == 0 {
        next = 0xffff;
    }
    wr16(b, off, next);
}

/// Parses an IPv4 packet (`None`: not a well-formed IPv4 packet).
pub(super) fn parse(pkt: &[u8]) -> Option<Parsed> {
    let ip = Ipv4Packet::new_checked(pkt).ok()?;
    if ip.version() != 4 {
        return None;
    }
    let ihl = usize::from(ip.header_len());
    let total = usize::from(ip.total_len());
    let payload = ip.payload();
    let mut icmp = (0, 0);
    let l4 = if ip.frag_offset() != 0 {
        L4::Other
    } else {
        match ip.next_header() {
            IpProtocol::Tcp => {
                let t = TcpPacket::new_checked(payload).ok()?;
                L4::Tcp {
                    sport: t.src_port(),
                    dport: t.dst_port(),
                    flags: TcpFlags {
                        syn: t.syn(),
                        ack: t.ack(),
                        fin: t.fin(),
                        rst: t.rst(),
                    },
                }
            }
            IpProtocol::Udp => {
                // Not `new_checked`: the first fragment of a long datagram
                // holds less than the UDP length field says.
                if payload.len() < 8 {
                    return None;
                }
                let u = UdpPacket::new_unchecked(payload);
                L4::Udp {
                    sport: u.src_port(),
                    dport: u.dst_port(),
                }
            }
            IpProtocol::Icmp => {
                let i = Icmpv4Packet::new_checked(payload).ok()?;
                icmp = (u8::from(i.msg_type()), i.msg_code());
                match icmp.0 {
                    0 | 8 => L4::Echo { id: i.echo_ident() },
                    3 | 4 | 11 | 12 => L4::IcmpError {
                        inner: parse_inner(pkt, ihl + 8),
                    },
                    _ => L4::IcmpOther,
                }
            }
            _ => L4::Other,
        }
    };
    Some(Parsed {
        src: ip.src_addr(),
        dst: ip.dst_addr(),
        ip_id: ip.ident(),
        l4,
        protocol: u8::from(ip.next_header()),
        icmp,
        ihl,
        total,
    })
}

/// The packet quoted by an ICMP error, starting at `off`: at least its IPv4
/// header and 8 bytes (ports, or the echo type, id and sequence).
fn parse_inner(pkt: &[u8], off: usize) -> Option<Inner> {
    let b = pkt.get(off..)?;
    let first = *b.first()?;
    let ihl = usize::from(first & 0x0f) * 4;
    if first >> 4 != 4 || ihl < 20 || b.len() < ihl + 8 {
        return None;
    }
    // A quoted fragment after the first carries no ports.
    if rd16(b, 6)? & 0x1fff != 0 {
        return None;
    }
    let (src, dst) = (rd_addr(b, 12)?, rd_addr(b, 16)?);
    let (sport, dport) = (rd16(b, ihl)?, rd16(b, ihl + 2)?);
    let (proto, sport, dport) = match b[9] {
        6 => (NatProtocol::Tcp, sport, dport),
        17 => (NatProtocol::Udp, sport, dport),
        1 if matches!(b[ihl], 0 | 8) => {
            let id = rd16(b, ihl + 4)?;
            (NatProtocol::Icmp, id, id)
        }
        _ => return None,
    };
    Some(Inner {
        proto,
        src,
        dst,
        sport,
        dport,
        off,
        ihl,
    })
}

/// Which address of a packet a rewrite changes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum Side {
    /// The source (inside → outside).
    Src,
    /// The destination (outside → inside).
    Dst,
}

/// Rewrites the `side` address to `addr` and, for a flow, its port (ICMP
/// echo: the identifier) to `port`, adjusting the transport checksum, then
/// recomputes the IPv4 header checksum.
pub(super) fn rewrite(pkt: &mut [u8], p: &Parsed, side: Side, addr: Ipv4Addr, port: Option<u16>) {
    let (addr_off, port_off) = match side {
        Side::Src => (12, 0),
        Side::Dst => (16, 2),
    };
    let old_addr = match side {
        Side::Src => p.src,
        Side::Dst => p.dst,
    };
    wr_addr(pkt, addr_off, addr);
    let (oa, na) = (words(old_addr), words(addr));
    let l4 = p.ihl;
    match p.l4 {
        L4::Tcp { sport, dport, .. } | L4::Udp { sport, dport } => {
            let udp = matches!(p.l4, L4::Udp { .. });
            let old_port = if side == Side::Src { sport } else { dport };
            let new_port = port.unwrap_or(old_port);
            wr16(pkt, l4 + port_off, new_port);
            let sum_off = l4 + if udp { 6 } else { 16 };
            fix_sum(
                pkt,
                sum_off,
                &[oa[0], oa[1], old_port],
                &[na[0], na[1], new_port],
                udp,
            );
        }
        L4::Echo { id } => {
            let new_id = port.unwrap_or(id);
            wr16(pkt, l4 + 4, new_id);
            fix_sum(pkt, l4 + 2, &[id], &[new_id], false);
        }
        _ => {}
    }
    fill_ip_checksum(pkt);
}

/// Translates an ICMP error about a translated packet: the outer `side`
/// address becomes `addr` when it is `outer_from`, and the quoted packet's
/// opposite side (`Src` → quoted destination) becomes `addr:port`, with the
/// quoted IPv4 and transport checksums adjusted and the ICMP checksum and
/// outer IPv4 checksum recomputed.
pub(super) fn rewrite_icmp_error(
    pkt: &mut [u8],
    p: &Parsed,
    side: Side,
    outer_from: Ipv4Addr,
    addr: Ipv4Addr,
    port: u16,
) {
    let L4::IcmpError { inner: Some(inner) } = p.l4 else {
        return;
    };
    let outer_old = match side {
        Side::Src => p.src,
        Side::Dst => p.dst,
    };
    if outer_old == outer_from {
        wr_addr(pkt, if side == Side::Src { 12 } else { 16 }, addr);
    }
    // The quoted packet went the other way: its destination (outbound error)
    // or its source (inbound error) is the translated endpoint.
    let (addr_off, port_off, old_addr, old_port) = match side {
        Side::Src => (16, 2, inner.dst, inner.dport),
        Side::Dst => (12, 0, inner.src, inner.sport),
    };
    let (oa, na) = (words(old_addr), words(addr));
    let q = inner.off;
    wr_addr(pkt, q + addr_off, addr);
    fix_sum(pkt, q + 10, &oa, &na, false);
    let t = q + inner.ihl;
    match inner.proto {
        NatProtocol::Tcp | NatProtocol::Udp => {
            let udp = inner.proto == NatProtocol::Udp;
            wr16(pkt, t + port_off, port);
            let sum_off = t + if udp { 6 } else { 16 };
            fix_sum(
                pkt,
                sum_off,
                &[oa[0], oa[1], old_port],
                &[na[0], na[1], port],
                udp,
            );
        }
        NatProtocol::Icmp => {
            wr16(pkt, t + 4, port);
            fix_sum(pkt, t + 2, &[old_port], &[port], false);
        }
    }
    if let Some(icmp) = pkt.get_mut(p.ihl..p.total) {
        Icmpv4Packet::new_unchecked(icmp).fill_checksum();
    }
    fill_ip_checksum(pkt);
}

fn fill_ip_checksum(pkt: &mut [u8]) {
    // `parse` checked the header length against the buffer.
    if let Ok(mut ip) = Ipv4Packet::new_checked(pkt) {
        ip.fill_checksum();
    }
}
