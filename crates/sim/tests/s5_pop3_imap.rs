//! S5: POP3 or IMAP — one mailbox read from a desktop and a laptop.

mod common;

use lanlab_proto::SimTime;
use lanlab_sim::mailclient::{IncomingProto, MailOp, MarkFlag};
use lanlab_sim::services::mail::labs;
use lanlab_sim::{Action, Engine, JobStatus, Lab};

fn load() -> Lab {
    common::load("s5-pop3-imap.json")
}

/// The lab with both readers switched to POP3 (`leave_copy`, `apop`).
fn pop3_lab(leave_copy: bool, apop: bool) -> Lab {
    let mut lab = load();
    for name in ["Desktop", "Laptop"] {
        let id = lab.device_by_name(name).unwrap().id;
        let acc = lab
            .device_mut(id)
            .unwrap()
            .services
            .mail_client
            .as_mut()
            .unwrap();
        acc.incoming = IncomingProto::Pop3;
        acc.leave_copy = leave_copy;
        acc.apop = apop;
    }
    lab
}

fn inbox(e: &Engine, pc: &str) -> Vec<lanlab_sim::mailclient::LocalMessage> {
    e.mail_client(pc).unwrap().messages().to_vec()
}

fn all_ok(e: &Engine) {
    for j in e.jobs() {
        assert_eq!(j.status, JobStatus::Succeeded, "{}\n{}", j.line, j.output);
    }
}

fn notes(e: &Engine) -> String {
    e.trace()
        .events()
        .map(|ev| e.describe(ev))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn example_file_is_the_builder() {
    if std::env::var_os("LANLAB_BLESS").is_some() {
        let path = format!(
            "{}/../../public/labs/s5-pop3-imap.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::write(path, labs::s5_pop3_imap().to_json_pretty()).unwrap();
    }
    assert_eq!(load(), labs::s5_pop3_imap());
}

#[test]
fn pop3_download_and_delete_leaves_nothing_for_the_laptop() {
    let mut e = Engine::new(&pop3_lab(false, false)).unwrap();
    assert!(e.run_until_idle(500_000));
    all_ok(&e);
    assert_eq!(inbox(&e, "Desktop").len(), 2);
    assert_eq!(
        inbox(&e, "Laptop").len(),
        0,
        "the second device finds nothing"
    );
}

#[test]
fn pop3_leave_a_copy_remembers_uidls() {
    let mut e = Engine::new(&pop3_lab(true, false)).unwrap();
    assert!(e.run_until_idle(500_000));
    all_ok(&e);
    assert_eq!(inbox(&e, "Desktop").len(), 2);
    assert_eq!(inbox(&e, "Laptop").len(), 2, "copies left on the server");
    let j = e
        .act(Action::ReceiveMail {
            device: "Desktop".into(),
        })
        .unwrap()
        .unwrap();
    assert!(e.run_until_idle(500_000));
    assert!(
        e.job(j).unwrap().output.contains("Received 0 new"),
        "{}",
        e.job(j).unwrap().output
    );
    assert_eq!(inbox(&e, "Desktop").len(), 2);
    e.act(Action::Mail {
        device: "Desktop".into(),
        op: MailOp::ForgetUidls,
    })
    .unwrap();
    e.act(Action::ReceiveMail {
        device: "Desktop".into(),
    })
    .unwrap();
    assert!(e.run_until_idle(500_000));
    assert_eq!(
        inbox(&e, "Desktop").len(),
        4,
        "clearing the memory fetches all again"
    );
    assert!(notes(&e).contains("POP3 C: UIDL"));
}

#[test]
fn apop_never_sends_the_password() {
    let mut e = Engine::new(&pop3_lab(false, true)).unwrap();
    assert!(e.run_until_idle(500_000));
    all_ok(&e);
    let t = notes(&e);
    assert!(t.contains("POP3 C: APOP 12_5b_01"), "{t}");
    assert!(!t.contains("PASS"), "{t}");
    assert_eq!(inbox(&e, "Desktop").len(), 2);
}

#[test]
fn imap_devices_share_flags_folders_and_moves() {
    let mut e = Engine::new(&load()).unwrap();
    assert!(e.run_until_idle(500_000));
    all_ok(&e);
    let d = inbox(&e, "Desktop");
    assert_eq!(d.len(), 2);
    assert!(d.iter().all(|m| !m.read));
    // Read on the desktop: read on the laptop after its next sync.
    e.act(Action::Mail {
        device: "Desktop".into(),
        op: MailOp::Read { id: d[0].id },
    })
    .unwrap();
    e.act(Action::Mail {
        device: "Desktop".into(),
        op: MailOp::Mark {
            id: d[1].id,
            flag: MarkFlag::Answered,
            on: true,
        },
    })
    .unwrap();
    assert!(e.run_until_idle(500_000));
    e.act(Action::ReceiveMail {
        device: "Laptop".into(),
    })
    .unwrap();
    assert!(e.run_until_idle(500_000));
    let l = inbox(&e, "Laptop");
    assert!(l.iter().find(|m| m.subject == d[0].subject).unwrap().read);
    assert!(
        l.iter()
            .find(|m| m.subject == d[1].subject)
            .unwrap()
            .answered
    );
    // A folder made on the laptop, a message moved into it: the desktop sees both.
    e.act(Action::Mail {
        device: "Laptop".into(),
        op: MailOp::CreateFolder {
            name: "Tugas".into(),
        },
    })
    .unwrap();
    assert!(e.run_until_idle(500_000));
    e.act(Action::Mail {
        device: "Laptop".into(),
        op: MailOp::Move {
            id: l[0].id,
            folder: "Tugas".into(),
        },
    })
    .unwrap();
    assert!(e.run_until_idle(500_000));
    e.act(Action::Mail {
        device: "Desktop".into(),
        op: MailOp::Sync {
            folder: "Tugas".into(),
        },
    })
    .unwrap();
    e.act(Action::ReceiveMail {
        device: "Desktop".into(),
    })
    .unwrap();
    assert!(e.run_until_idle(500_000));
    all_ok(&e);
    let client = e.mail_client("Desktop").unwrap();
    assert!(client.folders().iter().any(|f| f == "Tugas"));
    assert_eq!(
        client
            .messages()
            .iter()
            .filter(|m| m.folder == "Tugas")
            .count(),
        1
    );
    assert_eq!(
        client
            .messages()
            .iter()
            .filter(|m| m.folder == "INBOX")
            .count(),
        1
    );
    // Search runs on the server.
    let left = client
        .messages()
        .iter()
        .find(|m| m.folder == "INBOX")
        .unwrap()
        .subject
        .clone();
    let j = e
        .act(Action::Mail {
            device: "Desktop".into(),
            op: MailOp::Search {
                folder: "INBOX".into(),
                text: left.clone(),
            },
        })
        .unwrap()
        .unwrap();
    assert!(e.run_until_idle(500_000));
    let out = &e.job(j).unwrap().output;
    assert!(out.contains("1 message(s) found on the server"), "{out}");
    assert!(out.contains(&left), "{out}");
    assert!(notes(&e).contains("IMAP C: "), "search goes over the wire");
}

#[test]
fn idle_pop3_session_is_logged_out_without_deleting() {
    let mut e = Engine::new(&load()).unwrap();
    assert!(e.run_until_idle(500_000));
    let j = e.command("Sender", "telnet 192.168.1.1 110").unwrap();
    e.run_until(e.now() + std::time::Duration::from_secs(1));
    e.job_input(j, "USER 12_5b_01").unwrap();
    e.run_until(e.now() + std::time::Duration::from_secs(1));
    e.job_input(j, "PASS kelas5b").unwrap();
    e.run_until(e.now() + std::time::Duration::from_secs(1));
    e.job_input(j, "DELE 1").unwrap();
    // Ten idle minutes: autologout, and DELE is not carried out.
    e.run_until(e.now() + std::time::Duration::from_secs(11 * 60));
    let job = e.job(j).unwrap();
    assert_ne!(job.status, JobStatus::Running, "{}", job.output);
    let store = e.mail_server("Server0").unwrap().store();
    let id = store.find_login("12_5b_01").unwrap();
    assert_eq!(store.folder(&id, "INBOX").unwrap().messages().len(), 2);
    let _ = SimTime::ZERO;
}

#[test]
fn pop3_switched_off_gives_a_clear_error() {
    let mut lab = pop3_lab(false, false);
    lab.actions.truncate(2);
    let id = lab.device_by_name("Server0").unwrap().id;
    lab.device_mut(id)
        .unwrap()
        .services
        .mail
        .as_mut()
        .unwrap()
        .pop3
        .on = false;
    let mut e = Engine::new(&lab).unwrap();
    let j = e
        .act(Action::ReceiveMail {
            device: "Desktop".into(),
        })
        .unwrap()
        .unwrap();
    assert!(e.run_until_idle(500_000));
    let job = e.job(j).unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    assert!(
        job.output
            .contains("cannot reach the POP3 server at 192.168.1.1:110: connection refused"),
        "{}",
        job.output
    );
}

/// The whole trace and every job's output, reviewed like code
/// (`LANLAB_BLESS=1` rewrites the golden file).
#[test]
fn matches_its_golden_trace() {
    let mut e = Engine::new(&load()).unwrap();
    assert!(e.run_until_idle(500_000));
    common::assert_golden("s5-pop3-imap", &common::transcript(&e));
}

/// Delete on an IMAP account moves the message to `\Trash` with `UID MOVE`
/// (RFC 6851); deleted again in Trash it is flagged and erased with `UID
/// EXPUNGE` (RFC 4315); every session leaves its folder with `UNSELECT`
/// (RFC 3691). The conversation view explains those lines.
#[test]
fn imap_delete_moves_to_trash_then_erases() {
    use lanlab_sim::conversation::{self, Hint};
    let mut e = Engine::new(&load()).unwrap();
    assert!(e.run_until_idle(500_000));
    let d = inbox(&e, "Desktop");
    e.act(Action::Mail {
        device: "Desktop".into(),
        op: MailOp::Delete { id: d[0].id },
    })
    .unwrap();
    assert!(e.run_until_idle(500_000));
    e.act(Action::Mail {
        device: "Desktop".into(),
        op: MailOp::Sync {
            folder: "Trash".into(),
        },
    })
    .unwrap();
    assert!(e.run_until_idle(500_000));
    all_ok(&e);
    let trashed = |e: &Engine| {
        e.mail_client("Desktop")
            .unwrap()
            .messages()
            .iter()
            .filter(|m| m.folder == "Trash")
            .cloned()
            .collect::<Vec<_>>()
    };
    let in_trash = trashed(&e);
    assert_eq!(in_trash.len(), 1);
    assert_eq!(in_trash[0].subject, d[0].subject);
    assert_eq!(
        inbox(&e, "Desktop")
            .iter()
            .filter(|m| m.folder == "INBOX")
            .count(),
        1
    );
    e.act(Action::Mail {
        device: "Desktop".into(),
        op: MailOp::Delete { id: in_trash[0].id },
    })
    .unwrap();
    assert!(e.run_until_idle(500_000));
    all_ok(&e);
    assert!(trashed(&e).is_empty());
    let store = e.mail_server("Server0").unwrap().store();
    let id = store.find_login("12_5b_01").unwrap();
    assert!(store.folder(&id, "Trash").unwrap().messages().is_empty());

    let t = notes(&e);
    assert!(t.contains(" UID MOVE 1 Trash"), "{t}");
    assert!(t.contains(" UID EXPUNGE 1"), "{t}");
    assert!(t.contains(" UNSELECT"), "{t}");
    assert!(!t.contains(" CLOSE |"), "{t}");
    // The conversation of the first delete, with its explanations.
    let conns = conversation::connections(e.trace());
    let hints: Vec<Hint> = conns
        .iter()
        .filter(|c| c.server.1 == 143)
        .flat_map(|c| {
            conversation::conversation(e.trace(), c)
                .into_iter()
                .filter_map(move |l| conversation::hint(c, &l))
        })
        .collect();
    for want in [
        Hint::Move,
        Hint::UidFetch,
        Hint::UidStore,
        Hint::UidExpunge,
        Hint::Unselect,
    ] {
        assert!(hints.contains(&want), "{want:?} in {hints:?}");
    }
}
