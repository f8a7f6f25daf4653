//! The example labs in `public/labs/` run headless; their whole trace and
//! every action's output are compared with a golden file, reviewed like code.
//! Regenerate with `LANLAB_BLESS=1 cargo test -p lanlab-sim --test example_labs`.

use lanlab_sim::{Engine, JobStatus, Lab};

fn load(name: &str) -> Lab {
    let path = format!("{}/../../public/labs/{name}", env!("CARGO_MANIFEST_DIR"));
    Lab::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn transcript(e: &Engine) -> String {
    let mut s = String::new();
    for ev in e.trace().events() {
        s.push_str(&e.describe(ev));
        s.push('\n');
    }
    for j in e.jobs() {
        s.push_str(&format!("\n=== {} ({:?})\n{}", j.line, j.status, j.output));
    }
    s
}

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
    let golden = format!(
        "{}/tests/golden/two-subnets.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("LANLAB_BLESS").is_some() {
        std::fs::write(&golden, &text).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file (run with LANLAB_BLESS=1)");
    assert!(
        text == want,
        "trace differs from {golden}; review and bless"
    );

    // Document + seed + (empty) session log replays the same run.
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);
}
