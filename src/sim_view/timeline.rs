//! The timeline of virtual time: a bar from zero to a little past the
//! newest event (or the next timer), a tick per shown event, a marker at
//! the current time; a click seeks there (back by replay, forward by
//! delivering events); ← and → step back and forward.

use lanlab_proto::SimTime;
use leptos::prelude::*;

use lanlab_sim::host::query::{RunAnswer, RunQuery};

use crate::i18n::Key;
use crate::sim_driver::Sim;
use crate::state::AppState;

/// Ticks are merged into this many slots across the bar.
const SLOTS: usize = 400;

/// The timeline bar.
#[component]
pub fn Timeline() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let bar = NodeRef::<leptos::html::Div>::new();
    let answer = sim.watch_run(
        move || {
            Some(RunQuery::Timeline {
                slots: SLOTS,
                filter: sim.proto_filter_tracked(),
            })
        },
        |a| match a {
            RunAnswer::Timeline {
                span,
                now,
                next,
                ticks,
            } => Some((span, now, next, ticks)),
            _ => None,
        },
    );
    // (span in µs, now in µs, next timer in µs, tick slots with the
    // protocol of their first event)
    let model = Memo::new(move |_| answer.get().unwrap_or_default());

    let pct = move |us: u64| {
        let span = model.with(|m| m.0).max(1);
        format!("{:.3}%", us as f64 * 100.0 / span as f64)
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = bar.get_untracked() else {
            return;
        };
        let rect = el.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return;
        }
        let frac = ((f64::from(ev.client_x()) - rect.left()) / rect.width()).clamp(0.0, 1.0);
        let span = model.with_untracked(|m| m.0);
        sim.seek_time(SimTime::from_micros((frac * span as f64) as u64));
    };
    view! {
        <div class="timeline-row">
            <span class="timeline-label">{move || st.lang.get().t(Key::Timeline)}</span>
            <div
                class="timeline"
                data-testid="timeline"
                node_ref=bar
                role="slider"
                aria-label=move || st.lang.get().t(Key::Timeline)
                aria-valuemin="0"
                aria-valuemax=move || format!("{:.3}", model.with(|m| m.0) as f64 / 1e6)
                aria-valuenow=move || format!("{:.3}", model.with(|m| m.1) as f64 / 1e6)
                on:click=on_click
                tabindex="0"
                on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                    "ArrowLeft" => {
                        ev.prevent_default();
                        sim.step_back();
                    }
                    "ArrowRight" => {
                        ev.prevent_default();
                        sim.step_forward(1);
                    }
                    _ => {}
                }
            >
                <For
                    each=move || model.with(|m| m.3.clone())
                    key=|tick| tick.clone()
                    children=|(slot, p)| {
                        view! {
                            <span
                                class=format!("tick proto-{}", p.to_lowercase())
                                style=format!("left:{:.3}%", slot as f64 * 100.0 / SLOTS as f64)
                            ></span>
                        }
                    }
                />
                <Show when=move || model.with(|m| m.2 > m.1)>
                    <span
                        class="timer-mark"
                        data-testid="timeline-timer"
                        style=move || format!("left:{}", pct(model.with(|m| m.2)))
                    ></span>
                </Show>
                <span
                    class="cursor"
                    data-testid="timeline-cursor"
                    style=move || format!("left:{}", pct(model.with(|m| m.1)))
                ></span>
            </div>
            <output class="timeline-now" data-testid="timeline-now">
                {move || format!("{:.3} s", model.with(|m| m.1) as f64 / 1e6)}
            </output>
            // Wireshark's file of what this list shows, beside its timeline
            // (not in the simulation bar, which then fits one row on a laptop).
            <super::PcapExport/>
        </div>
    }
}
