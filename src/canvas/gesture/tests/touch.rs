//! Fingers: one pans or drags, two pinch, two taps rename.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use lanlab_sim::Point;

use super::*;

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
fn a_long_press_opens_the_device_menu_and_commits_nothing() {
    let mut d = Driver::new();
    d.touch_down(1, dev(A), (100.0, 100.0));
    d.time += LONG_PRESS_MS;
    let t = d.time;
    let out = d.m.long_press(1, t);
    assert_eq!(out, vec![Output::DeviceMenu(Some((A, (100.0, 100.0))))]);
    assert_eq!(d.m.state(), &State::LongPressed { pointer: 1 });
    // Lifting the finger neither clicks nor drags.
    assert!(d.up_pointer(1, (101.0, 100.0)).is_empty());
    assert!(!d.m.busy());
    assert!(d.edits().is_empty());
    // A tap right after is a tap, not the second half of a double tap.
    d.touch_down(2, dev(A), (100.0, 100.0));
    assert!(
        !d.up_pointer(2, (100.0, 100.0))
            .contains(&Output::Rename(Some(A)))
    );
}

#[test]
fn a_long_press_needs_a_still_finger_held_long_enough() {
    let mut d = Driver::new();
    // Too early: nothing.
    d.touch_down(1, dev(A), (100.0, 100.0));
    let t = d.time + LONG_PRESS_MS - 1.0;
    assert!(d.m.long_press(1, t).is_empty());
    // Moved: it is a drag, the timer does nothing.
    d.move_pointer(1, (140.0, 100.0));
    let t = d.time + LONG_PRESS_MS;
    assert!(d.m.long_press(1, t).is_empty());
    d.up_pointer(1, (140.0, 100.0));
    assert_eq!(d.edits().len(), 1, "the drag still commits");
    // Lifted before the timer: a tap, and the late timer does nothing.
    d.touch_down(2, dev(B), (300.0, 100.0));
    d.up_pointer(2, (300.0, 100.0));
    let t = d.time + LONG_PRESS_MS;
    assert!(d.m.long_press(2, t).is_empty());
    // A mouse held still is not a long press (it has a right button).
    d.down(dev(A), (140.0, 100.0));
    let t = d.time + LONG_PRESS_MS;
    assert!(d.m.long_press(1, t).is_empty());
}
