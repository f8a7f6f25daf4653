//! The DNS lookups a host runs for its apps (a mail server's MX queries, a
//! browser's names): one stub resolver per lookup on its own UDP port, its
//! queries sent and its result handed to the app that asked.
//!
//! A lookup is drained (queries out, notes, result) each time something
//! touched it, and only it: a mail server with a thousand MX lookups in
//! flight does not visit them all for each answer. Their retry timers are
//! filed by time ([`Timers`]), so the host's next timeout is not a scan,
//! and only the due ones are visited when it fires. The lookups are kept
//! in the order they started (the order every scan visits them) and found
//! by UDP port through an index, so an answer or a finished lookup costs
//! O(log n), not a search and a shift of a thousand.

use std::collections::BTreeMap;
use std::net::IpAddr;

use lanlab_proto::SimTime;
use lanlab_proto::dns::recursive::Transmit;
use lanlab_proto::dns::{Question, StubConfig, StubLookup};

use crate::device::Ctx;
use crate::device::host::Host;
use crate::services::app::{AppId, UdpDst};
use crate::services::stream::Timers;

/// A lookup in progress: its UDP port, the app that asked, the app's token.
#[derive(Clone, Debug)]
pub(crate) struct PendingLookup {
    pub port: u16,
    pub app: AppId,
    pub token: u64,
    pub stub: StubLookup,
}

/// A lookup's place in the start order.
pub(crate) type Seq = u64;

/// The lookups in progress, in start order, by UDP port, with their retry
/// timers (filed by the caller when it drains one).
#[derive(Clone, Debug, Default)]
pub(crate) struct LookupTable {
    by_seq: BTreeMap<Seq, PendingLookup>,
    by_port: BTreeMap<u16, Seq>,
    next_seq: Seq,
    timers: Timers<u16>,
}

impl LookupTable {
    /// Adds a lookup (its port must be free); returns its place.
    pub(crate) fn push(&mut self, l: PendingLookup) -> Seq {
        let seq = self.next_seq;
        self.next_seq += 1;
        let old = self.by_port.insert(l.port, seq);
        debug_assert!(old.is_none(), "two lookups on one port");
        self.by_seq.insert(seq, l);
        seq
    }

    /// The lookup on UDP port `port`.
    pub(crate) fn on_port(&self, port: u16) -> Option<Seq> {
        self.by_port.get(&port).copied()
    }

    pub(crate) fn get_mut(&mut self, seq: Seq) -> Option<&mut PendingLookup> {
        self.by_seq.get_mut(&seq)
    }

    /// Forgets a lookup and its timer.
    pub(crate) fn remove(&mut self, seq: Seq) -> Option<PendingLookup> {
        let l = self.by_seq.remove(&seq)?;
        self.by_port.remove(&l.port);
        self.timers.set(l.port, None);
        Some(l)
    }

    /// The lookups in start order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Seq, &PendingLookup)> {
        self.by_seq.iter().map(|(k, l)| (*k, l))
    }

    /// Keeps the lookups `keep` says to, re-filing the timers.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&PendingLookup) -> bool) {
        self.by_seq.retain(|_, l| keep(l));
        self.by_port = lanlab_proto::order::map(self.by_seq.iter().map(|(k, l)| (l.port, *k)));
        let mut timers = Timers::default();
        for l in self.by_seq.values() {
            timers.set(l.port, l.stub.poll_timeout());
        }
        self.timers = timers;
    }

    /// Files the retry timer of the lookup on `port`.
    pub(crate) fn set_timer(&mut self, port: u16, t: Option<SimTime>) {
        self.timers.set(port, t);
    }

    /// The earliest retry timer.
    pub(crate) fn first_timer(&self) -> Option<SimTime> {
        self.timers.first()
    }

    /// The lookups whose timer is due at `now`, in start order.
    pub(crate) fn due(&self, now: SimTime) -> Vec<Seq> {
        let mut due: Vec<Seq> = self
            .timers
            .due(now)
            .into_iter()
            .filter_map(|(_, port)| self.on_port(port))
            .collect();
        due.sort_unstable();
        due
    }
}

impl Host {
    pub(super) fn start_lookup(
        &mut self,
        ctx: &mut Ctx<'_>,
        app: AppId,
        token: u64,
        question: Question,
        server: Option<IpAddr>,
    ) {
        let servers: Vec<IpAddr> = match server {
            Some(s) => vec![s],
            None => self.dns_servers().into_iter().map(IpAddr::V4).collect(),
        };
        let port = self.ephemeral_udp();
        let id = self.apps.next_dns_id;
        self.apps.next_dns_id = self.apps.next_dns_id.wrapping_add(1);
        let stub = StubLookup::new(ctx.now, question, StubConfig::new(servers), id);
        let seq = self.apps.lookups.push(PendingLookup {
            port,
            app,
            token,
            stub,
        });
        self.finish_lookup(ctx, seq);
    }

    fn ephemeral_udp(&mut self) -> u16 {
        loop {
            let p = 50000 + self.apps.next_lookup_port % 10000;
            self.apps.next_lookup_port = self.apps.next_lookup_port.wrapping_add(1);
            if !self.apps.lookup_port(p) && self.apps.udp_owner(p).is_none() {
                return p;
            }
        }
    }

    /// An ICMP destination unreachable about the query a lookup on local
    /// port `port` sent to `server`: the lookup tries the next server (or
    /// gives up) now instead of waiting for its timeout. True when a lookup
    /// took it.
    pub(in crate::device::host) fn lookup_unreachable(
        &mut self,
        ctx: &mut Ctx<'_>,
        port: u16,
        server: std::net::SocketAddrV4,
    ) -> bool {
        let Some(k) = self.apps.lookups.on_port(port) else {
            return false;
        };
        let taken = self.apps.lookups.get_mut(k).is_some_and(|l| {
            l.stub
                .handle_unreachable(ctx.now, std::net::SocketAddr::V4(server))
        });
        self.finish_lookup(ctx, k);
        taken
    }

    /// Runs the lookups' due retry timers, then sends their queries and
    /// hands their results over. Only the due ones are visited: every other
    /// one was drained when it was last touched (debug-asserted).
    pub(super) fn lookup_timeouts(&mut self, ctx: &mut Ctx<'_>) {
        let now = ctx.now;
        let due = self.apps.lookups.due(now);
        debug_assert_eq!(
            due,
            self.apps
                .lookups
                .iter()
                .filter(|(_, l)| l.stub.poll_timeout().is_some_and(|t| t <= now))
                .map(|(k, _)| k)
                .collect::<Vec<_>>(),
            "stale lookup timers"
        );
        for &k in &due {
            if let Some(l) = self.apps.lookups.get_mut(k) {
                l.stub.handle_timeout(now);
            }
        }
        let mut out = Vec::new();
        for k in due {
            self.drain_lookup(ctx, k, &mut out);
        }
        self.send_lookup_queries(ctx, out);
    }

    /// Sends the queries of lookup `k`, the only one touched since the
    /// last call, and hands its result over: every other one is drained
    /// already, so a host with a thousand lookups pending visits one, not all.
    pub(super) fn finish_lookup(&mut self, ctx: &mut Ctx<'_>, k: Seq) {
        debug_assert!(
            self.apps
                .lookups
                .iter()
                .all(|(i, l)| i == k || l.stub.result().is_none()),
            "an untouched lookup has a result"
        );
        let mut out = Vec::new();
        self.drain_lookup(ctx, k, &mut out);
        self.send_lookup_queries(ctx, out);
    }

    /// Takes lookup `k`'s queries and notes; hands it over (and returns
    /// true) when it has its result.
    fn drain_lookup(&mut self, ctx: &mut Ctx<'_>, k: Seq, out: &mut Vec<(u16, Transmit)>) -> bool {
        let Some(l) = self.apps.lookups.get_mut(k) else {
            return false;
        };
        while let Some(t) = l.stub.poll_transmit() {
            out.push((l.port, t));
        }
        while let Some(n) = l.stub.poll_note() {
            ctx.note(n);
        }
        let result = l.stub.result().cloned();
        let next = if result.is_some() {
            None
        } else {
            l.stub.poll_timeout()
        };
        let port = l.port;
        self.apps.lookups.set_timer(port, next);
        if let Some(r) = result
            && let Some(l) = self.apps.lookups.remove(k)
        {
            self.apps.resolved.push_back((l.app, l.token, r));
            return true;
        }
        false
    }

    fn send_lookup_queries(&mut self, ctx: &mut Ctx<'_>, out: Vec<(u16, Transmit)>) {
        for (port, t) in out {
            if let std::net::SocketAddr::V4(dst) = t.dst {
                self.send_app_udp(ctx, None, port, UdpDst::To(dst), &t.payload);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use lanlab_proto::dns::{Name, RecordType};

    use super::*;

    fn lookup(port: u16, token: u64, at: u64) -> PendingLookup {
        let q = Question::new(Name::parse("mx.b.lab").unwrap(), RecordType::Mx);
        let servers = vec![IpAddr::V4(Ipv4Addr::new(10, 1, 0, 53))];
        PendingLookup {
            port,
            app: AppId(0),
            token,
            stub: StubLookup::new(
                SimTime::from_millis(at),
                q,
                StubConfig::new(servers),
                token as u16,
            ),
        }
    }

    /// The table answers as the list it replaced: start order, search by
    /// port, removal keeping the order, retain, and the due timers are the
    /// ones a scan of the list finds due.
    #[test]
    fn table_matches_the_plain_list() {
        let mut t = LookupTable::default();
        let mut list: Vec<(Seq, PendingLookup)> = Vec::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut port = 50_000u16;
        for step in 0..2000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match x % 5 {
                0 | 1 => {
                    port = if port == 50_099 { 50_000 } else { port + 1 };
                    if t.on_port(port).is_none() {
                        let l = lookup(port, step, step);
                        let seq = t.push(l.clone());
                        // Drained at once: its first query goes, its timer is filed.
                        let l2 = t.get_mut(seq).unwrap();
                        while l2.stub.poll_transmit().is_some() {}
                        let next = l2.stub.poll_timeout();
                        t.set_timer(port, next);
                        let mut l = l;
                        while l.stub.poll_transmit().is_some() {}
                        list.push((seq, l));
                    }
                }
                2 if !list.is_empty() => {
                    let k = (x as usize / 5) % list.len();
                    let (seq, l) = list.remove(k);
                    assert_eq!(t.on_port(l.port), Some(seq));
                    assert_eq!(t.remove(seq).map(|r| r.token), Some(l.token));
                }
                3 => {
                    let now = SimTime::from_millis(x % 4000 + step);
                    let want: Vec<Seq> = list
                        .iter()
                        .filter(|(_, l)| l.stub.poll_timeout().is_some_and(|d| d <= now))
                        .map(|(k, _)| *k)
                        .collect();
                    assert_eq!(t.due(now), want);
                }
                _ if x % 50 == 4 => {
                    let odd = |l: &PendingLookup| l.token % 2 == 1;
                    t.retain(odd);
                    list.retain(|(_, l)| odd(l));
                }
                _ => {}
            }
            let order: Vec<(Seq, u16)> = t.iter().map(|(k, l)| (k, l.port)).collect();
            let want: Vec<(Seq, u16)> = list.iter().map(|(k, l)| (*k, l.port)).collect();
            assert_eq!(order, want);
            for (k, l) in &list {
                assert_eq!(t.on_port(l.port), Some(*k));
            }
            assert_eq!(
                t.first_timer(),
                list.iter().filter_map(|(_, l)| l.stub.poll_timeout()).min()
            );
        }
    }
}
