//! A host's TCP/IP stack wired to the simulator: Ethernet, ARP, IPv4 with a
//! default gateway, ICMP echo, UDP sockets, and the `ping`/`tracert` programs
//! running on it (RFC 1122).

use std::net::{Ipv4Addr, SocketAddrV4};
use std::rc::Rc;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::net::{Ipv4Net, Mac, UdpSockets, packet};
use smoltcp::wire::IpProtocol;

use super::Ctx;
use super::l3::{L3Iface, lab_mac};
use super::tcp::{FRAME_HEAD, TcpStack};
use crate::config::IpConfig;
use crate::job::JobId;
use crate::lab::Device;
use crate::note::Note;
use crate::shell::run::Run;

mod apps;
mod dhcp;
mod firewall;
mod input;

pub(crate) use apps::AppTable;

/// The 32 bytes of data Windows' `ping` sends: `abcdefghijklmnopqrstuvwabcdefghi`.
pub const PING_DATA: [u8; 32] = {
    let mut d = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        d[i] = b'a' + (i % 23) as u8;
        i += 1;
    }
    d
};

/// Windows' default TTL.
pub const HOST_TTL: u8 = 128;
/// How long a host keeps an ARP entry (a desktop's order of magnitude).
pub const HOST_ARP_TTL: Duration = Duration::from_secs(120);

/// IPv4 settings of one host interface, as `ipconfig` shows them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HostIfaceInfo {
    /// Interface name.
    pub name: String,
    /// MAC address.
    pub mac: crate::lab::MacAddr,
    /// Address and prefix, if set.
    pub net: Option<Ipv4Net>,
    /// Default gateway.
    pub gateway: Option<Ipv4Addr>,
    /// DNS servers.
    pub dns: Vec<Ipv4Addr>,
    /// Whether it is set to DHCP.
    pub dhcp: bool,
}

#[derive(Clone, Debug)]
struct HostIface {
    l3: L3Iface,
    gateway: Option<Ipv4Addr>,
    dns: Vec<Ipv4Addr>,
    dhcp: bool,
}

/// Why a host could not send a packet.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// No interface has an address.
    NoAddress,
    /// Off-link destination and no default gateway.
    NoRoute,
    /// The host's own firewall refused to send it.
    Blocked,
}

/// The running state of a PC, laptop or server.
#[derive(Clone, Debug)]
pub struct Host {
    ifaces: Vec<HostIface>,
    /// The host's UDP sockets.
    pub udp: UdpSockets,
    /// The host's TCP listeners and connections.
    pub tcp: TcpStack,
    ip_ident: u16,
    next_icmp_ident: u16,
    runs: Vec<(JobId, Run)>,
    /// Whether the configuration changed since services were last synced.
    dirty: bool,
    apps: Box<AppTable>,
    /// One DHCP client per interface set to DHCP.
    dhcp: Box<dhcp::Clients>,
    seed: u64,
    firewall: Option<Box<firewall::LiveFirewall>>,
    /// The TCP drive's segments, kept empty between drives for its room.
    tcp_out: Vec<super::tcp::Out>,
}

/// An IPv4 payload to send: bytes, or a frame that holds it after
/// [`FRAME_HEAD`] bytes left for the headers (a TCP segment).
enum IpPayload<'a> {
    Bytes(&'a [u8]),
    Framed(Rc<[u8]>),
}

impl IpPayload<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            IpPayload::Bytes(b) => b,
            IpPayload::Framed(f) => &f[FRAME_HEAD..],
        }
    }
}

impl Host {
    /// A host just switched on, with its configured addresses; `seed`
    /// draws its TCP initial sequence numbers.
    pub fn new(d: &Device, seed: u64) -> Self {
        let mut h = Host {
            ifaces: Vec::new(),
            udp: UdpSockets::new(),
            tcp: TcpStack::new(seed),
            ip_ident: 1,
            next_icmp_ident: 1,
            runs: Vec::new(),
            dirty: true,
            apps: Box::default(),
            dhcp: Box::default(),
            seed,
            firewall: None,
            tcp_out: Vec::new(),
        };
        h.reconfigure(d);
        h
    }

    /// Applies the device's interface settings; keeps ARP caches and
    /// programs. Services and DHCP clients follow at the next timer (now).
    pub fn reconfigure(&mut self, d: &Device) {
        self.apps.name = Rc::from(d.name.as_str());
        if *self.apps.services_cfg != d.services {
            self.apps.services_cfg = Rc::new(d.services.clone());
        }
        self.reconfigure_firewall();
        // Sync (at a timer, now) only when there is something to start or stop.
        self.dirty = !self.apps.services_cfg.is_empty()
            || self.apps.has_services()
            || d.ports.iter().any(|p| p.ip == IpConfig::Dhcp)
            || self.dhcp.clients.iter().any(Option::is_some);
        let old = std::mem::take(&mut self.ifaces);
        for (i, p) in d.ports.iter().enumerate() {
            let (net, gateway, dns) = match &p.ip {
                IpConfig::Static(s) => (s.net(), s.gateway, s.dns.clone()),
                // A lease already held stays until the client says otherwise.
                IpConfig::Dhcp => match old.get(i) {
                    Some(o) if o.dhcp => (o.l3.net, o.gateway, o.dns.clone()),
                    _ => (None, None, Vec::new()),
                },
                IpConfig::None => (None, None, Vec::new()),
            };
            let mut l3 = L3Iface::new(&p.name, p.mac, net, HOST_ARP_TTL);
            if let Some(o) = old.get(i)
                && o.l3.net == net
            {
                l3.arp = o.l3.arp.clone();
            }
            self.ifaces.push(HostIface {
                l3,
                gateway,
                dns,
                dhcp: p.ip == IpConfig::Dhcp,
            });
        }
    }

    /// The interfaces' settings.
    pub fn interfaces(&self) -> Vec<HostIfaceInfo> {
        self.ifaces
            .iter()
            .map(|i| HostIfaceInfo {
                name: i.l3.name.to_string(),
                mac: lab_mac(i.l3.mac),
                net: i.l3.net,
                gateway: i.gateway,
                dns: i.dns.clone(),
                dhcp: i.dhcp,
            })
            .collect()
    }

    /// `arp -a`: per interface with an address, its live ARP entries.
    pub fn arp_table(&self, now: SimTime) -> Vec<(Ipv4Addr, Vec<lanlab_proto::net::ArpEntry>)> {
        self.ifaces
            .iter()
            .filter_map(|i| Some((i.l3.addr()?, i.l3.arp.entries(now).copied().collect())))
            .collect()
    }

    fn is_mine(&self, ip: Ipv4Addr) -> bool {
        ip.is_broadcast()
            || ip.is_loopback()
            || self.ifaces.iter().any(|i| {
                i.l3.net
                    .is_some_and(|n| n.addr == ip || n.broadcast() == ip)
            })
    }

    /// Picks the interface and next hop for `dst` (on-link first, then a gateway).
    fn route(&self, dst: Ipv4Addr) -> Result<(usize, Ipv4Addr, Ipv4Addr), SendError> {
        if self.ifaces.iter().all(|i| i.l3.net.is_none()) {
            return Err(SendError::NoAddress);
        }
        for (k, i) in self.ifaces.iter().enumerate() {
            if let Some(n) = i.l3.net
                && (n.contains(dst) || dst.is_broadcast())
            {
                return Ok((k, dst, n.addr));
            }
        }
        for (k, i) in self.ifaces.iter().enumerate() {
            if let (Some(n), Some(gw)) = (i.l3.net, i.gateway) {
                return Ok((k, gw, n.addr));
            }
        }
        Err(SendError::NoRoute)
    }

    /// Sends an IPv4 packet with payload `payload` to `dst`.
    pub(crate) fn send_ip(
        &mut self,
        ctx: &mut Ctx<'_>,
        dst: Ipv4Addr,
        proto: IpProtocol,
        ttl: u8,
        payload: &[u8],
    ) -> Result<(), SendError> {
        self.send_ip_from(ctx, None, dst, proto, ttl, payload)
    }

    /// Sends an IPv4 packet from source address `src` (or the outgoing
    /// interface's) to `dst`, through the host firewall.
    pub(crate) fn send_ip_from(
        &mut self,
        ctx: &mut Ctx<'_>,
        src: Option<Ipv4Addr>,
        dst: Ipv4Addr,
        proto: IpProtocol,
        ttl: u8,
        payload: &[u8],
    ) -> Result<(), SendError> {
        self.send_ip_payload(ctx, src, dst, proto, ttl, IpPayload::Bytes(payload))
    }

    /// [`Host::send_ip_from`] for a payload given as bytes or already in
    /// the frame it travels in.
    fn send_ip_payload(
        &mut self,
        ctx: &mut Ctx<'_>,
        src: Option<Ipv4Addr>,
        dst: Ipv4Addr,
        proto: IpProtocol,
        ttl: u8,
        payload: IpPayload<'_>,
    ) -> Result<(), SendError> {
        let own = self
            .ifaces
            .iter()
            .any(|i| i.l3.net.is_some_and(|n| n.addr == dst));
        if dst.is_loopback() || own {
            // RFC 1122 §3.2.1.3: loopback never leaves the host.
            let ident = self.ip_ident;
            self.ip_ident = self.ip_ident.wrapping_add(1);
            let pkt = packet::ipv4(src.unwrap_or(dst), dst, proto, ttl, ident, payload.bytes());
            ctx.note(Note::Loopback { dst });
            self.handle_ipv4(ctx, usize::MAX, &pkt);
            return Ok(());
        }
        let (k, hop, routed_src) = match self.route(dst) {
            Ok(r) => r,
            Err(e) => {
                if e == SendError::NoRoute {
                    ctx.note(Note::NoGateway { dst });
                }
                return Err(e);
            }
        };
        let src = src.filter(|s| !s.is_unspecified()).unwrap_or(routed_src);
        let ident = self.ip_ident;
        self.ip_ident = self.ip_ident.wrapping_add(1);
        let l3 = &self.ifaces[k].l3;
        if let Some(m) = l3.known_unicast_mac(ctx.now, hop) {
            // The usual case, a neighbour ARP knows: the frame is written
            // in one go (the bytes `packet::ipv4` then `L3Iface::send_ip`
            // write), and the firewall reads its IPv4 packet.
            let head = packet::Ipv4Head {
                macs: (l3.mac, m),
                src,
                dst,
                protocol: proto,
                ttl,
                ident,
                dscp: 0,
            };
            let frame = match payload {
                IpPayload::Framed(mut f) => {
                    if Rc::get_mut(&mut f).is_some_and(|b| head.fill(b)) {
                        f
                    } else {
                        head.frame_rc(&f[FRAME_HEAD..])
                    }
                }
                IpPayload::Bytes(b) => head.frame_rc(b),
            };
            if !self.firewall_allows_out(ctx, &frame[14..]) {
                return Err(SendError::Blocked);
            }
            ctx.send_shared(k, frame);
            return Ok(());
        }
        let pkt = packet::ipv4(src, dst, proto, ttl, ident, payload.bytes());
        if !self.firewall_allows_out(ctx, &pkt) {
            return Err(SendError::Blocked);
        }
        self.ifaces[k].l3.send_ip(ctx, k, hop, pkt);
        Ok(())
    }

    /// Sends the datagrams the UDP sockets queued; returns whether there
    /// were any.
    pub(crate) fn flush_udp(&mut self, ctx: &mut Ctx<'_>) -> bool {
        let mut any = false;
        while let Some(d) = self.udp.poll_transmit() {
            any = true;
            let bytes = packet::udp(
                *d.src.ip(),
                *d.dst.ip(),
                d.src.port(),
                d.dst.port(),
                &d.payload,
            );
            let _ = self.send_ip(ctx, *d.dst.ip(), IpProtocol::Udp, HOST_TTL, &bytes);
        }
        any
    }

    /// The first address of the host, if any.
    pub fn primary_address(&self) -> Option<Ipv4Addr> {
        self.ifaces.iter().find_map(|i| i.l3.addr())
    }

    fn send_tcp(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<super::tcp::Out>) {
        for (_src, dst, frame) in out.drain(..) {
            let payload = IpPayload::Framed(frame);
            let _ = self.send_ip_payload(ctx, None, dst, IpProtocol::Tcp, HOST_TTL, payload);
        }
    }

    /// Lets the TCP connections and their programs run.
    fn drive_tcp(&mut self, ctx: &mut Ctx<'_>) {
        // The last drive's buffer, emptied (a drive within this one, for
        // a segment to the host itself, takes a new one).
        let mut out = std::mem::take(&mut self.tcp_out);
        self.tcp.drive(ctx.now, ctx.jobs, &mut out, ctx.notes);
        self.send_tcp(ctx, &mut out);
        self.tcp_out = out;
    }

    /// Starts a job that connects to `remote` and sends `bytes` bytes.
    pub(crate) fn start_tcp_send(
        &mut self,
        ctx: &mut Ctx<'_>,
        job: JobId,
        remote: SocketAddrV4,
        bytes: usize,
    ) {
        match self.route(*remote.ip()) {
            Ok((_, _, src)) => {
                self.tcp.send_to(ctx.now, src, remote, bytes, job);
                self.drive_tcp(ctx);
            }
            Err(e) => {
                if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
                    j.println(match e {
                        SendError::NoAddress => "This device has no IPv4 address.",
                        SendError::NoRoute => {
                            "No route to the server (is the default gateway set?)."
                        }
                        SendError::Blocked => "The firewall of this device blocked the connection.",
                    });
                    j.finish(ctx.now, false);
                }
            }
        }
    }

    /// Starts `ping` or `tracert` for job `job`.
    pub(crate) fn start_run(&mut self, ctx: &mut Ctx<'_>, job: JobId, mut run: Run) {
        let ident = self.next_icmp_ident;
        self.next_icmp_ident = self.next_icmp_ident.wrapping_add(1).max(1);
        run.set_ident(ident);
        if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
            run.start(ctx.now, j);
        }
        self.runs.push((job, run));
        self.drive_runs(ctx);
    }

    /// Sends what the programs want to send now; forgets finished ones.
    fn drive_runs(&mut self, ctx: &mut Ctx<'_>) {
        let now = ctx.now;
        let mut i = 0;
        while i < self.runs.len() {
            while let Some(ttl) = self.runs[i].1.want_send(now) {
                let (job, run) = &mut self.runs[i];
                let target = run.target();
                let ident = run.echo_mut().ident();
                let seq = run.echo_mut().start_probe(now);
                let msg = packet::icmp_echo(false, ident, seq, &PING_DATA);
                let job = *job;
                let res = self.send_ip(ctx, target, IpProtocol::Icmp, ttl, &msg);
                if let Err(e) = res {
                    let (_, run) = &mut self.runs[i];
                    if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
                        run.on_send_error(now, e, j);
                    }
                }
            }
            if self.runs[i].1.finished() {
                self.runs.remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// When the host next needs its timeout handling.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        // Straight-line, not one chain of seven iterators: the engine asks
        // after every frame the host handles.
        let mut t = self.dirty.then_some(SimTime::ZERO);
        for i in &self.ifaces {
            t = earliest(t, i.l3.arp.poll_timeout());
        }
        for (_, r) in &self.runs {
            t = earliest(t, r.poll_timeout());
        }
        t = earliest(t, self.tcp.poll_timeout());
        for c in self.dhcp.clients.iter().flatten() {
            t = earliest(t, c.poll_timeout());
        }
        t = earliest(t, self.firewall.as_ref().and_then(|f| f.poll_timeout()));
        earliest(t, self.apps.poll_timeout())
    }

    /// After a reconfiguration, starts, stops and reconfigures the DHCP
    /// clients and the services as the device's settings now say (due at a
    /// timer right away, or sooner when an action needs a service).
    fn sync_now(&mut self, ctx: &mut Ctx<'_>) {
        if self.dirty {
            self.dirty = false;
            self.sync_dhcp_clients(ctx);
            self.sync_services(ctx);
        }
    }

    pub(crate) fn handle_timeout(&mut self, ctx: &mut Ctx<'_>) {
        for k in 0..self.ifaces.len() {
            let _lost = self.ifaces[k].l3.handle_timeout(ctx, k);
        }
        let now = ctx.now;
        for (job, run) in &mut self.runs {
            if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
                run.handle_timeout(now, j);
            }
        }
        self.drive_runs(ctx);
        self.tcp.handle_timeout(now);
        self.drive_tcp(ctx);
        self.sync_now(ctx);
        self.dhcp_timeouts(ctx);
        if let Some(fw) = &mut self.firewall
            && fw.poll_timeout().is_some_and(|t| t <= now)
        {
            fw.handle_timeout(now);
        }
        self.app_timeouts(ctx);
        self.pump(ctx);
    }

    /// Stops every program (the device is switched off).
    pub(crate) fn kill_runs(&mut self, now: SimTime, jobs: &mut [crate::job::Job]) {
        self.apps.kill_jobs(now, jobs);
        for job in self.dhcp.renew_jobs.drain(..) {
            if let Some(j) = jobs.get_mut(job.0 as usize) {
                j.println("(the device was switched off)");
                j.finish(now, false);
            }
        }
        self.tcp.kill(now, jobs);
        for (job, _) in self.runs.drain(..) {
            if let Some(j) = jobs.get_mut(job.0 as usize) {
                j.println("(the device was switched off)");
                j.finish(now, false);
            }
        }
    }

    /// Whether any program is running.
    pub fn is_busy(&self) -> bool {
        !self.runs.is_empty()
    }

    /// The MAC of interface `k`.
    pub fn mac(&self, k: usize) -> Option<Mac> {
        self.ifaces.get(k).map(|i| i.l3.mac)
    }
}

/// The earlier of two timers (`None`: no timer).
fn earliest(a: Option<SimTime>, b: Option<SimTime>) -> Option<SimTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}
