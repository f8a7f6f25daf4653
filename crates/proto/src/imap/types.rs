//! Small IMAP value types shared by commands and responses (RFC 3501 §2.3, §9):
//! flags, sequence sets, mailbox names and dates.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::parse::{Lexer, ParseError, is_atom_char};
use crate::mail::date::civil_from_days;

/// A message flag (RFC 3501 §2.3.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Flag {
    /// `\Seen`: the message has been read.
    Seen,
    /// `\Answered`: the message has been answered.
    Answered,
    /// `\Flagged`: marked urgent/special.
    Flagged,
    /// `\Deleted`: marked for removal by EXPUNGE.
    Deleted,
    /// `\Draft`: not yet complete.
    Draft,
    /// `\Recent`: first session to see it (read-only, server-set).
    Recent,
    /// A keyword such as `$Forwarded` or `Junk`.
    Keyword(String),
}

impl Flag {
    /// Parses `\Seen`, `\answered`, `$Label1`, … (system flags case-insensitively).
    pub fn parse(s: &str) -> Option<Flag> {
        if let Some(name) = s.strip_prefix('\\') {
            let f = match name.to_ascii_lowercase().as_str() {
                "seen" => Flag::Seen,
                "answered" => Flag::Answered,
                "flagged" => Flag::Flagged,
                "deleted" => Flag::Deleted,
                "draft" => Flag::Draft,
                "recent" => Flag::Recent,
                _ => return None,
            };
            Some(f)
        } else if !s.is_empty() && s.bytes().all(is_atom_char) {
            Some(Flag::Keyword(s.to_string()))
        } else {
            None
        }
    }

    /// The five flags a client may set (RFC 3501 §7.1, PERMANENTFLAGS).
    pub const SYSTEM: [Flag; 5] = [
        Flag::Answered,
        Flag::Flagged,
        Flag::Deleted,
        Flag::Seen,
        Flag::Draft,
    ];
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Flag::Seen => f.write_str("\\Seen"),
            Flag::Answered => f.write_str("\\Answered"),
            Flag::Flagged => f.write_str("\\Flagged"),
            Flag::Deleted => f.write_str("\\Deleted"),
            Flag::Draft => f.write_str("\\Draft"),
            Flag::Recent => f.write_str("\\Recent"),
            Flag::Keyword(k) => f.write_str(k),
        }
    }
}

/// Writes `(\Seen \Deleted)`.
pub(crate) fn flag_list(flags: &[Flag]) -> String {
    let parts: Vec<String> = flags.iter().map(Flag::to_string).collect();
    format!("({})", parts.join(" "))
}

/// Parses `(\Seen foo)` or, where RFC 3501 allows it, a bare space-separated list.
pub(crate) fn parse_flag_list(
    l: &mut Lexer<'_>,
    parens_required: bool,
) -> Result<Vec<Flag>, ParseError> {
    let parens = l.eat(b'(');
    if parens_required && !parens {
        return Err(ParseError::Expected {
            expected: "a flag list in parentheses",
            at: l.pos(),
        });
    }
    let mut flags = Vec::new();
    loop {
        if parens && l.eat(b')') {
            break;
        }
        if !flags.is_empty() {
            if !parens && l.at_end() {
                break;
            }
            l.sp()?;
        }
        let at = l.pos();
        let bs = l.eat(b'\\');
        let word = l.atom()?;
        let text = if bs { format!("\\{word}") } else { word };
        let flag = Flag::parse(&text)
            .ok_or_else(|| ParseError::Invalid(format!("{text} is not a flag (offset {at})")))?;
        flags.push(flag);
        if !parens && l.at_end() {
            break;
        }
    }
    Ok(flags)
}

/// One end of a sequence range: a number or `*` (the largest in use).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeqNum {
    /// A message sequence number or UID.
    Value(u32),
    /// `*`: the last message (or the highest UID).
    Last,
}

impl SeqNum {
    fn resolve(self, last: u32) -> u32 {
        match self {
            SeqNum::Value(n) => n,
            SeqNum::Last => last,
        }
    }
}

/// An RFC 3501 `sequence-set` such as `1,3:5,7:*`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceSet(pub Vec<(SeqNum, SeqNum)>);

impl SequenceSet {
    /// A set holding one number.
    pub fn single(n: u32) -> Self {
        SequenceSet(vec![(SeqNum::Value(n), SeqNum::Value(n))])
    }

    /// The set of several numbers.
    pub fn of(ns: &[u32]) -> Self {
        SequenceSet(
            ns.iter()
                .map(|&n| (SeqNum::Value(n), SeqNum::Value(n)))
                .collect(),
        )
    }

    /// `1:*`.
    pub fn all() -> Self {
        SequenceSet(vec![(SeqNum::Value(1), SeqNum::Last)])
    }

    /// `true` if `n` is in the set, `*` standing for `last`.
    /// RFC 3501 §9: "3:1" is the same as "1:3".
    pub fn contains(&self, n: u32, last: u32) -> bool {
        self.0.iter().any(|&(a, b)| {
            let (a, b) = (a.resolve(last), b.resolve(last));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            lo <= n && n <= hi
        })
    }

    /// `true` if some number in the set is above `last` or zero (for sequence numbers: BAD).
    pub fn exceeds(&self, last: u32) -> bool {
        self.0.iter().any(|&(a, b)| {
            [a, b]
                .iter()
                .any(|s| matches!(s, SeqNum::Value(v) if *v > last || *v == 0))
        })
    }

    /// Parses `1,2:4,*`.
    pub(crate) fn parse(l: &mut Lexer<'_>) -> Result<Self, ParseError> {
        let mut ranges = Vec::new();
        loop {
            let a = seq_num(l)?;
            let b = if l.eat(b':') { seq_num(l)? } else { a };
            ranges.push((a, b));
            if !l.eat(b',') {
                return Ok(SequenceSet(ranges));
            }
        }
    }
}

fn seq_num(l: &mut Lexer<'_>) -> Result<SeqNum, ParseError> {
    if l.eat(b'*') {
        Ok(SeqNum::Last)
    } else {
        l.nz_number().map(SeqNum::Value)
    }
}

impl fmt::Display for SequenceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, &(a, b)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            let one = |s: SeqNum| match s {
                SeqNum::Value(n) => n.to_string(),
                SeqNum::Last => "*".to_string(),
            };
            if a == b {
                f.write_str(&one(a))?;
            } else {
                write!(f, "{}:{}", one(a), one(b))?;
            }
        }
        Ok(())
    }
}

/// A mailbox name as sent on the wire (modified UTF-7 is passed through
/// untouched; see [`super::utf7`]). RFC 3501 §5.1: "The case-insensitive mailbox name INBOX is a
/// special name reserved to mean 'the primary mailbox for this user'", so any
/// spelling of INBOX is normalised to `INBOX`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MailboxName(pub String);

impl MailboxName {
    /// Normalises INBOX's case; other names keep theirs.
    pub fn new(name: impl Into<String>) -> Self {
        let name = name.into();
        if name.eq_ignore_ascii_case("INBOX") {
            MailboxName("INBOX".into())
        } else {
            MailboxName(name)
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads an astring; a name sent with raw 8-bit octets (not valid in
    /// IMAP4rev1, but a literal can carry them) is stored in modified UTF-7.
    pub(crate) fn parse(l: &mut Lexer<'_>) -> Result<Self, ParseError> {
        let raw = l.astring_bytes()?;
        let name = match String::from_utf8(raw) {
            Ok(s) if s.is_ascii() => s,
            Ok(s) => super::utf7::encode(&s),
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        Ok(MailboxName::new(name))
    }
}

impl fmt::Display for MailboxName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar day as used by SEARCH SINCE/BEFORE/ON (RFC 3501 `date`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    /// Days since 1970-01-01.
    pub days: i64,
}

impl Date {
    /// The day containing `unix` seconds (UTC).
    pub fn of_unix(unix: i64) -> Self {
        Date {
            days: unix.div_euclid(86_400),
        }
    }

    /// Parses `1-Feb-1994` (RFC 3501 `date-text`).
    pub fn parse_text(s: &str) -> Option<Date> {
        crate::mail::date::parse_imap_date(s).map(Date::of_unix)
    }

    pub(crate) fn parse(l: &mut Lexer<'_>) -> Result<Date, ParseError> {
        let at = l.pos();
        let text = if l.peek() == Some(b'"') {
            String::from_utf8_lossy(&l.quoted()?).into_owned()
        } else {
            l.atom()?
        };
        Date::parse_text(&text).ok_or_else(|| {
            ParseError::Invalid(format!(
                "{text} is not a date like 1-Feb-1994 (offset {at})"
            ))
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.days);
        write!(
            f,
            "{d}-{}-{y:04}",
            MONTHS[(m as usize).saturating_sub(1) % 12]
        )
    }
}

/// Formats unix seconds as an RFC 3501 `date-time`: `17-Jul-1996 02:44:25 +0000`.
pub fn format_date_time(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    let s = unix.rem_euclid(86_400);
    format!(
        "{d:2}-{}-{y:04} {:02}:{:02}:{:02} +0000",
        MONTHS[(m as usize).saturating_sub(1) % 12],
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Parses an RFC 3501 `date-time` (`" 7-Jul-1996 02:44:25 -0700"`) into unix seconds.
pub fn parse_date_time(s: &str) -> Option<i64> {
    crate::mail::date::parse_imap_date_time(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_sets() {
        let s = SequenceSet::parse(&mut Lexer::new(b"1,3:5,9:*")).unwrap();
        assert_eq!(s.to_string(), "1,3:5,9:*");
        assert!(s.contains(4, 12) && s.contains(12, 12) && !s.contains(2, 12));
        let rev = SequenceSet::parse(&mut Lexer::new(b"5:3")).unwrap();
        assert!(rev.contains(4, 9));
        assert!(SequenceSet::parse(&mut Lexer::new(b"0")).is_err());
        assert!(SequenceSet::parse(&mut Lexer::new(b"1:")).is_err());
        assert!(SequenceSet::of(&[7]).exceeds(3));
    }

    #[test]
    fn flags_and_names() {
        let fl = parse_flag_list(&mut Lexer::new(b"(\\seen $Junk \\Deleted)"), true).unwrap();
        assert_eq!(flag_list(&fl), "(\\Seen $Junk \\Deleted)");
        assert!(parse_flag_list(&mut Lexer::new(b"(\\Bogus)"), true).is_err());
        assert_eq!(MailboxName::new("iNbOx").as_str(), "INBOX");
        assert_eq!(MailboxName::new("Inbox/Sub").as_str(), "Inbox/Sub");
        assert_eq!(MailboxName::new("&AOk-t&AOk-").as_str(), "&AOk-t&AOk-");
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse_text("1-Feb-1994").unwrap().to_string(),
            "1-Feb-1994"
        );
        assert!(Date::parse_text("31-Foo-1994").is_none());
        let t = parse_date_time("17-Jul-1996 02:44:25 -0700").unwrap();
        assert_eq!(format_date_time(t), "17-Jul-1996 09:44:25 +0000");
        assert_eq!(format_date_time(0), " 1-Jan-1970 00:00:00 +0000");
        assert!(parse_date_time("17-Jul-1996 25:44:25 -0700").is_none());
    }
}
