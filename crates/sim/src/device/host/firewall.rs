//! The host's personal firewall ([`lanlab_proto::firewall::HostFirewall`])
//! on the packets the stack receives and sends. A drop is a trace note
//! naming the rule.

use lanlab_proto::firewall::{Direction, HostFirewall, PacketInfo};

use super::Host;
use crate::device::Ctx;
use crate::note::Note;

impl Host {
    /// Builds, keeps or removes the firewall after a configuration change
    /// (its connection table survives edits to the rules).
    pub(super) fn reconfigure_firewall(&mut self) {
        match (&mut self.firewall, &self.apps.services_cfg.firewall) {
            (Some(fw), Some(c)) => {
                if fw.config() != c {
                    fw.set_config(c.clone());
                }
            }
            (None, Some(c)) => {
                self.firewall = Some(Box::new(HostFirewall::new(
                    self.apps.name.to_string(),
                    c.clone(),
                )));
            }
            (_, None) => self.firewall = None,
        }
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
        let allowed = v.allowed();
        if !allowed {
            ctx.note(Note::Firewall(v.note));
        }
        allowed
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
