//! Telnet to a router (`line vty 0 4`): the router listens on TCP 23, and
//! every other TCP port answers a reset (RFC 793 §3.4). Each accepted
//! connection is a [`VtySession`]: the telnet option dance of a Cisco
//! router (RFC 854: `WILL ECHO`, RFC 857; `WILL SUPPRESS-GO-AHEAD`, RFC
//! 858), the vty login (`Password required, but none set`, `User Access
//! Verification`, three tries, `% Bad passwords`; with `login local` a
//! user name and that user's password), then an IOS console of its own
//! (mode and history per session).
//!
//! The router only moves bytes: what a session needs of the lab (its
//! password, its prompt, the console lines that change the configuration)
//! is served by the engine (`engine::vty`), which takes the router's
//! [`VtyEvent`]s after each event, runs the lines and hands the sessions
//! back for [`Router::vty_flush`] to send.

use std::collections::{BTreeMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddrV4};

use lanlab_proto::tcp::{Segment, reset_for};
use smoltcp::wire::IpProtocol;

use super::Router;
use crate::device::Ctx;
use crate::device::tcp::{AppTcpEvent, FRAME_HEAD, TcpStack};
use crate::lab::Device;
use crate::note::Note;
use crate::services::app::{AppId, SockId};
use crate::shell::ios::Console;

/// The telnet port (RFC 854).
pub const TELNET_PORT: u16 = 23;
/// Sessions at once: `line vty 0 4` is five lines.
pub const VTY_LINES: usize = 5;
/// Wrong passwords before the router hangs up.
pub const VTY_TRIES: u8 = 3;

use lanlab_proto::telnet::{self as tn, DO, DONT, ECHO, IAC, SGA, WILL, WONT};

/// What happened on a vty connection, for the engine.
pub(crate) type VtyEvent = (SockId, AppTcpEvent);

/// The router's telnet server: its TCP and its sessions.
#[derive(Clone, Debug)]
pub(crate) struct Vty {
    tcp: TcpStack,
    sessions: BTreeMap<SockId, VtySession>,
    events: Vec<VtyEvent>,
}

impl Vty {
    /// Listening on TCP 23; initial sequence numbers drawn from `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        let mut tcp = TcpStack::new(seed);
        tcp.listen_app(TELNET_PORT, AppId(0));
        Vty {
            tcp,
            sessions: BTreeMap::new(),
            events: Vec::new(),
        }
    }
}

/// Where a session is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stage {
    /// Asking the vty password; wrong answers so far.
    Password(u8),
    /// `login local`: asking the user name; failed logins so far.
    Username(u8),
    /// `login local`: asking this user's password; failed logins so far.
    UserPassword(u8, String),
    /// At the EXEC prompt.
    Exec,
}

/// One telnet session on a vty line.
#[derive(Clone, Debug)]
pub struct VtySession {
    /// The session's own IOS console (mode, history).
    pub(crate) console: Console,
    stage: Stage,
    iac: tn::Reader,
    /// The line being typed.
    typing: Vec<u8>,
    /// The last byte ended a line with CR (a following LF or NUL is part of it).
    after_cr: bool,
    /// Complete lines not run yet.
    lines: VecDeque<String>,
    /// Bytes to send.
    out: Vec<u8>,
    /// Hang up once `out` is sent.
    closing: bool,
    /// A `ping` or `traceroute` typed in this session, running as job
    /// `.0`, of whose output `.1` bytes were sent; typed lines wait.
    pub(crate) probe: Option<(crate::job::JobId, usize)>,
}

impl VtySession {
    /// A connection just accepted on router `d`: the option offers, the
    /// banner, then the password question or the prompt.
    pub fn open(d: &Device) -> Self {
        let mut s = VtySession {
            console: Console::vty(),
            stage: Stage::Exec,
            iac: tn::Reader::default(),
            typing: Vec::new(),
            after_cr: false,
            lines: VecDeque::new(),
            out: vec![IAC, WILL, ECHO, IAC, WILL, SGA],
            closing: false,
            probe: None,
        };
        if !d.ios.banner_motd.is_empty() {
            s.write(&format!("\n{}\n", d.ios.banner_motd));
        }
        let line = &d.ios.vty;
        if line.login_local {
            s.write("\nUser Access Verification\n\nUsername: ");
            s.stage = Stage::Username(0);
        } else if line.vty_login() {
            if line.password.is_empty() {
                s.write("\nPassword required, but none set\n");
                s.closing = true;
            } else {
                s.write("\nUser Access Verification\n\nPassword: ");
                s.stage = Stage::Password(0);
            }
        } else {
            s.write("\n");
            s.write(&s.console.prompt(d));
        }
        s
    }

    /// Whether the session hangs up once its output is sent.
    pub fn is_closing(&self) -> bool {
        self.closing
    }

    /// The client hung up: the session ends.
    pub fn hang_up(&mut self) {
        self.closing = true;
    }

    /// Takes what the session has to send.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// Text for the client: `\n` as CRLF, IAC doubled (RFC 854).
    fn write(&mut self, text: &str) {
        for b in text.bytes() {
            match b {
                b'\n' => self.out.extend_from_slice(b"\r\n"),
                IAC => self.out.extend_from_slice(&[IAC, IAC]),
                _ => self.out.push(b),
            }
        }
    }

    /// Bytes from the client: telnet commands answered or dropped, lines
    /// (ended by CR LF, CR NUL or LF) queued.
    pub fn receive(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match self.iac.push(b) {
                Some(tn::Event::Data(b)) => self.data(b),
                Some(tn::Event::Option(cmd, opt)) => self.negotiate(cmd, opt),
                None => {}
            }
        }
    }

    /// The router offers ECHO and SUPPRESS-GO-AHEAD and takes nothing else:
    /// a client's `DO` for another option gets `WONT`, its `WILL` a `DONT`.
    fn negotiate(&mut self, cmd: u8, opt: u8) {
        match cmd {
            DO if opt != ECHO && opt != SGA => self.out.extend_from_slice(&[IAC, WONT, opt]),
            WILL => self.out.extend_from_slice(&[IAC, DONT, opt]),
            _ => {}
        }
    }

    fn data(&mut self, b: u8) {
        if self.after_cr {
            self.after_cr = false;
            if b == b'\n' || b == 0 {
                return;
            }
        }
        match b {
            b'\r' | b'\n' => {
                self.after_cr = b == b'\r';
                let line = String::from_utf8_lossy(&self.typing).into_owned();
                self.typing.clear();
                self.lines.push_back(line);
            }
            _ => self.typing.push(b),
        }
    }

    /// The next typed line, echoed (a password only as the new line).
    pub fn next_line(&mut self) -> Option<String> {
        if self.closing {
            self.lines.clear();
            return None;
        }
        let line = self.lines.pop_front()?;
        if matches!(self.stage, Stage::Password(_) | Stage::UserPassword(..))
            || self.console.asking_password()
        {
            self.write("\n");
        } else {
            self.write(&format!("{line}\n"));
        }
        Some(line)
    }

    /// Runs a line at the login question, or `exit` at the EXEC prompt;
    /// gives the line back when it is for the console.
    pub fn take(&mut self, d: &Device, line: String) -> Option<String> {
        match self.stage.clone() {
            Stage::Password(wrong) => {
                if line == d.ios.vty.password {
                    self.stage = Stage::Exec;
                    self.write(&self.console.prompt(d));
                } else if wrong + 1 >= VTY_TRIES {
                    self.write("% Bad passwords\n");
                    self.closing = true;
                } else {
                    self.stage = Stage::Password(wrong + 1);
                    self.write("Password: ");
                }
                None
            }
            Stage::Username(failed) => {
                self.stage = Stage::UserPassword(failed, line);
                self.write("Password: ");
                None
            }
            Stage::UserPassword(failed, user) => {
                let known = lanlab_doc::ios::LineConfig::local_password(&d.ios.users, &user);
                if known.is_some_and(|p| p == line) {
                    self.stage = Stage::Exec;
                    self.write(&self.console.prompt(d));
                } else if failed + 1 >= VTY_TRIES {
                    self.write("\n% Login invalid\n\n");
                    self.closing = true;
                } else {
                    self.stage = Stage::Username(failed + 1);
                    self.write("\n% Login invalid\n\nUsername: ");
                }
                None
            }
            Stage::Exec if self.console.ends_session(d, &line) => {
                self.closing = true;
                None
            }
            Stage::Exec => Some(line),
        }
    }

    /// Text the session's running probe printed.
    pub(crate) fn print(&mut self, text: &str) {
        self.write(text);
    }

    /// What the console printed for a line, then the prompt.
    pub fn reply(&mut self, d: &Device, text: &str) {
        self.write(text);
        self.write(&self.console.prompt(d));
    }
}

impl Router {
    /// A TCP segment for one of the router's addresses: telnet on port 23,
    /// a reset from every other port; the sixth session is refused too.
    pub(super) fn tcp_input(
        &mut self,
        ctx: &mut Ctx<'_>,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        payload: &[u8],
    ) {
        if dst.is_broadcast()
            || self
                .ifaces
                .iter()
                .any(|i| i.net.is_some_and(|n| n.broadcast() == dst))
        {
            return;
        }
        let seg = match Segment::parse(src, dst, payload) {
            Ok(s) => s,
            Err(_) => {
                ctx.note(Note::Malformed {
                    what: "TCP segment",
                });
                return;
            }
        };
        let remote = SocketAddrV4::new(src, seg.src_port);
        let known = self.vty.tcp.sockets().iter().any(|s| s.remote == remote);
        if seg.dst_port == TELNET_PORT
            && seg.is_syn()
            && !known
            && self.vty.sessions.len() >= VTY_LINES
            && let Some(rst) = reset_for(&seg)
        {
            ctx.note(Note::TcpPortClosed { port: seg.dst_port });
            self.originate_ip(ctx, dst, src, IpProtocol::Tcp, &rst.emit(dst, src));
            return;
        }
        let mut out = Vec::new();
        self.vty
            .tcp
            .handle_segment(ctx.now, src, dst, &seg, &mut out, ctx.notes);
        self.send_segments(ctx, out);
        self.vty_drive(ctx);
    }

    fn send_segments(&mut self, ctx: &mut Ctx<'_>, out: Vec<crate::device::tcp::Out>) {
        for (src, dst, bytes) in out {
            self.originate_ip(ctx, src, dst, IpProtocol::Tcp, &bytes[FRAME_HEAD..]);
        }
    }

    /// Runs the connections and collects what happened on them.
    fn vty_drive(&mut self, ctx: &mut Ctx<'_>) {
        let mut out = Vec::new();
        self.vty.tcp.drive(ctx.now, ctx.jobs, &mut out, ctx.notes);
        self.send_segments(ctx, out);
        for (_, sock, ev) in self.vty.tcp.take_app_events() {
            if let AppTcpEvent::Ended(_) = ev {
                self.vty.sessions.remove(&sock);
            }
            self.vty.events.push((sock, ev));
        }
    }

    /// The vty connection events since the engine last asked.
    pub(crate) fn take_vty_events(&mut self) -> Vec<VtyEvent> {
        std::mem::take(&mut self.vty.events)
    }

    /// Whether there is nothing for [`Engine::serve_vty`](crate::Engine)
    /// to do: no connection events and no session running a probe.
    pub(crate) fn vty_quiet(&self) -> bool {
        self.vty.events.is_empty() && self.vty.sessions.values().all(|s| s.probe.is_none())
    }

    /// The connections whose session runs a `ping` or `traceroute`.
    pub(crate) fn vty_probing(&self) -> Vec<SockId> {
        self.vty
            .sessions
            .iter()
            .filter(|(_, s)| s.probe.is_some())
            .map(|(&k, _)| k)
            .collect()
    }

    /// The session on connection `sock`.
    pub(crate) fn vty_session(&mut self, sock: SockId) -> Option<&mut VtySession> {
        self.vty.sessions.get_mut(&sock)
    }

    /// A session starts on connection `sock`.
    pub(crate) fn vty_open(&mut self, sock: SockId, s: VtySession) {
        self.vty.sessions.insert(sock, s);
    }

    /// The telnet sessions open now (`show users`, the vty limit).
    pub fn vty_sessions(&self) -> usize {
        self.vty.sessions.len()
    }

    /// Sends what the sessions wrote, hangs up the ones that are done.
    pub(crate) fn vty_flush(&mut self, ctx: &mut Ctx<'_>) {
        let mut done = Vec::new();
        for (&sock, s) in &mut self.vty.sessions {
            let out = s.take_output();
            if !out.is_empty() {
                self.vty.tcp.app_send(sock, &out);
            }
            if s.closing {
                self.vty.tcp.app_close(sock);
                done.push(sock);
            }
        }
        for sock in done {
            self.vty.sessions.remove(&sock);
        }
        self.vty_drive(ctx);
    }

    /// When the vty connections next need their timers.
    pub(super) fn vty_poll_timeout(&self) -> Option<lanlab_proto::SimTime> {
        self.vty.tcp.poll_timeout()
    }

    /// Retransmissions and TIME-WAIT of the vty connections.
    pub(super) fn vty_timeout(&mut self, ctx: &mut Ctx<'_>) {
        if self.vty.tcp.poll_timeout().is_some_and(|t| t <= ctx.now) {
            self.vty.tcp.handle_timeout(ctx.now);
            self.vty_drive(ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{DeviceKind, Lab, Point};
    use lanlab_proto::telnet::{SB, SE};

    fn router(password: &str) -> Device {
        let mut lab = Lab::new("");
        let id = lab.add_device(DeviceKind::Router, Point::default());
        let mut d = lab.device(id).unwrap().clone();
        d.name = "R1".into();
        d.ios.vty.password = password.into();
        d
    }

    fn text(s: &mut VtySession) -> String {
        String::from_utf8_lossy(&s.take_output()).into_owned()
    }

    #[test]
    fn offers_echo_and_sga_then_asks_the_password() {
        let mut s = VtySession::open(&router("cisco"));
        let out = s.take_output();
        assert_eq!(&out[..6], &[IAC, WILL, ECHO, IAC, WILL, SGA]);
        assert_eq!(&out[6..], b"\r\nUser Access Verification\r\n\r\nPassword: ");
        assert!(!s.is_closing());
    }

    #[test]
    fn options_are_answered_and_lines_split_as_rfc_854_says() {
        let mut s = VtySession::open(&router("x"));
        s.take_output();
        // The client's answers to the offers need nothing; other offers are refused.
        s.receive(&[IAC, DO, ECHO, IAC, DO, SGA, IAC, WILL, 24, IAC, DO, 31]);
        assert_eq!(s.take_output(), vec![IAC, DONT, 24, IAC, WONT, 31]);
        // Sub-negotiation is skipped; IAC IAC is a data byte; CR NUL, CR LF and LF end lines.
        s.receive(&[IAC, SB, 24, 0, b'x', IAC, SE]);
        s.receive(b"a\r\0b\r");
        s.receive(b"\nc\n");
        s.receive(&[b'd', IAC, IAC, b'\n']);
        let mut lines = Vec::new();
        while let Some(l) = s.next_line() {
            lines.push(l);
        }
        assert_eq!(lines, ["a", "b", "c", "d\u{fffd}"]);
        // At the password question, nothing typed is echoed back.
        assert_eq!(text(&mut s), "\r\n\r\n\r\n\r\n");
    }

    #[test]
    fn passwords_are_not_echoed_and_three_wrong_ones_hang_up() {
        let d = router("cisco");
        let mut s = VtySession::open(&d);
        s.take_output();
        for (k, typed) in ["x1", "y2", "z3"].into_iter().enumerate() {
            s.receive(format!("{typed}\r\n").as_bytes());
            let line = s.next_line().unwrap();
            assert_eq!(s.take(&d, line), None);
            let out = text(&mut s);
            assert!(!out.contains(typed), "{out}");
            if k < 2 {
                assert_eq!(out, "\r\nPassword: ");
            } else {
                assert_eq!(out, "\r\n% Bad passwords\r\n");
            }
        }
        assert!(s.is_closing());
    }

    #[test]
    fn login_local_asks_a_user_and_that_users_password() {
        let mut d = router("");
        d.ios.vty.login_local = true;
        d.ios.users.push(lanlab_doc::ios::LocalUser {
            name: "admin".into(),
            password: "s3cret".into(),
        });
        let mut s = VtySession::open(&d);
        s.take_output();
        s.receive(b"admin\r\nwrong\r\nadmin\r\ns3cret\r\n");
        while let Some(l) = s.next_line() {
            assert_eq!(s.take(&d, l), None);
        }
        assert_eq!(
            text(&mut s),
            "admin\r\nPassword: \r\n\r\n% Login invalid\r\n\r\nUsername: admin\r\nPassword: \r\nR1>"
        );
        assert!(!s.is_closing());
    }

    #[test]
    fn exec_lines_are_echoed_and_exit_hangs_up() {
        let d = router("cisco");
        let mut s = VtySession::open(&d);
        s.receive(b"cisco\r\nshow version\r\nlogout\r\n");
        s.take_output();
        let l = s.next_line().unwrap();
        assert_eq!(s.take(&d, l), None);
        assert_eq!(text(&mut s), "\r\nR1>");
        let l = s.next_line().unwrap();
        assert_eq!(s.take(&d, l).as_deref(), Some("show version"));
        assert_eq!(text(&mut s), "show version\r\n");
        let l = s.next_line().unwrap();
        assert_eq!(s.take(&d, l), None);
        assert!(s.is_closing());
    }
}
