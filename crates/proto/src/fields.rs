//! The PDU inspector's field tree, shared by every wire format: each format
//! module (`net::wire::*`, `dhcp::fields`, `dns::fields`, the mail and HTTP
//! `fields`) turns its own bytes into [`Field`]s with the byte range each
//! came from, as absolute offsets into the frame (each function takes the
//! offset its bytes start at), so the hex dump can highlight them.
//!
//! Everything here reads with bounds checks only: no input makes a field
//! function panic, and every range lies inside the bytes it was given.

use std::fmt::Write as _;
use std::ops::Range;

/// Most lines of an application message shown as fields.
pub const MAX_LINES: usize = 200;
/// Most DNS records or DHCP options shown.
pub const MAX_ITEMS: usize = 64;

/// One field (or header, or section) of a frame.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Field {
    /// What it is (`Source port`).
    pub label: String,
    /// Its value, as a person reads it (`25 (SMTP)`).
    pub value: String,
    /// The bytes it came from, as offsets into the frame.
    pub range: Range<usize>,
    /// Its parts (a header's fields, an option's contents).
    pub children: Vec<Field>,
}

impl Field {
    /// A field without parts.
    pub fn new(label: &str, value: impl Into<String>, range: Range<usize>) -> Field {
        Field {
            label: label.to_string(),
            value: value.into(),
            range,
            children: Vec::new(),
        }
    }

    /// The same field with these parts.
    pub fn with_children(mut self, children: Vec<Field>) -> Field {
        self.children = children;
        self
    }

    /// This field and all below it, depth first.
    pub fn walk(&self) -> Vec<&Field> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }

    /// The first field labelled `label` in this tree, depth first.
    pub fn find(&self, label: &str) -> Option<&Field> {
        self.walk().into_iter().find(|f| f.label == label)
    }
}

/// Up to 32 bytes as hex digits, `…` after when there were more.
pub fn hex(data: &[u8]) -> String {
    let mut s = String::new();
    for b in data.iter().take(32) {
        let _ = write!(s, "{b:02x}");
    }
    if data.len() > 32 {
        s.push('…');
    }
    s
}

/// A big-endian `u16` at `i`, if the bytes reach that far.
pub fn be16(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(i)?, *b.get(i.checked_add(1)?)?]))
}

/// A big-endian `u32` at `i`, if the bytes reach that far.
pub fn be32(b: &[u8], i: usize) -> Option<u32> {
    let s = b.get(i..i.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// The lines of `data` (at most [`MAX_LINES`]), each as the range it spans
/// relative to `data`, its line end included.
pub fn lines(data: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= data.len() {
            return None;
        }
        let stop = data[start..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(data.len(), |i| start + i + 1);
        let r = start..stop;
        start = stop;
        Some(r)
    })
    .take(MAX_LINES)
}

/// A line without its CR/LF, as text (invalid UTF-8 replaced).
pub fn line_text(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .trim_end_matches(['\r', '\n'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_are_bounds_checked() {
        assert_eq!(be16(&[1, 2], 0), Some(0x0102));
        assert_eq!(be16(&[1, 2], 1), None);
        assert_eq!(be16(&[1, 2], usize::MAX), None);
        assert_eq!(be32(&[0, 0, 1, 2], 0), Some(0x0102));
        assert_eq!(be32(&[0, 0, 1], 0), None);
        assert_eq!(hex(&[0xab; 33]), format!("{}…", "ab".repeat(32)));
        let ls: Vec<_> = lines(b"a\r\nbc\nd").collect();
        assert_eq!(ls, [0..3, 3..6, 6..7]);
        assert_eq!(line_text(b"a\r\n"), "a");
    }

    #[test]
    fn walk_and_find_go_depth_first() {
        let f = Field::new("A", "", 0..4).with_children(vec![
            Field::new("B", "", 0..2).with_children(vec![Field::new("C", "x", 1..2)]),
            Field::new("C", "y", 2..4),
        ]);
        let labels: Vec<&str> = f.walk().iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["A", "B", "C", "C"]);
        assert_eq!(f.find("C").unwrap().value, "x");
    }
}
