//! Document edits with inverses: the basis of undo and redo.
//!
//! [`Edit::apply`] changes a [`Lab`] and returns the edit that takes it back,
//! so an editor keeps a stack of inverses: undo applies the top one (and gets
//! the redo edit in return). Every edit is atomic (on error the lab is
//! unchanged) and keeps device and cable ids: undoing a deletion puts the
//! same device, cables and ids back where they were in the lists, so undo
//! followed by redo gives back exactly the same document.

use crate::activity::Activity;
use crate::config::{IpConfig, StaticRoute};
use crate::error::Malformed;
use crate::services::Services;

use super::{Device, DeviceId, DeviceKind, Lab, LabError, Link, LinkEnd, LinkId, Point};

/// One change to a lab, or a group of changes that undo as one.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Place a new device (default ports, next free name). A router's
    /// interfaces start administratively down (`shutdown`), as on a real
    /// router fresh from the box; [`Lab::add_device`] (builders, tests,
    /// older documents) leaves them up.
    AddDevice {
        /// Its kind.
        kind: DeviceKind,
        /// Its centre on the canvas.
        pos: Point,
    },
    /// Remove a device and its cables.
    RemoveDevice(DeviceId),
    /// Put back a removed device and its cables at their old places in the lists.
    RestoreDevice {
        /// The device, with its id.
        device: Box<Device>,
        /// Where it stood in `devices`.
        index: usize,
        /// Its cables with their places in `links`, in increasing order.
        links: Vec<(usize, Link)>,
    },
    /// Move a device.
    Move {
        /// The device.
        id: DeviceId,
        /// Its new centre.
        pos: Point,
    },
    /// Rename a device.
    Rename {
        /// The device.
        id: DeviceId,
        /// The new name.
        name: String,
    },
    /// Cable two devices on their first free ports.
    Connect {
        /// One device.
        a: DeviceId,
        /// The other.
        b: DeviceId,
    },
    /// Cable two given ports.
    ConnectPorts {
        /// One end.
        a: LinkEnd,
        /// The other.
        b: LinkEnd,
    },
    /// Remove a cable.
    Disconnect(LinkId),
    /// Put back a removed cable (same id) at its old place in the list.
    RestoreLink {
        /// The cable.
        link: Link,
        /// Where it stood in `links`.
        index: usize,
    },
    /// Set an interface's IPv4 settings.
    SetIp {
        /// The interface.
        end: LinkEnd,
        /// The settings.
        ip: IpConfig,
    },
    /// Replace a device's services.
    SetServices {
        /// The device.
        id: DeviceId,
        /// The new configuration.
        services: Box<Services>,
    },
    /// Replace a router's static routes.
    SetRoutes {
        /// The router.
        id: DeviceId,
        /// The routes.
        routes: Vec<StaticRoute>,
    },
    /// Switch a device on or off.
    SetPower {
        /// The device.
        id: DeviceId,
        /// On?
        on: bool,
    },
    /// Replace the lab's activity (instructions, checks, teacher lock).
    SetActivity(Option<Box<Activity>>),
    /// Replace a device's configuration (what its IOS console changes):
    /// name, ports' settings, routes, services and IOS settings. The id,
    /// kind, position, power and the ports' count, names and MACs stay.
    Configure {
        /// The device.
        id: DeviceId,
        /// The new configuration.
        device: Box<Device>,
    },
    /// Several edits applied in order, undone as one.
    Group(Vec<Edit>),
}

impl Edit {
    /// Applies the edit and returns its inverse. On error the lab is unchanged.
    ///
    /// # Errors
    /// Why the edit cannot be made (missing device, name in use, full device, …).
    pub fn apply(self, lab: &mut Lab) -> Result<Edit, LabError> {
        match self {
            Edit::AddDevice { kind, pos } => {
                let id = lab.add_device(kind, pos);
                if kind == DeviceKind::Router
                    && let Some(d) = lab.device_mut(id)
                {
                    for p in &mut d.ports {
                        p.shutdown = true;
                    }
                }
                Ok(Edit::RemoveDevice(id))
            }
            Edit::RemoveDevice(id) => {
                let index = lab
                    .devices
                    .iter()
                    .position(|d| d.id == id)
                    .ok_or(LabError::NoSuchDevice(id.0))?;
                let links: Vec<(usize, Link)> = lab
                    .links
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.a.device == id || l.b.device == id)
                    .map(|(i, l)| (i, l.clone()))
                    .collect();
                let (device, _) = lab.remove_device(id).ok_or(LabError::NoSuchDevice(id.0))?;
                Ok(Edit::RestoreDevice {
                    device: Box::new(device),
                    index,
                    links,
                })
            }
            Edit::RestoreDevice {
                device,
                index,
                links,
            } => {
                let id = device.id;
                if lab.device(id).is_some() {
                    return Err(LabError::Malformed(Malformed::DeviceIdTwice(id.0)));
                }
                let mut next = lab.clone();
                next.devices.insert(index.min(next.devices.len()), *device);
                for (i, link) in links {
                    if next.link(link.id).is_some() {
                        return Err(LabError::Malformed(Malformed::CableIdTwice(link.id.0)));
                    }
                    next.links.insert(i.min(next.links.len()), link);
                }
                next.validate()?;
                *lab = next;
                Ok(Edit::RemoveDevice(id))
            }
            Edit::Move { id, pos } => {
                let old = lab
                    .move_device(id, pos)
                    .ok_or(LabError::NoSuchDevice(id.0))?;
                Ok(Edit::Move { id, pos: old })
            }
            Edit::Rename { id, name } => {
                let old = lab.rename_device(id, &name)?;
                Ok(Edit::Rename { id, name: old })
            }
            Edit::Connect { a, b } => Ok(Edit::Disconnect(lab.connect(a, b)?)),
            Edit::ConnectPorts { a, b } => Ok(Edit::Disconnect(lab.connect_ports(a, b)?)),
            Edit::Disconnect(id) => {
                let index = lab
                    .links
                    .iter()
                    .position(|l| l.id == id)
                    .ok_or(LabError::Malformed(Malformed::NoSuchCable(id.0)))?;
                let link = lab.links.remove(index);
                Ok(Edit::RestoreLink { link, index })
            }
            Edit::RestoreLink { link, index } => {
                let id = link.id;
                if lab.link(id).is_some() {
                    return Err(LabError::Malformed(Malformed::CableIdTwice(id.0)));
                }
                for end in [link.a, link.b] {
                    if lab.link_at(end).is_some() {
                        let d = lab.device(end.device).map(|d| d.name.clone());
                        let port = lab
                            .device(end.device)
                            .and_then(|d| d.ports.get(end.port))
                            .map(|p| p.name.clone());
                        return Err(LabError::PortInUse {
                            device: d.unwrap_or_default(),
                            port: port.unwrap_or_default(),
                        });
                    }
                }
                let mut next = lab.clone();
                next.links.insert(index.min(next.links.len()), link);
                next.validate()?;
                *lab = next;
                Ok(Edit::Disconnect(id))
            }
            Edit::SetIp { end, ip } => {
                let old = lab.set_ip(end, ip)?;
                Ok(Edit::SetIp { end, ip: old })
            }
            Edit::SetServices { id, services } => {
                let d = lab.device_mut(id).ok_or(LabError::NoSuchDevice(id.0))?;
                let old = std::mem::replace(&mut d.services, *services);
                if let Err(e) = lab.validate() {
                    if let Some(d) = lab.device_mut(id) {
                        d.services = old;
                    }
                    return Err(e);
                }
                Ok(Edit::SetServices {
                    id,
                    services: Box::new(old),
                })
            }
            Edit::SetRoutes { id, routes } => {
                let d = lab.device_mut(id).ok_or(LabError::NoSuchDevice(id.0))?;
                let old = std::mem::replace(&mut d.routes, routes);
                if let Err(e) = lab.validate() {
                    if let Some(d) = lab.device_mut(id) {
                        d.routes = old;
                    }
                    return Err(e);
                }
                Ok(Edit::SetRoutes { id, routes: old })
            }
            Edit::SetPower { id, on } => {
                let d = lab.device_mut(id).ok_or(LabError::NoSuchDevice(id.0))?;
                let old = std::mem::replace(&mut d.powered, on);
                Ok(Edit::SetPower { id, on: old })
            }
            Edit::SetActivity(activity) => {
                let mut next = lab.clone();
                let old = std::mem::replace(&mut next.activity, activity.map(|a| *a));
                next.validate()?;
                *lab = next;
                Ok(Edit::SetActivity(old.map(Box::new)))
            }
            Edit::Configure { id, device } => {
                let old = lab
                    .device(id)
                    .cloned()
                    .ok_or(LabError::NoSuchDevice(id.0))?;
                let mut next = lab.clone();
                let d = next.device_mut(id).ok_or(LabError::NoSuchDevice(id.0))?;
                d.configure_from(&device);
                next.validate()?;
                *lab = next;
                Ok(Edit::Configure {
                    id,
                    device: Box::new(old),
                })
            }
            Edit::Group(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for e in edits {
                    match e.apply(lab) {
                        Ok(inv) => inverses.push(inv),
                        Err(err) => {
                            // Take back what was done, newest first.
                            for inv in inverses.into_iter().rev() {
                                let _ = inv.apply(lab);
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Group(inverses))
            }
        }
    }

    /// Whether the edit changes nothing worth an undo step (an empty group).
    pub fn is_empty(&self) -> bool {
        matches!(self, Edit::Group(g) if g.iter().all(Edit::is_empty))
    }
}

/// Undo and redo stacks of inverse edits, with a size cap.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

impl History {
    /// The most undo steps kept; the oldest are dropped beyond it.
    pub const CAP: usize = 200;

    /// Applies `edit` as a new user edit: its inverse goes on the undo stack
    /// and the redo stack is cleared. Returns the inverse for inspection.
    ///
    /// # Errors
    /// As [`Edit::apply`]; the history is unchanged then.
    pub fn apply(&mut self, lab: &mut Lab, edit: Edit) -> Result<&Edit, LabError> {
        let inverse = edit.apply(lab)?;
        self.redo.clear();
        self.undo.push(inverse);
        if self.undo.len() > Self::CAP {
            self.undo.remove(0);
        }
        Ok(self.undo.last().expect("just pushed"))
    }

    /// Undoes the newest edit. `Ok(None)` when there is nothing to undo.
    ///
    /// # Errors
    /// When the inverse no longer applies (the step is dropped).
    pub fn undo(&mut self, lab: &mut Lab) -> Result<Option<&Edit>, LabError> {
        let Some(edit) = self.undo.pop() else {
            return Ok(None);
        };
        let redo = edit.apply(lab)?;
        self.redo.push(redo);
        Ok(self.redo.last())
    }

    /// Redoes the newest undone edit. `Ok(None)` when there is nothing to redo.
    ///
    /// # Errors
    /// When the edit no longer applies (the step is dropped).
    pub fn redo(&mut self, lab: &mut Lab) -> Result<Option<&Edit>, LabError> {
        let Some(edit) = self.redo.pop() else {
            return Ok(None);
        };
        let undo = edit.apply(lab)?;
        self.undo.push(undo);
        Ok(self.undo.last())
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets everything (a new or loaded document).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }

    /// How many undo steps there are.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn lab3() -> (Lab, DeviceId, DeviceId, DeviceId) {
        let mut lab = Lab::new("t");
        let pc = lab.add_device(DeviceKind::Pc, Point::new(10.0, 10.0));
        let sw = lab.add_device(DeviceKind::Switch, Point::new(100.0, 10.0));
        let srv = lab.add_device(DeviceKind::Server, Point::new(200.0, 10.0));
        lab.connect(pc, sw).unwrap();
        lab.connect(srv, sw).unwrap();
        (lab, pc, sw, srv)
    }

    /// Applies, undoes and redoes `edit`, checking the document each time.
    fn round_trip(lab: &mut Lab, edit: Edit) {
        let before = lab.clone();
        let mut h = History::default();
        h.apply(lab, edit).unwrap();
        let after = lab.clone();
        assert_ne!(before, after, "the edit changed something");
        h.undo(lab).unwrap().unwrap();
        assert_eq!(*lab, before, "undo gives back the same document");
        assert!(h.can_redo());
        h.redo(lab).unwrap().unwrap();
        assert_eq!(*lab, after, "redo gives back the edited document");
        h.undo(lab).unwrap();
        assert_eq!(*lab, before);
    }

    #[test]
    fn every_kind_of_edit_round_trips() {
        let (mut lab, pc, sw, srv) = lab3();
        round_trip(
            &mut lab,
            Edit::AddDevice {
                kind: DeviceKind::Router,
                pos: Point::new(5.0, 5.0),
            },
        );
        round_trip(&mut lab, Edit::RemoveDevice(sw));
        round_trip(&mut lab, Edit::RemoveDevice(pc));
        round_trip(
            &mut lab,
            Edit::Move {
                id: pc,
                pos: Point::new(50.0, 60.0),
            },
        );
        round_trip(
            &mut lab,
            Edit::Rename {
                id: pc,
                name: "Meja1".into(),
            },
        );
        let lid = lab.links[0].id;
        round_trip(&mut lab, Edit::Disconnect(lid));
        let mut l2 = lab.clone();
        l2.disconnect(lid);
        round_trip(&mut l2, Edit::Connect { a: pc, b: sw });
        round_trip(
            &mut l2,
            Edit::ConnectPorts {
                a: LinkEnd {
                    device: pc,
                    port: 0,
                },
                b: LinkEnd {
                    device: sw,
                    port: 5,
                },
            },
        );
        round_trip(
            &mut lab,
            Edit::SetIp {
                end: LinkEnd {
                    device: pc,
                    port: 0,
                },
                ip: IpConfig::static_ip(Ipv4Addr::new(10, 0, 0, 2), Ipv4Addr::new(255, 0, 0, 0)),
            },
        );
        round_trip(&mut lab, Edit::SetPower { id: srv, on: false });
        let mut services = lab.device(srv).unwrap().services.clone();
        services.http = Some(crate::services::HttpService {
            enabled: true,
            config: Default::default(),
        });
        round_trip(
            &mut lab,
            Edit::SetServices {
                id: srv,
                services: Box::new(services),
            },
        );
        let router = lab.add_device(DeviceKind::Router, Point::new(300.0, 10.0));
        round_trip(
            &mut lab,
            Edit::SetRoutes {
                id: router,
                routes: vec![StaticRoute {
                    network: Ipv4Addr::new(10, 1, 0, 0),
                    mask: Ipv4Addr::new(255, 255, 0, 0),
                    next_hop: Ipv4Addr::new(10, 0, 0, 1),
                    distance: None,
                }],
            },
        );
        // A route with host bits is refused and changes nothing.
        let before = lab.clone();
        assert!(
            Edit::SetRoutes {
                id: router,
                routes: vec![StaticRoute {
                    network: Ipv4Addr::new(10, 1, 0, 5),
                    mask: Ipv4Addr::new(255, 255, 0, 0),
                    next_hop: Ipv4Addr::new(10, 0, 0, 1),
                    distance: None,
                }],
            }
            .apply(&mut lab)
            .is_err()
        );
        assert_eq!(lab, before);
        round_trip(
            &mut lab,
            Edit::Group(vec![
                Edit::Move {
                    id: pc,
                    pos: Point::new(1.0, 2.0),
                },
                Edit::Move {
                    id: srv,
                    pos: Point::new(3.0, 4.0),
                },
                Edit::RemoveDevice(sw),
                Edit::RemoveDevice(pc),
            ]),
        );
    }

    #[test]
    fn undoing_a_delete_keeps_ids_and_order() {
        let (mut lab, _pc, sw, _srv) = lab3();
        let before = lab.clone();
        let inv = Edit::RemoveDevice(sw).apply(&mut lab).unwrap();
        assert!(lab.links.is_empty());
        // A device added meanwhile must not take the removed one's place
        // once it is undone in order.
        inv.apply(&mut lab).unwrap();
        assert_eq!(lab, before);
        assert_eq!(lab.devices[1].id, sw);
    }

    #[test]
    fn a_failing_edit_changes_nothing() {
        let (mut lab, pc, sw, _srv) = lab3();
        let before = lab.clone();
        let mut h = History::default();
        assert!(matches!(
            h.apply(
                &mut lab,
                Edit::Rename {
                    id: pc,
                    name: "switch0".into()
                }
            ),
            Err(LabError::DuplicateName(_))
        ));
        // A group failing half-way is rolled back.
        let err = h.apply(
            &mut lab,
            Edit::Group(vec![
                Edit::Move {
                    id: pc,
                    pos: Point::new(9.0, 9.0),
                },
                Edit::RemoveDevice(sw),
                Edit::RemoveDevice(sw),
            ]),
        );
        assert!(err.is_err());
        assert_eq!(lab, before);
        assert!(!h.can_undo());
    }

    #[test]
    fn history_is_capped_and_a_new_edit_clears_redo() {
        let (mut lab, pc, ..) = lab3();
        let mut h = History::default();
        for i in 0..(History::CAP + 20) {
            h.apply(
                &mut lab,
                Edit::Move {
                    id: pc,
                    pos: Point::new(i as f64, 0.0),
                },
            )
            .unwrap();
        }
        assert_eq!(h.undo_len(), History::CAP);
        h.undo(&mut lab).unwrap();
        assert!(h.can_redo());
        h.apply(&mut lab, Edit::SetPower { id: pc, on: false })
            .unwrap();
        assert!(!h.can_redo());
        while h.can_undo() {
            h.undo(&mut lab).unwrap();
        }
        // The oldest 20 steps were dropped: the PC is where step 20 left it.
        assert_eq!(lab.device(pc).unwrap().pos, Point::new(19.0, 0.0));
        assert!(h.undo(&mut lab).unwrap().is_none());
    }
}
