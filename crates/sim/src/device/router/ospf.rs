//! OSPF on a router: builds a `lanlab_proto::ospf::Ospf` process from the
//! document's `router ospf` settings, hands it the OSPF packets (IP
//! protocol 89, to 224.0.0.5 / 224.0.0.6 or to the router), sends what it
//! sends (TTL 1; multicast straight to 01:00:5e:00:00:05/06), tells it when
//! a cable or `shutdown` takes a link away, and installs its routes in the
//! routing table (`replace_protocol_routes`, administrative distance 110).

use std::net::Ipv4Addr;
use std::rc::Rc;

use lanlab_proto::SimTime;
use lanlab_proto::net::{Route, RouteOrigin, packet};
use lanlab_proto::ospf::{IfaceConfig, NetType, Ospf, OspfNote, RouteKind, Transmit};
use smoltcp::wire::{EthernetAddress, IpProtocol};

use super::Router;
use crate::device::Ctx;
use crate::lab::Device;
use crate::note::{Named, Note, RouterWords};

/// What the process is built from; a change rebuilds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Plan {
    rid: Ipv4Addr,
    ifaces: Vec<IfaceConfig>,
    default_originate: bool,
}

/// The router's OSPF process and what it was built from.
#[derive(Clone, Debug)]
pub(super) struct RouterOspf {
    plan: Plan,
    /// `None` until the first event after (re)configuration starts it.
    pub engine: Option<Ospf>,
    /// Ports whose link the process last saw up.
    up: Vec<bool>,
    /// `debug ip ospf adj` lines not yet shown.
    debug: Vec<String>,
    seed: u64,
    /// The packets of one event, between the process and the wire (kept
    /// allocated between events).
    sends: Vec<Transmit>,
    /// The router's name and the lab's names its notes carry (rebuilt
    /// when either changes).
    words: Option<Rc<RouterWords>>,
}

/// The MAC address of an IPv4 multicast group (RFC 1112 §6.4).
fn multicast_mac(ip: Ipv4Addr) -> EthernetAddress {
    let o = ip.octets();
    EthernetAddress([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]])
}

/// IOS's bandwidth of an interface, in Mbit/s, from its name.
fn bandwidth_mbps(name: &str) -> u32 {
    let n = name.to_ascii_lowercase();
    if n.starts_with("gig") || n.starts_with("gi") {
        1000
    } else if n.starts_with("fast") || n.starts_with("fa") {
        100
    } else if n.starts_with("serial") || n.starts_with("se") {
        2
    } else {
        10
    }
}

impl RouterOspf {
    /// Lines for `debug ip ospf adj` since the last call.
    pub fn take_debug(&mut self) -> Vec<String> {
        std::mem::take(&mut self.debug)
    }
}

impl Router {
    /// The plan of the OSPF process the document asks for, if any.
    fn ospf_plan(&self, d: &Device) -> Option<Plan> {
        let s = &d.ios.ospf;
        s.process?;
        let refbw = s.reference_bandwidth.unwrap_or(100).max(1);
        let mut ifaces = Vec::new();
        for (port, l3) in self.ifaces.iter().enumerate() {
            // A shut-down interface stays in the plan (its link is down, see
            // `ospf_sync`): `shutdown` does not restart the process.
            let shut_net = || {
                d.ports
                    .get(port)
                    .and_then(|p| p.ip.as_static())
                    .and_then(|s| s.net())
            };
            let Some(net) = l3.net.or_else(shut_net) else {
                continue;
            };
            let Some(area) = s.area_of(net.addr) else {
                continue;
            };
            let is = s.iface(port);
            let auto = (u64::from(refbw) / u64::from(bandwidth_mbps(&l3.name))).clamp(1, 65535);
            ifaces.push(IfaceConfig {
                port,
                addr: net,
                area,
                net: if is.point_to_point {
                    NetType::PointToPoint
                } else {
                    NetType::Broadcast
                },
                cost: is.cost.unwrap_or(auto as u16),
                priority: is.priority.unwrap_or(1),
                passive: s.passive.contains(&port),
                mtu: 1500,
            });
        }
        let rid = s.router_id.or_else(|| {
            self.ifaces
                .iter()
                .enumerate()
                .filter(|(k, _)| !self.down.get(*k).copied().unwrap_or(false))
                .filter_map(|(_, i)| i.addr())
                .max()
        })?;
        let has_default = d
            .routes
            .iter()
            .any(|r| r.dest().is_some_and(|n| n.prefix == 0));
        let default_originate = match s.default_originate {
            Some(always) => always || has_default,
            None => false,
        };
        Some(Plan {
            rid,
            ifaces,
            default_originate,
        })
    }

    /// Applies the `router ospf` settings: a changed plan restarts the process.
    pub(super) fn reconfigure_ospf(&mut self, d: &Device) {
        let Some(plan) = self.ospf_plan(d) else {
            if self.ospf.take().is_some() {
                self.table
                    .replace_protocol_routes(RouteOrigin::Ospf, Vec::new());
            }
            return;
        };
        if self.ospf.as_ref().is_some_and(|o| o.plan == plan) {
            return;
        }
        let seed = u64::from(d.id.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let debug = self.ospf.take().map(|o| o.debug).unwrap_or_default();
        self.ospf = Some(Box::new(RouterOspf {
            plan,
            engine: None,
            up: Vec::new(),
            debug,
            seed,
            sends: Vec::new(),
            words: None,
        }));
    }

    /// A port's link went down or a port was shut or unshut: OSPF and RIP
    /// look at their links at once (IOS: OSPF's neighbours on it go DOWN
    /// and the router LSA is re-originated; RIP drops the routes through
    /// it and poisons them) instead of at their next timer.
    pub(crate) fn link_went_down(&mut self) {
        if self.ospf.is_some() || self.rip.is_some() {
            self.link_check = true;
        }
    }

    /// The router ID OSPF runs (or is about to run) with.
    pub(super) fn ospf_router_id(&self) -> Option<Ipv4Addr> {
        self.ospf.as_ref().map(|o| o.plan.rid)
    }

    /// The OSPF process, when running.
    pub fn ospf(&self) -> Option<&Ospf> {
        self.ospf.as_ref().and_then(|o| o.engine.as_ref())
    }

    /// `debug ip ospf adj` on or off.
    pub fn set_ospf_debug(&mut self, on: bool) {
        self.ospf_debug = on;
        if !on && let Some(o) = self.ospf.as_mut() {
            o.debug.clear();
        }
    }

    /// `debug ip ospf adj` lines since the last call.
    pub fn take_ospf_debug(&mut self) -> Vec<String> {
        self.ospf
            .as_mut()
            .map(|o| o.take_debug())
            .unwrap_or_default()
    }

    pub(super) fn ospf_poll_timeout(&self) -> Option<SimTime> {
        let o = self.ospf.as_ref()?;
        match &o.engine {
            None => Some(SimTime::ZERO),
            Some(e) => e.poll_timeout(),
        }
    }

    /// Starts the process if it waits to, and tells it of links gone or back.
    fn ospf_sync(&mut self, ctx: &mut Ctx<'_>) {
        let Some(o) = self.ospf.as_mut() else { return };
        let now = ctx.now;
        if o.engine.is_none() {
            o.engine = Some(Ospf::new(
                o.plan.rid,
                o.plan.ifaces.clone(),
                o.plan.default_originate,
                o.seed,
                now,
            ));
            o.up = vec![true; self.ifaces.len()];
        }
        let Some(e) = o.engine.as_mut() else { return };
        for k in 0..self.ifaces.len() {
            let up = ctx.cabled.get(k).copied().unwrap_or(false)
                && !self.down.get(k).copied().unwrap_or(false);
            if o.up.get(k).copied() != Some(up) {
                e.set_link(now, k, up);
                if let Some(u) = o.up.get_mut(k) {
                    *u = up;
                }
            }
        }
    }

    /// Runs the OSPF timers.
    pub(super) fn ospf_timeout(&mut self, ctx: &mut Ctx<'_>) {
        if self.ospf.is_none() {
            return;
        }
        self.ospf_sync(ctx);
        if let Some(e) = self.ospf.as_mut().and_then(|o| o.engine.as_mut())
            && e.poll_timeout().is_some_and(|t| t <= ctx.now)
        {
            e.handle_timeout(ctx.now);
        }
        self.ospf_output(ctx);
    }

    /// Whether the frame's destination MAC is an OSPF group this router listens to.
    pub(super) fn ospf_group_mac(&self, dst: EthernetAddress) -> bool {
        self.ospf.is_some()
            && (dst == multicast_mac(lanlab_proto::ospf::ALL_SPF_ROUTERS)
                || dst == multicast_mac(lanlab_proto::ospf::ALL_D_ROUTERS))
    }

    /// Takes an OSPF packet (IP protocol 89); returns whether it was one.
    pub(super) fn ospf_input(
        &mut self,
        ctx: &mut Ctx<'_>,
        port: usize,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        proto: IpProtocol,
        payload: &[u8],
    ) -> bool {
        if u8::from(proto) != lanlab_proto::ospf::IP_PROTOCOL {
            return false;
        }
        if self.ospf.is_none() {
            ctx.note(Note::Unsupported {
                what: "OSPF (no router ospf configured)",
            });
            return true;
        }
        self.ospf_sync(ctx);
        if let Some(e) = self.ospf.as_mut().and_then(|o| o.engine.as_mut()) {
            e.handle_packet(ctx.now, port, src, dst, payload);
        }
        self.ospf_output(ctx);
        true
    }

    /// Sends the process's packets, records its notes, installs its routes.
    fn ospf_output(&mut self, ctx: &mut Ctx<'_>) {
        let Some(o) = self.ospf.as_mut() else { return };
        let Some(e) = o.engine.as_mut() else { return };
        let debug_on = self.ospf_debug;
        let mut sends = std::mem::take(&mut o.sends);
        while let Some(t) = e.poll_transmit() {
            sends.push(t);
        }
        let words = match &o.words {
            Some(w)
                if Rc::ptr_eq(&w.router, &self.hostname) && Rc::ptr_eq(&w.names, &self.names) =>
            {
                w.clone()
            }
            _ => {
                let w = Rc::new(Named {
                    note: (),
                    router: self.hostname.clone(),
                    names: self.names.clone(),
                });
                o.words = Some(w.clone());
                w
            }
        };
        let mut routes_changed = false;
        while let Some(n) = e.poll_note() {
            match &n {
                OspfNote::Spf { .. } => routes_changed = true,
                // The `debug ip ospf adj` lines are written only when shown.
                OspfNote::NbrState {
                    port,
                    rid,
                    from,
                    to,
                    event,
                } if debug_on => {
                    let name = self
                        .ifaces
                        .get(*port)
                        .map(|i| i.name.to_string())
                        .unwrap_or_default();
                    o.debug.push(format!(
                        "OSPF-{}: Nbr {rid} on {name} from {from} to {to}, {event}",
                        o.plan.rid
                    ));
                }
                OspfNote::Negotiated { rid, master, .. } if debug_on => o.debug.push(format!(
                    "OSPF: NBR Negotiation Done with {rid}. We are the {}",
                    if *master { "MASTER" } else { "SLAVE" }
                )),
                OspfNote::Elected { port, dr, bdr } if debug_on => {
                    let name = self
                        .ifaces
                        .get(*port)
                        .map(|i| i.name.to_string())
                        .unwrap_or_default();
                    o.debug.push(format!(
                        "OSPF: DR/BDR election on {name}: DR {dr}, BDR {bdr}"
                    ));
                }
                _ => {}
            }
            if !debug_on {
                o.debug.clear();
            }
            ctx.note(match n {
                OspfNote::Installed { key, seq, from } => Note::OspfInstalled {
                    key,
                    seq,
                    from,
                    names: words.clone(),
                },
                n => Note::Ospf(Box::new(words.ospf(n))),
            });
        }
        if o.debug.len() > 500 {
            let cut = o.debug.len() - 500;
            o.debug.drain(..cut);
        }
        // The routes to install, read from the engine's (not copied).
        let learned: Option<Vec<Route>> = routes_changed.then(|| {
            let now = ctx.now;
            e.routes()
                .iter()
                .flat_map(|r| {
                    let origin = match r.kind {
                        RouteKind::IntraArea => RouteOrigin::Ospf,
                        RouteKind::InterArea => RouteOrigin::OspfInterArea,
                        RouteKind::External2 => RouteOrigin::OspfExternal2,
                    };
                    r.next_hops.iter().filter_map(move |h| {
                        h.addr
                            .map(|a| Route::learned(origin, r.dest, a, h.port, r.cost, now))
                    })
                })
                .collect()
        });
        for t in sends.drain(..) {
            let ident = self.ip_ident;
            self.ip_ident = self.ip_ident.wrapping_add(1);
            let proto = IpProtocol::Unknown(lanlab_proto::ospf::IP_PROTOCOL);
            let Some(iface) = self.ifaces.get_mut(t.port) else {
                continue;
            };
            // IOS sends OSPF with IP precedence 6 (internetwork control).
            const DSCP: u8 = 0x30;
            // Multicast, or unicast to a neighbour ARP knows: the frame is
            // built straight into the shared buffer it travels in (the same
            // bytes as IPv4 packet, DSCP and checksum, then Ethernet, built
            // one after the other).
            let dst_mac = if t.dst.is_multicast() {
                Some(multicast_mac(t.dst))
            } else {
                iface.known_unicast_mac(ctx.now, t.dst)
            };
            if let Some(m) = dst_mac {
                ctx.send_shared(
                    t.port,
                    packet::Ipv4Head {
                        macs: (iface.mac, m),
                        src: t.src,
                        dst: t.dst,
                        protocol: proto,
                        ttl: 1,
                        ident,
                        dscp: DSCP,
                    }
                    .frame_rc(&t.bytes),
                );
            } else {
                let mut pkt = packet::ipv4(t.src, t.dst, proto, 1, ident, &t.bytes);
                if let Ok(mut p) = smoltcp::wire::Ipv4Packet::new_checked(&mut pkt[..]) {
                    p.set_dscp(DSCP);
                    p.fill_checksum();
                }
                iface.send_ip(ctx, t.port, t.dst, pkt);
            }
            e.recycle(t.bytes);
        }
        if let Some(o) = self.ospf.as_mut() {
            o.sends = sends;
        }
        if let Some(learned) = learned {
            self.table
                .replace_protocol_routes(RouteOrigin::Ospf, learned);
        }
    }
}
