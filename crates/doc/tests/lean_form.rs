//! The lean link form round-trips exactly: for random labs built through
//! the editing API, and for every lab in the fuzzers' corpora.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use lanlab_doc::lab::DEFAULT_LATENCY_US;
use lanlab_doc::{DeviceKind, Lab, MacAddr, Point, share};
use proptest::prelude::*;

fn corpus(name: &str) -> Vec<Vec<u8>> {
    let dir = format!("{}/../../fuzz/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter_map(|e| std::fs::read(e.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

fn exact_round_trip(lab: &Lab) {
    let link = share::encode(lab);
    assert_eq!(&share::decode(&link).unwrap(), lab, "via link");
    assert_eq!(&Lab::from_json(&lab.to_json_lean()).unwrap(), lab, "lean");
    assert_eq!(&Lab::from_json(&lab.to_json_pretty()).unwrap(), lab, "file");
    assert_eq!(&Lab::from_json(&lab.to_json()).unwrap(), lab, "autosave");
}

#[test]
fn every_lab_of_the_fuzz_corpora_round_trips_exactly() {
    let mut opened = 0;
    for data in corpus("share_link") {
        let Some((&mode, rest)) = data.split_first() else {
            continue;
        };
        let link = if mode & 1 == 0 {
            String::from_utf8_lossy(rest).into_owned()
        } else {
            let packed = miniz_oxide::deflate::compress_to_vec(rest, 1);
            format!("v1.{}", URL_SAFE_NO_PAD.encode(packed))
        };
        if let Ok(lab) = share::decode(&link) {
            exact_round_trip(&lab);
            opened += 1;
        }
    }
    for data in corpus("lab_json") {
        if let Ok(lab) = Lab::from_json(&String::from_utf8_lossy(&data)) {
            exact_round_trip(&lab);
            opened += 1;
        }
    }
    println!("{opened} corpus labs round-trip exactly");
}

fn kind() -> impl Strategy<Value = DeviceKind> {
    prop::sample::select(DeviceKind::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn random_labs_round_trip_exactly(
        devices in prop::collection::vec((kind(), 0usize..40, -500.0f64..1500.0, 0u8..4, any::<bool>()), 1..8),
        renames in prop::collection::vec((0usize..8, 0usize..40, "[A-Za-z0-9/]{1,12}"), 0..4),
        macs in prop::collection::vec((0usize..8, 0usize..40, any::<[u8; 6]>()), 0..4),
        cables in prop::collection::vec((0usize..8, 0usize..8, 0u64..5000, 0u8..3), 0..10),
        seed in any::<u64>(),
        start in prop::sample::select(vec![0u64, lanlab_doc::lab::DEFAULT_START_UNIX, 1_800_000_000]),
        title in ("[A-Za-z0-9 —]{0,10}", "[A-Za-z0-9 —]{0,10}"),
    ) {
        let mut lab = Lab::new("random");
        // Titles in one language, both, or none.
        lab.name = lanlab_doc::activity::Text::new(&title.0, &title.1);
        lab.seed = seed;
        lab.start_unix = start;
        let mut ids = vec![];
        for (k, ports, x, round, on) in devices {
            // Positions: whole numbers (the lean form writes them as integers) or not.
            let x = if round == 0 { x } else { x.round() };
            let id = if ports == 0 {
                lab.add_device(k, Point::new(x, -x))
            } else {
                lab.add_device_with_ports(k, Point::new(x, 10.0), ports)
            };
            lab.device_mut(id).unwrap().powered = on;
            ids.push(id);
        }
        for (d, p, name) in renames {
            let id = ids[d % ids.len()];
            let dev = lab.device_mut(id).unwrap();
            let n = dev.ports.len();
            dev.ports[p % n].name = name;
        }
        for (d, p, mac) in macs {
            let id = ids[d % ids.len()];
            let dev = lab.device_mut(id).unwrap();
            let n = dev.ports.len();
            dev.ports[p % n].mac = MacAddr(mac);
        }
        for (a, b, latency, loss) in cables {
            let (a, b) = (ids[a % ids.len()], ids[b % ids.len()]);
            if let Ok(l) = lab.connect(a, b) {
                let link = lab.links.iter_mut().find(|x| x.id == l).unwrap();
                link.latency_us = if latency % 2 == 0 { DEFAULT_LATENCY_US } else { latency };
                link.loss = f64::from(loss) / 4.0;
            }
        }
        prop_assume!(lab.validate().is_ok());
        let link = share::encode(&lab);
        prop_assert_eq!(&share::decode(&link).unwrap(), &lab);
        prop_assert_eq!(&Lab::from_json(&lab.to_json_pretty()).unwrap(), &lab);
        prop_assert_eq!(&Lab::from_json(&lab.to_json()).unwrap(), &lab);
    }
}
