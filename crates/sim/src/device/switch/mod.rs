//! A learning Ethernet switch with VLANs (IEEE 802.1D transparent bridging,
//! IEEE 802.1Q VLANs): MAC learning per VLAN with aging, forwarding and
//! flooding inside the frame's VLAN only, access and trunk ports
//! ([`vlan`]), and spanning tree ([`stp`], per-VLAN 802.1D or 802.1w as
//! Cisco switches run it), which blocks the ports that would close a loop.
//!
//! A frame never leaves its VLAN: it is classified when it arrives (access
//! VLAN, trunk tag, or the trunk's native VLAN), looked up in that VLAN's
//! MAC table, and sent only out ports that carry that VLAN and forward in
//! it ([`Switch::port_forwards`], spanning tree's answer), tagged or
//! untagged as each port wants. A port learns and forwards only in the
//! states spanning tree allows; BPDUs are handled, never flooded.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::net::dot1q;
use serde::Serialize;

use super::Ctx;
use crate::lab::{Device, MacAddr};
use crate::note::{Note, PortName};

pub mod stp;
pub(crate) mod svi;
pub mod vlan;

use stp::Stp;
pub use vlan::{PortVlan, VlanMap};

/// How long an unused MAC table entry lives (802.1D default: 300 s).
pub const MAC_AGING: Duration = Duration::from_secs(300);

/// One line of `show mac address-table`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MacTableEntry {
    /// The VLAN the address was learned in.
    pub vlan: u16,
    /// The address.
    pub mac: MacAddr,
    /// Index of the port it was last seen on.
    pub port: usize,
    /// That port's name.
    pub port_name: String,
    /// When it was last seen.
    pub last_seen: lanlab_proto::SimTime,
}

#[derive(Clone, Debug)]
struct Entry {
    port: usize,
    seen: SimTime,
}

/// The running state of a switch.
#[derive(Clone, Debug)]
pub struct Switch {
    ports: Vec<PortName>,
    vlans: VlanMap,
    /// The MAC address table, keyed by (VLAN, address) packed ([`mac_key`]).
    table: BTreeMap<u64, Entry>,
    /// Boxed: one instance per VLAN makes it the largest part of a switch,
    /// and `Node`'s variants should stay near one size.
    stp: Box<Stp>,
    /// Which ports have their link up (the engine's last word).
    link: Vec<bool>,
    /// A multilayer switch's VLAN interfaces and routing ([`svi`]).
    l3: Option<Box<svi::Svis>>,
}

/// The port number of frames a multilayer switch's own IP stack sends.
const CPU: usize = usize::MAX;

/// A MAC table key: the VLAN, then the address, in one number that sorts
/// as the pair does (and compares in one go).
fn mac_key(vlan: u16, mac: [u8; 6]) -> u64 {
    let mut b = [0u8; 8];
    b[..2].copy_from_slice(&vlan.to_be_bytes());
    b[2..].copy_from_slice(&mac);
    u64::from_be_bytes(b)
}

/// The VLAN and address of a [`mac_key`].
fn mac_unkey(k: u64) -> (u16, [u8; 6]) {
    let b = k.to_be_bytes();
    let mut mac = [0u8; 6];
    mac.copy_from_slice(&b[2..]);
    ((k >> 48) as u16, mac)
}

impl Switch {
    /// A switch just switched on: empty table, every link down until the
    /// engine says otherwise ([`Switch::sync_ports`]).
    pub fn new(d: &Device) -> Self {
        let ports: Vec<PortName> = d
            .ports
            .iter()
            .map(|p| PortName::from(p.name.as_str()))
            .collect();
        let with_macs: Vec<(PortName, [u8; 6])> = ports
            .iter()
            .cloned()
            .zip(d.ports.iter().map(|p| p.mac.0))
            .collect();
        let vlans = VlanMap::new(d);
        let link = vec![false; ports.len()];
        Switch {
            stp: Box::new(Stp::new(&d.ios.stp, &vlans, stp_mac(d), &with_macs)),
            l3: svi::Svis::new(d, &vlans, &link).map(Box::new),
            ports,
            vlans,
            table: BTreeMap::new(),
            link,
        }
    }

    /// Applies a changed configuration (VLANs, switchports, spanning
    /// tree); forgets the addresses learned in VLANs a port no longer
    /// carries.
    pub fn reconfigure(&mut self, now: SimTime, d: &Device) {
        self.vlans = VlanMap::new(d);
        let vlans = &self.vlans;
        self.table
            .retain(|&k, e| vlans.carries(e.port, mac_unkey(k).0));
        self.stp.reconfigure(now, &d.ios.stp, &self.vlans);
        match &mut self.l3 {
            Some(l3) => l3.reconfigure(d, &self.vlans, &self.link),
            None => self.l3 = svi::Svis::new(d, &self.vlans, &self.link).map(Box::new),
        }
    }

    /// A multilayer switch's router (its SVIs are its interfaces); `None`
    /// on a plain switch.
    pub fn router(&self) -> Option<&crate::device::Router> {
        self.l3.as_deref().map(svi::Svis::router)
    }

    /// A multilayer switch's SVI VLANs, in its router's interface order,
    /// and whether each is up (empty on a plain switch).
    pub fn svi_status(&self) -> Vec<(u16, bool)> {
        self.l3
            .as_deref()
            .map(|l3| l3.vlans().iter().map(|&v| (v, l3.is_up(v))).collect())
            .unwrap_or_default()
    }

    /// Runs `f` on the multilayer switch's IP side and switches what it
    /// sends into the SVIs' VLANs.
    fn with_l3(
        &mut self,
        ctx: &mut Ctx<'_>,
        f: impl FnOnce(&mut svi::Svis, &mut Ctx<'_>) -> Vec<(u16, Rc<[u8]>)>,
    ) {
        let Some(l3) = self.l3.as_deref_mut() else {
            return;
        };
        for (vlan, frame) in f(l3, ctx) {
            self.forward(ctx, CPU, vlan, &frame);
        }
    }

    /// Starts a console `ping` on a multilayer switch.
    pub(crate) fn start_ping(
        &mut self,
        ctx: &mut Ctx<'_>,
        job: crate::job::JobId,
        o: crate::shell::ios::PingOptions,
    ) {
        self.with_l3(ctx, |l3, c| l3.start_ping(c, job, o));
    }

    /// Starts a console `traceroute` on a multilayer switch.
    pub(crate) fn start_traceroute(
        &mut self,
        ctx: &mut Ctx<'_>,
        job: crate::job::JobId,
        target: std::net::Ipv4Addr,
    ) {
        self.with_l3(ctx, |l3, c| l3.start_traceroute(c, job, target));
    }

    /// Ends a multilayer switch's console pings.
    pub(crate) fn kill_probes(&mut self, now: SimTime, jobs: &mut [crate::job::Job]) {
        if let Some(l3) = self.l3.as_deref_mut() {
            l3.kill_probes(now, jobs);
        }
    }

    /// Every `debug` line of a multilayer switch's router.
    pub fn take_debug(&mut self) -> Vec<String> {
        self.l3
            .as_deref_mut()
            .map(svi::Svis::take_debug)
            .unwrap_or_default()
    }

    /// The switch's spanning tree.
    pub fn stp(&self) -> &Stp {
        &self.stp
    }

    pub(crate) fn stp_mut(&mut self) -> &mut Stp {
        &mut self.stp
    }

    /// Which ports have their link up and which lead to another switch.
    pub fn sync_ports(&mut self, now: SimTime, up: &[bool], peer_switch: &[bool]) {
        self.stp.sync_ports(now, up, peer_switch);
        self.link = up.to_vec();
        if let Some(l3) = self.l3.as_deref_mut() {
            l3.sync(&self.vlans, up, false);
        }
    }

    /// When the spanning tree (or a multilayer switch's router) wants to run.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        let l3 = self.l3.as_deref().and_then(svi::Svis::poll_timeout);
        match (self.stp.poll_timeout(), l3) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub(crate) fn handle_timeout(&mut self, ctx: &mut Ctx<'_>) {
        let f = self
            .stp
            .handle_timeout(ctx.now, ctx.tx, ctx.noting.then_some(&mut *ctx.notes));
        self.fallout(ctx.now, f);
        if self
            .l3
            .as_deref()
            .and_then(svi::Svis::poll_timeout)
            .is_some_and(|t| t <= ctx.now)
        {
            self.with_l3(ctx, |l3, c| l3.run(c, |r, c| r.handle_timeout(c)));
        }
    }

    fn fallout(&mut self, now: SimTime, f: stp::Fallout) {
        if let Some(keep) = f.flush {
            if keep.is_some() {
                self.table.retain(|_, e| Some(e.port) == keep);
            } else {
                let short = self.stp.forward_delay();
                self.table.retain(|_, e| now < e.seen + short);
            }
        }
    }

    fn aging(&self, now: SimTime) -> Duration {
        if self.stp.short_aging(now) {
            self.stp.forward_delay()
        } else {
            MAC_AGING
        }
    }

    /// The ports' VLAN membership.
    pub fn vlan_map(&self) -> &VlanMap {
        &self.vlans
    }

    /// The MAC address table (live entries, by VLAN and address).
    pub fn mac_table(&self, now: SimTime) -> Vec<MacTableEntry> {
        self.table
            .iter()
            .filter(|(_, e)| now < e.seen + self.aging(now))
            .map(|(&k, e)| (mac_unkey(k), e))
            .map(|((vlan, m), e)| MacTableEntry {
                vlan,
                mac: MacAddr(m),
                port: e.port,
                port_name: self.ports[e.port].to_string(),
                last_seen: e.seen,
            })
            .collect()
    }

    /// Ports whose link is up but that spanning tree keeps from
    /// forwarding in some VLAN they carry (blocking, listening, learning,
    /// discarding): the canvas draws them amber.
    pub fn blocked_ports(&self) -> Vec<usize> {
        (0..self.ports.len())
            .filter(|&i| {
                self.stp.instances().keys().any(|&v| {
                    self.stp.port(v, i).is_some_and(|p| {
                        p.state != lanlab_proto::stp::State::Disabled
                            && p.state != lanlab_proto::stp::State::Forwarding
                    })
                })
            })
            .collect()
    }

    /// The spanning tree role and state of each port that faces another
    /// switch, as IOS abbreviates them (`Root FWD`, `Altn BLK`), prefixed
    /// with the VLAN when the port runs more than one instance
    /// (`VLAN0010 Desg FWD`): what the canvas shows when the pointer rests
    /// on a link light.
    pub fn stp_roles(&self) -> Vec<(usize, String)> {
        (0..self.ports.len())
            .filter_map(|i| {
                let per: Vec<(u16, String)> = self
                    .stp
                    .instances()
                    .keys()
                    .filter_map(|&v| {
                        let p = self.stp.port(v, i)?;
                        (p.state != lanlab_proto::stp::State::Disabled && !p.edge)
                            .then(|| (v, format!("{} {}", p.role.ios(), p.state.ios())))
                    })
                    .collect();
                match per.len() {
                    0 => None,
                    1 => Some((i, per[0].1.clone())),
                    _ => Some((
                        i,
                        per.iter()
                            .map(|(v, r)| format!("VLAN{v:04} {r}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                    )),
                }
            })
            .collect()
    }

    /// Whether port `port` forwards frames of VLAN `vlan` (spanning tree's
    /// state of the port in that VLAN's instance).
    pub fn port_forwards(&self, port: usize, vlan: u16) -> bool {
        port < self.ports.len() && self.stp.forwarding(vlan, port)
    }

    /// Whether port `port` learns source addresses in VLAN `vlan`
    /// (spanning tree's learning state learns without forwarding).
    pub fn port_learns(&self, port: usize, vlan: u16) -> bool {
        port < self.ports.len() && self.stp.learning(vlan, port)
    }

    fn port_name(&self, port: usize) -> PortName {
        self.ports.get(port).cloned().unwrap_or_else(|| "?".into())
    }

    pub(crate) fn port_down(&mut self, port: usize) {
        self.table.retain(|_, e| e.port != port);
    }

    pub(crate) fn handle_frame(&mut self, ctx: &mut Ctx<'_>, port: usize, frame: &Rc<[u8]>) {
        if port >= self.ports.len() {
            return;
        }
        if frame.len() < 14 {
            ctx.note(Note::Malformed {
                what: "Ethernet frame",
            });
            return;
        }
        if lanlab_proto::stp::frame::is_bpdu_dst(frame) {
            let now = ctx.now;
            let f = self.stp.handle_bpdu(
                now,
                port,
                frame,
                ctx.tx,
                ctx.noting.then_some(&mut *ctx.notes),
            );
            self.fallout(now, f);
            return;
        }
        let c = match self.vlans.classify(port, frame) {
            Ok(c) => c,
            Err(reason) => {
                ctx.note(Note::VlanDropped {
                    port: self.port_name(port),
                    reason,
                });
                return;
            }
        };
        let vlan = c.vlan;
        if self.vlans.aware && (c.tagged || self.vlans.is_trunk(port)) {
            ctx.note(Note::VlanIngress {
                port: self.port_name(port),
                vlan,
                tagged: c.tagged,
            });
        }
        let untagged: Rc<[u8]> = match c.frame {
            std::borrow::Cow::Borrowed(_) => frame.clone(),
            std::borrow::Cow::Owned(v) => Rc::from(v),
        };
        if !self.port_learns(port, vlan) {
            ctx.note(Note::PortBlocked {
                port: self.port_name(port),
            });
            return;
        }
        self.learn(ctx, port, vlan, &untagged);
        if !self.port_forwards(port, vlan) {
            // Learning: addresses learnt, nothing forwarded.
            ctx.note(Note::PortBlocked {
                port: self.port_name(port),
            });
            return;
        }
        self.forward(ctx, port, vlan, &untagged);
    }

    /// Learns the source address (unicast only) of a frame in `vlan`.
    fn learn(&mut self, ctx: &mut Ctx<'_>, port: usize, vlan: u16, frame: &[u8]) {
        let mut src = [0u8; 6];
        src.copy_from_slice(&frame[6..12]);
        if src[0] & 1 != 0 {
            return;
        }
        let now = ctx.now;
        match self.table.get_mut(&mac_key(vlan, src)) {
            Some(e) if e.port == port => e.seen = now,
            Some(e) => {
                let from = self.ports[e.port].clone();
                e.port = port;
                e.seen = now;
                ctx.note(Note::SwitchMoved {
                    mac: MacAddr(src),
                    from,
                    to: self.ports[port].clone(),
                });
            }
            None => {
                self.table
                    .insert(mac_key(vlan, src), Entry { port, seen: now });
                ctx.note(Note::SwitchLearned {
                    mac: MacAddr(src),
                    port: self.ports[port].clone(),
                });
            }
        }
    }

    /// Sends an untagged frame of `vlan` on, out of the one port its
    /// destination is on or flooded to every port of the VLAN.
    fn forward(&mut self, ctx: &mut Ctx<'_>, port: usize, vlan: u16, frame: &Rc<[u8]>) {
        let now = ctx.now;
        let mut dst = [0u8; 6];
        dst.copy_from_slice(&frame[0..6]);
        let broadcast = dst[0] & 1 == 1;
        // A multilayer switch's own IP stack takes frames for its SVIs.
        if port != CPU && self.l3.as_deref().is_some_and(|l3| l3.wants(vlan, &dst)) {
            let frame = frame.clone();
            self.with_l3(ctx, |l3, c| l3.input(c, vlan, &frame));
            if !broadcast {
                return;
            }
        }
        let aging = self.aging(now);
        if !broadcast
            && let Some(e) = self.table.get(&mac_key(vlan, dst))
            && now < e.seen + aging
        {
            let out = e.port;
            if out == port {
                ctx.note(Note::SwitchFiltered {
                    port: self.ports[port].clone(),
                });
            } else if self.port_forwards(out, vlan) && self.vlans.carries(out, vlan) {
                let mut tagged = None;
                self.send(ctx, out, vlan, frame, &mut tagged);
                ctx.note(Note::SwitchForwarded {
                    port: self.ports[out].clone(),
                });
            }
            return;
        }

        // Flood on every other port of the VLAN spanning tree lets forward.
        let mut n = 0;
        let mut tagged = None;
        for p in 0..self.ports.len() {
            let cabled = ctx.cabled.get(p).copied().unwrap_or(false);
            if p != port && cabled && self.vlans.carries(p, vlan) && self.port_forwards(p, vlan) {
                self.send(ctx, p, vlan, frame, &mut tagged);
                n += 1;
            }
        }
        if self.vlans.aware {
            ctx.note(Note::VlanFlooded {
                vlan,
                ports: n,
                broadcast,
            });
        } else {
            ctx.note(Note::SwitchFlooded {
                ports: n,
                broadcast,
            });
        }
    }

    /// Puts an untagged frame of `vlan` out of port `out`, tagging it on a
    /// trunk (outside its native VLAN); `tagged` keeps the tagged copy for
    /// the next trunk.
    fn send(
        &self,
        ctx: &mut Ctx<'_>,
        out: usize,
        vlan: u16,
        frame: &Rc<[u8]>,
        tagged: &mut Option<Rc<[u8]>>,
    ) {
        match self.vlans.egress_tag(out, vlan) {
            Some(v) => {
                if tagged.is_none() {
                    *tagged = dot1q::tag(frame, v).map(Rc::from);
                }
                if let Some(t) = tagged {
                    ctx.tx.push((out, t.clone()));
                    ctx.note(Note::VlanTagged {
                        port: self.ports[out].clone(),
                        vlan,
                    });
                }
            }
            None => {
                ctx.tx.push((out, frame.clone()));
                if self.vlans.is_trunk(out) {
                    ctx.note(Note::VlanNative {
                        port: self.ports[out].clone(),
                        vlan,
                    });
                }
            }
        }
    }
}

/// The bridge MAC: the first port's address (Cisco uses the base MAC).
fn stp_mac(d: &Device) -> [u8; 6] {
    d.ports.first().map_or([0x02, 0, 0, 0, 0, 0], |p| p.mac.0)
}
