//! Domain names: labels, the 63/255 length rules, text form, and the reverse
//! (`in-addr.arpa.` / `ip6.arpa.`) names used for PTR lookups.
//!
//! RFC 1035 §2.3.4: "labels 63 octets or less; names 255 octets or less" (wire
//! form, counting length octets and the final root label). RFC 1034 §3.1:
//! comparisons are case-insensitive. RFC 1035 §3.5 / RFC 3596 §2.5: reverse
//! names.

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::str::FromStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Longest label, in octets (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;
/// Longest name in wire form, in octets, including length octets and the root.
pub const MAX_NAME_LEN: usize = 255;

/// Why a name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// A label longer than 63 octets.
    #[error("label '{preview}' is {len} characters; the limit is 63")]
    LabelTooLong {
        /// The start of the label, shortened for display.
        preview: String,
        /// Its length in octets.
        len: usize,
    },
    /// A name longer than 255 octets in wire form.
    #[error("name '{preview}' is {len} characters long on the wire; the limit is 255")]
    NameTooLong {
        /// The start of the name, shortened for display.
        preview: String,
        /// Its wire length in octets.
        len: usize,
    },
    /// Two dots in a row, or a leading dot.
    #[error("name '{0}' has an empty label (two dots in a row, or a leading dot)")]
    EmptyLabel(String),
    /// Nothing at all was given.
    #[error("the name is empty; use '.' for the root")]
    Empty,
    /// A space or control character (write it as `\032` if really meant).
    #[error("name '{0}' contains a space or control character")]
    BadCharacter(String),
    /// A broken `\` escape.
    #[error("name '{0}' has a bad '\\' escape")]
    BadEscape(String),
}

fn preview(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(12).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// A fully qualified domain name: labels from the leaf to the root.
///
/// Case is kept for display but ignored by `==`, `Ord` and `Hash`.
#[derive(Clone, Default)]
pub struct Name {
    labels: Vec<Vec<u8>>,
}

impl Name {
    /// The root name `.`.
    pub fn root() -> Self {
        Name { labels: Vec::new() }
    }

    /// Builds a name from raw labels, checking the length rules.
    ///
    /// # Errors
    /// A label over 63 octets, an empty label or a name over 255 octets.
    pub fn from_labels<I, L>(labels: I) -> Result<Self, NameError>
    where
        I: IntoIterator<Item = L>,
        L: AsRef<[u8]>,
    {
        let labels: Vec<Vec<u8>> = labels.into_iter().map(|l| l.as_ref().to_vec()).collect();
        let name = Name { labels };
        name.check()?;
        Ok(name)
    }

    fn check(&self) -> Result<(), NameError> {
        for label in &self.labels {
            if label.is_empty() {
                return Err(NameError::EmptyLabel(self.to_string()));
            }
            if label.len() > MAX_LABEL_LEN {
                let text = escape_label(label);
                return Err(NameError::LabelTooLong {
                    preview: preview(&text),
                    len: label.len(),
                });
            }
        }
        let len = self.wire_len();
        if len > MAX_NAME_LEN {
            return Err(NameError::NameTooLong {
                preview: preview(&self.to_string()),
                len,
            });
        }
        Ok(())
    }

    /// Parses text such as `hasan.com`, `hasan.com.` or `.`; the name is
    /// always taken as fully qualified. `\.` and `\DDD` escapes are understood.
    ///
    /// # Errors
    /// Empty input, empty labels, bad escapes, or the 63/255 limits.
    pub fn parse(text: &str) -> Result<Self, NameError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(NameError::Empty);
        }
        if text == "." {
            return Ok(Name::root());
        }
        let mut labels = Vec::new();
        let mut current = Vec::new();
        let mut bytes = text.bytes().peekable();
        let mut ended_with_dot = false;
        while let Some(b) = bytes.next() {
            ended_with_dot = false;
            match b {
                b'.' => {
                    if current.is_empty() {
                        return Err(NameError::EmptyLabel(text.to_string()));
                    }
                    labels.push(core::mem::take(&mut current));
                    ended_with_dot = true;
                }
                b'\\' => {
                    let Some(next) = bytes.next() else {
                        return Err(NameError::BadEscape(text.to_string()));
                    };
                    if next.is_ascii_digit() {
                        let d2 = bytes.next().filter(u8::is_ascii_digit);
                        let d3 = bytes.next().filter(u8::is_ascii_digit);
                        let (Some(d2), Some(d3)) = (d2, d3) else {
                            return Err(NameError::BadEscape(text.to_string()));
                        };
                        let value = u32::from(next - b'0') * 100
                            + u32::from(d2 - b'0') * 10
                            + u32::from(d3 - b'0');
                        let byte = u8::try_from(value)
                            .map_err(|_| NameError::BadEscape(text.to_string()))?;
                        current.push(byte);
                    } else {
                        current.push(next);
                    }
                }
                b if b.is_ascii_whitespace() || b.is_ascii_control() => {
                    return Err(NameError::BadCharacter(text.to_string()));
                }
                _ => current.push(b),
            }
        }
        if !ended_with_dot {
            labels.push(current);
        }
        let name = Name { labels };
        name.check()?;
        Ok(name)
    }

    /// Parses zone-file text relative to `origin`: `@` is the origin, a name
    /// ending in `.` is absolute, anything else has the origin appended.
    ///
    /// # Errors
    /// As [`Name::parse`].
    pub fn parse_relative(text: &str, origin: &Name) -> Result<Self, NameError> {
        let text = text.trim();
        if text == "@" {
            return Ok(origin.clone());
        }
        let name = Name::parse(text)?;
        // A final dot makes the name absolute unless it is escaped (`a\.`):
        // an odd number of backslashes before it.
        let backslashes = text
            .strip_suffix('.')
            .map(|head| head.bytes().rev().take_while(|&b| b == b'\\').count());
        if backslashes.is_some_and(|n| n % 2 == 0) {
            Ok(name)
        } else {
            name.append(origin)
        }
    }

    /// The labels, leaf first; empty for the root.
    pub fn labels(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.labels.iter().map(Vec::as_slice)
    }

    /// How many labels (0 for the root).
    pub fn label_count(&self) -> usize {
        self.labels.len()
    }

    /// Whether this is the root name.
    pub fn is_root(&self) -> bool {
        self.labels.is_empty()
    }

    /// Length in wire form without compression.
    pub fn wire_len(&self) -> usize {
        self.labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1
    }

    /// The name with its first label removed; the root's parent is `None`.
    pub fn parent(&self) -> Option<Name> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Name {
                labels: self.labels[1..].to_vec(),
            })
        }
    }

    /// The last `n` labels (`n` ≤ label count) as a name.
    pub fn suffix(&self, n: usize) -> Name {
        let n = n.min(self.labels.len());
        Name {
            labels: self.labels[self.labels.len() - n..].to_vec(),
        }
    }

    /// This name followed by `other` (`www` + `hasan.com.`).
    ///
    /// # Errors
    /// When the result breaks the 255-octet limit.
    pub fn append(&self, other: &Name) -> Result<Name, NameError> {
        let mut labels = self.labels.clone();
        labels.extend(other.labels.iter().cloned());
        let name = Name { labels };
        name.check()?;
        Ok(name)
    }

    /// A new name with `label` in front.
    ///
    /// # Errors
    /// As [`Name::from_labels`].
    pub fn prepend(&self, label: &[u8]) -> Result<Name, NameError> {
        let mut labels = Vec::with_capacity(self.labels.len() + 1);
        labels.push(label.to_vec());
        labels.extend(self.labels.iter().cloned());
        let name = Name { labels };
        name.check()?;
        Ok(name)
    }

    /// Whether this name is `zone` or below it (`www.hasan.com.` is within `com.`).
    pub fn is_within(&self, zone: &Name) -> bool {
        let (n, z) = (self.labels.len(), zone.labels.len());
        n >= z
            && self.labels[n - z..]
                .iter()
                .zip(&zone.labels)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }

    /// The reverse-lookup name of an address: `192.168.1.1` →
    /// `1.1.168.192.in-addr.arpa.`; IPv6 gives nibbles under `ip6.arpa.`.
    pub fn reverse(addr: IpAddr) -> Name {
        match addr {
            IpAddr::V4(v4) => Self::reverse_v4(v4),
            IpAddr::V6(v6) => Self::reverse_v6(v6),
        }
    }

    /// `192.168.1.1` → `1.1.168.192.in-addr.arpa.` (RFC 1035 §3.5).
    pub fn reverse_v4(addr: Ipv4Addr) -> Name {
        let mut labels: Vec<Vec<u8>> = addr
            .octets()
            .iter()
            .rev()
            .map(|o| o.to_string().into_bytes())
            .collect();
        labels.push(b"in-addr".to_vec());
        labels.push(b"arpa".to_vec());
        Name { labels }
    }

    /// The nibble-reversed name under `ip6.arpa.` (RFC 3596 §2.5).
    pub fn reverse_v6(addr: Ipv6Addr) -> Name {
        let mut labels = Vec::with_capacity(34);
        for byte in addr.octets().iter().rev() {
            for nibble in [byte & 0xf, byte >> 4] {
                labels.push(format!("{nibble:x}").into_bytes());
            }
        }
        labels.push(b"ip6".to_vec());
        labels.push(b"arpa".to_vec());
        Name { labels }
    }

    /// The IPv4 address a full `d.c.b.a.in-addr.arpa.` name stands for.
    pub fn reverse_to_ipv4(&self) -> Option<Ipv4Addr> {
        if self.labels.len() != 6 || !self.is_within(&in_addr_arpa()) {
            return None;
        }
        let mut octets = [0u8; 4];
        for (i, label) in self.labels[..4].iter().enumerate() {
            let text = core::str::from_utf8(label).ok()?;
            octets[3 - i] = text.parse().ok()?;
        }
        Some(Ipv4Addr::from(octets))
    }

    /// The name without the final dot, the way `nslookup` prints it.
    pub fn to_string_no_dot(&self) -> String {
        if self.is_root() {
            ".".to_string()
        } else {
            let text = self.to_string();
            text[..text.len() - 1].to_string()
        }
    }

    /// Lower-cased labels, for comparisons.
    fn lower(&self) -> impl Iterator<Item = impl Iterator<Item = u8> + '_> + '_ {
        self.labels
            .iter()
            .map(|l| l.iter().map(u8::to_ascii_lowercase))
    }
}

fn in_addr_arpa() -> Name {
    Name {
        labels: vec![b"in-addr".to_vec(), b"arpa".to_vec()],
    }
}

fn escape_label(label: &[u8]) -> String {
    let mut out = String::with_capacity(label.len());
    for &b in label {
        match b {
            b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x21..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
    out
}

impl fmt::Display for Name {
    /// Fully qualified text with the final dot: `hasan.com.`, `.` for the root.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.labels.is_empty() {
            return f.write_str(".");
        }
        for label in &self.labels {
            f.write_str(&escape_label(label))?;
            f.write_str(".")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({self})")
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.labels.len() == other.labels.len()
            && self
                .labels
                .iter()
                .zip(&other.labels)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }
}

impl Eq for Name {}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.labels.len());
        for label in self.lower() {
            for b in label {
                state.write_u8(b);
            }
            state.write_u8(b'.');
        }
    }
}

impl Ord for Name {
    /// Canonical order (RFC 4034 §6.1): by labels from the root down.
    fn cmp(&self, other: &Self) -> Ordering {
        let a = self.labels.iter().rev();
        let b = other.labels.iter().rev();
        for (x, y) in a.zip(b) {
            let x = x.iter().map(u8::to_ascii_lowercase);
            let y = y.iter().map(u8::to_ascii_lowercase);
            match x.cmp(y) {
                Ordering::Equal => {}
                other => return other,
            }
        }
        self.labels.len().cmp(&other.labels.len())
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for Name {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Name::parse(s)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Name::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let n = Name::parse("Hasan.COM").unwrap();
        assert_eq!(n.to_string(), "Hasan.COM.");
        assert_eq!(n, Name::parse("hasan.com.").unwrap());
        assert_eq!(Name::parse(".").unwrap(), Name::root());
        assert_eq!(Name::root().to_string(), ".");
        assert_eq!(n.to_string_no_dot(), "Hasan.COM");
        assert_eq!(n.wire_len(), 11);
    }

    #[test]
    fn length_rules_are_explained() {
        let long = "x".repeat(70);
        let err = Name::parse(&format!("{long}.com")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "label 'xxxxxxxxxxxx…' is 70 characters; the limit is 63"
        );
        let label = "a".repeat(63);
        let ok = [label.as_str(); 3].join(".");
        assert!(Name::parse(&ok).is_ok());
        let too_long = [label.as_str(); 4].join(".");
        let err = Name::parse(&too_long).unwrap_err();
        assert!(matches!(err, NameError::NameTooLong { len: 257, .. }));
        assert!(err.to_string().contains("the limit is 255"));
        assert!(matches!(Name::parse("a..b"), Err(NameError::EmptyLabel(_))));
        assert_eq!(Name::parse(""), Err(NameError::Empty));
        assert_eq!(
            Name::parse("my host.com").unwrap_err().to_string(),
            "name 'my host.com' contains a space or control character"
        );
    }

    #[test]
    fn relative_names_and_subdomains() {
        let origin = Name::parse("hasan.com.").unwrap();
        let www = Name::parse_relative("www", &origin).unwrap();
        assert_eq!(www.to_string(), "www.hasan.com.");
        assert_eq!(Name::parse_relative("@", &origin).unwrap(), origin);
        assert_eq!(Name::parse_relative("hasan.com.", &origin).unwrap(), origin);
        assert!(www.is_within(&origin));
        assert!(www.is_within(&Name::root()));
        assert!(!origin.is_within(&www));
        assert_eq!(www.parent().unwrap(), origin);
        assert_eq!(www.suffix(1).to_string(), "com.");
    }

    #[test]
    fn reverse_names() {
        let r = Name::reverse_v4(Ipv4Addr::new(192, 168, 1, 1));
        assert_eq!(r.to_string(), "1.1.168.192.in-addr.arpa.");
        assert_eq!(r.reverse_to_ipv4(), Some(Ipv4Addr::new(192, 168, 1, 1)));
        let r6 = Name::reverse("2001:db8::1".parse().unwrap());
        assert!(r6.to_string().starts_with("1.0.0.0.0.0.0.0"));
        assert!(r6.to_string().ends_with("8.b.d.0.1.0.0.2.ip6.arpa."));
    }

    #[test]
    fn escapes_round_trip() {
        let n = Name::from_labels([b"a.b".as_slice(), b"c"]).unwrap();
        assert_eq!(n.to_string(), "a\\.b.c.");
        assert_eq!(Name::parse(&n.to_string()).unwrap(), n);
        let n = Name::from_labels([[0u8, 200].as_slice()]).unwrap();
        assert_eq!(Name::parse(&n.to_string()).unwrap(), n);
    }
}
