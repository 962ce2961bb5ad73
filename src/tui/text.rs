//! Text geometry for the reader: wrapping by display width over grapheme clusters (never
//! bytes, never chars alone: "e + U+0308" is one cell, a CJK ideograph two, a ZWJ family one
//! emoji), and cursor motion by grapheme, word, sentence and paragraph. Offsets are chars
//! of the source body, like codings.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// One grapheme cluster on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    /// Char offset in the body.
    pub at: usize,
    pub chars: usize,
    pub width: usize,
}

/// One screen line of a wrapped paragraph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WrappedLine {
    /// Char offsets covered, end-exclusive (a blank separator line has start == end).
    pub start: usize,
    pub end: usize,
    pub cells: Vec<Cell>,
    /// Index of the paragraph (segment) this line belongs to; None for separators.
    pub paragraph: Option<usize>,
}

/// Wrap `text` (starting at char offset `base` of the body) into lines of at most `width`
/// columns, breaking between words where possible.
/// Marks that close what stands before them, so a line does not start with one.
const CLOSING: &[char] = &[
    ',', '.', ';', ':', '!', '?', ')', ']', '}', '»', '”', '’', '…', '%', '\'', '"',
];

pub fn wrap(text: &str, base: usize, width: usize, paragraph: usize) -> Vec<WrappedLine> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = WrappedLine {
        start: base,
        end: base,
        cells: Vec::new(),
        paragraph: Some(paragraph),
    };
    let mut used = 0;
    let mut at = base;
    // Where the line's last word starts in its cells, and whether it was a word (not a
    // space): a closing mark right after it goes along with it to the next line.
    let mut word_at = 0;
    let mut after_word = false;
    for word in text.split_word_bounds() {
        let cells: Vec<Cell> = word
            .graphemes(true)
            .map(|g| {
                let chars = g.chars().count();
                let cell = Cell {
                    text: g.to_string(),
                    at,
                    chars,
                    width: if g == "\n" { 0 } else { g.width() },
                };
                at += chars;
                cell
            })
            .collect();
        let word_width: usize = cells.iter().map(|c| c.width).sum();
        let is_space = word.chars().all(char::is_whitespace);
        let closing = after_word && word.chars().all(|c| CLOSING.contains(&c));
        let carried: usize = line.cells[word_at..].iter().map(|c| c.width).sum();
        if used + word_width > width && closing && word_at > 0 && carried + word_width <= width {
            // "lang" then ",": not a line that starts with the comma.
            let moved = line.cells.split_off(word_at);
            let start = moved[0].at;
            line.end = start;
            lines.push(std::mem::replace(
                &mut line,
                WrappedLine {
                    start,
                    end: start,
                    cells: moved,
                    paragraph: Some(paragraph),
                },
            ));
            used = carried;
            word_at = 0;
        } else if used + word_width > width && used > 0 && !is_space {
            line.end = cells[0].at;
            lines.push(std::mem::replace(
                &mut line,
                WrappedLine {
                    start: cells[0].at,
                    end: cells[0].at,
                    cells: Vec::new(),
                    paragraph: Some(paragraph),
                },
            ));
            used = 0;
        }
        if !closing {
            word_at = line.cells.len();
        }
        after_word = !is_space;
        for cell in cells {
            // Spaces may hang past the edge: a line never starts with the space that ended
            // the previous one.
            if used + cell.width > width && used > 0 && !is_space {
                line.end = cell.at;
                let start = cell.at;
                lines.push(std::mem::replace(
                    &mut line,
                    WrappedLine {
                        start,
                        end: start,
                        cells: Vec::new(),
                        paragraph: Some(paragraph),
                    },
                ));
                used = 0;
                word_at = 0;
            }
            used += cell.width;
            line.cells.push(cell);
        }
    }
    line.end = at;
    lines.push(line);
    lines
}

/// Char offsets where each grapheme of `text` starts, plus the end.
fn boundaries(text: &str, units: impl Iterator<Item = (usize, bool)>) -> Vec<usize> {
    // `units` yields (byte offset, is a stop) pairs; convert byte to char offsets.
    let mut out = Vec::new();
    let mut chars = 0;
    let mut last_byte = 0;
    for (byte, stop) in units {
        chars += text[last_byte..byte].chars().count();
        last_byte = byte;
        if stop {
            out.push(chars);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Grapheme,
    Word,
    Sentence,
}

/// Start offsets (chars) of the units of `text`.
pub fn starts(text: &str, unit: Unit) -> Vec<usize> {
    match unit {
        Unit::Grapheme => boundaries(text, text.grapheme_indices(true).map(|(i, _)| (i, true))),
        Unit::Word => boundaries(
            text,
            text.split_word_bound_indices()
                .map(|(i, w)| (i, w.chars().any(char::is_alphanumeric))),
        ),
        Unit::Sentence => boundaries(
            text,
            text.split_sentence_bound_indices().map(|(i, _)| (i, true)),
        ),
    }
}

/// How far (chars) a motion looks around the cursor. Units are found within this window,
/// not over the whole text: a reader over a long source segments a few thousand chars per
/// keystroke, not a megabyte. A unit longer than the window ends at its edge.
const WINDOW: usize = 4096;

/// Chars before the cursor that `next` segments too (see `next`).
const CONTEXT: usize = 256;

/// The byte offset of char `pos` in `text` (its length when `pos` is past the end).
fn byte_at(text: &str, pos: usize) -> usize {
    text.char_indices().nth(pos).map_or(text.len(), |(b, _)| b)
}

/// The next start of `unit` after `pos` in `text` (chars), or the end.
pub fn next(text: &str, pos: usize, unit: Unit) -> usize {
    // Some context before `pos`, so the unit `pos` is in is segmented as in the whole text.
    let first = pos.saturating_sub(CONTEXT);
    let from = byte_at(text, first);
    let rest = &text[from..];
    let to = rest
        .char_indices()
        .nth(WINDOW + (pos - first))
        .map_or(rest.len(), |(b, _)| b);
    let window = &rest[..to];
    match starts(window, unit)
        .into_iter()
        .map(|s| first + s)
        .find(|&s| s > pos)
    {
        Some(s) => s,
        // No start in the window: the window's end (the text's end when it reaches it).
        None => first + window.chars().count(),
    }
}

/// The previous start of `unit` before `pos` in `text` (chars), or 0.
pub fn prev(text: &str, pos: usize, unit: Unit) -> usize {
    let first = pos.saturating_sub(WINDOW);
    let (a, b) = (byte_at(text, first), byte_at(text, pos));
    // The window ends just after `pos`, so a unit starting at `pos` is seen as one.
    let end = text[b..].chars().next().map_or(b, |c| b + c.len_utf8());
    starts(&text[a..end], unit)
        .into_iter()
        .rev()
        .map(|s| first + s)
        .find(|&s| s < pos)
        .unwrap_or(first)
}

/// The end (chars) of the grapheme that starts at `pos`.
pub fn grapheme_end(text: &str, pos: usize) -> usize {
    next(text, pos, Unit::Grapheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, width: usize) -> Vec<String> {
        wrap(text, 0, width, 0)
            .iter()
            .map(|l| l.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn a_line_does_not_start_with_the_comma_of_the_word_before() {
        // Found by a new-user trial: "… zijn lang" at the edge, ", dus studenten" below.
        let lines = lines_of("De wachttijden zijn lang, dus studenten wachten.", 19);
        assert!(lines.iter().all(|l| !l.starts_with(',')), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("lang,")), "{lines:?}");
        // Nothing is lost or doubled, and no line is wider than asked.
        assert_eq!(
            lines.concat(),
            "De wachttijden zijn lang, dus studenten wachten."
        );
        for width in 1..30 {
            let lines = lines_of("Ja, nee. (Echt?) Zo!", width);
            assert_eq!(lines.concat(), "Ja, nee. (Echt?) Zo!", "{width}");
            assert!(
                lines.iter().all(|l| l.trim_end().chars().count() <= width),
                "{width}: {lines:?}"
            );
        }
    }

    #[test]
    fn motions_in_a_window_agree_with_the_whole_text() {
        let sentence = "De docent zegt: \"werkdruk is hoog\". Noe\u{308}l knikt — 学生 ook! ";
        let text = sentence.repeat(300);
        let len = text.chars().count();
        assert!(len > 3 * WINDOW);
        for unit in [Unit::Grapheme, Unit::Word, Unit::Sentence] {
            let all = starts(&text, unit);
            for pos in (0..len).step_by(97) {
                let want_next = all.iter().copied().find(|&s| s > pos).unwrap_or(len);
                let want_prev = all.iter().copied().rev().find(|&s| s < pos).unwrap_or(0);
                assert_eq!(
                    next(&text, pos, unit),
                    want_next,
                    "{unit:?} next from {pos}"
                );
                assert_eq!(
                    prev(&text, pos, unit),
                    want_prev,
                    "{unit:?} prev from {pos}"
                );
            }
        }
    }

    #[test]
    fn wraps_by_display_width_over_graphemes() {
        // e + U+0308 is one narrow cell; 学 is two columns; the family emoji is one cluster.
        let text = "Noe\u{308}l zegt 学生 👨‍👩‍👧 klaar";
        let lines = wrap(text, 10, 8, 0);
        for l in &lines {
            let w: usize = l.cells.iter().map(|c| c.width).sum();
            assert!(w <= 8, "{l:?}");
        }
        let all: Vec<&str> = lines
            .iter()
            .flat_map(|l| l.cells.iter().map(|c| c.text.as_str()))
            .collect();
        assert!(all.contains(&"e\u{308}"));
        assert!(all.contains(&"👨‍👩‍👧"));
        assert_eq!(lines[0].start, 10);
        assert_eq!(lines.last().unwrap().end, 10 + text.chars().count());
        let rejoined: String = all.concat();
        assert_eq!(rejoined, text);
    }

    #[test]
    fn moves_by_grapheme_word_and_sentence() {
        let text = "Noe\u{308}l komt. Hij blijft!";
        assert_eq!(
            next(text, 2, Unit::Grapheme),
            4,
            "e + combining mark is one step"
        );
        assert_eq!(next(text, 0, Unit::Word), 6);
        assert_eq!(prev(text, 6, Unit::Word), 0);
        assert_eq!(next(text, 0, Unit::Sentence), 12);
        assert_eq!(grapheme_end(text, 2), 4);
    }
}
