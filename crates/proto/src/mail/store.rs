//! The mail store: domains, accounts, folders and messages, shared by the
//! SMTP, POP3 and IMAP server sessions of one server device.
//!
//! Every session gets `&mut MailStore` with each input, so sessions on the
//! same account see each other's appends, flag changes and expunges through
//! [`Folder::changes_since`]. POP3's exclusive maildrop lock (RFC 1939 §8:
//! "the POP3 server then acquires an exclusive-access lock on the maildrop")
//! is [`MailStore::lock_maildrop`]; locks are session state and not saved.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::address::{Address, valid_domain};

use super::folder::Folder;
use crate::SimTime;

/// The folder every account has and POP3 reads (RFC 3501 §5.1: "INBOX" is case-insensitive).
pub const INBOX: &str = "INBOX";
/// Folders made for every new account.
pub const DEFAULT_FOLDERS: [&str; 3] = [INBOX, "Sent", "Trash"];
/// Hierarchy delimiter of folder names.
pub const DELIMITER: char = '/';

/// Why a store operation failed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StoreError {
    /// The domain is not served by this store.
    #[error("domain {0} is not served here")]
    NoSuchDomain(String),
    /// The domain already exists.
    #[error("domain {0} already exists")]
    DomainExists(String),
    /// The name is not a valid domain name.
    #[error("{0:?} is not a valid domain name")]
    BadDomain(String),
    /// No such user.
    #[error("no user {0}")]
    NoSuchUser(String),
    /// The user already exists.
    #[error("user {0} already exists")]
    UserExists(String),
    /// A user name that cannot be the local part of an address.
    #[error("{0:?} cannot be a user name")]
    BadUserName(String),
    /// A bare user name found in more than one domain.
    #[error("user name {0} exists in several domains: log in with the full address")]
    AmbiguousUser(String),
    /// Wrong user name or password.
    #[error("wrong user name or password")]
    AuthFailed,
    /// No such folder.
    #[error("no folder {0}")]
    NoSuchFolder(String),
    /// The folder already exists.
    #[error("folder {0} already exists")]
    FolderExists(String),
    /// INBOX cannot be deleted.
    #[error("INBOX cannot be deleted")]
    CannotDeleteInbox,
    /// The folder has subfolders.
    #[error("folder {0} has subfolders: delete them first")]
    HasChildren(String),
    /// A folder name that is empty, too long or has a forbidden character.
    #[error(
        "{0:?} is not a valid folder name: no empty parts (a leading, trailing or doubled /), no * or % (LIST wildcards), no NUL"
    )]
    BadFolderName(String),
    /// No message with this UID.
    #[error("no message with UID {0}")]
    NoSuchMessage(u32),
    /// Another session holds the maildrop lock.
    #[error("maildrop of {0} is already locked")]
    Locked(String),
}

/// Identifies one account: a user in a domain (both lower case).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AccountId {
    /// Domain, lower case.
    pub domain: String,
    /// User name (local part), lower case.
    pub user: String,
}

impl core::fmt::Display for AccountId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}@{}", self.user, self.domain)
    }
}

/// One user: password and folders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// User name (local part).
    pub name: String,
    /// Password (a lab shows it; APOP needs it in the clear, RFC 1939 §7).
    pub password: String,
    /// Folders by name.
    pub(super) folders: BTreeMap<String, Folder>,
}

impl Account {
    /// The folders in name order (INBOX first).
    pub fn folders(&self) -> impl Iterator<Item = &Folder> {
        self.folders
            .get(INBOX)
            .into_iter()
            .chain(self.folders.values().filter(|f| f.name != INBOX))
    }

    /// The folder with this name (INBOX in any case).
    pub fn folder(&self, name: &str) -> Option<&Folder> {
        self.folders.get(&normalize(name))
    }
}

/// A local distribution list, expanded by SMTP EXPN (RFC 5321 §3.5).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailingList {
    /// Member addresses.
    pub members: Vec<String>,
}

/// One mail domain served by this store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// Users by lower-case name.
    pub users: BTreeMap<String, Account>,
    /// Lists by lower-case name.
    pub lists: BTreeMap<String, MailingList>,
}

/// How a recipient address resolves in this store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    /// A local user.
    Local(AccountId),
    /// A local list with these members.
    List(Vec<String>),
    /// A local domain but no such user or list.
    UnknownUser,
    /// A domain this store does not serve.
    Foreign,
}

/// A maildrop lock held by one session.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockToken(pub u64);

/// All mail of one server: domains, users, folders, messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailStore {
    /// Unix seconds at `SimTime::ZERO`: the lab's wall clock for dates.
    #[serde(default = "default_epoch")]
    pub epoch_unix: i64,
    domains: BTreeMap<String, Domain>,
    pub(super) next_uidvalidity: u32,
    #[serde(skip)]
    locks: BTreeMap<AccountId, LockToken>,
    #[serde(skip)]
    next_lock: u64,
}

fn default_epoch() -> i64 {
    super::date::DEFAULT_EPOCH_UNIX
}

impl Default for MailStore {
    fn default() -> Self {
        MailStore {
            epoch_unix: default_epoch(),
            domains: BTreeMap::new(),
            next_uidvalidity: 1,
            locks: BTreeMap::new(),
            next_lock: 1,
        }
    }
}

/// INBOX in any case becomes `INBOX`; other names are kept as given.
pub fn normalize(name: &str) -> String {
    let first = name.split(DELIMITER).next().unwrap_or("");
    if first.eq_ignore_ascii_case(INBOX) {
        format!("{INBOX}{}", &name[first.len()..])
    } else {
        name.to_string()
    }
}

/// Whether a folder may have this name. Anything an IMAP quoted string or
/// literal carries is accepted (quotes, backslashes, spaces, modified
/// UTF-7) except NUL, the LIST wildcards `*` and `%` (RFC 9051 §5.1 lets a
/// server refuse them: such a name could not be listed on its own) and
/// empty hierarchy levels.
pub(super) fn valid_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 1000
        && !name.starts_with(DELIMITER)
        && !name.ends_with(DELIMITER)
        && !name.contains("//")
        && name.chars().all(|c| c != '\0' && c != '*' && c != '%')
}

impl MailStore {
    /// An empty store.
    pub fn new() -> Self {
        MailStore::default()
    }

    /// Unix seconds at virtual time `now` (for `Date:`/`Received:` and INTERNALDATE).
    pub fn unix_time(&self, now: SimTime) -> i64 {
        super::date::unix_at(self.epoch_unix, now)
    }

    /// Virtual time at Unix time `unix` (times before the lab started become `SimTime::ZERO`).
    pub fn sim_time_at(&self, unix: i64) -> SimTime {
        SimTime::from_secs(u64::try_from(unix.saturating_sub(self.epoch_unix)).unwrap_or(0))
    }

    /// Adds a domain.
    ///
    /// # Errors
    /// [`StoreError::BadDomain`] or [`StoreError::DomainExists`].
    pub fn add_domain(&mut self, name: &str) -> Result<(), StoreError> {
        let key = name.trim_end_matches('.').to_ascii_lowercase();
        if !valid_domain(&key) {
            return Err(StoreError::BadDomain(name.into()));
        }
        if self.domains.contains_key(&key) {
            return Err(StoreError::DomainExists(key));
        }
        self.domains.insert(key, Domain::default());
        Ok(())
    }

    /// Removes a domain with all its users and mail.
    ///
    /// # Errors
    /// [`StoreError::NoSuchDomain`].
    pub fn remove_domain(&mut self, name: &str) -> Result<(), StoreError> {
        let key = name.to_ascii_lowercase();
        self.domains
            .remove(&key)
            .map(|_| ())
            .ok_or(StoreError::NoSuchDomain(key))
    }

    /// Domains served, lower case, in order.
    pub fn domains(&self) -> impl Iterator<Item = &str> {
        self.domains.keys().map(String::as_str)
    }

    /// The domain's users and lists.
    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains.get(&name.to_ascii_lowercase())
    }

    /// Whether this store serves `domain`.
    pub fn is_local_domain(&self, domain: &str) -> bool {
        self.domains
            .contains_key(&domain.trim_end_matches('.').to_ascii_lowercase())
    }

    /// Adds a user with INBOX, Sent and Trash.
    ///
    /// # Errors
    /// [`StoreError::NoSuchDomain`], [`StoreError::BadUserName`], [`StoreError::UserExists`].
    pub fn add_user(
        &mut self,
        domain: &str,
        name: &str,
        password: &str,
    ) -> Result<AccountId, StoreError> {
        let dkey = domain.to_ascii_lowercase();
        if Address::new(name, &dkey).is_err() {
            return Err(StoreError::BadUserName(name.into()));
        }
        let ukey = name.to_ascii_lowercase();
        let mut folders = BTreeMap::new();
        for f in DEFAULT_FOLDERS {
            folders.insert(f.to_string(), Folder::new(f, self.next_uidvalidity));
            self.next_uidvalidity = self.next_uidvalidity.wrapping_add(1).max(1);
        }
        let d = self
            .domains
            .get_mut(&dkey)
            .ok_or_else(|| StoreError::NoSuchDomain(dkey.clone()))?;
        if d.users.contains_key(&ukey) {
            return Err(StoreError::UserExists(format!("{ukey}@{dkey}")));
        }
        d.users.insert(
            ukey.clone(),
            Account {
                name: name.to_string(),
                password: password.to_string(),
                folders,
            },
        );
        Ok(AccountId {
            domain: dkey,
            user: ukey,
        })
    }

    /// Removes a user and all their mail.
    ///
    /// # Errors
    /// [`StoreError::NoSuchUser`].
    pub fn remove_user(&mut self, id: &AccountId) -> Result<(), StoreError> {
        self.locks.remove(id);
        self.domains
            .get_mut(&id.domain)
            .and_then(|d| d.users.remove(&id.user))
            .map(|_| ())
            .ok_or_else(|| StoreError::NoSuchUser(id.to_string()))
    }

    /// Changes a user's password.
    ///
    /// # Errors
    /// [`StoreError::NoSuchUser`].
    pub fn set_password(&mut self, id: &AccountId, password: &str) -> Result<(), StoreError> {
        self.account_mut(id)?.password = password.to_string();
        Ok(())
    }

    /// Adds or replaces a distribution list `name@domain`.
    ///
    /// # Errors
    /// [`StoreError::NoSuchDomain`].
    pub fn set_list(
        &mut self,
        domain: &str,
        name: &str,
        members: Vec<String>,
    ) -> Result<(), StoreError> {
        let dkey = domain.to_ascii_lowercase();
        let d = self
            .domains
            .get_mut(&dkey)
            .ok_or(StoreError::NoSuchDomain(dkey))?;
        d.lists
            .insert(name.to_ascii_lowercase(), MailingList { members });
        Ok(())
    }

    /// The account, if it exists.
    pub fn account(&self, id: &AccountId) -> Option<&Account> {
        self.domains.get(&id.domain)?.users.get(&id.user)
    }

    pub(super) fn account_mut(&mut self, id: &AccountId) -> Result<&mut Account, StoreError> {
        self.domains
            .get_mut(&id.domain)
            .and_then(|d| d.users.get_mut(&id.user))
            .ok_or_else(|| StoreError::NoSuchUser(id.to_string()))
    }

    /// All accounts in domain then user order.
    pub fn accounts(&self) -> impl Iterator<Item = (AccountId, &Account)> {
        self.domains.iter().flat_map(|(d, dom)| {
            dom.users.iter().map(move |(u, a)| {
                (
                    AccountId {
                        domain: d.clone(),
                        user: u.clone(),
                    },
                    a,
                )
            })
        })
    }

    /// How `addr` resolves here (SMTP RCPT, VRFY, EXPN).
    pub fn resolve(&self, addr: &Address) -> Recipient {
        let Some(d) = self.domains.get(&addr.domain) else {
            return Recipient::Foreign;
        };
        let key = addr.local_key();
        if d.users.contains_key(&key) {
            Recipient::Local(AccountId {
                domain: addr.domain.clone(),
                user: key,
            })
        } else if let Some(l) = d.lists.get(&key) {
            Recipient::List(l.members.clone())
        } else {
            Recipient::UnknownUser
        }
    }

    /// Finds the account a login name means: `user@domain`, or a bare user
    /// name that exists in exactly one domain.
    ///
    /// # Errors
    /// [`StoreError::NoSuchUser`] or [`StoreError::AmbiguousUser`].
    pub fn find_login(&self, login: &str) -> Result<AccountId, StoreError> {
        if let Ok(a) = login.parse::<Address>() {
            return match self.resolve(&a) {
                Recipient::Local(id) => Ok(id),
                _ => Err(StoreError::NoSuchUser(login.into())),
            };
        }
        let key = login.to_ascii_lowercase();
        let mut found = self
            .domains
            .iter()
            .filter(|(_, d)| d.users.contains_key(&key))
            .map(|(name, _)| AccountId {
                domain: name.clone(),
                user: key.clone(),
            });
        match (found.next(), found.next()) {
            (Some(id), None) => Ok(id),
            (Some(_), Some(_)) => Err(StoreError::AmbiguousUser(login.into())),
            _ => Err(StoreError::NoSuchUser(login.into())),
        }
    }

    /// Checks a login name and password.
    ///
    /// # Errors
    /// [`StoreError::AuthFailed`] for an unknown user or a wrong password
    /// (the same error, so a guesser learns nothing), or [`StoreError::AmbiguousUser`].
    pub fn authenticate(&self, login: &str, password: &str) -> Result<AccountId, StoreError> {
        let id = self.find_login(login).map_err(|e| match e {
            StoreError::AmbiguousUser(_) => e,
            _ => StoreError::AuthFailed,
        })?;
        match self.account(&id) {
            Some(a) if a.password == password => Ok(id),
            _ => Err(StoreError::AuthFailed),
        }
    }

    /// Takes the exclusive POP3 maildrop lock of `id`.
    ///
    /// # Errors
    /// [`StoreError::Locked`] if another session holds it.
    pub fn lock_maildrop(&mut self, id: &AccountId) -> Result<LockToken, StoreError> {
        if self.locks.contains_key(id) {
            return Err(StoreError::Locked(id.to_string()));
        }
        let t = LockToken(self.next_lock);
        self.next_lock += 1;
        self.locks.insert(id.clone(), t);
        Ok(t)
    }

    /// Releases the lock if `token` holds it.
    pub fn unlock_maildrop(&mut self, id: &AccountId, token: LockToken) {
        if self.locks.get(id) == Some(&token) {
            self.locks.remove(id);
        }
    }

    /// Whether a session holds the maildrop lock of `id`.
    pub fn is_locked(&self, id: &AccountId) -> bool {
        self.locks.contains_key(id)
    }
}
