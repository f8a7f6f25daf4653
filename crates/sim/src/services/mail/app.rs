//! The mail apps mounted on hosts: the server's e-mail service (listens on
//! 25/110/143, looks up MX records with the host's resolver for relaying)
//! and the desktop mail client. Both adapt the host's [`AppCx`] to
//! [`MailIo`].

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddrV4};

use lanlab_proto::SimTime;
use lanlab_proto::dns::{LookupResult, Name, Question, RData, RecordType};
use lanlab_proto::smtp;

use super::io::{ConnId, MailIo};
use super::note::MailNote;
use super::server::MailServer;
use crate::job::JobId;
use crate::mailclient::MailClient;
use crate::note::Note;
use crate::services::Services;
use crate::services::app::{App, AppCx, ServiceApp, SockId, TcpEnd};

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
        self.0.note(Note::Mail(note));
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
}

/// How a connection's end reads in a mail client's error.
fn end_words(end: TcpEnd) -> &'static str {
    match end {
        TcpEnd::Closed => "the server closed the connection",
        TcpEnd::Reset => "the connection was reset",
        TcpEnd::Refused => "connection refused (is the service on?)",
        TcpEnd::TimedOut => "no answer (timed out)",
        TcpEnd::Unreachable => "no route to the server (check the address and gateway)",
    }
}

#[derive(Clone, Debug)]
enum Stage {
    /// Asked for MX.
    Mx,
    /// Asked for the A record of the best exchanger.
    Exchange { host: String, preference: u16 },
    /// No MX: asked for the A record of the domain itself (RFC 5321 §5.1).
    Implicit,
}

#[derive(Clone, Debug)]
struct Lookup {
    job: smtp::JobId,
    domain: String,
    stage: Stage,
}

/// The e-mail service app of a server.
#[derive(Clone, Debug)]
pub struct MailServerApp {
    server: MailServer,
    lookups: BTreeMap<u64, Lookup>,
    next_token: u64,
}

/// The service table entry.
pub const SERVICE: ServiceApp = ServiceApp {
    key: "mail",
    wanted: |s: &Services| s.mail.as_ref().is_some_and(|m| m.enabled),
    make: |s: &Services| {
        let cfg = s.mail.clone().unwrap_or_default();
        let server = MailServer::new(&cfg)
            .unwrap_or_else(|_| MailServer::new(&Default::default()).expect("empty config"));
        Box::new(MailServerApp {
            server,
            lookups: BTreeMap::new(),
            next_token: 1,
        })
    },
};

impl MailServerApp {
    /// The running server (mailboxes, queue).
    pub fn server(&self) -> &MailServer {
        &self.server
    }

    fn pump(&mut self, cx: &mut AppCx<'_>) {
        while let Some((job, domain)) = self.server.poll_route() {
            self.ask(cx, job, domain, Stage::Mx, None);
        }
    }

    fn ask(
        &mut self,
        cx: &mut AppCx<'_>,
        job: smtp::JobId,
        domain: String,
        stage: Stage,
        name: Option<&str>,
    ) {
        let qtype = match stage {
            Stage::Mx => RecordType::Mx,
            _ => RecordType::A,
        };
        let Ok(qname) = Name::parse(name.unwrap_or(&domain)) else {
            let e = format!("{domain} is not a valid domain name");
            self.server.route_resolved(&mut CxIo(cx), job, Err(e));
            return;
        };
        let token = self.next_token;
        self.next_token += 1;
        self.lookups.insert(token, Lookup { job, domain, stage });
        cx.resolve(token, Question::new(qname, qtype), None);
    }
}

fn failure(r: &LookupResult, what: &str) -> String {
    match r {
        LookupResult::NxDomain { .. } => format!("{what} does not exist (NXDOMAIN)"),
        LookupResult::NoAnswer { .. } => format!("{what} has no such record"),
        LookupResult::Timeout { .. } => "the DNS server did not answer".into(),
        LookupResult::NoServers => "this server has no DNS server set".into(),
        LookupResult::Failed { rcode, .. } => format!("DNS server failed ({rcode:?})"),
        _ => format!("no address for {what}"),
    }
}

impl App for MailServerApp {
    fn name(&self) -> &'static str {
        "e-mail server"
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        for (port, _) in self.server.ports() {
            cx.listen_tcp(port);
        }
    }

    fn on_config(&mut self, cx: &mut AppCx<'_>) {
        if let Some(cfg) = &cx.services.mail {
            let before = self.server.ports();
            self.server.reconfigure(cfg);
            for (port, _) in self.server.ports() {
                if !before.iter().any(|(p, _)| *p == port) {
                    cx.listen_tcp(port);
                }
            }
        }
    }

    fn on_accept(
        &mut self,
        cx: &mut AppCx<'_>,
        sock: SockId,
        local: SocketAddrV4,
        remote: SocketAddrV4,
    ) {
        if !self
            .server
            .accepted(&mut CxIo(cx), ConnId(sock.0), local.port(), remote)
        {
            cx.tcp_abort(sock);
        }
        self.pump(cx);
    }

    fn on_data(&mut self, cx: &mut AppCx<'_>, sock: SockId, data: &[u8]) {
        self.server.data(&mut CxIo(cx), ConnId(sock.0), data);
        self.pump(cx);
    }

    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        self.server.peer_closed(&mut CxIo(cx), ConnId(sock.0));
        cx.tcp_close(sock);
        self.pump(cx);
    }

    fn on_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId, end: TcpEnd) {
        self.server
            .closed(&mut CxIo(cx), ConnId(sock.0), end_words(end));
        self.pump(cx);
    }

    fn on_resolved(&mut self, cx: &mut AppCx<'_>, token: u64, result: &LookupResult) {
        let Some(l) = self.lookups.remove(&token) else {
            return;
        };
        match l.stage {
            Stage::Mx => {
                let best = match result {
                    LookupResult::Answer { records, .. } => records
                        .iter()
                        .filter_map(|r| match &r.data {
                            RData::Mx {
                                preference,
                                exchange,
                            } => Some((*preference, exchange.to_string())),
                            _ => None,
                        })
                        .min(),
                    _ => None,
                };
                match (best, result) {
                    (Some((preference, host)), _) => {
                        let host = host.trim_end_matches('.').to_string();
                        let name = host.clone();
                        self.ask(
                            cx,
                            l.job,
                            l.domain,
                            Stage::Exchange { host, preference },
                            Some(&name),
                        );
                    }
                    (None, LookupResult::NxDomain { .. }) => {
                        let e = failure(result, &l.domain);
                        self.server.route_resolved(&mut CxIo(cx), l.job, Err(e));
                    }
                    (None, _) => {
                        let d = l.domain.clone();
                        self.ask(cx, l.job, l.domain, Stage::Implicit, Some(&d));
                    }
                }
            }
            Stage::Exchange { .. } | Stage::Implicit => {
                let ip = result.addresses().into_iter().find_map(|a| match a {
                    IpAddr::V4(v4) => Some(v4),
                    IpAddr::V6(_) => None,
                });
                let route = match (ip, &l.stage) {
                    (Some(addr), Stage::Exchange { host, preference }) => {
                        cx.note(Note::Mail(MailNote::MxFound {
                            domain: l.domain.clone(),
                            host: host.clone(),
                            preference: *preference,
                            addr,
                        }));
                        Ok(addr)
                    }
                    (Some(addr), _) => Ok(addr),
                    (None, Stage::Exchange { host, .. }) => Err(failure(result, host)),
                    (None, _) => Err(failure(result, &l.domain)),
                };
                self.server.route_resolved(&mut CxIo(cx), l.job, route);
            }
        }
        self.pump(cx);
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        self.server.poll_timeout()
    }

    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        self.server.handle_timeout(&mut CxIo(cx));
        self.pump(cx);
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
        self.client
            .closed(&mut CxIo(cx), ConnId(sock.0), end_words(end));
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        self.client.poll_timeout()
    }

    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        self.client.handle_timeout(&mut CxIo(cx));
    }
}

#[allow(dead_code)]
fn _unused(_: Ipv4Addr) {}
