//! The DHCP server service: [`lanlab_proto::dhcp::Server`] on UDP 67
//! (RFC 2131 §4.3). Configuration edits apply live; the lease table stays.

use lanlab_proto::dhcp::{Arrival, Destination, Message, SERVER_PORT, Server};

use super::Services;
use super::app::{App, AppCx, Incoming, ServiceApp, UdpDst};
use crate::note::Note;

/// The service entry: runs when the device's DHCP service is on.
pub const SERVICE: ServiceApp = ServiceApp {
    key: "dhcp",
    wanted: |s| s.dhcp_on().is_some(),
    make: |s| Box::new(DhcpServerApp::new(s)),
};

/// The DHCP server app.
#[derive(Clone, Debug)]
pub struct DhcpServerApp {
    /// The engine: configuration and lease table.
    pub server: Server,
    /// The engine's next timeout, cached (it scans the lease table).
    next: Option<lanlab_proto::SimTime>,
}

impl DhcpServerApp {
    fn new(s: &Services) -> Self {
        DhcpServerApp {
            server: Server::new(
                s.dhcp_on()
                    .cloned()
                    .unwrap_or_else(|| lanlab_proto::dhcp::ServerConfig::new(Vec::new())),
            ),
            next: None,
        }
    }

    fn drain(&mut self, cx: &mut AppCx<'_>) {
        self.next = self.server.poll_timeout();
        while let Some(n) = self.server.poll_note() {
            cx.note(Note::DhcpServer(n));
        }
        while let Some(t) = self.server.poll_transmit() {
            let dst = match t.dst {
                Destination::Broadcast { port } => UdpDst::Broadcast { port },
                Destination::Unicast { ip, port } => {
                    UdpDst::To(std::net::SocketAddrV4::new(ip, port))
                }
                Destination::Hardware { ip, mac, port } => UdpDst::Hardware { ip, mac, port },
            };
            cx.send_udp(Some(t.src), t.src_port, dst, t.message.to_bytes());
        }
    }
}

impl App for DhcpServerApp {
    fn name(&self) -> &'static str {
        "DHCP server"
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        cx.bind_udp(SERVER_PORT);
    }

    fn on_config(&mut self, cx: &mut AppCx<'_>) {
        if let Some(c) = cx.services.dhcp_on()
            && c != self.server.config()
        {
            self.server.set_config(c.clone());
            self.next = self.server.poll_timeout();
        }
    }

    fn on_datagram(&mut self, cx: &mut AppCx<'_>, d: &Incoming<'_>) {
        let Some(interface) = d.iface_addr else {
            return;
        };
        match Message::from_bytes(d.payload) {
            Ok(m) => self
                .server
                .handle_message(cx.now, Arrival { interface }, &m),
            Err(_) => cx.note(Note::Malformed {
                what: "DHCP message",
            }),
        }
        self.drain(cx);
    }

    fn poll_timeout(&self) -> Option<lanlab_proto::SimTime> {
        self.next
    }

    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        self.server.handle_timeout(cx.now);
        self.drain(cx);
    }
}
