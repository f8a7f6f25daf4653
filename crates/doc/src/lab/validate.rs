//! Checking a lab document: names, ids, cables, addresses, routes, actions.

use std::net::Ipv4Addr;

use super::{Device, Lab, LabError, check_name};
use crate::config::{check_port_ip, check_route};
use crate::error::{ActionProblem, Malformed};

impl Lab {
    /// Checks the invariants every edit keeps.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self) -> Result<(), LabError> {
        let mut names = std::collections::HashMap::new();
        let mut ids = std::collections::HashMap::new();
        for d in &self.devices {
            check_name(&d.name)?;
            d.services.validate(&d.name)?;
            if names.insert(d.name.to_lowercase(), d).is_some() {
                return Err(LabError::DuplicateName(d.name.clone()));
            }
            if ids.insert(d.id, d).is_some() {
                return Err(LabError::Malformed(Malformed::DeviceIdTwice(d.id.0)));
            }
        }
        let mut used = std::collections::HashSet::new();
        for l in &self.links {
            if l.a.device == l.b.device {
                return Err(LabError::SelfLink);
            }
            if !(0.0..=1.0).contains(&l.loss) {
                return Err(LabError::BadLoss(l.loss));
            }
            for end in [l.a, l.b] {
                let dev = *ids
                    .get(&end.device)
                    .ok_or(LabError::NoSuchDevice(end.device.0))?;
                let port = dev
                    .ports
                    .get(end.port)
                    .ok_or_else(|| LabError::NoSuchPort {
                        device: dev.name.clone(),
                        port: end.port,
                    })?;
                if !used.insert(end) {
                    return Err(LabError::PortInUse {
                        device: dev.name.clone(),
                        port: port.name.clone(),
                    });
                }
            }
        }
        self.validate_ip()?;
        if let Some(a) = &self.activity {
            a.validate()?;
        }
        let lookup = |name: &str| names.get(&name.to_lowercase()).copied();
        for (i, a) in self.actions.iter().enumerate() {
            check_action_with(&lookup, &a.action).map_err(|reason| LabError::BadAction {
                index: i + 1,
                action: a.action.to_string(),
                reason,
            })?;
        }
        Ok(())
    }

    pub(super) fn validate_ip(&self) -> Result<(), LabError> {
        let mut seen: std::collections::HashMap<Ipv4Addr, String> =
            std::collections::HashMap::new();
        for d in &self.devices {
            for p in &d.ports {
                let label = format!("{} {}", d.name, p.name);
                check_port_ip(&label, &p.ip)?;
                if let Some(s) = p.ip.as_static()
                    && let Some(first) = seen.insert(s.address, label.clone())
                {
                    return Err(LabError::DuplicateAddress {
                        address: s.address,
                        first,
                        second: label,
                    });
                }
            }
            for r in &d.routes {
                check_route(&d.name, r)?;
            }
        }
        Ok(())
    }

    /// Checks that an action names existing devices and ports.
    ///
    /// # Errors
    /// What does not exist, or the rule the action's configuration breaks.
    pub fn check_action(&self, a: &crate::action::Action) -> Result<(), ActionProblem> {
        check_action_with(&|name: &str| self.device_by_name(name), a)
    }
}

fn check_action_with<'a>(
    lookup: &dyn Fn(&str) -> Option<&'a Device>,
    a: &crate::action::Action,
) -> Result<(), ActionProblem> {
    use crate::action::Action;
    let dev = |name: &str| lookup(name).ok_or_else(|| ActionProblem::NoDevice(name.to_string()));
    let invalid = |e: LabError| ActionProblem::Invalid(Box::new(e));

    let port = |r: &crate::action::PortRef| -> Result<(), ActionProblem> {
        let d = dev(&r.device)?;
        d.port_index(&r.port)
            .map(|_| ())
            .ok_or_else(|| ActionProblem::NoPort {
                device: d.name.clone(),
                port: r.port.clone(),
            })
    };
    match a {
        Action::Unplug { port: r } => port(r),
        Action::Plug { a, b } => port(a).and(port(b)),
        Action::SetIp { port: r, ip } => {
            port(r)?;
            check_port_ip(&r.to_string(), ip).map_err(invalid)
        }
        Action::SetRoutes { device, routes } => {
            dev(device)?;
            for r in routes {
                check_route(device, r).map_err(invalid)?;
            }
            Ok(())
        }
        Action::SetServices { device, services } => {
            let d = dev(device)?;
            services.validate(&d.name).map_err(invalid)
        }
        other => dev(other.device()).map(|_| ()),
    }
}
