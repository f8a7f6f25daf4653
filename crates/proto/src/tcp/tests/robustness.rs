//! Hostile input: arbitrary segments fed to a connection in every state
//! never panic and never break the sequence-space invariants.

use proptest::prelude::*;

use super::super::seq;
use super::*;

/// A segment for A's ports, numbered near (or far from) what A expects.
fn arb_segment() -> impl Strategy<Value = (i32, Option<i32>, u8, u16, usize, bool)> {
    (
        prop_oneof![-3000i32..3000, any::<i32>()],
        proptest::option::of(prop_oneof![-3000i32..3000, any::<i32>()]),
        0u8..4,
        any::<u16>(),
        0usize..2000,
        any::<bool>(),
    )
}

fn invariants(c: &Connection) {
    let t = c.tcb();
    assert!(seq::le(t.snd_una, t.snd_nxt), "{t:?}");
    assert!(c.recv_queue() <= c.config().recv_buffer);
    assert!(c.send_queue() <= c.config().send_buffer);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_segments_never_panic(
        stage in 0u8..5,
        segs in proptest::collection::vec(arb_segment(), 1..40),
    ) {
        let mut p = Pair::new();
        p.a.auto_read = false;
        match stage {
            0 => {}
            1 => p.run_until(|p| p.b.state() == State::SynReceived),
            _ => p.run_until(|p| p.a.state() == State::Established && p.b.state() == State::Established),
        }
        if stage >= 3 {
            p.a.conn.as_mut().unwrap().send(&pattern(5000, 1));
            p.step();
        }
        if stage == 4 {
            p.a.conn.as_mut().unwrap().close();
            p.b.conn.as_mut().unwrap().close();
            p.step();
        }
        let mut now = p.now;
        let a = p.a.conn.as_mut().unwrap();
        for (seq_off, ack_off, control, window, len, step) in segs {
            let t = a.tcb();
            let seg = Segment {
                src_port: 80,
                dst_port: 1025,
                seq: t.rcv_nxt.wrapping_add(seq_off as u32),
                ack: ack_off.map(|o| t.snd_una.wrapping_add(o as u32)),
                control: [Control::None, Control::Syn, Control::Fin, Control::Rst][usize::from(control)],
                window,
                payload: pattern(len, control),
                ..Segment::default()
            };
            a.handle_segment(now, &seg);
            invariants(a);
            while a.poll_transmit(now).is_some() {}
            let _ = a.recv();
            if step && let Some(t) = a.poll_timeout() {
                now = now.max(t);
                a.handle_timeout(now);
            }
            invariants(a);
            while a.poll_event().is_some() {}
            while a.poll_note().is_some() {}
        }
    }
}
