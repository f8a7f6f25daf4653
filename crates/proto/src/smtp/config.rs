//! Configuration of an SMTP server: its name, limits and relay policy.

use core::net::{IpAddr, Ipv4Addr};

use serde::{Deserialize, Serialize};

/// An IPv4 network `addr/prefix`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    /// Network address.
    pub addr: Ipv4Addr,
    /// Prefix length 0–32.
    pub prefix: u8,
}

impl Subnet {
    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let IpAddr::V4(ip) = ip else { return false };
        let p = u32::from(self.prefix.min(32));
        let mask = if p == 0 { 0 } else { u32::MAX << (32 - p) };
        u32::from(ip) & mask == u32::from(self.addr) & mask
    }
}

/// Who may send mail through this server to domains it does not serve.
///
/// RFC 5321 §3.6.2: relaying "to arbitrary destinations" opens the server
/// to abuse, so a server decides per client or sender.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RelayPolicy {
    /// Never relay: foreign recipients get 551.
    Deny,
    /// Relay for anyone (an "open relay": fine in a closed lab, bad on the Internet).
    Open,
    /// Relay when the sender's address is in a local domain (the lab default).
    #[default]
    LocalSenders,
    /// Relay for clients whose address is in one of these networks.
    Networks(Vec<Subnet>),
}

/// Settings of an SMTP server session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerConfig {
    /// The server's host name, used in the greeting and `Received:` lines.
    pub hostname: String,
    /// Largest message accepted in octets (advertised as `SIZE`, RFC 1870).
    pub max_message_size: usize,
    /// Most recipients per message (RFC 5321 §4.5.3.1.8 asks for at least 100).
    pub max_recipients: usize,
    /// Relay policy for foreign recipients.
    pub relay: RelayPolicy,
    /// Whether VRFY reveals users (else 252).
    pub vrfy: bool,
    /// Whether EXPN expands lists (else 502).
    pub expn: bool,
    /// Seconds without input before the server closes with 421
    /// (RFC 5321 §4.5.3.2.7: "at least 5 minutes").
    pub idle_timeout_secs: u64,
    /// A message submission server (RFC 6409, port 587): offers `AUTH
    /// PLAIN LOGIN` (RFC 4954), asks for it before MAIL (530) and relays
    /// for any client that logged in.
    pub submission: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            hostname: "mail.example.com".into(),
            max_message_size: 10 * 1024 * 1024,
            max_recipients: 100,
            relay: RelayPolicy::default(),
            vrfy: true,
            expn: true,
            idle_timeout_secs: 300,
            submission: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnet_contains() {
        let s = Subnet {
            addr: Ipv4Addr::new(10, 1, 0, 0),
            prefix: 24,
        };
        assert!(s.contains(IpAddr::V4(Ipv4Addr::new(10, 1, 0, 9))));
        assert!(!s.contains(IpAddr::V4(Ipv4Addr::new(10, 2, 0, 9))));
        let all = Subnet {
            addr: Ipv4Addr::UNSPECIFIED,
            prefix: 0,
        };
        assert!(all.contains(IpAddr::V4(Ipv4Addr::new(1, 2, 3, 4))));
    }
}
