//! The engine's side of RIP at the console: `debug ip rip` switches the
//! router's debugging, and the lines printed since the console last looked
//! come before its next answer (or are collected by the app with
//! [`Engine::take_debug`]), as `debug ip nat`'s do.

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
}
