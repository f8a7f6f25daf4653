//! `http` URLs (RFC 9110 §4.2.1) as the browser's address bar takes them, and
//! reference resolution for links (RFC 3986 §5.2).
//!
//! The address bar accepts what people type: `hasan.com`, `http://hasan.com/`,
//! `192.168.1.1`, `http://192.168.1.1:8080/x.html`. lanlab's browser speaks
//! plain HTTP only, so `https://…` is refused with its own error, and so are
//! `javascript:`, `data:` and every other scheme.

use core::fmt;
use std::net::Ipv4Addr;

/// Why an address or link cannot be opened.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum UrlError {
    /// Nothing was typed.
    #[error("the address is empty")]
    Empty,
    /// An `https://` address.
    #[error("lanlab's browser speaks HTTP only")]
    HttpsNotSupported,
    /// Another scheme (`ftp:`, `javascript:`, `data:`, …).
    #[error("lanlab's browser cannot open {0}: addresses")]
    UnsupportedScheme(String),
    /// The host part is missing or not a valid name or IPv4 address.
    #[error("{0:?} is not a valid host name or IPv4 address")]
    BadHost(String),
    /// The port is not a number from 1 to 65535.
    #[error("port {0:?} is not a number from 1 to 65535")]
    BadPort(String),
    /// Spaces or control characters where they cannot be.
    #[error("the address contains characters that are not allowed")]
    BadCharacters,
    /// The address is longer than the browser accepts.
    #[error("the address is longer than 2048 characters")]
    TooLong,
}

/// The host part of a URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Host {
    /// A DNS name, lower case, without a trailing dot.
    Name(String),
    /// A literal IPv4 address: no DNS lookup needed.
    Ipv4(Ipv4Addr),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => f.write_str(n),
            Host::Ipv4(a) => write!(f, "{a}"),
        }
    }
}

/// An absolute `http` URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Url {
    /// Host name or address.
    pub host: Host,
    /// TCP port (80 unless given).
    pub port: u16,
    /// Path and query, always starting with `/` (the request target).
    pub path: String,
    /// Fragment without `#`, never sent to the server.
    pub fragment: Option<String>,
}

const MAX_URL: usize = 2048;

impl Url {
    /// Parses what the user typed in the address bar; a missing scheme means `http`.
    ///
    /// # Errors
    /// [`UrlError`] naming what is wrong with the address.
    pub fn parse_address_bar(input: &str) -> Result<Url, UrlError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(UrlError::Empty);
        }
        if s.len() > MAX_URL {
            return Err(UrlError::TooLong);
        }
        match scheme_of(s) {
            Some((scheme, rest)) => {
                check_scheme(&scheme)?;
                parse_after_scheme(rest)
            }
            None => parse_authority_and_path(s.trim_start_matches('/')),
        }
    }

    /// Resolves a link found on this page (RFC 3986 §5.2.2) to an absolute URL.
    ///
    /// # Errors
    /// [`UrlError`] if the reference uses another scheme or a bad host.
    pub fn join(&self, reference: &str) -> Result<Url, UrlError> {
        let r = reference.trim_matches(|c: char| c.is_ascii_whitespace());
        if r.len() > MAX_URL {
            return Err(UrlError::TooLong);
        }
        if let Some((scheme, rest)) = scheme_of(r) {
            check_scheme(&scheme)?;
            return parse_after_scheme(rest);
        }
        if let Some(rest) = r.strip_prefix("//") {
            return parse_authority_and_path(rest);
        }
        let (r, fragment) = split_fragment(r);
        check_chars(r)?;
        let mut url = self.clone();
        url.fragment = fragment;
        let (base_path, base_query) = split_query(&self.path);
        if r.is_empty() {
            // Same document; only the fragment changes.
            return Ok(url);
        }
        let (ref_path, ref_query) = split_query(r);
        let path = if ref_path.is_empty() {
            url.path = format!(
                "{base_path}{}",
                ref_query.unwrap_or(base_query.unwrap_or(""))
            );
            return Ok(url);
        } else if ref_path.starts_with('/') {
            remove_dot_segments(ref_path)
        } else {
            // §5.2.3 merge: base path up to and including its last "/".
            let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
            remove_dot_segments(&format!("{dir}{ref_path}"))
        };
        url.path = format!("{}{}", encode_path(&path), ref_query.unwrap_or(""));
        Ok(url)
    }

    /// The `Host` header value: the host, with the port unless it is 80.
    pub fn host_header(&self) -> String {
        if self.port == 80 {
            self.host.to_string()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "http://{}{}", self.host_header(), self.path)?;
        if let Some(frag) = &self.fragment {
            write!(f, "#{frag}")?;
        }
        Ok(())
    }
}

/// `scheme ":"` at the start (RFC 3986 §3.1), lower-cased, unless it looks like
/// `host:port` (a bare name followed by digits).
fn scheme_of(s: &str) -> Option<(String, &str)> {
    let colon = s.find(':')?;
    let (scheme, rest) = (&s[..colon], &s[colon + 1..]);
    let first = scheme.bytes().next()?;
    if !first.is_ascii_alphabetic()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return None;
    }
    if !rest.starts_with("//") {
        let port: &str = rest.split(['/', '?', '#']).next().unwrap_or("");
        if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
            return None; // `hasan.com:8080/x`
        }
        if scheme.contains('.') {
            return None; // `hasan.com:abc`: a bad port, reported later
        }
    }
    Some((scheme.to_ascii_lowercase(), rest))
}

fn check_scheme(scheme: &str) -> Result<(), UrlError> {
    match scheme {
        "http" => Ok(()),
        "https" => Err(UrlError::HttpsNotSupported),
        other => Err(UrlError::UnsupportedScheme(
            other.chars().take(20).collect(),
        )),
    }
}

fn parse_after_scheme(rest: &str) -> Result<Url, UrlError> {
    match rest.strip_prefix("//") {
        Some(r) => parse_authority_and_path(r),
        None => Err(UrlError::BadHost(String::new())),
    }
}

fn split_fragment(s: &str) -> (&str, Option<String>) {
    match s.split_once('#') {
        Some((a, f)) => (a, Some(f.to_string())),
        None => (s, None),
    }
}

fn split_query(s: &str) -> (&str, Option<&str>) {
    match s.find('?') {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => (s, None),
    }
}

fn check_chars(s: &str) -> Result<(), UrlError> {
    if s.chars().any(|c| c.is_control()) {
        return Err(UrlError::BadCharacters);
    }
    Ok(())
}

fn parse_authority_and_path(s: &str) -> Result<Url, UrlError> {
    let (s, fragment) = split_fragment(s);
    check_chars(s)?;
    let end = s.find(['/', '?']).unwrap_or(s.len());
    let (authority, rest) = (&s[..end], &s[end..]);
    // Userinfo is obsolete for http (RFC 9110 §4.2.4): drop it.
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if authority.starts_with('[') {
        // The lab is IPv4-only.
        return Err(UrlError::BadHost(authority.chars().take(60).collect()));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => {
            let port = p
                .parse::<u16>()
                .ok()
                .filter(|n| *n != 0 && p.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| UrlError::BadPort(p.chars().take(20).collect()))?;
            (h, port)
        }
        None => (authority, 80),
    };
    let host = parse_host(host)?;
    let path = match rest {
        "" => "/".to_string(),
        r if r.starts_with('?') => format!("/{r}"),
        r => {
            let (p, q) = split_query(r);
            format!(
                "{}{}",
                encode_path(&remove_dot_segments(p)),
                q.unwrap_or("")
            )
        }
    };
    Ok(Url {
        host,
        port,
        path: path.replace(' ', "%20"),
        fragment,
    })
}

/// A host name (RFC 1123 labels) or dotted-quad IPv4 address.
fn parse_host(h: &str) -> Result<Host, UrlError> {
    let bad = || UrlError::BadHost(h.chars().take(60).collect());
    let name = h.strip_suffix('.').unwrap_or(h).to_ascii_lowercase();
    if name.is_empty() || name.len() > 253 {
        return Err(bad());
    }
    if name.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return name.parse::<Ipv4Addr>().map(Host::Ipv4).map_err(|_| bad());
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if name.split('.').all(label_ok) {
        Ok(Host::Name(name))
    } else {
        Err(bad())
    }
}

/// Percent-encodes characters a request target cannot carry (spaces, non-ASCII).
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let s = core::str::from_utf8(hex).ok()?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(s, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// RFC 3986 §5.2.4 `remove_dot_segments`, on a path; the result of an absolute
/// path never climbs above `/`.
pub fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut output: Vec<&str> = Vec::new(); // segments, each starting with "/" (or the first without)
    while !input.is_empty() {
        if let Some(r) = input.strip_prefix("../") {
            input = r;
        } else if let Some(r) = input.strip_prefix("./") {
            input = r;
        } else if input.starts_with("/./") {
            input = &input[2..];
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") {
            input = &input[3..];
            output.pop();
        } else if input == "/.." {
            input = "/";
            output.pop();
        } else if input == "." || input == ".." {
            input = "";
        } else {
            let start = usize::from(input.starts_with('/'));
            let end = input[start..].find('/').map_or(input.len(), |i| i + start);
            output.push(&input[..end]);
            input = &input[end..];
        }
    }
    let out = output.concat();
    if path.starts_with('/') && !out.starts_with('/') {
        format!("/{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> String {
        Url::parse_address_bar(s)
            .map(|u| u.to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn address_bar_forms() {
        assert_eq!(url("hasan.com"), "http://hasan.com/");
        assert_eq!(url("  http://Hasan.COM/ "), "http://hasan.com/");
        assert_eq!(url("192.168.1.1"), "http://192.168.1.1/");
        assert_eq!(
            url("http://192.168.1.1:8080/x.html"),
            "http://192.168.1.1:8080/x.html"
        );
        assert_eq!(
            url("hasan.com:8080/a b.html#top"),
            "http://hasan.com:8080/a%20b.html#top"
        );
        assert_eq!(url("HTTP://hasan.com/a/../b?q=1"), "http://hasan.com/b?q=1");
        assert_eq!(url("localhost:80"), "http://localhost/");
        let u = Url::parse_address_bar("hasan.com").unwrap();
        assert_eq!(u.host, Host::Name("hasan.com".into()));
        assert_eq!(
            Url::parse_address_bar("10.0.0.1").unwrap().host,
            Host::Ipv4(Ipv4Addr::new(10, 0, 0, 1))
        );
    }

    #[test]
    fn address_bar_errors() {
        assert_eq!(
            url("https://hasan.com"),
            "error: lanlab's browser speaks HTTP only"
        );
        assert_eq!(
            Url::parse_address_bar("ftp://x"),
            Err(UrlError::UnsupportedScheme("ftp".into()))
        );
        assert_eq!(
            Url::parse_address_bar("javascript:alert(1)"),
            Err(UrlError::UnsupportedScheme("javascript".into()))
        );
        assert_eq!(Url::parse_address_bar(""), Err(UrlError::Empty));
        assert!(matches!(
            Url::parse_address_bar("hasan com"),
            Err(UrlError::BadHost(_))
        ));
        assert!(matches!(
            Url::parse_address_bar("256.1.1.1"),
            Err(UrlError::BadHost(_))
        ));
        assert!(matches!(
            Url::parse_address_bar("hasan.com:99999"),
            Err(UrlError::BadPort(_))
        ));
        assert!(matches!(
            Url::parse_address_bar("hasan.com:0"),
            Err(UrlError::BadPort(_))
        ));
        assert!(matches!(
            Url::parse_address_bar("http://"),
            Err(UrlError::BadHost(_))
        ));
        assert!(matches!(
            Url::parse_address_bar("http://[::1]:80/"),
            Err(UrlError::BadHost(_))
        ));
        assert!(matches!(
            Url::parse_address_bar("-bad-.com"),
            Err(UrlError::BadHost(_))
        ));
    }

    #[test]
    fn rfc_3986_reference_resolution() {
        // The examples of RFC 3986 §5.4.1, with base http://a/b/c/d;p?q.
        let base = Url::parse_address_bar("http://a/b/c/d;p?q").unwrap();
        let cases = [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g/"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("g/../h", "http://a/b/c/h"),
            ("http://other.com:81/x", "http://other.com:81/x"),
        ];
        for (r, want) in cases {
            assert_eq!(base.join(r).unwrap().to_string(), want, "reference {r:?}");
        }
        assert_eq!(
            base.join("javascript:alert(1)"),
            Err(UrlError::UnsupportedScheme("javascript".into()))
        );
        assert_eq!(
            base.join("data:text/html,hi"),
            Err(UrlError::UnsupportedScheme("data".into()))
        );
        assert_eq!(
            base.join("mailto:a@b.c"),
            Err(UrlError::UnsupportedScheme("mailto".into()))
        );
        assert_eq!(base.join("https://a/"), Err(UrlError::HttpsNotSupported));
    }

    #[test]
    fn decoding_and_dot_segments() {
        assert_eq!(percent_decode("/a%20b"), Some("/a b".into()));
        assert_eq!(percent_decode("/a%2"), None);
        assert_eq!(percent_decode("/a%zz"), None);
        assert_eq!(remove_dot_segments("/../../etc/passwd"), "/etc/passwd");
        assert_eq!(remove_dot_segments("/a/b/c/./../../g"), "/a/g");
        assert_eq!(remove_dot_segments("mid/content=5/../6"), "mid/6");
    }
}
