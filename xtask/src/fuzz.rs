//! `cargo xtask fuzz [TARGET] [--seconds N]`: runs the cargo-fuzz targets in
//! `fuzz/` on the nightly toolchain, one after another (or just TARGET),
//! each for N seconds (default 600), one libFuzzer process at a time.
//! Installs cargo-fuzz from crates.io when it is missing. Crashes land in
//! `fuzz/artifacts/TARGET/`; new coverage in `fuzz/corpus/TARGET/`.

use std::path::PathBuf;

use crate::root;
use crate::tools::ToolEnv;

const DEFAULT_SECONDS: u64 = 600;

fn fuzz_dir() -> PathBuf {
    root().join("fuzz")
}

/// The targets: file stems in `fuzz/fuzz_targets/`, sorted.
fn targets() -> Result<Vec<String>, String> {
    let dir = fuzz_dir().join("fuzz_targets");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(String::from))
        .collect();
    names.sort();
    Ok(names)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut target = None;
    let mut seconds = DEFAULT_SECONDS;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                let n = it.next().ok_or("--seconds needs a number")?;
                seconds = n
                    .parse()
                    .map_err(|_| format!("--seconds {n}: not a number"))?;
            }
            "--list" => {
                println!("{}", targets()?.join("\n"));
                return Ok(());
            }
            t if !t.starts_with('-') && target.is_none() => target = Some(t.to_string()),
            other => return Err(format!("fuzz: unexpected argument `{other}`")),
        }
    }
    let all = targets()?;
    let chosen = match target {
        Some(t) if all.contains(&t) => vec![t],
        Some(t) => return Err(format!("no fuzz target `{t}`; targets: {}", all.join(", "))),
        None => all,
    };
    let env = ToolEnv::new();
    let nightly = env
        .command("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !nightly {
        return Err("fuzzing needs the nightly toolchain: rustup toolchain install nightly".into());
    }
    if env.version_of("cargo-fuzz").is_none() {
        println!("xtask: installing cargo-fuzz");
        let status = env
            .command("cargo")
            .args(["install", "cargo-fuzz", "--locked"])
            .status()
            .map_err(|e| format!("could not start cargo install: {e}"))?;
        if !status.success() {
            return Err(format!("cargo install cargo-fuzz exited with {status}"));
        }
    }
    let mut failed = Vec::new();
    for t in &chosen {
        println!("xtask: fuzzing {t} for {seconds} s");
        let status = env
            .command("cargo")
            .args(["+nightly", "fuzz", "run", t, "--"])
            .arg(format!("-max_total_time={seconds}"))
            .arg("-print_final_stats=1")
            .current_dir(fuzz_dir())
            .status()
            .map_err(|e| format!("could not start cargo fuzz: {e}"))?;
        if !status.success() {
            failed.push(t.clone());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fuzz targets found crashes (see fuzz/artifacts/): {}",
            failed.join(", ")
        ))
    }
}
