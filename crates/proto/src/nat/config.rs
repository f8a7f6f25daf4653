//! The NAT part of a router's configuration, one field per IOS concept:
//! `ip nat inside` / `ip nat outside` on interfaces, `ip nat inside source
//! static …`, `ip nat pool …`, `ip nat inside source list … pool|interface …
//! [overload]` and `ip nat translation … timeout`. Plain data (serde), part of
//! the lab document; the [`Nat`](super::Nat) engine reads it.

use core::fmt;
use core::time::Duration;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

/// The transport protocols NAT translates ports (or ICMP query ids) of.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NatProtocol {
    /// TCP: ports.
    Tcp,
    /// UDP: ports.
    Udp,
    /// ICMP echo (ping): the query identifier stands in for the port.
    Icmp,
}

impl NatProtocol {
    /// The IP protocol number.
    pub fn number(self) -> u8 {
        match self {
            NatProtocol::Tcp => 6,
            NatProtocol::Udp => 17,
            NatProtocol::Icmp => 1,
        }
    }
}

impl fmt::Display for NatProtocol {
    /// `tcp`, `udp`, `icmp`, as the `Pro` column of `show ip nat translations`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NatProtocol::Tcp => "tcp",
            NatProtocol::Udp => "udp",
            NatProtocol::Icmp => "icmp",
        })
    }
}

/// The port part of a static port forwarding
/// (`ip nat inside source static tcp 192.168.1.10 80 203.0.113.1 8080`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StaticPort {
    /// TCP or UDP (an ICMP static port is never matched).
    pub protocol: NatProtocol,
    /// Port on the inside host.
    pub local_port: u16,
    /// Port the outside world connects to.
    pub global_port: u16,
}

/// `ip nat inside source static [tcp|udp] LOCAL [PORT] GLOBAL [PORT]`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StaticNat {
    /// Inside local address (the host's own, usually private).
    pub local: Ipv4Addr,
    /// Inside global address (how the outside sees it).
    pub global: Ipv4Addr,
    /// Only this protocol and port (port forwarding); `None` maps the whole address.
    #[serde(default)]
    pub port: Option<StaticPort>,
}

impl StaticNat {
    /// `ip nat inside source static LOCAL GLOBAL`.
    pub fn address(local: Ipv4Addr, global: Ipv4Addr) -> Self {
        StaticNat {
            local,
            global,
            port: None,
        }
    }

    /// `ip nat inside source static tcp|udp LOCAL LPORT GLOBAL GPORT`.
    pub fn port(
        protocol: NatProtocol,
        local: Ipv4Addr,
        local_port: u16,
        global: Ipv4Addr,
        global_port: u16,
    ) -> Self {
        StaticNat {
            local,
            global,
            port: Some(StaticPort {
                protocol,
                local_port,
                global_port,
            }),
        }
    }
}

/// The most addresses a pool hands out (larger ranges are used up to this many).
pub const MAX_POOL_ADDRESSES: u32 = 65_536;

/// `ip nat pool NAME FIRST LAST netmask M` (or `prefix-length N`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NatPool {
    /// The pool's name.
    pub name: String,
    /// First address handed out.
    pub first: Ipv4Addr,
    /// Last address handed out.
    pub last: Ipv4Addr,
    /// Prefix length of the netmask (shown as `netmask` by `show ip nat statistics`).
    pub prefix_len: u8,
}

impl NatPool {
    /// A pool from `first` to `last` with a `/prefix_len` netmask.
    pub fn new(name: impl Into<String>, first: Ipv4Addr, last: Ipv4Addr, prefix_len: u8) -> Self {
        NatPool {
            name: name.into(),
            first,
            last,
            prefix_len: prefix_len.min(32),
        }
    }

    /// How many addresses the pool holds (0 when `last` is before `first`).
    pub fn size(&self) -> u32 {
        let (a, b) = (u32::from(self.first), u32::from(self.last));
        if b < a {
            0
        } else {
            (b - a).saturating_add(1).min(MAX_POOL_ADDRESSES)
        }
    }

    /// The addresses in order, first to last (at most [`MAX_POOL_ADDRESSES`]).
    pub fn addresses(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        let first = u32::from(self.first);
        (0..self.size()).map(move |i| Ipv4Addr::from(first.wrapping_add(i)))
    }

    /// Whether `addr` is one of the pool's addresses.
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        let a = u32::from(addr);
        let first = u32::from(self.first);
        a >= first && a - first < self.size()
    }

    /// The netmask as an address (`255.255.255.0`).
    pub fn netmask(&self) -> Ipv4Addr {
        crate::firewall::Ipv4Prefix::new(Ipv4Addr::BROADCAST, self.prefix_len).addr()
    }
}

/// Where a dynamic rule takes its inside global addresses from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NatTarget {
    /// `pool NAME`.
    Pool(String),
    /// `interface IFACE`: the interface's own address (by interface index).
    Interface(usize),
}

/// `ip nat inside source list ACL pool NAME|interface IFACE [overload]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DynamicNat {
    /// The access list naming the inside local addresses to translate.
    pub acl: String,
    /// Pool or interface.
    pub target: NatTarget,
    /// PAT: many inside hosts share an address, told apart by port.
    #[serde(default)]
    pub overload: bool,
}

/// `ip nat translation …-timeout SECONDS`: how long an unused entry lives.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct NatTimeouts {
    /// `timeout`: dynamic address-only entries (IOS 86400 s).
    pub address: u32,
    /// `tcp-timeout` (IOS 86400 s).
    pub tcp: u32,
    /// `finrst-timeout`: a TCP entry after a FIN or RST (IOS 60 s).
    pub finrst: u32,
    /// `udp-timeout` (IOS 300 s).
    pub udp: u32,
    /// `icmp-timeout` (IOS 60 s).
    pub icmp: u32,
    /// `dns-timeout`: UDP to or from port 53 (IOS 60 s); `None` treats DNS as plain UDP.
    pub dns: Option<u32>,
}

impl Default for NatTimeouts {
    fn default() -> Self {
        NatTimeouts {
            address: 86_400,
            tcp: 86_400,
            finrst: 60,
            udp: 300,
            icmp: 60,
            dns: Some(60),
        }
    }
}

impl NatTimeouts {
    /// A timeout in seconds as a [`Duration`].
    pub fn secs(s: u32) -> Duration {
        Duration::from_secs(u64::from(s))
    }
}

/// A router's whole NAT configuration (part of the lab document).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NatConfig {
    /// Interfaces with `ip nat inside`, by index.
    pub inside: Vec<usize>,
    /// Interfaces with `ip nat outside`, by index.
    pub outside: Vec<usize>,
    /// Static translations, in configuration order.
    pub statics: Vec<StaticNat>,
    /// Address pools.
    pub pools: Vec<NatPool>,
    /// Dynamic rules, in configuration order (the first whose list permits wins).
    pub dynamic: Vec<DynamicNat>,
    /// Timeouts.
    pub timeouts: NatTimeouts,
}

impl NatConfig {
    /// Whether interface `iface` has `ip nat inside`.
    pub fn is_inside(&self, iface: usize) -> bool {
        self.inside.contains(&iface)
    }

    /// Whether interface `iface` has `ip nat outside`.
    pub fn is_outside(&self, iface: usize) -> bool {
        self.outside.contains(&iface)
    }

    /// The pool called `name`.
    pub fn pool(&self, name: &str) -> Option<&NatPool> {
        self.pools.iter().find(|p| p.name == name)
    }

    /// Whether NAT does anything at all (some inside and some outside interface).
    pub fn is_active(&self) -> bool {
        !self.inside.is_empty() && !self.outside.is_empty()
    }
}
