//! The mail apps mounted on hosts: the server's e-mail service — the
//! generic [`StreamApp`] hosting a [`MailServer`] (listens on 25/110/143,
//! relays with MX lookups by the host's resolver) — and the desktop mail
//! client, which talks to its host through [`MailIo`] (`CxIo` adapts the
//! host's [`AppCx`]).

use std::net::SocketAddrV4;

use lanlab_proto::SimTime;

use super::io::{ConnId, MailIo};
use super::note::{MailNote, MailProto};
use super::server::MailServer;
use crate::job::{JobId, JobResult};
use crate::mailclient::{MailClient, MailFailure};
use crate::services::Services;
use crate::services::app::{App, AppCx, ServiceApp, SockId, TcpEnd};
use crate::services::stream_app::StreamApp;

/// [`MailIo`] over an app's callback context.
pub(crate) struct CxIo<'a, 'b>(pub &'a mut AppCx<'b>);

impl MailIo for CxIo<'_, '_> {
    fn now(&self) -> SimTime {
        self.0.now
    }
    fn send(&mut self, conn: ConnId, bytes: &[u8]) {
        self.0.tcp_send(SockId(conn.0), bytes.to_vec());
    }
    fn close(&mut self, conn: ConnId) {
        self.0.tcp_close(SockId(conn.0));
    }
    fn connect(&mut self, remote: SocketAddrV4) -> Result<ConnId, String> {
        Ok(ConnId(self.0.connect(remote).0))
    }
    fn note(&mut self, note: MailNote) {
        self.0.note(note);
    }
    fn println(&mut self, job: JobId, line: &str) {
        if let Some(j) = self.0.job(job) {
            j.println(line);
        }
    }
    fn finish(&mut self, job: JobId, ok: bool) {
        let now = self.0.now;
        if let Some(j) = self.0.job(job) {
            j.finish(now, ok);
        }
    }
    fn failed(&mut self, job: JobId, why: MailFailure) {
        if let Some(j) = self.0.job(job) {
            j.result = Some(Box::new(JobResult::MailFailed(why)));
        }
    }
}

/// How a connection's end reads in a mail client's error (and in a
/// relay attempt's outcome).
pub(crate) fn end_words(end: TcpEnd) -> &'static str {
    match end {
        TcpEnd::Closed => "the server closed the connection",
        TcpEnd::Reset => "the connection was reset",
        TcpEnd::Refused => "connection refused (is the service on?)",
        TcpEnd::TimedOut => "no answer (timed out)",
        TcpEnd::Unreachable => "no route to the server (check the address and gateway)",
        TcpEnd::Prohibited => {
            "a router's access list blocks the connection (administratively prohibited)"
        }
    }
}

/// The e-mail service app of a server.
pub type MailServerApp = StreamApp<MailServer>;

/// The service table entry.
pub const SERVICE: ServiceApp = ServiceApp {
    key: "mail",
    wanted: |s: &Services| s.mail.as_ref().is_some_and(|m| m.enabled),
    make: |s: &Services| {
        let cfg = s.mail.clone().unwrap_or_default();
        let server = MailServer::new(&cfg)
            .unwrap_or_else(|_| MailServer::new(&Default::default()).expect("empty config"));
        Box::new(MailServerApp::new(server))
    },
};

impl MailServerApp {
    /// The running server (mailboxes, queue).
    pub fn server(&self) -> &MailServer {
        self.service()
    }

    /// Open sessions by protocol: (SMTP, POP3, IMAP).
    pub fn session_counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for (_, s) in self.sessions().iter() {
            match s.proto() {
                MailProto::Smtp => c.0 += 1,
                MailProto::Pop3 => c.1 += 1,
                MailProto::Imap => c.2 += 1,
            }
        }
        c
    }
}

/// The desktop mail client app of a PC.
#[derive(Clone, Debug)]
pub struct MailClientApp {
    /// The client: account, local mailbox, running operations.
    pub client: MailClient,
}

/// The service table entry (mounted when the device has a mail account).
pub const CLIENT: ServiceApp = ServiceApp {
    key: "mail_client",
    wanted: |s: &Services| s.mail_client.is_some(),
    make: |s: &Services| {
        let mut client = MailClient::new("pc");
        client.set_account(s.mail_client.clone());
        Box::new(MailClientApp { client })
    },
};

impl App for MailClientApp {
    fn name(&self) -> &'static str {
        "mail client"
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        self.client.set_hostname(cx.device);
    }

    fn on_config(&mut self, cx: &mut AppCx<'_>) {
        self.client.set_account(cx.services.mail_client.clone());
    }

    fn on_connected(&mut self, _cx: &mut AppCx<'_>, sock: SockId) {
        self.client.connected(ConnId(sock.0));
    }

    fn on_data(&mut self, cx: &mut AppCx<'_>, sock: SockId, data: &[u8]) {
        self.client.data(&mut CxIo(cx), ConnId(sock.0), data);
    }

    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        cx.tcp_close(sock);
    }

    fn on_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId, end: TcpEnd) {
        self.client.closed(&mut CxIo(cx), ConnId(sock.0), end);
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        self.client.poll_timeout()
    }

    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        self.client.handle_timeout(&mut CxIo(cx));
    }
}
