//! `shutdown` on a switch's or a router's interface takes its link down:
//! no frames in or out, the link down on both ends, `show` saying so.

use lanlab_sim::testnet::TestNet;
use lanlab_sim::{DropReason, Engine, JobStatus, TraceKind};

/// PC0 and PC1 on Switch0's first two ports; Router0 on its third.
fn lan() -> Engine {
    TestNet::new()
        .pc("PC0", "192.168.1.10/24", Some("192.168.1.1"))
        .pc("PC1", "192.168.1.11/24", Some("192.168.1.1"))
        .switch("Switch0", 8)
        .router("Router0", &["192.168.1.1/24"])
        .link("PC0", "Switch0")
        .link("PC1", "Switch0")
        .link("Router0", "Switch0")
        .build()
}

fn cmd(e: &mut Engine, dev: &str, line: &str) -> (String, JobStatus) {
    let j = e.command(dev, line).unwrap();
    e.run_until_idle(100_000);
    let j = e.job(j).unwrap();
    (j.output.clone(), j.status)
}

fn console(e: &mut Engine, dev: &str, lines: &[&str]) {
    for l in lines {
        let (out, st) = cmd(e, dev, l);
        assert_ne!(st, JobStatus::Failed, "{l}: {out}");
    }
}

#[test]
fn a_shut_switch_port_isolates_its_pc() {
    let mut e = lan();
    let (out, st) = cmd(&mut e, "PC0", "ping -n 1 192.168.1.11");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    let port = e.lab().device_by_name("Switch0").unwrap().ports[0]
        .name
        .clone();
    console(
        &mut e,
        "Switch0",
        &["en", "conf t", &format!("int {port}"), "shutdown", "end"],
    );
    let sw = e.lab().device_by_name("Switch0").unwrap().id;
    let pc0 = e.lab().device_by_name("PC0").unwrap().id;
    assert!(!e.ports_up(sw).unwrap()[0]);
    assert!(!e.ports_up(pc0).unwrap()[0], "down on both ends");
    assert!(e.ports_up(sw).unwrap()[1]);
    let (out, _) = cmd(&mut e, "Switch0", "show ip interface brief");
    let first = out.lines().nth(1).unwrap();
    assert!(first.contains("administratively down down"), "{out}");
    let (out, _) = cmd(&mut e, "Switch0", "show interfaces");
    assert!(
        out.contains(&format!(
            "{port} is administratively down, line protocol is down"
        )),
        "{out}"
    );
    // PC0 reaches nobody; its frames die on the link.
    let before = e.trace().events().count();
    let (out, st) = cmd(&mut e, "PC1", "ping -n 1 192.168.1.10");
    assert_eq!(st, JobStatus::Failed, "{out}");
    let (out, st) = cmd(&mut e, "PC0", "ping -n 1 192.168.1.1");
    assert_eq!(st, JobStatus::Failed, "{out}");
    let link_down = e
        .trace()
        .events()
        .skip(before)
        .filter(|ev| {
            matches!(
                &ev.kind(),
                TraceKind::Dropped {
                    reason: DropReason::LinkDown,
                    ..
                }
            )
        })
        .count();
    assert!(link_down > 0);
    // PC1 still reaches the router; then `no shutdown` brings PC0 back.
    let (out, st) = cmd(&mut e, "PC1", "ping -n 1 192.168.1.1");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
    console(
        &mut e,
        "Switch0",
        &["conf t", &format!("int {port}"), "no shutdown", "end"],
    );
    assert!(e.ports_up(pc0).unwrap()[0]);
    let (out, st) = cmd(&mut e, "PC0", "ping -n 2 192.168.1.11");
    assert_eq!(st, JobStatus::Succeeded, "{out}");
}

#[test]
fn a_shut_router_interface_takes_the_link_down_on_both_ends() {
    let mut e = lan();
    console(
        &mut e,
        "Router0",
        &["en", "conf t", "int g0/0", "shutdown", "end"],
    );
    let (out, _) = cmd(&mut e, "Router0", "show ip interface brief");
    assert!(
        out.contains(
            "GigabitEthernet0/0     192.168.1.1     YES manual administratively down down"
        ),
        "{out}"
    );
    let (out, _) = cmd(&mut e, "Switch0", "show ip interface brief");
    let third = out.lines().nth(3).unwrap();
    assert!(third.ends_with(" down                  down"), "{out}");
    let (out, st) = cmd(&mut e, "PC0", "ping -n 1 192.168.1.1");
    assert_eq!(st, JobStatus::Failed, "{out}");
}
