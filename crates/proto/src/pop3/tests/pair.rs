//! Client + server pairs: S1's mail story (SMTP send, POP3 receive), S5's
//! download-and-delete vs leave-a-copy, APOP from the client.

use crate::StreamServer;
use core::net::{IpAddr, Ipv4Addr};

use super::super::*;
use crate::SimTime;
use crate::mail::{Draft, MailStore, Message, date};
use crate::smtp;

/// Runs a POP3 client against a server; returns the wire transcript and the client's events.
fn receive(
    store: &mut MailStore,
    config: ClientConfig,
    memory: UidlMemory,
    now: SimTime,
) -> (Vec<String>, Vec<ClientEvent>, UidlMemory) {
    let mut server = Server::new(ServerConfig::default(), "<7.0@hasan.com>".into(), now);
    let mut client = Client::new(config, memory, now);
    let mut wire = Vec::new();
    loop {
        let mut moved = false;
        while let Some(b) = server.poll_output() {
            wire.extend(
                String::from_utf8(b.clone())
                    .unwrap()
                    .lines()
                    .map(|l| format!("S: {l}")),
            );
            client.handle_input(now, &b);
            moved = true;
        }
        while let Some(b) = client.poll_output() {
            wire.extend(
                String::from_utf8(b.clone())
                    .unwrap()
                    .lines()
                    .map(|l| format!("C: {l}")),
            );
            server.handle_input(now, &b, store);
            moved = true;
        }
        if !moved {
            break;
        }
    }
    assert!(server.is_closed() && client.is_closed());
    let events = std::iter::from_fn(|| client.poll_event()).collect();
    (wire, events, client.memory().clone())
}

fn subjects(events: &[ClientEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Message(f) => Some(Message::parse(&f.raw).subject().unwrap_or_default()),
            _ => None,
        })
        .collect()
}

fn summary(events: &[ClientEvent]) -> Result<client::Summary, String> {
    events
        .iter()
        .find_map(|e| match e {
            ClientEvent::Done(r) => Some(r.clone().map_err(|e| e.to_string())),
            _ => None,
        })
        .unwrap()
}

fn s1_store() -> MailStore {
    let mut s = MailStore::new();
    s.add_domain("hasan.com").unwrap();
    s.add_user("hasan.com", "12_5b_01", "kelas5b").unwrap();
    s.add_user("hasan.com", "akbari", "akbari123").unwrap();
    s
}

/// PC1's mail client sends a draft through the SMTP server.
fn send(store: &mut MailStore, subject: &str, now: SimTime) -> smtp::Outcome {
    let draft = Draft {
        from_name: "Akbari".into(),
        from: "akbari@hasan.com".into(),
        to: vec!["12_5b_01@hasan.com".into()],
        subject: subject.into(),
        body: "Halo kelas 5B.\n".into(),
        ..Draft::default()
    };
    let env = smtp::Envelope::from_draft(&draft, store.unix_time(now), now.as_micros()).unwrap();
    let peer = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 11));
    let config = smtp::ServerConfig {
        hostname: "hasan.com".into(),
        ..smtp::ServerConfig::default()
    };
    let mut server = smtp::Server::new(config, peer, now);
    let mut client = smtp::Client::new("PC1", env, now);
    loop {
        let mut moved = false;
        while let Some(b) = server.poll_output() {
            client.handle_input(now, &b);
            moved = true;
        }
        while let Some(b) = client.poll_output() {
            server.handle_input(now, &b, store);
            moved = true;
        }
        if !moved {
            break;
        }
    }
    std::iter::from_fn(|| client.poll_event())
        .find_map(|e| match e {
            smtp::ClientEvent::Done(o) => Some(o),
            smtp::ClientEvent::Closed => None,
        })
        .unwrap()
}

fn user_12_5b_01(leave_copy: bool) -> ClientConfig {
    ClientConfig {
        user: "12_5b_01".into(),
        password: "kelas5b".into(),
        auth: AuthMethod::UserPass,
        leave_copy,
    }
}

#[test]
fn s1_akbari_sends_12_5b_01_receives() {
    let mut store = s1_store();
    let now = SimTime::from_secs(120);
    let o = send(&mut store, "Tes Email", now);
    assert_eq!(o.to_string(), "sent to 1 recipient(s)");
    let (wire, events, _) = receive(
        &mut store,
        user_12_5b_01(false),
        UidlMemory::default(),
        SimTime::from_secs(180),
    );
    let size = store_size_line(&wire);
    assert_eq!(
        wire,
        [
            "S: +OK POP3 server ready <7.0@hasan.com>".to_string(),
            "C: USER 12_5b_01".into(),
            "S: +OK send PASS".into(),
            "C: PASS kelas5b".into(),
            format!("S: +OK 1 messages ({size} octets)"),
            "C: STAT".into(),
            format!("S: +OK 1 {size}"),
            "C: UIDL".into(),
            "S: +OK unique-id listing follows".into(),
            "S: 1 1.1".into(),
            "S: .".into(),
            "C: RETR 1".into(),
            format!("S: +OK {size} octets"),
        ]
        .into_iter()
        .chain(wire[13..wire.len() - 5].iter().cloned())
        .chain([
            "S: .".into(),
            "C: DELE 1".into(),
            "S: +OK message 1 deleted".into(),
            "C: QUIT".into(),
            "S: +OK POP3 server signing off (maildrop empty)".into()
        ])
        .collect::<Vec<String>>()
    );
    assert_eq!(subjects(&events), ["Tes Email"]);
    let ClientEvent::Message(f) = &events[0] else {
        panic!()
    };
    let m = Message::parse(&f.raw);
    assert_eq!(m.from()[0].name.as_deref(), Some("Akbari"));
    assert_eq!(m.text(), "Halo kelas 5B.\r\n");
    assert_eq!(
        m.date(),
        Some(date::rfc5322(date::DEFAULT_EPOCH_UNIX + 120).as_str())
    );
    assert!(f.raw.starts_with("Received: from PC1 ([192.168.1.11])"));
    assert_eq!(
        summary(&events),
        Ok(client::Summary {
            fetched: 1,
            deleted: 1,
            on_server: 1
        })
    );
}

fn store_size_line(wire: &[String]) -> usize {
    wire[4]
        .trim_start_matches("S: +OK 1 messages (")
        .trim_end_matches(" octets)")
        .parse()
        .unwrap()
}

#[test]
fn s5_download_and_delete_second_device_finds_nothing() {
    let mut store = s1_store();
    send(&mut store, "satu", SimTime::ZERO);
    send(&mut store, "dua", SimTime::ZERO);
    let (_, desktop, _) = receive(
        &mut store,
        user_12_5b_01(false),
        UidlMemory::default(),
        SimTime::ZERO,
    );
    assert_eq!(subjects(&desktop), ["satu", "dua"]);
    let (_, laptop, _) = receive(
        &mut store,
        user_12_5b_01(false),
        UidlMemory::default(),
        SimTime::ZERO,
    );
    assert!(subjects(&laptop).is_empty());
    assert_eq!(
        summary(&laptop),
        Ok(client::Summary {
            fetched: 0,
            deleted: 0,
            on_server: 0
        })
    );
}

#[test]
fn s5_leave_a_copy_fetches_only_new_until_forgotten() {
    let mut store = s1_store();
    send(&mut store, "satu", SimTime::ZERO);
    let (_, ev, mem) = receive(
        &mut store,
        user_12_5b_01(true),
        UidlMemory::default(),
        SimTime::ZERO,
    );
    assert_eq!(subjects(&ev), ["satu"]);
    assert_eq!(mem.len(), 1);
    // The laptop (own memory) still sees it: the copy stayed on the server.
    let (_, laptop, _) = receive(
        &mut store,
        user_12_5b_01(true),
        UidlMemory::default(),
        SimTime::ZERO,
    );
    assert_eq!(subjects(&laptop), ["satu"]);
    // The desktop again: nothing new.
    let (wire, ev, mem) = receive(&mut store, user_12_5b_01(true), mem, SimTime::ZERO);
    assert!(subjects(&ev).is_empty());
    assert!(
        !wire
            .iter()
            .any(|l| l.starts_with("C: RETR") || l.starts_with("C: DELE"))
    );
    send(&mut store, "dua", SimTime::ZERO);
    let (_, ev, mut mem) = receive(&mut store, user_12_5b_01(true), mem, SimTime::ZERO);
    assert_eq!(subjects(&ev), ["dua"]);
    assert_eq!(mem.len(), 2);
    mem.forget();
    let (_, ev, mem) = receive(&mut store, user_12_5b_01(true), mem, SimTime::ZERO);
    assert_eq!(subjects(&ev), ["satu", "dua"]);
    assert_eq!(mem.len(), 2);
}

#[test]
fn apop_client_never_sends_the_password() {
    let mut store = s1_store();
    send(&mut store, "rahasia", SimTime::ZERO);
    let config = ClientConfig {
        auth: AuthMethod::Apop,
        ..user_12_5b_01(false)
    };
    let (wire, ev, _) = receive(&mut store, config, UidlMemory::default(), SimTime::ZERO);
    let digest = crate::mail::md5::hex_digest(b"<7.0@hasan.com>kelas5b");
    assert_eq!(wire[1], format!("C: APOP 12_5b_01 {digest}"));
    assert!(!wire.iter().any(|l| l.contains("kelas5b")));
    assert_eq!(subjects(&ev), ["rahasia"]);
}

#[test]
fn wrong_password_is_reported() {
    let mut store = s1_store();
    let config = ClientConfig {
        password: "salah".into(),
        ..user_12_5b_01(false)
    };
    let (wire, ev, _) = receive(&mut store, config, UidlMemory::default(), SimTime::ZERO);
    assert_eq!(
        summary(&ev),
        Err("login failed: -ERR [AUTH] invalid user name or password".into())
    );
    assert_eq!(wire.last().unwrap(), "S: +OK POP3 server signing off");
}

#[test]
fn client_notes_mask_the_password_and_time_out() {
    let mut c = Client::new(user_12_5b_01(false), UidlMemory::default(), SimTime::ZERO);
    c.handle_input(SimTime::ZERO, b"+OK ready\r\n");
    c.handle_input(SimTime::ZERO, b"+OK\r\n");
    let notes: Vec<String> = std::iter::from_fn(|| c.poll_note())
        .map(|n| n.to_string())
        .collect();
    assert!(notes.contains(&"mail client sends PASS ********".to_string()));
    c.handle_timeout(SimTime::from_secs(300));
    let ev: Vec<ClientEvent> = std::iter::from_fn(|| c.poll_event()).collect();
    assert_eq!(
        ev,
        [
            ClientEvent::Done(Err(client::ClientError::TimedOut)),
            ClientEvent::Closed
        ]
    );
    assert_eq!(
        client::ClientError::TimedOut.to_string(),
        "no response from the server (timeout)"
    );
}
