//! The ARP cache of one interface, with aging and a queue of packets waiting
//! for an answer (RFC 826, RFC 1122 §2.3.2).
//!
//! The cache never sends anything itself: [`ArpCache::resolve`] says whether
//! to send a request, [`ArpCache::learn`] hands back the packets that were
//! waiting, and [`ArpCache::handle_timeout`] says when to retry or give up.

use core::time::Duration;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use serde::Serialize;
use smoltcp::wire::EthernetAddress;

use crate::SimTime;

/// How an entry got into the cache.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum EntryKind {
    /// Learned from the wire; ages out.
    Dynamic,
    /// Configured by hand; never ages.
    Static,
}

/// One line of `arp -a`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArpEntry {
    /// The neighbour's IPv4 address.
    pub ip: Ipv4Addr,
    /// Its hardware address.
    #[serde(serialize_with = "ser_mac")]
    pub mac: EthernetAddress,
    /// When the entry stops being used.
    pub expires: SimTime,
    /// Dynamic or static.
    pub kind: EntryKind,
}

fn ser_mac<S: serde::Serializer>(m: &EthernetAddress, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(m)
}

#[derive(Clone, Debug)]
struct Pending {
    packets: Vec<Vec<u8>>,
    attempts: u8,
    next: SimTime,
}

/// What to do with a packet for a next hop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolve {
    /// The address is known: send to this MAC now.
    Known(EthernetAddress),
    /// The packet waits; broadcast an ARP request now.
    SendRequest,
    /// The packet waits behind a request already sent.
    Queued,
    /// Too many packets wait for this neighbour: the packet was dropped.
    QueueFull,
}

/// What a timeout asks the interface to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArpTimeout {
    /// Broadcast the request for this address again.
    Retry(Ipv4Addr),
    /// Nobody answered: these packets are dropped.
    GaveUp {
        /// The address that did not answer.
        ip: Ipv4Addr,
        /// The packets that were waiting for it.
        dropped: Vec<Vec<u8>>,
    },
}

/// An ARP cache with aging and pending packets.
#[derive(Clone, Debug)]
pub struct ArpCache {
    entries: BTreeMap<Ipv4Addr, ArpEntry>,
    pending: BTreeMap<Ipv4Addr, Pending>,
    /// The pending requests by their next retry, so the next timeout is
    /// not a scan (a router resolving thousands of hosts is asked after
    /// every frame).
    retries: BTreeSet<(SimTime, Ipv4Addr)>,
    ttl: Duration,
    retry: Duration,
    max_attempts: u8,
    max_queued: usize,
}

impl ArpCache {
    /// A cache whose dynamic entries live `ttl`; requests are retried every
    /// second, three times in all, with at most 8 packets waiting per neighbour.
    pub fn new(ttl: Duration) -> Self {
        ArpCache {
            entries: BTreeMap::new(),
            pending: BTreeMap::new(),
            retries: BTreeSet::new(),
            ttl,
            retry: Duration::from_secs(1),
            max_attempts: 3,
            max_queued: 8,
        }
    }

    /// The same cache with at most `n` packets waiting per neighbour.
    #[must_use]
    pub fn with_queue_limit(mut self, n: usize) -> Self {
        self.max_queued = n.max(1);
        self
    }

    /// The MAC of `ip`, if known and not expired.
    pub fn lookup(&self, now: SimTime, ip: Ipv4Addr) -> Option<EthernetAddress> {
        self.entries
            .get(&ip)
            .filter(|e| e.kind == EntryKind::Static || e.expires > now)
            .map(|e| e.mac)
    }

    /// Finds the MAC for `ip`, or queues `packet` until it is known.
    pub fn resolve(&mut self, now: SimTime, ip: Ipv4Addr, packet: Vec<u8>) -> Resolve {
        if let Some(mac) = self.lookup(now, ip) {
            return Resolve::Known(mac);
        }
        if let Some(p) = self.pending.get_mut(&ip) {
            if p.packets.len() >= self.max_queued {
                return Resolve::QueueFull;
            }
            p.packets.push(packet);
            return Resolve::Queued;
        }
        self.start(ip, vec![packet], now + self.retry);
        Resolve::SendRequest
    }

    /// Starts resolving `ip` with no packet waiting: for a sender that
    /// drops its packet while the neighbour is unknown (Cisco IOS does so
    /// with the echoes of its own `ping`). [`Resolve::SendRequest`] when a
    /// request must go out now, [`Resolve::Queued`] when one already is.
    pub fn request(&mut self, now: SimTime, ip: Ipv4Addr) -> Resolve {
        if let Some(mac) = self.lookup(now, ip) {
            return Resolve::Known(mac);
        }
        if self.pending.contains_key(&ip) {
            return Resolve::Queued;
        }
        self.start(ip, Vec::new(), now + self.retry);
        Resolve::SendRequest
    }

    /// Files a new request for `ip` (none pending), retried at `next`.
    fn start(&mut self, ip: Ipv4Addr, packets: Vec<Vec<u8>>, next: SimTime) {
        self.pending.insert(
            ip,
            Pending {
                packets,
                attempts: 1,
                next,
            },
        );
        self.retries.insert((next, ip));
    }

    /// Forgets the request for `ip`.
    fn finish(&mut self, ip: Ipv4Addr) -> Option<Pending> {
        let p = self.pending.remove(&ip)?;
        self.retries.remove(&(p.next, ip));
        Some(p)
    }

    /// Whether a request for `ip` is outstanding.
    pub fn is_pending(&self, ip: Ipv4Addr) -> bool {
        self.pending.contains_key(&ip)
    }

    /// Records `ip` is at `mac` and returns the packets that were waiting for it.
    pub fn learn(&mut self, now: SimTime, ip: Ipv4Addr, mac: EthernetAddress) -> Vec<Vec<u8>> {
        let expires = now + self.ttl;
        match self.entries.get_mut(&ip) {
            Some(e) if e.kind == EntryKind::Static => {}
            Some(e) => {
                e.mac = mac;
                e.expires = expires;
            }
            None => {
                self.entries.insert(
                    ip,
                    ArpEntry {
                        ip,
                        mac,
                        expires,
                        kind: EntryKind::Dynamic,
                    },
                );
            }
        }
        self.finish(ip).map(|p| p.packets).unwrap_or_default()
    }

    /// RFC 826 "merge": refreshes `ip` only if it is already in the table.
    /// Returns whether it was.
    pub fn refresh(&mut self, now: SimTime, ip: Ipv4Addr, mac: EthernetAddress) -> bool {
        if self.entries.contains_key(&ip) {
            self.learn(now, ip, mac);
            true
        } else {
            false
        }
    }

    /// Adds an entry that never ages.
    pub fn add_static(&mut self, ip: Ipv4Addr, mac: EthernetAddress) {
        self.entries.insert(
            ip,
            ArpEntry {
                ip,
                mac,
                expires: SimTime::MAX,
                kind: EntryKind::Static,
            },
        );
    }

    /// The live entries, by address (what `arp -a` lists).
    pub fn entries(&self, now: SimTime) -> impl Iterator<Item = &ArpEntry> {
        self.entries
            .values()
            .filter(move |e| e.kind == EntryKind::Static || e.expires > now)
    }

    /// Forgets everything (`arp -d *`, interface down).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.pending.clear();
        self.retries.clear();
    }

    /// When [`ArpCache::handle_timeout`] must be called next.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        let next = self.retries.first().map(|(t, _)| *t);
        debug_assert_eq!(
            next,
            self.pending.values().map(|p| p.next).min(),
            "stale ARP retry index"
        );
        next
    }

    /// Retries or abandons the requests that are due; also drops expired entries.
    pub fn handle_timeout(&mut self, now: SimTime) -> Vec<ArpTimeout> {
        self.entries
            .retain(|_, e| e.kind == EntryKind::Static || e.expires > now);
        let mut out = Vec::new();
        // By address, as a scan of the pending requests finds them.
        let mut due: Vec<Ipv4Addr> = self
            .retries
            .iter()
            .take_while(|(t, _)| *t <= now)
            .map(|(_, ip)| *ip)
            .collect();
        due.sort_unstable();
        for ip in due {
            let Some(p) = self.pending.get_mut(&ip) else {
                continue;
            };
            if p.attempts >= self.max_attempts {
                let p = self.finish(ip).expect("present");
                out.push(ArpTimeout::GaveUp {
                    ip,
                    dropped: p.packets,
                });
            } else {
                self.retries.remove(&(p.next, ip));
                p.attempts += 1;
                p.next = now + self.retry;
                self.retries.insert((p.next, ip));
                out.push(ArpTimeout::Retry(ip));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAC: EthernetAddress = EthernetAddress([2, 0, 0, 0, 0, 1]);
    const IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);

    #[test]
    fn queues_until_learned_then_ages_out() {
        let mut c = ArpCache::new(Duration::from_secs(60));
        let t0 = SimTime::ZERO;
        assert_eq!(c.resolve(t0, IP, vec![1]), Resolve::SendRequest);
        assert_eq!(c.resolve(t0, IP, vec![2]), Resolve::Queued);
        assert!(c.is_pending(IP));
        let waiting = c.learn(SimTime::from_millis(2), IP, MAC);
        assert_eq!(waiting, vec![vec![1], vec![2]]);
        assert_eq!(c.lookup(SimTime::from_secs(59), IP), Some(MAC));
        assert_eq!(c.lookup(SimTime::from_secs(61), IP), None);
        assert_eq!(c.entries(SimTime::from_secs(61)).count(), 0);
        assert_eq!(c.poll_timeout(), None);
    }

    #[test]
    fn retries_then_gives_up() {
        let mut c = ArpCache::new(Duration::from_secs(60));
        assert_eq!(c.resolve(SimTime::ZERO, IP, vec![9]), Resolve::SendRequest);
        assert_eq!(c.poll_timeout(), Some(SimTime::from_secs(1)));
        assert_eq!(
            c.handle_timeout(SimTime::from_secs(1)),
            vec![ArpTimeout::Retry(IP)]
        );
        assert_eq!(
            c.handle_timeout(SimTime::from_secs(2)),
            vec![ArpTimeout::Retry(IP)]
        );
        assert_eq!(
            c.handle_timeout(SimTime::from_secs(3)),
            vec![ArpTimeout::GaveUp {
                ip: IP,
                dropped: vec![vec![9]]
            }]
        );
        assert!(!c.is_pending(IP));
    }

    #[test]
    fn a_request_without_a_packet_releases_nothing() {
        let mut c = ArpCache::new(Duration::from_secs(60));
        assert_eq!(c.request(SimTime::ZERO, IP), Resolve::SendRequest);
        assert_eq!(c.request(SimTime::ZERO, IP), Resolve::Queued);
        assert!(c.is_pending(IP));
        assert!(c.learn(SimTime::from_millis(1), IP, MAC).is_empty());
        assert_eq!(c.request(SimTime::from_millis(2), IP), Resolve::Known(MAC));
    }

    #[test]
    fn queue_is_capped_and_refresh_only_merges() {
        let mut c = ArpCache::new(Duration::from_secs(60));
        c.resolve(SimTime::ZERO, IP, vec![]);
        for _ in 0..7 {
            assert_eq!(c.resolve(SimTime::ZERO, IP, vec![]), Resolve::Queued);
        }
        assert_eq!(c.resolve(SimTime::ZERO, IP, vec![]), Resolve::QueueFull);
        let other = Ipv4Addr::new(10, 0, 0, 2);
        assert!(!c.refresh(SimTime::ZERO, other, MAC));
        c.add_static(other, MAC);
        assert_eq!(c.lookup(SimTime::MAX, other), Some(MAC));
    }

    /// The retry index answers as a scan of the pending requests did:
    /// the earliest retry, and the due requests by address whatever order
    /// they were started in, through retries, answers, give-ups and clears.
    #[test]
    fn retry_index_matches_a_scan() {
        let mut c = ArpCache::new(Duration::from_secs(60));
        let mut x: u64 = 0x1234_5678_9abc_def1;
        let mut now = SimTime::ZERO;
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let ip = Ipv4Addr::new(10, 0, (x >> 8) as u8 % 4, (x >> 16) as u8 % 64);
            match x % 7 {
                0 | 1 => {
                    c.resolve(now, ip, vec![1]);
                }
                2 => {
                    c.request(now, ip);
                }
                3 => {
                    c.learn(now, ip, MAC);
                }
                4 => now += Duration::from_millis(x % 700),
                5 => {
                    let want: Vec<Ipv4Addr> = c
                        .pending
                        .iter()
                        .filter(|(_, p)| p.next <= now)
                        .map(|(ip, _)| *ip)
                        .collect();
                    let got: Vec<Ipv4Addr> = c
                        .handle_timeout(now)
                        .into_iter()
                        .map(|t| match t {
                            ArpTimeout::Retry(ip) | ArpTimeout::GaveUp { ip, .. } => ip,
                        })
                        .collect();
                    assert_eq!(got, want);
                }
                _ if x % 101 == 6 => c.clear(),
                _ => {}
            }
            assert_eq!(c.poll_timeout(), c.pending.values().map(|p| p.next).min());
            assert_eq!(c.retries.len(), c.pending.len());
        }
    }
}
