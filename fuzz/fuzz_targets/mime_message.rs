//! Mail parsing: an arbitrary message never makes the RFC 5322 / MIME
//! reader panic (headers, address lists, encoded words, multipart, base64,
//! quoted-printable, attachments), nor IMAP's view of it (ENVELOPE,
//! BODYSTRUCTURE, `BODY[1.2.HEADER]`-style sections, dates).
#![no_main]

use lanlab_proto::imap::message::{BodyStructure, Envelope, parse_rfc5322_date, section_bytes};
use lanlab_proto::imap::{Section, SectionKind};
use lanlab_proto::mail::{self, mime};
use libfuzzer_sys::fuzz_target;

fn walk(part: &mime::MimePart, depth: usize) {
    let _ = part.decoded();
    let _ = part.filename();
    let _ = part.is_attachment();
    let _ = part.text();
    if depth < 8 {
        for p in &part.parts {
            walk(p, depth + 1);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let m = mail::Message::parse(&raw);
    let _ = (
        m.subject(),
        m.from(),
        m.to(),
        m.cc(),
        m.date(),
        m.message_id(),
    );
    let _ = m.text();
    let _ = m.attachments();
    walk(&m.mime(), 0);
    for (_, value) in &m.headers {
        let _ = mime::decode_words(value);
        let _ = mime::ContentType::parse(value);
        let _ = mail::message::parse_address_list(value);
        let _ = mail::date::parse_rfc5322(value);
        let _ = parse_rfc5322_date(value);
    }
    let _ = mime::decode_qp(&m.body);
    let _ = mime::decode_base64(&m.body);

    let _ = Envelope::of(data);
    let _ = BodyStructure::of(data).to_imap();
    let n = u32::from(data.first().copied().unwrap_or(1) % 4);
    for part in [vec![], vec![1], vec![n, 1], vec![2, n, 1]] {
        for kind in [
            SectionKind::Full,
            SectionKind::Header,
            SectionKind::HeaderFields(vec!["SUBJECT".into(), "FROM".into()]),
            SectionKind::HeaderFieldsNot(vec!["TO".into()]),
            SectionKind::Text,
            SectionKind::Mime,
        ] {
            let _ = section_bytes(
                data,
                &Section {
                    part: part.clone(),
                    kind,
                },
            );
        }
    }
});
