//! A multilayer switch's routing at the console: `ip routing` / `no ip
//! routing`, its VLAN interfaces (`interface vlan 10` with `ip address`,
//! `ip helper-address`, `shutdown`), and the lines `show running-config`
//! and `show ip interface brief` print for them. VLAN 1's interface is the
//! management interface every switch has ([`IosSettings::vlan1`]); the
//! others live in [`VlanSettings::svis`](crate::vlan::VlanSettings::svis).
//!
//! [`IosSettings::vlan1`]: lanlab_doc::ios::IosSettings::vlan1

use std::net::Ipv4Addr;

use super::grammar::{Cmd, Matched};
use super::vlan::l3_lines;
use crate::lab::{Device, DeviceKind};

type Out = Result<String, String>;

/// `ip routing` (`on`) or `no ip routing`.
pub(super) fn ip_routing(d: &mut Device, on: bool) -> Out {
    match d.kind {
        DeviceKind::MultilayerSwitch => {
            d.ios.vlan.ip_routing = on;
            Ok(String::new())
        }
        DeviceKind::Router if on => Ok(String::new()),
        DeviceKind::Router => Err(
            "% lanlab: a router always routes here; no ip routing is for a multilayer switch.\n"
                .into(),
        ),
        _ => Err(
            "% lanlab: this switch (2960) does not route; place a Multilayer Switch for ip routing.\n"
                .into(),
        ),
    }
}

/// Whether `interface vlan V` may be entered on `d`.
///
/// # Errors
/// Why not, in IOS's words.
pub(super) fn enter(d: &mut Device, v: u16) -> Result<(), String> {
    if v == crate::vlan::DEFAULT_VLAN {
        return Ok(());
    }
    if d.kind != DeviceKind::MultilayerSwitch {
        return Err(
            "% lanlab: a 2960 switch has only interface vlan 1 (management); a Multilayer Switch has one per VLAN.\n"
                .into(),
        );
    }
    d.ios.vlan.svi_mut(v);
    Ok(())
}

/// `no interface vlan V`: deletes the VLAN interface.
pub(super) fn remove(d: &mut Device, m: &Matched) -> Out {
    let name = m.args.first().cloned().unwrap_or_default();
    match super::iface::resolve(d, &name) {
        Some(super::iface::IfRef::Vlan(1)) => d.ios.vlan1 = None,
        Some(super::iface::IfRef::Vlan(v)) => d.ios.vlan.svis.retain(|s| s.vlan != v),
        _ => {
            return Err(
                "% lanlab: only VLAN interfaces (interface vlan N) can be deleted.\n".into(),
            );
        }
    }
    Ok(String::new())
}

/// A command in `interface vlan V` mode (V other than 1).
pub(super) fn configure(d: &mut Device, v: u16, m: &Matched) -> Out {
    let svi = d.ios.vlan.svi_mut(v);
    match m.id {
        Cmd::IpAddress => {
            let (a, mask, _) = m.address_and_mask()?;
            svi.address = Some((a, mask));
        }
        Cmd::NoIpAddress => svi.address = None,
        Cmd::Helper => {
            let h = m.ip(0)?;
            if !svi.helpers.contains(&h) {
                svi.helpers.push(h);
            }
        }
        Cmd::NoHelper => {
            let one: Option<Ipv4Addr> = m.args.first().and_then(|a| a.parse().ok());
            svi.helpers.retain(|h| one.is_some_and(|o| o != *h));
        }
        Cmd::Shutdown => {
            let was = svi.shutdown;
            svi.shutdown = true;
            if !was {
                return Ok(format!(
                    "\n%LINK-5-CHANGED: Interface Vlan{v}, changed state to administratively down\n"
                ));
            }
        }
        Cmd::NoShutdown => {
            let was = svi.shutdown;
            svi.shutdown = false;
            if was {
                return Ok(format!(
                    "\n%LINK-5-CHANGED: Interface Vlan{v}, changed state to up\n"
                ));
            }
        }
        Cmd::Description | Cmd::NoDescription | Cmd::Ignored => {}
        _ => return Err("% lanlab: not on a VLAN interface.\n".into()),
    }
    Ok(String::new())
}

/// The `interface VlanN` blocks of `show running-config` (VLANs other than 1).
pub(super) fn running_lines(d: &Device) -> Vec<String> {
    let mut out = Vec::new();
    for s in d.ios.vlan.svis.iter().filter(|s| s.vlan != 1) {
        out.push(format!("interface Vlan{}", s.vlan));
        l3_lines(&mut out, s.address, &s.helpers, s.shutdown);
    }
    out
}

/// The `VlanN` lines of `show ip interface brief` (VLANs other than 1);
/// `up` says whether each VLAN's interface is up (the running state).
pub(super) fn brief_lines(d: &Device, up: &[(u16, bool)]) -> String {
    let mut out = String::new();
    for s in d.ios.vlan.svis.iter().filter(|s| s.vlan != 1) {
        let addr = s
            .address
            .map_or("unassigned".to_string(), |(a, _)| a.to_string());
        let method = if s.address.is_some() {
            "manual"
        } else {
            "unset"
        };
        let line_up = up.iter().any(|&(v, on)| v == s.vlan && on);
        let (st, proto) = match (s.shutdown, line_up) {
            (true, _) => ("administratively down", "down"),
            (false, true) => ("up", "up"),
            (false, false) => ("up", "down"),
        };
        out.push_str(&format!(
            "{:<23}{addr:<16}YES {method:<7}{st:<22}{proto}\n",
            format!("Vlan{}", s.vlan)
        ));
    }
    out
}
