//! What a blocked packet tells its sender, and how fast the desktop apps
//! give up: a host firewall's *reject* answers TCP with a RST and the rest
//! with ICMP port unreachable (a *deny* stays silent); a router's access
//! list answers ICMP administratively prohibited; a router without a route
//! answers net unreachable. A connection attempt in SYN-SENT aborts on any
//! of them (RFC 1122 §4.2.3.9, as Linux does), a DNS lookup moves on at
//! once, so the browser, the mail client, telnet, nslookup and ping fail
//! in milliseconds with the right message instead of a timeout.

mod common;

use common::*;
use lanlab_proto::SimTime;
use lanlab_proto::firewall::{
    Action as Verdict, Direction, HostFirewallConfig, HostRule, PortRange, RuleProtocol,
};
use lanlab_proto::http::LoadError;
use lanlab_sim::action::{Action, Expect};
use lanlab_sim::mailclient::MailFailure;
use lanlab_sim::services::app::TcpEnd;
use lanlab_sim::{DeviceKind, Engine, Job, JobResult, JobStatus, Lab};

const R1: &[&str] = &[
    "enable",
    "conf t",
    "access-list 101 deny tcp any host 192.168.1.1 eq 8080",
    "access-list 101 permit ip any any",
    "int g0/0",
    "ip address 192.168.1.254 255.255.255.0",
    "int g0/1",
    "ip address 192.168.2.1 255.255.255.0",
    "ip access-group 101 in",
    "end",
];

fn rule(
    action: Verdict,
    direction: Direction,
    protocol: RuleProtocol,
    port: Option<u16>,
) -> HostRule {
    HostRule {
        action,
        direction,
        protocol,
        remote: None,
        ports: port.map(PortRange::single),
    }
}

/// Server0 (web, DNS, mail) rejects web, DNS, POP3, telnet and ping and
/// silently drops TCP 81; PC0 rejects its own outgoing TCP 25; PC1 sits
/// behind R1, whose access list denies TCP 8080 to Server0.
fn lab() -> Lab {
    let mut b = B::new("Reject");
    b.dev(DeviceKind::Server, "Server0", 300.0, 100.0)
        .dev(DeviceKind::Switch, "SW1", 300.0, 250.0)
        .dev(DeviceKind::Pc, "PC0", 200.0, 400.0)
        .dev(DeviceKind::Router, "R1", 500.0, 250.0)
        .dev(DeviceKind::Pc, "PC1", 600.0, 400.0)
        .ip("Server0", 0, "192.168.1.1/24", Some("192.168.1.254"), &[])
        .ip(
            "PC0",
            0,
            "192.168.1.10/24",
            Some("192.168.1.254"),
            &["192.168.1.1"],
        )
        .ip("PC1", 0, "192.168.2.10/24", Some("192.168.2.1"), &[])
        .link("Server0", 0, "SW1", 0)
        .link("PC0", 0, "SW1", 1)
        .link("R1", 0, "SW1", 2)
        .link("R1", 1, "PC1", 0)
        .svc("Server0", |s| {
            s.http = web(&[("index.html", HOME)]);
            s.dns = dns(vec![zone("hasan.com", HASAN_ZONE_SMALL)], None);
            s.firewall = Some(HostFirewallConfig {
                enabled: true,
                rules: vec![
                    rule(Verdict::Reject, Direction::In, RuleProtocol::Tcp, Some(80)),
                    rule(Verdict::Reject, Direction::In, RuleProtocol::Udp, Some(53)),
                    rule(Verdict::Reject, Direction::In, RuleProtocol::Tcp, Some(110)),
                    rule(Verdict::Reject, Direction::In, RuleProtocol::Tcp, Some(23)),
                    rule(Verdict::Reject, Direction::In, RuleProtocol::Icmp, None),
                    rule(Verdict::Deny, Direction::In, RuleProtocol::Tcp, Some(81)),
                ],
                ..Default::default()
            });
        })
        .svc("PC0", |s| {
            s.mail_client = Some(mail_account(
                "Akbari",
                "akbari@hasan.com",
                "akbari",
                "akbari123",
            ));
            s.firewall = Some(HostFirewallConfig {
                enabled: true,
                rules: vec![rule(
                    Verdict::Reject,
                    Direction::Out,
                    RuleProtocol::Tcp,
                    Some(25),
                )],
                ..Default::default()
            });
        });
    b.typed(100, 100, "R1", R1);
    b.url(2_000, "PC0", "http://192.168.1.1", Expect::Failure)
        .cmd(3_000, "PC0", "nslookup hasan.com", Expect::Any)
        .cmd(4_000, "PC0", "ping -n 1 192.168.1.1", Expect::Failure)
        .cmd(5_000, "PC0", "telnet 192.168.1.1", Expect::Failure)
        .act(
            6_000,
            Action::ReceiveMail {
                device: "PC0".into(),
            },
            Expect::Failure,
        )
        .act(
            7_000,
            Action::Send {
                device: "PC0".into(),
                to: "192.168.1.1:25".into(),
                bytes: 20,
            },
            Expect::Failure,
        )
        .url(8_000, "PC1", "http://192.168.1.1:8080", Expect::Failure)
        .url(9_000, "PC1", "http://10.9.9.9", Expect::Failure)
        .cmd(10_000, "PC1", "telnet 192.168.1.1 8080", Expect::Failure)
        // Denied, not rejected: the browser waits for its timeout.
        .url(12_000, "PC0", "http://192.168.1.1:81", Expect::Failure);
    b.build()
}

/// The job on `dev` whose line starts with `starts` (a command) or ends
/// with it (a URL).
fn job<'a>(e: &'a Engine, dev: &str, starts: &str) -> &'a Job {
    let id = e.lab().device_by_name(dev).unwrap().id;
    e.jobs()
        .iter()
        .find(|j| j.device == id && (j.line.starts_with(starts) || j.line.ends_with(starts)))
        .unwrap_or_else(|| panic!("no job {dev} {starts}"))
}

/// How long the job ran.
fn took(j: &Job) -> std::time::Duration {
    j.finished.expect("finished") - j.started
}

fn fast(j: &Job) {
    assert!(
        took(j) < std::time::Duration::from_millis(100),
        "{} took {:?}:\n{}",
        j.line,
        took(j),
        j.output
    );
}

fn load_error(j: &Job) -> &LoadError {
    match j.result.as_deref() {
        Some(JobResult::LoadError(e)) => e,
        other => panic!("{}: {other:?}\n{}", j.line, j.output),
    }
}

#[test]
fn rejects_and_unreachables_make_every_app_fail_fast() {
    let lab = lab();
    let e = run_checked(&lab);

    // Web: the server's reject answers the SYN with a RST.
    let j = job(&e, "PC0", "http://192.168.1.1");
    fast(j);
    assert_eq!(
        load_error(j),
        &LoadError::ConnectionRefused {
            host: "192.168.1.1".into(),
            port: 80
        }
    );

    // DNS: ICMP port unreachable, both tries at once.
    let j = job(&e, "PC0", "nslookup");
    fast(j);
    assert!(
        j.output.contains("no servers could be reached"),
        "{}",
        j.output
    );

    // Ping: rejected echo requests come back as port unreachable.
    let j = job(&e, "PC0", "ping");
    fast(j);
    assert!(
        j.output
            .contains("Reply from 192.168.1.1: Destination port unreachable."),
        "{}",
        j.output
    );

    // Telnet: refused.
    let j = job(&e, "PC0", "telnet");
    fast(j);
    assert!(j.output.contains("connection refused"), "{}", j.output);

    // Mail: POP3 refused, a typed failure.
    let id = e.lab().device_by_name("PC0").unwrap().id;
    let j = e
        .jobs()
        .iter()
        .find(|j| j.device == id && matches!(j.result.as_deref(), Some(JobResult::MailFailed(_))))
        .expect("a failed mail job");
    fast(j);
    assert!(
        matches!(
            j.result.as_deref(),
            Some(JobResult::MailFailed(MailFailure::Unreachable {
                end: TcpEnd::Refused,
                ..
            }))
        ),
        "{:?}",
        j.result
    );

    // PC0's own outbound reject: refused inside the host, nothing on the wire.
    let j = e
        .jobs()
        .iter()
        .find(|j| j.device == id && j.started == SimTime::from_millis(7_000))
        .expect("the send job");
    fast(j);
    assert_eq!(j.status, JobStatus::Failed);
    assert!(j.output.contains("refused"), "{}", j.output);

    // R1's access list: administratively prohibited, to the browser and telnet.
    let j = job(&e, "PC1", "http://192.168.1.1:8080");
    fast(j);
    assert_eq!(
        load_error(j),
        &LoadError::Prohibited {
            host: "192.168.1.1".into(),
            port: 8080
        }
    );
    let j = job(&e, "PC1", "telnet");
    fast(j);
    assert!(
        j.output
            .contains("Connect failed (administratively prohibited)"),
        "{}",
        j.output
    );

    // R1 has no route to 10.9.9.9: net unreachable.
    let j = job(&e, "PC1", "http://10.9.9.9");
    fast(j);
    assert_eq!(
        load_error(j),
        &LoadError::Unreachable {
            host: "10.9.9.9".into()
        }
    );

    // A deny stays silent: the browser times out.
    let j = job(&e, "PC0", "http://192.168.1.1:81");
    assert!(
        took(j) >= std::time::Duration::from_secs(1),
        "{:?}",
        took(j)
    );
    assert!(matches!(load_error(j), LoadError::TimedOut { .. }));

    // The same document and seed replay the same run.
    let text = transcript(&e);
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);

    tshark_clean(&e);
}

/// The capture decodes in tshark with no malformed frame and no bad
/// checksum; the RSTs and ICMP errors are there.
fn tshark_clean(e: &Engine) {
    if !std::path::Path::new("/usr/bin/tshark").exists() {
        eprintln!("NOTICE: tshark is not installed; skipping the Wireshark check");
        return;
    }
    let mut buf = Vec::new();
    lanlab_sim::pcap::write(e.trace(), e.lab().start_unix, None, &mut buf).unwrap();
    let dir = std::env::temp_dir().join(format!("lanlab-reject-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("trace.pcap");
    std::fs::write(&path, &buf).unwrap();
    let count = |filter: &str| {
        let out = std::process::Command::new("/usr/bin/tshark")
            .args([
                "-r",
                path.to_str().unwrap(),
                "-o",
                "tcp.check_checksum:TRUE",
                "-o",
                "udp.check_checksum:TRUE",
                "-Y",
                filter,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    assert_eq!(
        count(
            "_ws.malformed || _ws.expert.severity == error || ip.checksum.status == \"Bad\" \
             || icmp.checksum.status == \"Bad\" || tcp.checksum.status == \"Bad\" \
             || udp.checksum.status == \"Bad\""
        ),
        0
    );
    assert!(count("tcp.flags.reset == 1 && ip.src == 192.168.1.1") >= 3);
    assert!(count("icmp.type == 3 && icmp.code == 3 && ip.src == 192.168.1.1") >= 3);
    assert!(count("icmp.type == 3 && icmp.code == 13") >= 2);
    assert!(count("icmp.type == 3 && icmp.code == 0") >= 1);
    let _ = std::fs::remove_dir_all(&dir);
}
