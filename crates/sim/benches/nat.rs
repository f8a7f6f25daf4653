//! "nat-10000" (issue 18): 10,000 inside PCs (100 subnets of 100, each on
//! its own switch) behind one PAT router (`ip nat inside source list 1
//! interface … overload`) each open one TCP connection to a server outside,
//! send 100 bytes and close; ARP, the handshakes, the data and the closes
//! all cross the translator. Trace on. Target: ≤ 1 s natively.
//!
//! Before criterion starts the lab is run three times and the CPU time of
//! the best run is printed (from `/proc/thread-self/schedstat`): on the
//! shared 2-core box the wall clock criterion reports can be several times
//! the CPU time.

use criterion::{Criterion, criterion_group, criterion_main};
use lanlab_proto::SimTime;
use lanlab_sim::testnet::nat_fan_out;
use lanlab_sim::{Engine, JobStatus};

const SUBNETS: usize = 100;
const HOSTS: usize = 100;

/// Runs the lab; returns (frame deliveries, events, jobs succeeded, NAT entries).
fn run(lab: &lanlab_sim::Lab) -> (usize, u64, usize, usize) {
    let mut e = Engine::new(lab).expect("valid");
    e.run_until(SimTime::from_secs(10));
    let ok = e
        .jobs()
        .iter()
        .filter(|j| j.status == JobStatus::Succeeded)
        .count();
    let router = &e.lab().devices[0].name;
    let entries = e.nat_entries(router).len();
    (e.trace().hop_count(), e.events_delivered(), ok, entries)
}

/// Nanoseconds this thread has run on a CPU (`/proc/thread-self/schedstat`).
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn bench(c: &mut Criterion) {
    let lab = nat_fan_out(SUBNETS, HOSTS, 1_000, 100);
    let pcs = SUBNETS * HOSTS;
    let mut best: Option<f64> = None;
    for i in 0..3 {
        let start = cpu_ns();
        let (hops, events, ok, entries) = run(&lab);
        let ms = start.zip(cpu_ns()).map(|(a, b)| (b - a) as f64 / 1e6);
        assert_eq!(ok, pcs, "every connection completes");
        assert_eq!(entries, pcs, "one translation per connection");
        if i == 0 {
            println!(
                "nat-10000: {hops} frame deliveries, {events} events, {ok} connections, {entries} translations"
            );
        }
        best = match (best, ms) {
            (Some(b), Some(m)) => Some(b.min(m)),
            (b, m) => b.or(m),
        };
    }
    if let Some(b) = best {
        println!("nat-10000: {b:.1} ms CPU (best of 3)");
    }
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.bench_function("nat-10000", |b| b.iter(|| run(&lab)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
