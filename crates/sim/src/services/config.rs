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
use serde::{Deserialize, Serialize};

use crate::lab::LabError;

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
        let err = |service: &'static str, reason: String| LabError::Service {
            device: device.to_string(),
            service,
            reason,
        };
        if let Some(d) = &self.dhcp {
            d.config
                .validate()
                .map_err(|e| err("DHCP", e.to_string()))?;
        }
        if let Some(dns) = &self.dns {
            for (i, z) in dns.zones.iter().enumerate() {
                if dns.zones[..i].iter().any(|o| o.origin == z.origin) {
                    return Err(err("DNS", format!("zone {} is defined twice", z.origin)));
                }
            }
            if let Some(r) = &dns.recursive
                && r.root_hints.is_empty()
            {
                return Err(err(
                    "DNS",
                    "recursion needs at least one root hint (a root server's address)".into(),
                ));
            }
        }
        if let Some(m) = &self.mail {
            for u in &m.users {
                if u.name.trim().is_empty() {
                    return Err(err("e-mail", "a user has no name".into()));
                }
                if !m.domains.iter().any(|d| d.eq_ignore_ascii_case(&u.domain)) {
                    return Err(err(
                        "e-mail",
                        format!(
                            "user {} is in domain {}, which this server does not hold",
                            u.name, u.domain
                        ),
                    ));
                }
            }
        }
        for r in &self.dhcp_relay {
            if r.helpers.is_empty() {
                return Err(err(
                    "DHCP relay",
                    format!("interface {} has no helper address", r.interface),
                ));
            }
        }
        Ok(())
    }
}

/// The DHCP server service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DhcpService {
    /// Whether it answers.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Pools and hold times.
    #[serde(flatten)]
    pub config: ServerConfig,
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
pub struct HttpService {
    /// Whether it accepts connections on port 80.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Sites and pages.
    #[serde(flatten)]
    pub config: WebServerConfig,
}

/// The e-mail server service. The mail services own the details; fields
/// they add must be `#[serde(default)]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MailService {
    /// Whether it runs.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Domains it delivers locally (`hasan.com`).
    #[serde(default)]
    pub domains: Vec<String>,
    /// Mailbox owners.
    #[serde(default)]
    pub users: Vec<MailUser>,
    /// Everything else (ports, relay policy, queue timings), owned by the
    /// mail services and kept as-is by this crate's other code.
    #[serde(flatten, default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
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

/// A desktop mail client's account. The mail client owns the details.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MailClientAccount {
    /// Display name.
    #[serde(default)]
    pub display_name: String,
    /// E-mail address.
    #[serde(default)]
    pub address: String,
    /// Everything else (servers, user name, password, POP3/IMAP), owned by
    /// the mail client.
    #[serde(flatten, default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
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
            r#"{"mail":{"domains":["hasan.com"],"users":[{"name":"akbari","domain":"dadali.com","password":"x"}],"smtp_port":25}}"#,
        )
        .unwrap();
        assert_eq!(
            mail.mail.as_ref().unwrap().extra.get("smtp_port"),
            Some(&serde_json::json!(25))
        );
        assert_eq!(
            mail.validate("Server0").unwrap_err().to_string(),
            "Server0, e-mail: user akbari is in domain dadali.com, which this server does not hold"
        );
    }
}
