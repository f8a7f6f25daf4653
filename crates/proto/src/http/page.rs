//! What a page load yields: the [`Page`] shown in the browser window, or the
//! [`LoadError`] the UI words as an error page (in the user's language).

use super::html::{Link, extract_links, extract_title};
use super::message::StatusCode;
use super::url::{Url, UrlError};

/// A page that loaded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Page {
    /// The final URL, after redirects.
    pub url: Url,
    /// Status code.
    pub status: u16,
    /// The `Content-Type` (empty if the server sent none).
    pub content_type: String,
    /// The content.
    pub body: Vec<u8>,
}

impl Page {
    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Whether the content is HTML.
    pub fn is_html(&self) -> bool {
        self.content_type
            .to_ascii_lowercase()
            .starts_with("text/html")
    }

    /// The `<title>`, for HTML pages.
    pub fn title(&self) -> Option<String> {
        self.is_html()
            .then(|| extract_title(&self.text()))
            .flatten()
    }

    /// The `<a href>` links, for HTML pages.
    pub fn links(&self) -> Vec<Link> {
        if self.is_html() {
            extract_links(&self.text())
        } else {
            Vec::new()
        }
    }
}

/// Why a page did not load; the UI words each one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum LoadError {
    /// The address could not be understood.
    #[error(transparent)]
    InvalidAddress(#[from] UrlError),
    /// DNS says the name does not exist.
    #[error("server {host} not found (DNS: no such name)")]
    ServerNotFound {
        /// The name looked up.
        host: String,
    },
    /// No DNS server answered.
    #[error("DNS did not answer for {host}")]
    DnsTimeout {
        /// The name looked up.
        host: String,
    },
    /// Nothing listens on the port.
    #[error("{host} refused the connection on port {port}")]
    ConnectionRefused {
        /// Host as in the URL.
        host: String,
        /// Port.
        port: u16,
    },
    /// A router answered the connection attempt with ICMP net or host
    /// unreachable: no path to the server.
    #[error(
        "{host} is unreachable: a router has no way to it (check the address, gateways and routes)"
    )]
    Unreachable {
        /// Host as in the URL.
        host: String,
    },
    /// A router's access list refused the connection (ICMP
    /// administratively prohibited).
    #[error("a router's access list blocks the connection to {host} port {port}")]
    Prohibited {
        /// Host as in the URL.
        host: String,
        /// Port.
        port: u16,
    },
    /// No (complete) answer in time.
    #[error("{url} took too long to respond")]
    TimedOut {
        /// The URL being loaded.
        url: String,
    },
    /// The server's answer is not HTTP the browser can read.
    #[error("{url} sent an invalid response: {reason}")]
    BadResponse {
        /// The URL being loaded.
        url: String,
        /// What was wrong.
        reason: String,
    },
    /// Redirect loop or chain too long.
    #[error("{url} redirected more than {limit} times")]
    TooManyRedirects {
        /// The last URL.
        url: String,
        /// The limit.
        limit: u8,
    },
    /// The server answered with a 4xx or 5xx status; its page is kept.
    #[error("{} answered {}", page.url, StatusCode(*status))]
    HttpError {
        /// Status code.
        status: u16,
        /// The server's error page.
        page: Box<Page>,
    },
}

/// The outcome of a load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrowserEvent {
    /// The page loaded.
    Loaded(Page),
    /// It did not.
    Failed(LoadError),
}
