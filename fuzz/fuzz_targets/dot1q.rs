//! 802.1Q tags: arbitrary bytes as an Ethernet frame through
//! `dot1q::untag`, `vid_of`, the checked view, `Repr::parse` and the field
//! tree never panic; a tag that parses emits the same bytes back, and
//! untagging then tagging again restores the frame.
#![no_main]

use lanlab_proto::net::dot1q::{self, Packet, Repr};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dot1q::vid_of(data);
    if let Some(f) = dot1q::fields(data, 14) {
        assert!(f.range.end <= 14 + data.len());
    }
    if let Ok(p) = Packet::new_checked(data)
        && let Ok(r) = Repr::parse(&p)
    {
        let _ = r.to_string();
        let mut buf = [0u8; 4];
        r.emit(&mut Packet::new_unchecked(&mut buf[..]));
        assert_eq!(&buf[..], &data[..4]);
    }
    if let Some((r, inner)) = dot1q::untag(data) {
        assert_eq!(inner.len() + dot1q::TAG_LEN, data.len());
        let again = dot1q::tag(&inner, r.vid).expect("a whole header");
        // Priority and DEI are not kept by `tag`: compare the rest.
        assert_eq!(again[..14], data[..14]);
        assert_eq!(again[16..], data[16..]);
        assert_eq!(dot1q::vid_of(&again), Some(r.vid));
    }
    let _ = dot1q::tag(data, 10);
});
