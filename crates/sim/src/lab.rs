//! The lab document: devices, their ports, the cables between them and where
//! they sit on the canvas.
//!
//! This is the *document* of the app (saved, shared, undoable). It is plain
//! serde data with a `version` field; [`Lab::from_json`] runs the migration
//! chain so files and links made by older versions keep opening. Only the
//! methods here mutate a lab, and each keeps it valid: names are unique, a
//! port carries at most one cable, a cable joins two existing ports.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The schema version this build writes. Older ones are migrated on load.
pub const LAB_VERSION: u32 = 1;

/// Virtual clock start when a lab does not set one: 2026-01-05 08:00 UTC.
pub const DEFAULT_START_UNIX: u64 = 1_767_600_000;

/// Default one-way latency of a cable, in microseconds.
pub const DEFAULT_LATENCY_US: u64 = 1_000;

/// A device's identity inside one lab; stable across edits, never reused.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceId(pub u32);

/// A cable's identity inside one lab; stable across edits, never reused.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LinkId(pub u32);

/// The kinds of device a student can place.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    /// A desktop PC with one Fast Ethernet NIC.
    Pc,
    /// A laptop with one Fast Ethernet NIC.
    Laptop,
    /// A server with one Fast Ethernet NIC.
    Server,
    /// A 24-port access switch with two Gigabit uplinks.
    Switch,
    /// A router with four Gigabit interfaces.
    Router,
}

impl DeviceKind {
    /// Every kind, in palette order.
    pub const ALL: [DeviceKind; 5] = [
        DeviceKind::Pc,
        DeviceKind::Laptop,
        DeviceKind::Server,
        DeviceKind::Switch,
        DeviceKind::Router,
    ];

    /// The prefix of automatic names, as Packet Tracer users know them (`PC0`, `Switch1`).
    pub fn name_prefix(self) -> &'static str {
        match self {
            DeviceKind::Pc => "PC",
            DeviceKind::Laptop => "Laptop",
            DeviceKind::Server => "Server",
            DeviceKind::Switch => "Switch",
            DeviceKind::Router => "Router",
        }
    }

    /// Whether the device is an end host (runs applications, has a desktop).
    pub fn is_host(self) -> bool {
        matches!(
            self,
            DeviceKind::Pc | DeviceKind::Laptop | DeviceKind::Server
        )
    }

    /// The ports a new device of this kind comes with.
    pub fn default_port_names(self) -> Vec<String> {
        match self {
            DeviceKind::Pc | DeviceKind::Laptop | DeviceKind::Server => {
                vec!["FastEthernet0".to_string()]
            }
            DeviceKind::Switch => (1..=24)
                .map(|i| format!("FastEthernet0/{i}"))
                .chain((1..=2).map(|i| format!("GigabitEthernet0/{i}")))
                .collect(),
            DeviceKind::Router => (0..4).map(|i| format!("GigabitEthernet0/{i}")).collect(),
        }
    }
}

/// A MAC address, written `aa:bb:cc:dd:ee:ff` in documents.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// The deterministic, locally administered address of port `port` of device `id`.
    pub fn for_port(id: DeviceId, port: usize) -> MacAddr {
        let d = id.0.to_be_bytes();
        MacAddr([0x02, 0x4c, d[1], d[2], d[3], (port & 0xff) as u8])
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl fmt::Debug for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::str::FromStr for MacAddr {
    type Err = LabError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || LabError::BadMac(s.to_string());
        let mut out = [0u8; 6];
        let mut parts = s.split([':', '-']);
        for byte in &mut out {
            let p = parts.next().ok_or_else(bad)?;
            if p.len() != 2 {
                return Err(bad());
            }
            *byte = u8::from_str_radix(p, 16).map_err(|_| bad())?;
        }
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(MacAddr(out))
    }
}

impl Serialize for MacAddr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MacAddr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A position on the canvas, in canvas units (SVG user space).
#[derive(Copy, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Horizontal position of the device's centre.
    pub x: f64,
    /// Vertical position of the device's centre.
    pub y: f64,
}

impl Point {
    /// A point at (`x`, `y`).
    pub const fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
}

/// One network interface of a device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Port {
    /// Interface name, e.g. `FastEthernet0` or `GigabitEthernet0/1`.
    pub name: String,
    /// The interface's hardware address.
    pub mac: MacAddr,
}

/// A device on the canvas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// Stable identity.
    pub id: DeviceId,
    /// What the device is.
    pub kind: DeviceKind,
    /// Display name, unique in the lab (`PC0`, `Server0`).
    pub name: String,
    /// Centre of the device's icon on the canvas.
    pub pos: Point,
    /// Network interfaces, in the order the device lists them.
    pub ports: Vec<Port>,
    /// Whether the device is switched on.
    #[serde(default = "yes")]
    pub powered: bool,
}

fn yes() -> bool {
    true
}

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

/// What is wrong with a lab or an edit, worded so a student can fix it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LabError {
    /// The file is not valid JSON or not shaped like a lab.
    #[error("this is not a lanlab lab file: {0}")]
    Malformed(String),
    /// The file was written by a newer lanlab.
    #[error(
        "this lab was made with a newer lanlab (format {found}; this one reads up to {supported})"
    )]
    TooNew {
        /// Version found in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// No device with that id.
    #[error("there is no device number {0}")]
    NoSuchDevice(u32),
    /// No port with that index on the device.
    #[error("{device} has no port number {port}")]
    NoSuchPort {
        /// Device name.
        device: String,
        /// Port index asked for.
        port: usize,
    },
    /// Two devices would share a name.
    #[error("the name {0} is already used by another device")]
    DuplicateName(String),
    /// A name that cannot be used.
    #[error("a device name must be 1 to 63 characters without control characters")]
    BadName,
    /// Every port of the device already has a cable.
    #[error("{0} has no free port")]
    NoFreePort(String),
    /// That port already has a cable.
    #[error("{device} {port} already has a cable")]
    PortInUse {
        /// Device name.
        device: String,
        /// Port name.
        port: String,
    },
    /// A cable from a device to itself.
    #[error("a cable must join two different devices")]
    SelfLink,
    /// A MAC address that does not parse.
    #[error("{0} is not a MAC address (write it like 00:1a:2b:3c:4d:5e)")]
    BadMac(String),
    /// A cable's loss rate is outside 0–1.
    #[error("loss rate {0} must be between 0 and 1")]
    BadLoss(f64),
}

/// The whole lab document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lab {
    /// Schema version of the document (see [`LAB_VERSION`]).
    pub version: u32,
    /// Title shown in the header.
    #[serde(default)]
    pub name: String,
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
            name: name.to_string(),
            seed: 0,
            start_unix: DEFAULT_START_UNIX,
            devices: Vec::new(),
            links: Vec::new(),
        }
    }

    /// Reads a lab file, migrating older versions and checking the result.
    ///
    /// # Errors
    /// [`LabError::Malformed`] for anything that is not a lab,
    /// [`LabError::TooNew`] for a file from a newer lanlab, and the
    /// consistency errors of [`Lab::validate`].
    pub fn from_json(text: &str) -> Result<Lab, LabError> {
        /// Only the version, read first: the rest depends on it.
        #[derive(Deserialize)]
        struct Probe {
            version: Option<u64>,
        }
        let probe: Probe =
            serde_json::from_str(text).map_err(|e| LabError::Malformed(e.to_string()))?;
        let version = probe
            .version
            .ok_or_else(|| LabError::Malformed("no \"version\" number".into()))?;
        let version = u32::try_from(version).unwrap_or(u32::MAX);
        if version > LAB_VERSION {
            return Err(LabError::TooNew {
                found: version,
                supported: LAB_VERSION,
            });
        }
        if version == 0 {
            return Err(LabError::Malformed("version 0 does not exist".into()));
        }
        // Migrations run here, one step per version: v1 → v2 → … → LAB_VERSION.
        let lab: Lab =
            serde_json::from_str(text).map_err(|e| LabError::Malformed(e.to_string()))?;
        lab.validate()?;
        Ok(lab)
    }

    /// The document as pretty JSON, the format of `.lanlab.json` files.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a lab always serializes")
    }

    /// Checks the invariants every edit keeps.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self) -> Result<(), LabError> {
        let mut names = std::collections::HashSet::new();
        let mut ids = std::collections::HashSet::new();
        for d in &self.devices {
            check_name(&d.name)?;
            if !names.insert(d.name.to_lowercase()) {
                return Err(LabError::DuplicateName(d.name.clone()));
            }
            if !ids.insert(d.id) {
                return Err(LabError::Malformed(format!(
                    "device id {} is used twice",
                    d.id.0
                )));
            }
        }
        let mut used = std::collections::HashSet::new();
        for l in &self.links {
            if l.a.device == l.b.device {
                return Err(LabError::SelfLink);
            }
            if !(0.0..=1.0).contains(&l.loss) {
                return Err(LabError::BadLoss(l.loss));
            }
            for end in [l.a, l.b] {
                let dev = self
                    .device(end.device)
                    .ok_or(LabError::NoSuchDevice(end.device.0))?;
                let port = dev
                    .ports
                    .get(end.port)
                    .ok_or_else(|| LabError::NoSuchPort {
                        device: dev.name.clone(),
                        port: end.port,
                    })?;
                if !used.insert(end) {
                    return Err(LabError::PortInUse {
                        device: dev.name.clone(),
                        port: port.name.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The device with this id.
    pub fn device(&self, id: DeviceId) -> Option<&Device> {
        self.devices.iter().find(|d| d.id == id)
    }

    /// The device with this id, for editing.
    pub fn device_mut(&mut self, id: DeviceId) -> Option<&mut Device> {
        self.devices.iter_mut().find(|d| d.id == id)
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
        (0..)
            .map(|i| format!("{prefix}{i}"))
            .find(|n| self.device_by_name(n).is_none())
            .expect("some name is free")
    }

    fn next_device_id(&self) -> DeviceId {
        DeviceId(self.devices.iter().map(|d| d.id.0 + 1).max().unwrap_or(0))
    }

    fn next_link_id(&self) -> LinkId {
        LinkId(self.links.iter().map(|l| l.id.0 + 1).max().unwrap_or(0))
    }

    /// Places a new device with its default ports and the next free name.
    pub fn add_device(&mut self, kind: DeviceKind, pos: Point) -> DeviceId {
        let id = self.next_device_id();
        let ports = kind
            .default_port_names()
            .into_iter()
            .enumerate()
            .map(|(i, name)| Port {
                name,
                mac: MacAddr::for_port(id, i),
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

fn check_name(name: &str) -> Result<(), LabError> {
    if name.is_empty() || name.chars().count() > 63 || name.chars().any(char::is_control) {
        return Err(LabError::BadName);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_pcs_and_a_switch() -> (Lab, DeviceId, DeviceId, DeviceId) {
        let mut lab = Lab::new("t");
        let pc0 = lab.add_device(DeviceKind::Pc, Point::new(0.0, 0.0));
        let pc1 = lab.add_device(DeviceKind::Pc, Point::new(10.0, 0.0));
        let sw = lab.add_device(DeviceKind::Switch, Point::new(5.0, 5.0));
        (lab, pc0, pc1, sw)
    }

    #[test]
    fn names_follow_packet_tracer() {
        let (lab, pc0, pc1, sw) = two_pcs_and_a_switch();
        assert_eq!(lab.device(pc0).unwrap().name, "PC0");
        assert_eq!(lab.device(pc1).unwrap().name, "PC1");
        assert_eq!(lab.device(sw).unwrap().name, "Switch0");
        assert_eq!(lab.device(sw).unwrap().ports[0].name, "FastEthernet0/1");
        assert_eq!(lab.device(sw).unwrap().ports.len(), 26);
    }

    #[test]
    fn connect_uses_free_ports_and_refuses_full_device() {
        let (mut lab, pc0, pc1, sw) = two_pcs_and_a_switch();
        let l0 = lab.connect(pc0, sw).unwrap();
        let l1 = lab.connect(pc1, sw).unwrap();
        assert_eq!(lab.link(l0).unwrap().b.port, 0);
        assert_eq!(lab.link(l1).unwrap().b.port, 1);
        assert_eq!(
            lab.end_label(lab.link(l1).unwrap().b),
            "Switch0 FastEthernet0/2"
        );
        assert_eq!(
            lab.connect(pc0, pc1),
            Err(LabError::NoFreePort("PC0".into()))
        );
        assert_eq!(lab.connect(sw, sw), Err(LabError::SelfLink));
        assert_eq!(lab.links_of(sw).count(), 2);
    }

    #[test]
    fn remove_and_restore_round_trip() {
        let (mut lab, pc0, _pc1, sw) = two_pcs_and_a_switch();
        lab.connect(pc0, sw).unwrap();
        let before = lab.clone();
        let (dev, links) = lab.remove_device(sw).unwrap();
        assert_eq!(links.len(), 1);
        assert!(lab.links.is_empty());
        lab.restore_device(dev, links).unwrap();
        lab.devices.sort_by_key(|d| d.id);
        assert_eq!(lab, before);
    }

    #[test]
    fn rename_rejects_duplicates_case_insensitively() {
        let (mut lab, pc0, pc1, _) = two_pcs_and_a_switch();
        assert_eq!(
            lab.rename_device(pc1, "pc0"),
            Err(LabError::DuplicateName("pc0".into()))
        );
        assert_eq!(lab.rename_device(pc0, "  Budi "), Ok("PC0".into()));
        assert_eq!(lab.device(pc0).unwrap().name, "Budi");
        assert_eq!(lab.rename_device(pc0, ""), Err(LabError::BadName));
        assert_eq!(lab.next_name(DeviceKind::Pc), "PC0");
    }

    #[test]
    fn json_round_trip_and_version_checks() {
        let (mut lab, pc0, _, sw) = two_pcs_and_a_switch();
        lab.connect(pc0, sw).unwrap();
        let text = lab.to_json_pretty();
        assert!(text.contains("\"version\": 1"));
        assert!(text.contains("\"mac\": \"02:4c:00:00:00:00\""));
        assert_eq!(Lab::from_json(&text).unwrap(), lab);
        let newer = text.replacen("\"version\": 1", "\"version\": 99", 1);
        assert_eq!(
            Lab::from_json(&newer),
            Err(LabError::TooNew {
                found: 99,
                supported: LAB_VERSION
            })
        );
        assert!(matches!(Lab::from_json("{"), Err(LabError::Malformed(_))));
        assert!(matches!(Lab::from_json("[]"), Err(LabError::Malformed(_))));
    }

    #[test]
    fn validate_catches_a_doubly_used_port() {
        let (mut lab, pc0, pc1, sw) = two_pcs_and_a_switch();
        lab.connect(pc0, sw).unwrap();
        let mut l = lab.links[0].clone();
        l.id = LinkId(9);
        l.a = LinkEnd {
            device: pc1,
            port: 0,
        };
        lab.links.push(l);
        assert!(matches!(lab.validate(), Err(LabError::PortInUse { .. })));
    }
}
