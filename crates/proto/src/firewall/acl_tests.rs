//! Transcript tests of router access lists and the IOS command parser.

use std::net::Ipv4Addr;

use super::tests::{OUTSIDE, PC0, SERVER, syn};
use super::*;

fn configure(lines: &[&str]) -> AclConfig {
    let mut c = AclConfig::default();
    let mut mode = ConfigMode::Global;
    for l in lines {
        c.apply_line(&mut mode, l)
            .unwrap_or_else(|e| panic!("{l}: {e}"));
    }
    c
}

#[test]
fn extended_acl_first_match_implicit_deny_and_counters() {
    let mut acl = AclEngine::new(configure(&[
        "access-list 101 permit tcp any host 192.168.1.1 eq www",
        "access-list 101 deny tcp any any eq 110",
        "access-list 101 permit udp any any range 50 60",
        "interface GigabitEthernet0/0",
        " ip access-group 101 in",
        "exit",
    ]));
    let gi = "GigabitEthernet0/0";
    for i in 0..12 {
        let v = acl.check(gi, Direction::In, &syn(OUTSIDE, 40000 + i, SERVER, 80));
        assert_eq!(
            (v.action, v.by.clone()),
            (Action::Allow, MatchedBy::AclEntry(10))
        );
    }
    let v = acl.check(gi, Direction::In, &syn(OUTSIDE, 40000, SERVER, 110));
    assert_eq!(
        (v.action, v.by.clone()),
        (Action::Deny, MatchedBy::AclEntry(20))
    );
    assert_eq!(
        v.note.to_string(),
        "ACL 101 in on GigabitEthernet0/0: 20 deny tcp any any eq pop3"
    );
    assert!(
        acl.check(gi, Direction::In, &PacketInfo::udp(OUTSIDE, 9, SERVER, 53))
            .allowed()
    );
    let v = acl.check(gi, Direction::In, &PacketInfo::icmp(OUTSIDE, SERVER, 8, 1));
    assert_eq!(
        (v.action, v.by.clone()),
        (Action::Deny, MatchedBy::ImplicitDeny)
    );
    assert_eq!(
        v.note.to_string(),
        "ACL 101 in on GigabitEthernet0/0: implicit deny"
    );
    // Not applied outbound, nor on another interface.
    let v = acl.check(gi, Direction::Out, &PacketInfo::icmp(OUTSIDE, SERVER, 8, 1));
    assert_eq!((v.action, v.by), (Action::Allow, MatchedBy::NoAcl));
    assert!(
        acl.check("Gi0/1", Direction::In, &syn(OUTSIDE, 1, SERVER, 110))
            .allowed()
    );
    assert_eq!(
        acl.show_access_lists(),
        "Extended IP access list 101\n    10 permit tcp any host 192.168.1.1 eq www (12 matches)\n    20 deny tcp any any eq pop3 (1 match)\n    30 permit udp any any range 50 60 (1 match)\n"
    );
    acl.clear_counters();
    assert_eq!(acl.matches("101", 10), 0);
}

#[test]
fn standard_acl_wildcard_masks() {
    let mut acl = AclEngine::new(configure(&[
        "access-list 1 deny host 192.168.1.10",
        "access-list 1 permit 192.168.1.77 0.0.0.255",
        // Odd hosts of 10.0.0.0/24: a discontiguous wildcard.
        "access-list 1 permit 10.0.0.1 0.0.0.254",
        "interface Gi0/1",
        "ip access-group 1 out",
    ]));
    let out = |acl: &mut AclEngine, src: Ipv4Addr| {
        acl.check(
            "gi0/1",
            Direction::Out,
            &PacketInfo::icmp(src, OUTSIDE, 8, 1),
        )
        .by
    };
    assert_eq!(out(&mut acl, PC0), MatchedBy::AclEntry(10));
    assert_eq!(
        out(&mut acl, Ipv4Addr::new(192, 168, 1, 200)),
        MatchedBy::AclEntry(20)
    );
    assert_eq!(
        out(&mut acl, Ipv4Addr::new(192, 168, 2, 1)),
        MatchedBy::ImplicitDeny
    );
    assert_eq!(
        out(&mut acl, Ipv4Addr::new(10, 0, 0, 7)),
        MatchedBy::AclEntry(30)
    );
    assert_eq!(
        out(&mut acl, Ipv4Addr::new(10, 0, 0, 8)),
        MatchedBy::ImplicitDeny
    );
    assert_eq!(
        acl.show_access_lists(),
        "Standard IP access list 1\n    10 deny 192.168.1.10 (1 match)\n    20 permit 192.168.1.0, wildcard bits 0.0.0.255 (1 match)\n    30 permit 10.0.0.1, wildcard bits 0.0.0.254 (1 match)\n"
    );
}

#[test]
fn named_lists_sequence_numbers_and_established() {
    let mut acl = AclEngine::new(configure(&[
        "ip access-list extended FROM_OUTSIDE",
        " remark replies to inside clients only",
        " permit tcp any 192.168.1.0/24 established",
        " 5 permit icmp any any echo-reply",
        " 15 deny ip any any log",
        " no 15",
        " exit",
        "interface Gi0/0",
        " ip access-group FROM_OUTSIDE in",
    ]));
    let list = acl.config().list("FROM_OUTSIDE").unwrap();
    assert_eq!(
        list.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [5, 10]
    );
    assert_eq!(list.remarks, ["replies to inside clients only"]);
    let inb = |acl: &mut AclEngine, p: PacketInfo| acl.check("Gi0/0", Direction::In, &p).by;
    let ack = PacketInfo::tcp(SERVER, 80, PC0, 50000, TcpFlags::ACK);
    assert_eq!(inb(&mut acl, ack), MatchedBy::AclEntry(10));
    assert_eq!(
        inb(&mut acl, syn(OUTSIDE, 1, PC0, 22)),
        MatchedBy::ImplicitDeny
    );
    assert_eq!(
        inb(&mut acl, PacketInfo::icmp(OUTSIDE, PC0, 0, 1)),
        MatchedBy::AclEntry(5)
    );
    assert_eq!(
        inb(&mut acl, PacketInfo::icmp(OUTSIDE, PC0, 8, 1)),
        MatchedBy::ImplicitDeny
    );
    assert!(
        acl.show_access_lists()
            .contains("    10 permit tcp any 192.168.1.0 0.0.0.255 established (1 match)\n")
    );
    assert!(
        acl.show_access_lists()
            .contains("    5 permit icmp any any echo-reply (1 match)\n")
    );
}

#[test]
fn port_operators() {
    let mut acl = AclEngine::new(configure(&[
        "access-list 150 deny tcp any any lt 1024",
        "access-list 150 deny udp any gt 60000 any",
        "access-list 150 permit tcp any any neq 8080",
        "interface e0",
        "ip access-group 150 in",
    ]));
    let by = |acl: &mut AclEngine, p: PacketInfo| acl.check("e0", Direction::In, &p).by;
    assert_eq!(
        by(&mut acl, syn(OUTSIDE, 5000, SERVER, 1023)),
        MatchedBy::AclEntry(10)
    );
    assert_eq!(
        by(&mut acl, syn(OUTSIDE, 5000, SERVER, 1024)),
        MatchedBy::AclEntry(30)
    );
    assert_eq!(
        by(&mut acl, syn(OUTSIDE, 5000, SERVER, 8080)),
        MatchedBy::ImplicitDeny
    );
    assert_eq!(
        by(&mut acl, PacketInfo::udp(OUTSIDE, 60001, SERVER, 1)),
        MatchedBy::AclEntry(20)
    );
    assert_eq!(
        by(&mut acl, PacketInfo::udp(OUTSIDE, 60000, SERVER, 1)),
        MatchedBy::ImplicitDeny
    );
}

#[test]
fn undefined_list_lets_everything_through() {
    let mut acl = AclEngine::new(configure(&["interface Gi0/0", "ip access-group 7 in"]));
    let v = acl.check("Gi0/0", Direction::In, &syn(OUTSIDE, 1, SERVER, 23));
    assert!(v.allowed());
    assert_eq!(
        v.note.to_string(),
        "ACL 7 in on Gi0/0 is not defined: everything passes"
    );
    let mut c = acl.config().clone();
    c.apply_line(
        &mut ConfigMode::Interface("Gi0/0".into()),
        "no ip access-group 7 in",
    )
    .unwrap();
    assert!(c.bindings.is_empty());
}

#[test]
fn ios_parser_errors_name_the_problem() {
    let err = |line: &str| {
        let mut mode = ConfigMode::Global;
        AclConfig::default()
            .apply_line(&mut mode, line)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("access-list 300 permit any"),
        "access list number 300 is out of range: 1-99 and 1300-1999 are standard, 100-199 and 2000-2699 extended"
    );
    assert_eq!(
        err("access-list 101 allow ip any any"),
        "expected permit, deny or remark, found \"allow\""
    );
    assert_eq!(
        err("access-list 101 permit tpc any any"),
        "unknown protocol \"tpc\": use ip, icmp, tcp, udp or a number 0-255"
    );
    assert_eq!(
        err("access-list 10 permit tcp any any"),
        "standard access lists match only a source address, found \"tcp\": use an extended list (100-199)"
    );
    assert_eq!(
        err("access-list 101 permit ip 192.168.1.256 0.0.0.255 any"),
        "\"192.168.1.256\" is not an IPv4 address"
    );
    assert_eq!(
        err("access-list 101 permit ip 192.168.1.0 0.0.0.x any"),
        "\"0.0.0.x\" is not a wildcard mask (like 0.0.0.255)"
    );
    assert_eq!(
        err("access-list 101 permit ip 192.168.1.0 any"),
        "missing wildcard mask after the address (or use host A.B.C.D)"
    );
    assert_eq!(err("access-list 101 permit tcp any any eq"), "missing port");
    assert_eq!(
        err("access-list 101 permit tcp any any eq htp"),
        "\"htp\" is not a port number (0-65535) or a known tcp port name"
    );
    assert_eq!(
        err("access-list 101 permit tcp any any eq 70000"),
        "\"70000\" is not a port number (0-65535) or a known tcp port name"
    );
    assert_eq!(
        err("access-list 101 permit ip any any eq 80"),
        "port operators (eq, neq, lt, gt, range) apply only to tcp and udp"
    );
    assert_eq!(
        err("access-list 101 permit tcp any any range 200 100"),
        "range 200 100: the first port must not be above the second"
    );
    assert_eq!(
        err("access-list 101 permit udp any any established"),
        "established applies only to tcp"
    );
    assert_eq!(
        err("access-list 101 permit ip any any foo"),
        "unexpected \"foo\" at the end of the line"
    );
    assert_eq!(
        err("access-list 101 permit tcp any"),
        "missing destination address"
    );
    assert_eq!(
        err("access-list 101 permit ip 10.0.0.0/33 any"),
        "prefix \"10.0.0.0/33\" is not valid: the length must be 0-32"
    );
    assert_eq!(
        err("ip access-group 101 in"),
        "ip access-group is only valid in interface configuration mode"
    );
    assert_eq!(
        err("ip access-list extended 10"),
        "list 10 is a standard list"
    );
    assert_eq!(
        err("acces-list 1 permit any"),
        "unknown command \"acces-list\""
    );
    assert_eq!(err(""), "empty line");
    let mut mode = ConfigMode::Interface("Gi0/0".into());
    assert_eq!(
        AclConfig::default()
            .apply_line(&mut mode, "ip access-group 101 sideways")
            .unwrap_err()
            .to_string(),
        "expected in or out, found \"sideways\""
    );
    let mut c = configure(&["ip access-list standard A", "10 permit any"]);
    let mut mode = ConfigMode::NamedList("A".into(), AclKind::Standard);
    assert_eq!(
        c.apply_line(&mut mode, "10 deny any")
            .unwrap_err()
            .to_string(),
        "sequence number 10 is already used in list A"
    );
    assert_eq!(
        c.apply_line(&mut ConfigMode::Global, "ip access-list extended A")
            .unwrap_err()
            .to_string(),
        "list A is a standard list"
    );
}

#[test]
fn parsed_entries_print_back_as_ios() {
    let c = configure(&[
        "access-list 110 permit tcp 192.168.1.0 0.0.0.255 eq 1024 host 10.0.0.1 range ftp-data ftp",
        "access-list 110 deny udp any any eq domain log",
        "access-list 110 permit 47 any any",
        "access-list 110 permit icmp any any 3",
    ]);
    let lines: Vec<String> = c.lists[0].entries.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        lines,
        [
            "permit tcp 192.168.1.0 0.0.0.255 eq 1024 host 10.0.0.1 range ftp-data ftp",
            "deny udp any any eq domain",
            "permit 47 any any",
            "permit icmp any any unreachable",
        ]
    );
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn acl_parser_never_panics(line in "\\PC{0,80}") {
            let mut c = AclConfig::default();
            for mode in [
                ConfigMode::Global,
                ConfigMode::Interface("Gi0/0".into()),
                ConfigMode::NamedList("X".into(), AclKind::Extended),
                ConfigMode::NamedList("Y".into(), AclKind::Standard),
            ] {
                let mut m = mode;
                let _ = c.apply_line(&mut m, &line);
            }
        }

        #[test]
        fn acl_like_lines_never_panic(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("access-list".to_string()), Just("101".to_string()), Just("10".to_string()),
                    Just("permit".to_string()), Just("deny".to_string()), Just("tcp".to_string()),
                    Just("udp".to_string()), Just("icmp".to_string()), Just("any".to_string()),
                    Just("host".to_string()), Just("eq".to_string()), Just("range".to_string()),
                    Just("established".to_string()), Just("1.2.3.4".to_string()), Just("0.0.0.255".to_string()),
                    Just("10.0.0.0/8".to_string()), "[0-9]{1,6}", "[a-z./0-9-]{1,8}",
                ],
                0..12,
            )
        ) {
            let line = words.join(" ");
            let mut c = AclConfig::default();
            let mut m = ConfigMode::Global;
            if c.apply_line(&mut m, &line).is_ok() {
                let e = AclEngine::new(c);
                let _ = e.show_access_lists();
            }
        }
    }
}

#[test]
fn global_commands_leave_sub_modes() {
    let mut c = AclConfig::default();
    let mut mode = ConfigMode::Global;
    c.apply_line(&mut mode, "ip access-list standard INSIDE")
        .unwrap();
    assert_eq!(
        mode,
        ConfigMode::NamedList("INSIDE".into(), AclKind::Standard)
    );
    c.apply_line(&mut mode, "permit 192.168.1.0/24").unwrap();
    c.apply_line(&mut mode, "access-list 5 permit any").unwrap();
    assert_eq!(mode, ConfigMode::Global);
    c.apply_line(&mut mode, "interface Gi0/0").unwrap();
    c.apply_line(&mut mode, "no access-list 5").unwrap();
    assert_eq!(mode, ConfigMode::Global);
    assert_eq!(c.lists.len(), 1);
    assert_eq!(
        c.lists[0].entries[0].to_string(),
        "permit 192.168.1.0, wildcard bits 0.0.0.255"
    );
}
