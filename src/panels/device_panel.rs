//! The side panel: the selected device (name, ports and their cables) or the
//! selected cable.

use lanlab_sim::{DeviceId, LinkEnd, LinkId};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::panels::browser::BrowserWindow;
use crate::panels::ip_config::IpConfigForm;
use crate::panels::mail_client::MailClientWindow;
use crate::panels::port_state::InterfaceStates;
use crate::panels::router::{RouterServices, StaticRoutes};
use crate::panels::services::ServicesTab;
use crate::panels::terminal::Terminal;
use crate::split_point;
use crate::state::{AppState, Command, Selection};

/// The side panel's contents: a part of the page loaded on first use
/// (`crate::chunks`), most of the page's code (every tab, form and desktop
/// program).
#[derive(Clone, Copy)]
pub struct PanelParts {
    device: fn(DeviceId) -> AnyView,
    link: fn(LinkId) -> AnyView,
}

split_point! {
    in panels;
    /// The side panel's part.
    pub fn panel_parts() -> PanelParts {
        PanelParts {
            device: |id| view! { <DeviceDetails id/> }.into_any(),
            link: |id| view! { <LinkDetails id/> }.into_any(),
        }
    }
}

/// The panel on the right of the canvas (a bottom sheet on phones, with a
/// grip and a close button; CSS hides the bar on wider screens).
#[component]
pub fn DevicePanel() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let expanded = RwSignal::new(false);
    let title = Signal::derive(move || {
        let lang = st.lang.get();
        match st.selection.get() {
            Some(Selection::Device(id)) => st
                .lab
                .with(|l| l.device(id).map(|d| d.name.clone()))
                .unwrap_or_default(),
            Some(Selection::Link(_)) => lang.t(Key::Cable).to_string(),
            None => lang.t(Key::NoSelection).to_string(),
        }
    });
    let close = Callback::new(move |()| st.selection.set(None));
    let parts = expect_context::<crate::chunks::Parts>().panels;
    view! {
        <aside
            class="side-panel sheet"
            class:expanded=move || expanded.get()
            data-testid="side-panel"
            aria-label=move || title.get()
        >
            <crate::sheet::SheetBar title expanded on_close=close/>
            {move || match st.selection.get() {
                Some(Selection::Device(id)) => parts.view(move |p| (p.device)(id)),
                Some(Selection::Link(id)) => parts.view(move |p| (p.link)(id)),
                None => view! {
                    <div class="empty-panel">
                        <h2>{move || t(Key::NoSelection)}</h2>
                        <p>{move || t(Key::NoSelectionHelp)}</p>
                    </div>
                }
                .into_any(),
            }}
        </aside>
    }
}

/// Name, kind and ports of one device.
#[component]
fn DeviceDetails(
    /// The device shown.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let device = Memo::new(move |_| st.lab.with(|l| l.device(id).cloned()));
    let name = move || device.get().map(|d| d.name).unwrap_or_default();
    let ports = move || {
        st.lab.with(|l| {
            let Some(d) = l.device(id) else {
                return Vec::new();
            };
            d.ports
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let peer = l
                        .link_at(LinkEnd {
                            device: id,
                            port: i,
                        })
                        .and_then(|link| link.other_end(id))
                        .map(|end| l.end_label(end));
                    (p.name.clone(), p.mac.to_string(), peer)
                })
                .collect::<Vec<_>>()
        })
    };
    let connected = move || {
        ports()
            .into_iter()
            .filter(|p| p.2.is_some())
            .collect::<Vec<_>>()
    };
    let free = move || {
        ports()
            .into_iter()
            .filter(|p| p.2.is_none())
            .collect::<Vec<_>>()
    };
    let kind = device.get_untracked().map(|d| d.kind);
    let is_host = kind.is_some_and(|k| k.is_host());
    let is_router = kind == Some(lanlab_sim::DeviceKind::Router);
    let is_server = kind == Some(lanlab_sim::DeviceKind::Server);
    let is_mls = kind == Some(lanlab_sim::DeviceKind::MultilayerSwitch);
    // The open tab and program are kept per device while the app runs
    // (see `crate::panels::session`).
    let session = crate::panels::session::DesktopSessions::expect().get(id);
    let kept_app: RwSignal<Option<&'static str>> = RwSignal::from(session.app);
    let kept_tab: RwSignal<Option<&'static str>> = RwSignal::from(session.tab);
    let app = Signal::derive(move || {
        kept_app
            .get()
            .and_then(DesktopApp::from_slug)
            .unwrap_or(DesktopApp::Terminal)
    });
    let default_tab = if is_host {
        Tab::Desktop
    } else if is_router {
        Tab::Config
    } else {
        Tab::Ports
    };
    let tab = Signal::derive(move || {
        kept_tab
            .get()
            .and_then(Tab::from_slug)
            .unwrap_or(default_tab)
    });
    let router_port = RwSignal::new(0usize);
    let port_names = move || {
        device
            .get()
            .map(|d| d.ports.iter().map(|p| p.name.clone()).collect::<Vec<_>>())
            .unwrap_or_default()
    };

    let tabs = [
        (Tab::Desktop, Key::TabDesktop, is_host),
        // A switch's Config tab holds its interfaces' up/down switches.
        (Tab::Config, Key::TabConfig, true),
        (Tab::Services, Key::TabServices, is_server || is_router),
        (Tab::Ports, Key::TabPorts, true),
        (Tab::Cli, Key::TabCli, !is_host),
    ];
    let tab_bar = tabs
        .into_iter()
        .filter(|(.., shown)| *shown)
        .map(|(which, label, _)| {
            view! {
                <button
                    role="tab"
                    class="tab"
                    data-testid=format!("tab-{}", which.slug())
                    aria-selected=move || (tab.get() == which).to_string()
                    on:click=move |_| kept_tab.set(Some(which.slug()))
                >
                    {move || t(label)}
                </button>
            }
        })
        .collect_view();

    let ports_view = move || {
        view! {
            <ul class="ports" data-testid="port-list" tabindex="0">
                {move || {
                    connected()
                        .into_iter()
                        .map(|(port, mac, peer)| {
                            view! {
                                <li class="port connected" data-testid="port-connected">
                                    <span class="port-name">{port}</span>
                                    <span class="port-peer">"→ " {peer}</span>
                                    <span class="port-mac">{mac}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
                {move || {
                    free()
                        .into_iter()
                        .map(|(port, mac, _)| {
                            view! {
                                <li class="port free">
                                    <span class="port-name">{port}</span>
                                    <span class="port-peer">{move || t(Key::NotConnected)}</span>
                                    <span class="port-mac">{mac}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        }
    };

    view! {
        <div class="device-details" data-testid="device-details">
            <h2 data-testid="panel-device-name">{name}</h2>
            <p class="kind">{move || device.get().map(|d| st.lang.get().kind_hint(d.kind)).unwrap_or_default()}</p>
            <label class="field">
                <span>{move || t(Key::Name)}</span>
                <input
                    data-testid="rename-input"
                    prop:value=name
                    on:change=move |ev| {
                        let new = event_target_value(&ev);
                        if st.dispatch(Command::Rename { id, name: new }).is_err() {
                            // Keep the field showing the real name.
                            st.lab.update(|_| {});
                        }
                    }
                />
            </label>
            <div class="tabs" role="tablist">{tab_bar}</div>
            {move || match tab.get() {
                Tab::Desktop => view! {
                    <nav class="launcher" aria-label=move || t(Key::Apps)>
                        {[
                            (DesktopApp::IpConfig, Key::IpSettings, "app-ipconfig"),
                            (DesktopApp::Terminal, Key::CommandPrompt, "app-terminal"),
                            (DesktopApp::Browser, Key::WebBrowser, "app-browser"),
                            (DesktopApp::Email, Key::EmailClient, "app-email"),
                            (DesktopApp::Firewall, Key::FirewallApp, "app-firewall"),
                        ]
                            .into_iter()
                            .map(|(which, label, testid)| view! {
                                <button
                                    type="button"
                                    class="launch"
                                    data-testid=testid
                                    aria-pressed=move || (app.get() == which).to_string()
                                    on:click=move |_| kept_app.set(Some(which.slug()))
                                >
                                    {move || t(label)}
                                </button>
                            })
                            .collect_view()}
                    </nav>
                    {move || match app.get() {
                        DesktopApp::Terminal => view! {
                            <h3>{move || t(Key::CommandPrompt)}</h3>
                            <Terminal id/>
                        }
                        .into_any(),
                        DesktopApp::IpConfig => view! {
                            <h3>{move || t(Key::IpSettings)}</h3>
                            <IpConfigForm id port=0 host=true/>
                        }
                        .into_any(),
                        DesktopApp::Browser => view! {
                            <h3 data-testid="browser-heading">{move || t(Key::WebBrowserHeading)}</h3>
                            <BrowserWindow id/>
                        }
                        .into_any(),
                        DesktopApp::Email => view! {
                            <h3 data-testid="email-heading">{move || t(Key::EmailHeading)}</h3>
                            <MailClientWindow id/>
                        }
                        .into_any(),
                        DesktopApp::Firewall => view! {
                            <h3>{move || t(Key::FirewallApp)}</h3>
                            <crate::panels::firewall::FirewallForm id/>
                        }
                        .into_any(),
                    }}
                }
                .into_any(),
                Tab::Cli => view! { <crate::panels::console::IosConsole id/> }.into_any(),
                Tab::Services if is_router => view! { <RouterServices id/> }.into_any(),
                Tab::Services => view! { <ServicesTab id/> }.into_any(),
                Tab::Config if is_router => view! {
                    <label class="field">
                        <span>{move || t(Key::Ports)}</span>
                        <select
                            data-testid="router-port"
                            on:change=move |ev| router_port.set(event_target_value(&ev).parse().unwrap_or(0))
                        >
                            {move || port_names()
                                .into_iter()
                                .enumerate()
                                .map(|(i, n)| view! { <option value=i.to_string() selected=move || router_port.get() == i>{n}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    {move || {
                        let port = router_port.get();
                        view! { <IpConfigForm id port host=false/> }
                    }}
                    <StaticRoutes id/>
                    <InterfaceStates id/>
                }
                .into_any(),
                // A multilayer switch routes: its static routes, then its ports.
                Tab::Config if is_mls => view! {
                    <StaticRoutes id/>
                    <InterfaceStates id/>
                }
                .into_any(),
                Tab::Config if !is_host => view! { <InterfaceStates id/> }.into_any(),
                Tab::Config => view! { <IpConfigForm id port=0 host=true/> }.into_any(),
                Tab::Ports => ports_view().into_any(),
            }}
            <button
                class="danger"
                data-testid="delete-selected"
                on:click=move |_| {
                    let _ = st.dispatch(Command::Delete(Selection::Device(id)));
                }
            >
                {move || t(Key::Delete)}
            </button>
        </div>
    }
}

/// The tabs of the device panel.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Tab {
    Desktop,
    Config,
    Services,
    Ports,
    Cli,
}

/// The programs on a desktop.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum DesktopApp {
    IpConfig,
    Terminal,
    Browser,
    Email,
    Firewall,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Desktop,
        Tab::Config,
        Tab::Services,
        Tab::Ports,
        Tab::Cli,
    ];

    fn slug(self) -> &'static str {
        match self {
            Tab::Desktop => "desktop",
            Tab::Config => "config",
            Tab::Services => "services",
            Tab::Ports => "ports",
            Tab::Cli => "cli",
        }
    }

    fn from_slug(s: &str) -> Option<Tab> {
        Self::ALL.into_iter().find(|t| t.slug() == s)
    }
}

impl DesktopApp {
    const ALL: [DesktopApp; 5] = [
        DesktopApp::IpConfig,
        DesktopApp::Terminal,
        DesktopApp::Browser,
        DesktopApp::Email,
        DesktopApp::Firewall,
    ];

    fn slug(self) -> &'static str {
        match self {
            DesktopApp::IpConfig => "ipconfig",
            DesktopApp::Terminal => "terminal",
            DesktopApp::Browser => "browser",
            DesktopApp::Email => "email",
            DesktopApp::Firewall => "firewall",
        }
    }

    fn from_slug(s: &str) -> Option<DesktopApp> {
        Self::ALL.into_iter().find(|a| a.slug() == s)
    }
}

/// The two ends of one cable.
#[component]
fn LinkDetails(
    /// The cable shown.
    id: LinkId,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let ends = move || {
        st.lab.with(|l| {
            l.link(id)
                .map(|link| (l.end_label(link.a), l.end_label(link.b)))
        })
    };
    view! {
        <div class="link-details" data-testid="link-details">
            <h2>{move || t(Key::Cable)}</h2>
            <p data-testid="link-ends">
                {move || ends().map(|(a, b)| format!("{a} — {b}")).unwrap_or_default()}
            </p>
            <button
                class="danger"
                data-testid="delete-selected"
                on:click=move |_| {
                    let _ = st.dispatch(Command::Delete(Selection::Link(id)));
                }
            >
                {move || t(Key::Delete)}
            </button>
        </div>
    }
}
