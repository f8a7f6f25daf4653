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
