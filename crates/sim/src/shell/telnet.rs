//! `telnet HOST PORT`: a raw TCP terminal. The student types protocol
//! lines (HELO, USER, `a1 LOGIN …`) as the job's input
//! ([`crate::Engine::job_input`]); every line goes out with CRLF and the
//! server's replies are printed as they arrive.

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
    /// Bytes of a line not yet complete.
    partial: Vec<u8>,
    /// Lines typed before the connection opened (the terminal keeps them).
    typed: Vec<String>,
}

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
            typed: Vec::new(),
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
        self.print(
            cx,
            "Type protocol lines; QUIT (or LOGOUT) ends the session.",
        );
        for line in std::mem::take(&mut self.typed) {
            self.on_input(cx, &line);
        }
    }

    fn on_data(&mut self, cx: &mut AppCx<'_>, _sock: SockId, data: &[u8]) {
        self.partial.extend_from_slice(data);
        while let Some(k) = self.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=k).collect();
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']).to_string();
            self.print(cx, &text);
        }
    }

    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        cx.tcp_close(sock);
    }

    fn on_closed(&mut self, cx: &mut AppCx<'_>, _sock: SockId, end: TcpEnd) {
        if !self.partial.is_empty() {
            let rest = String::from_utf8_lossy(&self.partial).into_owned();
            self.partial.clear();
            self.print(cx, &rest);
        }
        if self.connected {
            self.print(cx, "\nConnection to host lost.");
            self.end(cx, true);
        } else {
            let why = match end {
                TcpEnd::Refused => "Connect failed (connection refused)",
                TcpEnd::TimedOut => "Connect failed (timed out)",
                TcpEnd::Unreachable => "Connect failed (no route to host)",
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
        self.print(cx, line);
        let mut bytes = line.as_bytes().to_vec();
        bytes.extend_from_slice(b"\r\n");
        cx.tcp_send(sock, bytes);
    }

    fn job(&self) -> Option<JobId> {
        Some(self.job)
    }
}
