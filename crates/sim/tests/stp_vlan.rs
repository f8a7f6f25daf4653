//! Spanning tree per VLAN (PVST+): one instance per VLAN of each switch's
//! VLAN database, each with its own root and its own blocked port; a
//! frame's forwarding follows its VLAN's instance; BPDUs go out only where
//! their VLAN is carried, IEEE for VLAN 1 and on access ports, 802.1Q-tagged
//! SSTP for the other VLANs on trunks.

use std::collections::HashSet;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::stp::frame::{self, Encap};
use lanlab_proto::stp::{Role, State};
use lanlab_sim::lab::Lab;
use lanlab_sim::testnet::TestNet;
use lanlab_sim::trace::TraceKind;
use lanlab_sim::vlan::{PortMode, SwitchPort};
use lanlab_sim::{Engine, JobStatus};

/// SW1, SW2, SW3 in a triangle of trunks (ports 0 and 1), VLAN 10 on all
/// three; PC A on SW2 and PC B on SW3, access ports (2) in VLAN 10. SW1 has
/// the lowest MAC (root of VLAN 1); SW3 is made root of VLAN 10 by
/// `spanning-tree vlan 10 priority 4096`. SW1 also names VLAN 30, which no
/// VLAN database holds.
fn triangle() -> Lab {
    let mut lab = TestNet::new()
        .switch("SW1", 3)
        .switch("SW2", 3)
        .switch("SW3", 3)
        .pc("A", "192.168.10.2/24", None)
        .pc("B", "192.168.10.3/24", None)
        .link("SW1", "SW2")
        .link("SW2", "SW3")
        .link("SW3", "SW1")
        .link("A", "SW2")
        .link("B", "SW3")
        .into_lab();
    for sw in ["SW1", "SW2", "SW3"] {
        let id = lab.device_by_name(sw).unwrap().id;
        let d = lab.device_mut(id).unwrap();
        d.ios.vlan.create_vlan(10).name = "STAFF".into();
        for port in 0..2 {
            let mut p = SwitchPort::new(port);
            p.mode = PortMode::Trunk;
            d.ios.vlan.set_port(p);
        }
        let mut p = SwitchPort::new(2);
        p.access = 10;
        d.ios.vlan.set_port(p);
        if sw == "SW3" {
            d.ios.stp.priority.insert(10, 4096);
        }
        if sw == "SW1" {
            d.ios.stp.priority.insert(30, 4096);
        }
    }
    lab
}

fn port(e: &Engine, sw: &str, vlan: u16, p: usize) -> (Role, State) {
    let v = e.switch(sw).unwrap().stp().port(vlan, p).unwrap();
    (v.role, v.state)
}

#[test]
fn each_vlan_has_its_own_root_and_blocked_port() {
    let mut e = Engine::with_seed(&triangle(), 1).unwrap();
    e.run_until(SimTime::from_secs(40));
    for sw in ["SW1", "SW2", "SW3"] {
        let vlans: Vec<u16> = e
            .switch(sw)
            .unwrap()
            .stp()
            .instances()
            .keys()
            .copied()
            .collect();
        // VLAN 30 is only named by spanning-tree: no instance.
        assert_eq!(vlans, vec![1, 10], "{sw}");
    }
    let root = |sw: &str, v: u16| e.switch(sw).unwrap().stp().instances()[&v].is_root();
    assert!(root("SW1", 1) && !root("SW2", 1) && !root("SW3", 1));
    assert!(root("SW3", 10) && !root("SW1", 10) && !root("SW2", 10));
    // VLAN 1: SW3's port to SW2 closes the loop; VLAN 10: SW2's port to SW1.
    assert_eq!(port(&e, "SW3", 1, 0), (Role::Alternate, State::Blocking));
    assert_eq!(port(&e, "SW2", 10, 0), (Role::Alternate, State::Blocking));
    assert_eq!(
        port(&e, "SW3", 10, 0),
        (Role::Designated, State::Forwarding)
    );
    assert_eq!(port(&e, "SW2", 1, 0), (Role::Root, State::Forwarding));
    let sw3 = e.switch("SW3").unwrap();
    assert!(!sw3.port_forwards(0, 1) && sw3.port_forwards(0, 10));
    let sw2 = e.switch("SW2").unwrap();
    assert!(sw2.port_forwards(0, 1) && !sw2.port_forwards(0, 10));
    // The access port carries VLAN 10 only: disabled in VLAN 1's instance,
    // an edge port forwarding in VLAN 10's.
    assert_eq!(port(&e, "SW2", 1, 2).1, State::Disabled);
    assert_eq!(port(&e, "SW2", 10, 2).1, State::Forwarding);
    assert!(e.switch("SW2").unwrap().stp().port(10, 2).unwrap().edge);
    // Both switches report a port blocked in some VLAN.
    assert_eq!(e.switch("SW3").unwrap().blocked_ports(), vec![0]);
    assert_eq!(e.switch("SW2").unwrap().blocked_ports(), vec![0]);

    // VLAN 10 crosses SW2–SW3 directly.
    let j = e.command("A", "ping -n 2 192.168.10.3").unwrap();
    e.run_until(e.now() + Duration::from_secs(10));
    assert_eq!(e.job(j).unwrap().status, JobStatus::Succeeded);
}

#[test]
fn bpdus_go_only_where_their_vlan_is_carried() {
    let mut e = Engine::with_seed(&triangle(), 1).unwrap();
    e.run_until(SimTime::from_secs(10));
    let sw2 = e.lab().device_by_name("SW2").unwrap().id;
    let mut trunk = HashSet::new();
    let mut access = 0;
    for ev in e.trace().events() {
        let TraceKind::Frame { from, bytes, .. } = &ev.kind() else {
            continue;
        };
        if from.device != sw2 || !frame::is_bpdu_dst(bytes) {
            continue;
        }
        let f = frame::parse(bytes).unwrap();
        if from.port == 2 {
            access += 1;
        } else {
            trunk.insert((f.encap, f.tag));
        }
    }
    assert_eq!(access, 0, "no BPDU toward the PC (edge port)");
    assert_eq!(
        trunk,
        HashSet::from([(Encap::Ieee, None), (Encap::Pvst { vlan: 10 }, Some(10)),])
    );
}

#[test]
fn a_trunk_that_prunes_a_vlan_leaves_that_vlans_tree() {
    let mut lab = triangle();
    // SW1–SW3 stops carrying VLAN 10 (on SW1's side: SW3 still sends, SW1
    // ignores): VLAN 10's tree is the chain SW1–SW2–SW3, nothing blocks.
    let id = lab.device_by_name("SW1").unwrap().id;
    let d = lab.device_mut(id).unwrap();
    let mut p = d.ios.vlan.port(1);
    p.allowed = "1".parse().unwrap();
    d.ios.vlan.set_port(p);
    let mut e = Engine::with_seed(&lab, 1).unwrap();
    e.run_until(SimTime::from_secs(40));
    assert_eq!(port(&e, "SW1", 10, 1).1, State::Disabled);
    assert_eq!(
        port(&e, "SW2", 10, 0),
        (Role::Designated, State::Forwarding)
    );
    assert_eq!(port(&e, "SW1", 10, 0), (Role::Root, State::Forwarding));
    // VLAN 1 still runs on that trunk and still blocks SW3's port to SW2.
    assert_eq!(port(&e, "SW3", 1, 0), (Role::Alternate, State::Blocking));
}

fn console(e: &mut Engine, dev: &str, line: &str) -> String {
    let j = e.command(dev, line).unwrap();
    let now = e.now();
    e.run_until(now + Duration::from_millis(10));
    e.job(j).unwrap().output.clone()
}

#[test]
fn instances_follow_the_vlan_database_live() {
    let mut e = Engine::with_seed(&triangle(), 1).unwrap();
    e.run_until(SimTime::from_secs(40));
    for l in [
        "enable",
        "conf t",
        "vlan 20",
        "name LAB",
        "exit",
        "no vlan 10",
        "end",
    ] {
        console(&mut e, "SW2", l);
    }
    let vlans: Vec<u16> = e
        .switch("SW2")
        .unwrap()
        .stp()
        .instances()
        .keys()
        .copied()
        .collect();
    assert_eq!(vlans, vec![1, 20]);
    // VLAN 20 runs on SW2's trunks (allowed: all), not on its access port.
    e.run_until(e.now() + Duration::from_secs(1));
    assert_ne!(port(&e, "SW2", 20, 0).1, State::Disabled);
    assert_eq!(port(&e, "SW2", 20, 2).1, State::Disabled);
    let show = console(&mut e, "SW2", "show spanning-tree vlan 20");
    assert!(show.contains("VLAN0020"), "{show}");
    assert!(!show.contains("VLAN0001"), "{show}");
    let gone = console(&mut e, "SW2", "show spanning-tree vlan 10");
    assert!(gone.contains("does not exist"), "{gone}");
}
