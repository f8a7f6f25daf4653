//! NAT on a router, configured at its console: PAT lets two PCs in
//! 192.168.1.0/24 ping and browse a server behind an "ISP" router that has
//! no route back to the private range; a static port forwarding lets the
//! outside reach an inside web server; `clear ip nat translation *` empties
//! the table; `debug ip nat` prints a line per translated packet.

mod common;

use common::*;
use lanlab_sim::action::Expect;
use lanlab_sim::{DeviceKind, Engine, JobStatus, Lab};

const R1_NAT: &[&str] = &[
    "enable",
    "conf t",
    "int g0/0",
    "ip address 192.168.1.1 255.255.255.0",
    "ip nat inside",
    "int g0/1",
    "ip address 203.0.113.1 255.255.255.252",
    "ip nat out",
    "exit",
    "ip route 0.0.0.0 0.0.0.0 203.0.113.2",
    "access-list 1 permit 192.168.1.0 0.0.0.255",
    "ip nat inside source list 1 interface g0/1 overload",
    "ip nat inside source static tcp 192.168.1.20 80 203.0.113.1 8080",
    "end",
];

/// PC1, PC2 and an inside web server behind R1 (PAT on g0/1); ISP with a
/// web server and an outside PC, no route to 192.168.1.0/24.
fn lab() -> Lab {
    let mut b = B::new("NAT");
    b.dev(DeviceKind::Router, "R1", 300.0, 150.0)
        .dev(DeviceKind::Router, "ISP", 600.0, 150.0)
        .dev(DeviceKind::Switch, "SW1", 300.0, 300.0)
        .dev(DeviceKind::Switch, "SW2", 600.0, 300.0)
        .dev(DeviceKind::Pc, "PC1", 200.0, 450.0)
        .dev(DeviceKind::Pc, "PC2", 300.0, 450.0)
        .dev(DeviceKind::Server, "WebIn", 400.0, 450.0)
        .dev(DeviceKind::Server, "Web", 550.0, 450.0)
        .dev(DeviceKind::Pc, "Out1", 650.0, 450.0)
        .ip("PC1", 0, "192.168.1.10/24", Some("192.168.1.1"), &[])
        .ip("PC2", 0, "192.168.1.11/24", Some("192.168.1.1"), &[])
        .ip("WebIn", 0, "192.168.1.20/24", Some("192.168.1.1"), &[])
        .ip("ISP", 1, "203.0.113.2/30", None, &[])
        .ip("ISP", 0, "198.51.100.1/24", None, &[])
        .ip("Web", 0, "198.51.100.10/24", Some("198.51.100.1"), &[])
        .ip("Out1", 0, "198.51.100.20/24", Some("198.51.100.1"), &[])
        .link("R1", 0, "SW1", 0)
        .link("PC1", 0, "SW1", 1)
        .link("PC2", 0, "SW1", 2)
        .link("WebIn", 0, "SW1", 3)
        .link("R1", 1, "ISP", 1)
        .link("ISP", 0, "SW2", 0)
        .link("Web", 0, "SW2", 1)
        .link("Out1", 0, "SW2", 2)
        .svc("Web", |s| {
            s.http = web(&[("index.html", "<p>outside</p>\n")])
        })
        .svc("WebIn", |s| {
            s.http = web(&[("index.html", "<p>inside</p>\n")])
        });
    b.typed(100, 100, "R1", R1_NAT);
    b.cmd(3_000, "PC1", "ping -n 2 198.51.100.10", Expect::Success)
        .cmd(3_000, "PC2", "ping -n 2 198.51.100.10", Expect::Success)
        .url(6_000, "PC1", "http://198.51.100.10/", Expect::Success)
        .url(6_000, "PC2", "http://198.51.100.10/", Expect::Success)
        // The ISP's Time Exceeded quotes the translated packet: NAT rewrites it back.
        .cmd(7_000, "PC1", "tracert 198.51.100.10", Expect::Success)
        .cmd(9_000, "R1", "debug ip nat", Expect::Success)
        .url(9_500, "Out1", "http://203.0.113.1:8080/", Expect::Success)
        // The router's own outside address still answers (no NAT entry: delivered locally).
        .cmd(10_000, "Out1", "ping -n 1 203.0.113.1", Expect::Success)
        .cmd(12_000, "R1", "show ip nat translations", Expect::Success)
        .cmd(12_100, "R1", "undebug all", Expect::Success)
        .cmd(12_200, "R1", "show ip nat statistics", Expect::Success)
        .cmd(12_300, "R1", "clear ip nat translation *", Expect::Success)
        .cmd(12_400, "R1", "show ip nat translations", Expect::Success)
        // Without NAT the ISP cannot answer 192.168.1.10.
        .cmd(13_000, "R1", "conf t", Expect::Success)
        .cmd(13_100, "R1", "int g0/1", Expect::Success)
        .cmd(13_200, "R1", "no ip nat outside", Expect::Success)
        .cmd(13_300, "R1", "end", Expect::Success)
        .cmd(14_000, "PC1", "ping -n 1 198.51.100.10", Expect::Failure);
    b.build()
}

#[test]
fn pat_port_forwarding_show_and_clear() {
    let lab = lab();
    let e = run_checked(&lab);
    let failed: Vec<String> = e
        .jobs()
        .iter()
        .filter(|j| j.status == JobStatus::Failed)
        .map(|j| format!("{}: {}", j.line, j.output))
        .collect();
    assert_eq!(failed.len(), 1, "{failed:#?}");

    let page = output_nth(&e, "PC1", "PC1: browser opens http://198.51.100.10/", 0);
    assert!(page.starts_with("200 http://198.51.100.10/"), "{page}");
    let page = output_nth(
        &e,
        "Out1",
        "Out1: browser opens http://203.0.113.1:8080/",
        0,
    );
    assert!(page.starts_with("200 http://203.0.113.1:8080/"), "{page}");

    let show = output_nth(&e, "R1", "show ip nat translations", 0);
    eprintln!("{show}");
    // `debug ip nat` lines printed since the last console line come first.
    let (debug, show) = show.split_at(show.find("Pro Inside global").expect("header"));
    assert!(
        debug.contains("NAT: s=198.51.100.20, d=203.0.113.1->192.168.1.20"),
        "{debug}"
    );
    assert!(
        debug.contains("NAT*: s=192.168.1.20->203.0.113.1, d=198.51.100.20"),
        "{debug}"
    );
    for want in [
        "icmp 203.0.113.1:",
        " 192.168.1.10:",
        " 192.168.1.11:",
        "tcp 203.0.113.1:8080   192.168.1.20:80    ---",
        "198.51.100.10:80",
        "198.51.100.20:",
    ] {
        assert!(show.contains(want), "{want}\n{show}");
    }
    // The statistics count the translations and name the interfaces.
    let stats = output_nth(&e, "R1", "show ip nat statistics", 0);
    eprintln!("{stats}");
    assert!(stats.contains("GigabitEthernet0/1"), "{stats}");
    assert!(stats.contains("GigabitEthernet0/0"), "{stats}");
    assert_eq!(
        output_nth(&e, "R1", "undebug all", 0),
        "All possible debugging has been turned off\n"
    );
    // Cleared: only the static port forwarding stays.
    let after = output_nth(&e, "R1", "show ip nat translations", 1);
    assert_eq!(
        after.lines().filter(|l| !l.trim().is_empty()).count(),
        2,
        "{after}"
    );
    assert!(after.contains("192.168.1.20:80"), "{after}");
    // The live view: the static entry (NAT on g0/1 was turned off later, the table stays).
    let live = e.nat_entries("R1");
    assert!(live.iter().any(|x| x.is_static()), "{live:?}");
    assert!(e.nat_entries("ISP").is_empty());

    let trace = output_nth(&e, "PC1", "tracert 198.51.100.10", 0);
    assert!(trace.contains("203.0.113.2"), "{trace}");
    assert!(trace.contains("198.51.100.10"), "{trace}");
    assert!(trace.contains("Trace complete"), "{trace}");

    // The trace names the mapping.
    let text = transcript(&e);
    assert!(
        text.contains("NAT: inside local 192.168.1.10:") && text.contains("(PAT on interface)"),
        "trace names the PAT mapping"
    );
    assert!(text.contains("(static port forwarding)"));

    // The running configuration shows NAT in IOS's places and reads back.
    let r1 = e.lab().device_by_name("R1").unwrap();
    let run = lanlab_sim::shell::ios::render::running_config(r1);
    assert!(
        run.contains(" ip address 192.168.1.1 255.255.255.0\n ip nat inside\n"),
        "{run}"
    );
    assert!(run.contains(
        "ip nat inside source list 1 interface GigabitEthernet0/1 overload\nip nat inside source static tcp 192.168.1.20 80 203.0.113.1 8080\nip classless\n"
    ), "{run}");

    // Document + seed replays the same run.
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);

    // Every captured frame decodes cleanly in Wireshark.
    if !std::path::Path::new("/usr/bin/tshark").exists() {
        eprintln!("NOTICE: tshark is not installed; skipping the Wireshark check");
        return;
    }
    let mut buf = Vec::new();
    lanlab_sim::pcap::write(e.trace(), e.lab().start_unix, None, &mut buf).unwrap();
    let path = std::env::temp_dir().join(format!("lanlab-nat-{}.pcap", std::process::id()));
    std::fs::write(&path, &buf).unwrap();
    let bad = std::process::Command::new("/usr/bin/tshark")
        .args([
            "-r",
            path.to_str().unwrap(),
            "-Y",
            "_ws.malformed || _ws.expert.severity == error || tcp.checksum.status == \"Bad\" || ip.checksum.status == \"Bad\" || icmp.checksum.status == \"Bad\" || udp.checksum.status == \"Bad\"",
        ])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        bad.status.success(),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&bad.stdout).trim(), "");
}
