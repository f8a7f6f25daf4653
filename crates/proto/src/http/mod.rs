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
//! RFC 9110 §1: "HTTP is a family of stateless, application-level,
//! request/response protocols that share a generic interface, extensible
//! semantics, and self-descriptive messages". Only GET and HEAD are served: the
//! lab's web server hosts static pages edited in the app.

mod body;
mod browser;
mod date;
mod html;
mod message;
mod response;
mod server;
mod site;
mod url;

#[cfg(test)]
mod tests;

pub use body::{BodyDecoder, BodyError, Framing, framing};
pub use browser::{
    Browser, BrowserAction, BrowserConfig, BrowserEvent, BrowserNote, ConnId, ConnectError,
    LoadError, Page, ResolveError,
};
pub use date::{format_http_date, parse_http_date};
pub use html::{Link, escape_html, extract_links, extract_title};
pub use message::{
    HeadError, Headers, MAX_FIELDS, MAX_HEAD, MAX_START_LINE, Method, StatusCode, Version,
};
pub use response::{Response, ResponseError, ResponseReader, USER_AGENT, encode_get};
pub use server::{
    CloseReason, MAX_REQUEST_BODY, Request, ServerEvent, ServerNote, ServerSession, parse_request,
};
pub use site::{
    DEFAULT_SERVER_NAME, INDEX, Lookup, Site, WebFile, WebServerConfig, content_type_for,
};
pub use url::{Host, Url, UrlError, percent_decode, remove_dot_segments};
