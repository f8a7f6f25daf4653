//! Jobs: the commands typed at a device's prompt, with the text they print
//! over virtual time.

use lanlab_proto::SimTime;
use serde::{Deserialize, Serialize};

use crate::lab::DeviceId;

/// A job's number in the engine.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct JobId(pub u32);

/// Where a job is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobStatus {
    /// Still printing.
    Running,
    /// Finished and did what was asked (a ping got a reply).
    Succeeded,
    /// Finished without success.
    Failed,
}

/// A command and its output.
#[derive(Clone, Debug, Serialize)]
pub struct Job {
    /// Its number.
    pub id: JobId,
    /// The device it runs on.
    pub device: DeviceId,
    /// The command line.
    pub line: String,
    /// Everything it printed so far.
    pub output: String,
    /// Running or finished.
    pub status: JobStatus,
    /// When it started.
    pub started: SimTime,
    /// When it finished.
    pub finished: Option<SimTime>,
    /// Index of the scripted action that started it, if one did.
    pub scripted: Option<usize>,
    /// A typed result for the UI, for jobs that make one (the browser's
    /// page, why a mail button failed).
    pub result: Option<Box<JobResult>>,
}

/// What a job produced beyond its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobResult {
    /// The browser loaded a page.
    Page(lanlab_proto::http::Page),
    /// The browser could not load the page.
    LoadError(lanlab_proto::http::LoadError),
    /// A mail button (Send, Receive, …) failed.
    MailFailed(crate::mailclient::MailFailure),
}

impl Job {
    /// Appends a line of output.
    pub fn println(&mut self, line: &str) {
        self.output.push_str(line);
        self.output.push('\n');
    }

    /// Appends text as it is (a prompt that waits on its line).
    pub fn print(&mut self, text: &str) {
        self.output.push_str(text);
    }

    /// Marks the job finished.
    pub fn finish(&mut self, now: SimTime, ok: bool) {
        if self.status == JobStatus::Running {
            self.status = if ok {
                JobStatus::Succeeded
            } else {
                JobStatus::Failed
            };
            self.finished = Some(now);
        }
    }
}

impl Serialize for JobResult {
    /// `{"page": {url, status, content_type, body}}`,
    /// `{"load_error": {kind, message}}` or `{"mail_error": {kind, message}}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        match self {
            JobResult::Page(p) => m.serialize_entry(
                "page",
                &serde_json::json!({
                    "url": p.url.to_string(),
                    "status": p.status,
                    "content_type": p.content_type,
                    "body": p.text(),
                }),
            )?,
            JobResult::LoadError(e) => m.serialize_entry(
                "load_error",
                &serde_json::json!({
                    "kind": variant_name(e),
                    "message": e.to_string(),
                }),
            )?,
            JobResult::MailFailed(e) => m.serialize_entry(
                "mail_error",
                &serde_json::json!({
                    "kind": variant_name(e),
                    "message": e.to_string(),
                }),
            )?,
        }
        m.end()
    }
}

/// An enum value's variant name, from its `Debug` form.
fn variant_name(e: &impl std::fmt::Debug) -> String {
    let d = format!("{e:?}");
    d.split([' ', '(', '{']).next().unwrap_or("").to_string()
}
