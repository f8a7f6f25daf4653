//! The lab's static web server on a real TCP port: one
//! [`ServerSession`] per connection, the site shared read-only.

use std::net::TcpListener;
use std::sync::Arc;
use std::thread::JoinHandle;

use lanlab_proto::SimTime;
use lanlab_proto::http::{ServerEvent, ServerSession, WebServerConfig};

use super::firewall::Gate;
use super::stream::{Session, spawn_listener};
use super::{Clock, log};

/// Serves `site` on `listener`.
pub fn spawn(
    listener: TcpListener,
    site: Arc<WebServerConfig>,
    clock: Clock,
    gate: Arc<Gate>,
) -> JoinHandle<()> {
    let start_unix = clock.start_unix();
    spawn_listener("http", listener, clock, gate, 80, move |now, _peer| {
        Box::new(Http {
            session: ServerSession::new(now, start_unix),
            site: site.clone(),
        })
    })
}

/// One HTTP connection.
struct Http {
    session: ServerSession,
    site: Arc<WebServerConfig>,
}

impl Session for Http {
    fn input(&mut self, now: SimTime, bytes: &[u8]) {
        self.session.handle_input(now, bytes, &self.site);
    }
    fn output(&mut self) -> Option<Vec<u8>> {
        self.session.poll_output()
    }
    fn timeout(&self) -> Option<SimTime> {
        self.session.poll_timeout()
    }
    fn on_timeout(&mut self, now: SimTime) {
        self.session.handle_timeout(now);
    }
    fn eof(&mut self, now: SimTime) {
        self.session.handle_eof(now);
    }
    fn finished(&mut self) -> bool {
        while let Some(note) = self.session.poll_note() {
            log("http", note);
        }
        let mut closed = false;
        while let Some(ev) = self.session.poll_event() {
            // `Served` repeats the access-log note just printed.
            closed |= matches!(ev, ServerEvent::Close);
        }
        closed || self.session.is_closed()
    }
}
