//! MinLSInterval, MinLSArrival and delayed acknowledgements (`throttle.rs`)
//! on engines wired back to back (`tests.rs`).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::Duration;

use super::tests::{Net, ip, p2p_pair, stub_router_lsa, triangle};
use super::throttle::{ACK_DELAY, FLOOD_PACING, MIN_LS_ARRIVAL, MIN_LS_INTERVAL};
use super::*;
use crate::SimTime;

/// Every origination, by router and LSA, in time order.
fn originations(n: &Net) -> BTreeMap<(usize, LsaKey), Vec<SimTime>> {
    let mut m: BTreeMap<(usize, LsaKey), Vec<SimTime>> = BTreeMap::new();
    for (t, r, note) in &n.notes {
        if let OspfNote::Originated { key, .. } = note {
            m.entry((*r, *key)).or_default().push(*t);
        }
    }
    m
}

#[test]
fn own_lsas_wait_for_min_ls_interval_then_go_out() {
    // Each router of the triangle has two adjacencies coming up within
    // milliseconds of each other at the end of the wait timer (40 s): the
    // first changes its router LSA at once, the second one's change is held
    // back until 5 s after the first.
    let mut n = triangle();
    n.run_for(Duration::from_secs(60));
    assert!(n.r.iter().all(Ospf::is_settled));
    let orig = originations(&n);
    for ((r, key), times) in &orig {
        for w in times.windows(2) {
            assert!(
                w[1] - w[0] >= MIN_LS_INTERVAL,
                "R{} {key}: {} then {}",
                r + 1,
                w[0],
                w[1]
            );
        }
    }
    let deferred: Vec<(SimTime, usize, LsaKey, SimTime)> = n
        .notes
        .iter()
        .filter_map(|(t, r, note)| match note {
            OspfNote::Deferred { key, until } => Some((*t, *r, *key, *until)),
            _ => None,
        })
        .collect();
    assert!(!deferred.is_empty());
    for (t, r, key, until) in deferred {
        // Held back at most MinLSInterval, and it went out exactly then
        // (the process's timer woke it).
        assert!(until > t && until - t <= MIN_LS_INTERVAL, "{t} {until}");
        assert!(
            orig[&(r, key)].contains(&until),
            "R{} {key} deferred to {until}: {:?}",
            r + 1,
            orig[&(r, key)]
        );
    }
    // The routes are right after the last instances: both ways round.
    let r = n.route(0, "10.0.23.0/24").unwrap();
    assert_eq!(r.cost, 2);
    assert_eq!(r.next_hops.len(), 2);
}

#[test]
fn a_deferred_origination_is_a_timer() {
    let mut n = p2p_pair();
    n.run_for(Duration::from_secs(30));
    assert!(n.r.iter().all(Ospf::is_settled));
    // A change long after the last instance goes out at once; the next
    // change, a second later, waits for the rest of MinLSInterval.
    let change = |n: &mut Net, default: bool| {
        let now = n.now;
        n.r[0].default_originate = default;
        n.r[0].dirty = true;
        n.r[0].handle_timeout(now);
        n.drain(0);
    };
    change(&mut n, true);
    assert!(matches!(
        n.notes.last(),
        Some((t, 0, OspfNote::Originated { .. })) if *t == n.now
    ));
    let t0 = n.now;
    n.run_for(Duration::from_secs(1));
    change(&mut n, false);
    // (The external default goes at once: a flush is no new instance.)
    let (until, key) = n
        .notes
        .iter()
        .rev()
        .take_while(|x| x.0 == n.now)
        .find_map(|x| match x.2 {
            OspfNote::Deferred { key, until } => Some((until, key)),
            _ => None,
        })
        .expect("a deferral");
    assert_eq!(key.adv, ip("1.1.1.1"));
    assert_eq!(until, t0 + MIN_LS_INTERVAL);
    assert_eq!(n.r[0].poll_timeout(), Some(until));
    assert!(!n.r[0].is_settled());
    n.run_for(until - n.now);
    assert!(matches!(
        n.notes.iter().rev().find(|x| x.1 == 0).map(|x| &x.2),
        Some(OspfNote::Originated { key: k, .. }) if *k == key
    ));
    // Settled once R2's delayed acknowledgement is in.
    n.run_for(ACK_DELAY + Duration::from_millis(10));
    assert!(n.r[0].is_settled());
}

/// A router LSA of a router `adv` two hops away, with sequence number `seq`.
fn far_lsa(adv: &str, seq: u32) -> Lsa {
    stub_router_lsa(adv, seq, "172.16.0.0", seq as u16)
}

/// R2 (2.2.2.2) floods these LSAs to R1 in one update, on their
/// point-to-point link.
fn update_from_r2(n: &mut Net, lsas: Vec<Lsa>) {
    let bytes = Repr {
        router_id: ip("2.2.2.2"),
        area: Ipv4Addr::UNSPECIFIED,
        body: packet::Body::LsUpdate(lsas),
    }
    .to_bytes();
    let now = n.now;
    n.r[0].handle_packet(now, 0, ip("10.0.12.2"), ALL_SPF_ROUTERS, &bytes);
    n.drain(0);
}

/// The LSA headers R1 acknowledged, with when.
fn acks_of_r1(n: &Net) -> Vec<(SimTime, Vec<LsaHeader>)> {
    n.sent
        .iter()
        .filter(|(_, r, t)| *r == 0 && t.kind == PacketType::LsAck)
        .map(|(at, _, t)| match packet::parse(&t.bytes).unwrap().body {
            packet::Body::LsAck(h) => (*at, h),
            b => panic!("{b:?}"),
        })
        .collect()
}

fn seq_in_db(n: &Net, key: LsaKey) -> Option<u32> {
    n.r[0]
        .database(n.now)
        .into_iter()
        .find(|(_, l)| l.header.key == key)
        .map(|(_, l)| l.header.seq)
}

#[test]
fn a_newer_instance_within_min_ls_arrival_is_discarded_unacknowledged() {
    let mut n = p2p_pair();
    n.run_for(Duration::from_secs(30));
    assert!(n.r.iter().all(Ospf::is_settled));
    let key = far_lsa("5.5.5.5", 1).header.key;
    update_from_r2(&mut n, vec![far_lsa("5.5.5.5", 0x8000_0001)]);
    assert_eq!(seq_in_db(&n, key), Some(0x8000_0001));
    // 300 ms later, a newer instance: too soon.
    n.run_for(Duration::from_millis(300));
    update_from_r2(&mut n, vec![far_lsa("5.5.5.5", 0x8000_0002)]);
    assert_eq!(seq_in_db(&n, key), Some(0x8000_0001));
    assert!(matches!(
        n.notes.last(),
        Some((_, 0, OspfNote::TooSoon { seq: 0x8000_0002, from, .. })) if *from == ip("2.2.2.2")
    ));
    // Once MinLSArrival is over, the next one is taken.
    n.run_for(MIN_LS_ARRIVAL);
    update_from_r2(&mut n, vec![far_lsa("5.5.5.5", 0x8000_0003)]);
    assert_eq!(seq_in_db(&n, key), Some(0x8000_0003));
    n.run_for(Duration::from_secs(2));
    let acked: Vec<u32> = acks_of_r1(&n)
        .into_iter()
        .flat_map(|(_, h)| h)
        .filter(|h| h.key == key)
        .map(|h| h.seq)
        .collect();
    assert_eq!(acked, vec![0x8000_0001, 0x8000_0003]);
}

#[test]
fn delayed_acknowledgements_go_together_within_the_ack_delay() {
    let mut n = p2p_pair();
    n.run_for(Duration::from_secs(30));
    let before = acks_of_r1(&n).len();
    let t0 = n.now;
    update_from_r2(&mut n, vec![far_lsa("5.5.5.5", 0x8000_0001)]);
    n.run_for(Duration::from_millis(100));
    update_from_r2(&mut n, vec![far_lsa("6.6.6.6", 0x8000_0001)]);
    n.run_for(Duration::from_millis(400));
    update_from_r2(&mut n, vec![far_lsa("7.7.7.7", 0x8000_0001)]);
    n.run_for(Duration::from_secs(3));
    let acks = acks_of_r1(&n);
    // One acknowledgement for the three updates, sent one ACK_DELAY after
    // the first (less than the 5 s RxmtInterval).
    assert_eq!(acks.len(), before + 1);
    let (at, h) = &acks[before];
    assert_eq!(*at, t0 + ACK_DELAY);
    let adv: Vec<Ipv4Addr> = h.iter().map(|h| h.key.adv).collect();
    assert_eq!(adv, vec![ip("5.5.5.5"), ip("6.6.6.6"), ip("7.7.7.7")]);
}

#[test]
fn lsas_flooded_within_the_pacing_interval_share_one_update() {
    // R2 floods three new LSAs to R1, 10 ms apart; R1 floods them on to R3:
    // the first at once, the other two together once 33 ms have passed.
    let mut n = triangle();
    n.run_for(Duration::from_secs(60));
    assert!(n.r.iter().all(Ospf::is_settled));
    let t0 = n.now;
    for (k, adv) in ["5.5.5.5", "6.6.6.6", "7.7.7.7"].into_iter().enumerate() {
        if k > 0 {
            n.run_for(Duration::from_millis(10));
        }
        let bytes = Repr {
            router_id: ip("2.2.2.2"),
            area: Ipv4Addr::UNSPECIFIED,
            body: packet::Body::LsUpdate(vec![far_lsa(adv, 0x8000_0001)]),
        }
        .to_bytes();
        let now = n.now;
        n.r[0].handle_packet(now, 0, ip("10.0.12.2"), ALL_SPF_ROUTERS, &bytes);
        n.drain(0);
    }
    n.run_for(Duration::from_secs(1));
    let updates: Vec<(SimTime, usize)> = n
        .sent
        .iter()
        .filter(|(at, r, t)| *at >= t0 && *r == 0 && t.port == 1 && t.kind == PacketType::LsUpdate)
        .map(|(at, _, t)| match packet::parse(&t.bytes).unwrap().body {
            packet::Body::LsUpdate(l) => (*at, l.len()),
            b => panic!("{b:?}"),
        })
        .collect();
    assert_eq!(updates, vec![(t0, 1), (t0 + FLOOD_PACING, 2)]);
    // R3 has all three, and acknowledged them: nothing left to retransmit.
    assert!(n.r.iter().all(Ospf::is_settled));
    let far = |r: &Ospf| {
        r.database(n.now)
            .iter()
            .filter(|(_, l)| l.header.seq == 0x8000_0001 && l.header.key.adv.octets()[0] >= 5)
            .count()
    };
    assert_eq!(far(&n.r[2]), 3);
}
