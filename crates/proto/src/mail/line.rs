//! Line framing for the text mail protocols (SMTP, POP3, IMAP commands).
//!
//! Input arrives in arbitrary chunks: a line may be split across calls and
//! one call may carry several lines. Lines end in CRLF; a bare LF is accepted
//! too (a student's telnet may send one). RFC 5321 §4.5.3.1.4: "The maximum
//! total length of a command line including the command word and the `<CRLF>`
//! is 512 octets"; a line longer than the cap is reported once as
//! [`Line::TooLong`] and the rest of it up to the next LF is discarded.

/// One framed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A complete line without its CRLF (invalid UTF-8 replaced).
    Text(String),
    /// A line longer than the cap; its content was dropped.
    TooLong,
}

/// Collects bytes and yields complete lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineReader {
    buf: Vec<u8>,
    skipping: bool,
}

impl LineReader {
    /// An empty reader.
    pub fn new() -> Self {
        LineReader::default()
    }

    /// Adds received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Whether unconsumed bytes (a partial line) are waiting.
    pub fn has_partial(&self) -> bool {
        !self.buf.is_empty()
    }

    /// The next complete line, with lines longer than `max` octets (CRLF
    /// included) reported as [`Line::TooLong`].
    pub fn next_line(&mut self, max: usize) -> Option<Line> {
        loop {
            match self.buf.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    let mut line: Vec<u8> = self.buf.drain(..=i).collect();
                    if self.skipping {
                        self.skipping = false;
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
                    if self.buf.len() > max.max(2) {
                        self.buf.clear();
                        if !self.skipping {
                            self.skipping = true;
                            return Some(Line::TooLong);
                        }
                    }
                    return None;
                }
            }
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
}
