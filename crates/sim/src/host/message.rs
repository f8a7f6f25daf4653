//! The messages between the page and the engine's host: owned,
//! serializable values, so they cross a worker's `postMessage` boundary
//! unchanged (no shared memory, no references into the engine).

use serde::{Deserialize, Serialize};

use crate::action::Action;
use crate::engine::{ActionError, Neighbour};
use crate::host::filter::ProtoFilter;
use crate::host::query::{Answer, Query, Unread};
use crate::job::{JobId, JobStatus};
use crate::lab::{Device, DeviceId, Lab, LinkId};

/// What the page asks the engine to do.
///
/// Written tagged (`{"cmd": "seek", "event": 9}`), unlike what the engine
/// answers, and read through a `Value` (`lanlab_doc::tagged`), as the
/// worker reads every message ([`crate::host::wire::decode`]): every type
/// inside a command (the lab document too) is compiled into it once, for
/// that one deserializer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Command {
    /// Start over from this document at virtual time zero.
    Load {
        /// The document.
        lab: Box<Lab>,
    },
    /// Bring the engine in line with an edited document: live actions where
    /// it can take them, a rebuild where it cannot.
    Sync {
        /// The document now.
        lab: Box<Lab>,
    },
    /// Deliver events until `rows` new rows the filter shows appeared.
    Step {
        /// How many shown rows to advance by.
        rows: u32,
        /// The event list's protocol filter.
        filter: ProtoFilter,
    },
    /// Go back to before the newest shown row, by replay.
    Back {
        /// The event list's protocol filter.
        filter: ProtoFilter,
    },
    /// With nothing on a cable, jump to the next timer that does something.
    SkipToTimer,
    /// Move to virtual time `micros` (back by replay or forward).
    SeekTime {
        /// The virtual time, in microseconds.
        micros: u64,
    },
    /// Rebuild the state right after event `event`.
    Seek {
        /// How many events to have delivered.
        event: u64,
    },
    /// Realtime: advance virtual time by `wall_ms` × `speed`.
    Tick {
        /// Wall-clock milliseconds since the last tick.
        wall_ms: f64,
        /// Virtual seconds per wall second.
        speed: f64,
    },
    /// A live action (browser, mail client, cable…).
    Act {
        /// The page's number for the reply.
        request: u64,
        /// The action.
        action: Box<Action>,
    },
    /// A line typed at a device's prompt or console.
    Run {
        /// The page's number for the reply.
        request: u64,
        /// The device's name.
        device: String,
        /// The line.
        line: String,
    },
    /// A line for the job still reading input at a prompt (`telnet`).
    JobInput {
        /// The job.
        job: JobId,
        /// The line.
        line: String,
    },
    /// Hand over the devices whose configuration a telnet session changed.
    TakeConfigChanges,
    /// Hand over what router `device` printed on its own (`debug ip nat`,
    /// `debug ip rip`, `debug ip ospf adj` lines) since the last time.
    TakeConsoleOutput {
        /// The router's name.
        device: String,
    },
    /// The run as a pcap file: every hop, or one cable's.
    Pcap {
        /// One cable, or all.
        link: Option<LinkId>,
    },
    /// Every router's RIP and OSPF neighbours now (a query: changes nothing).
    Neighbours,
    /// What the page shows of the run now, with the output of the jobs
    /// its prompts watch.
    State {
        /// The jobs the prompts show.
        watched: Vec<JobId>,
    },
    /// A view's question about the engine now (changes nothing).
    Query {
        /// The page's number for the reply.
        request: u64,
        /// The question.
        query: Query,
    },
}

impl Serialize for Command {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        lanlab_doc::tagged::write(self, s, "cmd", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for Command {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lanlab_doc::tagged::read(d, "cmd", Self::deserialize)
    }
}

/// What the engine answers a [`Command`].
///
/// `A` is how a [`Command::Query`]'s [`Answer`] travels, `E` how an
/// [`ActionError`] does: the engine's values, or on the page ones not read
/// yet ([`Unread`]), which the view that asked reads itself. So the code
/// that reads every kind of answer and refusal goes with the views that
/// show them (parts of the page fetched on first use), not into the
/// page's first load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply<A = Answer, E = ActionError> {
    /// Whether the command moved the run (or changed the engine).
    Moved {
        /// Anything happened.
        moved: bool,
    },
    /// How a [`Command::Sync`] or [`Command::Load`] went.
    Synced {
        /// Unchanged, live or rebuilt.
        outcome: SyncOutcome,
        /// After a rebuild: what the old engine's jobs printed, for the
        /// prompts to keep.
        outputs: Vec<(JobId, String)>,
    },
    /// A request's result: its job, if it started one, or the error in words.
    Done {
        /// The page's number.
        request: u64,
        /// The job started, or why the engine refused.
        result: Result<Option<JobId>, E>,
    },
    /// What a [`Command::Run`] did: the job it started, with what a
    /// console shows around the line.
    Ran {
        /// The page's number.
        request: u64,
        /// The job started, or why the engine refused.
        result: Result<JobId, E>,
        /// The prompt the line was typed at (`R1(config)#`, `Password: `),
        /// as it stood before the line; `None` for an unknown device.
        prompt: Option<String>,
        /// The device's configuration in the engine after the line (a
        /// console line may change it, its hostname included); `None` for
        /// an unknown device.
        device: Option<Box<Device>>,
    },
    /// The devices telnet sessions configured, with their configuration now.
    ConfigChanges {
        /// Each device with its configuration.
        devices: Vec<(DeviceId, Device)>,
    },
    /// Lines a router printed on its own ([`Command::TakeConsoleOutput`]).
    ConsoleOutput {
        /// The text, empty when nothing came.
        text: String,
    },
    /// A pcap file.
    Pcap {
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// The routers' neighbours ([`Command::Neighbours`]).
    Neighbours {
        /// Router by router, interface by interface.
        neighbours: Vec<Neighbour>,
    },
    /// The answer to a [`Command::Query`].
    Answer {
        /// The page's number.
        request: u64,
        /// The answer.
        answer: A,
    },
    /// [`Command::State`]'s answer.
    State {
        /// The run as the page shows it.
        state: Box<TickState>,
    },
    /// The engine could not be built from the document.
    NoEngine,
}

/// How the engine followed an edited document.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncOutcome {
    /// The edit changes nothing the simulation sees (a device moved).
    Unchanged,
    /// Applied as this many live actions at the current virtual time.
    Live(usize),
    /// Rebuilt from the document at virtual time zero.
    Rebuilt,
}

/// What the page shows of the run, pushed after each tick or command.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TickState {
    /// Virtual time, in microseconds.
    pub now: u64,
    /// Events delivered so far.
    pub events: u64,
    /// Rows in the trace.
    pub rows: usize,
    /// Frames on cables right now.
    pub frames_in_flight: usize,
    /// When the next device timer fires, in microseconds.
    pub next_timer: Option<u64>,
    /// Devices switched off.
    pub off: Vec<DeviceId>,
    /// Switch ports (device, port index) blocked by loop protection.
    pub blocked: Vec<(DeviceId, usize)>,
    /// Spanning tree role and state of switch ports that face another
    /// switch, as IOS abbreviates them (`Altn BLK`).
    pub stp: Vec<((DeviceId, usize), String)>,
    /// The address each host set to DHCP has now (its canvas label).
    pub leased: Vec<(DeviceId, std::net::Ipv4Addr)>,
    /// The jobs the page watches: what they printed so far.
    pub jobs: Vec<JobView>,
}

/// One job as a prompt shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    /// The job.
    pub id: JobId,
    /// Its command line.
    pub line: String,
    /// Running or finished.
    pub status: JobStatus,
    /// Everything it printed.
    pub output: String,
}

/// A command on its way to the host, numbered by the page, with the jobs
/// the page's prompts watch (their output comes back in the state) and the
/// questions its views ask now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// The page's number; the [`Response`] carries it back.
    pub id: u64,
    /// The command.
    pub cmd: Command,
    /// The jobs the prompts show.
    pub watched: Vec<JobId>,
    /// The views' standing questions: answered in the [`Response`] when
    /// the command moves the run, so a view has its answer with the new
    /// state instead of asking again after it (a Step is one round trip).
    #[serde(default)]
    pub riders: Vec<Rider>,
}

/// A view's question riding along with a command ([`Envelope::riders`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rider {
    /// The page's number for the view.
    pub view: u64,
    /// The question: a [`Command::Query`] or [`Command::Neighbours`]
    /// (anything else is not answered: only questions ride).
    pub cmd: Command,
}

/// The host's answer to an [`Envelope`] (`A`, `E`: as in [`Reply`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response<A = Answer, E = ActionError> {
    /// The envelope's number.
    pub id: u64,
    /// The reply.
    pub reply: Reply<A, E>,
    /// When the command moved the run or changed the engine: what the page
    /// shows of it now (views asking the engine ask again).
    pub state: Option<Box<TickState>>,
    /// The devices a telnet session or the lab's script configured during
    /// the command, with their configuration now, for the page's document
    /// (handed over once, as [`Command::TakeConfigChanges`] would).
    #[serde(default)]
    pub configured: Vec<(DeviceId, Device)>,
    /// When the command moved the run: the riders' answers, asked after
    /// it, by view.
    #[serde(default = "Vec::new")]
    pub answers: Vec<(u64, Reply<A, E>)>,
}

/// What the host in a Web Worker posts to the page (`A`, `E`: as in [`Reply`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Post<A = Answer, E = ActionError> {
    /// The worker's engine code has loaded: commands may come.
    Ready,
    /// A command's answer.
    Response(Box<Response<A, E>>),
    /// The engine could not load (its wasm did not arrive or did not
    /// compile): what the browser said. Posted by the worker's loader
    /// script, so nothing more will come.
    Failed {
        /// The browser's words (for the page to show under its own).
        error: String,
    },
}

impl Command {
    /// Whether the command only asks (changes nothing in the engine), so
    /// it may ride along with another ([`Rider`]).
    pub fn is_question(&self) -> bool {
        matches!(self, Command::Query { .. } | Command::Neighbours)
    }
}

impl<A, E> Reply<A, E> {
    /// Whether the run moved or the engine changed, so the page's views
    /// of it are out of date.
    pub fn moved(&self) -> bool {
        match self {
            Reply::Moved { moved } => *moved,
            Reply::Synced { outcome, .. } => *outcome != SyncOutcome::Unchanged,
            Reply::Done { .. } | Reply::Ran { .. } => true,
            Reply::ConfigChanges { .. }
            | Reply::ConsoleOutput { .. }
            | Reply::Pcap { .. }
            | Reply::Neighbours { .. }
            | Reply::Answer { .. }
            | Reply::State { .. }
            | Reply::NoEngine => false,
        }
    }
}

/// The [`ActionError`] in `unread` (a page's [`Reply<Unread, Unread>`]),
/// or, when it does not read (an engine of another build), the text as
/// it came.
pub fn read_action_error(unread: Unread) -> Result<ActionError, String> {
    serde_json::from_value(unread.clone()).map_err(|_| unread.to_string())
}
