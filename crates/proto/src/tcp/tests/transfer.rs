//! Bulk data: MSS-sized segments, flow control, loss and reordering.

use std::time::Duration;

use super::*;

const SIZE: usize = 50_000;

/// Both ends send `SIZE` bytes and close; returns the pair once idle.
fn exchange(mut p: Pair) -> Pair {
    p.a.to_send.extend(pattern(SIZE, 1));
    p.b.to_send.extend(pattern(SIZE, 2));
    p.a.close_when_sent = true;
    p.run_until(|p| p.b.conn.is_some());
    p.b.close_when_sent = true;
    p.run_idle();
    assert_eq!(p.b.received.len(), SIZE, "B got all of A's data");
    assert_eq!(p.a.received.len(), SIZE, "A got all of B's data");
    assert!(p.b.received == pattern(SIZE, 1), "A→B data intact");
    assert!(p.a.received == pattern(SIZE, 2), "B→A data intact");
    assert_eq!((p.a.state(), p.b.state()), (State::Closed, State::Closed));
    assert_eq!(p.a.events.first(), Some(&Event::Connected));
    assert!(p.a.events.contains(&Event::PeerClosed));
    assert_eq!(p.a.events.last(), Some(&Event::Closed));
    assert_eq!(p.b.events.last(), Some(&Event::Closed));
    p
}

#[test]
fn fifty_kilobytes_each_way() {
    let p = exchange(Pair::new());
    // MSS-sized segments: 34 full ones and a tail of 360 each way.
    let full = p.log.iter().filter(|l| l.ends_with("len=1460")).count();
    assert_eq!(full, 2 * 34);
    assert!(!p.log.iter().any(|l| l.contains("(lost)")));
    assert!(
        !p.a.notes
            .iter()
            .any(|n| matches!(n, Note::Retransmit { .. }))
    );
}

#[test]
fn fifty_kilobytes_over_a_wire_that_loses_every_seventh_segment() {
    let mut p = Pair::new();
    p.drop = Box::new(|n, _| n % 7 == 0);
    let p = exchange(p);
    let lost = p.log.iter().filter(|l| l.ends_with("(lost)")).count();
    assert!(lost > 10, "only {lost} lost");
    let notes: Vec<&Note> = p.a.notes.iter().chain(&p.b.notes).collect();
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, Note::FastRetransmit { .. } | Note::Retransmit { .. }))
    );
    assert!(notes.iter().any(|n| matches!(n, Note::OutOfOrder { .. })));
}

#[test]
fn lossy_wire_with_small_windows_and_small_mss() {
    let cfg = Config {
        mss: 536,
        recv_buffer: 4096,
        send_buffer: 8192,
        ..Config::default()
    };
    let mut p = Pair::with_configs(cfg.clone(), cfg);
    p.drop = Box::new(|n, _| n % 5 == 0);
    let p = exchange(p);
    assert!(p.log.iter().all(|l| !l.contains("len=") || {
        let len: usize = l
            .rsplit("len=")
            .next()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        len <= 536
    }));
}

#[test]
fn mss_is_the_smaller_of_both_ends() {
    let small = Config {
        mss: 536,
        ..Config::default()
    };
    let mut p = Pair::with_configs(Config::default(), small);
    p.run_until(|p| p.a.state() == State::Established);
    assert_eq!(p.a.conn().send_mss(), 536);
    p.a.to_send.extend(pattern(2000, 0));
    p.run_idle();
    let lens: Vec<&str> = p
        .log
        .iter()
        .filter_map(|l| l.strip_prefix("A ").and_then(|l| l.split(" len=").nth(1)))
        .collect();
    assert_eq!(lens, ["536", "536", "536", "392"]);
}

#[test]
fn zero_window_stalls_the_sender_until_the_reader_reads() {
    let b_cfg = Config {
        recv_buffer: 4000,
        ..Config::default()
    };
    let mut p = Pair::with_configs(Config::default(), b_cfg);
    p.b.auto_read = false;
    p.a.to_send.extend(pattern(20_000, 3));
    p.run_until(|p| p.now >= SimTime::from_secs(5));
    assert_eq!(p.b.conn().recv_queue(), 4000);
    assert!(p.b.notes.contains(&Note::WindowFull));
    assert!(
        p.log
            .iter()
            .any(|l| l.starts_with("B") && l.contains("win=0"))
    );
    // The sender probes instead of giving up.
    assert_eq!(p.a.state(), State::Established);
    assert!(
        p.a.notes
            .iter()
            .any(|n| matches!(n, Note::ZeroWindowProbe { .. }))
    );
    p.b.auto_read = true;
    p.run_until(|p| p.b.received.len() >= 20_000);
    assert!(p.b.received == pattern(20_000, 3));
}

#[test]
fn out_of_order_segments_are_held_and_acked_with_duplicates() {
    let mut p = Pair::new();
    p.run_until(|p| p.b.state() == State::Established);
    p.run_idle();
    let now = p.now;
    let b = p.b.conn.as_mut().unwrap();
    let seg = |seq: u32, data: &[u8]| Segment {
        src_port: 1025,
        dst_port: 80,
        seq,
        ack: Some(5001),
        window: 65535,
        payload: data.to_vec(),
        ..Segment::default()
    };
    b.handle_segment(now, &seg(1006, b"world"));
    let dup = b.poll_transmit(now).unwrap();
    assert_eq!(dup.ack, Some(1001));
    assert_eq!(b.out_of_order_bytes(), 5);
    assert_eq!(
        b.poll_note().unwrap().to_string(),
        "segment seq 1006 out of order (expected 1001): kept for later"
    );
    b.handle_segment(now, &seg(1001, b"hello"));
    assert_eq!(b.poll_transmit(now).unwrap().ack, Some(1011));
    assert_eq!(b.recv(), b"helloworld");
    // A duplicate of old data is answered with an ACK and not delivered again.
    b.handle_segment(now, &seg(1001, b"hello"));
    assert_eq!(b.poll_transmit(now).unwrap().ack, Some(1011));
    assert_eq!(b.recv(), b"");
}

#[test]
fn three_duplicate_acks_trigger_fast_retransmit() {
    let mut p = Pair::new();
    p.run_until(|p| p.b.state() == State::Established);
    // Lose the first data segment only.
    let first = p.sent + 1;
    p.drop = Box::new(move |n, _| n == first);
    p.a.to_send.extend(pattern(10 * 1460, 4));
    p.run_until(|p| p.b.received.len() == 10 * 1460);
    assert!(p.a.notes.contains(&Note::FastRetransmit { seq: 1001 }));
    assert!(
        !p.a.notes
            .iter()
            .any(|n| matches!(n, Note::Retransmit { .. }))
    );
    // Recovered well before any RTO would have fired.
    assert!(p.now < SimTime::ZERO + Duration::from_millis(200));
}

#[test]
fn a_reader_that_sleeps_for_minutes_does_not_time_the_sender_out() {
    let b_cfg = Config {
        recv_buffer: 2000,
        ..Config::default()
    };
    let mut p = Pair::with_configs(Config::default(), b_cfg);
    p.b.auto_read = false;
    p.a.to_send.extend(pattern(5000, 5));
    p.run_until(|p| p.now >= SimTime::from_secs(600));
    assert_eq!(p.a.state(), State::Established);
    assert!(!p.a.events.contains(&Event::TimedOut));
    let probes =
        p.a.notes
            .iter()
            .filter(|n| matches!(n, Note::ZeroWindowProbe { .. }))
            .count();
    // Backed off to one probe a minute, not one per RTO.
    assert!((8..=20).contains(&probes), "{probes} probes");
    p.b.auto_read = true;
    p.run_until(|p| p.b.received.len() == 5000);
    assert!(p.b.received == pattern(5000, 5));
}

#[test]
fn reordering_wire_delivers_in_order() {
    let mut p = Pair::new();
    // Every third segment takes 25 ms longer: later ones overtake it.
    p.jitter = Box::new(|n| Duration::from_millis(if n % 3 == 0 { 25 } else { 0 }));
    let p = exchange(p);
    let notes: Vec<&Note> = p.a.notes.iter().chain(&p.b.notes).collect();
    assert!(notes.iter().any(|n| matches!(n, Note::OutOfOrder { .. })));
    assert!(notes.iter().any(|n| matches!(n, Note::GapFilled { .. })));
}

mod random_wires {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Whatever the wire loses or reorders (short of everything), both
        /// streams arrive intact and both ends close.
        #[test]
        fn any_lossy_reordering_wire_delivers_intact(
            seed in any::<u64>(),
            loss_per_mille in 0u64..250,
            size in 1usize..20_000,
            mss in 200u16..1500,
            buffer in 1000usize..20_000,
            slow_reader in proptest::option::of(1usize..3000),
            (a_iss, b_iss) in (any::<u32>(), any::<u32>()),
        ) {
            let cfg = Config { mss, recv_buffer: buffer, send_buffer: buffer, ..Config::default() };
            let mut p = Pair::with_iss(cfg.clone(), cfg, a_iss, b_iss);
            let mix = move |n: u64| {
                let mut x = seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                x ^= x >> 31;
                x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
                x ^ (x >> 29)
            };
            p.drop = Box::new(move |n, _| mix(n) % 1000 < loss_per_mille);
            p.jitter = Box::new(move |n| Duration::from_millis(mix(n.wrapping_add(1 << 40)) % 40));
            p.a.to_send.extend(pattern(size, 11));
            p.b.to_send.extend(pattern(size / 2 + 1, 12));
            p.a.close_when_sent = true;
            p.run_until(|p| p.b.conn.is_some());
            p.b.close_when_sent = true;
            p.b.read_chunk = slow_reader;
            p.run_idle();
            // A connection may legitimately give up under heavy loss; if it
            // did, it must say so. Otherwise everything arrived.
            let gave_up = p.a.events.contains(&Event::TimedOut) || p.b.events.contains(&Event::TimedOut);
            if !gave_up {
                prop_assert!(p.b.received == pattern(size, 11));
                prop_assert!(p.a.received == pattern(size / 2 + 1, 12));
                prop_assert_eq!(p.a.state(), State::Closed);
                prop_assert_eq!(p.b.state(), State::Closed);
            } else {
                // Whatever did arrive is an intact prefix.
                prop_assert!(pattern(size, 11).starts_with(&p.b.received));
                prop_assert!(pattern(size / 2 + 1, 12).starts_with(&p.a.received));
            }
        }
    }
}

/// Regression: both ends lose their first segment and close at once. Their
/// go-back retransmissions look old to each other; pure ACKs must carry
/// SND.MAX so the peer still takes their ACK field.
#[test]
fn simultaneous_close_after_losses_on_both_sides() {
    let cfg = Config {
        mss: 811,
        recv_buffer: 2435,
        send_buffer: 2435,
        ..Config::default()
    };
    let mut p = Pair::with_configs(cfg.clone(), cfg);
    p.drop = Box::new(|n, _| n == 3 || n == 7);
    p.jitter = Box::new(|n| Duration::from_millis(if n == 5 { 30 } else { 0 }));
    p.a.to_send.extend(pattern(2433, 11));
    p.b.to_send.extend(pattern(1217, 12));
    p.a.close_when_sent = true;
    p.run_until(|p| p.b.conn.is_some());
    p.b.close_when_sent = true;
    p.run_idle();
    assert!(p.b.received == pattern(2433, 11));
    assert!(p.a.received == pattern(1217, 12));
    assert_eq!(p.a.events.last(), Some(&Event::Closed));
    assert_eq!(p.b.events.last(), Some(&Event::Closed));
}

#[test]
fn both_windows_closed_at_once_then_reopened() {
    let cfg = Config {
        recv_buffer: 3000,
        send_buffer: 3000,
        ..Config::default()
    };
    let mut p = Pair::with_configs(cfg.clone(), cfg);
    p.a.auto_read = false;
    p.b.auto_read = false;
    p.a.to_send.extend(pattern(20_000, 21));
    p.b.to_send.extend(pattern(20_000, 22));
    p.run_until(|p| p.now >= SimTime::from_secs(200));
    // No ACK war: a handful of probes a minute, not thousands of segments.
    assert!(p.log.len() < 200, "{} segments", p.log.len());
    assert_eq!(
        (p.a.state(), p.b.state()),
        (State::Established, State::Established)
    );
    p.a.auto_read = true;
    p.b.auto_read = true;
    p.run_until(|p| p.a.received.len() == 20_000 && p.b.received.len() == 20_000);
    assert!(p.a.received == pattern(20_000, 22));
    assert!(p.b.received == pattern(20_000, 21));
}

#[test]
fn half_close_client_keeps_receiving_in_fin_wait_2() {
    let mut p = Pair::new();
    p.a.to_send.extend(b"GET /big HTTP/1.0\r\n\r\n");
    p.a.close_when_sent = true;
    p.run_until(|p| p.b.state() == State::CloseWait && p.a.state() == State::FinWait2);
    assert_eq!(p.b.received, b"GET /big HTTP/1.0\r\n\r\n");
    // The server still answers on its half of the connection.
    p.b.to_send.extend(pattern(20_000, 30));
    p.b.close_when_sent = true;
    p.run_idle();
    assert!(p.a.received == pattern(20_000, 30));
    assert_eq!((p.a.state(), p.b.state()), (State::Closed, State::Closed));
    assert!(p.b.notes.contains(&Note::StateChanged {
        from: State::CloseWait,
        to: State::LastAck
    }));
}

#[test]
fn a_slow_reader_throttles_the_sender_without_loss() {
    let b_cfg = Config {
        recv_buffer: 4096,
        ..Config::default()
    };
    let mut p = Pair::with_configs(Config::default(), b_cfg);
    p.b.read_chunk = Some(700);
    p.a.to_send.extend(pattern(30_000, 31));
    p.a.close_when_sent = true;
    p.run_idle();
    assert!(p.b.received == pattern(30_000, 31));
    // Every segment A sent fit in the window B advertised.
    assert!(
        !p.a.notes
            .iter()
            .any(|n| matches!(n, Note::Retransmit { .. }))
    );
}

#[test]
fn jumbo_mss_is_used_when_both_ends_allow_it() {
    let jumbo = Config {
        mss: 8960,
        ..Config::default()
    };
    let mut p = Pair::with_configs(jumbo.clone(), jumbo);
    p.run_until(|p| p.b.state() == State::Established);
    assert_eq!(p.a.conn().send_mss(), 8960);
    assert_eq!(p.b.conn().send_mss(), 8960);
    // A peer that announces no MSS gets the RFC default of 536.
    let syn = Segment {
        src_port: 1025,
        dst_port: 80,
        seq: 1,
        control: Control::Syn,
        window: 65535,
        ..Segment::default()
    };
    let c = Connection::accept(B, A, &syn, B_ISS, SimTime::ZERO);
    assert_eq!(c.send_mss(), 536);
}

#[test]
fn sequence_numbers_wrap_around_mid_transfer() {
    let mut p = Pair::with_iss(
        Config::default(),
        Config::default(),
        u32::MAX - 20_000,
        u32::MAX - 3,
    );
    p.drop = Box::new(|n, _| n % 9 == 0);
    p.jitter = Box::new(|n| Duration::from_millis(n % 4 * 7));
    let p = exchange(p);
    let first_a = p.log.iter().find(|l| l.starts_with("A ")).unwrap();
    assert!(first_a.contains("seq=4294947295"), "{first_a}");
}
