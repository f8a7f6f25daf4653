//! The running simulation: *derived* state, rebuilt from the document.
//!
//! The app owns one [`EngineHost`] and talks to it in its messages
//! (`lanlab_sim::host::message`): the stepping rules and the document-diff
//! → live-actions logic live there, tested natively. Document edits that
//! the engine can take live (cables, addresses, power) become actions at
//! the current virtual time, so nothing else resets; edits it cannot take
//! (a device added, removed or renamed) rebuild it from the document. In
//! realtime mode a timer advances virtual time with the wall clock, in
//! bounded slices so the page never freezes.

use std::collections::HashMap;

use lanlab_proto::SimTime;
use lanlab_sim::host::EngineHost;
use lanlab_sim::host::filter::ProtoFilter;
use lanlab_sim::host::message::{Command, Reply, TickState};
use lanlab_sim::host::query::{
    Answer, ConsoleHelp, DeviceAnswer, DeviceQuery, Query, RunAnswer, RunQuery,
};
use lanlab_sim::{Action, DeviceId, Engine, JobId, JobStatus, Lab};
use leptos::prelude::*;

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
    host: StoredValue<EngineHost, LocalStorage>,
    /// What the page shows of the run (clock, counts, the prompts' jobs),
    /// as the host reports it after each command; read it, never set it.
    pub state: RwSignal<TickState>,
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

impl Sim {
    /// A simulation of `lab`, started at virtual time zero.
    pub fn new(lab: &Lab) -> Self {
        let host = EngineHost::new(lab);
        Sim {
            state: RwSignal::new(host.state(&[])),
            host: StoredValue::new_local(host),
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

    /// The protocol filter as the engine's host takes it (tracked: a view
    /// reading it follows the filter).
    pub fn proto_filter_tracked(&self) -> ProtoFilter {
        self.filter.with(|f| ProtoFilter::of(f.iter().copied()))
    }

    /// The protocol filter as the engine's host takes it.
    fn proto_filter(&self) -> ProtoFilter {
        self.filter
            .with_untracked(|f| ProtoFilter::of(f.iter().copied()))
    }

    /// The one way to the engine: a command to its host, and its reply.
    fn call(&self, cmd: Command) -> Reply {
        self.host
            .try_update_value(|h| h.handle(cmd))
            .unwrap_or(Reply::NoEngine)
    }

    /// Sends one command to the host; `moved` tells whether views redraw.
    fn send(&self, cmd: Command) -> bool {
        matches!(self.call(cmd), Reply::Moved { moved: true })
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
        let filter = self.proto_filter();
        let moved = self.send(Command::Step { rows, filter });
        if moved {
            self.selected_event.set(None);
            self.bump();
        }
        moved
    }

    /// Goes back to before the newest shown trace row, by replay.
    pub fn step_back(&self) {
        let filter = self.proto_filter();
        self.send(Command::Back { filter });
        self.selected_event.set(None);
        self.bump();
    }

    /// "Skip to next timer": when no frame is on a cable, jumps virtual
    /// time to the next device timer that does something (a lease renewal,
    /// an SMTP retry, a retransmission, an autologout) and delivers it.
    /// Returns whether anything happened.
    pub fn skip_to_timer(&self) -> bool {
        let moved = self.send(Command::SkipToTimer);
        if moved {
            self.selected_event.set(None);
            self.bump();
        }
        moved
    }

    /// Moves to virtual time `t`: back by replay to the last event at or
    /// before it, or forward delivering every event up to it.
    pub fn seek_time(&self, t: SimTime) {
        self.send(Command::SeekTime {
            micros: t.as_micros(),
        });
        self.selected_event.set(None);
        self.bump();
    }

    /// The run as a pcap file: every delivered hop, or one cable's.
    pub fn pcap(&self, link: Option<lanlab_sim::LinkId>) -> Vec<u8> {
        match self.call(Command::Pcap { link }) {
            Reply::Pcap { bytes } => bytes,
            _ => Vec::new(),
        }
    }

    /// Rebuilds the state right after event `n`.
    pub fn seek(&self, n: u64) {
        self.send(Command::Seek { event: n });
        self.selected_event.set(None);
        self.bump();
    }

    /// After the engine changed: the new state for the views, and a new
    /// version for those still reading the engine itself.
    fn bump(&self) {
        let watched: Vec<JobId> = self.terminals.with_untracked(|ts| {
            ts.values()
                .flat_map(|t| t.entries.iter().filter_map(|e| e.job))
                .collect()
        });
        let state = match self.call(Command::State { watched }) {
            Reply::State { state } => *state,
            _ => TickState::default(),
        };
        if self.state.with_untracked(|s| *s != state) {
            self.state.set(state);
        }
        self.version.update(|v| *v += 1);
    }

    /// Asks the engine one question now (not reactive); `None` while no
    /// engine runs.
    pub fn ask(&self, query: Query) -> Option<Answer> {
        match self.call(Command::Query { request: 0, query }) {
            Reply::Answer { answer, .. } => Some(answer),
            _ => None,
        }
    }

    /// Asks one question about device `device` now (not reactive); `None`
    /// while no engine runs.
    pub fn ask_device(&self, device: &str, query: DeviceQuery) -> Option<DeviceAnswer> {
        match self.ask(Query::Device {
            device: device.to_string(),
            query,
        })? {
            Answer::Device { answer } => Some(answer),
            Answer::Run { .. } => None,
        }
    }

    /// A view's live question: asked again whenever the run moves or what
    /// `query` reads changes, and `pick` takes what the view shows from the
    /// answer. `None` while no engine runs, or while `query` says there is
    /// nothing to ask.
    ///
    /// This is the one way a view reads the engine: the question and the
    /// answer are messages, so the view works the same with the engine in a
    /// Web Worker.
    pub fn watch<T>(
        &self,
        query: impl Fn() -> Option<Query> + Send + Sync + 'static,
        pick: impl Fn(Answer) -> Option<T> + Send + Sync + 'static,
    ) -> Signal<Option<T>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let sim = *self;
        Memo::new(move |_| {
            sim.version.track();
            pick(sim.ask(query()?)?)
        })
        .into()
    }

    /// [`Sim::watch`] for a question about one device's live state.
    pub fn watch_device<T>(
        &self,
        device: impl Fn() -> Option<String> + Send + Sync + 'static,
        query: DeviceQuery,
        pick: impl Fn(DeviceAnswer) -> Option<T> + Send + Sync + 'static,
    ) -> Signal<Option<T>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        self.watch(
            move || {
                Some(Query::Device {
                    device: device()?,
                    query: query.clone(),
                })
            },
            move |a| match a {
                Answer::Device { answer } => pick(answer),
                Answer::Run { .. } => None,
            },
        )
    }

    /// [`Sim::watch`] for a question about the run.
    pub fn watch_run<T>(
        &self,
        query: impl Fn() -> Option<RunQuery> + Send + Sync + 'static,
        pick: impl Fn(RunAnswer) -> Option<T> + Send + Sync + 'static,
    ) -> Signal<Option<T>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        self.watch(
            move || Some(Query::Run { query: query()? }),
            move |a| match a {
                Answer::Run { answer } => pick(answer),
                Answer::Device { .. } => None,
            },
        )
    }

    /// Reads the engine (tracks [`Sim::version`]).
    pub fn with<R>(&self, f: impl FnOnce(&Engine) -> R) -> Option<R> {
        self.version.track();
        self.host.with_value(|h| h.engine().map(f))
    }

    /// Virtual time now.
    pub fn now(&self) -> SimTime {
        SimTime::from_micros(self.state.with(|s| s.now))
    }

    /// Brings the engine in line with an edited document: live actions where
    /// the engine can take them, a rebuild where it cannot.
    pub fn sync(&self, lab: &Lab) {
        use lanlab_sim::host::message::SyncOutcome;
        let lab = Box::new(lab.clone());
        match self.call(Command::Sync { lab }) {
            // Prompt outputs survive a rebuild.
            Reply::Synced {
                outcome: SyncOutcome::Rebuilt,
                outputs,
            } => self.freeze_terminals(outputs),
            Reply::Synced {
                outcome: SyncOutcome::Live(_),
                ..
            } => {}
            _ => return,
        }
        self.bump();
    }

    /// Starts over from the document, keeping what the prompts printed.
    pub fn rebuild(&self, lab: &Lab) {
        let lab = Box::new(lab.clone());
        let outputs = match self.call(Command::Load { lab }) {
            Reply::Synced { outputs, .. } => outputs,
            _ => Vec::new(),
        };
        self.freeze_terminals(outputs);
        self.bump();
    }

    fn freeze_terminals(&self, outputs: Vec<(JobId, String)>) {
        let outputs: HashMap<JobId, String> = outputs.into_iter().collect();
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
            .host
            .try_update_value(|h| h.run(device, line))
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
        let taken = self.send(Command::JobInput {
            job,
            line: line.to_string(),
        });
        if taken {
            self.bump();
        }
        taken
    }

    /// The configurations telnet sessions changed in the engine since the
    /// last call: each device with its configuration now, for the document.
    pub fn take_config_changes(&self) -> Vec<(DeviceId, lanlab_sim::Device)> {
        match self.call(Command::TakeConfigChanges) {
            Reply::ConfigChanges { devices } => devices,
            _ => Vec::new(),
        }
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
        let reply = self.host.try_update_value(|h| {
            h.handle(Command::Run {
                request: 0,
                device: device.to_string(),
                line: line.to_string(),
            })
        });
        let Some(Reply::Ran {
            result,
            prompt,
            device: after,
            ..
        }) = reply
        else {
            return None;
        };
        let prompt = prompt.unwrap_or_default();
        let shown = if prompt.starts_with("Password") {
            prompt.clone()
        } else {
            format!("{prompt}{line}")
        };
        let entry = match result {
            Ok(job) => TermEntry {
                line: shown,
                job: Some(job),
                text: String::new(),
            },
            Err(e) => TermEntry {
                line: shown,
                job: None,
                text: format!("{e}\n"),
            },
        };
        self.terminals
            .update(|ts| ts.entry(id).or_default().entries.push(entry));
        self.bump();
        after.map(|d| *d)
    }

    /// Appends what router `device` printed on its own since the last call
    /// (`debug ip nat` lines as packets are translated) to its console, as
    /// an entry without a prompt line.
    pub fn drain_console_output(&self, id: DeviceId, device: &str) {
        let text = match self.call(Command::TakeConsoleOutput {
            device: device.to_string(),
        }) {
            Reply::ConsoleOutput { text } => text,
            _ => String::new(),
        };
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

    /// Every running router's RIP and OSPF neighbours now, asked of the
    /// engine's host by message ([`Command::Neighbours`]); tracks
    /// [`Sim::version`], so a view reading it follows the run.
    pub fn neighbours(&self) -> Vec<lanlab_sim::Neighbour> {
        self.version.track();
        match self.call(Command::Neighbours) {
            Reply::Neighbours { neighbours } => neighbours,
            _ => Vec::new(),
        }
    }

    /// `?` typed at a console: prints what may come next, as IOS does.
    pub fn console_help(&self, id: DeviceId, device: &str, line: &str) {
        let Some(DeviceAnswer::ConsoleHelp {
            help: Some(ConsoleHelp { prompt, text }),
        }) = self.ask_device(
            device,
            DeviceQuery::ConsoleHelp {
                line: line.to_string(),
            },
        )
        else {
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
        let r = self.host.try_update_value(|h| h.act(action)).flatten();
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
            Some(job) => self.state.with(|s| {
                s.jobs
                    .iter()
                    .find(|j| j.id == job)
                    .map(|j| (j.output.clone(), j.status == JobStatus::Running))
                    .unwrap_or_default()
            }),
            None => (entry.text.clone(), false),
        }
    }

    /// Advances virtual time by `wall_ms` × speed, delivering a bounded
    /// slice of events; returns whether anything happened.
    pub fn tick(&self, wall_ms: f64) -> bool {
        let speed = self.speed.get_untracked();
        let changed = self.send(Command::Tick { wall_ms, speed });
        if changed {
            self.bump();
        }
        changed
    }
}
