//! The protocol labels the event list shows and filters by.
//!
//! Every trace row has one label: its frame's innermost protocol as the
//! trace classified it when it recorded the hop (nothing is decoded here),
//! `ACTION` for a user's action and `TIMER` for a timer that did something.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::summary::{self, Proto};
use crate::trace::{KindView, TraceEvent};

/// The label of a trace row: its innermost protocol, `ACTION` or `TIMER`.
pub fn event_label(e: &TraceEvent) -> &'static str {
    match e.bytes() {
        Some(_) => proto_label(e.proto()),
        None => match e.view() {
            KindView::Action { .. } => "ACTION",
            _ => "TIMER",
        },
    }
}

/// The label of a frame's bytes: its innermost decoded layer.
pub fn frame_label(bytes: &[u8]) -> &'static str {
    proto_label(summary::innermost(bytes))
}

/// The label of a frame's innermost protocol (`ETH` when none decoded).
pub fn proto_label(p: Option<Proto>) -> &'static str {
    match p {
        Some(Proto::Arp) => "ARP",
        Some(Proto::Icmp) => "ICMP",
        Some(Proto::Tcp) => "TCP",
        Some(Proto::Udp) => "UDP",
        Some(Proto::Dhcp) => "DHCP",
        Some(Proto::Dns) => "DNS",
        Some(Proto::Http) => "HTTP",
        Some(Proto::Smtp) => "SMTP",
        Some(Proto::Pop3) => "POP3",
        Some(Proto::Imap) => "IMAP",
        Some(Proto::Rip) => "RIP",
        Some(Proto::Ospf) => "OSPF",
        Some(Proto::Stp) => "STP",
        Some(Proto::Ipv4) => "IPv4",
        Some(Proto::Ethernet) | None => "ETH",
    }
}

/// The protocols the event list shows and Step stops at (empty: all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtoFilter(pub BTreeSet<String>);

impl ProtoFilter {
    /// A filter letting these labels through (none: everything).
    pub fn of<'a>(labels: impl IntoIterator<Item = &'a str>) -> Self {
        ProtoFilter(labels.into_iter().map(str::to_string).collect())
    }

    /// Whether every row passes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a row with this label passes.
    pub fn shows(&self, label: &str) -> bool {
        self.0.is_empty() || self.0.contains(label)
    }

    /// Whether this trace row passes.
    pub fn shows_event(&self, e: &TraceEvent) -> bool {
        self.shows(event_label(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filter_shows_everything() {
        let f = ProtoFilter::default();
        assert!(f.shows("ARP") && f.shows("TIMER"));
        let f = ProtoFilter::of(["DHCP", "DNS"]);
        assert!(f.shows("DNS") && !f.shows("ARP"));
    }

    #[test]
    fn labels_cover_every_protocol() {
        assert_eq!(proto_label(None), "ETH");
        assert_eq!(proto_label(Some(Proto::Dhcp)), "DHCP");
        assert_eq!(frame_label(&[]), "ETH");
    }
}
