//! The services of one device, read from the lab document and turned into
//! the proto engines' own configuration types.
//!
//! The lab document holds them per device (`Device::services`, see
//! `lanlab_sim::services`); this file only translates, so the bridge and
//! the simulator serve from the same configuration.

use std::net::{IpAddr, Ipv4Addr};

use lanlab_doc::Lab;
use lanlab_doc::services::MailService;
use lanlab_proto::dhcp;
use lanlab_proto::dns::Zone;
use lanlab_proto::firewall::HostFirewallConfig;
use lanlab_proto::http::WebServerConfig;
use lanlab_proto::mail::{MailStore, StoreError};
use lanlab_proto::smtp::RelayPolicy;

use super::Service;

/// A mail server's store (domains, users, mailboxes) and settings.
#[derive(Clone, Debug)]
pub struct MailSetup {
    /// The store every SMTP, POP3 and IMAP session shares.
    pub store: MailStore,
    /// Everything else.
    pub settings: MailSettings,
}

/// A mail server's settings, shared by its sessions.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// The server's name in greetings.
    pub hostname: String,
    /// Which of SMTP, POP3 and IMAP accept connections.
    pub smtp_on: bool,
    /// POP3 on.
    pub pop3_on: bool,
    /// IMAP on.
    pub imap_on: bool,
    /// Whether the lab turns the submission listener on (RFC 6409).
    pub submission_on: bool,
    /// Its port in the lab (587), as firewall rules name it.
    pub submission_port: u16,
    /// Who may send to foreign domains (the bridge itself never relays).
    pub relay: RelayPolicy,
    /// Whether POP3 offers APOP.
    pub apop: bool,
}

/// A DNS server's zones and, when it recurses, where it starts.
#[derive(Clone, Debug, Default)]
pub struct DnsSetup {
    /// Zones it answers for with authority.
    pub zones: Vec<Zone>,
    /// Recursion for other names, if on.
    pub recursion: Option<Recursion>,
}

/// Recursion inside the lab: the resolver's queries never leave the
/// process; they go to the lab's other DNS servers' engines.
#[derive(Clone, Debug, Default)]
pub struct Recursion {
    /// Root servers' addresses.
    pub root_hints: Vec<IpAddr>,
    /// Every DNS server of the lab by interface address, with its zones.
    pub lab_servers: Vec<(IpAddr, Vec<Zone>)>,
}

/// What one device serves.
#[derive(Clone, Debug)]
pub struct Services {
    /// DNS server.
    pub dns: Option<DnsSetup>,
    /// DHCP server configuration and the address of the interface it serves.
    pub dhcp: Option<(dhcp::ServerConfig, Ipv4Addr)>,
    /// E-mail (SMTP, POP3 and IMAP).
    pub mail: Option<MailSetup>,
    /// The web server.
    pub http: Option<WebServerConfig>,
    /// The personal firewall in front of them all.
    pub firewall: Option<HostFirewallConfig>,
    /// The device's address (its first static one), as the firewall sees it.
    pub address: Ipv4Addr,
}

impl Services {
    /// Whether the device runs `service` in the lab.
    pub fn has(&self, service: Service) -> bool {
        match service {
            Service::Dns => self.dns.is_some(),
            Service::Dhcp => self.dhcp.is_some(),
            Service::Smtp => self.mail.as_ref().is_some_and(|m| m.settings.smtp_on),
            Service::Submission => self.mail.as_ref().is_some_and(|m| m.settings.submission_on),
            Service::Pop3 => self.mail.as_ref().is_some_and(|m| m.settings.pop3_on),
            Service::Imap => self.mail.as_ref().is_some_and(|m| m.settings.imap_on),
            Service::Http => self.http.is_some(),
        }
    }

    /// Whether `lanlab serve` can run `service` when asked by name: what
    /// the device runs, and submission on any mail server (the lab editor
    /// has no switch for it yet; it serves the same store as SMTP).
    pub fn offers(&self, service: Service) -> bool {
        match service {
            Service::Submission => self.mail.is_some(),
            s => self.has(s),
        }
    }
}

/// Reads the lab and the services of `device`.
///
/// # Errors
/// A message naming what is wrong: the lab, a missing or switched-off
/// device, a mail user the store refuses.
pub fn load(text: &str, device: &str, start_unix: u64) -> Result<Services, String> {
    let lab = Lab::from_json(text).map_err(|e| e.to_string())?;
    let Some(dev) = lab.device_by_name(device) else {
        let names: Vec<&str> = lab.devices.iter().map(|d| d.name.as_str()).collect();
        return Err(format!(
            "no device named {device} in this lab (devices: {})",
            names.join(", ")
        ));
    };
    if !dev.powered {
        return Err(format!(
            "{device} is switched off in this lab: switch it on first"
        ));
    }
    let addresses: Vec<Ipv4Addr> = dev
        .ports
        .iter()
        .filter_map(|p| p.ip.as_static().map(|s| s.address))
        .collect();
    let services = &dev.services;
    let mut out = Services {
        dns: None,
        dhcp: None,
        mail: None,
        http: None,
        firewall: None,
        address: Ipv4Addr::UNSPECIFIED,
    };
    if let Some(d) = services.dns_on() {
        out.dns = Some(DnsSetup {
            zones: d.zones.clone(),
            recursion: d.recursive.as_ref().map(|r| Recursion {
                root_hints: r.root_hints.clone(),
                lab_servers: lab_dns_servers(&lab),
            }),
        });
    }
    if let Some(c) = services.dhcp_on() {
        out.dhcp = Some((c.clone(), dhcp_interface(c, &addresses)?));
    }
    if let Some(m) = services.mail.as_ref().filter(|m| m.enabled) {
        out.mail = Some(mail_setup(m, device, start_unix)?);
    }
    out.http = services.http_on().cloned();
    out.firewall = services.firewall.clone();
    out.address = addresses.first().copied().unwrap_or(Ipv4Addr::UNSPECIFIED);
    Ok(out)
}

/// The store of a mail server: its domains and users, empty mailboxes.
fn mail_setup(m: &MailService, device: &str, start_unix: u64) -> Result<MailSetup, String> {
    let mut store = MailStore::new();
    store.epoch_unix = i64::try_from(start_unix).unwrap_or(i64::MAX);
    let err = |e: StoreError| format!("{device}'s e-mail: {e}");
    for d in &m.domains {
        store.add_domain(d).map_err(err)?;
    }
    for u in &m.users {
        store
            .add_user(&u.domain, &u.name, &u.password)
            .map_err(err)?;
    }
    // The rest is read from the document's JSON form, where the mail
    // services keep it (`hostname`, `smtp`/`pop3`/`imap` with `on`, `relay`,
    // `apop`), with the simulator's defaults when absent.
    let v = serde_json::to_value(m).unwrap_or_default();
    let hostname = match v["hostname"].as_str().filter(|h| !h.is_empty()) {
        Some(h) => h.to_string(),
        None => m
            .domains
            .first()
            .map_or_else(|| device.to_string(), |d| format!("mail.{d}")),
    };
    let relay = match v.get("relay").filter(|r| !r.is_null()) {
        Some(r) => serde_json::from_value(r.clone())
            .map_err(|e| format!("{device}'s e-mail relay policy: {e}"))?,
        None => RelayPolicy::default(),
    };
    let on = |proto: &str| v[proto]["on"] != false;
    let settings = MailSettings {
        hostname,
        smtp_on: on("smtp"),
        pop3_on: on("pop3"),
        imap_on: on("imap"),
        submission_on: m.submission.on,
        submission_port: m.submission.port,
        relay,
        apop: v["apop"] != false,
    };
    Ok(MailSetup { store, settings })
}

/// Every DNS server of the lab (switched on, DNS on), by each of its
/// static addresses, with its zones.
fn lab_dns_servers(lab: &Lab) -> Vec<(IpAddr, Vec<Zone>)> {
    let mut out = Vec::new();
    for dev in lab.devices.iter().filter(|d| d.powered) {
        let Some(dns) = dev.services.dns_on() else {
            continue;
        };
        for p in &dev.ports {
            if let Some(s) = p.ip.as_static() {
                out.push((IpAddr::V4(s.address), dns.zones.clone()));
            }
        }
    }
    out
}

/// The device's interface a DHCP pool belongs to: replies leave from it and
/// it is the server identifier, as in the simulator.
fn dhcp_interface(c: &dhcp::ServerConfig, addresses: &[Ipv4Addr]) -> Result<Ipv4Addr, String> {
    let in_pool = addresses
        .iter()
        .find(|a| c.pools.iter().any(|p| p.contains(**a)));
    in_pool.or(addresses.first()).copied().ok_or_else(|| {
        "a DHCP server needs a static IPv4 address on one of its interfaces".to_string()
    })
}
