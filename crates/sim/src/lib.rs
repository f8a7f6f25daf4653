//! lanlab-sim: the virtual LAN.
//!
//! The [`lab::Lab`] document (devices, ports, links, configuration, canvas
//! positions, scripted actions) lives in `lanlab_doc`; its modules are
//! re-exported here ([`lab`], [`action`], [`config`], [`share`]) so the
//! engine's code reads them as its own. Everything the
//! simulation computes is derived from a document, a seed and the user's
//! actions, so every run replays exactly: [`Engine`] runs it, [`Trace`]
//! records every frame on every hop with the devices' [`Note`]s, [`shell`]
//! is each host's command prompt, and [`pcap`] writes the trace for
//! Wireshark. No web crates, no wall clock, no global randomness.
//!
//! [`services`] mounts the `lanlab_proto` engines on the hosts: each
//! device's [`services::Services`] (DHCP, DNS, web, mail, firewall; a
//! router's relay and access lists) is part of the document, and
//! [`services::app`] is the framework servers and desktop programs
//! (browser, `nslookup`, `ping NAME`, `telnet`) run in. The e-mail server
//! is [`services::mail`] (SMTP with an MX-routed relay queue, POP3, IMAP);
//! [`mailclient`] is a PC's mail app, driven by [`Action::SendMail`],
//! [`Action::ReceiveMail`] and [`Action::Mail`] and read through
//! [`Engine::mail_client`] / [`Engine::mail_server`].
//!
//! ```
//! use lanlab_sim::{Action, Engine, JobStatus, Proto};
//! use lanlab_sim::testnet::TestNet;
//!
//! let lab = TestNet::new()
//!     .pc("PC0", "192.168.1.10/24", Some("192.168.1.1"))
//!     .switch("Switch0", 24)
//!     .router("Router0", &["192.168.1.1/24", "10.0.0.1/24"])
//!     .server("Server0", "10.0.0.2/24", Some("10.0.0.1"))
//!     .link("PC0", "Switch0")
//!     .link("Switch0", "Router0")
//!     .link("Router0", "Server0")
//!     .into_lab();
//! let mut engine = Engine::new(&lab)?;
//!
//! // A live action: typed at PC0's prompt, logged with its event index.
//! let job = engine.command("PC0", "ping -n 1 10.0.0.2")?;
//! engine.step(); // exactly one event: the ARP request reaches Switch0
//! assert!(engine.run_until_idle(10_000)); // bounded
//! let ping = engine.job(job).unwrap();
//! assert_eq!(ping.status, JobStatus::Succeeded);
//! assert!(ping.output.contains("Reply from 10.0.0.2: bytes=32"));
//!
//! // The trace: filter by protocol, describe with names and notes.
//! let first_arp = engine.trace().filter(Proto::Arp).next().unwrap();
//! assert!(engine.describe(first_arp).contains("ARP who-has 192.168.1.1 tell 192.168.1.10"));
//!
//! // Step back: rebuild the state after event 3 by replay.
//! let end = engine.events_delivered();
//! engine.seek(3);
//! assert_eq!(engine.events_delivered(), 3);
//! engine.seek(end);
//! assert_eq!(engine.job(job).unwrap().status, JobStatus::Succeeded);
//!
//! // Configuration changes apply live.
//! engine.act(Action::Power { device: "Server0".into(), on: false })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod activity;
pub mod conversation;
pub mod device;
pub mod dissect;
pub mod engine;
pub mod host;
pub mod job;
pub mod mailclient;
pub mod note;
pub mod pcap;
pub mod queue;
pub mod rng;
pub mod services;
pub mod shell;
pub mod summary;
#[cfg(any(test, feature = "test-util"))]
pub mod testnet;
pub mod trace;
pub mod words;

pub use lanlab_doc::{action, config, lab, share, vlan};

pub use action::{Action, Expect, PortRef, ScriptedAction};
pub use config::{IpConfig, StaticIp, StaticRoute};
pub use engine::{
    ActionError, Engine, InFlight, LoggedAction, NatPair, NatRow, Neighbour, RoutingProtocol,
};
pub use job::{Job, JobId, JobResult, JobStatus};
pub use lab::{
    Device, DeviceId, DeviceKind, Lab, LabError, Link, LinkEnd, LinkId, MacAddr, Point, Port,
};
pub use note::Note;
pub use services::Services;
pub use summary::Proto;
pub use trace::{DropReason, KindView, Trace, TraceEvent, TraceKind};
