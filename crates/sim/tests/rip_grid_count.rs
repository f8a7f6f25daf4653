//! The rip-100 layout (`testnet::rip_grid(10)`) converges: every router
//! learns every link network within RIP's 15 hops (corners are 18 apart); prints the frames, events and virtual
//! time it took (the criterion bench `rip` times the same run).

use lanlab_proto::SimTime;
use lanlab_sim::Engine;

#[test]
fn rip_100_converges() {
    const N: usize = 10;
    let lab = lanlab_sim::testnet::rip_grid(N);
    let mut e = Engine::new(&lab).unwrap();
    let mut t = 0;
    while !lanlab_sim::testnet::rip_grid_converged(&e, N) {
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
