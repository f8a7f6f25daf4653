use std::net::Ipv4Addr;

use super::*;
use crate::lab::{Lab, LabError};

const S1: &str = include_str!("../../../../public/labs/s1-one-server.json");

fn s1() -> Lab {
    let mut lab = Lab::from_json(S1).unwrap();
    lab.activity = None;
    lab
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

fn one(kind: CheckKind, lab: &Lab, engine: Option<&Engine>) -> CheckState {
    let a = Activity {
        checks: vec![Check::new(kind)],
        ..Activity::default()
    };
    evaluate(&a, lab, engine, &mut RunMemo::new())[0]
}

use CheckState::{Passed, Pending};

#[test]
fn configuration_checks_read_the_document() {
    let mut lab = s1();
    let dhcp = CheckKind::UsesDhcp { d: "PC0".into() };
    assert_eq!(one(dhcp.clone(), &lab, None), Pending);
    let pc0 = lab.device_by_name("pc0").unwrap().id;
    lab.set_ip(
        crate::lab::LinkEnd {
            device: pc0,
            port: 0,
        },
        IpConfig::Dhcp,
    )
    .unwrap();
    assert_eq!(one(dhcp, &lab, None), Passed);
    assert_eq!(
        one(CheckKind::UsesDhcp { d: "Nobody".into() }, &lab, None),
        Pending
    );

    let has = |d: &str, a: &str| CheckKind::HasIp {
        d: d.into(),
        ip: ip(a),
    };
    assert_eq!(one(has("PC1", "192.168.1.3"), &lab, None), Passed);
    assert_eq!(one(has("PC1", "192.168.1.4"), &lab, None), Pending);
    assert_eq!(
        one(has("PC0", "192.168.1.2"), &lab, None),
        Pending,
        "now DHCP"
    );

    let a = |name: &str, addr: &str| CheckKind::ARecord {
        d: "Server0".into(),
        name: name.into(),
        ip: ip(addr),
    };
    assert_eq!(one(a("hasan.com", "192.168.1.1"), &lab, None), Passed);
    assert_eq!(one(a("HASAN.com.", "192.168.1.1"), &lab, None), Passed);
    assert_eq!(one(a("mail.hasan.com", "192.168.1.1"), &lab, None), Passed);
    assert_eq!(one(a("hasan.com", "192.168.1.9"), &lab, None), Pending);
    assert_eq!(
        one(a("www.hasan.com", "192.168.1.1"), &lab, None),
        Pending,
        "a CNAME"
    );

    let serves = |svc| CheckKind::Serves {
        d: "Server0".into(),
        svc,
    };
    for svc in Service::ALL {
        assert_eq!(one(serves(svc), &lab, None), Passed, "{svc:?}");
    }
    let id = lab.device_by_name("Server0").unwrap().id;
    lab.device_mut(id)
        .unwrap()
        .services
        .http
        .as_mut()
        .unwrap()
        .enabled = false;
    assert_eq!(one(serves(Service::Http), &lab, None), Pending);
    assert_eq!(one(serves(Service::Dns), &lab, None), Passed);
    lab.device_mut(id).unwrap().powered = false;
    assert_eq!(one(serves(Service::Dns), &lab, None), Pending);
}

fn run_checks() -> Vec<(CheckKind, CheckState)> {
    let d = |s: &str| s.to_string();
    vec![
        (CheckKind::DhcpAck { d: d("PC0") }, Passed),
        (CheckKind::DhcpAck { d: d("PC1") }, Passed),
        (CheckKind::DhcpAck { d: d("Server0") }, Pending),
        (
            CheckKind::Resolved {
                d: d("PC1"),
                name: d("hasan.com"),
            },
            Passed,
        ),
        (
            CheckKind::Resolved {
                d: d("PC1"),
                name: d("www.hasan.com"),
            },
            Pending,
        ),
        (
            CheckKind::Pinged {
                d: d("PC0"),
                target: d("192.168.1.1"),
            },
            Passed,
        ),
        (
            CheckKind::Pinged {
                d: d("PC1"),
                target: d("HASAN.COM"),
            },
            Passed,
        ),
        (
            CheckKind::Pinged {
                d: d("PC1"),
                target: d("192.168.1.1"),
            },
            Pending,
        ),
        (
            CheckKind::Browsed {
                d: d("PC0"),
                host: d("hasan.com"),
            },
            Passed,
        ),
        (
            CheckKind::Browsed {
                d: d("PC1"),
                host: d("hasan.com"),
            },
            Pending,
        ),
        (
            CheckKind::MailReceived {
                d: d("PC0"),
                from: d("Akbari@Hasan.com"),
                subject: d("tes email"),
            },
            Passed,
        ),
        (
            CheckKind::MailReceived {
                d: d("PC0"),
                from: d(""),
                subject: d(""),
            },
            Passed,
        ),
        (
            CheckKind::MailReceived {
                d: d("PC0"),
                from: d("akbari@hasan.com"),
                subject: d("Other"),
            },
            Pending,
        ),
        (
            CheckKind::MailReceived {
                d: d("PC1"),
                from: d(""),
                subject: d(""),
            },
            Pending,
        ),
    ]
}

#[test]
fn run_checks_read_what_happened() {
    let lab = s1();
    let cases = run_checks();
    let activity = Activity {
        checks: cases.iter().map(|(k, _)| Check::new(k.clone())).collect(),
        ..Activity::default()
    };
    let mut e = Engine::new(&lab).unwrap();
    let mut memo = RunMemo::new();
    // Nothing happened yet; without an engine, run checks are pending.
    assert!(
        evaluate(&activity, &lab, Some(&e), &mut memo)
            .iter()
            .all(|s| *s == Pending)
    );
    assert!(
        evaluate(&activity, &lab, None, &mut RunMemo::new())
            .iter()
            .all(|s| *s == Pending)
    );
    // Incremental: evaluate every simulated second.
    for s in 1..=30 {
        e.run_until(lanlab_proto::SimTime::from_millis(s * 1000));
        evaluate(&activity, &lab, Some(&e), &mut memo);
    }
    let got = evaluate(&activity, &lab, Some(&e), &mut memo);
    for ((kind, want), got) in cases.iter().zip(&got) {
        assert_eq!(got, want, "{kind:?}");
    }
    // A fresh memo over the whole trace agrees with the incremental one.
    assert_eq!(
        evaluate(&activity, &lab, Some(&e), &mut RunMemo::new()),
        got
    );
    // Stepping back rewinds: the DHCP ACK has not happened at event 5.
    e.seek(5);
    let back = evaluate(&activity, &lab, Some(&e), &mut memo);
    assert_eq!(back[0], Pending);
}

#[test]
fn the_document_form_is_compact_and_round_trips() {
    let a = Activity {
        instructions: Text::new("Set **PC0** to DHCP.", "Atur **PC0** ke DHCP."),
        checks: vec![
            Check {
                label: Text::new("PC0 uses DHCP", "PC0 memakai DHCP"),
                hint: Text::new("Config tab", ""),
                kind: CheckKind::UsesDhcp { d: "PC0".into() },
            },
            Check::new(CheckKind::MailReceived {
                d: "PC0".into(),
                from: "akbari@hasan.com".into(),
                subject: String::new(),
            }),
            Check::new(CheckKind::Serves {
                d: "Server0".into(),
                svc: Service::Http,
            }),
        ],
        lock: Lock::default(),
    };
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(
        json,
        r#"{"i":{"en":"Set **PC0** to DHCP.","id":"Atur **PC0** ke DHCP."},"c":[{"l":{"en":"PC0 uses DHCP","id":"PC0 memakai DHCP"},"h":{"en":"Config tab"},"k":{"t":"uses_dhcp","d":"PC0"}},{"k":{"t":"mail_received","d":"PC0","from":"akbari@hasan.com"}},{"k":{"t":"serves","d":"Server0","svc":"http"}}]}"#
    );
    assert_eq!(serde_json::from_str::<Activity>(&json).unwrap(), a);
    let mut lab = s1();
    lab.activity = Some(a.clone());
    let back = Lab::from_json(&lab.to_json_pretty()).unwrap();
    assert_eq!(back.activity, Some(a));
    assert_eq!(
        Text::new("x", "").get("id"),
        "x",
        "falls back to the other language"
    );
    for tag in KIND_TAGS {
        let k = CheckKind::with_tag(tag, "PC0").unwrap();
        assert_eq!(k.tag(), tag);
        assert!(k.auto_label("en").contains("PC0"));
        assert!(k.auto_label("id").contains("PC0"));
    }
}

#[test]
fn bad_activities_are_refused_with_a_reason() {
    let mut lab = s1();
    lab.activity = Some(Activity {
        checks: vec![Check::new(CheckKind::UsesDhcp { d: "PC0".into() }); MAX_CHECKS + 1],
        ..Activity::default()
    });
    assert!(matches!(lab.validate(), Err(LabError::Activity(_))));
    let json = lab.to_json_pretty();
    assert!(matches!(Lab::from_json(&json), Err(LabError::Activity(_))));
    let bad_kind = s1().to_json_pretty().replacen(
        "\"devices\"",
        "\"activity\": {\"c\": [{\"k\": {\"t\": \"teleport\", \"d\": \"PC0\"}}]},\n  \"devices\"",
        1,
    );
    assert!(matches!(
        Lab::from_json(&bad_kind),
        Err(LabError::Malformed(_))
    ));
    // A check naming a device the lab does not have is valid and pending.
    lab.activity = Some(Activity {
        checks: vec![Check::new(CheckKind::UsesDhcp { d: "Gone".into() })],
        ..Activity::default()
    });
    lab.validate().unwrap();
}

#[test]
fn ping_targets_are_read_from_the_command_line() {
    assert_eq!(ping_target("ping -n 2 hasan.com"), Some("hasan.com"));
    assert_eq!(ping_target("ping 192.168.1.1 -l 64"), Some("192.168.1.1"));
    assert_eq!(ping_target("PING -t x"), Some("x"));
    assert_eq!(ping_target("nslookup hasan.com"), None);
    assert_eq!(ping_target(""), None);
}
