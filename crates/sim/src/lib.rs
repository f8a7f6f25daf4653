//! lanlab-sim: the virtual LAN.
//!
//! The [`lab::Lab`] document (devices, ports, links, configuration, canvas
//! positions) is plain serde data. Everything the simulation computes is
//! derived from a document, a seed and the user's actions, so every run
//! replays exactly: [`Engine`] runs it, [`Trace`] records every frame on every
//! hop with the devices' [`Note`]s, [`shell`] is each host's command prompt,
//! and [`pcap`] writes the trace for Wireshark. No web crates, no wall clock,
//! no global randomness.
#![forbid(unsafe_code)]

pub mod action;
pub mod config;
pub mod device;
pub mod engine;
pub mod job;
pub mod lab;
pub mod note;
pub mod pcap;
pub mod queue;
pub mod rng;
pub mod shell;
pub mod summary;
pub mod testnet;
pub mod trace;

pub use action::{Action, Expect, PortRef, ScriptedAction};
pub use config::{IpConfig, StaticIp, StaticRoute};
pub use engine::{ActionError, Engine, LoggedAction};
pub use job::{Job, JobId, JobStatus};
pub use lab::{
    Device, DeviceId, DeviceKind, Lab, LabError, Link, LinkEnd, LinkId, MacAddr, Point, Port,
};
pub use note::Note;
pub use summary::Proto;
pub use trace::{DropReason, Trace, TraceEvent, TraceKind};
