//! Router access lists, as Cisco IOS teaches them: numbered standard (source
//! only) and extended (protocol, source, destination, ports) lists and named
//! lists, applied in or out on an interface, checked top-down with the first
//! match deciding and an implicit `deny any` at the end; each entry counts its
//! matches for `show access-lists`.

use core::fmt;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::packet::{Action, Direction, PacketInfo, Transport};
use super::verdict::{FirewallNote, MatchedBy, Verdict};

/// Standard (source address only) or extended.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AclKind {
    /// Numbers 1–99 and 1300–1999, or `ip access-list standard NAME`.
    Standard,
    /// Numbers 100–199 and 2000–2699, or `ip access-list extended NAME`.
    Extended,
}

impl fmt::Display for AclKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AclKind::Standard => "standard",
            AclKind::Extended => "extended",
        })
    }
}

/// An address with a wildcard mask: `any`, `host A.B.C.D`, or `A.B.C.D W.W.W.W`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddrSpec {
    /// Every address (`0.0.0.0 255.255.255.255`).
    Any,
    /// Exactly one address (`A 0.0.0.0`).
    Host(Ipv4Addr),
    /// Bits set in `wildcard` are "don't care"; the mask need not be contiguous.
    Wildcard {
        /// Address (its don't-care bits are cleared).
        addr: Ipv4Addr,
        /// Wildcard mask.
        wildcard: Ipv4Addr,
    },
}

impl AddrSpec {
    /// `addr` with `wildcard`, normalised like IOS: don't-care bits of the address
    /// are cleared, `0.0.0.0` becomes `host`, all-ones becomes `any`.
    pub fn wildcard(addr: Ipv4Addr, wildcard: Ipv4Addr) -> AddrSpec {
        let w = u32::from(wildcard);
        match w {
            0 => AddrSpec::Host(addr),
            u32::MAX => AddrSpec::Any,
            _ => AddrSpec::Wildcard {
                addr: Ipv4Addr::from(u32::from(addr) & !w),
                wildcard,
            },
        }
    }

    /// Whether `ip` matches: `(ip XOR addr) AND NOT wildcard == 0`.
    pub fn matches(&self, ip: Ipv4Addr) -> bool {
        match *self {
            AddrSpec::Any => true,
            AddrSpec::Host(a) => a == ip,
            AddrSpec::Wildcard { addr, wildcard } => {
                (u32::from(ip) ^ u32::from(addr)) & !u32::from(wildcard) == 0
            }
        }
    }
}

impl fmt::Display for AddrSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddrSpec::Any => f.write_str("any"),
            AddrSpec::Host(a) => write!(f, "host {a}"),
            AddrSpec::Wildcard { addr, wildcard } => write!(f, "{addr} {wildcard}"),
        }
    }
}

/// A port comparison of an extended entry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PortOp {
    /// Equal to.
    Eq(u16),
    /// Not equal to.
    Neq(u16),
    /// Less than.
    Lt(u16),
    /// Greater than.
    Gt(u16),
    /// Inclusive range.
    Range(u16, u16),
}

impl PortOp {
    /// Whether `port` satisfies the comparison.
    pub fn matches(&self, port: u16) -> bool {
        match *self {
            PortOp::Eq(p) => port == p,
            PortOp::Neq(p) => port != p,
            PortOp::Lt(p) => port < p,
            PortOp::Gt(p) => port > p,
            PortOp::Range(a, b) => (a..=b).contains(&port),
        }
    }

    fn fmt_with(&self, f: &mut fmt::Formatter<'_>, proto: AclProtocol) -> fmt::Result {
        let n = |p: u16| port_name(proto, p).map_or_else(|| p.to_string(), str::to_string);
        match *self {
            PortOp::Eq(p) => write!(f, "eq {}", n(p)),
            PortOp::Neq(p) => write!(f, "neq {}", n(p)),
            PortOp::Lt(p) => write!(f, "lt {}", n(p)),
            PortOp::Gt(p) => write!(f, "gt {}", n(p)),
            PortOp::Range(a, b) => write!(f, "range {} {}", n(a), n(b)),
        }
    }
}

/// The protocol of an extended entry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AclProtocol {
    /// Every IP packet.
    Ip,
    /// ICMP.
    Icmp,
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// Another protocol number.
    Number(u8),
}

impl AclProtocol {
    fn matches(&self, protocol: u8) -> bool {
        match *self {
            AclProtocol::Ip => true,
            AclProtocol::Icmp => protocol == 1,
            AclProtocol::Tcp => protocol == 6,
            AclProtocol::Udp => protocol == 17,
            AclProtocol::Number(n) => protocol == n,
        }
    }
}

impl fmt::Display for AclProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AclProtocol::Ip => f.write_str("ip"),
            AclProtocol::Icmp => f.write_str("icmp"),
            AclProtocol::Tcp => f.write_str("tcp"),
            AclProtocol::Udp => f.write_str("udp"),
            AclProtocol::Number(n) => write!(f, "{n}"),
        }
    }
}

const TCP_PORTS: &[(&str, u16)] = &[
    ("bgp", 179),
    ("domain", 53),
    ("echo", 7),
    ("finger", 79),
    ("ftp", 21),
    ("ftp-data", 20),
    ("gopher", 70),
    ("irc", 194),
    ("nntp", 119),
    ("pop2", 109),
    ("pop3", 110),
    ("smtp", 25),
    ("sunrpc", 111),
    ("tacacs", 49),
    ("telnet", 23),
    ("whois", 43),
    ("www", 80),
];

const UDP_PORTS: &[(&str, u16)] = &[
    ("bootpc", 68),
    ("bootps", 67),
    ("domain", 53),
    ("echo", 7),
    ("isakmp", 500),
    ("netbios-dgm", 138),
    ("netbios-ns", 137),
    ("ntp", 123),
    ("rip", 520),
    ("snmp", 161),
    ("snmptrap", 162),
    ("sunrpc", 111),
    ("syslog", 514),
    ("tacacs", 49),
    ("tftp", 69),
];

/// ICMP type names IOS accepts after the destination.
pub(crate) const ICMP_TYPES: &[(&str, u8)] = &[
    ("echo-reply", 0),
    ("unreachable", 3),
    ("source-quench", 4),
    ("redirect", 5),
    ("echo", 8),
    ("time-exceeded", 11),
    ("parameter-problem", 12),
    ("timestamp-request", 13),
    ("timestamp-reply", 14),
];

fn port_table(proto: AclProtocol) -> &'static [(&'static str, u16)] {
    match proto {
        AclProtocol::Tcp => TCP_PORTS,
        AclProtocol::Udp => UDP_PORTS,
        _ => &[],
    }
}

/// The IOS keyword for a well-known port (`www` for TCP 80), if it has one.
pub fn port_name(proto: AclProtocol, port: u16) -> Option<&'static str> {
    port_table(proto)
        .iter()
        .find(|(_, p)| *p == port)
        .map(|(n, _)| *n)
}

/// A port number or IOS keyword (`www`, `pop3`, `domain`…) for `proto`.
pub fn port_by_name(proto: AclProtocol, token: &str) -> Option<u16> {
    if let Ok(n) = token.parse::<u16>() {
        return Some(n);
    }
    let t = token.to_ascii_lowercase();
    port_table(proto)
        .iter()
        .find(|(n, _)| *n == t)
        .map(|(_, p)| *p)
}

/// What an entry matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum AclMatch {
    /// Standard entry: source address only.
    Standard {
        /// Source.
        source: AddrSpec,
    },
    /// Extended entry.
    Extended {
        /// Protocol.
        protocol: AclProtocol,
        /// Source.
        source: AddrSpec,
        /// Source port test (TCP/UDP).
        #[serde(default)]
        source_port: Option<PortOp>,
        /// Destination.
        destination: AddrSpec,
        /// Destination port test (TCP/UDP).
        #[serde(default)]
        destination_port: Option<PortOp>,
        /// ICMP type (ICMP only).
        #[serde(default)]
        icmp_type: Option<u8>,
        /// TCP only: match packets with ACK or RST (part of an established connection).
        #[serde(default)]
        established: bool,
    },
}

impl AclMatch {
    /// Whether a packet matches.
    pub fn matches(&self, p: &PacketInfo) -> bool {
        match self {
            AclMatch::Standard { source } => source.matches(p.src),
            AclMatch::Extended {
                protocol,
                source,
                source_port,
                destination,
                destination_port,
                icmp_type,
                established,
            } => {
                if !protocol.matches(p.protocol())
                    || !source.matches(p.src)
                    || !destination.matches(p.dst)
                {
                    return false;
                }
                let ports = p.ports();
                let port_ok = |op: &Option<PortOp>, pick: fn((u16, u16)) -> u16| match op {
                    None => true,
                    Some(op) => ports.is_some_and(|ps| op.matches(pick(ps))),
                };
                if !port_ok(source_port, |ps| ps.0) || !port_ok(destination_port, |ps| ps.1) {
                    return false;
                }
                if let Some(t) = icmp_type
                    && !matches!(p.transport, Transport::Icmp { ty, .. } if ty == *t)
                {
                    return false;
                }
                !*established
                    || matches!(p.transport, Transport::Tcp { flags, .. } if flags.ack || flags.rst)
            }
        }
    }
}

/// One entry of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclEntry {
    /// Sequence number (10, 20, …), the order of evaluation.
    pub seq: u32,
    /// Permit or deny.
    pub action: Action,
    /// What it matches.
    #[serde(rename = "match")]
    pub matcher: AclMatch,
}

impl AclEntry {
    /// The entry as it is typed after `access-list N ` (or after the sequence
    /// number in a named list): `permit 192.168.1.0 0.0.0.255`. It differs
    /// from the `show access-lists` form ([`Display`](fmt::Display)) only for
    /// a standard network, which `show` prints as "A, wildcard bits W".
    pub fn config_text(&self) -> String {
        struct Config<'a>(&'a AclEntry);
        impl fmt::Display for Config<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write(f, false)
            }
        }
        Config(self).to_string()
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, show: bool) -> fmt::Result {
        f.write_str(match self.action {
            Action::Allow => "permit",
            // An access list never rejects: `Reject` reads as `deny`.
            Action::Deny | Action::Reject => "deny",
        })?;
        match &self.matcher {
            AclMatch::Standard { source } => match source {
                // `show access-lists` prints a standard network as "A, wildcard bits W".
                AddrSpec::Wildcard { addr, wildcard } if show => {
                    write!(f, " {addr}, wildcard bits {wildcard}")
                }
                AddrSpec::Wildcard { addr, wildcard } => write!(f, " {addr} {wildcard}"),
                AddrSpec::Host(a) => write!(f, " {a}"),
                AddrSpec::Any => f.write_str(" any"),
            },
            AclMatch::Extended {
                protocol,
                source,
                source_port,
                destination,
                destination_port,
                icmp_type,
                established,
            } => {
                write!(f, " {protocol} {source}")?;
                if let Some(op) = source_port {
                    f.write_str(" ")?;
                    op.fmt_with(f, *protocol)?;
                }
                write!(f, " {destination}")?;
                if let Some(op) = destination_port {
                    f.write_str(" ")?;
                    op.fmt_with(f, *protocol)?;
                }
                if let Some(t) = icmp_type {
                    match ICMP_TYPES.iter().find(|(_, n)| n == t) {
                        Some((name, _)) => write!(f, " {name}")?,
                        None => write!(f, " {t}")?,
                    }
                }
                if *established {
                    f.write_str(" established")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for AclEntry {
    /// IOS syntax without the sequence number, as `show access-lists` prints
    /// it: `permit tcp any host 192.168.1.1 eq www`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, true)
    }
}

/// A numbered or named access list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessList {
    /// The number (`"101"`) or name (`"BLOCK_POP3"`).
    pub name: String,
    /// Standard or extended.
    pub kind: AclKind,
    /// Entries in sequence order.
    #[serde(default)]
    pub entries: Vec<AclEntry>,
    /// `remark` lines (documentation only).
    #[serde(default)]
    pub remarks: Vec<String>,
}

impl AccessList {
    /// An empty list.
    pub fn new(name: impl Into<String>, kind: AclKind) -> Self {
        AccessList {
            name: name.into(),
            kind,
            entries: Vec::new(),
            remarks: Vec::new(),
        }
    }

    /// Whether the name is a number (a numbered list).
    pub fn is_numbered(&self) -> bool {
        self.name.bytes().all(|b| b.is_ascii_digit())
    }
}

/// A list applied to an interface in one direction (`ip access-group 101 in`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclBinding {
    /// Interface name, e.g. `GigabitEthernet0/0`.
    pub interface: String,
    /// In or out.
    pub direction: Direction,
    /// List name or number.
    pub acl: String,
}

/// A router's access lists and where they are applied (part of the lab document).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclConfig {
    /// Lists.
    #[serde(default)]
    pub lists: Vec<AccessList>,
    /// Applications to interfaces.
    #[serde(default)]
    pub bindings: Vec<AclBinding>,
}

impl AclConfig {
    /// The list called `name`.
    pub fn list(&self, name: &str) -> Option<&AccessList> {
        self.lists.iter().find(|l| l.name == name)
    }

    /// The list applied on `interface` in `direction`.
    pub fn bound(&self, interface: &str, direction: Direction) -> Option<&str> {
        self.bindings
            .iter()
            .find(|b| b.direction == direction && b.interface.eq_ignore_ascii_case(interface))
            .map(|b| b.acl.as_str())
    }

    /// Applies `acl` on `interface` in `direction`, replacing any list there.
    pub fn bind(&mut self, interface: &str, direction: Direction, acl: &str) {
        self.unbind(interface, direction);
        self.bindings.push(AclBinding {
            interface: interface.to_string(),
            direction,
            acl: acl.to_string(),
        });
    }

    /// Removes the list applied on `interface` in `direction`.
    pub fn unbind(&mut self, interface: &str, direction: Direction) {
        self.bindings
            .retain(|b| !(b.direction == direction && b.interface.eq_ignore_ascii_case(interface)));
    }
}

/// A router's access lists at run time: configuration plus match counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AclEngine {
    config: AclConfig,
    counters: BTreeMap<(String, u32), u64>,
}

impl AclEngine {
    /// An engine for `config`, counters at zero.
    pub fn new(config: AclConfig) -> Self {
        AclEngine {
            config,
            counters: BTreeMap::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &AclConfig {
        &self.config
    }

    /// Replaces the configuration (a live edit); counters of entries that remain are kept.
    pub fn set_config(&mut self, config: AclConfig) {
        self.config = config;
    }

    /// `clear access-list counters`.
    pub fn clear_counters(&mut self) {
        self.counters.clear();
    }

    /// Matches so far of entry `seq` of list `acl`.
    pub fn matches(&self, acl: &str, seq: u32) -> u64 {
        self.counters
            .get(&(acl.to_string(), seq))
            .copied()
            .unwrap_or(0)
    }

    /// Filters a packet entering (`In`) or leaving (`Out`) through `interface`.
    pub fn check(&mut self, interface: &str, direction: Direction, p: &PacketInfo) -> Verdict {
        let iface = interface.to_string();
        let Some(name) = self.config.bound(interface, direction).map(str::to_string) else {
            return Verdict {
                action: Action::Allow,
                by: MatchedBy::NoAcl,
                note: FirewallNote::NoAcl {
                    direction,
                    interface: iface,
                },
            };
        };
        let Some(list) = self.config.list(&name) else {
            return Verdict {
                action: Action::Allow,
                by: MatchedBy::NoAcl,
                note: FirewallNote::AclUndefined {
                    acl: name,
                    direction,
                    interface: iface,
                },
            };
        };
        match list.entries.iter().find(|e| e.matcher.matches(p)) {
            Some(e) => {
                let verdict = Verdict {
                    action: e.action,
                    by: MatchedBy::AclEntry(e.seq),
                    note: FirewallNote::AclEntry {
                        acl: name.clone(),
                        direction,
                        interface: iface,
                        entry: format!("{} {e}", e.seq),
                    },
                };
                *self.counters.entry((name, e.seq)).or_insert(0) += 1;
                verdict
            }
            None => Verdict {
                action: Action::Deny,
                by: MatchedBy::ImplicitDeny,
                note: FirewallNote::AclImplicitDeny {
                    acl: name,
                    direction,
                    interface: iface,
                },
            },
        }
    }

    /// The text of `show access-lists`, like Cisco IOS prints it.
    pub fn show_access_lists(&self) -> String {
        let mut out = String::new();
        for list in &self.config.lists {
            let kind = match list.kind {
                AclKind::Standard => "Standard",
                AclKind::Extended => "Extended",
            };
            out.push_str(&format!("{kind} IP access list {}\n", list.name));
            for e in &list.entries {
                out.push_str(&format!("    {} {e}", e.seq));
                match self.matches(&list.name, e.seq) {
                    0 => {}
                    1 => out.push_str(" (1 match)"),
                    n => out.push_str(&format!(" ({n} matches)")),
                }
                out.push('\n');
            }
        }
        out
    }
}
