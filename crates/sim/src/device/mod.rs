//! The devices of the virtual LAN: hosts, switches, routers. Each is a value
//! driven by the engine through a context: a frame in, frames out, notes for
//! the trace, timers.

use std::rc::Rc;

use lanlab_proto::SimTime;

use crate::job::Job;
use crate::lab::{Device, DeviceKind};
use crate::note::Note;

pub mod host;
pub(crate) mod l3;
pub mod router;
pub mod switch;
pub mod tcp;

#[cfg(test)]
mod fuzz_tests;

pub use host::Host;
pub use router::Router;
pub use switch::{MacTableEntry, Switch};

/// What a device may touch while it handles one event.
pub(crate) struct Ctx<'a> {
    /// Virtual time of the event.
    pub now: SimTime,
    /// Frames to send: (port index, bytes).
    pub tx: &'a mut Vec<(usize, Rc<[u8]>)>,
    /// The device's notes about this event.
    pub notes: &'a mut Vec<Note>,
    /// Whether the notes are kept (the trace records): when not, a device
    /// may skip notes that take work to write.
    pub noting: bool,
    /// All jobs (a host writes its commands' output here).
    pub jobs: &'a mut Vec<Job>,
    /// Wall clock (Unix seconds) at virtual time zero.
    pub start_unix: u64,
    /// Whether each port of the device has a cable.
    pub cabled: &'a [bool],
    /// Checks already made on the buffer of the frame being handled.
    pub checks: &'a mut FrameChecks,
}

/// Checks already made on the frame being handled. The copies of a flooded
/// frame share one buffer and are handled one after another, so a DHCP
/// broadcast to 100 PCs has its IPv4 header and UDP checksums summed once,
/// not 100 times (the buffer is recognised by pointer, and held so it
/// cannot be reused).
#[derive(Clone, Debug, Default)]
pub(crate) struct FrameChecks {
    buf: Option<Rc<[u8]>>,
    ip_ok: Option<bool>,
    udp_ok: Option<bool>,
}

impl FrameChecks {
    /// Starts handling `frame`: what was checked is kept for the same buffer.
    pub fn start(&mut self, frame: &Rc<[u8]>) {
        if !self.buf.as_ref().is_some_and(|b| Rc::ptr_eq(b, frame)) {
            self.buf = Some(frame.clone());
            self.ip_ok = None;
            self.udp_ok = None;
        }
    }

    /// Whether the IPv4 header checksum of the frame [`FrameChecks::start`]ed
    /// is right: `check` runs once per buffer.
    pub fn ip_ok(&mut self, check: impl FnOnce() -> bool) -> bool {
        *self.ip_ok.get_or_insert_with(check)
    }

    /// Whether the UDP checksum of the frame [`FrameChecks::start`]ed is
    /// right: `check` runs once per buffer.
    pub fn udp_ok(&mut self, check: impl FnOnce() -> bool) -> bool {
        *self.udp_ok.get_or_insert_with(check)
    }
}

impl Ctx<'_> {
    /// Queues a frame out of `port`.
    pub fn send(&mut self, port: usize, frame: Vec<u8>) {
        self.tx.push((port, Rc::from(frame)));
    }

    /// Queues a frame already in a shared buffer out of `port`.
    pub fn send_shared(&mut self, port: usize, frame: Rc<[u8]>) {
        self.tx.push((port, frame));
    }

    /// Records a decision (when the trace records: nobody reads notes
    /// otherwise).
    pub fn note(&mut self, n: impl Into<Note>) {
        if self.noting {
            self.notes.push(n.into());
        }
    }
}

/// The running state of one device.
#[derive(Clone, Debug)]
pub enum Node {
    /// PC, laptop or server.
    Host(Host),
    /// A learning switch (a multilayer switch too: it routes between
    /// its VLAN interfaces, [`Switch::router`]).
    Switch(Switch),
    /// A router.
    Router(Router),
}

impl Node {
    /// Fresh state for a device just switched on; `seed` is the run's seed.
    pub fn boot(d: &Device, seed: u64) -> Node {
        match d.kind {
            DeviceKind::Switch | DeviceKind::MultilayerSwitch => Node::Switch(Switch::new(d)),
            DeviceKind::Router => Node::Router(Router::new(d)),
            DeviceKind::Pc | DeviceKind::Laptop | DeviceKind::Server => {
                let own = seed
                    ^ u64::from(d.id.0)
                        .wrapping_add(1)
                        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
                Node::Host(Host::new(d, own))
            }
        }
    }

    /// Applies the device's (changed) configuration, keeping what it learned.
    pub fn reconfigure(&mut self, now: SimTime, d: &Device) {
        match self {
            Node::Host(h) => h.reconfigure(d),
            Node::Router(r) => r.reconfigure(d),
            Node::Switch(s) => s.reconfigure(now, d),
        }
    }

    /// Handles a frame that arrived on `port`. Returns whether the device
    /// may want its timer at another time now: `false` only from a host
    /// that ignored the frame ([`Host::handle_frame`]).
    pub(crate) fn handle_frame(
        &mut self,
        ctx: &mut Ctx<'_>,
        port: usize,
        frame: &Rc<[u8]>,
    ) -> bool {
        match self {
            Node::Host(h) => return h.handle_frame(ctx, port, frame),
            Node::Switch(s) => s.handle_frame(ctx, port, frame),
            Node::Router(r) => r.handle_frame(ctx, port, frame),
        }
        true
    }

    /// When the device next wants its timeout handling.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        match self {
            Node::Host(h) => h.poll_timeout(),
            Node::Switch(s) => s.poll_timeout(),
            Node::Router(r) => r.poll_timeout(),
        }
    }

    pub(crate) fn handle_timeout(&mut self, ctx: &mut Ctx<'_>) {
        match self {
            Node::Host(h) => h.handle_timeout(ctx),
            Node::Switch(s) => s.handle_timeout(ctx),
            Node::Router(r) => r.handle_timeout(ctx),
        }
    }

    /// The cable port and bytes of a frame queued on interface `k` (a
    /// router's sub-interface leaves through its port, tagged).
    pub(crate) fn egress(&self, k: usize, frame: Rc<[u8]>) -> (usize, Rc<[u8]>) {
        match self {
            Node::Router(r) => r.egress(k, frame),
            _ => (k, frame),
        }
    }

    /// The router of a router or a multilayer switch (routes, ARP,
    /// interfaces for `show`).
    pub fn router(&self) -> Option<&Router> {
        match self {
            Node::Router(r) => Some(r),
            Node::Switch(s) => s.router(),
            Node::Host(_) => None,
        }
    }

    /// A port's link came up; returns whether the device wants its timer
    /// at once (a router running RIP advertises the network again).
    pub(crate) fn port_plugged(&mut self) -> bool {
        match self {
            Node::Router(r) => r.link_came_up(),
            _ => false,
        }
    }

    pub(crate) fn port_unplugged(&mut self, port: usize) {
        match self {
            Node::Switch(s) => s.port_down(port),
            Node::Router(r) => r.link_went_down(),
            Node::Host(_) => {}
        }
    }
}
