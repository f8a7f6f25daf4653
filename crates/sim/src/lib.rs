//! lanlab-sim: the virtual LAN.
//!
//! The [`lab::Lab`] document (devices, ports, links, configuration, canvas
//! positions) is plain serde data. Everything the simulation computes is
//! derived from a document, a seed and the user's actions, so every run
//! replays exactly. No web crates, no wall clock, no global randomness.
#![forbid(unsafe_code)]

pub mod action;
pub mod config;
pub mod lab;

pub use action::{Action, Expect, PortRef, ScriptedAction};
pub use config::{IpConfig, StaticIp, StaticRoute};
pub use lab::{
    Device, DeviceId, DeviceKind, Lab, LabError, Link, LinkEnd, LinkId, MacAddr, Point, Port,
};
