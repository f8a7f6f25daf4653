//! The instructions' formatting: paragraphs (separated by a blank line),
//! lists (lines starting with `- ` or `* `, or `1. `), and `**bold**`.
//! Parsed into plain data that the UI renders as elements with text nodes:
//! nothing is ever interpreted as HTML.

/// A run of text, bold or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The text, as written (never HTML).
    pub text: String,
    /// Whether it was inside `**…**`.
    pub bold: bool,
}

/// A paragraph or a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Lines of one paragraph, joined by spaces.
    Para(Vec<Span>),
    /// A bulleted (`false`) or numbered (`true`) list of items.
    List(bool, Vec<Vec<Span>>),
}

/// Splits a line into bold and plain spans (an unclosed `**` is plain text).
pub fn spans(line: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut rest = line;
    let push = |text: &str, bold: bool, out: &mut Vec<Span>| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.bold == bold => last.text.push_str(text),
            _ => out.push(Span {
                text: text.to_string(),
                bold,
            }),
        }
    };
    while let Some(start) = rest.find("**") {
        let after = &rest[start + 2..];
        match after.find("**") {
            Some(end) if end > 0 => {
                push(&rest[..start], false, &mut out);
                push(&after[..end], true, &mut out);
                rest = &after[end + 2..];
            }
            _ => {
                push(&rest[..start + 2], false, &mut out);
                rest = after;
            }
        }
    }
    push(rest, false, &mut out);
    out
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    if let Some(r) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        return Some((false, r));
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits)
        && let Some(r) = t[digits..].strip_prefix(". ")
    {
        return Some((true, r));
    }
    None
}

/// Parses formatted text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Para(spans(&para.join(" "))));
            para.clear();
        }
    };
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            flush(&mut para, &mut blocks);
            continue;
        }
        if let Some((numbered, item)) = list_item(line) {
            flush(&mut para, &mut blocks);
            match blocks.last_mut() {
                Some(Block::List(n, items)) if *n == numbered => items.push(spans(item.trim())),
                _ => blocks.push(Block::List(numbered, vec![spans(item.trim())])),
            }
        } else {
            para.push(line.trim());
        }
    }
    flush(&mut para, &mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(t: &str) -> Span {
        Span {
            text: t.into(),
            bold: false,
        }
    }
    fn bold(t: &str) -> Span {
        Span {
            text: t.into(),
            bold: true,
        }
    }

    #[test]
    fn paragraphs_lists_and_bold() {
        let b = parse(
            "Set **PC0** to DHCP.\nThen test.\n\n- ping **Server0**\n- open hasan.com\n\n1. one\n2. two\nafter",
        );
        assert_eq!(
            b,
            vec![
                Block::Para(vec![
                    plain("Set "),
                    bold("PC0"),
                    plain(" to DHCP. Then test.")
                ]),
                Block::List(
                    false,
                    vec![
                        vec![plain("ping "), bold("Server0")],
                        vec![plain("open hasan.com")]
                    ]
                ),
                Block::List(true, vec![vec![plain("one")], vec![plain("two")]]),
                Block::Para(vec![plain("after")]),
            ]
        );
    }

    #[test]
    fn html_stays_text_and_odd_markup_survives() {
        let b = parse("<script>alert(1)</script> **<b>x</b>** a ** b ****");
        let Block::Para(s) = &b[0] else { panic!() };
        let joined: String = s.iter().map(|x| x.text.as_str()).collect();
        assert!(joined.contains("<script>alert(1)</script>"));
        assert!(s.contains(&bold("<b>x</b>")));
        for t in ["**", "****", "*", "- ", "1.", "\n\n\n", "**a", "ü**é**"] {
            let _ = parse(t);
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_keeps_the_words(s in ".{0,200}") {
            let _ = parse(&s);
        }
    }
}
