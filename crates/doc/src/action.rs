//! Typed user actions: what a student does to a running lab (ping, power a
//! device off, pull a cable, change an address…).
//!
//! Scripted actions live in the document with a virtual time; live ones go to
//! the engine's session log with the event index they were taken at. The
//! document, the seed and the log replay the same run.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::{IpConfig, StaticRoute};
use crate::services::Services;
use crate::tagged;

/// A port named the way students write it: device name and port name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortRef {
    /// Device name (`PC0`).
    pub device: String,
    /// Port name (`FastEthernet0`).
    pub port: String,
}

impl fmt::Display for PortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.device, self.port)
    }
}

/// One thing a user does to the running lab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// Written `{"do": "ping", …}`, a mail button's fields beside its `device`:
// see `crate::tagged`.
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Action {
    /// `ping` from a device's command prompt.
    Ping {
        /// The device.
        device: String,
        /// Address to ping.
        target: String,
        /// Number of echo requests (Windows default 4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        count: Option<u16>,
    },
    /// `tracert` from a device's command prompt.
    Tracert {
        /// The device.
        device: String,
        /// Address to trace.
        target: String,
    },
    /// Any command line at a device's prompt (`ipconfig`, `arp -a`, …).
    Command {
        /// The device.
        device: String,
        /// The command line.
        line: String,
    },
    /// Switch a device on or off. Off, it loses its running state.
    Power {
        /// The device.
        device: String,
        /// On or off.
        on: bool,
    },
    /// Pull the cable out of a port.
    Unplug {
        /// The port.
        port: PortRef,
    },
    /// Cable two free ports.
    Plug {
        /// One end.
        a: PortRef,
        /// The other end.
        b: PortRef,
    },
    /// Wire a free port to the outside of the simulation: frames sent out
    /// of it wait for the engine's `tap_recv` (a test peer, a bridge).
    Tap {
        /// The port.
        port: PortRef,
    },
    /// A frame arrives at a port from outside (through a tap, or typed in).
    Inject {
        /// The port.
        port: PortRef,
        /// The whole Ethernet frame.
        bytes: Vec<u8>,
    },
    /// Change an interface's IPv4 settings.
    SetIp {
        /// The interface.
        port: PortRef,
        /// The new settings.
        ip: IpConfig,
    },
    /// Open a TCP port that accepts connections and reads what arrives
    /// (a discard server, RFC 863).
    Listen {
        /// The host.
        device: String,
        /// The port.
        port: u16,
    },
    /// Bind a UDP port; datagrams that arrive wait on it.
    BindUdp {
        /// The host.
        device: String,
        /// The port.
        port: u16,
    },
    /// Send one UDP datagram carrying `text` from an ephemeral port.
    Datagram {
        /// The host.
        device: String,
        /// `address:port` of the receiver.
        to: String,
        /// The payload.
        text: String,
    },
    /// Connect over TCP, send `bytes` bytes, close.
    Send {
        /// The host.
        device: String,
        /// `address:port` of the server.
        to: String,
        /// How many bytes.
        bytes: u32,
    },
    /// Replace a device's services configuration (DHCP, DNS, web, mail,
    /// firewall, relay, access lists); applies live.
    SetServices {
        /// The device.
        device: String,
        /// The new configuration.
        services: Box<Services>,
    },
    /// Open an address in a desktop's web browser; the job's result is the
    /// page or the error.
    OpenUrl {
        /// The desktop.
        device: String,
        /// What was typed in the address bar (`hasan.com`, `http://192.168.1.1/`).
        url: String,
    },
    /// `ipconfig /renew` on every DHCP interface of a host.
    DhcpRenew {
        /// The host.
        device: String,
    },
    /// `ipconfig /release` on every DHCP interface of a host.
    DhcpRelease {
        /// The host.
        device: String,
    },
    /// The mail client's Send: compose and hand to the outgoing server.
    SendMail {
        /// The PC.
        device: String,
        /// Recipients, comma-separated.
        to: String,
        /// Subject.
        subject: String,
        /// Text.
        body: String,
    },
    /// The mail client's Receive (POP3 download or IMAP sync of INBOX).
    ReceiveMail {
        /// The PC.
        device: String,
    },
    /// Another mail-client button: read, reply, delete, move, mark, folders.
    Mail {
        /// The PC.
        device: String,
        /// Which button (its fields beside `device` in files).
        op: crate::mail_op::MailOp,
    },
    /// A line typed into a running interactive job (`telnet`).
    Input {
        /// The device.
        device: String,
        /// The job; `None`: the device's newest running job.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        job: Option<u32>,
        /// The line (sent with CRLF).
        line: String,
    },
    /// Replace a router's static routes.
    SetRoutes {
        /// The router.
        device: String,
        /// The new routes.
        routes: Vec<StaticRoute>,
    },
    /// Replace a device's configuration as [`crate::lab::Edit::Configure`]
    /// does (an undone console change reaching the running engine).
    Configure {
        /// The device, by its current name.
        device: String,
        /// The new configuration (its name may differ: `hostname`).
        config: Box<crate::device::Device>,
    },
}

/// The mail variant's object in serde's default form, with the button's
/// fields under `op` (`f`: [`tagged::nest`] or [`tagged::unnest`]).
fn mail_fields(v: Value, f: impl Fn(Value) -> Value) -> Value {
    match v {
        Value::Object(mut one) => {
            if let Some(fields) = one.get_mut("mail") {
                *fields = f(fields.take());
            }
            Value::Object(one)
        }
        v => v,
    }
}

impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        tagged::write(self, s, "do", |a, to| {
            Self::serialize(a, to).map(|v| mail_fields(v, |f| tagged::unnest(f, "op")))
        })
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        tagged::read(d, "do", |v| {
            Self::deserialize(mail_fields(v, |f| tagged::nest(f, &["device"], "op")))
        })
    }
}

impl Action {
    /// The device the action is about (the first one, for `Plug`).
    pub fn device(&self) -> &str {
        match self {
            Action::Ping { device, .. }
            | Action::Tracert { device, .. }
            | Action::Command { device, .. }
            | Action::Power { device, .. }
            | Action::Listen { device, .. }
            | Action::Send { device, .. }
            | Action::BindUdp { device, .. }
            | Action::Datagram { device, .. }
            | Action::SetRoutes { device, .. }
            | Action::Configure { device, .. }
            | Action::SetServices { device, .. }
            | Action::OpenUrl { device, .. }
            | Action::DhcpRenew { device }
            | Action::DhcpRelease { device }
            | Action::SendMail { device, .. }
            | Action::ReceiveMail { device }
            | Action::Mail { device, .. }
            | Action::Input { device, .. } => device,
            Action::Unplug { port }
            | Action::SetIp { port, .. }
            | Action::Tap { port }
            | Action::Inject { port, .. } => &port.device,
            Action::Plug { a, .. } => &a.device,
        }
    }

    /// The shell command line this action runs, for those that run one.
    pub fn command_line(&self) -> Option<String> {
        match self {
            Action::Ping {
                target,
                count: Some(n),
                ..
            } => Some(format!("ping -n {n} {target}")),
            Action::Ping { target, .. } => Some(format!("ping {target}")),
            Action::Tracert { target, .. } => Some(format!("tracert {target}")),
            Action::Command { line, .. } => Some(line.clone()),
            _ => None,
        }
    }
}

impl fmt::Display for Action {
    /// `PC0> ping 10.0.0.1`, `power off Router0`, `unplug PC0 FastEthernet0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.command_line() {
            return write!(f, "{}> {line}", self.device());
        }
        match self {
            Action::Power { device, on } => {
                write!(f, "power {} {device}", if *on { "on" } else { "off" })
            }
            Action::Unplug { port } => write!(f, "unplug {port}"),
            Action::Plug { a, b } => write!(f, "plug {a} to {b}"),
            Action::Tap { port } => write!(f, "tap {port}"),
            Action::Inject { port, bytes } => {
                write!(f, "frame of {} bytes into {port}", bytes.len())
            }
            Action::SetIp { port, ip } => match ip {
                IpConfig::None => write!(f, "{port}: remove IPv4 address"),
                IpConfig::Dhcp => write!(f, "{port}: use DHCP"),
                IpConfig::Static(s) => write!(f, "{port}: set {} mask {}", s.address, s.mask),
            },
            Action::SetRoutes { device, routes } => {
                write!(f, "{device}: set {} static routes", routes.len())
            }
            Action::SetServices { device, .. } => write!(f, "{device}: change services"),
            Action::Configure { device, config } => {
                write!(f, "{device}: new configuration ({})", config.name)
            }
            Action::OpenUrl { device, url } => write!(f, "{device}: browser opens {url}"),
            Action::DhcpRenew { device } => write!(f, "{device}> ipconfig /renew"),
            Action::DhcpRelease { device } => write!(f, "{device}> ipconfig /release"),
            Action::SendMail {
                device,
                to,
                subject,
                ..
            } => write!(f, "{device}: send mail \"{subject}\" to {to}"),
            Action::ReceiveMail { device } => write!(f, "{device}: receive mail"),
            Action::Mail { device, op } => write!(f, "{device}: mail: {op}"),
            Action::Input { device, line, .. } => write!(f, "{device}< {line}"),
            Action::Listen { device, port } => write!(f, "{device}: listen on TCP port {port}"),
            Action::Send { device, to, bytes } => {
                write!(f, "{device}: send {bytes} bytes over TCP to {to}")
            }
            Action::BindUdp { device, port } => write!(f, "{device}: bind UDP port {port}"),
            Action::Datagram { device, to, text } => {
                write!(f, "{device}: UDP datagram to {to} ({} bytes)", text.len())
            }
            _ => Ok(()),
        }
    }
}

/// What the author of a lab expects an action's command to do.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// The command must succeed (a ping gets a reply, a trace completes).
    #[default]
    Success,
    /// The command must fail (the lab shows a broken network).
    Failure,
    /// Either is fine.
    Any,
}

/// An action the lab runs by itself at a virtual time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ScriptedAction {
    /// When, in milliseconds of virtual time after the start.
    #[serde(default)]
    pub at_ms: u64,
    /// What (its fields beside `at_ms` and `expect` in files).
    pub action: Action,
    /// What its command should do.
    #[serde(default, skip_serializing_if = "is_default_expect")]
    pub expect: Expect,
}

impl Serialize for ScriptedAction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        tagged::write_flat(self, s, "action", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for ScriptedAction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        tagged::read_flat(d, &["at_ms", "expect"], "action", Self::deserialize)
    }
}

fn is_default_expect(e: &Expect) -> bool {
    *e == Expect::Success
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_and_display() {
        let text = r#"{"at_ms": 500, "do": "ping", "device": "PC0", "target": "10.0.0.1"}"#;
        let a: ScriptedAction = serde_json::from_str(text).unwrap();
        assert_eq!(a.at_ms, 500);
        assert_eq!(a.expect, Expect::Success);
        assert_eq!(a.action.to_string(), "PC0> ping 10.0.0.1");
        let back = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<ScriptedAction>(&back).unwrap(), a);
        let u: ScriptedAction = serde_json::from_str(
            r#"{"do":"unplug","port":{"device":"PC1","port":"FastEthernet0"},"expect":"any"}"#,
        )
        .unwrap();
        assert_eq!(u.action.to_string(), "unplug PC1 FastEthernet0");
        assert_eq!(u.expect, Expect::Any);
        assert_eq!(
            Action::Ping {
                device: "PC0".into(),
                target: "1.2.3.4".into(),
                count: Some(2)
            }
            .command_line()
            .unwrap(),
            "ping -n 2 1.2.3.4"
        );
    }
}
