//! Console transcripts of the VLAN commands: the VLAN database, access and
//! trunk ports, allowed lists, sub-interfaces, IOS's refusals, `show vlan
//! brief`, `show interfaces trunk` and `show running-config` read back.

use super::super::*;
use super::show_vlan_brief;
use crate::lab::{Lab, Point};
use crate::vlan::{PortMode, SwitchPort};

fn device(kind: DeviceKind, name: &str) -> Device {
    let mut lab = Lab::new("");
    let id = lab.add_device(kind, Point::default());
    let mut d = lab.device(id).unwrap().clone();
    d.name = name.into();
    d
}

/// Runs lines that must succeed, keeping the configuration; returns the
/// last reply's text.
fn session(c: &mut Console, d: &mut Device, lines: &[&str]) -> String {
    let mut last = String::new();
    for l in lines {
        let r = c.exec(d, l);
        assert!(r.ok, "{l}: {}", r.text);
        if let Some(cfg) = r.config.clone() {
            *d = cfg;
        }
        last = r.text;
    }
    last
}

#[test]
fn vlans_and_switchports_at_the_console() {
    let (mut c, mut d) = (Console::new(), device(DeviceKind::Switch, "SW1"));
    session(&mut c, &mut d, &["en", "conf t", "vlan 10"]);
    assert_eq!(c.prompt(&d), "SW1(config-vlan)#");
    let out = session(
        &mut c,
        &mut d,
        &[
            "name STAFF",
            "vlan 20",
            "na STUDENTS",
            "exit",
            "int fa0/1",
            "switchport mode access",
            "switchport access vlan 10",
            "int range fa0/2 - 3",
            "sw mo acc",
            "sw acc vl 20",
            "int g0/1",
            "switchport mode trunk",
            "switchport trunk native vlan 99",
            "switchport trunk allowed vlan 10,20",
            "switchport trunk allowed vlan add 30-40",
            "switchport trunk allowed vlan remove 35",
            "int fa0/5",
            "switchport access vlan 30",
        ],
    );
    assert_eq!(out, "% Access VLAN does not exist. Creating vlan 30\n");
    let v = &d.ios.vlan;
    assert_eq!(v.vlan_ids(), vec![1, 10, 20, 30]);
    assert_eq!(v.vlan_name(10), "STAFF");
    assert_eq!(v.port(0).access, 10);
    assert_eq!(v.port(2).access, 20);
    let trunk = v.port(24);
    assert_eq!(trunk.mode, PortMode::Trunk);
    assert_eq!(trunk.native, 99);
    assert_eq!(trunk.allowed.to_string(), "10,20,30-34,36-40");
    session(
        &mut c,
        &mut d,
        &[
            "int g0/1",
            "switchport trunk allowed vlan except 1-9",
            "do show vlan brief",
        ],
    );
    assert_eq!(d.ios.vlan.port(24).allowed.to_string(), "10-4094");
    // The engine renders `show` of running state; the console asks for it.
    let r = c.exec(&d, "do show vlan brief");
    assert_eq!(r.effect, Effect::Show(Show::VlanBrief));
    session(&mut c, &mut d, &["end"]);
    let brief = show_vlan_brief(&d);
    assert!(
        brief.contains("10   STAFF                            active    Fa0/1\n"),
        "{brief}"
    );
    assert!(
        brief.contains("20   STUDENTS                         active    Fa0/2, Fa0/3\n"),
        "{brief}"
    );
    assert!(brief.contains("1    default"), "{brief}");
    let run = session(&mut c, &mut d, &["show running-config"]);
    for want in [
        "vlan 10\n name STAFF\n!",
        "interface FastEthernet0/1\n switchport access vlan 10\n switchport mode access\n",
        " switchport trunk native vlan 99\n switchport trunk allowed vlan 10-4094\n switchport mode trunk\n",
    ] {
        assert!(run.contains(want), "{want}\n{run}");
    }
    // The running configuration reads back into the same settings.
    let mut again = device(DeviceKind::Switch, "SW1");
    let mut c2 = Console::new();
    session(&mut c2, &mut again, &["en", "conf t"]);
    for l in run.lines() {
        let l = l.trim_end();
        if l.is_empty()
            || l.starts_with('!')
            || l.starts_with("Building")
            || l.starts_with("Current")
        {
            continue;
        }
        let _ = c2.exec(&again, l).config.map(|cfg| again = cfg);
    }
    assert_eq!(again.ios.vlan, d.ios.vlan);
    // Back to the defaults.
    session(
        &mut c,
        &mut d,
        &[
            "conf t",
            "int g0/1",
            "no switchport trunk allowed vlan",
            "no switchport trunk native vlan",
            "switchport mode access",
            "exit",
            "no vlan 30",
        ],
    );
    assert_eq!(d.ios.vlan.port(24), SwitchPort::new(24));
    assert!(!d.ios.vlan.has_vlan(30));
}

#[test]
fn vlan_refusals() {
    let (mut c, mut d) = (Console::new(), device(DeviceKind::Switch, "SW1"));
    session(&mut c, &mut d, &["en", "conf t"]);
    for (line, want) in [
        ("vlan 4095", "out of range"),
        ("no vlan 1", "Default VLAN 1 may not be deleted"),
    ] {
        let r = c.exec(&d, line);
        assert!(!r.ok && r.text.contains(want), "{line}: {}", r.text);
    }
    session(&mut c, &mut d, &["int g0/1"]);
    let r = c.exec(&d, "switchport trunk allowed vlan 10-5");
    assert!(!r.ok && r.text.contains("is not a VLAN list"), "{}", r.text);
    // A router has no VLAN database.
    let (mut c, d) = (Console::new(), device(DeviceKind::Router, "R1"));
    let mut d = d;
    session(&mut c, &mut d, &["en", "conf t"]);
    assert!(!c.exec(&d, "vlan 10").ok);
}

#[test]
fn sub_interfaces_at_the_console() {
    let (mut c, mut d) = (Console::new(), device(DeviceKind::Router, "R1"));
    session(&mut c, &mut d, &["en", "conf t", "int g0/0.10"]);
    assert_eq!(c.prompt(&d), "R1(config-subif)#");
    let r = c.exec(&d, "ip address 192.168.10.1 255.255.255.0");
    assert!(!r.ok && r.text.contains("802.1Q"), "{}", r.text);
    session(
        &mut c,
        &mut d,
        &[
            "encapsulation dot1Q 10",
            "ip address 192.168.10.1 255.255.255.0",
            "int g0/0.20",
            "encap dot1q 20",
            "ip add 192.168.20.1 255.255.255.0",
            "ip helper-address 192.168.10.10",
            "int g0/0.99",
            "encapsulation dot1Q 99 native",
            "description management",
        ],
    );
    let r = c.exec(&d, "encapsulation dot1Q 10");
    assert!(
        !r.ok
            && r.text
                .contains("already configured on GigabitEthernet0/0.10"),
        "{}",
        r.text
    );
    let v = &d.ios.vlan;
    assert_eq!(v.subifs.len(), 3);
    assert_eq!(
        v.subif(0, 20).unwrap().helpers,
        vec![std::net::Ipv4Addr::new(192, 168, 10, 10)]
    );
    assert!(v.subif(0, 99).unwrap().native);
    let run = session(&mut c, &mut d, &["end", "show running-config"]);
    for want in [
        "interface GigabitEthernet0/0.10\n encapsulation dot1Q 10\n ip address 192.168.10.1 255.255.255.0\n!",
        "interface GigabitEthernet0/0.20\n encapsulation dot1Q 20\n ip address 192.168.20.1 255.255.255.0\n ip helper-address 192.168.10.10\n!",
        "interface GigabitEthernet0/0.99\n description management\n encapsulation dot1Q 99 native\n",
    ] {
        assert!(run.contains(want), "{want}\n{run}");
    }
    session(
        &mut c,
        &mut d,
        &[
            "conf t",
            "int g0/0.20",
            "no ip helper-address",
            "shutdown",
            "no encapsulation dot1Q",
        ],
    );
    let s = d.ios.vlan.subif(0, 20).unwrap();
    assert!(s.helpers.is_empty() && s.shutdown && s.vlan.is_none());
}

#[test]
fn a_multilayer_switch_s_svis_and_ip_routing_at_the_console() {
    let (mut c, mut d) = (Console::new(), device(DeviceKind::MultilayerSwitch, "MLS1"));
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "ip routing",
            "interface vlan 10",
            "ip address 192.168.10.1 255.255.255.0",
            "ip helper-address 192.168.20.10",
        ],
    );
    assert_eq!(c.prompt(&d), "MLS1(config-if)#");
    let out = session(&mut c, &mut d, &["shutdown", "no shutdown", "exit"]);
    assert!(out.is_empty(), "{out}");
    assert!(d.ios.vlan.ip_routing);
    let svi = &d.ios.vlan.svis[0];
    assert_eq!(svi.vlan, 10);
    assert_eq!(
        svi.address,
        Some((
            "192.168.10.1".parse().unwrap(),
            "255.255.255.0".parse().unwrap()
        ))
    );
    assert_eq!(
        svi.helpers,
        vec!["192.168.20.10".parse::<std::net::Ipv4Addr>().unwrap()]
    );
    assert!(!svi.shutdown);
    let run = super::super::render::running_config(&d);
    assert!(run.contains("\nip routing\n"), "{run}");
    assert!(
        run.contains("interface Vlan10\n ip address 192.168.10.1 255.255.255.0\n ip helper-address 192.168.20.10\n!\n"),
        "{run}"
    );
    // The running configuration reads back into the same settings.
    let mut again = device(DeviceKind::MultilayerSwitch, "MLS1");
    let mut c2 = Console::new();
    session(&mut c2, &mut again, &["en", "conf t"]);
    for l in run.lines() {
        let l = l.trim_end();
        if l.is_empty() || l.starts_with('!') || l.starts_with("Current") || l == "end" {
            continue;
        }
        let _ = c2.exec(&again, l).config.map(|cfg| again = cfg);
    }
    assert_eq!(again.ios.vlan, d.ios.vlan);
    session(&mut c, &mut d, &["no interface vlan 10", "no ip routing"]);
    assert!(d.ios.vlan.svis.is_empty() && !d.ios.vlan.ip_routing);

    // A 2960 has only VLAN 1's interface and does not route; a router
    // always routes.
    let (mut c, mut d) = (Console::new(), device(DeviceKind::Switch, "SW1"));
    session(&mut c, &mut d, &["en", "conf t"]);
    for l in ["ip routing", "interface vlan 10"] {
        let r = c.exec(&d, l);
        assert!(
            !r.ok && r.text.contains("Multilayer Switch"),
            "{l}: {}",
            r.text
        );
    }
    let (mut c, mut d) = (Console::new(), device(DeviceKind::Router, "R1"));
    session(&mut c, &mut d, &["en", "conf t", "ip routing"]);
    assert!(!c.exec(&d, "no ip routing").ok);
}
