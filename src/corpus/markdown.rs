//! Plain text from the Markdown that document converters write (the ministry letters):
//! the words stay, the markup goes. Emphasis, heading and quote markers, link targets and
//! `<sup>` tags are dropped; footnote references become `[n]` and footnote bodies move to
//! the notes, as for PDF text.

use unicode_normalization::UnicodeNormalization;

use super::pdf_text::{Note, Paragraph, Repaired};

pub fn convert(markdown: &str) -> Repaired {
    let text = markdown.replace("\r\n", "\n");
    let mut out = Repaired::default();
    let mut line_no = 1;
    for block in text.split("\n\n") {
        let first_line = line_no + block.chars().take_while(|&c| c == '\n').count();
        line_no += block.matches('\n').count() + 2;
        let joined = block
            .lines()
            .map(strip_line_markup)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let plain: String = strip_inline(&joined)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let plain: String = plain.nfc().collect();
        if plain.is_empty() {
            continue;
        }
        if let Some((n, body)) = footnote_body(&plain) {
            out.notes.push(Note {
                number: n,
                text: body.to_string(),
                line: first_line,
            });
            continue;
        }
        let markers = markers_in(&plain);
        out.paragraphs.push(Paragraph {
            text: plain,
            first_line,
            last_line: line_no - 2,
            page: None,
            markers,
        });
    }
    out
}

fn strip_line_markup(line: &str) -> &str {
    let mut t = line.trim();
    loop {
        let before = t;
        t = t.trim_start_matches('>').trim_start();
        if let Some(rest) = t.strip_prefix('#') {
            // Converters wrap headings in emphasis: `## *2.2 Verbetering*`.
            t = rest
                .trim_start_matches('#')
                .trim()
                .trim_matches(['*', '_'])
                .trim();
        }
        if t == before {
            return t;
        }
    }
}

/// Drop emphasis, link targets and tags; `<sup>n</sup>` becomes `[n]`.
fn strip_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<sup>")
            && let Some((n, tail)) = after.split_once("</sup>")
        {
            out.push('[');
            out.push_str(n.trim());
            out.push(']');
            rest = tail;
            continue;
        }
        if let Some(after) = rest.strip_prefix('<')
            && let Some((url, tail)) = after.split_once('>')
            && url.starts_with("http")
        {
            out.push_str(url);
            rest = tail;
            continue;
        }
        if let Some(after) = rest.strip_prefix('[')
            && let Some((label, tail)) = after.split_once("](")
            && let Some((_, tail)) = tail.split_once(')')
        {
            out.push_str(label);
            rest = tail;
            continue;
        }
        if let Some(tail) = rest.strip_prefix("**").or_else(|| rest.strip_prefix("__")) {
            rest = tail;
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn footnote_body(paragraph: &str) -> Option<(u32, &str)> {
    let rest = paragraph.strip_prefix('[')?;
    let (n, body) = rest.split_once(']')?;
    let n: u32 = n.parse().ok()?;
    let body = body.trim();
    (!body.is_empty()).then_some((n, body))
}

fn markers_in(text: &str) -> Vec<u32> {
    text.split('[')
        .skip(1)
        .filter_map(|s| s.split_once(']').and_then(|(n, _)| n.parse().ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_markup_and_moves_footnotes() {
        let md = "## **Brief**\n\nDe evaluatie uit 2020<sup>1</sup> is [hier](http://x.nl) te lezen.\n\n<sup>1</sup> Kamerstuk 31 497, nr. 364.\n\n>Retouradres Postbus  \n2500 BJ\n";
        let r = convert(md);
        let texts: Vec<&str> = r.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Brief",
                "De evaluatie uit 2020[1] is hier te lezen.",
                "Retouradres Postbus 2500 BJ"
            ]
        );
        assert_eq!(r.notes[0].number, 1);
        assert_eq!(r.notes[0].text, "Kamerstuk 31 497, nr. 364.");
        assert_eq!(r.paragraphs[1].markers, [1]);
    }
}
