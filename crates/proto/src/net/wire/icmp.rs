//! ICMPv4 (RFC 792): type, code, checksum, and an echo's identifier and
//! sequence number or an error's quoted datagram.

use std::fmt::Write as _;

use smoltcp::wire::{Icmpv4Message, Icmpv4Packet};

use crate::fields::Field;

/// The ICMP message's fields (`bytes` end where the IP datagram ends), or
/// `None` below 4 bytes.
pub fn fields(bytes: &[u8], base: usize) -> Option<Field> {
    if bytes.len() < 4 {
        return None;
    }
    // Type, code and checksum are the first 4 bytes; the echo fields are
    // read only when 8 are there.
    let p = Icmpv4Packet::new_unchecked(bytes);
    let ty = u8::from(p.msg_type());
    let name = match ty {
        0 => "echo reply",
        3 => "destination unreachable",
        8 => "echo request",
        11 => "time exceeded",
        _ => "other",
    };
    let (o, end) = (base, base + bytes.len());
    let mut children = vec![
        Field::new("Type", format!("{ty} ({name})"), o..o + 1),
        Field::new("Code", p.msg_code().to_string(), o + 1..o + 2),
        Field::new("Checksum", format!("0x{:04x}", p.checksum()), o + 2..o + 4),
    ];
    if matches!(ty, 0 | 8) && bytes.len() >= 8 {
        children.push(Field::new(
            "Identifier",
            p.echo_ident().to_string(),
            o + 4..o + 6,
        ));
        children.push(Field::new(
            "Sequence number",
            p.echo_seq_no().to_string(),
            o + 6..o + 8,
        ));
        if end > o + 8 {
            children.push(Field::new(
                "Data",
                format!("{} bytes", end - o - 8),
                o + 8..end,
            ));
        }
    } else if end > o + 8 {
        children.push(Field::new(
            "Original datagram",
            format!("{} bytes", end - o - 8),
            o + 8..end,
        ));
    }
    Some(Field::new("ICMP", name, o..end).with_children(children))
}

/// `ICMP echo request, id 1, seq 2, length 40`, `ICMP port unreachable`.
pub fn summary(p: &Icmpv4Packet<&[u8]>) -> String {
    let len = p.as_ref().len();
    let mut s = String::from("ICMP ");
    let _ = match p.msg_type() {
        Icmpv4Message::EchoRequest => write!(
            s,
            "echo request, id {}, seq {}, length {len}",
            p.echo_ident(),
            p.echo_seq_no(),
        ),
        Icmpv4Message::EchoReply => write!(
            s,
            "echo reply, id {}, seq {}, length {len}",
            p.echo_ident(),
            p.echo_seq_no(),
        ),
        Icmpv4Message::TimeExceeded => write!(s, "time exceeded in-transit"),
        Icmpv4Message::DstUnreachable => {
            let what = match p.msg_code() {
                0 => "net",
                1 => "host",
                3 => "port",
                _ => "destination",
            };
            write!(s, "{what} unreachable")
        }
        other => write!(s, "{other}"),
    };
    s
}
