//! The Python that the `lanlab serve` bridge tests drive real clients with:
//! a venv at `target/pyenv` with pinned dnspython, scapy and imapclient from PyPI,
//! made when missing. The native tests find it through `LANLAB_PYTHON`;
//! with it set, a bridge test whose client is missing fails instead of
//! skipping.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::root;
use crate::tools::run;

/// The packages the client scripts in `crates/cli/tests/clients/` import.
const PACKAGES: [&str; 3] = ["dnspython==2.7.0", "scapy==2.6.1", "imapclient==3.0.1"];

/// Whether `python` can import every module the clients need.
fn has_modules(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import dns.message, scapy.layers.dhcp, imapclient"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The venv's python, made and filled when missing.
///
/// # Errors
/// `python3 -m venv` or `pip install` failed.
pub fn ensure() -> Result<PathBuf, String> {
    let venv = root().join("target").join("pyenv");
    let python = venv.join("bin").join("python");
    if has_modules(&python) {
        return Ok(python);
    }
    if !python.exists() {
        println!("xtask: making a Python venv in {}", venv.display());
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))
            .map_err(|e| format!("{e} (on Debian: apt-get install python3-venv)"))?;
    }
    println!("xtask: pip install {}", PACKAGES.join(" "));
    run(Command::new(&python)
        .args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
        .args(PACKAGES))?;
    if has_modules(&python) {
        Ok(python)
    } else {
        Err(format!(
            "{} still cannot import dnspython, scapy and imapclient",
            python.display()
        ))
    }
}

/// `cmd` (the native tests) with `LANLAB_PYTHON` set to the venv's python.
/// When the venv cannot be made, it is still set, so the tests that need it
/// fail and say what is missing rather than skip.
pub fn with_python(mut cmd: Command) -> Command {
    let python = ensure().unwrap_or_else(|e| {
        eprintln!("xtask: {e}");
        root()
            .join("target")
            .join("pyenv")
            .join("bin")
            .join("python")
    });
    cmd.env("LANLAB_PYTHON", python);
    cmd
}
