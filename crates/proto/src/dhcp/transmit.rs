//! Where an engine's outgoing message goes, as plain data the simulator can
//! turn into a UDP datagram, an IPv4 packet and an Ethernet frame.
//!
//! RFC 2131 §4.1 decides the server's choice: "If the 'giaddr' field in a
//! DHCP message from a client is non-zero, the server sends any return
//! messages to the 'DHCP server' port on the BOOTP relay agent whose address
//! appears in 'giaddr'. If the 'giaddr' field is zero and the 'ciaddr' field
//! is nonzero, then the server unicasts DHCPOFFER and DHCPACK messages to the
//! address in 'ciaddr'. If 'giaddr' is zero and 'ciaddr' is zero, and the
//! broadcast bit is set, then the server broadcasts DHCPOFFER and DHCPACK
//! messages to 0xffffffff. If the broadcast bit is not set and 'giaddr' is
//! zero and 'ciaddr' is zero, then the server unicasts DHCPOFFER and DHCPACK
//! messages to the client's hardware address and 'yiaddr' address."

use core::fmt;
use core::net::Ipv4Addr;

use smoltcp::wire::EthernetAddress;

use super::Mac;
use super::message::Message;

/// The IPv4/Ethernet destination of an outgoing DHCP message.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// To 255.255.255.255 and Ethernet broadcast, on the local link.
    Broadcast {
        /// UDP destination port.
        port: u16,
    },
    /// Ordinary IP unicast: ARP (or a route) as for any packet.
    Unicast {
        /// Destination address.
        ip: Ipv4Addr,
        /// UDP destination port.
        port: u16,
    },
    /// Unicast to a client that has no address yet: the IP destination is
    /// `ip` (the yiaddr) and the frame goes straight to `mac`, without ARP.
    Hardware {
        /// Destination address (the yiaddr being offered).
        ip: Ipv4Addr,
        /// Client MAC (chaddr).
        mac: EthernetAddress,
        /// UDP destination port.
        port: u16,
    },
}

impl Destination {
    /// The IPv4 destination address.
    pub fn ip(&self) -> Ipv4Addr {
        match *self {
            Destination::Broadcast { .. } => Ipv4Addr::BROADCAST,
            Destination::Unicast { ip, .. } | Destination::Hardware { ip, .. } => ip,
        }
    }

    /// The UDP destination port.
    pub fn port(&self) -> u16 {
        match *self {
            Destination::Broadcast { port }
            | Destination::Unicast { port, .. }
            | Destination::Hardware { port, .. } => port,
        }
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::Broadcast { port } => write!(f, "255.255.255.255:{port} (broadcast)"),
            Destination::Unicast { ip, port } => write!(f, "{ip}:{port}"),
            Destination::Hardware { ip, mac, port } => write!(f, "{ip}:{port} at {}", Mac(*mac)),
        }
    }
}

/// One outgoing DHCP message and where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// IPv4 source address. It also names the interface the message leaves
    /// by: the server's and relay's interface address; `0.0.0.0` for a client
    /// without an address (the client engine belongs to one interface).
    pub src: Ipv4Addr,
    /// UDP source port (67 for servers and relays, 68 for clients).
    pub src_port: u16,
    /// Where it goes.
    pub dst: Destination,
    /// The message itself; `to_bytes()` gives the UDP payload.
    pub message: Message,
}

impl fmt::Display for Transmit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} → {}: {}", self.src, self.dst, self.message)
    }
}
