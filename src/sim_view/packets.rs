//! The packets drawn on the canvas in simulation mode: the frame of the
//! current event as an envelope moving along its cable, labelled and
//! coloured by protocol; a drop marked where it happened with its reason;
//! and every frame now on a cable leaving its device, so a flooded
//! broadcast fans out to every port it left through.

use lanlab_sim::{DropReason, Engine, TraceKind};
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

/// The current event's frame, as drawn.
#[derive(Clone, Debug, PartialEq)]
struct Current {
    index: usize,
    proto: &'static str,
    /// Arrived (from → to), or dropped at `to` (or on the cable's middle).
    from: lanlab_sim::DeviceId,
    to: lanlab_sim::DeviceId,
    drop: Option<(DropReason, bool)>,
}

/// A frame on a cable: the devices it goes between, when it left and its
/// number among equal ones (its key: an envelope stays put while it flies).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Flight {
    from: lanlab_sim::DeviceId,
    to: lanlab_sim::DeviceId,
    proto: &'static str,
    sent: u64,
    nth: usize,
}

fn current(e: &Engine, selected: Option<usize>) -> Option<Current> {
    let trace = e.trace();
    let index = selected
        .filter(|&i| i < trace.len())
        .or_else(|| trace.len().checked_sub(1))?;
    let ev = trace.get(index)?;
    let proto = crate::sim_view::event_proto(ev);
    match &ev.kind {
        TraceKind::Frame { from, to, .. } => Some(Current {
            index,
            proto,
            from: from.device,
            to: to.device,
            drop: None,
        }),
        TraceKind::Dropped {
            at, link, reason, ..
        } => {
            // Lost on the cable or pulled out: drawn on the cable.
            let other = link.and_then(|l| e.lab().links.iter().find(|k| k.id == l));
            let on_cable = matches!(reason, DropReason::Lost { .. } | DropReason::Unplugged);
            let from = match other {
                Some(k) if on_cable => {
                    if k.a.device == at.device {
                        k.b.device
                    } else {
                        k.a.device
                    }
                }
                _ => at.device,
            };
            Some(Current {
                index,
                proto,
                from,
                to: at.device,
                drop: Some((reason.clone(), on_cable && from != at.device)),
            })
        }
        _ => None,
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
    let cur = Memo::new(move |_| {
        if !sim.simulating.get() {
            return None;
        }
        let selected = sim.selected_event.get();
        sim.with(|e| current(e, selected)).flatten()
    });
    let flights = Memo::new(move |_| {
        if !sim.simulating.get() || sim.selected_event.get().is_some() {
            return Vec::new();
        }
        sim.with(|e| {
            e.in_flight().into_iter().take(MAX_IN_FLIGHT).fold(
                Vec::<Flight>::new(),
                |mut out, f| {
                    let mut flight = Flight {
                        from: f.from.device,
                        to: f.to.device,
                        proto: crate::sim_view::frame_proto(&f.bytes),
                        sent: f.sent.as_micros(),
                        nth: 0,
                    };
                    // Equal frames on one cable at once get their own keys.
                    flight.nth = out
                        .iter()
                        .filter(|g| {
                            (g.from, g.to, g.sent, g.proto)
                                == (flight.from, flight.to, flight.sent, flight.proto)
                        })
                        .count();
                    out.push(flight);
                    out
                },
            )
        })
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
        Some(view! {
            <g
                class=format!("packet proto-{}", c.proto.to_lowercase())
                class:dropped=dropped
                data-testid="packet"
                data-proto=c.proto
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
            Some(view! {
                <g
                    class=format!("packet in-flight proto-{}", f.proto.to_lowercase())
                    data-testid="packet-flight"
                    data-proto=f.proto
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
