//! Engine tests: a few RIP processes joined by links, driven through
//! virtual time by a tiny harness that delivers each multicast to the
//! other routers on the same subnet.

use std::net::Ipv4Addr;

use super::*;
use crate::SimTime;
use crate::net::ip::Ipv4Net;
use crate::net::route::{RouteOrigin, RouteTable};

struct Net {
    routers: Vec<Rip>,
    /// Per router, per interface: its address.
    addrs: Vec<Vec<Ipv4Net>>,
    /// Links that are cut (router, iface) — nothing is delivered on them.
    cut: Vec<(usize, usize)>,
    now: SimTime,
    sent: Vec<(usize, Transmit)>,
    notes: Vec<(usize, Note)>,
    /// Per router, its routes installed whole after each change, and
    /// prefix by prefix: the two must always agree.
    tables: Vec<(RouteTable, RouteTable)>,
}

fn n(s: &str) -> Ipv4Net {
    s.parse().unwrap()
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

impl Net {
    /// R0 - R1 - R2 in a line, each with a LAN: R0 192.168.1.0/24,
    /// 10.0.12.0/24, R1 192.168.2.0/24, 10.0.23.0/24, R2 192.168.3.0/24.
    fn line() -> Net {
        Net::new(vec![
            vec![n("192.168.1.1/24"), n("10.0.12.1/24")],
            vec![n("192.168.2.1/24"), n("10.0.12.2/24"), n("10.0.23.2/24")],
            vec![n("192.168.3.1/24"), n("10.0.23.3/24")],
        ])
    }

    fn new(addrs: Vec<Vec<Ipv4Net>>) -> Net {
        let mut net = Net {
            routers: (0..addrs.len()).map(|k| Rip::new(k as u64 + 7)).collect(),
            addrs,
            cut: Vec::new(),
            now: SimTime::ZERO,
            sent: Vec::new(),
            notes: Vec::new(),
            tables: Vec::new(),
        };
        net.tables = vec![Default::default(); net.routers.len()];
        for r in 0..net.routers.len() {
            net.configure(r);
        }
        net.deliver();
        net
    }

    fn configure(&mut self, r: usize) {
        let ifaces = self.addrs[r]
            .iter()
            .enumerate()
            .map(|(k, a)| Interface {
                net: Some(*a).filter(|_| !self.cut.contains(&(r, k))),
                enabled: true,
                passive: false,
                name: format!("Gi0/{k}"),
            })
            .collect();
        self.routers[r].configure(self.now, ifaces, Settings::default());
    }

    fn deliver(&mut self) {
        for _ in 0..1000 {
            let mut any = false;
            for r in 0..self.routers.len() {
                self.install(r);
                while let Some(n) = self.routers[r].poll_note() {
                    self.notes.push((r, n));
                }
                while let Some(t) = self.routers[r].poll_transmit() {
                    any = true;
                    self.sent.push((r, t.clone()));
                    if self.cut.contains(&(r, t.iface)) {
                        continue;
                    }
                    let src_net = self.addrs[r][t.iface];
                    for o in 0..self.routers.len() {
                        if o == r {
                            continue;
                        }
                        for (k, a) in self.addrs[o].clone().into_iter().enumerate() {
                            let to_me = t.dst == GROUP || t.dst == a.addr;
                            if a.trunc() == src_net.trunc() && to_me && !self.cut.contains(&(o, k))
                            {
                                let bytes = t.repr.to_bytes();
                                let repr = Repr::from_bytes(&bytes).unwrap();
                                self.routers[o].handle_message(self.now, k, src_net.addr, &repr);
                                self.install(o);
                            }
                        }
                    }
                }
            }
            if !any {
                return;
            }
        }
        panic!("messages never stop");
    }

    /// Installs router `r`'s routes after a change, both ways, and checks
    /// they agree.
    fn install(&mut self, r: usize) {
        if !self.routers[r].take_rib_changed() {
            return;
        }
        let (whole, by_prefix) = &mut self.tables[r];
        whole.replace_protocol_routes(RouteOrigin::Rip, self.routers[r].rib_routes());
        for (dest, routes) in self.routers[r].take_rib_updates() {
            by_prefix.replace_protocol_routes_for(RouteOrigin::Rip, dest, &routes);
        }
        assert_eq!(whole.routes(), by_prefix.routes(), "router {r}");
        assert_eq!(whole.candidates(), by_prefix.candidates(), "router {r}");
    }

    fn run_until(&mut self, end: SimTime) {
        loop {
            let next = self
                .routers
                .iter()
                .filter_map(Rip::poll_timeout)
                .min()
                .unwrap();
            if next > end {
                self.now = end;
                return;
            }
            self.now = next;
            for r in &mut self.routers {
                if r.poll_timeout().is_some_and(|t| t <= next) {
                    r.handle_timeout(next);
                }
            }
            self.deliver();
        }
    }

    fn metric(&self, r: usize, dest: &str) -> Option<u32> {
        self.routers[r].database().get(&n(dest)).map(|l| l.metric)
    }

    fn cut(&mut self, r: usize, k: usize) {
        self.cut.push((r, k));
        self.configure(r);
        self.deliver();
    }
}

#[test]
fn a_line_converges_with_hop_counts() {
    let mut net = Net::line();
    assert_eq!(net.metric(0, "192.168.3.0/24"), Some(2));
    assert_eq!(net.metric(0, "10.0.23.0/24"), Some(1));
    assert_eq!(net.metric(2, "192.168.1.0/24"), Some(2));
    assert_eq!(net.metric(1, "192.168.1.0/24"), Some(1));
    let r = &net.routers[0].rib_routes();
    let lan3 = r.iter().find(|x| x.dest == n("192.168.3.0/24")).unwrap();
    assert_eq!(
        (lan3.next_hop, lan3.iface, lan3.distance),
        (Some(ip("10.0.12.2")), 1, 120)
    );
    assert!(net.notes.iter().any(|(r, x)| *r == 1
        && x.to_string()
            == "RIP adds 192.168.3.0/24 via 10.0.23.3, metric 1: learned from 10.0.23.3's update"));
    // Periodic updates keep everything; nothing expires over 10 minutes.
    net.run_until(SimTime::from_secs(600));
    assert_eq!(net.metric(0, "192.168.3.0/24"), Some(2));
    let periodic = net
        .sent
        .iter()
        .filter(|(r, t)| {
            *r == 0 && t.iface == 1 && !t.triggered && t.repr.command == Command::Response
        })
        .count();
    // One at start-up, then every 30 s less up to 4.5 s of jitter.
    assert!((20..=24).contains(&periodic), "{periodic}");
}

#[test]
fn split_horizon_with_poison_reverse() {
    let mut net = Net::line();
    net.run_until(SimTime::from_secs(31));
    // R1's last full update out of Gi0/1 (towards R0): R0's LAN comes back
    // with metric 16, R2's LAN with 2.
    let (_, t) = net
        .sent
        .iter()
        .rev()
        .find(|(r, t)| {
            *r == 1
                && t.iface == 1
                && !t.triggered
                && t.dst == GROUP
                && t.repr.command == Command::Response
        })
        .unwrap();
    let m = |d: &str| {
        t.repr
            .entries
            .iter()
            .find(|e| e.dest() == Some(n(d)))
            .map(|e| e.metric)
    };
    assert_eq!(m("192.168.1.0/24"), Some(16), "poison reverse");
    assert_eq!(m("192.168.3.0/24"), Some(2));
    assert_eq!(m("192.168.2.0/24"), Some(1));
    assert_eq!(m("10.0.12.0/24"), None, "its own network is not sent back");
}

#[test]
fn a_cut_lan_does_not_count_to_infinity() {
    let mut net = Net::line();
    net.run_until(SimTime::from_secs(40));
    // R2's LAN goes down: R2 stops advertising it... and the others must
    // not bounce it between them with growing metrics.
    net.cut(2, 0);
    // R2 poisons its lost network in a triggered update; R1 holds it down
    // and passes the poison on; nobody offers it back with a bigger metric.
    for t in [41, 100, 200, 250, 300, 400] {
        net.run_until(SimTime::from_secs(t));
        for r in 0..2 {
            let m = net.metric(r, "192.168.3.0/24");
            assert!(m.is_none_or(|m| m == 16), "router {r} at {t}s: {m:?}");
        }
    }
    assert_eq!(net.metric(0, "192.168.3.0/24"), None);
    assert_eq!(net.metric(1, "192.168.3.0/24"), None);
    // No update between the routers ever carried 192.168.3.0/24 with a
    // metric 3..15 (R0's own LAN hears 3, rightly).
    for (_, t) in net.sent.iter().filter(|(r, t)| !(*r == 0 && t.iface == 0)) {
        for e in &t.repr.entries {
            if e.dest() == Some(n("192.168.3.0/24")) {
                assert!(e.metric <= 2 || e.metric == 16, "{e:?}");
            }
        }
    }
}

#[test]
fn a_silent_neighbour_times_out_invalid_holddown_flush() {
    let mut net = Net::line();
    net.run_until(SimTime::from_secs(10));
    let last = net.routers[1].database()[&n("192.168.3.0/24")].paths[0].updated;
    // R1 - R2 link goes dark on R2's side only: R1 hears nothing more.
    net.cut.push((2, 1));
    net.run_until(last + INVALID_S - std::time::Duration::from_secs(1));
    assert_eq!(net.metric(1, "192.168.3.0/24"), Some(1));
    net.run_until(last + INVALID_S);
    let l = &net.routers[1].database()[&n("192.168.3.0/24")];
    assert_eq!(l.metric, 16, "invalid: possibly down");
    assert!(l.holddown_until.is_some());
    assert!(
        net.routers[1]
            .rib_routes()
            .iter()
            .all(|r| r.dest != n("192.168.3.0/24"))
    );
    // R0 heard the poison in R1's triggered update.
    assert_eq!(net.metric(0, "192.168.3.0/24"), Some(16));
    assert!(
        net.notes
            .iter()
            .any(|(r, x)| *r == 1 && matches!(x, Note::Invalid { .. }))
    );
    net.run_until(last + std::time::Duration::from_secs(239));
    assert_eq!(net.metric(1, "192.168.3.0/24"), Some(16));
    net.run_until(last + std::time::Duration::from_secs(240));
    assert_eq!(net.metric(1, "192.168.3.0/24"), None, "flushed");
    assert!(
        net.notes.iter().any(|(r, x)| *r == 1
            && x.to_string() == "RIP flushes 192.168.3.0/24: 240 s without an update")
    );
}

const INVALID_S: std::time::Duration = engine::INVALID;

#[test]
fn equal_cost_paths_in_a_square() {
    // R0 - R1, R0 - R2, R1 - R3, R2 - R3; R3's LAN is two hops from R0 both ways.
    let mut net = Net::new(vec![
        vec![n("10.0.1.1/24"), n("10.0.2.1/24")],
        vec![n("10.0.1.2/24"), n("10.0.3.1/24")],
        vec![n("10.0.2.2/24"), n("10.0.4.1/24")],
        vec![n("10.0.3.2/24"), n("10.0.4.2/24"), n("192.168.4.1/24")],
    ]);
    net.run_until(SimTime::from_secs(5));
    let l = &net.routers[0].database()[&n("192.168.4.0/24")];
    assert_eq!(l.metric, 2);
    assert_eq!(l.paths.len(), 2, "{l:?}");
}

#[test]
fn ignores_updates_from_off_subnet_senders() {
    let mut r = Rip::new(1);
    r.configure(
        SimTime::ZERO,
        vec![Interface {
            net: Some(n("10.0.12.1/24")),
            enabled: true,
            passive: false,
            name: "Gi0/0".into(),
        }],
        Settings::default(),
    );
    let repr = Repr {
        command: Command::Response,
        version: 2,
        entries: vec![Entry::route(n("192.168.9.0/24"), 1)],
    };
    r.handle_message(SimTime::ZERO, 0, ip("10.9.9.9"), &repr);
    assert!(r.database().is_empty());
    r.handle_message(SimTime::ZERO, 0, ip("10.0.12.2"), &repr);
    assert_eq!(r.database().len(), 1);
}

#[test]
fn passive_and_auto_summary_and_default() {
    let mut r = Rip::new(1);
    r.configure(
        SimTime::ZERO,
        vec![
            Interface {
                net: Some(n("172.16.1.1/24")),
                enabled: true,
                passive: true,
                name: "Gi0/0".into(),
            },
            Interface {
                net: Some(n("10.0.12.1/24")),
                enabled: true,
                passive: false,
                name: "Gi0/1".into(),
            },
        ],
        Settings {
            auto_summary: true,
            default_originate: true,
        },
    );
    let mut out = Vec::new();
    while let Some(t) = r.poll_transmit() {
        out.push(t);
    }
    assert!(
        out.iter().all(|t| t.iface == 1),
        "nothing out of a passive interface"
    );
    let update = out
        .iter()
        .find(|t| t.repr.command == Command::Response)
        .unwrap();
    let dests: Vec<_> = update.repr.entries.iter().filter_map(Entry::dest).collect();
    assert_eq!(dests, vec![n("0.0.0.0/0"), n("172.16.0.0/16")]);
}
