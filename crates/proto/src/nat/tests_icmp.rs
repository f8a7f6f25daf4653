//! ICMP through NAT: echo identifiers, and errors whose quoted packet is
//! translated back (header, ports and checksums).

use std::net::Ipv4Addr;

use smoltcp::wire::{Icmpv4Packet, IpProtocol};

use super::testutil::*;
use super::*;
use crate::SimTime;
use crate::net::packet::{IcmpError, icmp_error, ipv4};
use crate::tcp::Control;

const T0: SimTime = SimTime::ZERO;

fn out(nat: &mut Nat, env: &TestEnv, pkt: &mut [u8]) -> NatOutcome {
    nat.translate(T0, pkt, GI0, Some(GI1), &env.env())
}

fn inb(nat: &mut Nat, env: &TestEnv, pkt: &mut [u8]) -> NatOutcome {
    nat.translate(T0, pkt, GI1, None, &env.env())
}

/// An ICMP error from `from` to `to` about `original`; `short`: quoting only
/// the header and 8 bytes, as RFC 792 asks.
fn error(kind: IcmpError, from: Ipv4Addr, to: Ipv4Addr, original: &[u8], short: bool) -> Vec<u8> {
    let mut icmp = icmp_error(kind, original).unwrap();
    if short {
        icmp.truncate(8 + 20 + 8);
        Icmpv4Packet::new_unchecked(&mut icmp[..]).fill_checksum();
    }
    ipv4(from, to, IpProtocol::Icmp, 64, 99, &icmp)
}

#[test]
fn echo_ids_are_translated_and_restored() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pat());
    let mut a = ping(PC1, SERVER, 1, false);
    let mut b = ping(PC2, SERVER, 1, false);
    out(&mut nat, &env, &mut a);
    out(&mut nat, &env, &mut b);
    assert_eq!(ends(&a).0, ep(OUT_IF, 1));
    assert_eq!(
        ends(&b).0,
        ep(OUT_IF, 2),
        "the second ping gets the next free id"
    );
    assert_checksums(&a);
    assert_checksums(&b);
    let mut ra = ping(SERVER, OUT_IF, 1, true);
    let mut rb = ping(SERVER, OUT_IF, 2, true);
    inb(&mut nat, &env, &mut ra);
    inb(&mut nat, &env, &mut rb);
    assert_eq!(ends(&ra).1, ep(PC1, 1));
    assert_eq!(ends(&rb).1, ep(PC2, 1));
    assert_checksums(&ra);
    assert_checksums(&rb);
    let show = nat.show_translations(T0, false);
    assert!(
        show.contains(
            "icmp 203.0.113.1:1     192.168.1.10:1     198.51.100.7:1     198.51.100.7:1\n"
        ),
        "{show}"
    );
    assert!(
        show.contains(
            "icmp 203.0.113.1:2     192.168.1.11:1     198.51.100.7:2     198.51.100.7:2\n"
        ),
        "{show}"
    );
}

#[test]
fn ttl_exceeded_about_a_translated_packet_comes_back_translated() {
    let env = TestEnv::new();
    for short in [false, true] {
        let mut nat = Nat::new(pat());
        // PC1 takes port 33000 first, so PC2's port is changed (to 1024).
        let mut first = udp(PC1, 33000, SERVER, 33434);
        out(&mut nat, &env, &mut first);
        let mut probe = udp(PC2, 33000, SERVER, 33434);
        out(&mut nat, &env, &mut probe);
        assert_eq!(ends(&probe).0, ep(OUT_IF, 1024));
        let mut err = error(IcmpError::TtlExceeded, ISP, OUT_IF, &probe, short);
        let o = inb(&mut nat, &env, &mut err);
        let t = translated(&o);
        assert!(t.icmp_error && !t.created);
        assert!(o.to_string().starts_with("ICMP error (quoted packet too): inside global 203.0.113.1:1024 → inside local 192.168.1.11:33000"));
        assert_eq!(ends(&err), (ep(ISP, 0), ep(PC2, 0)));
        assert_eq!(quoted_ends(&err), (ep(PC2, 33000), ep(SERVER, 33434)));
        assert_checksums(&err);
    }
}

#[test]
fn port_unreachable_about_tcp_and_echo() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pat());
    let mut x = tcp(PC2, 40000, SERVER, 81, Control::Syn, false);
    out(&mut nat, &env, &mut x);
    let mut syn = tcp(PC1, 40000, SERVER, 81, Control::Syn, false);
    out(&mut nat, &env, &mut syn);
    let mut err = error(IcmpError::PortUnreachable, SERVER, OUT_IF, &syn, false);
    translated(&inb(&mut nat, &env, &mut err));
    assert_eq!(quoted_ends(&err), (ep(PC1, 40000), ep(SERVER, 81)));
    assert_checksums(&err); // the whole quoted TCP segment verifies
    let mut echo = ping(PC1, SERVER, 1, false);
    out(&mut nat, &env, &mut echo);
    let mut echo2 = ping(PC2, SERVER, 1, false);
    out(&mut nat, &env, &mut echo2);
    let mut err = error(IcmpError::HostUnreachable, ISP, OUT_IF, &echo2, true);
    translated(&inb(&mut nat, &env, &mut err));
    assert_eq!(quoted_ends(&err), (ep(PC2, 1), ep(SERVER, 1)));
    assert_checksums(&err);
}

#[test]
fn an_inside_hosts_error_goes_out_translated() {
    let env = TestEnv::new();
    let global = Ipv4Addr::new(203, 0, 113, 9);
    let mut nat = Nat::new(NatConfig {
        statics: vec![StaticNat::port(NatProtocol::Udp, WEB, 53, global, 5353)],
        ..base()
    });
    let mut q = udp(SERVER, 4000, global, 5353);
    translated(&inb(&mut nat, &env, &mut q));
    assert_eq!(ends(&q).1, ep(WEB, 53));
    // No DNS server listens: the inside host answers port unreachable.
    let mut err = error(IcmpError::PortUnreachable, WEB, SERVER, &q, false);
    let o = out(&mut nat, &env, &mut err);
    assert!(translated(&o).icmp_error);
    assert_eq!(ends(&err), (ep(global, 0), ep(SERVER, 0)));
    assert_eq!(quoted_ends(&err), (ep(SERVER, 4000), ep(global, 5353)));
    assert_checksums(&err);
}

#[test]
fn an_error_about_no_known_flow_is_left_alone() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pat());
    let stray = udp(OUT_IF, 7000, SERVER, 9);
    let mut err = error(IcmpError::PortUnreachable, SERVER, OUT_IF, &stray, false);
    let before = err.clone();
    assert_eq!(
        inb(&mut nat, &env, &mut err),
        NatOutcome::Untranslated(Untranslated::NoEntry {
            destination: OUT_IF
        })
    );
    assert_eq!(err, before);
}

#[test]
fn address_only_entries_carry_other_protocols() {
    let env = TestEnv::new();
    let global = Ipv4Addr::new(203, 0, 113, 5);
    let mut nat = Nat::new(NatConfig {
        statics: vec![StaticNat::address(WEB, global)],
        ..pat()
    });
    // GRE (47) from the static host: address only.
    let mut gre = ipv4(WEB, SERVER, IpProtocol::Unknown(47), 64, 1, &[0; 8]);
    let o = out(&mut nat, &env, &mut gre);
    assert_eq!(translated(&o).protocol, None);
    assert_eq!(
        o.to_string(),
        "NAT: inside local 192.168.1.80 → inside global 203.0.113.5 (static), to 198.51.100.7"
    );
    assert_checksums(&gre);
    let mut back = ipv4(SERVER, global, IpProtocol::Unknown(47), 64, 1, &[0; 8]);
    translated(&inb(&mut nat, &env, &mut back));
    assert_eq!(ends(&back).1.addr, WEB);
    // From a PAT host there is no port to share.
    let mut gre = ipv4(PC1, SERVER, IpProtocol::Unknown(47), 64, 1, &[0; 8]);
    assert_eq!(
        out(&mut nat, &env, &mut gre),
        NatOutcome::Untranslated(Untranslated::Unsupported { protocol: 47 })
    );
}

/// `pkt` cut to its first `keep` payload bytes, marked as a fragment.
fn fragment(pkt: &[u8], keep: usize, offset8: u16, more: bool) -> Vec<u8> {
    use smoltcp::wire::Ipv4Packet;
    let mut b = pkt[..20 + keep].to_vec();
    let mut ip = Ipv4Packet::new_unchecked(&mut b[..]);
    ip.set_total_len(u16::try_from(20 + keep).unwrap());
    ip.set_more_frags(more);
    ip.set_frag_offset(offset8 * 8);
    ip.fill_checksum();
    b
}

#[test]
fn fragments_keep_their_ports_or_go_address_only() {
    let env = TestEnv::new();
    let global = Ipv4Addr::new(203, 0, 113, 5);
    let mut nat = Nat::new(NatConfig {
        statics: vec![StaticNat::address(WEB, global)],
        ..pat()
    });
    let whole = udp(WEB, 5000, SERVER, 9);
    // The first fragment carries the UDP header (its length says more).
    let mut first = fragment(&whole, 8, 0, true);
    translated(&out(&mut nat, &env, &mut first));
    assert_eq!(&first[12..16], &global.octets());
    assert_eq!(&first[20..22], &5000u16.to_be_bytes());
    assert!(
        smoltcp::wire::Ipv4Packet::new_checked(&first[..])
            .unwrap()
            .verify_checksum()
    );
    let mut later = fragment(&whole, 8, 1, false);
    let o = out(&mut nat, &env, &mut later);
    assert_eq!(translated(&o).protocol, None);
    assert_checksums(&later);
    let mut pat_later = fragment(&udp(PC1, 5000, SERVER, 9), 8, 1, false);
    assert_eq!(
        out(&mut nat, &env, &mut pat_later),
        NatOutcome::Untranslated(Untranslated::Unsupported { protocol: 17 })
    );
}

#[test]
fn extended_access_lists_choose_what_is_translated() {
    use crate::firewall::ConfigMode;
    let mut env = TestEnv::new();
    env.acls
        .apply_line(
            &mut ConfigMode::Global,
            "access-list 101 permit tcp 192.168.1.0 0.0.0.255 any eq www",
        )
        .unwrap();
    let mut cfg = pat();
    cfg.dynamic[0].acl = "101".into();
    let mut nat = Nat::new(cfg);
    let mut web = tcp(PC1, 5000, SERVER, 80, Control::Syn, false);
    translated(&out(&mut nat, &env, &mut web));
    let mut dns = udp(PC1, 5000, SERVER, 53);
    assert_eq!(
        out(&mut nat, &env, &mut dns),
        NatOutcome::Untranslated(Untranslated::NotPermitted { source: PC1 })
    );
    // An undefined list permits nothing.
    let mut cfg = pat();
    cfg.dynamic[0].acl = "NOPE".into();
    let mut nat = Nat::new(cfg);
    assert!(matches!(
        out(&mut nat, &env, &mut web),
        NatOutcome::Untranslated(Untranslated::NotPermitted { .. })
    ));
}
