//! A routing table with longest-prefix match (RFC 1812 §5.2.4.3).

use core::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;

use super::ip::Ipv4Net;

/// Where a route came from.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum RouteOrigin {
    /// The network of an interface's own address (`C` in `show ip route`).
    Connected,
    /// Configured by hand (`S`).
    Static,
}

/// One line of the routing table.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    /// The destination network (host bits clear).
    pub dest: Ipv4Net,
    /// The next router, or `None` when the destination is on the link.
    pub next_hop: Option<Ipv4Addr>,
    /// Index of the outgoing interface.
    pub iface: usize,
    /// Connected or static.
    pub origin: RouteOrigin,
}

impl fmt::Display for Route {
    /// `S 10.2.0.0/24 via 10.0.0.2, if 1` (the shape of `show ip route`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = match self.origin {
            RouteOrigin::Connected => 'C',
            RouteOrigin::Static => 'S',
        };
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

/// A routing table: connected and static routes, longest prefix wins.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RouteTable {
    routes: Vec<Route>,
}

impl RouteTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the connected network of an interface address.
    pub fn add_connected(&mut self, iface: usize, addr: Ipv4Net) {
        self.insert(Route {
            dest: addr.trunc(),
            next_hop: None,
            iface,
            origin: RouteOrigin::Connected,
        });
    }

    /// Adds a static route; the interface is found through the connected
    /// routes. Returns `false` (and adds nothing) when the next hop is on
    /// no connected network.
    pub fn add_static(&mut self, dest: Ipv4Net, next_hop: Ipv4Addr) -> bool {
        let Some(iface) = self
            .routes
            .iter()
            .filter(|r| r.origin == RouteOrigin::Connected && r.dest.contains(next_hop))
            .max_by_key(|r| r.dest.prefix)
            .map(|r| r.iface)
        else {
            return false;
        };
        self.insert(Route {
            dest: dest.trunc(),
            next_hop: Some(next_hop),
            iface,
            origin: RouteOrigin::Static,
        });
        true
    }

    fn insert(&mut self, r: Route) {
        self.routes
            .retain(|x| x.dest != r.dest || x.origin != r.origin);
        self.routes.push(r);
        // Longest prefix first; connected before static at equal length.
        self.routes.sort_by(|a, b| {
            b.dest
                .prefix
                .cmp(&a.dest.prefix)
                .then(a.origin.cmp(&b.origin))
                .then(a.dest.addr.cmp(&b.dest.addr))
        });
    }

    /// The best route to `dst`.
    pub fn lookup(&self, dst: Ipv4Addr) -> Option<&Route> {
        self.routes.iter().find(|r| r.dest.contains(dst))
    }

    /// All routes, longest prefix first.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// Removes everything.
    pub fn clear(&mut self) {
        self.routes.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
