//! The PDU inspector's view of an HTTP segment: the request or status line
//! split into its three parts, the header lines, and the body's size; and
//! the one-line summary the event list shows (`HTTP GET / HTTP/1.1`).
//!
//! A segment in the middle of a body shows as data. Ranges follow the raw
//! bytes, not the (lossy) text.

use crate::fields::{Field, line_text, lines};

/// Start lines the inspector recognises.
const STARTS: [&str; 7] = [
    "GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "HTTP/",
];

/// The one-line summary of a segment: its start line, or its size.
pub fn summarize(payload: &[u8]) -> String {
    let head = &payload[..payload.len().min(200)];
    let line = head
        .split(|b| *b == b'\r' || *b == b'\n')
        .next()
        .unwrap_or(&[]);
    let text = String::from_utf8_lossy(line);
    if STARTS.iter().any(|s| text.starts_with(s)) {
        format!("HTTP {text}")
    } else {
        format!("HTTP data, {} bytes", payload.len())
    }
}

/// The segment's fields (`payload` at offset `base` in the frame); `None`
/// when it holds no whole line.
pub fn fields(payload: &[u8], base: usize) -> Option<Field> {
    let p = base;
    let end = base + payload.len();
    let first_end = payload.iter().position(|&c| c == b'\n')?;
    let first = line_text(&payload[..first_end]);
    let is_response = first.starts_with("HTTP/");
    if !STARTS.iter().any(|m| first.starts_with(m)) {
        return Some(Field::new(
            "HTTP",
            format!("data, {} bytes", payload.len()),
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
        first,
        p..p + first_end + 1,
    );
    let names = if is_response {
        ["Version", "Status code", "Reason"]
    } else {
        ["Method", "Target", "Version"]
    };
    let raw = &payload[..first_end];
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let mut at = 0;
    for (part, name) in raw.splitn(3, |&c| c == b' ').zip(names) {
        start_line.children.push(Field::new(
            name,
            String::from_utf8_lossy(part),
            p + at..p + at + part.len(),
        ));
        at += part.len() + 1;
    }
    f.children.push(start_line);
    let head_at = first_end + 1;
    let mut headers = Field::new("Headers", "", p + head_at..p + head_at);
    let mut body_at = None;
    for r in lines(&payload[head_at..]) {
        let (start, stop) = (head_at + r.start, head_at + r.end);
        let line = line_text(&payload[start..stop]);
        if line.is_empty() {
            body_at = Some(stop);
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
        headers
            .children
            .push(Field::new(name.trim(), value.trim(), p + start..p + stop));
        headers.range.end = p + stop;
    }
    headers.value = headers.children.len().to_string();
    f.children.push(headers);
    if let Some(body) = body_at
        && body < payload.len()
    {
        f.children.push(Field::new(
            "Body",
            format!("{} bytes", payload.len() - body),
            p + body..end,
        ));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_line_headers_and_body_with_their_bytes() {
        let mut frame = vec![0u8; 54];
        frame.extend(b"POST /form HTTP/1.1\r\nHost: hasan.com\r\nContent-Length: 3\r\n\r\nabc");
        let f = fields(&frame[54..], 54).unwrap();
        assert_eq!(
            (f.label.as_str(), f.value.as_str()),
            ("HTTP", "POST /form HTTP/1.1")
        );
        assert_eq!(f.range, 54..frame.len());
        let start = &f.children[0];
        assert_eq!(start.label, "Request line");
        assert_eq!(&frame[start.range.clone()], b"POST /form HTTP/1.1\r\n");
        let parts: Vec<(&str, &str, &[u8])> = start
            .children
            .iter()
            .map(|c| (c.label.as_str(), c.value.as_str(), &frame[c.range.clone()]))
            .collect();
        assert_eq!(
            parts,
            [
                ("Method", "POST", &b"POST"[..]),
                ("Target", "/form", &b"/form"[..]),
                ("Version", "HTTP/1.1", &b"HTTP/1.1"[..]),
            ]
        );
        let headers = &f.children[1];
        assert_eq!(
            (headers.label.as_str(), headers.value.as_str()),
            ("Headers", "2")
        );
        assert_eq!(
            &frame[headers.range.clone()],
            b"Host: hasan.com\r\nContent-Length: 3\r\n"
        );
        let host = &headers.children[0];
        assert_eq!(
            (host.label.as_str(), host.value.as_str()),
            ("Host", "hasan.com")
        );
        assert_eq!(&frame[host.range.clone()], b"Host: hasan.com\r\n");
        let body = &f.children[2];
        assert_eq!(
            (body.label.as_str(), body.value.as_str()),
            ("Body", "3 bytes")
        );
        assert_eq!(&frame[body.range.clone()], b"abc");
        assert_eq!(summarize(&frame[54..]), "HTTP POST /form HTTP/1.1");
    }

    #[test]
    fn status_line_and_body_data() {
        let data = b"HTTP/1.1 404 Not Found\r\n\r\n";
        let f = fields(data, 0).unwrap();
        let names: Vec<&str> = f.children[0]
            .children
            .iter()
            .map(|c| c.label.as_str())
            .collect();
        assert_eq!(names, ["Version", "Status code", "Reason"]);
        assert_eq!(&data[f.children[0].children[2].range.clone()], b"Not Found");
        let mid = fields(b"<p>more</p>\n", 5).unwrap();
        assert_eq!(
            (mid.value.as_str(), mid.range.clone()),
            ("data, 12 bytes", 5..17)
        );
        assert_eq!(summarize(b"<p>more"), "HTTP data, 7 bytes");
        assert!(fields(b"GET / HTTP/1.1", 0).is_none());
    }
}
