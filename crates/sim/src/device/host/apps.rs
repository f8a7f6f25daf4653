//! The host side of the app framework ([`crate::services::app`]): mounting
//! apps and services, dispatching datagrams, connections, lookups and
//! timers to them, and carrying out what they ask.

use std::collections::{BTreeMap, VecDeque};
use std::net::Ipv4Addr;

use lanlab_proto::SimTime;
use lanlab_proto::dns::LookupResult;
use lanlab_proto::net::packet;
use smoltcp::wire::{EthernetProtocol, IpProtocol};

mod lookups;

use lookups::LookupTable;

use super::{HOST_TTL, Host};
use crate::device::Ctx;
use crate::device::tcp::AppTcpEvent;
use crate::services::app::{
    App, AppCx, AppId, Cmd, Incoming, SERVICE_APPS, SockId, TcpEnd, UdpDst,
};

/// The apps of one host and what they own.
#[derive(Clone, Debug, Default)]
pub(crate) struct AppTable {
    /// The device's name, for notes.
    pub name: std::rc::Rc<str>,
    /// The device's services configuration.
    pub services_cfg: std::rc::Rc<crate::services::Services>,
    slots: Vec<Option<Box<dyn App>>>,
    /// Service apps by key.
    services: BTreeMap<&'static str, AppId>,
    /// UDP ports bound by apps.
    udp: BTreeMap<u16, AppId>,
    /// Ids for connections apps open.
    next_sock: u32,
    /// Lookups in progress: (UDP port, owner, token, lookup), with their
    /// retry timers (filed when each is drained).
    lookups: LookupTable,
    /// Lookup results waiting for their app.
    resolved: VecDeque<(AppId, u64, LookupResult)>,
    next_lookup_port: u16,
    next_dns_id: u16,
    /// Connection events made up by the host (a connect with no route).
    pending_tcp: Vec<(AppId, SockId, AppTcpEvent)>,
}

/// A callback to run on an app.
enum Call<'a> {
    Start,
    Config,
    Timeout,
    Stop,
    Datagram(Incoming<'a>),
    Tcp(SockId, AppTcpEvent),
    Resolved(u64, LookupResult),
    /// A line typed into the app's job (`telnet`).
    Input(&'a str),
    /// Anything the engine does with a mounted service (mail buttons).
    With(&'a mut dyn FnMut(&mut dyn App, &mut AppCx<'_>)),
}

impl AppTable {
    /// Fails the jobs apps work for (the device is switched off).
    pub(crate) fn kill_jobs(&mut self, now: SimTime, jobs: &mut [crate::job::Job]) {
        for app in self.slots.iter().flatten() {
            if let Some(j) = app.job().and_then(|j| jobs.get_mut(j.0 as usize)) {
                j.println("(the device was switched off)");
                j.finish(now, false);
            }
        }
    }

    pub(crate) fn has_services(&self) -> bool {
        !self.services.is_empty()
    }

    pub(crate) fn udp_owner(&self, port: u16) -> Option<AppId> {
        self.udp.get(&port).copied()
    }

    pub(crate) fn lookup_port(&self, port: u16) -> bool {
        self.lookups.on_port(port).is_some()
    }

    /// The app with this id.
    pub(crate) fn get(&self, id: AppId) -> Option<&dyn App> {
        self.slots.get(id.0 as usize)?.as_deref()
    }

    /// The service app mounted under `key`.
    pub(crate) fn service(&self, key: &str) -> Option<&dyn App> {
        self.get(*self.services.get(key)?)
    }

    pub(crate) fn poll_timeout(&self) -> Option<SimTime> {
        debug_assert_eq!(
            self.lookups.first_timer(),
            self.lookups
                .iter()
                .filter_map(|(_, l)| l.stub.poll_timeout())
                .min(),
            "stale lookup timer"
        );
        let mut t = (!self.resolved.is_empty()).then_some(SimTime::ZERO);
        t = super::earliest(t, self.lookups.first_timer());
        for a in self.slots.iter().flatten() {
            t = super::earliest(t, a.poll_timeout());
        }
        t
    }
}

impl Host {
    /// Runs `f` on the service app `key` with a callback context, then
    /// what it asked for. Returns `false` if no such service is mounted.
    pub(crate) fn with_service(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &str,
        f: &mut dyn FnMut(&mut dyn App, &mut AppCx<'_>),
    ) -> bool {
        // Switched on or reconfigured in this very instant: the sync due at
        // a timer right now happens first, so the service works with the
        // configuration just set (a mail account's new password, not the
        // old one).
        self.sync_now(ctx);
        let Some(id) = self.apps.services.get(key).copied() else {
            return false;
        };
        self.call(ctx, id, Call::With(f));
        self.pump(ctx);
        true
    }

    /// Hands a typed line to the app working for job `job`. Returns
    /// `false` if no running app works for it.
    pub(crate) fn job_input(
        &mut self,
        ctx: &mut Ctx<'_>,
        job: crate::job::JobId,
        line: &str,
    ) -> bool {
        let Some(k) = self
            .apps
            .slots
            .iter()
            .position(|a| a.as_ref().is_some_and(|a| a.job() == Some(job)))
        else {
            return false;
        };
        self.call(ctx, AppId(k as u32), Call::Input(line));
        self.pump(ctx);
        true
    }

    /// Mounts an app; runs its `on_start`.
    pub(crate) fn mount(&mut self, ctx: &mut Ctx<'_>, app: Box<dyn App>) -> AppId {
        // Reuse a free slot so a long run of short programs stays small.
        let id = match self.apps.slots.iter().position(Option::is_none) {
            Some(k) => {
                self.apps.slots[k] = Some(app);
                AppId(k as u32)
            }
            None => {
                self.apps.slots.push(Some(app));
                AppId(self.apps.slots.len() as u32 - 1)
            }
        };
        self.call(ctx, id, Call::Start);
        self.pump(ctx);
        id
    }

    /// Unmounts an app: `on_stop`, ports closed, connections aborted.
    pub(crate) fn unmount(&mut self, ctx: &mut Ctx<'_>, id: AppId) {
        self.call(ctx, id, Call::Stop);
        self.forget_app(id);
    }

    fn forget_app(&mut self, id: AppId) {
        if let Some(slot) = self.apps.slots.get_mut(id.0 as usize) {
            *slot = None;
        }
        self.apps.udp.retain(|_, a| *a != id);
        self.apps.services.retain(|_, a| *a != id);
        self.apps.lookups.retain(|l| l.app != id);
        self.apps.resolved.retain(|(a, ..)| *a != id);
        self.tcp.drop_app(id);
    }

    /// Mounts the services the configuration asks for, unmounts the others,
    /// tells the rest that the configuration changed.
    pub(crate) fn sync_services(&mut self, ctx: &mut Ctx<'_>) {
        for s in SERVICE_APPS {
            let wanted = (s.wanted)(&self.apps.services_cfg);
            match (self.apps.services.get(s.key).copied(), wanted) {
                (None, true) => {
                    let app = (s.make)(&self.apps.services_cfg);
                    let id = self.mount(ctx, app);
                    self.apps.services.insert(s.key, id);
                }
                (Some(id), false) => self.unmount(ctx, id),
                (Some(id), true) => self.call(ctx, id, Call::Config),
                (None, false) => {}
            }
        }
    }

    /// Runs one callback on app `id`, then what it asked for.
    fn call(&mut self, ctx: &mut Ctx<'_>, id: AppId, call: Call<'_>) {
        let Some(mut app) = self
            .apps
            .slots
            .get_mut(id.0 as usize)
            .and_then(Option::take)
        else {
            return;
        };
        let addrs: Vec<Option<Ipv4Addr>> = self.ifaces.iter().map(|i| i.l3.addr()).collect();
        let mut cmds = Vec::new();
        {
            let mut cx = AppCx {
                now: ctx.now,
                start_unix: ctx.start_unix,
                device: &self.apps.name,
                services: &self.apps.services_cfg,
                addrs: &addrs,
                cmds: &mut cmds,
                notes: ctx.notes,
                noting: ctx.noting,
                jobs: ctx.jobs,
                next_sock: &mut self.apps.next_sock,
            };
            match call {
                Call::Start => app.on_start(&mut cx),
                Call::Config => app.on_config(&mut cx),
                Call::Timeout => app.on_timeout(&mut cx),
                Call::Stop => app.on_stop(&mut cx),
                Call::Datagram(d) => app.on_datagram(&mut cx, &d),
                Call::Resolved(token, r) => app.on_resolved(&mut cx, token, &r),
                Call::Input(line) => app.on_input(&mut cx, line),
                Call::With(f) => f(app.as_mut(), &mut cx),
                Call::Tcp(sock, ev) => match ev {
                    AppTcpEvent::Accepted { local, remote } => {
                        app.on_accept(&mut cx, sock, local, remote)
                    }
                    AppTcpEvent::Connected => app.on_connected(&mut cx, sock),
                    AppTcpEvent::Data(d) => app.on_data(&mut cx, sock, &d),
                    AppTcpEvent::PeerClosed => app.on_peer_closed(&mut cx, sock),
                    AppTcpEvent::Ended(e) => app.on_closed(&mut cx, sock, e),
                },
            }
        }
        if let Some(slot) = self.apps.slots.get_mut(id.0 as usize) {
            *slot = Some(app);
        }
        self.exec(ctx, id, cmds);
    }

    /// Carries out what an app asked for.
    fn exec(&mut self, ctx: &mut Ctx<'_>, id: AppId, cmds: Vec<Cmd>) {
        let mut exit = false;
        for c in cmds {
            match c {
                Cmd::BindUdp(port) => {
                    self.apps.udp.insert(port, id);
                }
                Cmd::ListenTcp(port) => self.tcp.listen_app(port, id),
                Cmd::Udp {
                    from,
                    src_port,
                    dst,
                    payload,
                } => self.send_app_udp(ctx, from, src_port, dst, &payload),
                Cmd::Connect { sock, remote } => match self.route(*remote.ip()) {
                    Ok((_, _, src)) => {
                        let src = if remote.ip().is_loopback() {
                            *remote.ip()
                        } else {
                            src
                        };
                        self.tcp.connect_app(ctx.now, src, remote, id, sock);
                    }
                    Err(_) => self.tcp_unreachable(id, sock),
                },
                Cmd::Send { sock, bytes } => self.tcp.app_send(sock, &bytes),
                Cmd::Close { sock } => self.tcp.app_close(sock),
                Cmd::Abort { sock } => self.tcp.app_abort(sock),
                Cmd::Resolve {
                    token,
                    question,
                    server,
                } => self.start_lookup(ctx, id, token, question, server),
                Cmd::StartRun { job, run } => self.start_run(ctx, job, *run),
                Cmd::Exit => exit = true,
            }
        }
        if exit {
            self.forget_app(id);
        }
    }

    fn tcp_unreachable(&mut self, id: AppId, sock: SockId) {
        // Delivered like any connection event, on the next drive.
        self.apps
            .pending_tcp
            .push((id, sock, AppTcpEvent::Ended(TcpEnd::Unreachable)));
    }

    fn send_app_udp(
        &mut self,
        ctx: &mut Ctx<'_>,
        from: Option<Ipv4Addr>,
        src_port: u16,
        dst: UdpDst,
        payload: &[u8],
    ) {
        match dst {
            UdpDst::To(to) => {
                let src = from
                    .or_else(|| self.route(*to.ip()).ok().map(|r| r.2))
                    .unwrap_or(Ipv4Addr::UNSPECIFIED);
                let bytes = packet::udp(src, *to.ip(), src_port, to.port(), payload);
                let _ =
                    self.send_ip_from(ctx, Some(src), *to.ip(), IpProtocol::Udp, HOST_TTL, &bytes);
            }
            UdpDst::Broadcast { port } => {
                let k = from
                    .and_then(|f| self.ifaces.iter().position(|i| i.l3.addr() == Some(f)))
                    .unwrap_or(0);
                let src = from.unwrap_or(Ipv4Addr::UNSPECIFIED);
                self.send_raw_udp(
                    ctx,
                    k,
                    src,
                    src_port,
                    Ipv4Addr::BROADCAST,
                    port,
                    None,
                    payload,
                );
            }
            UdpDst::Hardware { ip, mac: m, port } => {
                let k = from
                    .and_then(|f| self.ifaces.iter().position(|i| i.l3.addr() == Some(f)))
                    .unwrap_or(0);
                let src = from.unwrap_or(Ipv4Addr::UNSPECIFIED);
                self.send_raw_udp(ctx, k, src, src_port, ip, port, Some(m), payload);
            }
        }
    }

    /// Sends a UDP datagram out of interface `k` without routing or ARP:
    /// to Ethernet broadcast, or straight to `to_mac`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn send_raw_udp(
        &mut self,
        ctx: &mut Ctx<'_>,
        k: usize,
        src: Ipv4Addr,
        src_port: u16,
        dst: Ipv4Addr,
        dst_port: u16,
        to_mac: Option<smoltcp::wire::EthernetAddress>,
        payload: &[u8],
    ) {
        let Some(own_mac) = self.ifaces.get(k).map(|i| i.l3.mac) else {
            return;
        };
        let udp = packet::udp(src, dst, src_port, dst_port, payload);
        let ident = self.ip_ident;
        self.ip_ident = self.ip_ident.wrapping_add(1);
        let pkt = packet::ipv4(src, dst, IpProtocol::Udp, HOST_TTL, ident, &udp);
        if !self.firewall_allows_out(ctx, &pkt) {
            return;
        }
        let dst_mac = match to_mac {
            Some(m) => lanlab_proto::net::Mac(m.0),
            None => lanlab_proto::net::Mac::BROADCAST,
        };
        let frame = packet::ethernet_rc(own_mac, dst_mac, EthernetProtocol::Ipv4, &pkt);
        ctx.send_shared(k, frame);
    }

    /// Hands a datagram to the app bound to its port; false if none is.
    pub(crate) fn dispatch_udp(
        &mut self,
        ctx: &mut Ctx<'_>,
        iface: usize,
        d: &Incoming<'_>,
    ) -> bool {
        let port = d.dst.port();
        if let Some(k) = self.apps.lookups.on_port(port) {
            if let Some(l) = self.apps.lookups.get_mut(k) {
                let from = std::net::SocketAddr::V4(d.src);
                l.stub.handle_response(ctx.now, from, d.payload);
            }
            self.finish_lookup(ctx, k);
            return true;
        }
        let Some(id) = self.apps.udp_owner(port) else {
            return false;
        };
        let _ = iface;
        self.call(ctx, id, Call::Datagram(d.clone()));
        true
    }

    /// Lets every program run until nothing is left to do now: echo
    /// programs send, UDP sockets flush, TCP connections transmit, and
    /// apps get their connection events and lookup results.
    ///
    /// Returns `false` when there was nothing to run and nothing to send
    /// (the host's timer cannot have moved), `true` otherwise.
    pub(crate) fn pump(&mut self, ctx: &mut Ctx<'_>) -> bool {
        // Most frames leave a host with nothing to run (no ping, no
        // connection touched, no event or lookup result waiting): then the
        // loop's first round would only flush UDP and note the TCP drive's
        // time, so do just that (~300 instructions less per frame).
        if self.runs.is_empty() {
            let sent = self.flush_udp(ctx);
            if self.tcp.is_idle()
                && self.apps.pending_tcp.is_empty()
                && self.apps.resolved.is_empty()
            {
                self.tcp.idle_drive(ctx.now);
                return sent;
            }
        }
        for _ in 0..64 {
            self.drive_runs(ctx);
            self.flush_udp(ctx);
            self.drive_tcp(ctx);
            let mut evs = std::mem::take(&mut self.apps.pending_tcp);
            let more = self.tcp.take_app_events();
            if evs.is_empty() {
                evs = more;
            } else {
                evs.extend(more);
            }
            let resolved = std::mem::take(&mut self.apps.resolved);
            if evs.is_empty() && resolved.is_empty() {
                return true;
            }
            for (app, sock, ev) in evs {
                self.call(ctx, app, Call::Tcp(sock, ev));
            }
            for (app, token, r) in resolved {
                self.call(ctx, app, Call::Resolved(token, r));
            }
        }
        true
    }

    /// Runs due app timers and lookup retries; hands finished lookups over.
    pub(crate) fn app_timeouts(&mut self, ctx: &mut Ctx<'_>) {
        let now = ctx.now;
        self.lookup_timeouts(ctx);
        for k in 0..self.apps.slots.len() {
            let due = self.apps.slots[k]
                .as_ref()
                .and_then(|a| a.poll_timeout())
                .is_some_and(|t| t <= now);
            if due {
                self.call(ctx, AppId(k as u32), Call::Timeout);
            }
        }
    }

    /// The DNS servers of the first interface that has some.
    pub fn dns_servers(&self) -> Vec<Ipv4Addr> {
        self.interfaces()
            .into_iter()
            .find(|i| !i.dns.is_empty())
            .map(|i| i.dns)
            .unwrap_or_default()
    }

    /// The DHCP server's lease table, if the service runs (the lease page).
    pub fn dhcp_leases(&self) -> Option<&lanlab_proto::dhcp::LeaseTable> {
        let app = self.service("dhcp")?;
        let s = app
            .as_any()
            .downcast_ref::<crate::services::dhcp::DhcpServerApp>()?;
        Some(s.server.leases())
    }

    /// The service app mounted under `key` (`dhcp`, `dns`, `http`, …), to
    /// read its state with [`App::as_any`](crate::services::app::AppClone::as_any).
    pub fn service(&self, key: &str) -> Option<&dyn App> {
        self.apps.service(key)
    }
}
