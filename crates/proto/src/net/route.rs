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
    /// Every candidate, winners and losers.
    candidates: Vec<Route>,
    /// The winners, longest prefix first (then by address, then next hop).
    installed: Vec<Route>,
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
        self.candidates.push(base);
        if addr.prefix < 32 {
            self.candidates.push(Route {
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
        self.candidates.push(Route {
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
        self.candidates.retain(|r| r.origin.source() != src);
        self.candidates
            .extend(
                routes
                    .into_iter()
                    .filter(|r| r.origin.source() == src)
                    .map(|mut r| {
                        r.dest = r.dest.trunc();
                        r
                    }),
            );
        self.rebuild();
    }

    /// Removes the connected, local and static routes (before an interface
    /// or `ip route` change adds them again); protocol routes stay.
    pub fn clear_configured(&mut self) {
        self.candidates
            .retain(|r| !matches!(r.origin.source(), Source::Connected | Source::Static));
        self.rebuild();
    }

    fn rebuild(&mut self) {
        let mut all = self.candidates.clone();
        // Per prefix: lowest distance, then lowest metric, then a stable order.
        all.sort_by(|a, b| {
            (a.dest.addr, a.dest.prefix, a.distance, a.metric, a.origin)
                .cmp(&(b.dest.addr, b.dest.prefix, b.distance, b.metric, b.origin))
                .then(a.next_hop.cmp(&b.next_hop))
                .then(a.iface.cmp(&b.iface))
        });
        all.dedup_by(|b, a| {
            a.dest == b.dest
                && a.next_hop == b.next_hop
                && a.iface == b.iface
                && a.origin == b.origin
        });
        let mut installed: Vec<Route> = Vec::with_capacity(all.len());
        let mut i = 0;
        while i < all.len() {
            let best = all[i];
            let mut j = i;
            while j < all.len() && all[j].dest == best.dest {
                let r = all[j];
                let paths = j - i;
                if r.distance == best.distance
                    && r.metric == best.metric
                    && r.origin == best.origin
                    && paths < MAX_PATHS
                {
                    installed.push(r);
                }
                j += 1;
            }
            i = j;
        }
        installed.sort_by(|a, b| {
            b.dest
                .prefix
                .cmp(&a.dest.prefix)
                .then(a.dest.addr.cmp(&b.dest.addr))
                .then(a.next_hop.cmp(&b.next_hop))
                .then(a.iface.cmp(&b.iface))
        });
        self.installed = installed;
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
    /// route beaten by OSPF).
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
mod tests {
    use super::*;

    fn net(s: &str) -> Ipv4Net {
        s.parse().unwrap()
    }

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    #[test]
    fn longest_prefix_wins() {
        let mut t = RouteTable::new();
        t.add_connected(0, "10.0.0.1/24".parse().unwrap());
        t.add_connected(1, "192.168.1.1/24".parse().unwrap());
        assert!(t.add_static("0.0.0.0/0".parse().unwrap(), Ipv4Addr::new(10, 0, 0, 254)));
        assert!(t.add_static(
            "172.16.5.0/24".parse().unwrap(),
            Ipv4Addr::new(192, 168, 1, 2)
        ));
        assert!(!t.add_static("172.17.0.0/16".parse().unwrap(), Ipv4Addr::new(8, 8, 8, 8)));
        let r = t.lookup(Ipv4Addr::new(172, 16, 5, 9)).unwrap();
        assert_eq!(
            (r.iface, r.next_hop),
            (1, Some(Ipv4Addr::new(192, 168, 1, 2)))
        );
        let r = t.lookup(Ipv4Addr::new(192, 168, 1, 77)).unwrap();
        assert_eq!((r.iface, r.next_hop), (1, None));
        let r = t.lookup(Ipv4Addr::new(8, 8, 8, 8)).unwrap();
        assert_eq!(r.next_hop, Some(Ipv4Addr::new(10, 0, 0, 254)));
        assert_eq!(r.to_string(), "S 0.0.0.0/0 via 10.0.0.254, if 0");
        t.clear();
        assert!(t.lookup(Ipv4Addr::new(8, 8, 8, 8)).is_none());
    }

    #[test]
    fn connected_adds_local() {
        let mut t = RouteTable::new();
        t.add_connected(0, net("10.0.0.1/24"));
        let r = t.lookup(ip("10.0.0.1")).unwrap();
        assert_eq!((r.origin, r.dest), (RouteOrigin::Local, net("10.0.0.1/32")));
        assert_eq!(
            t.lookup(ip("10.0.0.9")).unwrap().origin,
            RouteOrigin::Connected
        );
    }

    #[test]
    fn lowest_distance_wins_and_the_floating_static_returns() {
        let mut t = RouteTable::new();
        t.add_connected(0, net("10.0.12.1/24"));
        t.add_connected(1, net("10.0.13.1/24"));
        let dest = net("192.168.3.0/24");
        // Floating static via R3, distance 200.
        assert!(t.add_static_with_distance(dest, ip("10.0.13.3"), 200));
        assert_eq!(t.lookup(ip("192.168.3.1")).unwrap().distance, 200);
        // RIP learns it via R2: 120 < 200.
        let rip = Route::learned(
            RouteOrigin::Rip,
            dest,
            ip("10.0.12.2"),
            0,
            2,
            SimTime::from_secs(5),
        );
        t.replace_protocol_routes(RouteOrigin::Rip, vec![rip]);
        let r = t.lookup(ip("192.168.3.1")).unwrap();
        assert_eq!((r.origin, r.distance, r.metric), (RouteOrigin::Rip, 120, 2));
        assert_eq!(t.candidates().len(), 2 + 2 + 2);
        // OSPF beats RIP (110 < 120); RIP stays a candidate.
        let o = Route::learned(
            RouteOrigin::Ospf,
            dest,
            ip("10.0.13.3"),
            1,
            20,
            SimTime::ZERO,
        );
        t.replace_protocol_routes(RouteOrigin::Ospf, vec![o]);
        assert_eq!(
            t.lookup(ip("192.168.3.1")).unwrap().origin,
            RouteOrigin::Ospf
        );
        t.replace_protocol_routes(RouteOrigin::Ospf, vec![]);
        assert_eq!(
            t.lookup(ip("192.168.3.1")).unwrap().origin,
            RouteOrigin::Rip
        );
        // RIP loses the route: the floating static is back.
        t.replace_protocol_routes(RouteOrigin::Rip, vec![]);
        let r = t.lookup(ip("192.168.3.1")).unwrap();
        assert_eq!((r.origin, r.distance), (RouteOrigin::Static, 200));
        // A static route with distance 1 beats RIP.
        assert!(t.add_static(dest, ip("10.0.12.9")));
        t.replace_protocol_routes(RouteOrigin::Rip, vec![rip]);
        let r = t.lookup(ip("192.168.3.1")).unwrap();
        assert_eq!(
            (r.origin, r.next_hop),
            (RouteOrigin::Static, Some(ip("10.0.12.9")))
        );
    }

    #[test]
    fn equal_cost_paths_split_by_flow() {
        let mut t = RouteTable::new();
        t.add_connected(0, net("10.0.12.1/24"));
        t.add_connected(1, net("10.0.13.1/24"));
        let dest = net("192.168.4.0/24");
        let a = Route::learned(RouteOrigin::Rip, dest, ip("10.0.12.2"), 0, 2, SimTime::ZERO);
        let b = Route::learned(RouteOrigin::Rip, dest, ip("10.0.13.3"), 1, 2, SimTime::ZERO);
        let worse = Route::learned(RouteOrigin::Rip, dest, ip("10.0.13.4"), 1, 3, SimTime::ZERO);
        t.replace_protocol_routes(RouteOrigin::Rip, vec![b, worse, a]);
        let paths: Vec<_> = t.routes().iter().filter(|r| r.dest == dest).collect();
        assert_eq!(paths.len(), 2);
        assert_eq!(paths[0].next_hop, Some(ip("10.0.12.2")));
        let mut used = [0usize; 2];
        for h in 1..=40u8 {
            let src = Ipv4Addr::new(192, 168, 1, h);
            let r = t.lookup_flow(src, ip("192.168.4.10")).unwrap();
            // The same flow always takes the same path.
            assert_eq!(r, t.lookup_flow(src, ip("192.168.4.10")).unwrap());
            used[r.iface] += 1;
        }
        assert!(used[0] > 0 && used[1] > 0, "{used:?}");
    }

    #[test]
    fn replace_leaves_other_protocols_and_ignores_foreign_origins() {
        let mut t = RouteTable::new();
        t.add_connected(0, net("10.0.12.1/24"));
        let o = Route::learned(
            RouteOrigin::Ospf,
            net("1.0.0.0/8"),
            ip("10.0.12.2"),
            0,
            2,
            SimTime::ZERO,
        );
        let ia = Route::learned(
            RouteOrigin::OspfInterArea,
            net("2.0.0.0/8"),
            ip("10.0.12.2"),
            0,
            3,
            SimTime::ZERO,
        );
        let r = Route::learned(
            RouteOrigin::Rip,
            net("3.0.0.0/8"),
            ip("10.0.12.2"),
            0,
            1,
            SimTime::ZERO,
        );
        t.replace_protocol_routes(RouteOrigin::Ospf, vec![o, ia, r]);
        assert!(
            t.lookup(ip("3.1.1.1")).is_none(),
            "a RIP route passed as OSPF is ignored"
        );
        t.replace_protocol_routes(RouteOrigin::Rip, vec![r]);
        assert_eq!(t.routes().len(), 2 + 3);
        t.replace_protocol_routes(RouteOrigin::OspfInterArea, vec![]);
        assert_eq!(t.routes().len(), 2 + 1);
        t.clear_configured();
        assert_eq!(t.routes().len(), 1);
    }
}
