//! `lanlab run` end to end: the example lab runs and passes; broken labs
//! and failing actions exit non-zero with a clear message.

use std::process::Command;

fn lab_path(name: &str) -> String {
    format!("{}/../../public/labs/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn lanlab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lanlab"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lanlab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn example_two_subnets_runs_with_trace_and_pcap() {
    let pcap = temp("two.pcap");
    let (code, out, err) = lanlab(&[
        "run",
        &lab_path("two-subnets.json"),
        "--trace",
        "--pcap",
        pcap.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("Reply from 192.168.2.10: bytes=32 time=8ms TTL=127"),
        "{out}"
    );
    assert!(
        out.contains("  2    12 ms     8 ms     8 ms  192.168.2.11"),
        "{out}"
    );
    assert!(
        out.contains("Reply from 192.168.1.1: Destination net unreachable."),
        "{out}"
    );
    // The trace shows ARP on both subnets and the router's decisions.
    assert!(
        out.contains("ARP who-has 192.168.1.1 tell 192.168.1.10"),
        "{out}"
    );
    assert!(
        out.contains("ARP who-has 192.168.2.10 tell 192.168.2.1"),
        "{out}"
    );
    assert!(
        out.contains("router: no route to 10.9.9.9, dropped"),
        "{out}"
    );
    let bytes = std::fs::read(&pcap).unwrap();
    assert!(bytes.len() > 24 + 16 * 50);
    let (code, out, _) = lanlab(&["check", &lab_path("two-subnets.json")]);
    assert_eq!(code, 0);
    assert!(out.contains("7 devices, 6 cables"), "{out}");
}

#[test]
fn invalid_lab_and_failing_action_exit_non_zero() {
    let text = std::fs::read_to_string(lab_path("two-subnets.json")).unwrap();
    let bad = temp("bad.json");
    std::fs::write(&bad, text.replacen("255.255.255.0", "255.0.255.0", 1)).unwrap();
    let (code, _, err) = lanlab(&["run", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("PC0 FastEthernet0: mask 255.0.255.0 is not contiguous"),
        "{err}"
    );

    // The lab expects the ping to 10.9.9.9 to fail; expecting success must fail the run.
    let strict = temp("strict.json");
    std::fs::write(
        &strict,
        text.replace("\"expect\": \"failure\"", "\"expect\": \"success\""),
    )
    .unwrap();
    let (code, _, err) = lanlab(&["run", strict.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("action 5 (PC0> ping -n 2 10.9.9.9) failed"),
        "{err}"
    );

    let (code, _, err) = lanlab(&["run", &lab_path("two-subnets.json"), "--until", "5s"]);
    assert_eq!(code, 1);
    assert!(err.contains("did not run before 5.000000s"), "{err}");
    let (code, _, _) = lanlab(&["run"]);
    assert_eq!(code, 2);
}

#[test]
fn service_labs_run_and_pass() {
    for lab in [
        "s1-one-server.json",
        "s3-dhcp.json",
        "s4-dns.json",
        "s7-firewall.json",
        "s8-web.json",
    ] {
        let (code, out, err) = lanlab(&["run", &lab_path(lab)]);
        assert_eq!(code, 0, "{lab}\n{out}\n{err}");
    }
    let (_, out, _) = lanlab(&["run", &lab_path("s4-dns.json")]);
    assert!(
        out.contains("Name:\thasan.com\nAddress: 192.168.1.1"),
        "{out}"
    );
}
