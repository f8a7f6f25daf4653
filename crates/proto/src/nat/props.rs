//! Property tests: a flow translated out and its reply translated in get
//! back their original addresses and ports with valid checksums, whatever the
//! mix of hosts, ports and protocols; and no input bytes make the engine panic.

use std::net::Ipv4Addr;

use proptest::prelude::*;

use super::testutil::*;
use super::*;
use crate::SimTime;
use crate::net::packet::{IcmpError, icmp_error, ipv4};
use crate::tcp::Control;

#[derive(Copy, Clone, Debug)]
struct Flow {
    host: u8,
    proto: u8,
    sport: u16,
    server: [u8; 4],
    dport: u16,
}

fn flow() -> impl Strategy<Value = Flow> {
    (2u8..6, 0u8..3, any::<u16>(), any::<[u8; 2]>(), any::<u16>()).prop_map(
        |(host, proto, sport, s, dport)| Flow {
            host,
            proto,
            // A small set of ports makes collisions (and port changes) common.
            sport: if sport % 2 == 0 {
                sport % 4 + 1023
            } else {
                sport
            },
            server: [198, 51, s[0], s[1] | 1],
            dport: dport.max(1),
        },
    )
}

/// The packet `src:sport → dst:dport` of the flow's protocol (ICMP: echo
/// with id `sport`; `reply`: the answer).
fn packet(proto: u8, src: Endpoint, dst: Endpoint, reply: bool) -> Vec<u8> {
    match proto {
        0 => tcp(src.addr, src.port, dst.addr, dst.port, Control::Syn, reply),
        1 => udp(src.addr, src.port, dst.addr, dst.port),
        _ => ping(src.addr, dst.addr, src.port, reply),
    }
}

fn config() -> NatConfig {
    let mut c = pat();
    c.statics
        .push(StaticNat::port(NatProtocol::Tcp, WEB, 80, OUT_IF, 8080));
    c
}

proptest! {
    #[test]
    fn out_then_reply_in_restores_the_original(flows in prop::collection::vec(flow(), 1..12)) {
        let env = TestEnv::new();
        let mut nat = Nat::new(config());
        let mut seen = std::collections::HashSet::new();
        let mut sent = Vec::new();
        for f in flows {
            let inside = ep(Ipv4Addr::new(192, 168, 1, f.host), f.sport);
            let dport = if f.proto == 2 { f.sport } else { f.dport };
            let server = ep(Ipv4Addr::from(f.server), dport);
            if !seen.insert((f.proto, inside, server)) {
                continue;
            }
            let mut p = packet(f.proto, inside, server, false);
            let o = nat.translate(SimTime::ZERO, &mut p, GI0, Some(GI1), &env.env());
            prop_assert!(o.translation().is_some(), "{}", o);
            assert_checksums(&p);
            let (global, to) = ends(&p);
            prop_assert_eq!(global.addr, OUT_IF);
            prop_assert_eq!(to.addr, server.addr);
            if f.proto != 2 {
                prop_assert_eq!(to.port, server.port);
            }
            sent.push((f.proto, inside, server, global, p));
        }
        for (proto, inside, server, global, p) in sent {
            let mut reply = packet(proto, ep(server.addr, if proto == 2 { global.port } else { server.port }), global, true);
            let o = nat.translate(SimTime::from_secs(1), &mut reply, GI1, None, &env.env());
            prop_assert!(o.translation().is_some(), "{}", o);
            assert_checksums(&reply);
            let (from, to) = ends(&reply);
            prop_assert_eq!(to, inside);
            prop_assert_eq!(from.addr, server.addr);
            // An ICMP error about the translated packet comes back about the original.
            let icmp = icmp_error(IcmpError::HostUnreachable, &p).unwrap();
            let mut err = ipv4(ISP, OUT_IF, smoltcp::wire::IpProtocol::Icmp, 64, 1, &icmp);
            let o = nat.translate(SimTime::from_secs(2), &mut err, GI1, None, &env.env());
            prop_assert!(o.translation().is_some_and(|t| t.icmp_error), "{}", o);
            assert_checksums(&err);
            let (qs, _) = quoted_ends(&err);
            prop_assert_eq!(qs, inside);
        }
    }

    #[test]
    fn no_bytes_make_it_panic(bytes in prop::collection::vec(any::<u8>(), 0..120), iface in 0usize..3) {
        let env = TestEnv::new();
        let mut nat = Nat::new(config());
        let mut b = bytes.clone();
        let _ = nat.translate(SimTime::ZERO, &mut b, iface, Some(GI1), &env.env());
        let mut b = bytes;
        let _ = nat.translate(SimTime::ZERO, &mut b, GI1, None, &env.env());
    }

    #[test]
    fn damaged_packets_never_panic(
        f in flow(),
        hits in prop::collection::vec((any::<u16>(), any::<u8>()), 1..6),
        cut in any::<u16>(),
        error in any::<bool>(),
    ) {
        let env = TestEnv::new();
        let mut nat = Nat::new(config());
        let inside = ep(Ipv4Addr::new(192, 168, 1, f.host), f.sport);
        let server = ep(Ipv4Addr::from(f.server), f.dport);
        let mut p = packet(f.proto, inside, server, false);
        let _ = nat.translate(SimTime::ZERO, &mut p, GI0, Some(GI1), &env.env());
        let mut q = if error {
            let icmp = icmp_error(IcmpError::TtlExceeded, &p).unwrap();
            ipv4(ISP, OUT_IF, smoltcp::wire::IpProtocol::Icmp, 64, 1, &icmp)
        } else {
            packet(f.proto, server, ends(&p).0, true)
        };
        for (at, v) in hits {
            let n = q.len();
            q[usize::from(at) % n] = v;
        }
        q.truncate(usize::from(cut) % (q.len() + 1));
        let _ = nat.translate(SimTime::ZERO, &mut q, GI1, None, &env.env());
        let _ = nat.translate(SimTime::ZERO, &mut q, GI0, Some(GI1), &env.env());
    }

    #[test]
    fn expiry_follows_the_last_use(uses in prop::collection::vec((0u64..200, 0u8..6), 1..40)) {
        let env = TestEnv::new();
        let mut nat = Nat::new(pat());
        let mut last = std::collections::BTreeMap::new();
        let mut now = 0;
        for (step, host) in uses {
            now += step;
            last.retain(|_, t: &mut u64| *t + 300 > now);
            last.insert(host, now);
            let mut p = udp(Ipv4Addr::new(192, 168, 1, 20 + host), 5000, SERVER, 9);
            let o = nat.translate(SimTime::from_secs(now), &mut p, GI0, Some(GI1), &env.env());
            prop_assert!(o.translation().is_some());
            prop_assert_eq!(nat.len(), last.len());
            let next = last.values().min().map(|t| SimTime::from_secs(t + 300));
            prop_assert_eq!(nat.poll_timeout(), next);
        }
    }
}
