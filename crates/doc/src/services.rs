//! The services of a device in the lab document: what a server runs (DHCP,
//! DNS, HTTP, e-mail, firewall), what a router adds (DHCP relay, access
//! lists) and a desktop's mail account.
//!
//! Plain serde data; every field is `#[serde(default)]` so older lab files
//! load unchanged. [`Services::validate`] words mistakes for the student.

use std::net::{IpAddr, Ipv4Addr};

use lanlab_proto::dhcp::ServerConfig;
use lanlab_proto::dns::Zone;
use lanlab_proto::firewall::{AclConfig, HostFirewallConfig};
use lanlab_proto::http::WebServerConfig;
use lanlab_proto::mail::MailStore;
use serde::{Deserialize, Serialize};

use crate::error::{LabError, ServiceProblem};

/// Everything a device serves or filters. Empty on a new device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Services {
    /// DHCP server (servers; a router interface's relay is [`Services::dhcp_relay`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhcp: Option<DhcpService>,
    /// DNS server: authoritative zones and/or recursion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsService>,
    /// Web server on TCP 80.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpService>,
    /// E-mail server (SMTP, POP3, IMAP). Filled in by the mail services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<MailService>,
    /// Personal firewall of a host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firewall: Option<HostFirewallConfig>,
    /// Routers: DHCP relay (`ip helper-address`) per interface.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dhcp_relay: Vec<RelayHelper>,
    /// Routers: access lists and where they are applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<AclConfig>,
    /// Desktops: the mail client's account. Filled in by the mail client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_client: Option<MailClientAccount>,
}

impl Services {
    /// Whether nothing is configured (then the document omits the field).
    pub fn is_empty(&self) -> bool {
        *self == Services::default()
    }

    /// The DHCP server's configuration, if it is on.
    pub fn dhcp_on(&self) -> Option<&ServerConfig> {
        self.dhcp.as_ref().filter(|d| d.enabled).map(|d| &d.config)
    }

    /// The DNS server's settings, if it is on.
    pub fn dns_on(&self) -> Option<&DnsService> {
        self.dns.as_ref().filter(|d| d.enabled)
    }

    /// The web server's settings, if it is on.
    pub fn http_on(&self) -> Option<&WebServerConfig> {
        self.http.as_ref().filter(|h| h.enabled).map(|h| &h.config)
    }

    /// Checks the services of device `device`.
    ///
    /// # Errors
    /// [`LabError::Service`] naming the device, the service and the mistake.
    pub fn validate(&self, device: &str) -> Result<(), LabError> {
        let err = |problem: ServiceProblem| LabError::Service {
            device: device.to_string(),
            problem,
        };
        if let Some(d) = &self.dhcp {
            d.config
                .validate()
                .map_err(|e| err(ServiceProblem::Dhcp(e)))?;
        }
        if let Some(dns) = &self.dns {
            for (i, z) in dns.zones.iter().enumerate() {
                if dns.zones[..i].iter().any(|o| o.origin == z.origin) {
                    return Err(err(ServiceProblem::ZoneTwice(z.origin.to_string())));
                }
            }
            if let Some(r) = &dns.recursive
                && r.root_hints.is_empty()
            {
                return Err(err(ServiceProblem::NoRootHint));
            }
        }
        if let Some(m) = &self.mail {
            for u in &m.users {
                if u.name.trim().is_empty() {
                    return Err(err(ServiceProblem::UserWithoutName));
                }
                if !m.domains.iter().any(|d| d.eq_ignore_ascii_case(&u.domain)) {
                    return Err(err(ServiceProblem::UserOutsideDomains {
                        user: u.name.clone(),
                        domain: u.domain.clone(),
                    }));
                }
            }
        }
        for r in &self.dhcp_relay {
            if r.helpers.is_empty() {
                return Err(err(ServiceProblem::RelayWithoutHelper(r.interface.clone())));
            }
        }
        Ok(())
    }
}

/// The DHCP server service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct DhcpService {
    /// Whether it answers.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Pools and hold times (its fields beside `enabled` in files).
    pub config: ServerConfig,
}

impl Serialize for DhcpService {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::tagged::write_flat(self, s, "config", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for DhcpService {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::tagged::read_flat(d, &["enabled"], "config", Self::deserialize)
    }
}

/// The DNS server service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DnsService {
    /// Whether it answers.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Zones it is authoritative for.
    #[serde(default)]
    pub zones: Vec<Zone>,
    /// Recursion for names outside its zones (`None`: authoritative only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive: Option<Recursion>,
}

/// How a recursive server finds the root.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recursion {
    /// Root servers' addresses (S4: 198.41.0.4).
    pub root_hints: Vec<IpAddr>,
}

/// The web server service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct HttpService {
    /// Whether it accepts connections on port 80.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Sites and pages (its fields beside `enabled` in files).
    pub config: WebServerConfig,
}

impl Serialize for HttpService {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::tagged::write_flat(self, s, "config", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for HttpService {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::tagged::read_flat(d, &["enabled"], "config", Self::deserialize)
    }
}

/// The e-mail server service: domains, users, which protocols listen on
/// which ports, the relay policy and the relay queue's timings. The running
/// server is the simulator's `services::mail::MailServer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MailService {
    /// Whether it runs.
    pub enabled: bool,
    /// Domains it delivers locally (`hasan.com`).
    pub domains: Vec<String>,
    /// Mailbox owners.
    pub users: Vec<MailUser>,
    /// Name in greetings and `Received:` lines; empty: `mail.` + the first domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// SMTP (RFC 5321), port 25.
    pub smtp: Listen,
    /// POP3 (RFC 1939), port 110.
    pub pop3: Listen,
    /// IMAP (RFC 3501), port 143.
    pub imap: Listen,
    /// Message submission (RFC 6409), port 587: SMTP that asks for `AUTH
    /// PLAIN`/`LOGIN` (RFC 4954) and relays for whoever logged in. Off
    /// unless the lab turns it on (and then saved with the lab).
    #[serde(skip_serializing_if = "Listen::is_submission_default")]
    pub submission: Listen,
    /// Whom the server relays for (lab default: senders of its own domains).
    pub relay: lanlab_proto::smtp::RelayPolicy,
    /// Whether POP3 offers APOP.
    pub apop: bool,
    /// Seconds between relay attempts (15 minutes).
    pub retry_every_secs: u64,
    /// Seconds before the sender is warned that mail is delayed (4 hours).
    pub warn_after_secs: u64,
    /// Seconds before the queue gives up and bounces (5 days).
    pub give_up_after_secs: u64,
}

impl Default for MailService {
    fn default() -> Self {
        MailService {
            enabled: true,
            domains: Vec::new(),
            users: Vec::new(),
            hostname: String::new(),
            smtp: Listen::on(25),
            pop3: Listen::on(110),
            imap: Listen::on(143),
            submission: Listen {
                on: false,
                port: 587,
            },
            relay: lanlab_proto::smtp::RelayPolicy::LocalSenders,
            apop: true,
            retry_every_secs: 15 * 60,
            warn_after_secs: 4 * 3600,
            give_up_after_secs: 5 * 86_400,
        }
    }
}

/// A mailbox owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailUser {
    /// Login name (`12_5b_01`).
    pub name: String,
    /// Domain (`hasan.com`).
    pub domain: String,
    /// Password.
    pub password: String,
}

/// A desktop mail client's account (the simulator's `mailclient`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MailClientAccount {
    /// Display name (`Akbari`).
    pub display_name: String,
    /// E-mail address (`akbari@hasan.com`).
    pub address: String,
    /// Incoming server: an IPv4 address.
    pub incoming_server: String,
    /// POP3 or IMAP.
    pub incoming: crate::mail_op::IncomingProto,
    /// Outgoing (SMTP) server: an IPv4 address.
    pub outgoing_server: String,
    /// Login name.
    pub user: String,
    /// Password.
    pub password: String,
    /// POP3: leave a copy on the server (remember UIDLs).
    pub leave_copy: bool,
    /// POP3: log in with APOP (the password never crosses the wire).
    pub apop: bool,
}

/// `ip helper-address` on one router interface.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayHelper {
    /// Interface name (`GigabitEthernet0/0`).
    pub interface: String,
    /// DHCP servers to relay to.
    pub helpers: Vec<Ipv4Addr>,
}

fn yes() -> bool {
    true
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
    /// Listening on `port`.
    pub fn on(port: u16) -> Self {
        Listen { on: true, port }
    }

    /// Off on port 587: the submission listener of a lab that never set it.
    pub fn is_submission_default(&self) -> bool {
        !self.on && self.port == 587
    }
}

/// Why a mail service configuration cannot run, worded for the student.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MailConfigError {
    /// A domain or user the store refused.
    #[error("e-mail service: {0}")]
    Store(lanlab_proto::mail::StoreError),
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
            store.add_domain(d).map_err(MailConfigError::Store)?;
            for u in self
                .users
                .iter()
                .filter(|u| u.domain.eq_ignore_ascii_case(d))
            {
                store
                    .add_user(d, &u.name, &u.password)
                    .map_err(MailConfigError::Store)?;
            }
        }
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_services_load_and_vanish() {
        let s: Services = serde_json::from_str("{}").unwrap();
        assert!(s.is_empty());
        let with_dhcp: Services = serde_json::from_str(
            r#"{"dhcp":{"pools":[{"name":"LAN","network":"192.168.1.0","mask":"255.255.255.0",
                "start":"192.168.1.10","max_users":50}]}}"#,
        )
        .unwrap();
        assert!(with_dhcp.dhcp_on().is_some());
        assert_eq!(with_dhcp.validate("Server0"), Ok(()));
        let mail: Services = serde_json::from_str(
            r#"{"mail":{"domains":["hasan.com"],"users":[{"name":"akbari","domain":"dadali.com","password":"x"}],"smtp":{"on":true,"port":2525}}}"#,
        )
        .unwrap();
        let m = mail.mail.as_ref().unwrap();
        assert_eq!(m.smtp.port, 2525);
        assert_eq!(m.pop3.port, 110, "missing fields take their defaults");
        assert_eq!(
            mail.validate("Server0").unwrap_err().to_string(),
            "Server0, e-mail: user akbari is in domain dadali.com, which this server does not hold"
        );
    }
}
