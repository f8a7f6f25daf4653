//! A switch's ports as 802.1Q sees them: which VLAN an arriving frame
//! belongs to (the access VLAN, a trunk's tag or its native VLAN), which
//! ports carry a VLAN, and how a frame leaves a port (untagged on an access
//! port and in a trunk's native VLAN, tagged otherwise).

use std::borrow::Cow;
use std::collections::BTreeSet;

use lanlab_proto::net::dot1q;

use crate::lab::Device;
use crate::note::VlanDrop;
use crate::vlan::{DEFAULT_VLAN, PortMode, VlanList};

/// One port's VLAN membership.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortVlan {
    /// An access port in this VLAN.
    Access(u16),
    /// A trunk: its native VLAN and the VLANs it may carry.
    Trunk {
        /// Sent and received untagged.
        native: u16,
        /// `switchport trunk allowed vlan`.
        allowed: VlanList,
    },
}

/// The VLAN view of every port of one switch, from its document.
#[derive(Clone, Debug)]
pub struct VlanMap {
    ports: Vec<PortVlan>,
    /// The VLAN database (VLAN 1 always).
    known: BTreeSet<u16>,
    /// Whether anything differs from "every port an access port in VLAN 1"
    /// (then the trace names VLANs in its notes).
    pub aware: bool,
}

impl VlanMap {
    /// The ports of `d` as its VLAN settings make them.
    pub fn new(d: &Device) -> Self {
        let s = &d.ios.vlan;
        let ports = (0..d.ports.len())
            .map(|k| {
                let sp = s.port(k);
                match sp.mode {
                    PortMode::Access => PortVlan::Access(sp.access),
                    PortMode::Trunk => PortVlan::Trunk {
                        native: sp.native,
                        allowed: sp.allowed,
                    },
                }
            })
            .collect();
        VlanMap {
            ports,
            known: lanlab_proto::order::set(s.vlan_ids()),
            aware: !s.vlans.is_empty() || !s.ports.is_empty(),
        }
    }

    /// Port `k`'s membership (an access port in VLAN 1 when out of range).
    pub fn port(&self, k: usize) -> &PortVlan {
        const DEFAULT: PortVlan = PortVlan::Access(DEFAULT_VLAN);
        self.ports.get(k).unwrap_or(&DEFAULT)
    }

    /// The VLAN database, ascending (VLAN 1 always).
    pub fn ids(&self) -> impl Iterator<Item = u16> + '_ {
        std::iter::once(crate::vlan::DEFAULT_VLAN).chain(
            self.known
                .iter()
                .copied()
                .filter(|&v| v != crate::vlan::DEFAULT_VLAN),
        )
    }

    /// Whether both maps give every port the same VLANs and the database
    /// is the same (spanning tree has nothing to redo).
    pub fn same_membership(&self, other: &VlanMap) -> bool {
        self.ports == other.ports && self.known == other.known
    }

    /// Whether port `k` is a trunk.
    pub fn is_trunk(&self, k: usize) -> bool {
        matches!(self.port(k), PortVlan::Trunk { .. })
    }

    /// Whether VLAN `v` is in the switch's VLAN database.
    pub fn exists(&self, v: u16) -> bool {
        self.known.contains(&v)
    }

    /// Whether port `k` carries VLAN `v` at all (before spanning tree).
    pub fn carries(&self, k: usize, v: u16) -> bool {
        self.exists(v)
            && match self.port(k) {
                PortVlan::Access(a) => *a == v,
                PortVlan::Trunk { allowed, .. } => allowed.contains(v),
            }
    }

    /// The VLAN a frame arriving on port `k` belongs to, and the frame
    /// without its tag.
    ///
    /// # Errors
    /// Why the port drops it.
    pub fn classify<'f>(&self, k: usize, frame: &'f [u8]) -> Result<Classified<'f>, VlanDrop> {
        let tagged = dot1q::untag(frame);
        let (vlan, untagged, tag) = match (self.port(k), tagged) {
            (PortVlan::Access(_), Some(_)) => return Err(VlanDrop::TaggedOnAccess),
            (PortVlan::Access(v), None) => (*v, Cow::Borrowed(frame), false),
            // A priority tag (VID 0) is the native VLAN's frame.
            (PortVlan::Trunk { native, .. }, Some((r, inner))) if r.vid == 0 => {
                (*native, Cow::Owned(inner), true)
            }
            (PortVlan::Trunk { .. }, Some((r, inner))) => (r.vid, Cow::Owned(inner), true),
            (PortVlan::Trunk { native, .. }, None) => (*native, Cow::Borrowed(frame), false),
        };
        if !self.exists(vlan) {
            return Err(VlanDrop::NoSuchVlan(vlan));
        }
        if !self.carries(k, vlan) {
            return Err(VlanDrop::NotAllowed(vlan));
        }
        Ok(Classified {
            vlan,
            frame: untagged,
            tagged: tag,
        })
    }

    /// How a frame of VLAN `v` leaves port `k`: with a tag (`Some(v)`) or
    /// untagged (`None`).
    pub fn egress_tag(&self, k: usize, v: u16) -> Option<u16> {
        match self.port(k) {
            PortVlan::Trunk { native, .. } if *native != v => Some(v),
            _ => None,
        }
    }
}

/// An arriving frame's VLAN.
#[derive(Debug)]
pub struct Classified<'f> {
    /// The VLAN.
    pub vlan: u16,
    /// The frame without its 802.1Q tag.
    pub frame: Cow<'f, [u8]>,
    /// Whether it came tagged.
    pub tagged: bool,
}
