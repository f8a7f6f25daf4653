//! "nat-10000": 10,000 inside hosts (100 subnets of 100, 10.0.S.H) each
//! open one TCP connection to an outside server through one PAT translator
//! (`ip nat inside source list 1 interface … overload`): SYN out, SYN-ACK
//! in, ACK out, 30,000 translations from an empty table. Every host uses
//! source port 49152, so all but the first get a new port (the allocator's
//! worst case). This is the translator's share of issue 18's benchmark (the
//! whole lab in the engine: ≤ 1 s); its table lookups are O(1) both ways.
//!
//! Measured on the shared 2-core development box (load average 6–12 from
//! other builds): ≈ 16 ms of CPU per run (≈ 0.5 µs a packet, printed as
//! "ms CPU per run" before criterion starts); criterion's wall time there
//! was 38–200 ms depending on the load.

use std::hint::black_box;
use std::net::Ipv4Addr;

use criterion::{Criterion, criterion_group, criterion_main};
use lanlab_proto::SimTime;
use lanlab_proto::firewall::{AclConfig, ConfigMode};
use lanlab_proto::nat::{DynamicNat, Nat, NatConfig, NatOutcome, NatTarget, RouterEnv};
use lanlab_proto::net::packet::ipv4;
use lanlab_proto::tcp::{Control, Segment};
use smoltcp::wire::IpProtocol;

const INSIDE: usize = 0;
const OUTSIDE: usize = 1;
const PUBLIC: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 1);
const SERVER: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 80);

fn segment(
    src: Ipv4Addr,
    sport: u16,
    dst: Ipv4Addr,
    dport: u16,
    control: Control,
    ack: bool,
) -> Vec<u8> {
    let seg = Segment {
        src_port: sport,
        dst_port: dport,
        seq: 1,
        ack: ack.then_some(1),
        control,
        psh: false,
        window: 64_000,
        mss: None,
        window_scale: None,
        payload: Vec::new(),
    };
    ipv4(src, dst, IpProtocol::Tcp, 64, 1, &seg.emit(src, dst))
}

fn config() -> NatConfig {
    NatConfig {
        inside: vec![INSIDE],
        outside: vec![OUTSIDE],
        dynamic: vec![DynamicNat {
            acl: "1".into(),
            target: NatTarget::Interface(OUTSIDE),
            overload: true,
        }],
        ..Default::default()
    }
}

/// One connection's three packets; the SYN-ACK's port is filled in by `run`.
struct Conn {
    syn: Vec<u8>,
    syn_ack: Vec<u8>,
    ack: Vec<u8>,
}

fn hosts() -> impl Iterator<Item = Ipv4Addr> {
    (0..100u8).flat_map(|s| (1..=100u8).map(move |h| Ipv4Addr::new(10, 0, s, h)))
}

/// Runs the 10,000 handshakes through a fresh translator; returns it.
fn run(conns: &mut [Conn], env: &RouterEnv<'_>) -> Nat {
    let mut nat = Nat::new(config());
    let now = SimTime::from_secs(1);
    for c in conns.iter_mut() {
        let mut syn = c.syn.clone();
        let o = nat.translate(now, &mut syn, INSIDE, Some(OUTSIDE), env);
        let global = o.translation().map_or(0, |t| t.inside_global.port);
        if c.syn_ack.is_empty() {
            c.syn_ack = segment(SERVER, 80, PUBLIC, global, Control::Syn, true);
        }
        let mut syn_ack = c.syn_ack.clone();
        let i = nat.translate(now, &mut syn_ack, OUTSIDE, None, env);
        let mut ack = c.ack.clone();
        let a = nat.translate(now, &mut ack, INSIDE, Some(OUTSIDE), env);
        assert!(
            [o, i, a]
                .iter()
                .all(|x| matches!(x, NatOutcome::Translated(_))),
            "every packet is translated"
        );
        black_box((&syn, &syn_ack, &ack));
    }
    nat
}

fn bench(c: &mut Criterion) {
    let mut acls = AclConfig::default();
    acls.apply_line(
        &mut ConfigMode::Global,
        "access-list 1 permit 10.0.0.0 0.0.255.255",
    )
    .expect("valid ACL");
    let addrs = [Some(Ipv4Addr::new(10, 0, 0, 254)), Some(PUBLIC)];
    let env = RouterEnv {
        acls: &acls,
        interface_addrs: &addrs,
    };
    let mut conns: Vec<Conn> = hosts()
        .map(|h| Conn {
            syn: segment(h, 49152, SERVER, 80, Control::Syn, false),
            syn_ack: Vec::new(),
            ack: segment(h, 49152, SERVER, 80, Control::None, true),
        })
        .collect();
    // The first run learns each connection's global port (deterministic).
    let nat = run(&mut conns, &env);
    assert_eq!(nat.len(), 10_000);
    println!(
        "nat-10000: {} entries, {} hits, {} misses",
        nat.len(),
        nat.stats().hits,
        nat.stats().misses
    );
    // CPU time (not wall time, which a busy machine inflates), from Linux's
    // per-thread scheduler statistics when available.
    if let Some(start) = cpu_ns() {
        for _ in 0..5 {
            black_box(run(&mut conns, &env));
        }
        if let Some(end) = cpu_ns() {
            println!(
                "nat-10000: {:.1} ms CPU per run",
                (end - start) as f64 / 5e6
            );
        }
    }
    let mut g = c.benchmark_group("proto");
    g.sample_size(10);
    g.bench_function("nat-10000", |b| b.iter(|| run(&mut conns, &env)));
    g.finish();
}

/// Nanoseconds this thread has run on a CPU (`/proc/thread-self/schedstat`).
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

criterion_group!(benches, bench);
criterion_main!(benches);
