//! Every example lab survives a round trip through a share link and a file,
//! and its link length is reported (the S1 target is ≤ 2,000 characters).

use lanlab_sim::{Lab, share};

fn examples() -> Vec<(String, Lab)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/labs");
    let mut out: Vec<(String, Lab)> = std::fs::read_dir(dir)
        .expect("public/labs exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.ends_with("index.json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let lab = Lab::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_name().unwrap().to_string_lossy().into_owned(), lab)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_example_round_trips_through_link_and_file() {
    let labs = examples();
    assert!(
        labs.len() >= 9,
        "S1–S8 and two-subnets ship: {}",
        labs.len()
    );
    for (name, lab) in labs {
        let link = share::encode(&lab);
        assert_eq!(share::decode(&link).unwrap(), lab, "{name} via link");
        assert_eq!(
            Lab::from_json(&lab.to_json_pretty()).unwrap(),
            lab,
            "{name} via file"
        );
        println!("share link {name}: {} characters", link.len() + 1);
    }
}

#[test]
fn the_s1_link_with_its_actions_and_activity_fits_in_2000_characters() {
    let lab = examples()
        .into_iter()
        .find(|(n, _)| n == "s1-one-server.json")
        .unwrap()
        .1;
    let a = lab.activity.as_ref().expect("S1 carries an activity");
    assert_eq!(a.checks.len(), 3);
    assert!(!a.instructions.en.is_empty() && !a.instructions.id.is_empty());
    for c in &a.checks {
        assert!(!c.label.en.is_empty() && !c.label.id.is_empty());
        assert!(!c.hint.en.is_empty() && !c.hint.id.is_empty());
    }
    assert!(lab.actions.len() >= 10);
    let chars = share::encode(&lab).len() + 1; // with the '#'
    assert!(chars <= 2000, "S1 link: {chars} characters");
    // The lean form really is leaner than the full document.
    let full = serde_json::to_string(&lab).unwrap().len();
    let lean = lab.to_json_lean().len();
    assert!(lean * 4 < full * 3, "{lean} vs {full}");
}

#[test]
fn every_example_is_listed_in_the_index() {
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../public/labs/index.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let listed: Vec<&str> = index["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(
                e["title"]["en"].is_string() && e["title"]["id"].is_string(),
                "{e}"
            );
            e["file"].as_str().unwrap()
        })
        .collect();
    for (name, _) in examples() {
        assert!(
            listed.contains(&name.as_str()),
            "{name} is not in index.json"
        );
    }
}
