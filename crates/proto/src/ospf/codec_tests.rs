//! The codec shortcuts the engine takes give the bytes the plain codec
//! gives: the Fletcher checksum summed in blocks, and Link State Updates
//! built from LSAs encoded once.

use std::net::Ipv4Addr;

use super::lsa::{LinkType, RouterLink, fletcher, fletcher_ok};
use super::packet::{Body, lsu_bytes};
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
        for off in [0, 14, len / 2, len - 2] {
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
    let empty = Repr {
        router_id: rid,
        area,
        body: Body::LsUpdate(Vec::new()),
    };
    assert_eq!(lsu_bytes(rid, area, std::iter::empty()), empty.to_bytes());
}
