//! The packets drawn on the canvas in simulation mode: the frame of the
//! current event as an envelope moving along its cable, labelled and
//! coloured by protocol; a drop marked where it happened with its reason;
//! and every frame now on a cable leaving its device, so a flooded
//! broadcast fans out to every port it left through.

use lanlab_sim::DropReason;
use lanlab_sim::host::query::run::Flight;
use lanlab_sim::host::query::{RunAnswer, RunQuery};
use leptos::ev;
use leptos::prelude::*;

use crate::i18n::{Key, Lang};
use crate::sim_driver::Sim;
use crate::state::AppState;

/// Most envelopes drawn for frames on cables at once.
const MAX_IN_FLIGHT: usize = 400;

/// How far along its cable an envelope in flight is drawn (it has left its
/// device and not yet arrived).
const IN_FLIGHT_AT: f64 = 0.45;

/// The side of an envelope's touch target, in screen pixels (a little over
/// the 44 px minimum, so rounding never takes it under).
const TOUCH_TARGET: f64 = 46.0;

/// How far short of its device's centre an arriving envelope stops (canvas
/// units): on its cable, beside the device's icon and label, not over them.
const ARRIVE_SHORT_OF: f64 = 52.0;

/// Where an envelope going from `a` to `b` stops: on the cable, just short
/// of `b` (or on `b` itself when the two are too close or the same).
fn short_of(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len <= 1.0 {
        return b;
    }
    if len < 2.0 * ARRIVE_SHORT_OF {
        return ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    }
    let k = (len - ARRIVE_SHORT_OF) / len;
    (a.0 + dx * k, a.1 + dy * k)
}

/// A drop's reason in the user's language.
pub fn drop_reason(lang: Lang, r: &DropReason) -> String {
    match r {
        DropReason::NoCable => lang.t(Key::DropNoCable).to_string(),
        DropReason::Unplugged => lang.t(Key::DropUnplugged).to_string(),
        DropReason::Lost { loss } => {
            format!("{} ({:.0}%)", lang.t(Key::DropLost), loss * 100.0)
        }
        DropReason::PoweredOff => lang.t(Key::DropPoweredOff).to_string(),
        DropReason::LinkDown => lang.t(Key::DropLinkDown).to_string(),
    }
}

/// The packet layer of the canvas (mounted inside its `<svg>`).
#[component]
pub fn PacketLayer() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let reduced_motion = window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    // On a touch screen the envelope gets an invisible target of at least
    // 44×44 screen pixels (WCAG 2.5.5), whatever the zoom; a mouse keeps the
    // drawn envelope, so a click beside it still reaches the device.
    let coarse = window()
        .match_media("(pointer: coarse)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    let packets = sim.watch_run(
        move || {
            if !sim.simulating.get() {
                return None;
            }
            let selected = sim.selected_event.get();
            Some(RunQuery::Packets {
                selected,
                flights: selected.is_none(),
                max: MAX_IN_FLIGHT,
            })
        },
        |a| match a {
            RunAnswer::Packets { current, flights } => Some((current, flights)),
            _ => None,
        },
    );
    let cur = Memo::new(move |_| packets.with(|p| p.as_ref().and_then(|p| p.0.clone())));
    let flights = Memo::new(move |_| {
        packets
            .with(|p| p.as_ref().map(|p| p.1.clone()))
            .unwrap_or_default()
    });
    let pos = move |id| {
        st.lab
            .with(|l| l.device(id).map(|d| (d.pos.x, d.pos.y - 20.0)))
    };
    let current_view = move || {
        let c = cur.get()?;
        let (pa, pb) = (pos(c.from)?, pos(c.to)?);
        let dropped = c.drop.is_some();
        let on_cable = c.drop.as_ref().is_some_and(|d| d.1);
        let end = if on_cable {
            ((pa.0 + pb.0) / 2.0, (pa.1 + pb.1) / 2.0)
        } else {
            short_of(pa, pb)
        };
        let path = format!("M {:.1} {:.1} L {:.1} {:.1}", pa.0, pa.1, end.0, end.1);
        let animate = !reduced_motion && c.from != c.to;
        let at_end = format!("translate({:.1} {:.1})", end.0, end.1);
        let reason = c.drop.as_ref().map(|(r, _)| drop_reason(st.lang.get(), r));
        let index = c.index;
        let aria = format!(
            "{} {}: {}",
            st.lang.get().t(Key::InspectPacket),
            c.index + 1,
            c.proto
        );
        let class = format!("packet proto-{}", c.proto.to_lowercase());
        let proto = c.proto.clone();
        Some(view! {
            <g
                class=class
                class:dropped=dropped
                data-testid="packet"
                data-proto=proto
                data-event=c.index.to_string()
                transform=if animate { String::new() } else { at_end }
                tabindex="0"
                role="button"
                aria-label=aria
                on:pointerdown=move |ev: ev::PointerEvent| {
                    // Not the start of a canvas drag or selection box.
                    ev.stop_propagation();
                }
                on:click=move |ev: ev::MouseEvent| {
                    ev.stop_propagation();
                    sim.selected_event.set(Some(index));
                }
                on:keydown=move |ev: ev::KeyboardEvent| {
                    if matches!(ev.key().as_str(), "Enter" | " ") {
                        ev.prevent_default();
                        ev.stop_propagation();
                        sim.selected_event.set(Some(index));
                    }
                }
            >
                {animate.then(|| view! {
                    <animateMotion dur="0.5s" fill="freeze" path=path.clone()/>
                })}
                {coarse.then(|| {
                    let side = TOUCH_TARGET / st.view.get().zoom;
                    view! {
                        <rect
                            class="touch-target"
                            x=format!("{:.1}", -side / 2.0)
                            y=format!("{:.1}", -side / 2.0)
                            width=format!("{side:.1}")
                            height=format!("{side:.1}")
                        />
                    }
                })}
                <rect class="proto-fill" x="-13" y="-9" width="26" height="18" rx="2"/>
                <path d="M -13 -9 L 0 2 L 13 -9" fill="none" stroke="#333"/>
                {dropped.then(|| view! { <text class="drop-mark" x="10" y="-8">"✖"</text> })}
                <text class="packet-label" y="22" text-anchor="middle">{c.proto}</text>
                {reason.map(|r| view! {
                    <text class="drop-reason" data-testid="drop-reason" y="36" text-anchor="middle">{r}</text>
                })}
            </g>
        })
    };
    let flight_view = move |f: Flight| {
        Some(f).and_then(|f| {
            let (pa, pb) = (pos(f.from)?, pos(f.to)?);
            let mid = (
                pa.0 + (pb.0 - pa.0) * IN_FLIGHT_AT,
                pa.1 + (pb.1 - pa.1) * IN_FLIGHT_AT,
            );
            let path = format!("M {:.1} {:.1} L {:.1} {:.1}", pa.0, pa.1, mid.0, mid.1);
            let at_end = format!("translate({:.1} {:.1})", mid.0, mid.1);
            let class = format!("packet in-flight proto-{}", f.proto.to_lowercase());
            let proto = f.proto.clone();
            Some(view! {
                <g
                    class=class
                    data-testid="packet-flight"
                    data-proto=proto
                    transform=if reduced_motion { at_end } else { String::new() }
                >
                    {(!reduced_motion).then(|| view! {
                        <animateMotion dur="0.5s" fill="freeze" path=path/>
                    })}
                    <rect class="proto-fill" x="-10" y="-7" width="20" height="14" rx="2"/>
                    <path d="M -10 -7 L 0 1 L 10 -7" fill="none" stroke="#333"/>
                    <text class="packet-label" y="18" text-anchor="middle">{f.proto}</text>
                </g>
            })
        })
    };
    view! {
        <g class="packets" data-testid="packets">
            <For each=move || flights.get() key=|f| f.clone() children=flight_view/>
            {current_view}
        </g>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn an_arriving_envelope_stops_on_its_cable_short_of_the_device() {
        let (x, y) = short_of((0.0, 0.0), (200.0, 0.0));
        assert_eq!((x, y), (200.0 - ARRIVE_SHORT_OF, 0.0));
        // Devices close together: the cable's middle.
        assert_eq!(short_of((0.0, 0.0), (60.0, 0.0)), (30.0, 0.0));
        // A frame a device sends itself: on the device.
        assert_eq!(short_of((5.0, 5.0), (5.0, 5.0)), (5.0, 5.0));
    }
}
