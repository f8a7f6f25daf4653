//! The vocabulary of an instance: mode, timers, configuration, port roles
//! and states, and the port view `show spanning-tree` reads.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use super::event::AlternateWhy;
use super::id::{BridgeId, PortId};

/// 802.1D (PVST+) or 802.1w (rapid-pvst).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Mode {
    /// `spanning-tree mode pvst`: 802.1D per VLAN (Cisco's default).
    #[default]
    Pvst,
    /// `spanning-tree mode rapid-pvst`: 802.1w per VLAN.
    RapidPvst,
}

/// The three 802.1D timers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Timers {
    /// Hello time (2 s).
    pub hello: Duration,
    /// Max age (20 s).
    pub max_age: Duration,
    /// Forward delay (15 s).
    pub forward_delay: Duration,
}

impl Default for Timers {
    fn default() -> Timers {
        Timers {
            hello: Duration::from_secs(2),
            max_age: Duration::from_secs(20),
            forward_delay: Duration::from_secs(15),
        }
    }
}

/// How an instance is configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BridgeConfig {
    /// Which protocol.
    pub mode: Mode,
    /// This bridge's ID (priority with sys-id-ext, MAC).
    pub id: BridgeId,
    /// Timers.
    pub timers: Timers,
}

/// How one port is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortSetup {
    /// Path cost (19 for 100 Mb/s, 4 for 1 Gb/s).
    pub cost: u32,
    /// `spanning-tree portfast`: an edge port, forwarding at once.
    pub edge: bool,
    /// Whether BPDUs are sent on it (`false`: BPDU filter, nothing sent).
    pub send_bpdus: bool,
}

/// A port's role (802.1w §17.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Role {
    /// The port towards the root.
    Root,
    /// The port that serves its segment.
    Designated,
    /// Another path to the root, blocked.
    Alternate,
    /// A second port on a segment this bridge already serves, blocked.
    Backup,
    /// Link down.
    Disabled,
}

impl Role {
    /// IOS's four-letter abbreviation (`Root`, `Desg`, `Altn`, `Back`, `Disa`).
    pub fn ios(self) -> &'static str {
        match self {
            Role::Root => "Root",
            Role::Designated => "Desg",
            Role::Alternate => "Altn",
            Role::Backup => "Back",
            Role::Disabled => "Disa",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Root => "root",
            Role::Designated => "designated",
            Role::Alternate => "alternate",
            Role::Backup => "backup",
            Role::Disabled => "disabled",
        })
    }
}

/// A port's state (802.1D §8.4; rapid mode's discarding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum State {
    /// Link down.
    Disabled,
    /// 802.1D: receives BPDUs only.
    Blocking,
    /// 802.1D: sends and receives BPDUs, no learning.
    Listening,
    /// Learns MAC addresses, forwards no frame.
    Learning,
    /// Forwards frames.
    Forwarding,
    /// 802.1w: neither forwards nor learns.
    Discarding,
}

impl State {
    /// IOS's abbreviation (`BLK`, `LIS`, `LRN`, `FWD`, `DIS`).
    pub fn ios(self) -> &'static str {
        match self {
            State::Disabled => "DIS",
            State::Blocking | State::Discarding => "BLK",
            State::Listening => "LIS",
            State::Learning => "LRN",
            State::Forwarding => "FWD",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Disabled => "disabled",
            State::Blocking => "blocking",
            State::Listening => "listening",
            State::Learning => "learning",
            State::Forwarding => "forwarding",
            State::Discarding => "discarding",
        })
    }
}

/// What `show spanning-tree` and the canvas read about a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PortView {
    /// Role.
    pub role: Role,
    /// State.
    pub state: State,
    /// Path cost.
    pub cost: u32,
    /// Port ID.
    pub id: PortId,
    /// Whether it is an (operational) edge port.
    pub edge: bool,
    /// For alternate and backup ports: why.
    pub why: Option<AlternateWhy>,
}
