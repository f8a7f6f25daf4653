//! The PDU inspector's field tree: a frame's bytes decoded header by header
//! (Ethernet, ARP, IPv4, ICMP, UDP, TCP, DHCP and its options, DNS and its
//! sections, the SMTP/POP3/IMAP command or reply, the HTTP start line and
//! headers), every field with the byte range it came from, so the hex dump
//! can highlight it.
//!
//! A pure function of the bytes; it reads with bounds checks only and stops
//! at the first header that does not fit, so no input makes it panic.

use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::ops::Range;

use crate::lab::MacAddr;

/// One field (or header, or section) of a frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// What it is (`Source port`).
    pub label: String,
    /// Its value, as a person reads it (`25 (SMTP)`).
    pub value: String,
    /// The bytes it came from, as offsets into the frame.
    pub range: Range<usize>,
    /// Its parts (a header's fields, an option's contents).
    pub children: Vec<Field>,
}

impl Field {
    fn new(label: &str, value: impl Into<String>, range: Range<usize>) -> Field {
        Field {
            label: label.to_string(),
            value: value.into(),
            range,
            children: Vec::new(),
        }
    }

    /// This field and all below it, depth first.
    pub fn walk(&self) -> Vec<&Field> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

/// Most lines of an application message shown as fields.
const MAX_LINES: usize = 200;
/// Most DNS records or DHCP options shown.
const MAX_ITEMS: usize = 64;

/// Bounds-checked reads at absolute offsets.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&self, i: usize) -> Option<u8> {
        self.0.get(i).copied()
    }
    fn u16(&self, i: usize) -> Option<u16> {
        Some(u16::from_be_bytes([self.u8(i)?, self.u8(i + 1)?]))
    }
    fn u32(&self, i: usize) -> Option<u32> {
        Some(u32::from_be_bytes([
            self.u8(i)?,
            self.u8(i + 1)?,
            self.u8(i + 2)?,
            self.u8(i + 3)?,
        ]))
    }
    fn ip(&self, i: usize) -> Option<Ipv4Addr> {
        self.u32(i).map(Ipv4Addr::from)
    }
    fn mac(&self, i: usize) -> Option<MacAddr> {
        let s = self.0.get(i..i + 6)?;
        let mut m = [0u8; 6];
        m.copy_from_slice(s);
        Some(MacAddr(m))
    }
    fn slice(&self, r: Range<usize>) -> &[u8] {
        self.0.get(r).unwrap_or(&[])
    }
}

/// The headers of an Ethernet frame, outermost first, each with its fields.
pub fn dissect(frame: &[u8]) -> Vec<Field> {
    let b = Bytes(frame);
    let mut out = Vec::new();
    let (Some(dst), Some(src), Some(ty)) = (b.mac(0), b.mac(6), b.u16(12)) else {
        return out;
    };
    let ty_name = match ty {
        0x0800 => "IPv4",
        0x0806 => "ARP",
        0x86dd => "IPv6",
        _ => "unknown",
    };
    let mut eth = Field::new("Ethernet II", format!("{src} → {dst}"), 0..14);
    let dst_note = if dst.0 == [0xff; 6] {
        " (broadcast)"
    } else {
        ""
    };
    eth.children = vec![
        Field::new("Destination", format!("{dst}{dst_note}"), 0..6),
        Field::new("Source", src.to_string(), 6..12),
        Field::new("Type", format!("0x{ty:04x} ({ty_name})"), 12..14),
    ];
    out.push(eth);
    match ty {
        0x0806 => {
            if let Some(f) = arp(&b, 14) {
                out.push(f);
            }
        }
        0x0800 => ipv4(&b, 14, &mut out),
        _ => {}
    }
    out
}

fn arp(b: &Bytes<'_>, o: usize) -> Option<Field> {
    let op = b.u16(o + 6)?;
    let (sha, spa, tha, tpa) = (b.mac(o + 8)?, b.ip(o + 14)?, b.mac(o + 18)?, b.ip(o + 24)?);
    let op_name = match op {
        1 => "request",
        2 => "reply",
        _ => "other",
    };
    let mut f = Field::new("ARP", op_name, o..o + 28);
    f.children = vec![
        Field::new("Hardware type", b.u16(o)?.to_string(), o..o + 2),
        Field::new(
            "Protocol type",
            format!("0x{:04x}", b.u16(o + 2)?),
            o + 2..o + 4,
        ),
        Field::new("Hardware size", b.u8(o + 4)?.to_string(), o + 4..o + 5),
        Field::new("Protocol size", b.u8(o + 5)?.to_string(), o + 5..o + 6),
        Field::new("Opcode", format!("{op} ({op_name})"), o + 6..o + 8),
        Field::new("Sender MAC address", sha.to_string(), o + 8..o + 14),
        Field::new("Sender IP address", spa.to_string(), o + 14..o + 18),
        Field::new("Target MAC address", tha.to_string(), o + 18..o + 24),
        Field::new("Target IP address", tpa.to_string(), o + 24..o + 28),
    ];
    Some(f)
}

fn ipv4(b: &Bytes<'_>, o: usize, out: &mut Vec<Field>) {
    let Some(vihl) = b.u8(o) else { return };
    let ihl = usize::from(vihl & 0x0f) * 4;
    if vihl >> 4 != 4 || ihl < 20 || b.0.len() < o + ihl {
        return;
    }
    let (Some(total), Some(proto), Some(src), Some(dst)) =
        (b.u16(o + 2), b.u8(o + 9), b.ip(o + 12), b.ip(o + 16))
    else {
        return;
    };
    let proto_name = match proto {
        1 => "ICMP",
        6 => "TCP",
        17 => "UDP",
        _ => "other",
    };
    let flags = b.u16(o + 6).unwrap_or(0);
    let mut flag_words = Vec::new();
    if flags & 0x4000 != 0 {
        flag_words.push("don't fragment");
    }
    if flags & 0x2000 != 0 {
        flag_words.push("more fragments");
    }
    let end = (o + usize::from(total)).min(b.0.len()).max(o + ihl);
    let mut f = Field::new("IPv4", format!("{src} → {dst}"), o..end);
    f.children = vec![
        Field::new("Version", "4", o..o + 1),
        Field::new("Header length", format!("{ihl} bytes"), o..o + 1),
        Field::new(
            "Differentiated services",
            format!("0x{:02x}", b.u8(o + 1).unwrap_or(0)),
            o + 1..o + 2,
        ),
        Field::new("Total length", total.to_string(), o + 2..o + 4),
        Field::new(
            "Identification",
            format!("0x{0:04x} ({0})", b.u16(o + 4).unwrap_or(0)),
            o + 4..o + 6,
        ),
        Field::new(
            "Flags",
            format!("0x{:x} {}", flags >> 13, flag_words.join(", ")),
            o + 6..o + 8,
        ),
        Field::new(
            "Fragment offset",
            (flags & 0x1fff).to_string(),
            o + 6..o + 8,
        ),
        Field::new(
            "Time to live",
            b.u8(o + 8).unwrap_or(0).to_string(),
            o + 8..o + 9,
        ),
        Field::new("Protocol", format!("{proto} ({proto_name})"), o + 9..o + 10),
        Field::new(
            "Header checksum",
            format!("0x{:04x}", b.u16(o + 10).unwrap_or(0)),
            o + 10..o + 12,
        ),
        Field::new("Source address", src.to_string(), o + 12..o + 16),
        Field::new("Destination address", dst.to_string(), o + 16..o + 20),
    ];
    if ihl > 20 {
        f.children.push(Field::new(
            "Options",
            format!("{} bytes", ihl - 20),
            o + 20..o + ihl,
        ));
    }
    out.push(f);
    let p = o + ihl;
    match proto {
        1 => {
            if let Some(f) = icmp(b, p, end) {
                out.push(f);
            }
        }
        17 => udp(b, p, end, out),
        6 => tcp(b, p, end, out),
        _ => {}
    }
}

fn icmp(b: &Bytes<'_>, o: usize, end: usize) -> Option<Field> {
    let ty = b.u8(o)?;
    let code = b.u8(o + 1)?;
    let checksum = b.u16(o + 2)?;
    let name = match ty {
        0 => "echo reply",
        3 => "destination unreachable",
        8 => "echo request",
        11 => "time exceeded",
        _ => "other",
    };
    let mut f = Field::new("ICMP", name, o..end.max(o + 4));
    f.children = vec![
        Field::new("Type", format!("{ty} ({name})"), o..o + 1),
        Field::new("Code", code.to_string(), o + 1..o + 2),
        Field::new("Checksum", format!("0x{checksum:04x}"), o + 2..o + 4),
    ];
    if matches!(ty, 0 | 8)
        && let (Some(id), Some(seq)) = (b.u16(o + 4), b.u16(o + 6))
    {
        f.children
            .push(Field::new("Identifier", id.to_string(), o + 4..o + 6));
        f.children
            .push(Field::new("Sequence number", seq.to_string(), o + 6..o + 8));
        if end > o + 8 {
            f.children.push(Field::new(
                "Data",
                format!("{} bytes", end - o - 8),
                o + 8..end,
            ));
        }
    } else if end > o + 8 {
        f.children.push(Field::new(
            "Original datagram",
            format!("{} bytes", end - o - 8),
            o + 8..end,
        ));
    }
    Some(f)
}

fn port_name(p: u16) -> &'static str {
    match p {
        25 => " (SMTP)",
        53 => " (DNS)",
        67 => " (DHCP server)",
        68 => " (DHCP client)",
        80 => " (HTTP)",
        110 => " (POP3)",
        143 => " (IMAP)",
        23 => " (Telnet)",
        _ => "",
    }
}

fn udp(b: &Bytes<'_>, o: usize, end: usize, out: &mut Vec<Field>) {
    let (Some(sp), Some(dp), Some(len), Some(sum)) =
        (b.u16(o), b.u16(o + 2), b.u16(o + 4), b.u16(o + 6))
    else {
        return;
    };
    let pend = (o + usize::from(len)).min(end).max(o + 8);
    let mut f = Field::new("UDP", format!("{sp} → {dp}"), o..pend);
    f.children = vec![
        Field::new("Source port", format!("{sp}{}", port_name(sp)), o..o + 2),
        Field::new(
            "Destination port",
            format!("{dp}{}", port_name(dp)),
            o + 2..o + 4,
        ),
        Field::new("Length", len.to_string(), o + 4..o + 6),
        Field::new("Checksum", format!("0x{sum:04x}"), o + 6..o + 8),
    ];
    out.push(f);
    let p = o + 8;
    if [sp, dp].iter().any(|x| *x == 67 || *x == 68) {
        if let Some(f) = dhcp(b, p, pend) {
            out.push(f);
        }
    } else if (sp == 53 || dp == 53)
        && let Some(f) = dns(b, p, pend)
    {
        out.push(f);
    }
}

fn tcp(b: &Bytes<'_>, o: usize, end: usize, out: &mut Vec<Field>) {
    let (Some(sp), Some(dp), Some(seq), Some(ack), Some(off_flags)) = (
        b.u16(o),
        b.u16(o + 2),
        b.u32(o + 4),
        b.u32(o + 8),
        b.u16(o + 12),
    ) else {
        return;
    };
    let hl = usize::from(off_flags >> 12) * 4;
    if hl < 20 || o + hl > end {
        return;
    }
    let mut flags = Vec::new();
    for (bit, name) in [
        (0x02, "SYN"),
        (0x10, "ACK"),
        (0x08, "PSH"),
        (0x01, "FIN"),
        (0x04, "RST"),
        (0x20, "URG"),
    ] {
        if off_flags & bit != 0 {
            flags.push(name);
        }
    }
    let mut f = Field::new("TCP", format!("{sp} → {dp} [{}]", flags.join(", ")), o..end);
    f.children = vec![
        Field::new("Source port", format!("{sp}{}", port_name(sp)), o..o + 2),
        Field::new(
            "Destination port",
            format!("{dp}{}", port_name(dp)),
            o + 2..o + 4,
        ),
        Field::new("Sequence number", seq.to_string(), o + 4..o + 8),
        Field::new("Acknowledgment number", ack.to_string(), o + 8..o + 12),
        Field::new("Header length", format!("{hl} bytes"), o + 12..o + 13),
        Field::new(
            "Flags",
            format!("0x{:03x} {}", off_flags & 0x1ff, flags.join(", ")),
            o + 12..o + 14,
        ),
        Field::new(
            "Window",
            b.u16(o + 14).unwrap_or(0).to_string(),
            o + 14..o + 16,
        ),
        Field::new(
            "Checksum",
            format!("0x{:04x}", b.u16(o + 16).unwrap_or(0)),
            o + 16..o + 18,
        ),
        Field::new(
            "Urgent pointer",
            b.u16(o + 18).unwrap_or(0).to_string(),
            o + 18..o + 20,
        ),
    ];
    if hl > 20 {
        f.children.push(Field::new(
            "Options",
            format!("{} bytes", hl - 20),
            o + 20..o + hl,
        ));
    }
    let p = o + hl;
    if end > p {
        f.children
            .push(Field::new("Payload", format!("{} bytes", end - p), p..end));
    }
    out.push(f);
    if end <= p {
        return;
    }
    let from_client = sp > dp;
    let server = if from_client { dp } else { sp };
    let proto = match server {
        25 => "SMTP",
        110 => "POP3",
        143 => "IMAP",
        80 => "HTTP",
        23 => "Telnet",
        _ => return,
    };
    if proto == "HTTP" {
        if let Some(f) = http(b, p, end) {
            out.push(f);
        }
    } else {
        out.push(text_lines(b, proto, from_client, p, end));
    }
}

/// The lines of an SMTP/POP3/IMAP/Telnet segment: commands (verb and
/// argument) from the client, replies (status and text) from the server.
fn text_lines(b: &Bytes<'_>, proto: &str, from_client: bool, p: usize, end: usize) -> Field {
    let data = b.slice(p..end);
    let who = if from_client { "client" } else { "server" };
    let mut f = Field::new(proto, who, p..end);
    let mut start = 0;
    for _ in 0..MAX_LINES {
        if start >= data.len() {
            break;
        }
        let stop = data[start..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(data.len(), |i| start + i + 1);
        let raw = &data[start..stop];
        let text = String::from_utf8_lossy(raw)
            .trim_end_matches(['\r', '\n'])
            .to_string();
        let range = p + start..p + stop;
        let mut words = text.splitn(2, ' ');
        let first = words.next().unwrap_or("").to_string();
        let rest = words.next().map(str::to_string);
        // IMAP puts a tag before the command.
        let tagged = proto == "IMAP" && from_client;
        let is_verb =
            |w: &str| !w.is_empty() && w.len() <= 12 && w.chars().all(|c| c.is_ascii_alphabetic());
        let mut line = if from_client {
            let verb_word = if tagged {
                rest.as_deref()
                    .and_then(|r| r.split(' ').next())
                    .unwrap_or("")
            } else {
                first.as_str()
            };
            if is_verb(verb_word) && verb_word.chars().all(|c| c.is_ascii_uppercase())
                || tagged && is_verb(verb_word)
            {
                Field::new("Command", text.clone(), range.clone())
            } else {
                Field::new("Line", text.clone(), range.clone())
            }
        } else {
            Field::new("Reply", text.clone(), range.clone())
        };
        if line.label != "Line" && !text.is_empty() {
            // Ranges from the raw bytes (the text may hold replacement
            // characters, longer than the bytes they stand for).
            let a = range.start;
            let body = raw
                .iter()
                .rposition(|&c| c != b'\r' && c != b'\n')
                .map_or(0, |i| i + 1);
            let first_len = raw[..body].iter().position(|&c| c == b' ').unwrap_or(body);
            let (l1, l2) = if from_client {
                ("Command", "Argument")
            } else {
                ("Status", "Text")
            };
            let l1 = if tagged { "Tag" } else { l1 };
            line.children
                .push(Field::new(l1, first.clone(), a..a + first_len));
            if let Some(r) = rest {
                let r_start = (a + first_len + 1).min(a + body);
                line.children.push(Field::new(l2, r, r_start..a + body));
            }
        }
        f.children.push(line);
        start = stop;
    }
    f
}

fn http(b: &Bytes<'_>, p: usize, end: usize) -> Option<Field> {
    let data = b.slice(p..end);
    let first_end = data.iter().position(|&c| c == b'\n')?;
    let first = String::from_utf8_lossy(&data[..first_end])
        .trim_end_matches('\r')
        .to_string();
    let is_response = first.starts_with("HTTP/");
    let methods = ["GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS "];
    if !is_response && !methods.iter().any(|m| first.starts_with(m)) {
        return Some(Field::new(
            "HTTP",
            format!("data, {} bytes", data.len()),
            p..end,
        ));
    }
    let mut f = Field::new("HTTP", first.clone(), p..end);
    let mut start_line = Field::new(
        if is_response {
            "Status line"
        } else {
            "Request line"
        },
        first.clone(),
        p..p + first_end + 1,
    );
    let names = if is_response {
        ["Version", "Status code", "Reason"]
    } else {
        ["Method", "Target", "Version"]
    };
    // Split the raw bytes (the text may hold replacement characters,
    // longer than the bytes they stand for).
    let raw = &data[..first_end];
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let mut at = 0;
    for (i, part) in raw.splitn(3, |&c| c == b' ').enumerate() {
        if let Some(name) = names.get(i) {
            start_line.children.push(Field::new(
                name,
                String::from_utf8_lossy(part),
                p + at..p + at + part.len(),
            ));
        }
        at += part.len() + 1;
    }
    f.children.push(start_line);
    let mut headers = Field::new("Headers", "", p + first_end + 1..p + first_end + 1);
    let mut start = first_end + 1;
    let mut body_at = None;
    for _ in 0..MAX_LINES {
        if start >= data.len() {
            break;
        }
        let stop = data[start..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(data.len(), |i| start + i + 1);
        let line = String::from_utf8_lossy(&data[start..stop])
            .trim_end_matches(['\r', '\n'])
            .to_string();
        if line.is_empty() {
            body_at = Some(stop);
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
        headers
            .children
            .push(Field::new(name.trim(), value.trim(), p + start..p + stop));
        headers.range.end = p + stop;
        start = stop;
    }
    headers.value = format!("{}", headers.children.len());
    f.children.push(headers);
    if let Some(body) = body_at
        && body < data.len()
    {
        f.children.push(Field::new(
            "Body",
            format!("{} bytes", data.len() - body),
            p + body..end,
        ));
    }
    Some(f)
}

fn dhcp(b: &Bytes<'_>, o: usize, end: usize) -> Option<Field> {
    if end < o + 240 || b.u32(o + 236)? != 0x6382_5363 {
        return None;
    }
    let op = b.u8(o)?;
    let mut f = Field::new("DHCP", "", o..end);
    let ip = |i: usize| b.ip(o + i).map(|a| a.to_string()).unwrap_or_default();
    f.children = vec![
        Field::new(
            "Message op",
            format!("{op} ({})", if op == 1 { "request" } else { "reply" }),
            o..o + 1,
        ),
        Field::new("Hardware type", b.u8(o + 1)?.to_string(), o + 1..o + 2),
        Field::new("Hops", b.u8(o + 3)?.to_string(), o + 3..o + 4),
        Field::new(
            "Transaction ID",
            format!("0x{:08x}", b.u32(o + 4)?),
            o + 4..o + 8,
        ),
        Field::new("Seconds", b.u16(o + 8)?.to_string(), o + 8..o + 10),
        Field::new("Flags", format!("0x{:04x}", b.u16(o + 10)?), o + 10..o + 12),
        Field::new("Client IP address", ip(12), o + 12..o + 16),
        Field::new("Your IP address", ip(16), o + 16..o + 20),
        Field::new("Server IP address", ip(20), o + 20..o + 24),
        Field::new("Relay agent IP address", ip(24), o + 24..o + 28),
        Field::new(
            "Client MAC address",
            b.mac(o + 28).map(|m| m.to_string()).unwrap_or_default(),
            o + 28..o + 34,
        ),
        Field::new("Magic cookie", "DHCP", o + 236..o + 240),
    ];
    let mut opts = Field::new("Options", "", o + 240..end);
    let mut i = o + 240;
    let mut kind = String::new();
    for _ in 0..MAX_ITEMS {
        let Some(code) = b.u8(i) else { break };
        if i >= end {
            break;
        }
        if code == 0 {
            i += 1;
            continue;
        }
        if code == 255 {
            opts.children.push(Field::new("End", "255", i..i + 1));
            break;
        }
        let Some(len) = b.u8(i + 1) else { break };
        let len = usize::from(len);
        let data_r = i + 2..(i + 2 + len).min(end);
        let data = b.slice(data_r.clone());
        let ips = || {
            data.chunks_exact(4)
                .map(|c| Ipv4Addr::new(c[0], c[1], c[2], c[3]).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let secs = || {
            if data.len() == 4 {
                format!(
                    "{} s",
                    u32::from_be_bytes([data[0], data[1], data[2], data[3]])
                )
            } else {
                String::new()
            }
        };
        let (name, value) = match code {
            53 => {
                let t = data.first().copied().unwrap_or(0);
                let n = match t {
                    1 => "DISCOVER",
                    2 => "OFFER",
                    3 => "REQUEST",
                    4 => "DECLINE",
                    5 => "ACK",
                    6 => "NAK",
                    7 => "RELEASE",
                    8 => "INFORM",
                    _ => "?",
                };
                kind = n.to_string();
                ("DHCP message type", format!("{t} ({n})"))
            }
            1 => ("Subnet mask", ips()),
            3 => ("Router", ips()),
            6 => ("Domain name server", ips()),
            15 => ("Domain name", String::from_utf8_lossy(data).to_string()),
            12 => ("Host name", String::from_utf8_lossy(data).to_string()),
            50 => ("Requested IP address", ips()),
            51 => ("IP address lease time", secs()),
            58 => ("Renewal time (T1)", secs()),
            59 => ("Rebinding time (T2)", secs()),
            54 => ("DHCP server identifier", ips()),
            55 => (
                "Parameter request list",
                data.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            61 => ("Client identifier", hex(data)),
            82 => ("Relay agent information", hex(data)),
            _ => ("Option", hex(data)),
        };
        let mut opt = Field::new(&format!("Option {code}: {name}"), value, i..data_r.end);
        opt.children
            .push(Field::new("Code", code.to_string(), i..i + 1));
        opt.children
            .push(Field::new("Length", len.to_string(), i + 1..i + 2));
        opts.children.push(opt);
        i = i + 2 + len;
    }
    f.value = kind;
    f.children.push(opts);
    Some(f)
}

fn hex(data: &[u8]) -> String {
    let mut s = String::new();
    for b in data.iter().take(32) {
        let _ = write!(s, "{b:02x}");
    }
    if data.len() > 32 {
        s.push('…');
    }
    s
}

/// A DNS name at absolute offset `i` (following compression pointers
/// within the message that starts at `msg`); the name and the offset after
/// it in the record.
fn dns_name(b: &Bytes<'_>, msg: usize, mut i: usize, end: usize) -> Option<(String, usize)> {
    let mut labels: Vec<String> = Vec::new();
    let mut after = None;
    for _ in 0..128 {
        if i >= end {
            return None;
        }
        let len = b.u8(i)?;
        if len & 0xc0 == 0xc0 {
            let ptr = usize::from(u16::from_be_bytes([len & 0x3f, b.u8(i + 1)?]));
            after.get_or_insert(i + 2);
            i = msg + ptr;
            continue;
        }
        if len == 0 {
            let name = if labels.is_empty() {
                "<root>".to_string()
            } else {
                labels.join(".")
            };
            return Some((name, after.unwrap_or(i + 1)));
        }
        let l = usize::from(len);
        labels.push(String::from_utf8_lossy(b.slice(i + 1..i + 1 + l)).to_string());
        i += 1 + l;
    }
    None
}

fn rr_type(t: u16) -> String {
    match t {
        1 => "A".into(),
        2 => "NS".into(),
        5 => "CNAME".into(),
        6 => "SOA".into(),
        12 => "PTR".into(),
        15 => "MX".into(),
        16 => "TXT".into(),
        28 => "AAAA".into(),
        255 => "ANY".into(),
        n => n.to_string(),
    }
}

fn dns(b: &Bytes<'_>, o: usize, end: usize) -> Option<Field> {
    if end < o + 12 {
        return None;
    }
    let flags = b.u16(o + 2)?;
    let counts = [b.u16(o + 4)?, b.u16(o + 6)?, b.u16(o + 8)?, b.u16(o + 10)?];
    let is_resp = flags & 0x8000 != 0;
    let rcode = flags & 0x000f;
    let mut f = Field::new("DNS", if is_resp { "response" } else { "query" }, o..end);
    f.children = vec![
        Field::new("Transaction ID", format!("0x{:04x}", b.u16(o)?), o..o + 2),
        Field::new(
            "Flags",
            format!(
                "0x{flags:04x} ({}{}, rcode {rcode})",
                if is_resp { "response" } else { "query" },
                if flags & 0x0100 != 0 {
                    ", recursion desired"
                } else {
                    ""
                }
            ),
            o + 2..o + 4,
        ),
        Field::new("Questions", counts[0].to_string(), o + 4..o + 6),
        Field::new("Answer RRs", counts[1].to_string(), o + 6..o + 8),
        Field::new("Authority RRs", counts[2].to_string(), o + 8..o + 10),
        Field::new("Additional RRs", counts[3].to_string(), o + 10..o + 12),
    ];
    let mut i = o + 12;
    let names = ["Queries", "Answers", "Authority", "Additional"];
    'sections: for (s, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let mut sec = Field::new(names[s], count.to_string(), i..i);
        for _ in 0..usize::from(count).min(MAX_ITEMS) {
            let Some((name, after)) = dns_name(b, o, i, end) else {
                f.children.push(sec);
                break 'sections;
            };
            let (Some(ty), Some(_class)) = (b.u16(after), b.u16(after + 2)) else {
                f.children.push(sec);
                break 'sections;
            };
            if s == 0 {
                let r = i..(after + 4).min(end);
                let mut q = Field::new(&name, format!("type {}", rr_type(ty)), r);
                q.children.push(Field::new("Name", name.clone(), i..after));
                q.children
                    .push(Field::new("Type", rr_type(ty), after..after + 2));
                q.children
                    .push(Field::new("Class", "IN", after + 2..after + 4));
                sec.children.push(q);
                i = after + 4;
            } else {
                let (Some(ttl), Some(rdlen)) = (b.u32(after + 4), b.u16(after + 8)) else {
                    f.children.push(sec);
                    break 'sections;
                };
                let rd = after + 10;
                let rd_end = rd + usize::from(rdlen);
                if rd_end > end {
                    f.children.push(sec);
                    break 'sections;
                }
                let data = match ty {
                    1 => b.ip(rd).map(|a| a.to_string()).unwrap_or_default(),
                    2 | 5 | 12 => dns_name(b, o, rd, end).map(|n| n.0).unwrap_or_default(),
                    15 => format!(
                        "{} {}",
                        b.u16(rd).unwrap_or(0),
                        dns_name(b, o, rd + 2, end).map(|n| n.0).unwrap_or_default()
                    ),
                    16 => String::from_utf8_lossy(b.slice(rd + 1..rd_end)).to_string(),
                    _ => hex(b.slice(rd..rd_end)),
                };
                let mut r = Field::new(&name, format!("{} {data}", rr_type(ty)), i..rd_end);
                r.children.push(Field::new("Name", name.clone(), i..after));
                r.children
                    .push(Field::new("Type", rr_type(ty), after..after + 2));
                r.children
                    .push(Field::new("Class", "IN", after + 2..after + 4));
                r.children.push(Field::new(
                    "Time to live",
                    format!("{ttl} s"),
                    after + 4..after + 8,
                ));
                r.children.push(Field::new(
                    "Data length",
                    rdlen.to_string(),
                    after + 8..after + 10,
                ));
                r.children.push(Field::new("Data", data, rd..rd_end));
                sec.children.push(r);
                i = rd_end;
            }
        }
        sec.range.end = i;
        f.children.push(sec);
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanlab_proto::net::packet;
    use smoltcp::wire::{ArpOperation, EthernetAddress, EthernetProtocol, IpProtocol};

    fn find<'a>(fs: &'a [Field], label: &str) -> Option<&'a Field> {
        fs.iter().flat_map(Field::walk).find(|f| f.label == label)
    }

    #[test]
    fn arp_fields_have_their_bytes() {
        let a = Ipv4Addr::new(10, 0, 0, 1);
        let m = EthernetAddress([2, 0, 0, 0, 0, 1]);
        let arp = packet::arp(
            ArpOperation::Request,
            m,
            a,
            EthernetAddress([0; 6]),
            Ipv4Addr::new(10, 0, 0, 2),
        );
        let f = packet::ethernet(m, EthernetAddress::BROADCAST, EthernetProtocol::Arp, &arp);
        let tree = dissect(&f);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[1].label, "ARP");
        let tpa = find(&tree, "Target IP address").unwrap();
        assert_eq!(tpa.value, "10.0.0.2");
        assert_eq!(&f[tpa.range.clone()], &[10, 0, 0, 2]);
        assert!(
            find(&tree, "Destination")
                .unwrap()
                .value
                .contains("broadcast")
        );
    }

    #[test]
    fn smtp_command_inside_tcp() {
        let a = Ipv4Addr::new(10, 0, 0, 1);
        let b = Ipv4Addr::new(10, 0, 0, 2);
        let m = EthernetAddress([2, 0, 0, 0, 0, 1]);
        // A hand-made TCP header: 49152 → 25, PSH+ACK, 20 bytes.
        let mut seg = vec![
            0xc0, 0x00, 0x00, 25, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x18, 0xff, 0xff,
        ];
        seg.extend([0, 0, 0, 0]);
        seg.extend(b"EHLO pc1\r\n");
        let ip = packet::ipv4(a, b, IpProtocol::Tcp, 64, 1, &seg);
        let f = packet::ethernet(m, m, EthernetProtocol::Ipv4, &ip);
        let tree = dissect(&f);
        let labels: Vec<&str> = tree.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["Ethernet II", "IPv4", "TCP", "SMTP"]);
        let dport = find(&tree, "Destination port").unwrap();
        assert_eq!(dport.value, "25 (SMTP)");
        assert_eq!(&f[dport.range.clone()], &[0, 25]);
        let cmd = find(&tree, "Command").unwrap();
        assert_eq!(cmd.value, "EHLO pc1");
        assert_eq!(&f[cmd.children[0].range.clone()], b"EHLO");
        assert_eq!(&f[cmd.children[1].range.clone()], b"pc1");
        // Every prefix decodes without panicking, and every range is in bounds.
        for n in 0..f.len() {
            for field in dissect(&f[..n]).iter().flat_map(Field::walk) {
                assert!(
                    field.range.start <= field.range.end && field.range.end <= n,
                    "{field:?}"
                );
            }
        }
    }

    #[test]
    fn ranges_follow_bytes_not_lossy_text() {
        // Found by cargo fuzz: a server line of invalid UTF-8 (each byte
        // becomes a 3-byte replacement character in the text).
        let a = Ipv4Addr::new(10, 0, 0, 1);
        let m = EthernetAddress([2, 0, 0, 0, 0, 1]);
        let mut seg = vec![
            0, 25, 0xc0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x18, 0xff, 0xff,
        ];
        seg.extend([0, 0, 0, 0]);
        seg.extend([0xff; 40]);
        seg.extend(b" \xb7\xb7\r\n");
        let ip = packet::ipv4(a, a, IpProtocol::Tcp, 64, 1, &seg);
        let f = packet::ethernet(m, m, EthernetProtocol::Ipv4, &ip);
        let tree = dissect(&f);
        // The same in an HTTP request line.
        let mut seg2 = vec![
            0xc0, 0, 0, 80, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x18, 0xff, 0xff,
        ];
        seg2.extend([0, 0, 0, 0]);
        seg2.extend(b"GET /\xff\xff\xff HTTP/1.1\r\n\r\n");
        let ip2 = packet::ipv4(a, a, IpProtocol::Tcp, 64, 1, &seg2);
        let f2 = packet::ethernet(m, m, EthernetProtocol::Ipv4, &ip2);
        let tree2 = dissect(&f2);
        let target = find(&tree2, "Target").expect("a request target");
        assert_eq!(&f2[target.range.clone()], b"/\xff\xff\xff");
        let http = std::slice::from_ref(tree2.last().unwrap());
        assert_eq!(
            &f2[find(http, "Version").unwrap().range.clone()],
            b"HTTP/1.1"
        );
        let status = find(&tree, "Status").expect("a reply line");
        assert_eq!(status.range.len(), 40);
        let text = find(&tree, "Text").expect("its text");
        assert_eq!(&f[text.range.clone()], &[0xb7, 0xb7]);
        for field in tree.iter().flat_map(Field::walk) {
            assert!(field.range.end <= f.len(), "{field:?}");
        }
    }

    #[test]
    fn garbage_never_panics_and_ranges_stay_inside() {
        let mut x: u64 = 0x1234_5678;
        for len in 0..600 {
            let mut f = vec![0u8; len];
            for b in &mut f {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
            // Make the headers plausible so the decoder goes deep.
            if len > 40 {
                f[12] = 8;
                f[13] = 0;
                f[14] = 0x45;
                f[23] = [6, 17, 1][len % 3];
                f[16] = (len >> 8) as u8;
                f[17] = len as u8;
            }
            for field in dissect(&f).iter().flat_map(Field::walk) {
                assert!(
                    field.range.start <= field.range.end && field.range.end <= len,
                    "{field:?}"
                );
            }
        }
    }
}
