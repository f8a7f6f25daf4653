//! What reaches a host off the wire or through its loopback: Ethernet
//! frames, ARP, and IPv4 packets handed to ICMP, UDP (DHCP client, apps,
//! sockets) and TCP.

use std::net::SocketAddrV4;
use std::rc::Rc;

use lanlab_proto::net::udp::Delivery;
use lanlab_proto::net::{Datagram, packet};
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{
    EthernetFrame, EthernetProtocol, Icmpv4Packet, Icmpv4Repr, IpAddress, IpProtocol, Ipv4Packet,
    UdpPacket,
};

use super::{HOST_TTL, Host};
use crate::device::Ctx;
use crate::device::l3::lab_mac;
use crate::note::Note;
use crate::services::app::Incoming;

impl Host {
    /// Handles a frame that arrived on `port`. Returns whether the host
    /// may want its timer at another time now ([`Host::poll_timeout`]):
    /// `false` when it ignored the frame (not for it, a broadcast to a
    /// service it does not run, an ARP request for another address that
    /// changed no pending resolution) and had nothing else to run, so the
    /// engine need not ask again.
    pub(crate) fn handle_frame(
        &mut self,
        ctx: &mut Ctx<'_>,
        port: usize,
        frame: &Rc<[u8]>,
    ) -> bool {
        let Ok(eth) = EthernetFrame::new_checked(&frame[..]) else {
            ctx.note(Note::Malformed {
                what: "Ethernet frame",
            });
            return false;
        };
        let Some(iface) = self.ifaces.get_mut(port) else {
            return false;
        };
        let dst = eth.dst_addr();
        if dst != iface.l3.mac && !dst.is_broadcast() {
            ctx.note(Note::NotForMe { dst: lab_mac(dst) });
            return false;
        }
        let taken = match eth.ethertype() {
            EthernetProtocol::Arp => {
                // Only the ARP cache's retries count towards the timer.
                let before = iface.l3.arp.poll_timeout();
                iface.l3.handle_arp(ctx, port, eth.payload());
                iface.l3.arp.poll_timeout() != before
            }
            EthernetProtocol::Ipv4 => {
                ctx.checks.start(frame);
                self.handle_ipv4(ctx, port, eth.payload())
            }
            _ => {
                ctx.note(Note::Unsupported {
                    what: "this EtherType",
                });
                false
            }
        };
        let ran = self.pump(ctx);
        taken || ran
    }

    /// Handles an IPv4 packet that arrived on interface `in_port`
    /// (`usize::MAX`: through the loopback).
    /// Returns whether the host took the packet, `false` when it ignored
    /// it without a change (see [`Host::handle_frame`]).
    pub(super) fn handle_ipv4(&mut self, ctx: &mut Ctx<'_>, in_port: usize, bytes: &[u8]) -> bool {
        let Ok(ip) = Ipv4Packet::new_checked(bytes) else {
            ctx.note(Note::Malformed {
                what: "IPv4 packet",
            });
            return false;
        };
        // A packet off the wire is in the frame `checks` started: the
        // copies of a broadcast have their header summed once.
        let ok = if in_port == usize::MAX {
            ip.verify_checksum()
        } else {
            ctx.checks.ip_ok(|| ip.verify_checksum())
        };
        if !ok {
            ctx.note(Note::Malformed {
                what: "IPv4 packet (bad checksum)",
            });
            return false;
        }
        let (src, dst, ttl) = (ip.src_addr(), ip.dst_addr(), ip.hop_limit());
        let dhcp_client = ip.next_header() == IpProtocol::Udp
            && self.dhcp.clients.get(in_port).is_some_and(Option::is_some);
        if !self.is_mine(dst) && !dhcp_client {
            ctx.note(Note::IpNotForMe { dst });
            return false;
        }
        let total = usize::from(ip.total_len()).min(bytes.len());
        if in_port != usize::MAX && !self.firewall_allows_in(ctx, &bytes[..total]) {
            return true;
        }
        match ip.next_header() {
            IpProtocol::Icmp => {
                let Ok(p) = Icmpv4Packet::new_checked(ip.payload()) else {
                    ctx.note(Note::Malformed {
                        what: "ICMP message",
                    });
                    return true;
                };
                let Ok(repr) = Icmpv4Repr::parse(&p, &ChecksumCapabilities::default()) else {
                    ctx.note(Note::Malformed {
                        what: "ICMP message",
                    });
                    return true;
                };
                if let Icmpv4Repr::EchoRequest {
                    ident,
                    seq_no,
                    data,
                } = repr
                {
                    let reply = packet::icmp_echo(true, ident, seq_no, data);
                    if self
                        .send_ip(ctx, src, IpProtocol::Icmp, HOST_TTL, &reply)
                        .is_ok()
                    {
                        ctx.note(Note::EchoReplied { to: src });
                    }
                    return true;
                }
                let now = ctx.now;
                if let Icmpv4Repr::DstUnreachable {
                    reason,
                    header,
                    data,
                } = repr
                    && self.unreachable_to_sockets(ctx, reason, &header, data)
                {
                    ctx.note(Note::IcmpToApp { from: src });
                    return true;
                }
                for (job, run) in &mut self.runs {
                    if let Some(result) = run.echo_mut().handle_icmp(now, src, ttl, &repr) {
                        ctx.note(Note::IcmpToApp { from: src });
                        if let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
                            run.on_result(now, result, j);
                        }
                        break;
                    }
                }
            }
            IpProtocol::Udp => {
                let Ok(u) = UdpPacket::new_checked(ip.payload()) else {
                    ctx.note(Note::Malformed {
                        what: "UDP datagram",
                    });
                    return true;
                };
                let check = || u.verify_checksum(&IpAddress::Ipv4(src), &IpAddress::Ipv4(dst));
                // A packet off the wire is in the frame `checks` started.
                let ok = if in_port == usize::MAX {
                    check()
                } else {
                    ctx.checks.udp_ok(check)
                };
                if !ok {
                    ctx.note(Note::Malformed {
                        what: "UDP datagram (bad checksum)",
                    });
                    return true;
                }
                let port = u.dst_port();
                let incoming = Incoming {
                    src: SocketAddrV4::new(src, u.src_port()),
                    dst: SocketAddrV4::new(dst, port),
                    iface: in_port,
                    iface_addr: self.ifaces.get(in_port).and_then(|i| i.l3.addr()),
                    payload: u.payload(),
                };
                if port == lanlab_proto::dhcp::CLIENT_PORT
                    && self.dhcp_input(ctx, in_port, u.payload())
                {
                    return true;
                }
                if self.dispatch_udp(ctx, in_port, &incoming) {
                    return true;
                }
                // RFC 1122 §3.2.2: no ICMP error about a broadcast; a host
                // that does not run the service just ignores it.
                if dst.is_broadcast() && !self.udp.ports().any(|p| p == port) {
                    ctx.note(Note::BroadcastIgnored { port });
                    // A firewall may have counted or tracked it.
                    return self.firewall.is_some();
                }
                let d = Datagram {
                    src: SocketAddrV4::new(src, u.src_port()),
                    dst: SocketAddrV4::new(dst, u.dst_port()),
                    payload: u.payload().to_vec(),
                };
                match self.udp.deliver(d) {
                    Delivery::Queued => ctx.note(Note::UdpDelivered { port }),
                    Delivery::QueueFull => ctx.note(Note::Unsupported {
                        what: "a full UDP queue",
                    }),
                    Delivery::PortUnreachable => {
                        ctx.note(Note::PortUnreachable { port });
                        if !dst.is_broadcast()
                            && let Some(err) = packet::icmp_error(
                                packet::IcmpError::PortUnreachable,
                                &bytes[..total],
                            )
                        {
                            let _ = self.send_ip(ctx, src, IpProtocol::Icmp, HOST_TTL, &err);
                        }
                    }
                }
            }
            IpProtocol::Tcp => match lanlab_proto::tcp::Segment::parse(src, dst, ip.payload()) {
                Ok(seg) => {
                    let mut out = Vec::new();
                    self.tcp
                        .handle_segment(ctx.now, src, dst, &seg, &mut out, ctx.notes);
                    self.send_tcp(ctx, &mut out);
                }
                Err(e) => ctx.note(Note::Malformed {
                    what: match e {
                        lanlab_proto::tcp::Error::BadChecksum { .. } => {
                            "TCP segment (bad checksum)"
                        }
                        _ => "TCP segment",
                    },
                }),
            },
            _ => ctx.note(Note::Unsupported {
                what: "this IP protocol",
            }),
        }
        true
    }

    /// Hands an ICMP destination unreachable to the TCP connection or DNS
    /// lookup whose packet it quotes (`header` and the first bytes of
    /// `data`); true when one took it.
    fn unreachable_to_sockets(
        &mut self,
        ctx: &mut Ctx<'_>,
        reason: smoltcp::wire::Icmpv4DstUnreachable,
        header: &smoltcp::wire::Ipv4Repr,
        data: &[u8],
    ) -> bool {
        let (Some(sp), Some(dp)) = (data.get(0..2), data.get(2..4)) else {
            return false;
        };
        let local = SocketAddrV4::new(header.src_addr, u16::from_be_bytes([sp[0], sp[1]]));
        let remote = SocketAddrV4::new(header.dst_addr, u16::from_be_bytes([dp[0], dp[1]]));
        match header.next_header {
            IpProtocol::Tcp => self
                .tcp
                .handle_unreachable(ctx.now, local, remote, reason, ctx.jobs),
            IpProtocol::Udp => self.lookup_unreachable(ctx, local.port(), remote),
            _ => false,
        }
    }
}
