//! `cargo xtask dist`: the release build and its size table.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::tools::{self, ToolEnv};
use crate::{root, split};

/// Builds `dist/` in release mode (opt-level z, LTO, wasm-opt): Trunk
/// builds the worker, the stylesheet and the copies, then the page's wasm
/// is built in parts ([`split`]).
pub fn build(env: &ToolEnv) -> Result<(), String> {
    tools::cargo_fetch()?;
    let index = split::trunk_index()?;
    tools::run(
        env.command("trunk")
            .arg("build")
            .arg(&index)
            .arg("--release")
            .current_dir(root()),
    )?;
    split::build_page(env, &root().join("dist")).map(drop)
}

/// Sizes of one file: raw, gzip -9, brotli -q 11.
pub struct Sizes {
    /// Path relative to dist/.
    pub name: String,
    /// Bytes on disk.
    pub raw: usize,
    /// Bytes gzipped.
    pub gzip: usize,
    /// Bytes brotli-compressed.
    pub brotli: usize,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

/// Measures every file in dist/.
pub fn measure() -> Result<Vec<Sizes>, String> {
    let dist = root().join("dist");
    let mut paths = Vec::new();
    files(&dist, &mut paths);
    paths.sort();
    let mut rows = Vec::new();
    for p in paths {
        let data = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&data).map_err(|e| e.to_string())?;
        let gzip = gz.finish().map_err(|e| e.to_string())?.len();
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &data[..], &mut br, &params).map_err(|e| e.to_string())?;
        rows.push(Sizes {
            name: p.strip_prefix(&dist).unwrap_or(&p).display().to_string(),
            raw: data.len(),
            gzip,
            brotli: br.len(),
        });
    }
    Ok(rows)
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1000.0)
}

/// Prints the size table; returns the brotli total of the first load.
pub fn print_table(rows: &[Sizes]) -> usize {
    println!(
        "{:<44} {:>11} {:>11} {:>11}",
        "file", "raw", "gzip", "brotli"
    );
    let mut total = (0, 0, 0);
    let mut first_load = 0;
    for r in rows {
        println!(
            "{:<44} {:>11} {:>11} {:>11}",
            r.name,
            kb(r.raw),
            kb(r.gzip),
            kb(r.brotli)
        );
        total.0 += r.raw;
        total.1 += r.gzip;
        total.2 += r.brotli;
        // Example labs load on demand, the engine after the page, the
        // page's lazy parts when first used.
        if part(&r.name) == Part::FirstLoad {
            first_load += r.brotli;
        }
    }
    println!(
        "{:<44} {:>11} {:>11} {:>11}",
        "total",
        kb(total.0),
        kb(total.1),
        kb(total.2)
    );
    println!(
        "first load (brotli, without the engine and the example labs): {}",
        kb(first_load)
    );
    first_load
}

/// Which download a file of dist/ belongs to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Needed before the canvas works: the page, its wasm, JS and CSS.
    FirstLoad,
    /// The engine's worker (its wasm and JS), fetched after or alongside.
    Engine,
    /// Parts of the page's wasm fetched when first used (a panel opened,
    /// simulation mode, teacher mode).
    Lazy,
    /// Example labs, fetched when opened.
    OnDemand,
}

/// The download `name` (a path under dist/) belongs to.
pub fn part(name: &str) -> Part {
    let file = name.rsplit('/').next().unwrap_or(name);
    if name.starts_with("labs") {
        Part::OnDemand
    } else if file.starts_with("lanlab-worker") {
        Part::Engine
    } else if file.ends_with(".wasm") && (file.contains("-split_") || file.contains("-chunk_")) {
        Part::Lazy
    } else {
        Part::FirstLoad
    }
}

/// Budgets in bytes: (first-load gzip, first-load brotli, engine brotli).
pub const BUDGETS: (usize, usize, usize) = (400_000, 300_000, 700_000);

/// Raw, gzip and brotli totals of one part.
pub fn totals(rows: &[Sizes], which: Part) -> (usize, usize, usize) {
    rows.iter()
        .filter(|r| part(&r.name) == which)
        .fold((0, 0, 0), |t, r| {
            (t.0 + r.raw, t.1 + r.gzip, t.2 + r.brotli)
        })
}

/// Prints the first load and the engine separately, against the budgets.
pub fn print_parts(rows: &[Sizes]) {
    let ok = |n: usize, max: usize| if n <= max { "ok" } else { "OVER" };
    let (fr, fg, fb) = totals(rows, Part::FirstLoad);
    let (er, eg, eb) = totals(rows, Part::Engine);
    println!(
        "first load: {} raw, {} gzip ({} of {}), {} brotli ({} of {})",
        kb(fr),
        kb(fg),
        ok(fg, BUDGETS.0),
        kb(BUDGETS.0),
        kb(fb),
        ok(fb, BUDGETS.1),
        kb(BUDGETS.1)
    );
    let (lr, lg, lb) = totals(rows, Part::Lazy);
    if lr > 0 {
        println!(
            "page parts loaded on first use: {} raw, {} gzip, {} brotli",
            kb(lr),
            kb(lg),
            kb(lb)
        );
    }
    if er == 0 {
        println!("engine: not a separate download yet (it is inside the first load)");
    } else {
        println!(
            "engine:     {} raw, {} gzip, {} brotli ({} of {})",
            kb(er),
            kb(eg),
            kb(eb),
            ok(eb, BUDGETS.2),
            kb(BUDGETS.2)
        );
    }
}

/// `cargo xtask dist`.
pub fn run() -> Result<(), String> {
    let env = tools::ensure_web_tools()?;
    build(&env)?;
    let rows = measure()?;
    print_table(&rows);
    print_parts(&rows);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, raw: usize) -> Sizes {
        Sizes {
            name: name.into(),
            raw,
            gzip: raw / 2,
            brotli: raw / 3,
        }
    }

    #[test]
    fn files_fall_into_first_load_engine_and_on_demand() {
        assert_eq!(part("lanlab-app-1f2e_bg.wasm"), Part::FirstLoad);
        assert_eq!(part("index.html"), Part::FirstLoad);
        assert_eq!(part("lanlab-worker_bg.wasm"), Part::Engine);
        assert_eq!(part("lanlab-worker.js"), Part::Engine);
        assert_eq!(part("lanlab-worker_loader.js"), Part::Engine);
        assert_eq!(part("labs/s1-mail.json"), Part::OnDemand);
        assert_eq!(part("lanlab-app-0a1b-split.js"), Part::FirstLoad);
        assert_eq!(part("lanlab-app-0a1b-split_panels.wasm"), Part::Lazy);
        assert_eq!(part("lanlab-app-0a1b-chunk_3.wasm"), Part::Lazy);
        let rows = [
            row("index.html", 6),
            row("lanlab-worker_bg.wasm", 600),
            row("labs/a.json", 60),
        ];
        assert_eq!(totals(&rows, Part::FirstLoad), (6, 3, 2));
        assert_eq!(totals(&rows, Part::Engine), (600, 300, 200));
    }
}
