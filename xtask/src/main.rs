//! `cargo xtask`: lanlab's developer commands.
//!
//! - `serve`: install what is missing, build, serve on http://127.0.0.1:8080
//! - `test`:  every check and test suite; closes with `N passed, M failed`
//! - `dist`:  release build into `dist/` with a size table
//! - `bench`: criterion benchmarks
//!
//! Every tool is installed from the package registries at a pinned version;
//! nothing is downloaded from anywhere else (Trunk runs offline).

mod dist;
mod fuzz;
mod pyenv;
mod serve_static;
mod split;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve   install missing tools, build the app and serve it on http://127.0.0.1:8080
  test    fmt, clippy, native tests, browser tests, release build, end-to-end tests
  dist    release build into dist/ and print the size of each file (raw, gzip, brotli)
  bench   criterion benchmarks of the simulator
  fuzz    [TARGET] [--seconds N] [--list]: cargo-fuzz targets on nightly, N s each (600)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test::run(&args[1..]),
        Some("dist") => dist::run(),
        Some("bench") => bench(),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> Result<(), String> {
    let t = std::time::Instant::now();
    let env = tools::ensure_web_tools()?;
    tools::cargo_fetch()?;
    println!(
        "xtask: tools ready in {:.1}s; building and serving lanlab on http://127.0.0.1:8080",
        t.elapsed().as_secs_f64()
    );
    let status = env
        .command("trunk")
        .args(["serve", "--address", "127.0.0.1", "--port", "8080"])
        .current_dir(root())
        .status()
        .map_err(|e| format!("could not start trunk: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("trunk serve exited with {status}"))
}

/// `cargo xtask bench`: criterion benchmarks of the simulator, then the
/// browser benchmarks against a release build served on loopback.
fn bench() -> Result<(), String> {
    let env = tools::ensure_web_tools()?;
    tools::ensure_test_packages()?;
    tools::run(
        env.command("cargo")
            .args([
                "bench",
                "--workspace",
                "--exclude",
                "lanlab-app",
                "--exclude",
                "xtask",
            ])
            .current_dir(root()),
    )?;
    // Browser benchmarks (e2e/bench/*.mjs) against a release build on loopback.
    dist::build(&env)?;
    let rows = dist::measure()?;
    dist::print_table(&rows);
    dist::print_parts(&rows);
    let e2e = root().join("e2e");
    if tools::npm_stale(&e2e) {
        tools::npm_ci(&env, &e2e)?;
    }
    let base = serve_static::start(root().join("dist"))?;
    let mut scripts: Vec<_> = std::fs::read_dir(e2e.join("bench"))
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        // The benchmarks, not their shared modules (simlab.mjs).
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".bench.mjs")))
        .collect();
    scripts.sort();
    for path in scripts {
        println!("\n==> {}", path.display());
        tools::run(
            env.command("node")
                .arg(&path)
                .env("LANLAB_URL", format!("{base}/"))
                .current_dir(root()),
        )?;
    }
    Ok(())
}
