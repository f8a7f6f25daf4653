//! The simulation views' queries, asked as the page asks them: by message.

use super::*;
use crate::host::EngineHost;
use crate::host::message::{Command, Reply};
use crate::host::query::{Answer, Query};

/// The host tests' two PCs, after PC0 pinged PC1.
fn host() -> EngineHost {
    let mut host = EngineHost::new(&crate::host::tests::lab());
    let reply = host.handle(Command::Run {
        request: 1,
        device: "PC0".into(),
        line: "ping -n 1 192.168.1.11".into(),
    });
    assert!(
        matches!(reply, Reply::Ran { result: Ok(_), .. }),
        "{reply:?}"
    );
    host.handle(Command::Tick {
        wall_ms: 1_000.0,
        speed: 1.0,
    });
    host
}

/// Asks `query` by message and checks the answer survives JSON (the
/// worker's `postMessage` carries it the same way).
fn ask(host: &mut EngineHost, query: RunQuery) -> RunAnswer {
    let query = Query::Run { query };
    match host.handle(Command::Query { request: 9, query }) {
        Reply::Answer { request: 9, answer } => {
            let json = crate::host::wire::encode(&answer).unwrap();
            let back: Answer = crate::host::wire::decode(&json).unwrap();
            assert_eq!(back, answer);
            // As the page reads it: the reply first, the answer later.
            let page = crate::host::query::tests::read_on_page(&Reply::Answer {
                request: 9,
                answer: answer.clone(),
            });
            match answer {
                Answer::Run { answer } => {
                    assert_eq!(
                        crate::host::query::read_run(page.clone()),
                        Ok(Some(answer.clone()))
                    );
                    assert_eq!(crate::host::query::read_device(page.clone()), Ok(None));
                    let checks = match &answer {
                        RunAnswer::Checks { passed } => Some(passed.clone()),
                        _ => None,
                    };
                    assert_eq!(crate::host::query::read_checks(&page), checks);
                    answer
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn rows_come_in_the_range_asked_for_and_follow_the_filter() {
    let mut h = host();
    let all = h.state(&[]).rows;
    assert!(all > 4, "ARP and ICMP both ways: {all} rows");
    let RunAnswer::Rows { total, rows } = ask(
        &mut h,
        RunQuery::Rows {
            first: 1,
            last: 3,
            filter: ProtoFilter::default(),
        },
    ) else {
        panic!()
    };
    assert_eq!(total, all);
    assert_eq!(rows.iter().map(|r| r.pos).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(rows[0].index, 1);
    assert!(rows.iter().all(|r| !r.from.is_empty()), "{rows:?}");
    // ICMP only: positions count shown rows, indices are the trace's.
    let RunAnswer::Rows { total, rows } = ask(
        &mut h,
        RunQuery::Rows {
            first: 0,
            last: 100,
            filter: ProtoFilter::of(["ICMP"]),
        },
    ) else {
        panic!()
    };
    assert!(total >= 2 && total < all, "{total} of {all}");
    assert_eq!(rows.len(), total);
    assert!(rows.iter().all(|r| r.proto == "ICMP"), "{rows:?}");
    assert!(rows.windows(2).all(|w| w[0].index < w[1].index));
    assert_eq!(rows[0].pos, 0);
    assert!(
        rows[0].summary.contains("echo request"),
        "{:?}",
        rows[0].summary
    );
}

#[test]
fn the_tail_is_the_same_rows_as_the_range_at_the_end() {
    let mut h = host();
    for filter in [ProtoFilter::default(), ProtoFilter::of(["ICMP"])] {
        let RunAnswer::Rows { total, rows: all } = ask(
            &mut h,
            RunQuery::Rows {
                first: 0,
                last: usize::MAX,
                filter: filter.clone(),
            },
        ) else {
            panic!()
        };
        for count in [0, 1, 2, total, total + 5] {
            let tail = ask(
                &mut h,
                RunQuery::Tail {
                    count,
                    filter: filter.clone(),
                },
            );
            let first = total.saturating_sub(count);
            assert_eq!(
                tail,
                RunAnswer::Rows {
                    total,
                    rows: all[first..].to_vec()
                },
                "the last {count} of {total}"
            );
        }
    }
}

/// The trace index of the first ARP frame.
fn first_arp(h: &mut EngineHost) -> usize {
    match ask(
        h,
        RunQuery::Rows {
            first: 0,
            last: 1,
            filter: ProtoFilter::of(["ARP"]),
        },
    ) {
        RunAnswer::Rows { rows, .. } if rows[0].kind == "frame" => rows[0].index,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_inspector_gets_the_row_in_full_in_the_language_asked_for() {
    let mut h = host();
    let arp = first_arp(&mut h);
    let inspect = |h: &mut EngineHost, lang| match ask(
        h,
        RunQuery::Inspect {
            index: Some(arp),
            lang,
        },
    ) {
        RunAnswer::Inspect { event: Some(e) } => e,
        other => panic!("{other:?}"),
    };
    let en = inspect(&mut h, Lang::En);
    let id = inspect(&mut h, Lang::Id);
    assert_eq!(en.index, arp);
    assert_eq!(en.proto, "ARP");
    assert!(
        matches!(&en.place, Place::Hop { from, .. } if from.starts_with("PC0")),
        "{:?}",
        en.place
    );
    assert_eq!(en.layers.len(), 2, "Ethernet and ARP");
    assert!(!en.fields.is_empty() && !en.bytes.is_empty());
    assert!(!en.notes.is_empty());
    assert_ne!(en.notes, id.notes, "the notes are worded in Indonesian");
    // The newest row when none is picked.
    let RunAnswer::Inspect {
        event: Some(newest),
    } = ask(
        &mut h,
        RunQuery::Inspect {
            index: None,
            lang: Lang::En,
        },
    )
    else {
        panic!()
    };
    assert_eq!(newest.index, h.state(&[]).rows - 1);
}

#[test]
fn the_timeline_and_the_canvas_packets_follow_the_run() {
    let mut h = host();
    let arp = first_arp(&mut h);
    let RunAnswer::Timeline {
        span, now, ticks, ..
    } = ask(
        &mut h,
        RunQuery::Timeline {
            slots: 400,
            filter: ProtoFilter::default(),
        },
    )
    else {
        panic!()
    };
    assert!(span >= now && now > 0);
    assert!(!ticks.is_empty() && ticks.iter().all(|(slot, _)| *slot < 400));
    let RunAnswer::Packets { current, flights } = ask(
        &mut h,
        RunQuery::Packets {
            selected: Some(arp),
            flights: true,
            max: 10,
        },
    ) else {
        panic!()
    };
    let current = current.expect("an ARP frame");
    assert_eq!((current.index, current.proto.as_str()), (arp, "ARP"));
    assert!(current.drop.is_none());
    assert!(flights.is_empty(), "the run is idle after a second");
}

#[test]
fn no_conversation_without_tcp_data() {
    let mut h = host();
    let answer = ask(
        &mut h,
        RunQuery::Conversation {
            picked: None,
            selected: None,
        },
    );
    assert_eq!(
        answer,
        RunAnswer::Conversation {
            conns: vec![],
            chosen: None,
            lines: vec![]
        }
    );
}
