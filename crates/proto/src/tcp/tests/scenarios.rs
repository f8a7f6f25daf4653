//! Handshake, teardown, resets and timeouts, read as wire transcripts.

use std::time::Duration;

use super::*;

fn established() -> Pair {
    let mut p = Pair::new();
    p.run_until(|p| p.a.state() == State::Established && p.b.state() == State::Established);
    p
}

#[test]
fn three_way_handshake() {
    let mut p = established();
    assert_eq!(
        p.log_since(0),
        [
            "A 1025 → 80 [SYN] seq=1000 win=65535 mss=1460",
            "B 80 → 1025 [SYN, ACK] seq=5000 ack=1001 win=65535 mss=1460",
            "A 1025 → 80 [ACK] seq=1001 ack=5001 win=65535",
        ]
    );
    p.run_idle();
    assert_eq!(p.a.events, [Event::Connected]);
    assert_eq!(p.b.events, [Event::Connected]);
    let notes: Vec<String> = p.a.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        ["round trip 20 ms: RTO now 200 ms", "SYN-SENT → ESTABLISHED"]
    );
    // 20 ms round trip, measured on the SYN: RTO = max(200 ms, 20 + 4×10).
    assert_eq!(p.a.conn().srtt(), Some(Duration::from_millis(20)));
    assert_eq!(p.a.conn().rto(), Duration::from_millis(200));
    assert_eq!(p.a.conn().poll_timeout(), None);
}

#[test]
fn server_replies_and_closes_first() {
    let mut p = established();
    p.a.conn.as_mut().unwrap().send(b"GET / HTTP/1.0\r\n\r\n");
    p.run_idle();
    assert_eq!(p.b.received, b"GET / HTTP/1.0\r\n\r\n");
    let from = p.log.len();
    p.b.conn
        .as_mut()
        .unwrap()
        .send(b"HTTP/1.0 200 OK\r\n\r\nhi");
    p.b.conn.as_mut().unwrap().close();
    p.run_idle();
    assert_eq!(p.a.state(), State::CloseWait);
    assert_eq!(p.b.state(), State::FinWait2);
    assert_eq!(
        p.log_since(from),
        [
            "B 80 → 1025 [FIN, PSH, ACK] seq=5001 ack=1019 win=65535 len=21",
            "A 1025 → 80 [ACK] seq=1019 ack=5023 win=65535",
        ]
    );
    assert_eq!(p.a.received, b"HTTP/1.0 200 OK\r\n\r\nhi");
    assert_eq!(p.a.events.last(), Some(&Event::PeerClosed));
    p.a.conn.as_mut().unwrap().close();
    p.run_until(|p| p.a.state() == State::Closed);
    assert_eq!(p.b.state(), State::TimeWait);
    let since = p.b.conn().state_since();
    p.run_idle();
    assert_eq!(p.b.state(), State::Closed);
    // TIME-WAIT lasted 2×MSL = 4 s of virtual time.
    assert_eq!(p.now - since, Duration::from_secs(4));
    assert_eq!(p.a.events.last(), Some(&Event::Closed));
    assert_eq!(p.b.events.last(), Some(&Event::Closed));
    assert!(p.b.notes.contains(&Note::TimeWaitOver));
}

#[test]
fn active_close_walks_fin_wait_1_fin_wait_2_time_wait() {
    let mut p = established();
    p.a.conn.as_mut().unwrap().close();
    assert_eq!(p.a.state(), State::FinWait1);
    p.run_until(|p| p.a.state() == State::FinWait2);
    assert_eq!(p.b.state(), State::CloseWait);
    p.b.conn.as_mut().unwrap().close();
    assert_eq!(p.b.state(), State::LastAck);
    p.run_until(|p| p.b.state() == State::Closed);
    assert_eq!(p.a.state(), State::TimeWait);
    let tail: Vec<_> = p.log.iter().rev().take(4).rev().cloned().collect();
    assert_eq!(
        tail,
        [
            "A 1025 → 80 [FIN, ACK] seq=1001 ack=5001 win=65535",
            "B 80 → 1025 [ACK] seq=5001 ack=1002 win=65535",
            "B 80 → 1025 [FIN, ACK] seq=5001 ack=1002 win=65535",
            "A 1025 → 80 [ACK] seq=1002 ack=5002 win=65535",
        ]
    );
    p.run_idle();
    assert_eq!(p.a.state(), State::Closed);
    let states: Vec<String> =
        p.a.notes
            .iter()
            .filter_map(|n| match n {
                Note::StateChanged { to, .. } => Some(to.to_string()),
                _ => None,
            })
            .collect();
    assert_eq!(
        states,
        [
            "ESTABLISHED",
            "FIN-WAIT-1",
            "FIN-WAIT-2",
            "TIME-WAIT",
            "CLOSED"
        ]
    );
}

#[test]
fn simultaneous_close_goes_through_closing() {
    let mut p = established();
    p.a.conn.as_mut().unwrap().close();
    p.b.conn.as_mut().unwrap().close();
    p.run_until(|p| p.a.state() == State::TimeWait && p.b.state() == State::TimeWait);
    for end in [&p.a, &p.b] {
        assert!(end.notes.contains(&Note::StateChanged {
            from: State::FinWait1,
            to: State::Closing
        }));
    }
    p.run_idle();
    assert_eq!((p.a.state(), p.b.state()), (State::Closed, State::Closed));
}

#[test]
fn syn_to_closed_port_is_refused() {
    let mut p = Pair::new();
    p.b.listener = None;
    p.run_idle();
    assert_eq!(
        p.log_since(0),
        [
            "A 1025 → 80 [SYN] seq=1000 win=65535 mss=1460",
            "B 80 → 1025 [RST, ACK] seq=0 ack=1001 win=0",
        ]
    );
    assert_eq!(p.b.notes[0].to_string(), "SYN to closed port 80: RST");
    assert_eq!(p.a.events, [Event::Reset]);
    assert!(p.a.notes.contains(&Note::Refused));
    assert_eq!(p.a.state(), State::Closed);
    assert!(p.a.conn().is_closed());
}

#[test]
fn stray_ack_to_listener_gets_rst() {
    let l = Listener::new(B);
    let stray = Segment {
        src_port: 1025,
        dst_port: 80,
        seq: 7,
        ack: Some(99),
        ..Segment::default()
    };
    let ListenAction::Reset(rst) = l.handle_segment(&stray) else {
        panic!("expected RST")
    };
    assert_eq!(rst.to_string(), "80 → 1025 [RST] seq=99 win=0");
    assert_eq!(l.handle_segment(&rst), ListenAction::Ignore);
    assert_eq!(l.state().to_string(), "LISTEN");
    assert_eq!(l.to_string(), "tcp  10.0.0.2:80  0.0.0.0:*  LISTEN");
}

#[test]
fn abort_sends_rst_and_peer_resets() {
    let mut p = established();
    p.a.conn.as_mut().unwrap().send(b"half a requ");
    p.run_idle();
    p.b.conn.as_mut().unwrap().abort();
    p.run_idle();
    assert_eq!(
        p.log.last().unwrap(),
        "B 80 → 1025 [RST, ACK] seq=5001 ack=1012 win=65535"
    );
    assert_eq!(p.a.events.last(), Some(&Event::Reset));
    assert!(p.a.notes.contains(&Note::PeerReset));
    assert_eq!(p.a.state(), State::Closed);
    assert_eq!(p.b.state(), State::Closed);
}

#[test]
fn rst_with_wrong_sequence_gets_challenge_ack() {
    let mut p = established();
    let now = p.now;
    let forged = Segment {
        src_port: 80,
        dst_port: 1025,
        seq: 5001 + 100,
        control: Control::Rst,
        ..Segment::default()
    };
    let a = p.a.conn.as_mut().unwrap();
    a.handle_segment(now, &forged);
    assert_eq!(a.state(), State::Established);
    let ack = a.poll_transmit(now).unwrap();
    assert_eq!(
        ack.to_string(),
        "1025 → 80 [ACK] seq=1001 ack=5001 win=65535"
    );
    assert!(std::iter::from_fn(|| a.poll_note()).any(|n| n == Note::ChallengeAck));
}

#[test]
fn syn_to_black_hole_times_out_with_backoff() {
    let mut p = Pair::new();
    p.drop = Box::new(|_, _| true);
    p.run_idle();
    let rtos: Vec<String> =
        p.a.notes
            .iter()
            .filter(|n| matches!(n, Note::Retransmit { .. }))
            .map(ToString::to_string)
            .collect();
    assert_eq!(rtos[0], "retransmitting seq 1000 after RTO 1000 ms");
    assert_eq!(
        rtos.last().unwrap(),
        "retransmitting seq 1000 after RTO 32000 ms"
    );
    assert_eq!(rtos.len(), 6);
    assert_eq!(p.log.len(), 7); // the SYN and 6 retransmissions
    assert_eq!(p.a.events, [Event::TimedOut]);
    let last: Vec<String> =
        p.a.notes
            .iter()
            .rev()
            .take(2)
            .map(ToString::to_string)
            .collect();
    assert_eq!(
        last,
        [
            "SYN-SENT → CLOSED",
            "no answer after 6 retransmissions: connection timed out"
        ]
    );
    // 1 + 2 + 4 + … + 32 s, then the last wait capped at max_rto = 60 s.
    assert_eq!(p.now, SimTime::from_secs(123));
}

#[test]
fn established_connection_times_out_when_the_cable_is_cut() {
    let mut p = established();
    p.drop = Box::new(|_, _| true);
    p.a.conn.as_mut().unwrap().send(b"anyone there?");
    p.run_idle();
    assert_eq!(p.a.events.last(), Some(&Event::TimedOut));
    assert_eq!(p.a.state(), State::Closed);
    assert_eq!(p.b.state(), State::Established);
    let first =
        p.a.notes
            .iter()
            .find(|n| matches!(n, Note::Retransmit { .. }))
            .unwrap();
    assert_eq!(
        first.to_string(),
        "retransmitting seq 1001 after RTO 200 ms"
    );
}

#[test]
fn lost_syn_ack_is_retransmitted() {
    let mut p = Pair::new();
    p.drop = Box::new(|n, _| n == 2);
    p.run_until(|p| p.a.state() == State::Established && p.b.state() == State::Established);
    assert_eq!(
        p.log_since(0),
        [
            "A 1025 → 80 [SYN] seq=1000 win=65535 mss=1460",
            "B 80 → 1025 [SYN, ACK] seq=5000 ack=1001 win=65535 mss=1460 (lost)",
            "A 1025 → 80 [SYN] seq=1000 win=65535 mss=1460",
            "B 80 → 1025 [SYN, ACK] seq=5000 ack=1001 win=65535 mss=1460",
            "A 1025 → 80 [ACK] seq=1001 ack=5001 win=65535",
        ]
    );
}

#[test]
fn lost_final_ack_of_handshake_is_recovered_by_data() {
    let mut p = Pair::new();
    p.drop = Box::new(|n, _| n == 3);
    p.a.to_send.extend(b"hello");
    p.run_idle();
    assert_eq!(p.b.received, b"hello");
    assert_eq!(p.b.state(), State::Established);
}

#[test]
fn simultaneous_open() {
    let now = SimTime::ZERO;
    let mut a = Connection::connect(A, B, A_ISS, now);
    let mut b = Connection::connect(B, A, B_ISS, now);
    let syn_a = a.poll_transmit(now).unwrap();
    let syn_b = b.poll_transmit(now).unwrap();
    a.handle_segment(now, &syn_b);
    b.handle_segment(now, &syn_a);
    assert_eq!(
        (a.state(), b.state()),
        (State::SynReceived, State::SynReceived)
    );
    let synack_a = a.poll_transmit(now).unwrap();
    let synack_b = b.poll_transmit(now).unwrap();
    assert_eq!(
        synack_a.to_string(),
        "1025 → 80 [SYN, ACK] seq=1000 ack=5001 win=65535 mss=1460"
    );
    a.handle_segment(now, &synack_b);
    b.handle_segment(now, &synack_a);
    assert_eq!(
        (a.state(), b.state()),
        (State::Established, State::Established)
    );
    assert_eq!(a.poll_event(), Some(Event::Connected));
}

#[test]
fn states_display_as_netstat_does() {
    let names: Vec<String> = [
        State::Closed,
        State::Listen,
        State::SynSent,
        State::SynReceived,
        State::Established,
        State::FinWait1,
        State::FinWait2,
        State::CloseWait,
        State::Closing,
        State::LastAck,
        State::TimeWait,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        names.join(" "),
        "CLOSED LISTEN SYN-SENT SYN-RECEIVED ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 \
         CLOSE-WAIT CLOSING LAST-ACK TIME-WAIT"
    );
}

#[test]
fn netstat_line_and_tcb() {
    let mut p = established();
    p.a.conn.as_mut().unwrap().send(b"abc");
    assert_eq!(
        p.a.conn().to_string(),
        "tcp  10.0.0.1:1025  10.0.0.2:80  ESTABLISHED"
    );
    let tcb = p.a.conn().tcb();
    assert_eq!(
        (tcb.snd_una, tcb.snd_nxt, tcb.rcv_nxt, tcb.send_queue),
        (1001, 1001, 5001, 3)
    );
    p.run_idle();
    let tcb = p.a.conn().tcb();
    assert_eq!((tcb.snd_una, tcb.snd_nxt, tcb.send_queue), (1004, 1004, 0));
    assert_eq!(tcb.srtt_ms, Some(20));
}

#[test]
fn server_greeting_queued_at_accept_follows_the_handshake() {
    let mut p = Pair::new();
    p.b.to_send.extend(b"220 mail.lab ESMTP\r\n");
    p.run_idle();
    assert_eq!(
        p.log_since(0),
        [
            "A 1025 → 80 [SYN] seq=1000 win=65535 mss=1460",
            "B 80 → 1025 [SYN, ACK] seq=5000 ack=1001 win=65535 mss=1460",
            "A 1025 → 80 [ACK] seq=1001 ack=5001 win=65535",
            "B 80 → 1025 [PSH, ACK] seq=5001 ack=1001 win=65535 len=20",
            "A 1025 → 80 [ACK] seq=1001 ack=5021 win=65535",
        ]
    );
    assert_eq!(p.a.received, b"220 mail.lab ESMTP\r\n");
}

#[test]
fn rto_follows_rfc_6298_on_a_slow_link() {
    let mut p = Pair::new();
    p.latency = Duration::from_millis(50);
    p.run_until(|p| p.a.state() == State::Established);
    // First sample R = 100 ms: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4·RTTVAR.
    assert_eq!(p.a.conn().srtt(), Some(Duration::from_millis(100)));
    assert_eq!(p.a.conn().rto(), Duration::from_millis(300));
    // The link slows down: the next sample (200 ms) moves SRTT by 1/8 and RTTVAR by 1/4.
    p.latency = Duration::from_millis(100);
    p.a.conn.as_mut().unwrap().send(b"x");
    p.run_idle();
    assert_eq!(p.a.conn().srtt(), Some(Duration::from_micros(112_500)));
    assert_eq!(p.a.conn().rto(), Duration::from_micros(362_500));
    assert!(p.a.notes.contains(&Note::RttSample {
        rtt_ms: 200,
        rto_ms: 362
    }));
}
