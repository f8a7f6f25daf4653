//! The spanning tree of one instance (one VLAN in PVST+), sans-IO.
//!
//! The switch feeds it link changes ([`Bridge::port_up`],
//! [`Bridge::port_down`]), received BPDUs ([`Bridge::handle_bpdu`]) and
//! timeouts ([`Bridge::handle_timeout`] at [`Bridge::poll_timeout`]); it
//! answers with BPDUs to send ([`Bridge::poll_output`]) and decisions
//! ([`Bridge::poll_event`]). Getters say whether a port forwards or learns.
//!
//! Root election and roles follow 802.1D-1998 §8.6 with priority vectors
//! (root, root path cost, designated bridge, designated port, receiving
//! port), lower is better. In PVST+ (802.1D) mode an inferior BPDU from the
//! designated bridge is ignored until the stored information reaches max
//! age, which is why an indirect failure takes max age + 2 × forward delay
//! (≈ 50 s); topology changes travel as TCNs to the root, which sets the TC
//! flag for max age + forward delay. In rapid mode (802.1w) information
//! ages out after 3 × hello, designated ports propose and go forwarding on
//! the neighbour's agreement, the root port forwards at once, edge ports
//! forward at once, and a topology change floods the TC flag for 2 × hello.

use std::collections::VecDeque;
use std::time::Duration;

use super::event::{AlternateWhy, Event};
use super::id::{BridgeId, PortId};
use super::types::{BridgeConfig, Mode, PortSetup, PortView, Role, State, Timers};
use super::wire::Repr;
use crate::SimTime;

mod signals;

/// A priority vector; lower is better (802.1w §17.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Vector {
    root: BridgeId,
    cost: u32,
    bridge: BridgeId,
    port: PortId,
}

#[derive(Clone, Copy, Debug)]
struct Rcvd {
    v: Vector,
    msg_age: u16,
    expires: SimTime,
}

#[derive(Clone, Debug)]
struct Port {
    setup: PortSetup,
    id: PortId,
    up: bool,
    edge: bool,
    role: Role,
    state: State,
    rcvd: Option<Rcvd>,
    ignoring: bool,
    next_at: Option<SimTime>,
    tca: bool,
    proposing: bool,
    agree: bool,
    tc_until: Option<SimTime>,
    tc_rcvd_until: Option<SimTime>,
}

/// One spanning tree instance.
#[derive(Clone, Debug)]
pub struct Bridge {
    cfg: BridgeConfig,
    ports: Vec<Port>,
    root: Vector,
    root_port: Option<usize>,
    next_hello: Option<SimTime>,
    tcn_pending: bool,
    tc_until: Option<SimTime>,
    tc_seen: bool,
    out: VecDeque<(usize, Repr)>,
    events: VecDeque<Event>,
}

fn wire_dur(v: u16) -> Duration {
    Duration::from_millis(u64::from(v) * 1000 / 256)
}

impl Bridge {
    /// A bridge with `ports`, every link down.
    pub fn new(cfg: BridgeConfig, ports: &[PortSetup]) -> Bridge {
        let n = ports.len();
        Bridge {
            cfg,
            ports: ports
                .iter()
                .enumerate()
                .map(|(i, s)| Port {
                    setup: *s,
                    id: PortId::new(u16::try_from(i + 1).unwrap_or(0xff)),
                    up: false,
                    edge: s.edge,
                    role: Role::Disabled,
                    state: State::Disabled,
                    rcvd: None,
                    ignoring: false,
                    next_at: None,
                    tca: false,
                    proposing: false,
                    agree: false,
                    tc_until: None,
                    tc_rcvd_until: None,
                })
                .collect(),
            root: Vector {
                root: cfg.id,
                cost: 0,
                bridge: cfg.id,
                port: PortId(0),
            },
            root_port: None,
            next_hello: None,
            tcn_pending: false,
            tc_until: None,
            tc_seen: false,
            out: VecDeque::with_capacity(n),
            events: VecDeque::new(),
        }
    }

    // ---- getters ----

    /// This bridge's ID.
    pub fn id(&self) -> BridgeId {
        self.cfg.id
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.cfg.mode
    }

    /// The timers.
    pub fn timers(&self) -> Timers {
        self.cfg.timers
    }

    /// The root bridge as this bridge believes it.
    pub fn root_id(&self) -> BridgeId {
        self.root.root
    }

    /// Root path cost.
    pub fn root_cost(&self) -> u32 {
        self.root.cost
    }

    /// The root port (`None` on the root).
    pub fn root_port(&self) -> Option<usize> {
        self.root_port
    }

    /// Whether this bridge is the root.
    pub fn is_root(&self) -> bool {
        self.root.root == self.cfg.id
    }

    /// Number of ports.
    pub fn port_count(&self) -> usize {
        self.ports.len()
    }

    /// A port's role, state and cost; `None` past the last port.
    pub fn port(&self, i: usize) -> Option<PortView> {
        let p = self.ports.get(i)?;
        let why = match (p.role, p.rcvd) {
            (Role::Alternate | Role::Backup, Some(r)) => Some(AlternateWhy {
                bridge: r.v.bridge,
                port: r.v.port,
                cost: r.v.cost,
                root_port: self.root_port,
            }),
            _ => None,
        };
        Some(PortView {
            role: p.role,
            state: p.state,
            cost: p.setup.cost,
            id: p.id,
            edge: p.edge,
            why,
        })
    }

    /// Whether frames may be forwarded through port `i`.
    pub fn forwarding(&self, i: usize) -> bool {
        self.ports
            .get(i)
            .is_some_and(|p| p.state == State::Forwarding)
    }

    /// Whether MAC addresses are learnt on port `i`.
    pub fn learning(&self, i: usize) -> bool {
        self.ports
            .get(i)
            .is_some_and(|p| matches!(p.state, State::Forwarding | State::Learning))
    }

    /// Whether a topology change is in progress (802.1D: MAC entries age
    /// out after the forward delay).
    pub fn topology_changing(&self, now: SimTime) -> bool {
        match self.cfg.mode {
            Mode::Pvst => {
                if self.is_root() {
                    self.tc_until.is_some_and(|t| now < t)
                } else {
                    self.tc_seen
                }
            }
            Mode::RapidPvst => self
                .ports
                .iter()
                .any(|p| p.tc_until.is_some_and(|t| now < t)),
        }
    }

    /// Whether every port that is up has its final state (forwarding for
    /// root and designated ports, blocking for the others) and no timer of
    /// a transition runs.
    pub fn converged(&self) -> bool {
        self.ports.iter().filter(|p| p.up).all(|p| {
            p.next_at.is_none()
                && match p.role {
                    Role::Root | Role::Designated => p.state == State::Forwarding,
                    Role::Alternate | Role::Backup => {
                        matches!(p.state, State::Blocking | State::Discarding)
                    }
                    Role::Disabled => true,
                }
        })
    }

    // ---- sans-IO ----

    /// The next BPDU to send: (port, BPDU).
    #[must_use]
    pub fn poll_output(&mut self) -> Option<(usize, Repr)> {
        self.out.pop_front()
    }

    /// The next decision.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Drops the queued decisions (when nobody reads them).
    pub fn clear_events(&mut self) {
        self.events.clear();
    }

    /// When [`Bridge::handle_timeout`] wants to run.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        let mut t = self.next_hello;
        let mut min = |x: Option<SimTime>| {
            if let Some(x) = x {
                t = Some(t.map_or(x, |t| t.min(x)));
            }
        };
        min(self.tc_until);
        for p in &self.ports {
            min(p.next_at);
            min(p.rcvd.map(|r| r.expires));
            min(p.tc_until);
        }
        t
    }

    /// A port's link came up.
    pub fn port_up(&mut self, now: SimTime, i: usize) {
        let Some(p) = self.ports.get_mut(i) else {
            return;
        };
        if p.up {
            return;
        }
        p.up = true;
        p.edge = p.setup.edge;
        p.role = Role::Disabled;
        p.state = if self.cfg.mode == Mode::Pvst {
            State::Blocking
        } else {
            State::Discarding
        };
        self.recompute(now, true);
        self.arm_hello(now);
    }

    /// A port's link went down.
    pub fn port_down(&mut self, now: SimTime, i: usize) {
        let Some(p) = self.ports.get_mut(i) else {
            return;
        };
        if !p.up {
            return;
        }
        let was_fwd = p.state == State::Forwarding && !p.edge;
        p.up = false;
        p.role = Role::Disabled;
        p.state = State::Disabled;
        p.rcvd = None;
        p.next_at = None;
        p.proposing = false;
        p.tc_until = None;
        self.events.push_back(Event::State {
            port: i,
            state: State::Disabled,
        });
        self.recompute(now, true);
        if was_fwd {
            self.topology_change(now, i);
        }
    }

    /// Changes the bridge priority (with sys-id-ext).
    pub fn set_priority(&mut self, now: SimTime, priority: u16) {
        if self.cfg.id.priority == priority {
            return;
        }
        self.cfg.id.priority = priority;
        self.recompute(now, true);
    }

    /// Sets whether port `i` is an edge (portfast) port.
    pub fn set_edge(&mut self, now: SimTime, i: usize, edge: bool) {
        if let Some(p) = self.ports.get_mut(i)
            && p.setup.edge != edge
        {
            p.setup.edge = edge;
            p.edge = edge;
            if edge && p.up && p.role == Role::Designated && p.state != State::Forwarding {
                self.set_state(now, i, State::Forwarding);
            }
        }
    }

    /// Changes how port `i` is set up (cost, edge, whether BPDUs go out).
    pub fn set_port_setup(&mut self, now: SimTime, i: usize, setup: PortSetup) {
        let Some(p) = self.ports.get_mut(i) else {
            return;
        };
        if p.setup == setup {
            return;
        }
        let edge_changed = p.setup.edge != setup.edge;
        let cost_changed = p.setup.cost != setup.cost;
        p.setup = setup;
        if !p.up {
            p.edge = setup.edge;
            return;
        }
        if edge_changed {
            p.setup.edge = !setup.edge;
            self.set_edge(now, i, setup.edge);
        }
        if cost_changed {
            self.recompute(now, true);
        }
        self.arm_hello(now);
    }

    /// A BPDU arrived on port `i`.
    pub fn handle_bpdu(&mut self, now: SimTime, i: usize, bpdu: &Repr) {
        let Some(p) = self.ports.get_mut(i) else {
            return;
        };
        if !p.up {
            return;
        }
        if p.edge {
            p.edge = false;
            self.events.push_back(Event::EdgeLost { port: i });
        }
        let c = match bpdu {
            Repr::Tcn => {
                self.receive_tcn(now, i);
                return;
            }
            Repr::Config(c) | Repr::Rst(c) => *c,
        };
        if c.message_age >= c.max_age {
            return;
        }
        if c.bridge == self.cfg.id && c.port == self.ports[i].id {
            return;
        }
        let msg = Vector {
            root: c.root,
            cost: c.cost,
            bridge: c.bridge,
            port: c.port,
        };
        let rapid = self.cfg.mode == Mode::RapidPvst;
        let designated = self.designated_vector(i);
        let p = &self.ports[i];
        let current = p.rcvd.map_or(designated, |r| r.v);
        let same_sender = p
            .rcvd
            .is_some_and(|r| r.v.bridge == msg.bridge && r.v.port == msg.port);
        let claims = !rapid || c.flags.role_bits() == 3 || c.flags.role_bits() == 0;
        let accept = claims && (msg < current || (same_sender && (msg == current || rapid)));
        if accept {
            let expires = if rapid {
                now + self.cfg.timers.hello * 3
            } else {
                now + wire_dur(c.max_age.saturating_sub(c.message_age))
            };
            let p = &mut self.ports[i];
            p.rcvd = Some(Rcvd {
                v: msg,
                msg_age: c.message_age,
                expires,
            });
            p.ignoring = false;
            if msg != current {
                self.recompute(now, true);
            } else {
                // 802.1D §8.6.2.2 "same information": the stored vector
                // is unchanged, so are the root and every role (recompute
                // would find nothing to do); only the age was refreshed.
                #[cfg(debug_assertions)]
                self.assert_settled(now);
            }
        } else if same_sender && claims {
            if !self.ports[i].ignoring {
                self.ports[i].ignoring = true;
                self.events.push_back(Event::InferiorIgnored { port: i });
            }
        } else if claims && self.ports[i].role == Role::Designated && msg > designated {
            // 802.1D §8.6.2.3: reply to an inferior BPDU at once.
            self.send(now, i);
        }
        self.flags(now, i, c.flags);
    }

    /// Runs what is due at `now`.
    pub fn handle_timeout(&mut self, now: SimTime) {
        let mut expired = false;
        for i in 0..self.ports.len() {
            let p = &mut self.ports[i];
            if p.rcvd.is_some_and(|r| r.expires <= now) {
                p.rcvd = None;
                p.ignoring = false;
                expired = true;
                self.events.push_back(Event::InfoExpired { port: i });
            }
            if p.tc_until.is_some_and(|t| t <= now) {
                p.tc_until = None;
            }
        }
        if expired {
            self.recompute(now, true);
        }
        if self.tc_until.is_some_and(|t| t <= now) {
            self.tc_until = None;
        }
        for i in 0..self.ports.len() {
            let p = &self.ports[i];
            if p.next_at.is_some_and(|t| t <= now) {
                let next = match p.state {
                    State::Listening => State::Learning,
                    State::Discarding => State::Learning,
                    State::Learning => State::Forwarding,
                    s => s,
                };
                self.ports[i].next_at = None;
                if next == State::Forwarding {
                    self.ports[i].proposing = false;
                }
                self.set_state(now, i, next);
            }
        }
        if self.next_hello.is_some_and(|t| t <= now) {
            self.next_hello = None;
            for i in 0..self.ports.len() {
                if self.ports[i].role == Role::Designated {
                    self.send(now, i);
                }
            }
            if self.cfg.mode == Mode::Pvst
                && self.tcn_pending
                && let Some(rp) = self.root_port
            {
                self.out.push_back((rp, Repr::Tcn));
            }
            self.arm_hello(now);
        }
    }

    // ---- internals ----

    /// Checks that recomputing now would change nothing (the "same
    /// information" shortcut in [`Bridge::handle_bpdu`] relies on it).
    #[cfg(debug_assertions)]
    fn assert_settled(&self, now: SimTime) {
        let mut again = self.clone();
        again.recompute(now, false);
        assert_eq!(again.events.len(), self.events.len(), "{again:?}");
        assert_eq!(again.out.len(), self.out.len());
        assert_eq!((again.root, again.root_port), (self.root, self.root_port));
        for (a, b) in again.ports.iter().zip(&self.ports) {
            assert_eq!((a.role, a.state, a.next_at), (b.role, b.state, b.next_at));
        }
    }

    fn arm_hello(&mut self, now: SimTime) {
        if self.next_hello.is_none()
            && self
                .ports
                .iter()
                .any(|p| p.up && p.setup.send_bpdus && p.role != Role::Disabled)
        {
            self.next_hello = Some(now + self.cfg.timers.hello);
        }
    }

    fn designated_vector(&self, i: usize) -> Vector {
        Vector {
            root: self.root.root,
            cost: self.root.cost,
            bridge: self.cfg.id,
            port: self.ports[i].id,
        }
    }

    /// Recomputes the root and every port's role (802.1D §8.6.8–8.6.10).
    fn recompute(&mut self, now: SimTime, announce: bool) {
        let own = Vector {
            root: self.cfg.id,
            cost: 0,
            bridge: self.cfg.id,
            port: PortId(0),
        };
        let mut best = (own, PortId(0));
        let mut rp = None;
        for (i, p) in self.ports.iter().enumerate() {
            let Some(r) = p.rcvd.filter(|_| p.up) else {
                continue;
            };
            if r.v.bridge == self.cfg.id {
                continue;
            }
            let cand = (
                Vector {
                    root: r.v.root,
                    cost: r.v.cost.saturating_add(p.setup.cost),
                    bridge: r.v.bridge,
                    port: r.v.port,
                },
                p.id,
            );
            if cand < best {
                best = cand;
                rp = Some(i);
            }
        }
        let changed =
            best.0.root != self.root.root || best.0.cost != self.root.cost || rp != self.root_port;
        let was_root = self.is_root();
        self.root = best.0;
        self.root_port = rp;
        if changed {
            self.events.push_back(Event::NewRoot {
                root: self.root.root,
                port: rp,
                cost: self.root.cost,
            });
            if self.is_root() && !was_root {
                self.tcn_pending = false;
                self.tc_seen = false;
            }
        }
        for i in 0..self.ports.len() {
            if !self.ports[i].up {
                continue;
            }
            let dv = self.designated_vector(i);
            let p = &self.ports[i];
            let role = if Some(i) == rp {
                Role::Root
            } else {
                match p.rcvd {
                    Some(r) if r.v < dv => {
                        if r.v.bridge == self.cfg.id {
                            Role::Backup
                        } else {
                            Role::Alternate
                        }
                    }
                    _ => Role::Designated,
                }
            };
            if role != p.role {
                self.set_role(now, i, role);
            }
        }
        if changed || announce {
            for i in 0..self.ports.len() {
                if self.ports[i].up && self.ports[i].role == Role::Designated {
                    self.send(now, i);
                }
            }
        }
    }

    fn set_role(&mut self, now: SimTime, i: usize, role: Role) {
        let rapid = self.cfg.mode == Mode::RapidPvst;
        let fd = self.cfg.timers.forward_delay;
        self.ports[i].role = role;
        let why = self.port(i).and_then(|v| v.why);
        self.events.push_back(Event::Role { port: i, role, why });
        let p = &mut self.ports[i];
        match role {
            Role::Root | Role::Designated => {
                if role == Role::Designated {
                    p.rcvd = None;
                    p.ignoring = false;
                }
                let stopped = matches!(p.state, State::Blocking | State::Discarding);
                if p.edge && role == Role::Designated {
                    if p.state != State::Forwarding {
                        p.next_at = None;
                        self.set_state(now, i, State::Forwarding);
                    }
                } else if rapid {
                    if role == Role::Root {
                        if p.state != State::Forwarding {
                            p.next_at = None;
                            p.proposing = false;
                            self.set_state(now, i, State::Forwarding);
                        }
                    } else if p.state != State::Forwarding {
                        self.propose(now, i);
                    }
                } else if stopped {
                    p.next_at = Some(now + fd);
                    self.set_state(now, i, State::Listening);
                }
            }
            Role::Alternate | Role::Backup => {
                p.next_at = None;
                p.proposing = false;
                let blocked = if rapid {
                    State::Discarding
                } else {
                    State::Blocking
                };
                if p.state != blocked {
                    self.set_state(now, i, blocked);
                }
            }
            Role::Disabled => {}
        }
    }

    fn set_state(&mut self, now: SimTime, i: usize, state: State) {
        let fd = self.cfg.timers.forward_delay;
        let p = &mut self.ports[i];
        let old = p.state;
        if old == state {
            return;
        }
        p.state = state;
        if state == State::Learning {
            p.next_at = Some(now + fd);
        }
        let edge = p.edge;
        self.events.push_back(Event::State { port: i, state });
        let tc = match self.cfg.mode {
            // 802.1D §8.5.5: entering forwarding, or leaving it for blocking.
            Mode::Pvst => {
                (state == State::Forwarding && self.has_designated_or_root())
                    || (old == State::Forwarding && state == State::Blocking)
            }
            // 802.1w: only a non-edge port that starts forwarding.
            Mode::RapidPvst => state == State::Forwarding,
        };
        if tc && !edge {
            self.topology_change(now, i);
        }
    }

    fn has_designated_or_root(&self) -> bool {
        self.ports
            .iter()
            .any(|p| p.up && matches!(p.role, Role::Root | Role::Designated))
    }
}
