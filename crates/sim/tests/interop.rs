//! Interop: a smoltcp host, outside the simulation, wired through a tap to
//! a switch port, talks ARP, ICMP and TCP with lanlab hosts. Two independent
//! stacks agreeing is the test that our wire formats and TCP are real.

use std::collections::VecDeque;

use lanlab_proto::SimTime;
use lanlab_sim::testnet::TestNet;
use lanlab_sim::{Action, Engine, JobStatus, PortRef};
use smoltcp::iface::{Config, Interface, SocketSet};
use smoltcp::phy::{self, DeviceCapabilities, Medium};
use smoltcp::socket::tcp;
use smoltcp::time::Instant;
use smoltcp::wire::{EthernetAddress, HardwareAddress, IpAddress, IpCidr, Ipv4Address};

/// A smoltcp phy device backed by two queues.
#[derive(Default)]
struct Wire {
    rx: VecDeque<Vec<u8>>,
    tx: VecDeque<Vec<u8>>,
}

struct Rx(Vec<u8>);
struct Tx<'a>(&'a mut VecDeque<Vec<u8>>);

impl phy::RxToken for Rx {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(&self.0)
    }
}

impl phy::TxToken for Tx<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let mut buf = vec![0; len];
        let r = f(&mut buf);
        self.0.push_back(buf);
        r
    }
}

impl phy::Device for Wire {
    type RxToken<'a> = Rx;
    type TxToken<'a> = Tx<'a>;
    fn receive(&mut self, _t: Instant) -> Option<(Rx, Tx<'_>)> {
        let f = self.rx.pop_front()?;
        Some((Rx(f), Tx(&mut self.tx)))
    }
    fn transmit(&mut self, _t: Instant) -> Option<Tx<'_>> {
        Some(Tx(&mut self.tx))
    }
    fn capabilities(&self) -> DeviceCapabilities {
        let mut c = DeviceCapabilities::default();
        c.medium = Medium::Ethernet;
        c.max_transmission_unit = 1514;
        c
    }
}

const TAP: (&str, &str) = ("Switch0", "FastEthernet0/3");

struct Peer {
    engine: Engine,
    wire: Wire,
    iface: Interface,
    sockets: SocketSet<'static>,
}

impl Peer {
    fn new() -> Peer {
        let lab = TestNet::new()
            .pc("PC0", "192.168.1.10/24", Some("192.168.1.1"))
            .switch("Switch0", 8)
            .router("Router0", &["192.168.1.1/24", "10.0.0.1/24"])
            .server("Server0", "10.0.0.2/24", Some("10.0.0.1"))
            .link("PC0", "Switch0")
            .link("Switch0", "Router0")
            .link("Router0", "Server0")
            .into_lab();
        let mut engine = Engine::with_seed(&lab, 3).unwrap();
        engine
            .act(Action::Tap {
                port: PortRef {
                    device: TAP.0.into(),
                    port: TAP.1.into(),
                },
            })
            .unwrap();
        let mut wire = Wire::default();
        let mac = EthernetAddress([0x02, 0x99, 0, 0, 0, 1]);
        let mut iface = Interface::new(
            Config::new(HardwareAddress::Ethernet(mac)),
            &mut wire,
            Instant::ZERO,
        );
        iface.update_ip_addrs(|a| {
            a.push(IpCidr::new(IpAddress::v4(192, 168, 1, 20), 24))
                .unwrap();
        });
        iface
            .routes_mut()
            .add_default_ipv4_route(Ipv4Address::new(192, 168, 1, 1))
            .unwrap();
        Peer {
            engine,
            wire,
            iface,
            sockets: SocketSet::new(vec![]),
        }
    }

    fn now(&self) -> Instant {
        Instant::from_micros(self.engine.now().as_micros() as i64)
    }

    /// Moves frames both ways and advances virtual time to the next thing
    /// either side must do. Returns `false` when nothing is left.
    fn turn(&mut self) -> bool {
        while let Some((_, f)) = self.engine.tap_recv(TAP.0, TAP.1) {
            self.wire.rx.push_back(f);
        }
        let now = self.now();
        self.iface.poll(now, &mut self.wire, &mut self.sockets);
        while let Some(f) = self.wire.tx.pop_front() {
            self.engine
                .act(Action::Inject {
                    port: PortRef {
                        device: TAP.0.into(),
                        port: TAP.1.into(),
                    },
                    bytes: f,
                })
                .unwrap();
        }
        let smol = self
            .iface
            .poll_at(now, &self.sockets)
            .map(|t| SimTime::from_micros(t.total_micros().max(0) as u64));
        match (self.engine.next_event_time(), smol) {
            (Some(e), Some(s)) if s < e => self.engine.run_until(s.max(self.engine.now())),
            (Some(_), _) => {
                self.engine.step();
            }
            (None, Some(s)) => self.engine.run_until(s.max(self.engine.now())),
            (None, None) => return false,
        }
        true
    }
}

#[test]
fn lanlab_pings_a_smoltcp_host() {
    let mut p = Peer::new();
    let j = p.engine.command("PC0", "ping -n 2 192.168.1.20").unwrap();
    for _ in 0..10_000 {
        if p.engine.job(j).unwrap().status != JobStatus::Running || !p.turn() {
            break;
        }
    }
    let out = &p.engine.job(j).unwrap().output;
    let trace: Vec<String> = p
        .engine
        .trace()
        .events()
        .map(|e| p.engine.describe(e))
        .collect();
    assert_eq!(
        p.engine.job(j).unwrap().status,
        JobStatus::Succeeded,
        "{out}\n{}",
        trace.join("\n")
    );
    assert!(out.contains("Reply from 192.168.1.20: bytes=32"), "{out}");
    assert!(out.contains("TTL=64"), "smoltcp answers with TTL 64: {out}");
}

#[test]
fn smoltcp_client_sends_to_a_lanlab_server_across_a_router() {
    let mut p = Peer::new();
    p.engine
        .act(Action::Listen {
            device: "Server0".into(),
            port: 9,
        })
        .unwrap();
    let sock = tcp::Socket::new(
        tcp::SocketBuffer::new(vec![0; 8192]),
        tcp::SocketBuffer::new(vec![0; 65536]),
    );
    let h = p.sockets.add(sock);
    let data: Vec<u8> = (0..30_000u32).map(|i| (i % 251) as u8).collect();
    {
        let cx = p.iface.context();
        let s = p.sockets.get_mut::<tcp::Socket>(h);
        s.connect(cx, (IpAddress::v4(10, 0, 0, 2), 9), 50_000)
            .unwrap();
    }
    let mut sent = 0;
    let mut closed = false;
    for _ in 0..200_000 {
        {
            let s = p.sockets.get_mut::<tcp::Socket>(h);
            if s.can_send() && sent < data.len() {
                sent += s.send_slice(&data[sent..]).unwrap();
            }
            if sent == data.len() && !closed && s.send_queue() == 0 {
                s.close();
                closed = true;
            }
        }
        if !p.turn() {
            break;
        }
        if closed && p.engine.host("Server0").unwrap().tcp.received(9).len() == data.len() {
            break;
        }
    }
    let got = p.engine.host("Server0").unwrap().tcp.received(9);
    assert_eq!(got.len(), data.len());
    assert_eq!(got, &data[..]);
}

#[test]
fn lanlab_client_sends_to_a_smoltcp_server() {
    let mut p = Peer::new();
    let mut sock = tcp::Socket::new(
        tcp::SocketBuffer::new(vec![0; 65536]),
        tcp::SocketBuffer::new(vec![0; 8192]),
    );
    sock.listen(7000).unwrap();
    let h = p.sockets.add(sock);
    let job = p
        .engine
        .act(Action::Send {
            device: "Server0".into(),
            to: "192.168.1.20:7000".into(),
            bytes: 25_000,
        })
        .unwrap()
        .unwrap();
    let mut got = Vec::new();
    for _ in 0..200_000 {
        {
            let s = p.sockets.get_mut::<tcp::Socket>(h);
            if s.can_recv() {
                s.recv(|b| {
                    got.extend_from_slice(b);
                    (b.len(), ())
                })
                .unwrap();
            }
            if !s.may_recv() && s.state() == tcp::State::CloseWait {
                s.close();
            }
        }
        if p.engine.job(job).unwrap().status != JobStatus::Running || !p.turn() {
            break;
        }
    }
    let j = p.engine.job(job).unwrap();
    assert_eq!(j.status, JobStatus::Succeeded, "{}", j.output);
    assert_eq!(got.len(), 25_000);
    assert!(
        got.iter()
            .enumerate()
            .all(|(i, b)| *b == b'0' + (i % 10) as u8)
    );
}
