//! What the canvas draws of each device and cable: a few signals per item,
//! kept up to date by one effect per source.
//!
//! Read straight from the document, every device and every cable on the
//! canvas subscribed to the one document signal (and to the selection and
//! the drag): at campus scale, some 4,000 subscribers of one signal. Any
//! edit, a drag's drop included, re-ran them all, and each re-run leaves
//! and rejoins that signal's subscriber list, which the reactive graph keeps
//! in order: the cost grew with the square of the lab (a 740 ms task for
//! dropping a device in a 1,000-device lab, 130 ms for picking one up).
//! Here one effect reads the document, one the selection, one the drag and
//! one the engine's leases, and each sets only the signals of the items
//! that changed.

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

use lanlab_sim::{Device, DeviceId, IpConfig, Lab, LinkId, Point};
use leptos::prelude::*;

use crate::state::{AppState, Selection, set_if_changed};

/// What the label under a device says about its address.
#[derive(Clone, Debug, PartialEq)]
pub enum IpLabel {
    /// No address.
    None,
    /// A static address.
    Static(String),
    /// Set to DHCP.
    Dhcp,
}

/// What the canvas draws of a device, from the document.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceLook {
    /// Its name.
    pub name: String,
    /// Switched on.
    pub powered: bool,
    /// Its first address, as the label says it.
    pub ip: IpLabel,
    /// Its place.
    pub pos: Point,
}

impl DeviceLook {
    fn of(d: &Device) -> Self {
        let ip = d
            .ports
            .iter()
            .find_map(|p| match &p.ip {
                IpConfig::Static(s) => Some(IpLabel::Static(s.address.to_string())),
                IpConfig::Dhcp => Some(IpLabel::Dhcp),
                IpConfig::None => None,
            })
            .unwrap_or(IpLabel::None);
        DeviceLook {
            name: d.name.clone(),
            powered: d.powered,
            ip,
            pos: d.pos,
        }
    }
}

/// What the canvas draws of a cable, from the document.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkLook {
    /// The device at each end.
    pub a: DeviceId,
    /// (The other end.)
    pub b: DeviceId,
    /// Their names.
    pub names: (String, String),
    /// Both ends switched on and neither port shut down.
    pub up: bool,
}

impl LinkLook {
    fn of(lab: &Lab, id: LinkId) -> Option<Self> {
        let link = lab.link(id)?;
        let a = lab.device(link.a.device)?;
        let b = lab.device(link.b.device)?;
        let open = |d: &Device, port: usize| !d.ports.get(port).is_some_and(|p| p.shutdown);
        Some(LinkLook {
            a: a.id,
            b: b.id,
            names: (a.name.clone(), b.name.clone()),
            up: a.powered && b.powered && open(a, link.a.port) && open(b, link.b.port),
        })
    }
}

/// One device's signals.
#[derive(Clone, Copy)]
pub struct DeviceSlot {
    /// From the document.
    pub look: RwSignal<DeviceLook>,
    /// Being dragged.
    pub moving: RwSignal<bool>,
    /// Selected (alone or with others).
    pub selected: RwSignal<bool>,
    /// The address the engine's DHCP gave it.
    pub leased: RwSignal<Option<Ipv4Addr>>,
}

/// One cable's signals.
#[derive(Clone, Copy)]
pub struct LinkSlot {
    /// From the document (`None` once the cable is gone).
    pub look: RwSignal<Option<LinkLook>>,
    /// Selected.
    pub selected: RwSignal<bool>,
}

/// The canvas's items' signals, by id. A slot is made when an item is first
/// drawn and kept (a deleted device's slot is reused if undo brings it
/// back), so nothing reads a disposed signal.
#[derive(Clone, Copy)]
pub struct Looks {
    st: AppState,
    owner: StoredValue<Owner, LocalStorage>,
    devices: StoredValue<HashMap<DeviceId, DeviceSlot>, LocalStorage>,
    links: StoredValue<HashMap<LinkId, LinkSlot>, LocalStorage>,
}

impl Looks {
    /// The slots of the canvas being built, kept up to date from the
    /// document, the selection, the devices being dragged (`moving`) and
    /// the engine's leases.
    pub fn new(
        st: AppState,
        moving: RwSignal<Vec<DeviceId>>,
        leased: Memo<HashMap<DeviceId, Ipv4Addr>>,
    ) -> Self {
        let looks = Looks {
            st,
            owner: StoredValue::new_local(Owner::current().unwrap_or_default()),
            devices: StoredValue::new_local(HashMap::new()),
            links: StoredValue::new_local(HashMap::new()),
        };
        Effect::new(move |_| st.lab.with(|lab| looks.follow_lab(lab)));
        Effect::new(move |_| {
            let (devices, links) = looks.selected_now();
            looks.each_device(|id, s| set_if_changed(s.selected, devices.contains(&id)));
            looks.each_link(|id, s| set_if_changed(s.selected, links.contains(&id)));
        });
        Effect::new(move |_| {
            let moving: HashSet<DeviceId> = moving.with(|m| m.iter().copied().collect());
            looks.each_device(|id, s| set_if_changed(s.moving, moving.contains(&id)));
        });
        Effect::new(move |_| {
            leased
                .with(|m| looks.each_device(|id, s| set_if_changed(s.leased, m.get(&id).copied())));
        });
        looks
    }

    /// Device `id`'s slot, made now if it is new; `None` if the document
    /// has no such device.
    pub fn device(&self, id: DeviceId) -> Option<DeviceSlot> {
        if let Some(s) = self.devices.with_value(|m| m.get(&id).copied()) {
            return Some(s);
        }
        let look = self
            .st
            .lab
            .with_untracked(|l| l.device(id).map(DeviceLook::of))?;
        let selected = untrack(|| self.selected_now()).0.contains(&id);
        let slot = self.owner.with_value(|o| {
            o.with(|| DeviceSlot {
                look: RwSignal::new(look),
                moving: RwSignal::new(false),
                selected: RwSignal::new(selected),
                leased: RwSignal::new(None),
            })
        });
        self.devices.update_value(|m| {
            m.insert(id, slot);
        });
        Some(slot)
    }

    /// Cable `id`'s slot, made now if it is new.
    pub fn link(&self, id: LinkId) -> LinkSlot {
        if let Some(s) = self.links.with_value(|m| m.get(&id).copied()) {
            return s;
        }
        let look = self.st.lab.with_untracked(|l| LinkLook::of(l, id));
        let selected = untrack(|| self.selected_now()).1.contains(&id);
        let slot = self.owner.with_value(|o| {
            o.with(|| LinkSlot {
                look: RwSignal::new(look),
                selected: RwSignal::new(selected),
            })
        });
        self.links.update_value(|m| {
            m.insert(id, slot);
        });
        slot
    }

    /// Brings every drawn item's look in line with the document.
    fn follow_lab(&self, lab: &Lab) {
        let devices = self.devices.with_value(|m| m.clone());
        for d in &lab.devices {
            if let Some(s) = devices.get(&d.id) {
                let look = DeviceLook::of(d);
                if s.look.with_untracked(|l| *l != look) {
                    s.look.set(look);
                }
            }
        }
        self.each_link(|id, s| {
            let look = LinkLook::of(lab, id);
            if s.look.with_untracked(|l| *l != look) {
                s.look.set(look);
            }
        });
    }

    /// The selected devices and cables (tracked).
    fn selected_now(&self) -> (HashSet<DeviceId>, HashSet<LinkId>) {
        let mut devices: HashSet<DeviceId> = self.st.multi.with(|m| m.iter().copied().collect());
        let mut links = HashSet::new();
        match self.st.selection.get() {
            Some(Selection::Device(id)) => {
                devices.insert(id);
            }
            Some(Selection::Link(id)) => {
                links.insert(id);
            }
            _ => {}
        }
        (devices, links)
    }

    fn each_device(&self, mut f: impl FnMut(DeviceId, &DeviceSlot)) {
        let slots = self.devices.with_value(|m| m.clone());
        for (id, s) in &slots {
            f(*id, s);
        }
    }

    fn each_link(&self, mut f: impl FnMut(LinkId, &LinkSlot)) {
        let slots = self.links.with_value(|m| m.clone());
        for (id, s) in &slots {
            f(*id, s);
        }
    }
}
