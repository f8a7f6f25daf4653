//! One TCP connection driving one sans-IO [`StreamServer`]: bytes read go to
//! the engine, what it outputs is written back, its timer becomes the read
//! timeout, its notes go to the log, and the connection closes when the
//! engine says so. The same driver runs SMTP, POP3, IMAP, HTTP and DNS over
//! TCP; the engines share their context (the mail store, the site, the
//! zones) behind one mutex per service.

use std::fmt::Display;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use lanlab_proto::{SimTime, StreamServer};

use super::firewall::Gate;
use super::{Clock, log, spawn_named};

/// How often an idle connection wakes up to hear of changes other
/// connections made to the shared context
/// ([`StreamServer::handle_context_change`]).
const TICK: Duration = Duration::from_millis(200);

/// A service's context, shared by all its connections.
pub type Shared<C> = Arc<Mutex<C>>;

/// Locks a service's context (a panicked connection does not poison it for
/// the others).
pub fn lock<C>(cx: &Shared<C>) -> MutexGuard<'_, C> {
    cx.lock().unwrap_or_else(|e| e.into_inner())
}

/// What one service does with its sessions' events (most only log).
pub type OnEvent<E> = fn(&'static str, E);

/// Ignores every event (the close is read from
/// [`StreamServer::is_closed`]; the notes already say what happened).
pub fn ignore_events<E>(_service: &'static str, _event: E) {}

/// A stream service as the bridge runs it.
pub struct StreamService<S: StreamServer> {
    /// Its name in logs and firewall rules (`smtp`).
    pub name: &'static str,
    /// The port it has in the lab (what firewall rules name).
    pub lab_port: u16,
    /// The context its sessions share.
    pub context: Shared<S::Context>,
    /// What it does with its sessions' events.
    pub on_event: OnEvent<S::Event>,
}

/// Accepts connections on `listener` forever, one thread each, those the
/// firewall lets through to the service's `lab_port`.
pub fn spawn_listener<S, F>(
    svc: StreamService<S>,
    listener: TcpListener,
    clock: Clock,
    gate: Arc<Gate>,
    make: F,
) -> JoinHandle<()>
where
    S: StreamServer + Send + 'static,
    S::Context: Sized + Send + 'static,
    S::Note: Display,
    F: Fn(SimTime, SocketAddr) -> S + Send + 'static,
{
    let StreamService {
        name: service,
        lab_port,
        context,
        on_event,
    } = svc;
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
                    let conn = Conn {
                        service,
                        peer,
                        clock,
                        cx: context.clone(),
                        on_event,
                    };
                    let started = spawn_named(format!("{service} {peer}"), move || {
                        conn.drive(stream, session);
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

/// One accepted connection's surroundings.
struct Conn<S: StreamServer> {
    service: &'static str,
    peer: SocketAddr,
    clock: Clock,
    cx: Shared<S::Context>,
    on_event: OnEvent<S::Event>,
}

fn flush<S: StreamServer>(stream: &mut TcpStream, s: &mut S) -> bool {
    while let Some(bytes) = s.poll_output() {
        if stream.write_all(&bytes).is_err() {
            return false;
        }
    }
    true
}

impl<S> Conn<S>
where
    S: StreamServer,
    S::Context: Sized,
    S::Note: Display,
{
    /// Logs the session's notes, hands its events on, and says whether the
    /// server is done with the connection.
    fn finished(&self, s: &mut S) -> bool {
        while let Some(note) = s.poll_note() {
            log(self.service, note);
        }
        while let Some(ev) = s.poll_event() {
            (self.on_event)(self.service, ev);
        }
        s.is_closed()
    }

    /// The client will send nothing more.
    fn end(&self, s: &mut S) {
        s.handle_end(self.clock.now(), &mut lock(&self.cx));
    }

    /// Runs the connection until either side is done.
    fn drive(self, mut stream: TcpStream, mut s: S) {
        let (service, peer, clock) = (self.service, self.peer, self.clock);
        log(service, format_args!("{peer} connected"));
        let _ = stream.set_nodelay(true);
        let mut buf = vec![0u8; 16 * 1024];
        let mut fired: Option<SimTime> = None;
        loop {
            if !flush(&mut stream, &mut s) {
                break;
            }
            if self.finished(&mut s) {
                let _ = flush(&mut stream, &mut s);
                let _ = stream.shutdown(Shutdown::Write);
                break;
            }
            let deadline = s.poll_timeout().filter(|t| Some(*t) != fired);
            let now = clock.now();
            if let Some(t) = deadline.filter(|t| *t <= now) {
                fired = Some(t);
                s.handle_timeout(now, &mut lock(&self.cx));
                continue;
            }
            let _ = stream.set_read_timeout(Some(clock.wait_until(deadline, TICK)));
            match stream.read(&mut buf) {
                Ok(0) => {
                    self.end(&mut s);
                    let _ = flush(&mut stream, &mut s);
                    let _ = self.finished(&mut s);
                    break;
                }
                Ok(n) => s.handle_input(clock.now(), &buf[..n], &mut lock(&self.cx)),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    // IMAP sessions in IDLE hear at once about mail delivered
                    // or changed by other sessions (RFC 2177).
                    s.handle_context_change(clock.now(), &lock(&self.cx));
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => {
                    log(service, format_args!("{peer}: {e}"));
                    self.end(&mut s);
                    let _ = self.finished(&mut s);
                    break;
                }
            }
        }
        log(service, format_args!("{peer} closed"));
    }
}
