//! Property tests: the SMTP parsers and sessions never panic.

use crate::StreamServer;
use proptest::prelude::*;

use super::*;
use crate::mail::Message;

proptest! {
    #[test]
    fn command_parser_never_panics(s in "\\PC{0,300}") {
        let _ = Command::parse(&s);
    }

    #[test]
    fn command_parser_never_panics_after_a_verb(
        verb in prop_oneof![Just("MAIL"), Just("RCPT"), Just("mail"), Just("HELO"), Just("VRFY"), Just("EXPN")],
        rest in "\\PC{0,40}",
    ) {
        let _ = Command::parse(&format!("{verb} {rest}"));
        let _ = Command::parse(&format!("{verb} FROM:{rest}"));
        let _ = Command::parse(&format!("{verb} TO:<{rest}>"));
    }

    #[test]
    fn client_never_panics(chunks in proptest::collection::vec("\\PC{0,60}\r\n", 0..12)) {
        let env = Envelope { from: None, to: vec!["a@b.com".parse().unwrap()], data: "x\r\n".into() };
        let mut c = Client::new("pc", env, SimTime::ZERO);
        for ch in &chunks {
            c.handle_input(SimTime::ZERO, ch.as_bytes());
            while c.poll_output().is_some() {}
        }
    }

    #[test]
    fn server_never_panics(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 0..8)) {
        let mut store = hasan_store();
        let mut s = Server::new(ServerConfig::default(), PC1, SimTime::ZERO);
        for c in &chunks {
            s.handle_input(SimTime::ZERO, c, &mut store);
            while s.poll_output().is_some() {}
        }
    }

    #[test]
    fn server_survives_command_soup(lines in proptest::collection::vec(
        prop_oneof![
            Just("HELO a".to_string()), Just("MAIL FROM:<akbari@hasan.com>".to_string()),
            Just("RCPT TO:<akbari@hasan.com>".to_string()), Just("DATA".to_string()),
            Just(".".to_string()), Just("RSET".to_string()), "\\PC{0,40}",
        ], 0..30)) {
        let mut store = hasan_store();
        let mut s = Server::new(ServerConfig::default(), PC1, SimTime::ZERO);
        for l in &lines {
            s.handle_input(SimTime::ZERO, format!("{l}\r\n").as_bytes(), &mut store);
            while s.poll_output().is_some() {}
        }
    }

    #[test]
    fn message_parser_never_panics(s in "\\PC{0,400}") {
        let m = Message::parse(&s);
        let _ = (m.text(), m.attachments(), m.subject(), m.from());
    }
}

proptest! {
    #[test]
    fn summaries_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300), dir in any::<bool>()) {
        let _ = summarize(&bytes, dir);
        let _ = crate::pop3::summarize(&bytes, dir);
    }
}

/// RFC 2034 §3: once ENHANCEDSTATUSCODES is advertised, every reply but the
/// greeting, the HELO/EHLO replies and the intermediate 334/354 carries an
/// RFC 3463 code whose class repeats the reply's first digit.
fn assert_enhanced(line: &str, reply: &str) {
    let verb = line
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    for r in reply.split("\r\n").filter(|r| !r.is_empty()) {
        let code = &r[..3];
        if code == "334" || code == "354" || (code == "250" && (verb == "HELO" || verb == "EHLO")) {
            continue;
        }
        let status = r[4..].split(' ').next().unwrap_or("");
        let parts: Vec<&str> = status.split('.').collect();
        assert!(
            parts.len() == 3
                && parts[0] == &code[..1]
                && parts[1..]
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
            "{line:?} got {r:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_reply_has_an_enhanced_code(submission in any::<bool>(), lines in proptest::collection::vec(
        prop_oneof![
            Just("EHLO pc1"), Just("HELO pc1"), Just("HELO a b"), Just("EHLO"),
            Just("MAIL FROM:<akbari@hasan.com>"), Just("MAIL FROM:<akbari@hasan.com> SIZE=99999999999"),
            Just("MAIL FROM:<> XFOO=1"), Just("MAIL FROM:bad"),
            Just("RCPT TO:<akbari@hasan.com>"), Just("RCPT TO:<ghost@hasan.com>"),
            Just("RCPT TO:<x@else.org>"), Just("RCPT TO:<Postmaster>"), Just("DATA"), Just("DATA x"),
            Just("Subject: hi"), Just("."), Just("RSET"), Just("NOOP"), Just("HELP"), Just("HELP MAIL"),
            Just("HELP FOO"), Just("VRFY akbari"), Just("VRFY nobody"), Just("EXPN staff"),
            Just("AUTH PLAIN"), Just("AUTH PLAIN AGFrYmFyaQBzZWNyZXQ="), Just("AUTH LOGIN"),
            Just("AUTH CRAM-MD5"), Just("YWtiYXJp"), Just("c2VjcmV0"), Just("*"), Just("STARTTLS"),
            Just("FOO"), Just("QUIT"),
        ], 0..40)) {
        let mut store = hasan_store();
        let config = ServerConfig { submission, ..ServerConfig::default() };
        let mut s = Server::new(config, PC1, SimTime::ZERO);
        while s.poll_output().is_some() {}
        for l in &lines {
            s.handle_input(SimTime::ZERO, format!("{l}\r\n").as_bytes(), &mut store);
            let mut out = String::new();
            while let Some(b) = s.poll_output() {
                out.push_str(&String::from_utf8_lossy(&b));
            }
            assert_enhanced(l, &out);
        }
    }
}

/// [`dot_stuff`] as it was written first, line by line.
fn dot_stuff_by_line(data: &str) -> String {
    let data = crate::mail::crlf(data);
    let mut out = String::with_capacity(data.len() + 8);
    for line in data.split_inclusive("\r\n") {
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
    }
    if !out.is_empty() && !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out.push_str(".\r\n");
    out
}

proptest! {
    #[test]
    fn dot_stuff_matches_the_line_by_line_version(s in "[a.\r\nä ]{0,40}") {
        prop_assert_eq!(dot_stuff(&s), dot_stuff_by_line(&s));
    }

    /// Longer text with tabs and runs of dots (the one-pass version skips
    /// eight bytes at a time between line ends).
    #[test]
    fn dot_stuff_matches_the_line_by_line_version_long(s in "[ab.\r\n\t\u{1}ä😀 ]{0,300}") {
        prop_assert_eq!(dot_stuff(&s), dot_stuff_by_line(&s));
    }
}
