//! "campus-1000": the ping-1000 layout (ten /24 subnets of 100 PCs, one
//! router, a server), but every PC gets its address by DHCP from the server
//! through the router's relay, then resolves `server.campus.lab` with the
//! server's DNS and pings it once. Trace on. Target: ≤ 150 ms natively.
//!
//! Measured on the shared 2-core box (load average ≈ 8): 325 002 frame
//! deliveries, 328 772 events per run; criterion wall time ≈ 188 ms; CPU
//! time ≈ 148 ms per run (`examples/campus.rs` under `time`: 1.48 s user +
//! sys for 10 runs). Broadcast DISCOVER/REQUEST flooding to 100 PCs per
//! switch is most of the frames.

use criterion::{Criterion, criterion_group, criterion_main};
use lanlab_proto::SimTime;
use lanlab_sim::testnet::campus;
use lanlab_sim::{Engine, JobStatus};

fn run(lab: &lanlab_sim::Lab) -> (usize, u64, usize) {
    let mut e = Engine::new(lab).expect("valid");
    e.run_until(SimTime::from_secs(8));
    let ok = e
        .jobs()
        .iter()
        .filter(|j| j.status == JobStatus::Succeeded)
        .count();
    (e.trace().hop_count(), e.events_delivered(), ok)
}

fn bench(c: &mut Criterion) {
    let lab = campus(10, 100, 3_000);
    let (hops, events, ok) = run(&lab);
    println!(
        "campus-1000: {hops} frame deliveries, {events} events, {ok}/1000 pings by name succeeded"
    );
    assert_eq!(ok, 1000);
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.bench_function("campus-1000", |b| b.iter(|| run(&lab)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
