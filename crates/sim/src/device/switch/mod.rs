//! A learning Ethernet switch with VLANs (IEEE 802.1D transparent bridging,
//! IEEE 802.1Q VLANs): MAC learning per VLAN with aging, forwarding and
//! flooding inside the frame's VLAN only, access and trunk ports
//! ([`vlan`]), and loop protection.
//!
//! A frame never leaves its VLAN: it is classified when it arrives (access
//! VLAN, trunk tag, or the trunk's native VLAN), looked up in that VLAN's
//! MAC table, and sent only out ports that carry that VLAN and forward in
//! it ([`Switch::port_forwards`], the hook spanning tree fills in), tagged
//! or untagged as each port wants.
//!
//! Loop protection: a switch remembers each frame it flooded for half a
//! second. When the very same frame comes back on another port, the cabling
//! has a loop; the port it came back on is blocked and the trace says so. A
//! loop therefore never floods forever and the simulation never freezes.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::net::dot1q;
use serde::Serialize;

use super::Ctx;
use crate::lab::{Device, MacAddr};
use crate::note::{Note, PortName};

pub mod vlan;

pub use vlan::{PortVlan, VlanMap};

/// How long an unused MAC table entry lives (802.1D default: 300 s).
pub const MAC_AGING: Duration = Duration::from_secs(300);
/// How long a flooded frame is remembered for loop detection.
pub const LOOP_WINDOW: Duration = Duration::from_millis(500);

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
    /// The MAC address table, keyed by (VLAN, address).
    table: BTreeMap<(u16, [u8; 6]), Entry>,
    blocked: Vec<bool>,
    recent: BTreeMap<u64, (SimTime, usize)>,
}

fn fnv1a(vlan: u16, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in vlan.to_be_bytes().iter().chain(bytes) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Switch {
    /// A switch just switched on: empty table, no port blocked.
    pub fn new(d: &Device) -> Self {
        Switch {
            ports: d
                .ports
                .iter()
                .map(|p| PortName::from(p.name.as_str()))
                .collect(),
            vlans: VlanMap::new(d),
            table: BTreeMap::new(),
            blocked: vec![false; d.ports.len()],
            recent: BTreeMap::new(),
        }
    }

    /// Applies a changed configuration (VLANs, switchports); forgets the
    /// addresses learned in VLANs a port no longer carries.
    pub fn reconfigure(&mut self, d: &Device) {
        self.vlans = VlanMap::new(d);
        let vlans = &self.vlans;
        self.table.retain(|&(v, _), e| vlans.carries(e.port, v));
    }

    /// The ports' VLAN membership.
    pub fn vlan_map(&self) -> &VlanMap {
        &self.vlans
    }

    /// The MAC address table (live entries, by VLAN and address).
    pub fn mac_table(&self, now: SimTime) -> Vec<MacTableEntry> {
        self.table
            .iter()
            .filter(|(_, e)| now < e.seen + MAC_AGING)
            .map(|(&(vlan, m), e)| MacTableEntry {
                vlan,
                mac: MacAddr(m),
                port: e.port,
                port_name: self.ports[e.port].to_string(),
                last_seen: e.seen,
            })
            .collect()
    }

    /// Ports blocked by loop protection.
    pub fn blocked_ports(&self) -> Vec<usize> {
        (0..self.blocked.len())
            .filter(|&i| self.blocked[i])
            .collect()
    }

    /// Whether port `port` forwards frames of VLAN `vlan` (the hook for
    /// spanning tree's per-port, per-VLAN states; today: not blocked by
    /// loop protection).
    pub fn port_forwards(&self, port: usize, vlan: u16) -> bool {
        let _ = vlan;
        !self.blocked.get(port).copied().unwrap_or(true)
    }

    /// Whether port `port` learns source addresses in VLAN `vlan`
    /// (spanning tree's learning state learns without forwarding).
    pub fn port_learns(&self, port: usize, vlan: u16) -> bool {
        self.port_forwards(port, vlan)
    }

    fn port_name(&self, port: usize) -> PortName {
        self.ports.get(port).cloned().unwrap_or_else(|| "?".into())
    }

    pub(crate) fn port_down(&mut self, port: usize) {
        self.table.retain(|_, e| e.port != port);
        if let Some(b) = self.blocked.get_mut(port) {
            *b = false;
        }
    }

    pub(crate) fn handle_frame(&mut self, ctx: &mut Ctx<'_>, port: usize, frame: &Rc<[u8]>) {
        if port >= self.ports.len() || self.blocked[port] {
            ctx.note(Note::PortBlocked {
                port: self.port_name(port),
            });
            return;
        }
        if frame.len() < 14 {
            ctx.note(Note::Malformed {
                what: "Ethernet frame",
            });
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
        if !self.port_forwards(port, vlan) && !self.port_learns(port, vlan) {
            return;
        }
        self.learn(ctx, port, vlan, &untagged);
        if !self.port_forwards(port, vlan) {
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
        match self.table.get_mut(&(vlan, src)) {
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
                self.table.insert((vlan, src), Entry { port, seen: now });
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
        if !broadcast
            && let Some(e) = self.table.get(&(vlan, dst))
            && now < e.seen + MAC_AGING
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

        // Flood, unless this very frame was flooded a moment ago: a loop.
        let h = fnv1a(vlan, frame);
        if let Some(&(t, first_port)) = self.recent.get(&h)
            && now < t + LOOP_WINDOW
            && first_port != port
        {
            self.blocked[port] = true;
            ctx.note(Note::LoopDetected {
                port: self.ports[port].clone(),
            });
            return;
        }
        if self.recent.len() > 4096 {
            self.recent.retain(|_, (t, _)| now < *t + LOOP_WINDOW);
        }
        self.recent.insert(h, (now, port));
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
