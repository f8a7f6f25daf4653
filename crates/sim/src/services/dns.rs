//! The DNS server service on UDP and TCP port 53 (RFC 1035 §4.2): an
//! authoritative server for the configured zones, and — when recursion is
//! on — a caching recursive resolver that walks from the root hints
//! (RFC 1034 §5.3.3) and answers its own zones locally. Zone edits apply
//! live; the cache stays.

use std::collections::BTreeMap;
use std::net::{SocketAddr, SocketAddrV4};

use lanlab_proto::SimTime;
use lanlab_proto::dns::{
    Authoritative, Resolver, ResolverConfig, TcpDeframer, Transport, tcp_frame,
};

use super::app::{App, AppCx, Incoming, ServiceApp, SockId, TcpEnd, UdpDst};
use super::{DnsService, Services};

/// The DNS port.
pub const DNS_PORT: u16 = 53;

/// The service entry: runs when the device's DNS service is on.
pub const SERVICE: ServiceApp = ServiceApp {
    key: "dns",
    wanted: |s| s.dns_on().is_some(),
    make: |s| Box::new(DnsServerApp::new(s)),
};

/// The DNS server app.
#[derive(Clone, Debug)]
pub struct DnsServerApp {
    /// The zones served.
    pub auth: Authoritative,
    /// The recursive resolver, when recursion is on.
    pub resolver: Option<Resolver>,
    config: DnsService,
    tcp: BTreeMap<SockId, TcpDeframer>,
}

impl DnsServerApp {
    fn new(s: &Services) -> Self {
        let config = s.dns_on().cloned().unwrap_or_default();
        let mut app = DnsServerApp {
            auth: Authoritative::default(),
            resolver: None,
            config: DnsService::default(),
            tcp: BTreeMap::new(),
        };
        app.apply(config);
        app
    }

    fn apply(&mut self, config: DnsService) {
        self.auth = Authoritative::new(config.zones.clone());
        match (&config.recursive, &mut self.resolver) {
            (Some(r), Some(res)) => {
                res.set_config(ResolverConfig::with_root_hints(r.root_hints.clone()))
            }
            (Some(r), None) => {
                self.resolver = Some(Resolver::new(
                    ResolverConfig::with_root_hints(r.root_hints.clone()),
                    0x1000,
                ))
            }
            (None, _) => self.resolver = None,
        }
        if let Some(res) = &mut self.resolver {
            for z in &config.zones {
                res.set_local_zone(z.clone());
            }
        }
        self.config = config;
    }

    fn drain(&mut self, cx: &mut AppCx<'_>, from: Option<std::net::Ipv4Addr>) {
        while let Some(n) = self.auth.poll_note() {
            cx.note(n);
        }
        if let Some(res) = &mut self.resolver {
            while let Some(n) = res.poll_note() {
                cx.note(n);
            }
            while let Some(t) = res.poll_transmit() {
                if let SocketAddr::V4(dst) = t.dst {
                    cx.send_udp(from, DNS_PORT, UdpDst::To(dst), t.payload);
                }
            }
        }
    }
}

impl App for DnsServerApp {
    fn name(&self) -> &'static str {
        "DNS server"
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        cx.bind_udp(DNS_PORT);
        cx.listen_tcp(DNS_PORT);
    }

    fn on_config(&mut self, cx: &mut AppCx<'_>) {
        if let Some(c) = cx.services.dns_on()
            && *c != self.config
        {
            self.apply(c.clone());
        }
    }

    fn on_datagram(&mut self, cx: &mut AppCx<'_>, d: &Incoming<'_>) {
        match &mut self.resolver {
            Some(res) => res.handle_datagram(cx.now, SocketAddr::V4(d.src), d.payload),
            None => {
                if let Some(reply) = self.auth.handle_query(cx.now, d.payload, Transport::Udp) {
                    let from = (!d.dst.ip().is_broadcast()).then_some(*d.dst.ip());
                    cx.send_udp(from, DNS_PORT, UdpDst::To(d.src), reply);
                }
            }
        }
        let from = (!d.dst.ip().is_broadcast()).then_some(*d.dst.ip());
        self.drain(cx, from);
    }

    fn on_accept(&mut self, _cx: &mut AppCx<'_>, sock: SockId, _l: SocketAddrV4, _r: SocketAddrV4) {
        self.tcp.insert(sock, TcpDeframer::new());
    }

    fn on_data(&mut self, cx: &mut AppCx<'_>, sock: SockId, data: &[u8]) {
        let Some(d) = self.tcp.get_mut(&sock) else {
            return;
        };
        d.push(data);
        while let Some(q) = d.next_message() {
            // Over TCP the server answers from its own zones (and, when
            // recursive, from what the cache holds for them).
            if let Some(reply) = self.auth.handle_query(cx.now, &q, Transport::Tcp) {
                cx.tcp_send(sock, tcp_frame(&reply));
            }
        }
        self.drain(cx, None);
    }

    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        cx.tcp_close(sock);
    }

    fn on_closed(&mut self, _cx: &mut AppCx<'_>, sock: SockId, _end: TcpEnd) {
        self.tcp.remove(&sock);
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        self.resolver.as_ref().and_then(Resolver::poll_timeout)
    }

    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        if let Some(res) = &mut self.resolver {
            res.handle_timeout(cx.now);
        }
        self.drain(cx, None);
    }
}
