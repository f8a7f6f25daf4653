//! A multilayer switch's IP side: its VLAN interfaces (SVIs, `interface
//! vlan 10`) are the interfaces of a [`Router`] that sits inside the
//! switch like one more port in each VLAN that has an SVI. A frame of
//! VLAN 10 for the SVIs' MAC (or a broadcast) is handed to interface
//! `Vlan10`; what the router sends on `Vlan10` is switched into VLAN 10
//! like a frame that arrived there. With `ip routing` the router forwards
//! between the SVIs (inter-VLAN routing, connected and static routes, DHCP
//! relay with `ip helper-address`); without it the SVIs are management
//! addresses that answer ARP and ping only.
//!
//! As on IOS, an SVI is up when it is not shut down, its VLAN exists and
//! some port carrying the VLAN has its link up: only then has it a
//! connected route.

use std::rc::Rc;

use crate::config::{IpConfig, StaticIp};
use crate::device::{Ctx, Router};
use crate::job::{Job, JobId};
use crate::lab::{Device, DeviceKind, MacAddr, Port};
use crate::services::RelayHelper;
use crate::vlan::DEFAULT_VLAN;
use lanlab_proto::SimTime;

use super::VlanMap;

/// The port number [`MacAddr::for_port`] gives the SVIs' shared MAC.
const SVI_MAC_PORT: usize = 0xff;

/// The routing part of a multilayer switch.
#[derive(Clone, Debug)]
pub(crate) struct Svis {
    router: Router,
    /// Interface `k` of the router is VLAN `vlans[k]`'s SVI.
    vlans: Vec<u16>,
    /// The configuration the router runs (one port per SVI).
    dev: Device,
    /// Whether each SVI is configured up (`no shutdown`).
    admin_up: Vec<bool>,
    /// Whether each SVI is up (admin up, VLAN exists, a port of it up).
    up: Vec<bool>,
    /// The SVIs' MAC (all of them share it, as on a Catalyst).
    mac: [u8; 6],
}

/// An SVI's address and mask (`ip address`).
type Addr = Option<(std::net::Ipv4Addr, std::net::Ipv4Addr)>;

/// The SVIs of `d` (VLAN, address, shut down): `interface vlan 1` and the
/// others, by VLAN.
fn svi_list(d: &Device) -> Vec<(u16, Addr, bool)> {
    let mut out = Vec::new();
    if let Some(s) = &d.ios.vlan1 {
        out.push((DEFAULT_VLAN, s.address, s.shutdown));
    }
    for s in &d.ios.vlan.svis {
        if s.vlan != DEFAULT_VLAN {
            out.push((s.vlan, s.address, s.shutdown));
        }
    }
    out
}

impl Svis {
    /// The IP side of multilayer switch `d` (`None` for a plain switch).
    pub fn new(d: &Device, vlans: &VlanMap, link: &[bool]) -> Option<Self> {
        if d.kind != DeviceKind::MultilayerSwitch {
            return None;
        }
        let mac = MacAddr::for_port(d.id, SVI_MAC_PORT);
        let (dev, ids, admin_up) = router_device(d, mac);
        let mut s = Svis {
            router: Router::new(&dev),
            vlans: ids,
            dev,
            up: Vec::new(),
            admin_up,
            mac: mac.0,
        };
        s.router.set_forwarding(d.ios.vlan.ip_routing);
        s.sync(vlans, link, true);
        Some(s)
    }

    /// Applies a changed configuration, keeping what the router learned.
    pub fn reconfigure(&mut self, d: &Device, vlans: &VlanMap, link: &[bool]) {
        let (dev, ids, admin_up) = router_device(d, MacAddr(self.mac));
        self.dev = dev;
        self.vlans = ids;
        self.admin_up = admin_up;
        self.router.set_forwarding(d.ios.vlan.ip_routing);
        self.sync(vlans, link, true);
    }

    /// Recomputes which SVIs are up from the ports' links; reconfigures
    /// the router when that changed (or when `force`).
    pub fn sync(&mut self, vlans: &VlanMap, link: &[bool], force: bool) {
        let up: Vec<bool> = self
            .vlans
            .iter()
            .zip(&self.admin_up)
            .map(|(&v, &admin)| {
                admin && vlans.exists(v) && (0..link.len()).any(|p| link[p] && vlans.carries(p, v))
            })
            .collect();
        if !force && up == self.up {
            return;
        }
        for (p, &on) in self.dev.ports.iter_mut().zip(&up) {
            p.shutdown = !on;
        }
        self.up = up;
        self.router.reconfigure(&self.dev);
    }

    /// The router behind the SVIs (routes, ARP, interface names `VlanN`).
    pub fn router(&self) -> &Router {
        &self.router
    }

    /// The SVIs' VLANs, in the router's interface order.
    pub fn vlans(&self) -> &[u16] {
        &self.vlans
    }

    /// Whether the SVI of VLAN `v` is up.
    pub fn is_up(&self, v: u16) -> bool {
        self.vlans
            .iter()
            .position(|&x| x == v)
            .is_some_and(|k| self.up[k])
    }

    /// Whether a frame of VLAN `vlan` for `dst` is (also) for the SVI.
    pub fn wants(&self, vlan: u16, dst: &[u8]) -> bool {
        (dst == self.mac || dst[0] & 1 == 1) && self.is_up(vlan)
    }

    /// Runs `f` on the router with a context whose frames come back as
    /// (VLAN, frame) pairs, to be switched into their VLAN.
    pub fn run(
        &mut self,
        ctx: &mut Ctx<'_>,
        f: impl FnOnce(&mut Router, &mut Ctx<'_>),
    ) -> Vec<(u16, Rc<[u8]>)> {
        let mut tx = Vec::new();
        {
            let mut inner = Ctx {
                now: ctx.now,
                tx: &mut tx,
                notes: ctx.notes,
                noting: ctx.noting,
                jobs: ctx.jobs,
                start_unix: ctx.start_unix,
                cabled: &self.up,
                checks: &mut *ctx.checks,
            };
            f(&mut self.router, &mut inner);
        }
        tx.into_iter()
            .filter_map(|(k, frame)| Some((*self.vlans.get(k)?, frame)))
            .collect()
    }

    /// A frame of VLAN `vlan` for the SVI.
    pub fn input(
        &mut self,
        ctx: &mut Ctx<'_>,
        vlan: u16,
        frame: &Rc<[u8]>,
    ) -> Vec<(u16, Rc<[u8]>)> {
        let Some(k) = self.vlans.iter().position(|&v| v == vlan) else {
            return Vec::new();
        };
        ctx.note(crate::note::Note::SviReceived { vlan });
        self.run(ctx, |r, c| r.handle_frame(c, k, frame))
    }

    /// When the router next wants its timeout handling.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.router.poll_timeout()
    }

    /// The router's `debug` lines since the last call.
    pub fn take_debug(&mut self) -> Vec<String> {
        self.router.take_debug()
    }

    /// Ends the console's pings and traceroutes.
    pub fn kill_probes(&mut self, now: SimTime, jobs: &mut [Job]) {
        self.router.kill_probes(now, jobs);
    }

    /// Starts a console `ping`.
    pub fn start_ping(
        &mut self,
        ctx: &mut Ctx<'_>,
        job: JobId,
        o: crate::shell::ios::PingOptions,
    ) -> Vec<(u16, Rc<[u8]>)> {
        self.run(ctx, |r, c| r.start_ping(c, job, o))
    }

    /// Starts a console `traceroute`.
    pub fn start_traceroute(
        &mut self,
        ctx: &mut Ctx<'_>,
        job: JobId,
        target: std::net::Ipv4Addr,
    ) -> Vec<(u16, Rc<[u8]>)> {
        self.run(ctx, |r, c| r.start_traceroute(c, job, target))
    }
}

/// The router configuration of `d`'s SVIs: one port `VlanN` per SVI with
/// its address, the switch's static routes, its services (DHCP pools,
/// access lists) with the SVIs' helper addresses as relays. Returns it,
/// the SVIs' VLANs, and whether each is configured up.
fn router_device(d: &Device, mac: MacAddr) -> (Device, Vec<u16>, Vec<bool>) {
    let list = svi_list(d);
    let ports = list
        .iter()
        .map(|&(v, addr, _)| Port {
            name: format!("Vlan{v}"),
            mac,
            ip: addr.map_or(IpConfig::None, |(address, mask)| {
                IpConfig::Static(StaticIp {
                    address,
                    mask,
                    gateway: None,
                    dns: Vec::new(),
                })
            }),
            shutdown: true,
            description: String::new(),
        })
        .collect();
    let mut services = d.services.clone();
    services.dhcp_relay = d
        .ios
        .vlan
        .svis
        .iter()
        .filter(|s| !s.helpers.is_empty())
        .map(|s| RelayHelper {
            interface: format!("Vlan{}", s.vlan),
            helpers: s.helpers.clone(),
        })
        .collect();
    let dev = Device {
        id: d.id,
        kind: DeviceKind::Router,
        name: d.name.clone(),
        pos: d.pos,
        ports,
        powered: d.powered,
        routes: d.routes.clone(),
        services,
        ios: Default::default(),
    };
    let ids = list.iter().map(|s| s.0).collect();
    let admin = list.iter().map(|s| !s.2).collect();
    (dev, ids, admin)
}
