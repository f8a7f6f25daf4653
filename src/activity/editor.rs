//! Teacher mode's editor: instructions in both languages, checks (kind,
//! device and fields from dropdowns of the lab), and the passphrase lock.
//! Every change is one `Command::SetActivity` through `AppState::dispatch`.

use lanlab_sim::activity::{Activity, Check, CheckKind, KIND_TAGS, Service, Text};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::{AppState, Command, Status};

fn edit(st: AppState, f: impl FnOnce(&mut Activity)) {
    let mut a = st
        .lab
        .with_untracked(|l| l.activity.clone())
        .unwrap_or_default();
    f(&mut a);
    let _ = st.dispatch(Command::SetActivity(Some(Box::new(a))));
}

fn kind_key(tag: &str) -> Key {
    match tag {
        "uses_dhcp" => Key::KindUsesDhcp,
        "has_ip" => Key::KindHasIp,
        "a_record" => Key::KindARecord,
        "serves" => Key::KindServes,
        "dhcp_ack" => Key::KindDhcpAck,
        "resolved" => Key::KindResolved,
        "pinged" => Key::KindPinged,
        "browsed" => Key::KindBrowsed,
        "interface_up" => Key::KindInterfaceUp,
        _ => Key::KindMailReceived,
    }
}

/// The text fields of a check kind: (field, label, value).
fn fields(k: &CheckKind) -> Vec<(&'static str, Key, String)> {
    match k {
        CheckKind::HasIp { ip, .. } => vec![("ip", Key::FieldAddress, ip.to_string())],
        CheckKind::InterfaceUp {
            port, ip, prefix, ..
        } => vec![
            ("port", Key::FieldInterface, port.clone()),
            ("cidr", Key::FieldAddress, format!("{ip}/{prefix}")),
        ],
        CheckKind::ARecord { name, ip, .. } => vec![
            ("name", Key::FieldName, name.clone()),
            ("ip", Key::FieldAddress, ip.to_string()),
        ],
        CheckKind::Resolved { name, .. } => vec![("name", Key::FieldName, name.clone())],
        CheckKind::Pinged { target, .. } => vec![("target", Key::FieldTarget, target.clone())],
        CheckKind::Browsed { host, .. } => vec![("host", Key::FieldHost, host.clone())],
        CheckKind::MailReceived { from, subject, .. } => vec![
            ("from", Key::FieldFrom, from.clone()),
            ("subject", Key::FieldSubject, subject.clone()),
        ],
        _ => vec![],
    }
}

/// Sets a text field; `false` when the value does not fit (a bad address).
fn set_field(k: &mut CheckKind, field: &str, v: &str) -> bool {
    let v = v.trim();
    match (k, field) {
        (CheckKind::HasIp { ip, .. } | CheckKind::ARecord { ip, .. }, "ip") => match v.parse() {
            Ok(a) => {
                *ip = a;
                true
            }
            Err(_) => false,
        },
        (CheckKind::ARecord { name, .. } | CheckKind::Resolved { name, .. }, "name") => {
            *name = v.into();
            true
        }
        (CheckKind::InterfaceUp { port, .. }, "port") if !v.is_empty() => {
            *port = v.into();
            true
        }
        (CheckKind::InterfaceUp { ip, prefix, .. }, "cidr") => {
            match v.parse::<lanlab_proto::net::Ipv4Net>() {
                Ok(n) => {
                    *ip = n.addr;
                    *prefix = n.prefix;
                    true
                }
                Err(_) => false,
            }
        }
        (CheckKind::Pinged { target, .. }, "target") => {
            *target = v.into();
            true
        }
        (CheckKind::Browsed { host, .. }, "host") => {
            *host = v.into();
            true
        }
        (CheckKind::MailReceived { from, .. }, "from") => {
            *from = v.into();
            true
        }
        (CheckKind::MailReceived { subject, .. }, "subject") => {
            *subject = v.into();
            true
        }
        _ => false,
    }
}

fn text_input(
    st: AppState,
    testid: String,
    label: Key,
    value: String,
    multiline: bool,
    save: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let t = move |k| st.lang.get().t(k);
    let input = if multiline {
        view! {
            <textarea
                rows="5"
                data-testid=testid
                prop:value=value
                on:change=move |ev| save(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                data-testid=testid
                prop:value=value
                on:change=move |ev| save(event_target_value(&ev))
            />
        }
        .into_any()
    };
    view! {
        <label class="field">
            <span>{move || t(label)}</span>
            {input}
        </label>
    }
}

/// One check's editor.
fn check_row(st: AppState, i: usize, c: Check, devices: Vec<String>) -> impl IntoView {
    let t = move |k| st.lang.get().t(k);
    let at = move |f: &mut dyn FnMut(&mut Check)| {
        edit(st, |a| {
            if let Some(c) = a.checks.get_mut(i) {
                f(c);
            }
        })
    };
    let tag = c.kind.tag();
    let device = c.kind.device().to_string();
    let kind_select = view! {
        <label class="field">
            <span>{move || t(Key::CheckKindLabel)}</span>
            <select
                data-testid=format!("check-kind-{i}")
                on:change=move |ev| {
                    let tag = event_target_value(&ev);
                    at(&mut move |c| {
                        if let Some(k) = CheckKind::with_tag(&tag, c.kind.device()) {
                            c.kind = k;
                        }
                    })
                }
            >
                {KIND_TAGS
                    .into_iter()
                    .map(|k| view! { <option value=k selected=k == tag>{move || t(kind_key(k))}</option> })
                    .collect_view()}
            </select>
        </label>
    };
    let mut names = devices;
    if !names.iter().any(|n| n.eq_ignore_ascii_case(&device)) {
        names.insert(0, device.clone());
    }
    let device_select = view! {
        <label class="field">
            <span>{move || t(Key::CheckDevice)}</span>
            <select
                data-testid=format!("check-device-{i}")
                on:change=move |ev| {
                    let d = event_target_value(&ev);
                    at(&mut move |c| c.kind.set_device(&d))
                }
            >
                {names
                    .into_iter()
                    .map(|n| {
                        let sel = n.eq_ignore_ascii_case(&device);
                        view! { <option value=n.clone() selected=sel>{n.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    };
    let service = match &c.kind {
        CheckKind::Serves { svc, .. } => {
            let svc = *svc;
            Some(view! {
                <label class="field">
                    <span>{move || t(Key::FieldService)}</span>
                    <select
                        data-testid=format!("check-field-{i}-svc")
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            at(&mut move |c| {
                                if let CheckKind::Serves { svc, .. } = &mut c.kind
                                    && let Some(s) = Service::ALL.into_iter().find(|s| s.label() == v)
                                {
                                    *svc = s;
                                }
                            })
                        }
                    >
                        {Service::ALL
                            .into_iter()
                            .map(|s| view! { <option value=s.label() selected=s == svc>{s.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
            })
        }
        _ => None,
    };
    let field_inputs = fields(&c.kind)
        .into_iter()
        .map(|(f, key, value)| {
            text_input(
                st,
                format!("check-field-{i}-{f}"),
                key,
                value,
                false,
                move |v| {
                    let mut ok = true;
                    at(&mut |c| ok = set_field(&mut c.kind, f, &v));
                    if !ok {
                        st.status.set(Some(Status::Error(format!(
                            "{v}: {}",
                            st.lang.get_untracked().t(Key::NotAnAddress)
                        ))));
                    }
                },
            )
        })
        .collect_view();
    let texts = [
        ("label-en", Key::LabelEn, c.label.en.clone()),
        ("label-id", Key::LabelId, c.label.id.clone()),
        ("hint-en", Key::HintEn, c.hint.en.clone()),
        ("hint-id", Key::HintId, c.hint.id.clone()),
    ]
    .into_iter()
    .map(|(which, key, value)| {
        text_input(
            st,
            format!("check-{which}-{i}"),
            key,
            value,
            false,
            move |v| {
                at(&mut move |c| {
                    let slot = match which {
                        "label-en" => &mut c.label.en,
                        "label-id" => &mut c.label.id,
                        "hint-en" => &mut c.hint.en,
                        _ => &mut c.hint.id,
                    };
                    *slot = v.trim().to_string();
                })
            },
        )
    })
    .collect_view();
    view! {
        <fieldset class="check-editor" data-testid="check-editor">
            <legend>{format!("{}", i + 1)}</legend>
            {kind_select}
            {device_select}
            {service}
            {field_inputs}
            {texts}
            <button
                data-testid=format!("check-remove-{i}")
                on:click=move |_| {
                    edit(st, |a| {
                        if i < a.checks.len() {
                            a.checks.remove(i);
                        }
                    })
                }
            >
                {move || t(Key::RemoveCheck)}
            </button>
        </fieldset>
    }
}

/// The teacher's editor, under the student's view in the drawer.
#[component]
pub fn Editor() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let activity = move || st.lab.with(|l| l.activity.clone()).unwrap_or_default();
    let device_names = move || {
        st.lab
            .with(|l| l.devices.iter().map(|d| d.name.clone()).collect::<Vec<_>>())
    };
    let instructions = move || {
        let a = activity();
        view! {
            {text_input(st, "teacher-instr-en".into(), Key::InstructionsEn, a.instructions.en, true, move |v| {
                edit(st, |a| a.instructions.en = v)
            })}
            {text_input(st, "teacher-instr-id".into(), Key::InstructionsId, a.instructions.id, true, move |v| {
                edit(st, |a| a.instructions.id = v)
            })}
        }
    };
    let checks = move || {
        let names = device_names();
        activity()
            .checks
            .into_iter()
            .enumerate()
            .map(|(i, c)| check_row(st, i, c, names.clone()))
            .collect_view()
    };
    let add = move |_| {
        let first = st.lab.with_untracked(|l| {
            l.devices
                .iter()
                .find(|d| d.kind.is_host())
                .or(l.devices.first())
                .map(|d| d.name.clone())
                .unwrap_or_default()
        });
        edit(st, |a| {
            a.checks.push(Check::new(CheckKind::UsesDhcp { d: first }));
            if a.instructions.is_empty() {
                a.instructions = Text::default();
            }
        })
    };
    let new_pass = RwSignal::new(String::new());
    let set_pass = move |_| {
        let p = new_pass.get_untracked();
        if p.is_empty() {
            return;
        }
        let salt: Vec<u8> = (0..16)
            .map(|_| (js_sys::Math::random() * 256.0) as u8)
            .collect();
        edit(st, |a| a.lock.set_passphrase(&p, &salt));
        new_pass.set(String::new());
        st.status.set(Some(Status::Info(
            st.lang.get_untracked().t(Key::TeacherPassphraseSet).into(),
        )));
    };
    // Removing the passphrase asks for it again (whoever sits at a teacher's
    // unlocked screen cannot drop the lock without knowing it).
    let is_set = move || {
        st.lab
            .with(|l| l.activity.as_ref().is_some_and(|a| a.lock.is_set()))
    };
    let current_pass = RwSignal::new(String::new());
    let wrong_pass = RwSignal::new(false);
    let remove_pass = move || {
        let p = current_pass.get_untracked();
        let ok = st.lab.with_untracked(|l| {
            l.activity
                .as_ref()
                .is_some_and(|a| a.lock.is_set() && a.lock.unlocks(&p))
        });
        wrong_pass.set(!ok);
        if !ok {
            return;
        }
        let mut a = st
            .lab
            .with_untracked(|l| l.activity.clone())
            .unwrap_or_default();
        a.lock.salt.clear();
        a.lock.hash.clear();
        if st.dispatch(Command::SetActivity(Some(Box::new(a)))).is_ok() {
            current_pass.set(String::new());
            st.status.set(Some(Status::Info(
                st.lang.get_untracked().t(Key::TeacherPassRemoved).into(),
            )));
        }
    };
    // Deleting the whole activity, after a confirmation.
    let has_activity = move || st.lab.with(|l| l.activity.is_some());
    let confirming = RwSignal::new(false);
    let delete_activity = move |_| {
        confirming.set(false);
        if st.dispatch(Command::SetActivity(None)).is_ok() {
            st.status.set(Some(Status::Info(
                st.lang.get_untracked().t(Key::ActivityDeleted).into(),
            )));
        }
    };
    let lock_box = move |testid: String,
                         key: Option<Key>,
                         name: String,
                         checked: bool,
                         f: fn(&mut Activity, &str, bool)| {
        let label = name.clone();
        view! {
            <label class="check-line">
                <input
                    type="checkbox"
                    data-testid=testid
                    prop:checked=checked
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        let n = name.clone();
                        edit(st, move |a| f(a, &n, on))
                    }
                />
                {move || key.map(|k| t(k).to_string()).unwrap_or_else(|| label.clone())}
            </label>
        }
    };
    let locks = move || {
        let a = activity();
        let devices = device_names()
            .into_iter()
            .map(|n| {
                let on = a.lock.devices.iter().any(|d| d.eq_ignore_ascii_case(&n));
                lock_box(format!("lock-device-{n}"), None, n, on, |a, n, on| {
                    a.lock.devices.retain(|d| !d.eq_ignore_ascii_case(n));
                    if on {
                        a.lock.devices.push(n.to_string());
                    }
                })
            })
            .collect_view();
        view! {
            {lock_box("lock-activity".into(), Some(Key::LockActivity), String::new(), a.lock.activity, |a, _, on| a.lock.activity = on)}
            {lock_box("lock-topology".into(), Some(Key::LockTopology), String::new(), a.lock.topology, |a, _, on| a.lock.topology = on)}
            <p>{move || t(Key::LockDevices)}</p>
            <div class="lock-devices">{devices}</div>
        }
    };
    view! {
        <section class="teacher-editor" data-testid="teacher-editor">
            <h3>{move || t(Key::TeacherMode)}</h3>
            <p class="help">{move || t(Key::FormatHelp)}</p>
            {instructions}
            <h3>{move || t(Key::Checks)}</h3>
            {checks}
            <button data-testid="teacher-add-check" on:click=add>{move || t(Key::AddCheck)}</button>
            <h3>{move || t(Key::LockTitle)}</h3>
            {locks}
            <form class="pass-row" on:submit=move |ev| { ev.prevent_default(); set_pass(()) }>
                <label class="field">
                    <span>{move || t(Key::TeacherPassphrase)}</span>
                    <input
                        type="password"
                        data-testid="teacher-pass-new"
                        prop:value=move || new_pass.get()
                        on:input=move |ev| new_pass.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" data-testid="teacher-pass-set">{move || t(Key::TeacherSetPassphrase)}</button>
            </form>
            <Show when=is_set>
                <form class="pass-row" on:submit=move |ev| { ev.prevent_default(); remove_pass() }>
                    <label class="field" class:invalid=move || wrong_pass.get()>
                        <span>{move || t(Key::TeacherPassCurrent)}</span>
                        <input
                            type="password"
                            data-testid="teacher-pass-current"
                            prop:value=move || current_pass.get()
                            on:input=move |ev| {
                                wrong_pass.set(false);
                                current_pass.set(event_target_value(&ev));
                            }
                            aria-invalid=move || wrong_pass.get().to_string()
                        />
                        <Show when=move || wrong_pass.get()>
                            <small class="field-error" role="alert" data-testid="teacher-pass-wrong">{move || t(Key::TeacherWrong)}</small>
                        </Show>
                    </label>
                    <button type="submit" data-testid="teacher-pass-remove">{move || t(Key::TeacherPassRemove)}</button>
                </form>
            </Show>
            <super::scorm::ScormButton/>
            <Show when=has_activity>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="danger" data-testid="activity-delete" on:click=move |_| confirming.set(true)>
                            {move || t(Key::ActivityDelete)}
                        </button>
                    }
                >
                    <div class="confirm" role="alertdialog" data-testid="activity-delete-confirm" aria-label=move || t(Key::ActivityDelete)>
                        <p>{move || t(Key::ActivityDeleteConfirm)}</p>
                        <button type="button" class="danger" data-testid="activity-delete-yes" on:click=delete_activity>
                            {move || t(Key::ActivityDeleteYes)}
                        </button>
                        <button type="button" data-testid="activity-delete-cancel" on:click=move |_| confirming.set(false)>
                            {move || t(Key::Cancel)}
                        </button>
                    </div>
                </Show>
            </Show>
        </section>
    }
}
