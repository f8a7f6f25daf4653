//! Transcript tests of the host firewall and of reading packets off the wire.

use std::net::Ipv4Addr;

use super::*;
use crate::SimTime;

pub(super) const SERVER: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 1);
pub(super) const PC0: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 10);
pub(super) const OUTSIDE: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 5);

fn t(s: u64) -> SimTime {
    SimTime::from_secs(s)
}

pub(super) fn syn(src: Ipv4Addr, sport: u16, dst: Ipv4Addr, dport: u16) -> PacketInfo {
    PacketInfo::tcp(src, sport, dst, dport, TcpFlags::SYN)
}

fn server_firewall(rules: Vec<HostRule>) -> HostFirewall {
    HostFirewall::new(
        "Server0",
        HostFirewallConfig {
            enabled: true,
            rules,
            ..Default::default()
        },
    )
}

#[test]
fn off_allows_everything() {
    let mut fw = HostFirewall::new("PC0", HostFirewallConfig::default());
    let v = fw.decide(t(0), &syn(OUTSIDE, 4000, PC0, 23), Direction::In);
    assert_eq!((v.action, v.by), (Action::Allow, MatchedBy::Disabled));
    assert_eq!(v.note.to_string(), "firewall on PC0 is off");
}

#[test]
fn s7_blocking_pop3_on_the_server_first_match_wins() {
    let mut fw = server_firewall(vec![
        HostRule::inbound(
            Action::Allow,
            RuleProtocol::Tcp,
            Some("192.168.1.10/32".parse().unwrap()),
            None,
        ),
        HostRule::inbound(
            Action::Deny,
            RuleProtocol::Tcp,
            None,
            Some(PortRange::single(110)),
        ),
    ]);
    // PC0 is allowed by rule 1 before rule 2 is reached.
    let v = fw.decide(t(0), &syn(PC0, 50000, SERVER, 110), Direction::In);
    assert_eq!(
        (v.action, v.by.clone()),
        (Action::Allow, MatchedBy::Rule(0))
    );
    assert_eq!(
        v.note.to_string(),
        "firewall on Server0: rule 1 allow tcp 192.168.1.10/32"
    );
    // PC1 hits rule 2.
    let pc1 = Ipv4Addr::new(192, 168, 1, 11);
    let v = fw.decide(t(0), &syn(pc1, 50001, SERVER, 110), Direction::In);
    assert_eq!((v.action, v.by.clone()), (Action::Deny, MatchedBy::Rule(1)));
    assert_eq!(
        v.note.to_string(),
        "firewall on Server0: rule 2 deny tcp any → port 110"
    );
    // SMTP still works: the default inbound policy allows it.
    let v = fw.decide(t(0), &syn(pc1, 50002, SERVER, 25), Direction::In);
    assert_eq!(
        (v.action, v.by.clone()),
        (Action::Allow, MatchedBy::Default)
    );
    assert_eq!(
        v.note.to_string(),
        "firewall on Server0: no rule matches, default inbound policy allow"
    );
}

#[test]
fn port_ranges_protocols_and_networks() {
    let mut fw = server_firewall(vec![
        HostRule::inbound(
            Action::Allow,
            RuleProtocol::Udp,
            None,
            Some(PortRange::new(5100, 5000)),
        ),
        HostRule::inbound(
            Action::Allow,
            RuleProtocol::Icmp,
            Some("192.168.1.0/24".parse().unwrap()),
            None,
        ),
    ]);
    fw.set_config(HostFirewallConfig {
        default_inbound: Action::Deny,
        ..fw.config().clone()
    });
    let udp = |p| PacketInfo::udp(OUTSIDE, 40000, SERVER, p);
    assert!(fw.decide(t(0), &udp(5000), Direction::In).allowed());
    assert!(fw.decide(t(0), &udp(5100), Direction::In).allowed());
    assert!(!fw.decide(t(0), &udp(5101), Direction::In).allowed());
    assert!(
        !fw.decide(t(0), &syn(OUTSIDE, 40000, SERVER, 5050), Direction::In)
            .allowed()
    );
    assert!(
        fw.decide(t(0), &PacketInfo::icmp(PC0, SERVER, 8, 1), Direction::In)
            .allowed()
    );
    let v = fw.decide(
        t(0),
        &PacketInfo::icmp(OUTSIDE, SERVER, 8, 1),
        Direction::In,
    );
    assert_eq!(
        v.note.to_string(),
        "firewall on Server0: no rule matches, default inbound policy deny"
    );
    assert_eq!(
        fw.config().rules[0].to_string(),
        "allow udp any → ports 5000-5100"
    );
}

#[test]
fn stateful_replies_pass_and_expire() {
    let mut fw = HostFirewall::new(
        "PC0",
        HostFirewallConfig {
            enabled: true,
            default_inbound: Action::Deny,
            ..Default::default()
        },
    );
    // PC0 opens a web connection: outbound allowed by default, tracked.
    assert!(
        fw.decide(t(0), &syn(PC0, 49152, SERVER, 80), Direction::Out)
            .allowed()
    );
    let reply = PacketInfo::tcp(SERVER, 80, PC0, 49152, TcpFlags::SYN_ACK);
    let v = fw.decide(t(1), &reply, Direction::In);
    assert_eq!(
        (v.action, v.by.clone()),
        (Action::Allow, MatchedBy::Stateful)
    );
    assert_eq!(
        v.note.to_string(),
        "firewall on PC0: part of an allowed connection, allow"
    );
    // An unsolicited connection to PC0 is dropped by the default policy.
    assert!(
        !fw.decide(t(1), &syn(SERVER, 80, PC0, 49153), Direction::In)
            .allowed()
    );
    // Ping out, echo reply in; an unsolicited echo request is dropped.
    assert!(
        fw.decide(t(2), &PacketInfo::icmp(PC0, SERVER, 8, 7), Direction::Out)
            .allowed()
    );
    assert!(
        fw.decide(t(2), &PacketInfo::icmp(SERVER, PC0, 0, 7), Direction::In)
            .allowed()
    );
    assert!(
        !fw.decide(t(2), &PacketInfo::icmp(SERVER, PC0, 0, 8), Direction::In)
            .allowed()
    );
    assert!(
        !fw.decide(t(2), &PacketInfo::icmp(SERVER, PC0, 8, 7), Direction::In)
            .allowed()
    );
    // DNS: the answer passes while the flow is fresh, not after UDP_IDLE.
    assert!(
        fw.decide(
            t(3),
            &PacketInfo::udp(PC0, 53000, SERVER, 53),
            Direction::Out
        )
        .allowed()
    );
    assert!(
        fw.decide(
            t(4),
            &PacketInfo::udp(SERVER, 53, PC0, 53000),
            Direction::In
        )
        .allowed()
    );
    assert_eq!(fw.poll_timeout(), Some(t(2) + ICMP_IDLE));
    fw.handle_timeout(t(200));
    assert!(
        !fw.decide(
            t(200),
            &PacketInfo::udp(SERVER, 53, PC0, 53000),
            Direction::In
        )
        .allowed()
    );
    // A FIN shortens the TCP entry's life.
    assert!(fw.decide(t(250), &reply, Direction::In).allowed());
    let fin = PacketInfo::tcp(
        PC0,
        49152,
        SERVER,
        80,
        TcpFlags {
            fin: true,
            ack: true,
            ..Default::default()
        },
    );
    assert!(fw.decide(t(251), &fin, Direction::Out).allowed());
    assert_eq!(fw.poll_timeout(), Some(t(251) + TCP_CLOSING));
    assert!(!fw.decide(t(262), &reply, Direction::In).allowed());
}

#[test]
fn server_side_state_lets_replies_out_under_default_deny_outbound() {
    let mut fw = server_firewall(vec![HostRule::inbound(
        Action::Allow,
        RuleProtocol::Tcp,
        None,
        Some(PortRange::single(80)),
    )]);
    fw.set_config(HostFirewallConfig {
        default_inbound: Action::Deny,
        default_outbound: Action::Deny,
        ..fw.config().clone()
    });
    assert!(
        fw.decide(t(0), &syn(PC0, 50000, SERVER, 80), Direction::In)
            .allowed()
    );
    let synack = PacketInfo::tcp(SERVER, 80, PC0, 50000, TcpFlags::SYN_ACK);
    assert_eq!(
        fw.decide(t(0), &synack, Direction::Out).by,
        MatchedBy::Stateful
    );
    assert!(
        !fw.decide(t(0), &syn(SERVER, 1234, OUTSIDE, 25), Direction::Out)
            .allowed()
    );
}

#[test]
fn flow_table_is_bounded() {
    let mut fw = HostFirewall::new(
        "PC0",
        HostFirewallConfig {
            enabled: true,
            ..Default::default()
        },
    );
    for i in 0..(MAX_FLOWS as u16 + 50) {
        fw.decide(
            t(0),
            &PacketInfo::udp(PC0, 1000 + i, SERVER, 53),
            Direction::Out,
        );
    }
    assert_eq!(fw.flows().count(), MAX_FLOWS);
}

fn ipv4(proto: u8, transport: &[u8]) -> Vec<u8> {
    let total = (20 + transport.len()) as u16;
    let mut p = vec![
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0,
        1,
        0,
        0,
        64,
        proto,
        0,
        0,
    ];
    p.extend_from_slice(&PC0.octets());
    p.extend_from_slice(&SERVER.octets());
    p.extend_from_slice(transport);
    p
}

#[test]
fn packet_info_from_wire_bytes() {
    // TCP 49152 → 110, SYN, data offset 5.
    let mut tcp = vec![
        0xC0, 0x00, 0x00, 110, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
    ];
    let p = PacketInfo::parse_ipv4(&ipv4(6, &tcp)).unwrap();
    assert_eq!(p, syn(PC0, 49152, SERVER, 110));
    assert_eq!(p.to_string(), "TCP 192.168.1.10:49152 → 192.168.1.1:110");
    tcp.truncate(10);
    assert_eq!(
        PacketInfo::parse_ipv4(&ipv4(6, &tcp)),
        Err(PacketError::Truncated("TCP"))
    );
    let udp = [0xD0, 0x00, 0, 53, 0, 8, 0, 0];
    assert_eq!(
        PacketInfo::parse_ipv4(&ipv4(17, &udp)).unwrap(),
        PacketInfo::udp(PC0, 53248, SERVER, 53)
    );
    let echo = [8, 0, 0, 0, 0, 7, 0, 1];
    assert_eq!(
        PacketInfo::parse_ipv4(&ipv4(1, &echo)).unwrap(),
        PacketInfo::icmp(PC0, SERVER, 8, 7)
    );
    assert_eq!(
        PacketInfo::parse_ipv4(&ipv4(47, &[])).unwrap().transport,
        Transport::Other(47)
    );
    assert_eq!(
        PacketInfo::parse_ipv4(&[0x45, 0]),
        Err(PacketError::BadIpv4)
    );
}

proptest::proptest! {
    #[test]
    fn packet_parser_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80)) {
        let _ = PacketInfo::parse_ipv4(&bytes);
        let mut b = bytes.clone();
        if b.len() >= 20 {
            b[0] = 0x45;
            let _ = PacketInfo::parse_ipv4(&b);
        }
    }
}

#[test]
fn a_reject_rule_blocks_and_reads_back_from_the_document() {
    let mut fw = server_firewall(vec![HostRule::inbound(
        Action::Reject,
        RuleProtocol::Tcp,
        None,
        Some(PortRange::single(80)),
    )]);
    let v = fw.decide(t(1), &syn(PC0, 49152, SERVER, 80), Direction::In);
    assert_eq!(v.action, Action::Reject);
    assert!(!v.allowed());
    assert_eq!(
        v.note.to_string(),
        "firewall on Server0: rule 1 reject tcp any → port 80"
    );
    // A rejected SYN opens no flow: the retry is rejected again.
    let v = fw.decide(t(2), &syn(PC0, 49152, SERVER, 80), Direction::In);
    assert_eq!(v.by, MatchedBy::Rule(0));

    // The document spells it "reject"; old documents with "deny" still load.
    let json = serde_json::to_string(&fw.config().rules[0]).unwrap();
    assert!(json.contains("\"action\":\"reject\""), "{json}");
    let old: HostRule = serde_json::from_str(
        r#"{"action":"deny","protocol":"tcp","ports":{"first":80,"last":80}}"#,
    )
    .unwrap();
    assert_eq!(old.action, Action::Deny);
    assert_eq!(old.direction, Direction::In);
    let back: HostRule = serde_json::from_str(&json).unwrap();
    assert_eq!(back, fw.config().rules[0]);
}
