//! Transcript tests of server sessions over time: two sessions on one
//! mailbox (S5), IDLE, autologout, input one byte at a time, typing by hand
//! (S6), and arbitrary input.

use crate::StreamServer;
use std::time::Duration;

use super::server_tests::{Lab, M1, out};
use super::{Event, Note, Server, ServerConfig};
use crate::SimTime;

fn notes(s: &mut Server) -> Vec<String> {
    std::iter::from_fn(|| s.poll_note())
        .map(|n| n.to_string())
        .collect()
}

#[test]
fn two_sessions_see_flags_and_expunges() {
    let mut t = Lab::new(2);
    t.login_select(0);
    t.login_select(1);
    // S5: a message marked read on one shows read on the other.
    t.cmd(0, "a STORE 1 +FLAGS (\\Seen)");
    assert_eq!(
        t.cmd(1, "b NOOP"),
        "* 1 FETCH (FLAGS (\\Seen \\Recent) UID 1)\r\nb OK NOOP completed\r\n"
    );
    assert!(notes(&mut t.s[1]).contains(
        &"message 1 now has flags (\\Seen \\Recent) (changed by another session)".to_string()
    ));
    // An expunge is not reported during FETCH/STORE/SEARCH (RFC 3501 §7.4.1)...
    t.cmd(0, "c STORE 2 +FLAGS.SILENT (\\Deleted)");
    assert_eq!(
        t.cmd(0, "d EXPUNGE"),
        "* 2 EXPUNGE\r\nd OK EXPUNGE completed\r\n"
    );
    let r = t.cmd(1, "e FETCH 3 UID");
    assert_eq!(r, "* 3 FETCH (UID 3)\r\ne OK FETCH completed\r\n");
    assert_eq!(
        t.cmd(1, "f SEARCH ALL"),
        "* SEARCH 1 3\r\nf OK SEARCH completed\r\n"
    );
    // ... but at the next NOOP.
    assert_eq!(t.cmd(1, "g NOOP"), "* 2 EXPUNGE\r\ng OK NOOP completed\r\n");
    assert!(notes(&mut t.s[1]).contains(&"EXPUNGE 2 (done by another session)".to_string()));
    assert_eq!(
        t.cmd(1, "h FETCH 2 UID"),
        "* 2 FETCH (UID 3)\r\nh OK FETCH completed\r\n"
    );
    // IDLE: session 1 is told at once when session 0 moves a message away.
    assert_eq!(t.cmd(1, "i IDLE"), "+ idling\r\n");
    t.cmd(0, "j MOVE 1 Trash");
    t.s[1].handle_context_change(t.now, &t.store);
    assert_eq!(out(&mut t.s[1]), "* 1 EXPUNGE\r\n");
    t.store
        .deliver(&t.s[0].account().unwrap().clone(), M1, t.now)
        .unwrap();
    t.s[1].handle_context_change(t.now, &t.store);
    assert_eq!(out(&mut t.s[1]), "* 2 EXISTS\r\n* 2 RECENT\r\n");
    assert_eq!(t.cmd(1, "done"), "i OK IDLE terminated\r\n");
    assert_eq!(t.cmd(1, "k IDLE"), "+ idling\r\n");
    assert_eq!(t.cmd(1, "NOPE"), "k BAD expected DONE to end IDLE\r\n");
}

#[test]
fn autologout_after_thirty_minutes() {
    let mut t = Lab::new(1);
    t.cmd(0, "a LOGIN akbari secret");
    let due = t.s[0].poll_timeout().unwrap();
    assert_eq!(due, t.now + Duration::from_secs(1800));
    t.s[0].handle_timeout(due - Duration::from_secs(1), &mut t.store);
    assert_eq!(out(&mut t.s[0]), "");
    t.s[0].handle_timeout(due, &mut t.store);
    assert_eq!(
        out(&mut t.s[0]),
        "* BYE Autologout; idle for more than 30 minutes\r\n"
    );
    assert!(matches!(t.s[0].poll_event(), Some(Event::LoggedIn(_))));
    assert_eq!(t.s[0].poll_event(), Some(Event::Closed));
    assert!(notes(&mut t.s[0]).contains(&Note::Autologout { minutes: 30 }.to_string()));
    let short = ServerConfig {
        autologout: Duration::from_secs(60),
        ..ServerConfig::default()
    };
    let s = Server::new(short, SimTime::ZERO);
    assert_eq!(s.poll_timeout(), Some(SimTime::from_secs(1800)));
}

#[test]
fn byte_at_a_time_session() {
    let mut t = Lab::new(1);
    let script =
        b"a LOGIN {6}\r\nakbari {6+}\r\nsecret\r\nb SELECT INBOX\r\nc FETCH 1 BODY.PEEK[]\r\n";
    let mut all = String::new();
    for b in script {
        all.push_str(&t.raw(0, &[*b]));
    }
    assert!(all.starts_with("+ Ready for literal data\r\na OK"), "{all}");
    assert!(
        all.contains(&format!(
            "* 1 FETCH (BODY[] {{{}}}\r\n{M1})\r\nc OK FETCH completed",
            M1.len()
        )),
        "{all}"
    );
}

/// S6: a student types IMAP by hand in a terminal (lower case, bare LF).
#[test]
fn typed_by_hand_in_telnet() {
    let mut t = Lab::new(1);
    assert!(t.raw(0, b"a1 login akbari secret\n").starts_with("a1 OK"));
    assert!(
        t.raw(0, b"a2 select inbox\n")
            .contains("a2 OK [READ-WRITE]")
    );
    assert_eq!(
        t.raw(0, b"a3 fetch 2 body.peek[header.fields (subject)]\n"),
        "* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {19}\r\nSubject: Report\r\n\r\n)\r\na3 OK FETCH completed\r\n"
    );
    assert_eq!(
        t.raw(0, b"a4 search unseen\n"),
        "* SEARCH 1 2 3\r\na4 OK SEARCH completed\r\n"
    );
    assert!(
        t.raw(0, b"a5 fetch 2 body[text\n")
            .starts_with("a5 BAD syntax error: expected ] after the section")
    );
    assert!(
        t.raw(0, b"select INBOX\n")
            .starts_with("select BAD syntax error")
    );
    assert!(t.raw(0, b"a6 logout\n").contains("a6 OK LOGOUT completed"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the client sends, in whatever pieces, the session answers
    /// without panicking.
    #[test]
    fn session_never_panics(
        lines in proptest::collection::vec(
            "[a-z0-9]{1,3} (UID )?(LOGIN akbari secret|SELECT INBOX|FETCH|STORE|SEARCH|COPY|MOVE|EXPUNGE|APPEND INBOX|LIST|STATUS INBOX|IDLE|DONE|CLOSE)[ -~]{0,40}( \\{[0-9]{1,3}\\+?\\})?",
            1..12,
        ),
        cut in 1usize..20,
    ) {
        let mut t = Lab::new(1);
        let bytes: Vec<u8> = lines.iter().flat_map(|l| format!("{l}\r\n").into_bytes()).collect();
        for c in bytes.chunks(cut) {
            t.raw(0, c);
        }
    }
}

#[test]
fn lagging_session_resyncs_when_the_log_is_cut() {
    let mut t = Lab::new(1);
    t.login_select(0);
    let id = t.s[0].account().unwrap().clone();
    let cap = crate::mail::folder::EXPUNGE_LOG_CAP;
    for _ in 0..=cap {
        t.store
            .deliver(&id, "Subject: spam\r\n\r\nx\r\n", t.now)
            .unwrap();
    }
    // Another session (here: the store directly) removes everything but message 3.
    let all: Vec<u32> = t
        .store
        .folder(&id, "INBOX")
        .unwrap()
        .messages()
        .iter()
        .map(|m| m.uid)
        .filter(|&u| u != 3)
        .collect();
    t.store.remove_messages(&id, "INBOX", &all).unwrap();
    assert!(
        !t.store
            .folder(&id, "INBOX")
            .unwrap()
            .changes_complete_since(1)
    );
    assert_eq!(
        t.cmd(0, "a NOOP"),
        "* 1 EXPUNGE\r\n* 1 EXPUNGE\r\na OK NOOP completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "b FETCH 1 UID"),
        "* 1 FETCH (UID 3)\r\nb OK FETCH completed\r\n"
    );
}
