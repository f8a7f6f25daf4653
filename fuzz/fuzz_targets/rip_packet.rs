//! RIP: `Repr::from_bytes` on arbitrary UDP payloads never panics; a
//! message that parses re-emits to the same bytes (the must-be-zero field
//! cleared) and its field tree's ranges stay inside the bytes. The engine
//! takes any parsed message without panicking.
#![no_main]

use lanlab_proto::SimTime;
use lanlab_proto::rip::{Interface, Repr, Rip, Settings, wire};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = wire::fields(data, 42);
    for x in f.walk() {
        assert!(x.range.start >= 42 && x.range.end <= 42 + data.len());
    }
    let Ok(m) = Repr::from_bytes(data) else {
        return;
    };
    let _ = m.to_string();
    let bytes = m.to_bytes();
    assert_eq!(bytes.len(), m.buffer_len());
    assert_eq!(bytes[4..], data[4..]);
    assert_eq!(Repr::from_bytes(&bytes).expect("an emitted message parses"), m);
    let mut r = Rip::new(1);
    r.configure(
        SimTime::ZERO,
        vec![Interface {
            net: Some("10.0.12.1/24".parse().unwrap()),
            enabled: true,
            passive: false,
            name: "Gi0/0".into(),
        }],
        Settings::default(),
    );
    r.handle_message(SimTime::from_secs(1), 0, "10.0.12.2".parse().unwrap(), &m);
    r.handle_timeout(SimTime::from_secs(500));
    while r.poll_transmit().is_some() {}
    let _ = r.rib_routes();
});
