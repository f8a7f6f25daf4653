//! DHCP: `Message::from_bytes` on arbitrary UDP payloads never panics, and a
//! message that parses re-emits to bytes that parse back to the same message
//! (text options compared after the clipping and NUL trimming emit does).
#![no_main]

use lanlab_proto::dhcp::Message;
use libfuzzer_sys::fuzz_target;

/// What a text option looks like after one emit + parse: at most 255 bytes
/// (cut on a character boundary), trailing NULs ignored.
fn norm(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| {
        let mut end = s.len().min(255);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].trim_end_matches('\0').to_string()
    })
}

fn norm_msg(m: &Message) -> Message {
    let mut m = m.clone();
    m.options.domain_name = norm(&m.options.domain_name);
    m.options.host_name = norm(&m.options.host_name);
    m.options.message = norm(&m.options.message);
    m
}

fuzz_target!(|data: &[u8]| {
    let Ok(m) = Message::from_bytes(data) else {
        return;
    };
    let _ = m.to_string();
    let bytes = m.to_bytes();
    assert_eq!(bytes.len(), m.buffer_len());
    let back = Message::from_bytes(&bytes).expect("an emitted message parses");
    assert_eq!(norm_msg(&back), norm_msg(&m));
    let again = Message::from_bytes(&back.to_bytes()).expect("an emitted message parses");
    assert_eq!(norm_msg(&again), norm_msg(&back));
});
