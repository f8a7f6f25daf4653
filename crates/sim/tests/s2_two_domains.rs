//! S2: two domains, mail relayed by MX (SCENARIOS.md). Runs the example
//! lab headless and checks the outcome and the trace: MX lookup at DNS0,
//! the relay's SMTP dialogue, local delivery, the queue's retry, warning
//! and bounce with fast-forwarded time, and an unknown user's 550.

mod common;

use lanlab_proto::SimTime;
use lanlab_sim::services::mail::labs;
use lanlab_sim::{Action, Engine, JobStatus, Lab, Proto};

fn load() -> Lab {
    common::load("s2-two-domains.json")
}

fn all_notes(e: &Engine) -> String {
    e.trace()
        .events()
        .map(|ev| e.describe(ev))
        .collect::<Vec<_>>()
        .join("\n")
}

fn inbox(e: &Engine, pc: &str) -> Vec<(String, String)> {
    e.mail_client(pc)
        .unwrap()
        .messages()
        .iter()
        .map(|m| (m.from.clone(), m.subject.clone()))
        .collect()
}

#[test]
fn example_file_is_the_builder() {
    if std::env::var_os("LANLAB_BLESS").is_some() {
        let path = format!(
            "{}/../../public/labs/s2-two-domains.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::write(path, labs::s2_two_domains().to_json_pretty()).unwrap();
    }
    assert_eq!(load(), labs::s2_two_domains());
}

#[test]
fn relayed_by_mx_and_received() {
    let lab = load();
    let mut e = Engine::new(&lab).unwrap();
    assert!(e.run_until_idle(500_000));
    for j in e.jobs() {
        assert_eq!(j.status, JobStatus::Succeeded, "{}\n{}", j.line, j.output);
    }
    let got = inbox(&e, "PC-Dadali");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].1, "Salam dari Garuda");
    let t = all_notes(&e);
    for want in [
        "asking DNS for the MX of dadali.com",
        "MX? dadali.com",
        "mail for dadali.com goes to mail.dadali.com (MX preference 10) at 10.2.0.25",
        "SMTP C: EHLO mail.garudayaksa.com",
        "RCPT TO:<jpri@dadali.com>",
        "relayed to dadali.com",
        "POP3 C: USER jpri",
    ] {
        assert!(t.contains(want), "trace lacks {want:?}\n{t}");
    }
    assert!(e.trace().filter(Proto::Smtp).count() > 10);

    // Same document + seed + log: the same run.
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(all_notes(&r), t);
}

#[test]
fn same_domain_is_delivered_locally() {
    let mut lab = load();
    lab.actions.clear();
    let mut e = Engine::new(&lab).unwrap();
    let mut svc = e
        .lab()
        .device_by_name("MailGaruda")
        .unwrap()
        .services
        .clone();
    svc.mail
        .as_mut()
        .unwrap()
        .users
        .push(lanlab_sim::services::MailUser {
            name: "rudi".into(),
            domain: "garudayaksa.com".into(),
            password: "rudi1".into(),
        });
    e.act(Action::SetServices {
        device: "MailGaruda".into(),
        services: Box::new(svc),
    })
    .unwrap();
    let job = e
        .act(Action::SendMail {
            device: "PC-Garuda".into(),
            to: "rudi@garudayaksa.com".into(),
            subject: "lokal".into(),
            body: "tetangga".into(),
        })
        .unwrap()
        .unwrap();
    assert!(e.run_until_idle(200_000));
    let j = e.job(job).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{}", j.output);
    let t = all_notes(&e);
    assert!(!t.contains("asking DNS for the MX"), "{t}");
    let store = e.mail_server("MailGaruda").unwrap().store();
    let id = store.find_login("rudi").unwrap();
    assert_eq!(store.folder(&id, "INBOX").unwrap().messages().len(), 1);
}

#[test]
fn unreachable_queue_retries_warns_then_bounces() {
    let mut lab = load();
    lab.actions.clear();
    let mut e = Engine::new(&lab).unwrap();
    e.act(Action::Power {
        device: "MailDadali".into(),
        on: false,
    })
    .unwrap();
    let job = e
        .act(Action::SendMail {
            device: "PC-Garuda".into(),
            to: "jpri@dadali.com".into(),
            subject: "tunggu".into(),
            body: "x".into(),
        })
        .unwrap()
        .unwrap();
    // The client's own submission succeeds: the message waits in the queue.
    e.run_until(SimTime::from_secs(60));
    let j = e.job(job).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{}", j.output);
    assert_eq!(e.mail_server("MailGaruda").unwrap().queue().jobs().len(), 1);
    // Fast-forward past 4 hours: a warning; past 5 days: a bounce.
    e.run_until(SimTime::from_secs(4 * 3600 + 20 * 60));
    let t = all_notes(&e);
    assert!(t.contains("queued for retry"), "{t}");
    assert!(t.contains("still undelivered: warning sent to <mbrain@garudayaksa.com>"));
    e.run_until(SimTime::from_secs(5 * 86_400 + 3600));
    let t = all_notes(&e);
    assert!(t.contains("bounce sent to <mbrain@garudayaksa.com>"), "{t}");
    assert!(
        e.mail_server("MailGaruda")
            .unwrap()
            .queue()
            .jobs()
            .is_empty()
    );
    let r = e
        .act(Action::ReceiveMail {
            device: "PC-Garuda".into(),
        })
        .unwrap()
        .unwrap();
    assert!(e.run_until_idle(200_000));
    let j = e.job(r).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{}", j.output);
    let got = inbox(&e, "PC-Garuda");
    assert_eq!(got.len(), 2, "warning and bounce: {got:?}");
}

#[test]
fn unknown_user_is_refused_and_bounced() {
    let mut lab = load();
    lab.actions.clear();
    let mut e = Engine::new(&lab).unwrap();
    let job = e
        .act(Action::SendMail {
            device: "PC-Garuda".into(),
            to: "siapa@dadali.com".into(),
            subject: "salah alamat".into(),
            body: "x".into(),
        })
        .unwrap()
        .unwrap();
    assert!(e.run_until_idle(500_000));
    let j = e.job(job).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{}", j.output);
    let t = all_notes(&e);
    assert!(t.contains("SMTP S: 550"), "{t}");
    assert!(t.contains("bounce sent to <mbrain@garudayaksa.com>"), "{t}");
    let r = e
        .act(Action::ReceiveMail {
            device: "PC-Garuda".into(),
        })
        .unwrap()
        .unwrap();
    assert!(e.run_until_idle(200_000));
    let j = e.job(r).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{}", j.output);
    let got = inbox(&e, "PC-Garuda");
    assert_eq!(got.len(), 1, "{got:?}");
}

/// The whole trace and every job's output, reviewed like code
/// (`LANLAB_BLESS=1` rewrites the golden file).
#[test]
fn matches_its_golden_trace() {
    let mut e = Engine::new(&load()).unwrap();
    assert!(e.run_until_idle(500_000));
    common::assert_golden("s2-two-domains", &common::transcript(&e));
}
