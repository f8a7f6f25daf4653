//! `lanlab serve` refuses what it cannot do, with a message that says why,
//! and serves every configured service when no port flag is given.

mod bridge_support;

use std::io::Read;
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

use bridge_support::*;

fn serve(test: &str, lab: &str, args: &[&str]) -> Output {
    let dir = temp_dir(test);
    let path = dir.join("lab.json");
    std::fs::write(&path, lab).unwrap();
    let out = run(
        Command::new(env!("CARGO_BIN_EXE_lanlab"))
            .arg("serve")
            .arg(&path)
            .args(args),
        Duration::from_secs(20),
    );
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[test]
fn unknown_device_is_named() {
    let out = serve("nodev", &s1_lab(), &["--device", "Server9", "--dns", "0"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no device named Server9 in this lab (devices: Server0)"),
        "{}",
        out.stderr
    );
}

#[test]
fn service_not_configured_is_refused() {
    let mut lab: serde_json::Value = serde_json::from_str(&s1_lab()).unwrap();
    lab["devices"][0]["services"]
        .as_object_mut()
        .unwrap()
        .remove("dns");
    let out = serve(
        "nodns",
        &lab.to_string(),
        &["--device", "Server0", "--dns", "0"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("Server0 has no DNS service configured"),
        "{}",
        out.stderr
    );
    // A service switched off does not run either.
    lab["devices"][0]["services"]["http"]["enabled"] = false.into();
    let out = serve(
        "httpoff",
        &lab.to_string(),
        &["--device", "Server0", "--http", "0"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("Server0 has no HTTP service configured"),
        "{}",
        out.stderr
    );
    lab["devices"][0]
        .as_object_mut()
        .unwrap()
        .remove("services");
    let out = serve("none", &lab.to_string(), &["--device", "Server0"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("Server0 runs no service"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_arguments_print_usage() {
    let out = serve(
        "usage",
        &s1_lab(),
        &["--device", "Server0", "--dns", "fifty"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--dns fifty"), "{}", out.stderr);
    assert!(
        out.stderr.contains("lanlab serve LAB.json --device NAME"),
        "{}",
        out.stderr
    );
}

#[test]
fn without_port_flags_every_service_runs_on_a_free_port() {
    let served = Served::start_expecting("all", &s1_lab(), "Server0", &[], 6);
    let names: Vec<&str> = served.ports.keys().map(String::as_str).collect();
    assert_eq!(names, ["dhcp", "dns", "http", "imap", "pop3", "smtp"]);
    assert!(served.ports.values().all(|p| *p != 0));
    // The SMTP server greets at once.
    let mut conn = TcpStream::connect(("127.0.0.1", served.port("smtp"))).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut greeting = [0u8; 64];
    let n = conn.read(&mut greeting).unwrap();
    let greeting = String::from_utf8_lossy(&greeting[..n]);
    assert!(greeting.starts_with("220 mail.hasan.com"), "{greeting}");
}

#[test]
fn switched_off_device_serves_nothing() {
    let mut lab: serde_json::Value = serde_json::from_str(&s1_lab()).unwrap();
    lab["devices"][0]["powered"] = false.into();
    let out = serve(
        "off",
        &lab.to_string(),
        &["--device", "Server0", "--dns", "0"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("Server0 is switched off in this lab"),
        "{}",
        out.stderr
    );
}

#[test]
fn mail_settings_name_the_host_and_switch_protocols_off() {
    let mut lab: serde_json::Value = serde_json::from_str(&s1_lab()).unwrap();
    let mail = &mut lab["devices"][0]["services"]["mail"];
    mail["hostname"] = "smtp.hasan.com".into();
    mail["pop3"] = serde_json::json!({ "on": false, "port": 110 });
    let lab = lab.to_string();
    let out = serve("pop3off", &lab, &["--device", "Server0", "--pop3", "0"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("Server0 has no POP3 service configured"),
        "{}",
        out.stderr
    );
    let served = Served::start("hostname", &lab, "Server0", &["--smtp", "0", "--imap", "0"]);
    let mut conn = TcpStream::connect(("127.0.0.1", served.port("smtp"))).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut greeting = [0u8; 64];
    let n = conn.read(&mut greeting).unwrap();
    let greeting = String::from_utf8_lossy(&greeting[..n]);
    assert!(greeting.starts_with("220 smtp.hasan.com"), "{greeting}");
}
