//! A parser for the IOS access-list commands students type, with errors that
//! name the problem:
//!
//! ```text
//! access-list 10 permit 192.168.1.0 0.0.0.255
//! access-list 101 deny tcp any any eq 110
//! access-list 101 permit ip any any
//! ip access-list extended WEB
//!  10 permit tcp 192.168.1.0/24 host 192.168.1.1 eq www
//!  no 10
//! interface GigabitEthernet0/0
//!  ip access-group 101 in
//! ```
//!
//! Prefixes (`192.168.1.0/24`) are accepted where IOS wants an address and a
//! wildcard, as a lanlab convenience.

use std::net::Ipv4Addr;

use super::acl::{
    AccessList, AclConfig, AclEntry, AclKind, AclMatch, AclProtocol, AddrSpec, ICMP_TYPES, PortOp,
    port_by_name,
};
use super::packet::{Action, Direction, Ipv4Prefix, parse_ipv4, prefix_mask};

/// Why a line was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AclParseError {
    /// Nothing on the line.
    #[error("empty line")]
    Empty,
    /// A command this parser does not know.
    #[error("unknown command {0:?}")]
    UnknownCommand(String),
    /// An access-list number outside the IOS ranges.
    #[error(
        "access list number {0} is out of range: 1-99 and 1300-1999 are standard, 100-199 and 2000-2699 extended"
    )]
    BadListNumber(String),
    /// Not permit/deny/remark.
    #[error("expected permit, deny or remark, found {0:?}")]
    ExpectedAction(String),
    /// A protocol name or number that does not exist.
    #[error("unknown protocol {0:?}: use ip, icmp, tcp, udp or a number 0-255")]
    UnknownProtocol(String),
    /// A standard list was given a protocol.
    #[error(
        "standard access lists match only a source address, found {0:?}: use an extended list (100-199)"
    )]
    StandardHasProtocol(String),
    /// Something that should be an address is not.
    #[error("{0:?} is not an IPv4 address")]
    BadAddress(String),
    /// Something that should be a wildcard mask is not.
    #[error("{0:?} is not a wildcard mask (like 0.0.0.255)")]
    BadWildcard(String),
    /// A `/len` above 32.
    #[error("prefix {0:?} is not valid: the length must be 0-32")]
    BadPrefix(String),
    /// The line ends where something is still needed.
    #[error("missing {0}")]
    Missing(&'static str),
    /// A port that is neither a number nor a known keyword.
    #[error("{0:?} is not a port number (0-65535) or a known {1} port name")]
    BadPort(String, String),
    /// A port operator on a protocol without ports.
    #[error("port operators (eq, neq, lt, gt, range) apply only to tcp and udp")]
    PortsNeedTcpUdp,
    /// `range a b` with a > b.
    #[error("range {0} {1}: the first port must not be above the second")]
    BadRange(u16, u16),
    /// `established` on a non-TCP entry.
    #[error("established applies only to tcp")]
    EstablishedNeedsTcp,
    /// Leftover words.
    #[error("unexpected {0:?} at the end of the line")]
    Trailing(String),
    /// A sequence number that is not 1-2147483647.
    #[error("{0:?} is not a sequence number (1-2147483647)")]
    BadSequence(String),
    /// An entry with a sequence number that is already used.
    #[error("sequence number {0} is already used in list {1}")]
    DuplicateSequence(u32, String),
    /// A list name used with the other kind.
    #[error("list {0} is a {1} list")]
    KindMismatch(String, AclKind),
    /// `in` or `out` expected.
    #[error("expected in or out, found {0:?}")]
    BadDirection(String),
    /// A command that needs another configuration mode.
    #[error("{0} is only valid in {1} configuration mode")]
    WrongMode(&'static str, &'static str),
}

/// Where the command line is, as in IOS's `(config)`, `(config-if)`, `(config-ext-nacl)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ConfigMode {
    /// Global configuration.
    #[default]
    Global,
    /// Under `interface NAME`.
    Interface(String),
    /// Under `ip access-list standard|extended NAME`.
    NamedList(String, AclKind),
}

/// A parsed command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AclCommand {
    /// Add an entry (`seq` given only in named-list mode).
    Entry {
        /// List name or number.
        list: String,
        /// Kind the list must have.
        kind: AclKind,
        /// Explicit sequence number.
        seq: Option<u32>,
        /// Permit or deny.
        action: Action,
        /// What it matches.
        matcher: AclMatch,
    },
    /// A `remark`.
    Remark {
        /// List.
        list: String,
        /// Kind of the list.
        kind: AclKind,
        /// Text.
        text: String,
    },
    /// `no access-list N` / `no ip access-list KIND NAME`.
    DeleteList(String),
    /// `no SEQ` inside a named list.
    DeleteEntry(String, u32),
    /// `ip access-list KIND NAME`: enter named-list mode.
    EnterList(String, AclKind),
    /// `interface NAME`.
    EnterInterface(String),
    /// `exit` / `end`.
    Exit,
    /// `ip access-group LIST in|out` (interface mode).
    Bind(String, Direction, String),
    /// `no ip access-group LIST in|out` (interface mode).
    Unbind(String, Direction),
}

/// The kind of a numbered list, by its number.
pub fn kind_of_number(n: &str) -> Result<AclKind, AclParseError> {
    match n.parse::<u32>() {
        Ok(1..=99 | 1300..=1999) => Ok(AclKind::Standard),
        Ok(100..=199 | 2000..=2699) => Ok(AclKind::Extended),
        _ => Err(AclParseError::BadListNumber(n.chars().take(12).collect())),
    }
}

/// Parses one command line in `mode`.
///
/// # Errors
/// [`AclParseError`] naming what is wrong.
pub fn parse_line(line: &str, mode: &ConfigMode) -> Result<AclCommand, AclParseError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut t = Tokens { w: &words, i: 0 };
    let first = t.next().ok_or(AclParseError::Empty)?.to_ascii_lowercase();
    match (first.as_str(), mode) {
        ("exit" | "end", _) => t.end().map(|_| AclCommand::Exit),
        ("interface", _) => {
            let name = t
                .rest_joined()
                .ok_or(AclParseError::Missing("interface name"))?;
            Ok(AclCommand::EnterInterface(name))
        }
        ("access-list", _) => {
            let n = t
                .next()
                .ok_or(AclParseError::Missing("access list number"))?;
            let kind = kind_of_number(n)?;
            entry_or_remark(&mut t, n.to_string(), kind, None)
        }
        ("ip", _) => ip_command(&mut t, mode, false),
        ("no", _) => {
            let what = t.next().ok_or(AclParseError::Missing("what to remove"))?;
            match what.to_ascii_lowercase().as_str() {
                "access-list" => {
                    let n = t
                        .next()
                        .ok_or(AclParseError::Missing("access list number"))?;
                    kind_of_number(n)?;
                    t.end()?;
                    Ok(AclCommand::DeleteList(n.to_string()))
                }
                "ip" => ip_command(&mut t, mode, true),
                seq => match mode {
                    ConfigMode::NamedList(name, _) => {
                        let s = parse_seq(seq)?;
                        t.end()?;
                        Ok(AclCommand::DeleteEntry(name.clone(), s))
                    }
                    _ => Err(AclParseError::UnknownCommand(format!("no {what}"))),
                },
            }
        }
        (_, ConfigMode::NamedList(name, kind)) => {
            let seq = if first.bytes().all(|b| b.is_ascii_digit()) {
                Some(parse_seq(&first)?)
            } else {
                t.i -= 1;
                None
            };
            entry_or_remark(&mut t, name.clone(), *kind, seq)
        }
        (other, _) => Err(AclParseError::UnknownCommand(
            other.chars().take(30).collect(),
        )),
    }
}

fn ip_command(
    t: &mut Tokens,
    mode: &ConfigMode,
    negate: bool,
) -> Result<AclCommand, AclParseError> {
    let sub = t
        .next()
        .ok_or(AclParseError::Missing("access-list or access-group"))?;
    match sub.to_ascii_lowercase().as_str() {
        "access-list" => {
            let k = t
                .next()
                .ok_or(AclParseError::Missing("standard or extended"))?;
            let kind = match k.to_ascii_lowercase().as_str() {
                "standard" => AclKind::Standard,
                "extended" => AclKind::Extended,
                _ => return Err(AclParseError::UnknownCommand(format!("ip access-list {k}"))),
            };
            let name = t
                .next()
                .ok_or(AclParseError::Missing("list name"))?
                .to_string();
            if name.bytes().all(|b| b.is_ascii_digit()) {
                let numbered = kind_of_number(&name)?;
                if numbered != kind {
                    return Err(AclParseError::KindMismatch(name, numbered));
                }
            }
            t.end()?;
            Ok(if negate {
                AclCommand::DeleteList(name)
            } else {
                AclCommand::EnterList(name, kind)
            })
        }
        "access-group" => {
            let ConfigMode::Interface(iface) = mode else {
                return Err(AclParseError::WrongMode("ip access-group", "interface"));
            };
            let list = t
                .next()
                .ok_or(AclParseError::Missing("list name or number"))?;
            let d = t.next().ok_or(AclParseError::Missing("in or out"))?;
            let dir = match d.to_ascii_lowercase().as_str() {
                "in" => Direction::In,
                "out" => Direction::Out,
                _ => return Err(AclParseError::BadDirection(d.chars().take(20).collect())),
            };
            t.end()?;
            Ok(if negate {
                AclCommand::Unbind(iface.clone(), dir)
            } else {
                AclCommand::Bind(iface.clone(), dir, list.to_string())
            })
        }
        other => Err(AclParseError::UnknownCommand(format!(
            "ip {}",
            other.chars().take(30).collect::<String>()
        ))),
    }
}

fn parse_seq(s: &str) -> Result<u32, AclParseError> {
    s.parse::<u32>()
        .ok()
        .filter(|n| (1..=2_147_483_647).contains(n))
        .ok_or_else(|| AclParseError::BadSequence(s.chars().take(15).collect()))
}

struct Tokens<'a> {
    w: &'a [&'a str],
    i: usize,
}

impl<'a> Tokens<'a> {
    fn next(&mut self) -> Option<&'a str> {
        let w = self.w.get(self.i).copied();
        if w.is_some() {
            self.i += 1;
        }
        w
    }

    fn peek(&self) -> Option<String> {
        self.w.get(self.i).map(|w| w.to_ascii_lowercase())
    }

    fn rest_joined(&mut self) -> Option<String> {
        let rest = self.w.get(self.i..).filter(|r| !r.is_empty())?.join(" ");
        self.i = self.w.len();
        Some(rest)
    }

    fn end(&self) -> Result<(), AclParseError> {
        match self.w.get(self.i) {
            None => Ok(()),
            Some(w) => Err(AclParseError::Trailing(w.chars().take(30).collect())),
        }
    }
}

fn entry_or_remark(
    t: &mut Tokens,
    list: String,
    kind: AclKind,
    seq: Option<u32>,
) -> Result<AclCommand, AclParseError> {
    let a = t.next().ok_or(AclParseError::Missing("permit or deny"))?;
    let action = match a.to_ascii_lowercase().as_str() {
        "permit" => Action::Allow,
        "deny" => Action::Deny,
        "remark" => {
            let text = t.rest_joined().unwrap_or_default();
            return Ok(AclCommand::Remark { list, kind, text });
        }
        _ => return Err(AclParseError::ExpectedAction(a.chars().take(30).collect())),
    };
    let matcher = match kind {
        AclKind::Standard => {
            if let Some(w) = t.peek()
                && ["ip", "tcp", "udp", "icmp"].contains(&w.as_str())
            {
                return Err(AclParseError::StandardHasProtocol(w));
            }
            let source = addr_spec(t, "source address", true)?;
            AclMatch::Standard { source }
        }
        AclKind::Extended => extended(t)?,
    };
    if t.peek().as_deref() == Some("log") {
        t.next();
    }
    t.end()?;
    Ok(AclCommand::Entry {
        list,
        kind,
        seq,
        action,
        matcher,
    })
}

fn extended(t: &mut Tokens) -> Result<AclMatch, AclParseError> {
    let p = t.next().ok_or(AclParseError::Missing("protocol"))?;
    let protocol = match p.to_ascii_lowercase().as_str() {
        "ip" => AclProtocol::Ip,
        "icmp" => AclProtocol::Icmp,
        "tcp" => AclProtocol::Tcp,
        "udp" => AclProtocol::Udp,
        n => match n.parse::<u8>() {
            Ok(1) => AclProtocol::Icmp,
            Ok(6) => AclProtocol::Tcp,
            Ok(17) => AclProtocol::Udp,
            Ok(n) => AclProtocol::Number(n),
            Err(_) => return Err(AclParseError::UnknownProtocol(p.chars().take(20).collect())),
        },
    };
    let source = addr_spec(t, "source address", false)?;
    let source_port = port_op(t, protocol)?;
    let destination = addr_spec(t, "destination address", false)?;
    let destination_port = port_op(t, protocol)?;
    let mut icmp_type = None;
    if protocol == AclProtocol::Icmp
        && let Some(w) = t.peek()
    {
        if let Some((_, ty)) = ICMP_TYPES.iter().find(|(n, _)| *n == w) {
            icmp_type = Some(*ty);
            t.next();
        } else if let Ok(ty) = w.parse::<u8>() {
            icmp_type = Some(ty);
            t.next();
        }
    }
    let mut established = false;
    if t.peek().as_deref() == Some("established") {
        if protocol != AclProtocol::Tcp {
            return Err(AclParseError::EstablishedNeedsTcp);
        }
        established = true;
        t.next();
    }
    Ok(AclMatch::Extended {
        protocol,
        source,
        source_port,
        destination,
        destination_port,
        icmp_type,
        established,
    })
}

/// `any` | `host A` | `A W` | `A/len` | (standard only) `A` alone meaning host.
fn addr_spec(
    t: &mut Tokens,
    what: &'static str,
    standard: bool,
) -> Result<AddrSpec, AclParseError> {
    let w = t.next().ok_or(AclParseError::Missing(what))?;
    match w.to_ascii_lowercase().as_str() {
        "any" => return Ok(AddrSpec::Any),
        "host" => {
            let a = t.next().ok_or(AclParseError::Missing(what))?;
            return ip(a).map(AddrSpec::Host);
        }
        _ => {}
    }
    if w.contains('/') {
        let p: Ipv4Prefix = w.parse().map_err(|e| match e {
            super::packet::PrefixError::BadAddress(a) => AclParseError::BadAddress(a),
            super::packet::PrefixError::BadLength(_) => {
                AclParseError::BadPrefix(w.chars().take(30).collect())
            }
        })?;
        let wildcard = Ipv4Addr::from(!prefix_mask(p.prefix_len()));
        return Ok(AddrSpec::wildcard(p.addr(), wildcard));
    }
    let addr = ip(w)?;
    let next_is_addr = t
        .peek()
        .is_some_and(|n| n.bytes().next().is_some_and(|b| b.is_ascii_digit()) && n.contains('.'));
    if next_is_addr {
        let m = t.next().unwrap_or_default();
        let wildcard = m
            .parse::<Ipv4Addr>()
            .map_err(|_| AclParseError::BadWildcard(m.chars().take(30).collect()))?;
        return Ok(AddrSpec::wildcard(addr, wildcard));
    }
    if standard {
        Ok(AddrSpec::Host(addr))
    } else {
        Err(AclParseError::Missing(
            "wildcard mask after the address (or use host A.B.C.D)",
        ))
    }
}

fn ip(s: &str) -> Result<Ipv4Addr, AclParseError> {
    parse_ipv4(s).map_err(|_| AclParseError::BadAddress(s.chars().take(30).collect()))
}

fn port_op(t: &mut Tokens, proto: AclProtocol) -> Result<Option<PortOp>, AclParseError> {
    let Some(op) = t.peek() else { return Ok(None) };
    if !["eq", "neq", "lt", "gt", "range"].contains(&op.as_str()) {
        return Ok(None);
    }
    if !matches!(proto, AclProtocol::Tcp | AclProtocol::Udp) {
        return Err(AclParseError::PortsNeedTcpUdp);
    }
    t.next();
    let port = |t: &mut Tokens| -> Result<u16, AclParseError> {
        let w = t.next().ok_or(AclParseError::Missing("port"))?;
        port_by_name(proto, w)
            .ok_or_else(|| AclParseError::BadPort(w.chars().take(20).collect(), proto.to_string()))
    };
    let a = port(t)?;
    Ok(Some(match op.as_str() {
        "eq" => PortOp::Eq(a),
        "neq" => PortOp::Neq(a),
        "lt" => PortOp::Lt(a),
        "gt" => PortOp::Gt(a),
        _ => {
            let b = port(t)?;
            if a > b {
                return Err(AclParseError::BadRange(a, b));
            }
            PortOp::Range(a, b)
        }
    }))
}

impl AclConfig {
    /// Parses and applies one IOS line, tracking the configuration mode like the
    /// router's CLI (`interface …`, `ip access-list …`, `exit`).
    ///
    /// # Errors
    /// [`AclParseError`]; the configuration is unchanged then.
    pub fn apply_line(&mut self, mode: &mut ConfigMode, line: &str) -> Result<(), AclParseError> {
        let cmd = parse_line(line, mode)?;
        self.apply(mode, cmd)
    }

    /// Applies a parsed command.
    ///
    /// # Errors
    /// [`AclParseError`] for a duplicate sequence number or a list of the other kind.
    pub fn apply(&mut self, mode: &mut ConfigMode, cmd: AclCommand) -> Result<(), AclParseError> {
        // A global command typed in a sub-mode runs and leaves the sub-mode, as in IOS.
        let global = match &cmd {
            AclCommand::Entry { list, .. } | AclCommand::Remark { list, .. } => {
                !matches!(mode, ConfigMode::NamedList(n, _) if n == list)
            }
            AclCommand::DeleteList(_) => true,
            _ => false,
        };
        if global {
            *mode = ConfigMode::Global;
        }
        match cmd {
            AclCommand::Entry {
                list,
                kind,
                seq,
                action,
                matcher,
            } => {
                let l = self.list_mut(&list, kind)?;
                let seq = match seq {
                    Some(s) if l.entries.iter().any(|e| e.seq == s) => {
                        return Err(AclParseError::DuplicateSequence(s, list));
                    }
                    Some(s) => s,
                    None => l
                        .entries
                        .iter()
                        .map(|e| e.seq)
                        .max()
                        .unwrap_or(0)
                        .saturating_add(10),
                };
                l.entries.push(AclEntry {
                    seq,
                    action,
                    matcher,
                });
                crate::order::sort_by_key(&mut l.entries, |e| e.seq);
            }
            AclCommand::Remark { list, kind, text } => {
                self.list_mut(&list, kind)?.remarks.push(text)
            }
            AclCommand::DeleteList(name) => self.lists.retain(|l| l.name != name),
            AclCommand::DeleteEntry(name, seq) => {
                if let Some(l) = self.lists.iter_mut().find(|l| l.name == name) {
                    l.entries.retain(|e| e.seq != seq);
                }
            }
            AclCommand::EnterList(name, kind) => {
                self.list_mut(&name, kind)?;
                *mode = ConfigMode::NamedList(name, kind);
            }
            AclCommand::EnterInterface(name) => *mode = ConfigMode::Interface(name),
            AclCommand::Exit => *mode = ConfigMode::Global,
            AclCommand::Bind(iface, dir, list) => self.bind(&iface, dir, &list),
            AclCommand::Unbind(iface, dir) => self.unbind(&iface, dir),
        }
        Ok(())
    }

    fn list_mut(&mut self, name: &str, kind: AclKind) -> Result<&mut AccessList, AclParseError> {
        let i = match self.lists.iter().position(|l| l.name == name) {
            Some(i) if self.lists[i].kind != kind => {
                return Err(AclParseError::KindMismatch(
                    name.to_string(),
                    self.lists[i].kind,
                ));
            }
            Some(i) => i,
            None => {
                self.lists.push(AccessList::new(name, kind));
                self.lists.len() - 1
            }
        };
        Ok(&mut self.lists[i])
    }
}
