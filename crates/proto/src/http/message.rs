//! HTTP/1.1 message heads (RFC 9112 §2–§5): methods, status codes, header fields
//! and the parser for a start line plus field lines.
//!
//! RFC 9112 §2.2: "Although the line terminator for the start-line and fields is
//! the sequence CRLF, a recipient MAY recognize a single LF as a line terminator
//! and ignore any preceding CR." We do, as telnet users type bare LFs.

use core::fmt;

/// Longest request line the server accepts (RFC 9112 §3: "It is RECOMMENDED that
/// all HTTP senders and recipients support, at a minimum, request-line lengths of
/// 8000 octets"); longer ones get 414.
pub const MAX_START_LINE: usize = 8 * 1024;
/// Largest header block (start line + fields) accepted; larger gets 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most field lines in one message.
pub const MAX_FIELDS: usize = 100;

/// A request method (RFC 9110 §9).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET: transfer a current representation of the target resource.
    Get,
    /// HEAD: the same as GET, but the server does not send content.
    Head,
    /// Another method registered in RFC 9110 (POST, PUT, DELETE, …).
    Standard(&'static str),
    /// A method token RFC 9110 does not define.
    Unknown(String),
}

const STANDARD_METHODS: [&str; 6] = ["POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE"];

impl Method {
    /// Parses a method token (case-sensitive, RFC 9110 §9.1).
    pub fn parse(token: &str) -> Method {
        match token {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "PATCH" => Method::Standard("PATCH"),
            t => match STANDARD_METHODS.iter().find(|m| **m == t) {
                Some(m) => Method::Standard(m),
                None => Method::Unknown(t.to_string()),
            },
        }
    }

    /// The token as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Standard(m) => m,
            Method::Unknown(m) => m,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The protocol version of a message (RFC 9112 §2.3).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major version (1 for HTTP/1.x).
    pub major: u8,
    /// Minor version.
    pub minor: u8,
}

impl Version {
    /// HTTP/1.0.
    pub const HTTP_10: Version = Version { major: 1, minor: 0 };
    /// HTTP/1.1.
    pub const HTTP_11: Version = Version { major: 1, minor: 1 };

    /// Parses `HTTP/x.y` (`HTTP-version = HTTP-name "/" DIGIT "." DIGIT`).
    pub fn parse(s: &str) -> Option<Version> {
        let b = s.as_bytes();
        if b.len() == 8 && s.starts_with("HTTP/") && b[6] == b'.' {
            let (ma, mi) = (b[5], b[7]);
            if ma.is_ascii_digit() && mi.is_ascii_digit() {
                return Some(Version {
                    major: ma - b'0',
                    minor: mi - b'0',
                });
            }
        }
        None
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP/{}.{}", self.major, self.minor)
    }
}

/// A three-digit status code (RFC 9110 §15).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StatusCode(pub u16);

impl StatusCode {
    /// 200 OK.
    pub const OK: StatusCode = StatusCode(200);
    /// 301 Moved Permanently.
    pub const MOVED_PERMANENTLY: StatusCode = StatusCode(301);
    /// 304 Not Modified.
    pub const NOT_MODIFIED: StatusCode = StatusCode(304);
    /// 400 Bad Request.
    pub const BAD_REQUEST: StatusCode = StatusCode(400);
    /// 404 Not Found.
    pub const NOT_FOUND: StatusCode = StatusCode(404);
    /// 405 Method Not Allowed.
    pub const METHOD_NOT_ALLOWED: StatusCode = StatusCode(405);
    /// 413 Content Too Large.
    pub const CONTENT_TOO_LARGE: StatusCode = StatusCode(413);
    /// 414 URI Too Long.
    pub const URI_TOO_LONG: StatusCode = StatusCode(414);
    /// 431 Request Header Fields Too Large (RFC 6585 §5).
    pub const HEADERS_TOO_LARGE: StatusCode = StatusCode(431);
    /// 501 Not Implemented.
    pub const NOT_IMPLEMENTED: StatusCode = StatusCode(501);
    /// 505 HTTP Version Not Supported.
    pub const VERSION_NOT_SUPPORTED: StatusCode = StatusCode(505);

    /// The reason phrase RFC 9110 suggests, or "" for codes we do not know.
    pub fn reason(self) -> &'static str {
        match self.0 {
            100 => "Continue",
            200 => "OK",
            201 => "Created",
            204 => "No Content",
            301 => "Moved Permanently",
            302 => "Found",
            303 => "See Other",
            304 => "Not Modified",
            307 => "Temporary Redirect",
            308 => "Permanent Redirect",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            411 => "Length Required",
            413 => "Content Too Large",
            414 => "URI Too Long",
            431 => "Request Header Fields Too Large",
            500 => "Internal Server Error",
            501 => "Not Implemented",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            505 => "HTTP Version Not Supported",
            _ => "",
        }
    }

    /// 3xx codes that carry a Location to follow.
    pub fn is_redirect(self) -> bool {
        matches!(self.0, 301 | 302 | 303 | 307 | 308)
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.reason())
    }
}

/// Header fields in arrival order; names compare case-insensitively (RFC 9110 §5.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// No fields.
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// Appends a field line.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether a comma-separated list field (e.g. `Connection`) holds `token`.
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.get_all(name)
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// All fields as (name, value).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Number of field lines.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No field lines.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why a message head could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HeadError {
    /// The start line is longer than [`MAX_START_LINE`].
    #[error("start line longer than {MAX_START_LINE} bytes")]
    StartLineTooLong,
    /// The head is larger than [`MAX_HEAD`] or has more than [`MAX_FIELDS`] fields.
    #[error("header fields larger than {MAX_HEAD} bytes or more than {MAX_FIELDS} lines")]
    HeadTooLarge,
    /// The start line does not follow the grammar.
    #[error("malformed start line: {0}")]
    BadStartLine(String),
    /// A field line does not follow the grammar.
    #[error("malformed header field: {0}")]
    BadField(String),
}

/// Where the head ends in `buf`: `Some(len)` including the empty line, or `None`
/// if it has not arrived yet. `Err` when limits are exceeded while waiting.
pub(crate) fn find_head_end(buf: &[u8]) -> Result<Option<usize>, HeadError> {
    let mut line_start = 0;
    for (i, &b) in buf.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        if line_start == 0 && i > MAX_START_LINE {
            return Err(HeadError::StartLineTooLong);
        }
        let line = &buf[line_start..i];
        if line.is_empty() || line == b"\r" {
            if i + 1 > MAX_HEAD {
                return Err(HeadError::HeadTooLarge);
            }
            return Ok(Some(i + 1));
        }
        line_start = i + 1;
    }
    if line_start == 0 && buf.len() > MAX_START_LINE {
        return Err(HeadError::StartLineTooLong);
    }
    if buf.len() > MAX_HEAD {
        return Err(HeadError::HeadTooLarge);
    }
    Ok(None)
}

/// Splits a complete head into its start line and fields.
pub(crate) fn parse_head(head: &[u8]) -> Result<(String, Headers), HeadError> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let start = lines.next().unwrap_or_default().to_string();
    let mut headers = Headers::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if headers.len() >= MAX_FIELDS {
            return Err(HeadError::HeadTooLarge);
        }
        if line.starts_with([' ', '\t']) {
            // RFC 9112 §5.2: obs-fold is rejected with 400 by a server.
            return Err(HeadError::BadField("obsolete line folding".into()));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(HeadError::BadField(format!("no colon in {:?}", clip(line))));
        };
        if name.is_empty() || !name.bytes().all(is_tchar) {
            // RFC 9112 §5.1: "No whitespace is allowed between the field name and colon."
            return Err(HeadError::BadField(format!(
                "bad field name {:?}",
                clip(name)
            )));
        }
        let value = value.trim_matches([' ', '\t']);
        if value.bytes().any(|b| b == 0 || b == b'\r') {
            return Err(HeadError::BadField(format!("bad value for {name}")));
        }
        headers.push(name, value);
    }
    Ok((start, headers))
}

/// `tchar` from RFC 9110 §5.6.2.
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// At most 40 characters of `s`, for error messages.
pub(crate) fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_end_accepts_crlf_and_lf() {
        assert_eq!(
            find_head_end(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nrest"),
            Ok(Some(27))
        );
        assert_eq!(find_head_end(b"GET / HTTP/1.1\nHost: a\n\n"), Ok(Some(24)));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\nHost: a\r\n"), Ok(None));
        let long = vec![b'a'; MAX_START_LINE + 1];
        assert_eq!(find_head_end(&long), Err(HeadError::StartLineTooLong));
    }

    #[test]
    fn fields_follow_the_grammar() {
        let (start, h) = parse_head(b"GET / HTTP/1.1\r\nHost:  a.com \r\nX-A: 1\r\n\r\n").unwrap();
        assert_eq!(start, "GET / HTTP/1.1");
        assert_eq!(h.get("host"), Some("a.com"));
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost : a\r\n\r\n").is_err());
        assert!(parse_head(b"GET / HTTP/1.1\r\nX: a\r\n  folded\r\n\r\n").is_err());
        assert!(parse_head(b"GET / HTTP/1.1\r\nnocolon\r\n\r\n").is_err());
    }

    #[test]
    fn methods_versions_and_tokens() {
        assert_eq!(Method::parse("GET"), Method::Get);
        assert_eq!(Method::parse("POST"), Method::Standard("POST"));
        assert_eq!(Method::parse("get"), Method::Unknown("get".into()));
        assert_eq!(Version::parse("HTTP/1.1"), Some(Version::HTTP_11));
        assert_eq!(Version::parse("HTTP/1.10"), None);
        let mut h = Headers::new();
        h.push("Connection", "keep-alive, Close");
        assert!(h.has_token("connection", "close"));
        assert_eq!(
            StatusCode(431).to_string(),
            "431 Request Header Fields Too Large"
        );
    }
}
