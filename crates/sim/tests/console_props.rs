//! Whatever is typed at a router's or switch's console, the console never
//! panics, and a refused line never changes the configuration.

use lanlab_sim::shell::ios::Console;
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
    }
}
