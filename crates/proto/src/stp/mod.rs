//! Spanning tree as Cisco switches run it: per-VLAN 802.1D (PVST+) and
//! 802.1w (rapid-pvst).
//!
//! - [`wire`]: the BPDU itself (IEEE 802.1D-1998 §9.3 configuration and
//!   topology change notification BPDUs, 802.1w RST BPDUs, version 2):
//!   [`Packet`] over bytes (`new_checked`, then accessors that cannot
//!   panic) and [`Repr`] with `parse` / `emit`, a one-line summary and the
//!   field tree.
//! - [`frame`]: how a BPDU travels in an Ethernet frame: IEEE (802.3 length,
//!   LLC 42-42-03, to 01:80:c2:00:00:00, what Cisco sends for VLAN 1) and
//!   Cisco's PVST+ SSTP (LLC/SNAP AA-AA-03, OUI 00000c, PID 0x010b, to
//!   01:00:0c:cc:cc:cd, tagged 802.1Q on a trunk, ending with the
//!   originating-VLAN (PVID) TLV).
//! - [`Bridge`]: the sans-IO spanning tree of one instance (one VLAN):
//!   root election by bridge ID (priority + sys-id-ext + MAC), port path
//!   costs, root / designated / alternate / backup roles, the 802.1D port
//!   states (blocking → listening → learning → forwarding, hello 2 s, max
//!   age 20 s, forward delay 15 s), topology change (TCN, TC flag, short MAC
//!   aging) and, in rapid mode, the proposal/agreement handshake, edge
//!   ports and discarding/learning/forwarding. Time is passed in; what it
//!   decides comes out as typed [`Event`]s with an English `Display`.

mod bridge;
mod event;
pub mod frame;
mod id;
mod types;
pub mod wire;

#[cfg(test)]
mod tests;

pub use bridge::Bridge;
pub use event::{AlternateWhy, Event};
pub use id::{BridgeId, PortId, cost_for_speed};
pub use types::{BridgeConfig, Mode, PortSetup, PortView, Role, State, Timers};
pub use wire::{Config, Flags, Packet, Repr, WireError};
