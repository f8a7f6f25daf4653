//! FETCH data items (RFC 3501 §6.4.5): what a client may ask for, and how the
//! `BODY[section]<partial>` spec is parsed and named in the reply.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::parse::{Lexer, ParseError};

/// What part of a `BODY[...]` is wanted (RFC 3501 §6.4.5 "section").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SectionKind {
    /// The whole part (`BODY[]`, `BODY[1]`).
    Full,
    /// `HEADER`: the header block, with the blank line.
    Header,
    /// `HEADER.FIELDS (a b)`: only these header fields.
    HeaderFields(Vec<String>),
    /// `HEADER.FIELDS.NOT (a b)`: all header fields except these.
    HeaderFieldsNot(Vec<String>),
    /// `TEXT`: the body after the header.
    Text,
    /// `MIME`: a part's MIME header (only after a part number).
    Mime,
}

/// A section spec: an optional part path (`1.2`) and what of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Part numbers, outermost first; empty for the whole message.
    pub part: Vec<u32>,
    /// What of that part.
    pub kind: SectionKind,
}

impl Section {
    /// `BODY[]`.
    pub fn full() -> Self {
        Section {
            part: Vec::new(),
            kind: SectionKind::Full,
        }
    }

    /// `BODY[kind]` on the whole message.
    pub fn of(kind: SectionKind) -> Self {
        Section {
            part: Vec::new(),
            kind,
        }
    }

    fn parse(l: &mut Lexer<'_>) -> Result<Self, ParseError> {
        let mut part = Vec::new();
        while l.peek().is_some_and(|b| b.is_ascii_digit()) {
            part.push(l.nz_number()?);
            if !l.eat(b'.') {
                return Ok(Section {
                    part,
                    kind: SectionKind::Full,
                });
            }
        }
        let kind = if l.peek() == Some(b']') && part.is_empty() {
            SectionKind::Full
        } else if l.eat_word("HEADER.FIELDS.NOT") {
            SectionKind::HeaderFieldsNot(header_list(l)?)
        } else if l.eat_word("HEADER.FIELDS") {
            SectionKind::HeaderFields(header_list(l)?)
        } else if l.eat_word("HEADER") {
            SectionKind::Header
        } else if l.eat_word("TEXT") {
            SectionKind::Text
        } else if !part.is_empty() && l.eat_word("MIME") {
            SectionKind::Mime
        } else {
            return Err(ParseError::Expected {
                expected: "HEADER, HEADER.FIELDS, TEXT or a part number",
                at: l.pos(),
            });
        };
        Ok(Section { part, kind })
    }
}

fn header_list(l: &mut Lexer<'_>) -> Result<Vec<String>, ParseError> {
    l.sp()?;
    l.expect(b'(', "( before the header field names")?;
    let mut names = vec![l.astring()?];
    while l.eat(b' ') {
        names.push(l.astring()?);
    }
    l.expect(b')', ") after the header field names")?;
    Ok(names)
}

impl fmt::Display for Section {
    /// `1.2.HEADER.FIELDS (FROM TO)`, as echoed in the FETCH reply.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path: Vec<String> = self.part.iter().map(u32::to_string).collect();
        f.write_str(&path.join("."))?;
        let dot = if self.part.is_empty() { "" } else { "." };
        match &self.kind {
            SectionKind::Full => Ok(()),
            SectionKind::Header => write!(f, "{dot}HEADER"),
            SectionKind::HeaderFields(n) => write!(f, "{dot}HEADER.FIELDS ({})", upper(n)),
            SectionKind::HeaderFieldsNot(n) => {
                write!(f, "{dot}HEADER.FIELDS.NOT ({})", upper(n))
            }
            SectionKind::Text => write!(f, "{dot}TEXT"),
            SectionKind::Mime => write!(f, "{dot}MIME"),
        }
    }
}

fn upper(names: &[String]) -> String {
    names
        .iter()
        .map(|n| n.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One FETCH data item (RFC 3501 §6.4.5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FetchAttr {
    /// `ENVELOPE`.
    Envelope,
    /// `FLAGS`.
    Flags,
    /// `INTERNALDATE`.
    InternalDate,
    /// `RFC822` (like `BODY[]`, sets \Seen).
    Rfc822,
    /// `RFC822.HEADER` (like `BODY.PEEK[HEADER]`).
    Rfc822Header,
    /// `RFC822.SIZE`.
    Rfc822Size,
    /// `RFC822.TEXT` (like `BODY[TEXT]`, sets \Seen).
    Rfc822Text,
    /// `BODY` (structure without extension data).
    Body,
    /// `BODYSTRUCTURE`.
    BodyStructure,
    /// `UID`.
    Uid,
    /// `MODSEQ` (RFC 7162 §3.1.4): the message's mod-sequence.
    Modseq,
    /// `BODY[section]<origin.count>` or `BODY.PEEK[...]`.
    Section {
        /// Which section.
        section: Section,
        /// `<origin.count>`: a byte range.
        partial: Option<(u32, u32)>,
        /// `BODY.PEEK`: do not set \Seen.
        peek: bool,
    },
}

impl FetchAttr {
    /// `true` if fetching this sets `\Seen` (RFC 3501 §6.4.5: "The \Seen flag
    /// is implicitly set; if this causes the flags to change, they SHOULD be
    /// included as part of the FETCH responses.").
    pub fn sets_seen(&self) -> bool {
        matches!(
            self,
            FetchAttr::Rfc822 | FetchAttr::Rfc822Text | FetchAttr::Section { peek: false, .. }
        )
    }

    /// Parses the item list of a FETCH: a macro, one item, or `( items )`.
    pub(crate) fn parse_list(l: &mut Lexer<'_>) -> Result<Vec<FetchAttr>, ParseError> {
        use FetchAttr::*;
        if l.eat_word("ALL") {
            return Ok(vec![Flags, InternalDate, Rfc822Size, Envelope]);
        }
        if l.eat_word("FAST") {
            return Ok(vec![Flags, InternalDate, Rfc822Size]);
        }
        if l.eat_word("FULL") {
            return Ok(vec![Flags, InternalDate, Rfc822Size, Envelope, Body]);
        }
        if l.eat(b'(') {
            let mut items = vec![FetchAttr::parse(l)?];
            while l.eat(b' ') {
                items.push(FetchAttr::parse(l)?);
            }
            l.expect(b')', ") after the fetch items")?;
            Ok(items)
        } else {
            Ok(vec![FetchAttr::parse(l)?])
        }
    }

    fn parse(l: &mut Lexer<'_>) -> Result<FetchAttr, ParseError> {
        use FetchAttr::*;
        let peek = if l.eat_word("BODY.PEEK[") {
            true
        } else if l.eat_word("BODY[") {
            false
        } else {
            let simple = [
                ("ENVELOPE", Envelope),
                ("FLAGS", Flags),
                ("INTERNALDATE", InternalDate),
                ("RFC822.HEADER", Rfc822Header),
                ("RFC822.SIZE", Rfc822Size),
                ("RFC822.TEXT", Rfc822Text),
                ("RFC822", Rfc822),
                ("BODYSTRUCTURE", BodyStructure),
                ("BODY", Body),
                ("UID", Uid),
                ("MODSEQ", Modseq),
            ];
            for (word, attr) in simple {
                if l.eat_word(word) {
                    return Ok(attr);
                }
            }
            return Err(ParseError::Expected {
                expected: "a fetch item (FLAGS, UID, ENVELOPE, BODY[...], ...)",
                at: l.pos(),
            });
        };
        let section = self::Section::parse(l)?;
        l.expect(b']', "] after the section")?;
        let partial = if l.eat(b'<') {
            let origin = l.number()?;
            l.expect(b'.', ". in <origin.count>")?;
            let count = l.nz_number()?;
            l.expect(b'>', "> after <origin.count>")?;
            Some((origin, count))
        } else {
            None
        };
        Ok(FetchAttr::Section {
            section,
            partial,
            peek,
        })
    }
}

impl fmt::Display for FetchAttr {
    /// The item as a client writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchAttr::Envelope => f.write_str("ENVELOPE"),
            FetchAttr::Flags => f.write_str("FLAGS"),
            FetchAttr::InternalDate => f.write_str("INTERNALDATE"),
            FetchAttr::Rfc822 => f.write_str("RFC822"),
            FetchAttr::Rfc822Header => f.write_str("RFC822.HEADER"),
            FetchAttr::Rfc822Size => f.write_str("RFC822.SIZE"),
            FetchAttr::Rfc822Text => f.write_str("RFC822.TEXT"),
            FetchAttr::Body => f.write_str("BODY"),
            FetchAttr::BodyStructure => f.write_str("BODYSTRUCTURE"),
            FetchAttr::Uid => f.write_str("UID"),
            FetchAttr::Modseq => f.write_str("MODSEQ"),
            FetchAttr::Section {
                section,
                partial,
                peek,
            } => {
                write!(f, "BODY{}[{section}]", if *peek { ".PEEK" } else { "" })?;
                if let Some((o, c)) = partial {
                    write!(f, "<{o}.{c}>")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(s: &str) -> Vec<FetchAttr> {
        let mut l = Lexer::new(s.as_bytes());
        let v = FetchAttr::parse_list(&mut l).unwrap();
        l.finish().unwrap();
        v
    }

    #[test]
    fn macros_and_sections() {
        assert_eq!(items("FAST").len(), 3);
        assert_eq!(items("all").len(), 4);
        assert_eq!(items("FULL").len(), 5);
        let v = items(
            "(UID FLAGS BODY.PEEK[HEADER.FIELDS (From Subject)]<0.100> BODY[1.TEXT] RFC822.SIZE)",
        );
        assert_eq!(v.len(), 5);
        assert_eq!(
            v[2].to_string(),
            "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]<0.100>"
        );
        assert!(!v[2].sets_seen() && v[3].sets_seen());
        assert_eq!(v[3].to_string(), "BODY[1.TEXT]");
        assert_eq!(items("BODY[]").first().unwrap().to_string(), "BODY[]");
        assert_eq!(items("BODY[2]").first().unwrap().to_string(), "BODY[2]");
    }

    #[test]
    fn bad_items() {
        for s in [
            "(FLAGS",
            "BODY[FOO]",
            "BODY[MIME]",
            "BODY[]<1>",
            "NOPE",
            "(UID  FLAGS)",
        ] {
            let mut l = Lexer::new(s.as_bytes());
            let r = FetchAttr::parse_list(&mut l).and_then(|_| l.finish());
            assert!(r.is_err(), "{s}");
        }
    }
}
