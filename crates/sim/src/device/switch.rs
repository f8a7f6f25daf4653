//! A learning Ethernet switch (IEEE 802.1D transparent bridging without STP):
//! MAC learning with aging, forwarding, flooding, and loop protection.
//!
//! Loop protection: a switch remembers each frame it flooded for half a
//! second. When the very same frame comes back on another port, the cabling
//! has a loop; the port it came back on is blocked and the trace says so. A
//! loop therefore never floods forever and the simulation never freezes.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use lanlab_proto::SimTime;
use serde::Serialize;

use super::Ctx;
use crate::lab::{Device, MacAddr};
use crate::note::{Note, PortName};

/// How long an unused MAC table entry lives (802.1D default: 300 s).
pub const MAC_AGING: Duration = Duration::from_secs(300);
/// How long a flooded frame is remembered for loop detection.
pub const LOOP_WINDOW: Duration = Duration::from_millis(500);

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
    blocked: Vec<bool>,
    recent: BTreeMap<u64, (SimTime, usize)>,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
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
            table: BTreeMap::new(),
            blocked: vec![false; d.ports.len()],
            recent: BTreeMap::new(),
        }
    }

    /// The MAC address table (live entries, by address).
    pub fn mac_table(&self, now: SimTime) -> Vec<MacTableEntry> {
        self.table
            .iter()
            .filter(|(_, e)| now < e.seen + MAC_AGING)
            .map(|(m, e)| MacTableEntry {
                mac: MacAddr(*m),
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

    pub(crate) fn port_down(&mut self, port: usize) {
        self.table.retain(|_, e| e.port != port);
        if let Some(b) = self.blocked.get_mut(port) {
            *b = false;
        }
    }

    pub(crate) fn handle_frame(&mut self, ctx: &mut Ctx<'_>, port: usize, frame: &Rc<[u8]>) {
        let now = ctx.now;
        if self.blocked.get(port).copied().unwrap_or(true) {
            ctx.note(Note::PortBlocked {
                port: self.ports.get(port).cloned().unwrap_or_else(|| "?".into()),
            });
            return;
        }
        if frame.len() < 14 {
            ctx.note(Note::Malformed {
                what: "Ethernet frame",
            });
            return;
        }
        let mut dst = [0u8; 6];
        let mut src = [0u8; 6];
        dst.copy_from_slice(&frame[0..6]);
        src.copy_from_slice(&frame[6..12]);

        // Learn the source (unicast sources only).
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

        let broadcast = dst[0] & 1 == 1;
        if !broadcast
            && let Some(e) = self.table.get(&dst)
            && now < e.seen + MAC_AGING
        {
            if e.port == port {
                ctx.note(Note::SwitchFiltered {
                    port: self.ports[port].clone(),
                });
            } else if !self.blocked[e.port] {
                ctx.tx.push((e.port, frame.clone()));
                ctx.note(Note::SwitchForwarded {
                    port: self.ports[e.port].clone(),
                });
            }
            return;
        }

        // Flood, unless this very frame was flooded a moment ago: a loop.
        let h = fnv1a(frame);
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
        for (p, &cabled) in ctx.cabled.iter().enumerate().take(self.blocked.len()) {
            if p != port && cabled && !self.blocked[p] {
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
