//! The running simulation: *derived* state, rebuilt from the document.
//!
//! The app owns one [`Engine`]. Document edits that the engine can take live
//! (cables, addresses, power) become [`Action`]s at the current virtual time,
//! so nothing else resets; edits it cannot take (a device added, removed or
//! renamed) rebuild it from the document. In realtime mode a timer advances
//! virtual time with the wall clock, in bounded slices so the page never
//! freezes.

use std::collections::HashMap;

use lanlab_proto::SimTime;
use lanlab_sim::{Action, DeviceId, Engine, JobId, JobStatus, Lab, PortRef};
use leptos::prelude::*;

/// The most events one timer tick may deliver before yielding to the browser.
pub const EVENTS_PER_TICK: u32 = 20_000;

/// Milliseconds between realtime ticks.
pub const TICK_MS: u32 = 50;

/// One command typed at a prompt, and what it printed.
#[derive(Clone, Debug, PartialEq)]
pub struct TermEntry {
    /// The command line.
    pub line: String,
    /// Its job in the current engine, while that engine lives.
    pub job: Option<JobId>,
    /// Output kept after the engine was rebuilt, or an error message.
    pub text: String,
}

/// A device's command prompt: what was typed and the history for ↑/↓.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Terminal {
    /// Commands in order.
    pub entries: Vec<TermEntry>,
}

/// Handle to the running simulation (cheap to copy).
#[derive(Copy, Clone)]
pub struct Sim {
    engine: StoredValue<Option<Engine>, LocalStorage>,
    /// Bumped whenever the engine advanced or changed; views reading the engine track it.
    pub version: RwSignal<u64>,
    /// Whether realtime mode advances virtual time.
    pub running: RwSignal<bool>,
    /// Virtual seconds per wall second.
    pub speed: RwSignal<f64>,
    /// Each device's command prompt.
    pub terminals: RwSignal<HashMap<DeviceId, Terminal>>,
    /// Simulation mode: the clock stops and the user steps.
    pub simulating: RwSignal<bool>,
    /// In simulation mode, whether events advance by themselves.
    pub playing: RwSignal<bool>,
    /// The trace row open in the inspector (`None`: the newest).
    pub selected_event: RwSignal<Option<usize>>,
    /// Protocols shown in the event list and stopped at by Step (empty: all).
    pub filter: RwSignal<std::collections::BTreeSet<&'static str>>,
}

/// The lab without what the simulation ignores: canvas positions, and the
/// ids and order of cables (a live `Plug` numbers its cable itself).
fn sim_view(lab: &Lab) -> Lab {
    let mut l = lab.clone();
    for d in &mut l.devices {
        d.pos = Default::default();
    }
    for link in &mut l.links {
        link.id = lanlab_sim::LinkId(0);
        if (link.b.device, link.b.port) < (link.a.device, link.a.port) {
            std::mem::swap(&mut link.a, &mut link.b);
        }
    }
    l.links
        .sort_by_key(|k| (k.a.device, k.a.port, k.b.device, k.b.port));
    l
}

impl Sim {
    /// A simulation of `lab`, started at virtual time zero.
    pub fn new(lab: &Lab) -> Self {
        Sim {
            engine: StoredValue::new_local(Engine::new(lab).ok()),
            version: RwSignal::new(0),
            running: RwSignal::new(true),
            speed: RwSignal::new(1.0),
            terminals: RwSignal::new(HashMap::new()),
            simulating: RwSignal::new(false),
            playing: RwSignal::new(false),
            selected_event: RwSignal::new(None),
            filter: RwSignal::new(Default::default()),
        }
    }

    /// Whether a trace row passes the protocol filter.
    pub fn shows(&self, proto: &str) -> bool {
        self.filter
            .with_untracked(|f| f.is_empty() || f.contains(proto))
    }

    /// Switches between realtime and simulation mode.
    pub fn set_simulating(&self, on: bool) {
        self.playing.set(false);
        self.selected_event.set(None);
        self.simulating.set(on);
    }

    /// Delivers events until `rows` new trace rows appeared (or the run is
    /// idle); returns whether anything happened.
    pub fn step_forward(&self, rows: u32) -> bool {
        let moved = self
            .engine
            .try_update_value(|e| {
                let e = e.as_mut()?;
                let mut wanted = rows;
                let mut budget = EVENTS_PER_TICK;
                let mut any = false;
                while wanted > 0 && budget > 0 {
                    let before = e.trace().len();
                    if !e.step() {
                        break;
                    }
                    any = true;
                    budget -= 1;
                    let shown = (before..e.trace().len()).filter(|&i| {
                        e.trace()
                            .get(i)
                            .is_some_and(|ev| self.shows(crate::sim_view::event_proto(ev)))
                    });
                    wanted = wanted.saturating_sub(shown.count() as u32);
                }
                Some(any)
            })
            .flatten()
            .unwrap_or(false);
        if moved {
            self.selected_event.set(None);
            self.bump();
        }
        moved
    }

    /// How many trace rows the protocol filter lets through.
    fn shown_rows(&self, e: &Engine) -> usize {
        if self.filter.with_untracked(|f| f.is_empty()) {
            return e.trace().len();
        }
        e.trace()
            .events()
            .filter(|ev| self.shows(crate::sim_view::event_proto(ev)))
            .count()
    }

    /// Goes back to before the newest shown trace row, by replay.
    pub fn step_back(&self) {
        self.engine.update_value(|e| {
            let Some(e) = e.as_mut() else { return };
            let shown = self.shown_rows(e);
            // Start right before the event that recorded the newest shown row.
            let newest = e
                .trace()
                .events()
                .rev()
                .find(|ev| self.shows(crate::sim_view::event_proto(ev)))
                .map(|ev| ev.event);
            let mut n = newest.map_or(e.events_delivered(), |ev| ev + 1);
            while n > 0 {
                n -= 1;
                e.seek(n);
                if self.shown_rows(e) < shown {
                    break;
                }
            }
        });
        self.selected_event.set(None);
        self.bump();
    }

    /// "Skip to next timer": when no frame is on a cable, jumps virtual
    /// time to the next device timer that does something (a lease renewal,
    /// an SMTP retry, a retransmission, an autologout) and delivers it.
    /// Returns whether anything happened.
    pub fn skip_to_timer(&self) -> bool {
        let moved = self
            .engine
            .try_update_value(|e| {
                let e = e.as_mut()?;
                if e.frames_in_flight() > 0 {
                    return Some(false);
                }
                let before = e.trace().len();
                let mut budget = EVENTS_PER_TICK;
                let mut any = false;
                // Timers that change nothing leave no row: go on to the next.
                while budget > 0 && e.trace().len() == before && e.frames_in_flight() == 0 {
                    if e.next_timer().is_none() || !e.step() {
                        break;
                    }
                    any = true;
                    budget -= 1;
                }
                Some(any)
            })
            .flatten()
            .unwrap_or(false);
        if moved {
            self.selected_event.set(None);
            self.bump();
        }
        moved
    }

    /// Moves to virtual time `t`: back by replay to the last event at or
    /// before it, or forward delivering every event up to it.
    pub fn seek_time(&self, t: SimTime) {
        self.engine.update_value(|e| {
            let Some(e) = e.as_mut() else { return };
            if t < e.now() {
                let n = e
                    .trace()
                    .events()
                    .rev()
                    .find(|ev| ev.time <= t)
                    .map_or(0, |ev| ev.event + 1);
                e.seek(n);
            } else {
                let mut budget = EVENTS_PER_TICK;
                while budget > 0 && e.next_event_time().is_some_and(|x| x <= t) {
                    e.step();
                    budget -= 1;
                }
            }
        });
        self.selected_event.set(None);
        self.bump();
    }

    /// The run as a pcap file: every delivered hop, or one cable's.
    pub fn pcap(&self, link: Option<lanlab_sim::LinkId>) -> Vec<u8> {
        self.engine.with_value(|e| {
            let mut out = Vec::new();
            if let Some(e) = e {
                let _ = lanlab_sim::pcap::write(e.trace(), e.lab().start_unix, link, &mut out);
            }
            out
        })
    }

    /// Rebuilds the state right after event `n`.
    pub fn seek(&self, n: u64) {
        self.engine.update_value(|e| {
            if let Some(e) = e.as_mut() {
                e.seek(n);
            }
        });
        self.selected_event.set(None);
        self.bump();
    }

    fn bump(&self) {
        self.version.update(|v| *v += 1);
    }

    /// Reads the engine (tracks [`Sim::version`]).
    pub fn with<R>(&self, f: impl FnOnce(&Engine) -> R) -> Option<R> {
        self.version.track();
        self.engine.with_value(|e| e.as_ref().map(f))
    }

    /// Virtual time now.
    pub fn now(&self) -> SimTime {
        self.with(Engine::now).unwrap_or_default()
    }

    /// Brings the engine in line with an edited document: live actions where
    /// the engine can take them, a rebuild where it cannot.
    pub fn sync(&self, lab: &Lab) {
        let target = sim_view(lab);
        let live = self.engine.with_value(|e| {
            e.as_ref()
                .and_then(|e| live_actions(&sim_view(e.lab()), &target))
        });
        match live {
            Some(actions) if actions.is_empty() => return,
            Some(actions) => {
                let ok = self.engine.try_update_value(|e| {
                    let e = e.as_mut()?;
                    for a in actions {
                        e.act(a).ok()?;
                    }
                    (sim_view(e.lab()) == target).then_some(())
                });
                if ok.flatten().is_none() {
                    self.rebuild(lab);
                }
            }
            None => self.rebuild(lab),
        }
        self.bump();
    }

    /// Starts over from the document, keeping what the prompts printed.
    pub fn rebuild(&self, lab: &Lab) {
        self.freeze_terminals();
        self.engine.set_value(Engine::new(lab).ok());
        self.bump();
    }

    fn freeze_terminals(&self) {
        let outputs: HashMap<JobId, String> = self.engine.with_value(|e| {
            e.as_ref()
                .map(|e| e.jobs().iter().map(|j| (j.id, j.output.clone())).collect())
                .unwrap_or_default()
        });
        self.terminals.update(|ts| {
            for t in ts.values_mut() {
                for entry in &mut t.entries {
                    if let Some(job) = entry.job.take() {
                        entry.text = outputs.get(&job).cloned().unwrap_or_default();
                    }
                }
            }
        });
    }

    /// Runs a command line at a device's prompt.
    pub fn command(&self, id: DeviceId, device: &str, line: &str) {
        let result = self
            .engine
            .try_update_value(|e| e.as_mut().map(|e| e.command(device, line)))
            .flatten();
        let entry = match result {
            Some(Ok(job)) => TermEntry {
                line: line.to_string(),
                job: Some(job),
                text: String::new(),
            },
            Some(Err(e)) => TermEntry {
                line: line.to_string(),
                job: None,
                text: format!("{e}\n"),
            },
            None => return,
        };
        self.terminals
            .update(|ts| ts.entry(id).or_default().entries.push(entry));
        self.bump();
    }

    /// Sends a typed line to the job still running at the device's prompt
    /// when it reads input (`telnet`). Returns false when no job took it
    /// (then the line is a new command).
    pub fn job_input(&self, id: DeviceId, line: &str) -> bool {
        let job = self.terminals.with_untracked(|ts| {
            ts.get(&id)
                .and_then(|t| t.entries.last())
                .and_then(|e| e.job)
        });
        let Some(job) = job else { return false };
        let taken = self
            .engine
            .try_update_value(|e| {
                let e = e.as_mut()?;
                let running = e.job(job).is_some_and(|j| j.status == JobStatus::Running);
                Some(running && e.job_input(job, line).is_ok())
            })
            .flatten()
            .unwrap_or(false);
        if taken {
            self.bump();
        }
        taken
    }

    /// The configurations telnet sessions changed in the engine since the
    /// last call: each device with its configuration now, for the document.
    pub fn take_config_changes(&self) -> Vec<(DeviceId, lanlab_sim::Device)> {
        self.engine
            .try_update_value(|e| {
                let e = e.as_mut()?;
                let ids = e.take_config_changes();
                Some(
                    ids.into_iter()
                        .filter_map(|id| Some((id, e.lab().device(id)?.clone())))
                        .collect(),
                )
            })
            .flatten()
            .unwrap_or_default()
    }

    /// Runs a line at a router's or switch's IOS console; the entry shows
    /// the prompt it was typed at (a password is not echoed). Returns the
    /// device's configuration in the engine afterwards.
    pub fn console_line(
        &self,
        id: DeviceId,
        device: &str,
        line: &str,
    ) -> Option<lanlab_sim::Device> {
        let prompt = self
            .engine
            .with_value(|e| e.as_ref().and_then(|e| e.console_prompt(device)))
            .unwrap_or_default();
        let result = self
            .engine
            .try_update_value(|e| e.as_mut().map(|e| e.command(device, line)))
            .flatten();
        let shown = if prompt.starts_with("Password") {
            prompt.clone()
        } else {
            format!("{prompt}{line}")
        };
        let entry = match result {
            Some(Ok(job)) => TermEntry {
                line: shown,
                job: Some(job),
                text: String::new(),
            },
            Some(Err(e)) => TermEntry {
                line: shown,
                job: None,
                text: format!("{e}\n"),
            },
            None => return None,
        };
        self.terminals
            .update(|ts| ts.entry(id).or_default().entries.push(entry));
        self.bump();
        self.engine
            .with_value(|e| e.as_ref().and_then(|e| e.lab().device(id).cloned()))
    }

    /// Appends what router `device` printed on its own since the last call
    /// (`debug ip nat` lines as packets are translated) to its console, as
    /// an entry without a prompt line.
    pub fn drain_console_output(&self, id: DeviceId, device: &str) {
        let text = self
            .engine
            .try_update_value(|e| e.as_mut().map(|e| e.take_nat_debug(device)))
            .flatten()
            .unwrap_or_default();
        if text.is_empty() {
            return;
        }
        self.terminals.update(|ts| {
            ts.entry(id).or_default().entries.push(TermEntry {
                line: String::new(),
                job: None,
                text,
            })
        });
    }

    /// `?` typed at a console: prints what may come next, as IOS does.
    pub fn console_help(&self, id: DeviceId, device: &str, line: &str) {
        let Some((prompt, text)) = self.engine.with_value(|e| {
            let (c, d) = e.as_ref()?.console(device)?;
            Some((c.prompt(d), c.help(d, line)))
        }) else {
            return;
        };
        let entry = TermEntry {
            line: format!("{prompt}{line}?"),
            job: None,
            text,
        };
        self.terminals
            .update(|ts| ts.entry(id).or_default().entries.push(entry));
        self.bump();
    }

    /// Takes a live action (browser, mail client) at the current virtual
    /// time; `None` when no engine runs.
    pub fn act(&self, action: Action) -> Option<Result<Option<JobId>, lanlab_sim::ActionError>> {
        let r = self
            .engine
            .try_update_value(|e| e.as_mut().map(|e| e.act(action)))
            .flatten();
        self.bump();
        r
    }

    /// Clears a device's prompt (`cls`).
    pub fn clear_terminal(&self, id: DeviceId) {
        self.terminals.update(|ts| {
            ts.remove(&id);
        });
    }

    /// The text of one prompt entry, as it stands now.
    pub fn entry_output(&self, entry: &TermEntry) -> (String, bool) {
        match entry.job {
            Some(job) => self
                .with(|e| {
                    e.job(job)
                        .map(|j| (j.output.clone(), j.status == JobStatus::Running))
                        .unwrap_or_default()
                })
                .unwrap_or_default(),
            None => (entry.text.clone(), false),
        }
    }

    /// Advances virtual time by `wall_ms` × speed, delivering at most
    /// [`EVENTS_PER_TICK`] events; returns whether anything happened.
    pub fn tick(&self, wall_ms: f64) -> bool {
        let speed = self.speed.get_untracked();
        let dt = (wall_ms.clamp(0.0, 1_000.0) * speed * 1_000.0) as u64;
        let changed = self
            .engine
            .try_update_value(|e| {
                let e = e.as_mut()?;
                let before = (e.events_delivered(), e.now());
                let target = SimTime::from_micros(e.now().as_micros().saturating_add(dt));
                let mut n = 0;
                while n < EVENTS_PER_TICK && e.next_event_time().is_some_and(|t| t <= target) {
                    e.step();
                    n += 1;
                }
                if n < EVENTS_PER_TICK {
                    e.run_until(target);
                }
                // Redraw when something happened, or when the clock's shown
                // tenth of a second moved (so an idle network's clock runs).
                let tenth = |t: SimTime| t.as_micros() / 100_000;
                Some(before.0 != e.events_delivered() || tenth(before.1) != tenth(e.now()))
            })
            .flatten()
            .unwrap_or(false);
        if changed {
            self.bump();
        }
        changed
    }
}

/// The actions that turn `from` into `to`, or `None` when the change needs a
/// rebuild (devices added, removed, renamed, or anything else changed).
fn live_actions(from: &Lab, to: &Lab) -> Option<Vec<Action>> {
    let same_devices = from.devices.len() == to.devices.len()
        && from.devices.iter().zip(&to.devices).all(|(a, b)| {
            a.id == b.id
                && (a.name == b.name || !a.kind.is_host())
                && a.kind == b.kind
                && a.ports.len() == b.ports.len()
                && a.ports
                    .iter()
                    .zip(&b.ports)
                    .all(|(p, q)| p.name == q.name && p.mac == q.mac)
        });
    if !same_devices {
        return None;
    }
    let port_ref = |lab: &Lab, end: lanlab_sim::LinkEnd| {
        let d = lab.device(end.device)?;
        Some(PortRef {
            device: d.name.clone(),
            port: d.ports.get(end.port)?.name.clone(),
        })
    };
    let mut actions = Vec::new();
    for l in &from.links {
        if !to.links.iter().any(|m| m.a == l.a && m.b == l.b) {
            actions.push(Action::Unplug {
                port: port_ref(from, l.a)?,
            });
        }
    }
    for l in &to.links {
        if !from.links.iter().any(|m| m.a == l.a && m.b == l.b) {
            actions.push(Action::Plug {
                a: port_ref(to, l.a)?,
                b: port_ref(to, l.b)?,
            });
        }
    }
    for (a, b) in from.devices.iter().zip(&to.devices) {
        // Routers and switches take their whole configuration at once
        // (what their console changes: name, shutdown, IOS settings…).
        if !a.kind.is_host() {
            let mut next = a.clone();
            next.configure_from(b);
            if next != *a {
                actions.push(Action::Configure {
                    device: a.name.clone(),
                    config: Box::new(b.clone()),
                });
            }
            if a.powered != b.powered {
                actions.push(Action::Power {
                    device: b.name.clone(),
                    on: b.powered,
                });
            }
            continue;
        }
        for (p, q) in a.ports.iter().zip(&b.ports) {
            if p.ip != q.ip {
                actions.push(Action::SetIp {
                    port: PortRef {
                        device: b.name.clone(),
                        port: q.name.clone(),
                    },
                    ip: q.ip.clone(),
                });
            }
        }
        if a.services != b.services {
            actions.push(Action::SetServices {
                device: b.name.clone(),
                services: Box::new(b.services.clone()),
            });
        }
        if a.routes != b.routes {
            actions.push(Action::SetRoutes {
                device: b.name.clone(),
                routes: b.routes.clone(),
            });
        }
        if a.powered != b.powered {
            actions.push(Action::Power {
                device: b.name.clone(),
                on: b.powered,
            });
        }
    }
    Some(actions)
}
