//! Packets, configurations and checks shared by the NAT tests.

use std::net::Ipv4Addr;

use smoltcp::wire::{Icmpv4Packet, IpAddress, IpProtocol, Ipv4Packet, TcpPacket, UdpPacket};

use super::*;
use crate::firewall::{AclConfig, ConfigMode, PacketInfo, Transport};
use crate::net::packet::{icmp_echo, ipv4, udp as udp_payload};
use crate::tcp::{Control, Segment};

pub const GI0: usize = 0; // inside
pub const GI1: usize = 1; // outside
pub const PC1: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 10);
pub const PC2: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 11);
pub const WEB: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 80);
pub const OUT_IF: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 1);
pub const SERVER: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 7);
pub const ISP: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 2);

/// Access list 1 permits 192.168.1.0/24; Gi0/0 192.168.1.1, Gi0/1 203.0.113.1.
pub struct TestEnv {
    pub acls: AclConfig,
    pub addrs: Vec<Option<Ipv4Addr>>,
}

impl TestEnv {
    pub fn new() -> Self {
        let mut acls = AclConfig::default();
        acls.apply_line(
            &mut ConfigMode::Global,
            "access-list 1 permit 192.168.1.0 0.0.0.255",
        )
        .unwrap();
        TestEnv {
            acls,
            addrs: vec![Some(Ipv4Addr::new(192, 168, 1, 1)), Some(OUT_IF)],
        }
    }

    pub fn env(&self) -> RouterEnv<'_> {
        RouterEnv {
            acls: &self.acls,
            interface_addrs: &self.addrs,
        }
    }
}

pub fn base() -> NatConfig {
    NatConfig {
        inside: vec![GI0],
        outside: vec![GI1],
        ..Default::default()
    }
}

/// `ip nat inside source list 1 interface Gi0/1 overload`.
pub fn pat() -> NatConfig {
    NatConfig {
        dynamic: vec![DynamicNat {
            acl: "1".into(),
            target: NatTarget::Interface(GI1),
            overload: true,
        }],
        ..base()
    }
}

/// `ip nat pool PUB 203.0.113.10 203.0.113.11 netmask 255.255.255.0` and
/// `ip nat inside source list 1 pool PUB`.
pub fn pool(overload: bool) -> NatConfig {
    NatConfig {
        pools: vec![NatPool::new(
            "PUB",
            Ipv4Addr::new(203, 0, 113, 10),
            Ipv4Addr::new(203, 0, 113, 11),
            24,
        )],
        dynamic: vec![DynamicNat {
            acl: "1".into(),
            target: NatTarget::Pool("PUB".into()),
            overload,
        }],
        ..base()
    }
}

pub fn tcp(
    src: Ipv4Addr,
    sport: u16,
    dst: Ipv4Addr,
    dport: u16,
    control: Control,
    ack: bool,
) -> Vec<u8> {
    let seg = Segment {
        src_port: sport,
        dst_port: dport,
        seq: 1000,
        ack: ack.then_some(5000),
        control,
        psh: false,
        window: 64_000,
        mss: None,
        window_scale: None,
        payload: b"hello".to_vec(),
    };
    ipv4(src, dst, IpProtocol::Tcp, 64, 7, &seg.emit(src, dst))
}

pub fn udp(src: Ipv4Addr, sport: u16, dst: Ipv4Addr, dport: u16) -> Vec<u8> {
    ipv4(
        src,
        dst,
        IpProtocol::Udp,
        64,
        8,
        &udp_payload(src, dst, sport, dport, b"query"),
    )
}

pub fn ping(src: Ipv4Addr, dst: Ipv4Addr, id: u16, reply: bool) -> Vec<u8> {
    ipv4(
        src,
        dst,
        IpProtocol::Icmp,
        64,
        9,
        &icmp_echo(reply, id, 1, b"abcdefgh"),
    )
}

/// Source and destination as "addr:port" (ICMP echo: the id).
pub fn ends(pkt: &[u8]) -> (Endpoint, Endpoint) {
    let p = PacketInfo::parse_ipv4(pkt).unwrap();
    let (s, d) = match p.transport {
        Transport::Tcp {
            src_port, dst_port, ..
        }
        | Transport::Udp { src_port, dst_port } => (src_port, dst_port),
        Transport::Icmp { ident, .. } => (ident, ident),
        Transport::Other(_) => (0, 0),
    };
    (Endpoint::new(p.src, s), Endpoint::new(p.dst, d))
}

/// Asserts every checksum of an IPv4 packet verifies (smoltcp's checks),
/// and, in an ICMP error quoting a whole packet, the quoted one's too.
pub fn assert_checksums(pkt: &[u8]) {
    let ip = Ipv4Packet::new_checked(pkt).unwrap();
    assert!(ip.verify_checksum(), "IPv4 header checksum");
    if ip.frag_offset() != 0 || ip.more_frags() {
        return; // a fragment's transport checksum covers the whole datagram
    }
    let (s, d) = (
        IpAddress::Ipv4(ip.src_addr()),
        IpAddress::Ipv4(ip.dst_addr()),
    );
    match ip.next_header() {
        IpProtocol::Tcp => {
            assert!(
                TcpPacket::new_checked(ip.payload())
                    .unwrap()
                    .verify_checksum(&s, &d),
                "TCP checksum"
            )
        }
        IpProtocol::Udp => {
            assert!(
                UdpPacket::new_checked(ip.payload())
                    .unwrap()
                    .verify_checksum(&s, &d),
                "UDP checksum"
            )
        }
        IpProtocol::Icmp => {
            let icmp = Icmpv4Packet::new_checked(ip.payload()).unwrap();
            assert!(icmp.verify_checksum(), "ICMP checksum");
            if matches!(u8::from(icmp.msg_type()), 3 | 11) {
                let quoted = icmp.data();
                if let Ok(q) = Ipv4Packet::new_checked(quoted) {
                    assert_checksums(&quoted[..usize::from(q.total_len())]);
                } else {
                    let q = Ipv4Packet::new_unchecked(quoted);
                    assert!(q.verify_checksum(), "quoted IPv4 header checksum");
                }
            }
        }
        _ => {}
    }
}

/// The quoted packet's source and destination in an ICMP error.
pub fn quoted_ends(pkt: &[u8]) -> (Endpoint, Endpoint) {
    let ip = Ipv4Packet::new_checked(pkt).unwrap();
    let icmp = Icmpv4Packet::new_checked(ip.payload()).unwrap();
    let q = icmp.data();
    let hl = usize::from(q[0] & 15) * 4;
    let addr = |o: usize| Ipv4Addr::new(q[o], q[o + 1], q[o + 2], q[o + 3]);
    let port = |o: usize| u16::from_be_bytes([q[hl + o], q[hl + o + 1]]);
    let (sp, dp) = if q[9] == 1 {
        (port(4), port(4))
    } else {
        (port(0), port(2))
    };
    (Endpoint::new(addr(12), sp), Endpoint::new(addr(16), dp))
}

pub fn ep(addr: Ipv4Addr, port: u16) -> Endpoint {
    Endpoint::new(addr, port)
}

pub fn translated(o: &NatOutcome) -> &Translation {
    o.translation()
        .unwrap_or_else(|| panic!("not translated: {o}"))
}
