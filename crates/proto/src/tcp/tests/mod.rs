//! Transcript tests: two engines wired through a little in-test wire with
//! virtual time, every segment going through `emit` and `parse`.

mod interop;
mod robustness;
mod scenarios;
mod transfer;

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use super::{
    Config, Connection, Control, Event, ListenAction, Listener, Note, Segment, State, reset_for,
};
use crate::SimTime;

pub(crate) const A_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
pub(crate) const B_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);
pub(crate) const A: SocketAddrV4 = SocketAddrV4::new(A_IP, 1025);
pub(crate) const B: SocketAddrV4 = SocketAddrV4::new(B_IP, 80);
pub(crate) const A_ISS: u32 = 1000;
pub(crate) const B_ISS: u32 = 5000;

/// Which end.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    A,
    B,
}

/// One end of the pair: a connection (B starts with a listener, or nothing
/// for a closed port), what the application read, and what happened.
#[derive(Debug, Default)]
pub(crate) struct End {
    pub conn: Option<Connection>,
    pub listener: Option<Listener>,
    pub config: Config,
    pub received: Vec<u8>,
    pub events: Vec<Event>,
    pub notes: Vec<Note>,
    /// Read data as soon as it is readable.
    pub auto_read: bool,
    /// With `auto_read`, read at most this many bytes each time (a slow reader).
    pub read_chunk: Option<usize>,
    /// Data still to push into the send buffer as room frees up.
    pub to_send: VecDeque<u8>,
    /// Close once `to_send` is empty.
    pub close_when_sent: bool,
}

impl End {
    pub fn conn(&self) -> &Connection {
        self.conn.as_ref().expect("no connection")
    }

    pub fn state(&self) -> State {
        self.conn.as_ref().map_or(State::Closed, Connection::state)
    }

    fn feed(&mut self) {
        let Some(c) = self.conn.as_mut() else { return };
        while !self.to_send.is_empty() {
            let (front, _) = self.to_send.as_slices();
            let n = c.send(front);
            if n == 0 {
                break;
            }
            self.to_send.drain(..n);
        }
        if self.close_when_sent && self.to_send.is_empty() {
            self.close_when_sent = false;
            c.close();
        }
    }

    fn drain(&mut self) {
        let Some(c) = self.conn.as_mut() else { return };
        while let Some(e) = c.poll_event() {
            self.events.push(e);
        }
        while let Some(n) = c.poll_note() {
            self.notes.push(n);
        }
        if self.auto_read {
            match self.read_chunk {
                None => self.received.extend(c.recv()),
                Some(n) => {
                    let mut buf = vec![0; n];
                    let got = c.recv_into(&mut buf);
                    self.received.extend_from_slice(&buf[..got]);
                }
            }
        }
    }
}

/// Decides which segments the wire loses: gets the running segment number.
pub(crate) type DropFn = Box<dyn FnMut(u64, &Segment) -> bool>;

/// Two ends and a wire with latency.
pub(crate) struct Pair {
    pub now: SimTime,
    pub a: End,
    pub b: End,
    pub latency: Duration,
    pub drop: DropFn,
    /// Extra delay per segment (by running number): reorders the wire.
    pub jitter: Box<dyn FnMut(u64) -> Duration>,
    /// Segments put on the wire so far.
    pub sent: u64,
    /// The ISS B's listener gives the connection it accepts.
    pub b_iss: u32,
    /// Every segment as sent: "A 1025 → 80 [SYN] …", "(lost)" appended if dropped.
    pub log: Vec<String>,
    in_flight: VecDeque<(SimTime, Side, Vec<u8>)>,
}

impl Pair {
    /// A connects to B, which listens.
    pub fn new() -> Self {
        Self::with_configs(Config::default(), Config::default())
    }

    /// A connects to B, with the given configs.
    pub fn with_configs(a: Config, b: Config) -> Self {
        Self::with_iss(a, b, A_ISS, B_ISS)
    }

    /// A connects to B, with the given configs and initial sequence numbers.
    pub fn with_iss(a: Config, b: Config, a_iss: u32, b_iss: u32) -> Self {
        let now = SimTime::ZERO;
        let conn = Connection::connect(A, B, a_iss, now).with_config(a.clone());
        Pair {
            now,
            a: End {
                conn: Some(conn),
                config: a,
                auto_read: true,
                ..End::default()
            },
            b: End {
                listener: Some(Listener::new(B)),
                config: b,
                auto_read: true,
                ..End::default()
            },
            latency: Duration::from_millis(10),
            drop: Box::new(|_, _| false),
            jitter: Box::new(|_| Duration::ZERO),
            sent: 0,
            b_iss,
            log: Vec::new(),
            in_flight: VecDeque::new(),
        }
    }

    pub fn end(&mut self, side: Side) -> &mut End {
        match side {
            Side::A => &mut self.a,
            Side::B => &mut self.b,
        }
    }

    /// Put every segment the ends want to send on the wire.
    fn flush(&mut self) {
        for side in [Side::A, Side::B] {
            let now = self.now;
            self.end(side).drain();
            self.end(side).feed();
            while let Some(seg) = self
                .end(side)
                .conn
                .as_mut()
                .and_then(|c| c.poll_transmit(now))
            {
                self.put(side, &seg);
            }
            self.end(side).drain();
        }
    }

    fn put(&mut self, from: Side, seg: &Segment) {
        self.sent += 1;
        let lost = (self.drop)(self.sent, seg);
        let name = if from == Side::A { "A" } else { "B" };
        self.log
            .push(format!("{name} {seg}{}", if lost { " (lost)" } else { "" }));
        if !lost {
            let (src, dst) = if from == Side::A {
                (A_IP, B_IP)
            } else {
                (B_IP, A_IP)
            };
            let to = if from == Side::A { Side::B } else { Side::A };
            let bytes = seg.emit(src, dst);
            let at = self.now + self.latency + (self.jitter)(self.sent);
            // Keep the wire sorted by arrival time, FIFO among equals.
            let i = self.in_flight.partition_point(|(t, _, _)| *t <= at);
            self.in_flight.insert(i, (at, to, bytes));
        }
    }

    fn deliver(&mut self, to: Side, bytes: &[u8]) {
        let (src, dst) = if to == Side::B {
            (A_IP, B_IP)
        } else {
            (B_IP, A_IP)
        };
        let seg = Segment::parse(src, dst, bytes).expect("wire corrupts nothing");
        let (now, b_iss) = (self.now, self.b_iss);
        let end = self.end(to);
        if let Some(c) = end.conn.as_mut().filter(|c| c.state() != State::Closed) {
            c.handle_segment(now, &seg);
            return;
        }
        let remote = if to == Side::B { A } else { B };
        let local = if to == Side::B { B } else { A };
        let reply = match end.listener.as_ref().map(|l| l.handle_segment(&seg)) {
            Some(ListenAction::Accept) => {
                let c = Connection::accept(local, remote, &seg, b_iss, now)
                    .with_config(end.config.clone());
                end.conn = Some(c);
                None
            }
            Some(ListenAction::Reset(rst)) => Some(rst),
            Some(ListenAction::Ignore) => None,
            None => {
                let rst = reset_for(&seg);
                if rst.is_some() {
                    end.notes.push(Note::ClosedPort {
                        port: seg.dst_port,
                        syn: seg.is_syn(),
                    });
                }
                rst
            }
        };
        if let Some(rst) = reply {
            self.put(to, &rst);
        }
    }

    /// Deliver the next event (segment arrival or timeout). Returns false when idle.
    pub fn step(&mut self) -> bool {
        self.flush();
        let next_seg = self.in_flight.front().map(|(t, _, _)| *t);
        let timeouts = [&self.a, &self.b]
            .into_iter()
            .filter_map(|e| e.conn.as_ref().and_then(Connection::poll_timeout));
        let Some(next) = next_seg.into_iter().chain(timeouts).min() else {
            // A slow reader still has data to take: that is progress too.
            let unread = [&self.a, &self.b]
                .into_iter()
                .any(|e| e.auto_read && e.conn.as_ref().is_some_and(|c| c.recv_queue() > 0));
            if unread {
                self.flush();
            }
            return unread;
        };
        self.now = self.now.max(next);
        while let Some((t, to, bytes)) = self.in_flight.front().cloned() {
            if t > self.now {
                break;
            }
            self.in_flight.pop_front();
            self.deliver(to, &bytes);
        }
        for side in [Side::A, Side::B] {
            let now = self.now;
            if let Some(c) = self.end(side).conn.as_mut()
                && c.poll_timeout().is_some_and(|t| t <= now)
            {
                c.handle_timeout(now);
            }
        }
        self.flush();
        true
    }

    /// Step until `done` holds or the pair is idle; panics after too many steps.
    pub fn run_until(&mut self, mut done: impl FnMut(&Pair) -> bool) {
        for _ in 0..200_000 {
            if done(self) || !self.step() {
                return;
            }
        }
        panic!(
            "no progress after 200000 steps; last log: {:?}",
            self.log.last()
        );
    }

    /// Step until nothing is in flight and no timer is set.
    pub fn run_idle(&mut self) {
        self.run_until(|_| false);
    }

    /// The log lines from index `from` on.
    pub fn log_since(&self, from: usize) -> Vec<&str> {
        self.log[from..].iter().map(String::as_str).collect()
    }
}

/// `n` bytes of a recognisable pattern.
pub(crate) fn pattern(n: usize, salt: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u32).wrapping_mul(31).wrapping_add(u32::from(salt)) as u8)
        .collect()
}
