//! The engine's side of NAT at the console: `clear ip nat translation *`
//! and `debug ip nat` act on the router's running NAT, and the lines
//! `debug ip nat` printed since the console last looked are shown before
//! the console's next answer (or collected by the app with
//! [`Engine::take_debug`]).

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
