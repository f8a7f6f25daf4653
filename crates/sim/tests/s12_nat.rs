//! The S12 example lab (`public/labs/s12-nat.json`, built by
//! `common::s12`) runs headless: PC0 gets an address from R1, browses the
//! outside server by name through PAT, R1 lists the translations, and the
//! outside server reaches the inside web server on R1's outside address,
//! port 8080.

mod common;

use common::*;
use lanlab_proto::nat::{NatDirection, NatProtocol};
use lanlab_sim::{Engine, JobStatus, Note};

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

    // The app's live view of R1's table: the same rows, at the time of
    // `show ip nat translations`.
    let mut at = Engine::new(&lab).unwrap();
    at.run_until(lanlab_proto::SimTime::from_millis(12_050));
    let rows = at.nat_rows("R1").expect("NAT runs on R1");
    let fwd = rows
        .iter()
        .find(|r| r.inside_global == "203.0.113.1:8080")
        .expect("the port forwarding");
    assert_eq!(
        (
            fwd.protocol.as_str(),
            fwd.inside_local.as_str(),
            fwd.is_static,
            fwd.left_s
        ),
        ("tcp", "192.168.10.100:80", true, None)
    );
    assert!(
        rows.iter().any(|r| r.outside == "198.51.100.10:80"
            && !r.is_static
            && r.left_s.is_some_and(|s| s > 0)),
        "{rows:?}"
    );
    assert_eq!(e.nat_rows("PC0"), None);
    assert_eq!(e.nat_rows("ISP"), None);

    // The inspector's before/after view of translated packets, from either hop.
    let tr = e.trace();
    let hop = |dir: NatDirection, port: Option<u16>| {
        tr.events()
            .position(|ev| {
                tr.notes(ev).iter().any(|n| match n {
                    Note::Nat(o) => o.translation().is_some_and(|t| {
                        t.direction == dir
                            && t.protocol == Some(NatProtocol::Tcp)
                            && port.is_none_or(|p| t.inside_global.port == p)
                    }),
                    _ => false,
                })
            })
            .expect("a translated TCP packet")
    };
    let i = hop(NatDirection::InsideToOutside, None);
    let p = e.nat_pair(i).expect("a NAT pair");
    assert_eq!(
        (p.router.as_str(), p.outbound, p.before_hop),
        ("R1", true, i)
    );
    assert!(p.before_src.starts_with("192.168.10."), "{p:?}");
    assert!(p.after_src.starts_with("203.0.113.1:"), "{p:?}");
    assert_eq!(p.before_dst, "198.51.100.10:80");
    assert_eq!(p.after_dst, p.before_dst);
    let after = p.after_hop.expect("the hop after NAT");
    assert!(after > i);
    assert_eq!(e.nat_pair(after), Some(p));
    // Port forwarding: the destination is translated on the way in.
    let i = hop(NatDirection::OutsideToInside, Some(8080));
    let p = e.nat_pair(i).expect("a NAT pair");
    assert!(!p.outbound);
    assert_eq!(
        (p.before_dst.as_str(), p.after_dst.as_str()),
        ("203.0.113.1:8080", "192.168.10.100:80")
    );
    assert!(p.after_hop.is_some());
    // A hop no NAT touched has no pair.
    let plain = tr
        .events()
        .position(|ev| {
            tr.notes(ev).iter().all(|n| !matches!(n, Note::Nat(_))) && ev.bytes().is_some()
        })
        .unwrap();
    assert_eq!(e.nat_pair(plain), None);

    // Document + seed replays the same run.
    let text = transcript(&e);
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);
}
