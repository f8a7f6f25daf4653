//! One TCP connection driving one sans-IO session engine: bytes read go to
//! the engine, what it outputs is written back, its timer becomes the read
//! timeout, and the connection closes when the engine says so.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use lanlab_proto::SimTime;

use super::firewall::Gate;
use super::{Clock, log, spawn_named};

/// How often an idle connection wakes up (for [`Session::tick`]).
const TICK: Duration = Duration::from_millis(200);

/// A server session engine as the bridge drives it.
pub trait Session: Send {
    /// Bytes from the client.
    fn input(&mut self, now: SimTime, bytes: &[u8]);
    /// Bytes to send, in order.
    fn output(&mut self) -> Option<Vec<u8>>;
    /// When [`Session::on_timeout`] is due.
    fn timeout(&self) -> Option<SimTime>;
    /// The timer fired.
    fn on_timeout(&mut self, now: SimTime);
    /// The client closed its side.
    fn eof(&mut self, now: SimTime);
    /// Drains events and notes (logging them); true when the server is done
    /// with the connection.
    fn finished(&mut self) -> bool;
    /// Called when nothing arrived for a while.
    fn tick(&mut self, _now: SimTime) {}
}

/// Accepts connections on `listener` forever, one thread each, those the
/// firewall lets through to the service's `lab_port`.
pub fn spawn_listener<F>(
    service: &'static str,
    listener: TcpListener,
    clock: Clock,
    gate: Arc<Gate>,
    lab_port: u16,
    make: F,
) -> JoinHandle<()>
where
    F: Fn(SimTime, SocketAddr) -> Box<dyn Session> + Send + 'static,
{
    spawn_named(format!("{service} listener"), move || {
        for conn in listener.incoming() {
            match conn {
                Ok(stream) => {
                    let Ok(peer) = stream.peer_addr() else {
                        continue;
                    };
                    if !gate.allows(service, peer, lab_port, true) {
                        continue; // dropping the stream closes it
                    }
                    let session = make(clock.now(), peer);
                    let started = spawn_named(format!("{service} {peer}"), move || {
                        drive(service, stream, peer, clock, session);
                    });
                    if let Err(e) = started {
                        log(
                            service,
                            format_args!("cannot start a thread for {peer}: {e}"),
                        );
                    }
                }
                Err(e) => log(service, format_args!("accept failed: {e}")),
            }
        }
    })
    .expect("a listener thread starts")
}

fn flush(stream: &mut TcpStream, s: &mut dyn Session) -> bool {
    while let Some(bytes) = s.output() {
        if stream.write_all(&bytes).is_err() {
            return false;
        }
    }
    true
}

/// Runs one connection until either side is done.
fn drive(
    service: &'static str,
    mut stream: TcpStream,
    peer: SocketAddr,
    clock: Clock,
    mut s: Box<dyn Session>,
) {
    log(service, format_args!("{peer} connected"));
    let _ = stream.set_nodelay(true);
    let mut buf = vec![0u8; 16 * 1024];
    let mut fired: Option<SimTime> = None;
    loop {
        if !flush(&mut stream, s.as_mut()) {
            break;
        }
        if s.finished() {
            let _ = flush(&mut stream, s.as_mut());
            let _ = stream.shutdown(Shutdown::Write);
            break;
        }
        let deadline = s.timeout().filter(|t| Some(*t) != fired);
        let now = clock.now();
        if let Some(t) = deadline.filter(|t| *t <= now) {
            fired = Some(t);
            s.on_timeout(now);
            continue;
        }
        let _ = stream.set_read_timeout(Some(clock.wait_until(deadline, TICK)));
        match stream.read(&mut buf) {
            Ok(0) => {
                s.eof(clock.now());
                let _ = flush(&mut stream, s.as_mut());
                let _ = s.finished();
                break;
            }
            Ok(n) => s.input(clock.now(), &buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                s.tick(clock.now());
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => {
                log(service, format_args!("{peer}: {e}"));
                s.eof(clock.now());
                let _ = s.finished();
                break;
            }
        }
    }
    log(service, format_args!("{peer} closed"));
}
