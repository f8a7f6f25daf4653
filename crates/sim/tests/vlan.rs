//! VLANs on switches: same-VLAN traffic crosses a trunk tagged, VLANs are
//! isolated on one switch, the native VLAN goes untagged, and a trunk's
//! allowed list prunes VLANs.

use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::net::dot1q;
use lanlab_proto::stp::frame::is_bpdu_dst;
use lanlab_sim::lab::Lab;
use lanlab_sim::note::VlanDrop;
use lanlab_sim::testnet::TestNet;
use lanlab_sim::trace::TraceKind;
use lanlab_sim::vlan::{PortMode, SwitchPort, VlanList, VlanSettings};
use lanlab_sim::{Engine, JobStatus, Note};

/// SW1 and SW2 joined on their third ports; on each, port 1 is in VLAN 10
/// and port 2 in VLAN 20. All four PCs share one subnet, so only the VLANs
/// keep them apart.
fn two_switches(trunk: impl Fn(&mut SwitchPort)) -> Lab {
    let mut lab = TestNet::new()
        .pc("A10", "192.168.1.10/24", None)
        .pc("A20", "192.168.1.20/24", None)
        .pc("B10", "192.168.1.11/24", None)
        .pc("B20", "192.168.1.21/24", None)
        .switch("SW1", 3)
        .switch("SW2", 3)
        .link("A10", "SW1")
        .link("A20", "SW1")
        .link("B10", "SW2")
        .link("B20", "SW2")
        .link("SW1", "SW2")
        .into_lab();
    for sw in ["SW1", "SW2"] {
        vlans(&mut lab, sw, |s| {
            s.create_vlan(10).name = "STAFF".into();
            s.create_vlan(20).name = "STUDENTS".into();
            let mut p = SwitchPort::new(0);
            p.access = 10;
            s.set_port(p);
            let mut p = SwitchPort::new(1);
            p.access = 20;
            s.set_port(p);
            let mut p = SwitchPort::new(2);
            p.mode = PortMode::Trunk;
            trunk(&mut p);
            s.set_port(p);
        });
    }
    lab
}

fn vlans(lab: &mut Lab, name: &str, f: impl FnOnce(&mut VlanSettings)) {
    let id = lab.device_by_name(name).unwrap().id;
    f(&mut lab.device_mut(id).unwrap().ios.vlan);
}

/// Pings once spanning tree has let the trunk forward (802.1D: listening
/// and learning, 2 × 15 s), and runs until the ping is over (switches send
/// hellos forever, so the engine is never idle).
fn ping(e: &mut Engine, from: &str, to: &str) -> JobStatus {
    let converged = SimTime::from_secs(31);
    if e.now() < converged {
        e.run_until(converged);
    }
    let j = e.command(from, &format!("ping -n 2 {to}")).unwrap();
    for _ in 0..30 {
        if e.job(j).unwrap().status != JobStatus::Running {
            break;
        }
        let next = e.now() + Duration::from_secs(1);
        e.run_until(next);
    }
    let status = e.job(j).unwrap().status;
    assert_ne!(status, JobStatus::Running, "ping still running");
    status
}

/// The VLAN tags of the data frames that crossed the trunk (None:
/// untagged); BPDUs left out.
fn trunk_tags(e: &Engine) -> Vec<Option<u16>> {
    let sw1 = e.lab().device_by_name("SW1").unwrap().id;
    e.trace()
        .events()
        .filter_map(|ev| match &ev.kind() {
            TraceKind::Frame {
                from, to, bytes, ..
            } if ((from.device == sw1 && from.port == 2) || (to.device == sw1 && to.port == 2))
                && !is_bpdu_dst(bytes) =>
            {
                Some(dot1q::vid_of(bytes))
            }
            _ => None,
        })
        .collect()
}

fn notes(e: &Engine) -> Vec<Note> {
    let t = e.trace();
    t.events().flat_map(|ev| t.notes(ev).to_vec()).collect()
}

#[test]
fn same_vlan_crosses_the_trunk_tagged() {
    let mut e = Engine::with_seed(&two_switches(|_| {}), 1).unwrap();
    assert_eq!(ping(&mut e, "A10", "192.168.1.11"), JobStatus::Succeeded);
    let tags = trunk_tags(&e);
    assert!(!tags.is_empty());
    assert!(tags.iter().all(|t| *t == Some(10)), "{tags:?}");
    let n = notes(&e);
    assert!(n.contains(&Note::VlanTagged {
        port: "FastEthernet0/3".into(),
        vlan: 10
    }));
    assert!(n.iter().any(|n| matches!(
        n,
        Note::VlanIngress {
            vlan: 10,
            tagged: true,
            ..
        }
    )));
    // The ARP broadcast flooded in VLAN 10 only: to the trunk, not to A20.
    assert!(n.contains(&Note::VlanFlooded {
        vlan: 10,
        ports: 1,
        broadcast: true
    }));
    // MAC tables are per VLAN.
    let table = e.switch("SW2").unwrap().mac_table(e.now());
    assert!(table.iter().all(|m| m.vlan == 10), "{table:?}");
    assert_eq!(table.len(), 2);
    assert_eq!(ping(&mut e, "A20", "192.168.1.21"), JobStatus::Succeeded);
    assert!(trunk_tags(&e).contains(&Some(20)));
}

#[test]
fn vlans_are_isolated_on_one_switch_and_across_the_trunk() {
    let mut e = Engine::with_seed(&two_switches(|_| {}), 1).unwrap();
    assert_eq!(ping(&mut e, "A10", "192.168.1.20"), JobStatus::Failed);
    assert_eq!(ping(&mut e, "A10", "192.168.1.21"), JobStatus::Failed);
    // No frame of A10 ever reached a PC in VLAN 20.
    let a10 = e.lab().device_by_name("A10").unwrap().ports[0].mac;
    for name in ["A20", "B20"] {
        let id = e.lab().device_by_name(name).unwrap().id;
        let leaked = e.trace().events().any(|ev| match &ev.kind() {
            TraceKind::Frame { to, bytes, .. } => to.device == id && bytes[6..12] == a10.0,
            _ => false,
        });
        assert!(!leaked, "a VLAN 10 frame reached {name}");
    }
}

#[test]
fn the_native_vlan_crosses_untagged() {
    let mut e = Engine::with_seed(&two_switches(|p| p.native = 20), 1).unwrap();
    assert_eq!(ping(&mut e, "A20", "192.168.1.21"), JobStatus::Succeeded);
    assert!(trunk_tags(&e).iter().all(Option::is_none));
    assert!(notes(&e).contains(&Note::VlanNative {
        port: "FastEthernet0/3".into(),
        vlan: 20
    }));
    assert_eq!(ping(&mut e, "A10", "192.168.1.11"), JobStatus::Succeeded);
    assert!(trunk_tags(&e).contains(&Some(10)));
}

#[test]
fn the_allowed_list_prunes_a_vlan() {
    let lab = two_switches(|p| p.allowed = "1,10".parse::<VlanList>().unwrap());
    let mut e = Engine::with_seed(&lab, 1).unwrap();
    assert_eq!(ping(&mut e, "A20", "192.168.1.21"), JobStatus::Failed);
    // VLAN 20 never went onto the trunk.
    assert!(trunk_tags(&e).is_empty());
    assert_eq!(ping(&mut e, "A10", "192.168.1.11"), JobStatus::Succeeded);
    // Pruned on one side only: SW2 drops what SW1 still sends.
    let mut lab = two_switches(|_| {});
    vlans(&mut lab, "SW2", |s| {
        let mut p = s.port(2);
        p.allowed = "10".parse().unwrap();
        s.set_port(p);
    });
    let mut e = Engine::with_seed(&lab, 1).unwrap();
    assert_eq!(ping(&mut e, "A20", "192.168.1.21"), JobStatus::Failed);
    assert!(notes(&e).contains(&Note::VlanDropped {
        port: "FastEthernet0/3".into(),
        reason: VlanDrop::NotAllowed(20)
    }));
}

#[test]
fn a_vlan_missing_from_the_database_carries_nothing() {
    let mut lab = two_switches(|_| {});
    vlans(&mut lab, "SW2", |s| s.delete_vlan(20));
    let mut e = Engine::with_seed(&lab, 1).unwrap();
    assert_eq!(ping(&mut e, "A20", "192.168.1.21"), JobStatus::Failed);
    assert!(
        notes(&e).contains(&Note::VlanDropped {
            port: "FastEthernet0/3".into(),
            reason: VlanDrop::NoSuchVlan(20)
        }),
        "{:?}",
        notes(&e)
    );
}
