//! Interop: our `Connection` against smoltcp's own `Interface` + TCP socket,
//! raw IPv4 packets passed through a tiny queue device.

use std::collections::VecDeque;
use std::time::Duration;

use smoltcp::iface::{Config as IfaceConfig, Interface, SocketHandle, SocketSet};
use smoltcp::phy::{self, ChecksumCapabilities, Device, DeviceCapabilities, Medium};
use smoltcp::socket::tcp;
use smoltcp::time::Instant;
use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr, IpProtocol, Ipv4Packet, Ipv4Repr};

use super::*;

/// A device whose "wire" is two packet queues.
#[derive(Default)]
struct QueueDevice {
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

impl Device for QueueDevice {
    type RxToken<'a> = Rx;
    type TxToken<'a> = Tx<'a>;

    fn receive(&mut self, _: Instant) -> Option<(Rx, Tx<'_>)> {
        let packet = self.rx.pop_front()?;
        Some((Rx(packet), Tx(&mut self.tx)))
    }

    fn transmit(&mut self, _: Instant) -> Option<Tx<'_>> {
        Some(Tx(&mut self.tx))
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ip;
        caps.max_transmission_unit = 1500;
        caps
    }
}

/// One application's stream: what to send, what arrived.
#[derive(Default)]
struct App {
    out: Vec<u8>,
    sent: usize,
    input: Vec<u8>,
    close_when_sent: bool,
    closed: bool,
}

/// smoltcp at B (10.0.0.2), our engine at A (10.0.0.1) or the reverse roles.
struct Net {
    now: SimTime,
    iface: Interface,
    dev: QueueDevice,
    sockets: SocketSet<'static>,
    handle: SocketHandle,
    smol: App,
    ours: Option<Connection>,
    listener: Option<Listener>,
    app: App,
    log: Vec<String>,
    /// Loses packets (by running number, both directions).
    drop: Box<dyn FnMut(u64) -> bool>,
    packets: u64,
    /// Our address and smoltcp's.
    our_ip: Ipv4Addr,
    smol_ip: Ipv4Addr,
}

impl Net {
    fn new(our_ip: Ipv4Addr, smol_ip: Ipv4Addr) -> Self {
        let mut dev = QueueDevice::default();
        let mut iface = Interface::new(
            IfaceConfig::new(HardwareAddress::Ip),
            &mut dev,
            Instant::ZERO,
        );
        iface.update_ip_addrs(|a| {
            a.push(IpCidr::new(IpAddress::Ipv4(smol_ip), 24)).unwrap();
        });
        let socket = tcp::Socket::new(
            tcp::SocketBuffer::new(vec![0; 65535]),
            tcp::SocketBuffer::new(vec![0; 65535]),
        );
        let mut sockets = SocketSet::new(Vec::new());
        let handle = sockets.add(socket);
        Net {
            now: SimTime::ZERO,
            iface,
            dev,
            sockets,
            handle,
            smol: App::default(),
            ours: None,
            listener: None,
            app: App::default(),
            log: Vec::new(),
            drop: Box::new(|_| false),
            packets: 0,
            our_ip,
            smol_ip,
        }
    }

    fn socket(&mut self) -> &mut tcp::Socket<'static> {
        self.sockets.get_mut::<tcp::Socket>(self.handle)
    }

    fn smol_app(&mut self) {
        let ts = Instant::from_micros(self.now.as_micros() as i64);
        self.iface.poll(ts, &mut self.dev, &mut self.sockets);
        let (mut app, handle) = (std::mem::take(&mut self.smol), self.handle);
        let sock = self.sockets.get_mut::<tcp::Socket>(handle);
        let mut buf = [0u8; 4096];
        while sock.can_recv() {
            let n = sock.recv_slice(&mut buf).unwrap();
            app.input.extend_from_slice(&buf[..n]);
            if n == 0 {
                break;
            }
        }
        if sock.can_send() && app.sent < app.out.len() {
            app.sent += sock.send_slice(&app.out[app.sent..]).unwrap();
        }
        if app.close_when_sent && !app.closed && app.sent == app.out.len() {
            sock.close();
            app.closed = true;
        }
        self.smol = app;
        self.iface.poll(ts, &mut self.dev, &mut self.sockets);
    }

    fn our_app(&mut self) {
        let Some(c) = self.ours.as_mut() else { return };
        let app = &mut self.app;
        while c.poll_event().is_some() {}
        app.input.extend(c.recv());
        app.sent += c.send(&app.out[app.sent..]);
        if app.close_when_sent && !app.closed && app.sent == app.out.len() {
            c.close();
            app.closed = true;
        }
    }

    /// One millisecond of virtual time.
    fn tick(&mut self) {
        self.smol_app();
        while let Some(packet) = self.dev.tx.pop_front() {
            let ip = Ipv4Packet::new_checked(&packet[..]).unwrap();
            let repr = Ipv4Repr::parse(&ip, &ChecksumCapabilities::default()).unwrap();
            assert_eq!(repr.next_header, IpProtocol::Tcp);
            let seg = Segment::parse(repr.src_addr, repr.dst_addr, ip.payload())
                .expect("smoltcp emits valid TCP");
            if self.lose() {
                self.log.push(format!("smoltcp {seg} (lost)"));
                continue;
            }
            self.log.push(format!("smoltcp {seg}"));
            self.deliver(&seg);
        }
        self.our_app();
        let now = self.now;
        if let Some(c) = self.ours.as_mut() {
            if c.poll_timeout().is_some_and(|t| t <= now) {
                c.handle_timeout(now);
            }
            while let Some(seg) = c.poll_transmit(now) {
                self.packets += 1;
                if (self.drop)(self.packets) {
                    self.log.push(format!("lanlab  {seg} (lost)"));
                    continue;
                }
                self.log.push(format!("lanlab  {seg}"));
                let packet = ipv4(self.our_ip, self.smol_ip, &seg);
                self.dev.rx.push_back(packet);
            }
        }
        self.now += Duration::from_millis(1);
    }

    fn lose(&mut self) -> bool {
        self.packets += 1;
        (self.drop)(self.packets)
    }

    fn deliver(&mut self, seg: &Segment) {
        let now = self.now;
        if let Some(c) = self.ours.as_mut() {
            c.handle_segment(now, seg);
            return;
        }
        let listener = self.listener.as_ref().expect("someone listens");
        if listener.handle_segment(seg) == ListenAction::Accept {
            let remote = SocketAddrV4::new(self.smol_ip, seg.src_port);
            self.ours = Some(Connection::accept(
                listener.local(),
                remote,
                seg,
                B_ISS,
                now,
            ));
        }
    }

    fn run_until(&mut self, mut done: impl FnMut(&mut Net) -> bool) {
        for _ in 0..300_000 {
            if done(self) {
                return;
            }
            self.tick();
        }
        panic!(
            "interop stalled; last segments: {:?}",
            &self.log[self.log.len().saturating_sub(6)..]
        );
    }
}

/// Wrap our segment in an IPv4 packet for smoltcp.
fn ipv4(src: Ipv4Addr, dst: Ipv4Addr, seg: &Segment) -> Vec<u8> {
    let tcp = seg.emit(src, dst);
    let repr = Ipv4Repr {
        src_addr: src,
        dst_addr: dst,
        next_header: IpProtocol::Tcp,
        payload_len: tcp.len(),
        hop_limit: 64,
    };
    let mut bytes = vec![0; repr.buffer_len() + tcp.len()];
    let mut packet = Ipv4Packet::new_unchecked(&mut bytes[..]);
    repr.emit(&mut packet, &ChecksumCapabilities::default());
    packet.payload_mut().copy_from_slice(&tcp);
    bytes
}

const SIZE: usize = 30_000;

#[test]
fn our_client_talks_to_a_smoltcp_server() {
    let mut net = Net::new(A_IP, B_IP);
    net.socket().listen(80).unwrap();
    net.ours = Some(Connection::connect(A, B, A_ISS, SimTime::ZERO));
    net.app.out = pattern(SIZE, 7);
    net.app.close_when_sent = true;
    net.smol.out = pattern(SIZE, 8);
    net.smol.close_when_sent = true;
    net.run_until(|n| {
        n.ours
            .as_ref()
            .is_some_and(|c| c.state() == State::TimeWait || c.is_closed())
            && matches!(
                n.socket().state(),
                tcp::State::Closed | tcp::State::TimeWait
            )
    });
    assert!(net.smol.input == pattern(SIZE, 7), "smoltcp got our data");
    assert!(net.app.input == pattern(SIZE, 8), "we got smoltcp's data");
    assert_eq!(
        net.log[0],
        "lanlab  1025 → 80 [SYN] seq=1000 win=65535 mss=1460"
    );
    assert!(net.log[1].starts_with("smoltcp 80 → 1025 [SYN, ACK]"));
    assert!(net.log[1].contains("ack=1001"));
}

#[test]
fn a_smoltcp_client_talks_to_our_server() {
    let mut net = Net::new(B_IP, A_IP);
    net.listener = Some(Listener::new(B));
    let remote = (IpAddress::Ipv4(B_IP), 80);
    let handle = net.handle;
    let sock = net.sockets.get_mut::<tcp::Socket>(handle);
    sock.connect(net.iface.context(), remote, 1025).unwrap();
    net.smol.out = pattern(SIZE, 9);
    net.smol.close_when_sent = true;
    net.app.out = pattern(SIZE, 10);
    net.app.close_when_sent = true;
    net.run_until(|n| {
        n.ours.as_ref().is_some_and(Connection::is_closed)
            && matches!(
                n.socket().state(),
                tcp::State::Closed | tcp::State::TimeWait
            )
    });
    assert!(net.app.input == pattern(SIZE, 9), "we got smoltcp's data");
    assert!(net.smol.input == pattern(SIZE, 10), "smoltcp got our data");
    assert!(net.log[0].starts_with("smoltcp 1025 → 80 [SYN]"));
    assert!(net.log[1].starts_with("lanlab  80 → 1025 [SYN, ACK] seq=5000"));
}

#[test]
fn interop_survives_a_lossy_wire_both_ways() {
    let mut net = Net::new(A_IP, B_IP);
    net.drop = Box::new(|n| n % 6 == 0);
    net.socket().listen(80).unwrap();
    net.ours = Some(Connection::connect(A, B, A_ISS, SimTime::ZERO));
    net.app.out = pattern(SIZE, 13);
    net.app.close_when_sent = true;
    net.smol.out = pattern(SIZE, 14);
    net.smol.close_when_sent = true;
    net.run_until(|n| {
        n.ours
            .as_ref()
            .is_some_and(|c| c.state() == State::TimeWait || c.is_closed())
            && matches!(
                n.socket().state(),
                tcp::State::Closed | tcp::State::TimeWait
            )
    });
    assert!(net.smol.input == pattern(SIZE, 13), "smoltcp got our data");
    assert!(net.app.input == pattern(SIZE, 14), "we got smoltcp's data");
    assert!(net.log.iter().filter(|l| l.ends_with("(lost)")).count() > 5);
}
