//! Share links: `share::decode` never panics, on arbitrary text (first byte
//! even) or on a well-formed `v1.` link around arbitrary DEFLATE input
//! (first byte odd: the rest is compressed and base64'd by the harness, so
//! the fuzzer reaches the inflater cap and the lab JSON reader). A link that
//! opens re-encodes to a link that opens to the same lab.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use lanlab_doc::share;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let link = if mode & 1 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let packed = miniz_oxide::deflate::compress_to_vec(rest, 1);
        format!("v1.{}", URL_SAFE_NO_PAD.encode(packed))
    };
    let Ok(lab) = share::decode(&link) else {
        return;
    };
    let again = share::decode(&share::encode(&lab)).expect("a re-encoded lab opens");
    assert_eq!(again.devices.len(), lab.devices.len());
    assert_eq!(again.links.len(), lab.links.len());
    assert_eq!(again.name, lab.name);
});
