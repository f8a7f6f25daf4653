//! The example labs in `public/labs/` run headless; their whole trace and
//! every action's output are compared with a golden file, reviewed like code.
//! Regenerate with `LANLAB_BLESS=1 cargo test -p lanlab-sim --test example_labs`.

mod common;

use common::{assert_golden, load, transcript};
use lanlab_sim::{Engine, JobStatus};

#[test]
fn two_subnets_matches_its_golden_trace() {
    let lab = load("two-subnets.json");
    let mut e = Engine::new(&lab).unwrap();
    assert!(e.run_until_idle(1_000_000));
    let statuses: Vec<JobStatus> = e.jobs().iter().map(|j| j.status).collect();
    assert_eq!(
        statuses,
        vec![
            JobStatus::Succeeded,
            JobStatus::Succeeded,
            JobStatus::Succeeded,
            JobStatus::Succeeded,
            JobStatus::Failed
        ]
    );
    let text = transcript(&e);
    assert_golden("two-subnets", &text);

    // Document + seed + (empty) session log replays the same run.
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);
}
