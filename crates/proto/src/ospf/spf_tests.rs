//! The number-indexed SPF against the first, map-based one
//! (`spf_reference.rs`): every router's every area, at every second of a
//! network coming up, converging and losing links.

use std::net::Ipv4Addr;
use std::time::Duration;

use super::iface::{IfaceConfig, NetType};
use super::spf::{self, NextHop, Reached};
use super::spf_reference::area_spf_reference;
use super::tests::{Net, iface, lan, lan3, p2p_pair, triangle};

type Found = (
    Vec<super::OspfRoute>,
    Vec<(Ipv4Addr, u32, Vec<NextHop>, u8)>,
);

fn flat(found: (Vec<super::OspfRoute>, Vec<(Ipv4Addr, Reached)>)) -> Found {
    let (routes, reached) = found;
    let reached = reached
        .into_iter()
        .map(|(r, x)| (r, x.cost, x.hops.as_slice().to_vec(), x.flags))
        .collect();
    (routes, reached)
}

/// Compares both calculations on every router and area of `n`; returns
/// how many routes they found in all.
fn agree(n: &Net) -> usize {
    let mut routes = 0;
    for o in &n.r {
        for (&area, db) in &o.areas {
            let new = flat(spf::area_spf(o.rid, area, db, &o.ifaces));
            let old = flat(area_spf_reference(o.rid, area, db, &o.ifaces));
            assert_eq!(new, old, "router {} area {area}", o.rid);
            routes += new.0.len();
        }
    }
    routes
}

/// Runs `n` second by second for `secs`, comparing after each; returns
/// the routes found at the end.
fn run_agreeing(n: &mut Net, secs: u64) -> usize {
    let mut last = 0;
    for _ in 0..secs {
        n.run_for(Duration::from_secs(1));
        last = agree(n);
    }
    last
}

/// A `side`×`side` grid, links alternately broadcast and point-to-point,
/// each router with a passive LAN; some routers in area 1 (making ABRs).
fn mixed_grid(side: usize) -> Net {
    let id = |x: usize, y: usize| y * side + x;
    let mut ports: Vec<Vec<IfaceConfig>> = vec![Vec::new(); side * side];
    let mut segs = Vec::new();
    let mut s = 0;
    for y in 0..side {
        for x in 0..side {
            for (dx, dy) in [(1, 0), (0, 1)] {
                if x + dx < side && y + dy < side {
                    let (a, b) = (id(x, y), id(x + dx, y + dy));
                    s += 1;
                    let net = if s % 2 == 0 {
                        NetType::Broadcast
                    } else {
                        NetType::PointToPoint
                    };
                    // The first row's vertical links are area 1.
                    let area = u32::from(y == 0 && dy == 1 && x % 2 == 0);
                    let (pa, pb) = (ports[a].len(), ports[b].len());
                    let addr = |h: u8| format!("10.{}.{}.{h}/24", s / 256, s % 256);
                    ports[a].push(iface(pa, &addr(1), area, net, 1));
                    ports[b].push(iface(pb, &addr(2), area, net, 1 + (s % 3) as u8));
                    segs.push(vec![(a, pa), (b, pb)]);
                }
            }
        }
    }
    for (i, p) in ports.iter_mut().enumerate() {
        let k = p.len();
        p.push(lan(k, &format!("192.168.{i}.1/24"), 0));
    }
    let rids: Vec<String> = (0..side * side)
        .map(|i| format!("9.9.9.{}", i + 1))
        .collect();
    let routers = rids.iter().map(String::as_str).zip(ports).collect();
    Net::new(routers, segs)
}

#[test]
fn indexed_spf_agrees_with_the_map_based_one_on_small_nets() {
    let mut n = p2p_pair();
    assert!(run_agreeing(&mut n, 60) > 0);
    let mut n = lan3([1, 1, 1]);
    run_agreeing(&mut n, 60);
    let mut n = triangle();
    assert!(run_agreeing(&mut n, 60) > 0);
    // Equal-cost paths change when a link goes: compare through the dead interval.
    n.cut(0);
    assert!(run_agreeing(&mut n, 60) > 0);
}

#[test]
fn indexed_spf_agrees_with_the_map_based_one_on_a_mixed_grid() {
    let mut n = mixed_grid(4);
    assert!(run_agreeing(&mut n, 90) > 0);
    n.cut(3);
    n.cut(10);
    assert!(run_agreeing(&mut n, 60) > 0);
}

#[test]
fn next_hops_past_the_inline_room_stay_in_order() {
    let hop = |port: usize| NextHop {
        port,
        addr: Some(Ipv4Addr::new(10, 0, port as u8, 1)),
    };
    let all: Vec<NextHop> = [5, 3, 9, 1, 7, 2].into_iter().map(hop).collect();
    for n in 0..=all.len() {
        let h = spf::Hops::from_slice(&all[..n]);
        assert_eq!(h.as_slice(), &all[..n]);
    }
}
