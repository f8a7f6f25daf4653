//! The device's DNS server on a real UDP socket and a TCP listener on the
//! same port (RFC 1035 §4.2: messages over TCP carry a two-byte length
//! prefix).
//!
//! A recursive server (S4's `Resolver`) walks the lab's own hierarchy: its
//! queries to the root and below never leave the process; they are answered
//! by the engines of the lab's other DNS servers, found by address. Only
//! responses are ever written to the socket, to the client that asked.
//! Over TCP the server answers from its own zones.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::io::ErrorKind;
use std::net::{IpAddr, TcpListener, UdpSocket};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use lanlab_proto::dns::{
    Authoritative, Message, Note, Resolver, ResolverConfig, TcpDeframer, Transport, tcp_frame,
};
use lanlab_proto::{SimTime, StreamServer};

use super::firewall::Gate;
use super::stream::{StreamService, ignore_events, spawn_listener};
use super::{Clock, DnsSetup, log, spawn_named};

/// Longest sleep between resolver timer checks.
const CAP: Duration = Duration::from_secs(1);

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

/// The resolver and the lab's DNS servers it asks, in process.
struct Recursive {
    resolver: Resolver,
    lab: Vec<(IpAddr, Authoritative)>,
}

impl Recursive {
    /// Sends what the resolver wants sent: responses to clients on `udp`,
    /// queries to the lab's servers' engines (whose replies go straight back).
    fn pump(&mut self, now: SimTime, udp: &UdpSocket) {
        while let Some(note) = self.resolver.poll_note() {
            log("dns", note);
        }
        while let Some(t) = self.resolver.poll_transmit() {
            let is_query = Message::peek_header(&t.payload).is_some_and(|(_, f)| !f.qr);
            if !is_query {
                if let Err(e) = udp.send_to(&t.payload, t.dst) {
                    log("dns", format_args!("reply to {} not sent: {e}", t.dst));
                }
                continue;
            }
            let Some((_, server)) = self.lab.iter_mut().find(|(ip, _)| *ip == t.dst.ip()) else {
                log(
                    "dns",
                    format_args!("no DNS server at {} in the lab: no answer", t.dst.ip()),
                );
                continue;
            };
            let reply = server.handle_query(now, &t.payload, Transport::Udp);
            while let Some(note) = server.poll_note() {
                log("dns", format_args!("{}: {note}", t.dst.ip()));
            }
            if let Some(reply) = reply {
                self.resolver.handle_datagram(now, t.dst, &reply);
            }
            while let Some(note) = self.resolver.poll_note() {
                log("dns", note);
            }
        }
    }
}

fn serve_recursive(udp: &UdpSocket, mut r: Recursive, clock: Clock, gate: &Gate) {
    let mut buf = vec![0u8; 65_535];
    loop {
        let now = clock.now();
        if r.resolver.poll_timeout().is_some_and(|t| t <= now) {
            r.resolver.handle_timeout(now);
            r.pump(now, udp);
        }
        let _ = udp.set_read_timeout(Some(clock.wait_until(r.resolver.poll_timeout(), CAP)));
        match udp.recv_from(&mut buf) {
            Ok((_, from)) if !gate.allows("dns", from, 53, false) => {}
            Ok((n, from)) => {
                let now = clock.now();
                r.resolver.handle_client_query(now, from, &buf[..n]);
                r.pump(now, udp);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(e) => log("dns", format_args!("udp: {e}")),
        }
    }
}

fn serve_authoritative(udp: &UdpSocket, server: &Shared, clock: Clock, gate: &Gate) {
    let mut buf = vec![0u8; 65_535];
    loop {
        match udp.recv_from(&mut buf) {
            Ok((_, from)) if !gate.allows("dns", from, 53, false) => {}
            Ok((n, from)) => {
                if let Some(reply) = answer(server, clock.now(), &buf[..n], Transport::Udp)
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
}

/// Serves `setup` on `udp` and `tcp`.
pub fn spawn(
    udp: UdpSocket,
    tcp: TcpListener,
    setup: Option<DnsSetup>,
    clock: Clock,
    gate: Arc<Gate>,
) -> Vec<JoinHandle<()>> {
    let setup = setup.unwrap_or_default();
    let server: Shared = Arc::new(Mutex::new(Authoritative::new(setup.zones.clone())));
    let recursive = setup.recursion.map(|rec| {
        let mut resolver = Resolver::new(ResolverConfig::with_root_hints(rec.root_hints), 1);
        for z in &setup.zones {
            resolver.set_local_zone(z.clone());
        }
        let lab = rec
            .lab_servers
            .into_iter()
            .map(|(ip, zones)| (ip, Authoritative::new(zones)))
            .collect();
        Recursive { resolver, lab }
    });
    let for_udp = server.clone();
    let udp_gate = gate.clone();
    let udp_thread = spawn_named("dns udp".into(), move || match recursive {
        Some(r) => serve_recursive(&udp, r, clock, &udp_gate),
        None => serve_authoritative(&udp, &for_udp, clock, &udp_gate),
    })
    .expect("a DNS thread starts");
    let tcp_thread = spawn_listener(
        StreamService {
            name: "dns",
            lab_port: 53,
            context: server,
            on_event: ignore_events,
        },
        tcp,
        clock,
        gate,
        move |now: SimTime, _peer| DnsTcp {
            deframer: TcpDeframer::new(),
            out: VecDeque::new(),
            notes: VecDeque::new(),
            last: now,
            closed: false,
        },
    );
    vec![udp_thread, tcp_thread]
}

/// One DNS-over-TCP connection: several queries, each answered in turn
/// from the server's zones (its context).
struct DnsTcp {
    deframer: TcpDeframer,
    out: VecDeque<Vec<u8>>,
    notes: VecDeque<Note>,
    last: SimTime,
    closed: bool,
}

impl StreamServer for DnsTcp {
    type Context = Authoritative;
    type Note = Note;
    type Event = Infallible;

    fn handle_input(&mut self, now: SimTime, bytes: &[u8], server: &mut Authoritative) {
        self.last = now;
        self.deframer.push(bytes);
        while let Some(query) = self.deframer.next_message() {
            let reply = server.handle_query(now, &query, Transport::Tcp);
            self.notes.extend(std::iter::from_fn(|| server.poll_note()));
            if let Some(reply) = reply {
                self.out.push_back(tcp_frame(&reply));
            }
        }
    }
    fn handle_end(&mut self, _now: SimTime, _server: &mut Authoritative) {
        self.closed = true;
    }
    fn poll_timeout(&self) -> Option<SimTime> {
        Some(self.last + TCP_IDLE)
    }
    fn handle_timeout(&mut self, now: SimTime, _server: &mut Authoritative) {
        if now >= self.last + TCP_IDLE {
            self.closed = true;
        }
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.out.pop_front()
    }
    fn poll_note(&mut self) -> Option<Note> {
        self.notes.pop_front()
    }
    fn poll_event(&mut self) -> Option<Infallible> {
        None
    }
    fn is_closed(&self) -> bool {
        self.closed
    }
}
