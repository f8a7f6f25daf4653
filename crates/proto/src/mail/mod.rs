//! The mail store: domains, users, mailboxes, folders, flags, UIDs; message parsing.
//!
//! One [`MailStore`] per mail server device holds every domain it serves.
//! The SMTP, POP3 and IMAP server sessions are handed `&mut MailStore` with
//! each input, so several sessions on one account see the same data:
//!
//! - SMTP delivers with [`MailStore::deliver`] (RFC 5321 §4.4: the
//!   `Received:` line is added by the session, not here).
//! - POP3 locks the maildrop ([`MailStore::lock_maildrop`], RFC 1939 §8),
//!   snapshots INBOX at login and removes its deletions with
//!   [`MailStore::remove_messages`] at QUIT.
//! - IMAP reads [`Folder`]s, changes flags, copies, moves and expunges, and
//!   learns what other sessions did from [`Folder::changes_since`].
//!
//! Messages are RFC 5322 text (see [`message`]), stored with CRLF line ends.

pub mod address;
pub mod date;
pub mod flags;
pub mod folder;
pub mod line;
pub mod line_fields;
pub mod md5;
pub mod message;
pub mod mime;
pub mod store;
mod store_ops;

pub use address::{Address, AddressError};
pub use flags::{Flag, FlagOp, Flags};
pub use folder::{Folder, FolderChanges, StoredMessage};
pub use message::{Draft, Mailbox, Message};

pub use store::{
    Account, AccountId, DEFAULT_FOLDERS, DELIMITER, Domain, INBOX, LockToken, MailStore,
    MailingList, Recipient, StoreError,
};

/// Makes every line end in CRLF (lone `\n` or `\r` become `\r\n`).
pub fn crlf(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + s.len() / 32);
    // Copies the runs between the line ends to change whole (CR and LF
    // are ASCII, so the cuts fall on character boundaries); CRLFs stay
    // inside the runs.
    let (mut start, mut i) = (0, 0);
    while let Some((at, len)) = line_end(b, i) {
        if len == 2 {
            i = at + 2;
            continue;
        }
        out.push_str(&s[start..at]);
        out.push_str("\r\n");
        i = at + 1;
        start = i;
    }
    out.push_str(&s[start..]);
    out
}

/// The next line end at or after `from`: its index and length (2 for
/// CRLF, 1 for a lone CR or LF).
pub(crate) fn line_end(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    loop {
        i = next_control(b, i);
        match b.get(i)? {
            b'\r' if b.get(i + 1) == Some(&b'\n') => return Some((i, 2)),
            b'\r' | b'\n' => return Some((i, 1)),
            _ => i += 1,
        }
    }
}

/// The index of the first byte at or after `i` below 14 (CR, LF, TAB and
/// other controls), or `b.len()`: eight bytes at a time where none is.
pub(crate) fn next_control(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    loop {
        while let Some(word) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
            // Sets a high bit for every byte below 14 (and maybe for some
            // above one that is): never misses one.
            if w.wrapping_sub(ONES * 14) & !w & HIGHS != 0 {
                break;
            }
            i += 8;
        }
        let end = b.len().min(i + 8);
        while i < end {
            if b[i] < 14 {
                return i;
            }
            i += 1;
        }
        if i >= b.len() {
            return b.len();
        }
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
