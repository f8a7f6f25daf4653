//! The rip-100 layout (`testnet::rip_grid(10)`) converges: every router
//! learns every link network within RIP's 15 hops (corners are 18 apart); prints the frames, events and virtual
//! time it took (the criterion bench `rip` times the same run).

use lanlab_proto::SimTime;
use lanlab_proto::net::RouteOrigin;
use lanlab_sim::Engine;

/// How many link networks router (r, c) of an `n`×`n` grid can know: RIP
/// reaches 15 hops, so those whose nearer end is at most 15 routers away
/// (Manhattan distance; its own links at 0).
fn reachable(n: usize, r: usize, c: usize) -> usize {
    let d = |a: usize, b: usize| r.abs_diff(a) + c.abs_diff(b);
    let mut k = 0;
    for a in 0..n {
        for b in 0..n {
            if b + 1 < n && d(a, b).min(d(a, b + 1)) <= 15 {
                k += 1;
            }
            if a + 1 < n && d(a, b).min(d(a + 1, b)) <= 15 {
                k += 1;
            }
        }
    }
    k
}

#[test]
fn rip_100_converges() {
    const N: usize = 10;
    let lab = lanlab_sim::testnet::rip_grid(N);
    let mut e = Engine::new(&lab).unwrap();
    let mut t = 0;
    let done = |e: &Engine| {
        (0..N * N).all(|i| {
            let r = e.router(&format!("R{}_{}", i / N, i % N)).unwrap();
            let mut d: Vec<_> = r
                .routes()
                .iter()
                .filter(|x| matches!(x.origin, RouteOrigin::Connected | RouteOrigin::Rip))
                .map(|x| x.dest)
                .collect();
            d.dedup();
            d.len() == reachable(N, i / N, i % N)
        })
    };
    while !done(&e) {
        t += 10;
        assert!(t <= 60_000, "not converged in a virtual minute");
        e.run_until(SimTime::from_millis(t));
    }
    eprintln!(
        "rip-100: converged at {t} virtual ms: {} frame deliveries, {} events",
        e.trace().hop_count(),
        e.events_delivered()
    );
}
