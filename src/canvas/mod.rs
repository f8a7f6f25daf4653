//! The topology canvas: one SVG, a `<g>` per device, a `<line>` per cable.
//!
//! Pointer events drive it, so mouse, pen and touch behave alike. Dragging a
//! device only moves it in session state; the document gets one `Move` when
//! the pointer is released (one undoable operation per drag).

pub mod icon;

use lanlab_sim::{DeviceId, LinkId, Point};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::Key;
use crate::state::{AppState, Command, Selection, Status, Tool};
use icon::device_icon;

/// A device drag in progress.
#[derive(Copy, Clone, Debug, PartialEq)]
struct DeviceDrag {
    id: DeviceId,
    pointer: i32,
    grab: Point,
    start: Point,
    pos: Point,
    moved: bool,
}

/// What a click (or Enter) on a device does under the current tool.
fn activate_device(st: AppState, id: DeviceId) {
    match st.tool.get_untracked() {
        Tool::Select | Tool::Place(_) => {
            st.tool.set(Tool::Select);
            st.selection.set(Some(Selection::Device(id)));
        }
        Tool::Cable { from: None } => {
            st.tool.set(Tool::Cable { from: Some(id) });
            st.selection.set(Some(Selection::Device(id)));
            st.status.set(Some(Status::Hint(Key::CableHelpSecond)));
        }
        Tool::Cable { from: Some(a) } if a == id => {}
        Tool::Cable { from: Some(a) } => {
            st.tool.set(Tool::Select);
            if st.dispatch(Command::Connect { a, b: id }).is_ok() {
                st.selection.set(Some(Selection::Device(id)));
            }
        }
    }
}

/// The canvas component.
#[component]
pub fn Canvas() -> impl IntoView {
    let st = AppState::expect();
    let drag = RwSignal::new(None::<DeviceDrag>);

    let device_ids = Memo::new(move |_| {
        st.lab
            .with(|l| l.devices.iter().map(|d| d.id).collect::<Vec<_>>())
    });
    let link_ids = Memo::new(move |_| {
        st.lab
            .with(|l| l.links.iter().map(|l| l.id).collect::<Vec<_>>())
    });
    let pos_of = move |id: DeviceId| -> Option<Point> {
        match drag.get() {
            Some(d) if d.id == id && d.moved => Some(d.pos),
            _ => st.lab.with(|l| l.device(id).map(|d| d.pos)),
        }
    };

    let on_move = move |ev: ev::PointerEvent| {
        let Some(p) = st
            .client_to_canvas(ev.client_x() as f64, ev.client_y() as f64)
            .or_else(|| drag.get_untracked().map(|d| d.pos))
        else {
            return;
        };
        drag.update(|d| {
            if let Some(d) = d.as_mut().filter(|d| d.pointer == ev.pointer_id()) {
                let pos = Point::new((p.x - d.grab.x).max(0.0), (p.y - d.grab.y).max(0.0));
                d.moved |= (pos.x - d.start.x).abs() + (pos.y - d.start.y).abs() > 3.0;
                d.pos = pos;
            }
        });
    };
    let on_up = move |ev: ev::PointerEvent| {
        let Some(d) = drag
            .get_untracked()
            .filter(|d| d.pointer == ev.pointer_id())
        else {
            return;
        };
        drag.set(None);
        if d.moved {
            let _ = st.dispatch(Command::Move {
                id: d.id,
                pos: d.pos,
            });
            st.selection.set(Some(Selection::Device(d.id)));
        } else {
            activate_device(st, d.id);
        }
    };
    let on_background_click = move |ev: ev::MouseEvent| match st.tool.get_untracked() {
        Tool::Place(kind) => {
            if let Some(pos) = st.client_to_canvas(ev.client_x() as f64, ev.client_y() as f64) {
                let _ = st.dispatch(Command::Add { kind, pos });
            }
            st.tool.set(Tool::Select);
            st.status.set(None);
        }
        Tool::Cable { .. } => {}
        Tool::Select => st.selection.set(None),
    };

    let device_view = move |id: DeviceId| {
        let name = Memo::new(move |_| {
            st.lab
                .with(|l| l.device(id).map(|d| d.name.clone()).unwrap_or_default())
        });
        let kind = st.lab.with_untracked(|l| l.device(id).map(|d| d.kind));
        let selected = move || st.selection.get() == Some(Selection::Device(id));
        let cable_from = move || st.tool.get() == Tool::Cable { from: Some(id) };
        let transform = move || {
            let p = pos_of(id).unwrap_or_default();
            format!("translate({:.1} {:.1})", p.x, p.y)
        };
        view! {
            <g
                class="device"
                class:selected=selected
                class:cable-from=cable_from
                data-testid=move || format!("device-{}", name.get())
                data-kind=kind.map(|k| k.name_prefix().to_lowercase())
                transform=transform
                tabindex="0"
                role="button"
                aria-label=move || name.get()
                on:pointerdown=move |ev: ev::PointerEvent| {
                    if ev.button() != 0 {
                        return;
                    }
                    ev.stop_propagation();
                    let Some(p) = st.client_to_canvas(ev.client_x() as f64, ev.client_y() as f64) else {
                        return;
                    };
                    let Some(start) = st.lab.with_untracked(|l| l.device(id).map(|d| d.pos)) else {
                        return;
                    };
                    if let Some(svg) = st.canvas.get_untracked() {
                        let _ = svg.set_pointer_capture(ev.pointer_id());
                    }
                    drag.set(Some(DeviceDrag {
                        id,
                        pointer: ev.pointer_id(),
                        grab: Point::new(p.x - start.x, p.y - start.y),
                        start,
                        pos: start,
                        moved: false,
                    }));
                }
                on:keydown=move |ev: ev::KeyboardEvent| {
                    let step = if ev.shift_key() { 50.0 } else { 10.0 };
                    let nudge = match ev.key().as_str() {
                        "Enter" | " " => {
                            ev.prevent_default();
                            activate_device(st, id);
                            None
                        }
                        "ArrowLeft" => Some((-step, 0.0)),
                        "ArrowRight" => Some((step, 0.0)),
                        "ArrowUp" => Some((0.0, -step)),
                        "ArrowDown" => Some((0.0, step)),
                        _ => None,
                    };
                    if let (Some((dx, dy)), Some(p)) = (nudge, pos_of(id)) {
                        ev.prevent_default();
                        let pos = Point::new((p.x + dx).max(0.0), (p.y + dy).max(0.0));
                        let _ = st.dispatch(Command::Move { id, pos });
                    }
                }
            >
                <rect class="hit" x="-34" y="-30" width="68" height="74" rx="8"/>
                {kind.map(device_icon)}
                <text class="label" y="40" text-anchor="middle">{move || name.get()}</text>
            </g>
        }
    };

    let link_view = move |id: LinkId| {
        let ends = Memo::new(move |_| {
            st.lab.with(|l| {
                let link = l.link(id)?;
                let a = l.device(link.a.device)?;
                let b = l.device(link.b.device)?;
                Some((a.id, b.id, a.name.clone(), b.name.clone()))
            })
        });
        let coords = move || {
            let (a, b, ..) = ends.get()?;
            Some((pos_of(a)?, pos_of(b)?))
        };
        let c = move |f: fn(&(Point, Point)) -> f64| move || coords().map(|p| f(&p)).unwrap_or(0.0);
        let selected = move || st.selection.get() == Some(Selection::Link(id));
        view! {
            <g
                class="link"
                class:selected=selected
                data-testid=format!("link-{}", id.0)
                data-ends=move || ends.get().map(|(_, _, a, b)| format!("{a}|{b}")).unwrap_or_default()
                on:click=move |ev: ev::MouseEvent| {
                    ev.stop_propagation();
                    if st.tool.get_untracked() == Tool::Select {
                        st.selection.set(Some(Selection::Link(id)));
                    }
                }
            >
                <line class="link-hit" x1=c(|p| p.0.x) y1=c(|p| p.0.y) x2=c(|p| p.1.x) y2=c(|p| p.1.y)/>
                <line class="link-line" x1=c(|p| p.0.x) y1=c(|p| p.0.y) x2=c(|p| p.1.x) y2=c(|p| p.1.y)/>
            </g>
        }
    };

    let is_empty = move || device_ids.with(Vec::is_empty);
    let placing = move || matches!(st.tool.get(), Tool::Place(_));
    let cabling = move || matches!(st.tool.get(), Tool::Cable { .. });

    view! {
        <div class="canvas-wrap" class:placing=placing class:cabling=cabling>
            <svg
                node_ref=st.canvas
                class="canvas"
                data-testid="canvas"
                role="group"
                aria-label=move || st.lang.get().t(Key::Canvas)
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=move |_| drag.set(None)
            >
                <defs>
                    <pattern id="grid" width="20" height="20" patternUnits="userSpaceOnUse">
                        <path class="grid-line" d="M 20 0 L 0 0 0 20" fill="none"/>
                    </pattern>
                </defs>
                <rect
                    class="canvas-bg"
                    data-testid="canvas-bg"
                    width="100%"
                    height="100%"
                    fill="url(#grid)"
                    on:click=on_background_click
                />
                <g class="links">
                    <For each=move || link_ids.get() key=|id| *id children=link_view/>
                </g>
                <g class="devices">
                    <For each=move || device_ids.get() key=|id| *id children=device_view/>
                </g>
                <crate::sim_view::packets::PacketLayer/>
            </svg>
            <Show when=is_empty>
                <p class="canvas-empty">{move || st.lang.get().t(Key::EmptyCanvas)}</p>
            </Show>
        </div>
    }
}

/// Whether keyboard focus is in a text field (then Delete edits text).
pub fn typing_in_field() -> bool {
    document()
        .active_element()
        .map(|el| {
            let tag = el.tag_name().to_ascii_lowercase();
            tag == "input"
                || tag == "textarea"
                || tag == "select"
                || el
                    .dyn_ref::<web_sys::HtmlElement>()
                    .is_some_and(|h| h.is_content_editable())
        })
        .unwrap_or(false)
}
