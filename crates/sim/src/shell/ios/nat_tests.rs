//! Console transcripts of the NAT commands: abbreviations, `?`, the `no`
//! forms, IOS's refusals, `show running-config` and its read-back.

use lanlab_proto::nat::{DynamicNat, NatPool, NatTarget, StaticNat};

use super::super::tests::{router, session};
use super::super::*;
use crate::lab::{Lab, Point};

const PAT: &[&str] = &[
    "en",
    "conf t",
    "int g0/0",
    "ip add 192.168.1.1 255.255.255.0",
    "ip nat in",
    "int g0/1",
    "ip add 203.0.113.1 255.255.255.252",
    "ip nat o",
    "exit",
    "access-list 1 permit 192.168.1.0 0.0.0.255",
    "ip nat inside source list 1 int g0/1 over",
    "ip nat pool PUB 203.0.113.8 203.0.113.15 netmask 255.255.255.248",
    "ip nat pool P2 198.51.100.1 198.51.100.9 prefix-length 24",
    "ip nat inside source list 2 pool PUB",
    "ip nat inside source static 192.168.1.5 203.0.113.9",
    "ip nat ins sou sta tcp 192.168.1.20 80 203.0.113.1 8080",
    "ip nat inside source static udp 192.168.1.21 53 203.0.113.1 53",
    "end",
];

#[test]
fn nat_configuration_at_the_console() {
    let (mut c, mut d) = (Console::new(), router());
    for l in PAT {
        let r = c.exec(&d, l);
        assert!(r.ok, "{l}: {}", r.text);
        if let Some(cfg) = r.config {
            d = cfg;
        }
    }
    let nat = &d.ios.nat;
    assert_eq!(nat.inside, [0]);
    assert_eq!(nat.outside, [1]);
    assert_eq!(
        nat.dynamic,
        [
            DynamicNat {
                acl: "1".into(),
                target: NatTarget::Interface(1),
                overload: true
            },
            DynamicNat {
                acl: "2".into(),
                target: NatTarget::Pool("PUB".into()),
                overload: false
            }
        ]
    );
    assert_eq!(
        nat.pools,
        [
            NatPool::new("PUB", [203, 0, 113, 8].into(), [203, 0, 113, 15].into(), 29),
            NatPool::new("P2", [198, 51, 100, 1].into(), [198, 51, 100, 9].into(), 24),
        ]
    );
    assert_eq!(nat.statics.len(), 3);
    assert_eq!(
        nat.statics[0],
        StaticNat::address([192, 168, 1, 5].into(), [203, 0, 113, 9].into())
    );

    let run = render::running_config(&d);
    for want in [
        "interface GigabitEthernet0/0\n ip address 192.168.1.1 255.255.255.0\n ip nat inside\n duplex auto\n",
        "interface GigabitEthernet0/1\n ip address 203.0.113.1 255.255.255.252\n ip nat outside\n",
        "ip nat pool PUB 203.0.113.8 203.0.113.15 netmask 255.255.255.248\n\
         ip nat pool P2 198.51.100.1 198.51.100.9 netmask 255.255.255.0\n\
         ip nat inside source list 1 interface GigabitEthernet0/1 overload\n\
         ip nat inside source list 2 pool PUB\n\
         ip nat inside source static 192.168.1.5 203.0.113.9\n\
         ip nat inside source static tcp 192.168.1.20 80 203.0.113.1 8080\n\
         ip nat inside source static udp 192.168.1.21 53 203.0.113.1 53\n\
         ip classless\n",
    ] {
        assert!(run.contains(want), "{want}\n{run}");
    }
    // Saved and reloaded: the same NAT configuration.
    session(&mut c, &mut d, &["copy run start"]);
    let back = startup_device(&d);
    assert_eq!(back.ios.nat, d.ios.nat);
    assert_eq!(render::running_config(&back), run);

    // The `no` forms undo each line.
    session(
        &mut c,
        &mut d,
        &[
            "conf t",
            "no ip nat inside source static tcp 192.168.1.20 80 203.0.113.1 8080",
            "no ip nat inside source static udp 192.168.1.21 53 203.0.113.1 53",
            "no ip nat inside source static 192.168.1.5 203.0.113.9",
            "no ip nat inside source list 2 pool PUB",
            "no ip nat inside source list 1 interface g0/1 overload",
            "no ip nat pool PUB",
            "no ip nat pool P2 198.51.100.1 198.51.100.9 prefix-length 24",
            "int g0/0",
            "no ip nat inside",
            "int g0/1",
            "no ip nat outside",
            "end",
        ],
    );
    assert!(d.ios.nat == Default::default(), "{:?}", d.ios.nat);
    assert!(!render::running_config(&d).contains("ip nat"));
}

#[test]
fn nat_refusals_and_help() {
    let (mut c, mut d) = (Console::new(), router());
    session(&mut c, &mut d, &["en", "conf t"]);
    let h = c.exec(&d, "ip nat ?").text;
    assert!(h.contains("inside") && h.contains("pool"), "{h}");
    let h = c.exec(&d, "ip nat inside source ?").text;
    assert!(h.contains("list") && h.contains("static"), "{h}");
    let h = c.exec(&d, "ip nat inside source static ?").text;
    assert!(
        h.contains("Inside local IP address") && h.contains("tcp"),
        "{h}"
    );
    let h = c
        .exec(&d, "ip nat inside source list 1 interface g0/1 ?")
        .text;
    assert!(h.contains("overload"), "{h}");
    assert_eq!(
        c.complete(&d, "ip nat inside source list 1 int"),
        "ip nat inside source list 1 interface "
    );
    // Mistakes, in IOS's words; none changes the configuration.
    for (line, want) in [
        (
            "ip nat pool P 10.0.0.9 10.0.0.1 netmask 255.255.255.0",
            "%End address less than starting address",
        ),
        (
            "ip nat pool P 10.0.0.1 10.0.0.9 netmask 255.0.255.0",
            "%Bad netmask",
        ),
        (
            "ip nat pool P 10.0.0.1 10.0.0.9 prefix-length 40",
            "% Invalid input",
        ),
        ("no ip nat pool NONE", "%Pool NONE not found"),
        (
            "no ip nat inside source static 1.1.1.1 2.2.2.2",
            "%Translation not found",
        ),
        (
            "ip nat inside source static tcp 10.0.0.1 0 1.1.1.1 80",
            "% Invalid input",
        ),
        (
            "ip nat inside source list 1 interface g0/1",
            "% Incomplete command.",
        ),
        ("ip nat", "% Incomplete command."),
    ] {
        let r = c.exec(&d, line);
        assert!(!r.ok && r.config.is_none(), "{line}");
        assert!(r.text.contains(want), "{line}: {}", r.text);
    }
    session(
        &mut c,
        &mut d,
        &[
            "ip nat inside source static 10.0.0.1 1.1.1.1",
            "ip nat pool P 10.0.0.1 10.0.0.9 netmask 255.255.255.0",
            "ip nat inside source list 1 pool P overload",
        ],
    );
    let r = c.exec(&d, "ip nat inside source static 10.0.0.1 1.1.1.2");
    assert!(!r.ok, "{}", r.text);
    assert!(
        r.text
            .contains("% similar static entry (10.0.0.1 -> 1.1.1.1) already exists")
    );
    let r = c.exec(&d, "no ip nat pool P");
    assert!(!r.ok && r.text.contains("in use"), "{}", r.text);
    // `ip nat inside|outside` belongs to an interface.
    let r = c.exec(&d, "ip nat outside");
    assert!(!r.ok, "{:?} {r:?}", c.mode());
    // An interface is inside or outside, not both.
    session(
        &mut c,
        &mut d,
        &["int g0/0", "ip nat inside", "ip nat outside"],
    );
    assert!(d.ios.nat.inside.is_empty() && d.ios.nat.outside == [0]);
}

#[test]
fn nat_exec_commands() {
    let (mut c, mut d) = (Console::new(), router());
    // `show ip nat …` at both EXEC levels; clear and debug need `enable`.
    let r = c.exec(&d, "sh ip nat tr");
    assert_eq!(r.effect, Effect::Show(Show::NatTranslations));
    let r = c.exec(&d, "clear ip nat translation *");
    assert!(!r.ok);
    session(&mut c, &mut d, &["en"]);
    assert_eq!(
        c.exec(&d, "show ip nat translations verbose").effect,
        Effect::Show(Show::NatTranslationsVerbose)
    );
    assert_eq!(
        c.exec(&d, "show ip nat statistics").effect,
        Effect::Show(Show::NatStatistics)
    );
    assert_eq!(
        c.exec(&d, "clear ip nat translation *").effect,
        Effect::ClearNat
    );
    let r = c.exec(&d, "debug ip nat");
    assert_eq!(r.effect, Effect::DebugNat(true));
    assert_eq!(r.text, "IP NAT debugging is on\n");
    for off in [
        "undebug all",
        "no debug ip nat",
        "no debug all",
        "undebug ip nat",
    ] {
        assert_eq!(c.exec(&d, off).effect, Effect::DebugNat(false), "{off}");
    }
    // From configuration mode with `do`.
    session(&mut c, &mut d, &["conf t"]);
    assert_eq!(
        c.exec(&d, "do clear ip nat translation *").effect,
        Effect::ClearNat
    );
    // A switch has no NAT.
    let mut lab = Lab::new("");
    let id = lab.add_device(DeviceKind::Switch, Point::default());
    let mut sw = lab.device(id).unwrap().clone();
    let r = session(
        &mut Console::new(),
        &mut sw,
        &[
            "en",
            "conf t",
            "ip nat inside source static 10.0.0.1 1.1.1.1",
        ],
    );
    assert!(!r.ok && r.text.contains("routers"), "{}", r.text);
}
