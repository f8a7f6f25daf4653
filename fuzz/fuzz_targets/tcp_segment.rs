//! TCP: `Segment::parse` never panics. The harness fills in a correct
//! checksum first (unless the first byte is odd), so the fuzzer gets past
//! the checksum into the header, flags and options; a segment that parses
//! re-emits to bytes that parse back to the same segment. The raw bytes
//! also go to the firewall's IPv4 packet reader (`PacketInfo::parse_ipv4`).
#![no_main]

use std::net::Ipv4Addr;

use lanlab_proto::tcp::Segment;
use libfuzzer_sys::fuzz_target;
use smoltcp::wire::{IpAddress, TcpPacket};

const SRC: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 10);
const DST: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 20);

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    // The firewall's IPv4 header reader, on the raw bytes.
    let _ = lanlab_proto::firewall::PacketInfo::parse_ipv4(bytes);
    let mut bytes = bytes.to_vec();
    if mode & 1 == 0 && bytes.len() >= 20 {
        let mut p = TcpPacket::new_unchecked(&mut bytes[..]);
        p.fill_checksum(&IpAddress::Ipv4(SRC), &IpAddress::Ipv4(DST));
    }
    let Ok(seg) = Segment::parse(SRC, DST, &bytes) else {
        return;
    };
    let _ = seg.to_string();
    let _ = seg.seq_len();
    let _ = lanlab_proto::tcp::reset_for(&seg);
    let wire = seg.emit(SRC, DST);
    let back = Segment::parse(SRC, DST, &wire).expect("an emitted segment parses");
    assert_eq!(back, seg);
});
