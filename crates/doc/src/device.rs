//! A device of the lab document: its identity, kind, place on the canvas,
//! ports and configuration. Below [`crate::lab`] and [`crate::action`],
//! which both name devices.

use serde::{Deserialize, Serialize};

use crate::config::{IpConfig, StaticRoute};
use crate::ios::IosSettings;
use crate::services::Services;

mod kind;

pub use kind::{DeviceKind, MacAddr};

/// A device's identity inside one lab; stable across edits, never reused.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceId(pub u32);

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
    /// IPv4 settings (hosts and routers; none on a switch).
    #[serde(default, skip_serializing_if = "IpConfig::is_none")]
    pub ip: IpConfig,
    /// `shutdown`: administratively down (no frames in or out). Absent
    /// (up) in documents from before the console; routers placed from the
    /// palette start down, as real routers do (see `lab::Edit::AddDevice`).
    #[serde(default, skip_serializing_if = "crate::ios::is_false")]
    pub shutdown: bool,
    /// `description` of the interface.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
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
    /// Static routes (routers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<StaticRoute>,
    /// What the device serves or filters (DHCP, DNS, web, mail, firewall,
    /// relay, access lists).
    #[serde(default, skip_serializing_if = "Services::is_empty")]
    pub services: Services,
    /// Routers and switches: what only the IOS console sets (secrets,
    /// lines, banner, DHCP exclusions, the saved startup configuration).
    #[serde(default, skip_serializing_if = "IosSettings::is_empty")]
    pub ios: IosSettings,
}

impl Device {
    /// Takes `other`'s configuration: name, each port's IPv4 settings,
    /// shutdown and description (ports matched by position), routes,
    /// services and IOS settings. Identity, kind, position, power and the
    /// ports' names and MACs stay.
    pub fn configure_from(&mut self, other: &Device) {
        self.name.clone_from(&other.name);
        for (p, q) in self.ports.iter_mut().zip(&other.ports) {
            p.ip.clone_from(&q.ip);
            p.shutdown = q.shutdown;
            p.description.clone_from(&q.description);
        }
        self.routes.clone_from(&other.routes);
        self.services.clone_from(&other.services);
        self.ios.clone_from(&other.ios);
    }

    /// The index of the port with this name (case-insensitive).
    pub fn port_index(&self, name: &str) -> Option<usize> {
        self.ports
            .iter()
            .position(|p| p.name.eq_ignore_ascii_case(name))
    }
}

fn yes() -> bool {
    true
}
