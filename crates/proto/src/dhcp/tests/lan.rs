//! A tiny virtual LAN for DHCP scenario tests: segments (broadcast domains),
//! servers, clients and relays, 1 ms links, an event queue in virtual time,
//! and a transcript of every message, note and event.

use core::net::Ipv4Addr;
use core::time::Duration;

use smoltcp::wire::EthernetAddress;

use crate::SimTime;
use crate::dhcp::{
    Arrival, Client, ClientConfig, ClientEvent, Destination, Message, Relay, RelayConfig, Server,
    ServerConfig, Transmit,
};

const LATENCY: Duration = Duration::from_millis(1);

pub enum Kind {
    Server {
        seg: usize,
        addr: Ipv4Addr,
        up: bool,
        engine: Server,
    },
    Client {
        seg: usize,
        addr: Option<Ipv4Addr>,
        engine: Box<Client>,
    },
    Relay {
        ifaces: Vec<(usize, Ipv4Addr)>,
        engine: Relay,
    },
}

pub struct Node {
    pub name: String,
    pub kind: Kind,
}

struct Delivery {
    at: SimTime,
    seq: u64,
    to: usize,
    /// Receiving interface address (servers, relays).
    iface: Ipv4Addr,
    bytes: Vec<u8>,
}

pub struct Lan {
    pub now: SimTime,
    pub nodes: Vec<Node>,
    queue: Vec<Delivery>,
    seq: u64,
    pub log: Vec<String>,
}

pub fn mac(n: u8) -> EthernetAddress {
    EthernetAddress([0x02, 0x4c, 0, 0, n, 0])
}

pub fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

impl Lan {
    pub fn new() -> Lan {
        Lan {
            now: SimTime::ZERO,
            nodes: Vec::new(),
            queue: Vec::new(),
            seq: 0,
            log: Vec::new(),
        }
    }

    pub fn server(&mut self, name: &str, seg: usize, addr: &str, config: ServerConfig) -> usize {
        config.validate().unwrap();
        let engine = Server::new(config);
        self.add(
            name,
            Kind::Server {
                seg,
                addr: ip(addr),
                up: true,
                engine,
            },
        )
    }

    /// A client on `seg` with MAC 02:4c:00:00:n:00, started now.
    pub fn client(&mut self, name: &str, seg: usize, n: u8) -> usize {
        let mut c = ClientConfig::new(mac(n), u64::from(n));
        c.host_name = Some(name.to_owned());
        self.client_with(name, seg, c)
    }

    pub fn client_with(&mut self, name: &str, seg: usize, config: ClientConfig) -> usize {
        let mut engine = Box::new(Client::new(config));
        engine.start(self.now);
        self.add(
            name,
            Kind::Client {
                seg,
                addr: None,
                engine,
            },
        )
    }

    pub fn relay(&mut self, name: &str, ifaces: &[(usize, &str)], config: RelayConfig) -> usize {
        let ifaces = ifaces.iter().map(|(s, a)| (*s, ip(a))).collect();
        self.add(
            name,
            Kind::Relay {
                ifaces,
                engine: Relay::new(config),
            },
        )
    }

    fn add(&mut self, name: &str, kind: Kind) -> usize {
        self.nodes.push(Node {
            name: name.to_owned(),
            kind,
        });
        self.nodes.len() - 1
    }

    pub fn client_mut(&mut self, i: usize) -> &mut Client {
        match &mut self.nodes[i].kind {
            Kind::Client { engine, .. } => engine,
            _ => panic!("not a client"),
        }
    }

    /// A user action on a client at the current time (`ipconfig /renew`…).
    pub fn act(&mut self, i: usize, f: impl FnOnce(&mut Client, SimTime)) {
        let now = self.now;
        f(self.client_mut(i), now);
    }

    pub fn client_ref(&self, i: usize) -> &Client {
        match &self.nodes[i].kind {
            Kind::Client { engine, .. } => engine,
            _ => panic!("not a client"),
        }
    }

    pub fn addr(&self, i: usize) -> Option<Ipv4Addr> {
        match &self.nodes[i].kind {
            Kind::Client { addr, .. } => *addr,
            _ => panic!("not a client"),
        }
    }

    pub fn server_ref(&self, i: usize) -> &Server {
        match &self.nodes[i].kind {
            Kind::Server { engine, .. } => engine,
            _ => panic!("not a server"),
        }
    }

    /// Replaces a server's engine (a restart that lost its lease table).
    pub fn replace_server(&mut self, i: usize, server: Server) {
        if let Kind::Server { engine, .. } = &mut self.nodes[i].kind {
            *engine = server;
        }
    }

    pub fn set_up(&mut self, i: usize, is_up: bool) {
        if let Kind::Server { up, .. } = &mut self.nodes[i].kind {
            *up = is_up;
        }
    }

    /// Runs until virtual time `secs` (absolute).
    pub fn run_until(&mut self, secs: u64) {
        let until = SimTime::from_secs(secs);
        for _ in 0..100_000 {
            self.flush();
            let next_delivery = self.queue.iter().map(|d| (d.at, d.seq)).min();
            let next_timer = (0..self.nodes.len()).filter_map(|i| self.timeout(i)).min();
            let next = match (next_delivery, next_timer) {
                (Some((d, _)), Some(t)) => d.min(t),
                (Some((d, _)), None) => d,
                (None, Some(t)) => t,
                (None, None) => break,
            };
            if next > until {
                break;
            }
            self.now = next;
            if next_delivery.is_some_and(|(d, _)| d == next) {
                let i = self
                    .queue
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, d)| (d.at, d.seq))
                    .unwrap()
                    .0;
                let d = self.queue.remove(i);
                self.deliver(d);
            } else {
                for i in 0..self.nodes.len() {
                    if self.timeout(i).is_some_and(|t| t <= next) {
                        self.handle_timeout(i);
                    }
                }
            }
        }
        self.flush();
        self.now = until;
    }

    fn timeout(&self, i: usize) -> Option<SimTime> {
        match &self.nodes[i].kind {
            Kind::Server {
                up: true, engine, ..
            } => engine.poll_timeout(),
            Kind::Server { up: false, .. } | Kind::Relay { .. } => None,
            Kind::Client { engine, .. } => engine.poll_timeout(),
        }
    }

    fn handle_timeout(&mut self, i: usize) {
        let now = self.now;
        match &mut self.nodes[i].kind {
            Kind::Server { engine, .. } => engine.handle_timeout(now),
            Kind::Client { engine, .. } => engine.handle_timeout(now),
            Kind::Relay { .. } => {}
        }
    }

    fn deliver(&mut self, d: Delivery) {
        let now = self.now;
        let msg = Message::from_bytes(&d.bytes).unwrap();
        match &mut self.nodes[d.to].kind {
            Kind::Server { engine, .. } => {
                engine.handle_message(now, Arrival { interface: d.iface }, &msg)
            }
            Kind::Client { engine, .. } => engine.handle_message(now, &msg),
            Kind::Relay { engine, .. } => engine.handle_message(d.iface, &msg),
        }
    }

    /// Drains every node's output into the queue and the log.
    pub fn flush(&mut self) {
        let t = self.now;
        for i in 0..self.nodes.len() {
            let name = self.nodes[i].name.clone();
            let mut out = Vec::new();
            match &mut self.nodes[i].kind {
                Kind::Server { engine, .. } => {
                    while let Some(n) = engine.poll_note() {
                        self.log.push(format!("{t} {name} note: {n}"));
                    }
                    out.extend(std::iter::from_fn(|| engine.poll_transmit()));
                }
                Kind::Relay { engine, .. } => {
                    while let Some(n) = engine.poll_note() {
                        self.log.push(format!("{t} {name} note: {n}"));
                    }
                    out.extend(std::iter::from_fn(|| engine.poll_transmit()));
                }
                Kind::Client { engine, addr, .. } => {
                    while let Some(n) = engine.poll_note() {
                        self.log.push(format!("{t} {name} note: {n}"));
                    }
                    while let Some(e) = engine.poll_event() {
                        match e {
                            ClientEvent::Configured(c) => {
                                *addr = Some(c.address);
                                self.log.push(format!(
                                    "{t} {name} event: address {}/{}",
                                    c.address, c.mask
                                ));
                            }
                            ClientEvent::Deconfigured { address } => {
                                *addr = None;
                                self.log
                                    .push(format!("{t} {name} event: {address} removed"));
                            }
                        }
                    }
                    out.extend(std::iter::from_fn(|| engine.poll_transmit()));
                }
            }
            for tx in out {
                self.log.push(format!("{t} {name}: {tx}"));
                self.route(i, tx);
            }
        }
    }

    fn segment_of(&self, i: usize, src: Ipv4Addr) -> Option<usize> {
        match &self.nodes[i].kind {
            Kind::Server { seg, .. } | Kind::Client { seg, .. } => Some(*seg),
            Kind::Relay { ifaces, .. } => ifaces.iter().find(|(_, a)| *a == src).map(|(s, _)| *s),
        }
    }

    /// Who receives `tx`: (node, receiving interface address).
    fn receivers(&self, from: usize, tx: &Transmit) -> Vec<(usize, Ipv4Addr)> {
        let port = tx.dst.port();
        let here = self.segment_of(from, tx.src);
        let mut out = Vec::new();
        for (j, n) in self.nodes.iter().enumerate().filter(|(j, _)| *j != from) {
            match (&n.kind, tx.dst, port) {
                (
                    Kind::Server {
                        seg,
                        addr,
                        up: true,
                        ..
                    },
                    Destination::Broadcast { .. },
                    67,
                ) if Some(*seg) == here => {
                    out.push((j, *addr));
                }
                (Kind::Server { addr, up: true, .. }, Destination::Unicast { ip, .. }, 67)
                    if *addr == ip =>
                {
                    out.push((j, *addr));
                }
                (Kind::Relay { ifaces, .. }, Destination::Broadcast { .. }, 67) => {
                    out.extend(
                        ifaces
                            .iter()
                            .filter(|(s, _)| Some(*s) == here)
                            .map(|(_, a)| (j, *a)),
                    );
                }
                (Kind::Relay { ifaces, .. }, Destination::Unicast { ip, .. }, 67) => {
                    out.extend(
                        ifaces
                            .iter()
                            .filter(|(_, a)| *a == ip)
                            .map(|(_, a)| (j, *a)),
                    );
                }
                (Kind::Client { seg, .. }, Destination::Broadcast { .. }, 68)
                    if Some(*seg) == here =>
                {
                    out.push((j, Ipv4Addr::UNSPECIFIED));
                }
                (Kind::Client { engine, .. }, Destination::Hardware { mac, .. }, 68)
                    if engine.settings().mac == mac =>
                {
                    out.push((j, Ipv4Addr::UNSPECIFIED));
                }
                (Kind::Client { addr, .. }, Destination::Unicast { ip, .. }, 68)
                    if *addr == Some(ip) =>
                {
                    out.push((j, Ipv4Addr::UNSPECIFIED));
                }
                _ => {}
            }
        }
        out
    }

    fn route(&mut self, from: usize, tx: Transmit) {
        let bytes = tx.message.to_bytes();
        for (to, iface) in self.receivers(from, &tx) {
            self.seq += 1;
            self.queue.push(Delivery {
                at: self.now + LATENCY,
                seq: self.seq,
                to,
                iface,
                bytes: bytes.clone(),
            });
        }
    }

    /// Log lines containing `needle`.
    pub fn lines(&self, needle: &str) -> Vec<&str> {
        self.log
            .iter()
            .filter(|l| l.contains(needle))
            .map(String::as_str)
            .collect()
    }

    /// Asserts the log has lines containing each needle, in this order.
    #[track_caller]
    pub fn expect(&self, needles: &[&str]) {
        let mut at = 0;
        for n in needles {
            match self.log[at..].iter().position(|l| l.contains(n)) {
                Some(k) => at += k + 1,
                None => panic!(
                    "no line with {n:?} after line {at}; log:\n{}",
                    self.log.join("\n")
                ),
            }
        }
    }

    /// Asserts no line contains `needle`.
    #[track_caller]
    pub fn expect_none(&self, needle: &str) {
        let l = self.lines(needle);
        assert!(
            l.is_empty(),
            "unexpected {needle:?}: {l:?}; log:\n{}",
            self.log.join("\n")
        );
    }
}
