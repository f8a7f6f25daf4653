//! Wire round trips and a small network of bridges driven through time.

use std::collections::BTreeMap;
use std::time::Duration;

use super::frame::{self, BpduFrame, Encap};
use super::*;
use crate::SimTime;

fn mac(n: u8) -> [u8; 6] {
    [0x00, 0x01, 0x42, 0x00, 0x00, n]
}

fn sample() -> Config {
    Config {
        flags: Flags(Flags::TC),
        root: BridgeId {
            priority: 32769,
            mac: mac(1),
        },
        cost: 19,
        bridge: BridgeId {
            priority: 32769,
            mac: mac(2),
        },
        port: PortId::new(2),
        message_age: 256,
        max_age: 20 * 256,
        hello: 2 * 256,
        forward_delay: 15 * 256,
    }
}

#[test]
fn config_tcn_and_rst_round_trip() {
    for r in [Repr::Config(sample()), Repr::Tcn, Repr::Rst(sample())] {
        let b = r.to_bytes();
        assert_eq!(b.len(), r.buffer_len());
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!(Repr::parse(&p).unwrap(), r);
    }
    let b = Repr::Config(sample()).to_bytes();
    assert_eq!(&b[..5], &[0, 0, 0, 0, 1]);
    assert_eq!(&b[5..13], &[0x80, 0x01, 0, 1, 0x42, 0, 0, 1]);
    assert_eq!(&b[25..27], &[0x80, 0x02]);
    assert_eq!(
        Repr::Config(sample()).to_string(),
        "STP Conf. Root = 32769/00:01:42:00:00:01  Cost = 19  Bridge = 32769/00:01:42:00:00:02  Port = 128.2  TC"
    );
}

#[test]
fn bad_bytes_are_errors_not_panics() {
    assert!(Packet::new_checked(&[0u8, 0, 0][..]).is_err());
    assert!(matches!(
        Packet::new_checked(&[0u8, 1, 0, 0][..]),
        Err(WireError::Protocol(1))
    ));
    assert!(matches!(
        Packet::new_checked(&[0u8; 20][..]),
        Err(WireError::Truncated { need: 35, .. })
    ));
    let mut b = Repr::Config(sample()).to_bytes();
    b[3] = 0x77;
    assert_eq!(
        Repr::parse(&Packet::new_checked(&b[..]).unwrap()),
        Err(WireError::UnknownType(0x77))
    );
    for n in 0..80 {
        let junk: Vec<u8> = (0..n).map(|i| (i * 37 + 5) as u8).collect();
        let _ = frame::parse(&junk);
        let _ = frame::fields(&junk);
        let _ = wire::fields(&junk, 0);
    }
}

#[test]
fn ieee_and_pvst_frames() {
    let ieee = BpduFrame {
        src: mac(9),
        tag: None,
        encap: Encap::Ieee,
        bpdu: Repr::Config(sample()),
    };
    let f = ieee.emit();
    assert_eq!(f.len(), 60);
    assert_eq!(&f[..6], &frame::IEEE_MAC);
    assert_eq!(&f[12..17], &[0, 38, 0x42, 0x42, 0x03]);
    assert_eq!(frame::parse(&f).unwrap(), ieee);
    let pvst = BpduFrame {
        src: mac(9),
        tag: Some(10),
        encap: Encap::Pvst { vlan: 10 },
        bpdu: Repr::Rst(sample()),
    };
    let f = pvst.emit();
    assert_eq!(&f[12..16], &[0x81, 0x00, 0, 10]);
    assert_eq!(&f[18..26], &[0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0x01, 0x0b]);
    assert_eq!(&f[f.len() - 6..], &[0, 0, 0, 2, 0, 10]);
    let back = frame::parse(&f).unwrap();
    assert_eq!(back, pvst);
    assert_eq!(back.vlan(1), 10);
    // The field tree: every range inside the frame, the root's bytes right.
    let tree = frame::fields(&f);
    let all: Vec<_> = tree.iter().flat_map(|t| t.walk()).collect();
    assert!(all.iter().all(|x| x.range.end <= f.len()));
    let root = all.iter().find(|x| x.label == "Root Identifier").unwrap();
    assert_eq!(&f[root.range.clone()], &sample().root.to_bytes());
    let vlan = all
        .iter()
        .find(|x| x.label == "Originating VLAN (PVID)")
        .unwrap();
    assert_eq!(vlan.value, "10");
}

/// The frame as the first, allocating encoder built it, piece by piece.
fn reference_frame(f: &BpduFrame) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(match f.encap {
        Encap::Ieee => &frame::IEEE_MAC,
        Encap::Pvst { .. } => &frame::PVST_MAC,
    });
    v.extend_from_slice(&f.src);
    if let Some(t) = f.tag {
        v.extend_from_slice(&[0x81, 0x00]);
        v.extend_from_slice(&(t & 0x0fff).to_be_bytes());
    }
    let len_at = v.len();
    v.extend_from_slice(&[0, 0]);
    match f.encap {
        Encap::Ieee => v.extend_from_slice(&[0x42, 0x42, 0x03]),
        Encap::Pvst { .. } => v.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0x01, 0x0b]),
    }
    let b = f.bpdu.to_bytes();
    let pad = 36usize.saturating_sub(b.len());
    v.extend_from_slice(&b);
    if let Encap::Pvst { vlan } = f.encap {
        v.resize(v.len() + pad, 0);
        v.extend_from_slice(&[0, 0, 0, 2]);
        v.extend_from_slice(&vlan.to_be_bytes());
    }
    let len = (v.len() - len_at - 2) as u16;
    v[len_at..len_at + 2].copy_from_slice(&len.to_be_bytes());
    v.resize(v.len().max(60), 0);
    v
}

#[test]
fn emit_into_writes_every_kind_of_frame_byte_for_byte() {
    let mut rst = sample();
    rst.flags = Flags(0x7f);
    for bpdu in [Repr::Config(sample()), Repr::Tcn, Repr::Rst(rst)] {
        for encap in [
            Encap::Ieee,
            Encap::Pvst { vlan: 1 },
            Encap::Pvst { vlan: 4094 },
        ] {
            for tag in [None, Some(1), Some(20), Some(4095)] {
                let f = BpduFrame {
                    src: mac(7),
                    tag,
                    encap,
                    bpdu,
                };
                let want = reference_frame(&f);
                let mut buf = [0xeeu8; frame::MAX_FRAME];
                let n = f.emit_into(&mut buf);
                assert_eq!(&buf[..n], &want[..], "{f:?}");
                assert_eq!(f.emit(), want);
                assert!(n <= frame::MAX_FRAME);
                assert_eq!(frame::parse(&want).unwrap().bpdu, bpdu);
            }
        }
    }
}

// ---- a network of bridges ----

/// (bridge, port) at each end, and whether it is plugged in.
type Cable = ((usize, usize), (usize, usize), bool);

struct Net {
    now: SimTime,
    seq: u64,
    bridges: Vec<Bridge>,
    /// (a, port) <-> (b, port), up
    links: Vec<Cable>,
    queue: BTreeMap<(SimTime, u64), (usize, usize, Repr)>,
    frames: u64,
    log: Vec<(SimTime, usize, Event)>,
}

impl Net {
    fn new(mode: Mode, prios: &[u16], ports: usize) -> Net {
        let bridges = prios
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                Bridge::new(
                    BridgeConfig {
                        mode,
                        id: BridgeId {
                            priority: p,
                            mac: mac(i as u8 + 1),
                        },
                        timers: Timers::default(),
                    },
                    &vec![
                        PortSetup {
                            cost: 19,
                            edge: false,
                            send_bpdus: true,
                        };
                        ports
                    ],
                )
            })
            .collect();
        Net {
            now: SimTime::ZERO,
            seq: 0,
            bridges,
            links: Vec::new(),
            queue: BTreeMap::new(),
            frames: 0,
            log: Vec::new(),
        }
    }

    fn link(&mut self, a: (usize, usize), b: (usize, usize)) {
        self.links.push((a, b, true));
        let now = self.now;
        self.bridges[a.0].port_up(now, a.1);
        self.bridges[b.0].port_up(now, b.1);
        self.drain(a.0);
        self.drain(b.0);
    }

    fn cut(&mut self, k: usize) {
        let (a, b, _) = self.links[k];
        self.links[k].2 = false;
        let now = self.now;
        self.bridges[a.0].port_down(now, a.1);
        self.bridges[b.0].port_down(now, b.1);
        self.drain(a.0);
        self.drain(b.0);
    }

    fn drain(&mut self, d: usize) {
        while let Some(e) = self.bridges[d].poll_event() {
            self.log.push((self.now, d, e));
        }
        while let Some((p, r)) = self.bridges[d].poll_output() {
            let peer = self.links.iter().find_map(|&(a, b, up)| {
                if !up {
                    None
                } else if a == (d, p) {
                    Some(b)
                } else if b == (d, p) {
                    Some(a)
                } else {
                    None
                }
            });
            if let Some((pd, pp)) = peer {
                self.seq += 1;
                self.frames += 1;
                self.queue
                    .insert((self.now + Duration::from_millis(1), self.seq), (pd, pp, r));
            }
        }
    }

    fn run_until(&mut self, t: SimTime) {
        loop {
            let qt = self.queue.keys().next().map(|k| k.0);
            let bt = self
                .bridges
                .iter()
                .enumerate()
                .filter_map(|(i, b)| b.poll_timeout().map(|t| (t, i)))
                .min();
            let next = match (qt, bt) {
                (Some(q), Some((b, _))) => q.min(b),
                (Some(q), None) => q,
                (None, Some((b, _))) => b,
                (None, None) => break,
            };
            if next > t {
                break;
            }
            self.now = next;
            if qt == Some(next) {
                let (_, (d, p, r)) = self.queue.pop_first().unwrap();
                self.bridges[d].handle_bpdu(next, p, &r);
                self.drain(d);
            } else if let Some((_, i)) = bt {
                self.bridges[i].handle_timeout(next);
                self.drain(i);
            }
        }
        self.now = t;
    }

    fn converged(&self) -> bool {
        self.bridges.iter().all(Bridge::converged)
    }

    fn state(&self, b: usize, p: usize) -> (Role, State) {
        let v = self.bridges[b].port(p).unwrap();
        (v.role, v.state)
    }

    /// When a port of bridge `b` last entered `state`.
    fn entered(&self, b: usize, port: usize, state: State) -> Option<SimTime> {
        self.log
            .iter()
            .rev()
            .find(|(_, d, e)| *d == b && *e == Event::State { port, state })
            .map(|x| x.0)
    }
}

/// SW0 (root, lowest priority) – SW1 – SW2 in a triangle. Ports: 0 and 1.
/// SW0.0–SW1.0, SW1.1–SW2.0, SW2.1–SW0.1.
fn triangle(mode: Mode) -> Net {
    let mut n = Net::new(mode, &[24577, 32769, 32769], 2);
    n.link((0, 0), (1, 0));
    n.link((1, 1), (2, 0));
    n.link((2, 1), (0, 1));
    n
}

#[test]
fn pvst_triangle_elects_root_and_blocks_one_port_after_30_s() {
    let mut n = triangle(Mode::Pvst);
    n.run_until(SimTime::from_secs(29));
    assert!(!n.converged());
    assert_eq!(n.state(1, 0), (Role::Root, State::Learning));
    n.run_until(SimTime::from_secs(31));
    assert!(n.converged());
    for b in &n.bridges {
        assert_eq!(b.root_id(), n.bridges[0].id());
    }
    assert!(n.bridges[0].is_root());
    assert_eq!(n.state(0, 0), (Role::Designated, State::Forwarding));
    assert_eq!(n.state(0, 1), (Role::Designated, State::Forwarding));
    assert_eq!(n.state(1, 0), (Role::Root, State::Forwarding));
    assert_eq!(n.state(2, 1), (Role::Root, State::Forwarding));
    // SW1 and SW2 tie on cost 19; SW1's lower MAC makes it designated on
    // their link and SW2's port alternate.
    assert_eq!(n.state(1, 1), (Role::Designated, State::Forwarding));
    assert_eq!(n.state(2, 0), (Role::Alternate, State::Blocking));
    let why = n.bridges[2].port(0).unwrap().why.unwrap();
    assert_eq!(why.bridge, n.bridges[1].id());
    assert_eq!(why.cost, 19);
    assert_eq!(why.root_port, Some(1));
    assert_eq!(n.entered(1, 0, State::Listening), Some(SimTime::ZERO));
    assert_eq!(
        n.entered(1, 0, State::Learning),
        Some(SimTime::from_secs(15))
    );
    assert_eq!(
        n.entered(1, 0, State::Forwarding),
        Some(SimTime::from_secs(30))
    );
    // After convergence only hellos: the root's designated ports every 2 s.
    let before = n.frames;
    n.run_until(SimTime::from_secs(131));
    assert!(n.converged());
    let per_hello = (n.frames - before) / 50;
    assert!(per_hello <= 5, "{per_hello} BPDUs per hello");
}

#[test]
fn pvst_indirect_failure_takes_max_age_plus_two_forward_delays() {
    let mut n = triangle(Mode::Pvst);
    n.run_until(SimTime::from_secs(100));
    // Cut SW0–SW1: SW1 loses its root port; SW2's alternate port only hears
    // SW1's inferior BPDUs, which it ignores until max age.
    let cut = SimTime::from_secs(100);
    n.cut(0);
    n.run_until(SimTime::from_secs(140));
    assert_eq!(n.state(2, 0).1, State::Learning);
    n.run_until(SimTime::from_secs(200));
    assert!(n.converged());
    assert_eq!(n.state(2, 0), (Role::Designated, State::Forwarding));
    assert_eq!(n.state(1, 1), (Role::Root, State::Forwarding));
    assert_eq!(n.bridges[1].root_id(), n.bridges[0].id());
    assert_eq!(n.bridges[1].root_cost(), 38);
    let fwd = n.entered(2, 0, State::Forwarding).unwrap();
    let took = fwd.saturating_since(cut).as_secs();
    assert!((48..=52).contains(&took), "reconverged after {took} s");
    assert!(
        n.log
            .iter()
            .any(|(_, d, e)| *d == 2 && *e == Event::InferiorIgnored { port: 0 })
    );
    assert!(
        n.log
            .iter()
            .any(|(_, d, e)| *d == 2 && *e == Event::InfoExpired { port: 0 })
    );
    // The change was reported to the root, which set TC for everyone.
    assert!(
        n.log
            .iter()
            .any(|(_, d, e)| *d == 0 && matches!(e, Event::TcnReceived { .. }))
    );
}

#[test]
fn rapid_triangle_converges_at_once_and_recovers_in_seconds() {
    let mut n = triangle(Mode::RapidPvst);
    n.run_until(SimTime::from_millis(100));
    assert!(n.converged(), "{:?}", n.log);
    assert_eq!(n.state(2, 0), (Role::Alternate, State::Discarding));
    assert_eq!(n.state(1, 1), (Role::Designated, State::Forwarding));
    assert!(
        n.log
            .iter()
            .any(|(_, _, e)| matches!(e, Event::Agreed { .. }))
    );
    n.run_until(SimTime::from_secs(60));
    let cut = n.now;
    n.cut(0);
    n.run_until(cut + Duration::from_secs(10));
    assert!(n.converged());
    assert_eq!(n.bridges[1].root_id(), n.bridges[0].id());
    assert_eq!(n.state(2, 0).1, State::Forwarding);
    let took = n
        .entered(2, 0, State::Forwarding)
        .unwrap()
        .saturating_since(cut);
    assert!(took <= Duration::from_secs(7), "{took:?}");
}

#[test]
fn rapid_direct_failure_uses_the_alternate_at_once() {
    let mut n = triangle(Mode::RapidPvst);
    n.run_until(SimTime::from_secs(10));
    // Cut SW2's root port (SW2–SW0): its alternate becomes root at once.
    let cut = n.now;
    n.cut(2);
    n.run_until(cut + Duration::from_millis(50));
    assert_eq!(n.state(2, 0), (Role::Root, State::Forwarding));
    assert!(n.converged());
}

#[test]
fn pvst_direct_failure_takes_two_forward_delays() {
    let mut n = triangle(Mode::Pvst);
    n.run_until(SimTime::from_secs(60));
    let cut = n.now;
    n.cut(2);
    n.run_until(cut + Duration::from_secs(29));
    assert_eq!(n.state(2, 0), (Role::Root, State::Learning));
    n.run_until(cut + Duration::from_secs(31));
    assert_eq!(n.state(2, 0), (Role::Root, State::Forwarding));
}

#[test]
fn edge_port_forwards_at_once_until_a_bpdu_arrives() {
    let mut n = Net::new(Mode::Pvst, &[32769, 32769], 2);
    n.bridges[0].set_edge(SimTime::ZERO, 1, true);
    n.bridges[0].port_up(SimTime::ZERO, 1);
    assert_eq!(n.state(0, 1), (Role::Designated, State::Forwarding));
    n.link((0, 0), (1, 0));
    assert_eq!(n.state(0, 0), (Role::Designated, State::Listening));
    assert!(
        !n.log
            .iter()
            .any(|(_, _, e)| matches!(e, Event::TopologyChange { .. }))
    );
}

#[test]
fn priority_change_moves_the_root() {
    let mut n = triangle(Mode::RapidPvst);
    n.run_until(SimTime::from_secs(5));
    let now = n.now;
    n.bridges[2].set_priority(now, 4096 + 1);
    n.drain(2);
    n.run_until(SimTime::from_secs(10));
    assert!(n.converged());
    for b in &n.bridges {
        assert_eq!(b.root_id(), n.bridges[2].id());
    }
}

#[test]
fn backup_port_on_a_looped_cable() {
    // Two ports of one bridge cabled to each other: one is backup.
    let mut n = Net::new(Mode::Pvst, &[32769], 2);
    n.link((0, 0), (0, 1));
    n.run_until(SimTime::from_secs(40));
    assert_eq!(n.state(0, 0), (Role::Designated, State::Forwarding));
    assert_eq!(n.state(0, 1), (Role::Backup, State::Blocking));
}
