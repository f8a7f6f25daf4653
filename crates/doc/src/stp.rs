//! A switch's spanning tree settings, as its IOS console sets them:
//! `spanning-tree mode pvst|rapid-pvst`, `spanning-tree vlan N priority P`
//! (or `root primary|secondary`, which set a priority) and, per interface,
//! `spanning-tree portfast`.
//!
//! Everything defaults to what a Cisco switch does out of the box (PVST+,
//! priority 32768 in every VLAN, no portfast), and the whole block is left
//! out of the JSON when nothing is set, so older labs load unchanged.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The bridge priority of a VLAN nobody configured (before the VLAN is added).
pub const DEFAULT_PRIORITY: u16 = 32768;

/// Which spanning tree protocol the switch runs in every VLAN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StpMode {
    /// `spanning-tree mode pvst`: 802.1D per VLAN (the default).
    #[default]
    Pvst,
    /// `spanning-tree mode rapid-pvst`: 802.1w per VLAN.
    RapidPvst,
}

impl StpMode {
    /// As IOS writes it (`pvst`, `rapid-pvst`).
    pub fn ios(self) -> &'static str {
        match self {
            StpMode::Pvst => "pvst",
            StpMode::RapidPvst => "rapid-pvst",
        }
    }
}

/// The spanning tree settings of one switch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StpSettings {
    /// `spanning-tree mode`.
    #[serde(skip_serializing_if = "is_pvst")]
    pub mode: StpMode,
    /// `spanning-tree vlan N priority P`: VLAN → priority (a multiple of
    /// 4096, without the VLAN that IOS adds as the extended system ID).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub priority: BTreeMap<u16, u16>,
    /// Interfaces (by port index) with `spanning-tree portfast`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub portfast: Vec<usize>,
}

fn is_pvst(m: &StpMode) -> bool {
    *m == StpMode::Pvst
}

impl StpSettings {
    /// Whether nothing is set (then the document omits the block).
    pub fn is_empty(&self) -> bool {
        *self == StpSettings::default()
    }

    /// The configured priority of `vlan` (32768 unless set).
    pub fn priority_of(&self, vlan: u16) -> u16 {
        self.priority
            .get(&vlan)
            .copied()
            .unwrap_or(DEFAULT_PRIORITY)
    }

    /// The bridge ID priority of `vlan`: the priority plus the VLAN (the
    /// extended system ID), as BPDUs carry it.
    pub fn bridge_priority(&self, vlan: u16) -> u16 {
        self.priority_of(vlan).saturating_add(vlan & 0x0fff)
    }

    /// Whether port `port` has `spanning-tree portfast`.
    pub fn is_portfast(&self, port: usize) -> bool {
        self.portfast.contains(&port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_left_out_and_old_documents_load() {
        let s = StpSettings::default();
        assert!(s.is_empty());
        assert_eq!(serde_json::to_string(&s).unwrap(), "{}");
        let back: StpSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(back, s);
        assert_eq!(s.bridge_priority(1), 32769);
        let mut s = StpSettings {
            mode: StpMode::RapidPvst,
            ..Default::default()
        };
        s.priority.insert(10, 4096);
        s.portfast.push(3);
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(
            j,
            r#"{"mode":"rapid-pvst","priority":{"10":4096},"portfast":[3]}"#
        );
        assert_eq!(serde_json::from_str::<StpSettings>(&j).unwrap(), s);
        assert_eq!(s.bridge_priority(10), 4106);
        assert!(s.is_portfast(3));
    }
}
