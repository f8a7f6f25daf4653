//! S2: two domains, mail relayed by MX; local delivery; unknown user bounce;
//! queue retry, delay warning and bounce by advancing virtual time.

use crate::StreamServer;
use core::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use super::super::*;
use crate::SimTime;
use crate::mail::{Address, INBOX, MailStore, Message};

const MAIL_GARUDA: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 1, 0, 25));
const MAIL_DADALI: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 2, 0, 25));
const PC_GARUDA: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 1, 0, 10));

fn stores() -> (MailStore, MailStore) {
    let mut g = MailStore::new();
    g.add_domain("garudayaksa.com").unwrap();
    g.add_user("garudayaksa.com", "mbrain", "mbrain1").unwrap();
    g.add_user("garudayaksa.com", "ani", "ani1").unwrap();
    let mut d = MailStore::new();
    d.add_domain("dadali.com").unwrap();
    d.add_user("dadali.com", "jpri", "jpri1").unwrap();
    (g, d)
}

fn server_config(host: &str) -> ServerConfig {
    ServerConfig {
        hostname: host.into(),
        ..ServerConfig::default()
    }
}

/// Runs a client against a server until both are quiet; returns the wire
/// transcript ("C: …" / "S: …") and the server's events.
fn converse(
    client: &mut Client,
    server: &mut Server,
    store: &mut MailStore,
    now: SimTime,
) -> (Vec<String>, Vec<Event>) {
    let mut wire = Vec::new();
    loop {
        let mut moved = false;
        while let Some(b) = server.poll_output() {
            let s = String::from_utf8(b.clone()).unwrap();
            wire.extend(s.lines().map(|l| format!("S: {l}")));
            client.handle_input(now, &b);
            moved = true;
        }
        while let Some(b) = client.poll_output() {
            let s = String::from_utf8(b.clone()).unwrap();
            wire.extend(s.lines().map(|l| format!("C: {l}")));
            server.handle_input(now, &b, store);
            moved = true;
        }
        if !moved {
            break;
        }
    }
    (wire, std::iter::from_fn(|| server.poll_event()).collect())
}

fn outcome(c: &mut Client) -> Outcome {
    std::iter::from_fn(|| c.poll_event())
        .find_map(|e| match e {
            ClientEvent::Done(o) => Some(o),
            ClientEvent::Closed => None,
        })
        .expect("client finished")
}

fn mail(from: &str, to: &[&str], subject: &str) -> Envelope {
    Envelope {
        from: Some(from.parse().unwrap()),
        to: to.iter().map(|a| a.parse::<Address>().unwrap()).collect(),
        data: format!(
            "From: {from}\r\nTo: {}\r\nSubject: {subject}\r\n\r\nhalo\r\n",
            to.join(", ")
        ),
    }
}

/// mbrain's PC sends through MailGaruda; returns what MailGaruda handed to relay.
fn submit(g: &mut MailStore, env: Envelope, now: SimTime) -> (Outcome, Vec<Envelope>) {
    let mut server = Server::new(server_config("mail.garudayaksa.com"), PC_GARUDA, now);
    let mut client = Client::new("pc-garuda", env, now);
    let (_, events) = converse(&mut client, &mut server, g, now);
    let relays = events
        .into_iter()
        .filter_map(|e| match e {
            Event::Relay(env) => Some(env),
            _ => None,
        })
        .collect();
    (outcome(&mut client), relays)
}

fn inbox_subjects(s: &MailStore, user: &str) -> Vec<String> {
    let id = s.find_login(user).unwrap();
    s.folder(&id, INBOX)
        .unwrap()
        .messages()
        .iter()
        .map(|m| Message::parse(&m.raw).subject().unwrap_or_default())
        .collect()
}

fn inbox_texts(s: &MailStore, user: &str) -> Vec<String> {
    let id = s.find_login(user).unwrap();
    s.folder(&id, INBOX)
        .unwrap()
        .messages()
        .iter()
        .map(|m| m.raw.clone())
        .collect()
}

fn queue_notes(q: &mut Queue) -> Vec<String> {
    std::iter::from_fn(|| q.poll_note())
        .map(|n| n.to_string())
        .collect()
}

fn need_route(q: &mut Queue) -> Option<(JobId, String)> {
    std::iter::from_fn(|| q.poll_event()).find_map(|e| match e {
        QueueEvent::NeedRoute { job, domain } => Some((job, domain)),
        QueueEvent::Finished { .. } => None,
    })
}

#[test]
fn s2_local_delivery_needs_no_relay() {
    let (mut g, _) = stores();
    let (o, relays) = submit(
        &mut g,
        mail("mbrain@garudayaksa.com", &["ani@garudayaksa.com"], "lokal"),
        SimTime::ZERO,
    );
    assert!(o.is_sent(), "{o}");
    assert!(relays.is_empty());
    assert_eq!(inbox_subjects(&g, "ani"), ["lokal"]);
}

#[test]
fn s2_mbrain_to_jpri_relayed_by_mx() {
    let (mut g, mut d) = stores();
    let mut q = Queue::new(QueueConfig {
        hostname: "mail.garudayaksa.com".into(),
        ..QueueConfig::default()
    });
    let t0 = SimTime::from_secs(10);
    let env = mail(
        "mbrain@garudayaksa.com",
        &["jpri@dadali.com", "ani@garudayaksa.com"],
        "Rapat",
    );
    let (o, relays) = submit(&mut g, env, t0);
    assert_eq!(o.to_string(), "sent to 2 recipient(s)");
    assert_eq!(inbox_subjects(&g, "ani"), ["Rapat"]);
    assert_eq!(relays.len(), 1);
    q.enqueue(t0, relays[0].clone());
    assert_eq!(q.poll_timeout(), Some(t0));
    q.handle_timeout(t0, &mut g);
    let (job, domain) = need_route(&mut q).unwrap();
    assert_eq!(domain, "dadali.com");
    // The host asked DNS: MX 10 mail.dadali.com, A 10.2.0.25.
    let mut client = q.route_resolved(t0, job, Ok(MAIL_DADALI), &g).unwrap();
    let mut server = Server::new(server_config("mail.dadali.com"), MAIL_GARUDA, t0);
    let (wire, _) = converse(&mut client, &mut server, &mut d, t0);
    assert_eq!(
        wire,
        [
            "S: 220 mail.dadali.com ESMTP lanlab ready",
            "C: EHLO mail.garudayaksa.com",
            "S: 250-mail.dadali.com Hello mail.garudayaksa.com",
            "S: 250-SIZE 10485760",
            "S: 250-8BITMIME",
            "S: 250-PIPELINING",
            "S: 250-ENHANCEDSTATUSCODES",
            "S: 250 HELP",
            "C: MAIL FROM:<mbrain@garudayaksa.com> SIZE=228",
            "S: 250 2.1.0 Ok",
            "C: RCPT TO:<jpri@dadali.com>",
            "S: 250 2.1.5 Ok",
            "C: DATA",
            "S: 354 End data with <CR><LF>.<CR><LF>",
            "C: Received: from pc-garuda ([10.1.0.10])",
            "C: \tby mail.garudayaksa.com (lanlab) with ESMTP id 989680.1;",
            "C: \tMon, 5 Jan 2026 08:00:10 +0000",
            "C: From: mbrain@garudayaksa.com",
            "C: To: jpri@dadali.com, ani@garudayaksa.com",
            "C: Subject: Rapat",
            "C: ",
            "C: halo",
            "C: .",
            "S: 250 2.0.0 Ok: queued as 989680.1",
            "C: QUIT",
            "S: 221 2.0.0 Bye",
        ]
    );
    let o = outcome(&mut client);
    q.attempt_finished(t0, job, &o, &mut g);
    assert!(q.jobs().is_empty());
    assert_eq!(inbox_subjects(&d, "jpri"), ["Rapat"]);
    let raw = &inbox_texts(&d, "jpri")[0];
    assert_eq!(
        raw.matches("Received: ").count(),
        2,
        "one Received line per hop"
    );
    // PC-Dadali: jpri presses Receive (POP3 on MailDadali).
    let now = t0 + Duration::from_secs(60);
    let mut pop = crate::pop3::Server::new(
        Default::default(),
        crate::pop3::apop_stamp(1, now, "mail.dadali.com"),
        now,
    );
    let config = crate::pop3::ClientConfig {
        user: "jpri".into(),
        password: "jpri1".into(),
        ..Default::default()
    };
    let mut pc = crate::pop3::Client::new(config, Default::default(), now);
    loop {
        let mut moved = false;
        while let Some(b) = pop.poll_output() {
            pc.handle_input(now, &b);
            moved = true;
        }
        while let Some(b) = pc.poll_output() {
            pop.handle_input(now, &b, &mut d);
            moved = true;
        }
        if !moved {
            break;
        }
    }
    let got: Vec<String> = std::iter::from_fn(|| pc.poll_event())
        .filter_map(|e| match e {
            crate::pop3::ClientEvent::Message(f) => Message::parse(&f.raw).subject(),
            _ => None,
        })
        .collect();
    assert_eq!(got, ["Rapat"]);
    assert!(inbox_subjects(&d, "jpri").is_empty());
    let notes = queue_notes(&mut q);
    assert_eq!(
        notes,
        [
            "message for jpri@dadali.com queued for dadali.com",
            "looking up the MX of dadali.com (attempt 1)",
            "connecting to 10.2.0.25 port 25, mail server of dadali.com",
            "relayed to dadali.com for jpri@dadali.com",
        ]
    );
}

#[test]
fn s2_unknown_user_at_dadali_bounces_at_once() {
    let (mut g, mut d) = stores();
    let mut q = Queue::new(QueueConfig {
        hostname: "mail.garudayaksa.com".into(),
        ..QueueConfig::default()
    });
    let t0 = SimTime::ZERO;
    let (_, relays) = submit(
        &mut g,
        mail("mbrain@garudayaksa.com", &["jpri2@dadali.com"], "Halo"),
        t0,
    );
    q.enqueue(t0, relays[0].clone());
    q.handle_timeout(t0, &mut g);
    let (job, _) = need_route(&mut q).unwrap();
    let mut client = q.route_resolved(t0, job, Ok(MAIL_DADALI), &g).unwrap();
    let mut server = Server::new(server_config("mail.dadali.com"), MAIL_GARUDA, t0);
    let (wire, _) = converse(&mut client, &mut server, &mut d, t0);
    assert!(wire.contains(
        &"S: 550 5.1.1 <jpri2@dadali.com>: Recipient address rejected: User unknown in local recipient table".to_string()
    ));
    assert!(wire.ends_with(&["C: QUIT".to_string(), "S: 221 2.0.0 Bye".to_string()]));
    let o = outcome(&mut client);
    assert!(
        matches!(
            o,
            Outcome::Failed {
                permanent: true,
                ..
            }
        ),
        "{o:?}"
    );
    q.attempt_finished(t0, job, &o, &mut g);
    assert!(q.jobs().is_empty(), "a 5xx is not retried");
    assert_eq!(
        inbox_subjects(&g, "mbrain"),
        ["Undelivered Mail Returned to Sender"]
    );
    let bounce = Message::parse(&inbox_texts(&g, "mbrain")[0]);
    assert_eq!(
        bounce.header("From"),
        Some("Mail Delivery System <MAILER-DAEMON@mail.garudayaksa.com>")
    );
    assert!(bounce.text().contains(
        "<jpri2@dadali.com>: unknown user jpri2@dadali.com (dadali.com replied: 550 5.1.1 <jpri2@dadali.com>: Recipient address rejected: User unknown in local recipient table)"
    ));
    assert!(bounce.text().contains("Subject: Halo"));
    assert!(queue_notes(&mut q).iter().any(|n| {
        n.starts_with("bounce sent to <mbrain@garudayaksa.com>: unknown user jpri2@dadali.com")
    }));
}

#[test]
fn s2_dadali_unreachable_retry_warn_then_bounce() {
    let (mut g, _) = stores();
    let mut q = Queue::new(QueueConfig {
        hostname: "mail.garudayaksa.com".into(),
        ..QueueConfig::default()
    });
    let t0 = SimTime::ZERO;
    let (_, relays) = submit(
        &mut g,
        mail("mbrain@garudayaksa.com", &["jpri@dadali.com"], "Penting"),
        t0,
    );
    q.enqueue(t0, relays[0].clone());
    let mut attempts = 0;
    let mut now = t0;
    // Fast-forward: the host always finds the route but the TCP connection fails.
    while let Some(t) = q.poll_timeout() {
        now = t;
        q.handle_timeout(now, &mut g);
        while let Some((job, _)) = need_route(&mut q) {
            attempts += 1;
            let mut c = q.route_resolved(now, job, Ok(MAIL_DADALI), &g).unwrap();
            c.handle_closed("connection refused by 10.2.0.25:25");
            let o = outcome(&mut c);
            q.attempt_finished(now, job, &o, &mut g);
        }
        if attempts == 1 {
            let notes = queue_notes(&mut q);
            assert_eq!(
                notes.last().unwrap(),
                "dadali.com: connection refused by 10.2.0.25:25; queued for retry at 08:15"
            );
        }
        if now == t0 + Duration::from_secs(4 * 3600) {
            assert_eq!(
                inbox_subjects(&g, "mbrain"),
                ["Delayed Mail (still being retried)"]
            );
        }
    }
    assert_eq!(now, t0 + Duration::from_secs(5 * 86_400));
    // One attempt every 15 minutes for 5 days (the last one falls on the give-up time).
    assert_eq!(attempts, 5 * 96);
    assert!(q.jobs().is_empty());
    assert_eq!(
        inbox_subjects(&g, "mbrain"),
        [
            "Delayed Mail (still being retried)",
            "Undelivered Mail Returned to Sender"
        ]
    );
    let warn = Message::parse(&inbox_texts(&g, "mbrain")[0]);
    assert!(warn.text().contains("has not been delivered for 4 hours"));
    assert!(
        warn.text()
            .contains("Last error: connection refused by 10.2.0.25:25")
    );
    let bounce = Message::parse(&inbox_texts(&g, "mbrain")[1]);
    assert!(
        bounce
            .text()
            .contains("gave up after 5 days: connection refused by 10.2.0.25:25"),
        "{}",
        bounce.text()
    );
}

#[test]
fn dns_failure_retries_and_bounce_to_null_sender_is_dropped() {
    let (mut g, _) = stores();
    let mut q = Queue::new(QueueConfig::default());
    let env = Envelope {
        from: None,
        ..mail("x@garudayaksa.com", &["a@nowhere.test"], "bounce")
    };
    q.enqueue(SimTime::ZERO, env);
    q.handle_timeout(SimTime::ZERO, &mut g);
    let (job, _) = need_route(&mut q).unwrap();
    assert!(
        q.route_resolved(SimTime::ZERO, job, Err("NXDOMAIN".into()), &g)
            .is_none()
    );
    assert_eq!(q.jobs()[0].state, JobState::Waiting);
    assert_eq!(q.poll_timeout(), Some(SimTime::from_secs(900)));
    assert!(
        queue_notes(&mut q)
            .last()
            .unwrap()
            .ends_with("no mail server found (NXDOMAIN); queued for retry at 08:15")
    );
    q.handle_timeout(SimTime::from_secs(900), &mut g);
    let (job, _) = need_route(&mut q).unwrap();
    let mut c = q
        .route_resolved(SimTime::from_secs(900), job, Ok(MAIL_DADALI), &g)
        .unwrap();
    c.handle_input(SimTime::from_secs(900), b"554 go away\r\n");
    let o = outcome(&mut c);
    q.attempt_finished(SimTime::from_secs(900), job, &o, &mut g);
    assert!(q.jobs().is_empty());
    assert!(
        queue_notes(&mut q)
            .last()
            .unwrap()
            .contains("sender is <>: no bounce for a bounce")
    );
    assert!(inbox_subjects(&g, "mbrain").is_empty());
}

#[test]
fn client_falls_back_to_helo_and_reports_partial_rejection() {
    let mut c = Client::new(
        "pc1",
        mail("a@x.com", &["b@y.com", "c@y.com"], "s"),
        SimTime::ZERO,
    );
    let mut step = |input: &str| -> String {
        c.handle_input(SimTime::ZERO, input.as_bytes());
        std::iter::from_fn(|| c.poll_output())
            .map(|b| String::from_utf8(b).unwrap())
            .collect()
    };
    assert_eq!(step("220 old server\r\n"), "EHLO pc1\r\n");
    assert_eq!(step("500 what?\r\n"), "HELO pc1\r\n");
    assert_eq!(step("250 hi\r\n"), "MAIL FROM:<a@x.com>\r\n");
    assert_eq!(step("250 ok\r\n"), "RCPT TO:<b@y.com>\r\n");
    assert_eq!(step("450 busy\r\n"), "RCPT TO:<c@y.com>\r\n");
    assert_eq!(step("250 ok\r\n"), "DATA\r\n");
    assert_eq!(
        step("354 go\r\n"),
        "From: a@x.com\r\nTo: b@y.com, c@y.com\r\nSubject: s\r\n\r\nhalo\r\n.\r\n"
    );
    assert_eq!(step("250 ok\r\n"), "QUIT\r\n");
    assert_eq!(step("221 bye\r\n"), "");
    let o = outcome(&mut c);
    assert_eq!(
        o.to_string(),
        "sent to 1 recipient(s); b@y.com refused: 450 busy"
    );
    assert!(c.is_closed());
    // A client waiting forever gives up.
    let mut c = Client::new("pc1", mail("a@x.com", &["b@y.com"], "s"), SimTime::ZERO);
    c.handle_timeout(SimTime::from_secs(300));
    assert_eq!(
        outcome(&mut c).to_string(),
        "no reply from the server (timeout)"
    );
}

#[test]
fn queue_and_configs_round_trip_through_json() {
    let (mut g, _) = stores();
    let mut q = Queue::new(QueueConfig::default());
    q.enqueue(
        SimTime::ZERO,
        mail("mbrain@garudayaksa.com", &["jpri@dadali.com"], "x"),
    );
    q.handle_timeout(SimTime::ZERO, &mut g);
    let mut back: Queue = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
    assert_eq!(back.jobs(), q.jobs());
    assert_eq!(back.jobs()[0].state, JobState::NeedRoute);
    assert_eq!(back.abandon_in_flight(SimTime::from_secs(5)), 1);
    assert_eq!(back.poll_timeout(), Some(SimTime::from_secs(5)));
    let c: ServerConfig = serde_json::from_str(r#"{"hostname":"mail.dadali.com"}"#).unwrap();
    assert_eq!(c.max_message_size, ServerConfig::default().max_message_size);
    assert_eq!(c.relay, RelayPolicy::LocalSenders);
    let p: RelayPolicy =
        serde_json::from_str(r#"{"Networks":[{"addr":"10.1.0.0","prefix":24}]}"#).unwrap();
    assert!(matches!(p, RelayPolicy::Networks(ref n) if n.len() == 1));
    let qc: QueueConfig = serde_json::from_str(r#"{"retry_every_secs":60}"#).unwrap();
    assert_eq!(qc.give_up_after_secs, 5 * 86_400);
}

#[test]
fn client_declares_size_and_respects_the_server_limit() {
    let mut c = Client::new("pc1", mail("a@x.com", &["b@y.com"], "s"), SimTime::ZERO);
    c.handle_input(SimTime::ZERO, b"220 hi\r\n");
    c.handle_input(SimTime::ZERO, b"250-y.com\r\n250 SIZE 10\r\n");
    let sent: String = std::iter::from_fn(|| c.poll_output())
        .map(|b| String::from_utf8(b).unwrap())
        .collect();
    assert_eq!(sent, "EHLO pc1\r\nQUIT\r\n");
    assert_eq!(
        outcome(&mut c).to_string(),
        "message too big for the server: 552 message of 48 octets is over the server's SIZE 10"
    );
}
