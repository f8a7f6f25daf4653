//! Engine tests: each kind of NAT, outside-initiated traffic, exhaustion,
//! timeouts, and the `show` commands.

use core::time::Duration;
use std::net::Ipv4Addr;

use super::testutil::*;
use super::*;
use crate::SimTime;
use crate::tcp::Control;

const T0: SimTime = SimTime::ZERO;

fn out(nat: &mut Nat, env: &TestEnv, now: SimTime, pkt: &mut [u8]) -> NatOutcome {
    nat.translate(now, pkt, GI0, Some(GI1), &env.env())
}

fn inb(nat: &mut Nat, env: &TestEnv, now: SimTime, pkt: &mut [u8]) -> NatOutcome {
    nat.translate(now, pkt, GI1, None, &env.env())
}

#[test]
fn static_nat_both_ways_and_outside_initiated() {
    let env = TestEnv::new();
    let global = Ipv4Addr::new(203, 0, 113, 5);
    let mut nat = Nat::new(NatConfig {
        statics: vec![StaticNat::address(WEB, global)],
        ..base()
    });
    // Outside-initiated: a ping to the inside global reaches the server.
    let mut p = ping(SERVER, global, 77, false);
    let o = inb(&mut nat, &env, T0, &mut p);
    let t = translated(&o);
    assert!(t.created);
    assert_eq!(t.source, MappingSource::Static);
    assert_eq!(ends(&p), (ep(SERVER, 77), ep(WEB, 77)));
    assert_checksums(&p);
    // The reply goes out through the entry the request made.
    let mut r = ping(WEB, SERVER, 77, true);
    let o = out(&mut nat, &env, T0, &mut r);
    assert!(!translated(&o).created);
    assert_eq!(ends(&r), (ep(global, 77), ep(SERVER, 77)));
    assert_checksums(&r);
    // A connection the server opens keeps its port (address-only mapping).
    let mut syn = tcp(WEB, 40000, SERVER, 80, Control::Syn, false);
    let o = out(&mut nat, &env, T0, &mut syn);
    assert_eq!(ends(&syn), (ep(global, 40000), ep(SERVER, 80)));
    assert_eq!(
        o.to_string(),
        "NAT: inside local 192.168.1.80:40000 → inside global 203.0.113.5:40000 (static), to 198.51.100.7:80"
    );
    assert_checksums(&syn);
    assert_eq!(
        nat.show_translations(T0, false),
        "Pro Inside global      Inside local       Outside local      Outside global\n\
         --- 203.0.113.5        192.168.1.80       ---                ---\n\
         icmp 203.0.113.5:77    192.168.1.80:77    198.51.100.7:77    198.51.100.7:77\n\
         tcp 203.0.113.5:40000  192.168.1.80:40000 198.51.100.7:80    198.51.100.7:80\n"
    );
}

#[test]
fn static_port_forwarding_from_outside() {
    let env = TestEnv::new();
    let mut nat = Nat::new(NatConfig {
        statics: vec![StaticNat::port(NatProtocol::Tcp, WEB, 80, OUT_IF, 8080)],
        ..pat()
    });
    let mut syn = tcp(SERVER, 51000, OUT_IF, 8080, Control::Syn, false);
    let o = inb(&mut nat, &env, T0, &mut syn);
    assert_eq!(translated(&o).source, MappingSource::StaticPort);
    assert_eq!(ends(&syn), (ep(SERVER, 51000), ep(WEB, 80)));
    assert_checksums(&syn);
    let mut syn_ack = tcp(WEB, 80, SERVER, 51000, Control::Syn, true);
    out(&mut nat, &env, T0, &mut syn_ack);
    assert_eq!(ends(&syn_ack), (ep(OUT_IF, 8080), ep(SERVER, 51000)));
    assert_checksums(&syn_ack);
    // Another port of the interface address is the router's own business.
    let mut ssh = tcp(SERVER, 51001, OUT_IF, 22, Control::Syn, false);
    let before = ssh.clone();
    assert_eq!(
        inb(&mut nat, &env, T0, &mut ssh),
        NatOutcome::Untranslated(Untranslated::NoEntry {
            destination: OUT_IF
        })
    );
    assert_eq!(ssh, before);
    assert!(
        nat.show_translations(T0, false)
            .contains("tcp 203.0.113.1:8080   192.168.1.80:80    ---                ---\n")
    );
}

#[test]
fn static_port_on_its_own_address_drops_other_ports() {
    let env = TestEnv::new();
    let global = Ipv4Addr::new(203, 0, 113, 9);
    let mut nat = Nat::new(NatConfig {
        statics: vec![StaticNat::port(NatProtocol::Udp, WEB, 53, global, 53)],
        ..base()
    });
    let mut q = udp(SERVER, 3000, global, 54);
    let o = inb(&mut nat, &env, T0, &mut q);
    assert_eq!(
        o,
        NatOutcome::Dropped(NatDrop::NoMapping {
            source: SERVER,
            destination: global
        })
    );
    assert!(
        o.to_string()
            .contains("outside-initiated traffic needs a static entry")
    );
}

#[test]
fn dynamic_pool_allocates_in_order_and_refuses_when_exhausted() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pool(false));
    let third = Ipv4Addr::new(192, 168, 1, 12);
    let mut a = udp(PC1, 5000, SERVER, 9);
    let mut b = udp(PC2, 5000, SERVER, 9);
    let mut c = udp(third, 5000, SERVER, 9);
    assert_eq!(
        translated(&out(&mut nat, &env, T0, &mut a)).source,
        MappingSource::Pool { pool: "PUB".into() }
    );
    out(&mut nat, &env, T0, &mut b);
    assert_eq!(ends(&a).0, ep(Ipv4Addr::new(203, 0, 113, 10), 5000));
    assert_eq!(ends(&b).0, ep(Ipv4Addr::new(203, 0, 113, 11), 5000));
    let before = c.clone();
    let o = out(&mut nat, &env, T0, &mut c);
    assert_eq!(
        o,
        NatOutcome::Dropped(NatDrop::PoolExhausted { pool: "PUB".into() })
    );
    assert_eq!(
        o.to_string(),
        "NAT: pool PUB has no free address, packet dropped (add addresses or use overload)"
    );
    assert_eq!(c, before);
    // While PC1 holds its address, the outside may open connections to it.
    let mut back = tcp(
        SERVER,
        80,
        Ipv4Addr::new(203, 0, 113, 10),
        6000,
        Control::Syn,
        false,
    );
    inb(&mut nat, &env, T0, &mut back);
    assert_eq!(ends(&back).1, ep(PC1, 6000));
    // Everything idle for a day: the addresses return to the pool.
    let later = T0 + Duration::from_secs(86_400);
    assert_eq!(nat.poll_timeout(), Some(T0 + Duration::from_secs(300)));
    let mut c = before.clone();
    translated(&out(&mut nat, &env, later, &mut c));
    assert_eq!(ends(&c).0.addr, Ipv4Addr::new(203, 0, 113, 10));
    let stats = nat.show_statistics(later, |i| format!("GigabitEthernet0/{i}"));
    assert!(stats.contains(
        "[Id: 1] access-list 1 pool PUB refcount 2\n pool PUB: netmask 255.255.255.0\n\tstart 203.0.113.10 end 203.0.113.11\n\ttype generic, total addresses 2, allocated 1 (50%), misses 1\n"
    ), "{stats}");
}

#[test]
fn unused_pool_address_from_outside_is_dropped() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pool(false));
    let mut p = ping(SERVER, Ipv4Addr::new(203, 0, 113, 11), 1, false);
    assert!(matches!(
        inb(&mut nat, &env, T0, &mut p),
        NatOutcome::Dropped(NatDrop::NoMapping { .. })
    ));
}

#[test]
fn pat_two_hosts_same_source_port() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pat());
    let mut a = tcp(PC1, 49152, SERVER, 80, Control::Syn, false);
    let mut b = tcp(PC2, 49152, SERVER, 80, Control::Syn, false);
    let oa = out(&mut nat, &env, T0, &mut a);
    out(&mut nat, &env, T0, &mut b);
    assert_eq!(
        translated(&oa).source,
        MappingSource::Overload { pool: None }
    );
    assert_eq!(ends(&a).0, ep(OUT_IF, 49152), "the first keeps its port");
    assert_eq!(
        ends(&b).0,
        ep(OUT_IF, 1024),
        "the second gets the first free one of 1024–65535"
    );
    assert_checksums(&a);
    assert_checksums(&b);
    // Replies find their way back to each host.
    let mut ra = tcp(SERVER, 80, OUT_IF, 49152, Control::Syn, true);
    let mut rb = tcp(SERVER, 80, OUT_IF, 1024, Control::Syn, true);
    inb(&mut nat, &env, T0, &mut ra);
    inb(&mut nat, &env, T0, &mut rb);
    assert_eq!(ends(&ra).1, ep(PC1, 49152));
    assert_eq!(ends(&rb).1, ep(PC2, 49152));
    assert_checksums(&ra);
    assert_checksums(&rb);
    // Another outside host may not use PC1's mapping (and the router's
    // address has no other entry): left for the router.
    let mut stranger = tcp(ISP, 80, OUT_IF, 49152, Control::Syn, false);
    assert!(matches!(
        inb(&mut nat, &env, T0, &mut stranger),
        NatOutcome::Untranslated(Untranslated::NoEntry { .. })
    ));
    assert_eq!(nat.stats().hits, 2);
    assert_eq!(nat.stats().misses, 3);
}

#[test]
fn pat_on_a_pool_and_port_groups() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pool(true));
    let mut a = udp(PC1, 500, SERVER, 9);
    let mut b = udp(PC2, 500, SERVER, 9);
    out(&mut nat, &env, T0, &mut a);
    let o = out(&mut nat, &env, T0, &mut b);
    assert_eq!(
        ends(&b).0,
        ep(Ipv4Addr::new(203, 0, 113, 10), 1),
        "low ports stay low"
    );
    assert_eq!(
        translated(&o).source,
        MappingSource::Overload {
            pool: Some("PUB".into())
        }
    );
}

#[test]
fn not_permitted_and_not_across_nat_are_left_alone() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pat());
    let mut p = udp(Ipv4Addr::new(10, 9, 9, 9), 1000, SERVER, 9);
    let before = p.clone();
    assert_eq!(
        out(&mut nat, &env, T0, &mut p),
        NatOutcome::Untranslated(Untranslated::NotPermitted {
            source: Ipv4Addr::new(10, 9, 9, 9)
        })
    );
    let mut q = udp(PC1, 1000, PC2, 9);
    assert_eq!(
        nat.translate(T0, &mut q, GI0, Some(GI0), &env.env()),
        NatOutcome::Untranslated(Untranslated::NotAcrossNat)
    );
    assert_eq!(p, before);
    let mut junk = vec![0x45, 0, 0, 10];
    assert_eq!(
        out(&mut nat, &env, T0, &mut junk),
        NatOutcome::Dropped(NatDrop::Malformed)
    );
}

#[test]
fn missing_pool_and_interface_address_are_reported() {
    let mut env = TestEnv::new();
    let mut cfg = pool(false);
    cfg.pools.clear();
    let mut nat = Nat::new(cfg);
    let mut p = udp(PC1, 1000, SERVER, 9);
    assert_eq!(
        out(&mut nat, &env, T0, &mut p),
        NatOutcome::Dropped(NatDrop::PoolUndefined { pool: "PUB".into() })
    );
    env.addrs[GI1] = None;
    let mut nat = Nat::new(pat());
    assert_eq!(
        out(&mut nat, &env, T0, &mut p),
        NatOutcome::Dropped(NatDrop::NoInterfaceAddress { iface: GI1 })
    );
}

fn deadline_after(nat: &mut Nat, env: &TestEnv, mut pkt: Vec<u8>) -> Duration {
    let t = SimTime::from_secs(1000);
    translated(&out(nat, env, t, &mut pkt));
    nat.poll_timeout().unwrap() - t
}

#[test]
fn timeouts_per_kind() {
    let env = TestEnv::new();
    let secs = Duration::from_secs;
    let mut nat = Nat::new(pat());
    assert_eq!(
        deadline_after(&mut nat, &env, ping(PC1, SERVER, 1, false)),
        secs(60)
    );
    let mut nat = Nat::new(pat());
    assert_eq!(
        deadline_after(&mut nat, &env, udp(PC1, 5000, SERVER, 9)),
        secs(300)
    );
    let mut nat = Nat::new(pat());
    assert_eq!(
        deadline_after(&mut nat, &env, udp(PC1, 5000, SERVER, 53)),
        secs(60)
    );
    let mut nat = Nat::new(pat());
    let syn = tcp(PC1, 5000, SERVER, 80, Control::Syn, false);
    assert_eq!(deadline_after(&mut nat, &env, syn), secs(86_400));
    // After a FIN (or a RST) the entry lives 60 s more.
    for control in [Control::Fin, Control::Rst] {
        let mut nat = Nat::new(pat());
        let mut syn = tcp(PC1, 5000, SERVER, 80, Control::Syn, false);
        out(&mut nat, &env, T0, &mut syn);
        let mut fin = tcp(SERVER, 80, OUT_IF, 5000, control, true);
        let t = SimTime::from_secs(10);
        inb(&mut nat, &env, t, &mut fin);
        assert_eq!(nat.poll_timeout(), Some(t + secs(60)));
        assert!(
            nat.show_translations(t, true)
                .contains("extended, timing-out")
        );
        assert_eq!(nat.handle_timeout(t + secs(60)), 1);
        assert!(nat.is_empty());
        assert_eq!(nat.stats().expired, 1);
    }
    // Without DNS timeouts, port 53 is plain UDP.
    let mut cfg = pat();
    cfg.timeouts.dns = None;
    let mut nat = Nat::new(cfg);
    assert_eq!(
        deadline_after(&mut nat, &env, udp(PC1, 5000, SERVER, 53)),
        secs(300)
    );
    // A dynamic address-only entry: 24 h after its last flow's last use.
    let mut nat = Nat::new(pool(false));
    let mut p = ping(PC1, SERVER, 1, false);
    out(&mut nat, &env, T0, &mut p);
    assert_eq!(nat.handle_timeout(T0 + secs(60)), 1, "the ICMP entry");
    assert_eq!(nat.len(), 1);
    assert_eq!(nat.poll_timeout(), Some(T0 + secs(86_400)));
    assert_eq!(nat.handle_timeout(T0 + secs(86_400)), 1);
    assert!(nat.is_empty());
}

#[test]
fn a_used_entry_lives_on() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pat());
    for s in [0, 50, 100] {
        let mut p = ping(PC1, SERVER, 1, false);
        out(&mut nat, &env, SimTime::from_secs(s), &mut p);
    }
    assert_eq!(nat.poll_timeout(), Some(SimTime::from_secs(160)));
    assert_eq!(nat.handle_timeout(SimTime::from_secs(159)), 0);
    assert_eq!(nat.len(), 1);
    assert_eq!(nat.handle_timeout(SimTime::from_secs(160)), 1);
    assert_eq!(nat.poll_timeout(), None);
}

#[test]
fn clear_keeps_static_entries_and_set_config_rebuilds_them() {
    let env = TestEnv::new();
    let mut cfg = pat();
    cfg.statics
        .push(StaticNat::address(WEB, Ipv4Addr::new(203, 0, 113, 5)));
    let mut nat = Nat::new(cfg.clone());
    let mut p = udp(PC1, 5000, SERVER, 9);
    out(&mut nat, &env, T0, &mut p);
    assert_eq!(nat.len(), 2);
    assert_eq!(nat.clear_translations(), 1);
    assert_eq!(nat.len(), 1);
    cfg.statics.clear();
    nat.set_config(cfg);
    assert!(nat.is_empty());
}

#[test]
fn show_statistics_like_ios() {
    let env = TestEnv::new();
    let mut cfg = pat();
    cfg.statics
        .push(StaticNat::address(WEB, Ipv4Addr::new(203, 0, 113, 5)));
    let mut nat = Nat::new(cfg);
    let mut a = tcp(PC1, 49152, SERVER, 80, Control::Syn, false);
    out(&mut nat, &env, T0, &mut a);
    let mut r = tcp(SERVER, 80, OUT_IF, 49152, Control::Syn, true);
    inb(&mut nat, &env, SimTime::from_secs(1), &mut r);
    let name = |i: usize| format!("GigabitEthernet0/{i}");
    assert_eq!(
        nat.show_statistics(SimTime::from_secs(70), name),
        "Total active translations: 2 (1 static, 1 dynamic; 1 extended)\n\
         Peak translations: 2, occurred 00:01:10 ago\n\
         Outside interfaces:\n  GigabitEthernet0/1\n\
         Inside interfaces:\n  GigabitEthernet0/0\n\
         Hits: 1  Misses: 1\n\
         CEF Translated packets: 2, CEF Punted packets: 0\n\
         Expired translations: 0\n\
         Dynamic mappings:\n-- Inside Source\n\
         [Id: 1] access-list 1 interface GigabitEthernet0/1 refcount 1\n\
         \nTotal doors: 0\nAppl doors: 0\nNormal doors: 0\nQueued Packets: 0\n"
    );
    assert_eq!(
        nat.show_translations(SimTime::from_secs(70), true),
        "Pro Inside global      Inside local       Outside local      Outside global\n\
         --- 203.0.113.5        192.168.1.80       ---                ---\n    \
         create 00:01:10, use 00:01:10,\n    flags:\n\
         static, use_count: 0, entry-id: 1, lc_entries: 0\n\
         tcp 203.0.113.1:49152  192.168.1.10:49152 198.51.100.7:80    198.51.100.7:80\n    \
         create 00:01:10, use 00:01:09 timeout:86400000, left 23:58:51, Map-Id(In): 1,\n    flags:\n\
         extended, use_count: 0, entry-id: 2, lc_entries: 0\n"
    );
    nat.clear_statistics();
    assert_eq!(nat.stats().hits, 0);
}

#[test]
fn debug_lines_and_serde() {
    let env = TestEnv::new();
    let mut nat = Nat::new(pat());
    let mut a = udp(PC1, 5000, SERVER, 9);
    let o = out(&mut nat, &env, T0, &mut a);
    assert_eq!(
        translated(&o).debug_line(),
        "NAT: s=192.168.1.10->203.0.113.1, d=198.51.100.7 [8]"
    );
    let mut r = udp(SERVER, 9, OUT_IF, 5000);
    let o = inb(&mut nat, &env, T0, &mut r);
    assert_eq!(
        translated(&o).debug_line(),
        "NAT*: s=198.51.100.7, d=203.0.113.1->192.168.1.10 [8]"
    );
    // The router may hold its environment as a trait object.
    let dyn_env: &dyn NatEnv = &env.env();
    let mut again = udp(SERVER, 9, OUT_IF, 5000);
    assert!(
        nat.translate(T0, &mut again, GI1, None, dyn_env)
            .translation()
            .is_some()
    );
    let json = serde_json::to_string(&o).unwrap();
    assert_eq!(serde_json::from_str::<NatOutcome>(&json).unwrap(), o);
    let drop = NatOutcome::Dropped(NatDrop::PoolExhausted { pool: "P".into() });
    let json = serde_json::to_string(&drop).unwrap();
    assert_eq!(serde_json::from_str::<NatOutcome>(&json).unwrap(), drop);
    let mut cfg = pool(true);
    cfg.statics
        .push(StaticNat::port(NatProtocol::Tcp, WEB, 80, OUT_IF, 8080));
    let json = serde_json::to_string(&cfg).unwrap();
    assert_eq!(serde_json::from_str::<NatConfig>(&json).unwrap(), cfg);
    assert_eq!(
        serde_json::from_str::<NatConfig>("{}").unwrap(),
        NatConfig::default()
    );
}
