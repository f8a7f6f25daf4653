//! What the DHCP server decided and why: typed notes for the trace, with an
//! English `Display` (the UI translates from the variant).

use core::fmt;
use core::net::Ipv4Addr;

use smoltcp::wire::EthernetAddress;

use super::pool::LeaseTime;
use super::{Error, Mac};

/// Why the server refused a REQUEST.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NakReason {
    /// The address is not in the network of the client's subnet.
    WrongSubnet,
    /// Another client holds (or has a reservation for) the address.
    Taken,
    /// The address is outside the range, excluded, or not the one offered.
    NotAvailable,
}

impl fmt::Display for NakReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NakReason::WrongSubnet => "wrong subnet",
            NakReason::Taken => "address belongs to another client",
            NakReason::NotAvailable => "address not available",
        })
    }
}

/// What the server decided and why, for the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerNote {
    /// A message came in that no pool serves.
    NoPool {
        /// Receiving interface.
        interface: Ipv4Addr,
        /// Relay address, if relayed.
        giaddr: Option<Ipv4Addr>,
    },
    /// DISCOVER, but the pool has nothing free.
    PoolExhausted {
        /// Pool name.
        pool: String,
        /// Client.
        mac: EthernetAddress,
    },
    /// An OFFER went out.
    Offered {
        /// Address offered.
        address: Ipv4Addr,
        /// Client.
        mac: EthernetAddress,
        /// Lease time.
        lease: LeaseTime,
    },
    /// The client chose another server.
    OtherServerChosen {
        /// Server named in the REQUEST.
        server: Ipv4Addr,
        /// Our offer that is withdrawn, if there was one.
        withdrawn: Option<Ipv4Addr>,
    },
    /// An ACK went out: lease made or extended.
    Acked {
        /// Address.
        address: Ipv4Addr,
        /// Client.
        mac: EthernetAddress,
        /// Lease time.
        lease: LeaseTime,
    },
    /// A NAK went out.
    Naked {
        /// Address asked for.
        address: Ipv4Addr,
        /// Client.
        mac: EthernetAddress,
        /// Why.
        reason: NakReason,
    },
    /// A REQUEST from a client the server has no record of: RFC 2131 §4.3.2
    /// says to stay silent.
    NoRecord {
        /// Address asked for.
        address: Ipv4Addr,
        /// Client.
        mac: EthernetAddress,
    },
    /// RELEASE: the address is free again.
    Released {
        /// Address.
        address: Ipv4Addr,
        /// Client.
        mac: EthernetAddress,
    },
    /// DECLINE: the address is in use by someone else.
    Declined {
        /// Address.
        address: Ipv4Addr,
        /// Client that found the conflict.
        mac: EthernetAddress,
        /// Seconds it stays out of use.
        hold_secs: u32,
    },
    /// A bound lease ran out.
    Expired {
        /// Address.
        address: Ipv4Addr,
        /// Client.
        mac: EthernetAddress,
    },
    /// An offer was never taken up.
    OfferLapsed {
        /// Address.
        address: Ipv4Addr,
        /// Client.
        mac: EthernetAddress,
    },
    /// A declined address is usable again.
    DeclineEnded {
        /// Address.
        address: Ipv4Addr,
    },
    /// INFORM answered with options only.
    Informed {
        /// Client address.
        address: Ipv4Addr,
    },
    /// Bytes that are not a valid DHCP message.
    Malformed(Error),
}

impl fmt::Display for ServerNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerNote::NoPool {
                interface,
                giaddr: Some(g),
            } => {
                write!(f, "no pool for relay {g} (arrived on {interface}): ignored")
            }
            ServerNote::NoPool {
                interface,
                giaddr: None,
            } => {
                write!(f, "no pool for the network of {interface}: ignored")
            }
            ServerNote::PoolExhausted { pool, mac } => {
                write!(
                    f,
                    "pool {pool} has 0 free addresses: no OFFER to {}",
                    Mac(*mac)
                )
            }
            ServerNote::Offered {
                address,
                mac,
                lease,
            } => {
                write!(f, "offer {address} to {} for {lease}", Mac(*mac))
            }
            ServerNote::OtherServerChosen {
                server,
                withdrawn: Some(a),
            } => {
                write!(
                    f,
                    "REQUEST names server {server}, not us: withdrawing offer of {a}"
                )
            }
            ServerNote::OtherServerChosen {
                server,
                withdrawn: None,
            } => {
                write!(f, "REQUEST names server {server}, not us: ignored")
            }
            ServerNote::Acked {
                address,
                mac,
                lease,
            } => {
                write!(f, "lease {address} to {} for {lease}", Mac(*mac))
            }
            ServerNote::Naked {
                address,
                mac,
                reason,
            } => {
                write!(f, "NAK {address} to {}: {reason}", Mac(*mac))
            }
            ServerNote::NoRecord { address, mac } => write!(
                f,
                "REQUEST for {address} from {}: no record of this client, staying silent",
                Mac(*mac)
            ),
            ServerNote::Released { address, mac } => {
                write!(f, "{} released {address}: back to the pool", Mac(*mac))
            }
            ServerNote::Declined {
                address,
                mac,
                hold_secs,
            } => write!(
                f,
                "{} says {address} is already in use: held out of the pool for {hold_secs} s",
                Mac(*mac)
            ),
            ServerNote::Expired { address, .. } => {
                write!(f, "lease of {address} expired: back to the pool")
            }
            ServerNote::OfferLapsed { address, mac } => {
                write!(
                    f,
                    "offer of {address} to {} not taken: back to the pool",
                    Mac(*mac)
                )
            }
            ServerNote::DeclineEnded { address } => {
                write!(f, "declined address {address} back in the pool")
            }
            ServerNote::Informed { address } => {
                write!(f, "INFORM from {address}: options sent, no lease")
            }
            ServerNote::Malformed(e) => write!(f, "malformed DHCP message ignored: {e}"),
        }
    }
}
