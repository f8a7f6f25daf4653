//! Ethernet II (IEEE 802.3 clause 3.2.6 with an EtherType): destination,
//! source, type.

use smoltcp::wire::EthernetFrame;

use crate::dhcp::Mac;
use crate::fields::Field;

/// The Ethernet header's fields, or `None` below 14 bytes.
pub fn fields(frame: &[u8], base: usize) -> Option<Field> {
    let eth = EthernetFrame::new_checked(frame).ok()?;
    let (dst, src) = (eth.dst_addr(), eth.src_addr());
    let ty = u16::from(eth.ethertype());
    let ty_name = crate::net::dot1q::type_name(ty);
    let dst_note = if dst.is_broadcast() {
        " (broadcast)"
    } else {
        ""
    };
    let o = base;
    Some(
        Field::new(
            "Ethernet II",
            format!("{} → {}", Mac(src), Mac(dst)),
            o..o + 14,
        )
        .with_children(vec![
            Field::new("Destination", format!("{}{dst_note}", Mac(dst)), o..o + 6),
            Field::new("Source", Mac(src).to_string(), o + 6..o + 12),
            Field::new("Type", format!("0x{ty:04x} ({ty_name})"), o + 12..o + 14),
        ]),
    )
}

/// `Ethernet 02:..:01 > ff:..:ff, ARP, length 42`.
pub fn summary(eth: &EthernetFrame<&[u8]>) -> String {
    format!(
        "Ethernet {} > {}, {}, length {}",
        Mac(eth.src_addr()),
        Mac(eth.dst_addr()),
        eth.ethertype(),
        eth.as_ref().len()
    )
}
