//! Whole-project validation for `visgraat check`: every problem with its file and line.
//! Loading already reports files that do not parse; this checks what ties files together:
//! codes of codings, coding anchors, quote anchors, case passages and fishbone sheets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::coding::{self, CodingSet};
use crate::corpus::Corpus;
use crate::corpus::source::char_slice;
use crate::error::Error;

/// The 1-based line where `needle` first occurs in the file at `path`.
fn line_of(path: &Path, needle: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    text.find(needle)
        .map(|at| text[..at].matches('\n').count() + 1)
}

pub fn check(corpus: &Corpus, codings: &CodingSet) -> Vec<Error> {
    let mut problems = Vec::new();
    // A coding id must be unique per coder: undo, recode and remove find codings by id.
    let mut seen: std::collections::HashMap<(&str, &str), (&str, usize)> =
        std::collections::HashMap::new();
    for placed in &codings.codings {
        let key = (placed.coder.as_str(), placed.coding.id.as_str());
        let entry = seen.entry(key).or_insert((placed.source.as_str(), 0));
        entry.1 += 1;
        if entry.1 == 2 {
            let first = coding::file_path(&corpus.root, &placed.coder, entry.0);
            let path = coding::file_path(&corpus.root, &placed.coder, &placed.source);
            let needle = format!("id = \"{}\"", placed.coding.id);
            // The second occurrence: in the same file, the line after the first one's.
            let line = if first == path {
                std::fs::read_to_string(&path).ok().and_then(|text| {
                    let a = text.find(&needle)?;
                    let b = a + needle.len() + text[a + needle.len()..].find(&needle)?;
                    Some(text[..b].matches('\n').count() + 1)
                })
            } else {
                line_of(&path, &needle)
            };
            problems.push(Error::invalid(
                &path,
                line,
                format!(
                    "coding id {} is used twice (also in {}): give one a new id or remove the duplicate",
                    placed.coding.id,
                    first.display()
                ),
            ));
        }
    }
    // Codes missing because their code-book entry was skipped (or the book is unreadable):
    // one problem per code, with how many codings it leaves uncounted, not one per coding.
    let mut missing: BTreeMap<&str, (usize, PathBuf)> = BTreeMap::new();
    for placed in &codings.codings {
        let path = coding::file_path(&corpus.root, &placed.coder, &placed.source);
        let line = line_of(&path, &format!("id = \"{}\"", placed.coding.id));
        let mut problem = |message: String| problems.push(Error::invalid(&path, line, message));
        let c = &placed.coding;
        if corpus.codebook.code(&c.code).is_none() {
            if corpus.codebook.missing_because(&c.code).is_some() {
                let first = path.clone();
                missing.entry(c.code.as_str()).or_insert((0, first)).0 += 1;
            } else {
                problem(format!(
                    "coding {} uses unknown code {:?} (not in codebook.toml)",
                    c.id, c.code
                ));
            }
        }
        if let (true, Some(review)) = (c.orphaned, &c.review) {
            let now = match (review.start, review.end) {
                (Some(s), Some(e)) => format!(
                    "; now perhaps at {s}..{e}: “{}” (`visgraat check --accept {}` places it there)",
                    abbreviate(&review.text),
                    c.id
                ),
                _ => String::new(),
            };
            problem(format!(
                "coding {} ({}) needs review: {}: it was “{}”{now}",
                c.id,
                c.code,
                review.doubt.describe(),
                abbreviate(&c.quote)
            ));
            continue;
        }
        if c.orphaned {
            problem(format!(
                "coding {} ({}) is orphaned: its text “{}” is no longer in the source; code the passage again and remove this one",
                c.id,
                c.code,
                abbreviate(&c.quote)
            ));
            continue;
        }
        let Some(src) = corpus.source(&placed.source) else {
            problem(format!(
                "coding {}: no source {:?} (the file name names the source)",
                c.id, placed.source
            ));
            continue;
        };
        match char_slice(&src.body, c.start, c.end) {
            None => problem(format!(
                "coding {}: span {}..{} lies outside the source ({} chars)",
                c.id,
                c.start,
                c.end,
                src.char_len()
            )),
            Some(text) if text != c.quote => problem(format!(
                "coding {}: the text at {}..{} no longer matches its quote {:?}",
                c.id,
                c.start,
                c.end,
                abbreviate(&c.quote)
            )),
            Some(_) if c.start >= c.end => problem(format!("coding {}: empty span", c.id)),
            Some(_) => {}
        }
    }
    let book_path = corpus.root.join("codebook.toml");
    for (code, (count, first)) in missing {
        let why = corpus.codebook.missing_because(code).unwrap_or_default();
        problems.push(Error::invalid(
            &book_path,
            corpus.codebook.skipped.get(code).copied().flatten(),
            format!(
                "{count} coding(s) use code {code:?}, which is missing: {why}; they count nowhere until it is fixed (the first in {})",
                first.display()
            ),
        ));
    }
    if let Err(e) = crate::coding::review_log::load(&corpus.root) {
        problems.push(e);
    }
    if let Err(e) = crate::corpus::participants::load(&corpus.root) {
        problems.push(e);
    }
    let memos_path = crate::coding::memos::path(&corpus.root);
    for memo in &corpus.memos.memos {
        use crate::coding::memos::{TargetKind, parse_target};
        let known = match parse_target(&memo.target) {
            Ok((TargetKind::Code, id)) => corpus.codebook.code(id).is_some(),
            Ok((TargetKind::Source, id)) => corpus.source(id).is_some(),
            Ok((TargetKind::Case, id)) => corpus.cases.get(id).is_some(),
            Err(_) => false,
        };
        if !known {
            problems.push(Error::invalid(
                &memos_path,
                line_of(&memos_path, &format!("target = \"{}\"", memo.target)),
                format!(
                    "memo by {} on {}: no such {}",
                    memo.author,
                    memo.target,
                    memo.target.split(':').next().unwrap_or("target")
                ),
            ));
        }
    }
    for (source_id, quotes) in &corpus.quotes {
        let path = corpus.root.join("quotes").join(format!("{source_id}.toml"));
        let Some(src) = corpus.source(source_id) else {
            problems.push(Error::invalid(
                &path,
                None,
                format!("quotes for unknown source {source_id:?}"),
            ));
            continue;
        };
        for q in quotes {
            if char_slice(&src.body, q.start, q.end) != Some(q.text.as_str()) {
                let line = line_of(&path, &format!("id = \"{}\"", q.id));
                problems.push(Error::invalid(
                    &path,
                    line,
                    format!(
                        "quote {}: text does not match the source at {}..{}",
                        q.id, q.start, q.end
                    ),
                ));
            }
        }
    }
    let cases_path = corpus.root.join("cases.toml");
    for case in &corpus.cases.cases {
        for p in &case.passages {
            let found = corpus
                .source(&p.source)
                .is_some_and(|s| s.body.contains(&p.quote));
            if !found {
                problems.push(Error::invalid(
                    &cases_path,
                    line_of(&cases_path, &p.quote),
                    format!(
                        "case {}: passage {:?} not found in source {:?}",
                        case.id,
                        abbreviate(&p.quote),
                        p.source
                    ),
                ));
            }
        }
        for code in case.fishbone.iter().flat_map(|f| &f.codes) {
            if corpus.codebook.code(code).is_none() {
                problems.push(Error::invalid(
                    &cases_path,
                    line_of(&cases_path, &format!("\"{code}\"")),
                    format!(
                        "case {}: fishbone sheet names unknown code {code:?}",
                        case.id
                    ),
                ));
            }
        }
    }
    problems.extend(methods(corpus));
    problems
}

/// The method files (framework summaries, reliability rounds): they parse, and what they
/// name is still there — a summary of a renamed code, or a round unit past the end of an
/// edited source, is reported rather than silently dropped.
fn methods(corpus: &Corpus) -> Vec<Error> {
    use crate::coding::framework::{self, ColumnKind, RowKind};
    let mut problems = Vec::new();
    let framework_path = framework::path(&corpus.root);
    match framework::load(&corpus.root) {
        Err(e) => problems.push(e),
        Ok(f) => {
            for s in &f.summaries {
                let row_known = match framework::parse_row(&s.row) {
                    Ok((RowKind::Case, id)) => corpus.cases.get(id).is_some(),
                    Ok((RowKind::Source, id)) => corpus.source(id).is_some(),
                    Err(_) => false,
                };
                let column_known = match framework::parse_column(&s.column) {
                    Ok((ColumnKind::Code, id)) => corpus.codebook.code(id).is_some(),
                    Ok((ColumnKind::Level, _)) => true,
                    Err(_) => false,
                };
                for (known, name) in [(row_known, &s.row), (column_known, &s.column)] {
                    if !known {
                        problems.push(Error::invalid(
                            &framework_path,
                            line_of(&framework_path, &format!("\"{name}\"")),
                            format!(
                                "summary by {} names {name:?}, which is not in the corpus (renamed or removed?)",
                                s.author
                            ),
                        ));
                    }
                }
            }
        }
    }
    match crate::coding::rounds::load_all(&corpus.root) {
        Err(e) => problems.push(e),
        Ok(rounds) => {
            for r in rounds {
                let path = crate::coding::rounds::path(&corpus.root, r.round);
                for u in &r.units {
                    let fits = corpus
                        .source(&u.source)
                        .is_some_and(|s| u.start < u.end && u.end <= s.char_len());
                    if !fits {
                        problems.push(Error::invalid(
                            &path,
                            line_of(&path, &format!("source = \"{}\"", u.source)),
                            format!(
                                "unit {}..{} of {:?} is not in the source's text",
                                u.start, u.end, u.source
                            ),
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// Notes on what is not wrong but should be seen: temp files of writes that have not
/// finished. Not problems: one may be a write in progress, and the file it is for is whole
/// either way (opening a project removes those older than a minute).
pub fn notes(corpus: &Corpus) -> Vec<String> {
    crate::atomic::leftovers(&corpus.root)
        .into_iter()
        .map(|path| {
            format!(
                "{}: note: temp file of an unfinished write: a visgraat may be writing now; if none is, it was killed mid-write (the file it was for is unharmed) and the temp file goes once it is a minute old",
                path.display()
            )
        })
        .collect()
}

fn abbreviate(text: &str) -> String {
    if text.chars().count() <= 60 {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(60).collect::<String>())
    }
}
