//! Transcript tests of the web server, and the property tests of every parser.

use super::*;
use crate::SimTime;
use crate::StreamServer;

pub(super) const LAB_START: u64 = 1_795_000_000; // Wed, 18 Nov 2026 11:06:40 GMT
const EDITED: u64 = 1_794_000_000; // Fri, 06 Nov 2026 21:20:00 GMT
pub(super) const HOME: &str =
    "<html><head><title>Hasan</title></head><body><a href=\"docs/\">Docs</a></body></html>";

pub(super) fn config() -> WebServerConfig {
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
        self.s.handle_input(self.now, text.as_bytes(), &mut self.c);
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
fn options_star_and_head_of_missing_file() {
    let mut t = Conn::new();
    let r = t.send("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
    assert!(r.contains("\r\nAllow: GET, HEAD\r\n"));
    let r = t.send("HEAD /nope HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 404 Not Found\r\n") && r.ends_with("\r\n\r\n"));
    assert!(!t.s.is_closed());
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
        assert_eq!(events.last(), Some(&ServerEvent::Closed));
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
fn too_many_header_lines() {
    let mut t = Conn::new();
    let mut req = "GET / HTTP/1.1\r\nHost: a\r\n".to_string();
    for i in 0..MAX_FIELDS {
        req.push_str(&format!("X-{i}: 1\r\n"));
    }
    let r = t.send(&(req + "\r\n"));
    assert!(r.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
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
    t.s.handle_timeout(SimTime::from_secs(5), &mut t.c);
    assert!(!t.s.is_closed());
    t.s.handle_timeout(deadline, &mut t.c);
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

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn server_never_panics(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..6)) {
            let mut s = ServerSession::new(SimTime::ZERO, LAB_START);
            let mut c = config();
            for ch in &chunks {
                s.handle_input(SimTime::ZERO, ch, &mut c);
                while s.poll_output().is_some() {}
            }
            let _ = parse_request(&chunks.concat());
        }

        #[test]
        fn request_like_input_never_panics(line in "[A-Z]{0,6} [ -~]{0,40} HTTP/[0-9.]{0,4}\r?\n([A-Za-z: -~]{0,30}\r?\n){0,5}\r?\n") {
            let mut s = ServerSession::new(SimTime::ZERO, LAB_START);
            s.handle_input(SimTime::ZERO, line.as_bytes(), &mut config());
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
