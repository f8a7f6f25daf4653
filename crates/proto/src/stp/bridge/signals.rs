//! What crosses the wire besides roles: BPDU flags (TC, TCA, proposal,
//! agreement), TCNs, topology change propagation, and building the BPDU a
//! port sends.

use super::super::event::Event;
use super::super::types::{Mode, Role, State};
use super::super::wire::{Config, Flags, Repr, secs_to_wire};
use super::Bridge;
use crate::SimTime;

impl Bridge {
    pub(super) fn flags(&mut self, now: SimTime, i: usize, f: Flags) {
        let role = self.ports[i].role;
        match self.cfg.mode {
            Mode::Pvst => {
                if Some(i) == self.root_port {
                    if f.has(Flags::TCA) {
                        self.tcn_pending = false;
                    }
                    let tc = f.has(Flags::TC);
                    if tc && !self.tc_seen {
                        self.events.push_back(Event::Flush { keep: None });
                    }
                    self.tc_seen = tc;
                }
            }
            Mode::RapidPvst => {
                if f.has(Flags::PROPOSAL) && role == Role::Root {
                    self.sync(now, i);
                }
                if f.has(Flags::AGREEMENT) && role == Role::Designated && self.ports[i].proposing {
                    self.ports[i].proposing = false;
                    self.ports[i].next_at = None;
                    self.events.push_back(Event::Agreed { port: i });
                    self.set_state(now, i, State::Forwarding);
                }
                if f.has(Flags::TC)
                    && matches!(role, Role::Root | Role::Designated)
                    && self.ports[i].tc_rcvd_until.is_none_or(|t| now >= t)
                {
                    // One topology change is handled once per port: the
                    // TC flag repeats for 2 × hello.
                    self.ports[i].tc_rcvd_until = Some(now + self.cfg.timers.hello * 2);
                    self.events.push_back(Event::Flush { keep: Some(i) });
                    self.propagate_tc(now, Some(i));
                }
            }
        }
    }

    /// Rapid: a proposal on the root port. Block the designated ports that
    /// have not agreed, forward the root port, agree.
    pub(super) fn sync(&mut self, now: SimTime, root: usize) {
        for j in 0..self.ports.len() {
            let p = &self.ports[j];
            if j != root
                && p.up
                && !p.edge
                && p.role == Role::Designated
                && p.state != State::Discarding
                && !p.proposing
            {
                self.set_state(now, j, State::Discarding);
                self.propose(now, j);
            }
        }
        if self.ports[root].state != State::Forwarding {
            self.set_state(now, root, State::Forwarding);
        }
        self.ports[root].agree = true;
        self.events.push_back(Event::AgreementSent { port: root });
        self.send(now, root);
    }

    pub(super) fn propose(&mut self, now: SimTime, j: usize) {
        let fd = self.cfg.timers.forward_delay;
        let p = &mut self.ports[j];
        p.proposing = true;
        p.next_at = Some(now + fd);
        self.events.push_back(Event::Proposal { port: j });
        self.send(now, j);
    }

    pub(super) fn receive_tcn(&mut self, now: SimTime, i: usize) {
        if self.ports[i].role != Role::Designated {
            return;
        }
        self.events.push_back(Event::TcnReceived { port: i });
        match self.cfg.mode {
            Mode::Pvst => {
                self.ports[i].tca = true;
                self.send(now, i);
                self.tc_elsewhere(now);
            }
            Mode::RapidPvst => {
                if self.ports[i].tc_rcvd_until.is_none_or(|t| now >= t) {
                    self.ports[i].tc_rcvd_until = Some(now + self.cfg.timers.hello * 2);
                    self.events.push_back(Event::Flush { keep: Some(i) });
                    self.propagate_tc(now, Some(i));
                }
            }
        }
    }

    /// 802.1D: a topology change reached this bridge: tell the root.
    pub(super) fn tc_elsewhere(&mut self, now: SimTime) {
        if self.is_root() {
            if self.tc_until.is_none_or(|t| now >= t) {
                self.events.push_back(Event::Flush { keep: None });
            }
            self.tc_until = Some(now + self.cfg.timers.max_age + self.cfg.timers.forward_delay);
        } else if let Some(rp) = self.root_port {
            self.tcn_pending = true;
            self.out.push_back((rp, Repr::Tcn));
        }
    }

    pub(super) fn topology_change(&mut self, now: SimTime, i: usize) {
        self.events.push_back(Event::TopologyChange { port: i });
        match self.cfg.mode {
            Mode::Pvst => self.tc_elsewhere(now),
            Mode::RapidPvst => {
                self.events.push_back(Event::Flush { keep: Some(i) });
                self.propagate_tc(now, None);
            }
        }
    }

    pub(super) fn propagate_tc(&mut self, now: SimTime, except: Option<usize>) {
        let until = now + self.cfg.timers.hello * 2;
        for j in 0..self.ports.len() {
            let p = &self.ports[j];
            if Some(j) != except
                && p.up
                && !p.edge
                && matches!(p.role, Role::Root | Role::Designated)
                && p.tc_until.is_none_or(|t| now >= t)
            {
                self.ports[j].tc_until = Some(until);
                self.send(now, j);
            }
        }
    }

    /// Queues this bridge's BPDU for port `i`.
    pub(super) fn send(&mut self, now: SimTime, i: usize) {
        let p = &self.ports[i];
        if !p.up || !p.setup.send_bpdus {
            return;
        }
        let t = self.cfg.timers;
        let msg_age = match self.root_port.and_then(|r| self.ports[r].rcvd) {
            Some(r) => r.msg_age.saturating_add(256),
            None => 0,
        };
        let mut flags = Flags(0);
        let repr_rst = self.cfg.mode == Mode::RapidPvst;
        if repr_rst {
            let role = match p.role {
                Role::Root => 2,
                Role::Designated => 3,
                Role::Alternate | Role::Backup => 1,
                Role::Disabled => 0,
            };
            flags = flags.with_role(role);
            if matches!(p.state, State::Learning | State::Forwarding) {
                flags.0 |= Flags::LEARNING;
            }
            if p.state == State::Forwarding {
                flags.0 |= Flags::FORWARDING;
            }
            if p.proposing && p.state != State::Forwarding {
                flags.0 |= Flags::PROPOSAL;
            }
            if p.agree {
                flags.0 |= Flags::AGREEMENT;
            }
            if p.tc_until.is_some_and(|x| now < x) {
                flags.0 |= Flags::TC;
            }
        } else {
            if p.tca {
                flags.0 |= Flags::TCA;
            }
            if self.topology_changing(now) {
                flags.0 |= Flags::TC;
            }
        }
        let c = Config {
            flags,
            root: self.root.root,
            cost: self.root.cost,
            bridge: self.cfg.id,
            port: p.id,
            message_age: msg_age,
            max_age: secs_to_wire(t.max_age.as_secs()),
            hello: secs_to_wire(t.hello.as_secs()),
            forward_delay: secs_to_wire(t.forward_delay.as_secs()),
        };
        let p = &mut self.ports[i];
        p.tca = false;
        p.agree = false;
        // One BPDU per port per burst: a newer one replaces a queued one,
        // keeping its one-shot flags (agreement, TC acknowledgment).
        let mut c = c;
        if let Some(k) = self
            .out
            .iter()
            .position(|(j, b)| *j == i && b.config().is_some())
            && let Some((_, old)) = self.out.remove(k)
            && let Some(o) = old.config()
        {
            c.flags.0 |= o.flags.0 & (Flags::AGREEMENT | Flags::TCA);
        }
        self.out.push_back((
            i,
            if repr_rst {
                Repr::Rst(c)
            } else {
                Repr::Config(c)
            },
        ));
    }
}
