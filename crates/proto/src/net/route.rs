//! The routing table (RIB) of a router, the way Cisco IOS keeps it: every
//! source offers candidate routes (connected, local, static, RIP, OSPF);
//! per prefix the candidates with the lowest administrative distance are
//! installed, several of them when their metrics tie (equal-cost
//! multipath); forwarding takes the longest installed prefix (RFC 1812
//! §5.2.4.3). Losing candidates are kept, so a floating static route
//! (`ip route … 200`) comes back when the protocol route that beat it goes.
//!
//! Routing protocols own their candidates as a set:
//! [`RouteTable::replace_protocol_routes`] swaps a protocol's whole set at
//! once after each of its computations. [`show`] renders `show ip route`.

use core::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;

use super::ip::Ipv4Net;
use crate::SimTime;

pub mod show;

/// Where a route came from (the code in front of a `show ip route` line).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RouteOrigin {
    /// The network of an interface's own address (`C`).
    Connected,
    /// The interface's own address as a /32 (`L`).
    Local,
    /// Configured by hand with `ip route` (`S`).
    Static,
    /// Learned from RIP (`R`).
    Rip,
    /// OSPF, inside the area (`O`).
    Ospf,
    /// OSPF, from another area through an ABR (`O IA`).
    OspfInterArea,
    /// OSPF external type 2 (`O E2`).
    OspfExternal2,
}

/// Which source owns a set of candidates: the OSPF origins share one.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
enum Source {
    Connected,
    Static,
    Rip,
    Ospf,
}

impl RouteOrigin {
    /// The code `show ip route` prints: `C`, `L`, `S`, `R`, `O`, `O IA`, `O E2`.
    pub fn code(self) -> &'static str {
        match self {
            RouteOrigin::Connected => "C",
            RouteOrigin::Local => "L",
            RouteOrigin::Static => "S",
            RouteOrigin::Rip => "R",
            RouteOrigin::Ospf => "O",
            RouteOrigin::OspfInterArea => "O IA",
            RouteOrigin::OspfExternal2 => "O E2",
        }
    }

    /// The administrative distance IOS gives this origin by default:
    /// connected and local 0, static 1, OSPF 110, RIP 120.
    pub fn default_distance(self) -> u8 {
        match self {
            RouteOrigin::Connected | RouteOrigin::Local => 0,
            RouteOrigin::Static => 1,
            RouteOrigin::Ospf | RouteOrigin::OspfInterArea | RouteOrigin::OspfExternal2 => 110,
            RouteOrigin::Rip => 120,
        }
    }

    fn source(self) -> Source {
        match self {
            RouteOrigin::Connected | RouteOrigin::Local => Source::Connected,
            RouteOrigin::Static => Source::Static,
            RouteOrigin::Rip => Source::Rip,
            RouteOrigin::Ospf | RouteOrigin::OspfInterArea | RouteOrigin::OspfExternal2 => {
                Source::Ospf
            }
        }
    }
}

/// One path to one destination (an ECMP prefix has one `Route` per path).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    /// The destination network (host bits clear).
    pub dest: Ipv4Net,
    /// The next router, or `None` when the destination is on the link.
    pub next_hop: Option<Ipv4Addr>,
    /// Index of the outgoing interface.
    pub iface: usize,
    /// Which source offered it.
    pub origin: RouteOrigin,
    /// Administrative distance: lower wins between sources (the first
    /// number in `[120/2]`).
    pub distance: u8,
    /// The source's own metric: hops for RIP, cost for OSPF, 0 for
    /// connected and static (the second number in `[120/2]`).
    pub metric: u32,
    /// When the source last learned or refreshed it (the age column of
    /// R and O lines).
    pub since: SimTime,
}

impl Route {
    /// A route learned by a routing protocol, with `origin`'s default
    /// distance.
    pub fn learned(
        origin: RouteOrigin,
        dest: Ipv4Net,
        next_hop: Ipv4Addr,
        iface: usize,
        metric: u32,
        since: SimTime,
    ) -> Self {
        Route {
            dest: dest.trunc(),
            next_hop: Some(next_hop),
            iface,
            origin,
            distance: origin.default_distance(),
            metric,
            since,
        }
    }

    /// Whether this is a default route (`0.0.0.0/0`), a candidate default
    /// (`*` in `show ip route`).
    pub fn is_candidate_default(&self) -> bool {
        self.dest.prefix == 0
    }
}

impl fmt::Display for Route {
    /// `S 10.2.0.0/24 via 10.0.0.2, if 1` (the shape of `show ip route`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.origin.code();
        match self.next_hop {
            Some(h) => write!(f, "{code} {} via {h}, if {}", self.dest, self.iface),
            None => write!(
                f,
                "{code} {} is directly connected, if {}",
                self.dest, self.iface
            ),
        }
    }
}

/// The most equal-cost paths installed for one prefix (IOS `maximum-paths`
/// default for RIP and OSPF).
pub const MAX_PATHS: usize = 4;

/// A routing table: every source's candidates, and the installed winners.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RouteTable {
    /// Every candidate, winners and losers, in table order
    /// ([`table_order`]): one prefix's candidates are adjacent, best first.
    candidates: Vec<Route>,
    /// The winners, longest prefix first (then by address, then next hop).
    installed: Vec<Route>,
}

/// The order candidates are kept in: longest prefix first, then by
/// address (so one prefix's candidates are adjacent and the installed
/// routes come out in `show ip route` order), then the best first: lowest
/// distance, metric, origin, then by next hop and interface.
fn table_order(a: &Route, b: &Route) -> core::cmp::Ordering {
    b.dest
        .prefix
        .cmp(&a.dest.prefix)
        .then(a.dest.addr.cmp(&b.dest.addr))
        .then(a.distance.cmp(&b.distance))
        .then(a.metric.cmp(&b.metric))
        .then(a.origin.cmp(&b.origin))
        .then(a.next_hop.cmp(&b.next_hop))
        .then(a.iface.cmp(&b.iface))
}

/// A prefix's place in [`table_order`] as one number: longest prefix
/// first, then by address.
fn prefix_key(dest: Ipv4Net) -> u64 {
    (u64::from(u8::MAX - dest.prefix) << 32) | u64::from(u32::from(dest.addr))
}

/// Where `dest`'s candidates are (or would go) in a list in [`table_order`].
fn prefix_range(list: &[Route], dest: Ipv4Net) -> (usize, usize) {
    let key = prefix_key(dest);
    let lo = list.partition_point(|r| prefix_key(r.dest) < key);
    // A prefix has a few candidates at most: walked, not searched.
    let n = list[lo..].iter().take_while(|r| r.dest == dest).count();
    (lo, lo + n)
}

/// Puts `new` where `list[lo..hi]` was, in place when the length is the same.
fn put(list: &mut Vec<Route>, lo: usize, hi: usize, new: Vec<Route>) {
    if new.len() == hi - lo {
        list[lo..hi].copy_from_slice(&new);
    } else {
        list.splice(lo..hi, new);
    }
}

/// Adds the winners among one prefix's candidates (in [`table_order`]) to
/// `out`: lowest distance, then lowest metric; ties are equal-cost paths
/// (at most [`MAX_PATHS`]). The same path offered twice counts once.
fn winners(group: &[Route], mut out: impl FnMut(Route)) {
    let Some(best) = group.first() else { return };
    let mut paths = 0;
    let mut last: Option<&Route> = None;
    for r in group {
        if last
            .is_some_and(|a| a.next_hop == r.next_hop && a.iface == r.iface && a.origin == r.origin)
        {
            continue;
        }
        last = Some(r);
        if r.distance == best.distance
            && r.metric == best.metric
            && r.origin == best.origin
            && paths < MAX_PATHS
        {
            out(*r);
        }
        paths += 1;
    }
}

/// Merges two lists sorted in [`table_order`]; on a tie `a`'s route comes first.
fn merge_sorted(a: Vec<Route>, b: Vec<Route>) -> Vec<Route> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for r in a {
        while let Some(x) = b.next_if(|x| table_order(x, &r).is_lt()) {
            out.push(x);
        }
        out.push(r);
    }
    out.extend(b);
    out
}

impl RouteTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the connected network of an interface address (`C`) and, below
    /// /32, the address itself (`L`).
    pub fn add_connected(&mut self, iface: usize, addr: Ipv4Net) {
        let base = Route {
            dest: addr.trunc(),
            next_hop: None,
            iface,
            origin: RouteOrigin::Connected,
            distance: 0,
            metric: 0,
            since: SimTime::ZERO,
        };
        self.insert(base);
        if addr.prefix < 32 {
            self.insert(Route {
                dest: Ipv4Net {
                    addr: addr.addr,
                    prefix: 32,
                },
                origin: RouteOrigin::Local,
                ..base
            });
        }
        self.rebuild();
    }

    /// Adds one candidate in table order (after the equal ones).
    fn insert(&mut self, r: Route) {
        let at = self
            .candidates
            .partition_point(|x| table_order(x, &r).is_le());
        self.candidates.insert(at, r);
    }

    /// Adds a static route with distance 1; see [`RouteTable::add_static_with_distance`].
    pub fn add_static(&mut self, dest: Ipv4Net, next_hop: Ipv4Addr) -> bool {
        self.add_static_with_distance(dest, next_hop, 1)
    }

    /// Adds a static route (`ip route A M H [distance]`); the interface is
    /// found through the connected routes. A distance above a protocol's
    /// makes it a floating static: it is installed only while that
    /// protocol has no route to `dest`. Returns `false` (and adds nothing)
    /// when the next hop is on no connected network.
    pub fn add_static_with_distance(
        &mut self,
        dest: Ipv4Net,
        next_hop: Ipv4Addr,
        distance: u8,
    ) -> bool {
        let Some(iface) = self
            .candidates
            .iter()
            .filter(|r| r.origin == RouteOrigin::Connected && r.dest.contains(next_hop))
            .max_by_key(|r| r.dest.prefix)
            .map(|r| r.iface)
        else {
            return false;
        };
        let dest = dest.trunc();
        self.candidates.retain(|x| {
            !(x.origin == RouteOrigin::Static && x.dest == dest && x.next_hop == Some(next_hop))
        });
        self.insert(Route {
            dest,
            next_hop: Some(next_hop),
            iface,
            origin: RouteOrigin::Static,
            distance,
            metric: 0,
            since: SimTime::ZERO,
        });
        self.rebuild();
        true
    }

    /// Replaces every candidate a routing protocol offered with `routes`:
    /// the protocol's whole current view, computed afresh (after a RIP
    /// update, an SPF run, a timeout).
    ///
    /// `origin` names the protocol: [`RouteOrigin::Rip`] replaces all RIP
    /// routes; any OSPF origin ([`RouteOrigin::Ospf`],
    /// [`RouteOrigin::OspfInterArea`], [`RouteOrigin::OspfExternal2`])
    /// replaces all OSPF routes, of every OSPF origin. Each route keeps its
    /// own `origin` (so OSPF passes `O` and `O IA` routes together) and
    /// `distance` (build them with [`Route::learned`] for the default);
    /// a route of another protocol in `routes` is ignored. Several routes
    /// to one prefix with equal distance and metric are equal-cost paths
    /// (at most [`MAX_PATHS`] are installed). Connected and static routes
    /// of the same prefix are not touched: the lowest distance wins, and
    /// the losers stay as candidates.
    pub fn replace_protocol_routes(&mut self, origin: RouteOrigin, routes: Vec<Route>) {
        let src = origin.source();
        let mut new: Vec<Route> = routes
            .into_iter()
            .filter(|r| r.origin.source() == src)
            .map(|mut r| {
                r.dest = r.dest.trunc();
                r
            })
            .collect();
        // Stable: equal routes keep the order they were given in.
        if !new.is_sorted_by(|a, b| table_order(a, b).is_le()) {
            new.sort_by(table_order);
        }
        let mut others = std::mem::take(&mut self.candidates);
        others.retain(|r| r.origin.source() != src);
        self.candidates = merge_sorted(others, new);
        self.rebuild();
    }

    /// Removes the connected, local and static routes (before an interface
    /// or `ip route` change adds them again); protocol routes stay.
    pub fn clear_configured(&mut self) {
        self.candidates
            .retain(|r| !matches!(r.origin.source(), Source::Connected | Source::Static));
        self.rebuild();
    }

    /// Installs, per prefix, the best candidates. The candidates are in
    /// table order, so one pass does it and the winners come out in `show
    /// ip route` order.
    fn rebuild(&mut self) {
        self.installed.clear();
        let mut rest = &self.candidates[..];
        while let Some(first) = rest.first() {
            let n = rest.partition_point(|r| r.dest == first.dest);
            winners(&rest[..n], |r| self.installed.push(r));
            rest = &rest[n..];
        }
    }

    /// Replaces the candidates a routing protocol offers for one prefix
    /// with `routes` (those to `dest`; others are ignored, as are routes
    /// of another protocol), and installs that prefix's winners again: the
    /// same as [`RouteTable::replace_protocol_routes`] with the protocol's
    /// whole set where only this prefix's routes changed, without
    /// touching the others. Equal routes keep the order they were given in.
    pub fn replace_protocol_routes_for(
        &mut self,
        origin: RouteOrigin,
        dest: Ipv4Net,
        routes: &[Route],
    ) {
        let src = origin.source();
        let dest = dest.trunc();
        let (lo, hi) = prefix_range(&self.candidates, dest);
        let given = || {
            routes
                .iter()
                .filter(move |r| r.origin.source() == src && r.dest.trunc() == dest)
                .map(move |r| Route { dest, ..*r })
        };
        let old = &self.candidates[lo..hi];
        // Most often nothing changed (a route refreshed with the same age).
        let in_order = given().is_sorted_by(|a, b| table_order(a, b).is_le());
        if in_order
            && old
                .iter()
                .filter(|r| r.origin.source() == src)
                .copied()
                .eq(given())
        {
            return;
        }
        let alone = old.iter().all(|r| r.origin.source() == src);
        let n = if in_order && alone && given().count() == old.len() {
            // Only this protocol's routes, as many as before (most often
            // the same paths refreshed): overwritten in place.
            for (slot, r) in self.candidates[lo..hi].iter_mut().zip(given()) {
                *slot = r;
            }
            hi - lo
        } else if in_order && alone {
            // Only this protocol's routes (a prefix learned or a path
            // gained or lost): the given ones are the group.
            let new: Vec<Route> = given().collect();
            let n = new.len();
            self.candidates.splice(lo..hi, new);
            n
        } else {
            let mut new: Vec<Route> = given().collect();
            if !in_order {
                new.sort_by(table_order);
            }
            let others: Vec<Route> = old
                .iter()
                .filter(|r| r.origin.source() != src)
                .copied()
                .collect();
            let group = merge_sorted(others, new);
            let n = group.len();
            put(&mut self.candidates, lo, hi, group);
            n
        };
        // At most MAX_PATHS winners: on the stack.
        let mut won = [None; MAX_PATHS];
        let mut w = 0;
        winners(&self.candidates[lo..lo + n], |r| {
            won[w] = Some(r);
            w += 1;
        });
        let won = won[..w].iter().map(|r| r.expect("filled"));
        let (ilo, ihi) = prefix_range(&self.installed, dest);
        if !self.installed[ilo..ihi].iter().copied().eq(won.clone()) {
            if ihi - ilo == w {
                for (slot, r) in self.installed[ilo..ihi].iter_mut().zip(won) {
                    *slot = r;
                }
            } else {
                self.installed.splice(ilo..ihi, won);
            }
        }
    }

    /// The best route to `dst` (the first path when several are equal).
    pub fn lookup(&self, dst: Ipv4Addr) -> Option<&Route> {
        self.installed.iter().find(|r| r.dest.contains(dst))
    }

    /// The best route to `dst` for a packet from `src`: with equal-cost
    /// paths, one flow (source, destination) always takes the same path,
    /// and different flows spread over the paths (a fixed hash, no
    /// randomness).
    pub fn lookup_flow(&self, src: Ipv4Addr, dst: Ipv4Addr) -> Option<&Route> {
        let first = self.installed.iter().position(|r| r.dest.contains(dst))?;
        let dest = self.installed[first].dest;
        let n = self.installed[first..]
            .iter()
            .take_while(|r| r.dest == dest)
            .count();
        if n == 1 {
            return self.installed.get(first);
        }
        let h = (u32::from(src) ^ u32::from(dst).rotate_left(16)).wrapping_mul(0x9E37_79B1);
        self.installed.get(first + (h >> 16) as usize % n)
    }

    /// The installed routes, longest prefix first; equal-cost paths of one
    /// prefix are adjacent.
    pub fn routes(&self) -> &[Route] {
        &self.installed
    }

    /// Every candidate, installed or not (a floating static waiting, a RIP
    /// route beaten by OSPF), longest prefix first; one prefix's
    /// candidates are adjacent, best first.
    pub fn candidates(&self) -> &[Route] {
        &self.candidates
    }

    /// The installed default route's first path: the gateway of last resort.
    pub fn gateway_of_last_resort(&self) -> Option<&Route> {
        self.installed.iter().find(|r| r.is_candidate_default())
    }

    /// Removes everything.
    pub fn clear(&mut self) {
        self.candidates.clear();
        self.installed.clear();
    }
}

#[cfg(test)]
mod tests;
