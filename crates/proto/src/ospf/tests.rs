//! OSPF engines wired back to back through a tiny event queue.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::net::Ipv4Addr;
use std::time::Duration;

use super::lsa::{LinkType, RouterLink, fletcher_ok};
use super::*;
use crate::SimTime;

type Ev = Reverse<(SimTime, u64, usize, usize, Ipv4Addr, Ipv4Addr, Vec<u8>)>;

/// Routers and segments: a segment is the (router, port) pairs on one network.
pub(super) struct Net {
    pub r: Vec<Ospf>,
    segs: Vec<Vec<(usize, usize)>>,
    cut: Vec<bool>,
    addrs: BTreeMap<(usize, usize), Ipv4Addr>,
    q: BinaryHeap<Ev>,
    pub now: SimTime,
    seq: u64,
    pub frames: u64,
    pub sent: Vec<(SimTime, usize, Transmit)>,
    /// Every note, with its time and router.
    pub notes: Vec<(SimTime, usize, OspfNote)>,
}

pub(super) fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

pub(super) fn iface(port: usize, addr: &str, area: u32, net: NetType, prio: u8) -> IfaceConfig {
    IfaceConfig {
        port,
        addr: addr.parse().unwrap(),
        area: Ipv4Addr::from(area),
        net,
        cost: 1,
        priority: prio,
        passive: false,
        mtu: 1500,
    }
}

pub(super) fn lan(port: usize, addr: &str, area: u32) -> IfaceConfig {
    IfaceConfig {
        passive: true,
        ..iface(port, addr, area, NetType::Broadcast, 1)
    }
}

impl Net {
    pub fn new(routers: Vec<(&str, Vec<IfaceConfig>)>, segs: Vec<Vec<(usize, usize)>>) -> Net {
        let mut addrs = BTreeMap::new();
        let r = routers
            .into_iter()
            .enumerate()
            .map(|(n, (rid, ifs))| {
                for f in &ifs {
                    addrs.insert((n, f.port), f.addr.addr);
                }
                Ospf::new(ip(rid), ifs, false, 7, SimTime::ZERO)
            })
            .collect();
        let cut = vec![false; segs.len()];
        let mut net = Net {
            r,
            segs,
            cut,
            addrs,
            q: BinaryHeap::new(),
            now: SimTime::ZERO,
            seq: 0,
            frames: 0,
            sent: Vec::new(),
            notes: Vec::new(),
        };
        for i in 0..net.r.len() {
            net.drain(i);
        }
        net
    }

    pub(super) fn drain(&mut self, a: usize) {
        while let Some(t) = self.r[a].poll_transmit() {
            self.sent.push((self.now, a, t.clone()));
            let Some(s) = self.segs.iter().position(|s| s.contains(&(a, t.port))) else {
                continue;
            };
            if self.cut[s] {
                continue;
            }
            for &(b, q) in &self.segs[s] {
                if (b, q) == (a, t.port) {
                    continue;
                }
                if t.dst.is_multicast() || Some(&t.dst) == self.addrs.get(&(b, q)) {
                    self.seq += 1;
                    self.frames += 1;
                    self.q.push(Reverse((
                        self.now + Duration::from_millis(1),
                        self.seq,
                        b,
                        q,
                        t.src,
                        t.dst,
                        t.bytes.clone(),
                    )));
                }
            }
        }
        while let Some(x) = self.r[a].poll_note() {
            if std::env::var("OSPF_TRACE").is_ok() {
                eprintln!("{} R{} {x}", self.now, a + 1);
            }
            self.notes.push((self.now, a, x));
        }
    }

    pub fn run_for(&mut self, d: Duration) {
        let end = self.now + d;
        loop {
            let frame = self.q.peek().map(|Reverse(e)| e.0);
            let timer = self
                .r
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.poll_timeout().map(|t| (t, i)))
                .min();
            let next = match (frame, timer) {
                (Some(f), Some((t, _))) => f.min(t),
                (Some(f), None) => f,
                (None, Some((t, _))) => t,
                (None, None) => break,
            };
            if next > end {
                break;
            }
            self.now = next;
            if frame == Some(next) {
                let Reverse((_, _, b, q, src, dst, bytes)) = self.q.pop().unwrap();
                self.r[b].handle_packet(next, q, src, dst, &bytes);
                self.drain(b);
            } else if let Some((_, i)) = timer {
                self.r[i].handle_timeout(next);
                self.drain(i);
            }
        }
        self.now = end;
    }

    pub fn cut(&mut self, seg: usize) {
        self.cut[seg] = true;
    }

    pub fn route(&self, r: usize, dest: &str) -> Option<&OspfRoute> {
        let d: crate::net::ip::Ipv4Net = dest.parse().unwrap();
        self.r[r].routes().iter().find(|x| x.dest == d)
    }

    pub fn states(&self, r: usize) -> Vec<(Ipv4Addr, NbrState, &'static str)> {
        self.r[r]
            .neighbors(self.now)
            .into_iter()
            .map(|n| (n.rid, n.state, n.role))
            .collect()
    }
}

fn hop(port: usize, a: &str) -> NextHop {
    NextHop {
        port,
        addr: Some(ip(a)),
    }
}

/// Router `adv`'s router LSA (age 1) with sequence number `seq` and one
/// stub network, `net`/24 at cost `metric`.
pub(super) fn stub_router_lsa(adv: &str, seq: u32, net: &str, metric: u16) -> Lsa {
    Lsa {
        header: LsaHeader {
            age: 1,
            options: 2,
            key: LsaKey {
                ls_type: LsType::Router,
                id: ip(adv),
                adv: ip(adv),
            },
            seq,
            checksum: 0,
            length: 0,
        },
        body: LsaBody::Router {
            flags: 0,
            links: vec![RouterLink {
                kind: LinkType::Stub,
                id: ip(net),
                data: ip("255.255.255.0"),
                metric,
            }],
        },
    }
}

#[test]
fn lsa_checksum_and_packet_round_trip() {
    let mut lsa = stub_router_lsa("1.1.1.1", 0x8000_0001, "10.0.0.0", 1);
    lsa.header.age = 3;
    let b = lsa.to_bytes();
    assert!(fletcher_ok(&b[2..]));
    assert_eq!(lsa.header.length, 36);
    let (back, n) = Lsa::parse(&b).unwrap();
    assert_eq!((back, n), (lsa.clone(), 36));
    let repr = Repr {
        router_id: ip("1.1.1.1"),
        area: Ipv4Addr::UNSPECIFIED,
        body: packet::Body::LsUpdate(vec![lsa]),
    };
    let bytes = repr.to_bytes();
    let p = Packet::new_checked(&bytes[..]).unwrap();
    assert!(p.verify_checksum());
    assert_eq!(Repr::parse(&p).unwrap(), repr);
    assert_eq!(
        repr.to_string(),
        "OSPF LS Update from 1.1.1.1, 1 LSA (router LSA 1.1.1.1 from 1.1.1.1)"
    );
    let tree = fields::fields(&bytes, 34).unwrap();
    assert_eq!(tree.range, 34..34 + bytes.len());
    assert_eq!(tree.find("Link ID").unwrap().value, "10.0.0.0");
    // A flipped bit fails the checksum; short or garbage input is an error.
    let mut bad = bytes.clone();
    bad[30] ^= 1;
    assert!(packet::parse(&bad).is_err());
    assert!(packet::parse(&bytes[..10]).is_err());
}

pub(super) fn p2p_pair() -> Net {
    Net::new(
        vec![
            (
                "1.1.1.1",
                vec![
                    iface(0, "10.0.12.1/24", 0, NetType::PointToPoint, 1),
                    lan(1, "192.168.1.1/24", 0),
                ],
            ),
            (
                "2.2.2.2",
                vec![
                    iface(0, "10.0.12.2/24", 0, NetType::PointToPoint, 1),
                    lan(1, "192.168.2.1/24", 0),
                ],
            ),
        ],
        vec![vec![(0, 0), (1, 0)]],
    )
}

#[test]
fn point_to_point_adjacency_and_routes() {
    let mut n = p2p_pair();
    n.run_for(Duration::from_secs(30));
    assert_eq!(n.states(0), vec![(ip("2.2.2.2"), NbrState::Full, "-")]);
    assert_eq!(n.states(1), vec![(ip("1.1.1.1"), NbrState::Full, "-")]);
    let r = n.route(0, "192.168.2.0/24").unwrap();
    assert_eq!((r.cost, r.kind), (2, RouteKind::IntraArea));
    assert_eq!(r.next_hops, vec![hop(0, "10.0.12.2")]);
    assert_eq!(
        r.to_string(),
        "192.168.2.0/24 via 10.0.12.2, cost 2: learned from 2.2.2.2's router LSA"
    );
    assert!(n.route(1, "192.168.1.0/24").is_some());
    assert!(n.r.iter().all(Ospf::is_settled));
    // The databases agree.
    let db = |r: &Ospf| -> Vec<(LsaKey, u32)> {
        r.database(SimTime::ZERO)
            .into_iter()
            .map(|(_, l)| (l.header.key, l.header.seq))
            .collect()
    };
    assert_eq!(db(&n.r[0]), db(&n.r[1]));
    assert_eq!(db(&n.r[0]).len(), 2);
}

pub(super) fn lan3(prios: [u8; 3]) -> Net {
    let r = |rid, a: &str, lanp: &str, p| {
        (
            rid,
            vec![iface(0, a, 0, NetType::Broadcast, p), lan(1, lanp, 0)],
        )
    };
    Net::new(
        vec![
            r("1.1.1.1", "10.0.0.1/24", "192.168.1.1/24", prios[0]),
            r("2.2.2.2", "10.0.0.2/24", "192.168.2.1/24", prios[1]),
            r("3.3.3.3", "10.0.0.3/24", "192.168.3.1/24", prios[2]),
        ],
        vec![vec![(0, 0), (1, 0), (2, 0)]],
    )
}

#[test]
fn broadcast_election_adjacencies_and_reelection() {
    let mut n = lan3([1, 1, 1]);
    n.run_for(Duration::from_secs(60));
    // Highest router id wins: 3.3.3.3 DR, 2.2.2.2 BDR.
    let v = n.r[0].interfaces(n.now);
    assert_eq!((v[0].dr, v[0].bdr), (ip("10.0.0.3"), ip("10.0.0.2")));
    assert_eq!(v[0].state, IfState::DrOther);
    assert_eq!(
        n.states(0),
        vec![
            (ip("2.2.2.2"), NbrState::Full, "BDR"),
            (ip("3.3.3.3"), NbrState::Full, "DR")
        ]
    );
    assert_eq!(n.states(1)[0], (ip("1.1.1.1"), NbrState::Full, "DROTHER"));
    // Routes across the segment: one hop, cost 2.
    let r = n.route(0, "192.168.3.0/24").unwrap();
    assert_eq!((r.cost, r.next_hops.clone()), (2, vec![hop(0, "10.0.0.3")]));
    // A network LSA from the DR lists all three.
    let nets: Vec<_> = n.r[0]
        .database(n.now)
        .into_iter()
        .filter(|(_, l)| l.header.key.ls_type == LsType::Network)
        .collect();
    assert_eq!(nets.len(), 1);
    assert!(matches!(&nets[0].1.body, LsaBody::Network { attached, .. } if attached.len() == 3));
    // The DR's cable is cut: after the dead interval the BDR takes over and
    // 1.1.1.1 becomes BDR.
    let t0 = n.now;
    n.unplug_router(2, 0);
    n.run_for(Duration::from_secs(39));
    assert_eq!(n.r[0].interfaces(n.now)[0].dr, ip("10.0.0.3"));
    n.run_for(Duration::from_secs(20));
    let v = n.r[0].interfaces(n.now);
    assert_eq!((v[0].dr, v[0].bdr), (ip("10.0.0.2"), ip("10.0.0.1")));
    assert_eq!(v[0].state, IfState::Backup);
    assert_eq!(n.states(0), vec![(ip("2.2.2.2"), NbrState::Full, "DR")]);
    assert!(n.route(0, "192.168.3.0/24").is_none());
    assert!(n.route(0, "192.168.2.0/24").is_some());
    assert!(n.now - t0 < Duration::from_secs(60));
}

#[test]
fn priority_zero_never_becomes_dr_and_priority_wins() {
    let mut n = lan3([0, 5, 1]);
    n.run_for(Duration::from_secs(60));
    let v = n.r[2].interfaces(n.now);
    assert_eq!((v[0].dr, v[0].bdr), (ip("10.0.0.2"), ip("10.0.0.3")));
    assert_eq!(n.r[0].interfaces(n.now)[0].state, IfState::DrOther);
}

impl Net {
    /// One router's cable out: frames stop; only that router sees the link go down.
    pub fn unplug_router(&mut self, r: usize, port: usize) {
        let s = self
            .segs
            .iter()
            .position(|s| s.contains(&(r, port)))
            .unwrap();
        self.segs[s].retain(|&x| x != (r, port));
        let now = self.now;
        self.r[r].set_link(now, port, false);
        self.drain(r);
    }
}

/// R1, R2, R3 in a triangle of point-to-point links, one LAN each.
pub(super) fn triangle() -> Net {
    let p = NetType::Broadcast;
    Net::new(
        vec![
            (
                "1.1.1.1",
                vec![
                    iface(0, "10.0.12.1/24", 0, p, 1),
                    iface(1, "10.0.13.1/24", 0, p, 1),
                    lan(2, "192.168.1.1/24", 0),
                ],
            ),
            (
                "2.2.2.2",
                vec![
                    iface(0, "10.0.12.2/24", 0, p, 1),
                    iface(1, "10.0.23.2/24", 0, p, 1),
                    lan(2, "192.168.2.1/24", 0),
                ],
            ),
            (
                "3.3.3.3",
                vec![
                    iface(0, "10.0.13.3/24", 0, p, 1),
                    iface(1, "10.0.23.3/24", 0, p, 1),
                    lan(2, "192.168.3.1/24", 0),
                ],
            ),
        ],
        vec![
            vec![(0, 0), (1, 0)],
            vec![(1, 1), (2, 1)],
            vec![(0, 1), (2, 0)],
        ],
    )
}

#[test]
fn triangle_spf_ecmp_and_reroute_after_dead_interval() {
    let mut n = triangle();
    n.run_for(Duration::from_secs(60));
    for r in &n.r {
        assert!(r.is_settled(), "{:?}", r.neighbors(n.now));
    }
    let r = n.route(0, "192.168.2.0/24").unwrap();
    assert_eq!(
        (r.cost, r.next_hops.clone()),
        (2, vec![hop(0, "10.0.12.2")])
    );
    // 10.0.23.0/24 is two ways from R1, at equal cost.
    let r = n.route(0, "10.0.23.0/24").unwrap();
    assert_eq!(r.cost, 2);
    assert_eq!(r.next_hops, vec![hop(0, "10.0.12.2"), hop(1, "10.0.13.3")]);
    // Cut R1–R2 silently (no link-down seen): after dead interval + SPF
    // delay R1 goes via R3.
    n.cut(0);
    n.run_for(Duration::from_secs(40 + 15));
    let r = n.route(0, "192.168.2.0/24").unwrap();
    assert_eq!(
        (r.cost, r.next_hops.clone()),
        (3, vec![hop(1, "10.0.13.3")])
    );
    let r = n.route(1, "192.168.1.0/24").unwrap();
    assert_eq!(r.next_hops, vec![hop(1, "10.0.23.3")]);
    assert!(n.r[0].stats().spf_runs >= 2);
}

#[test]
fn multi_area_abr_summaries() {
    // R1 (area 1) — R2 (ABR, areas 1 and 0) — R3 (area 0).
    let p = NetType::PointToPoint;
    let mut n = Net::new(
        vec![
            (
                "1.1.1.1",
                vec![
                    iface(0, "10.1.12.1/24", 1, p, 1),
                    lan(1, "192.168.1.1/24", 1),
                ],
            ),
            (
                "2.2.2.2",
                vec![
                    iface(0, "10.1.12.2/24", 1, p, 1),
                    iface(1, "10.0.23.2/24", 0, p, 1),
                ],
            ),
            (
                "3.3.3.3",
                vec![
                    iface(0, "10.0.23.3/24", 0, p, 1),
                    lan(1, "192.168.3.1/24", 0),
                ],
            ),
        ],
        vec![vec![(0, 0), (1, 0)], vec![(1, 1), (2, 0)]],
    );
    n.run_for(Duration::from_secs(90));
    assert!(n.r[1].is_abr());
    let r = n.route(0, "192.168.3.0/24").unwrap();
    assert_eq!(r.kind, RouteKind::InterArea);
    assert_eq!(
        (r.cost, r.next_hops.clone()),
        (3, vec![hop(0, "10.1.12.2")])
    );
    assert_eq!(r.source.ls_type, LsType::Summary);
    let r = n.route(2, "192.168.1.0/24").unwrap();
    assert_eq!((r.kind, r.cost), (RouteKind::InterArea, 3));
    assert_eq!(n.route(2, "10.1.12.0/24").unwrap().cost, 2);
    let r = n.route(1, "192.168.1.0/24").unwrap();
    assert_eq!(r.kind, RouteKind::IntraArea);
    // No type-1 LSA crosses the border.
    assert!(
        n.r[0]
            .database(n.now)
            .iter()
            .all(|(_, l)| l.header.key.ls_type != LsType::Router
                || l.header.key.adv != ip("3.3.3.3"))
    );
}

#[test]
fn default_information_originate_gives_e2_default() {
    let mut n = p2p_pair();
    n.r[1].default_originate = true;
    n.r[1].dirty = true;
    n.run_for(Duration::from_secs(40));
    let r = n.route(0, "0.0.0.0/0").unwrap();
    assert_eq!((r.kind, r.cost), (RouteKind::External2, 1));
    assert_eq!(r.next_hops, vec![hop(0, "10.0.12.2")]);
}

#[test]
fn lost_packets_are_retransmitted() {
    // Drop every third frame for a while: the adjacency still forms.
    let mut n = p2p_pair();
    let mut k = 0;
    for _ in 0..200 {
        if let Some(Reverse(e)) = n.q.pop() {
            k += 1;
            if k % 3 != 0 {
                n.q.push(Reverse(e));
            }
        }
        n.run_for(Duration::from_millis(200));
    }
    n.run_for(Duration::from_secs(60));
    assert_eq!(n.states(0), vec![(ip("2.2.2.2"), NbrState::Full, "-")]);
    assert!(n.route(0, "192.168.2.0/24").is_some());
    assert!(n.r.iter().all(Ospf::is_settled));
}

#[test]
fn grid_converges() {
    // 4×4 grid of broadcast links.
    let side = 4;
    let mut routers = Vec::new();
    let mut segs = Vec::new();
    let id = |x: usize, y: usize| y * side + x;
    let mut ports: Vec<Vec<IfaceConfig>> = vec![Vec::new(); side * side];
    let mut s = 0;
    for y in 0..side {
        for x in 0..side {
            for (dx, dy) in [(1, 0), (0, 1)] {
                if x + dx < side && y + dy < side {
                    let (a, b) = (id(x, y), id(x + dx, y + dy));
                    s += 1;
                    let pa = ports[a].len();
                    let pb = ports[b].len();
                    ports[a].push(iface(
                        pa,
                        &format!("10.{}.{}.1/24", s / 256, s % 256),
                        0,
                        NetType::Broadcast,
                        1,
                    ));
                    ports[b].push(iface(
                        pb,
                        &format!("10.{}.{}.2/24", s / 256, s % 256),
                        0,
                        NetType::Broadcast,
                        1,
                    ));
                    segs.push(vec![(a, pa), (b, pb)]);
                }
            }
        }
    }
    let rids: Vec<String> = (0..side * side)
        .map(|i| format!("9.9.9.{}", i + 1))
        .collect();
    for (i, p) in ports.into_iter().enumerate() {
        routers.push((rids[i].as_str(), p));
    }
    let mut n = Net::new(routers, segs);
    n.run_for(Duration::from_secs(90));
    assert!(n.r.iter().all(Ospf::is_settled));
    // Corner to corner: 6 hops of cost 1 to the far link's network.
    let far = n.r[0].routes().len();
    assert_eq!(far, 24 - 2);
    let _ = Stats::default();
}

#[test]
fn every_sent_packet_parses_with_good_checksums() {
    let mut n = triangle();
    n.run_for(Duration::from_secs(60));
    assert!(n.sent.len() > 20);
    for (_, _, t) in &n.sent {
        let repr = packet::parse(&t.bytes).unwrap();
        if let packet::Body::LsUpdate(l) = repr.body {
            for mut lsa in l {
                let b = lsa.clone().to_bytes();
                assert!(fletcher_ok(&b[2..]));
                let _ = lsa.to_bytes();
            }
        }
        assert!(fields::fields(&t.bytes, 0).is_some());
    }
}
