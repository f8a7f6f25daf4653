//! Transcripts of console sessions: prompts, abbreviations, `?`, Tab and
//! every error form.

use super::*;
use crate::lab::{Lab, Point};

/// A fresh router named R1 (shared by the command files' transcript tests).
pub(super) fn router() -> Device {
    let mut lab = Lab::new("");
    let id = lab.add_device(DeviceKind::Router, Point::default());
    let mut d = lab.device(id).unwrap().clone();
    d.name = "R1".into();
    d
}

/// Runs lines, keeping the configuration; returns the last reply.
pub(super) fn session(c: &mut Console, d: &mut Device, lines: &[&str]) -> Reply {
    session_with(c, d, lines, false)
}

/// Like [`session`], but every line must be accepted.
pub(super) fn session_ok(c: &mut Console, d: &mut Device, lines: &[&str]) -> Reply {
    session_with(c, d, lines, true)
}

fn session_with(c: &mut Console, d: &mut Device, lines: &[&str], must_pass: bool) -> Reply {
    let mut last = Reply::text("");
    for l in lines {
        last = c.exec(d, l);
        assert!(!must_pass || last.ok, "{l}: {}", last.text);
        if let Some(cfg) = last.config.clone() {
            *d = cfg;
        }
    }
    last
}

#[test]
fn modes_and_prompts() {
    let (mut c, mut d) = (Console::new(), router());
    assert_eq!(c.prompt(&d), "R1>");
    session(&mut c, &mut d, &["en"]);
    assert_eq!(c.prompt(&d), "R1#");
    let r = session(&mut c, &mut d, &["conf t"]);
    assert!(r.text.starts_with("Enter configuration commands"));
    assert_eq!(c.prompt(&d), "R1(config)#");
    session(&mut c, &mut d, &["int g0/0"]);
    assert_eq!(c.prompt(&d), "R1(config-if)#");
    session(&mut c, &mut d, &["exit", "int g0/0.10"]);
    assert_eq!(c.prompt(&d), "R1(config-subif)#");
    session(&mut c, &mut d, &["line vty 0 4"]);
    assert_eq!(c.prompt(&d), "R1(config-line)#");
    session(&mut c, &mut d, &["ip dhcp pool LAN"]);
    assert_eq!(c.prompt(&d), "R1(dhcp-config)#");
    session(&mut c, &mut d, &["router rip"]);
    assert_eq!(c.prompt(&d), "R1(config-router)#");
    session(&mut c, &mut d, &["interface range g0/0 - 2"]);
    assert_eq!(c.prompt(&d), "R1(config-if-range)#");
    session(&mut c, &mut d, &["ip access-list extended WEB"]);
    assert_eq!(c.prompt(&d), "R1(config-ext-nacl)#");
    session(&mut c, &mut d, &["end"]);
    assert_eq!(c.prompt(&d), "R1#");
    session(&mut c, &mut d, &["conf t", "int g0/1", "\u{1a}"]);
    assert_eq!(c.prompt(&d), "R1#");
    session(&mut c, &mut d, &["disable"]);
    assert_eq!(c.prompt(&d), "R1>");
    // Configuration commands are not known in user EXEC.
    let r = c.exec(&d, "conf t");
    assert!(!r.ok);
}

#[test]
fn configuring_an_interface_changes_the_document() {
    let (mut c, mut d) = (Console::new(), router());
    assert!(
        d.ports.iter().all(|p| !p.shutdown),
        "builder routers start up"
    );
    d.ports[0].shutdown = true;
    let r = session(
        &mut c,
        &mut d,
        &[
            "enable",
            "configure terminal",
            "hostname Edge",
            "int g0/0",
            "ip add 192.168.1.1 255.255.255.0",
            "no sh",
        ],
    );
    assert!(r.text.contains("changed state to up"), "{}", r.text);
    assert_eq!(d.name, "Edge");
    assert_eq!(c.prompt(&d), "Edge(config-if)#");
    let s = d.ports[0].ip.as_static().unwrap();
    assert_eq!(s.address.to_string(), "192.168.1.1");
    assert!(!d.ports[0].shutdown);
    session(
        &mut c,
        &mut d,
        &[
            "description to LAN1",
            "exit",
            "ip route 0.0.0.0 0.0.0.0 192.168.1.254",
        ],
    );
    assert_eq!(d.ports[0].description, "to LAN1");
    assert_eq!(d.routes.len(), 1);
    let run = c.exec(&d, "do show run").text;
    assert!(run.contains("interface GigabitEthernet0/0\n description to LAN1\n ip address 192.168.1.1 255.255.255.0\n"), "{run}");
    assert!(
        run.contains("ip route 0.0.0.0 0.0.0.0 192.168.1.254\n"),
        "{run}"
    );
    assert!(run.contains("hostname Edge\n"));
    assert_eq!(c.prompt(&d), "Edge(config)#", "do keeps the mode");
    // `no` forms.
    session(
        &mut c,
        &mut d,
        &[
            "no ip route 0.0.0.0 0.0.0.0 192.168.1.254",
            "int g0/0",
            "no ip address",
            "shutdown",
        ],
    );
    assert!(d.routes.is_empty());
    assert!(d.ports[0].ip.is_none() && d.ports[0].shutdown);
}

#[test]
fn every_error_form() {
    let (mut c, mut d) = (Console::new(), router());
    session(&mut c, &mut d, &["enable", "conf t"]);
    let before = d.clone();
    let r = c.exec(&d, "ip adress 1.1.1.1 255.0.0.0");
    assert!(!r.ok && r.config.is_none());
    // The caret sits under the offending word, after the prompt.
    assert_eq!(
        r.text,
        format!(
            "{}^\n% Invalid input detected at '^' marker.\n",
            " ".repeat("R1(config)#ip ".len())
        )
    );
    let r = c.exec(&d, "ip route 10.0.0.0 255.0.0.0");
    assert_eq!(r.text, "% Incomplete command.\n");
    let r = c.exec(&d, "e");
    assert_eq!(r.text, "% Ambiguous command: \"e\"\n");
    let r = c.exec(&d, "int g0/0");
    assert!(r.ok);
    let r = c.exec(&d, "ip address 10.0.0.1 255.0.255.0");
    assert!(!r.ok && r.text.starts_with("Bad mask"), "{}", r.text);
    let r = c.exec(&d, "ip address 300.0.0.1 255.0.0.0");
    assert!(r.text.contains("^\n% Invalid input"), "{}", r.text);
    let r = c.exec(&d, "do sh ip rooute");
    assert_eq!(
        r.text,
        format!(
            "{}^\n% Invalid input detected at '^' marker.\n",
            " ".repeat("R1(config-if)#do sh ip ".len())
        )
    );
    assert_eq!(d, before);
}

#[test]
fn question_mark_and_tab() {
    let (mut c, mut d) = (Console::new(), router());
    let h = c.exec(&d, "?").text;
    assert!(
        h.contains("  enable ") && h.contains("Turn on privileged commands"),
        "{h}"
    );
    assert!(
        !h.contains("configure"),
        "user EXEC does not offer configure"
    );
    session(&mut c, &mut d, &["en", "conf t", "int g0/0"]);
    let h = c.exec(&d, "ip ?").text;
    assert!(h.contains("address") && h.contains("helper-address"), "{h}");
    let h = c.exec(&d, "ip address ?").text;
    assert!(h.contains("A.B.C.D") && h.contains("IP address"), "{h}");
    let h = c.exec(&d, "ip address 10.0.0.1 255.0.0.0 ?").text;
    assert!(h.contains("<cr>"), "{h}");
    let h = c.exec(&d, "sh?").text;
    assert_eq!(h, "shutdown\n");
    assert_eq!(c.complete(&d, "shut"), "shutdown ");
    assert_eq!(c.complete(&d, "ip add"), "ip address ");
    assert_eq!(c.complete(&d, "no"), "no ");
    assert_eq!(
        c.complete(&d, "d"),
        "d",
        "description, do, duplex: no single completion"
    );
    assert!(c.help(&d, "zz ").contains("% Invalid input"));
}

#[test]
fn history_and_show_history() {
    let (mut c, mut d) = (Console::new(), router());
    session(&mut c, &mut d, &["en", "sh ver", "show history"]);
    assert_eq!(c.history(), ["en", "sh ver", "show history"]);
    let r = c.exec(&d, "sh hist");
    assert!(r.text.contains("  en\n  sh ver\n"), "{}", r.text);
}

#[test]
fn enable_secret_and_passwords() {
    let (mut c, mut d) = (Console::new(), router());
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "enable secret class",
            "service password-encryption",
            "line vty 0 4",
            "password cisco",
            "login",
            "end",
        ],
    );
    let run = c.exec(&d, "show running-config").text;
    assert!(run.contains("enable secret 5 $1$"), "{run}");
    assert!(!run.contains("password cisco"), "encrypted: {run}");
    assert!(run.contains(" password 7 "));
    assert_eq!(d.ios.vty.password, "cisco");
    session(&mut c, &mut d, &["disable", "enable"]);
    assert_eq!(c.prompt(&d), "Password: ");
    let r = c.exec(&d, "wrong");
    assert!(!r.ok);
    assert_eq!(c.prompt(&d), "R1>");
    session(&mut c, &mut d, &["enable", "class"]);
    assert_eq!(c.prompt(&d), "R1#");
}

#[test]
fn dhcp_pool_and_exclusions() {
    let (mut c, mut d) = (Console::new(), router());
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "ip dhcp excluded-address 192.168.2.1 192.168.2.9",
            "ip dhcp pool LAN2",
            "network 192.168.2.0 255.255.255.0",
            "default-router 192.168.2.1",
            "dns-server 8.8.8.8 1.1.1.1",
            "domain-name lab.local",
            "lease 0 8",
        ],
    );
    let p = &d.services.dhcp.as_ref().unwrap().config.pools[0];
    assert_eq!(p.name, "LAN2");
    assert_eq!(p.start.to_string(), "192.168.2.1");
    assert_eq!(p.max_users, 254);
    assert_eq!(p.excluded.len(), 9);
    assert_eq!(p.dns_servers.len(), 2);
    assert_eq!(p.lease_time, lanlab_proto::dhcp::LeaseTime::Hours(8));
    assert_eq!(d.services.validate("R1"), Ok(()));
    let run = render::running_config(&d);
    assert!(
        run.contains("ip dhcp excluded-address 192.168.2.1 192.168.2.9\n"),
        "{run}"
    );
    assert!(run.contains("ip dhcp pool LAN2\n network 192.168.2.0 255.255.255.0\n default-router 192.168.2.1\n dns-server 8.8.8.8 1.1.1.1\n domain-name lab.local\n lease 0 8\n"), "{run}");
    session(&mut c, &mut d, &["exit", "no ip dhcp pool LAN2"]);
    assert!(d.services.dhcp.is_none());
}

#[test]
fn acls_helper_and_banner() {
    let (mut c, mut d) = (Console::new(), router());
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "access-list 101 deny icmp any any",
            "access-list 101 permit ip any any",
            "ip access-list standard MGMT",
            "permit 192.168.1.0 0.0.0.255",
            "int g0/0",
            "ip access-group 101 in",
            "ip helper-address 10.0.0.5",
            "exit",
            "banner motd #Authorised access only#",
        ],
    );
    let acl = d.services.acl.as_ref().unwrap();
    assert_eq!(acl.lists.len(), 2);
    assert_eq!(acl.bindings.len(), 1);
    assert_eq!(d.services.dhcp_relay[0].helpers.len(), 1);
    assert_eq!(d.ios.banner_motd, "Authorised access only");
    let r = c.exec(&d, "access-list 101 frobnicate");
    assert!(!r.ok && r.config.is_none());
}

#[test]
fn saved_configuration_survives_reload_and_unsaved_is_lost() {
    let (mut c, mut d) = (Console::new(), router());
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "hostname R9",
            "int g0/0",
            "ip add 10.0.0.1 255.255.255.252",
            "no shut",
            "int g0/1",
            "description spare",
            "exit",
            "ip route 192.168.2.0 255.255.255.0 10.0.0.2",
            "ip dhcp excluded-address 192.168.1.1",
            "ip dhcp pool P",
            "network 192.168.1.0 255.255.255.0",
            "access-list 10 permit 192.168.1.0 0.0.0.255",
            "line con 0",
            "password x",
            "login",
            "end",
        ],
    );
    let saved = d.clone();
    let r = session(&mut c, &mut d, &["copy run start"]);
    assert!(r.text.contains("[OK]"));
    assert!(
        c.exec(&d, "show startup-config")
            .text
            .contains("hostname R9")
    );
    session(&mut c, &mut d, &["conf t", "int g0/0", "shutdown", "end"]);
    assert!(d.ports[0].shutdown);
    let r = session(&mut c, &mut d, &["reload"]);
    assert_eq!(r.effect, Effect::Reload);
    assert_eq!(c.prompt(&d), "R9>");
    let mut expect = saved.clone();
    expect.ios.startup = d.ios.startup.clone();
    assert_eq!(d, expect, "the saved configuration comes back exactly");
    // Without saving, a change is gone after reload.
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "int g0/1",
            "ip address 172.16.0.1 255.255.0.0",
            "end",
            "reload",
        ],
    );
    assert!(d.ports[1].ip.is_none());
    // Nothing saved: a factory router (interfaces shut down).
    session(&mut c, &mut d, &["en", "erase startup-config", "reload"]);
    assert!(d.ports.iter().all(|p| p.shutdown && p.ip.is_none()));
    assert!(d.routes.is_empty());
}

#[test]
fn switch_management_interface() {
    let mut lab = Lab::new("");
    let id = lab.add_device(DeviceKind::Switch, Point::default());
    let mut d = lab.device(id).unwrap().clone();
    let mut c = Console::new();
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "interface vlan 1",
            "ip address 192.168.1.2 255.255.255.0",
            "no shutdown",
            "exit",
            "ip default-gateway 192.168.1.1",
            "int fa0/3",
            "shutdown",
        ],
    );
    let svi = d.ios.vlan1.as_ref().unwrap();
    assert!(!svi.shutdown && svi.address.is_some());
    assert_eq!(d.ios.default_gateway.unwrap().to_string(), "192.168.1.1");
    assert!(d.ports[2].shutdown);
    let run = render::running_config(&d);
    assert!(
        run.contains("interface Vlan1\n ip address 192.168.1.2 255.255.255.0\n!"),
        "{run}"
    );
}

#[test]
fn local_users_and_vty_login_survive_reload() {
    let (mut c, mut d) = (Console::new(), router());
    let run = render::running_config(&d);
    assert!(
        run.contains("line vty 0 4\n login\n"),
        "IOS's default\n{run}"
    );
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "username admin password s3cret",
            "username bob password x",
            "no username bob",
            "line vty 0 4",
            "login local",
            "end",
            "copy run start",
        ],
    );
    let run = render::running_config(&d);
    assert!(run.contains("\nusername admin password s3cret\n"), "{run}");
    assert!(!run.contains("bob"), "{run}");
    assert!(run.contains("line vty 0 4\n login local\n"), "{run}");
    let saved = d.clone();
    session(&mut c, &mut d, &["reload"]);
    assert_eq!(
        d, saved,
        "users and login local come back from the startup configuration"
    );
    // `no login` on the vty lines is kept, and shown.
    session(
        &mut c,
        &mut d,
        &["en", "conf t", "line vty 0 4", "no login", "end"],
    );
    assert!(d.ios.vty.no_login && !d.ios.vty.login_local);
    assert!(render::running_config(&d).contains("line vty 0 4\n no login\n"));
    // Encrypted, a user's password reads back as the same password.
    session(
        &mut c,
        &mut d,
        &["conf t", "service password-encryption", "end"],
    );
    let run = render::running_config(&d);
    let line = run
        .lines()
        .find(|l| l.starts_with("username admin"))
        .unwrap();
    assert!(line.starts_with("username admin password 7 "), "{line}");
    session(&mut c, &mut d, &["conf t", line, "end"]);
    assert_eq!(d.ios.users[0].password, "s3cret");
}

#[test]
fn ping_and_traceroute_lines() {
    let (mut c, mut d) = (Console::new(), router());
    let addr = |s: &str| s.parse::<std::net::Ipv4Addr>().unwrap();
    // User EXEC pings too; the engine runs the probes.
    let r = c.exec(&d, "ping 10.0.0.2");
    assert!(r.ok && r.text.is_empty());
    assert_eq!(r.effect, Effect::Ping(PingOptions::new(addr("10.0.0.2"))));
    let r = c.exec(&d, "tr 10.0.0.2");
    assert_eq!(r.effect, Effect::Traceroute(addr("10.0.0.2")));
    session(
        &mut c,
        &mut d,
        &[
            "en",
            "conf t",
            "int g0/0",
            "ip add 10.0.0.1 255.255.255.252",
            "no sh",
            "end",
        ],
    );
    let r = c.exec(&d, "ping 10.0.0.2 rep 10 si 1500 so g0/0 t 1");
    assert_eq!(
        r.effect,
        Effect::Ping(PingOptions {
            target: addr("10.0.0.2"),
            repeat: 10,
            size: 1500,
            timeout_s: 1,
            source: Some(addr("10.0.0.1")),
        })
    );
    // `do ping` from a configuration mode.
    session(&mut c, &mut d, &["conf t"]);
    let r = c.exec(&d, "do ping 10.0.0.2 source 10.0.0.1");
    assert!(matches!(
        r.effect,
        Effect::Ping(PingOptions {
            source: Some(_),
            ..
        })
    ));
    session(&mut c, &mut d, &["end"]);
    // Names, bad options, every refusal worded as IOS.
    let r = c.exec(&d, "ping www.example.com");
    assert!(!r.ok);
    assert_eq!(
        r.text,
        "% Unrecognized host or address, or protocol not running.\n"
    );
    let r = c.exec(&d, "traceroute server");
    assert!(r.text.starts_with("% Unrecognized host"));
    let r = c.exec(&d, "ping 10.0.0.2 size 35");
    assert_eq!(
        r.text,
        format!(
            "{}^\n% Invalid input detected at '^' marker.\n",
            " ".repeat("R1#ping 10.0.0.2 size ".len())
        )
    );
    let r = c.exec(&d, "ping 10.0.0.2 repeat 5 size");
    assert_eq!(r.text, "% Incomplete command.\n");
    let r = c.exec(&d, "ping 10.0.0.2 source g0/1");
    assert_eq!(
        r.text,
        "% Invalid source interface - IP not enabled or interface is down\n"
    );
    let r = c.exec(&d, "ping 10.0.0.2 s 1");
    assert_eq!(r.text, "% Ambiguous command: \"ping 10.0.0.2 s\"\n");
    assert!(
        c.exec(&d, "ping 10.0.0.2 repeat 5 bogus 1")
            .text
            .contains('^')
    );
    // `?` after the address lists the options.
    let help = c.help(&d, "ping 10.0.0.2 ");
    for w in ["repeat", "size", "source", "timeout", "<cr>"] {
        assert!(help.contains(w), "{help}");
    }
    assert!(!c.exec(&d, "ping").ok);
}
