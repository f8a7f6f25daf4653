//! LSA origination (RFC 2328 §12.4): the router LSA of each area, network
//! LSAs on segments where this router is DR, summary LSAs as an ABR, the
//! external default route; flushing what is no longer true; refresh and
//! aging (§14); and running SPF with its route notes.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::time::Duration;

use super::BACKBONE;
use super::engine::Ospf;
use super::iface::{IfState, NbrState, NetType};
use super::lsa::{
    FLAG_B, FLAG_E, INITIAL_SEQ, LinkType, LsType, Lsa, LsaBody, LsaHeader, LsaKey, MAX_AGE,
    RouterLink,
};
use super::note::OspfNote;
use super::packet::OPT_E;
use super::spf::{self, OspfRoute, RouteKind};
use crate::SimTime;
use crate::net::ip::{Ipv4Net, prefix_to_mask};

/// Delay from a change to the SPF run.
pub const SPF_DELAY: Duration = Duration::from_secs(5);
/// Least time between two SPF runs.
pub const SPF_HOLD: Duration = Duration::from_secs(10);
/// Age at which a router refreshes its own LSAs (LSRefreshTime).
const REFRESH: u16 = 1800;

impl Ospf {
    /// After each event: originate what changed, send what was queued and
    /// work out when the next timer is due.
    pub(super) fn finish(&mut self, now: SimTime) {
        if self.dirty {
            self.dirty = false;
            self.originate(now);
        }
        self.flush_queues(now);
        self.next_at = self.timeout_due();
    }

    pub(super) fn schedule_spf(&mut self, now: SimTime) {
        if self.spf_at.is_none() {
            let mut t = now + SPF_DELAY;
            if let Some(l) = self.last_spf {
                t = t.max(l + SPF_HOLD);
            }
            self.spf_at = Some(t);
        }
    }

    fn desired(&self) -> Vec<(Ipv4Addr, Lsa)> {
        let mut out = Vec::new();
        let mk = |ls_type, id, body| Lsa {
            header: LsaHeader {
                age: 0,
                options: OPT_E,
                key: LsaKey {
                    ls_type,
                    id,
                    adv: self.rid,
                },
                seq: INITIAL_SEQ,
                checksum: 0,
                length: 0,
            },
            body,
        };
        let flags = if self.is_abr() { FLAG_B } else { 0 }
            | if self.default_originate { FLAG_E } else { 0 };
        for &area in self.areas.keys() {
            let mut links = Vec::new();
            for f in self.ifaces.iter().filter(|f| f.cfg.area == area) {
                if f.state == IfState::Down {
                    continue;
                }
                let net = f.cfg.addr.trunc();
                let stub = RouterLink {
                    kind: LinkType::Stub,
                    id: net.addr,
                    data: prefix_to_mask(net.prefix),
                    metric: f.cfg.cost,
                };
                match f.cfg.net {
                    _ if f.cfg.passive => links.push(stub),
                    NetType::PointToPoint => {
                        for n in f.nbrs.iter().filter(|n| n.state == NbrState::Full) {
                            links.push(RouterLink {
                                kind: LinkType::PointToPoint,
                                id: n.rid,
                                data: f.addr(),
                                metric: f.cfg.cost,
                            });
                        }
                        links.push(stub);
                    }
                    NetType::Broadcast => {
                        let full = |a: Ipv4Addr| {
                            f.nbrs
                                .iter()
                                .any(|n| n.addr == a && n.state == NbrState::Full)
                        };
                        let transit = f.state != IfState::Waiting
                            && ((f.state == IfState::Dr
                                && f.nbrs.iter().any(|n| n.state == NbrState::Full))
                                || full(f.dr));
                        links.push(if transit {
                            RouterLink {
                                kind: LinkType::Transit,
                                id: f.dr,
                                data: f.addr(),
                                metric: f.cfg.cost,
                            }
                        } else {
                            stub
                        });
                    }
                }
            }
            out.push((
                area,
                mk(LsType::Router, self.rid, LsaBody::Router { flags, links }),
            ));
        }
        for f in &self.ifaces {
            if f.cfg.net == NetType::Broadcast
                && f.state == IfState::Dr
                && f.nbrs.iter().any(|n| n.state == NbrState::Full)
            {
                let mut attached = vec![self.rid];
                attached.extend(
                    f.nbrs
                        .iter()
                        .filter(|n| n.state == NbrState::Full)
                        .map(|n| n.rid),
                );
                out.push((
                    f.cfg.area,
                    mk(
                        LsType::Network,
                        f.addr(),
                        LsaBody::Network {
                            mask: prefix_to_mask(f.cfg.addr.prefix),
                            attached,
                        },
                    ),
                ));
            }
        }
        if self.is_abr() {
            // Every network of an area, as intra-area routes and own interfaces.
            let mut nets: Vec<(Ipv4Addr, Ipv4Net, u32, bool)> = self
                .routes
                .iter()
                .filter(|r| r.kind != RouteKind::External2)
                .map(|r| (r.area, r.dest, r.cost, r.kind == RouteKind::InterArea))
                .collect();
            for f in self.ifaces.iter().filter(|f| f.state != IfState::Down) {
                nets.push((f.cfg.area, f.cfg.addr.trunc(), u32::from(f.cfg.cost), false));
            }
            for &area in self.areas.keys() {
                let mut best: BTreeMap<Ipv4Net, u32> = BTreeMap::new();
                let intra_here: BTreeSet<Ipv4Net> = nets
                    .iter()
                    .filter(|n| n.0 == area && !n.3)
                    .map(|n| n.1)
                    .collect();
                for &(a, dest, cost, inter) in &nets {
                    if a == area || intra_here.contains(&dest) {
                        continue;
                    }
                    // Inter-area routes go from the backbone into other areas only.
                    if inter && (area == BACKBONE || a != BACKBONE) {
                        continue;
                    }
                    let e = best.entry(dest).or_insert(cost);
                    *e = (*e).min(cost);
                }
                for (dest, cost) in best {
                    out.push((
                        area,
                        mk(
                            LsType::Summary,
                            dest.addr,
                            LsaBody::Summary {
                                mask: prefix_to_mask(dest.prefix),
                                metric: cost,
                            },
                        ),
                    ));
                }
            }
        }
        if self.default_originate {
            out.push((
                BACKBONE,
                mk(
                    LsType::External,
                    Ipv4Addr::UNSPECIFIED,
                    LsaBody::External {
                        mask: Ipv4Addr::UNSPECIFIED,
                        e2: true,
                        metric: 1,
                        forward: Ipv4Addr::UNSPECIFIED,
                        tag: 1,
                    },
                ),
            ));
        }
        out
    }

    /// Originates each LSA whose contents changed (or defers it to the end
    /// of MinLSInterval, §12.4) and flushes own LSAs no longer wanted.
    pub(super) fn originate(&mut self, now: SimTime) {
        let want = self.desired();
        let mut wanted: BTreeSet<(Ipv4Addr, LsaKey)> = BTreeSet::new();
        let mut deferred = Vec::new();
        self.orig_at = None;
        for (area, mut lsa) in want {
            let key = lsa.header.key;
            let scope = if key.ls_type == LsType::External {
                BACKBONE
            } else {
                area
            };
            wanted.insert((scope, key));
            let old = self
                .db_of(area, key.ls_type)
                .and_then(|db| db.get(&key))
                .map(|e| (e.body(), e.age(now), e.header.seq));
            if let Some((body, age, seq)) = &old {
                if *body == lsa.body && *age < MAX_AGE {
                    continue;
                }
                lsa.header.seq = seq.wrapping_add(1);
            }
            if !self.may_originate(now, scope, key) {
                deferred.push((scope, key));
                continue;
            }
            self.put_own(now, area, lsa);
        }
        self.drop_stale_deferrals(&deferred);
        let mut flush = Vec::new();
        for (area, db) in self
            .areas
            .iter()
            .map(|(a, d)| (*a, d))
            .chain([(BACKBONE, &self.external)])
        {
            for (key, e) in db {
                let scope = if key.ls_type == LsType::External {
                    BACKBONE
                } else {
                    area
                };
                let mine = key.adv == self.rid;
                if mine && e.age(now) < MAX_AGE && !wanted.contains(&(scope, *key)) {
                    flush.push((area, e.header, e.bytes.clone()));
                }
            }
        }
        for (area, mut header, bytes) in flush {
            header.age = MAX_AGE;
            let key = header.key;
            self.notes.push_back(OspfNote::Flushed { key });
            self.flood(now, area, None, &header, &bytes, false);
            self.install(now, area, header, bytes, false, None);
        }
    }

    fn put_own(&mut self, now: SimTime, area: Ipv4Addr, mut lsa: Lsa) {
        lsa.header.age = 0;
        let bytes: std::rc::Rc<[u8]> = lsa.to_bytes().into(); // sets length and checksum
        let key = lsa.header.key;
        self.notes.push_back(OspfNote::Originated {
            key,
            seq: lsa.header.seq,
        });
        self.flood(now, area, None, &lsa.header, &bytes, true);
        self.install(now, area, lsa.header, bytes, false, None);
        let scope = if key.ls_type == LsType::External {
            BACKBONE
        } else {
            area
        };
        self.originated(now, scope, key);
    }

    /// Every minute: refresh own LSAs at 30 minutes, flood LSAs reaching
    /// MaxAge, and drop flushed ones nobody still needs.
    pub(super) fn housekeeping(&mut self, now: SimTime) {
        let exchanging = self.ifaces.iter().any(|f| {
            f.nbrs
                .iter()
                .any(|n| matches!(n.state, NbrState::Exchange | NbrState::Loading))
        });
        let mut refresh = Vec::new();
        let mut aged = Vec::new();
        let mut gone = Vec::new();
        for (area, db) in self
            .areas
            .iter()
            .map(|(a, d)| (*a, d))
            .chain([(BACKBONE, &self.external)])
        {
            for (key, e) in db {
                let age = e.age(now);
                if age >= MAX_AGE {
                    if e.header.age < MAX_AGE {
                        aged.push((area, e.header, e.bytes.clone()));
                    } else if !exchanging
                        && !self
                            .ifaces
                            .iter()
                            .any(|f| f.nbrs.iter().any(|n| n.rxmt.contains_key(key)))
                    {
                        gone.push((area, *key));
                    }
                } else if key.adv == self.rid && age >= REFRESH {
                    refresh.push((area, e.lsa()));
                }
            }
        }
        for (area, mut lsa) in refresh {
            lsa.header.seq = lsa.header.seq.wrapping_add(1);
            self.put_own(now, area, lsa);
        }
        for (area, mut header, bytes) in aged {
            header.age = MAX_AGE;
            self.flood(now, area, None, &header, &bytes, false);
            self.install(now, area, header, bytes, false, None);
        }
        for (area, key) in gone {
            if key.ls_type == LsType::External {
                self.external.remove(&key);
            } else if let Some(db) = self.areas.get_mut(&area) {
                db.remove(&key);
            }
        }
    }

    /// Runs SPF over every area, then inter-area and external routes, and
    /// notes what changed.
    pub(super) fn run_spf(&mut self, now: SimTime) {
        self.stats.spf_runs += 1;
        self.last_spf = Some(now);
        // The routes by destination: a list kept sorted (one each),
        // looked up by binary search; an area's routes come sorted, the
        // first area's are the list.
        let mut routes: Vec<OspfRoute> = Vec::new();
        // By area, in area order (the areas' own).
        let mut reached_all: Vec<(Ipv4Addr, spf::ReachedList)> = Vec::new();
        let mut nrouters = 0;
        for (&area, db) in &self.areas {
            let (rs, reached) = spf::area_spf(self.rid, area, db, &self.ifaces);
            nrouters += reached.len();
            if routes.is_empty() {
                routes = rs;
                reached_all.push((area, reached));
                continue;
            }
            for r in rs {
                match routes.binary_search_by_key(&r.dest, |x| x.dest) {
                    Ok(i) if routes[i].cost < r.cost => {}
                    Ok(i) if routes[i].cost == r.cost => {
                        let e = &mut routes[i];
                        for h in r.next_hops {
                            if !e.next_hops.contains(&h) {
                                e.next_hops.push(h);
                            }
                        }
                        e.next_hops.sort();
                    }
                    Ok(i) => routes[i] = r,
                    Err(i) => routes.insert(i, r),
                }
            }
            reached_all.push((area, reached));
        }
        let has = |routes: &[OspfRoute], dest: &Ipv4Net| {
            routes.binary_search_by_key(dest, |x| x.dest).is_ok()
        };
        let own: Vec<Ipv4Net> = self
            .ifaces
            .iter()
            .filter(|f| f.state != IfState::Down)
            .map(|f| f.cfg.addr.trunc())
            .collect();
        // Inter-area (§16.2): an ABR looks at the backbone's summaries only.
        let abr = self.is_abr();
        let mut inter: BTreeMap<Ipv4Net, OspfRoute> = BTreeMap::new();
        for (&area, db) in &self.areas {
            if abr && area != BACKBONE {
                continue;
            }
            let Some((_, reached)) = reached_all.iter().find(|(a, _)| *a == area) else {
                continue;
            };
            for e in db.values() {
                let h = e.header;
                if h.key.ls_type != LsType::Summary
                    || h.key.adv == self.rid
                    || e.age(now) >= MAX_AGE
                {
                    continue;
                }
                let LsaBody::Summary { mask, metric } = e.body() else {
                    continue;
                };
                let Some(r) = spf::reached_router(reached, h.key.adv) else {
                    continue;
                };
                let Ok(p) = crate::net::ip::mask_to_prefix(mask) else {
                    continue;
                };
                if metric >= 0x00ff_ffff {
                    continue;
                }
                let dest = Ipv4Net {
                    addr: h.key.id,
                    prefix: p,
                }
                .trunc();
                if has(&routes, &dest) || own.contains(&dest) {
                    continue;
                }
                let cost = r.cost.saturating_add(metric);
                let route = OspfRoute {
                    dest,
                    kind: RouteKind::InterArea,
                    cost,
                    next_hops: r.hops.as_slice().to_vec(),
                    area,
                    source: h.key,
                };
                match inter.get_mut(&dest) {
                    Some(x) if x.cost < cost => {}
                    Some(x) if x.cost == cost => {
                        for hop in route.next_hops {
                            if !x.next_hops.contains(&hop) {
                                x.next_hops.push(hop);
                            }
                        }
                        x.next_hops.sort();
                    }
                    _ => {
                        inter.insert(dest, route);
                    }
                }
            }
        }
        for (dest, r) in inter {
            upsert(&mut routes, dest, r);
        }
        // AS-external (§16.4), type 2 metrics; ties go to the nearer ASBR.
        let mut ext: BTreeMap<Ipv4Net, (u32, OspfRoute)> = BTreeMap::new();
        for e in self.external.values() {
            let h = e.header;
            if h.key.adv == self.rid || e.age(now) >= MAX_AGE {
                continue;
            }
            let LsaBody::External { mask, metric, .. } = e.body() else {
                continue;
            };
            let Some((area, asbr)) = reached_all
                .iter()
                .filter_map(|(a, m)| spf::reached_router(m, h.key.adv).map(|r| (*a, r)))
                .filter(|(_, r)| spf::is_asbr(r))
                .min_by_key(|(_, r)| r.cost)
            else {
                continue;
            };
            let Ok(p) = crate::net::ip::mask_to_prefix(mask) else {
                continue;
            };
            let dest = Ipv4Net {
                addr: h.key.id,
                prefix: p,
            }
            .trunc();
            if has(&routes, &dest) || metric >= 0x00ff_ffff {
                continue;
            }
            let route = OspfRoute {
                dest,
                kind: RouteKind::External2,
                cost: metric,
                next_hops: asbr.hops.as_slice().to_vec(),
                area,
                source: h.key,
            };
            match ext.get(&dest) {
                Some((c, r)) if (r.cost, *c) <= (metric, asbr.cost) => {}
                _ => {
                    ext.insert(dest, (asbr.cost, route));
                }
            }
        }
        for (dest, (_, r)) in ext {
            upsert(&mut routes, dest, r);
        }
        let new: Vec<OspfRoute> = routes;
        let _ = spf::is_abr;
        // Old and new routes are both sorted by destination, one each:
        // one walk over the two finds what was added, changed or removed.
        debug_assert!(new.windows(2).all(|w| w[0].dest < w[1].dest));
        let mut old = self.routes.iter().peekable();
        let mut removed = Vec::new();
        self.notes.push_back(OspfNote::Spf {
            routers: nrouters,
            routes: new.len(),
        });
        for r in &new {
            while let Some(o) = old.next_if(|o| o.dest < r.dest) {
                removed.push(o.dest);
            }
            match old.next_if(|o| o.dest == r.dest) {
                None => self.notes.push_back(OspfNote::RouteAdded(r.clone())),
                Some(o) if (o.cost, &o.next_hops, o.kind) != (r.cost, &r.next_hops, r.kind) => {
                    self.notes.push_back(OspfNote::RouteChanged(r.clone()))
                }
                _ => {}
            }
        }
        removed.extend(old.map(|o| o.dest));
        self.notes.extend(
            removed
                .into_iter()
                .map(|dest| OspfNote::RouteRemoved { dest }),
        );
        self.routes = new;
        if abr {
            self.dirty = true;
        }
    }
}

/// Puts `r` under `dest` in `routes` (sorted by destination, one each),
/// in place of the route there, as a map by destination would.
fn upsert(routes: &mut Vec<OspfRoute>, dest: Ipv4Net, r: OspfRoute) {
    match routes.binary_search_by_key(&dest, |x| x.dest) {
        Ok(i) => routes[i] = r,
        Err(i) => routes.insert(i, r),
    }
}
