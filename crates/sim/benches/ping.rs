//! "ping-1000": ten /24 subnets of 100 PCs, each on its own switch, joined
//! by one router; every PC pings a server in its own subnet once (ARP
//! included), trace on. Also the same with one subnet of 100 PCs, to see
//! how the run scales.
//!
//! Measured on the shared 2-core development box (other builds running),
//! criterion wall time: ping-1000 ≈ 37 ms per run (109 002 frame
//! deliveries, ≈ 2.9 M/s; CPU time alone ≈ 17 ms, ≈ 6 M/s), ping-100
//! ≈ 3.5 ms; ratio ≈ 10.6. Without the trace the ratio is ≈ 10: what grows
//! faster than linear is the fresh memory of a 9 MB trace.

use criterion::{Criterion, criterion_group, criterion_main};
use lanlab_sim::Engine;
use lanlab_sim::testnet::ping_fan_in;

fn run(lab: &lanlab_sim::Lab) -> (usize, u64) {
    let mut e = Engine::new(lab).expect("valid");
    assert!(e.run_until_idle(10_000_000));
    (e.trace().hop_count(), e.events_delivered())
}

fn bench(c: &mut Criterion) {
    let big = ping_fan_in(10, 100);
    let small = ping_fan_in(1, 100);
    let (hops, events) = run(&big);
    println!("ping-1000: {hops} frame deliveries, {events} events per run");
    let (hops_s, events_s) = run(&small);
    println!("ping-100: {hops_s} frame deliveries, {events_s} events per run");
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.bench_function("ping-1000", |b| b.iter(|| run(&big)));
    g.bench_function("ping-100", |b| b.iter(|| run(&small)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
