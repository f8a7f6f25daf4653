//! The device's DHCP server on a real UDP socket.
//!
//! Loopback has no broadcast, so every reply goes back to the address and
//! port the request came from, whatever destination the engine chose
//! (broadcast, or the client's hardware address).

use std::io::ErrorKind;
use std::net::{Ipv4Addr, UdpSocket};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use lanlab_proto::dhcp::{Arrival, Server, ServerConfig};

use super::firewall::Gate;
use super::{Clock, log, spawn_named};

/// Longest sleep between lease-timer checks.
const CAP: Duration = Duration::from_secs(1);

/// Serves `config` on `udp`, as the interface with address `interface`.
pub fn spawn(
    udp: UdpSocket,
    config: ServerConfig,
    interface: Ipv4Addr,
    clock: Clock,
    gate: Arc<Gate>,
) -> JoinHandle<()> {
    spawn_named("dhcp".into(), move || {
        let mut server = Server::new(config);
        let mut buf = vec![0u8; 4096];
        loop {
            let now = clock.now();
            if server.poll_timeout().is_some_and(|t| t <= now) {
                server.handle_timeout(now);
            }
            let _ = udp.set_read_timeout(Some(clock.wait_until(server.poll_timeout(), CAP)));
            let from = match udp.recv_from(&mut buf) {
                Ok((_, from)) if !gate.allows("dhcp", from, 67, false) => None,
                Ok((n, from)) => {
                    server.handle_bytes(clock.now(), Arrival { interface }, &buf[..n]);
                    Some(from)
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                    ) =>
                {
                    None
                }
                Err(e) => {
                    log("dhcp", format_args!("udp: {e}"));
                    None
                }
            };
            while let Some(note) = server.poll_note() {
                log("dhcp", note);
            }
            while let Some(t) = server.poll_transmit() {
                // Only ever the peer that asked: the bridge sends nothing elsewhere.
                let Some(to) = from else { continue };
                log("dhcp", format_args!("{} → {to}", t.message));
                if let Err(e) = udp.send_to(&t.message.to_bytes(), to) {
                    log("dhcp", format_args!("reply to {to} not sent: {e}"));
                }
            }
        }
    })
    .expect("the DHCP thread starts")
}
