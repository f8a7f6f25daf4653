//! "stp-100": 100 switches in a 10×10 grid (180 cables between
//! neighbours, every one a trunk), 20 VLANs in each switch's VLAN database
//! (1 and 2–20) of PVST+ (802.1D per VLAN: 2 000 spanning tree instances;
//! VLAN 1 as IEEE BPDUs, the others as 802.1Q-tagged SSTP BPDUs), from
//! power-on to converged: every port of every instance
//! forwarding or blocking for good, which 802.1D reaches after
//! 2 × forward delay (30 virtual seconds). Trace off for the timing; a
//! traced run counts the BPDU frames.

use criterion::{Criterion, criterion_group, criterion_main};
use lanlab_proto::SimTime;
use lanlab_sim::vlan::{PortMode, SwitchPort};
use lanlab_sim::{DeviceKind, Engine, Lab, LinkEnd, Point, Proto};

const N: usize = 10;
const VLANS: u16 = 20;

fn grid() -> Lab {
    let mut lab = Lab::new("stp-100");
    let ids: Vec<_> = (0..N * N)
        .map(|i| {
            let p = Point::new((i % N) as f64 * 80.0, (i / N) as f64 * 80.0);
            lab.add_device_with_ports(DeviceKind::Switch, p, 4)
        })
        .collect();
    for &id in &ids {
        let d = lab.device_mut(id).unwrap();
        for v in 2..=VLANS {
            d.ios.vlan.create_vlan(v);
        }
        for port in 0..4 {
            let mut p = SwitchPort::new(port);
            p.mode = PortMode::Trunk;
            d.ios.vlan.set_port(p);
        }
    }
    let end = |k: usize, port: usize| LinkEnd {
        device: ids[k],
        port,
    };
    for r in 0..N {
        for c in 0..N {
            let k = r * N + c;
            if c + 1 < N {
                lab.connect_ports(end(k, 0), end(k + 1, 1)).unwrap();
            }
            if r + 1 < N {
                lab.connect_ports(end(k, 2), end(k + N, 3)).unwrap();
            }
        }
    }
    lab
}

/// Runs until every instance has converged; returns the virtual time.
fn converge(lab: &Lab, tracing: bool) -> (Engine, SimTime) {
    let mut e = Engine::new(lab).expect("valid");
    e.set_tracing(tracing);
    let names: Vec<String> = lab.devices.iter().map(|d| d.name.clone()).collect();
    let mut t = SimTime::ZERO;
    loop {
        t += std::time::Duration::from_millis(500);
        e.run_until(t);
        if names
            .iter()
            .all(|n| e.switch(n).is_some_and(|s| s.stp().converged()))
        {
            return (e, t);
        }
        assert!(t < SimTime::from_secs(120), "no convergence");
    }
}

fn bench(c: &mut Criterion) {
    let lab = grid();
    let (e, t) = converge(&lab, true);
    let bpdus = e.trace().filter(Proto::Stp).count();
    let instances: usize = lab
        .devices
        .iter()
        .map(|d| e.switch(&d.name).unwrap().stp().instances().len())
        .sum();
    let blocked: usize = lab
        .devices
        .iter()
        .map(|d| e.switch(&d.name).unwrap().blocked_ports().len())
        .sum();
    println!(
        "stp-100: {instances} instances converged at {t:?} virtual; {bpdus} BPDU frames, {} events; {blocked} ports blocked (180 cables - 99 tree links = 81, the same ports in every VLAN)",
        e.events_delivered()
    );
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.bench_function("stp-100", |b| b.iter(|| converge(&lab, false).1));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
