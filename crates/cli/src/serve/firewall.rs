//! The device's personal firewall in front of the bridge (S7): every new
//! TCP connection and every datagram is checked as the packet the lab would
//! see — from the client's address to the device's address and the
//! service's lab port (25, 110, 143, 80, 53, 67), whatever port the bridge
//! really listens on. A denied connection is closed at once; a denied
//! datagram is dropped.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;

use lanlab_proto::firewall::{Direction, HostFirewall, HostFirewallConfig, PacketInfo, TcpFlags};

use super::{Clock, log};

/// The firewall check shared by every listener of the device.
#[derive(Debug)]
pub struct Gate {
    firewall: Option<Mutex<HostFirewall>>,
    device_ip: Ipv4Addr,
    clock: Clock,
}

impl Gate {
    /// A gate for `device` (address `device_ip`) with its firewall, if any.
    pub fn new(
        device: &str,
        config: Option<HostFirewallConfig>,
        device_ip: Ipv4Addr,
        clock: Clock,
    ) -> Self {
        Gate {
            firewall: config
                .filter(|c| c.enabled)
                .map(|c| Mutex::new(HostFirewall::new(device, c))),
            device_ip,
            clock,
        }
    }

    /// Whether a TCP connection (`tcp`) or UDP datagram from `peer` to the
    /// service's `lab_port` gets through; a refusal is logged with its rule.
    pub fn allows(&self, service: &str, peer: SocketAddr, lab_port: u16, tcp: bool) -> bool {
        let Some(fw) = &self.firewall else {
            return true;
        };
        let src = match peer.ip() {
            IpAddr::V4(v4) => v4,
            IpAddr::V6(v6) => v6.to_ipv4_mapped().unwrap_or(Ipv4Addr::LOCALHOST),
        };
        let packet = if tcp {
            PacketInfo::tcp(src, peer.port(), self.device_ip, lab_port, TcpFlags::SYN)
        } else {
            PacketInfo::udp(src, peer.port(), self.device_ip, lab_port)
        };
        let now = self.clock.now();
        let mut fw = fw.lock().unwrap_or_else(|e| e.into_inner());
        // Forget expired flows, so the table does not grow without end.
        fw.handle_timeout(now);
        let verdict = fw.decide(now, &packet, Direction::In);
        if !verdict.allowed() {
            log(service, format_args!("{}: {peer} refused", verdict.note));
        }
        verdict.allowed()
    }
}
