//! The page's wasm in parts, for `cargo xtask dist`.
//!
//! The page is built with its `split` feature: the side panel's forms, the
//! simulation view and teacher mode are `wasm_split` points (see
//! `src/chunks.rs`). The pipeline Trunk cannot run (the split has to come
//! between cargo and wasm-bindgen) runs here:
//!
//! 1. `cargo rustc` the page for wasm32, linked with `--emit-relocs`;
//! 2. `wasm_split_cli_support` cuts it into a main module, one module per
//!    split point (plus chunks that several of them share) and a JavaScript
//!    link module that fetches them on first use;
//! 3. wasm-bindgen on the main module, wasm-opt on every module;
//! 4. the files get names that carry the hash of cargo's output, so the
//!    service worker's cache-first rule can never mix two builds, and
//!    `index.html` gets the script that starts the page and one
//!    `<link rel="lanlab-chunk">` per lazy file (the service worker and the
//!    SCORM package find every file of the app in `index.html`).
//!
//! Trunk builds everything else (the worker, the stylesheet, the copies)
//! from a copy of `index.html` without the page's own `rel="rust"` line.

use std::path::{Path, PathBuf};

use crate::root;
use crate::tools::{self, ToolEnv};

/// The line of `index.html` that makes Trunk build the page's wasm; the
/// split build leaves it out and adds its own script.
const PAGE_RUST_LINK: &str = r#"<link data-trunk rel="rust" data-bin="lanlab-app""#;

/// The `index.html` Trunk builds in the split build: the source's, without
/// the page's `rel="rust"` line, in a folder of its own with no
/// `Cargo.toml` (beside one, Trunk would build that crate as the page
/// anyway), so each `data-trunk` link's `href` is made relative to it.
pub fn trunk_index() -> Result<PathBuf, String> {
    let src = root().join("index.html");
    let html = std::fs::read_to_string(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let dir = root().join("target").join("dist-index");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let out = dir.join("index.html");
    std::fs::write(&out, without_page_rust(&html, "../../")?)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}

/// `html` without the line holding [`PAGE_RUST_LINK`], with `up` before
/// the `href` of every other `data-trunk` link.
fn without_page_rust(html: &str, up: &str) -> Result<String, String> {
    let mut found = false;
    let mut out = String::new();
    for line in html.lines() {
        if line.contains(PAGE_RUST_LINK) {
            found = true;
            continue;
        }
        if line.contains("data-trunk") {
            out.push_str(&line.replace(r#"href=""#, &format!(r#"href="{up}"#)));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    if !found {
        return Err(format!("index.html has no `{PAGE_RUST_LINK} …>` line"));
    }
    Ok(out)
}

/// FNV-1a over `bytes`, as 16 hex digits: names a build's files.
fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Builds the page's wasm in parts into `dist` and starts it from
/// `dist/index.html`. Returns the files it wrote (names relative to `dist`).
pub fn build_page(env: &ToolEnv, dist: &Path) -> Result<Vec<String>, String> {
    tools::run(
        env.command("cargo")
            .args([
                "rustc",
                "--release",
                "--locked",
                "--target",
                "wasm32-unknown-unknown",
                "--bin",
                "lanlab-app",
                "--features",
                "split",
                "--",
                "-C",
                "link-args=--emit-relocs",
            ])
            .current_dir(root()),
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let built = target.join("wasm32-unknown-unknown/release/lanlab-app.wasm");
    let input = std::fs::read(&built).map_err(|e| format!("{}: {e}", built.display()))?;
    let stem = format!("lanlab-app-{}", content_hash(&input));

    let work = target.join("split");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let main_wasm = work.join("main.wasm");
    let link_js = format!("{stem}-split.js");
    let glue = format!("./{stem}.js");
    let link_name = format!("./{link_js}");
    let split = wasm_split_cli_support::transform({
        let mut o = wasm_split_cli_support::Options::new(&input);
        o.output_dir = &work;
        o.main_out_path = &main_wasm;
        o.main_module = &glue;
        o.link_name = &link_name;
        o
    })
    .map_err(|e| format!("splitting the page's wasm: {e:#}"))?;

    tools::run(
        env.command("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--keep-lld-exports"])
            .arg("--out-name")
            .arg(&stem)
            .arg("--out-dir")
            .arg(dist)
            .arg(&main_wasm),
    )?;
    let mut written = vec![format!("{stem}.js"), format!("{stem}_bg.wasm")];

    // The modules loaded on first use, renamed after the build, and the
    // link module that fetches them by those names.
    let mut link = std::fs::read_to_string(work.join(&link_js)).map_err(|e| e.to_string())?;
    let mut lazy = Vec::new();
    for module in &split.split_modules {
        let file = module
            .file_name()
            .and_then(|f| f.to_str())
            .ok_or("a split module without a file name")?;
        let renamed = format!("{stem}-{file}");
        let quoted = format!("\"./{file}\"");
        if !link.contains(&quoted) {
            return Err(format!("the split link module does not load {file}"));
        }
        link = link.replace(&quoted, &format!("\"./{renamed}\""));
        std::fs::copy(module, dist.join(&renamed)).map_err(|e| e.to_string())?;
        lazy.push(renamed);
    }
    std::fs::write(dist.join(&link_js), link).map_err(|e| e.to_string())?;
    written.push(link_js.clone());

    for wasm in std::iter::once(format!("{stem}_bg.wasm")).chain(lazy.iter().cloned()) {
        let path = dist.join(&wasm);
        tools::run(
            env.command("wasm-opt")
                .arg("-Oz")
                .arg(&path)
                .arg("--output")
                .arg(&path),
        )?;
    }

    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let html = with_page_script(&html, &stem, &link_js, &lazy)?;
    std::fs::write(&index, html).map_err(|e| e.to_string())?;
    written.extend(lazy);
    Ok(written)
}

/// `html` with the page's start script and its lazy files before `</head>`.
fn with_page_script(
    html: &str,
    stem: &str,
    link_js: &str,
    lazy: &[String],
) -> Result<String, String> {
    let mut tags = format!(
        concat!(
            r#"<link rel="modulepreload" href="./{stem}.js" />"#,
            "\n",
            r#"<link rel="modulepreload" href="./{link}" />"#,
            "\n",
            r#"<link rel="preload" href="./{stem}_bg.wasm" as="fetch" type="application/wasm" crossorigin="anonymous" />"#,
            "\n",
            r#"<script type="module">import init from "./{stem}.js"; await init({{ module_or_path: "./{stem}_bg.wasm" }});</script>"#,
            "\n"
        ),
        stem = stem,
        link = link_js
    );
    // Not fetched by the browser (an unknown `rel`): the list of the files
    // the page loads on first use, for the service worker and SCORM.
    for f in lazy {
        tags.push_str(&format!(r#"<link rel="lanlab-chunk" href="./{f}" />"#));
        tags.push('\n');
    }
    let at = html
        .find("</head>")
        .ok_or("dist/index.html has no </head>")?;
    Ok(format!("{}{tags}{}", &html[..at], &html[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trunk_index_loses_only_the_page_rust_line() {
        let src = std::fs::read_to_string(root().join("index.html")).unwrap();
        let kept = without_page_rust(&src, "../../").unwrap();
        assert_eq!(src.lines().count(), kept.lines().count() + 1);
        assert!(!kept.contains(PAGE_RUST_LINK));
        assert!(kept.contains(r#"href="../../crates/worker/Cargo.toml" data-bin="lanlab-worker""#));
        assert!(kept.contains(r#"href="../../style/main.css""#));
        // Links Trunk does not handle keep their URLs.
        assert!(kept.contains(r#"<link rel="manifest" href="manifest.webmanifest" />"#));
        assert!(without_page_rust("<html></html>", "").is_err());
    }

    #[test]
    fn the_page_script_and_lazy_files_go_into_the_head() {
        let html = "<html><head><title>t</title></head><body></body></html>";
        let out = with_page_script(
            html,
            "lanlab-app-ab",
            "lanlab-app-ab-split.js",
            &["lanlab-app-ab-split_panels.wasm".into()],
        )
        .unwrap();
        let head = &out[..out.find("</head>").unwrap()];
        assert!(head.contains(r#"import init from "./lanlab-app-ab.js""#));
        assert!(head.contains(r#"module_or_path: "./lanlab-app-ab_bg.wasm""#));
        assert!(head.contains(r#"href="./lanlab-app-ab-split_panels.wasm""#));
        assert!(head.contains(r#"href="./lanlab-app-ab-split.js""#));
        assert!(with_page_script("<html></html>", "s", "l", &[]).is_err());
    }

    #[test]
    fn build_names_change_with_the_bytes() {
        assert_eq!(content_hash(b"a"), content_hash(b"a"));
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
        assert_eq!(content_hash(b"").len(), 16);
    }
}
