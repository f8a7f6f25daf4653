//! IMAP parsers on their own: first byte's low bits pick which.
//! 0: `Command::parse` (the server's command parser, literals inline);
//! 1: `reply::parse_response` (the client's response parser), and a
//! response that parses re-serializes to bytes that parse again;
//! 2, 3: a client session with LOGIN, SELECT, FETCH and a body fetch
//! pending, fed the bytes as the server's answers, cut into 1- or 7-byte
//! chunks (3) or all at once (2).
#![no_main]

use lanlab_proto::SimTime;
use lanlab_proto::imap::client::Client;
use lanlab_proto::imap::requests::Request;
use lanlab_proto::imap::{Command, reply};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode & 3 {
        0 => {
            if let Ok(c) = Command::parse(rest) {
                let _ = c.to_string();
                let _ = c.kind.name();
            }
        }
        1 => {
            if let Ok(r) = reply::parse_response(rest) {
                let bytes = r.to_bytes();
                let _ = reply::parse_response(&bytes);
            }
        }
        _ => {
            let now = SimTime::from_secs(5);
            let mut c = Client::new();
            for req in [
                Request::Login {
                    user: "budi".into(),
                    password: "rahasia".into(),
                },
                Request::Select("INBOX".into()),
                Request::FetchSummaries,
                Request::FetchBody(2),
            ] {
                c.request(now, req);
            }
            let size = if mode & 3 == 2 {
                rest.len().max(1)
            } else if mode & 4 == 0 {
                1
            } else {
                7
            };
            for chunk in rest.chunks(size) {
                c.handle_input(now, chunk);
                while c.poll_output().is_some() {}
                while c.poll_event().is_some() {}
                while let Some(n) = c.poll_note() {
                    let _ = n.to_string();
                }
            }
            if let Some(t) = c.poll_timeout() {
                c.handle_timeout(t);
            }
        }
    }
});
