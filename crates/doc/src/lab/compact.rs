//! The lean form of a document, for share links and LMS packages.
//!
//! Files keep every field (readable, diffable). A link leaves out what a
//! reader can rebuild: port names and MAC addresses that are exactly what
//! [`Lab::add_device`](super::Lab::add_device) would give the device, and
//! fields equal to their defaults (a cable's latency, a switched-on device,
//! a DHCP pool's empty lists, a record's `IN` class, a mail server's
//! standard ports…). [`expand`] puts them back before the typed document is
//! read, so both forms load into the same [`Lab`](super::Lab); it runs on
//! every input, files included, and leaves a full document unchanged.
//!
//! Each default is a *template*: an object whose keys are dropped from the
//! document when equal, and inserted when missing. Templates are built from
//! values whose every field serializes (no `skip_serializing_if` field set
//! to a value that would be skipped), so "missing" always means "default".

use serde_json::{Map, Value, json};

use super::{DEFAULT_LATENCY_US, DEFAULT_START_UNIX, DeviceId, DeviceKind, MacAddr};
use crate::services::{DhcpService, HttpService, MailClientAccount, MailService};

struct Templates {
    lab: Value,
    device: Value,
    link: Value,
    dhcp: Value,
    pool: Value,
    dns: Value,
    record: Value,
    http: Value,
    mail: Value,
    mail_client: Value,
}

fn without(mut v: Value, keys: &[&str]) -> Value {
    if let Some(o) = v.as_object_mut() {
        for k in keys {
            o.remove(*k);
        }
    }
    v
}

fn templates() -> Templates {
    use lanlab_proto::dhcp::{PoolConfig, ServerConfig};
    let zero = std::net::Ipv4Addr::UNSPECIFIED;
    let ser = |v: Result<Value, serde_json::Error>| v.expect("defaults serialize");
    Templates {
        lab: json!({"name": "", "seed": 0, "start_unix": DEFAULT_START_UNIX, "devices": [], "links": []}),
        device: json!({"powered": true}),
        link: json!({"latency_us": DEFAULT_LATENCY_US, "loss": 0.0}),
        dhcp: without(
            ser(serde_json::to_value(DhcpService {
                enabled: true,
                config: ServerConfig::new(Vec::new()),
            })),
            &["pools"],
        ),
        pool: without(
            ser(serde_json::to_value(PoolConfig::new(
                "", zero, zero, zero, 0,
            ))),
            &["name", "network", "mask", "start", "max_users"],
        ),
        dns: json!({"enabled": true}),
        record: json!({"class": "IN"}),
        http: without(
            ser(serde_json::to_value(HttpService {
                enabled: true,
                config: Default::default(),
            })),
            &["default_site"],
        ),
        mail: ser(serde_json::to_value(MailService::default())),
        mail_client: ser(serde_json::to_value(MailClientAccount::default())),
    }
}

/// Drops keys equal to the template's (`compact`) or inserts missing ones.
fn apply(v: &mut Value, t: &Value, compact: bool) {
    let (Some(o), Some(t)) = (v.as_object_mut(), t.as_object()) else {
        return;
    };
    if compact {
        o.retain(|k, x| t.get(k) != Some(x));
    } else {
        for (k, x) in t {
            if !o.contains_key(k) {
                o.insert(k.clone(), x.clone());
            }
        }
    }
}

fn each(v: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    v.and_then(Value::as_array_mut).into_iter().flatten()
}

/// The port names a device of `kind` with `count` ports gets when placed.
fn derived_names(kind: DeviceKind, count: usize) -> Vec<String> {
    let default = kind.default_port_names();
    if default.len() == count {
        default
    } else {
        kind.port_names(count)
    }
}

fn ports(dev: &mut Map<String, Value>, compact: bool) {
    let kind: Option<DeviceKind> = dev
        .get("kind")
        .and_then(|k| serde_json::from_value(k.clone()).ok());
    let id = dev
        .get("id")
        .and_then(Value::as_u64)
        .and_then(|i| u32::try_from(i).ok())
        .map(DeviceId);
    let (Some(kind), Some(id)) = (kind, id) else {
        return;
    };
    let Some(ports) = dev.get_mut("ports").and_then(Value::as_array_mut) else {
        return;
    };
    let names = derived_names(kind, ports.len());
    for (i, (p, name)) in ports.iter_mut().zip(names).enumerate() {
        let Some(p) = p.as_object_mut() else { continue };
        let mac = MacAddr::for_port(id, i).to_string();
        let t = json!({"name": name, "mac": mac});
        let t = t.as_object().expect("an object");
        if compact {
            p.retain(|k, x| t.get(k) != Some(x));
        } else {
            for (k, x) in t {
                p.entry(k.clone()).or_insert_with(|| x.clone());
            }
        }
    }
}

fn web_files(site: Option<&mut Value>, start: &Value, compact: bool) {
    let Some(files) = site
        .and_then(|s| s.get_mut("files"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let t = json!({ "modified": start });
    for f in files.values_mut() {
        apply(f, &t, compact);
    }
}

fn services(s: &mut Value, t: &Templates, start: &Value, compact: bool) {
    let Some(s) = s.as_object_mut() else { return };
    if let Some(d) = s.get_mut("dhcp") {
        for p in each(d.get_mut("pools")) {
            apply(p, &t.pool, compact);
        }
        apply(d, &t.dhcp, compact);
    }
    if let Some(d) = s.get_mut("dns") {
        for z in each(d.get_mut("zones")) {
            for r in each(z.get_mut("records")) {
                apply(r, &t.record, compact);
            }
        }
        apply(d, &t.dns, compact);
    }
    if let Some(h) = s.get_mut("http") {
        web_files(h.get_mut("default_site"), start, compact);
        if let Some(vh) = h.get_mut("virtual_hosts").and_then(Value::as_object_mut) {
            for site in vh.values_mut() {
                web_files(Some(site), start, compact);
            }
        }
        apply(h, &t.http, compact);
    }
    if let Some(m) = s.get_mut("mail") {
        apply(m, &t.mail, compact);
    }
    if let Some(m) = s.get_mut("mail_client") {
        apply(m, &t.mail_client, compact);
    }
}

fn walk(v: &mut Value, compact: bool) {
    let t = templates();
    if !v.is_object() {
        return;
    }
    // The lab's start time, for web files' modification times (read before
    // the lab-level template drops or restores it).
    let start = v
        .get("start_unix")
        .cloned()
        .unwrap_or(json!(DEFAULT_START_UNIX));
    for d in each(v.get_mut("devices")) {
        if let Some(s) = d.get_mut("services") {
            services(s, &t, &start, compact);
        }
        if let Some(o) = d.as_object_mut() {
            ports(o, compact);
        }
        // Canvas positions are whole numbers in practice: `400` for `400.0`
        // (serde reads either into a float).
        if compact && let Some(pos) = d.get_mut("pos").and_then(Value::as_object_mut) {
            for c in pos.values_mut() {
                if let Some(f) = c.as_f64()
                    && f.fract() == 0.0
                    && f.abs() < 1e15
                {
                    *c = json!(f as i64);
                }
            }
        }
        apply(d, &t.device, compact);
    }
    for l in each(v.get_mut("links")) {
        apply(l, &t.link, compact);
    }
    apply(v, &t.lab, compact);
}

/// Leaves out what [`expand`] can rebuild.
pub(crate) fn compact(v: &mut Value) {
    walk(v, true);
}

/// Rebuilds what [`compact`] left out; a full document is unchanged.
pub(crate) fn expand(v: &mut Value) {
    walk(v, false);
}
