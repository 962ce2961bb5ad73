//! Re-anchoring: when a source's text changes (a typo fixed, a paragraph inserted, a
//! re-import), a coding is re-located from its stored `quote`: the exact text nearest its old
//! place, else the same words with other white space, else a close match (few edits) in the
//! paragraph where it was. A coding that cannot be placed is kept and marked orphaned, never
//! deleted and never moved onto other text.

mod heal;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::corpus::source::{Source, char_slice};

pub use heal::{Healed, accepted, heal, write};

/// Chars of text kept before and after a coding's span: its surroundings, by which two
/// equal quotes are told apart (the W3C Web Annotation TextQuoteSelector's prefix and
/// suffix).
pub const CONTEXT_CHARS: usize = 32;

/// A quote shorter than this (in chars) is placed only where its surroundings agree: a
/// short word occurs everywhere.
const SHORT_QUOTE: usize = 12;

/// Words that turn a statement around: a re-anchoring that adds or drops one is never
/// applied without a person.
const NEGATIONS: &[&str] = &[
    "niet", "geen", "nooit", "niemand", "niets", "nergens", "not", "no", "never", "nobody",
    "nothing", "none",
];

/// Why re-anchoring did not place a coding by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Doubt {
    /// The quote occurs at several places that fit equally well.
    Ambiguous,
    /// The quote occurs only in other surroundings: its own passage may be gone.
    OtherPassage,
    /// A short quote, stored without surroundings to tell its place.
    ShortQuote,
    /// Words were added to or removed from the quote, or changed beyond a typo.
    WordsChanged,
    /// A negation (niet, geen, nooit, …) was added or removed: the meaning may have turned.
    Negation,
}

impl Doubt {
    pub fn describe(self) -> &'static str {
        match self {
            Doubt::Ambiguous => "its text now occurs at several places",
            Doubt::OtherPassage => "its text occurs only in another passage",
            Doubt::ShortQuote => "a short quote found elsewhere, without its surroundings",
            Doubt::WordsChanged => "words were added, removed or changed inside it",
            Doubt::Negation => "a negation was added or removed inside it",
        }
    }
}

/// A re-anchoring left for a person: why, and where the text may be now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub doubt: Doubt,
    /// The best candidate place, if there is one, and its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The text at the stored offsets is the quote.
    Unchanged,
    Exact {
        start: usize,
        end: usize,
    },
    Whitespace {
        start: usize,
        end: usize,
    },
    /// A typo-level edit: the same words, each within two edits.
    Fuzzy {
        start: usize,
        end: usize,
        edits: usize,
    },
    /// Found, perhaps, but not surely: kept where it was, for a person to decide.
    Unsure {
        doubt: Doubt,
        proposal: Option<(usize, usize)>,
    },
    Orphaned,
}

/// What is known of a coding's place: its offsets, its quote and (when stored) the text
/// around it.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub start: usize,
    pub end: usize,
    pub quote: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
    /// The quote it was first coded with, when it was moved onto changed text since: where
    /// that text is back (an edit undone), the coding goes back onto it.
    pub original_quote: Option<&'a str>,
}

impl<'a> Target<'a> {
    pub fn of(c: &'a super::Coding) -> Target<'a> {
        Target {
            start: c.start,
            end: c.end,
            quote: &c.quote,
            prefix: &c.prefix,
            suffix: &c.suffix,
            original_quote: c.original_quote.as_deref(),
        }
    }
}

/// The text just before and after `start..end` of `body`, `CONTEXT_CHARS` each way.
pub fn context(body: &str, start: usize, end: usize) -> (String, String) {
    let chars: Vec<char> = body.chars().collect();
    context_in(&chars, start, end)
}

fn context_in(chars: &[char], start: usize, end: usize) -> (String, String) {
    let start = start.min(chars.len());
    let end = end.min(chars.len());
    let prefix = chars[start.saturating_sub(CONTEXT_CHARS)..start]
        .iter()
        .collect();
    let suffix = chars[end..(end + CONTEXT_CHARS).min(chars.len())]
        .iter()
        .collect();
    (prefix, suffix)
}

/// How far from its old place a fuzzy match of a quote is looked for, in chars.
const FUZZY_REACH: usize = 5_000;

/// Where `quote`, coded at `old_start`, is now in `source`, with no surroundings known (a
/// coding made before they were stored).
pub fn locate(source: &Source, old_start: usize, old_end: usize, quote: &str) -> Anchor {
    locate_target(
        source,
        &Target {
            start: old_start,
            end: old_end,
            quote,
            prefix: "",
            suffix: "",
            original_quote: None,
        },
    )
}

/// Where the coding `t` is now in `source`: the quote exactly, else with other white space,
/// else a typo-level edit near its old place; among several places the one whose
/// surroundings agree with the stored ones. Whatever is unsure is said so, not applied.
pub fn locate_target(source: &Source, t: &Target) -> Anchor {
    let body = &source.body;
    if char_slice(body, t.start, t.end) == Some(t.quote) {
        return Anchor::Unchanged;
    }
    if t.quote.trim().is_empty() {
        return Anchor::Orphaned;
    }
    let chars: Vec<char> = body.chars().collect();
    let q: Vec<char> = t.quote.chars().collect();
    let exact = exact_places(&chars, &q);
    if !exact.is_empty() {
        return choose(&chars, t, &exact, |start, end| Anchor::Exact { start, end });
    }
    // Its first text back, where it stood (an edit undone after the coding followed it):
    // placed there as surely as an exact quote would be, by its surroundings.
    if let Some(first) = t
        .original_quote
        .filter(|o| !o.trim().is_empty() && *o != t.quote)
    {
        let first: Vec<char> = first.chars().collect();
        let back = exact_places(&chars, &first);
        if let Anchor::Exact { start, end } =
            choose(&chars, t, &back, |start, end| Anchor::Exact { start, end })
        {
            return Anchor::Exact { start, end };
        }
    }
    let spaced = whitespace_matches(&chars, &q);
    if !spaced.is_empty() {
        return choose(&chars, t, &spaced, |start, end| Anchor::Whitespace {
            start,
            end,
        });
    }
    let old_start = t.start;
    // Fuzzy, bounded: within the paragraph that held the old start (and its neighbours, in
    // case a paragraph break moved), at most one edit per ten chars of the quote: a quote
    // shorter than ten chars must be found exactly, or it would land on any short word.
    let max_edits = q.len() / 10;
    if max_edits == 0 {
        return Anchor::Orphaned;
    }
    let segments = source.segments();
    let at = segments
        .iter()
        .position(|s| s.end >= old_start.min(chars.len()))
        .unwrap_or(segments.len().saturating_sub(1));
    let (Some(first), Some(last)) = (
        segments.get(at.saturating_sub(1)),
        segments.get((at + 1).min(segments.len().saturating_sub(1))),
    ) else {
        return Anchor::Orphaned;
    };
    // Never more than FUZZY_REACH chars either side of the old place: a paragraph can be
    // huge (a transcript without breaks), and the search is quadratic.
    let lo = first.start.max(old_start.saturating_sub(FUZZY_REACH));
    let hi = last
        .end
        .min(old_start.saturating_add(q.len() + FUZZY_REACH))
        .min(chars.len());
    if lo >= hi {
        return Anchor::Orphaned;
    }
    // One search with the wider budget of a proposal: the best match is the same place
    // whatever the budget, and its edits say which of the two it is.
    let propose_edits = q.len() / PROPOSAL_EDITS_PER;
    match fuzzy(&chars[lo..hi], &q, max_edits.max(propose_edits)) {
        Some((s, e, edits)) if edits <= max_edits => {
            let (start, end, edits) = refine(&chars, &q, lo + s, lo + e, max_edits, (lo, hi));
            let found: String = chars[start..end].iter().collect();
            match word_change(t.quote, &found) {
                None => Anchor::Fuzzy { start, end, edits },
                Some(doubt) => Anchor::Unsure {
                    doubt,
                    proposal: Some((start, end)),
                },
            }
        }
        Some((s, e, _)) if q.len() >= SHORT_QUOTE => {
            // More than a typo changed (a word replaced or added): never placed by itself,
            // but where the passage most likely is now is worth a person's look, instead of
            // "code the passage again".
            let (start, end) = whole_words(&chars, lo + s, lo + e);
            let start = past_label(&chars, &segments, t.quote, start, end);
            let found: String = chars[start..end].iter().collect();
            Anchor::Unsure {
                doubt: word_change(t.quote, &found).unwrap_or(Doubt::WordsChanged),
                proposal: Some((start, end)),
            }
        }
        _ => Anchor::Orphaned,
    }
}

/// `start` moved past a turn's speaker label ("Docent 1: ") where the span would begin in
/// it: a coding holds what was said, and a quote that did not take the label in must not
/// take it in by matching its letters (a sentence deleted at a turn's start left the label
/// the nearest text).
fn past_label(
    chars: &[char],
    segments: &[crate::corpus::source::Segment],
    quote: &str,
    start: usize,
    end: usize,
) -> usize {
    let Some(seg) = segments
        .iter()
        .find(|s| s.start <= start && start < s.end && s.speaker.is_some())
    else {
        return start;
    };
    let line_end = chars[seg.start..seg.end.min(chars.len())]
        .iter()
        .position(|c| *c == '\n')
        .map_or(seg.end, |i| seg.start + i);
    let Some(colon) =
        (seg.start..line_end.saturating_sub(1)).find(|&i| chars[i] == ':' && chars[i + 1] == ' ')
    else {
        return start;
    };
    let label: String = chars[seg.start..colon + 2].iter().collect();
    let text_start = colon + 2;
    if start < text_start && text_start < end && !quote.starts_with(label.trim_end()) {
        text_start
    } else {
        start
    }
}

/// A proposal for a changed quote (never applied without a person) may differ from it in
/// one char of this many: a word or two replaced or added in a sentence.
const PROPOSAL_EDITS_PER: usize = 4;

/// `start..end` widened to whole words: an approximate match can begin or end inside one.
fn whole_words(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    while start > 0 && chars[start - 1].is_alphanumeric() && chars[start].is_alphanumeric() {
        start -= 1;
    }
    while end < chars.len()
        && end > 0
        && chars[end - 1].is_alphanumeric()
        && chars[end].is_alphanumeric()
    {
        end += 1;
    }
    (start, end)
}

/// Every place where `q` stands in `chars`, exactly.
fn exact_places(chars: &[char], q: &[char]) -> Vec<(usize, usize)> {
    if q.is_empty() || q.len() > chars.len() {
        return Vec::new();
    }
    (0..=chars.len() - q.len())
        .filter(|&i| chars[i..i + q.len()] == q[..])
        .map(|i| (i, i + q.len()))
        .collect()
}

/// The approximate match widened or narrowed, by up to `reach` chars at either end, to the
/// span that differs least from the quote, preferring whole words: the fuzzy search finds
/// where a match ends, and its start can fall inside a word ("e vele gesprekken" for "Uit
/// de gesprekken").
fn refine(
    chars: &[char],
    q: &[char],
    start: usize,
    end: usize,
    reach: usize,
    (lo, hi): (usize, usize),
) -> (usize, usize, usize) {
    let word = |i: usize| {
        i == 0 || i >= chars.len() || !chars[i - 1].is_alphanumeric() || !chars[i].is_alphanumeric()
    };
    let cost = |s: usize, e: usize| {
        levenshtein(&chars[s..e], q) * 2 + usize::from(!word(s)) + usize::from(!word(e))
    };
    let mut best = (start, end, cost(start, end));
    for s in start.saturating_sub(reach).max(lo)..=(start + reach).min(end.saturating_sub(1)) {
        let c = cost(s, best.1);
        if c < best.2 {
            best = (s, best.1, c);
        }
    }
    for e in (best.0 + 1).max(end.saturating_sub(reach))..=(end + reach).min(hi) {
        let c = cost(best.0, e);
        if c < best.2 {
            best = (best.0, e, c);
        }
    }
    let (s, e, _) = best;
    (s, e, levenshtein(&chars[s..e], q))
}

/// Among the places where the quote occurs, the one to move to, if it is sure: the only one
/// whose surroundings agree with the stored ones; without stored surroundings, the only
/// place at all, and never for a short quote.
fn choose(
    chars: &[char],
    t: &Target,
    places: &[(usize, usize)],
    placed: impl Fn(usize, usize) -> Anchor,
) -> Anchor {
    let nearest = |among: &[(usize, usize)]| {
        among
            .iter()
            .copied()
            .min_by_key(|(s, _)| s.abs_diff(t.start))
    };
    let unsure = |doubt, among: &[(usize, usize)]| Anchor::Unsure {
        doubt,
        proposal: nearest(among),
    };
    if t.prefix.is_empty() && t.suffix.is_empty() {
        return match places {
            _ if t.quote.chars().count() < SHORT_QUOTE => unsure(Doubt::ShortQuote, places),
            [(start, end)] => placed(*start, *end),
            _ => unsure(Doubt::Ambiguous, places),
        };
    }
    let fitting: Vec<(usize, usize)> = places
        .iter()
        .copied()
        .filter(|&(s, e)| agrees(t.prefix, chars, s, true) && agrees(t.suffix, chars, e, false))
        .collect();
    match fitting.as_slice() {
        [] => unsure(Doubt::OtherPassage, places),
        [(start, end)] => placed(*start, *end),
        several => {
            // A copied passage: the same words around both. Only surroundings that are the
            // same to the letter single one out.
            let identical: Vec<(usize, usize)> = several
                .iter()
                .copied()
                .filter(|&(s, e)| {
                    context_in(chars, s, e) == (t.prefix.to_string(), t.suffix.to_string())
                })
                .collect();
            match identical.as_slice() {
                [(start, end)] => placed(*start, *end),
                _ => unsure(Doubt::Ambiguous, several),
            }
        }
    }
}

/// Whether the text around a place agrees with the stored surroundings: nearly the same
/// (a quarter of the chars may differ: a typo fixed, or a word put in, next to the quote),
/// compared from the quote outward, where the text at `at` begins (`before`: ends) in
/// `chars`. Far from the quote the two may end apart: a word put in near the quote pushes
/// the rest out of the stored span, which is no disagreement.
fn agrees(stored: &str, chars: &[char], at: usize, before: bool) -> bool {
    let stored: Vec<char> = if before {
        stored.chars().rev().collect()
    } else {
        stored.chars().collect()
    };
    let n = stored.len();
    let reach = n + n / 4 + 2;
    let at = at.min(chars.len());
    let actual: Vec<char> = if before {
        chars[at.saturating_sub(reach)..at]
            .iter()
            .rev()
            .copied()
            .collect()
    } else {
        chars[at..(at + reach).min(chars.len())].to_vec()
    };
    // At the start or end of the body the actual text can be shorter than the stored.
    if actual.len() < n {
        if actual.len() < n / 2 {
            return false;
        }
        return levenshtein(&stored[..actual.len()], &actual) <= (actual.len() / 4).max(2);
    }
    levenshtein_free_end(&stored, &actual) <= (n / 4).max(2)
}

/// The edit distance from `a` to the nearest prefix of `b`: `b` may run on past it.
fn levenshtein_free_end<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    // Rows over b's prefixes, columns over a's: the last column of every row is the
    // distance from all of `a` to that prefix of `b`.
    let mut prev: Vec<usize> = (0..=a.len()).collect();
    let mut best = prev[a.len()];
    for (j, y) in b.iter().enumerate() {
        let mut cur = vec![j + 1; a.len() + 1];
        for (i, x) in a.iter().enumerate() {
            cur[i + 1] = (prev[i] + usize::from(x != y))
                .min(prev[i + 1] + 1)
                .min(cur[i] + 1);
        }
        best = best.min(cur[a.len()]);
        prev = cur;
    }
    best
}

fn levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether `found` says something other than `quote`, beyond a typo: a negation added or
/// dropped, a word added or dropped, a word changed by more than two letters.
fn word_change(quote: &str, found: &str) -> Option<Doubt> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (q, f) = (words(quote), words(found));
    let negations = |ws: &[String]| {
        ws.iter()
            .filter(|w| NEGATIONS.contains(&w.as_str()))
            .count()
    };
    if negations(&q) != negations(&f) {
        return Some(Doubt::Negation);
    }
    if q.len() != f.len() {
        return Some(Doubt::WordsChanged);
    }
    let far = q.iter().zip(&f).any(|(a, b)| {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        levenshtein(&a, &b) > 2
    });
    far.then_some(Doubt::WordsChanged)
}

/// Every place of the quote's words in the same order, with any white space between them.
fn whitespace_matches(chars: &[char], q: &[char]) -> Vec<(usize, usize)> {
    let squash = |cs: &[char]| -> (Vec<char>, Vec<usize>) {
        let mut out = Vec::new();
        let mut map = Vec::new();
        let mut prev_space = false;
        for (i, c) in cs.iter().enumerate() {
            if c.is_whitespace() {
                if !prev_space {
                    out.push(' ');
                    map.push(i);
                }
                prev_space = true;
            } else {
                out.push(*c);
                map.push(i);
                prev_space = false;
            }
        }
        (out, map)
    };
    let (body, map) = squash(chars);
    let (quote, _) = squash(q);
    let quote: Vec<char> = quote
        .into_iter()
        .collect::<String>()
        .trim()
        .chars()
        .collect();
    if quote.is_empty() || quote.len() > body.len() {
        return Vec::new();
    }
    (0..=body.len() - quote.len())
        .filter(|&i| body[i..i + quote.len()] == quote[..])
        .map(|i| (map[i], map[i + quote.len() - 1] + 1))
        .collect()
}

/// The best approximate occurrence of `q` in `text` (Sellers' algorithm: edit distance with
/// a free start), if it needs at most `max_edits` edits: (start, end, edits).
fn fuzzy(text: &[char], q: &[char], max_edits: usize) -> Option<(usize, usize, usize)> {
    let m = q.len();
    // prev[i] = (distance, start) for q[..i] ending at the current text position.
    let mut prev: Vec<(usize, usize)> = (0..=m).map(|i| (i, 0)).collect();
    let mut best: Option<(usize, usize, usize)> = None;
    for (j, &c) in text.iter().enumerate() {
        let mut cur = vec![(0, j + 1); m + 1];
        for i in 1..=m {
            let sub = (prev[i - 1].0 + usize::from(q[i - 1] != c), prev[i - 1].1);
            let del = (prev[i].0 + 1, prev[i].1);
            let ins = (cur[i - 1].0 + 1, cur[i - 1].1);
            cur[i] = [sub, del, ins]
                .into_iter()
                .min_by_key(|x| x.0)
                .unwrap_or(sub);
        }
        if cur[m].0 <= max_edits && best.is_none_or(|b| cur[m].0 < b.2) {
            best = Some((cur[m].1, j + 1, cur[m].0));
        }
        prev = cur;
    }
    best
}
