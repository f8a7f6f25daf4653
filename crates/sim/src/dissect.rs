//! The PDU inspector's field tree of a whole frame: a thin dispatcher that
//! walks Ethernet → (802.1Q →) ARP or IPv4 → ICMP, UDP or TCP → the application (by
//! well-known port) and asks each format's own module in `lanlab_proto`
//! for its fields ([`lanlab_proto::net::wire`], [`lanlab_proto::dhcp::fields`],
//! [`lanlab_proto::dns::fields`], the mail protocols' and HTTP's `fields`).
//! Every field carries the byte range it came from, so the hex dump can
//! highlight it.
//!
//! A pure function of the bytes; every decoder reads with bounds checks only
//! and the walk stops at the first header that does not fit, so no input
//! makes it panic.

use lanlab_proto::mail::line_fields::{self, Dialect};
use lanlab_proto::net::dot1q;
use lanlab_proto::net::wire::{arp, ethernet, icmp, ipv4, tcp, udp};
use lanlab_proto::{dhcp, dns, http, imap, pop3, smtp};
use smoltcp::wire::{EthernetFrame, EthernetProtocol, IpProtocol, TcpPacket, UdpPacket};

pub use lanlab_proto::fields::Field;

/// Offset of the Ethernet payload.
const ETH_LEN: usize = 14;

/// The headers of an Ethernet frame, outermost first, each with its fields.
pub fn dissect(frame: &[u8]) -> Vec<Field> {
    let mut out = Vec::new();
    let Some(eth) = ethernet::fields(frame, 0) else {
        return out;
    };
    out.push(eth);
    if lanlab_proto::stp::frame::is_bpdu_dst(frame) {
        out.extend(lanlab_proto::stp::frame::fields(frame));
        return out;
    }
    // The Ethernet header fits (14 bytes), so the type can be read.
    let mut rest = &frame[ETH_LEN..];
    let mut at = ETH_LEN;
    let mut ethertype = EthernetFrame::new_unchecked(frame).ethertype();
    if u16::from(ethertype) == dot1q::TPID {
        // An 802.1Q tag: its fields, then what it carries.
        let Some(tag) = dot1q::fields(rest, ETH_LEN) else {
            return out;
        };
        out.push(tag);
        ethertype = dot1q::Packet::new_unchecked(rest).ethertype();
        rest = &rest[dot1q::HEADER_LEN..];
        at += dot1q::HEADER_LEN;
    }
    match ethertype {
        EthernetProtocol::Arp => out.extend(arp::fields(rest, at)),
        EthernetProtocol::Ipv4 => ipv4_fields(rest, at, &mut out),
        _ => {}
    }
    out
}

fn ipv4_fields(bytes: &[u8], o: usize, out: &mut Vec<Field>) {
    let (Some(f), Some((ip, payload))) = (ipv4::fields(bytes, o), ipv4::view(bytes)) else {
        return;
    };
    out.push(f);
    let p = o + payload.start;
    let seg = &bytes[payload];
    match ip.next_header() {
        IpProtocol::Icmp => out.extend(icmp::fields(seg, p)),
        IpProtocol::Udp => udp_fields(seg, p, out),
        IpProtocol::Tcp => tcp_fields(seg, p, out),
        x if u8::from(x) == lanlab_proto::ospf::IP_PROTOCOL => {
            out.extend(lanlab_proto::ospf::fields::fields(seg, p));
        }
        _ => {}
    }
}

fn udp_fields(seg: &[u8], o: usize, out: &mut Vec<Field>) {
    let Some(f) = udp::fields(seg, o) else { return };
    // The 8-byte header fits.
    let u = UdpPacket::new_unchecked(seg);
    let (sp, dp) = (u.src_port(), u.dst_port());
    let data = seg.get(8..f.range.end - o).unwrap_or(&[]);
    out.push(f);
    if dhcp::fields::is_dhcp_port(sp, dp) {
        out.extend(dhcp::fields::fields(data, o + 8));
    } else if sp == 53 || dp == 53 {
        out.extend(dns::fields::fields(data, o + 8));
    } else if sp == lanlab_proto::rip::PORT && dp == lanlab_proto::rip::PORT {
        out.push(lanlab_proto::rip::wire::fields(data, o + 8));
    }
}

fn tcp_fields(seg: &[u8], o: usize, out: &mut Vec<Field>) {
    let Some(f) = tcp::fields(seg, o) else { return };
    // The header fits (checked by `tcp::fields`).
    let t = TcpPacket::new_unchecked(seg);
    let (sp, dp) = (t.src_port(), t.dst_port());
    let hl = usize::from(t.header_len());
    out.push(f);
    let data = seg.get(hl..).unwrap_or(&[]);
    if data.is_empty() {
        return;
    }
    let p = o + hl;
    let from_client = sp > dp;
    let server = if from_client { dp } else { sp };
    let app = match server {
        25 => smtp::fields(data, from_client, p),
        110 => pop3::fields(data, from_client, p),
        143 => imap::fields(data, from_client, p),
        23 => {
            let telnet = Dialect {
                label: "Telnet",
                tagged: false,
            };
            line_fields::fields(telnet, data, from_client, p)
        }
        80 => match http::fields::fields(data, p) {
            Some(f) => f,
            None => return,
        },
        _ => return,
    };
    out.push(app);
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanlab_proto::net::packet;
    use smoltcp::wire::{ArpOperation, EthernetAddress, EthernetProtocol, IpProtocol};
    use std::net::Ipv4Addr;

    fn find<'a>(fs: &'a [Field], label: &str) -> Option<&'a Field> {
        fs.iter().flat_map(Field::walk).find(|f| f.label == label)
    }

    #[test]
    fn tagged_frames_show_their_802_1q_tag() {
        let a = Ipv4Addr::new(10, 0, 0, 1);
        let m = EthernetAddress([2, 0, 0, 0, 0, 1]);
        let arp = packet::arp(
            ArpOperation::Request,
            m,
            a,
            EthernetAddress([0; 6]),
            Ipv4Addr::new(10, 0, 0, 2),
        );
        let frame = packet::ethernet(m, EthernetAddress::BROADCAST, EthernetProtocol::Arp, &arp);
        let tagged = dot1q::tag(&frame, 10).unwrap();
        let fs = dissect(&tagged);
        assert_eq!(fs[1].label, "802.1Q Virtual LAN");
        assert_eq!(fs[1].range, 14..18);
        assert!(fs[0].find("Type").unwrap().value.contains("802.1Q"));
        let sender = find(&fs, "Sender IP address").map(|f| f.range.clone());
        let plain = find(&dissect(&frame), "Sender IP address").map(|f| f.range.clone());
        assert_eq!(sender.map(|r| r.start), plain.map(|r| r.start + 4));
        assert_eq!(
            crate::summary::innermost(&tagged),
            Some(crate::summary::Proto::Arp)
        );
        let line = crate::summary::layers(&tagged)[0].summary.clone();
        assert!(
            line.contains("802.1Q vlan 10, p 0, ethertype ARP"),
            "{line}"
        );
        // Cut inside the tag: the Ethernet header only, no panic.
        assert_eq!(dissect(&tagged[..16]).len(), 1);
    }

    #[test]
    fn arp_fields_have_their_bytes() {
        let a = Ipv4Addr::new(10, 0, 0, 1);
        let m = EthernetAddress([2, 0, 0, 0, 0, 1]);
        let arp = packet::arp(
            ArpOperation::Request,
            m,
            a,
            EthernetAddress([0; 6]),
            Ipv4Addr::new(10, 0, 0, 2),
        );
        let f = packet::ethernet(m, EthernetAddress::BROADCAST, EthernetProtocol::Arp, &arp);
        let tree = dissect(&f);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[1].label, "ARP");
        let tpa = find(&tree, "Target IP address").unwrap();
        assert_eq!(tpa.value, "10.0.0.2");
        assert_eq!(&f[tpa.range.clone()], &[10, 0, 0, 2]);
        assert!(
            find(&tree, "Destination")
                .unwrap()
                .value
                .contains("broadcast")
        );
    }

    #[test]
    fn smtp_command_inside_tcp() {
        let a = Ipv4Addr::new(10, 0, 0, 1);
        let b = Ipv4Addr::new(10, 0, 0, 2);
        let m = EthernetAddress([2, 0, 0, 0, 0, 1]);
        // A hand-made TCP header: 49152 → 25, PSH+ACK, 20 bytes.
        let mut seg = vec![
            0xc0, 0x00, 0x00, 25, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x18, 0xff, 0xff,
        ];
        seg.extend([0, 0, 0, 0]);
        seg.extend(b"EHLO pc1\r\n");
        let ip = packet::ipv4(a, b, IpProtocol::Tcp, 64, 1, &seg);
        let f = packet::ethernet(m, m, EthernetProtocol::Ipv4, &ip);
        let tree = dissect(&f);
        let labels: Vec<&str> = tree.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["Ethernet II", "IPv4", "TCP", "SMTP"]);
        let dport = find(&tree, "Destination port").unwrap();
        assert_eq!(dport.value, "25 (SMTP)");
        assert_eq!(&f[dport.range.clone()], &[0, 25]);
        let cmd = find(&tree, "Command").unwrap();
        assert_eq!(cmd.value, "EHLO pc1");
        assert_eq!(&f[cmd.children[0].range.clone()], b"EHLO");
        assert_eq!(&f[cmd.children[1].range.clone()], b"pc1");
        // Every prefix decodes without panicking, and every range is in bounds.
        for n in 0..f.len() {
            for field in dissect(&f[..n]).iter().flat_map(Field::walk) {
                assert!(
                    field.range.start <= field.range.end && field.range.end <= n,
                    "{field:?}"
                );
            }
        }
    }

    #[test]
    fn ranges_follow_bytes_not_lossy_text() {
        // Found by cargo fuzz: a server line of invalid UTF-8 (each byte
        // becomes a 3-byte replacement character in the text).
        let a = Ipv4Addr::new(10, 0, 0, 1);
        let m = EthernetAddress([2, 0, 0, 0, 0, 1]);
        let mut seg = vec![
            0, 25, 0xc0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x18, 0xff, 0xff,
        ];
        seg.extend([0, 0, 0, 0]);
        seg.extend([0xff; 40]);
        seg.extend(b" \xb7\xb7\r\n");
        let ip = packet::ipv4(a, a, IpProtocol::Tcp, 64, 1, &seg);
        let f = packet::ethernet(m, m, EthernetProtocol::Ipv4, &ip);
        let tree = dissect(&f);
        // The same in an HTTP request line.
        let mut seg2 = vec![
            0xc0, 0, 0, 80, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x18, 0xff, 0xff,
        ];
        seg2.extend([0, 0, 0, 0]);
        seg2.extend(b"GET /\xff\xff\xff HTTP/1.1\r\n\r\n");
        let ip2 = packet::ipv4(a, a, IpProtocol::Tcp, 64, 1, &seg2);
        let f2 = packet::ethernet(m, m, EthernetProtocol::Ipv4, &ip2);
        let tree2 = dissect(&f2);
        let target = find(&tree2, "Target").expect("a request target");
        assert_eq!(&f2[target.range.clone()], b"/\xff\xff\xff");
        let http = std::slice::from_ref(tree2.last().unwrap());
        assert_eq!(
            &f2[find(http, "Version").unwrap().range.clone()],
            b"HTTP/1.1"
        );
        let status = find(&tree, "Status").expect("a reply line");
        assert_eq!(status.range.len(), 40);
        let text = find(&tree, "Text").expect("its text");
        assert_eq!(&f[text.range.clone()], &[0xb7, 0xb7]);
        for field in tree.iter().flat_map(Field::walk) {
            assert!(field.range.end <= f.len(), "{field:?}");
        }
    }

    #[test]
    fn garbage_never_panics_and_ranges_stay_inside() {
        let mut x: u64 = 0x1234_5678;
        for len in 0..600 {
            let mut f = vec![0u8; len];
            for b in &mut f {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
            // Make the headers plausible so the decoder goes deep.
            if len > 40 {
                f[12] = 8;
                f[13] = 0;
                f[14] = 0x45;
                f[23] = [6, 17, 1][len % 3];
                f[16] = (len >> 8) as u8;
                f[17] = len as u8;
            }
            for field in dissect(&f).iter().flat_map(Field::walk) {
                assert!(
                    field.range.start <= field.range.end && field.range.end <= len,
                    "{field:?}"
                );
            }
        }
    }
}
