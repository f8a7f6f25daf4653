//! A desktop's e-mail client: account settings (kept in the document as the
//! device's `mail_client` service), Compose and Send, Receive, the inbox and
//! one open message. The buttons are engine actions (`SendMail`,
//! `ReceiveMail`, `Mail`), so each is a job whose SMTP/POP3/IMAP dialogue
//! shows up in the trace.

use std::net::Ipv4Addr;

use lanlab_sim::host::query::{DeviceAnswer, DeviceQuery, JobOutcome};
use lanlab_sim::mailclient::MailFailure;
use lanlab_sim::mailclient::{IncomingProto, MailOp};
use lanlab_sim::services::MailClientAccount;
use lanlab_sim::{Action, DeviceId, JobId, JobStatus};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::sim_driver::Sim;
use crate::state::{AppState, Command, Status};

use crate::panels::session::{MailDoing as Doing, MailPane as Pane};

/// The mail client of one device.
#[component]
pub fn MailClientWindow(
    /// The desktop.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let name = move || {
        st.lab
            .with_untracked(|l| l.device(id).map(|d| d.name.clone()).unwrap_or_default())
    };
    let has_account = st.lab.with_untracked(|l| {
        l.device(id)
            .is_some_and(|d| d.services.mail_client.is_some())
    });
    // Kept per device while the app runs (see `crate::panels::session`).
    let session = crate::panels::session::DesktopSessions::expect()
        .get(id)
        .mail;
    let chosen: RwSignal<Option<Pane>> = RwSignal::from(session.pane);
    let pane = Signal::derive(move || {
        chosen.get().unwrap_or(if has_account {
            Pane::Inbox
        } else {
            Pane::Settings
        })
    });
    let last: RwSignal<Option<(JobId, String, Doing)>> = RwSignal::from(session.last);
    let opened: RwSignal<Option<u32>> = RwSignal::from(session.opened);

    let run = move |action: Action, doing: Doing| {
        let line = action.to_string();
        sim.act(action, move |r| match r {
            Ok(Some(job)) => {
                // The window may have closed meanwhile.
                last.try_set(Some((job, line, doing)));
            }
            Err(e) => st
                .status
                .set(Some(Status::Error(e.words(st.lang.get_untracked())))),
            Ok(None) => {}
        });
    };

    // Status of the last button: (doing, status, output, why it failed).
    let job_state = sim.watch_device_asking(
        move || {
            let (job, _, _) = last.get()?;
            Some((name(), DeviceQuery::Job { job }))
        },
        move |a| {
            let DeviceAnswer::Job { job: Some(j) } = a else {
                return None;
            };
            let (_, line, doing) = last.get_untracked()?;
            if j.line != line {
                return None;
            }
            let failure: Option<MailFailure> = match j.outcome {
                Some(JobOutcome::MailFailed(f)) => Some(f),
                _ => None,
            };
            Some((doing, j.status, j.output, failure))
        },
    );

    let messages = sim.watch_device(
        move || Some(name()),
        DeviceQuery::MailInbox,
        |a| match a {
            DeviceAnswer::MailInbox { messages } => Some(messages),
            _ => None,
        },
    );
    // (Not "empty" before the engine's first answer: unknown until then.)
    let answered = Memo::new(move |_| messages.with(Option::is_some));
    let messages = Memo::new(move |_| messages.get().unwrap_or_default());

    let status_line = move || {
        job_state.get().map(|(doing, status, output, failure)| {
            let key = match (doing, status) {
                (_, JobStatus::Running) => Key::MailWorking,
                (Doing::Send, JobStatus::Succeeded) => Key::MailSent,
                (Doing::Receive, JobStatus::Succeeded) => Key::MailReceived,
                (Doing::Read, JobStatus::Succeeded) => Key::MailOpened,
                (Doing::Delete, JobStatus::Succeeded) => Key::MailDeleted,
                (_, JobStatus::Failed) => Key::MailFailed,
            };
            let ok = status != JobStatus::Failed;
            view! {
                <div class="mail-status" class:error=!ok data-testid="mail-status" data-state=format!("{status:?}").to_lowercase()>
                    <strong>{move || t(key)}</strong>
                    {failure.map(|f| view! {
                        <p class="mail-failure" data-testid="mail-failure">
                            {move || crate::i18n::mail_failure(st.lang.get(), &f)}
                        </p>
                    })}
                    <details>
                        <summary>{move || t(Key::Details)}</summary>
                        <pre>{output}</pre>
                    </details>
                </div>
            }
        })
    };

    let pane_button = move |p: Pane, key: Key, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                data-testid=testid
                aria-selected=move || (pane.get() == p).to_string()
                on:click=move |_| chosen.set(Some(p))
            >
                {move || t(key)}
            </button>
        }
    };

    // --- compose ---
    let to = RwSignal::from(session.to);
    let subject = RwSignal::from(session.subject);
    let body = RwSignal::from(session.body);
    let bad_to = RwSignal::from(session.bad_to);
    let send = move |_| {
        let rcpt = to.get_untracked();
        let ok = !rcpt.trim().is_empty()
            && rcpt.split(',').all(|a| {
                let a = a.trim();
                a.split_once('@')
                    .is_some_and(|(u, d)| !u.is_empty() && !d.is_empty() && !a.contains(' '))
            });
        bad_to.set(!ok);
        if !ok {
            return;
        }
        run(
            Action::SendMail {
                device: name(),
                to: rcpt.trim().to_string(),
                subject: subject.get_untracked(),
                body: body.get_untracked(),
            },
            Doing::Send,
        );
    };

    let compose = move || {
        view! {
            <form class="mail-compose" data-testid="mail-compose" on:submit=move |ev| { ev.prevent_default(); send(()) }>
                <label class="field" class:invalid=move || bad_to.get()>
                    <span>{move || t(Key::MailTo)}</span>
                    <input data-testid="mail-to" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) autocomplete="off" spellcheck="false" autocapitalize="off"/>
                    <Show when=move || bad_to.get()>
                        <small class="field-error">{move || t(Key::NotAnEmail)}</small>
                    </Show>
                </label>
                <label class="field">
                    <span>{move || t(Key::MailSubject)}</span>
                    <input data-testid="mail-subject" prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{move || t(Key::MailBody)}</span>
                    <textarea data-testid="mail-body" rows="6" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" data-testid="mail-send">{move || t(Key::MailSend)}</button>
            </form>
        }
    };

    // --- inbox ---
    let inbox = move || {
        view! {
            <div class="mail-inbox" data-testid="mail-inbox">
                <button
                    type="button"
                    data-testid="mail-receive"
                    on:click=move |_| run(Action::ReceiveMail { device: name() }, Doing::Receive)
                >
                    {move || t(Key::MailReceive)}
                </button>
                <table class="mail-list">
                    <thead>
                        <tr>
                            <th>{move || t(Key::MailFrom)}</th>
                            <th>{move || t(Key::MailSubject)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || messages.get()
                            key=|m| (m.id, m.read)
                            children=move |m| {
                                let mid = m.id;
                                view! {
                                    <tr
                                        class="mail-row"
                                        class:unread=!m.read
                                        data-testid="mail-row"
                                        tabindex="0"
                                        on:click=move |_| {
                                            opened.set(Some(mid));
                                            run(Action::Mail { device: name(), op: MailOp::Read { id: mid } }, Doing::Read);
                                        }
                                        on:keydown=move |ev| {
                                            if ev.key() == "Enter" {
                                                opened.set(Some(mid));
                                                run(Action::Mail { device: name(), op: MailOp::Read { id: mid } }, Doing::Read);
                                            }
                                        }
                                    >
                                        <td>{m.from.clone()}</td>
                                        <td>{m.subject.clone()}</td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
                <Show when=move || answered.get() && messages.with(Vec::is_empty)>
                    <p class="hint" data-testid="mail-empty">{move || t(Key::MailEmpty)}</p>
                </Show>
                {move || {
                    let id = opened.get()?;
                    let m = messages.with(|ms| ms.iter().find(|m| m.id == id).cloned())?;
                    Some(view! {
                        <article class="mail-message" data-testid="mail-message">
                            <dl>
                                <dt>{move || t(Key::MailFrom)}</dt>
                                <dd data-testid="mail-message-from">{m.from.clone()}</dd>
                                <dt>{move || t(Key::MailTo)}</dt>
                                <dd>{m.to.clone()}</dd>
                                <dt>{move || t(Key::MailSubject)}</dt>
                                <dd data-testid="mail-message-subject">{m.subject.clone()}</dd>
                                <dt>{move || t(Key::MailDate)}</dt>
                                <dd>{m.date.clone()}</dd>
                            </dl>
                            <pre data-testid="mail-message-body" tabindex="0">{m.body.clone()}</pre>
                            <button
                                type="button"
                                class="danger"
                                data-testid="mail-delete"
                                on:click=move |_| {
                                    opened.set(None);
                                    run(Action::Mail { device: name(), op: MailOp::Delete { id } }, Doing::Delete);
                                }
                            >
                                {move || t(Key::Delete)}
                            </button>
                        </article>
                    })
                }}
            </div>
        }
    };

    view! {
        <section class="app-window mail" data-testid="mail-client" aria-label=move || t(Key::EmailClient)>
            <div class="tabs" role="tablist">
                {pane_button(Pane::Inbox, Key::MailInbox, "mail-tab-inbox")}
                {pane_button(Pane::Compose, Key::MailCompose, "mail-tab-compose")}
                {pane_button(Pane::Settings, Key::MailSettings, "mail-tab-settings")}
            </div>
            {status_line}
            {move || match pane.get() {
                Pane::Inbox => inbox().into_any(),
                Pane::Compose => compose().into_any(),
                Pane::Settings => view! { <AccountForm id on_saved=Callback::new(move |()| chosen.set(Some(Pane::Inbox)))/> }.into_any(),
            }}
        </section>
    }
}

/// A field check and the message shown when it fails.
type Check = (fn(&str) -> bool, Key);

fn bad_server(s: &str) -> bool {
    s.trim().parse::<Ipv4Addr>().is_err()
}

/// The account settings of a device's mail client.
#[component]
fn AccountForm(
    /// The desktop.
    id: DeviceId,
    /// Called after a successful save.
    on_saved: Callback<()>,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let acct = st
        .lab
        .with_untracked(|l| l.device(id).and_then(|d| d.services.mail_client.clone()))
        .unwrap_or_default();
    let display = RwSignal::new(acct.display_name.clone());
    let address = RwSignal::new(acct.address.clone());
    let incoming = RwSignal::new(acct.incoming_server.clone());
    let proto = RwSignal::new(acct.incoming);
    let outgoing = RwSignal::new(acct.outgoing_server.clone());
    let user = RwSignal::new(acct.user.clone());
    let password = RwSignal::new(acct.password.clone());
    let tried = RwSignal::new(false);

    let bad_address = move || {
        address.with(|a| {
            a.split_once('@')
                .is_none_or(|(u, d)| u.trim().is_empty() || d.trim().is_empty())
        })
    };
    let bad_in = move || incoming.with(|s| bad_server(s));
    let bad_out = move || outgoing.with(|s| bad_server(s));
    let bad_user = move || user.with(|u| u.trim().is_empty());

    // Typing the address fills in the user name, as mail apps do.
    let on_address = move |ev| {
        let a = event_target_value(&ev);
        if user.with_untracked(String::is_empty)
            && let Some((u, _)) = a.split_once('@')
        {
            user.set(u.to_string());
        }
        address.set(a);
    };

    let save = move || {
        tried.set(true);
        if bad_address() || bad_in() || bad_out() || bad_user() {
            return;
        }
        let mut services = st
            .lab
            .with_untracked(|l| l.device(id).map(|d| d.services.clone()))
            .unwrap_or_default();
        let old = services.mail_client.clone().unwrap_or_default();
        services.mail_client = Some(MailClientAccount {
            display_name: display.get_untracked().trim().to_string(),
            address: address.get_untracked().trim().to_string(),
            incoming_server: incoming.get_untracked().trim().to_string(),
            incoming: proto.get_untracked(),
            outgoing_server: outgoing.get_untracked().trim().to_string(),
            user: user.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            ..old
        });
        if st
            .dispatch(Command::SetServices {
                id,
                services: Box::new(services),
            })
            .is_ok()
        {
            st.status.set(Some(Status::Hint(Key::Applied)));
            on_saved.run(());
        }
    };

    let field = move |label: Key,
                      testid: &'static str,
                      value: RwSignal<String>,
                      bad: Option<Check>,
                      kind: &'static str| {
        let is_bad = move || tried.get() && bad.is_some_and(|(f, _)| value.with(|v| f(v)));
        view! {
            <label class="field" class:invalid=is_bad>
                <span>{move || t(label)}</span>
                <input
                    data-testid=testid
                    type=kind
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || is_bad().to_string()
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                />
                <Show when=is_bad>
                    <small class="field-error">{move || bad.map(|(_, k)| t(k)).unwrap_or_default()}</small>
                </Show>
            </label>
        }
    };

    view! {
        <form class="mail-settings" data-testid="mail-settings" on:submit=move |ev| { ev.prevent_default(); save() }>
            {field(Key::MailDisplayName, "mail-display-name", display, None, "text")}
            <label class="field" class:invalid=move || tried.get() && bad_address()>
                <span>{move || t(Key::MailAddress)}</span>
                <input
                    data-testid="mail-address"
                    prop:value=move || address.get()
                    on:input=on_address
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                />
                <Show when=move || tried.get() && bad_address()>
                    <small class="field-error">{move || t(Key::NotAnEmail)}</small>
                </Show>
            </label>
            <label class="field">
                <span>{move || t(Key::MailIncomingProto)}</span>
                <select
                    data-testid="mail-incoming-proto"
                    on:change=move |ev| proto.set(if event_target_value(&ev) == "imap" { IncomingProto::Imap } else { IncomingProto::Pop3 })
                >
                    <option value="pop3" selected=move || proto.get() == IncomingProto::Pop3>"POP3"</option>
                    <option value="imap" selected=move || proto.get() == IncomingProto::Imap>"IMAP"</option>
                </select>
            </label>
            {field(Key::MailIncomingServer, "mail-incoming", incoming, Some((bad_server, Key::NotAnAddress)), "text")}
            {field(Key::MailOutgoingServer, "mail-outgoing", outgoing, Some((bad_server, Key::NotAnAddress)), "text")}
            {field(Key::MailUser, "mail-user", user, Some((|u: &str| u.trim().is_empty(), Key::Required)), "text")}
            {field(Key::MailPassword, "mail-password", password, None, "password")}
            <button type="submit" data-testid="mail-save">{move || t(Key::Save)}</button>
        </form>
    }
}
