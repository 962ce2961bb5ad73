//! Re-anchoring: when a source's text changes (a typo fixed, a paragraph inserted, a
//! re-import), a coding is re-located from its stored `quote`: the exact text nearest its old
//! place, else the same words with other white space, else a close match (few edits) in the
//! paragraph where it was. A coding that cannot be placed is kept and marked orphaned, never
//! deleted and never moved onto other text.

use std::path::PathBuf;

use super::{CodingFile, CodingSet, lock};
use crate::corpus::Corpus;
use crate::corpus::source::{CharIndex, Source, char_slice};
use crate::error::Result;
use std::collections::HashMap;

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
    Fuzzy {
        start: usize,
        end: usize,
        edits: usize,
    },
    Orphaned,
}

/// How far from its old place a fuzzy match of a quote is looked for, in chars.
const FUZZY_REACH: usize = 5_000;

/// Where `quote`, coded at `old_start`, is now in `source`.
pub fn locate(source: &Source, old_start: usize, old_end: usize, quote: &str) -> Anchor {
    let body = &source.body;
    if char_slice(body, old_start, old_end) == Some(quote) {
        return Anchor::Unchanged;
    }
    if quote.trim().is_empty() {
        return Anchor::Orphaned;
    }
    let chars: Vec<char> = body.chars().collect();
    let q: Vec<char> = quote.chars().collect();
    let nearest = |starts: Vec<usize>| starts.into_iter().min_by_key(|s| s.abs_diff(old_start));
    let exact: Vec<usize> = (0..chars.len().saturating_sub(q.len() - 1))
        .filter(|&i| chars[i..i + q.len()] == q[..])
        .collect();
    if let Some(start) = nearest(exact) {
        return Anchor::Exact {
            start,
            end: start + q.len(),
        };
    }
    if let Some((start, end)) = whitespace_match(&chars, &q, old_start) {
        return Anchor::Whitespace { start, end };
    }
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
    match fuzzy(&chars[lo..hi], &q, max_edits) {
        Some((s, e, edits)) => Anchor::Fuzzy {
            start: lo + s,
            end: lo + e,
            edits,
        },
        None => Anchor::Orphaned,
    }
}

/// The quote's words in the same order, with any white space between them.
fn whitespace_match(chars: &[char], q: &[char], old_start: usize) -> Option<(usize, usize)> {
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
        return None;
    }
    (0..=body.len() - quote.len())
        .filter(|&i| body[i..i + quote.len()] == quote[..])
        .map(|i| (map[i], map[i + quote.len() - 1] + 1))
        .min_by_key(|(s, _)| s.abs_diff(old_start))
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

/// For each coding: is its quote still the text at its offsets? The common case at start-up,
/// answered with one pass per source (in parallel over sources) instead of a walk from the
/// start of the text per coding.
fn still_in_place(corpus: &Corpus, codings: &CodingSet) -> Vec<bool> {
    let mut by_source: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in codings.codings.iter().enumerate() {
        by_source.entry(p.source.as_str()).or_default().push(i);
    }
    let groups: Vec<(&str, Vec<usize>)> = by_source.into_iter().collect();
    let check = |(source, members): &(&str, Vec<usize>)| -> Vec<(usize, bool)> {
        let Some(src) = corpus.source(source) else {
            return members.iter().map(|&i| (i, false)).collect();
        };
        let upto = members
            .iter()
            .map(|&i| codings.codings[i].coding.end)
            .max()
            .unwrap_or(0);
        let index = CharIndex::new(&src.body, upto);
        members
            .iter()
            .map(|&i| {
                let c = &codings.codings[i].coding;
                (
                    i,
                    index.slice(&src.body, c.start, c.end) == Some(c.quote.as_str()),
                )
            })
            .collect()
    };
    let mut out = vec![false; codings.codings.len()];
    let results: Vec<(usize, bool)> = crate::corpus::par_map(groups, |g| check(&g))
        .into_iter()
        .flatten()
        .collect();
    for (i, ok) in results {
        out[i] = ok;
    }
    out
}

/// What healing did to one coding.
#[derive(Debug, Clone, PartialEq)]
pub struct Healed {
    pub path: PathBuf,
    pub id: String,
    pub anchor: Anchor,
}

/// Re-anchor every coding whose text no longer matches, write the files that changed
/// (atomically, under the codings lock), and report what happened.
pub fn heal(corpus: &Corpus, codings: &mut CodingSet) -> Result<Vec<Healed>> {
    let mut report = Vec::new();
    let mut dirty: Vec<(String, String)> = Vec::new();
    let unchanged = still_in_place(corpus, codings);
    for (placed, unchanged) in codings.codings.iter_mut().zip(unchanged) {
        let Some(source) = corpus.source(&placed.source) else {
            continue;
        };
        let c = &mut placed.coding;
        let anchor = if unchanged {
            Anchor::Unchanged
        } else {
            locate(source, c.start, c.end, &c.quote)
        };
        let path = super::file_path(&corpus.root, &placed.coder, &placed.source);
        match anchor {
            Anchor::Unchanged => {
                if c.orphaned {
                    c.orphaned = false;
                    dirty.push((placed.coder.clone(), placed.source.clone()));
                }
                continue;
            }
            Anchor::Exact { start, end }
            | Anchor::Whitespace { start, end }
            | Anchor::Fuzzy { start, end, .. } => {
                c.start = start;
                c.end = end;
                c.quote = char_slice(&source.body, start, end)
                    .unwrap_or_default()
                    .to_string();
                c.orphaned = false;
            }
            Anchor::Orphaned => {
                if c.orphaned {
                    report.push(Healed {
                        path,
                        id: c.id.clone(),
                        anchor,
                    });
                    continue;
                }
                c.orphaned = true;
            }
        }
        dirty.push((placed.coder.clone(), placed.source.clone()));
        report.push(Healed {
            path,
            id: c.id.clone(),
            anchor,
        });
    }
    dirty.sort();
    dirty.dedup();
    if !dirty.is_empty() {
        let _lock = lock::acquire(&corpus.root)?;
        for (coder, source) in dirty {
            let path = super::file_path(&corpus.root, &coder, &source);
            // Merge into the file as it is now: only the healed codings change.
            let mut file: CodingFile = super::load_file(&path)?;
            for c in &mut file.codings {
                if let Some(h) = codings
                    .codings
                    .iter()
                    .find(|p| p.coder == coder && p.source == source && p.coding.id == c.id)
                {
                    *c = h.coding.clone();
                }
            }
            super::save_file(&path, &file)?;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn source(body: &str) -> Source {
        let text = format!(
            "+++\nid = \"s\"\nkind = \"intermezzo\"\ntitle = \"t\"\nprovenance = \"synthetic\"\n+++\n{body}"
        );
        Source::parse(Path::new("s.md"), &text).unwrap()
    }

    const QUOTE: &str = "de werkdruk onder docenten is hoog";

    #[test]
    fn unchanged_text_stays() {
        let s = source("Teams zeggen dat de werkdruk onder docenten is hoog.\n");
        assert_eq!(locate(&s, 17, 51, QUOTE), Anchor::Unchanged);
    }

    #[test]
    fn inserted_text_moves_the_coding_to_the_nearest_exact_match() {
        let s = source(
            "Nieuw: een ingevoegde alinea.\n\nTeams zeggen dat de werkdruk onder docenten is hoog.\n",
        );
        assert_eq!(
            locate(&s, 17, 51, QUOTE),
            Anchor::Exact { start: 48, end: 82 }
        );
    }

    #[test]
    fn rewrapped_text_matches_without_white_space() {
        let s = source("Teams zeggen dat de werkdruk\nonder  docenten is hoog.\n");
        assert_eq!(
            locate(&s, 17, 51, QUOTE),
            Anchor::Whitespace { start: 17, end: 52 }
        );
    }

    #[test]
    fn a_fixed_typo_is_a_close_match_in_the_paragraph() {
        let s = source("Teams zeggen dat de werkdruk onder de docenten is hoog.\n");
        match locate(&s, 17, 51, QUOTE) {
            Anchor::Fuzzy { start, end, edits } => {
                assert_eq!((start, end, edits), (17, 54, 3));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn gone_text_is_orphaned_not_moved() {
        let s = source("Een heel andere tekst over intake en de AVG, zonder het citaat.\n");
        assert_eq!(locate(&s, 17, 51, QUOTE), Anchor::Orphaned);
    }
}
