//! The simulation-mode benchmark's lab (`e2e/bench/sim.bench.mjs`): the
//! ping fan-in layout with 4 subnets of 48 PCs (198 devices), laid out on
//! the canvas, the first 100 PCs pinging the server at time zero. Prints
//! the lab as JSON, and with `--time` how long stepping back from event
//! 5,000 takes natively (replay from zero).
//!
//! `cargo run --release -p lanlab-sim --example sim_bench_lab > e2e/bench/sim-200.lanlab.json`

use lanlab_sim::testnet::ping_fan_in;
use lanlab_sim::{DeviceKind, Engine, Lab, Point};

/// The lab, with canvas positions: the router and server on top, each
/// switch over a grid of its PCs.
pub fn lab() -> Lab {
    let mut lab = ping_fan_in(4, 48);
    lab.name = "sim bench: 198 devices".into();
    lab.actions.truncate(100);
    let (mut sw, mut pc) = (0usize, 0usize);
    for d in &mut lab.devices {
        d.pos = match d.kind {
            DeviceKind::Router => Point { x: 700.0, y: 60.0 },
            DeviceKind::Server => Point { x: 900.0, y: 60.0 },
            DeviceKind::Switch => {
                sw += 1;
                Point {
                    x: 200.0 + 360.0 * (sw - 1) as f64,
                    y: 180.0,
                }
            }
            _ => {
                let (s, h) = (pc / 48, pc % 48);
                pc += 1;
                Point {
                    x: 60.0 + 360.0 * s as f64 + 48.0 * (h % 7) as f64,
                    y: 280.0 + 60.0 * (h / 7) as f64,
                }
            }
        };
    }
    lab
}

fn main() {
    let lab = lab();
    if std::env::args().any(|a| a == "--time") {
        let mut e = Engine::new(&lab).expect("valid");
        while e.trace().len() < 5_000 && e.step() {}
        let n = e.events_delivered();
        let t = std::time::Instant::now();
        e.seek(n - 1);
        eprintln!(
            "{} devices, trace {} rows at event {n}; seek back one: {:?}; in flight {}",
            lab.devices.len(),
            e.trace().len(),
            t.elapsed(),
            e.frames_in_flight()
        );
        return;
    }
    println!("{}", serde_json::to_string(&lab).expect("serialises"));
}
