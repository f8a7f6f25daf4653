//! `cargo xtask test`: every check and every test suite, in order, and a
//! closing line `N passed, M failed` that sums them all. A check (fmt,
//! clippy, a build) counts as one test.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::tools::{self, ToolEnv};
use crate::{dist, root, serve_static};

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    failures: Vec<String>,
    timings: Vec<(String, f64)>,
}

impl Tally {
    fn check(&mut self, name: &str, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            self.failures.push(name.to_string());
        }
    }
}

/// Counts from the summary lines of cargo test, wasm-bindgen-test-runner and node's TAP reporter.
#[derive(Default, Debug, PartialEq)]
struct Counts {
    passed: usize,
    failed: usize,
    seen: bool,
}

impl Counts {
    fn read_line(&mut self, line: &str) {
        let line = line.trim();
        // cargo / wasm-bindgen-test-runner: "test result: ok. 6 passed; 0 failed; 0 ignored; …"
        if let Some(rest) = line.strip_prefix("test result: ") {
            self.seen = true;
            for part in rest.split([';', '.']) {
                let mut w = part.split_whitespace();
                if let (Some(n), Some(what)) = (w.next(), w.next()) {
                    let n: usize = n.parse().unwrap_or(0);
                    match what {
                        "passed" => self.passed += n,
                        "failed" => self.failed += n,
                        _ => {}
                    }
                }
            }
        }
        // node --test (TAP): "# pass 3" / "# fail 0"
        if let Some(n) = line.strip_prefix("# pass ") {
            self.seen = true;
            self.passed += n.trim().parse().unwrap_or(0);
        }
        if let Some(n) = line.strip_prefix("# fail ") {
            self.seen = true;
            self.failed += n.trim().parse().unwrap_or(0);
        }
    }
}

/// Runs a test command, echoing its output, and counts its results.
fn run_suite(tally: &mut Tally, name: &str, cmd: &mut Command) {
    println!("\n==> {name}");
    let start = Instant::now();
    let mut counts = Counts::default();
    let status = cmd.stdout(Stdio::piped()).spawn().and_then(|mut child| {
        let out = child.stdout.take().expect("piped");
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            counts.read_line(&line);
        }
        child.wait()
    });
    let ok = matches!(&status, Ok(s) if s.success());
    tally.passed += counts.passed;
    tally.failed += counts.failed;
    if counts.failed > 0 {
        tally
            .failures
            .push(format!("{name}: {} failed", counts.failed));
    }
    if !ok && counts.failed == 0 {
        // It did not build, crashed, or ran nothing: that is a failure too.
        tally.check(&format!("{name} (exit: {status:?})"), false);
    }
    if ok && !counts.seen {
        tally.check(&format!("{name}: no test ran"), false);
    }
    tally
        .timings
        .push((name.to_string(), start.elapsed().as_secs_f64()));
}

fn run_check(tally: &mut Tally, name: &str, cmd: &mut Command) -> bool {
    println!("\n==> {name}");
    let start = Instant::now();
    let ok = tools::run(cmd).map_err(|e| eprintln!("{e}")).is_ok();
    tally.check(name, ok);
    tally
        .timings
        .push((name.to_string(), start.elapsed().as_secs_f64()));
    ok
}

/// `cargo xtask test [--no-browser | --e2e]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let browser = !args.iter().any(|a| a == "--no-browser");
    // Only the release build and the end-to-end tests (for iterating on them).
    let e2e_only = args.iter().any(|a| a == "--e2e");
    let all = Instant::now();
    let mut tally = Tally::default();
    let root = root();

    let env = if browser {
        let t = Instant::now();
        let env = tools::ensure_web_tools().and_then(|env| {
            tools::ensure_test_packages()?;
            Ok(env)
        });
        tally
            .timings
            .push(("tools".into(), t.elapsed().as_secs_f64()));
        match env {
            Ok(env) => Some(env),
            Err(e) => {
                eprintln!("xtask: {e}");
                tally.check("install tools", false);
                None
            }
        }
    } else {
        Some(ToolEnv::new())
    };
    let env = env.unwrap_or_else(ToolEnv::new);
    let cargo = |args: &[&str]| {
        let mut c = env.command("cargo");
        c.args(args).current_dir(&root);
        c
    };

    if e2e_only {
        return finish_e2e_only(&mut tally, &env, all);
    }
    run_check(
        &mut tally,
        "cargo fmt --check",
        &mut cargo(&["fmt", "--all", "--", "--check"]),
    );
    run_check(
        &mut tally,
        "clippy (native)",
        &mut cargo(&[
            "clippy",
            "--workspace",
            "--exclude",
            "lanlab-app",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    // The app's tests run in the browser; the crates' run natively, so for
    // wasm32 their libraries are checked, not their (native) test targets.
    run_check(
        &mut tally,
        "clippy (wasm32)",
        &mut cargo(&[
            "clippy",
            "-p",
            "lanlab-app",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    );
    // The release build's parts (`src/chunks.rs`): the same code with each
    // split point a wasm import.
    run_check(
        &mut tally,
        "clippy (wasm32, split)",
        &mut cargo(&[
            "clippy",
            "-p",
            "lanlab-app",
            "--lib",
            "--bins",
            "--features",
            "split",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    );
    run_check(
        &mut tally,
        "clippy (wasm32: proto, doc, sim, scorm)",
        &mut cargo(&[
            "clippy",
            "-p",
            "lanlab-sim",
            "-p",
            "lanlab-doc",
            "-p",
            "lanlab-scorm",
            "-p",
            "lanlab-proto",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    );
    run_check(
        &mut tally,
        "clippy (wasm32: the engine's worker)",
        &mut cargo(&[
            "clippy",
            "-p",
            "lanlab-worker",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    );
    run_suite(
        &mut tally,
        "native tests",
        &mut crate::pyenv::with_python(cargo(&["test", "--workspace", "--exclude", "lanlab-app"])),
    );

    if browser {
        let mut wasm = cargo(&[
            "test",
            "-p",
            "lanlab-app",
            "--target",
            "wasm32-unknown-unknown",
        ]);
        wasm.env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        run_suite(
            &mut tally,
            "browser tests (wasm-bindgen-test, Chromium)",
            &mut wasm,
        );

        println!("\n==> release build (dist/)");
        let t = Instant::now();
        let built = dist::build(&env).map_err(|e| eprintln!("{e}")).is_ok();
        tally.check("release build", built);
        tally
            .timings
            .push(("release build".into(), t.elapsed().as_secs_f64()));
        if built {
            if let Ok(rows) = dist::measure() {
                dist::print_table(&rows);
                dist::print_parts(&rows);
            }
            e2e(&mut tally, &env);
        }
    }

    report(&tally, all)
}

fn finish_e2e_only(tally: &mut Tally, env: &ToolEnv, all: Instant) -> Result<(), String> {
    let built = dist::build(env).map_err(|e| eprintln!("{e}")).is_ok();
    tally.check("release build", built);
    if built {
        e2e(tally, env);
    }
    report(tally, all)
}

fn report(tally: &Tally, all: Instant) -> Result<(), String> {
    println!("\n==> timings");
    for (name, secs) in &tally.timings {
        println!("{secs:>8.1}s  {name}");
    }
    println!("{:>8.1}s  total", all.elapsed().as_secs_f64());
    if !tally.failures.is_empty() {
        println!("\nfailed:");
        for f in &tally.failures {
            println!("  - {f}");
        }
    }
    println!("\n{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} failed", tally.failed))
    }
}

fn e2e(tally: &mut Tally, env: &ToolEnv) {
    let dir = root().join("e2e");
    if tools::npm_stale(&dir) {
        println!("\n==> npm ci (e2e)");
        if let Err(e) = tools::npm_ci(env, &dir) {
            eprintln!("{e}");
            tally.check("npm ci (e2e)", false);
            return;
        }
    }
    let base = match serve_static::start(root().join("dist")) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            tally.check("static server", false);
            return;
        }
    };
    let node = |files: &[&str]| {
        let mut node = env.command("node");
        node.args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
            .args(files)
            .env("LANLAB_URL", format!("{base}/"))
            .env(
                "LANLAB_SUB_URL",
                format!("{base}{}", serve_static::SUB_PATH),
            )
            .env("CHROMIUM", "/usr/bin/chromium")
            .current_dir(root());
        node
    };
    run_suite(
        tally,
        "end-to-end tests (Playwright, Chromium)",
        &mut node(&["e2e/"]),
    );
    // Simulation mode's tests, which read the engine's answers most, again
    // with every message to the engine's worker 150 ms late (a slow
    // phone): a read that does not wait for its answer fails here every
    // time, rather than now and then in the run above. (Not the realtime
    // tests: with a slow engine, realtime ticks keep a command in flight
    // all the time, so the page is never settled.)
    run_suite(
        tally,
        "end-to-end tests with a slow engine (150 ms a message)",
        node(&SLOW_ENGINE_E2E).env("LANLAB_ENGINE_DELAY_MS", "150"),
    );
}

/// The e2e files run a second time with a slow engine.
const SLOW_ENGINE_E2E: [&str; 2] = ["e2e/simulation.test.mjs", "e2e/s1_mail_simulation.test.mjs"];

#[cfg(test)]
mod tests {
    use super::Counts;

    #[test]
    fn counts_cargo_and_tap_summaries() {
        let mut c = Counts::default();
        c.read_line("test result: ok. 6 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s");
        c.read_line("test result: FAILED. 2 passed; 1 failed; 0 ignored");
        c.read_line("# pass 3");
        c.read_line("# fail 1");
        c.read_line("some other line with 9 passed");
        assert_eq!(
            c,
            Counts {
                passed: 11,
                failed: 2,
                seen: true
            }
        );
    }
}
