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

    // The running simulation follows the document; a timer drives realtime.
    let sim = Sim::new(&state.lab.get_untracked());
    provide_context(sim);
    crate::activity::provide(state);
    Effect::new(move |first: Option<()>| {
        let lab = state.lab.get();
        if first.is_some() {
            sim.sync(&lab);
        }
    });
    let last = StoredValue::new(js_sys::Date::now());
    let ticker = gloo_timers::callback::Interval::new(crate::sim_driver::TICK_MS, move || {
        let now = js_sys::Date::now();
        let elapsed = now - last.get_value();
        last.set_value(now);
        if sim.running.get_untracked() && !sim.simulating.get_untracked() {
            sim.tick(elapsed);
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

    // Keyboard shortcuts that work wherever focus is, except in text fields.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if crate::canvas::typing_in_field() {
            return;
        }
        match ev.key().as_str() {
            "Delete" | "Backspace" => {
                if let Some(sel) = state.selection.get_untracked() {
                    ev.prevent_default();
                    let _ = state.dispatch(Command::Delete(sel));
                }
            }
            "Escape" => {
                state.tool.set(Tool::Select);
                state.status.set(None);
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    view! {
        <div class="app" class:embedded=state.embedded data-testid="app">
            <Header/>
            <div class="workspace">
                <Palette/>
                <main class="stage">
                    <Toolbar/>
                    <SimBar/>
                    <Canvas/>
                    <crate::activity::ActivityPanel/>
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

/// Tool buttons above the canvas.
#[component]
fn Toolbar() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let is_cable = move || matches!(st.tool.get(), Tool::Cable { .. });
    view! {
        <div class="toolbar" role="toolbar">
            <button
                data-testid="tool-select"
                aria-pressed=move || (!is_cable()).to_string()
                on:click=move |_| {
                    st.tool.set(Tool::Select);
                    st.status.set(None);
                }
            >
                {move || t(Key::ToolSelect)}
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
