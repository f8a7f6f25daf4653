//! Lab files: `Lab::from_json` never panics on arbitrary text, and a lab
//! that loads saves to JSON that loads again with the same devices and links.
#![no_main]

use lanlab_doc::Lab;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(lab) = Lab::from_json(text) else {
        return;
    };
    let saved = lab.to_json_pretty();
    let again = Lab::from_json(&saved).expect("a saved lab loads");
    assert_eq!(again.devices.len(), lab.devices.len());
    assert_eq!(again.links.len(), lab.links.len());
    assert_eq!(again.name, lab.name);
});
