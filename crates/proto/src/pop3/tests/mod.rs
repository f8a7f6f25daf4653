//! Transcript tests of the POP3 server, one per command and error path.

mod pair;

use super::*;
use crate::SimTime;
use crate::StreamServer;
use crate::mail::{Flag, INBOX, MailStore};

pub(super) fn store_with(msgs: &[&str]) -> MailStore {
    let mut s = MailStore::new();
    s.add_domain("hasan.com").unwrap();
    let id = s.add_user("hasan.com", "akbari", "secret").unwrap();
    s.add_user("hasan.com", "12_5b_01", "kelas5b").unwrap();
    for m in msgs {
        s.deliver(&id, m, SimTime::ZERO).unwrap();
    }
    s
}

/// A POP3 server session read like a telnet transcript.
pub(super) struct Pop3Talk {
    pub server: Server,
    pub store: MailStore,
    pub now: SimTime,
    pending: String,
}

impl Pop3Talk {
    pub fn new(store: MailStore) -> Self {
        Pop3Talk::on(store, "<1.0@hasan.com>")
    }

    pub fn on(store: MailStore, stamp: &str) -> Self {
        Pop3Talk {
            server: Server::new(ServerConfig::default(), stamp.into(), SimTime::ZERO),
            store,
            now: SimTime::ZERO,
            pending: String::new(),
        }
    }

    pub fn client(&mut self, line: &str) {
        self.server
            .handle_input(self.now, format!("{line}\r\n").as_bytes(), &mut self.store);
    }

    fn next_line(&mut self) -> String {
        while let Some(b) = self.server.poll_output() {
            self.pending.push_str(&String::from_utf8(b).unwrap());
        }
        let i = self
            .pending
            .find("\r\n")
            .expect("server sent no (more) response");
        let line = self.pending[..i].to_string();
        self.pending.drain(..i + 2);
        line
    }

    pub fn expect_server(&mut self, want: &str) {
        let got = self.next_line();
        assert_eq!(got, want);
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

    pub fn login(&mut self) {
        self.expect_server("+OK POP3 server ready <1.0@hasan.com>");
        self.client("USER akbari");
        self.expect_server("+OK send PASS");
        self.client("PASS secret");
        let _ = self.next_line();
    }
}

const HI: &str = "Subject: hi\r\n\r\nhello\r\n";

#[test]
fn style_md_transcript() {
    let mut t = Pop3Talk::new(store_with(&[HI]));
    t.expect_server("+OK POP3 server ready <1.0@hasan.com>");
    t.client("USER akbari");
    t.expect_server("+OK send PASS");
    t.client("PASS secret");
    t.expect_server("+OK 1 messages (22 octets)");
    t.client("RETR 1");
    t.expect_server_lines(&["+OK 22 octets", "Subject: hi", "", "hello", "."]);
    t.client("QUIT");
    t.expect_server("+OK POP3 server signing off (1 messages left)");
    assert!(t.server.is_closed());
    let notes = t.notes();
    assert!(
        notes.contains(
            &"user akbari logged in: 1 messages (22 octets), maildrop locked".to_string()
        )
    );
    // RETR marks the message read for IMAP sessions.
    let id = t.store.find_login("akbari").unwrap();
    assert!(
        t.store
            .folder(&id, INBOX)
            .unwrap()
            .get(1)
            .unwrap()
            .flags
            .contains(&Flag::Seen)
    );
}

#[test]
fn stat_list_uidl_top_dele_rset_quit() {
    let two = "Subject: two\r\n\r\nline 1\r\n.dot line\r\nline 3\r\n";
    let mut t = Pop3Talk::new(store_with(&[HI, two]));
    t.login();
    t.client("STAT");
    t.expect_server("+OK 2 65");
    t.client("LIST");
    t.expect_server_lines(&["+OK 2 messages (65 octets)", "1 22", "2 43", "."]);
    t.client("LIST 2");
    t.expect_server("+OK 2 43");
    t.client("LIST 3");
    t.expect_server("-ERR no such message, only 2 messages in maildrop");
    t.client("LIST 0");
    t.expect_server("-ERR LIST: \"0\" is not a message number");
    t.client("UIDL");
    t.expect_server_lines(&["+OK unique-id listing follows", "1 1.1", "2 1.2", "."]);
    t.client("UIDL 2");
    t.expect_server("+OK 2 1.2");
    t.client("TOP 2 1");
    // Was "+OK top of message follows": Wireshark reads the word after
    // "+OK" as the octet count and flagged the reply as an error.
    t.expect_server_lines(&["+OK 24 octets", "Subject: two", "", "line 1", "."]);
    t.client("TOP 2 0");
    t.expect_server_lines(&["+OK 16 octets", "Subject: two", "", "."]);
    t.client("RETR 2");
    t.expect_server_lines(&[
        "+OK 43 octets",
        "Subject: two",
        "",
        "line 1",
        "..dot line",
        "line 3",
        ".",
    ]);
    t.client("DELE 1");
    t.expect_server("+OK message 1 deleted");
    t.client("DELE 1");
    t.expect_server("-ERR message 1 already deleted");
    t.client("RETR 1");
    t.expect_server("-ERR message 1 already deleted");
    t.client("STAT");
    t.expect_server("+OK 1 43");
    t.client("LIST");
    t.expect_server_lines(&["+OK 1 messages (43 octets)", "2 43", "."]);
    t.client("RSET");
    t.expect_server("+OK maildrop has 2 messages (65 octets)");
    t.client("NOOP");
    t.expect_server("+OK");
    t.client("DELE 2");
    t.expect_server("+OK message 2 deleted");
    assert!(t.notes().contains(&"message 2 marked deleted".to_string()));
    let id = t.store.find_login("akbari").unwrap();
    assert_eq!(
        t.store.folder(&id, INBOX).unwrap().len(),
        2,
        "nothing deleted before QUIT"
    );
    t.client("QUIT");
    t.expect_server("+OK POP3 server signing off (1 messages left)");
    let inbox = t.store.folder(&id, INBOX).unwrap();
    assert_eq!(
        inbox.messages().iter().map(|m| m.uid).collect::<Vec<_>>(),
        [1]
    );
    assert!(!t.store.is_locked(&id));
}

#[test]
fn quit_empties_maildrop() {
    let mut t = Pop3Talk::new(store_with(&[HI]));
    t.login();
    t.client("dele 1");
    t.client("quit");
    t.expect_server_lines(&[
        "+OK message 1 deleted",
        "+OK POP3 server signing off (maildrop empty)",
    ]);
}

#[test]
fn capa_in_both_states() {
    let mut t = Pop3Talk::new(store_with(&[]));
    t.expect_server("+OK POP3 server ready <1.0@hasan.com>");
    let capa = [
        "+OK Capability list follows",
        "TOP",
        "USER",
        "UIDL",
        "RESP-CODES",
        "AUTH-RESP-CODE",
        "SASL PLAIN",
        "EXPIRE NEVER",
        "IMPLEMENTATION lanlab",
        ".",
    ];
    t.client("CAPA");
    t.expect_server_lines(&capa);
    t.client("USER akbari");
    t.client("PASS secret");
    t.expect_server_lines(&["+OK send PASS", "+OK 0 messages (0 octets)"]);
    t.client("capa");
    t.expect_server_lines(&capa);
}

#[test]
fn authorization_errors() {
    let mut t = Pop3Talk::new(store_with(&[HI]));
    t.expect_server("+OK POP3 server ready <1.0@hasan.com>");
    t.client("STAT");
    t.expect_server("-ERR command not valid in this state: log in first (USER/PASS or APOP)");
    t.client("PASS secret");
    t.expect_server("-ERR give USER first");
    t.client("USER");
    t.expect_server("-ERR USER takes 1 argument");
    t.client("XYZZY");
    t.expect_server("-ERR unknown command");
    t.client("USER akbari");
    t.client("PASS wrong");
    t.expect_server_lines(&["+OK send PASS", "-ERR [AUTH] invalid user name or password"]);
    t.client("PASS secret");
    t.expect_server("-ERR give USER first");
    t.client("USER ghost");
    t.client("PASS x");
    t.expect_server_lines(&["+OK send PASS", "-ERR [AUTH] invalid user name or password"]);
    t.client(&format!("USER {}", "a".repeat(300)));
    t.expect_server("-ERR line too long");
    t.client("uSeR akbari");
    t.client("pass secret");
    t.expect_server_lines(&["+OK send PASS", "+OK 1 messages (22 octets)"]);
    t.client("USER akbari");
    t.expect_server("-ERR command not valid in this state: already logged in");
    t.client("RETR x");
    t.expect_server("-ERR RETR: \"x\" is not a message number");
    t.client("TOP 1");
    t.expect_server("-ERR TOP takes 2 arguments");
    assert!(
        t.notes()
            .contains(&"login failed for akbari: wrong user name or password".to_string())
    );
}

#[test]
fn apop_rfc1939_example() {
    let mut s = store_with(&[HI]);
    s.add_user("hasan.com", "mrose", "tanstaaf").unwrap();
    let mut t = Pop3Talk::on(s, "<1896.697170952@dbc.mtview.ca.us>");
    t.expect_server("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
    t.client("APOP mrose 00000000000000000000000000000000");
    t.expect_server("-ERR [AUTH] invalid user name or password");
    t.client("APOP mrose c4c9334bac560ecc979e58001b3e22fb");
    t.expect_server("+OK 0 messages (0 octets)");
    assert!(t.notes().iter().any(|n| n == "user mrose logged in with APOP (no password on the wire): 0 messages (0 octets), maildrop locked"));
    assert_eq!(
        apop_stamp(1896, SimTime::from_secs(697_170_952), "dbc.mtview.ca.us"),
        "<1896.697170952@dbc.mtview.ca.us>"
    );
}

#[test]
fn second_login_finds_maildrop_locked() {
    let mut a = Pop3Talk::new(store_with(&[HI]));
    a.login();
    let mut b = Pop3Talk::new(std::mem::take(&mut a.store));
    b.login_expecting("-ERR [IN-USE] maildrop already locked");
    assert!(
        b.notes()
            .contains(&"maildrop of akbari is locked by another session".to_string())
    );
    // When the first session quits the lock is released.
    a.store = std::mem::take(&mut b.store);
    a.client("QUIT");
    a.expect_server("+OK POP3 server signing off (1 messages left)");
    let mut c = Pop3Talk::new(std::mem::take(&mut a.store));
    c.login_expecting("+OK 1 messages (22 octets)");
}

impl Pop3Talk {
    fn login_expecting(&mut self, want: &str) {
        self.expect_server("+OK POP3 server ready <1.0@hasan.com>");
        self.client("USER akbari");
        self.client("PASS secret");
        self.expect_server_lines(&["+OK send PASS", want]);
    }
}

#[test]
fn autologout_after_10_minutes_deletes_nothing() {
    let mut t = Pop3Talk::new(store_with(&[HI]));
    t.login();
    t.now = SimTime::from_secs(60);
    t.client("DELE 1");
    t.expect_server("+OK message 1 deleted");
    assert_eq!(t.server.poll_timeout(), Some(SimTime::from_secs(660)));
    t.server
        .handle_timeout(SimTime::from_secs(659), &mut t.store);
    assert!(!t.server.is_closed());
    t.server
        .handle_timeout(SimTime::from_secs(660), &mut t.store);
    assert!(t.server.is_closed());
    t.expect_silence();
    assert_eq!(
        t.server.poll_event(),
        Some(Event::LoggedIn(t.store.find_login("akbari").unwrap()))
    );
    assert_eq!(t.server.poll_event(), Some(Event::Closed));
    assert!(
        t.notes()
            .contains(&"autologout after 10 min idle (nothing deleted)".to_string())
    );
    let id = t.store.find_login("akbari").unwrap();
    assert_eq!(t.store.folder(&id, INBOX).unwrap().len(), 1);
    assert!(!t.store.is_locked(&id));
}

#[test]
fn connection_lost_deletes_nothing() {
    let mut t = Pop3Talk::new(store_with(&[HI]));
    t.login();
    t.client("DELE 1");
    t.server.handle_end(t.now, &mut t.store);
    let id = t.store.find_login("akbari").unwrap();
    assert_eq!(t.store.folder(&id, INBOX).unwrap().len(), 1);
    assert!(!t.store.is_locked(&id));
}

#[test]
fn message_expunged_by_imap_meanwhile() {
    let mut t = Pop3Talk::new(store_with(&[HI]));
    t.login();
    let id = t.store.find_login("akbari").unwrap();
    t.store.remove_messages(&id, INBOX, &[1]).unwrap();
    t.client("RETR 1");
    t.expect_server("-ERR message 1 no longer exists");
}

#[test]
fn s6_telnet_session_by_hand() {
    let mut t = Pop3Talk::new(store_with(&[HI]));
    t.expect_server("+OK POP3 server ready <1.0@hasan.com>");
    for c in "user akbari\npass secret\nlist\ntop 1 0\ndele 1\nstat\nquit\n".chars() {
        t.server
            .handle_input(t.now, c.to_string().as_bytes(), &mut t.store);
    }
    t.expect_server_lines(&[
        "+OK send PASS",
        "+OK 1 messages (22 octets)",
        "+OK 1 messages (22 octets)",
        "1 22",
        ".",
        "+OK 15 octets",
        "Subject: hi",
        "",
        ".",
        "+OK message 1 deleted",
        "+OK 0 0",
        "+OK POP3 server signing off (maildrop empty)",
    ]);
}

#[test]
fn split_and_joined_input() {
    let mut t = Pop3Talk::new(store_with(&[HI]));
    t.expect_server("+OK POP3 server ready <1.0@hasan.com>");
    for b in b"USER akbari\r\nPASS secret\r\nSTAT\r\n" {
        t.server.handle_input(t.now, &[*b], &mut t.store);
    }
    t.expect_server_lines(&["+OK send PASS", "+OK 1 messages (22 octets)", "+OK 1 22"]);
}

mod props {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn command_parser_never_panics(s in "\\PC{0,300}") {
            let _ = Command::parse(&s);
        }

        #[test]
        fn server_never_panics(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 0..8)) {
            let mut store = store_with(&[HI]);
            let mut s = Server::new(ServerConfig::default(), "<1.0@h>".into(), SimTime::ZERO);
            s.handle_input(SimTime::ZERO, b"USER akbari\r\nPASS secret\r\n", &mut store);
            for c in &chunks {
                s.handle_input(SimTime::ZERO, c, &mut store);
                while s.poll_output().is_some() {}
            }
        }

        #[test]
        fn client_never_panics(leave in any::<bool>(), chunks in proptest::collection::vec(
            prop_oneof![
                Just("+OK ready <1.2@h>\r\n".to_string()), Just("+OK 3 300\r\n".to_string()),
                Just("1 a\r\n".to_string()), Just("99999999999 b\r\n".to_string()), Just(".\r\n".to_string()),
                Just("-ERR no\r\n".to_string()), "\\PC{0,40}\r\n",
            ], 0..30)) {
            let config = ClientConfig { user: "u".into(), password: "p".into(), leave_copy: leave, ..ClientConfig::default() };
            let mut c = Client::new(config, UidlMemory::default(), SimTime::ZERO);
            for ch in &chunks {
                c.handle_input(SimTime::ZERO, ch.as_bytes());
                while c.poll_output().is_some() {}
            }
        }

        #[test]
        fn server_survives_command_soup(lines in proptest::collection::vec(
            prop_oneof![
                Just("USER akbari".to_string()), Just("PASS secret".to_string()),
                Just("DELE 1".to_string()), Just("RETR 1".to_string()), Just("TOP 1 4294967295".to_string()),
                Just("RSET".to_string()), Just("LIST 4294967295".to_string()), "\\PC{0,40}",
            ], 0..30)) {
            let mut store = store_with(&[HI]);
            let mut s = Server::new(ServerConfig::default(), "<1.0@h>".into(), SimTime::ZERO);
            for l in &lines {
                s.handle_input(SimTime::ZERO, format!("{l}\r\n").as_bytes(), &mut store);
                while s.poll_output().is_some() {}
            }
        }
    }
}

#[test]
fn auth_plain_rfc5034_examples() {
    // RFC 5034 §4 example, with this lab's user: the initial response on the
    // command line, and the continuation form with "+ ".
    let mut t = Pop3Talk::new(store_with(&["Subject: hi\r\n\r\nhello\r\n"]));
    t.expect_server("+OK POP3 server ready <1.0@hasan.com>");
    t.client("AUTH");
    t.expect_server_lines(&["+OK SASL mechanisms follow", "PLAIN", "."]);
    t.client("AUTH CRAM-MD5");
    t.expect_server("-ERR AUTH CRAM-MD5 is not supported; use AUTH PLAIN");
    // "\0akbari\0wrong"
    t.client("AUTH PLAIN AGFrYmFyaQB3cm9uZw==");
    t.expect_server("-ERR [AUTH] invalid user name or password");
    t.client("AUTH PLAIN");
    t.expect_server("+ ");
    t.client("*");
    t.expect_server("-ERR AUTH cancelled");
    t.client("AUTH PLAIN");
    t.expect_server("+ ");
    // "\0akbari\0secret"
    t.client("AGFrYmFyaQBzZWNyZXQ=");
    t.expect_server("+OK 1 messages (22 octets)");
    t.client("AUTH PLAIN AGFrYmFyaQBzZWNyZXQ=");
    t.expect_server("-ERR command not valid in this state: already logged in");
    t.client("TOP 1 0");
    t.expect_server_lines(&["+OK 15 octets", "Subject: hi", "", "."]);
    t.client("QUIT");
    t.expect_server("+OK POP3 server signing off (1 messages left)");

    let mut t = Pop3Talk::new(store_with(&[]));
    t.expect_server("+OK POP3 server ready <1.0@hasan.com>");
    t.client("AUTH PLAIN bm90IGJhc2U2NA==");
    t.expect_server("-ERR AUTH PLAIN: the response is not base64 of authzid NUL user NUL password");
    // authzid "other" differs from the user.
    t.client("AUTH PLAIN b3RoZXIAYWtiYXJpAHNlY3JldA==");
    t.expect_server("-ERR [AUTH] cannot act as another user");
}
