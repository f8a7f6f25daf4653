//! The campus lab at test size: DHCP through the relay for every PC, then
//! a ping by name through the server's DNS.

use lanlab_proto::SimTime;
use lanlab_sim::testnet::campus;
use lanlab_sim::{Engine, JobStatus};

#[test]
fn every_pc_leases_resolves_and_pings() {
    let lab = campus(3, 10, 3_000);
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(SimTime::from_secs(8));
    for j in e.jobs() {
        assert_eq!(j.status, JobStatus::Succeeded, "{}\n{}", j.line, j.output);
        assert!(
            j.output.contains("Pinging server.campus.lab [10.0.200.10]"),
            "{}",
            j.output
        );
    }
    assert_eq!(e.jobs().len(), 30);
}
