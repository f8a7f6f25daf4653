//! The web server's connection engine: bytes of one TCP connection in, responses
//! out, several requests per connection (RFC 9112 §9.3 persistence, pipelined
//! requests answered in order — "A server MAY process a sequence of pipelined
//! requests in parallel if they all have safe methods, but it MUST send the
//! corresponding responses in the same order that the requests were received.").

use core::fmt;
use core::time::Duration;
use std::collections::VecDeque;

use super::body::{BodyDecoder, Framing, framing};
use super::date::{format_http_date, parse_http_date};
use super::message::{
    HeadError, Headers, Method, StatusCode, Version, clip, find_head_end, is_tchar, parse_head,
};
use super::reply::{Response, error_page};
use super::site::{Lookup, WebServerConfig, content_type_for};
use super::url::{percent_decode, remove_dot_segments};
use crate::SimTime;
use crate::stream::StreamServer;

/// Largest request body the server reads (GET bodies are read and ignored).
pub const MAX_REQUEST_BODY: usize = 64 * 1024;

/// Something the simulator acts on or logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerEvent {
    /// A request was answered (the access log line).
    Served {
        /// Request method.
        method: String,
        /// Request target as sent.
        target: String,
        /// Status code of the response.
        status: u16,
        /// Content bytes sent.
        bytes: usize,
    },
    /// The server is done with this connection: close it after sending the output.
    Closed,
}

/// The server's reasoning, for the PDU inspector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerNote {
    /// A request was answered: "GET /index.html → 200 (1532 bytes)".
    Served {
        /// Request method.
        method: String,
        /// Decoded path.
        path: String,
        /// Status code.
        status: u16,
        /// Content bytes sent.
        bytes: usize,
    },
    /// Which site a `Host` selected.
    VirtualHost {
        /// The Host field value, if any.
        host: Option<String>,
        /// The virtual host that matched, or `None` for the default site.
        site: Option<String>,
    },
    /// The request was refused before reaching a file.
    Rejected {
        /// Status code sent.
        status: u16,
        /// Why.
        reason: String,
    },
    /// A conditional GET found the file unchanged.
    NotModified {
        /// Site path of the file.
        path: String,
    },
    /// The connection will close after this response.
    Closing {
        /// Why.
        reason: CloseReason,
    },
}

/// Why the server closes a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// The client sent `Connection: close`.
    ClientAskedClose,
    /// An HTTP/1.0 client without `Connection: keep-alive`.
    Http10,
    /// The request was malformed; the connection cannot be trusted any more.
    BadRequest,
    /// No new request within the keep-alive time.
    IdleTimeout,
    /// The client closed its side.
    ClientClosed,
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CloseReason::ClientAskedClose => "client sent Connection: close",
            CloseReason::Http10 => "HTTP/1.0 client did not ask for keep-alive",
            CloseReason::BadRequest => "the request was malformed",
            CloseReason::IdleTimeout => "keep-alive time elapsed with no new request",
            CloseReason::ClientClosed => "the client closed the connection",
        })
    }
}

impl fmt::Display for ServerNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerNote::Served {
                method,
                path,
                status,
                bytes,
            } => write!(f, "{method} {path} → {status} ({bytes} bytes)"),
            ServerNote::VirtualHost { host, site } => {
                match host {
                    Some(h) => write!(f, "Host {h}: ")?,
                    None => f.write_str("no Host: ")?,
                }
                match site {
                    Some(s) => write!(f, "virtual host {s}"),
                    None => f.write_str("default site"),
                }
            }
            ServerNote::Rejected { status, reason } => {
                write!(f, "{}: {reason}", StatusCode(*status))
            }
            ServerNote::NotModified { path } => {
                write!(f, "{path} unchanged since If-Modified-Since: 304")
            }
            ServerNote::Closing { reason } => write!(f, "closing the connection: {reason}"),
        }
    }
}

#[derive(Clone, Debug)]
enum State {
    Head,
    Body(Box<Request>, BodyDecoder),
    Closed,
}

/// A parsed request head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Method.
    pub method: Method,
    /// Request target as sent.
    pub target: String,
    /// Protocol version.
    pub version: Version,
    /// Header fields.
    pub headers: Headers,
}

/// One server-side HTTP connection.
#[derive(Clone, Debug)]
pub struct ServerSession {
    buf: Vec<u8>,
    state: State,
    out: VecDeque<Vec<u8>>,
    events: VecDeque<ServerEvent>,
    notes: VecDeque<ServerNote>,
    lab_start_unix: u64,
    last_activity: SimTime,
    keep_alive: Duration,
}

impl ServerSession {
    /// A new connection accepted at `now`. `lab_start_unix` is the wall-clock time
    /// (unix seconds) at virtual time zero, for `Date` headers.
    pub fn new(now: SimTime, lab_start_unix: u64) -> Self {
        ServerSession {
            buf: Vec::new(),
            state: State::Head,
            out: VecDeque::new(),
            events: VecDeque::new(),
            notes: VecDeque::new(),
            lab_start_unix,
            last_activity: now,
            keep_alive: Duration::from_secs(5),
        }
    }

    fn close(&mut self, reason: CloseReason) {
        self.notes.push_back(ServerNote::Closing { reason });
        self.events.push_back(ServerEvent::Closed);
        self.state = State::Closed;
        self.buf.clear();
    }

    fn process(&mut self, now: SimTime, config: &WebServerConfig) {
        loop {
            match core::mem::replace(&mut self.state, State::Closed) {
                State::Closed => return,
                State::Head => {
                    // RFC 9112 §2.2: "a server that is expecting to receive and parse
                    // a request-line SHOULD ignore at least one empty line (CRLF)
                    // received prior to the request-line."
                    let skip = self
                        .buf
                        .iter()
                        .take_while(|b| **b == b'\r' || **b == b'\n')
                        .count();
                    self.buf.drain(..skip);
                    let end = match find_head_end(&self.buf) {
                        Ok(Some(end)) => end,
                        Ok(None) => {
                            self.state = State::Head;
                            return;
                        }
                        Err(e) => return self.reject_head(now, config, e),
                    };
                    let head: Vec<u8> = self.buf.drain(..end).collect();
                    match parse_request(&head) {
                        Ok(req) => self.start_body(now, config, req),
                        Err((status, reason)) => {
                            return self.reject(now, config, status, reason);
                        }
                    }
                }
                State::Body(req, mut dec) => match dec.feed(&self.buf) {
                    Ok(used) => {
                        self.buf.drain(..used);
                        if dec.is_done() {
                            self.state = State::Head;
                            self.respond(now, config, &req);
                        } else {
                            self.state = State::Body(req, dec);
                            return;
                        }
                    }
                    Err(e) => {
                        let status = match e {
                            super::body::BodyError::TooLarge(_) => StatusCode::CONTENT_TOO_LARGE,
                            _ => StatusCode::BAD_REQUEST,
                        };
                        return self.reject(now, config, status, e.to_string());
                    }
                },
            }
        }
    }

    fn start_body(&mut self, now: SimTime, config: &WebServerConfig, req: Request) {
        match framing(&req.headers, true) {
            Ok(Framing::Length(n)) if n > MAX_REQUEST_BODY as u64 => self.reject(
                now,
                config,
                StatusCode::CONTENT_TOO_LARGE,
                format!("request body of {n} bytes"),
            ),
            Ok(Framing::None) => {
                self.state = State::Head;
                self.respond(now, config, &req);
            }
            Ok(f) => {
                self.state = State::Body(Box::new(req), BodyDecoder::new(f, MAX_REQUEST_BODY));
            }
            Err(e) => self.reject(now, config, StatusCode::BAD_REQUEST, e.to_string()),
        }
    }

    fn reject_head(&mut self, now: SimTime, config: &WebServerConfig, e: HeadError) {
        let status = match e {
            HeadError::StartLineTooLong => StatusCode::URI_TOO_LONG,
            HeadError::HeadTooLarge => StatusCode::HEADERS_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        };
        self.reject(now, config, status, e.to_string());
    }

    /// Answers a request that cannot be trusted, then closes the connection.
    fn reject(
        &mut self,
        now: SimTime,
        config: &WebServerConfig,
        status: StatusCode,
        reason: String,
    ) {
        self.notes.push_back(ServerNote::Rejected {
            status: status.0,
            reason,
        });
        let body = error_page(status, &config.server_name, "");
        let mut r = Response::new(status, self.unix_now(now), &config.server_name);
        r.content("text/html; charset=utf-8", body);
        self.send(r, false, true);
        self.events.push_back(ServerEvent::Served {
            method: "-".to_string(),
            target: "-".to_string(),
            status: status.0,
            bytes: 0,
        });
        self.close(CloseReason::BadRequest);
    }

    fn unix_now(&self, now: SimTime) -> u64 {
        self.lab_start_unix
            .saturating_add(now.as_micros() / 1_000_000)
    }

    fn respond(&mut self, now: SimTime, config: &WebServerConfig, req: &Request) {
        let persist = if req.headers.has_token("connection", "close") {
            Err(CloseReason::ClientAskedClose)
        } else if req.version >= Version::HTTP_11
            || req.headers.has_token("connection", "keep-alive")
        {
            Ok(())
        } else {
            Err(CloseReason::Http10)
        };
        let head_only = req.method == Method::Head;
        let (r, path) = self.build(now, config, req);
        let persist = if r.status == StatusCode::BAD_REQUEST {
            Err(CloseReason::BadRequest)
        } else {
            persist
        };
        let (status, bytes) = (r.status.0, r.body.len());
        self.send(r, head_only, persist.is_err());
        self.notes.push_back(ServerNote::Served {
            method: req.method.to_string(),
            path,
            status,
            bytes: if head_only { 0 } else { bytes },
        });
        self.events.push_back(ServerEvent::Served {
            method: req.method.to_string(),
            target: req.target.clone(),
            status,
            bytes: if head_only { 0 } else { bytes },
        });
        if let Err(reason) = persist {
            self.close(reason);
        }
    }

    fn build(
        &mut self,
        now: SimTime,
        config: &WebServerConfig,
        req: &Request,
    ) -> (Response, String) {
        let date = self.unix_now(now);
        let server = config.server_name.as_str();
        if !matches!(req.method, Method::Get | Method::Head) {
            // RFC 9110 §15.5.6: "The origin server MUST generate an Allow header
            // field in a 405 response containing a list of the target resource's
            // currently supported methods."
            let status = match req.method {
                Method::Unknown(_) => StatusCode::NOT_IMPLEMENTED,
                _ => StatusCode::METHOD_NOT_ALLOWED,
            };
            let mut r = Response::new(status, date, server);
            r.headers.push("Allow", "GET, HEAD");
            r.content("text/html; charset=utf-8", error_page(status, server, ""));
            return (r, req.target.clone());
        }
        let (host, raw_path) = match split_target(&req.target) {
            Some((h, p)) => (h.or(req.headers.get("host")), p),
            None => {
                let mut r = Response::new(StatusCode::BAD_REQUEST, date, server);
                r.content(
                    "text/html; charset=utf-8",
                    error_page(StatusCode::BAD_REQUEST, server, ""),
                );
                return (r, req.target.clone());
            }
        };
        let path_only = raw_path.split(['?', '#']).next().unwrap_or("/");
        let path = match percent_decode(path_only) {
            Some(p) if !p.contains('\0') => remove_dot_segments(&p),
            _ => {
                let mut r = Response::new(StatusCode::BAD_REQUEST, date, server);
                r.content(
                    "text/html; charset=utf-8",
                    error_page(StatusCode::BAD_REQUEST, server, ""),
                );
                return (r, path_only.to_string());
            }
        };
        let (vhost, site) = config.site_for(host);
        self.notes.push_back(ServerNote::VirtualHost {
            host: host.map(str::to_string),
            site: vhost.map(str::to_string),
        });
        let mut r = match site.lookup(&path) {
            Lookup::File(name, file) => {
                let ims = (req.headers.get("if-none-match").is_none())
                    .then(|| {
                        req.headers
                            .get("if-modified-since")
                            .and_then(parse_http_date)
                    })
                    .flatten();
                // RFC 9110 §13.1.3: "the origin server SHOULD generate a 304 (Not
                // Modified) response if the selected representation's last
                // modification date is earlier or equal to the date provided".
                if ims.is_some_and(|t| file.modified <= t) {
                    self.notes.push_back(ServerNote::NotModified {
                        path: name.to_string(),
                    });
                    let mut r = Response::new(StatusCode::NOT_MODIFIED, date, server);
                    r.headers
                        .push("Last-Modified", format_http_date(file.modified));
                    r.no_content_length = true;
                    r
                } else {
                    let mut r = Response::new(StatusCode::OK, date, server);
                    r.headers
                        .push("Last-Modified", format_http_date(file.modified));
                    r.content(content_type_for(name), file.content.clone().into_bytes());
                    r
                }
            }
            Lookup::AddSlash => {
                let mut r = Response::new(StatusCode::MOVED_PERMANENTLY, date, server);
                let query = raw_path.find('?').map(|i| &raw_path[i..]).unwrap_or("");
                r.headers.push("Location", format!("{path_only}/{query}"));
                r.content(
                    "text/html; charset=utf-8",
                    error_page(StatusCode::MOVED_PERMANENTLY, server, &format!("{path}/")),
                );
                r
            }
            Lookup::NotFound => {
                let mut r = Response::new(StatusCode::NOT_FOUND, date, server);
                r.content(
                    "text/html; charset=utf-8",
                    error_page(StatusCode::NOT_FOUND, server, &path),
                );
                r
            }
        };
        if req.version == Version::HTTP_10 && req.headers.has_token("connection", "keep-alive") {
            r.keep_alive_10 = Some(config.keep_alive_secs);
        }
        (r, path)
    }

    fn send(&mut self, r: Response, head_only: bool, close: bool) {
        self.out.push_back(r.encode(head_only, close));
    }
}

/// Parses a request head into a [`Request`], or the status and reason to refuse it.
pub fn parse_request(head: &[u8]) -> Result<Request, (StatusCode, String)> {
    let bad = |e: HeadError| match e {
        HeadError::HeadTooLarge => (StatusCode::HEADERS_TOO_LARGE, e.to_string()),
        _ => (StatusCode::BAD_REQUEST, e.to_string()),
    };
    let (line, headers) = parse_head(head).map_err(bad)?;
    // RFC 9112 §3: request-line = method SP request-target SP HTTP-version
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err((
            StatusCode::BAD_REQUEST,
            format!(
                "request line {:?} is not METHOD TARGET VERSION",
                clip(&line)
            ),
        ));
    };
    if method.is_empty() || !method.bytes().all(is_tchar) {
        return Err((
            StatusCode::BAD_REQUEST,
            format!("bad method {:?}", clip(method)),
        ));
    }
    if target.is_empty() || target.bytes().any(|b| b.is_ascii_control() || b >= 0x80) {
        return Err((
            StatusCode::BAD_REQUEST,
            format!("bad request target {:?}", clip(target)),
        ));
    }
    let Some(version) = Version::parse(version) else {
        return Err((
            StatusCode::BAD_REQUEST,
            format!("bad version {:?}", clip(version)),
        ));
    };
    if version.major != 1 {
        return Err((
            StatusCode::VERSION_NOT_SUPPORTED,
            format!("{version} is not supported"),
        ));
    }
    // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to
    // any HTTP/1.1 request message that lacks a Host header field and to any
    // request message that contains more than one Host header field line".
    let hosts = headers.get_all("host").count();
    if (version >= Version::HTTP_11 && hosts == 0) || hosts > 1 {
        return Err((
            StatusCode::BAD_REQUEST,
            format!("{hosts} Host header fields"),
        ));
    }
    Ok(Request {
        method: Method::parse(method),
        target: target.to_string(),
        version,
        headers,
    })
}

/// Origin-form `/path?q` or absolute-form `http://host/path` (RFC 9112 §3.2) into
/// (host from the target, path and query).
fn split_target(target: &str) -> Option<(Option<&str>, &str)> {
    if target.starts_with('/') {
        return Some((None, target));
    }
    let rest = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("HTTP://"))?;
    let slash = rest.find('/').unwrap_or(rest.len());
    let path = if slash == rest.len() {
        "/"
    } else {
        &rest[slash..]
    };
    Some((Some(&rest[..slash]), path))
}

impl StreamServer for ServerSession {
    type Context = WebServerConfig;
    type Note = ServerNote;
    type Event = ServerEvent;

    /// Whether the server has finished with the connection.
    fn is_closed(&self) -> bool {
        matches!(self.state, State::Closed)
    }

    /// Bytes received from the client, in any chunking.
    fn handle_input(&mut self, now: SimTime, bytes: &[u8], config: &mut WebServerConfig) {
        if self.is_closed() {
            return;
        }
        self.last_activity = now;
        self.keep_alive = Duration::from_secs(config.keep_alive_secs);
        self.buf.extend_from_slice(bytes);
        self.process(now, config);
    }

    /// The client closed its sending side (FIN) or the connection was lost.
    fn handle_end(&mut self, _now: SimTime, _site: &mut WebServerConfig) {
        if !self.is_closed() {
            self.close(CloseReason::ClientClosed);
        }
    }

    /// When the idle keep-alive timer fires.
    fn poll_timeout(&self) -> Option<SimTime> {
        (!self.is_closed()).then(|| self.last_activity + self.keep_alive)
    }

    /// Closes an idle connection once the keep-alive time has passed.
    fn handle_timeout(&mut self, now: SimTime, _site: &mut WebServerConfig) {
        if let Some(t) = self.poll_timeout()
            && now >= t
        {
            self.close(CloseReason::IdleTimeout);
        }
    }

    /// Next bytes to send to the client.
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.out.pop_front()
    }

    /// Next event (access log, close).
    fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    /// Next explanation for the PDU inspector.
    fn poll_note(&mut self) -> Option<ServerNote> {
        self.notes.pop_front()
    }
}
