//! "seek-5000": step back from event 5,000 by replay from zero (what the
//! app's Step back does) on the simulation-mode benchmark's lab: the ping
//! fan-in layout with 4 subnets of 48 PCs (198 devices), 100 PCs pinging.
//! The browser target is ≤ 100 ms per step back; replay is fast enough that
//! the engine keeps no snapshots (measured natively: ≈ 2.4 ms for a seek plus one step).

use criterion::{Criterion, criterion_group, criterion_main};
use lanlab_sim::Engine;
use lanlab_sim::testnet::ping_fan_in;

fn bench(c: &mut Criterion) {
    let mut lab = ping_fan_in(4, 48);
    lab.actions.truncate(100);
    let mut e = Engine::new(&lab).expect("valid");
    while e.events_delivered() < 5_000 && e.step() {}
    assert_eq!(e.events_delivered(), 5_000);
    let rows = e.trace().len();
    let mut g = c.benchmark_group("sim");
    g.sample_size(20);
    g.bench_function("seek-5000", |b| {
        b.iter(|| {
            e.seek(4_999);
            assert!(e.trace().len() < rows);
            e.step();
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
