//! Per-device network configuration in the lab document: each interface's
//! IPv4 settings (static or DHCP) and a router's static routes.
//!
//! Plain serde data; [`check_port_ip`] and [`check_route`] say what is wrong
//! in words a student can act on.

use std::fmt;
use std::net::Ipv4Addr;

use lanlab_proto::net::{Ipv4Net, mask_to_prefix};
use serde::{Deserialize, Serialize};

use crate::error::LabError;

/// How an interface gets its IPv4 address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
// Written `{"mode": "static", …}`: see `crate::tagged`.
#[serde(remote = "Self", rename_all = "lowercase")]
pub enum IpConfig {
    /// No IPv4 address (a switch port, or a NIC not set up yet).
    #[default]
    None,
    /// Set by hand.
    Static(StaticIp),
    /// Asked from a DHCP server.
    Dhcp,
}

impl Serialize for IpConfig {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::tagged::write(self, s, "mode", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for IpConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::tagged::read(d, "mode", Self::deserialize)
    }
}

impl IpConfig {
    /// Whether no address is configured.
    pub fn is_none(&self) -> bool {
        matches!(self, IpConfig::None)
    }

    /// The static settings, if any.
    pub fn as_static(&self) -> Option<&StaticIp> {
        match self {
            IpConfig::Static(s) => Some(s),
            _ => None,
        }
    }

    /// A static address with a mask and no gateway.
    pub fn static_ip(address: Ipv4Addr, mask: Ipv4Addr) -> Self {
        IpConfig::Static(StaticIp {
            address,
            mask,
            gateway: None,
            dns: Vec::new(),
        })
    }
}

/// Hand-set IPv4 settings of an interface, as in a desktop's IP configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaticIp {
    /// The interface's address.
    pub address: Ipv4Addr,
    /// Subnet mask, dotted (`255.255.255.0`).
    pub mask: Ipv4Addr,
    /// Default gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<Ipv4Addr>,
    /// DNS servers, in order of preference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns: Vec<Ipv4Addr>,
}

impl StaticIp {
    /// Address and prefix (the mask must be contiguous; see [`check_port_ip`]).
    pub fn net(&self) -> Option<Ipv4Net> {
        Ipv4Net::with_mask(self.address, self.mask).ok()
    }
}

/// A static route of a router: `ip route NETWORK MASK NEXT_HOP`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaticRoute {
    /// Destination network.
    pub network: Ipv4Addr,
    /// Its mask.
    pub mask: Ipv4Addr,
    /// The router to send to.
    pub next_hop: Ipv4Addr,
    /// Administrative distance (`ip route … 200`, a floating static that
    /// stands in only while no routing protocol knows the network); `None`
    /// is the default, 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<u8>,
}

impl StaticRoute {
    /// The destination as a prefix (the mask must be contiguous).
    pub fn dest(&self) -> Option<Ipv4Net> {
        Ipv4Net::with_mask(self.network, self.mask).ok()
    }

    /// The administrative distance in force (1 unless configured).
    pub fn distance(&self) -> u8 {
        self.distance.unwrap_or(1)
    }
}

impl fmt::Display for StaticRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} via {}", self.network, self.mask, self.next_hop)?;
        match self.distance {
            Some(d) => write!(f, " distance {d}"),
            None => Ok(()),
        }
    }
}

/// Checks one interface's static settings; `label` names it (`PC0 FastEthernet0`).
///
/// # Errors
/// A non-contiguous mask, a network or broadcast address, a gateway off the subnet.
pub fn check_port_ip(label: &str, ip: &IpConfig) -> Result<(), LabError> {
    let Some(s) = ip.as_static() else {
        return Ok(());
    };
    let prefix = mask_to_prefix(s.mask).map_err(|_| LabError::NonContiguousMask {
        at: label.to_string(),
        mask: s.mask,
    })?;
    let net = Ipv4Net {
        addr: s.address,
        prefix,
    };
    if s.address.is_unspecified() || s.address.is_multicast() || s.address.is_broadcast() {
        return Err(LabError::NotAHostAddress {
            at: label.to_string(),
            address: s.address,
        });
    }
    if net.prefix < 31 && s.address == net.network() {
        return Err(LabError::NetworkAddress {
            at: label.to_string(),
            address: s.address,
            net: net.trunc(),
        });
    }
    if net.prefix < 31 && s.address == net.broadcast() {
        return Err(LabError::BroadcastAddress {
            at: label.to_string(),
            address: s.address,
            net: net.trunc(),
        });
    }
    if let Some(gw) = s.gateway
        && (!net.contains(gw) || gw == s.address)
    {
        return Err(LabError::GatewayOffLink {
            at: label.to_string(),
            gateway: gw,
            net: net.trunc(),
        });
    }
    Ok(())
}

/// Checks a static route of device `device`.
///
/// # Errors
/// A non-contiguous mask or a network with host bits set.
pub fn check_route(device: &str, r: &StaticRoute) -> Result<(), LabError> {
    let prefix = mask_to_prefix(r.mask).map_err(|_| LabError::NonContiguousMask {
        at: format!("{device} route {r}"),
        mask: r.mask,
    })?;
    let net = Ipv4Net {
        addr: r.network,
        prefix,
    };
    if net.network() != r.network {
        return Err(LabError::RouteHostBits {
            device: device.to_string(),
            route: r.to_string(),
            network: net.network(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(a: [u8; 4], m: [u8; 4], gw: Option<[u8; 4]>) -> IpConfig {
        IpConfig::Static(StaticIp {
            address: a.into(),
            mask: m.into(),
            gateway: gw.map(Into::into),
            dns: vec![],
        })
    }

    #[test]
    fn catches_what_students_get_wrong() {
        let ok = ip(
            [192, 168, 1, 10],
            [255, 255, 255, 0],
            Some([192, 168, 1, 1]),
        );
        assert_eq!(check_port_ip("PC0 Fa0", &ok), Ok(()));
        let e = check_port_ip("PC0 Fa0", &ip([192, 168, 1, 10], [255, 0, 255, 0], None));
        assert_eq!(
            e.unwrap_err().to_string(),
            "PC0 Fa0: mask 255.0.255.0 is not contiguous"
        );
        let e = check_port_ip("PC0 Fa0", &ip([192, 168, 1, 0], [255, 255, 255, 0], None));
        assert!(matches!(e, Err(LabError::NetworkAddress { .. })));
        let e = check_port_ip("PC0 Fa0", &ip([192, 168, 1, 255], [255, 255, 255, 0], None));
        assert!(matches!(e, Err(LabError::BroadcastAddress { .. })));
        let e = check_port_ip(
            "PC0 Fa0",
            &ip([192, 168, 1, 10], [255, 255, 255, 0], Some([10, 0, 0, 1])),
        );
        assert_eq!(
            e.unwrap_err().to_string(),
            "PC0 Fa0: gateway 10.0.0.1 is not in the interface's network 192.168.1.0/24"
        );
        assert_eq!(check_port_ip("x", &IpConfig::Dhcp), Ok(()));
    }

    #[test]
    fn routes_and_json_shape() {
        let r = StaticRoute {
            network: [10, 2, 0, 1].into(),
            mask: [255, 255, 255, 0].into(),
            next_hop: [10, 0, 0, 2].into(),
            distance: None,
        };
        assert!(matches!(
            check_route("R0", &r),
            Err(LabError::RouteHostBits { .. })
        ));
        let json = serde_json::to_string(&IpConfig::static_ip(
            [10, 0, 0, 1].into(),
            [255, 0, 0, 0].into(),
        ))
        .unwrap();
        assert_eq!(
            json,
            r#"{"mode":"static","address":"10.0.0.1","mask":"255.0.0.0"}"#
        );
        let back: IpConfig = serde_json::from_str(r#"{"mode":"dhcp"}"#).unwrap();
        assert_eq!(back, IpConfig::Dhcp);
    }
}
