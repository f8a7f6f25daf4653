//! A desktop's web browser: address bar, Go, Back, and the page, fetched
//! through the simulated network (`Action::OpenUrl`: the host's resolver,
//! TCP and the lab's web server).
//!
//! # Security boundary
//! Lab pages travel in share links, so a page is untrusted input. The page
//! is never given to the real browser's HTML parser: no `innerHTML`, no
//! `srcdoc`, no `<iframe>` whose document we could not reach anyway. Instead
//! [`lanlab_proto::http::sanitize`] reduces it to a whitelist tree (text,
//! headings, paragraphs, lists, tables, pre/code, emphasis, links) with every
//! attribute dropped but `<a href>`, and this module builds that tree as
//! Leptos elements whose text is set as text nodes. So no script, event
//! handler, style, form, image or frame of the page exists in the DOM:
//! nothing can run, be submitted or be fetched. A link becomes an `<a>`
//! *without* `href` (it cannot navigate the real window); its target is
//! resolved against the page's URL with the browser engine's own
//! [`lanlab_proto::http::Url::join`] and a click opens it in the *simulated*
//! browser, so in-site links keep working. A target the simulated browser
//! refuses (`javascript:`, `https:`, `data:`…) is shown as inert text.
//! This was chosen over a sandboxed `srcdoc` iframe because a scriptless
//! sandboxed frame cannot report link clicks back to the app, and the
//! rendered tree has nothing a sandbox would still need to contain.

use lanlab_proto::http::sanitize::{Node, Tag, sanitize};
use lanlab_proto::http::{LoadError, Page, Url, UrlError};
use lanlab_sim::host::query::{DeviceAnswer, DeviceQuery, JobOutcome};
use lanlab_sim::{Action, DeviceId, JobId, JobStatus};
use leptos::prelude::*;

use crate::i18n::{Key, Lang};
use crate::sim_driver::Sim;
use crate::state::AppState;

/// What the browser window shows.
#[derive(Clone, Debug, PartialEq)]
enum View {
    Blank,
    Loading,
    Page(Page),
    Error(LoadError),
}

/// The browser of one device.
#[component]
pub fn BrowserWindow(
    /// The desktop.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    // Kept per device while the app runs (see `crate::panels::session`).
    let session = crate::panels::session::DesktopSessions::expect()
        .get(id)
        .browser;
    let address = RwSignal::from(session.address);
    // The job of the load shown, with its command line (to notice that a
    // rebuilt engine reuses the number for something else).
    let current: RwSignal<Option<(JobId, String)>> = RwSignal::from(session.current);
    let history: RwSignal<Vec<String>> = RwSignal::from(session.history);
    let refused: RwSignal<Option<String>> = RwSignal::from(session.refused);

    let name = move || {
        st.lab
            .with_untracked(|l| l.device(id).map(|d| d.name.clone()).unwrap_or_default())
    };

    let open = move |url: String, remember: bool| {
        let url = url.trim().to_string();
        if url.is_empty() {
            return;
        }
        refused.set(None);
        address.set(url.clone());
        let action = Action::OpenUrl {
            device: name(),
            url: url.clone(),
        };
        let line = action.to_string();
        sim.act(action, move |r| match r {
            // The window may have closed meanwhile: then nothing is shown.
            Ok(Some(job)) => {
                current.try_set(Some((job, line)));
                if remember {
                    history.try_update(|h| h.push(url));
                }
            }
            Err(e) => {
                refused.try_set(Some(e.words(st.lang.get_untracked())));
            }
            Ok(None) => {}
        });
    };

    let loaded = sim.watch_device_asking(
        move || {
            let (job, _) = current.get()?;
            Some((name(), DeviceQuery::Job { job }))
        },
        move |a| {
            let DeviceAnswer::Job { job } = a else {
                return None;
            };
            let line = current.with_untracked(|c| c.as_ref().map(|(_, l)| l.clone()))?;
            let Some(j) = job.filter(|j| j.line == line) else {
                return Some(View::Blank);
            };
            Some(match (j.status, j.outcome) {
                (JobStatus::Running, _) => View::Loading,
                (_, Some(JobOutcome::Page(p))) => View::Page(p),
                (_, Some(JobOutcome::LoadError(e))) => View::Error(e),
                _ => View::Blank,
            })
        },
    );
    let view_state = Memo::new(move |_| loaded.get().unwrap_or(View::Blank));

    // Show the final URL (after redirects) once a page is there.
    // Once per load: coming back to the window keeps an address the user
    // was typing.
    let shown: RwSignal<Option<(JobId, String)>> = RwSignal::from(session.shown);
    Effect::new(move |_| {
        if let View::Page(p) = view_state.get() {
            let load = current.get_untracked();
            if shown.get_untracked() != load {
                shown.set(load);
                address.set(p.url.to_string());
            }
        }
    });

    let go = Callback::new(move |url: String| open(url, true));
    let back = move |_| {
        let prev = history.try_update(|h| {
            h.pop();
            h.last().cloned()
        });
        if let Some(Some(url)) = prev {
            open(url, false);
        }
    };

    view! {
        <section class="app-window browser" data-testid="browser" aria-label=move || t(Key::WebBrowser)>
            <form
                class="browser-bar"
                on:submit=move |ev| {
                    ev.prevent_default();
                    open(address.get_untracked(), true);
                }
            >
                <button
                    type="button"
                    data-testid="browser-back"
                    title=move || t(Key::Back)
                    aria-label=move || t(Key::Back)
                    disabled=move || history.with(|h| h.len() < 2)
                    on:click=back
                >
                    "←"
                </button>
                <input
                    data-testid="browser-url"
                    aria-label=move || t(Key::AddressBar)
                    placeholder="http://hasan.com"
                    prop:value=move || address.get()
                    on:input=move |ev| address.set(event_target_value(&ev))
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                />
                <button type="submit" data-testid="browser-go">{move || t(Key::Go)}</button>
            </form>
            <div class="browser-page" data-testid="browser-page" aria-live="polite">
                {move || {
                    if let Some(e) = refused.get() {
                        return view! { <p class="page-error" data-testid="browser-error">{e}</p> }.into_any();
                    }
                    match view_state.get() {
                        View::Blank => view! { <p class="page-hint">{move || t(Key::BrowserHint)}</p> }.into_any(),
                        View::Loading => view! { <p class="page-hint" data-testid="browser-loading">{move || t(Key::Loading)}</p> }.into_any(),
                        View::Page(p) => render_page(&p, go).into_any(),
                        // 4xx/5xx: the error line, then the server's own error page.
                        View::Error(LoadError::HttpError { status, page }) => {
                            let shown = render_page(&page, go);
                            view! {
                                <p class="page-error" data-testid="browser-error">{move || load_error(st.lang.get(), &LoadError::HttpError { status, page: page.clone() })}</p>
                                {shown}
                            }
                            .into_any()
                        }
                        View::Error(e) => view! {
                            <p class="page-error" data-testid="browser-error">{move || load_error(st.lang.get(), &e)}</p>
                        }
                        .into_any(),
                    }
                }}
            </div>
        </section>
    }
}

/// A loaded page: sanitized HTML as Leptos elements, or plain text.
fn render_page(page: &Page, go: Callback<String>) -> impl IntoView + use<> {
    let title = page.title().unwrap_or_default();
    let body = if page.is_html() {
        let base = page.url.clone();
        sanitize(&page.text())
            .iter()
            .map(|n| render_node(n, &base, go))
            .collect::<Vec<_>>()
            .into_any()
    } else {
        view! { <pre>{page.text()}</pre> }.into_any()
    };
    view! {
        <article class="page-doc" data-testid="page-doc" data-title=title>
            {body}
        </article>
    }
}

fn render_node(n: &Node, base: &Url, go: Callback<String>) -> AnyView {
    let (tag, href, children) = match n {
        Node::Text(s) => return s.clone().into_any(),
        Node::Element {
            tag,
            href,
            children,
        } => (*tag, href, children),
    };
    let kids = move || {
        children
            .iter()
            .map(|c| render_node(c, base, go))
            .collect::<Vec<_>>()
    };
    match tag {
        Tag::H1 => view! { <h1>{kids()}</h1> }.into_any(),
        Tag::H2 => view! { <h2>{kids()}</h2> }.into_any(),
        Tag::H3 => view! { <h3>{kids()}</h3> }.into_any(),
        Tag::H4 => view! { <h4>{kids()}</h4> }.into_any(),
        Tag::H5 => view! { <h5>{kids()}</h5> }.into_any(),
        Tag::H6 => view! { <h6>{kids()}</h6> }.into_any(),
        Tag::P => view! { <p>{kids()}</p> }.into_any(),
        Tag::Ul => view! { <ul>{kids()}</ul> }.into_any(),
        Tag::Ol => view! { <ol>{kids()}</ol> }.into_any(),
        Tag::Li => view! { <li>{kids()}</li> }.into_any(),
        Tag::B => view! { <b>{kids()}</b> }.into_any(),
        Tag::I => view! { <i>{kids()}</i> }.into_any(),
        Tag::Em => view! { <em>{kids()}</em> }.into_any(),
        Tag::Strong => view! { <strong>{kids()}</strong> }.into_any(),
        Tag::U => view! { <u>{kids()}</u> }.into_any(),
        Tag::Small => view! { <small>{kids()}</small> }.into_any(),
        Tag::Br => view! { <br/> }.into_any(),
        Tag::Hr => view! { <hr/> }.into_any(),
        Tag::Table => view! { <table>{kids()}</table> }.into_any(),
        Tag::Thead => view! { <thead>{kids()}</thead> }.into_any(),
        Tag::Tbody => view! { <tbody>{kids()}</tbody> }.into_any(),
        Tag::Tr => view! { <tr>{kids()}</tr> }.into_any(),
        Tag::Th => view! { <th>{kids()}</th> }.into_any(),
        Tag::Td => view! { <td>{kids()}</td> }.into_any(),
        Tag::Pre => view! { <pre>{kids()}</pre> }.into_any(),
        Tag::Code => view! { <code>{kids()}</code> }.into_any(),
        Tag::Blockquote => view! { <blockquote>{kids()}</blockquote> }.into_any(),
        Tag::Div => view! { <div>{kids()}</div> }.into_any(),
        Tag::Span => view! { <span>{kids()}</span> }.into_any(),
        Tag::A => match href.as_deref().map(|h| base.join(h)) {
            // An in-lab link: an <a> without href (the real window cannot
            // follow it); clicking opens the target in the simulated browser.
            Some(Ok(target)) => {
                let target = target.to_string();
                let t2 = target.clone();
                view! {
                    <a
                        class="page-link"
                        role="link"
                        tabindex="0"
                        data-testid="page-link"
                        title=target.clone()
                        on:click=move |ev| {
                            ev.prevent_default();
                            go.run(target.clone());
                        }
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                go.run(t2.clone());
                            }
                        }
                    >
                        {kids()}
                    </a>
                }
                .into_any()
            }
            // No target, or one the simulated browser cannot open
            // (`javascript:`, `https:`, …): inert text.
            _ => {
                view! { <span class="dead-link" data-testid="dead-link">{kids()}</span> }.into_any()
            }
        },
    }
}

/// A load error worded for the user.
pub fn load_error(lang: Lang, e: &LoadError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        LoadError::InvalidAddress(UrlError::Empty) => "alamat masih kosong".into(),
        LoadError::InvalidAddress(UrlError::HttpsNotSupported) => {
            "browser lanlab hanya bisa HTTP (bukan HTTPS)".into()
        }
        LoadError::InvalidAddress(UrlError::UnsupportedScheme(s)) => {
            format!("browser lanlab tidak bisa membuka alamat {s}:")
        }
        LoadError::InvalidAddress(UrlError::BadHost(h)) => {
            format!("{h:?} bukan nama host atau IP Address yang valid")
        }
        LoadError::InvalidAddress(UrlError::BadPort(p)) => {
            format!("port {p:?} bukan angka 1 sampai 65535")
        }
        LoadError::InvalidAddress(UrlError::BadCharacters) => {
            "alamat memakai karakter yang tidak boleh".into()
        }
        LoadError::InvalidAddress(UrlError::TooLong) => {
            "alamat lebih panjang dari 2048 karakter".into()
        }
        LoadError::ServerNotFound { host } => {
            format!("server {host} tidak ditemukan (DNS: nama tidak ada)")
        }
        LoadError::DnsTimeout { host } => format!("DNS tidak menjawab untuk {host}"),
        LoadError::ConnectionRefused { host, port } => {
            format!("{host} menolak koneksi di port {port}")
        }
        LoadError::Unreachable { host } => format!(
            "{host} tidak terjangkau: router tidak punya jalan ke sana (periksa alamat, gateway dan rute)"
        ),
        LoadError::Prohibited { host, port } => {
            format!("access list sebuah router memblokir koneksi ke {host} port {port}")
        }
        LoadError::TimedOut { url } => format!("{url} terlalu lama tidak menjawab"),
        LoadError::BadResponse { url, reason } => {
            format!("{url} mengirim jawaban yang tidak valid: {reason}")
        }
        LoadError::TooManyRedirects { url, limit } => {
            format!("{url} dialihkan lebih dari {limit} kali")
        }
        LoadError::HttpError { status, page } => format!("{} menjawab {status}", page.url),
    }
}
