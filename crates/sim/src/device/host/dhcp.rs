//! The DHCP client of each host interface set to DHCP (RFC 2131 §4.4): the
//! [`lanlab_proto::dhcp::Client`] engine mounted on the NIC. A lease sets
//! the interface's address, mask, gateway and DNS servers; no answer falls
//! back to 169.254.x.y.

use lanlab_proto::dhcp::{Client, ClientConfig, ClientEvent, ClientState, Destination, Message};
use lanlab_proto::net::Ipv4Net;
use lanlab_proto::net::mask_to_prefix;
use smoltcp::wire::IpProtocol;

use super::{HOST_TTL, Host};
use crate::device::Ctx;
use crate::note::Note;

/// The DHCP clients of a host's interfaces.
#[derive(Clone, Debug, Default)]
pub(crate) struct Clients {
    /// One per interface set to DHCP, by interface index.
    pub clients: Vec<Option<Client>>,
    /// `ipconfig /renew` jobs waiting for their leases.
    pub renew_jobs: Vec<crate::job::JobId>,
}

impl Host {
    /// Starts a client on each interface newly set to DHCP; stops the
    /// clients of interfaces set back to static.
    pub(super) fn sync_dhcp_clients(&mut self, ctx: &mut Ctx<'_>) {
        self.dhcp.clients.resize(self.ifaces.len(), None);
        for k in 0..self.ifaces.len() {
            let want = self.ifaces[k].dhcp;
            match (&self.dhcp.clients[k], want) {
                (None, true) => {
                    let mut cfg = ClientConfig::new(
                        smoltcp::wire::EthernetAddress(self.ifaces[k].l3.mac.0),
                        self.seed,
                    );
                    cfg.host_name = Some(self.apps.name.to_string());
                    // Like current desktop systems: no BROADCAST flag, so
                    // OFFER and ACK come unicast to the client's MAC.
                    cfg.broadcast_flag = false;
                    let mut c = Client::new(cfg);
                    c.start(ctx.now);
                    self.dhcp.clients[k] = Some(c);
                    self.dhcp_drain(ctx, k);
                }
                (Some(_), false) => {
                    if let Some(mut c) = self.dhcp.clients[k].take() {
                        c.stop();
                    }
                }
                _ => {}
            }
        }
    }

    /// Handles a datagram to UDP 68 on interface `k`; false if no client runs there.
    pub(super) fn dhcp_input(&mut self, ctx: &mut Ctx<'_>, k: usize, payload: &[u8]) -> bool {
        let Some(Some(c)) = self.dhcp.clients.get_mut(k) else {
            return false;
        };
        match Message::from_bytes(payload) {
            Ok(m) => c.handle_message(ctx.now, &m),
            Err(_) => ctx.note(Note::Malformed {
                what: "DHCP message",
            }),
        }
        self.dhcp_drain(ctx, k);
        true
    }

    /// Runs the clients' due timers.
    pub(super) fn dhcp_timeouts(&mut self, ctx: &mut Ctx<'_>) {
        for k in 0..self.dhcp.clients.len() {
            if let Some(c) = &mut self.dhcp.clients[k]
                && c.poll_timeout().is_some_and(|t| t <= ctx.now)
            {
                c.handle_timeout(ctx.now);
                self.dhcp_drain(ctx, k);
            }
        }
    }

    /// `ipconfig /renew` (`release == false`) or `/release` on every DHCP
    /// interface; returns how many clients there were.
    pub(crate) fn dhcp_command(&mut self, ctx: &mut Ctx<'_>, release: bool) -> usize {
        let mut n = 0;
        for k in 0..self.dhcp.clients.len() {
            if let Some(c) = &mut self.dhcp.clients[k] {
                n += 1;
                if release {
                    c.release(ctx.now);
                } else {
                    c.renew(ctx.now);
                }
                self.dhcp_drain(ctx, k);
            }
        }
        n
    }

    /// The DHCP client of interface `k`, for `ipconfig /all`.
    pub fn dhcp_client(&self, k: usize) -> Option<&Client> {
        self.dhcp.clients.get(k)?.as_ref()
    }

    /// Applies the client's events to interface `k`, sends its messages,
    /// records its notes.
    fn dhcp_drain(&mut self, ctx: &mut Ctx<'_>, k: usize) {
        let Some(Some(c)) = self.dhcp.clients.get_mut(k) else {
            return;
        };
        let mut events = Vec::new();
        while let Some(e) = c.poll_event() {
            events.push(e);
        }
        let mut out = Vec::new();
        while let Some(t) = c.poll_transmit() {
            out.push(t);
        }
        while let Some(n) = c.poll_note() {
            ctx.note(Note::DhcpClient(n));
        }
        for e in events {
            let i = &mut self.ifaces[k];
            match e {
                ClientEvent::Configured(cfg) => {
                    let prefix = mask_to_prefix(cfg.mask).unwrap_or(24);
                    let net = Ipv4Net {
                        addr: cfg.address,
                        prefix,
                    };
                    if i.l3.net != Some(net) {
                        i.l3.arp = lanlab_proto::net::ArpCache::new(super::HOST_ARP_TTL);
                    }
                    i.l3.net = Some(net);
                    i.gateway = cfg.gateway;
                    i.dns = cfg.dns_servers.clone();
                }
                ClientEvent::Deconfigured { .. } => {
                    i.l3.net = None;
                    i.gateway = None;
                    i.dns.clear();
                }
            }
        }
        self.finish_renew_jobs(ctx);
        for t in out {
            let payload = t.message.to_bytes();
            match t.dst {
                Destination::Broadcast { port } => self.send_raw_udp(
                    ctx,
                    k,
                    t.src,
                    t.src_port,
                    std::net::Ipv4Addr::BROADCAST,
                    port,
                    None,
                    &payload,
                ),
                Destination::Hardware { ip, mac, port } => {
                    self.send_raw_udp(ctx, k, t.src, t.src_port, ip, port, Some(mac), &payload)
                }
                Destination::Unicast { ip, port } => {
                    let bytes =
                        lanlab_proto::net::packet::udp(t.src, ip, t.src_port, port, &payload);
                    let _ =
                        self.send_ip_from(ctx, Some(t.src), ip, IpProtocol::Udp, HOST_TTL, &bytes);
                }
            }
        }
    }
}

impl Host {
    /// `ipconfig /release` or `/renew` as job `job`: a release answers at
    /// once; a renew waits until every DHCP interface is configured again
    /// (or fell back).
    pub(crate) fn dhcp_job(&mut self, ctx: &mut Ctx<'_>, job: crate::job::JobId, release: bool) {
        let n = self.dhcp_command(ctx, release);
        self.pump(ctx);
        let Some(j) = ctx.jobs.get_mut(job.0 as usize) else {
            return;
        };
        if n == 0 {
            j.println("\nWindows IP Configuration\n");
            j.println(if release {
                "The operation failed as no adapter is in the state permissible for this operation (no interface is set to DHCP)."
            } else {
                "No interface is set to DHCP: there is no lease to renew."
            });
            j.finish(ctx.now, false);
            return;
        }
        if release {
            j.output = crate::shell::ipconfig(self, false, ctx.start_unix);
            j.finish(ctx.now, true);
        } else {
            self.dhcp.renew_jobs.push(job);
        }
    }

    /// Finishes `/renew` jobs once no client is still asking.
    fn finish_renew_jobs(&mut self, ctx: &mut Ctx<'_>) {
        if self.dhcp.renew_jobs.is_empty() {
            return;
        }
        let done = |c: &Client| {
            matches!(
                c.state(),
                ClientState::Bound
                    | ClientState::Renewing
                    | ClientState::Rebinding
                    | ClientState::Released
            ) || c
                .config()
                .is_some_and(|x| x.source == lanlab_proto::dhcp::ConfigSource::Autoconfig)
        };
        let busy = !self.dhcp.clients.iter().flatten().all(done);
        if busy {
            return;
        }
        let ok = self.dhcp.clients.iter().flatten().all(|c| {
            c.config()
                .is_some_and(|x| x.source == lanlab_proto::dhcp::ConfigSource::Dhcp)
        });
        let text = crate::shell::ipconfig(self, false, ctx.start_unix);
        for job in std::mem::take(&mut self.dhcp.renew_jobs) {
            if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
                if !ok {
                    j.println("An error occurred while renewing interface: unable to contact your DHCP server. Request has timed out.");
                }
                j.output.push_str(&text);
                j.finish(ctx.now, ok);
            }
        }
    }
}
