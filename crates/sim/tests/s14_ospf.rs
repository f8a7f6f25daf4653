//! The S14 example lab (`public/labs/s14-ospf.json`, built by
//! `common::s14`) runs headless: three routers configured at the console
//! reach FULL with each other, elect R1 DR and R3 BDR on the shared
//! segment, install O routes with [110/cost], the PCs ping across, and
//! after the R1–R2 cable is pulled R1 reaches R2's LAN through R3.

mod common;

use common::*;
use lanlab_sim::{Engine, JobStatus};

fn output(e: &Engine, dev: &str, line: &str) -> Vec<String> {
    let id = e.lab().device_by_name(dev).unwrap().id;
    e.jobs()
        .iter()
        .filter(|j| j.device == id && j.line == line)
        .map(|j| j.output.clone())
        .collect()
}

#[test]
fn s14_ospf_converges_and_reroutes() {
    let lab = load("s14-ospf.json");
    assert_eq!(lab, s14());
    let e = run_checked(&lab);
    assert!(
        e.jobs().iter().all(|j| j.status == JobStatus::Succeeded),
        "{}",
        transcript(&e)
    );
    let nbr = &output(&e, "R1", "show ip ospf neighbor")[0];
    eprintln!("{nbr}");
    // Two neighbours on each triangle link and two on the shared segment, all FULL.
    assert_eq!(nbr.matches("FULL/").count(), 4, "{nbr}");
    assert!(nbr.contains("10.0.123.3"), "{nbr}");
    let brief = &output(&e, "R1", "show ip ospf interface brief")[0];
    eprintln!("{brief}");
    assert!(brief.contains("10.0.123.1/24      10    DR"), "{brief}");
    let routes = output(&e, "R1", "show ip route");
    eprintln!("{}", routes[0]);
    assert!(
        routes[0].contains("O     192.168.2.0/24 [110/2] via 10.0.12.2"),
        "{}",
        routes[0]
    );
    assert!(
        routes[0].contains("O     192.168.3.0/24 [110/2] via 10.0.13.3"),
        "{}",
        routes[0]
    );
    // After the cut: through R3, cost 3.
    eprintln!("{}", routes[1]);
    assert!(
        routes[1].contains("O     192.168.2.0/24 [110/3] via 10.0.13.3"),
        "{}",
        routes[1]
    );
    let db = &output(&e, "R2", "show ip ospf database")[0];
    eprintln!("{db}");
    assert!(db.contains("Router Link States (Area 0)"), "{db}");
    assert!(db.contains("Net Link States (Area 0)"), "{db}");
    // Document + seed replays the same run.
    let text = transcript(&e);
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);
}
