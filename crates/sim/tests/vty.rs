//! Telnet to a router (`line vty 0 4`): the login as Cisco IOS words it,
//! `enable` over telnet, a configuration typed over telnet changing the
//! lab, `exit`, the five-line limit, resets from closed ports, and a
//! capture that Wireshark reads as TELNET.

use std::time::Duration;

use lanlab_sim::testnet::TestNet;
use lanlab_sim::{Engine, JobId, JobStatus, Proto};

/// PC0 (192.168.1.10) — R1 (192.168.1.1).
fn net() -> lanlab_sim::Lab {
    TestNet::new()
        .pc("PC0", "192.168.1.10/24", Some("192.168.1.1"))
        .router("R1", &["192.168.1.1/24"])
        .link("PC0", "R1")
        .into_lab()
}

/// The lab running, R1 set up by console `lines`.
fn lab(lines: &[&str]) -> Engine {
    let mut e = Engine::with_seed(&net(), 1).unwrap();
    for l in lines {
        let j = e.command("R1", l).unwrap();
        assert_ne!(e.job(j).unwrap().status, JobStatus::Failed, "{l}");
    }
    e
}

const VTY: &[&str] = &[
    "en",
    "conf t",
    "line vty 0 4",
    "password cisco",
    "login",
    "end",
];

fn wait(e: &mut Engine) {
    let t = e.now() + Duration::from_millis(500);
    e.run_until(t);
}

/// Telnets from PC0 to `target`, types `lines`, and lets the run settle.
fn session(e: &mut Engine, target: &str, lines: &[&str]) -> (JobId, String, JobStatus) {
    let j = e.command("PC0", &format!("telnet {target}")).unwrap();
    wait(e);
    for l in lines {
        // A closed session takes no more input.
        let _ = e.job_input(j, l);
        wait(e);
    }
    let job = e.job(j).unwrap();
    (j, job.output.clone(), job.status)
}

#[test]
fn no_password_set_closes_at_once() {
    let mut e = lab(&[]);
    let (_, out, st) = session(&mut e, "192.168.1.1", &[]);
    assert!(out.contains("Connected to 192.168.1.1."), "{out}");
    assert!(out.contains("\nPassword required, but none set\n"), "{out}");
    assert!(out.contains("Connection to host lost."), "{out}");
    assert_eq!(st, JobStatus::Succeeded);
    assert_eq!(e.router("R1").unwrap().vty_sessions(), 0);
}

#[test]
fn wrong_password_three_times_hangs_up() {
    let mut e = lab(VTY);
    let (_, out, st) = session(&mut e, "192.168.1.1", &["nope", "cisco1", "Cisco"]);
    assert!(
        out.contains("User Access Verification\n\nPassword: \n"),
        "{out}"
    );
    assert_eq!(out.matches("Password: ").count(), 3, "{out}");
    assert!(out.contains("% Bad passwords\n"), "{out}");
    assert!(out.contains("Connection to host lost."), "{out}");
    // The passwords typed are never shown.
    for typed in ["nope", "cisco1", "Cisco"] {
        assert!(!out.contains(typed), "{typed} shown in\n{out}");
    }
    assert_eq!(st, JobStatus::Succeeded);
}

#[test]
fn right_password_gives_user_exec_and_show_commands() {
    let mut e = lab(VTY);
    let (j, out, st) = session(&mut e, "192.168.1.1", &["cisco", "show ip interface brief"]);
    assert_eq!(st, JobStatus::Running, "{out}");
    assert!(
        out.contains("Password: \nR1>show ip interface brief\n"),
        "{out}"
    );
    assert!(
        out.contains("GigabitEthernet0/0     192.168.1.1     YES manual up"),
        "{out}"
    );
    assert!(out.ends_with("R1>"), "{out}");
    assert!(!out.contains("cisco"), "the password is not echoed:\n{out}");
    assert_eq!(e.router("R1").unwrap().vty_sessions(), 1);
    // `exit` closes the connection.
    e.job_input(j, "exit").unwrap();
    e.run_until_idle(100_000);
    let job = e.job(j).unwrap();
    assert_eq!(job.status, JobStatus::Succeeded);
    assert!(
        job.output
            .ends_with("R1>exit\n\nConnection to host lost.\n"),
        "{}",
        job.output
    );
    assert_eq!(e.router("R1").unwrap().vty_sessions(), 0);
}

#[test]
fn no_login_gives_the_prompt_directly() {
    let mut e = lab(&["en", "conf t", "line vty 0 4", "no login", "end"]);
    let (_, out, _) = session(&mut e, "192.168.1.1", &["quit"]);
    assert!(!out.contains("Password"), "{out}");
    assert!(out.contains("\nR1>quit\n"), "{out}");
    assert!(out.contains("Connection to host lost."), "{out}");
    let run = e.lab().device_by_name("R1").unwrap();
    assert!(
        lanlab_sim::shell::ios::render::running_config(run).contains("line vty 0 4\n no login\n")
    );
}

#[test]
fn enable_over_telnet_needs_a_secret() {
    let mut e = lab(VTY);
    let (_, out, _) = session(&mut e, "192.168.1.1", &["cisco", "enable"]);
    assert!(out.contains("R1>enable\n% No password set\nR1>"), "{out}");

    let mut secret: Vec<&str> = VTY.to_vec();
    secret.extend(["conf t", "enable secret class", "end"]);
    let mut e = lab(&secret);
    let (_, out, _) = session(&mut e, "192.168.1.1", &["cisco", "enable", "class"]);
    assert!(out.contains("R1>enable\nPassword: \nR1#"), "{out}");
    assert!(!out.contains("class"), "{out}");
}

#[test]
fn configuration_over_telnet_changes_the_lab() {
    let mut setup: Vec<&str> = VTY.to_vec();
    setup.extend(["conf t", "enable secret class", "end"]);
    let mut e = lab(&setup);
    assert!(
        e.take_config_changes().is_empty(),
        "console lines are the app's own"
    );
    let (_, _, _) = session(&mut e, "192.168.1.1", &["cisco", "show version"]);
    assert!(e.take_config_changes().is_empty(), "a show changes nothing");
    let (j, out, st) = session(
        &mut e,
        "192.168.1.1",
        &[
            "cisco",
            "en",
            "class",
            "conf t",
            "hostname R9",
            "end",
            "show running-config",
        ],
    );
    assert_eq!(st, JobStatus::Running, "{out}");
    assert!(
        out.contains("R1(config)#hostname R9\nR9(config)#end\nR9#"),
        "{out}"
    );
    assert!(out.contains("\nhostname R9\n"), "{out}");
    let id = e.lab().device_by_name("R9").expect("renamed in the lab").id;
    assert_eq!(e.take_config_changes(), vec![id]);
    assert!(e.take_config_changes().is_empty());
    // The console port sees the new name too.
    assert_eq!(e.console_prompt("R9").as_deref(), Some("R9#"));
    let _ = j;
}

#[test]
fn five_vty_lines_then_refused() {
    let mut e = lab(VTY);
    for _ in 0..5 {
        let (_, out, st) = session(&mut e, "192.168.1.1", &[]);
        assert_eq!(st, JobStatus::Running, "{out}");
    }
    assert_eq!(e.router("R1").unwrap().vty_sessions(), 5);
    let (_, out, st) = session(&mut e, "192.168.1.1", &[]);
    e.run_until_idle(100_000);
    let _ = (out, st);
    let last = e.jobs().last().unwrap();
    assert_eq!(last.status, JobStatus::Failed, "{}", last.output);
    assert!(
        last.output.contains("connection refused"),
        "{}",
        last.output
    );
}

#[test]
fn other_router_ports_answer_a_reset() {
    let mut e = lab(&[]);
    let (_, out, st) = session(&mut e, "192.168.1.1 80", &[]);
    e.run_until_idle(100_000);
    let _ = st;
    let last = e.jobs().last().unwrap();
    assert_eq!(last.status, JobStatus::Failed, "{out}");
    assert!(
        last.output.contains(
            "Could not open connection to the host, on port 80: Connect failed (connection refused)"
        ),
        "{}",
        last.output
    );
    let text: Vec<String> = e.trace().events().map(|ev| e.describe(ev)).collect();
    assert!(
        text.iter()
            .any(|l| l.contains("TCP port 80 is closed: connection refused (RST)")),
        "{text:#?}"
    );
}

#[test]
fn telnet_session_replays_and_decodes_as_telnet_in_tshark() {
    let mut e = lab(VTY);
    let (j, out, _) = session(
        &mut e,
        "192.168.1.1",
        &["cisco", "show ip interface brief", "exit"],
    );
    e.run_until_idle(100_000);
    eprintln!("{out}");
    // Document + seed + session log (console lines, typed lines) = the same run.
    let r = Engine::replay(&net(), 1, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(r.job(j).unwrap().output, e.job(j).unwrap().output);
    let text = |e: &Engine| {
        e.trace()
            .events()
            .map(|ev| e.describe(ev))
            .collect::<Vec<_>>()
    };
    assert_eq!(text(&r), text(&e));
    assert!(e.trace().filter(Proto::Tcp).count() > 6, "{out}");
    if !std::path::Path::new("/usr/bin/tshark").exists() {
        eprintln!("NOTICE: tshark is not installed; skipping the Wireshark check");
        return;
    }
    let mut buf = Vec::new();
    lanlab_sim::pcap::write(e.trace(), e.lab().start_unix, None, &mut buf).unwrap();
    let path = std::env::temp_dir().join(format!("lanlab-vty-{}.pcap", std::process::id()));
    std::fs::write(&path, &buf).unwrap();
    let bad = std::process::Command::new("/usr/bin/tshark")
        .args([
            "-r",
            path.to_str().unwrap(),
            "-Y",
            "_ws.malformed || _ws.expert.severity == error || tcp.checksum.status == \"Bad\" || ip.checksum.status == \"Bad\"",
        ])
        .output()
        .unwrap();
    assert!(
        bad.status.success(),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&bad.stdout).trim(), "");
    let telnet = std::process::Command::new("/usr/bin/tshark")
        .args(["-r", path.to_str().unwrap(), "-Y", "telnet", "-V"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&telnet.stdout);
    eprintln!("{text}");
    assert!(text.contains("Will Echo"), "{text}");
    assert!(text.contains("Do Echo"), "{text}");
    assert!(text.contains("User Access Verification"), "{text}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn login_local_asks_a_user_name_and_its_password() {
    let mut e = lab(&[
        "en",
        "conf t",
        "username admin password s3cret",
        "line vty 0 4",
        "login local",
        "end",
    ]);
    let (_, out, st) = session(
        &mut e,
        "192.168.1.1",
        &["admin", "cisco", "admin", "s3cret"],
    );
    assert_eq!(st, JobStatus::Running, "{out}");
    assert!(
        out.contains("User Access Verification\n\nUsername: admin\nPassword: \n\n% Login invalid\n\nUsername: admin\nPassword: \nR1>"),
        "{out}"
    );
    assert!(!out.contains("s3cret") && !out.contains("cisco"), "{out}");
}

#[test]
fn ping_over_telnet_prints_as_it_runs_then_the_prompt() {
    let mut e = lab(VTY);
    let (j, _, _) = session(&mut e, "192.168.1.1", &["cisco", "ping 192.168.1.10"]);
    // Lines typed while the probes run wait for the prompt.
    e.job_input(j, "show ip interface brief").unwrap();
    let t = e.now() + Duration::from_secs(15);
    e.run_until(t);
    let out = e.job(j).unwrap().output.clone();
    assert!(
        out.contains(
            "R1>ping 192.168.1.10\nType escape sequence to abort.\n\
             Sending 5, 100-byte ICMP Echos to 192.168.1.10, timeout is 2 seconds:\n"
        ),
        "{out}"
    );
    // R1 answered PC0's ARP for the telnet connection: no first loss.
    assert!(
        out.contains("!!!!!\nSuccess rate is 100 percent (5/5)"),
        "{out}"
    );
    assert!(
        out.contains("ms\nR1>show ip interface brief\nInterface"),
        "the next line runs after the prompt:\n{out}"
    );
    assert!(out.ends_with("R1>"), "{out}");
    // Pinging the router itself ends at once and gives the prompt back.
    e.job_input(j, "ping 192.168.1.1").unwrap();
    wait(&mut e);
    let out = e.job(j).unwrap().output.clone();
    assert!(
        out.ends_with("Success rate is 100 percent (5/5), round-trip min/avg/max = 0/0/0 ms\nR1>"),
        "{out}"
    );
}
