//! `show ip route` in Cisco IOS 15's layout: the codes legend, the gateway
//! of last resort, and the installed routes grouped under their classful
//! major network (`10.0.0.0/8 is variably subnetted, 3 subnets, 2 masks`),
//! equal-cost paths on continuation lines.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use super::{Route, RouteOrigin, RouteTable};
use crate::SimTime;
use crate::net::ip::Ipv4Net;

/// The legend IOS prints above the table.
pub const CODES: &str = "\
Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
       + - replicated route, % - next hop override
";

/// The classful prefix length of `a` (A /8, B /16, C /24; others /32).
pub fn classful_prefix(a: Ipv4Addr) -> u8 {
    match a.octets()[0] {
        0..=127 => 8,
        128..=191 => 16,
        192..=223 => 24,
        _ => 32,
    }
}

/// The classful network `a` belongs to (`10.1.2.3` → `10.0.0.0/8`).
pub fn classful_net(a: Ipv4Addr) -> Ipv4Net {
    Ipv4Net {
        addr: a,
        prefix: classful_prefix(a),
    }
    .trunc()
}

/// `hh:mm:ss` since `since` (IOS's age column).
pub fn age(now: SimTime, since: SimTime) -> String {
    let s = now.saturating_since(since).as_secs();
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn code(r: &Route) -> String {
    let c = r.origin.code();
    if !r.is_candidate_default() {
        return c.to_string();
    }
    // `S*`, `R*`, `O*IA`, `O*E2`.
    let (first, rest) = c.split_at(1);
    format!("{first}*{}", rest.trim_start())
}

fn body(r: &Route, names: &[String], now: SimTime) -> String {
    let port = names.get(r.iface).map(String::as_str).unwrap_or("?");
    match (r.origin, r.next_hop) {
        (RouteOrigin::Connected | RouteOrigin::Local, _) | (_, None) => {
            format!("is directly connected, {port}")
        }
        (RouteOrigin::Static, Some(h)) => format!("[{}/{}] via {h}", r.distance, r.metric),
        (_, Some(h)) => format!(
            "[{}/{}] via {h}, {}, {port}",
            r.distance,
            r.metric,
            age(now, r.since)
        ),
    }
}

/// Renders `show ip route`; `names` are the interface names by index.
pub fn show_ip_route(table: &RouteTable, names: &[String], now: SimTime) -> String {
    let mut out = String::from(CODES);
    out.push('\n');
    match table.gateway_of_last_resort().and_then(|r| r.next_hop) {
        Some(gw) => {
            let _ = writeln!(out, "Gateway of last resort is {gw} to network 0.0.0.0");
        }
        None => out.push_str("Gateway of last resort is not set\n"),
    }
    out.push('\n');
    let mut routes: Vec<&Route> = table.routes().iter().collect();
    // Numerical order, shorter prefix first; paths of one prefix stay together.
    crate::order::sort_by_key(&mut routes, |r| (u32::from(r.dest.addr), r.dest.prefix));
    let mut i = 0;
    while i < routes.len() {
        let major = classful_net(routes[i].dest.addr);
        if routes[i].dest.prefix < major.prefix {
            i = line(&mut out, &routes, i, 6, names, now);
            continue;
        }
        let group: Vec<&Route> = routes[i..]
            .iter()
            .take_while(|r| classful_net(r.dest.addr) == major && r.dest.prefix >= major.prefix)
            .copied()
            .collect();
        let mut dests: Vec<Ipv4Net> = group.iter().map(|r| r.dest).collect();
        dests.dedup();
        let mut masks: Vec<u8> = dests.iter().map(|d| d.prefix).collect();
        crate::order::sort(&mut masks);
        masks.dedup();
        let subnetted = group.iter().any(|r| r.dest.prefix > major.prefix);
        let end = i + group.len();
        if !subnetted {
            while i < end {
                i = line(&mut out, &routes, i, 6, names, now);
            }
            continue;
        }
        let n = dests.len();
        let s = if n == 1 { "" } else { "s" };
        if masks.len() == 1 {
            let _ = writeln!(
                out,
                "      {}/{} is subnetted, {n} subnet{s}",
                major.addr, masks[0]
            );
        } else {
            let _ = writeln!(
                out,
                "      {major} is variably subnetted, {n} subnet{s}, {} masks",
                masks.len()
            );
        }
        while i < end {
            i = line(&mut out, &routes, i, 9, names, now);
        }
    }
    out
}

/// Writes the route at `i` and its equal-cost siblings; returns the next index.
fn line(
    out: &mut String,
    routes: &[&Route],
    i: usize,
    width: usize,
    names: &[String],
    now: SimTime,
) -> usize {
    let r = routes[i];
    let head = format!("{:<width$}{} ", code(r), r.dest);
    let _ = writeln!(out, "{head}{}", body(r, names, now));
    let mut j = i + 1;
    while j < routes.len() && routes[j].dest == r.dest {
        let _ = writeln!(
            out,
            "{:indent$}{}",
            "",
            body(routes[j], names, now),
            indent = head.len()
        );
        j += 1;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    #[test]
    fn ios_layout() {
        let names: Vec<String> = [
            "GigabitEthernet0/0",
            "GigabitEthernet0/1",
            "GigabitEthernet0/2",
        ]
        .map(String::from)
        .to_vec();
        let mut t = RouteTable::new();
        t.add_connected(0, "192.168.1.1/24".parse().unwrap());
        t.add_connected(1, "10.0.12.1/24".parse().unwrap());
        t.add_connected(2, "10.0.13.1/30".parse().unwrap());
        assert!(t.add_static("0.0.0.0/0".parse().unwrap(), ip("10.0.12.2")));
        let at = SimTime::from_secs(100);
        let rip = |d: &str, h: &str, k, m| {
            Route::learned(RouteOrigin::Rip, d.parse().unwrap(), ip(h), k, m, at)
        };
        t.replace_protocol_routes(
            RouteOrigin::Rip,
            vec![
                rip("192.168.3.0/24", "10.0.12.2", 1, 2),
                rip("192.168.4.0/24", "10.0.12.2", 1, 1),
                rip("192.168.4.0/24", "10.0.13.2", 2, 1),
            ],
        );
        let out = show_ip_route(&t, &names, SimTime::from_secs(112));
        let want = "\
Gateway of last resort is 10.0.12.2 to network 0.0.0.0

S*    0.0.0.0/0 [1/0] via 10.0.12.2
      10.0.0.0/8 is variably subnetted, 4 subnets, 3 masks
C        10.0.12.0/24 is directly connected, GigabitEthernet0/1
L        10.0.12.1/32 is directly connected, GigabitEthernet0/1
C        10.0.13.0/30 is directly connected, GigabitEthernet0/2
L        10.0.13.1/32 is directly connected, GigabitEthernet0/2
      192.168.1.0/24 is variably subnetted, 2 subnets, 2 masks
C        192.168.1.0/24 is directly connected, GigabitEthernet0/0
L        192.168.1.1/32 is directly connected, GigabitEthernet0/0
R     192.168.3.0/24 [120/2] via 10.0.12.2, 00:00:12, GigabitEthernet0/1
R     192.168.4.0/24 [120/1] via 10.0.12.2, 00:00:12, GigabitEthernet0/1
                     [120/1] via 10.0.13.2, 00:00:12, GigabitEthernet0/2
";
        assert!(out.starts_with("Codes: L - local, C - connected"), "{out}");
        assert!(out.ends_with(want), "{out}");
    }

    #[test]
    fn one_mask_is_subnetted() {
        let mut t = RouteTable::new();
        t.add_connected(0, "10.0.0.1/32".parse().unwrap());
        let out = show_ip_route(&t, &["Loopback0".into()], SimTime::ZERO);
        assert!(out.contains("      10.0.0.0/32 is subnetted, 1 subnet\nC        10.0.0.1/32 is directly connected, Loopback0\n"), "{out}");
        assert!(out.contains("Gateway of last resort is not set"));
    }
}
