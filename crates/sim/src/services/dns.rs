//! The DNS server service (placeholder until the next commit).

use super::app::ServiceApp;

/// The service entry.
pub const SERVICE: ServiceApp = ServiceApp {
    key: "dns",
    wanted: |_| false,
    make: |_| unreachable!("never wanted yet"),
};
