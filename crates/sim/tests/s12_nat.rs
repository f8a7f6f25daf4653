//! The S12 example lab (`public/labs/s12-nat.json`, built by
//! `common::s12`) runs headless: PC0 gets an address from R1, browses the
//! outside server by name through PAT, R1 lists the translations, and the
//! outside server reaches the inside web server on R1's outside address,
//! port 8080.

mod common;

use common::*;
use lanlab_sim::{Engine, JobStatus};

fn output(e: &Engine, dev: &str, line: &str) -> String {
    let id = e.lab().device_by_name(dev).unwrap().id;
    e.jobs()
        .iter()
        .find(|j| j.device == id && j.line == line)
        .unwrap_or_else(|| panic!("no job {dev} {line}"))
        .output
        .clone()
}

#[test]
fn s12_pat_dns_and_port_forwarding() {
    let lab = load("s12-nat.json");
    assert_eq!(lab, s12());
    let e = run_checked(&lab);
    assert!(
        e.jobs().iter().all(|j| j.status == JobStatus::Succeeded),
        "{}",
        transcript(&e)
    );

    let page = output(&e, "PC0", "PC0: browser opens http://www.contoh.id/");
    assert!(page.starts_with("200 http://www.contoh.id/"), "{page}");
    let page = output(
        &e,
        "Server0",
        "Server0: browser opens http://203.0.113.1:8080/",
    );
    assert!(page.starts_with("200 http://203.0.113.1:8080/"), "{page}");

    let show = output(&e, "R1", "show ip nat translations");
    eprintln!("{show}");
    for want in [
        // PC0's web connection and DNS query, PAT on R1's outside address.
        "tcp 203.0.113.1:",
        "198.51.100.10:80",
        "udp 203.0.113.1:",
        "198.51.100.10:53",
        " 192.168.10.15",
        // The port forwarding, used by Server0.
        "tcp 203.0.113.1:8080   192.168.10.100:80",
    ] {
        assert!(show.contains(want), "{want}\n{show}");
    }

    // Document + seed replays the same run.
    let text = transcript(&e);
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);
}
