//! `lanlab serve`: the services of one device of a lab on real sockets, so
//! real clients (dig, Python's smtplib, curl, …) can talk to the same proto
//! engines the simulator runs.
//!
//! This is the native bridge: std threads and std::net, one thread per
//! listener and per TCP connection, each feeding an engine's `handle_input`
//! and writing what `poll_output` gives back. Time is the process's monotonic
//! clock mapped onto [`SimTime`] ([`Clock`]); engines stay sans-IO.
//!
//! Safety of the lab network: it binds 127.0.0.1 unless `--bind` names
//! another address, it only ever answers the peer that asked (DHCP replies
//! are unicast to the sender: loopback has no broadcast), and it originates
//! no traffic of its own (no SMTP relay, no recursive DNS queries upstream).
//!
//! `--submission [PORT]` serves message submission (RFC 6409): the SMTP
//! engine with AUTH PLAIN/LOGIN required (RFC 4954), as the simulator mounts
//! on the lab's submission listener (port 587 when no PORT is given).

mod clock;
mod config;
mod dhcp;
mod dns;
mod firewall;
mod http;
mod mail;
mod stream;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::sync::{Arc, Mutex};
use std::thread;

pub use clock::Clock;
pub use config::{DnsSetup, Services};

/// A service `lanlab serve` can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    /// DNS over UDP and TCP.
    Dns,
    /// DHCP over UDP.
    Dhcp,
    /// SMTP.
    Smtp,
    /// Message submission (RFC 6409): SMTP that asks for `AUTH` first.
    Submission,
    /// POP3.
    Pop3,
    /// IMAP.
    Imap,
    /// HTTP.
    Http,
}

impl Service {
    /// Every service, in the order the `listening` lines are printed.
    pub const ALL: [Service; 7] = [
        Service::Dns,
        Service::Dhcp,
        Service::Smtp,
        Service::Submission,
        Service::Pop3,
        Service::Imap,
        Service::Http,
    ];

    /// The port the service has in the lab (what firewall rules name).
    pub fn lab_port(self) -> u16 {
        match self {
            Service::Dns => 53,
            Service::Dhcp => 67,
            Service::Smtp => 25,
            Service::Submission => SUBMISSION_PORT,
            Service::Pop3 => 110,
            Service::Imap => 143,
            Service::Http => 80,
        }
    }

    /// The name used in flags and in `listening` lines.
    pub fn name(self) -> &'static str {
        match self {
            Service::Dns => "dns",
            Service::Dhcp => "dhcp",
            Service::Smtp => "smtp",
            Service::Submission => "submission",
            Service::Pop3 => "pop3",
            Service::Imap => "imap",
            Service::Http => "http",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The submission port (RFC 6409 §3.1), what a bare `--submission` binds.
pub const SUBMISSION_PORT: u16 = 587;

/// Options of `lanlab serve`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServeOptions {
    /// The lab file.
    pub path: String,
    /// The device whose services run.
    pub device: String,
    /// The address to bind (127.0.0.1 unless given).
    pub bind: IpAddr,
    /// Whether `--bind` was given.
    pub bind_given: bool,
    /// Ports asked for, per service (0 = any free port).
    pub ports: Vec<(Service, u16)>,
}

/// The usage lines of `lanlab serve`.
pub const USAGE: &str = "       lanlab serve LAB.json --device NAME [--bind 127.0.0.1] [--dns PORT] [--dhcp PORT]\n                    [--smtp PORT] [--submission [PORT]] [--pop3 PORT] [--imap PORT] [--http PORT]\n         (no port flag: every service of the device, each on a free port; port 0: a free port;\n          --submission alone: port 587, where mail clients log in with AUTH PLAIN/LOGIN to send)\n";

/// Parses the arguments after `serve`.
///
/// # Errors
/// A usage message naming the bad argument.
pub fn parse_args(args: &[String]) -> Result<ServeOptions, String> {
    let mut path = None;
    let mut device = None;
    let mut bind = None;
    let mut ports = Vec::new();
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        // `--submission` may stand alone: port 587.
        let number = |v: &&String| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit());
        if a == "--submission" && !it.peek().is_some_and(number) {
            ports.retain(|(s, _)| *s != Service::Submission);
            ports.push((Service::Submission, SUBMISSION_PORT));
            continue;
        }
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        if let Some(service) = a
            .strip_prefix("--")
            .and_then(|n| Service::ALL.into_iter().find(|s| s.name() == n))
        {
            let v = value(a)?;
            let port: u16 = v
                .parse()
                .map_err(|_| format!("{a} {v}: a port is a number from 0 to 65535"))?;
            ports.retain(|(s, _)| *s != service);
            ports.push((service, port));
            continue;
        }
        match a.as_str() {
            "--device" => device = Some(value("--device")?),
            "--bind" => {
                let v = value("--bind")?;
                bind = Some(
                    v.parse::<IpAddr>()
                        .map_err(|_| format!("--bind {v}: not an IP address like 127.0.0.1"))?,
                );
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => {
                if path.replace(s.to_string()).is_some() {
                    return Err(format!("one lab file only ({s}?)"));
                }
            }
        }
    }
    ports.sort();
    Ok(ServeOptions {
        path: path.ok_or("which lab file?")?,
        device: device.ok_or("which device? (--device NAME)")?,
        bind: bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        bind_given: bind.is_some(),
        ports,
    })
}

/// Why `lanlab serve` could not start.
#[derive(Debug)]
pub struct ServeError(pub String);

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The services to start and their ports: those asked for, or every
/// configured one on a free port when none was asked for.
///
/// # Errors
/// A service asked for that the device does not run.
pub fn plan(
    services: &Services,
    device: &str,
    asked: &[(Service, u16)],
) -> Result<Vec<(Service, u16)>, ServeError> {
    if asked.is_empty() {
        let all: Vec<_> = Service::ALL
            .into_iter()
            .filter(|s| services.has(*s))
            .map(|s| (s, 0))
            .collect();
        if all.is_empty() {
            return Err(ServeError(format!(
                "{device} runs no service (DNS, DHCP, e-mail or HTTP): configure one in the lab first"
            )));
        }
        return Ok(all);
    }
    for (s, _) in asked {
        if !services.offers(*s) {
            return Err(ServeError(format!(
                "{device} has no {} service configured in this lab",
                s.name().to_uppercase()
            )));
        }
    }
    Ok(asked.to_vec())
}

/// Loads the lab, binds every socket, prints one `listening` line per
/// service and serves until the process is killed.
///
/// # Errors
/// The lab does not load, the device or a service is missing, an address
/// is refused, or a port cannot be bound.
pub fn run(opts: &ServeOptions) -> Result<(), ServeError> {
    // Only loopback unless --bind names another address.
    if !opts.bind.is_loopback() {
        eprintln!(
            "serve: warning: listening on {}, reachable from other machines",
            opts.bind
        );
    }
    let text = std::fs::read_to_string(&opts.path)
        .map_err(|e| ServeError(format!("{}: {e}", opts.path)))?;
    let clock = Clock::start();
    let services = config::load(&text, &opts.device, clock.start_unix())
        .map_err(|e| ServeError(format!("{}: {e}", opts.path)))?;
    let plan = plan(&services, &opts.device, &opts.ports)?;
    let mut handles = Vec::new();
    let gate = Arc::new(firewall::Gate::new(
        &opts.device,
        services.firewall.clone(),
        services.address,
        clock,
    ));
    let store = services.mail.as_ref().map(|m| {
        (
            Arc::new(Mutex::new(m.store.clone())),
            Arc::new(m.settings.clone()),
        )
    });
    for (service, port) in plan {
        let addr = SocketAddr::new(opts.bind, port);
        let bind_err =
            |e: std::io::Error| ServeError(format!("{service}: cannot bind {addr}: {e}"));
        let local = match service {
            Service::Dns => {
                let (udp, tcp) = bind_udp_and_tcp(addr).map_err(bind_err)?;
                let local = udp.local_addr().map_err(bind_err)?;
                handles.extend(dns::spawn(
                    udp,
                    tcp,
                    services.dns.clone(),
                    clock,
                    gate.clone(),
                ));
                local
            }
            Service::Dhcp => {
                let udp = UdpSocket::bind(addr).map_err(bind_err)?;
                let local = udp.local_addr().map_err(bind_err)?;
                let (config, interface) = services.dhcp.clone().expect("planned");
                handles.push(dhcp::spawn(udp, config, interface, clock, gate.clone()));
                local
            }
            Service::Smtp | Service::Submission | Service::Pop3 | Service::Imap => {
                let listener = TcpListener::bind(addr).map_err(bind_err)?;
                let local = listener.local_addr().map_err(bind_err)?;
                let (store, settings) = store.clone().expect("planned");
                handles.push(mail::spawn(
                    service,
                    listener,
                    store,
                    settings,
                    clock,
                    gate.clone(),
                ));
                local
            }
            Service::Http => {
                let listener = TcpListener::bind(addr).map_err(bind_err)?;
                let local = listener.local_addr().map_err(bind_err)?;
                let site = services.http.clone().expect("planned");
                handles.push(http::spawn(listener, site, clock, gate.clone()));
                local
            }
        };
        println!("listening {service} {local}");
    }
    for h in handles {
        let _ = h.join();
    }
    Ok(())
}

/// A UDP socket and a TCP listener on the same port (RFC 7766 §5: DNS
/// over both). With port 0, tries a few free UDP ports until TCP gets the
/// same number too.
fn bind_udp_and_tcp(addr: SocketAddr) -> std::io::Result<(UdpSocket, TcpListener)> {
    let mut tries = 0;
    loop {
        let udp = UdpSocket::bind(addr)?;
        match TcpListener::bind(udp.local_addr()?) {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(e) if addr.port() != 0 || tries >= 20 => return Err(e),
            Err(_) => tries += 1,
        }
    }
}

/// Starts a named thread.
fn spawn_named(
    name: String,
    f: impl FnOnce() + Send + 'static,
) -> Result<thread::JoinHandle<()>, std::io::Error> {
    thread::Builder::new().name(name).spawn(f)
}

/// Writes one line of the service log (stderr; stdout carries only the
/// `listening` lines).
fn log(service: &str, line: impl fmt::Display) {
    eprintln!("{service}: {line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_ports_and_defaults_to_loopback() {
        let o = parse_args(&args("lab.json --device Server0 --smtp 0 --dns 5353")).unwrap();
        assert_eq!(o.path, "lab.json");
        assert_eq!(o.device, "Server0");
        assert_eq!(o.bind, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(!o.bind_given);
        assert_eq!(o.ports, vec![(Service::Dns, 5353), (Service::Smtp, 0)]);
    }

    #[test]
    fn submission_alone_is_port_587() {
        let o = parse_args(&args("lab.json --submission --device S")).unwrap();
        assert_eq!(o.ports, vec![(Service::Submission, 587)]);
        let o = parse_args(&args("lab.json --device S --submission")).unwrap();
        assert_eq!(o.ports, vec![(Service::Submission, 587)]);
        let o = parse_args(&args("lab.json --device S --submission 0")).unwrap();
        assert_eq!(o.ports, vec![(Service::Submission, 0)]);
        assert!(
            parse_args(&args("lab.json --device S --submission 99999"))
                .unwrap_err()
                .contains("port")
        );
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(
            parse_args(&args("lab.json"))
                .unwrap_err()
                .contains("--device")
        );
        assert!(
            parse_args(&args("lab.json --device S --dns x"))
                .unwrap_err()
                .contains("port")
        );
        assert!(
            parse_args(&args("lab.json --device S --bind nowhere"))
                .unwrap_err()
                .contains("IP address")
        );
        assert!(
            parse_args(&args("lab.json --device S --telnet 23"))
                .unwrap_err()
                .contains("unknown option --telnet")
        );
    }
}
