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

/// Wireshark reads every example lab's capture without a malformed frame or
/// an expert error (e.g. a POP3 `TOP` reply whose first word is not an
/// octet count).
#[test]
fn every_example_lab_captures_without_wireshark_errors() {
    if !std::path::Path::new("/usr/bin/tshark").exists() {
        eprintln!("NOTICE: tshark is not installed; skipping the Wireshark check");
        return;
    }
    let dir = format!("{}/../../public/labs", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json") && n != "index.json")
        .collect();
    names.sort();
    assert!(names.len() >= 9, "{names:?}");
    for name in names {
        let lab = load(&name);
        let mut e = Engine::new(&lab).unwrap();
        // Five virtual minutes: every scripted job of the example labs
        // has run (some labs never fall idle: timers keep ticking).
        e.run_until(lanlab_proto::SimTime::from_secs(300));
        let mut buf = Vec::new();
        lanlab_sim::pcap::write(e.trace(), lab.start_unix, None, &mut buf).unwrap();
        let path =
            std::env::temp_dir().join(format!("lanlab-example-{}-{name}.pcap", std::process::id()));
        std::fs::write(&path, &buf).unwrap();
        let out = std::process::Command::new("/usr/bin/tshark")
            .args([
                "-r",
                path.to_str().unwrap(),
                "-Y",
                "_ws.malformed || _ws.expert.severity == error",
            ])
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&path);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "",
            "{name}: frames Wireshark flags as errors"
        );
    }
}
