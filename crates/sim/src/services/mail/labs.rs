//! The mail labs of SCENARIOS.md built in code: S1 (mail half), S2, S5
//! and S6. The example files in `public/labs/` are these, written out; the
//! scenario tests and the `mail-burst` benchmark use them too.

use lanlab_proto::dns::{Name, Zone, zonefile::parse_zone};

use super::MailService;
use crate::action::{Action, Expect, ScriptedAction};
use crate::lab::{Lab, Point};
use crate::mailclient::{IncomingProto, MailAccount};
use crate::services::DnsService;
use crate::testnet::TestNet;

/// A mail account for a lab's PC.
pub fn account(
    name: &str,
    address: &str,
    server: &str,
    user: &str,
    password: &str,
    incoming: IncomingProto,
) -> MailAccount {
    MailAccount {
        display_name: name.to_string(),
        address: address.to_string(),
        incoming_server: server.to_string(),
        incoming,
        outgoing_server: server.to_string(),
        user: user.to_string(),
        password: password.to_string(),
        ..Default::default()
    }
}

/// An authoritative zone with `MX 10 mail.<domain>` and `A mail <addr>`.
pub fn mail_zone(domain: &str, mail_addr: &str) -> Zone {
    let origin = Name::parse(domain).expect("a domain name");
    let text = format!(
        "@ 3600 IN MX 10 mail.{domain}.\nmail 3600 IN A {mail_addr}\n@ 3600 IN A {mail_addr}\n"
    );
    parse_zone(&origin, &text).expect("zone text")
}

fn place(lab: &mut Lab, at: &[(&str, f64, f64)]) {
    for (name, x, y) in at {
        let id = lab.device_by_name(name).expect("device").id;
        lab.device_mut(id).expect("device").pos = Point { x: *x, y: *y };
    }
}

fn act(at_ms: u64, action: Action, expect: Expect) -> ScriptedAction {
    ScriptedAction {
        at_ms,
        action,
        expect,
    }
}

/// S1, mail half: `Server0` (192.168.1.1) serves `hasan.com` with users
/// `12_5b_01`/`kelas5b` and `akbari`/`akbari123`; PC1 (akbari) sends
/// `Tes Email` to `12_5b_01@hasan.com`; PC0 presses Receive (POP3).
pub fn s1_mail() -> Lab {
    let mut lab = TestNet::new()
        .server("Server0", "192.168.1.1/24", None)
        .switch("Switch0", 24)
        .pc("PC0", "192.168.1.10/24", Some("192.168.1.1"))
        .pc("PC1", "192.168.1.11/24", Some("192.168.1.1"))
        .link("Server0", "Switch0")
        .link("PC0", "Switch0")
        .link("PC1", "Switch0")
        .services("Server0", |s| {
            s.mail = Some(MailService::new(
                "hasan.com",
                &[("12_5b_01", "kelas5b"), ("akbari", "akbari123")],
            ));
        })
        .services("PC0", |s| {
            s.mail_client = Some(account(
                "Kelas 5B",
                "12_5b_01@hasan.com",
                "192.168.1.1",
                "12_5b_01",
                "kelas5b",
                IncomingProto::Pop3,
            ));
        })
        .services("PC1", |s| {
            s.mail_client = Some(account(
                "Akbari",
                "akbari@hasan.com",
                "192.168.1.1",
                "akbari",
                "akbari123",
                IncomingProto::Pop3,
            ));
        })
        .into_lab();
    lab.name = "S1 — one server: e-mail".into();
    place(
        &mut lab,
        &[
            ("Server0", 400.0, 120.0),
            ("Switch0", 400.0, 260.0),
            ("PC0", 250.0, 400.0),
            ("PC1", 550.0, 400.0),
        ],
    );
    lab.actions = vec![
        act(
            1000,
            Action::SendMail {
                device: "PC1".into(),
                to: "12_5b_01@hasan.com".into(),
                subject: "Tes Email".into(),
                body: "Halo kelas 5B, ini email percobaan.".into(),
            },
            Expect::Success,
        ),
        act(
            5000,
            Action::ReceiveMail {
                device: "PC0".into(),
            },
            Expect::Success,
        ),
    ];
    lab
}

/// S2: two domains joined by `Router0`, mail relayed by MX through `DNS0`.
pub fn s2_two_domains() -> Lab {
    let mut lab = TestNet::new()
        .router("Router0", &["10.1.0.1/24", "10.2.0.1/24"])
        .switch("SwitchGaruda", 24)
        .switch("SwitchDadali", 24)
        .server("MailGaruda", "10.1.0.25/24", Some("10.1.0.1"))
        .server("DNS0", "10.1.0.53/24", Some("10.1.0.1"))
        .pc("PC-Garuda", "10.1.0.10/24", Some("10.1.0.1"))
        .server("MailDadali", "10.2.0.25/24", Some("10.2.0.1"))
        .pc("PC-Dadali", "10.2.0.10/24", Some("10.2.0.1"))
        .link("Router0", "SwitchGaruda")
        .link("Router0", "SwitchDadali")
        .link("MailGaruda", "SwitchGaruda")
        .link("DNS0", "SwitchGaruda")
        .link("PC-Garuda", "SwitchGaruda")
        .link("MailDadali", "SwitchDadali")
        .link("PC-Dadali", "SwitchDadali")
        .dns("MailGaruda", &["10.1.0.53"])
        .dns("MailDadali", &["10.1.0.53"])
        .dns("PC-Garuda", &["10.1.0.53"])
        .dns("PC-Dadali", &["10.1.0.53"])
        .services("DNS0", |s| {
            s.dns = Some(DnsService {
                enabled: true,
                zones: vec![
                    mail_zone("garudayaksa.com", "10.1.0.25"),
                    mail_zone("dadali.com", "10.2.0.25"),
                ],
                recursive: None,
            });
        })
        .services("MailGaruda", |s| {
            s.mail = Some(MailService::new(
                "garudayaksa.com",
                &[("mbrain", "mbrain1")],
            ));
        })
        .services("MailDadali", |s| {
            s.mail = Some(MailService::new("dadali.com", &[("jpri", "jpri1")]));
        })
        .services("PC-Garuda", |s| {
            s.mail_client = Some(account(
                "M. Brain",
                "mbrain@garudayaksa.com",
                "10.1.0.25",
                "mbrain",
                "mbrain1",
                IncomingProto::Pop3,
            ));
        })
        .services("PC-Dadali", |s| {
            s.mail_client = Some(account(
                "J. Pri",
                "jpri@dadali.com",
                "10.2.0.25",
                "jpri",
                "jpri1",
                IncomingProto::Pop3,
            ));
        })
        .into_lab();
    lab.name = crate::activity::Text::new(
        "S2 — Two domains, mail relayed by MX",
        "S2 — Dua domain, email diteruskan lewat MX",
    );
    place(
        &mut lab,
        &[
            ("Router0", 450.0, 100.0),
            ("SwitchGaruda", 250.0, 250.0),
            ("SwitchDadali", 650.0, 250.0),
            ("MailGaruda", 100.0, 400.0),
            ("DNS0", 250.0, 400.0),
            ("PC-Garuda", 400.0, 400.0),
            ("MailDadali", 550.0, 400.0),
            ("PC-Dadali", 750.0, 400.0),
        ],
    );
    lab.actions = vec![
        act(
            1000,
            Action::SendMail {
                device: "PC-Garuda".into(),
                to: "jpri@dadali.com".into(),
                subject: "Salam dari Garuda".into(),
                body: "Halo jpri, apa kabar?".into(),
            },
            Expect::Success,
        ),
        act(
            10_000,
            Action::ReceiveMail {
                device: "PC-Dadali".into(),
            },
            Expect::Success,
        ),
    ];
    lab
}

/// S5: one mailbox (`12_5b_01@hasan.com`) read from a `Desktop` and a
/// `Laptop`; `Sender` (akbari) puts two messages in it first. Both read
/// over IMAP; the tests switch them to POP3, leave-a-copy and APOP.
pub fn s5_pop3_imap() -> Lab {
    let mut lab = TestNet::new()
        .server("Server0", "192.168.1.1/24", None)
        .switch("Switch0", 24)
        .pc("Desktop", "192.168.1.10/24", Some("192.168.1.1"))
        .pc("Laptop", "192.168.1.11/24", Some("192.168.1.1"))
        .pc("Sender", "192.168.1.12/24", Some("192.168.1.1"))
        .link("Server0", "Switch0")
        .link("Desktop", "Switch0")
        .link("Laptop", "Switch0")
        .link("Sender", "Switch0")
        .services("Server0", |s| {
            s.mail = Some(MailService::new(
                "hasan.com",
                &[("12_5b_01", "kelas5b"), ("akbari", "akbari123")],
            ));
        })
        .services("Desktop", |s| {
            s.mail_client = Some(account(
                "Kelas 5B (desktop)",
                "12_5b_01@hasan.com",
                "192.168.1.1",
                "12_5b_01",
                "kelas5b",
                IncomingProto::Imap,
            ));
        })
        .services("Laptop", |s| {
            s.mail_client = Some(account(
                "Kelas 5B (laptop)",
                "12_5b_01@hasan.com",
                "192.168.1.1",
                "12_5b_01",
                "kelas5b",
                IncomingProto::Imap,
            ));
        })
        .services("Sender", |s| {
            s.mail_client = Some(account(
                "Akbari",
                "akbari@hasan.com",
                "192.168.1.1",
                "akbari",
                "akbari123",
                IncomingProto::Pop3,
            ));
        })
        .into_lab();
    let laptop = lab.device_by_name("Laptop").expect("laptop").id;
    lab.device_mut(laptop).expect("laptop").kind = crate::lab::DeviceKind::Laptop;
    lab.name = crate::activity::Text::new("S5 — POP3 or IMAP", "S5 — POP3 atau IMAP");
    place(
        &mut lab,
        &[
            ("Server0", 400.0, 100.0),
            ("Switch0", 400.0, 250.0),
            ("Desktop", 200.0, 400.0),
            ("Laptop", 400.0, 400.0),
            ("Sender", 600.0, 400.0),
        ],
    );
    let send = |at_ms, subject: &str| {
        act(
            at_ms,
            Action::SendMail {
                device: "Sender".into(),
                to: "12_5b_01@hasan.com".into(),
                subject: subject.into(),
                body: format!("{subject}: isi pesan"),
            },
            Expect::Success,
        )
    };
    let receive = |at_ms, device: &str| {
        act(
            at_ms,
            Action::ReceiveMail {
                device: device.into(),
            },
            Expect::Success,
        )
    };
    lab.actions = vec![
        send(1000, "Tugas 1"),
        send(2000, "Tugas 2"),
        receive(3000, "Desktop"),
        receive(4000, "Laptop"),
    ];
    lab
}

/// S6: talking to the servers by hand. `PC0` opens `telnet 192.168.1.1 25`
/// and types an SMTP dialogue, then POP3 on 110 and IMAP on 143.
pub fn s6_telnet() -> Lab {
    let mut lab = TestNet::new()
        .server("Server0", "192.168.1.1/24", None)
        .switch("Switch0", 24)
        .pc("PC0", "192.168.1.10/24", Some("192.168.1.1"))
        .link("Server0", "Switch0")
        .link("PC0", "Switch0")
        .services("Server0", |s| {
            s.mail = Some(MailService::new(
                "hasan.com",
                &[("12_5b_01", "kelas5b"), ("akbari", "akbari123")],
            ));
        })
        .into_lab();
    lab.name = crate::activity::Text::new(
        "S6 — Talking to servers by hand",
        "S6 — Bicara langsung dengan server",
    );
    place(
        &mut lab,
        &[
            ("Server0", 400.0, 100.0),
            ("Switch0", 400.0, 250.0),
            ("PC0", 400.0, 400.0),
        ],
    );
    let mut at = 1000;
    let mut actions = Vec::new();
    let mut session = |cmd: &str, lines: &[&str], actions: &mut Vec<ScriptedAction>| {
        actions.push(act(
            at,
            Action::Command {
                device: "PC0".into(),
                line: cmd.into(),
            },
            Expect::Success,
        ));
        at += 500;
        for l in lines {
            actions.push(act(
                at,
                Action::Input {
                    device: "PC0".into(),
                    job: None,
                    line: (*l).into(),
                },
                Expect::Any,
            ));
            at += 500;
        }
        at += 1000;
    };
    session(
        "telnet 192.168.1.1 25",
        &[
            "HELO pc0",
            "MAIL FROM:<akbari@hasan.com>",
            "RCPT TO:<nobody@hasan.com>",
            "RCPT TO:<12_5b_01@hasan.com>",
            "DATA",
            "Subject: halo dari telnet",
            "",
            "Ini diketik tangan.",
            ".",
            "QUIT",
        ],
        &mut actions,
    );
    session(
        "telnet 192.168.1.1 110",
        &[
            "USER 12_5b_01",
            "PASS kelas5b",
            "STAT",
            "LIST",
            "TOP 1 0",
            "RETR 1",
            "RETR 9",
            "DELE 1",
            "QUIT",
        ],
        &mut actions,
    );
    session(
        "telnet 192.168.1.1 143",
        &[
            "a1 LOGIN akbari akbari123",
            "a2 LIST \"\" *",
            "a3 SELECT INBOX",
            "a4 BOGUS",
            "a5 LOGOUT",
        ],
        &mut actions,
    );
    lab.actions = actions;
    lab
}
