//! The web server service on TCP port 80: one
//! [`lanlab_proto::http::ServerSession`] per accepted connection, serving
//! the pages of the device's [`WebServerConfig`] as it is at each request,
//! so edits apply live (RFC 9112 message syntax).

use std::collections::BTreeMap;
use std::net::SocketAddrV4;

use lanlab_proto::SimTime;
use lanlab_proto::http::{ServerEvent, ServerSession, WebServerConfig};

use super::app::{App, AppCx, ServiceApp, SockId, TcpEnd};
use crate::note::Note;

/// The HTTP port.
pub const HTTP_PORT: u16 = 80;

/// The service entry: runs when the device's web server is on.
pub const SERVICE: ServiceApp = ServiceApp {
    key: "http",
    wanted: |s| s.http_on().is_some(),
    make: |_| Box::new(WebServerApp::default()),
};

/// The web server app.
#[derive(Clone, Debug, Default)]
pub struct WebServerApp {
    sessions: BTreeMap<SockId, ServerSession>,
    /// Requests answered (the access log's length).
    pub served: u64,
}

impl WebServerApp {
    fn drain(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        let Some(s) = self.sessions.get_mut(&sock) else {
            return;
        };
        while let Some(n) = s.poll_note() {
            cx.note(Note::HttpServer(n));
        }
        while let Some(out) = s.poll_output() {
            cx.tcp_send(sock, out);
        }
        while let Some(ev) = s.poll_event() {
            match ev {
                ServerEvent::Served { .. } => self.served += 1,
                ServerEvent::Close => cx.tcp_close(sock),
            }
        }
    }
}

impl App for WebServerApp {
    fn name(&self) -> &'static str {
        "web server"
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        cx.listen_tcp(HTTP_PORT);
    }

    fn on_accept(&mut self, cx: &mut AppCx<'_>, sock: SockId, _l: SocketAddrV4, _r: SocketAddrV4) {
        self.sessions
            .insert(sock, ServerSession::new(cx.now, cx.start_unix));
    }

    fn on_data(&mut self, cx: &mut AppCx<'_>, sock: SockId, data: &[u8]) {
        let empty = WebServerConfig::default();
        let config = cx.services.http_on().unwrap_or(&empty).clone();
        if let Some(s) = self.sessions.get_mut(&sock) {
            s.handle_input(cx.now, data, &config);
        }
        self.drain(cx, sock);
    }

    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        if let Some(s) = self.sessions.get_mut(&sock) {
            s.handle_eof(cx.now);
        }
        self.drain(cx, sock);
        cx.tcp_close(sock);
    }

    fn on_closed(&mut self, _cx: &mut AppCx<'_>, sock: SockId, _end: TcpEnd) {
        self.sessions.remove(&sock);
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        self.sessions
            .values()
            .filter_map(|s| s.poll_timeout())
            .min()
    }

    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        let due: Vec<SockId> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.poll_timeout().is_some_and(|t| t <= cx.now))
            .map(|(k, _)| *k)
            .collect();
        for sock in due {
            if let Some(s) = self.sessions.get_mut(&sock) {
                s.handle_timeout(cx.now);
            }
            self.drain(cx, sock);
        }
    }
}
