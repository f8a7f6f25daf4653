//! A router's OSPF configuration as the document stores it: the `router
//! ospf N` block (`router-id`, `network A W area X`, `passive-interface`,
//! `auto-cost reference-bandwidth`, `default-information originate`) and
//! the interface commands `ip ospf cost`, `ip ospf priority` and `ip ospf
//! network point-to-point`. Interfaces are named by port index. Empty
//! settings are left out of the JSON, so labs from before OSPF load
//! unchanged.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

/// `network ADDRESS WILDCARD area AREA`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OspfNetwork {
    /// The address.
    pub addr: Ipv4Addr,
    /// The wildcard mask (0.0.0.255 for a /24).
    pub wildcard: Ipv4Addr,
    /// The area (0.0.0.0 is the backbone).
    pub area: Ipv4Addr,
}

impl OspfNetwork {
    /// Whether an interface address falls under this statement.
    pub fn matches(&self, a: Ipv4Addr) -> bool {
        let w = u32::from(self.wildcard);
        (u32::from(a) & !w) == (u32::from(self.addr) & !w)
    }
}

/// Per-interface OSPF settings (interface configuration mode).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OspfIfSettings {
    /// The port index.
    pub port: usize,
    /// `ip ospf cost N`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<u16>,
    /// `ip ospf priority N`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u8>,
    /// `ip ospf network point-to-point`.
    #[serde(skip_serializing_if = "crate::ios::is_false")]
    pub point_to_point: bool,
}

/// Everything OSPF on one router.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OspfSettings {
    /// `router ospf N`: the process id, `None` when OSPF is not running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process: Option<u16>,
    /// `router-id A.B.C.D`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_id: Option<Ipv4Addr>,
    /// `network` statements, in order typed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<OspfNetwork>,
    /// `passive-interface NAME`, by port index.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passive: Vec<usize>,
    /// `auto-cost reference-bandwidth MBPS` (IOS default 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_bandwidth: Option<u32>,
    /// `default-information originate [always]`: `Some(always)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_originate: Option<bool>,
    /// Interface settings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<OspfIfSettings>,
}

impl OspfSettings {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == OspfSettings::default()
    }

    /// The interface settings of `port` (defaults when none).
    pub fn iface(&self, port: usize) -> OspfIfSettings {
        self.interfaces
            .iter()
            .find(|i| i.port == port)
            .copied()
            .unwrap_or(OspfIfSettings {
                port,
                ..Default::default()
            })
    }

    /// The interface settings of `port`, to change.
    pub fn iface_mut(&mut self, port: usize) -> &mut OspfIfSettings {
        if let Some(i) = self.interfaces.iter().position(|i| i.port == port) {
            return &mut self.interfaces[i];
        }
        self.interfaces.push(OspfIfSettings {
            port,
            ..Default::default()
        });
        lanlab_proto::order::sort_by_key(&mut self.interfaces, |i| i.port);
        let i = self
            .interfaces
            .iter()
            .position(|i| i.port == port)
            .unwrap_or(0);
        &mut self.interfaces[i]
    }

    /// The area of the first `network` statement covering `addr`.
    pub fn area_of(&self, addr: Ipv4Addr) -> Option<Ipv4Addr> {
        self.networks
            .iter()
            .find(|n| n.matches(addr))
            .map(|n| n.area)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_old_files() {
        let mut s = OspfSettings {
            process: Some(1),
            ..Default::default()
        };
        s.networks.push(OspfNetwork {
            addr: Ipv4Addr::new(10, 0, 0, 0),
            wildcard: Ipv4Addr::new(0, 0, 255, 255),
            area: Ipv4Addr::UNSPECIFIED,
        });
        s.iface_mut(2).cost = Some(10);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<OspfSettings>(&json).unwrap(), s);
        assert_eq!(
            s.area_of(Ipv4Addr::new(10, 0, 12, 1)),
            Some(Ipv4Addr::UNSPECIFIED)
        );
        assert_eq!(s.area_of(Ipv4Addr::new(192, 168, 1, 1)), None);
        assert_eq!(s.iface(2).cost, Some(10));
        assert_eq!(
            serde_json::to_string(&OspfSettings::default()).unwrap(),
            "{}"
        );
    }
}
