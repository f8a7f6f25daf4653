//! The NAT engine: configuration, translation table and statistics, and the
//! per-packet [`Nat::translate`].

use core::time::Duration;

use super::config::{NatConfig, NatProtocol, NatTarget, NatTimeouts};
use super::env::NatEnv;
use super::outcome::{
    Endpoint, MappingSource, NatDirection, NatDrop, NatOutcome, Translation, Untranslated,
};
use super::show::NatStats;
use super::table::{EntryKind, FlowKey, NatEntry, Table};
use super::wire::{self, L4, Parsed, Side};
use crate::SimTime;

/// A router's NAT: configuration, translation table, statistics.
#[derive(Clone, Debug, Default)]
pub struct Nat {
    config: NatConfig,
    table: Table,
    stats: NatStats,
}

/// The inside global side chosen for a new outbound flow.
struct Mapping {
    global: Endpoint,
    source: MappingSource,
    rule: Option<usize>,
    parent: Option<u64>,
}

fn min_timeout(secs: u32) -> Duration {
    NatTimeouts::secs(secs.max(1))
}

impl Nat {
    /// An engine for `config`, its static entries in the table.
    pub fn new(config: NatConfig) -> Self {
        let mut nat = Nat::default();
        nat.set_config(config);
        nat
    }

    /// The configuration.
    pub fn config(&self) -> &NatConfig {
        &self.config
    }

    /// Replaces the configuration (a live edit): static entries are rebuilt,
    /// dynamic ones stay until they time out or are cleared, as on IOS.
    pub fn set_config(&mut self, config: NatConfig) {
        self.config = config;
        self.table.clear_static();
        for s in &self.config.statics {
            let (kind, protocol, lport, gport) = match s.port {
                Some(p) => (
                    EntryKind::StaticPort,
                    Some(p.protocol),
                    p.local_port,
                    p.global_port,
                ),
                None => (EntryKind::Static, None, 0, 0),
            };
            self.table.insert(NatEntry {
                id: 0,
                kind,
                protocol,
                inside_local: Endpoint::new(s.local, lport),
                inside_global: Endpoint::new(s.global, gport),
                outside: None,
                source: if s.port.is_some() {
                    MappingSource::StaticPort
                } else {
                    MappingSource::Static
                },
                rule: None,
                created: SimTime::ZERO,
                last_used: SimTime::ZERO,
                timeout: None,
                finrst: false,
                children: 0,
                parent: None,
                scheduled: None,
            });
        }
    }

    /// The translation table, in creation order.
    pub fn entries(&self) -> impl Iterator<Item = &NatEntry> {
        self.table.entries().into_iter()
    }

    /// How many entries the table holds (static ones included).
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.table.len() == 0
    }

    /// The counters.
    pub fn stats(&self) -> &NatStats {
        &self.stats
    }

    /// `clear ip nat statistics`.
    pub fn clear_statistics(&mut self) {
        self.stats = NatStats::default();
    }

    /// `clear ip nat translation *`: every dynamic entry goes; returns how many.
    pub fn clear_translations(&mut self) -> usize {
        self.table.clear_dynamic()
    }

    /// When the next entry times out (call [`Nat::handle_timeout`] then).
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.table.next_deadline()
    }

    /// Removes the entries idle past their timeout at `now`; returns how many.
    pub fn handle_timeout(&mut self, now: SimTime) -> u64 {
        let n = self.table.expire(now);
        self.stats.expired += n;
        n
    }

    /// Translates one IPv4 packet in place (its length never changes).
    ///
    /// Call it as IOS orders NAT and routing: for a packet arriving on an
    /// `ip nat outside` interface *before* the route lookup (`out_iface`
    /// `None`, or the inside interface if already known), so the route is
    /// looked up for the inside local destination; for a packet from an
    /// `ip nat inside` interface *after* it, with the outside egress
    /// interface. Anything else is [`Untranslated::NotAcrossNat`].
    pub fn translate(
        &mut self,
        now: SimTime,
        packet: &mut [u8],
        in_iface: usize,
        out_iface: Option<usize>,
        env: &(impl NatEnv + ?Sized),
    ) -> NatOutcome {
        self.handle_timeout(now);
        let c = &self.config;
        let dir = if c.is_outside(in_iface) && out_iface.is_none_or(|o| c.is_inside(o)) {
            NatDirection::OutsideToInside
        } else if c.is_inside(in_iface) && out_iface.is_some_and(|o| c.is_outside(o)) {
            NatDirection::InsideToOutside
        } else {
            return NatOutcome::Untranslated(Untranslated::NotAcrossNat);
        };
        let Some(p) = wire::parse(packet) else {
            return NatOutcome::Dropped(NatDrop::Malformed);
        };
        let out = match dir {
            NatDirection::InsideToOutside => self.outbound(now, packet, &p, env),
            NatDirection::OutsideToInside => self.inbound(now, packet, &p, env),
        };
        if let NatOutcome::Translated(t) = &out {
            self.stats.translated += 1;
            if t.created {
                self.stats.misses += 1;
            } else {
                self.stats.hits += 1;
            }
        } else if !matches!(out, NatOutcome::Untranslated(Untranslated::NotAcrossNat)) {
            self.stats.misses += 1;
        }
        if self.table.len() > self.stats.peak {
            self.stats.peak = self.table.len();
            self.stats.peak_at = now;
        }
        out
    }

    fn outbound(
        &mut self,
        now: SimTime,
        pkt: &mut [u8],
        p: &Parsed,
        env: &(impl NatEnv + ?Sized),
    ) -> NatOutcome {
        if let L4::IcmpError { inner: Some(q) } = p.l4 {
            let key = FlowKey(q.proto, q.dst, q.dport, q.src, q.sport);
            if let Some(id) = self.table.find_out(&key) {
                return self.icmp_error(now, pkt, p, id, NatDirection::InsideToOutside);
            }
        }
        let Some((proto, sport, dport)) = p.flow() else {
            return self.address_only(now, pkt, p, NatDirection::InsideToOutside, env);
        };
        let finrst = p.fin_rst();
        if let Some(id) = self
            .table
            .find_out(&FlowKey(proto, p.src, sport, p.dst, dport))
        {
            return self.use_flow(
                now,
                pkt,
                p,
                id,
                finrst,
                false,
                NatDirection::InsideToOutside,
            );
        }
        let m = match self.map_outbound(now, proto, p, sport, env) {
            Ok(Some(m)) => m,
            Ok(None) => {
                return NatOutcome::Untranslated(Untranslated::NotPermitted { source: p.src });
            }
            Err(d) => return NatOutcome::Dropped(d),
        };
        let outside_port = if proto == NatProtocol::Icmp {
            m.global.port
        } else {
            dport
        };
        let id = self.add_flow(
            now,
            proto,
            Endpoint::new(p.src, sport),
            m.global,
            Endpoint::new(p.dst, outside_port),
            (m.source, m.rule, m.parent),
            finrst,
        );
        self.use_flow(now, pkt, p, id, false, true, NatDirection::InsideToOutside)
    }

    /// The inside global endpoint for a new flow from `p.src:sport`:
    /// static port forwarding, address-only entry, then the dynamic rules in order.
    fn map_outbound(
        &mut self,
        now: SimTime,
        proto: NatProtocol,
        p: &Parsed,
        sport: u16,
        env: &(impl NatEnv + ?Sized),
    ) -> Result<Option<Mapping>, NatDrop> {
        if let Some(e) = self.table.port_by_local(proto, p.src, sport) {
            return Ok(Some(Mapping {
                global: e.inside_global,
                source: MappingSource::StaticPort,
                rule: None,
                parent: None,
            }));
        }
        if let Some(e) = self.table.simple_by_local(p.src) {
            let (global, dport) = (e.inside_global.addr, p.flow().map_or(0, |f| f.2));
            let (source, rule) = (e.source.clone(), e.rule);
            let parent = (e.kind == EntryKind::Dynamic).then_some(e.id);
            // The inside port is kept, unless (a misconfiguration) a PAT flow
            // to the same peer already holds it on this address.
            let outside_port = if proto == NatProtocol::Icmp {
                sport
            } else {
                dport
            };
            let taken = self
                .table
                .find_in(&FlowKey(proto, p.dst, outside_port, global, sport))
                .is_some();
            let port = if taken {
                self.table
                    .alloc_port(proto, global, sport)
                    .ok_or(NatDrop::PortsExhausted { addr: global })?
            } else {
                sport
            };
            return Ok(Some(Mapping {
                global: Endpoint::new(global, port),
                source,
                rule,
                parent,
            }));
        }
        let info = p.info();
        let Some(i) = (0..self.config.dynamic.len())
            .find(|&i| env.acl_permits(&self.config.dynamic[i].acl, &info))
        else {
            return Ok(None);
        };
        let rule = self.config.dynamic[i].clone();
        match (&rule.target, rule.overload) {
            (NatTarget::Pool(name), true) => {
                let pool = self.pool(name)?.clone();
                let mut last = pool.first;
                for addr in pool.addresses() {
                    last = addr;
                    if let Some(port) = self.table.alloc_port(proto, addr, sport) {
                        return Ok(Some(Mapping {
                            global: Endpoint::new(addr, port),
                            source: MappingSource::Overload {
                                pool: Some(name.clone()),
                            },
                            rule: Some(i),
                            parent: None,
                        }));
                    }
                }
                *self.stats.pool_misses.entry(name.clone()).or_insert(0) += 1;
                Err(NatDrop::PortsExhausted { addr: last })
            }
            (NatTarget::Pool(name), false) => {
                let pool = self.pool(name)?.clone();
                let Some(addr) = pool.addresses().find(|a| !self.table.global_in_use(*a)) else {
                    *self.stats.pool_misses.entry(name.clone()).or_insert(0) += 1;
                    return Err(NatDrop::PoolExhausted { pool: name.clone() });
                };
                let source = MappingSource::Pool { pool: name.clone() };
                let timeout = Some(min_timeout(self.config.timeouts.address));
                let parent = self.table.insert(NatEntry {
                    id: 0,
                    kind: EntryKind::Dynamic,
                    protocol: None,
                    inside_local: Endpoint::new(p.src, 0),
                    inside_global: Endpoint::new(addr, 0),
                    outside: None,
                    source: source.clone(),
                    rule: Some(i),
                    created: now,
                    last_used: now,
                    timeout,
                    finrst: false,
                    children: 0,
                    parent: None,
                    scheduled: None,
                });
                Ok(Some(Mapping {
                    global: Endpoint::new(addr, sport),
                    source,
                    rule: Some(i),
                    parent: Some(parent),
                }))
            }
            // `interface …` shares the interface's one address: PAT, with or
            // without the `overload` keyword.
            (NatTarget::Interface(iface), _) => {
                let addr = env
                    .interface_addr(*iface)
                    .ok_or(NatDrop::NoInterfaceAddress { iface: *iface })?;
                let port = self
                    .table
                    .alloc_port(proto, addr, sport)
                    .ok_or(NatDrop::PortsExhausted { addr })?;
                Ok(Some(Mapping {
                    global: Endpoint::new(addr, port),
                    source: MappingSource::Overload { pool: None },
                    rule: Some(i),
                    parent: None,
                }))
            }
        }
    }

    fn pool(&self, name: &str) -> Result<&super::config::NatPool, NatDrop> {
        self.config
            .pool(name)
            .ok_or_else(|| NatDrop::PoolUndefined {
                pool: name.to_string(),
            })
    }

    fn inbound(
        &mut self,
        now: SimTime,
        pkt: &mut [u8],
        p: &Parsed,
        env: &(impl NatEnv + ?Sized),
    ) -> NatOutcome {
        if let L4::IcmpError { inner: Some(q) } = p.l4 {
            let key = FlowKey(q.proto, q.dst, q.dport, q.src, q.sport);
            if let Some(id) = self.table.find_in(&key) {
                return self.icmp_error(now, pkt, p, id, NatDirection::OutsideToInside);
            }
        }
        let Some((proto, sport, dport)) = p.flow() else {
            return self.address_only(now, pkt, p, NatDirection::OutsideToInside, env);
        };
        let finrst = p.fin_rst();
        let dir = NatDirection::OutsideToInside;
        if let Some(id) = self
            .table
            .find_in(&FlowKey(proto, p.src, sport, p.dst, dport))
        {
            return self.use_flow(now, pkt, p, id, finrst, false, dir);
        }
        let outside = Endpoint::new(p.src, sport);
        let global = Endpoint::new(p.dst, dport);
        let (local, how) = if let Some(e) = self.table.port_by_global(proto, p.dst, dport) {
            (e.inside_local, (MappingSource::StaticPort, None, None))
        } else if let Some(e) = self.table.simple_by_global(p.dst) {
            let parent = (e.kind == EntryKind::Dynamic).then_some(e.id);
            (
                Endpoint::new(e.inside_local.addr, dport),
                (e.source.clone(), e.rule, parent),
            )
        } else {
            return self.no_entry(p, env);
        };
        let id = self.add_flow(now, proto, local, global, outside, how, finrst);
        self.use_flow(now, pkt, p, id, false, true, dir)
    }

    /// Outside → inside without an entry: dropped if the destination is an
    /// address NAT owns (a pool's, or a static global that is not the
    /// router's own interface address), else left for the router.
    fn no_entry(&self, p: &Parsed, env: &(impl NatEnv + ?Sized)) -> NatOutcome {
        let c = &self.config;
        let router_owns = c
            .outside
            .iter()
            .any(|&o| env.interface_addr(o) == Some(p.dst));
        let nat_owns = c.pools.iter().any(|pool| pool.contains(p.dst))
            || c.statics.iter().any(|s| s.global == p.dst);
        if nat_owns && !router_owns {
            NatOutcome::Dropped(NatDrop::NoMapping {
                source: p.src,
                destination: p.dst,
            })
        } else {
            NatOutcome::Untranslated(Untranslated::NoEntry { destination: p.dst })
        }
    }

    /// A packet without ports (another protocol, a non-echo ICMP message, a
    /// later fragment, an ICMP error about no known flow): translated by an
    /// existing address-only entry (static, or made by a pool rule), else
    /// left alone.
    fn address_only(
        &mut self,
        now: SimTime,
        pkt: &mut [u8],
        p: &Parsed,
        dir: NatDirection,
        env: &(impl NatEnv + ?Sized),
    ) -> NatOutcome {
        let found = match dir {
            NatDirection::InsideToOutside => self.table.simple_by_local(p.src),
            NatDirection::OutsideToInside => self.table.simple_by_global(p.dst),
        }
        .map(|e| {
            (
                e.id,
                e.inside_local.addr,
                e.inside_global.addr,
                e.source.clone(),
            )
        });
        let Some((id, local, global, source)) = found else {
            let protocol = p.protocol;
            return match dir {
                NatDirection::OutsideToInside => self.no_entry(p, env),
                NatDirection::InsideToOutside => {
                    let info = p.info();
                    let permitted = self
                        .config
                        .dynamic
                        .iter()
                        .any(|r| env.acl_permits(&r.acl, &info));
                    if permitted {
                        NatOutcome::Untranslated(Untranslated::Unsupported { protocol })
                    } else {
                        NatOutcome::Untranslated(Untranslated::NotPermitted { source: p.src })
                    }
                }
            };
        };
        self.table.touch(id, now, None);
        let (side, to, peer) = match dir {
            NatDirection::InsideToOutside => (Side::Src, global, p.dst),
            NatDirection::OutsideToInside => (Side::Dst, local, p.src),
        };
        wire::rewrite(pkt, p, side, to, None);
        NatOutcome::Translated(Translation {
            direction: dir,
            protocol: None,
            inside_local: Endpoint::new(local, 0),
            inside_global: Endpoint::new(global, 0),
            outside_local: Endpoint::new(peer, 0),
            outside_global: Endpoint::new(peer, 0),
            source,
            created: false,
            icmp_error: false,
            ip_id: p.ip_id,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn add_flow(
        &mut self,
        now: SimTime,
        proto: NatProtocol,
        local: Endpoint,
        global: Endpoint,
        outside: Endpoint,
        (source, rule, parent): (MappingSource, Option<usize>, Option<u64>),
        finrst: bool,
    ) -> u64 {
        let t = &self.config.timeouts;
        let secs = match proto {
            NatProtocol::Tcp if finrst => t.finrst,
            NatProtocol::Tcp => t.tcp,
            NatProtocol::Udp => match t.dns {
                Some(dns) if outside.port == 53 || local.port == 53 => dns,
                _ => t.udp,
            },
            NatProtocol::Icmp => t.icmp,
        };
        self.table.insert(NatEntry {
            id: 0,
            kind: EntryKind::Extended,
            protocol: Some(proto),
            inside_local: local,
            inside_global: global,
            outside: Some(outside),
            source,
            rule,
            created: now,
            last_used: now,
            timeout: Some(min_timeout(secs)),
            finrst: finrst && proto == NatProtocol::Tcp,
            children: 0,
            parent,
            scheduled: None,
        })
    }

    /// Rewrites a packet of flow entry `id` and refreshes the entry.
    #[allow(clippy::too_many_arguments)]
    fn use_flow(
        &mut self,
        now: SimTime,
        pkt: &mut [u8],
        p: &Parsed,
        id: u64,
        finrst: bool,
        created: bool,
        dir: NatDirection,
    ) -> NatOutcome {
        let fin = finrst.then(|| min_timeout(self.config.timeouts.finrst));
        self.table.touch(id, now, fin);
        let Some(e) = self.table.get(id) else {
            return NatOutcome::Untranslated(Untranslated::NotAcrossNat);
        };
        let (side, to) = match dir {
            NatDirection::InsideToOutside => (Side::Src, e.inside_global),
            NatDirection::OutsideToInside => (Side::Dst, e.inside_local),
        };
        let t = Translation::of_entry(e, dir, created, false, p.ip_id);
        wire::rewrite(pkt, p, side, to.addr, Some(to.port));
        NatOutcome::Translated(t)
    }

    /// An ICMP error about flow `id`: the outer address and the quoted packet.
    fn icmp_error(
        &mut self,
        now: SimTime,
        pkt: &mut [u8],
        p: &Parsed,
        id: u64,
        dir: NatDirection,
    ) -> NatOutcome {
        self.table.touch(id, now, None);
        let Some(e) = self.table.get(id) else {
            return NatOutcome::Untranslated(Untranslated::NotAcrossNat);
        };
        let (side, from, to) = match dir {
            NatDirection::InsideToOutside => (Side::Src, e.inside_local, e.inside_global),
            NatDirection::OutsideToInside => (Side::Dst, e.inside_global, e.inside_local),
        };
        let t = Translation::of_entry(e, dir, false, true, p.ip_id);
        wire::rewrite_icmp_error(pkt, p, side, from.addr, to.addr, to.port);
        NatOutcome::Translated(t)
    }
}
