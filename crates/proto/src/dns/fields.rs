//! The PDU inspector's view of a DNS message: the header's fields and each
//! question and record with the bytes it came from, read with the same
//! [`Reader`] (and so the same name decompression, RFC 1035 §4.1.4) and
//! [`RData::parse`] the engines use.

use super::header::Flags;
use super::name::Name;
use super::rdata::{Class, RData, RecordType};
use super::wire::Reader;
use crate::fields::{Field, MAX_ITEMS, hex};

fn name_text(n: &Name) -> String {
    if n.is_root() {
        "<root>".to_string()
    } else {
        n.to_string_no_dot()
    }
}

fn type_text(t: RecordType) -> String {
    t.mnemonic()
        .map_or_else(|| u16::from(t).to_string(), str::to_string)
}

fn data_text(data: Option<RData>, raw: &[u8]) -> String {
    match data {
        Some(RData::A(a)) => a.to_string(),
        Some(RData::Ns(n) | RData::Cname(n) | RData::Ptr(n)) => name_text(&n),
        Some(RData::Mx {
            preference,
            exchange,
        }) => format!("{preference} {}", name_text(&exchange)),
        Some(RData::Txt(strings)) => strings.concat(),
        _ => hex(raw),
    }
}

/// The message's fields (`payload` is the UDP payload, at offset `base` in
/// the frame); `None` below the 12-byte header. A section that stops
/// decoding is shown up to the last whole entry.
pub fn fields(payload: &[u8], base: usize) -> Option<Field> {
    if payload.len() < 12 {
        return None;
    }
    let mut r = Reader::new(payload);
    let id = r.u16().ok()?;
    let bits = r.u16().ok()?;
    let counts = [r.u16().ok()?, r.u16().ok()?, r.u16().ok()?, r.u16().ok()?];
    let flags = Flags::from_bits(bits);
    let kind = if flags.qr { "response" } else { "query" };
    let rcode = bits & 0x000f;
    let o = base;
    let mut f = Field::new("DNS", kind, o..o + payload.len()).with_children(vec![
        Field::new("Transaction ID", format!("0x{id:04x}"), o..o + 2),
        Field::new(
            "Flags",
            format!(
                "0x{bits:04x} ({kind}{}, rcode {rcode})",
                if flags.rd { ", recursion desired" } else { "" }
            ),
            o + 2..o + 4,
        ),
        Field::new("Questions", counts[0].to_string(), o + 4..o + 6),
        Field::new("Answer RRs", counts[1].to_string(), o + 6..o + 8),
        Field::new("Authority RRs", counts[2].to_string(), o + 8..o + 10),
        Field::new("Additional RRs", counts[3].to_string(), o + 10..o + 12),
    ]);
    let names = ["Queries", "Answers", "Authority", "Additional"];
    for (s, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let start = o + r.pos();
        let mut sec = Field::new(names[s], count.to_string(), start..start);
        let mut complete = true;
        for _ in 0..usize::from(count).min(MAX_ITEMS) {
            let entry = if s == 0 {
                question(&mut r, o)
            } else {
                record(&mut r, o)
            };
            let Some(entry) = entry else {
                complete = false;
                break;
            };
            sec.range.end = entry.range.end;
            sec.children.push(entry);
        }
        f.children.push(sec);
        if !complete {
            break;
        }
    }
    Some(f)
}

/// A name, its type and class, as the fields they came from.
fn owner(r: &mut Reader<'_>, o: usize) -> Option<(String, RecordType, Vec<Field>)> {
    let i = o + r.pos();
    let name = name_text(&r.name().ok()?);
    let after = o + r.pos();
    let ty = RecordType::from(r.u16().ok()?);
    let class = Class::from(r.u16().ok()?);
    let children = vec![
        Field::new("Name", name.clone(), i..after),
        Field::new("Type", type_text(ty), after..after + 2),
        Field::new("Class", class.to_string(), after + 2..after + 4),
    ];
    Some((name, ty, children))
}

fn question(r: &mut Reader<'_>, o: usize) -> Option<Field> {
    let i = o + r.pos();
    let (name, ty, children) = owner(r, o)?;
    Some(
        Field::new(&name, format!("type {}", type_text(ty)), i..o + r.pos())
            .with_children(children),
    )
}

fn record(r: &mut Reader<'_>, o: usize) -> Option<Field> {
    let i = o + r.pos();
    let (name, ty, mut children) = owner(r, o)?;
    let ttl_at = o + r.pos();
    let ttl = r.u32().ok()?;
    let rdlen = r.u16().ok()?;
    let rd = o + r.pos();
    // The data through the engines' parser (names decompressed against the
    // whole message), and its raw bytes.
    let data = RData::parse(&mut r.clone(), ty, usize::from(rdlen)).ok();
    let raw = r.bytes(usize::from(rdlen)).ok()?;
    let rd_end = rd + raw.len();
    let text = data_text(data, raw);
    children.extend([
        Field::new("Time to live", format!("{ttl} s"), ttl_at..ttl_at + 4),
        Field::new("Data length", rdlen.to_string(), ttl_at + 4..ttl_at + 6),
        Field::new("Data", text.clone(), rd..rd_end),
    ]);
    Some(Field::new(&name, format!("{} {text}", type_text(ty)), i..rd_end).with_children(children))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimTime;
    use crate::dns::{Authoritative, Message, Question, Transport, parse_zone};

    #[test]
    fn sections_and_compressed_names_with_their_bytes() {
        let origin = Name::parse("hasan.com").unwrap();
        let zone = parse_zone(
            &origin,
            "@ NS ns1\nns1 A 10.0.3.53\n@ MX 10 mail\nmail A 10.0.3.25",
        )
        .unwrap();
        let mut server = Authoritative::new(vec![zone]);
        let query = Message::query(0xbeef, Question::new(origin, RecordType::Mx), true).emit();
        let reply = server
            .handle_query(SimTime::ZERO, &query, Transport::Udp)
            .unwrap();
        let mut frame = vec![0u8; 42];
        frame.extend(&reply);
        let f = fields(&reply, 42).unwrap();
        assert_eq!((f.label.as_str(), f.value.as_str()), ("DNS", "response"));
        assert_eq!(f.range, 42..frame.len());
        let id = f.find("Transaction ID").unwrap();
        assert_eq!(
            (id.value.as_str(), &frame[id.range.clone()]),
            ("0xbeef", &[0xbe, 0xef][..])
        );
        let flags = f.find("Flags").unwrap();
        assert!(
            flags
                .value
                .ends_with("(response, recursion desired, rcode 0)"),
            "{flags:?}"
        );
        // The question: the name written out in full, at byte 12.
        let q = &f.find("Queries").unwrap().children[0];
        assert_eq!(
            (q.label.as_str(), q.value.as_str()),
            ("hasan.com", "type MX")
        );
        assert_eq!(q.range, 54..69);
        assert_eq!(&frame[q.children[0].range.clone()], b"\x05hasan\x03com\x00");
        assert_eq!(&frame[q.children[1].range.clone()], &[0, 15]);
        assert_eq!(q.children[2].value, "IN");
        // The answer: its owner a compression pointer to byte 12, its data
        // a preference and a compressed exchange.
        let a = &f.find("Answers").unwrap().children[0];
        assert_eq!(a.value, "MX 10 mail.hasan.com");
        assert_eq!(a.range.start, 69);
        let name = &a.children[0];
        assert_eq!(
            (name.label.as_str(), name.value.as_str()),
            ("Name", "hasan.com")
        );
        assert_eq!(&frame[name.range.clone()], &[0xc0, 12]);
        let labels: Vec<&str> = a.children.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Name",
                "Type",
                "Class",
                "Time to live",
                "Data length",
                "Data"
            ]
        );
        let data = &a.children[5];
        assert_eq!(data.value, "10 mail.hasan.com");
        assert_eq!(&frame[data.range.clone()][..2], &[0, 10]);
        assert_eq!(a.range.end, data.range.end);
        // The glue address in the additional section.
        let glue = f.find("Additional").unwrap();
        assert!(
            glue.children.iter().any(|r| r.value == "A 10.0.3.25"
                && frame[r.children[5].range.clone()] == [10, 0, 3, 25]),
            "{glue:?}"
        );
        for n in 0..reply.len() {
            if let Some(f) = fields(&reply[..n], 42) {
                for x in f.walk() {
                    assert!(
                        x.range.start <= x.range.end && x.range.end <= 42 + n,
                        "{x:?}"
                    );
                }
            }
        }
        assert!(fields(&reply[..11], 42).is_none());
    }
}
