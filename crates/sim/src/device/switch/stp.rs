//! The switch's spanning tree: one [`lanlab_proto::stp::Bridge`] per VLAN
//! of the switch's VLAN database (PVST+; VLAN 1 always), BPDUs in and out
//! as real frames, and the answers the switch asks before it learns or
//! forwards ("may port 3 forward in VLAN 10?").
//!
//! A VLAN's instance runs on the ports that carry the VLAN (access ports
//! in it, trunks allowing it); on the others the port is disabled in that
//! instance and no BPDU of the VLAN goes out. On an access port the
//! BPDUs are IEEE BPDUs (LLC 42-42-03 to 01:80:c2:00:00:00), untagged. On
//! a trunk, VLAN 1 goes out as an IEEE BPDU when the native VLAN is 1;
//! every other VLAN as a Cisco PVST+ SSTP BPDU, 802.1Q-tagged with its
//! VLAN, or untagged in the trunk's native VLAN, as Cisco sends them.
//! (Cisco also sends VLAN 1 a second time as an untagged SSTP BPDU on a
//! native-VLAN-1 trunk; lanlab sends it once.) A BPDU whose VLAN the port
//! does not carry, or whose tag disagrees with its PVST+ VLAN, is ignored.
//!
//! A port cabled to a PC, server or router (anything but a switch) is an
//! edge port: it forwards at once, as with `spanning-tree portfast`, and
//! BPDUs are not sent on it, as with Cisco's `spanning-tree portfast
//! bpdufilter default`. Ports between switches run the whole protocol.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use lanlab_doc::stp::{StpMode, StpSettings};
use lanlab_proto::SimTime;
use lanlab_proto::stp::frame::{self, BpduFrame, Encap, MAX_FRAME};
use lanlab_proto::stp::{
    Bridge, BridgeConfig, BridgeId, Event, Mode, PortSetup, PortView, Timers, cost_for_speed,
};

use super::vlan::{PortVlan, VlanMap};

use crate::note::{Note, PortName, StpNote, StpWhat, StpWhy};

/// Names of the lab's switches by bridge MAC, for notes ("SW1's BPDU").
pub type BridgeNames = Rc<BTreeMap<[u8; 6], String>>;

/// The spanning tree of one switch.
#[derive(Clone, Debug)]
pub struct Stp {
    settings: StpSettings,
    /// The ports' VLAN membership: which instances run on which port.
    vlan_map: VlanMap,
    mac: [u8; 6],
    port_macs: Vec<[u8; 6]>,
    names: Vec<PortName>,
    costs: Vec<u32>,
    up: Vec<bool>,
    peer_switch: Vec<bool>,
    instances: BTreeMap<u16, Bridge>,
    /// Each instance's VLAN and [`Bridge::poll_timeout`], in the order of
    /// `instances` (ascending VLAN), kept up to date after every call that
    /// may change it: asking 20 instances after every frame is what made a
    /// 100-switch grid slow.
    timeouts: Vec<(u16, Option<SimTime>)>,
    /// The earliest of the instances' timeouts.
    next: Option<SimTime>,
    wake: Option<SimTime>,
    bridges: BridgeNames,
    /// Ports that have been cabled to a switch: their decisions are noted
    /// (an edge port to a PC forwards at once and says nothing).
    noted: Vec<bool>,
    /// BPDUs and decisions taken outside an event (a cable plugged),
    /// sent and noted at the switch's next timer.
    pending_out: Vec<Pending>,
    pending_ev: Vec<(u16, Event)>,
}

/// A BPDU an instance queued: its VLAN, the port, the BPDU.
type Pending = (u16, usize, lanlab_proto::stp::Repr);

/// What the switch must do after the spanning tree ran: flush MAC
/// entries (keeping those on one port), and whether short aging applies.
#[derive(Default)]
pub(crate) struct Fallout {
    /// Flush the table except entries on this port (`Some(None)`: keep none).
    pub flush: Option<Option<usize>>,
}

fn mode_of(m: StpMode) -> Mode {
    match m {
        StpMode::Pvst => Mode::Pvst,
        StpMode::RapidPvst => Mode::RapidPvst,
    }
}

/// Cisco's short cost from an interface name (`GigabitEthernet` 4,
/// `TenGigabitEthernet` 2, else 100 Mb/s: 19).
pub fn port_cost(name: &str) -> u32 {
    let n = name.to_ascii_lowercase();
    if n.starts_with("te") {
        cost_for_speed(10_000)
    } else if n.starts_with("gi") {
        cost_for_speed(1000)
    } else {
        cost_for_speed(100)
    }
}

impl Stp {
    /// A switch's spanning tree, every link down, one instance for VLAN 1.
    pub fn new(
        settings: &StpSettings,
        vlans: &VlanMap,
        mac: [u8; 6],
        ports: &[(PortName, [u8; 6])],
    ) -> Stp {
        let mut s = Stp {
            settings: settings.clone(),
            vlan_map: vlans.clone(),
            mac,
            port_macs: ports.iter().map(|p| p.1).collect(),
            names: ports.iter().map(|p| p.0.clone()).collect(),
            costs: ports.iter().map(|p| port_cost(&p.0)).collect(),
            up: vec![false; ports.len()],
            peer_switch: vec![false; ports.len()],
            instances: BTreeMap::new(),
            timeouts: Vec::new(),
            next: None,
            wake: None,
            bridges: Rc::default(),
            noted: vec![false; ports.len()],
            pending_out: Vec::new(),
            pending_ev: Vec::new(),
        };
        for v in s.vlans() {
            s.instances.insert(v, s.fresh(v));
        }
        s.reindex();
        s
    }

    /// Re-reads every instance's timeout (after instances came or went).
    fn reindex(&mut self) {
        self.timeouts = self
            .instances
            .iter()
            .map(|(&v, b)| (v, b.poll_timeout()))
            .collect();
        self.refresh_next();
    }

    fn refresh_next(&mut self) {
        self.next = self.timeouts.iter().filter_map(|t| t.1).min();
    }

    /// The VLANs with an instance: those of the VLAN database (VLAN 1
    /// always). `spanning-tree vlan N priority P` for a VLAN the database
    /// lacks is kept in the configuration and used once the VLAN exists.
    fn vlans(&self) -> Vec<u16> {
        self.vlan_map.ids().collect()
    }

    /// Whether port `i` takes part in `vlan`'s instance: its link is up
    /// and it carries the VLAN.
    fn active(&self, vlan: u16, i: usize) -> bool {
        self.up.get(i).copied().unwrap_or(false) && self.vlan_map.carries(i, vlan)
    }

    fn setup(&self, i: usize) -> PortSetup {
        let peer = self.peer_switch[i];
        PortSetup {
            cost: self.costs[i],
            edge: self.settings.is_portfast(i) || !peer,
            send_bpdus: peer,
        }
    }

    fn fresh(&self, vlan: u16) -> Bridge {
        let setups: Vec<PortSetup> = (0..self.costs.len()).map(|i| self.setup(i)).collect();
        Bridge::new(
            BridgeConfig {
                mode: mode_of(self.settings.mode),
                id: BridgeId {
                    priority: self.settings.bridge_priority(vlan),
                    mac: self.mac,
                },
                timers: Timers::default(),
            },
            &setups,
        )
    }

    /// Tells the spanning tree the names of the lab's switches.
    pub fn set_bridge_names(&mut self, names: BridgeNames) {
        self.bridges = names;
    }

    /// The instances, by VLAN.
    pub fn instances(&self) -> &BTreeMap<u16, Bridge> {
        &self.instances
    }

    /// The mode.
    pub fn mode(&self) -> StpMode {
        self.settings.mode
    }

    /// A port's role and state in `vlan`.
    pub fn port(&self, vlan: u16, port: usize) -> Option<PortView> {
        self.instances.get(&vlan)?.port(port)
    }

    /// Whether frames of `vlan` may go through `port` (no instance: yes).
    pub fn forwarding(&self, vlan: u16, port: usize) -> bool {
        self.instances.get(&vlan).is_none_or(|b| b.forwarding(port))
    }

    /// Whether addresses are learnt on `port` in `vlan`.
    pub fn learning(&self, vlan: u16, port: usize) -> bool {
        self.instances.get(&vlan).is_none_or(|b| b.learning(port))
    }

    /// Whether a topology change asks for short MAC aging.
    pub fn short_aging(&self, now: SimTime) -> bool {
        self.instances
            .values()
            .any(|b| b.mode() == Mode::Pvst && b.topology_changing(now))
    }

    /// The forward delay (the short MAC aging time).
    pub fn forward_delay(&self) -> Duration {
        Timers::default().forward_delay
    }

    /// Whether every instance has converged.
    pub fn converged(&self) -> bool {
        self.instances.values().all(Bridge::converged)
    }

    /// Link state and neighbour kind of every port changed (or may have).
    pub fn sync_ports(&mut self, now: SimTime, up: &[bool], peer_switch: &[bool]) {
        for i in 0..self.up.len() {
            let u = up.get(i).copied().unwrap_or(false);
            let ps = peer_switch.get(i).copied().unwrap_or(false);
            if ps != self.peer_switch[i] {
                self.peer_switch[i] = ps;
                self.noted[i] |= ps;
                let setup = self.setup(i);
                for b in self.instances.values_mut() {
                    b.set_port_setup(now, i, setup);
                }
            }
            if u != self.up[i] {
                self.up[i] = u;
                let map = &self.vlan_map;
                for (&v, b) in self.instances.iter_mut() {
                    if !map.carries(i, v) {
                        continue;
                    }
                    if u {
                        b.port_up(now, i);
                    } else {
                        b.port_down(now, i);
                    }
                }
            }
        }
        self.reindex();
        self.collect(now, None);
    }

    /// Moves what the instances (or only `only`'s, the one VLAN that
    /// ran; `Some(None)`: none ran) queued outside an event into the
    /// pending lists; wakes the switch only when something is to be sent
    /// or said.
    fn collect(&mut self, now: SimTime, only: Option<Option<u16>>) {
        match only {
            None => {
                for (&vlan, b) in self.instances.iter_mut() {
                    take_queued(vlan, b, &mut self.pending_out, &mut self.pending_ev);
                }
            }
            Some(Some(vlan)) => {
                if let Some(b) = self.instances.get_mut(&vlan) {
                    take_queued(vlan, b, &mut self.pending_out, &mut self.pending_ev);
                }
            }
            Some(None) => {}
        }
        if self.pending_out.is_empty() && self.pending_ev.is_empty() {
            return;
        }
        let noted = &self.noted;
        self.pending_ev
            .retain(|(_, e)| event_port(e).is_none_or(|p| noted[p]));
        if !self.pending_out.is_empty() || !self.pending_ev.is_empty() {
            self.wake = Some(now);
        }
    }

    /// Applies changed settings (mode: every instance restarts) and VLANs
    /// (an instance per VLAN of the database; a port joins or leaves an
    /// instance as it starts or stops carrying the VLAN).
    pub fn reconfigure(&mut self, now: SimTime, settings: &StpSettings, vlans: &VlanMap) {
        let old_map = std::mem::replace(&mut self.vlan_map, vlans.clone());
        if *settings == self.settings && old_map.same_membership(vlans) {
            return;
        }
        let restart = settings.mode != self.settings.mode;
        self.settings = settings.clone();
        let wanted = self.vlans();
        self.instances.retain(|v, _| wanted.contains(v));
        for vlan in wanted {
            if restart || !self.instances.contains_key(&vlan) {
                let mut b = self.fresh(vlan);
                for i in 0..self.up.len() {
                    if self.active(vlan, i) {
                        b.port_up(now, i);
                    }
                }
                self.instances.insert(vlan, b);
            } else {
                let joins: Vec<(usize, bool)> = (0..self.up.len())
                    .filter(|&i| self.up[i])
                    .filter_map(|i| {
                        let (was, is) = (old_map.carries(i, vlan), self.vlan_map.carries(i, vlan));
                        (was != is).then_some((i, is))
                    })
                    .collect();
                if let Some(b) = self.instances.get_mut(&vlan) {
                    for (i, is) in joins {
                        if is {
                            b.port_up(now, i);
                        } else {
                            b.port_down(now, i);
                        }
                    }
                }
                let prio = self.settings.bridge_priority(vlan);
                let setups: Vec<PortSetup> = (0..self.up.len()).map(|i| self.setup(i)).collect();
                if let Some(b) = self.instances.get_mut(&vlan) {
                    b.set_priority(now, prio);
                    for (i, s) in setups.into_iter().enumerate() {
                        b.set_port_setup(now, i, s);
                    }
                }
            }
        }
        self.reindex();
        self.collect(now, None);
    }

    /// When the spanning tree wants to run next.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.next.into_iter().chain(self.wake).min()
    }

    /// Runs the instances' timers due at `now`; notes go to `notes` when
    /// someone keeps them.
    pub(crate) fn handle_timeout(
        &mut self,
        now: SimTime,
        tx: &mut Vec<(usize, Rc<[u8]>)>,
        notes: Option<&mut Vec<Note>>,
    ) -> Fallout {
        self.wake = None;
        for (b, (_, t)) in self.instances.values_mut().zip(self.timeouts.iter_mut()) {
            if t.is_some_and(|t| t <= now) {
                b.handle_timeout(now);
                *t = b.poll_timeout();
            }
        }
        self.refresh_next();
        self.drain(now, None, tx, notes)
    }

    /// A frame to a spanning tree address arrived on `port` (notes as for
    /// [`Stp::handle_timeout`]).
    pub(crate) fn handle_bpdu(
        &mut self,
        now: SimTime,
        port: usize,
        bytes: &[u8],
        tx: &mut Vec<(usize, Rc<[u8]>)>,
        mut notes: Option<&mut Vec<Note>>,
    ) -> Fallout {
        let mut ran = None;
        match frame::parse(bytes) {
            Ok(f) => {
                if let Some(vlan) = self.bpdu_vlan(port, &f)
                    && let Ok(k) = self.timeouts.binary_search_by_key(&vlan, |t| t.0)
                    && let Some(b) = self.instances.get_mut(&vlan)
                {
                    b.handle_bpdu(now, port, &f.bpdu);
                    let t = b.poll_timeout();
                    if let Some((_, old)) = self.timeouts.get_mut(k)
                        && *old != t
                    {
                        *old = t;
                        self.refresh_next();
                    }
                    ran = Some(vlan);
                }
            }
            Err(_) => {
                if let Some(notes) = notes.as_deref_mut() {
                    notes.push(Note::Malformed { what: "BPDU" });
                }
            }
        }
        // Only the instance that ran has queued anything.
        self.drain(now, Some(ran), tx, notes)
    }

    /// The instance a BPDU that arrived on `port` is for, if the port
    /// carries it: an access port's VLAN (untagged only), on a trunk the
    /// PVST+ VLAN (its tag, or no tag in the native VLAN) or, for an IEEE
    /// BPDU, the native VLAN.
    fn bpdu_vlan(&self, port: usize, f: &BpduFrame) -> Option<u16> {
        let native = match self.vlan_map.port(port) {
            PortVlan::Access(_) if f.tag.is_some() => return None,
            PortVlan::Access(v) => *v,
            PortVlan::Trunk { native, .. } => *native,
        };
        let vlan = f.vlan(native);
        if let Encap::Pvst { vlan: v } = f.encap
            && f.tag.unwrap_or(native) != v
        {
            return None;
        }
        (self.vlan_map.carries(port, vlan) && self.up.get(port).copied().unwrap_or(false))
            .then_some(vlan)
    }

    /// How a BPDU of `vlan` leaves `port`: its encapsulation and tag.
    fn bpdu_encap(&self, port: usize, vlan: u16) -> (Encap, Option<u16>) {
        match self.vlan_map.port(port) {
            PortVlan::Access(_) => (Encap::Ieee, None),
            PortVlan::Trunk { native: 1, .. } if vlan == 1 => (Encap::Ieee, None),
            PortVlan::Trunk { .. } => (Encap::Pvst { vlan }, self.vlan_map.egress_tag(port, vlan)),
        }
    }

    fn name_of(&self, id: BridgeId) -> String {
        match self.bridges.get(&id.mac) {
            Some(n) => n.clone(),
            None => id.to_string(),
        }
    }

    /// Sends what the instances (or only `only`'s, as for
    /// [`Stp::collect`]) queued and turns their decisions into notes.
    fn drain(
        &mut self,
        now: SimTime,
        only: Option<Option<u16>>,
        tx: &mut Vec<(usize, Rc<[u8]>)>,
        notes: Option<&mut Vec<Note>>,
    ) -> Fallout {
        let mut out = Fallout::default();
        let fd = self.forward_delay().as_secs();
        self.collect(now, only);
        self.wake = None;
        let mut outs = std::mem::take(&mut self.pending_out);
        let mut evs = std::mem::take(&mut self.pending_ev);
        let mut buf = [0u8; MAX_FRAME];
        for (vlan, port, bpdu) in outs.drain(..) {
            {
                let Some(&src) = self.port_macs.get(port) else {
                    continue;
                };
                if !self.vlan_map.carries(port, vlan) {
                    continue;
                }
                let (encap, tag) = self.bpdu_encap(port, vlan);
                let f = BpduFrame {
                    src,
                    tag,
                    encap,
                    bpdu,
                };
                // Encoded on the stack: one allocation per frame.
                let n = f.emit_into(&mut buf);
                tx.push((port, Rc::from(&buf[..n])));
            }
        }
        // The emptied lists keep their room for the next event.
        self.pending_out = outs;
        let Some(notes) = notes else {
            // Nobody reads the notes: only a flush matters.
            for (_, ev) in evs.drain(..) {
                if let Event::Flush { keep } = ev {
                    out.flush = Some(keep);
                }
            }
            self.pending_ev = evs;
            return out;
        };
        for (vlan, ev) in evs.drain(..) {
            {
                let port_name = |p: usize| self.names.get(p).cloned();
                let (port, what) = match ev {
                    Event::NewRoot { root, port, cost } => (
                        port.and_then(port_name),
                        StpWhat::NewRoot {
                            root: format!("{} ({root})", self.name_of(root)),
                            cost,
                        },
                    ),
                    Event::Role { port, role, why } => (
                        port_name(port),
                        StpWhat::Role {
                            role,
                            why: why.map(|w| StpWhy {
                                from: self.name_of(w.bridge),
                                their_port: w.port.to_string(),
                                cost: w.cost,
                                root_port: w.root_port.and_then(port_name),
                            }),
                        },
                    ),
                    Event::State { port, state } => {
                        use lanlab_proto::stp::State as S;
                        let next_in = matches!(state, S::Listening | S::Learning).then_some(fd);
                        (port_name(port), StpWhat::State { state, next_in })
                    }
                    Event::InfoExpired { port } => (port_name(port), StpWhat::InfoExpired),
                    Event::InferiorIgnored { port } => (port_name(port), StpWhat::InferiorIgnored),
                    Event::TopologyChange { port } => (port_name(port), StpWhat::TopologyChange),
                    Event::TcnReceived { port } => (port_name(port), StpWhat::TcnReceived),
                    Event::Flush { keep } => {
                        out.flush = Some(keep);
                        (keep.and_then(port_name), StpWhat::Flush)
                    }
                    Event::Proposal { port } => (port_name(port), StpWhat::Proposal),
                    Event::Agreed { port } => (port_name(port), StpWhat::Agreed),
                    Event::AgreementSent { port } => (port_name(port), StpWhat::AgreementSent),
                    Event::EdgeLost { port } => (port_name(port), StpWhat::EdgeLost),
                };
                notes.push(Note::Stp(Box::new(StpNote { vlan, port, what })));
            }
        }
        self.pending_ev = evs;
        out
    }
}

/// Moves what `b` (the instance of `vlan`) queued to `out` and `evs`.
fn take_queued(vlan: u16, b: &mut Bridge, out: &mut Vec<Pending>, evs: &mut Vec<(u16, Event)>) {
    while let Some((p, r)) = b.poll_output() {
        out.push((vlan, p, r));
    }
    while let Some(e) = b.poll_event() {
        evs.push((vlan, e));
    }
}

/// The port an event is about (`None`: the bridge as a whole).
fn event_port(e: &Event) -> Option<usize> {
    match *e {
        Event::NewRoot { .. } | Event::Flush { keep: None } => None,
        Event::Flush { keep: Some(p) }
        | Event::Role { port: p, .. }
        | Event::State { port: p, .. }
        | Event::InfoExpired { port: p }
        | Event::InferiorIgnored { port: p }
        | Event::TopologyChange { port: p }
        | Event::TcnReceived { port: p }
        | Event::Proposal { port: p }
        | Event::Agreed { port: p }
        | Event::AgreementSent { port: p }
        | Event::EdgeLost { port: p } => Some(p),
    }
}
