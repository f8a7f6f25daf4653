//! Packet filters: the personal firewall of a host and the access lists of a
//! router. Both are pure rule engines: the simulator hands them a
//! [`PacketInfo`] and a [`Direction`] and gets a [`Verdict`] with the rule that
//! decided and a [`FirewallNote`] for the trace ("firewall on Server0: rule 2
//! deny tcp any → port 110", "ACL 101 in on Gi0/0: implicit deny").
//!
//! - [`HostFirewall`]: on/off, default policy per direction, ordered rules
//!   (first match wins), stateful: packets of a connection or flow it already
//!   allowed pass both ways until the flow expires.
//! - [`AclEngine`]: numbered and named, standard and extended IOS access lists
//!   applied in or out per interface, implicit deny, hit counters and
//!   `show access-lists`; [`parse_line`] / [`AclConfig::apply_line`] read the IOS
//!   commands.
//!
//! # Mounting the filters
//!
//! ```
//! use lanlab_proto::firewall::*;
//! use lanlab_proto::SimTime;
//! use std::net::Ipv4Addr;
//!
//! // A host: check every packet the stack receives (In) or sends (Out).
//! let config = HostFirewallConfig {
//!     enabled: true,
//!     rules: vec![HostRule::inbound(Action::Deny, RuleProtocol::Tcp, None, Some(PortRange::single(110)))],
//!     ..Default::default()
//! };
//! let mut fw = HostFirewall::new("Server0", config);
//! let pc = Ipv4Addr::new(192, 168, 1, 10);
//! let server = Ipv4Addr::new(192, 168, 1, 1);
//! let syn = PacketInfo::tcp(pc, 49152, server, 110, TcpFlags::SYN);
//! let v = fw.decide(SimTime::ZERO, &syn, Direction::In);
//! assert!(!v.allowed());
//! assert_eq!(v.note.to_string(), "firewall on Server0: rule 1 deny tcp any → port 110");
//!
//! // A router: check on the ingress interface (In), then on the egress one (Out).
//! let mut acls = AclConfig::default();
//! let mut mode = ConfigMode::Global;
//! for line in ["access-list 101 deny tcp any any eq 110", "interface Gi0/0", "ip access-group 101 in"] {
//!     acls.apply_line(&mut mode, line).unwrap();
//! }
//! let mut router = AclEngine::new(acls);
//! let v = router.check("Gi0/0", Direction::In, &PacketInfo::icmp(pc, server, 8, 1));
//! assert_eq!(v.note.to_string(), "ACL 101 in on Gi0/0: implicit deny");
//! ```
//!
//! Neither follows an RFC; the semantics are those of Cisco IOS (first match,
//! implicit deny, wildcard masks) and of host firewalls with connection
//! tracking, as network courses teach them.

mod acl;
#[cfg(test)]
mod acl_props;
mod host;
mod ios;
mod packet;
mod verdict;

#[cfg(test)]
mod acl_tests;
#[cfg(test)]
mod tests;

pub use acl::{
    AccessList, AclBinding, AclConfig, AclEngine, AclEntry, AclKind, AclMatch, AclProtocol,
    AddrSpec, PortOp, port_by_name, port_name,
};
pub use host::{
    FlowKey, HostFirewall, HostFirewallConfig, HostRule, ICMP_IDLE, MAX_FLOWS, PortRange,
    RuleProtocol, TCP_CLOSING, TCP_IDLE, UDP_IDLE,
};
pub use ios::{AclCommand, AclParseError, ConfigMode, kind_of_number, parse_line};
pub use packet::{
    Action, Direction, Ipv4Prefix, PacketError, PacketInfo, PrefixError, TcpFlags, Transport,
};
pub use verdict::{FirewallNote, MatchedBy, Verdict};
