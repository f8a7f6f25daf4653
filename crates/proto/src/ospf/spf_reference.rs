//! The first, map-based SPF calculation, kept as the reference the
//! number-indexed [`super::spf::area_spf`] must agree with
//! (`spf_tests.rs`).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::net::Ipv4Addr;

use super::Db;
use super::iface::Iface;
use super::lsa::{LinkType, LsType, Lsa, LsaBody, LsaKey, MAX_AGE};
use super::spf::{Hops, NextHop, OspfRoute, Reached, RouteKind};
use crate::net::ip::{Ipv4Net, mask_to_prefix};

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Vertex {
    Router(Ipv4Addr),
    Net(Ipv4Addr),
}

/// The live router and network LSAs of one area's database by link-state
/// id, read once per run for SPF's many look-ups.
struct Index<'a> {
    /// Router LSAs (id = advertising router), by id.
    routers: Vec<(Ipv4Addr, &'a Lsa)>,
    /// Per network id, its first live network LSA (lowest advertising
    /// router), by id.
    nets: Vec<(Ipv4Addr, &'a Lsa)>,
}

impl<'a> Index<'a> {
    /// The database's LSAs (built from its entries, in its key order:
    /// type, id, advertising router), so both lists come out sorted by id.
    fn new(lsas: &'a [Lsa]) -> Self {
        let mut ix = Index {
            routers: Vec::new(),
            nets: Vec::new(),
        };
        for l in lsas {
            let key = &l.header.key;
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

    fn find(list: &[(Ipv4Addr, &'a Lsa)], id: Ipv4Addr) -> Option<&'a Lsa> {
        list.binary_search_by_key(&id, |(k, _)| *k)
            .ok()
            .map(|i| list[i].1)
    }

    /// The live network LSA with link-state id `id` (the DR's address).
    fn net(&self, id: Ipv4Addr) -> Option<&'a Lsa> {
        Self::find(&self.nets, id)
    }

    /// The live router LSA of router `rid`.
    fn router(&self, rid: Ipv4Addr) -> Option<&'a Lsa> {
        Self::find(&self.routers, rid)
    }
}

fn links(l: &Lsa) -> &[super::lsa::RouterLink] {
    match &l.body {
        LsaBody::Router { links, .. } => links,
        _ => &[],
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

/// The SPF of one area as it was written first (maps keyed by vertex):
/// the reference `area_spf` is checked against.
pub(super) fn area_spf_reference(
    rid: Ipv4Addr,
    area: Ipv4Addr,
    db: &Db,
    ifaces: &[Iface],
) -> (Vec<OspfRoute>, Vec<(Ipv4Addr, Reached)>) {
    let lsas: Vec<Lsa> = db.values().map(|e| e.lsa()).collect();
    let ix = Index::new(&lsas);
    let mut done: BTreeMap<Vertex, (u32, Vec<NextHop>)> = BTreeMap::new();
    let mut best: BTreeMap<Vertex, (u32, Vec<NextHop>)> = BTreeMap::new();
    let mut heap = BinaryHeap::new();
    let root = Vertex::Router(rid);
    best.insert(root, (0, Vec::new()));
    heap.push(Reverse((0u32, root)));
    let port_of = |data: Ipv4Addr| {
        ifaces
            .iter()
            .find(|i| i.cfg.area == area && i.addr() == data)
            .map(|i| i.cfg.port)
    };
    while let Some(Reverse((d, v))) = heap.pop() {
        if done.contains_key(&v) {
            continue;
        }
        let Some((bd, hops)) = best.get(&v).cloned() else {
            continue;
        };
        if bd != d {
            continue;
        }
        done.insert(v, (d, hops.clone()));
        let mut edges: Vec<(Vertex, u32, Vec<NextHop>)> = Vec::new();
        match v {
            Vertex::Router(r) => {
                let Some(lsa) = ix.router(r) else {
                    continue;
                };
                for l in links(lsa) {
                    let (w, ok) = match l.kind {
                        LinkType::PointToPoint => (
                            Vertex::Router(l.id),
                            ix.router(l.id).is_some_and(|wl| {
                                links(wl)
                                    .iter()
                                    .any(|x| x.kind == LinkType::PointToPoint && x.id == r)
                            }),
                        ),
                        LinkType::Transit => (
                            Vertex::Net(l.id),
                            ix.net(l.id).is_some_and(|n| {
                                matches!(&n.body, LsaBody::Network { attached, .. } if attached.contains(&r))
                            }),
                        ),
                        _ => continue,
                    };
                    if !ok || done.contains_key(&w) {
                        continue;
                    }
                    let nh = if v == root {
                        let Some(port) = port_of(l.data) else {
                            continue;
                        };
                        let addr = match w {
                            Vertex::Router(wr) => ifaces
                                .iter()
                                .find(|i| i.cfg.port == port)
                                .and_then(|i| i.nbrs.iter().find(|n| n.rid == wr))
                                .map(|n| n.addr),
                            Vertex::Net(_) => None,
                        };
                        if matches!(w, Vertex::Router(_)) && addr.is_none() {
                            continue;
                        }
                        vec![NextHop { port, addr }]
                    } else {
                        hops.clone()
                    };
                    edges.push((w, d.saturating_add(u32::from(l.metric)), nh));
                }
            }
            Vertex::Net(id) => {
                let Some(lsa) = ix.net(id) else {
                    continue;
                };
                let LsaBody::Network { attached, .. } = &lsa.body else {
                    continue;
                };
                let direct = hops.iter().all(|h| h.addr.is_none());
                for &r in attached {
                    let w = Vertex::Router(r);
                    if done.contains_key(&w) {
                        continue;
                    }
                    let Some(wl) = ix.router(r) else {
                        continue;
                    };
                    let Some(back) = links(wl)
                        .iter()
                        .find(|x| x.kind == LinkType::Transit && x.id == id)
                    else {
                        continue;
                    };
                    let nh = if direct {
                        hops.iter()
                            .map(|h| NextHop {
                                port: h.port,
                                addr: Some(back.data),
                            })
                            .collect()
                    } else {
                        hops.clone()
                    };
                    edges.push((w, d, nh));
                }
            }
        }
        for (w, c, nh) in edges {
            match best.get_mut(&w) {
                Some((bc, bh)) if *bc == c => merge(bh, &nh),
                Some((bc, _)) if *bc < c => {}
                _ => {
                    best.insert(w, (c, nh));
                    heap.push(Reverse((c, w)));
                }
            }
        }
    }
    let mut routes: BTreeMap<Ipv4Net, OspfRoute> = BTreeMap::new();
    let mut add = |dest: Ipv4Net, cost: u32, hops: &[NextHop], source: LsaKey| {
        if hops.is_empty() {
            return;
        }
        let e = routes.entry(dest).or_insert_with(|| OspfRoute {
            dest,
            kind: RouteKind::IntraArea,
            cost,
            next_hops: Vec::new(),
            area,
            source,
        });
        if cost < e.cost {
            e.cost = cost;
            e.next_hops.clear();
            e.source = source;
        }
        if cost == e.cost {
            merge(&mut e.next_hops, hops);
        }
    };
    let mut reached = BTreeMap::new();
    for (v, (d, hops)) in &done {
        match *v {
            Vertex::Router(r) => {
                let Some(lsa) = ix.router(r) else {
                    continue;
                };
                if let LsaBody::Router { flags, .. } = lsa.body
                    && r != rid
                {
                    {
                        reached.insert(
                            r,
                            Reached {
                                cost: *d,
                                hops: Hops::from_slice(hops),
                                flags,
                            },
                        );
                    }
                }
                if r == rid {
                    continue;
                }
                for l in links(lsa).iter().filter(|l| l.kind == LinkType::Stub) {
                    let Ok(p) = mask_to_prefix(l.data) else {
                        continue;
                    };
                    let dest = Ipv4Net {
                        addr: l.id,
                        prefix: p,
                    }
                    .trunc();
                    add(
                        dest,
                        d.saturating_add(u32::from(l.metric)),
                        hops,
                        lsa.header.key,
                    );
                }
            }
            Vertex::Net(id) => {
                if hops.iter().all(|h| h.addr.is_none()) {
                    continue; // directly connected
                }
                let Some(lsa) = ix.net(id) else {
                    continue;
                };
                let LsaBody::Network { mask, .. } = lsa.body else {
                    continue;
                };
                let Ok(p) = mask_to_prefix(mask) else {
                    continue;
                };
                add(
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
    }
    // Networks of this router's own interfaces are connected routes.
    let own: Vec<Ipv4Net> = ifaces
        .iter()
        .filter(|i| i.state != super::iface::IfState::Down)
        .map(|i| i.cfg.addr.trunc())
        .collect();
    let routes = routes
        .into_values()
        .filter(|r| !own.contains(&r.dest))
        .collect();
    (routes, reached.into_iter().collect())
}
