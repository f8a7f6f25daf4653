//! What a router's or switch's IOS console configures beyond addresses,
//! routes and services: secrets, passwords, the banner, a switch's
//! management address and default gateway, DHCP exclusions, NAT, VLANs, and the saved
//! startup configuration.
//!
//! Part of the document (undoable, shared, saved), so the console and the
//! Config tab's forms edit one configuration. Every field is optional and
//! left out of the JSON when empty: files and links from before the console
//! load unchanged.
//!
//! The *running* configuration is the document itself (ports, routes,
//! services and these settings); the *startup* configuration is the IOS text
//! saved by `copy running-config startup-config` ([`IosSettings::startup`]),
//! which `reload` reads back.

use std::net::Ipv4Addr;

use lanlab_proto::nat::NatConfig;
use serde::{Deserialize, Serialize};

use crate::stp::StpSettings;
use crate::vlan::VlanSettings;

/// The IOS-only settings of a router or switch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IosSettings {
    /// `enable secret`: the hashed secret (`$1$…`), empty when unset.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub enable_secret: String,
    /// `username NAME password PASSWORD`: local accounts, asked by a line
    /// with `login local`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<LocalUser>,
    /// `service password-encryption`: passwords shown as type 7.
    #[serde(skip_serializing_if = "is_false")]
    pub password_encryption: bool,
    /// `banner motd`, without its delimiters.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub banner_motd: String,
    /// `line console 0`.
    #[serde(skip_serializing_if = "LineConfig::is_empty")]
    pub console: LineConfig,
    /// `line vty 0 4` (telnet).
    #[serde(skip_serializing_if = "LineConfig::is_empty")]
    pub vty: LineConfig,
    /// Switches: `ip default-gateway`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_gateway: Option<Ipv4Addr>,
    /// Switches: `interface vlan 1`, the management interface.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vlan1: Option<Svi>,
    /// Routers: `ip dhcp excluded-address FIRST [LAST]`, in order typed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dhcp_excluded: Vec<AddrRange>,
    /// Routers: NAT (`ip nat inside|outside` on interfaces by port index,
    /// `ip nat inside source …`, `ip nat pool …`).
    #[serde(skip_serializing_if = "nat_is_empty")]
    pub nat: NatConfig,
    /// Routers: OSPF (`router ospf N` and the `ip ospf` interface commands).
    #[serde(skip_serializing_if = "crate::ospf::OspfSettings::is_empty")]
    pub ospf: crate::ospf::OspfSettings,
    /// Routers: interfaces (by port index) with `no ip unreachables`: the
    /// router sends no ICMP destination unreachable about packets that came
    /// in on them. Empty (the IOS default) means every interface sends them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_unreachables: Vec<usize>,
    /// Routers: `router rip`, when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rip: Option<crate::rip::RipConfig>,
    /// Switches: spanning tree (`spanning-tree …`, `crate::stp`).
    #[serde(skip_serializing_if = "StpSettings::is_empty")]
    pub stp: StpSettings,
    /// VLANs: the VLAN database, switchports, sub-interfaces, SVIs and
    /// `ip routing` (`crate::vlan`).
    #[serde(skip_serializing_if = "VlanSettings::is_empty")]
    pub vlan: VlanSettings,
    /// The startup configuration (IOS text), `None` until first saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup: Option<String>,
}

impl IosSettings {
    /// Whether nothing is set (then the document omits the field).
    pub fn is_empty(&self) -> bool {
        *self == IosSettings::default()
    }
}

/// A console or vty line's login settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineConfig {
    /// `password`, in clear (shown as type 7 with password encryption).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub password: String,
    /// `login`: ask for the password.
    #[serde(skip_serializing_if = "is_false")]
    pub login: bool,
    /// `login local`: ask a user name and that user's password.
    #[serde(skip_serializing_if = "is_false")]
    pub login_local: bool,
    /// `no login` on a line whose default is `login` (the vty lines):
    /// telnet gives the prompt without asking a password.
    #[serde(skip_serializing_if = "is_false")]
    pub no_login: bool,
}

impl LineConfig {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == LineConfig::default()
    }

    /// Whether a vty line asks for its password: `login` is the vty
    /// default, so only `no login` turns it off.
    pub fn vty_login(&self) -> bool {
        self.login || !self.no_login
    }

    /// The password of local user `name` when `login local` asks it.
    pub fn local_password<'a>(users: &'a [LocalUser], name: &str) -> Option<&'a str> {
        users
            .iter()
            .find(|u| u.name == name)
            .map(|u| u.password.as_str())
    }
}

/// A local account (`username admin password cisco`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalUser {
    /// The user name.
    pub name: String,
    /// The password, in clear (shown as type 7 with password encryption).
    pub password: String,
}

/// A switch virtual interface (`interface vlan 1`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Svi {
    /// `ip address`, when set: address and mask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<(Ipv4Addr, Ipv4Addr)>,
    /// `shutdown` (a switch's VLAN 1 interface starts shut down).
    #[serde(default, skip_serializing_if = "is_false")]
    pub shutdown: bool,
}

/// An inclusive range of addresses (`ip dhcp excluded-address 192.168.1.1 192.168.1.9`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddrRange {
    /// First address.
    pub first: Ipv4Addr,
    /// Last address (equal to `first` for one address).
    pub last: Ipv4Addr,
}

impl AddrRange {
    /// Whether `ip` is in the range.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        (u32::from(self.first)..=u32::from(self.last)).contains(&u32::from(ip))
    }
}

/// The fixed key of Cisco's reversible "type 7" password scrambling.
const TYPE7_KEY: &[u8] = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";

/// A password as `service password-encryption` shows it (type 7: a
/// scrambling anyone can undo, which is the lesson). Deterministic: the
/// key offset is derived from the text.
pub fn type7_encode(password: &str) -> String {
    let seed = password.bytes().fold(0usize, |a, b| a + usize::from(b)) % 16;
    let mut out = format!("{seed:02}");
    for (i, b) in password.bytes().enumerate() {
        let k = TYPE7_KEY[(seed + i) % TYPE7_KEY.len()];
        out.push_str(&format!("{:02X}", b ^ k));
    }
    out
}

/// Undoes [`type7_encode`]; `None` for text that is not type 7.
pub fn type7_decode(text: &str) -> Option<String> {
    if text.len() < 2 || !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    let seed: usize = text[..2].parse().ok()?;
    let mut out = Vec::new();
    for (i, k) in (2..text.len()).step_by(2).enumerate() {
        let b = u8::from_str_radix(&text[k..k + 2], 16).ok()?;
        out.push(b ^ TYPE7_KEY[(seed + i) % TYPE7_KEY.len()]);
    }
    String::from_utf8(out).ok()
}

/// The stored form of an `enable secret`: `$1$` + salt + `$` + a digest
/// (shaped like IOS's type 5; SHA-256 inside, as the lab needs no MD5-crypt).
pub fn hash_secret(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let salt_digest = Sha256::digest(format!("salt:{secret}").as_bytes());
    let salt: String = salt_digest[..4]
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % 64] as char)
        .collect();
    let digest = Sha256::digest(format!("{salt}${secret}").as_bytes());
    let body: String = digest[..22]
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % 64] as char)
        .collect();
    format!("$1${salt}${body}")
}

fn nat_is_empty(n: &NatConfig) -> bool {
    *n == NatConfig::default()
}

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_settings_vanish_from_json() {
        let s = IosSettings::default();
        assert_eq!(serde_json::to_string(&s).unwrap(), "{}");
        let back: IosSettings = serde_json::from_str("{}").unwrap();
        assert!(back.is_empty());
        let r = AddrRange {
            first: [10, 0, 0, 1].into(),
            last: [10, 0, 0, 9].into(),
        };
        assert!(r.contains([10, 0, 0, 5].into()));
        assert!(!r.contains([10, 0, 0, 10].into()));
    }

    #[test]
    fn nat_settings_round_trip_and_old_files_load() {
        let mut s = IosSettings::default();
        s.nat.inside = vec![0];
        s.nat.outside = vec![1];
        s.nat.statics.push(lanlab_proto::nat::StaticNat::address(
            [192, 168, 1, 5].into(),
            [203, 0, 113, 9].into(),
        ));
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"nat\""), "{json}");
        let back: IosSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        // A file from before NAT: no `nat` field, nothing configured.
        let old: IosSettings = serde_json::from_str(r#"{"banner_motd":"hi"}"#).unwrap();
        assert_eq!(old.nat, NatConfig::default());
        assert_eq!(old.rip, None, "a file from before RIP has none");
    }

    #[test]
    fn passwords_scramble_and_unscramble() {
        for pw in ["cisco", "class", "", "P@ss w0rd"] {
            assert_eq!(type7_decode(&type7_encode(pw)).as_deref(), Some(pw));
        }
        assert_eq!(type7_decode("0"), None);
        assert_eq!(type7_decode("zz12"), None);
        let h = hash_secret("class");
        assert!(h.starts_with("$1$") && h.len() == 30, "{h}");
        assert_eq!(h, hash_secret("class"));
        assert_ne!(h, hash_secret("cisco"));
    }
}
