//! Low-level DNS wire reading and writing: a bounds-checked reader over
//! `&[u8]` and a writer that compresses names (RFC 1035 §4.1.4).
//!
//! The reader never panics: every access is checked, compression pointers
//! must point strictly backwards and are followed at most [`MAX_POINTER_HOPS`]
//! times, and a name is cut off at 255 octets.

use std::collections::BTreeMap;

use super::name::{MAX_LABEL_LEN, MAX_NAME_LEN, Name, NameError};

/// Most compression pointers followed while reading one name.
pub const MAX_POINTER_HOPS: usize = 64;

/// Why a DNS message could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The message ends in the middle of a field.
    #[error("message ends early at offset {offset} (needed {needed} more bytes)")]
    Truncated {
        /// Where the read started.
        offset: usize,
        /// How many bytes were missing.
        needed: usize,
    },
    /// A compression pointer that points forward or loops.
    #[error("compression pointer at offset {0} does not point backwards")]
    BadPointer(usize),
    /// Too many compression pointers in one name.
    #[error("name at offset {0} follows more than 64 compression pointers")]
    TooManyPointers(usize),
    /// Label type 0x40/0x80 (extended labels), which nobody uses.
    #[error("label at offset {0} uses an unsupported label type")]
    BadLabelType(usize),
    /// The name read breaks the length rules.
    #[error("bad name at offset {offset}: {error}")]
    Name {
        /// Where the name starts.
        offset: usize,
        /// What is wrong with it.
        error: NameError,
    },
    /// Record data whose length does not fit its type.
    #[error("{rtype} record data at offset {offset} is malformed")]
    BadRdata {
        /// The record type's mnemonic.
        rtype: String,
        /// Where the data starts.
        offset: usize,
    },
    /// The message is shorter than its 12-byte header.
    #[error("message is {0} bytes; a DNS header alone is 12")]
    TooShort(usize),
}

/// A bounds-checked cursor over a whole DNS message.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end {
            Some(end) => {
                let out = &self.buf[self.pos..end];
                self.pos = end;
                Ok(out)
            }
            None => Err(WireError::Truncated {
                offset: self.pos,
                needed: n.saturating_sub(self.buf.len() - self.pos),
            }),
        }
    }

    pub(crate) fn u16(&mut self) -> Result<u16, WireError> {
        let b = self.bytes(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, WireError> {
        let b = self.bytes(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Reads a possibly compressed name starting at the cursor.
    pub(crate) fn name(&mut self) -> Result<Name, WireError> {
        let start = self.pos;
        let mut labels: Vec<&[u8]> = Vec::new();
        let mut wire_len = 1usize;
        let mut pos = self.pos;
        let mut hops = 0usize;
        // Where the cursor ends: after the first pointer, or after the root label.
        let mut resume: Option<usize> = None;
        loop {
            let len = *self.buf.get(pos).ok_or(WireError::Truncated {
                offset: pos,
                needed: 1,
            })?;
            match len & 0xc0 {
                0x00 => {
                    if len == 0 {
                        pos += 1;
                        break;
                    }
                    let len = usize::from(len);
                    let label =
                        self.buf
                            .get(pos + 1..pos + 1 + len)
                            .ok_or(WireError::Truncated {
                                offset: pos,
                                needed: len,
                            })?;
                    debug_assert!(len <= MAX_LABEL_LEN);
                    wire_len += len + 1;
                    if wire_len > MAX_NAME_LEN {
                        return Err(WireError::Name {
                            offset: start,
                            error: NameError::NameTooLong {
                                preview: String::from_utf8_lossy(label).into_owned(),
                                len: wire_len,
                            },
                        });
                    }
                    labels.push(label);
                    pos += 1 + len;
                }
                0xc0 => {
                    let low = *self.buf.get(pos + 1).ok_or(WireError::Truncated {
                        offset: pos,
                        needed: 1,
                    })?;
                    let target = usize::from(u16::from_be_bytes([len & 0x3f, low]));
                    if target >= pos {
                        return Err(WireError::BadPointer(pos));
                    }
                    hops += 1;
                    if hops > MAX_POINTER_HOPS {
                        return Err(WireError::TooManyPointers(start));
                    }
                    if resume.is_none() {
                        resume = Some(pos + 2);
                    }
                    pos = target;
                }
                _ => return Err(WireError::BadLabelType(pos)),
            }
        }
        self.pos = resume.unwrap_or(pos);
        Name::from_labels(labels).map_err(|error| WireError::Name {
            offset: start,
            error,
        })
    }
}

/// A message being written, remembering where names went for compression.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
    names: BTreeMap<Name, u16>,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Writer::default()
    }

    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub(crate) fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// Writes a name, pointing at an earlier copy of its longest known suffix.
    pub(crate) fn name(&mut self, name: &Name, compress: bool) {
        let count = name.label_count();
        for (i, label) in name.labels().enumerate() {
            let suffix = name.suffix(count - i);
            if compress && let Some(&offset) = self.names.get(&suffix) {
                self.u16(0xc000 | offset);
                return;
            }
            let here = self.buf.len();
            if compress && here < 0x4000 {
                self.names.insert(suffix, here as u16);
            }
            self.u8(label.len() as u8);
            self.bytes(label);
        }
        self.u8(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_round_trip() {
        let mut w = Writer::new();
        w.bytes(&[0; 12]);
        let a = Name::parse("www.hasan.com").unwrap();
        let b = Name::parse("mail.hasan.com").unwrap();
        w.name(&a, true);
        let before = w.buf.len();
        w.name(&b, true);
        assert_eq!(w.buf.len() - before, 1 + 4 + 2, "mail + pointer");
        let mut r = Reader::new(&w.buf);
        r.bytes(12).unwrap();
        assert_eq!(r.name().unwrap(), a);
        assert_eq!(r.name().unwrap(), b);
        assert_eq!(r.pos(), w.buf.len());
    }

    #[test]
    fn names_over_255_via_pointers_are_rejected() {
        // Five 60-octet labels, each pointing back at the previous name.
        let mut buf = Vec::new();
        let mut prev: Option<u16> = None;
        for _ in 0..5 {
            let here = buf.len() as u16;
            buf.push(60);
            buf.extend_from_slice(&[b'x'; 60]);
            match prev {
                Some(p) => buf.extend_from_slice(&(0xc000 | p).to_be_bytes()),
                None => buf.push(0),
            }
            prev = Some(here);
        }
        let mut r = Reader::new(&buf);
        r.bytes(usize::from(prev.unwrap())).unwrap();
        let err = r.name().unwrap_err();
        assert!(matches!(
            err,
            WireError::Name {
                error: NameError::NameTooLong { .. },
                ..
            }
        ));
        assert!(err.to_string().contains("the limit is 255"), "{err}");
    }

    #[test]
    fn pointer_loops_are_rejected() {
        let buf = [0xc0, 0x00];
        assert_eq!(Reader::new(&buf).name(), Err(WireError::BadPointer(0)));
        let buf = [3, b'a', b'b'];
        assert!(matches!(
            Reader::new(&buf).name(),
            Err(WireError::Truncated { .. })
        ));
        let buf = [0x40];
        assert_eq!(Reader::new(&buf).name(), Err(WireError::BadLabelType(0)));
    }
}
