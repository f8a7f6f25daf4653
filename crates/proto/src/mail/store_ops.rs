//! Folder and message operations of the [`MailStore`]: create, delete and
//! rename folders (RFC 3501 §6.3.3–§6.3.5), append, flag, copy, move and
//! expunge messages. Every change bumps the folder's modification sequence
//! so other sessions learn of it through [`super::Folder::changes_since`].

use super::flags::{Flag, FlagOp, Flags};
use super::folder::Folder;
use super::store::{
    AccountId, DELIMITER, INBOX, MailStore, StoreError, normalize, valid_folder_name,
};
use crate::SimTime;

impl MailStore {
    /// The folder `name` of account `id`.
    ///
    /// # Errors
    /// [`StoreError::NoSuchUser`] or [`StoreError::NoSuchFolder`].
    pub fn folder(&self, id: &AccountId, name: &str) -> Result<&Folder, StoreError> {
        self.account(id)
            .ok_or_else(|| StoreError::NoSuchUser(id.to_string()))?
            .folder(name)
            .ok_or_else(|| StoreError::NoSuchFolder(name.into()))
    }

    pub(super) fn folder_mut(
        &mut self,
        id: &AccountId,
        name: &str,
    ) -> Result<&mut Folder, StoreError> {
        self.account_mut(id)?
            .folders
            .get_mut(&normalize(name))
            .ok_or_else(|| StoreError::NoSuchFolder(name.into()))
    }

    /// Creates a folder (and any missing parents, RFC 3501 §6.3.3).
    ///
    /// # Errors
    /// [`StoreError::BadFolderName`], [`StoreError::FolderExists`], [`StoreError::NoSuchUser`].
    pub fn create_folder(&mut self, id: &AccountId, name: &str) -> Result<(), StoreError> {
        let name = normalize(name);
        if !valid_folder_name(&name) {
            return Err(StoreError::BadFolderName(name));
        }
        let mut uv = self.next_uidvalidity;
        let acc = self.account_mut(id)?;
        if acc.folders.contains_key(&name) {
            return Err(StoreError::FolderExists(name));
        }
        let mut path = String::new();
        for part in name.split(DELIMITER) {
            if !path.is_empty() {
                path.push(DELIMITER);
            }
            path.push_str(part);
            if !acc.folders.contains_key(&path) {
                acc.folders.insert(path.clone(), Folder::new(&path, uv));
                uv = uv.wrapping_add(1).max(1);
            }
        }
        self.next_uidvalidity = uv;
        Ok(())
    }

    /// Deletes a folder and its messages.
    ///
    /// # Errors
    /// [`StoreError::CannotDeleteInbox`], [`StoreError::HasChildren`], [`StoreError::NoSuchFolder`].
    pub fn delete_folder(&mut self, id: &AccountId, name: &str) -> Result<(), StoreError> {
        let name = normalize(name);
        if name == INBOX {
            return Err(StoreError::CannotDeleteInbox);
        }
        let acc = self.account_mut(id)?;
        if !acc.folders.contains_key(&name) {
            return Err(StoreError::NoSuchFolder(name));
        }
        let prefix = format!("{name}{DELIMITER}");
        if acc.folders.keys().any(|k| k.starts_with(&prefix)) {
            return Err(StoreError::HasChildren(name));
        }
        acc.folders.remove(&name);
        Ok(())
    }

    /// Renames a folder and its subfolders. Renaming INBOX moves its messages
    /// to the new folder and leaves INBOX empty (RFC 3501 §6.3.5).
    ///
    /// # Errors
    /// [`StoreError::NoSuchFolder`], [`StoreError::FolderExists`], [`StoreError::BadFolderName`].
    pub fn rename_folder(
        &mut self,
        id: &AccountId,
        from: &str,
        to: &str,
    ) -> Result<(), StoreError> {
        let (from, to) = (normalize(from), normalize(to));
        if !valid_folder_name(&to) {
            return Err(StoreError::BadFolderName(to));
        }
        if from == INBOX {
            self.create_folder(id, &to)?;
            let moved: Vec<u32> = self
                .folder(id, INBOX)?
                .messages()
                .iter()
                .map(|m| m.uid)
                .collect();
            self.move_messages(id, INBOX, &moved, &to, SimTime::ZERO)?;
            return Ok(());
        }
        let mut uv = self.next_uidvalidity;
        let acc = self.account_mut(id)?;
        if !acc.folders.contains_key(&from) {
            return Err(StoreError::NoSuchFolder(from));
        }
        if acc.folders.contains_key(&to) || to.starts_with(&format!("{from}{DELIMITER}")) {
            return Err(StoreError::FolderExists(to));
        }
        let prefix = format!("{from}{DELIMITER}");
        let names: Vec<String> = acc
            .folders
            .keys()
            .filter(|k| **k == from || k.starts_with(&prefix))
            .cloned()
            .collect();
        for old in names {
            if let Some(mut f) = acc.folders.remove(&old) {
                let new = format!("{to}{}", &old[from.len()..]);
                f.name.clone_from(&new);
                // New name, new identity: clients must not reuse cached UIDs.
                f.uidvalidity = uv;
                uv = uv.wrapping_add(1).max(1);
                acc.folders.insert(new, f);
            }
        }
        // Parents of the new name exist too (RFC 3501 §6.3.5).
        let mut path = String::new();
        let parts: Vec<&str> = to.split(DELIMITER).collect();
        for part in &parts[..parts.len() - 1] {
            if !path.is_empty() {
                path.push(DELIMITER);
            }
            path.push_str(part);
            if !acc.folders.contains_key(&path) {
                acc.folders.insert(path.clone(), Folder::new(&path, uv));
                uv = uv.wrapping_add(1).max(1);
            }
        }
        self.next_uidvalidity = uv;
        Ok(())
    }

    /// Sets whether a folder is subscribed (IMAP SUBSCRIBE / UNSUBSCRIBE).
    ///
    /// # Errors
    /// [`StoreError::NoSuchFolder`].
    pub fn subscribe(&mut self, id: &AccountId, name: &str, on: bool) -> Result<(), StoreError> {
        self.folder_mut(id, name)?.subscribed = on;
        Ok(())
    }

    /// Appends a message to a folder; returns its UID. Line ends are made CRLF.
    ///
    /// # Errors
    /// [`StoreError::NoSuchUser`] or [`StoreError::NoSuchFolder`].
    pub fn append(
        &mut self,
        id: &AccountId,
        folder: &str,
        raw: &str,
        flags: Flags,
        now: SimTime,
    ) -> Result<u32, StoreError> {
        let raw = super::crlf(raw);
        Ok(self.folder_mut(id, folder)?.append(raw, flags, now))
    }

    /// Files a new message in the user's INBOX (local delivery); returns its UID.
    ///
    /// # Errors
    /// [`StoreError::NoSuchUser`].
    pub fn deliver(&mut self, id: &AccountId, raw: &str, now: SimTime) -> Result<u32, StoreError> {
        self.append(id, INBOX, raw, Flags::new(), now)
    }

    /// Changes the flags of one message; returns its new flags.
    ///
    /// # Errors
    /// [`StoreError::NoSuchMessage`] and the folder errors.
    pub fn set_flags(
        &mut self,
        id: &AccountId,
        folder: &str,
        uid: u32,
        op: FlagOp,
        flags: &Flags,
    ) -> Result<Flags, StoreError> {
        self.folder_mut(id, folder)?
            .set_flags(uid, op, flags)
            .ok_or(StoreError::NoSuchMessage(uid))
    }

    /// Copies messages to another folder of the same account, keeping flags
    /// and internal dates; returns (old UID, new UID) pairs. Missing UIDs are skipped.
    ///
    /// # Errors
    /// The folder errors.
    pub fn copy_messages(
        &mut self,
        id: &AccountId,
        from: &str,
        uids: &[u32],
        to: &str,
        _now: SimTime,
    ) -> Result<Vec<(u32, u32)>, StoreError> {
        let src = self.folder(id, from)?;
        let picked: Vec<_> = uids.iter().filter_map(|&u| src.get(u).cloned()).collect();
        let dst = self.folder_mut(id, to)?;
        Ok(picked
            .into_iter()
            .map(|m| (m.uid, dst.append(m.raw, m.flags, m.internal_date)))
            .collect())
    }

    /// Moves messages to another folder (copy, then remove from the source).
    ///
    /// # Errors
    /// The folder errors.
    pub fn move_messages(
        &mut self,
        id: &AccountId,
        from: &str,
        uids: &[u32],
        to: &str,
        now: SimTime,
    ) -> Result<Vec<(u32, u32)>, StoreError> {
        if normalize(from) == normalize(to) {
            return Err(StoreError::FolderExists(normalize(to)));
        }
        let pairs = self.copy_messages(id, from, uids, to, now)?;
        let moved: Vec<u32> = pairs.iter().map(|p| p.0).collect();
        self.folder_mut(id, from)?
            .remove_where(|m| moved.contains(&m.uid));
        Ok(pairs)
    }

    /// Removes every message flagged `\Deleted` (IMAP EXPUNGE); returns their UIDs.
    ///
    /// # Errors
    /// The folder errors.
    pub fn expunge(&mut self, id: &AccountId, folder: &str) -> Result<Vec<u32>, StoreError> {
        Ok(self
            .folder_mut(id, folder)?
            .remove_where(|m| m.flags.contains(&Flag::Deleted)))
    }

    /// Removes the given messages whatever their flags (POP3 UPDATE state,
    /// IMAP UID EXPUNGE after checking `\Deleted`); returns the UIDs removed.
    ///
    /// # Errors
    /// The folder errors.
    pub fn remove_messages(
        &mut self,
        id: &AccountId,
        folder: &str,
        uids: &[u32],
    ) -> Result<Vec<u32>, StoreError> {
        Ok(self
            .folder_mut(id, folder)?
            .remove_where(|m| uids.contains(&m.uid)))
    }
}
