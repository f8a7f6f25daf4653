//! Mail addresses: `local@domain` (RFC 5321 §4.1.2 `Mailbox`).
//!
//! Only the forms a student types are accepted: a dot-atom or quoted local
//! part, an `@`, and a domain name. RFC 5321 §4.5.3.1.1: "The maximum total
//! length of a user name or other local-part is 64 octets"; §4.5.3.1.2: "The
//! maximum total length of a domain name or number is 255 octets."

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why an address was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AddressError {
    /// No `@` between a local part and a domain.
    #[error("address {0:?} has no @domain")]
    NoDomain(String),
    /// The local part is empty, longer than 64 octets or has a forbidden character.
    #[error("local part of {0:?} is empty, too long or has a character not allowed")]
    BadLocal(String),
    /// The domain is empty, longer than 255 octets or not a host name.
    #[error("domain of {0:?} is not a valid domain name")]
    BadDomain(String),
}

/// A mail address. The domain is kept in lower case (domains are
/// case-insensitive); the local part keeps its case for display.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Address {
    /// The part before `@`.
    pub local: String,
    /// The part after `@`, lower case.
    pub domain: String,
}

impl Address {
    /// Builds an address from parts, validating both.
    ///
    /// # Errors
    /// [`AddressError`] if either part is invalid.
    pub fn new(local: &str, domain: &str) -> Result<Self, AddressError> {
        format!("{local}@{domain}").parse()
    }

    /// The local part in lower case, the key used to look users up.
    pub fn local_key(&self) -> String {
        self.local.to_ascii_lowercase()
    }
}

fn valid_local(s: &str) -> bool {
    if s.is_empty() || s.len() > 64 {
        return false;
    }
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        return s[1..s.len() - 1]
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
    }
    !s.starts_with('.')
        && !s.ends_with('.')
        && !s.contains("..")
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&b))
}

/// Whether `s` is a host name: labels of letters, digits, `-` and `_`, at most 63 octets each.
pub fn valid_domain(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.starts_with('[') && s.ends_with(']') {
        return s[1..s.len() - 1].parse::<core::net::Ipv4Addr>().is_ok();
    }
    !s.is_empty()
        && s.len() <= 255
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

impl FromStr for Address {
    type Err = AddressError;

    /// Parses `user@domain`, also inside `<…>` as SMTP writes it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t
            .strip_prefix('<')
            .and_then(|x| x.strip_suffix('>'))
            .unwrap_or(t);
        let Some(at) = t.rfind('@') else {
            return Err(AddressError::NoDomain(s.to_string()));
        };
        let (local, domain) = (&t[..at], &t[at + 1..]);
        if !valid_local(local) {
            return Err(AddressError::BadLocal(s.to_string()));
        }
        if !valid_domain(domain) {
            return Err(AddressError::BadDomain(s.to_string()));
        }
        let domain = domain.strip_suffix('.').unwrap_or(domain);
        Ok(Address {
            local: local.to_string(),
            domain: domain.to_ascii_lowercase(),
        })
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local, self.domain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let a: Address = "<12_5b_01@Hasan.COM>".parse().unwrap();
        assert_eq!(a.to_string(), "12_5b_01@hasan.com");
        assert!("nobody".parse::<Address>().is_err());
        assert!("a..b@x.com".parse::<Address>().is_err());
        assert!("a@-x.com".parse::<Address>().is_err());
        assert!("a@".parse::<Address>().is_err());
        assert!(
            format!("{}@x.com", "a".repeat(65))
                .parse::<Address>()
                .is_err()
        );
        assert!("\"john smith\"@x.com".parse::<Address>().is_ok());
    }
}
