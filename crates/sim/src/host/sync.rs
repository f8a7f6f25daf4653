//! Bringing a running engine in line with an edited document.
//!
//! The app edits its document; the engine keeps its own copy. Edits the
//! engine can take live (cables, addresses, services, routes, power, a
//! router's or switch's configuration) become [`Action`]s at the current
//! virtual time, so the run goes on; any other edit (a device added,
//! removed or renamed) needs a rebuild from the document.

use crate::action::{Action, PortRef};
use crate::lab::{Lab, LinkEnd, LinkId};

/// The lab without what the simulation ignores: canvas positions, and the
/// ids and order of cables (a live `Plug` numbers its cable itself).
pub fn sim_view(lab: &Lab) -> Lab {
    let mut l = lab.clone();
    for d in &mut l.devices {
        d.pos = Default::default();
    }
    for link in &mut l.links {
        link.id = LinkId(0);
        if (link.b.device, link.b.port) < (link.a.device, link.a.port) {
            std::mem::swap(&mut link.a, &mut link.b);
        }
    }
    lanlab_proto::order::sort_by_key(&mut l.links, |k| {
        (k.a.device, k.a.port, k.b.device, k.b.port)
    });
    l
}

/// The actions that turn `from` into `to`, or `None` when the change needs a
/// rebuild (devices added, removed, renamed, or anything else changed).
/// Both labs should be [`sim_view`]s.
pub fn live_actions(from: &Lab, to: &Lab) -> Option<Vec<Action>> {
    let same_devices = from.devices.len() == to.devices.len()
        && from.devices.iter().zip(&to.devices).all(|(a, b)| {
            a.id == b.id
                && (a.name == b.name || !a.kind.is_host())
                && a.kind == b.kind
                && a.ports.len() == b.ports.len()
                && a.ports
                    .iter()
                    .zip(&b.ports)
                    .all(|(p, q)| p.name == q.name && p.mac == q.mac)
        });
    if !same_devices {
        return None;
    }
    let port_ref = |lab: &Lab, end: LinkEnd| {
        let d = lab.device(end.device)?;
        Some(PortRef {
            device: d.name.clone(),
            port: d.ports.get(end.port)?.name.clone(),
        })
    };
    let mut actions = Vec::new();
    for l in &from.links {
        if !to.links.iter().any(|m| m.a == l.a && m.b == l.b) {
            actions.push(Action::Unplug {
                port: port_ref(from, l.a)?,
            });
        }
    }
    for l in &to.links {
        if !from.links.iter().any(|m| m.a == l.a && m.b == l.b) {
            actions.push(Action::Plug {
                a: port_ref(to, l.a)?,
                b: port_ref(to, l.b)?,
            });
        }
    }
    for (a, b) in from.devices.iter().zip(&to.devices) {
        // Routers and switches take their whole configuration at once
        // (what their console changes: name, shutdown, IOS settings…).
        if !a.kind.is_host() {
            let mut next = a.clone();
            next.configure_from(b);
            if next != *a {
                actions.push(Action::Configure {
                    device: a.name.clone(),
                    config: Box::new(b.clone()),
                });
            }
            if a.powered != b.powered {
                actions.push(Action::Power {
                    device: b.name.clone(),
                    on: b.powered,
                });
            }
            continue;
        }
        for (p, q) in a.ports.iter().zip(&b.ports) {
            if p.ip != q.ip {
                actions.push(Action::SetIp {
                    port: PortRef {
                        device: b.name.clone(),
                        port: q.name.clone(),
                    },
                    ip: q.ip.clone(),
                });
            }
        }
        if a.services != b.services {
            actions.push(Action::SetServices {
                device: b.name.clone(),
                services: Box::new(b.services.clone()),
            });
        }
        if a.routes != b.routes {
            actions.push(Action::SetRoutes {
                device: b.name.clone(),
                routes: b.routes.clone(),
            });
        }
        if a.powered != b.powered {
            actions.push(Action::Power {
                device: b.name.clone(),
                on: b.powered,
            });
        }
    }
    Some(actions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::IpConfig;
    use crate::testnet::TestNet;

    fn lab() -> Lab {
        TestNet::new()
            .pc("PC0", "192.168.1.10/24", None)
            .pc("PC1", "192.168.1.11/24", None)
            .switch("Switch0", 4)
            .link("PC0", "Switch0")
            .into_lab()
    }

    fn diff(a: &Lab, b: &Lab) -> Option<Vec<Action>> {
        live_actions(&sim_view(a), &sim_view(b))
    }

    #[test]
    fn moving_a_device_changes_nothing() {
        let a = lab();
        let mut b = a.clone();
        b.devices[0].pos.x += 50.0;
        assert_eq!(diff(&a, &b), Some(vec![]));
    }

    #[test]
    fn cable_order_and_ids_do_not_matter() {
        let a = lab();
        let mut b = a.clone();
        let l = &mut b.links[0];
        std::mem::swap(&mut l.a, &mut l.b);
        l.id = LinkId(77);
        assert_eq!(diff(&a, &b), Some(vec![]));
    }

    #[test]
    fn a_new_cable_is_a_plug_and_a_removed_one_an_unplug() {
        let a = lab();
        let b = TestNet::new()
            .pc("PC0", "192.168.1.10/24", None)
            .pc("PC1", "192.168.1.11/24", None)
            .switch("Switch0", 4)
            .link("PC0", "Switch0")
            .link("PC1", "Switch0")
            .into_lab();
        let plug = diff(&a, &b).expect("live");
        assert!(matches!(plug.as_slice(), [Action::Plug { a, .. }] if a.device == "PC1"));
        let unplug = diff(&b, &a).expect("live");
        assert!(matches!(unplug.as_slice(), [Action::Unplug { port }] if port.device == "PC1"));
    }

    #[test]
    fn an_address_is_set_live() {
        let a = lab();
        let mut b = a.clone();
        b.devices[0].ports[0].ip = IpConfig::Dhcp;
        let acts = diff(&a, &b).expect("live");
        assert!(
            matches!(acts.as_slice(), [Action::SetIp { port, ip: IpConfig::Dhcp }] if port.device == "PC0")
        );
    }

    #[test]
    fn power_is_live() {
        let a = lab();
        let mut b = a.clone();
        b.devices[2].powered = false;
        let acts = diff(&a, &b).expect("live");
        assert!(matches!(acts.as_slice(), [Action::Power { on: false, .. }]));
    }

    #[test]
    fn a_renamed_host_or_a_new_device_needs_a_rebuild() {
        let a = lab();
        let mut b = a.clone();
        b.devices[0].name = "Laptop".into();
        assert_eq!(diff(&a, &b), None);
        let mut c = a.clone();
        c.devices.pop();
        assert_eq!(diff(&a, &c), None);
    }
}
