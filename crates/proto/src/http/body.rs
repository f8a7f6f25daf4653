//! Message body framing (RFC 9112 §6–§7): Content-Length, chunked and
//! close-delimited bodies, decoded incrementally from arbitrary chunks.

use super::message::Headers;

/// How the body of a message is delimited (RFC 9112 §6.3).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Framing {
    /// No body at all (HEAD responses, 1xx, 204, 304, requests without length).
    None,
    /// Exactly this many bytes.
    Length(u64),
    /// The chunked transfer coding (RFC 9112 §7.1).
    Chunked,
    /// Everything until the connection closes (responses only).
    UntilClose,
}

/// Why a body could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Content-Length is not a number or several disagree.
    #[error("invalid Content-Length {0:?}")]
    BadLength(String),
    /// A transfer coding other than chunked, or chunked not last.
    #[error("unsupported Transfer-Encoding {0:?}")]
    BadTransferEncoding(String),
    /// A chunk-size line is not hexadecimal or is too long.
    #[error("bad chunk size line")]
    BadChunk,
    /// The body is larger than the limit.
    #[error("body larger than {0} bytes")]
    TooLarge(usize),
    /// The connection closed before the body was complete.
    #[error("connection closed {0} bytes before the end of the body")]
    Truncated(u64),
}

/// Determines the framing of a message from its fields (RFC 9112 §6.3 steps 3–7).
///
/// "If a message is received with both a Transfer-Encoding and a Content-Length
/// header field, the Transfer-Encoding overrides the Content-Length."
pub fn framing(headers: &Headers, is_request: bool) -> Result<Framing, BodyError> {
    let te: Vec<&str> = headers
        .get_all("transfer-encoding")
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if !te.is_empty() {
        if te.last().is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
            && te
                .iter()
                .filter(|t| t.eq_ignore_ascii_case("chunked"))
                .count()
                == 1
            && te.len() == 1
        {
            return Ok(Framing::Chunked);
        }
        return Err(BodyError::BadTransferEncoding(te.join(", ")));
    }
    let mut length: Option<u64> = None;
    for v in headers.get_all("content-length").flat_map(|v| v.split(',')) {
        let v = v.trim();
        let n: u64 = if !v.is_empty() && v.len() <= 18 && v.bytes().all(|b| b.is_ascii_digit()) {
            v.parse().map_err(|_| BodyError::BadLength(v.into()))?
        } else {
            return Err(BodyError::BadLength(v.chars().take(20).collect()));
        };
        if length.is_some_and(|l| l != n) {
            return Err(BodyError::BadLength(v.into()));
        }
        length = Some(n);
    }
    Ok(match length {
        Some(0) => Framing::None,
        Some(n) => Framing::Length(n),
        // "If this is a request message and none of the above are true, then the
        // message body length is zero"; a response is read until close.
        None if is_request => Framing::None,
        None => Framing::UntilClose,
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    Length(u64),
    ChunkSize(Vec<u8>),
    ChunkData(u64),
    ChunkDataEnd(Vec<u8>),
    Trailers(Vec<u8>),
    UntilClose,
    Done,
}

/// Decodes one body from successive input chunks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyDecoder {
    state: State,
    body: Vec<u8>,
    limit: usize,
}

const MAX_LINE: usize = 1024;

impl BodyDecoder {
    /// A decoder for `framing` that refuses bodies above `limit` bytes.
    pub fn new(framing: Framing, limit: usize) -> Self {
        let state = match framing {
            Framing::None => State::Done,
            Framing::Length(n) => State::Length(n),
            Framing::Chunked => State::ChunkSize(Vec::new()),
            Framing::UntilClose => State::UntilClose,
        };
        BodyDecoder {
            state,
            body: Vec::new(),
            limit,
        }
    }

    /// Whether the whole body has arrived.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Takes the decoded body.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    fn take(&mut self, bytes: &[u8]) -> Result<(), BodyError> {
        if self.body.len() + bytes.len() > self.limit {
            return Err(BodyError::TooLarge(self.limit));
        }
        self.body.extend_from_slice(bytes);
        Ok(())
    }

    /// Feeds input; returns how many bytes belong to this body. Bytes after the
    /// end (a pipelined next message) are left to the caller.
    pub fn feed(&mut self, input: &[u8]) -> Result<usize, BodyError> {
        let mut i = 0;
        while i < input.len() {
            let rest = &input[i..];
            match &mut self.state {
                State::Done => break,
                State::Length(n) => {
                    let k = rest.len().min(usize::try_from(*n).unwrap_or(usize::MAX));
                    *n -= k as u64;
                    let done = *n == 0;
                    self.take(&rest[..k])?;
                    i += k;
                    if done {
                        self.state = State::Done;
                    }
                }
                State::UntilClose => {
                    self.take(rest)?;
                    i += rest.len();
                }
                State::ChunkData(n) => {
                    let k = rest.len().min(usize::try_from(*n).unwrap_or(usize::MAX));
                    *n -= k as u64;
                    let done = *n == 0;
                    self.take(&rest[..k])?;
                    i += k;
                    if done {
                        self.state = State::ChunkDataEnd(Vec::new());
                    }
                }
                State::ChunkSize(line) | State::ChunkDataEnd(line) | State::Trailers(line) => {
                    let b = rest[0];
                    i += 1;
                    if b != b'\n' {
                        if line.len() >= MAX_LINE {
                            return Err(BodyError::BadChunk);
                        }
                        line.push(b);
                        continue;
                    }
                    let line = core::mem::take(line);
                    let line = line.strip_suffix(b"\r").unwrap_or(&line);
                    self.state = match &self.state {
                        State::ChunkSize(_) => match parse_chunk_size(line)? {
                            0 => State::Trailers(Vec::new()),
                            n => State::ChunkData(n),
                        },
                        State::ChunkDataEnd(_) if line.is_empty() => State::ChunkSize(Vec::new()),
                        State::ChunkDataEnd(_) => return Err(BodyError::BadChunk),
                        _ if line.is_empty() => State::Done,
                        _ => State::Trailers(Vec::new()),
                    };
                }
            }
        }
        Ok(i)
    }

    /// The connection closed: completes a close-delimited body, or reports truncation.
    pub fn finish_on_close(&mut self) -> Result<(), BodyError> {
        match self.state {
            State::UntilClose | State::Done => {
                self.state = State::Done;
                Ok(())
            }
            State::Length(n) | State::ChunkData(n) => Err(BodyError::Truncated(n)),
            _ => Err(BodyError::Truncated(0)),
        }
    }
}

/// `chunk-size [ chunk-ext ]`: hexadecimal, extensions ignored (RFC 9112 §7.1.1).
fn parse_chunk_size(line: &[u8]) -> Result<u64, BodyError> {
    let end = line.iter().position(|&b| b == b';').unwrap_or(line.len());
    let hex = line[..end].trim_ascii();
    if hex.is_empty() || hex.len() > 15 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return Err(BodyError::BadChunk);
    }
    let s = core::str::from_utf8(hex).map_err(|_| BodyError::BadChunk)?;
    u64::from_str_radix(s, 16).map_err(|_| BodyError::BadChunk)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(fields: &[(&str, &str)]) -> Headers {
        let mut h = Headers::new();
        for (n, v) in fields {
            h.push(*n, *v);
        }
        h
    }

    #[test]
    fn framing_follows_rfc_9112_6_3() {
        assert_eq!(framing(&headers(&[]), true), Ok(Framing::None));
        assert_eq!(framing(&headers(&[]), false), Ok(Framing::UntilClose));
        let cl = headers(&[("Content-Length", "5")]);
        assert_eq!(framing(&cl, false), Ok(Framing::Length(5)));
        let both = headers(&[("Content-Length", "5"), ("Transfer-Encoding", "chunked")]);
        assert_eq!(framing(&both, false), Ok(Framing::Chunked));
        assert!(framing(&headers(&[("Content-Length", "5, 6")]), false).is_err());
        assert!(framing(&headers(&[("Content-Length", "-1")]), false).is_err());
        assert!(framing(&headers(&[("Transfer-Encoding", "gzip")]), false).is_err());
    }

    #[test]
    fn chunked_in_byte_sized_pieces() {
        let wire =
            b"4\r\nWiki\r\n6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\nNEXT";
        let mut d = BodyDecoder::new(Framing::Chunked, 1000);
        let mut used = 0;
        for b in wire.iter() {
            if d.is_done() {
                break;
            }
            used += d.feed(core::slice::from_ref(b)).unwrap();
        }
        assert!(d.is_done());
        assert_eq!(&wire[used..], b"NEXT");
        assert_eq!(d.into_body(), b"Wikipedia in \r\n\r\nchunks.");
    }

    #[test]
    fn limits_and_truncation() {
        let mut d = BodyDecoder::new(Framing::Length(10), 4);
        assert_eq!(d.feed(b"0123456789"), Err(BodyError::TooLarge(4)));
        let mut d = BodyDecoder::new(Framing::Length(10), 100);
        assert_eq!(d.feed(b"0123"), Ok(4));
        assert_eq!(d.finish_on_close(), Err(BodyError::Truncated(6)));
        let mut d = BodyDecoder::new(Framing::Chunked, 100);
        assert_eq!(d.feed(b"zz\r\n"), Err(BodyError::BadChunk));
        let mut d = BodyDecoder::new(Framing::UntilClose, 100);
        assert_eq!(d.feed(b"abc"), Ok(3));
        assert_eq!(d.finish_on_close(), Ok(()));
        assert_eq!(d.into_body(), b"abc");
    }
}
