//! Queries: what a view asks of the running engine, answered with owned,
//! serializable view models, so a view reads the engine the same way
//! whether the engine runs in the page or in a Web Worker.
//!
//! A query changes nothing. The page asks again whenever the run moves
//! (its `Sim::watch`), so an answer is always about the engine *now*.
//! Queries about one device's live state (leases, caches, mailboxes, a
//! console) are [`DeviceQuery`]s; queries about the run (the event list,
//! the inspector, frames in flight) are [`RunQuery`]s.

pub mod device;
pub mod run;
pub mod views;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::activity::RunMemo;
use crate::engine::Engine;
pub use device::{DeviceAnswer, DeviceQuery};
pub use run::{RunAnswer, RunQuery};
pub use views::{ConsoleHelp, JobDetail, JobOutcome, LeaseRow, ZoneLookup};

/// What a view asks of the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "of", rename_all = "snake_case")]
pub enum Query {
    /// One device's live state.
    Device {
        /// The device's name.
        device: String,
        /// What about it.
        query: DeviceQuery,
    },
    /// The run as a whole.
    Run {
        /// What about it.
        query: RunQuery,
    },
}

/// The engine's answer to a [`Query`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "of", rename_all = "snake_case")]
pub enum Answer {
    /// About one device.
    Device {
        /// The answer.
        answer: DeviceAnswer,
    },
    /// About the run.
    Run {
        /// The answer.
        answer: RunAnswer,
    },
}

impl Query {
    /// Answers the query from `engine` (which it does not change);
    /// `memo` keeps what the activity's run checks read of the trace.
    pub fn answer(&self, engine: &Engine, memo: &mut RunMemo) -> Answer {
        match self {
            Query::Device { device, query } => Answer::Device {
                answer: query.answer(engine, device),
            },
            Query::Run { query } => Answer::Run {
                answer: query.answer_with(engine, memo),
            },
        }
    }
}
