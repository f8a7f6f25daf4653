//! The bridge between the DOM and the gesture machine: a live [`Scene`]
//! over the app's signals, the conversion of DOM events into
//! [`Pointer`]s and [`KeyPress`]es, and [`Gestures::apply`], which carries out
//! what the machine returns. Nothing here decides anything.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use lanlab_sim::{DeviceId, Point};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::gesture::{
    Button, KeyPress, LONG_PRESS_MS, Machine, Output, Pointer, PointerKind, Scene, Target,
};
use super::looks::Looks;
use crate::state::{AppState, Command, Selection, Status, Tool};

/// The document and session as the gesture machine sees them.
struct LiveScene(AppState);

impl Scene for LiveScene {
    fn tool(&self) -> Tool {
        self.0.tool.get_untracked()
    }
    fn selected(&self) -> Vec<DeviceId> {
        self.0.selected_devices()
    }
    fn position(&self, id: DeviceId) -> Option<Point> {
        self.0.lab.with_untracked(|l| l.device(id).map(|d| d.pos))
    }
    fn devices(&self) -> Vec<(DeviceId, Point)> {
        self.0
            .lab
            .with_untracked(|l| l.devices.iter().map(|d| (d.id, d.pos)).collect())
    }
    fn is_full(&self, id: DeviceId) -> bool {
        self.0
            .lab
            .with_untracked(|l| l.device(id).is_some() && l.free_port(id).is_none())
    }
    fn choose_ports(&self) -> bool {
        self.0.choose_ports.get_untracked()
    }
    fn to_canvas(&self, client: (f64, f64)) -> Option<Point> {
        self.0.client_to_canvas_any(client.0, client.1)
    }
    fn to_canvas_inside(&self, client: (f64, f64)) -> Option<Point> {
        self.0.client_to_canvas(client.0, client.1)
    }
}

/// The canvas's gesture machine and the session state its outputs drive
/// (the drag preview and the selection box). Shared with the device and
/// cable components through context.
#[derive(Copy, Clone)]
pub struct Gestures {
    st: AppState,
    machine: StoredValue<Machine>,
    /// The devices being dragged.
    moving: RwSignal<Vec<DeviceId>>,
    /// How far they are from their place in the document (canvas units).
    delta: RwSignal<Point>,
    /// Each drawn device's and cable's signals.
    pub looks: Looks,
    /// The selection box, corner to corner (canvas units).
    pub band: RwSignal<Option<(Point, Point)>>,
    /// The device whose menu is open, and where (client pixels).
    pub menu: RwSignal<Option<(DeviceId, (f64, f64))>>,
}

impl Gestures {
    /// A machine at rest, for this app state; `leased` are the addresses
    /// the engine's DHCP gave (for the devices' labels).
    pub fn new(st: AppState, leased: Memo<HashMap<DeviceId, Ipv4Addr>>) -> Self {
        let moving = RwSignal::new(Vec::new());
        Gestures {
            st,
            machine: StoredValue::new(Machine::new()),
            moving,
            delta: RwSignal::new(Point::default()),
            looks: Looks::new(st, moving, leased),
            band: RwSignal::new(None),
            menu: RwSignal::new(None),
        }
    }

    /// The gestures of the nearest canvas.
    pub fn expect() -> Self {
        expect_context::<Gestures>()
    }

    /// The devices being dragged (tracked).
    pub fn moving_devices(&self) -> Vec<DeviceId> {
        self.moving.get()
    }

    /// Whether a gesture is under way.
    pub fn busy(&self) -> bool {
        self.machine.with_value(Machine::busy)
    }

    /// Feeds the machine one event and applies what it returns; `ev` is the
    /// DOM event, for `preventDefault` and `stopPropagation`.
    pub fn feed(
        &self,
        ev: Option<&web_sys::Event>,
        f: impl FnOnce(&mut Machine, &dyn Scene) -> Vec<Output>,
    ) {
        let scene = LiveScene(self.st);
        let out = self
            .machine
            .try_update_value(|m| f(m, &scene))
            .unwrap_or_default();
        for o in out {
            self.apply(o, ev);
        }
    }

    /// A finger went down on a device: in [`LONG_PRESS_MS`] the machine is
    /// asked whether it is still resting there (then the device's menu opens).
    pub fn arm_long_press(&self, p: &Pointer) {
        if p.kind != PointerKind::Touch || !matches!(p.target, Target::Device(_)) {
            return;
        }
        let this = *self;
        let pointer = p.id;
        gloo_timers::callback::Timeout::new(LONG_PRESS_MS as u32, move || {
            this.feed(None, |m, _| m.long_press(pointer, js_sys::Date::now()));
        })
        .forget();
    }

    /// Where a device is drawn: its place in the document, plus the drag
    /// offset while it moves. Tracks the device's own signals; only moving
    /// devices track the offset.
    pub fn position(&self, id: DeviceId) -> Option<Point> {
        let slot = self.looks.device(id)?;
        let p = slot.look.with(|l| l.pos);
        Some(if slot.moving.get() {
            let d = self.delta.get();
            Point::new(p.x + d.x, p.y + d.y)
        } else {
            p
        })
    }

    fn apply(&self, o: Output, ev: Option<&web_sys::Event>) {
        let st = self.st;
        match o {
            Output::PreventDefault => {
                if let Some(ev) = ev {
                    ev.prevent_default();
                }
            }
            Output::StopPropagation => {
                if let Some(ev) = ev {
                    ev.stop_propagation();
                }
            }
            Output::Capture(pointer) => {
                if let Some(svg) = st.canvas.get_untracked() {
                    let _ = svg.set_pointer_capture(pointer);
                }
            }
            Output::DragStart(ids) => self.moving.set(ids),
            Output::DragDelta(d) => self.delta.set(d),
            Output::DragEnd => {
                self.moving.set(Vec::new());
                self.delta.set(Point::default());
            }
            Output::Band(b) => self.band.set(b),
            Output::Dispatch(cmd) => {
                let _ = st.dispatch(cmd);
            }
            Output::Connect { a, b } => {
                if st.dispatch(Command::Connect { a, b }).is_ok() {
                    st.select_only(Some(Selection::Device(b)));
                }
            }
            Output::SelectOnly(sel) => st.select_only(sel),
            Output::SelectDevices(ids) => st.select_devices(ids),
            Output::SetTool(t) => st.tool.set(t),
            Output::Status(s) => st.status.set(s),
            Output::NoFreePort(id) => {
                let name = st
                    .lab
                    .with_untracked(|l| l.device(id).map(|d| d.name.clone()))
                    .unwrap_or_default();
                let e = lanlab_sim::LabError::NoFreePort(name);
                st.status.set(Some(Status::Error(crate::i18n::lab_error(
                    st.lang.get_untracked(),
                    &e,
                ))));
            }
            Output::PortPick(p) => st.port_pick.set(p),
            Output::Rename(r) => st.renaming.set(r),
            Output::DeviceMenu(m) => self.menu.set(m),
            Output::PanBy { dx, dy } => st.pan_by(dx, dy),
            Output::ZoomAt { x, y, factor } => st.zoom_at(x, y, factor),
        }
    }
}

/// A DOM pointer event as the machine sees it; `with_target` looks up what
/// is under the pointer (only pointer-down needs it).
pub fn pointer(ev: &web_sys::PointerEvent, with_target: bool) -> Pointer {
    let target = if with_target {
        target_of(ev.as_ref())
    } else {
        Target::Background
    };
    Pointer {
        id: ev.pointer_id(),
        kind: PointerKind::from_dom(&ev.pointer_type()),
        button: Button::from_dom(ev.button()),
        client: (ev.client_x() as f64, ev.client_y() as f64),
        shift: ev.shift_key(),
        target,
        time: js_sys::Date::now(),
    }
}

/// What is under a pointer or mouse event: a device, a cable or nothing.
pub fn target_of(ev: &web_sys::MouseEvent) -> Target {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return Target::Background;
    };
    if let Some(id) = el
        .closest("g.device")
        .ok()
        .flatten()
        .and_then(|d| d.get_attribute("data-id"))
        .and_then(|s| s.parse().ok())
    {
        return Target::Device(DeviceId(id));
    }
    if el.closest(".link").ok().flatten().is_some() {
        return Target::Link;
    }
    Target::Background
}

/// A DOM key event as the machine sees it.
pub fn key_press(ev: &web_sys::KeyboardEvent) -> KeyPress {
    KeyPress {
        key: ev.key(),
        shift: ev.shift_key(),
        ctrl: ev.ctrl_key() || ev.meta_key(),
        typing: typing_in_field(),
        focused: focused_device(),
    }
}

/// The device that has keyboard focus on the canvas.
fn focused_device() -> Option<DeviceId> {
    document()
        .active_element()
        .filter(|e| e.class_list().contains("device"))
        .and_then(|e| e.get_attribute("data-id"))
        .and_then(|s| s.parse().ok())
        .map(DeviceId)
}

/// Gives keyboard focus back to a device (after renaming it).
pub fn focus_device(id: DeviceId) {
    if let Ok(Some(el)) = document().query_selector(&format!("g.device[data-id=\"{}\"]", id.0))
        && let Ok(el) = el.dyn_into::<web_sys::SvgElement>()
    {
        let _ = el.focus();
    }
}

/// Whether keyboard focus is in a text field (then Delete edits text).
pub fn typing_in_field() -> bool {
    document()
        .active_element()
        .map(|el| {
            let tag = el.tag_name().to_ascii_lowercase();
            // Checkboxes and buttons take no text: shortcuts still work there.
            let text_input = tag == "input"
                && !matches!(
                    el.get_attribute("type")
                        .unwrap_or_default()
                        .to_ascii_lowercase()
                        .as_str(),
                    "checkbox" | "radio" | "button" | "submit" | "reset" | "color" | "file"
                );
            text_input
                || tag == "textarea"
                || tag == "select"
                || el
                    .dyn_ref::<web_sys::HtmlElement>()
                    .is_some_and(|h| h.is_content_editable())
        })
        .unwrap_or(false)
}
