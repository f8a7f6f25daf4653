//! S1's example activity goes from 0 of 3 to 3 of 3 as the lab runs.

mod common;

use lanlab_proto::SimTime;
use lanlab_sim::Engine;
use lanlab_sim::activity::{CheckState, RunMemo, evaluate, score};

#[test]
fn s1_activity_goes_from_none_to_all_as_the_lab_runs() {
    let lab = common::load("s1-one-server.json");
    let a = lab.activity.clone().unwrap();
    let mut e = Engine::new(&lab).unwrap();
    let mut memo = RunMemo::new();
    assert_eq!(score(&evaluate(&a, &lab, Some(&e), &mut memo)), (0, 3));
    let mut seen = vec![];
    for s in 1..=25 {
        e.run_until(SimTime::from_millis(s * 1000));
        let (passed, _) = score(&evaluate(&a, &lab, Some(&e), &mut memo));
        seen.push(passed);
    }
    assert_eq!(*seen.last().unwrap(), 3, "{seen:?}");
    // Progress only grows, one check after another (DHCP, DNS, mail).
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen.contains(&1) && seen.contains(&2), "{seen:?}");
    let states = evaluate(&a, &lab, Some(&e), &mut RunMemo::new());
    assert!(states.iter().all(|s| *s == CheckState::Passed));
}
