//! "ospf-100": 100 routers in a 10×10 grid (180 Ethernet links, each its
//! own /24 with a DR and BDR), OSPF area 0 on every interface, from power-on
//! to every adjacency FULL and every routing table holding all 180
//! networks. Target: ≤ 150 ms natively. Prints frames, events and SPF runs.

use criterion::{Criterion, criterion_group, criterion_main};
use lanlab_doc::ospf::{OspfNetwork, OspfSettings};
use lanlab_proto::SimTime;
use lanlab_sim::config::{IpConfig, StaticIp};
use lanlab_sim::{DeviceKind, Engine, Lab, LinkEnd, Point};
use std::net::Ipv4Addr;

const SIDE: usize = 10;

pub fn grid() -> Lab {
    let mut lab = Lab::new("ospf-100");
    let mut ids = Vec::new();
    for y in 0..SIDE {
        for x in 0..SIDE {
            let id = lab.add_device(
                DeviceKind::Router,
                Point::new(x as f64 * 80.0, y as f64 * 80.0),
            );
            lab.rename_device(id, &format!("R{}", y * SIDE + x + 1))
                .unwrap();
            ids.push(id);
        }
    }
    let mut s = 0u32;
    let mut link = |lab: &mut Lab, a: usize, pa: usize, b: usize, pb: usize| {
        s += 1;
        for (dev, port, host) in [(a, pa, 1u8), (b, pb, 2u8)] {
            let d = lab.device_mut(ids[dev]).unwrap();
            d.ports[port].ip = IpConfig::Static(StaticIp {
                address: Ipv4Addr::new(10, (s / 256) as u8, (s % 256) as u8, host),
                mask: Ipv4Addr::new(255, 255, 255, 0),
                gateway: None,
                dns: Vec::new(),
            });
        }
        lab.connect_ports(
            LinkEnd {
                device: ids[a],
                port: pa,
            },
            LinkEnd {
                device: ids[b],
                port: pb,
            },
        )
        .unwrap();
    };
    for y in 0..SIDE {
        for x in 0..SIDE {
            let i = y * SIDE + x;
            if x + 1 < SIDE {
                link(&mut lab, i, 0, i + 1, 1);
            }
            if y + 1 < SIDE {
                link(&mut lab, i, 2, i + SIDE, 3);
            }
        }
    }
    for (i, id) in ids.iter().enumerate() {
        let d = lab.device_mut(*id).unwrap();
        d.ios.ospf = OspfSettings {
            process: Some(1),
            router_id: Some(Ipv4Addr::new(9, 9, (i / 256) as u8, (i % 256) as u8 + 1)),
            networks: vec![OspfNetwork {
                addr: Ipv4Addr::new(10, 0, 0, 0),
                wildcard: Ipv4Addr::new(0, 255, 255, 255),
                area: Ipv4Addr::UNSPECIFIED,
            }],
            ..Default::default()
        };
    }
    lab
}

/// Runs until converged; returns (virtual seconds, frames, events, SPF runs).
#[inline(never)]
pub fn run(lab: &Lab) -> (u64, usize, u64, u64) {
    let mut e = Engine::new(lab).expect("valid");
    let links = 2 * SIDE * (SIDE - 1);
    for t in 1..600 {
        e.run_until(SimTime::from_secs(t));
        let done = (1..=SIDE * SIDE).all(|i| {
            let r = e.router(&format!("R{i}")).unwrap();
            r.ospf().is_some_and(|o| {
                o.is_settled() && o.routes().len() + o.interfaces(e.now()).len() == links
            })
        });
        if done {
            let spf = (1..=SIDE * SIDE)
                .map(|i| {
                    e.router(&format!("R{i}"))
                        .unwrap()
                        .ospf()
                        .unwrap()
                        .stats()
                        .spf_runs
                })
                .sum();
            return (t, e.trace().hop_count(), e.events_delivered(), spf);
        }
    }
    panic!("ospf-100 did not converge in 600 virtual seconds");
}

fn bench(c: &mut Criterion) {
    let lab = grid();
    let (t, hops, events, spf) = run(&lab);
    println!(
        "ospf-100: converged at {t} s virtual; {hops} frame deliveries, {events} events, {spf} SPF runs (all routers)"
    );
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.bench_function("ospf-100", |b| b.iter(|| run(&lab)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
