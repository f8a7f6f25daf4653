//! Device kinds and hardware addresses.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::DeviceId;
use crate::error::LabError;

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
    /// A multilayer switch (Packet Tracer's 3560-24PS): a switch with 24
    /// Fast Ethernet ports and two Gigabit uplinks that also routes
    /// between its VLAN interfaces (`ip routing`, `interface vlan 10`).
    /// Written `"mls"` in documents; labs from before it never name it.
    #[serde(rename = "mls")]
    MultilayerSwitch,
}

impl DeviceKind {
    /// Every kind, in palette order.
    pub const ALL: [DeviceKind; 6] = [
        DeviceKind::Pc,
        DeviceKind::Laptop,
        DeviceKind::Server,
        DeviceKind::Switch,
        DeviceKind::MultilayerSwitch,
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
            DeviceKind::MultilayerSwitch => "MLS",
        }
    }

    /// Whether the device bridges frames between its ports (a switch or
    /// a multilayer switch: VLANs, spanning tree, the MAC table).
    pub fn is_switch(self) -> bool {
        matches!(self, DeviceKind::Switch | DeviceKind::MultilayerSwitch)
    }

    /// Whether the device is an end host (runs applications, has a desktop).
    pub fn is_host(self) -> bool {
        matches!(
            self,
            DeviceKind::Pc | DeviceKind::Laptop | DeviceKind::Server
        )
    }

    /// The names of the first `count` ports of a device of this kind
    /// (switches name theirs `FastEthernet0/1…`, routers `GigabitEthernet0/0…`).
    pub fn port_names(self, count: usize) -> Vec<String> {
        match self {
            DeviceKind::Pc | DeviceKind::Laptop | DeviceKind::Server => {
                (0..count).map(|i| format!("FastEthernet{i}")).collect()
            }
            DeviceKind::Switch | DeviceKind::MultilayerSwitch => {
                (1..=count).map(|i| format!("FastEthernet0/{i}")).collect()
            }
            DeviceKind::Router => (0..count)
                .map(|i| format!("GigabitEthernet0/{i}"))
                .collect(),
        }
    }

    /// The ports a new device of this kind comes with.
    pub fn default_port_names(self) -> Vec<String> {
        match self {
            DeviceKind::Pc | DeviceKind::Laptop | DeviceKind::Server => {
                vec!["FastEthernet0".to_string()]
            }
            DeviceKind::Switch | DeviceKind::MultilayerSwitch => (1..=24)
                .map(|i| format!("FastEthernet0/{i}"))
                .chain((1..=2).map(|i| format!("GigabitEthernet0/{i}")))
                .collect(),
            DeviceKind::Router => (0..4).map(|i| format!("GigabitEthernet0/{i}")).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DeviceKind;

    #[test]
    fn the_multilayer_switch_is_named_mls_and_has_a_switch_s_ports() {
        let k = DeviceKind::MultilayerSwitch;
        assert_eq!(serde_json::to_string(&k).unwrap(), "\"mls\"");
        assert_eq!(serde_json::from_str::<DeviceKind>("\"mls\"").unwrap(), k);
        assert_eq!(
            serde_json::from_str::<DeviceKind>("\"switch\"").unwrap(),
            DeviceKind::Switch
        );
        assert_eq!(
            k.default_port_names(),
            DeviceKind::Switch.default_port_names()
        );
        assert!(k.is_switch() && !k.is_host() && DeviceKind::ALL.contains(&k));
        assert_eq!(k.name_prefix(), "MLS");
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
