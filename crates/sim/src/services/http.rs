//! The web server service on TCP port 80: one
//! [`lanlab_proto::http::ServerSession`] per accepted connection, hosted in
//! a [`StreamSessions`] table like every stream server, serving the pages of
//! the device's [`WebServerConfig`] as it is at each request, so edits apply
//! live (RFC 9112 message syntax).

use std::net::SocketAddrV4;

use lanlab_proto::SimTime;
use lanlab_proto::http::{ServerEvent, ServerSession, WebServerConfig};

use super::app::{App, AppCx, ServiceApp, SockId, TcpEnd};
use super::stream::{Drained, StreamSessions};
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
    sessions: StreamSessions<SockId, ServerSession>,
    /// Requests answered (the access log's length).
    pub served: u64,
}

/// The site as configured now (the sessions' context).
fn site(cx: &AppCx<'_>) -> WebServerConfig {
    cx.services.http_on().cloned().unwrap_or_default()
}

impl WebServerApp {
    /// Passes on what a session produced; `live` is false once the
    /// connection is gone (nothing more can be sent on it).
    fn deliver(&mut self, cx: &mut AppCx<'_>, sock: SockId, d: Drained<ServerSession>, live: bool) {
        for n in d.notes {
            cx.note(Note::HttpServer(n));
        }
        for ev in d.events {
            if let ServerEvent::Served { .. } = ev {
                self.served += 1;
            }
        }
        if live {
            for out in d.output {
                cx.tcp_send(sock, out);
            }
            if d.closed {
                cx.tcp_close(sock);
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
        let d = self
            .sessions
            .insert(sock, ServerSession::new(cx.now, cx.start_unix));
        self.deliver(cx, sock, d, true);
    }

    fn on_data(&mut self, cx: &mut AppCx<'_>, sock: SockId, data: &[u8]) {
        let mut site = site(cx);
        if let Some(d) = self.sessions.input(sock, cx.now, data, &mut site) {
            self.deliver(cx, sock, d, true);
        }
    }

    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        let mut site = site(cx);
        if let Some(d) = self.sessions.end(sock, cx.now, &mut site) {
            self.deliver(cx, sock, d, true);
        }
        cx.tcp_close(sock);
    }

    fn on_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId, _end: TcpEnd) {
        let mut site = site(cx);
        if let Some(d) = self.sessions.end(sock, cx.now, &mut site) {
            self.deliver(cx, sock, d, false);
        }
        self.sessions.remove(sock);
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        self.sessions.poll_timeout()
    }

    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        let mut site = site(cx);
        for (_, sock) in self.sessions.due(cx.now) {
            if let Some(d) = self.sessions.timeout(sock, cx.now, &mut site) {
                self.deliver(cx, sock, d, true);
            }
        }
    }
}
