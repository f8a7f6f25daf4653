//! The web server's configuration, as stored in the lab document: the files of a
//! site, virtual hosts chosen by `Host` (RFC 9110 §7.2), and how a request path
//! maps to a file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One file of a site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebFile {
    /// The file's text (HTML, CSS, plain text…).
    pub content: String,
    /// When it was last edited, in unix seconds (becomes `Last-Modified`).
    #[serde(default)]
    pub modified: u64,
}

impl WebFile {
    /// A file with `content`, last modified at `modified` (unix seconds).
    pub fn new(content: impl Into<String>, modified: u64) -> Self {
        WebFile {
            content: content.into(),
            modified,
        }
    }
}

/// A set of files served under one host name: path (no leading `/`, e.g.
/// `index.html`, `docs/a.html`) → file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// The files, by path relative to the site's root.
    #[serde(default)]
    pub files: BTreeMap<String, WebFile>,
}

/// What a request path resolves to inside a site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// A file, with its site path.
    File(&'a str, &'a WebFile),
    /// A directory requested without its trailing slash: redirect to `path/`.
    AddSlash,
    /// Nothing there.
    NotFound,
}

impl Site {
    /// A site with the given files.
    pub fn with_files<I, P>(files: I) -> Self
    where
        I: IntoIterator<Item = (P, WebFile)>,
        P: Into<String>,
    {
        Site {
            files: files
                .into_iter()
                .map(|(p, f)| (p.into().trim_start_matches('/').to_string(), f))
                .collect(),
        }
    }

    /// Resolves a decoded, dot-segment-free absolute path (`/`, `/a.html`, `/docs/`).
    pub fn lookup(&self, path: &str) -> Lookup<'_> {
        let rel = path.trim_start_matches('/');
        let key = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}{INDEX}")
        } else {
            rel.to_string()
        };
        if let Some((k, f)) = self.files.get_key_value(&key) {
            return Lookup::File(k, f);
        }
        if !rel.is_empty() && !rel.ends_with('/') {
            let dir = format!("{rel}/");
            if self.files.keys().any(|k| k.starts_with(&dir)) {
                return Lookup::AddSlash;
            }
        }
        Lookup::NotFound
    }
}

/// The default document of a directory.
pub const INDEX: &str = "index.html";

/// The `Server` header value unless configured otherwise.
pub const DEFAULT_SERVER_NAME: &str = "lanlab-httpd/0.1";

/// The HTTP service of a server: a default site and optional virtual hosts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebServerConfig {
    /// Served when no virtual host matches the request's `Host`.
    #[serde(default)]
    pub default_site: Site,
    /// Sites by host name (lower case, no port), e.g. `hasan.com`.
    #[serde(default)]
    pub virtual_hosts: BTreeMap<String, Site>,
    /// The `Server` header value.
    #[serde(default = "default_server_name")]
    pub server_name: String,
    /// Seconds an idle keep-alive connection stays open.
    #[serde(default = "default_keep_alive")]
    pub keep_alive_secs: u64,
}

fn default_server_name() -> String {
    DEFAULT_SERVER_NAME.to_string()
}

fn default_keep_alive() -> u64 {
    5
}

impl Default for WebServerConfig {
    fn default() -> Self {
        WebServerConfig {
            default_site: Site::default(),
            virtual_hosts: BTreeMap::new(),
            server_name: default_server_name(),
            keep_alive_secs: default_keep_alive(),
        }
    }
}

impl WebServerConfig {
    /// A server whose default site holds one `index.html`.
    pub fn with_home_page(html: impl Into<String>, modified: u64) -> Self {
        WebServerConfig {
            default_site: Site::with_files([(INDEX, WebFile::new(html, modified))]),
            ..Default::default()
        }
    }

    /// The site for a `Host` value (port and trailing dot ignored, case-insensitive),
    /// with the virtual host's name when one matched.
    pub fn site_for(&self, host: Option<&str>) -> (Option<&str>, &Site) {
        if let Some(h) = host {
            let name = host_without_port(h)
                .trim_end_matches('.')
                .to_ascii_lowercase();
            if let Some((k, site)) = self.virtual_hosts.get_key_value(&name) {
                return (Some(k.as_str()), site);
            }
        }
        (None, &self.default_site)
    }
}

fn host_without_port(h: &str) -> &str {
    match h.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            host
        }
        _ => h,
    }
}

/// The media type for a file name, by extension (RFC 9110 §8.3).
pub fn content_type_for(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "txt" | "text" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site::with_files([
            ("index.html", WebFile::new("home", 0)),
            ("docs/index.html", WebFile::new("docs", 0)),
            ("docs/a.txt", WebFile::new("a", 0)),
        ])
    }

    #[test]
    fn paths_map_to_files() {
        let s = site();
        assert!(matches!(s.lookup("/"), Lookup::File("index.html", _)));
        assert!(matches!(
            s.lookup("/docs/"),
            Lookup::File("docs/index.html", _)
        ));
        assert!(matches!(
            s.lookup("/docs/a.txt"),
            Lookup::File("docs/a.txt", _)
        ));
        assert_eq!(s.lookup("/docs"), Lookup::AddSlash);
        assert_eq!(s.lookup("/nope.html"), Lookup::NotFound);
        assert_eq!(s.lookup("/doc"), Lookup::NotFound);
    }

    #[test]
    fn virtual_hosts_by_host_header() {
        let mut c = WebServerConfig::with_home_page("default", 0);
        c.virtual_hosts.insert("hasan.com".into(), site());
        assert_eq!(c.site_for(Some("Hasan.COM:80")).0, Some("hasan.com"));
        assert_eq!(c.site_for(Some("hasan.com.")).0, Some("hasan.com"));
        assert_eq!(c.site_for(Some("192.168.1.1")).0, None);
        assert_eq!(c.site_for(None).0, None);
        assert_eq!(content_type_for("a/B.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type_for("noext"), "application/octet-stream");
    }
}
