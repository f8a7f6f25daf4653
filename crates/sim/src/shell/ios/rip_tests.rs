//! Console transcripts of the RIP commands: abbreviations, the classful
//! `network`, the `no` forms, `show running-config` and its read-back
//! after `reload`.

use super::super::tests::{router, session_ok as session};
use super::super::*;

#[test]
fn router_rip_is_configured_and_shown() {
    let mut d = router();
    let mut c = Console::default();
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "int g0/0",
            "ip add 192.168.1.1 255.255.255.0",
            "int g0/1",
            "ip add 10.0.12.1 255.255.255.0",
            "exit",
            "router rip",
            "ver 2",
            "netw 192.168.1.0",
            "network 10.0.12.0",
            "no auto",
            "passive-interface g0/0",
            "default-information originate",
        ],
    );
    assert_eq!(c.prompt(&d), "R1(config-router)#");
    let rip = d.ios.rip.clone().unwrap();
    // Classful, as IOS keeps it, in numerical order.
    assert_eq!(
        rip.networks,
        vec![
            std::net::Ipv4Addr::new(10, 0, 0, 0),
            std::net::Ipv4Addr::new(192, 168, 1, 0)
        ]
    );
    assert_eq!(rip.passive, vec![0]);
    let run = session(&mut c, &mut d, &["do show running-config"]).text;
    assert!(
        run.contains(
            "router rip\n version 2\n passive-interface GigabitEthernet0/0\n network 10.0.0.0\n network 192.168.1.0\n default-information originate\n no auto-summary\n!\n"
        ),
        "{run}"
    );
    // Saved and reloaded, it comes back the same.
    session(
        &mut c,
        &mut d,
        &["end", "copy running-config startup-config"],
    );
    let after = startup_device(&d);
    assert_eq!(after.ios.rip, d.ios.rip);
    // The `no` forms.
    session(
        &mut c,
        &mut d,
        &[
            "conf t",
            "router rip",
            "no network 192.168.1.0",
            "no passive-interface g0/0",
            "auto-summary",
            "no default-information originate",
        ],
    );
    let rip = d.ios.rip.clone().unwrap();
    assert_eq!(rip.networks.len(), 1);
    assert!(rip.passive.is_empty() && !rip.no_auto_summary && !rip.default_originate);
    // A global command leaves (config-router); `no router rip` removes it all.
    session(&mut c, &mut d, &["no router rip"]);
    assert_eq!(c.prompt(&d), "R1(config)#");
    assert!(d.ios.rip.is_none());
}

#[test]
fn rip_exec_commands() {
    let mut d = router();
    let mut c = Console::default();
    let r = session(&mut c, &mut d, &["en", "debug ip rip"]);
    assert_eq!(r.effect, Effect::DebugRip(true));
    assert_eq!(r.text, "RIP protocol debugging is on\n");
    let r = session(&mut c, &mut d, &["undebug ip rip"]);
    assert_eq!(r.effect, Effect::DebugRip(false));
    let r = session(&mut c, &mut d, &["show ip rip database"]);
    assert_eq!(r.effect, Effect::Show(Show::RipDatabase));
    let r = session(&mut c, &mut d, &["sh ip protocols"]);
    assert_eq!(r.effect, Effect::Show(Show::IpProtocols));
    // `version 3` does not exist.
    session(&mut c, &mut d, &["conf t", "router rip"]);
    assert!(!c.exec(&d, "version 3").ok);
}
