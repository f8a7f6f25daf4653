//! One folder (IMAP "mailbox") of one account: messages with UIDs, flags and
//! a modification sequence so that several sessions see each other's changes.
//!
//! RFC 3501 §2.3.1.1: "Unique identifiers are assigned in a strictly
//! ascending fashion in the mailbox; as each message is added to the mailbox
//! it is assigned a higher UID than the message(s) which were added
//! previously." and "the unique identifier validity value [...] MUST NOT
//! change unless \[...\] UIDs \[are\] not preserved". Every change (flags,
//! append, expunge) bumps the folder's `highest_modseq`, and a message keeps
//! the value of its last change: IMAP serves them as RFC 7162 CONDSTORE's
//! HIGHESTMODSEQ and MODSEQ. A session remembers the value it last saw and
//! asks [`Folder::changes_since`].

use serde::{Deserialize, Serialize};

use super::flags::{FlagOp, Flags};
use crate::SimTime;

/// Most removals remembered per folder for [`Folder::changes_since`].
pub const EXPUNGE_LOG_CAP: usize = 10_000;

/// A message as the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    /// Unique id within the folder (never reused while `uidvalidity` stands).
    pub uid: u32,
    /// Flags (`\Seen`, `\Deleted`, keywords, …).
    pub flags: Flags,
    /// When the message arrived in this folder (virtual time).
    pub internal_date: SimTime,
    /// The modification sequence of the last change to this message.
    pub modseq: u64,
    /// The whole message, headers and body, lines ending in CRLF.
    pub raw: String,
}

impl StoredMessage {
    /// Size in octets (RFC 1939 LIST / RFC 3501 RFC822.SIZE).
    pub fn size(&self) -> usize {
        self.raw.len()
    }
}

/// What changed in a folder since a session last looked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderChanges {
    /// UIDs removed (expunged or moved away), in the order it happened.
    pub expunged: Vec<u32>,
    /// UIDs of messages still present that were added or had flags changed.
    pub changed: Vec<u32>,
    /// The folder's modification sequence now; remember it for the next call.
    pub highest_modseq: u64,
}

/// One folder: INBOX, Sent, Trash or one the user made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    /// Full name, hierarchy delimiter `/` (e.g. `Work/2026`).
    pub name: String,
    /// UIDVALIDITY: changes only if the folder is re-created.
    pub uidvalidity: u32,
    /// The UID the next message will get.
    pub uidnext: u32,
    /// Highest modification sequence: bumped by every change.
    pub highest_modseq: u64,
    /// Whether the user subscribed to it (IMAP LSUB).
    pub subscribed: bool,
    /// Messages in ascending UID order.
    messages: Vec<StoredMessage>,
    /// (modseq, uid) of recent removals, for [`Folder::changes_since`].
    /// Session state: not saved with the lab, and capped at [`EXPUNGE_LOG_CAP`].
    #[serde(skip)]
    expunge_log: Vec<(u64, u32)>,
    /// Removals before this modseq were dropped from the log (see [`Folder::changes_complete_since`]).
    #[serde(skip)]
    log_floor: u64,
}

impl Folder {
    /// An empty folder.
    pub fn new(name: &str, uidvalidity: u32) -> Self {
        Folder {
            name: name.to_string(),
            uidvalidity,
            uidnext: 1,
            highest_modseq: 1,
            subscribed: true,
            messages: Vec::new(),
            expunge_log: Vec::new(),
            log_floor: 0,
        }
    }

    /// Messages in ascending UID order; message sequence number n is index n-1.
    pub fn messages(&self) -> &[StoredMessage] {
        &self.messages
    }

    /// Number of messages.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether the folder is empty.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Total size of all messages in octets.
    pub fn total_size(&self) -> usize {
        self.messages.iter().map(StoredMessage::size).sum()
    }

    /// The message with this UID.
    pub fn get(&self, uid: u32) -> Option<&StoredMessage> {
        self.index_of(uid).map(|i| &self.messages[i])
    }

    /// Index (0-based sequence number) of the message with this UID.
    pub fn index_of(&self, uid: u32) -> Option<usize> {
        self.messages.binary_search_by_key(&uid, |m| m.uid).ok()
    }

    /// Number of messages without `\Seen`.
    pub fn unseen(&self) -> usize {
        self.messages
            .iter()
            .filter(|m| !m.flags.contains(&super::Flag::Seen))
            .count()
    }

    fn bump(&mut self) -> u64 {
        self.highest_modseq += 1;
        self.highest_modseq
    }

    /// Appends a message; returns its UID.
    pub(crate) fn append(&mut self, raw: String, flags: Flags, now: SimTime) -> u32 {
        let uid = self.uidnext;
        self.uidnext = self.uidnext.saturating_add(1);
        let modseq = self.bump();
        self.messages.push(StoredMessage {
            uid,
            flags,
            internal_date: now,
            modseq,
            raw,
        });
        uid
    }

    /// Changes flags; returns the new flags, or `None` if no such UID.
    pub(crate) fn set_flags(&mut self, uid: u32, op: FlagOp, given: &Flags) -> Option<Flags> {
        let i = self.index_of(uid)?;
        let mut flags = self.messages[i].flags.clone();
        if flags.apply(op, given) {
            let modseq = self.bump();
            let m = &mut self.messages[i];
            m.flags = flags;
            m.modseq = modseq;
        }
        Some(self.messages[i].flags.clone())
    }

    /// Removes the messages whose UIDs satisfy `pred`; returns their UIDs.
    pub(crate) fn remove_where(
        &mut self,
        mut pred: impl FnMut(&StoredMessage) -> bool,
    ) -> Vec<u32> {
        let mut gone = Vec::new();
        self.messages.retain(|m| {
            if pred(m) {
                gone.push(m.uid);
                false
            } else {
                true
            }
        });
        for &uid in &gone {
            let modseq = self.bump();
            self.expunge_log.push((modseq, uid));
        }
        if self.expunge_log.len() > EXPUNGE_LOG_CAP {
            let cut = self.expunge_log.len() - EXPUNGE_LOG_CAP;
            self.log_floor = self.expunge_log[cut - 1].0;
            self.expunge_log.drain(..cut);
        }
        gone
    }

    /// Whether [`Folder::changes_since`]`(since)` lists every removal since
    /// `since`. It does not when the session is more than
    /// [`EXPUNGE_LOG_CAP`] removals behind; such a session compares its UID
    /// list with [`Folder::messages`]. (The log is not saved with the lab:
    /// sessions do not survive a reload, and new ones start from
    /// `highest_modseq`.)
    pub fn changes_complete_since(&self, since: u64) -> bool {
        since >= self.log_floor
    }

    /// What changed after modification sequence `since` (a value from an
    /// earlier [`FolderChanges::highest_modseq`] or [`Folder::highest_modseq`]).
    pub fn changes_since(&self, since: u64) -> FolderChanges {
        FolderChanges {
            expunged: self
                .expunge_log
                .iter()
                .filter(|(m, _)| *m > since)
                .map(|(_, u)| *u)
                .collect(),
            changed: self
                .messages
                .iter()
                .filter(|m| m.modseq > since)
                .map(|m| m.uid)
                .collect(),
            highest_modseq: self.highest_modseq,
        }
    }
}
