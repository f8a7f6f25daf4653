//! The activity drawer: the teacher's instructions (rendered as elements and
//! text nodes, never as HTML), the student's progress ("2 of 3") with each
//! check's state and hint, teacher mode (editing and the passphrase lock)
//! and the LMS reporting ([`lms`]).
//!
//! Progress is re-evaluated when the document changes (configuration
//! checks, over the document) and when the engine moves (run checks: a
//! query the engine's host answers, keeping a memo so each evaluation only
//! reads the new trace entries).

use lanlab_sim::activity::text::{self, Block, Span};
use lanlab_sim::activity::{Activity, CheckState, score, states};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::sim_driver::Sim;
use crate::state::{AppState, Command, Selection};

mod editor;
pub mod lms;
pub mod scorm;

/// Teacher mode (session only, never saved).
#[derive(Copy, Clone)]
pub struct Teacher {
    /// In teacher mode: the editor shows and nothing is locked.
    pub on: RwSignal<bool>,
    /// Whether the drawer is open.
    pub open: RwSignal<bool>,
}

/// Each check's state, for the drawer and the LMS (`None`: no activity).
#[derive(Copy, Clone)]
pub struct Progress(pub Memo<Option<Vec<CheckState>>>);

/// Refuses an edit to a part of the lab the teacher locked (called first
/// thing by [`AppState::dispatch`]).
///
/// # Errors
/// "… locked by the teacher", in the current language.
pub fn guard(st: &AppState, cmd: &Command) -> Result<(), String> {
    if TEACHER_ON.get() {
        return Ok(());
    }
    // A group is refused when any of its edits would be.
    if let Command::Batch(cmds) = cmd {
        return cmds.iter().try_for_each(|c| guard(st, c));
    }
    let lang = st.lang.get_untracked();
    let refused: Option<String> = st.lab.with_untracked(|lab| {
        let lock = &lab.activity.as_ref()?.lock;
        if !lock.is_set() {
            return None;
        }
        let name = |id| lab.device(id).map(|d| d.name.clone());
        let dev = |id| name(id).filter(|n| lock.locks_device(n));
        let topo = || {
            lock.locks_topology()
                .then(|| lang.t(Key::Devices).to_string())
        };
        match cmd {
            Command::Add { .. } => topo(),
            Command::Move { .. } => None,
            Command::Connect { a, b } => topo().or_else(|| dev(*a)).or_else(|| dev(*b)),
            Command::ConnectPorts { a, b } => {
                topo().or_else(|| dev(a.device)).or_else(|| dev(b.device))
            }
            Command::Batch(_) => None,
            Command::Delete(Selection::Device(id)) => topo().or_else(|| dev(*id)),
            Command::Delete(Selection::Link(id)) => topo().or_else(|| {
                let l = lab.link(*id)?;
                dev(l.a.device).or_else(|| dev(l.b.device))
            }),
            Command::Rename { id, .. }
            | Command::SetServices { id, .. }
            | Command::SetRoutes { id, .. }
            | Command::SetPower { id, .. }
            | Command::Configure { id, .. } => dev(*id),
            Command::SetIp { end, .. } => dev(end.device),
            Command::SetActivity(next) => {
                let same_lock = next.as_ref().map(|a| &a.lock) == Some(lock);
                (lock.locks_activity() || !same_lock).then(|| lang.t(Key::Activity).to_string())
            }
        }
    });
    match refused {
        Some(what) => Err(format!("{what}: {}", lang.t(Key::LockedByTeacher))),
        None => Ok(()),
    }
}

thread_local! {
    /// Teacher mode, for [`guard`] (called from event handlers, outside any
    /// reactive owner).
    static TEACHER_ON: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Provides teacher mode and the progress to the app, and starts the LMS
/// reporting (called once by the app, after the simulation is provided).
pub fn provide(st: AppState) {
    let sim = expect_context::<Sim>();
    let teacher = Teacher {
        on: RwSignal::new(false),
        open: RwSignal::new(true),
    };
    provide_context(teacher);
    Effect::new(move |_| TEACHER_ON.set(teacher.on.get()));
    // The run checks are the engine's to answer; the configuration checks
    // read the document.
    let run = sim.watch_checks(move || {
        st.lab
            .with(|l| l.activity.as_ref().map(|a| Box::new(a.clone())))
    });
    let states = Memo::new(move |_| {
        let run = run.get();
        st.lab
            .with(|lab| Some(states(lab.activity.as_ref()?, lab, run.as_deref())))
    });
    provide_context(Progress(states));
    lms::start(st, states);
    scorm::start(st, states);
}

/// The activity button and the drawer.
#[component]
pub fn ActivityPanel() -> impl IntoView {
    let st = AppState::expect();
    let parts = expect_context::<crate::chunks::Parts>().teacher;
    let teacher = expect_context::<Teacher>();
    let Progress(states) = expect_context::<Progress>();
    let t = move |k| st.lang.get().t(k);
    let has_activity = move || st.lab.with(|l| l.activity.is_some());
    let counts = move || states.get().map(|s| score(&s));
    // The docked window narrows the canvas: keep every device in sight.
    Effect::new(move |_| {
        st.size.track();
        if teacher.open.get() && (has_activity() || teacher.on.get()) {
            request_animation_frame(move || st.keep_in_view());
        }
    });
    view! {
        <Show when=move || has_activity() || teacher.on.get()>
            <button
                class="activity-toggle"
                data-testid="activity-toggle"
                aria-expanded=move || teacher.open.get().to_string()
                on:click=move |_| teacher.open.update(|o| *o = !*o)
            >
                {move || t(Key::Activity)}
                " "
                {move || counts().map(|(p, n)| format!("{p}/{n}")).unwrap_or_default()}
            </button>
        </Show>
        <Show when=move || teacher.open.get() && (has_activity() || teacher.on.get())>
            <aside class="activity-panel" data-testid="activity-panel" aria-label=move || t(Key::Activity)>
                <header class="activity-head">
                    <h2>{move || t(Key::Activity)}</h2>
                    <output data-testid="activity-progress">
                        {move || {
                            counts()
                                .map(|(p, n)| format!("{p} {} {n}", t(Key::ActivityProgress)))
                                .unwrap_or_default()
                        }}
                    </output>
                    <button
                        class="activity-close"
                        data-testid="activity-close"
                        aria-label=move || t(Key::Close)
                        on:click=move |_| teacher.open.set(false)
                    >
                        "×"
                    </button>
                </header>
                <Student/>
                <Show when=move || teacher.on.get()>
                    {parts.view(|p| (p.editor)())}
                </Show>
            </aside>
        </Show>
    }
}

/// Teacher mode's activity editor and SCORM export: a part of the page
/// loaded on first use (`crate::chunks`).
#[derive(Clone, Copy)]
pub struct TeacherParts {
    editor: fn() -> AnyView,
}

crate::split_point! {
    in teacher;
    /// Teacher mode's part.
    pub fn teacher_parts() -> TeacherParts {
        TeacherParts { editor: || view! { <editor::Editor/> }.into_any() }
    }
}

/// What the student sees: instructions and the checks with their state.
#[component]
fn Student() -> impl IntoView {
    let st = AppState::expect();
    let Progress(states) = expect_context::<Progress>();
    let t = move |k| st.lang.get().t(k);
    let activity = move || st.lab.with(|l| l.activity.clone()).unwrap_or_default();
    let instructions = move || {
        let lang = st.lang.get();
        let a = activity();
        let blocks = text::parse(a.instructions.get(lang.tag()));
        blocks.into_iter().map(render_block).collect_view()
    };
    let checks = move || {
        let lang = st.lang.get().tag();
        let a: Activity = activity();
        let states = states.get().unwrap_or_default();
        a.checks
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let passed = states.get(i) == Some(&CheckState::Passed);
                let hint = c.hint.get(lang).to_string();
                let label = c.label_in(lang);
                view! {
                    <li
                        class="activity-check"
                        class:passed=passed
                        data-testid="activity-check"
                        data-state=if passed { "passed" } else { "pending" }
                    >
                        <span class="mark" aria-hidden="true">{if passed { "✓" } else { "○" }}</span>
                        <span class="check-label">{label}</span>
                        <span class="visually-hidden">
                            {move || if passed { t(Key::CheckPassed) } else { t(Key::CheckPending) }}
                        </span>
                        {(!passed && !hint.is_empty())
                            .then(|| {
                                view! {
                                    <p class="check-hint" data-testid="activity-hint">
                                        {move || t(Key::Hint)}
                                        ": "
                                        {hint.clone()}
                                    </p>
                                }
                            })}
                    </li>
                }
            })
            .collect_view()
    };
    let empty = move || {
        st.lab.with(|l| {
            l.activity
                .as_ref()
                .is_none_or(|a| a.checks.is_empty() && a.instructions.is_empty())
        })
    };
    view! {
        <Show when=empty>
            <p class="help">{move || t(Key::ActivityNone)}</p>
        </Show>
        <div class="activity-instructions" data-testid="activity-instructions">{instructions}</div>
        <ol class="activity-checks" data-testid="activity-checks">{checks}</ol>
    }
}

fn render_spans(spans: Vec<Span>) -> impl IntoView {
    spans
        .into_iter()
        .map(|s| {
            if s.bold {
                view! { <strong>{s.text}</strong> }.into_any()
            } else {
                s.text.into_any()
            }
        })
        .collect_view()
}

fn render_block(b: Block) -> AnyView {
    match b {
        Block::Para(spans) => view! { <p>{render_spans(spans)}</p> }.into_any(),
        Block::List(numbered, items) => {
            let items = items
                .into_iter()
                .map(|i| view! { <li>{render_spans(i)}</li> })
                .collect_view();
            if numbered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
    }
}

/// "Teacher mode" in the header: enters it (asking the passphrase when one
/// is set) or leaves it.
#[component]
pub fn TeacherButton() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let ask = RwSignal::new(false);
    let pass = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let teacher = expect_context::<Teacher>();
    let enter = move || {
        teacher.on.set(true);
        teacher.open.set(true);
    };
    let on_click = move |_| {
        if teacher.on.get_untracked() {
            teacher.on.set(false);
            return;
        }
        let locked = st
            .lab
            .with_untracked(|l| l.activity.as_ref().is_some_and(|a| a.lock.is_set()));
        if locked {
            wrong.set(false);
            pass.set(String::new());
            ask.set(true);
        } else {
            enter();
        }
    };
    let on = move || teacher.on.get();
    let unlock = move || {
        let ok = st.lab.with_untracked(|l| {
            l.activity
                .as_ref()
                .is_none_or(|a| a.lock.unlocks(&pass.get_untracked()))
        });
        if ok {
            ask.set(false);
            enter();
        } else {
            wrong.set(true);
        }
    };
    view! {
        <button data-testid="teacher-mode" aria-pressed=move || on().to_string() on:click=on_click>
            {move || if on() { t(Key::TeacherLeave) } else { t(Key::TeacherMode) }}
        </button>
        <Show when=move || ask.get()>
            <div class="dialog-backdrop" on:click=move |_| ask.set(false)>
                <form
                    class="dialog"
                    role="dialog"
                    aria-modal="true"
                    data-testid="teacher-unlock-dialog"
                    on:click=|ev| ev.stop_propagation()
                    on:submit=move |ev| {
                        ev.prevent_default();
                        unlock();
                    }
                >
                    <label class="field">
                        <span>{move || t(Key::TeacherPassphrase)}</span>
                        <input
                            type="password"
                            data-testid="teacher-passphrase"
                            prop:value=move || pass.get()
                            on:input=move |ev| pass.set(event_target_value(&ev))
                        />
                    </label>
                    <Show when=move || wrong.get()>
                        <p class="error" role="alert">{move || t(Key::TeacherWrong)}</p>
                    </Show>
                    <div class="dialog-buttons">
                        <button type="submit" class="primary" data-testid="teacher-unlock">
                            {move || t(Key::TeacherUnlock)}
                        </button>
                        <button type="button" on:click=move |_| ask.set(false)>
                            {move || t(Key::Cancel)}
                        </button>
                    </div>
                </form>
            </div>
        </Show>
    }
}
