//! The S13 example lab (`public/labs/s13-rip.json`, built by
//! `common::s13`) runs headless: three routers in a line configured at
//! their consoles with RIPv2 learn each other's LANs, PC1 pings PC3 across
//! them, `show ip route` has R lines with [120/hops], and `debug ip rip`
//! shows the updates; the capture decodes in Wireshark as RIP.

mod common;

use common::*;
use lanlab_sim::{Engine, JobStatus};

#[test]
fn s13_rip_three_routers_in_a_line() {
    let lab = load("s13-rip.json");
    assert_eq!(lab, s13());
    let e = run_checked(&lab);
    assert!(
        e.jobs().iter().all(|j| j.status == JobStatus::Succeeded),
        "{}",
        transcript(&e)
    );
    let route = output(&e, "R1", "show ip route");
    for want in [
        "Codes: L - local, C - connected, S - static, R - RIP",
        "Gateway of last resort is not set",
        "      10.0.0.0/8 is variably subnetted, 3 subnets, 2 masks",
        "C        10.0.12.0/24 is directly connected, GigabitEthernet0/1",
        "L        10.0.12.1/32 is directly connected, GigabitEthernet0/1",
        "R        10.0.23.0/24 [120/1] via 10.0.12.2, ",
        "R     192.168.2.0/24 [120/1] via 10.0.12.2, ",
        "R     192.168.3.0/24 [120/2] via 10.0.12.2, ",
    ] {
        assert!(route.contains(want), "{want}\n{route}");
    }
    assert!(route.contains(", GigabitEthernet0/1\n"), "{route}");
    let db = output(&e, "R2", "show ip rip database");
    for want in [
        "192.168.1.0/24\n    [1] via 10.0.12.1, ",
        "192.168.3.0/24\n    [1] via 10.0.23.3, ",
        "10.0.12.0/24    directly connected, GigabitEthernet0/1",
    ] {
        assert!(db.contains(want), "{want}\n{db}");
    }
    let protocols = output(&e, "R1", "show ip protocols");
    for want in [
        "Routing Protocol is \"rip\"",
        "Automatic network summarization is not in effect",
        "    10.0.0.0\n    192.168.1.0\n",
        "  Passive Interface(s):\n    GigabitEthernet0/0\n",
        "    10.0.12.2       120",
    ] {
        assert!(protocols.contains(want), "{want}\n{protocols}");
    }
    // `debug ip rip` lines come with the console's next answer.
    let debug = output(&e, "R2", "undebug all");
    for want in [
        "RIP: sending v2 update to 224.0.0.9 via GigabitEthernet0/1 (10.0.12.2)",
        "RIP: build update entries",
        "\t192.168.1.0/24 via 0.0.0.0, metric 16, tag 0",
        "\t192.168.3.0/24 via 0.0.0.0, metric 2, tag 0",
        "RIP: received v2 update from 10.0.23.3 on GigabitEthernet0/2",
        "     192.168.3.0/24 via 0.0.0.0 in 1 hops",
    ] {
        assert!(debug.contains(want), "{want}\n{debug}");
    }
    let tr = output(&e, "PC3", "tracert 192.168.1.10");
    assert!(tr.contains("10.0.23.2") && tr.contains("10.0.12.1"), "{tr}");
    // The trace tells why, naming routers by hostname: R1 learned R3's LAN
    // from R2's update.
    let text = transcript(&e);
    assert!(
        text.contains(
            "R1 adds 192.168.3.0/24 via 10.0.12.2, metric 2: learned from R2's RIP update"
        ),
        "{text}"
    );
    assert!(
        text.contains("RIP answers the request of R2 (10.0.12.2) with the whole table"),
        "{text}"
    );
    // Document + seed replays the same run.
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);
}
