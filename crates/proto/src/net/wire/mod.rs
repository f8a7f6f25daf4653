//! The PDU inspector's view of the link, network and transport headers
//! (Ethernet II, ARP, IPv4, ICMPv4, UDP, TCP): for each, the field tree
//! ([`crate::fields::Field`], byte ranges absolute in the frame) and the
//! tcpdump-like one-line summary, both read through `smoltcp::wire`, the
//! codec every engine here sends and receives with.
//!
//! Each `fields` function takes the bytes from its header's first octet to
//! the end of what encloses it, and `base`, the offset of that octet in the
//! frame; it returns `None` when the header does not fit. The one-line
//! summaries take smoltcp's checked views.

pub mod arp;
pub mod ethernet;
pub mod icmp;
pub mod ipv4;
pub mod tcp;
pub mod udp;

/// The well-known service on a port, as the inspector names it
/// (` (SMTP)`), or nothing.
pub fn port_name(p: u16) -> &'static str {
    match p {
        25 => " (SMTP)",
        53 => " (DNS)",
        67 => " (DHCP server)",
        68 => " (DHCP client)",
        80 => " (HTTP)",
        110 => " (POP3)",
        143 => " (IMAP)",
        23 => " (Telnet)",
        _ => "",
    }
}

#[cfg(test)]
mod tests;
