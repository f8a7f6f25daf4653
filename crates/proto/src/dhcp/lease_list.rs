//! [`Leases`]: the lease table's rows in the order they were made, with
//! indexes by address, by client MAC and by expiry.
//!
//! A row is found, replaced or expired in O(log n) instead of by a scan of
//! every row, which made a server with 10,000 clients quadratic. Reading the
//! rows as a slice (`leases[0]`, `leases.iter()`, `&leases[1..]`) builds the
//! ordered list once after each change and keeps it until the next one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use core::net::Ipv4Addr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use smoltcp::wire::EthernetAddress;

use super::lease::{Lease, LeaseState};
use crate::SimTime;

/// The leases, in the order they were made; reads like a `[Lease]` slice and
/// is a list in JSON.
#[derive(Default)]
pub struct Leases {
    /// Rows by sequence number: the order they were made.
    rows: BTreeMap<u64, Lease>,
    /// The next row's sequence number.
    next: u64,
    /// (address, row) of every row.
    by_address: BTreeSet<(Ipv4Addr, u64)>,
    /// (MAC, row) of the offered and bound rows (declined ones belong to no
    /// client).
    by_client: BTreeSet<([u8; 6], u64)>,
    /// (expiry, row) of the rows that expire.
    by_expiry: BTreeSet<(SimTime, u64)>,
    /// The rows as a slice, built on first read after a change.
    view: OnceLock<Vec<Lease>>,
}

impl Leases {
    /// Appends `lease` as the newest row.
    pub(super) fn push(&mut self, lease: Lease) {
        let seq = self.next;
        self.next += 1;
        self.by_address.insert((lease.address, seq));
        if lease.state != LeaseState::Declined {
            self.by_client.insert((lease.mac.0, seq));
        }
        if let Some(t) = lease.expires {
            self.by_expiry.insert((t, seq));
        }
        self.rows.insert(seq, lease);
        self.view = OnceLock::new();
    }

    /// Removes row `seq`.
    pub(super) fn remove(&mut self, seq: u64) -> Option<Lease> {
        let lease = self.rows.remove(&seq)?;
        self.by_address.remove(&(lease.address, seq));
        self.by_client.remove(&(lease.mac.0, seq));
        if let Some(t) = lease.expires {
            self.by_expiry.remove(&(t, seq));
        }
        self.view = OnceLock::new();
        Some(lease)
    }

    /// The rows holding `address`, oldest first.
    pub(super) fn at_address(&self, address: Ipv4Addr) -> impl Iterator<Item = (u64, &Lease)> {
        self.by_address
            .range((address, 0)..=(address, u64::MAX))
            .map(|(_, seq)| (*seq, &self.rows[seq]))
    }

    /// Every row whose address is `start` or above, by address (the oldest
    /// row of an address first).
    pub(super) fn addresses_from(
        &self,
        start: Ipv4Addr,
    ) -> impl Iterator<Item = (Ipv4Addr, &Lease)> {
        self.by_address
            .range((start, 0)..)
            .map(|(a, seq)| (*a, &self.rows[seq]))
    }

    /// The offered and bound rows of `mac`, oldest first.
    pub(super) fn of_mac(&self, mac: EthernetAddress) -> impl Iterator<Item = (u64, &Lease)> {
        self.by_client
            .range((mac.0, 0)..=(mac.0, u64::MAX))
            .map(|(_, seq)| (*seq, &self.rows[seq]))
    }

    /// The earliest expiry of any row.
    pub(super) fn next_expiry(&self) -> Option<SimTime> {
        self.by_expiry.first().map(|(t, _)| *t)
    }

    /// The rows that have ended by `now`, soonest first.
    pub(super) fn expiring_by(&self, now: SimTime) -> Vec<u64> {
        self.by_expiry
            .range(..=(now, u64::MAX))
            .map(|(_, seq)| *seq)
            .collect()
    }
}

impl core::ops::Deref for Leases {
    type Target = [Lease];

    fn deref(&self) -> &[Lease] {
        self.view
            .get_or_init(|| self.rows.values().cloned().collect())
    }
}

impl FromIterator<Lease> for Leases {
    fn from_iter<I: IntoIterator<Item = Lease>>(iter: I) -> Self {
        let mut l = Leases::default();
        for lease in iter {
            l.push(lease);
        }
        l
    }
}

impl<'a> IntoIterator for &'a Leases {
    type Item = &'a Lease;
    type IntoIter = core::slice::Iter<'a, Lease>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl IntoIterator for Leases {
    type Item = Lease;
    type IntoIter = std::collections::btree_map::IntoValues<u64, Lease>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_values()
    }
}

impl Clone for Leases {
    /// The rows and indexes; not the slice view, rebuilt when read.
    fn clone(&self) -> Self {
        Leases {
            rows: self.rows.clone(),
            next: self.next,
            by_address: self.by_address.clone(),
            by_client: self.by_client.clone(),
            by_expiry: self.by_expiry.clone(),
            view: OnceLock::new(),
        }
    }
}

impl PartialEq for Leases {
    /// The same rows in the same order (sequence numbers aside).
    fn eq(&self, other: &Self) -> bool {
        self.rows.len() == other.rows.len() && self.rows.values().eq(other.rows.values())
    }
}

impl Eq for Leases {}

impl core::fmt::Debug for Leases {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.rows.values()).finish()
    }
}

impl Serialize for Leases {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.rows.values())
    }
}

impl<'de> Deserialize<'de> for Leases {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<Lease>::deserialize(d)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(mac: u8, address: u8, state: LeaseState, expires: Option<u64>) -> Lease {
        Lease {
            mac: EthernetAddress([2, 0, 0, 0, 0, mac]),
            address: Ipv4Addr::new(10, 0, 0, address),
            pool: "LAN".into(),
            state,
            since: SimTime::ZERO,
            expires: expires.map(SimTime),
            host_name: None,
        }
    }

    #[test]
    fn reads_as_a_slice_in_the_order_made_and_round_trips_through_json() {
        let mut l: Leases = [
            lease(1, 10, LeaseState::Bound, Some(30)),
            lease(2, 11, LeaseState::Declined, Some(20)),
            lease(3, 12, LeaseState::Offered, None),
        ]
        .into_iter()
        .collect();
        assert_eq!(l.len(), 3);
        assert_eq!(l[1].address, Ipv4Addr::new(10, 0, 0, 11));
        assert_eq!(l.next_expiry(), Some(SimTime(20)));
        assert_eq!(l.of_mac(EthernetAddress([2, 0, 0, 0, 0, 2])).count(), 0);
        let removed = l.remove(0).expect("row 0");
        assert_eq!(removed.address, Ipv4Addr::new(10, 0, 0, 10));
        assert_eq!(l.len(), 2, "the view follows the change");
        assert_eq!(l.expiring_by(SimTime(25)), vec![1]);
        l.push(lease(1, 10, LeaseState::Bound, None));
        let addrs: Vec<u8> = l.iter().map(|x| x.address.octets()[3]).collect();
        assert_eq!(addrs, [11, 12, 10]);
        let json = serde_json::to_string(&l).expect("json");
        assert!(json.starts_with('['), "{json}");
        let back: Leases = serde_json::from_str(&json).expect("back");
        assert_eq!(back, l);
        assert_eq!(back.at_address(Ipv4Addr::new(10, 0, 0, 10)).count(), 1);
        assert_eq!(format!("{back:?}"), format!("{:?}", &l[..]));
    }

    /// The table as a plain list, the way it was kept before the indexes.
    #[derive(Default)]
    struct Model(Vec<Lease>);

    impl Model {
        fn live(l: &Lease, mac: EthernetAddress, pool: &str) -> bool {
            l.mac == mac && l.pool == pool && l.state != LeaseState::Declined
        }
        fn insert(&mut self, lease: Lease) {
            self.0
                .retain(|l| l.address != lease.address && !Self::live(l, lease.mac, &lease.pool));
            self.0.push(lease);
        }
        fn remove_client(&mut self, mac: EthernetAddress, pool: &str) -> Option<Lease> {
            let i = self.0.iter().position(|l| Self::live(l, mac, pool))?;
            Some(self.0.remove(i))
        }
        fn expire(&mut self, now: SimTime) -> Vec<Lease> {
            let (gone, kept) = core::mem::take(&mut self.0)
                .into_iter()
                .partition(|l| l.expires.is_some_and(|e| e <= now));
            self.0 = kept;
            gone
        }
    }

    use proptest::prelude::*;

    proptest! {
        /// Any sequence of inserts, removals and expiries leaves the indexed
        /// table equal to the plain list, row for row, and every lookup agrees.
        #[test]
        fn indexed_table_matches_the_plain_list(
            ops in proptest::collection::vec((0u8..4, 0u8..5, 0u8..6, 0u8..2, 0u8..3, 0u64..8), 0..60)
        ) {
            use super::super::LeaseTable;
            let (mut t, mut m) = (LeaseTable::default(), Model::default());
            for (op, who, addr, pool, state, time) in ops {
                let mut l = lease(who, addr, [LeaseState::Offered, LeaseState::Bound, LeaseState::Declined][usize::from(state)], Some(time).filter(|t| *t != 7));
                l.pool = ["LAN", "WIFI"][usize::from(pool)].into();
                match op {
                    0 | 1 => { t.insert(l.clone()); m.insert(l); }
                    2 => prop_assert_eq!(t.remove_client(l.mac, &l.pool), m.remove_client(l.mac, &l.pool)),
                    _ => prop_assert_eq!(t.expire(SimTime(time)), m.expire(SimTime(time))),
                }
                prop_assert_eq!(&t.leases[..], &m.0[..]);
                prop_assert_eq!(t.next_expiry(), m.0.iter().filter_map(|l| l.expires).min());
                for a in 0..6 {
                    let a = Ipv4Addr::new(10, 0, 0, a);
                    prop_assert_eq!(t.of_address(a), m.0.iter().find(|l| l.address == a));
                }
                for who in 0..5 {
                    for pool in ["LAN", "WIFI"] {
                        let mac = EthernetAddress([2, 0, 0, 0, 0, who]);
                        prop_assert_eq!(t.of_client(mac, pool), m.0.iter().find(|l| Model::live(l, mac, pool)));
                        // The side-by-side walk picks what a lookup per address picks.
                        let p = super::super::PoolConfig::new(
                            pool,
                            Ipv4Addr::new(10, 0, 0, 0),
                            Ipv4Addr::new(255, 255, 255, 0),
                            Ipv4Addr::new(10, 0, 0, 1),
                            5,
                        );
                        let busy = [Ipv4Addr::new(10, 0, 0, 2)];
                        let expected = t.of_client(mac, pool).map(|l| l.address).or_else(|| {
                            p.range().find(|a| t.is_free(&p, *a, Some(mac), &busy))
                        });
                        prop_assert_eq!(t.choose(&p, mac, None, &busy), expected);
                    }
                }
            }
        }
    }
}
