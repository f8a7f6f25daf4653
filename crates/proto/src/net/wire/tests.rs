//! Each header's field tree on a real frame: labels, values and the exact
//! bytes each field covers (absolute offsets into the frame).

use std::net::Ipv4Addr;

use smoltcp::wire::{
    ArpOperation, ArpPacket, EthernetAddress, EthernetFrame, EthernetProtocol, Icmpv4Packet,
    IpProtocol, Ipv4Packet, TcpPacket, UdpPacket,
};

use super::*;
use crate::fields::Field;
use crate::net::packet;

const A: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
const B: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);
const M: EthernetAddress = EthernetAddress([2, 0, 0, 0, 0, 1]);

/// Label, value and covered bytes of each child.
fn rows<'a>(f: &Field, frame: &'a [u8]) -> Vec<(String, String, &'a [u8])> {
    f.children
        .iter()
        .map(|c| (c.label.clone(), c.value.clone(), &frame[c.range.clone()]))
        .collect()
}

fn row<'a>(label: &str, value: &str, bytes: &'a [u8]) -> (String, String, &'a [u8]) {
    (label.to_string(), value.to_string(), bytes)
}

/// A TCP segment 49152 → 25, PSH+ACK, carrying `data`, in a whole frame.
fn tcp_frame(data: &[u8]) -> Vec<u8> {
    let mut seg = vec![
        0xc0, 0x00, 0x00, 25, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x18, 0xff, 0xff, 0x12, 0x34, 0, 0,
    ];
    seg.extend(data);
    let ip = packet::ipv4(A, B, IpProtocol::Tcp, 64, 7, &seg);
    packet::ethernet(M, M, EthernetProtocol::Ipv4, &ip)
}

#[test]
fn ethernet_and_arp_fields() {
    let arp = packet::arp(ArpOperation::Request, M, A, EthernetAddress([0; 6]), B);
    let f = packet::ethernet(M, EthernetAddress::BROADCAST, EthernetProtocol::Arp, &arp);
    let eth = ethernet::fields(&f, 0).unwrap();
    assert_eq!(eth.label, "Ethernet II");
    assert_eq!(eth.value, "02:00:00:00:00:01 → ff:ff:ff:ff:ff:ff");
    assert_eq!(eth.range, 0..14);
    assert_eq!(
        rows(&eth, &f),
        [
            row("Destination", "ff:ff:ff:ff:ff:ff (broadcast)", &[0xff; 6]),
            row("Source", "02:00:00:00:00:01", &[2, 0, 0, 0, 0, 1]),
            row("Type", "0x0806 (ARP)", &[8, 6]),
        ]
    );
    assert_eq!(
        ethernet::summary(&EthernetFrame::new_checked(&f[..]).unwrap()),
        "Ethernet 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ARP, length 42"
    );
    let a = arp::fields(&f[14..], 14).unwrap();
    assert_eq!(
        (a.label.as_str(), a.value.as_str(), a.range.clone()),
        ("ARP", "request", 14..42)
    );
    assert_eq!(
        rows(&a, &f),
        [
            row("Hardware type", "1", &[0, 1]),
            row("Protocol type", "0x0800", &[8, 0]),
            row("Hardware size", "6", &[6]),
            row("Protocol size", "4", &[4]),
            row("Opcode", "1 (request)", &[0, 1]),
            row(
                "Sender MAC address",
                "02:00:00:00:00:01",
                &[2, 0, 0, 0, 0, 1]
            ),
            row("Sender IP address", "10.0.0.1", &[10, 0, 0, 1]),
            row("Target MAC address", "00:00:00:00:00:00", &[0; 6]),
            row("Target IP address", "10.0.0.2", &[10, 0, 0, 2]),
        ]
    );
    let p = ArpPacket::new_checked(&f[14..]).unwrap();
    assert_eq!(
        arp::summary(&p).unwrap(),
        "ARP who-has 10.0.0.2 tell 10.0.0.1"
    );
    assert!(ethernet::fields(&f[..13], 0).is_none());
    assert!(arp::fields(&f[14..41], 14).is_none());
}

#[test]
fn ipv4_and_icmp_fields() {
    let icmp = packet::icmp_echo(false, 1, 2, &[0; 32]);
    let ip = packet::ipv4(A, B, IpProtocol::Icmp, 128, 5, &icmp);
    let f = packet::ethernet(M, M, EthernetProtocol::Ipv4, &ip);
    let h = ipv4::fields(&f[14..], 14).unwrap();
    assert_eq!(
        (h.value.as_str(), h.range.clone()),
        ("10.0.0.1 → 10.0.0.2", 14..74)
    );
    let checksum = format!("0x{:02x}{:02x}", f[24], f[25]);
    assert_eq!(
        rows(&h, &f),
        [
            row("Version", "4", &[0x45]),
            row("Header length", "20 bytes", &[0x45]),
            row("Differentiated services", "0x00", &[0]),
            row("Total length", "60", &[0, 60]),
            row("Identification", "0x0005 (5)", &[0, 5]),
            row("Flags", "0x0 ", &[0, 0]),
            row("Fragment offset", "0", &[0, 0]),
            row("Time to live", "128", &[128]),
            row("Protocol", "1 (ICMP)", &[1]),
            row("Header checksum", &checksum, &f[24..26]),
            row("Source address", "10.0.0.1", &[10, 0, 0, 1]),
            row("Destination address", "10.0.0.2", &[10, 0, 0, 2]),
        ]
    );
    assert_eq!(
        ipv4::summary(&Ipv4Packet::new_checked(&f[14..]).unwrap()),
        "IP 10.0.0.1 > 10.0.0.2: ttl 128, id 5, ICMP, length 60"
    );
    let i = icmp::fields(&f[34..], 34).unwrap();
    assert_eq!(
        (i.value.as_str(), i.range.clone()),
        ("echo request", 34..74)
    );
    let checksum = format!("0x{:02x}{:02x}", f[36], f[37]);
    assert_eq!(
        rows(&i, &f),
        [
            row("Type", "8 (echo request)", &[8]),
            row("Code", "0", &[0]),
            row("Checksum", &checksum, &f[36..38]),
            row("Identifier", "1", &[0, 1]),
            row("Sequence number", "2", &[0, 2]),
            row("Data", "32 bytes", &[0; 32]),
        ]
    );
    assert_eq!(
        icmp::summary(&Icmpv4Packet::new_checked(&f[34..]).unwrap()),
        "ICMP echo request, id 1, seq 2, length 40"
    );
    // A capture cut inside the payload still shows the header.
    assert_eq!(ipv4::fields(&f[14..40], 14).unwrap().range, 14..40);
    assert!(ipv4::fields(&f[14..33], 14).is_none());
    assert!(icmp::fields(&f[34..37], 34).is_none());
}

#[test]
fn udp_fields() {
    let u = packet::udp(A, B, 49152, 53, b"hello");
    let ip = packet::ipv4(A, B, IpProtocol::Udp, 64, 1, &u);
    let f = packet::ethernet(M, M, EthernetProtocol::Ipv4, &ip);
    let h = udp::fields(&f[34..], 34).unwrap();
    assert_eq!((h.label.as_str(), h.value.as_str()), ("UDP", "49152 → 53"));
    assert_eq!(h.range, 34..47);
    let checksum = format!("0x{:02x}{:02x}", f[40], f[41]);
    assert_eq!(
        rows(&h, &f),
        [
            row("Source port", "49152", &[0xc0, 0]),
            row("Destination port", "53 (DNS)", &[0, 53]),
            row("Length", "13", &[0, 13]),
            row("Checksum", &checksum, &f[40..42]),
        ]
    );
    assert_eq!(
        udp::summary(&UdpPacket::new_checked(&f[34..]).unwrap()),
        "UDP 49152 > 53, length 5"
    );
    assert!(udp::fields(&f[34..41], 34).is_none());
}

#[test]
fn tcp_fields() {
    let f = tcp_frame(b"EHLO pc1\r\n");
    let h = tcp::fields(&f[34..], 34).unwrap();
    assert_eq!(h.value, "49152 → 25 [ACK, PSH]");
    assert_eq!(h.range, 34..64);
    assert_eq!(
        rows(&h, &f),
        [
            row("Source port", "49152", &[0xc0, 0]),
            row("Destination port", "25 (SMTP)", &[0, 25]),
            row("Sequence number", "1", &[0, 0, 0, 1]),
            row("Acknowledgment number", "2", &[0, 0, 0, 2]),
            row("Header length", "20 bytes", &[0x50]),
            row("Flags", "0x018 ACK, PSH", &[0x50, 0x18]),
            row("Window", "65535", &[0xff, 0xff]),
            row("Checksum", "0x1234", &[0x12, 0x34]),
            row("Urgent pointer", "0", &[0, 0]),
            row("Payload", "10 bytes", b"EHLO pc1\r\n"),
        ]
    );
    assert_eq!(
        tcp::summary(&TcpPacket::new_checked(&f[34..]).unwrap()),
        "TCP 49152 > 25: Flags [P.], seq 1, ack 2, win 65535, length 10"
    );
    assert!(tcp::fields(&f[34..53], 34).is_none());
}

#[test]
fn no_prefix_panics_and_ranges_stay_inside() {
    let f = tcp_frame(b"EHLO pc1\r\n");
    for n in 0..f.len() {
        let b = &f[..n];
        let trees = [
            ethernet::fields(b, 0),
            b.get(14..).and_then(|s| arp::fields(s, 14)),
            b.get(14..).and_then(|s| ipv4::fields(s, 14)),
            b.get(34..).and_then(|s| icmp::fields(s, 34)),
            b.get(34..).and_then(|s| udp::fields(s, 34)),
            b.get(34..).and_then(|s| tcp::fields(s, 34)),
        ];
        for t in trees.iter().flatten() {
            for field in t.walk() {
                assert!(field.range.start <= field.range.end && field.range.end <= n);
            }
        }
    }
}
