//! The TCP header (RFC 9293 §3.1).

use smoltcp::wire::TcpPacket;

use super::port_name;
use crate::fields::Field;

/// The TCP header's fields and the payload's size (`bytes` end where the
/// IP datagram ends); `None` when the header does not fit.
pub fn fields(bytes: &[u8], base: usize) -> Option<Field> {
    let t = TcpPacket::new_checked(bytes).ok()?;
    let (sp, dp) = (t.src_port(), t.dst_port());
    let hl = usize::from(t.header_len());
    let mut flags = Vec::new();
    for (on, name) in [
        (t.syn(), "SYN"),
        (t.ack(), "ACK"),
        (t.psh(), "PSH"),
        (t.fin(), "FIN"),
        (t.rst(), "RST"),
        (t.urg(), "URG"),
    ] {
        if on {
            flags.push(name);
        }
    }
    let bits = [
        t.fin(),
        t.syn(),
        t.rst(),
        t.psh(),
        t.ack(),
        t.urg(),
        t.ece(),
        t.cwr(),
        t.ns(),
    ]
    .iter()
    .enumerate()
    .fold(0u16, |acc, (i, on)| acc | u16::from(*on) << i);
    let (o, end) = (base, base + bytes.len());
    let mut children = vec![
        Field::new("Source port", format!("{sp}{}", port_name(sp)), o..o + 2),
        Field::new(
            "Destination port",
            format!("{dp}{}", port_name(dp)),
            o + 2..o + 4,
        ),
        Field::new(
            "Sequence number",
            (t.seq_number().0 as u32).to_string(),
            o + 4..o + 8,
        ),
        Field::new(
            "Acknowledgment number",
            (t.ack_number().0 as u32).to_string(),
            o + 8..o + 12,
        ),
        Field::new("Header length", format!("{hl} bytes"), o + 12..o + 13),
        Field::new(
            "Flags",
            format!("0x{bits:03x} {}", flags.join(", ")),
            o + 12..o + 14,
        ),
        Field::new("Window", t.window_len().to_string(), o + 14..o + 16),
        Field::new(
            "Checksum",
            format!("0x{:04x}", t.checksum()),
            o + 16..o + 18,
        ),
        Field::new("Urgent pointer", t.urgent_at().to_string(), o + 18..o + 20),
    ];
    if hl > 20 {
        children.push(Field::new(
            "Options",
            format!("{} bytes", hl - 20),
            o + 20..o + hl,
        ));
    }
    let p = o + hl;
    if end > p {
        children.push(Field::new("Payload", format!("{} bytes", end - p), p..end));
    }
    Some(
        Field::new("TCP", format!("{sp} → {dp} [{}]", flags.join(", ")), o..end)
            .with_children(children),
    )
}

/// `TCP 49152 > 25: Flags [P.], seq 1, ack 2, win 65535, length 10`.
pub fn summary(t: &TcpPacket<&[u8]>) -> String {
    let mut flags = String::new();
    for (on, c) in [
        (t.syn(), 'S'),
        (t.fin(), 'F'),
        (t.rst(), 'R'),
        (t.psh(), 'P'),
    ] {
        if on {
            flags.push(c);
        }
    }
    if t.ack() {
        flags.push('.');
    }
    format!(
        "TCP {} > {}: Flags [{flags}], seq {}, ack {}, win {}, length {}",
        t.src_port(),
        t.dst_port(),
        t.seq_number().0 as u32,
        t.ack_number().0 as u32,
        t.window_len(),
        t.payload().len()
    )
}
