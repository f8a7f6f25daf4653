//! The owned view models device answers carry: exactly what a panel shows
//! of a lease, a DNS answer, a job or a console, with no reference into
//! the engine, so they cross a `postMessage` as they are.

use std::net::Ipv4Addr;

use lanlab_proto::dhcp::{Lease, LeaseState};
use lanlab_proto::dns::ZoneAnswer;
use lanlab_proto::http::{LoadError, Page};
use serde::{Deserialize, Serialize};

use crate::job::{Job, JobResult, JobStatus};
use crate::mailclient::MailFailure;

/// One lease of a DHCP server, as its Services tab lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseRow {
    /// The address given.
    pub address: Ipv4Addr,
    /// The client's MAC, `aa:bb:cc:dd:ee:ff`.
    pub mac: String,
    /// Offered, bound or declined.
    pub state: LeaseState,
}

impl From<&Lease> for LeaseRow {
    fn from(l: &Lease) -> Self {
        LeaseRow {
            address: l.address,
            mac: l.mac.to_string(),
            state: l.state,
        }
    }
}

/// What a DNS server's zones answer for a name and type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneLookup {
    /// The records of the answer (any CNAMEs first), one zone-file line each.
    Records {
        /// The records.
        records: Vec<String>,
    },
    /// The name exists without records of that type.
    NoData,
    /// The name does not exist.
    NxDomain,
    /// The name lies below a zone cut (delegated to another server).
    Delegated {
        /// The child zone.
        cut: String,
    },
}

impl From<&ZoneAnswer> for ZoneLookup {
    fn from(a: &ZoneAnswer) -> Self {
        match a {
            ZoneAnswer::Answer(rs) => ZoneLookup::Records {
                records: rs.iter().map(ToString::to_string).collect(),
            },
            ZoneAnswer::NoData { .. } => ZoneLookup::NoData,
            ZoneAnswer::NxDomain { .. } => ZoneLookup::NxDomain,
            ZoneAnswer::Delegation { cut, .. } => ZoneLookup::Delegated {
                cut: cut.to_string(),
            },
        }
    }
}

/// A job a desktop program (browser, mail client) started, as its window
/// shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDetail {
    /// Its command line (to notice that a rebuilt engine reused the number).
    pub line: String,
    /// Running or finished.
    pub status: JobStatus,
    /// Everything it printed.
    pub output: String,
    /// The typed result, for jobs that make one.
    pub outcome: Option<JobOutcome>,
}

impl From<&Job> for JobDetail {
    fn from(j: &Job) -> Self {
        JobDetail {
            line: j.line.clone(),
            status: j.status,
            output: j.output.clone(),
            outcome: j.result.as_deref().map(JobOutcome::from),
        }
    }
}

/// A job's typed result ([`JobResult`], whose own `Serialize` is the
/// one-way JSON of the command line), whole, for the page to word.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobOutcome {
    /// The browser loaded a page.
    Page(Page),
    /// The browser could not load the page.
    LoadError(LoadError),
    /// A mail button failed.
    MailFailed(MailFailure),
}

impl From<&JobResult> for JobOutcome {
    fn from(r: &JobResult) -> Self {
        match r {
            JobResult::Page(p) => JobOutcome::Page(p.clone()),
            JobResult::LoadError(e) => JobOutcome::LoadError(e.clone()),
            JobResult::MailFailed(f) => JobOutcome::MailFailed(f.clone()),
        }
    }
}

/// What `?` prints at a console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleHelp {
    /// The prompt the `?` was typed at.
    pub prompt: String,
    /// What may come next.
    pub text: String,
}
