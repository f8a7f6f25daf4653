//! Runs the campus-1000 lab (see `benches/campus.rs`) `N` times (default
//! 10) and prints frames and events per run; time it from outside, e.g.
//! `cargo build --release -p lanlab-sim --example campus && time target/release/examples/campus 10`
//! — user time divided by N is the CPU time of one run, which a shared,
//! busy machine's wall clock overstates.

use lanlab_proto::SimTime;
use lanlab_sim::Engine;
use lanlab_sim::testnet::campus;

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let lab = campus(10, 100, 3_000);
    let mut last = (0, 0);
    for _ in 0..n {
        let mut e = Engine::new(&lab).expect("valid");
        e.run_until(SimTime::from_secs(8));
        last = (e.trace().hop_count(), e.events_delivered());
    }
    println!(
        "campus-1000 × {n}: {} frame deliveries, {} events per run",
        last.0, last.1
    );
}
