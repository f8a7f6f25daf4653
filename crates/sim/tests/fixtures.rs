//! Files and links of every earlier schema version keep opening; newer ones
//! are refused with a clear message (see `fixtures/README.md`).

mod common;

use lanlab_sim::lab::LAB_VERSION;
use lanlab_sim::share::{self, ShareError};
use lanlab_sim::{Lab, LabError};

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Every `(name, file, link)` of earlier versions.
fn earlier() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for v in 1..LAB_VERSION {
        let dir = format!("{}/tests/fixtures/v{v}", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("fixtures of version {v} in {dir}"))
            .filter_map(Result::ok)
            .filter_map(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.strip_suffix(".lanlab.json").map(str::to_string)
            })
            .collect();
        names.sort();
        assert!(!names.is_empty(), "no fixtures of version {v}");
        for n in names {
            out.push((
                format!("v{v}/{n}"),
                fixture(&format!("v{v}/{n}.lanlab.json")),
                fixture(&format!("v{v}/{n}.link.txt")),
            ));
        }
    }
    out
}

#[test]
fn every_earlier_file_and_link_opens_and_runs() {
    let all = earlier();
    assert!(all.len() >= 2);
    for (name, file, link) in all {
        let from_file = Lab::from_json(&file).unwrap_or_else(|e| panic!("{name} file: {e}"));
        let from_link = share::decode(&link).unwrap_or_else(|e| panic!("{name} link: {e}"));
        assert_eq!(from_file, from_link, "{name}: file and link agree");
        assert_eq!(from_file.version, LAB_VERSION, "{name}: migrated");
        assert!(from_file.activity.is_none());
        // Migrated, it survives today's file and link forms unchanged.
        assert_eq!(
            Lab::from_json(&from_file.to_json_pretty()).unwrap(),
            from_file
        );
        assert_eq!(
            share::decode(&share::encode(&from_file)).unwrap(),
            from_file
        );
        // And it still runs: every scripted action does what it expects.
        common::run_checked(&from_file);
    }
}

#[test]
fn the_v1_s1_is_todays_s1_without_its_activity() {
    let old = Lab::from_json(&fixture("v1/s1-one-server.lanlab.json")).unwrap();
    let mut today = common::s1();
    today.activity = None;
    // Since version 1 the example's title has its Indonesian and its pages
    // speak one language; the rest is the same lab.
    assert_eq!(old.name.en, today.name.en);
    assert_eq!(old.name.id, "", "a plain old title reads as English");
    today.name = old.name.clone();
    let id = today.device_by_name("Server0").unwrap().id;
    today.device_mut(id).unwrap().services.http = common::web(&[
        ("index.html", common::HOME_V1),
        ("about.html", common::ABOUT_V1),
    ]);
    assert_eq!(old, today);
}

#[test]
fn newer_documents_and_links_are_refused_clearly() {
    let file = Lab::from_json(&fixture("newer/v99.lanlab.json"));
    assert_eq!(
        file,
        Err(LabError::TooNew {
            found: 99,
            supported: LAB_VERSION
        })
    );
    let msg = file.unwrap_err().to_string();
    assert!(msg.contains("made with a newer lanlab"), "{msg}");

    let link = share::decode(&fixture("newer/v99.link.txt"));
    assert!(
        matches!(
            link,
            Err(ShareError::Lab(LabError::TooNew { found: 99, .. }))
        ),
        "{link:?}"
    );
    let enc = share::decode(&fixture("newer/encoding-v2.link.txt"));
    assert_eq!(enc, Err(ShareError::NewerEncoding(2)));
    assert!(
        enc.unwrap_err()
            .to_string()
            .contains("made with a newer lanlab")
    );
}
