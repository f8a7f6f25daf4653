//! The DHCP relay agent on a router ("ip helper-address"), RFC 2131 §4.1 and
//! RFC 1542 §4.1.
//!
//! Mount one per router. Feed it every DHCP message the router receives on
//! UDP port 67 ([`Relay::handle_message`]), naming the interface by its
//! address; send what [`Relay::poll_transmit`] returns. Client broadcasts go
//! to the interface's helper addresses with `giaddr` set; server replies to a
//! `giaddr` go back out of that interface to the client.

use core::fmt;
use core::net::Ipv4Addr;
use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::message::{Message, MessageType, OpCode};
use super::transmit::{Destination, Transmit};
use super::{CLIENT_PORT, Error, SERVER_PORT};

/// One router interface that relays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayInterface {
    /// The interface's address (becomes `giaddr`).
    pub address: Ipv4Addr,
    /// DHCP servers to relay to ("helper addresses").
    pub helpers: Vec<Ipv4Addr>,
}

/// Relay settings for one router.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayConfig {
    /// Interfaces with helper addresses.
    pub interfaces: Vec<RelayInterface>,
    /// Requests whose hop count exceeds this are dropped.
    #[serde(default = "sixteen")]
    pub max_hops: u8,
}

fn sixteen() -> u8 {
    // RFC 1542 §4.1.1: "The relay agent MUST silently discard BOOTREQUEST
    // messages whose 'hops' field exceeds the value 16."
    16
}

impl RelayConfig {
    /// Relay settings with the given interfaces and the default hop limit.
    pub fn new(interfaces: Vec<RelayInterface>) -> Self {
        RelayConfig {
            interfaces,
            max_hops: sixteen(),
        }
    }
}

/// What the relay did, for the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RelayNote {
    /// A client request went to the helpers.
    Forwarded {
        /// Message type.
        kind: Option<MessageType>,
        /// The giaddr used.
        giaddr: Ipv4Addr,
        /// Where it went.
        helpers: Vec<Ipv4Addr>,
    },
    /// A server reply went back to the client's link.
    Returned {
        /// Message type.
        kind: Option<MessageType>,
        /// Interface it leaves by.
        interface: Ipv4Addr,
        /// Broadcast on the link, or unicast to the client.
        broadcast: bool,
    },
    /// A request arrived on an interface without helper addresses.
    NoHelper {
        /// Interface.
        interface: Ipv4Addr,
    },
    /// A reply named a giaddr that is none of our interfaces.
    UnknownGiaddr {
        /// The giaddr.
        giaddr: Ipv4Addr,
    },
    /// Too many relays crossed.
    TooManyHops {
        /// The hop count.
        hops: u8,
    },
    /// Bytes that are not a valid DHCP message.
    Malformed(Error),
}

fn kind(k: &Option<MessageType>) -> String {
    k.map_or_else(|| "BOOTP".to_owned(), |k| k.to_string())
}

impl fmt::Display for RelayNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RelayNote::Forwarded {
                kind: k,
                giaddr,
                helpers,
            } => {
                write!(f, "relay {} to ", kind(k))?;
                for (i, h) in helpers.iter().enumerate() {
                    write!(f, "{}{h}", if i > 0 { ", " } else { "" })?;
                }
                write!(f, " with giaddr {giaddr}")
            }
            RelayNote::Returned {
                kind: k,
                interface,
                broadcast,
            } => write!(
                f,
                "relay {} back out of {interface} ({})",
                kind(k),
                if *broadcast {
                    "broadcast"
                } else {
                    "unicast to the client"
                }
            ),
            RelayNote::NoHelper { interface } => {
                write!(
                    f,
                    "DHCP broadcast on {interface} not relayed: no helper address"
                )
            }
            RelayNote::UnknownGiaddr { giaddr } => {
                write!(
                    f,
                    "DHCP reply for giaddr {giaddr}, not one of our interfaces: dropped"
                )
            }
            RelayNote::TooManyHops { hops } => {
                write!(f, "DHCP request crossed {hops} relays: dropped")
            }
            RelayNote::Malformed(e) => write!(f, "malformed DHCP message ignored: {e}"),
        }
    }
}

/// A relay agent for one router.
#[derive(Clone, Debug)]
pub struct Relay {
    config: RelayConfig,
    transmits: VecDeque<Transmit>,
    notes: VecDeque<RelayNote>,
}

impl Relay {
    /// A relay with these settings.
    pub fn new(config: RelayConfig) -> Relay {
        Relay {
            config,
            transmits: VecDeque::new(),
            notes: VecDeque::new(),
        }
    }

    /// Settings.
    pub fn config(&self) -> &RelayConfig {
        &self.config
    }

    /// Replaces the settings live.
    pub fn set_config(&mut self, config: RelayConfig) {
        self.config = config;
    }

    /// Next outgoing message.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Next note for the trace.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<RelayNote> {
        self.notes.pop_front()
    }

    /// Parses and handles a UDP payload that arrived on port 67 of the
    /// interface with address `interface`.
    pub fn handle_bytes(&mut self, interface: Ipv4Addr, bytes: &[u8]) {
        match Message::from_bytes(bytes) {
            Ok(m) => self.handle_message(interface, &m),
            Err(e) => self.notes.push_back(RelayNote::Malformed(e)),
        }
    }

    /// Handles a message that arrived on port 67 of the interface with
    /// address `interface`.
    pub fn handle_message(&mut self, interface: Ipv4Addr, msg: &Message) {
        match msg.op {
            OpCode::BootRequest => self.relay_request(interface, msg),
            OpCode::BootReply => self.relay_reply(msg),
            OpCode::Unknown(_) => {}
        }
    }

    fn relay_request(&mut self, interface: Ipv4Addr, msg: &Message) {
        let Some(iface) = self
            .config
            .interfaces
            .iter()
            .find(|i| i.address == interface)
        else {
            self.notes.push_back(RelayNote::NoHelper { interface });
            return;
        };
        if iface.helpers.is_empty() {
            self.notes.push_back(RelayNote::NoHelper { interface });
            return;
        }
        if msg.hops > self.config.max_hops {
            self.notes
                .push_back(RelayNote::TooManyHops { hops: msg.hops });
            return;
        }
        let mut out = msg.clone();
        // RFC 1542 §4.1.1: "If the relay agent does decide to relay the
        // request, it MUST examine the 'giaddr' ... If this field is zero,
        // the relay agent MUST fill this field with the IP address of the
        // interface on which the request was received."
        if out.giaddr.is_unspecified() {
            out.giaddr = interface;
        }
        out.hops = out.hops.saturating_add(1);
        let helpers = iface.helpers.clone();
        self.notes.push_back(RelayNote::Forwarded {
            kind: msg.kind(),
            giaddr: out.giaddr,
            helpers: helpers.clone(),
        });
        for ip in helpers {
            self.transmits.push_back(Transmit {
                src: interface,
                src_port: SERVER_PORT,
                dst: Destination::Unicast {
                    ip,
                    port: SERVER_PORT,
                },
                message: out.clone(),
            });
        }
    }

    fn relay_reply(&mut self, msg: &Message) {
        let giaddr = msg.giaddr;
        if !self.config.interfaces.iter().any(|i| i.address == giaddr) {
            self.notes.push_back(RelayNote::UnknownGiaddr { giaddr });
            return;
        }
        // RFC 1542 §4.1.2: "If the BROADCAST bit is set, the relay agent
        // MUST broadcast the BOOTREPLY ... Otherwise, the relay agent should
        // unicast it to the client's 'yiaddr' and 'chaddr'."
        let broadcast = msg.broadcast || msg.yiaddr.is_unspecified();
        let dst = if broadcast {
            Destination::Broadcast { port: CLIENT_PORT }
        } else {
            Destination::Hardware {
                ip: msg.yiaddr,
                mac: msg.chaddr,
                port: CLIENT_PORT,
            }
        };
        self.notes.push_back(RelayNote::Returned {
            kind: msg.kind(),
            interface: giaddr,
            broadcast,
        });
        self.transmits.push_back(Transmit {
            src: giaddr,
            src_port: SERVER_PORT,
            dst,
            message: msg.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smoltcp::wire::EthernetAddress;

    const MAC: EthernetAddress = EthernetAddress([2, 0x4c, 0, 0, 1, 0]);

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    fn relay() -> Relay {
        Relay::new(RelayConfig::new(vec![RelayInterface {
            address: ip("192.168.1.1"),
            helpers: vec![ip("10.0.0.2"), ip("10.0.0.3")],
        }]))
    }

    #[test]
    fn requests_get_giaddr_and_a_hop_and_go_to_every_helper() {
        let mut r = relay();
        let d = Message::new(OpCode::BootRequest, MessageType::Discover, 1, MAC);
        r.handle_message(ip("192.168.1.1"), &d);
        let a = r.poll_transmit().unwrap();
        let b = r.poll_transmit().unwrap();
        assert_eq!(
            a.dst,
            Destination::Unicast {
                ip: ip("10.0.0.2"),
                port: 67
            }
        );
        assert_eq!(
            b.dst,
            Destination::Unicast {
                ip: ip("10.0.0.3"),
                port: 67
            }
        );
        assert_eq!((a.message.giaddr, a.message.hops), (ip("192.168.1.1"), 1));
        assert_eq!(
            r.poll_note().unwrap().to_string(),
            "relay DISCOVER to 10.0.0.2, 10.0.0.3 with giaddr 192.168.1.1"
        );
        // A giaddr set by an earlier relay is kept.
        let mut far = d.clone();
        far.giaddr = ip("172.16.0.1");
        far.hops = 2;
        r.handle_message(ip("192.168.1.1"), &far);
        let t = r.poll_transmit().unwrap();
        assert_eq!((t.message.giaddr, t.message.hops), (ip("172.16.0.1"), 3));
    }

    #[test]
    fn drops_what_it_cannot_relay() {
        let mut r = relay();
        let mut d = Message::new(OpCode::BootRequest, MessageType::Discover, 1, MAC);
        r.handle_message(ip("10.0.0.1"), &d);
        assert_eq!(
            r.poll_note().unwrap().to_string(),
            "DHCP broadcast on 10.0.0.1 not relayed: no helper address"
        );
        d.hops = 17;
        r.handle_message(ip("192.168.1.1"), &d);
        assert_eq!(r.poll_note(), Some(RelayNote::TooManyHops { hops: 17 }));
        let mut reply = Message::new(OpCode::BootReply, MessageType::Offer, 1, MAC);
        reply.giaddr = ip("172.16.0.1");
        r.handle_message(ip("10.0.0.1"), &reply);
        assert_eq!(
            r.poll_note(),
            Some(RelayNote::UnknownGiaddr {
                giaddr: ip("172.16.0.1")
            })
        );
        r.handle_bytes(ip("10.0.0.1"), &[1, 2, 3]);
        assert!(matches!(r.poll_note(), Some(RelayNote::Malformed(_))));
        assert_eq!(r.poll_transmit(), None);
    }

    #[test]
    fn replies_go_back_broadcast_or_unicast_per_the_flag() {
        let mut r = relay();
        let mut offer = Message::new(OpCode::BootReply, MessageType::Offer, 1, MAC);
        offer.giaddr = ip("192.168.1.1");
        offer.yiaddr = ip("192.168.1.10");
        r.handle_message(ip("10.0.0.1"), &offer);
        let t = r.poll_transmit().unwrap();
        assert_eq!(t.src, ip("192.168.1.1"));
        assert_eq!(
            t.dst,
            Destination::Hardware {
                ip: ip("192.168.1.10"),
                mac: MAC,
                port: 68
            }
        );
        offer.broadcast = true;
        r.handle_message(ip("10.0.0.1"), &offer);
        assert_eq!(
            r.poll_transmit().unwrap().dst,
            Destination::Broadcast { port: 68 }
        );
    }
}
