//! Shared by the `bridge_*` tests: an S1 lab with every service on
//! `Server0`, a running `lanlab serve` (killed on drop), and the real
//! clients (Python with dnspython and scapy, dig, curl, swaks).
//!
//! Under `cargo xtask test` (which sets `LANLAB_PYTHON`) a missing client
//! is a failure; under plain `cargo test` the test prints a `skipped:` line
//! and returns.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lanlab_proto::dns::{Name, parse_zone};

/// HasanDNS's zone (S4) served by the S1 server.
pub const ZONE: &str = "$TTL 3600
@            SOA  ns1 admin 2024010101 3600 600 86400 300
@            NS   ns1
ns1          A    10.0.3.53
@            A    192.168.1.1
@            AAAA 2001:db8::1
www          CNAME hasan.com.
mail         A    192.168.1.1
@            MX   10 mail.hasan.com.
@            TXT  \"v=spf1 mx -all\"
_imap._tcp   SRV  0 0 143 mail.hasan.com.
";

/// The reverse zone of 192.168.1.0/24.
pub const REVERSE_ZONE: &str = "@ NS ns1.hasan.com.\n1 PTR hasan.com.\n";

/// The home page of S1's web server.
pub const HOME: &str = "<html><head><title>Hasan</title></head><body>Selamat datang</body></html>";

/// When the home page was last edited (unix seconds): Sun, 01 Sep 2024 00:00:00 GMT.
pub const HOME_MODIFIED: u64 = 1_725_148_800;

/// S1 as a lab file: Server0 (192.168.1.1/24) with DHCP, DNS, HTTP and mail.
pub fn s1_lab() -> String {
    let zone = |origin: &str, text: &str| {
        let origin = Name::parse(origin).unwrap();
        serde_json::to_value(parse_zone(&origin, text).unwrap()).unwrap()
    };
    let services = serde_json::json!({
        "dns": { "zones": [
            zone("hasan.com", ZONE),
            zone("1.168.192.in-addr.arpa", REVERSE_ZONE),
        ]},
        "dhcp": { "pools": [{
            "name": "LAN", "network": "192.168.1.0", "mask": "255.255.255.0",
            "start": "192.168.1.10", "max_users": 50,
            "gateway": "192.168.1.1", "dns_servers": ["192.168.1.1"],
            "domain_name": "hasan.com"
        }]},
        "mail": { "domains": ["hasan.com"], "users": [
            { "name": "12_5b_01", "domain": "hasan.com", "password": "kelas5b" },
            { "name": "akbari", "domain": "hasan.com", "password": "akbari123" },
        ]},
        "http": { "default_site": { "files": {
            "index.html": { "content": HOME, "modified": HOME_MODIFIED },
        }}},
    });
    serde_json::json!({
        "version": 1,
        "name": "S1",
        "devices": [{
            "id": 0, "kind": "server", "name": "Server0", "pos": { "x": 100, "y": 100 },
            "ports": [{ "name": "FastEthernet0", "mac": "02:4c:00:00:00:01",
                "ip": { "mode": "static", "address": "192.168.1.1", "mask": "255.255.255.0" } }],
            "services": services,
        }],
    })
    .to_string()
}

/// S4's hierarchy as a lab: RootDNS, ComDNS and HasanDNS (authoritative)
/// and `Resolver` (10.0.0.53, recursive, root hint 198.41.0.4).
pub fn s4_lab() -> String {
    let zone = |origin: &str, text: &str| {
        let origin = if origin == "." {
            Name::root()
        } else {
            Name::parse(origin).unwrap()
        };
        serde_json::to_value(parse_zone(&origin, text).unwrap()).unwrap()
    };
    let root = "\
@ SOA a.root-servers.net. nstld.verisign-grs.com. 2024010101 1800 900 604800 86400
@ NS a.root-servers.net.
a.root-servers.net. A 198.41.0.4
com. NS a.gtld-servers.net.
a.gtld-servers.net. A 192.5.6.30
1.168.192.in-addr.arpa. NS ns1.hasan.com.
ns1.hasan.com. A 10.0.3.53
";
    let com = "\
@ SOA a.gtld-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 900
@ NS a.gtld-servers.net.
hasan NS ns1.hasan.com.
ns1.hasan A 10.0.3.53
";
    let reverse = "@ SOA ns1.hasan.com. admin.hasan.com. 1 3600 600 86400 300\n@ NS ns1.hasan.com.\n1 PTR hasan.com.\n";
    let server = |id: u32, name: &str, ip: &str, dns: serde_json::Value| {
        serde_json::json!({
            "id": id, "kind": "server", "name": name, "pos": { "x": 100 * id, "y": 100 },
            "ports": [{ "name": "FastEthernet0", "mac": format!("02:4c:00:00:04:{id:02x}"),
                "ip": { "mode": "static", "address": ip, "mask": "255.255.255.0" } }],
            "services": { "dns": dns },
        })
    };
    serde_json::json!({
        "version": 1,
        "name": "S4",
        "devices": [
            server(0, "RootDNS", "198.41.0.4", serde_json::json!({ "zones": [zone(".", root)] })),
            server(1, "ComDNS", "192.5.6.30", serde_json::json!({ "zones": [zone("com", com)] })),
            server(2, "HasanDNS", "10.0.3.53", serde_json::json!({
                "zones": [zone("hasan.com", ZONE), zone("1.168.192.in-addr.arpa", reverse)] })),
            server(3, "Resolver", "10.0.0.53", serde_json::json!({
                "zones": [], "recursive": { "root_hints": ["198.41.0.4"] } })),
        ],
    })
    .to_string()
}

/// A fresh directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lanlab-bridge-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A running `lanlab serve`, killed when dropped.
pub struct Served {
    child: Child,
    /// The real port of each service, by name (`dns`, `smtp`, …).
    pub ports: BTreeMap<String, u16>,
    log: PathBuf,
    dir: PathBuf,
}

impl Served {
    /// Writes `lab` to a temp dir and serves `device`'s services with `args`
    /// (e.g. `["--dns", "0"]`), waiting (bounded) for every `listening` line.
    pub fn start(test: &str, lab: &str, device: &str, args: &[&str]) -> Served {
        let wanted = args.iter().filter(|a| a.starts_with("--")).count();
        Served::start_expecting(test, lab, device, args, wanted)
    }

    /// Like [`Served::start`], waiting for `wanted` `listening` lines.
    pub fn start_expecting(
        test: &str,
        lab: &str,
        device: &str,
        args: &[&str],
        wanted: usize,
    ) -> Served {
        let dir = temp_dir(test);
        let path = dir.join("lab.json");
        std::fs::write(&path, lab).unwrap();
        let log = dir.join("serve.log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_lanlab"))
            .arg("serve")
            .arg(&path)
            .args(["--device", device])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("lanlab serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut served = Served {
            child,
            ports: BTreeMap::new(),
            log,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while served.ports.len() < wanted {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = rx.recv_timeout(left) else {
                panic!("lanlab serve did not print its ports:\n{}", served.log());
            };
            let mut w = line.split_whitespace();
            if let (Some("listening"), Some(service), Some(addr)) = (w.next(), w.next(), w.next()) {
                let port = addr.rsplit(':').next().unwrap().parse().unwrap();
                assert!(addr.starts_with("127.0.0.1:"), "{line}");
                served.ports.insert(service.to_string(), port);
            }
        }
        served
    }

    /// The port of `service`.
    pub fn port(&self, service: &str) -> u16 {
        self.ports[service]
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Kept after a failure, for its serve.log.
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Whether the xtask promised every client (then nothing may be skipped).
pub fn clients_required() -> bool {
    std::env::var_os("LANLAB_PYTHON").is_some()
}

/// Says why a test does not run, or fails when the xtask promised the client.
pub fn skip(what: &str) {
    assert!(
        !clients_required(),
        "{what} is missing although `cargo xtask test` installs it"
    );
    println!("skipped: {what} is missing: run `cargo xtask test`");
}

/// `program` on PATH.
pub fn tool(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// A Python that can import `modules`: `$LANLAB_PYTHON`, the xtask's venv
/// (`target/pyenv`), or `python3`.
pub fn python(modules: &[&str]) -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/pyenv/bin/python");
    let candidates = [
        std::env::var_os("LANLAB_PYTHON").map(PathBuf::from),
        venv.is_file().then_some(venv),
        tool("python3"),
    ];
    let check = format!("import {}", modules.join(", "));
    candidates.into_iter().flatten().find(|py| {
        modules.is_empty()
            || Command::new(py)
                .args(["-c", &check])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
    })
}

/// The path of a client script in `tests/clients/`.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients")
        .join(name)
}

/// The output of a finished client.
pub struct Output {
    /// Exit code (-1 when killed or signalled).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Output {
    /// Panics with everything known unless the client exited 0.
    pub fn assert_ok(&self, served: &Served) -> &str {
        assert_eq!(
            self.code,
            0,
            "client failed\n--- stdout\n{}\n--- stderr\n{}\n--- lanlab serve log\n{}",
            self.stdout,
            self.stderr,
            served.log()
        );
        &self.stdout
    }
}

/// Runs a client to the end, killing it after `timeout`.
pub fn run(cmd: &mut Command, timeout: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + timeout;
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break -1;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        code,
        stdout: out_t.join().unwrap(),
        stderr: err_t.join().unwrap(),
    }
}
