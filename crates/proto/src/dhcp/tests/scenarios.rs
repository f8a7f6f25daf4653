use super::lan::{Lan, ip, mac};
use crate::SimTime;
use crate::dhcp::{
    ClientConfig, ClientState, ConfigSource, LeaseState, LeaseTime, PoolConfig, RelayConfig,
    RelayInterface, Reservation, ServerConfig,
};

/// S1's pool: 192.168.1.0/24 from .10, gateway and DNS 192.168.1.1.
fn lan_pool(users: u32, lease: LeaseTime) -> PoolConfig {
    let mut p = PoolConfig::new(
        "LAN",
        ip("192.168.1.0"),
        ip("255.255.255.0"),
        ip("192.168.1.10"),
        users,
    );
    p.gateway = Some(ip("192.168.1.1"));
    p.dns_servers = vec![ip("192.168.1.1")];
    p.domain_name = Some("hasan.com".into());
    p.lease_time = lease;
    p
}

fn one_server(users: u32, lease: LeaseTime) -> (Lan, usize) {
    let mut lan = Lan::new();
    let s = lan.server(
        "Server0",
        0,
        "192.168.1.1",
        ServerConfig::new(vec![lan_pool(users, lease)]),
    );
    (lan, s)
}

#[test]
fn four_steps_discover_offer_request_ack() {
    let (mut lan, s) = one_server(100, LeaseTime::Days(1));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(1);
    lan.expect(&[
        "0.000000s PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER xid 0x",
        "0.001000s Server0 note: offer 192.168.1.10 to 02:4c:00:00:01:00 for 1 day",
        "0.001000s Server0: 192.168.1.1 → 255.255.255.255:68 (broadcast): DHCP OFFER 192.168.1.10 lease 86400 s server 192.168.1.1",
        "0.002000s PC0 note: took the first offer: 192.168.1.10 from 192.168.1.1",
        "0.002000s PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP REQUEST 192.168.1.10 xid",
        "0.003000s Server0 note: lease 192.168.1.10 to 02:4c:00:00:01:00 for 1 day",
        "0.003000s Server0: 192.168.1.1 → 255.255.255.255:68 (broadcast): DHCP ACK 192.168.1.10 lease 86400 s server 192.168.1.1",
        "0.004000s PC0 note: bound to 192.168.1.10 for 86400 s from 192.168.1.1",
        "0.004000s PC0 event: address 192.168.1.10/255.255.255.0",
    ]);
    let c = lan.client_ref(pc).config().unwrap().clone();
    assert_eq!(c.source, ConfigSource::Dhcp);
    assert_eq!(c.gateway, Some(ip("192.168.1.1")));
    assert_eq!(c.dns_servers, vec![ip("192.168.1.1")]);
    assert_eq!(c.domain_name.as_deref(), Some("hasan.com"));
    assert_eq!(c.server, Some(ip("192.168.1.1")));
    assert_eq!(
        c.expires,
        Some(SimTime::from_millis(2) + core::time::Duration::from_secs(86_400))
    );
    assert_eq!(
        c.renew_at,
        Some(SimTime::from_millis(2) + core::time::Duration::from_secs(43_200))
    );
    let leases = &lan.server_ref(s).leases().leases;
    assert_eq!(leases.len(), 1);
    assert_eq!(
        (leases[0].address, leases[0].state),
        (ip("192.168.1.10"), LeaseState::Bound)
    );
    assert_eq!(leases[0].host_name.as_deref(), Some("PC0"));
    assert_eq!(lan.client_ref(pc).state(), ClientState::Bound);
    // A second PC gets the next address.
    let pc1 = lan.client("PC1", 0, 2);
    lan.run_until(2);
    assert_eq!(lan.addr(pc1), Some(ip("192.168.1.11")));
}

#[test]
fn two_servers_both_offer_first_wins_other_withdraws() {
    let mut lan = Lan::new();
    lan.server(
        "Server0",
        0,
        "192.168.1.1",
        ServerConfig::new(vec![lan_pool(50, LeaseTime::Days(1))]),
    );
    let mut other = lan_pool(50, LeaseTime::Hours(8));
    other.start = ip("192.168.1.100");
    let s1 = lan.server("Server1", 0, "192.168.1.2", ServerConfig::new(vec![other]));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(5);
    lan.expect(&[
        "PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER",
        "Server0: 192.168.1.1 → 255.255.255.255:68 (broadcast): DHCP OFFER 192.168.1.10",
        "Server1: 192.168.1.2 → 255.255.255.255:68 (broadcast): DHCP OFFER 192.168.1.100 lease 28800 s",
        "PC0 note: took the first offer: 192.168.1.10 from 192.168.1.1",
        "PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP REQUEST 192.168.1.10 xid",
        "PC0 note: ignored a later offer: 192.168.1.100 from 192.168.1.2",
        "Server0: 192.168.1.1 → 255.255.255.255:68 (broadcast): DHCP ACK 192.168.1.10",
        "Server1 note: REQUEST names server 192.168.1.1, not us: withdrawing offer of 192.168.1.100",
    ]);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")));
    assert!(lan.server_ref(s1).leases().leases.is_empty());
    assert_eq!(lan.server_ref(s1).free_count("LAN"), Some(50));
}

#[test]
fn exhausted_pool_no_offer_client_falls_back_then_recovers() {
    let (mut lan, _) = one_server(1, LeaseTime::Days(1));
    let pc0 = lan.client("PC0", 0, 1);
    lan.run_until(1);
    let pc1 = lan.client("PC1", 0, 2);
    lan.run_until(59);
    lan.expect(&["Server0 note: pool LAN has 0 free addresses: no OFFER to 02:4c:00:00:02:00"]);
    lan.expect_none("OFFER 192.168.1.11");
    assert_eq!(lan.addr(pc1), None);
    // Sent at about 0, 4, 12, 28 and 60 s: back-off 4, 8, 16, 32 s (± 1 s).
    let discovers = lan.lines("PC1: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER");
    assert_eq!(discovers.len(), 5, "{discovers:?}");
    lan.run_until(62);
    let apipa = crate::dhcp::client::link_local(mac(2), 2);
    lan.expect(&[
        &format!("61.000000s PC1 note: DHCP failed: using {apipa}"),
        &format!("PC1 event: address {apipa}/255.255.0.0"),
    ]);
    assert!(apipa.octets()[..2] == [169, 254] && (1..=254).contains(&apipa.octets()[2]));
    let c = lan.client_ref(pc1).config().unwrap();
    assert_eq!((c.source, c.gateway), (ConfigSource::Autoconfig, None));
    // PC0 gives its address back; PC1's background retry (every 5 min) gets it.
    lan.act(pc0, |c, now| c.release(now));
    lan.run_until(400);
    lan.expect(&[
        "PC0: 192.168.1.10 → 192.168.1.1:67: DHCP RELEASE 192.168.1.10",
        "Server0 note: 02:4c:00:00:01:00 released 192.168.1.10: back to the pool",
        "PC1: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER",
        "Server0: 192.168.1.1 → 255.255.255.255:68 (broadcast): DHCP OFFER 192.168.1.10",
        "PC1 event: address 192.168.1.10/255.255.255.0",
    ]);
    assert_eq!(lan.addr(pc1), Some(ip("192.168.1.10")));
    assert_eq!(lan.addr(pc0), None);
    assert_eq!(lan.client_ref(pc0).state(), ClientState::Released);
}

#[test]
fn renew_at_t1_unicast_and_stays_bound() {
    let (mut lan, s) = one_server(10, LeaseTime::Minutes(10));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(299);
    lan.expect_none("RENEWING");
    lan.run_until(301);
    lan.expect(&[
        "300.002000s PC0 note: T1 reached: renewing with 192.168.1.1 (unicast)",
        "300.002000s PC0: 192.168.1.10 → 192.168.1.1:67: DHCP REQUEST 192.168.1.10",
        "300.003000s Server0: 192.168.1.1 → 192.168.1.10:68: DHCP ACK 192.168.1.10 lease 600 s",
        "300.004000s PC0 note: bound to 192.168.1.10 for 600 s",
    ]);
    assert_eq!(
        lan.lines("event: address").len(),
        1,
        "a renewal changes nothing"
    );
    assert_eq!(lan.client_ref(pc).state(), ClientState::Bound);
    assert_eq!(
        lan.server_ref(s).leases().leases[0].expires,
        Some(SimTime::from_millis(300_003) + core::time::Duration::from_secs(600))
    );
    // Renewing every 5 minutes for an hour keeps the address.
    lan.run_until(3_600);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")));
    lan.expect_none("expired");
}

#[test]
fn server_down_client_keeps_lease_rebinds_then_loses_it() {
    let (mut lan, s) = one_server(10, LeaseTime::Minutes(10));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(10);
    lan.set_up(s, false);
    lan.run_until(524);
    assert_eq!(lan.client_ref(pc).state(), ClientState::Renewing);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")));
    lan.run_until(599);
    assert_eq!(lan.client_ref(pc).state(), ClientState::Rebinding);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")), "kept until expiry");
    lan.run_until(601);
    lan.expect(&[
        "300.002000s PC0: 192.168.1.10 → 192.168.1.1:67: DHCP REQUEST",
        "PC0 note: no answer: sending REQUEST again (attempt 2)",
        "525.002000s PC0 note: T2 reached: no answer from the server, rebinding (broadcast)",
        "525.002000s PC0: 192.168.1.10 → 255.255.255.255:67 (broadcast): DHCP REQUEST 192.168.1.10",
        "600.002000s PC0 note: lease of 192.168.1.10 expired: address removed",
        "600.002000s PC0 event: 192.168.1.10 removed",
        "600.002000s PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER",
    ]);
    assert_eq!(lan.addr(pc), None);
    // The server comes back: it expired the lease too, and gives it again.
    lan.set_up(s, true);
    lan.run_until(700);
    lan.expect(&["Server0 note: lease of 192.168.1.10 expired: back to the pool"]);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")));
}

#[test]
fn release_returns_address_and_renew_gets_one_again() {
    let (mut lan, s) = one_server(10, LeaseTime::Hours(1));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(1);
    lan.act(pc, |c, now| c.release(now));
    lan.run_until(2);
    assert!(lan.server_ref(s).leases().leases.is_empty());
    assert_eq!(lan.addr(pc), None);
    assert_eq!(lan.client_ref(pc).config(), None);
    assert_eq!(lan.client_ref(pc).poll_timeout(), None, "released: idle");
    lan.act(pc, |c, now| c.renew(now));
    lan.run_until(3);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")));
    // `/renew` while bound: a unicast REQUEST at once.
    lan.act(pc, |c, now| c.renew(now));
    lan.run_until(4);
    lan.expect(&[
        "3.000000s PC0: 192.168.1.10 → 192.168.1.1:67: DHCP REQUEST",
        "Server0: 192.168.1.1 → 192.168.1.10:68: DHCP ACK",
    ]);
}

#[test]
fn nak_for_wrong_subnet_and_for_anothers_address() {
    let (mut lan, s) = one_server(10, LeaseTime::Days(1));
    // A laptop that last had 10.0.0.5 elsewhere reboots here.
    let mut cfg = ClientConfig::new(mac(1), 1);
    cfg.host_name = Some("Laptop".into());
    let laptop = lan.client_with("Laptop", 0, cfg);
    lan.run_until(1);
    let pc = lan.client("PC0", 0, 2);
    lan.run_until(2);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.11")));
    lan.client_mut(laptop).remember(Some(ip("10.0.0.5")));
    lan.act(laptop, |c, now| c.reboot(now));
    lan.run_until(3);
    lan.expect(&[
        "2.000000s Laptop event: 192.168.1.10 removed",
        "2.000000s Laptop: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP REQUEST 10.0.0.5 xid",
        "Server0 note: NAK 10.0.0.5 to 02:4c:00:00:01:00: wrong subnet",
        "Server0: 192.168.1.1 → 255.255.255.255:68 (broadcast): DHCP NAK server 192.168.1.1: 10.0.0.5: wrong subnet",
        "Laptop note: NAK from 192.168.1.1 (10.0.0.5: wrong subnet): starting over",
        "Laptop: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER",
        "Laptop event: address 192.168.1.10/255.255.255.0",
    ]);
    // Now the laptop claims PC0's address.
    lan.client_mut(laptop).remember(Some(ip("192.168.1.11")));
    lan.act(laptop, |c, now| c.reboot(now));
    lan.run_until(4);
    lan.expect(&[
        "Server0 note: NAK 192.168.1.11 to 02:4c:00:00:01:00: address belongs to another client",
    ]);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.11")));
    assert_eq!(lan.server_ref(s).leases().leases.len(), 2);
}

#[test]
fn init_reboot_with_a_known_address_is_acked() {
    let (mut lan, _) = one_server(10, LeaseTime::Days(1));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(1);
    lan.act(pc, |c, now| c.reboot(now));
    lan.run_until(2);
    lan.expect(&[
        "1.000000s PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP REQUEST 192.168.1.10 xid",
        "DHCP ACK 192.168.1.10",
    ]);
    assert_eq!(lan.lines("DISCOVER").len(), 1);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")));
}

#[test]
fn relay_across_a_router_selects_pool_by_giaddr() {
    // Segment 0: the server farm 10.0.0.0/24; segment 1: the PCs' LAN.
    let mut lan = Lan::new();
    let servers = PoolConfig::new(
        "SERVERS",
        ip("10.0.0.0"),
        ip("255.255.255.0"),
        ip("10.0.0.100"),
        10,
    );
    let s = lan.server(
        "Server0",
        0,
        "10.0.0.2",
        ServerConfig::new(vec![servers, lan_pool(10, LeaseTime::Hours(1))]),
    );
    let relay = RelayConfig::new(vec![RelayInterface {
        address: ip("192.168.1.1"),
        helpers: vec![ip("10.0.0.2")],
    }]);
    lan.relay("Router0", &[(0, "10.0.0.1"), (1, "192.168.1.1")], relay);
    let pc = lan.client("PC0", 1, 1);
    lan.run_until(1);
    lan.expect(&[
        "PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER",
        "Router0 note: relay DISCOVER to 10.0.0.2 with giaddr 192.168.1.1",
        "Router0: 192.168.1.1 → 10.0.0.2:67: DHCP DISCOVER xid",
        "Server0: 10.0.0.2 → 192.168.1.1:67: DHCP OFFER 192.168.1.10 lease 3600 s server 10.0.0.2 via relay 192.168.1.1",
        "Router0 note: relay OFFER back out of 192.168.1.1 (broadcast)",
        "Router0: 192.168.1.1 → 255.255.255.255:68 (broadcast): DHCP OFFER 192.168.1.10",
        "PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP REQUEST 192.168.1.10",
        "Router0: 192.168.1.1 → 10.0.0.2:67: DHCP REQUEST",
        "Router0: 192.168.1.1 → 255.255.255.255:68 (broadcast): DHCP ACK 192.168.1.10",
        "PC0 event: address 192.168.1.10/255.255.255.0",
    ]);
    assert_eq!(lan.server_ref(s).leases().leases[0].pool, "LAN");
    let c = lan.client_ref(pc).config().unwrap();
    assert_eq!(
        (c.server, c.gateway),
        (Some(ip("10.0.0.2")), Some(ip("192.168.1.1")))
    );
    // Renewal goes straight to the server (routed), still from pool LAN.
    lan.run_until(1_802);
    lan.expect(&[
        "PC0: 192.168.1.10 → 10.0.0.2:67: DHCP REQUEST",
        "Server0: 10.0.0.2 → 192.168.1.10:68: DHCP ACK 192.168.1.10",
    ]);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")));
}

#[test]
fn infinite_lease_never_expires() {
    let (mut lan, s) = one_server(10, LeaseTime::Infinite);
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(1);
    lan.expect(&[
        "DHCP OFFER 192.168.1.10 lease infinite",
        "PC0 note: bound to 192.168.1.10 for ever (infinite lease)",
    ]);
    assert_eq!(lan.client_ref(pc).poll_timeout(), None);
    assert_eq!(lan.server_ref(s).poll_timeout(), None);
    lan.run_until(30 * 86_400);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")));
    assert_eq!(lan.server_ref(s).leases().leases[0].expires, None);
}

#[test]
fn reservations_and_excluded_addresses() {
    let mut pool = lan_pool(4, LeaseTime::Days(1));
    pool.excluded = vec![ip("192.168.1.10"), ip("192.168.1.11")];
    pool.reservations = vec![Reservation {
        mac: mac(9),
        address: ip("192.168.1.12"),
    }];
    let mut lan = Lan::new();
    lan.server("Server0", 0, "192.168.1.1", ServerConfig::new(vec![pool]));
    let a = lan.client("PC0", 0, 1);
    lan.run_until(1);
    assert_eq!(
        lan.addr(a),
        Some(ip("192.168.1.13")),
        "skips excluded .10, .11 and reserved .12"
    );
    let b = lan.client("PC1", 0, 2);
    lan.run_until(2);
    lan.expect(&["pool LAN has 0 free addresses: no OFFER to 02:4c:00:00:02:00"]);
    assert_eq!(lan.addr(b), None);
    let r = lan.client("Printer", 0, 9);
    lan.run_until(3);
    assert_eq!(lan.addr(r), Some(ip("192.168.1.12")));
}

#[test]
fn reservation_outside_the_range_survives_a_server_restart() {
    let mut pool = lan_pool(4, LeaseTime::Days(1));
    pool.reservations = vec![Reservation {
        mac: mac(9),
        address: ip("192.168.1.200"),
    }];
    let mut lan = Lan::new();
    let s = lan.server("Server0", 0, "192.168.1.1", ServerConfig::new(vec![pool]));
    let printer = lan.client("Printer", 0, 9);
    lan.run_until(1);
    assert_eq!(lan.addr(printer), Some(ip("192.168.1.200")));
    // The server forgets its leases; the printer reboots (INIT-REBOOT): the
    // reservation is record enough to ACK.
    lan.replace_server(
        s,
        crate::dhcp::Server::new(lan.server_ref(s).config().clone()),
    );
    lan.act(printer, |c, now| c.reboot(now));
    lan.run_until(2);
    lan.expect(&[
        "1.000000s Printer: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP REQUEST 192.168.1.200",
        "DHCP ACK 192.168.1.200",
    ]);
    assert_eq!(lan.addr(printer), Some(ip("192.168.1.200")));
}

#[test]
fn decline_is_for_the_named_server_only() {
    let mut lan = Lan::new();
    let s0 = lan.server(
        "Server0",
        0,
        "192.168.1.1",
        ServerConfig::new(vec![lan_pool(10, LeaseTime::Days(1))]),
    );
    let mut other = lan_pool(10, LeaseTime::Days(1));
    other.start = ip("192.168.1.100");
    let s1 = lan.server("Server1", 0, "192.168.1.2", ServerConfig::new(vec![other]));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(1);
    lan.act(pc, |c, now| c.decline(now));
    lan.run_until(2);
    assert_eq!(
        lan.server_ref(s0).leases().leases[0].state,
        LeaseState::Declined
    );
    assert!(lan.server_ref(s1).leases().leases.is_empty());
}

#[test]
fn host_with_two_nics_runs_dhcp_on_each() {
    let mut lan = Lan::new();
    lan.server(
        "Server0",
        0,
        "192.168.1.1",
        ServerConfig::new(vec![lan_pool(10, LeaseTime::Days(1))]),
    );
    let other = PoolConfig::new(
        "LAB",
        ip("10.9.0.0"),
        ip("255.255.0.0"),
        ip("10.9.0.50"),
        10,
    );
    lan.server("Server1", 1, "10.9.0.1", ServerConfig::new(vec![other]));
    let nic0 = lan.client("PC0-eth0", 0, 1);
    let nic1 = lan.client("PC0-eth1", 1, 2);
    lan.run_until(1);
    assert_eq!(lan.addr(nic0), Some(ip("192.168.1.10")));
    assert_eq!(lan.addr(nic1), Some(ip("10.9.0.50")));
    assert_eq!(
        lan.client_ref(nic1).config().unwrap().mask,
        ip("255.255.0.0")
    );
}

#[test]
fn unicast_replies_when_the_broadcast_flag_is_clear() {
    let (mut lan, _) = one_server(10, LeaseTime::Days(1));
    let mut cfg = ClientConfig::new(mac(1), 1);
    cfg.broadcast_flag = false;
    let pc = lan.client_with("PC0", 0, cfg);
    lan.run_until(1);
    lan.expect(&[
        "Server0: 192.168.1.1 → 192.168.1.10:68 at 02:4c:00:00:01:00: DHCP OFFER",
        "Server0: 192.168.1.1 → 192.168.1.10:68 at 02:4c:00:00:01:00: DHCP ACK",
    ]);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.10")));
}

#[test]
fn decline_holds_the_address_and_client_retries_after_ten_seconds() {
    let (mut lan, s) = one_server(10, LeaseTime::Days(1));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(1);
    lan.act(pc, |c, now| c.decline(now));
    lan.run_until(12);
    lan.expect(&[
        "PC0 note: 192.168.1.10 is already in use: DECLINE sent",
        "PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DECLINE 192.168.1.10",
        "Server0 note: 02:4c:00:00:01:00 says 192.168.1.10 is already in use: held out of the pool for 600 s",
        "11.000000s PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER",
        "DHCP OFFER 192.168.1.11",
    ]);
    assert_eq!(lan.addr(pc), Some(ip("192.168.1.11")));
    lan.run_until(700);
    lan.expect(&["Server0 note: declined address 192.168.1.10 back in the pool"]);
    assert_eq!(lan.server_ref(s).free_count("LAN"), Some(9));
}

#[test]
fn unanswered_offer_lapses_back_to_the_pool() {
    let (mut lan, s) = one_server(10, LeaseTime::Days(1));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(0);
    // The client vanishes before it sees the OFFER.
    lan.nodes.remove(pc);
    lan.run_until(120);
    lan.expect(&["60.001000s Server0 note: offer of 192.168.1.10 to 02:4c:00:00:01:00 not taken: back to the pool"]);
    assert!(lan.server_ref(s).leases().leases.is_empty());
}

#[test]
fn same_seed_same_run() {
    let run = || {
        let mut lan = Lan::new();
        lan.client("PC0", 0, 7);
        lan.run_until(1_000);
        lan.log
    };
    let a = run();
    assert_eq!(a, run());
    // No server: DISCOVERs at 0, then about 4, 8, 16 s apart; fallback at 60 s.
    let times: Vec<f64> = a
        .iter()
        .filter(|l| l.contains("PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER"))
        .map(|l| l.split('s').next().unwrap().parse().unwrap())
        .collect();
    let gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    for (g, base) in gaps.iter().zip([4.0, 8.0, 16.0, 32.0]) {
        assert!((g - base).abs() <= 1.0, "gaps {gaps:?}");
    }
    assert!(
        a.iter()
            .any(|l| l.starts_with("60.000000s PC0 note: DHCP failed: using 169.254.")),
        "{a:?}"
    );
}

#[test]
fn server_that_forgot_its_leases_naks_a_renewal_of_a_reused_address() {
    let (mut lan, s) = one_server(10, LeaseTime::Minutes(10));
    let pc0 = lan.client("PC0", 0, 1);
    lan.run_until(1);
    // The server restarts with an empty lease table; PC1 gets .10 too.
    lan.replace_server(
        s,
        crate::dhcp::Server::new(lan.server_ref(s).config().clone()),
    );
    let pc1 = lan.client("PC1", 0, 2);
    lan.run_until(2);
    assert_eq!(lan.addr(pc1), Some(ip("192.168.1.10")));
    lan.run_until(301);
    lan.expect(&[
        "PC0: 192.168.1.10 → 192.168.1.1:67: DHCP REQUEST 192.168.1.10",
        "Server0 note: NAK 192.168.1.10 to 02:4c:00:00:01:00: address belongs to another client",
        "PC0 note: NAK from 192.168.1.1",
        "PC0 event: 192.168.1.10 removed",
        "PC0: 0.0.0.0 → 255.255.255.255:67 (broadcast): DHCP DISCOVER",
        "PC0 event: address 192.168.1.11/255.255.255.0",
    ]);
    assert_eq!(lan.addr(pc0), Some(ip("192.168.1.11")));
}

#[test]
fn inform_gets_options_without_a_lease() {
    use crate::dhcp::{Arrival, Destination, Message, MessageType, OpCode, Server};
    let mut server = Server::new(ServerConfig::new(vec![lan_pool(10, LeaseTime::Days(1))]));
    let mut inform = Message::new(OpCode::BootRequest, MessageType::Inform, 7, mac(5));
    inform.ciaddr = ip("192.168.1.200");
    let arrival = Arrival {
        interface: ip("192.168.1.1"),
    };
    server.handle_bytes(SimTime::ZERO, arrival, &inform.to_bytes());
    let tx = server.poll_transmit().unwrap();
    assert_eq!(
        tx.dst,
        Destination::Unicast {
            ip: ip("192.168.1.200"),
            port: 68
        }
    );
    let m = tx.message;
    assert_eq!(m.kind(), Some(MessageType::Ack));
    assert_eq!(m.options.lease_time, None, "RFC 2131 §4.3.5: no lease time");
    assert!(m.yiaddr.is_unspecified());
    assert_eq!(m.options.routers, vec![ip("192.168.1.1")]);
    assert_eq!(m.options.domain_name.as_deref(), Some("hasan.com"));
    assert_eq!(
        server.poll_note().unwrap().to_string(),
        "INFORM from 192.168.1.200: options sent, no lease"
    );
    assert!(server.leases().leases.is_empty());
    // Garbage is a note, not a panic.
    server.handle_bytes(SimTime::ZERO, arrival, b"hello");
    assert_eq!(
        server.poll_note().unwrap().to_string(),
        "malformed DHCP message ignored: DHCP message is truncated: 5 bytes, at least 240 needed"
    );
}

#[test]
fn lease_table_is_serde_data() {
    let (mut lan, s) = one_server(10, LeaseTime::Days(1));
    lan.client("PC0", 0, 1);
    lan.run_until(1);
    let table = lan.server_ref(s).leases();
    let json = serde_json::to_string(table).unwrap();
    assert!(json.contains("\"mac\":\"02:4c:00:00:01:00\""), "{json}");
    assert!(json.contains("\"state\":\"bound\""), "{json}");
    let back: crate::dhcp::LeaseTable = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, table);
    let restored = crate::dhcp::Server::with_leases(lan.server_ref(s).config().clone(), back);
    assert_eq!(restored.free_count("LAN"), Some(9));
}

#[test]
fn stop_drops_the_address_quietly_and_clear_leases_empties_the_table() {
    let (mut lan, s) = one_server(10, LeaseTime::Hours(1));
    let pc = lan.client("PC0", 0, 1);
    lan.run_until(1);
    let sent = lan.log.len();
    lan.act(pc, |c, _| c.stop());
    lan.run_until(10_000);
    assert_eq!(lan.addr(pc), None);
    assert_eq!(lan.client_ref(pc).state(), ClientState::Init);
    assert_eq!(lan.log[sent..].len(), 2, "{:?}", &lan.log[sent..]); // removed + server expiry
    lan.expect(&[
        "PC0 event: 192.168.1.10 removed",
        "Server0 note: lease of 192.168.1.10 expired",
    ]);
    let mut server = lan.server_ref(s).clone();
    server.clear_leases();
    assert!(server.leases().leases.is_empty());
}
