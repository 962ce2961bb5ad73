//! Applying re-anchoring to a project's codings: in memory on opening, on disk when asked,
//! and a person's decision on a coding that waits for review.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{Anchor, Review, Target, context, locate_target};
use crate::coding::{Coding, CodingFile, CodingSet, Placed, lock};
use crate::corpus::Corpus;
use crate::corpus::source::{CharIndex, char_slice};
use crate::error::Result;

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
    pub coder: String,
    pub source: String,
    pub id: String,
    pub anchor: Anchor,
    /// Whether this changed the coding in memory (so its file differs until written).
    pub changed: bool,
}

/// Re-anchor, in memory, every coding whose text no longer matches, and report what
/// happened. Sure moves are applied (a quote that changed keeps its first form in
/// `original_quote`); unsure ones leave the coding where it was, not counted, with a
/// `review` saying why and where its text may be; a coding whose text is gone is orphaned.
/// Nothing is written here: `write` puts it on disk (see `Workspace`: every command but
/// `check` does, so a fast search that reads the codings files alone sees them as placed;
/// `check` only reports until `--fix`).
pub fn heal(corpus: &Corpus, codings: &mut CodingSet) -> Vec<Healed> {
    let mut report = Vec::new();
    let unchanged = still_in_place(corpus, codings);
    for (placed, unchanged) in codings.codings.iter_mut().zip(unchanged) {
        let Some(source) = corpus.source(&placed.source) else {
            continue;
        };
        let c = &mut placed.coding;
        let anchor = if unchanged {
            Anchor::Unchanged
        } else {
            locate_target(source, &Target::of(c))
        };
        let healed = |anchor: Anchor, changed: bool, id: &str| Healed {
            path: crate::coding::file_path(&corpus.root, &placed.coder, &placed.source),
            coder: placed.coder.clone(),
            source: placed.source.clone(),
            id: id.to_string(),
            anchor,
            changed,
        };
        match &anchor {
            Anchor::Unchanged => {
                if c.orphaned || c.review.is_some() {
                    // Its text is back (an edit undone).
                    c.orphaned = false;
                    c.review = None;
                    report.push(healed(anchor, true, &c.id));
                }
                continue;
            }
            Anchor::Exact { start, end }
            | Anchor::Whitespace { start, end }
            | Anchor::Fuzzy { start, end, .. } => {
                place(c, &source.body, *start, *end);
            }
            Anchor::Unsure { doubt, proposal } => {
                let review = Review {
                    doubt: *doubt,
                    start: proposal.map(|p| p.0),
                    end: proposal.map(|p| p.1),
                    text: proposal
                        .and_then(|(s, e)| char_slice(&source.body, s, e))
                        .unwrap_or_default()
                        .to_string(),
                };
                let same = c.orphaned && c.review.as_ref() == Some(&review);
                c.orphaned = true;
                c.review = Some(review);
                report.push(healed(anchor, !same, &c.id));
                continue;
            }
            Anchor::Orphaned => {
                let same = c.orphaned && c.review.is_none();
                c.orphaned = true;
                c.review = None;
                report.push(healed(anchor, !same, &c.id));
                continue;
            }
        }
        report.push(healed(anchor, true, &c.id));
    }
    report
}

/// Write what `heal` changed, and with `backfill` give every placed coding stored without
/// its surroundings (made before they were kept) its prefix and suffix: the files involved
/// are read fresh and only those codings change in them. Returns how many files were
/// written.
pub fn write(
    corpus: &Corpus,
    codings: &mut CodingSet,
    healed: &[Healed],
    backfill: bool,
) -> Result<usize> {
    let mut files: Vec<(String, String)> = healed
        .iter()
        .filter(|h| h.changed)
        .map(|h| (h.coder.clone(), h.source.clone()))
        .collect();
    for p in codings.codings.iter_mut().filter(|_| backfill) {
        let c = &mut p.coding;
        if c.orphaned || !(c.prefix.is_empty() && c.suffix.is_empty()) || c.end <= c.start {
            continue;
        }
        if let Some(source) = corpus.source(&p.source) {
            (c.prefix, c.suffix) = context(&source.body, c.start, c.end);
            files.push((p.coder.clone(), p.source.clone()));
        }
    }
    files.sort();
    files.dedup();
    if !files.is_empty() {
        write_healed(corpus, codings, &files)?;
    }
    Ok(files.len())
}

/// Merge the healed codings into their files as they are now: only those codings change.
fn write_healed(corpus: &Corpus, codings: &CodingSet, files: &[(String, String)]) -> Result<()> {
    let _lock = lock::acquire(&corpus.root)?;
    for (coder, source) in files {
        let path = crate::coding::file_path(&corpus.root, coder, source);
        let mut file: CodingFile = crate::coding::load_file(&path)?;
        for c in &mut file.codings {
            if let Some(h) = codings
                .codings
                .iter()
                .find(|p| p.coder == *coder && p.source == *source && p.coding.id == c.id)
            {
                *c = h.coding.clone();
            }
        }
        crate::coding::save_file(&path, &file)?;
    }
    Ok(())
}

/// A coding that waits for review, placed where its review proposes, as a person decided
/// (`check --accept`, `a` in the TUI's problems list): the text there becomes its quote,
/// the quote it had is kept as `original_quote` (if it has none yet). The caller writes it
/// (`coding::apply_changes` with a `Replace`, one locked write, undoable in the TUI).
pub fn accepted(corpus: &Corpus, placed: &Placed) -> Result<Placed> {
    use crate::error::Error;
    let id = &placed.coding.id;
    let (Some(review), Some(source)) = (&placed.coding.review, corpus.source(&placed.source))
    else {
        return Err(Error::Usage(format!(
            "coding {id} waits for no review: `visgraat check` lists those that do"
        )));
    };
    let (Some(start), Some(end)) = (review.start, review.end) else {
        return Err(Error::Usage(format!(
            "coding {id}: its text is found nowhere to place it; code the passage again and remove this one"
        )));
    };
    let mut new = placed.clone();
    place(&mut new.coding, &source.body, start, end);
    Ok(new)
}

/// Put `c` on `start..end` of `body`: the text there becomes its quote (the quote it was
/// first coded with is kept as `original_quote`), its surroundings are taken anew, and it
/// counts again.
fn place(c: &mut Coding, body: &str, start: usize, end: usize) {
    let text = char_slice(body, start, end).unwrap_or_default().to_string();
    if text != c.quote && c.original_quote.is_none() {
        c.original_quote = Some(c.quote.clone());
    }
    if c.original_quote.as_deref() == Some(text.as_str()) {
        // Back on the text it was coded on (an edit undone): nothing to remember.
        c.original_quote = None;
    }
    c.start = start;
    c.end = end;
    c.quote = text;
    (c.prefix, c.suffix) = context(body, start, end);
    c.orphaned = false;
    c.review = None;
}
