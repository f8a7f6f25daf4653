//! The reasons inside [`LabError`](super::LabError)'s broad variants, as
//! data, so the app can word each in the user's language. `Display` is the
//! English wording the CLI prints.

use super::LabError;

/// Why a text (or an edit's data) is not a lab.
#[derive(Clone, Debug, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum Malformed {
    /// Not JSON, or JSON not shaped like a lab. `detail` is the JSON
    /// reader's own (English) message, which names the field.
    #[error("{detail}")]
    Json {
        /// What kind of mistake.
        kind: JsonProblem,
        /// Line of the mistake (1-based; 0 when the text had no lines).
        line: usize,
        /// Column of the mistake (1-based; 0 when unknown).
        column: usize,
        /// The JSON reader's message.
        detail: String,
    },
    /// The document is JSON but not an object.
    #[error("a lab is a JSON object")]
    NotAnObject,
    /// No `version` field.
    #[error("no \"version\" number")]
    NoVersion,
    /// A `version` that is not a whole number.
    #[error("\"version\" must be a whole number")]
    VersionNotANumber,
    /// `version: 0`.
    #[error("version 0 does not exist")]
    VersionZero,
    /// Two devices with one id.
    #[error("device id {0} is used twice")]
    DeviceIdTwice(u32),
    /// Two cables with one id.
    #[error("cable id {0} is used twice")]
    CableIdTwice(u32),
    /// An edit names a cable the lab does not have.
    #[error("there is no cable {0}")]
    NoSuchCable(u32),
    /// The app was closing while an edit ran.
    #[error("the app is closing")]
    AppClosing,
}

/// What kind of JSON mistake (see [`Malformed::Json`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum JsonProblem {
    /// Not valid JSON (a stray character, a missing comma).
    Syntax,
    /// The text stops in the middle (a cut file).
    Eof,
    /// Valid JSON, but a field is missing or has the wrong type.
    Data,
}

impl Malformed {
    /// The reason for a JSON reader's error.
    pub fn json(e: &serde_json::Error) -> Malformed {
        use serde_json::error::Category;
        let kind = match e.classify() {
            Category::Eof => JsonProblem::Eof,
            Category::Data => JsonProblem::Data,
            Category::Syntax | Category::Io => JsonProblem::Syntax,
        };
        Malformed::Json {
            kind,
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        }
    }
}

/// Why an activity cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ActivityProblem {
    /// More checks than an activity may hold.
    #[error("{count} checks; an activity holds at most {max}")]
    TooManyChecks {
        /// Checks in the activity.
        count: usize,
        /// The most allowed.
        max: usize,
    },
    /// Instructions (in one language) over the size limit.
    #[error("the instructions are longer than {max} characters")]
    LongInstructions {
        /// The limit.
        max: usize,
    },
    /// A check's label, hint or field over the size limit.
    #[error("check {check}: a text is longer than {max} characters")]
    LongText {
        /// The check, from 1.
        check: usize,
        /// The limit.
        max: usize,
    },
    /// The teacher's lock does not hold a valid salt and hash.
    #[error("the teacher's lock is damaged")]
    LockDamaged,
    /// The lock lists more devices than any lab has.
    #[error("the lock names too many devices")]
    LockTooManyDevices,
}

/// Why a scripted action cannot run in this lab.
#[derive(Clone, Debug, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ActionProblem {
    /// It names a device the lab does not have.
    #[error("there is no device named {0}")]
    NoDevice(String),
    /// It names a port the device does not have.
    #[error("{device} has no port {port}")]
    NoPort {
        /// The device.
        device: String,
        /// The port asked for.
        port: String,
    },
    /// The configuration it sets breaks a rule of the document.
    #[error("{0}")]
    Invalid(Box<LabError>),
}
