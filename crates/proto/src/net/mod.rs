//! Host networking engines below the applications: IPv4 addressing, ARP cache,
//! routing table, ICMP echo and error messages, UDP sockets (RFC 826, 791,
//! 792, 768, 1812), and IEEE 802.1Q VLAN tags ([`dot1q`]).
//!
//! Every engine here is sans-IO: it takes parsed input and the current
//! [`SimTime`](crate::SimTime), and hands back what to send. The wire formats
//! themselves are `smoltcp::wire`'s; [`packet`] builds whole packets from them.

pub mod arp;
pub mod dot1q;
pub mod icmp;
pub mod ip;
pub mod packet;
pub mod route;
pub mod udp;
pub mod wire;

pub use arp::{ArpCache, ArpEntry, ArpTimeout, Resolve};
pub use icmp::{EchoClient, ProbeResult};
pub use ip::{Ipv4Net, NetError, mask_to_prefix, prefix_to_mask};
pub use route::{Route, RouteOrigin, RouteTable};
pub use smoltcp::wire::EthernetAddress as Mac;
pub use udp::{Datagram, UdpSockets};
