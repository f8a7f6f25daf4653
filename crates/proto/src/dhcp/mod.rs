//! DHCP (RFC 2131, options from RFC 2132): message codec, server, client
//! state machine and relay agent.
//!
//! Layer: application protocol over UDP (server port 67, client port 68).
//! Everything here is sans-IO: engines take a parsed [`Message`] plus the
//! virtual time ([`SimTime`](crate::SimTime)) and hand back [`Transmit`]s that
//! say where the message goes. The simulator owns the sockets, the clock and
//! the frames.
//!
//! - [`message`] and [`options`]: the BOOTP fixed header, the magic cookie and
//!   the options, in smoltcp's `wire` style (`Packet` view + `Message` repr).
//! - [`pool`]: server configuration (pools, lease times, reservations), as
//!   plain serde data.
//! - [`lease`]: the lease table, serde data indexed by address, client and
//!   expiry.
//! - [`server`]: the server engine (RFC 2131 §4.3).
//! - [`client`]: one client per network interface (RFC 2131 §4.4).
//! - [`relay`]: the relay agent on a router interface (RFC 2131 §4.1, RFC 1542).
//!
//! # Mounting the engines in the simulator
//!
//! All three engines speak [`Message`] (or raw UDP payload bytes) in and
//! [`Transmit`] out. A [`Transmit`] carries the IPv4 source (which also names
//! the interface to leave by), the UDP source port, and a [`Destination`]:
//! `Broadcast { port }` (255.255.255.255, Ethernet broadcast, on that link),
//! `Unicast { ip, port }` (route and ARP as usual) or
//! `Hardware { ip, mac, port }` (to a client with no address yet: IP
//! destination `ip`, frame straight to `mac`, no ARP).
//!
//! - **Server** ([`Server`], one per device): every datagram to UDP 67 goes
//!   to `handle_message(now, Arrival { interface }, &msg)`, where `interface`
//!   is the address of the interface it arrived on. Drain `poll_transmit`
//!   and `poll_note`; call `handle_timeout(now)` at `poll_timeout()`.
//!   [`Server::leases`] is the lease page; [`ServerConfig`] is the document.
//! - **Client** ([`Client`], one per NIC set to DHCP): `start(now)` when the
//!   link comes up (`reboot(now)` to try the remembered address first),
//!   every datagram to UDP 68 on that NIC goes to `handle_message(now,
//!   &msg)`; apply [`ClientEvent`]s to the NIC (`Configured` replaces its
//!   address, `Deconfigured` removes it); `release`/`renew` are `ipconfig
//!   /release` and `/renew`; [`Client::config`] is `ipconfig /all`.
//! - **Relay** ([`Relay`], one per router): every datagram to UDP 67 that
//!   reaches a router interface — client broadcasts and server replies to a
//!   `giaddr` alike — goes to `handle_message(interface_address, &msg)`.
//!   It has no timers.
//!
//! Notes ([`ServerNote`], [`ClientNote`], [`RelayNote`]) are typed reasons for
//! the trace, with an English `Display`.

pub mod client;
mod client_report;
pub mod fields;
pub mod lease;
mod lease_list;
pub mod message;
pub mod options;
pub mod pool;
pub mod relay;
pub mod server;
mod server_note;
mod transmit;

#[cfg(test)]
mod tests;

pub use client::{
    Client, ClientConfig, ClientEvent, ClientNote, ClientState, ConfigSource, IpConfig,
};
pub use lease::Leases;
pub use message::{Message, MessageType, OpCode, Packet};
pub use options::{OptionCode, Options};
pub use pool::{
    ConfigError, Lease, LeaseState, LeaseTable, LeaseTime, PoolConfig, Reservation, ServerConfig,
};
pub use relay::{Relay, RelayConfig, RelayInterface, RelayNote};
pub use server::{Arrival, NakReason, Server, ServerNote};
pub use transmit::{Destination, Transmit};

use core::fmt;

use smoltcp::wire::EthernetAddress;

/// UDP port the server (and relay agent) listens on.
pub const SERVER_PORT: u16 = 67;
/// UDP port the client listens on.
pub const CLIENT_PORT: u16 = 68;

/// Why a DHCP message could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Shorter than the fixed BOOTP header plus the magic cookie.
    #[error("DHCP message is truncated: {len} bytes, at least 240 needed")]
    Truncated {
        /// Length received.
        len: usize,
    },
    /// The four bytes after the fixed header are not 99.130.83.99.
    #[error("not a DHCP message: magic cookie is {0:#010x}, expected 0x63825363")]
    BadMagicCookie(u32),
    /// An option's length field runs past the end of the message.
    #[error("DHCP option {code} runs past the end of the message")]
    OptionOverrun {
        /// Option code.
        code: u8,
    },
    /// A known option has a length its type does not allow.
    #[error("DHCP option {code} has length {len}, which is invalid for it")]
    BadOptionLength {
        /// Option code.
        code: u8,
        /// Length found.
        len: usize,
    },
}

/// Displays a MAC address the way `ipconfig /all` and the trace show it:
/// `02:4c:00:00:01:00`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Mac(pub EthernetAddress);

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

/// Parses `02:4c:00:00:01:00` (or with `-`), for configuration files.
pub fn parse_mac(s: &str) -> Option<EthernetAddress> {
    let mut out = [0u8; 6];
    let mut parts = s.split([':', '-']);
    for byte in out.iter_mut() {
        let part = parts.next()?;
        if part.len() != 2 {
            return None;
        }
        *byte = u8::from_str_radix(part, 16).ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(EthernetAddress(out))
}

/// Serde for [`EthernetAddress`] as a `"02:4c:00:00:01:00"` string.
pub(crate) mod mac_serde {
    use super::{Mac, parse_mac};
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};
    use smoltcp::wire::EthernetAddress;

    pub fn serialize<S: Serializer>(mac: &EthernetAddress, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&Mac(*mac))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<EthernetAddress, D::Error> {
        let s = String::deserialize(d)?;
        parse_mac(&s).ok_or_else(|| {
            D::Error::custom(format!("{s:?} is not a MAC address like 02:4c:00:00:01:00"))
        })
    }
}

/// A small deterministic generator (SplitMix64) for xids and back-off jitter.
/// Seeded by the caller: the same seed gives the same run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
}
