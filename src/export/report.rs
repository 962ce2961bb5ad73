//! Exports for report writers and other tools: the selected codings as Markdown citations
//! grouped in fishbone order, or as a CSV table with one row per coding.

use std::collections::BTreeSet;

use crate::coding::{CodingSet, Placed};
use crate::corpus::Corpus;
use crate::corpus::codebook::{FISHBONE, Level, Valence};
use crate::corpus::quotes::Voice;
use crate::corpus::source::Source;
use crate::error::{Error, Result};

use super::citation;

/// Which codings to export.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub code: Option<String>,
    pub level: Option<Level>,
    pub valence: Option<Valence>,
    pub coder: Option<String>,
    pub case: Option<String>,
    pub kind: Option<crate::corpus::source::SourceKind>,
    /// Only codings in this speaker's turns.
    pub speaker: Option<String>,
    /// Only codings overlapping these passages (source id, start, end): a search's hits.
    pub within: Option<Vec<(String, usize, usize)>>,
}

/// The codings `selection` picks, with their sources, in fishbone order (then source and
/// position).
pub fn select<'a>(
    corpus: &'a Corpus,
    codings: &'a CodingSet,
    selection: &Selection,
) -> Vec<(&'a Placed, &'a Source)> {
    let order = |p: &Placed| {
        let code = corpus.codebook.code(&p.coding.code);
        let group = code.map_or(usize::MAX, |c| {
            usize::from(c.group != FISHBONE) * 1000
                + corpus
                    .codebook
                    .groups
                    .iter()
                    .position(|g| g.id == c.group)
                    .unwrap_or(999)
        });
        let level = code.and_then(|c| c.level).map_or(usize::MAX, Level::rank);
        let valence = code.and_then(|c| c.valence).map_or(usize::MAX, |v| {
            Valence::ALL.iter().position(|x| *x == v).unwrap_or(9)
        });
        let index = corpus
            .codebook
            .codes
            .iter()
            .position(|c| c.id == p.coding.code)
            .unwrap_or(usize::MAX);
        (group, level, valence, index)
    };
    let mut out: Vec<(&Placed, &Source)> = codings
        .codings
        .iter()
        .filter(|p| !p.coding.orphaned)
        .filter(|p| selection.coder.as_deref().is_none_or(|c| c == p.coder))
        .filter(|p| selection.code.as_deref().is_none_or(|c| c == p.coding.code))
        .filter(|p| {
            let code = corpus.codebook.code(&p.coding.code);
            selection
                .level
                .is_none_or(|l| code.and_then(|c| c.level) == Some(l))
                && selection
                    .valence
                    .is_none_or(|v| code.and_then(|c| c.valence) == Some(v))
        })
        .filter(|p| {
            selection.within.as_ref().is_none_or(|hits| {
                hits.iter()
                    .any(|(s, a, b)| *s == p.source && p.coding.start < *b && *a < p.coding.end)
            })
        })
        .filter_map(|p| corpus.source(&p.source).map(|s| (p, s)))
        .filter(|(p, s)| {
            selection.case.as_deref().is_none_or(|case| {
                corpus.case_of_span(s, p.coding.start, p.coding.end) == Some(case)
            })
        })
        .filter(|(_, s)| selection.kind.is_none_or(|k| s.meta.kind == k))
        .filter(|(p, s)| {
            selection.speaker.as_deref().is_none_or(|speaker| {
                s.segments().iter().any(|seg| {
                    seg.start <= p.coding.start
                        && p.coding.start < seg.end
                        && seg.speaker.as_deref() == Some(speaker)
                })
            })
        })
        .collect();
    out.sort_by_key(|(p, _)| (order(p), p.source.clone(), p.coding.start, p.coder.clone()));
    out
}

/// The voice of the quote record a coding lies in, if it lies in one.
fn voice_of(corpus: &Corpus, p: &Placed) -> Option<Voice> {
    corpus
        .quotes_of(&p.source)
        .iter()
        .find(|q| q.start <= p.coding.start && p.coding.end <= q.end)
        .map(|q| q.voice)
}

/// The label and the attribute values ("Docententeam, Groot ROC, …") of the coding's case,
/// if the text ties it to one.
fn case_line(corpus: &Corpus, p: &Placed, s: &Source) -> Option<(String, String)> {
    let id = corpus.case_of_span(s, p.coding.start, p.coding.end)?;
    let case = corpus.cases.get(id)?;
    let values: Vec<String> = case
        .attributes
        .iter()
        .map(|(name, v)| format!("{name}: {v}"))
        .collect();
    Some((case.label.clone(), values.join(", ")))
}

/// The parts of a citations document, in order, for any output format.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    /// A fishbone level and valence, or a code group.
    Section(String),
    Code {
        label: String,
        definition: String,
    },
    Citation {
        quote: String,
        source: String,
        /// "casus: …", "stem: …", "codes: …", "memo (coder): …".
        details: Vec<String>,
    },
    /// Said when the selection is empty.
    Empty(String),
}

/// The citations document for the selected codings: headings per fishbone level and
/// valence (then the other groups) and per code; each coding's quote verbatim with where it
/// comes from.
pub fn blocks(corpus: &Corpus, codings: &CodingSet, selection: &Selection) -> Vec<Block> {
    let title = corpus
        .project
        .as_ref()
        .map_or("visgraat", |p| p.title.as_str());
    let mut out = vec![Block::Title(format!("Citaten — {title}"))];
    let (mut section, mut code_seen) = (String::new(), String::new());
    let picked = select(corpus, codings, selection);
    if picked.is_empty() {
        out.push(Block::Empty("Geen coderingen in deze selectie.".into()));
    }
    for (p, s) in picked {
        let code = corpus.codebook.code(&p.coding.code);
        let heading = match code.and_then(|c| c.level.zip(c.valence)) {
            Some((l, v)) => format!("{} {} — {}", v.glyph(), l.as_str(), v.as_str()),
            None => code
                .and_then(|c| corpus.codebook.groups.iter().find(|g| g.id == c.group))
                .map_or("Overige codes".to_string(), |g| g.label.clone()),
        };
        if heading != section {
            out.push(Block::Section(heading.clone()));
            section = heading;
            code_seen.clear();
        }
        if p.coding.code != code_seen {
            out.push(Block::Code {
                label: code.map_or(p.coding.code.clone(), |c| c.label.clone()),
                definition: code.map_or(String::new(), |c| c.definition.clone()),
            });
            code_seen = p.coding.code.clone();
        }
        let (quote, source) = citation::parts(corpus, s, p.coding.start, p.coding.end);
        let mut details = Vec::new();
        if let Some((label, attributes)) = case_line(corpus, p, s) {
            if attributes.is_empty() {
                details.push(format!("casus: {label}"));
            } else {
                details.push(format!("casus: {label} ({attributes})"));
            }
        }
        if let Some(voice) = voice_of(corpus, p) {
            details.push(format!("stem: {}", voice.as_str()));
        }
        let codes: BTreeSet<&str> = codings
            .overlapping(&p.source, p.coding.start, p.coding.end)
            .map(|c| c.coding.code.as_str())
            .collect();
        details.push(format!(
            "codes: {}",
            codes.into_iter().collect::<Vec<_>>().join(", ")
        ));
        if !p.coding.memo.is_empty() {
            details.push(format!("memo ({}): {}", p.coder, p.coding.memo));
        }
        out.push(Block::Citation {
            quote,
            source,
            details,
        });
    }
    out
}

/// Markdown for a report writer (see `blocks`).
pub fn markdown(corpus: &Corpus, codings: &CodingSet, selection: &Selection) -> String {
    render_markdown(&blocks(corpus, codings, selection))
}

/// Blocks as Markdown: headings, quotes as block quotes with their source line.
pub fn render_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks.iter().cloned() {
        match block {
            Block::Title(t) => out.push_str(&format!("# {t}\n")),
            Block::Section(h) => out.push_str(&format!("\n## {h}\n")),
            Block::Code { label, definition } => {
                out.push_str(&format!("\n### {label}\n"));
                if !definition.is_empty() {
                    out.push_str(&format!("\n*{definition}*\n"));
                }
            }
            Block::Citation {
                quote,
                source,
                details,
            } => {
                out.push('\n');
                for l in quote.lines() {
                    if l.trim().is_empty() {
                        out.push_str(">\n");
                    } else {
                        out.push_str(&format!("> {l}\n"));
                    }
                }
                out.push_str(&format!("\n— {source}\n"));
                for d in details {
                    out.push_str(&format!("- {d}\n"));
                }
            }
            Block::Empty(text) => out.push_str(&format!("\n{text}\n")),
        }
    }
    out
}

/// The columns of a coding in the CSV, before and after the case attributes.
const CODING_COLUMNS: [&str; 16] = [
    "coding",
    "coder",
    "code",
    "code_label",
    "group",
    "level",
    "valence",
    "source",
    "source_title",
    "kind",
    "location",
    "speaker",
    "citation",
    "start",
    "end",
    "case",
];

/// The CSV column of a case attribute: its name, or `case_NAME` where a coding column has
/// that name (`level`, the code's fishbone level, makes the case's `case_level`).
fn attribute_column(name: &str) -> String {
    if CODING_COLUMNS.contains(&name) || ["voice", "quote", "memo"].contains(&name) {
        format!("case_{name}")
    } else {
        name.to_string()
    }
}

/// CSV, one row per coding: quote, source, speaker, citation, case attributes, code path,
/// coder, memo.
pub fn csv(corpus: &Corpus, codings: &CodingSet, selection: &Selection) -> Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::Usage(format!("CSV: {e}"));
    // One column per case attribute any case has.
    let attributes = corpus.cases.attribute_names();
    let header = CODING_COLUMNS
        .into_iter()
        .map(String::from)
        .chain(attributes.iter().map(|a| attribute_column(a)))
        .chain(["voice", "quote", "memo"].map(String::from));
    w.write_record(header).map_err(fail)?;
    for (p, s) in select(corpus, codings, selection) {
        let code = corpus.codebook.code(&p.coding.code);
        let case = corpus
            .case_of_span(s, p.coding.start, p.coding.end)
            .and_then(|id| corpus.cases.get(id));
        let text = |v: Option<&str>| v.unwrap_or_default().to_string();
        let (_, cited) = citation::parts(corpus, s, p.coding.start, p.coding.end);
        let fixed = [
            p.coding.id.clone(),
            p.coder.clone(),
            p.coding.code.clone(),
            text(code.map(|c| c.label.as_str())),
            text(code.map(|c| c.group.as_str())),
            text(code.and_then(|c| c.level).map(Level::as_str)),
            text(code.and_then(|c| c.valence).map(Valence::as_str)),
            p.source.clone(),
            s.meta.title.clone(),
            s.meta.kind.as_str().to_string(),
            citation::location(s, p.coding.start),
            text(citation::speaker_at(s, p.coding.start).as_deref()),
            cited,
            p.coding.start.to_string(),
            p.coding.end.to_string(),
            text(case.map(|c| c.id.as_str())),
        ];
        let values = attributes
            .iter()
            .map(|a| case.map_or(String::new(), |c| c.attributes.text(a)));
        let last = [
            text(voice_of(corpus, p).map(Voice::as_str)),
            p.coding.quote.clone(),
            p.coding.memo.clone(),
        ];
        w.write_record(fixed.into_iter().chain(values).chain(last))
            .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Usage(format!("CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Usage(format!("CSV: {e}")))
}

/// One JSON object per passage (a line each) with its codes and visgraat's Dutch stems, for
/// loading many projects into a search cluster (docs/quickwit-index.yaml). `within` narrows
/// to a search's hits. Each source is reported to `progress`.
pub fn ndjson(
    corpus: &Corpus,
    codings: &CodingSet,
    within: Option<&[(String, usize, usize)]>,
    progress: &dyn crate::progress::Progress,
) -> Result<String> {
    let project = corpus
        .project
        .as_ref()
        .map_or(String::new(), |p| p.title.clone());
    let mut analyzer = crate::index::analyzer::stem_analyzer();
    let mut out = String::new();
    progress.stage(
        crate::progress::Stage::Exporting,
        corpus.sources.len() as u64,
    );
    for source in &corpus.sources {
        crate::progress::check(progress)?;
        progress.advance(1);
        // The source's codings once, not a search of all codings per passage.
        let in_source: Vec<&Placed> = codings.in_source(&source.meta.id).collect();
        for seg in source.segments() {
            if within.is_some_and(|hits| {
                !hits
                    .iter()
                    .any(|(s, a, b)| *s == source.meta.id && seg.start < *b && *a < seg.end)
            }) {
                continue;
            }
            let on: Vec<&Placed> = in_source
                .iter()
                .copied()
                .filter(|c| c.coding.start < seg.end && seg.start < c.coding.end)
                .collect();
            let mut codes: Vec<&str> = on.iter().map(|c| c.coding.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            let mut coders: Vec<&str> = on.iter().map(|c| c.coder.as_str()).collect();
            coders.sort_unstable();
            coders.dedup();
            let stems: Vec<String> = crate::index::analyzer::tokens(&mut analyzer, &seg.text)
                .into_iter()
                .map(|t| t.text)
                .collect();
            let record = serde_json::json!({
                "project": project,
                "id": format!("{}#{}", source.meta.id, seg.ordinal),
                "source": source.meta.id,
                "title": source.meta.title,
                "kind": source.meta.kind.as_str(),
                "case": corpus.case_of_span(source, seg.start, seg.end),
                "speaker": seg.speaker,
                "timestamp": seg.timestamp,
                "page": seg.page.map(|p| p.to_string()),
                "ordinal": seg.ordinal,
                "start": seg.start,
                "end": seg.end,
                "text": seg.text,
                "codes": codes,
                "coders": coders,
                "stems_nl": stems.join(" "),
            });
            out.push_str(&serde_json::to_string(&record).map_err(|e| Error::Usage(e.to_string()))?);
            out.push('\n');
        }
    }
    Ok(out)
}

/// CSV of a search's hits, one row each: where the passage is, its text and its codes.
pub fn hits_csv(hits: &[crate::index::search::Hit]) -> Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::Usage(format!("CSV: {e}"));
    w.write_record([
        "rank",
        "score",
        "source",
        "title",
        "kind",
        "case",
        "speaker",
        "voice",
        "page",
        "paragraph",
        "start",
        "end",
        "text",
        "codes",
    ])
    .map_err(fail)?;
    for (i, h) in hits.iter().enumerate() {
        let page = match (h.page, h.page_max) {
            (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        };
        w.write_record([
            (i + 1).to_string(),
            format!("{:.3}", h.score),
            h.source.clone(),
            h.title.clone(),
            h.kind.clone(),
            h.case.clone().unwrap_or_default(),
            h.speaker.clone().unwrap_or_default(),
            h.voice.clone().unwrap_or_default(),
            page,
            h.ordinal.map_or(String::new(), |o| o.to_string()),
            h.start.to_string(),
            h.end.to_string(),
            h.text.clone(),
            h.codes.join(" "),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Usage(format!("CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Usage(format!("CSV: {e}")))
}
