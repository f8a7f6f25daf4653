//! DHCP through the service framework: a server's pool, clients on a LAN,
//! release and renew, exhaustion and fallback.

use std::net::Ipv4Addr;

use lanlab_proto::dhcp::{PoolConfig, ServerConfig};
use lanlab_sim::services::{DhcpService, Services};
use lanlab_sim::testnet::TestNet;
use lanlab_sim::{Engine, JobStatus};

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

fn pool(max: u32) -> DhcpService {
    let mut p = PoolConfig::new(
        "LAN",
        ip("192.168.1.0"),
        ip("255.255.255.0"),
        ip("192.168.1.10"),
        max,
    );
    p.gateway = Some(ip("192.168.1.1"));
    p.dns_servers = vec![ip("192.168.1.1")];
    DhcpService {
        enabled: true,
        config: ServerConfig::new(vec![p]),
    }
}

fn lan(max: u32) -> Engine {
    TestNet::new()
        .server("Server0", "192.168.1.1/24", None)
        .switch("Switch0", 8)
        .pc_dhcp("PC0")
        .pc_dhcp("PC1")
        .link("Server0", "Switch0")
        .link("PC0", "Switch0")
        .link("PC1", "Switch0")
        .services("Server0", |s: &mut Services| s.dhcp = Some(pool(max)))
        .build()
}

fn all_notes(e: &Engine) -> String {
    e.trace()
        .events()
        .map(|ev| e.describe(ev))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn clients_get_leases_and_ping_the_server() {
    let mut e = lan(50);
    e.run_until(lanlab_proto::SimTime::from_secs(5));
    let j = e.command("PC0", "ipconfig /all").unwrap();
    let out = e.job(j).unwrap().output.clone();
    assert!(
        out.contains("IPv4 Address. . . . . . . . . . . : 192.168.1.1"),
        "{out}"
    );
    assert!(
        out.contains("DHCP Server . . . . . . . . . . . : 192.168.1.1"),
        "{out}"
    );
    assert!(out.contains("Lease Obtained"), "{out}");
    assert!(
        out.contains("DNS Servers . . . . . . . . . . . : 192.168.1.1"),
        "{out}"
    );
    let p = e.command("PC1", "ping -n 1 192.168.1.1").unwrap();
    e.run_until(e.now() + std::time::Duration::from_secs(10));
    assert_eq!(e.job(p).unwrap().status, JobStatus::Succeeded);
    let notes = all_notes(&e);
    assert!(notes.contains("DHCP server: "), "{notes}");
    assert!(notes.contains("offer 192.168.1.1"), "{notes}");
    assert!(
        notes.contains("DHCP client: took the first offer"),
        "{notes}"
    );
}

#[test]
fn exhausted_pool_falls_back_to_link_local() {
    let mut e = lan(1);
    e.run_until(lanlab_proto::SimTime::from_secs(120));
    let a = e.command("PC0", "ipconfig").unwrap();
    let b = e.command("PC1", "ipconfig").unwrap();
    let both = format!("{}{}", e.job(a).unwrap().output, e.job(b).unwrap().output);
    assert!(both.contains("192.168.1.10"), "{both}");
    assert!(
        both.contains("Autoconfiguration IPv4 Address. . : 169.254."),
        "{both}"
    );
}

#[test]
fn release_and_renew() {
    let mut e = lan(50);
    e.run_until(lanlab_proto::SimTime::from_secs(5));
    let r = e.command("PC0", "ipconfig /release").unwrap();
    assert_eq!(e.job(r).unwrap().status, JobStatus::Succeeded);
    assert!(
        !e.job(r).unwrap().output.contains("192.168.1.1"),
        "{}",
        e.job(r).unwrap().output
    );
    let n = e.command("PC0", "ipconfig /renew").unwrap();
    e.run_until(e.now() + std::time::Duration::from_secs(5));
    let job = e.job(n).unwrap();
    assert_eq!(job.status, JobStatus::Succeeded, "{}", job.output);
    assert!(
        job.output
            .contains("IPv4 Address. . . . . . . . . . . : 192.168.1.1"),
        "{}",
        job.output
    );
}

#[test]
fn server_down_clients_keep_the_lease_until_it_expires() {
    let mut e = TestNet::new()
        .server("Server0", "192.168.1.1/24", None)
        .switch("Switch0", 8)
        .pc_dhcp("PC0")
        .link("Server0", "Switch0")
        .link("PC0", "Switch0")
        .services("Server0", |s: &mut Services| {
            let mut d = pool(50);
            d.config.pools[0].lease_time = lanlab_proto::dhcp::LeaseTime::Minutes(2);
            s.dhcp = Some(d);
        })
        .build();
    e.run_until(lanlab_proto::SimTime::from_secs(5));
    e.act(lanlab_sim::Action::Power {
        device: "Server0".into(),
        on: false,
    })
    .unwrap();
    // Renewal at T1 (60 s) and rebinding at T2 go unanswered; the lease holds.
    e.run_until(lanlab_proto::SimTime::from_secs(100));
    let j = e.command("PC0", "ipconfig").unwrap();
    assert!(
        e.job(j).unwrap().output.contains(": 192.168.1.10"),
        "{}",
        e.job(j).unwrap().output
    );
    // Past expiry (120 s) the address is gone: link-local fallback.
    e.run_until(lanlab_proto::SimTime::from_secs(400));
    let j = e.command("PC0", "ipconfig").unwrap();
    let out = e.job(j).unwrap().output.clone();
    assert!(!out.contains("192.168.1.10"), "{out}");
}

#[test]
fn a_host_with_two_nics_runs_dhcp_on_each() {
    use lanlab_sim::{DeviceKind, IpConfig, LinkEnd, Point};
    let mut lab = TestNet::new()
        .server("ServerA", "192.168.1.1/24", None)
        .server("ServerB", "10.9.0.1/24", None)
        .services("ServerA", |s: &mut Services| s.dhcp = Some(pool(50)))
        .services("ServerB", |s: &mut Services| {
            let mut p = PoolConfig::new(
                "B",
                ip("10.9.0.0"),
                ip("255.255.255.0"),
                ip("10.9.0.100"),
                10,
            );
            p.gateway = None;
            s.dhcp = Some(DhcpService {
                enabled: true,
                config: ServerConfig::new(vec![p]),
            });
        })
        .into_lab();
    let pc = lab.add_device_with_ports(DeviceKind::Pc, Point::default(), 2);
    lab.rename_device(pc, "PC0").unwrap();
    for k in 0..2 {
        lab.device_mut(pc).unwrap().ports[k].ip = IpConfig::Dhcp;
    }
    let a = lab.device_by_name("ServerA").unwrap().id;
    let b = lab.device_by_name("ServerB").unwrap().id;
    lab.connect_ports(
        LinkEnd {
            device: pc,
            port: 0,
        },
        LinkEnd { device: a, port: 0 },
    )
    .unwrap();
    lab.connect_ports(
        LinkEnd {
            device: pc,
            port: 1,
        },
        LinkEnd { device: b, port: 0 },
    )
    .unwrap();
    let mut e = Engine::with_seed(&lab, 1).unwrap();
    e.run_until(lanlab_proto::SimTime::from_secs(5));
    let j = e.command("PC0", "ipconfig").unwrap();
    let out = e.job(j).unwrap().output.clone();
    assert!(out.contains(": 192.168.1.10"), "{out}");
    assert!(out.contains(": 10.9.0.100"), "{out}");
}
