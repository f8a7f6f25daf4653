//! RIP in the simulator, beyond the S13 lab's happy path: the routing
//! table chooses by administrative distance between a static route and
//! RIP, a floating static (`ip route … 200`) stands in when RIP loses the
//! network, a router whose LAN goes away poisons it, and the capture
//! decodes in Wireshark as RIP without a malformed packet.

mod common;

use std::time::Duration;

use common::*;
use lanlab_proto::net::RouteOrigin;
use lanlab_sim::{Engine, JobStatus};

/// Types `line` at `dev`'s console, then lets `secs` virtual seconds pass.
fn type_at(e: &mut Engine, dev: &str, line: &str, secs: u64) -> String {
    let j = e.command(dev, line).unwrap();
    let until = e.now() + Duration::from_secs(secs);
    e.run_until(until);
    let j = e.job(j).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{line}: {}", j.output);
    j.output.clone()
}

fn converged() -> Engine {
    let lab = s13();
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(20));
    e
}

fn route_to(e: &Engine, dev: &str, dest: &str) -> Option<(RouteOrigin, u8, u32)> {
    let dest = dest.parse().unwrap();
    e.router(dev)
        .unwrap()
        .routes()
        .iter()
        .find(|r| r.dest == dest)
        .map(|r| (r.origin, r.distance, r.metric))
}

#[test]
fn static_beats_rip_and_a_floating_static_waits() {
    let mut e = converged();
    assert_eq!(
        route_to(&e, "R1", "192.168.3.0/24"),
        Some((RouteOrigin::Rip, 120, 2))
    );
    type_at(&mut e, "R1", "enable", 0);
    type_at(&mut e, "R1", "conf t", 0);
    // A static route (distance 1) wins over RIP (120).
    type_at(
        &mut e,
        "R1",
        "ip route 192.168.3.0 255.255.255.0 10.0.12.2",
        1,
    );
    assert_eq!(
        route_to(&e, "R1", "192.168.3.0/24"),
        Some((RouteOrigin::Static, 1, 0))
    );
    // RIP's route is still known, only not installed.
    let cands = e.router("R1").unwrap().route_table().candidates().to_vec();
    assert!(
        cands
            .iter()
            .any(|r| r.origin == RouteOrigin::Rip && r.dest == "192.168.3.0/24".parse().unwrap())
    );
    // The same route as a floating static (200): RIP wins again.
    type_at(
        &mut e,
        "R1",
        "ip route 192.168.3.0 255.255.255.0 10.0.12.2 200",
        1,
    );
    assert_eq!(
        route_to(&e, "R1", "192.168.3.0/24"),
        Some((RouteOrigin::Rip, 120, 2))
    );
    let run = type_at(&mut e, "R1", "do show running-config", 0);
    assert!(
        run.contains("ip route 192.168.3.0 255.255.255.0 10.0.12.2 200\n"),
        "{run}"
    );
    assert_eq!(e.lab().device_by_name("R1").unwrap().routes.len(), 1);
    // R3 stops advertising its LAN: R3 poisons it, R2 and R1 hold it down
    // and drop it from the table: the floating static comes in.
    type_at(&mut e, "R3", "enable", 0);
    type_at(&mut e, "R3", "conf t", 0);
    type_at(&mut e, "R3", "router rip", 0);
    type_at(&mut e, "R3", "no network 192.168.3.0", 2);
    assert_eq!(
        route_to(&e, "R1", "192.168.3.0/24"),
        Some((RouteOrigin::Static, 200, 0))
    );
    let show = type_at(&mut e, "R1", "do show ip route", 0);
    assert!(
        show.contains("S     192.168.3.0/24 [200/0] via 10.0.12.2\n"),
        "{show}"
    );
    let db = type_at(&mut e, "R1", "do show ip rip database", 0);
    assert!(db.contains("possibly down"), "{db}");
    // Held down, then flushed 240 s after its last update.
    e.run_until(e.now() + Duration::from_secs(250));
    let db = type_at(&mut e, "R1", "do show ip rip database", 0);
    assert!(!db.contains("192.168.3.0/24"), "{db}");
    // R3 advertises it again: RIP (120) beats the floating static (200).
    type_at(&mut e, "R3", "network 192.168.3.0", 5);
    assert_eq!(
        route_to(&e, "R1", "192.168.3.0/24"),
        Some((RouteOrigin::Rip, 120, 2))
    );
    // `no ip route … 200` removes it.
    type_at(
        &mut e,
        "R1",
        "no ip route 192.168.3.0 255.255.255.0 10.0.12.2 200",
        0,
    );
    assert!(e.lab().device_by_name("R1").unwrap().routes.is_empty());
}

#[test]
fn no_router_rip_removes_the_routes() {
    let mut e = converged();
    type_at(&mut e, "R1", "enable", 0);
    type_at(&mut e, "R1", "conf t", 0);
    type_at(&mut e, "R1", "no router rip", 1);
    assert_eq!(route_to(&e, "R1", "192.168.3.0/24"), None);
    let show = type_at(&mut e, "R1", "do show running-config", 0);
    assert!(!show.contains("router rip"), "{show}");
}

#[test]
fn capture_decodes_as_rip_in_tshark() {
    if !std::path::Path::new("/usr/bin/tshark").exists() {
        eprintln!("NOTICE: tshark is not installed; skipping the Wireshark check");
        return;
    }
    let lab = s13();
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(100));
    let mut buf = Vec::new();
    lanlab_sim::pcap::write(e.trace(), lab.start_unix, None, &mut buf).unwrap();
    let path = std::env::temp_dir().join(format!("lanlab-rip-{}.pcap", std::process::id()));
    std::fs::write(&path, &buf).unwrap();
    let tshark = |filter: &str, fields: &[&str]| {
        let mut args = vec!["-r", path.to_str().unwrap(), "-Y", filter, "-T", "fields"];
        for f in fields {
            args.extend(["-e", f]);
        }
        let out = std::process::Command::new("/usr/bin/tshark")
            .args(&args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let rip = tshark(
        "rip",
        &["rip.command", "rip.version", "rip.ip", "rip.metric"],
    );
    let n = rip.lines().count();
    eprintln!("tshark: {n} RIP frames; first: {:?}", rip.lines().next());
    assert!(n > 20, "{rip}");
    assert!(rip.lines().all(|l| l.contains("\t2\t")), "all RIPv2\n{rip}");
    assert!(rip.contains("192.168.3.0"), "{rip}");
    let bad = tshark(
        "_ws.malformed || _ws.expert.severity == error",
        &["frame.number"],
    );
    assert_eq!(bad.trim(), "", "malformed frames");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_grid_converges_with_equal_cost_paths() {
    let lab = lanlab_sim::testnet::rip_grid(4);
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(5));
    // 24 link networks; R0_0 reaches the far corner's two links two ways.
    for name in ["R0_0", "R3_3", "R1_2"] {
        let mut dests: Vec<_> = e
            .router(name)
            .unwrap()
            .routes()
            .iter()
            .filter(|r| matches!(r.origin, RouteOrigin::Connected | RouteOrigin::Rip))
            .map(|r| r.dest)
            .collect();
        dests.dedup();
        assert_eq!(dests.len(), 24, "{name}");
    }
    let show = type_at(&mut e, "R0_0", "show ip route", 0);
    assert!(show.contains("[120/5] via"), "{show}");
    let ecmp = show
        .lines()
        .filter(|l| l.starts_with("                      [120/"))
        .count();
    assert!(
        ecmp > 0,
        "equal-cost paths listed under their prefix\n{show}"
    );
}
