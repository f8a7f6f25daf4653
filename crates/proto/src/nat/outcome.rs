//! What NAT did with one packet, in a form the trace note, the PDU inspector
//! and `debug ip nat` can explain: translated (with the mapping), left alone
//! (and why), or dropped (and why).

use core::fmt;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::config::NatProtocol;
use super::table::NatEntry;

/// An address and port (ICMP echo: identifier; address-only entries: port 0).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Endpoint {
    /// Address.
    pub addr: Ipv4Addr,
    /// Port, or ICMP query id.
    pub port: u16,
}

impl Endpoint {
    /// `addr:port`.
    pub const fn new(addr: Ipv4Addr, port: u16) -> Self {
        Endpoint { addr, port }
    }
}

impl fmt::Display for Endpoint {
    /// `192.168.1.10:49152`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.addr, self.port)
    }
}

/// Which way a packet crossed the NAT boundary.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NatDirection {
    /// From an `ip nat inside` interface out of an `ip nat outside` one: the
    /// source is translated (inside local → inside global).
    InsideToOutside,
    /// Arriving on an `ip nat outside` interface: the destination is
    /// translated (inside global → inside local).
    OutsideToInside,
}

/// Which configuration line made the mapping a packet used.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum MappingSource {
    /// `ip nat inside source static LOCAL GLOBAL`.
    Static,
    /// `ip nat inside source static tcp|udp LOCAL PORT GLOBAL PORT`.
    StaticPort,
    /// `ip nat inside source list ACL pool NAME` (no overload).
    Pool {
        /// The pool.
        pool: String,
    },
    /// `… overload`: PAT on a pool address or an interface address.
    Overload {
        /// The pool, or `None` for `interface … overload`.
        pool: Option<String>,
    },
}

/// A packet NAT rewrote: the mapping, in IOS's four names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// Which way.
    pub direction: NatDirection,
    /// TCP, UDP or ICMP echo; `None` for an address-only translation of
    /// another protocol.
    pub protocol: Option<NatProtocol>,
    /// The inside host as it knows itself.
    pub inside_local: Endpoint,
    /// The inside host as the outside sees it.
    pub inside_global: Endpoint,
    /// The outside host as the inside sees it (no outside NAT: = outside global).
    pub outside_local: Endpoint,
    /// The outside host's real address.
    pub outside_global: Endpoint,
    /// Where the mapping came from.
    pub source: MappingSource,
    /// The packet made a new translation entry (IOS "NAT:"; a hit is "NAT*:").
    pub created: bool,
    /// An ICMP error whose quoted packet was translated too.
    pub icmp_error: bool,
    /// The IPv4 identification field (the `[n]` of `debug ip nat`).
    pub ip_id: u16,
}

impl Translation {
    /// The translation of a packet that used entry `e`.
    pub(super) fn of_entry(
        e: &NatEntry,
        direction: NatDirection,
        created: bool,
        icmp_error: bool,
        ip_id: u16,
    ) -> Translation {
        let outside = e.outside.unwrap_or(Endpoint::new(Ipv4Addr::UNSPECIFIED, 0));
        Translation {
            direction,
            protocol: e.protocol,
            inside_local: e.inside_local,
            inside_global: e.inside_global,
            outside_local: outside,
            outside_global: outside,
            source: e.source.clone(),
            created,
            icmp_error,
            ip_id,
        }
    }

    /// The line `debug ip nat` prints: `NAT: s=192.168.1.10->203.0.113.1,
    /// d=8.8.8.8 [42]` (inside to outside) or `NAT*: s=8.8.8.8,
    /// d=203.0.113.1->192.168.1.10 [7]` (outside to inside).
    pub fn debug_line(&self) -> String {
        let star = if self.created { "" } else { "*" };
        let (il, ig, o) = (
            self.inside_local.addr,
            self.inside_global.addr,
            self.outside_global.addr,
        );
        match self.direction {
            NatDirection::InsideToOutside => {
                format!("NAT{star}: s={il}->{ig}, d={o} [{}]", self.ip_id)
            }
            NatDirection::OutsideToInside => {
                format!("NAT{star}: s={o}, d={ig}->{il} [{}]", self.ip_id)
            }
        }
    }

    fn show(&self, e: Endpoint) -> String {
        if self.protocol.is_some() {
            e.to_string()
        } else {
            e.addr.to_string()
        }
    }
}

impl fmt::Display for Translation {
    /// `NAT: inside local 192.168.1.10:49152 → inside global
    /// 203.0.113.1:49152 (PAT on interface), to 8.8.8.8:53`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (il, ig) = (self.show(self.inside_local), self.show(self.inside_global));
        let how = match &self.source {
            MappingSource::Static => "static".to_string(),
            MappingSource::StaticPort => "static port forwarding".to_string(),
            MappingSource::Pool { pool } => format!("pool {pool}"),
            MappingSource::Overload { pool: Some(p) } => format!("PAT on pool {p}"),
            MappingSource::Overload { pool: None } => "PAT on interface".to_string(),
        };
        let what = if self.icmp_error {
            "ICMP error (quoted packet too)"
        } else {
            "NAT"
        };
        let peer = self.show(self.outside_global);
        match self.direction {
            NatDirection::InsideToOutside => write!(
                f,
                "{what}: inside local {il} → inside global {ig} ({how}), to {peer}"
            ),
            NatDirection::OutsideToInside => write!(
                f,
                "{what}: inside global {ig} → inside local {il} ({how}), from {peer}"
            ),
        }
    }
}

/// Why a packet crossed the router untranslated (it is forwarded as it is).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Untranslated {
    /// Not inside → outside and not arriving on an outside interface (also
    /// inside → inside and outside → outside, as on IOS).
    NotAcrossNat,
    /// Inside → outside, but no static entry and no dynamic rule's access list
    /// permits the source: it leaves with its inside local address.
    NotPermitted {
        /// The source address.
        source: Ipv4Addr,
    },
    /// From outside to an address NAT has no entry for (the router's own
    /// address, or an address NAT does not own): routed as it is.
    NoEntry {
        /// The destination address.
        destination: Ipv4Addr,
    },
    /// A protocol or ICMP message NAT cannot translate without an
    /// address-only entry (PAT needs ports or an echo id).
    Unsupported {
        /// The IP protocol number.
        protocol: u8,
    },
}

impl fmt::Display for Untranslated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Untranslated::NotAcrossNat => {
                f.write_str("NAT: not from an inside to an outside interface, not translated")
            }
            Untranslated::NotPermitted { source } => write!(
                f,
                "NAT: no static entry and no NAT access list permits {source}, sent untranslated"
            ),
            Untranslated::NoEntry { destination } => {
                write!(f, "NAT: no translation for {destination}, not translated")
            }
            Untranslated::Unsupported { protocol } => write!(
                f,
                "NAT: IP protocol {protocol} has no ports to translate, sent untranslated"
            ),
        }
    }
}

/// Why NAT dropped a packet.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum NatDrop {
    /// The bytes are not a well-formed IPv4 packet.
    Malformed,
    /// Every address of the pool is in use (dynamic NAT without overload).
    PoolExhausted {
        /// The pool.
        pool: String,
    },
    /// No free port (or ICMP id) on the addresses PAT may use.
    PortsExhausted {
        /// The last address tried.
        addr: Ipv4Addr,
    },
    /// The rule names a pool that is not configured.
    PoolUndefined {
        /// The pool.
        pool: String,
    },
    /// `interface … overload` on an interface without an address.
    NoInterfaceAddress {
        /// The interface index.
        iface: usize,
    },
    /// From outside to an inside global address with no entry for this
    /// connection: outside-initiated traffic needs a static entry.
    NoMapping {
        /// The outside source.
        source: Ipv4Addr,
        /// The inside global destination.
        destination: Ipv4Addr,
    },
}

impl fmt::Display for NatDrop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NatDrop::Malformed => f.write_str("NAT: malformed IPv4 packet dropped"),
            NatDrop::PoolExhausted { pool } => write!(
                f,
                "NAT: pool {pool} has no free address, packet dropped (add addresses or use overload)"
            ),
            NatDrop::PortsExhausted { addr } => {
                write!(f, "NAT: no free port on {addr}, packet dropped")
            }
            NatDrop::PoolUndefined { pool } => {
                write!(f, "NAT: pool {pool} is not configured, packet dropped")
            }
            NatDrop::NoInterfaceAddress { iface } => write!(
                f,
                "NAT: the overload interface (#{iface}) has no IP address, packet dropped"
            ),
            NatDrop::NoMapping {
                source,
                destination,
            } => write!(
                f,
                "NAT: no translation for {source} → {destination}: outside-initiated traffic needs a static entry, packet dropped"
            ),
        }
    }
}

/// What [`Nat::translate`](super::Nat::translate) did with a packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum NatOutcome {
    /// Rewritten in place; forward it.
    Translated(Translation),
    /// Not rewritten; forward it as it is.
    Untranslated(Untranslated),
    /// Drop it.
    Dropped(NatDrop),
}

impl NatOutcome {
    /// Whether the router forwards the packet.
    pub fn forwards(&self) -> bool {
        !matches!(self, NatOutcome::Dropped(_))
    }

    /// The translation, if the packet was rewritten.
    pub fn translation(&self) -> Option<&Translation> {
        match self {
            NatOutcome::Translated(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for NatOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NatOutcome::Translated(t) => t.fmt(f),
            NatOutcome::Untranslated(u) => u.fmt(f),
            NatOutcome::Dropped(d) => d.fmt(f),
        }
    }
}
