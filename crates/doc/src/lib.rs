//! lanlab-doc: the lab document — everything that is stored or sent.
//!
//! A [`Lab`] holds devices, ports, links, each device's IP and service
//! configuration, canvas positions, scripted [`Action`]s and the teacher's
//! [`activity::Activity`] specification. It is plain serde data, versioned
//! (`"version": N`) and migrated on load, so a file or link made today
//! still opens next year; [`share`] is the share-link codec over its lean
//! form. [`lab::Edit`] is the undoable document operation.
//!
//! This crate sits below the simulator: it knows the protocol crate's
//! configuration types (a DNS zone, a DHCP pool, an access list) and
//! nothing of the engine, the browser or the clock.
#![forbid(unsafe_code)]

pub mod action;
pub mod activity;
pub mod config;
pub mod device;
pub mod error;
pub mod ios;
pub mod lab;
pub mod mail_op;
pub mod ospf;
pub mod rip;
pub mod services;
pub mod share;
pub mod stp;
pub use lanlab_proto::tagged;
pub mod vlan;

pub use action::{Action, Expect, PortRef, ScriptedAction};
pub use config::{IpConfig, StaticIp, StaticRoute};
pub use lab::{
    Device, DeviceId, DeviceKind, Lab, LabError, Link, LinkEnd, LinkId, MacAddr, Point, Port,
};
pub use services::Services;
