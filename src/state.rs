//! The app's state, split the tldraw way: the **document** (the [`Lab`]:
//! saved, shared, undoable), the **session** (selection, tool, language,
//! status: never saved). Components read signals and send [`Command`]s to
//! [`AppState::dispatch`]; only `dispatch` mutates the document.

use lanlab_sim::{
    DeviceId, DeviceKind, IpConfig, Lab, LabError, LinkEnd, LinkId, Point, Services, StaticRoute,
};
use leptos::prelude::*;

use crate::i18n::{Key, Lang};

/// What is selected on the canvas.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// A device.
    Device(DeviceId),
    /// A cable.
    Link(LinkId),
}

/// What a click on the canvas does.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Tool {
    /// Select and move devices.
    Select,
    /// Place a device of this kind where the canvas is clicked.
    Place(DeviceKind),
    /// Join two devices with a cable; `from` is the first device once chosen.
    Cable {
        /// The device clicked first.
        from: Option<DeviceId>,
    },
}

/// A change to the document.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Place a new device.
    Add {
        /// Its kind.
        kind: DeviceKind,
        /// Where, in canvas units.
        pos: Point,
    },
    /// Move a device (one command per finished drag).
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
        /// First device.
        a: DeviceId,
        /// Second device.
        b: DeviceId,
    },
    /// Delete a device (with its cables) or a cable.
    Delete(Selection),
    /// Change an interface's IPv4 settings.
    SetIp {
        /// The interface.
        end: LinkEnd,
        /// The new settings.
        ip: IpConfig,
    },
    /// Replace a device's services (DHCP, DNS, HTTP, e-mail, firewall, …).
    SetServices {
        /// The device.
        id: DeviceId,
        /// The whole new configuration (checked before it is kept).
        services: Box<Services>,
    },
    /// Replace a router's static routes.
    SetRoutes {
        /// The router.
        id: DeviceId,
        /// The new routes.
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
    SetActivity(Option<Box<lanlab_sim::activity::Activity>>),
}

/// A message in the status bar.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// A translatable hint.
    Hint(Key),
    /// Something the user tried failed.
    Error(String),
    /// Something happened (already worded in the current language).
    Info(String),
}

/// All signals of the app, shared through context.
#[derive(Copy, Clone)]
pub struct AppState {
    /// The document.
    pub lab: RwSignal<Lab>,
    /// Session: what is selected.
    pub selection: RwSignal<Option<Selection>>,
    /// Session: the active tool.
    pub tool: RwSignal<Tool>,
    /// Session: the UI language.
    pub lang: RwSignal<Lang>,
    /// Session: the status-bar message.
    pub status: RwSignal<Option<Status>>,
    /// The canvas `<svg>`, to turn pointer positions into canvas units.
    pub canvas: NodeRef<leptos::svg::Svg>,
    /// Session: opened inside an LMS iframe (`?embed=1`): compact UI.
    pub embedded: bool,
}

impl AppState {
    /// Fresh state with an empty lab.
    pub fn new(lang: Lang) -> Self {
        AppState {
            lab: RwSignal::new(Lab::new("")),
            selection: RwSignal::new(None),
            tool: RwSignal::new(Tool::Select),
            lang: RwSignal::new(lang),
            status: RwSignal::new(None),
            canvas: NodeRef::new(),
            embedded: false,
        }
    }

    /// The state provided by the nearest [`crate::App`].
    pub fn expect() -> Self {
        expect_context::<AppState>()
    }

    /// Applies a command to the document. On failure the document is
    /// unchanged and the status bar says why.
    ///
    /// # Errors
    /// The reason, worded in the current language.
    pub fn dispatch(&self, cmd: Command) -> Result<(), String> {
        let lang = self.lang.get_untracked();
        // The teacher's lock refuses edits to locked parts (see `crate::activity`).
        if let Err(text) = crate::activity::guard(self, &cmd) {
            self.status.set(Some(Status::Error(text.clone())));
            return Err(text);
        }
        let result = match cmd {
            Command::Add { kind, pos } => {
                let mut id = None;
                self.lab.update(|lab| id = Some(lab.add_device(kind, pos)));
                self.selection.set(id.map(Selection::Device));
                Ok(())
            }
            Command::Move { id, pos } => {
                self.lab.update(|lab| {
                    lab.move_device(id, pos);
                });
                Ok(())
            }
            Command::Rename { id, name } => {
                self.try_edit(|lab| lab.rename_device(id, &name).map(drop))
            }
            Command::Connect { a, b } => {
                let mut made = None;
                let r = self.try_edit(|lab| {
                    let id = lab.connect(a, b)?;
                    made = lab
                        .link(id)
                        .map(|l| (lab.end_label(l.a), lab.end_label(l.b)));
                    Ok(())
                });
                if let Some((ea, eb)) = made {
                    self.status.set(Some(Status::Info(format!(
                        "{} {ea} — {eb}",
                        lang.t(Key::CableBetween)
                    ))));
                }
                r
            }
            Command::SetIp { end, ip } => self.try_edit(|lab| lab.set_ip(end, ip).map(drop)),
            Command::SetServices { id, services } => self.try_edit(|lab| {
                let d = lab.device_mut(id).ok_or(LabError::NoSuchDevice(id.0))?;
                d.services = *services;
                lab.validate()
            }),
            Command::SetRoutes { id, routes } => self.try_edit(|lab| {
                let d = lab.device_mut(id).ok_or(LabError::NoSuchDevice(id.0))?;
                d.routes = routes;
                lab.validate()
            }),
            Command::SetPower { id, on } => self.try_edit(|lab| {
                let d = lab.device_mut(id).ok_or(LabError::NoSuchDevice(id.0))?;
                d.powered = on;
                Ok(())
            }),
            Command::SetActivity(a) => self.try_edit(|lab| {
                lab.activity = a.map(|a| *a);
                lab.validate()
            }),
            Command::Delete(sel) => {
                self.lab.update(|lab| match sel {
                    Selection::Device(id) => {
                        lab.remove_device(id);
                    }
                    Selection::Link(id) => {
                        lab.disconnect(id);
                    }
                });
                if self.selection.get_untracked() == Some(sel) {
                    self.selection.set(None);
                }
                Ok(())
            }
        };
        result.map_err(|e| {
            let text = crate::i18n::lab_error(lang, &e);
            self.status.set(Some(Status::Error(text.clone())));
            text
        })
    }

    /// Runs a fallible edit on a copy and keeps it only if it succeeds.
    fn try_edit(&self, f: impl FnOnce(&mut Lab) -> Result<(), LabError>) -> Result<(), LabError> {
        let mut next = self.lab.get_untracked();
        f(&mut next)?;
        self.lab.set(next);
        Ok(())
    }

    /// Converts a pointer position (client pixels) to canvas units, or `None`
    /// when the point is outside the canvas.
    pub fn client_to_canvas(&self, x: f64, y: f64) -> Option<Point> {
        let svg = self.canvas.get_untracked()?;
        let r = svg.get_bounding_client_rect();
        let inside = x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom();
        inside.then(|| Point::new(x - r.left(), y - r.top()))
    }

    /// A free spot for a device placed without a pointer (keyboard, button).
    pub fn next_free_spot(&self) -> Point {
        self.lab.with_untracked(|lab| {
            let n = lab.devices.len();
            let col = (n % 6) as f64;
            let row = (n / 6) as f64;
            Point::new(100.0 + col * 130.0, 90.0 + row * 120.0)
        })
    }
}
