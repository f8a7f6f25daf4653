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
