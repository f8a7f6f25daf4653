//! Runs the ospf-100 bench's lab (`benches/ospf.rs`) `N` times (default 1)
//! and prints what the bench prints, for callgrind and perf:
//! `cargo build --profile bench -p lanlab-sim --example ospf`, then e.g.
//! `valgrind --tool=callgrind --toggle-collect=ospf::bench::run target/bench/examples/ospf`
//! (leaves out building the lab).

#[allow(dead_code)]
#[path = "../benches/ospf.rs"]
mod bench;

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let lab = bench::grid();
    let mut last = (0, 0, 0, 0);
    for _ in 0..n {
        last = bench::run(&lab);
    }
    let (t, hops, events, spf) = last;
    println!(
        "ospf-100 × {n}: converged at {t} s virtual; {hops} frame deliveries, {events} events, {spf} SPF runs (all routers)"
    );
}
