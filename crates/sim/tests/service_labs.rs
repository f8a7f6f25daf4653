//! The service example labs (S1, S3, S4, S7, S8) run headless: every
//! scripted command does what the lab says it should, and the trace shows
//! the devices' decisions. The JSON files in `public/labs/` are built by
//! `common/mod.rs`; `LANLAB_BLESS=1` rewrites them.

mod common;

use common::*;
use lanlab_sim::{Engine, JobResult, JobStatus};

fn notes(e: &Engine) -> String {
    transcript(e)
}

#[test]
fn lab_files_match_their_builders() {
    for (file, lab) in all() {
        let path = format!("{}/../../public/labs/{file}", env!("CARGO_MANIFEST_DIR"));
        let json = lab.to_json_pretty() + "\n";
        if std::env::var_os("LANLAB_BLESS").is_some() {
            std::fs::write(&path, &json).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == json,
            "{file} is out of date: run with LANLAB_BLESS=1"
        );
        assert_eq!(load(file), lab);
    }
}

fn job<'a>(e: &'a Engine, line_part: &str) -> &'a lanlab_sim::Job {
    e.jobs()
        .iter()
        .find(|j| j.line.contains(line_part))
        .unwrap_or_else(|| panic!("no job {line_part}"))
}

#[test]
fn s1_one_server() {
    let lab = s1();
    let e = run_checked(&lab);
    let t = notes(&e);
    // DHCP: the four steps with the server's decision.
    assert!(t.contains("DHCP server: offer 192.168.1.10"), "{t}");
    assert!(t.contains("DHCP client: took the first offer"), "{t}");
    let ipc = job(&e, "ipconfig /all");
    assert!(
        ipc.output
            .contains("DHCP Enabled. . . . . . . . . . . : Yes"),
        "{}",
        ipc.output
    );
    assert!(
        ipc.output
            .contains("DHCP Server . . . . . . . . . . . : 192.168.1.1"),
        "{}",
        ipc.output
    );
    assert!(
        ipc.output
            .contains("DNS Servers . . . . . . . . . . . : 192.168.1.1"),
        "{}",
        ipc.output
    );
    // The browser shows the page by name, bare name and address.
    let pages: Vec<_> = e
        .jobs()
        .iter()
        .filter_map(|j| match j.result.as_deref() {
            Some(JobResult::Page(p)) => Some(p.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(pages.len(), 3);
    for p in &pages {
        assert_eq!(p.title().as_deref(), Some("Hasan"));
    }
    assert!(
        t.contains("DNS: authoritative answer to A? hasan.com."),
        "{t}"
    );
    assert!(t.contains("web server: GET / → 200"), "{t}");
    assert!(
        job(&e, "ping -n 2 hasan.com")
            .output
            .contains("Pinging hasan.com [192.168.1.1]")
    );
    // Mail: PC1 sends Tes Email, PC0 receives it over POP3; every SMTP and
    // POP3 command and reply is a trace event.
    assert!(job(&e, "send mail").output.contains("Mail sent"));
    assert!(
        job(&e, "receive mail")
            .output
            .contains("Received 1 new message(s)")
    );
    for want in [
        "SMTP C: EHLO PC1",
        "SMTP S: 250",
        "SMTP C: MAIL FROM:<akbari@hasan.com>",
        "SMTP C: RCPT TO:<12_5b_01@hasan.com>",
        "SMTP S: 354",
        "SMTP C: QUIT",
        "POP3 S: +OK",
        "POP3 C: USER 12_5b_01",
        "POP3 C: RETR 1",
        "POP3 C: QUIT",
    ] {
        assert!(t.contains(want), "{want:?} missing");
    }
}

#[test]
fn s1_is_deterministic_and_replays() {
    let lab = s1();
    let a = run_checked(&lab);
    let b = run_checked(&lab);
    assert_eq!(transcript(&a), transcript(&b));
    let r = Engine::replay(&lab, lab.seed, a.session_log(), a.events_delivered()).unwrap();
    assert_eq!(transcript(&r), transcript(&a));
}

#[test]
fn s3_dhcp() {
    let e = run_checked(&s3());
    let t = notes(&e);
    // Both servers offer on LAN1; each client takes the first.
    assert!(t.contains("DHCP server: offer 192.168.1.10"), "{t}");
    assert!(t.contains("DHCP server: offer 192.168.1.100"), "{t}");
    assert!(t.contains("DHCP relay: "), "{t}");
    let lan1: String = ["PC0", "PC1", "PC2", "PC3"]
        .iter()
        .map(|pc| {
            e.jobs()
                .iter()
                .find(|j| {
                    j.line.starts_with("ipconfig") && e.lab().device(j.device).unwrap().name == *pc
                })
                .unwrap()
                .output
                .clone()
        })
        .collect();
    // Three addresses for four clients: one falls back to 169.254.x.y.
    assert_eq!(
        lan1.matches("Autoconfiguration IPv4 Address").count(),
        1,
        "{lan1}"
    );
    let pc4 = e
        .jobs()
        .iter()
        .find(|j| j.line == "ipconfig /all" && e.lab().device(j.device).unwrap().name == "PC4")
        .unwrap();
    assert!(pc4.output.contains(": 10.0.2.10"), "{}", pc4.output);
    assert!(
        pc4.output
            .contains("DHCP Server . . . . . . . . . . . : 192.168.1.1"),
        "{}",
        pc4.output
    );
    let renew = job(&e, "ipconfig /renew");
    assert_eq!(renew.status, JobStatus::Succeeded, "{}", renew.output);
}

#[test]
fn s4_dns_walks_the_hierarchy_then_uses_the_cache() {
    let e = run_checked(&s4());
    let first = job(&e, "nslookup hasan.com");
    assert!(
        first.output.contains("Non-authoritative answer:"),
        "{}",
        first.output
    );
    assert!(
        first
            .output
            .contains("Name:\thasan.com\nAddress: 192.168.1.1"),
        "{}",
        first.output
    );
    let t = notes(&e);
    assert!(t.contains("RootDNS"), "{t}");
    assert!(t.contains("DNS: referral"), "{t}");
    assert!(t.contains("cache hit") || t.contains("from cache"), "{t}");
    let mx = job(&e, "-type=MX");
    assert!(
        mx.output.contains("mail exchanger = 10 mail.hasan.com."),
        "{}",
        mx.output
    );
    let ptr = job(&e, "nslookup 192.168.1.1");
    assert!(ptr.output.contains("name = hasan.com."), "{}", ptr.output);
    let nx = job(&e, "nosuch");
    assert!(nx.output.contains("NXDOMAIN"), "{}", nx.output);
}

#[test]
fn s7_firewall_and_acl_drop_with_the_rule_named() {
    let e = run_checked(&s7());
    let t = notes(&e);
    assert!(t.contains("firewall on Server0: rule 1 deny"), "{t}");
    assert!(t.contains("ACL 101 in on GigabitEthernet0/1"), "{t}");
    let blocked = e
        .jobs()
        .iter()
        .find(|j| j.line.contains("PC1: browser"))
        .unwrap();
    assert!(matches!(
        blocked.result.as_deref(),
        Some(JobResult::LoadError(_))
    ));
    // S7: blocking TCP 110 on the server makes Receive fail with a clear message.
    let receive = e
        .jobs()
        .iter()
        .find(|j| j.line.to_lowercase().contains("receive"))
        .expect("a Receive job");
    assert!(
        receive.output.contains("POP3 server at 192.168.1.1:110"),
        "{}",
        receive.output
    );
}

#[test]
fn s8_web_pages_and_errors() {
    let e = run_checked(&s8());
    let errs: Vec<String> = e
        .jobs()
        .iter()
        .filter_map(|j| match j.result.as_deref() {
            Some(JobResult::LoadError(err)) => Some(err.to_string()),
            _ => None,
        })
        .collect();
    assert!(
        errs.iter().any(|x| x.contains("server hasan.co not found")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|x| x.contains("refused the connection")),
        "{errs:?}"
    );
    assert!(errs.iter().any(|x| x.contains("404")), "{errs:?}");
}

#[test]
#[ignore]
fn dump() {
    let name = std::env::var("LAB").unwrap();
    let lab = all()
        .into_iter()
        .find(|(f, _)| f.starts_with(&name))
        .unwrap()
        .1;
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(20));
    println!("{}", transcript(&e));
}

/// S1 and S4's whole traces and outputs, reviewed like code
/// (`LANLAB_BLESS=1` rewrites them).
#[test]
fn s1_and_s4_match_their_golden_traces() {
    for (name, lab) in [("s1-one-server", s1()), ("s4-dns", s4())] {
        let e = run_checked(&lab);
        let text = transcript(&e);
        assert_golden(name, &text);
    }
}

#[test]
fn a_page_edited_while_running_is_served_at_once() {
    let mut lab = s8();
    lab.actions.clear();
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(1));
    let mut services = lab.device_by_name("Server0").unwrap().services.clone();
    services.http = web(&[("index.html", "<title>Edited</title>new text")]);
    e.act(lanlab_sim::Action::SetServices {
        device: "Server0".into(),
        services: Box::new(services),
    })
    .unwrap();
    let job = e
        .act(lanlab_sim::Action::OpenUrl {
            device: "PC0".into(),
            url: "hasan.com".into(),
        })
        .unwrap()
        .unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(5));
    let j = e.job(job).unwrap();
    match j.result.as_deref() {
        Some(JobResult::Page(p)) => assert_eq!(p.title().as_deref(), Some("Edited")),
        other => panic!("{other:?}\n{}", j.output),
    }
}
