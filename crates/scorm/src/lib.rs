//! lanlab-scorm: SCORM 1.2 packages of an activity: `imsmanifest.xml` with one SCO, the
//! app's files, and the lab; and the codec of `cmi.suspend_data`, where
//! the LMS keeps the student's lab between sessions.
//!
//! `cmi.suspend_data` holds at most 4,096 characters in SCORM 1.2. The lab
//! is stored as its share-link text (lean JSON, DEFLATE, base64url); a lab
//! whose text is longer is not stored (the score and status still are),
//! and the app says so.
#![forbid(unsafe_code)]

pub mod zip;

use lanlab_doc::Lab;
use lanlab_doc::share::{self, ShareError};

/// The SCORM 1.2 limit of `cmi.suspend_data`, in characters.
pub const SUSPEND_LIMIT: usize = 4096;

/// The file the package's app loads its lab from.
pub const LAB_FILE: &str = "lab.lanlab.json";

/// Where the LMS launches the app: compact UI, SCORM reporting on.
pub const LAUNCH: &str = "index.html?embed=1&scorm=1";

/// The student's lab as `cmi.suspend_data`, or `None` above [`SUSPEND_LIMIT`].
pub fn suspend_data(lab: &Lab) -> Option<String> {
    let s = share::encode(lab);
    (s.len() <= SUSPEND_LIMIT).then_some(s)
}

/// Reads `cmi.suspend_data` back into a lab.
///
/// # Errors
/// As [`share::decode`].
pub fn resume(data: &str) -> Result<Lab, ShareError> {
    share::decode(data)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The `imsmanifest.xml` of a package with one SCO listing `files`.
pub fn manifest(title: &str, files: &[&str]) -> String {
    let title = xml_escape(if title.trim().is_empty() {
        "lanlab activity"
    } else {
        title.trim()
    });
    let id = format!("{:08x}", zip::crc32(title.as_bytes()));
    let files: String = files
        .iter()
        .map(|f| format!("      <file href=\"{}\"/>\n", xml_escape(f)))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="lanlab-{id}" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="lanlab-org">
    <organization identifier="lanlab-org">
      <title>{title}</title>
      <item identifier="lanlab-item" identifierref="lanlab-sco" isvisible="true">
        <title>{title}</title>
        <adlcp:masteryscore>100</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="lanlab-sco" type="webcontent" adlcp:scormtype="sco" href="{launch}">
{files}    </resource>
  </resources>
</manifest>
"#,
        launch = xml_escape(LAUNCH),
    )
}

/// The app's own files named in its `index.html`: every `./name` in a
/// quoted attribute or import (stylesheet, icon, script, WebAssembly), plus
/// `index.html` itself, each once, in order.
pub fn app_files_in(index_html: &str) -> Vec<String> {
    let mut out = vec!["index.html".to_string()];
    for quote in ['"', '\''] {
        let opener = format!("{quote}./");
        let mut rest = index_html;
        while let Some(i) = rest.find(&opener) {
            rest = &rest[i + opener.len()..];
            let Some(end) = rest.find(quote) else { break };
            let name = &rest[..end];
            let safe = !name.is_empty()
                && !name.contains("..")
                && !name.starts_with('/')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b));
            if safe && !out.iter().any(|n| n == name) {
                out.push(name.to_string());
            }
            rest = &rest[end..];
        }
    }
    out
}

/// The package: manifest, the app's files (`(path, bytes)`, `index.html`
/// among them) and the lab as [`LAB_FILE`]. The manifest's title is the
/// lab's name in `lang` (`"en"` or `"id"`).
pub fn package(lab: &Lab, app_files: &[(String, Vec<u8>)], lang: &str) -> Vec<u8> {
    let lab_json = lab.to_json_pretty();
    let mut names: Vec<&str> = app_files.iter().map(|(n, _)| n.as_str()).collect();
    names.push(LAB_FILE);
    let mut z = zip::ZipWriter::new();
    z.add(
        "imsmanifest.xml",
        manifest(lab.name.get(lang), &names).as_bytes(),
    );
    for (name, data) in app_files {
        z.add(name, data);
    }
    z.add(LAB_FILE, lab_json.as_bytes());
    z.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const S1: &str = include_str!("../../../public/labs/s1-one-server.json");

    #[test]
    fn a_package_holds_manifest_app_and_lab() {
        let lab = Lab::from_json(S1).unwrap();
        let files = vec![
            (
                "index.html".to_string(),
                b"<!doctype html><title>x</title>".to_vec(),
            ),
            (
                "lanlab-app-1a2b.js".to_string(),
                b"export default 1".to_vec(),
            ),
            ("lanlab-app-1a2b_bg.wasm".to_string(), vec![0, 97, 115, 109]),
        ];
        let bytes = package(&lab, &files, "en");
        let back = zip::read(&bytes).unwrap();
        let names: Vec<&str> = back.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "imsmanifest.xml",
                "index.html",
                "lanlab-app-1a2b.js",
                "lanlab-app-1a2b_bg.wasm",
                LAB_FILE
            ]
        );
        let manifest = String::from_utf8(back[0].1.clone()).unwrap();
        assert!(manifest.contains("<schemaversion>1.2</schemaversion>"));
        assert!(manifest.contains("adlcp:scormtype=\"sco\""));
        assert!(manifest.contains("href=\"index.html?embed=1&amp;scorm=1\""));
        assert!(manifest.contains("<file href=\"lanlab-app-1a2b_bg.wasm\"/>"));
        assert!(manifest.contains("<title>S1 — One server, one switch, two PCs</title>"));
        let lab_back = Lab::from_json(std::str::from_utf8(&back[4].1).unwrap()).unwrap();
        assert_eq!(lab_back, lab);

        // An independent reader agrees, when python3 is around.
        let path = std::env::temp_dir().join(format!("lanlab-scorm-{}.zip", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(out) = std::process::Command::new("python3")
            .args([
                "-c",
                "import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print(','.join(z.namelist()))",
            ])
            .arg(&path)
            .output()
        {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).trim(),
                names.join(",")
            );
        }
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn suspend_data_round_trips_and_respects_the_limit() {
        let lab = Lab::from_json(S1).unwrap();
        let data = suspend_data(&lab).expect("S1 fits in 4,096 characters");
        assert!(data.len() <= SUSPEND_LIMIT);
        assert_eq!(resume(&data).unwrap(), lab);
        // A lab with a long page does not fit: not stored.
        let mut big = lab.clone();
        big.name = ((0..3000)
            .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
            .collect::<String>()
            + &(0..3000).map(|i| format!("{i:x}")).collect::<String>())
            .into();
        assert!(suspend_data(&big).is_none());
        assert!(resume("garbage").is_err());
    }

    #[test]
    fn app_files_are_read_from_index_html() {
        let html = r#"<link rel="stylesheet" href="./main-dd.css" integrity="x"/>
<link rel="icon" href="./favicon-75.svg"/><link rel="manifest" href="manifest.webmanifest" />
<script type="module">
import init, * as bindings from './lanlab-app-de.js';
const wasm = await init({ module_or_path: './lanlab-app-de_bg.wasm' });
</script><link rel="modulepreload" href="./lanlab-app-de.js">
<script>navigator.serviceWorker.register("./sw.js")</script><a href="./../secret">"./ "</a>"#;
        assert_eq!(
            app_files_in(html),
            [
                "index.html",
                "main-dd.css",
                "favicon-75.svg",
                "lanlab-app-de.js",
                "sw.js",
                "lanlab-app-de_bg.wasm"
            ]
        );
    }

    #[test]
    fn titles_are_escaped() {
        let m = manifest("<Lab & \"x\">", &["a&b.html"]);
        assert!(m.contains("<title>&lt;Lab &amp; &quot;x&quot;&gt;</title>"));
        assert!(m.contains("href=\"a&amp;b.html\""));
    }
}
