//! Message flags: the IMAP system flags (RFC 3501 §2.3.2) and keywords.
//!
//! POP3 has no flags on the wire, but a POP3 `DELE` and an IMAP `\Deleted`
//! mean the same thing to the store, so both protocols share this type.

use core::fmt;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// One flag on a stored message.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Flag {
    /// `\Seen`: the message has been read.
    Seen,
    /// `\Answered`: the message has been answered.
    Answered,
    /// `\Flagged`: the message is flagged for urgent or special attention.
    Flagged,
    /// `\Deleted`: the message is marked for removal by a later expunge.
    Deleted,
    /// `\Draft`: the message is not complete (a draft).
    Draft,
    /// A keyword (user-defined flag without a backslash), e.g. `$Forwarded`.
    Keyword(String),
}

impl Flag {
    /// Parses `\Seen`, `\answered`, `$Label1`, …; system flags are
    /// case-insensitive (RFC 3501 §9: flag names are case-insensitive).
    /// Returns `None` for an unknown backslash flag or an empty / invalid atom.
    pub fn parse(s: &str) -> Option<Flag> {
        if let Some(sys) = s.strip_prefix('\\') {
            return match sys.to_ascii_lowercase().as_str() {
                "seen" => Some(Flag::Seen),
                "answered" => Some(Flag::Answered),
                "flagged" => Some(Flag::Flagged),
                "deleted" => Some(Flag::Deleted),
                "draft" => Some(Flag::Draft),
                _ => None,
            };
        }
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| {
                b.is_ascii_graphic() && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b']')
            });
        ok.then(|| Flag::Keyword(s.to_string()))
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Flag::Seen => f.write_str("\\Seen"),
            Flag::Answered => f.write_str("\\Answered"),
            Flag::Flagged => f.write_str("\\Flagged"),
            Flag::Deleted => f.write_str("\\Deleted"),
            Flag::Draft => f.write_str("\\Draft"),
            Flag::Keyword(k) => f.write_str(k),
        }
    }
}

/// The set of flags on one message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Flags(BTreeSet<Flag>);

impl Flags {
    /// No flags.
    pub fn new() -> Self {
        Flags::default()
    }

    /// Whether `flag` is set.
    pub fn contains(&self, flag: &Flag) -> bool {
        self.0.contains(flag)
    }

    /// Sets `flag`; returns whether it was newly set.
    pub fn insert(&mut self, flag: Flag) -> bool {
        self.0.insert(flag)
    }

    /// Clears `flag`; returns whether it was set.
    pub fn remove(&mut self, flag: &Flag) -> bool {
        self.0.remove(flag)
    }

    /// The flags in a stable order (system flags first, then keywords).
    pub fn iter(&self) -> impl Iterator<Item = &Flag> {
        self.0.iter()
    }

    /// Whether no flag is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of flags set.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl FromIterator<Flag> for Flags {
    fn from_iter<I: IntoIterator<Item = Flag>>(iter: I) -> Self {
        Flags(crate::order::set(iter))
    }
}

impl fmt::Display for Flags {
    /// `\Seen \Flagged $Work`, the way IMAP lists them inside `( )`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, flag) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{flag}")?;
        }
        Ok(())
    }
}

/// How a flag change applies to a message's flags (IMAP `STORE FLAGS`, `+FLAGS`, `-FLAGS`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlagOp {
    /// Replace all flags with the given ones.
    Replace,
    /// Add the given flags.
    Add,
    /// Remove the given flags.
    Remove,
}

impl Flags {
    /// Applies `op` with `given`; returns whether anything changed.
    pub fn apply(&mut self, op: FlagOp, given: &Flags) -> bool {
        let before = self.clone();
        match op {
            FlagOp::Replace => self.0 = given.0.clone(),
            FlagOp::Add => self.0.extend(given.0.iter().cloned()),
            FlagOp::Remove => self.0.retain(|f| !given.0.contains(f)),
        }
        *self != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_display_apply() {
        assert_eq!(Flag::parse("\\SEEN"), Some(Flag::Seen));
        assert_eq!(Flag::parse("\\Recent"), None);
        assert_eq!(Flag::parse("$Work"), Some(Flag::Keyword("$Work".into())));
        assert_eq!(Flag::parse("a(b"), None);
        let mut f: Flags = [Flag::Seen].into_iter().collect();
        let add: Flags = [Flag::Deleted, Flag::Keyword("$X".into())]
            .into_iter()
            .collect();
        assert!(f.apply(FlagOp::Add, &add));
        assert_eq!(f.to_string(), "\\Seen \\Deleted $X");
        assert!(!f.apply(FlagOp::Add, &add));
        assert!(f.apply(FlagOp::Remove, &add));
        assert_eq!(f.to_string(), "\\Seen");
        assert!(f.apply(FlagOp::Replace, &Flags::new()));
        assert!(f.is_empty());
    }
}
