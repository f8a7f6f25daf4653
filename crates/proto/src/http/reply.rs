//! The server's response builder: status line, the headers every response
//! carries (RFC 9110 §6.6.1 Date, §10.2.4 Server, RFC 9112 §6.1 Content-Length,
//! §9.6 Connection), and the small HTML pages of error and redirect statuses.

use super::date::format_http_date;
use super::html::escape_html;
use super::message::{Headers, StatusCode};

/// A response being built.
#[derive(Clone, Debug)]
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: Headers,
    pub(crate) body: Vec<u8>,
    pub(crate) no_content_length: bool,
    /// `Some(timeout)` for an HTTP/1.0 client that asked for keep-alive.
    pub(crate) keep_alive_10: Option<u64>,
}

impl Response {
    pub(crate) fn new(status: StatusCode, unix: u64, server: &str) -> Self {
        let mut headers = Headers::new();
        // RFC 9110 §6.6.1: "An origin server with a clock ... MUST generate a Date
        // header field in all 2xx, 3xx, and 4xx responses".
        headers.push("Date", format_http_date(unix));
        headers.push("Server", server);
        Response {
            status,
            headers,
            body: Vec::new(),
            no_content_length: false,
            keep_alive_10: None,
        }
    }

    pub(crate) fn content(&mut self, content_type: &str, body: Vec<u8>) {
        self.headers.push("Content-Type", content_type);
        self.body = body;
    }

    pub(crate) fn encode(&self, head_only: bool, close: bool) -> Vec<u8> {
        let mut s = format!("HTTP/1.1 {}\r\n", self.status);
        for (n, v) in self.headers.iter() {
            s.push_str(&format!("{n}: {v}\r\n"));
        }
        if !self.no_content_length {
            s.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        if close {
            s.push_str("Connection: close\r\n");
        } else {
            s.push_str("Connection: keep-alive\r\n");
            if let Some(t) = self.keep_alive_10 {
                s.push_str(&format!("Keep-Alive: timeout={t}\r\n"));
            }
        }
        s.push_str("\r\n");
        let mut out = s.into_bytes();
        if !head_only && !self.no_content_length {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// The small HTML page sent with error and redirect statuses.
pub(crate) fn error_page(status: StatusCode, server: &str, path: &str) -> Vec<u8> {
    let detail = match status.0 {
        301 => format!(
            "The document has moved <a href=\"{0}\">here</a>.",
            escape_html(path)
        ),
        404 => format!(
            "The requested URL {} was not found on this server.",
            escape_html(path)
        ),
        405 | 501 => "This server serves files with GET and HEAD only.".to_string(),
        414 => "The request line is too long.".to_string(),
        431 => "The request's header fields are too large.".to_string(),
        505 => "This server speaks HTTP/1.0 and HTTP/1.1.".to_string(),
        _ => "The server could not understand the request.".to_string(),
    };
    format!(
        "<!DOCTYPE html>\n<html><head><title>{status}</title></head>\n<body><h1>{}</h1>\n<p>{detail}</p>\n<hr><address>{}</address></body></html>\n",
        status.reason(),
        escape_html(server)
    )
    .into_bytes()
}
