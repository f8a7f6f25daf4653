//! The S10 example lab (`public/labs/s10-vlan.json`, built by
//! `common::s10`) runs headless: PCs in VLANs 10 and 20 on two switches
//! joined by a trunk get addresses from one DHCP server in VLAN 10 (VLAN
//! 20's through R1's helper on g0/0.20), ping inside their VLAN across the
//! trunk (tagged) and between VLANs through R1; nothing leaks between
//! VLANs; Wireshark shows the 802.1Q tags.

mod common;

use common::*;
use lanlab_proto::net::dot1q;
use lanlab_sim::trace::TraceKind;
use lanlab_sim::{Engine, JobStatus};

#[test]
fn s10_vlans_trunk_router_on_a_stick_and_dhcp_through_a_helper() {
    let lab = load("s10-vlan.json");
    assert_eq!(lab, s10());
    let e = run_checked(&lab);
    assert!(
        e.jobs().iter().all(|j| j.status == JobStatus::Succeeded),
        "{}",
        transcript(&e)
    );
    // PC1 in VLAN 20 got its address from Server0 in VLAN 10 via R1.
    let ipconfig = output(&e, "PC1", "ipconfig");
    assert!(ipconfig.contains("192.168.20.1"), "{ipconfig}");
    assert!(ipconfig.contains("192.168.20.10"), "{ipconfig}");

    // The switch's and the router's console views.
    let brief = output(&e, "SW1", "show vlan brief");
    assert!(
        brief.contains("10   STAFF                            active    Fa0/1, Fa0/2\n"),
        "{brief}"
    );
    assert!(
        brief.contains("20   STUDENTS                         active    Fa0/11\n"),
        "{brief}"
    );
    let trunk = output(&e, "SW1", "show interfaces trunk");
    assert!(
        trunk.contains("Gi0/1       on               802.1q         trunking      1\n"),
        "{trunk}"
    );
    assert!(trunk.contains("Gi0/2       1,10,20\n"), "{trunk}");
    let macs = output(&e, "SW1", "show mac address-table");
    for vlan in ["  10    ", "  20    "] {
        assert!(macs.contains(vlan), "{macs}");
    }
    let run = output(&e, "R1", "show running-config");
    assert!(
        run.contains("interface GigabitEthernet0/0.20\n encapsulation dot1Q 20\n ip address 192.168.20.1 255.255.255.0\n ip helper-address 192.168.10.10\n"),
        "{run}"
    );
    let ipb = output(&e, "R1", "show ip interface brief");
    let sub20 = ipb
        .lines()
        .find(|l| l.starts_with("GigabitEthernet0/0.20 "))
        .unwrap_or_else(|| panic!("{ipb}"));
    let cols: Vec<&str> = sub20.split_whitespace().collect();
    assert_eq!(
        cols,
        [
            "GigabitEthernet0/0.20",
            "192.168.20.1",
            "YES",
            "manual",
            "up",
            "up"
        ]
    );
    eprintln!("{brief}\n{trunk}\n{macs}\n{ipb}");

    // Frames on the trunks carry tags of both VLANs; frames to and from
    // the PCs never do.
    let lab = e.lab();
    let id = |n: &str| lab.device_by_name(n).unwrap().id;
    let (r1, sw1, sw2) = (id("R1"), id("SW1"), id("SW2"));
    let mut tags = std::collections::BTreeSet::new();
    let vlan20 = [id("PC1"), id("PC3")];
    let vlan10 = [id("PC0"), id("PC2"), id("Server0")];
    for ev in e.trace().events() {
        let TraceKind::Frame {
            from, to, bytes, ..
        } = &ev.kind()
        else {
            continue;
        };
        let trunk = [from.device, to.device].contains(&r1)
            || ([sw1, sw2].contains(&from.device) && [sw1, sw2].contains(&to.device));
        if let Some(v) = dot1q::vid_of(bytes) {
            assert!(trunk, "a tagged frame off a trunk: {}", e.describe(ev));
            tags.insert(v);
        }
        // Nothing of a VLAN 10 host's MAC reaches a VLAN 20 host, and back.
        let src = &bytes[6..12];
        let mac_of = |d| lab.device(d).unwrap().ports[0].mac.0;
        let pairs = vlan10
            .iter()
            .map(|a| (*a, &vlan20[..]))
            .chain(vlan20.iter().map(|a| (*a, &vlan10[..])));
        for (a, b) in pairs {
            assert!(
                !(b.contains(&to.device) && src == mac_of(a)),
                "leak: {}",
                e.describe(ev)
            );
        }
    }
    assert_eq!(tags.into_iter().collect::<Vec<_>>(), vec![10, 20]);

    // Document + seed replays the same run.
    let text = transcript(&e);
    let r = Engine::replay(
        &lab.clone(),
        lab.seed,
        e.session_log(),
        e.events_delivered(),
    )
    .unwrap();
    assert_eq!(transcript(&r), text);
}

/// Wireshark decodes the capture with no malformed frame and shows the
/// 802.1Q tags of both VLANs.
#[test]
fn s10_capture_shows_802_1q_in_tshark() {
    let lab = load("s10-vlan.json");
    let e = run_checked(&lab);
    let Some(cap) = Capture::of(&e, "s10") else {
        return;
    };
    let tshark = |args: &[&str]| cap.tshark(args);
    let bad = tshark(&["-Y", "_ws.malformed || _ws.expert.severity == error"]);
    let ids = tshark(&[
        "-Y",
        "vlan",
        "-T",
        "fields",
        "-e",
        "vlan.id",
        "-e",
        "_ws.col.Protocol",
    ]);
    assert_eq!(bad.trim(), "", "frames Wireshark flags as errors");
    let mut seen: Vec<&str> = ids.lines().filter_map(|l| l.split('\t').next()).collect();
    seen.sort_unstable();
    seen.dedup();
    eprintln!(
        "tshark: {} tagged frames, VLAN IDs {seen:?}",
        ids.lines().count()
    );
    assert_eq!(seen, vec!["10", "20"], "{ids}");
    assert!(
        ids.contains("DHCP") && ids.contains("ICMP") && ids.contains("ARP"),
        "{ids}"
    );
}
