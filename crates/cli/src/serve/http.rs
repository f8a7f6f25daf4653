//! The lab's static web server on a real TCP port: one
//! [`ServerSession`] per connection, the site shared by all of them.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use lanlab_proto::SimTime;
use lanlab_proto::http::{ServerSession, WebServerConfig};

use super::Clock;
use super::firewall::Gate;
use super::stream::{StreamService, ignore_events, spawn_listener};

/// Serves `site` on `listener`. (The access log is the `Served` notes;
/// the `Served` events repeat them.)
pub fn spawn(
    listener: TcpListener,
    site: WebServerConfig,
    clock: Clock,
    gate: Arc<Gate>,
) -> JoinHandle<()> {
    let start_unix = clock.start_unix();
    spawn_listener(
        StreamService {
            name: "http",
            lab_port: 80,
            context: Arc::new(Mutex::new(site)),
            on_event: ignore_events,
        },
        listener,
        clock,
        gate,
        move |now: SimTime, _peer| ServerSession::new(now, start_unix),
    )
}
