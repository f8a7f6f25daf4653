//! Whatever is typed at a router's or switch's console, the console never
//! panics, and a refused line never changes the configuration.

use lanlab_sim::shell::ios::{Console, render, startup_device};
use lanlab_sim::{DeviceKind, Lab, Point};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "enable",
    "en",
    "conf",
    "t",
    "configure",
    "terminal",
    "int",
    "interface",
    "g0/0",
    "g0/1",
    "gi0/2",
    "fa0/1",
    "vlan",
    "1",
    "range",
    "-",
    "ip",
    "address",
    "add",
    "10.0.0.1",
    "255.255.255.0",
    "255.0.255.0",
    "no",
    "shut",
    "shutdown",
    "exit",
    "end",
    "do",
    "show",
    "sh",
    "run",
    "ip",
    "route",
    "0.0.0.0",
    "dhcp",
    "pool",
    "P",
    "network",
    "192.168.1.0",
    "excluded-address",
    "default-router",
    "dns-server",
    "lease",
    "infinite",
    "access-list",
    "101",
    "permit",
    "deny",
    "any",
    "host",
    "access-group",
    "in",
    "out",
    "helper-address",
    "banner",
    "motd",
    "#hi#",
    "line",
    "vty",
    "0",
    "4",
    "console",
    "password",
    "7",
    "login",
    "secret",
    "service",
    "password-encryption",
    "hostname",
    "R9",
    "copy",
    "running-config",
    "startup-config",
    "write",
    "reload",
    "erase",
    "?",
    "\u{1a}",
    "router",
    "rip",
    "description",
    "x",
    "history",
    "ping",
    "traceroute",
    "standard",
    "extended",
    "remark",
    "10",
    "version",
    "nat",
    "inside",
    "outside",
    "source",
    "static",
    "list",
    "overload",
    "netmask",
    "prefix-length",
    "24",
    "tcp",
    "udp",
    "80",
    "8080",
    "203.0.113.1",
    "192.168.1.10",
    "clear",
    "translation",
    "translations",
    "statistics",
    "verbose",
    "*",
    "debug",
    "undebug",
    "all",
];

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(WORDS), 0..7).prop_map(|w| w.join(" ")),
        "\\PC{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn typing_never_panics_and_refusals_change_nothing(
        kind in prop::sample::select(vec![DeviceKind::Router, DeviceKind::Switch]),
        lines in prop::collection::vec(line(), 1..30),
    ) {
        let mut lab = Lab::new("");
        let id = lab.add_device(kind, Point::default());
        let mut d = lab.device(id).unwrap().clone();
        let mut c = Console::new();
        for l in &lines {
            let _ = c.prompt(&d);
            let _ = c.help(&d, l);
            let _ = c.complete(&d, l);
            let r = c.exec(&d, l);
            if !r.ok {
                prop_assert!(r.config.is_none(), "refused {l:?} changed the configuration");
            }
            if let Some(cfg) = r.config {
                d = cfg;
            }
        }
        // What `show running-config` prints reads back to the same text.
        let run = render::running_config(&d);
        let mut saved = d.clone();
        saved.ios.startup = Some(run.clone());
        let back = startup_device(&saved);
        prop_assert_eq!(&back.ios.nat, &d.ios.nat);
        prop_assert_eq!(render::running_config(&back), run);
    }
}

/// One NAT configuration line (or an interface's three), `no` forms
/// included, from small sets so that lines clash and undo each other.
fn nat_lines() -> impl Strategy<Value = Vec<String>> {
    let addr = prop::sample::select(vec!["10.0.0.1", "10.0.0.2", "203.0.113.1", "203.0.113.9"]);
    let port = prop::sample::select(vec!["80", "8080", "53"]);
    let no = prop::sample::select(vec!["", "no "]);
    prop_oneof![
        (no.clone(), addr.clone(), addr.clone())
            .prop_map(|(n, a, b)| vec![format!("{n}ip nat inside source static {a} {b}")]),
        (
            no.clone(),
            prop::sample::select(vec!["tcp", "udp"]),
            addr.clone(),
            port.clone(),
            addr.clone(),
            port
        )
            .prop_map(|(n, p, a, pa, b, pb)| vec![format!(
                "{n}ip nat inside source static {p} {a} {pa} {b} {pb}"
            )]),
        (
            no.clone(),
            prop::sample::select(vec!["P", "Q"]),
            addr.clone(),
            addr,
            prop::sample::select(vec![
                "netmask 255.255.255.0",
                "prefix-length 28",
                "netmask 255.0.255.0"
            ])
        )
            .prop_map(|(n, name, a, b, m)| vec![format!("{n}ip nat pool {name} {a} {b} {m}")]),
        (
            no.clone(),
            prop::sample::select(vec!["1", "NATLIST"]),
            prop::sample::select(vec!["P", "Q"]),
            prop::sample::select(vec!["", " overload"])
        )
            .prop_map(|(n, acl, p, o)| vec![format!(
                "{n}ip nat inside source list {acl} pool {p}{o}"
            )]),
        (no.clone(), prop::sample::select(vec!["0", "1", "2"])).prop_map(|(n, i)| vec![format!(
            "{n}ip nat inside source list 1 interface g0/{i} overload"
        )]),
        (
            no,
            prop::sample::select(vec!["0", "1", "2"]),
            prop::sample::select(vec!["inside", "outside"])
        )
            .prop_map(|(n, i, w)| vec![
                format!("int g0/{i}"),
                format!("{n}ip nat {w}"),
                "exit".into()
            ]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn nat_configuration_reads_back_from_the_running_config(
        lines in prop::collection::vec(nat_lines(), 1..25),
    ) {
        let mut lab = Lab::new("");
        let id = lab.add_device(DeviceKind::Router, Point::default());
        let mut d = lab.device(id).unwrap().clone();
        let mut c = Console::new();
        for l in ["en", "conf t"].into_iter().map(String::from).chain(lines.into_iter().flatten()) {
            let r = c.exec(&d, &l);
            if !r.ok {
                prop_assert!(r.config.is_none(), "refused {l:?} changed the configuration");
            }
            if let Some(cfg) = r.config {
                d = cfg;
            }
        }
        let run = render::running_config(&d);
        let mut saved = d.clone();
        saved.ios.startup = Some(run.clone());
        let back = startup_device(&saved);
        prop_assert_eq!(&back.ios.nat, &d.ios.nat, "{}", run);
        prop_assert_eq!(render::running_config(&back), run);
    }
}
