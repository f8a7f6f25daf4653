//! POP3: a server session fed arbitrary bytes, cut into chunks anywhere,
//! never panics (command parser, USER/PASS/APOP, RETR/TOP/DELE on a real
//! maildrop, the lock, QUIT's update); the connection closing afterwards
//! releases the lock. With the first byte's high bit set the bytes go to a
//! client session instead (status lines and multi-line responses).
#![no_main]

use std::time::Duration;

use lanlab_fuzz::{DOMAIN, PASSWORD, USER, chunks, client_mode, store};
use lanlab_proto::{SimTime, StreamServer};
use lanlab_proto::pop3::{
    Client, ClientConfig, Command, Server, ServerConfig, UidlMemory, apop_stamp,
};
use libfuzzer_sys::fuzz_target;

fn server(data: &[u8]) {
    let (mut store, _) = store();
    let mut now = SimTime::from_secs(60);
    let mut s = Server::new(ServerConfig::default(), apop_stamp(1, now, DOMAIN), now);
    for chunk in chunks(data) {
        s.handle_input(now, chunk, &mut store);
        while s.poll_output().is_some() {}
        while s.poll_event().is_some() {}
        while let Some(n) = s.poll_note() {
            let _ = n.to_string();
        }
        now += Duration::from_secs(1);
    }
    if let Some(t) = s.poll_timeout() {
        s.handle_timeout(t, &mut store);
    }
    s.handle_end(now, &mut store);
    while s.poll_output().is_some() {}
    // A second session must be able to log in: the lock was released.
    let mut again = Server::new(ServerConfig::default(), apop_stamp(2, now, DOMAIN), now);
    again.handle_input(
        now,
        format!("USER {USER}\r\nPASS {PASSWORD}\r\nSTAT\r\n").as_bytes(),
        &mut store,
    );
    assert!(
        again.account().is_some(),
        "maildrop still locked after the first session closed"
    );
    for line in String::from_utf8_lossy(data).split("\r\n") {
        if let Ok(c) = Command::parse(line) {
            let _ = c.keyword();
        }
    }
}

fn client(data: &[u8]) {
    let now = SimTime::from_secs(60);
    let config = ClientConfig {
        user: USER.into(),
        password: PASSWORD.into(),
        leave_copy: data.get(1).is_some_and(|b| b & 1 == 1),
        ..ClientConfig::default()
    };
    let mut c = Client::new(config, UidlMemory::default(), now);
    for chunk in chunks(data) {
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

fuzz_target!(|data: &[u8]| {
    if client_mode(data) {
        client(data);
    } else {
        server(data);
    }
});
