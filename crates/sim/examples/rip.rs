//! Runs the rip-100 bench's lab (`benches/rip.rs`) `N` times (default 1)
//! and prints what the bench prints, for callgrind and perf:
//! `cargo build --profile bench -p lanlab-sim --example rip`, then e.g.
//! `valgrind --tool=callgrind --toggle-collect=rip::bench::run target/bench/examples/rip`
//! (leaves out building the lab).

#[allow(dead_code)]
#[path = "../benches/rip.rs"]
mod bench;

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let lab = bench::grid();
    let mut last = (0, 0, 0);
    for _ in 0..n {
        last = bench::run(&lab);
    }
    let (hops, events, t) = last;
    println!(
        "rip-100 × {n}: converged at {t} virtual ms: {hops} frame deliveries, {events} events"
    );
}
