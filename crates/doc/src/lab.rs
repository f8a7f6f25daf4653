//! The lab document: devices, their ports, the cables between them and where
//! they sit on the canvas.
//!
//! This is the *document* of the app (saved, shared, undoable). It is plain
//! serde data with a `version` field; [`Lab::from_json`] runs the migration
//! chain so files and links made by older versions keep opening. Only the
//! methods here mutate a lab, and each keeps it valid: names are unique, a
//! port carries at most one cable, a cable joins two existing ports.

use serde::{Deserialize, Serialize};

use crate::action::ScriptedAction;
use crate::activity::Activity;
use crate::config::IpConfig;
use crate::error::Malformed;
use crate::ios::IosSettings;
use crate::services::Services;

pub(crate) mod compact;
mod edit;

mod name;
mod validate;

pub use crate::device::{Device, DeviceId, DeviceKind, MacAddr, Point, Port};
pub use crate::error::LabError;
pub use edit::{Edit, History};

/// The schema version this build writes. Older ones are migrated on load.
///
/// - 1: the first format.
/// - 2: adds `activity`; ports may leave out the name and MAC address a new
///   device would get, and many fields their defaults (the lean form of
///   share links, see [`compact`]). Every version-1 document is a valid
///   version-2 document, so the migration only renumbers it.
pub const LAB_VERSION: u32 = 2;

/// Virtual clock start when a lab does not set one: 2026-01-05 08:00 UTC.
pub const DEFAULT_START_UNIX: u64 = 1_767_600_000;

/// Default one-way latency of a cable, in microseconds.
pub const DEFAULT_LATENCY_US: u64 = 1_000;

/// A cable's identity inside one lab; stable across edits, never reused.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LinkId(pub u32);

/// One end of a cable: a port of a device.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LinkEnd {
    /// The device.
    pub device: DeviceId,
    /// Index into the device's `ports`.
    pub port: usize,
}

/// A cable between two ports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// Stable identity.
    pub id: LinkId,
    /// One end.
    pub a: LinkEnd,
    /// The other end.
    pub b: LinkEnd,
    /// One-way latency in microseconds.
    #[serde(default = "default_latency")]
    pub latency_us: u64,
    /// Probability (0–1) that a frame is lost on this cable.
    #[serde(default)]
    pub loss: f64,
}

fn default_latency() -> u64 {
    DEFAULT_LATENCY_US
}

impl Link {
    /// Whether this cable plugs into `end`.
    pub fn touches(&self, end: LinkEnd) -> bool {
        self.a == end || self.b == end
    }

    /// Given one end on `device`, the end at the other side.
    pub fn other_end(&self, device: DeviceId) -> Option<LinkEnd> {
        if self.a.device == device {
            Some(self.b)
        } else if self.b.device == device {
            Some(self.a)
        } else {
            None
        }
    }
}

/// The whole lab document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lab {
    /// Schema version of the document (see [`LAB_VERSION`]).
    pub version: u32,
    /// Title, in English and Indonesian (an old plain-string title reads
    /// as English and is shown in both languages).
    #[serde(default, with = "name")]
    pub name: crate::activity::Text,
    /// Seed of the simulation's random numbers.
    #[serde(default)]
    pub seed: u64,
    /// Wall-clock time (Unix seconds, UTC) at virtual time zero.
    #[serde(default = "default_start")]
    pub start_unix: u64,
    /// Devices, in creation order.
    #[serde(default)]
    pub devices: Vec<Device>,
    /// Cables, in creation order.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Actions the lab runs by itself, in time order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ScriptedAction>,
    /// The teacher's instructions and checks (schema version 2 on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
}

fn default_start() -> u64 {
    DEFAULT_START_UNIX
}

impl Default for Lab {
    fn default() -> Self {
        Lab::new("")
    }
}

impl Lab {
    /// An empty lab.
    pub fn new(name: &str) -> Self {
        Lab {
            version: LAB_VERSION,
            name: crate::activity::Text::new(name, ""),
            seed: 0,
            start_unix: DEFAULT_START_UNIX,
            devices: Vec::new(),
            links: Vec::new(),
            actions: Vec::new(),
            activity: None,
        }
    }

    /// Reads a lab file, migrating older versions and checking the result.
    ///
    /// # Errors
    /// [`LabError::Malformed`] for anything that is not a lab,
    /// [`LabError::TooNew`] for a file from a newer lanlab, and the
    /// consistency errors of [`Lab::validate`].
    pub fn from_json(text: &str) -> Result<Lab, LabError> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| LabError::Malformed(Malformed::json(&e)))?;
        Lab::from_value(v)
    }

    /// Reads a parsed document (file or link), migrating and checking it.
    ///
    /// # Errors
    /// As [`Lab::from_json`].
    pub fn from_value(mut v: serde_json::Value) -> Result<Lab, LabError> {
        let Some(obj) = v.as_object_mut() else {
            return Err(LabError::Malformed(Malformed::NotAnObject));
        };
        let version = match obj.get("version") {
            None => return Err(LabError::Malformed(Malformed::NoVersion)),
            Some(n) => n
                .as_u64()
                .ok_or(LabError::Malformed(Malformed::VersionNotANumber))?,
        };
        let version = u32::try_from(version).unwrap_or(u32::MAX);
        if version > LAB_VERSION {
            return Err(LabError::TooNew {
                found: version,
                supported: LAB_VERSION,
            });
        }
        if version == 0 {
            return Err(LabError::Malformed(Malformed::VersionZero));
        }
        // Migrations, one step per version: v1 → v2 → … → LAB_VERSION.
        // v1 → v2: nothing to rewrite (v2 only added optional fields and
        // the lean form, which `compact::expand` restores for every input).
        obj.insert("version".into(), LAB_VERSION.into());
        compact::expand(&mut v);
        let lab: Lab =
            serde_json::from_value(v).map_err(|e| LabError::Malformed(Malformed::json(&e)))?;
        lab.validate()?;
        Ok(lab)
    }

    /// The lean document of share links: compact JSON without what
    /// [`Lab::from_json`] rebuilds (derivable port names and MACs, defaults).
    pub fn to_json_lean(&self) -> String {
        let mut v = serde_json::to_value(self).expect("a lab always serializes");
        compact::compact(&mut v);
        v.to_string()
    }

    /// The document as compact JSON: the file's form without its
    /// indentation (the autosave, written after every edit: a third of the
    /// pretty form's size, and quicker to write).
    pub fn to_json(&self) -> String {
        serde_json::to_value(self)
            .expect("a lab always serializes")
            .to_string()
    }

    /// The document as pretty JSON, the format of `.lanlab.json` files.
    ///
    /// Written through a `Value`, as [`Lab::to_json_lean`] is: the page
    /// then has one compiled `Serialize` per document type, not one per
    /// way of writing (the text is the same: `Value`s keep their order).
    pub fn to_json_pretty(&self) -> String {
        let v = serde_json::to_value(self).expect("a lab always serializes");
        serde_json::to_string_pretty(&v).expect("a value always serializes")
    }

    /// The port `port` (by name) of device `device` (by name).
    pub fn end_by_name(&self, device: &str, port: &str) -> Option<LinkEnd> {
        let d = self.device_by_name(device)?;
        Some(LinkEnd {
            device: d.id,
            port: d.port_index(port)?,
        })
    }

    /// Where the device with this id is in `devices`. Devices are added
    /// with increasing ids and keep their order, so a binary search finds
    /// it (the canvas asks for each device on every edit: a scan would be
    /// quadratic at campus scale); a list out of order (a hand-edited file)
    /// falls back to the scan, so the answer is the same either way.
    fn device_index(&self, id: DeviceId) -> Option<usize> {
        match self.devices.binary_search_by_key(&id, |d| d.id) {
            Ok(i) => Some(i),
            Err(_) => self.devices.iter().position(|d| d.id == id),
        }
    }

    /// The device with this id.
    pub fn device(&self, id: DeviceId) -> Option<&Device> {
        self.device_index(id).map(|i| &self.devices[i])
    }

    /// The device with this id, for editing.
    pub fn device_mut(&mut self, id: DeviceId) -> Option<&mut Device> {
        self.device_index(id).map(|i| &mut self.devices[i])
    }

    /// The device with this name (case-insensitive, as names are unique that way).
    pub fn device_by_name(&self, name: &str) -> Option<&Device> {
        self.devices
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
    }

    /// The cable with this id.
    pub fn link(&self, id: LinkId) -> Option<&Link> {
        self.links.iter().find(|l| l.id == id)
    }

    /// The cables plugged into a device.
    pub fn links_of(&self, id: DeviceId) -> impl Iterator<Item = &Link> {
        self.links
            .iter()
            .filter(move |l| l.a.device == id || l.b.device == id)
    }

    /// The cable plugged into a port, if any.
    pub fn link_at(&self, end: LinkEnd) -> Option<&Link> {
        self.links.iter().find(|l| l.touches(end))
    }

    /// The first name `PrefixN` not yet used.
    pub fn next_name(&self, kind: DeviceKind) -> String {
        let prefix = kind.name_prefix();
        let low = prefix.to_ascii_lowercase();
        // Numbers already taken after this prefix (one pass, not one per candidate).
        let taken: std::collections::HashSet<u64> = self
            .devices
            .iter()
            .filter_map(|d| {
                let n = d.name.to_ascii_lowercase();
                let digits = n.strip_prefix(&low)?;
                if digits.len() > 1 && digits.starts_with('0') {
                    return None;
                }
                digits.parse().ok()
            })
            .collect();
        let i = (0..)
            .find(|i| !taken.contains(i))
            .expect("some name is free");
        format!("{prefix}{i}")
    }

    fn next_device_id(&self) -> DeviceId {
        DeviceId(self.devices.iter().map(|d| d.id.0 + 1).max().unwrap_or(0))
    }

    fn next_link_id(&self) -> LinkId {
        LinkId(self.links.iter().map(|l| l.id.0 + 1).max().unwrap_or(0))
    }

    /// Places a new device with its default ports and the next free name.
    pub fn add_device(&mut self, kind: DeviceKind, pos: Point) -> DeviceId {
        self.add_device_named_ports(kind, pos, kind.default_port_names())
    }

    /// Places a new device with `count` ports (at most 256), e.g. a
    /// 100-port switch.
    pub fn add_device_with_ports(
        &mut self,
        kind: DeviceKind,
        pos: Point,
        count: usize,
    ) -> DeviceId {
        self.add_device_named_ports(kind, pos, kind.port_names(count.min(256)))
    }

    /// Sets an interface's IPv4 settings.
    ///
    /// # Errors
    /// When the port does not exist or the settings are wrong (see [`LabError`]).
    pub fn set_ip(&mut self, end: LinkEnd, ip: IpConfig) -> Result<IpConfig, LabError> {
        let mut next = self.clone();
        let d = next
            .device_mut(end.device)
            .ok_or(LabError::NoSuchDevice(end.device.0))?;
        let name = d.name.clone();
        let p = d.ports.get_mut(end.port).ok_or(LabError::NoSuchPort {
            device: name,
            port: end.port,
        })?;
        let old = std::mem::replace(&mut p.ip, ip);
        next.validate_ip()?;
        *self = next;
        Ok(old)
    }

    fn add_device_named_ports(
        &mut self,
        kind: DeviceKind,
        pos: Point,
        names: Vec<String>,
    ) -> DeviceId {
        let id = self.next_device_id();
        let ports = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| Port {
                name,
                mac: MacAddr::for_port(id, i),
                ip: IpConfig::None,
                shutdown: false,
                description: String::new(),
            })
            .collect();
        let name = self.next_name(kind);
        self.devices.push(Device {
            id,
            kind,
            name,
            pos,
            ports,
            powered: true,
            routes: Vec::new(),
            services: Services::default(),
            ios: IosSettings::default(),
        });
        id
    }

    /// Puts back a device removed earlier (undo), with its cables.
    ///
    /// # Errors
    /// When its name, id or ports now clash with the lab.
    pub fn restore_device(&mut self, device: Device, links: Vec<Link>) -> Result<(), LabError> {
        let mut next = self.clone();
        next.devices.push(device);
        next.links.extend(links);
        next.validate()?;
        *self = next;
        Ok(())
    }

    /// Moves a device on the canvas. Returns its previous position.
    pub fn move_device(&mut self, id: DeviceId, pos: Point) -> Option<Point> {
        let d = self.device_mut(id)?;
        Some(std::mem::replace(&mut d.pos, pos))
    }

    /// Renames a device. Returns the old name.
    ///
    /// # Errors
    /// When the name is empty, too long, or used by another device.
    pub fn rename_device(&mut self, id: DeviceId, name: &str) -> Result<String, LabError> {
        let name = name.trim();
        check_name(name)?;
        if self
            .devices
            .iter()
            .any(|d| d.id != id && d.name.eq_ignore_ascii_case(name))
        {
            return Err(LabError::DuplicateName(name.to_string()));
        }
        let d = self.device_mut(id).ok_or(LabError::NoSuchDevice(id.0))?;
        Ok(std::mem::replace(&mut d.name, name.to_string()))
    }

    /// Removes a device and its cables; returns both, for undo.
    pub fn remove_device(&mut self, id: DeviceId) -> Option<(Device, Vec<Link>)> {
        let idx = self.devices.iter().position(|d| d.id == id)?;
        let device = self.devices.remove(idx);
        let (gone, kept): (Vec<Link>, Vec<Link>) = std::mem::take(&mut self.links)
            .into_iter()
            .partition(|l| l.a.device == id || l.b.device == id);
        self.links = kept;
        Some((device, gone))
    }

    /// The first port of a device without a cable.
    pub fn free_port(&self, id: DeviceId) -> Option<usize> {
        let d = self.device(id)?;
        (0..d.ports.len()).find(|&port| self.link_at(LinkEnd { device: id, port }).is_none())
    }

    /// Cables two devices on their first free ports.
    ///
    /// # Errors
    /// [`LabError::NoFreePort`] when a device is full, [`LabError::SelfLink`].
    pub fn connect(&mut self, a: DeviceId, b: DeviceId) -> Result<LinkId, LabError> {
        if a == b {
            return Err(LabError::SelfLink);
        }
        let pa = self.free_port_or_err(a)?;
        let pb = self.free_port_or_err(b)?;
        self.connect_ports(
            LinkEnd {
                device: a,
                port: pa,
            },
            LinkEnd {
                device: b,
                port: pb,
            },
        )
    }

    fn free_port_or_err(&self, id: DeviceId) -> Result<usize, LabError> {
        let d = self.device(id).ok_or(LabError::NoSuchDevice(id.0))?;
        self.free_port(id)
            .ok_or_else(|| LabError::NoFreePort(d.name.clone()))
    }

    /// Cables two given ports.
    ///
    /// # Errors
    /// When a port does not exist or already has a cable, or both are on one device.
    pub fn connect_ports(&mut self, a: LinkEnd, b: LinkEnd) -> Result<LinkId, LabError> {
        if a.device == b.device {
            return Err(LabError::SelfLink);
        }
        for end in [a, b] {
            let d = self
                .device(end.device)
                .ok_or(LabError::NoSuchDevice(end.device.0))?;
            let port = d.ports.get(end.port).ok_or_else(|| LabError::NoSuchPort {
                device: d.name.clone(),
                port: end.port,
            })?;
            if self.link_at(end).is_some() {
                return Err(LabError::PortInUse {
                    device: d.name.clone(),
                    port: port.name.clone(),
                });
            }
        }
        let id = self.next_link_id();
        self.links.push(Link {
            id,
            a,
            b,
            latency_us: DEFAULT_LATENCY_US,
            loss: 0.0,
        });
        Ok(id)
    }

    /// Removes a cable; returns it, for undo.
    pub fn disconnect(&mut self, id: LinkId) -> Option<Link> {
        let idx = self.links.iter().position(|l| l.id == id)?;
        Some(self.links.remove(idx))
    }

    /// `Server0 FastEthernet0`, for messages and lists.
    pub fn end_label(&self, end: LinkEnd) -> String {
        match self.device(end.device) {
            Some(d) => match d.ports.get(end.port) {
                Some(p) => format!("{} {}", d.name, p.name),
                None => format!("{} port {}", d.name, end.port),
            },
            None => format!("device {} port {}", end.device.0, end.port),
        }
    }
}

pub(crate) fn check_name(name: &str) -> Result<(), LabError> {
    if name.is_empty() || name.chars().count() > 63 || name.chars().any(char::is_control) {
        return Err(LabError::BadName);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
