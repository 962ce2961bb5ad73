//! A citation of a passage: the quote verbatim, then where it comes from (source, case,
//! page or paragraph), in the project's citation form.

use crate::corpus::Corpus;
use crate::corpus::source::{Source, char_slice};

/// "p. 12" or "p. 12-13" for report text, else "¶4" (and the timestamp of a transcript turn).
pub fn location(source: &Source, start: usize) -> String {
    let segments = source.segments();
    let seg = segments.iter().find(|s| s.start <= start && start <= s.end);
    match seg {
        Some(s) => match (s.page, &s.timestamp) {
            (Some(page), _) => page.to_string(),
            (None, Some(ts)) => format!("¶{}, {ts}", s.ordinal),
            (None, None) => format!("¶{}", s.ordinal),
        },
        None => String::new(),
    }
}

/// The quote (verbatim, trimmed) of `start..end` of `source` and its source line: title,
/// location and case, in the project's citation form.
pub fn parts(corpus: &Corpus, source: &Source, start: usize, end: usize) -> (String, String) {
    let quote = char_slice(&source.body, start, end)
        .unwrap_or_default()
        .trim()
        .to_string();
    let case = corpus.case_of_span(source, start, end).map(|id| {
        corpus
            .cases
            .get(id)
            .map_or(id.to_string(), |c| c.label.clone())
    });
    let loc = location(source, start);
    let mut line = match &corpus.project {
        Some(p) => p.cite(&source.meta.title, &loc, case.as_deref()),
        None => format!("{}, {loc}", source.meta.title),
    };
    if let Some(c) = &case {
        line.push_str(&format!(" Case: {c}."));
    }
    (quote, line)
}

/// The citation of `start..end` of `source`, as Markdown: a block quote and a source line.
pub fn cite(corpus: &Corpus, source: &Source, start: usize, end: usize) -> String {
    let (quote, line) = parts(corpus, source, start, end);
    let quoted: Vec<String> = quote
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect();
    format!("{}\n\n— {line}\n", quoted.join("\n"))
}

/// The memos on the cited passage's source and case, as Markdown list items (for the
/// citations file, where the report writer keeps notes beside the quotes).
pub fn memo_lines(corpus: &Corpus, source: &Source, start: usize, end: usize) -> String {
    let mut targets = vec![format!("source:{}", source.meta.id)];
    if let Some(case) = corpus.case_of_span(source, start, end) {
        targets.push(format!("case:{case}"));
    }
    let mut out = String::new();
    for target in &targets {
        for memo in corpus.memos.of(target) {
            out.push_str(&format!(
                "- memo ({}, {target}): {}\n",
                memo.author, memo.text
            ));
        }
    }
    out
}
