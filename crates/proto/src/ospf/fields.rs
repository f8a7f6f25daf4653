//! The PDU inspector's field tree of an OSPF packet: header, body and each
//! LSA, every field with its byte range (absolute: `base` is the offset of
//! the OSPF header in the frame).

use std::net::Ipv4Addr;

use super::lsa::{LSA_HEADER_LEN, Lsa, LsaBody, LsaHeader};
use super::packet::{Body, DD_I, DD_M, DD_MS, HEADER_LEN, Packet, parse};
use crate::fields::Field;

fn lsa_header_fields(h: &LsaHeader, at: usize) -> Vec<Field> {
    vec![
        Field::new("LS age", format!("{} s", h.age), at..at + 2),
        Field::new("Options", format!("0x{:02x}", h.options), at + 2..at + 3),
        Field::new("LS type", h.key.ls_type.to_string(), at + 3..at + 4),
        Field::new("Link state ID", h.key.id.to_string(), at + 4..at + 8),
        Field::new("Advertising router", h.key.adv.to_string(), at + 8..at + 12),
        Field::new(
            "Sequence number",
            format!("0x{:08x}", h.seq),
            at + 12..at + 16,
        ),
        Field::new(
            "Checksum",
            format!("0x{:04x} (Fletcher)", h.checksum),
            at + 16..at + 18,
        ),
        Field::new("Length", h.length.to_string(), at + 18..at + 20),
    ]
}

fn lsa_fields(l: &Lsa, at: usize) -> Field {
    let end = at + usize::from(l.header.length);
    let mut kids = lsa_header_fields(&l.header, at);
    let b = at + LSA_HEADER_LEN;
    match &l.body {
        LsaBody::Router { flags, links } => {
            kids.push(Field::new("Flags", format!("0x{flags:02x}"), b..b + 1));
            kids.push(Field::new("Links", links.len().to_string(), b + 2..b + 4));
            for (i, k) in links.iter().enumerate() {
                let s = b + 4 + 12 * i;
                kids.push(
                    Field::new(
                        "Link",
                        format!("{} {} / {}, metric {}", k.kind, k.id, k.data, k.metric),
                        s..s + 12,
                    )
                    .with_children(vec![
                        Field::new("Link ID", k.id.to_string(), s..s + 4),
                        Field::new("Link data", k.data.to_string(), s + 4..s + 8),
                        Field::new("Type", k.kind.to_string(), s + 8..s + 9),
                        Field::new("Metric", k.metric.to_string(), s + 10..s + 12),
                    ]),
                );
            }
        }
        LsaBody::Network { mask, attached } => {
            kids.push(Field::new("Network mask", mask.to_string(), b..b + 4));
            for (i, r) in attached.iter().enumerate() {
                let s = b + 4 + 4 * i;
                kids.push(Field::new("Attached router", r.to_string(), s..s + 4));
            }
        }
        LsaBody::Summary { mask, metric } => {
            kids.push(Field::new("Network mask", mask.to_string(), b..b + 4));
            kids.push(Field::new("Metric", metric.to_string(), b + 5..b + 8));
        }
        LsaBody::External {
            mask,
            e2,
            metric,
            forward,
            tag,
        } => {
            kids.push(Field::new("Network mask", mask.to_string(), b..b + 4));
            kids.push(Field::new(
                "Metric",
                format!("{metric} (type {})", if *e2 { 2 } else { 1 }),
                b + 4..b + 8,
            ));
            kids.push(Field::new(
                "Forwarding address",
                forward.to_string(),
                b + 8..b + 12,
            ));
            kids.push(Field::new(
                "External route tag",
                tag.to_string(),
                b + 12..b + 16,
            ));
        }
        LsaBody::Other(_) => {}
    }
    Field::new(
        "LSA",
        format!("{} seq 0x{:08x}", l.header.key, l.header.seq),
        at..end,
    )
    .with_children(kids)
}

fn ip_list(label: &str, ips: &[Ipv4Addr], at: usize) -> Vec<Field> {
    ips.iter()
        .enumerate()
        .map(|(i, a)| Field::new(label, a.to_string(), at + 4 * i..at + 4 * i + 4))
        .collect()
}

/// The field tree of the OSPF packet in `bytes` (`base`: where it starts in
/// the frame), or `None` when it does not parse.
pub fn fields(bytes: &[u8], base: usize) -> Option<Field> {
    let p = Packet::new_checked(bytes).ok()?;
    let repr = parse(bytes).ok()?;
    let len = usize::from(p.length());
    let o = base;
    let mut kids = vec![
        Field::new("Version", "2", o..o + 1),
        Field::new("Message type", p.packet_type().to_string(), o + 1..o + 2),
        Field::new("Packet length", len.to_string(), o + 2..o + 4),
        Field::new(
            "Source OSPF router",
            p.router_id().to_string(),
            o + 4..o + 8,
        ),
        Field::new("Area ID", p.area_id().to_string(), o + 8..o + 12),
        Field::new(
            "Checksum",
            format!("0x{:04x} [correct]", p.checksum()),
            o + 12..o + 14,
        ),
        Field::new("Auth type", "0 (null)", o + 14..o + 16),
        Field::new("Auth data", "none", o + 16..o + 24),
    ];
    let b = o + HEADER_LEN;
    match &repr.body {
        Body::Hello(h) => {
            kids.push(Field::new("Network mask", h.mask.to_string(), b..b + 4));
            kids.push(Field::new(
                "Hello interval",
                format!("{} s", h.hello_interval),
                b + 4..b + 6,
            ));
            kids.push(Field::new(
                "Options",
                format!("0x{:02x}", h.options),
                b + 6..b + 7,
            ));
            kids.push(Field::new(
                "Router priority",
                h.priority.to_string(),
                b + 7..b + 8,
            ));
            kids.push(Field::new(
                "Dead interval",
                format!("{} s", h.dead_interval),
                b + 8..b + 12,
            ));
            kids.push(Field::new(
                "Designated router",
                h.dr.to_string(),
                b + 12..b + 16,
            ));
            kids.push(Field::new(
                "Backup designated router",
                h.bdr.to_string(),
                b + 16..b + 20,
            ));
            kids.extend(ip_list("Active neighbour", &h.neighbors, b + 20));
        }
        Body::DbDesc(d) => {
            let mut flags = Vec::new();
            for (bit, name) in [(DD_I, "Init"), (DD_M, "More"), (DD_MS, "Master")] {
                if d.flags & bit != 0 {
                    flags.push(name);
                }
            }
            kids.push(Field::new("Interface MTU", d.mtu.to_string(), b..b + 2));
            kids.push(Field::new(
                "Options",
                format!("0x{:02x}", d.options),
                b + 2..b + 3,
            ));
            kids.push(Field::new(
                "DB description flags",
                format!("0x{:02x} ({})", d.flags, flags.join(", ")),
                b + 3..b + 4,
            ));
            kids.push(Field::new(
                "DD sequence",
                format!("0x{:08x}", d.seq),
                b + 4..b + 8,
            ));
            for (i, h) in d.headers.iter().enumerate() {
                let s = b + 8 + LSA_HEADER_LEN * i;
                kids.push(
                    Field::new("LSA header", h.key.to_string(), s..s + LSA_HEADER_LEN)
                        .with_children(lsa_header_fields(h, s)),
                );
            }
        }
        Body::LsRequest(r) => {
            for (i, k) in r.iter().enumerate() {
                let s = b + 12 * i;
                kids.push(Field::new("Link state request", k.to_string(), s..s + 12));
            }
        }
        Body::LsUpdate(l) => {
            kids.push(Field::new("Number of LSAs", l.len().to_string(), b..b + 4));
            let mut at = b + 4;
            for lsa in l {
                kids.push(lsa_fields(lsa, at));
                at += usize::from(lsa.header.length);
            }
        }
        Body::LsAck(h) => {
            for (i, h) in h.iter().enumerate() {
                let s = b + LSA_HEADER_LEN * i;
                kids.push(
                    Field::new("LSA header", h.key.to_string(), s..s + LSA_HEADER_LEN)
                        .with_children(lsa_header_fields(h, s)),
                );
            }
        }
    }
    Some(Field::new("Open Shortest Path First", repr.to_string(), o..o + len).with_children(kids))
}

/// The one-line summary of the OSPF packet in `bytes`, or why it does not parse.
pub fn summary(bytes: &[u8]) -> String {
    match parse(bytes) {
        Ok(r) => r.to_string(),
        Err(e) => format!("OSPF (malformed: {e})"),
    }
}
