//! `cargo xtask dist`: the release build and its size table.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::root;
use crate::tools::{self, ToolEnv};

/// Builds `dist/` in release mode (Trunk, opt-level z, LTO, wasm-opt).
pub fn build(env: &ToolEnv) -> Result<(), String> {
    tools::cargo_fetch()?;
    tools::run(
        env.command("trunk")
            .args(["build", "--release"])
            .current_dir(root()),
    )
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
        // Example labs load on demand; everything else is the first load.
        if !r.name.starts_with("labs") {
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
        "first load (brotli, without example labs): {}",
        kb(first_load)
    );
    first_load
}

/// `cargo xtask dist`.
pub fn run() -> Result<(), String> {
    let env = tools::ensure_web_tools()?;
    build(&env)?;
    let rows = measure()?;
    print_table(&rows);
    Ok(())
}
