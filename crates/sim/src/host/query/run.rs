//! Queries about the run as a whole, for the simulation views.

use serde::{Deserialize, Serialize};

use crate::engine::Engine;

/// What a simulation view asks about the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "q", rename_all = "snake_case")]
pub enum RunQuery {
    /// Rows in the trace.
    Rows,
}

/// The answer to a [`RunQuery`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "a", rename_all = "snake_case")]
pub enum RunAnswer {
    /// [`RunQuery::Rows`].
    Rows {
        /// How many.
        rows: usize,
    },
}

impl RunQuery {
    /// Answers the query from `engine`.
    pub fn answer(&self, engine: &Engine) -> RunAnswer {
        match self {
            RunQuery::Rows => RunAnswer::Rows {
                rows: engine.trace().len(),
            },
        }
    }
}
