//! The selected state (RFC 3501 §6.4): this session's view of one folder —
//! its message sequence numbers — kept in step with the store's change log,
//! and the commands that work on messages.
//!
//! RFC 3501 §7.4.1: "An EXPUNGE response MUST NOT be sent when no command is
//! in progress, nor while responding to a FETCH, STORE, or SEARCH command.
//! This rule is necessary to prevent a loss of synchronization of message
//! sequence numbers between client and server."

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::command::{CommandKind, StoreMode};
use super::fetch::FetchAttr;
use super::message::{BodyStructure, Envelope, section_bytes, split_message};
use super::note::{Event, Note};
use super::response::{Code, FetchData, Response, Status};
use super::search::Candidate;
use super::server::{Server, State, from_store, to_store};
use super::types::{Flag, SequenceSet};
use crate::SimTime;
use crate::mail::{self, AccountId, FlagOp, Folder, MailStore, StoreError, StoredMessage};
use crate::order;

/// One session's view of its selected folder.
#[derive(Clone, Debug)]
pub(crate) struct Selection {
    /// Folder name.
    pub name: String,
    /// EXAMINE.
    pub read_only: bool,
    /// UIDVALIDITY at SELECT.
    pub uidvalidity: u32,
    /// UIDNEXT at SELECT.
    pub uidnext: u32,
    /// UIDs in sequence-number order, as this client knows them.
    pub uids: Vec<u32>,
    /// Flags as last reported to this client.
    known: BTreeMap<u32, mail::Flags>,
    /// \Recent for this session.
    pub recent: BTreeSet<u32>,
    flags_modseq: u64,
    expunge_modseq: u64,
    max_uid: u32,
}

impl Selection {
    /// Messages that are \Recent for a session that last saw `known_uidnext`
    /// (first time: the unseen ones). RFC 3501 leaves \Recent to the server.
    pub(crate) fn recent_uids(folder: &Folder, known_uidnext: Option<u32>) -> Vec<u32> {
        folder
            .messages()
            .iter()
            .filter(|m| match known_uidnext {
                Some(n) => m.uid >= n,
                None => !m.flags.contains(&mail::Flag::Seen),
            })
            .map(|m| m.uid)
            .collect()
    }

    /// Opens a folder and builds the SELECT responses (RFC 3501 §6.3.1).
    pub(crate) fn open(
        store: &MailStore,
        acc: &AccountId,
        name: &str,
        read_only: bool,
        known_uidnext: Option<u32>,
    ) -> Result<(Selection, Vec<Response>), StoreError> {
        let folder = store.folder(acc, name)?;
        let msgs = folder.messages();
        let sel = Selection {
            name: folder.name.clone(),
            read_only,
            uidvalidity: folder.uidvalidity,
            uidnext: folder.uidnext,
            uids: msgs.iter().map(|m| m.uid).collect(),
            known: order::map(msgs.iter().map(|m| (m.uid, m.flags.clone()))),
            recent: order::set(Self::recent_uids(folder, known_uidnext)),
            flags_modseq: folder.highest_modseq,
            expunge_modseq: folder.highest_modseq,
            max_uid: folder.uidnext.saturating_sub(1),
        };
        let mut r = vec![
            Response::Flags(Flag::SYSTEM.to_vec()),
            Response::Exists(sel.uids.len() as u32),
            Response::Recent(sel.recent.len() as u32),
        ];
        if let Some(i) = msgs
            .iter()
            .position(|m| !m.flags.contains(&mail::Flag::Seen))
        {
            r.push(Response::untagged(
                Status::Ok,
                Some(Code::Unseen(i as u32 + 1)),
                format!("message {} is first unseen", i + 1),
            ));
        }
        r.push(Response::untagged(
            Status::Ok,
            Some(Code::UidValidity(sel.uidvalidity)),
            "UIDs valid",
        ));
        r.push(Response::untagged(
            Status::Ok,
            Some(Code::UidNext(sel.uidnext)),
            "predicted next UID",
        ));
        // RFC 7162 §3.1.2.1: a server that keeps mod-sequences "MUST send
        // the OK untagged response including HIGHESTMODSEQ" on SELECT/EXAMINE.
        r.push(Response::untagged(
            Status::Ok,
            Some(Code::HighestModseq(folder.highest_modseq)),
            "highest mod-sequence",
        ));
        let perm = if read_only {
            Vec::new()
        } else {
            Flag::SYSTEM.to_vec()
        };
        r.push(Response::untagged(
            Status::Ok,
            Some(Code::PermanentFlags(perm)),
            "flags the client can change permanently",
        ));
        Ok((sel, r))
    }

    fn seq_of(&self, uid: u32) -> Option<u32> {
        self.uids
            .iter()
            .position(|&u| u == uid)
            .map(|i| i as u32 + 1)
    }

    /// Removes `uids` from the view; returns the EXPUNGE sequence numbers in
    /// the order they must be sent (each relative to the previous removals).
    fn remove(&mut self, uids: &[u32]) -> Vec<u32> {
        let mut seqs = Vec::new();
        for uid in uids {
            if let Some(seq) = self.seq_of(*uid) {
                self.uids.remove(seq as usize - 1);
                self.known.remove(uid);
                self.recent.remove(uid);
                seqs.push(seq);
            }
        }
        seqs
    }

    fn flags_of(&self, uid: u32, flags: &mail::Flags) -> Vec<Flag> {
        from_store(flags, self.recent.contains(&uid))
    }

    /// Reports other sessions' expunges (if allowed now), new messages and
    /// flag changes, from the folder's change log.
    pub(crate) fn sync(
        &mut self,
        store: &MailStore,
        acc: &AccountId,
        allow_expunge: bool,
        condstore: bool,
        out: &mut Vec<Response>,
        notes: &mut VecDeque<Note>,
    ) {
        let folder = match store.folder(acc, &self.name) {
            Ok(f) if f.uidvalidity == self.uidvalidity => f,
            _ => {
                // Deleted or renamed away: everything is gone.
                if allow_expunge && !self.uids.is_empty() {
                    let all = self.uids.clone();
                    let seqs = self.remove(&all);
                    out.extend(seqs.iter().map(|&s| Response::Expunge(s)));
                    notes.push_back(Note::Expunged {
                        seqs,
                        by_other: true,
                    });
                }
                return;
            }
        };
        if allow_expunge {
            let gone = if folder.changes_complete_since(self.expunge_modseq) {
                folder.changes_since(self.expunge_modseq).expunged
            } else {
                // The store's log no longer reaches back this far: compare
                // the view with the folder instead.
                let gone: Vec<u32> = self
                    .uids
                    .iter()
                    .copied()
                    .filter(|u| folder.get(*u).is_none())
                    .collect();
                gone
            };
            self.expunge_modseq = folder.highest_modseq;
            let seqs = self.remove(&gone);
            if !seqs.is_empty() {
                out.extend(seqs.iter().map(|&s| Response::Expunge(s)));
                notes.push_back(Note::Expunged {
                    seqs,
                    by_other: true,
                });
            }
        }
        let changes = folder.changes_since(self.flags_modseq);
        self.flags_modseq = changes.highest_modseq;
        let new: Vec<&StoredMessage> = folder
            .messages()
            .iter()
            .filter(|m| m.uid > self.max_uid)
            .collect();
        if !new.is_empty() {
            for m in &new {
                self.uids.push(m.uid);
                self.known.insert(m.uid, m.flags.clone());
                self.recent.insert(m.uid);
                self.max_uid = self.max_uid.max(m.uid);
            }
            let exists = self.uids.len() as u32;
            out.push(Response::Exists(exists));
            out.push(Response::Recent(self.recent.len() as u32));
            notes.push_back(Note::NewMessages { exists });
        }
        for uid in changes.changed {
            let (Some(m), Some(seq)) = (folder.get(uid), self.seq_of(uid)) else {
                continue;
            };
            if self.known.get(&uid) != Some(&m.flags) {
                self.known.insert(uid, m.flags.clone());
                let flags = self.flags_of(uid, &m.flags);
                let mut items = vec![FetchData::Flags(flags.clone()), FetchData::Uid(uid)];
                // RFC 7162 §3.2: with CONDSTORE on, flag updates carry MODSEQ.
                if condstore {
                    items.push(FetchData::Modseq(m.modseq));
                }
                out.push(Response::Fetch { seq, items });
                notes.push_back(Note::FlagsChangedElsewhere { seq, flags });
            }
        }
    }

    /// (seq, uid) of the messages a set names. `Err` for a sequence number
    /// beyond the mailbox (BAD); UIDs that do not exist are skipped.
    fn resolve(&self, set: &SequenceSet, uid: bool) -> Result<Vec<(u32, u32)>, String> {
        let n = self.uids.len() as u32;
        if uid {
            let max = self.uids.last().copied().unwrap_or(0);
            return Ok(self
                .uids
                .iter()
                .enumerate()
                .filter(|(_, u)| set.contains(**u, max))
                .map(|(i, u)| (i as u32 + 1, *u))
                .collect());
        }
        if n > 0 && set.exceeds(n) {
            return Err(format!(
                "message sequence number out of range: the mailbox has {n} messages"
            ));
        }
        Ok(self
            .uids
            .iter()
            .enumerate()
            .filter(|(i, _)| set.contains(*i as u32 + 1, n))
            .map(|(i, u)| (i as u32 + 1, *u))
            .collect())
    }
}

impl Server {
    fn sel(&mut self) -> Option<(AccountId, &mut Selection)> {
        match &mut self.state {
            State::Selected(a, s) => Some((a.clone(), s)),
            _ => None,
        }
    }

    fn done(&mut self, tag: &str, status: Status, code: Option<Code>, text: impl Into<String>) {
        let text = text.into();
        if status != Status::Ok {
            self.notes.push_back(Note::Refused {
                tag: tag.into(),
                status,
                reason: text.clone(),
            });
        }
        self.send(Response::tagged(tag, status, code, text));
    }

    /// Commands of the selected state.
    pub(crate) fn selected_command(
        &mut self,
        now: SimTime,
        tag: &str,
        kind: CommandKind,
        store: &mut MailStore,
    ) {
        let Some((acc, sel)) = self.sel() else { return };
        let name = kind.name();
        let read_only = sel.read_only;
        let folder_name = sel.name.clone();
        let changed = |s: &mut Server| {
            s.event(Event::FolderChanged {
                account: acc.clone(),
                folder: folder_name.clone(),
            })
        };
        match kind {
            CommandKind::Check => {
                self.sync(store, true);
                self.done(tag, Status::Ok, None, "CHECK completed");
            }
            CommandKind::Close | CommandKind::Unselect => {
                // RFC 3501 §6.4.2: CLOSE "permanently removes all messages that
                // have the \Deleted flag set ... No untagged EXPUNGE responses are sent."
                if matches!(kind, CommandKind::Close)
                    && !read_only
                    && let Ok(gone) = store.expunge(&acc, &folder_name)
                    && !gone.is_empty()
                {
                    changed(self);
                }
                self.state = State::Authenticated(acc.clone());
                self.done(tag, Status::Ok, None, format!("{name} completed"));
            }
            CommandKind::Expunge(set) => {
                if read_only {
                    return self.done(tag, Status::No, None, "mailbox is read-only (EXAMINE)");
                }
                let result = match &set {
                    None => store.expunge(&acc, &folder_name),
                    Some(set) => {
                        let uids: Vec<u32> = store
                            .folder(&acc, &folder_name)
                            .map(|f| {
                                f.messages()
                                    .iter()
                                    .filter(|m| {
                                        m.flags.contains(&mail::Flag::Deleted)
                                            && set.contains(m.uid, f.uidnext.saturating_sub(1))
                                    })
                                    .map(|m| m.uid)
                                    .collect()
                            })
                            .unwrap_or_default();
                        store.remove_messages(&acc, &folder_name, &uids)
                    }
                };
                match result {
                    Ok(gone) => {
                        // Our own removals first; then whatever others did.
                        let Some((_, sel)) = self.sel() else { return };
                        let seqs = sel.remove(&gone);
                        for &s in &seqs {
                            self.send(Response::Expunge(s));
                        }
                        self.notes.push_back(Note::Expunged {
                            seqs,
                            by_other: false,
                        });
                        if !gone.is_empty() {
                            changed(self);
                        }
                        self.sync(store, true);
                        self.done(tag, Status::Ok, None, format!("{name} completed"));
                    }
                    Err(e) => self.done(tag, Status::No, None, format!("{name} failed: {e}")),
                }
            }
            CommandKind::Search { uid, key } => {
                let (Some((_, sel)), Ok(folder)) = (self.sel(), store.folder(&acc, &folder_name))
                else {
                    return;
                };
                let n = sel.uids.len() as u32;
                let max_uid = sel.uids.last().copied().unwrap_or(0);
                let mut hits = Vec::new();
                let mut top_modseq = 0;
                for (i, &u) in sel.uids.iter().enumerate() {
                    let Some(m) = folder.get(u) else { continue };
                    let flags = sel.flags_of(u, &m.flags);
                    let c = Candidate {
                        seq: i as u32 + 1,
                        uid: u,
                        exists: n,
                        max_uid,
                        flags: &flags,
                        internal_date: store.unix_time(m.internal_date),
                        modseq: m.modseq,
                        raw: m.raw.as_bytes(),
                    };
                    if key.matches(&c) {
                        hits.push(if uid { u } else { i as u32 + 1 });
                        top_modseq = top_modseq.max(m.modseq);
                    }
                }
                self.notes.push_back(Note::Searched { count: hits.len() });
                // RFC 7162 §3.1.5: with MODSEQ in the criteria, the highest
                // mod-sequence of the hits follows them (none without hits).
                if key.uses_modseq() {
                    self.condstore = true;
                }
                if key.uses_modseq() && !hits.is_empty() {
                    self.send(Response::SearchModseq(hits, top_modseq));
                } else {
                    self.send(Response::Search(hits));
                }
                self.sync(store, false);
                self.done(tag, Status::Ok, None, format!("{name} completed"));
            }
            CommandKind::Fetch {
                uid,
                set,
                items,
                changed_since,
            } => self.fetch(tag, &acc, uid, &set, &items, changed_since, store),
            CommandKind::Store {
                uid,
                set,
                unchanged_since,
                mode,
                silent,
                flags,
            } => {
                if read_only {
                    return self.done(tag, Status::No, None, "mailbox is read-only (EXAMINE)");
                }
                // RFC 7162 §3.1: STORE (UNCHANGEDSINCE n) enables CONDSTORE.
                self.condstore |= unchanged_since.is_some();
                let condstore = self.condstore;
                let targets = match self.sel().map(|(_, s)| s.resolve(&set, uid)) {
                    Some(Ok(t)) => t,
                    Some(Err(e)) => return self.done(tag, Status::Bad, None, e),
                    None => return,
                };
                let op = match mode {
                    StoreMode::Replace => FlagOp::Replace,
                    StoreMode::Add => FlagOp::Add,
                    StoreMode::Remove => FlagOp::Remove,
                };
                let given = to_store(&flags);
                let mut seqs = Vec::new();
                let mut modified = Vec::new();
                for (seq, u) in targets {
                    let modseq_now = store
                        .folder(&acc, &folder_name)
                        .ok()
                        .and_then(|f| f.get(u))
                        .map_or(0, |m| m.modseq);
                    // RFC 7162 §3.1.3: a message changed after UNCHANGEDSINCE
                    // is left alone and named in [MODIFIED].
                    if unchanged_since.is_some_and(|n| modseq_now > n) {
                        modified.push(if uid { u } else { seq });
                        continue;
                    }
                    let Ok(new) = store.set_flags(&acc, &folder_name, u, op, &given) else {
                        continue;
                    };
                    let modseq = store
                        .folder(&acc, &folder_name)
                        .ok()
                        .and_then(|f| f.get(u))
                        .map_or(0, |m| m.modseq);
                    let Some((_, sel)) = self.sel() else { return };
                    sel.known.insert(u, new.clone());
                    let shown = sel.flags_of(u, &new);
                    seqs.push(seq);
                    // With CONDSTORE on, a FETCH with MODSEQ goes back even
                    // for .SILENT (RFC 7162 §3.1.3's example d105).
                    let mut items = Vec::new();
                    if !silent {
                        items.push(FetchData::Flags(shown));
                    }
                    if uid && (!silent || condstore) {
                        items.push(FetchData::Uid(u));
                    }
                    if condstore {
                        items.push(FetchData::Modseq(modseq));
                    }
                    if !items.is_empty() {
                        self.send(Response::Fetch { seq, items });
                    }
                }
                self.notes.push_back(Note::Stored { mode, flags, seqs });
                changed(self);
                self.sync(store, false);
                if modified.is_empty() {
                    self.done(tag, Status::Ok, None, format!("{name} completed"));
                } else {
                    let set = SequenceSet::of(&modified);
                    self.notes.push_back(Note::Done {
                        command: name,
                        detail: format!("changed since UNCHANGEDSINCE, left alone: {set}"),
                    });
                    self.done(
                        tag,
                        Status::Ok,
                        Some(Code::Modified(set)),
                        "Conditional STORE failed",
                    );
                }
            }
            CommandKind::Copy { uid, set, mailbox } | CommandKind::Move { uid, set, mailbox } => {
                let is_move = name.ends_with("MOVE");
                if is_move && read_only {
                    return self.done(tag, Status::No, None, "mailbox is read-only (EXAMINE)");
                }
                let dest = match store.folder(&acc, mailbox.as_str()) {
                    Ok(f) => f.uidvalidity,
                    Err(e) => {
                        return self.done(
                            tag,
                            Status::No,
                            Some(Code::TryCreate),
                            format!("{name} failed: {e}"),
                        );
                    }
                };
                let targets = match self.sel().map(|(_, s)| s.resolve(&set, uid)) {
                    Some(Ok(t)) => t,
                    Some(Err(e)) => return self.done(tag, Status::Bad, None, e),
                    None => return,
                };
                let uids: Vec<u32> = targets.iter().map(|t| t.1).collect();
                let result = if is_move {
                    store.move_messages(&acc, &folder_name, &uids, mailbox.as_str(), now)
                } else {
                    store.copy_messages(&acc, &folder_name, &uids, mailbox.as_str(), now)
                };
                let pairs = match result {
                    Ok(p) => p,
                    Err(e) => {
                        return self.done(tag, Status::No, None, format!("{name} failed: {e}"));
                    }
                };
                let from: Vec<u32> = pairs.iter().map(|p| p.0).collect();
                let to: Vec<u32> = pairs.iter().map(|p| p.1).collect();
                let code = (!pairs.is_empty())
                    .then(|| Code::CopyUid(dest, SequenceSet::of(&from), SequenceSet::of(&to)));
                self.event(Event::FolderChanged {
                    account: acc.clone(),
                    folder: mailbox.0.clone(),
                });
                self.notes.push_back(Note::Done {
                    command: name,
                    detail: format!("{} messages to {mailbox}", pairs.len()),
                });
                if is_move {
                    // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
                    if let Some(code) = code {
                        self.send(Response::untagged(Status::Ok, Some(code), "moved"));
                    }
                    let Some((_, sel)) = self.sel() else { return };
                    let seqs = sel.remove(&from);
                    for &s in &seqs {
                        self.send(Response::Expunge(s));
                    }
                    self.notes.push_back(Note::Expunged {
                        seqs,
                        by_other: false,
                    });
                    changed(self);
                    self.sync(store, true);
                    self.done(tag, Status::Ok, None, format!("{name} completed"));
                } else {
                    self.sync(store, true);
                    self.done(tag, Status::Ok, code, format!("{name} completed"));
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn fetch(
        &mut self,
        tag: &str,
        acc: &AccountId,
        uid: bool,
        set: &SequenceSet,
        items: &[FetchAttr],
        changed_since: Option<u64>,
        store: &mut MailStore,
    ) {
        // RFC 7162 §3.1: FETCH MODSEQ or CHANGEDSINCE enables CONDSTORE.
        self.condstore |= changed_since.is_some() || items.contains(&FetchAttr::Modseq);
        let condstore = self.condstore;
        let Some((_, sel)) = self.sel() else { return };
        let mut targets = match sel.resolve(set, uid) {
            Ok(t) => t,
            Err(e) => return self.done(tag, Status::Bad, None, e),
        };
        // RFC 7162 §3.1.4.1: CHANGEDSINCE keeps the messages whose
        // mod-sequence is above the given value.
        if let (Some(n), Ok(folder)) = (changed_since, store.folder(acc, &sel.name)) {
            targets.retain(|(_, u)| folder.get(*u).is_some_and(|m| m.modseq > n));
        }
        let read_only = sel.read_only;
        let name = sel.name.clone();
        let sets_seen = items.iter().any(FetchAttr::sets_seen) && !read_only;
        let mut seen_now = Vec::new();
        let mut count = 0;
        for (seq, u) in targets {
            let mut newly_seen = false;
            if sets_seen
                && store
                    .folder(acc, &name)
                    .ok()
                    .and_then(|f| f.get(u))
                    .is_some_and(|m| !m.flags.contains(&mail::Flag::Seen))
            {
                let seen: mail::Flags = [mail::Flag::Seen].into_iter().collect();
                if store.set_flags(acc, &name, u, FlagOp::Add, &seen).is_ok() {
                    newly_seen = true;
                    seen_now.push(seq);
                }
            }
            let Ok(folder) = store.folder(acc, &name) else {
                break;
            };
            let Some(m) = folder.get(u) else { continue };
            let Some((_, sel)) = self.sel() else { return };
            if newly_seen {
                sel.known.insert(u, m.flags.clone());
            }
            let mut out = Vec::new();
            let raw = m.raw.as_bytes();
            for item in items {
                out.push(match item {
                    FetchAttr::Flags => FetchData::Flags(sel.flags_of(u, &m.flags)),
                    FetchAttr::Uid => FetchData::Uid(u),
                    FetchAttr::Modseq => FetchData::Modseq(m.modseq),
                    FetchAttr::InternalDate => {
                        FetchData::InternalDate(store.unix_time(m.internal_date))
                    }
                    FetchAttr::Rfc822Size => FetchData::Size(m.size() as u64),
                    FetchAttr::Envelope => FetchData::Envelope(Box::new(Envelope::of(raw))),
                    FetchAttr::Body => FetchData::Structure(BodyStructure::of(raw), false),
                    FetchAttr::BodyStructure => FetchData::Structure(BodyStructure::of(raw), true),
                    FetchAttr::Rfc822 => FetchData::Bytes {
                        label: "RFC822".into(),
                        data: Some(raw.to_vec()),
                    },
                    FetchAttr::Rfc822Header => FetchData::Bytes {
                        label: "RFC822.HEADER".into(),
                        data: Some(split_message(raw).0.to_vec()),
                    },
                    FetchAttr::Rfc822Text => FetchData::Bytes {
                        label: "RFC822.TEXT".into(),
                        data: Some(split_message(raw).1.to_vec()),
                    },
                    FetchAttr::Section {
                        section, partial, ..
                    } => {
                        let mut data = section_bytes(raw, section);
                        let mut label = format!("BODY[{section}]");
                        if let (Some((origin, len)), Some(d)) = (partial, data.as_mut()) {
                            let start = (*origin as usize).min(d.len());
                            let end = start.saturating_add(*len as usize).min(d.len());
                            *d = d[start..end].to_vec();
                            label.push_str(&format!("<{origin}>"));
                        }
                        FetchData::Bytes { label, data }
                    }
                });
            }
            // RFC 3501 §6.4.5: if \Seen changed, "they SHOULD be included as part of the FETCH responses".
            if newly_seen && !items.contains(&FetchAttr::Flags) {
                out.push(FetchData::Flags(sel.flags_of(u, &m.flags)));
            }
            if newly_seen && condstore && !items.contains(&FetchAttr::Modseq) {
                out.push(FetchData::Modseq(m.modseq));
            }
            self.send(Response::Fetch { seq, items: out });
            count += 1;
        }
        self.notes.push_back(Note::Fetched { count });
        if !seen_now.is_empty() {
            self.notes.push_back(Note::SeenByFetch { seqs: seen_now });
            self.event(Event::FolderChanged {
                account: acc.clone(),
                folder: name,
            });
        }
        self.sync(store, false);
        self.done(
            tag,
            Status::Ok,
            None,
            if uid {
                "UID FETCH completed"
            } else {
                "FETCH completed"
            },
        );
    }
}
