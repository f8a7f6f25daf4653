//! The services of one device, read from the lab document and turned into
//! the proto engines' own configuration types.
//!
//! Until the lab schema carries per-device services (`Device::services`),
//! they are read from the `"services"` object of the device in the lab
//! file, in that schema's shape:
//!
//! ```json
//! "services": {
//!   "dns":  { "enabled": true, "zones": [ ...dns::Zone... ] },
//!   "dhcp": { "enabled": true, "pools": [ ...dhcp::PoolConfig... ] },
//!   "mail": { "enabled": true, "domains": ["hasan.com"],
//!             "users": [ { "name": "akbari", "domain": "hasan.com", "password": "akbari123" } ] },
//!   "http": { "enabled": true, "default_site": { "files": { ... } } }
//! }
//! ```

use std::net::{IpAddr, Ipv4Addr};

use lanlab_proto::dhcp;
use lanlab_proto::dns::Zone;
use lanlab_proto::http::WebServerConfig;
use lanlab_proto::mail::MailStore;
use lanlab_sim::Lab;
use serde_json::Value;

use super::Service;

/// A mail server's store (domains, users, mailboxes) and host name.
#[derive(Clone, Debug)]
pub struct MailSetup {
    /// The store every SMTP, POP3 and IMAP session shares.
    pub store: MailStore,
    /// The server's name in greetings.
    pub hostname: String,
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
#[derive(Clone, Debug, Default)]
pub struct Services {
    /// DNS server.
    pub dns: Option<DnsSetup>,
    /// DHCP server configuration and the address of the interface it serves.
    pub dhcp: Option<(dhcp::ServerConfig, Ipv4Addr)>,
    /// E-mail (SMTP, POP3 and IMAP).
    pub mail: Option<MailSetup>,
    /// The web server.
    pub http: Option<WebServerConfig>,
}

impl Services {
    /// Whether the device runs `service`.
    pub fn has(&self, service: Service) -> bool {
        match service {
            Service::Dns => self.dns.is_some(),
            Service::Dhcp => self.dhcp.is_some(),
            Service::Smtp | Service::Pop3 | Service::Imap => self.mail.is_some(),
            Service::Http => self.http.is_some(),
        }
    }
}

/// Reads the lab and the services of `device`.
///
/// # Errors
/// A message naming what is wrong: the lab, a missing device, a bad zone
/// or user.
pub fn load(text: &str, device: &str, start_unix: u64) -> Result<Services, String> {
    let lab = Lab::from_json(text).map_err(|e| e.to_string())?;
    let Some(dev) = lab.device_by_name(device) else {
        let names: Vec<&str> = lab.devices.iter().map(|d| d.name.as_str()).collect();
        return Err(format!(
            "no device named {device} in this lab (devices: {})",
            names.join(", ")
        ));
    };
    let addresses: Vec<(Ipv4Addr, Ipv4Addr)> = dev
        .ports
        .iter()
        .filter_map(|p| p.ip.as_static().map(|s| (s.address, s.mask)))
        .collect();
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let raw = json["devices"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["name"] == device))
        .and_then(|d| d.get("services"))
        .cloned();
    let raw = raw.unwrap_or(Value::Null);
    // A service switched off (`"enabled": false`) does not run.
    let field = |name: &str| {
        raw.get(name)
            .filter(|v| !v.is_null() && v["enabled"] != false)
    };
    let str_of = |v: &Value, key: &str| -> Result<String, String> {
        v[key]
            .as_str()
            .map(String::from)
            .ok_or_else(|| format!("{device}'s services: \"{key}\" should be a string"))
    };
    let mut out = Services::default();
    if let Some(d) = field("dns") {
        let zones: Vec<Zone> = serde_json::from_value(d["zones"].clone())
            .map_err(|e| format!("{device}'s DNS zones: {e}"))?;
        let recursion = match d.get("recursive").filter(|r| !r.is_null()) {
            Some(r) => Some(Recursion {
                root_hints: serde_json::from_value(r["root_hints"].clone())
                    .map_err(|e| format!("{device}'s DNS root hints: {e}"))?,
                lab_servers: lab_dns_servers(&lab, &json)?,
            }),
            None => None,
        };
        out.dns = Some(DnsSetup { zones, recursion });
    }
    if let Some(v) = field("dhcp") {
        let c: dhcp::ServerConfig =
            serde_json::from_value(v.clone()).map_err(|e| format!("{device}'s DHCP: {e}"))?;
        c.validate().map_err(|e| format!("{device}'s DHCP: {e}"))?;
        let interface = dhcp_interface(&c, &addresses)?;
        out.dhcp = Some((c, interface));
    }
    if let Some(m) = field("mail") {
        let mut store = MailStore::new();
        store.epoch_unix = i64::try_from(start_unix).unwrap_or(i64::MAX);
        let domains: Vec<String> = serde_json::from_value(m["domains"].clone())
            .map_err(|e| format!("{device}'s e-mail domains: {e}"))?;
        for d in &domains {
            store.add_domain(d).map_err(|e| e.to_string())?;
        }
        for u in m["users"].as_array().into_iter().flatten() {
            store
                .add_user(
                    &str_of(u, "domain")?,
                    &str_of(u, "name")?,
                    &str_of(u, "password")?,
                )
                .map_err(|e| e.to_string())?;
        }
        let hostname = match m["hostname"].as_str() {
            Some(h) => h.to_string(),
            None => domains
                .first()
                .map_or_else(|| device.to_string(), |d| format!("mail.{d}")),
        };
        out.mail = Some(MailSetup { store, hostname });
    }
    if let Some(v) = field("http") {
        out.http =
            Some(serde_json::from_value(v.clone()).map_err(|e| format!("{device}'s HTTP: {e}"))?);
    }
    Ok(out)
}

/// Every DNS server of the lab (zones on, device powered), by each of its
/// static addresses.
fn lab_dns_servers(lab: &Lab, json: &Value) -> Result<Vec<(IpAddr, Vec<Zone>)>, String> {
    let mut out = Vec::new();
    for raw in json["devices"].as_array().into_iter().flatten() {
        let dns = &raw["services"]["dns"];
        if dns.is_null() || dns["enabled"] == false {
            continue;
        }
        let Some(dev) = raw["name"].as_str().and_then(|n| lab.device_by_name(n)) else {
            continue;
        };
        if !dev.powered {
            continue;
        }
        let zones: Vec<Zone> = serde_json::from_value(dns["zones"].clone())
            .map_err(|e| format!("{}'s DNS zones: {e}", dev.name))?;
        for p in &dev.ports {
            if let Some(s) = p.ip.as_static() {
                out.push((IpAddr::V4(s.address), zones.clone()));
            }
        }
    }
    Ok(out)
}

/// The device's interface a DHCP pool belongs to: replies leave from it and
/// it is the server identifier, as in the simulator.
fn dhcp_interface(
    c: &dhcp::ServerConfig,
    addresses: &[(Ipv4Addr, Ipv4Addr)],
) -> Result<Ipv4Addr, String> {
    let in_pool = addresses
        .iter()
        .find(|(a, _)| c.pools.iter().any(|p| p.contains(*a)));
    in_pool
        .or(addresses.first())
        .map(|(a, _)| *a)
        .ok_or_else(|| {
            "a DHCP server needs a static IPv4 address on one of its interfaces".to_string()
        })
}
