//! The PDU inspector's field tree: `dissect::dissect` never panics on any
//! frame, and every field's byte range lies inside the frame; the
//! conversation view's segment reader never panics either.
#![no_main]

use lanlab_sim::dissect::{Field, dissect};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for f in dissect(data).iter().flat_map(Field::walk) {
        assert!(f.range.start <= f.range.end && f.range.end <= data.len(), "{f:?}");
    }
    let _ = lanlab_sim::conversation::conn_of(data);
});
