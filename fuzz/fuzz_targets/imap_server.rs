//! IMAP: a server session fed arbitrary bytes, cut into chunks anywhere,
//! never panics (framer with literals, command parser, every command on a
//! real store). A second session on the same account sits in IDLE on INBOX
//! and is told of every store change, as the host does.
#![no_main]

use std::time::Duration;

use lanlab_fuzz::{PASSWORD, USER, chunks, store};
use lanlab_proto::{SimTime, StreamServer};
use lanlab_proto::imap::{Event, Server, ServerConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (mut store, _) = store();
    let mut now = SimTime::from_secs(60);
    let mut idle = Server::new(ServerConfig::default(), now);
    idle.handle_input(
        now,
        format!("i1 LOGIN {USER} {PASSWORD}\r\ni2 SELECT INBOX\r\ni3 IDLE\r\n").as_bytes(),
        &mut store,
    );
    assert!(idle.is_idle(), "the watcher session is in IDLE");
    let mut s = Server::new(ServerConfig::default(), now);
    for chunk in chunks(data) {
        s.handle_input(now, chunk, &mut store);
        while s.poll_output().is_some() {}
        let mut changed = false;
        while let Some(e) = s.poll_event() {
            changed |= matches!(e, Event::FolderChanged { .. });
        }
        while let Some(n) = s.poll_note() {
            let _ = n.to_string();
        }
        if changed {
            idle.handle_context_change(now, &store);
        }
        while idle.poll_output().is_some() {}
        now += Duration::from_secs(1);
    }
    if let Some(t) = s.poll_timeout() {
        s.handle_timeout(t, &mut store);
        while s.poll_output().is_some() {}
    }
    let _ = (s.state_name(), s.selected(), s.account());
});
