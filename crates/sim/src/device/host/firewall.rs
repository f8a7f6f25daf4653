//! The host's personal firewall ([`lanlab_proto::firewall::HostFirewall`])
//! on the packets the stack receives and sends. A drop is a trace note
//! naming the rule; each rule counts the packets it decided (its hits). A
//! *reject* also tells the sender, as netfilter's `REJECT` target does: a
//! TCP segment gets a RST, anything else an ICMP port unreachable (never
//! about an ICMP error). An outbound reject is answered inside the host, so
//! the program that sent the packet fails at once.

use std::net::Ipv4Addr;

use lanlab_proto::firewall::{
    Action, Direction, HostFirewall, HostRule, MatchedBy, PacketInfo, Transport,
};
use lanlab_proto::net::packet;
use smoltcp::wire::{IpProtocol, Ipv4Packet};

use super::Host;

/// The firewall with its rules' hit counts (engine state, not the document).
#[derive(Clone, Debug)]
pub(crate) struct LiveFirewall {
    fw: HostFirewall,
    /// Packets each rule decided, in rule order.
    hits: Vec<u64>,
}

impl std::ops::Deref for LiveFirewall {
    type Target = HostFirewall;
    fn deref(&self) -> &HostFirewall {
        &self.fw
    }
}

impl std::ops::DerefMut for LiveFirewall {
    fn deref_mut(&mut self) -> &mut HostFirewall {
        &mut self.fw
    }
}
use crate::device::Ctx;

impl Host {
    /// Builds, keeps or removes the firewall after a configuration change
    /// (its connection table survives edits to the rules).
    pub(super) fn reconfigure_firewall(&mut self) {
        match (&mut self.firewall, &self.apps.services_cfg.firewall) {
            (Some(fw), Some(c)) => {
                if fw.config() != c {
                    fw.hits = carry_hits(&fw.config().rules, &fw.hits, &c.rules);
                    fw.set_config(c.clone());
                }
            }
            (None, Some(c)) => {
                self.firewall = Some(Box::new(LiveFirewall {
                    fw: HostFirewall::new(self.apps.name.to_string(), c.clone()),
                    hits: vec![0; c.rules.len()],
                }));
            }
            (_, None) => self.firewall = None,
        }
    }

    /// How many packets each firewall rule decided, in rule order (empty
    /// without a firewall).
    pub fn firewall_hits(&self) -> &[u64] {
        self.firewall.as_ref().map_or(&[], |f| &f.hits)
    }

    fn firewall_allows(&mut self, ctx: &mut Ctx<'_>, pkt: &[u8], dir: Direction) -> bool {
        let Some(fw) = &mut self.firewall else {
            return true;
        };
        if !fw.config().enabled {
            return true;
        }
        let Ok(info) = PacketInfo::parse_ipv4(pkt) else {
            return true;
        };
        let v = fw.decide(ctx.now, &info, dir);
        if let MatchedBy::Rule(i) = v.by
            && let Some(n) = fw.hits.get_mut(i)
        {
            *n += 1;
        }
        let allowed = v.allowed();
        if !allowed {
            ctx.note(v.note);
            if v.action == Action::Reject {
                self.reject(ctx, pkt, &info, dir);
            }
        }
        allowed
    }

    /// Answers a rejected packet: RST for TCP, ICMP port unreachable for
    /// the rest; to the sender (inbound) or to this host's own stack
    /// (outbound).
    fn reject(&mut self, ctx: &mut Ctx<'_>, pkt: &[u8], info: &PacketInfo, dir: Direction) {
        let Some((proto, answer)) = rejection(pkt, info) else {
            return;
        };
        match dir {
            Direction::In => {
                let _ = self.send_ip_from(
                    ctx,
                    Some(info.dst),
                    info.src,
                    proto,
                    super::HOST_TTL,
                    &answer,
                );
            }
            Direction::Out => {
                let ip = packet::ipv4(info.dst, info.src, proto, super::HOST_TTL, 0, &answer);
                self.handle_ipv4(ctx, usize::MAX, &ip);
            }
        }
    }

    /// Whether the firewall lets an arriving packet in (notes a drop).
    pub(super) fn firewall_allows_in(&mut self, ctx: &mut Ctx<'_>, pkt: &[u8]) -> bool {
        self.firewall_allows(ctx, pkt, Direction::In)
    }

    /// Whether the firewall lets a packet out (notes a drop).
    pub(crate) fn firewall_allows_out(&mut self, ctx: &mut Ctx<'_>, pkt: &[u8]) -> bool {
        self.firewall_allows(ctx, pkt, Direction::Out)
    }
}

/// The transport payload that rejects `pkt`, with its IP protocol: a RST
/// for TCP, an ICMP port unreachable for UDP and ICMP queries, nothing for
/// an ICMP error or a RST (RFC 1122 §3.2.2: no error about an error).
fn rejection(pkt: &[u8], info: &PacketInfo) -> Option<(IpProtocol, Vec<u8>)> {
    let ip = Ipv4Packet::new_checked(pkt).ok()?;
    let (src, dst): (Ipv4Addr, Ipv4Addr) = (info.src, info.dst);
    if dst.is_broadcast() || dst.is_multicast() {
        return None;
    }
    match info.transport {
        Transport::Tcp { .. } => {
            let seg = lanlab_proto::tcp::Segment::parse(src, dst, ip.payload()).ok()?;
            let rst = lanlab_proto::tcp::reset_for(&seg)?;
            Some((IpProtocol::Tcp, rst.emit(dst, src)))
        }
        Transport::Icmp { ty, .. } if !matches!(ty, 0 | 8 | 13 | 15 | 17) => None,
        _ => Some((
            IpProtocol::Icmp,
            packet::icmp_error(packet::IcmpError::PortUnreachable, pkt)?,
        )),
    }
}

/// The hit counts for `new` rules after an edit: a rule kept (moved or not)
/// keeps its count, a new rule starts at zero.
fn carry_hits(old: &[HostRule], hits: &[u64], new: &[HostRule]) -> Vec<u64> {
    let mut taken = vec![false; old.len()];
    new.iter()
        .map(|r| {
            let found = old
                .iter()
                .enumerate()
                .position(|(i, o)| !taken[i] && o == r);
            found.map_or(0, |i| {
                taken[i] = true;
                hits.get(i).copied().unwrap_or(0)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use lanlab_proto::firewall::{Action, Direction, HostRule, RuleProtocol};

    use super::carry_hits;

    fn rule(protocol: RuleProtocol) -> HostRule {
        HostRule {
            action: Action::Deny,
            direction: Direction::In,
            protocol,
            remote: None,
            ports: None,
        }
    }

    #[test]
    fn a_moved_rule_keeps_its_hits_and_a_new_one_starts_at_zero() {
        let (tcp, icmp, udp) = (
            rule(RuleProtocol::Tcp),
            rule(RuleProtocol::Icmp),
            rule(RuleProtocol::Udp),
        );
        let old = [tcp.clone(), icmp.clone()];
        let new = [icmp.clone(), udp, tcp.clone()];
        assert_eq!(carry_hits(&old, &[3, 7], &new), vec![7, 0, 3]);
        // Two equal rules: each old count is used once.
        let twice = [icmp.clone(), icmp.clone()];
        assert_eq!(
            carry_hits(&twice, &[1, 2], std::slice::from_ref(&icmp)),
            vec![1]
        );
        assert_eq!(carry_hits(&twice, &[1, 2], &twice), vec![1, 2]);
        assert!(carry_hits(&old, &[3, 7], &[]).is_empty());
    }
}
