//! The running simulation: *derived* state, rebuilt from the document.
//!
//! The engine runs in a Web Worker ([`crate::engine_link`]); the app talks
//! to its host only in messages (`lanlab_sim::host::message`), and every
//! answer comes back later: a view asks with [`Sim::watch`] and shows the
//! answer when it arrives, an action passes what to do with its reply.
//! The stepping rules and the document-diff → live-actions logic live in
//! the host, tested natively. Document edits that the engine can take live
//! (cables, addresses, power) become actions at the current virtual time,
//! so nothing else resets; edits it cannot take (a device added, removed
//! or renamed) rebuild it from the document. In realtime mode a timer
//! advances virtual time with the wall clock, in bounded slices, one
//! slice at a time, so neither the page nor the worker falls behind.

use std::collections::HashMap;
use std::rc::Rc;

use lanlab_proto::SimTime;
use lanlab_sim::host::filter::ProtoFilter;
use lanlab_sim::host::message::{self, Command, Rider, SyncOutcome, TickState};
use lanlab_sim::host::query::{
    self as query, ConsoleHelp, DeviceAnswer, DeviceQuery, Query, RunAnswer, RunQuery, Unread,
};
use lanlab_sim::host::sync;
use lanlab_sim::{Action, DeviceId, JobId, JobStatus, Lab};

use crate::engine_link::EngineLink;
use crate::state::set_if_changed;
use leptos::prelude::*;

/// The engine's reply as the page holds it: a query's answer and an
/// action's refusal are left unread until the view that asked reads them
/// ([`query::Unread`]).
pub type Reply = message::Reply<Unread, Unread>;

/// The engine's response as the page holds it ([`Reply`]).
pub type Response = message::Response<Unread, Unread>;

/// Why the engine refused an action, as it came: read when it is shown
/// (the code that reads every kind of refusal comes with the panels).
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal(Unread);

impl Refusal {
    /// The refusal in `lang`'s words (the engine's text, should it not read).
    pub fn words(&self, lang: crate::i18n::Lang) -> String {
        message::read_action_error(self.0.clone())
            .map_or_else(|text| text, |e| crate::i18n::action_error(lang, &e))
    }

    /// The refusal as the engine says it (`ActionError`'s own words).
    fn text(&self) -> String {
        message::read_action_error(self.0.clone()).map_or_else(|text| text, |e| e.to_string())
    }
}

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

/// Takes devices the engine configured, for the document.
type ConfigHandler = Rc<dyn Fn(Vec<(DeviceId, lanlab_sim::Device)>)>;

/// A view's standing question ([`Sim::watch_command`]), which rides along
/// with every command that may move the run: the engine answers it in the
/// same response, so the view does not ask again after the run moved.
struct Standing {
    /// The view's question now (`None`: it asks nothing now).
    cmd: Option<Command>,
    /// The version of the run a ride answered this question for.
    answered: Option<u64>,
    /// Shows a ride's answer.
    show: Rc<dyn Fn(Reply)>,
}

/// The views' standing questions, by view number, and the next number.
#[derive(Default)]
struct Views {
    next: u64,
    by_id: HashMap<u64, Standing>,
}

/// An answer read, or `None` (another kind of answer; one that does not
/// read, from an engine of another build, is said in the console).
fn read<T>(answer: Result<Option<T>, String>) -> Option<T> {
    answer
        .inspect_err(|e| web_sys::console::error_1(&format!("lanlab: an answer: {e}").into()))
        .ok()
        .flatten()
}

/// Handle to the running simulation (cheap to copy).
#[derive(Copy, Clone)]
pub struct Sim {
    link: StoredValue<EngineLink, LocalStorage>,
    /// Whether the engine has loaded (its worker's wasm arrives after the
    /// page): until then the lab can be built, and the run waits.
    pub ready: RwSignal<bool>,
    /// Why the engine could not load, or stopped (the browser's words): the
    /// page says so instead of "loading" for ever.
    pub failed: RwSignal<Option<String>>,
    /// Whether a realtime tick or a played step is on its way, so the next
    /// waits for it.
    in_flight: RwSignal<bool>,
    /// Where configurations the engine changed go ([`Sim::on_config_changes`]).
    on_configured: StoredValue<Option<ConfigHandler>, LocalStorage>,
    /// What the page shows of the run (clock, counts, the prompts' jobs),
    /// as the host reports it after each command; read it, never set it.
    pub state: RwSignal<TickState>,
    /// The address each host set to DHCP has now, by device (from
    /// `state`, once per pushed state: each device's label looks its own
    /// up instead of scanning the list, which at campus scale was a
    /// thousand scans of a thousand entries per tick).
    pub leased: Memo<HashMap<DeviceId, std::net::Ipv4Addr>>,
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
    /// What the engine was last given, as it sees a lab
    /// ([`sync::sim_view`]: no canvas positions): an edit that changes
    /// nothing of it (a drag) is not sent.
    synced: StoredValue<Option<Lab>, LocalStorage>,
    /// The views' standing questions.
    views: StoredValue<Views, LocalStorage>,
}

impl Sim {
    /// A simulation of `lab`, started at virtual time zero once the engine
    /// has loaded.
    pub fn new(lab: &Lab) -> Self {
        let ready = RwSignal::new(false);
        let failed = RwSignal::new(None);
        let state = RwSignal::new(TickState::default());
        let sim = Sim {
            link: StoredValue::new_local(EngineLink::start(
                move || ready.set(true),
                move |why| {
                    ready.set(false);
                    failed.set(Some(why));
                },
            )),
            ready,
            failed,
            in_flight: RwSignal::new(false),
            on_configured: StoredValue::new_local(None),
            state,
            leased: Memo::new(move |_| state.with(|s| s.leased.iter().copied().collect())),
            version: RwSignal::new(0),
            running: RwSignal::new(true),
            speed: RwSignal::new(1.0),
            terminals: RwSignal::new(HashMap::new()),
            simulating: RwSignal::new(false),
            playing: RwSignal::new(false),
            selected_event: RwSignal::new(None),
            filter: RwSignal::new(Default::default()),
            synced: StoredValue::new_local(None),
            views: StoredValue::new_local(Views::default()),
        };
        sim.rebuild(lab);
        sim
    }

    /// Where the engine is, as the page says it (`data-engine`):
    /// `"loading"`, `"ready"` or `"failed"` (tracked).
    pub fn engine_status(&self) -> &'static str {
        if self.ready.get() {
            "ready"
        } else if self.failed.with(Option::is_some) {
            "failed"
        } else {
            "loading"
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

    /// The jobs the prompts show (their output comes with the state).
    fn watched(&self) -> Vec<JobId> {
        self.terminals.with_untracked(|ts| {
            ts.values()
                .flat_map(|t| t.entries.iter().filter_map(|e| e.job))
                .collect()
        })
    }

    /// The one way to the engine: a command to its host; `then` gets the
    /// reply when it comes. A reply to a command that moved the run brings
    /// the state the page shows, and views asking the engine ask again.
    fn call(&self, cmd: Command, then: impl FnOnce(Reply) + 'static) {
        let sim = *self;
        let watched = self.watched();
        let Some(link) = self.link.try_get_value() else {
            return;
        };
        let riders = if cmd.is_question() {
            Vec::new()
        } else {
            self.riders()
        };
        let asked: HashMap<u64, Command> = riders.iter().map(|r| (r.view, r.cmd.clone())).collect();
        link.send(cmd, watched, riders, move |r: Response| {
            if let Some(state) = r.state {
                set_if_changed(sim.state, *state);
                let version = sim.version.get_untracked() + 1;
                sim.show_rides(asked, r.answers, version);
                sim.version.set(version);
            }
            if !r.configured.is_empty()
                && let Some(f) = sim.on_configured.try_get_value().flatten()
            {
                f(r.configured);
            }
            then(r.reply);
        });
    }

    /// The views' questions now, to ride along with a command.
    fn riders(&self) -> Vec<Rider> {
        self.views
            .try_with_value(|v| {
                v.by_id
                    .iter()
                    .filter_map(|(&view, s)| {
                        let cmd = s.cmd.as_ref().filter(|c| c.is_question())?;
                        Some(Rider {
                            view,
                            cmd: cmd.clone(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Shows the rides' answers (run version `version`), each in its view
    /// if the view still asks what it asked when the command left (else
    /// its own newer question is on its way and will be answered).
    fn show_rides(&self, asked: HashMap<u64, Command>, answers: Vec<(u64, Reply)>, version: u64) {
        for (view, reply) in answers {
            let show = self.views.try_update_value(|v| {
                let s = v.by_id.get_mut(&view)?;
                if s.cmd.as_ref() != asked.get(&view) {
                    return None;
                }
                s.answered = Some(version);
                Some(s.show.clone())
            });
            if let Some(show) = show.flatten() {
                show(reply);
            }
        }
    }

    /// No event picked any more. Only a change is written: every event
    /// row, the inspector and the packet layer read the pick, and a Step
    /// (which deselects) would otherwise wake them all for nothing.
    pub fn deselect(&self) {
        set_if_changed(self.selected_event, None);
    }

    /// Deselects, unless the pick is no longer `picked` (what it was when
    /// a command that moved the run was sent).
    fn deselect_if(&self, picked: Option<usize>) {
        if self.selected_event.get_untracked() == picked {
            self.deselect();
        }
    }

    /// Switches between realtime and simulation mode.
    pub fn set_simulating(&self, on: bool) {
        self.playing.set(false);
        self.deselect();
        self.simulating.set(on);
    }

    /// A command that moves the run: the newest row is shown afterwards
    /// (unless the student picked a row while the command was on its way:
    /// that pick stays).
    fn move_run(&self, cmd: Command) {
        let sim = *self;
        let picked = self.selected_event.get_untracked();
        self.call(cmd, move |r| {
            if r.moved() {
                sim.deselect_if(picked);
            }
        });
    }

    /// Delivers events until `rows` new trace rows appeared (or the run is
    /// idle).
    pub fn step_forward(&self, rows: u32) {
        let filter = self.proto_filter();
        self.move_run(Command::Step { rows, filter });
    }

    /// "Play": the next `rows` rows, unless the last played step is still
    /// on its way; playing stops when the run is idle.
    pub fn play_step(&self, rows: u32) {
        if self.in_flight.get_untracked() {
            return;
        }
        self.in_flight.set(true);
        let sim = *self;
        let filter = self.proto_filter();
        let picked = self.selected_event.get_untracked();
        self.call(Command::Step { rows, filter }, move |r| {
            sim.in_flight.set(false);
            if r.moved() {
                sim.deselect_if(picked);
            } else {
                sim.playing.set(false);
            }
        });
    }

    /// Goes back to before the newest shown trace row, by replay.
    pub fn step_back(&self) {
        let filter = self.proto_filter();
        self.deselect();
        self.move_run(Command::Back { filter });
    }

    /// "Skip to next timer": when no frame is on a cable, jumps virtual
    /// time to the next device timer that does something (a lease renewal,
    /// an SMTP retry, a retransmission, an autologout) and delivers it.
    pub fn skip_to_timer(&self) {
        self.move_run(Command::SkipToTimer);
    }

    /// Moves to virtual time `t`: back by replay to the last event at or
    /// before it, or forward delivering every event up to it.
    pub fn seek_time(&self, t: SimTime) {
        self.deselect();
        self.move_run(Command::SeekTime {
            micros: t.as_micros(),
        });
    }

    /// The run as a pcap file: every delivered hop, or one cable's;
    /// `then` gets its bytes.
    pub fn pcap(&self, link: Option<lanlab_sim::LinkId>, then: impl FnOnce(Vec<u8>) + 'static) {
        self.call(Command::Pcap { link }, move |r| {
            if let Reply::Pcap { bytes } = r {
                then(bytes);
            }
        });
    }

    /// Rebuilds the state right after event `n`.
    pub fn seek(&self, n: u64) {
        self.deselect();
        self.move_run(Command::Seek { event: n });
    }

    /// A view's live question: asked again whenever the run moves or what
    /// `command` reads changes; `pick` takes what the view shows from the
    /// reply. `None` until the first answer (and while `command` says
    /// there is nothing to ask); a newer answer replaces the shown one
    /// only when it arrives, so nothing flickers in between.
    pub fn watch_command<T>(
        &self,
        command: impl Fn() -> Option<Command> + 'static,
        pick: impl Fn(Reply) -> Option<T> + 'static,
    ) -> Signal<Option<T>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let sim = *self;
        let out = RwSignal::new(None::<T>);
        let asked = StoredValue::new(0_u64);
        // Shows an answer, whether it rode along or was asked for.
        let show: Rc<dyn Fn(Reply)> = Rc::new(move |r: Reply| {
            let v = pick(r);
            if out.try_with_untracked(|o| *o != v) == Some(true) {
                out.try_set(v);
            }
        });
        let view = self.views.try_update_value(|v| {
            v.next += 1;
            v.by_id.insert(
                v.next,
                Standing {
                    cmd: None,
                    answered: None,
                    show: show.clone(),
                },
            );
            v.next
        });
        on_cleanup(move || {
            if let Some(view) = view {
                sim.views.try_update_value(|v| v.by_id.remove(&view));
            }
        });
        Effect::new(move |_| {
            sim.version.track();
            sim.ready.track();
            let cmd = command();
            // Answered already, with the command that moved the run to
            // this version? Then there is nothing to ask.
            let version = sim.version.get_untracked();
            let answered = view.and_then(|view| {
                sim.views.try_update_value(|v| {
                    let s = v.by_id.get_mut(&view)?;
                    let fresh = s.answered == Some(version) && s.cmd == cmd;
                    if !fresh {
                        s.answered = None;
                        s.cmd = cmd.clone();
                    }
                    Some(fresh)
                })?
            });
            let Some(cmd) = cmd else {
                out.set(None);
                return;
            };
            if answered == Some(true) {
                return;
            }
            // Only the newest question's answer is shown.
            let n = asked.get_value() + 1;
            asked.set_value(n);
            let show = show.clone();
            // The view may be gone when the answer comes: then it is dropped.
            sim.call(cmd, move |r| {
                if asked.try_get_value() == Some(n) {
                    show(r);
                }
            });
        });
        out.into()
    }

    /// A view's live question about the engine ([`Sim::watch_command`]
    /// with a [`Query`]); `pick` reads the answer
    /// ([`query::read_device`], [`query::read_run`]).
    ///
    /// This is the one way a view reads the engine: the question and the
    /// answer are messages, so the view works the same with the engine in a
    /// Web Worker.
    fn watch<T>(
        &self,
        query: impl Fn() -> Option<Query> + 'static,
        pick: impl Fn(Unread) -> Option<T> + 'static,
    ) -> Signal<Option<T>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        self.watch_command(
            move || {
                Some(Command::Query {
                    request: 0,
                    query: query()?,
                })
            },
            move |r| match r {
                Reply::Answer { answer, .. } => pick(answer),
                _ => None,
            },
        )
    }

    /// Asks one question about device `device`; `then` gets the answer.
    pub fn ask_device(
        &self,
        device: &str,
        query: DeviceQuery,
        then: impl FnOnce(DeviceAnswer) + 'static,
    ) {
        let query = Query::Device {
            device: device.to_string(),
            query,
        };
        self.call(Command::Query { request: 0, query }, move |r| {
            if let Reply::Answer { answer, .. } = r
                && let Some(answer) = read(query::read_device(answer))
            {
                then(answer);
            }
        });
    }

    /// [`Sim::watch`] for a question about one device's live state.
    pub fn watch_device<T>(
        &self,
        device: impl Fn() -> Option<String> + 'static,
        query: DeviceQuery,
        pick: impl Fn(DeviceAnswer) -> Option<T> + 'static,
    ) -> Signal<Option<T>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        self.watch_device_asking(move || Some((device()?, query.clone())), pick)
    }

    /// [`Sim::watch_device`] for a question that changes: `ask` gives the
    /// device's name and the question now.
    pub fn watch_device_asking<T>(
        &self,
        ask: impl Fn() -> Option<(String, DeviceQuery)> + 'static,
        pick: impl Fn(DeviceAnswer) -> Option<T> + 'static,
    ) -> Signal<Option<T>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        self.watch(
            move || {
                let (device, query) = ask()?;
                Some(Query::Device { device, query })
            },
            move |a| read(query::read_device(a)).and_then(&pick),
        )
    }

    /// [`Sim::watch`] for a question about the run.
    pub fn watch_run<T>(
        &self,
        query: impl Fn() -> Option<RunQuery> + 'static,
        pick: impl Fn(RunAnswer) -> Option<T> + 'static,
    ) -> Signal<Option<T>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        self.watch(
            move || Some(Query::Run { query: query()? }),
            move |a| read(query::read_run(a)).and_then(&pick),
        )
    }

    /// Which of the activity's run checks pass ([`RunQuery::Checks`] for
    /// the activity `activity` gives): read without the code that reads
    /// the other run answers, which comes with simulation mode's part.
    pub fn watch_checks(
        &self,
        activity: impl Fn() -> Option<Box<lanlab_sim::activity::Activity>> + 'static,
    ) -> Signal<Option<Vec<bool>>> {
        self.watch(
            move || {
                Some(Query::Run {
                    query: RunQuery::Checks {
                        activity: activity()?,
                    },
                })
            },
            |a| query::read_checks(&a),
        )
    }

    /// Virtual time now.
    pub fn now(&self) -> SimTime {
        SimTime::from_micros(self.state.with(|s| s.now))
    }

    /// Brings the engine in line with an edited document: live actions where
    /// the engine can take them, a rebuild where it cannot.
    ///
    /// The engine ignores canvas positions, so an edit that only moved
    /// devices is not sent: at campus scale (1,000 devices) sending the
    /// whole document after each drag was most of the drop's long task.
    pub fn sync(&self, lab: &Lab) {
        let view = sync::sim_view(lab);
        if self.synced.with_value(|s| s.as_ref() == Some(&view)) {
            return;
        }
        self.synced.set_value(Some(view));
        let sim = *self;
        let lab = Box::new(lab.clone());
        self.call(Command::Sync { lab }, move |r| {
            // Prompt outputs survive a rebuild.
            if let Reply::Synced {
                outcome: SyncOutcome::Rebuilt,
                outputs,
            } = r
            {
                sim.freeze_terminals(outputs);
            }
        });
    }

    /// How many commands the page has sent the engine (browser tests check
    /// that an edit the engine ignores sends none).
    pub fn commands_sent(&self) -> u64 {
        self.link.try_with_value(EngineLink::sent).unwrap_or(0)
    }

    /// Starts over from the document, keeping what the prompts printed.
    pub fn rebuild(&self, lab: &Lab) {
        self.synced.set_value(Some(sync::sim_view(lab)));
        let sim = *self;
        let lab = Box::new(lab.clone());
        self.call(Command::Load { lab }, move |r| {
            if let Reply::Synced { outputs, .. } = r {
                sim.freeze_terminals(outputs);
            }
        });
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

    /// Appends an entry to a device's prompt.
    fn push_entry(&self, id: DeviceId, entry: TermEntry) {
        self.terminals
            .update(|ts| ts.entry(id).or_default().entries.push(entry));
    }

    /// Runs a command line at a device's prompt.
    pub fn command(&self, id: DeviceId, device: &str, line: &str) {
        let sim = *self;
        let typed = line.to_string();
        let cmd = Command::Run {
            request: 0,
            device: device.to_string(),
            line: line.to_string(),
        };
        self.call(cmd, move |r| {
            let Reply::Ran { result, .. } = r else {
                return;
            };
            sim.record_run(id, typed, result.map_err(Refusal));
        });
    }

    /// A line typed at a device's prompt: input for the job still running
    /// there when it reads input (`telnet`), else `cls` or a new command.
    pub fn prompt_line(&self, id: DeviceId, device: &str, line: &str) {
        let sim = *self;
        let job = self.terminals.with_untracked(|ts| {
            ts.get(&id)
                .and_then(|t| t.entries.last())
                .and_then(|e| e.job)
        });
        let (device, line) = (device.to_string(), line.to_string());
        let as_command = move |line: String| {
            if line.eq_ignore_ascii_case("cls") {
                sim.clear_terminal(id);
            } else if !line.is_empty() {
                sim.command(id, &device, &line);
            }
        };
        // The last job is finished: no need to ask.
        let running = job.is_some_and(|j| {
            self.state.with_untracked(|s| {
                s.jobs
                    .iter()
                    .any(|v| v.id == j && v.status == JobStatus::Running)
            })
        });
        match job {
            Some(job) if running => {
                let cmd = Command::JobInput {
                    job,
                    line: line.clone(),
                };
                // A running job that takes no input (`ping`) leaves the
                // line to be a new command.
                self.call(cmd, move |r| {
                    if !r.moved() {
                        as_command(line);
                    }
                });
            }
            _ => as_command(line),
        }
    }

    /// `f` gets the configurations telnet sessions (and a lab's script)
    /// change in the engine: each device with its configuration now, for
    /// the document. They come with the response to the command during
    /// which they changed ([`Response::configured`]).
    pub fn on_config_changes(&self, f: impl Fn(Vec<(DeviceId, lanlab_sim::Device)>) + 'static) {
        let f: ConfigHandler = Rc::new(f);
        self.on_configured.set_value(Some(f));
    }

    /// Runs a line at a router's or switch's IOS console; the entry shows
    /// the prompt it was typed at (a password is not echoed). `then` gets
    /// the device's configuration in the engine afterwards.
    pub fn console_line(
        &self,
        id: DeviceId,
        device: &str,
        line: &str,
        then: impl FnOnce(lanlab_sim::Device) + 'static,
    ) {
        let sim = *self;
        let typed = line.to_string();
        let cmd = Command::Run {
            request: 0,
            device: device.to_string(),
            line: line.to_string(),
        };
        self.call(cmd, move |r| {
            let Reply::Ran {
                result,
                prompt,
                device: after,
                ..
            } = r
            else {
                return;
            };
            let prompt = prompt.unwrap_or_default();
            let shown = if prompt.starts_with("Password") {
                prompt.clone()
            } else {
                format!("{prompt}{typed}")
            };
            sim.record_run(id, shown, result.map_err(Refusal));
            if let Some(after) = after {
                then(*after);
            }
        });
    }

    /// A line the engine ran at a prompt or console: its entry, with the
    /// job it started or why it refused; a new job is watched from now on.
    fn record_run(&self, id: DeviceId, line: String, result: Result<JobId, Refusal>) {
        let (job, text) = match result {
            Ok(job) => (Some(job), String::new()),
            Err(e) => (None, format!("{}\n", e.text())),
        };
        self.push_entry(id, TermEntry { line, job, text });
        if job.is_some() {
            self.refresh_state();
        }
    }

    /// Asks for the state again (a new job is watched from now on).
    fn refresh_state(&self) {
        let sim = *self;
        self.call(
            Command::State {
                watched: self.watched(),
            },
            move |r| {
                if let Reply::State { state } = r {
                    set_if_changed(sim.state, *state);
                }
            },
        );
    }

    /// Appends what router `device` printed on its own since the last call
    /// (`debug ip nat` lines as packets are translated) to its console, as
    /// an entry without a prompt line.
    pub fn drain_console_output(&self, id: DeviceId, device: &str) {
        let sim = *self;
        let cmd = Command::TakeConsoleOutput {
            device: device.to_string(),
        };
        self.call(cmd, move |r| {
            if let Reply::ConsoleOutput { text } = r
                && !text.is_empty()
            {
                sim.push_entry(
                    id,
                    TermEntry {
                        line: String::new(),
                        job: None,
                        text,
                    },
                );
            }
        });
    }

    /// Every running router's RIP and OSPF neighbours, asked of the
    /// engine's host by message ([`Command::Neighbours`]) while `on`, and
    /// again whenever the run moves.
    pub fn watch_neighbours(
        &self,
        on: impl Fn() -> bool + 'static,
    ) -> Signal<Option<Vec<lanlab_sim::Neighbour>>> {
        self.watch_command(
            move || on().then_some(Command::Neighbours),
            |r| match r {
                Reply::Neighbours { neighbours } => Some(neighbours),
                _ => None,
            },
        )
    }

    /// `?` typed at a console: prints what may come next, as IOS does.
    pub fn console_help(&self, id: DeviceId, device: &str, line: &str) {
        let sim = *self;
        let typed = line.to_string();
        let query = DeviceQuery::ConsoleHelp {
            line: line.to_string(),
        };
        self.ask_device(device, query, move |a| {
            if let DeviceAnswer::ConsoleHelp {
                help: Some(ConsoleHelp { prompt, text }),
            } = a
            {
                sim.push_entry(
                    id,
                    TermEntry {
                        line: format!("{prompt}{typed}?"),
                        job: None,
                        text,
                    },
                );
            }
        });
    }

    /// Takes a live action (browser, mail client) at the current virtual
    /// time; `then` gets the job it started or why the engine refused.
    pub fn act(&self, action: Action, then: impl FnOnce(Result<Option<JobId>, Refusal>) + 'static) {
        let cmd = Command::Act {
            request: 0,
            action: Box::new(action),
        };
        self.call(cmd, move |r| {
            if let Reply::Done { result, .. } = r {
                then(result.map_err(Refusal));
            }
        });
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

    /// Realtime: advances virtual time by `wall_ms` × speed, delivering a
    /// bounded slice of events. `false` when the last slice is still on
    /// its way: the caller keeps this time and sends it with the next
    /// tick, so the clock keeps pace with the wall even when the worker's
    /// answer takes longer than a tick (a slow phone). A slow engine still
    /// cannot fall ever further behind: it delivers at most a bounded
    /// number of events per slice, and at most a second's worth.
    /// `true` (the time is used up) before the engine is ready: the run
    /// starts at zero when it is.
    pub fn tick(&self, wall_ms: f64) -> bool {
        if !self.ready.get_untracked() {
            return true;
        }
        if self.in_flight.get_untracked() {
            return false;
        }
        self.in_flight.set(true);
        let sim = *self;
        let speed = self.speed.get_untracked();
        self.call(Command::Tick { wall_ms, speed }, move |_| {
            sim.in_flight.set(false);
        });
        true
    }
}
