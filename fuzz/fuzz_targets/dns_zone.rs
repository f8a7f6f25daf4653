//! DNS zone text (typed in the UI): `parse_zone` never panics; a zone that
//! parses prints (`to_text`) as text that parses back to the same records;
//! its warnings and lookups of its own names work. Each line also goes to
//! the `nslookup` command parser.
#![no_main]

use lanlab_proto::dns::{Name, RecordType, parse_nslookup, parse_zone};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in text.lines().take(50) {
        let _ = parse_nslookup(line);
    }
    let origin = Name::parse("hasan.com").expect("origin");
    let Ok(zone) = parse_zone(&origin, &text) else {
        return;
    };
    for w in zone.warnings() {
        let _ = w.to_string();
    }
    let printed = zone.to_text();
    let again = parse_zone(&origin, &printed)
        .unwrap_or_else(|e| panic!("printed zone does not parse: {e}\n{printed}"));
    assert_eq!(again.records, zone.records, "printed:\n{printed}");
    for r in zone.records.iter().take(20) {
        for t in [RecordType::A, RecordType::Mx, RecordType::Txt, r.rtype()] {
            let _ = format!("{:?}", zone.lookup(&r.name, t));
        }
    }
});
