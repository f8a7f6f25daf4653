//! VLANs in the document (IEEE 802.1Q): a switch's VLAN database (`vlan 10`,
//! `name STAFF`), its ports' switchport settings (access or trunk, access
//! VLAN, native VLAN, allowed list), a router's sub-interfaces (`interface
//! g0/0.10`, `encapsulation dot1Q 10`) and a multilayer switch's routing
//! (`ip routing`, `interface vlan 10`).
//!
//! One field of [`crate::ios::IosSettings`], left out of the JSON when
//! nothing is set, so labs from before VLANs load unchanged and every port
//! of such a switch is an access port in VLAN 1.

use std::fmt;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

/// The default VLAN: every port starts in it; it cannot be deleted.
pub const DEFAULT_VLAN: u16 = 1;
/// The highest VLAN number (802.1Q's VID 4095 is reserved).
pub const MAX_VLAN: u16 = 4094;

/// Whether `v` is a VLAN number a student may use (1–4094).
pub fn valid_vlan(v: u16) -> bool {
    (DEFAULT_VLAN..=MAX_VLAN).contains(&v)
}

/// Everything VLAN-related a router or switch is configured with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VlanSettings {
    /// The VLANs created with `vlan N` (VLAN 1 always exists and is not
    /// listed unless renamed), sorted by number.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vlans: Vec<Vlan>,
    /// Switch ports whose settings differ from the default (access port
    /// in VLAN 1), sorted by port index.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<SwitchPort>,
    /// Routers: sub-interfaces (`interface g0/0.10`), sorted by port and number.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subifs: Vec<SubIf>,
    /// Multilayer switches: `ip routing` (route between the SVIs).
    #[serde(skip_serializing_if = "is_false")]
    pub ip_routing: bool,
    /// Multilayer switches: VLAN interfaces other than VLAN 1's management
    /// interface (`interface vlan 10`), sorted by VLAN.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub svis: Vec<VlanIf>,
}

impl VlanSettings {
    /// Whether nothing is set (then the document omits the field).
    pub fn is_empty(&self) -> bool {
        *self == VlanSettings::default()
    }

    /// Whether VLAN `v` is in the VLAN database (VLAN 1 always is).
    pub fn has_vlan(&self, v: u16) -> bool {
        v == DEFAULT_VLAN || self.vlans.iter().any(|x| x.id == v)
    }

    /// VLAN `v`'s name: the one given with `name`, else IOS's default
    /// (`default` for VLAN 1, `VLAN0010` for VLAN 10).
    pub fn vlan_name(&self, v: u16) -> String {
        match self.vlans.iter().find(|x| x.id == v) {
            Some(x) if !x.name.is_empty() => x.name.clone(),
            _ if v == DEFAULT_VLAN => "default".into(),
            _ => format!("VLAN{v:04}"),
        }
    }

    /// Every VLAN in the database, VLAN 1 first, by number.
    pub fn vlan_ids(&self) -> Vec<u16> {
        let mut ids: Vec<u16> = std::iter::once(DEFAULT_VLAN)
            .chain(self.vlans.iter().map(|v| v.id))
            .collect();
        lanlab_proto::order::sort(&mut ids);
        ids.dedup();
        ids
    }

    /// Creates VLAN `v` (no-op when it exists); returns its entry.
    pub fn create_vlan(&mut self, v: u16) -> &mut Vlan {
        let k = match self.vlans.binary_search_by_key(&v, |x| x.id) {
            Ok(k) => k,
            Err(k) => {
                self.vlans.insert(
                    k,
                    Vlan {
                        id: v,
                        name: String::new(),
                    },
                );
                k
            }
        };
        &mut self.vlans[k]
    }

    /// Deletes VLAN `v` from the database (`no vlan 10`); VLAN 1 stays.
    pub fn delete_vlan(&mut self, v: u16) {
        self.vlans.retain(|x| x.id != v);
    }

    /// The switchport settings of port `port` (the default when unset).
    pub fn port(&self, port: usize) -> SwitchPort {
        self.ports
            .iter()
            .find(|p| p.port == port)
            .cloned()
            .unwrap_or_else(|| SwitchPort::new(port))
    }

    /// Replaces port `port`'s settings; a port back at the defaults is dropped.
    pub fn set_port(&mut self, sp: SwitchPort) {
        self.ports.retain(|p| p.port != sp.port);
        if !sp.is_default() {
            let k = self.ports.partition_point(|p| p.port < sp.port);
            self.ports.insert(k, sp);
        }
    }

    /// The sub-interface `port`.`number`, when configured.
    pub fn subif(&self, port: usize, number: u32) -> Option<&SubIf> {
        self.subifs
            .iter()
            .find(|s| s.port == port && s.number == number)
    }

    /// The sub-interface `port`.`number`, created when missing.
    pub fn subif_mut(&mut self, port: usize, number: u32) -> &mut SubIf {
        let k = match self
            .subifs
            .binary_search_by_key(&(port, number), |s| (s.port, s.number))
        {
            Ok(k) => k,
            Err(k) => {
                self.subifs.insert(k, SubIf::new(port, number));
                k
            }
        };
        &mut self.subifs[k]
    }

    /// The VLAN interface of VLAN `v`, created when missing.
    pub fn svi_mut(&mut self, v: u16) -> &mut VlanIf {
        let k = match self.svis.binary_search_by_key(&v, |s| s.vlan) {
            Ok(k) => k,
            Err(k) => {
                self.svis.insert(k, VlanIf::new(v));
                k
            }
        };
        &mut self.svis[k]
    }
}

/// One VLAN of the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vlan {
    /// Its number, 1–4094.
    pub id: u16,
    /// `name`, empty for IOS's default name (`VLAN0010`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `switchport mode`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PortMode {
    /// One VLAN, frames untagged.
    #[default]
    Access,
    /// Many VLANs, frames tagged (except the native VLAN's).
    Trunk,
}

/// A switch port's VLAN settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchPort {
    /// The port's index on the device.
    pub port: usize,
    /// Access or trunk.
    #[serde(default, skip_serializing_if = "is_access")]
    pub mode: PortMode,
    /// `switchport access vlan N` (default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub access: u16,
    /// `switchport trunk native vlan N` (default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub native: u16,
    /// `switchport trunk allowed vlan …` (default all).
    #[serde(default, skip_serializing_if = "VlanList::is_all")]
    pub allowed: VlanList,
}

impl SwitchPort {
    /// A port at the defaults: access port in VLAN 1.
    pub fn new(port: usize) -> Self {
        SwitchPort {
            port,
            mode: PortMode::Access,
            access: DEFAULT_VLAN,
            native: DEFAULT_VLAN,
            allowed: VlanList::all(),
        }
    }

    /// Whether every setting is the default.
    pub fn is_default(&self) -> bool {
        *self == SwitchPort::new(self.port)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_access(m: &PortMode) -> bool {
    *m == PortMode::Access
}

fn one() -> u16 {
    DEFAULT_VLAN
}

fn is_one(v: &u16) -> bool {
    *v == DEFAULT_VLAN
}

/// A router sub-interface (`interface g0/0.10`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubIf {
    /// The physical port's index.
    pub port: usize,
    /// The number after the dot.
    pub number: u32,
    /// `encapsulation dot1Q N`: the VLAN, `None` until set (no traffic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<u16>,
    /// `encapsulation dot1Q N native`: frames of this VLAN go untagged.
    #[serde(default, skip_serializing_if = "is_false")]
    pub native: bool,
    /// `ip address`: address and mask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<(Ipv4Addr, Ipv4Addr)>,
    /// `ip helper-address`: where DHCP broadcasts are relayed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub helpers: Vec<Ipv4Addr>,
    /// `shutdown`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub shutdown: bool,
    /// `description`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl SubIf {
    /// A new, unconfigured sub-interface.
    pub fn new(port: usize, number: u32) -> Self {
        SubIf {
            port,
            number,
            vlan: None,
            native: false,
            address: None,
            helpers: Vec::new(),
            shutdown: false,
            description: String::new(),
        }
    }
}

/// A multilayer switch's VLAN interface (`interface vlan 10`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VlanIf {
    /// The VLAN.
    pub vlan: u16,
    /// `ip address`: address and mask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<(Ipv4Addr, Ipv4Addr)>,
    /// `ip helper-address`: where DHCP broadcasts are relayed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub helpers: Vec<Ipv4Addr>,
    /// `shutdown`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub shutdown: bool,
}

impl VlanIf {
    /// A new VLAN interface, up, without an address.
    pub fn new(vlan: u16) -> Self {
        VlanIf {
            vlan,
            address: None,
            helpers: Vec::new(),
            shutdown: false,
        }
    }
}

/// A set of VLAN numbers as IOS writes it (`1-9,20,30-40`); kept as
/// sorted, disjoint, non-adjacent inclusive ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VlanList(Vec<(u16, u16)>);

/// Why a VLAN list did not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a VLAN list: write VLANs 1-4094 like 10,20,30-40")]
pub struct BadVlanList(pub String);

impl Default for VlanList {
    fn default() -> Self {
        VlanList::all()
    }
}

impl VlanList {
    /// Every VLAN, 1–4094 (a trunk's default).
    pub fn all() -> Self {
        VlanList(vec![(DEFAULT_VLAN, MAX_VLAN)])
    }

    /// No VLAN (`switchport trunk allowed vlan none`).
    pub fn none() -> Self {
        VlanList(Vec::new())
    }

    /// Whether this is every VLAN.
    pub fn is_all(&self) -> bool {
        *self == VlanList::all()
    }

    /// Whether this is no VLAN.
    pub fn is_none(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `v` is in the list.
    pub fn contains(&self, v: u16) -> bool {
        self.0.iter().any(|&(a, b)| (a..=b).contains(&v))
    }

    /// The ranges, in order.
    pub fn ranges(&self) -> &[(u16, u16)] {
        &self.0
    }

    /// Every VLAN in either list.
    pub fn union(&self, other: &VlanList) -> VlanList {
        let mut r: Vec<(u16, u16)> = self.0.iter().chain(&other.0).copied().collect();
        lanlab_proto::order::sort(&mut r);
        let mut out: Vec<(u16, u16)> = Vec::new();
        for (a, b) in r {
            match out.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        VlanList(out)
    }

    /// Every VLAN in this list and not in `other`.
    pub fn minus(&self, other: &VlanList) -> VlanList {
        let mut out = Vec::new();
        for &(a, b) in &self.0 {
            let mut start = a;
            for &(c, d) in &other.0 {
                if d < start || c > b {
                    continue;
                }
                if c > start {
                    out.push((start, c - 1));
                }
                start = d.saturating_add(1);
                if start > b || d == u16::MAX {
                    break;
                }
            }
            if start <= b && !other.contains(start) {
                out.push((start, b));
            }
        }
        VlanList(out)
    }
}

impl std::str::FromStr for VlanList {
    type Err = BadVlanList;

    /// Parses `10,20,30-40` (also `all` and `none`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadVlanList(s.to_string());
        match s.trim() {
            "all" => return Ok(VlanList::all()),
            "none" | "" => return Ok(VlanList::none()),
            _ => {}
        }
        let mut out = VlanList::none();
        for part in s.split(',') {
            let part = part.trim();
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (a.trim(), b.trim()),
                None => (part, part),
            };
            let a: u16 = a.parse().map_err(|_| bad())?;
            let b: u16 = b.parse().map_err(|_| bad())?;
            if !valid_vlan(a) || !valid_vlan(b) || b < a {
                return Err(bad());
            }
            out = out.union(&VlanList(vec![(a, b)]));
        }
        Ok(out)
    }
}

impl fmt::Display for VlanList {
    /// IOS's form: `1-4094`, `10,20`, `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        for (i, &(a, b)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if a == b {
                write!(f, "{a}")?;
            } else {
                write!(f, "{a}-{b}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for VlanList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for VlanList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(s: &str) -> VlanList {
        s.parse().unwrap()
    }

    #[test]
    fn vlan_lists_parse_print_and_combine() {
        assert_eq!(list("all").to_string(), "1-4094");
        assert_eq!(list("none").to_string(), "none");
        assert_eq!(list("20,10,11-12").to_string(), "10-12,20");
        assert!(list("10,20").contains(20) && !list("10,20").contains(15));
        assert_eq!(list("10").union(&list("20-30")).to_string(), "10,20-30");
        assert_eq!(list("all").minus(&list("1,20")).to_string(), "2-19,21-4094");
        assert_eq!(list("10-20").minus(&list("10-20")).to_string(), "none");
        assert_eq!(list("10-20").minus(&list("15")).to_string(), "10-14,16-20");
        assert_eq!(list("1-4094").minus(&list("4094")).to_string(), "1-4093");
        for bad in ["0", "4095", "x", "10-5", "1,,2"] {
            assert!(bad.parse::<VlanList>().is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_vanish_and_settings_round_trip() {
        let mut s = VlanSettings::default();
        assert_eq!(serde_json::to_string(&s).unwrap(), "{}");
        s.create_vlan(20);
        s.create_vlan(10).name = "STAFF".into();
        let mut p = SwitchPort::new(3);
        p.mode = PortMode::Trunk;
        p.allowed = list("10,20");
        s.set_port(p);
        s.set_port(SwitchPort::new(4));
        s.subif_mut(0, 10).vlan = Some(10);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"vlans":[{"id":10,"name":"STAFF"},{"id":20}],"ports":[{"port":3,"mode":"trunk","allowed":"10,20"}],"subifs":[{"port":0,"number":10,"vlan":10}]}"#
        );
        let back: VlanSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert_eq!(s.vlan_name(10), "STAFF");
        assert_eq!(s.vlan_name(20), "VLAN0020");
        assert_eq!(s.vlan_name(1), "default");
        assert_eq!(s.vlan_ids(), vec![1, 10, 20]);
        assert_eq!(s.port(4), SwitchPort::new(4));
    }
}
