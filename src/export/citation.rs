//! A citation of a passage: the quote verbatim, then where it comes from (source, case,
//! page or paragraph), in the project's citation form.

use crate::corpus::Corpus;
use crate::corpus::project::{CitationFields, Project};
use crate::corpus::source::{Segment, Source, char_slice};

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

/// The segment (paragraph or turn) `start` lies in.
fn segment_at(source: &Source, start: usize) -> Option<Segment> {
    source
        .segments()
        .into_iter()
        .find(|s| s.start <= start && start <= s.end)
}

/// The speaker of the turn `start` lies in, if it is a turn.
pub fn speaker_at(source: &Source, start: usize) -> Option<String> {
    segment_at(source, start).and_then(|s| s.speaker)
}

/// The quote (verbatim, trimmed) of `start..end` of `source` and its source line, in the
/// project's citation form for the source's kind: a transcript names its own focus group,
/// speaker and time, report text its page.
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
    let segment = segment_at(source, start);
    let loc = location(source, start);
    let paragraph = segment
        .as_ref()
        .map_or(String::new(), |s| format!("¶{}", s.ordinal));
    let page = segment.as_ref().and_then(|s| s.page).map(|p| p.to_string());
    let fields = CitationFields {
        title: &source.meta.title,
        location: &loc,
        case: case.as_deref(),
        speaker: segment.as_ref().and_then(|s| s.speaker.as_deref()),
        date: source.meta.date.as_deref(),
        timestamp: segment.as_ref().and_then(|s| s.timestamp.as_deref()),
        paragraph: &paragraph,
        page: page.as_deref(),
    };
    let default = Project::default();
    let project = corpus.project.as_ref().unwrap_or(&default);
    let form = project.form_for(source.meta.kind.as_str());
    let mut line = Project::fill(form, &fields);
    // A form that does not name the case or the speaker still gets them after it.
    if !form.contains("{case}")
        && let Some(c) = &case
    {
        line.push_str(&format!(" Case: {c}."));
    }
    if !form.contains("{speaker}")
        && let Some(speaker) = fields.speaker
    {
        line.push_str(&format!(" Spreker: {speaker}."));
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
