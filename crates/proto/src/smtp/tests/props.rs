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
