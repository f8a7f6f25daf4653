//! What the NAT engine asks of its router: access-list verdicts and
//! interface addresses.

use std::net::Ipv4Addr;

use crate::firewall::{AclConfig, Action, PacketInfo};

/// What NAT asks of the router it runs on.
pub trait NatEnv {
    /// Whether access list `acl` permits `packet` (first match decides, an
    /// implicit deny at the end; an undefined list permits nothing).
    fn acl_permits(&self, acl: &str, packet: &PacketInfo) -> bool;
    /// The address of interface `iface` (for `interface … overload`).
    fn interface_addr(&self, iface: usize) -> Option<Ipv4Addr>;
}

/// Whether list `acl` of `acls` permits `packet`, as NAT reads a list: the
/// first matching entry decides, nothing matching (or no such list) denies.
/// Match counters are not touched.
pub fn acl_permits(acls: &AclConfig, acl: &str, packet: &PacketInfo) -> bool {
    acls.list(acl)
        .and_then(|l| l.entries.iter().find(|e| e.matcher.matches(packet)))
        .is_some_and(|e| e.action == Action::Allow)
}

/// A [`NatEnv`] from a router's access lists and interface addresses (by index).
#[derive(Copy, Clone, Debug)]
pub struct RouterEnv<'a> {
    /// The router's access lists.
    pub acls: &'a AclConfig,
    /// Each interface's address, by index.
    pub interface_addrs: &'a [Option<Ipv4Addr>],
}

impl NatEnv for RouterEnv<'_> {
    fn acl_permits(&self, acl: &str, packet: &PacketInfo) -> bool {
        acl_permits(self.acls, acl, packet)
    }

    fn interface_addr(&self, iface: usize) -> Option<Ipv4Addr> {
        self.interface_addrs.get(iface).copied().flatten()
    }
}
