//! Installs the tools the web build and the browser tests need, each at a
//! pinned version and only from the package registries, and builds the
//! environment that puts them on `PATH`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::root;

/// Trunk's version: 0.22 needs a newer rustc than this project's.
pub const TRUNK_VERSION: &str = "0.21.14";

/// An environment for child processes with the project's tools on `PATH`.
pub struct ToolEnv {
    path: OsString,
}

impl ToolEnv {
    /// `PATH` with cargo's bin directory and the npm-installed wasm-opt first.
    pub fn new() -> Self {
        let mut dirs = vec![cargo_bin_dir(), wasm_opt_dir()];
        if let Some(p) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&p));
        }
        ToolEnv {
            path: std::env::join_paths(dirs).expect("PATH entries are valid"),
        }
    }

    /// A command for `program` in this environment.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("PATH", &self.path)
            .env("TRUNK_OFFLINE", "true")
            .env("TRUNK_TOOLS_WASM_OPT", "version_132");
        c
    }

    /// The first line a program prints for `--version`, if it runs.
    pub fn version_of(&self, program: &str) -> Option<String> {
        let out = self.command(program).arg("--version").output().ok()?;
        out.status.success().then(|| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
    }
}

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

fn tools_dir() -> PathBuf {
    root().join("xtask").join("tools")
}

fn wasm_opt_dir() -> PathBuf {
    tools_dir().join("node_modules").join(".bin")
}

/// Runs a command to completion, failing with its name when it fails.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{shown} failed ({status})"))
}

/// The version of `wasm-bindgen` that Cargo.lock pins.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(v.trim_matches('"').to_string());
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

/// Makes sure the wasm target, trunk, wasm-bindgen-cli and wasm-opt are
/// installed at the right versions; installs what is missing.
pub fn ensure_web_tools() -> Result<ToolEnv, String> {
    let env = ToolEnv::new();

    let targets = env
        .command("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("rustup is needed (https://rustup.rs): {e}"))?;
    if !String::from_utf8_lossy(&targets.stdout).contains("wasm32-unknown-unknown") {
        println!("xtask: installing the wasm32-unknown-unknown target");
        run(env
            .command("rustup")
            .args(["target", "add", "wasm32-unknown-unknown"])
            .current_dir(root()))?;
    }

    let trunk = env.version_of("trunk");
    if trunk.as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        println!(
            "xtask: installing trunk {TRUNK_VERSION} (found {trunk:?}); this takes ~10 minutes once"
        );
        run(env
            .command("cargo")
            .args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]))?;
    }

    let wb = locked_wasm_bindgen()?;
    let have = env.version_of("wasm-bindgen");
    let runner = env.version_of("wasm-bindgen-test-runner");
    if have.as_deref() != Some(&format!("wasm-bindgen {wb}")) || runner.is_none() {
        println!(
            "xtask: installing wasm-bindgen-cli {wb} (found {have:?}); this takes ~3 minutes once"
        );
        // Not --locked: its lockfile wants a crate version the registry lacks.
        run(env
            .command("cargo")
            .args(["install", "--force", &format!("wasm-bindgen-cli@{wb}")]))?;
    }

    if !wasm_opt_dir().join("wasm-opt").exists() || npm_stale(&tools_dir()) {
        println!("xtask: installing wasm-opt (binaryen 132 from npm)");
        npm_ci(&env, &tools_dir())?;
    }
    Ok(env)
}

/// `npm ci` in a folder with a package-lock.json.
pub fn npm_ci(env: &ToolEnv, dir: &Path) -> Result<(), String> {
    run(env
        .command("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir))?;
    // Remember which lockfile this install is of (see `npm_stale`).
    let lock = std::fs::read(dir.join("package-lock.json")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("node_modules").join(NPM_STAMP), lock).map_err(|e| e.to_string())
}

/// The copy of package-lock.json that `npm_ci` leaves in node_modules.
const NPM_STAMP: &str = ".lanlab-package-lock.json";

/// Whether `dir/node_modules` is missing or was installed from another
/// package-lock.json than today's (a dependency was added since, as axe-core
/// was for the accessibility tests), so `npm ci` must run again.
pub fn npm_stale(dir: &Path) -> bool {
    let stamp = std::fs::read(dir.join("node_modules").join(NPM_STAMP));
    let lock = std::fs::read(dir.join("package-lock.json"));
    !matches!((stamp, lock), (Ok(a), Ok(b)) if a == b)
}

/// `cargo fetch`, so Trunk's offline cargo build finds every crate.
pub fn cargo_fetch() -> Result<(), String> {
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .arg("fetch")
            .current_dir(root()),
    )
}

/// Chromium and ChromeDriver for the browser tests, from Debian's packages
/// (installed when missing and running as root), and tshark for the pcap checks.
pub fn ensure_test_packages() -> Result<(), String> {
    let wanted = [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
        ("/usr/bin/tshark", "tshark"),
        // The real clients of the `lanlab serve` bridge tests.
        ("/usr/bin/dig", "bind9-dnsutils"),
        ("/usr/bin/curl", "curl"),
        ("/usr/bin/swaks", "swaks"),
        ("/usr/share/doc/python3-venv/copyright", "python3-venv"),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(path, _)| !Path::new(path).exists())
        .map(|(_, pkg)| *pkg)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root {
        return Err(format!(
            "the browser tests need Debian's packages {}: run `sudo apt-get install -y {}`",
            missing.join(", "),
            missing.join(" ")
        ));
    }
    println!("xtask: installing {} with apt-get", missing.join(", "));
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
