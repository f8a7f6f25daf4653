//! Transcript tests: the web server on its own, then the browser driving it.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::*;
use crate::SimTime;

const LAB_START: u64 = 1_795_000_000; // Wed, 18 Nov 2026 11:06:40 GMT
const EDITED: u64 = 1_794_000_000; // Fri, 06 Nov 2026 21:20:00 GMT
const HOME: &str =
    "<html><head><title>Hasan</title></head><body><a href=\"docs/\">Docs</a></body></html>";

fn config() -> WebServerConfig {
    let mut c = WebServerConfig::with_home_page(HOME, EDITED);
    c.default_site.files.insert(
        "docs/index.html".into(),
        WebFile::new("<p>docs</p>", EDITED),
    );
    c.default_site
        .files
        .insert("style.css".into(), WebFile::new("p{}", EDITED));
    c
}

/// A server connection with a helper that sends text and reads the reply text.
struct Conn {
    s: ServerSession,
    c: WebServerConfig,
    now: SimTime,
}

impl Conn {
    fn new() -> Self {
        Conn {
            s: ServerSession::new(SimTime::ZERO, LAB_START),
            c: config(),
            now: SimTime::from_secs(1),
        }
    }

    fn send(&mut self, text: &str) -> String {
        self.s.handle_input(self.now, text.as_bytes(), &self.c);
        self.output()
    }

    fn output(&mut self) -> String {
        let mut out = Vec::new();
        while let Some(b) = self.s.poll_output() {
            out.extend(b);
        }
        String::from_utf8(out).unwrap()
    }

    fn notes(&mut self) -> Vec<String> {
        std::iter::from_fn(|| self.s.poll_note())
            .map(|n| n.to_string())
            .collect()
    }
}

fn head_of(resp: &str) -> Vec<&str> {
    resp.split("\r\n\r\n")
        .next()
        .unwrap()
        .split("\r\n")
        .collect()
}

#[test]
fn get_home_page_has_every_header() {
    let mut t = Conn::new();
    let r = t.send("GET / HTTP/1.1\r\nHost: 192.168.1.1\r\n\r\n");
    assert_eq!(
        head_of(&r),
        [
            "HTTP/1.1 200 OK",
            "Date: Wed, 18 Nov 2026 11:06:41 GMT",
            "Server: lanlab-httpd/0.1",
            "Last-Modified: Fri, 06 Nov 2026 21:20:00 GMT",
            "Content-Type: text/html; charset=utf-8",
            &format!("Content-Length: {}", HOME.len()),
            "Connection: keep-alive",
        ]
    );
    assert!(r.ends_with(HOME));
    assert_eq!(
        t.notes(),
        [
            "Host 192.168.1.1: default site",
            &format!("GET / → 200 ({} bytes)", HOME.len())
        ]
    );
    assert!(!t.s.is_closed());
    assert_eq!(
        t.s.poll_event(),
        Some(ServerEvent::Served {
            method: "GET".into(),
            target: "/".into(),
            status: 200,
            bytes: HOME.len()
        })
    );
}

#[test]
fn head_sends_headers_only_and_css_has_its_type() {
    let mut t = Conn::new();
    let r = t.send("HEAD /style.css HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(r.contains("Content-Type: text/css; charset=utf-8\r\n"));
    assert!(r.contains("Content-Length: 3\r\n"));
    assert!(r.ends_with("\r\n\r\n"));
}

#[test]
fn directory_without_slash_redirects() {
    let mut t = Conn::new();
    let r = t.send("GET /docs?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 301 Moved Permanently\r\n"));
    assert!(r.contains("\r\nLocation: /docs/?x=1\r\n"));
    let r = t.send("GET /docs/ HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 200 OK\r\n") && r.ends_with("<p>docs</p>"));
}

#[test]
fn if_modified_since_gives_304() {
    let mut t = Conn::new();
    let r = t.send(
        "GET / HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: Fri, 06 Nov 2026 21:20:00 GMT\r\n\r\n",
    );
    assert_eq!(
        head_of(&r),
        [
            "HTTP/1.1 304 Not Modified",
            "Date: Wed, 18 Nov 2026 11:06:41 GMT",
            "Server: lanlab-httpd/0.1",
            "Last-Modified: Fri, 06 Nov 2026 21:20:00 GMT",
            "Connection: keep-alive",
        ]
    );
    assert!(r.ends_with("\r\n\r\n"));
    // Older date, or a date in a form we do not parse: the full page.
    let r = t.send(
        "GET / HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: Fri, 06 Nov 2026 21:19:59 GMT\r\n\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 200 OK"));
    let r = t.send("GET / HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: yesterday\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 200 OK"));
}

#[test]
fn not_found_and_method_not_allowed() {
    let mut t = Conn::new();
    let r = t.send("GET /nope.html HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 404 Not Found\r\n"));
    assert!(r.contains("The requested URL /nope.html was not found"));
    let r = t.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\na=1");
    assert!(r.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
    assert!(r.contains("\r\nAllow: GET, HEAD\r\n"));
    let r = t.send("BREW / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 501 Not Implemented\r\n"));
    assert!(!t.s.is_closed(), "well-formed requests keep the connection");
}

#[test]
fn bad_requests_close_the_connection() {
    for (req, status) in [
        ("GET /\r\n\r\n", "400 Bad Request"),
        ("GET / HTTP/1.1\r\n\r\n", "400 Bad Request"), // no Host
        (
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "400 Bad Request",
        ),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", "400 Bad Request"),
        ("GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", "400 Bad Request"),
        (
            "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
            "505 HTTP Version Not Supported",
        ),
        (
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
            "400 Bad Request",
        ),
        (
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999\r\n\r\n",
            "413 Content Too Large",
        ),
    ] {
        let mut t = Conn::new();
        let r = t.send(req);
        assert!(
            r.starts_with(&format!("HTTP/1.1 {status}\r\n")),
            "{req:?} → {r}"
        );
        assert!(r.contains("\r\nConnection: close\r\n"), "{req:?}");
        assert!(t.s.is_closed());
        let events: Vec<_> = std::iter::from_fn(|| t.s.poll_event()).collect();
        assert_eq!(events.last(), Some(&ServerEvent::Close));
        assert_eq!(
            t.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
            "",
            "nothing after close"
        );
    }
}

#[test]
fn long_request_line_and_huge_headers() {
    let mut t = Conn::new();
    let r = t.send(&format!("GET /{} HTTP/1.1\r\n", "a".repeat(MAX_START_LINE)));
    assert!(r.starts_with("HTTP/1.1 414 URI Too Long\r\n"));
    let mut t = Conn::new();
    let mut req = "GET / HTTP/1.1\r\nHost: a\r\n".to_string();
    for i in 0..400 {
        req.push_str(&format!("X-Filler-{i}: {}\r\n", "v".repeat(40)));
    }
    let r = t.send(&req);
    assert!(r.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
    assert!(t.notes()[0].starts_with("431 Request Header Fields Too Large: "));
}

#[test]
fn keep_alive_two_requests_in_one_chunk() {
    let mut t = Conn::new();
    let r = t.send(
        "GET /style.css HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    let first = r.find("HTTP/1.1 200 OK").unwrap();
    let second = r.find("HTTP/1.1 404 Not Found").unwrap();
    assert!(first < second, "responses in request order");
    assert!(r[second..].contains("Connection: close\r\n"));
    assert!(t.s.is_closed());
    let notes = t.notes();
    assert_eq!(
        notes.last().unwrap(),
        "closing the connection: client sent Connection: close"
    );
}

#[test]
fn request_split_across_chunks_and_leading_crlf() {
    let mut t = Conn::new();
    let req = "\r\nGET /style.css HTTP/1.1\nHost: a\n\n";
    let mut out = String::new();
    for b in req.bytes() {
        out += &t.send(&(b as char).to_string());
    }
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n") && out.ends_with("p{}"));
}

#[test]
fn http10_closes_unless_keep_alive() {
    let mut t = Conn::new();
    let r = t.send("GET /style.css HTTP/1.0\r\n\r\n");
    assert!(r.contains("Connection: close\r\n") && t.s.is_closed());
    let mut t = Conn::new();
    let r = t.send("GET /style.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert!(r.contains("Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n") && !t.s.is_closed());
}

#[test]
fn idle_keep_alive_times_out() {
    let mut t = Conn::new();
    t.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    let deadline = t.s.poll_timeout().unwrap();
    assert_eq!(deadline, SimTime::from_secs(6));
    t.s.handle_timeout(SimTime::from_secs(5));
    assert!(!t.s.is_closed());
    t.s.handle_timeout(deadline);
    assert!(t.s.is_closed());
    assert_eq!(t.s.poll_timeout(), None);
}

#[test]
fn virtual_hosts_and_absolute_form() {
    let mut t = Conn::new();
    t.c.virtual_hosts.insert(
        "hasan.com".into(),
        Site::with_files([("index.html", WebFile::new("hasan", 0))]),
    );
    let r = t.send("GET / HTTP/1.1\r\nHost: Hasan.com\r\n\r\n");
    assert!(r.ends_with("\r\n\r\nhasan"));
    assert_eq!(t.notes()[0], "Host Hasan.com: virtual host hasan.com");
    let r = t.send("GET http://hasan.com/ HTTP/1.1\r\nHost: other\r\n\r\n");
    assert!(
        r.ends_with("\r\n\r\nhasan"),
        "absolute-form host wins (RFC 9112 §3.2.2)"
    );
    let r = t.send("GET /../../index.html HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n");
    assert!(
        r.ends_with(HOME),
        "dot segments cannot climb above the root"
    );
}

// ---------------------------------------------------------------- browser

/// A browser, a DNS table and a web server, wired like the simulator would.
struct Web {
    b: Browser,
    dns: BTreeMap<String, Result<Ipv4Addr, ResolveError>>,
    server_ip: Ipv4Addr,
    running: bool,
    config: WebServerConfig,
    conns: BTreeMap<ConnId, ServerSession>,
    now: SimTime,
    /// Raw responses to send instead of the real server, by connection count.
    canned: Vec<Vec<&'static [u8]>>,
    log: Vec<String>,
}

impl Web {
    fn new() -> Self {
        let mut dns = BTreeMap::new();
        dns.insert("hasan.com".to_string(), Ok(Ipv4Addr::new(192, 168, 1, 1)));
        Web {
            b: Browser::new(BrowserConfig::default()),
            dns,
            server_ip: Ipv4Addr::new(192, 168, 1, 1),
            running: true,
            config: config(),
            conns: BTreeMap::new(),
            now: SimTime::from_secs(10),
            canned: Vec::new(),
            log: Vec::new(),
        }
    }

    fn pump(&mut self) -> Option<BrowserEvent> {
        for _ in 0..100 {
            let Some(a) = self.b.poll_action() else { break };
            match a {
                BrowserAction::Resolve { name } => {
                    self.log.push(format!("resolve {name}"));
                    let r = self
                        .dns
                        .get(&name)
                        .copied()
                        .unwrap_or(Err(ResolveError::NotFound));
                    self.b.handle_resolved(self.now, &name, r);
                }
                BrowserAction::Connect { conn, addr, port } => {
                    self.log.push(format!("connect {addr}:{port}"));
                    if addr == self.server_ip && port == 80 && self.running {
                        self.conns
                            .insert(conn, ServerSession::new(self.now, LAB_START));
                        self.b.handle_connected(self.now, conn);
                    } else if addr == self.server_ip {
                        self.b
                            .handle_connect_failed(self.now, conn, ConnectError::Refused);
                    }
                }
                BrowserAction::Send { conn, bytes } => {
                    let line = String::from_utf8_lossy(&bytes)
                        .lines()
                        .next()
                        .unwrap_or("")
                        .to_string();
                    self.log.push(format!("send {line}"));
                    if !self.canned.is_empty() {
                        for chunk in self.canned.remove(0) {
                            self.b.handle_input(self.now, conn, chunk);
                        }
                        self.b.handle_eof(self.now, conn);
                        continue;
                    }
                    let Some(s) = self.conns.get_mut(&conn) else {
                        continue;
                    };
                    s.handle_input(self.now, &bytes, &self.config);
                    while let Some(out) = s.poll_output() {
                        // Deliver in two pieces to exercise reassembly.
                        let (a, b) = out.split_at(out.len() / 2);
                        self.b.handle_input(self.now, conn, a);
                        self.b.handle_input(self.now, conn, b);
                    }
                    if s.is_closed() {
                        self.b.handle_eof(self.now, conn);
                    }
                }
                BrowserAction::Close { conn } => {
                    self.log.push("close".into());
                    self.conns.remove(&conn);
                }
            }
        }
        self.b.poll_event()
    }

    fn open(&mut self, address: &str) -> BrowserEvent {
        self.b.navigate(self.now, address).unwrap();
        self.pump().expect("a load outcome")
    }
}

fn loaded(ev: BrowserEvent) -> Page {
    match ev {
        BrowserEvent::Loaded(p) => p,
        other => panic!("expected a page, got {other:?}"),
    }
}

#[test]
fn s1_three_ways_to_the_home_page() {
    let mut w = Web::new();
    for address in ["http://hasan.com", "hasan.com", "192.168.1.1"] {
        let p = loaded(w.open(address));
        assert_eq!((p.status, p.text().as_str()), (200, HOME));
        assert_eq!(p.title().as_deref(), Some("Hasan"));
        assert_eq!(p.content_type, "text/html; charset=utf-8");
    }
    assert_eq!(
        w.log,
        [
            "resolve hasan.com",
            "connect 192.168.1.1:80",
            "send GET / HTTP/1.1",
            "close",
            "resolve hasan.com",
            "connect 192.168.1.1:80",
            "send GET / HTTP/1.1",
            "close",
            "connect 192.168.1.1:80",
            "send GET / HTTP/1.1",
            "close",
        ]
    );
    let notes: Vec<String> = std::iter::from_fn(|| w.b.poll_note())
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        &notes[..5],
        [
            "browser opens http://hasan.com/",
            "browser asks DNS for hasan.com",
            "hasan.com is 192.168.1.1",
            "GET http://hasan.com/",
            &format!("response 200 OK ({} bytes)", HOME.len()),
        ]
    );
}

#[test]
fn links_redirects_and_history() {
    let mut w = Web::new();
    let home = loaded(w.open("hasan.com"));
    assert_eq!(home.links()[0].href, "docs/");
    w.b.follow_link(w.now, "/docs").unwrap(); // 301 → /docs/
    let docs = loaded(w.pump().unwrap());
    assert_eq!(docs.url.to_string(), "http://hasan.com/docs/");
    assert_eq!(docs.text(), "<p>docs</p>");
    w.b.follow_link(w.now, "../style.css").unwrap();
    let css = loaded(w.pump().unwrap());
    assert_eq!(css.url.to_string(), "http://hasan.com/style.css");
    assert_eq!(w.b.history().1, Some(2));
    assert!(w.b.back(w.now));
    assert_eq!(loaded(w.pump().unwrap()).url.path, "/docs/");
    assert!(w.b.back(w.now));
    assert_eq!(loaded(w.pump().unwrap()).url.path, "/");
    assert!(!w.b.can_go_back() && w.b.can_go_forward());
    assert!(!w.b.back(w.now));
    assert!(w.b.forward(w.now));
    loaded(w.pump().unwrap());
    // A new navigation drops the forward entries.
    loaded(w.open("192.168.1.1"));
    let (h, i) = w.b.history();
    let h: Vec<String> = h.iter().map(Url::to_string).collect();
    assert_eq!(
        h,
        [
            "http://hasan.com/",
            "http://hasan.com/docs/",
            "http://192.168.1.1/"
        ]
    );
    assert_eq!(i, Some(2));
    assert!(w.b.reload(w.now));
    loaded(w.pump().unwrap());
    assert_eq!(w.b.history().0.len(), 3);
    assert!(matches!(
        w.b.follow_link(w.now, "javascript:alert(1)"),
        Err(UrlError::UnsupportedScheme(_))
    ));
}

#[test]
fn load_errors() {
    let mut w = Web::new();
    assert_eq!(
        w.open("nosuch.com"),
        BrowserEvent::Failed(LoadError::ServerNotFound {
            host: "nosuch.com".into()
        })
    );
    w.dns.insert("slow.com".into(), Err(ResolveError::Timeout));
    assert_eq!(
        w.open("slow.com"),
        BrowserEvent::Failed(LoadError::DnsTimeout {
            host: "slow.com".into()
        })
    );
    w.running = false;
    assert_eq!(
        w.open("hasan.com"),
        BrowserEvent::Failed(LoadError::ConnectionRefused {
            host: "hasan.com".into(),
            port: 80
        })
    );
    w.running = true;
    match w.open("hasan.com/missing.html") {
        BrowserEvent::Failed(LoadError::HttpError { status: 404, page }) => {
            assert!(page.text().contains("was not found"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        w.b.navigate(w.now, "https://hasan.com"),
        Err(UrlError::HttpsNotSupported)
    );
    assert!(!w.b.is_loading());
}

#[test]
fn timeout_when_nobody_answers() {
    let mut w = Web::new();
    w.b.navigate(w.now, "10.9.9.9").unwrap();
    assert_eq!(w.pump(), None); // connect goes nowhere
    let t = w.b.poll_timeout().unwrap();
    assert_eq!(t, w.now + core::time::Duration::from_secs(30));
    w.b.handle_timeout(t);
    assert_eq!(
        w.b.poll_event(),
        Some(BrowserEvent::Failed(LoadError::TimedOut {
            url: "http://10.9.9.9/".into()
        }))
    );
    assert_eq!(w.b.poll_action(), Some(BrowserAction::Close { conn: 1 }));
}

#[test]
fn chunked_close_delimited_and_broken_responses() {
    let mut w = Web::new();
    w.canned = vec![
        vec![b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", b"0\r\n\r\n"],
        vec![b"HTTP/1.0 200 OK\r\n\r\nuntil", b" close"],
        vec![b"garbage\r\n\r\n"],
        vec![],
        vec![b"HTTP/1.1 302 Found\r\nLocation: /a\r\nContent-Length: 0\r\n\r\n"],
    ];
    assert_eq!(loaded(w.open("hasan.com")).text(), "abc");
    let p = loaded(w.open("hasan.com"));
    assert_eq!(
        (p.text().as_str(), p.content_type.as_str()),
        ("until close", "")
    );
    assert!(matches!(
        w.open("hasan.com"),
        BrowserEvent::Failed(LoadError::BadResponse { .. })
    ));
    match w.open("hasan.com") {
        BrowserEvent::Failed(e) => {
            assert_eq!(
                e.to_string(),
                "http://hasan.com/ sent an invalid response: the server closed the connection without a response"
            )
        }
        other => panic!("{other:?}"),
    }
    // A redirect loop: /a → /a → … until the limit.
    w.canned = vec![vec![b"HTTP/1.1 302 Found\r\nLocation: /a\r\nContent-Length: 0\r\n\r\n"]; 10];
    assert_eq!(
        w.open("hasan.com"),
        BrowserEvent::Failed(LoadError::TooManyRedirects {
            url: "http://hasan.com/a".into(),
            limit: 5
        })
    );
}

#[test]
fn a_new_navigation_abandons_the_old_one() {
    let mut w = Web::new();
    w.b.navigate(w.now, "10.9.9.9").unwrap();
    assert_eq!(w.pump(), None);
    let p = loaded(w.open("hasan.com"));
    assert_eq!(p.status, 200);
    assert!(w.log.contains(&"close".to_string()));
    // Late answers about the abandoned connection are ignored.
    w.b.handle_connected(w.now, 1);
    w.b.handle_input(w.now, 1, b"HTTP/1.1 200 OK\r\n\r\n");
    assert_eq!(w.b.poll_event(), None);
    assert_eq!(w.b.current_url().unwrap().to_string(), "http://hasan.com/");
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn server_never_panics(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..6)) {
            let mut s = ServerSession::new(SimTime::ZERO, LAB_START);
            let c = config();
            for ch in &chunks {
                s.handle_input(SimTime::ZERO, ch, &c);
                while s.poll_output().is_some() {}
            }
            let _ = parse_request(&chunks.concat());
        }

        #[test]
        fn request_like_input_never_panics(line in "[A-Z]{0,6} [ -~]{0,40} HTTP/[0-9.]{0,4}\r?\n([A-Za-z: -~]{0,30}\r?\n){0,5}\r?\n") {
            let mut s = ServerSession::new(SimTime::ZERO, LAB_START);
            s.handle_input(SimTime::ZERO, line.as_bytes(), &config());
            let _ = s.poll_output();
        }

        #[test]
        fn response_reader_and_urls_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), s in "\\PC{0,60}") {
            let mut r = ResponseReader::new(false, 1000);
            let _ = r.feed(&bytes);
            let _ = r.feed_eof();
            let _ = Url::parse_address_bar(&s);
            let base = Url::parse_address_bar("http://a/b/c").unwrap();
            let _ = base.join(&s);
            let _ = extract_links(&s);
            let _ = extract_title(&String::from_utf8_lossy(&bytes));
        }
    }
}
