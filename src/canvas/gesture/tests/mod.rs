//! Gesture tests: synthetic pointer and key sequences against a fake scene.
//! They run natively (`cargo test -p lanlab-app --lib gesture`) and in the
//! browser under wasm-bindgen-test.

use lanlab_sim::{DeviceId, Point};

use super::*;

mod keys;
mod pointer;
mod touch;
use crate::state::Status;

/// A document of devices at fixed places; client pixels are canvas units,
/// and the canvas is 1000 × 700.
pub(super) struct Fake {
    pub(super) tool: Tool,
    pub(super) selected: Vec<DeviceId>,
    pub(super) devices: Vec<(DeviceId, Point)>,
    pub(super) full: Vec<DeviceId>,
    pub(super) choose_ports: bool,
}

impl Scene for Fake {
    fn tool(&self) -> Tool {
        self.tool
    }
    fn selected(&self) -> Vec<DeviceId> {
        self.selected.clone()
    }
    fn position(&self, id: DeviceId) -> Option<Point> {
        self.devices.iter().find(|d| d.0 == id).map(|d| d.1)
    }
    fn devices(&self) -> Vec<(DeviceId, Point)> {
        self.devices.clone()
    }
    fn is_full(&self, id: DeviceId) -> bool {
        self.full.contains(&id)
    }
    fn choose_ports(&self) -> bool {
        self.choose_ports
    }
    fn to_canvas(&self, c: (f64, f64)) -> Option<Point> {
        Some(Point::new(c.0, c.1))
    }
    fn to_canvas_inside(&self, c: (f64, f64)) -> Option<Point> {
        ((0.0..=1000.0).contains(&c.0) && (0.0..=700.0).contains(&c.1))
            .then(|| Point::new(c.0, c.1))
    }
}

pub(super) const A: DeviceId = DeviceId(1);
pub(super) const B: DeviceId = DeviceId(2);
pub(super) const C: DeviceId = DeviceId(3);

/// Drives a machine and applies the session part of its outputs (tool,
/// selection, moves) to the fake scene, the way the component does.
pub(super) struct Driver {
    pub(super) m: Machine,
    pub(super) s: Fake,
    pub(super) time: f64,
    /// Every output so far.
    pub(super) log: Vec<Output>,
}

impl Driver {
    pub(super) fn new() -> Self {
        Driver {
            m: Machine::new(),
            s: Fake {
                tool: Tool::Select,
                selected: Vec::new(),
                devices: vec![
                    (A, Point::new(100.0, 100.0)),
                    (B, Point::new(300.0, 100.0)),
                    (C, Point::new(600.0, 500.0)),
                ],
                full: Vec::new(),
                choose_ports: false,
            },
            time: 1000.0,
            log: Vec::new(),
        }
    }

    pub(super) fn tool(mut self, tool: Tool) -> Self {
        self.s.tool = tool;
        self
    }

    pub(super) fn select(mut self, ids: &[DeviceId]) -> Self {
        self.s.selected = ids.to_vec();
        self
    }

    fn apply(&mut self, out: Vec<Output>) -> Vec<Output> {
        for o in &out {
            match o {
                Output::SetTool(t) => self.s.tool = *t,
                Output::SelectOnly(Some(Selection::Device(id))) => self.s.selected = vec![*id],
                Output::SelectOnly(_) => self.s.selected.clear(),
                Output::SelectDevices(ids) => self.s.selected = ids.clone(),
                Output::Dispatch(cmd) => self.apply_command(cmd),
                _ => {}
            }
        }
        self.log.extend(out.iter().cloned());
        out
    }

    fn apply_command(&mut self, cmd: &Command) {
        match cmd {
            Command::Move { id, pos } => {
                if let Some(d) = self.s.devices.iter_mut().find(|d| d.0 == *id) {
                    d.1 = *pos;
                }
            }
            Command::Batch(cmds) => cmds.iter().for_each(|c| self.apply_command(c)),
            _ => {}
        }
    }

    pub(super) fn pointer(
        &self,
        id: i32,
        kind: PointerKind,
        at: (f64, f64),
        target: Target,
    ) -> Pointer {
        Pointer {
            id,
            kind,
            button: Button::Primary,
            client: at,
            shift: false,
            target,
            time: self.time,
        }
    }

    pub(super) fn press(&mut self, p: Pointer) -> Vec<Output> {
        let out = self.m.pointer_down(&p, &self.s);
        self.apply(out)
    }

    pub(super) fn down(&mut self, target: Target, at: (f64, f64)) -> Vec<Output> {
        self.press(self.pointer(1, PointerKind::Mouse, at, target))
    }

    pub(super) fn shift_down(&mut self, target: Target, at: (f64, f64)) -> Vec<Output> {
        let mut p = self.pointer(1, PointerKind::Mouse, at, target);
        p.shift = true;
        self.press(p)
    }

    pub(super) fn touch_down(
        &mut self,
        finger: i32,
        target: Target,
        at: (f64, f64),
    ) -> Vec<Output> {
        self.press(self.pointer(finger, PointerKind::Touch, at, target))
    }

    pub(super) fn move_to(&mut self, at: (f64, f64)) -> Vec<Output> {
        self.move_pointer(1, at)
    }

    pub(super) fn move_pointer(&mut self, id: i32, at: (f64, f64)) -> Vec<Output> {
        let p = self.pointer(id, PointerKind::Mouse, at, Target::Background);
        let out = self.m.pointer_move(&p, &self.s);
        self.apply(out)
    }

    pub(super) fn up(&mut self, at: (f64, f64)) -> Vec<Output> {
        self.up_pointer(1, at)
    }

    pub(super) fn up_pointer(&mut self, id: i32, at: (f64, f64)) -> Vec<Output> {
        let p = self.pointer(id, PointerKind::Mouse, at, Target::Background);
        let out = self.m.pointer_up(&p, &self.s);
        self.apply(out)
    }

    pub(super) fn click(&mut self, target: Target, at: (f64, f64)) -> Vec<Output> {
        let mut out = self.down(target, at);
        out.extend(self.up(at));
        out
    }

    pub(super) fn key(&mut self, key: &str, shift: bool, focused: Option<DeviceId>) -> Vec<Output> {
        let k = KeyPress {
            key: key.into(),
            shift,
            ctrl: false,
            typing: false,
            focused,
        };
        let out = self.m.key_down(&k, &self.s);
        self.apply(out)
    }

    /// The commands sent to `dispatch` so far.
    pub(super) fn edits(&self) -> Vec<Command> {
        self.log
            .iter()
            .filter_map(|o| match o {
                Output::Dispatch(c) => Some(c.clone()),
                _ => None,
            })
            .collect()
    }

    pub(super) fn count(&self, f: impl Fn(&Output) -> bool) -> usize {
        self.log.iter().filter(|o| f(o)).count()
    }
}

pub(super) fn dev(id: DeviceId) -> Target {
    Target::Device(id)
}
