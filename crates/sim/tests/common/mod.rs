//! Builders of the example labs in `public/labs/` (S1, S3, S4, S7, S8) and
//! helpers to run them. `LANLAB_BLESS=1` rewrites the JSON files from here.
#![allow(dead_code)]

use std::net::Ipv4Addr;

use lanlab_proto::dhcp::{LeaseTime, PoolConfig, ServerConfig};
use lanlab_proto::dns::{Name, Zone, parse_zone};
use lanlab_proto::firewall::{
    AclConfig, ConfigMode, HostFirewallConfig, HostRule, PortRange, RuleProtocol,
};
use lanlab_proto::http::{Site, WebFile, WebServerConfig};
use lanlab_sim::action::{Action, Expect, PortRef, ScriptedAction};
use lanlab_sim::activity::{Activity, Check, CheckKind, Text};
use lanlab_sim::config::{IpConfig, StaticIp};
use lanlab_sim::services::{
    DhcpService, DnsService, HttpService, MailService, MailUser, Recursion, RelayHelper, Services,
};
use lanlab_sim::{DeviceKind, Engine, Lab, LinkEnd, Point};

pub fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

/// A lab under construction, with canvas positions.
pub struct B {
    pub lab: Lab,
}

impl B {
    pub fn new(name: &str) -> Self {
        let mut lab = Lab::new(name);
        lab.seed = 1;
        B { lab }
    }

    /// The lab's title in Indonesian.
    pub fn named(mut self, id: &str) -> Self {
        self.lab.name.id = id.to_string();
        self
    }

    pub fn dev(&mut self, kind: DeviceKind, name: &str, x: f64, y: f64) -> &mut Self {
        let id = self.lab.add_device(kind, Point::new(x, y));
        self.lab.rename_device(id, name).unwrap();
        self
    }

    pub fn d(&mut self, name: &str) -> &mut lanlab_sim::Device {
        let id = self.lab.device_by_name(name).unwrap().id;
        self.lab.device_mut(id).unwrap()
    }

    pub fn ip(
        &mut self,
        dev: &str,
        port: usize,
        cidr: &str,
        gw: Option<&str>,
        dns: &[&str],
    ) -> &mut Self {
        let net: lanlab_proto::net::Ipv4Net = cidr.parse().unwrap();
        self.d(dev).ports[port].ip = IpConfig::Static(StaticIp {
            address: net.addr,
            mask: net.mask(),
            gateway: gw.map(ip),
            dns: dns.iter().map(|a| ip(a)).collect(),
        });
        self
    }

    pub fn link(&mut self, a: &str, pa: usize, b: &str, pb: usize) -> &mut Self {
        let ea = LinkEnd {
            device: self.lab.device_by_name(a).unwrap().id,
            port: pa,
        };
        let eb = LinkEnd {
            device: self.lab.device_by_name(b).unwrap().id,
            port: pb,
        };
        self.lab.connect_ports(ea, eb).unwrap();
        self
    }

    pub fn svc(&mut self, dev: &str, f: impl FnOnce(&mut Services)) -> &mut Self {
        f(&mut self.d(dev).services);
        self
    }

    pub fn act(&mut self, at_ms: u64, action: Action, expect: Expect) -> &mut Self {
        self.lab.actions.push(ScriptedAction {
            at_ms,
            action,
            expect,
        });
        self
    }

    pub fn cmd(&mut self, at_ms: u64, dev: &str, line: &str, expect: Expect) -> &mut Self {
        self.act(
            at_ms,
            Action::Command {
                device: dev.into(),
                line: line.into(),
            },
            expect,
        )
    }

    /// Lines typed at `dev`'s console one every `step_ms` from `from_ms`,
    /// each expected to succeed; returns the time after the last one.
    pub fn typed<S: AsRef<str>>(
        &mut self,
        from_ms: u64,
        step_ms: u64,
        dev: &str,
        lines: &[S],
    ) -> u64 {
        let mut t = from_ms;
        for l in lines {
            self.cmd(t, dev, l.as_ref(), Expect::Success);
            t += step_ms;
        }
        t
    }

    pub fn url(&mut self, at_ms: u64, dev: &str, url: &str, expect: Expect) -> &mut Self {
        self.act(
            at_ms,
            Action::OpenUrl {
                device: dev.into(),
                url: url.into(),
            },
            expect,
        )
    }

    pub fn set_dhcp(&mut self, at_ms: u64, dev: &str) -> &mut Self {
        self.act(
            at_ms,
            Action::SetIp {
                port: PortRef {
                    device: dev.into(),
                    port: "FastEthernet0".into(),
                },
                ip: IpConfig::Dhcp,
            },
            Expect::Any,
        )
    }

    pub fn dhcp_port(&mut self, dev: &str) -> &mut Self {
        self.d(dev).ports[0].ip = IpConfig::Dhcp;
        self
    }

    pub fn build(&self) -> Lab {
        self.lab.validate().unwrap();
        self.lab.clone()
    }
}

pub fn pool(name: &str, net: &str, start: &str, max: u32, gw: &str, dns: &[&str]) -> PoolConfig {
    let n: lanlab_proto::net::Ipv4Net = net.parse().unwrap();
    let mut p = PoolConfig::new(name, n.network(), n.mask(), ip(start), max);
    p.gateway = Some(ip(gw));
    p.dns_servers = dns.iter().map(|a| ip(a)).collect();
    p.lease_time = LeaseTime::Days(1);
    p
}

/// One DHCP server's pools for VLAN 10 (STAFF, 192.168.10.0/24) and VLAN
/// 20 (STUDENTS, 192.168.20.0/24), gateways .1, leases from .100.
pub fn staff_students_dhcp() -> Option<DhcpService> {
    dhcp(vec![
        pool(
            "STAFF",
            "192.168.10.0/24",
            "192.168.10.100",
            50,
            "192.168.10.1",
            &[],
        ),
        pool(
            "STUDENTS",
            "192.168.20.0/24",
            "192.168.20.100",
            50,
            "192.168.20.1",
            &[],
        ),
    ])
}

pub fn dhcp(pools: Vec<PoolConfig>) -> Option<DhcpService> {
    Some(DhcpService {
        enabled: true,
        config: ServerConfig::new(pools),
    })
}

pub fn zone(origin: &str, text: &str) -> Zone {
    let o = if origin == "." {
        Name::root()
    } else {
        Name::parse(origin).unwrap()
    };
    parse_zone(&o, text).unwrap()
}

pub fn web(pages: &[(&str, &str)]) -> Option<HttpService> {
    let start = lanlab_sim::lab::DEFAULT_START_UNIX;
    Some(HttpService {
        enabled: true,
        config: WebServerConfig {
            default_site: Site::with_files(
                pages
                    .iter()
                    .map(|(p, html)| (p.to_string(), WebFile::new(*html, start))),
            ),
            ..Default::default()
        },
    })
}

/// The example pages are in Bahasa Indonesia only: a server sends the same
/// bytes whatever language the student's app speaks (captures stay comparable).
pub const HOME: &str = "<!DOCTYPE html>\n<html><head><title>Hasan</title></head>\n<body><h1>Selamat datang di hasan.com</h1>\n<p>Ini server web Server0.</p>\n<p><a href=\"about.html\">Tentang</a></p></body></html>\n";
pub const ABOUT: &str = "<!DOCTYPE html>\n<html><head><title>Tentang Hasan</title></head>\n<body><p>Lab jaringan kelas 5B.</p></body></html>\n";
/// The pages as version 1 of the examples had them.
pub const HOME_V1: &str = "<!DOCTYPE html>\n<html><head><title>Hasan</title></head>\n<body><h1>Selamat datang di hasan.com</h1>\n<p>Welcome to the web server of Server0.</p>\n<p><a href=\"about.html\">About</a></p></body></html>\n";
pub const ABOUT_V1: &str = "<!DOCTYPE html>\n<html><head><title>About Hasan</title></head>\n<body><p>Kelas 5B network lab.</p></body></html>\n";

pub const HASAN_ZONE_SMALL: &str = "$TTL 3600\n@ SOA ns1 admin 2026010501 3600 600 86400 300\n@ NS ns1.hasan.com.\nns1 A 192.168.1.1\n@ A 192.168.1.1\nwww CNAME hasan.com.\nmail A 192.168.1.1\n@ MX 10 mail.hasan.com.\n";

/// S1: one server (DHCP, DNS, web, mail), a switch, two PCs.
pub fn s1() -> Lab {
    let mut b = B::new("S1 — One server, one switch, two PCs")
        .named("S1 — Satu server, satu switch, dua PC");
    b.dev(DeviceKind::Server, "Server0", 400.0, 100.0)
        .dev(DeviceKind::Switch, "Switch0", 400.0, 250.0)
        .dev(DeviceKind::Pc, "PC0", 250.0, 400.0)
        .dev(DeviceKind::Pc, "PC1", 550.0, 400.0)
        .ip("Server0", 0, "192.168.1.1/24", None, &["192.168.1.1"])
        .ip(
            "PC0",
            0,
            "192.168.1.2/24",
            Some("192.168.1.1"),
            &["192.168.1.1"],
        )
        .ip(
            "PC1",
            0,
            "192.168.1.3/24",
            Some("192.168.1.1"),
            &["192.168.1.1"],
        )
        .link("Server0", 0, "Switch0", 0)
        .link("PC0", 0, "Switch0", 1)
        .link("PC1", 0, "Switch0", 2)
        .svc("Server0", |s| {
            s.dhcp = dhcp(vec![pool(
                "LAN",
                "192.168.1.0/24",
                "192.168.1.10",
                50,
                "192.168.1.1",
                &["192.168.1.1"],
            )]);
            s.dns = Some(DnsService {
                enabled: true,
                zones: vec![zone("hasan.com", HASAN_ZONE_SMALL)],
                recursive: None,
            });
            s.http = web(&[("index.html", HOME), ("about.html", ABOUT)]);
            s.mail = Some(MailService {
                enabled: true,
                domains: vec!["hasan.com".into()],
                users: vec![
                    MailUser {
                        name: "12_5b_01".into(),
                        domain: "hasan.com".into(),
                        password: "kelas5b".into(),
                    },
                    MailUser {
                        name: "akbari".into(),
                        domain: "hasan.com".into(),
                        password: "akbari123".into(),
                    },
                ],
                ..Default::default()
            });
        })
        .svc("PC0", |s| {
            s.mail_client = Some(mail_account(
                "Kelas 5B",
                "12_5b_01@hasan.com",
                "12_5b_01",
                "kelas5b",
            ));
        })
        .svc("PC1", |s| {
            s.mail_client = Some(mail_account(
                "Akbari",
                "akbari@hasan.com",
                "akbari",
                "akbari123",
            ));
        })
        .cmd(500, "PC0", "ping -n 2 192.168.1.1", Expect::Success)
        .set_dhcp(3_000, "PC0")
        .set_dhcp(3_000, "PC1")
        .cmd(8_000, "PC0", "ipconfig /all", Expect::Success)
        .url(9_000, "PC0", "http://hasan.com", Expect::Success)
        .url(11_000, "PC0", "hasan.com", Expect::Success)
        .url(13_000, "PC0", "192.168.1.1", Expect::Success)
        .cmd(15_000, "PC1", "ping -n 2 hasan.com", Expect::Success)
        .act(
            17_000,
            Action::SendMail {
                device: "PC1".into(),
                to: "12_5b_01@hasan.com".into(),
                subject: "Tes Email".into(),
                body: "Halo kelas 5B, ini email percobaan.".into(),
            },
            Expect::Success,
        )
        .act(
            20_000,
            Action::ReceiveMail {
                device: "PC0".into(),
            },
            Expect::Success,
        );
    b.lab.activity = Some(s1_activity());
    b.build()
}

/// S1's activity: three checks on what happens when the lab runs.
pub fn s1_activity() -> Activity {
    let t = Text::new;
    Activity {
        instructions: t(
            "Run the lab and watch **Server0** at work.\n\n- PC0 gets its address by **DHCP**\n- PC1 finds hasan.com by **DNS**\n- PC0 receives the mail **Tes Email** from akbari",
            "Jalankan lab dan amati kerja **Server0**.\n\n- PC0 mendapat alamat lewat **DHCP**\n- PC1 menemukan hasan.com lewat **DNS**\n- PC0 menerima email **Tes Email** dari akbari",
        ),
        checks: vec![
            Check {
                label: t("A DHCP ACK reached PC0", "DHCP ACK sampai di PC0"),
                hint: t(
                    "Set PC0 to DHCP (Config tab)",
                    "Atur PC0 ke DHCP (tab Config)",
                ),
                kind: CheckKind::DhcpAck { d: "PC0".into() },
            },
            Check {
                label: t("PC1 resolved hasan.com", "PC1 menemukan hasan.com"),
                hint: t("On PC1: nslookup hasan.com", "Di PC1: nslookup hasan.com"),
                kind: CheckKind::Resolved {
                    d: "PC1".into(),
                    name: "hasan.com".into(),
                },
            },
            Check {
                label: t("PC0 received 'Tes Email'", "PC0 menerima 'Tes Email'"),
                hint: t(
                    "Send from PC1, receive on PC0",
                    "Kirim dari PC1, terima di PC0",
                ),
                kind: CheckKind::MailReceived {
                    d: "PC0".into(),
                    from: "akbari@hasan.com".into(),
                    subject: "Tes Email".into(),
                },
            },
        ],
        lock: Default::default(),
    }
}

/// A PC's mail account on Server0 (192.168.1.1), POP3.
pub fn mail_account(
    name: &str,
    address: &str,
    user: &str,
    password: &str,
) -> lanlab_sim::services::MailClientAccount {
    lanlab_sim::services::MailClientAccount {
        display_name: name.into(),
        address: address.into(),
        incoming_server: "192.168.1.1".into(),
        outgoing_server: "192.168.1.1".into(),
        user: user.into(),
        password: password.into(),
        ..Default::default()
    }
}

/// S3: two DHCP servers on one LAN, a small pool running out, renew, and
/// a relay across a router.
pub fn s3() -> Lab {
    let mut b = B::new("S3 — DHCP, the four steps").named("S3 — DHCP, empat langkah");
    b.dev(DeviceKind::Server, "Server0", 150.0, 100.0)
        .dev(DeviceKind::Server, "Server1", 350.0, 100.0)
        .dev(DeviceKind::Switch, "Switch0", 250.0, 250.0)
        .dev(DeviceKind::Pc, "PC0", 100.0, 400.0)
        .dev(DeviceKind::Pc, "PC1", 200.0, 400.0)
        .dev(DeviceKind::Pc, "PC2", 300.0, 400.0)
        .dev(DeviceKind::Pc, "PC3", 400.0, 400.0)
        .dev(DeviceKind::Router, "Router0", 550.0, 250.0)
        .dev(DeviceKind::Switch, "Switch1", 700.0, 250.0)
        .dev(DeviceKind::Pc, "PC4", 700.0, 400.0)
        .ip("Server0", 0, "192.168.1.1/24", Some("192.168.1.254"), &[])
        .ip("Server1", 0, "192.168.1.2/24", Some("192.168.1.254"), &[])
        .ip("Router0", 0, "192.168.1.254/24", None, &[])
        .ip("Router0", 1, "10.0.2.1/24", None, &[])
        .dhcp_port("PC0")
        .dhcp_port("PC1")
        .dhcp_port("PC2")
        .dhcp_port("PC3")
        .dhcp_port("PC4")
        .link("Server0", 0, "Switch0", 0)
        .link("Server1", 0, "Switch0", 1)
        .link("PC0", 0, "Switch0", 2)
        .link("PC1", 0, "Switch0", 3)
        .link("PC2", 0, "Switch0", 4)
        .link("PC3", 0, "Switch0", 5)
        .link("Router0", 0, "Switch0", 23)
        .link("Router0", 1, "Switch1", 23)
        .link("PC4", 0, "Switch1", 0)
        .svc("Server0", |s| {
            s.dhcp = dhcp(vec![
                pool(
                    "LAN1",
                    "192.168.1.0/24",
                    "192.168.1.10",
                    2,
                    "192.168.1.254",
                    &[],
                ),
                pool("LAN2", "10.0.2.0/24", "10.0.2.10", 50, "10.0.2.1", &[]),
            ]);
        })
        .svc("Server1", |s| {
            s.dhcp = dhcp(vec![pool(
                "LAN1-backup",
                "192.168.1.0/24",
                "192.168.1.100",
                1,
                "192.168.1.254",
                &[],
            )]);
        })
        .svc("Router0", |s| {
            s.dhcp_relay = vec![RelayHelper {
                interface: "GigabitEthernet0/1".into(),
                helpers: vec![ip("192.168.1.1")],
            }];
        })
        .cmd(90_000, "PC0", "ipconfig /all", Expect::Success)
        .cmd(90_000, "PC1", "ipconfig", Expect::Success)
        .cmd(90_000, "PC2", "ipconfig", Expect::Success)
        .cmd(90_000, "PC3", "ipconfig", Expect::Success)
        .cmd(90_000, "PC4", "ipconfig /all", Expect::Success)
        .cmd(91_000, "PC4", "ping -n 2 192.168.1.1", Expect::Success)
        .cmd(100_000, "PC0", "ipconfig /renew", Expect::Any);
    b.build()
}

const ROOT_ZONE: &str = "\
@ SOA a.root-servers.net. nstld.verisign-grs.com. 2024010101 1800 900 604800 86400
@ 518400 NS a.root-servers.net.
a.root-servers.net. 518400 A 198.41.0.4
com. 172800 NS a.gtld-servers.net.
a.gtld-servers.net. 172800 A 192.5.6.30
1.168.192.in-addr.arpa. 86400 NS ns1.hasan.com.
ns1.hasan.com. 86400 A 10.0.3.53
";

const COM_ZONE: &str = "\
@ SOA a.gtld-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 900
@ NS a.gtld-servers.net.
hasan 172800 NS ns1.hasan.com.
ns1.hasan 172800 A 10.0.3.53
";

const HASAN_ZONE: &str = r#"
$TTL 3600
@            SOA  ns1 admin 2024010101 3600 600 86400 300
@            NS   ns1.hasan.com.
ns1          A    10.0.3.53
hasan.com.   A    192.168.1.1
@            AAAA 2001:db8::1
www          CNAME hasan.com.
mail         A    192.168.1.1
@            MX   10 mail.hasan.com.
@            TXT  "v=spf1 mx -all"
_imap._tcp   SRV  0 0 143 mail.hasan.com.
"#;

const REVERSE_ZONE: &str = "\
@   SOA ns1.hasan.com. admin.hasan.com. 1 3600 600 86400 300
@   NS  ns1.hasan.com.
1   PTR hasan.com.
";

pub fn dns(zones: Vec<Zone>, recursive: Option<&str>) -> Option<DnsService> {
    Some(DnsService {
        enabled: true,
        zones,
        recursive: recursive.map(|r| Recursion {
            root_hints: vec![r.parse().unwrap()],
        }),
    })
}

/// S4: root, com. and hasan.com servers, a recursive resolver, two PCs.
pub fn s4() -> Lab {
    let mut b = B::new("S4 — DNS, names to addresses").named("S4 — DNS, dari nama ke alamat");
    b.dev(DeviceKind::Router, "Router0", 400.0, 250.0)
        .dev(DeviceKind::Switch, "Switch0", 200.0, 250.0)
        .dev(DeviceKind::Server, "Resolver", 200.0, 100.0)
        .dev(DeviceKind::Pc, "PC0", 100.0, 400.0)
        .dev(DeviceKind::Pc, "PC1", 300.0, 400.0)
        .dev(DeviceKind::Server, "RootDNS", 600.0, 100.0)
        .dev(DeviceKind::Server, "ComDNS", 650.0, 250.0)
        .dev(DeviceKind::Server, "HasanDNS", 600.0, 400.0)
        .ip("Router0", 0, "10.0.0.1/24", None, &[])
        .ip("Router0", 1, "198.41.0.1/24", None, &[])
        .ip("Router0", 2, "192.5.6.1/24", None, &[])
        .ip("Router0", 3, "10.0.3.1/24", None, &[])
        .ip("Resolver", 0, "10.0.0.53/24", Some("10.0.0.1"), &[])
        .ip("PC0", 0, "10.0.0.10/24", Some("10.0.0.1"), &["10.0.0.53"])
        .ip("PC1", 0, "10.0.0.11/24", Some("10.0.0.1"), &["10.0.0.53"])
        .ip("RootDNS", 0, "198.41.0.4/24", Some("198.41.0.1"), &[])
        .ip("ComDNS", 0, "192.5.6.30/24", Some("192.5.6.1"), &[])
        .ip("HasanDNS", 0, "10.0.3.53/24", Some("10.0.3.1"), &[])
        .link("Router0", 0, "Switch0", 23)
        .link("Resolver", 0, "Switch0", 0)
        .link("PC0", 0, "Switch0", 1)
        .link("PC1", 0, "Switch0", 2)
        .link("RootDNS", 0, "Router0", 1)
        .link("ComDNS", 0, "Router0", 2)
        .link("HasanDNS", 0, "Router0", 3)
        .svc("RootDNS", |s| s.dns = dns(vec![zone(".", ROOT_ZONE)], None))
        .svc("ComDNS", |s| s.dns = dns(vec![zone("com", COM_ZONE)], None))
        .svc("HasanDNS", |s| {
            s.dns = dns(
                vec![
                    zone("hasan.com", HASAN_ZONE),
                    zone("1.168.192.in-addr.arpa", REVERSE_ZONE),
                ],
                None,
            )
        })
        .svc("Resolver", |s| s.dns = dns(vec![], Some("198.41.0.4")))
        .cmd(1_000, "PC0", "nslookup hasan.com", Expect::Success)
        .cmd(3_000, "PC1", "nslookup hasan.com", Expect::Success)
        .cmd(4_000, "PC0", "nslookup -type=MX hasan.com", Expect::Success)
        .cmd(
            5_000,
            "PC0",
            "nslookup -type=AAAA hasan.com",
            Expect::Success,
        )
        .cmd(6_000, "PC0", "nslookup www.hasan.com", Expect::Success)
        .cmd(
            7_000,
            "PC0",
            "nslookup -type=TXT hasan.com",
            Expect::Success,
        )
        .cmd(
            8_000,
            "PC0",
            "nslookup -type=SRV _imap._tcp.hasan.com",
            Expect::Success,
        )
        .cmd(9_000, "PC0", "nslookup 192.168.1.1", Expect::Success)
        .cmd(
            10_000,
            "PC0",
            "nslookup -type=NS hasan.com 10.0.3.53",
            Expect::Success,
        )
        .cmd(11_000, "PC0", "nslookup nosuch.hasan.com", Expect::Failure)
        .cmd(12_000, "PC1", "ping -n 1 ns1.hasan.com", Expect::Success);
    b.build()
}

/// S7: a host firewall on the server and an access list on the router.
pub fn s7() -> Lab {
    let mut b = B::new("S7 — Firewall").named("S7 — Firewall");
    b.dev(DeviceKind::Server, "Server0", 150.0, 100.0)
        .dev(DeviceKind::Switch, "Switch0", 150.0, 250.0)
        .dev(DeviceKind::Pc, "PC0", 150.0, 400.0)
        .dev(DeviceKind::Router, "Router0", 400.0, 250.0)
        .dev(DeviceKind::Switch, "Switch1", 650.0, 250.0)
        .dev(DeviceKind::Pc, "PC1", 650.0, 400.0)
        .ip("Server0", 0, "192.168.1.1/24", Some("192.168.1.254"), &[])
        .ip("PC0", 0, "192.168.1.10/24", Some("192.168.1.254"), &[])
        .ip("Router0", 0, "192.168.1.254/24", None, &[])
        .ip("Router0", 1, "192.168.2.1/24", None, &[])
        .ip("PC1", 0, "192.168.2.10/24", Some("192.168.2.1"), &[])
        .link("Server0", 0, "Switch0", 0)
        .link("PC0", 0, "Switch0", 1)
        .link("Router0", 0, "Switch0", 23)
        .link("Router0", 1, "Switch1", 23)
        .link("PC1", 0, "Switch1", 0)
        .svc("Server0", |s| {
            s.http = web(&[("index.html", HOME)]);
            s.mail = Some(MailService {
                enabled: true,
                domains: vec!["hasan.com".into()],
                users: vec![MailUser {
                    name: "akbari".into(),
                    domain: "hasan.com".into(),
                    password: "akbari123".into(),
                }],
                ..Default::default()
            });
            s.firewall = Some(HostFirewallConfig {
                enabled: true,
                rules: vec![HostRule::inbound(
                    lanlab_proto::firewall::Action::Deny,
                    RuleProtocol::Tcp,
                    None,
                    Some(PortRange::single(110)),
                )],
                ..Default::default()
            });
        })
        .svc("PC0", |s| {
            s.mail_client = Some(mail_account(
                "Akbari",
                "akbari@hasan.com",
                "akbari",
                "akbari123",
            ));
        })
        .svc("Router0", |s| {
            let mut acl = AclConfig::default();
            let mut mode = ConfigMode::Global;
            for line in [
                "access-list 101 deny tcp 192.168.2.0 0.0.0.255 host 192.168.1.1 eq 80",
                "access-list 101 permit ip any any",
                "interface GigabitEthernet0/1",
                "ip access-group 101 in",
            ] {
                acl.apply_line(&mut mode, line).unwrap();
            }
            s.acl = Some(acl);
        })
        .url(1_000, "PC0", "http://192.168.1.1", Expect::Success)
        .url(2_000, "PC1", "http://192.168.1.1", Expect::Failure)
        .cmd(3_000, "PC1", "ping -n 2 192.168.1.1", Expect::Success)
        .act(
            4_000,
            Action::Send {
                device: "PC0".into(),
                to: "192.168.1.1:110".into(),
                bytes: 20,
            },
            Expect::Failure,
        )
        // The mail client's Receive fails: TCP 110 is blocked on the server.
        .act(
            5_000,
            Action::ReceiveMail {
                device: "PC0".into(),
            },
            Expect::Failure,
        );
    b.build()
}

/// S8: pages by name and address, a wrong name, a stopped server.
pub fn s8() -> Lab {
    let mut b = B::new("S8 — Web server").named("S8 — Server web");
    b.dev(DeviceKind::Server, "Server0", 400.0, 100.0)
        .dev(DeviceKind::Switch, "Switch0", 400.0, 250.0)
        .dev(DeviceKind::Pc, "PC0", 300.0, 400.0)
        .dev(DeviceKind::Laptop, "Laptop0", 500.0, 400.0)
        .ip("Server0", 0, "192.168.1.1/24", None, &[])
        .ip(
            "PC0",
            0,
            "192.168.1.10/24",
            Some("192.168.1.1"),
            &["192.168.1.1"],
        )
        .ip(
            "Laptop0",
            0,
            "192.168.1.11/24",
            Some("192.168.1.1"),
            &["192.168.1.1"],
        )
        .link("Server0", 0, "Switch0", 0)
        .link("PC0", 0, "Switch0", 1)
        .link("Laptop0", 0, "Switch0", 2)
        .svc("Server0", |s| {
            s.dns = dns(vec![zone("hasan.com", HASAN_ZONE_SMALL)], None);
            s.http = web(&[("index.html", HOME), ("about.html", ABOUT)]);
        })
        .url(1_000, "PC0", "hasan.com", Expect::Success)
        .url(
            2_000,
            "Laptop0",
            "http://192.168.1.1/about.html",
            Expect::Success,
        )
        .url(3_000, "PC0", "www.hasan.com/about.html", Expect::Success)
        .url(4_000, "PC0", "hasan.co", Expect::Failure)
        .url(5_000, "PC0", "hasan.com/missing.html", Expect::Failure);
    let mut stopped = b.lab.device_by_name("Server0").unwrap().services.clone();
    if let Some(h) = &mut stopped.http {
        h.enabled = false;
    }
    b.act(
        6_000,
        Action::SetServices {
            device: "Server0".into(),
            services: Box::new(stopped),
        },
        Expect::Any,
    )
    .url(7_000, "PC0", "hasan.com", Expect::Failure);
    b.build()
}

/// S9: two routers configured from scratch at their consoles, the way the
/// course does it; R2 hands out LAN2's addresses.
pub fn s9() -> Lab {
    let mut b = B::new("S9 — Routers configured by IOS commands")
        .named("S9 — Router dikonfigurasi dengan perintah IOS");
    b.dev(DeviceKind::Router, "R1", 250.0, 150.0)
        .dev(DeviceKind::Router, "R2", 550.0, 150.0)
        .dev(DeviceKind::Switch, "SW1", 250.0, 300.0)
        .dev(DeviceKind::Switch, "SW2", 550.0, 300.0)
        .dev(DeviceKind::Pc, "PC1", 250.0, 450.0)
        .dev(DeviceKind::Pc, "PC2", 550.0, 450.0)
        .ip("PC1", 0, "192.168.1.10/24", Some("192.168.1.1"), &[])
        .dhcp_port("PC2")
        .link("R1", 1, "R2", 1)
        .link("R1", 0, "SW1", 0)
        .link("PC1", 0, "SW1", 1)
        .link("R2", 0, "SW2", 0)
        .link("PC2", 0, "SW2", 1);
    // Routers fresh from the box: every interface administratively down.
    for r in ["R1", "R2"] {
        for p in &mut b.d(r).ports {
            p.shutdown = true;
        }
    }
    let r1 = [
        "enable",
        "conf t",
        "hostname R1",
        "int g0/0",
        "ip address 192.168.1.1 255.255.255.0",
        "no shut",
        "int g0/1",
        "ip address 10.0.0.1 255.255.255.252",
        "no shut",
        "exit",
        "ip route 192.168.2.0 255.255.255.0 10.0.0.2",
        "end",
    ];
    let r2 = [
        "enable",
        "conf t",
        "hostname R2",
        "int g0/0",
        "ip address 192.168.2.1 255.255.255.0",
        "no shut",
        "int g0/1",
        "ip address 10.0.0.2 255.255.255.252",
        "no shut",
        "exit",
        "ip route 192.168.1.0 255.255.255.0 10.0.0.1",
        "ip dhcp excluded-address 192.168.2.1 192.168.2.9",
        "ip dhcp pool LAN2",
        "network 192.168.2.0 255.255.255.0",
        "default-router 192.168.2.1",
        "dns-server 192.168.1.10",
        "end",
    ];
    let mut t = b.typed(100, 100, "R1", &r1);
    t = b.typed(t, 100, "R2", &r2);
    // A mistyped line is refused and changes nothing.
    b.cmd(t, "R2", "ip adress 1.2.3.4", Expect::Failure);
    b.cmd(4_000, "PC2", "ipconfig /renew", Expect::Success)
        .cmd(8_000, "PC2", "ping 192.168.1.10", Expect::Success)
        .cmd(12_000, "R1", "show ip route", Expect::Success)
        .cmd(
            12_100,
            "R1",
            "copy running-config startup-config",
            Expect::Success,
        )
        .cmd(12_200, "R1", "reload", Expect::Success)
        .cmd(12_300, "R1", "show ip interface brief", Expect::Success)
        .cmd(15_000, "PC2", "ping 192.168.1.10", Expect::Success)
        // R2 never saved: after reload its configuration is gone.
        .cmd(18_000, "R2", "reload", Expect::Success)
        .cmd(18_100, "R2", "show ip interface brief", Expect::Success)
        .cmd(20_000, "PC2", "ping -n 2 192.168.1.10", Expect::Failure);
    b.build()
}

pub const CONTOH_ZONE: &str = "$TTL 3600\n@ SOA ns1 admin 2026010501 3600 600 86400 300\n@ NS ns1.contoh.id.\nns1 A 198.51.100.10\n@ A 198.51.100.10\nwww A 198.51.100.10\n";

/// S12: a school LAN behind R1 doing PAT to an ISP that has no route back to
/// 192.168.10.0/24; R1 hands out the LAN's addresses and publishes the inside
/// web server as its outside address, port 8080.
pub fn s12() -> Lab {
    let mut b = B::new("S12 — NAT: a school LAN behind one public address")
        .named("S12 — NAT: LAN sekolah di balik satu alamat publik");
    b.dev(DeviceKind::Router, "R1", 300.0, 150.0)
        .dev(DeviceKind::Router, "ISP", 600.0, 150.0)
        .dev(DeviceKind::Switch, "SW1", 300.0, 300.0)
        .dev(DeviceKind::Switch, "SW2", 600.0, 300.0)
        .dev(DeviceKind::Pc, "PC0", 200.0, 450.0)
        .dev(DeviceKind::Pc, "PC1", 300.0, 450.0)
        .dev(DeviceKind::Server, "WebIn", 400.0, 450.0)
        .dev(DeviceKind::Server, "Server0", 600.0, 450.0)
        .dhcp_port("PC0")
        .dhcp_port("PC1")
        .ip("WebIn", 0, "192.168.10.100/24", Some("192.168.10.1"), &[])
        .ip("ISP", 1, "203.0.113.2/30", None, &[])
        .ip("ISP", 0, "198.51.100.1/24", None, &[])
        .ip(
            "Server0",
            0,
            "198.51.100.10/24",
            Some("198.51.100.1"),
            &["198.51.100.10"],
        )
        .link("R1", 0, "SW1", 0)
        .link("PC0", 0, "SW1", 1)
        .link("PC1", 0, "SW1", 2)
        .link("WebIn", 0, "SW1", 3)
        .link("R1", 1, "ISP", 1)
        .link("ISP", 0, "SW2", 0)
        .link("Server0", 0, "SW2", 1)
        .svc("Server0", |s| {
            s.http = web(&[("index.html", HOME)]);
            s.dns = dns(vec![zone("contoh.id", CONTOH_ZONE)], None);
        })
        .svc("WebIn", |s| {
            s.http = web(&[(
                "index.html",
                "<!DOCTYPE html>\n<html><body><p>Server web sekolah (di dalam).</p></body></html>\n",
            )])
        });
    let r1 = [
        "enable",
        "conf t",
        "hostname R1",
        "int g0/0",
        "ip address 192.168.10.1 255.255.255.0",
        "ip nat inside",
        "int g0/1",
        "ip address 203.0.113.1 255.255.255.252",
        "ip nat outside",
        "exit",
        "ip route 0.0.0.0 0.0.0.0 203.0.113.2",
        "ip dhcp excluded-address 192.168.10.1 192.168.10.149",
        "ip dhcp pool SEKOLAH",
        "network 192.168.10.0 255.255.255.0",
        "default-router 192.168.10.1",
        "dns-server 198.51.100.10",
        "exit",
        "access-list 1 permit 192.168.10.0 0.0.0.255",
        "ip nat inside source list 1 interface g0/1 overload",
        "ip nat inside source static tcp 192.168.10.100 80 203.0.113.1 8080",
        "end",
    ];
    b.typed(100, 100, "R1", &r1);
    b.cmd(4_000, "PC0", "ipconfig /renew", Expect::Success)
        .cmd(4_000, "PC1", "ipconfig /renew", Expect::Success)
        .url(8_000, "PC0", "http://www.contoh.id/", Expect::Success)
        .cmd(9_000, "PC1", "ping -n 2 www.contoh.id", Expect::Success)
        .url(
            10_000,
            "Server0",
            "http://203.0.113.1:8080/",
            Expect::Success,
        )
        .cmd(12_000, "R1", "show ip nat translations", Expect::Success)
        .cmd(12_100, "R1", "show ip nat statistics", Expect::Success);
    b.build()
}

/// S13: three routers in a line, one LAN each, RIPv2 with `no
/// auto-summary`, everything typed at the consoles; the LAN interfaces are
/// passive. PC1 pings PC3 across two routers once RIP has converged, and
/// R1's `show ip route` has R lines with [120/hops].
pub fn s13() -> Lab {
    let mut b = B::new("S13 — RIP: three routers learn each other's LANs")
        .named("S13 — RIP: tiga router saling mempelajari LAN");
    b.dev(DeviceKind::Router, "R1", 200.0, 150.0)
        .dev(DeviceKind::Router, "R2", 450.0, 150.0)
        .dev(DeviceKind::Router, "R3", 700.0, 150.0)
        .dev(DeviceKind::Switch, "SW1", 200.0, 300.0)
        .dev(DeviceKind::Switch, "SW2", 450.0, 300.0)
        .dev(DeviceKind::Switch, "SW3", 700.0, 300.0)
        .dev(DeviceKind::Pc, "PC1", 200.0, 450.0)
        .dev(DeviceKind::Pc, "PC2", 450.0, 450.0)
        .dev(DeviceKind::Pc, "PC3", 700.0, 450.0)
        .ip("PC1", 0, "192.168.1.10/24", Some("192.168.1.1"), &[])
        .ip("PC2", 0, "192.168.2.10/24", Some("192.168.2.1"), &[])
        .ip("PC3", 0, "192.168.3.10/24", Some("192.168.3.1"), &[])
        .link("R1", 1, "R2", 1)
        .link("R2", 2, "R3", 1)
        .link("R1", 0, "SW1", 0)
        .link("R2", 0, "SW2", 0)
        .link("R3", 0, "SW3", 0)
        .link("PC1", 0, "SW1", 1)
        .link("PC2", 0, "SW2", 1)
        .link("PC3", 0, "SW3", 1);
    for r in ["R1", "R2", "R3"] {
        for p in &mut b.d(r).ports {
            p.shutdown = true;
        }
    }
    let iface = |name: &str, addr: &str| {
        vec![
            format!("int {name}"),
            format!("ip address {addr} 255.255.255.0"),
            "no shut".to_string(),
        ]
    };
    let rip = |lan: &str| {
        vec![
            "router rip".to_string(),
            "version 2".to_string(),
            format!("network {lan}"),
            "network 10.0.0.0".to_string(),
            "no auto-summary".to_string(),
            "passive-interface g0/0".to_string(),
            "end".to_string(),
        ]
    };
    let mut t = 100;
    for (dev, ifaces, lan) in [
        (
            "R1",
            vec![("g0/0", "192.168.1.1"), ("g0/1", "10.0.12.1")],
            "192.168.1.0",
        ),
        (
            "R2",
            vec![
                ("g0/0", "192.168.2.1"),
                ("g0/1", "10.0.12.2"),
                ("g0/2", "10.0.23.2"),
            ],
            "192.168.2.0",
        ),
        (
            "R3",
            vec![("g0/0", "192.168.3.1"), ("g0/1", "10.0.23.3")],
            "192.168.3.0",
        ),
    ] {
        let mut lines = vec![
            "enable".to_string(),
            "conf t".to_string(),
            format!("hostname {dev}"),
        ];
        for (n, a) in ifaces {
            lines.extend(iface(n, a));
        }
        lines.push("exit".into());
        lines.extend(rip(lan));
        t = b.typed(t, 100, dev, &lines);
    }
    b.cmd(5_000, "R2", "debug ip rip", Expect::Success)
        .cmd(10_000, "PC1", "ping 192.168.3.10", Expect::Success)
        .cmd(12_000, "R1", "show ip route", Expect::Success)
        .cmd(12_100, "R2", "show ip rip database", Expect::Success)
        .cmd(12_200, "R1", "show ip protocols", Expect::Success)
        .cmd(40_000, "R2", "undebug all", Expect::Success)
        .cmd(41_000, "PC3", "tracert 192.168.1.10", Expect::Success);
    b.build()
}

/// S14: R1, R2, R3 in a triangle (10.0.12.0/24, 10.0.23.0/24,
/// 10.0.13.0/24), one LAN each with a PC, and a shared segment
/// 10.0.123.0/24 on SW0 (cost 10, R1 priority 10: DR R1, BDR R3), all in
/// OSPF area 0, configured at the console. At 90 s the R1–R2 cable comes
/// out; R1 reaches R2's LAN through R3 after the dead interval.
pub fn s14() -> Lab {
    let mut b = B::new("S14 — OSPF: three routers, a triangle and a shared segment")
        .named("S14 — OSPF: tiga router, segitiga dan segmen bersama");
    b.dev(DeviceKind::Router, "R1", 200.0, 150.0)
        .dev(DeviceKind::Router, "R2", 500.0, 150.0)
        .dev(DeviceKind::Router, "R3", 350.0, 350.0)
        .dev(DeviceKind::Switch, "SW0", 350.0, 220.0)
        .dev(DeviceKind::Pc, "PC1", 60.0, 150.0)
        .dev(DeviceKind::Pc, "PC2", 640.0, 150.0)
        .dev(DeviceKind::Pc, "PC3", 350.0, 480.0)
        .ip("PC1", 0, "192.168.1.10/24", Some("192.168.1.1"), &[])
        .ip("PC2", 0, "192.168.2.10/24", Some("192.168.2.1"), &[])
        .ip("PC3", 0, "192.168.3.10/24", Some("192.168.3.1"), &[])
        .link("R1", 0, "R2", 0)
        .link("R2", 1, "R3", 1)
        .link("R1", 1, "R3", 0)
        .link("R1", 2, "PC1", 0)
        .link("R2", 2, "PC2", 0)
        .link("R3", 2, "PC3", 0)
        .link("R1", 3, "SW0", 0)
        .link("R2", 3, "SW0", 1)
        .link("R3", 3, "SW0", 2);
    let conf = |n: u8, a: &str, b2: &str, prio: Option<&str>| {
        let mut v = vec![
            "enable".to_string(),
            "conf t".into(),
            format!("hostname R{n}"),
            "int g0/0".into(),
            format!("ip address {a} 255.255.255.0"),
            "no shutdown".into(),
            "int g0/1".into(),
            format!("ip address {b2} 255.255.255.0"),
            "no shutdown".into(),
            "int g0/2".into(),
            format!("ip address 192.168.{n}.1 255.255.255.0"),
            "no shutdown".into(),
            "int g0/3".into(),
            format!("ip address 10.0.123.{n} 255.255.255.0"),
            "ip ospf cost 10".into(),
        ];
        if let Some(p) = prio {
            v.push(p.into());
        }
        v.extend([
            "no shutdown".into(),
            "exit".into(),
            "router ospf 1".into(),
            format!("router-id {n}.{n}.{n}.{n}"),
            "network 10.0.0.0 0.255.255.255 area 0".into(),
            format!("network 192.168.{n}.0 0.0.0.255 area 0"),
            "passive-interface g0/2".into(),
            "end".into(),
        ]);
        v
    };
    let mut t = 100;
    for (n, a, b2, prio) in [
        (1, "10.0.12.1", "10.0.13.1", Some("ip ospf priority 10")),
        (2, "10.0.12.2", "10.0.23.2", None),
        (3, "10.0.13.3", "10.0.23.3", None),
    ] {
        let dev = format!("R{n}");
        t = b.typed(t, 50, &dev, &conf(n, a, b2, prio));
    }
    b.cmd(70_000, "R1", "show ip ospf neighbor", Expect::Success)
        .cmd(
            70_100,
            "R1",
            "show ip ospf interface brief",
            Expect::Success,
        )
        .cmd(70_200, "R1", "show ip route", Expect::Success)
        .cmd(70_300, "R2", "show ip ospf database", Expect::Success)
        .cmd(71_000, "PC1", "ping 192.168.2.10", Expect::Success)
        .cmd(72_000, "PC1", "ping 192.168.3.10", Expect::Success)
        .cmd(80_000, "R1", "debug ip ospf adj", Expect::Success)
        .act(
            90_000,
            Action::Unplug {
                port: PortRef {
                    device: "R1".into(),
                    port: "GigabitEthernet0/0".into(),
                },
            },
            Expect::Any,
        )
        .cmd(150_000, "R1", "show ip route", Expect::Success)
        .cmd(151_000, "PC1", "ping 192.168.2.10", Expect::Success);
    b.build()
}

/// S10: two switches joined by a trunk, VLAN 10 STAFF and VLAN 20
/// STUDENTS on both, R1 as router on a stick (g0/0.10, g0/0.20), and one
/// DHCP server in VLAN 10 for both VLANs through R1's helper on g0/0.20.
/// The trunk forwards VLANs 10 and 20 after 30 s of spanning tree; the
/// PCs' and the router's ports are edge ports and forward at once.
pub fn s10() -> Lab {
    use lanlab_sim::vlan::{PortMode, SubIf, SwitchPort, VlanSettings};
    let mut b =
        B::new("S10 — VLANs and a router on a stick").named("S10 — VLAN dan router on a stick");
    b.dev(DeviceKind::Router, "R1", 400.0, 80.0)
        .dev(DeviceKind::Switch, "SW1", 250.0, 250.0)
        .dev(DeviceKind::Switch, "SW2", 550.0, 250.0)
        .dev(DeviceKind::Pc, "PC0", 100.0, 420.0)
        .dev(DeviceKind::Server, "Server0", 250.0, 420.0)
        .dev(DeviceKind::Pc, "PC1", 380.0, 420.0)
        .dev(DeviceKind::Pc, "PC2", 500.0, 420.0)
        .dev(DeviceKind::Pc, "PC3", 650.0, 420.0)
        .dhcp_port("PC0")
        .dhcp_port("PC1")
        .ip("Server0", 0, "192.168.10.10/24", Some("192.168.10.1"), &[])
        .ip("PC2", 0, "192.168.10.20/24", Some("192.168.10.1"), &[])
        .ip("PC3", 0, "192.168.20.20/24", Some("192.168.20.1"), &[])
        .link("R1", 0, "SW1", 24)
        .link("SW1", 25, "SW2", 24)
        .link("PC0", 0, "SW1", 0)
        .link("Server0", 0, "SW1", 1)
        .link("PC1", 0, "SW1", 10)
        .link("PC2", 0, "SW2", 0)
        .link("PC3", 0, "SW2", 10)
        .svc("Server0", |s| {
            s.dhcp = staff_students_dhcp();
        });
    let switch = |access: &[(usize, u16)], trunks: &[usize]| {
        let mut v = VlanSettings::default();
        v.create_vlan(10).name = "STAFF".into();
        v.create_vlan(20).name = "STUDENTS".into();
        for &(port, vlan) in access {
            let mut p = SwitchPort::new(port);
            p.access = vlan;
            v.set_port(p);
        }
        for &port in trunks {
            let mut p = SwitchPort::new(port);
            p.mode = PortMode::Trunk;
            v.set_port(p);
        }
        v
    };
    b.d("SW1").ios.vlan = switch(&[(0, 10), (1, 10), (10, 20)], &[24, 25]);
    b.d("SW2").ios.vlan = switch(&[(0, 10), (10, 20)], &[24]);
    let sub = |number: u32, addr: &str, helpers: &[&str]| SubIf {
        vlan: Some(number as u16),
        address: Some((ip(addr), ip("255.255.255.0"))),
        helpers: helpers.iter().map(|h| ip(h)).collect(),
        ..SubIf::new(0, number)
    };
    b.d("R1").ios.vlan.subifs = vec![
        sub(10, "192.168.10.1", &[]),
        sub(20, "192.168.20.1", &["192.168.10.10"]),
    ];
    b.cmd(1_000, "PC0", "ipconfig /renew", Expect::Success)
        .cmd(1_000, "PC1", "ipconfig /renew", Expect::Success)
        // Same VLAN across the trunk, tagged, once spanning tree (802.1D
        // per VLAN: listening and learning, 2 × 15 s) lets it forward.
        .cmd(35_000, "PC0", "ping -n 2 192.168.10.20", Expect::Success)
        .cmd(36_000, "PC1", "ping -n 2 192.168.20.20", Expect::Success)
        // Between VLANs: through R1's sub-interfaces.
        .cmd(38_000, "PC3", "ping -n 2 192.168.10.10", Expect::Success)
        .cmd(39_000, "PC2", "ping -n 2 192.168.20.20", Expect::Success)
        .cmd(40_000, "PC1", "ipconfig", Expect::Success)
        .cmd(41_000, "SW1", "enable", Expect::Success)
        .cmd(41_100, "SW1", "show vlan brief", Expect::Success)
        .cmd(41_200, "SW1", "show interfaces trunk", Expect::Success)
        .cmd(41_300, "SW1", "show mac address-table", Expect::Success)
        .cmd(41_400, "R1", "enable", Expect::Success)
        .cmd(41_500, "R1", "show running-config", Expect::Success)
        .cmd(41_600, "R1", "show ip interface brief", Expect::Success);
    b.build()
}

/// S11: three switches in a triangle (SW1 has the lowest MAC, so it is the
/// root), a PC on SW2 and one on SW3. One port blocks; at 60 s the cable
/// SW1–SW2 is cut and SW3's blocked port reconverges through listening and
/// learning (802.1D: max age 20 s + 2 × 15 s).
pub fn s11() -> Lab {
    let mut b = B::new("S11 — Spanning tree: a triangle of switches")
        .named("S11 — Spanning tree: segitiga switch");
    b.dev(DeviceKind::Switch, "SW1", 400.0, 120.0)
        .dev(DeviceKind::Switch, "SW2", 220.0, 330.0)
        .dev(DeviceKind::Switch, "SW3", 580.0, 330.0)
        .dev(DeviceKind::Pc, "PC0", 220.0, 480.0)
        .dev(DeviceKind::Pc, "PC1", 580.0, 480.0)
        .ip("PC0", 0, "192.168.1.10/24", None, &[])
        .ip("PC1", 0, "192.168.1.11/24", None, &[])
        .link("SW1", 0, "SW2", 0)
        .link("SW2", 1, "SW3", 1)
        .link("SW3", 0, "SW1", 1)
        .link("PC0", 0, "SW2", 2)
        .link("PC1", 0, "SW3", 2);
    b.cmd(31_000, "PC0", "ping -n 2 192.168.1.11", Expect::Success)
        .act(
            60_000,
            Action::Unplug {
                port: PortRef {
                    device: "SW1".into(),
                    port: "FastEthernet0/1".into(),
                },
            },
            Expect::Success,
        )
        .cmd(62_000, "PC0", "ping -n 2 192.168.1.11", Expect::Failure)
        .cmd(112_000, "PC0", "ping -n 2 192.168.1.11", Expect::Success);
    b.build()
}

/// Every example lab this crate owns, by file name.
pub fn all() -> Vec<(&'static str, Lab)> {
    vec![
        ("s1-one-server.json", s1()),
        ("s3-dhcp.json", s3()),
        ("s4-dns.json", s4()),
        ("s7-firewall.json", s7()),
        ("s8-web.json", s8()),
        ("s9-cli.json", s9()),
        ("s10-vlan.json", s10()),
        ("s11-stp.json", s11()),
        ("s12-nat.json", s12()),
        ("s13-rip.json", s13()),
        ("s14-ospf.json", s14()),
    ]
}

/// Loads a lab file from `public/labs/`.
pub fn load(name: &str) -> Lab {
    let path = format!("{}/../../public/labs/{name}", env!("CARGO_MANIFEST_DIR"));
    Lab::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// What every job that ran `line` on `dev` printed, oldest first.
pub fn outputs(e: &Engine, dev: &str, line: &str) -> Vec<String> {
    let id = e.lab().device_by_name(dev).unwrap().id;
    e.jobs()
        .iter()
        .filter(|j| j.device == id && j.line == line)
        .map(|j| j.output.clone())
        .collect()
}

/// What the `nth` job (from 0) that ran `line` on `dev` printed.
pub fn output_nth(e: &Engine, dev: &str, line: &str, nth: usize) -> String {
    outputs(e, dev, line)
        .into_iter()
        .nth(nth)
        .unwrap_or_else(|| panic!("no job {dev} {line} (#{nth})"))
}

/// What the first job that ran `line` on `dev` printed.
pub fn output(e: &Engine, dev: &str, line: &str) -> String {
    output_nth(e, dev, line, 0)
}

/// Every trace line and job output of a run.
pub fn transcript(e: &Engine) -> String {
    let mut s = String::new();
    for ev in e.trace().events() {
        s.push_str(&e.describe(ev));
        s.push('\n');
    }
    for j in e.jobs() {
        s.push_str(&format!("\n=== {} ({:?})\n{}", j.line, j.status, j.output));
    }
    s
}

/// Compares a run's transcript with `tests/golden/{name}.txt`, a file
/// reviewed like code; `LANLAB_BLESS=1` rewrites it.
pub fn assert_golden(name: &str, text: &str) {
    let golden = format!("{}/tests/golden/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("LANLAB_BLESS").is_some() {
        std::fs::write(&golden, text).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file (run with LANLAB_BLESS=1)");
    assert!(
        text == want,
        "trace differs from {golden}; review and bless"
    );
}

/// Runs a lab to the end (bounded) and checks each scripted action's
/// command against its `expect`.
pub fn run_checked(lab: &Lab) -> Engine {
    let mut e = Engine::new(lab).unwrap();
    // Services keep timers (leases, retries), so run to a time, not to idle:
    // five minutes after the last scripted action.
    let last = lab.actions.iter().map(|a| a.at_ms).max().unwrap_or(0);
    e.run_until(lanlab_proto::SimTime::from_millis(last + 300_000));
    for j in e.jobs() {
        let Some(k) = j.scripted else { continue };
        let want = lab.actions[k].expect;
        let ok = j.status == lanlab_sim::JobStatus::Succeeded;
        match want {
            Expect::Success => assert!(ok, "{} should succeed:\n{}", j.line, j.output),
            Expect::Failure => assert!(
                j.status == lanlab_sim::JobStatus::Failed,
                "{} should fail:\n{}",
                j.line,
                j.output
            ),
            Expect::Any => {}
        }
    }
    e
}

/// A run's capture written to a temporary pcap file for Wireshark's
/// `tshark` to read; removed when dropped.
pub struct Capture {
    path: std::path::PathBuf,
}

impl Capture {
    /// The engine's whole trace as a pcap file named after `name`, or `None`
    /// (with a notice) when tshark is not installed (`cargo xtask test`
    /// installs it).
    pub fn of(e: &Engine, name: &str) -> Option<Capture> {
        if !std::path::Path::new("/usr/bin/tshark").exists() {
            eprintln!("NOTICE: tshark is not installed; skipping the Wireshark check");
            return None;
        }
        let mut buf = Vec::new();
        lanlab_sim::pcap::write(e.trace(), e.lab().start_unix, None, &mut buf).unwrap();
        let path = std::env::temp_dir().join(format!(
            "lanlab-{name}-{}-{}.pcap",
            std::process::id(),
            e.events_delivered()
        ));
        std::fs::write(&path, &buf).unwrap();
        Some(Capture { path })
    }

    /// tshark's standard output for `-r FILE ARGS…`; panics with its
    /// standard error when it fails.
    pub fn tshark(&self, args: &[&str]) -> String {
        let out = std::process::Command::new("/usr/bin/tshark")
            .arg("-r")
            .arg(&self.path)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
