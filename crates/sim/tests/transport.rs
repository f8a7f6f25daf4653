//! TCP and UDP mounted on the host stack: a bulk transfer over a lossy
//! cable, refused connections, datagrams to open and closed ports, netstat.

use lanlab_sim::testnet::TestNet;
use lanlab_sim::{Action, Engine, JobStatus, Note, Proto};

fn lossy_pair(loss: f64) -> Engine {
    let mut net = TestNet::new()
        .pc("PC0", "192.168.1.10/24", Some("192.168.1.1"))
        .router("Router0", &["192.168.1.1/24", "10.0.0.1/24"])
        .server("Server0", "10.0.0.2/24", Some("10.0.0.1"))
        .link("PC0", "Router0");
    let lossy = net.link_id("Router0", "Server0");
    let lab = net.link_props(lossy, 1000, loss).into_lab();
    Engine::with_seed(&lab, 7).unwrap()
}

#[test]
fn fifty_kilobytes_cross_a_lossy_link() {
    let mut e = lossy_pair(0.05);
    e.act(Action::Listen {
        device: "Server0".into(),
        port: 9,
    })
    .unwrap();
    let job = e
        .act(Action::Send {
            device: "PC0".into(),
            to: "10.0.0.2:9".into(),
            bytes: 50 * 1024,
        })
        .unwrap()
        .unwrap();
    assert!(e.run_until_idle(2_000_000));
    let j = e.job(job).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{}", j.output);
    assert!(j.output.contains("Sent 51200 bytes"), "{}", j.output);
    let got = e.host("Server0").unwrap().tcp.received(9);
    assert_eq!(got.len(), 50 * 1024);
    assert!(
        got.iter()
            .enumerate()
            .all(|(i, b)| *b == b'0' + (i % 10) as u8)
    );
    let t = e.trace();
    let lost = t
        .events()
        .filter(|ev| e.describe(ev).contains("lost on the cable"))
        .count();
    assert!(lost > 0, "the cable must lose something at 5%");
    let retransmits = t
        .events()
        .flat_map(|ev| t.notes(ev))
        .filter(|n| {
            matches!(
                n,
                Note::Tcp(lanlab_proto::tcp::Note::Retransmit { .. })
                    | Note::Tcp(lanlab_proto::tcp::Note::FastRetransmit { .. })
            )
        })
        .count();
    assert!(retransmits > 0, "losses must be repaired by retransmission");
    assert!(t.filter(Proto::Tcp).count() > 70);
}

#[test]
fn closed_port_refuses_and_netstat_lists_sockets() {
    let mut e = lossy_pair(0.0);
    let job = e
        .act(Action::Send {
            device: "PC0".into(),
            to: "10.0.0.2:25".into(),
            bytes: 10,
        })
        .unwrap()
        .unwrap();
    e.run_until_idle(100_000);
    let j = e.job(job).unwrap();
    assert_eq!(j.status, JobStatus::Failed, "{}", j.output);
    assert!(j.output.contains("refused"), "{}", j.output);
    assert!(e.trace().events().any(|ev| {
        e.describe(ev)
            .contains("TCP port 25 is closed: connection refused (RST)")
    }));
    e.act(Action::Listen {
        device: "Server0".into(),
        port: 80,
    })
    .unwrap();
    let j = e.command("Server0", "netstat").unwrap();
    let out = &e.job(j).unwrap().output;
    assert!(
        out.contains("  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING"),
        "{out}"
    );
    assert!(
        e.act(Action::Send {
            device: "PC0".into(),
            to: "nowhere".into(),
            bytes: 1
        })
        .is_err()
    );
}

fn transfer(seed_lab_loss: f64) -> Engine {
    let mut e = lossy_pair(seed_lab_loss);
    e.act(Action::Listen {
        device: "Server0".into(),
        port: 9,
    })
    .unwrap();
    e.act(Action::Send {
        device: "PC0".into(),
        to: "10.0.0.2:9".into(),
        bytes: 20_000,
    })
    .unwrap();
    e.run_until_idle(2_000_000);
    e
}

#[test]
fn tcp_runs_replay_identically_and_decode_cleanly_in_tshark() {
    let a = transfer(0.1);
    let b = transfer(0.1);
    let lines =
        |e: &Engine| -> Vec<String> { e.trace().events().map(|ev| e.describe(ev)).collect() };
    assert_eq!(lines(&a), lines(&b));
    let mut back = a.clone();
    back.seek(0);
    back.run_until_idle(2_000_000);
    assert_eq!(lines(&back), lines(&a), "replay from the session log");

    if !std::path::Path::new("/usr/bin/tshark").exists() {
        eprintln!("NOTICE: tshark is not installed; skipping the Wireshark check");
        return;
    }
    let mut buf = Vec::new();
    lanlab_sim::pcap::write(a.trace(), a.lab().start_unix, None, &mut buf).unwrap();
    let path = std::env::temp_dir().join(format!("lanlab-tcp-{}.pcap", std::process::id()));
    std::fs::write(&path, &buf).unwrap();
    let out = std::process::Command::new("/usr/bin/tshark")
        .args([
            "-r",
            path.to_str().unwrap(),
            "-Y",
            "_ws.malformed || _ws.expert.severity == error || tcp.checksum.status == \"Bad\" || ip.checksum.status == \"Bad\"",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "");
    let all = std::process::Command::new("/usr/bin/tshark")
        .args(["-r", path.to_str().unwrap(), "-Y", "tcp"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&all.stdout).lines().count() > 20);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn udp_datagrams_are_delivered_or_refused() {
    let mut e = lossy_pair(0.0);
    e.act(Action::BindUdp {
        device: "Server0".into(),
        port: 5000,
    })
    .unwrap();
    e.act(Action::Datagram {
        device: "PC0".into(),
        to: "10.0.0.2:5000".into(),
        text: "hello".into(),
    })
    .unwrap();
    e.act(Action::Datagram {
        device: "PC0".into(),
        to: "10.0.0.2:6000".into(),
        text: "anyone?".into(),
    })
    .unwrap();
    e.run_until_idle(10_000);
    let lines: Vec<String> = e.trace().events().map(|ev| e.describe(ev)).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("UDP datagram queued on port 5000")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("UDP port 6000 is closed: port unreachable sent")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("ICMP port unreachable")),
        "{lines:#?}"
    );
    let j = e.command("Server0", "netstat").unwrap();
    assert!(
        e.job(j).unwrap().output.contains("  UDP    10.0.0.2:5000"),
        "{}",
        e.job(j).unwrap().output
    );
    assert!(e.trace().filter(Proto::Udp).count() >= 4);
}
