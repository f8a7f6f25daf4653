//! The "EMAIL" service of a server as the lab document stores it: domains,
//! users, which protocols listen on which ports, the relay policy and the
//! relay queue's timings. Plain serde data; the running server is rebuilt
//! from it ([`super::MailServer::new`]).

use serde::{Deserialize, Serialize};

use lanlab_proto::mail::MailStore;
use lanlab_proto::smtp::RelayPolicy;

/// One mailbox owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailUser {
    /// Local part (`akbari`).
    pub name: String,
    /// Domain (`hasan.com`).
    pub domain: String,
    /// Password (shown in the lab; APOP needs it in the clear).
    pub password: String,
}

/// One protocol's switch and port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listen {
    /// Whether it accepts connections.
    pub on: bool,
    /// TCP port.
    pub port: u16,
}

impl Listen {
    fn on(port: u16) -> Self {
        Listen { on: true, port }
    }
}

/// A server's e-mail service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MailService {
    /// Whether the service runs at all.
    pub on: bool,
    /// Host name in greetings and `Received:` lines (`mail.hasan.com`);
    /// empty: `mail.` + the first domain.
    pub hostname: String,
    /// Domains served (`hasan.com`).
    pub domains: Vec<String>,
    /// Users, each in one of the domains.
    pub users: Vec<MailUser>,
    /// SMTP (RFC 5321), port 25.
    pub smtp: Listen,
    /// POP3 (RFC 1939), port 110.
    pub pop3: Listen,
    /// IMAP (RFC 3501), port 143.
    pub imap: Listen,
    /// Whom the server relays for.
    pub relay: RelayPolicy,
    /// Whether POP3 offers APOP.
    pub apop: bool,
    /// Seconds between relay attempts (15 minutes).
    pub retry_every_secs: u64,
    /// Seconds before the sender is warned (4 hours).
    pub warn_after_secs: u64,
    /// Seconds before the queue gives up and bounces (5 days).
    pub give_up_after_secs: u64,
}

impl Default for MailService {
    fn default() -> Self {
        MailService {
            on: true,
            hostname: String::new(),
            domains: Vec::new(),
            users: Vec::new(),
            smtp: Listen::on(25),
            pop3: Listen::on(110),
            imap: Listen::on(143),
            relay: RelayPolicy::LocalSenders,
            apop: true,
            retry_every_secs: 15 * 60,
            warn_after_secs: 4 * 3600,
            give_up_after_secs: 5 * 86_400,
        }
    }
}

/// Why a mail service configuration cannot run, worded for the student.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MailConfigError {
    /// A domain or user the store refused.
    #[error("e-mail service: {0}")]
    Store(String),
}

impl MailService {
    /// A service for `domain` with these `(user, password)` pairs.
    pub fn new(domain: &str, users: &[(&str, &str)]) -> Self {
        MailService {
            domains: vec![domain.to_string()],
            users: users
                .iter()
                .map(|(n, p)| MailUser {
                    name: n.to_string(),
                    domain: domain.to_string(),
                    password: p.to_string(),
                })
                .collect(),
            ..Default::default()
        }
    }

    /// The name in greetings: [`MailService::hostname`] or `mail.<first domain>`.
    pub fn host_name(&self) -> String {
        if !self.hostname.is_empty() {
            return self.hostname.clone();
        }
        match self.domains.first() {
            Some(d) => format!("mail.{d}"),
            None => "mail.localdomain".into(),
        }
    }

    /// An empty store with the domains and users.
    ///
    /// # Errors
    /// [`MailConfigError`] for a domain or user name the store refuses.
    pub fn build_store(&self) -> Result<MailStore, MailConfigError> {
        let mut store = MailStore::new();
        for d in &self.domains {
            store
                .add_domain(d)
                .map_err(|e| MailConfigError::Store(e.to_string()))?;
            for u in self
                .users
                .iter()
                .filter(|u| u.domain.eq_ignore_ascii_case(d))
            {
                store
                    .add_user(d, &u.name, &u.password)
                    .map_err(|e| MailConfigError::Store(e.to_string()))?;
            }
        }
        Ok(store)
    }
}
