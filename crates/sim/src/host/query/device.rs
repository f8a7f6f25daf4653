//! Queries about one device's live state, for its panels.

use serde::{Deserialize, Serialize};

use crate::engine::Engine;

/// What a device panel asks about its device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "q", rename_all = "snake_case")]
pub enum DeviceQuery {
    /// How many packets each firewall rule matched, in rule order.
    FirewallHits,
}

/// The answer to a [`DeviceQuery`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "a", rename_all = "snake_case")]
pub enum DeviceAnswer {
    /// [`DeviceQuery::FirewallHits`].
    FirewallHits {
        /// Matches per rule.
        hits: Vec<u64>,
    },
}

impl DeviceQuery {
    /// Answers the query about `device` from `engine`.
    pub fn answer(&self, engine: &Engine, device: &str) -> DeviceAnswer {
        match self {
            DeviceQuery::FirewallHits => DeviceAnswer::FirewallHits {
                hits: engine.firewall_hits(device),
            },
        }
    }
}
