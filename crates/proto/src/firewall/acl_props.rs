//! Property tests for IOS access-list lines: an entry's configuration text
//! parses back to the same entry, and any line the parser accepts prints
//! (`config_text`) as a line that parses back to the same command.

use std::net::Ipv4Addr;

use proptest::prelude::*;

use super::acl::{AclEntry, AclKind, AclMatch, AclProtocol, AddrSpec, PortOp};
use super::ios::{AclCommand, ConfigMode, parse_line};
use super::packet::Action;

fn addr_spec() -> impl Strategy<Value = AddrSpec> {
    prop_oneof![
        Just(AddrSpec::Any),
        any::<[u8; 4]>().prop_map(|a| AddrSpec::Host(a.into())),
        (any::<[u8; 4]>(), 0u32..=32, any::<[u8; 4]>(), any::<bool>()).prop_map(
            |(a, len, w, contiguous)| {
                let wildcard = if contiguous {
                    Ipv4Addr::from(u32::MAX.checked_shr(len).unwrap_or(0))
                } else {
                    Ipv4Addr::from(w)
                };
                AddrSpec::wildcard(a.into(), wildcard)
            }
        ),
    ]
}

fn port_op() -> impl Strategy<Value = PortOp> {
    prop_oneof![
        any::<u16>().prop_map(PortOp::Eq),
        any::<u16>().prop_map(PortOp::Neq),
        any::<u16>().prop_map(PortOp::Lt),
        any::<u16>().prop_map(PortOp::Gt),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| PortOp::Range(a.min(b), a.max(b))),
        prop::sample::select(vec![
            20u16, 21, 23, 25, 53, 67, 68, 69, 80, 110, 123, 161, 514
        ])
        .prop_map(PortOp::Eq),
    ]
}

fn protocol() -> impl Strategy<Value = AclProtocol> {
    prop_oneof![
        Just(AclProtocol::Ip),
        Just(AclProtocol::Icmp),
        Just(AclProtocol::Tcp),
        Just(AclProtocol::Udp),
        any::<u8>()
            .prop_filter("named protocols", |n| ![1, 6, 17].contains(n))
            .prop_map(AclProtocol::Number),
    ]
}

fn matcher(kind: AclKind) -> BoxedStrategy<AclMatch> {
    match kind {
        AclKind::Standard => addr_spec()
            .prop_map(|source| AclMatch::Standard { source })
            .boxed(),
        AclKind::Extended => (
            protocol(),
            addr_spec(),
            proptest::option::of(port_op()),
            addr_spec(),
            proptest::option::of(port_op()),
            proptest::option::of(any::<u8>()),
            any::<bool>(),
        )
            .prop_map(|(protocol, source, sp, destination, dp, icmp, est)| {
                let ports = matches!(protocol, AclProtocol::Tcp | AclProtocol::Udp);
                AclMatch::Extended {
                    protocol,
                    source,
                    source_port: sp.filter(|_| ports),
                    destination,
                    destination_port: dp.filter(|_| ports),
                    icmp_type: icmp.filter(|_| protocol == AclProtocol::Icmp),
                    established: est && protocol == AclProtocol::Tcp,
                }
            })
            .boxed(),
    }
}

fn entry() -> impl Strategy<Value = (AclKind, AclEntry)> {
    prop_oneof![Just(AclKind::Standard), Just(AclKind::Extended)].prop_flat_map(|kind| {
        (1u32..=2_147_483_647, any::<bool>(), matcher(kind)).prop_map(
            move |(seq, permit, matcher)| {
                let action = if permit { Action::Allow } else { Action::Deny };
                (
                    kind,
                    AclEntry {
                        seq,
                        action,
                        matcher,
                    },
                )
            },
        )
    })
}

/// A line from IOS words, well formed or nearly.
fn acl_line() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "permit",
        "deny",
        "remark",
        "ip",
        "tcp",
        "udp",
        "icmp",
        "6",
        "0",
        "255",
        "any",
        "host",
        "192.168.1.1",
        "192.168.1.0",
        "0.0.0.255",
        "10.0.0.0/8",
        "1.2.3.4/32",
        "0.0.0.0/0",
        "255.255.255.255",
        "0.0.0.0",
        "eq",
        "neq",
        "lt",
        "gt",
        "range",
        "www",
        "80",
        "domain",
        "65535",
        "echo",
        "echo-reply",
        "8",
        "established",
        "log",
        "ECHO",
        "WWW",
        "Permit",
    ]);
    let head = prop::sample::select(vec![
        "access-list 10",
        "access-list 101",
        "access-list 1300",
        "access-list 2000",
        "10",
        "",
    ]);
    let random = (head.clone(), proptest::collection::vec(word, 1..10))
        .prop_map(|(h, words)| format!("{h} {}", words.join(" ")));
    let pick = |items: Vec<&'static str>| prop::sample::select(items);
    let addr = || {
        pick(vec![
            "any",
            "host 192.168.1.1",
            "HOST 10.0.0.1",
            "192.168.1.77 0.0.0.255",
            "10.0.0.1 0.0.0.254",
            "10.0.0.0/8",
            "1.2.3.4/32",
            "0.0.0.0/0",
            "1.2.3.4 255.255.255.255",
            "1.2.3.4 0.0.0.0",
            "192.168.1.1",
        ])
    };
    let port = || {
        pick(vec![
            "",
            "",
            "eq www",
            "eq 80",
            "neq domain",
            "lt 1024",
            "gt 60000",
            "range 50 60",
            "range ftp-data ftp",
            "eq ECHO",
            "eq tftp",
            "eq 0",
            "range 1 1",
        ])
    };
    let structured = (
        head,
        pick(vec!["permit", "deny", "PERMIT"]),
        pick(vec![
            "", "ip", "tcp", "udp", "icmp", "6", "17", "1", "0", "89",
        ]),
        addr(),
        port(),
        addr(),
        port(),
        pick(vec![
            "",
            "",
            "echo",
            "echo-reply",
            "8",
            "200",
            "established",
            "log",
            "echo log",
        ]),
    )
        .prop_map(|(h, a, p, s, sp, d, dp, tail)| format!("{h} {a} {p} {s} {sp} {d} {dp} {tail}"));
    let standard = (
        head_std(),
        pick(vec!["permit", "deny"]),
        addr(),
        pick(vec!["", "log"]),
    )
        .prop_map(|(h, a, s, tail)| format!("{h} {a} {s} {tail}"));
    prop_oneof![random, structured, standard]
}

fn head_std() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["access-list 10", "access-list 1999", "20"])
}

/// The configuration line for a parsed entry or remark, in the same mode.
fn print(cmd: &AclCommand) -> Option<String> {
    match cmd {
        AclCommand::Entry {
            list,
            seq,
            action,
            matcher,
            ..
        } => {
            let text = AclEntry {
                seq: seq.unwrap_or(10),
                action: *action,
                matcher: matcher.clone(),
            }
            .config_text();
            let numbered = list.bytes().all(|b| b.is_ascii_digit());
            Some(match seq {
                Some(s) => format!("{s} {text}"),
                None if numbered => format!("access-list {list} {text}"),
                None => text,
            })
        }
        AclCommand::Remark { list, text, .. } if list.bytes().all(|b| b.is_ascii_digit()) => {
            Some(format!("access-list {list} remark {text}"))
        }
        AclCommand::Remark { text, .. } => Some(format!("remark {text}")),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A generated entry, typed as a numbered or a named-list line, parses
    /// back to itself.
    #[test]
    fn entry_config_text_parses_back((kind, e) in entry()) {
        let number = match kind {
            AclKind::Standard => "10",
            AclKind::Extended => "101",
        };
        let line = format!("access-list {number} {}", e.config_text());
        let cmd = parse_line(&line, &ConfigMode::Global)
            .map_err(|err| TestCaseError::fail(format!("{err}: {line}")))?;
        prop_assert_eq!(
            cmd,
            AclCommand::Entry {
                list: number.to_string(),
                kind,
                seq: None,
                action: e.action,
                matcher: e.matcher.clone(),
            },
            "{}", line
        );
        let mode = ConfigMode::NamedList("WEB".to_string(), kind);
        let line = format!("{} {}", e.seq, e.config_text());
        let cmd = parse_line(&line, &mode)
            .map_err(|err| TestCaseError::fail(format!("{err}: {line}")))?;
        prop_assert_eq!(
            cmd,
            AclCommand::Entry {
                list: "WEB".to_string(),
                kind,
                seq: Some(e.seq),
                action: e.action,
                matcher: e.matcher,
            },
            "{}", line
        );
    }

    /// Any entry or remark line the parser accepts prints as a line that
    /// parses back to the same command.
    #[test]
    fn accepted_lines_round_trip(line in acl_line(), named in any::<bool>()) {
        let mode = if named {
            let kind = if line.starts_with("20 ") { AclKind::Standard } else { AclKind::Extended };
            ConfigMode::NamedList("WEB".to_string(), kind)
        } else {
            ConfigMode::Global
        };
        if let Ok(cmd) = parse_line(&line, &mode)
            && let Some(printed) = print(&cmd)
        {
            let again = parse_line(&printed, &mode)
                .map_err(|err| TestCaseError::fail(format!("{err}: {line} -> {printed}")))?;
            prop_assert_eq!(&again, &cmd, "{} -> {}", line, printed);
            prop_assert_eq!(print(&again), Some(printed));
        }
    }
}

/// `show access-lists` keeps its "wildcard bits" form; the configuration
/// text is what a student types.
#[test]
fn standard_network_config_text() {
    let e = AclEntry {
        seq: 10,
        action: Action::Allow,
        matcher: AclMatch::Standard {
            source: AddrSpec::wildcard(
                "192.168.1.0".parse().unwrap(),
                "0.0.0.255".parse().unwrap(),
            ),
        },
    };
    assert_eq!(e.to_string(), "permit 192.168.1.0, wildcard bits 0.0.0.255");
    assert_eq!(e.config_text(), "permit 192.168.1.0 0.0.0.255");
}
