//! `ping` and `traceroute` typed at a router's console, run over virtual
//! time as Cisco IOS prints them; routers and hosts answering UDP to a
//! closed port with ICMP port unreachable.

use lanlab_sim::testnet::TestNet;
use lanlab_sim::{Engine, JobStatus};

/// PC0 (192.168.1.0/24) — Switch0 — Router0 — Router1 — Server0 (10.2.0.0/24).
fn two_routers() -> TestNet {
    TestNet::new()
        .pc("PC0", "192.168.1.10/24", Some("192.168.1.1"))
        .switch("Switch0", 8)
        .router("Router0", &["192.168.1.1/24", "10.0.0.1/30"])
        .router("Router1", &["10.0.0.2/30", "10.2.0.1/24"])
        .server("Server0", "10.2.0.10/24", Some("10.2.0.1"))
        .link("PC0", "Switch0")
        .link("Switch0", "Router0")
        .link("Router0", "Router1")
        .link("Router1", "Server0")
        .route("Router0", "10.2.0.0/24", "10.0.0.2")
        .route("Router1", "0.0.0.0/0", "10.0.0.1")
}

fn cmd(e: &mut Engine, dev: &str, line: &str) -> (String, JobStatus) {
    let j = e.command(dev, line).unwrap();
    e.run_until_idle(100_000);
    let j = e.job(j).unwrap();
    (j.output.clone(), j.status)
}

#[test]
fn router_pings_across_two_routers() {
    let mut e = two_routers().build();
    // The first echo is dropped while Router0 asks for Router1's MAC, as on IOS.
    let (out, st) = cmd(&mut e, "Router0", "ping 10.2.0.10");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    assert_eq!(
        out,
        "Type escape sequence to abort.\n\
         Sending 5, 100-byte ICMP Echos to 10.2.0.10, timeout is 2 seconds:\n\
         .!!!!\n\
         Success rate is 80 percent (4/5), round-trip min/avg/max = 4/4/6 ms\n"
    );
    // Now every neighbour is known.
    let (out, st) = cmd(&mut e, "Router0", "ping 10.2.0.10");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    assert!(
        out.ends_with(
            "!!!!!\nSuccess rate is 100 percent (5/5), round-trip min/avg/max = 4/4/4 ms\n"
        ),
        "{out}"
    );
    // Options: repeat, size, source.
    let (out, st) = cmd(
        &mut e,
        "Router0",
        "ping 10.2.0.10 repeat 3 size 200 source g0/0",
    );
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    assert_eq!(
        out,
        "Type escape sequence to abort.\n\
         Sending 3, 200-byte ICMP Echos to 10.2.0.10, timeout is 2 seconds:\n\
         Packet sent with a source address of 192.168.1.1 \n\
         !!!\n\
         Success rate is 100 percent (3/3), round-trip min/avg/max = 4/4/4 ms\n"
    );
    // The router's own address answers at once.
    let (out, _) = cmd(&mut e, "Router0", "ping 10.0.0.1 repeat 2");
    assert!(
        out.contains("!!\nSuccess rate is 100 percent (2/2)"),
        "{out}"
    );
}

#[test]
fn the_ping_job_runs_over_virtual_time() {
    let mut e = two_routers().build();
    let j = e.command("Router0", "ping 10.0.0.2").unwrap();
    assert_eq!(e.job(j).unwrap().status, JobStatus::Running);
    // The first echo waits its 2 seconds (dropped while ARP resolved).
    e.run_until(lanlab_proto::SimTime::from_millis(1_900));
    let job = e.job(j).unwrap();
    assert_eq!(job.status, JobStatus::Running, "{}", job.output);
    assert!(job.output.ends_with("seconds:\n"), "{}", job.output);
    e.run_until(lanlab_proto::SimTime::from_millis(2_100));
    let job = e.job(j).unwrap();
    assert!(
        job.output.ends_with(
            ":\n.!!!!\nSuccess rate is 80 percent (4/5), round-trip min/avg/max = 2/2/2 ms\n"
        ),
        "{}",
        job.output
    );
    assert_eq!(e.job(j).unwrap().status, JobStatus::Succeeded);
}

#[test]
fn router_ping_without_a_route_times_out() {
    let mut e = two_routers().build();
    let (out, st) = cmd(&mut e, "Router0", "ping 172.16.0.1");
    assert_eq!(st, JobStatus::Failed, "{out}");
    assert_eq!(
        out,
        "Type escape sequence to abort.\n\
         Sending 5, 100-byte ICMP Echos to 172.16.0.1, timeout is 2 seconds:\n\
         .....\n\
         Success rate is 0 percent (0/5)\n"
    );
    // Router1 has a default route; Router0 says the network is unreachable.
    let (out, st) = cmd(&mut e, "Router1", "ping 172.16.0.1 repeat 3");
    assert_eq!(st, JobStatus::Failed, "{out}");
    assert!(
        out.contains("\n.NN\nSuccess rate is 0 percent (0/3)\n"),
        "{out}"
    );
}

#[test]
fn router_traceroute_across_two_routers() {
    let mut e = two_routers().build();
    let (out, st) = cmd(&mut e, "Router0", "traceroute 10.2.0.10");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    assert_eq!(
        out,
        "Type escape sequence to abort.\n\
         Tracing the route to 10.2.0.10\n\
         VRF info: (vrf in name/id, vrf out name/id)\n  \
         1  * 10.0.0.2 2 msec 2 msec\n  \
         2 10.2.0.10 6 msec 4 msec 4 msec\n"
    );
    // Again, with every neighbour known.
    let (out, _) = cmd(&mut e, "Router0", "traceroute 10.2.0.10");
    assert!(
        out.ends_with(")\n  1 10.0.0.2 2 msec 2 msec 2 msec\n  2 10.2.0.10 4 msec 4 msec 4 msec\n"),
        "{out}"
    );
    // To a router: it answers the probe with port unreachable.
    let (out, st) = cmd(&mut e, "Router1", "traceroute 192.168.1.1");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    assert!(
        out.ends_with("  1 10.0.0.1 2 msec 2 msec 2 msec\n"),
        "{out}"
    );
    // The PC's tracert still works.
    let (out, st) = cmd(&mut e, "PC0", "tracert 10.2.0.10");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    assert!(
        out.contains("  3     8 ms     8 ms     8 ms  10.2.0.10"),
        "{out}"
    );
}

#[test]
fn traceroute_shows_stars_where_nothing_answers() {
    let mut e = two_routers().build();
    // Server0 is off: Router1 asks for its MAC in vain.
    e.act(lanlab_sim::Action::Power {
        device: "Server0".into(),
        on: false,
    })
    .unwrap();
    let j = e.command("Router0", "traceroute 10.2.0.10").unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(20));
    let job = e.job(j).unwrap();
    assert!(job.output.contains("\n  2  *"), "{}", job.output);
}

#[test]
fn ping_refusals_are_worded_as_ios() {
    let mut e = two_routers().build();
    let (out, st) = cmd(&mut e, "Router0", "ping server");
    assert_eq!(st, JobStatus::Failed);
    assert_eq!(
        out,
        "% Unrecognized host or address, or protocol not running.\n"
    );
    let (out, st) = cmd(&mut e, "Router0", "ping 10.0.0.2 source 1.2.3.4");
    assert_eq!(st, JobStatus::Failed);
    assert!(out.contains("% Invalid source address"), "{out}");
    let (out, st) = cmd(&mut e, "Router0", "ping 10.0.0.2 size 20");
    assert_eq!(st, JobStatus::Failed);
    assert!(
        out.contains("% Invalid input detected at '^' marker."),
        "{out}"
    );
    let (out, _) = cmd(&mut e, "Router0", "ping 10.0.0.2 s 20");
    assert!(out.contains("% Ambiguous command"), "{out}");
}

#[test]
fn hosts_and_routers_answer_udp_to_a_closed_port() {
    use lanlab_sim::{Note, TraceKind};
    let mut e = two_routers().build();
    e.run_until_idle(100_000);
    for to in ["10.2.0.10:9", "10.2.0.1:9"] {
        e.act(lanlab_sim::Action::Datagram {
            device: "PC0".into(),
            to: to.into(),
            text: "hello".into(),
        })
        .unwrap();
        e.run_until_idle(100_000);
    }
    let t = e.trace();
    let unreachable = t
        .events()
        .filter(|ev| matches!(ev.kind(), TraceKind::Frame { .. }))
        .flat_map(|ev| t.notes(ev))
        .filter(|n| matches!(n, Note::PortUnreachable { port: 9 }))
        .count();
    assert_eq!(unreachable, 2);
}
