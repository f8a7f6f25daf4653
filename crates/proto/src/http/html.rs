//! A forgiving scan of HTML for what the browser window needs: the `<title>` and
//! the `<a href>` links. It never panics and never fails: broken HTML yields
//! whatever could be recognised. Script and style contents and comments are
//! skipped; nothing is executed (the app shows pages sandboxed).

/// A link found in a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The `href` attribute, entities decoded, not yet resolved.
    pub href: String,
    /// The link's visible text, whitespace collapsed.
    pub text: String,
}

/// The page's `<title>` text, entities decoded and whitespace collapsed.
pub fn extract_title(html: &str) -> Option<String> {
    let mut title = None;
    scan(html, |ev| {
        if let Ev::Title(t) = ev {
            title.get_or_insert(t);
        }
    });
    title
}

/// Every `<a href="…">` in document order.
pub fn extract_links(html: &str) -> Vec<Link> {
    let mut links = Vec::new();
    scan(html, |ev| {
        if let Ev::Link(l) = ev {
            links.push(l);
        }
    });
    links
}

/// Escapes text for inclusion in HTML.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

enum Ev {
    Title(String),
    Link(Link),
}

/// Finds `needle` (ASCII, lower case) in `hay` from `from`, ignoring ASCII case.
pub(super) fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if from > h.len() || n.len() > h.len() {
        return None;
    }
    (from..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn scan(html: &str, mut emit: impl FnMut(Ev)) {
    let b = html.as_bytes();
    let mut i = 0;
    let mut open_link: Option<(String, usize)> = None; // href, text start
    let mut title_start: Option<usize> = None;
    while let Some(off) = html[i..].find('<') {
        let lt = i + off;
        if html[lt..].starts_with("<!--") {
            i = html[lt + 4..]
                .find("-->")
                .map_or(b.len(), |e| lt + 4 + e + 3);
            continue;
        }
        let Some(tag) = parse_tag(html, lt) else {
            i = lt + 1;
            continue;
        };
        i = tag.end;
        match (tag.name.as_str(), tag.closing) {
            ("script" | "style", false) => {
                let close = format!("</{}", tag.name);
                i = find_ci(html, i, &close).unwrap_or(b.len());
            }
            ("title", false) if title_start.is_none() => title_start = Some(i),
            ("title", true) => {
                if let Some(s) = title_start.take() {
                    emit(Ev::Title(collapse(&decode_entities(&strip_tags(
                        &html[s..lt],
                    )))));
                }
            }
            ("a", false) => {
                if let Some((href, s)) = open_link.take() {
                    emit(Ev::Link(link(href, &html[s..lt])));
                }
                if let Some(href) = tag.href {
                    open_link = Some((href, i));
                }
            }
            ("a", true) => {
                if let Some((href, s)) = open_link.take() {
                    emit(Ev::Link(link(href, &html[s..lt])));
                }
            }
            _ => {}
        }
    }
    if let Some((href, s)) = open_link {
        emit(Ev::Link(link(href, &html[s.min(b.len())..])));
    }
}

fn link(href: String, inner: &str) -> Link {
    Link {
        href,
        text: collapse(&decode_entities(&strip_tags(inner))),
    }
}

pub(super) struct Tag {
    pub(super) name: String,
    pub(super) closing: bool,
    pub(super) href: Option<String>,
    pub(super) end: usize,
}

/// Parses `<name attr="v" …>` starting at `<`; `None` if it is not a tag.
pub(super) fn parse_tag(html: &str, lt: usize) -> Option<Tag> {
    let b = html.as_bytes();
    let mut i = lt + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i == start {
        return None;
    }
    let name = html[start..i].to_ascii_lowercase();
    let mut href = None;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        match b.get(i) {
            None => {
                return Some(Tag {
                    name,
                    closing,
                    href,
                    end: b.len(),
                });
            }
            Some(b'>') => {
                return Some(Tag {
                    name,
                    closing,
                    href,
                    end: i + 1,
                });
            }
            _ => {}
        }
        let an = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
            i += 1;
        }
        let attr = html[an..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let vs = i + 1;
                    let ve = html[vs..].find(q as char).map_or(b.len(), |e| vs + e);
                    value = Some(&html[vs..ve]);
                    i = (ve + 1).min(b.len());
                }
                _ => {
                    let vs = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = Some(&html[vs..i]);
                }
            }
        }
        if attr == "href" && href.is_none() && name == "a" {
            href = value.map(|v| decode_entities(v).trim().to_string());
        }
        if attr.is_empty() && value.is_none() {
            i += 1; // a stray character such as '='; skip it
        }
    }
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the common named entities and numeric references.
pub(super) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').filter(|&p| p <= 10);
        let decoded = semi.and_then(|p| {
            let ent = &rest[1..p];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = ent.strip_prefix('#')?;
                    let n = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(n)
                }
            };
            c.map(|c| (c, p + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_links() {
        let html = r#"<!DOCTYPE html><html><head><TITLE> Hasan &amp; Co </TITLE>
            <script>var s = "<a href='evil'>x</a>";</script><!-- <a href="c.html">c</a> -->
            </head><body><a href="about.html">About <b>us</b></a>
            <A HREF='/docs/'>Docs</A> <a name=x>anchor</a> <a href=news.html?p=1&amp;q=2>News</a>"#;
        assert_eq!(extract_title(html).as_deref(), Some("Hasan & Co"));
        let links = extract_links(html);
        let got: Vec<(&str, &str)> = links
            .iter()
            .map(|l| (l.href.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("about.html", "About us"),
                ("/docs/", "Docs"),
                ("news.html?p=1&q=2", "News")
            ]
        );
    }

    #[test]
    fn broken_html_does_not_panic() {
        for s in [
            "<",
            "<a",
            "<a href",
            "<a href=",
            "<a href=\"x",
            "<title>no end",
            "<!--",
            "&#xffffffff;",
            "<a href='é'>é</a",
            "<script>",
            "<<<>>>",
            "<a =x href=y>z",
            "&#12345678901;&",
        ] {
            let _ = extract_links(s);
            let _ = extract_title(s);
        }
        assert_eq!(extract_links("<a href=\"x")[0].href, "x");
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
