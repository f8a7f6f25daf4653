//! OSPFv2 (RFC 2328) as a sans-IO engine, and its wire formats.
//!
//! - [`packet`]: the OSPF header and the five packet types ([`Packet`] checked
//!   view, [`Repr`] parse/emit), [`fields`] their field tree and summary.
//! - [`lsa`]: LSA headers with the Fletcher checksum, router / network /
//!   summary / external LSAs.
//! - [`Ospf`]: one router's OSPF process: interfaces (point-to-point and
//!   broadcast) with hellos every 10 s and a 40 s dead interval, the
//!   neighbour state machine (Down → Init → 2-Way → ExStart → Exchange →
//!   Loading → Full), DR/BDR election, the database exchange, flooding with
//!   acknowledgements and retransmission every 5 s, the throttles
//!   (MinLSInterval, MinLSArrival, delayed acknowledgements, flood pacing:
//!   `throttle.rs`), LSA origination, aging
//!   and refresh, and SPF (Dijkstra, equal-cost paths, intra-area,
//!   inter-area through an ABR's summary LSAs, and the external default).
//!   The caller hands it packets ([`Ospf::handle_packet`]) and time
//!   ([`Ospf::handle_timeout`]); it hands back packets to send
//!   ([`Ospf::poll_transmit`]), notes ([`Ospf::poll_note`]) and routes
//!   ([`Ospf::routes`]).

mod areas;
#[cfg(test)]
mod codec_tests;
mod db;
mod engine;
mod entry;
mod exchange;
pub mod fields;
mod flood;
mod hello;
mod iface;
pub mod lsa;
mod lsa_list;
mod note;
mod origin;
pub mod packet;
mod spf;
#[cfg(test)]
mod spf_reference;
#[cfg(test)]
mod spf_tests;
#[cfg(test)]
mod tests;
mod throttle;
#[cfg(test)]
mod throttle_tests;
mod view;

use std::net::Ipv4Addr;

pub(crate) use db::Db;
pub use engine::{Entry, Ospf, Stats, Transmit};
pub use iface::{IfState, IfaceConfig, IfaceView, NbrState, NbrView, NetType};
pub use lsa::{LsType, Lsa, LsaBody, LsaHeader, LsaKey};
pub use note::{NbrEvent, OspfNote};
pub use packet::{Packet, PacketType, Repr};
pub use spf::{NextHop, OspfRoute, RouteKind};

/// IP protocol number of OSPF.
pub const IP_PROTOCOL: u8 = 89;
/// AllSPFRouters.
pub const ALL_SPF_ROUTERS: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 5);
/// AllDRouters.
pub const ALL_D_ROUTERS: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 6);
/// The backbone area.
pub const BACKBONE: Ipv4Addr = Ipv4Addr::UNSPECIFIED;

/// What is wrong with received OSPF bytes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OspfError {
    /// Fewer bytes than the headers need.
    #[error("packet is cut short")]
    Truncated,
    /// Not OSPF version 2.
    #[error("OSPF version {0} (only version 2 is spoken here)")]
    BadVersion(u8),
    /// A length field that does not fit.
    #[error("length field {0} does not match the packet")]
    BadLength(u16),
    /// The packet checksum is wrong.
    #[error("OSPF checksum is wrong")]
    BadChecksum,
    /// An LSA's Fletcher checksum is wrong.
    #[error("Fletcher checksum of {0} is wrong")]
    BadLsaChecksum(LsaKey),
    /// Authentication other than null.
    #[error("authentication type {0} is not configured (only type 0, null)")]
    Auth(u16),
    /// A packet type that does not exist.
    #[error("unknown OSPF packet type {0}")]
    UnknownType(u8),
    /// More items than any real packet carries.
    #[error("too many items in one packet")]
    TooMany,
}

/// The OSPF area as IOS prints it in `show` output: `0` for the backbone
/// written as a number when configured that way is not kept, so dotted.
pub fn area_str(a: Ipv4Addr) -> String {
    let n = u32::from(a);
    if n < 65536 {
        n.to_string()
    } else {
        a.to_string()
    }
}
