//! Errors of the lab document, worded so a student can fix them.

use std::net::Ipv4Addr;

use lanlab_proto::net::Ipv4Net;

mod detail;
pub use detail::{ActionProblem, ActivityProblem, JsonProblem, Malformed};

/// What is wrong with a lab or an edit, worded so a student can fix it.
#[derive(Clone, Debug, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum LabError {
    /// The file is not valid JSON or not shaped like a lab.
    #[error("this is not a lanlab lab file: {0}")]
    Malformed(Malformed),
    /// The file was written by a newer lanlab.
    #[error(
        "this lab was made with a newer lanlab (format {found}; this one reads up to {supported})"
    )]
    TooNew {
        /// Version found in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// A service is configured wrongly.
    #[error("{device}, {}: {problem}", problem.service())]
    Service {
        /// Device name.
        device: String,
        /// What is wrong, with the data the app words it from.
        problem: ServiceProblem,
    },
    /// No device with that id.
    #[error("there is no device number {0}")]
    NoSuchDevice(u32),
    /// No port with that index on the device.
    #[error("{device} has no port number {port}")]
    NoSuchPort {
        /// Device name.
        device: String,
        /// Port index asked for.
        port: usize,
    },
    /// Two devices would share a name.
    #[error("the name {0} is already used by another device")]
    DuplicateName(String),
    /// A name that cannot be used.
    #[error("a device name must be 1 to 63 characters without control characters")]
    BadName,
    /// Every port of the device already has a cable.
    #[error("{0} has no free port")]
    NoFreePort(String),
    /// That port already has a cable.
    #[error("{device} {port} already has a cable")]
    PortInUse {
        /// Device name.
        device: String,
        /// Port name.
        port: String,
    },
    /// A cable from a device to itself.
    #[error("a cable must join two different devices")]
    SelfLink,
    /// A MAC address that does not parse.
    #[error("{0} is not a MAC address (write it like 00:1a:2b:3c:4d:5e)")]
    BadMac(String),
    /// A cable's loss rate is outside 0–1.
    #[error("loss rate {0} must be between 0 and 1")]
    BadLoss(f64),
    /// A mask with a gap in its one-bits.
    #[error("{at}: mask {mask} is not contiguous")]
    NonContiguousMask {
        /// Where (`PC0 FastEthernet0`).
        at: String,
        /// The mask.
        mask: Ipv4Addr,
    },
    /// An address no host may have (0.0.0.0, multicast, 255.255.255.255).
    #[error("{at}: {address} cannot be a host's address")]
    NotAHostAddress {
        /// Where.
        at: String,
        /// The address.
        address: Ipv4Addr,
    },
    /// The address is its subnet's network address.
    #[error("{at}: {address} is the network address of {net}; pick a host address")]
    NetworkAddress {
        /// Where.
        at: String,
        /// The address.
        address: Ipv4Addr,
        /// Its subnet.
        net: Ipv4Net,
    },
    /// The address is its subnet's broadcast address.
    #[error("{at}: {address} is the broadcast address of {net}; pick a host address")]
    BroadcastAddress {
        /// Where.
        at: String,
        /// The address.
        address: Ipv4Addr,
        /// Its subnet.
        net: Ipv4Net,
    },
    /// A default gateway outside the interface's subnet.
    #[error("{at}: gateway {gateway} is not in the interface's network {net}")]
    GatewayOffLink {
        /// Where.
        at: String,
        /// The gateway.
        gateway: Ipv4Addr,
        /// The interface's subnet.
        net: Ipv4Net,
    },
    /// Two interfaces with one address.
    #[error("{address} is set on both {first} and {second}")]
    DuplicateAddress {
        /// The address.
        address: Ipv4Addr,
        /// One interface.
        first: String,
        /// The other.
        second: String,
    },
    /// A static route whose network has host bits set.
    #[error("{device}: route {route}: the network address should be {network}")]
    RouteHostBits {
        /// The router.
        device: String,
        /// The route as written.
        route: String,
        /// The network address that fits the mask.
        network: Ipv4Addr,
    },
    /// The activity is damaged or too large.
    #[error("activity: {0}")]
    Activity(ActivityProblem),
    /// A scripted action naming something that does not exist.
    #[error("action {index} ({action}): {reason}")]
    BadAction {
        /// Position in the lab's action list (from 1).
        index: usize,
        /// The action.
        action: String,
        /// What is wrong.
        reason: ActionProblem,
    },
}

/// What is wrong with one service of a device (see [`LabError::Service`]).
#[derive(Clone, Debug, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ServiceProblem {
    /// A DHCP pool that cannot work.
    #[error("{0}")]
    Dhcp(lanlab_proto::dhcp::ConfigError),
    /// Two zones with one origin.
    #[error("zone {0} is defined twice")]
    ZoneTwice(String),
    /// Recursion without a root server to start from.
    #[error("recursion needs at least one root hint (a root server's address)")]
    NoRootHint,
    /// A mail user without a name.
    #[error("a user has no name")]
    UserWithoutName,
    /// A mail user in a domain the server does not hold.
    #[error("user {user} is in domain {domain}, which this server does not hold")]
    UserOutsideDomains {
        /// The user.
        user: String,
        /// Their domain.
        domain: String,
    },
    /// A DHCP relay interface without a server to relay to.
    #[error("interface {0} has no helper address")]
    RelayWithoutHelper(String),
}

impl ServiceProblem {
    /// The service's name as the forms show it (`DHCP`, `DNS`, …).
    pub fn service(&self) -> &'static str {
        match self {
            ServiceProblem::Dhcp(_) => "DHCP",
            ServiceProblem::ZoneTwice(_) | ServiceProblem::NoRootHint => "DNS",
            ServiceProblem::UserWithoutName | ServiceProblem::UserOutsideDomains { .. } => "e-mail",
            ServiceProblem::RelayWithoutHelper(_) => "DHCP relay",
        }
    }
}
