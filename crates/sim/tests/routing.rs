//! Scenario tests across routers: ARP on both sides, TTL expiry, no route,
//! loops, determinism, replay and pcap.

use lanlab_sim::testnet::TestNet;
use lanlab_sim::{Engine, JobStatus, Note, Proto, TraceKind};

/// PC0 (192.168.1.0/24) — Switch0 — Router0 — Router1 — Server0 (10.2.0.0/24).
fn two_routers() -> TestNet {
    TestNet::new()
        .pc("PC0", "192.168.1.10/24", Some("192.168.1.1"))
        .switch("Switch0", 8)
        .router("Router0", &["192.168.1.1/24", "10.0.0.1/30"])
        .router("Router1", &["10.0.0.2/30", "10.2.0.1/24"])
        .server("Server0", "10.2.0.10/24", Some("10.2.0.1"))
        .link("PC0", "Switch0")
        .link("Switch0", "Router0")
        .link("Router0", "Router1")
        .link("Router1", "Server0")
        .route("Router0", "10.2.0.0/24", "10.0.0.2")
        .route("Router1", "0.0.0.0/0", "10.0.0.1")
}

fn cmd(e: &mut Engine, dev: &str, line: &str) -> (String, JobStatus) {
    let j = e.command(dev, line).unwrap();
    e.run_until_idle(100_000);
    let j = e.job(j).unwrap();
    (j.output.clone(), j.status)
}

#[test]
fn ping_across_routers_with_arp_on_each_side() {
    let mut e = two_routers().build();
    let (out, st) = cmd(&mut e, "PC0", "ping 10.2.0.10");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    assert!(
        out.contains("Reply from 10.2.0.10: bytes=32 time=8ms TTL=126"),
        "{out}"
    );
    let t = e.trace();
    let lines: Vec<String> = t.filter(Proto::Arp).map(|ev| e.describe(ev)).collect();
    let who_has = |ip: &str, tell: &str| {
        lines
            .iter()
            .any(|l| l.contains(&format!("ARP who-has {ip} tell {tell}")))
    };
    assert!(who_has("192.168.1.1", "192.168.1.10"), "{lines:#?}");
    assert!(who_has("10.0.0.2", "10.0.0.1"), "{lines:#?}");
    assert!(who_has("10.2.0.10", "10.2.0.1"), "{lines:#?}");
    // Server0 learned Router1's MAC from Router1's own request (RFC 826), so
    // it never asks.
    assert!(!who_has("10.2.0.1", "10.2.0.10"), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("ARP reply 10.2.0.10 is-at 02:4c:00:00:04:00")),
        "{lines:#?}"
    );
    let forwarded = t
        .events()
        .flat_map(|ev| t.notes(ev))
        .filter(|n| matches!(n, Note::Forwarded { .. }))
        .count();
    assert_eq!(forwarded, 16, "4 echoes and 4 replies through 2 routers");
    let routes = e.router("Router0").unwrap().routes();
    // Two connected networks, their two local /32s (L), one static route.
    assert_eq!(routes.len(), 5);
    let connected: Vec<_> = routes
        .iter()
        .filter(|r| r.origin != lanlab_proto::net::RouteOrigin::Local)
        .collect();
    assert_eq!(connected.len(), 3);
    assert_eq!(
        connected[0].to_string(),
        "C 10.0.0.0/30 is directly connected, if 1"
    );
}

#[test]
fn tracert_lists_each_hop() {
    let mut e = two_routers().build();
    let (out, st) = cmd(&mut e, "PC0", "tracert 10.2.0.10");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    let hops: Vec<&str> = out.lines().filter(|l| l.contains(" ms ")).collect();
    assert_eq!(hops.len(), 3, "{out}");
    assert!(
        hops[0].starts_with("  1") && hops[0].ends_with("  192.168.1.1"),
        "{out}"
    );
    assert!(
        hops[1].starts_with("  2") && hops[1].ends_with("  10.0.0.2"),
        "{out}"
    );
    assert!(
        hops[2].starts_with("  3") && hops[2].ends_with("  10.2.0.10"),
        "{out}"
    );
    assert!(out.contains("Trace complete."));
    let t = e.trace();
    assert!(
        t.events()
            .flat_map(|ev| t.notes(ev))
            .any(|n| matches!(n, Note::TtlExpired { .. }))
    );
}

#[test]
fn no_route_gets_net_unreachable() {
    let mut e = two_routers().build();
    let (out, st) = cmd(&mut e, "PC0", "ping -n 1 172.16.0.1");
    assert_eq!(st, JobStatus::Failed, "{out}");
    assert!(
        out.contains("Reply from 192.168.1.1: Destination net unreachable."),
        "{out}"
    );
    let t = e.trace();
    assert!(t.events().any(|ev| {
        e.describe(ev)
            .contains("router: no route to 172.16.0.1, dropped")
    }));
}

#[test]
fn host_without_gateway_cannot_leave_its_subnet() {
    let mut e = TestNet::new().pc("PC0", "192.168.1.10/24", None).build();
    let (out, st) = cmd(&mut e, "PC0", "ping -n 2 10.0.0.1");
    assert_eq!(st, JobStatus::Failed);
    assert_eq!(
        out.matches("PING: transmit failed. General failure.")
            .count(),
        2,
        "{out}"
    );
}

#[test]
fn dead_host_on_the_far_side_gets_host_unreachable() {
    let mut e = two_routers()
        .pc("Ghost", "10.2.0.99/24", Some("10.2.0.1"))
        .build();
    // Ghost is not cabled: Router1's ARP for it fails.
    let (out, st) = cmd(&mut e, "PC0", "ping -n 1 10.2.0.99");
    assert_eq!(st, JobStatus::Failed, "{out}");
    assert!(
        out.contains("Reply from 10.0.0.2: Destination host unreachable."),
        "{out}"
    );
}

/// A cabling loop (a triangle of switches plus a doubled cable): spanning
/// tree blocks the ports that close loops, so a broadcast never circles.
/// (This replaced the old loop protection, which blocked a port when the
/// same flooded frame came back: the ping now waits for 802.1D to converge,
/// 2 × forward delay, as it would on Cisco switches.)
#[test]
fn cabling_loop_is_blocked_by_spanning_tree_and_does_not_flood() {
    let mut net = TestNet::new()
        .pc("PC0", "192.168.1.10/24", None)
        .pc("PC1", "192.168.1.11/24", None)
        .switch("S0", 8)
        .switch("S1", 8)
        .switch("S2", 8)
        .link("PC0", "S0")
        .link("PC1", "S2")
        .link("S0", "S1")
        .link("S1", "S2")
        .link("S2", "S0")
        .link("S0", "S1");
    let _ = &mut net;
    let mut e = net.build();
    e.run_until(lanlab_proto::SimTime::from_secs(31));
    let before = e.events_delivered();
    let j = e.command("PC0", "ping 192.168.1.11").unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(61));
    let during = e.events_delivered() - before;
    assert!(
        during < 5_000,
        "a loop must not flood forever: {during} events"
    );
    let t = e.trace();
    let blocked = t.events().flat_map(|ev| t.notes(ev)).any(|n| {
        matches!(n, Note::Stp(s) if matches!(s.what, lanlab_sim::note::StpWhat::Role {
            role: lanlab_proto::stp::Role::Alternate | lanlab_proto::stp::Role::Backup,
            ..
        }))
    });
    assert!(blocked, "spanning tree must block a port");
    let amber: usize = ["S0", "S1", "S2"]
        .iter()
        .map(|s| e.switch(s).unwrap().blocked_ports().len())
        .sum();
    assert_eq!(amber, 2, "a triangle plus a doubled cable: two ports block");
    assert_eq!(
        e.job(j).unwrap().status,
        JobStatus::Succeeded,
        "{}",
        e.job(j).unwrap().output
    );
}

fn render(e: &Engine) -> Vec<String> {
    e.trace().events().map(|ev| e.describe(ev)).collect()
}

#[test]
fn same_lab_seed_and_actions_give_the_same_trace() {
    let run = || {
        let mut lab = two_routers().into_lab();
        // The cable PC0–Switch0 loses 30% of frames.
        lab.links[0].loss = 0.3;
        let mut e = Engine::with_seed(&lab, 42).unwrap();
        e.command("PC0", "ping -n 6 10.2.0.10").unwrap();
        e.run_until(lanlab_proto::SimTime::from_secs(3));
        e.command("PC0", "tracert 10.2.0.10").unwrap();
        e.run_until_idle(100_000);
        (render(&e), e)
    };
    let (a, ea) = run();
    let (b, _) = run();
    assert_eq!(a, b);
    assert!(
        a.iter().any(|l| l.contains("lost on the cable")),
        "loss must show"
    );
    // Replay from the session log reaches the same trace.
    let log = ea.session_log().to_vec();
    assert_eq!(log.len(), 2);
    let mut r = ea.clone();
    r.seek(0);
    r.run_until_idle(100_000);
    assert_eq!(render(&r), a);
}

#[test]
fn seek_steps_back_and_forward() {
    let mut e = two_routers().build();
    e.command("PC0", "ping -n 2 10.2.0.10").unwrap();
    e.run_until_idle(100_000);
    let full = render(&e);
    let n = e.events_delivered();
    e.seek(10);
    assert_eq!(e.events_delivered(), 10);
    let partial = render(&e);
    assert!(partial.len() < full.len());
    assert_eq!(&full[..partial.len()], &partial[..]);
    e.seek(n);
    assert_eq!(render(&e), full);
    assert_eq!(e.jobs()[0].status, JobStatus::Succeeded);
}

#[test]
fn config_change_applies_live() {
    let mut e = two_routers().build();
    e.act(lanlab_sim::Action::SetRoutes {
        device: "Router0".into(),
        routes: vec![],
    })
    .unwrap();
    let (out, st) = cmd(&mut e, "PC0", "ping -n 1 10.2.0.10");
    assert_eq!(st, JobStatus::Failed, "{out}");
    e.act(lanlab_sim::Action::SetRoutes {
        device: "Router0".into(),
        routes: vec![lanlab_sim::StaticRoute {
            network: [10, 2, 0, 0].into(),
            mask: [255, 255, 255, 0].into(),
            next_hop: [10, 0, 0, 2].into(),
            distance: None,
        }],
    })
    .unwrap();
    let (out, st) = cmd(&mut e, "PC0", "ping -n 1 10.2.0.10");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    let bad = e.act(lanlab_sim::Action::SetIp {
        port: lanlab_sim::PortRef {
            device: "PC0".into(),
            port: "FastEthernet0".into(),
        },
        ip: lanlab_sim::IpConfig::static_ip([192, 168, 1, 10].into(), [255, 0, 255, 0].into()),
    });
    assert_eq!(
        bad.unwrap_err().to_string(),
        "PC0 FastEthernet0: mask 255.0.255.0 is not contiguous"
    );
}

#[test]
fn pcap_export_is_read_by_tshark_without_malformed_frames() {
    let mut e = two_routers().build();
    cmd(&mut e, "PC0", "tracert 10.2.0.10");
    let mut buf = Vec::new();
    let n = lanlab_sim::pcap::write(e.trace(), e.lab().start_unix, None, &mut buf).unwrap();
    assert_eq!(n, e.trace().hop_count());
    assert_eq!(&buf[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
    let one = lanlab_sim::pcap::write(
        e.trace(),
        e.lab().start_unix,
        Some(e.lab().links[0].id),
        &mut Vec::new(),
    )
    .unwrap();
    assert!(one > 0 && one < n);
    if !std::path::Path::new("/usr/bin/tshark").exists() {
        eprintln!("NOTICE: tshark is not installed; skipping the Wireshark check");
        return;
    }
    let dir = std::env::temp_dir().join(format!("lanlab-pcap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("trace.pcap");
    std::fs::write(&path, &buf).unwrap();
    let out = std::process::Command::new("/usr/bin/tshark")
        .args([
            "-r",
            path.to_str().unwrap(),
            "-T",
            "fields",
            "-e",
            "frame.protocols",
            "-e",
            "_ws.malformed",
            "-e",
            "_ws.expert.severity",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.lines().count(), n);
    assert!(!text.contains("malformed"), "{text}");
    assert!(text.contains("eth:ethertype:arp"), "{text}");
    assert!(text.contains("eth:ethertype:ip:icmp"), "{text}");
    let bad = std::process::Command::new("/usr/bin/tshark")
        .args([
            "-r",
            path.to_str().unwrap(),
            "-Y",
            "_ws.malformed || _ws.expert.severity == error || ip.checksum.status == \"Bad\" || icmp.checksum.status == \"Bad\"",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&bad.stdout).trim(), "");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = TraceKind::Timer {
        device: lanlab_sim::DeviceId(0),
    };
}

#[test]
fn router_and_switch_consoles_show_their_tables() {
    let mut e = two_routers().build();
    cmd(&mut e, "PC0", "ping -n 1 10.2.0.10");
    let (out, st) = cmd(&mut e, "Router0", "show ip route");
    assert_eq!(st, JobStatus::Succeeded);
    // IOS 15 indents subnets under their classful network.
    assert!(
        out.contains("S        10.2.0.0/24 [1/0] via 10.0.0.2"),
        "{out}"
    );
    assert!(
        out.contains("C        192.168.1.0/24 is directly connected, GigabitEthernet0/0"),
        "{out}"
    );
    assert!(out.contains("Gateway of last resort is not set"), "{out}");
    let (out, _) = cmd(&mut e, "Router1", "show ip route");
    assert!(
        out.contains("Gateway of last resort is 10.0.0.1 to network 0.0.0.0"),
        "{out}"
    );
    let (out, _) = cmd(&mut e, "Router0", "show arp");
    assert!(out.contains("Internet  192.168.1.10"), "{out}");
    assert!(
        out.contains("024c.0000.0000  ARPA   GigabitEthernet0/0"),
        "{out}"
    );
    let (out, _) = cmd(&mut e, "Router0", "show ip interface brief");
    assert!(
        out.contains("GigabitEthernet0/1     10.0.0.1        YES manual up"),
        "{out}"
    );
    assert!(out.contains("GigabitEthernet0/2     unassigned"), "{out}");
    let (out, _) = cmd(&mut e, "Switch0", "show mac address-table");
    assert!(
        out.contains("   1    024c.0000.0000    DYNAMIC     Fa0/1"),
        "{out}"
    );
    let (out, st) = cmd(&mut e, "Switch0", "reload");
    assert_eq!(st, JobStatus::Failed);
    // IOS marks the refused word with a caret under the echoed line first.
    assert!(
        out.trim_start().starts_with("^\n% Invalid input detected"),
        "{out}"
    );
    assert_eq!(out.find('^'), Some("Switch0>".len()), "{out}");
}

#[test]
fn seek_keeps_actions_taken_at_the_end() {
    let mut e = two_routers().build();
    cmd(&mut e, "PC0", "ping -n 1 10.2.0.10");
    let n = e.events_delivered();
    let j = e.command("PC0", "arp -a").unwrap();
    assert_eq!(e.session_log().last().unwrap().at_event, n);
    let before = e.job(j).unwrap().output.clone();
    e.seek(2);
    assert_eq!(e.jobs().len(), 1, "the arp -a has not happened yet");
    e.seek(n);
    assert_eq!(e.jobs().len(), 2);
    assert_eq!(e.job(j).unwrap().output, before);
    assert!(before.contains("192.168.1.1"), "{before}");
}
