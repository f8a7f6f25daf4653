//! Scenario tests: whole labs run headless, checked on outcome and trace.

use lanlab_sim::testnet::TestNet;
use lanlab_sim::{Engine, JobStatus, Note, Proto, TraceKind};

fn one_lan() -> Engine {
    TestNet::new()
        .pc("PC0", "192.168.1.10/24", None)
        .pc("PC1", "192.168.1.11/24", None)
        .switch("Switch0", 24)
        .link("PC0", "Switch0")
        .link("PC1", "Switch0")
        .build()
}

fn cmd(e: &mut Engine, dev: &str, line: &str) -> String {
    let j = e.command(dev, line).unwrap();
    e.job(j).unwrap().output.clone()
}

fn output(e: &Engine, job: lanlab_sim::JobId) -> String {
    e.job(job).unwrap().output.clone()
}

#[test]
fn ping_across_a_switch() {
    let mut e = one_lan();
    let job = e.command("PC0", "ping 192.168.1.11").unwrap();
    assert!(e.run_until_idle(10_000));
    let j = e.job(job).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{}", j.output);
    let out = output(&e, job);
    assert!(
        out.contains("Pinging 192.168.1.11 with 32 bytes of data:"),
        "{out}"
    );
    // Two 1 ms cables each way; the first echo also waits for ARP.
    assert!(
        out.contains("Reply from 192.168.1.11: bytes=32 time=8ms TTL=128"),
        "{out}"
    );
    assert_eq!(
        out.matches("Reply from 192.168.1.11: bytes=32 time=4ms TTL=128")
            .count(),
        3,
        "{out}"
    );
    assert!(
        out.contains("Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),"),
        "{out}"
    );
    // ARP request flooded, learned by the switch; reply forwarded.
    let t = e.trace();
    let arp: Vec<_> = t.filter(Proto::Arp).collect();
    assert!(!arp.is_empty());
    let learned = t
        .events()
        .flat_map(|ev| t.notes(ev))
        .any(|n| matches!(n, Note::SwitchLearned { port, .. } if &**port == "FastEthernet0/1"));
    assert!(learned);
    assert_eq!(
        t.filter(Proto::Icmp).count(),
        16,
        "4 requests + 4 replies, two hops each"
    );
    let arp_out = cmd(&mut e, "PC0", "arp -a");
    assert!(
        arp_out.contains("  192.168.1.11          02-4c-00-00-01-00     dynamic"),
        "{arp_out}"
    );
    assert!(arp_out.contains("dynamic"));
    let table = e.switch("Switch0").unwrap().mac_table(e.now());
    assert_eq!(table.len(), 2);
}

#[test]
fn unplugged_cable_loses_frames_and_ping_times_out() {
    let mut e = one_lan();
    e.act(lanlab_sim::Action::Unplug {
        port: lanlab_sim::PortRef {
            device: "PC1".into(),
            port: "FastEthernet0".into(),
        },
    })
    .unwrap();
    let job = e.command("PC0", "ping -n 2 192.168.1.11").unwrap();
    e.run_until_idle(10_000);
    let out = output(&e, job);
    assert_eq!(e.job(job).unwrap().status, JobStatus::Failed);
    assert_eq!(out.matches("Request timed out.").count(), 2, "{out}");
    assert!(out.contains("Lost = 2 (100% loss)"), "{out}");
}

#[test]
fn powered_off_device_drops_frames() {
    let mut e = one_lan();
    e.act(lanlab_sim::Action::Power {
        device: "PC1".into(),
        on: false,
    })
    .unwrap();
    let job = e.command("PC0", "ping -n 1 192.168.1.11").unwrap();
    e.run_until_idle(10_000);
    assert_eq!(e.job(job).unwrap().status, JobStatus::Failed);
    assert!(e.trace().events().any(|ev| matches!(
        &ev.kind(),
        TraceKind::Dropped {
            reason: lanlab_sim::DropReason::PoweredOff,
            ..
        }
    )));
    assert!(e.command("PC1", "ipconfig").is_err());
}

#[test]
fn shell_commands_answer() {
    let mut e = one_lan();
    let ip = cmd(&mut e, "PC0", "ipconfig");
    assert!(
        ip.contains("IPv4 Address. . . . . . . . . . . : 192.168.1.10"),
        "{ip}"
    );
    assert!(
        ip.contains("Subnet Mask . . . . . . . . . . . : 255.255.255.0"),
        "{ip}"
    );
    let j = e.command("PC0", "frobnicate").unwrap();
    assert_eq!(e.job(j).unwrap().status, JobStatus::Failed);
    assert!(output(&e, j).contains("'frobnicate' is not recognized"));
    assert!(cmd(&mut e, "PC0", "help").contains("ping"));
    assert!(cmd(&mut e, "PC0", "netstat").contains("Active Connections"));
    let j = e.command("Switch0", "ping 1.1.1.1").unwrap();
    assert_eq!(e.job(j).unwrap().status, JobStatus::Failed);
    assert!(output(&e, j).contains("% Invalid input detected"));
    assert_eq!(cmd(&mut e, "PC0", "arp -a"), "No ARP Entries Found.\n");
}

#[test]
fn benchmark_lab_every_host_reaches_the_server() {
    let lab = lanlab_sim::testnet::ping_fan_in(3, 20);
    let mut e = Engine::new(&lab).unwrap();
    assert!(e.run_until_idle(1_000_000));
    let outcomes = e.scripted_outcomes();
    assert_eq!(outcomes.len(), 60);
    for o in outcomes {
        let job = o.clone().unwrap().unwrap().unwrap();
        assert_eq!(
            e.job(job).unwrap().status,
            JobStatus::Succeeded,
            "{}",
            e.job(job).unwrap().output
        );
    }
    // Each PC's ARP request is flooded to the 19 other PCs and the router.
    assert!(e.trace().hop_count() > 60 * 21);
}

#[test]
fn ping_loopback_and_own_address_never_touch_the_wire() {
    let mut e = one_lan();
    let before = e.trace().hop_count();
    let out = cmd(&mut e, "PC0", "ping -n 2 127.0.0.1");
    e.run_until_idle(1_000);
    let j = e.jobs().last().unwrap().clone();
    assert_eq!(j.status, JobStatus::Succeeded, "{}", j.output);
    assert!(
        j.output
            .contains("Reply from 127.0.0.1: bytes=32 time<1ms TTL=128"),
        "{out}"
    );
    let j = e.command("PC0", "ping -n 1 192.168.1.10").unwrap();
    e.run_until_idle(1_000);
    assert!(output(&e, j).contains("Reply from 192.168.1.10: bytes=32 time<1ms TTL=128"));
    assert_eq!(e.trace().hop_count(), before);
}

#[test]
fn cable_pulled_mid_flight_and_plugged_back() {
    let mut e = one_lan();
    let j = e.command("PC0", "ping -n 3 192.168.1.11").unwrap();
    // Let ARP finish and the first echo request leave PC0 (t = 4 ms).
    e.run_until(lanlab_proto::SimTime::from_micros(4_500));
    let port = lanlab_sim::PortRef {
        device: "PC0".into(),
        port: "FastEthernet0".into(),
    };
    e.act(lanlab_sim::Action::Unplug { port: port.clone() })
        .unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(6));
    assert!(e.trace().events().any(|ev| matches!(
        &ev.kind(),
        TraceKind::Dropped {
            reason: lanlab_sim::DropReason::Unplugged,
            ..
        }
    )));
    assert!(e.trace().events().any(|ev| matches!(
        &ev.kind(),
        TraceKind::Dropped {
            reason: lanlab_sim::DropReason::NoCable,
            ..
        }
    )));
    e.act(lanlab_sim::Action::Plug {
        a: port,
        b: lanlab_sim::PortRef {
            device: "Switch0".into(),
            port: "FastEthernet0/1".into(),
        },
    })
    .unwrap();
    e.run_until_idle(10_000);
    let out = output(&e, j);
    assert!(out.contains("Request timed out."), "{out}");
    assert!(out.contains("Reply from 192.168.1.11"), "{out}");
    assert_eq!(e.session_log().len(), 3);
    assert_eq!(e.lab().links.len(), 2);
}

#[test]
fn frames_in_flight_are_visible_for_animation() {
    let mut e = one_lan();
    e.command("PC0", "ping -n 1 192.168.1.11").unwrap();
    let f = e.in_flight();
    assert_eq!(f.len(), 1, "the ARP request is on PC0's cable");
    assert_eq!(f[0].sent, lanlab_proto::SimTime::ZERO);
    assert_eq!(f[0].arrives, lanlab_proto::SimTime::from_millis(1));
    assert_eq!(e.lab().end_label(f[0].from), "PC0 FastEthernet0");
    assert_eq!(e.lab().end_label(f[0].to), "Switch0 FastEthernet0/1");
    e.step();
    let f = e.in_flight();
    assert_eq!(
        f.len(),
        1,
        "flooded to PC1 only (the other ports have no cable)"
    );
    assert_eq!(e.lab().end_label(f[0].to), "PC1 FastEthernet0");
}
