//! The inspector's views on lab S1's mail run: the field tree of every
//! frame, the SMTP and POP3 conversations, and the pcap export's frame
//! count (every delivered hop, no drops).

use lanlab_sim::conversation::{connections, conversation};
use lanlab_sim::dissect::{Field, dissect};
use lanlab_sim::services::mail::labs;
use lanlab_sim::{Engine, Proto, TraceKind};

const ALL: [Proto; 12] = [
    Proto::Ethernet,
    Proto::Arp,
    Proto::Ipv4,
    Proto::Icmp,
    Proto::Udp,
    Proto::Tcp,
    Proto::Dhcp,
    Proto::Dns,
    Proto::Http,
    Proto::Smtp,
    Proto::Pop3,
    Proto::Imap,
];

fn run() -> Engine {
    let mut e = Engine::new(&labs::s1_mail()).unwrap();
    assert!(e.run_until_idle(200_000));
    e
}

#[test]
fn every_frame_dissects_within_its_bytes() {
    let e = run();
    let mut smtp_commands = Vec::new();
    for ev in e.trace().events() {
        let Some(b) = ev.bytes() else { continue };
        let tree = dissect(b);
        assert!(!tree.is_empty());
        for f in tree.iter().flat_map(Field::walk) {
            assert!(
                f.range.start <= f.range.end && f.range.end <= b.len(),
                "{f:?}"
            );
        }
        if let Some(smtp) = tree.iter().find(|f| f.label == "SMTP") {
            for c in smtp.children.iter().filter(|c| c.label == "Command") {
                smtp_commands.push(c.children[0].value.clone());
            }
        }
    }
    for want in ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"] {
        assert!(
            smtp_commands.iter().any(|c| c == want),
            "{want}: {smtp_commands:?}"
        );
    }
}

#[test]
fn smtp_and_pop3_conversations_read_like_the_course() {
    let e = run();
    let conns = connections(e.trace());
    let smtp = conns
        .iter()
        .find(|c| c.server.1 == 25)
        .expect("an SMTP connection");
    let lines: Vec<String> = conversation(e.trace(), smtp)
        .iter()
        .map(ToString::to_string)
        .collect();
    let text = lines.join("\n");
    let order = [
        "S: 220",
        "C: EHLO PC1",
        "S: 250",
        "C: MAIL FROM:<akbari@hasan.com>",
        "C: RCPT TO:<12_5b_01@hasan.com>",
        "C: DATA",
        "S: 354",
        "C: Subject: Tes Email",
        "C: .",
        "C: QUIT",
        "S: 221",
    ];
    let mut at = 0;
    for want in order {
        let i = lines[at..]
            .iter()
            .position(|l| l.starts_with(want))
            .unwrap_or_else(|| panic!("{want} after line {at}:\n{text}"));
        at += i + 1;
    }
    // Each line once, though every segment crossed two cables.
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("C: EHLO")).count(),
        1,
        "{text}"
    );
    let pop3 = conns
        .iter()
        .find(|c| c.server.1 == 110)
        .expect("a POP3 connection");
    let text: Vec<String> = conversation(e.trace(), pop3)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(text.iter().any(|l| l.starts_with("C: USER ")), "{text:?}");
    assert!(text.iter().any(|l| l.starts_with("S: +OK")), "{text:?}");
}

#[test]
fn pcap_has_one_record_per_delivered_hop() {
    let e = run();
    let hops = e
        .trace()
        .events()
        .filter(|ev| matches!(ev.kind(), TraceKind::Frame { .. }))
        .count();
    let mut out = Vec::new();
    let n = lanlab_sim::pcap::write(e.trace(), 0, None, &mut out).unwrap();
    assert_eq!(n, hops);
    // Walk the records.
    let mut at = 24;
    let mut records = 0;
    while at < out.len() {
        let len = u32::from_le_bytes(out[at + 8..at + 12].try_into().unwrap()) as usize;
        at += 16 + len;
        records += 1;
    }
    assert_eq!(at, out.len());
    assert_eq!(records, hops);
    // One cable's capture holds only that cable's hops.
    let link = e.lab().links[0].id;
    let one = e
        .trace()
        .events()
        .filter(|ev| matches!(ev.kind(), TraceKind::Frame { link: l, .. } if l == link))
        .count();
    assert_eq!(
        lanlab_sim::pcap::write(e.trace(), 0, Some(link), &mut Vec::new()).unwrap(),
        one
    );
}

#[test]
fn innermost_agrees_with_layers() {
    let e = run();
    for ev in e.trace().events() {
        let Some(b) = ev.bytes() else { continue };
        assert_eq!(
            lanlab_sim::summary::innermost(b),
            lanlab_sim::summary::layers(b).last().map(|l| l.proto),
            "{}",
            ev.summary()
        );
        // The classification stored when the trace recorded the frame, and
        // the layers it implies.
        assert_eq!(ev.proto(), lanlab_sim::summary::innermost(b));
        let layers: Vec<Proto> = lanlab_sim::summary::layers(b)
            .iter()
            .map(|l| l.proto)
            .collect();
        assert_eq!(ev.proto().map_or(&[][..], Proto::stack), layers);
        for p in ALL {
            assert_eq!(ev.has_proto(p), layers.contains(&p), "{p:?}");
        }
        for n in 0..b.len() {
            let layers = lanlab_sim::summary::layers(&b[..n]);
            assert_eq!(
                lanlab_sim::summary::innermost(&b[..n]),
                layers.last().map(|l| l.proto)
            );
            for p in ALL {
                assert_eq!(
                    lanlab_sim::summary::has_proto(&b[..n], p),
                    layers.iter().any(|l| l.proto == p)
                );
            }
        }
    }
}
