//! A learning Ethernet switch (IEEE 802.1D transparent bridging): MAC
//! learning with aging, forwarding, flooding, and spanning tree
//! ([`stp`], per-VLAN 802.1D or 802.1w as Cisco switches run it), which
//! blocks the ports that would close a loop. A port learns and forwards
//! only in the states spanning tree allows; BPDUs are handled, never
//! flooded.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use lanlab_proto::SimTime;
use serde::Serialize;

use super::Ctx;
use crate::lab::{Device, MacAddr};
use crate::note::{Note, PortName};

pub mod stp;

use stp::Stp;

/// The VLAN every port is in (the VLAN model comes with 802.1Q).
const VLAN: u16 = 1;

/// How long an unused MAC table entry lives (802.1D default: 300 s).
pub const MAC_AGING: Duration = Duration::from_secs(300);

/// One line of `show mac address-table`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MacTableEntry {
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
    table: BTreeMap<[u8; 6], Entry>,
    stp: Stp,
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
        Switch {
            stp: Stp::new(&d.ios.stp, stp_mac(d), &with_macs),
            ports,
            table: BTreeMap::new(),
        }
    }

    /// The switch's spanning tree.
    pub fn stp(&self) -> &Stp {
        &self.stp
    }

    pub(crate) fn stp_mut(&mut self) -> &mut Stp {
        &mut self.stp
    }

    /// Applies changed settings (spanning tree).
    pub fn reconfigure(&mut self, now: SimTime, d: &Device) {
        self.stp.reconfigure(now, &d.ios.stp);
    }

    /// Which ports have their link up and which lead to another switch.
    pub fn sync_ports(&mut self, now: SimTime, up: &[bool], peer_switch: &[bool]) {
        self.stp.sync_ports(now, up, peer_switch);
    }

    /// When the spanning tree wants to run.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.stp.poll_timeout()
    }

    pub(crate) fn handle_timeout(&mut self, ctx: &mut Ctx<'_>) {
        let f = self.stp.handle_timeout(ctx.now, ctx.tx, ctx.notes);
        self.fallout(ctx.now, f);
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

    /// The MAC address table (live entries, by address).
    pub fn mac_table(&self, now: SimTime) -> Vec<MacTableEntry> {
        self.table
            .iter()
            .filter(|(_, e)| now < e.seen + self.aging(now))
            .map(|(m, e)| MacTableEntry {
                mac: MacAddr(*m),
                port: e.port,
                port_name: self.ports[e.port].to_string(),
                last_seen: e.seen,
            })
            .collect()
    }

    /// Ports whose link is up but that spanning tree keeps from
    /// forwarding (blocking, listening, learning, discarding): the canvas
    /// draws them amber.
    pub fn blocked_ports(&self) -> Vec<usize> {
        (0..self.ports.len())
            .filter(|&i| {
                self.stp.port(VLAN, i).is_some_and(|v| {
                    v.state != lanlab_proto::stp::State::Disabled
                        && v.state != lanlab_proto::stp::State::Forwarding
                })
            })
            .collect()
    }

    /// The spanning tree role and state (VLAN 1) of each port that faces
    /// another switch, as IOS abbreviates them (`Root FWD`, `Altn BLK`):
    /// what the canvas shows when the pointer rests on a link light.
    pub fn stp_roles(&self) -> Vec<(usize, String)> {
        (0..self.ports.len())
            .filter_map(|i| {
                let v = self.stp.port(VLAN, i)?;
                (v.state != lanlab_proto::stp::State::Disabled && !v.edge)
                    .then(|| (i, format!("{} {}", v.role.ios(), v.state.ios())))
            })
            .collect()
    }

    pub(crate) fn port_down(&mut self, port: usize) {
        self.table.retain(|_, e| e.port != port);
    }

    pub(crate) fn handle_frame(&mut self, ctx: &mut Ctx<'_>, port: usize, frame: &Rc<[u8]>) {
        let now = ctx.now;
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
            let f = self.stp.handle_bpdu(now, port, frame, ctx.tx, ctx.notes);
            self.fallout(now, f);
            return;
        }
        if !self.stp.learning(VLAN, port) {
            ctx.note(Note::PortBlocked {
                port: self.ports[port].clone(),
            });
            return;
        }
        let mut dst = [0u8; 6];
        let mut src = [0u8; 6];
        dst.copy_from_slice(&frame[0..6]);
        src.copy_from_slice(&frame[6..12]);

        // Learn the source (unicast sources only).
        let aging = self.aging(now);
        if src[0] & 1 == 0 {
            match self.table.get_mut(&src) {
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
                    self.table.insert(src, Entry { port, seen: now });
                    ctx.note(Note::SwitchLearned {
                        mac: MacAddr(src),
                        port: self.ports[port].clone(),
                    });
                }
            }
        }

        if !self.stp.forwarding(VLAN, port) {
            // Learning: addresses learnt, nothing forwarded.
            ctx.note(Note::PortBlocked {
                port: self.ports[port].clone(),
            });
            return;
        }
        let broadcast = dst[0] & 1 == 1;
        if !broadcast
            && let Some(e) = self.table.get(&dst)
            && now < e.seen + aging
        {
            if e.port == port {
                ctx.note(Note::SwitchFiltered {
                    port: self.ports[port].clone(),
                });
            } else if self.stp.forwarding(VLAN, e.port) {
                ctx.tx.push((e.port, frame.clone()));
                ctx.note(Note::SwitchForwarded {
                    port: self.ports[e.port].clone(),
                });
            }
            return;
        }

        // Flood on every other port spanning tree lets forward.
        let mut n = 0;
        for (p, &cabled) in ctx.cabled.iter().enumerate().take(self.ports.len()) {
            if p != port && cabled && self.stp.forwarding(VLAN, p) {
                ctx.tx.push((p, frame.clone()));
                n += 1;
            }
        }
        ctx.note(Note::SwitchFlooded {
            ports: n,
            broadcast,
        });
    }
}

/// The bridge MAC: the first port's address (Cisco uses the base MAC).
fn stp_mac(d: &Device) -> [u8; 6] {
    d.ports.first().map_or([0x02, 0, 0, 0, 0, 0], |p| p.mac.0)
}
