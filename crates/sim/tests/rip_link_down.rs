//! RIP notices a link going down at once, as IOS does: a pulled cable or
//! a `shutdown` between two routers drops the routes learned over it on
//! both ends within the same instant, and each end's triggered (flash)
//! update poisons them (metric 16) to the routers beyond, instead of
//! everyone waiting 180 s for the routes to turn invalid. A link coming
//! back is noticed at once too: a request and an update go out of it.
//! The lab is S13 (`common::s13`): R1 – R2 – R3 in a line, a LAN each,
//! `debug ip rip` on R2 from 5 s.

mod common;

use std::time::Duration;

use common::*;
use lanlab_proto::SimTime;
use lanlab_proto::net::RouteOrigin;
use lanlab_sim::{Action, Engine, JobStatus, PortRef};

/// The S13 lab converged, 20 s in (its later scripted lines left out).
fn converged() -> Engine {
    let mut lab = s13();
    lab.actions.retain(|a| a.at_ms < 20_000);
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(SimTime::from_secs(20));
    assert_eq!(rip_metric(&e, "R1", "192.168.3.0/24"), Some(2));
    assert_eq!(rip_metric(&e, "R3", "192.168.1.0/24"), Some(2));
    e
}

/// The metric of `dev`'s installed RIP route to `dest`.
fn rip_metric(e: &Engine, dev: &str, dest: &str) -> Option<u32> {
    let dest = dest.parse().unwrap();
    e.router(dev)
        .unwrap()
        .routes()
        .iter()
        .find(|r| r.dest == dest && r.origin == RouteOrigin::Rip)
        .map(|r| r.metric)
}

/// The metric `dev`'s RIP database holds for `dest` (16: held down).
fn db_metric(e: &Engine, dev: &str, dest: &str) -> Option<u32> {
    let dest = dest.parse().unwrap();
    e.router(dev)
        .unwrap()
        .rip()
        .unwrap()
        .database()
        .get(&dest)
        .map(|l| l.metric)
}

fn port(device: &str, port: &str) -> PortRef {
    PortRef {
        device: device.into(),
        port: port.into(),
    }
}

/// Types `line` at `dev`'s console and returns what it printed.
fn type_at(e: &mut Engine, dev: &str, line: &str) -> String {
    let j = e.command(dev, line).unwrap();
    e.run_until(e.now() + Duration::from_millis(1));
    let j = e.job(j).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{line}: {}", j.output);
    j.output.clone()
}

#[test]
fn pulled_cable_drops_and_poisons_at_once() {
    let mut e = converged();
    e.act(Action::Unplug {
        port: port("R1", "GigabitEthernet0/1"),
    })
    .unwrap();
    e.run_until(SimTime::from_millis(20_050));
    // R1 forgets everything it learned through R2.
    for dest in ["192.168.2.0/24", "192.168.3.0/24", "10.0.23.0/24"] {
        assert_eq!(rip_metric(&e, "R1", dest), None, "R1 {dest}");
        assert_eq!(db_metric(&e, "R1", dest), None, "R1 {dest}");
    }
    // R2 drops R1's LAN, and its flash update poisons it and the lost
    // link to R3, which holds them down.
    assert_eq!(rip_metric(&e, "R2", "192.168.1.0/24"), None);
    for dest in ["192.168.1.0/24", "10.0.12.0/24"] {
        assert_eq!(rip_metric(&e, "R3", dest), None, "R3 {dest}");
        assert_eq!(db_metric(&e, "R3", dest), Some(16), "R3 {dest}");
    }
    // The rest stays.
    assert_eq!(rip_metric(&e, "R2", "192.168.3.0/24"), Some(1));
    assert_eq!(rip_metric(&e, "R3", "192.168.2.0/24"), Some(1));
    let debug = type_at(&mut e, "R2", "undebug all");
    for want in [
        "RIP: sending v2 flash update to 224.0.0.9 via GigabitEthernet0/2 (10.0.23.2)",
        "\t10.0.12.0/24 via 0.0.0.0, metric 16, tag 0",
        "\t192.168.1.0/24 via 0.0.0.0, metric 16, tag 0",
    ] {
        assert!(debug.contains(want), "{want}\n{debug}");
    }
    let text = transcript(&e);
    assert!(
        text.contains("RIP drops 192.168.1.0/24 via ")
            && text.contains(" at once: GigabitEthernet0/1 is down or no longer runs RIP"),
        "{text}"
    );
    // The cable back: R1 asks R2 for its table at once and has the routes
    // again within the second, without waiting for a periodic update.
    e.act(Action::Plug {
        a: port("R1", "GigabitEthernet0/1"),
        b: port("R2", "GigabitEthernet0/1"),
    })
    .unwrap();
    e.run_until(SimTime::from_millis(21_000));
    assert_eq!(rip_metric(&e, "R1", "192.168.3.0/24"), Some(2));
    assert_eq!(rip_metric(&e, "R2", "192.168.1.0/24"), Some(1));
}

#[test]
fn shutdown_drops_and_poisons_at_once() {
    let mut e = converged();
    for line in ["conf t", "int g0/2", "shutdown", "end"] {
        type_at(&mut e, "R2", line);
    }
    e.run_until(e.now() + Duration::from_millis(50));
    // R2 drops R3's LAN; its flash update poisons it and the shut link's
    // network to R1.
    assert_eq!(rip_metric(&e, "R2", "192.168.3.0/24"), None);
    for dest in ["192.168.3.0/24", "10.0.23.0/24"] {
        assert_eq!(rip_metric(&e, "R1", dest), None, "R1 {dest}");
        assert_eq!(db_metric(&e, "R1", dest), Some(16), "R1 {dest}");
    }
    // R3's line went dark with it: R3 drops what it learned from R2.
    for dest in ["192.168.1.0/24", "192.168.2.0/24", "10.0.12.0/24"] {
        assert_eq!(rip_metric(&e, "R3", dest), None, "R3 {dest}");
    }
    assert_eq!(rip_metric(&e, "R1", "192.168.2.0/24"), Some(1));
}
