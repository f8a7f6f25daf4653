//! The timeline of virtual time: a bar from zero to a little past the
//! newest event (or the next timer), a tick per shown event, a marker at
//! the current time; a click seeks there (back by replay, forward by
//! delivering events); ← and → step back and forward.

use lanlab_proto::SimTime;
use leptos::prelude::*;

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
    // (span in µs, now in µs, tick slots with the protocol of their first event)
    let model = Memo::new(move |_| {
        let filter = sim.filter.get();
        sim.with(|e| {
            let now = e.now().as_micros();
            let last = e
                .trace()
                .events()
                .next_back()
                .map_or(0, |ev| ev.time.as_micros());
            let next = e.next_timer().map_or(0, SimTime::as_micros);
            let span = now.max(last).max(next).max(1_000) * 21 / 20;
            let mut slots: Vec<Option<&'static str>> = vec![None; SLOTS];
            for ev in e.trace().events() {
                let p = crate::sim_view::event_proto(ev);
                if !filter.is_empty() && !filter.contains(p) {
                    continue;
                }
                let k = ((ev.time.as_micros() as u128 * SLOTS as u128 / span as u128) as usize)
                    .min(SLOTS - 1);
                slots[k].get_or_insert(p);
            }
            let ticks: Vec<(usize, &'static str)> = slots
                .into_iter()
                .enumerate()
                .filter_map(|(i, p)| p.map(|p| (i, p)))
                .collect();
            (span, now, next, ticks)
        })
        .unwrap_or((1, 0, 0, Vec::new()))
    });
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
                    key=|tick| *tick
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
