//! S6: talking to servers by hand. `telnet 192.168.1.1 25`, `110` and
//! `143` from PC0: the typed lines go out as they are and the server's real
//! replies come back into the job's output.

mod common;

use lanlab_sim::services::mail::labs;
use lanlab_sim::{Engine, JobStatus, Lab, Proto};

fn load() -> Lab {
    common::load("s6-telnet.json")
}

#[test]
fn example_file_is_the_builder() {
    if std::env::var_os("LANLAB_BLESS").is_some() {
        let path = format!(
            "{}/../../public/labs/s6-telnet.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::write(path, labs::s6_telnet().to_json_pretty()).unwrap();
    }
    assert_eq!(load(), labs::s6_telnet());
}

#[test]
fn smtp_pop3_imap_by_hand() {
    let lab = load();
    let mut e = Engine::new(&lab).unwrap();
    assert!(e.run_until_idle(200_000));
    let jobs = e.jobs();
    assert_eq!(jobs.len(), 3, "{jobs:#?}");
    for j in jobs {
        assert_eq!(j.status, JobStatus::Succeeded, "{}\n{}", j.line, j.output);
    }
    let smtp = &jobs[0].output;
    for want in [
        "Connected to 192.168.1.1.",
        "220 mail.hasan.com",
        "HELO pc0",
        "250 ",
        "550 ",
        "354 ",
        "221 ",
        "Connection to host lost.",
    ] {
        assert!(smtp.contains(want), "{want:?} not in\n{smtp}");
    }
    let pop = &jobs[1].output;
    for want in ["+OK", "-ERR", "halo dari telnet", "Ini diketik tangan."] {
        assert!(pop.contains(want), "{want:?} not in\n{pop}");
    }
    let imap = &jobs[2].output;
    for want in ["* OK", "a1 OK", "a3 OK", "a4 BAD", "* BYE", "a5 OK"] {
        assert!(imap.contains(want), "{want:?} not in\n{imap}");
    }
    assert!(e.trace().filter(Proto::Imap).count() >= 10);
}

#[test]
fn telnet_to_a_closed_port_fails_clearly() {
    let lab = load();
    let mut e = Engine::new(&lab).unwrap();
    let j = e.command("PC0", "telnet 192.168.1.1 23").unwrap();
    assert!(e.run_until_idle(200_000));
    let job = e.job(j).unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    assert!(
        job.output
            .contains("Could not open connection to the host, on port 23"),
        "{}",
        job.output
    );
}

#[test]
fn typed_lines_replay_exactly() {
    let lab = load();
    let mut e = Engine::new(&lab).unwrap();
    let j = e.command("PC0", "telnet 192.168.1.1 25").unwrap();
    e.run_until(e.now() + std::time::Duration::from_secs(1));
    e.job_input(j, "EHLO pc0").unwrap();
    e.run_until(e.now() + std::time::Duration::from_secs(1));
    e.job_input(j, "QUIT").unwrap();
    assert!(e.run_until_idle(200_000));
    let out = e.job(j).unwrap().output.clone();
    assert!(
        out.contains("250-mail.hasan.com") || out.contains("250 mail.hasan.com"),
        "{out}"
    );
    // Document + seed + session log (with the typed lines) = the same run.
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(r.job(j).unwrap().output, out);
    let text = |e: &Engine| {
        e.trace()
            .events()
            .map(|ev| e.describe(ev))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(text(&r), text(&e));
    // A job that is over takes no more input.
    assert!(e.job_input(j, "NOOP").is_err());
}

/// The whole trace and every job's output, reviewed like code
/// (`LANLAB_BLESS=1` rewrites the golden file).
#[test]
fn matches_its_golden_trace() {
    let mut e = Engine::new(&load()).unwrap();
    assert!(e.run_until_idle(500_000));
    common::assert_golden("s6-telnet", &common::transcript(&e));
}

/// The submission port (RFC 6409) once the server turns it on: `EHLO`
/// offers AUTH, `MAIL` before logging in is refused with 530, a wrong
/// password with 535, and the right one lets the user send.
#[test]
fn submission_port_587_asks_for_auth() {
    let mut lab = load();
    let server = lab.device_by_name("Server0").unwrap().id;
    let dev = lab.devices.iter_mut().find(|d| d.id == server).unwrap();
    let mail = dev.services.mail.as_mut().unwrap();
    assert!(!mail.submission.on, "off unless the lab turns it on");
    mail.submission.on = true;
    let mut e = Engine::new(&lab).unwrap();
    let j = e.command("PC0", "telnet 192.168.1.1 587").unwrap();
    let second = std::time::Duration::from_secs(1);
    e.run_until(e.now() + second);
    // AUTH PLAIN of "\0akbari\0salah" and "\0akbari\0akbari123", base64.
    for line in [
        "EHLO pc0",
        "MAIL FROM:<akbari@hasan.com>",
        "AUTH PLAIN AGFrYmFyaQBzYWxhaA==",
        "AUTH PLAIN AGFrYmFyaQBha2JhcmkxMjM=",
        "MAIL FROM:<akbari@hasan.com>",
        "QUIT",
    ] {
        e.job_input(j, line).unwrap();
        e.run_until(e.now() + second);
    }
    assert!(e.run_until_idle(200_000));
    let out = e.job(j).unwrap().output.clone();
    for want in ["AUTH PLAIN LOGIN", "530 ", "535 ", "235 ", "250 ", "221 "] {
        assert!(out.contains(want), "{want:?} not in\n{out}");
    }
}
