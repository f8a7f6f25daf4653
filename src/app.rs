//! The root component: provides the state, lays out header, palette, canvas
//! and side panel, and keeps the language in sync with storage and `<html lang>`.

use leptos::prelude::*;

use crate::canvas::Canvas;
use crate::file_menu::SharedLabDialog;
use crate::header::Header;
use crate::i18n::{Key, Lang};
use crate::palette::Palette;
use crate::panels::device_panel::DevicePanel;
use crate::panels::topology_list::TopologyList;
use crate::sim_driver::Sim;
use crate::sim_view::{SimBar, SimPanel};
use crate::state::{AppState, Command, Status, Tool};
use crate::{persist, storage};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState {
        embedded: crate::embed::is_embedded(),
        ..AppState::new(storage::initial_lang())
    };
    provide_context(state);
    let pending = persist::start(state);
    crate::viewport::track_keyboard();

    // The running simulation follows the document; a timer drives realtime.
    let sim = Sim::new(&state.lab.get_untracked());
    provide_context(sim);
    // The panels and simulation mode arrive after the canvas (a slow line
    // gets the canvas first); they are fetched once the engine is here.
    let parts = crate::chunks::Parts::provide();
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let ready = sim.engine_status() != "loading";
        if ready {
            parts.fetch_soon();
        }
        ready
    });
    crate::activity::provide(state);
    crate::panels::session::DesktopSessions::provide(state);
    Effect::new(move |first: Option<()>| {
        let lab = state.lab.get();
        if first.is_some() {
            sim.sync(&lab);
        }
    });
    // A configuration typed over telnet is a document edit (undo, the
    // Config tab), as a console line is.
    // The engine hands them over with the answer to the command that
    // made them, so nothing is asked for on every tick.
    sim.on_config_changes(move |devices| {
        for (id, after) in devices {
            state.adopt_configuration(id, after);
        }
    });
    let last = StoredValue::new(js_sys::Date::now());
    let ticker = gloo_timers::callback::Interval::new(crate::sim_driver::TICK_MS, move || {
        let now = js_sys::Date::now();
        // Wall time not yet sent to the engine (a tick that had to wait
        // for the last one's answer) goes with the next tick.
        let elapsed = now - last.get_value();
        let realtime = sim.running.get_untracked() && !sim.simulating.get_untracked();
        if !realtime || sim.tick(elapsed) {
            last.set_value(now);
        }
    });
    // The timer is not Send: keep it in local storage, stop it on unmount.
    let ticker = StoredValue::new_local(Some(ticker));
    on_cleanup(move || ticker.update_value(|t| drop(t.take())));

    Effect::new(move |_| {
        let lang = state.lang.get();
        storage::remember_lang(lang);
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.tag());
        }
    });

    // One selected thing ends a multi-selection, whoever set it.
    Effect::new(move |_| {
        if state.selection.get().is_some() && !state.multi.with_untracked(Vec::is_empty) {
            state.multi.set(Vec::new());
        }
    });

    // Keyboard shortcuts that work wherever focus is, except in text fields.
    // (Escape, the arrow keys and Space belong to the canvas's gestures.)
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if crate::canvas::typing_in_field() {
            return;
        }
        let ctrl = ev.ctrl_key() || ev.meta_key();
        let key = ev.key();
        match key.as_str() {
            "z" | "Z" if ctrl => {
                ev.prevent_default();
                if ev.shift_key() {
                    state.redo();
                } else {
                    state.undo();
                }
            }
            "a" | "A" if ctrl => {
                ev.prevent_default();
                let all = state
                    .lab
                    .with_untracked(|l| l.devices.iter().map(|d| d.id).collect());
                state.select_devices(all);
            }
            "y" | "Y" if ctrl => {
                ev.prevent_default();
                state.redo();
            }
            "Delete" | "Backspace"
                if state.selection.get_untracked().is_some()
                    || !state.multi.with_untracked(Vec::is_empty) =>
            {
                ev.prevent_default();
                state.delete_selected();
            }
            "+" | "=" if !ctrl => state.zoom_centre(1.25),
            "-" if !ctrl => state.zoom_centre(0.8),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    view! {
        <div
            class="app"
            class:embedded=state.embedded
            class:high-contrast=move || state.high_contrast.get()
            data-testid="app"
            // `loading` until the engine's worker is up (the slow-4G
            // benchmark waits for `ready`).
            data-engine=move || sim.engine_status()
        >
            <Header/>
            <div class="workspace">
                <Palette/>
                <main class="stage">
                    <Toolbar/>
                    <SimBar/>
                    // The activity window floats over the canvas, never over the bars.
                    <div class="canvas-stack">
                        <Canvas/>
                        <crate::activity::ActivityPanel/>
                    </div>
                    <SimPanel/>
                    <StatusBar/>
                </main>
                <DevicePanel/>
            </div>
            <TopologyList/>
            <SharedLabDialog pending/>
        </div>
    }
}

/// Tool buttons above the canvas: tools, undo/redo, zoom, power.
#[component]
fn Toolbar() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let is_cable = move || matches!(st.tool.get(), Tool::Cable { .. });
    let is_hand = move || st.tool.get() == Tool::Hand;
    let is_select = move || !is_cable() && !is_hand();
    let can_undo = move || st.can_undo_redo.get().0;
    let can_redo = move || st.can_undo_redo.get().1;
    let count = move || {
        let m = st.multi.with(Vec::len);
        (m > 1).then(|| format!("{m} {}", t(Key::SelectedCount)))
    };
    let selected_devices = move || {
        let m = st.multi.get();
        if !m.is_empty() {
            return m;
        }
        match st.selection.get() {
            Some(crate::state::Selection::Device(id)) => vec![id],
            _ => Vec::new(),
        }
    };
    let all_on = move || {
        let ids = selected_devices();
        st.lab.with(|l| {
            ids.iter()
                .all(|&id| l.device(id).is_some_and(|d| d.powered))
        })
    };
    let toggle_power = move |_| {
        let ids = st.selected_devices();
        let on = !all_on();
        let cmds: Vec<Command> = ids
            .into_iter()
            .map(|id| Command::SetPower { id, on })
            .collect();
        if !cmds.is_empty() {
            let _ = st.dispatch(Command::Batch(cmds));
        }
    };
    view! {
        <div class="toolbar" role="toolbar">
            <button
                data-testid="tool-select"
                aria-pressed=move || is_select().to_string()
                on:click=move |_| {
                    st.tool.set(Tool::Select);
                    st.status.set(None);
                }
            >
                {move || t(Key::ToolSelect)}
            </button>
            <button
                data-testid="tool-hand"
                aria-pressed=move || is_hand().to_string()
                on:click=move |_| {
                    st.tool.set(Tool::Hand);
                    st.status.set(Some(Status::Hint(Key::HandHelp)));
                }
            >
                <svg class="btn-icon" viewBox="0 0 16 16" aria-hidden="true">
                    <path d="M8 1 V15 M1 8 H15 M8 1 L6 3 M8 1 L10 3 M8 15 L6 13 M8 15 L10 13 M1 8 L3 6 M1 8 L3 10 M15 8 L13 6 M15 8 L13 10" fill="none" stroke="currentColor" stroke-width="1.5"/>
                </svg>
                {move || t(Key::ToolHand)}
            </button>
            <button
                data-testid="tool-cable"
                aria-pressed=move || is_cable().to_string()
                on:click=move |_| {
                    st.tool.set(Tool::Cable { from: None });
                    st.status.set(Some(Status::Hint(Key::CableHelpFirst)));
                }
            >
                <svg class="btn-icon" viewBox="0 0 16 16" aria-hidden="true">
                    <path d="M2 13 C6 13 10 3 14 3" fill="none" stroke="currentColor" stroke-width="2"/>
                </svg>
                {move || t(Key::ToolCable)}
            </button>
            <Show when=is_cable>
                <label class="choose-ports" title=move || t(Key::ChoosePortsHelp)>
                    <input
                        type="checkbox"
                        data-testid="choose-ports"
                        prop:checked=move || st.choose_ports.get()
                        on:change=move |ev| st.choose_ports.set(event_target_checked(&ev))
                    />
                    {move || t(Key::ChoosePorts)}
                </label>
            </Show>
            <span class="tool-sep" aria-hidden="true"></span>
            <button
                data-testid="undo"
                title=move || format!("{} (Ctrl+Z)", t(Key::Undo))
                disabled=move || !can_undo()
                on:click=move |_| st.undo()
                aria-label=move || t(Key::Undo)
            >
                "↶"
            </button>
            <button
                data-testid="redo"
                title=move || format!("{} (Ctrl+Shift+Z)", t(Key::Redo))
                disabled=move || !can_redo()
                on:click=move |_| st.redo()
                aria-label=move || t(Key::Redo)
            >
                "↷"
            </button>
            <span class="tool-sep" aria-hidden="true"></span>
            <button
                data-testid="power"
                disabled=move || selected_devices().is_empty()
                aria-pressed=move || (!selected_devices().is_empty() && all_on()).to_string()
                on:click=toggle_power
            >
                <svg class="btn-icon" viewBox="0 0 16 16" aria-hidden="true">
                    <path d="M8 1 V8 M4.5 3.5 A6 6 0 1 0 11.5 3.5" fill="none" stroke="currentColor" stroke-width="2"/>
                </svg>
                {move || t(Key::Power)}
            </button>
            {move || count().map(|c| view! { <span class="selected-count" data-testid="selected-count">{c}</span> })}
            <SimClock/>
        </div>
    }
}

/// Virtual time and the realtime play/pause switch.
#[component]
fn SimClock() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let clock = move || {
        let us = sim.now().as_micros();
        let s = us / 1_000_000;
        format!(
            "{:02}:{:02}:{:02}.{:01}",
            s / 3600,
            (s / 60) % 60,
            s % 60,
            (us / 100_000) % 10
        )
    };
    view! {
        <div class="sim-clock">
            <span class="clock-label">{move || t(Key::VirtualTime)}</span>
            <output data-testid="sim-clock">{clock}</output>
            <button
                data-testid="sim-run"
                aria-pressed=move || sim.running.get().to_string()
                on:click=move |_| sim.running.update(|r| *r = !*r)
            >
                {move || if sim.running.get() { t(Key::Pause) } else { t(Key::Play) }}
            </button>
        </div>
    }
}

/// The line under the canvas that says what to do next or what went wrong.
#[component]
fn StatusBar() -> impl IntoView {
    let st = AppState::expect();
    let text = move || {
        let lang = st.lang.get();
        match st.status.get() {
            Some(Status::Hint(k)) => (lang.t(k).to_string(), "hint"),
            Some(Status::Error(e)) => (e, "error"),
            Some(Status::Info(i)) => (i, "info"),
            None => (String::new(), "hint"),
        }
    };
    view! {
        <div
            class=move || format!("status {}", text().1)
            data-testid="status"
            role="status"
            aria-live="polite"
        >
            {move || text().0}
        </div>
    }
}

/// Which language a fresh page starts in: stored choice, else the browser's.
pub fn browser_lang() -> Lang {
    window()
        .navigator()
        .language()
        .and_then(|l| Lang::from_tag(&l))
        .unwrap_or(Lang::En)
}
