//! Engines fed arbitrary messages and timeouts never panic, and the server
//! never gives one address to two clients.

use proptest::prelude::*;

use super::lan::{ip, mac};
use crate::SimTime;
use crate::dhcp::message::tests::arb_message;
use crate::dhcp::{
    Arrival, Client, ClientConfig, LeaseState, LeaseTime, OpCode, PoolConfig, Relay, RelayConfig,
    RelayInterface, Reservation, Server, ServerConfig,
};

fn server() -> Server {
    let mut p = PoolConfig::new(
        "LAN",
        ip("192.168.1.0"),
        ip("255.255.255.0"),
        ip("192.168.1.10"),
        4,
    );
    p.lease_time = LeaseTime::Minutes(1);
    p.excluded = vec![ip("192.168.1.11")];
    p.reservations = vec![Reservation {
        mac: mac(1),
        address: ip("192.168.1.12"),
    }];
    Server::new(ServerConfig::new(vec![p]))
}

/// Messages with a few well-known values mixed in, so engines get past
/// their first checks (op, chaddr, addresses in the pool).
fn steered() -> impl Strategy<Value = crate::dhcp::Message> {
    (arb_message(), 0u8..4, any::<bool>(), 0u8..16).prop_map(|(mut m, who, request, host)| {
        m.chaddr = mac(who);
        m.op = if request {
            OpCode::BootRequest
        } else {
            OpCode::BootReply
        };
        if host < 8 {
            m.options.requested_ip = Some(ip(&format!("192.168.1.{}", 8 + host)));
        }
        if host % 3 == 0 {
            m.ciaddr = ip(&format!("192.168.1.{}", 8 + host));
            m.giaddr = ip("0.0.0.0");
        }
        if host % 4 == 0 {
            m.options.server_id = Some(ip("192.168.1.1"));
        }
        m
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn engines_survive_arbitrary_traffic(
        steps in proptest::collection::vec((steered(), 0u64..200_000), 1..40)
    ) {
        let mut s = server();
        let mut c = Client::new(ClientConfig::new(mac(1), 1));
        let mut r = Relay::new(RelayConfig::new(vec![RelayInterface {
            address: ip("192.168.1.1"),
            helpers: vec![ip("10.0.0.2")],
        }]));
        let mut now = SimTime::ZERO;
        c.start(now);
        for (m, dt) in steps {
            now += core::time::Duration::from_millis(dt);
            s.handle_timeout(now);
            c.handle_timeout(now);
            s.handle_message(now, Arrival { interface: ip("192.168.1.1") }, &m);
            c.handle_message(now, &m);
            r.handle_message(ip("192.168.1.1"), &m);
            while let Some(t) = s.poll_transmit() {
                let _ = t.to_string();
                c.handle_message(now, &t.message);
            }
            while c.poll_transmit().is_some() {}
            while r.poll_transmit().is_some() {}
            while let Some(n) = s.poll_note() { let _ = n.to_string(); }
            while let Some(n) = c.poll_note() { let _ = n.to_string(); }
            while let Some(n) = r.poll_note() { let _ = n.to_string(); }
            while c.poll_event().is_some() {}
            let leases = &s.leases().leases;
            for (i, a) in leases.iter().enumerate() {
                prop_assert!(leases[i + 1..].iter().all(|b| b.address != a.address), "{leases:?}");
                let live = a.state != LeaseState::Declined;
                prop_assert!(!live || leases[i + 1..].iter().all(|b| b.mac != a.mac || b.state == LeaseState::Declined), "{leases:?}");
            }
            prop_assert!(s.poll_timeout().is_none_or(|t| t > now));
        }
    }
}
