//! A DHCP client's settings and what it reports: its state, the interface configuration
//! (`ipconfig /all`), events the simulator applies to the interface, and
//! notes for the trace.

use core::fmt;
use core::net::Ipv4Addr;

use serde::{Deserialize, Serialize};
use smoltcp::wire::EthernetAddress;

use super::mac_serde;
use super::message::MessageType;
use crate::SimTime;

/// Client settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// The interface's MAC (chaddr and client identifier).
    #[serde(with = "mac_serde")]
    pub mac: EthernetAddress,
    /// Host name sent in option 12.
    #[serde(default)]
    pub host_name: Option<String>,
    /// Seed for xids, back-off jitter and the link-local address.
    #[serde(default)]
    pub seed: u64,
    /// Ask servers to broadcast replies (the BROADCAST flag).
    #[serde(default = "yes")]
    pub broadcast_flag: bool,
    /// Seconds without a lease before falling back to 169.254.x.y.
    #[serde(default = "sixty")]
    pub fallback_after_secs: u32,
    /// Seconds between background retries once fallen back.
    #[serde(default = "five_minutes")]
    pub background_retry_secs: u32,
    /// Longest wait between retransmissions (RFC 2131 §4.1: 64 s).
    #[serde(default = "sixty_four")]
    pub max_backoff_secs: u32,
}

fn yes() -> bool {
    true
}
fn sixty() -> u32 {
    60
}
fn five_minutes() -> u32 {
    300
}
fn sixty_four() -> u32 {
    64
}

impl ClientConfig {
    /// Defaults for a NIC with this MAC and seed.
    pub fn new(mac: EthernetAddress, seed: u64) -> Self {
        ClientConfig {
            mac,
            host_name: None,
            seed,
            broadcast_flag: true,
            fallback_after_secs: sixty(),
            background_retry_secs: five_minutes(),
            max_backoff_secs: sixty_four(),
        }
    }
}

/// Where the client stands (RFC 2131 Figure 5, plus `Released`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientState {
    /// Not started, or waiting to restart.
    Init,
    /// DISCOVER sent, waiting for an offer.
    Selecting,
    /// REQUEST for the chosen offer sent, waiting for ACK.
    Requesting,
    /// INIT-REBOOT: REQUEST for the remembered address sent.
    Rebooting,
    /// Lease held.
    Bound,
    /// Past T1: asking the leasing server to extend (unicast).
    Renewing,
    /// Past T2: asking any server to extend (broadcast).
    Rebinding,
    /// Released by the user (`ipconfig /release`): idle until renew.
    Released,
}

impl fmt::Display for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClientState::Init => "INIT",
            ClientState::Selecting => "SELECTING",
            ClientState::Requesting => "REQUESTING",
            ClientState::Rebooting => "INIT-REBOOT",
            ClientState::Bound => "BOUND",
            ClientState::Renewing => "RENEWING",
            ClientState::Rebinding => "REBINDING",
            ClientState::Released => "RELEASED",
        })
    }
}

/// Where an interface's address came from.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigSource {
    /// A DHCP lease.
    Dhcp,
    /// Link-local fallback (RFC 3927, "Autoconfiguration IPv4 Address").
    Autoconfig,
}

/// The interface configuration, as `ipconfig /all` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpConfig {
    /// DHCP lease or link-local fallback.
    pub source: ConfigSource,
    /// Address.
    pub address: Ipv4Addr,
    /// Subnet mask.
    pub mask: Ipv4Addr,
    /// Default gateway.
    pub gateway: Option<Ipv4Addr>,
    /// DNS servers.
    pub dns_servers: Vec<Ipv4Addr>,
    /// Connection-specific DNS suffix.
    pub domain_name: Option<String>,
    /// DHCP server that gave the lease.
    pub server: Option<Ipv4Addr>,
    /// Lease obtained (or last renewed).
    pub obtained: SimTime,
    /// Lease expires; `None` for infinite leases and link-local addresses.
    pub expires: Option<SimTime>,
    /// T1: renewal starts.
    pub renew_at: Option<SimTime>,
    /// T2: rebinding starts.
    pub rebind_at: Option<SimTime>,
}

impl IpConfig {
    pub(crate) fn same_settings(&self, o: &IpConfig) -> bool {
        (
            self.source,
            self.address,
            self.mask,
            self.gateway,
            &self.dns_servers,
            &self.domain_name,
        ) == (
            o.source,
            o.address,
            o.mask,
            o.gateway,
            &o.dns_servers,
            &o.domain_name,
        )
    }
}

/// What the simulator must do to the interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientEvent {
    /// Use this configuration from now on (replacing any previous address).
    Configured(IpConfig),
    /// Remove this address: the interface has none any more.
    Deconfigured {
        /// Address removed.
        address: Ipv4Addr,
    },
}

/// What the client did and why, for the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientNote {
    /// No answer yet: a message is sent again.
    Retransmit {
        /// Kind resent.
        kind: MessageType,
        /// Attempt number (2 = first retransmission).
        attempt: u32,
    },
    /// The first offer is taken.
    OfferTaken {
        /// Offered address.
        address: Ipv4Addr,
        /// Offering server.
        server: Ipv4Addr,
    },
    /// A later offer is ignored.
    OfferIgnored {
        /// Offered address.
        address: Ipv4Addr,
        /// Offering server.
        server: Ipv4Addr,
    },
    /// ACK received: lease made or extended.
    Bound {
        /// Address.
        address: Ipv4Addr,
        /// Lease seconds, `None` for infinite.
        lease_secs: Option<u32>,
        /// Server.
        server: Option<Ipv4Addr>,
    },
    /// T1 reached.
    Renewing {
        /// Server asked.
        server: Ipv4Addr,
    },
    /// T2 reached.
    Rebinding,
    /// NAK received.
    Nak {
        /// Server that refused.
        server: Option<Ipv4Addr>,
        /// Its message, if any.
        message: Option<String>,
    },
    /// REQUEST went unanswered after every retry.
    NoAck,
    /// The lease ran out.
    LeaseExpired {
        /// Address lost.
        address: Ipv4Addr,
    },
    /// No server answered: link-local fallback.
    Failed {
        /// Link-local address now used.
        fallback: Ipv4Addr,
    },
    /// Given back by the user.
    Released {
        /// Address released.
        address: Ipv4Addr,
    },
    /// The address turned out to be in use: DECLINE sent.
    Declined {
        /// Address declined.
        address: Ipv4Addr,
    },
}

impl fmt::Display for ClientNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientNote::Retransmit { kind, attempt } => {
                write!(f, "no answer: sending {kind} again (attempt {attempt})")
            }
            ClientNote::OfferTaken { address, server } => {
                write!(f, "took the first offer: {address} from {server}")
            }
            ClientNote::OfferIgnored { address, server } => {
                write!(f, "ignored a later offer: {address} from {server}")
            }
            ClientNote::Bound {
                address,
                lease_secs,
                server,
            } => {
                write!(f, "bound to {address}")?;
                match lease_secs {
                    Some(s) => write!(f, " for {s} s")?,
                    None => f.write_str(" for ever (infinite lease)")?,
                }
                match server {
                    Some(s) => write!(f, " from {s}"),
                    None => Ok(()),
                }
            }
            ClientNote::Renewing { server } => {
                write!(f, "T1 reached: renewing with {server} (unicast)")
            }
            ClientNote::Rebinding => {
                f.write_str("T2 reached: no answer from the server, rebinding (broadcast)")
            }
            ClientNote::Nak { server, message } => {
                f.write_str("NAK")?;
                if let Some(s) = server {
                    write!(f, " from {s}")?;
                }
                if let Some(m) = message {
                    write!(f, " ({m})")?;
                }
                f.write_str(": starting over")
            }
            ClientNote::NoAck => f.write_str("no ACK after every retry: starting over"),
            ClientNote::LeaseExpired { address } => {
                write!(f, "lease of {address} expired: address removed")
            }
            ClientNote::Failed { fallback } => write!(f, "DHCP failed: using {fallback}"),
            ClientNote::Released { address } => write!(f, "released {address}"),
            ClientNote::Declined { address } => {
                write!(f, "{address} is already in use: DECLINE sent")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_config_are_serde_data() {
        let json = r#"{"mac":"02:4c:00:00:01:00","host_name":"PC0"}"#;
        let c: ClientConfig = serde_json::from_str(json).unwrap();
        assert_eq!(
            c,
            ClientConfig {
                host_name: Some("PC0".into()),
                ..ClientConfig::new(EthernetAddress([2, 0x4c, 0, 0, 1, 0]), 0)
            }
        );
        let bad = serde_json::from_str::<ClientConfig>(r#"{"mac":"02:4c"}"#).unwrap_err();
        assert!(bad.to_string().contains("is not a MAC address"), "{bad}");
        let ip = IpConfig {
            source: ConfigSource::Dhcp,
            address: Ipv4Addr::new(192, 168, 1, 10),
            mask: Ipv4Addr::new(255, 255, 255, 0),
            gateway: Some(Ipv4Addr::new(192, 168, 1, 1)),
            dns_servers: vec![Ipv4Addr::new(192, 168, 1, 1)],
            domain_name: None,
            server: Some(Ipv4Addr::new(192, 168, 1, 1)),
            obtained: SimTime::from_secs(1),
            expires: Some(SimTime::from_secs(86_401)),
            renew_at: None,
            rebind_at: None,
        };
        let back: IpConfig = serde_json::from_str(&serde_json::to_string(&ip).unwrap()).unwrap();
        assert_eq!(back, ip);
        assert_eq!(ClientState::Rebooting.to_string(), "INIT-REBOOT");
    }
}
