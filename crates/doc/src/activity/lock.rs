//! The teacher's lock: a passphrase stored as SHA-256(salt + passphrase)
//! and the parts of the lab it protects. It deters a student from editing
//! the activity or a device; anyone who can edit the file can remove it.

use serde::{Deserialize, Serialize};

use crate::error::{ActivityProblem, LabError};
use sha2::{Digest, Sha256};

/// What a passphrase locks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// Hex salt (empty: no passphrase set, nothing is locked).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub salt: String,
    /// Hex SHA-256 of salt + passphrase.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hash: String,
    /// Whether the instructions and checks are locked.
    #[serde(rename = "act", default, skip_serializing_if = "std::ops::Not::not")]
    pub activity: bool,
    /// Whether the topology (adding, deleting, cabling devices) is locked.
    #[serde(rename = "topo", default, skip_serializing_if = "std::ops::Not::not")]
    pub topology: bool,
    /// Devices whose configuration is locked, by name.
    #[serde(rename = "dev", default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<String>,
}

impl Lock {
    /// Whether no passphrase is set.
    pub fn is_empty(&self) -> bool {
        self.hash.is_empty() && !self.activity && !self.topology && self.devices.is_empty()
    }

    /// Whether a passphrase protects the lock.
    pub fn is_set(&self) -> bool {
        !self.hash.is_empty()
    }

    /// Sets the passphrase; `salt` should be fresh random bytes (the caller
    /// draws them: this crate has no randomness of its own).
    pub fn set_passphrase(&mut self, passphrase: &str, salt: &[u8]) {
        self.salt = salt.iter().map(|b| format!("{b:02x}")).collect();
        self.hash = Self::hash_of(&self.salt, passphrase);
    }

    fn hash_of(salt: &str, passphrase: &str) -> String {
        Sha256::digest(format!("{salt}{passphrase}").as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `passphrase` is the teacher's (always true when none is set).
    pub fn unlocks(&self, passphrase: &str) -> bool {
        !self.is_set() || Self::hash_of(&self.salt, passphrase) == self.hash
    }

    /// Whether the configuration of device `name` is locked.
    pub fn locks_device(&self, name: &str) -> bool {
        self.is_set() && self.devices.iter().any(|d| d.eq_ignore_ascii_case(name))
    }

    /// Whether the activity is locked.
    pub fn locks_activity(&self) -> bool {
        self.is_set() && self.activity
    }

    /// Whether the topology is locked.
    pub fn locks_topology(&self) -> bool {
        self.is_set() && self.topology
    }

    pub(super) fn validate(&self) -> Result<(), LabError> {
        let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
        if self.salt.len() > 64
            || !hex(&self.salt)
            || !(self.hash.is_empty() || self.hash.len() == 64 && hex(&self.hash))
        {
            return Err(LabError::Activity(ActivityProblem::LockDamaged));
        }
        if self.devices.len() > 1000 {
            return Err(LabError::Activity(ActivityProblem::LockTooManyDevices));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrase_is_stored_hashed_and_checked() {
        let mut l = Lock {
            devices: vec!["Server0".into()],
            activity: true,
            ..Lock::default()
        };
        assert!(!l.locks_device("server0"), "no passphrase: nothing locked");
        assert!(l.unlocks("anything"));
        l.set_passphrase("guru-rahasia", &[1, 2, 3, 4]);
        assert_eq!(l.salt, "01020304");
        // SHA-256("01020304guru-rahasia"), computed independently.
        assert_eq!(
            l.hash,
            "31f451c9a5b320369266914eb5e514a5443e0cce8e8ef647e1d64dd61db1daf9"
        );
        assert!(!l.hash.contains("rahasia"));
        assert!(l.unlocks("guru-rahasia"));
        assert!(!l.unlocks("guru-rahasia "));
        assert!(l.locks_device("SERVER0"));
        assert!(!l.locks_device("PC0"));
        assert!(l.locks_activity());
        assert!(!l.locks_topology());
        l.validate().unwrap();
        l.hash = "zz".into();
        assert!(l.validate().is_err());
    }
}
