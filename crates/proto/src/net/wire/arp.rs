//! ARP for IPv4 over Ethernet (RFC 826).

use std::net::Ipv4Addr;

use smoltcp::wire::{ArpOperation, ArpPacket, ArpRepr, EthernetAddress};

use crate::dhcp::Mac;
use crate::fields::Field;

fn op_name(op: u16) -> &'static str {
    match op {
        1 => "request",
        2 => "reply",
        _ => "other",
    }
}

/// The ARP packet's fields, or `None` when it is not a whole Ethernet/IPv4
/// ARP packet.
pub fn fields(bytes: &[u8], base: usize) -> Option<Field> {
    let p = ArpPacket::new_checked(bytes).ok()?;
    if p.hardware_len() != 6 || p.protocol_len() != 4 {
        return None;
    }
    let mac = |s: &[u8]| Mac(EthernetAddress::from_bytes(s)).to_string();
    let ip = |s: &[u8]| Ipv4Addr::new(s[0], s[1], s[2], s[3]).to_string();
    let op = u16::from(p.operation());
    let o = base;
    Some(
        Field::new("ARP", op_name(op), o..o + 28).with_children(vec![
            Field::new(
                "Hardware type",
                u16::from(p.hardware_type()).to_string(),
                o..o + 2,
            ),
            Field::new(
                "Protocol type",
                format!("0x{:04x}", u16::from(p.protocol_type())),
                o + 2..o + 4,
            ),
            Field::new("Hardware size", p.hardware_len().to_string(), o + 4..o + 5),
            Field::new("Protocol size", p.protocol_len().to_string(), o + 5..o + 6),
            Field::new("Opcode", format!("{op} ({})", op_name(op)), o + 6..o + 8),
            Field::new(
                "Sender MAC address",
                mac(p.source_hardware_addr()),
                o + 8..o + 14,
            ),
            Field::new(
                "Sender IP address",
                ip(p.source_protocol_addr()),
                o + 14..o + 18,
            ),
            Field::new(
                "Target MAC address",
                mac(p.target_hardware_addr()),
                o + 18..o + 24,
            ),
            Field::new(
                "Target IP address",
                ip(p.target_protocol_addr()),
                o + 24..o + 28,
            ),
        ]),
    )
}

/// `ARP who-has 10.0.0.2 tell 10.0.0.1`, `ARP reply 10.0.0.2 is-at 02:…`;
/// `None` for anything but Ethernet/IPv4 ARP.
pub fn summary(p: &ArpPacket<&[u8]>) -> Option<String> {
    let ArpRepr::EthernetIpv4 {
        operation,
        source_hardware_addr,
        source_protocol_addr,
        target_protocol_addr,
        ..
    } = ArpRepr::parse(p).ok()?
    else {
        return None;
    };
    Some(match operation {
        ArpOperation::Request => {
            format!("ARP who-has {target_protocol_addr} tell {source_protocol_addr}")
        }
        ArpOperation::Reply => {
            let mac = Mac(source_hardware_addr);
            format!("ARP reply {source_protocol_addr} is-at {mac}")
        }
        other => format!("ARP {other:?}"),
    })
}
