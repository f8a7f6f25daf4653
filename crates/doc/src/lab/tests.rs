//! Unit tests of the lab document.
use super::*;

fn two_pcs_and_a_switch() -> (Lab, DeviceId, DeviceId, DeviceId) {
    let mut lab = Lab::new("t");
    let pc0 = lab.add_device(DeviceKind::Pc, Point::new(0.0, 0.0));
    let pc1 = lab.add_device(DeviceKind::Pc, Point::new(10.0, 0.0));
    let sw = lab.add_device(DeviceKind::Switch, Point::new(5.0, 5.0));
    (lab, pc0, pc1, sw)
}

#[test]
fn names_follow_packet_tracer() {
    let (lab, pc0, pc1, sw) = two_pcs_and_a_switch();
    assert_eq!(lab.device(pc0).unwrap().name, "PC0");
    assert_eq!(lab.device(pc1).unwrap().name, "PC1");
    assert_eq!(lab.device(sw).unwrap().name, "Switch0");
    assert_eq!(lab.device(sw).unwrap().ports[0].name, "FastEthernet0/1");
    assert_eq!(lab.device(sw).unwrap().ports.len(), 26);
}

#[test]
fn connect_uses_free_ports_and_refuses_full_device() {
    let (mut lab, pc0, pc1, sw) = two_pcs_and_a_switch();
    let l0 = lab.connect(pc0, sw).unwrap();
    let l1 = lab.connect(pc1, sw).unwrap();
    assert_eq!(lab.link(l0).unwrap().b.port, 0);
    assert_eq!(lab.link(l1).unwrap().b.port, 1);
    assert_eq!(
        lab.end_label(lab.link(l1).unwrap().b),
        "Switch0 FastEthernet0/2"
    );
    assert_eq!(
        lab.connect(pc0, pc1),
        Err(LabError::NoFreePort("PC0".into()))
    );
    assert_eq!(lab.connect(sw, sw), Err(LabError::SelfLink));
    assert_eq!(lab.links_of(sw).count(), 2);
}

#[test]
fn remove_and_restore_round_trip() {
    let (mut lab, pc0, _pc1, sw) = two_pcs_and_a_switch();
    lab.connect(pc0, sw).unwrap();
    let before = lab.clone();
    let (dev, links) = lab.remove_device(sw).unwrap();
    assert_eq!(links.len(), 1);
    assert!(lab.links.is_empty());
    lab.restore_device(dev, links).unwrap();
    lab.devices.sort_by_key(|d| d.id);
    assert_eq!(lab, before);
}

#[test]
fn rename_rejects_duplicates_case_insensitively() {
    let (mut lab, pc0, pc1, _) = two_pcs_and_a_switch();
    assert_eq!(
        lab.rename_device(pc1, "pc0"),
        Err(LabError::DuplicateName("pc0".into()))
    );
    assert_eq!(lab.rename_device(pc0, "  Budi "), Ok("PC0".into()));
    assert_eq!(lab.device(pc0).unwrap().name, "Budi");
    assert_eq!(lab.rename_device(pc0, ""), Err(LabError::BadName));
    assert_eq!(lab.next_name(DeviceKind::Pc), "PC0");
}

#[test]
fn json_round_trip_and_version_checks() {
    let (mut lab, pc0, _, sw) = two_pcs_and_a_switch();
    lab.connect(pc0, sw).unwrap();
    let text = lab.to_json_pretty();
    assert!(text.contains("\"version\": 2"));
    assert!(text.contains("\"mac\": \"02:4c:00:00:00:00\""));
    assert_eq!(Lab::from_json(&text).unwrap(), lab);
    let newer = text.replacen("\"version\": 2", "\"version\": 99", 1);
    assert_eq!(
        Lab::from_json(&newer),
        Err(LabError::TooNew {
            found: 99,
            supported: LAB_VERSION
        })
    );
    assert!(matches!(Lab::from_json("{"), Err(LabError::Malformed(_))));
    assert!(matches!(Lab::from_json("[]"), Err(LabError::Malformed(_))));
}

#[test]
fn validate_catches_a_doubly_used_port() {
    let (mut lab, pc0, pc1, sw) = two_pcs_and_a_switch();
    lab.connect(pc0, sw).unwrap();
    let mut l = lab.links[0].clone();
    l.id = LinkId(9);
    l.a = LinkEnd {
        device: pc1,
        port: 0,
    };
    lab.links.push(l);
    assert!(matches!(lab.validate(), Err(LabError::PortInUse { .. })));
}

#[test]
fn v1_file_without_new_fields_still_loads() {
    let text = r#"{"version":1,"devices":[{"id":0,"kind":"pc","name":"PC0",
        "pos":{"x":0,"y":0},"ports":[{"name":"FastEthernet0","mac":"02:4c:00:00:00:00"}]}]}"#;
    let lab = Lab::from_json(text).unwrap();
    assert_eq!(lab.devices[0].ports[0].ip, IpConfig::None);
    assert!(lab.actions.is_empty());
    assert!(lab.devices[0].routes.is_empty());
}

#[test]
fn ip_validation_and_actions() {
    let (mut lab, pc0, pc1, sw) = two_pcs_and_a_switch();
    let ip = |a: [u8; 4]| IpConfig::static_ip(a.into(), [255, 255, 255, 0].into());
    let e0 = LinkEnd {
        device: pc0,
        port: 0,
    };
    let e1 = LinkEnd {
        device: pc1,
        port: 0,
    };
    lab.set_ip(e0, ip([192, 168, 1, 10])).unwrap();
    assert_eq!(
        lab.set_ip(e1, ip([192, 168, 1, 10]))
            .unwrap_err()
            .to_string(),
        "192.168.1.10 is set on both PC0 FastEthernet0 and PC1 FastEthernet0"
    );
    assert_eq!(
        lab.devices[1].ports[0].ip,
        IpConfig::None,
        "refused edit changes nothing"
    );
    let bad = IpConfig::static_ip([10, 0, 0, 1].into(), [255, 0, 255, 0].into());
    assert!(matches!(
        lab.set_ip(e1, bad),
        Err(LabError::NonContiguousMask { .. })
    ));
    let big = lab.add_device_with_ports(DeviceKind::Switch, Point::default(), 101);
    assert_eq!(lab.device(big).unwrap().ports.len(), 101);
    assert_eq!(
        lab.device(big).unwrap().ports[100].name,
        "FastEthernet0/101"
    );
    lab.connect(pc0, sw).unwrap();
    assert_eq!(
        lab.end_by_name("switch0", "fastethernet0/1")
            .unwrap()
            .device,
        sw
    );
    lab.actions.push(crate::ScriptedAction {
        at_ms: 0,
        action: crate::Action::Ping {
            device: "PC9".into(),
            target: "1.1.1.1".into(),
            count: None,
        },
        expect: crate::Expect::Success,
    });
    assert_eq!(
        lab.validate().unwrap_err().to_string(),
        "action 1 (PC9> ping 1.1.1.1): there is no device named PC9"
    );
}

#[test]
fn the_lean_form_leaves_out_what_it_can_rebuild() {
    let mut lab = Lab::new("lean");
    let pc = lab.add_device(DeviceKind::Pc, Point::new(10.0, 20.5));
    let sw = lab.add_device(DeviceKind::Switch, Point::new(300.0, 100.0));
    let big = lab.add_device_with_ports(DeviceKind::Switch, Point::new(0.0, 0.0), 100);
    let r = lab.add_device(DeviceKind::Router, Point::new(0.0, 0.0));
    lab.connect(pc, sw).unwrap();
    lab.connect(big, r).unwrap();
    // A renamed port and a changed MAC are kept.
    lab.device_mut(r).unwrap().ports[1].name = "Gi0/1-uplink".into();
    lab.device_mut(r).unwrap().ports[2].mac = "00:11:22:33:44:55".parse().unwrap();
    lab.device_mut(sw).unwrap().powered = false;
    lab.links[1].latency_us = 5_000;
    let lean = lab.to_json_lean();
    assert!(!lean.contains("02:4c"), "derivable MACs left out: {lean}");
    assert!(!lean.contains("FastEthernet"), "derivable names left out");
    assert!(lean.contains("Gi0/1-uplink") && lean.contains("00:11:22:33:44:55"));
    assert!(lean.contains("\"powered\":false") && lean.contains("5000"));
    assert!(lean.contains("20.5"));
    assert_eq!(Lab::from_json(&lean).unwrap(), lab);
    // The file form keeps everything.
    let file = lab.to_json_pretty();
    assert!(file.contains("02:4c:00:00:00:00") && file.contains("FastEthernet0/100"));
    assert_eq!(Lab::from_json(&file).unwrap(), lab);
    // Ports whose names cannot be rebuilt are refused clearly.
    let broken = lean.replacen("\"kind\":\"pc\"", "\"kind\":\"toaster\"", 1);
    assert!(matches!(
        Lab::from_json(&broken),
        Err(LabError::Malformed(_))
    ));
}

#[test]
fn a_title_in_both_languages_and_the_old_plain_title_both_open() {
    use crate::activity::Text;
    // A file written before titles were translatable.
    let old = r#"{"version":2,"name":"S1 — One server","devices":[],"links":[]}"#;
    let lab = Lab::from_json(old).unwrap();
    assert_eq!(lab.name, Text::new("S1 — One server", ""));
    assert_eq!(
        lab.name.get("id"),
        "S1 — One server",
        "shown in both languages"
    );
    // Written back the old way, so older versions still read it.
    assert!(
        lab.to_json_pretty()
            .contains("\"name\": \"S1 — One server\"")
    );
    // Both languages: an object, in the file and the link.
    let mut both = lab.clone();
    both.name = Text::new("S1 — One server", "S1 — Satu server");
    let file = both.to_json_pretty();
    assert!(file.contains("\"id\": \"S1 — Satu server\""), "{file}");
    assert_eq!(Lab::from_json(&file).unwrap(), both);
    assert_eq!(Lab::from_json(&both.to_json_lean()).unwrap(), both);
    assert_eq!(both.name.get("id"), "S1 — Satu server");
    assert_eq!(both.name.get("en"), "S1 — One server");
    // Anything else is not a title.
    assert!(matches!(
        Lab::from_json(r#"{"version":2,"name":7}"#),
        Err(LabError::Malformed(_))
    ));
}

#[test]
fn devices_are_found_by_id_in_order_or_not() {
    let (mut lab, a, b, c) = two_pcs_and_a_switch();
    for id in [a, b, c] {
        assert_eq!(lab.device(id).map(|d| d.id), Some(id));
    }
    // A hand-edited file may list them in any order: still found.
    lab.devices.reverse();
    for id in [a, b, c] {
        assert_eq!(lab.device(id).map(|d| d.id), Some(id));
        assert_eq!(lab.device_mut(id).map(|d| d.id), Some(id));
    }
    assert!(lab.device(DeviceId(999)).is_none());
    lab.devices.swap(0, 2);
    lab.devices.swap(1, 2);
    for id in [a, b, c] {
        assert_eq!(lab.device(id).map(|d| d.id), Some(id));
    }
}
