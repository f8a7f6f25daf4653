//! Layer-by-layer, tcpdump-like one-line summaries of a frame, built when
//! shown (never stored), and its classification ([`innermost`], stored with
//! each trace event when it is recorded).

use lanlab_proto::net::{dot1q, wire};
use smoltcp::wire::{
    ArpPacket, ArpRepr, EthernetFrame, EthernetProtocol, Icmpv4Packet, IpProtocol, Ipv4Packet,
    TcpPacket, UdpPacket,
};

/// The protocols the trace can be filtered by.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Proto {
    /// Ethernet II.
    Ethernet,
    /// ARP.
    Arp,
    /// IPv4.
    Ipv4,
    /// ICMPv4.
    Icmp,
    /// UDP.
    Udp,
    /// TCP.
    Tcp,
    /// DHCP (UDP 67/68).
    Dhcp,
    /// DNS (port 53).
    Dns,
    /// HTTP (TCP 80).
    Http,
    /// SMTP (TCP port 25).
    Smtp,
    /// POP3 (TCP port 110).
    Pop3,
    /// IMAP (TCP port 143).
    Imap,
    /// RIP (UDP port 520).
    Rip,
    /// OSPF (IP protocol 89).
    Ospf,
    /// Spanning tree BPDUs (IEEE 802.1D/802.1w, Cisco PVST+).
    Stp,
}

impl Proto {
    /// The layers of a frame whose innermost decoded layer is this one,
    /// outermost first (an SMTP segment is Ethernet, IPv4, TCP, SMTP).
    pub fn stack(self) -> &'static [Proto] {
        use Proto::*;
        match self {
            Ethernet => &[Ethernet],
            Arp => &[Ethernet, Arp],
            Ipv4 => &[Ethernet, Ipv4],
            Icmp => &[Ethernet, Ipv4, Icmp],
            Udp => &[Ethernet, Ipv4, Udp],
            Tcp => &[Ethernet, Ipv4, Tcp],
            Dhcp => &[Ethernet, Ipv4, Udp, Dhcp],
            Dns => &[Ethernet, Ipv4, Udp, Dns],
            Http => &[Ethernet, Ipv4, Tcp, Http],
            Smtp => &[Ethernet, Ipv4, Tcp, Smtp],
            Pop3 => &[Ethernet, Ipv4, Tcp, Pop3],
            Imap => &[Ethernet, Ipv4, Tcp, Imap],
            Rip => &[Ethernet, Ipv4, Udp, Rip],
            Ospf => &[Ethernet, Ipv4, Ospf],
            Stp => &[Ethernet, Stp],
        }
    }
}

/// One decoded layer of a frame.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Layer {
    /// Which protocol.
    pub proto: Proto,
    /// Its one-line summary.
    pub summary: String,
}

/// The layers of an Ethernet frame, outermost first. Decoding stops at the
/// first layer that does not parse; nothing here panics on any input.
///
/// A dispatcher only: each layer is read through its codec and summarised by
/// its own module in `lanlab_proto` ([`lanlab_proto::net::wire`], DHCP's and
/// DNS's `Display`, the mail protocols' and HTTP's `summarize`).
pub fn layers(frame: &[u8]) -> Vec<Layer> {
    let mut out = Vec::with_capacity(3);
    let Ok(eth) = EthernetFrame::new_checked(frame) else {
        return out;
    };
    // An 802.1Q tag is summarised with the Ethernet header it sits in
    // (tcpdump's "vlan 10, p 0, ethertype IPv4"); the walk goes on inside.
    let (ethertype, payload) = match tag_of(frame) {
        Some((tag, inner)) => {
            let mut summary = wire::ethernet::summary(&eth);
            summary = summary.replacen(&format!(", {},", eth.ethertype()), &format!(", {tag},"), 1);
            out.push(Layer {
                proto: Proto::Ethernet,
                summary,
            });
            (tag.ethertype, inner)
        }
        None => {
            out.push(Layer {
                proto: Proto::Ethernet,
                summary: wire::ethernet::summary(&eth),
            });
            (eth.ethertype(), eth.payload())
        }
    };
    if let Ok(b) = lanlab_proto::stp::frame::parse(frame) {
        out.push(Layer {
            proto: Proto::Stp,
            summary: b.to_string(),
        });
        return out;
    }
    match ethertype {
        EthernetProtocol::Arp => {
            if let Some(summary) = ArpPacket::new_checked(payload)
                .ok()
                .and_then(|p| wire::arp::summary(&p))
            {
                out.push(Layer {
                    proto: Proto::Arp,
                    summary,
                });
            }
        }
        EthernetProtocol::Ipv4 => ipv4_layers(payload, &mut out),
        _ => {}
    }
    out
}

/// The 802.1Q tag of a tagged frame and the bytes it carries.
fn tag_of(bytes: &[u8]) -> Option<(dot1q::Repr, &[u8])> {
    if bytes.get(12..14)? != dot1q::TPID.to_be_bytes() {
        return None;
    }
    let p = dot1q::Packet::new_checked(bytes.get(14..)?).ok()?;
    let r = dot1q::Repr::parse(&p).ok()?;
    Some((r, bytes.get(18..)?))
}

fn ipv4_layers(bytes: &[u8], out: &mut Vec<Layer>) {
    let Ok(ip) = Ipv4Packet::new_checked(bytes) else {
        return;
    };
    out.push(Layer {
        proto: Proto::Ipv4,
        summary: wire::ipv4::summary(&ip),
    });
    let payload = ip.payload();
    match ip.next_header() {
        IpProtocol::Icmp => {
            if let Ok(p) = Icmpv4Packet::new_checked(payload) {
                out.push(Layer {
                    proto: Proto::Icmp,
                    summary: wire::icmp::summary(&p),
                });
            }
        }
        IpProtocol::Udp => {
            if let Ok(u) = UdpPacket::new_checked(payload) {
                out.push(Layer {
                    proto: Proto::Udp,
                    summary: wire::udp::summary(&u),
                });
                app_layer_udp(u.src_port(), u.dst_port(), u.payload(), out);
            }
        }
        IpProtocol::Tcp => {
            if let Ok(t) = TcpPacket::new_checked(payload) {
                out.push(Layer {
                    proto: Proto::Tcp,
                    summary: wire::tcp::summary(&t),
                });
                if let Some(l) = mail_layer(t.src_port(), t.dst_port(), t.payload()) {
                    out.push(l);
                } else if (t.src_port() == 80 || t.dst_port() == 80) && !t.payload().is_empty() {
                    out.push(Layer {
                        proto: Proto::Http,
                        summary: lanlab_proto::http::fields::summarize(t.payload()),
                    });
                }
            }
        }
        p if u8::from(p) == lanlab_proto::ospf::IP_PROTOCOL => out.push(Layer {
            proto: Proto::Ospf,
            summary: lanlab_proto::ospf::fields::summary(payload),
        }),
        _ => {}
    }
}

/// The mail protocol a TCP segment's payload carries, by well-known port:
/// `SMTP C: EHLO pc`, `POP3 S: +OK`, `IMAP C: a1 LOGIN akbari ****`.
fn mail_layer(src: u16, dst: u16, payload: &[u8]) -> Option<Layer> {
    if payload.is_empty() {
        return None;
    }
    let (proto, from_client) = match (src, dst) {
        (_, 25) => (Proto::Smtp, true),
        (25, _) => (Proto::Smtp, false),
        (_, 110) => (Proto::Pop3, true),
        (110, _) => (Proto::Pop3, false),
        (_, 143) => (Proto::Imap, true),
        (143, _) => (Proto::Imap, false),
        _ => return None,
    };
    let summary = match proto {
        Proto::Smtp => lanlab_proto::smtp::summarize(payload, from_client),
        Proto::Pop3 => lanlab_proto::pop3::summarize(payload, from_client),
        _ => lanlab_proto::imap::summarize(payload, from_client),
    };
    Some(Layer { proto, summary })
}

/// DHCP and DNS by their well-known ports (RFC 2131 §4.1, RFC 1035 §4.2.1).
fn app_layer_udp(src: u16, dst: u16, payload: &[u8], out: &mut Vec<Layer>) {
    if lanlab_proto::dhcp::fields::is_dhcp_port(src, dst) {
        if let Ok(m) = lanlab_proto::dhcp::Message::from_bytes(payload) {
            out.push(Layer {
                proto: Proto::Dhcp,
                summary: m.to_string(),
            });
        }
    } else if (src == 53 || dst == 53)
        && let Ok(m) = lanlab_proto::dns::Message::parse(payload)
    {
        out.push(Layer {
            proto: Proto::Dns,
            summary: format!("DNS {m}"),
        });
    } else if src == lanlab_proto::rip::PORT
        && dst == lanlab_proto::rip::PORT
        && let Ok(m) = lanlab_proto::rip::Repr::from_bytes(payload)
    {
        out.push(Layer {
            proto: Proto::Rip,
            summary: m.to_string(),
        });
    }
}

/// The summary of the innermost layer that decodes (what the event list shows).
pub fn one_line(frame: &[u8]) -> String {
    let ls = layers(frame);
    match ls.len() {
        0 => format!("{} bytes, not an Ethernet frame", frame.len()),
        1 => ls[0].summary.clone(),
        // An application layer: addresses, ports, then the message.
        n if n >= 4 => {
            let ip = &ls[1].summary;
            let addrs = ip.split(':').next().unwrap_or(ip);
            let t = &ls[2].summary;
            let ports = t.split([':', ',']).next().unwrap_or(t);
            format!("{addrs}: {ports}: {}", ls[n - 1].summary)
        }
        // IP header and its payload read best together, like tcpdump.
        n if ls[n - 1].proto != Proto::Arp && n >= 3 => {
            let ip = &ls[n - 2].summary;
            let addrs = ip.split(':').next().unwrap_or(ip);
            format!("{addrs}: {}", ls[n - 1].summary)
        }
        n => ls[n - 1].summary.clone(),
    }
}

/// The innermost layer that decodes, as [`layers`] would end, without
/// building any summary text (the event list and filters call it for
/// every row).
pub fn innermost(frame: &[u8]) -> Option<Proto> {
    let eth = EthernetFrame::new_checked(frame).ok()?;
    if lanlab_proto::stp::frame::is_bpdu_dst(frame)
        && lanlab_proto::stp::frame::parse(frame).is_ok()
    {
        return Some(Proto::Stp);
    }
    let (ethertype, payload) = match tag_of(frame) {
        Some((tag, inner)) => (tag.ethertype, inner),
        None => (eth.ethertype(), eth.payload()),
    };
    match ethertype {
        EthernetProtocol::Arp => {
            let arp = ArpPacket::new_checked(payload)
                .ok()
                .and_then(|p| ArpRepr::parse(&p).ok());
            Some(if arp.is_some() {
                Proto::Arp
            } else {
                Proto::Ethernet
            })
        }
        EthernetProtocol::Ipv4 => {
            let Ok(ip) = Ipv4Packet::new_checked(payload) else {
                return Some(Proto::Ethernet);
            };
            let payload = ip.payload();
            let inner = match ip.next_header() {
                IpProtocol::Icmp => Icmpv4Packet::new_checked(payload).ok().map(|_| Proto::Icmp),
                IpProtocol::Udp => UdpPacket::new_checked(payload).ok().map(|u| {
                    let (src, dst) = (u.src_port(), u.dst_port());
                    if lanlab_proto::dhcp::fields::is_dhcp_port(src, dst) {
                        if lanlab_proto::dhcp::Message::check_bytes(u.payload()).is_ok() {
                            return Proto::Dhcp;
                        }
                    } else if (src == 53 || dst == 53)
                        && lanlab_proto::dns::Message::parse(u.payload()).is_ok()
                    {
                        return Proto::Dns;
                    } else if src == lanlab_proto::rip::PORT
                        && dst == lanlab_proto::rip::PORT
                        && lanlab_proto::rip::wire::Packet::new_checked(u.payload()).is_ok()
                    {
                        return Proto::Rip;
                    }
                    Proto::Udp
                }),
                IpProtocol::Tcp => TcpPacket::new_checked(payload).ok().map(|t| {
                    let (src, dst) = (t.src_port(), t.dst_port());
                    if t.payload().is_empty() {
                        return Proto::Tcp;
                    }
                    match (src, dst) {
                        (_, 25) | (25, _) => Proto::Smtp,
                        (_, 110) | (110, _) => Proto::Pop3,
                        (_, 143) | (143, _) => Proto::Imap,
                        (_, 80) | (80, _) => Proto::Http,
                        _ => Proto::Tcp,
                    }
                }),
                p if u8::from(p) == lanlab_proto::ospf::IP_PROTOCOL => {
                    lanlab_proto::ospf::Packet::new_checked(payload)
                        .ok()
                        .map(|_| Proto::Ospf)
                }
                _ => None,
            };
            Some(inner.unwrap_or(Proto::Ipv4))
        }
        _ => Some(Proto::Ethernet),
    }
}

/// Whether the frame carries `proto` at some layer (what [`layers`] would
/// list), from its classification alone.
pub fn has_proto(frame: &[u8], proto: Proto) -> bool {
    innermost(frame).is_some_and(|p| p.stack().contains(&proto))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanlab_proto::net::packet;
    use smoltcp::wire::{ArpOperation, EthernetAddress};
    use std::net::Ipv4Addr;

    #[test]
    fn summarises_arp_and_icmp_and_survives_garbage() {
        let a = Ipv4Addr::new(10, 0, 0, 1);
        let b = Ipv4Addr::new(10, 0, 0, 2);
        let m = EthernetAddress([2, 0, 0, 0, 0, 1]);
        let arp = packet::arp(ArpOperation::Request, m, a, EthernetAddress([0; 6]), b);
        let f = packet::ethernet(m, EthernetAddress::BROADCAST, EthernetProtocol::Arp, &arp);
        assert_eq!(one_line(&f), "ARP who-has 10.0.0.2 tell 10.0.0.1");
        let icmp = packet::icmp_echo(false, 1, 2, &[0; 32]);
        let ip = packet::ipv4(a, b, IpProtocol::Icmp, 128, 5, &icmp);
        let f = packet::ethernet(m, m, EthernetProtocol::Ipv4, &ip);
        assert_eq!(
            one_line(&f),
            "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 2, length 40"
        );
        assert!(has_proto(&f, Proto::Icmp));
        assert!(!has_proto(&f, Proto::Arp));
        assert_eq!(layers(&f).len(), 3);
        for n in 0..f.len() {
            let _ = one_line(&f[..n]);
        }
        assert_eq!(one_line(&[1, 2]), "2 bytes, not an Ethernet frame");
    }
}
