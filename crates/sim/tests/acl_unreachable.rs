//! A router's access list denies a packet: the router tells the source
//! with ICMP destination unreachable, communication administratively
//! prohibited (type 3 code 13, RFC 1812 §5.2.7.1), which Windows' ping
//! prints as net unreachable; `no ip unreachables` on the interface the
//! packet came in on silences it (the ping times out instead).

mod common;

use common::*;
use lanlab_sim::action::Expect;
use lanlab_sim::{DeviceKind, Engine, Lab, Note};

const R1: &[&str] = &[
    "enable",
    "conf t",
    "access-list 1 deny host 192.168.1.10",
    "access-list 1 permit any",
    "access-list 2 deny host 10.0.0.20",
    "access-list 2 permit any",
    "int g0/0",
    "ip address 192.168.1.1 255.255.255.0",
    "int g0/1",
    "ip address 10.0.0.1 255.255.255.0",
    // PC1 may not reach 10.0.0.0/24 (checked on the way out)…
    "ip access-group 1 out",
    // …and PC3 may not send in at all.
    "ip access-group 2 in",
    "end",
];

/// PC1 and PC2 in 192.168.1.0/24, PC3 and PC4 in 10.0.0.0/24, R1 between.
fn lab() -> Lab {
    let mut b = B::new("ACL unreachables");
    b.dev(DeviceKind::Router, "R1", 300.0, 100.0)
        .dev(DeviceKind::Switch, "SW1", 150.0, 250.0)
        .dev(DeviceKind::Switch, "SW2", 450.0, 250.0)
        .dev(DeviceKind::Pc, "PC1", 100.0, 400.0)
        .dev(DeviceKind::Pc, "PC2", 200.0, 400.0)
        .dev(DeviceKind::Pc, "PC3", 400.0, 400.0)
        .dev(DeviceKind::Pc, "PC4", 500.0, 400.0)
        .ip("PC1", 0, "192.168.1.10/24", Some("192.168.1.1"), &[])
        .ip("PC2", 0, "192.168.1.11/24", Some("192.168.1.1"), &[])
        .ip("PC3", 0, "10.0.0.20/24", Some("10.0.0.1"), &[])
        .ip("PC4", 0, "10.0.0.21/24", Some("10.0.0.1"), &[])
        .link("R1", 0, "SW1", 0)
        .link("PC1", 0, "SW1", 1)
        .link("PC2", 0, "SW1", 2)
        .link("R1", 1, "SW2", 0)
        .link("PC3", 0, "SW2", 1)
        .link("PC4", 0, "SW2", 2);
    b.typed(100, 100, "R1", R1);
    b.cmd(3_000, "PC2", "ping -n 1 10.0.0.21", Expect::Success)
        .cmd(4_000, "PC1", "ping -n 2 10.0.0.21", Expect::Failure)
        .cmd(8_000, "PC3", "ping -n 1 192.168.1.11", Expect::Failure)
        .cmd(12_000, "R1", "conf t", Expect::Success)
        .cmd(12_100, "R1", "int g0/0", Expect::Success)
        .cmd(12_200, "R1", "no ip unreachables", Expect::Success)
        .cmd(12_300, "R1", "end", Expect::Success)
        .cmd(13_000, "PC1", "ping -n 1 10.0.0.21", Expect::Failure)
        .cmd(20_000, "R1", "show running-config", Expect::Success);
    b.build()
}

#[test]
fn acl_denial_sends_admin_prohibited_unless_no_ip_unreachables() {
    let lab = lab();
    let e = run_checked(&lab);

    // Denied on the way out of g0/1: R1 answers from g0/0's address.
    let out = output_nth(&e, "PC1", "ping -n 2 10.0.0.21", 0);
    eprintln!("{out}");
    assert_eq!(
        out.matches("Reply from 192.168.1.1: Destination net unreachable.")
            .count(),
        2,
        "{out}"
    );
    // Denied on the way in on g0/1: R1 answers from g0/1's address.
    let out = output_nth(&e, "PC3", "ping -n 1 192.168.1.11", 0);
    assert!(
        out.contains("Reply from 10.0.0.1: Destination net unreachable."),
        "{out}"
    );
    // Silenced on g0/0: the ping only times out.
    let out = output_nth(&e, "PC1", "ping -n 1 10.0.0.21", 0);
    assert!(out.contains("Request timed out."), "{out}");
    assert!(!out.contains("unreachable"), "{out}");

    // Three code-13 errors in all, each with its trace note.
    let t = e.trace();
    let told: Vec<_> = t
        .events()
        .flat_map(|ev| t.notes(ev))
        .filter_map(|n| match n {
            Note::AdminProhibitedSent { to, dst } => Some((*to, *dst)),
            _ => None,
        })
        .collect();
    assert_eq!(
        told,
        [
            (ip("192.168.1.10"), ip("10.0.0.21")),
            (ip("192.168.1.10"), ip("10.0.0.21")),
            (ip("10.0.0.20"), ip("192.168.1.11")),
        ]
    );
    let text = transcript(&e);
    assert!(text.contains("administratively prohibited"), "{text}");

    // The running configuration shows it in IOS's place and reads back.
    let run = output_nth(&e, "R1", "show running-config", 0);
    assert!(
        run.contains(" ip address 192.168.1.1 255.255.255.0\n no ip unreachables\n"),
        "{run}"
    );
    let r1 = e.lab().device_by_name("R1").unwrap();
    assert_eq!(r1.ios.no_unreachables, [0]);

    // Document + seed replays the same run.
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);
}
