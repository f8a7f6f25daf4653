//! The personal firewall of a host (PC, laptop, server): on/off, a default
//! policy per direction, ordered allow/deny rules where the first match wins,
//! and a connection table so replies to allowed traffic pass (stateful
//! filtering, as in Windows Defender Firewall or netfilter's conntrack).

use core::fmt;
use core::time::Duration;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::packet::{Action, Direction, Ipv4Prefix, PacketInfo, Transport};
use super::verdict::{FirewallNote, MatchedBy, Verdict};
use crate::SimTime;

/// The protocols a host rule can name.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleProtocol {
    /// Every IP packet.
    #[default]
    Any,
    /// ICMP (ping).
    Icmp,
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

impl fmt::Display for RuleProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RuleProtocol::Any => "any",
            RuleProtocol::Icmp => "icmp",
            RuleProtocol::Tcp => "tcp",
            RuleProtocol::Udp => "udp",
        })
    }
}

/// A port or an inclusive range of ports.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortRange {
    /// First port.
    pub first: u16,
    /// Last port (equal to `first` for a single port).
    pub last: u16,
}

impl PortRange {
    /// One port.
    pub fn single(port: u16) -> Self {
        PortRange {
            first: port,
            last: port,
        }
    }

    /// `first..=last` (swapped if given backwards).
    pub fn new(first: u16, last: u16) -> Self {
        PortRange {
            first: first.min(last),
            last: first.max(last),
        }
    }

    /// Whether `port` is in the range.
    pub fn contains(&self, port: u16) -> bool {
        (self.first..=self.last).contains(&port)
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "port {}", self.first)
        } else {
            write!(f, "ports {}-{}", self.first, self.last)
        }
    }
}

/// One host firewall rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostRule {
    /// Allow or deny.
    pub action: Action,
    /// Inbound (the default) or outbound packets.
    #[serde(default)]
    pub direction: Direction,
    /// Protocol.
    #[serde(default)]
    pub protocol: RuleProtocol,
    /// The other end's network: the source of inbound packets, the destination of
    /// outbound ones. `None` = any address.
    #[serde(default)]
    pub remote: Option<Ipv4Prefix>,
    /// Destination port or range (TCP/UDP only). `None` = any port.
    #[serde(default)]
    pub ports: Option<PortRange>,
}

impl HostRule {
    /// An inbound rule.
    pub fn inbound(
        action: Action,
        protocol: RuleProtocol,
        remote: Option<Ipv4Prefix>,
        ports: Option<PortRange>,
    ) -> Self {
        HostRule {
            action,
            direction: Direction::In,
            protocol,
            remote,
            ports,
        }
    }

    /// Whether the rule matches a packet going `direction`.
    pub fn matches(&self, p: &PacketInfo, direction: Direction) -> bool {
        if self.direction != direction {
            return false;
        }
        let proto_ok = match self.protocol {
            RuleProtocol::Any => true,
            RuleProtocol::Icmp => matches!(p.transport, Transport::Icmp { .. }),
            RuleProtocol::Tcp => matches!(p.transport, Transport::Tcp { .. }),
            RuleProtocol::Udp => matches!(p.transport, Transport::Udp { .. }),
        };
        let remote = match direction {
            Direction::In => p.src,
            Direction::Out => p.dst,
        };
        let remote_ok = self.remote.is_none_or(|n| n.contains(remote));
        let port_ok = match self.ports {
            None => true,
            Some(r) => p.ports().is_some_and(|(_, dst)| r.contains(dst)),
        };
        proto_ok && remote_ok && port_ok
    }
}

impl fmt::Display for HostRule {
    /// `deny tcp any → port 110`, `allow out udp 10.0.0.0/8 → ports 5000-5100`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.action)?;
        if self.direction == Direction::Out {
            f.write_str("out ")?;
        }
        write!(f, "{} ", self.protocol)?;
        match self.remote {
            Some(n) if !n.is_any() => write!(f, "{n}")?,
            _ => f.write_str("any")?,
        }
        if let Some(p) = self.ports {
            write!(f, " → {p}")?;
        }
        Ok(())
    }
}

/// The host firewall's configuration (part of the lab document).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostFirewallConfig {
    /// Whether the firewall filters at all (off by default, as in Packet Tracer).
    #[serde(default)]
    pub enabled: bool,
    /// Policy for inbound packets no rule matches (allow by default, so adding one
    /// deny rule blocks exactly that; set deny for a "default deny" lesson).
    #[serde(default = "allow")]
    pub default_inbound: Action,
    /// Policy for outbound packets no rule matches.
    #[serde(default = "allow")]
    pub default_outbound: Action,
    /// Ordered rules; the first that matches decides.
    #[serde(default)]
    pub rules: Vec<HostRule>,
}

fn allow() -> Action {
    Action::Allow
}

impl Default for HostFirewallConfig {
    fn default() -> Self {
        HostFirewallConfig {
            enabled: false,
            default_inbound: Action::Allow,
            default_outbound: Action::Allow,
            rules: Vec::new(),
        }
    }
}

/// A tracked flow, oriented as its first allowed packet travelled.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FlowKey {
    /// IP protocol number.
    pub protocol: u8,
    /// Source address of the first packet.
    pub src: Ipv4Addr,
    /// Source port (echo identifier for ICMP).
    pub src_port: u16,
    /// Destination address of the first packet.
    pub dst: Ipv4Addr,
    /// Destination port (echo identifier for ICMP).
    pub dst_port: u16,
}

impl FlowKey {
    fn reversed(self) -> FlowKey {
        FlowKey {
            protocol: self.protocol,
            src: self.dst,
            src_port: self.dst_port,
            dst: self.src,
            dst_port: self.src_port,
        }
    }
}

/// How long an idle TCP connection stays in the table.
pub const TCP_IDLE: Duration = Duration::from_secs(300);
/// How long a TCP connection stays after FIN or RST.
pub const TCP_CLOSING: Duration = Duration::from_secs(10);
/// How long a UDP flow stays after its last packet.
pub const UDP_IDLE: Duration = Duration::from_secs(60);
/// How long a ping stays after its last packet.
pub const ICMP_IDLE: Duration = Duration::from_secs(30);
/// Most flows tracked; the oldest is forgotten beyond this.
pub const MAX_FLOWS: usize = 1024;

/// A host's firewall: configuration plus connection table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostFirewall {
    device: String,
    config: HostFirewallConfig,
    flows: BTreeMap<FlowKey, SimTime>,
}

enum FlowRole {
    /// The packet may open or refresh a flow.
    Opens(FlowKey),
    /// An echo reply: only ever a reply.
    Reply(FlowKey),
    /// Not tracked.
    None,
}

fn flow_of(p: &PacketInfo) -> FlowRole {
    let key = |protocol, src_port, dst_port| FlowKey {
        protocol,
        src: p.src,
        src_port,
        dst: p.dst,
        dst_port,
    };
    match p.transport {
        Transport::Tcp {
            src_port, dst_port, ..
        } => FlowRole::Opens(key(6, src_port, dst_port)),
        Transport::Udp { src_port, dst_port } => FlowRole::Opens(key(17, src_port, dst_port)),
        Transport::Icmp { ty: 8, ident, .. } => FlowRole::Opens(key(1, ident, ident)),
        Transport::Icmp { ty: 0, ident, .. } => FlowRole::Reply(key(1, ident, ident)),
        _ => FlowRole::None,
    }
}

impl HostFirewall {
    /// The firewall of `device` (its name appears in notes).
    pub fn new(device: impl Into<String>, config: HostFirewallConfig) -> Self {
        HostFirewall {
            device: device.into(),
            config,
            flows: BTreeMap::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &HostFirewallConfig {
        &self.config
    }

    /// Replaces the configuration (a live edit); tracked connections survive.
    pub fn set_config(&mut self, config: HostFirewallConfig) {
        self.config = config;
    }

    /// The tracked flows and when each expires.
    pub fn flows(&self) -> impl Iterator<Item = (&FlowKey, &SimTime)> {
        self.flows.iter()
    }

    /// Decides the fate of a packet crossing the host's stack `direction`.
    pub fn decide(&mut self, now: SimTime, p: &PacketInfo, direction: Direction) -> Verdict {
        let device = self.device.clone();
        if !self.config.enabled {
            return Verdict {
                action: Action::Allow,
                by: MatchedBy::Disabled,
                note: FirewallNote::HostOff { device },
            };
        }
        self.expire(now);
        let role = flow_of(p);
        let known = match role {
            // An echo request never answers anything: only the pinger's own flow counts.
            FlowRole::Opens(k) if k.protocol == 1 => self.flows.contains_key(&k),
            FlowRole::Opens(k) => {
                self.flows.contains_key(&k) || self.flows.contains_key(&k.reversed())
            }
            FlowRole::Reply(k) => self.flows.contains_key(&k.reversed()),
            FlowRole::None => false,
        };
        if known {
            self.track(now, p, &role);
            return Verdict {
                action: Action::Allow,
                by: MatchedBy::Stateful,
                note: FirewallNote::HostStateful { device },
            };
        }
        let found = self
            .config
            .rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.matches(p, direction));
        let verdict = match found {
            Some((i, rule)) => Verdict {
                action: rule.action,
                by: MatchedBy::Rule(i),
                note: FirewallNote::HostRule {
                    device,
                    number: i + 1,
                    rule: rule.to_string(),
                },
            },
            None => {
                let action = match direction {
                    Direction::In => self.config.default_inbound,
                    Direction::Out => self.config.default_outbound,
                };
                Verdict {
                    action,
                    by: MatchedBy::Default,
                    note: FirewallNote::HostDefault {
                        device,
                        direction,
                        action,
                    },
                }
            }
        };
        if verdict.allowed() {
            self.track(now, p, &role);
        }
        verdict
    }

    fn track(&mut self, now: SimTime, p: &PacketInfo, role: &FlowRole) {
        let (key, idle) = match (role, p.transport) {
            (FlowRole::Opens(k), Transport::Tcp { flags, .. }) => (
                *k,
                if flags.fin || flags.rst {
                    TCP_CLOSING
                } else {
                    TCP_IDLE
                },
            ),
            (FlowRole::Opens(k), Transport::Udp { .. }) => (*k, UDP_IDLE),
            (FlowRole::Opens(k), _) => (*k, ICMP_IDLE),
            (FlowRole::Reply(k), _) => {
                self.flows.insert(k.reversed(), now + ICMP_IDLE);
                return;
            }
            (FlowRole::None, _) => return,
        };
        // Refresh whichever orientation is already known, else record this one.
        let key = if key.protocol != 1 && self.flows.contains_key(&key.reversed()) {
            key.reversed()
        } else {
            key
        };
        if !self.flows.contains_key(&key) && self.flows.len() >= MAX_FLOWS {
            let oldest = self.flows.iter().min_by_key(|(_, t)| **t).map(|(k, _)| *k);
            if let Some(k) = oldest {
                self.flows.remove(&k);
            }
        }
        self.flows.insert(key, now + idle);
    }

    fn expire(&mut self, now: SimTime) {
        self.flows.retain(|_, t| *t > now);
    }

    /// When the next tracked flow expires.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.flows.values().min().copied()
    }

    /// Forgets flows whose time is up.
    pub fn handle_timeout(&mut self, now: SimTime) {
        self.expire(now);
    }
}
