//! A builder for labs in tests and benchmarks:
//! `TestNet::new().pc("PC0", "192.168.1.10/24", Some("192.168.1.1")).switch("S0", 24).link("PC0", "S0").build()`.

use std::net::Ipv4Addr;

use lanlab_proto::net::Ipv4Net;

use crate::config::{IpConfig, StaticIp, StaticRoute};
use crate::engine::Engine;
use crate::lab::{DeviceKind, Lab, LinkId, Point};

/// A lab under construction. Panics on mistakes: it is for tests.
#[derive(Clone, Debug, Default)]
pub struct TestNet {
    lab: Lab,
}

fn static_ip(cidr: &str, gateway: Option<&str>) -> IpConfig {
    let net: Ipv4Net = cidr.parse().expect("address/prefix");
    IpConfig::Static(StaticIp {
        address: net.addr,
        mask: net.mask(),
        gateway: gateway.map(|g| g.parse().expect("gateway address")),
        dns: Vec::new(),
    })
}

impl TestNet {
    /// An empty lab.
    pub fn new() -> Self {
        TestNet {
            lab: Lab::new("test"),
        }
    }

    fn host(mut self, kind: DeviceKind, name: &str, cidr: &str, gw: Option<&str>) -> Self {
        let id = self.lab.add_device(kind, Point::default());
        self.lab.rename_device(id, name).expect("unique name");
        self.lab.device_mut(id).expect("just added").ports[0].ip = static_ip(cidr, gw);
        self
    }

    /// A PC with a static address (`"192.168.1.10/24"`) and optional gateway.
    pub fn pc(self, name: &str, cidr: &str, gw: Option<&str>) -> Self {
        self.host(DeviceKind::Pc, name, cidr, gw)
    }

    /// A PC that asks DHCP for its address.
    pub fn pc_dhcp(mut self, name: &str) -> Self {
        let id = self.lab.add_device(DeviceKind::Pc, Point::default());
        self.lab.rename_device(id, name).expect("unique name");
        self.lab.device_mut(id).expect("just added").ports[0].ip = IpConfig::Dhcp;
        self
    }

    /// Edits a device's services.
    pub fn services(mut self, name: &str, f: impl FnOnce(&mut crate::services::Services)) -> Self {
        let id = self.lab.device_by_name(name).expect("device").id;
        f(&mut self.lab.device_mut(id).expect("device").services);
        self
    }

    /// Sets the DNS servers of a device's first interface (static).
    pub fn dns(mut self, name: &str, servers: &[&str]) -> Self {
        let id = self.lab.device_by_name(name).expect("device").id;
        let d = self.lab.device_mut(id).expect("device");
        if let IpConfig::Static(s) = &mut d.ports[0].ip {
            s.dns = servers
                .iter()
                .map(|a| a.parse().expect("address"))
                .collect();
        }
        self
    }

    /// A server with a static address and optional gateway.
    pub fn server(self, name: &str, cidr: &str, gw: Option<&str>) -> Self {
        self.host(DeviceKind::Server, name, cidr, gw)
    }

    /// A switch with `ports` ports.
    pub fn switch(mut self, name: &str, ports: usize) -> Self {
        let id = self
            .lab
            .add_device_with_ports(DeviceKind::Switch, Point::default(), ports);
        self.lab.rename_device(id, name).expect("unique name");
        self
    }

    /// A router with one interface per address, in port order.
    pub fn router(mut self, name: &str, addrs: &[&str]) -> Self {
        let id = self.lab.add_device_with_ports(
            DeviceKind::Router,
            Point::default(),
            addrs.len().max(4),
        );
        self.lab.rename_device(id, name).expect("unique name");
        let d = self.lab.device_mut(id).expect("just added");
        for (p, a) in d.ports.iter_mut().zip(addrs) {
            p.ip = static_ip(a, None);
        }
        self
    }

    /// A static route on a router.
    pub fn route(mut self, router: &str, dest: &str, via: &str) -> Self {
        let net: Ipv4Net = dest.parse().expect("network/prefix");
        let id = self.lab.device_by_name(router).expect("router").id;
        self.lab
            .device_mut(id)
            .expect("router")
            .routes
            .push(StaticRoute {
                network: net.network(),
                mask: net.mask(),
                next_hop: via.parse::<Ipv4Addr>().expect("next hop"),
                distance: None,
            });
        self
    }

    /// Cables two devices on their first free ports.
    pub fn link(mut self, a: &str, b: &str) -> Self {
        self.link_id(a, b);
        self
    }

    /// Cables two devices and returns the cable's id.
    pub fn link_id(&mut self, a: &str, b: &str) -> LinkId {
        let a = self.lab.device_by_name(a).expect("device a").id;
        let b = self.lab.device_by_name(b).expect("device b").id;
        self.lab.connect(a, b).expect("free ports")
    }

    /// Sets a cable's latency and loss.
    pub fn link_props(mut self, id: LinkId, latency_us: u64, loss: f64) -> Self {
        let l = self
            .lab
            .links
            .iter_mut()
            .find(|l| l.id == id)
            .expect("cable");
        l.latency_us = latency_us;
        l.loss = loss;
        self
    }

    /// The document.
    pub fn lab(&self) -> &Lab {
        &self.lab
    }

    /// The document, for further edits.
    pub fn into_lab(self) -> Lab {
        self.lab
    }

    /// An engine running the lab with seed 1.
    pub fn build(self) -> Engine {
        Engine::with_seed(&self.lab, 1).expect("valid lab")
    }
}

/// The "ping fan-in" lab of the benchmark: `subnets` /24 subnets of
/// `hosts` PCs, each subnet on its own switch, joined by one router; a
/// server in its own subnet; every PC pings the server once at time zero.
///
/// Subnet `i` is `10.0.i.0/24` (gateway `.1`, PCs from `.10`); the server
/// is `10.0.200.10`.
pub fn ping_fan_in(subnets: usize, hosts: usize) -> Lab {
    use crate::action::{Action, Expect, ScriptedAction};
    assert!(subnets <= 199 && hosts <= 240, "addresses must fit");
    let mut lab = Lab::new("ping fan-in");
    let router = lab.add_device_with_ports(DeviceKind::Router, Point::default(), subnets + 1);
    let server = lab.add_device(DeviceKind::Server, Point::default());
    let set = |lab: &mut Lab, id, port: usize, cidr: &str, gw: Option<&str>| {
        lab.device_mut(id).expect("device").ports[port].ip = static_ip(cidr, gw);
    };
    set(&mut lab, router, subnets, "10.0.200.1/24", None);
    set(&mut lab, server, 0, "10.0.200.10/24", Some("10.0.200.1"));
    lab.connect_ports(
        crate::lab::LinkEnd {
            device: server,
            port: 0,
        },
        crate::lab::LinkEnd {
            device: router,
            port: subnets,
        },
    )
    .expect("free ports");
    for s in 0..subnets {
        set(&mut lab, router, s, &format!("10.0.{s}.1/24"), None);
        let sw = lab.add_device_with_ports(DeviceKind::Switch, Point::default(), hosts + 1);
        lab.connect_ports(
            crate::lab::LinkEnd {
                device: sw,
                port: hosts,
            },
            crate::lab::LinkEnd {
                device: router,
                port: s,
            },
        )
        .expect("free ports");
        for h in 0..hosts {
            let pc = lab.add_device(DeviceKind::Pc, Point::default());
            let gw = format!("10.0.{s}.1");
            set(
                &mut lab,
                pc,
                0,
                &format!("10.0.{s}.{}/24", 10 + h),
                Some(&gw),
            );
            lab.connect(pc, sw).expect("free ports");
            let name = lab.device(pc).expect("pc").name.clone();
            lab.actions.push(ScriptedAction {
                at_ms: 0,
                action: Action::Ping {
                    device: name,
                    target: "10.0.200.10".into(),
                    count: Some(1),
                },
                expect: Expect::Success,
            });
        }
    }
    lab
}

/// The "campus" lab of the benchmark: [`ping_fan_in`]'s layout, but every
/// PC gets its address by DHCP from the server, through the router's relay
/// (one pool per subnet), then pings the server by name
/// (`server.campus.lab`, answered by the server's DNS) at `ping_at_ms`.
pub fn campus(subnets: usize, hosts: usize, ping_at_ms: u64) -> Lab {
    use crate::action::{Action, Expect, ScriptedAction};
    use crate::services::{DhcpService, DnsService, RelayHelper};
    use lanlab_proto::dhcp::{PoolConfig, ServerConfig};
    let mut lab = ping_fan_in(subnets, hosts);
    lab.name = "campus".into();
    lab.actions.clear();
    let server_ip: Ipv4Addr = "10.0.200.10".parse().expect("address");
    let pools = (0..subnets)
        .map(|s| {
            let mut p = PoolConfig::new(
                &format!("Subnet{s}"),
                Ipv4Addr::new(10, 0, s as u8, 0),
                Ipv4Addr::new(255, 255, 255, 0),
                Ipv4Addr::new(10, 0, s as u8, 10),
                hosts as u32,
            );
            p.gateway = Some(Ipv4Addr::new(10, 0, s as u8, 1));
            p.dns_servers = vec![server_ip];
            p
        })
        .collect();
    let origin = lanlab_proto::dns::Name::parse("campus.lab").expect("name");
    let zone = lanlab_proto::dns::parse_zone(&origin, "@ NS server\nserver A 10.0.200.10\n")
        .expect("zone");
    let mut names = Vec::new();
    for d in &mut lab.devices {
        match d.kind {
            DeviceKind::Server => {
                d.services.dhcp = Some(DhcpService {
                    enabled: true,
                    config: ServerConfig::new(pools),
                });
                d.services.dns = Some(DnsService {
                    enabled: true,
                    zones: vec![zone],
                    recursive: None,
                });
                break;
            }
            _ => continue,
        }
    }
    for d in &mut lab.devices {
        match d.kind {
            DeviceKind::Router => {
                d.services.dhcp_relay = (0..subnets)
                    .map(|s| RelayHelper {
                        interface: d.ports[s].name.clone(),
                        helpers: vec![server_ip],
                    })
                    .collect();
            }
            DeviceKind::Pc => {
                d.ports[0].ip = IpConfig::Dhcp;
                names.push(d.name.clone());
            }
            _ => {}
        }
    }
    for name in names {
        lab.actions.push(ScriptedAction {
            at_ms: ping_at_ms,
            action: Action::Ping {
                device: name,
                target: "server.campus.lab".into(),
                count: Some(1),
            },
            expect: Expect::Success,
        });
    }
    lab
}

/// The "rip-100" lab of the benchmark: `n`×`n` routers in a grid, each
/// cabled to its right and lower neighbour on a /30 of 10.0.0.0/8 (link
/// `k` is `10.(k/64).(k%64·4).0/30`), all running RIPv2 on 10.0.0.0 with
/// `no auto-summary`. Converged ([`rip_grid_converged`]), every router
/// knows every link network within RIP's 15 hops.
pub fn rip_grid(n: usize) -> Lab {
    let mut lab = Lab::new("rip-100");
    let mut ids = Vec::with_capacity(n * n);
    for r in 0..n {
        for c in 0..n {
            let id = lab.add_device_with_ports(
                DeviceKind::Router,
                Point {
                    x: 100.0 * c as f64,
                    y: 100.0 * r as f64,
                },
                4,
            );
            lab.rename_device(id, &format!("R{r}_{c}"))
                .expect("unique name");
            let d = lab.device_mut(id).expect("just added");
            d.ios.rip = Some(lanlab_doc::rip::RipConfig {
                version: Some(2),
                networks: vec![Ipv4Addr::new(10, 0, 0, 0)],
                no_auto_summary: true,
                ..Default::default()
            });
            ids.push(id);
        }
    }
    let mut k = 0usize;
    for r in 0..n {
        for c in 0..n {
            let mut peers = Vec::new();
            if c + 1 < n {
                peers.push(ids[r * n + c + 1]);
            }
            if r + 1 < n {
                peers.push(ids[(r + 1) * n + c]);
            }
            for peer in peers {
                let link = lab.connect(ids[r * n + c], peer).expect("free ports");
                let (a, b) = {
                    let l = lab.links.iter().find(|l| l.id == link).expect("cable");
                    (l.a, l.b)
                };
                let base = format!("10.{}.{}", k / 64, (k % 64) * 4);
                for (end, host) in [(a, 1), (b, 2)] {
                    let d = lab.device_mut(end.device).expect("router");
                    d.ports[end.port].ip = static_ip(&format!("{base}.{host}/30"), None);
                }
                k += 1;
            }
        }
    }
    lab
}

/// Whether every router of [`rip_grid`]`(n)` holds every link network
/// within RIP's 15 hops (its own as C, the rest as R; the corners of a
/// 10×10 grid are 18 hops apart, beyond RIP's reach).
pub fn rip_grid_converged(e: &Engine, n: usize) -> bool {
    use lanlab_proto::net::RouteOrigin;
    (0..n * n).all(|i| {
        e.router(&format!("R{}_{}", i / n, i % n)).is_some_and(|r| {
            r.routes()
                .iter()
                .filter(|x| matches!(x.origin, RouteOrigin::Connected | RouteOrigin::Rip))
                .map(|x| x.dest)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
                == rip_reachable(n, i / n, i % n)
        })
    })
}

/// How many link networks router (r, c) of an `n`×`n` grid can know: RIP
/// reaches 15 hops, so those whose nearer end is at most 15 routers away
/// (Manhattan distance; its own links at 0).
fn rip_reachable(n: usize, r: usize, c: usize) -> usize {
    let d = |a: usize, b: usize| r.abs_diff(a) + c.abs_diff(b);
    let mut k = 0;
    for a in 0..n {
        for b in 0..n {
            if b + 1 < n && d(a, b).min(d(a, b + 1)) <= 15 {
                k += 1;
            }
            if a + 1 < n && d(a, b).min(d(a + 1, b)) <= 15 {
                k += 1;
            }
        }
    }
    k
}
/// The "nat" lab of the benchmark (issue 18): `subnets` /24 subnets of
/// `hosts` PCs (`10.0.S.10` up, gateway `10.0.S.1`), each subnet on its own
/// switch, behind one PAT router (`ip nat inside` on every subnet's
/// interface, `ip nat outside` on the last one, `ip nat inside source list
/// 1 interface … overload`, `access-list 1 permit 10.0.0.0 0.0.255.255`).
/// Outside, on the router's own /24 (`203.0.113.1`), a server
/// (`203.0.113.80`, no gateway: it has no route to the inside) listens on
/// TCP 9 from time zero; at `send_at_ms` every PC connects to it, sends
/// `bytes` bytes and closes.
pub fn nat_fan_out(subnets: usize, hosts: usize, send_at_ms: u64, bytes: u32) -> Lab {
    use crate::action::{Action, Expect, ScriptedAction};
    use lanlab_proto::firewall::{AclConfig, ConfigMode};
    use lanlab_proto::nat::{DynamicNat, NatConfig, NatTarget};
    let mut lab = ping_fan_in(subnets, hosts);
    lab.name = "nat".into();
    lab.actions.clear();
    let mut acls = AclConfig::default();
    acls.apply_line(
        &mut ConfigMode::Global,
        "access-list 1 permit 10.0.0.0 0.0.255.255",
    )
    .expect("valid access list");
    let mut pcs = Vec::new();
    let mut server = String::new();
    for d in &mut lab.devices {
        match d.kind {
            DeviceKind::Router => {
                d.ports[subnets].ip = static_ip("203.0.113.1/24", None);
                d.services.acl = Some(acls.clone());
                d.ios.nat = NatConfig {
                    inside: (0..subnets).collect(),
                    outside: vec![subnets],
                    dynamic: vec![DynamicNat {
                        acl: "1".into(),
                        target: NatTarget::Interface(subnets),
                        overload: true,
                    }],
                    ..NatConfig::default()
                };
            }
            DeviceKind::Server => {
                d.ports[0].ip = static_ip("203.0.113.80/24", None);
                server = d.name.clone();
            }
            DeviceKind::Pc => pcs.push(d.name.clone()),
            _ => {}
        }
    }
    lab.actions.push(ScriptedAction {
        at_ms: 0,
        action: Action::Listen {
            device: server,
            port: 9,
        },
        expect: Expect::Success,
    });
    for device in pcs {
        lab.actions.push(ScriptedAction {
            at_ms: send_at_ms,
            action: Action::Send {
                device,
                to: "203.0.113.80:9".into(),
                bytes,
            },
            expect: Expect::Success,
        });
    }
    lab
}

/// [`campus`], with the server pinging its gateway at time zero, so the
/// router knows the server's MAC before the first relayed DISCOVER reaches
/// it. Without it, at 10,000 PCs the router holds the DISCOVERs waiting
/// for that one neighbour beyond its per-neighbour ARP queue
/// (`ROUTER_ARP_QUEUE`, 2,048) and drops the rest; those clients then
/// only get an address at their retransmission, after the pings.
pub fn campus_server_first(subnets: usize, hosts: usize, ping_at_ms: u64) -> Lab {
    use crate::action::{Action, Expect, ScriptedAction};
    let mut lab = campus(subnets, hosts, ping_at_ms);
    let server = lab
        .devices
        .iter()
        .find(|d| d.kind == DeviceKind::Server)
        .expect("the campus has a server")
        .name
        .clone();
    lab.actions.insert(
        0,
        ScriptedAction {
            at_ms: 0,
            action: Action::Ping {
                device: server,
                target: "10.0.200.1".into(),
                count: Some(1),
            },
            expect: Expect::Success,
        },
    );
    lab
}
