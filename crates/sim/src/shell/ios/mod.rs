//! The console of a router or switch: a sans-IO IOS command-line state
//! machine. [`Console::exec`] takes one typed line and the device's
//! configuration from the lab document, and answers with the text IOS
//! prints, whether the line was accepted, the device's new configuration
//! (a document change: undo, share links and the Config tab's forms see it)
//! and what the engine must do besides (a `show` of running state, `ping`
//! and `traceroute` — read with their options in `probe`, run by the
//! router in `device::router::ping` — `reload`).
//!
//! Modes: user EXEC `R1>`, privileged `R1#`, global `R1(config)#`,
//! interface `(config-if)` / `(config-if-range)` / `(config-subif)`, line
//! `(config-line)`, DHCP pool `(dhcp-config)`, named ACL
//! `(config-std-nacl)` / `(config-ext-nacl)`, and `router …`
//! `(config-router)` (`router rip` in `rip`; other protocols a placeholder).
//! Words may be abbreviated to any unique prefix; `?` lists what may come
//! next, [`Console::complete`] is Tab. The grammar is in [`grammar`], the
//! configuration commands in [`config`], `show running-config` in
//! [`render`], the `show` commands of running state in [`show`], the NAT
//! commands (`ip nat …`, `show ip nat …`, `clear ip nat translation *`,
//! `debug ip nat`) in `nat`, the RIP commands (`router rip`, `show ip rip
//! database`, `show ip protocols`, `debug ip rip`) in `rip`; spanning tree
//! (`spanning-tree …`, `show spanning-tree`) in `stp`.
//!
//! Limits, by design for now: a banner is one line; sub-interfaces accept
//! their commands but are not simulated; console line passwords are stored
//! and shown but the console port does not ask for them (the vty lines'
//! are asked over telnet: `device::router`'s vty sessions, each with a
//! [`Console::vty`] of its own); `debug ip nat` lines are printed before
//! the console's next answer rather than the moment a packet crosses.

use crate::lab::{Device, DeviceKind};

mod config;
pub(crate) mod grammar;
pub mod iface;
mod nat;
mod ospf;
mod probe;
pub mod render;
mod rip;
pub mod show;
mod stp;
mod svi;
mod vlan;

pub use grammar::Show;
pub use probe::PingOptions;
pub use show::{router, short_port, switch};

use grammar::{Cmd, MatchError, Pat};

/// Which line a `line` command configures.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// `line console 0`.
    Console,
    /// `line vty 0 4`.
    Vty,
}

/// The console's mode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// `R1>`.
    #[default]
    User,
    /// `R1#`.
    Priv,
    /// `R1(config)#`.
    Global,
    /// `R1(config-if)#` for these ports (`config-if-range` for several).
    Interface(Vec<usize>),
    /// A switch's `interface vlan N`.
    Vlan(u16),
    /// `R1(config-subif)#`: port and sub-interface number.
    Subif(usize, u32),
    /// `SW1(config-vlan)#`: a VLAN of the database (`vlan 10`).
    VlanDb(u16),
    /// `R1(config-line)#`.
    Line(LineKind),
    /// `R1(dhcp-config)#` for this pool.
    DhcpPool(String),
    /// `R1(config-std-nacl)#` / `(config-ext-nacl)#`.
    Nacl(String, lanlab_proto::firewall::AclKind),
    /// `R1(config-router)#` (a routing process not simulated).
    Router,
    /// `R1(config-router)#` under `router rip`.
    RouterRip,
    /// `R1(config-router)#` under `router ospf`.
    RouterOspf,
}

impl Mode {
    fn is_config(&self) -> bool {
        !matches!(self, Mode::User | Mode::Priv)
    }

    fn table(&self) -> &'static [&'static [Pat]] {
        match self {
            Mode::User => grammar::USER,
            Mode::Priv => grammar::PRIV,
            Mode::Global => grammar::GLOBAL,
            Mode::Interface(_) | Mode::Vlan(_) => grammar::INTERFACE,
            Mode::Subif(..) => grammar::SUBIF,
            Mode::VlanDb(_) => grammar::VLAN_DB,
            Mode::Line(_) => grammar::LINE,
            Mode::DhcpPool(_) => grammar::DHCP_POOL,
            Mode::Nacl(..) => grammar::NACL,
            Mode::Router => grammar::ROUTER,
            Mode::RouterRip => grammar::ROUTER_RIP,
            Mode::RouterOspf => grammar::ROUTER_OSPF,
        }
    }
}

/// What the engine does after a line, besides changing the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more.
    None,
    /// Print a `show` of running state (routes, ARP, leases…).
    Show(Show),
    /// `ping ADDRESS` and its options.
    Ping(PingOptions),
    /// `traceroute ADDRESS`.
    Traceroute(std::net::Ipv4Addr),
    /// `clear ip nat translation *`: the router's dynamic NAT entries go.
    ClearNat,
    /// `debug ip nat` (true) or `undebug all` / `no debug ip nat` (false).
    DebugNat(bool),
    /// `debug ip rip` (true) or `no debug ip rip` / `undebug ip rip` (false).
    DebugRip(bool),
    /// `debug ip ospf adj` on (true) or off.
    DebugOspf(bool),
    /// `reload`: the device restarts with [`Reply::config`] (the startup
    /// configuration) and loses its running state.
    Reload,
}

/// The console's answer to one line.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// What the console prints (IOS's words, English).
    pub text: String,
    /// Whether the line was accepted (a refused line changes nothing).
    pub ok: bool,
    /// The device's new configuration, when the line changed it.
    pub config: Option<Device>,
    /// What the engine must do besides.
    pub effect: Effect,
}

impl Reply {
    fn text(text: impl Into<String>) -> Self {
        Reply {
            text: text.into(),
            ok: true,
            config: None,
            effect: Effect::None,
        }
    }

    fn refused(text: impl Into<String>) -> Self {
        Reply {
            ok: false,
            ..Reply::text(text)
        }
    }
}

/// Lines `show history` keeps (IOS: 10 by default; a little more here).
pub const HISTORY: usize = 20;

/// One console session of a router or switch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Console {
    mode: Mode,
    history: Vec<String>,
    /// Waiting for the `enable` password.
    asking_secret: bool,
    /// Reading a saved configuration (`reload`): an `interface` line brings
    /// the interface up unless a `shutdown` line follows.
    loading: bool,
    /// A telnet (vty) session: `enable` without a secret is refused.
    vty: bool,
}

impl Console {
    /// A console at the user EXEC prompt.
    pub fn new() -> Self {
        Console::default()
    }

    /// The console of a telnet (vty) session, at the user EXEC prompt:
    /// as on IOS, `enable` over telnet needs an enable secret.
    pub fn vty() -> Self {
        Console {
            vty: true,
            ..Console::default()
        }
    }

    /// Whether `enable` is asking for the secret (the typed line is a
    /// password: not echoed).
    pub fn asking_password(&self) -> bool {
        self.asking_secret
    }

    /// Whether `line` ends an EXEC session: `exit`, `logout` or `quit`
    /// (or a prefix of one) at `R1>` or `R1#`.
    pub fn ends_session(&self, d: &Device, line: &str) -> bool {
        if self.asking_secret || self.mode.is_config() {
            return false;
        }
        let joined = iface::join_words(line);
        let ifaces = |w: &str| iface::resolve(d, w).is_some();
        grammar::parse(self.mode.table(), &joined, &ifaces).is_ok_and(|m| m.id == Cmd::Exit)
    }

    /// The current mode.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The commands typed, oldest first (`show history`, ↑/↓).
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// The prompt for device `d`: `R1>`, `R1#`, `R1(config-if)#`, or
    /// `Password: ` while `enable` asks for the secret.
    pub fn prompt(&self, d: &Device) -> String {
        if self.asking_secret {
            return "Password: ".into();
        }
        let n = &d.name;
        match &self.mode {
            Mode::User => format!("{n}>"),
            Mode::Priv => format!("{n}#"),
            Mode::Global => format!("{n}(config)#"),
            Mode::Interface(ports) if ports.len() > 1 => format!("{n}(config-if-range)#"),
            Mode::Interface(_) | Mode::Vlan(_) => format!("{n}(config-if)#"),
            Mode::Subif(..) => format!("{n}(config-subif)#"),
            Mode::VlanDb(_) => format!("{n}(config-vlan)#"),
            Mode::Line(_) => format!("{n}(config-line)#"),
            Mode::DhcpPool(_) => format!("{n}(dhcp-config)#"),
            Mode::Nacl(_, lanlab_proto::firewall::AclKind::Standard) => {
                format!("{n}(config-std-nacl)#")
            }
            Mode::Nacl(..) => format!("{n}(config-ext-nacl)#"),
            Mode::Router | Mode::RouterRip | Mode::RouterOspf => format!("{n}(config-router)#"),
        }
    }

    /// Whether `?` typed now (without Enter) should show help: always, as
    /// IOS does, except while a password is asked.
    pub fn wants_help(&self) -> bool {
        !self.asking_secret
    }

    /// The text `?` prints for the line typed so far (the `?` left out).
    pub fn help(&self, d: &Device, line: &str) -> String {
        let joined = iface::join_words(line);
        let ifaces = |w: &str| iface::resolve(d, w).is_some();
        match grammar::help(self.mode.table(), &joined, &ifaces) {
            Ok(t) => t,
            Err(e) => Self::error_text(self.prompt(d).chars().count(), e),
        }
    }

    /// Tab: the line with its last word completed when exactly one keyword fits.
    pub fn complete(&self, d: &Device, line: &str) -> String {
        let ifaces = |w: &str| iface::resolve(d, w).is_some();
        grammar::complete(self.mode.table(), line, &ifaces)
    }

    /// IOS's words for a line that did not match; `pad` is the width of
    /// what stands before the line (the prompt).
    fn error_text(pad: usize, e: MatchError) -> String {
        match e {
            MatchError::Invalid(at) => format!(
                "{}^\n% Invalid input detected at '^' marker.\n",
                " ".repeat(pad + at)
            ),
            MatchError::Incomplete => "% Incomplete command.\n".into(),
            MatchError::Ambiguous(s) => format!("% Ambiguous command: \"{s}\"\n"),
        }
    }

    /// Runs one line typed at the console of `d` (its document configuration).
    pub fn exec(&mut self, d: &Device, line: &str) -> Reply {
        if self.asking_secret {
            self.asking_secret = false;
            return if !d.ios.enable_secret.is_empty()
                && lanlab_doc::ios::hash_secret(line.trim_end_matches(['\r', '\n']))
                    == d.ios.enable_secret
            {
                self.mode = Mode::Priv;
                Reply::text("")
            } else {
                Reply::refused("% Bad secrets\n\n")
            };
        }
        // Ctrl+Z: back to privileged EXEC from any configuration mode.
        if line.contains('\u{1a}') {
            if self.mode.is_config() {
                self.mode = Mode::Priv;
            }
            return Reply::text("");
        }
        let trimmed = line.trim_end();
        if let Some(before) = trimmed.strip_suffix('?') {
            return Reply::text(self.help(d, before));
        }
        if trimmed.trim().is_empty() {
            return Reply::text("");
        }
        self.history.push(trimmed.trim().to_string());
        if self.history.len() > HISTORY {
            self.history.remove(0);
        }
        let pad = self.prompt(d).chars().count();
        self.run(d, trimmed, pad)
    }

    /// Matches and runs `line`; `offset` is the width before it (prompt,
    /// `do `), for carets.
    fn run(&mut self, d: &Device, line: &str, offset: usize) -> Reply {
        let joined = iface::join_words(line);
        let ifaces = |w: &str| iface::resolve(d, w).is_some();
        let mut parsed = grammar::parse(self.mode.table(), &joined, &ifaces);
        // A global command typed in a sub-mode runs and leaves the sub-mode.
        if parsed.is_err()
            && self.mode.is_config()
            && self.mode != Mode::Global
            && let Ok(m) = grammar::parse(grammar::GLOBAL, &joined, &ifaces)
            && !matches!(m.id, Cmd::Exit | Cmd::End | Cmd::Do)
        {
            self.mode = Mode::Global;
            parsed = Ok(m);
        }
        let m = match parsed {
            Ok(m) => m,
            Err(e) => return Reply::refused(Self::error_text(offset, e)),
        };
        // A switch has no IP stack in the simulation: no ping from it.
        if d.kind == DeviceKind::Switch && matches!(m.id, Cmd::Ping | Cmd::Traceroute | Cmd::Telnet)
        {
            let at = joined.len() - joined.trim_start().len();
            return Reply::refused(Self::error_text(offset, MatchError::Invalid(at)));
        }
        match m.id {
            Cmd::Do if self.mode.is_config() => {
                let rest = m.args.first().cloned().unwrap_or_default();
                let at = joined.len() - joined.trim_start().len()
                    + joined.trim_start().find(char::is_whitespace).unwrap_or(0);
                let at = joined[at..]
                    .find(|c: char| !c.is_whitespace())
                    .map_or(at, |k| at + k);
                let saved = std::mem::replace(&mut self.mode, Mode::Priv);
                let r = self.run(d, &rest, at + offset);
                // `do` never leaves the configuration mode (unless it reloaded).
                if r.effect != Effect::Reload {
                    self.mode = saved;
                }
                r
            }
            Cmd::Ping | Cmd::Traceroute => probe::reply(d, m.id, &joined, offset),
            _ => self.command(d, &joined, m),
        }
    }

    fn command(&mut self, d: &Device, line: &str, m: grammar::Matched) -> Reply {
        match m.id {
            Cmd::Enable => {
                if self.mode == Mode::User && !d.ios.enable_secret.is_empty() {
                    self.asking_secret = true;
                } else if self.mode == Mode::User && self.vty {
                    return Reply::refused("% No password set\n");
                } else {
                    self.mode = Mode::Priv;
                }
                Reply::text("")
            }
            Cmd::Disable => {
                self.mode = Mode::User;
                Reply::text("")
            }
            Cmd::Exit if !self.mode.is_config() => {
                self.mode = Mode::User;
                Reply::text(format!(
                    "\n{} con0 is now available\n\nPress RETURN to get started.\n\n",
                    d.name
                ))
            }
            Cmd::Exit => {
                self.mode = match self.mode {
                    Mode::Global => Mode::Priv,
                    _ => Mode::Global,
                };
                Reply::text("")
            }
            Cmd::End => {
                self.mode = Mode::Priv;
                Reply::text("")
            }
            Cmd::ConfT => {
                self.mode = Mode::Global;
                Reply::text("Enter configuration commands, one per line.  End with CNTL/Z.\n")
            }
            Cmd::Show(Show::History) => {
                let mut t = String::new();
                for h in &self.history {
                    t.push_str(&format!("  {h}\n"));
                }
                Reply::text(t)
            }
            Cmd::Show(Show::Running) => Reply::text(format!(
                "Building configuration...\n\n{}",
                render::running_config(d)
            )),
            Cmd::Show(Show::Startup) => Reply::text(match &d.ios.startup {
                Some(s) => s.clone(),
                None => "startup-config is not present\n".into(),
            }),
            Cmd::Show(Show::Version) => Reply::text(render::version(d)),
            Cmd::Show(s) => Reply {
                effect: Effect::Show(stp::show_of(s, &m)),
                ..Reply::text("")
            },
            Cmd::Telnet => {
                let Some(_a) = m
                    .args
                    .first()
                    .and_then(|a| a.parse::<std::net::Ipv4Addr>().ok())
                else {
                    return Reply::refused("% Unrecognized host or address.\n");
                };
                Reply::refused("% lanlab: telnet from a router's console is not simulated yet.\n")
            }
            Cmd::CopyRunStart | Cmd::WriteMem => {
                let mut next = d.clone();
                next.ios.startup = Some(render::running_config(d));
                let head = if m.id == Cmd::CopyRunStart {
                    "Destination filename [startup-config]? \n"
                } else {
                    ""
                };
                Reply {
                    config: (next != *d).then_some(next),
                    ..Reply::text(format!("{head}Building configuration...\n[OK]\n"))
                }
            }
            Cmd::EraseStart => {
                let mut next = d.clone();
                next.ios.startup = None;
                Reply {
                    config: (next != *d).then_some(next),
                    ..Reply::text(
                        "Erasing the nvram filesystem will remove all configuration files! Continue? [confirm]\n[OK]\nErase of nvram: complete\n",
                    )
                }
            }
            Cmd::Reload => self.reload(d),
            Cmd::Ospf(ospf::OspfCmd::Debug(on)) => Reply {
                effect: Effect::DebugOspf(on),
                ..Reply::text(if on {
                    "OSPF adjacency debugging is on\n"
                } else {
                    "OSPF adjacency debugging is off\n"
                })
            },
            Cmd::Nat(nat::NatCmd::Clear) => Reply {
                effect: Effect::ClearNat,
                ..Reply::text("")
            },
            Cmd::Nat(nat::NatCmd::Debug(on)) => Reply {
                effect: Effect::DebugNat(on),
                ..Reply::text(if on {
                    "IP NAT debugging is on\n"
                } else {
                    "All possible debugging has been turned off\n"
                })
            },
            Cmd::Rip(rip::RipCmd::Debug(on)) => Reply {
                effect: Effect::DebugRip(on),
                ..Reply::text(if on {
                    "RIP protocol debugging is on\n"
                } else {
                    "RIP protocol debugging is off\n"
                })
            },
            _ => {
                let mut next = d.clone();
                match config::apply(self, &mut next, line, &m) {
                    Ok(text) => Reply {
                        config: (next != *d).then_some(next),
                        ..Reply::text(text)
                    },
                    Err(text) => Reply::refused(text),
                }
            }
        }
    }

    /// `reload`: the configuration becomes the startup configuration (or
    /// the factory one when none was saved); the console starts over.
    fn reload(&mut self, d: &Device) -> Reply {
        let modified = d.ios.startup.as_deref() != Some(render::running_config(d).as_str());
        let next = startup_device(d);
        *self = Console {
            history: std::mem::take(&mut self.history),
            vty: self.vty,
            ..Console::default()
        };
        let mut text = String::new();
        if modified {
            text.push_str("System configuration has been modified. Changes are not saved.\n");
        }
        text.push_str("Proceed with reload? [confirm]\n\n%SYS-5-RELOAD: Reload requested by console.\n\nSystem Bootstrap, Version 15.1(4)M4, RELEASE SOFTWARE (fc1)\n\n");
        if !next.ios.banner_motd.is_empty() {
            text.push_str(&format!("{}\n", next.ios.banner_motd));
        }
        text.push_str("\nPress RETURN to get started!\n\n");
        Reply {
            config: Some(next),
            effect: Effect::Reload,
            ..Reply::text(text)
        }
    }
}

/// What `d` becomes after `reload`: its IOS configuration cleared (a
/// router's interfaces shut down, as from the factory) and the saved
/// startup configuration read back, line by line. The hostname stays when
/// nothing was saved.
pub fn startup_device(d: &Device) -> Device {
    let mut next = d.clone();
    for p in &mut next.ports {
        p.ip = crate::config::IpConfig::None;
        p.shutdown = d.kind == DeviceKind::Router;
        p.description.clear();
    }
    next.routes.clear();
    next.services.dhcp = None;
    next.services.dhcp_relay.clear();
    next.services.acl = None;
    next.ios = lanlab_doc::ios::IosSettings {
        startup: d.ios.startup.clone(),
        ..Default::default()
    };
    let Some(text) = d.ios.startup.clone() else {
        return next;
    };
    let mut c = Console {
        mode: Mode::Global,
        loading: true,
        ..Console::default()
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('!') || line == "end" {
            continue;
        }
        let r = c.run(&next, line, 0);
        if let Some(cfg) = r.config {
            next = cfg;
        }
    }
    next
}

#[cfg(test)]
mod tests;
