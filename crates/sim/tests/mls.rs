//! A multilayer switch (Packet Tracer's 3560-24PS) routes between VLANs
//! through its VLAN interfaces, configured at its console as on IOS: PCs in
//! VLANs 10 and 20 use the SVIs as gateways and ping each other with `ip
//! routing`, not without; one DHCP server in VLAN 10 serves both VLANs
//! through `ip helper-address` on `interface vlan 20`; the switch pings
//! from its own SVIs and shows its routes and interfaces.

mod common;

use common::*;
use lanlab_sim::action::Expect;
use lanlab_sim::{DeviceKind, Engine, Lab};

const MLS: &[&str] = &[
    "enable",
    "conf t",
    "vlan 10",
    "name STAFF",
    "vlan 20",
    "name STUDENTS",
    "exit",
    "interface range fa0/1 - 3",
    "switchport mode access",
    "switchport access vlan 10",
    "interface range fa0/11 - 12",
    "switchport mode access",
    "switchport access vlan 20",
    "interface vlan 10",
    "ip address 192.168.10.1 255.255.255.0",
    "no shutdown",
    "interface vlan 20",
    "ip address 192.168.20.1 255.255.255.0",
    "ip helper-address 192.168.10.10",
    "exit",
    "ip routing",
    "end",
];

/// MLS0 with PC0, PC2 and Server0 in VLAN 10 (Fa0/1–3) and PC1, PC3 in
/// VLAN 20 (Fa0/11–12); PC0 and PC1 have static addresses, PC2 and PC3
/// none until a test sets them to DHCP. Server0 has a pool for each VLAN.
fn lab(extra: impl FnOnce(&mut B)) -> Lab {
    let mut b = B::new("Multilayer switch");
    b.dev(DeviceKind::MultilayerSwitch, "MLS0", 400.0, 100.0)
        .dev(DeviceKind::Pc, "PC0", 100.0, 300.0)
        .dev(DeviceKind::Pc, "PC1", 500.0, 300.0)
        .dev(DeviceKind::Pc, "PC2", 200.0, 300.0)
        .dev(DeviceKind::Pc, "PC3", 600.0, 300.0)
        .dev(DeviceKind::Server, "Server0", 300.0, 300.0)
        .ip("PC0", 0, "192.168.10.20/24", Some("192.168.10.1"), &[])
        .ip("PC1", 0, "192.168.20.20/24", Some("192.168.20.1"), &[])
        .ip("Server0", 0, "192.168.10.10/24", Some("192.168.10.1"), &[])
        .link("PC0", 0, "MLS0", 0)
        .link("PC2", 0, "MLS0", 1)
        .link("Server0", 0, "MLS0", 2)
        .link("PC1", 0, "MLS0", 10)
        .link("PC3", 0, "MLS0", 11)
        .svc("Server0", |s| {
            s.dhcp = staff_students_dhcp();
        });
    b.typed(100, 100, "MLS0", MLS);
    extra(&mut b);
    b.build()
}

#[test]
fn inter_vlan_ping_via_svis() {
    let lab = lab(|b| {
        b.cmd(5_000, "PC0", "ping -n 2 192.168.20.20", Expect::Success)
            .cmd(7_000, "PC1", "ping -n 1 192.168.10.1", Expect::Success)
            .cmd(8_000, "MLS0", "ping 192.168.20.20", Expect::Success)
            .cmd(12_000, "MLS0", "show ip route", Expect::Success)
            .cmd(12_100, "MLS0", "show ip interface brief", Expect::Success)
            .cmd(12_200, "MLS0", "show running-config", Expect::Success)
            .cmd(13_000, "MLS0", "conf t", Expect::Success)
            .cmd(13_100, "MLS0", "no ip routing", Expect::Success)
            .cmd(13_200, "MLS0", "end", Expect::Success)
            // The SVIs still answer for themselves, but nothing is routed.
            .cmd(14_000, "PC0", "ping -n 1 192.168.10.1", Expect::Success)
            .cmd(15_000, "PC0", "ping -n 2 192.168.20.20", Expect::Failure);
    });
    let e = run_checked(&lab);
    let route = output(&e, "MLS0", "show ip route");
    assert!(
        route.contains("C        192.168.10.0/24 is directly connected, Vlan10"),
        "{route}"
    );
    assert!(
        route.contains("C        192.168.20.0/24 is directly connected, Vlan20"),
        "{route}"
    );
    let brief = output(&e, "MLS0", "show ip interface brief");
    let vlan20: Vec<&str> = brief
        .lines()
        .find(|l| l.starts_with("Vlan20 "))
        .unwrap_or_else(|| panic!("{brief}"))
        .split_whitespace()
        .collect();
    assert_eq!(
        vlan20,
        ["Vlan20", "192.168.20.1", "YES", "manual", "up", "up"]
    );
    let run = output(&e, "MLS0", "show running-config");
    assert!(run.contains("\nip routing\n"), "{run}");
    assert!(
        run.contains("interface Vlan20\n ip address 192.168.20.1 255.255.255.0\n ip helper-address 192.168.10.10\n!"),
        "{run}"
    );
    let ping = output(&e, "MLS0", "ping 192.168.20.20");
    assert!(ping.contains("Success rate is"), "{ping}");
    assert!(!ping.contains("Success rate is 0 percent"), "{ping}");
    let failed = output_nth(&e, "PC0", "ping -n 2 192.168.20.20", 1);
    assert!(failed.contains("Lost = 2"), "{failed}");
}

#[test]
fn dhcp_for_both_vlans_through_a_helper_on_an_svi() {
    let lab = lab(|b| {
        b.set_dhcp(3_000, "PC2")
            .set_dhcp(3_000, "PC3")
            .cmd(8_000, "PC3", "ipconfig", Expect::Success)
            .cmd(8_000, "PC2", "ipconfig", Expect::Success)
            .cmd(9_000, "PC3", "ping -n 1 192.168.10.10", Expect::Success);
    });
    let e = run_checked(&lab);
    let pc3 = output(&e, "PC3", "ipconfig");
    assert!(pc3.contains("192.168.20.100"), "{pc3}");
    assert!(pc3.contains("192.168.20.1"), "{pc3}");
    let pc2 = output(&e, "PC2", "ipconfig");
    assert!(pc2.contains("192.168.10.100"), "{pc2}");
}

#[test]
fn an_svi_is_down_until_a_port_of_its_vlan_is_up_and_a_plain_switch_refuses_ip_routing() {
    let mut b = B::new("MLS alone");
    b.dev(DeviceKind::MultilayerSwitch, "MLS0", 100.0, 100.0)
        .dev(DeviceKind::Switch, "SW0", 300.0, 100.0);
    b.typed(
        100,
        100,
        "MLS0",
        &[
            "enable",
            "conf t",
            "vlan 30",
            "interface vlan 30",
            "ip address 10.0.30.1 255.255.255.0",
            "exit",
            "ip routing",
            "end",
            "show ip interface brief",
            "show ip route",
        ],
    );
    b.cmd(2_000, "SW0", "enable", Expect::Success)
        .cmd(2_100, "SW0", "conf t", Expect::Success)
        .cmd(2_200, "SW0", "ip routing", Expect::Failure)
        .cmd(2_300, "SW0", "interface vlan 30", Expect::Failure);
    let e: Engine = run_checked(&b.build());
    let brief = output(&e, "MLS0", "show ip interface brief");
    assert!(
        brief.contains(
            "Vlan30                 10.0.30.1       YES manual up                    down"
        ),
        "{brief}"
    );
    let route = output(&e, "MLS0", "show ip route");
    assert!(!route.contains("10.0.30.0"), "{route}");
}
