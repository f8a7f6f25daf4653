//! The web server service on TCP port 80: [`Web`], the [`StreamService`]
//! that the generic [`StreamApp`] hosts — one
//! [`lanlab_proto::http::ServerSession`] per accepted connection, serving
//! the pages of the device's [`WebServerConfig`] as it is at each request,
//! so edits apply live (RFC 9112 message syntax).

use std::net::SocketAddrV4;

use lanlab_proto::http::{ServerEvent, ServerNote, ServerSession, WebServerConfig};

use super::app::{AppCx, ServiceApp, SockId};
use super::stream_app::{Sessions, StreamApp, StreamService};
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
pub type WebServerApp = StreamApp<Web>;

/// The web server service: what [`StreamApp`] needs to know about HTTP.
#[derive(Clone, Debug, Default)]
pub struct Web {
    /// Requests answered (the access log's length).
    pub served: u64,
}

impl WebServerApp {
    /// Requests answered so far.
    pub fn served(&self) -> u64 {
        self.service().served
    }
}

impl StreamService for Web {
    type Session = ServerSession;

    const NAME: &'static str = "web server";

    fn listen_ports(&self) -> Vec<u16> {
        vec![HTTP_PORT]
    }

    fn session(
        &mut self,
        cx: &mut AppCx<'_>,
        _local: SocketAddrV4,
        _remote: SocketAddrV4,
    ) -> Option<ServerSession> {
        Some(ServerSession::new(cx.now, cx.start_unix))
    }

    /// The site as configured now.
    fn with_context<R>(&mut self, cx: &AppCx<'_>, f: impl FnOnce(&mut WebServerConfig) -> R) -> R {
        let mut site = cx.services.http_on().cloned().unwrap_or_default();
        f(&mut site)
    }

    fn note(n: ServerNote) -> Note {
        Note::HttpServer(Box::new(n))
    }

    fn on_events(
        &mut self,
        _cx: &mut AppCx<'_>,
        _sessions: &mut Sessions<Self>,
        _sock: SockId,
        events: Vec<ServerEvent>,
    ) {
        for ev in events {
            if let ServerEvent::Served { .. } = ev {
                self.served += 1;
            }
        }
    }
}
