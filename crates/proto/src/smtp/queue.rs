//! The outbound relay queue: messages waiting for a foreign domain, retried
//! on a schedule, with delay warnings and bounces to the sender.
//!
//! RFC 5321 §4.5.4.1: "the retry interval SHOULD be at least 30 minutes"
//! (a lab uses 15 to show it sooner: configurable) and "Retries continue
//! until the message is transmitted or the sender gives up; the give-up time
//! generally needs to be at least 4-5 days." §6.1: when delivery fails the
//! server "MUST construct an "undeliverable mail" notification message and
//! send it to the originator"; §4.5.5: notifications are sent with a null
//! reverse-path, and nothing is ever sent back to a null reverse-path.
//!
//! The queue does no DNS: it asks the host "need a route for dadali.com"
//! ([`QueueEvent::NeedRoute`]); the host looks up MX and A records and calls
//! [`Queue::route_resolved`], which hands back an SMTP [`Client`] to run on a
//! connection to port 25; at the end the host reports the [`Outcome`] with
//! [`Queue::attempt_finished`].

use core::fmt;
use core::net::IpAddr;
use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::client::{Client, Outcome};
use super::envelope::{Envelope, deliver_local};
use crate::SimTime;
use crate::mail::{Address, MailStore, Message, date};

mod due;

/// Retry, warning and give-up times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueConfig {
    /// This server's host name (HELO name, DSN sender `MAILER-DAEMON@host`).
    pub hostname: String,
    /// Seconds between attempts (lab default 15 minutes).
    pub retry_every_secs: u64,
    /// Seconds after which the sender is told the mail is delayed (4 hours).
    pub warn_after_secs: u64,
    /// Seconds after which the queue gives up and bounces (5 days).
    pub give_up_after_secs: u64,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            hostname: "mail.example.com".into(),
            retry_every_secs: 15 * 60,
            warn_after_secs: 4 * 3600,
            give_up_after_secs: 5 * 86_400,
        }
    }
}

/// Identifies a queued message (one per destination domain).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct JobId(pub u64);

/// Where a job is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    /// Waiting for its next attempt.
    Waiting,
    /// The host was asked for a route (MX lookup).
    NeedRoute,
    /// An SMTP client is sending it.
    Sending,
}

/// One message waiting for one domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// Its id.
    pub id: JobId,
    /// Destination domain.
    pub domain: String,
    /// Sender, the recipients still pending in `domain`, and the content.
    pub envelope: Envelope,
    /// When it was queued.
    pub queued_at: SimTime,
    /// When the next attempt is due.
    pub next_attempt: SimTime,
    /// Attempts made.
    pub attempts: u32,
    /// Whether the delay warning was sent.
    pub warned: bool,
    /// Current state.
    pub state: JobState,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// What the host must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueEvent {
    /// Find the mail server of `domain` (MX, then A) and call [`Queue::route_resolved`].
    NeedRoute {
        /// The job.
        job: JobId,
        /// The domain.
        domain: String,
    },
    /// A job left the queue (delivered or bounced).
    Finished {
        /// The job.
        job: JobId,
    },
}

/// The queue's reasons, for the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueNote {
    /// A message was queued.
    Queued {
        /// Destination domain.
        domain: String,
        /// Recipients.
        recipients: Vec<String>,
    },
    /// Asking the host for the MX of a domain.
    LookingUpMx {
        /// Domain.
        domain: String,
        /// Attempt number.
        attempt: u32,
    },
    /// Connecting to the domain's server.
    Connecting {
        /// Domain.
        domain: String,
        /// Server address.
        target: IpAddr,
    },
    /// Delivered to the remote server.
    Relayed {
        /// Domain.
        domain: String,
        /// Recipients accepted.
        recipients: Vec<String>,
    },
    /// The attempt failed for a while: retry later.
    Retry {
        /// Domain.
        domain: String,
        /// Why.
        reason: String,
        /// Wall-clock time of the next attempt (`HH:MM`).
        at: String,
    },
    /// A delay warning was sent to the sender.
    Warned {
        /// Sender.
        sender: String,
        /// Domain.
        domain: String,
    },
    /// A bounce was sent to the sender.
    Bounced {
        /// Sender (or `<>`: no bounce for a bounce).
        sender: String,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for QueueNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueueNote::Queued { domain, recipients } => {
                write!(
                    f,
                    "message for {} queued for {domain}",
                    recipients.join(", ")
                )
            }
            QueueNote::LookingUpMx { domain, attempt } => {
                write!(f, "looking up the MX of {domain} (attempt {attempt})")
            }
            QueueNote::Connecting { domain, target } => {
                write!(f, "connecting to {target} port 25, mail server of {domain}")
            }
            QueueNote::Relayed { domain, recipients } => {
                write!(f, "relayed to {domain} for {}", recipients.join(", "))
            }
            QueueNote::Retry { domain, reason, at } => {
                write!(f, "{domain}: {reason}; queued for retry at {at}")
            }
            QueueNote::Warned { sender, domain } => {
                write!(
                    f,
                    "mail to {domain} still undelivered: warning sent to {sender}"
                )
            }
            QueueNote::Bounced { sender, reason } if sender == "<>" => {
                write!(
                    f,
                    "undeliverable ({reason}); sender is <>: no bounce for a bounce"
                )
            }
            QueueNote::Bounced { sender, reason } => write!(f, "bounce sent to {sender}: {reason}"),
        }
    }
}

/// The relay queue of one mail server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    /// Settings.
    pub config: QueueConfig,
    /// A deque: jobs mostly leave from the front, and a `Vec` would move
    /// all the others each time (a burst queues a thousand).
    jobs: VecDeque<Job>,
    next_id: u64,
    #[serde(skip)]
    events: VecDeque<QueueEvent>,
    #[serde(skip)]
    notes: VecDeque<QueueNote>,
    /// The jobs by next deadline (a cache, rebuilt when missing).
    #[serde(skip)]
    due: due::DueIndex,
}

impl Queue {
    /// An empty queue.
    pub fn new(config: QueueConfig) -> Queue {
        Queue {
            config,
            ..Queue::default()
        }
    }

    /// The waiting messages (the UI's "mail queue" page, `mailq`).
    pub fn jobs(&self) -> &VecDeque<Job> {
        &self.jobs
    }

    /// Queues `envelope`: one job per recipient domain, first attempt now.
    pub fn enqueue(&mut self, now: SimTime, envelope: Envelope) -> Vec<JobId> {
        let mut domains: Vec<String> = envelope.to.iter().map(|a| a.domain.clone()).collect();
        domains.dedup();
        crate::order::sort(&mut domains);
        domains.dedup();
        let mut ids = Vec::new();
        for domain in domains {
            let to: Vec<Address> = envelope
                .to
                .iter()
                .filter(|a| a.domain == domain)
                .cloned()
                .collect();
            self.next_id += 1;
            let id = JobId(self.next_id);
            self.notes.push_back(QueueNote::Queued {
                domain: domain.clone(),
                recipients: to.iter().map(ToString::to_string).collect(),
            });
            self.jobs.push_back(Job {
                id,
                domain,
                envelope: Envelope {
                    from: envelope.from.clone(),
                    to,
                    data: envelope.data.clone(),
                },
                queued_at: now,
                next_attempt: now,
                attempts: 0,
                warned: false,
                state: JobState::Waiting,
                last_error: None,
            });
            self.reindex(id);
            ids.push(id);
        }
        ids
    }

    /// The next event.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<QueueEvent> {
        self.events.pop_front()
    }

    /// The next note.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<QueueNote> {
        self.notes.pop_front()
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    /// When the queue next needs [`Queue::handle_timeout`].
    pub fn poll_timeout(&self) -> Option<SimTime> {
        match self.indexed_timeout() {
            Some(t) => {
                debug_assert_eq!(t, self.scan_timeout(), "stale queue index");
                t
            }
            None => self.scan_timeout(),
        }
    }

    /// Starts due attempts, sends delay warnings and gives up on old jobs.
    /// Notifications to local senders are filed in `store`; others are queued.
    pub fn handle_timeout(&mut self, now: SimTime, store: &mut MailStore) {
        let c = self.config.clone();
        let mut i = 0;
        while i < self.jobs.len() {
            let j = &self.jobs[i];
            if j.state != JobState::Sending && now >= j.queued_at + Self::secs(c.give_up_after_secs)
            {
                let j = self.jobs.remove(i).expect("i < len");
                let days = c.give_up_after_secs / 86_400;
                let last = j.last_error.clone().unwrap_or_else(|| "no answer".into());
                let reason = format!("gave up after {days} days: {last}");
                let per: Vec<(Address, String)> = j
                    .envelope
                    .to
                    .iter()
                    .map(|a| (a.clone(), reason.clone()))
                    .collect();
                self.bounce(now, store, &j.envelope, &per);
                self.events.push_back(QueueEvent::Finished { job: j.id });
                continue;
            }
            if !j.warned && now >= j.queued_at + Self::secs(c.warn_after_secs) {
                self.jobs[i].warned = true;
                let j = self.jobs[i].clone();
                self.warn(now, store, &j);
            }
            let j = &mut self.jobs[i];
            if j.state == JobState::Waiting && now >= j.next_attempt {
                j.state = JobState::NeedRoute;
                j.attempts += 1;
                self.notes.push_back(QueueNote::LookingUpMx {
                    domain: j.domain.clone(),
                    attempt: j.attempts,
                });
                self.events.push_back(QueueEvent::NeedRoute {
                    job: j.id,
                    domain: j.domain.clone(),
                });
            }
            i += 1;
        }
        self.reindex_all();
    }

    fn retry(&mut self, now: SimTime, store: &MailStore, job: JobId, reason: String) {
        let every = Self::secs(self.config.retry_every_secs);
        if let Some(j) = self.position(job).map(|k| &mut self.jobs[k]) {
            j.state = JobState::Waiting;
            j.next_attempt = now + every;
            j.last_error = Some(reason.clone());
            let at = date::clock_hhmm(store.unix_time(j.next_attempt));
            self.notes.push_back(QueueNote::Retry {
                domain: j.domain.clone(),
                reason,
                at,
            });
        }
        self.reindex(job);
    }

    /// Puts jobs waiting for a route or being sent back to waiting, due at
    /// `now`: for a host that lost its connections (device restarted, lab
    /// reloaded from a saved queue). Returns how many jobs were reset.
    pub fn abandon_in_flight(&mut self, now: SimTime) -> usize {
        let mut n = 0;
        for j in &mut self.jobs {
            if j.state != JobState::Waiting {
                j.state = JobState::Waiting;
                j.next_attempt = now;
                n += 1;
            }
        }
        self.reindex_all();
        n
    }

    /// The host's answer to [`QueueEvent::NeedRoute`]: the mail server's
    /// address, or why there is none (NXDOMAIN, no MX, DNS down). On success
    /// returns the SMTP client to run on a new connection to `target`:25;
    /// every client handed out must end in [`Queue::attempt_finished`]
    /// (use [`Outcome::connection_failed`] if the connection never opens).
    pub fn route_resolved(
        &mut self,
        now: SimTime,
        job: JobId,
        route: Result<IpAddr, String>,
        store: &MailStore,
    ) -> Option<Client> {
        let k = self.position(job)?;
        let j = Some(&mut self.jobs[k]).filter(|j| j.state == JobState::NeedRoute)?;
        match route {
            Ok(target) => {
                j.state = JobState::Sending;
                self.notes.push_back(QueueNote::Connecting {
                    domain: j.domain.clone(),
                    target,
                });
                let client = Client::new(self.config.hostname.clone(), j.envelope.clone(), now);
                self.reindex(job);
                Some(client)
            }
            Err(e) => {
                let reason = format!("no mail server found ({e})");
                self.retry(now, store, job, reason);
                None
            }
        }
    }

    /// The host's report of how an attempt ended. Accepted recipients leave
    /// the queue; 5xx-refused ones bounce at once; the rest wait for a retry.
    pub fn attempt_finished(
        &mut self,
        now: SimTime,
        job: JobId,
        outcome: &Outcome,
        store: &mut MailStore,
    ) {
        let Some(pos) = self.position(job) else {
            return;
        };
        let domain = self.jobs[pos].domain.clone();
        let env = self.jobs[pos].envelope.clone();
        let (accepted, rejected, failure) = match outcome {
            Outcome::Sent { accepted, rejected } => (accepted.clone(), rejected.clone(), None),
            Outcome::Failed {
                permanent,
                rejected,
                ..
            } => (
                Vec::new(),
                rejected.clone(),
                Some((*permanent, outcome.to_string())),
            ),
        };
        if !accepted.is_empty() {
            self.notes.push_back(QueueNote::Relayed {
                domain: domain.clone(),
                recipients: accepted.iter().map(ToString::to_string).collect(),
            });
        }
        let mut bounce: Vec<(Address, String)> = Vec::new();
        let mut pending: Vec<Address> = Vec::new();
        let mut pending_reason = None;
        for to in &env.to {
            if accepted.contains(to) {
                continue;
            }
            match rejected.iter().find(|(a, _)| a == to) {
                Some((_, r)) if r.code.is_permanent() => {
                    let what = if r.code.code() == 550 {
                        "unknown user"
                    } else {
                        "refused"
                    };
                    bounce.push((to.clone(), format!("{what} {to} ({domain} replied: {r})")));
                }
                Some((_, r)) => {
                    pending.push(to.clone());
                    pending_reason = Some(format!("{to} deferred: {r}"));
                }
                None => match &failure {
                    Some((true, why)) => bounce.push((to.clone(), format!("{to}: {why}"))),
                    Some((false, why)) => {
                        pending.push(to.clone());
                        pending_reason = Some(why.clone());
                    }
                    None => {}
                },
            }
        }
        if !bounce.is_empty() {
            self.bounce(now, store, &env, &bounce);
        }
        if pending.is_empty() {
            self.jobs.remove(pos).expect("found");
            self.reindex(job);
            self.events.push_back(QueueEvent::Finished { job });
        } else {
            self.jobs[pos].envelope.to = pending;
            let reason = pending_reason.unwrap_or_else(|| "not delivered".into());
            self.retry(now, store, job, reason);
        }
    }

    fn notify(
        &mut self,
        now: SimTime,
        store: &mut MailStore,
        to: &Address,
        subject: &str,
        body: &str,
    ) {
        let host = &self.config.hostname;
        let text = format!(
            "From: Mail Delivery System <MAILER-DAEMON@{host}>\r\nTo: <{to}>\r\nSubject: {subject}\r\n\
             Date: {}\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{}",
            date::rfc5322(store.unix_time(now)),
            crate::mail::crlf(body)
        );
        let report = deliver_local(store, now, std::slice::from_ref(to), &text);
        if !report.foreign.is_empty() {
            self.enqueue(
                now,
                Envelope {
                    from: None,
                    to: report.foreign,
                    data: text,
                },
            );
        }
    }

    fn original_headers(env: &Envelope) -> String {
        let m = Message::parse(&env.data);
        ["From", "To", "Subject", "Date"]
            .iter()
            .filter_map(|h| m.header(h).map(|v| format!("{h}: {v}\n")))
            .collect()
    }

    fn bounce(
        &mut self,
        now: SimTime,
        store: &mut MailStore,
        env: &Envelope,
        failed: &[(Address, String)],
    ) {
        let reason = failed
            .iter()
            .map(|(_, r)| r.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        self.notes.push_back(QueueNote::Bounced {
            sender: env.from_path(),
            reason: reason.clone(),
        });
        let Some(sender) = env.from.clone() else {
            return;
        };
        let host = self.config.hostname.clone();
        let lines: String = failed
            .iter()
            .map(|(a, r)| format!("<{a}>: {r}\n"))
            .collect();
        let body = format!(
            "This is the mail system at host {host}.\n\nYour message could not be delivered to \
             one or more recipients. It has been returned and will not be retried.\n\n{lines}\n\
             --- Headers of the original message ---\n{}",
            Self::original_headers(env)
        );
        self.notify(
            now,
            store,
            &sender,
            "Undelivered Mail Returned to Sender",
            &body,
        );
    }

    fn warn(&mut self, now: SimTime, store: &mut MailStore, j: &Job) {
        self.notes.push_back(QueueNote::Warned {
            sender: j.envelope.from_path(),
            domain: j.domain.clone(),
        });
        let Some(sender) = j.envelope.from.clone() else {
            return;
        };
        let c = &self.config;
        let hours = c.warn_after_secs / 3600;
        let until = date::rfc5322(store.unix_time(j.queued_at + Self::secs(c.give_up_after_secs)));
        let to: Vec<String> = j.envelope.to.iter().map(|a| format!("<{a}>")).collect();
        let body = format!(
            "This is the mail system at host {}.\n\nYour message to {} has not been delivered \
             for {hours} hours. This is only a warning: the system keeps trying until {until}.\n\n\
             Last error: {}\n\n--- Headers of the original message ---\n{}",
            c.hostname,
            to.join(", "),
            j.last_error.as_deref().unwrap_or("none"),
            Self::original_headers(&j.envelope)
        );
        self.notify(
            now,
            store,
            &sender,
            "Delayed Mail (still being retried)",
            &body,
        );
    }
}
