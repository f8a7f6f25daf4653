//! `lanlab serve --dhcp`: scapy builds DISCOVER and REQUEST (not our
//! codec), sends them over UDP to the server port and reads OFFER, ACK and
//! NAK; replies come back unicast to the sender (loopback has no broadcast).

mod bridge_support;

use std::process::Command;
use std::time::Duration;

use bridge_support::*;

#[test]
fn scapy_discover_request_ack_and_nak() {
    let Some(py) = python(&["scapy"]) else {
        return skip("Python with scapy");
    };
    let served = Served::start("scapy", &s1_lab(), "Server0", &["--dhcp", "0"]);
    let port = served.port("dhcp").to_string();
    let out = run(
        Command::new(py).arg(script("dhcp_client.py")).arg(&port),
        Duration::from_secs(60),
    );
    let stdout = out.assert_ok(&served);
    assert!(stdout.contains("dhcp: all passed"), "{stdout}");
    let log = served.log();
    assert!(log.contains("192.168.1.10"), "{log}");
}
