//! The host's application framework: how a UDP or TCP program (a server
//! service, the browser, `nslookup`, a mail client) runs on a host.
//!
//! An [`App`] is a value mounted on a host. The host hands it what arrives
//! for it — a datagram on a UDP port it bound, a connection accepted on a
//! TCP port it listens on, bytes on one of its connections, a name lookup's
//! result, its timer — through an [`AppCx`], and the app answers by asking
//! the context to send, connect, close, resolve or print. Those requests are
//! carried out by the host after the callback returns (so an app never
//! re-enters itself). Time is the engine's virtual time: an app's
//! [`App::poll_timeout`] is folded into the host's timer, which the engine's
//! event queue delivers.
//!
//! A *service* is an app the device's [`Services`] configuration asks for;
//! [`SERVICE_APPS`] lists them (key, "is it wanted?", constructor). The
//! host mounts and unmounts them when the configuration changes and calls
//! [`App::on_config`] on the ones that stay, so edits apply live.
//!
//! # Adding a service
//!
//! 1. Put its settings in [`Services`] (for mail: fields of
//!    [`MailService`](super::MailService), all `#[serde(default)]`).
//! 2. A TCP server whose engine implements
//!    [`StreamServer`](lanlab_proto::StreamServer) needs no app of its
//!    own: implement [`StreamService`](super::stream_app::StreamService)
//!    (ports, a session per accepted port, the sessions' context, its notes
//!    as a [`Note`] variant, what its events mean) and mount
//!    [`StreamApp<YourService>`](super::stream_app::StreamApp) — as the web
//!    server ([`super::http`]) and the mail server ([`super::mail`]) do.
//!    Any other program is a `#[derive(Clone, Debug)]` app that implements
//!    [`App`]: `bind_udp`/`listen_tcp` in `on_start`, its work in the
//!    callbacks below, [`AppCx::note`] for every decision.
//! 3. Add `pub const SERVICE: ServiceApp` and list it in [`SERVICE_APPS`].
//!
//! A desktop program (the mail client, telnet) is an app mounted by the
//! engine for a job (`Engine::mount_app`), which owns the job
//! ([`App::job`]), prints to it ([`AppCx::job`]) and calls [`AppCx::exit`]
//! when done. State the UI shows is read back with
//! [`Host::service`](crate::device::Host::service) and
//! [`AppClone::as_any`].
//!
//! ```text
//! on_start      bind_udp(53) / listen_tcp(80)
//! on_datagram   send_udp(..)
//! on_accept     (a SockId for the new connection)
//! on_data       tcp_send(sock, ..) / tcp_close(sock)
//! on_closed     the connection is gone (closed, reset, timed out, refused)
//! on_resolved   the result of cx.resolve(token, name, type)
//! on_timeout    at poll_timeout()
//! ```

use std::any::Any;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddrV4};

use lanlab_proto::SimTime;
use lanlab_proto::dns::{LookupResult, Question};
use smoltcp::wire::EthernetAddress;

use super::Services;
use crate::job::{Job, JobId};
use crate::note::Note;
use crate::shell::run::Run;

/// An app's number on its host.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AppId(pub u32);

/// A TCP connection of an app, unique on its host.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SockId(pub u32);

/// How a connection ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TcpEnd {
    /// Both sides closed normally.
    Closed,
    /// The peer reset an open connection.
    Reset,
    /// Connecting was answered with RST: nothing listens on the port.
    Refused,
    /// Retransmissions (or the SYNs) went unanswered.
    TimedOut,
    /// The host could not send at all (no address, no route, blocked by
    /// its own firewall), or a router answered the SYN with ICMP net or
    /// host unreachable.
    Unreachable,
    /// A router's access list refused the SYN: ICMP "communication
    /// administratively prohibited" (type 3 code 13, or 9/10).
    Prohibited,
}

impl fmt::Display for TcpEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TcpEnd::Closed => "closed",
            TcpEnd::Reset => "reset by the peer",
            TcpEnd::Refused => "refused",
            TcpEnd::TimedOut => "timed out",
            TcpEnd::Unreachable => "no route to the server",
            TcpEnd::Prohibited => "blocked by a router's access list",
        })
    }
}

/// A datagram for an app.
#[derive(Clone, Debug)]
pub struct Incoming<'a> {
    /// Sender.
    pub src: SocketAddrV4,
    /// Destination as addressed (may be a broadcast).
    pub dst: SocketAddrV4,
    /// Index of the interface it arrived on.
    pub iface: usize,
    /// That interface's address, if it has one.
    pub iface_addr: Option<Ipv4Addr>,
    /// UDP payload.
    pub payload: &'a [u8],
}

/// Where an app's datagram goes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UdpDst {
    /// Ordinary unicast (routed, ARP as usual).
    To(SocketAddrV4),
    /// 255.255.255.255 on the link of the interface with address `from`
    /// (or the first interface).
    Broadcast {
        /// Destination port.
        port: u16,
    },
    /// To a client without an address: IP destination `ip`, frame
    /// straight to `mac` without ARP (a DHCP server's reply).
    Hardware {
        /// IP destination.
        ip: Ipv4Addr,
        /// Ethernet destination.
        mac: EthernetAddress,
        /// Destination port.
        port: u16,
    },
}

/// What an app asked the host to do; carried out after the callback.
#[derive(Debug)]
pub(crate) enum Cmd {
    BindUdp(u16),
    ListenTcp(u16),
    Udp {
        from: Option<Ipv4Addr>,
        src_port: u16,
        dst: UdpDst,
        payload: Vec<u8>,
    },
    Connect {
        sock: SockId,
        remote: SocketAddrV4,
    },
    Send {
        sock: SockId,
        bytes: Vec<u8>,
    },
    Close {
        sock: SockId,
    },
    Abort {
        sock: SockId,
    },
    Resolve {
        token: u64,
        question: Question,
        server: Option<IpAddr>,
    },
    StartRun {
        job: JobId,
        run: Box<Run>,
    },
    Exit,
}

/// What an app may touch during a callback.
pub struct AppCx<'a> {
    /// Virtual time.
    pub now: SimTime,
    /// Wall clock (Unix seconds) at virtual time zero, for `Date` headers.
    pub start_unix: u64,
    /// The device's name (`Server0`), for notes.
    pub device: &'a str,
    /// The device's services configuration, as it is now.
    pub services: &'a Services,
    /// The host's interface addresses, in port order.
    pub addrs: &'a [Option<Ipv4Addr>],
    pub(crate) cmds: &'a mut Vec<Cmd>,
    pub(crate) notes: &'a mut Vec<Note>,
    /// Whether the notes are kept (the trace records): when not, they are
    /// not even made.
    pub(crate) noting: bool,
    pub(crate) jobs: &'a mut Vec<Job>,
    pub(crate) next_sock: &'a mut u32,
}

impl AppCx<'_> {
    /// Records a decision in the trace (when it records; the conversion,
    /// which may box the note, is skipped when it does not).
    pub fn note(&mut self, n: impl Into<Note>) {
        if self.noting {
            self.notes.push(n.into());
        }
    }

    /// The job `id`, to print to or finish.
    pub fn job(&mut self, id: JobId) -> Option<&mut Job> {
        self.jobs.get_mut(id.0 as usize)
    }

    /// Receives datagrams to UDP `port` (on every interface).
    pub fn bind_udp(&mut self, port: u16) {
        self.cmds.push(Cmd::BindUdp(port));
    }

    /// Accepts TCP connections on `port`; each arrives in [`App::on_accept`].
    pub fn listen_tcp(&mut self, port: u16) {
        self.cmds.push(Cmd::ListenTcp(port));
    }

    /// Sends a datagram from `src_port` (source address: the interface
    /// with address `from`, or the one the route picks).
    pub fn send_udp(
        &mut self,
        from: Option<Ipv4Addr>,
        src_port: u16,
        dst: UdpDst,
        payload: Vec<u8>,
    ) {
        self.cmds.push(Cmd::Udp {
            from,
            src_port,
            dst,
            payload,
        });
    }

    /// Opens a TCP connection; [`App::on_connected`] or [`App::on_closed`] follows.
    pub fn connect(&mut self, remote: SocketAddrV4) -> SockId {
        let sock = SockId(*self.next_sock);
        *self.next_sock += 1;
        self.cmds.push(Cmd::Connect { sock, remote });
        sock
    }

    /// Queues bytes on a connection.
    pub fn tcp_send(&mut self, sock: SockId, bytes: Vec<u8>) {
        self.cmds.push(Cmd::Send { sock, bytes });
    }

    /// Closes a connection after what was queued is sent (FIN).
    pub fn tcp_close(&mut self, sock: SockId) {
        self.cmds.push(Cmd::Close { sock });
    }

    /// Drops a connection at once (RST).
    pub fn tcp_abort(&mut self, sock: SockId) {
        self.cmds.push(Cmd::Abort { sock });
    }

    /// Looks a name up with the host's resolver (its DNS servers, or
    /// `server`); the result comes to [`App::on_resolved`] with `token`.
    pub fn resolve(&mut self, token: u64, question: Question, server: Option<IpAddr>) {
        self.cmds.push(Cmd::Resolve {
            token,
            question,
            server,
        });
    }

    /// Hands job `job` over to `ping`/`tracert` (after resolving a name).
    pub fn start_run(&mut self, job: JobId, run: Run) {
        self.cmds.push(Cmd::StartRun {
            job,
            run: Box::new(run),
        });
    }

    /// Unmounts this app once the callback returns (its ports close, its
    /// connections are aborted).
    pub fn exit(&mut self) {
        self.cmds.push(Cmd::Exit);
    }
}

/// Cloning a boxed app (the engine's state is `Clone`). Implemented for
/// every `App + Clone`.
pub trait AppClone {
    /// A copy in a new box.
    fn clone_box(&self) -> Box<dyn App>;
    /// For reading the app's state (`ipconfig`, the lease page).
    fn as_any(&self) -> &dyn Any;
    /// For changing the app's state from the engine (the mail client's buttons).
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: App + Clone + 'static> AppClone for T {
    fn clone_box(&self) -> Box<dyn App> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl Clone for Box<dyn App> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// An app in a host's `Debug` form: its name. `Debug` is no supertrait of
/// [`App`]: every app's vtable would then hold its `Debug`, and with it the
/// `Debug` of all its state, which nothing in the engine prints (about
/// 15 KB brotli of the worker's wasm).
impl fmt::Debug for dyn App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("App").field(&self.name()).finish()
    }
}

/// A program running on a host. Every callback has a default that does
/// nothing, so an app implements only what it uses.
#[allow(unused_variables)]
pub trait App: AppClone {
    /// A short name for the app (`DHCP server`, `browser`).
    fn name(&self) -> &'static str;
    /// Mounted: bind ports, start work.
    fn on_start(&mut self, cx: &mut AppCx<'_>) {}
    /// The device's services configuration changed.
    fn on_config(&mut self, cx: &mut AppCx<'_>) {}
    /// A datagram arrived on a bound UDP port.
    fn on_datagram(&mut self, cx: &mut AppCx<'_>, d: &Incoming<'_>) {}
    /// A connection was accepted on a listening port.
    fn on_accept(
        &mut self,
        cx: &mut AppCx<'_>,
        sock: SockId,
        local: SocketAddrV4,
        remote: SocketAddrV4,
    ) {
    }
    /// A connection this app opened is established.
    fn on_connected(&mut self, cx: &mut AppCx<'_>, sock: SockId) {}
    /// Bytes arrived on a connection.
    fn on_data(&mut self, cx: &mut AppCx<'_>, sock: SockId, data: &[u8]) {}
    /// The peer will send nothing more (FIN).
    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {}
    /// The connection is gone.
    fn on_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId, end: TcpEnd) {}
    /// A lookup asked with [`AppCx::resolve`] finished.
    fn on_resolved(&mut self, cx: &mut AppCx<'_>, token: u64, result: &LookupResult) {}
    /// A line typed into the job this app works for (`telnet`).
    fn on_input(&mut self, cx: &mut AppCx<'_>, line: &str) {}
    /// When the app next wants [`App::on_timeout`].
    fn poll_timeout(&self) -> Option<SimTime> {
        None
    }
    /// Its timer is due.
    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {}
    /// The service is removed: finish jobs, say goodbye.
    fn on_stop(&mut self, cx: &mut AppCx<'_>) {}
    /// The job this app works for, if any (finished as failed when the
    /// device is switched off).
    fn job(&self) -> Option<JobId> {
        None
    }
}

/// A service app the configuration can ask for.
pub struct ServiceApp {
    /// Unique key (`dhcp`, `dns`, `http`, `smtp`, …).
    pub key: &'static str,
    /// Whether the device's services want it running.
    pub wanted: fn(&Services) -> bool,
    /// A fresh instance (then [`App::on_start`] runs).
    pub make: fn(&Services) -> Box<dyn App>,
}

/// Every service app, in mounting order.
pub static SERVICE_APPS: &[ServiceApp] = &[
    super::dhcp::SERVICE,
    super::dns::SERVICE,
    super::http::SERVICE,
    super::mail::app::SERVICE,
    super::mail::app::CLIENT,
];
