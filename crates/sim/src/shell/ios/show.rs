//! The `show` commands of running state at a router's and a switch's
//! console (routes, ARP, interfaces, DHCP leases, the MAC table), in the
//! shape Cisco IOS prints them.

use lanlab_proto::SimTime;

use crate::device::{Router, Switch};
use crate::lab::MacAddr;

/// `FastEthernet0/1` → `Fa0/1`, `GigabitEthernet0/0` → `Gi0/0`.
pub fn short_port(name: &str) -> String {
    for (long, short) in [("FastEthernet", "Fa"), ("GigabitEthernet", "Gi")] {
        if let Some(rest) = name.strip_prefix(long) {
            return format!("{short}{rest}");
        }
    }
    name.to_string()
}

fn cisco_mac(m: MacAddr) -> String {
    let b = m.0;
    format!(
        "{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5]
    )
}

fn words(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect()
}

const INVALID: &str = "% Invalid input detected. This console knows: ";

/// Runs a command at a router's console. Returns the text and whether it was understood.
pub fn router(r: &Router, line: &str, now: SimTime) -> (String, bool) {
    let w = words(line);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    match w.as_slice() {
        ["show", "ip", "route"] | ["sh", "ip", "route"] => (show_ip_route(r, now), true),
        ["show", "arp"] | ["sh", "arp"] | ["show", "ip", "arp"] => (show_arp(r, now), true),
        ["show", "ip", "interface", "brief"] | ["sh", "ip", "int", "brief"] => {
            (show_ip_interface_brief(r), true)
        }
        ["show", "access-lists"] | ["sh", "access-lists"] => (r.show_access_lists(), true),
        _ => (
            format!(
                "{INVALID}show ip route, show arp, show ip interface brief, show access-lists\n"
            ),
            false,
        ),
    }
}

/// Runs a command at a switch's console.
pub fn switch(s: &Switch, line: &str, now: SimTime) -> (String, bool) {
    let w = words(line);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    match w.as_slice() {
        ["show", "mac", "address-table"] | ["show", "mac-address-table"] => {
            (show_mac_table(s, now), true)
        }
        _ => (format!("{INVALID}show mac address-table\n"), false),
    }
}

fn show_ip_route(r: &Router, now: SimTime) -> String {
    lanlab_proto::net::route::show::show_ip_route(r.route_table(), &r.interface_names(), now)
}

fn show_arp(r: &Router, now: SimTime) -> String {
    let mut out =
        String::from("Protocol  Address          Age (min)  Hardware Addr   Type   Interface\n");
    for (k, name) in r.interface_names().iter().enumerate() {
        for e in r.arp_entries(k, now) {
            let age = (now.as_micros().saturating_sub(
                e.expires
                    .as_micros()
                    .saturating_sub(crate::device::router::ROUTER_ARP_TTL.as_micros() as u64),
            )) / 60_000_000;
            out.push_str(&format!(
                "Internet  {:<17}{:>9}   {}  ARPA   {name}\n",
                e.ip.to_string(),
                age,
                cisco_mac(MacAddr(e.mac.0))
            ));
        }
    }
    out
}

fn show_ip_interface_brief(r: &Router) -> String {
    let mut out = String::from(
        "Interface              IP-Address      OK? Method Status                Protocol\n",
    );
    for (name, net) in r.interface_names().iter().zip(r.interface_addresses()) {
        let addr = net.map_or("unassigned".to_string(), |n| n.addr.to_string());
        out.push_str(&format!(
            "{name:<23}{addr:<16}YES manual up                    up\n"
        ));
    }
    out
}

fn show_mac_table(s: &Switch, now: SimTime) -> String {
    let mut out = String::from(
        "          Mac Address Table\n-------------------------------------------\n\nVlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n",
    );
    for e in s.mac_table(now) {
        out.push_str(&format!(
            "{:>4}    {}    DYNAMIC     {}\n",
            e.vlan,
            cisco_mac(e.mac),
            short_port(&e.port_name)
        ));
    }
    out
}

/// Renders a `show` of running state; false when it does not apply here.
pub fn render(
    s: super::Show,
    node: &crate::device::Node,
    d: &crate::lab::Device,
    cabled: &[bool],
    now: SimTime,
    start_unix: u64,
) -> (String, bool) {
    use super::Show;
    use crate::device::Node;
    match (s, node) {
        (Show::IpRoute, Node::Router(r)) => (show_ip_route(r, now), true),
        (Show::Arp, Node::Router(r)) => (show_arp(r, now), true),
        (Show::IpIntBrief, Node::Switch(sw)) => {
            let mut out = ip_interface_brief(d, cabled);
            out.push_str(&super::svi::brief_lines(d, &sw.svi_status()));
            (out, true)
        }
        (Show::IpIntBrief, _) => (ip_interface_brief(d, cabled), true),
        (Show::Interfaces, _) => (interfaces(d, cabled), true),
        (Show::AccessLists, Node::Router(r)) => (r.show_access_lists(), true),
        (Show::NatTranslations, Node::Router(r)) => (r.show_nat_translations(now, false), true),
        (Show::NatTranslationsVerbose, Node::Router(r)) => {
            (r.show_nat_translations(now, true), true)
        }
        (Show::NatStatistics, Node::Router(r)) => (r.show_nat_statistics(now), true),
        (Show::RipDatabase, Node::Router(r)) => (r.show_ip_rip_database(now), true),
        (Show::IpProtocols, Node::Router(r)) => {
            (r.show_ip_protocols(now, d.ios.rip.as_ref()), true)
        }
        (
            Show::OspfNeighbor
            | Show::OspfInterface
            | Show::OspfInterfaceBrief
            | Show::OspfDatabase,
            Node::Router(r),
        ) => (super::ospf::show(s, r, d, now), true),
        (Show::MacTable, Node::Switch(sw)) => (show_mac_table(sw, now), true),
        (Show::SpanningTree(v), Node::Switch(sw)) => (super::stp::show(sw, d, v), true),
        (Show::VlanBrief, Node::Switch(_)) => (super::vlan::show_vlan_brief(d), true),
        (Show::InterfacesTrunk, Node::Switch(_)) => {
            (super::vlan::show_interfaces_trunk(d, cabled), true)
        }
        (Show::DhcpBinding, Node::Router(r)) => (dhcp_binding(r, start_unix), true),
        (Show::DhcpPool, Node::Router(r)) => (dhcp_pool(r), true),
        (Show::IpRoute, Node::Switch(sw)) => match sw.router() {
            Some(r) if d.ios.vlan.ip_routing => (show_ip_route(r, now), true),
            Some(_) => ("Default gateway is not set\n\nHost               Gateway           Last Use    Total Uses  Interface\nICMP redirect cache is empty\n".into(), true),
            None => (String::new(), true),
        },
        (Show::Arp, Node::Switch(sw)) => match sw.router() {
            Some(r) => (show_arp(r, now), true),
            None => (String::new(), true),
        },
        _ => (
            "% lanlab: this show command has nothing to show on this device.\n".into(),
            false,
        ),
    }
}

fn status(d: &crate::lab::Device, cabled: &[bool], k: usize) -> (&'static str, &'static str) {
    if d.ports[k].shutdown {
        ("administratively down", "down")
    } else if cabled.get(k).copied().unwrap_or(false) {
        ("up", "up")
    } else {
        ("down", "down")
    }
}

fn ip_interface_brief(d: &crate::lab::Device, cabled: &[bool]) -> String {
    let mut out = String::from(
        "Interface              IP-Address      OK? Method Status                Protocol\n",
    );
    for (k, p) in d.ports.iter().enumerate() {
        let (addr, method) = match &p.ip {
            crate::config::IpConfig::Static(s) => (s.address.to_string(), "manual"),
            crate::config::IpConfig::Dhcp => ("unassigned".to_string(), "DHCP"),
            crate::config::IpConfig::None => ("unassigned".to_string(), "unset"),
        };
        let (st, proto) = status(d, cabled, k);
        out.push_str(&format!(
            "{:<23}{addr:<16}YES {method:<7}{st:<22}{proto}\n",
            p.name
        ));
        // A router's sub-interfaces follow their port.
        for sub in d.ios.vlan.subifs.iter().filter(|s| s.port == k) {
            let addr = sub
                .address
                .map_or("unassigned".to_string(), |(a, _)| a.to_string());
            let method = if sub.address.is_some() {
                "manual"
            } else {
                "unset"
            };
            let (st, proto) = if sub.shutdown {
                ("administratively down", "down")
            } else {
                (st, proto)
            };
            let name = format!("{}.{}", p.name, sub.number);
            out.push_str(&format!(
                "{name:<23}{addr:<16}YES {method:<7}{st:<22}{proto}\n"
            ));
        }
    }
    if let Some(svi) = &d.ios.vlan1 {
        let addr = svi
            .address
            .map_or("unassigned".to_string(), |(a, _)| a.to_string());
        let (st, proto) = if svi.shutdown {
            ("administratively down", "down")
        } else {
            ("up", "up")
        };
        out.push_str(&format!(
            "{:<23}{addr:<16}YES manual {st:<22}{proto}\n",
            "Vlan1"
        ));
    }
    out
}

fn interfaces(d: &crate::lab::Device, cabled: &[bool]) -> String {
    let mut out = String::new();
    for (k, p) in d.ports.iter().enumerate() {
        let (st, proto) = status(d, cabled, k);
        let mac = cisco_mac(p.mac);
        out.push_str(&format!(
            "{} is {st}, line protocol is {proto}\n  Hardware is Lance, address is {mac} (bia {mac})\n",
            p.name
        ));
        if !p.description.is_empty() {
            out.push_str(&format!("  Description: {}\n", p.description));
        }
        if let Some(n) = p.ip.as_static().and_then(|s| s.net()) {
            out.push_str(&format!("  Internet address is {n}\n"));
        }
        out.push_str("  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,\n  Encapsulation ARPA, loopback not set\n");
    }
    out
}

fn dhcp_binding(r: &Router, start_unix: u64) -> String {
    let mut out = String::from(
        "IP address       Client-ID/              Lease expiration        Type\n                 Hardware address\n",
    );
    if let Some(s) = r.dhcp_server() {
        for l in &s.leases().leases {
            let exp = match l.expires {
                Some(t) => lanlab_proto::http::format_http_date(start_unix + t.0 / 1_000_000),
                None => "Infinite".into(),
            };
            let mac = cisco_mac(MacAddr(l.mac.0));
            out.push_str(&format!(
                "{:<17}{:<24}{exp:<24}Automatic\n",
                l.address.to_string(),
                mac
            ));
        }
    }
    out
}

fn dhcp_pool(r: &Router) -> String {
    let mut out = String::new();
    let Some(s) = r.dhcp_server() else {
        return out;
    };
    for p in &s.config().pools {
        let total = p.range().count();
        let leased = s
            .leases()
            .leases
            .iter()
            .filter(|l| l.pool == p.name)
            .count();
        out.push_str(&format!(
            "\nPool {} :\n Utilization mark (high/low)    : 100 / 0\n Subnet size (first/next)       : 0 / 0\n Total addresses                : {total}\n Leased addresses               : {leased}\n Excluded addresses             : {}\n Pending event                  : none\n 1 subnet is currently in the pool :\n Current index        IP address range                    Leased/Excluded/Total\n {:<21}{:<15} - {:<18}{leased} / {} / {total}\n",
            p.name,
            p.excluded.len(),
            p.start.to_string(),
            p.start.to_string(),
            p.range().last().map(|a| a.to_string()).unwrap_or_default(),
            p.excluded.len()
        ));
    }
    out
}
