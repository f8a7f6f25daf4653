//! A whole DNS message as `dig` prints it (header line, flags, the four
//! sections), for the PDU inspector: the layout network engineers know from
//! RFC 1035 §4.1 as shown by BIND's `dig`.

use core::fmt::Write as _;

use super::message::{Message, Record};
use super::rdata::RecordType;

fn section(out: &mut String, title: &str, records: &[Record]) {
    let records: Vec<&Record> = records
        .iter()
        .filter(|r| r.rtype() != RecordType::Opt)
        .collect();
    if records.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n;; {title} SECTION:");
    for r in records {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            r.name,
            r.ttl,
            r.class,
            r.rtype(),
            r.data
        );
    }
}

/// Renders `msg` like `dig`'s output for one message.
pub fn dig_text(msg: &Message) -> String {
    let mut out = String::new();
    let f = &msg.flags;
    let _ = writeln!(
        out,
        ";; ->>HEADER<<- opcode: {}, status: {}, id: {}",
        f.opcode, f.rcode, msg.id
    );
    let flags: Vec<&str> = [
        (f.qr, "qr"),
        (f.aa, "aa"),
        (f.tc, "tc"),
        (f.rd, "rd"),
        (f.ra, "ra"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    let opt = msg
        .additionals
        .iter()
        .find(|r| r.rtype() == RecordType::Opt);
    let _ = writeln!(
        out,
        ";; flags: {}; QUERY: {}, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}",
        flags.join(" "),
        msg.questions.len(),
        msg.answers.len(),
        msg.authorities.len(),
        msg.additionals.len()
    );
    if let Some(opt) = opt {
        let _ = writeln!(
            out,
            "\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, udp: {}",
            u16::from(opt.class)
        );
    }
    if !msg.questions.is_empty() {
        let _ = writeln!(out, "\n;; QUESTION SECTION:");
        for q in &msg.questions {
            let _ = writeln!(out, ";{}\t\t{}\t{}", q.name, q.qclass, q.qtype);
        }
    }
    section(&mut out, "ANSWER", &msg.answers);
    section(&mut out, "AUTHORITY", &msg.authorities);
    section(&mut out, "ADDITIONAL", &msg.additionals);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimTime;
    use crate::dns::fixtures::{com_zone, n};
    use crate::dns::{Authoritative, Question, Transport};

    #[test]
    fn a_referral_as_dig_shows_it() {
        let mut com = Authoritative::new(vec![com_zone()]);
        let q = Message::query(4097, Question::new(n("hasan.com"), RecordType::A), false);
        let r = com
            .handle_query(SimTime::ZERO, &q.emit(), Transport::Udp)
            .unwrap();
        let text = dig_text(&Message::parse(&r).unwrap());
        assert_eq!(
            text,
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4097\n\
             ;; flags: qr; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n\
             \n;; QUESTION SECTION:\n;hasan.com.\t\tIN\tA\n\
             \n;; AUTHORITY SECTION:\nhasan.com.\t172800\tIN\tNS\tns1.hasan.com.\n\
             \n;; ADDITIONAL SECTION:\nns1.hasan.com.\t172800\tIN\tA\t10.0.3.53\n"
        );
    }
}
