//! The client side of one exchange: the request the browser sends and an
//! incremental parser for the response (RFC 9112 §4 status line, §6.3 framing).

use super::body::{BodyDecoder, BodyError, Framing, framing};
use super::message::{HeadError, Headers, StatusCode, Version, clip, find_head_end, parse_head};
use super::url::Url;

/// The `User-Agent` the browser sends.
pub const USER_AGENT: &str = "lanlab-browser/0.1";

/// Encodes `GET <path> HTTP/1.1` for `url`, asking the server to close afterwards.
pub fn encode_get(url: &Url) -> Vec<u8> {
    format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {USER_AGENT}\r\nAccept: text/html, */*\r\nConnection: close\r\n\r\n",
        url.path,
        url.host_header()
    )
    .into_bytes()
}

/// A complete response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// Protocol version of the server.
    pub version: Version,
    /// Status code.
    pub status: StatusCode,
    /// Reason phrase as sent.
    pub reason: String,
    /// Header fields.
    pub headers: Headers,
    /// Decoded content.
    pub body: Vec<u8>,
}

/// Why a response could not be understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// The head is malformed or too large.
    #[error(transparent)]
    Head(#[from] HeadError),
    /// The status line is not `HTTP/x.y NNN reason`.
    #[error("bad status line {0:?}")]
    BadStatusLine(String),
    /// The body framing is broken.
    #[error(transparent)]
    Body(#[from] BodyError),
    /// The server closed the connection without sending anything.
    #[error("the server closed the connection without a response")]
    Empty,
    /// The server closed the connection in the middle of the head.
    #[error("the connection closed in the middle of the response header")]
    TruncatedHead,
}

#[derive(Clone, Debug)]
enum State {
    Head,
    Body {
        version: Version,
        status: StatusCode,
        reason: String,
        headers: Headers,
        body: BodyDecoder,
    },
    Done,
}

/// Reads one response from successive input chunks.
#[derive(Clone, Debug)]
pub struct ResponseReader {
    buf: Vec<u8>,
    state: State,
    head_request: bool,
    max_body: usize,
    received: usize,
}

impl ResponseReader {
    /// A reader for the response to a request (`head_request`: it was HEAD, so no body).
    pub fn new(head_request: bool, max_body: usize) -> Self {
        ResponseReader {
            buf: Vec::new(),
            state: State::Head,
            head_request,
            max_body,
            received: 0,
        }
    }

    /// Bytes received so far.
    pub fn received(&self) -> usize {
        self.received
    }

    /// Feeds input; `Ok(Some(response))` once it is complete.
    ///
    /// # Errors
    /// [`ResponseError`] when the response cannot be parsed.
    pub fn feed(&mut self, input: &[u8]) -> Result<Option<Response>, ResponseError> {
        self.received = self.received.saturating_add(input.len());
        self.buf.extend_from_slice(input);
        loop {
            match &mut self.state {
                State::Done => return Ok(None),
                State::Head => {
                    let Some(end) = find_head_end(&self.buf)? else {
                        return Ok(None);
                    };
                    let head: Vec<u8> = self.buf.drain(..end).collect();
                    let (line, headers) = parse_head(&head)?;
                    let (version, status, reason) = parse_status_line(&line)?;
                    if (100..200).contains(&status.0) {
                        continue; // interim response (RFC 9110 §15.2): wait for the final one
                    }
                    // RFC 9112 §6.3: "Any response to a HEAD request and any response
                    // with a 1xx (Informational), 204 (No Content), or 304 (Not
                    // Modified) status code is always terminated by the first empty
                    // line after the header fields".
                    let f = if self.head_request || status.0 == 204 || status.0 == 304 {
                        Framing::None
                    } else {
                        framing(&headers, false)?
                    };
                    self.state = State::Body {
                        version,
                        status,
                        reason,
                        headers,
                        body: BodyDecoder::new(f, self.max_body),
                    };
                }
                State::Body { body, .. } => {
                    let used = body.feed(&self.buf)?;
                    self.buf.drain(..used);
                    if !body.is_done() {
                        return Ok(None);
                    }
                    return Ok(Some(self.finish()));
                }
            }
        }
    }

    /// The server closed the connection: completes a close-delimited response.
    ///
    /// # Errors
    /// [`ResponseError`] if the response was cut short.
    pub fn feed_eof(&mut self) -> Result<Option<Response>, ResponseError> {
        match &mut self.state {
            State::Done => Ok(None),
            State::Head if self.received == 0 => Err(ResponseError::Empty),
            State::Head => Err(ResponseError::TruncatedHead),
            State::Body { body, .. } => {
                body.finish_on_close()?;
                Ok(Some(self.finish()))
            }
        }
    }

    fn finish(&mut self) -> Response {
        match core::mem::replace(&mut self.state, State::Done) {
            State::Body {
                version,
                status,
                reason,
                headers,
                body,
            } => Response {
                version,
                status,
                reason,
                headers,
                body: body.into_body(),
            },
            _ => unreachable_response(),
        }
    }
}

/// `finish` is only called in the Body state; this keeps it panic-free anyway.
fn unreachable_response() -> Response {
    Response {
        version: Version::HTTP_11,
        status: StatusCode(0),
        reason: String::new(),
        headers: Headers::new(),
        body: Vec::new(),
    }
}

/// `status-line = HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4).
fn parse_status_line(line: &str) -> Result<(Version, StatusCode, String), ResponseError> {
    let bad = || ResponseError::BadStatusLine(clip(line));
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().and_then(Version::parse).ok_or_else(bad)?;
    let code = parts.next().ok_or_else(bad)?;
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let status = code.parse().map(StatusCode).map_err(|_| bad())?;
    if status.0 < 100 {
        return Err(bad());
    }
    Ok((version, status, parts.next().unwrap_or("").to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(chunks: &[&[u8]], eof: bool) -> Result<Option<Response>, ResponseError> {
        let mut r = ResponseReader::new(false, 1 << 20);
        for c in chunks {
            if let Some(resp) = r.feed(c)? {
                return Ok(Some(resp));
            }
        }
        if eof { r.feed_eof() } else { Ok(None) }
    }

    #[test]
    fn content_length_chunked_and_close_delimited() {
        let r = read_all(
            &[
                b"HTTP/1.1 200 OK\r\nContent-Le",
                b"ngth: 5\r\n\r\nhel",
                b"lo",
            ],
            false,
        )
        .unwrap()
        .unwrap();
        assert_eq!((r.status.0, r.body.as_slice()), (200, &b"hello"[..]));
        let r = read_all(
            &[b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"],
            false,
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.body, b"hello");
        let r = read_all(&[b"HTTP/1.0 200 OK\r\n\r\nuntil ", b"close"], true)
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.version, r.body.as_slice()),
            (Version::HTTP_10, &b"until close"[..])
        );
        let r = read_all(
            &[b"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"],
            false,
        )
        .unwrap();
        assert_eq!(r.unwrap().body, b"");
    }

    #[test]
    fn broken_responses() {
        assert_eq!(read_all(&[], true), Err(ResponseError::Empty));
        assert_eq!(
            read_all(&[b"HTTP/1.1 200"], true),
            Err(ResponseError::TruncatedHead)
        );
        assert!(matches!(
            read_all(&[b"SSH-2.0-OpenSSH\r\n\r\n"], true),
            Err(ResponseError::BadStatusLine(_))
        ));
        assert!(matches!(
            read_all(&[b"HTTP/1.1 20 OK\r\n\r\n"], true),
            Err(ResponseError::BadStatusLine(_))
        ));
        assert!(matches!(
            read_all(&[b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"], true),
            Err(ResponseError::Body(BodyError::Truncated(7)))
        ));
    }
}
