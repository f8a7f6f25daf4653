//! NAT and PAT as a Cisco router does them (`ip nat inside source …`): a
//! sans-IO engine the router calls once per packet crossing between its
//! `ip nat inside` and `ip nat outside` interfaces.
//!
//! - [`NatConfig`]: the IOS configuration (inside/outside interfaces by
//!   index, [`StaticNat`] with optional port forwarding, [`NatPool`]s,
//!   [`DynamicNat`] rules naming an access list, [`NatTimeouts`]).
//! - [`Nat`]: configuration + translation table + statistics.
//!   [`Nat::translate`] rewrites a packet in place (addresses, TCP/UDP ports,
//!   ICMP echo ids, the packet quoted in an ICMP error, checksums) and says
//!   what it did in a [`NatOutcome`] (the trace note and `debug ip nat`
//!   line); [`Nat::poll_timeout`] / [`Nat::handle_timeout`] expire idle
//!   entries (ICMP 60 s, UDP 300 s, DNS 60 s, TCP 24 h, TCP after FIN/RST
//!   60 s, dynamic address-only 24 h).
//! - [`Nat::show_translations`] and [`Nat::show_statistics`] print the IOS
//!   `show` commands; [`Nat::clear_translations`] is `clear ip nat translation *`.
//! - Access lists are read through [`NatEnv`], which [`RouterEnv`] implements
//!   with the firewall module's [`AclConfig`](crate::firewall::AclConfig).
//!
//! ```
//! use lanlab_proto::nat::*;
//! use lanlab_proto::firewall::{AclConfig, ConfigMode};
//! use lanlab_proto::SimTime;
//! use std::net::Ipv4Addr;
//!
//! // Gi0/0 (index 0) inside, Gi0/1 (index 1) outside with 203.0.113.1; PAT for 192.168.1.0/24.
//! let mut acls = AclConfig::default();
//! acls.apply_line(&mut ConfigMode::Global, "access-list 1 permit 192.168.1.0 0.0.0.255").unwrap();
//! let config = NatConfig {
//!     inside: vec![0],
//!     outside: vec![1],
//!     dynamic: vec![DynamicNat { acl: "1".into(), target: NatTarget::Interface(1), overload: true }],
//!     ..Default::default()
//! };
//! let mut nat = Nat::new(config);
//! let addrs = [Some(Ipv4Addr::new(192, 168, 1, 1)), Some(Ipv4Addr::new(203, 0, 113, 1))];
//! let env = RouterEnv { acls: &acls, interface_addrs: &addrs };
//!
//! // A UDP datagram 192.168.1.10:5000 → 8.8.8.8:53 leaves through Gi0/1.
//! let mut packet = [
//!     0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 192, 168, 1, 10, 8, 8, 8, 8,
//!     0x13, 0x88, 0, 53, 0, 8, 0, 0,
//! ];
//! let outcome = nat.translate(SimTime::ZERO, &mut packet, 0, Some(1), &env);
//! assert_eq!(
//!     outcome.to_string(),
//!     "NAT: inside local 192.168.1.10:5000 → inside global 203.0.113.1:5000 (PAT on interface), to 8.8.8.8:53"
//! );
//! assert_eq!(&packet[12..16], &[203, 0, 113, 1]);
//! ```

mod config;
mod engine;
mod env;
mod outcome;
mod show;
mod table;
mod wire;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_icmp;
#[cfg(test)]
mod testutil;

pub use config::{
    DynamicNat, MAX_POOL_ADDRESSES, NatConfig, NatPool, NatProtocol, NatTarget, NatTimeouts,
    StaticNat, StaticPort,
};
pub use engine::Nat;
pub use env::{NatEnv, RouterEnv, acl_permits};
pub use outcome::{
    Endpoint, MappingSource, NatDirection, NatDrop, NatOutcome, Translation, Untranslated,
};
pub use show::{NatStats, TRANSLATIONS_HEADER, hms};
pub use table::{EntryKind, NatEntry};
