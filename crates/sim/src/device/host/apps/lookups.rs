//! The DNS lookups a host runs for its apps (a mail server's MX queries, a
//! browser's names): one stub resolver per lookup on its own UDP port, its
//! queries sent and its result handed to the app that asked.
//!
//! A lookup is drained (queries out, notes, result) each time something
//! touched it, and only it: a mail server with a thousand MX lookups in
//! flight does not visit them all for each answer. Their retry timers are
//! filed by time ([`Timers`](crate::services::stream::Timers)), so the host's next timeout is not a scan.

use std::net::IpAddr;

use lanlab_proto::dns::recursive::Transmit;
use lanlab_proto::dns::{Question, StubConfig, StubLookup};

use super::PendingLookup;
use crate::device::Ctx;
use crate::device::host::Host;
use crate::note::Note;
use crate::services::app::{AppId, UdpDst};

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
        self.apps.lookups.push(PendingLookup {
            port,
            app,
            token,
            stub,
        });
        self.finish_lookup(ctx, self.apps.lookups.len() - 1);
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
        let Some(k) = self.apps.lookups.iter().position(|l| l.port == port) else {
            return false;
        };
        let taken = self.apps.lookups[k]
            .stub
            .handle_unreachable(ctx.now, std::net::SocketAddr::V4(server));
        self.finish_lookup(ctx, k);
        taken
    }

    /// Sends the lookups' queries, collects notes and finished results.
    pub(super) fn finish_lookups(&mut self, ctx: &mut Ctx<'_>) {
        let mut out = Vec::new();
        let mut k = 0;
        while k < self.apps.lookups.len() {
            if !self.drain_lookup(ctx, k, &mut out) {
                k += 1;
            }
        }
        self.send_lookup_queries(ctx, out);
    }

    /// [`finish_lookups`](Self::finish_lookups) when only lookup `k` was
    /// touched since the last call: every other one is drained already, so
    /// a host with a thousand lookups pending visits one, not all.
    pub(super) fn finish_lookup(&mut self, ctx: &mut Ctx<'_>, k: usize) {
        debug_assert!(
            self.apps
                .lookups
                .iter()
                .enumerate()
                .all(|(i, l)| i == k || l.stub.result().is_none()),
            "an untouched lookup has a result"
        );
        let mut out = Vec::new();
        self.drain_lookup(ctx, k, &mut out);
        self.send_lookup_queries(ctx, out);
    }

    /// Takes lookup `k`'s queries and notes; hands it over (and returns
    /// true) when it has its result.
    fn drain_lookup(
        &mut self,
        ctx: &mut Ctx<'_>,
        k: usize,
        out: &mut Vec<(u16, Transmit)>,
    ) -> bool {
        let Some(l) = self.apps.lookups.get_mut(k) else {
            return false;
        };
        while let Some(t) = l.stub.poll_transmit() {
            out.push((l.port, t));
        }
        while let Some(n) = l.stub.poll_note() {
            ctx.note(Note::Dns(n));
        }
        let result = l.stub.result().cloned();
        let next = if result.is_some() {
            None
        } else {
            l.stub.poll_timeout()
        };
        self.apps.lookup_timers.set(l.port, next);
        if let Some(r) = result {
            let l = self.apps.lookups.remove(k);
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
