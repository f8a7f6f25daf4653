//! Keys, cable clicks and the wheel.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use lanlab_sim::{LinkId, Point};

use super::*;

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
