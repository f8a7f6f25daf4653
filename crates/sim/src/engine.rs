//! The engine: a virtual clock in microseconds and one event queue ordered
//! by (time, sequence number). [`Engine::step`] delivers exactly one event —
//! a frame arriving at a port, a device's timer, or a scripted action — and
//! records what happened in the [`Trace`].
//!
//! A run is derived from the document, a seed and the session log of live
//! actions, so [`Engine::seek`] can rebuild the state at any earlier event
//! by replaying (this is how "step back" works).

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::order;

use crate::action::Action;
use crate::device::{Ctx, FrameChecks, Node};
use crate::job::{Job, JobId};
use crate::lab::{DeviceId, Lab, LabError, LinkEnd, LinkId};
use crate::note::Note;
use crate::queue::EventQueue;
use crate::rng::SplitMix64;
use crate::trace::{DropReason, Trace, TraceKind};

mod apply;
mod live;
mod mail;
mod names;
mod nat;
mod nat_view;
mod neighbours;
mod rip;
mod view;
mod vty;

pub use apply::ActionError;
pub use live::MailboxView;
pub use nat_view::{NatPair, NatRow};
pub use neighbours::{Neighbour, RoutingProtocol};
pub use view::InFlight;

/// Frames that left through a tap, with the time they left.
type TapQueue = std::collections::VecDeque<(SimTime, Rc<[u8]>)>;

/// A live action as the session log keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoggedAction {
    /// Number of events delivered before it was applied.
    pub at_event: u64,
    /// Virtual time it was applied at.
    pub at: SimTime,
    /// The action.
    pub action: Action,
}

#[derive(Clone, Debug)]
struct LiveLink {
    id: LinkId,
    a: (usize, usize),
    b: (usize, usize),
    latency: Duration,
    loss: f64,
    up: bool,
}

#[derive(Clone, Debug)]
enum Event {
    /// A frame reaches the far end of live link `link` (from end `a` to
    /// end `b` when `a_to_b`).
    Arrive {
        link: u32,
        a_to_b: bool,
        lost: bool,
        frame: Rc<[u8]>,
    },
    Timer {
        dev: usize,
    },
    Scripted {
        index: usize,
    },
}

/// The running simulation of one lab.
#[derive(Clone, Debug)]
pub struct Engine {
    initial: Lab,
    lab: Lab,
    seed: u64,
    rng: SplitMix64,
    now: SimTime,
    delivered: u64,
    queue: EventQueue<Event>,
    ids: Vec<DeviceId>,
    index: BTreeMap<DeviceId, usize>,
    by_name: BTreeMap<String, usize>,
    nodes: Vec<Node>,
    powered: Vec<bool>,
    port_link: Vec<Vec<Option<usize>>>,
    cabled: Vec<Vec<bool>>,
    /// Whether each port's link is up: cabled (or tapped) and neither end
    /// shut down. Switches flood only on these; `show` reads them.
    line: Vec<Vec<bool>>,
    links: Vec<LiveLink>,
    timer_at: Vec<Option<SimTime>>,
    trace: Trace,
    tracing: bool,
    jobs: Vec<Job>,
    log: Vec<LoggedAction>,
    log_applied: usize,
    outcomes: Vec<Option<Result<Option<JobId>, ActionError>>>,
    tx: Vec<(usize, Rc<[u8]>)>,
    notes: Vec<Note>,
    /// Checks made on the last frame handled (see [`FrameChecks`]).
    checks: FrameChecks,
    cur_event: u64,
    taps: BTreeMap<(usize, usize), TapQueue>,
    /// The IOS console session of each router and switch (mode, history).
    consoles: Vec<crate::shell::ios::Console>,
    /// Devices whose configuration a telnet session changed, for the app
    /// to take into its document ([`Engine::take_config_changes`]).
    config_changes: Vec<DeviceId>,
    /// Hostnames of the routers by address and router ID, for OSPF and RIP notes.
    router_names: crate::note::RouterNames,
}

impl Engine {
    /// Starts a lab with its own seed ([`Lab::seed`]).
    ///
    /// # Errors
    /// When the lab does not validate.
    pub fn new(lab: &Lab) -> Result<Engine, LabError> {
        Engine::with_seed(lab, lab.seed)
    }

    /// Starts a lab with `seed`.
    ///
    /// # Errors
    /// When the lab does not validate.
    pub fn with_seed(lab: &Lab, seed: u64) -> Result<Engine, LabError> {
        lab.validate()?;
        let n = lab.devices.len();
        let mut e = Engine {
            initial: lab.clone(),
            lab: lab.clone(),
            seed,
            rng: SplitMix64::new(seed),
            now: SimTime::ZERO,
            delivered: 0,
            queue: EventQueue::new(),
            ids: lab.devices.iter().map(|d| d.id).collect(),
            index: order::map(lab.devices.iter().enumerate().map(|(i, d)| (d.id, i))),
            by_name: order::map(
                lab.devices
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (d.name.to_lowercase(), i)),
            ),
            nodes: lab.devices.iter().map(|d| Node::boot(d, seed)).collect(),
            powered: lab.devices.iter().map(|d| d.powered).collect(),
            port_link: lab
                .devices
                .iter()
                .map(|d| vec![None; d.ports.len()])
                .collect(),
            cabled: lab
                .devices
                .iter()
                .map(|d| vec![false; d.ports.len()])
                .collect(),
            line: lab
                .devices
                .iter()
                .map(|d| vec![false; d.ports.len()])
                .collect(),
            links: Vec::new(),
            timer_at: vec![None; n],
            trace: Trace::new(),
            tracing: true,
            jobs: Vec::new(),
            log: Vec::new(),
            log_applied: 0,
            outcomes: vec![None; lab.actions.len()],
            tx: Vec::new(),
            notes: Vec::new(),
            checks: FrameChecks::default(),
            cur_event: 0,
            taps: BTreeMap::new(),
            consoles: vec![crate::shell::ios::Console::new(); n],
            config_changes: Vec::new(),
            router_names: crate::note::RouterNames::default(),
        };
        e.refresh_router_names();
        for l in &lab.links {
            e.cable_live_link(l.id, l.a, l.b, l.latency_us, l.loss);
        }
        e.refresh_lines();
        for (i, a) in lab.actions.iter().enumerate() {
            e.push(SimTime::from_millis(a.at_ms), Event::Scripted { index: i });
        }
        // Devices that want to act at once (services starting, DHCP
        // clients) get their first timer.
        for dev in 0..n {
            e.flush(dev);
        }
        Ok(e)
    }

    /// Rebuilds a run from a document, a seed and a session log, stopping
    /// after `events` events.
    ///
    /// # Errors
    /// When the lab does not validate.
    pub fn replay(
        lab: &Lab,
        seed: u64,
        log: &[LoggedAction],
        events: u64,
    ) -> Result<Engine, LabError> {
        let mut e = Engine::with_seed(lab, seed)?;
        e.log = log.to_vec();
        while e.delivered < events && e.step() {}
        e.apply_logged_due();
        Ok(e)
    }

    fn add_live_link(&mut self, id: LinkId, a: LinkEnd, b: LinkEnd, latency_us: u64, loss: f64) {
        self.cable_live_link(id, a, b, latency_us, loss);
        self.refresh_lines();
    }

    /// Puts a cable in without recomputing which links are up (the caller
    /// does, once for all of a lab's cables).
    fn cable_live_link(&mut self, id: LinkId, a: LinkEnd, b: LinkEnd, latency_us: u64, loss: f64) {
        let (Some(&da), Some(&db)) = (self.index.get(&a.device), self.index.get(&b.device)) else {
            return;
        };
        let k = self.links.len();
        self.links.push(LiveLink {
            id,
            a: (da, a.port),
            b: (db, b.port),
            latency: Duration::from_micros(latency_us),
            loss,
            up: true,
        });
        self.port_link[da][a.port] = Some(k);
        self.port_link[db][b.port] = Some(k);
        self.cabled[da][a.port] = true;
        self.cabled[db][b.port] = true;
    }

    /// Whether port `port` of device `dev` is shut down in the document.
    fn is_shut(&self, dev: usize, port: usize) -> bool {
        self.lab.devices[dev]
            .ports
            .get(port)
            .is_some_and(|p| p.shutdown)
    }

    /// Recomputes which links are up (after cabling or a `shutdown`); a
    /// switch forgets the addresses it learned on a port whose link went down.
    pub(super) fn refresh_lines(&mut self) {
        let mut went_down = Vec::new();
        let mut came_up = Vec::new();
        for dev in 0..self.line.len() {
            for port in 0..self.line[dev].len() {
                let peer_shut = self.port_link[dev][port].is_some_and(|k| {
                    let l = &self.links[k];
                    let (d, p) = if l.a == (dev, port) { l.b } else { l.a };
                    self.is_shut(d, p)
                });
                let up = self.cabled[dev][port] && !self.is_shut(dev, port) && !peer_shut;
                if self.line[dev][port] && !up {
                    self.nodes[dev].port_unplugged(port);
                    went_down.push(dev);
                }
                if !self.line[dev][port] && up && self.nodes[dev].port_plugged() {
                    came_up.push(dev);
                }
                self.line[dev][port] = up;
            }
        }
        // A router whose link went dark reacts at once (OSPF: neighbour
        // DOWN; RIP: routes through it poisoned), and RIP at once to a link
        // coming up.
        went_down.extend(came_up);
        went_down.sort_unstable();
        went_down.dedup();
        for dev in went_down {
            if matches!(self.nodes[dev], Node::Router(_)) && self.powered[dev] {
                self.flush(dev);
            }
        }
        let names = self.bridge_names();
        for dev in 0..self.nodes.len() {
            if matches!(self.nodes[dev], Node::Switch(_)) {
                self.sync_switch(dev, &names);
                if self.powered[dev] {
                    self.flush(dev);
                }
            }
        }
    }

    /// The lab's switches by bridge MAC (their first port's), for STP notes.
    pub(super) fn bridge_names(&self) -> crate::device::switch::stp::BridgeNames {
        std::rc::Rc::new(order::map(
            self.lab
                .devices
                .iter()
                .filter(|d| d.kind.is_switch())
                .filter_map(|d| Some((d.ports.first()?.mac.0, d.name.clone()))),
        ))
    }

    /// Tells switch `dev` which of its links are up and which lead to
    /// another switch (spanning tree runs on those).
    pub(super) fn sync_switch(
        &mut self,
        dev: usize,
        names: &crate::device::switch::stp::BridgeNames,
    ) {
        let peer: Vec<bool> = (0..self.line[dev].len())
            .map(|p| {
                self.port_link[dev][p].is_some_and(|k| {
                    let l = &self.links[k];
                    let (d, _) = if l.a == (dev, p) { l.b } else { l.a };
                    self.lab.devices[d].kind.is_switch()
                })
            })
            .collect();
        let now = self.now;
        if let Node::Switch(s) = &mut self.nodes[dev] {
            s.stp_mut().set_bridge_names(names.clone());
            s.sync_ports(now, &self.line[dev], &peer);
        }
    }

    /// Whether each port of device `dev` has its link up (`show interfaces`).
    pub fn ports_up(&self, dev: DeviceId) -> Option<&[bool]> {
        Some(&self.line[*self.index.get(&dev)?])
    }

    fn push(&mut self, time: SimTime, event: Event) {
        self.queue.push(time, event);
    }

    /// Turns trace recording on or off (on by default).
    pub fn set_tracing(&mut self, on: bool) {
        self.tracing = on;
    }

    fn apply_logged_due(&mut self) {
        while let Some(l) = self.log.get(self.log_applied) {
            if l.at_event != self.delivered {
                break;
            }
            let l = l.clone();
            self.log_applied += 1;
            self.now = self.now.max(l.at);
            let _ = self.apply(&l.action, None);
        }
    }

    /// Delivers the next event. Returns `false` when nothing is left to do.
    pub fn step(&mut self) -> bool {
        self.apply_logged_due();
        let Some((time, event)) = self.queue.pop() else {
            return false;
        };
        self.now = self.now.max(time);
        let event_no = self.delivered;
        self.cur_event = event_no;
        self.delivered += 1;
        match event {
            Event::Arrive {
                link,
                a_to_b,
                lost,
                frame,
            } => {
                let l = &self.links[link as usize];
                let (from, to) = if a_to_b { (l.a, l.b) } else { (l.b, l.a) };
                self.arrive(event_no, link as usize, from, to, frame, lost);
            }
            Event::Timer { dev } => {
                if self.timer_at[dev] == Some(time) {
                    self.timer_at[dev] = None;
                    if self.powered[dev] {
                        self.run_device(dev, |node, ctx| node.handle_timeout(ctx));
                        self.serve_vty(dev);
                        if !self.notes.is_empty() && self.tracing {
                            let device = self.ids[dev];
                            self.trace.push_notes(
                                event_no,
                                self.now,
                                TraceKind::Timer { device },
                                &mut self.notes,
                            );
                        }
                        self.notes.clear();
                        self.flush(dev);
                    }
                }
            }
            Event::Scripted { index } => {
                let action = self.initial.actions[index].action.clone();
                let out = self.apply(&action, Some(index));
                self.outcomes[index] = Some(out);
            }
        }
        true
    }

    fn arrive(
        &mut self,
        event_no: u64,
        link: usize,
        from: (usize, usize),
        to: (usize, usize),
        frame: Rc<[u8]>,
        lost: bool,
    ) {
        let l = &self.links[link];
        let reason = if !l.up {
            Some(DropReason::Unplugged)
        } else if !self.line[to.0][to.1] {
            Some(DropReason::LinkDown)
        } else if lost {
            Some(DropReason::Lost {
                loss: l.loss as f32,
            })
        } else if !self.powered[to.0] {
            Some(DropReason::PoweredOff)
        } else {
            None
        };
        let link_id = l.id;
        let to_end = LinkEnd {
            device: self.ids[to.0],
            port: to.1,
        };
        if let Some(reason) = reason {
            if self.tracing {
                self.trace.push(
                    event_no,
                    self.now,
                    TraceKind::Dropped {
                        at: to_end,
                        link: Some(link_id),
                        bytes: frame,
                        reason,
                    },
                    Vec::new(),
                );
            }
            return;
        }
        let mut changed = true;
        self.run_device(to.0, |node, ctx| {
            changed = node.handle_frame(ctx, to.1, &frame);
        });
        // A host that ignored the frame (most copies of a broadcast) has no
        // telnet to serve, nothing to send and the timer it had.
        if changed {
            self.serve_vty(to.0);
        }
        if self.tracing {
            let from_end = LinkEnd {
                device: self.ids[from.0],
                port: from.1,
            };
            self.trace.push_hop(
                event_no,
                self.now,
                link_id,
                from_end,
                to_end,
                frame,
                &mut self.notes,
            );
        }
        self.notes.clear();
        if changed || !self.tx.is_empty() {
            self.flush(to.0);
        }
    }

    /// Runs `f` on device `dev` with a context; frames go to `self.tx`,
    /// notes to `self.notes`.
    fn run_device(&mut self, dev: usize, f: impl FnOnce(&mut Node, &mut Ctx<'_>)) {
        let mut ctx = Ctx {
            now: self.now,
            start_unix: self.lab.start_unix,
            tx: &mut self.tx,
            notes: &mut self.notes,
            noting: self.tracing,
            jobs: &mut self.jobs,
            cabled: &self.line[dev],
            checks: &mut self.checks,
        };
        f(&mut self.nodes[dev], &mut ctx);
    }

    /// Puts the frames device `dev` sent on their cables and re-arms its timer.
    fn flush(&mut self, dev: usize) {
        let mut tx = std::mem::take(&mut self.tx);
        for (port, frame) in tx.drain(..) {
            // A router's sub-interface sends out its port, tagged.
            let (port, frame) = self.nodes[dev].egress(port, frame);
            self.transmit(dev, port, frame);
        }
        self.tx = tx;
        if let Some(t) = self.nodes[dev].poll_timeout()
            && self.powered[dev]
            && self.timer_at[dev].is_none_or(|x| t < x)
        {
            let t = t.max(self.now);
            self.timer_at[dev] = Some(t);
            self.push(t, Event::Timer { dev });
        }
    }

    fn transmit(&mut self, dev: usize, port: usize, frame: Rc<[u8]>) {
        let Some(k) = self.port_link[dev].get(port).copied().flatten() else {
            let at = LinkEnd {
                device: self.ids[dev],
                port,
            };
            if let Some(q) = self.taps.get_mut(&(dev, port)) {
                q.push_back((self.now, frame.clone()));
                if self.tracing {
                    self.trace.push(
                        self.cur_event,
                        self.now,
                        TraceKind::Tapped {
                            at,
                            bytes: frame,
                            inbound: false,
                        },
                        Vec::new(),
                    );
                }
                return;
            }
            if self.tracing {
                let at = LinkEnd {
                    device: self.ids[dev],
                    port,
                };
                self.trace.push(
                    self.cur_event,
                    self.now,
                    TraceKind::Dropped {
                        at,
                        link: None,
                        bytes: frame,
                        reason: DropReason::NoCable,
                    },
                    Vec::new(),
                );
            }
            return;
        };
        if !self.line[dev][port] {
            if self.tracing {
                let at = LinkEnd {
                    device: self.ids[dev],
                    port,
                };
                let link = Some(self.links[k].id);
                self.trace.push(
                    self.cur_event,
                    self.now,
                    TraceKind::Dropped {
                        at,
                        link,
                        bytes: frame,
                        reason: DropReason::LinkDown,
                    },
                    Vec::new(),
                );
            }
            return;
        }
        let l = &self.links[k];
        let a_to_b = l.a == (dev, port);
        let at = self.now + l.latency;
        let loss = l.loss;
        let lost = loss > 0.0 && self.rng.next_f64() < loss;
        self.push(
            at,
            Event::Arrive {
                link: k as u32,
                a_to_b,
                lost,
                frame,
            },
        );
    }

    /// Delivers every event up to and including time `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: SimTime) {
        loop {
            self.apply_logged_due();
            match self.queue.peek_time() {
                Some(time) if time <= t => {
                    self.step();
                }
                _ => break,
            }
        }
        self.now = self.now.max(t);
    }

    /// Delivers events until none is left or `limit` were delivered.
    /// Returns whether the queue ran empty.
    pub fn run_until_idle(&mut self, limit: u64) -> bool {
        for _ in 0..limit {
            if !self.step() {
                return true;
            }
        }
        self.queue.is_empty()
    }

    /// Rebuilds the state right after event `n` (step back or forward) by
    /// replaying the document, the seed and the session log.
    pub fn seek(&mut self, n: u64) {
        let tracing = self.tracing;
        let log = std::mem::take(&mut self.log);
        let mut e = Engine::with_seed(&self.initial, self.seed).expect("validated at start");
        e.tracing = tracing;
        e.log = log;
        while e.delivered < n && e.step() {}
        // Actions taken after event n-1 belong to the state after n events.
        e.apply_logged_due();
        *self = e;
    }

    /// Applies a live action now and records it in the session log.
    ///
    /// # Errors
    /// [`ActionError`] when the action names nothing that exists or cannot
    /// be done; nothing changes then.
    pub fn act(&mut self, action: Action) -> Result<Option<JobId>, ActionError> {
        self.apply_logged_due();
        // Acting after stepping back forgets the old future.
        self.log.truncate(self.log_applied);
        let out = self.apply(&action, None)?;
        self.log.push(LoggedAction {
            at_event: self.delivered,
            at: self.now,
            action,
        });
        self.log_applied = self.log.len();
        Ok(out)
    }

    /// Types `line` at the prompt of `device` (an [`Action::Command`]).
    ///
    /// # Errors
    /// As [`Engine::act`].
    pub fn command(&mut self, device: &str, line: &str) -> Result<JobId, ActionError> {
        self.act(Action::Command {
            device: device.to_string(),
            line: line.to_string(),
        })
        .map(|j| j.expect("a command always starts a job"))
    }
}
