//! `lanlab serve --dns`: dig and dnspython ask the S1 server's zones (S4's
//! records) over UDP and TCP.

mod bridge_support;

use std::process::Command;
use std::time::Duration;

use bridge_support::*;

fn dig(served: &Served, args: &[&str]) -> String {
    let port = served.port("dns").to_string();
    let out = run(
        Command::new("dig")
            .args(["@127.0.0.1", "-p", &port, "+norec", "+time=3", "+tries=1"])
            .args(args),
        Duration::from_secs(15),
    );
    out.assert_ok(served).to_string()
}

/// The answer section's records, `name ttl class type data` squeezed to single spaces.
fn answers(out: &str) -> Vec<String> {
    let mut rows = Vec::new();
    let mut inside = false;
    for line in out.lines() {
        if line.starts_with(";; ANSWER SECTION:") {
            inside = true;
        } else if inside && (line.is_empty() || line.starts_with(";;")) {
            inside = false;
        } else if inside {
            rows.push(line.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    rows
}

#[test]
fn dig_asks_every_record_type() {
    if tool("dig").is_none() {
        return skip("dig (Debian package bind9-dnsutils)");
    }
    let served = Served::start("dig", &s1_lab(), "Server0", &["--dns", "0"]);
    let cases: &[(&[&str], &str)] = &[
        (&["hasan.com", "A"], "hasan.com. 3600 IN A 192.168.1.1"),
        (
            &["hasan.com", "AAAA"],
            "hasan.com. 3600 IN AAAA 2001:db8::1",
        ),
        (
            &["www.hasan.com", "CNAME"],
            "www.hasan.com. 3600 IN CNAME hasan.com.",
        ),
        (
            &["hasan.com", "MX"],
            "hasan.com. 3600 IN MX 10 mail.hasan.com.",
        ),
        (&["hasan.com", "NS"], "hasan.com. 3600 IN NS ns1.hasan.com."),
        (
            &["-x", "192.168.1.1"],
            "1.1.168.192.in-addr.arpa. 3600 IN PTR hasan.com.",
        ),
        (
            &["hasan.com", "SOA"],
            "hasan.com. 3600 IN SOA ns1.hasan.com. admin.hasan.com. 2024010101 3600 600 86400 300",
        ),
        (
            &["_imap._tcp.hasan.com", "SRV"],
            "_imap._tcp.hasan.com. 3600 IN SRV 0 0 143 mail.hasan.com.",
        ),
        (
            &["hasan.com", "TXT"],
            "hasan.com. 3600 IN TXT \"v=spf1 mx -all\"",
        ),
        (
            &["+tcp", "hasan.com", "A"],
            "hasan.com. 3600 IN A 192.168.1.1",
        ),
    ];
    for (args, want) in cases {
        let out = dig(&served, args);
        assert!(out.contains("status: NOERROR"), "{args:?}\n{out}");
        assert!(
            out.contains("flags: qr aa"),
            "{args:?}: not authoritative\n{out}"
        );
        assert_eq!(answers(&out), [*want], "{args:?}\n{out}");
    }
    // www is a CNAME: asking its A follows the chain inside the zone.
    let out = dig(&served, &["www.hasan.com", "A"]);
    assert_eq!(
        answers(&out),
        [
            "www.hasan.com. 3600 IN CNAME hasan.com.",
            "hasan.com. 3600 IN A 192.168.1.1"
        ],
        "{out}"
    );
    // NXDOMAIN and NODATA, each with the SOA for negative caching (RFC 2308).
    let out = dig(&served, &["nope.hasan.com", "A"]);
    assert!(out.contains("status: NXDOMAIN"), "{out}");
    assert!(out.contains(";; AUTHORITY SECTION:"), "{out}");
    assert!(answers(&out).is_empty(), "{out}");
    let out = dig(&served, &["mail.hasan.com", "AAAA"]);
    assert!(out.contains("status: NOERROR"), "{out}");
    assert!(out.contains("ANSWER: 0,"), "{out}");
    assert!(out.contains(";; AUTHORITY SECTION:"), "{out}");
    // A zone the server does not hold: refused, not answered.
    let out = dig(&served, &["example.org", "A"]);
    assert!(out.contains("status: REFUSED"), "{out}");
}

#[test]
fn dnspython_over_udp_and_tcp() {
    let Some(py) = python(&["dns"]) else {
        return skip("Python with dnspython");
    };
    let served = Served::start("dnspython", &s1_lab(), "Server0", &["--dns", "0"]);
    let port = served.port("dns").to_string();
    let out = run(
        Command::new(py).arg(script("dns_client.py")).arg(&port),
        Duration::from_secs(60),
    );
    let stdout = out.assert_ok(&served);
    assert!(stdout.contains("dnspython: all passed"), "{stdout}");
}

#[test]
fn dig_asks_the_lab_resolver_which_walks_the_lab_hierarchy() {
    if tool("dig").is_none() {
        return skip("dig (Debian package bind9-dnsutils)");
    }
    let served = Served::start("recursive", &s4_lab(), "Resolver", &["--dns", "0"]);
    let port = served.port("dns").to_string();
    let dig = |args: &[&str]| {
        let out = run(
            Command::new("dig")
                .args(["@127.0.0.1", "-p", &port, "+time=5", "+tries=1"])
                .args(args),
            Duration::from_secs(20),
        );
        out.assert_ok(&served).to_string()
    };
    let out = dig(&["hasan.com", "A"]);
    assert!(out.contains("status: NOERROR"), "{out}");
    assert!(
        out.contains("flags: qr rd ra;"),
        "recursive, not authoritative\n{out}"
    );
    assert_eq!(answers(&out), ["hasan.com. 3600 IN A 192.168.1.1"], "{out}");
    let log = served.log();
    for server in ["198.41.0.4", "192.5.6.30", "10.0.3.53"] {
        assert!(log.contains(&format!("asking {server} ")), "{log}");
    }
    // The second time the cache answers.
    let out = dig(&["hasan.com", "A"]);
    assert_eq!(answers(&out).len(), 1, "{out}");
    assert!(
        served.log().contains("cache hit: hasan.com."),
        "{}",
        served.log()
    );
    // Reverse lookups are delegated from the root straight to HasanDNS.
    let out = dig(&["-x", "192.168.1.1"]);
    assert_eq!(
        answers(&out),
        ["1.1.168.192.in-addr.arpa. 3600 IN PTR hasan.com."],
        "{out}"
    );
    let out = dig(&["nope.hasan.com", "A"]);
    assert!(out.contains("status: NXDOMAIN"), "{out}");
}
