//! Mailbox-level commands of the authenticated state (RFC 3501 §6.3):
//! CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS, APPEND.

use super::command::{CommandKind, StatusItem};
use super::note::{Event, Note};
use super::response::{Code, Response, Status};
use super::selected::Selection;
use super::server::{Server, to_store};
use super::types::{Flag, MailboxName};
use crate::SimTime;
use crate::mail::{self, DELIMITER, MailStore};

impl Server {
    pub(crate) fn folder_command(&mut self, tag: &str, kind: CommandKind, store: &mut MailStore) {
        let acc = self.account_id();
        let name = kind.name();
        let (result, detail, folder) = match &kind {
            CommandKind::Create(m) => (
                store.create_folder(&acc, m.as_str()),
                format!("{m} created"),
                m.clone(),
            ),
            CommandKind::Delete(m) => {
                if self.selected() == Some(m.as_str()) {
                    let text = format!("DELETE failed: {m} is selected; CLOSE it first");
                    return self.finish(tag, Status::No, None, text);
                }
                let r = store.delete_folder(&acc, m.as_str());
                (r, format!("{m} deleted"), m.clone())
            }
            CommandKind::Rename(a, b) => (
                store.rename_folder(&acc, a.as_str(), b.as_str()),
                format!("{a} to {b}"),
                a.clone(),
            ),
            CommandKind::Subscribe(m) => (
                store.subscribe(&acc, m.as_str(), true),
                format!("to {m}"),
                m.clone(),
            ),
            CommandKind::Unsubscribe(m) => (
                store.subscribe(&acc, m.as_str(), false),
                format!("from {m}"),
                m.clone(),
            ),
            _ => return,
        };
        match result {
            Ok(()) => {
                self.notes.push_back(Note::Done {
                    command: name,
                    detail,
                });
                self.event(Event::FolderChanged {
                    account: acc,
                    folder: folder.0,
                });
                self.sync(store, true);
                self.finish(tag, Status::Ok, None, format!("{name} completed"));
            }
            Err(e) => self.finish(tag, Status::No, None, format!("{name} failed: {e}")),
        }
    }

    pub(crate) fn list(
        &mut self,
        tag: &str,
        reference: &str,
        pattern: &str,
        lsub: bool,
        store: &MailStore,
    ) {
        let acc = self.account_id();
        let what = if lsub { "LSUB" } else { "LIST" };
        // RFC 3501 §6.3.8: "An empty ("" string) mailbox name argument is a
        // special request to return the hierarchy delimiter and the root
        // name of the name given in the reference."
        if pattern.is_empty() && !lsub {
            self.send(Response::List {
                lsub,
                attrs: vec!["\\Noselect".into()],
                delimiter: Some(DELIMITER),
                name: String::new(),
            });
            self.finish(tag, Status::Ok, None, format!("{what} completed"));
            return;
        }
        let full = format!("{reference}{pattern}");
        let names: Vec<(String, bool, bool)> = store
            .account(&acc)
            .map(|a| {
                let all: Vec<&str> = a.folders().map(|f| f.name.as_str()).collect();
                a.folders()
                    .map(|f| {
                        let prefix = format!("{}{DELIMITER}", f.name);
                        let children = all.iter().any(|n| n.starts_with(&prefix));
                        (f.name.clone(), f.subscribed, children)
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (name, subscribed, children) in names {
            if (lsub && !subscribed) || !list_match(&full, &name) {
                continue;
            }
            // RFC 3348 (CHILDREN) and RFC 6154 §2 (SPECIAL-USE).
            let mut attrs = vec![if children {
                "\\HasChildren".to_string()
            } else {
                "\\HasNoChildren".to_string()
            }];
            if !lsub {
                attrs.extend(special_use(&name).map(String::from));
            }
            self.send(Response::List {
                lsub,
                attrs,
                delimiter: Some(DELIMITER),
                name,
            });
        }
        self.finish(tag, Status::Ok, None, format!("{what} completed"));
    }

    pub(crate) fn status(
        &mut self,
        tag: &str,
        m: &MailboxName,
        items: &[StatusItem],
        store: &MailStore,
    ) {
        let acc = self.account_id();
        let folder = match store.folder(&acc, m.as_str()) {
            Ok(f) => f,
            Err(e) => return self.finish(tag, Status::No, None, format!("STATUS failed: {e}")),
        };
        let recent =
            Selection::recent_uids(folder, self.seen_uidnext.get(&folder.name).copied()).len();
        let values = items
            .iter()
            .map(|&i| {
                let v = match i {
                    StatusItem::Messages => folder.len(),
                    StatusItem::Recent => recent,
                    StatusItem::UidNext => folder.uidnext as usize,
                    StatusItem::UidValidity => folder.uidvalidity as usize,
                    StatusItem::Unseen => folder.unseen(),
                    StatusItem::HighestModseq => return (i, folder.highest_modseq),
                };
                (i, v as u64)
            })
            .collect();
        // RFC 7162 §3.1: STATUS (HIGHESTMODSEQ) enables CONDSTORE.
        if items.contains(&StatusItem::HighestModseq) {
            self.condstore = true;
        }
        self.send(Response::StatusData {
            mailbox: folder.name.clone(),
            items: values,
        });
        self.finish(tag, Status::Ok, None, "STATUS completed");
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn append(
        &mut self,
        now: SimTime,
        tag: &str,
        m: &MailboxName,
        flags: &[Flag],
        date: Option<i64>,
        message: &[u8],
        store: &mut MailStore,
    ) {
        let acc = self.account_id();
        let uidvalidity = match store.folder(&acc, m.as_str()) {
            Ok(f) => f.uidvalidity,
            Err(e) => {
                let text = format!("APPEND failed: {e}");
                return self.finish(tag, Status::No, Some(Code::TryCreate), text);
            }
        };
        // RFC 3501 §6.3.11: "If a date-time is specified, the internal date
        // SHOULD be set in the resulting message".
        let when = date.map_or(now, |unix| store.sim_time_at(unix));
        let raw = String::from_utf8_lossy(message);
        match store.append(&acc, m.as_str(), &raw, to_store(flags), when) {
            Ok(uid) => {
                self.notes.push_back(Note::Done {
                    command: "APPEND",
                    detail: format!("{} octets to {m} as UID {uid}", message.len()),
                });
                self.event(Event::FolderChanged {
                    account: acc,
                    folder: m.0.clone(),
                });
                self.sync(store, true);
                self.finish(
                    tag,
                    Status::Ok,
                    Some(Code::AppendUid(uidvalidity, uid)),
                    "APPEND completed",
                );
            }
            Err(e) => self.finish(tag, Status::No, None, format!("APPEND failed: {e}")),
        }
    }
}

/// The RFC 6154 special-use attribute of a top-level folder with one of
/// the usual names (`Sent` → `\Sent`).
pub fn special_use(name: &str) -> Option<&'static str> {
    Some(match name {
        "Sent" => "\\Sent",
        "Drafts" => "\\Drafts",
        "Trash" => "\\Trash",
        "Junk" => "\\Junk",
        _ => return None,
    })
}

/// LIST pattern matching (RFC 3501 §6.3.8): `*` matches anything, `%`
/// anything but the hierarchy delimiter. INBOX matches case-insensitively.
pub(crate) fn list_match(pattern: &str, name: &str) -> bool {
    let pattern = mail::store::normalize(pattern);
    let (p, n) = (pattern.as_bytes(), name.as_bytes());
    // dp[j]: pattern[i..] matches name[j..], computed from the end (no backtracking blow-up).
    let mut next = vec![false; n.len() + 1];
    next[n.len()] = true;
    for i in (0..p.len()).rev() {
        let mut cur = vec![false; n.len() + 1];
        for j in (0..=n.len()).rev() {
            cur[j] = match p[i] {
                b'*' => next[j] || (j < n.len() && cur[j + 1]),
                b'%' => next[j] || (j < n.len() && n[j] != DELIMITER as u8 && cur[j + 1]),
                c => j < n.len() && n[j] == c && next[j + 1],
            };
        }
        next = cur;
    }
    next[0]
}
