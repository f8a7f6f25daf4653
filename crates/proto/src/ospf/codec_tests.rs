//! The codec shortcuts the engine takes give the bytes the plain codec
//! gives: the Fletcher checksum summed in blocks, Link State Updates
//! built from LSAs encoded once, and updates read with their LSAs checked
//! but parsed only when needed.

use std::net::Ipv4Addr;

use super::lsa::{LinkType, RouterLink, fletcher, fletcher_ok};
use super::packet::{
    Body, InBody, lsack_bytes, lsack_into, lsu_bytes, lsu_into, packet_checksum, parse_incoming,
    parse_incoming_known,
};
use super::*;

/// The checksum as RFC 905 annex B computes it, a byte at a time.
fn fletcher_reference(data: &[u8], off: usize) -> (u16, bool) {
    let (mut c0, mut c1) = (0i64, 0i64);
    for (i, &b) in data.iter().enumerate() {
        let b = if i == off || i == off + 1 { 0 } else { b };
        c0 = (c0 + i64::from(b)) % 255;
        c1 = (c1 + c0) % 255;
    }
    let l = data.len() as i64;
    let k = off as i64;
    let mut x = ((l - k - 1) * c0 - c1).rem_euclid(255);
    let mut y = (c1 - (l - k) * c0).rem_euclid(255);
    if x == 0 {
        x = 255;
    }
    if y == 0 {
        y = 255;
    }
    let (mut s0, mut s1) = (0u32, 0u32);
    for &b in data {
        s0 = (s0 + u32::from(b)) % 255;
        s1 = (s1 + s0) % 255;
    }
    (((x as u16) << 8) | y as u16, s0 == 0 && s1 == 0)
}

#[test]
fn fletcher_in_blocks_matches_byte_at_a_time() {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for len in [16usize, 17, 36, 255, 4095, 4096, 4097, 9000, 70_000] {
        let data: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Mostly 0xff bytes: the sums run as high as they can.
                if seed.is_multiple_of(4) {
                    seed as u8
                } else {
                    0xff
                }
            })
            .collect();
        // 4095: the two checksum bytes in two blocks.
        for off in [0, 14, len / 2, len - 2, 4095.min(len - 2)] {
            let (c, ok) = fletcher_reference(&data, off);
            assert_eq!(fletcher(&data, off), c, "len {len} off {off}");
            assert_eq!(fletcher_ok(&data), ok, "len {len}");
            let mut with = data.clone();
            with[off..off + 2].copy_from_slice(&c.to_be_bytes());
            assert!(fletcher_ok(&with), "len {len} off {off}");
        }
    }
}

fn router_lsa(rid: &str, links: usize, age: u16) -> Lsa {
    let rid: Ipv4Addr = rid.parse().unwrap();
    Lsa {
        header: LsaHeader {
            age,
            options: 0x02,
            key: LsaKey {
                ls_type: LsType::Router,
                id: rid,
                adv: rid,
            },
            seq: 0x8000_0003,
            // Stale on purpose: encoding fills both in.
            checksum: 0x1234,
            length: 7,
        },
        body: LsaBody::Router {
            flags: 0,
            links: (0..links)
                .map(|k| RouterLink {
                    kind: LinkType::Transit,
                    id: Ipv4Addr::new(10, 0, k as u8, 1),
                    data: Ipv4Addr::new(10, 0, k as u8, 2),
                    metric: 1 + k as u16,
                })
                .collect(),
        },
    }
}

#[test]
fn an_update_from_stored_encodings_is_the_plain_encoding() {
    let lsas = vec![
        router_lsa("1.1.1.1", 3, 1),
        router_lsa("2.2.2.2", 0, 3600),
        router_lsa("3.3.3.3", 40, 77),
    ];
    let stored: Vec<Vec<u8>> = lsas
        .iter()
        .map(|l| {
            // Stored with another age: the update sets each LSA's own.
            let mut l = l.clone();
            l.header.age = 9;
            l.to_bytes()
        })
        .collect();
    let (rid, area) = (Ipv4Addr::new(9, 9, 9, 9), Ipv4Addr::new(0, 0, 0, 1));
    let plain = Repr {
        router_id: rid,
        area,
        body: Body::LsUpdate(lsas.clone()),
    }
    .to_bytes();
    let fast = lsu_bytes(
        rid,
        area,
        lsas.iter()
            .zip(&stored)
            .map(|(l, b)| (l.header.age, &b[..])),
    );
    assert_eq!(fast, plain);
    // Written over a buffer used before: the same bytes.
    let used = vec![0xa5; 3 * plain.len()];
    let again = lsu_into(
        used,
        rid,
        area,
        lsas.iter()
            .zip(&stored)
            .map(|(l, b)| (l.header.age, &b[..])),
    );
    assert_eq!(again, plain);
    let empty = Repr {
        router_id: rid,
        area,
        body: Body::LsUpdate(Vec::new()),
    };
    assert_eq!(lsu_bytes(rid, area, std::iter::empty()), empty.to_bytes());
}

/// A few LSAs of every type, a router LSA with TOS metrics among them.
fn assorted_lsas(r: &mut impl FnMut() -> u64) -> Vec<Vec<u8>> {
    let ip = |x: u64| Ipv4Addr::from(x as u32);
    let header = |t: LsType, r: &mut dyn FnMut() -> u64| LsaHeader {
        age: (r() % 4000) as u16,
        options: 0x02,
        key: LsaKey {
            ls_type: t,
            id: ip(r()),
            adv: ip(r()),
        },
        seq: r() as u32,
        checksum: 0,
        length: 0,
    };
    let mut out = Vec::new();
    for _ in 0..1 + r() % 4 {
        let body = match r() % 6 {
            0 => LsaBody::Router {
                flags: (r() % 4) as u8,
                links: (0..r() % 5)
                    .map(|_| RouterLink {
                        kind: LinkType::from((r() % 5) as u8),
                        id: ip(r()),
                        data: ip(r()),
                        metric: r() as u16,
                    })
                    .collect(),
            },
            1 => LsaBody::Network {
                mask: ip(r()),
                attached: (0..r() % 4).map(|_| ip(r())).collect(),
            },
            2 => LsaBody::Summary {
                mask: ip(r()),
                metric: r() as u32 & 0x00ff_ffff,
            },
            3 => LsaBody::External {
                mask: ip(r()),
                e2: r() & 1 == 0,
                metric: r() as u32 & 0x00ff_ffff,
                forward: ip(r()),
                tag: r() as u32,
            },
            4 => LsaBody::Other((0..r() % 12).map(|_| r() as u8).collect()),
            _ => {
                // One link with a TOS metric: 4 bytes the parser skips.
                out.push(router_with_tos(header(LsType::Router, &mut *r)));
                continue;
            }
        };
        let t = match &body {
            LsaBody::Router { .. } => LsType::Router,
            LsaBody::Network { .. } => LsType::Network,
            LsaBody::Summary { .. } => LsType::Summary,
            LsaBody::External { .. } => LsType::External,
            LsaBody::Other(_) => LsType::Unknown(9),
        };
        let mut lsa = Lsa {
            header: header(t, &mut *r),
            body,
        };
        out.push(lsa.to_bytes());
    }
    out
}

fn router_with_tos(header: LsaHeader) -> Vec<u8> {
    let mut b = vec![0u8; 20 + 4 + 12 + 4];
    LsaHeader {
        length: b.len() as u16,
        ..header
    }
    .emit(&mut b);
    b[20 + 3] = 1; // one link
    b[24..28].copy_from_slice(&[10, 0, 0, 1]);
    b[32] = 3; // stub
    b[33] = 1; // one TOS metric
    let c = fletcher(&b[2..], 14);
    b[16..18].copy_from_slice(&c.to_be_bytes());
    b
}

/// A fixed-seed xorshift generator: the random tests replay exactly.
fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

#[test]
fn updates_read_lazily_fail_and_parse_as_the_plain_parser_does() {
    let mut r = xorshift(0x2545_f491_4f6c_dd1d);
    let (mut oks, mut errs) = (0, 0);
    for case in 0..4000 {
        let mut lsas = assorted_lsas(&mut r);
        let stored = lsas.clone();
        // Damage one LSA (a length, a count, any byte), most often with
        // its checksum fixed up so the damage reaches the body parser.
        if case % 4 != 0 {
            let k = (r() as usize) % lsas.len();
            let l = &mut lsas[k];
            let at = match r() % 3 {
                0 => 18 + (r() as usize) % 2,
                1 => 20 + (r() as usize) % 4,
                _ => 2 + (r() as usize) % (l.len() - 2),
            };
            let at = at.min(l.len() - 1);
            l[at] = r() as u8;
            if !r().is_multiple_of(5) && l.len() > 18 {
                let c = fletcher(&l[2..], 14);
                l[16..18].copy_from_slice(&c.to_be_bytes());
            }
        }
        let (rid, area) = (Ipv4Addr::new(9, 9, 9, 9), Ipv4Addr::UNSPECIFIED);
        let mut b = lsu_bytes(rid, area, lsas.iter().map(|l| (1, &l[..])));
        match r() % 6 {
            0 => {
                // A wrong LSA count.
                b[24..28].copy_from_slice(&((r() % 8) as u32).to_be_bytes());
            }
            1 => b.truncate(24 + (r() as usize) % (b.len() - 23)),
            _ => {}
        }
        if b.len() >= 24 {
            let len = b.len() as u16;
            b[2..4].copy_from_slice(&len.to_be_bytes());
            let c = packet_checksum(&b);
            b[12..14].copy_from_slice(&c.to_be_bytes());
        }
        let plain = packet::parse(&b);
        let lazy = parse_incoming(&b);
        // An engine holding the undamaged LSAs skips checking those: the
        // same answer.
        for s in &stored {
            assert!(Lsa::check(s).is_ok(), "case {case}: stored LSA refused");
        }
        let holds = |a: Ipv4Addr, all: &[u8]| {
            a == area && stored.iter().any(|s| s.get(2..) == all.get(2..))
        };
        match (&plain, parse_incoming_known(&b, holds)) {
            (Err(a), Err(b)) => assert_eq!(*a, b, "case {case}"),
            (Ok(p), Ok(l)) => {
                let InBody::Update(got) = l.body else {
                    panic!("case {case}: not an update");
                };
                let got: Vec<Lsa> = got
                    .iter()
                    .map(|(h, raw)| Lsa::read_checked(h, raw).unwrap())
                    .collect();
                assert_eq!(Body::LsUpdate(got), p.body, "case {case}");
            }
            (p, l) => panic!("case {case}: {p:?} but {:?}", l.map(|_| ())),
        }
        match (plain, lazy) {
            (Err(a), Err(b)) => {
                assert_eq!(a, b, "case {case}");
                errs += 1;
            }
            (Ok(p), Ok(l)) => {
                assert_eq!((p.router_id, p.area), (l.router_id, l.area));
                let (Body::LsUpdate(want), InBody::Update(got)) = (p.body, l.body) else {
                    panic!("case {case}: not an update");
                };
                let got: Vec<Lsa> = got
                    .iter()
                    .map(|(h, raw)| Lsa::read_checked(h, raw).unwrap())
                    .collect();
                assert_eq!(got, want, "case {case}");
                oks += 1;
            }
            (p, l) => panic!("case {case}: {p:?} but {:?}", l.map(|_| ())),
        }
    }
    assert!(oks > 500 && errs > 500, "{oks} parsed, {errs} refused");
}

#[test]
fn other_packets_read_as_the_plain_parser_reads_them() {
    let (rid, area) = (Ipv4Addr::new(1, 2, 3, 4), Ipv4Addr::new(0, 0, 0, 1));
    let bodies = [
        Body::LsRequest(vec![LsaKey {
            ls_type: LsType::Network,
            id: rid,
            adv: rid,
        }]),
        Body::LsAck(Vec::new()),
    ];
    for body in bodies {
        let b = Repr {
            router_id: rid,
            area,
            body: body.clone(),
        }
        .to_bytes();
        let got = match parse_incoming(&b).unwrap().body {
            InBody::Other(got) => got,
            InBody::Ack(h) => Body::LsAck(h.iter().collect()),
            InBody::Update(_) => panic!("read as an update"),
        };
        assert_eq!(got, body);
        let mut bad = b.clone();
        bad[12] ^= 1;
        assert_eq!(
            parse_incoming(&bad).err(),
            packet::parse(&bad).err(),
            "bad checksum"
        );
    }
}

#[test]
fn packet_checksum_sums_as_smoltcp_does() {
    let mut r = xorshift(0x9e37_79b9_7f4a_7c15);
    for case in 0..20_000 {
        let len = 24 + (r() as usize) % 1500;
        let fill = r() % 5;
        let b: Vec<u8> = (0..len)
            .map(|_| match fill {
                0 => 0,
                1 => 0xff,
                2 => [0, 0xff][(r() % 2) as usize],
                _ => r() as u8,
            })
            .collect();
        assert_eq!(
            packet_checksum(&b),
            packet::packet_checksum_reference(&b),
            "case {case}, length {len}"
        );
    }
}

#[test]
fn lsa_key_ranks_order_as_the_keys_do() {
    let types = [
        LsType::Unknown(0),
        LsType::Router,
        LsType::Network,
        LsType::Summary,
        LsType::AsbrSummary,
        LsType::External,
        LsType::Unknown(6),
        LsType::Unknown(255),
    ];
    let addrs = [
        Ipv4Addr::new(0, 0, 0, 0),
        Ipv4Addr::new(0, 0, 0, 255),
        Ipv4Addr::new(1, 0, 0, 0),
        Ipv4Addr::new(10, 0, 1, 2),
        Ipv4Addr::new(255, 255, 255, 255),
    ];
    let mut keys = Vec::new();
    for &ls_type in &types {
        for &id in &addrs {
            for &adv in &addrs {
                keys.push(LsaKey { ls_type, id, adv });
            }
        }
    }
    for a in &keys {
        for b in &keys {
            assert_eq!(a.rank().cmp(&b.rank()), a.cmp(b), "{a:?} {b:?}");
            assert_eq!(a.rank() == b.rank(), a == b);
        }
    }
}

#[test]
fn acknowledgements_are_written_and_read_as_the_plain_codec_does() {
    let mut r = xorshift(0x2545_f491_4f6c_dd1d);
    let (rid, area) = (Ipv4Addr::new(1, 2, 3, 4), Ipv4Addr::new(0, 0, 0, 1));
    for case in 0..300 {
        let headers: Vec<LsaHeader> = (0..r() % 40)
            .map(|_| LsaHeader {
                age: (r() % 3601) as u16,
                options: r() as u8,
                key: LsaKey {
                    ls_type: LsType::from((r() % 7) as u8),
                    id: Ipv4Addr::from(r() as u32),
                    adv: Ipv4Addr::from(r() as u32),
                },
                seq: r() as u32,
                checksum: r() as u16,
                length: r() as u16,
            })
            .collect();
        let repr = Repr {
            router_id: rid,
            area,
            body: Body::LsAck(headers.clone()),
        };
        let mut b = lsack_bytes(rid, area, &headers);
        assert_eq!(b, repr.to_bytes(), "case {case}");
        let used = vec![r() as u8; (r() % 700) as usize];
        assert_eq!(lsack_into(used, rid, area, &headers), b, "case {case}");
        if case % 3 == 0 {
            // Damaged: cut short, or a byte changed (checksum then fixed or not).
            let at = (r() as usize) % b.len();
            if r().is_multiple_of(2) {
                b.truncate(at.max(1));
            } else {
                b[at] = r() as u8;
                if r().is_multiple_of(2) && b.len() >= 24 {
                    let c = packet_checksum(&b);
                    b[12..14].copy_from_slice(&c.to_be_bytes());
                }
            }
        }
        match (packet::parse(&b), parse_incoming(&b)) {
            (Err(a), Err(l)) => assert_eq!(a, l, "case {case}"),
            (Ok(p), Ok(l)) => {
                assert_eq!((p.router_id, p.area), (l.router_id, l.area));
                let got = match l.body {
                    InBody::Ack(h) => Body::LsAck(h.iter().collect()),
                    InBody::Other(o) => o,
                    InBody::Update(_) => panic!("case {case}: read as an update"),
                };
                assert_eq!(got, p.body, "case {case}");
            }
            (p, l) => panic!("case {case}: {p:?} but {:?}", l.map(|_| ())),
        }
    }
}
