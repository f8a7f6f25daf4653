//! Gesture tests: synthetic pointer and key sequences against a fake scene.
//! They run natively (`cargo test -p lanlab-app --lib gesture`) and in the
//! browser under wasm-bindgen-test.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use lanlab_sim::{DeviceId, DeviceKind, LinkId, Point};

use super::*;

/// A document of devices at fixed places; client pixels are canvas units,
/// and the canvas is 1000 × 700.
struct Fake {
    tool: Tool,
    selected: Vec<DeviceId>,
    devices: Vec<(DeviceId, Point)>,
    full: Vec<DeviceId>,
    choose_ports: bool,
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

const A: DeviceId = DeviceId(1);
const B: DeviceId = DeviceId(2);
const C: DeviceId = DeviceId(3);

/// Drives a machine and applies the session part of its outputs (tool,
/// selection, moves) to the fake scene, the way the component does.
struct Driver {
    m: Machine,
    s: Fake,
    time: f64,
    /// Every output so far.
    log: Vec<Output>,
}

impl Driver {
    fn new() -> Self {
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

    fn tool(mut self, tool: Tool) -> Self {
        self.s.tool = tool;
        self
    }

    fn select(mut self, ids: &[DeviceId]) -> Self {
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

    fn pointer(&self, id: i32, kind: PointerKind, at: (f64, f64), target: Target) -> Pointer {
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

    fn press(&mut self, p: Pointer) -> Vec<Output> {
        let out = self.m.pointer_down(&p, &self.s);
        self.apply(out)
    }

    fn down(&mut self, target: Target, at: (f64, f64)) -> Vec<Output> {
        self.press(self.pointer(1, PointerKind::Mouse, at, target))
    }

    fn shift_down(&mut self, target: Target, at: (f64, f64)) -> Vec<Output> {
        let mut p = self.pointer(1, PointerKind::Mouse, at, target);
        p.shift = true;
        self.press(p)
    }

    fn touch_down(&mut self, finger: i32, target: Target, at: (f64, f64)) -> Vec<Output> {
        self.press(self.pointer(finger, PointerKind::Touch, at, target))
    }

    fn move_to(&mut self, at: (f64, f64)) -> Vec<Output> {
        self.move_pointer(1, at)
    }

    fn move_pointer(&mut self, id: i32, at: (f64, f64)) -> Vec<Output> {
        let p = self.pointer(id, PointerKind::Mouse, at, Target::Background);
        let out = self.m.pointer_move(&p, &self.s);
        self.apply(out)
    }

    fn up(&mut self, at: (f64, f64)) -> Vec<Output> {
        self.up_pointer(1, at)
    }

    fn up_pointer(&mut self, id: i32, at: (f64, f64)) -> Vec<Output> {
        let p = self.pointer(id, PointerKind::Mouse, at, Target::Background);
        let out = self.m.pointer_up(&p, &self.s);
        self.apply(out)
    }

    fn click(&mut self, target: Target, at: (f64, f64)) -> Vec<Output> {
        let mut out = self.down(target, at);
        out.extend(self.up(at));
        out
    }

    fn key(&mut self, key: &str, shift: bool, focused: Option<DeviceId>) -> Vec<Output> {
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
    fn edits(&self) -> Vec<Command> {
        self.log
            .iter()
            .filter_map(|o| match o {
                Output::Dispatch(c) => Some(c.clone()),
                _ => None,
            })
            .collect()
    }

    fn count(&self, f: impl Fn(&Output) -> bool) -> usize {
        self.log.iter().filter(|o| f(o)).count()
    }
}

fn dev(id: DeviceId) -> Target {
    Target::Device(id)
}

#[test]
fn click_selects_a_device() {
    let mut d = Driver::new();
    let out = d.click(dev(A), (100.0, 100.0));
    assert!(out.contains(&Output::SelectOnly(Some(Selection::Device(A)))));
    assert_eq!(d.s.selected, vec![A]);
    assert!(d.edits().is_empty());
    assert!(!d.m.busy());
}

#[test]
fn drag_commits_exactly_one_move_on_release() {
    let mut d = Driver::new();
    d.down(dev(A), (100.0, 100.0));
    for x in [110.0, 130.0, 150.0, 170.0] {
        let out = d.move_to((x, 120.0));
        assert!(
            !out.iter().any(|o| matches!(o, Output::Dispatch(_))),
            "no edit while dragging"
        );
    }
    assert!(matches!(
        d.m.state(),
        State::DraggingDevices { delta, .. } if *delta == Point::new(70.0, 20.0)
    ));
    d.up((170.0, 120.0));
    assert_eq!(
        d.edits(),
        vec![Command::Move {
            id: A,
            pos: Point::new(170.0, 120.0)
        }]
    );
    assert_eq!(d.count(|o| matches!(o, Output::DragStart(_))), 1);
    assert_eq!(d.count(|o| *o == Output::Capture(1)), 1);
    assert_eq!(d.count(|o| *o == Output::DragEnd), 1);
    assert_eq!(d.s.selected, vec![A]);
}

#[test]
fn drag_below_the_threshold_is_a_click() {
    let mut d = Driver::new();
    d.down(dev(B), (300.0, 100.0));
    assert!(d.move_to((302.0, 102.0)).is_empty(), "4 px is not a drag");
    d.up((302.0, 102.0));
    assert!(d.edits().is_empty());
    assert_eq!(d.count(|o| matches!(o, Output::DragStart(_))), 0);
    assert_eq!(d.s.selected, vec![B]);
}

#[test]
fn a_selected_group_moves_together_as_one_batch() {
    let mut d = Driver::new().select(&[A, B]);
    d.down(dev(B), (300.0, 100.0));
    let out = d.move_to((320.0, 150.0));
    assert!(out.contains(&Output::DragStart(vec![A, B])));
    d.up((320.0, 150.0));
    assert_eq!(
        d.edits(),
        vec![Command::Batch(vec![
            Command::Move {
                id: A,
                pos: Point::new(120.0, 150.0)
            },
            Command::Move {
                id: B,
                pos: Point::new(320.0, 150.0)
            },
        ])]
    );
    assert_eq!(d.s.selected, vec![A, B], "the group stays selected");
}

#[test]
fn a_group_does_not_move_with_other_tools() {
    let mut d = Driver::new()
        .select(&[A, B])
        .tool(Tool::Cable { from: None });
    d.down(dev(B), (300.0, 100.0));
    let out = d.move_to((320.0, 150.0));
    assert!(out.contains(&Output::DragStart(vec![B])));
}

#[test]
fn a_drag_stops_at_the_canvas_corner() {
    let mut d = Driver::new();
    d.down(dev(A), (100.0, 100.0));
    let out = d.move_to((-50.0, 40.0));
    assert!(out.contains(&Output::DragDelta(Point::new(-100.0, -60.0))));
    d.up((-50.0, 40.0));
    assert_eq!(
        d.edits(),
        vec![Command::Move {
            id: A,
            pos: Point::new(0.0, 40.0)
        }]
    );
}

#[test]
fn shift_click_toggles_a_device_in_the_selection() {
    let mut d = Driver::new().select(&[A]);
    d.shift_down(dev(B), (300.0, 100.0));
    d.up((300.0, 100.0));
    assert_eq!(d.s.selected, vec![A, B]);
    d.shift_down(dev(A), (100.0, 100.0));
    d.up((100.0, 100.0));
    assert_eq!(d.s.selected, vec![B]);
    assert!(d.edits().is_empty());
}

#[test]
fn a_box_selects_the_devices_inside_it() {
    let mut d = Driver::new().select(&[C]);
    d.down(Target::Background, (50.0, 50.0));
    assert_eq!(d.move_to((52.0, 51.0)), vec![], "not yet a box");
    let out = d.move_to((350.0, 150.0));
    assert_eq!(
        out,
        vec![
            Output::Capture(1),
            Output::Band(Some((Point::new(50.0, 50.0), Point::new(350.0, 150.0))))
        ]
    );
    let out = d.up((350.0, 150.0));
    assert_eq!(
        out,
        vec![Output::Band(None), Output::SelectDevices(vec![A, B])]
    );
    assert!(d.edits().is_empty());
}

#[test]
fn shift_box_adds_to_the_selection() {
    let mut d = Driver::new().select(&[C]);
    d.shift_down(Target::Background, (350.0, 150.0));
    d.move_to((250.0, 50.0));
    d.up((250.0, 50.0));
    assert_eq!(d.s.selected, vec![C, B]);
}

#[test]
fn a_click_on_empty_canvas_deselects_but_not_with_shift() {
    let mut d = Driver::new().select(&[A, B]);
    d.shift_down(Target::Background, (500.0, 300.0));
    d.up((500.0, 300.0));
    assert_eq!(d.s.selected, vec![A, B]);
    d.click(Target::Background, (500.0, 300.0));
    assert!(d.s.selected.is_empty());
}

#[test]
fn pointercancel_mid_drag_produces_no_edit() {
    let mut d = Driver::new();
    d.down(dev(A), (100.0, 100.0));
    d.move_to((200.0, 200.0));
    assert_eq!(d.m.cancel(1), vec![Output::DragEnd]);
    assert!(d.up((200.0, 200.0)).is_empty());
    assert!(d.edits().is_empty());
    assert!(!d.m.busy());
}

#[test]
fn escape_mid_drag_produces_no_edit() {
    let mut d = Driver::new();
    d.down(dev(A), (100.0, 100.0));
    d.move_to((200.0, 200.0));
    let out = d.key("Escape", false, None);
    assert_eq!(out[0], Output::DragEnd);
    d.up((200.0, 200.0));
    assert!(d.edits().is_empty());
}

#[test]
fn escape_mid_box_hides_the_box() {
    let mut d = Driver::new().select(&[C]);
    d.down(Target::Background, (50.0, 50.0));
    d.move_to((350.0, 150.0));
    let out = d.key("Escape", false, None);
    assert_eq!(out[0], Output::Band(None));
    d.up((350.0, 150.0));
    assert!(
        d.s.selected.is_empty(),
        "Escape deselects, the box selects nothing"
    );
}

#[test]
fn escape_leaves_the_tool_and_closes_what_is_open() {
    let mut d = Driver::new()
        .tool(Tool::Cable { from: Some(A) })
        .select(&[A]);
    let out = d.key("Escape", false, None);
    assert_eq!(
        out,
        vec![
            Output::SetTool(Tool::Select),
            Output::PortPick(None),
            Output::Rename(None),
            Output::Status(None),
        ]
    );
    assert_eq!(d.s.selected, vec![A], "only the select tool deselects");
    let out = d.key("Escape", false, None);
    assert_eq!(out[0], Output::SelectOnly(None));
}

#[test]
fn the_cable_tool_joins_two_devices() {
    let mut d = Driver::new().tool(Tool::Cable { from: None });
    let out = d.click(dev(A), (100.0, 100.0));
    assert!(out.contains(&Output::SetTool(Tool::Cable { from: Some(A) })));
    assert!(out.contains(&Output::Status(Some(Status::Hint(
        crate::i18n::Key::CableHelpSecond
    )))));
    // The same device again does nothing.
    assert!(
        !d.click(dev(A), (100.0, 100.0))
            .iter()
            .any(|o| matches!(o, Output::SetTool(_)))
    );
    let out = d.click(dev(B), (300.0, 100.0));
    assert!(out.contains(&Output::Connect { a: A, b: B }));
    assert_eq!(d.s.tool, Tool::Select);
}

#[test]
fn choose_ports_opens_the_port_chooser() {
    let mut d = Driver::new().tool(Tool::Cable { from: None });
    d.s.choose_ports = true;
    d.click(dev(A), (100.0, 100.0));
    let out = d.click(dev(C), (600.0, 500.0));
    assert!(out.contains(&Output::PortPick(Some((A, C)))));
    assert!(!out.iter().any(|o| matches!(o, Output::Connect { .. })));
    assert_eq!(d.s.selected, vec![C]);
}

#[test]
fn a_full_device_is_refused_with_the_reason() {
    let mut d = Driver::new().tool(Tool::Cable { from: Some(A) });
    d.s.full = vec![B];
    let out = d.click(dev(B), (300.0, 100.0));
    assert!(out.contains(&Output::NoFreePort(B)));
    assert_eq!(d.s.tool, Tool::Cable { from: Some(A) });
}

#[test]
fn the_place_tool_places_where_tapped() {
    let mut d = Driver::new().tool(Tool::Place(DeviceKind::Router));
    let out = d.click(Target::Background, (400.0, 300.0));
    assert_eq!(
        out,
        vec![
            Output::Dispatch(Command::Add {
                kind: DeviceKind::Router,
                pos: Point::new(400.0, 300.0)
            }),
            Output::SetTool(Tool::Select),
            Output::Status(None),
        ]
    );
    // Outside the canvas nothing is placed, but the tool ends.
    let mut d = Driver::new().tool(Tool::Place(DeviceKind::Pc));
    d.click(Target::Background, (1200.0, 300.0));
    assert!(d.edits().is_empty());
    assert_eq!(d.s.tool, Tool::Select);
}

#[test]
fn the_place_tool_pans_when_dragged() {
    let mut d = Driver::new().tool(Tool::Place(DeviceKind::Pc));
    d.down(Target::Background, (400.0, 300.0));
    let out = d.move_to((450.0, 310.0));
    assert_eq!(
        out,
        vec![Output::Capture(1), Output::PanBy { dx: 50.0, dy: 10.0 }]
    );
    assert_eq!(
        d.move_to((460.0, 300.0)),
        vec![Output::PanBy {
            dx: 10.0,
            dy: -10.0
        }]
    );
    d.up((460.0, 300.0));
    assert!(d.edits().is_empty());
    assert_eq!(d.s.tool, Tool::Place(DeviceKind::Pc));
}

#[test]
fn the_hand_tool_pans_even_over_a_device() {
    let mut d = Driver::new().tool(Tool::Hand);
    d.down(dev(A), (100.0, 100.0));
    let out = d.move_to((150.0, 100.0));
    assert!(out.contains(&Output::PanBy { dx: 50.0, dy: 0.0 }));
    d.up((150.0, 100.0));
    assert!(d.edits().is_empty());
}

#[test]
fn space_and_drag_pans() {
    let mut d = Driver::new();
    d.key(" ", false, None);
    assert!(d.m.space_held());
    d.down(dev(A), (100.0, 100.0));
    assert!(
        d.move_to((100.0, 150.0))
            .contains(&Output::PanBy { dx: 0.0, dy: 50.0 })
    );
    d.up((100.0, 150.0));
    assert!(d.edits().is_empty());
    d.m.key_up(&KeyPress {
        key: " ".into(),
        shift: false,
        ctrl: false,
        typing: false,
        focused: None,
    });
    assert!(!d.m.space_held());
    // Space on a focused device activates it instead.
    d.key(" ", false, Some(A));
    assert!(!d.m.space_held());
}

#[test]
fn the_middle_button_pans() {
    let mut d = Driver::new();
    let mut p = d.pointer(1, PointerKind::Mouse, (100.0, 100.0), dev(A));
    p.button = Button::Middle;
    assert_eq!(d.press(p), vec![Output::PreventDefault]);
    assert!(
        d.move_to((90.0, 100.0))
            .contains(&Output::PanBy { dx: -10.0, dy: 0.0 })
    );
    d.up((90.0, 100.0));
    assert!(d.edits().is_empty());
}

#[test]
fn other_buttons_and_cable_presses_do_nothing() {
    let mut d = Driver::new();
    let mut p = d.pointer(1, PointerKind::Mouse, (100.0, 100.0), dev(A));
    p.button = Button::Other;
    assert!(d.press(p).is_empty());
    assert!(!d.m.busy());
    assert!(d.down(Target::Link, (200.0, 100.0)).is_empty());
    assert!(!d.m.busy());
}

#[test]
fn a_click_on_a_cable_selects_it_with_the_select_tool() {
    let mut d = Driver::new();
    let out = d.m.link_click(LinkId(4), &d.s);
    assert_eq!(
        out,
        vec![
            Output::StopPropagation,
            Output::SelectOnly(Some(Selection::Link(LinkId(4))))
        ]
    );
    d.s.tool = Tool::Hand;
    assert_eq!(
        d.m.link_click(LinkId(4), &d.s),
        vec![Output::StopPropagation]
    );
}

#[test]
fn one_finger_pans_and_a_tap_deselects() {
    let mut d = Driver::new().select(&[A]);
    d.touch_down(7, Target::Background, (500.0, 300.0));
    assert!(
        d.move_pointer(7, (520.0, 300.0))
            .contains(&Output::PanBy { dx: 20.0, dy: 0.0 })
    );
    d.up_pointer(7, (520.0, 300.0));
    assert_eq!(d.s.selected, vec![A], "a pan keeps the selection");
    d.touch_down(8, Target::Background, (500.0, 300.0));
    d.up_pointer(8, (500.0, 300.0));
    assert!(d.s.selected.is_empty());
}

#[test]
fn a_finger_drags_a_device() {
    let mut d = Driver::new();
    d.touch_down(7, dev(C), (600.0, 500.0));
    d.move_pointer(7, (650.0, 520.0));
    d.up_pointer(7, (650.0, 520.0));
    assert_eq!(
        d.edits(),
        vec![Command::Move {
            id: C,
            pos: Point::new(650.0, 520.0)
        }]
    );
}

#[test]
fn pinch_zooms_about_the_fingers_midpoint() {
    let mut d = Driver::new();
    d.touch_down(1, Target::Background, (100.0, 100.0));
    d.touch_down(2, Target::Background, (200.0, 100.0));
    assert_eq!(
        d.m.state(),
        &State::Pinching {
            dist: 100.0,
            mid: (150.0, 100.0)
        }
    );
    let out = d.move_pointer(2, (300.0, 100.0));
    assert_eq!(
        out,
        vec![
            Output::PanBy { dx: 50.0, dy: 0.0 },
            Output::ZoomAt {
                x: 200.0,
                y: 100.0,
                factor: 2.0
            },
        ]
    );
    // One finger lifted: the pinch ends; the other finger does nothing more.
    d.up_pointer(2, (300.0, 100.0));
    assert!(!d.m.busy());
    assert!(d.move_pointer(1, (0.0, 0.0)).is_empty());
    d.up_pointer(1, (0.0, 0.0));
    assert!(d.edits().is_empty());
}

#[test]
fn a_second_finger_turns_a_drag_into_a_pinch() {
    let mut d = Driver::new();
    d.touch_down(1, dev(A), (100.0, 100.0));
    d.move_pointer(1, (150.0, 100.0));
    let out = d.touch_down(2, dev(B), (300.0, 100.0));
    assert_eq!(out, vec![Output::DragEnd]);
    assert!(matches!(d.m.state(), State::Pinching { .. }));
    d.up_pointer(1, (150.0, 100.0));
    d.up_pointer(2, (300.0, 100.0));
    assert!(d.edits().is_empty(), "a pinch moves no device");
}

#[test]
fn a_double_tap_renames() {
    let mut d = Driver::new();
    d.touch_down(1, dev(A), (100.0, 100.0));
    d.up_pointer(1, (100.0, 100.0));
    d.time += 300.0;
    d.touch_down(2, dev(A), (100.0, 100.0));
    let out = d.up_pointer(2, (100.0, 100.0));
    assert_eq!(out.last(), Some(&Output::Rename(Some(A))));
    // Too slow: no rename.
    d.time += 1000.0;
    d.touch_down(3, dev(A), (100.0, 100.0));
    assert!(
        !d.up_pointer(3, (100.0, 100.0))
            .contains(&Output::Rename(Some(A)))
    );
    // A mouse double click goes through the label's dblclick instead.
    d.click(dev(B), (300.0, 100.0));
    assert!(
        !d.click(dev(B), (300.0, 100.0))
            .contains(&Output::Rename(Some(B)))
    );
    assert_eq!(
        d.m.label_double_click(B),
        vec![Output::StopPropagation, Output::Rename(Some(B))]
    );
}

#[test]
fn enter_and_f2_on_a_focused_device() {
    let mut d = Driver::new();
    let out = d.m.device_key(B, "Enter", &d.s);
    assert_eq!(
        out,
        vec![
            Output::PreventDefault,
            Output::SetTool(Tool::Select),
            Output::SelectOnly(Some(Selection::Device(B)))
        ]
    );
    assert_eq!(
        d.m.device_key(B, "F2", &d.s),
        vec![Output::PreventDefault, Output::Rename(Some(B))]
    );
    assert!(d.m.device_key(B, "x", &d.s).is_empty());
}

#[test]
fn arrow_keys_move_the_selection_in_one_step() {
    let mut d = Driver::new().select(&[A, B]);
    let out = d.key("ArrowRight", false, None);
    assert_eq!(
        out,
        vec![
            Output::PreventDefault,
            Output::Dispatch(Command::Batch(vec![
                Command::Move {
                    id: A,
                    pos: Point::new(110.0, 100.0)
                },
                Command::Move {
                    id: B,
                    pos: Point::new(310.0, 100.0)
                },
            ]))
        ]
    );
    d.key("ArrowUp", true, None);
    assert_eq!(d.s.position(A), Some(Point::new(110.0, 50.0)));
    d.key("ArrowUp", true, None);
    assert_eq!(d.s.position(A), Some(Point::new(110.0, 0.0)), "stops at 0");
}

#[test]
fn arrow_keys_move_the_focused_device_and_nothing_else() {
    let mut d = Driver::new().select(&[A]);
    let out = d.key("ArrowDown", false, Some(C));
    assert_eq!(out[0], Output::SelectOnly(Some(Selection::Device(C))));
    assert_eq!(d.s.position(C), Some(Point::new(600.0, 510.0)));
    assert_eq!(d.s.position(A), Some(Point::new(100.0, 100.0)));
    // Nothing selected, nothing focused: the page may scroll.
    let mut d = Driver::new();
    assert!(d.key("ArrowDown", false, None).is_empty());
    // Typing in a field: keys are left alone.
    let mut d = Driver::new().select(&[A]);
    let k = KeyPress {
        key: "ArrowLeft".into(),
        shift: false,
        ctrl: false,
        typing: true,
        focused: None,
    };
    assert!(d.m.key_down(&k, &d.s).is_empty());
    let k = KeyPress {
        typing: false,
        ctrl: true,
        ..k
    };
    assert!(d.m.key_down(&k, &d.s).is_empty());
}

#[test]
fn the_wheel_zooms_about_the_pointer() {
    let mut m = Machine::new();
    let out = m.wheel(-100.0, 0, (10.0, 20.0));
    assert_eq!(out[0], Output::PreventDefault);
    let Output::ZoomAt { x, y, factor } = out[1] else {
        panic!("{out:?}")
    };
    assert_eq!((x, y), (10.0, 20.0));
    assert!((factor - 0.15f64.exp()).abs() < 1e-12);
    // Lines count 16 pixels: the same zoom from 6.25 lines.
    let Output::ZoomAt { factor: f2, .. } = m.wheel(-6.25, 1, (0.0, 0.0))[1] else {
        panic!()
    };
    assert!((f2 - factor).abs() < 1e-12);
    assert!(!m.busy(), "the wheel is no gesture");
}

#[test]
fn another_pointer_does_not_disturb_a_drag() {
    let mut d = Driver::new();
    d.down(dev(A), (100.0, 100.0));
    d.move_to((150.0, 100.0));
    assert!(d.move_pointer(9, (500.0, 500.0)).is_empty());
    assert!(d.up_pointer(9, (500.0, 500.0)).is_empty());
    d.up((160.0, 100.0));
    assert_eq!(
        d.edits(),
        vec![Command::Move {
            id: A,
            pos: Point::new(150.0, 100.0)
        }]
    );
}
