//! Helpers for the "EMAIL" service configuration ([`MailService`], stored
//! in the lab document): ports, the store it starts with, its host name.
//! The running server is rebuilt from it ([`super::MailServer::new`]).

use serde::{Deserialize, Serialize};

use lanlab_proto::mail::MailStore;

pub use crate::services::config::{MailService, MailUser};

/// One protocol's switch and port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listen {
    /// Whether it accepts connections.
    pub on: bool,
    /// TCP port.
    pub port: u16,
}

impl Listen {
    /// Listening on `port`.
    pub fn on(port: u16) -> Self {
        Listen { on: true, port }
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
