//! The engine's host: the one owner of a running [`Engine`], driven only by
//! messages.
//!
//! The page never reads the engine directly: it sends a
//! [`message::Command`] and gets a [`message::Reply`], and after each one it
//! reads a [`message::TickState`] (clock, counts, frames in flight, link
//! lights, the prompts' jobs). Every message is an owned, serializable
//! value, so the same host runs in the page or in a Web Worker behind
//! `postMessage`. The stepping rules (Step counts the rows the filter
//! shows, Back replays to before the newest shown row, realtime ticks in
//! bounded slices) live here, tested natively.

pub mod filter;
pub mod message;
pub mod query;
pub mod sync;
pub mod wire;

use lanlab_proto::SimTime;

use crate::activity::RunMemo;
use crate::device::Node;
use crate::engine::{ActionError, Engine};
use crate::job::{JobId, JobStatus};
use crate::lab::{Device, DeviceId, Lab, LinkId};
use filter::ProtoFilter;
use message::{Command, Envelope, JobView, Reply, Response, SyncOutcome, TickState};

/// The most events one tick or command may deliver before it yields.
pub const EVENTS_PER_TICK: u32 = 20_000;

/// Owns the running engine (none while the document cannot build one).
#[derive(Default)]
pub struct EngineHost {
    engine: Option<Engine>,
    /// What the activity's run checks have read of the trace so far.
    memo: RunMemo,
}

impl EngineHost {
    /// A host running `lab` from virtual time zero.
    pub fn new(lab: &Lab) -> Self {
        EngineHost {
            engine: Engine::new(lab).ok(),
            memo: RunMemo::new(),
        }
    }

    /// The engine, for reads the message protocol does not carry yet.
    pub fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref()
    }

    /// Executes one command.
    pub fn handle(&mut self, cmd: Command) -> Reply {
        let moved = |moved| Reply::Moved { moved };
        match cmd {
            Command::Load { lab } => Reply::Synced {
                outcome: SyncOutcome::Rebuilt,
                outputs: self.load(&lab),
            },
            Command::Sync { lab } => {
                let (outcome, outputs) = self.sync(&lab);
                Reply::Synced { outcome, outputs }
            }
            Command::Step { rows, filter } => moved(self.step_forward(rows, &filter)),
            Command::Back { filter } => moved(self.step_back(&filter)),
            Command::SkipToTimer => moved(self.skip_to_timer()),
            Command::SeekTime { micros } => moved(self.seek_time(SimTime::from_micros(micros))),
            Command::Seek { event } => moved(self.seek(event)),
            Command::Tick { wall_ms, speed } => moved(self.tick(wall_ms, speed)),
            Command::Act { request, action } => match self.act(*action) {
                None => Reply::NoEngine,
                Some(r) => Reply::Done { request, result: r },
            },
            Command::Run {
                request,
                device,
                line,
            } => self.run_line(request, &device, &line),
            Command::JobInput { job, line } => moved(self.job_input(job, &line)),
            Command::TakeConfigChanges => Reply::ConfigChanges {
                devices: self.take_config_changes(),
            },
            Command::TakeConsoleOutput { device } => Reply::ConsoleOutput {
                text: self.take_console_output(&device),
            },
            Command::Pcap { link } => Reply::Pcap {
                bytes: self.pcap(link),
            },
            Command::Neighbours => Reply::Neighbours {
                neighbours: self.neighbours(),
            },
            Command::State { watched } => Reply::State {
                state: Box::new(self.state(&watched)),
            },
            Command::Query { request, query } => match &self.engine {
                None => Reply::NoEngine,
                Some(e) => Reply::Answer {
                    request,
                    answer: query.answer(e, &mut self.memo),
                },
            },
        }
    }

    /// Executes one numbered command, as the host in a worker does: the
    /// reply, and the state now when the command moved the run.
    pub fn serve(&mut self, envelope: Envelope) -> Response {
        let Envelope {
            id,
            cmd,
            watched,
            riders,
        } = envelope;
        let reply = self.handle(cmd);
        let moved = reply.moved();
        let state = moved.then(|| Box::new(self.state(&watched)));
        let (configured, answers) = if moved {
            let answers = riders
                .into_iter()
                .filter(|r| r.cmd.is_question())
                .map(|r| (r.view, self.handle(r.cmd)))
                .collect();
            (self.take_config_changes(), answers)
        } else {
            (Vec::new(), Vec::new())
        };
        Response {
            id,
            reply,
            state,
            configured,
            answers,
        }
    }

    /// What the page shows of the run now; `watched` are the prompts' jobs.
    pub fn state(&self, watched: &[JobId]) -> TickState {
        let Some(e) = &self.engine else {
            return TickState::default();
        };
        let mut off = Vec::new();
        let mut blocked = Vec::new();
        let mut stp = Vec::new();
        let mut leased = Vec::new();
        for (d, node, on) in e.devices_running() {
            let dhcp = d
                .ports
                .iter()
                .any(|p| matches!(p.ip, crate::config::IpConfig::Dhcp));
            match node {
                Node::Host(h) if dhcp => {
                    if let Some(a) = h.primary_address() {
                        leased.push((d.id, a));
                    }
                }
                Node::Switch(s) => {
                    blocked.extend(s.blocked_ports().into_iter().map(|p| (d.id, p)));
                    stp.extend(s.stp_roles().into_iter().map(|(p, r)| ((d.id, p), r)));
                }
                _ => {}
            }
            if !on {
                off.push(d.id);
            }
        }
        TickState {
            now: e.now().as_micros(),
            events: e.events_delivered(),
            rows: e.trace().len(),
            frames_in_flight: e.frames_in_flight(),
            next_timer: e.next_timer().map(SimTime::as_micros),
            off,
            blocked,
            stp,
            leased,
            jobs: watched
                .iter()
                .filter_map(|&id| e.job(id))
                .map(|j| JobView {
                    id: j.id,
                    line: j.line.clone(),
                    status: j.status,
                    output: j.output.clone(),
                })
                .collect(),
        }
    }

    /// Starts over from `lab` at virtual time zero; returns what the old
    /// engine's jobs printed (the prompts keep it).
    pub fn load(&mut self, lab: &Lab) -> Vec<(JobId, String)> {
        let outputs = self.job_outputs();
        self.engine = Engine::new(lab).ok();
        self.memo = RunMemo::new();
        outputs
    }

    /// Brings the engine in line with an edited document: live actions
    /// where the engine can take them, a rebuild where it cannot. After a
    /// rebuild, also returns what the old engine's jobs printed.
    pub fn sync(&mut self, lab: &Lab) -> (SyncOutcome, Vec<(JobId, String)>) {
        let target = sync::sim_view(lab);
        let live = self
            .engine
            .as_ref()
            .and_then(|e| sync::live_actions(&sync::sim_view(e.lab()), &target));
        match live {
            Some(actions) if actions.is_empty() => (SyncOutcome::Unchanged, Vec::new()),
            Some(actions) => {
                let n = actions.len();
                let ok = self.engine.as_mut().and_then(|e| {
                    for a in actions {
                        e.act(a).ok()?;
                    }
                    (sync::sim_view(e.lab()) == target).then_some(())
                });
                if ok.is_some() {
                    (SyncOutcome::Live(n), Vec::new())
                } else {
                    (SyncOutcome::Rebuilt, self.load(lab))
                }
            }
            None => (SyncOutcome::Rebuilt, self.load(lab)),
        }
    }

    /// Delivers events until `rows` new rows the filter shows appeared (or
    /// the run is idle, or [`EVENTS_PER_TICK`] were delivered); returns
    /// whether anything happened.
    pub fn step_forward(&mut self, rows: u32, filter: &ProtoFilter) -> bool {
        let Some(e) = self.engine.as_mut() else {
            return false;
        };
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
            let shown = e
                .trace()
                .events()
                .skip(before)
                .filter(|ev| filter.shows_event(ev))
                .count();
            wanted = wanted.saturating_sub(shown as u32);
        }
        any
    }

    /// Goes back to before the newest shown row, by replay; returns whether
    /// an engine runs.
    pub fn step_back(&mut self, filter: &ProtoFilter) -> bool {
        let Some(e) = self.engine.as_mut() else {
            return false;
        };
        let shown_rows = |e: &Engine| {
            if filter.is_empty() {
                e.trace().len()
            } else {
                e.trace()
                    .events()
                    .filter(|ev| filter.shows_event(ev))
                    .count()
            }
        };
        let shown = shown_rows(e);
        // Start right before the event that recorded the newest shown row.
        let newest = e
            .trace()
            .events()
            .rev()
            .find(|ev| filter.shows_event(ev))
            .map(|ev| ev.event);
        let mut n = newest.map_or(e.events_delivered(), |ev| ev + 1);
        while n > 0 {
            n -= 1;
            e.seek(n);
            if shown_rows(e) < shown {
                break;
            }
        }
        true
    }

    /// "Skip to next timer": when no frame is on a cable, jumps virtual
    /// time to the next device timer that does something (a lease renewal,
    /// an SMTP retry, a retransmission, an autologout) and delivers it.
    /// Returns whether anything happened.
    pub fn skip_to_timer(&mut self) -> bool {
        let Some(e) = self.engine.as_mut() else {
            return false;
        };
        if e.frames_in_flight() > 0 {
            return false;
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
        any
    }

    /// Moves to virtual time `t`: back by replay to the last event at or
    /// before it, or forward delivering every event up to it.
    pub fn seek_time(&mut self, t: SimTime) -> bool {
        let Some(e) = self.engine.as_mut() else {
            return false;
        };
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
        true
    }

    /// Rebuilds the state right after event `n`.
    pub fn seek(&mut self, n: u64) -> bool {
        let Some(e) = self.engine.as_mut() else {
            return false;
        };
        e.seek(n);
        true
    }

    /// Advances virtual time by `wall_ms` × `speed`, delivering at most
    /// [`EVENTS_PER_TICK`] events; returns whether the page should redraw
    /// (an event happened, or the clock's shown tenth of a second moved).
    pub fn tick(&mut self, wall_ms: f64, speed: f64) -> bool {
        let Some(e) = self.engine.as_mut() else {
            return false;
        };
        let dt = (wall_ms.clamp(0.0, 1_000.0) * speed * 1_000.0) as u64;
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
        let tenth = |t: SimTime| t.as_micros() / 100_000;
        before.0 != e.events_delivered() || tenth(before.1) != tenth(e.now())
    }

    /// Takes a live action at the current virtual time; `None` when no
    /// engine runs.
    pub fn act(
        &mut self,
        action: crate::action::Action,
    ) -> Option<Result<Option<JobId>, ActionError>> {
        self.engine.as_mut().map(|e| e.act(action))
    }

    /// Runs a line at a device's prompt or console; `None` when no engine
    /// runs.
    pub fn run(&mut self, device: &str, line: &str) -> Option<Result<JobId, ActionError>> {
        self.engine.as_mut().map(|e| e.command(device, line))
    }

    /// [`Command::Run`]: the line run at `device`, with the prompt it was
    /// typed at and the device's configuration after it.
    fn run_line(&mut self, request: u64, device: &str, line: &str) -> Reply {
        let Some(e) = self.engine.as_mut() else {
            return Reply::NoEngine;
        };
        let prompt = e.console_prompt(device);
        let id = e.device_id(device);
        let result = e.command(device, line);
        Reply::Ran {
            request,
            result,
            prompt,
            device: id.and_then(|id| e.lab().device(id)).cloned().map(Box::new),
        }
    }

    /// Sends a typed line to a job that is still running and reads input;
    /// returns whether it took it.
    pub fn job_input(&mut self, job: JobId, line: &str) -> bool {
        let Some(e) = self.engine.as_mut() else {
            return false;
        };
        let running = e.job(job).is_some_and(|j| j.status == JobStatus::Running);
        running && e.job_input(job, line).is_ok()
    }

    /// What router `device` printed on its own since the last call: its
    /// `debug ip nat`, `debug ip ospf adj` and `debug ip rip` lines.
    pub fn take_console_output(&mut self, device: &str) -> String {
        let Some(e) = self.engine.as_mut() else {
            return String::new();
        };
        e.take_debug(device)
    }

    /// The configurations telnet sessions changed since the last call: each
    /// device with its configuration now, for the document.
    pub fn take_config_changes(&mut self) -> Vec<(DeviceId, Device)> {
        let Some(e) = self.engine.as_mut() else {
            return Vec::new();
        };
        let ids = e.take_config_changes();
        ids.into_iter()
            .filter_map(|id| Some((id, e.lab().device(id)?.clone())))
            .collect()
    }

    /// The run as a pcap file: every delivered hop, or one cable's.
    pub fn pcap(&self, link: Option<LinkId>) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(e) = &self.engine {
            let _ = crate::pcap::write(e.trace(), e.lab().start_unix, link, &mut out);
        }
        out
    }

    /// Every running router's RIP and OSPF neighbours, per interface
    /// (empty when no engine runs).
    pub fn neighbours(&self) -> Vec<crate::engine::Neighbour> {
        self.engine
            .as_ref()
            .map(Engine::neighbours)
            .unwrap_or_default()
    }

    /// Every job's output now (kept on the page when the engine rebuilds).
    pub fn job_outputs(&self) -> Vec<(JobId, String)> {
        self.engine
            .as_ref()
            .map(|e| e.jobs().iter().map(|j| (j.id, j.output.clone())).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
pub(crate) mod tests;
