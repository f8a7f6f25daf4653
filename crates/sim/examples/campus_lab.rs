//! The in-worker benchmark's lab (`e2e/bench/campus.bench.mjs`):
//! "campus-1000" (ten /24 subnets of 100 PCs behind one router; every PC
//! gets its address by DHCP through the router's relay, resolves
//! `server.campus.lab` and pings it), laid out on the canvas: the router
//! and server on top, each subnet's switch over a grid of its PCs. Prints
//! the lab as JSON (the native benchmark of the same lab is
//! `benches/campus.rs`).
//!
//! `cargo run --release -p lanlab-sim --features test-util --example campus_lab > /tmp/campus-1000.lanlab.json`

use lanlab_sim::testnet::campus;
use lanlab_sim::{DeviceKind, Lab, Point};

/// Subnets, and PCs in each.
const SUBNETS: usize = 10;
const HOSTS: usize = 100;
/// PCs in a row under their switch.
const ROW: usize = 10;

/// The lab, with canvas positions.
pub fn lab() -> Lab {
    let mut lab = campus(SUBNETS, HOSTS, 3_000);
    lab.name = "campus-1000 (benchmark)".into();
    let (mut sw, mut pc) = (0usize, 0usize);
    let width = 60.0 * ROW as f64 + 80.0;
    for d in &mut lab.devices {
        d.pos = match d.kind {
            DeviceKind::Router => Point {
                x: width * 2.0,
                y: 60.0,
            },
            DeviceKind::Server => Point {
                x: width * 2.0 + 240.0,
                y: 60.0,
            },
            DeviceKind::Switch => {
                sw += 1;
                let s = sw - 1;
                Point {
                    x: 40.0 + width * (s % 5) as f64 + width / 2.0,
                    y: 200.0 + 800.0 * (s / 5) as f64,
                }
            }
            _ => {
                let (s, h) = (pc / HOSTS, pc % HOSTS);
                pc += 1;
                Point {
                    x: 40.0 + width * (s % 5) as f64 + 60.0 * (h % ROW) as f64,
                    y: 300.0 + 800.0 * (s / 5) as f64 + 60.0 * (h / ROW) as f64,
                }
            }
        };
    }
    lab
}

fn main() {
    println!("{}", serde_json::to_string(&lab()).expect("serialises"));
}
