//! SEARCH criteria (RFC 3501 §6.4.4): parsing and matching one message.
//!
//! "In all search keys that use strings, a message matches the key if the
//! string is a substring of the field. The matching is case-insensitive."

use serde::{Deserialize, Serialize};

use super::message::{header_value, split_message};
use super::parse::{Lexer, ParseError};
use super::types::{Date, Flag, SequenceSet};

/// One search key; a SEARCH command's keys are ANDed ([`SearchKey::And`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchKey {
    /// `ALL`.
    All,
    /// A flag is set (`SEEN`, `ANSWERED`, `KEYWORD x`, …).
    Flag(Flag),
    /// A flag is not set (`UNSEEN`, `UNDELETED`, `UNKEYWORD x`, …).
    NotFlag(Flag),
    /// `NEW`: \Recent and not \Seen.
    New,
    /// `OLD`: not \Recent.
    Old,
    /// `HEADER name text` (also FROM, TO, CC, BCC, SUBJECT).
    Header(String, String),
    /// `BODY text`: in the body.
    Body(String),
    /// `TEXT text`: in the header or the body.
    Text(String),
    /// `BEFORE d`: internal date earlier than `d`.
    Before(Date),
    /// `ON d`: internal date is `d`.
    On(Date),
    /// `SINCE d`: internal date on or after `d`.
    Since(Date),
    /// `SENTBEFORE d`: Date: header earlier than `d`.
    SentBefore(Date),
    /// `SENTON d`.
    SentOn(Date),
    /// `SENTSINCE d`.
    SentSince(Date),
    /// `LARGER n`: RFC822.SIZE > n.
    Larger(u32),
    /// `SMALLER n`: RFC822.SIZE < n.
    Smaller(u32),
    /// `UID set`.
    Uid(SequenceSet),
    /// `MODSEQ n` (RFC 7162 §3.1.5): changed at modification sequence `n`
    /// or later. A metadata item name and type may precede `n`; every
    /// flag shares the message's one mod-sequence here, so they are read
    /// and ignored.
    Modseq(u64),
    /// A bare sequence set: message sequence numbers.
    Seq(SequenceSet),
    /// `NOT key`.
    Not(Box<SearchKey>),
    /// `OR a b`.
    Or(Box<SearchKey>, Box<SearchKey>),
    /// `( keys )` or the top-level list: all must match.
    And(Vec<SearchKey>),
}

/// What SEARCH needs to know about one message.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    /// Message sequence number.
    pub seq: u32,
    /// UID.
    pub uid: u32,
    /// Number of messages in the mailbox (for `*`).
    pub exists: u32,
    /// Highest UID in the mailbox (for `UID n:*`).
    pub max_uid: u32,
    /// Current flags, with \Recent if this session sees it as recent.
    pub flags: &'a [Flag],
    /// Internal date, unix seconds.
    pub internal_date: i64,
    /// The message's mod-sequence (RFC 7162).
    pub modseq: u64,
    /// The raw RFC 5322 message.
    pub raw: &'a [u8],
}

fn contains_ci(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    n.is_empty() || hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

impl SearchKey {
    /// Parses the criteria of a SEARCH (after an optional CHARSET).
    pub(crate) fn parse_all(l: &mut Lexer<'_>) -> Result<SearchKey, ParseError> {
        let mut keys = vec![SearchKey::parse(l, 0)?];
        while l.eat(b' ') {
            keys.push(SearchKey::parse(l, 0)?);
        }
        Ok(if keys.len() == 1 {
            keys.remove(0)
        } else {
            SearchKey::And(keys)
        })
    }

    fn parse(l: &mut Lexer<'_>, depth: u32) -> Result<SearchKey, ParseError> {
        use SearchKey::*;
        if depth > 32 {
            return Err(ParseError::Invalid(
                "search criteria nested too deeply".into(),
            ));
        }
        if l.eat(b'(') {
            let mut keys = vec![SearchKey::parse(l, depth + 1)?];
            while l.eat(b' ') {
                keys.push(SearchKey::parse(l, depth + 1)?);
            }
            l.expect(b')', ") after the search keys")?;
            return Ok(if keys.len() == 1 {
                keys.remove(0)
            } else {
                And(keys)
            });
        }
        if l.peek().is_some_and(|b| b.is_ascii_digit() || b == b'*') {
            return SequenceSet::parse(l).map(Seq);
        }
        let at = l.pos();
        let word = l.atom()?.to_ascii_uppercase();
        let arg_string = |l: &mut Lexer<'_>| -> Result<String, ParseError> {
            l.sp()?;
            l.astring()
        };
        let key = match word.as_str() {
            "ALL" => All,
            "ANSWERED" => Flag(super::types::Flag::Answered),
            "DELETED" => Flag(super::types::Flag::Deleted),
            "DRAFT" => Flag(super::types::Flag::Draft),
            "FLAGGED" => Flag(super::types::Flag::Flagged),
            "SEEN" => Flag(super::types::Flag::Seen),
            "RECENT" => Flag(super::types::Flag::Recent),
            "UNANSWERED" => NotFlag(super::types::Flag::Answered),
            "UNDELETED" => NotFlag(super::types::Flag::Deleted),
            "UNDRAFT" => NotFlag(super::types::Flag::Draft),
            "UNFLAGGED" => NotFlag(super::types::Flag::Flagged),
            "UNSEEN" => NotFlag(super::types::Flag::Seen),
            "NEW" => New,
            "OLD" => Old,
            "KEYWORD" | "UNKEYWORD" => {
                l.sp()?;
                let k = super::types::Flag::Keyword(l.atom()?);
                if word == "KEYWORD" {
                    Flag(k)
                } else {
                    NotFlag(k)
                }
            }
            "FROM" | "TO" | "CC" | "BCC" | "SUBJECT" => Header(word.clone(), arg_string(l)?),
            "HEADER" => {
                let name = arg_string(l)?;
                Header(name.to_ascii_uppercase(), arg_string(l)?)
            }
            "BODY" => Body(arg_string(l)?),
            "TEXT" => Text(arg_string(l)?),
            "BEFORE" | "ON" | "SINCE" | "SENTBEFORE" | "SENTON" | "SENTSINCE" => {
                l.sp()?;
                let d = Date::parse(l)?;
                match word.as_str() {
                    "BEFORE" => Before(d),
                    "ON" => On(d),
                    "SINCE" => Since(d),
                    "SENTBEFORE" => SentBefore(d),
                    "SENTON" => SentOn(d),
                    _ => SentSince(d),
                }
            }
            "LARGER" | "SMALLER" => {
                l.sp()?;
                let n = l.number()?;
                if word == "LARGER" {
                    Larger(n)
                } else {
                    Smaller(n)
                }
            }
            "UID" => {
                l.sp()?;
                Uid(SequenceSet::parse(l)?)
            }
            "MODSEQ" => {
                l.sp()?;
                // RFC 7162: [entry-name SP entry-type-req SP] mod-sequence-valzer.
                if l.peek() == Some(b'"') {
                    l.quoted()?;
                    l.sp()?;
                    let at = l.pos();
                    let kind = l.atom()?.to_ascii_lowercase();
                    if !["priv", "shared", "all"].contains(&kind.as_str()) {
                        return Err(ParseError::Invalid(format!(
                            "{kind} is not priv, shared or all (offset {at})"
                        )));
                    }
                    l.sp()?;
                }
                Modseq(l.number64()?)
            }
            "NOT" => {
                l.sp()?;
                Not(Box::new(SearchKey::parse(l, depth + 1)?))
            }
            "OR" => {
                l.sp()?;
                let a = SearchKey::parse(l, depth + 1)?;
                l.sp()?;
                let b = SearchKey::parse(l, depth + 1)?;
                Or(Box::new(a), Box::new(b))
            }
            _ => {
                return Err(ParseError::Invalid(format!(
                    "{word} is not a search key (offset {at})"
                )));
            }
        };
        Ok(key)
    }

    /// Whether the criteria use `MODSEQ`: then SEARCH answers with the
    /// highest mod-sequence of the hits (RFC 7162 §3.1.5).
    pub fn uses_modseq(&self) -> bool {
        match self {
            SearchKey::Modseq(_) => true,
            SearchKey::Not(k) => k.uses_modseq(),
            SearchKey::Or(a, b) => a.uses_modseq() || b.uses_modseq(),
            SearchKey::And(keys) => keys.iter().any(SearchKey::uses_modseq),
            _ => false,
        }
    }

    /// `true` if the message matches.
    pub fn matches(&self, m: &Candidate<'_>) -> bool {
        use SearchKey::*;
        let has = |f: &super::types::Flag| m.flags.contains(f);
        match self {
            All => true,
            Flag(f) => has(f),
            NotFlag(f) => !has(f),
            New => has(&super::types::Flag::Recent) && !has(&super::types::Flag::Seen),
            Old => !has(&super::types::Flag::Recent),
            Header(name, text) => {
                let (head, _) = split_message(m.raw);
                header_value(head, name).is_some_and(|v| contains_ci(v.as_bytes(), text))
            }
            Body(text) => contains_ci(split_message(m.raw).1, text),
            Text(text) => contains_ci(m.raw, text),
            Before(d) => Date::of_unix(m.internal_date) < *d,
            On(d) => Date::of_unix(m.internal_date) == *d,
            Since(d) => Date::of_unix(m.internal_date) >= *d,
            SentBefore(d) | SentOn(d) | SentSince(d) => {
                let (head, _) = split_message(m.raw);
                let Some(sent) = header_value(head, "Date")
                    .as_deref()
                    .and_then(super::message::parse_rfc5322_date)
                else {
                    return false;
                };
                let day = Date::of_unix(sent);
                match self {
                    SentBefore(_) => day < *d,
                    SentOn(_) => day == *d,
                    _ => day >= *d,
                }
            }
            Larger(n) => m.raw.len() as u64 > u64::from(*n),
            Smaller(n) => (m.raw.len() as u64) < u64::from(*n),
            Uid(set) => set.contains(m.uid, m.max_uid),
            Modseq(n) => m.modseq >= *n,
            Seq(set) => set.contains(m.seq, m.exists),
            Not(k) => !k.matches(m),
            Or(a, b) => a.matches(m) || b.matches(m),
            And(keys) => keys.iter().all(|k| k.matches(m)),
        }
    }
}

/// A search string: quoted if it is printable ASCII, else a LITERAL+ literal.
fn search_string(s: &str) -> String {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        super::message::quote(s)
    } else {
        format!("{{{}+}}\r\n{s}", s.len())
    }
}

impl core::fmt::Display for SearchKey {
    /// The key as a client writes it after `SEARCH`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use super::types::Flag as F;
        use SearchKey::*;
        let flag_word = |fl: &F, set: bool| -> String {
            let w = match fl {
                F::Seen => "SEEN",
                F::Answered => "ANSWERED",
                F::Flagged => "FLAGGED",
                F::Deleted => "DELETED",
                F::Draft => "DRAFT",
                F::Recent => {
                    return if set {
                        "RECENT".into()
                    } else {
                        "NOT RECENT".into()
                    };
                }
                F::Keyword(k) => return format!("{}KEYWORD {k}", if set { "" } else { "UN" }),
            };
            if set { w.to_string() } else { format!("UN{w}") }
        };
        match self {
            All => f.write_str("ALL"),
            Flag(fl) => f.write_str(&flag_word(fl, true)),
            NotFlag(fl) => f.write_str(&flag_word(fl, false)),
            New => f.write_str("NEW"),
            Old => f.write_str("OLD"),
            Header(name, text) => {
                let n = name.to_ascii_uppercase();
                if ["FROM", "TO", "CC", "BCC", "SUBJECT"].contains(&n.as_str()) {
                    write!(f, "{n} {}", search_string(text))
                } else {
                    write!(f, "HEADER {} {}", search_string(name), search_string(text))
                }
            }
            Body(t) => write!(f, "BODY {}", search_string(t)),
            Text(t) => write!(f, "TEXT {}", search_string(t)),
            Before(d) => write!(f, "BEFORE {d}"),
            On(d) => write!(f, "ON {d}"),
            Since(d) => write!(f, "SINCE {d}"),
            SentBefore(d) => write!(f, "SENTBEFORE {d}"),
            SentOn(d) => write!(f, "SENTON {d}"),
            SentSince(d) => write!(f, "SENTSINCE {d}"),
            Larger(n) => write!(f, "LARGER {n}"),
            Smaller(n) => write!(f, "SMALLER {n}"),
            Uid(set) => write!(f, "UID {set}"),
            Modseq(n) => write!(f, "MODSEQ {n}"),
            Seq(set) => write!(f, "{set}"),
            Not(k) => write!(f, "NOT {k}"),
            Or(a, b) => write!(f, "OR {a} {b}"),
            And(keys) => {
                let parts: Vec<String> = keys.iter().map(ToString::to_string).collect();
                write!(f, "({})", parts.join(" "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> SearchKey {
        let mut l = Lexer::new(s.as_bytes());
        let k = SearchKey::parse_all(&mut l).unwrap();
        l.finish().unwrap();
        k
    }

    const RAW: &[u8] = b"From: Akbari <akbari@hasan.com>\r\nSubject: Lunch plans\r\nDate: Tue, 24 Nov 2026 10:00:00 +0700\r\n\r\nSee you at noon\r\n";

    fn cand(flags: &[Flag]) -> Candidate<'_> {
        Candidate {
            seq: 2,
            uid: 7,
            exists: 3,
            max_uid: 9,
            flags,
            internal_date: 1_795_000_000,
            modseq: 5,
            raw: RAW,
        }
    }

    #[test]
    fn keys_match() {
        let seen = [Flag::Seen];
        let c = cand(&seen);
        assert!(key("SEEN").matches(&c));
        assert!(!key("UNSEEN").matches(&c));
        assert!(key("from AKBARI subject lunch").matches(&c));
        assert!(key("BODY noon").matches(&c) && !key("BODY lunch").matches(&c));
        assert!(key("TEXT lunch").matches(&c));
        assert!(key("OR DELETED NOT FLAGGED").matches(&c));
        assert!(key("UID 5:*").matches(&c) && !key("UID 1:6").matches(&c));
        assert!(key("2:*").matches(&c) && !key("1").matches(&c));
        assert!(key("LARGER 10 SMALLER 1000").matches(&c));
        assert!(key("(SEEN UNDELETED) NOT NEW").matches(&c));
        assert!(key("SENTON 24-Nov-2026").matches(&c));
        assert!(key("SENTBEFORE 25-Nov-2026 SENTSINCE 1-Jan-2026").matches(&c));
        assert!(key("HEADER Subject \"lunch plans\"").matches(&c));
        assert!(key("SINCE 1-Jan-2026 BEFORE 1-Jan-2027").matches(&c));
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "ALL",
            "UNSEEN",
            "NOT RECENT",
            "UNKEYWORD $Work",
            "FROM \"bob \\\"b\\\"\"",
            "HEADER \"X-Mailer\" \"lab\"",
            "OR (SEEN FLAGGED) NOT BODY \"x\"",
            "SINCE 1-Feb-1994",
            "UID 1:*,7",
            "2:4",
            "LARGER 5",
        ] {
            let k = key(s);
            assert_eq!(key(&k.to_string()), k, "{s}");
        }
        assert_eq!(key("FROM bob").to_string(), "FROM \"bob\"");
    }

    #[test]
    fn bad_keys() {
        for s in [
            "FOO",
            "FROM",
            "SINCE 32-Nov-2026x",
            "OR SEEN",
            "(SEEN",
            "LARGER x",
            "NOT",
        ] {
            let mut l = Lexer::new(s.as_bytes());
            assert!(
                SearchKey::parse_all(&mut l)
                    .and_then(|_| l.finish())
                    .is_err(),
                "{s}"
            );
        }
    }
}
