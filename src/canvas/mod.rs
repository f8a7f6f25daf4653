//! The topology canvas: one SVG, a `<g>` per device, a `<line>` per cable.
//!
//! Pointer events drive it, so mouse, pen and touch behave alike. Dragging
//! devices only moves them in session state (an offset applied to the moving
//! ones); the document gets one `Move` (or one batch of moves for a group)
//! when the pointer is released: one undoable operation per drag. Empty
//! canvas: a box selects several devices (mouse, pen), one finger pans, two
//! pinch; the wheel zooms around the pointer. Pan and zoom change the
//! `<svg>`'s viewBox ([`crate::state::View`]).

pub mod gesture;
pub mod icon;

use lanlab_sim::{Device, DeviceId, IpConfig, LinkEnd, LinkId, Point};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::i18n::Key;
use crate::state::{AppState, Command, Selection, Status, Tool};
use icon::device_icon;

/// Pixels a pointer must travel before a press becomes a drag.
const DRAG_SLOP: f64 = 4.0;

/// What the pointer is doing on the canvas.
#[derive(Clone, Debug, PartialEq)]
enum Gesture {
    /// Pressing (then dragging) devices.
    Drag {
        pointer: i32,
        /// The device pressed.
        id: DeviceId,
        /// Every device that moves with it.
        ids: Vec<DeviceId>,
        /// Where the press began (client pixels, canvas units).
        client: (f64, f64),
        start: Point,
        /// How far the group may go left and up before leaving the canvas.
        min: Point,
        moved: bool,
        shift: bool,
        touch: bool,
    },
    /// A selection box from `start`.
    Band {
        pointer: i32,
        client: (f64, f64),
        start: Point,
        additive: bool,
        moved: bool,
    },
    /// Panning the view; a press that does not move is a tap.
    Pan {
        pointer: i32,
        client: (f64, f64),
        last: (f64, f64),
        moved: bool,
    },
    /// Two fingers: zoom and pan.
    Pinch { dist: f64, mid: (f64, f64) },
}

/// What the label under a device says about its address.
#[derive(Clone, Debug, PartialEq)]
enum IpLabel {
    None,
    Static(String),
    Dhcp,
}

fn ip_label(d: &Device) -> IpLabel {
    for p in &d.ports {
        match &p.ip {
            IpConfig::Static(s) => return IpLabel::Static(s.address.to_string()),
            IpConfig::Dhcp => return IpLabel::Dhcp,
            IpConfig::None => {}
        }
    }
    IpLabel::None
}

/// What the light at one end of a cable shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LightState {
    Up,
    Down,
    /// The switch port at this end is blocked by loop protection.
    Blocked,
}

impl LightState {
    fn name(self) -> &'static str {
        match self {
            LightState::Up => "up",
            LightState::Down => "down",
            LightState::Blocked => "blocked",
        }
    }

    fn key(self) -> Key {
        match self {
            LightState::Up => Key::LinkUp,
            LightState::Down => Key::LinkDown,
            LightState::Blocked => Key::LinkBlocked,
        }
    }
}

/// What a click (or Enter, or a tap) on a device does under the current tool.
fn activate_device(st: AppState, id: DeviceId) {
    match st.tool.get_untracked() {
        Tool::Select | Tool::Place(_) | Tool::Hand => {
            st.tool.set(Tool::Select);
            st.select_only(Some(Selection::Device(id)));
        }
        Tool::Cable { from } if from != Some(id) => {
            // A full device is refused at once, with the reason.
            let full = st.lab.with_untracked(|l| {
                l.free_port(id)
                    .is_none()
                    .then(|| l.device(id).map(|d| d.name.clone()))
                    .flatten()
            });
            if let Some(name) = full {
                let e = lanlab_sim::LabError::NoFreePort(name);
                st.status.set(Some(Status::Error(crate::i18n::lab_error(
                    st.lang.get_untracked(),
                    &e,
                ))));
                return;
            }
            match from {
                None => {
                    st.tool.set(Tool::Cable { from: Some(id) });
                    st.select_only(Some(Selection::Device(id)));
                    st.status.set(Some(Status::Hint(Key::CableHelpSecond)));
                }
                Some(a) if st.choose_ports.get_untracked() => {
                    st.tool.set(Tool::Select);
                    st.select_only(Some(Selection::Device(id)));
                    st.port_pick.set(Some((a, id)));
                    st.status.set(Some(Status::Hint(Key::ChoosePortsHelp)));
                }
                Some(a) => {
                    st.tool.set(Tool::Select);
                    if st.dispatch(Command::Connect { a, b: id }).is_ok() {
                        st.select_only(Some(Selection::Device(id)));
                    }
                }
            }
        }
        Tool::Cable { .. } => {}
    }
}

/// Sets up what `view!` cannot: a non-passive wheel listener (so the page
/// does not scroll while zooming) and a ResizeObserver keeping
/// [`AppState::size`] current.
fn wire_svg(st: AppState, svg: &web_sys::SvgElement) {
    let measure = {
        let svg = svg.clone();
        move || {
            let r = svg.get_bounding_client_rect();
            let size = (r.width(), r.height());
            if size.0 > 0.0 && st.size.get_untracked() != size {
                st.size.set(size);
            }
        }
    };
    measure();
    let on_resize = Closure::<dyn FnMut()>::new(measure);
    let observed = (|| -> Option<()> {
        let ctor = js_sys::Reflect::get(&window(), &"ResizeObserver".into()).ok()?;
        let ctor: js_sys::Function = ctor.dyn_into().ok()?;
        let obs =
            js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(on_resize.as_ref())).ok()?;
        let observe: js_sys::Function = js_sys::Reflect::get(&obs, &"observe".into())
            .ok()?
            .dyn_into()
            .ok()?;
        observe.call1(&obs, svg).ok()?;
        Some(())
    })();
    if observed.is_none() {
        let _ =
            window().add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    }
    on_resize.forget();

    let on_wheel =
        Closure::<dyn FnMut(web_sys::WheelEvent)>::new(move |ev: web_sys::WheelEvent| {
            ev.prevent_default();
            let dy = match ev.delta_mode() {
                1 => ev.delta_y() * 16.0,
                2 => ev.delta_y() * 400.0,
                _ => ev.delta_y(),
            };
            let factor = (-dy * 0.0015).exp();
            st.zoom_at(ev.client_x() as f64, ev.client_y() as f64, factor);
        });
    let opts = web_sys::AddEventListenerOptions::new();
    opts.set_passive(false);
    let _ = svg.add_event_listener_with_callback_and_add_event_listener_options(
        "wheel",
        on_wheel.as_ref().unchecked_ref(),
        &opts,
    );
    on_wheel.forget();
}

/// The canvas component.
#[component]
pub fn Canvas() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<crate::sim_driver::Sim>();
    let gesture = StoredValue::new(None::<Gesture>);
    // Touch pointers down on the canvas, for pinch.
    let touches = StoredValue::new(Vec::<(i32, (f64, f64))>::new());
    // The devices being dragged, and by how much (canvas units).
    let moving = RwSignal::new(Vec::<DeviceId>::new());
    let delta = RwSignal::new(Point::default());
    let band = RwSignal::new(None::<(Point, Point)>);
    let port_pick = st.port_pick;
    // Space held: drag pans.
    let space = StoredValue::new(false);
    // The last tap on a device (id, time), for a double tap to rename.
    let last_tap = StoredValue::new(None::<(DeviceId, f64)>);

    let keys_down = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == " " && !typing_in_field() && !is_device_focused() {
            space.set_value(true);
        }
    });
    let keys_up = window_event_listener(ev::keyup, move |ev| {
        if ev.key() == " " {
            space.set_value(false);
        }
    });
    on_cleanup(move || {
        keys_down.remove();
        keys_up.remove();
    });

    let wired = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(svg) = st.canvas.get()
            && !wired.get_value()
        {
            wired.set_value(true);
            wire_svg(st, &svg);
        }
    });

    let device_ids = Memo::new(move |_| {
        st.lab
            .with(|l| l.devices.iter().map(|d| d.id).collect::<Vec<_>>())
    });
    let link_ids = Memo::new(move |_| {
        st.lab
            .with(|l| l.links.iter().map(|l| l.id).collect::<Vec<_>>())
    });
    // Where a device is drawn: its place in the document, plus the drag
    // offset while it moves. Only moving devices track the offset.
    let shifted = move |id: DeviceId, p: Point| -> Point {
        if moving.with(|m| m.contains(&id)) {
            let d = delta.get();
            Point::new(p.x + d.x, p.y + d.y)
        } else {
            p
        }
    };
    let pos_of = move |id: DeviceId| -> Option<Point> {
        let p = st.lab.with(|l| l.device(id).map(|d| d.pos))?;
        Some(shifted(id, p))
    };

    let capture = move |pointer: i32| {
        if let Some(svg) = st.canvas.get_untracked() {
            let _ = svg.set_pointer_capture(pointer);
        }
    };

    let on_move = move |ev: ev::PointerEvent| {
        let (cx, cy) = (ev.client_x() as f64, ev.client_y() as f64);
        let pid = ev.pointer_id();
        let mut pinch = None;
        touches.update_value(|t| {
            if let Some(e) = t.iter_mut().find(|e| e.0 == pid) {
                e.1 = (cx, cy);
            }
            if t.len() == 2 {
                pinch = Some((t[0].1, t[1].1));
            }
        });
        let Some(g) = gesture.get_value() else { return };
        let far = |from: (f64, f64)| (cx - from.0).abs() + (cy - from.1).abs() > DRAG_SLOP;
        match g {
            Gesture::Drag {
                pointer,
                ref ids,
                client,
                start,
                min,
                moved,
                ..
            } if pointer == pid => {
                if !moved && !far(client) {
                    return;
                }
                let Some(p) = st.client_to_canvas_any(cx, cy) else {
                    return;
                };
                if !moved {
                    capture(pid);
                    moving.set(ids.clone());
                    gesture.update_value(|g| {
                        if let Some(Gesture::Drag { moved, .. }) = g {
                            *moved = true;
                        }
                    });
                }
                delta.set(Point::new(
                    (p.x - start.x).max(-min.x),
                    (p.y - start.y).max(-min.y),
                ));
            }
            Gesture::Band {
                pointer,
                client,
                start,
                moved,
                ..
            } if pointer == pid => {
                if !moved && !far(client) {
                    return;
                }
                if !moved {
                    capture(pid);
                    gesture.update_value(|g| {
                        if let Some(Gesture::Band { moved, .. }) = g {
                            *moved = true;
                        }
                    });
                }
                if let Some(p) = st.client_to_canvas_any(cx, cy) {
                    band.set(Some((start, p)));
                }
            }
            Gesture::Pan {
                pointer,
                client,
                last,
                moved,
            } if pointer == pid => {
                if !moved && !far(client) {
                    return;
                }
                if !moved {
                    capture(pid);
                }
                st.pan_by(cx - last.0, cy - last.1);
                gesture.set_value(Some(Gesture::Pan {
                    pointer,
                    client,
                    last: (cx, cy),
                    moved: true,
                }));
            }
            Gesture::Pinch { dist, mid } => {
                let Some((a, b)) = pinch else { return };
                let nd = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt().max(1.0);
                let nm = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
                st.pan_by(nm.0 - mid.0, nm.1 - mid.1);
                st.zoom_at(nm.0, nm.1, nd / dist);
                gesture.set_value(Some(Gesture::Pinch { dist: nd, mid: nm }));
            }
            _ => {}
        }
    };

    // A press on empty canvas that did not move.
    let tap_background = move |cx: f64, cy: f64, additive: bool| match st.tool.get_untracked() {
        Tool::Place(kind) => {
            if let Some(pos) = st.client_to_canvas(cx, cy) {
                let _ = st.dispatch(Command::Add { kind, pos });
            }
            st.tool.set(Tool::Select);
            st.status.set(None);
        }
        Tool::Select if !additive => st.select_only(None),
        _ => {}
    };

    let on_up = move |ev: ev::PointerEvent| {
        let pid = ev.pointer_id();
        touches.update_value(|t| t.retain(|e| e.0 != pid));
        let (cx, cy) = (ev.client_x() as f64, ev.client_y() as f64);
        let Some(g) = gesture.get_value() else { return };
        match g {
            Gesture::Drag {
                pointer,
                id,
                ids,
                moved,
                shift,
                touch,
                ..
            } if pointer == pid => {
                gesture.set_value(None);
                if moved {
                    let d = delta.get_untracked();
                    let moves: Vec<Command> = st.lab.with_untracked(|l| {
                        ids.iter()
                            .filter_map(|&id| {
                                let p = l.device(id)?.pos;
                                Some(Command::Move {
                                    id,
                                    pos: Point::new(p.x + d.x, p.y + d.y),
                                })
                            })
                            .collect()
                    });
                    let _ = if moves.len() == 1 {
                        st.dispatch(moves.into_iter().next().expect("one"))
                    } else {
                        st.dispatch(Command::Batch(moves))
                    };
                    moving.set(Vec::new());
                    delta.set(Point::default());
                    if ids.len() == 1 {
                        st.select_only(Some(Selection::Device(id)));
                    }
                } else if shift {
                    let mut sel = st.selected_devices();
                    if let Some(i) = sel.iter().position(|&d| d == id) {
                        sel.remove(i);
                    } else {
                        sel.push(id);
                    }
                    st.select_devices(sel);
                } else {
                    let now = js_sys::Date::now();
                    let double = touch
                        && last_tap
                            .get_value()
                            .is_some_and(|(d, t)| d == id && now - t < 450.0);
                    last_tap.set_value(Some((id, now)));
                    activate_device(st, id);
                    if double && st.tool.get_untracked() == Tool::Select {
                        st.renaming.set(Some(id));
                    }
                }
            }
            Gesture::Band {
                pointer,
                start,
                additive,
                moved,
                ..
            } if pointer == pid => {
                gesture.set_value(None);
                band.set(None);
                if !moved {
                    tap_background(cx, cy, additive);
                    return;
                }
                let Some(end) = st.client_to_canvas_any(cx, cy) else {
                    return;
                };
                let (x0, x1) = (start.x.min(end.x), start.x.max(end.x));
                let (y0, y1) = (start.y.min(end.y), start.y.max(end.y));
                let mut sel = if additive {
                    st.selected_devices()
                } else {
                    Vec::new()
                };
                st.lab.with_untracked(|l| {
                    for d in &l.devices {
                        let inside =
                            d.pos.x >= x0 && d.pos.x <= x1 && d.pos.y >= y0 && d.pos.y <= y1;
                        if inside && !sel.contains(&d.id) {
                            sel.push(d.id);
                        }
                    }
                });
                st.select_devices(sel);
            }
            Gesture::Pan { pointer, moved, .. } if pointer == pid => {
                gesture.set_value(None);
                if !moved {
                    tap_background(cx, cy, false);
                }
            }
            Gesture::Pinch { .. } if touches.with_value(Vec::len) < 2 => {
                gesture.set_value(None);
            }
            _ => {}
        }
    };
    let on_cancel = move |ev: ev::PointerEvent| {
        let pid = ev.pointer_id();
        touches.update_value(|t| t.retain(|e| e.0 != pid));
        gesture.set_value(None);
        moving.set(Vec::new());
        delta.set(Point::default());
        band.set(None);
    };

    // A press anywhere on the canvas that no device took.
    let on_down = move |ev: ev::PointerEvent| {
        let on_link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest(".link").ok().flatten())
            .is_some();
        let (cx, cy) = (ev.client_x() as f64, ev.client_y() as f64);
        let pid = ev.pointer_id();
        let touch = ev.pointer_type() == "touch";
        if touch {
            touches.update_value(|t| {
                t.retain(|e| e.0 != pid);
                t.push((pid, (cx, cy)));
            });
            let two = touches.with_value(|t| (t.len() == 2).then(|| (t[0].1, t[1].1)));
            if let Some((a, b)) = two {
                // A second finger: whatever the first was doing becomes a pinch.
                moving.set(Vec::new());
                delta.set(Point::default());
                band.set(None);
                let dist = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt().max(1.0);
                gesture.set_value(Some(Gesture::Pinch {
                    dist,
                    mid: ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0),
                }));
                return;
            }
        }
        if on_link && ev.button() == 0 {
            return;
        }
        let pan = ev.button() == 1
            || space.get_value()
            || st.tool.get_untracked() == Tool::Hand
            || touch
            || !matches!(st.tool.get_untracked(), Tool::Select);
        if ev.button() == 1 {
            ev.prevent_default();
        } else if ev.button() != 0 {
            return;
        }
        if pan {
            gesture.set_value(Some(Gesture::Pan {
                pointer: pid,
                client: (cx, cy),
                last: (cx, cy),
                moved: false,
            }));
        } else if let Some(start) = st.client_to_canvas_any(cx, cy) {
            gesture.set_value(Some(Gesture::Band {
                pointer: pid,
                client: (cx, cy),
                start,
                additive: ev.shift_key(),
                moved: false,
            }));
        }
    };

    let device_view = move |id: DeviceId| {
        let info = Memo::new(move |_| {
            st.lab.with(|l| {
                l.device(id)
                    .map(|d| (d.name.clone(), d.powered, ip_label(d)))
                    .unwrap_or((String::new(), true, IpLabel::None))
            })
        });
        let name = move || info.with(|i| i.0.clone());
        let kind = st.lab.with_untracked(|l| l.device(id).map(|d| d.kind));
        let selected = move || st.is_selected(id);
        let cable_from = move || st.tool.get() == Tool::Cable { from: Some(id) };
        let transform = move || {
            let p = pos_of(id).unwrap_or_default();
            format!("translate({:.1} {:.1})", p.x, p.y)
        };
        // A memo: a DHCP label reads the engine at every change of it, but
        // the text and the aria-label update only when the address does.
        let ip_text = Memo::new(move |_| match info.with(|i| i.2.clone()) {
            IpLabel::None => String::new(),
            IpLabel::Static(a) => a,
            IpLabel::Dhcp => {
                let leased = sim
                    .with(|e| {
                        info.with_untracked(|i| e.host(&i.0).and_then(|h| h.primary_address()))
                    })
                    .flatten();
                match leased {
                    Some(a) => format!("{a} (DHCP)"),
                    None => st.lang.get().t(Key::Dhcp).to_string(),
                }
            }
        });
        let renaming = move || st.renaming.get() == Some(id);
        view! {
            <g
                class="device"
                class:selected=selected
                class:cable-from=cable_from
                class:off=move || !info.with(|i| i.1)
                data-testid=move || format!("device-{}", name())
                data-id=id.0.to_string()
                data-kind=kind.map(|k| k.name_prefix().to_lowercase())
                data-power=move || if info.with(|i| i.1) { "on" } else { "off" }
                transform=transform
                tabindex="0"
                role="button"
                aria-pressed=move || selected().to_string()
                aria-label=move || {
                    let (n, on, _) = info.get();
                    let ip = ip_text.get();
                    let mut s = n;
                    if !ip.is_empty() {
                        s = format!("{s}, {ip}");
                    }
                    if !on {
                        s = format!("{s}, {}", st.lang.get().t(Key::PoweredOff));
                    }
                    s
                }
                on:pointerdown=move |ev: ev::PointerEvent| {
                    let panning = ev.button() == 1
                        || space.get_value()
                        || st.tool.get_untracked() == Tool::Hand;
                    let touch = ev.pointer_type() == "touch";
                    if panning || (touch && touches.with_value(|t| !t.is_empty())) {
                        // Let the canvas pan (or pinch) instead.
                        return;
                    }
                    if ev.button() != 0 {
                        return;
                    }
                    ev.stop_propagation();
                    let (cx, cy) = (ev.client_x() as f64, ev.client_y() as f64);
                    let Some(start) = st.client_to_canvas_any(cx, cy) else {
                        return;
                    };
                    if touch {
                        touches.update_value(|t| t.push((ev.pointer_id(), (cx, cy))));
                    }
                    let sel = st.selected_devices();
                    let ids = if sel.len() > 1 && sel.contains(&id) && st.tool.get_untracked() == Tool::Select {
                        sel
                    } else {
                        vec![id]
                    };
                    let min = st.lab.with_untracked(|l| {
                        ids.iter().filter_map(|&i| l.device(i)).fold(
                            Point::new(f64::MAX, f64::MAX),
                            |m, d| Point::new(m.x.min(d.pos.x), m.y.min(d.pos.y)),
                        )
                    });
                    gesture.set_value(Some(Gesture::Drag {
                        pointer: ev.pointer_id(),
                        id,
                        ids,
                        client: (cx, cy),
                        start,
                        min,
                        moved: false,
                        shift: ev.shift_key(),
                        touch,
                    }));
                }
                on:keydown=move |ev: ev::KeyboardEvent| {
                    match ev.key().as_str() {
                        "Enter" | " " => {
                            ev.prevent_default();
                            activate_device(st, id);
                        }
                        "F2" => {
                            ev.prevent_default();
                            st.renaming.set(Some(id));
                        }
                        _ => {}
                    }
                }
            >
                <rect class="hit" x="-34" y="-30" width="68" height="84" rx="8"/>
                {kind.map(device_icon)}
                <text
                    class="label"
                    data-testid="device-label"
                    y="40"
                    text-anchor="middle"
                    on:dblclick=move |ev: ev::MouseEvent| {
                        ev.stop_propagation();
                        st.renaming.set(Some(id));
                    }
                >
                    {name}
                </text>
                <text class="label ip" data-testid="device-ip" y="54" text-anchor="middle">{move || ip_text.get()}</text>
                {move || renaming().then(|| view! { <RenameBox id/> })}
            </g>
        }
    };

    // What the engine knows about cables: devices it runs switched off and
    // switch ports loop protection blocked. Recomputed when the engine
    // changes (`sim.version`); an equal result notifies no light.
    let engine_links = Memo::new(move |_| {
        sim.with(|e| {
            let mut off = Vec::new();
            let mut blocked = Vec::new();
            for d in &e.lab().devices {
                if !e.is_powered(&d.name) {
                    off.push(d.id);
                }
                if let Some(s) = e.switch(&d.name) {
                    blocked.extend(s.blocked_ports().into_iter().map(|p| (d.id, p)));
                }
            }
            (off, blocked)
        })
        .unwrap_or_default()
    });

    let link_view = move |id: LinkId| {
        let ports = st.lab.with_untracked(|l| l.link(id).map(|k| (k.a, k.b)));
        let ends = Memo::new(move |_| {
            st.lab.with(|l| {
                let link = l.link(id)?;
                let a = l.device(link.a.device)?;
                let b = l.device(link.b.device)?;
                Some((
                    a.id,
                    b.id,
                    a.name.clone(),
                    b.name.clone(),
                    a.powered && b.powered,
                ))
            })
        });
        let coords = Memo::new(move |_| {
            let (a, b, ..) = ends.get()?;
            Some((pos_of(a)?, pos_of(b)?))
        });
        let c = move |f: fn(&(Point, Point)) -> f64| {
            move || coords.with(|p| p.as_ref().map(f).unwrap_or(0.0))
        };
        // A light sits where the cable leaves each device's box.
        let light = move |from_a: bool| {
            move || {
                coords.with(|p| {
                    let (a, b) = (*p)?;
                    let (dx, dy) = (b.x - a.x, b.y - a.y);
                    let len = (dx * dx + dy * dy).sqrt().max(1.0);
                    let (ux, uy) = (dx / len, dy / len);
                    // Just outside the device's box (icon, and the labels below).
                    let out = |ux: f64, uy: f64| {
                        let hy = if uy > 0.0 { 60.0 } else { 28.0 };
                        let tx = if ux.abs() > 1e-6 {
                            32.0 / ux.abs()
                        } else {
                            f64::MAX
                        };
                        let ty = if uy.abs() > 1e-6 {
                            hy / uy.abs()
                        } else {
                            f64::MAX
                        };
                        (tx.min(ty) + 6.0).min(len * 0.45)
                    };
                    Some(if from_a {
                        let t = out(ux, uy);
                        (a.x + ux * t, a.y + uy * t)
                    } else {
                        let t = out(-ux, -uy);
                        (b.x - ux * t, b.y - uy * t)
                    })
                })
            }
        };
        // Up: both ends switched on, in the document and in the engine.
        let up = Memo::new(move |_| {
            ends.with(|e| e.as_ref().is_some_and(|e| e.4))
                && engine_links.with(|(off, _)| {
                    ends.with(|e| {
                        e.as_ref()
                            .is_none_or(|e| !off.contains(&e.0) && !off.contains(&e.1))
                    })
                })
        });
        let selected = move || st.selection.get() == Some(Selection::Link(id));
        let light_view = move |from_a: bool| {
            let at = light(from_a);
            let end = ports.map(|(a, b)| if from_a { a } else { b });
            let state = Memo::new(move |_| {
                if !up.get() {
                    LightState::Down
                } else if engine_links
                    .with(|(_, blocked)| end.is_some_and(|e| blocked.contains(&(e.device, e.port))))
                {
                    LightState::Blocked
                } else {
                    LightState::Up
                }
            });
            view! {
                <circle
                    class="link-light"
                    class:up=move || state.get() == LightState::Up
                    class:blocked=move || state.get() == LightState::Blocked
                    data-testid="link-light"
                    data-state=move || state.get().name()
                    r="4.5"
                    cx=move || at().map(|p| p.0).unwrap_or(0.0)
                    cy=move || at().map(|p| p.1).unwrap_or(0.0)
                >
                    <title>{move || st.lang.get().t(state.get().key())}</title>
                </circle>
            }
        };
        view! {
            <g
                class="link"
                class:selected=selected
                class:down=move || !up.get()
                data-testid=format!("link-{}", id.0)
                data-ends=move || ends.get().map(|(_, _, a, b, _)| format!("{a}|{b}")).unwrap_or_default()
                on:click=move |ev: ev::MouseEvent| {
                    ev.stop_propagation();
                    if st.tool.get_untracked() == Tool::Select {
                        st.select_only(Some(Selection::Link(id)));
                    }
                }
            >
                <line class="link-hit" x1=c(|p| p.0.x) y1=c(|p| p.0.y) x2=c(|p| p.1.x) y2=c(|p| p.1.y)/>
                <line class="link-line" x1=c(|p| p.0.x) y1=c(|p| p.0.y) x2=c(|p| p.1.x) y2=c(|p| p.1.y)/>
                {light_view(true)}
                {light_view(false)}
            </g>
        }
    };

    let is_empty = move || device_ids.with(Vec::is_empty);
    let placing = move || matches!(st.tool.get(), Tool::Place(_));
    let cabling = move || matches!(st.tool.get(), Tool::Cable { .. });
    let hand = move || st.tool.get() == Tool::Hand;
    let vb = move || st.view_box(st.view.get(), st.size.get());

    view! {
        <div class="canvas-wrap" class:placing=placing class:cabling=cabling class:hand=hand>
            <svg
                node_ref=st.canvas
                class="canvas"
                data-testid="canvas"
                role="group"
                aria-label=move || st.lang.get().t(Key::Canvas)
                viewBox=move || {
                    let (x, y, w, h) = vb();
                    format!("{x:.2} {y:.2} {w:.2} {h:.2}")
                }
                data-zoom=move || format!("{:.3}", st.view.get().zoom)
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_cancel
                on:contextmenu=move |ev: ev::MouseEvent| {
                    if gesture.with_value(Option::is_some) {
                        ev.prevent_default();
                    }
                }
            >
                <defs>
                    <pattern id="grid" width="20" height="20" patternUnits="userSpaceOnUse">
                        <path class="grid-line" d="M 20 0 L 0 0 0 20" fill="none"/>
                    </pattern>
                </defs>
                <rect
                    class="canvas-bg"
                    data-testid="canvas-bg"
                    x=move || vb().0
                    y=move || vb().1
                    width=move || vb().2
                    height=move || vb().3
                    fill="url(#grid)"
                />
                <g class="links">
                    <For each=move || link_ids.get() key=|id| *id children=link_view/>
                </g>
                <g class="devices">
                    <For each=move || device_ids.get() key=|id| *id children=device_view/>
                </g>
                <crate::sim_view::packets::PacketLayer/>
                {move || band.get().map(|(a, b)| view! {
                    <rect
                        class="select-band"
                        data-testid="select-band"
                        x=a.x.min(b.x)
                        y=a.y.min(b.y)
                        width=(a.x - b.x).abs()
                        height=(a.y - b.y).abs()
                    />
                })}
            </svg>
            <Show when=is_empty>
                <p class="canvas-empty">{move || st.lang.get().t(Key::EmptyCanvas)}</p>
            </Show>
            <PortPicker pick=port_pick/>
            <ZoomControls/>
        </div>
    }
}

/// Zoom out, the zoom level, zoom in and fit, over the canvas's corner.
#[component]
fn ZoomControls() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    view! {
        <div class="zoom-controls" role="group" aria-label=move || t(Key::FitView)>
            <button
                data-testid="zoom-out"
                aria-label=move || t(Key::ZoomOut)
                title=move || t(Key::ZoomOut)
                on:click=move |_| st.zoom_centre(0.8)
            >
                "−"
            </button>
            <output class="zoom-level" data-testid="zoom-level">
                {move || format!("{:.0}%", st.view.get().zoom * 100.0)}
            </output>
            <button
                data-testid="zoom-in"
                aria-label=move || t(Key::ZoomIn)
                title=move || t(Key::ZoomIn)
                on:click=move |_| st.zoom_centre(1.25)
            >
                "+"
            </button>
            <button data-testid="zoom-fit" on:click=move |_| st.fit()>
                {move || t(Key::FitView)}
            </button>
        </div>
    }
}

/// The name field shown in place of a device's label (double-click, F2).
#[component]
fn RenameBox(id: DeviceId) -> impl IntoView {
    let st = AppState::expect();
    let input = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let initial = st
        .lab
        .with_untracked(|l| l.device(id).map(|d| d.name.clone()))
        .unwrap_or_default();
    Effect::new(move |_| {
        if let Some(i) = input.get() {
            let _ = i.focus();
            i.select();
        }
    });
    let commit = move || {
        let Some(i) = input.get_untracked() else {
            return;
        };
        let name = i.value();
        let same = st
            .lab
            .with_untracked(|l| l.device(id).is_some_and(|d| d.name == name.trim()));
        if same {
            st.renaming.set(None);
            return;
        }
        match st.dispatch(Command::Rename { id, name }) {
            Ok(()) => {
                st.renaming.set(None);
                st.status.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <foreignObject x="-80" y="28" width="160" height="32" class="rename-box">
            <input
                node_ref=input
                class="rename-input"
                class:invalid=move || error.get().is_some()
                data-testid="rename-inline"
                aria-label=move || st.lang.get().t(Key::Name)
                aria-invalid=move || error.get().is_some().to_string()
                title=move || error.get().unwrap_or_else(|| st.lang.get().t(Key::RenameHelp).to_string())
                value=initial
                on:pointerdown=move |ev: ev::PointerEvent| ev.stop_propagation()
                on:dblclick=move |ev: ev::MouseEvent| ev.stop_propagation()
                on:keydown=move |ev: ev::KeyboardEvent| {
                    ev.stop_propagation();
                    match ev.key().as_str() {
                        "Enter" => {
                            ev.prevent_default();
                            commit();
                        }
                        "Escape" => {
                            ev.prevent_default();
                            st.renaming.set(None);
                            st.status.set(None);
                            focus_device(id);
                        }
                        _ => error.set(None),
                    }
                }
                on:blur=move |_| {
                    // Also fired while the field is being removed.
                    if error.try_get_untracked().is_some_and(|e| e.is_none()) {
                        st.renaming.set(None);
                    }
                }
            />
        </foreignObject>
    }
}

fn focus_device(id: DeviceId) {
    if let Ok(Some(el)) = document().query_selector(&format!("g.device[data-id=\"{}\"]", id.0))
        && let Ok(el) = el.dyn_into::<web_sys::SvgElement>()
    {
        let _ = el.focus();
    }
}

/// The port chooser of the cable tool: a free port at each end.
#[component]
fn PortPicker(pick: RwSignal<Option<(DeviceId, DeviceId)>>) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let port_a = RwSignal::new(0usize);
    let port_b = RwSignal::new(0usize);
    let free = move |id: DeviceId| {
        st.lab.with(|l| {
            l.device(id)
                .map(|d| {
                    d.ports
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| {
                            l.link_at(LinkEnd {
                                device: id,
                                port: *i,
                            })
                            .is_none()
                        })
                        .map(|(i, p)| (i, p.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    Effect::new(move |_| {
        if let Some((a, b)) = pick.get() {
            port_a.set(free(a).first().map(|p| p.0).unwrap_or(0));
            port_b.set(free(b).first().map(|p| p.0).unwrap_or(0));
        }
    });
    let side = move |id: DeviceId, sig: RwSignal<usize>, test: &'static str| {
        let name = st
            .lab
            .with_untracked(|l| l.device(id).map(|d| d.name.clone()))
            .unwrap_or_default();
        view! {
            <label class="field">
                <span>{name}</span>
                <select
                    data-testid=test
                    on:change=move |ev| sig.set(event_target_value(&ev).parse().unwrap_or(0))
                >
                    {free(id)
                        .into_iter()
                        .map(|(i, n)| view! { <option value=i.to_string() selected=move || sig.get() == i>{n}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    };
    move || {
        pick.get().map(|(a, b)| {
            view! {
                <div class="port-picker" role="dialog" data-testid="port-picker" aria-label=move || t(Key::ChoosePorts)>
                    <p>{move || t(Key::ChoosePortsHelp)}</p>
                    {side(a, port_a, "port-a")}
                    {side(b, port_b, "port-b")}
                    <div class="row">
                        <button
                            data-testid="port-connect"
                            on:click=move |_| {
                                let cmd = Command::ConnectPorts {
                                    a: LinkEnd { device: a, port: port_a.get_untracked() },
                                    b: LinkEnd { device: b, port: port_b.get_untracked() },
                                };
                                if st.dispatch(cmd).is_ok() {
                                    pick.set(None);
                                }
                            }
                        >
                            {move || t(Key::Connect)}
                        </button>
                        <button data-testid="port-cancel" on:click=move |_| {
                            pick.set(None);
                            st.status.set(None);
                        }>
                            {move || t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// Whether keyboard focus is on a device of the canvas.
fn is_device_focused() -> bool {
    document()
        .active_element()
        .is_some_and(|el| el.class_list().contains("device"))
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
