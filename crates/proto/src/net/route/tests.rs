//! Routing table tests: distance, longest prefix, floating statics,
//! equal-cost paths, and the one-pass install against a full sort.

use super::*;

fn net(s: &str) -> Ipv4Net {
    s.parse().unwrap()
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

#[test]
fn longest_prefix_wins() {
    let mut t = RouteTable::new();
    t.add_connected(0, "10.0.0.1/24".parse().unwrap());
    t.add_connected(1, "192.168.1.1/24".parse().unwrap());
    assert!(t.add_static("0.0.0.0/0".parse().unwrap(), Ipv4Addr::new(10, 0, 0, 254)));
    assert!(t.add_static(
        "172.16.5.0/24".parse().unwrap(),
        Ipv4Addr::new(192, 168, 1, 2)
    ));
    assert!(!t.add_static("172.17.0.0/16".parse().unwrap(), Ipv4Addr::new(8, 8, 8, 8)));
    let r = t.lookup(Ipv4Addr::new(172, 16, 5, 9)).unwrap();
    assert_eq!(
        (r.iface, r.next_hop),
        (1, Some(Ipv4Addr::new(192, 168, 1, 2)))
    );
    let r = t.lookup(Ipv4Addr::new(192, 168, 1, 77)).unwrap();
    assert_eq!((r.iface, r.next_hop), (1, None));
    let r = t.lookup(Ipv4Addr::new(8, 8, 8, 8)).unwrap();
    assert_eq!(r.next_hop, Some(Ipv4Addr::new(10, 0, 0, 254)));
    assert_eq!(r.to_string(), "S 0.0.0.0/0 via 10.0.0.254, if 0");
    t.clear();
    assert!(t.lookup(Ipv4Addr::new(8, 8, 8, 8)).is_none());
}

#[test]
fn connected_adds_local() {
    let mut t = RouteTable::new();
    t.add_connected(0, net("10.0.0.1/24"));
    let r = t.lookup(ip("10.0.0.1")).unwrap();
    assert_eq!((r.origin, r.dest), (RouteOrigin::Local, net("10.0.0.1/32")));
    assert_eq!(
        t.lookup(ip("10.0.0.9")).unwrap().origin,
        RouteOrigin::Connected
    );
}

#[test]
fn lowest_distance_wins_and_the_floating_static_returns() {
    let mut t = RouteTable::new();
    t.add_connected(0, net("10.0.12.1/24"));
    t.add_connected(1, net("10.0.13.1/24"));
    let dest = net("192.168.3.0/24");
    // Floating static via R3, distance 200.
    assert!(t.add_static_with_distance(dest, ip("10.0.13.3"), 200));
    assert_eq!(t.lookup(ip("192.168.3.1")).unwrap().distance, 200);
    // RIP learns it via R2: 120 < 200.
    let rip = Route::learned(
        RouteOrigin::Rip,
        dest,
        ip("10.0.12.2"),
        0,
        2,
        SimTime::from_secs(5),
    );
    t.replace_protocol_routes(RouteOrigin::Rip, vec![rip]);
    let r = t.lookup(ip("192.168.3.1")).unwrap();
    assert_eq!((r.origin, r.distance, r.metric), (RouteOrigin::Rip, 120, 2));
    assert_eq!(t.candidates().len(), 2 + 2 + 2);
    // OSPF beats RIP (110 < 120); RIP stays a candidate.
    let o = Route::learned(
        RouteOrigin::Ospf,
        dest,
        ip("10.0.13.3"),
        1,
        20,
        SimTime::ZERO,
    );
    t.replace_protocol_routes(RouteOrigin::Ospf, vec![o]);
    assert_eq!(
        t.lookup(ip("192.168.3.1")).unwrap().origin,
        RouteOrigin::Ospf
    );
    t.replace_protocol_routes(RouteOrigin::Ospf, vec![]);
    assert_eq!(
        t.lookup(ip("192.168.3.1")).unwrap().origin,
        RouteOrigin::Rip
    );
    // RIP loses the route: the floating static is back.
    t.replace_protocol_routes(RouteOrigin::Rip, vec![]);
    let r = t.lookup(ip("192.168.3.1")).unwrap();
    assert_eq!((r.origin, r.distance), (RouteOrigin::Static, 200));
    // A static route with distance 1 beats RIP.
    assert!(t.add_static(dest, ip("10.0.12.9")));
    t.replace_protocol_routes(RouteOrigin::Rip, vec![rip]);
    let r = t.lookup(ip("192.168.3.1")).unwrap();
    assert_eq!(
        (r.origin, r.next_hop),
        (RouteOrigin::Static, Some(ip("10.0.12.9")))
    );
}

#[test]
fn equal_cost_paths_split_by_flow() {
    let mut t = RouteTable::new();
    t.add_connected(0, net("10.0.12.1/24"));
    t.add_connected(1, net("10.0.13.1/24"));
    let dest = net("192.168.4.0/24");
    let a = Route::learned(RouteOrigin::Rip, dest, ip("10.0.12.2"), 0, 2, SimTime::ZERO);
    let b = Route::learned(RouteOrigin::Rip, dest, ip("10.0.13.3"), 1, 2, SimTime::ZERO);
    let worse = Route::learned(RouteOrigin::Rip, dest, ip("10.0.13.4"), 1, 3, SimTime::ZERO);
    t.replace_protocol_routes(RouteOrigin::Rip, vec![b, worse, a]);
    let paths: Vec<_> = t.routes().iter().filter(|r| r.dest == dest).collect();
    assert_eq!(paths.len(), 2);
    assert_eq!(paths[0].next_hop, Some(ip("10.0.12.2")));
    let mut used = [0usize; 2];
    for h in 1..=40u8 {
        let src = Ipv4Addr::new(192, 168, 1, h);
        let r = t.lookup_flow(src, ip("192.168.4.10")).unwrap();
        // The same flow always takes the same path.
        assert_eq!(r, t.lookup_flow(src, ip("192.168.4.10")).unwrap());
        used[r.iface] += 1;
    }
    assert!(used[0] > 0 && used[1] > 0, "{used:?}");
}

#[test]
fn replace_leaves_other_protocols_and_ignores_foreign_origins() {
    let mut t = RouteTable::new();
    t.add_connected(0, net("10.0.12.1/24"));
    let o = Route::learned(
        RouteOrigin::Ospf,
        net("1.0.0.0/8"),
        ip("10.0.12.2"),
        0,
        2,
        SimTime::ZERO,
    );
    let ia = Route::learned(
        RouteOrigin::OspfInterArea,
        net("2.0.0.0/8"),
        ip("10.0.12.2"),
        0,
        3,
        SimTime::ZERO,
    );
    let r = Route::learned(
        RouteOrigin::Rip,
        net("3.0.0.0/8"),
        ip("10.0.12.2"),
        0,
        1,
        SimTime::ZERO,
    );
    t.replace_protocol_routes(RouteOrigin::Ospf, vec![o, ia, r]);
    assert!(
        t.lookup(ip("3.1.1.1")).is_none(),
        "a RIP route passed as OSPF is ignored"
    );
    t.replace_protocol_routes(RouteOrigin::Rip, vec![r]);
    assert_eq!(t.routes().len(), 2 + 3);
    t.replace_protocol_routes(RouteOrigin::OspfInterArea, vec![]);
    assert_eq!(t.routes().len(), 2 + 1);
    t.clear_configured();
    assert_eq!(t.routes().len(), 1);
}

/// The installed routes as the table computed them before it kept its
/// candidates in order: sort everything, drop repeated paths, take the
/// best of each prefix, sort again.
fn reference(candidates: &[Route]) -> Vec<Route> {
    let mut all = candidates.to_vec();
    all.sort_by(|a, b| {
        (a.dest.addr, a.dest.prefix, a.distance, a.metric, a.origin)
            .cmp(&(b.dest.addr, b.dest.prefix, b.distance, b.metric, b.origin))
            .then(a.next_hop.cmp(&b.next_hop))
            .then(a.iface.cmp(&b.iface))
    });
    all.dedup_by(|b, a| {
        a.dest == b.dest && a.next_hop == b.next_hop && a.iface == b.iface && a.origin == b.origin
    });
    let mut installed = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let best = all[i];
        let mut j = i;
        while j < all.len() && all[j].dest == best.dest {
            let r = all[j];
            if r.distance == best.distance
                && r.metric == best.metric
                && r.origin == best.origin
                && j - i < MAX_PATHS
            {
                installed.push(r);
            }
            j += 1;
        }
        i = j;
    }
    installed.sort_by(|a: &Route, b: &Route| {
        b.dest
            .prefix
            .cmp(&a.dest.prefix)
            .then(a.dest.addr.cmp(&b.dest.addr))
            .then(a.next_hop.cmp(&b.next_hop))
            .then(a.iface.cmp(&b.iface))
    });
    installed
}

/// The candidates as the table kept them before: in the order they came.
#[derive(Default)]
struct Shadow(Vec<Route>);

impl Shadow {
    fn connected(&mut self, t: &mut RouteTable, iface: usize, addr: Ipv4Net) {
        t.add_connected(iface, addr);
        let base = Route {
            dest: addr.trunc(),
            next_hop: None,
            iface,
            origin: RouteOrigin::Connected,
            distance: 0,
            metric: 0,
            since: SimTime::ZERO,
        };
        self.0.push(base);
        self.0.push(Route {
            dest: Ipv4Net {
                addr: addr.addr,
                prefix: 32,
            },
            origin: RouteOrigin::Local,
            ..base
        });
    }

    fn replace(&mut self, t: &mut RouteTable, origin: RouteOrigin, routes: Vec<Route>) {
        t.replace_protocol_routes(origin, routes.clone());
        let src = origin.source();
        self.0.retain(|r| r.origin.source() != src);
        self.0
            .extend(routes.into_iter().filter(|r| r.origin.source() == src));
    }
}

#[test]
fn one_pass_install_matches_a_full_sort() {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut rnd = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut t = RouteTable::new();
    let mut old = Shadow::default();
    old.connected(&mut t, 0, net("10.0.1.1/24"));
    old.connected(&mut t, 1, net("10.0.2.1/24"));
    old.connected(&mut t, 2, net("10.0.3.1/30"));
    for round in 0..300 {
        let batch = |origin: RouteOrigin, rnd: &mut dyn FnMut(u64) -> u64| {
            (0..rnd(40))
                .map(|_| {
                    let dest = Ipv4Net {
                        addr: Ipv4Addr::new(10, 0, rnd(6) as u8, 0),
                        prefix: [16, 24, 30][rnd(3) as usize],
                    };
                    let hop = Ipv4Addr::new(10, 0, 1 + rnd(3) as u8, 2 + rnd(3) as u8);
                    Route::learned(
                        origin,
                        dest,
                        hop,
                        rnd(3) as usize,
                        1 + rnd(3) as u32,
                        SimTime::from_secs(round * 100 + rnd(100)),
                    )
                })
                .collect::<Vec<_>>()
        };
        match rnd(5) {
            0 => {
                let v = batch(RouteOrigin::Rip, &mut rnd);
                old.replace(&mut t, RouteOrigin::Rip, v);
            }
            1 => {
                let mut v = batch(RouteOrigin::Ospf, &mut rnd);
                v.extend(batch(RouteOrigin::OspfInterArea, &mut rnd));
                old.replace(&mut t, RouteOrigin::Ospf, v);
            }
            2 => {
                let dest = Ipv4Net {
                    addr: Ipv4Addr::new(10, 0, rnd(6) as u8, 0),
                    prefix: 24,
                };
                let hop = Ipv4Addr::new(10, 0, 1 + rnd(2) as u8, 9);
                let distance = [1, 115, 200][rnd(3) as usize];
                assert!(t.add_static_with_distance(dest, hop, distance));
                old.0.retain(|x| {
                    !(x.origin == RouteOrigin::Static && x.dest == dest && x.next_hop == Some(hop))
                });
                let iface = usize::from(hop.octets()[2]) - 1;
                old.0.push(Route {
                    dest,
                    next_hop: Some(hop),
                    iface,
                    origin: RouteOrigin::Static,
                    distance,
                    metric: 0,
                    since: SimTime::ZERO,
                });
            }
            3 => old.connected(&mut t, rnd(3) as usize, net("10.0.4.1/24")),
            _ => {
                t.clear_configured();
                old.0
                    .retain(|r| !matches!(r.origin.source(), Source::Connected | Source::Static));
                old.connected(&mut t, 0, net("10.0.1.1/24"));
                old.connected(&mut t, 1, net("10.0.2.1/24"));
            }
        }
        assert_eq!(t.routes(), reference(&old.0), "round {round}");
        assert_eq!(t.candidates().len(), old.0.len());
    }
}
