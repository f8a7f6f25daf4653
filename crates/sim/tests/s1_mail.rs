//! S1, mail half (SCENARIOS.md): PC1 (akbari) sends `Tes Email` to
//! `12_5b_01@hasan.com` through Server0; PC0 presses Receive (POP3) and
//! the message is there and opens. The trace shows every SMTP and POP3
//! command and reply.

use lanlab_sim::mailclient::MailOp;
use lanlab_sim::services::mail::labs;
use lanlab_sim::{Action, Engine, JobStatus, Proto};

fn transcript(e: &Engine) -> String {
    e.trace()
        .events()
        .map(|ev| e.describe(ev))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn pc1_sends_pc0_receives_and_reads() {
    let lab = labs::s1_mail();
    let mut e = Engine::new(&lab).unwrap();
    assert!(e.run_until_idle(200_000));
    let jobs = e.jobs();
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0].status, JobStatus::Succeeded, "{}", jobs[0].output);
    assert!(jobs[0].output.contains("Mail sent"), "{}", jobs[0].output);
    assert_eq!(jobs[1].status, JobStatus::Succeeded, "{}", jobs[1].output);
    assert!(
        jobs[1].output.contains("Received 1 new message(s)"),
        "{}",
        jobs[1].output
    );
    let inbox = e.mail_client("PC0").unwrap().messages().to_vec();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].subject, "Tes Email");
    assert!(inbox[0].from.contains("akbari@hasan.com"));
    let read = e
        .act(Action::Mail {
            device: "PC0".into(),
            op: MailOp::Read { id: inbox[0].id },
        })
        .unwrap()
        .unwrap();
    assert!(e.job(read).unwrap().output.contains("Halo kelas 5B"));

    let smtp: Vec<String> = e
        .trace()
        .filter(Proto::Smtp)
        .map(|ev| ev.summary())
        .collect();
    let pop3: Vec<String> = e
        .trace()
        .filter(Proto::Pop3)
        .map(|ev| ev.summary())
        .collect();
    let smtp = smtp.join("\n");
    let pop3 = pop3.join("\n");
    for want in [
        "SMTP S: 220",
        "SMTP C: EHLO PC1",
        "SMTP S: 250",
        "SMTP C: MAIL FROM:<akbari@hasan.com>",
        "SMTP C: RCPT TO:<12_5b_01@hasan.com>",
        "SMTP C: DATA",
        "SMTP S: 354",
        "SMTP C: QUIT",
        "SMTP S: 221",
    ] {
        assert!(smtp.contains(want), "{want:?} not in\n{smtp}");
    }
    for want in [
        "POP3 S: +OK",
        "POP3 C: USER 12_5b_01",
        "POP3 C: PASS",
        "POP3 C: STAT",
        "POP3 C: RETR 1",
        "POP3 C: DELE 1",
        "POP3 C: QUIT",
    ] {
        assert!(pop3.contains(want), "{want:?} not in\n{pop3}");
    }
    assert!(
        !pop3.contains("kelas5b"),
        "the password is masked in summaries"
    );
    let t = transcript(&e);
    assert!(
        t.contains("message filed in 12_5b_01@hasan.com's INBOX as UID 1"),
        "{t}"
    );
}

#[test]
fn same_run_twice() {
    let lab = labs::s1_mail();
    let mut a = Engine::new(&lab).unwrap();
    let mut b = Engine::new(&lab).unwrap();
    assert!(a.run_until_idle(200_000));
    assert!(b.run_until_idle(200_000));
    assert_eq!(transcript(&a), transcript(&b));
}
