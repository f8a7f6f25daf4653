//! Framing: turning a byte stream, cut anywhere, into complete IMAP commands
//! (or responses) with their literals inline (RFC 3501 §2.2, §4.3).
//!
//! RFC 3501 §7.5: "The command continuation request response is indicated by
//! a '+' token instead of a tag. This form of response indicates that the
//! server is ready to accept the continuation of a command from the client."
//! A synchronizing literal `{n}` therefore yields [`Frame::Continue`]; a
//! non-synchronizing one `{n+}` (RFC 7888, LITERAL+) does not.

use super::command::peek_tag;

/// Longest line segment accepted (RFC 7162 §4 recommends at least 8192).
pub const MAX_LINE: usize = 8 * 1024;
/// Largest literal accepted (a message in APPEND).
pub const MAX_LITERAL: usize = 1024 * 1024;

/// One thing the framer found in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Frame {
    /// A complete command or response line, literals inline, CRLF stripped.
    Line(Vec<u8>),
    /// A synchronizing literal was announced: the server says `+` now.
    Continue,
    /// A line longer than [`MAX_LINE`] was dropped.
    LineTooLong {
        /// The command's tag, if one could be read.
        tag: Option<String>,
    },
    /// A literal larger than the limit was refused (and its octets skipped
    /// if it was non-synchronizing).
    LiteralTooLarge {
        /// The command's tag, if one could be read.
        tag: Option<String>,
        /// The announced size.
        size: u64,
    },
}

/// Reassembles lines and literals from arbitrary chunks.
#[derive(Clone, Debug)]
pub(crate) struct Framer {
    pending: Vec<u8>,
    cmd: Vec<u8>,
    seg_start: usize,
    literal_left: usize,
    skip_left: u64,
    discarding: bool,
    /// `true` on the server side: announce `+` for synchronizing literals.
    server: bool,
    max_literal: usize,
}

impl Framer {
    /// A framer; `server` decides whether continuation frames are produced.
    pub(crate) fn new(server: bool) -> Self {
        Framer {
            pending: Vec::new(),
            cmd: Vec::new(),
            seg_start: 0,
            literal_left: 0,
            skip_left: 0,
            discarding: false,
            server,
            max_literal: MAX_LITERAL,
        }
    }

    /// Adds received bytes.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    fn reset(&mut self) {
        self.cmd.clear();
        self.seg_start = 0;
        self.literal_left = 0;
    }

    /// The next complete frame, if the input holds one.
    pub(crate) fn next_frame(&mut self) -> Option<Frame> {
        loop {
            if self.skip_left > 0 {
                let n = usize::try_from(self.skip_left)
                    .unwrap_or(usize::MAX)
                    .min(self.pending.len());
                self.pending.drain(..n);
                self.skip_left -= n as u64;
                if self.skip_left > 0 {
                    return None;
                }
                self.discarding = true;
            }
            if self.literal_left > 0 {
                let n = self.literal_left.min(self.pending.len());
                self.cmd.extend(self.pending.drain(..n));
                self.literal_left -= n;
                if self.literal_left > 0 {
                    return None;
                }
                self.seg_start = self.cmd.len();
            }
            let Some(nl) = self.pending.iter().position(|&b| b == b'\n') else {
                if self.discarding {
                    self.pending.clear();
                } else if self.cmd.len() - self.seg_start + self.pending.len() > MAX_LINE {
                    let tag = peek_tag(&self.cmd).or_else(|| peek_tag(&self.pending));
                    self.pending.clear();
                    self.reset();
                    self.discarding = true;
                    return Some(Frame::LineTooLong { tag });
                }
                return None;
            };
            let line: Vec<u8> = self.pending.drain(..=nl).collect();
            if self.discarding {
                self.discarding = false;
                self.reset();
                continue;
            }
            self.cmd.extend_from_slice(&line);
            if self.cmd.len() - self.seg_start > MAX_LINE {
                let tag = peek_tag(&self.cmd);
                self.reset();
                return Some(Frame::LineTooLong { tag });
            }
            let body = line
                .strip_suffix(b"\r\n")
                .or(line.strip_suffix(b"\n"))
                .unwrap_or(&line);
            if let Some((size, sync)) = literal_marker(body) {
                let total = self.cmd.len() as u64 + size;
                if size > self.max_literal as u64
                    || total > (self.max_literal + 64 * MAX_LINE) as u64
                {
                    let tag = peek_tag(&self.cmd);
                    self.reset();
                    if !sync {
                        self.skip_left = size;
                    }
                    return Some(Frame::LiteralTooLarge { tag, size });
                }
                self.literal_left = size as usize;
                if self.literal_left == 0 {
                    self.seg_start = self.cmd.len();
                }
                if sync && self.server {
                    return Some(Frame::Continue);
                }
                continue;
            }
            let mut out = std::mem::take(&mut self.cmd);
            self.reset();
            if out.ends_with(b"\r\n") {
                out.truncate(out.len() - 2);
            } else if out.ends_with(b"\n") {
                out.truncate(out.len() - 1);
            }
            return Some(Frame::Line(out));
        }
    }
}

/// `{12}` → (12, sync), `{12+}` → (12, non-sync) at the end of a line.
fn literal_marker(line: &[u8]) -> Option<(u64, bool)> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let mut digits = &inner[open + 1..];
    let sync = match digits.strip_suffix(b"+") {
        Some(d) => {
            digits = d;
            false
        }
        None => true,
    };
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((n, sync))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(f: &mut Framer) -> Vec<Frame> {
        std::iter::from_fn(|| f.next_frame()).collect()
    }

    #[test]
    fn lines_and_literals_in_pieces() {
        let mut f = Framer::new(true);
        let input = b"a1 NOOP\r\na2 APPEND INBOX {11}\r\nhello\r\nworld a3 LOGIN {2+}\r\nxx yy\r\n";
        let mut out = Vec::new();
        for chunk in input.chunks(3) {
            f.push(chunk);
            out.extend(frames(&mut f));
        }
        assert_eq!(
            out,
            vec![
                Frame::Line(b"a1 NOOP".to_vec()),
                Frame::Continue,
                Frame::Line(
                    b"a2 APPEND INBOX {11}\r\nhello\r\nworld a3 LOGIN {2+}\r\nxx yy".to_vec()
                ),
            ]
        );
        assert!(f.pending.is_empty() && f.cmd.is_empty());
    }

    #[test]
    fn oversize_is_refused_and_the_stream_recovers() {
        let mut f = Framer::new(true);
        f.push(b"a1 APPEND INBOX {99999999}\r\na2 NOOP\r\n");
        assert_eq!(
            frames(&mut f),
            vec![
                Frame::LiteralTooLarge {
                    tag: Some("a1".into()),
                    size: 99_999_999
                },
                Frame::Line(b"a2 NOOP".to_vec())
            ]
        );
        let mut f = Framer::new(true);
        f.push(b"b1 APPEND INBOX {2000000+}\r\n");
        f.push(&vec![b'x'; 2_000_000]);
        f.push(b"\r\nb2 NOOP\r\n");
        let got = frames(&mut f);
        assert_eq!(got.len(), 2, "{:?}", got.first());
        assert_eq!(got[1], Frame::Line(b"b2 NOOP".to_vec()));
        let mut f = Framer::new(true);
        f.push(b"c1 NOOP ");
        f.push(&vec![b'x'; MAX_LINE + 10]);
        f.push(b"\r\nc2 NOOP\r\n");
        assert_eq!(
            frames(&mut f),
            vec![
                Frame::LineTooLong {
                    tag: Some("c1".into())
                },
                Frame::Line(b"c2 NOOP".to_vec())
            ]
        );
    }

    #[test]
    fn client_side_has_no_continuations() {
        let mut f = Framer::new(false);
        f.push(b"* 1 FETCH (BODY[] {3}\r\nabc)\r\n");
        assert_eq!(
            frames(&mut f),
            vec![Frame::Line(b"* 1 FETCH (BODY[] {3}\r\nabc)".to_vec())]
        );
        assert_eq!(literal_marker(b"x {0}"), Some((0, true)));
        assert_eq!(literal_marker(b"x {}"), None);
    }
}
