//! A router's `router rip` configuration, as IOS keeps it: the version,
//! the classful `network` statements, `no auto-summary`,
//! `passive-interface` and `default-information originate`. Stored in
//! [`crate::ios::IosSettings::rip`]; absent when RIP is not configured, so
//! labs from before RIP load unchanged.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use crate::ios::is_false;

/// `router rip` and what is typed under it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RipConfig {
    /// `version 2` (or 1); `None` is IOS's default (send 1, receive 1 and 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u8>,
    /// `network A.B.C.D`, stored classful as IOS does (`network 10.0.12.0`
    /// is kept as `10.0.0.0`), in numerical order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<Ipv4Addr>,
    /// `no auto-summary`: advertise subnets as they are across a major
    /// network boundary.
    #[serde(skip_serializing_if = "is_false")]
    pub no_auto_summary: bool,
    /// `passive-interface`: port indexes that send no updates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passive: Vec<usize>,
    /// `default-information originate`: advertise a default route.
    #[serde(skip_serializing_if = "is_false")]
    pub default_originate: bool,
}

/// The classful network of `a` (`10.0.12.0` → `10.0.0.0`), as IOS stores a
/// RIP `network` statement.
pub fn classful(a: Ipv4Addr) -> Ipv4Addr {
    let o = a.octets();
    match o[0] {
        0..=127 => Ipv4Addr::new(o[0], 0, 0, 0),
        128..=191 => Ipv4Addr::new(o[0], o[1], 0, 0),
        _ => Ipv4Addr::new(o[0], o[1], o[2], 0),
    }
}

impl RipConfig {
    /// Whether an interface address falls under a `network` statement.
    pub fn covers(&self, addr: Ipv4Addr) -> bool {
        self.networks.contains(&classful(addr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classful_and_json() {
        assert_eq!(classful([10, 0, 12, 1].into()), Ipv4Addr::new(10, 0, 0, 0));
        assert_eq!(
            classful([172, 16, 3, 1].into()),
            Ipv4Addr::new(172, 16, 0, 0)
        );
        assert_eq!(
            classful([192, 168, 3, 1].into()),
            Ipv4Addr::new(192, 168, 3, 0)
        );
        let c = RipConfig {
            version: Some(2),
            networks: vec![[10, 0, 0, 0].into()],
            no_auto_summary: true,
            ..RipConfig::default()
        };
        assert!(c.covers([10, 0, 12, 1].into()));
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"version":2,"networks":["10.0.0.0"],"no_auto_summary":true}"#
        );
        assert_eq!(serde_json::from_str::<RipConfig>(&json).unwrap(), c);
    }
}
