//! The configuration commands: each changes the device's document
//! configuration (a copy; the console returns it) or says, in IOS's words,
//! why not.

use std::net::Ipv4Addr;

use lanlab_doc::ios::{AddrRange, LineConfig, LocalUser, Svi};
use lanlab_proto::dhcp::{LeaseTime, PoolConfig, ServerConfig};
use lanlab_proto::firewall::{AclConfig, AclKind, ConfigMode};
use lanlab_proto::net::mask_to_prefix;

use super::grammar::{Cmd, Matched, words};
use super::iface::{self, IfRef};
use super::{Console, LineKind, Mode};
use crate::config::{IpConfig, StaticRoute};
use crate::lab::{Device, DeviceKind};
use crate::services::{DhcpService, RelayHelper};

type Out = Result<String, String>;

fn arg(m: &Matched, k: usize) -> String {
    m.args.get(k).cloned().unwrap_or_default()
}

/// The word of `line` at position `k` (for keyword alternatives: in/out).
fn word(line: &str, k: usize) -> String {
    words(line)
        .get(k)
        .map(|w| w.text.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Runs a configuration command on `d`.
pub(super) fn apply(c: &mut Console, d: &mut Device, line: &str, m: &Matched) -> Out {
    match (&c.mode.clone(), m.id) {
        (_, Cmd::Ignored) => Ok(String::new()),
        (_, Cmd::Hostname) => {
            let name = arg(m, 0);
            let ok = name.len() <= 63
                && name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !ok {
                return Err("% Hostname contains one or more illegal characters.\n".into());
            }
            d.name = name;
            Ok(String::new())
        }
        (_, Cmd::Interface) => {
            match iface::resolve(d, &arg(m, 0)) {
                Some(IfRef::Port(k)) => {
                    if c.loading {
                        d.ports[k].shutdown = false;
                    }
                    c.mode = Mode::Interface(vec![k]);
                }
                Some(IfRef::Sub(k, n)) => c.mode = Mode::Subif(k, n),
                Some(IfRef::Vlan(v)) if v != 1 => {
                    super::svi::enter(d, v)?;
                    c.mode = Mode::Vlan(v);
                }
                Some(IfRef::Vlan(v)) => {
                    let svi = d.ios.vlan1.get_or_insert(Svi {
                        address: None,
                        shutdown: true,
                    });
                    if c.loading {
                        svi.shutdown = false;
                    }
                    c.mode = Mode::Vlan(v);
                }
                None => return Err("% Invalid interface.\n".into()),
            }
            Ok(String::new())
        }
        (_, Cmd::InterfaceRange) => match iface::range(d, &arg(m, 0)) {
            Some(ports) if !ports.is_empty() => {
                c.mode = Mode::Interface(ports);
                Ok(String::new())
            }
            _ => Err("% Invalid interface range.\n".into()),
        },
        (_, Cmd::IpRoute | Cmd::NoIpRoute) => {
            let r = StaticRoute {
                network: m.ip(0)?,
                mask: m.ip(1)?,
                next_hop: m.ip(2)?,
                distance: match m.args.get(3) {
                    Some(a) => match a.parse::<u8>() {
                        Ok(n) if n > 0 => Some(n).filter(|&n| n != 1),
                        _ => return Err("% Invalid input detected at '^' marker.\n".into()),
                    },
                    None => None,
                },
            };
            if crate::config::check_route(&d.name, &r).is_err() {
                return Err("%Inconsistent address and mask\n".into());
            }
            if m.id == Cmd::NoIpRoute {
                let before = d.routes.len();
                // `no ip route A M H` removes the route whatever its distance.
                d.routes.retain(|x| {
                    (x.network, x.mask, x.next_hop) != (r.network, r.mask, r.next_hop)
                        || (m.args.len() > 3 && x.distance != r.distance)
                });
                if d.routes.len() == before {
                    return Err("%No matching route to delete\n".into());
                }
            } else {
                // IOS keeps one route per destination and next hop: a new
                // distance replaces the old.
                d.routes
                    .retain(|x| (x.network, x.mask, x.next_hop) != (r.network, r.mask, r.next_hop));
                d.routes.push(r);
            }
            Ok(String::new())
        }
        (_, Cmd::DefaultGateway) => {
            d.ios.default_gateway = Some(m.ip(0)?);
            Ok(String::new())
        }
        (_, Cmd::NoDefaultGateway) => {
            d.ios.default_gateway = None;
            Ok(String::new())
        }
        (_, Cmd::Excluded | Cmd::NoExcluded) => {
            let first = m.ip(0)?;
            let last = if m.args.len() > 1 { m.ip(1)? } else { first };
            if u32::from(last) < u32::from(first) {
                return Err("% Invalid address range.\n".into());
            }
            let r = AddrRange { first, last };
            if m.id == Cmd::Excluded {
                if !d.ios.dhcp_excluded.contains(&r) {
                    d.ios.dhcp_excluded.push(r);
                }
            } else {
                d.ios.dhcp_excluded.retain(|x| *x != r);
            }
            sync_excluded(d);
            Ok(String::new())
        }
        (_, Cmd::DhcpPool) => {
            let name = arg(m, 0);
            let svc = d.services.dhcp.get_or_insert_with(|| DhcpService {
                enabled: true,
                config: ServerConfig::new(Vec::new()),
            });
            if !svc.config.pools.iter().any(|p| p.name == name) {
                // No network yet: a /32 of 0.0.0.0 matches no interface.
                let z = Ipv4Addr::UNSPECIFIED;
                svc.config
                    .pools
                    .push(PoolConfig::new(&name, z, Ipv4Addr::BROADCAST, z, 0));
            }
            c.mode = Mode::DhcpPool(name);
            Ok(String::new())
        }
        (_, Cmd::NoDhcpPool) => {
            let name = arg(m, 0);
            let Some(svc) = &mut d.services.dhcp else {
                return Err(format!("%Pool {name} does not exist.\n"));
            };
            svc.config.pools.retain(|p| p.name != name);
            if svc.config.pools.is_empty() {
                d.services.dhcp = None;
            }
            Ok(String::new())
        }
        (_, Cmd::AccessList) => acl(
            d,
            &mut ConfigMode::Global,
            &format!("access-list {}", arg(m, 0)),
        ),
        (_, Cmd::NoAccessList) => acl(
            d,
            &mut ConfigMode::Global,
            &format!("no access-list {}", arg(m, 0)),
        ),
        (_, Cmd::NamedAcl | Cmd::NoNamedAcl) => {
            let no = m.id == Cmd::NoNamedAcl;
            let kind = if word(line, if no { 3 } else { 2 }).starts_with('s') {
                AclKind::Standard
            } else {
                AclKind::Extended
            };
            let name = arg(m, 0);
            let text = format!(
                "{}ip access-list {kind} {name}",
                if no { "no " } else { "" }
            );
            let mut mode = ConfigMode::Global;
            let r = acl(d, &mut mode, &text)?;
            if !no {
                c.mode = Mode::Nacl(name, kind);
            }
            Ok(r)
        }
        (Mode::Nacl(name, kind), Cmd::AclLine) => {
            let first = word(line, 0);
            let full = ["permit", "deny", "remark"]
                .into_iter()
                .find(|k| k.starts_with(&first));
            let text = match full {
                Some(k) => format!("{k} {}", arg(m, 0)),
                None => line.trim().to_string(),
            };
            acl(d, &mut ConfigMode::NamedList(name.clone(), *kind), &text)
        }
        (_, Cmd::Banner) => {
            let rest = arg(m, 0);
            let (delim, body) = match rest.strip_prefix("^C") {
                Some(b) => ("^C", b),
                None => {
                    let k = rest.chars().next().map_or(0, char::len_utf8);
                    (&rest[..k], &rest[k..])
                }
            };
            let text = body.split(delim).next().unwrap_or_default();
            d.ios.banner_motd = text.to_string();
            Ok(String::new())
        }
        (_, Cmd::NoBanner) => {
            d.ios.banner_motd.clear();
            Ok(String::new())
        }
        (_, Cmd::Username | Cmd::UsernameHashed) => {
            let name = arg(m, 0);
            let password = if m.id == Cmd::UsernameHashed {
                lanlab_doc::ios::type7_decode(&arg(m, 1)).ok_or("% Invalid encrypted password\n")?
            } else {
                arg(m, 1)
            };
            match d.ios.users.iter_mut().find(|u| u.name == name) {
                Some(u) => u.password = password,
                None => d.ios.users.push(LocalUser { name, password }),
            }
            Ok(String::new())
        }
        (_, Cmd::NoUsername) => {
            let name = arg(m, 0);
            d.ios.users.retain(|u| u.name != name);
            Ok(String::new())
        }
        (_, Cmd::EnableSecret) => {
            d.ios.enable_secret = lanlab_doc::ios::hash_secret(&arg(m, 0));
            Ok(String::new())
        }
        (_, Cmd::EnableSecretHashed) => {
            let h = arg(m, 0);
            if !h.starts_with("$1$") {
                return Err(
                    "ERROR: The secret you entered is not a valid encrypted secret.\n".into(),
                );
            }
            d.ios.enable_secret = h;
            Ok(String::new())
        }
        (_, Cmd::NoEnableSecret) => {
            d.ios.enable_secret.clear();
            Ok(String::new())
        }
        (_, Cmd::PwEncryption | Cmd::NoPwEncryption) => {
            d.ios.password_encryption = m.id == Cmd::PwEncryption;
            Ok(String::new())
        }
        (_, Cmd::LineCon) => {
            if arg(m, 0) != "0" {
                return Err("% Invalid input detected at '^' marker.\n".into());
            }
            c.mode = Mode::Line(LineKind::Console);
            Ok(String::new())
        }
        (_, Cmd::LineVty) => {
            let (a, b): (u32, u32) = (
                arg(m, 0).parse().unwrap_or(99),
                arg(m, 1).parse().unwrap_or(99),
            );
            if a > b || b > 15 {
                return Err("% Invalid input detected at '^' marker.\n".into());
            }
            c.mode = Mode::Line(LineKind::Vty);
            Ok(String::new())
        }
        (_, Cmd::Router) => {
            c.mode = Mode::Router;
            Ok("% lanlab: dynamic routing is not simulated yet; use ip route.\n".into())
        }
        (_, Cmd::Nat(n)) => super::nat::apply(c, d, line, m, n),
        (_, Cmd::Rip(r)) => super::rip::apply(c, d, m, r),
        (_, Cmd::Ospf(o)) => super::ospf::apply(c, d, m, o),
        (_, Cmd::Stp(n)) => super::stp::apply(c, d, m, n),
        (_, Cmd::Vlan(v)) => super::vlan::apply(c, d, m, v),
        (Mode::Interface(ports), _) => {
            let mut out = String::new();
            for &k in ports {
                out.push_str(&interface(d, k, line, m)?);
            }
            Ok(out)
        }
        (Mode::Vlan(v), _) if *v != 1 => super::svi::configure(d, *v, m),
        (Mode::Vlan(_), _) => vlan(d, m),
        (Mode::Subif(k, n), _) => super::vlan::subif(d, *k, *n, m),
        (Mode::Line(which), _) => {
            let l: &mut LineConfig = match which {
                LineKind::Console => &mut d.ios.console,
                LineKind::Vty => &mut d.ios.vty,
            };
            match m.id {
                Cmd::Password => l.password = arg(m, 0),
                Cmd::PasswordHashed => {
                    l.password = lanlab_doc::ios::type7_decode(&arg(m, 0))
                        .ok_or("% Invalid encrypted password\n")?
                }
                Cmd::NoPassword => l.password.clear(),
                Cmd::LoginLocal => {
                    l.login_local = true;
                    l.login = false;
                    l.no_login = false;
                }
                Cmd::Login => {
                    // `login` is the vty lines' default: nothing to store.
                    l.login = *which == LineKind::Console;
                    l.login_local = false;
                    l.no_login = false;
                    if l.password.is_empty() {
                        return Ok("% Login disabled on line 0, until 'password' is set\n".into());
                    }
                }
                Cmd::NoLogin => {
                    l.login = false;
                    l.login_local = false;
                    l.no_login = *which == LineKind::Vty;
                }
                _ => return Err("% Invalid input detected at '^' marker.\n".into()),
            }
            Ok(String::new())
        }
        (Mode::DhcpPool(name), _) => pool(d, name, m),
        _ => Err("% Invalid input detected at '^' marker.\n".into()),
    }
}

fn acl(d: &mut Device, mode: &mut ConfigMode, text: &str) -> Out {
    let mut cfg = d.services.acl.clone().unwrap_or_default();
    cfg.apply_line(mode, text).map_err(|e| format!("% {e}\n"))?;
    d.services.acl = (cfg != AclConfig::default()).then_some(cfg);
    Ok(String::new())
}

fn interface(d: &mut Device, k: usize, line: &str, m: &Matched) -> Out {
    let name = d.ports[k].name.clone();
    match m.id {
        Cmd::IpAddress => {
            let (a, mask, prefix) = m.address_and_mask()?;
            let cfg = IpConfig::static_ip(a, mask);
            if crate::config::check_port_ip(&name, &cfg).is_err() {
                return Err(format!("Bad mask /{prefix} for address {a}\n"));
            }
            let net = lanlab_proto::net::Ipv4Net { addr: a, prefix };
            for (j, p) in d.ports.iter().enumerate() {
                if j != k
                    && let Some(o) = p.ip.as_static().and_then(|s| s.net())
                    && (o.contains(a) || net.contains(o.addr))
                {
                    return Err(format!("% {} overlaps with {}\n", net.trunc(), p.name));
                }
            }
            d.ports[k].ip = cfg;
        }
        Cmd::IpAddressDhcp => d.ports[k].ip = IpConfig::Dhcp,
        Cmd::NoIpAddress => d.ports[k].ip = IpConfig::None,
        Cmd::Shutdown => {
            let was = d.ports[k].shutdown;
            d.ports[k].shutdown = true;
            if !was {
                return Ok(format!(
                    "\n%LINK-5-CHANGED: Interface {name}, changed state to administratively down\n"
                ));
            }
        }
        Cmd::NoShutdown => {
            let was = d.ports[k].shutdown;
            d.ports[k].shutdown = false;
            if was {
                return Ok(format!(
                    "\n%LINK-5-CHANGED: Interface {name}, changed state to up\n"
                ));
            }
        }
        Cmd::Description => d.ports[k].description = arg(m, 0).chars().take(240).collect(),
        Cmd::NoDescription => d.ports[k].description.clear(),
        Cmd::Unreachables | Cmd::NoUnreachables => {
            if d.kind != DeviceKind::Router {
                return Err("% lanlab: ip unreachables is set on a router's interfaces.\n".into());
            }
            let list = &mut d.ios.no_unreachables;
            list.retain(|&x| x != k);
            if m.id == Cmd::NoUnreachables {
                list.push(k);
                list.sort_unstable();
            }
        }
        Cmd::Helper => {
            let h = m.ip(0)?;
            match d
                .services
                .dhcp_relay
                .iter_mut()
                .find(|r| r.interface == name)
            {
                Some(r) if !r.helpers.contains(&h) => r.helpers.push(h),
                Some(_) => {}
                None => d.services.dhcp_relay.push(RelayHelper {
                    interface: name,
                    helpers: vec![h],
                }),
            }
        }
        Cmd::NoHelper => {
            let one: Option<Ipv4Addr> = m.args.first().and_then(|a| a.parse().ok());
            for r in d
                .services
                .dhcp_relay
                .iter_mut()
                .filter(|r| r.interface == name)
            {
                r.helpers.retain(|h| one.is_some_and(|o| o != *h));
            }
            d.services.dhcp_relay.retain(|r| !r.helpers.is_empty());
        }
        Cmd::AccessGroup | Cmd::NoAccessGroup => {
            let no = m.id == Cmd::NoAccessGroup;
            let dir = word(line, if no { 4 } else { 3 });
            let dir = if dir.starts_with('i') { "in" } else { "out" };
            let text = format!(
                "{}ip access-group {} {dir}",
                if no { "no " } else { "" },
                arg(m, 0)
            );
            acl(d, &mut ConfigMode::Interface(name), &text)?;
        }
        _ => return Err("% Invalid input detected at '^' marker.\n".into()),
    }
    Ok(String::new())
}

fn vlan(d: &mut Device, m: &Matched) -> Out {
    let svi = d.ios.vlan1.get_or_insert(Svi {
        address: None,
        shutdown: true,
    });
    match m.id {
        Cmd::IpAddress => {
            let (a, mask, _) = m.address_and_mask()?;
            svi.address = Some((a, mask));
        }
        Cmd::NoIpAddress => svi.address = None,
        Cmd::Shutdown => svi.shutdown = true,
        Cmd::NoShutdown => {
            let was = svi.shutdown;
            svi.shutdown = false;
            if was {
                return Ok("\n%LINK-5-CHANGED: Interface Vlan1, changed state to up\n".into());
            }
        }
        Cmd::Description | Cmd::NoDescription | Cmd::Ignored => {}
        _ => return Err("% lanlab: not on a VLAN interface.\n".into()),
    }
    Ok(String::new())
}

fn pool(d: &mut Device, name: &str, m: &Matched) -> Out {
    let Some(p) = d
        .services
        .dhcp
        .as_mut()
        .and_then(|s| s.config.pools.iter_mut().find(|p| p.name == name))
    else {
        return Err(format!("%Pool {name} does not exist.\n"));
    };
    match m.id {
        Cmd::Network => {
            let (a, mask) = (m.ip(0)?, m.ip(1)?);
            let Ok(prefix) = mask_to_prefix(mask) else {
                return Err(format!("% Bad mask {mask}\n"));
            };
            let net = u32::from(a) & u32::from(mask);
            if net != u32::from(a) || prefix > 30 {
                return Err(format!("% {a}/{prefix} is an invalid network.\n"));
            }
            p.network = a;
            p.mask = mask;
            p.start = Ipv4Addr::from(net + 1);
            p.max_users = (1u32 << (32 - prefix)).saturating_sub(2);
        }
        Cmd::DefaultRouter => p.gateway = Some(m.ip(0)?),
        Cmd::NoDefaultRouter => p.gateway = None,
        Cmd::DnsServer => {
            p.dns_servers = arg(m, 0)
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
        }
        Cmd::NoDnsServer => p.dns_servers.clear(),
        Cmd::DomainName => p.domain_name = Some(arg(m, 0)),
        Cmd::NoDomainName => p.domain_name = None,
        Cmd::Lease => {
            let n = |k: usize| -> u32 { m.args.get(k).and_then(|a| a.parse().ok()).unwrap_or(0) };
            let (days, hours, mins) = (n(0), n(1), n(2));
            if days > 365 || hours > 23 || mins > 59 {
                return Err("% Invalid input detected at '^' marker.\n".into());
            }
            let total = days * 1440 + hours * 60 + mins;
            if total == 0 {
                return Err("% lease time must be longer than 0\n".into());
            }
            p.lease_time = if total % 1440 == 0 {
                LeaseTime::Days(total / 1440)
            } else if total % 60 == 0 {
                LeaseTime::Hours(total / 60)
            } else {
                LeaseTime::Minutes(total)
            };
        }
        Cmd::LeaseInfinite => p.lease_time = LeaseTime::Infinite,
        _ => return Err("% Invalid input detected at '^' marker.\n".into()),
    }
    sync_excluded(d);
    Ok(String::new())
}

/// Writes `ip dhcp excluded-address` into each pool's excluded list (the
/// addresses of the pool's range that a range covers; at most 4096 a pool).
pub(super) fn sync_excluded(d: &mut Device) {
    let ranges = d.ios.dhcp_excluded.clone();
    let Some(svc) = &mut d.services.dhcp else {
        return;
    };
    for p in &mut svc.config.pools {
        let mut out = Vec::new();
        for r in &ranges {
            let mut a = u32::from(r.first).max(u32::from(p.start));
            while a <= u32::from(r.last) && out.len() < 4096 && p.in_range(a.into()) {
                out.push(Ipv4Addr::from(a));
                a = a.saturating_add(1);
                if a == u32::MAX {
                    break;
                }
            }
        }
        p.excluded = out;
    }
}
