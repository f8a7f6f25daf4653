//! Lexical layer of IMAP4rev1 (RFC 3501 §4 "Data Formats", §9 "Formal Syntax").
//!
//! A [`Lexer`] walks one complete command (or response) whose literals are
//! already inline: `{5}\r\nhello` is read as the five-octet string `hello`.
//! Framing — knowing when a command is complete — lives in [`super::frame`].
//! Every method returns `Result` and never indexes out of bounds.

use thiserror::Error;

/// Why a command or response could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ParseError {
    /// Something else was expected at this byte offset.
    #[error("expected {expected} at offset {at}")]
    Expected {
        /// What the grammar wanted, in words.
        expected: &'static str,
        /// Byte offset into the command.
        at: usize,
    },
    /// The command name is not one this server knows.
    #[error("unknown command {0}")]
    UnknownCommand(String),
    /// The command is known but not with these arguments.
    #[error("{0}")]
    Invalid(String),
    /// A number does not fit in 32 bits or is zero where RFC 3501 wants nz-number.
    #[error("invalid number at offset {0}")]
    Number(usize),
    /// Trailing bytes after a complete command.
    #[error("unexpected characters after the command at offset {0}")]
    Trailing(usize),
}

/// `true` for RFC 3501 ATOM-CHAR: any CHAR except atom-specials.
pub(crate) fn is_atom_char(b: u8) -> bool {
    b > 0x20 && b < 0x7f && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']')
}

/// `true` for ASTRING-CHAR (ATOM-CHAR or resp-specials `]`).
pub(crate) fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// `true` for the characters of a LIST pattern (`list-char`).
fn is_list_char(b: u8) -> bool {
    is_astring_char(b) || b == b'%' || b == b'*'
}

/// A cursor over one complete command or response line (literals inline).
#[derive(Debug)]
pub(crate) struct Lexer<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `buf`.
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Lexer { buf, pos: 0 }
    }

    /// Current byte offset.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The next byte without consuming it.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// The unread rest.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or(&[])
    }

    /// `true` when everything is consumed (a trailing CRLF counts as the end).
    pub(crate) fn at_end(&self) -> bool {
        matches!(self.rest(), [] | b"\r\n" | b"\n")
    }

    fn err(&self, expected: &'static str) -> ParseError {
        ParseError::Expected {
            expected,
            at: self.pos,
        }
    }

    /// Fails unless the whole input is consumed.
    pub(crate) fn finish(&self) -> Result<(), ParseError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(ParseError::Trailing(self.pos))
        }
    }

    /// Consumes one byte, whatever it is.
    pub(crate) fn eat_any(&mut self) {
        if self.pos < self.buf.len() {
            self.pos += 1;
        }
    }

    /// The bytes consumed since offset `start`.
    pub(crate) fn consumed_since(&self, start: usize) -> &'a [u8] {
        self.buf.get(start.min(self.pos)..self.pos).unwrap_or(&[])
    }

    /// Consumes `b` if it is next.
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes `b` or fails with `what`.
    pub(crate) fn expect(&mut self, b: u8, what: &'static str) -> Result<(), ParseError> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    /// Consumes one space (RFC 3501: exactly one SP between tokens).
    pub(crate) fn sp(&mut self) -> Result<(), ParseError> {
        self.expect(b' ', "a space")
    }

    /// Consumes an ASCII word (case-insensitive) if it is next and ends there.
    pub(crate) fn eat_word(&mut self, word: &str) -> bool {
        let w = word.as_bytes();
        let rest = self.rest();
        if rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w) {
            let next = rest.get(w.len()).copied();
            let needs_boundary = w.last().is_some_and(u8::is_ascii_alphanumeric);
            if !needs_boundary || next.is_none_or(|b| !is_atom_char(b)) {
                self.pos += w.len();
                return true;
            }
        }
        false
    }

    /// Reads bytes while `pred` holds; fails with `what` if none.
    fn take_while(
        &mut self,
        pred: impl Fn(u8) -> bool,
        what: &'static str,
    ) -> Result<&'a [u8], ParseError> {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        if self.pos == start {
            Err(self.err(what))
        } else {
            Ok(&self.buf[start..self.pos])
        }
    }

    /// An atom (RFC 3501 `atom`), returned as text.
    pub(crate) fn atom(&mut self) -> Result<String, ParseError> {
        let raw = self.take_while(is_atom_char, "an atom")?;
        Ok(String::from_utf8_lossy(raw).into_owned())
    }

    /// A command tag: ASTRING-CHAR except `+`.
    pub(crate) fn tag(&mut self) -> Result<String, ParseError> {
        let raw = self.take_while(|b| is_astring_char(b) && b != b'+', "a tag")?;
        Ok(String::from_utf8_lossy(raw).into_owned())
    }

    /// A number (RFC 3501 `number`, 32-bit unsigned).
    pub(crate) fn number(&mut self) -> Result<u32, ParseError> {
        let at = self.pos;
        let raw = self.take_while(|b| b.is_ascii_digit(), "a number")?;
        std::str::from_utf8(raw)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(ParseError::Number(at))
    }

    /// A non-zero number (RFC 3501 `nz-number`).
    pub(crate) fn nz_number(&mut self) -> Result<u32, ParseError> {
        let at = self.pos;
        match self.number()? {
            0 => Err(ParseError::Number(at)),
            n => Ok(n),
        }
    }

    /// A 64-bit number (used for sizes in responses).
    pub(crate) fn number64(&mut self) -> Result<u64, ParseError> {
        let at = self.pos;
        let raw = self.take_while(|b| b.is_ascii_digit(), "a number")?;
        std::str::from_utf8(raw)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(ParseError::Number(at))
    }

    /// A quoted string (RFC 3501 `quoted`): `\"` and `\\` are the only escapes.
    pub(crate) fn quoted(&mut self) -> Result<Vec<u8>, ParseError> {
        self.expect(b'"', "a quoted string")?;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None | Some(b'\r' | b'\n') => return Err(self.err("a closing quote")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c @ (b'"' | b'\\')) => {
                            out.push(c);
                            self.pos += 1;
                        }
                        _ => return Err(self.err("\\\" or \\\\ after a backslash")),
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A literal (RFC 3501 `literal`, RFC 7888 `{n+}`): `{n}` CRLF then n octets.
    pub(crate) fn literal(&mut self) -> Result<Vec<u8>, ParseError> {
        self.expect(b'{', "a literal")?;
        let n = self.number()? as usize;
        self.eat(b'+');
        self.expect(b'}', "} after the literal length")?;
        self.eat(b'\r');
        self.expect(b'\n', "CRLF after the literal length")?;
        let end = self.pos.checked_add(n).ok_or(self.err("literal data"))?;
        let data = self
            .buf
            .get(self.pos..end)
            .ok_or(self.err("the literal's octets"))?;
        self.pos = end;
        Ok(data.to_vec())
    }

    /// A string: quoted or literal.
    pub(crate) fn string(&mut self) -> Result<Vec<u8>, ParseError> {
        match self.peek() {
            Some(b'"') => self.quoted(),
            Some(b'{') => self.literal(),
            _ => Err(self.err("a string")),
        }
    }

    /// An astring: atom (with `]`) or string, as raw bytes.
    pub(crate) fn astring_bytes(&mut self) -> Result<Vec<u8>, ParseError> {
        match self.peek() {
            Some(b'"' | b'{') => self.string(),
            _ => Ok(self
                .take_while(is_astring_char, "an atom or string")?
                .to_vec()),
        }
    }

    /// An astring decoded as UTF-8 (lossy: IMAP names are 7-bit in practice).
    pub(crate) fn astring(&mut self) -> Result<String, ParseError> {
        Ok(String::from_utf8_lossy(&self.astring_bytes()?).into_owned())
    }

    /// `NIL` or a string.
    pub(crate) fn nstring(&mut self) -> Result<Option<Vec<u8>>, ParseError> {
        if self.eat_word("NIL") {
            Ok(None)
        } else {
            self.string().map(Some)
        }
    }

    /// A LIST/LSUB pattern: list-char atom or string.
    pub(crate) fn list_mailbox(&mut self) -> Result<String, ParseError> {
        match self.peek() {
            Some(b'"' | b'{') => Ok(String::from_utf8_lossy(&self.string()?).into_owned()),
            _ => {
                let raw = self.take_while(is_list_char, "a mailbox pattern")?;
                Ok(String::from_utf8_lossy(raw).into_owned())
            }
        }
    }

    /// Text up to the end of the line (RFC 3501 `text`).
    pub(crate) fn text(&mut self) -> String {
        let rest = self.rest();
        let end = rest
            .iter()
            .position(|&b| b == b'\r' || b == b'\n')
            .unwrap_or(rest.len());
        self.pos += end;
        String::from_utf8_lossy(&rest[..end]).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_literals() {
        let mut l = Lexer::new(b"\"a \\\"b\\\\\" {3}\r\nxyz {2+}\r\nok atom]x NIL");
        assert_eq!(l.string().unwrap(), b"a \"b\\");
        l.sp().unwrap();
        assert_eq!(l.string().unwrap(), b"xyz");
        l.sp().unwrap();
        assert_eq!(l.astring().unwrap(), "ok");
        l.sp().unwrap();
        assert_eq!(l.astring().unwrap(), "atom]x");
        l.sp().unwrap();
        assert_eq!(l.nstring().unwrap(), None);
        assert!(l.at_end());
    }

    #[test]
    fn errors_do_not_panic() {
        assert!(Lexer::new(b"\"open").quoted().is_err());
        assert!(Lexer::new(b"{99}\r\nshort").literal().is_err());
        assert!(Lexer::new(b"{18446744073709551615}\r\n").literal().is_err());
        assert!(Lexer::new(b"99999999999").number().is_err());
        assert!(Lexer::new(b"0").nz_number().is_err());
        assert!(Lexer::new(b"\"a\\x\"").quoted().is_err());
    }

    #[test]
    fn words_need_a_boundary() {
        let mut l = Lexer::new(b"NILS");
        assert!(!l.eat_word("NIL"));
        let mut l = Lexer::new(b"body[text]");
        assert!(l.eat_word("BODY["));
    }
}
