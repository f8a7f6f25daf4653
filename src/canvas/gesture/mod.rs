//! Canvas gestures as a state machine, the tldraw way: pure Rust, no DOM.
//!
//! The [`Canvas`](super::Canvas) component turns DOM events into
//! [`Pointer`]s and [`KeyPress`]es, feeds them to a [`Machine`] and applies
//! the [`Output`]s it returns (a command for `dispatch`, a selection, a view
//! change, a preview of a drag). The machine asks the document what it needs
//! through a [`Scene`], so tests drive it with a fake one.
//!
//! The states form small trees, one per thing the pointer can do:
//!
//! - devices: `Idle → PointingDevice → DraggingDevices` (a press that never
//!   travels [`DRAG_SLOP`] is a click: select, Shift-toggle, the cable tool's
//!   ends, a double tap to rename);
//! - empty canvas with the select tool: `Idle → PointingCanvas → Brushing`
//!   (a box selects the devices inside it; a click deselects);
//! - panning (touch, the hand tool, the place and cable tools, Space held,
//!   the middle button): `Idle → PointingPan → Panning` (a tap places a
//!   device with the place tool);
//! - two fingers: `Pinching` (zoom about the fingers' midpoint, and pan);
//! - a finger held still on a device for [`LONG_PRESS_MS`]: `LongPressed`
//!   (the device's menu opens; lifting the finger then does nothing more).
//!
//! Every state handles `pointer_down/move/up`, `cancel` (pointercancel) and
//! `key_down` (Escape cancels, then leaves the tool). A drag previews its
//! offset and commits one `Move` (or one batch for a group) on pointer-up:
//! one undoable step per drag; a cancelled drag commits nothing.

mod activate;
mod event;
mod keys;
mod scene;
#[cfg(test)]
mod tests;

use lanlab_sim::{DeviceId, Point};

use crate::state::{Command, Selection, Tool};

pub use activate::activate;
pub use event::{Button, KeyPress, Pointer, PointerKind, Target};
pub use keys::{BIG_STEP, STEP};
pub use scene::{Output, Scene};

/// Pixels a pointer must travel before a press becomes a drag.
pub const DRAG_SLOP: f64 = 4.0;

/// Milliseconds within which a second tap on a device renames it (touch).
pub const DOUBLE_TAP_MS: f64 = 450.0;

/// Milliseconds a finger rests on a device, without moving, to open its menu.
pub const LONG_PRESS_MS: f64 = 500.0;

/// A press on devices: the one pressed and every one that moves with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Press {
    /// The pointer.
    pub pointer: i32,
    /// The device pressed.
    pub id: DeviceId,
    /// Every device that moves with it.
    pub ids: Vec<DeviceId>,
    /// Where the press began, client pixels.
    pub client: (f64, f64),
    /// Where the press began, canvas units.
    pub start: Point,
    /// How far the group may go left and up before leaving the canvas.
    pub min: Point,
    /// Shift held: a click toggles the device in the selection.
    pub shift: bool,
    /// A finger: two taps in a row rename, a long press opens the menu.
    pub touch: bool,
    /// When the press began, milliseconds.
    pub time: f64,
}

/// Where the machine is.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum State {
    /// Nothing under way.
    #[default]
    Idle,
    /// Devices pressed, not moved yet: released here it is a click.
    PointingDevice(Press),
    /// Devices following the pointer by `delta` (canvas units).
    DraggingDevices {
        /// The press that started it.
        press: Press,
        /// The current offset.
        delta: Point,
    },
    /// Empty canvas pressed with the select tool, not moved yet.
    PointingCanvas {
        /// The pointer.
        pointer: i32,
        /// Where, client pixels.
        client: (f64, f64),
        /// Where, canvas units.
        start: Point,
        /// Shift: add to the selection.
        additive: bool,
    },
    /// Drawing a selection box from `start`.
    Brushing {
        /// The pointer.
        pointer: i32,
        /// The box's first corner, canvas units.
        start: Point,
        /// Shift: add to the selection.
        additive: bool,
    },
    /// Pressed to pan, not moved yet: released here it is a tap.
    PointingPan {
        /// The pointer.
        pointer: i32,
        /// Where, client pixels.
        client: (f64, f64),
    },
    /// Panning the view.
    Panning {
        /// The pointer.
        pointer: i32,
        /// Its last position, client pixels.
        last: (f64, f64),
    },
    /// A finger held on a device opened its menu; its release is swallowed.
    LongPressed {
        /// The finger.
        pointer: i32,
    },
    /// Two fingers: zoom and pan.
    Pinching {
        /// The fingers' last distance, client pixels.
        dist: f64,
        /// Their last midpoint, client pixels.
        mid: (f64, f64),
    },
}

/// The gesture state machine of the canvas.
#[derive(Clone, Debug, Default)]
pub struct Machine {
    state: State,
    /// Touch pointers down on the canvas, for pinch.
    touches: Vec<(i32, (f64, f64))>,
    /// Space held: a drag pans.
    space: bool,
    /// The last tap on a device (id, time), for a double tap to rename.
    last_tap: Option<(DeviceId, f64)>,
}

fn far(a: (f64, f64), b: (f64, f64)) -> bool {
    (a.0 - b.0).abs() + (a.1 - b.1).abs() > DRAG_SLOP
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt().max(1.0)
}

fn midpoint(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
}

impl Machine {
    /// A machine at rest.
    pub fn new() -> Self {
        Machine::default()
    }

    /// Where the machine is.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Whether a gesture is under way (then the context menu is suppressed).
    pub fn busy(&self) -> bool {
        self.state != State::Idle
    }

    /// Whether Space is held (a drag pans).
    pub fn space_held(&self) -> bool {
        self.space
    }

    /// Ends the current gesture without committing anything.
    fn abandon(&mut self) -> Vec<Output> {
        match std::mem::take(&mut self.state) {
            State::DraggingDevices { .. } => vec![Output::DragEnd],
            State::Brushing { .. } => vec![Output::Band(None)],
            _ => Vec::new(),
        }
    }

    /// A pointer went down on the canvas.
    pub fn pointer_down(&mut self, p: &Pointer, s: &dyn Scene) -> Vec<Output> {
        let touch = p.kind == PointerKind::Touch;
        if let Target::Device(id) = p.target {
            let panning = p.button == Button::Middle || self.space || s.tool() == Tool::Hand;
            let pinching = touch && !self.touches.is_empty();
            if !panning && !pinching && p.button == Button::Primary {
                return self.press_device(p, id, s);
            }
            // Otherwise the canvas pans (or pinches) instead.
        }
        if touch {
            self.touches.retain(|e| e.0 != p.id);
            self.touches.push((p.id, p.client));
            if let [a, b] = self.touches[..] {
                // A second finger: whatever the first was doing becomes a pinch.
                let out = self.abandon();
                self.state = State::Pinching {
                    dist: distance(a.1, b.1),
                    mid: midpoint(a.1, b.1),
                };
                return out;
            }
        }
        if p.target == Target::Link && p.button == Button::Primary {
            return Vec::new();
        }
        let tool = s.tool();
        let pan = p.button == Button::Middle || self.space || touch || tool != Tool::Select;
        let mut out = Vec::new();
        match p.button {
            Button::Middle => out.push(Output::PreventDefault),
            Button::Primary => {}
            Button::Other => return out,
        }
        if pan {
            self.state = State::PointingPan {
                pointer: p.id,
                client: p.client,
            };
        } else if let Some(start) = s.to_canvas(p.client) {
            self.state = State::PointingCanvas {
                pointer: p.id,
                client: p.client,
                start,
                additive: p.shift,
            };
        }
        out
    }

    /// The primary button (or a finger) went down on a device.
    fn press_device(&mut self, p: &Pointer, id: DeviceId, s: &dyn Scene) -> Vec<Output> {
        let out = vec![Output::StopPropagation];
        let Some(start) = s.to_canvas(p.client) else {
            return out;
        };
        let touch = p.kind == PointerKind::Touch;
        if touch {
            self.touches.push((p.id, p.client));
        }
        let sel = s.selected();
        let ids = if sel.len() > 1 && sel.contains(&id) && s.tool() == Tool::Select {
            sel
        } else {
            vec![id]
        };
        let min = ids
            .iter()
            .filter_map(|&i| s.position(i))
            .fold(Point::new(f64::MAX, f64::MAX), |m, q| {
                Point::new(m.x.min(q.x), m.y.min(q.y))
            });
        self.state = State::PointingDevice(Press {
            pointer: p.id,
            id,
            ids,
            client: p.client,
            start,
            min,
            shift: p.shift,
            touch,
            time: p.time,
        });
        out
    }

    /// The long-press timer of `pointer` fired at `now` (milliseconds). A
    /// finger still resting on a device opens that device's menu; anything
    /// else (a mouse, a finger that moved or lifted) is left alone.
    pub fn long_press(&mut self, pointer: i32, now: f64) -> Vec<Output> {
        match &self.state {
            State::PointingDevice(press)
                if press.pointer == pointer
                    && press.touch
                    && !press.shift
                    && now - press.time >= LONG_PRESS_MS =>
            {
                let (id, at) = (press.id, press.client);
                self.state = State::LongPressed { pointer };
                self.last_tap = None;
                vec![Output::DeviceMenu(Some((id, at)))]
            }
            _ => Vec::new(),
        }
    }

    /// A pointer moved.
    pub fn pointer_move(&mut self, p: &Pointer, s: &dyn Scene) -> Vec<Output> {
        if let Some(e) = self.touches.iter_mut().find(|e| e.0 == p.id) {
            e.1 = p.client;
        }
        let pair = match self.touches[..] {
            [a, b] => Some((a.1, b.1)),
            _ => None,
        };
        let c = p.client;
        match &mut self.state {
            State::PointingDevice(press) if press.pointer == p.id => {
                if !far(press.client, c) {
                    return Vec::new();
                }
                let Some(at) = s.to_canvas(c) else {
                    return Vec::new();
                };
                let press = press.clone();
                let delta = drag_delta(&press, at);
                let out = vec![
                    Output::Capture(p.id),
                    Output::DragStart(press.ids.clone()),
                    Output::DragDelta(delta),
                ];
                self.state = State::DraggingDevices { press, delta };
                out
            }
            State::DraggingDevices { press, delta } if press.pointer == p.id => {
                let Some(at) = s.to_canvas(c) else {
                    return Vec::new();
                };
                *delta = drag_delta(press, at);
                vec![Output::DragDelta(*delta)]
            }
            State::PointingCanvas {
                pointer,
                client,
                start,
                additive,
            } if *pointer == p.id => {
                if !far(*client, c) {
                    return Vec::new();
                }
                let (pointer, start, additive) = (*pointer, *start, *additive);
                self.state = State::Brushing {
                    pointer,
                    start,
                    additive,
                };
                let mut out = vec![Output::Capture(pointer)];
                if let Some(at) = s.to_canvas(c) {
                    out.push(Output::Band(Some((start, at))));
                }
                out
            }
            State::Brushing { pointer, start, .. } if *pointer == p.id => s
                .to_canvas(c)
                .map(|at| vec![Output::Band(Some((*start, at)))])
                .unwrap_or_default(),
            State::PointingPan { pointer, client } if *pointer == p.id => {
                if !far(*client, c) {
                    return Vec::new();
                }
                let (pointer, from) = (*pointer, *client);
                self.state = State::Panning { pointer, last: c };
                vec![
                    Output::Capture(pointer),
                    Output::PanBy {
                        dx: c.0 - from.0,
                        dy: c.1 - from.1,
                    },
                ]
            }
            State::Panning { pointer, last } if *pointer == p.id => {
                let from = std::mem::replace(last, c);
                vec![Output::PanBy {
                    dx: c.0 - from.0,
                    dy: c.1 - from.1,
                }]
            }
            State::Pinching { dist, mid } => {
                let Some((a, b)) = pair else {
                    return Vec::new();
                };
                let (nd, nm) = (distance(a, b), midpoint(a, b));
                let out = vec![
                    Output::PanBy {
                        dx: nm.0 - mid.0,
                        dy: nm.1 - mid.1,
                    },
                    Output::ZoomAt {
                        x: nm.0,
                        y: nm.1,
                        factor: nd / *dist,
                    },
                ];
                *dist = nd;
                *mid = nm;
                out
            }
            _ => Vec::new(),
        }
    }

    /// A pointer went up.
    pub fn pointer_up(&mut self, p: &Pointer, s: &dyn Scene) -> Vec<Output> {
        self.touches.retain(|e| e.0 != p.id);
        match std::mem::take(&mut self.state) {
            State::PointingDevice(press) if press.pointer == p.id => {
                self.click_device(&press, p.time, s)
            }
            State::DraggingDevices { press, delta } if press.pointer == p.id => {
                let mut moves: Vec<Command> = press
                    .ids
                    .iter()
                    .filter_map(|&id| {
                        let q = s.position(id)?;
                        Some(Command::Move {
                            id,
                            pos: Point::new(q.x + delta.x, q.y + delta.y),
                        })
                    })
                    .collect();
                let cmd = if moves.len() == 1 {
                    moves.remove(0)
                } else {
                    Command::Batch(moves)
                };
                let mut out = vec![Output::Dispatch(cmd), Output::DragEnd];
                if press.ids.len() == 1 {
                    out.push(Output::SelectOnly(Some(Selection::Device(press.id))));
                }
                out
            }
            State::PointingCanvas {
                pointer, additive, ..
            } if pointer == p.id => tap_background(p.client, additive, s),
            State::Brushing {
                pointer,
                start,
                additive,
            } if pointer == p.id => {
                let mut out = vec![Output::Band(None)];
                let Some(end) = s.to_canvas(p.client) else {
                    return out;
                };
                let (x0, x1) = (start.x.min(end.x), start.x.max(end.x));
                let (y0, y1) = (start.y.min(end.y), start.y.max(end.y));
                let mut sel = if additive { s.selected() } else { Vec::new() };
                for (id, q) in s.devices() {
                    let inside = q.x >= x0 && q.x <= x1 && q.y >= y0 && q.y <= y1;
                    if inside && !sel.contains(&id) {
                        sel.push(id);
                    }
                }
                out.push(Output::SelectDevices(sel));
                out
            }
            State::PointingPan { pointer, .. } if pointer == p.id => {
                tap_background(p.client, false, s)
            }
            State::Panning { pointer, .. } if pointer == p.id => Vec::new(),
            State::LongPressed { pointer } if pointer == p.id => Vec::new(),
            State::Pinching { .. } if self.touches.len() < 2 => Vec::new(),
            other => {
                // Another pointer's release: the gesture goes on.
                self.state = other;
                Vec::new()
            }
        }
    }

    /// A click (or tap) on a device that did not become a drag.
    fn click_device(&mut self, press: &Press, now: f64, s: &dyn Scene) -> Vec<Output> {
        let id = press.id;
        if press.shift {
            let mut sel = s.selected();
            if let Some(i) = sel.iter().position(|&d| d == id) {
                sel.remove(i);
            } else {
                sel.push(id);
            }
            return vec![Output::SelectDevices(sel)];
        }
        let double = press.touch
            && self
                .last_tap
                .is_some_and(|(d, t)| d == id && now - t < DOUBLE_TAP_MS);
        self.last_tap = Some((id, now));
        let mut out = activate(id, s);
        let tool = out
            .iter()
            .rev()
            .find_map(|o| match o {
                Output::SetTool(t) => Some(*t),
                _ => None,
            })
            .unwrap_or_else(|| s.tool());
        if double && tool == Tool::Select {
            out.push(Output::Rename(Some(id)));
        }
        out
    }

    /// The browser took the pointer away (pointercancel): nothing is committed.
    pub fn cancel(&mut self, pointer: i32) -> Vec<Output> {
        self.touches.retain(|e| e.0 != pointer);
        self.abandon()
    }
}

/// The offset of a drag, kept so that no device leaves the canvas's top-left.
fn drag_delta(press: &Press, at: Point) -> Point {
    Point::new(
        (at.x - press.start.x).max(-press.min.x),
        (at.y - press.start.y).max(-press.min.y),
    )
}

/// A press on empty canvas that did not move.
fn tap_background(client: (f64, f64), additive: bool, s: &dyn Scene) -> Vec<Output> {
    match s.tool() {
        Tool::Place(kind) => {
            let mut out = Vec::new();
            if let Some(pos) = s.to_canvas_inside(client) {
                out.push(Output::Dispatch(Command::Add { kind, pos }));
            }
            out.extend([Output::SetTool(Tool::Select), Output::Status(None)]);
            out
        }
        Tool::Select if !additive => vec![Output::SelectOnly(None)],
        _ => Vec::new(),
    }
}
