//! `lanlab serve --http`: curl fetches S1's home page from the lab's web
//! server engine and checks status codes and headers.

mod bridge_support;

use std::process::Command;
use std::time::Duration;

use bridge_support::*;

/// `curl -s -i` (head and body) of `path` with extra arguments.
fn curl(served: &Served, path: &str, args: &[&str]) -> String {
    let url = format!("http://127.0.0.1:{}{path}", served.port("http"));
    let out = run(
        Command::new("curl")
            .args(["-s", "-i", "--max-time", "10"])
            .args(args)
            .arg(&url),
        Duration::from_secs(20),
    );
    out.assert_ok(served).replace("\r\n", "\n")
}

fn status_line(resp: &str) -> &str {
    resp.lines().next().unwrap_or("")
}

fn header<'a>(resp: &'a str, name: &str) -> Option<&'a str> {
    let head = resp.split("\n\n").next()?;
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn body(resp: &str) -> &str {
    resp.split_once("\n\n").map_or("", |(_, b)| b)
}

#[test]
fn curl_gets_pages_and_status_codes() {
    if tool("curl").is_none() {
        return skip("curl");
    }
    let served = Served::start("curl", &s1_lab(), "Server0", &["--http", "0"]);

    let home = curl(&served, "/", &[]);
    assert_eq!(status_line(&home), "HTTP/1.1 200 OK", "{home}");
    assert!(
        header(&home, "Content-Type").is_some_and(|v| v.starts_with("text/html")),
        "{home}"
    );
    let len = HOME.len().to_string();
    assert_eq!(
        header(&home, "Content-Length"),
        Some(len.as_str()),
        "{home}"
    );
    let date = header(&home, "Date").expect("Date header");
    assert!(date.ends_with(" GMT"), "{date}");
    assert_eq!(
        header(&home, "Last-Modified"),
        Some("Sun, 01 Sep 2024 00:00:00 GMT"),
        "{home}"
    );
    assert_eq!(body(&home), HOME);
    // The same file by name.
    let index = curl(&served, "/index.html", &[]);
    assert_eq!(body(&index), HOME, "{index}");

    let missing = curl(&served, "/nope.html", &[]);
    assert!(
        status_line(&missing).starts_with("HTTP/1.1 404"),
        "{missing}"
    );

    let post = curl(&served, "/", &["-X", "POST", "-d", "a=b"]);
    assert!(status_line(&post).starts_with("HTTP/1.1 405"), "{post}");
    let allow = header(&post, "Allow").expect("405 names the allowed methods");
    assert!(allow.contains("GET") && allow.contains("HEAD"), "{post}");

    // Conditional GET: unchanged since then → 304 with no body.
    let later = curl(
        &served,
        "/",
        &["-H", "If-Modified-Since: Mon, 02 Sep 2024 00:00:00 GMT"],
    );
    assert!(status_line(&later).starts_with("HTTP/1.1 304"), "{later}");
    assert_eq!(body(&later), "", "{later}");
    let earlier = curl(
        &served,
        "/",
        &["-H", "If-Modified-Since: Sat, 31 Aug 2024 00:00:00 GMT"],
    );
    assert_eq!(status_line(&earlier), "HTTP/1.1 200 OK", "{earlier}");

    // HEAD: the GET's headers, no body.
    let head = curl(&served, "/", &["-I"]);
    assert_eq!(status_line(&head), "HTTP/1.1 200 OK", "{head}");
    assert_eq!(
        header(&head, "Content-Length"),
        Some(len.as_str()),
        "{head}"
    );
    assert_eq!(body(&head), "", "{head}");

    // Two requests on one kept-alive connection.
    let url = format!("http://127.0.0.1:{}/", served.port("http"));
    let out = run(
        Command::new("curl").args([
            "-s",
            "-o",
            "/dev/null",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{num_connects}\n",
            &url,
            &url,
        ]),
        Duration::from_secs(20),
    );
    assert_eq!(out.assert_ok(&served), "200 1\n200 0\n");
}
