//! The command prompt of a host: parses a command line and prints what the
//! Windows tools print. `ping` and `tracert` run over virtual time
//! ([`run`]); `ipconfig`, `arp -a`, `netstat` and `help` answer at once.

use std::net::Ipv4Addr;

use lanlab_proto::SimTime;
use lanlab_proto::net::arp::EntryKind;

use crate::device::Host;

pub mod ios;
pub mod run;
pub mod telnet;

/// What `ping` or `tracert` is aimed at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An address.
    Addr(Ipv4Addr),
    /// A name, resolved with DNS first.
    Name(String),
}

/// A parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `ping [-n count] target`.
    Ping {
        /// Address or name to ping.
        target: Target,
        /// Echo requests to send.
        count: u16,
    },
    /// `tracert [-h max_hops] target`.
    Tracert {
        /// Address or name to trace.
        target: Target,
        /// Maximum hops.
        max_hops: u8,
    },
    /// `ipconfig [/all]`.
    Ipconfig {
        /// With `/all`.
        all: bool,
    },
    /// `ipconfig /release` (`release`) or `ipconfig /renew`.
    IpconfigDhcp {
        /// Release rather than renew.
        release: bool,
    },
    /// `nslookup [-type=X] name [server]`.
    Nslookup(lanlab_proto::dns::NslookupCommand),
    /// `arp -a`.
    Arp,
    /// `netstat [-a]`.
    Netstat,
    /// `telnet host [port]`: a raw TCP terminal (port 23 by default).
    Telnet {
        /// Server address.
        host: Ipv4Addr,
        /// TCP port.
        port: u16,
    },
    /// `help`.
    Help,
}

/// Why a command line was refused, as the prompt prints it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShellError {
    /// Nothing typed.
    #[error("")]
    Empty,
    /// A program that does not exist.
    #[error(
        "'{0}' is not recognized as an internal or external command,\noperable program or batch file. Type help to see the commands this device knows."
    )]
    Unknown(String),
    /// A target that is not an address.
    #[error("Ping request could not find host {0}. Please check the name and try again.")]
    BadHost(String),
    /// Wrong arguments.
    #[error("{0}")]
    Usage(&'static str),
    /// `nslookup` did not understand its arguments.
    #[error("*** {0}")]
    Nslookup(String),
}

const PING_USAGE: &str = "Usage: ping [-n count] target_name";
const TRACERT_USAGE: &str = "Usage: tracert [-h maximum_hops] target_name";

/// Parses a command line.
///
/// # Errors
/// [`ShellError`], whose text is what the prompt prints.
pub fn parse(line: &str) -> Result<Command, ShellError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some((&cmd, args)) = words.split_first() else {
        return Err(ShellError::Empty);
    };
    let cmd = cmd.to_ascii_lowercase();
    let cmd = cmd.strip_suffix(".exe").unwrap_or(&cmd);
    match cmd {
        "ping" => {
            let (opts, target) = target_and_option(args, "-n", PING_USAGE)?;
            let count = match opts {
                Some(n) => n
                    .parse::<u16>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(ShellError::Usage(
                        "Bad value for option -n, valid range is from 1 to 65535.",
                    ))?,
                None => 4,
            };
            Ok(Command::Ping {
                target: address(target)?,
                count,
            })
        }
        "tracert" | "traceroute" => {
            let (opts, target) = target_and_option(args, "-h", TRACERT_USAGE)?;
            let max_hops = match opts {
                Some(n) => n
                    .parse::<u8>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(ShellError::Usage(
                        "Bad value for option -h, valid range is from 1 to 255.",
                    ))?,
                None => 30,
            };
            Ok(Command::Tracert {
                target: address(target)?,
                max_hops,
            })
        }
        "ipconfig" => match args {
            [] => Ok(Command::Ipconfig { all: false }),
            [a] if a.eq_ignore_ascii_case("/all") => Ok(Command::Ipconfig { all: true }),
            [a] if a.eq_ignore_ascii_case("/release") => {
                Ok(Command::IpconfigDhcp { release: true })
            }
            [a] if a.eq_ignore_ascii_case("/renew") => Ok(Command::IpconfigDhcp { release: false }),
            _ => Err(ShellError::Usage(
                "Usage: ipconfig [/all | /release | /renew]",
            )),
        },
        "nslookup" => match lanlab_proto::dns::parse_nslookup(line) {
            Ok(c) => Ok(Command::Nslookup(c)),
            Err(lanlab_proto::dns::stub::NslookupError::Usage) => Err(ShellError::Usage(
                "Usage: nslookup [-type=A|AAAA|CNAME|MX|NS|PTR|SOA|SRV|TXT] name [server]",
            )),
            Err(e) => Err(ShellError::Nslookup(e.to_string())),
        },
        "arp" => match args {
            [a] if a.eq_ignore_ascii_case("-a") || a.eq_ignore_ascii_case("-g") => Ok(Command::Arp),
            _ => Err(ShellError::Usage("Usage: arp -a")),
        },
        "netstat" => Ok(Command::Netstat),
        "telnet" => match args {
            [h] | [h, _] => {
                let host = h.parse().map_err(|_| {
                    ShellError::Usage(
                        "telnet needs the server's IPv4 address: telnet 192.168.1.1 25",
                    )
                })?;
                let port = match args.get(1) {
                    Some(p) => p
                        .parse::<u16>()
                        .ok()
                        .filter(|p| *p > 0)
                        .ok_or(ShellError::Usage("Bad port: use a number from 1 to 65535."))?,
                    None => 23,
                };
                Ok(Command::Telnet { host, port })
            }
            _ => Err(ShellError::Usage("Usage: telnet host [port]")),
        },
        "help" | "?" => Ok(Command::Help),
        other => Err(ShellError::Unknown(other.to_string())),
    }
}

fn target_and_option<'a>(
    args: &[&'a str],
    flag: &str,
    usage: &'static str,
) -> Result<(Option<&'a str>, &'a str), ShellError> {
    match args {
        [t] if !t.starts_with('-') => Ok((None, t)),
        [f, n, t] if f.eq_ignore_ascii_case(flag) => Ok((Some(n), t)),
        [t, f, n] if f.eq_ignore_ascii_case(flag) => Ok((Some(n), t)),
        _ => Err(ShellError::Usage(usage)),
    }
}

fn address(s: &str) -> Result<Target, ShellError> {
    if let Ok(a) = s.parse() {
        return Ok(Target::Addr(a));
    }
    let looks_numeric = s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if looks_numeric || lanlab_proto::dns::Name::parse(s).is_err() {
        return Err(ShellError::BadHost(s.to_string()));
    }
    Ok(Target::Name(s.trim_end_matches('.').to_string()))
}

/// The text of `help`.
pub fn help() -> String {
    "Commands:\n\
     \x20 ping [-n count] ADDRESS     send ICMP echo requests\n\
     \x20 tracert [-h hops] ADDRESS   list the routers on the way\n\
     \x20 ipconfig [/all]             show this device's IP settings\n\
     \x20 arp -a                      show the ARP cache\n\
     \x20 netstat                     show open sockets\n\
     \x20 telnet ADDRESS PORT         type SMTP/POP3/IMAP lines to a server\n\
     \x20 telnet ADDRESS              log in to a router (its vty lines)\n\
     \x20 help                        this list\n"
        .to_string()
}

/// The text of `ipconfig` (or `ipconfig /all`); `start_unix` dates leases.
pub fn ipconfig(host: &Host, all: bool, start_unix: u64) -> String {
    let mut out = String::from("\nWindows IP Configuration\n\n");
    let date = |t: SimTime| lanlab_proto::http::format_http_date(start_unix + t.0 / 1_000_000);
    for (k, i) in host.interfaces().into_iter().enumerate() {
        let lease = host.dhcp_client(k).and_then(|c| c.config());
        let autoconf =
            lease.is_some_and(|l| l.source == lanlab_proto::dhcp::ConfigSource::Autoconfig);
        out.push_str(&format!("\nEthernet adapter {}:\n\n", i.name));
        out.push_str("   Connection-specific DNS Suffix  . : \n");
        if all {
            let mac = i.mac.to_string().to_uppercase().replace(':', "-");
            out.push_str(&format!("   Physical Address. . . . . . . . . : {mac}\n"));
            out.push_str(&format!(
                "   DHCP Enabled. . . . . . . . . . . : {}\n",
                if i.dhcp { "Yes" } else { "No" }
            ));
        }
        match i.net {
            Some(n) => {
                let label = if autoconf {
                    "   Autoconfiguration IPv4 Address. . :"
                } else {
                    "   IPv4 Address. . . . . . . . . . . :"
                };
                let preferred = if all && lease.is_some() && !autoconf {
                    "(Preferred)"
                } else {
                    ""
                };
                out.push_str(&format!("{label} {}{preferred}\n", n.addr));
                out.push_str(&format!(
                    "   Subnet Mask . . . . . . . . . . . : {}\n",
                    n.mask()
                ));
            }
            None if i.dhcp => {
                out.push_str("   IPv4 Address. . . . . . . . . . . : (waiting for DHCP)\n")
            }
            None => out.push_str("   Media State . . . . . . . . . . . : no IPv4 address set\n"),
        }
        out.push_str(&format!(
            "   Default Gateway . . . . . . . . . : {}\n",
            i.gateway.map(|g| g.to_string()).unwrap_or_default()
        ));
        if all
            && let Some(l) = lease
            && !autoconf
        {
            out.push_str(&format!(
                "   Lease Obtained. . . . . . . . . . : {}\n",
                date(l.obtained)
            ));
            out.push_str(&format!(
                "   Lease Expires . . . . . . . . . . : {}\n",
                l.expires
                    .map(date)
                    .unwrap_or_else(|| "never (infinite lease)".into())
            ));
            if let Some(s) = l.server {
                out.push_str(&format!("   DHCP Server . . . . . . . . . . . : {s}\n"));
            }
        }
        if all && !i.dns.is_empty() {
            let dns: Vec<String> = i.dns.iter().map(ToString::to_string).collect();
            out.push_str(&format!(
                "   DNS Servers . . . . . . . . . . . : {}\n",
                dns.join("\n                                       ")
            ));
        }
    }
    out
}

/// The text of `arp -a`.
pub fn arp(host: &Host, now: SimTime) -> String {
    let tables = host.arp_table(now);
    if tables.iter().all(|(_, e)| e.is_empty()) {
        return "No ARP Entries Found.\n".to_string();
    }
    let mut out = String::new();
    for (k, (addr, entries)) in tables.iter().enumerate() {
        out.push_str(&format!("\nInterface: {addr} --- 0x{:x}\n", k + 1));
        out.push_str("  Internet Address      Physical Address      Type\n");
        for e in entries {
            let mac = e.mac.to_string().replace(':', "-");
            let kind = match e.kind {
                EntryKind::Dynamic => "dynamic",
                EntryKind::Static => "static",
            };
            out.push_str(&format!("  {:<22}{:<22}{kind}\n", e.ip.to_string(), mac));
        }
    }
    out
}

/// The text of `netstat`.
pub fn netstat(host: &Host) -> String {
    let mut out = String::from(
        "\nActive Connections\n\n  Proto  Local Address          Foreign Address        State\n",
    );
    let me = host.primary_address().unwrap_or(Ipv4Addr::UNSPECIFIED);
    for l in host.tcp.sockets() {
        let state = match l.state {
            lanlab_proto::tcp::State::Listen => "LISTENING".to_string(),
            s => s.to_string().replace('-', "_"),
        };
        let local = if l.local.ip().is_unspecified() {
            format!("0.0.0.0:{}", l.local.port())
        } else {
            l.local.to_string()
        };
        out.push_str(&format!(
            "  TCP    {:<23}{:<23}{state}\n",
            local,
            l.remote.to_string()
        ));
    }
    for p in host.udp.ports() {
        out.push_str(&format!(
            "  UDP    {:<23}{:<23}\n",
            format!("{me}:{p}"),
            "*:*"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_windows() {
        assert_eq!(
            parse("ping 10.0.0.1"),
            Ok(Command::Ping {
                target: Target::Addr(Ipv4Addr::new(10, 0, 0, 1)),
                count: 4
            })
        );
        assert_eq!(
            parse("PING -n 2 10.0.0.1"),
            Ok(Command::Ping {
                target: Target::Addr(Ipv4Addr::new(10, 0, 0, 1)),
                count: 2
            })
        );
        assert_eq!(
            parse("tracert 10.0.0.1"),
            Ok(Command::Tracert {
                target: Target::Addr(Ipv4Addr::new(10, 0, 0, 1)),
                max_hops: 30
            })
        );
        assert_eq!(parse("ipconfig /all"), Ok(Command::Ipconfig { all: true }));
        assert_eq!(parse("arp -a"), Ok(Command::Arp));
        let e = parse("foo bar").unwrap_err();
        assert!(e.to_string().starts_with("'foo' is not recognized"), "{e}");
        assert_eq!(
            parse("ping hasan.com"),
            Ok(Command::Ping {
                target: Target::Name("hasan.com".into()),
                count: 4
            })
        );
        assert_eq!(
            parse("ping 10.0.0.300").unwrap_err().to_string(),
            "Ping request could not find host 10.0.0.300. Please check the name and try again."
        );
        assert_eq!(
            parse("ipconfig /renew"),
            Ok(Command::IpconfigDhcp { release: false })
        );
        assert!(matches!(
            parse("nslookup -type=mx hasan.com"),
            Ok(Command::Nslookup(_))
        ));
        assert_eq!(parse("ping").unwrap_err(), ShellError::Usage(PING_USAGE));
        assert_eq!(parse("   "), Err(ShellError::Empty));
        assert!(help().contains("tracert"));
    }
}
