//! The engine's side of RIP at the console: `debug ip rip` switches the
//! router's debugging, and the lines printed since the console last looked
//! come before its next answer (or are collected by the app with
//! [`Engine::take_rip_debug`]), as `debug ip nat`'s do.

use crate::device::Node;
use crate::shell::ios::Effect;

use super::Engine;

impl Engine {
    /// Runs a RIP effect of a console line on router `dev`.
    pub(super) fn console_rip(&mut self, dev: usize, effect: &Effect) {
        if let (Node::Router(r), Effect::DebugRip(on)) = (&mut self.nodes[dev], effect) {
            r.set_rip_debug(*on);
        }
    }

    /// The `debug ip rip` lines router `device` printed since the last
    /// call (empty unless `debug ip rip` is on), each ending in a newline.
    pub fn take_rip_debug(&mut self, device: &str) -> String {
        let Some(dev) = self.dev_by_name(device) else {
            return String::new();
        };
        self.take_rip_debug_of(dev)
    }

    /// [`Engine::take_rip_debug`] by device index.
    pub(super) fn take_rip_debug_of(&mut self, dev: usize) -> String {
        let Some(Node::Router(r)) = self.nodes.get_mut(dev) else {
            return String::new();
        };
        r.take_rip_debug()
            .into_iter()
            .map(|l| format!("{l}\n"))
            .collect()
    }
}
