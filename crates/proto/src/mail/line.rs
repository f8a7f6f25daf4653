//! Line framing for the text mail protocols (SMTP, POP3, IMAP commands).
//!
//! Input arrives in arbitrary chunks: a line may be split across calls and
//! one call may carry several lines. Lines end in CRLF; a bare LF is accepted
//! too (a student's telnet may send one). RFC 5321 §4.5.3.1.4: "The maximum
//! total length of a command line including the command word and the `<CRLF>`
//! is 512 octets"; a line longer than the cap is reported once as
//! [`Line::TooLong`] and the rest of it up to the next LF is discarded.

use std::borrow::Cow;

/// One framed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A complete line without its CRLF (invalid UTF-8 replaced).
    Text(String),
    /// A line longer than the cap; its content was dropped.
    TooLong,
}

/// One framed line, borrowed from the reader (see [`LineReader::next_line_ref`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineRef<'a> {
    /// A complete line without its CRLF (invalid UTF-8 replaced, which is
    /// the only case that copies).
    Text(Cow<'a, str>),
    /// A line longer than the cap; its content was dropped.
    TooLong,
}

impl LineRef<'_> {
    /// The owned [`Line`].
    pub fn into_owned(self) -> Line {
        match self {
            LineRef::Text(t) => Line::Text(t.into_owned()),
            LineRef::TooLong => Line::TooLong,
        }
    }
}

/// Collects bytes and yields complete lines.
///
/// Lines are taken from `buf[start..]`: taking one only moves `start`, and
/// the bytes before it are dropped when more arrive (one move per
/// [`push`](Self::push), not one per line).
#[derive(Clone, Debug, Default)]
pub struct LineReader {
    buf: Vec<u8>,
    start: usize,
    skipping: bool,
}

impl PartialEq for LineReader {
    fn eq(&self, other: &Self) -> bool {
        self.pending() == other.pending() && self.skipping == other.skipping
    }
}

impl Eq for LineReader {}

impl LineReader {
    /// An empty reader.
    pub fn new() -> Self {
        LineReader::default()
    }

    /// The bytes not taken yet.
    fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Adds received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 {
            if self.start == self.buf.len() {
                self.buf.clear();
            } else {
                self.buf.drain(..self.start);
            }
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Whether unconsumed bytes (a partial line) are waiting.
    pub fn has_partial(&self) -> bool {
        self.buf.len() > self.start
    }

    /// The next complete line, with lines longer than `max` octets (CRLF
    /// included) reported as [`Line::TooLong`].
    pub fn next_line(&mut self, max: usize) -> Option<Line> {
        self.next_line_ref(max).map(LineRef::into_owned)
    }

    /// [`next_line`](Self::next_line) without copying the line (unless it
    /// is not valid UTF-8): it borrows the reader until the next call.
    pub fn next_line_ref(&mut self, max: usize) -> Option<LineRef<'_>> {
        loop {
            match newline(self.pending()) {
                Some(n) => {
                    let first = self.start;
                    let i = first + n;
                    self.start = i + 1;
                    if self.skipping {
                        self.skipping = false;
                        continue;
                    }
                    if n + 1 > max.max(2) {
                        return Some(LineRef::TooLong);
                    }
                    let end = if n > 0 && self.buf[i - 1] == b'\r' {
                        i - 1
                    } else {
                        i
                    };
                    let bytes = &self.buf[first..end];
                    // Valid UTF-8 (the usual case) is checked eight ASCII
                    // bytes at a time; only invalid text goes the lossy way.
                    return Some(LineRef::Text(match std::str::from_utf8(bytes) {
                        Ok(text) => Cow::Borrowed(text),
                        Err(_) => String::from_utf8_lossy(bytes),
                    }));
                }
                None => {
                    if self.buf.len() - self.start > max.max(2) {
                        self.buf.clear();
                        self.start = 0;
                        if !self.skipping {
                            self.skipping = true;
                            return Some(LineRef::TooLong);
                        }
                    }
                    return None;
                }
            }
        }
    }
}

/// The index of the first LF in `b`.
fn newline(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        i = super::next_control(b, i);
        match b.get(i)? {
            b'\n' => return Some(i),
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_joined_and_too_long() {
        let mut r = LineReader::new();
        r.push(b"HE");
        assert_eq!(r.next_line(10), None);
        r.push(b"LO a\r\nNOOP\nQU");
        assert_eq!(r.next_line(10), Some(Line::Text("HELO a".into())));
        assert_eq!(r.next_line(10), Some(Line::Text("NOOP".into())));
        assert_eq!(r.next_line(10), None);
        r.push(b"IT\r\n");
        assert_eq!(r.next_line(10), Some(Line::Text("QUIT".into())));
        r.push(b"0123456789abc");
        assert_eq!(r.next_line(10), Some(Line::TooLong));
        r.push(b"more junk");
        assert_eq!(r.next_line(10), None);
        r.push(b"end\r\nok\r\n");
        assert_eq!(r.next_line(10), Some(Line::Text("ok".into())));
        r.push(b"0123456789\r\n");
        assert_eq!(r.next_line(10), Some(Line::TooLong));
    }

    /// The reader as first written (a line drained byte by byte, then
    /// decoded lossily): the reference for the one above.
    fn next_line_reference(buf: &mut Vec<u8>, skipping: &mut bool, max: usize) -> Option<Line> {
        loop {
            match buf.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    let mut line: Vec<u8> = buf.drain(..=i).collect();
                    if *skipping {
                        *skipping = false;
                        continue;
                    }
                    if line.len() > max.max(2) {
                        return Some(Line::TooLong);
                    }
                    line.pop();
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                    return Some(Line::Text(String::from_utf8_lossy(&line).into_owned()));
                }
                None => {
                    if buf.len() > max.max(2) {
                        buf.clear();
                        if !*skipping {
                            *skipping = true;
                            return Some(Line::TooLong);
                        }
                    }
                    return None;
                }
            }
        }
    }

    proptest::proptest! {
        /// Same lines, same too-long reports, same leftovers as the
        /// reference, for chunks of CR, LF, text and invalid UTF-8.
        #[test]
        fn matches_the_reference(
            chunks in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        proptest::strategy::Just(b'\r'),
                        proptest::strategy::Just(b'\n'),
                        proptest::strategy::Just(0xffu8),
                        proptest::strategy::Just(0xc3u8),
                        proptest::strategy::Just(0xa4u8),
                        b'a'..=b'e',
                    ],
                    0..40,
                ),
                0..8,
            ),
            max in 0usize..10,
        ) {
            let mut r = LineReader::new();
            let (mut buf, mut skipping) = (Vec::new(), false);
            for c in &chunks {
                r.push(c);
                buf.extend_from_slice(c);
                loop {
                    let got = r.next_line(max);
                    let want = next_line_reference(&mut buf, &mut skipping, max);
                    proptest::prop_assert_eq!(&got, &want);
                    proptest::prop_assert_eq!(r.pending(), &buf[..]);
                    proptest::prop_assert_eq!(r.skipping, skipping);
                    if got.is_none() {
                        break;
                    }
                }
            }
        }
    }
}
