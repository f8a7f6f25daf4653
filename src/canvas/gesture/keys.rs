//! Keys, clicks and the wheel: the events that are not a pointer gesture.
//! Escape cancels the gesture under way, then leaves the tool; the arrow
//! keys move the selection one step; Space held makes a drag pan.

use lanlab_sim::{DeviceId, LinkId, Point};

use super::{KeyPress, Machine, Output, Scene, activate};
use crate::state::{Command, Selection, Tool};

/// Canvas units an arrow key moves the selection (Shift: [`BIG_STEP`]).
pub const STEP: f64 = 10.0;
/// Canvas units Shift + an arrow key moves the selection.
pub const BIG_STEP: f64 = 50.0;

impl Machine {
    /// A key went down anywhere in the window.
    pub fn key_down(&mut self, k: &KeyPress, s: &dyn Scene) -> Vec<Output> {
        if k.key == " " && !k.typing && k.focused.is_none() {
            self.space = true;
        }
        if k.typing {
            return Vec::new();
        }
        match k.key.as_str() {
            "Escape" => {
                let mut out = self.abandon();
                if s.tool() == Tool::Select {
                    out.push(Output::SelectOnly(None));
                }
                out.extend([
                    Output::SetTool(Tool::Select),
                    Output::PortPick(None),
                    Output::Rename(None),
                    Output::Status(None),
                ]);
                out
            }
            "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" if !k.ctrl => {
                let step = if k.shift { BIG_STEP } else { STEP };
                let (dx, dy) = match k.key.as_str() {
                    "ArrowLeft" => (-step, 0.0),
                    "ArrowRight" => (step, 0.0),
                    "ArrowUp" => (0.0, -step),
                    _ => (0.0, step),
                };
                nudge(k.focused, dx, dy, s)
            }
            _ => Vec::new(),
        }
    }

    /// A key went up anywhere in the window.
    pub fn key_up(&mut self, k: &KeyPress) {
        if k.key == " " {
            self.space = false;
        }
    }

    /// A key pressed while a device has focus (before it reaches the window).
    pub fn device_key(&mut self, id: DeviceId, key: &str, s: &dyn Scene) -> Vec<Output> {
        match key {
            "Enter" | " " => {
                let mut out = vec![Output::PreventDefault];
                out.extend(activate(id, s));
                out
            }
            "F2" => vec![Output::PreventDefault, Output::Rename(Some(id))],
            _ => Vec::new(),
        }
    }

    /// A double click on a device's name: rename it.
    pub fn label_double_click(&mut self, id: DeviceId) -> Vec<Output> {
        vec![Output::StopPropagation, Output::Rename(Some(id))]
    }

    /// A click on a cable: select it (with the select tool).
    pub fn link_click(&mut self, id: LinkId, s: &dyn Scene) -> Vec<Output> {
        let mut out = vec![Output::StopPropagation];
        if s.tool() == Tool::Select {
            out.push(Output::SelectOnly(Some(Selection::Link(id))));
        }
        out
    }

    /// The wheel turned over the canvas: zoom about the pointer.
    /// `mode` is the DOM `deltaMode` (0 pixels, 1 lines, 2 pages).
    pub fn wheel(&mut self, delta_y: f64, mode: u32, client: (f64, f64)) -> Vec<Output> {
        let dy = match mode {
            1 => delta_y * 16.0,
            2 => delta_y * 400.0,
            _ => delta_y,
        };
        vec![
            Output::PreventDefault,
            Output::ZoomAt {
                x: client.0,
                y: client.1,
                factor: (-dy * 0.0015).exp(),
            },
        ]
    }
}

/// Arrow keys: the selection (or the focused device) moves one step, as one
/// undoable batch; nothing goes left of or above the canvas's corner.
fn nudge(focused: Option<DeviceId>, dx: f64, dy: f64, s: &dyn Scene) -> Vec<Output> {
    let mut out = Vec::new();
    let mut ids = s.selected();
    // A focused device moves even when it is not selected yet.
    if let Some(id) = focused
        && !ids.contains(&id)
    {
        out.push(Output::SelectOnly(Some(Selection::Device(id))));
        ids = vec![id];
    }
    if ids.is_empty() {
        return out;
    }
    let moves = ids
        .iter()
        .filter_map(|&id| {
            let q = s.position(id)?;
            Some(Command::Move {
                id,
                pos: Point::new((q.x + dx).max(0.0), (q.y + dy).max(0.0)),
            })
        })
        .collect();
    out.extend([
        Output::PreventDefault,
        Output::Dispatch(Command::Batch(moves)),
    ]);
    out
}
