//! The engine's side of telnet to a router: after a router handled an
//! event, what happened on its vty connections is served here, where the lab is at hand: a session opens with the
//! router's vty settings, its lines run at its own IOS console
//! ([`Engine::console_exec`], the same path as the console port), and a
//! configuration typed over telnet changes the engine's lab and is queued
//! for the app ([`Engine::take_config_changes`]) so it becomes a document
//! edit like a console line.

use crate::device::Node;
use crate::device::router::VtySession;
use crate::device::tcp::AppTcpEvent;
use crate::lab::DeviceId;
use crate::services::app::SockId;

use super::Engine;

impl Engine {
    /// Serves the telnet sessions of device `dev` (a router) after an event.
    pub(super) fn serve_vty(&mut self, dev: usize) {
        let Node::Router(r) = &mut self.nodes[dev] else {
            return;
        };
        let events = r.take_vty_events();
        if events.is_empty() {
            return;
        }
        for (sock, ev) in events {
            let Node::Router(r) = &mut self.nodes[dev] else {
                return;
            };
            match ev {
                AppTcpEvent::Accepted { .. } => {
                    r.vty_open(sock, VtySession::open(&self.lab.devices[dev]));
                }
                AppTcpEvent::Data(bytes) => {
                    if let Some(s) = r.vty_session(sock) {
                        s.receive(&bytes);
                        self.vty_lines(dev, sock);
                    }
                }
                // The client hung up: so does the router.
                AppTcpEvent::PeerClosed => {
                    if let Some(s) = r.vty_session(sock) {
                        s.hang_up();
                    }
                }
                AppTcpEvent::Connected | AppTcpEvent::Ended(_) => {}
            }
        }
        self.run_device(dev, |node, ctx| {
            if let Node::Router(r) = node {
                r.vty_flush(ctx);
            }
        });
    }

    /// Runs the complete lines session `sock` of router `dev` has typed.
    fn vty_lines(&mut self, dev: usize, sock: SockId) {
        loop {
            let Node::Router(r) = &mut self.nodes[dev] else {
                return;
            };
            let Some(s) = r.vty_session(sock) else { return };
            let Some(line) = s.next_line() else { return };
            let Some(line) = s.take(&self.lab.devices[dev], line) else {
                continue;
            };
            let mut console = std::mem::take(&mut s.console);
            let before = self.lab.devices[dev].clone();
            let reply = self.console_exec(dev, &mut console, &line);
            if self.lab.devices[dev] != before {
                let id = self.ids[dev];
                if !self.config_changes.contains(&id) {
                    self.config_changes.push(id);
                }
            }
            // `reload` restarted the router: its sessions are gone.
            let Node::Router(r) = &mut self.nodes[dev] else {
                return;
            };
            let Some(s) = r.vty_session(sock) else { return };
            s.console = console;
            s.reply(&self.lab.devices[dev], &reply.text);
        }
    }

    /// The devices whose configuration telnet sessions changed since the
    /// last call, in the order they changed: the app takes each one's
    /// configuration from [`Engine::lab`] into its document (undo, the
    /// Config tab), as it does for console lines.
    pub fn take_config_changes(&mut self) -> Vec<DeviceId> {
        std::mem::take(&mut self.config_changes)
    }
}
