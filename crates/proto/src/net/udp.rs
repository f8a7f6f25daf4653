//! UDP sockets of one host (RFC 768): bound ports, receive queues, and the
//! datagrams waiting to be sent.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddrV4;

use serde::Serialize;

use super::ip::NetError;

/// One datagram.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Datagram {
    /// Sender.
    pub src: SocketAddrV4,
    /// Receiver.
    pub dst: SocketAddrV4,
    /// Data.
    pub payload: Vec<u8>,
}

/// What happened to an incoming datagram.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Queued on a bound socket.
    Queued,
    /// The receive queue was full: dropped.
    QueueFull,
    /// No socket on that port: answer ICMP port unreachable.
    PortUnreachable,
}

/// First port handed out by [`UdpSockets::bind_ephemeral`] (Windows' range).
pub const EPHEMERAL_START: u16 = 49152;
const MAX_QUEUE: usize = 64;

/// The UDP sockets of a host.
#[derive(Clone, Debug, Default)]
pub struct UdpSockets {
    bound: BTreeMap<u16, VecDeque<Datagram>>,
    tx: VecDeque<Datagram>,
    next_ephemeral: u16,
}

impl UdpSockets {
    /// No socket bound.
    pub fn new() -> Self {
        UdpSockets {
            next_ephemeral: EPHEMERAL_START,
            ..Default::default()
        }
    }

    /// Binds a port.
    ///
    /// # Errors
    /// [`NetError::PortInUse`].
    pub fn bind(&mut self, port: u16) -> Result<u16, NetError> {
        if self.bound.contains_key(&port) {
            return Err(NetError::PortInUse(port));
        }
        self.bound.insert(port, VecDeque::new());
        Ok(port)
    }

    /// Binds the next free ephemeral port.
    ///
    /// # Errors
    /// [`NetError::NoFreePort`] when all 16384 are bound.
    pub fn bind_ephemeral(&mut self) -> Result<u16, NetError> {
        for _ in 0..=(u16::MAX - EPHEMERAL_START) {
            let p = self.next_ephemeral;
            self.next_ephemeral = if p == u16::MAX {
                EPHEMERAL_START
            } else {
                p + 1
            };
            if !self.bound.contains_key(&p) {
                return self.bind(p);
            }
        }
        Err(NetError::NoFreePort)
    }

    /// Unbinds a port, dropping what it had received.
    pub fn close(&mut self, port: u16) {
        self.bound.remove(&port);
    }

    /// Queues a datagram for sending from a bound port.
    ///
    /// # Errors
    /// [`NetError::NotBound`].
    pub fn send_to(
        &mut self,
        src: SocketAddrV4,
        dst: SocketAddrV4,
        payload: &[u8],
    ) -> Result<(), NetError> {
        if !self.bound.contains_key(&src.port()) {
            return Err(NetError::NotBound(src.port()));
        }
        self.tx.push_back(Datagram {
            src,
            dst,
            payload: payload.to_vec(),
        });
        Ok(())
    }

    /// The next datagram to put on the wire.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Datagram> {
        self.tx.pop_front()
    }

    /// Hands an incoming datagram to its socket.
    pub fn deliver(&mut self, d: Datagram) -> Delivery {
        match self.bound.get_mut(&d.dst.port()) {
            None => Delivery::PortUnreachable,
            Some(q) if q.len() >= MAX_QUEUE => Delivery::QueueFull,
            Some(q) => {
                q.push_back(d);
                Delivery::Queued
            }
        }
    }

    /// The next datagram received on `port`.
    pub fn recv(&mut self, port: u16) -> Option<Datagram> {
        self.bound.get_mut(&port)?.pop_front()
    }

    /// The bound ports, ascending (what `netstat -a` lists).
    pub fn ports(&self) -> impl Iterator<Item = u16> + '_ {
        self.bound.keys().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn bind_send_deliver_recv() {
        let mut s = UdpSockets::new();
        assert_eq!(s.bind(53), Ok(53));
        assert_eq!(s.bind(53), Err(NetError::PortInUse(53)));
        let e = s.bind_ephemeral().unwrap();
        assert_eq!(e, EPHEMERAL_START);
        let me = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 1), e);
        let them = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 2), 53);
        s.send_to(me, them, b"q").unwrap();
        assert_eq!(s.poll_transmit().unwrap().payload, b"q");
        assert!(
            s.send_to(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 9), them, b"")
                .is_err()
        );
        let d = Datagram {
            src: them,
            dst: me,
            payload: b"a".to_vec(),
        };
        assert_eq!(s.deliver(d.clone()), Delivery::Queued);
        assert_eq!(s.recv(e).unwrap(), d);
        let mut d2 = d;
        d2.dst.set_port(7);
        assert_eq!(s.deliver(d2), Delivery::PortUnreachable);
        assert_eq!(s.ports().collect::<Vec<_>>(), vec![53, e]);
    }
}
