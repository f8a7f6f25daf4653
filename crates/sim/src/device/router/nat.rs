//! NAT on a router: the [`Nat`] engine of `lanlab_proto::nat` fed from the
//! router's IOS settings, called as IOS orders NAT and routing (outside →
//! inside before the route lookup, inside → outside after it with the
//! egress interface), its outcomes as trace notes, its idle entries
//! expired on the router's timer, and the lines `debug ip nat` prints.

use std::net::Ipv4Addr;

use lanlab_proto::SimTime;
use lanlab_proto::firewall::AclConfig;
use lanlab_proto::nat::{Nat, NatOutcome, RouterEnv, Untranslated};

use super::Router;
use crate::device::Ctx;
use crate::lab::Device;
use crate::note::Note;

/// Most `debug ip nat` lines kept until the console collects them.
pub const NAT_DEBUG_BACKLOG: usize = 1000;

/// A router's NAT: the engine and what the console asked of it.
#[derive(Clone, Debug)]
pub(super) struct RouterNat {
    engine: Nat,
    /// Each interface's address, by port index (for `interface … overload`).
    addrs: Vec<Option<Ipv4Addr>>,
    /// `debug ip nat` is on.
    debug: bool,
    /// `debug ip nat` lines not yet shown.
    debug_lines: Vec<String>,
}

/// What the inbound call decided.
pub(super) enum Inbound {
    /// Not translated: forward (or deliver) the packet as it is.
    Pass,
    /// Rewritten: these bytes go on.
    Translated(Vec<u8>),
    /// NAT dropped it.
    Drop,
}

impl Router {
    /// Applies the device's NAT settings; keeps the translation table when
    /// only unrelated settings changed.
    pub(super) fn reconfigure_nat(&mut self, d: &Device) {
        let config = &d.ios.nat;
        let addrs: Vec<Option<Ipv4Addr>> = self
            .ifaces
            .iter()
            .zip(&self.down)
            .map(|(i, down)| i.addr().filter(|_| !down))
            .collect();
        if *config == lanlab_proto::nat::NatConfig::default() {
            self.nat = None;
            return;
        }
        match &mut self.nat {
            Some(n) => {
                if n.engine.config() != config {
                    n.engine.set_config(config.clone());
                }
                n.addrs = addrs;
            }
            None => {
                self.nat = Some(Box::new(RouterNat {
                    engine: Nat::new(config.clone()),
                    addrs,
                    debug: false,
                    debug_lines: Vec::new(),
                }))
            }
        }
    }

    /// The NAT engine, when NAT is configured (`show ip nat …`, live view).
    pub fn nat(&self) -> Option<&Nat> {
        self.nat.as_ref().map(|n| &n.engine)
    }

    /// `clear ip nat translation *`: how many entries went.
    pub fn clear_nat_translations(&mut self) -> usize {
        self.nat
            .as_mut()
            .map_or(0, |n| n.engine.clear_translations())
    }

    /// `debug ip nat` on or off (`undebug all`).
    pub fn set_nat_debug(&mut self, on: bool) {
        if let Some(n) = &mut self.nat {
            n.debug = on;
            if !on {
                n.debug_lines.clear();
            }
        }
    }

    /// Whether `debug ip nat` is on.
    pub fn nat_debug(&self) -> bool {
        self.nat.as_ref().is_some_and(|n| n.debug)
    }

    /// The `debug ip nat` lines printed since the last call, oldest first.
    pub fn take_nat_debug(&mut self) -> Vec<String> {
        self.nat
            .as_mut()
            .map(|n| std::mem::take(&mut n.debug_lines))
            .unwrap_or_default()
    }

    /// `show ip nat translations [verbose]`.
    pub fn show_nat_translations(&self, now: SimTime, verbose: bool) -> String {
        match &self.nat {
            Some(n) => n.engine.show_translations(now, verbose),
            None => String::new(),
        }
    }

    /// `show ip nat statistics`.
    pub fn show_nat_statistics(&self, now: SimTime) -> String {
        match &self.nat {
            Some(n) => n.engine.show_statistics(now, |k| {
                self.ifaces
                    .get(k)
                    .map_or_else(|| format!("#{k}"), |i| i.name.to_string())
            }),
            None => Nat::new(Default::default()).show_statistics(now, |k| format!("#{k}")),
        }
    }

    /// Runs NAT on a packet: `out_iface` `None` before the route lookup
    /// (outside → inside), the egress interface after it (inside →
    /// outside). Notes what it did; `debug ip nat` lines are kept.
    fn nat_translate(
        &mut self,
        ctx: &mut Ctx<'_>,
        packet: &mut [u8],
        in_port: usize,
        out_iface: Option<usize>,
    ) -> Option<NatOutcome> {
        let n = self.nat.as_mut()?;
        let empty = AclConfig::default();
        let acls = self.acl.as_ref().map_or(&empty, |a| a.config());
        let env = RouterEnv {
            acls,
            interface_addrs: &n.addrs,
        };
        let outcome = n
            .engine
            .translate(ctx.now, packet, in_port, out_iface, &env);
        match &outcome {
            NatOutcome::Translated(t) if n.debug && n.debug_lines.len() < NAT_DEBUG_BACKLOG => {
                n.debug_lines.push(t.debug_line());
            }
            NatOutcome::Untranslated(Untranslated::NotAcrossNat | Untranslated::NoEntry { .. }) => {
                return Some(outcome);
            }
            _ => {}
        }
        ctx.note(Note::Nat(Box::new(outcome.clone())));
        Some(outcome)
    }

    /// Outside → inside, before the route lookup.
    pub(super) fn nat_inbound(
        &mut self,
        ctx: &mut Ctx<'_>,
        in_port: usize,
        bytes: &[u8],
    ) -> Inbound {
        if !self
            .nat
            .as_ref()
            .is_some_and(|n| n.engine.config().is_outside(in_port))
        {
            return Inbound::Pass;
        }
        let mut buf = bytes.to_vec();
        match self.nat_translate(ctx, &mut buf, in_port, None) {
            Some(NatOutcome::Translated(_)) => Inbound::Translated(buf),
            Some(NatOutcome::Dropped(_)) => Inbound::Drop,
            _ => Inbound::Pass,
        }
    }

    /// Inside → outside, after the route lookup; false when NAT dropped it.
    pub(super) fn nat_outbound(
        &mut self,
        ctx: &mut Ctx<'_>,
        in_port: usize,
        out_iface: usize,
        packet: &mut [u8],
    ) -> bool {
        if !self.nat.as_ref().is_some_and(|n| {
            n.engine.config().is_inside(in_port) && n.engine.config().is_outside(out_iface)
        }) {
            return true;
        }
        !matches!(
            self.nat_translate(ctx, packet, in_port, Some(out_iface)),
            Some(NatOutcome::Dropped(_))
        )
    }

    /// When NAT next expires an entry.
    pub(super) fn nat_poll_timeout(&self) -> Option<SimTime> {
        self.nat.as_ref().and_then(|n| n.engine.poll_timeout())
    }

    /// Expires idle NAT entries.
    pub(super) fn nat_timeout(&mut self, now: SimTime) {
        if let Some(n) = &mut self.nat {
            n.engine.handle_timeout(now);
        }
    }
}
