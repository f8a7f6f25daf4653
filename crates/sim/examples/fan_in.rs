//! Runs the benchmark's ping fan-in lab `ITER` times, for profiling:
//! `cargo run --release -p lanlab-sim --example fan_in -- SUBNETS HOSTS ITER`
//! (set `NOTRACE=1` to run without recording the trace).

use lanlab_sim::Engine;
use lanlab_sim::testnet::ping_fan_in;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("numbers"))
        .collect();
    let (subnets, hosts, iter) = match args.as_slice() {
        [s, h, i] => (*s, *h, *i),
        _ => (10, 100, 10),
    };
    let lab = ping_fan_in(subnets, hosts);
    let mut hops = 0;
    for _ in 0..iter {
        let mut e = Engine::new(&lab).expect("valid");
        e.set_tracing(std::env::var_os("NOTRACE").is_none());
        assert!(e.run_until_idle(100_000_000));
        hops = e.trace().hop_count();
    }
    println!("{subnets}x{hosts}: {hops} frame deliveries per run, {iter} runs");
}
