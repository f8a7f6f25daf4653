//! The DHCP server's lease table: plain serde data the UI shows (the lease
//! page, `show ip dhcp binding`), kept in the order the leases were made and
//! indexed by address, client and expiry ([`Leases`]) so a server with
//! thousands of leases answers each message without scanning them all.
//!
//! Address choice follows RFC 2131 §4.3.1: "The client's current address as
//! recorded in the client's current binding, ELSE The client's previous
//! address as recorded in the client's (now expired or released) binding, if
//! that address is in the server's pool of available addresses and not
//! already allocated, ELSE The address requested in the 'Requested IP
//! Address' option, if that address is valid and not already allocated, ELSE
//! A new address allocated from the server's pool of available addresses".
//! A static reservation comes before all of these.

use core::fmt;
use core::net::Ipv4Addr;

use serde::{Deserialize, Serialize};
use smoltcp::wire::EthernetAddress;

pub use super::lease_list::Leases;
use super::mac_serde;
use super::pool::PoolConfig;
use crate::SimTime;

/// Where a lease stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaseState {
    /// Offered, waiting for the client's REQUEST.
    Offered,
    /// Acknowledged: the client uses it.
    Bound,
    /// A client said the address is in use by someone else.
    Declined,
}

impl fmt::Display for LeaseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LeaseState::Offered => "offered",
            LeaseState::Bound => "bound",
            LeaseState::Declined => "declined",
        })
    }
}

/// One row of the server's lease page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// Client MAC.
    #[serde(with = "mac_serde")]
    pub mac: EthernetAddress,
    /// Address given.
    pub address: Ipv4Addr,
    /// Pool it came from.
    pub pool: String,
    /// Offered, bound or declined.
    pub state: LeaseState,
    /// When it was offered or last acknowledged.
    pub since: SimTime,
    /// When it ends; `None` for an infinite lease.
    pub expires: Option<SimTime>,
    /// Host name the client sent (option 12).
    #[serde(default)]
    pub host_name: Option<String>,
}

/// The server's leases, as data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseTable {
    /// All current leases, in the order they were made (a list in JSON).
    pub leases: Leases,
}

impl LeaseTable {
    /// Sequence number of the offered or bound lease of `mac` in `pool`.
    fn client_seq(&self, mac: EthernetAddress, pool: &str) -> Option<u64> {
        self.leases
            .of_mac(mac)
            .find(|(_, l)| l.pool == pool)
            .map(|(seq, _)| seq)
    }

    /// The offered or bound lease of `mac` in `pool`.
    pub fn of_client(&self, mac: EthernetAddress, pool: &str) -> Option<&Lease> {
        self.leases
            .of_mac(mac)
            .find(|(_, l)| l.pool == pool)
            .map(|(_, l)| l)
    }

    /// The lease (of any state) holding `address`.
    pub fn of_address(&self, address: Ipv4Addr) -> Option<&Lease> {
        self.leases.at_address(address).next().map(|(_, l)| l)
    }

    /// Removes and returns the offered or bound lease of `mac` in `pool`.
    pub fn remove_client(&mut self, mac: EthernetAddress, pool: &str) -> Option<Lease> {
        let seq = self.client_seq(mac, pool)?;
        self.leases.remove(seq)
    }

    /// Puts `lease` in, replacing any lease of the same client or address.
    pub fn insert(&mut self, lease: Lease) {
        let gone: Vec<u64> = self
            .leases
            .at_address(lease.address)
            .chain(
                self.leases
                    .of_mac(lease.mac)
                    .filter(|(_, l)| l.pool == lease.pool),
            )
            .map(|(seq, _)| seq)
            .collect();
        for seq in gone {
            self.leases.remove(seq);
        }
        self.leases.push(lease);
    }

    /// Forgets every lease.
    pub fn clear(&mut self) {
        self.leases = Leases::default();
    }

    /// The earliest expiry of any lease.
    pub fn next_expiry(&self) -> Option<SimTime> {
        self.leases.next_expiry()
    }

    /// Removes and returns the leases that have ended by `now`, in table order.
    pub fn expire(&mut self, now: SimTime) -> Vec<Lease> {
        let mut gone = self.leases.expiring_by(now);
        gone.sort_unstable();
        gone.into_iter()
            .filter_map(|seq| self.leases.remove(seq))
            .collect()
    }

    /// Addresses of `pool` a new client could get, given addresses that are
    /// never handed out (`busy`: the server's own, gateways, DNS servers).
    pub fn free_count(&self, pool: &PoolConfig, busy: &[Ipv4Addr]) -> usize {
        pool.range()
            .filter(|a| self.is_free(pool, *a, None, busy))
            .count()
    }

    /// Whether `address` may go to `mac` (or to a new client when `None`).
    pub fn is_free(
        &self,
        pool: &PoolConfig,
        address: Ipv4Addr,
        mac: Option<EthernetAddress>,
        busy: &[Ipv4Addr],
    ) -> bool {
        Self::free_given(pool, address, mac, busy, self.of_address(address))
    }

    /// [`is_free`](Self::is_free) with the lease of `address` already looked up.
    fn free_given(
        pool: &PoolConfig,
        address: Ipv4Addr,
        mac: Option<EthernetAddress>,
        busy: &[Ipv4Addr],
        lease: Option<&Lease>,
    ) -> bool {
        let reserved_here = mac.is_some_and(|m| pool.reservation(m) == Some(address));
        (reserved_here
            || (pool.in_range(address)
                && !pool.excluded.contains(&address)
                && !busy.contains(&address)))
            && !pool
                .reservations
                .iter()
                .any(|r| r.address == address && Some(r.mac) != mac)
            && lease.is_none_or(|l| {
                Some(l.mac) == mac && l.state != LeaseState::Declined && l.pool == pool.name
            })
    }

    /// Picks the address for `mac` (RFC 2131 §4.3.1 order, reservations
    /// first), or `None` when the pool has nothing free.
    pub fn choose(
        &self,
        pool: &PoolConfig,
        mac: EthernetAddress,
        requested: Option<Ipv4Addr>,
        busy: &[Ipv4Addr],
    ) -> Option<Ipv4Addr> {
        if let Some(r) = pool.reservation(mac) {
            return Some(r);
        }
        if let Some(l) = self.of_client(mac, &pool.name) {
            return Some(l.address);
        }
        if let Some(r) = requested.filter(|r| self.is_free(pool, *r, Some(mac), busy)) {
            return Some(r);
        }
        // Walk the range and the held addresses from its start side by side
        // (both ascending) instead of looking each candidate up.
        let mut held = self.leases.addresses_from(pool.start).peekable();
        pool.range().find(|a| {
            while held.next_if(|(h, _)| h < a).is_some() {}
            let lease = held.peek().filter(|(h, _)| h == a).map(|(_, l)| *l);
            Self::free_given(pool, *a, Some(mac), busy, lease)
        })
    }
}
