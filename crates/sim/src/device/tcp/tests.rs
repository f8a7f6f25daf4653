//! The drive visits only the connections with work; checked against a
//! drive that first wakes every connection, which is what polling all of
//! them at every drive did: the same segments at the same times, the same
//! notes, the same job output and the same bytes received.

use std::collections::VecDeque;
use std::time::Duration;

use lanlab_proto::tcp::Segment;

use super::*;
use crate::job::JobStatus;
use crate::lab::DeviceId;

const A: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
const B: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);

fn job(i: u32) -> Job {
    Job {
        id: JobId(i),
        device: DeviceId(0),
        line: String::new(),
        output: String::new(),
        status: JobStatus::Running,
        started: SimTime::ZERO,
        finished: None,
        scripted: None,
        result: None,
    }
}

impl TcpStack {
    /// Marks every connection for the next drive.
    fn wake_all(&mut self) {
        let keys: Vec<Key> = self.socks.keys().copied().collect();
        for k in keys {
            self.touch(k);
        }
    }
}

/// What a run produced: every segment with its time and direction, the
/// notes, the jobs' output, what the sink received.
type Transcript = (
    Vec<(SimTime, bool, Vec<u8>)>,
    Vec<String>,
    Vec<String>,
    Vec<u8>,
);

/// Twenty senders start a millisecond apart from A to a discard sink on B
/// over a 1 ms wire that loses every seventh segment; `wake_all` wakes
/// every connection before each drive.
fn run(wake_all: bool) -> Transcript {
    let mut a = TcpStack::new(1);
    let mut b = TcpStack::new(2);
    b.listen(9);
    let mut jobs: Vec<Job> = (0..20).map(job).collect();
    let mut wire: VecDeque<(SimTime, bool, Out)> = VecDeque::new();
    let mut log = Vec::new();
    let mut notes = Vec::new();
    let mut sent = 0u32;
    for ms in 0..20_000u64 {
        let now = SimTime::from_millis(ms);
        if ms < 20 {
            let remote = SocketAddrV4::new(B, 9);
            a.send_to(now, A, remote, 2_000 + 700 * ms as usize, JobId(ms as u32));
        }
        while wire.front().is_some_and(|(t, ..)| *t <= now) {
            let (_, to_b, (src, dst, bytes)) = wire.pop_front().expect("present");
            let seg = Segment::parse(src, dst, &bytes[FRAME_HEAD..]).expect("valid segment");
            let mut out = Vec::new();
            let to = if to_b { &mut b } else { &mut a };
            to.handle_segment(now, src, dst, &seg, &mut out, &mut notes);
            for o in out {
                wire.push_back((now + Duration::from_millis(1), !to_b, o));
            }
        }
        for (side, to_b) in [(&mut a, true), (&mut b, false)] {
            if side.poll_timeout().is_some_and(|t| t <= now) {
                side.handle_timeout(now);
            }
            if wake_all {
                side.wake_all();
            }
            let mut out = Vec::new();
            side.drive(now, &mut jobs, &mut out, &mut notes);
            for o in out {
                log.push((now, to_b, o.2[FRAME_HEAD..].to_vec()));
                sent += 1;
                if to_b && sent.is_multiple_of(7) {
                    continue;
                }
                wire.push_back((now + Duration::from_millis(1), to_b, o));
            }
        }
    }
    let notes = notes.iter().map(ToString::to_string).collect();
    let out = jobs.iter().map(|j| j.output.clone()).collect();
    (log, notes, out, b.received(9).to_vec())
}

#[test]
fn waking_only_touched_connections_matches_polling_all() {
    let woken = run(false);
    let polled = run(true);
    assert!(woken.0.len() > 200, "{} segments", woken.0.len());
    assert!(
        woken.2.iter().all(|o| o.contains("connection closed")),
        "every sender finished: {:?}",
        woken.2
    );
    assert_eq!(woken.0, polled.0, "segments");
    assert_eq!(woken.1, polled.1, "notes");
    assert_eq!(woken.2, polled.2, "jobs");
    assert_eq!(woken.3, polled.3, "received");
}
