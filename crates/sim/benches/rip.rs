//! "rip-100": 100 routers in a 10×10 grid (`testnet::rip_grid`), every
//! one running RIPv2, from power-on until every routing table holds every
//! link network within RIP's 15 hops (its own /30s as C, the rest as R;
//! opposite corners are 18 hops apart, beyond RIP's reach). Trace on.
//! Target: ≤ 150 ms natively.

use criterion::{Criterion, criterion_group, criterion_main};
use lanlab_proto::SimTime;
use lanlab_sim::Engine;
use lanlab_sim::testnet::{rip_grid, rip_grid_converged};

const N: usize = 10;

/// Runs until converged (checked every 10 virtual ms); returns frame
/// deliveries, events and the virtual time it took.
#[inline(never)]
pub fn run(lab: &lanlab_sim::Lab) -> (usize, u64, u64) {
    let mut e = Engine::new(lab).expect("valid");
    let mut t = 0;
    loop {
        t += 10;
        e.run_until(SimTime::from_millis(t));
        if rip_grid_converged(&e, N) || t > 60_000 {
            break;
        }
    }
    (e.trace().hop_count(), e.events_delivered(), t)
}

#[allow(dead_code)]
pub fn grid() -> lanlab_sim::Lab {
    rip_grid(N)
}

fn bench(c: &mut Criterion) {
    let lab = rip_grid(N);
    let (hops, events, t) = run(&lab);
    println!("rip-100: converged at {t} virtual ms: {hops} frame deliveries, {events} events");
    assert!(t <= 60_000, "not converged");
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.bench_function("rip-100", |b| b.iter(|| run(&lab)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
