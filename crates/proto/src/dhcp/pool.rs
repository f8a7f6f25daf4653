//! Server configuration: pools, lease times, reservations. Plain serde data
//! the lab document stores; the lease table is in [`super::lease`] (and
//! re-exported here).

use core::fmt;
use core::net::Ipv4Addr;
use core::time::Duration;

use serde::{Deserialize, Serialize};
use smoltcp::wire::EthernetAddress;

use super::mac_serde;
use crate::SimTime;

pub use super::lease::{Lease, LeaseState, LeaseTable};

/// How long a lease lasts, as the configuration page sets it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaseTime {
    /// A number of minutes.
    Minutes(u32),
    /// A number of hours.
    Hours(u32),
    /// A number of days.
    Days(u32),
    /// Never expires (sent as 0xffffffff, RFC 2132 §9.2).
    Infinite,
}

impl Default for LeaseTime {
    /// One day, like most home routers.
    fn default() -> Self {
        LeaseTime::Days(1)
    }
}

impl LeaseTime {
    /// Seconds, or `None` when infinite. Capped just below "infinite".
    pub fn secs(self) -> Option<u32> {
        let s = match self {
            LeaseTime::Minutes(m) => u64::from(m) * 60,
            LeaseTime::Hours(h) => u64::from(h) * 3_600,
            LeaseTime::Days(d) => u64::from(d) * 86_400,
            LeaseTime::Infinite => return None,
        };
        Some(u32::try_from(s).unwrap_or(u32::MAX - 1).min(u32::MAX - 1))
    }

    /// The value of option 51.
    pub fn wire(self) -> u32 {
        self.secs().unwrap_or(u32::MAX)
    }

    /// When a lease given at `now` ends, or `None` when infinite.
    pub fn expiry(self, now: SimTime) -> Option<SimTime> {
        self.secs().map(|s| now + Duration::from_secs(s.into()))
    }
}

impl fmt::Display for LeaseTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: &u32| if *n == 1 { "" } else { "s" };
        match self {
            LeaseTime::Minutes(n) => write!(f, "{n} minute{}", plural(n)),
            LeaseTime::Hours(n) => write!(f, "{n} hour{}", plural(n)),
            LeaseTime::Days(n) => write!(f, "{n} day{}", plural(n)),
            LeaseTime::Infinite => f.write_str("infinite"),
        }
    }
}

/// A fixed address for one MAC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    /// The client's MAC, `"02:4c:00:00:01:00"` in JSON.
    #[serde(with = "mac_serde")]
    pub mac: EthernetAddress,
    /// The address it always gets.
    pub address: Ipv4Addr,
}

/// One address pool (a "scope").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolConfig {
    /// Name shown in the UI and the trace ("LAN").
    pub name: String,
    /// Network address, e.g. 192.168.1.0.
    pub network: Ipv4Addr,
    /// Subnet mask, e.g. 255.255.255.0.
    pub mask: Ipv4Addr,
    /// First address handed out.
    pub start: Ipv4Addr,
    /// How many addresses from `start` on ("maximum number of users").
    pub max_users: u32,
    /// Addresses in the range never handed out.
    #[serde(default)]
    pub excluded: Vec<Ipv4Addr>,
    /// Default gateway (option 3).
    #[serde(default)]
    pub gateway: Option<Ipv4Addr>,
    /// DNS servers (option 6).
    #[serde(default)]
    pub dns_servers: Vec<Ipv4Addr>,
    /// DNS domain name (option 15).
    #[serde(default)]
    pub domain_name: Option<String>,
    /// Lease time (option 51).
    #[serde(default)]
    pub lease_time: LeaseTime,
    /// Static reservations by MAC.
    #[serde(default)]
    pub reservations: Vec<Reservation>,
}

/// A configuration mistake, worded for the person who made it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ConfigError {
    /// The mask's one bits are not contiguous.
    #[error("pool {pool}: mask {mask} is not contiguous")]
    MaskNotContiguous {
        /// Pool name.
        pool: String,
        /// The mask.
        mask: Ipv4Addr,
    },
    /// The start address is outside the network.
    #[error("pool {pool}: start address {start} is not in {network}/{prefix}")]
    StartOutsideNetwork {
        /// Pool name.
        pool: String,
        /// The start.
        start: Ipv4Addr,
        /// The network.
        network: Ipv4Addr,
        /// Prefix length.
        prefix: u32,
    },
    /// `start + max_users` runs past the last host address.
    #[error("pool {pool}: {max_users} users from {start} run past {last}, the last host address")]
    RangeTooLong {
        /// Pool name.
        pool: String,
        /// The start.
        start: Ipv4Addr,
        /// The size.
        max_users: u32,
        /// Last usable host address.
        last: Ipv4Addr,
    },
    /// A reservation's address is not in the pool's network.
    #[error("pool {pool}: reserved address {address} is not in {network}/{prefix}")]
    ReservationOutsideNetwork {
        /// Pool name.
        pool: String,
        /// The reserved address.
        address: Ipv4Addr,
        /// The network.
        network: Ipv4Addr,
        /// Prefix length.
        prefix: u32,
    },
    /// Two pools share a name.
    #[error("two pools are named {0}")]
    DuplicateName(String),
    /// A lease of zero minutes, hours or days.
    #[error("pool {0}: lease time must be longer than 0")]
    ZeroLeaseTime(String),
}

fn u(a: Ipv4Addr) -> u32 {
    u32::from(a)
}

impl PoolConfig {
    /// A pool with the given range and defaults for the rest (no gateway, no
    /// DNS, one day).
    pub fn new(
        name: &str,
        network: Ipv4Addr,
        mask: Ipv4Addr,
        start: Ipv4Addr,
        max_users: u32,
    ) -> Self {
        PoolConfig {
            name: name.to_owned(),
            network,
            mask,
            start,
            max_users,
            excluded: Vec::new(),
            gateway: None,
            dns_servers: Vec::new(),
            domain_name: None,
            lease_time: LeaseTime::default(),
            reservations: Vec::new(),
        }
    }

    /// Prefix length of the mask (counting its leading ones).
    pub fn prefix(&self) -> u32 {
        u(self.mask).leading_ones()
    }

    /// Whether `ip` is in this pool's network.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u(ip) & u(self.mask) == u(self.network) & u(self.mask)
    }

    /// The subnet's directed broadcast address.
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from(u(self.network) | !u(self.mask))
    }

    /// Whether `ip` is a host address inside `start .. start + max_users`.
    pub fn in_range(&self, ip: Ipv4Addr) -> bool {
        let (ip, start) = (u(ip), u(self.start));
        self.contains(Ipv4Addr::from(ip))
            && ip >= start
            && u64::from(ip) < u64::from(start) + u64::from(self.max_users)
            && ip != u(self.network) & u(self.mask)
            && ip != u(self.broadcast())
    }

    /// Addresses of the range, in order (network and broadcast skipped).
    pub fn range(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        let start = u(self.start);
        // Never past the subnet's broadcast address, whatever max_users says.
        let end =
            (u64::from(start) + u64::from(self.max_users)).min(u64::from(u(self.broadcast())));
        (u64::from(start)..end)
            .map(|a| Ipv4Addr::from(a as u32))
            .filter(|a| self.in_range(*a))
    }

    /// The reservation for `mac`, if any.
    pub fn reservation(&self, mac: EthernetAddress) -> Option<Ipv4Addr> {
        self.reservations
            .iter()
            .find(|r| r.mac == mac)
            .map(|r| r.address)
    }

    /// Checks the pool makes sense.
    ///
    /// # Errors
    /// The first [`ConfigError`] found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let pool = self.name.clone();
        let m = u(self.mask);
        if m.leading_ones() + m.trailing_zeros() != 32 {
            return Err(ConfigError::MaskNotContiguous {
                pool,
                mask: self.mask,
            });
        }
        let (network, prefix) = (Ipv4Addr::from(u(self.network) & m), self.prefix());
        if !self.contains(self.start) {
            return Err(ConfigError::StartOutsideNetwork {
                pool,
                start: self.start,
                network,
                prefix,
            });
        }
        let last = u(self.broadcast()).saturating_sub(1);
        if self.max_users > 0
            && u64::from(u(self.start)) + u64::from(self.max_users) - 1 > u64::from(last)
        {
            return Err(ConfigError::RangeTooLong {
                pool,
                start: self.start,
                max_users: self.max_users,
                last: Ipv4Addr::from(last),
            });
        }
        if self.lease_time.secs() == Some(0) {
            return Err(ConfigError::ZeroLeaseTime(pool));
        }
        if let Some(r) = self.reservations.iter().find(|r| !self.contains(r.address)) {
            return Err(ConfigError::ReservationOutsideNetwork {
                pool,
                address: r.address,
                network,
                prefix,
            });
        }
        Ok(())
    }
}

/// The whole server configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerConfig {
    /// Pools, chosen by the address of the receiving interface or the relay.
    pub pools: Vec<PoolConfig>,
    /// How long an OFFER keeps its address reserved, in seconds.
    #[serde(default = "default_offer_hold")]
    pub offer_hold_secs: u32,
    /// How long a DECLINEd address stays out of use, in seconds.
    #[serde(default = "default_decline_hold")]
    pub decline_hold_secs: u32,
}

fn default_offer_hold() -> u32 {
    60
}

fn default_decline_hold() -> u32 {
    600
}

impl ServerConfig {
    /// A configuration with these pools and default hold times.
    pub fn new(pools: Vec<PoolConfig>) -> Self {
        ServerConfig {
            pools,
            offer_hold_secs: default_offer_hold(),
            decline_hold_secs: default_decline_hold(),
        }
    }

    /// Checks every pool.
    ///
    /// # Errors
    /// The first [`ConfigError`] found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (i, p) in self.pools.iter().enumerate() {
            p.validate()?;
            if self.pools[..i].iter().any(|q| q.name == p.name) {
                return Err(ConfigError::DuplicateName(p.name.clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lan() -> PoolConfig {
        PoolConfig::new(
            "LAN",
            Ipv4Addr::new(192, 168, 1, 0),
            Ipv4Addr::new(255, 255, 255, 0),
            Ipv4Addr::new(192, 168, 1, 10),
            5,
        )
    }

    #[test]
    fn validation_names_the_mistake() {
        let mut p = lan();
        assert_eq!(p.validate(), Ok(()));
        p.mask = Ipv4Addr::new(255, 0, 255, 0);
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "pool LAN: mask 255.0.255.0 is not contiguous"
        );
        let mut p = lan();
        p.max_users = 300;
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "pool LAN: 300 users from 192.168.1.10 run past 192.168.1.254, the last host address"
        );
        p.max_users = 5;
        p.lease_time = LeaseTime::Minutes(0);
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "pool LAN: lease time must be longer than 0"
        );
        p.lease_time = LeaseTime::Infinite;
        p.start = Ipv4Addr::new(10, 0, 0, 1);
        assert!(matches!(
            p.validate(),
            Err(ConfigError::StartOutsideNetwork { .. })
        ));
    }

    #[test]
    fn lease_time_units() {
        assert_eq!(LeaseTime::Minutes(30).secs(), Some(1_800));
        assert_eq!(LeaseTime::Days(1).wire(), 86_400);
        assert_eq!(LeaseTime::Infinite.wire(), u32::MAX);
        assert_eq!(LeaseTime::Days(100_000).secs(), Some(u32::MAX - 1));
        assert_eq!(LeaseTime::Hours(2).to_string(), "2 hours");
    }

    #[test]
    fn config_round_trips_through_json() {
        let mut p = lan();
        p.reservations.push(Reservation {
            mac: EthernetAddress([2, 0x4c, 0, 0, 1, 0]),
            address: Ipv4Addr::new(192, 168, 1, 50),
        });
        p.lease_time = LeaseTime::Hours(8);
        let c = ServerConfig::new(vec![p]);
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"02:4c:00:00:01:00\""), "{json}");
        assert!(json.contains("{\"hours\":8}"), "{json}");
        assert_eq!(serde_json::from_str::<ServerConfig>(&json).unwrap(), c);
    }

    #[test]
    fn choose_skips_excluded_busy_and_reserved() {
        let mut p = lan();
        p.excluded.push(Ipv4Addr::new(192, 168, 1, 10));
        p.reservations.push(Reservation {
            mac: EthernetAddress([2, 0, 0, 0, 0, 9]),
            address: Ipv4Addr::new(192, 168, 1, 12),
        });
        let t = LeaseTable::default();
        let mac = EthernetAddress([2, 0, 0, 0, 0, 1]);
        let busy = [Ipv4Addr::new(192, 168, 1, 11)];
        assert_eq!(
            t.choose(&p, mac, None, &busy),
            Some(Ipv4Addr::new(192, 168, 1, 13))
        );
        assert_eq!(t.free_count(&p, &busy), 2);
    }
}
