//! `lanlab serve --smtp --pop3 --imap`: S1's mail, sent with Python's
//! smtplib and read with poplib and imaplib; then curl's smtp://, pop3://
//! and imap:// URLs, and swaks when it is installed; `--submission` with
//! smtplib's AUTH.

mod bridge_support;

use std::process::Command;
use std::time::Duration;

use bridge_support::*;

const MAIL: &[&str] = &["--smtp", "0", "--pop3", "0", "--imap", "0"];

#[test]
fn python_smtplib_poplib_imaplib() {
    let Some(py) = python(&[]) else {
        return skip("python3");
    };
    let served = Served::start("pymail", &s1_lab(), "Server0", MAIL);
    let ports = ["smtp", "pop3", "imap"].map(|s| served.port(s).to_string());
    let out = run(
        Command::new(py).arg(script("mail_client.py")).args(&ports),
        Duration::from_secs(60),
    );
    let stdout = out.assert_ok(&served);
    assert!(stdout.contains("mail: all passed"), "{stdout}");
    let log = served.log();
    assert!(
        log.contains("smtp: delivered to 12_5b_01@hasan.com"),
        "{log}"
    );
}

/// `--submission`: smtplib logs in with AUTH PLAIN and LOGIN on the
/// submission listener; a wrong password gets 535; POP3 and IMAP deliver.
#[test]
fn python_smtplib_submits_with_auth() {
    let Some(py) = python(&[]) else {
        return skip("python3");
    };
    let args = ["--submission", "0", "--pop3", "0", "--imap", "0"];
    let served = Served::start("pysubmit", &s1_lab(), "Server0", &args);
    let ports = ["submission", "pop3", "imap"].map(|s| served.port(s).to_string());
    let out = run(
        Command::new(py)
            .arg(script("submission_client.py"))
            .args(&ports),
        Duration::from_secs(60),
    );
    let stdout = out.assert_ok(&served);
    assert!(stdout.contains("submission: all passed"), "{stdout}");
    let log = served.log();
    assert!(
        log.contains("submission: delivered to 12_5b_01@hasan.com"),
        "{log}"
    );
}

fn curl(served: &Served, args: &[&str]) -> String {
    let out = run(
        Command::new("curl")
            .args(["-s", "-S", "--max-time", "10"])
            .args(args),
        Duration::from_secs(20),
    );
    out.assert_ok(served).replace("\r\n", "\n")
}

#[test]
fn curl_sends_and_reads_mail() {
    if tool("curl").is_none() {
        return skip("curl");
    }
    let served = Served::start("curlmail", &s1_lab(), "Server0", MAIL);
    let dir = temp_dir("curlmail");
    let mail = dir.join("mail.txt");
    std::fs::write(
        &mail,
        "From: akbari@hasan.com\r\nTo: 12_5b_01@hasan.com\r\nSubject: Tes Email\r\n\r\nHalo dari curl.\r\n",
    )
    .unwrap();
    let smtp = format!("smtp://127.0.0.1:{}/pc1", served.port("smtp"));
    curl(
        &served,
        &[
            &smtp,
            "--mail-from",
            "akbari@hasan.com",
            "--mail-rcpt",
            "12_5b_01@hasan.com",
            "--upload-file",
            mail.to_str().unwrap(),
        ],
    );

    // POP3: LIST, then RETR 1.
    let pop3 = format!("pop3://127.0.0.1:{}", served.port("pop3"));
    let list = curl(&served, &["-u", "12_5b_01:kelas5b", &format!("{pop3}/")]);
    assert!(list.starts_with("1 "), "{list}");
    let msg = curl(&served, &["-u", "12_5b_01:kelas5b", &format!("{pop3}/1")]);
    assert!(msg.contains("Subject: Tes Email"), "{msg}");
    assert!(msg.contains("Halo dari curl."), "{msg}");

    // IMAP: the folder list, then the message by UID.
    let imap = format!("imap://127.0.0.1:{}", served.port("imap"));
    let folders = curl(&served, &["-u", "12_5b_01:kelas5b", &format!("{imap}/")]);
    assert!(folders.contains("INBOX"), "{folders}");
    let msg = curl(
        &served,
        &["-u", "12_5b_01:kelas5b", &format!("{imap}/INBOX;UID=1")],
    );
    assert!(msg.contains("Subject: Tes Email"), "{msg}");
    // A wrong password: curl exits with a login error.
    let out = run(
        Command::new("curl").args([
            "-s",
            "--max-time",
            "10",
            "-u",
            "12_5b_01:wrong",
            &format!("{imap}/INBOX;UID=1"),
        ]),
        Duration::from_secs(20),
    );
    assert_ne!(out.code, 0, "{}", out.stdout);
}

#[test]
fn swaks_sends_mail() {
    if tool("swaks").is_none() {
        return skip("swaks");
    }
    let served = Served::start("swaks", &s1_lab(), "Server0", &["--smtp", "0"]);
    let port = served.port("smtp").to_string();
    let out = run(
        Command::new("swaks").args([
            "--server",
            "127.0.0.1",
            "--port",
            &port,
            "--from",
            "akbari@hasan.com",
            "--to",
            "12_5b_01@hasan.com",
            "--header",
            "Subject: Tes Email",
            "--body",
            "Halo dari swaks.",
            "--timeout",
            "10",
        ]),
        Duration::from_secs(30),
    );
    let stdout = out.assert_ok(&served);
    assert!(stdout.contains("<-  250"), "{stdout}");
    assert!(stdout.contains("<-  221"), "{stdout}");
    let log = served.log();
    assert!(
        log.contains("smtp: delivered to 12_5b_01@hasan.com"),
        "{log}"
    );
}

#[test]
fn firewall_blocking_tcp_110_closes_pop3_but_not_smtp() {
    use std::io::Read;
    use std::net::TcpStream;

    let mut lab: serde_json::Value = serde_json::from_str(&s1_lab()).unwrap();
    lab["devices"][0]["services"]["firewall"] = serde_json::json!({
        "enabled": true,
        "rules": [{ "action": "deny", "direction": "in", "protocol": "tcp",
                    "ports": { "first": 110, "last": 110 } }],
    });
    let served = Served::start("firewall", &lab.to_string(), "Server0", MAIL);
    let first_bytes = |service: &str| {
        let mut conn = TcpStream::connect(("127.0.0.1", served.port(service))).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 128];
        let n = conn.read(&mut buf).unwrap_or(0);
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    assert!(first_bytes("smtp").starts_with("220 "));
    assert!(first_bytes("imap").starts_with("* OK"));
    assert_eq!(
        first_bytes("pop3"),
        "",
        "POP3 is blocked: closed without a greeting"
    );
    let log = served.log();
    assert!(
        log.contains("firewall on Server0: rule 1 deny tcp any → port 110"),
        "{log}"
    );
}

#[test]
fn two_pop3_sessions_share_one_store_and_its_lock() {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpStream;

    let served = Served::start("poplock", &s1_lab(), "Server0", &["--pop3", "0"]);
    let connect = || {
        let conn = TcpStream::connect(("127.0.0.1", served.port("pop3"))).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut reader = BufReader::new(conn.try_clone().unwrap());
        let mut greeting = String::new();
        reader.read_line(&mut greeting).unwrap();
        assert!(greeting.starts_with("+OK"), "{greeting}");
        (conn, reader)
    };
    let say = |conn: &mut TcpStream, reader: &mut BufReader<TcpStream>, line: &str| {
        conn.write_all(format!("{line}\r\n").as_bytes()).unwrap();
        let mut reply = String::new();
        reader.read_line(&mut reply).unwrap();
        reply
    };
    let (mut a, mut ra) = connect();
    assert!(say(&mut a, &mut ra, "USER akbari").starts_with("+OK"));
    assert!(say(&mut a, &mut ra, "PASS akbari123").starts_with("+OK"));
    // RFC 1939 §8: the maildrop is locked while the first session holds it.
    let (mut b, mut rb) = connect();
    assert!(say(&mut b, &mut rb, "USER akbari").starts_with("+OK"));
    let refused = say(&mut b, &mut rb, "PASS akbari123");
    assert!(refused.starts_with("-ERR"), "{refused}");
    // Dropping the first connection without QUIT releases the lock.
    drop(ra);
    drop(a);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (mut c, mut rc) = connect();
        assert!(say(&mut c, &mut rc, "USER akbari").starts_with("+OK"));
        let reply = say(&mut c, &mut rc, "PASS akbari123");
        if reply.starts_with("+OK") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{reply}\n{}",
            served.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn imaplib_and_imapclient_use_the_imap_extensions() {
    let Some(py) = python(&["imapclient"]) else {
        return skip("Python with imapclient");
    };
    let served = Served::start(
        "imapclient",
        &s1_lab(),
        "Server0",
        &["--smtp", "0", "--imap", "0"],
    );
    let ports = ["smtp", "imap"].map(|s| served.port(s).to_string());
    let out = run(
        Command::new(py).arg(script("imap_clients.py")).args(&ports),
        Duration::from_secs(60),
    );
    let stdout = out.assert_ok(&served);
    assert!(stdout.contains("imap clients: all passed"), "{stdout}");
}
