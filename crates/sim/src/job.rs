//! Jobs: the commands typed at a device's prompt, with the text they print
//! over virtual time.

use lanlab_proto::SimTime;

use crate::lab::DeviceId;

/// A job's number in the engine.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId(pub u32);

/// Where a job is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum JobStatus {
    /// Still printing.
    Running,
    /// Finished and did what was asked (a ping got a reply).
    Succeeded,
    /// Finished without success.
    Failed,
}

/// A command and its output.
#[derive(Clone, Debug)]
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
    /// A typed result for the UI, for jobs that make one (the browser's page).
    pub result: Option<Box<JobResult>>,
}

/// What a job produced beyond its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobResult {
    /// The browser loaded a page.
    Page(lanlab_proto::http::Page),
    /// The browser could not load the page.
    LoadError(lanlab_proto::http::LoadError),
}

impl Job {
    /// Appends a line of output.
    pub fn println(&mut self, line: &str) {
        self.output.push_str(line);
        self.output.push('\n');
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
