//! Chaos: random labs (loops included), random actions at random times.
//! Whatever happens, the engine must not panic, must go idle, and must
//! replay the same way.

use lanlab_proto::SimTime;
use lanlab_sim::rng::SplitMix64;
use lanlab_sim::{
    Action, DeviceKind, Engine, Expect, IpConfig, Lab, LinkEnd, Point, PortRef, ScriptedAction,
};

fn pick(r: &mut SplitMix64, n: usize) -> usize {
    (r.next_u64() % n as u64) as usize
}

fn random_lab(seed: u64) -> Lab {
    let mut r = SplitMix64::new(seed);
    let mut lab = Lab::new("chaos");
    lab.seed = seed;
    let switches: Vec<_> = (0..1 + pick(&mut r, 3))
        .map(|_| lab.add_device_with_ports(DeviceKind::Switch, Point::default(), 6))
        .collect();
    let router = lab.add_device(DeviceKind::Router, Point::default());
    let mask = [255, 255, 255, 0].into();
    let nets = 2;
    for k in 0..nets {
        lab.device_mut(router).unwrap().ports[k].ip =
            IpConfig::static_ip([10, 0, k as u8, 1].into(), mask);
    }
    let mut hosts = Vec::new();
    for i in 0..2 + pick(&mut r, 5) {
        let h = lab.add_device(DeviceKind::Pc, Point::default());
        let net = pick(&mut r, nets) as u8;
        let mut ip = lanlab_sim::StaticIp {
            address: [10, 0, net, 10 + i as u8].into(),
            mask,
            gateway: None,
            dns: vec![],
        };
        if !r.next_u64().is_multiple_of(3) {
            ip.gateway = Some([10, 0, net, 1].into());
        }
        lab.device_mut(h).unwrap().ports[0].ip = IpConfig::Static(ip);
        hosts.push(h);
    }
    // Every host on some switch, the router's two interfaces on switches,
    // then extra cables between switches: loops welcome.
    for &h in &hosts {
        let sw = switches[pick(&mut r, switches.len())];
        let _ = lab.connect(h, sw);
    }
    for k in 0..nets {
        let sw = switches[pick(&mut r, switches.len())];
        if let Some(p) = lab.free_port(sw) {
            let _ = lab.connect_ports(
                LinkEnd {
                    device: router,
                    port: k,
                },
                LinkEnd {
                    device: sw,
                    port: p,
                },
            );
        }
    }
    for _ in 0..pick(&mut r, 4) {
        let a = switches[pick(&mut r, switches.len())];
        let b = switches[pick(&mut r, switches.len())];
        let _ = lab.connect(a, b);
    }
    for l in &mut lab.links {
        if r.next_u64().is_multiple_of(4) {
            l.loss = 0.2;
        }
        l.latency_us = 100 + r.next_u64() % 2000;
    }
    // Random actions.
    let names: Vec<String> = hosts
        .iter()
        .map(|h| lab.device(*h).unwrap().name.clone())
        .collect();
    let everyone: Vec<String> = lab.devices.iter().map(|d| d.name.clone()).collect();
    let targets: Vec<String> = lab
        .devices
        .iter()
        .flat_map(|d| d.ports.iter())
        .filter_map(|p| p.ip.as_static().map(|s| s.address.to_string()))
        .collect();
    for _ in 0..8 {
        let at_ms = r.next_u64() % 8_000;
        let dev = names[pick(&mut r, names.len())].clone();
        let action = match pick(&mut r, 6) {
            0 | 1 => Action::Ping {
                device: dev,
                target: targets[pick(&mut r, targets.len())].clone(),
                count: Some(2),
            },
            2 => Action::Tracert {
                device: dev,
                target: targets[pick(&mut r, targets.len())].clone(),
            },
            3 => Action::Power {
                device: everyone[pick(&mut r, everyone.len())].clone(),
                on: r.next_u64().is_multiple_of(2),
            },
            4 => {
                let d = lab.device_by_name(&dev).unwrap();
                Action::Unplug {
                    port: PortRef {
                        device: dev.clone(),
                        port: d.ports[0].name.clone(),
                    },
                }
            }
            _ => Action::Command {
                device: dev,
                line: "arp -a".into(),
            },
        };
        lab.actions.push(ScriptedAction {
            at_ms,
            action,
            expect: Expect::Any,
        });
    }
    lab.actions.sort_by_key(|a| a.at_ms);
    lab
}

#[test]
fn random_labs_never_panic_or_hang_and_replay_identically() {
    for seed in 0..40 {
        let lab = random_lab(seed);
        lab.validate().unwrap();
        let run = || {
            let mut e = Engine::new(&lab).unwrap();
            e.run_until(SimTime::from_secs(600));
            // Idle, except for spanning tree: switches cabled to each other
            // send hellos every 2 s forever (that replaced the old loop
            // protection). In the next minute nothing but BPDUs may move,
            // a few per switch-to-switch cable and hello.
            let seen = e.trace().len();
            let before = e.events_delivered();
            e.run_until(SimTime::from_secs(660));
            let busy: Vec<String> = e
                .trace()
                .events()
                .skip(seen)
                .filter(|ev| ev.bytes().is_some() && !ev.has_proto(lanlab_sim::Proto::Stp))
                .map(|ev| e.describe(ev))
                .collect();
            assert!(
                busy.is_empty(),
                "seed {seed}: still busy after 10 minutes ({} events): {busy:?}",
                e.events_delivered()
            );
            let links = lab.links.len() as u64;
            assert!(
                e.events_delivered() - before <= links * 31 * 4,
                "seed {seed}: {} events in a minute of hellos",
                e.events_delivered() - before
            );
            let lines: Vec<String> = e.trace().events().map(|ev| e.describe(ev)).collect();
            let outs: Vec<String> = e.jobs().iter().map(|j| j.output.clone()).collect();
            (lines, outs, e.events_delivered())
        };
        let a = run();
        let b = run();
        assert_eq!(a, b, "seed {seed}");
        assert!(a.2 < 500_000, "seed {seed}: {} events", a.2);
        if std::env::var_os("CHAOS_STATS").is_some() {
            let replies = a.1.iter().filter(|o| o.contains("Reply from")).count();
            let loops = a.0.iter().filter(|l| l.contains("loop detected")).count();
            eprintln!(
                "seed {seed}: {} events, {} jobs, {replies} with replies, {loops} loops",
                a.2,
                a.1.len()
            );
        }
    }
}
