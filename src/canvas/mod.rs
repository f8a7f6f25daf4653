//! The topology canvas: one SVG, a `<g>` per device ([`DeviceNode`]), a
//! `<line>` per cable ([`Cable`]).
//!
//! Pointer events drive it, so mouse, pen and touch behave alike. What a
//! press, a move, a key means is decided by the pure state machine in
//! [`gesture`]; this component only forwards DOM events to it and applies
//! what comes out ([`bridge`]). Dragging devices only moves them in session
//! state (an offset applied to the moving ones); the document gets one
//! `Move` (or one batch of moves for a group) when the pointer is released:
//! one undoable operation per drag. Empty canvas: a box selects several
//! devices (mouse, pen), one finger pans, two pinch; the wheel zooms around
//! the pointer. Pan and zoom change the `<svg>`'s viewBox
//! ([`crate::state::View`]). A switch over its corner writes each router's
//! RIP and OSPF neighbours on its cables ([`neighbours`]).
//!
//! While a drag lasts, the devices being dragged and their cables are
//! lifted out of the `<svg>` into a second one above it, with the same view
//! box and a compositing layer of its own (`.canvas-lifted`): nothing in
//! the canvas changes until the drop, so Chromium paints only the lifted
//! layer on a move. Drawn in the canvas, every move of a cable painted the
//! whole canvas again (25–30 ms with a thousand devices on it).

pub mod bridge;
pub mod cable;
pub mod device_menu;
pub mod device_node;
pub mod gesture;
pub mod icon;
pub mod looks;
pub mod neighbours;
pub mod port_picker;
pub mod rename_box;
pub mod zoom_controls;

use std::collections::HashSet;

use lanlab_sim::DeviceId;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

pub use bridge::typing_in_field;
use bridge::{Gestures, key_press, pointer};
use cable::{Cable, EngineLinks};
use device_node::DeviceNode;
use port_picker::PortPicker;
use zoom_controls::ZoomControls;

use crate::i18n::Key;
use crate::state::{AppState, Tool};

/// Sets up what `view!` cannot: a non-passive wheel listener (so the page
/// does not scroll while zooming) and a ResizeObserver keeping
/// [`AppState::size`] current.
///
/// The observer watches the `<svg>`'s box (`.canvas-wrap`), not the `<svg>`:
/// the `<svg>` takes its size in pixels from [`AppState::size`], so it never
/// depends on the page's layout. Sized by CSS (100% of its box), Chromium
/// laid it out again, with every device label, whenever anything else on the
/// page changed (a Step changes the event list and the inspector): 14 ms of
/// layout a Step on a 198-device lab, 2.5 ms since.
fn wire_svg(st: AppState, gestures: Gestures, svg: &web_sys::SvgElement) {
    let Some(wrap) = svg.parent_element() else {
        return;
    };
    let measure = {
        let wrap = wrap.clone();
        move || {
            let r = wrap.get_bounding_client_rect();
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
        observe.call1(&obs, &wrap).ok()?;
        Some(())
    })();
    if observed.is_none() {
        let _ =
            window().add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    }
    on_resize.forget();

    let on_wheel =
        Closure::<dyn FnMut(web_sys::WheelEvent)>::new(move |ev: web_sys::WheelEvent| {
            let (dy, mode) = (ev.delta_y(), ev.delta_mode());
            let client = (ev.client_x() as f64, ev.client_y() as f64);
            gestures.feed(Some(ev.as_ref()), |m, _| m.wheel(dy, mode, client));
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

/// A measured length as CSS pixels; none (the stylesheet's) when unmeasured.
fn px(v: f64) -> Option<String> {
    (v > 0.0).then(|| format!("{v}px"))
}

/// The items of `all` a drag did not lift, in their order.
fn resting<T: Copy + Eq + std::hash::Hash>(all: &[T], lifted: &[T]) -> Vec<T> {
    if lifted.is_empty() {
        return all.to_vec();
    }
    let lifted: HashSet<T> = lifted.iter().copied().collect();
    all.iter()
        .copied()
        .filter(|x| !lifted.contains(x))
        .collect()
}

/// The canvas component.
#[component]
pub fn Canvas() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<crate::sim_driver::Sim>();
    let parts = expect_context::<crate::chunks::Parts>();
    let gestures = Gestures::new(st, sim.leased);
    provide_context(gestures);

    // Escape, the arrow keys and Space (held: a drag pans) work wherever
    // focus is, except in text fields.
    let keys_down = window_event_listener(ev::keydown, move |ev| {
        let k = key_press(&ev);
        gestures.feed(Some(ev.as_ref()), |m, s| m.key_down(&k, s));
    });
    let keys_up = window_event_listener(ev::keyup, move |ev| {
        let k = key_press(&ev);
        gestures.feed(None, |m, _| {
            m.key_up(&k);
            Vec::new()
        });
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
            wire_svg(st, gestures, &svg);
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

    // What a drag lifts: the devices being dragged and their cables.
    let lifted = Memo::new(move |_| {
        let moving: HashSet<DeviceId> = gestures.moving_devices().into_iter().collect();
        if moving.is_empty() {
            return (Vec::new(), Vec::new());
        }
        st.lab.with(|l| {
            let devices = l
                .devices
                .iter()
                .map(|d| d.id)
                .filter(|id| moving.contains(id))
                .collect::<Vec<_>>();
            let links = l
                .links
                .iter()
                .filter(|k| moving.contains(&k.a.device) || moving.contains(&k.b.device))
                .map(|k| k.id)
                .collect::<Vec<_>>();
            (devices, links)
        })
    });
    let lifted_devices = move || lifted.with(|l| l.0.clone());
    let lifted_links = move || lifted.with(|l| l.1.clone());
    let resting_devices =
        Memo::new(move |_| lifted.with(|(m, _)| device_ids.with(|all| resting(all, m))));
    let resting_links =
        Memo::new(move |_| lifted.with(|(_, m)| link_ids.with(|all| resting(all, m))));

    // What the engine knows about cables, from the state its host pushes
    // after each command, written only when it changed. A signal, not a
    // memo of the state: every cable reads it, and a memo is checked with
    // all its readers whenever its source changes, i.e. on every tick
    // (~3.5 ms a tick with a thousand cables, for nothing).
    let engine_links = RwSignal::new(sim.state.with_untracked(EngineLinks::of));
    Effect::new(move |_| {
        sim.state.with(|s| {
            if !engine_links.with_untracked(|e| e.shows(s)) {
                engine_links.set(EngineLinks::of(s));
            }
        })
    });

    let on_down = move |ev: ev::PointerEvent| {
        let p = pointer(&ev, true);
        gestures.feed(Some(ev.as_ref()), |m, s| m.pointer_down(&p, s));
        gestures.arm_long_press(&p);
    };
    let on_move = move |ev: ev::PointerEvent| {
        let p = pointer(&ev, false);
        gestures.feed(Some(ev.as_ref()), |m, s| m.pointer_move(&p, s));
    };
    let on_up = move |ev: ev::PointerEvent| {
        let p = pointer(&ev, false);
        gestures.feed(Some(ev.as_ref()), |m, s| m.pointer_up(&p, s));
    };
    let on_cancel = move |ev: ev::PointerEvent| {
        let id = ev.pointer_id();
        gestures.feed(Some(ev.as_ref()), |m, _| m.cancel(id));
    };

    // The neighbour overlay's switch (session only).
    let nbr_on = RwSignal::new(false);

    let band = gestures.band;
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
                // Until the box is measured, the stylesheet's 100%.
                style:width=move || px(st.size.get().0)
                style:height=move || px(st.size.get().1)
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_cancel
                on:contextmenu=move |ev: ev::MouseEvent| {
                    if gestures.busy() {
                        ev.prevent_default();
                    } else if let gesture::Target::Device(id) = bridge::target_of(&ev) {
                        // A right click (or the system's long press) on a device: its menu.
                        ev.prevent_default();
                        gestures.menu.set(Some((id, (ev.client_x() as f64, ev.client_y() as f64))));
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
                    <For
                        each=move || resting_links.get()
                        key=|id| *id
                        children=move |id| view! { <Cable id engine=engine_links/> }
                    />
                </g>
                <g class="devices">
                    <For
                        each=move || resting_devices.get()
                        key=|id: &DeviceId| *id
                        children=|id| view! { <DeviceNode id/> }
                    />
                </g>
                <neighbours::NeighbourLayer on=nbr_on/>
                // Simulation mode's frames: its part is fetched once the
                // engine is ready (no frames before), and drawn when here.
                {move || parts.simulation.get().map(|p| (p.packets)())}
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
            <svg
                class="canvas-lifted"
                aria-hidden="true"
                viewBox=move || {
                    let (x, y, w, h) = vb();
                    format!("{x:.2} {y:.2} {w:.2} {h:.2}")
                }
                style:width=move || px(st.size.get().0)
                style:height=move || px(st.size.get().1)
            >
                <g class="links">
                    <For
                        each=lifted_links
                        key=|id| *id
                        children=move |id| view! { <Cable id engine=engine_links lifted=true/> }
                    />
                </g>
                <g class="devices">
                    <For
                        each=lifted_devices
                        key=|id: &DeviceId| *id
                        children=|id| view! { <DeviceNode id/> }
                    />
                </g>
            </svg>
            <Show when=is_empty>
                <p class="canvas-empty">{move || st.lang.get().t(Key::EmptyCanvas)}</p>
            </Show>
            <neighbours::NeighbourToggle on=nbr_on/>
            <neighbours::NeighbourNote on=nbr_on/>
            <PortPicker pick=st.port_pick/>
            <ZoomControls/>
            <device_menu::DeviceMenu/>
        </div>
    }
}
