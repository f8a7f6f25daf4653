//! SMTP: a server session fed arbitrary bytes, cut into chunks anywhere,
//! never panics (the command parser, DATA and dot-unstuffing, local
//! delivery into the store). With the first byte's high bit set the bytes go
//! to a client session instead (the reply parser). See `lanlab_fuzz::chunks`.
#![no_main]

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use lanlab_fuzz::{chunks, client_mode, store};
use lanlab_proto::{SimTime, StreamServer};
use lanlab_proto::mail::Address;
use lanlab_proto::smtp::{Client, Command, Envelope, Server, ServerConfig};
use libfuzzer_sys::fuzz_target;

fn server(data: &[u8]) {
    let (mut store, _) = store();
    let config = ServerConfig {
        hostname: "mail.hasan.com".into(),
        max_message_size: 4096,
        max_recipients: 5,
        ..ServerConfig::default()
    };
    let mut now = SimTime::from_secs(10);
    let peer = IpAddr::V4(Ipv4Addr::new(10, 1, 0, 10));
    let mut s = Server::new(config, peer, now);
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
        while s.poll_output().is_some() {}
    }
    // The command parser on its own, line by line.
    for line in String::from_utf8_lossy(data).split("\r\n") {
        if let Ok(c) = Command::parse(line) {
            let _ = format!("{c:?}");
        }
    }
}

fn client(data: &[u8]) {
    let now = SimTime::from_secs(10);
    let envelope = Envelope {
        from: Some(Address::new("budi", "hasan.com").expect("address")),
        to: vec![
            Address::new("ani", "dadali.com").expect("address"),
            Address::new("cici", "dadali.com").expect("address"),
        ],
        data: "Subject: hi\r\n\r\n.leading dot\r\nhalo\r\n".into(),
    };
    let mut c = Client::new("pc.hasan.com", envelope, now);
    for chunk in chunks(data) {
        c.handle_input(now, chunk);
        while c.poll_output().is_some() {}
        while c.poll_event().is_some() {}
        while let Some(n) = c.poll_note() {
            let _ = n.to_string();
        }
    }
    c.handle_closed("fuzz input ended");
    let _ = c.outcome();
}

fuzz_target!(|data: &[u8]| {
    if client_mode(data) {
        client(data);
    } else {
        server(data);
    }
});
