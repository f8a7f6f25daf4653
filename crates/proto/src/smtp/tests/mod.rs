//! Transcript tests of the SMTP server, one per command and error path.

mod auth;
mod props;
mod relay;
mod telnet;

use crate::StreamServer;
use core::net::{IpAddr, Ipv4Addr};

use super::*;
use crate::SimTime;
use crate::mail::{INBOX, MailStore, Message};

pub(super) fn hasan_store() -> MailStore {
    let mut s = MailStore::new();
    s.add_domain("hasan.com").unwrap();
    s.add_user("hasan.com", "12_5b_01", "kelas5b").unwrap();
    s.add_user("hasan.com", "akbari", "akbari123").unwrap();
    s.set_list(
        "hasan.com",
        "kelas5b",
        vec!["12_5b_01@hasan.com".into(), "akbari@hasan.com".into()],
    )
    .unwrap();
    s
}

pub(super) const PC1: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 11));

/// A server session on a store, read like a telnet transcript.
pub(super) struct Talk {
    pub server: Server,
    pub store: MailStore,
    pub now: SimTime,
    pending: String,
}

impl Talk {
    pub fn with(config: ServerConfig, store: MailStore) -> Talk {
        Talk {
            server: Server::new(config, PC1, SimTime::ZERO),
            store,
            now: SimTime::ZERO,
            pending: String::new(),
        }
    }

    pub fn new() -> Talk {
        let config = ServerConfig {
            hostname: "mail.hasan.com".into(),
            ..ServerConfig::default()
        };
        Talk::with(config, hasan_store())
    }

    pub fn client(&mut self, line: &str) {
        self.raw(&format!("{line}\r\n"));
    }

    pub fn raw(&mut self, bytes: &str) {
        self.server
            .handle_input(self.now, bytes.as_bytes(), &mut self.store);
        while let Some(b) = self.server.poll_output() {
            self.pending.push_str(&String::from_utf8(b).unwrap());
        }
    }

    fn next_line(&mut self) -> String {
        while let Some(b) = self.server.poll_output() {
            self.pending.push_str(&String::from_utf8(b).unwrap());
        }
        let i = self
            .pending
            .find("\r\n")
            .expect("server sent no (more) reply");
        let line = self.pending[..i].to_string();
        self.pending.drain(..i + 2);
        line
    }

    pub fn expect_server(&mut self, want: &str) {
        let got = self.next_line();
        assert!(
            got == want || (want.ends_with('…') && got.starts_with(want.trim_end_matches('…'))),
            "server said {got:?}, expected {want:?}"
        );
    }

    pub fn expect_server_lines(&mut self, want: &[&str]) {
        for w in want {
            self.expect_server(w);
        }
    }

    pub fn expect_silence(&mut self) {
        assert!(
            self.server.poll_output().is_none() && self.pending.is_empty(),
            "unexpected {:?}",
            self.pending
        );
    }

    pub fn notes(&mut self) -> Vec<String> {
        std::iter::from_fn(|| self.server.poll_note())
            .map(|n| n.to_string())
            .collect()
    }

    pub fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.server.poll_event()).collect()
    }

    pub fn hello(&mut self) {
        self.expect_server("220 mail.hasan.com ESMTP lanlab ready");
        self.client("HELO pc1");
        self.expect_server("250 mail.hasan.com Hello pc1");
    }
}

#[test]
fn greeting_ehlo_lists_extensions() {
    let mut t = Talk::new();
    t.expect_server("220 mail.hasan.com ESMTP lanlab ready");
    t.client("ehlo pc1");
    t.expect_server_lines(&[
        "250-mail.hasan.com Hello pc1",
        "250-SIZE 10485760",
        "250-8BITMIME",
        "250-PIPELINING",
        "250-ENHANCEDSTATUSCODES",
        "250 HELP",
    ]);
    t.client("HELO");
    t.expect_server("501 5.5.4 HELO needs your host name");
    t.client("HELO two words");
    t.expect_server("501 5.5.4 Syntax: HELO/EHLO your-host-name");
    t.client("HELO pc1");
    t.expect_server("250 mail.hasan.com Hello pc1");
}

#[test]
fn s1_akbari_sends_tes_email_to_12_5b_01() {
    let mut t = Talk::new();
    t.hello();
    t.now = SimTime::from_secs(3);
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("250 2.1.0 Ok");
    t.client("RCPT TO:<12_5b_01@hasan.com>");
    t.expect_server("250 2.1.5 Ok");
    t.client("DATA");
    t.expect_server("354 End data with <CR><LF>.<CR><LF>");
    t.client("From: akbari@hasan.com");
    t.client("To: 12_5b_01@hasan.com");
    t.client("Subject: Tes Email");
    t.client("");
    t.client("Halo, ini tes.");
    t.client("..titik di awal");
    t.client(".");
    t.expect_server("250 2.0.0 Ok: queued as 2DC6C0.1");
    t.client("QUIT");
    t.expect_server("221 2.0.0 Bye");
    assert!(t.server.is_closed());
    let id = t.store.find_login("12_5b_01").unwrap();
    let m = t.store.folder(&id, INBOX).unwrap().get(1).unwrap().clone();
    assert_eq!(m.internal_date, SimTime::from_secs(3));
    assert!(m.raw.starts_with(
        "Received: from pc1 ([192.168.1.11])\r\n\tby mail.hasan.com (lanlab) with SMTP id 2DC6C0.1\r\n\
         \tfor <12_5b_01@hasan.com>;\r\n\tMon, 5 Jan 2026 08:00:03 +0000\r\n"
    ));
    let msg = Message::parse(&m.raw);
    assert_eq!(msg.subject().as_deref(), Some("Tes Email"));
    assert_eq!(
        msg.body, "Halo, ini tes.\r\n.titik di awal\r\n",
        "dot-unstuffed"
    );
    let notes = t.notes();
    assert!(notes.contains(&"RCPT 12_5b_01@hasan.com: local user, accepted".to_string()));
    assert!(notes.contains(&"message filed in 12_5b_01@hasan.com's INBOX as UID 1".to_string()));
    let ev = t.events();
    assert!(matches!(&ev[0], Event::Delivered { uid: 1, .. }));
    assert_eq!(ev[1], Event::Closed);
    t.client("NOOP");
    t.expect_silence();
}

#[test]
fn commands_out_of_order_get_503() {
    let mut t = Talk::new();
    t.expect_server("220 mail.hasan.com ESMTP lanlab ready");
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("503 5.5.1 Error: send HELO/EHLO first");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.expect_server("503 5.5.1 Error: send HELO/EHLO first");
    t.client("HELO pc1");
    t.expect_server("250 mail.hasan.com Hello pc1");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.expect_server("503 5.5.1 Error: need MAIL command");
    t.client("DATA");
    t.expect_server("503 5.5.1 Error: need MAIL command");
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("250 2.1.0 Ok");
    t.client("DATA");
    t.expect_server("503 5.5.1 Error: need RCPT command");
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("503 5.5.1 Error: nested MAIL command");
    assert!(
        t.notes()
            .contains(&"DATA out of order: RCPT first (503)".to_string())
    );
}

#[test]
fn syntax_errors_unknown_commands_and_long_lines() {
    let mut t = Talk::new();
    t.hello();
    t.client("FOO bar");
    t.expect_server("500 5.5.2 Error: command not recognized");
    t.client("MAIL akbari@hasan.com");
    t.expect_server("501 5.5.4 Syntax: MAIL FROM:<address>");
    t.client("MAIL FROM:<not an address>");
    t.expect_server("553 5.1.3 address \"<not an address>\" has no @domain");
    t.client("MAIL FROM:<a@b.com> SIZE=lots");
    t.expect_server("501 5.5.4 SIZE=lots is not a number");
    t.client("MAIL FROM:<a@b.com> XFOO=1");
    t.expect_server("555 5.5.4 Unsupported option: XFOO=1");
    t.client("DATA now");
    t.expect_server("501 5.5.4 DATA takes no argument");
    t.client(&format!("NOOP {}", "x".repeat(1100)));
    t.expect_server("500 5.5.2 Error: line too long");
    t.client("STARTTLS");
    t.expect_server("502 5.5.1 Error: command not implemented: STARTTLS");
    // The session goes on, and verbs are case-insensitive.
    t.client("mail from:<AKBARI@hasan.com> body=8bitmime");
    t.expect_server("250 2.1.0 Ok");
    t.client("rcpt to:12_5b_01@hasan.com");
    t.expect_server("250 2.1.5 Ok");
    t.client("Rset");
    t.expect_server("250 2.0.0 Ok");
    t.client("noop");
    t.expect_server("250 2.0.0 Ok");
}

#[test]
fn unknown_user_550_and_no_valid_recipients_554() {
    let mut t = Talk::new();
    t.hello();
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("250 2.1.0 Ok");
    t.client("RCPT TO:<ghost@hasan.com>");
    t.expect_server("550 5.1.1 <ghost@hasan.com>: Recipient address rejected: User unknown in local recipient table");
    t.client("DATA");
    t.expect_server("554 5.5.1 Error: no valid recipients");
    assert!(
        t.notes().contains(
            &"RCPT ghost@hasan.com: hasan.com is local but has no such user, rejected (550)"
                .to_string()
        )
    );
}

#[test]
fn relay_policy_decides_foreign_recipients() {
    // Local sender: accepted for relay with 251 and handed to the host.
    let mut t = Talk::new();
    t.hello();
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("250 2.1.0 Ok");
    t.client("RCPT TO:<jpri@dadali.com>");
    t.expect_server("251 2.1.5 User not local; will forward to <jpri@dadali.com>");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.expect_server("250 2.1.5 Ok");
    t.client("DATA");
    t.expect_server("354 End data with <CR><LF>.<CR><LF>");
    t.raw("Subject: hi\r\n\r\nhello\r\n.\r\n");
    t.expect_server("250 2.0.0 Ok: queued as 0.1");
    let notes = t.notes();
    assert!(notes.contains(&"RCPT jpri@dadali.com: foreign domain, will relay via MX".to_string()));
    assert!(notes.contains(&"message for jpri@dadali.com put in the relay queue".to_string()));
    let ev = t.events();
    assert!(matches!(&ev[0], Event::Delivered { .. }));
    let Event::Relay(env) = &ev[1] else {
        panic!("{ev:?}")
    };
    assert_eq!(env.to.len(), 1);
    assert_eq!(env.to[0].to_string(), "jpri@dadali.com");
    assert!(env.data.starts_with("Received: from pc1"));

    // Foreign sender to a foreign domain: relay access denied.
    t.client("MAIL FROM:<spam@evil.com>");
    t.expect_server("250 2.1.0 Ok");
    t.client("RCPT TO:<jpri@dadali.com>");
    t.expect_server("550 5.7.1 <jpri@dadali.com>: Relay access denied");

    // Deny: 551; Open: 251; Networks: by client address.
    for (policy, want) in [
        (
            RelayPolicy::Deny,
            "551 5.7.1 <x@y.org>: User not local; relaying not permitted",
        ),
        (
            RelayPolicy::Open,
            "251 2.1.5 User not local; will forward to <x@y.org>",
        ),
        (
            RelayPolicy::Networks(vec![Subnet {
                addr: Ipv4Addr::new(192, 168, 1, 0),
                prefix: 24,
            }]),
            "251 2.1.5 User not local; will forward to <x@y.org>",
        ),
        (
            RelayPolicy::Networks(vec![Subnet {
                addr: Ipv4Addr::new(10, 0, 0, 0),
                prefix: 8,
            }]),
            "550 5.7.1 <x@y.org>: Relay access denied",
        ),
    ] {
        let config = ServerConfig {
            hostname: "mail.hasan.com".into(),
            relay: policy,
            ..ServerConfig::default()
        };
        let mut t = Talk::with(config, hasan_store());
        t.hello();
        t.client("MAIL FROM:<someone@else.net>");
        t.expect_server("250 2.1.0 Ok");
        t.client("RCPT TO:<x@y.org>");
        t.expect_server(want);
    }
}

#[test]
fn size_limit_552() {
    let config = ServerConfig {
        hostname: "mail.hasan.com".into(),
        max_message_size: 100,
        ..ServerConfig::default()
    };
    let mut t = Talk::with(config, hasan_store());
    t.hello();
    t.client("MAIL FROM:<akbari@hasan.com> SIZE=5000");
    t.expect_server("552 5.3.4 Message size exceeds fixed limit");
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("250 2.1.0 Ok");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.expect_server("250 2.1.5 Ok");
    t.client("DATA");
    t.expect_server("354 End data with <CR><LF>.<CR><LF>");
    for _ in 0..10 {
        t.client("0123456789012345678901234567890123456789");
    }
    t.client(".");
    t.expect_server("552 5.3.4 Message size exceeds fixed limit");
    let id = t.store.find_login("akbari").unwrap();
    assert!(t.store.folder(&id, INBOX).unwrap().is_empty());
    // A new transaction may start.
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("250 2.1.0 Ok");
}

#[test]
fn long_text_line_refuses_message() {
    let mut t = Talk::new();
    t.hello();
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.client("DATA");
    t.expect_server_lines(&["250 2.1.0 Ok", "250 2.1.5 Ok", "354 …"]);
    t.client(&"y".repeat(1200));
    t.client(".");
    t.expect_server("500 5.6.0 Line too long (more than 1000 octets): message refused");
}

#[test]
fn too_many_recipients_452() {
    let config = ServerConfig {
        hostname: "mail.hasan.com".into(),
        max_recipients: 1,
        ..ServerConfig::default()
    };
    let mut t = Talk::with(config, hasan_store());
    t.hello();
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.client("RCPT TO:<12_5b_01@hasan.com>");
    t.expect_server_lines(&["250 …", "250 …", "452 4.5.3 Error: too many recipients"]);
}

#[test]
fn help_vrfy_expn() {
    let mut t = Talk::new();
    t.hello();
    t.client("HELP");
    t.expect_server_lines(&[
        "214-2.0.0 Commands:",
        "214-2.0.0   HELO EHLO MAIL RCPT DATA",
        "214-2.0.0   RSET NOOP QUIT HELP VRFY EXPN",
        "214 2.0.0 End of HELP info",
    ]);
    t.client("help rcpt");
    t.expect_server("214 2.0.0 RCPT TO:<recipient@domain>: add a recipient");
    t.client("HELP XYZZY");
    t.expect_server("504 5.5.4 HELP topic unknown");
    t.client("VRFY akbari");
    t.expect_server("250 2.1.5 akbari <akbari@hasan.com>");
    t.client("VRFY <12_5B_01@hasan.com>");
    t.expect_server("250 2.1.5 12_5b_01 <12_5b_01@hasan.com>");
    t.client("VRFY ghost");
    t.expect_server("550 5.1.1 ghost: no such user here");
    t.client("VRFY jpri@dadali.com");
    t.expect_server("252 2.0.0 Cannot VRFY <jpri@dadali.com>: not local, will attempt delivery");
    t.client("VRFY");
    t.expect_server("501 5.5.4 VRFY needs a user name or address");
    t.client("EXPN kelas5b");
    t.expect_server_lines(&[
        "250-2.1.5 <12_5b_01@hasan.com>",
        "250 2.1.5 <akbari@hasan.com>",
    ]);
    t.client("EXPN akbari");
    t.expect_server("550 5.1.1 akbari: no such mailing list");
    let config = ServerConfig {
        vrfy: false,
        expn: false,
        hostname: "mail.hasan.com".into(),
        ..ServerConfig::default()
    };
    let mut t = Talk::with(config, hasan_store());
    t.hello();
    t.client("VRFY akbari");
    t.expect_server("252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery");
    t.client("EXPN kelas5b");
    t.expect_server("502 5.5.1 EXPN not allowed");
}

#[test]
fn list_recipient_delivers_to_members() {
    let mut t = Talk::new();
    t.hello();
    t.raw("MAIL FROM:<akbari@hasan.com>\r\nRCPT TO:<kelas5b@hasan.com>\r\nDATA\r\nSubject: x\r\n\r\nhi\r\n.\r\n");
    t.expect_server_lines(&[
        "250 …",
        "250 2.1.5 Ok",
        "354 …",
        "250 2.0.0 Ok: queued as 0.1",
    ]);
    for u in ["akbari", "12_5b_01"] {
        let id = t.store.find_login(u).unwrap();
        assert_eq!(t.store.folder(&id, INBOX).unwrap().len(), 1, "{u}");
    }
}

#[test]
fn pipelined_and_byte_by_byte_input() {
    let mut t = Talk::new();
    t.expect_server("220 mail.hasan.com ESMTP lanlab ready");
    let script = "EHLO pc1\r\nMAIL FROM:<akbari@hasan.com>\r\nRCPT TO:<akbari@hasan.com>\r\nDATA\r\nSubject: x\r\n\r\n.\r\nNOOP\r\n";
    for b in script.bytes() {
        t.raw(std::str::from_utf8(&[b]).unwrap());
    }
    t.expect_server_lines(&[
        "250-…",
        "250-…",
        "250-…",
        "250-…",
        "250-…",
        "250 HELP",
        "250 …",
        "250 …",
        "354 …",
        "250 2.0.0 Ok: queued as 0.1",
        "250 2.0.0 Ok",
    ]);
}

#[test]
fn rset_and_helo_reset_the_transaction() {
    let mut t = Talk::new();
    t.hello();
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.client("RSET");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.expect_server_lines(&[
        "250 …",
        "250 2.0.0 Ok",
        "503 5.5.1 Error: need MAIL command",
    ]);
    t.client("MAIL FROM:<>");
    t.client("EHLO again");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.expect_server_lines(&[
        "250 2.1.0 Ok",
        "250-…",
        "250-…",
        "250-…",
        "250-…",
        "250-…",
        "250 HELP",
        "503 …",
    ]);
}

#[test]
fn postmaster_without_domain_is_accepted() {
    let mut t = Talk::new();
    t.store.add_user("hasan.com", "postmaster", "pm").unwrap();
    t.hello();
    t.client("MAIL FROM:<>");
    t.client("RCPT TO:<Postmaster>");
    t.expect_server_lines(&["250 2.1.0 Ok", "250 2.1.5 Ok"]);
}

#[test]
fn idle_timeout_421() {
    let mut t = Talk::new();
    t.expect_server("220 …");
    assert_eq!(t.server.poll_timeout(), Some(SimTime::from_secs(300)));
    t.server
        .handle_timeout(SimTime::from_secs(299), &mut t.store);
    t.expect_silence();
    t.server
        .handle_timeout(SimTime::from_secs(300), &mut t.store);
    t.expect_server("421 4.4.2 mail.hasan.com Error: timeout exceeded");
    assert!(t.server.is_closed());
    assert_eq!(t.server.poll_timeout(), None);
    assert!(
        t.notes()
            .contains(&"no command for 300 s: closing (421)".to_string())
    );
}

#[test]
fn multibyte_after_verb_and_vanished_mailbox() {
    let mut t = Talk::new();
    t.hello();
    t.client("MAIL FROMé");
    t.expect_server("501 5.5.4 Syntax: MAIL FROM:<address>");
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.client("DATA");
    t.expect_server_lines(&["250 …", "250 …", "354 …"]);
    let id = t.store.find_login("akbari").unwrap();
    t.store.remove_user(&id).unwrap();
    t.client("Subject: x");
    t.client(".");
    t.expect_server("451 4.3.0 Requested action aborted: local error in processing");
}

#[test]
fn reply_parser_and_codes() {
    let mut p = ReplyParser::default();
    assert_eq!(p.line("250-a").unwrap(), None);
    let r = p.line("250 b").unwrap().unwrap();
    assert_eq!(r.code, ReplyCode::Ok);
    assert_eq!(r.lines, ["a", "b"]);
    assert_eq!(
        String::from_utf8(r.to_wire()).unwrap(),
        "250-a\r\n250 b\r\n"
    );
    assert!(p.line("hello").is_err());
    assert_eq!(ReplyCode::from_code(299), ReplyCode::Unknown(299));
    assert!(ReplyCode::from_code(451).is_transient());
    assert_eq!(dot_stuff(".a\nb"), "..a\r\nb\r\n.\r\n");
}

/// Replies written byte by byte are the text `format!` made of them.
#[test]
fn wire_replies_are_the_formatted_text() {
    use super::reply::{Reply, ReplyCode as C};
    let codes = [
        C::SystemStatus,
        C::Ready,
        C::Ok,
        C::AuthContinue,
        C::StartMailInput,
        C::LocalError,
        C::SyntaxError,
        C::BadSequence,
        C::AuthRequired,
    ];
    let texts: [&[&str]; 5] = [
        &[],
        &[""],
        &["2.0.0", " ", "Ok: queued as 1F.2"],
        &["mail.b.lab Hello ", "pc"],
        &["ä €", "", " x"],
    ];
    for code in codes {
        for parts in texts {
            let want = format!("{} {}\r\n", code.code(), parts.concat());
            assert_eq!(
                Reply::line_wire(code, parts),
                want.as_bytes(),
                "{code:?} {parts:?}"
            );
            let one = Reply::new(code, parts.concat()).to_wire();
            assert_eq!(one, want.as_bytes(), "{code:?} {parts:?}");
            let lines: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
            let mut want = String::new();
            for (i, l) in lines.iter().enumerate() {
                let sep = if i + 1 < lines.len() { '-' } else { ' ' };
                want.push_str(&format!("{}{sep}{l}\r\n", code.code()));
            }
            if lines.is_empty() {
                want = format!("{} \r\n", code.code());
            }
            assert_eq!(
                Reply::multi(code, lines).to_wire(),
                want.as_bytes(),
                "{code:?}"
            );
        }
    }
}
