//! The routing table calculation (RFC 2328 §16): Dijkstra over each area's
//! router and network LSAs (§16.1) with equal-cost next hops (§16.1.1),
//! stub networks, then inter-area routes from summary LSAs (§16.2) and the
//! AS-external routes (§16.4, type 2 metrics).

use core::fmt;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::net::Ipv4Addr;

use serde::Serialize;

use super::Db;
use super::engine::Entry;
use super::iface::Iface;
use super::lsa::{FLAG_B, FLAG_E, LinkType, LsType, LsaKey, MAX_AGE};
use crate::net::ip::{Ipv4Net, mask_to_prefix};

/// One way towards a destination.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NextHop {
    /// The outgoing interface (router's index).
    pub port: usize,
    /// The next router's address; `None` when the destination is on the link.
    pub addr: Option<Ipv4Addr>,
}

/// Where an OSPF route comes from (`O`, `O IA`, `O E2` in `show ip route`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum RouteKind {
    /// Inside one of this router's areas.
    IntraArea,
    /// From another area through an ABR's summary LSA.
    InterArea,
    /// From outside OSPF, type 2 metric.
    External2,
}

/// One route SPF found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OspfRoute {
    /// The destination network.
    pub dest: Ipv4Net,
    /// Intra-area, inter-area or external.
    pub kind: RouteKind,
    /// Total cost (the external metric for E2 routes).
    pub cost: u32,
    /// The equal-cost next hops, sorted.
    pub next_hops: Vec<NextHop>,
    /// The area it was found in.
    pub area: Ipv4Addr,
    /// The LSA that advertised the destination.
    pub source: LsaKey,
}

impl fmt::Display for OspfRoute {
    /// `192.168.3.0/24 via 10.0.23.3, cost 2: learned from 3.3.3.3's router LSA`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.dest)?;
        for (i, h) in self.next_hops.iter().enumerate() {
            f.write_str(if i == 0 { " via " } else { " and " })?;
            match h.addr {
                Some(a) => write!(f, "{a}")?,
                None => write!(f, "interface {}", h.port)?,
            }
        }
        write!(
            f,
            ", cost {}: learned from {}'s {} LSA",
            self.cost, self.source.adv, self.source.ls_type
        )
    }
}

/// A router reached in an area: its cost, next hops and flags.
#[derive(Clone, Debug)]
pub(super) struct Reached {
    pub cost: u32,
    pub hops: Hops,
    pub flags: u8,
}

/// Next hops kept in place up to this many (a router has a next hop per
/// neighbour on its way, rarely more than a few).
const INLINE: usize = 4;

/// Filler for the unused places of [`Hops::Inline`].
const NO_HOP: NextHop = NextHop {
    port: 0,
    addr: None,
};

/// A vertex's next hops during SPF, in place while they are few: SPF
/// works out a list per vertex on every run, and an allocation each
/// (and its freeing) cost more than the rest of the work on it.
#[derive(Clone, Debug)]
pub(super) enum Hops {
    /// The first `n` of the array.
    Inline(u8, [NextHop; INLINE]),
    /// More than [`INLINE`].
    Heap(Vec<NextHop>),
}

impl Default for Hops {
    fn default() -> Self {
        Hops::Inline(0, [NO_HOP; INLINE])
    }
}

impl Hops {
    /// These next hops.
    pub fn from_slice(hs: &[NextHop]) -> Self {
        let mut h = Hops::default();
        hs.iter().for_each(|x| h.push(*x));
        h
    }

    /// The next hops, in order.
    pub fn as_slice(&self) -> &[NextHop] {
        match self {
            Hops::Inline(n, h) => &h[..usize::from(*n)],
            Hops::Heap(v) => v,
        }
    }

    fn push(&mut self, x: NextHop) {
        match self {
            Hops::Inline(n, h) if usize::from(*n) < INLINE => {
                h[usize::from(*n)] = x;
                *n += 1;
            }
            Hops::Inline(_, h) => {
                let mut v = h.to_vec();
                v.push(x);
                *self = Hops::Heap(v);
            }
            Hops::Heap(v) => v.push(x),
        }
    }

    fn sort(&mut self) {
        match self {
            Hops::Inline(n, h) => h[..usize::from(*n)].sort(),
            Hops::Heap(v) => v.sort(),
        }
    }
}

/// The live router and network LSAs of one area's database by link-state
/// id, read once per run for SPF's many look-ups.
struct Index<'a> {
    /// Router LSAs (id = advertising router), by id.
    routers: Vec<(Ipv4Addr, &'a Entry)>,
    /// Per network id, its first live network LSA (lowest advertising
    /// router), by id.
    nets: Vec<(Ipv4Addr, &'a Entry)>,
}

impl<'a> Index<'a> {
    /// The database is in key order (type, id, advertising router), so
    /// both lists come out sorted by id.
    fn new(db: &'a Db) -> Self {
        // Room for every LSA in each list: no growing while reading.
        let n = db.iter().size_hint().0;
        let mut ix = Index {
            routers: Vec::with_capacity(n),
            nets: Vec::with_capacity(n),
        };
        for (key, l) in db {
            if l.header.age >= MAX_AGE {
                continue;
            }
            match key.ls_type {
                LsType::Router if key.id == key.adv => ix.routers.push((key.id, l)),
                LsType::Network if ix.nets.last().is_none_or(|(id, _)| *id != key.id) => {
                    ix.nets.push((key.id, l));
                }
                _ => {}
            }
        }
        ix
    }

    /// The vertex number of router `rid` (its place in `routers`).
    fn router_vertex(&self, rid: Ipv4Addr) -> Option<usize> {
        self.routers.binary_search_by_key(&rid, |(k, _)| *k).ok()
    }

    /// The vertex number of network `id`: after the routers, in `nets` order.
    fn net_vertex(&self, id: Ipv4Addr) -> Option<usize> {
        self.nets
            .binary_search_by_key(&id, |(k, _)| *k)
            .ok()
            .map(|i| self.routers.len() + i)
    }
}

/// The next hops an edge gives the vertex it reaches.
#[derive(Copy, Clone, Debug)]
enum Via {
    /// An edge from the root: this one next hop.
    Own(NextHop),
    /// The next hops of the vertex the edge leaves.
    Parent,
    /// From a network the root is on: its next hops (interfaces), each
    /// towards this router address on the network.
    Direct(Ipv4Addr),
}

/// Calls `f` with each next hop `via` gives, from the parent's `hops`.
fn each_hop(hops: &[NextHop], via: Via, mut f: impl FnMut(NextHop)) {
    match via {
        Via::Own(h) => f(h),
        Via::Parent => hops.iter().copied().for_each(f),
        Via::Direct(addr) => hops.iter().for_each(|h| {
            f(NextHop {
                port: h.port,
                addr: Some(addr),
            })
        }),
    }
}

fn merge(v: &mut Vec<NextHop>, more: &[NextHop]) {
    for h in more {
        if !v.contains(h) {
            v.push(*h);
        }
    }
    v.sort();
}

/// The routers an area's SPF reached, by router id (sorted).
pub(super) type ReachedList = Vec<(Ipv4Addr, Reached)>;

/// Router `rid` in `reached`, if reached.
pub(super) fn reached_router(reached: &[(Ipv4Addr, Reached)], rid: Ipv4Addr) -> Option<&Reached> {
    reached
        .binary_search_by_key(&rid, |(r, _)| *r)
        .ok()
        .map(|i| &reached[i].1)
}

/// Runs Dijkstra in one area; returns the routes found there and the
/// routers reached (a list by router id: the vertices are walked in that
/// order, no map is built).
///
/// Vertices are numbered (routers by id, then networks by id, the order
/// of the first, map-based version's vertex keys) so that the working sets
/// are vectors; ties in the queue break the same way.
pub(super) fn area_spf(
    rid: Ipv4Addr,
    area: Ipv4Addr,
    db: &Db,
    ifaces: &[Iface],
) -> (Vec<OspfRoute>, ReachedList) {
    let ix = Index::new(db);
    let Some(root) = ix.router_vertex(rid) else {
        // Without its own router LSA the root reaches nothing.
        return (Vec::new(), Vec::new());
    };
    let nr = ix.routers.len();
    let n = nr + ix.nets.len();
    let mut done: Vec<Option<(u32, Hops)>> = vec![None; n];
    let mut best: Vec<Option<(u32, Hops)>> = vec![None; n];
    let mut heap = BinaryHeap::new();
    best[root] = Some((0, Hops::default()));
    heap.push(Reverse((0u32, root)));
    let port_of = |data: Ipv4Addr| {
        ifaces
            .iter()
            .find(|i| i.cfg.area == area && i.addr() == data)
            .map(|i| i.cfg.port)
    };
    let mut edges: Vec<(usize, u32, Via)> = Vec::new();
    while let Some(Reverse((d, v))) = heap.pop() {
        if done[v].is_some() {
            continue;
        }
        let Some((bd, _)) = &best[v] else {
            continue;
        };
        if *bd != d {
            continue;
        }
        // Once done, a vertex's `best` is not looked at again.
        let hops = best[v].take().map(|(_, h)| h).unwrap_or_default();
        done[v] = Some((d, Hops::default()));
        edges.clear();
        if v < nr {
            let (r, lsa) = ix.routers[v];
            for l in lsa.links() {
                let w = match l.kind {
                    LinkType::PointToPoint => {
                        let Some(w) = ix.router_vertex(l.id) else {
                            continue;
                        };
                        let back = ix.routers[w].1.link_to(LinkType::PointToPoint, r);
                        if back.is_none() {
                            continue;
                        }
                        w
                    }
                    LinkType::Transit => {
                        let Some(w) = ix.net_vertex(l.id) else {
                            continue;
                        };
                        let on = ix.nets[w - nr].1.attaches(r);
                        if !on {
                            continue;
                        }
                        w
                    }
                    _ => continue,
                };
                if done[w].is_some() {
                    continue;
                }
                let via = if v == root {
                    let Some(port) = port_of(l.data) else {
                        continue;
                    };
                    let addr = if w < nr {
                        let wr = ix.routers[w].0;
                        let addr = ifaces
                            .iter()
                            .find(|i| i.cfg.port == port)
                            .and_then(|i| i.nbrs.iter().find(|n| n.rid == wr))
                            .map(|n| n.addr);
                        if addr.is_none() {
                            continue;
                        }
                        addr
                    } else {
                        None
                    };
                    Via::Own(NextHop { port, addr })
                } else {
                    Via::Parent
                };
                edges.push((w, d.saturating_add(u32::from(l.metric)), via));
            }
        } else {
            let (id, lsa) = ix.nets[v - nr];
            if lsa.header.key.ls_type == LsType::Network {
                let direct = hops.as_slice().iter().all(|h| h.addr.is_none());
                for r in lsa.attached() {
                    let Some(w) = ix.router_vertex(r) else {
                        continue;
                    };
                    if done[w].is_some() {
                        continue;
                    }
                    let Some(back) = ix.routers[w].1.link_to(LinkType::Transit, id) else {
                        continue;
                    };
                    let via = if direct {
                        Via::Direct(back)
                    } else {
                        Via::Parent
                    };
                    edges.push((w, d, via));
                }
            }
        }
        for &(w, c, via) in &edges {
            match &mut best[w] {
                Some((bc, bh)) if *bc == c => {
                    each_hop(hops.as_slice(), via, |h| {
                        if !bh.as_slice().contains(&h) {
                            bh.push(h);
                        }
                    });
                    bh.sort();
                }
                Some((bc, _)) if *bc < c => {}
                slot => {
                    let mut nh = Hops::default();
                    each_hop(hops.as_slice(), via, |h| nh.push(h));
                    *slot = Some((c, nh));
                    heap.push(Reverse((c, w)));
                }
            }
        }
        done[v] = Some((d, hops));
    }
    // Every way to a destination, in the order found; sorted by
    // destination afterwards and folded as a map by destination would.
    let mut found: Vec<Found<'_>> = Vec::new();
    let mut reached: ReachedList = Vec::new();
    for (v, slot) in done.iter().enumerate() {
        let Some((d, hops)) = slot else {
            continue;
        };
        let hops = hops.as_slice();
        if v < nr {
            let (r, lsa) = ix.routers[v];
            if let Some(flags) = lsa.router_flags()
                && r != rid
            {
                // Routers in id order: the list stays sorted.
                debug_assert!(reached.last().is_none_or(|(l, _)| *l < r));
                reached.push((
                    r,
                    Reached {
                        cost: *d,
                        hops: Hops::from_slice(hops),
                        flags,
                    },
                ));
            }
            if r == rid {
                continue;
            }
            for l in lsa.links().filter(|l| l.kind == LinkType::Stub) {
                let Ok(p) = mask_to_prefix(l.data) else {
                    continue;
                };
                let dest = Ipv4Net {
                    addr: l.id,
                    prefix: p,
                }
                .trunc();
                add_found(
                    &mut found,
                    dest,
                    d.saturating_add(u32::from(l.metric)),
                    hops,
                    lsa.header.key,
                );
            }
        } else {
            if hops.iter().all(|h| h.addr.is_none()) {
                continue; // directly connected
            }
            let (id, lsa) = ix.nets[v - nr];
            let Some(mask) = lsa.net_mask() else {
                continue;
            };
            let Ok(p) = mask_to_prefix(mask) else {
                continue;
            };
            add_found(
                &mut found,
                Ipv4Net {
                    addr: id,
                    prefix: p,
                }
                .trunc(),
                *d,
                hops,
                lsa.header.key,
            );
        }
    }
    // Networks of this router's own interfaces are connected routes.
    let own: Vec<Ipv4Net> = ifaces
        .iter()
        .filter(|i| i.state != super::iface::IfState::Down)
        .map(|i| i.cfg.addr.trunc())
        .collect();
    // A stable sort: ways to one destination stay in the order found, so
    // the first of the cheapest names the source.
    found.sort_by_key(|f| f.dest);
    let mut routes: Vec<OspfRoute> = Vec::with_capacity(found.len());
    for f in found {
        match routes.last_mut() {
            Some(e) if e.dest == f.dest => {
                if f.cost < e.cost {
                    e.cost = f.cost;
                    e.next_hops.clear();
                    e.source = f.source;
                }
                if f.cost == e.cost {
                    merge(&mut e.next_hops, f.hops);
                }
            }
            _ => {
                let mut next_hops = Vec::with_capacity(f.hops.len());
                merge(&mut next_hops, f.hops);
                routes.push(OspfRoute {
                    dest: f.dest,
                    kind: RouteKind::IntraArea,
                    cost: f.cost,
                    next_hops,
                    area,
                    source: f.source,
                });
            }
        }
    }
    routes.retain(|r| !own.contains(&r.dest));
    (routes, reached)
}

/// One way to a destination SPF found: its cost, next hops and the LSA
/// that advertised it.
struct Found<'a> {
    dest: Ipv4Net,
    cost: u32,
    hops: &'a [NextHop],
    source: LsaKey,
}

/// Adds a way found, if it has next hops.
fn add_found<'a>(
    found: &mut Vec<Found<'a>>,
    dest: Ipv4Net,
    cost: u32,
    hops: &'a [NextHop],
    source: LsaKey,
) {
    if !hops.is_empty() {
        found.push(Found {
            dest,
            cost,
            hops,
            source,
        });
    }
}

/// Whether a router in `reached` is an ABR / ASBR.
pub(super) fn is_abr(r: &Reached) -> bool {
    r.flags & FLAG_B != 0
}

/// Whether a reached router is an AS boundary router.
pub(super) fn is_asbr(r: &Reached) -> bool {
    r.flags & FLAG_E != 0
}
