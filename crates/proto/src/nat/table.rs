//! The translation table: address-only (simple) and protocol+port (extended)
//! entries, looked up in O(1) both ways, with deadlines for expiry and the
//! PAT port allocator.
//!
//! Every map is a `HashMap` with a fixed (unseeded) hash: lookups never
//! depend on a random seed, and whatever lists entries sorts them by id
//! (creation order, what `show ip nat translations` prints), so no hash
//! order reaches any output. Deadlines sit in a `BTreeSet` keyed by
//! (deadline, rank, id), always exact: a packet using an entry moves its
//! slot (O(log n)), so the next deadline is the set's first key, found
//! without walking however many entries were used since they were made.

use core::hash::{BuildHasherDefault, Hasher};
use core::time::Duration;
use std::collections::{BTreeSet, HashMap as StdHashMap};
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::config::NatProtocol;
use super::outcome::{Endpoint, MappingSource};
use crate::SimTime;

/// What kind of row a translation entry is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// From `ip nat inside source static LOCAL GLOBAL` (never expires).
    Static,
    /// From a static port forwarding (never expires).
    StaticPort,
    /// An address-only entry a dynamic pool rule made.
    Dynamic,
    /// One connection or flow (protocol + ports, or ICMP echo id).
    Extended,
}

/// One row of `show ip nat translations`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatEntry {
    /// Entry id, in creation order (IOS `entry-id`).
    pub id: u64,
    /// Simple, static or extended.
    pub kind: EntryKind,
    /// The protocol of an extended or static port entry; `None` (`---`) for address-only.
    pub protocol: Option<NatProtocol>,
    /// Inside local address (and port).
    pub inside_local: Endpoint,
    /// Inside global address (and port).
    pub inside_global: Endpoint,
    /// The outside host (outside local = outside global here); `None` (`---`)
    /// for static and address-only entries.
    pub outside: Option<Endpoint>,
    /// The configuration behind it.
    pub source: MappingSource,
    /// The dynamic rule (index in `NatConfig::dynamic`) that made it.
    pub rule: Option<usize>,
    /// When it was made.
    pub created: SimTime,
    /// When a packet last used it.
    pub last_used: SimTime,
    /// Idle time after which it goes; `None`: static, never.
    pub timeout: Option<Duration>,
    /// TCP: a FIN or RST was seen (IOS flag "timing-out").
    pub finrst: bool,
    /// Extended entries this address-only entry holds up.
    pub children: u32,
    /// The address-only entry an extended entry belongs to.
    pub parent: Option<u64>,
    /// Where the expiry set holds it (its exact deadline).
    #[serde(skip)]
    pub(super) scheduled: Option<Sched>,
}

impl NatEntry {
    /// When it expires, if it does.
    pub fn deadline(&self) -> Option<SimTime> {
        self.timeout.map(|t| self.last_used + t)
    }

    /// Its place in the expiry order: by deadline, an address-only entry
    /// after the extended entries due at the same time.
    fn sched(&self) -> Option<Sched> {
        let rank = u8::from(self.kind == EntryKind::Dynamic);
        self.deadline().map(|d| (d, rank, self.id))
    }

    /// Whether it was configured rather than made by traffic.
    pub fn is_static(&self) -> bool {
        matches!(self.kind, EntryKind::Static | EntryKind::StaticPort)
    }

    /// The lookup key of packets going out (source = inside local).
    fn out_key(&self) -> Option<FlowKey> {
        let (p, o) = (self.protocol?, self.outside?);
        let oport = if p == NatProtocol::Icmp {
            self.inside_local.port
        } else {
            o.port
        };
        Some(FlowKey(
            p,
            self.inside_local.addr,
            self.inside_local.port,
            o.addr,
            oport,
        ))
    }

    /// The lookup key of packets coming in (destination = inside global).
    fn in_key(&self) -> Option<FlowKey> {
        let (p, o) = (self.protocol?, self.outside?);
        let oport = if p == NatProtocol::Icmp {
            self.inside_global.port
        } else {
            o.port
        };
        Some(FlowKey(
            p,
            o.addr,
            oport,
            self.inside_global.addr,
            self.inside_global.port,
        ))
    }
}

/// A flow as a packet carries it: protocol, source address and port,
/// destination address and port (ICMP echo: the id as both ports).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct FlowKey(
    pub NatProtocol,
    pub Ipv4Addr,
    pub u16,
    pub Ipv4Addr,
    pub u16,
);

type PortKey = (NatProtocol, Ipv4Addr, u16);
pub(super) type Sched = (SimTime, u8, u64);

/// A fast, fixed hash for the table's small integer keys (the FxHash
/// multiply-rotate scheme); the state never depends on a random seed.
#[derive(Copy, Clone, Default)]
pub(super) struct FixedHasher(u64);

impl FixedHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FixedHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        // hashbrown takes the bucket from the low bits, the tag from the top.
        self.0.rotate_left(26)
    }
}

type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<FixedHasher>>;

/// The port groups IOS keeps a translated port in: 1–511, 512–1023, 1024–65535.
fn port_group(port: u16) -> (u8, u32, u32) {
    match port {
        0..=511 => (0, 1, 511),
        512..=1023 => (1, 512, 1023),
        _ => (2, 1024, 65_535),
    }
}

/// The table and its indexes.
#[derive(Clone, Debug, Default)]
pub(super) struct Table {
    entries: HashMap<u64, NatEntry>,
    next_id: u64,
    by_out: HashMap<FlowKey, u64>,
    by_in: HashMap<FlowKey, u64>,
    simple_local: HashMap<Ipv4Addr, u64>,
    simple_global: HashMap<Ipv4Addr, u64>,
    port_local: HashMap<PortKey, u64>,
    port_global: HashMap<PortKey, u64>,
    /// Inside global endpoints held by extended entries, with their count.
    global_ports: HashMap<PortKey, u32>,
    /// Per (protocol, address, group): every port below it is taken.
    cursors: HashMap<(NatProtocol, Ipv4Addr, u8), u32>,
    deadlines: BTreeSet<Sched>,
}

impl Table {
    /// Every entry, in creation order.
    pub fn entries(&self) -> Vec<&NatEntry> {
        let mut v: Vec<&NatEntry> = self.entries.values().collect();
        crate::order::sort_by_key(&mut v, |e| e.id);
        v
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn get(&self, id: u64) -> Option<&NatEntry> {
        self.entries.get(&id)
    }

    pub fn find_out(&self, k: &FlowKey) -> Option<u64> {
        self.by_out.get(k).copied()
    }

    pub fn find_in(&self, k: &FlowKey) -> Option<u64> {
        self.by_in.get(k).copied()
    }

    /// The address-only entry of inside local `addr`.
    pub fn simple_by_local(&self, addr: Ipv4Addr) -> Option<&NatEntry> {
        self.simple_local
            .get(&addr)
            .and_then(|id| self.entries.get(id))
    }

    /// The address-only entry of inside global `addr`.
    pub fn simple_by_global(&self, addr: Ipv4Addr) -> Option<&NatEntry> {
        self.simple_global
            .get(&addr)
            .and_then(|id| self.entries.get(id))
    }

    /// The static port forwarding from inside local `addr:port`.
    pub fn port_by_local(&self, p: NatProtocol, addr: Ipv4Addr, port: u16) -> Option<&NatEntry> {
        self.port_local
            .get(&(p, addr, port))
            .and_then(|id| self.entries.get(id))
    }

    /// The static port forwarding to inside global `addr:port`.
    pub fn port_by_global(&self, p: NatProtocol, addr: Ipv4Addr, port: u16) -> Option<&NatEntry> {
        self.port_global
            .get(&(p, addr, port))
            .and_then(|id| self.entries.get(id))
    }

    /// Whether an inside global address is in use by an address-only entry.
    pub fn global_in_use(&self, addr: Ipv4Addr) -> bool {
        self.simple_global.contains_key(&addr)
    }

    fn port_free(&self, p: NatProtocol, addr: Ipv4Addr, port: u16) -> bool {
        port != 0
            && !self.global_ports.contains_key(&(p, addr, port))
            && !self.port_global.contains_key(&(p, addr, port))
    }

    /// A free port on `addr` for PAT: `want` itself if free (as IOS keeps
    /// the inside port), else the lowest free one in `want`'s group.
    pub fn alloc_port(&mut self, p: NatProtocol, addr: Ipv4Addr, want: u16) -> Option<u16> {
        if self.port_free(p, addr, want) {
            return Some(want);
        }
        let (g, lo, hi) = port_group(want);
        let start = self
            .cursors
            .get(&(p, addr, g))
            .copied()
            .unwrap_or(lo)
            .max(lo);
        for candidate in start..=hi {
            let port = u16::try_from(candidate).ok()?;
            if self.port_free(p, addr, port) {
                self.cursors.insert((p, addr, g), candidate + 1);
                return Some(port);
            }
        }
        self.cursors.insert((p, addr, g), hi + 1);
        None
    }

    /// Adds an entry (its id is assigned here) and indexes it.
    pub fn insert(&mut self, mut e: NatEntry) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        e.id = id;
        match e.kind {
            EntryKind::Static | EntryKind::Dynamic => {
                self.simple_local.insert(e.inside_local.addr, id);
                self.simple_global.insert(e.inside_global.addr, id);
            }
            EntryKind::StaticPort => {
                if let Some(p) = e.protocol {
                    self.port_local
                        .insert((p, e.inside_local.addr, e.inside_local.port), id);
                    self.port_global
                        .insert((p, e.inside_global.addr, e.inside_global.port), id);
                }
            }
            EntryKind::Extended => {
                if let (Some(ko), Some(ki), Some(p)) = (e.out_key(), e.in_key(), e.protocol) {
                    self.by_out.insert(ko, id);
                    self.by_in.insert(ki, id);
                    *self
                        .global_ports
                        .entry((p, e.inside_global.addr, e.inside_global.port))
                        .or_insert(0) += 1;
                }
                if let Some(parent) = e.parent.and_then(|p| self.entries.get_mut(&p)) {
                    parent.children += 1;
                }
            }
        }
        e.scheduled = e.sched();
        if let Some(k) = e.scheduled {
            self.deadlines.insert(k);
        }
        self.entries.insert(id, e);
        id
    }

    /// A packet used entry `id` at `now` (`finrst`: it was a TCP FIN or RST,
    /// switching the entry to `finrst_timeout`); its parent is refreshed too.
    pub fn touch(&mut self, id: u64, now: SimTime, finrst: Option<Duration>) {
        let Some(e) = self.entries.get_mut(&id) else {
            return;
        };
        e.last_used = e.last_used.max(now);
        if let Some(t) = finrst
            && e.protocol == Some(NatProtocol::Tcp)
        {
            e.finrst = true;
            e.timeout = e.timeout.map(|old| old.min(t));
        }
        let (old, parent) = (e.scheduled, e.parent);
        if e.sched() != old {
            self.reschedule(id, old);
        }
        if let Some(p) = parent
            && let Some(pe) = self.entries.get_mut(&p)
        {
            pe.last_used = pe.last_used.max(now);
            let old = pe.scheduled;
            if pe.sched() != old {
                self.reschedule(p, old);
            }
        }
    }

    /// Moves entry `id` from expiry slot `old` to its current deadline.
    fn reschedule(&mut self, id: u64, old: Option<Sched>) {
        if let Some(k) = old {
            self.deadlines.remove(&k);
        }
        if let Some(e) = self.entries.get_mut(&id) {
            e.scheduled = e.sched();
            if let Some(k) = e.scheduled {
                self.deadlines.insert(k);
            }
        }
    }

    /// Removes entry `id` and its index keys; returns it.
    pub fn remove(&mut self, id: u64) -> Option<NatEntry> {
        let e = self.entries.remove(&id)?;
        if let Some(k) = e.scheduled {
            self.deadlines.remove(&k);
        }
        let unindex = |m: &mut HashMap<_, u64>, k| {
            if m.get(&k) == Some(&id) {
                m.remove(&k);
            }
        };
        match e.kind {
            EntryKind::Static | EntryKind::Dynamic => {
                unindex(&mut self.simple_local, e.inside_local.addr);
                unindex(&mut self.simple_global, e.inside_global.addr);
            }
            EntryKind::StaticPort => {
                if let Some(p) = e.protocol {
                    let (l, g) = (e.inside_local, e.inside_global);
                    if self.port_local.get(&(p, l.addr, l.port)) == Some(&id) {
                        self.port_local.remove(&(p, l.addr, l.port));
                    }
                    if self.port_global.get(&(p, g.addr, g.port)) == Some(&id) {
                        self.port_global.remove(&(p, g.addr, g.port));
                    }
                }
            }
            EntryKind::Extended => {
                if let Some(k) = e.out_key()
                    && self.by_out.get(&k) == Some(&id)
                {
                    self.by_out.remove(&k);
                }
                if let Some(k) = e.in_key()
                    && self.by_in.get(&k) == Some(&id)
                {
                    self.by_in.remove(&k);
                }
                if let Some(p) = e.protocol {
                    self.release_port(p, e.inside_global);
                }
                if let Some(parent) = e.parent.and_then(|p| self.entries.get_mut(&p)) {
                    parent.children = parent.children.saturating_sub(1);
                }
            }
        }
        Some(e)
    }

    fn release_port(&mut self, p: NatProtocol, g: Endpoint) {
        let key = (p, g.addr, g.port);
        if let Some(n) = self.global_ports.get_mut(&key) {
            *n -= 1;
            if *n == 0 {
                self.global_ports.remove(&key);
                let (group, _, _) = port_group(g.port);
                if let Some(c) = self.cursors.get_mut(&(p, g.addr, group)) {
                    *c = (*c).min(u32::from(g.port));
                }
            }
        }
    }

    /// The earliest deadline (every slot is its entry's exact deadline).
    pub fn next_deadline(&self) -> Option<SimTime> {
        self.deadlines.first().map(|&(d, _, _)| d)
    }

    /// Removes every entry whose deadline is at or before `now`, in deadline
    /// order; returns how many went. An address-only entry that still holds
    /// extended entries (due later) waits for them: it counts as used now.
    pub fn expire(&mut self, now: SimTime) -> u64 {
        let mut n = 0;
        while let Some(&slot) = self.deadlines.first() {
            let (d, _, id) = slot;
            if d > now {
                break;
            }
            let Some(e) = self.entries.get_mut(&id) else {
                self.deadlines.remove(&slot);
                continue;
            };
            if e.sched() > Some(slot) {
                // Its slot is behind its deadline (`touch` keeps slots
                // exact, so only defensively): move it there.
                self.reschedule(id, Some(slot));
                continue;
            }
            if e.children > 0 {
                // Timeouts are at least 1 s (`Nat` makes them so): this
                // moves the deadline past `now`.
                e.last_used = now;
                self.reschedule(id, Some(slot));
                continue;
            }
            self.remove(id);
            n += 1;
        }
        n
    }

    /// Removes every dynamic entry (`clear ip nat translation *`); returns how many.
    pub fn clear_dynamic(&mut self) -> usize {
        let mut ids: Vec<u64> = self
            .entries
            .values()
            .filter(|e| !e.is_static())
            .map(|e| e.id)
            .collect();
        ids.sort_unstable();
        for id in &ids {
            self.remove(*id);
        }
        self.cursors.clear();
        ids.len()
    }

    /// Removes every static entry (before the configuration's are re-added).
    pub fn clear_static(&mut self) {
        let mut ids: Vec<u64> = self
            .entries
            .values()
            .filter(|e| e.is_static())
            .map(|e| e.id)
            .collect();
        ids.sort_unstable();
        for id in ids {
            self.remove(id);
        }
        self.cursors.clear();
    }
}
