//! Read-only views of a running engine: clock, document, trace, jobs,
//! device state, and one-line descriptions of trace entries.

use lanlab_proto::SimTime;

use super::{ActionError, Engine, LoggedAction};
use crate::device::{Host, Node, Router, Switch};
use crate::job::{Job, JobId};
use crate::lab::{Device, Lab};
use crate::trace::{KindView, Trace, TraceEvent};

/// A frame on a cable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    /// The cable.
    pub link: crate::lab::LinkId,
    /// Where it left.
    pub from: crate::lab::LinkEnd,
    /// Where it goes.
    pub to: crate::lab::LinkEnd,
    /// When it left.
    pub sent: SimTime,
    /// When it arrives.
    pub arrives: SimTime,
    /// The frame.
    pub bytes: Vec<u8>,
}

impl Engine {
    /// The current virtual time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The seed of this run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How many events have been delivered.
    pub fn events_delivered(&self) -> u64 {
        self.delivered
    }

    /// When the next event happens, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// The live document (with the cable and configuration changes made so far).
    pub fn lab(&self) -> &Lab {
        &self.lab
    }

    /// The recorded trace.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Every job started so far, by [`JobId`].
    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    /// Takes the next frame that left through the tap on `device` `port`,
    /// with the time it left.
    pub fn tap_recv(&mut self, device: &str, port: &str) -> Option<(SimTime, Vec<u8>)> {
        let dev = self.dev_by_name(device)?;
        let p = self.lab.devices[dev].port_index(port)?;
        let (t, f) = self.taps.get_mut(&(dev, p))?.pop_front()?;
        Some((t, f.to_vec()))
    }

    /// The frames on the cables right now, for drawing packets in flight:
    /// where each left, where it goes, when it left and when it arrives.
    pub fn in_flight(&self) -> Vec<InFlight> {
        self.queue
            .iter()
            .filter_map(|(arrives, ev)| match ev {
                super::Event::Arrive {
                    link,
                    a_to_b,
                    frame,
                    ..
                } => {
                    let l = &self.links[*link as usize];
                    let (from, to) = if *a_to_b { (l.a, l.b) } else { (l.b, l.a) };
                    let end = |(d, p): (usize, usize)| crate::lab::LinkEnd {
                        device: self.ids[d],
                        port: p,
                    };
                    Some(InFlight {
                        link: l.id,
                        from: end(from),
                        to: end(to),
                        sent: arrives - l.latency,
                        arrives,
                        bytes: frame.to_vec(),
                    })
                }
                _ => None,
            })
            .collect()
    }

    /// How many frames are on the cables right now.
    pub fn frames_in_flight(&self) -> usize {
        self.queue
            .iter()
            .filter(|(_, ev)| matches!(ev, super::Event::Arrive { .. }))
            .count()
    }

    /// When the next device timer is due (a lease renewal, an SMTP retry,
    /// a TCP retransmission, an autologout), if any is armed.
    pub fn next_timer(&self) -> Option<SimTime> {
        self.timer_at.iter().flatten().min().copied()
    }

    /// One job.
    pub fn job(&self, id: JobId) -> Option<&Job> {
        self.jobs.get(id.0 as usize)
    }

    /// The live actions taken so far, with their event index.
    pub fn session_log(&self) -> &[LoggedAction] {
        &self.log
    }

    /// What each scripted action of the lab did (`None`: not run yet).
    pub fn scripted_outcomes(&self) -> &[Option<Result<Option<JobId>, ActionError>>] {
        &self.outcomes
    }

    /// Every device of the lab with its running state and whether it is
    /// switched on, in the lab's order: for a view of all devices at once
    /// (the state pushed to the page after each command), which would
    /// otherwise look each one up by name three times.
    pub fn devices_running(&self) -> impl Iterator<Item = (&Device, &Node, bool)> {
        debug_assert_eq!(self.lab.devices.len(), self.nodes.len());
        self.lab
            .devices
            .iter()
            .zip(&self.nodes)
            .zip(&self.powered)
            .map(|((d, n), &on)| (d, n, on))
    }

    fn node(&self, name: &str) -> Option<&Node> {
        self.nodes.get(self.dev_by_name(name)?)
    }

    /// The running state of host `name`.
    pub fn host(&self, name: &str) -> Option<&Host> {
        match self.node(name)? {
            Node::Host(h) => Some(h),
            _ => None,
        }
    }

    /// The running state of switch `name`.
    pub fn switch(&self, name: &str) -> Option<&Switch> {
        match self.node(name)? {
            Node::Switch(s) => Some(s),
            _ => None,
        }
    }

    /// The running state of router `name` (of a multilayer switch: the
    /// router behind its VLAN interfaces).
    pub fn router(&self, name: &str) -> Option<&Router> {
        self.node(name)?.router()
    }

    /// Whether device `name` is switched on.
    pub fn is_powered(&self, name: &str) -> bool {
        self.dev_by_name(name).is_some_and(|i| self.powered[i])
    }

    /// The id of device `name` (as [`Engine::host`] and the other views
    /// find it: exact name, else lower case).
    pub fn device_id(&self, name: &str) -> Option<crate::lab::DeviceId> {
        Some(self.lab.devices[self.dev_by_name(name)?].id)
    }

    /// The engine's index of a device (its position in the lab's list).
    pub(super) fn dev_by_name(&self, name: &str) -> Option<usize> {
        // The index is by lower-cased name. An ASCII name (a device's name
        // has at most 63 characters) is lower-cased on the stack: one
        // look-up and no allocation, however often the engine asks.
        let mut buf = [0u8; 64];
        if name.is_ascii() && name.len() <= buf.len() {
            let key = &mut buf[..name.len()];
            key.copy_from_slice(name.as_bytes());
            key.make_ascii_lowercase();
            let key = std::str::from_utf8(key).ok()?;
            return self.by_name.get(key).copied();
        }
        self.by_name.get(&name.to_lowercase()).copied()
    }

    /// One line describing a trace entry with device and port names:
    /// `0.001000s PC0 FastEthernet0 > Switch0 FastEthernet0/1 ARP who-has … | switch learned …`.
    pub fn describe(&self, e: &TraceEvent) -> String {
        let mut s = format!("{} ", e.time);
        match &e.view() {
            KindView::Frame { from, to, .. } => {
                s.push_str(&format!(
                    "{} > {}  ",
                    self.lab.end_label(*from),
                    self.lab.end_label(*to)
                ));
            }
            KindView::Dropped { at, .. } => {
                s.push_str(&format!("DROP at {}  ", self.lab.end_label(*at)));
            }
            KindView::Tapped { at, inbound, .. } => {
                let dir = if *inbound { "TAP >" } else { "> TAP" };
                if *inbound {
                    s.push_str(&format!("{dir} {}  ", self.lab.end_label(*at)));
                } else {
                    s.push_str(&format!("{} {dir}  ", self.lab.end_label(*at)));
                }
            }
            KindView::Action { .. } => s.push_str("ACTION  "),
            KindView::Timer { device } => {
                let name = self
                    .lab
                    .device(*device)
                    .map(|d| d.name.as_str())
                    .unwrap_or("?");
                s.push_str(&format!("{name} timer  "));
            }
        }
        s.push_str(&e.summary());
        let notes = self.trace.notes(e);
        if !notes.is_empty() {
            s.push_str(" | ");
            let texts: Vec<String> = notes.iter().map(ToString::to_string).collect();
            s.push_str(&texts.join("; "));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use crate::testnet::TestNet;

    /// A device is found by its name in any case: ASCII names (looked up
    /// lower-cased on the stack) and others (lower-cased in a copy); a
    /// name longer than any device's is no device.
    #[test]
    fn a_device_is_found_by_its_name_in_any_case() {
        let longest = format!("PC-{}", "X".repeat(60));
        let e = TestNet::new()
            .pc("PC0", "192.168.1.10/24", None)
            .pc("Büro-PC", "192.168.1.11/24", None)
            .pc(&longest, "192.168.1.12/24", None)
            .build();
        let lower = longest.to_lowercase();
        for (name, i) in [
            ("PC0", 0),
            ("pc0", 0),
            ("Pc0", 0),
            ("büro-pc", 1),
            ("BÜRO-PC", 1),
            (longest.as_str(), 2),
            (lower.as_str(), 2),
        ] {
            assert_eq!(e.dev_by_name(name), Some(i), "{name}");
            assert!(e.host(name).is_some(), "{name}");
        }
        let too_long = format!("{longest}{}", "X".repeat(10));
        for name in ["PC1", "", "PC0 ", "Büro", too_long.as_str()] {
            assert_eq!(e.dev_by_name(name), None, "{name:?}");
        }
    }
}
