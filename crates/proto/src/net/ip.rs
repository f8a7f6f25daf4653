//! IPv4 addressing: prefixes, masks, networks and broadcast addresses (RFC 791, RFC 4632).

use core::fmt;
use core::str::FromStr;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

/// What is wrong with an address, a mask or a socket, worded for a student.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum NetError {
    /// A mask whose one-bits do not form one block from the left.
    #[error("mask {0} is not contiguous")]
    NonContiguousMask(Ipv4Addr),
    /// A prefix length above 32.
    #[error("prefix length /{0} is longer than 32 bits")]
    BadPrefix(u8),
    /// Text that is not an address or a prefix.
    #[error("{0} is not an IPv4 address (write it like 192.168.1.10/24)")]
    BadAddress(String),
    /// A UDP port already bound.
    #[error("UDP port {0} is already in use")]
    PortInUse(u16),
    /// A UDP port not bound.
    #[error("no UDP socket is bound to port {0}")]
    NotBound(u16),
    /// No free ephemeral port.
    #[error("all ephemeral UDP ports are in use")]
    NoFreePort,
}

/// The prefix length of a mask.
///
/// # Errors
/// [`NetError::NonContiguousMask`] when the one-bits have a gap.
pub fn mask_to_prefix(mask: Ipv4Addr) -> Result<u8, NetError> {
    let m = u32::from(mask);
    let ones = m.leading_ones();
    if m.checked_shl(ones).unwrap_or(0) != 0 {
        return Err(NetError::NonContiguousMask(mask));
    }
    Ok(ones as u8)
}

/// The mask of a prefix length (lengths above 32 are taken as 32).
pub fn prefix_to_mask(prefix: u8) -> Ipv4Addr {
    let p = u32::from(prefix.min(32));
    Ipv4Addr::from(u32::MAX.checked_shl(32 - p).unwrap_or(0))
}

/// An address with its prefix length: `192.168.1.10/24`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Ipv4Net {
    /// The address (host bits may be set).
    pub addr: Ipv4Addr,
    /// Prefix length, 0–32.
    pub prefix: u8,
}

impl Ipv4Net {
    /// `addr/prefix`.
    ///
    /// # Errors
    /// [`NetError::BadPrefix`] above 32.
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Result<Self, NetError> {
        if prefix > 32 {
            return Err(NetError::BadPrefix(prefix));
        }
        Ok(Ipv4Net { addr, prefix })
    }

    /// `addr` with a dotted mask.
    ///
    /// # Errors
    /// [`NetError::NonContiguousMask`].
    pub fn with_mask(addr: Ipv4Addr, mask: Ipv4Addr) -> Result<Self, NetError> {
        Ok(Ipv4Net {
            addr,
            prefix: mask_to_prefix(mask)?,
        })
    }

    /// The dotted mask.
    pub fn mask(&self) -> Ipv4Addr {
        prefix_to_mask(self.prefix)
    }

    /// The network address (host bits cleared).
    pub fn network(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) & u32::from(self.mask()))
    }

    /// The directed broadcast address (host bits set).
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) | !u32::from(self.mask()))
    }

    /// This prefix with the host bits cleared.
    pub fn trunc(&self) -> Ipv4Net {
        Ipv4Net {
            addr: self.network(),
            prefix: self.prefix,
        }
    }

    /// Whether `ip` is inside this network.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let m = u32::from(self.mask());
        u32::from(ip) & m == u32::from(self.addr) & m
    }

    /// Whether the address is the network or broadcast address of its own
    /// subnet, which a host may not use (except on /31 and /32, RFC 3021).
    pub fn is_reserved_host(&self) -> bool {
        self.prefix < 31 && (self.addr == self.network() || self.addr == self.broadcast())
    }
}

impl fmt::Display for Ipv4Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl FromStr for Ipv4Net {
    type Err = NetError;
    fn from_str(s: &str) -> Result<Self, NetError> {
        let bad = || NetError::BadAddress(s.to_string());
        let (a, p) = s.trim().split_once('/').ok_or_else(bad)?;
        let addr: Ipv4Addr = a.parse().map_err(|_| bad())?;
        if p.contains('.') {
            let mask: Ipv4Addr = p.parse().map_err(|_| bad())?;
            return Ipv4Net::with_mask(addr, mask);
        }
        let prefix: u8 = p.parse().map_err(|_| bad())?;
        Ipv4Net::new(addr, prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_prefixes() {
        assert_eq!(mask_to_prefix(Ipv4Addr::new(255, 255, 255, 0)), Ok(24));
        assert_eq!(mask_to_prefix(Ipv4Addr::new(0, 0, 0, 0)), Ok(0));
        assert_eq!(mask_to_prefix(Ipv4Addr::new(255, 255, 255, 255)), Ok(32));
        let bad = Ipv4Addr::new(255, 0, 255, 0);
        let err = mask_to_prefix(bad).unwrap_err();
        assert_eq!(err.to_string(), "mask 255.0.255.0 is not contiguous");
        assert_eq!(prefix_to_mask(20), Ipv4Addr::new(255, 255, 240, 0));
        assert_eq!(prefix_to_mask(0), Ipv4Addr::new(0, 0, 0, 0));
    }

    #[test]
    fn network_broadcast_contains() {
        let n: Ipv4Net = "192.168.1.10/24".parse().unwrap();
        assert_eq!(n.network(), Ipv4Addr::new(192, 168, 1, 0));
        assert_eq!(n.broadcast(), Ipv4Addr::new(192, 168, 1, 255));
        assert!(n.contains(Ipv4Addr::new(192, 168, 1, 200)));
        assert!(!n.contains(Ipv4Addr::new(192, 168, 2, 1)));
        assert!(!n.is_reserved_host());
        assert!("10.0.0.0/8".parse::<Ipv4Net>().unwrap().is_reserved_host());
        assert!(!"10.0.0.0/31".parse::<Ipv4Net>().unwrap().is_reserved_host());
        assert_eq!(
            "10.1.2.3/255.255.0.0".parse::<Ipv4Net>().unwrap().prefix,
            16
        );
        assert!("10.1.2.3/33".parse::<Ipv4Net>().is_err());
        assert!("banana".parse::<Ipv4Net>().is_err());
    }
}
