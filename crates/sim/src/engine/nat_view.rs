//! What the app shows of a router's NAT: its live translation table
//! ([`NatRow`]) and, for a packet the router translated, the packet before
//! and after translation with the two trace hops that carried it
//! ([`NatPair`]). Owned, serializable view models.

use lanlab_proto::nat::{Endpoint, NatDirection, Translation};
use smoltcp::wire::{EthernetFrame, EthernetProtocol, IpProtocol, Ipv4Packet};

use super::Engine;
use crate::device::Node;
use crate::note::Note;
use crate::trace::{KindView, Trace, TraceEvent};

/// One row of a router's live NAT table, as the app shows it (the columns
/// of `show ip nat translations`; outside local and global are the same
/// host here).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NatRow {
    /// `tcp`, `udp`, `icmp`, or `---` for an address-only entry.
    pub protocol: String,
    /// Inside global address (`:port` with a protocol).
    pub inside_global: String,
    /// Inside local address (`:port` with a protocol).
    pub inside_local: String,
    /// The outside host, or `---`.
    pub outside: String,
    /// Configured (`… static …`), never times out.
    pub is_static: bool,
    /// Seconds until it expires unless used; `None` for static entries.
    pub left_s: Option<u64>,
}

impl Engine {
    /// Router `device`'s live NAT table, one row per translation; `None`
    /// when NAT is not configured there.
    pub fn nat_rows(&self, device: &str) -> Option<Vec<NatRow>> {
        let dev = self.dev_by_name(device)?;
        let Node::Router(r) = &self.nodes[dev] else {
            return None;
        };
        let nat = r.nat()?;
        let now = self.now;
        Some(
            nat.entries()
                .map(|e| {
                    let ports = e.protocol.is_some();
                    let show = |p: Endpoint| {
                        if ports {
                            p.to_string()
                        } else {
                            p.addr.to_string()
                        }
                    };
                    NatRow {
                        protocol: e.protocol.map_or("---".into(), |p| p.to_string()),
                        inside_global: show(e.inside_global),
                        inside_local: show(e.inside_local),
                        outside: e.outside.map_or("---".into(), |o| o.to_string()),
                        is_static: e.is_static(),
                        left_s: e.deadline().map(|d| (d - now.min(d)).as_secs()),
                    }
                })
                .collect(),
        )
    }
}

/// How far [`Engine::nat_pair`] looks for the other hop, in trace entries.
const PAIR_WINDOW: usize = 4096;

/// A packet a router translated: its addresses before and after NAT, and
/// the trace hops that carried it into and out of the router.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NatPair {
    /// The router.
    pub router: String,
    /// From inside to outside (the source is translated) or back (the
    /// destination is).
    pub outbound: bool,
    /// Source before translation (`addr:port`, or the address alone).
    pub before_src: String,
    /// Destination before translation.
    pub before_dst: String,
    /// Source after translation.
    pub after_src: String,
    /// Destination after translation.
    pub after_dst: String,
    /// The hop that brought the packet to the router (before NAT).
    pub before_hop: usize,
    /// The hop that took it away (after NAT); `None` while it is still on
    /// the cable or if it was lost.
    pub after_hop: Option<usize>,
}

/// The translation a router noted on hop `ev`, if any.
fn translation_of(trace: &Trace, i: usize) -> Option<(&Translation, crate::lab::DeviceId)> {
    let ev = trace.get(i)?;
    let KindView::Frame { to, .. } = &ev.view() else {
        return None;
    };
    trace.notes(ev).iter().find_map(|n| match n {
        Note::Nat(o) => o.translation().map(|t| (t, to.device)),
        _ => None,
    })
}

/// (IP id, source, destination) of a frame's IPv4 packet, with ports (or
/// the ICMP query id) when it carries them.
fn ip_of(bytes: &[u8]) -> Option<(u16, Endpoint, Endpoint)> {
    let eth = EthernetFrame::new_checked(bytes).ok()?;
    if eth.ethertype() != EthernetProtocol::Ipv4 {
        return None;
    }
    let ip = Ipv4Packet::new_checked(eth.payload()).ok()?;
    let p = ip.payload();
    let (sp, dp) = match ip.next_header() {
        IpProtocol::Tcp | IpProtocol::Udp if p.len() >= 4 => (
            u16::from_be_bytes([p[0], p[1]]),
            u16::from_be_bytes([p[2], p[3]]),
        ),
        IpProtocol::Icmp if p.len() >= 6 && matches!(p[0], 0 | 8) => {
            let id = u16::from_be_bytes([p[4], p[5]]);
            (id, id)
        }
        _ => (0, 0),
    };
    Some((
        ip.ident(),
        Endpoint::new(ip.src_addr(), sp),
        Endpoint::new(ip.dst_addr(), dp),
    ))
}

/// The packet's (source, destination) before and after translation `t`.
fn ends(t: &Translation) -> ((Endpoint, Endpoint), (Endpoint, Endpoint)) {
    match t.direction {
        NatDirection::InsideToOutside => (
            (t.inside_local, t.outside_local),
            (t.inside_global, t.outside_global),
        ),
        NatDirection::OutsideToInside => (
            (t.outside_global, t.inside_global),
            (t.outside_local, t.inside_local),
        ),
    }
}

/// Whether hop `bytes`, leaving `router`, is the packet `t` translated.
fn is_after(t: &Translation, bytes: &[u8]) -> bool {
    let Some((id, src, dst)) = ip_of(bytes) else {
        return false;
    };
    let (_, (a_src, a_dst)) = ends(t);
    // An ICMP error's own header carries no ports; its quoted packet does.
    let ports = t.protocol.is_some() && !t.icmp_error;
    id == t.ip_id
        && src.addr == a_src.addr
        && dst.addr == a_dst.addr
        && (!ports || (src.port == a_src.port && dst.port == a_dst.port))
}

impl Engine {
    /// The NAT before/after view of trace entry `index`: either the hop
    /// into a router that translated the packet, or the hop that carried
    /// the translated packet away. `None` for any other entry.
    pub fn nat_pair(&self, index: usize) -> Option<NatPair> {
        let trace = &self.trace;
        let ev = trace.get(index)?;
        let (before_hop, t, router) = match translation_of(trace, index) {
            Some((t, r)) => (index, t, r),
            None => {
                // Is this the hop after a translation? Look back for it.
                let KindView::Frame { from, bytes, .. } = &ev.view() else {
                    return None;
                };
                (index.saturating_sub(PAIR_WINDOW)..index)
                    .rev()
                    .find_map(|k| {
                        let (t, r) = translation_of(trace, k)?;
                        (r == from.device && is_after(t, bytes)).then_some((k, t, r))
                    })?
            }
        };
        let after_hop = (before_hop + 1..trace.len().min(before_hop + 1 + PAIR_WINDOW)).find(|&k| {
            matches!(
                trace.get(k).map(TraceEvent::view),
                Some(KindView::Frame { from, bytes, .. }) if from.device == router && is_after(t, bytes)
            )
        });
        let ((b_src, b_dst), (a_src, a_dst)) = ends(t);
        let show = |e: Endpoint| {
            if t.protocol.is_some() {
                e.to_string()
            } else {
                e.addr.to_string()
            }
        };
        Some(NatPair {
            router: self
                .lab
                .device(router)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            outbound: t.direction == NatDirection::InsideToOutside,
            before_src: show(b_src),
            before_dst: show(b_dst),
            after_src: show(a_src),
            after_dst: show(a_dst),
            before_hop,
            after_hop,
        })
    }
}
