//! The UDP header (RFC 768).

use smoltcp::wire::UdpPacket;

use super::port_name;
use crate::fields::Field;

/// The UDP header's fields, the datagram (as long as its length field says,
/// within `bytes`) as its range; `None` below 8 bytes.
pub fn fields(bytes: &[u8], base: usize) -> Option<Field> {
    if bytes.len() < 8 {
        return None;
    }
    // Every accessor used reads inside the 8-byte header.
    let u = UdpPacket::new_unchecked(bytes);
    let (sp, dp, len) = (u.src_port(), u.dst_port(), u.len());
    let o = base;
    let end = o + usize::from(len).clamp(8, bytes.len());
    Some(
        Field::new("UDP", format!("{sp} → {dp}"), o..end).with_children(vec![
            Field::new("Source port", format!("{sp}{}", port_name(sp)), o..o + 2),
            Field::new(
                "Destination port",
                format!("{dp}{}", port_name(dp)),
                o + 2..o + 4,
            ),
            Field::new("Length", len.to_string(), o + 4..o + 6),
            Field::new("Checksum", format!("0x{:04x}", u.checksum()), o + 6..o + 8),
        ]),
    )
}

/// `UDP 68 > 67, length 300`.
pub fn summary(u: &UdpPacket<&[u8]>) -> String {
    format!(
        "UDP {} > {}, length {}",
        u.src_port(),
        u.dst_port(),
        u.payload().len()
    )
}
