//! The browser engine behind the desktop web browser window: address bar →
//! name resolution → TCP connection → `GET` → response → page, with redirects
//! (RFC 9110 §15.4) and back/forward history.
//!
//! The engine asks its caller to do what it cannot: resolve a name with the
//! host's stub resolver ([`BrowserAction::Resolve`]), open and use a TCP
//! connection ([`BrowserAction::Connect`], [`BrowserAction::Send`],
//! [`BrowserAction::Close`]). Each connection has a [`ConnId`]; answers about a
//! connection of an abandoned load are ignored.

use core::fmt;
use core::time::Duration;
use std::collections::VecDeque;
use std::net::Ipv4Addr;

use super::page::{BrowserEvent, LoadError, Page};
use super::response::{ResponseReader, encode_get};
use super::url::{Host, Url, UrlError};
use crate::SimTime;

/// Identifies one TCP connection the browser asked for.
pub type ConnId = u32;

/// Browser settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserConfig {
    /// Redirects followed before giving up.
    pub max_redirects: u8,
    /// Time allowed from opening the connection to the end of the response.
    pub timeout: Duration,
    /// Largest page accepted.
    pub max_body: usize,
}

impl Default for BrowserConfig {
    fn default() -> Self {
        BrowserConfig {
            max_redirects: 5,
            timeout: Duration::from_secs(30),
            max_body: 4 * 1024 * 1024,
        }
    }
}

/// Work the caller does for the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrowserAction {
    /// Look `name` up (A record); answer with [`Browser::handle_resolved`].
    Resolve {
        /// Host name.
        name: String,
    },
    /// Open a TCP connection; answer with [`Browser::handle_connected`] or
    /// [`Browser::handle_connect_failed`].
    Connect {
        /// The connection's id.
        conn: ConnId,
        /// Server address.
        addr: Ipv4Addr,
        /// Server port.
        port: u16,
    },
    /// Send bytes on an open connection.
    Send {
        /// The connection.
        conn: ConnId,
        /// Bytes to send.
        bytes: Vec<u8>,
    },
    /// Close the connection.
    Close {
        /// The connection.
        conn: ConnId,
    },
}

/// How a name lookup failed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ResolveError {
    /// The name does not exist (NXDOMAIN) or has no address.
    NotFound,
    /// No DNS server answered.
    Timeout,
}

/// How opening a connection failed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ConnectError {
    /// The server answered with RST: nothing listens on the port.
    Refused,
    /// No answer to the SYNs.
    TimedOut,
    /// A router answered ICMP net or host unreachable.
    Unreachable,
    /// A router's access list answered ICMP administratively prohibited.
    Prohibited,
}

/// The browser's reasoning, for the PDU inspector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrowserNote {
    /// A load began.
    Navigating {
        /// The URL.
        url: String,
    },
    /// Asking DNS.
    Resolving {
        /// The name.
        name: String,
    },
    /// DNS answered.
    Resolved {
        /// The name.
        name: String,
        /// Its address.
        addr: Ipv4Addr,
    },
    /// The request went out.
    Requested {
        /// The URL.
        url: String,
    },
    /// A response arrived.
    Response {
        /// Status code.
        status: u16,
        /// Content bytes.
        bytes: usize,
    },
    /// Following a redirect.
    Redirect {
        /// Status code.
        status: u16,
        /// The new URL.
        to: String,
    },
    /// A load in progress was abandoned (stop, or a new navigation).
    Cancelled {
        /// The URL that was loading.
        url: String,
    },
}

impl fmt::Display for BrowserNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BrowserNote::Navigating { url } => write!(f, "browser opens {url}"),
            BrowserNote::Resolving { name } => write!(f, "browser asks DNS for {name}"),
            BrowserNote::Resolved { name, addr } => write!(f, "{name} is {addr}"),
            BrowserNote::Requested { url } => write!(f, "GET {url}"),
            BrowserNote::Response { status, bytes } => {
                write!(
                    f,
                    "response {} ({bytes} bytes)",
                    super::message::StatusCode(*status)
                )
            }
            BrowserNote::Redirect { status, to } => write!(f, "redirect {status} → {to}"),
            BrowserNote::Cancelled { url } => write!(f, "loading {url} stopped"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Mode {
    Push,
    Traverse(usize),
    Reload,
}

#[derive(Clone, Debug)]
enum Phase {
    Resolving(String),
    Connecting(ConnId),
    Waiting(ConnId, ResponseReader),
}

#[derive(Clone, Debug)]
struct Load {
    url: Url,
    mode: Mode,
    redirects: u8,
    phase: Phase,
    deadline: Option<SimTime>,
}

/// The browser of one desktop: history plus at most one page load in progress.
#[derive(Clone, Debug, Default)]
pub struct Browser {
    config: BrowserConfig,
    history: Vec<Url>,
    index: Option<usize>,
    load: Option<Load>,
    next_conn: ConnId,
    actions: VecDeque<BrowserAction>,
    events: VecDeque<BrowserEvent>,
    notes: VecDeque<BrowserNote>,
}

impl Browser {
    /// A browser with empty history.
    pub fn new(config: BrowserConfig) -> Self {
        Browser {
            config,
            ..Default::default()
        }
    }

    /// Starts loading what the user typed in the address bar.
    ///
    /// # Errors
    /// [`UrlError`] if the address is not an `http` URL; nothing starts then.
    pub fn navigate(&mut self, now: SimTime, address: &str) -> Result<(), UrlError> {
        let url = Url::parse_address_bar(address)?;
        self.start(now, url, Mode::Push);
        Ok(())
    }

    /// Follows a link of the current page (`href` as written in the HTML).
    ///
    /// # Errors
    /// [`UrlError`] if the link is not an `http` reference (`javascript:`, …).
    pub fn follow_link(&mut self, now: SimTime, href: &str) -> Result<(), UrlError> {
        let url = match self.current_url() {
            Some(base) => base.join(href)?,
            None => Url::parse_address_bar(href)?,
        };
        self.start(now, url, Mode::Push);
        Ok(())
    }

    /// Goes one page back; `false` if there is none.
    pub fn back(&mut self, now: SimTime) -> bool {
        self.traverse(now, -1)
    }

    /// Goes one page forward; `false` if there is none.
    pub fn forward(&mut self, now: SimTime) -> bool {
        self.traverse(now, 1)
    }

    /// Loads the current page again; `false` if there is none.
    pub fn reload(&mut self, now: SimTime) -> bool {
        match self.current_url().cloned() {
            Some(url) => {
                self.start(now, url, Mode::Reload);
                true
            }
            None => false,
        }
    }

    /// Abandons the load in progress.
    pub fn stop(&mut self) {
        self.cancel();
    }

    /// The URL of the page shown (the current history entry).
    pub fn current_url(&self) -> Option<&Url> {
        self.index.and_then(|i| self.history.get(i))
    }

    /// The history, oldest first, and the index of the current entry.
    pub fn history(&self) -> (&[Url], Option<usize>) {
        (&self.history, self.index)
    }

    /// Whether Back would do something.
    pub fn can_go_back(&self) -> bool {
        self.index.is_some_and(|i| i > 0)
    }

    /// Whether Forward would do something.
    pub fn can_go_forward(&self) -> bool {
        self.index.is_some_and(|i| i + 1 < self.history.len())
    }

    /// Whether a page is loading.
    pub fn is_loading(&self) -> bool {
        self.load.is_some()
    }

    /// The URL being loaded, if any.
    pub fn loading_url(&self) -> Option<&Url> {
        self.load.as_ref().map(|l| &l.url)
    }

    fn traverse(&mut self, now: SimTime, delta: isize) -> bool {
        let Some(i) = self.index else { return false };
        let Some(j) = i
            .checked_add_signed(delta)
            .filter(|j| *j < self.history.len())
        else {
            return false;
        };
        let url = self.history[j].clone();
        self.start(now, url, Mode::Traverse(j));
        true
    }

    fn cancel(&mut self) {
        if let Some(load) = self.load.take() {
            if let Phase::Connecting(c) | Phase::Waiting(c, _) = load.phase {
                self.actions.push_back(BrowserAction::Close { conn: c });
            }
            self.notes.push_back(BrowserNote::Cancelled {
                url: load.url.to_string(),
            });
        }
    }

    fn start(&mut self, now: SimTime, url: Url, mode: Mode) {
        self.cancel();
        self.notes.push_back(BrowserNote::Navigating {
            url: url.to_string(),
        });
        self.begin(now, url, mode, 0);
    }

    /// Resolves (if needed) and connects for `url`.
    fn begin(&mut self, now: SimTime, url: Url, mode: Mode, redirects: u8) {
        let phase = match &url.host {
            Host::Name(name) => {
                self.notes
                    .push_back(BrowserNote::Resolving { name: name.clone() });
                self.actions
                    .push_back(BrowserAction::Resolve { name: name.clone() });
                Phase::Resolving(name.clone())
            }
            Host::Ipv4(addr) => Phase::Connecting(self.connect(*addr, url.port)),
        };
        let deadline = matches!(phase, Phase::Connecting(_)).then(|| now + self.config.timeout);
        self.load = Some(Load {
            url,
            mode,
            redirects,
            phase,
            deadline,
        });
    }

    fn connect(&mut self, addr: Ipv4Addr, port: u16) -> ConnId {
        self.next_conn = self.next_conn.wrapping_add(1);
        let conn = self.next_conn;
        self.actions
            .push_back(BrowserAction::Connect { conn, addr, port });
        conn
    }

    /// The stub resolver's answer for `name`.
    pub fn handle_resolved(
        &mut self,
        now: SimTime,
        name: &str,
        result: Result<Ipv4Addr, ResolveError>,
    ) {
        let Some(load) = &self.load else { return };
        if !matches!(&load.phase, Phase::Resolving(n) if n.eq_ignore_ascii_case(name)) {
            return;
        }
        match result {
            Ok(addr) => {
                self.notes.push_back(BrowserNote::Resolved {
                    name: name.to_string(),
                    addr,
                });
                let port = load.url.port;
                let conn = self.connect(addr, port);
                if let Some(load) = &mut self.load {
                    load.phase = Phase::Connecting(conn);
                    load.deadline = Some(now + self.config.timeout);
                }
            }
            Err(e) => {
                let host = name.to_string();
                self.fail(match e {
                    ResolveError::NotFound => LoadError::ServerNotFound { host },
                    ResolveError::Timeout => LoadError::DnsTimeout { host },
                });
            }
        }
    }

    /// The TCP connection `conn` is established: the request goes out.
    pub fn handle_connected(&mut self, _now: SimTime, conn: ConnId) {
        let max_body = self.config.max_body;
        let Some(load) = &mut self.load else { return };
        if !matches!(load.phase, Phase::Connecting(c) if c == conn) {
            return;
        }
        load.phase = Phase::Waiting(conn, ResponseReader::new(false, max_body));
        let bytes = encode_get(&load.url);
        self.notes.push_back(BrowserNote::Requested {
            url: load.url.to_string(),
        });
        self.actions.push_back(BrowserAction::Send { conn, bytes });
    }

    /// Opening `conn` failed.
    pub fn handle_connect_failed(&mut self, _now: SimTime, conn: ConnId, error: ConnectError) {
        let Some(load) = &self.load else { return };
        if !matches!(load.phase, Phase::Connecting(c) if c == conn) {
            return;
        }
        let err = match error {
            ConnectError::Refused => LoadError::ConnectionRefused {
                host: load.url.host.to_string(),
                port: load.url.port,
            },
            ConnectError::TimedOut => LoadError::TimedOut {
                url: load.url.to_string(),
            },
            ConnectError::Unreachable => LoadError::Unreachable {
                host: load.url.host.to_string(),
            },
            ConnectError::Prohibited => LoadError::Prohibited {
                host: load.url.host.to_string(),
                port: load.url.port,
            },
        };
        self.load = None;
        self.events.push_back(BrowserEvent::Failed(err));
    }

    /// Bytes received on `conn`.
    pub fn handle_input(&mut self, now: SimTime, conn: ConnId, bytes: &[u8]) {
        let Some(Load {
            phase: Phase::Waiting(c, reader),
            ..
        }) = &mut self.load
        else {
            return;
        };
        if *c != conn {
            return;
        }
        let result = reader.feed(bytes);
        self.after_read(now, result);
    }

    /// The server closed `conn` (FIN, or RST after data).
    pub fn handle_eof(&mut self, now: SimTime, conn: ConnId) {
        let Some(load) = &mut self.load else { return };
        match &mut load.phase {
            Phase::Waiting(c, reader) if *c == conn => {
                let result = reader.feed_eof();
                self.after_read(now, result);
            }
            Phase::Connecting(c) if *c == conn => {
                self.handle_connect_failed(now, conn, ConnectError::Refused);
            }
            _ => {}
        }
    }

    fn after_read(
        &mut self,
        now: SimTime,
        result: Result<Option<super::response::Response>, super::response::ResponseError>,
    ) {
        let response = match result {
            Ok(None) => return,
            Ok(Some(r)) => r,
            Err(e) => {
                let url = self.loading_url().map(Url::to_string).unwrap_or_default();
                return self.fail(LoadError::BadResponse {
                    url,
                    reason: e.to_string(),
                });
            }
        };
        let Some(load) = self.load.take() else { return };
        if let Phase::Waiting(c, _) = load.phase {
            self.actions.push_back(BrowserAction::Close { conn: c });
        }
        let status = response.status.0;
        self.notes.push_back(BrowserNote::Response {
            status,
            bytes: response.body.len(),
        });
        if response.status.is_redirect()
            && let Some(location) = response.headers.get("location")
        {
            if load.redirects >= self.config.max_redirects {
                return self
                    .events
                    .push_back(BrowserEvent::Failed(LoadError::TooManyRedirects {
                        url: load.url.to_string(),
                        limit: self.config.max_redirects,
                    }));
            }
            match load.url.join(location) {
                Ok(mut to) => {
                    // RFC 9110 §10.2.2: "If the Location value provided in a 3xx
                    // (Redirection) response does not have a fragment component, a
                    // user agent MUST process the redirection as if the value
                    // inherits the fragment component of the URI reference".
                    if to.fragment.is_none() {
                        to.fragment.clone_from(&load.url.fragment);
                    }
                    self.notes.push_back(BrowserNote::Redirect {
                        status,
                        to: to.to_string(),
                    });
                    self.begin(now, to, load.mode, load.redirects + 1);
                }
                Err(e) => self
                    .events
                    .push_back(BrowserEvent::Failed(LoadError::InvalidAddress(e))),
            }
            return;
        }
        let page = Page {
            url: load.url.clone(),
            status,
            content_type: response
                .headers
                .get("content-type")
                .unwrap_or("")
                .to_string(),
            body: response.body,
        };
        // Like every browser, a server's error page is still a history entry.
        match load.mode {
            Mode::Push => {
                let keep = self.index.map_or(0, |i| i + 1);
                self.history.truncate(keep);
                self.history.push(load.url);
                self.index = Some(self.history.len() - 1);
            }
            Mode::Traverse(j) => {
                if let Some(entry) = self.history.get_mut(j) {
                    *entry = load.url;
                    self.index = Some(j);
                }
            }
            Mode::Reload => {}
        }
        self.events.push_back(if status >= 400 {
            BrowserEvent::Failed(LoadError::HttpError {
                status,
                page: Box::new(page),
            })
        } else {
            BrowserEvent::Loaded(page)
        });
    }

    fn fail(&mut self, err: LoadError) {
        if let Some(load) = self.load.take()
            && let Phase::Connecting(c) | Phase::Waiting(c, _) = load.phase
        {
            self.actions.push_back(BrowserAction::Close { conn: c });
        }
        self.events.push_back(BrowserEvent::Failed(err));
    }

    /// When the load in progress times out.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.load.as_ref().and_then(|l| l.deadline)
    }

    /// Fails the load in progress if its time is up.
    pub fn handle_timeout(&mut self, now: SimTime) {
        if let Some(t) = self.poll_timeout()
            && now >= t
        {
            let url = self.loading_url().map(Url::to_string).unwrap_or_default();
            self.fail(LoadError::TimedOut { url });
        }
    }

    /// Next thing for the caller to do.
    #[must_use]
    pub fn poll_action(&mut self) -> Option<BrowserAction> {
        self.actions.pop_front()
    }

    /// Next load outcome.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<BrowserEvent> {
        self.events.pop_front()
    }

    /// Next explanation for the PDU inspector.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<BrowserNote> {
        self.notes.pop_front()
    }
}
