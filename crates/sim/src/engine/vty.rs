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
use crate::shell;

use super::Engine;

impl Engine {
    /// Serves the telnet sessions of device `dev` (a router) after an event.
    pub(super) fn serve_vty(&mut self, dev: usize) {
        let Node::Router(r) = &mut self.nodes[dev] else {
            return;
        };
        // Most events (every frame a router takes) find no telnet work.
        if r.vty_quiet() {
            return;
        }
        let events = r.take_vty_events();
        let relayed = self.vty_relay(dev);
        if events.is_empty() && !relayed {
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
            if s.probe.is_some() {
                return;
            }
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
            if let shell::ios::Effect::Ping(_) | shell::ios::Effect::Traceroute(_) = reply.effect {
                // The probes print into a job of their own, relayed to the
                // session as they run (`vty_relay`); the prompt comes after.
                s.print(&reply.text);
                let id = self.push_job(dev, &line, None);
                if let Node::Router(r) = &mut self.nodes[dev]
                    && let Some(s) = r.vty_session(sock)
                {
                    s.probe = Some((id, 0));
                }
                self.start_probe(dev, id, reply.effect);
                // A probe may end at once (a ping to the router itself).
                self.vty_relay(dev);
                return;
            }
            s.reply(&self.lab.devices[dev], &reply.text);
        }
    }

    /// Sends the sessions' running probes' new output; a probe that ended
    /// gives the prompt back and lets the lines typed meanwhile run.
    /// Whether anything was sent.
    fn vty_relay(&mut self, dev: usize) -> bool {
        let Node::Router(r) = &self.nodes[dev] else {
            return false;
        };
        let socks = r.vty_probing();
        let mut sent = false;
        for sock in socks {
            let Node::Router(r) = &mut self.nodes[dev] else {
                return sent;
            };
            let Some(s) = r.vty_session(sock) else {
                continue;
            };
            let Some((id, done)) = s.probe else { continue };
            let Some(job) = self.jobs.get(id.0 as usize) else {
                s.probe = None;
                continue;
            };
            if let Some(new) = job.output.get(done..).filter(|t| !t.is_empty()) {
                s.print(new);
                sent = true;
            }
            s.probe = Some((id, job.output.len()));
            if job.status != crate::job::JobStatus::Running {
                s.probe = None;
                s.reply(&self.lab.devices[dev], "");
                sent = true;
                self.vty_lines(dev, sock);
            }
        }
        sent
    }

    /// The devices whose configuration telnet sessions changed since the
    /// last call, in the order they changed: the app takes each one's
    /// configuration from [`Engine::lab`] into its document (undo, the
    /// Config tab), as it does for console lines.
    pub fn take_config_changes(&mut self) -> Vec<DeviceId> {
        std::mem::take(&mut self.config_changes)
    }
}
