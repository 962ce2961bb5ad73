//! Highlighting and snippets, computed from the same Dutch analysis as the index, so a
//! stemmed match ("begeleiden" for "begeleiding") and a compound ("docentenwelzijn" for
//! "welzijn") are marked too. Offsets are chars, never bytes.

use std::collections::HashSet;

use super::analyzer;

/// What a query matches: folded stems, and stems that may end a compound.
#[derive(Debug, Clone, Default)]
pub struct Highlighter {
    pub stems: HashSet<String>,
    pub tails: HashSet<String>,
}

/// A compound must be longer than its tail by this many chars: "werkdruk" is not a
/// compound of "druk"'s stem alone because it is shorter than that.
pub const MIN_TAIL_CHARS: usize = 4;

impl Highlighter {
    /// Char ranges of the matching words of `text`.
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        if self.stems.is_empty() && self.tails.is_empty() {
            return Vec::new();
        }
        thread_local! {
            // One analyzer per thread, reused: a search marks up to a page of passages,
            // and building the analyzer and a token list for each was most of the time a
            // hit took (a passage of average length: ~15 µs).
            static ANALYZER: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer> =
                std::cell::RefCell::new(analyzer::stem_analyzer());
        }
        let mut out = Vec::new();
        let mut mark = |analyzer: &mut tantivy::tokenizer::TextAnalyzer| {
            let mut stream = analyzer.token_stream(text);
            let mut byte_pos = 0;
            let mut char_pos = 0;
            while stream.advance() {
                let token = stream.token();
                let hit = self.stems.contains(&token.text)
                    || self
                        .tails
                        .iter()
                        .any(|t| token.text.len() > t.len() && token.text.ends_with(t.as_str()));
                if !hit {
                    continue;
                }
                char_pos += text[byte_pos..token.offset_from].chars().count();
                let len = text[token.offset_from..token.offset_to].chars().count();
                out.push((char_pos, char_pos + len));
                char_pos += len;
                byte_pos = token.offset_to;
            }
        };
        ANALYZER.with(|analyzer| match analyzer.try_borrow_mut() {
            Ok(mut analyzer) => mark(&mut analyzer),
            // Never re-entered; were it, a fresh analyzer does the same.
            Err(_) => mark(&mut analyzer::stem_analyzer()),
        });
        out
    }
}

/// A window of at most `max_chars` chars of `text` around the first highlight, on word
/// boundaries, with "…" where it was cut; highlights are shifted into the window.
pub fn snippet(
    text: &str,
    highlights: &[(usize, usize)],
    max_chars: usize,
) -> (String, Vec<(usize, usize)>) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max_chars {
        return (text.to_string(), highlights.to_vec());
    }
    let first = highlights.first().map_or(0, |h| h.0);
    let mut start = first.saturating_sub(max_chars / 4);
    while start > 0 && !chars[start - 1].is_whitespace() {
        start -= 1;
    }
    let mut end = (start + max_chars).min(chars.len());
    while end < chars.len() && end > start + 1 && !chars[end].is_whitespace() {
        end -= 1;
    }
    let mut out = String::new();
    let prefix = if start > 0 { "… " } else { "" };
    out.push_str(prefix);
    out.extend(&chars[start..end]);
    let shift = prefix.chars().count();
    if end < chars.len() {
        out.push_str(" …");
    }
    let shifted = highlights
        .iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start + shift, e - start + shift))
        .collect();
    (out, shifted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(words: &[&str]) -> Highlighter {
        let mut h = Highlighter::default();
        for w in words {
            let t = analyzer::tokens(&mut analyzer::stem_analyzer(), w);
            h.stems.insert(t[0].text.clone());
            h.tails.insert(t[0].text.clone());
        }
        h
    }

    #[test]
    fn marks_stems_and_compounds_by_char() {
        let text = "Eén docent: begeleiden en docentenwelzijn, niet beleid.";
        let h = hl(&["begeleiding", "welzijn"]);
        let marked: Vec<String> = h
            .ranges(text)
            .iter()
            .map(|(s, e)| text.chars().skip(*s).take(e - s).collect())
            .collect();
        assert_eq!(marked, ["begeleiden", "docentenwelzijn"]);
    }

    #[test]
    fn snippet_cuts_on_words_and_shifts_highlights() {
        let text = "aaa ".repeat(50) + "werkdruk " + &"bbb ".repeat(50);
        let at = 200;
        let (s, h) = snippet(&text, &[(at, at + 8)], 60);
        assert!(s.starts_with("… ") && s.ends_with(" …"), "{s}");
        let word: String = s.chars().skip(h[0].0).take(8).collect();
        assert_eq!(word, "werkdruk");
    }
}
