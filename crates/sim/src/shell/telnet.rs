//! `telnet HOST PORT`: a raw TCP terminal. The student types protocol
//! lines (HELO, USER, `a1 LOGIN …`) as the job's input
//! ([`crate::Engine::job_input`]); every line goes out with CRLF and the
//! server's replies are printed as they arrive (a prompt without its line
//! end too).
//!
//! The minimum of telnet option negotiation (RFC 854, RFC 857 ECHO, RFC
//! 858 SUPPRESS-GO-AHEAD) for a router's vty: `WILL ECHO` and `WILL SGA`
//! are accepted with `DO`, every other offer refused (`DONT` / `WONT`),
//! commands are never printed, and while the server echoes the typed lines
//! are not printed here (so a password stays hidden). A server that never
//! sends a telnet command (SMTP, POP3, IMAP) sees exactly the old client.

use std::net::SocketAddrV4;

use crate::job::JobId;
use crate::services::app::{App, AppCx, SockId, TcpEnd};

/// A running `telnet`.
#[derive(Clone, Debug)]
pub struct Telnet {
    job: JobId,
    remote: SocketAddrV4,
    sock: Option<SockId>,
    connected: bool,
    closed: bool,
    /// Bytes of a line not yet printed.
    partial: Vec<u8>,
    /// The output ends inside a line (a prompt was printed).
    mid_line: bool,
    /// Lines typed before the connection opened (the terminal keeps them).
    typed: Vec<String>,
    /// Where the telnet command parser is.
    iac: tn::Reader,
    /// The server echoes what is typed (it said `WILL ECHO`).
    remote_echo: bool,
    /// The server suppresses go-ahead (`WILL SGA`).
    remote_sga: bool,
    /// This client suppresses go-ahead (the server asked `DO SGA`).
    local_sga: bool,
}

use lanlab_proto::telnet::{self as tn, DO, DONT, ECHO, IAC, SGA, WILL, WONT};

impl Telnet {
    /// `telnet` to `remote` for job `job`.
    pub fn new(job: JobId, remote: SocketAddrV4) -> Self {
        Telnet {
            job,
            remote,
            sock: None,
            connected: false,
            closed: false,
            partial: Vec::new(),
            mid_line: false,
            typed: Vec::new(),
            iac: tn::Reader::default(),
            remote_echo: false,
            remote_sga: false,
            local_sga: false,
        }
    }

    /// Appends text to the job's output as it is.
    fn print_raw(&mut self, cx: &mut AppCx<'_>, text: &str) {
        if let Some(j) = cx.job(self.job) {
            j.print(text);
        }
    }

    /// Splits server bytes into text (kept in `partial`) and telnet
    /// commands, answering option offers; returns the answers to send.
    fn parse(&mut self, data: &[u8]) -> Vec<u8> {
        let mut answer = Vec::new();
        for &b in data {
            match self.iac.push(b) {
                Some(tn::Event::Data(b)) => self.partial.push(b),
                Some(tn::Event::Option(cmd, opt)) => self.negotiate(cmd, opt, &mut answer),
                None => {}
            }
        }
        answer
    }

    /// Answers one option command; a state already in force is not
    /// acknowledged again (RFC 854), so negotiation never loops.
    fn negotiate(&mut self, cmd: u8, opt: u8, answer: &mut Vec<u8>) {
        let mut say = |verb: u8| answer.extend_from_slice(&[IAC, verb, opt]);
        match (cmd, opt) {
            (WILL, ECHO) if !self.remote_echo => {
                self.remote_echo = true;
                say(DO);
            }
            (WILL, SGA) if !self.remote_sga => {
                self.remote_sga = true;
                say(DO);
            }
            (WILL, ECHO | SGA) => {}
            (WILL, _) => say(DONT),
            (WONT, ECHO) if self.remote_echo => {
                self.remote_echo = false;
                say(DONT);
            }
            (WONT, SGA) if self.remote_sga => {
                self.remote_sga = false;
                say(DONT);
            }
            (DO, SGA) if !self.local_sga => {
                self.local_sga = true;
                say(WILL);
            }
            (DO, SGA) => {}
            (DO, _) => say(WONT),
            (DONT, SGA) if self.local_sga => {
                self.local_sga = false;
                say(WONT);
            }
            _ => {}
        }
    }

    /// Prints the complete lines of `partial`, then what is left of it
    /// when it is whole text (a prompt such as `Password: `).
    fn print_text(&mut self, cx: &mut AppCx<'_>) {
        self.partial.retain(|&b| b != 0);
        while let Some(k) = self.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=k).collect();
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']).to_string();
            self.print_raw(cx, &text);
            self.print_raw(cx, "\n");
            self.mid_line = false;
        }
        // A CR at the end may be half of a CR LF: wait for the rest.
        let end = self.partial.len() - usize::from(self.partial.last() == Some(&b'\r'));
        if end > 0
            && let Ok(text) = std::str::from_utf8(&self.partial[..end])
        {
            let text = text.to_string();
            self.partial.drain(..end);
            self.print_raw(cx, &text);
            self.mid_line = true;
        }
    }

    fn print(&self, cx: &mut AppCx<'_>, line: &str) {
        if let Some(j) = cx.job(self.job) {
            j.println(line);
        }
    }

    fn end(&mut self, cx: &mut AppCx<'_>, ok: bool) {
        self.closed = true;
        let now = cx.now;
        if let Some(j) = cx.job(self.job) {
            j.finish(now, ok);
        }
        cx.exit();
    }
}

impl App for Telnet {
    fn name(&self) -> &'static str {
        "telnet"
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        self.print(cx, &format!("Trying {}...", self.remote.ip()));
        self.sock = Some(cx.connect(self.remote));
    }

    fn on_connected(&mut self, cx: &mut AppCx<'_>, _sock: SockId) {
        self.connected = true;
        self.print(cx, &format!("Connected to {}.", self.remote.ip()));
        if self.remote.port() != 23 {
            self.print(
                cx,
                "Type protocol lines; QUIT (or LOGOUT) ends the session.",
            );
        }
        for line in std::mem::take(&mut self.typed) {
            self.on_input(cx, &line);
        }
    }

    fn on_data(&mut self, cx: &mut AppCx<'_>, sock: SockId, data: &[u8]) {
        let answer = self.parse(data);
        if !answer.is_empty() {
            cx.tcp_send(sock, answer);
        }
        self.print_text(cx);
    }

    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        cx.tcp_close(sock);
    }

    fn on_closed(&mut self, cx: &mut AppCx<'_>, _sock: SockId, end: TcpEnd) {
        if !self.partial.is_empty() {
            let rest = String::from_utf8_lossy(&self.partial).into_owned();
            self.partial.clear();
            self.print_raw(cx, &rest);
            self.mid_line = true;
        }
        if self.mid_line {
            self.mid_line = false;
            self.print_raw(cx, "\n");
        }
        if self.connected {
            self.print(cx, "\nConnection to host lost.");
            self.end(cx, true);
        } else {
            let why = match end {
                TcpEnd::Refused => "Connect failed (connection refused)",
                TcpEnd::TimedOut => "Connect failed (timed out)",
                TcpEnd::Unreachable => "Connect failed (no route to host)",
                TcpEnd::Prohibited => "Connect failed (administratively prohibited)",
                _ => "Connect failed",
            };
            self.print(
                cx,
                &format!(
                    "Connecting To {}...Could not open connection to the host, on port {}: {why}",
                    self.remote.ip(),
                    self.remote.port()
                ),
            );
            self.end(cx, false);
        }
    }

    fn on_input(&mut self, cx: &mut AppCx<'_>, line: &str) {
        if self.closed {
            return;
        }
        let Some(sock) = self.sock.filter(|_| self.connected) else {
            self.typed.push(line.to_string());
            return;
        };
        // While the server echoes, it prints the line (or hides a password).
        if !self.remote_echo {
            self.print_raw(cx, line);
            self.print_raw(cx, "\n");
            self.mid_line = false;
        }
        let mut bytes = Vec::with_capacity(line.len() + 2);
        for &b in line.as_bytes() {
            if b == IAC {
                bytes.push(IAC);
            }
            bytes.push(b);
        }
        bytes.extend_from_slice(b"\r\n");
        cx.tcp_send(sock, bytes);
    }

    fn job(&self) -> Option<JobId> {
        Some(self.job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanlab_proto::telnet::{SB, SE};

    fn client() -> Telnet {
        Telnet::new(JobId(0), "10.0.0.1:23".parse().unwrap())
    }

    #[test]
    fn offers_are_answered_once_and_never_printed() {
        let mut t = client();
        let answer = t.parse(&[IAC, WILL, ECHO, IAC, WILL, SGA, b'h', b'i']);
        assert_eq!(answer, [IAC, DO, ECHO, IAC, DO, SGA]);
        assert!(t.remote_echo && t.remote_sga);
        assert_eq!(t.partial, b"hi");
        // A state in force is not acknowledged again (no negotiation loop).
        assert!(t.parse(&[IAC, WILL, ECHO]).is_empty());
        // Options the client does not have are refused.
        assert_eq!(
            t.parse(&[IAC, DO, 24, IAC, WILL, 5]),
            [IAC, WONT, 24, IAC, DONT, 5]
        );
        assert_eq!(t.parse(&[IAC, DO, SGA]), [IAC, WILL, SGA]);
        // The server stops echoing: the client echoes again.
        assert_eq!(t.parse(&[IAC, WONT, ECHO]), [IAC, DONT, ECHO]);
        assert!(!t.remote_echo);
        // Sub-negotiation is skipped, IAC IAC is the byte 255.
        t.partial.clear();
        assert!(
            t.parse(&[IAC, SB, 24, 1, IAC, SE, b'a', IAC, IAC])
                .is_empty()
        );
        assert_eq!(t.partial, [b'a', 255]);
    }

    #[test]
    fn a_server_without_telnet_commands_is_plain_text() {
        let mut t = client();
        assert!(t.parse(b"220 mail.hasan.com ESMTP\r\n").is_empty());
        assert_eq!(t.partial, b"220 mail.hasan.com ESMTP\r\n");
        assert!(!t.remote_echo);
    }
}
