//! Activities: a teacher's instructions and checks carried by a lab (the
//! specification; evaluating it against a running engine is the
//! simulator's `activity` module).
//!
//! An [`Activity`] holds instructions in two languages (simple formatted
//! text, see [`text`]) and [`Check`]s of two kinds:
//! - *configuration* checks, over the lab document ("PC0 uses DHCP", "zone
//!   hasan.com has an A record for 192.168.1.1");
//! - *run* checks, over what really happened in the simulation (a DHCP ACK
//!   reached PC0, a ping succeeded, a message from akbari@hasan.com arrived).
//!
//! Field names are short because the activity travels in share links.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use crate::error::{ActivityProblem, LabError};

pub mod lock;
pub mod text;

pub use lock::Lock;

/// The most checks an activity may hold.
pub const MAX_CHECKS: usize = 100;
/// The longest instructions (per language), in bytes.
pub const MAX_TEXT: usize = 20_000;
/// The longest label, hint or field of a check, in bytes.
pub const MAX_FIELD: usize = 500;

/// A text in both languages of the app.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// English.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
    /// Bahasa Indonesia.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
}

impl Text {
    /// A text in English and Indonesian.
    pub fn new(en: &str, id: &str) -> Self {
        Text {
            en: en.to_string(),
            id: id.to_string(),
        }
    }

    /// Whether both languages are empty.
    pub fn is_empty(&self) -> bool {
        self.en.is_empty() && self.id.is_empty()
    }

    /// The text in `lang` (`"id"` for Indonesian, anything else English),
    /// falling back to the other language when that one is empty.
    pub fn get(&self, lang: &str) -> &str {
        let (first, other) = if lang == "id" {
            (&self.id, &self.en)
        } else {
            (&self.en, &self.id)
        };
        if first.is_empty() { other } else { first }
    }
}

impl From<&str> for Text {
    /// A text in English only (shown in both languages).
    fn from(en: &str) -> Self {
        Text::new(en, "")
    }
}

impl From<String> for Text {
    /// A text in English only (shown in both languages).
    fn from(en: String) -> Self {
        Text {
            en,
            id: String::new(),
        }
    }
}

/// The instructions and checks of a lab.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// What the student should do (formatted text, see [`text`]).
    #[serde(rename = "i", default, skip_serializing_if = "Text::is_empty")]
    pub instructions: Text,
    /// What is checked, in the order shown.
    #[serde(rename = "c", default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// The teacher's passphrase and what it locks.
    #[serde(default, skip_serializing_if = "Lock::is_empty")]
    pub lock: Lock,
}

/// One check: what is checked, and how it is shown to the student.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// What the student sees ("PC0 uses DHCP"); empty: a generated label.
    #[serde(rename = "l", default, skip_serializing_if = "Text::is_empty")]
    pub label: Text,
    /// A hint shown while the check does not pass.
    #[serde(rename = "h", default, skip_serializing_if = "Text::is_empty")]
    pub hint: Text,
    /// What is checked.
    #[serde(rename = "k")]
    pub kind: CheckKind,
}

/// A service a server may run, for [`CheckKind::Serves`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    /// DHCP server.
    Dhcp,
    /// DNS server.
    Dns,
    /// Web server.
    Http,
    /// E-mail server.
    Mail,
}

impl Service {
    /// Every service, in menu order.
    pub const ALL: [Service; 4] = [Service::Dhcp, Service::Dns, Service::Http, Service::Mail];

    /// The usual name (`DHCP`, `DNS`, `HTTP`, `e-mail`).
    pub fn label(self) -> &'static str {
        match self {
            Service::Dhcp => "DHCP",
            Service::Dns => "DNS",
            Service::Http => "HTTP",
            Service::Mail => "e-mail",
        }
    }
}

/// What a check looks at. Devices are named as in the lab (case-insensitive).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
// Written `{"t": "uses_dhcp", …}`: see `crate::tagged`.
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum CheckKind {
    // --- configuration (over the document) ---
    /// An interface of the device gets its address by DHCP.
    UsesDhcp {
        /// The device.
        d: String,
    },
    /// An interface of the device has this static address.
    HasIp {
        /// The device.
        d: String,
        /// The address.
        ip: Ipv4Addr,
    },
    /// The device's DNS server holds an A record `name` → `ip`.
    ARecord {
        /// The DNS server.
        d: String,
        /// The owner name (`hasan.com`).
        name: String,
        /// The address.
        ip: Ipv4Addr,
    },
    /// The device runs this service (configured and switched on).
    Serves {
        /// The server.
        d: String,
        /// The service.
        svc: Service,
    },
    // --- run (over what happened in the simulation) ---
    /// A DHCP ACK for the device's own hardware address reached it.
    DhcpAck {
        /// The client.
        d: String,
    },
    /// A DNS answer (no error, at least one record) for `name` reached the device.
    Resolved {
        /// The client.
        d: String,
        /// The name asked (`hasan.com`).
        name: String,
    },
    /// A `ping` of `target` from the device succeeded.
    Pinged {
        /// The device that pinged.
        d: String,
        /// What was pinged, as typed (`192.168.1.1`, `hasan.com`).
        target: String,
    },
    /// The device's browser loaded a page from `host` (status 200).
    Browsed {
        /// The desktop.
        d: String,
        /// The host in the page's address (`hasan.com`, `192.168.1.1`).
        host: String,
    },
    /// The device's mail client holds a message from `from` with `subject`
    /// (each empty: any).
    MailReceived {
        /// The desktop.
        d: String,
        /// The sender's address (matched inside `From:`, case-insensitive).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        from: String,
        /// The subject (case-insensitive, surrounding spaces ignored).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        subject: String,
    },
    // --- configuration, again (the IOS console) ---
    /// A router's or switch's interface has this address and prefix and is
    /// not shut down (`R1 g0/0 has 192.168.1.1/24 and is up`).
    InterfaceUp {
        /// The router or switch.
        d: String,
        /// The interface, long or short (`GigabitEthernet0/0`, `g0/0`).
        port: String,
        /// The address.
        ip: Ipv4Addr,
        /// The prefix length.
        prefix: u8,
    },
}

impl Serialize for CheckKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::tagged::write(self, s, "t", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for CheckKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::tagged::read(d, "t", Self::deserialize)
    }
}

/// The two families of check.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Family {
    /// Evaluated over the document.
    Config,
    /// Evaluated over the running simulation.
    Run,
}

/// The kinds a teacher can pick, in menu order, by their tag.
pub const KIND_TAGS: [&str; 10] = [
    "uses_dhcp",
    "has_ip",
    "a_record",
    "serves",
    "dhcp_ack",
    "resolved",
    "pinged",
    "browsed",
    "mail_received",
    "interface_up",
];

impl CheckKind {
    /// Whether it reads the document or the run.
    pub fn family(&self) -> Family {
        match self {
            CheckKind::UsesDhcp { .. }
            | CheckKind::HasIp { .. }
            | CheckKind::ARecord { .. }
            | CheckKind::Serves { .. }
            | CheckKind::InterfaceUp { .. } => Family::Config,
            _ => Family::Run,
        }
    }

    /// Its tag in documents (one of [`KIND_TAGS`]).
    pub fn tag(&self) -> &'static str {
        match self {
            CheckKind::UsesDhcp { .. } => "uses_dhcp",
            CheckKind::HasIp { .. } => "has_ip",
            CheckKind::ARecord { .. } => "a_record",
            CheckKind::Serves { .. } => "serves",
            CheckKind::DhcpAck { .. } => "dhcp_ack",
            CheckKind::Resolved { .. } => "resolved",
            CheckKind::Pinged { .. } => "pinged",
            CheckKind::Browsed { .. } => "browsed",
            CheckKind::MailReceived { .. } => "mail_received",
            CheckKind::InterfaceUp { .. } => "interface_up",
        }
    }

    /// A new check of kind `tag` on device `d` with example values.
    pub fn with_tag(tag: &str, d: &str) -> Option<CheckKind> {
        let d = d.to_string();
        let ip = Ipv4Addr::new(192, 168, 1, 1);
        Some(match tag {
            "uses_dhcp" => CheckKind::UsesDhcp { d },
            "interface_up" => CheckKind::InterfaceUp {
                d,
                port: "GigabitEthernet0/0".into(),
                ip,
                prefix: 24,
            },
            "has_ip" => CheckKind::HasIp { d, ip },
            "a_record" => CheckKind::ARecord {
                d,
                name: "hasan.com".into(),
                ip,
            },
            "serves" => CheckKind::Serves {
                d,
                svc: Service::Http,
            },
            "dhcp_ack" => CheckKind::DhcpAck { d },
            "resolved" => CheckKind::Resolved {
                d,
                name: "hasan.com".into(),
            },
            "pinged" => CheckKind::Pinged {
                d,
                target: ip.to_string(),
            },
            "browsed" => CheckKind::Browsed {
                d,
                host: "hasan.com".into(),
            },
            "mail_received" => CheckKind::MailReceived {
                d,
                from: String::new(),
                subject: String::new(),
            },
            _ => return None,
        })
    }

    /// The device the check is about.
    pub fn device(&self) -> &str {
        match self {
            CheckKind::UsesDhcp { d }
            | CheckKind::HasIp { d, .. }
            | CheckKind::ARecord { d, .. }
            | CheckKind::Serves { d, .. }
            | CheckKind::DhcpAck { d }
            | CheckKind::Resolved { d, .. }
            | CheckKind::Pinged { d, .. }
            | CheckKind::Browsed { d, .. }
            | CheckKind::MailReceived { d, .. }
            | CheckKind::InterfaceUp { d, .. } => d,
        }
    }

    /// Points the check at another device.
    pub fn set_device(&mut self, name: &str) {
        match self {
            CheckKind::UsesDhcp { d }
            | CheckKind::HasIp { d, .. }
            | CheckKind::ARecord { d, .. }
            | CheckKind::Serves { d, .. }
            | CheckKind::DhcpAck { d }
            | CheckKind::Resolved { d, .. }
            | CheckKind::Pinged { d, .. }
            | CheckKind::Browsed { d, .. }
            | CheckKind::MailReceived { d, .. }
            | CheckKind::InterfaceUp { d, .. } => *d = name.to_string(),
        }
    }

    /// A label in `lang` (`"en"`/`"id"`) when the teacher wrote none.
    pub fn auto_label(&self, lang: &str) -> String {
        let id = lang == "id";
        match self {
            CheckKind::UsesDhcp { d } if id => format!("{d} memakai DHCP"),
            CheckKind::UsesDhcp { d } => format!("{d} uses DHCP"),
            CheckKind::HasIp { d, ip } if id => format!("{d} beralamat {ip}"),
            CheckKind::HasIp { d, ip } => format!("{d} has address {ip}"),
            CheckKind::InterfaceUp {
                d,
                port,
                ip,
                prefix,
            } if id => format!("{d} {port} beralamat {ip}/{prefix} dan aktif"),
            CheckKind::InterfaceUp {
                d,
                port,
                ip,
                prefix,
            } => format!("{d} {port} has {ip}/{prefix} and is up"),
            CheckKind::ARecord { d, name, ip } if id => {
                format!("DNS {d}: record A {name} → {ip}")
            }
            CheckKind::ARecord { d, name, ip } => format!("DNS on {d}: A record {name} → {ip}"),
            CheckKind::Serves { d, svc } if id => format!("{d} melayani {}", svc.label()),
            CheckKind::Serves { d, svc } => format!("{d} serves {}", svc.label()),
            CheckKind::DhcpAck { d } if id => format!("DHCP ACK sampai di {d}"),
            CheckKind::DhcpAck { d } => format!("a DHCP ACK reached {d}"),
            CheckKind::Resolved { d, name } if id => format!("{d} menemukan alamat {name}"),
            CheckKind::Resolved { d, name } => format!("{d} resolved {name}"),
            CheckKind::Pinged { d, target } if id => format!("{d} berhasil ping {target}"),
            CheckKind::Pinged { d, target } => format!("{d} pinged {target} successfully"),
            CheckKind::Browsed { d, host } if id => format!("{d} membuka halaman {host}"),
            CheckKind::Browsed { d, host } => format!("{d} loaded a page from {host}"),
            CheckKind::MailReceived { d, from, subject } => {
                let mut s = if id {
                    format!("{d} menerima email")
                } else {
                    format!("{d} received a mail")
                };
                if !from.is_empty() {
                    s.push_str(if id { " dari " } else { " from " });
                    s.push_str(from);
                }
                if !subject.is_empty() {
                    s.push_str(if id { " berjudul '" } else { " with subject '" });
                    s.push_str(subject);
                    s.push('\'');
                }
                s
            }
        }
    }

    fn strings(&self) -> Vec<&str> {
        match self {
            CheckKind::ARecord { d, name, .. } | CheckKind::Resolved { d, name } => {
                vec![d, name]
            }
            CheckKind::Pinged { d, target } => vec![d, target],
            CheckKind::Browsed { d, host } => vec![d, host],
            CheckKind::MailReceived { d, from, subject } => vec![d, from, subject],
            other => vec![other.device()],
        }
    }
}

impl Check {
    /// A check with no label of its own (the generated one is shown).
    pub fn new(kind: CheckKind) -> Self {
        Check {
            label: Text::default(),
            hint: Text::default(),
            kind,
        }
    }

    /// The label in `lang`, or the generated one.
    pub fn label_in(&self, lang: &str) -> String {
        let l = self.label.get(lang);
        if l.is_empty() {
            self.kind.auto_label(lang)
        } else {
            l.to_string()
        }
    }
}

impl Activity {
    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.instructions.is_empty() && self.checks.is_empty() && self.lock.is_empty()
    }

    /// Checks sizes (an activity travels in links and LMS packages).
    /// Checks may name devices the lab no longer has: they simply do not
    /// pass, so deleting a device never makes a lab unreadable.
    ///
    /// # Errors
    /// [`LabError::Activity`] saying what is too large.
    pub fn validate(&self) -> Result<(), LabError> {
        let err = |p: ActivityProblem| Err(LabError::Activity(p));
        if self.checks.len() > MAX_CHECKS {
            return err(ActivityProblem::TooManyChecks {
                count: self.checks.len(),
                max: MAX_CHECKS,
            });
        }
        for t in [&self.instructions.en, &self.instructions.id] {
            if t.len() > MAX_TEXT {
                return err(ActivityProblem::LongInstructions { max: MAX_TEXT });
            }
        }
        for (i, c) in self.checks.iter().enumerate() {
            let fields = [&c.label.en, &c.label.id, &c.hint.en, &c.hint.id]
                .into_iter()
                .map(String::as_str)
                .chain(c.kind.strings());
            for f in fields {
                if f.len() > MAX_FIELD {
                    return err(ActivityProblem::LongText {
                        check: i + 1,
                        max: MAX_FIELD,
                    });
                }
            }
        }
        self.lock.validate()
    }
}
