//! What a filter sees of a packet, and the vocabulary shared by the host
//! firewall and router access lists: directions, actions, prefixes, verdicts.

use core::fmt;
use core::str::FromStr;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

/// Which way a packet crosses the filter.
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Arriving at the host, or entering the router's interface.
    #[default]
    In,
    /// Leaving the host, or leaving through the router's interface.
    Out,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::In => "in",
            Direction::Out => "out",
        })
    }
}

/// What a rule does with the packets it matches.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Let the packet through ("permit" in access lists).
    Allow,
    /// Drop it silently.
    Deny,
    /// Drop it and tell the sender (host firewalls only; an access list
    /// never rejects): a TCP segment gets a RST, anything else an ICMP port
    /// unreachable, as netfilter's `REJECT` target does.
    Reject,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Allow => "allow",
            Action::Deny => "deny",
            Action::Reject => "reject",
        })
    }
}

/// TCP flags that matter to filters.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TcpFlags {
    /// SYN: opens a connection.
    pub syn: bool,
    /// ACK: part of an established connection.
    pub ack: bool,
    /// FIN: closes one direction.
    pub fin: bool,
    /// RST: aborts.
    pub rst: bool,
}

impl TcpFlags {
    /// A bare SYN, the first packet of a connection.
    pub const SYN: TcpFlags = TcpFlags {
        syn: true,
        ack: false,
        fin: false,
        rst: false,
    };
    /// SYN+ACK, the server's answer.
    pub const SYN_ACK: TcpFlags = TcpFlags {
        syn: true,
        ack: true,
        fin: false,
        rst: false,
    };
    /// A plain ACK (data or acknowledgement).
    pub const ACK: TcpFlags = TcpFlags {
        syn: false,
        ack: true,
        fin: false,
        rst: false,
    };
}

/// The transport part of a packet.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Transport {
    /// ICMP, with the echo identifier (0 for other types).
    Icmp {
        /// ICMP type (8 echo request, 0 echo reply, 3 unreachable…).
        ty: u8,
        /// ICMP code.
        code: u8,
        /// Echo identifier.
        ident: u16,
    },
    /// TCP segment.
    Tcp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
        /// Flags.
        flags: TcpFlags,
    },
    /// UDP datagram.
    Udp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
    },
    /// Any other IP protocol, by number.
    Other(u8),
}

/// The fields of an IPv4 packet a filter looks at.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct PacketInfo {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Protocol and ports.
    pub transport: Transport,
}

impl PacketInfo {
    /// A TCP segment.
    pub fn tcp(
        src: Ipv4Addr,
        src_port: u16,
        dst: Ipv4Addr,
        dst_port: u16,
        flags: TcpFlags,
    ) -> Self {
        PacketInfo {
            src,
            dst,
            transport: Transport::Tcp {
                src_port,
                dst_port,
                flags,
            },
        }
    }

    /// A UDP datagram.
    pub fn udp(src: Ipv4Addr, src_port: u16, dst: Ipv4Addr, dst_port: u16) -> Self {
        PacketInfo {
            src,
            dst,
            transport: Transport::Udp { src_port, dst_port },
        }
    }

    /// An ICMP message.
    pub fn icmp(src: Ipv4Addr, dst: Ipv4Addr, ty: u8, ident: u16) -> Self {
        PacketInfo {
            src,
            dst,
            transport: Transport::Icmp { ty, code: 0, ident },
        }
    }

    /// The IP protocol number (1 ICMP, 6 TCP, 17 UDP).
    pub fn protocol(&self) -> u8 {
        match self.transport {
            Transport::Icmp { .. } => 1,
            Transport::Tcp { .. } => 6,
            Transport::Udp { .. } => 17,
            Transport::Other(p) => p,
        }
    }

    /// (source port, destination port) for TCP and UDP.
    pub fn ports(&self) -> Option<(u16, u16)> {
        match self.transport {
            Transport::Tcp {
                src_port, dst_port, ..
            }
            | Transport::Udp { src_port, dst_port } => Some((src_port, dst_port)),
            _ => None,
        }
    }
}

/// Why an IPv4 packet could not be read for filtering.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// The IPv4 header is truncated or malformed.
    #[error("malformed IPv4 header")]
    BadIpv4,
    /// The TCP, UDP or ICMP header is truncated.
    #[error("truncated {0} header")]
    Truncated(&'static str),
}

impl PacketInfo {
    /// Reads the filter's view of an IPv4 packet (header and transport header),
    /// with `smoltcp::wire`'s checked views. Non-initial fragments carry no
    /// transport header and are reported as [`Transport::Other`].
    ///
    /// # Errors
    /// [`PacketError`] when the headers are truncated.
    pub fn parse_ipv4(bytes: &[u8]) -> Result<PacketInfo, PacketError> {
        use smoltcp::wire::{Icmpv4Packet, IpProtocol, Ipv4Packet, TcpPacket, UdpPacket};
        let ip = Ipv4Packet::new_checked(bytes).map_err(|_| PacketError::BadIpv4)?;
        let (src, dst) = (ip.src_addr(), ip.dst_addr());
        let proto = ip.next_header();
        let payload = ip.payload();
        let transport = if ip.frag_offset() != 0 {
            Transport::Other(u8::from(proto))
        } else {
            match proto {
                IpProtocol::Tcp => {
                    let t = TcpPacket::new_checked(payload)
                        .map_err(|_| PacketError::Truncated("TCP"))?;
                    Transport::Tcp {
                        src_port: t.src_port(),
                        dst_port: t.dst_port(),
                        flags: TcpFlags {
                            syn: t.syn(),
                            ack: t.ack(),
                            fin: t.fin(),
                            rst: t.rst(),
                        },
                    }
                }
                IpProtocol::Udp => {
                    let u = UdpPacket::new_checked(payload)
                        .map_err(|_| PacketError::Truncated("UDP"))?;
                    Transport::Udp {
                        src_port: u.src_port(),
                        dst_port: u.dst_port(),
                    }
                }
                IpProtocol::Icmp => {
                    let i = Icmpv4Packet::new_checked(payload)
                        .map_err(|_| PacketError::Truncated("ICMP"))?;
                    let ty = u8::from(i.msg_type());
                    Transport::Icmp {
                        ty,
                        code: i.msg_code(),
                        ident: if ty == 0 || ty == 8 {
                            i.echo_ident()
                        } else {
                            0
                        },
                    }
                }
                other => Transport::Other(u8::from(other)),
            }
        };
        Ok(PacketInfo {
            src,
            dst,
            transport,
        })
    }
}

impl fmt::Display for PacketInfo {
    /// `TCP 192.168.1.10:49152 → 192.168.1.1:110`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.transport {
            Transport::Tcp {
                src_port, dst_port, ..
            } => write!(f, "TCP {}:{src_port} → {}:{dst_port}", self.src, self.dst),
            Transport::Udp { src_port, dst_port } => {
                write!(f, "UDP {}:{src_port} → {}:{dst_port}", self.src, self.dst)
            }
            Transport::Icmp { ty, .. } => write!(f, "ICMP type {ty} {} → {}", self.src, self.dst),
            Transport::Other(p) => write!(f, "IP protocol {p} {} → {}", self.src, self.dst),
        }
    }
}

/// Why an address or prefix is not valid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrefixError {
    /// Not a dotted-quad address.
    #[error("{0:?} is not an IPv4 address")]
    BadAddress(String),
    /// Prefix length above 32.
    #[error("prefix length /{0} is more than 32")]
    BadLength(String),
}

/// An IPv4 network `a.b.c.d/len` (host bits cleared).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Ipv4Prefix {
    addr: Ipv4Addr,
    len: u8,
}

impl Ipv4Prefix {
    /// The network of `addr` with `len` bits of prefix (len capped at 32).
    pub fn new(addr: Ipv4Addr, len: u8) -> Self {
        let len = len.min(32);
        Ipv4Prefix {
            addr: Ipv4Addr::from(u32::from(addr) & prefix_mask(len)),
            len,
        }
    }

    /// Network address.
    pub fn addr(&self) -> Ipv4Addr {
        self.addr
    }

    /// Prefix length.
    pub fn prefix_len(&self) -> u8 {
        self.len
    }

    /// Whether this is `0.0.0.0/0`.
    pub fn is_any(&self) -> bool {
        self.len == 0
    }

    /// Whether `ip` is inside the network.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & prefix_mask(self.len) == u32::from(self.addr)
    }
}

/// The netmask of a prefix length, as a number.
pub(crate) fn prefix_mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len.min(32)))
    }
}

impl fmt::Display for Ipv4Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

impl FromStr for Ipv4Prefix {
    type Err = PrefixError;

    /// `192.168.1.0/24`, or a bare address meaning `/32`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (a, l) = s.split_once('/').unwrap_or((s, "32"));
        let addr = parse_ipv4(a)?;
        let len = l
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= 32 && l.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| PrefixError::BadLength(l.chars().take(10).collect()))?;
        Ok(Ipv4Prefix::new(addr, len))
    }
}

/// A strict dotted-quad parse with a student-readable error.
pub(crate) fn parse_ipv4(s: &str) -> Result<Ipv4Addr, PrefixError> {
    s.parse()
        .map_err(|_| PrefixError::BadAddress(s.chars().take(40).collect()))
}

impl From<Ipv4Prefix> for String {
    fn from(p: Ipv4Prefix) -> String {
        p.to_string()
    }
}

impl TryFrom<String> for Ipv4Prefix {
    type Error = PrefixError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}
