//! Session state of each device's desktop windows (not saved in the
//! document): the open tab and program, the web browser (address, page,
//! history), the e-mail client (pane, last job, opened message, draft) and
//! the firewall program's unsaved rule. Selecting another device and coming
//! back shows each window as it was left, as Packet Tracer does; a job the
//! window started keeps running in the engine and its result shows on return
//! (while the engine is not rebuilt: the job's command line is checked).
//!
//! The signals are reference-counted ([`ArcRwSignal`]) and kept in a map
//! keyed by [`DeviceId`]; a window turns them into arena signals owned by
//! itself, so closing the panel drops only its handles, not the state. A
//! device's entry is forgotten when the device leaves the document.

use std::collections::HashMap;

use lanlab_sim::{DeviceId, JobId};
use leptos::prelude::*;

use crate::state::AppState;

/// The web browser's state.
#[derive(Clone)]
pub struct BrowserSession {
    /// The address bar.
    pub address: ArcRwSignal<String>,
    /// The job of the load shown, with its command line.
    pub current: ArcRwSignal<Option<(JobId, String)>>,
    /// The addresses visited (for Back).
    pub history: ArcRwSignal<Vec<String>>,
    /// The engine's refusal of the last address.
    pub refused: ArcRwSignal<Option<String>>,
    /// The load whose final address was last put in the address bar.
    pub shown: ArcRwSignal<Option<(JobId, String)>>,
}

/// What the mail client's last button started.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MailDoing {
    /// Send.
    Send,
    /// Receive.
    Receive,
    /// Open a message.
    Read,
    /// Delete a message.
    Delete,
}

/// The mail client's pane.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MailPane {
    /// The inbox.
    Inbox,
    /// Compose.
    Compose,
    /// Account settings.
    Settings,
}

/// The e-mail client's state.
#[derive(Clone)]
pub struct MailSession {
    /// The pane shown (`None`: not chosen yet, pick from the account).
    pub pane: ArcRwSignal<Option<MailPane>>,
    /// The job of the last button, its command line and what it was.
    pub last: ArcRwSignal<Option<(JobId, String, MailDoing)>>,
    /// The message opened.
    pub opened: ArcRwSignal<Option<u32>>,
    /// Draft: To.
    pub to: ArcRwSignal<String>,
    /// Draft: Subject.
    pub subject: ArcRwSignal<String>,
    /// Draft: body.
    pub body: ArcRwSignal<String>,
    /// Draft: the To field was refused.
    pub bad_to: ArcRwSignal<bool>,
}

/// The firewall program's unsaved new rule.
#[derive(Clone)]
pub struct FirewallDraft {
    /// `allow` / `deny`.
    pub action: ArcRwSignal<String>,
    /// `in` / `out`.
    pub direction: ArcRwSignal<String>,
    /// `tcp`, `udp`, `icmp`, `any`.
    pub proto: ArcRwSignal<String>,
    /// The remote address field.
    pub remote: ArcRwSignal<String>,
    /// The ports field.
    pub ports: ArcRwSignal<String>,
    /// Add was pressed with bad fields.
    pub tried: ArcRwSignal<bool>,
}

/// One device's windows.
#[derive(Clone)]
pub struct DeviceSession {
    /// The device panel's tab (its slug; `None`: the kind's default).
    pub tab: ArcRwSignal<Option<&'static str>>,
    /// The desktop program shown (its slug; `None`: the terminal).
    pub app: ArcRwSignal<Option<&'static str>>,
    /// The web browser.
    pub browser: BrowserSession,
    /// The e-mail client.
    pub mail: MailSession,
    /// The firewall program.
    pub firewall: FirewallDraft,
}

impl DeviceSession {
    fn new() -> Self {
        let s = |v: &str| ArcRwSignal::new(v.to_string());
        DeviceSession {
            tab: ArcRwSignal::new(None),
            app: ArcRwSignal::new(None),
            browser: BrowserSession {
                address: s(""),
                current: ArcRwSignal::new(None),
                history: ArcRwSignal::new(Vec::new()),
                refused: ArcRwSignal::new(None),
                shown: ArcRwSignal::new(None),
            },
            mail: MailSession {
                pane: ArcRwSignal::new(None),
                last: ArcRwSignal::new(None),
                opened: ArcRwSignal::new(None),
                to: s(""),
                subject: s(""),
                body: s(""),
                bad_to: ArcRwSignal::new(false),
            },
            firewall: FirewallDraft {
                action: s("deny"),
                direction: s("in"),
                proto: s("tcp"),
                remote: s(""),
                ports: s(""),
                tried: ArcRwSignal::new(false),
            },
        }
    }
}

/// The windows of every device, shared through context.
#[derive(Copy, Clone)]
pub struct DesktopSessions {
    map: StoredValue<HashMap<DeviceId, DeviceSession>>,
}

impl DesktopSessions {
    /// Provides the map and forgets devices that leave the document.
    pub fn provide(st: AppState) -> Self {
        let me = DesktopSessions {
            map: StoredValue::new(HashMap::new()),
        };
        provide_context(me);
        Effect::new(move |_| {
            st.lab.with(|lab| {
                me.map
                    .update_value(|m| m.retain(|id, _| lab.device(*id).is_some()));
            });
        });
        me
    }

    /// The map of the nearest [`crate::App`].
    pub fn expect() -> Self {
        expect_context::<DesktopSessions>()
    }

    /// The windows of `id`, made on first use.
    pub fn get(self, id: DeviceId) -> DeviceSession {
        self.map
            .try_update_value(|m| m.entry(id).or_insert_with(DeviceSession::new).clone())
            .unwrap_or_else(DeviceSession::new)
    }
}
