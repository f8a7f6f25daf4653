//! The PDU inspector's view of a DHCP message: the BOOTP header's fields
//! and each option with its code and length, read through [`Packet`] and
//! [`raw_options`], the same code the DHCP engines parse with.

use std::net::Ipv4Addr;

use super::message::{MessageType, OpCode, Packet};
use super::options::raw_options;
use super::{Mac, SERVER_PORT};
use crate::fields::{Field, MAX_ITEMS, hex};

/// Offset of the options area (after the magic cookie).
const OPTIONS_AT: usize = 240;

/// The message's fields (`payload` is the UDP payload, at offset `base` in
/// the frame); `None` when it is shorter than the fixed header or has no
/// magic cookie.
pub fn fields(payload: &[u8], base: usize) -> Option<Field> {
    let p = Packet::new_checked(payload).ok()?;
    let o = base;
    let end = o + payload.len();
    let op = match p.op() {
        OpCode::BootRequest => "1 (request)".to_string(),
        OpCode::BootReply => "2 (reply)".to_string(),
        OpCode::Unknown(v) => format!("{v} (reply)"),
    };
    let mut f = Field::new("DHCP", "", o..end).with_children(vec![
        Field::new("Message op", op, o..o + 1),
        Field::new("Hardware type", p.htype().to_string(), o + 1..o + 2),
        Field::new("Hops", p.hops().to_string(), o + 3..o + 4),
        Field::new("Transaction ID", format!("0x{:08x}", p.xid()), o + 4..o + 8),
        Field::new("Seconds", p.secs().to_string(), o + 8..o + 10),
        Field::new("Flags", format!("0x{:04x}", p.flags()), o + 10..o + 12),
        Field::new("Client IP address", p.ciaddr().to_string(), o + 12..o + 16),
        Field::new("Your IP address", p.yiaddr().to_string(), o + 16..o + 20),
        Field::new("Server IP address", p.siaddr().to_string(), o + 20..o + 24),
        Field::new(
            "Relay agent IP address",
            p.giaddr().to_string(),
            o + 24..o + 28,
        ),
        Field::new(
            "Client MAC address",
            Mac(p.chaddr()).to_string(),
            o + 28..o + 34,
        ),
        Field::new("Magic cookie", "DHCP", o + 236..o + OPTIONS_AT),
    ]);
    let at = o + OPTIONS_AT;
    let mut opts = Field::new("Options", "", at..end);
    for raw in raw_options(p.options()).take(MAX_ITEMS) {
        let i = at + raw.at;
        if raw.code == 255 {
            opts.children.push(Field::new("End", "255", i..i + 1));
            break;
        }
        let Some(len) = raw.declared else { break };
        let (name, value) = option_text(raw.code, raw.value);
        if raw.code == 53 {
            f.value = message_type_name(raw.value).to_string();
        }
        opts.children.push(
            Field::new(
                &format!("Option {}: {name}", raw.code),
                value,
                i..i + 2 + raw.value.len(),
            )
            .with_children(vec![
                Field::new("Code", raw.code.to_string(), i..i + 1),
                Field::new("Length", len.to_string(), i + 1..i + 2),
            ]),
        );
    }
    f.children.push(opts);
    Some(f)
}

fn message_type_name(v: &[u8]) -> &'static str {
    match MessageType::from(v.first().copied().unwrap_or(0)) {
        MessageType::Discover => "DISCOVER",
        MessageType::Offer => "OFFER",
        MessageType::Request => "REQUEST",
        MessageType::Decline => "DECLINE",
        MessageType::Ack => "ACK",
        MessageType::Nak => "NAK",
        MessageType::Release => "RELEASE",
        MessageType::Inform => "INFORM",
        MessageType::Unknown(_) => "?",
    }
}

/// An option's name and its value as a person reads it.
fn option_text(code: u8, data: &[u8]) -> (&'static str, String) {
    let ips = || {
        data.chunks_exact(4)
            .map(|c| Ipv4Addr::new(c[0], c[1], c[2], c[3]).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let secs = || match data {
        [a, b, c, d] => format!("{} s", u32::from_be_bytes([*a, *b, *c, *d])),
        _ => String::new(),
    };
    let text = || String::from_utf8_lossy(data).to_string();
    match code {
        53 => (
            "DHCP message type",
            format!(
                "{} ({})",
                data.first().copied().unwrap_or(0),
                message_type_name(data)
            ),
        ),
        1 => ("Subnet mask", ips()),
        3 => ("Router", ips()),
        6 => ("Domain name server", ips()),
        15 => ("Domain name", text()),
        12 => ("Host name", text()),
        50 => ("Requested IP address", ips()),
        51 => ("IP address lease time", secs()),
        58 => ("Renewal time (T1)", secs()),
        59 => ("Rebinding time (T2)", secs()),
        54 => ("DHCP server identifier", ips()),
        55 => (
            "Parameter request list",
            data.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        61 => ("Client identifier", hex(data)),
        82 => ("Relay agent information", hex(data)),
        _ => ("Option", hex(data)),
    }
}

/// Whether a UDP datagram between these ports is DHCP (RFC 2131 §4.1).
pub fn is_dhcp_port(src: u16, dst: u16) -> bool {
    [src, dst]
        .iter()
        .any(|&p| p == SERVER_PORT || p == super::CLIENT_PORT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dhcp::message::Message;
    use smoltcp::wire::EthernetAddress;

    #[test]
    fn header_and_options_with_their_bytes() {
        let mac = EthernetAddress([2, 0, 0, 0, 0, 7]);
        let mut m = Message::new(OpCode::BootRequest, MessageType::Discover, 0x1234, mac);
        m.options.requested_ip = Some(Ipv4Addr::new(192, 168, 1, 10));
        m.options.lease_time = Some(3600);
        let payload = m.to_bytes();
        // As if the UDP payload started at byte 42 of the frame.
        let mut frame = vec![0u8; 42];
        frame.extend(&payload);
        let f = fields(&payload, 42).unwrap();
        assert_eq!((f.label.as_str(), f.value.as_str()), ("DHCP", "DISCOVER"));
        assert_eq!(f.range, 42..frame.len());
        let at = |label: &str| {
            let x = f.find(label).unwrap();
            (x.value.clone(), &frame[x.range.clone()])
        };
        assert_eq!(at("Message op"), ("1 (request)".into(), &[1u8][..]));
        assert_eq!(at("Hardware type"), ("1".into(), &[1u8][..]));
        assert_eq!(
            at("Transaction ID"),
            ("0x00001234".into(), &[0u8, 0, 0x12, 0x34][..])
        );
        assert_eq!(
            at("Client MAC address"),
            ("02:00:00:00:00:07".into(), &[2u8, 0, 0, 0, 0, 7][..])
        );
        assert_eq!(
            at("Magic cookie"),
            ("DHCP".into(), &[99u8, 130, 83, 99][..])
        );
        let opts = f.find("Options").unwrap();
        let labels: Vec<&str> = opts.children.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Option 53: DHCP message type",
                "Option 51: IP address lease time",
                "Option 50: Requested IP address",
                "End"
            ]
        );
        let t = &opts.children[0];
        assert_eq!(t.value, "1 (DISCOVER)");
        assert_eq!(t.range, 282..285);
        assert_eq!(&frame[t.range.clone()], &[53, 1, 1]);
        assert_eq!(&frame[t.children[0].range.clone()], &[53]);
        assert_eq!(t.children[1].value, "1");
        assert_eq!(&frame[t.children[1].range.clone()], &[1]);
        let lease = &opts.children[1];
        assert_eq!(lease.value, "3600 s");
        assert_eq!(&frame[lease.range.clone()], &[51, 4, 0, 0, 0x0e, 0x10]);
        assert_eq!(opts.children[2].value, "192.168.1.10");
        let end = &opts.children[3];
        assert_eq!(&frame[end.range.clone()], &[255]);
        // Cut anywhere: no panic, ranges inside; no cookie, no tree.
        for n in 0..payload.len() {
            if let Some(f) = fields(&payload[..n], 42) {
                for x in f.walk() {
                    assert!(
                        x.range.start <= x.range.end && x.range.end <= 42 + n,
                        "{x:?}"
                    );
                }
            }
        }
        assert!(fields(&payload[..239], 42).is_none());
        assert!(is_dhcp_port(68, 67) && !is_dhcp_port(53, 49152));
    }
}
