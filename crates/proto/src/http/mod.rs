//! HTTP/1.1 (RFC 9110 semantics, RFC 9112 message syntax): the static web server
//! behind a server's "HTTP" service, and the browser engine behind the desktop
//! web browser.
//!
//! - [`ServerSession`] is one accepted TCP connection of the web server: bytes in
//!   ([`ServerSession::handle_input`]), responses out ([`ServerSession::poll_output`]),
//!   several requests per connection, pipelined requests answered in order. The
//!   files come from a [`WebServerConfig`] (part of the lab document) passed on
//!   each call, so edits apply live.
//! - [`Browser`] turns an address into a [`Page`]: it asks its caller to resolve
//!   the name and open a connection ([`BrowserAction`]), sends `GET`, reads the
//!   response (Content-Length, chunked or close-delimited), follows redirects and
//!   keeps back/forward history.
//! - [`Url`] parses the address bar and resolves links (RFC 3986 §5.2);
//!   [`extract_links`] and [`extract_title`] read HTML without ever failing.
//!
//! # Mounting the engines
//!
//! The simulator owns the TCP connections; the engines only see bytes:
//!
//! ```
//! use lanlab_proto::http::*;
//! use lanlab_proto::{SimTime, StreamServer};
//! use std::net::Ipv4Addr;
//!
//! let mut site = WebServerConfig::with_home_page("<title>Hasan</title>hello", 1_794_000_000);
//! let lab_start_unix = 1_795_000_000; // wall clock at virtual time zero, for Date
//! let now = SimTime::from_secs(1);
//! let mut browser = Browser::new(BrowserConfig::default());
//! let mut server: Option<ServerSession> = None; // accepted on port 80
//!
//! browser.navigate(now, "hasan.com").unwrap();
//! let page = loop {
//!     if let Some(event) = browser.poll_event() {
//!         break event;
//!     }
//!     match browser.poll_action().expect("the browser always has work or a result") {
//!         // The host's stub resolver (DNS) answers; NXDOMAIN → ResolveError::NotFound.
//!         BrowserAction::Resolve { name } => {
//!             browser.handle_resolved(now, &name, Ok(Ipv4Addr::new(192, 168, 1, 1)))
//!         }
//!         // TCP handshake; an RST → handle_connect_failed(.., ConnectError::Refused).
//!         BrowserAction::Connect { conn, .. } => {
//!             server = Some(ServerSession::new(now, lab_start_unix));
//!             browser.handle_connected(now, conn);
//!         }
//!         // Bytes cross the wire (as TCP segments, in any chunking).
//!         BrowserAction::Send { conn, bytes } => {
//!             let s = server.as_mut().unwrap();
//!             s.handle_input(now, &bytes, &mut site);
//!             while let Some(reply) = s.poll_output() {
//!                 browser.handle_input(now, conn, &reply);
//!             }
//!             while let Some(note) = s.poll_note() {
//!                 println!("{note}"); // "GET / → 200 (25 bytes)"
//!             }
//!             if s.is_closed() {
//!                 browser.handle_eof(now, conn); // the server's FIN
//!             }
//!         }
//!         BrowserAction::Close { .. } => server = None,
//!     }
//! };
//! let BrowserEvent::Loaded(page) = page else { panic!("{page:?}") };
//! assert_eq!(page.title().as_deref(), Some("Hasan"));
//! assert_eq!(page.url.to_string(), "http://hasan.com/");
//! ```
//!
//! The server session is a [`crate::StreamServer`] whose context is the site.
//! Timers: call `handle_timeout` at `poll_timeout()` (the server's keep-alive
//! idle close, the browser's 30 s load timeout).
//!
//! RFC 9110 §1: "HTTP is a family of stateless, application-level,
//! request/response protocols that share a generic interface, extensible
//! semantics, and self-descriptive messages". Only GET and HEAD are served: the
//! lab's web server hosts static pages edited in the app.

mod body;
mod browser;
mod date;
pub mod fields;
mod html;
mod message;
mod page;
mod reply;
mod response;
pub mod sanitize;
mod server;
mod site;
mod url;

#[cfg(test)]
mod browser_tests;
#[cfg(test)]
mod tests;

pub use body::{BodyDecoder, BodyError, Framing, framing};
pub use browser::{
    Browser, BrowserAction, BrowserConfig, BrowserNote, ConnId, ConnectError, ResolveError,
};
pub use date::{format_http_date, parse_http_date};
pub use html::{Link, escape_html, extract_links, extract_title};
pub use message::{
    HeadError, Headers, MAX_FIELDS, MAX_HEAD, MAX_START_LINE, Method, StatusCode, Version,
};
pub use page::{BrowserEvent, LoadError, Page};
pub use response::{Response, ResponseError, ResponseReader, USER_AGENT, encode_get};
pub use server::{
    CloseReason, MAX_REQUEST_BODY, Request, ServerEvent, ServerNote, ServerSession, parse_request,
};
pub use site::{
    DEFAULT_SERVER_NAME, INDEX, Lookup, Site, WebFile, WebServerConfig, content_type_for,
};
pub use url::{Host, Url, UrlError, percent_decode, remove_dot_segments};
