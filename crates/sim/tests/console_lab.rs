//! S9 runs headless: two routers configured from scratch by console lines
//! (scripted `command` actions, the console's mode carried from line to
//! line), R2 serving DHCP from its pool, a saved configuration surviving
//! `reload` and an unsaved one lost.

mod common;

use common::*;
use lanlab_sim::{Engine, JobStatus};

#[test]
fn s9_routers_configured_at_the_console() {
    let lab = s9();
    let e = run_checked(&lab);
    let pc2 = output_nth(&e, "PC2", "ipconfig /renew", 0);
    assert!(pc2.contains("192.168.2.10"), "{pc2}");
    let route = output_nth(&e, "R1", "show ip route", 0);
    for want in [
        // IOS 15's layout: subnets indented under their classful network.
        "      192.168.1.0/24 is variably subnetted, 2 subnets, 2 masks",
        "C        192.168.1.0/24 is directly connected, GigabitEthernet0/0",
        "L        192.168.1.1/32 is directly connected, GigabitEthernet0/0",
        "      10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks",
        "C        10.0.0.0/30 is directly connected, GigabitEthernet0/1",
        "L        10.0.0.1/32 is directly connected, GigabitEthernet0/1",
        "S     192.168.2.0/24 [1/0] via 10.0.0.2",
    ] {
        assert!(route.contains(want), "{want}\n{route}");
    }
    let brief = output_nth(&e, "R1", "show ip interface brief", 0);
    assert!(
        brief.contains("GigabitEthernet0/0     192.168.1.1     YES manual up"),
        "{brief}"
    );
    let brief = output_nth(&e, "R2", "show ip interface brief", 0);
    assert!(
        brief.contains("GigabitEthernet0/0     unassigned      YES unset  administratively down"),
        "{brief}"
    );
    // The engine's document: R1 kept its configuration and saved it; R2 lost its own.
    let r1 = e.lab().device_by_name("R1").unwrap();
    assert!(
        r1.ios
            .startup
            .as_deref()
            .unwrap()
            .contains("ip route 192.168.2.0 255.255.255.0 10.0.0.2")
    );
    assert_eq!(r1.routes.len(), 1);
    let r2 = e.lab().device_by_name("R2").unwrap();
    assert!(r2.routes.is_empty() && r2.services.dhcp.is_none());
    // The trace shows R2's DHCP server at work.
    let text = transcript(&e);
    assert!(text.contains("DHCP"), "trace mentions DHCP");
    let refused = output_nth(&e, "R2", "ip adress 1.2.3.4", 0);
    assert!(refused.contains("% Invalid input detected at '^' marker."));
    let failed = e
        .jobs()
        .iter()
        .filter(|j| j.status == JobStatus::Failed)
        .count();
    assert_eq!(failed, 2, "the mistyped line and the last ping");

    // Document + seed replays the same run.
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);
}

#[test]
fn an_activity_checks_the_running_configuration() {
    use lanlab_sim::activity::{CheckKind, config_passes};
    let lab = s9();
    let check = |lab: &lanlab_sim::Lab, port: &str| {
        config_passes(
            &CheckKind::InterfaceUp {
                d: "R1".into(),
                port: port.into(),
                ip: ip("192.168.1.1"),
                prefix: 24,
            },
            lab,
        )
    };
    assert!(!check(&lab, "g0/0"), "not configured yet");
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(lanlab_proto::SimTime::from_millis(2_000));
    assert!(check(e.lab(), "g0/0"));
    assert!(check(e.lab(), "GigabitEthernet0/0"));
    assert!(!check(e.lab(), "g0/1"));
    let k = CheckKind::with_tag("interface_up", "R1").unwrap();
    assert_eq!(
        k.auto_label("en"),
        "R1 GigabitEthernet0/0 has 192.168.1.1/24 and is up"
    );
    assert_eq!(
        k.auto_label("id"),
        "R1 GigabitEthernet0/0 beralamat 192.168.1.1/24 dan aktif"
    );
}
