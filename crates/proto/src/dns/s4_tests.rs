//! Scenario S4 end to end, entirely in-proto: RootDNS, ComDNS and HasanDNS as
//! authoritative engines, the recursive Resolver, and a PC's stub, joined by
//! a little router that passes bytes between them (1 ms per hop) and can cut
//! a server off.

use std::net::{IpAddr, SocketAddr};

use super::fixtures::*;
use super::*;
use crate::SimTime;
use core::time::Duration;

const ROOT: &str = "198.41.0.4";
const COM: &str = "192.5.6.30";
const RESOLVER: &str = "10.0.0.53";
const PC: &str = "10.0.1.10";

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

struct Lab {
    now: SimTime,
    servers: Vec<(&'static str, IpAddr, Authoritative)>,
    down: Vec<IpAddr>,
    resolver: Resolver,
    stub_config: StubConfig,
    next_id: u16,
    trace: Vec<String>,
}

impl Lab {
    fn new() -> Self {
        Self::with_zones(
            vec![root_zone()],
            vec![com_zone()],
            vec![hasan_zone(), reverse_zone()],
        )
    }

    fn with_zones(root: Vec<Zone>, com: Vec<Zone>, hasan: Vec<Zone>) -> Self {
        let config = ResolverConfig::with_root_hints(vec![ip(ROOT)]);
        Lab {
            now: SimTime::ZERO,
            servers: vec![
                ("RootDNS", ip(ROOT), Authoritative::new(root)),
                ("ComDNS", ip(COM), Authoritative::new(com)),
                ("HasanDNS", ip(HASAN_IP), Authoritative::new(hasan)),
            ],
            down: Vec::new(),
            resolver: Resolver::new(config, 0x1000),
            stub_config: StubConfig::new(vec![ip(RESOLVER)]),
            next_id: 0x5000,
            trace: Vec::new(),
        }
    }

    fn hop(&mut self) {
        self.now += Duration::from_millis(1);
    }

    fn collect_notes(&mut self, stub: &mut StubLookup) {
        while let Some(n) = stub.poll_note() {
            self.trace.push(format!("PC0: {n}"));
        }
        while let Some(n) = self.resolver.poll_note() {
            self.trace.push(format!("Resolver: {n}"));
        }
        for (name, _, server) in &mut self.servers {
            while let Some(n) = server.poll_note() {
                self.trace.push(format!("{name}: {n}"));
            }
        }
    }

    /// Runs one lookup from the PC to completion.
    fn lookup(&mut self, name: &str, qtype: RecordType) -> LookupResult {
        self.trace.clear();
        let question = Question::new(n(name), qtype);
        let id = self.next_id;
        self.next_id += 1;
        let mut stub = StubLookup::new(self.now, question, self.stub_config.clone(), id);
        let pc = SocketAddr::new(ip(PC), 40000);
        let resolver_addr = SocketAddr::new(ip(RESOLVER), 53);
        for _ in 0..1000 {
            self.exchange(&mut stub, pc, resolver_addr);
            self.collect_notes(&mut stub);
            if let Some(result) = stub.result() {
                return result.clone();
            }
            let next = [stub.poll_timeout(), self.resolver.poll_timeout()]
                .into_iter()
                .flatten()
                .min()
                .expect("nothing pending and no result");
            self.now = self.now.max(next);
            self.resolver.handle_timeout(self.now);
            stub.handle_timeout(self.now);
        }
        panic!("lookup did not finish");
    }

    /// Passes datagrams around until nobody has anything to send.
    fn exchange(&mut self, stub: &mut StubLookup, pc: SocketAddr, resolver_addr: SocketAddr) {
        for _ in 0..1000 {
            let mut moved = false;
            while let Some(t) = stub.poll_transmit() {
                moved = true;
                self.hop();
                let msg = Message::parse(&t.payload).unwrap();
                self.trace.push(format!("PC0 → {}: {msg}", t.dst.ip()));
                self.resolver.handle_datagram(self.now, pc, &t.payload);
            }
            while let Some(t) = self.resolver.poll_transmit() {
                moved = true;
                self.hop();
                let msg = Message::parse(&t.payload).unwrap();
                self.trace.push(format!("Resolver → {}: {msg}", t.dst.ip()));
                if t.dst == pc {
                    stub.handle_response(self.now, resolver_addr, &t.payload);
                    continue;
                }
                if self.down.contains(&t.dst.ip()) {
                    self.trace.push(format!("(lost: {} is down)", t.dst.ip()));
                    continue;
                }
                let now = self.now;
                let Some((name, _, server)) =
                    self.servers.iter_mut().find(|(_, a, _)| *a == t.dst.ip())
                else {
                    continue;
                };
                let name = *name;
                if let Some(reply) = server.handle_query(now, &t.payload, Transport::Udp) {
                    self.hop();
                    let msg = Message::parse(&reply).unwrap();
                    self.trace.push(format!("{name} → Resolver: {msg}"));
                    self.resolver.handle_datagram(
                        self.now,
                        SocketAddr::new(t.dst.ip(), 53),
                        &reply,
                    );
                }
            }
            if !moved {
                return;
            }
        }
    }

    fn has(&self, line: &str) -> bool {
        self.trace.iter().any(|l| l == line)
    }

    fn assert_has(&self, line: &str) {
        assert!(
            self.has(line),
            "missing {line:?} in:\n{}",
            self.trace.join("\n")
        );
    }

    fn queries_to(&self, server: &str) -> usize {
        let prefix = format!("Resolver → {server}:");
        self.trace.iter().filter(|l| l.starts_with(&prefix)).count()
    }
}

#[test]
fn a_record_walks_down_the_hierarchy_then_comes_from_the_cache() {
    let mut lab = Lab::new();
    let result = lab.lookup("hasan.com", RecordType::A);
    assert_eq!(result.addresses(), [ip("192.168.1.1")]);
    let expected = [
        "PC0: asking DNS server 10.0.0.53: A? hasan.com. (try 1)",
        "PC0 → 10.0.0.53: A? hasan.com. (RD)",
        "Resolver → 198.41.0.4: A? hasan.com.",
        "RootDNS → Resolver: NOERROR A? hasan.com., referral to com. (1 NS)",
        "Resolver → 192.5.6.30: A? hasan.com.",
        "ComDNS → Resolver: NOERROR A? hasan.com., referral to hasan.com. (1 NS)",
        "Resolver → 10.0.3.53: A? hasan.com.",
        "HasanDNS → Resolver: A hasan.com. 192.168.1.1 (AA)",
        "Resolver → 10.0.1.10: A hasan.com. 192.168.1.1 (RA)",
        "PC0: A? hasan.com.: A hasan.com. 192.168.1.1",
        "Resolver: asking 198.41.0.4 (a server for .) A? hasan.com. [id 4096]",
        "Resolver: referral to com. servers at 192.5.6.30",
        "Resolver: asking 192.5.6.30 (a server for com.) A? hasan.com. [id 4097]",
        "Resolver: referral to hasan.com. servers at 10.0.3.53",
        "Resolver: asking 10.0.3.53 (a server for hasan.com.) A? hasan.com. [id 4098]",
        "Resolver: cached hasan.com. A for 3600 s",
        "Resolver: answered 10.0.1.10:40000: NOERROR, 1 record(s)",
        "RootDNS: com. is delegated to a.gtld-servers.net.",
        "ComDNS: hasan.com. is delegated to ns1.hasan.com.",
        "HasanDNS: authoritative answer to A? hasan.com.: 1 record(s)",
    ];
    for line in expected {
        lab.assert_has(line);
    }
    let LookupResult::Answer { records, .. } = &result else {
        panic!("{result:?}")
    };
    assert_eq!(records[0].ttl, 3600);

    // 50 s later: straight from the cache, TTL counting down.
    lab.now = SimTime::from_secs(50);
    let again = lab.lookup("hasan.com", RecordType::A);
    lab.assert_has("Resolver: cache hit: hasan.com. A (TTL 3550 s left)");
    assert_eq!(
        lab.queries_to(ROOT) + lab.queries_to(COM) + lab.queries_to(HASAN_IP),
        0
    );
    let LookupResult::Answer { records, .. } = &again else {
        panic!("{again:?}")
    };
    assert_eq!(records[0].ttl, 3550);
    assert_eq!(
        render_nslookup(ip(RESOLVER), &again),
        "Server:\t\t10.0.0.53\nAddress:\t10.0.0.53#53\n\n\
         Non-authoritative answer:\nName:\thasan.com\nAddress: 192.168.1.1\n\n"
    );

    // Another name in hasan.com. goes straight to HasanDNS (NS cached).
    let mx = lab.lookup("hasan.com", RecordType::Mx);
    assert_eq!(lab.queries_to(ROOT), 0);
    assert_eq!(lab.queries_to(HASAN_IP), 1);
    assert_eq!(
        render_nslookup(ip(RESOLVER), &mx),
        "Server:\t\t10.0.0.53\nAddress:\t10.0.0.53#53\n\n\
         Non-authoritative answer:\nhasan.com\tmail exchanger = 10 mail.hasan.com.\n\n"
    );
}

#[test]
fn every_record_type_of_the_zone() {
    let mut lab = Lab::new();
    let aaaa = lab.lookup("hasan.com", RecordType::Aaaa);
    assert_eq!(aaaa.addresses(), [ip("2001:db8::1")]);

    let www = lab.lookup("www.hasan.com", RecordType::A);
    assert_eq!(
        render_nslookup(ip(RESOLVER), &www),
        "Server:\t\t10.0.0.53\nAddress:\t10.0.0.53#53\n\n\
         Non-authoritative answer:\nwww.hasan.com\tcanonical name = hasan.com.\n\
         Name:\thasan.com\nAddress: 192.168.1.1\n\n"
    );
    lab.assert_has("HasanDNS: www.hasan.com. is an alias for hasan.com.");

    let txt = lab.lookup("hasan.com", RecordType::Txt);
    assert!(render_nslookup(ip(RESOLVER), &txt).contains("hasan.com\ttext = \"v=spf1 mx -all\"\n"));

    let srv = lab.lookup("_imap._tcp.hasan.com", RecordType::Srv);
    assert!(
        render_nslookup(ip(RESOLVER), &srv)
            .contains("_imap._tcp.hasan.com\tservice = 0 0 143 mail.hasan.com.\n")
    );

    let ns = lab.lookup("hasan.com", RecordType::Ns);
    assert!(
        render_nslookup(ip(RESOLVER), &ns).contains("hasan.com\tnameserver = ns1.hasan.com.\n")
    );

    let soa = lab.lookup("hasan.com", RecordType::Soa);
    assert!(
        render_nslookup(ip(RESOLVER), &soa)
            .contains("\torigin = ns1.hasan.com\n\tmail addr = admin.hasan.com\n")
    );
}

#[test]
fn reverse_lookup_is_delegated_straight_from_the_root() {
    let mut lab = Lab::new();
    let cmd = parse_nslookup("nslookup 192.168.1.1").unwrap();
    assert_eq!(cmd.question.to_string(), "PTR? 1.1.168.192.in-addr.arpa.");
    let ptr = lab.lookup("1.1.168.192.in-addr.arpa", RecordType::Ptr);
    lab.assert_has("Resolver: referral to 1.168.192.in-addr.arpa. servers at 10.0.3.53");
    assert_eq!(lab.queries_to(COM), 0);
    assert_eq!(
        render_nslookup(ip(RESOLVER), &ptr),
        "Server:\t\t10.0.0.53\nAddress:\t10.0.0.53#53\n\n\
         Non-authoritative answer:\n1.1.168.192.in-addr.arpa\tname = hasan.com.\n\n"
    );
}

#[test]
fn nxdomain_and_nodata_are_cached_negatively() {
    let mut lab = Lab::new();
    let nx = lab.lookup("foo.hasan.com", RecordType::A);
    assert!(matches!(nx, LookupResult::NxDomain { .. }));
    lab.assert_has("HasanDNS: NXDOMAIN for foo.hasan.com.");
    lab.assert_has("Resolver: cached NXDOMAIN for foo.hasan.com. A for 300 s");
    assert_eq!(
        render_nslookup(ip(RESOLVER), &nx),
        "Server:\t\t10.0.0.53\nAddress:\t10.0.0.53#53\n\n\
         ** server can't find foo.hasan.com: NXDOMAIN\n\n"
    );
    lab.now = SimTime::from_secs(100);
    let again = lab.lookup("foo.hasan.com", RecordType::Mx);
    assert!(matches!(again, LookupResult::NxDomain { .. }));
    lab.assert_has("Resolver: cache hit: NXDOMAIN for foo.hasan.com. MX (TTL 200 s left)");
    assert_eq!(lab.queries_to(HASAN_IP), 0);

    let nodata = lab.lookup("mail.hasan.com", RecordType::Aaaa);
    assert!(matches!(nodata, LookupResult::NoAnswer { .. }));
    lab.assert_has("HasanDNS: mail.hasan.com. exists but has no AAAA record (NODATA)");
    assert!(
        render_nslookup(ip(RESOLVER), &nodata)
            .contains("*** Can't find mail.hasan.com: No answer\n")
    );
    let _ = lab.lookup("mail.hasan.com", RecordType::Aaaa);
    lab.assert_has("Resolver: cache hit: NODATA for mail.hasan.com. AAAA (TTL 299 s left)");
}

#[test]
fn timeouts_move_to_the_next_server_and_finally_fail() {
    // A dead root first in the hints: two tries, then the live one.
    let mut lab = Lab::new();
    lab.resolver = Resolver::new(
        ResolverConfig::with_root_hints(vec![ip("198.41.0.99"), ip(ROOT)]),
        7,
    );
    lab.stub_config.timeout = Duration::from_secs(10);
    let result = lab.lookup("hasan.com", RecordType::A);
    assert_eq!(result.addresses(), [ip("192.168.1.1")]);
    let timeouts = lab
        .trace
        .iter()
        .filter(|l| *l == "Resolver: no reply from 198.41.0.99 after 2 s")
        .count();
    assert_eq!(timeouts, 2);
    assert!(lab.now >= SimTime::from_secs(4));

    // ComDNS down: SERVFAIL after its tries; the stub reports the failure.
    let mut lab = Lab::new();
    lab.down.push(ip(COM));
    lab.stub_config.timeout = Duration::from_secs(10);
    let result = lab.lookup("hasan.com", RecordType::A);
    assert_eq!(result.to_string(), "server can't find hasan.com: SERVFAIL");
    lab.assert_has("Resolver: gave up on A? hasan.com.: no server for com. gave an answer");

    // The resolver silent: the stub retries, then times out.
    let mut lab = Lab::new();
    lab.stub_config = StubConfig::new(vec![ip("10.0.0.99")]);
    let result = lab.lookup("hasan.com", RecordType::A);
    assert!(matches!(result, LookupResult::Timeout { .. }));
    assert_eq!(lab.now, SimTime::from_secs(4));
    assert_eq!(
        render_nslookup(ip("10.0.0.99"), &result),
        ";; connection timed out; no servers could be reached\n"
    );
}

#[test]
fn name_servers_without_glue_are_looked_up_first() {
    let mut com = com_zone();
    com.add(Record::new(
        n("other.com"),
        3600,
        RData::Ns(n("ns.hasan.com")),
    ))
    .unwrap();
    let mut hasan = hasan_zone();
    hasan
        .add(Record::new(
            n("ns.hasan.com"),
            3600,
            RData::A(HASAN_IP.parse().unwrap()),
        ))
        .unwrap();
    let other = zonefile::parse_zone(&n("other.com"), "@ NS ns.hasan.com.\n@ A 10.9.9.9").unwrap();
    let mut lab = Lab::with_zones(vec![root_zone()], vec![com], vec![hasan, other]);
    let result = lab.lookup("other.com", RecordType::A);
    assert_eq!(result.addresses(), [ip("10.9.9.9")]);
    lab.assert_has("Resolver: referral to other.com. servers (addresses unknown)");
    lab.assert_has("Resolver: no glue for ns.hasan.com.: looking up its address first");
    lab.assert_has("Resolver: asking 192.5.6.30 (a server for com.) A? ns.hasan.com. [id 4098]");
    lab.assert_has(
        "Resolver: asking 10.0.3.53 (a server for hasan.com.) A? ns.hasan.com. [id 4099]",
    );
    lab.assert_has("Resolver: asking 10.0.3.53 (a server for other.com.) A? other.com. [id 4100]");
}

#[test]
fn resolver_serves_its_own_zones_and_refuses_nonsense() {
    let mut lab = Lab::new();
    lab.resolver
        .set_local_zone(zonefile::parse_zone(&n("lab.local"), "pc0 A 10.0.1.10").unwrap());
    let r = lab.lookup("pc0.lab.local", RecordType::A);
    assert!(matches!(
        r,
        LookupResult::Answer {
            authoritative: true,
            ..
        }
    ));
    assert_eq!(lab.queries_to(ROOT), 0);
    assert_eq!(
        render_nslookup(ip(RESOLVER), &r),
        "Server:\t\t10.0.0.53\nAddress:\t10.0.0.53#53\n\nName:\tpc0.lab.local\nAddress: 10.0.1.10\n\n"
    );
    let r = lab.lookup("hasan.com", RecordType::Axfr);
    assert_eq!(
        r.to_string(),
        "server can't find hasan.com: NOTIMP",
        "{}",
        lab.trace.join("\n")
    );
}

#[test]
fn names_are_checked() {
    let long = "a".repeat(64);
    assert_eq!(
        parse_nslookup(&format!("nslookup {long}.hasan.com"))
            .unwrap_err()
            .to_string(),
        "label 'aaaaaaaaaaaa…' is 64 characters; the limit is 63"
    );
    let label = "b".repeat(60);
    let name = [label.as_str(); 5].join(".");
    assert!(
        parse_nslookup(&name)
            .unwrap_err()
            .to_string()
            .ends_with("the limit is 255")
    );
    let cmd = parse_nslookup("nslookup -type=mx hasan.com 10.0.0.53").unwrap();
    assert_eq!(cmd.question.to_string(), "MX? hasan.com.");
    assert_eq!(cmd.server, Some(ip(RESOLVER)));
    assert_eq!(
        parse_nslookup("nslookup -type=XYZ hasan.com")
            .unwrap_err()
            .to_string(),
        "unknown query type 'XYZ'"
    );
}

#[test]
fn cname_to_another_zone_is_chased() {
    let mut com = com_zone();
    com.add(Record::new(
        n("other.com"),
        3600,
        RData::Ns(n("ns1.hasan.com")),
    ))
    .unwrap();
    let mut hasan = hasan_zone();
    hasan
        .add(Record::new(
            n("alias.hasan.com"),
            3600,
            RData::Cname(n("www.other.com")),
        ))
        .unwrap();
    let other = zonefile::parse_zone(&n("other.com"), "www A 10.9.9.9").unwrap();
    // HasanDNS serves other.com too, but answers each zone on its own: the
    // resolver must start over at the CNAME's target.
    let mut lab = Lab::with_zones(vec![root_zone()], vec![com], vec![hasan, other]);
    let r = lab.lookup("alias.hasan.com", RecordType::A);
    let LookupResult::Answer { records, .. } = &r else {
        panic!("{r:?}")
    };
    let summary: Vec<String> = records.iter().map(Record::summary).collect();
    assert_eq!(
        summary,
        [
            "CNAME alias.hasan.com. www.other.com.",
            "A www.other.com. 10.9.9.9"
        ]
    );
    lab.assert_has("Resolver: cached alias.hasan.com. CNAME for 3600 s");
    lab.assert_has("Resolver: asking 192.5.6.30 (a server for com.) A? www.other.com. [id 4099]");
    // Asked again: the CNAME and the target both come from the cache.
    let _ = lab.lookup("alias.hasan.com", RecordType::A);
    lab.assert_has("Resolver: cache hit: alias.hasan.com. CNAME (TTL 3599 s left)");
    lab.assert_has("Resolver: cache hit: www.other.com. A (TTL 3599 s left)");
}

#[test]
fn resolver_rejects_malformed_queries() {
    let mut r = Resolver::new(ResolverConfig::with_root_hints(vec![ip(ROOT)]), 1);
    let client = SocketAddr::new(ip(PC), 5353);
    // A header claiming one question, with none behind it: FORMERR.
    let bytes = [0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    r.handle_datagram(SimTime::ZERO, client, &bytes);
    let t = r.poll_transmit().unwrap();
    assert_eq!(t.dst, client);
    let resp = Message::parse(&t.payload).unwrap();
    assert_eq!((resp.id, resp.flags.rcode), (0xabcd, Rcode::FormErr));
    // No question at all: FORMERR as well.
    let mut empty = Message::query(7, Question::new(n("x"), RecordType::A), true);
    empty.questions.clear();
    r.handle_datagram(SimTime::ZERO, client, &empty.emit());
    let resp = Message::parse(&r.poll_transmit().unwrap().payload).unwrap();
    assert_eq!(resp.flags.rcode, Rcode::FormErr);
    assert!(resp.flags.ra);
}

#[test]
fn retransmissions_and_late_replies() {
    let mut r = Resolver::new(ResolverConfig::with_root_hints(vec![ip(ROOT)]), 100);
    let client = SocketAddr::new(ip(PC), 5353);
    let q = Message::query(9, Question::new(n("hasan.com"), RecordType::A), true).emit();
    r.handle_datagram(SimTime::ZERO, client, &q);
    let first = r.poll_transmit().unwrap();
    // The client asks again before the answer: no second walk.
    r.handle_datagram(SimTime::from_millis(500), client, &q);
    assert_eq!(r.poll_transmit(), None);
    // The root is slow: after 2 s the query is sent again with a new id.
    r.handle_timeout(SimTime::from_secs(2));
    let second = r.poll_transmit().unwrap();
    assert_eq!(second.dst, first.dst);
    assert_ne!(second.payload[..2], first.payload[..2]);
    // The first reply, late, is ignored; the second is used.
    let mut root = Authoritative::new(vec![root_zone()]);
    let root_addr = SocketAddr::new(ip(ROOT), 53);
    let late = root
        .handle_query(SimTime::ZERO, &first.payload, Transport::Udp)
        .unwrap();
    r.handle_datagram(SimTime::from_millis(2100), root_addr, &late);
    let notes: Vec<String> = core::iter::from_fn(|| r.poll_note())
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        notes.last().unwrap(),
        "ignored a reply from 198.41.0.4:53 (id 100) nobody asked for"
    );
    assert_eq!(r.poll_transmit(), None);
    let reply = root
        .handle_query(SimTime::ZERO, &second.payload, Transport::Udp)
        .unwrap();
    r.handle_datagram(SimTime::from_millis(2200), root_addr, &reply);
    let to_com = r.poll_transmit().unwrap();
    assert_eq!(to_com.dst, SocketAddr::new(ip(COM), 53));
}

#[test]
fn queries_without_recursion_get_the_cache_or_a_referral() {
    let mut lab = Lab::new();
    let _ = lab.lookup("hasan.com", RecordType::A);
    let client = SocketAddr::new(ip(PC), 5353);
    let ask = |r: &mut Resolver, name: &str, qtype| {
        let q = Message::query(3, Question::new(n(name), qtype), false);
        r.handle_datagram(SimTime::from_secs(1), client, &q.emit());
        Message::parse(&r.poll_transmit().unwrap().payload).unwrap()
    };
    let cached = ask(&mut lab.resolver, "hasan.com", RecordType::A);
    assert_eq!(cached.to_string(), "A hasan.com. 192.168.1.1 (RA)");
    let referral = ask(&mut lab.resolver, "www.hasan.com", RecordType::A);
    assert_eq!(
        referral.to_string(),
        "NOERROR A? www.hasan.com., referral to hasan.com. (1 NS) (RA)"
    );
    assert_eq!(
        referral.additionals[0].summary(),
        "A ns1.hasan.com. 10.0.3.53"
    );
    assert!(
        lab.resolver.poll_transmit().is_none(),
        "nothing sent upstream"
    );
}
