//! BPDUs: any bytes through the spanning tree decoders (the whole frame,
//! the bare BPDU, both field trees) never panic, every field range lies in
//! the frame, and a frame that parses emits back to one that parses the
//! same. Whatever parses is then fed to a two-port bridge (PVST+ or rapid,
//! by the first byte) with time moving on, so roles, timers and topology
//! change run on hostile input too.
#![no_main]

use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::stp::frame;
use lanlab_proto::stp::{Bridge, BridgeConfig, BridgeId, Mode, Packet, PortSetup, Repr, Timers, wire};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let tree = frame::fields(data);
    for f in tree.iter().flat_map(|f| f.walk()) {
        assert!(f.range.start <= f.range.end && f.range.end <= data.len());
    }
    if let Some(f) = wire::fields(data, 0) {
        assert!(f.range.end <= data.len());
    }
    if let Ok(p) = Packet::new_checked(data) {
        if let Ok(r) = Repr::parse(&p) {
            let b = r.to_bytes();
            assert_eq!(Repr::parse(&Packet::new_checked(&b[..]).unwrap()).unwrap(), r);
        }
    }
    let Some(&mode) = data.first() else { return };
    let mode = if mode & 1 == 0 { Mode::Pvst } else { Mode::RapidPvst };
    let mut b = Bridge::new(
        BridgeConfig {
            mode,
            id: BridgeId { priority: 32769, mac: [0, 1, 2, 3, 4, 5] },
            timers: Timers::default(),
        },
        &[PortSetup { cost: 19, edge: false, send_bpdus: true }; 2],
    );
    let mut now = SimTime::ZERO;
    b.port_up(now, 0);
    b.port_up(now, 1);
    // The input as a sequence of frames: a length byte, then the frame.
    let mut rest = &data[1..];
    while let Some((&n, tail)) = rest.split_first() {
        let n = usize::from(n).min(tail.len());
        let (f, tail) = tail.split_at(n);
        rest = tail;
        if let Ok(bf) = frame::parse(f) {
            let again = frame::parse(&bf.emit()).expect("an emitted frame parses");
            assert_eq!(again, bf);
            b.handle_bpdu(now, usize::from(n % 2 == 1), &bf.bpdu);
        }
        now = now + Duration::from_millis(u64::from(f.first().copied().unwrap_or(0)) * 100);
        while let Some(t) = b.poll_timeout() {
            if t > now {
                break;
            }
            b.handle_timeout(t);
        }
        while b.poll_output().is_some() {}
        while b.poll_event().is_some() {}
    }
    let _ = b.converged();
});
