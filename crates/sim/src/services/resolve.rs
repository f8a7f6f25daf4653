//! Programs that start with a name lookup through the host's stub resolver:
//! `ping NAME` / `tracert NAME` (resolve, then hand over to the echo
//! program) and `nslookup` (print what the server said, as the real tool).

use std::net::{IpAddr, Ipv4Addr};

use lanlab_proto::dns::{
    LookupResult, Name, NslookupCommand, Question, RData, RecordType, render_nslookup,
};

use super::app::{App, AppCx};
use crate::job::JobId;
use crate::shell::run::Run;

/// Which program runs once the name is resolved.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Then {
    /// `ping -n count`.
    Ping(u16),
    /// `tracert -h max_hops`.
    Tracert(u8),
}

/// Resolves a name, then runs `ping` or `tracert` on the address.
#[derive(Clone, Debug)]
pub struct ResolveThenRun {
    job: JobId,
    name: String,
    then: Then,
}

impl ResolveThenRun {
    /// `ping`/`tracert` of `name` for `job`.
    pub fn new(job: JobId, name: &str, then: Then) -> Self {
        ResolveThenRun {
            job,
            name: name.to_string(),
            then,
        }
    }
}

/// The first IPv4 address of an answer.
pub fn first_v4(r: &LookupResult) -> Option<Ipv4Addr> {
    match r {
        LookupResult::Answer { records, .. } => records.iter().find_map(|r| match r.data {
            RData::A(a) => Some(a),
            _ => None,
        }),
        _ => None,
    }
}

impl App for ResolveThenRun {
    fn name(&self) -> &'static str {
        "resolver"
    }

    fn job(&self) -> Option<JobId> {
        Some(self.job)
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        match Name::parse(&self.name) {
            Ok(n) => cx.resolve(0, Question::new(n, RecordType::A), None),
            Err(_) => self.fail(cx),
        }
    }

    fn on_resolved(&mut self, cx: &mut AppCx<'_>, _token: u64, result: &LookupResult) {
        match first_v4(result) {
            Some(a) => {
                let run = match self.then {
                    Then::Ping(n) => Run::ping(a, n),
                    Then::Tracert(h) => Run::tracert(a, h),
                }
                .named(&self.name);
                cx.start_run(self.job, run);
                cx.exit();
            }
            None => self.fail(cx),
        }
    }
}

impl ResolveThenRun {
    fn fail(&self, cx: &mut AppCx<'_>) {
        let now = cx.now;
        if let Some(j) = cx.job(self.job) {
            j.println(&format!(
                "Ping request could not find host {}. Please check the name and try again.",
                self.name
            ));
            j.finish(now, false);
        }
        cx.exit();
    }
}

/// `nslookup`: one lookup, printed like the real tool.
#[derive(Clone, Debug)]
pub struct Nslookup {
    job: JobId,
    cmd: NslookupCommand,
}

impl Nslookup {
    /// `nslookup` for `job`.
    pub fn new(job: JobId, cmd: NslookupCommand) -> Self {
        Nslookup { job, cmd }
    }
}

impl App for Nslookup {
    fn name(&self) -> &'static str {
        "nslookup"
    }

    fn job(&self) -> Option<JobId> {
        Some(self.job)
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        cx.resolve(0, self.cmd.question.clone(), self.cmd.server);
    }

    fn on_resolved(&mut self, cx: &mut AppCx<'_>, _token: u64, result: &LookupResult) {
        let server = match result {
            LookupResult::Answer { server, .. }
            | LookupResult::NxDomain { server, .. }
            | LookupResult::NoAnswer { server, .. }
            | LookupResult::Failed { server, .. }
            | LookupResult::Truncated { server, .. } => *server,
            _ => self.cmd.server.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        };
        let ok = matches!(result, LookupResult::Answer { .. });
        let now = cx.now;
        if let Some(j) = cx.job(self.job) {
            j.output.push_str(&render_nslookup(server, result));
            j.finish(now, ok);
        }
        cx.exit();
    }
}
