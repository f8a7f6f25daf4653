//! The queue's jobs by their next deadline (attempt, delay warning or
//! give-up), so [`Queue::poll_timeout`] is a lookup instead of a scan of
//! every job: a server with a thousand messages queued is asked for its
//! next timer after every change. Also finds a job by id by binary search
//! (ids grow in queue order).
//!
//! The index is a cache beside the jobs: not serialized, not compared, and
//! built for one warning and give-up setting. Until it is built (a queue
//! just deserialized) or after those settings changed (`config` is a public
//! field), [`Queue::poll_timeout`] scans, and the next change rebuilds it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::{Job, JobId, JobState, Queue, QueueConfig};
use crate::SimTime;

/// The deadlines of a queue's jobs.
#[derive(Clone, Debug, Default)]
pub(super) struct DueIndex {
    /// (warn after, give up after) the deadlines were computed with;
    /// `None`: not built.
    built_for: Option<(u64, u64)>,
    by_job: BTreeMap<JobId, SimTime>,
    by_time: BTreeSet<(SimTime, JobId)>,
}

/// A cache: two queues with the same jobs are equal whatever they cached.
impl PartialEq for DueIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for DueIndex {}

fn key(c: &QueueConfig) -> (u64, u64) {
    (c.warn_after_secs, c.give_up_after_secs)
}

/// When job `j` next needs the queue's timer: its attempt (waiting), its
/// delay warning (not sent yet), its give-up (not being sent).
pub(super) fn deadline(j: &Job, c: &QueueConfig) -> Option<SimTime> {
    let attempt = (j.state == JobState::Waiting).then_some(j.next_attempt);
    let warn = (!j.warned).then(|| j.queued_at + Duration::from_secs(c.warn_after_secs));
    let give_up = (j.state != JobState::Sending)
        .then(|| j.queued_at + Duration::from_secs(c.give_up_after_secs));
    [attempt, warn, give_up].into_iter().flatten().min()
}

impl Queue {
    /// The position of job `id` in the queue.
    pub(super) fn position(&self, id: JobId) -> Option<usize> {
        match self.jobs.binary_search_by_key(&id, |j| j.id) {
            Ok(k) => Some(k),
            // Ids grow in queue order; a queue restored out of order is
            // still searched correctly.
            Err(_) => self.jobs.iter().position(|j| j.id == id),
        }
    }

    /// The earliest deadline, by scanning every job.
    pub(super) fn scan_timeout(&self) -> Option<SimTime> {
        self.jobs
            .iter()
            .filter_map(|j| deadline(j, &self.config))
            .min()
    }

    /// The earliest deadline from the index, if it is built for the
    /// current settings.
    pub(super) fn indexed_timeout(&self) -> Option<Option<SimTime>> {
        (self.due.built_for == Some(key(&self.config)))
            .then(|| self.due.by_time.first().map(|(t, _)| *t))
    }

    /// Files every job again (after a change to many, or to the settings).
    pub(super) fn reindex_all(&mut self) {
        let mut due = DueIndex {
            built_for: Some(key(&self.config)),
            ..DueIndex::default()
        };
        for j in &self.jobs {
            if let Some(t) = deadline(j, &self.config) {
                due.by_job.insert(j.id, t);
                due.by_time.insert((t, j.id));
            }
        }
        self.due = due;
    }

    /// Files job `id` again after it changed, was added or left.
    pub(super) fn reindex(&mut self, id: JobId) {
        if self.due.built_for != Some(key(&self.config)) {
            self.reindex_all();
            return;
        }
        if let Some(old) = self.due.by_job.remove(&id) {
            self.due.by_time.remove(&(old, id));
        }
        let t = self
            .position(id)
            .and_then(|k| deadline(&self.jobs[k], &self.config));
        if let Some(t) = t {
            self.due.by_job.insert(id, t);
            self.due.by_time.insert((t, id));
        }
    }
}

#[cfg(test)]
mod tests {
    use core::net::{IpAddr, Ipv4Addr};

    use super::super::{Envelope, Outcome, Queue, QueueConfig, QueueEvent};
    use super::*;
    use crate::mail::MailStore;

    fn env(k: u64) -> Envelope {
        let domain = ["b.lab", "c.lab", "d.lab"][(k % 3) as usize];
        Envelope {
            from: Some("s@a.lab".parse().unwrap()),
            to: vec![format!("r{k}@{domain}").parse().unwrap()],
            data: format!("Subject: {k}\r\n\r\nhi\r\n"),
        }
    }

    /// The index answers what a scan of every job answers.
    fn check(q: &Queue) {
        assert_eq!(q.indexed_timeout(), Some(q.scan_timeout()), "index stale");
        assert_eq!(q.poll_timeout(), q.scan_timeout());
        for (k, j) in q.jobs.iter().enumerate() {
            assert_eq!(q.position(j.id), Some(k));
        }
    }

    /// Every way the queue changes (enqueue, attempts started, routes found
    /// and not, attempts ending sent or failed, warnings, give-ups, in-flight
    /// jobs abandoned), in a pseudo-random order, keeps the index equal to
    /// the scan.
    #[test]
    fn index_matches_a_scan_through_every_change() {
        let mut store = MailStore::new();
        store.add_domain("a.lab").unwrap();
        store.add_user("a.lab", "s", "pw").unwrap();
        let mut q = Queue::new(QueueConfig {
            retry_every_secs: 60,
            warn_after_secs: 600,
            give_up_after_secs: 1800,
            ..QueueConfig::default()
        });
        let mut now = SimTime::ZERO;
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut routed = Vec::new();
        q.enqueue(now, env(0));
        for step in 1..3000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match x % 8 {
                0 | 1 => {
                    q.enqueue(now, env(step));
                }
                2 => {
                    now += std::time::Duration::from_secs(x % 90);
                    if q.poll_timeout().is_some_and(|t| t <= now) {
                        q.handle_timeout(now, &mut store);
                    }
                }
                3 | 4 => {
                    while let Some(ev) = q.poll_event() {
                        if let QueueEvent::NeedRoute { job, .. } = ev {
                            let route = if x.is_multiple_of(5) {
                                Err("NXDOMAIN".to_string())
                            } else {
                                Ok(IpAddr::V4(Ipv4Addr::new(10, 2, 0, 25)))
                            };
                            if q.route_resolved(now, job, route, &store).is_some() {
                                routed.push(job);
                            }
                        }
                    }
                }
                5 | 6 => {
                    if !routed.is_empty() {
                        let job = routed.remove((x as usize / 8) % routed.len());
                        let o = if x.is_multiple_of(3) {
                            Outcome::connection_failed("refused")
                        } else {
                            let to = q.position(job).map(|k| q.jobs[k].envelope.to.clone());
                            Outcome::Sent {
                                accepted: to.unwrap_or_default(),
                                rejected: Vec::new(),
                            }
                        };
                        q.attempt_finished(now, job, &o, &mut store);
                    }
                }
                _ => {
                    if x.is_multiple_of(97) {
                        q.abandon_in_flight(now);
                        routed.clear();
                    }
                }
            }
            while q.poll_note().is_some() {}
            check(&q);
        }
        assert!(!q.jobs().is_empty());
    }

    /// A queue restored from JSON, or whose warning and give-up settings
    /// changed, scans until its next change rebuilds the index.
    #[test]
    fn restored_or_reconfigured_queue_rebuilds_its_index() {
        let mut q = Queue::new(QueueConfig::default());
        for k in 0..5 {
            q.enqueue(SimTime::from_secs(k), env(k));
        }
        while q.poll_note().is_some() {}
        check(&q);
        let mut r: Queue = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
        assert_eq!(r, q);
        assert_eq!(r.indexed_timeout(), None);
        assert_eq!(r.poll_timeout(), q.poll_timeout());
        r.enqueue(SimTime::from_secs(9), env(9));
        check(&r);
        r.config.warn_after_secs = 1;
        assert_eq!(r.indexed_timeout(), None);
        r.handle_timeout(SimTime::from_secs(9), &mut MailStore::new());
        assert_eq!(r.poll_timeout(), Some(SimTime::from_secs(10)));
        r.config.give_up_after_secs = 2;
        assert_eq!(r.indexed_timeout(), None);
        assert_eq!(r.poll_timeout(), Some(SimTime::from_secs(2)));
        r.enqueue(SimTime::from_secs(10), env(10));
        check(&r);
    }
}
