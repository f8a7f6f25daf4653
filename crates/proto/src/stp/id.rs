//! Bridge and port identifiers, and Cisco's short path costs.

use std::fmt;

use serde::Serialize;

/// A bridge ID (802.1D §9.2.5): priority (the configured multiple of 4096
/// plus the VLAN, Cisco's extended system ID) then the bridge's MAC.
/// Lower is better; the lowest is the root.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct BridgeId {
    /// Priority including the extended system ID (32768 + VLAN by default).
    pub priority: u16,
    /// The bridge's MAC address.
    pub mac: [u8; 6],
}

impl BridgeId {
    /// The ID from its 8 wire bytes.
    pub fn from_bytes(b: [u8; 8]) -> BridgeId {
        BridgeId {
            priority: u16::from_be_bytes([b[0], b[1]]),
            mac: [b[2], b[3], b[4], b[5], b[6], b[7]],
        }
    }

    /// Its 8 wire bytes.
    pub fn to_bytes(self) -> [u8; 8] {
        let p = self.priority.to_be_bytes();
        let m = self.mac;
        [p[0], p[1], m[0], m[1], m[2], m[3], m[4], m[5]]
    }

    /// The MAC as IOS prints it (`0001.4227.a101`).
    pub fn cisco_mac(&self) -> String {
        let m = self.mac;
        format!(
            "{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

/// `32769/00:01:42:27:a1:01`.
impl fmt::Display for BridgeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.mac;
        write!(
            f,
            "{}/{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            self.priority, m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

/// A port ID (802.1D §9.2.7): priority (128 by default) in the high byte,
/// port number in the low byte, as Cisco encodes it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PortId(pub u16);

impl PortId {
    /// Port number `n` (1-based) with priority 128.
    pub fn new(n: u16) -> PortId {
        PortId(0x8000 | (n & 0x0fff))
    }

    /// The priority part.
    pub fn priority(self) -> u16 {
        self.0 >> 8
    }

    /// The number part.
    pub fn number(self) -> u16 {
        self.0 & 0xff
    }
}

/// `128.2`, as `show spanning-tree` prints it.
impl fmt::Display for PortId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.priority(), self.number())
    }
}

/// Cisco's short path cost for a link speed in Mb/s (802.1D-1998 table:
/// 10 Mb/s = 100, 100 Mb/s = 19, 1 Gb/s = 4, 10 Gb/s = 2).
pub fn cost_for_speed(mbps: u32) -> u32 {
    match mbps {
        0..=10 => 100,
        11..=100 => 19,
        101..=1000 => 4,
        _ => 2,
    }
}
