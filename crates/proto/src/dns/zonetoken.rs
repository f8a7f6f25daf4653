//! Fields of a zone-file line (RFC 1035 §5.1): blanks separate, `"…"`
//! quotes a character-string, `\X` and `\DDD` escape a character, `;` starts
//! a comment, `(` and `)` group lines. Escapes are kept as written in the
//! fields: a name field goes to [`Name::parse`](super::Name::parse), which
//! reads them itself, and a TXT field is decoded by [`char_string`].

use super::zonefile::ZoneFileErrorKind;

/// Longest TXT character-string, in bytes (one length octet on the wire).
pub const MAX_CHAR_STRING: usize = 255;

/// One piece of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// `(`: the record goes on over the next lines.
    Open,
    /// `)`.
    Close,
    /// A field as written (escapes not yet decoded).
    Field(Field),
}

/// A field: its text (without the quotes, escapes as written) and whether it
/// was in quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The text, escapes kept.
    pub text: String,
    /// Whether it was written `"…"`.
    pub quoted: bool,
}

impl Field {
    /// The text, refusing a quoted field: only TXT strings are quoted.
    pub fn plain(&self) -> Result<&str, ZoneFileErrorKind> {
        if self.quoted {
            Err(ZoneFileErrorKind::Quoted(self.text.clone()))
        } else {
            Ok(&self.text)
        }
    }
}

/// Splits a line into tokens.
///
/// # Errors
/// A quote that never closes, or a `"` inside an unquoted field.
pub fn tokenize(line: &str) -> Result<Vec<Token>, ZoneFileErrorKind> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == ';' {
            break;
        } else if c == '(' || c == ')' {
            chars.next();
            out.push(if c == '(' { Token::Open } else { Token::Close });
        } else if c == '"' {
            chars.next();
            let mut s = String::new();
            loop {
                match chars.next() {
                    None => return Err(ZoneFileErrorKind::UnclosedQuote),
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(e) => {
                            s.push('\\');
                            s.push(e);
                        }
                        None => return Err(ZoneFileErrorKind::UnclosedQuote),
                    },
                    Some(ch) => s.push(ch),
                }
            }
            out.push(Token::Field(Field {
                text: s,
                quoted: true,
            }));
        } else {
            let mut s = String::new();
            let mut stray_quote = false;
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() || matches!(ch, ';' | '(' | ')') {
                    break;
                }
                chars.next();
                s.push(ch);
                if ch == '\\' {
                    if let Some(e) = chars.next() {
                        s.push(e);
                    }
                } else if ch == '"' {
                    stray_quote = true;
                }
            }
            if stray_quote {
                return Err(ZoneFileErrorKind::StrayQuote(s));
            }
            out.push(Token::Field(Field {
                text: s,
                quoted: false,
            }));
        }
    }
    Ok(out)
}

/// Decodes a TXT character-string: `\X` is `X`, `\DDD` the byte DDD
/// (three digits, at most 255); the bytes must make UTF-8 text of at most
/// 255 bytes.
///
/// # Errors
/// A bad escape, bytes that are not UTF-8, or a string over 255 bytes.
pub fn char_string(text: &str) -> Result<String, ZoneFileErrorKind> {
    let bad = || ZoneFileErrorKind::BadEscape(text.to_string());
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.bytes();
    while let Some(b) = rest.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        let next = rest.next().ok_or_else(bad)?;
        if next.is_ascii_digit() {
            let d2 = rest.next().filter(u8::is_ascii_digit).ok_or_else(bad)?;
            let d3 = rest.next().filter(u8::is_ascii_digit).ok_or_else(bad)?;
            let value =
                u32::from(next - b'0') * 100 + u32::from(d2 - b'0') * 10 + u32::from(d3 - b'0');
            bytes.push(u8::try_from(value).map_err(|_| bad())?);
        } else {
            bytes.push(next);
        }
    }
    let s = String::from_utf8(bytes).map_err(|_| ZoneFileErrorKind::NotUtf8(text.to_string()))?;
    if s.len() > MAX_CHAR_STRING {
        return Err(ZoneFileErrorKind::TxtTooLong(s.len()));
    }
    Ok(s)
}

/// Writes a TXT character-string in quotes so that [`tokenize`] and
/// [`char_string`] read it back: `"` and `\` get a backslash, control
/// characters become `\DDD`.
pub fn quote_char_string(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_ascii_control() => {
                out.push_str(&format!("\\{:03}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<(String, bool)> {
        tokenize(line)
            .unwrap()
            .into_iter()
            .filter_map(|t| match t {
                Token::Field(f) => Some((f.text, f.quoted)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn escapes_stay_in_fields() {
        assert_eq!(
            fields(r#"a\(b\;c TXT "x\"y" z ; comment"#),
            vec![
                (r"a\(b\;c".to_string(), false),
                ("TXT".to_string(), false),
                (r#"x\"y"#.to_string(), true),
                ("z".to_string(), false),
            ]
        );
        assert_eq!(
            tokenize(r#"wlw CNAME two"0"#),
            Err(ZoneFileErrorKind::StrayQuote("two\"0".to_string()))
        );
        assert_eq!(
            tokenize(r#"@ TXT "open"#),
            Err(ZoneFileErrorKind::UnclosedQuote)
        );
    }

    #[test]
    fn char_strings_decode_and_quote_back() {
        assert_eq!(char_string(r#"a\065\"\\"#).unwrap(), "aA\"\\");
        assert_eq!(char_string(r"caf\195\169").unwrap(), "café");
        assert!(matches!(
            char_string(r"\2"),
            Err(ZoneFileErrorKind::BadEscape(_))
        ));
        assert!(matches!(
            char_string(r"\300"),
            Err(ZoneFileErrorKind::BadEscape(_))
        ));
        assert!(matches!(
            char_string(r"\200"),
            Err(ZoneFileErrorKind::NotUtf8(_))
        ));
        assert_eq!(
            char_string(&"x".repeat(256)),
            Err(ZoneFileErrorKind::TxtTooLong(256))
        );
        let mut out = String::new();
        quote_char_string("a\"b\\c\td", &mut out);
        assert_eq!(out, r#""a\"b\\c\009d""#);
        let inner = &out[1..out.len() - 1];
        assert_eq!(char_string(inner).unwrap(), "a\"b\\c\td");
    }
}
