//! The S11 example lab (`public/labs/s11-stp.json`, built by
//! `common::s11`) runs headless: after power-on the root is SW1 (lowest
//! bridge ID), one port blocks, PCs reach each other once 802.1D has
//! converged (2 × forward delay); cutting SW1–SW2 makes SW3's blocked port
//! go through listening and learning to forwarding after max age +
//! 2 × forward delay. The capture decodes in tshark with BPDUs as STP.

mod common;

use common::*;
use lanlab_proto::SimTime;
use lanlab_proto::stp::{Role, State};
use lanlab_sim::note::{StpNote, StpWhat};
use lanlab_sim::trace::TraceKind;
use lanlab_sim::{Engine, Note, Proto};

fn port(e: &Engine, sw: &str, p: usize) -> (Role, State) {
    let v = e.switch(sw).unwrap().stp().port(1, p).unwrap();
    (v.role, v.state)
}

/// When `sw`'s port `p` last entered `state`, from the trace's notes.
fn entered(e: &Engine, sw: &str, p: &str, state: State) -> Option<SimTime> {
    let id = e.lab().device_by_name(sw).unwrap().id;
    let t = e.trace();
    t.events()
        .rev()
        .filter(|ev| match &ev.kind() {
            TraceKind::Frame { to, .. } => to.device == id,
            TraceKind::Timer { device } => *device == id,
            _ => false,
        })
        .filter(|ev| {
            t.notes(ev).iter().any(|n| {
                matches!(n, Note::Stp(s) if matches!(**s, StpNote { what: StpWhat::State { state: st, .. }, port: Some(ref q), .. } if st == state && &**q == p))
            })
        })
        .map(|ev| ev.time)
        .next()
}

#[test]
fn s11_root_blocking_and_reconvergence() {
    let lab = load("s11-stp.json");
    assert_eq!(lab, s11());
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(SimTime::from_secs(29));
    assert_eq!(port(&e, "SW2", 0), (Role::Root, State::Learning));
    e.run_until(SimTime::from_secs(40));
    let sw1 = e.switch("SW1").unwrap().stp().instances()[&1].clone();
    assert!(sw1.is_root(), "SW1 has the lowest MAC");
    for sw in ["SW2", "SW3"] {
        let b = &e.switch(sw).unwrap().stp().instances()[&1];
        assert_eq!(b.root_id(), sw1.id());
        assert_eq!(b.root_cost(), 19);
    }
    assert_eq!(port(&e, "SW3", 1), (Role::Alternate, State::Blocking));
    assert_eq!(port(&e, "SW2", 1), (Role::Designated, State::Forwarding));
    assert_eq!(e.switch("SW3").unwrap().blocked_ports(), vec![1]);
    // The PCs' ports are edge ports: forwarding from the start.
    assert_eq!(port(&e, "SW2", 2), (Role::Designated, State::Forwarding));
    // The inspector's why.
    let why = e
        .trace()
        .events()
        .flat_map(|ev| e.trace().notes(ev))
        .filter_map(|n| match n {
            Note::Stp(s) if s.port.as_deref() == Some("FastEthernet0/2") => Some(s.to_string()),
            _ => None,
        })
        .find(|s| s.contains("alternate"))
        .unwrap();
    assert!(
        why.starts_with("STP VLAN 1: FastEthernet0/2 is alternate: SW2's BPDU (its port 128.2, cost 19) offers a cheaper path to the root"),
        "{why}"
    );

    let e = run_checked(&lab);
    let cut = SimTime::from_secs(60);
    let fwd = entered(&e, "SW3", "FastEthernet0/2", State::Forwarding).unwrap();
    let lis = entered(&e, "SW3", "FastEthernet0/2", State::Listening).unwrap();
    let lrn = entered(&e, "SW3", "FastEthernet0/2", State::Learning).unwrap();
    let s = |t: SimTime| t.saturating_since(cut).as_secs();
    eprintln!(
        "listening +{} s, learning +{} s, forwarding +{} s",
        s(lis),
        s(lrn),
        s(fwd)
    );
    // Max age 20 s less the stored BPDU's message age (1 s, one hop from
    // the root) and the time since the last hello before the cut (≤ 2 s).
    assert!((16..=20).contains(&s(lis)), "max age: {}", s(lis));
    assert!((46..=50).contains(&s(fwd)), "≈ 50 s: {}", s(fwd));
    assert_eq!(s(lrn) - s(lis), 15);
    assert_eq!(s(fwd) - s(lrn), 15);
    assert_eq!(port(&e, "SW2", 1), (Role::Root, State::Forwarding));
    assert_eq!(port(&e, "SW3", 1), (Role::Designated, State::Forwarding));

    // BPDUs are frames on the cables: IEEE 802.1D configuration BPDUs.
    let bpdus = e.trace().filter(Proto::Stp).count();
    assert!(bpdus > 50, "{bpdus}");
    let first = e.trace().filter(Proto::Stp).next().unwrap();
    assert!(
        first.summary().contains("STP Conf. Root = 32769/02:"),
        "{}",
        first.summary()
    );

    // Document + seed replays the same run.
    let text = transcript(&e);
    let r = Engine::replay(&lab, lab.seed, e.session_log(), e.events_delivered()).unwrap();
    assert_eq!(transcript(&r), text);

    tshark(&e);
}

#[test]
fn s11_rapid_pvst_reconverges_in_seconds() {
    let mut lab = load("s11-stp.json");
    for d in &mut lab.devices {
        d.ios.stp.mode = lanlab_doc::stp::StpMode::RapidPvst;
    }
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(SimTime::from_secs(1));
    assert_eq!(port(&e, "SW3", 1), (Role::Alternate, State::Discarding));
    assert_eq!(port(&e, "SW2", 0), (Role::Root, State::Forwarding));
    e.run_until(SimTime::from_secs(120));
    let fwd = entered(&e, "SW3", "FastEthernet0/2", State::Forwarding).unwrap();
    let took = fwd.saturating_since(SimTime::from_secs(60));
    eprintln!("rapid-pvst: SW3 Fa0/2 forwarding {took:?} after the cut");
    assert!(took <= std::time::Duration::from_secs(7), "{took:?}");
    let rst = e.trace().filter(Proto::Stp).next().unwrap();
    assert!(rst.summary().contains("STP RST"), "{}", rst.summary());
    let jobs: Vec<_> = e.jobs().iter().map(|j| j.status).collect();
    assert_eq!(jobs[0], lanlab_sim::JobStatus::Succeeded);
    assert_eq!(jobs[2], lanlab_sim::JobStatus::Succeeded);
    tshark(&e);
}

fn tshark(e: &Engine) {
    let Some(cap) = Capture::of(e, "s11") else {
        return;
    };
    let run = |filter: &str| cap.tshark(&["-Y", filter]);
    let bad = run("_ws.malformed || _ws.expert.severity == error");
    let stp = run("stp");
    assert_eq!(bad.trim(), "", "frames Wireshark flags as errors");
    let n = stp.lines().count();
    let total = e.trace().filter(Proto::Stp).count();
    eprintln!(
        "tshark: {n} STP frames of {total} BPDU hops; first: {}",
        stp.lines().next().unwrap_or("")
    );
    assert_eq!(n, total, "every BPDU shows as STP");
}

fn console(e: &mut Engine, dev: &str, line: &str) -> String {
    let j = e.command(dev, line).unwrap();
    let now = e.now();
    e.run_until(now + std::time::Duration::from_millis(10));
    e.job(j).unwrap().output.clone()
}

#[test]
fn s11_console_show_and_root_primary() {
    let lab = load("s11-stp.json");
    let mut e = Engine::new(&lab).unwrap();
    e.run_until(SimTime::from_secs(40));
    let show = console(&mut e, "SW3", "show spanning-tree");
    eprintln!("{show}");
    for want in [
        "VLAN0001\n  Spanning tree enabled protocol ieee\n",
        "  Root ID    Priority    32769\n             Address     024c.0000.0000\n             Cost        19\n             Port        1(FastEthernet0/1)\n",
        "  Bridge ID  Priority    32769  (priority 32768 sys-id-ext 1)\n",
        "Interface           Role Sts Cost      Prio.Nbr Type\n",
        "Fa0/1               Root FWD 19        128.1    P2p\n",
        "Fa0/2               Altn BLK 19        128.2    P2p\n",
        "Fa0/3               Desg FWD 19        128.3    P2p Edge\n",
    ] {
        assert!(show.contains(want), "{want}\n{show}");
    }
    let root = console(&mut e, "SW1", "show spanning-tree vlan 1");
    assert!(root.contains("This bridge is the root"), "{root}");
    let none = console(&mut e, "SW1", "show spanning-tree vlan 7");
    assert!(none.contains("does not exist"), "{none}");

    // SW3 takes the root with `root primary` (priority 24576); rapid-pvst
    // everywhere makes the change quick.
    for sw in ["SW1", "SW2", "SW3"] {
        for l in ["enable", "conf t", "spanning-tree mode rapid-pvst", "end"] {
            console(&mut e, sw, l);
        }
    }
    for l in [
        "conf t",
        "spanning-tree vlan 1 root primary",
        "interface fa0/3",
        "spanning-tree portfast",
        "end",
    ] {
        console(&mut e, "SW3", l);
    }
    let conf = console(&mut e, "SW3", "conf t");
    assert!(conf.starts_with("Enter configuration commands"), "{conf}");
    let bad = console(&mut e, "SW3", "spanning-tree vlan 1 priority 100");
    assert!(bad.contains("increments of 4096"), "{bad}");
    console(&mut e, "SW3", "end");
    let now = e.now();
    e.run_until(now + std::time::Duration::from_secs(5));
    let sw3 = console(&mut e, "SW3", "show spanning-tree");
    assert!(sw3.contains("protocol rstp"), "{sw3}");
    assert!(sw3.contains("This bridge is the root"), "{sw3}");
    assert!(
        sw3.contains("Priority    24577  (priority 24576 sys-id-ext 1)"),
        "{sw3}"
    );
    let run = console(&mut e, "SW3", "show running-config");
    assert!(
        run.contains("spanning-tree mode rapid-pvst\nspanning-tree vlan 1 priority 24576\n"),
        "{run}"
    );
    assert!(run.contains(" spanning-tree portfast\n"), "{run}");
    assert_eq!(
        e.lab()
            .device_by_name("SW3")
            .unwrap()
            .ios
            .stp
            .priority_of(1),
        24576
    );
}
