//! The RIP version 2 engine of one router (RFC 2453 §3.9, with Cisco IOS's
//! timers): a request on start-up, a full update every 30 s (minus a
//! seeded jitter) to 224.0.0.9 on every enabled, non-passive interface,
//! triggered updates on change, split horizon with poison reverse, metric
//! 16 = unreachable; a route not refreshed for 180 s (invalid) is marked
//! possibly down and held down (180 s), and flushed 240 s after its last
//! update. Equal-cost paths are kept (up to four, as IOS). Sans-IO: time
//! is passed in; what to send comes out of [`Rip::poll_transmit`].

use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};
use std::net::Ipv4Addr;
use std::time::Duration;

use super::note::Note;
use super::wire::{Command, Entry, GROUP, INFINITY, Repr};
use crate::SimTime;
use crate::net::ip::Ipv4Net;
use crate::net::route::{Route, RouteOrigin};

mod merge;
mod prefix_set;
mod update;

use prefix_set::PrefixSet;
use update::push_to;

/// Seconds between periodic updates.
pub const UPDATE: Duration = Duration::from_secs(30);
/// A route with no update for this long is invalid (possibly down).
pub const INVALID: Duration = Duration::from_secs(180);
/// How long an invalid or poisoned route is held down.
pub const HOLDDOWN: Duration = Duration::from_secs(180);
/// A route with no update for this long is removed.
pub const FLUSH: Duration = Duration::from_secs(240);

/// One of the router's interfaces, as RIP sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// Its address and prefix, `None` when it has none or is down.
    pub net: Option<Ipv4Net>,
    /// Covered by a `network` statement: its network is advertised and
    /// updates are heard on it.
    pub enabled: bool,
    /// `passive-interface`: its network is advertised, but no update is
    /// sent out of it.
    pub passive: bool,
    /// Its name, for `show` and notes.
    pub name: String,
}

/// The process-wide settings of `router rip`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// Summarise subnets to their classful network across a major network
    /// boundary (IOS's default, off with `no auto-summary`).
    pub auto_summary: bool,
    /// `default-information originate`: advertise 0.0.0.0/0.
    pub default_originate: bool,
}

/// A message to send: UDP 520 → 520 from the interface's own address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// Out of this interface.
    pub iface: usize,
    /// 224.0.0.9, or the requester's address for an answer to a request.
    pub dst: Ipv4Addr,
    /// The message.
    pub repr: Repr,
    /// A triggered (not periodic) update.
    pub triggered: bool,
}

/// One path of a learned route.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// The neighbour that advertised it.
    pub via: Ipv4Addr,
    /// The interface it came in on.
    pub iface: usize,
    /// Its last update.
    pub updated: SimTime,
}

/// A route in the RIP database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Learned {
    /// Hops, as the neighbour advertised them; 16 while held down.
    pub metric: u32,
    /// Its paths (equal metric); the last one when held down.
    pub paths: Vec<Path>,
    /// Held down until then (ignores other neighbours' news).
    pub holddown_until: Option<SimTime>,
    /// Removed then, once held down.
    pub flush_at: Option<SimTime>,
}

impl Learned {
    /// A route just learned (or taken over) through `path` (the caller
    /// marks it changed, to advertise).
    fn new(metric: u32, path: Path) -> Self {
        Learned {
            metric,
            paths: vec![path],
            holddown_until: None,
            flush_at: None,
        }
    }

    /// Unreachable from `now`: held down, flushed `FLUSH` after `last` was heard.
    fn hold_down(&mut self, now: SimTime, last: SimTime) {
        self.metric = INFINITY;
        self.holddown_until = Some(now + HOLDDOWN);
        self.flush_at = Some(last + FLUSH);
    }
}

/// The RIP process of one router.
#[derive(Clone, Debug)]
pub struct Rip {
    ifaces: Vec<Interface>,
    settings: Settings,
    learned: BTreeMap<Ipv4Net, Learned>,
    /// Routes changed since the last triggered update.
    changed: PrefixSet,
    /// No path was heard before this (a lower bound on every path's
    /// `updated`, raised when [`Rip::poll_timeout`] looks at them all): no
    /// route can expire before `heard_since + INVALID`.
    heard_since: Cell<SimTime>,
    next_update: Option<SimTime>,
    rng: u64,
    out: VecDeque<Transmit>,
    notes: VecDeque<Note>,
    rib_changed: bool,
    /// Routes changed or refreshed since [`Rip::take_rib_updates`] last
    /// looked: the only prefixes whose routes for the table can differ.
    rib_touched: PrefixSet,
}

impl Rip {
    /// A RIP process not yet started; `seed` drives the update jitter.
    pub fn new(seed: u64) -> Self {
        Rip {
            ifaces: Vec::new(),
            settings: Settings::default(),
            learned: BTreeMap::new(),
            changed: PrefixSet::default(),
            heard_since: Cell::new(SimTime::ZERO),
            next_update: None,
            rng: seed | 1,
            out: VecDeque::new(),
            notes: VecDeque::new(),
            rib_changed: false,
            rib_touched: PrefixSet::default(),
        }
    }

    fn jitter(&mut self) -> Duration {
        // xorshift64: up to 15 % less than 30 s, as IOS.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        Duration::from_millis(self.rng % 4_500)
    }

    /// Sets the interfaces and settings. The first call starts the process:
    /// a request for the whole table and a full update on every enabled
    /// interface. Later calls send a triggered update when what is
    /// advertised changed, and forget routes through interfaces now gone.
    pub fn configure(&mut self, now: SimTime, ifaces: Vec<Interface>, settings: Settings) {
        let starting = self.next_update.is_none();
        let before = self.advertised_connected();
        let was_speaking = self.speaking();
        let old_settings = std::mem::replace(&mut self.settings, settings);
        self.ifaces = ifaces;
        // Paths through an interface that went down or stopped running RIP
        // go at once (IOS: the routes leave the table with the interface);
        // a usable route left without a path is poisoned in the triggered
        // update below.
        let ifaces = std::mem::take(&mut self.ifaces);
        let mut gone = Vec::new();
        let mut dropped = Vec::new();
        for (dest, l) in &mut self.learned {
            let n = l.paths.len();
            let live = l.metric < INFINITY;
            l.paths.retain(|p| {
                let keep = ifaces
                    .get(p.iface)
                    .is_some_and(|i| i.enabled && i.net.is_some_and(|n| n.contains(p.via)));
                if !keep && live {
                    self.notes.push_back(Note::InterfaceDown {
                        dest: *dest,
                        via: p.via,
                        iface: ifaces
                            .get(p.iface)
                            .map_or_else(String::new, |i| i.name.clone()),
                    });
                }
                keep
            });
            if l.paths.len() != n {
                self.rib_touched.insert(*dest);
            }
            if l.paths.is_empty() {
                gone.push(*dest);
                if live {
                    dropped.push(Entry::route(*dest, INFINITY));
                }
            } else if l.paths.len() != n {
                self.changed.insert(*dest);
            }
        }
        self.ifaces = ifaces;
        for d in gone {
            self.learned.remove(&d);
            self.rib_changed = true;
        }
        // RFC 2453 §3.9.1: an interface starting to speak RIP asks its
        // neighbours for their whole tables.
        for k in self.speaking() {
            if starting || !was_speaking.contains(&k) {
                self.out.push_back(Transmit {
                    iface: k,
                    dst: GROUP,
                    repr: Repr::request_all(),
                    triggered: false,
                });
            }
        }
        if starting {
            self.next_update = Some(now + UPDATE - self.jitter());
            self.send_full(None);
            self.rib_changed = true;
        } else if before != self.advertised_connected() || old_settings != self.settings {
            // A network no longer connected is poisoned at once (metric 16).
            let now_nets: Vec<Ipv4Net> = self
                .advertised_connected()
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            let mut lost: Vec<Entry> = before
                .iter()
                .filter(|(n, _)| !now_nets.contains(n))
                .map(|(n, _)| Entry::route(*n, INFINITY))
                .collect();
            lost.append(&mut dropped);
            if !lost.is_empty() {
                for k in self.speaking() {
                    push_to(&mut self.out, k, GROUP, lost.clone(), true);
                }
            }
            self.send_full(None);
            self.rib_changed = true;
        } else {
            if !dropped.is_empty() {
                for k in self.speaking() {
                    push_to(&mut self.out, k, GROUP, dropped.clone(), true);
                }
            }
            self.send_triggered();
        }
    }

    /// The interfaces updates go out of.
    fn speaking(&self) -> Vec<usize> {
        (0..self.ifaces.len())
            .filter(|&k| {
                let i = &self.ifaces[k];
                i.enabled && !i.passive && i.net.is_some()
            })
            .collect()
    }

    fn advertised_connected(&self) -> Vec<(Ipv4Net, usize)> {
        self.ifaces
            .iter()
            .enumerate()
            .filter(|(_, i)| i.enabled)
            .filter_map(|(k, i)| Some((i.net?.trunc(), k)))
            .collect()
    }

    fn is_connected(&self, dest: Ipv4Net) -> bool {
        self.ifaces
            .iter()
            .any(|i| i.net.is_some_and(|n| n.trunc() == dest))
    }

    fn send_full(&mut self, only: Option<(usize, Ipv4Addr)>) {
        let targets: Vec<(usize, Ipv4Addr)> = match only {
            Some(t) => vec![t],
            None => self.speaking().into_iter().map(|k| (k, GROUP)).collect(),
        };
        for (k, dst) in targets {
            let entries = self.entries_for(k, true, self.learned.iter());
            push_to(&mut self.out, k, dst, entries, false);
        }
    }

    fn send_triggered(&mut self) {
        self.changed.compact();
        // The changed routes still known, looked up once for every interface.
        let learned: Vec<(&Ipv4Net, &Learned)> = self
            .changed
            .sorted()
            .iter()
            .filter_map(|d| Some((d, self.learned.get(d)?)))
            .collect();
        if !learned.is_empty() {
            for k in self.speaking() {
                let entries = self.entries_for(k, false, learned.iter().copied());
                push_to(&mut self.out, k, GROUP, entries, true);
            }
        }
        self.changed.clear();
    }

    /// A RIP message from `src` arrived on interface `iface` (RFC 2453
    /// §3.9: requests answered, responses merged into the database).
    pub fn handle_message(&mut self, now: SimTime, iface: usize, src: Ipv4Addr, repr: &Repr) {
        let Some(i) = self.ifaces.get(iface) else {
            return;
        };
        let Some(net) = i.net.filter(|_| i.enabled) else {
            return;
        };
        // RFC 2453 §3.9.2: "the datagram's IPv4 source address should be
        // checked to see whether the datagram is from a valid neighbor".
        if !net.contains(src) || net.addr == src {
            self.notes.push_back(Note::NotNeighbour {
                from: src,
                iface: i.name.clone(),
            });
            return;
        }
        match repr.command {
            Command::Request => {
                if !i.passive {
                    self.send_full(Some((iface, src)));
                    self.notes.push_back(Note::AnsweredRequest { to: src });
                }
            }
            Command::Response => {
                for e in &repr.entries {
                    self.merge(now, iface, src, e);
                }
                self.send_triggered();
            }
            Command::Unknown(_) => {}
        }
    }

    /// When [`Rip::handle_timeout`] is next due.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        let mut t = self.next_update?;
        // Nothing expires before `heard_since + INVALID` (a held-down route
        // is flushed FLUSH after its last path was heard, later still): when
        // that is after the periodic update, the update is next.
        if self.heard_since.get() + INVALID >= t {
            return Some(t);
        }
        let mut heard: Option<SimTime> = None;
        for l in self.learned.values() {
            for p in &l.paths {
                heard = Some(heard.map_or(p.updated, |h| h.min(p.updated)));
            }
            if l.metric >= INFINITY {
                if let Some(f) = l.flush_at {
                    t = t.min(f);
                }
            } else {
                for p in &l.paths {
                    t = t.min(p.updated + INVALID);
                }
            }
        }
        // Paths are heard at the current time or later: the bound holds.
        if let Some(h) = heard {
            self.heard_since.set(h);
        }
        Some(t)
    }

    /// Runs the timers: periodic updates, invalid routes into holddown,
    /// held-down routes flushed.
    pub fn handle_timeout(&mut self, now: SimTime) {
        let mut flushed = Vec::new();
        for (dest, l) in &mut self.learned {
            if l.metric >= INFINITY {
                if l.flush_at.is_some_and(|f| f <= now) {
                    flushed.push(*dest);
                }
                continue;
            }
            let n = l.paths.len();
            let last = l.paths.iter().map(|p| p.updated).max().unwrap_or(now);
            let expired: Vec<Path> = l
                .paths
                .iter()
                .filter(|p| p.updated + INVALID <= now)
                .copied()
                .collect();
            if expired.is_empty() {
                continue;
            }
            if expired.len() == n {
                l.paths = vec![expired[expired.len() - 1]];
                l.hold_down(now, last);
                self.notes.push_back(Note::Invalid {
                    dest: *dest,
                    via: l.paths[0].via,
                });
            } else {
                l.paths.retain(|p| p.updated + INVALID > now);
                for p in expired {
                    self.notes.push_back(Note::PathLost {
                        dest: *dest,
                        via: p.via,
                    });
                }
            }
            self.changed.insert(*dest);
            self.rib_touched.insert(*dest);
            self.rib_changed = true;
        }
        for d in flushed {
            self.learned.remove(&d);
            self.rib_touched.insert(d);
            self.notes.push_back(Note::Flushed { dest: d });
        }
        if self.next_update.is_some_and(|t| t <= now) {
            self.next_update = Some(now + UPDATE - self.jitter());
            self.changed.clear();
            self.send_full(None);
        } else {
            self.send_triggered();
        }
    }

    /// The next message to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.out.pop_front()
    }

    /// The next note (the engine's reasons).
    pub fn poll_note(&mut self) -> Option<Note> {
        self.notes.pop_front()
    }

    /// Whether the routes for the routing table changed since the last call.
    pub fn take_rib_changed(&mut self) -> bool {
        std::mem::take(&mut self.rib_changed)
    }

    /// The usable routes, for `RouteTable::replace_protocol_routes`.
    pub fn rib_routes(&self) -> Vec<Route> {
        let mut v = Vec::new();
        for (dest, l) in &self.learned {
            push_routes(&mut v, *dest, l);
        }
        v
    }

    /// The prefixes whose routes changed or were refreshed since the last
    /// call, each with its usable routes now (none: it went), for
    /// `RouteTable::replace_protocol_routes_for`. Applied after every
    /// change ([`Rip::take_rib_changed`]), they keep the table's RIP
    /// routes equal to [`Rip::rib_routes`] without rebuilding them all.
    pub fn take_rib_updates(&mut self) -> Vec<(Ipv4Net, Vec<Route>)> {
        let mut all = Vec::new();
        self.drain_rib_updates(|d, routes| all.push((d, routes.to_vec())));
        all
    }

    /// [`Rip::take_rib_updates`] without a vector per prefix: `f` gets
    /// each prefix changed or refreshed since the last call, in order,
    /// with its usable routes now.
    pub fn drain_rib_updates(&mut self, mut f: impl FnMut(Ipv4Net, &[Route])) {
        let mut v = Vec::new();
        self.rib_touched.compact();
        for &d in self.rib_touched.sorted() {
            v.clear();
            if let Some(l) = self.learned.get(&d) {
                push_routes(&mut v, d, l);
            }
            f(d, &v);
        }
        self.rib_touched.clear();
    }

    /// The learned routes (`show ip rip database`).
    pub fn database(&self) -> &BTreeMap<Ipv4Net, Learned> {
        &self.learned
    }

    /// The interfaces as last configured.
    pub fn interfaces(&self) -> &[Interface] {
        &self.ifaces
    }

    /// The settings as last configured.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// When the next periodic update goes out.
    pub fn next_update(&self) -> Option<SimTime> {
        self.next_update
    }
}

/// Adds the table routes of one learned prefix (none while held down).
fn push_routes(v: &mut Vec<Route>, dest: Ipv4Net, l: &Learned) {
    if l.metric >= INFINITY {
        return;
    }
    for p in &l.paths {
        v.push(Route::learned(
            RouteOrigin::Rip,
            dest,
            p.via,
            p.iface,
            l.metric,
            p.updated,
        ));
    }
}
