//! A small static file server on loopback for the end-to-end tests: serves
//! `dist/` at `/` and again under `/lab/` (a school's sub-path).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;

/// Sub-path under which `dist/` is served too.
pub const SUB_PATH: &str = "/lab/";

/// Starts serving `dir` on 127.0.0.1 on a free port; returns the base URL.
pub fn start(dir: PathBuf) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            thread::spawn(move || {
                let _ = handle(stream, &dir);
            });
        }
    });
    Ok(format!("http://{addr}"))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let path = path
        .strip_prefix(SUB_PATH.trim_end_matches('/'))
        .unwrap_or(path);
    let rel = path.trim_start_matches('/');
    let mut file = dir.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(p) => file.push(p),
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn handle(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request)? == 0 {
            return Ok(());
        }
        let mut line = String::new();
        while reader.read_line(&mut line)? > 0 && line.trim_end() != "" {
            line.clear();
        }
        let mut parts = request.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/");
        let (status, ctype, body) = match resolve(dir, target) {
            Some(file) if method == "GET" || method == "HEAD" => {
                ("200 OK", content_type(&file), std::fs::read(&file)?)
            }
            Some(_) => ("405 Method Not Allowed", "text/plain", b"405".to_vec()),
            None => ("404 Not Found", "text/plain", b"404".to_vec()),
        };
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\r\n",
            body.len()
        )?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
    }
}
