//! Device queries asked of a host by message, as the page asks them: each
//! answer checked against the running lab, and every question and answer
//! through JSON and back unchanged (they cross a `postMessage`).

use lanlab_proto::SimTime;
use lanlab_proto::dhcp::LeaseState;
use lanlab_proto::dns::{Name, RecordType};
use lanlab_proto::http::LoadError;

use super::views::{JobOutcome, ZoneLookup};
use super::{Answer, DeviceAnswer, DeviceQuery, Query};
use crate::Action;
use crate::host::EngineHost;
use crate::host::message::{Command, Reply};
use crate::job::{JobId, JobStatus};
use crate::lab::Lab;
use crate::mailclient::MailFailure;
use crate::testnet::TestNet;

/// `value` through the worker's wire form and back.
fn round_trip<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let json = crate::host::wire::encode(value).expect("serializes");
    crate::host::wire::decode(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Asks `query` about `device` through [`EngineHost::handle`], checking
/// that the command and the reply survive JSON.
fn ask(host: &mut EngineHost, device: &str, query: DeviceQuery) -> DeviceAnswer {
    let cmd = Command::Query {
        request: 9,
        query: Query::Device {
            device: device.into(),
            query,
        },
    };
    assert_eq!(round_trip(&cmd), cmd);
    let reply = host.handle(cmd);
    assert_eq!(round_trip(&reply), reply, "the answer survives JSON");
    let page = read_on_page(&reply);
    match reply {
        Reply::Answer {
            request: 9,
            answer: Answer::Device { answer },
        } => {
            assert_eq!(super::read_device(page.clone()), Ok(Some(answer.clone())));
            assert_eq!(super::read_run(page.clone()), Ok(None));
            assert_eq!(super::read_checks(&page), None);
            answer
        }
        other => panic!("{other:?}"),
    }
}

/// The answer in `reply` as the page holds it: the reply read with its
/// answer left unread.
pub(super) fn read_on_page(reply: &Reply) -> super::Unread {
    let json = crate::host::wire::encode(reply).expect("serializes");
    match crate::host::wire::decode::<Reply<super::Unread>>(&json) {
        Ok(Reply::Answer { answer, .. }) => answer,
        other => panic!("{other:?}: {json}"),
    }
}

fn example(text: &str) -> Lab {
    serde_json::from_str(text).expect("an example lab")
}

fn s1() -> Lab {
    example(include_str!(
        "../../../../../public/labs/s1-one-server.json"
    ))
}

/// Runs the host's engine to virtual time `secs`.
fn run_to(host: &mut EngineHost, secs: u64) {
    host.handle(Command::SeekTime {
        micros: SimTime::from_micros(secs * 1_000_000).as_micros(),
    });
}

/// Takes a live action; its job.
fn act(host: &mut EngineHost, action: Action) -> JobId {
    match host.handle(Command::Act {
        request: 1,
        action: Box::new(action),
    }) {
        Reply::Done {
            result: Ok(Some(job)),
            ..
        } => job,
        other => panic!("{other:?}"),
    }
}

/// Runs a line at a device's prompt or console; the reply.
fn run(host: &mut EngineHost, device: &str, line: &str) -> Reply {
    let reply = host.handle(Command::Run {
        request: 3,
        device: device.into(),
        line: line.into(),
    });
    assert_eq!(round_trip(&reply), reply);
    reply
}

#[test]
fn dhcp_leases_are_the_servers_and_none_elsewhere() {
    let mut host = EngineHost::new(&s1());
    run_to(&mut host, 25);
    let DeviceAnswer::DhcpLeases {
        leases: Some(leases),
    } = ask(&mut host, "Server0", DeviceQuery::DhcpLeases)
    else {
        panic!("a DHCP server runs on Server0");
    };
    assert_eq!(leases.len(), 2, "{leases:?}");
    assert!(
        leases.iter().all(|l| l.state == LeaseState::Bound),
        "{leases:?}"
    );
    assert!(leases.iter().all(|l| l.mac.len() == 17), "{leases:?}");
    assert_eq!(
        ask(&mut host, "PC0", DeviceQuery::DhcpLeases),
        DeviceAnswer::DhcpLeases { leases: None }
    );
}

#[test]
fn dns_answer_carries_the_name_and_type_asked() {
    let mut host = EngineHost::new(&s1());
    run_to(&mut host, 1);
    let q = |name: &str, ty: RecordType| DeviceQuery::DnsAnswer {
        name: Name::parse(name).unwrap(),
        rtype: u16::from(ty),
    };
    let DeviceAnswer::DnsAnswer {
        lookup: Some(ZoneLookup::Records { records }),
    } = ask(&mut host, "Server0", q("www.hasan.com", RecordType::A))
    else {
        panic!("records for www.hasan.com");
    };
    assert_eq!(records.len(), 2, "CNAME then A: {records:?}");
    assert!(records[0].contains("CNAME"), "{records:?}");
    assert!(records[1].contains("192.168.1.1"), "{records:?}");
    assert_eq!(
        ask(&mut host, "Server0", q("nothing.hasan.com", RecordType::A)),
        DeviceAnswer::DnsAnswer {
            lookup: Some(ZoneLookup::NxDomain)
        }
    );
    assert_eq!(
        ask(&mut host, "Server0", q("hasan.com", RecordType::Txt)),
        DeviceAnswer::DnsAnswer {
            lookup: Some(ZoneLookup::NoData)
        }
    );
    assert_eq!(
        ask(&mut host, "Server0", q("example.org", RecordType::A)),
        DeviceAnswer::DnsAnswer { lookup: None },
        "no zone holds it"
    );
    assert_eq!(
        ask(&mut host, "PC0", q("hasan.com", RecordType::A)),
        DeviceAnswer::DnsAnswer { lookup: None },
        "no DNS server on PC0"
    );
}

#[test]
fn dns_cache_fills_as_the_resolver_recurses() {
    let lab = example(include_str!("../../../../../public/labs/s4-dns.json"));
    let mut host = EngineHost::new(&lab);
    assert_eq!(
        ask(&mut host, "Resolver", DeviceQuery::DnsCache),
        DeviceAnswer::DnsCache {
            entries: Vec::new()
        }
    );
    run_to(&mut host, 10);
    let DeviceAnswer::DnsCache { entries } = ask(&mut host, "Resolver", DeviceQuery::DnsCache)
    else {
        panic!()
    };
    assert!(
        entries.iter().any(|e| e.contains("hasan.com")),
        "{entries:?}"
    );
    assert_eq!(
        ask(&mut host, "PC0", DeviceQuery::DnsCache),
        DeviceAnswer::DnsCache {
            entries: Vec::new()
        }
    );
}

#[test]
fn mail_server_shows_mailboxes_and_queue() {
    let mut host = EngineHost::new(&s1());
    run_to(&mut host, 25);
    let DeviceAnswer::MailServer { mailboxes, queue } =
        ask(&mut host, "Server0", DeviceQuery::MailServer)
    else {
        panic!()
    };
    assert_eq!(mailboxes.len(), 2, "{mailboxes:?}");
    assert!(mailboxes.iter().all(|b| b.account.contains('@')));
    assert_eq!(queue, 0);
    assert_eq!(
        ask(&mut host, "PC0", DeviceQuery::MailServer),
        DeviceAnswer::MailServer {
            mailboxes: Vec::new(),
            queue: 0
        }
    );
}

#[test]
fn mail_inbox_holds_what_the_client_received() {
    let lab = example(include_str!("../../../../../public/labs/s5-pop3-imap.json"));
    let mut host = EngineHost::new(&lab);
    assert_eq!(
        ask(&mut host, "Desktop", DeviceQuery::MailInbox),
        DeviceAnswer::MailInbox {
            messages: Vec::new()
        }
    );
    run_to(&mut host, 20);
    let DeviceAnswer::MailInbox { messages } = ask(&mut host, "Desktop", DeviceQuery::MailInbox)
    else {
        panic!()
    };
    let subjects: Vec<_> = messages.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["Tugas 1", "Tugas 2"], "{messages:?}");
    assert!(messages.iter().all(|m| m.folder == "INBOX"));
}

#[test]
fn a_browser_job_answers_its_page_or_its_error() {
    let mut host = EngineHost::new(&s1());
    run_to(&mut host, 20);
    let page = act(
        &mut host,
        Action::OpenUrl {
            device: "PC0".into(),
            url: "hasan.com".into(),
        },
    );
    let bad = act(
        &mut host,
        Action::OpenUrl {
            device: "PC0".into(),
            url: "https://hasan.com".into(),
        },
    );
    let DeviceAnswer::Job { job: Some(loading) } =
        ask(&mut host, "PC0", DeviceQuery::Job { job: page })
    else {
        panic!()
    };
    assert_eq!(loading.status, JobStatus::Running);
    assert_eq!(loading.line, "PC0: browser opens hasan.com");
    run_to(&mut host, 30);
    let DeviceAnswer::Job { job: Some(done) } =
        ask(&mut host, "PC0", DeviceQuery::Job { job: page })
    else {
        panic!()
    };
    assert_eq!(done.status, JobStatus::Succeeded, "{}", done.output);
    let Some(JobOutcome::Page(p)) = done.outcome else {
        panic!("{:?}", done.outcome)
    };
    assert_eq!(p.url.to_string(), "http://hasan.com/");
    assert!(p.text().contains("<html"), "{}", p.text());
    let DeviceAnswer::Job { job: Some(refused) } =
        ask(&mut host, "PC0", DeviceQuery::Job { job: bad })
    else {
        panic!()
    };
    assert!(
        matches!(
            refused.outcome,
            Some(JobOutcome::LoadError(LoadError::InvalidAddress(_)))
        ),
        "{refused:?}"
    );
    assert_eq!(
        ask(&mut host, "PC1", DeviceQuery::Job { job: page }),
        DeviceAnswer::Job { job: None },
        "the job is PC0's"
    );
    assert_eq!(
        ask(&mut host, "PC0", DeviceQuery::Job { job: JobId(9999) }),
        DeviceAnswer::Job { job: None }
    );
}

#[test]
fn a_mail_job_answers_why_it_failed() {
    let mut lab = s1();
    lab.actions.clear();
    let pc = lab.devices.iter_mut().find(|d| d.name == "PC0").unwrap();
    pc.services.mail_client.as_mut().unwrap().password = "wrong".into();
    let mut host = EngineHost::new(&lab);
    let job = act(
        &mut host,
        Action::ReceiveMail {
            device: "PC0".into(),
        },
    );
    run_to(&mut host, 20);
    let DeviceAnswer::Job { job: Some(j) } = ask(&mut host, "PC0", DeviceQuery::Job { job }) else {
        panic!()
    };
    assert_eq!(j.status, JobStatus::Failed, "{}", j.output);
    let Some(JobOutcome::MailFailed(why)) = &j.outcome else {
        panic!("{j:?}")
    };
    assert!(
        matches!(why, MailFailure::LoginRefused { .. }),
        "{why:?}: {}",
        j.output
    );
}

#[test]
fn access_lists_are_a_routers_show_output() {
    let lab = example(include_str!("../../../../../public/labs/s7-firewall.json"));
    let mut host = EngineHost::new(&lab);
    run_to(&mut host, 6);
    let DeviceAnswer::AccessLists { text: Some(text) } =
        ask(&mut host, "Router0", DeviceQuery::AccessLists)
    else {
        panic!("Router0 is a router")
    };
    assert!(text.contains("access list"), "{text}");
    assert!(text.contains("match"), "the ping was counted: {text}");
    assert_eq!(
        ask(&mut host, "PC0", DeviceQuery::AccessLists),
        DeviceAnswer::AccessLists { text: None }
    );
}

#[test]
fn nat_table_lists_translations_where_nat_is_configured() {
    let lab = example(include_str!("../../../../../public/labs/s12-nat.json"));
    let mut host = EngineHost::new(&lab);
    run_to(&mut host, 30);
    let DeviceAnswer::NatTable { rows: Some(rows) } = ask(&mut host, "R1", DeviceQuery::NatTable)
    else {
        panic!("NAT is configured on R1")
    };
    assert!(!rows.is_empty(), "translations after the lab's traffic");
    assert!(
        rows.iter()
            .any(|r| r.inside_local.starts_with("192.168.10.")),
        "{rows:?}"
    );
    assert_eq!(
        ask(&mut host, "ISP", DeviceQuery::NatTable),
        DeviceAnswer::NatTable { rows: None }
    );
}

fn router_lab() -> Lab {
    TestNet::new()
        .router("R1", &["10.0.0.1/24"])
        .pc("PC0", "10.0.0.10/24", Some("10.0.0.1"))
        .link("PC0", "R1")
        .into_lab()
}

#[test]
fn console_prompt_history_help_and_completion() {
    let mut host = EngineHost::new(&router_lab());
    assert_eq!(
        ask(&mut host, "R1", DeviceQuery::Console),
        DeviceAnswer::Console {
            prompt: Some("R1>".into()),
            history: Vec::new()
        }
    );
    run(&mut host, "R1", "enable");
    assert_eq!(
        ask(&mut host, "R1", DeviceQuery::Console),
        DeviceAnswer::Console {
            prompt: Some("R1#".into()),
            history: vec!["enable".into()]
        }
    );
    let DeviceAnswer::ConsoleHelp { help: Some(help) } = ask(
        &mut host,
        "R1",
        DeviceQuery::ConsoleHelp {
            line: "conf".into(),
        },
    ) else {
        panic!()
    };
    assert_eq!(help.prompt, "R1#");
    assert!(help.text.contains("configure"), "{}", help.text);
    assert_eq!(
        ask(
            &mut host,
            "R1",
            DeviceQuery::ConsoleComplete {
                line: "conf".into()
            }
        ),
        DeviceAnswer::ConsoleComplete {
            line: Some("configure ".into())
        }
    );
    // A PC has no IOS console.
    assert_eq!(
        ask(
            &mut host,
            "PC0",
            DeviceQuery::ConsoleComplete {
                line: "conf".into()
            }
        ),
        DeviceAnswer::ConsoleComplete { line: None }
    );
    assert_eq!(
        ask(
            &mut host,
            "PC0",
            DeviceQuery::ConsoleHelp { line: "".into() }
        ),
        DeviceAnswer::ConsoleHelp { help: None }
    );
    assert_eq!(
        ask(&mut host, "nobody", DeviceQuery::Console),
        DeviceAnswer::Console {
            prompt: None,
            history: Vec::new()
        }
    );
}

#[test]
fn a_console_line_replies_with_its_prompt_and_the_configuration_after() {
    let mut host = EngineHost::new(&router_lab());
    run(&mut host, "R1", "enable");
    run(&mut host, "R1", "configure terminal");
    let Reply::Ran {
        request: 3,
        result: Ok(_),
        prompt: Some(prompt),
        device: Some(after),
    } = run(&mut host, "R1", "hostname Edge")
    else {
        panic!()
    };
    assert_eq!(prompt, "R1(config)#", "the prompt before the line");
    assert_eq!(after.name, "Edge", "the configuration after it, renamed");
    let Reply::Ran {
        result: Err(e),
        prompt: None,
        device: None,
        ..
    } = run(&mut host, "nobody", "enable")
    else {
        panic!()
    };
    assert!(e.to_string().contains("nobody"), "{e}");
}

#[test]
fn queries_about_an_engine_that_is_not_there() {
    let mut host = EngineHost::default();
    assert_eq!(
        host.handle(Command::Query {
            request: 1,
            query: Query::Device {
                device: "PC0".into(),
                query: DeviceQuery::DhcpLeases
            }
        }),
        Reply::NoEngine
    );
}

#[test]
fn the_page_reads_the_checks_without_reading_other_run_answers() {
    use super::RunAnswer;
    for passed in [vec![], vec![true], vec![false, true, false]] {
        let reply = Reply::Answer {
            request: 1,
            answer: Answer::Run {
                answer: RunAnswer::Checks {
                    passed: passed.clone(),
                },
            },
        };
        let page = read_on_page(&reply);
        assert_eq!(super::read_checks(&page), Some(passed.clone()));
        assert_eq!(
            super::read_run(page.clone()),
            Ok(Some(RunAnswer::Checks { passed }))
        );
    }
    let other = read_on_page(&Reply::Answer {
        request: 1,
        answer: Answer::Run {
            answer: RunAnswer::Timeline {
                span: 1,
                now: 0,
                next: 0,
                ticks: vec![],
            },
        },
    });
    assert_eq!(super::read_checks(&other), None);
    let broken = serde_json::json!({"run": {"answer": {"checks": {"passed": [true, 1]}}}});
    assert_eq!(
        super::read_checks(&broken),
        None,
        "not a list of yes and no"
    );
    assert!(
        super::read_run(broken).is_err(),
        "an answer that does not read is an error"
    );
    let device = serde_json::json!({"device": {"answer": {"nonsense": {}}}});
    assert!(super::read_device(device.clone()).is_err());
    assert_eq!(
        super::read_run(device),
        Ok(None),
        "another kind is no error"
    );
}
