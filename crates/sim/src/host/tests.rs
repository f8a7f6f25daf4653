//! The host, driven by messages only, as the page drives it.

use super::message::{Command, Reply, SyncOutcome};
use super::query::Answer;
use super::*;
use crate::testnet::TestNet;

/// Two PCs on a switch, addressed in one subnet.
pub(crate) fn lab() -> Lab {
    TestNet::new()
        .pc("PC0", "192.168.1.10/24", None)
        .pc("PC1", "192.168.1.11/24", None)
        .switch("Switch0", 4)
        .link("PC0", "Switch0")
        .link("PC1", "Switch0")
        .into_lab()
}

fn ping(host: &mut EngineHost) -> JobId {
    match host.handle(Command::Run {
        request: 7,
        device: "PC0".into(),
        line: "ping -n 1 192.168.1.11".into(),
    }) {
        Reply::Ran {
            request: 7,
            result: Ok(job),
            ..
        } => job,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_step_stops_after_the_rows_the_filter_shows() {
    let mut host = EngineHost::new(&lab());
    ping(&mut host);
    let rows = host.state(&[]).rows;
    let icmp = ProtoFilter::of(["ICMP"]);
    assert_eq!(
        host.handle(Command::Step {
            rows: 1,
            filter: icmp.clone()
        }),
        Reply::Moved { moved: true }
    );
    let e = host.engine().unwrap();
    let shown: Vec<_> = e
        .trace()
        .events()
        .skip(rows)
        .filter(|ev| icmp.shows_event(ev))
        .collect();
    assert_eq!(shown.len(), 1, "exactly one ICMP row appeared");
    // Back goes to before that row.
    host.handle(Command::Back {
        filter: icmp.clone(),
    });
    let e = host.engine().unwrap();
    assert_eq!(
        e.trace().events().filter(|ev| icmp.shows_event(ev)).count(),
        0
    );
}

#[test]
fn a_watched_job_is_in_the_state() {
    let mut host = EngineHost::new(&lab());
    let job = ping(&mut host);
    for _ in 0..100 {
        host.handle(Command::Tick {
            wall_ms: 50.0,
            speed: 1.0,
        });
    }
    let st = host.state(&[job]);
    assert!(st.now >= 5_000_000, "virtual time ran: {}", st.now);
    assert_eq!(st.jobs.len(), 1);
    assert_eq!(st.jobs[0].status, JobStatus::Succeeded);
    assert!(st.jobs[0].output.contains("Reply from 192.168.1.11"));
    assert!(st.rows > 0 && st.events > 0);
    assert!(host.state(&[]).jobs.is_empty());
}

#[test]
fn sync_is_live_when_it_can_be_and_rebuilds_when_not() {
    let a = lab();
    let mut host = EngineHost::new(&a);
    let mut moved = a.clone();
    moved.devices[0].pos.x += 10.0;
    let sync = |host: &mut EngineHost, lab: &Lab| match host.handle(Command::Sync {
        lab: Box::new(lab.clone()),
    }) {
        Reply::Synced { outcome, .. } => outcome,
        other => panic!("{other:?}"),
    };
    assert_eq!(sync(&mut host, &moved), SyncOutcome::Unchanged);
    let mut off = moved.clone();
    off.devices[1].powered = false;
    assert_eq!(sync(&mut host, &off), SyncOutcome::Live(1));
    assert!(host.state(&[]).off.contains(&off.devices[1].id));
    let mut renamed = off.clone();
    renamed.devices[0].name = "Laptop".into();
    assert_eq!(sync(&mut host, &renamed), SyncOutcome::Rebuilt);
    assert_eq!(host.state(&[]).events, 0);
}

#[test]
fn a_rebuild_hands_back_what_the_prompts_printed() {
    let a = lab();
    let mut host = EngineHost::new(&a);
    let job = ping(&mut host);
    host.step_forward(u32::MAX, &ProtoFilter::default());
    let mut renamed = a.clone();
    renamed.devices[1].name = "Laptop".into();
    let Reply::Synced { outcome, outputs } = host.handle(Command::Sync {
        lab: Box::new(renamed),
    }) else {
        panic!()
    };
    assert_eq!(outcome, SyncOutcome::Rebuilt);
    let (id, text) = &outputs[0];
    assert_eq!(*id, job);
    assert!(text.contains("Reply from 192.168.1.11"));
}

#[test]
fn seek_and_skip_move_the_run() {
    let mut host = EngineHost::new(&lab());
    ping(&mut host);
    assert!(host.step_forward(u32::MAX, &ProtoFilter::default()));
    let end = host.state(&[]);
    assert_eq!(end.frames_in_flight, 0);
    host.handle(Command::Seek { event: 2 });
    assert_eq!(host.state(&[]).events, 2);
    host.handle(Command::SeekTime { micros: end.now });
    assert_eq!(host.state(&[]).events, end.events);
    host.handle(Command::SeekTime { micros: 0 });
    assert!(host.state(&[]).events < end.events, "went back by replay");
    // Skip refuses while frames are on cables.
    host.handle(Command::Seek { event: 1 });
    if host.state(&[]).frames_in_flight > 0 {
        assert_eq!(
            host.handle(Command::SkipToTimer),
            Reply::Moved { moved: false }
        );
    }
}

#[test]
fn the_pcap_holds_the_run() {
    let mut host = EngineHost::new(&lab());
    ping(&mut host);
    host.step_forward(u32::MAX, &ProtoFilter::default());
    let Reply::Pcap { bytes } = host.handle(Command::Pcap { link: None }) else {
        panic!()
    };
    assert!(bytes.len() > 24 + 16 + 42, "header and at least one frame");
}

#[test]
fn no_engine_when_the_document_cannot_build_one() {
    let mut host = EngineHost::default();
    assert_eq!(host.state(&[]), message::TickState::default());
    assert_eq!(
        host.handle(Command::Run {
            request: 1,
            device: "PC0".into(),
            line: "ipconfig".into()
        }),
        Reply::NoEngine
    );
    assert_eq!(
        host.handle(Command::SkipToTimer),
        Reply::Moved { moved: false }
    );
}

#[test]
fn messages_survive_serialization() {
    let cmds = [
        Command::Load {
            lab: Box::new(lab()),
        },
        Command::Step {
            rows: 3,
            filter: ProtoFilter::of(["DNS"]),
        },
        Command::Tick {
            wall_ms: 50.0,
            speed: 2.0,
        },
        Command::Act {
            request: 4,
            action: Box::new(crate::Action::Power {
                device: "PC0".into(),
                on: false,
            }),
        },
        Command::Pcap {
            link: Some(LinkId(3)),
        },
        Command::Neighbours,
    ];
    for c in cmds {
        let json = wire::encode(&c).unwrap();
        assert_eq!(wire::decode::<Command>(&json).unwrap(), c);
    }
    let mut host = EngineHost::new(&lab());
    let job = ping(&mut host);
    host.step_forward(5, &ProtoFilter::default());
    let st = host.state(&[job]);
    let json = wire::encode(&st).unwrap();
    assert_eq!(wire::decode::<message::TickState>(&json).unwrap(), st);
}

/// An example lab from `public/labs`.
fn example(file: &str) -> Lab {
    let path = format!("{}/../../public/labs/{file}", env!("CARGO_MANIFEST_DIR"));
    Lab::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// An example lab from `public/labs`, run by the host for `secs` virtual seconds.
fn example_at(file: &str, secs: u64) -> EngineHost {
    let mut host = EngineHost::new(&example(file));
    let end = SimTime::from_secs(secs);
    while host.engine().is_some_and(|e| e.now() < end) {
        host.tick(1_000.0, 1.0);
    }
    host
}

fn neighbours_of(host: &mut EngineHost) -> Vec<crate::engine::Neighbour> {
    let Reply::Neighbours { neighbours } = host.handle(Command::Neighbours) else {
        panic!("not a neighbour list");
    };
    // The reply crosses a worker's postMessage unchanged.
    let json = wire::encode(&Reply::<Answer>::Neighbours {
        neighbours: neighbours.clone(),
    })
    .unwrap();
    assert_eq!(
        wire::decode::<Reply>(&json).unwrap(),
        Reply::Neighbours {
            neighbours: neighbours.clone()
        }
    );
    neighbours
}

#[test]
fn ospf_neighbours_carry_state_and_role_per_interface() {
    use crate::engine::RoutingProtocol;
    let mut host = example_at("s14-ospf.json", 60);
    let all = neighbours_of(&mut host);
    let id = |name: &str| {
        host.engine()
            .and_then(|e| e.lab().device_by_name(name))
            .map(|d| d.id)
    };
    let r1: Vec<_> = all.iter().filter(|n| Some(n.router) == id("R1")).collect();
    // R2 on Gi0/0, R3 on Gi0/1, R2 and R3 on the shared segment (Gi0/3).
    assert_eq!(r1.len(), 4, "{r1:?}");
    assert!(r1.iter().all(|n| n.protocol == RoutingProtocol::Ospf));
    assert!(
        r1.iter().all(|n| n.state.as_deref() == Some("FULL")),
        "{r1:?}"
    );
    let on = |port: usize| -> Vec<_> { r1.iter().filter(|n| n.port == port).collect() };
    assert_eq!(on(0)[0].device, id("R2"));
    assert_eq!(on(1)[0].device, id("R3"));
    // The shared segment: R1 is DR (priority 10), R3 BDR, R2 DROTHER.
    let seg = on(3);
    assert_eq!(seg.len(), 2, "{seg:?}");
    let role = |d| {
        seg.iter()
            .find(|n| n.device == d)
            .and_then(|n| n.role.clone())
    };
    assert_eq!(role(id("R3")).as_deref(), Some("BDR"));
    assert_eq!(role(id("R2")).as_deref(), Some("DROTHER"));
    // Between the two DROTHER/BDR routers of the segment: R2 sees R1 as DR.
    assert!(all.iter().any(|n| Some(n.router) == id("R2")
        && n.port == 3
        && n.device == id("R1")
        && n.role.as_deref() == Some("DR")));
}

#[test]
fn rip_neighbours_are_the_routers_heard_from() {
    use crate::engine::RoutingProtocol;
    let mut host = example_at("s13-rip.json", 40);
    let all = neighbours_of(&mut host);
    let id = |name: &str| {
        host.engine()
            .and_then(|e| e.lab().device_by_name(name))
            .map(|d| d.id)
    };
    let of = |name: &str| -> Vec<(usize, Option<crate::lab::DeviceId>)> {
        all.iter()
            .filter(|n| Some(n.router) == id(name))
            .inspect(|n| assert_eq!(n.protocol, RoutingProtocol::Rip))
            .map(|n| (n.port, n.device))
            .collect()
    };
    assert_eq!(of("R1"), vec![(1, id("R2"))]);
    assert_eq!(of("R2"), vec![(1, id("R1")), (2, id("R3"))]);
    assert_eq!(of("R3"), vec![(1, id("R2"))]);
    assert!(EngineHost::default().neighbours().is_empty());
}

#[test]
fn a_scripted_console_configuration_is_handed_to_the_document() {
    // S13's script configures R1, R2 and R3 at their consoles: the page
    // takes each into its document, as it does a telnet session's, so a
    // later edit does not take the configuration back out.
    let mut host = example_at("s13-rip.json", 10);
    let changed = match host.handle(Command::TakeConfigChanges) {
        Reply::ConfigChanges { devices } => devices,
        other => panic!("{other:?}"),
    };
    let names: Vec<&str> = changed.iter().map(|(_, d)| d.name.as_str()).collect();
    assert_eq!(names, ["R1", "R2", "R3"]);
    assert!(changed.iter().all(|(_, d)| d.ios.rip.is_some()));
    assert!(host.take_config_changes().is_empty());
    // So the document with them is what the engine runs: nothing to do.
    let mut lab = host.engine().unwrap().lab().clone();
    for (id, d) in changed {
        let k = lab.devices.iter().position(|x| x.id == id).unwrap();
        lab.devices[k] = d;
    }
    assert_eq!(host.sync(&lab).0, SyncOutcome::Unchanged);
}

#[test]
fn a_worker_serves_numbered_envelopes_and_pushes_the_state_when_the_run_moved() {
    use super::message::{Envelope, Post, Response};
    // A worker's host starts without an engine, as the page loads one.
    let mut host = EngineHost::default();
    let serve = |host: &mut EngineHost, id, cmd| {
        let r = host.serve(Envelope {
            id,
            cmd,
            watched: vec![],
            riders: vec![],
        });
        assert_eq!(r.id, id);
        // Every post survives the trip, as the worker carries it to the page.
        let post = Post::Response(Box::new(r.clone()));
        let json = wire::encode(&post).unwrap();
        assert_eq!(wire::decode::<Post>(&json).unwrap(), post);
        r
    };
    let Response { reply, state, .. } = serve(
        &mut host,
        1,
        Command::Load {
            lab: Box::new(lab()),
        },
    );
    assert!(matches!(
        reply,
        Reply::Synced {
            outcome: SyncOutcome::Rebuilt,
            ..
        }
    ));
    assert_eq!(state.map(|s| s.now), Some(0), "a load pushes the state");
    // A question moves nothing: no state comes with its answer.
    let r = serve(&mut host, 2, Command::Neighbours);
    assert!(r.state.is_none());
    // A prompt's job: its output comes with the state once watched.
    let r = serve(
        &mut host,
        3,
        Command::Run {
            request: 3,
            device: "PC0".into(),
            line: "ping -n 1 192.168.1.11".into(),
        },
    );
    let Reply::Ran {
        result: Ok(job), ..
    } = r.reply
    else {
        panic!("{:?}", r.reply)
    };
    let r = host.serve(Envelope {
        id: 4,
        cmd: Command::Tick {
            wall_ms: 1_000.0,
            speed: 1.0,
        },
        watched: vec![job],
        riders: vec![],
    });
    let state = r.state.expect("the run moved");
    assert!(state.now >= 1_000_000);
    assert_eq!(state.jobs.len(), 1);
    assert!(
        state.jobs[0].output.contains("192.168.1.11"),
        "{}",
        state.jobs[0].output
    );
    // A refusal keeps its kind, for the page to word in its language.
    let r = serve(
        &mut host,
        5,
        Command::Run {
            request: 5,
            device: "Nobody".into(),
            line: "ping 1.1.1.1".into(),
        },
    );
    assert!(
        matches!(r.reply, Reply::Ran { result: Err(ActionError::NoDevice(ref d)), .. } if d == "Nobody"),
        "{:?}",
        r.reply
    );
    assert_eq!(Post::<Answer>::Ready, wire::decode(r#""ready""#).unwrap());
    // What the worker's loader script posts when the engine cannot load.
    assert_eq!(
        Post::<Answer>::Failed {
            error: "TypeError: Failed to fetch".into()
        },
        wire::decode(r#"{"failed":{"error":"TypeError: Failed to fetch"}}"#).unwrap()
    );
}

#[test]
fn a_scripted_configuration_comes_with_the_response_that_made_it() {
    use super::message::Envelope;
    // The page asks nothing extra: S13's script configures the routers
    // during the ticks, and a configured device comes with the response to
    // the tick during which it changed (each change once).
    let path = format!(
        "{}/../../public/labs/s13-rip.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let lab = Lab::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut host = EngineHost::new(&lab);
    let mut last = std::collections::BTreeMap::new();
    for id in 0..10 {
        let r = host.serve(Envelope {
            id,
            cmd: Command::Tick {
                wall_ms: 1_000.0,
                speed: 1.0,
            },
            watched: vec![],
            riders: vec![],
        });
        assert!(r.configured.is_empty() || r.state.is_some());
        last.extend(r.configured.into_iter().map(|(_, d)| (d.name.clone(), d)));
    }
    assert_eq!(last.keys().collect::<Vec<_>>(), ["R1", "R2", "R3"]);
    assert!(
        last.values().all(|d| d.ios.rip.is_some()),
        "the newest configuration of each"
    );
    assert!(host.take_config_changes().is_empty(), "handed over once");
}

#[test]
fn riders_are_answered_after_a_command_that_moves_the_run_and_only_then() {
    use super::message::{Envelope, Rider};
    use super::query::{Query, RunQuery};
    let rows = Command::Query {
        request: 0,
        query: Query::Run {
            query: RunQuery::Tail {
                count: 5,
                filter: ProtoFilter::default(),
            },
        },
    };
    let riders = vec![
        Rider {
            view: 1,
            cmd: rows.clone(),
        },
        Rider {
            view: 2,
            cmd: Command::Neighbours,
        },
        // Not a question: never carried out.
        Rider {
            view: 3,
            cmd: Command::Step {
                rows: 1000,
                filter: ProtoFilter::default(),
            },
        },
    ];
    let mut host = EngineHost::new(&lab());
    ping(&mut host);
    let serve = |host: &mut EngineHost, cmd| {
        host.serve(Envelope {
            id: 1,
            cmd,
            watched: vec![],
            riders: riders.clone(),
        })
    };
    let r = serve(
        &mut host,
        Command::Step {
            rows: 1,
            filter: ProtoFilter::default(),
        },
    );
    assert!(r.state.is_some(), "the step moved the run");
    let events = host.state(&[]).events;
    assert_eq!(r.state.unwrap().events, events, "the rider did not step");
    let views: Vec<u64> = r.answers.iter().map(|(v, _)| *v).collect();
    assert_eq!(views, [1, 2]);
    // The same answers as asking after the step.
    assert_eq!(r.answers[0].1, host.handle(rows.clone()));
    assert_eq!(r.answers[1].1, host.handle(Command::Neighbours));
    // A question moves nothing: its riders are not answered.
    let r = serve(&mut host, Command::Neighbours);
    assert!(r.state.is_none() && r.answers.is_empty());
    // The wire carries them.
    let back = wire::decode::<super::message::Response>(&wire::encode(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}

#[test]
fn the_page_reads_a_refusal_when_it_shows_it() {
    use super::message::read_action_error;
    use crate::lab::LabError;
    let refusals = [
        ActionError::NoDevice("PC9".into()),
        ActionError::NoPort {
            device: "R1".into(),
            port: "Gig0/9".into(),
        },
        ActionError::NoJob(7),
        ActionError::Lab(LabError::DuplicateName("PC0".into())),
    ];
    for e in refusals {
        let reply: Reply = Reply::Done {
            request: 4,
            result: Err(e.clone()),
        };
        let text = wire::encode(&reply).unwrap();
        let Reply::Done {
            result: Err(unread),
            ..
        } = wire::decode::<Reply<query::Unread, query::Unread>>(&text).unwrap()
        else {
            panic!("{text}")
        };
        assert_eq!(read_action_error(unread), Ok(e));
    }
    let odd = serde_json::json!({"WarpDrive": 1});
    assert_eq!(
        read_action_error(odd),
        Err(r#"{"WarpDrive":1}"#.to_string())
    );
}

/// A mail account changed and used at once (the page's Save, then Receive
/// before a tick): the job logs in with the new password, whether the
/// engine took the change live or rebuilt, and whenever the run is.
#[test]
fn an_action_right_after_a_sync_sees_the_synced_document() {
    let mut lab = example("s1-one-server.json");
    lab.actions.clear();
    for warm_ms in [0.0, 50.0, 3_000.0] {
        let mut host = EngineHost::new(&lab);
        let mut t = 0.0;
        while t < warm_ms {
            host.tick(50.0, 1.0);
            t += 50.0;
        }
        let mut wrong = lab.clone();
        let pc0 = wrong.devices.iter_mut().find(|d| d.name == "PC0").unwrap();
        pc0.services.mail_client.as_mut().unwrap().password = "salah".into();
        host.handle(Command::Sync {
            lab: Box::new(wrong),
        });
        let job = match host.handle(Command::Act {
            request: 1,
            action: Box::new(crate::action::Action::ReceiveMail {
                device: "PC0".into(),
            }),
        }) {
            Reply::Done {
                result: Ok(Some(job)),
                ..
            } => job,
            other => panic!("{other:?}"),
        };
        for _ in 0..600 {
            host.tick(50.0, 1.0);
        }
        let st = host.state(&[job]);
        assert_eq!(
            st.jobs[0].status,
            JobStatus::Failed,
            "after {warm_ms} ms: {}",
            st.jobs[0].output
        );
    }
}

/// The pushed state's per-device lists (`leased`, `off`, `blocked`, `stp`)
/// are what the engine's by-name views say of each device: DHCP clients
/// with an address, a device switched off, and two switches cabled twice
/// (spanning tree blocks one of the ports).
#[test]
fn the_pushed_state_lists_what_each_device_shows() {
    use crate::services::DhcpService;
    use lanlab_proto::dhcp::{PoolConfig, ServerConfig};
    use std::net::Ipv4Addr;
    let mut lab = TestNet::new()
        .server("Server0", "192.168.1.1/24", None)
        .services("Server0", |s| {
            let p = PoolConfig::new(
                "LAN",
                Ipv4Addr::new(192, 168, 1, 0),
                Ipv4Addr::new(255, 255, 255, 0),
                Ipv4Addr::new(192, 168, 1, 100),
                50,
            );
            s.dhcp = Some(DhcpService {
                enabled: true,
                config: ServerConfig::new(vec![p]),
            });
        })
        .pc_dhcp("PC0")
        .pc_dhcp("PC1")
        .pc("PC2", "192.168.1.20/24", None)
        .switch("Switch0", 6)
        .switch("Switch1", 6)
        .link("Server0", "Switch0")
        .link("PC0", "Switch0")
        .link("PC1", "Switch1")
        .link("PC2", "Switch1")
        .link("Switch0", "Switch1")
        .link("Switch0", "Switch1")
        .into_lab();
    lab.devices[2].powered = false;
    let mut host = EngineHost::new(&lab);
    host.handle(Command::SeekTime { micros: 60_000_000 });
    let e = host.engine.as_ref().expect("an engine");
    let st = host.state(&[]);
    let by_name = |f: &dyn Fn(&Device) -> bool| -> Vec<DeviceId> {
        lab.devices.iter().filter(|d| f(d)).map(|d| d.id).collect()
    };
    assert_eq!(st.off, by_name(&|d| !e.is_powered(&d.name)));
    assert_eq!(st.off, vec![lab.devices[2].id]);
    let leased: Vec<_> = lab
        .devices
        .iter()
        .filter(|d| d.name == "PC0")
        .filter_map(|d| Some((d.id, e.host(&d.name)?.primary_address()?)))
        .collect();
    assert_eq!(st.leased, leased, "PC0 leased; PC1 is off, PC2 static");
    assert_eq!(st.leased.len(), 1);
    let blocked: Vec<_> = lab
        .devices
        .iter()
        .filter_map(|d| Some((d.id, e.switch(&d.name)?)))
        .flat_map(|(id, s)| s.blocked_ports().into_iter().map(move |p| (id, p)))
        .collect();
    assert_eq!(st.blocked, blocked);
    assert_eq!(
        st.blocked.len(),
        1,
        "one of the two cables between the switches"
    );
    let roles = lab
        .devices
        .iter()
        .filter_map(|d| Some((d.id, e.switch(&d.name)?)))
        .flat_map(|(id, s)| s.stp_roles().into_iter().map(move |(p, r)| ((id, p), r)))
        .collect::<Vec<_>>();
    assert_eq!(st.stp, roles);
    assert!(!st.stp.is_empty());
}
