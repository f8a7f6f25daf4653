//! HTTP/1.1 (RFC 9110/9112): a static web server and the browser engine behind the desktop web browser.
