//! Mouse and pen: clicks, drags, the selection box, the tools.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use lanlab_sim::{DeviceKind, Point};

use super::*;

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
