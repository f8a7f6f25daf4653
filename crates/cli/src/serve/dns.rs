//! The device's authoritative DNS server on a real UDP socket and a TCP
//! listener on the same port (RFC 1035 §4.2: messages over TCP carry a
//! two-byte length prefix).

use std::collections::VecDeque;
use std::io::ErrorKind;
use std::net::{TcpListener, UdpSocket};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::dns::{Authoritative, TcpDeframer, Transport, Zone, tcp_frame};

use super::stream::{Session, spawn_listener};
use super::{Clock, log, spawn_named};

/// A TCP connection left without a query this long is closed
/// (RFC 7766 §6.2.3 suggests seconds, not minutes).
const TCP_IDLE: Duration = Duration::from_secs(10);

type Shared = Arc<Mutex<Authoritative>>;

fn lock(s: &Shared) -> MutexGuard<'_, Authoritative> {
    s.lock().unwrap_or_else(|e| e.into_inner())
}

fn answer(server: &Shared, now: SimTime, query: &[u8], transport: Transport) -> Option<Vec<u8>> {
    let mut s = lock(server);
    let reply = s.handle_query(now, query, transport);
    while let Some(note) = s.poll_note() {
        log("dns", note);
    }
    reply
}

/// Serves `zones` on `udp` and `tcp`.
pub fn spawn(
    udp: UdpSocket,
    tcp: TcpListener,
    zones: Option<Vec<Zone>>,
    clock: Clock,
) -> Vec<JoinHandle<()>> {
    let server: Shared = Arc::new(Mutex::new(Authoritative::new(zones.unwrap_or_default())));
    let for_udp = server.clone();
    let udp_thread = spawn_named("dns udp".into(), move || {
        let mut buf = vec![0u8; 65_535];
        loop {
            match udp.recv_from(&mut buf) {
                Ok((n, from)) => {
                    if let Some(reply) = answer(&for_udp, clock.now(), &buf[..n], Transport::Udp)
                        && let Err(e) = udp.send_to(&reply, from)
                    {
                        log("dns", format_args!("reply to {from} not sent: {e}"));
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                // ICMP port unreachable from an earlier reply shows up here
                // on some systems: not fatal.
                Err(e) => log("dns", format_args!("udp: {e}")),
            }
        }
    })
    .expect("a DNS thread starts");
    let tcp_thread = spawn_listener("dns", tcp, clock, move |now, _peer| {
        Box::new(DnsTcp {
            server: server.clone(),
            deframer: TcpDeframer::new(),
            out: VecDeque::new(),
            last: now,
            closed: false,
        })
    });
    vec![udp_thread, tcp_thread]
}

/// One DNS-over-TCP connection: several queries, each answered in turn.
struct DnsTcp {
    server: Shared,
    deframer: TcpDeframer,
    out: VecDeque<Vec<u8>>,
    last: SimTime,
    closed: bool,
}

impl Session for DnsTcp {
    fn input(&mut self, now: SimTime, bytes: &[u8]) {
        self.last = now;
        self.deframer.push(bytes);
        while let Some(query) = self.deframer.next_message() {
            if let Some(reply) = answer(&self.server, now, &query, Transport::Tcp) {
                self.out.push_back(tcp_frame(&reply));
            }
        }
    }
    fn output(&mut self) -> Option<Vec<u8>> {
        self.out.pop_front()
    }
    fn timeout(&self) -> Option<SimTime> {
        Some(self.last + TCP_IDLE)
    }
    fn on_timeout(&mut self, _now: SimTime) {
        self.closed = true;
    }
    fn eof(&mut self, _now: SimTime) {
        self.closed = true;
    }
    fn finished(&mut self) -> bool {
        self.closed
    }
}
