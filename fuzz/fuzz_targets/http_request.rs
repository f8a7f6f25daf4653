//! HTTP: a web server session fed arbitrary bytes, cut into chunks anywhere
//! (request line, headers, bodies, pipelining, keep-alive) never panics.
//! With the first byte's high bit set the bytes are a server's response to
//! the browser's response reader instead, and also go through the URL,
//! request-head and HTML readers.
#![no_main]

use std::time::Duration;

use lanlab_fuzz::{chunks, client_mode};
use lanlab_proto::{SimTime, StreamServer};
use lanlab_proto::http::{
    ResponseReader, ServerSession, Url, WebFile, WebServerConfig, extract_links, extract_title,
    parse_request, percent_decode, remove_dot_segments,
};
use libfuzzer_sys::fuzz_target;

const LAB_START: u64 = 1_795_000_000;

fn server(data: &[u8]) {
    let mut site = WebServerConfig::with_home_page(
        "<title>Hasan</title><a href=\"/about.html\">about</a>",
        1_794_000_000,
    );
    site.default_site.files.insert(
        "about.html".into(),
        WebFile::new("<p>about</p>", 1_794_000_000),
    );
    site.default_site
        .files
        .insert("docs/a b.txt".into(), WebFile::new("spaces", 1_794_000_000));
    let mut site_b = site.default_site.clone();
    site_b.files.clear();
    site.virtual_hosts.insert("dadali.com".into(), site_b);
    let mut now = SimTime::from_secs(1);
    let mut s = ServerSession::new(now, LAB_START);
    for chunk in chunks(data) {
        s.handle_input(now, chunk, &mut site);
        while s.poll_output().is_some() {}
        while s.poll_event().is_some() {}
        while let Some(n) = s.poll_note() {
            let _ = n.to_string();
        }
        now += Duration::from_millis(300);
    }
    s.handle_end(now, &mut site);
    while s.poll_output().is_some() {}
    if let Some(t) = s.poll_timeout() {
        s.handle_timeout(t, &mut site);
    }
}

fn client(data: &[u8]) {
    let rest = &data[1..];
    let mut reader = ResponseReader::new(data[0] & 1 == 1, 1 << 16);
    let mut done = false;
    for chunk in chunks(data) {
        match reader.feed(chunk) {
            Ok(Some(_)) | Err(_) => {
                done = true;
                break;
            }
            Ok(None) => {}
        }
    }
    if !done {
        let _ = reader.feed_eof();
    }
    let _ = parse_request(rest);
    let text = String::from_utf8_lossy(rest);
    let _ = extract_title(&text);
    let _ = extract_links(&text);
    let _ = percent_decode(&text);
    let _ = remove_dot_segments(&text);
    let line = text.lines().next().unwrap_or("");
    if let Ok(url) = Url::parse_address_bar(line) {
        let _ = url.to_string();
        let _ = url.host_header();
        for reference in text.lines().skip(1).take(4) {
            if let Ok(u) = url.join(reference) {
                let _ = u.to_string();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    if client_mode(data) {
        client(data);
    } else {
        server(data);
    }
});
