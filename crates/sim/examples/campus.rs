//! Runs the campus-1000 lab (see `benches/campus.rs`) `N` times (default
//! 10) and prints frames and events per run; time it from outside, e.g.
//! `cargo build --release -p lanlab-sim --example campus && time target/release/examples/campus 10`
//! — user time divided by N is the CPU time of one run, which a shared,
//! busy machine's wall clock overstates. `campus N 10000` runs
//! campus-10000 instead (for callgrind and perf:
//! `cargo build --profile bench -p lanlab-sim --example campus`).

use lanlab_proto::SimTime;
use lanlab_sim::Engine;
use lanlab_sim::testnet::{campus, campus_server_first};

/// One run, engine dropped included (callgrind: `--toggle-collect=campus::run_once`
/// leaves out building the lab, which is quadratic in the devices).
#[inline(never)]
fn run_once(lab: &lanlab_sim::Lab) -> (usize, u64) {
    let mut e = Engine::new(lab).expect("valid");
    e.run_until(SimTime::from_secs(8));
    (e.trace().hop_count(), e.events_delivered())
}

/// Nanoseconds this thread has run on a CPU (`/proc/thread-self/schedstat`).
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let pcs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let lab = if pcs == 10_000 {
        campus_server_first(100, 100, 3_000)
    } else {
        campus(10, 100, 3_000)
    };
    // `perf record -D -1 --control fifo:ctl,ack` with `PERF_CTL=ctl`
    // leaves out building the lab too: measuring starts here.
    if let Some(ctl) = std::env::var_os("PERF_CTL") {
        std::fs::write(ctl, "enable\n").expect("perf control fifo");
    }
    let mut last = (0, 0);
    let mut best = f64::INFINITY;
    for _ in 0..n {
        let start = cpu_ns();
        last = run_once(&lab);
        if let Some((a, b)) = start.zip(cpu_ns()) {
            best = best.min((b - a) as f64 / 1e6);
        }
    }
    println!(
        "campus-{pcs} × {n}: {} frame deliveries, {} events per run, best {best:.1} ms CPU",
        last.0, last.1
    );
}
