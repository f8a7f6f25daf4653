//! `lanlab serve` on the example labs the app ships (`public/labs/`): the
//! same documents students open serve real clients.

mod bridge_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

use bridge_support::*;

fn example(name: &str) -> String {
    let path = format!("{}/../../public/labs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn s1_server_serves_everything_it_is_configured_with() {
    let served =
        Served::start_expecting("ex-s1", &example("s1-one-server.json"), "Server0", &[], 6);
    let names: Vec<&str> = served.ports.keys().map(String::as_str).collect();
    assert_eq!(names, ["dhcp", "dns", "http", "imap", "pop3", "smtp"]);
    let mut conn = TcpStream::connect(("127.0.0.1", served.port("http"))).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    conn.write_all(b"GET / HTTP/1.1\r\nHost: hasan.com\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut page = String::new();
    conn.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
    if tool("dig").is_none() {
        return skip("dig (Debian package bind9-dnsutils)");
    }
    let port = served.port("dns").to_string();
    let out = run(
        Command::new("dig").args(["@127.0.0.1", "-p", &port, "+short", "hasan.com", "A"]),
        Duration::from_secs(15),
    );
    assert_eq!(out.assert_ok(&served), "192.168.1.1\n");
}

#[test]
fn s4_resolver_walks_the_example_hierarchy() {
    if tool("dig").is_none() {
        return skip("dig (Debian package bind9-dnsutils)");
    }
    let served = Served::start(
        "ex-s4",
        &example("s4-dns.json"),
        "Resolver",
        &["--dns", "0"],
    );
    let port = served.port("dns").to_string();
    let out = run(
        Command::new("dig").args(["@127.0.0.1", "-p", &port, "+short", "www.hasan.com", "A"]),
        Duration::from_secs(15),
    );
    assert_eq!(
        out.assert_ok(&served),
        "hasan.com.\n192.168.1.1\n",
        "{}",
        served.log()
    );
}
