//! `show running-config`, rendered from the lab document, and `show
//! version`. The running configuration read back line by line gives the
//! same document configuration (that is how `reload` restores the saved
//! startup configuration).

use lanlab_doc::ios::type7_encode;
use lanlab_proto::dhcp::LeaseTime;
use lanlab_proto::firewall::{AclMatch, AddrSpec, Direction};

use crate::config::IpConfig;
use crate::lab::{Device, DeviceKind};

/// The IOS text of a device's configuration.
pub fn running_config(d: &Device) -> String {
    let mut o = String::new();
    let mut line = |s: &str| {
        o.push_str(s);
        o.push('\n');
    };
    line("!");
    line("version 15.1");
    line("no service timestamps log datetime msec");
    line("no service timestamps debug datetime msec");
    if d.ios.password_encryption {
        line("service password-encryption");
    }
    line("!");
    line(&format!("hostname {}", d.name));
    line("!");
    if !d.ios.enable_secret.is_empty() {
        line(&format!("enable secret 5 {}", d.ios.enable_secret));
        line("!");
    }
    for u in &d.ios.users {
        if d.ios.password_encryption {
            line(&format!(
                "username {} password 7 {}",
                u.name,
                type7_encode(&u.password)
            ));
        } else {
            line(&format!("username {} password {}", u.name, u.password));
        }
    }
    if !d.ios.users.is_empty() {
        line("!");
    }
    for r in &d.ios.dhcp_excluded {
        if r.first == r.last {
            line(&format!("ip dhcp excluded-address {}", r.first));
        } else {
            line(&format!("ip dhcp excluded-address {} {}", r.first, r.last));
        }
    }
    if let Some(dhcp) = &d.services.dhcp {
        if !d.ios.dhcp_excluded.is_empty() {
            line("!");
        }
        for p in &dhcp.config.pools {
            line(&format!("ip dhcp pool {}", p.name));
            if p.mask != std::net::Ipv4Addr::BROADCAST {
                line(&format!(" network {} {}", p.network, p.mask));
            }
            if let Some(g) = p.gateway {
                line(&format!(" default-router {g}"));
            }
            if !p.dns_servers.is_empty() {
                let dns: Vec<String> = p.dns_servers.iter().map(ToString::to_string).collect();
                line(&format!(" dns-server {}", dns.join(" ")));
            }
            if let Some(n) = &p.domain_name {
                line(&format!(" domain-name {n}"));
            }
            match p.lease_time {
                LeaseTime::Days(1) => {}
                LeaseTime::Days(n) => line(&format!(" lease {n}")),
                LeaseTime::Hours(h) => line(&format!(" lease {} {}", h / 24, h % 24)),
                LeaseTime::Minutes(m) => {
                    line(&format!(" lease {} {} {}", m / 1440, m / 60 % 24, m % 60))
                }
                LeaseTime::Infinite => line(" lease infinite"),
            }
            line("!");
        }
    }
    let stp = super::stp::global_lines(d);
    for l in &stp {
        line(l);
    }
    if !stp.is_empty() {
        line("!");
    }
    for l in super::vlan::global_lines(d) {
        line(&l);
    }
    for (k, p) in d.ports.iter().enumerate() {
        line(&format!("interface {}", p.name));
        if !p.description.is_empty() {
            line(&format!(" description {}", p.description));
        }
        match &p.ip {
            IpConfig::Static(s) => line(&format!(" ip address {} {}", s.address, s.mask)),
            IpConfig::Dhcp => line(" ip address dhcp"),
            IpConfig::None if d.kind == DeviceKind::Router => line(" no ip address"),
            IpConfig::None => {}
        }
        for r in d
            .services
            .dhcp_relay
            .iter()
            .filter(|r| r.interface == p.name)
        {
            for h in &r.helpers {
                line(&format!(" ip helper-address {h}"));
            }
        }
        if let Some(acl) = &d.services.acl {
            for b in acl
                .bindings
                .iter()
                .filter(|b| b.interface.eq_ignore_ascii_case(&p.name))
            {
                let dir = match b.direction {
                    Direction::In => "in",
                    Direction::Out => "out",
                };
                line(&format!(" ip access-group {} {dir}", b.acl));
            }
        }
        if d.ios.no_unreachables.contains(&k) {
            line(" no ip unreachables");
        }
        if let Some(l) = super::nat::interface_line(d, k) {
            line(l);
        }
        for l in super::ospf::interface_lines(d, k) {
            line(&l);
        }
        for l in super::vlan::interface_lines(d, k) {
            line(&l);
        }
        if let Some(l) = super::stp::interface_line(d, k) {
            line(l);
        }
        if d.kind == DeviceKind::Router {
            line(" duplex auto");
            line(" speed auto");
        }
        if p.shutdown {
            line(" shutdown");
        }
        line("!");
        for l in super::vlan::subif_lines(d, k) {
            line(&l);
        }
    }
    if let Some(svi) = &d.ios.vlan1 {
        line("interface Vlan1");
        match svi.address {
            Some((a, m)) => line(&format!(" ip address {a} {m}")),
            None => line(" no ip address"),
        }
        if svi.shutdown {
            line(" shutdown");
        }
        line("!");
    }
    for l in super::svi::running_lines(d) {
        line(&l);
    }
    if let Some(g) = d.ios.default_gateway {
        line(&format!("ip default-gateway {g}"));
    }
    for l in super::rip::running_lines(d) {
        line(&l);
    }
    for l in super::nat::global_lines(d) {
        line(&l);
    }
    for l in super::ospf::global_lines(d) {
        line(&l);
    }
    line("ip classless");
    for r in &d.routes {
        match r.distance {
            Some(d) => line(&format!(
                "ip route {} {} {} {d}",
                r.network, r.mask, r.next_hop
            )),
            None => line(&format!("ip route {} {} {}", r.network, r.mask, r.next_hop)),
        }
    }
    line("!");
    if let Some(acl) = &d.services.acl {
        for l in &acl.lists {
            let entry = |e: &lanlab_proto::firewall::AclEntry| match &e.matcher {
                AclMatch::Standard {
                    source: AddrSpec::Wildcard { addr, wildcard },
                } => format!(
                    "{} {addr} {wildcard}",
                    if e.to_string().starts_with("permit") {
                        "permit"
                    } else {
                        "deny"
                    }
                ),
                AclMatch::Standard {
                    source: AddrSpec::Host(a),
                } => format!(
                    "{} host {a}",
                    if e.to_string().starts_with("permit") {
                        "permit"
                    } else {
                        "deny"
                    }
                ),
                _ => e.to_string(),
            };
            if l.is_numbered() {
                for r in &l.remarks {
                    line(&format!("access-list {} remark {r}", l.name));
                }
                for e in &l.entries {
                    line(&format!("access-list {} {}", l.name, entry(e)));
                }
            } else {
                line(&format!("ip access-list {} {}", l.kind, l.name));
                for r in &l.remarks {
                    line(&format!(" remark {r}"));
                }
                for e in &l.entries {
                    line(&format!(" {}", entry(e)));
                }
            }
        }
        line("!");
    }
    if !d.ios.banner_motd.is_empty() {
        line(&format!("banner motd ^C{}^C", d.ios.banner_motd));
        line("!");
    }
    let pw = |p: &str| {
        if d.ios.password_encryption {
            format!(" password 7 {}", type7_encode(p))
        } else {
            format!(" password {p}")
        }
    };
    for (head, l, vty) in [
        ("line con 0", &d.ios.console, false),
        ("line vty 0 4", &d.ios.vty, true),
    ] {
        line(head);
        if !l.password.is_empty() {
            line(&pw(&l.password));
        }
        // The vty lines ask for a password by default, as IOS shows.
        if l.login_local {
            line(" login local");
        } else if l.login || (vty && !l.no_login) {
            line(" login");
        } else if vty {
            line(" no login");
        }
        line("!");
    }
    line("end");
    format!("Current configuration : {} bytes\n{o}", o.len())
}

/// `show version`, plausible for a lab router or switch.
pub fn version(d: &Device) -> String {
    let (model, image, ports) = match d.kind {
        DeviceKind::Switch => ("WS-C2960-24TT-L", "C2960-LANBASEK9-M", "FastEthernet"),
        DeviceKind::MultilayerSwitch => ("WS-C3560-24PS", "C3560-IPSERVICESK9-M", "FastEthernet"),
        _ => ("CISCO2911/K9", "C2900-UNIVERSALK9-M", "Gigabit Ethernet"),
    };
    format!(
        "Cisco IOS Software, {image}, Version 15.1(4)M4, RELEASE SOFTWARE (fc2)\n\
         Technical Support: http://www.cisco.com/techsupport\n\
         Copyright (c) 1986-2012 by Cisco Systems, Inc.\n\n\
         ROM: System Bootstrap, Version 15.1(4)M4, RELEASE SOFTWARE (fc1)\n\n\
         {} uptime is 0 minutes\n\
         System image file is \"flash0:{}.bin\"\n\n\
         cisco {model} (revision 1.0) with 491520K/32768K bytes of memory.\n\
         {} {ports} interfaces\n\
         255K bytes of non-volatile configuration memory.\n\n\
         Configuration register is 0x2102\n",
        d.name,
        image.to_ascii_lowercase(),
        d.ports.len()
    )
}
