//! Simulation mode: the clock stops, and the student moves through the run
//! one event at a time — forward, back (by the engine's replay), or playing
//! at a chosen speed — with the event list, the PDU inspector and the packet
//! drawn on its cable.

pub mod inspector;
pub mod packets;
pub mod timeline;

use lanlab_sim::host::query::RunAnswer;
use lanlab_sim::host::query::RunQuery;
use lanlab_sim::host::query::run::EventRow;
use leptos::prelude::*;

use crate::i18n::{Key, Lang};
use crate::sim_driver::Sim;
use crate::state::AppState;
use inspector::Inspector;

/// Height of one event-list row, in pixels (the list is virtualised).
const ROW_PX: f64 = 24.0;

/// Extra rows rendered above and below the visible ones.
const OVERSCAN: usize = 8;

/// The realtime / simulation switch and the stepping controls.
#[component]
pub fn SimBar() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let simulating = move || sim.simulating.get();
    let events = move || sim.state.with(|s| s.events);

    // Auto-stepping while "Play" is on in simulation mode.
    let ticker = gloo_timers::callback::Interval::new(100, move || {
        if sim.simulating.get_untracked() && sim.playing.get_untracked() {
            let steps = sim.speed.get_untracked().clamp(1.0, 50.0) as u32;
            // Stops playing when the run is idle.
            sim.play_step(steps);
        }
    });
    let ticker = StoredValue::new_local(Some(ticker));
    on_cleanup(move || ticker.update_value(|t| drop(t.take())));

    view! {
        <div class="sim-bar" role="toolbar" data-testid="sim-bar">
            // The engine's wasm arrives after the page: say so until then.
            <Show when=move || sim.engine_status() == "loading">
                <span class="engine-loading" role="status" data-testid="engine-loading">
                    {move || t(Key::EngineLoading)}
                </span>
            </Show>
            // It could not load, or stopped: say why, and what still works.
            <Show when=move || sim.engine_status() == "failed">
                <span class="engine-failed" role="alert" data-testid="engine-failed">
                    {move || t(Key::EngineFailed)}
                    " "
                    <code>{move || sim.failed.get().unwrap_or_default()}</code>
                </span>
            </Show>
            <div class="mode-switch" role="radiogroup">
                <button
                    role="radio"
                    data-testid="mode-realtime"
                    aria-checked=move || (!simulating()).to_string()
                    on:click=move |_| sim.set_simulating(false)
                >
                    {move || t(Key::Realtime)}
                </button>
                <button
                    role="radio"
                    data-testid="mode-simulation"
                    aria-checked=move || simulating().to_string()
                    on:click=move |_| sim.set_simulating(true)
                >
                    {move || t(Key::Simulation)}
                </button>
            </div>
            <Show when=simulating>
                <button
                    data-testid="sim-reset"
                    title=move || t(Key::Reset)
                    on:click=move |_| sim.seek(0)
                >
                    "|◀"
                    <span class="visually-hidden">{move || t(Key::Reset)}</span>
                </button>
                <button
                    data-testid="sim-back"
                    title=move || t(Key::StepBack)
                    disabled=move || events() == 0
                    on:click=move |_| sim.step_back()
                >
                    "◀"
                    <span class="visually-hidden">{move || t(Key::StepBack)}</span>
                </button>
                <button
                    data-testid="sim-play"
                    aria-pressed=move || sim.playing.get().to_string()
                    on:click=move |_| sim.playing.update(|p| *p = !*p)
                >
                    {move || if sim.playing.get() { t(Key::Pause) } else { t(Key::Play) }}
                </button>
                <button
                    data-testid="sim-step"
                    title=move || t(Key::Step)
                    on:click=move |_| {
                        sim.step_forward(1);
                    }
                >
                    "▶"
                    <span class="visually-hidden">{move || t(Key::Step)}</span>
                </button>
                <button
                    data-testid="sim-skip-timer"
                    data-next-timer=move || {
                        sim.state.with(|s| s.next_timer.map(|t| format!("{:.6}", t as f64 / 1e6)))
                            .unwrap_or_default()
                    }
                    title=move || t(Key::SkipTimer)
                    disabled=move || sim.state.with(|s| s.frames_in_flight > 0 || s.next_timer.is_none())
                    on:click=move |_| {
                        sim.skip_to_timer();
                    }
                >
                    "▶▶|"
                    <span class="visually-hidden">{move || t(Key::SkipTimer)}</span>
                </button>
                <label class="speed">
                    <span>{move || t(Key::Speed)}</span>
                    <input
                        type="range"
                        min="1"
                        max="50"
                        data-testid="sim-speed"
                        prop:value=move || sim.speed.get().to_string()
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                sim.speed.set(v);
                            }
                        }
                    />
                </label>
                <output class="event-count" data-testid="event-count">
                    {move || format!("{} {}", t(Key::Event), events())}
                </output>
            </Show>
        </div>
    }
}

/// One row of the event list, as shown.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    index: usize,
    time: String,
    from: String,
    to: String,
    proto: String,
    info: String,
    dropped: bool,
    /// `frame`, `drop`, `tap`, `action` or `timer`.
    kind: String,
}

impl Row {
    /// The engine's row in the user's language: the info column is the
    /// innermost layer first (`SMTP C: EHLO PC1`), the reason of a drop
    /// after it.
    fn of(r: EventRow, lang: Lang) -> Row {
        let info = match &r.drop {
            Some(reason) => format!("{} [{}]", r.summary, packets::drop_reason(lang, reason)),
            None => r.summary,
        };
        Row {
            index: r.index,
            time: format!("{:.3}", r.time as f64 / 1e6),
            from: r.from,
            to: r.to,
            proto: r.proto,
            info,
            dropped: r.drop.is_some(),
            kind: r.kind,
        }
    }
}

/// The list of events, newest last, virtualised; a click opens the inspector.
#[component]
pub fn EventList() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let scroll_top = RwSignal::new(0.0_f64);
    let height = RwSignal::new(240.0_f64);
    let list = NodeRef::<leptos::html::Div>::new();
    // The shown rows in view, and how many rows the filter shows.
    let range = move || {
        let first = ((scroll_top.get() / ROW_PX) as usize).saturating_sub(OVERSCAN);
        let count = (height.get() / ROW_PX) as usize + 2 * OVERSCAN;
        (first, first + count)
    };
    // Follow the newest event as the run advances, unless the user scrolled up.
    let follow = RwSignal::new(true);
    // Following, the list asks for its last rows: a question that stays
    // the same as the run grows, so it rides along with a Step and comes
    // back with it (one round trip to the engine, not three).
    let answer = sim.watch_run(
        move || {
            let filter = sim.proto_filter_tracked();
            Some(if follow.get() {
                RunQuery::Tail {
                    count: (height.get() / ROW_PX) as usize + 2 * OVERSCAN,
                    filter,
                }
            } else {
                let (first, last) = range();
                RunQuery::Rows {
                    first,
                    last,
                    filter,
                }
            })
        },
        |a| match a {
            RunAnswer::Rows { total, rows } => Some((total, rows)),
            _ => None,
        },
    );
    let total = move || answer.with(|a| a.as_ref().map_or(0, |(total, _)| *total));

    // Layout is not read here (that would force a second layout per step):
    // the list's height is the one measured at mount and on scroll, and the
    // scroll position is written in the next frame — unless the user
    // scrolled away in between: a scroll the user made always wins over a
    // follow that was only scheduled (it used to yank the list back to the
    // bottom, leaving the rows the user scrolled to unrendered).
    //
    // The scroll event of the list's own scroll is not the user's: it keeps
    // following (during play, rows arrive faster than frames, so by the
    // time that event fires the bottom has moved on: judged as the user's,
    // it stopped following in the middle of a run).
    let own_scroll = StoredValue::new(None::<i32>);
    Effect::new(move |_| {
        let n = total();
        if follow.get_untracked() {
            let bottom = (n as f64 * ROW_PX - height.get_untracked()).max(0.0);
            scroll_top.set(bottom);
            request_animation_frame(move || {
                if !follow.get_untracked() {
                    return;
                }
                if let Some(el) = list.get_untracked() {
                    own_scroll.set_value(Some(bottom as i32));
                    el.set_scroll_top(bottom as i32);
                }
            });
        }
    });
    Effect::new(move |_| {
        if let Some(el) = list.get() {
            request_animation_frame(move || height.set(f64::from(el.client_height())));
        }
    });

    let visible = move || {
        let lang = st.lang.get();
        answer
            .get()
            .map(|(_, rows)| {
                rows.into_iter()
                    .map(|r| (r.pos, Row::of(r, lang)))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };

    view! {
        <div class="event-list" data-testid="event-list" role="table" aria-label=move || t(Key::Events)>
            <div class="event-head" role="row">
                <span role="columnheader">{move || t(Key::VirtualTime)}</span>
                <span role="columnheader">{move || t(Key::LastDevice)}</span>
                <span role="columnheader">{move || t(Key::AtDevice)}</span>
                <span role="columnheader">{move || t(Key::Protocol)}</span>
                <span role="columnheader">{move || t(Key::Info)}</span>
            </div>
            // Focusable, so the keyboard can scroll it (axe:
            // scrollable-region-focusable); a row group, the one child of
            // the table besides its head row (axe: aria-required-children).
            <div
                class="event-scroll"
                role="rowgroup"
                tabindex="0"
                node_ref=list
                on:scroll=move |_| {
                    if let Some(el) = list.get_untracked() {
                        let own = own_scroll.get_value().filter(|t| (t - el.scroll_top()).abs() <= 1);
                        own_scroll.set_value(None);
                        let top = el.scroll_top() as f64;
                        scroll_top.set(top);
                        height.set(el.client_height() as f64);
                        if own.is_none() {
                            let bottom = total() as f64 * ROW_PX - el.client_height() as f64;
                            follow.set(top >= bottom - ROW_PX);
                        }
                    }
                }
            >
                <div class="event-spacer" style=move || format!("height:{}px", total() as f64 * ROW_PX)>
                    <For
                        each=visible
                        key=|(pos, r)| (*pos, r.index, r.info.len())
                        children=move |(pos, r)| {
                            let index = r.index;
                            let selected = move || sim.selected_event.get() == Some(index);
                            let class = format!("event-row proto-{}", r.proto.to_lowercase());
                            let proto = r.proto.clone();
                            view! {
                                <div
                                    class=class
                                    class:dropped=r.dropped
                                    class:selected=selected
                                    role="row"
                                    data-testid="event-row"
                                    data-proto=proto
                                    data-kind=r.kind
                                    style=format!("top:{}px", pos as f64 * ROW_PX)
                                    on:click=move |_| sim.selected_event.set(Some(index))
                                >
                                    <span role="cell">{r.time}</span>
                                    <span role="cell">{r.from}</span>
                                    <span role="cell">{r.to}</span>
                                    <span role="cell" class="proto-tag">{r.proto}</span>
                                    <span role="cell" class="info">{r.info}</span>
                                </div>
                            }
                        }
                    />
                </div>
            </div>
        </div>
    }
}

/// Protocols the event list can be filtered by.
pub const FILTERS: [&str; 9] = [
    "ARP", "ICMP", "DHCP", "DNS", "TCP", "SMTP", "POP3", "IMAP", "HTTP",
];

/// Toggle buttons, one per protocol; none pressed shows everything.
#[component]
fn FilterChips() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    view! {
        <div class="filters" role="group" aria-label=move || st.lang.get().t(Key::Filter)>
            <span class="filters-label">{move || st.lang.get().t(Key::Filter)}</span>
            {FILTERS
                .into_iter()
                .map(|p| {
                    view! {
                        <button
                            class=format!("chip proto-{}", p.to_lowercase())
                            data-testid=format!("filter-{}", p.to_lowercase())
                            aria-pressed=move || sim.filter.with(|f| f.contains(p)).to_string()
                            on:click=move |_| {
                                sim.filter.update(|f| {
                                    if !f.remove(p) {
                                        f.insert(p);
                                    }
                                })
                            }
                        >
                            <span class="proto-tag">{p}</span>
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The bottom panel of simulation mode: event list and inspector. On a
/// phone it is a bottom sheet (grip, close) and the inspector opens over the
/// event list when a row is picked, with a button back to the list.
#[component]
pub fn SimPanel() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let expanded = RwSignal::new(false);
    let closed = RwSignal::new(false);
    let inspecting = RwSignal::new(false);
    // Picking an event opens the inspector (and the sheet).
    Effect::new(move |first: Option<()>| {
        let picked = sim.selected_event.get();
        if first.is_some() && picked.is_some() {
            inspecting.set(true);
            closed.set(false);
        }
    });
    let title = Signal::derive(move || t(Key::Events).to_string());
    let close = Callback::new(move |()| {
        closed.set(true);
        inspecting.set(false);
    });
    let parts = expect_context::<crate::chunks::Parts>().simulation;
    view! {
        <Show when=move || sim.simulating.get()>
            <section
                class="sim-panel sheet"
                class:expanded=move || expanded.get()
                class:closed=move || closed.get()
                class:inspecting=move || inspecting.get()
                data-testid="sim-panel"
                aria-label=move || t(Key::Events)
            >
                <crate::sheet::SheetBar
                    title
                    expanded
                    on_close=close
                />
                <button
                    class="sheet-open"
                    data-testid="sim-sheet-open"
                    on:click=move |_| closed.set(false)
                >
                    {move || t(Key::Events)}
                </button>
                {parts.view(move |p| (p.body)(inspecting))}
            </section>
        </Show>
    }
}

/// Simulation mode's panel: a part of the page loaded on first use
/// (`crate::chunks`): the timeline, the event list and the inspector.
#[derive(Clone, Copy)]
pub struct SimParts {
    /// The panel's contents; the signal says whether the inspector is open.
    body: fn(RwSignal<bool>) -> AnyView,
    /// The frames drawn on the canvas in simulation mode (inside its `<svg>`).
    pub packets: fn() -> AnyView,
}

crate::split_point! {
    in simulation;
    /// Simulation mode's part.
    pub fn sim_parts() -> SimParts {
        SimParts {
            body: sim_panel_body,
            packets: || view! { <packets::PacketLayer/> }.into_any(),
        }
    }
}

/// The contents of the simulation panel (below its sheet bar).
fn sim_panel_body(inspecting: RwSignal<bool>) -> AnyView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    view! {
                <timeline::Timeline/>
                <div class="sim-left">
                    <FilterChips/>
                    <EventList/>
                </div>
                <div class="inspector-wrap">
                    <button
                        class="inspector-back"
                        data-testid="inspector-back"
                        on:click=move |_| inspecting.set(false)
                    >
                        <span aria-hidden="true">"‹ "</span>
                        {move || t(Key::CloseInspector)}
                    </button>
                    <Inspector/>
                </div>
    }
    .into_any()
}

/// "Download capture (.pcap)": every delivered hop, or one cable's.
#[component]
fn PcapExport() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    // The cable chosen (`None`: all of them).
    let link = RwSignal::new(None::<u32>);
    let links = move || {
        st.lab.with(|lab| {
            lab.links
                .iter()
                .map(|l| {
                    (
                        l.id.0,
                        format!("{} — {}", lab.end_label(l.a), lab.end_label(l.b)),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let download = move |_| {
        let chosen = link.get_untracked().map(lanlab_sim::LinkId);
        let name = match chosen {
            Some(l) => format!("lanlab-link{}.pcap", l.0),
            None => "lanlab.pcap".to_string(),
        };
        sim.pcap(chosen, move |bytes| {
            crate::sim_view::download_bytes(&bytes, &name, "application/vnd.tcpdump.pcap");
        });
    };
    view! {
        <span class="pcap-export">
            <select
                data-testid="pcap-link"
                aria-label=move || t(Key::DownloadPcap)
                on:change=move |ev| link.set(event_target_value(&ev).parse::<u32>().ok())
            >
                <option value="all" selected=move || link.get().is_none()>{move || t(Key::AllLinks)}</option>
                {move || {
                    links()
                        .into_iter()
                        .map(|(id, label)| {
                            view! {
                                <option value=id.to_string() selected=move || link.get() == Some(id)>{label}</option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <button data-testid="pcap-download" on:click=download>
                {move || t(Key::DownloadPcap)}
            </button>
        </span>
    }
}

/// Offers `bytes` as a file download.
pub fn download_bytes(bytes: &[u8], file: &str, mime: &str) {
    use wasm_bindgen::JsCast;
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(file);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
