//! The app's state, split the tldraw way: the **document** (the [`Lab`]:
//! saved, shared, undoable), the **session** (selection, tool, language,
//! status: never saved). Components read signals and send [`Command`]s to
//! [`AppState::dispatch`]; only `dispatch` mutates the document.

use lanlab_sim::lab::{Edit, History};
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
    /// Drag the canvas to pan it.
    Hand,
}

/// The visible part of the canvas: top-left corner in canvas units and the
/// zoom (screen pixels per canvas unit). The `<svg>`'s viewBox follows it.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct View {
    /// Left edge, canvas units.
    pub x: f64,
    /// Top edge, canvas units.
    pub y: f64,
    /// Screen pixels per canvas unit.
    pub zoom: f64,
}

impl Default for View {
    fn default() -> Self {
        View {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

/// The zoom range.
pub const MIN_ZOOM: f64 = 0.2;
/// The zoom range.
pub const MAX_ZOOM: f64 = 4.0;

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
    /// Cable two given ports.
    ConnectPorts {
        /// First end.
        a: LinkEnd,
        /// Second end.
        b: LinkEnd,
    },
    /// Delete a device (with its cables) or a cable.
    Delete(Selection),
    /// Several commands that undo as one step (a group move or delete).
    Batch(Vec<Command>),
    /// Replace the lab's activity (instructions, checks, teacher lock).
    SetActivity(Option<Box<lanlab_sim::activity::Activity>>),
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
    /// Take a router's or switch's configuration from its console.
    Configure {
        /// The device.
        id: DeviceId,
        /// The device as its console left it.
        device: Box<lanlab_sim::Device>,
    },
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
    /// Session: what is selected (one device or cable; `None` when several
    /// devices are selected, see [`AppState::multi`]).
    pub selection: RwSignal<Option<Selection>>,
    /// Session: the devices selected together (empty, or two and more).
    pub multi: RwSignal<Vec<DeviceId>>,
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
    /// Session: undo and redo stacks of document edits.
    pub history: StoredValue<History>,
    /// Session: whether undo / redo are possible now (for the buttons).
    pub can_undo_redo: RwSignal<(bool, bool)>,
    /// Session: pan and zoom of the canvas.
    pub view: RwSignal<View>,
    /// Session: the canvas element's size in pixels (width, height).
    pub size: RwSignal<(f64, f64)>,
    /// Session: the device whose name is being edited on the canvas.
    pub renaming: RwSignal<Option<DeviceId>>,
    /// Session: high-contrast looks (also on with `prefers-contrast: more`).
    pub high_contrast: RwSignal<bool>,
    /// Session: the cable tool asks which ports to use.
    pub choose_ports: RwSignal<bool>,
    /// Session: the two devices whose ports the port chooser offers.
    pub port_pick: RwSignal<Option<(DeviceId, DeviceId)>>,
}

impl AppState {
    /// Fresh state with an empty lab.
    pub fn new(lang: Lang) -> Self {
        AppState {
            lab: RwSignal::new(Lab::new("")),
            selection: RwSignal::new(None),
            multi: RwSignal::new(Vec::new()),
            tool: RwSignal::new(Tool::Select),
            lang: RwSignal::new(lang),
            status: RwSignal::new(None),
            canvas: NodeRef::new(),
            embedded: false,
            history: StoredValue::new(History::default()),
            can_undo_redo: RwSignal::new((false, false)),
            view: RwSignal::new(View::default()),
            size: RwSignal::new((0.0, 0.0)),
            renaming: RwSignal::new(None),
            high_contrast: RwSignal::new(false),
            choose_ports: RwSignal::new(false),
            port_pick: RwSignal::new(None),
        }
    }

    /// The state provided by the nearest [`crate::App`].
    pub fn expect() -> Self {
        expect_context::<AppState>()
    }

    /// Turns a command into a document edit.
    fn to_edit(cmd: Command) -> Edit {
        match cmd {
            Command::Add { kind, pos } => Edit::AddDevice { kind, pos },
            Command::Move { id, pos } => Edit::Move { id, pos },
            Command::Rename { id, name } => Edit::Rename { id, name },
            Command::Connect { a, b } => Edit::Connect { a, b },
            Command::ConnectPorts { a, b } => Edit::ConnectPorts { a, b },
            Command::Delete(Selection::Device(id)) => Edit::RemoveDevice(id),
            Command::Delete(Selection::Link(id)) => Edit::Disconnect(id),
            Command::SetIp { end, ip } => Edit::SetIp { end, ip },
            Command::SetServices { id, services } => Edit::SetServices { id, services },
            Command::SetRoutes { id, routes } => Edit::SetRoutes { id, routes },
            Command::SetPower { id, on } => Edit::SetPower { id, on },
            Command::Configure { id, device } => Edit::Configure { id, device },
            Command::Batch(cmds) => Edit::Group(cmds.into_iter().map(Self::to_edit).collect()),
            Command::SetActivity(activity) => Edit::SetActivity(activity),
        }
    }

    /// A device's configuration as the engine now runs it (typed at its
    /// console, over telnet, or by the lab's script): one undoable document
    /// edit when it differs from the document's, else nothing.
    pub fn adopt_configuration(&self, id: DeviceId, after: lanlab_sim::Device) {
        let changed = self.lab.with_untracked(|l| {
            l.device(id).is_some_and(|d| {
                let mut next = d.clone();
                next.configure_from(&after);
                next != *d
            })
        });
        if changed {
            let _ = self.dispatch(Command::Configure {
                id,
                device: Box::new(after),
            });
        }
    }

    /// Applies a command to the document as one undoable step. On failure
    /// the document is unchanged and the status bar says why.
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
        let edit = Self::to_edit(cmd);
        // What the inverse tells about the result: a new device or cable.
        let result = self.run(|h, lab| {
            h.apply(lab, edit).map(|inv| match inv {
                Edit::RemoveDevice(id) => Some(Selection::Device(*id)),
                Edit::Disconnect(id) => Some(Selection::Link(*id)),
                _ => None,
            })
        });
        match result {
            Ok(Some(Selection::Device(id))) => self.select_only(Some(Selection::Device(id))),
            Ok(Some(Selection::Link(id))) => {
                let made = self.lab.with_untracked(|lab| {
                    lab.link(id)
                        .map(|l| (lab.end_label(l.a), lab.end_label(l.b)))
                });
                if let Some((ea, eb)) = made {
                    self.status.set(Some(Status::Info(format!(
                        "{} {ea} — {eb}",
                        lang.t(Key::CableBetween)
                    ))));
                }
            }
            _ => {}
        }
        result.map(drop).map_err(|e| {
            let text = crate::i18n::lab_error(lang, &e);
            self.status.set(Some(Status::Error(text.clone())));
            text
        })
    }

    /// Runs `f` over the history and the document; the document signal
    /// notifies only when `f` succeeds. Then tidies the session.
    fn run<R>(
        &self,
        f: impl FnOnce(&mut History, &mut Lab) -> Result<R, LabError>,
    ) -> Result<R, LabError> {
        let out = self
            .lab
            .try_maybe_update(|lab| {
                let r = self.history.try_update_value(|h| f(h, lab)).unwrap_or(Err(
                    LabError::Malformed(lanlab_doc::error::Malformed::AppClosing),
                ));
                (r.is_ok(), r)
            })
            .unwrap_or(Err(LabError::Malformed(
                lanlab_doc::error::Malformed::AppClosing,
            )));
        self.refresh_history_flags();
        self.prune_session();
        out
    }

    fn refresh_history_flags(&self) {
        let flags = self.history.with_value(|h| (h.can_undo(), h.can_redo()));
        if self.can_undo_redo.get_untracked() != flags {
            self.can_undo_redo.set(flags);
        }
    }

    /// Undoes the newest edit (Ctrl+Z).
    pub fn undo(&self) {
        self.step_history(true);
    }

    /// Redoes the newest undone edit (Ctrl+Shift+Z, Ctrl+Y).
    pub fn redo(&self) {
        self.step_history(false);
    }

    fn step_history(&self, back: bool) {
        let lang = self.lang.get_untracked();
        let r = self.run(|h, lab| {
            let done = if back { h.undo(lab)? } else { h.redo(lab)? };
            Ok(done.is_some())
        });
        match r {
            Ok(true) => self.status.set(Some(Status::Hint(if back {
                Key::Undone
            } else {
                Key::Redone
            }))),
            Ok(false) => {}
            Err(e) => self
                .status
                .set(Some(Status::Error(crate::i18n::lab_error(lang, &e)))),
        }
    }

    /// Forgets undo and redo and the session's selection (a new or loaded
    /// document).
    pub fn clear_history(&self) {
        self.history.update_value(History::clear);
        self.refresh_history_flags();
        self.multi.set(Vec::new());
        self.renaming.set(None);
    }

    /// Drops selected or pending things the document no longer has.
    fn prune_session(&self) {
        self.lab.with_untracked(|lab| {
            match self.selection.get_untracked() {
                Some(Selection::Device(id)) if lab.device(id).is_none() => self.selection.set(None),
                Some(Selection::Link(id)) if lab.link(id).is_none() => self.selection.set(None),
                _ => {}
            }
            let multi = self.multi.get_untracked();
            if !multi.is_empty() {
                let kept: Vec<_> = multi
                    .iter()
                    .copied()
                    .filter(|&id| lab.device(id).is_some())
                    .collect();
                if kept.len() != multi.len() {
                    self.select_devices(kept);
                }
            }
            if let Tool::Cable { from: Some(id) } = self.tool.get_untracked()
                && lab.device(id).is_none()
            {
                self.tool.set(Tool::Cable { from: None });
            }
            if self
                .renaming
                .get_untracked()
                .is_some_and(|id| lab.device(id).is_none())
            {
                self.renaming.set(None);
            }
        });
    }

    /// Selects one thing (or nothing), ending a multi-selection.
    pub fn select_only(&self, sel: Option<Selection>) {
        if !self.multi.with_untracked(Vec::is_empty) {
            self.multi.set(Vec::new());
        }
        if self.selection.get_untracked() != sel {
            self.selection.set(sel);
        }
    }

    /// Selects these devices: one is an ordinary selection, several a
    /// multi-selection (the side panel then shows nothing).
    pub fn select_devices(&self, mut ids: Vec<DeviceId>) {
        ids.dedup();
        match ids.len() {
            0 => self.select_only(None),
            1 => self.select_only(Some(Selection::Device(ids[0]))),
            _ => {
                self.selection.set(None);
                self.multi.set(ids);
            }
        }
    }

    /// The selected devices (one, several or none).
    pub fn selected_devices(&self) -> Vec<DeviceId> {
        let multi = self.multi.get_untracked();
        if !multi.is_empty() {
            return multi;
        }
        match self.selection.get_untracked() {
            Some(Selection::Device(id)) => vec![id],
            _ => Vec::new(),
        }
    }

    /// Whether a device is selected (alone or with others); tracks.
    pub fn is_selected(&self, id: DeviceId) -> bool {
        self.selection.get() == Some(Selection::Device(id)) || self.multi.with(|m| m.contains(&id))
    }

    /// Deletes everything selected as one undoable step.
    pub fn delete_selected(&self) {
        let cmds: Vec<Command> = match self.selection.get_untracked() {
            Some(sel) => vec![Command::Delete(sel)],
            None => self
                .multi
                .get_untracked()
                .into_iter()
                .map(|id| Command::Delete(Selection::Device(id)))
                .collect(),
        };
        match cmds.len() {
            0 => {}
            1 => {
                let _ = self.dispatch(cmds.into_iter().next().expect("one"));
            }
            _ => {
                let _ = self.dispatch(Command::Batch(cmds));
            }
        }
    }

    /// The viewBox (x, y, width, height) for the current view and size.
    pub fn view_box(&self, view: View, size: (f64, f64)) -> (f64, f64, f64, f64) {
        let (w, h) = if size.0 > 0.0 && size.1 > 0.0 {
            size
        } else {
            (1000.0, 700.0)
        };
        (view.x, view.y, w / view.zoom, h / view.zoom)
    }

    /// Converts a pointer position (client pixels) to canvas units, also
    /// outside the canvas.
    pub fn client_to_canvas_any(&self, x: f64, y: f64) -> Option<Point> {
        let svg = self.canvas.get_untracked()?;
        let r = svg.get_bounding_client_rect();
        let (vx, vy, vw, vh) = self.view_box(self.view.get_untracked(), self.size.get_untracked());
        let (w, h) = (r.width(), r.height());
        if w <= 0.0 || h <= 0.0 {
            return None;
        }
        // preserveAspectRatio="xMidYMid meet" (the default).
        let s = (w / vw).min(h / vh);
        let ox = (w - vw * s) / 2.0;
        let oy = (h - vh * s) / 2.0;
        Some(Point::new(
            vx + (x - r.left() - ox) / s,
            vy + (y - r.top() - oy) / s,
        ))
    }

    /// Converts a pointer position (client pixels) to canvas units, or `None`
    /// when the point is outside the canvas.
    pub fn client_to_canvas(&self, x: f64, y: f64) -> Option<Point> {
        let svg = self.canvas.get_untracked()?;
        let r = svg.get_bounding_client_rect();
        let inside = x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom();
        if !inside {
            return None;
        }
        self.client_to_canvas_any(x, y)
    }

    /// Zooms by `factor` keeping the canvas point under client (`cx`, `cy`) still.
    pub fn zoom_at(&self, cx: f64, cy: f64, factor: f64) {
        let Some(p) = self.client_to_canvas_any(cx, cy) else {
            return;
        };
        let v = self.view.get_untracked();
        let zoom = (v.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        // Same screen offset from the corner before and after.
        let k = v.zoom / zoom;
        self.view.set(View {
            x: p.x - (p.x - v.x) * k,
            y: p.y - (p.y - v.y) * k,
            zoom,
        });
    }

    /// Zooms around the canvas's centre (the + and − buttons).
    pub fn zoom_centre(&self, factor: f64) {
        if let Some(svg) = self.canvas.get_untracked() {
            let r = svg.get_bounding_client_rect();
            self.zoom_at(
                r.left() + r.width() / 2.0,
                r.top() + r.height() / 2.0,
                factor,
            );
        }
    }

    /// Pans by a distance in client pixels.
    pub fn pan_by(&self, dx: f64, dy: f64) {
        self.view.update(|v| {
            v.x -= dx / v.zoom;
            v.y -= dy / v.zoom;
        });
    }

    /// Shows every device (fit to view); the plain view when the lab is empty.
    pub fn fit(&self) {
        self.fit_capped(1.5);
    }

    /// When a device lies outside the canvas's visible part (the canvas got
    /// narrower, e.g. for the docked activity window), pans and zooms out
    /// just enough to show them all again; never zooms in.
    pub fn keep_in_view(&self) {
        let (w, h) = self.size.get_untracked();
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        let v = self.view.get_untracked();
        let (x1, y1) = (v.x + w / v.zoom, v.y + h / v.zoom);
        let outside = self.lab.with_untracked(|lab| {
            lab.devices.iter().any(|d| {
                d.pos.x - 40.0 < v.x
                    || d.pos.x + 40.0 > x1
                    || d.pos.y - 35.0 < v.y
                    || d.pos.y + 60.0 > y1
            })
        });
        if outside {
            self.fit_capped(v.zoom);
        }
    }

    fn fit_capped(&self, max_zoom: f64) {
        let bounds = self.lab.with_untracked(|lab| {
            lab.devices
                .iter()
                .fold(None, |b: Option<(f64, f64, f64, f64)>, d| {
                    let (x, y) = (d.pos.x, d.pos.y);
                    Some(match b {
                        None => (x, y, x, y),
                        Some((a, b2, c, e)) => (a.min(x), b2.min(y), c.max(x), e.max(y)),
                    })
                })
        });
        let Some((x0, y0, x1, y1)) = bounds else {
            self.view.set(View::default());
            return;
        };
        // Room for icons and the two label lines.
        let (x0, y0, x1, y1) = (x0 - 60.0, y0 - 50.0, x1 + 60.0, y1 + 70.0);
        let (w, h) = match self.size.get_untracked() {
            (w, h) if w > 0.0 && h > 0.0 => (w, h),
            _ => (1000.0, 700.0),
        };
        let zoom = (w / (x1 - x0))
            .min(h / (y1 - y0))
            .clamp(MIN_ZOOM, max_zoom.max(MIN_ZOOM));
        let cx = (x0 + x1) / 2.0;
        let cy = (y0 + y1) / 2.0;
        self.view.set(View {
            x: cx - w / zoom / 2.0,
            y: cy - h / zoom / 2.0,
            zoom,
        });
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

/// Sets `signal` only when the value differs (an equal set would still
/// notify every reader).
pub fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|v| *v != value) {
        signal.set(value);
    }
}
