//! OSPF notices a link going down at once, as IOS does: a pulled cable or
//! a `shutdown` between two routers takes the neighbour DOWN on both ends
//! within the same instant (router LSA re-originated, SPF, rerouted), while
//! a cable cut beyond a switch is noticed only by the router whose port
//! went dark; the others wait for the 40 s dead interval.
//! The lab is S14 (`common::s14`): R1–R2, R2–R3, R1–R3 direct cables and
//! a shared segment 10.0.123.0/24 on SW0.

mod common;

use common::*;
use lanlab_proto::SimTime;
use lanlab_proto::ospf::NbrState;
use lanlab_sim::{Action, Engine, PortRef};
use std::net::Ipv4Addr;

/// Whether `dev` has an OSPF neighbour at interface address `addr`.
fn has_nbr(e: &Engine, dev: &str, addr: [u8; 4]) -> bool {
    let addr = Ipv4Addr::from(addr);
    e.router(dev)
        .unwrap()
        .ospf()
        .unwrap()
        .neighbors(e.now())
        .iter()
        .any(|n| n.addr == addr && n.state > NbrState::Down)
}

/// The S14 lab converged, 80 s in (before its scripted cable pull at 90 s).
fn converged() -> Engine {
    let mut lab = s14();
    lab.actions.retain(|a| a.at_ms < 80_000);
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(SimTime::from_secs(80));
    assert!(has_nbr(&e, "R1", [10, 0, 12, 2]));
    assert!(has_nbr(&e, "R2", [10, 0, 12, 1]));
    e
}

fn port(device: &str, port: &str) -> PortRef {
    PortRef {
        device: device.into(),
        port: port.into(),
    }
}

#[test]
fn pulled_cable_drops_the_neighbour_on_both_ends_at_once() {
    let mut e = converged();
    e.act(Action::Unplug {
        port: port("R1", "GigabitEthernet0/0"),
    })
    .unwrap();
    e.run_until(SimTime::from_millis(80_050));
    assert!(!has_nbr(&e, "R1", [10, 0, 12, 2]), "R1 still lists R2");
    assert!(!has_nbr(&e, "R2", [10, 0, 12, 1]), "R2 still lists R1");
    // The other adjacencies stay up.
    assert!(has_nbr(&e, "R1", [10, 0, 13, 3]));
    assert!(has_nbr(&e, "R2", [10, 0, 23, 3]));
    // SPF runs on the new LSAs after its delay (5 s, at most 10 s after the
    // last run): R1 reaches R2's LAN through R3.
    e.run_until(SimTime::from_secs(80 + 11));
    let route = e
        .router("R1")
        .unwrap()
        .ospf()
        .unwrap()
        .routes()
        .iter()
        .find(|r| r.dest.to_string() == "192.168.2.0/24")
        .cloned()
        .expect("a route to R2's LAN");
    assert_eq!(route.cost, 3, "{route}");
}

#[test]
fn shutdown_drops_the_neighbour_on_both_ends_at_once() {
    let mut e = converged();
    for line in ["enable", "conf t", "int g0/1", "shutdown", "end"] {
        e.command("R2", line).unwrap();
    }
    e.run_until(SimTime::from_millis(80_050));
    assert!(!has_nbr(&e, "R2", [10, 0, 23, 3]), "R2 still lists R3");
    assert!(!has_nbr(&e, "R3", [10, 0, 23, 2]), "R3 still lists R2");
    // R2's other adjacencies are not reset by the shutdown.
    let r2 = e.router("R2").unwrap().ospf().unwrap().neighbors(e.now());
    let full = r2.iter().filter(|n| n.state == NbrState::Full).count();
    assert!(full >= 2, "{r2:?}");
}

#[test]
fn a_cut_beyond_a_switch_waits_for_the_dead_interval() {
    let mut e = converged();
    e.act(Action::Unplug {
        port: port("SW0", "FastEthernet0/3"),
    })
    .unwrap();
    e.run_until(SimTime::from_millis(80_050));
    // R3's own port went dark: it knows at once.
    assert!(!has_nbr(&e, "R3", [10, 0, 123, 1]));
    // R1 and R2 still see a live switch port: they wait for R3's hellos to stop.
    assert!(has_nbr(&e, "R1", [10, 0, 123, 3]));
    assert!(has_nbr(&e, "R2", [10, 0, 123, 3]));
    e.run_until(SimTime::from_secs(80 + 41));
    assert!(!has_nbr(&e, "R1", [10, 0, 123, 3]));
    assert!(!has_nbr(&e, "R2", [10, 0, 123, 3]));
}
