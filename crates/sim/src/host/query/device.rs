//! Queries about one device's live state, for its panels: a server's
//! leases, DNS answers and cache, mailboxes; a desktop's inbox and the jobs
//! its programs started; a router's access lists and NAT table; a console's
//! prompt, history, help and Tab completion.

use lanlab_proto::dns::{Name, RecordType};
use serde::{Deserialize, Serialize};

use super::views::{ConsoleHelp, JobDetail, LeaseRow, ZoneLookup};
use crate::engine::{Engine, MailboxView, NatRow};
use crate::job::JobId;
use crate::mailclient::LocalMessage;

/// What a device panel asks about its device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum DeviceQuery {
    /// How many packets each firewall rule matched, in rule order.
    FirewallHits,
    /// The lease table of the DHCP server running on the device.
    DhcpLeases,
    /// What the device's DNS server answers from its zones for a name and
    /// type (no recursion, no cache).
    DnsAnswer {
        /// The name asked.
        name: Name,
        /// The record type's number (`1` for A, `15` for MX).
        rtype: u16,
    },
    /// The recursive resolver's cache of the device's DNS server.
    DnsCache,
    /// The mail server's mailboxes and relay queue.
    MailServer,
    /// The messages in the INBOX of the device's mail client.
    MailInbox,
    /// One job the device's programs started (a browser load, a mail
    /// button).
    Job {
        /// The job.
        job: JobId,
    },
    /// A router's `show access-lists`.
    AccessLists,
    /// A router's live NAT table.
    NatTable,
    /// A router's or switch's console: prompt and history.
    Console,
    /// `?` typed at a router's or switch's console after `line`.
    ConsoleHelp {
        /// The line typed so far (without the `?`).
        line: String,
    },
    /// Tab typed at a router's or switch's console after `line`.
    ConsoleComplete {
        /// The line typed so far.
        line: String,
    },
}

impl Serialize for DeviceQuery {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        lanlab_doc::tagged::write(self, s, "q", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for DeviceQuery {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lanlab_doc::tagged::read(d, "q", Self::deserialize)
    }
}

/// The answer to a [`DeviceQuery`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceAnswer {
    /// [`DeviceQuery::FirewallHits`].
    FirewallHits {
        /// Matches per rule.
        hits: Vec<u64>,
    },
    /// [`DeviceQuery::DhcpLeases`].
    DhcpLeases {
        /// The leases in the order they were made; `None` when no DHCP
        /// server runs on the device.
        leases: Option<Vec<LeaseRow>>,
    },
    /// [`DeviceQuery::DnsAnswer`].
    DnsAnswer {
        /// `None` when no DNS server runs or no zone holds the name (it
        /// would refuse or recurse).
        lookup: Option<ZoneLookup>,
    },
    /// [`DeviceQuery::DnsCache`].
    DnsCache {
        /// One line per entry (empty without a recursive resolver).
        entries: Vec<String>,
    },
    /// [`DeviceQuery::MailServer`].
    MailServer {
        /// Each mailbox with its INBOX size (empty without a mail server).
        mailboxes: Vec<MailboxView>,
        /// Messages waiting in the relay queue.
        queue: usize,
    },
    /// [`DeviceQuery::MailInbox`].
    MailInbox {
        /// The INBOX's messages (empty without a mail client).
        messages: Vec<LocalMessage>,
    },
    /// [`DeviceQuery::Job`].
    Job {
        /// `None` when no such job ran on the device.
        job: Option<JobDetail>,
    },
    /// [`DeviceQuery::AccessLists`].
    AccessLists {
        /// The text of `show access-lists`; `None` when the device is no
        /// router.
        text: Option<String>,
    },
    /// [`DeviceQuery::NatTable`].
    NatTable {
        /// One row per translation; `None` when NAT is not configured.
        rows: Option<Vec<NatRow>>,
    },
    /// [`DeviceQuery::Console`].
    Console {
        /// The prompt (`R1(config)#`); `None` for an unknown device.
        prompt: Option<String>,
        /// The lines typed, oldest first (empty at a PC).
        history: Vec<String>,
    },
    /// [`DeviceQuery::ConsoleHelp`].
    ConsoleHelp {
        /// `None` when the device has no IOS console.
        help: Option<ConsoleHelp>,
    },
    /// [`DeviceQuery::ConsoleComplete`].
    ConsoleComplete {
        /// The line with its last word completed; `None` when the device
        /// has no IOS console.
        line: Option<String>,
    },
}

impl DeviceQuery {
    /// Answers the query about `device` from `engine`.
    pub fn answer(&self, engine: &Engine, device: &str) -> DeviceAnswer {
        let e = engine;
        match self {
            DeviceQuery::FirewallHits => DeviceAnswer::FirewallHits {
                hits: e.firewall_hits(device),
            },
            DeviceQuery::DhcpLeases => DeviceAnswer::DhcpLeases {
                leases: e
                    .dhcp_leases(device)
                    .map(|t| t.leases.iter().map(LeaseRow::from).collect()),
            },
            DeviceQuery::DnsAnswer { name, rtype } => DeviceAnswer::DnsAnswer {
                lookup: e
                    .dns_answer(device, name, RecordType::from(*rtype))
                    .as_ref()
                    .map(ZoneLookup::from),
            },
            DeviceQuery::DnsCache => DeviceAnswer::DnsCache {
                entries: e.dns_cache(device),
            },
            DeviceQuery::MailServer => DeviceAnswer::MailServer {
                mailboxes: e.mailboxes(device),
                queue: e.mail_queue_len(device),
            },
            DeviceQuery::MailInbox => DeviceAnswer::MailInbox {
                messages: e
                    .mail_client(device)
                    .map(|c| {
                        c.messages()
                            .iter()
                            .filter(|m| m.folder.eq_ignore_ascii_case("INBOX"))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            DeviceQuery::Job { job } => DeviceAnswer::Job {
                job: e
                    .job(*job)
                    .filter(|j| Some(j.device) == e.device_id(device))
                    .map(JobDetail::from),
            },
            DeviceQuery::AccessLists => DeviceAnswer::AccessLists {
                text: e.router(device).map(|r| r.show_access_lists()),
            },
            DeviceQuery::NatTable => DeviceAnswer::NatTable {
                rows: e.nat_rows(device),
            },
            DeviceQuery::Console => DeviceAnswer::Console {
                prompt: e.console_prompt(device),
                history: e
                    .console(device)
                    .map(|(c, _)| c.history().to_vec())
                    .unwrap_or_default(),
            },
            DeviceQuery::ConsoleHelp { line } => DeviceAnswer::ConsoleHelp {
                help: e.console(device).map(|(c, d)| ConsoleHelp {
                    prompt: c.prompt(d),
                    text: c.help(d, line),
                }),
            },
            DeviceQuery::ConsoleComplete { line } => DeviceAnswer::ConsoleComplete {
                line: e.console(device).map(|(c, d)| c.complete(d, line)),
            },
        }
    }
}
