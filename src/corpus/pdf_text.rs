//! Repair of text extracted from a PDF, by exactly the documented normalisation and nothing
//! more (design.md §1):
//! - join wrapped lines into paragraphs;
//! - repair line-end hyphenation: keep the hyphen when the corpus itself writes the word with
//!   one ("mbo-instellingen"), drop it when the corpus writes it without ("onder-steuning"),
//!   and ask the reviewed exceptions for words without evidence;
//! - drop page debris (page numbers, "Pagina 1 van 3", reviewed figure-label ranges);
//! - move footnote bodies out of the running text, keeping the marker as `[12]`;
//! - map the PDF bullet glyph U+F0B7 to "•", collapse runs of spaces, normalise to NFC.
//!
//! Page numbers are recovered from the page-number debris: each line gets the page it is on,
//! exact where the breaks between two numbered pages are all visible in the text, a range
//! where some were lost (full-page figures leave no text behind).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

mod hyphen;

pub use hyphen::{HyphenDecision, HyphenExceptions, HyphenJoin, WordEvidence};
use hyphen::{decide_hyphen, fold};

/// A footnote marker the digits-after-a-word rule cannot see: a note whose body the
/// extraction lost, a repeated reference on a later page, or a marker glued to a number.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraMarker {
    pub line: usize,
    /// The text right before the marker digits on that line.
    pub after: String,
    pub number: u32,
    pub reason: String,
}

/// A reviewed range of lines to drop (figure labels and other debris), 1-based inclusive.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropRange {
    pub from: usize,
    pub to: usize,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct RepairOptions<'a> {
    /// Word counts of the material (lowercased), the evidence for hyphenation repair.
    pub evidence: Option<&'a WordEvidence>,
    pub exceptions: HyphenExceptions,
    pub extra_markers: Vec<ExtraMarker>,
    pub drop: Vec<DropRange>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub text: String,
    /// 1-based line numbers in the extracted text.
    pub first_line: usize,
    pub last_line: usize,
    pub page: Option<(u32, Option<u32>)>,
    /// Footnote numbers whose markers this paragraph carries, in order.
    pub markers: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub number: u32,
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Repaired {
    pub paragraphs: Vec<Paragraph>,
    pub notes: Vec<Note>,
    pub hyphen_joins: Vec<HyphenJoin>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum LineKind {
    Empty,
    Spacer,
    Content,
}

fn kind_of(line: &str) -> LineKind {
    if line.is_empty() {
        LineKind::Empty
    } else if line.trim().is_empty() {
        LineKind::Spacer
    } else {
        LineKind::Content
    }
}

/// "  |  31" (report page number) or "Pagina 1 van 3" (letter page header).
fn page_number_debris(line: &str) -> Option<u32> {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix('|') {
        return rest.trim().parse().ok();
    }
    let rest = t.strip_prefix("Pagina ")?;
    let (n, total) = rest.split_once(" van ")?;
    total.trim().parse::<u32>().ok()?;
    n.trim().parse().ok()
}

fn note_start(line: &str) -> Option<u32> {
    let t = line.trim_start();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let rest = &t[digits.len()..];
    let after_space = rest.trim_start();
    if rest.len() == after_space.len() || after_space.is_empty() {
        return None;
    }
    digits.parse().ok()
}

fn normalise_line(line: &str) -> String {
    let mapped: String = line
        .chars()
        .map(|c| if c == '\u{f0b7}' { '•' } else { c })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_lowercase())
}

/// List items, and the caption lines of figures and tables, always start a paragraph.
fn starts_block(s: &str) -> bool {
    ["- ", "• ", "▪ ", "* ", "Bron: ", "Figuur ", "Tabel "]
        .iter()
        .any(|m| s.starts_with(m))
}

fn ends_sentence(s: &str) -> bool {
    let t = strip_marker(s).trim_end_matches(['’', '”', '"', ')', '\'']);
    t.ends_with(['.', '?', '!', ':', ';', '…'])
}

/// Replace footnote markers (digits glued to the end of a word) by `[n]`.
fn mark_footnotes(
    line: &str,
    allowed: &HashSet<u32>,
    extra: &[(String, u32)],
) -> (String, Vec<u32>) {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let digits: String = chars[i..j].iter().collect();
            let before: String = chars[..i].iter().collect();
            let next_ok = j == chars.len() || !chars[j].is_alphanumeric();
            let prev = if i > 0 { Some(chars[i - 1]) } else { None };
            let prev2 = if i > 1 { Some(chars[i - 2]) } else { None };
            let glued = match prev {
                Some(c) if c.is_alphabetic() || matches!(c, ')' | '’' | '”') => true,
                Some('.' | ',' | ':' | ';') => {
                    prev2.is_some_and(|c| c.is_alphabetic() || matches!(c, ')' | '’' | '”'))
                }
                _ => false,
            };
            let n: Option<u32> = digits.parse().ok();
            let by_rule = glued && next_ok && n.is_some_and(|n| allowed.contains(&n));
            let by_extra = extra
                .iter()
                .find(|(after, number)| before.ends_with(after.as_str()) && Some(*number) == n);
            if let (true, Some(n)) = (by_rule || by_extra.is_some(), n) {
                out.push_str(&format!("[{n}]"));
                found.push(n);
            } else {
                out.push_str(&digits);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    (out, found)
}

struct ContentLine {
    no: usize,
    text: String,
    trailing_spaces: usize,
    page_start: bool,
    spacer_after: bool,
    after_skip: bool,
    markers: Vec<u32>,
}

pub fn repair(raw: &str, options: &RepairOptions<'_>) -> Repaired {
    let raw = raw.replace("\r\n", "\n");
    let lines: Vec<&str> = raw.split('\n').collect();
    let kinds: Vec<LineKind> = lines.iter().map(|l| kind_of(l)).collect();
    let dropped = |no: usize| options.drop.iter().any(|d| d.from <= no && no <= d.to);

    // Pass 1: page starts, page anchors, footnote bodies, debris.
    let mut page_index = vec![0usize; lines.len()];
    let mut anchors: Vec<(usize, u32)> = Vec::new();
    let mut skip = vec![false; lines.len()];
    let mut notes: Vec<Note> = Vec::new();
    let mut note_page: BTreeMap<u32, usize> = BTreeMap::new();
    let mut current_page = 0;
    let mut in_note_block = false;
    let mut last_note = 0;
    let mut prev_physical = LineKind::Empty;
    let mut prev_nonempty = LineKind::Empty;
    for (i, line) in lines.iter().enumerate() {
        let no = i + 1;
        let kind = kinds[i];
        let debris_page = page_number_debris(line);
        let starts_page = debris_page.is_some()
            || (kind == LineKind::Content
                && line.starts_with(char::is_whitespace)
                && prev_physical == LineKind::Content);
        if starts_page && i > 0 {
            current_page += 1;
            in_note_block = false;
        }
        page_index[i] = current_page;
        if let Some(n) = debris_page {
            anchors.push((current_page, n));
            skip[i] = true;
        } else if kind == LineKind::Content && dropped(no) {
            skip[i] = true;
        } else if kind == LineKind::Content {
            let starts_note = note_start(line).filter(|&n| {
                n > last_note
                    && n <= last_note + 3
                    && (in_note_block || prev_nonempty == LineKind::Spacer)
            });
            if let Some(n) = starts_note {
                in_note_block = true;
                last_note = n;
                let digits = n.to_string();
                let body = line.trim_start()[digits.len()..].trim();
                notes.push(Note {
                    number: n,
                    text: normalise_line(body),
                    line: no,
                });
                note_page.insert(n, current_page);
                skip[i] = true;
            } else if in_note_block {
                if let Some(note) = notes.last_mut() {
                    join_into(
                        &mut note.text,
                        &normalise_line(line),
                        options,
                        no,
                        &mut Vec::new(),
                    );
                }
                skip[i] = true;
            }
        }
        if kind != LineKind::Empty {
            prev_nonempty = kind;
        }
        prev_physical = kind;
    }

    // Pass 2: content lines with their markers and break hints.
    let mut content: Vec<ContentLine> = Vec::new();
    let mut pending_spacer = false;
    let mut pending_skip = false;
    let mut last_page_seen = usize::MAX;
    for (i, line) in lines.iter().enumerate() {
        let no = i + 1;
        if skip[i] {
            pending_skip = true;
            continue;
        }
        match kinds[i] {
            LineKind::Empty => continue,
            LineKind::Spacer => {
                if !pending_skip {
                    pending_spacer = true;
                }
                continue;
            }
            LineKind::Content => {}
        }
        if let Some(prev) = content.last_mut() {
            prev.spacer_after = pending_spacer;
            prev.after_skip = pending_skip;
        }
        let page = page_index[i];
        let allowed: HashSet<u32> = note_page
            .iter()
            .filter(|(_, p)| **p == page)
            .map(|(n, _)| *n)
            .collect();
        let extra: Vec<(String, u32)> = options
            .extra_markers
            .iter()
            .filter(|m| m.line == no)
            .map(|m| (m.after.clone(), m.number))
            .collect();
        let normalised = normalise_line(line);
        let (text, markers) = mark_footnotes(&normalised, &allowed, &extra);
        content.push(ContentLine {
            no,
            text,
            trailing_spaces: line.len() - line.trim_end().len(),
            page_start: page != last_page_seen && last_page_seen != usize::MAX,
            spacer_after: false,
            after_skip: false,
            markers,
        });
        last_page_seen = page;
        pending_spacer = false;
        pending_skip = false;
    }

    // Pass 3: join lines into paragraphs.
    let widths: Vec<usize> = content.iter().map(|c| c.text.chars().count()).collect();
    let mut paragraphs = Vec::new();
    let mut hyphen_joins = Vec::new();
    let mut current: Option<Paragraph> = None;
    for (k, line) in content.iter().enumerate() {
        match current.as_mut() {
            None => {
                current = Some(Paragraph {
                    text: line.text.clone(),
                    first_line: line.no,
                    last_line: line.no,
                    page: page_of(page_index[line.no - 1], &anchors),
                    markers: line.markers.clone(),
                });
            }
            Some(p) => {
                join_into(&mut p.text, &line.text, options, line.no, &mut hyphen_joins);
                p.last_line = line.no;
                p.markers.extend(&line.markers);
            }
        }
        let Some(next) = content.get(k + 1) else {
            break;
        };
        let lo = k.saturating_sub(5);
        let hi = (k + 6).min(widths.len());
        let local_width = widths[lo..hi].iter().copied().max().unwrap_or(0);
        if breaks_after(line, next, widths[k], local_width) {
            paragraphs.extend(current.take());
        }
    }
    paragraphs.extend(current.take());
    for p in &mut paragraphs {
        p.text = p.text.nfc().collect();
    }
    for n in &mut notes {
        n.text = n.text.nfc().collect();
    }
    Repaired {
        paragraphs,
        notes,
        hyphen_joins,
    }
}

/// `text` without a trailing footnote marker `[12]`.
fn strip_marker(text: &str) -> &str {
    if let Some(head) = text.strip_suffix(']')
        && let Some((before, n)) = head.rsplit_once('[')
        && !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
    {
        return before;
    }
    text
}

fn breaks_after(line: &ContentLine, next: &ContentLine, width: usize, local_width: usize) -> bool {
    let next_lower = starts_lowercase(&next.text);
    if line.text.ends_with('-') && next_lower {
        return false;
    }
    if line.after_skip || next.page_start {
        return !next_lower && (ends_sentence(&line.text) || width * 100 < local_width * 85);
    }
    if line.trailing_spaces >= 2 {
        return !next_lower;
    }
    if line.spacer_after || starts_block(&next.text) {
        return true;
    }
    // A short line ends its paragraph when it ends a sentence, or is a heading.
    !next_lower
        && ((ends_sentence(&line.text) && width * 10 < local_width * 8)
            || width * 10 < local_width * 6)
}

/// Append `next` to `text`, repairing a line-end hyphen.
fn join_into(
    text: &mut String,
    next: &str,
    options: &RepairOptions<'_>,
    line: usize,
    joins: &mut Vec<HyphenJoin>,
) {
    if next.is_empty() {
        return;
    }
    if text.is_empty() {
        text.push_str(next);
        return;
    }
    let Some(head) = text.strip_suffix('-') else {
        text.push(' ');
        text.push_str(next);
        return;
    };
    // "of -locaties": a dash after a space is written as is, glued to the next word.
    if head.ends_with(' ') || head.is_empty() {
        text.push_str(next);
        return;
    }
    let left = head
        .rsplit([' ', '(', ')', '/', '‘', '“'])
        .next()
        .unwrap_or(head);
    let right: String = next
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    let soft = format!("{left}{right}");
    let hard = format!("{left}-{right}");
    let decision = decide_hyphen(&soft, &hard, options);
    let keep = matches!(
        decision,
        HyphenDecision::KeptByEvidence | HyphenDecision::KeptByException
    );
    joins.push(HyphenJoin {
        line,
        hyphenated: hard,
        decision,
    });
    // Dutch drops a trema where it hyphenates (differenti-eren): the reviewed spelling
    // (differentiëren) restores it.
    let respelled = (decision == HyphenDecision::JoinedByException)
        .then(|| {
            options
                .exceptions
                .join
                .iter()
                .find(|w| fold(w) == fold(&soft) && w.to_lowercase() != soft.to_lowercase())
        })
        .flatten();
    if let Some(word) = respelled {
        text.truncate(head.len() - left.len());
        text.push_str(word);
        text.push_str(&next[right.len()..]);
    } else if decision == HyphenDecision::SpacedByException {
        text.push(' ');
        text.push_str(next);
    } else if keep {
        text.push_str(next);
    } else {
        text.truncate(head.len());
        text.push_str(next);
    }
}

/// The page (or page range) of a line's page index, from the page-number anchors.
fn page_of(index: usize, anchors: &[(usize, u32)]) -> Option<(u32, Option<u32>)> {
    let prev = anchors.iter().rev().find(|(i, _)| *i <= index)?;
    let lo = prev.1 as i64 + (index - prev.0) as i64;
    let next = anchors.iter().find(|(i, _)| *i > index);
    let hi = next.map(|(i, n)| *n as i64 - (*i - index) as i64);
    let (a, b) = match hi {
        Some(hi) => (lo.min(hi), lo.max(hi)),
        None => (lo, lo),
    };
    let a = u32::try_from(a).ok()?;
    let b = u32::try_from(b).ok()?;
    Some((a, (b != a).then_some(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repair_plain(raw: &str, evidence: &WordEvidence) -> Repaired {
        let options = RepairOptions {
            evidence: Some(evidence),
            ..Default::default()
        };
        repair(raw, &options)
    }

    // Synthetic PDF-style extraction: every line followed by an empty line, spacer lines
    // between paragraphs, a footnote at the page bottom and a page number.
    const SYNTHETIC: &str = "  |  7 \n\nDe onder-\n\nsteuning in de mbo-\n\ninstellingen is goed.1 Een tweede zin die door-\n\nloopt. \n\n \n\n1  Een voetnoot over\n\n de steekproef. \n vervolg van de alinea op de volgende pagina. \n\n \n\nNieuwe alinea. \n";

    #[test]
    fn joins_lines_repairs_hyphens_and_moves_footnotes() {
        let ev = WordEvidence::from_texts(["ondersteuning mbo-instellingen doorloopt"]);
        let r = repair_plain(SYNTHETIC, &ev);
        let texts: Vec<&str> = r.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "De ondersteuning in de mbo-instellingen is goed.[1] Een tweede zin die doorloopt. vervolg van de alinea op de volgende pagina.",
                "Nieuwe alinea."
            ]
        );
        assert_eq!(r.notes.len(), 1);
        assert_eq!(r.notes[0].text, "Een voetnoot over de steekproef.");
        assert_eq!(r.paragraphs[0].page, Some((7, None)));
        assert_eq!(r.paragraphs[1].page, Some((8, None)));
        assert_eq!(r.paragraphs[0].markers, [1]);
    }

    #[test]
    fn undecided_hyphen_is_joined_and_reported() {
        let r = repair_plain("een zeld-\nzaam woord. ", &WordEvidence::default());
        assert_eq!(r.paragraphs[0].text, "een zeldzaam woord.");
        assert_eq!(r.hyphen_joins[0].decision, HyphenDecision::Undecided);
    }

    #[test]
    fn exception_keeps_hyphen() {
        let options = RepairOptions {
            exceptions: HyphenExceptions {
                keep: vec!["zij-instromers".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        let r = repair("voor zij-\ninstromers. ", &options);
        assert_eq!(r.paragraphs[0].text, "voor zij-instromers.");
    }

    #[test]
    fn dash_after_space_is_kept_and_glued() {
        let r = repair_plain("mbo-instellingen of -\nlocaties ", &WordEvidence::default());
        assert_eq!(r.paragraphs[0].text, "mbo-instellingen of -locaties");
    }

    #[test]
    fn page_range_when_breaks_were_lost() {
        // Anchors at index 0 → p. 1 and index 2 → p. 5: two breaks were lost.
        assert_eq!(page_of(1, &[(0, 1), (2, 5)]), Some((2, Some(4))));
        assert_eq!(page_of(2, &[(0, 1), (2, 5)]), Some((5, None)));
        assert_eq!(page_of(0, &[(1, 1)]), None);
    }
}
