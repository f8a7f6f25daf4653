//! The read-only `show` commands of a router's and a switch's console, in
//! the shape Cisco IOS prints them.

use lanlab_proto::SimTime;
use lanlab_proto::net::RouteOrigin;

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
        ["show", "ip", "route"] | ["sh", "ip", "route"] => (show_ip_route(r), true),
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

fn show_ip_route(r: &Router) -> String {
    let names = r.interface_names();
    let mut out = String::from("Codes: C - connected, S - static\n\n");
    let default = r
        .routes()
        .iter()
        .find(|x| x.dest.prefix == 0)
        .and_then(|x| x.next_hop);
    match default {
        Some(gw) => out.push_str(&format!(
            "Gateway of last resort is {gw} to network 0.0.0.0\n\n"
        )),
        None => out.push_str("Gateway of last resort is not set\n\n"),
    }
    for x in r.routes() {
        let port = names.get(x.iface).map(String::as_str).unwrap_or("?");
        match (x.origin, x.next_hop) {
            (RouteOrigin::Connected, _) | (_, None) => {
                out.push_str(&format!("C    {} is directly connected, {port}\n", x.dest))
            }
            (RouteOrigin::Static, Some(h)) => {
                out.push_str(&format!("S    {} [1/0] via {h}\n", x.dest))
            }
        }
    }
    out
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
            "   1    {}    DYNAMIC     {}\n",
            cisco_mac(e.mac),
            short_port(&e.port_name)
        ));
    }
    out
}
