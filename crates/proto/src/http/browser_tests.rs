//! Transcript tests of the browser driving the real web server engine, wired the
//! way the simulator mounts them.

use crate::StreamServer;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::tests::{HOME, LAB_START, config};
use super::*;
use crate::SimTime;

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
                    s.handle_input(self.now, &bytes, &mut self.config);
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
    w.b.follow_link(w.now, "/docs#intro").unwrap(); // 301 → /docs/, fragment kept
    let docs = loaded(w.pump().unwrap());
    assert_eq!(docs.url.to_string(), "http://hasan.com/docs/#intro");
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
            "http://hasan.com/docs/#intro",
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
        w.open("http://192.168.1.1:8080/x.html"),
        BrowserEvent::Failed(LoadError::ConnectionRefused {
            host: "192.168.1.1".into(),
            port: 8080
        })
    );
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
