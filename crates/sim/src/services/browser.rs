//! The desktop's web browser as a job: [`lanlab_proto::http::Browser`]
//! driven over the host's resolver and TCP. The job's result is the typed
//! [`Page`] or [`LoadError`] (the UI renders it, sandboxed).

use std::collections::BTreeMap;
use std::net::SocketAddrV4;

use lanlab_proto::SimTime;
use lanlab_proto::dns::{LookupResult, Name, Question, RecordType};
use lanlab_proto::http::{
    Browser, BrowserAction, BrowserConfig, BrowserEvent, ConnId, ConnectError, LoadError, Page,
    ResolveError,
};

use super::app::{App, AppCx, SockId, TcpEnd};
use super::resolve::first_v4;
use crate::job::{JobId, JobResult};
use crate::note::Note;

/// One page load for job `job`.
#[derive(Clone, Debug)]
pub struct BrowserApp {
    job: JobId,
    url: String,
    browser: Browser,
    conns: BTreeMap<ConnId, SockId>,
    /// Names being resolved, by token.
    names: BTreeMap<u64, String>,
    next_token: u64,
}

impl BrowserApp {
    /// Opens `url` for `job`.
    pub fn new(job: JobId, url: &str) -> Self {
        BrowserApp {
            job,
            url: url.to_string(),
            browser: Browser::new(BrowserConfig::default()),
            conns: BTreeMap::new(),
            names: BTreeMap::new(),
            next_token: 0,
        }
    }

    fn conn_of(&self, sock: SockId) -> Option<ConnId> {
        self.conns
            .iter()
            .find(|(_, s)| **s == sock)
            .map(|(c, _)| *c)
    }

    /// Carries out the browser's actions, notes and result.
    fn pump(&mut self, cx: &mut AppCx<'_>) {
        for _ in 0..64 {
            let mut any = false;
            while let Some(n) = self.browser.poll_note() {
                cx.note(Note::Browser(n));
            }
            while let Some(a) = self.browser.poll_action() {
                any = true;
                match a {
                    BrowserAction::Resolve { name } => match Name::parse(&name) {
                        Ok(n) => {
                            let token = self.next_token;
                            self.next_token += 1;
                            self.names.insert(token, name);
                            cx.resolve(token, Question::new(n, RecordType::A), None);
                        }
                        Err(_) => {
                            self.browser.handle_resolved(
                                cx.now,
                                &name,
                                Err(ResolveError::NotFound),
                            );
                        }
                    },
                    BrowserAction::Connect { conn, addr, port } => {
                        let sock = cx.connect(SocketAddrV4::new(addr, port));
                        self.conns.insert(conn, sock);
                    }
                    BrowserAction::Send { conn, bytes } => {
                        if let Some(s) = self.conns.get(&conn) {
                            cx.tcp_send(*s, bytes);
                        }
                    }
                    BrowserAction::Close { conn } => {
                        if let Some(s) = self.conns.remove(&conn) {
                            cx.tcp_close(s);
                        }
                    }
                }
            }
            if let Some(ev) = self.browser.poll_event() {
                self.finish(cx, ev);
                return;
            }
            if !any {
                return;
            }
        }
    }

    fn finish(&mut self, cx: &mut AppCx<'_>, ev: BrowserEvent) {
        let now = cx.now;
        let (ok, text, result) = match ev {
            BrowserEvent::Loaded(page) => (true, describe_page(&page), JobResult::Page(page)),
            BrowserEvent::Failed(e) => (false, format!("{e}"), JobResult::LoadError(e)),
        };
        for s in std::mem::take(&mut self.conns).into_values() {
            cx.tcp_close(s);
        }
        if let Some(j) = cx.job(self.job) {
            j.println(&text);
            j.result = Some(Box::new(result));
            j.finish(now, ok);
        }
        cx.exit();
    }
}

fn describe_page(p: &Page) -> String {
    match p.title() {
        Some(t) => format!("{} {} — {t}", p.status, p.url),
        None => format!("{} {} ({} bytes)", p.status, p.url, p.body.len()),
    }
}

impl App for BrowserApp {
    fn name(&self) -> &'static str {
        "browser"
    }

    fn job(&self) -> Option<JobId> {
        Some(self.job)
    }

    fn on_start(&mut self, cx: &mut AppCx<'_>) {
        if let Err(e) = self.browser.navigate(cx.now, &self.url.clone()) {
            self.finish(cx, BrowserEvent::Failed(LoadError::InvalidAddress(e)));
            return;
        }
        self.pump(cx);
    }

    fn on_resolved(&mut self, cx: &mut AppCx<'_>, token: u64, result: &LookupResult) {
        let Some(name) = self.names.remove(&token) else {
            return;
        };
        let r = match (first_v4(result), result) {
            (Some(a), _) => Ok(a),
            (None, LookupResult::Timeout { .. } | LookupResult::NoServers) => {
                Err(ResolveError::Timeout)
            }
            (None, _) => Err(ResolveError::NotFound),
        };
        self.browser.handle_resolved(cx.now, &name, r);
        self.pump(cx);
    }

    fn on_connected(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        if let Some(c) = self.conn_of(sock) {
            self.browser.handle_connected(cx.now, c);
        }
        self.pump(cx);
    }

    fn on_data(&mut self, cx: &mut AppCx<'_>, sock: SockId, data: &[u8]) {
        if let Some(c) = self.conn_of(sock) {
            self.browser.handle_input(cx.now, c, data);
        }
        self.pump(cx);
    }

    fn on_peer_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId) {
        if let Some(c) = self.conn_of(sock) {
            self.browser.handle_eof(cx.now, c);
        }
        cx.tcp_close(sock);
        self.pump(cx);
    }

    fn on_closed(&mut self, cx: &mut AppCx<'_>, sock: SockId, end: TcpEnd) {
        let Some(c) = self.conn_of(sock) else {
            return;
        };
        self.conns.remove(&c);
        match end {
            TcpEnd::Refused => self
                .browser
                .handle_connect_failed(cx.now, c, ConnectError::Refused),
            TcpEnd::TimedOut => {
                self.browser
                    .handle_connect_failed(cx.now, c, ConnectError::TimedOut);
                self.browser.handle_eof(cx.now, c);
            }
            TcpEnd::Unreachable => {
                self.browser
                    .handle_connect_failed(cx.now, c, ConnectError::Unreachable)
            }
            TcpEnd::Prohibited => {
                self.browser
                    .handle_connect_failed(cx.now, c, ConnectError::Prohibited)
            }
            TcpEnd::Closed | TcpEnd::Reset => self.browser.handle_eof(cx.now, c),
        }
        self.pump(cx);
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        self.browser.poll_timeout()
    }

    fn on_timeout(&mut self, cx: &mut AppCx<'_>) {
        self.browser.handle_timeout(cx.now);
        self.pump(cx);
    }
}
