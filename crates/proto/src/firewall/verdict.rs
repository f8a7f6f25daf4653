//! A filter's decision and the note that explains it in the PDU inspector.

use core::fmt;

use super::packet::{Action, Direction};

/// What decided a packet's fate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchedBy {
    /// The host firewall is off.
    Disabled,
    /// A reply (or later packet) of a connection the firewall already allowed.
    Stateful,
    /// Host firewall rule at this position (0-based; the UI shows it 1-based).
    Rule(usize),
    /// No host rule matched: the default policy for the direction.
    Default,
    /// Access-list entry with this sequence number.
    AclEntry(u32),
    /// No access-list entry matched: the implicit `deny any` at the end.
    ImplicitDeny,
    /// No access list applied in this direction (or the applied one does not exist).
    NoAcl,
}

/// A filter's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Allow or deny.
    pub action: Action,
    /// Which rule, entry or policy decided.
    pub by: MatchedBy,
    /// The explanation for the trace.
    pub note: FirewallNote,
}

impl Verdict {
    /// Whether the packet passes.
    pub fn allowed(&self) -> bool {
        self.action == Action::Allow
    }
}

/// A filter's reasoning, for the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FirewallNote {
    /// The host firewall is off.
    HostOff {
        /// Device name.
        device: String,
    },
    /// A host firewall rule matched.
    HostRule {
        /// Device name.
        device: String,
        /// 1-based rule number.
        number: usize,
        /// The rule, e.g. `deny tcp any → port 110`.
        rule: String,
    },
    /// No host rule matched; the default policy applied.
    HostDefault {
        /// Device name.
        device: String,
        /// Direction.
        direction: Direction,
        /// The policy.
        action: Action,
    },
    /// The packet belongs to a connection the firewall already allowed.
    HostStateful {
        /// Device name.
        device: String,
    },
    /// An access-list entry matched.
    AclEntry {
        /// List name or number.
        acl: String,
        /// Direction.
        direction: Direction,
        /// Interface name.
        interface: String,
        /// The entry as `show access-lists` prints it, e.g. `10 permit tcp any host 192.168.1.1 eq www`.
        entry: String,
    },
    /// The list ended without a match.
    AclImplicitDeny {
        /// List name or number.
        acl: String,
        /// Direction.
        direction: Direction,
        /// Interface name.
        interface: String,
    },
    /// The interface has a list applied that is not defined: IOS lets everything through.
    AclUndefined {
        /// List name or number.
        acl: String,
        /// Direction.
        direction: Direction,
        /// Interface name.
        interface: String,
    },
    /// No list applied on the interface in this direction.
    NoAcl {
        /// Direction.
        direction: Direction,
        /// Interface name.
        interface: String,
    },
}

impl fmt::Display for FirewallNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FirewallNote::HostOff { device } => write!(f, "firewall on {device} is off"),
            FirewallNote::HostRule {
                device,
                number,
                rule,
            } => write!(f, "firewall on {device}: rule {number} {rule}"),
            FirewallNote::HostDefault {
                device,
                direction,
                action,
            } => {
                let dir = match direction {
                    Direction::In => "inbound",
                    Direction::Out => "outbound",
                };
                write!(
                    f,
                    "firewall on {device}: no rule matches, default {dir} policy {action}"
                )
            }
            FirewallNote::HostStateful { device } => {
                write!(
                    f,
                    "firewall on {device}: part of an allowed connection, allow"
                )
            }
            FirewallNote::AclEntry {
                acl,
                direction,
                interface,
                entry,
            } => write!(f, "ACL {acl} {direction} on {interface}: {entry}"),
            FirewallNote::AclImplicitDeny {
                acl,
                direction,
                interface,
            } => write!(f, "ACL {acl} {direction} on {interface}: implicit deny"),
            FirewallNote::AclUndefined {
                acl,
                direction,
                interface,
            } => write!(
                f,
                "ACL {acl} {direction} on {interface} is not defined: everything passes"
            ),
            FirewallNote::NoAcl {
                direction,
                interface,
            } => write!(f, "no ACL {direction} on {interface}"),
        }
    }
}
