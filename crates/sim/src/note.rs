//! Notes: each device's decisions about a frame, as typed values with an
//! English `Display` ("switch learned 02:4c:… on FastEthernet0/2"). The UI
//! can word them in the user's language from the variant and its fields.

use std::fmt;
use std::net::Ipv4Addr;
use std::rc::Rc;

use crate::lab::MacAddr;

mod routing;
mod stp;

pub use routing::{Named, OspfNamed, RipNamed, RouterNames, RouterWords, secs};
pub use stp::{StpNote, StpWhat, StpWhy};

/// A port's name as notes carry it (shared, cheap to clone).
pub type PortName = Rc<str>;

/// One decision of a device.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    /// A switch added or refreshed a MAC table entry.
    SwitchLearned {
        /// The address.
        mac: MacAddr,
        /// The port it was seen on.
        port: PortName,
    },
    /// A switch saw a known address on a new port.
    SwitchMoved {
        /// The address.
        mac: MacAddr,
        /// Old port.
        from: PortName,
        /// New port.
        to: PortName,
    },
    /// A switch sent a frame out the one port its destination is on.
    SwitchForwarded {
        /// The port.
        port: PortName,
    },
    /// A switch flooded a frame (broadcast or unknown destination).
    SwitchFlooded {
        /// How many ports it went out of.
        ports: usize,
        /// Whether the destination was broadcast.
        broadcast: bool,
    },
    /// The destination is on the port the frame came from: discarded.
    SwitchFiltered {
        /// The port.
        port: PortName,
    },
    /// A frame arrived on a port spanning tree does not let forward.
    PortBlocked {
        /// The port.
        port: PortName,
    },
    /// A switch read which VLAN a frame arriving on a trunk (or tagged) is in.
    VlanIngress {
        /// The port it arrived on.
        port: PortName,
        /// Its VLAN.
        vlan: u16,
        /// Whether it carried an 802.1Q tag (the switch takes it off
        /// inside; untagged on a trunk means the native VLAN).
        tagged: bool,
    },
    /// A switch put an 802.1Q tag on a frame leaving a trunk.
    VlanTagged {
        /// The trunk port.
        port: PortName,
        /// The VLAN in the tag.
        vlan: u16,
    },
    /// A frame of a trunk's native VLAN left it untagged.
    VlanNative {
        /// The trunk port.
        port: PortName,
        /// The native VLAN.
        vlan: u16,
    },
    /// A switch flooded a frame to the ports of its VLAN only.
    VlanFlooded {
        /// The VLAN.
        vlan: u16,
        /// How many ports it went out of.
        ports: usize,
        /// Whether the destination was broadcast.
        broadcast: bool,
    },
    /// A switch port dropped a frame because of its VLAN.
    VlanDropped {
        /// The port it arrived on.
        port: PortName,
        /// Why.
        reason: VlanDrop,
    },
    /// A router got a frame tagged for a VLAN none of its sub-interfaces has.
    NoSubInterface {
        /// The port it arrived on.
        port: PortName,
        /// The tag's VLAN.
        vlan: u16,
    },
    /// A multilayer switch without `ip routing` got a packet for another
    /// subnet on a VLAN interface: its SVIs are management addresses only.
    NotRouting {
        /// The packet's destination.
        dst: Ipv4Addr,
    },
    /// A multilayer switch handed a frame of a VLAN to that VLAN's
    /// interface (`interface vlan N`): for its own MAC, or a broadcast.
    SviReceived {
        /// The VLAN.
        vlan: u16,
    },
    /// A frame that cannot be decoded.
    Malformed {
        /// Which layer failed.
        what: &'static str,
    },
    /// A NIC ignored a frame for another MAC address.
    NotForMe {
        /// The frame's destination.
        dst: MacAddr,
    },
    /// An ARP request for someone else was ignored.
    ArpNotForMe {
        /// The address asked for.
        target: Ipv4Addr,
    },
    /// A device learned an address from ARP.
    ArpLearned {
        /// The address.
        ip: Ipv4Addr,
        /// Its MAC.
        mac: MacAddr,
    },
    /// A device answered an ARP request for its own address.
    ArpReplied {
        /// Its address.
        ip: Ipv4Addr,
        /// Who asked.
        to: Ipv4Addr,
    },
    /// A device broadcast an ARP request.
    ArpRequested {
        /// The address looked for.
        ip: Ipv4Addr,
    },
    /// A packet waits for an ARP answer.
    ArpQueued {
        /// The next hop.
        ip: Ipv4Addr,
    },
    /// Nobody answered ARP: packets dropped.
    ArpFailed {
        /// The next hop.
        ip: Ipv4Addr,
        /// Packets dropped.
        dropped: usize,
    },
    /// An echo request was answered.
    EchoReplied {
        /// To whom.
        to: Ipv4Addr,
    },
    /// An echo reply or ICMP error was handed to `ping`/`tracert`.
    IcmpToApp {
        /// From whom.
        from: Ipv4Addr,
    },
    /// A host received an IPv4 packet that is not addressed to it.
    IpNotForMe {
        /// The packet's destination.
        dst: Ipv4Addr,
    },
    /// What NAT did with a packet crossing the router (the mapping it
    /// used, why it was not translated, or why it was dropped).
    Nat(Box<lanlab_proto::nat::NatOutcome>),
    /// What the router's OSPF process did.
    Ospf(Box<OspfNamed>),
    /// The router's OSPF process installed a newer LSA received from a
    /// neighbour and floods it on: `OspfNote::Installed`, the most
    /// frequent OSPF note by far, kept out of a box (one allocation less
    /// per LSA), and worded exactly as [`Note::Ospf`] words it
    /// ([`Note::ospf_installed`]).
    OspfInstalled {
        /// Which LSA.
        key: lanlab_proto::ospf::LsaKey,
        /// Its sequence number.
        seq: u32,
        /// The neighbour it came from.
        from: Ipv4Addr,
        /// The router that installed it and the lab's names.
        names: Rc<RouterWords>,
    },
    /// A switch's spanning tree decision.
    Stp(Box<StpNote>),
    /// A router forwarded a packet.
    Forwarded {
        /// Destination.
        dst: Ipv4Addr,
        /// Next hop, or `None` when delivered on the link.
        via: Option<Ipv4Addr>,
        /// Outgoing interface.
        port: PortName,
        /// TTL after decrement.
        ttl: u8,
    },
    /// No route to the destination: dropped, ICMP net unreachable sent.
    NoRoute {
        /// The destination.
        dst: Ipv4Addr,
    },
    /// TTL ran out: dropped, ICMP time exceeded sent.
    TtlExpired {
        /// The packet's source, told about it.
        src: Ipv4Addr,
        /// The packet's destination.
        dst: Ipv4Addr,
    },
    /// An access list denied a packet: ICMP destination unreachable,
    /// communication administratively prohibited (type 3 code 13) sent back.
    AdminProhibitedSent {
        /// Told whom (the packet's source).
        to: Ipv4Addr,
        /// The packet's destination.
        dst: Ipv4Addr,
    },
    /// ICMP host unreachable sent back after ARP failed.
    HostUnreachableSent {
        /// Told whom.
        to: Ipv4Addr,
        /// About which destination.
        dst: Ipv4Addr,
    },
    /// A host has no way to reach an address.
    NoGateway {
        /// The destination.
        dst: Ipv4Addr,
    },
    /// A UDP datagram for a closed port.
    PortUnreachable {
        /// The port.
        port: u16,
    },
    /// A broadcast datagram for a UDP port nothing listens on: ignored.
    BroadcastIgnored {
        /// The port.
        port: u16,
    },
    /// A UDP datagram was queued on a socket.
    UdpDelivered {
        /// The port.
        port: u16,
    },
    /// A TCP segment for a port nobody listens on: answered with RST.
    TcpPortClosed {
        /// The port.
        port: u16,
    },
    /// A decision of a TCP connection.
    Tcp(lanlab_proto::tcp::Note),
    /// A packet for the host itself went through the loopback, not the wire.
    Loopback {
        /// Its destination.
        dst: Ipv4Addr,
    },
    /// A decision of a DHCP server.
    DhcpServer(lanlab_proto::dhcp::ServerNote),
    /// A decision of a host's DHCP client.
    DhcpClient(lanlab_proto::dhcp::ClientNote),
    /// A decision of a router's DHCP relay agent.
    DhcpRelay(lanlab_proto::dhcp::RelayNote),
    /// A decision of a DNS server or resolver.
    Dns(Box<lanlab_proto::dns::Note>),
    /// A mail server's or mail client's step (every SMTP/POP3/IMAP command and reply).
    Mail(Box<crate::services::mail::MailNote>),
    /// A decision of a web server.
    HttpServer(Box<lanlab_proto::http::ServerNote>),
    /// A decision of a browser.
    Browser(lanlab_proto::http::BrowserNote),
    /// A host firewall's or router ACL's verdict on a packet it dropped.
    Firewall(Box<lanlab_proto::firewall::FirewallNote>),
    /// A decision of a router's RIP process.
    Rip(Box<RipNamed>),
    /// A device does not handle this protocol.
    Unsupported {
        /// What.
        what: &'static str,
    },
}

// The large, rare notes are boxed (see the test `a_note_is_small`); the
// contexts box them only when the trace records.
impl From<crate::services::mail::MailNote> for Note {
    fn from(n: crate::services::mail::MailNote) -> Note {
        Note::Mail(Box::new(n))
    }
}

impl From<lanlab_proto::dns::Note> for Note {
    fn from(n: lanlab_proto::dns::Note) -> Note {
        Note::Dns(Box::new(n))
    }
}

impl From<lanlab_proto::firewall::FirewallNote> for Note {
    fn from(n: lanlab_proto::firewall::FirewallNote) -> Note {
        Note::Firewall(Box::new(n))
    }
}

/// Why a switch port drops a frame because of its VLAN.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum VlanDrop {
    /// An 802.1Q-tagged frame arrived on an access port.
    TaggedOnAccess,
    /// The frame's VLAN is not in the switch's VLAN database.
    NoSuchVlan(u16),
    /// The frame's VLAN is not allowed on this trunk.
    NotAllowed(u16),
}

impl fmt::Display for VlanDrop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VlanDrop::TaggedOnAccess => f.write_str("an access port takes no 802.1Q-tagged frames"),
            VlanDrop::NoSuchVlan(v) => write!(
                f,
                "VLAN {v} does not exist on this switch (create it with vlan {v})"
            ),
            VlanDrop::NotAllowed(v) => write!(
                f,
                "VLAN {v} is not in the trunk's allowed list (switchport trunk allowed vlan)"
            ),
        }
    }
}

impl Note {
    /// An [`Note::OspfInstalled`] as the boxed OSPF note it stands for.
    pub fn ospf_installed(&self) -> Option<OspfNamed> {
        match self {
            Note::OspfInstalled {
                key,
                seq,
                from,
                names,
            } => Some(names.ospf(lanlab_proto::ospf::OspfNote::Installed {
                key: *key,
                seq: *seq,
                from: *from,
            })),
            _ => None,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::SwitchLearned { mac, port } => write!(f, "switch learned {mac} on {port}"),
            Note::SwitchMoved { mac, from, to } => {
                write!(f, "switch moved {mac} from {from} to {to}")
            }
            Note::SwitchForwarded { port } => write!(f, "switch forwards out {port}"),
            Note::SwitchFlooded { ports, broadcast } => write!(
                f,
                "switch floods out {ports} port{} ({})",
                if *ports == 1 { "" } else { "s" },
                if *broadcast {
                    "broadcast"
                } else {
                    "unknown destination"
                }
            ),
            Note::SwitchFiltered { port } => {
                write!(
                    f,
                    "switch discards: destination is on {port}, where it came from"
                )
            }
            Note::PortBlocked { port } => {
                write!(
                    f,
                    "{port} is not forwarding (spanning tree): frame discarded"
                )
            }
            Note::Stp(n) => write!(f, "{n}"),
            Note::VlanIngress {
                port,
                vlan,
                tagged: true,
            } => write!(
                f,
                "802.1Q tag on trunk {port}: the frame is in VLAN {vlan}; the switch takes the tag off inside"
            ),
            Note::VlanIngress {
                port,
                vlan,
                tagged: false,
            } => write!(
                f,
                "untagged frame on trunk {port}: it is in the native VLAN {vlan}"
            ),
            Note::VlanTagged { port, vlan } => {
                write!(f, "trunk {port}: 802.1Q tag for VLAN {vlan} added")
            }
            Note::VlanNative { port, vlan } => write!(
                f,
                "trunk {port}: VLAN {vlan} is its native VLAN, sent untagged"
            ),
            Note::VlanFlooded {
                vlan,
                ports,
                broadcast,
            } => write!(
                f,
                "switch floods in VLAN {vlan} only: out {ports} port{} ({})",
                if *ports == 1 { "" } else { "s" },
                if *broadcast {
                    "broadcast"
                } else {
                    "unknown destination"
                }
            ),
            Note::VlanDropped { port, reason } => write!(f, "{port} drops the frame: {reason}"),
            Note::NoSubInterface { port, vlan } => write!(
                f,
                "frame tagged for VLAN {vlan} on {port}, but no sub-interface has encapsulation dot1Q {vlan}: dropped"
            ),
            Note::NotRouting { dst } => write!(
                f,
                "packet for {dst} on a VLAN interface, but ip routing is off: the switch does not route it (dropped)"
            ),
            Note::SviReceived { vlan } => {
                write!(
                    f,
                    "frame for interface Vlan{vlan}: the switch's IP stack takes it"
                )
            }
            Note::Malformed { what } => write!(f, "malformed {what}: discarded"),
            Note::NotForMe { dst } => write!(f, "frame for {dst}, not this NIC: ignored"),
            Note::ArpNotForMe { target } => {
                write!(f, "ARP request for {target} is not for me: ignored")
            }
            Note::ArpLearned { ip, mac } => write!(f, "ARP: {ip} is at {mac}"),
            Note::ArpReplied { ip, to } => write!(f, "ARP reply to {to}: {ip} is here"),
            Note::ArpRequested { ip } => write!(f, "ARP request: who has {ip}?"),
            Note::ArpQueued { ip } => write!(f, "packet waits for ARP answer from {ip}"),
            Note::ArpFailed { ip, dropped } => write!(
                f,
                "no ARP answer from {ip}: {dropped} packet{} dropped",
                if *dropped == 1 { "" } else { "s" }
            ),
            Note::EchoReplied { to } => write!(f, "echo reply sent to {to}"),
            Note::IcmpToApp { from } => write!(f, "ICMP from {from} handed to the command"),
            Note::IpNotForMe { dst } => write!(f, "packet for {dst} is not for me: dropped"),
            Note::Nat(o) => write!(f, "{o}"),
            Note::Ospf(o) => write!(f, "{o}"),
            Note::OspfInstalled { .. } => match self.ospf_installed() {
                Some(o) => write!(f, "{o}"),
                None => Ok(()),
            },
            Note::Forwarded {
                dst,
                via: Some(h),
                port,
                ttl,
            } => write!(f, "router: {dst} via {h} out {port}, TTL now {ttl}"),
            Note::Forwarded {
                dst,
                via: None,
                port,
                ttl,
            } => write!(
                f,
                "router: {dst} is directly connected on {port}, TTL now {ttl}"
            ),
            Note::NoRoute { dst } => write!(f, "router: no route to {dst}, dropped"),
            Note::TtlExpired { src, dst } => write!(
                f,
                "TTL expired for packet to {dst}: dropped, time exceeded sent to {src}"
            ),
            Note::HostUnreachableSent { to, dst } => {
                write!(f, "{dst} unreachable: told {to}")
            }
            Note::AdminProhibitedSent { to, dst } => write!(
                f,
                "access list denied the packet to {dst}: told {to} \"administratively prohibited\" (ICMP type 3 code 13)"
            ),
            Note::NoGateway { dst } => write!(
                f,
                "no route to {dst}: it is off this network and no default gateway is set"
            ),
            Note::PortUnreachable { port } => {
                write!(f, "UDP port {port} is closed: port unreachable sent")
            }
            Note::BroadcastIgnored { port } => write!(
                f,
                "broadcast for UDP port {port}, which no program here uses: ignored"
            ),
            Note::UdpDelivered { port } => write!(f, "UDP datagram queued on port {port}"),
            Note::TcpPortClosed { port } => {
                write!(f, "TCP port {port} is closed: connection refused (RST)")
            }
            Note::Tcp(n) => write!(f, "TCP: {n}"),
            Note::Loopback { dst } => write!(f, "packet to {dst} looped back inside the host"),
            Note::DhcpServer(n) => write!(f, "DHCP server: {n}"),
            Note::DhcpClient(n) => write!(f, "DHCP client: {n}"),
            Note::DhcpRelay(n) => write!(f, "DHCP relay: {n}"),
            Note::Dns(n) => write!(f, "DNS: {n}"),
            Note::Mail(n) => write!(f, "{n}"),
            Note::HttpServer(n) => write!(f, "web server: {n}"),
            Note::Browser(n) => write!(f, "browser: {n}"),
            Note::Firewall(n) => write!(f, "{n}"),
            Note::Rip(n) => write!(f, "{n}"),
            Note::Unsupported { what } => write!(f, "{what} is not supported here: ignored"),
        }
    }
}

#[cfg(test)]
mod tests {
    /// The trace keeps millions of notes: the large, rare ones (DNS, mail,
    /// OSPF, ...) are boxed so that a switch's or NIC's note stays small.
    #[test]
    fn a_note_is_small() {
        assert!(std::mem::size_of::<super::Note>() <= 40);
    }
}
