//! The engine's side of NAT at the console: `clear ip nat translation *`
//! and `debug ip nat` act on the router's running NAT, and the lines
//! `debug ip nat` printed since the console last looked are shown before
//! the console's next answer (or collected by the app with
//! [`Engine::take_nat_debug`]).

use crate::device::Node;
use crate::shell::ios::Effect;

use super::Engine;

impl Engine {
    /// Runs a NAT effect of a console line on router `dev`.
    pub(super) fn console_nat(&mut self, dev: usize, effect: &Effect) {
        let Node::Router(r) = &mut self.nodes[dev] else {
            return;
        };
        match effect {
            Effect::ClearNat => {
                r.clear_nat_translations();
            }
            Effect::DebugNat(on) => r.set_nat_debug(*on),
            Effect::DebugOspf(on) => r.set_ospf_debug(*on),
            _ => {}
        }
    }

    /// The `debug ip nat` lines router `device` printed since the last
    /// call (empty unless `debug ip nat` is on), each ending in a newline.
    pub fn take_nat_debug(&mut self, device: &str) -> String {
        let Some(dev) = self.dev_by_name(device) else {
            return String::new();
        };
        self.take_nat_debug_of(dev)
    }

    /// [`Engine::take_nat_debug`] by device index.
    pub(super) fn take_nat_debug_of(&mut self, dev: usize) -> String {
        let Some(Node::Router(r)) = self.nodes.get_mut(dev) else {
            return String::new();
        };
        r.take_nat_debug()
            .into_iter()
            .chain(r.take_ospf_debug())
            .map(|l| format!("{l}\n"))
            .collect()
    }
}

impl Engine {
    /// The NAT translation table of router `device` (its live view), empty
    /// when NAT is not configured there.
    pub fn nat_entries(&self, device: &str) -> Vec<lanlab_proto::nat::NatEntry> {
        let Some(dev) = self.dev_by_name(device) else {
            return Vec::new();
        };
        match &self.nodes[dev] {
            Node::Router(r) => r
                .nat()
                .map(|n| n.entries().cloned().collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}
