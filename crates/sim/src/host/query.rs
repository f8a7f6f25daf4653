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
#[serde(remote = "Self", rename_all = "snake_case")]
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

impl Serialize for Query {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        lanlab_doc::tagged::write(self, s, "of", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for Query {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lanlab_doc::tagged::read(d, "of", Self::deserialize)
    }
}

/// The engine's answer to a [`Query`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// An [`Answer`] as the page holds it until the view that asked reads it
/// (the page's [`crate::host::message::Reply`] is `Reply<Unread, Unread>`): the
/// JSON the engine wrote. A view reads only the kind of answer it shows,
/// with [`read_device`], [`read_run`] or [`read_checks`], so each kind's
/// reading code goes where its view is.
pub type Unread = serde_json::Value;

/// The answer in `unread` if it is one of kind `of` ([`Answer`]'s variant
/// as written: `{"device": {"answer": …}}`).
fn unread_of(unread: Unread, of: &str) -> Option<Unread> {
    let Unread::Object(mut kinds) = unread else {
        return None;
    };
    let Unread::Object(mut fields) = kinds.remove(of)? else {
        return None;
    };
    fields.remove("answer")
}

/// Reads an answer of kind `of`: `Ok(None)` when `unread` is another kind.
fn read<T: serde::de::DeserializeOwned>(unread: Unread, of: &str) -> Result<Option<T>, String> {
    unread_of(unread, of)
        .map(|answer| serde_json::from_value(answer).map_err(|e| e.to_string()))
        .transpose()
}

/// The device answer in `unread`: `Ok(None)` when it is about the run, an
/// error when it does not read (an engine of another build).
pub fn read_device(unread: Unread) -> Result<Option<DeviceAnswer>, String> {
    read(unread, "device")
}

/// The run answer in `unread` ([`read_device`]'s rules).
pub fn read_run(unread: Unread) -> Result<Option<RunAnswer>, String> {
    read(unread, "run")
}

/// [`RunAnswer::Checks`]'s list, read without the code that reads every
/// other run answer (the activity's checks show from the page's start):
/// `None` when `unread` is another answer.
pub fn read_checks(unread: &Unread) -> Option<Vec<bool>> {
    let passed = unread
        .get("run")?
        .get("answer")?
        .get("checks")?
        .get("passed")?;
    passed.as_array()?.iter().map(Unread::as_bool).collect()
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
