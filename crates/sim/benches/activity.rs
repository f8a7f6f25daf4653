//! `activity-eval`: evaluating S1's three checks (DHCP ACK, DNS answer,
//! mail received) over a long run: S1's actions plus `ping -n 1000` from PC1
//! (4,313 trace entries). `full` reads the whole trace with a fresh memo (a
//! page load, a rebuild); `incremental` is what the app pays on each engine
//! step once the memo is up to date.
//!
//! Run: `cargo bench -p lanlab-sim --bench activity`.
//!
//! Measured 2026-11-25 (2 shared cores, release): full 33 µs, incremental
//! 0.35 µs.

use criterion::{Criterion, criterion_group, criterion_main};
use lanlab_proto::SimTime;
use lanlab_sim::activity::{RunMemo, evaluate};
use lanlab_sim::{Engine, Expect, Lab, ScriptedAction};

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/labs/s1-one-server.json"
    ))
    .unwrap();
    let mut lab = Lab::from_json(&text).unwrap();
    lab.actions.push(ScriptedAction {
        at_ms: 25_000,
        action: lanlab_sim::Action::Command {
            device: "PC1".into(),
            line: "ping -n 1000 192.168.1.1".into(),
        },
        expect: Expect::Any,
    });
    let activity = lab.activity.clone().unwrap();
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(SimTime::from_millis(1_100_000));
    let entries = e.trace().len();
    let mut memo = RunMemo::new();
    let states = evaluate(&activity, &lab, Some(&e), &mut memo);
    assert_eq!(lanlab_sim::activity::score(&states), (3, 3));
    println!("activity-eval over {entries} trace entries");
    let mut g = c.benchmark_group("activity-eval");
    g.sample_size(20);
    g.bench_function("full", |b| {
        b.iter(|| evaluate(&activity, &lab, Some(&e), &mut RunMemo::new()))
    });
    g.bench_function("incremental", |b| {
        b.iter(|| evaluate(&activity, &lab, Some(&e), &mut memo))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
