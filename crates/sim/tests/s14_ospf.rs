//! The S14 example lab (`public/labs/s14-ospf.json`, built by
//! `common::s14`) runs headless: three routers configured at the console
//! reach FULL with each other, elect R1 DR and R3 BDR on the shared
//! segment, install O routes with [110/cost], the PCs ping across, and
//! after the R1–R2 cable is pulled R1 reaches R2's LAN through R3.

mod common;

use common::*;
use lanlab_sim::{Engine, JobStatus};

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
    let nbr = &outputs(&e, "R1", "show ip ospf neighbor")[0];
    eprintln!("{nbr}");
    // Two neighbours on each triangle link and two on the shared segment, all FULL.
    assert_eq!(nbr.matches("FULL/").count(), 4, "{nbr}");
    assert!(nbr.contains("10.0.123.3"), "{nbr}");
    let brief = &outputs(&e, "R1", "show ip ospf interface brief")[0];
    eprintln!("{brief}");
    assert!(brief.contains("10.0.123.1/24      10    DR"), "{brief}");
    let routes = outputs(&e, "R1", "show ip route");
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
    // `debug ip ospf adj` lines come before the next command's output.
    assert!(
        routes[1].contains(
            "OSPF-1.1.1.1: Nbr 2.2.2.2 on GigabitEthernet0/0 from FULL to DOWN, Interface down"
        ),
        "{}",
        routes[1]
    );
    // After the cut: through R3, cost 3.
    eprintln!("{}", routes[1]);
    assert!(
        routes[1].contains("O     192.168.2.0/24 [110/3] via 10.0.13.3"),
        "{}",
        routes[1]
    );
    let db = &outputs(&e, "R2", "show ip ospf database")[0];
    eprintln!("{db}");
    assert!(db.contains("Router Link States (Area 0)"), "{db}");
    assert!(db.contains("Net Link States (Area 0)"), "{db}");
    // Document + seed replays the same run.
    let text = transcript(&e);
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);
}

/// Wireshark decodes every OSPF packet of the S14 run as OSPF (Hello, DB
/// Description, LS Request, LS Update, LS Acknowledge), with no malformed
/// packet, no warning and no wrong checksum (OSPF or LSA Fletcher).
#[test]
fn s14_capture_decodes_in_tshark_as_ospf() {
    let lab = load("s14-ospf.json");
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(160));
    let Some(cap) = Capture::of(&e, "s14") else {
        return;
    };
    let tshark = |args: &[&str]| cap.tshark(args);
    let types = tshark(&["-Y", "ospf", "-T", "fields", "-e", "ospf.msg"]);
    for t in ["1", "2", "3", "4", "5"] {
        assert!(types.lines().any(|l| l == t), "no OSPF type {t}: {types}");
    }
    assert!(types.lines().count() > 100, "{}", types.lines().count());
    let bad = tshark(&[
        "-Y",
        "ospf && (_ws.malformed || _ws.expert.severity >= warning)",
    ]);
    let verbose = tshark(&["-Y", "ospf", "-V"]);
    assert_eq!(bad.trim(), "", "OSPF frames Wireshark flags");
    assert!(verbose.contains("Open Shortest Path First"), "{verbose}");
    for l in verbose.lines() {
        let low = l.to_lowercase();
        assert!(
            !low.contains("incorrect") && !low.contains("should be"),
            "{l}"
        );
    }
}

/// A static route beats OSPF's for the same prefix (distance 1 < 110); the
/// OSPF route stays a candidate and comes back when the static one goes.
#[test]
fn static_route_wins_over_ospf_by_administrative_distance() {
    let mut lab = s14();
    let at = |ms: u64, line: &str| lanlab_sim::action::ScriptedAction {
        at_ms: ms,
        action: lanlab_sim::action::Action::Command {
            device: "R1".into(),
            line: line.into(),
        },
        expect: lanlab_sim::action::Expect::Success,
    };
    lab.actions.retain(|a| a.at_ms < 80_000);
    lab.actions.extend([
        at(60_000, "conf t"),
        at(60_100, "ip route 192.168.2.0 255.255.255.0 10.0.13.3"),
        at(60_200, "end"),
        at(75_000, "conf t"),
        at(75_100, "no ip route 192.168.2.0 255.255.255.0 10.0.13.3"),
        at(75_200, "end"),
        at(76_000, "show ip route"),
    ]);
    let e = run_checked(&lab);
    let routes = outputs(&e, "R1", "show ip route");
    assert!(
        routes[0].contains("S        192.168.2.0/24 [1/0] via 10.0.13.3")
            || routes[0].contains("S     192.168.2.0/24 [1/0] via 10.0.13.3"),
        "{}",
        routes[0]
    );
    assert!(!routes[0].contains("O     192.168.2.0/24"), "{}", routes[0]);
    assert!(
        routes[0].contains("O     192.168.3.0/24 [110/2]"),
        "{}",
        routes[0]
    );
    assert!(
        routes[1].contains("O     192.168.2.0/24 [110/2] via 10.0.12.2"),
        "{}",
        routes[1]
    );
}
