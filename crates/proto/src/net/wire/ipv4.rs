//! The IPv4 header (RFC 791 §3.1).

use std::ops::Range;

use smoltcp::wire::{IpProtocol, Ipv4Packet};

use crate::fields::Field;

/// An IPv4 header that fits in its bytes, and where its payload lies
/// (relative to those bytes; cut at the bytes' end when the total length
/// claims more, so a truncated capture still shows).
pub fn view(bytes: &[u8]) -> Option<(Ipv4Packet<&[u8]>, Range<usize>)> {
    let &vihl = bytes.first()?;
    let ihl = usize::from(vihl & 0x0f) * 4;
    if vihl >> 4 != 4 || ihl < 20 || bytes.len() < ihl {
        return None;
    }
    // Every accessor used on it reads inside the first 20 bytes.
    let ip = Ipv4Packet::new_unchecked(bytes);
    let end = usize::from(ip.total_len()).min(bytes.len()).max(ihl);
    Some((ip, ihl..end))
}

/// The IPv4 header's fields, the whole datagram as its range; `None` when
/// the header does not fit.
pub fn fields(bytes: &[u8], base: usize) -> Option<Field> {
    let (ip, payload) = view(bytes)?;
    let ihl = payload.start;
    let o = base;
    let proto = u8::from(ip.next_header());
    let proto_name = match ip.next_header() {
        IpProtocol::Icmp => "ICMP",
        IpProtocol::Tcp => "TCP",
        IpProtocol::Udp => "UDP",
        _ => "other",
    };
    let mut flag_words = Vec::new();
    if ip.dont_frag() {
        flag_words.push("don't fragment");
    }
    if ip.more_frags() {
        flag_words.push("more fragments");
    }
    let flag_bits = u8::from(ip.dont_frag()) << 1 | u8::from(ip.more_frags());
    let (src, dst) = (ip.src_addr(), ip.dst_addr());
    let mut children = vec![
        Field::new("Version", "4", o..o + 1),
        Field::new("Header length", format!("{ihl} bytes"), o..o + 1),
        Field::new(
            "Differentiated services",
            format!("0x{:02x}", ip.dscp() << 2 | ip.ecn()),
            o + 1..o + 2,
        ),
        Field::new("Total length", ip.total_len().to_string(), o + 2..o + 4),
        Field::new(
            "Identification",
            format!("0x{0:04x} ({0})", ip.ident()),
            o + 4..o + 6,
        ),
        Field::new(
            "Flags",
            format!("0x{flag_bits:x} {}", flag_words.join(", ")),
            o + 6..o + 8,
        ),
        Field::new(
            "Fragment offset",
            (ip.frag_offset() / 8).to_string(),
            o + 6..o + 8,
        ),
        Field::new("Time to live", ip.hop_limit().to_string(), o + 8..o + 9),
        Field::new("Protocol", format!("{proto} ({proto_name})"), o + 9..o + 10),
        Field::new(
            "Header checksum",
            format!("0x{:04x}", ip.checksum()),
            o + 10..o + 12,
        ),
        Field::new("Source address", src.to_string(), o + 12..o + 16),
        Field::new("Destination address", dst.to_string(), o + 16..o + 20),
    ];
    if ihl > 20 {
        children.push(Field::new(
            "Options",
            format!("{} bytes", ihl - 20),
            o + 20..o + ihl,
        ));
    }
    Some(Field::new("IPv4", format!("{src} → {dst}"), o..o + payload.end).with_children(children))
}

/// `IP 10.0.0.1 > 10.0.0.2: ttl 64, id 1, TCP, length 60`.
pub fn summary(ip: &Ipv4Packet<&[u8]>) -> String {
    format!(
        "IP {} > {}: ttl {}, id {}, {}, length {}",
        ip.src_addr(),
        ip.dst_addr(),
        ip.hop_limit(),
        ip.ident(),
        ip.next_header(),
        ip.total_len()
    )
}
