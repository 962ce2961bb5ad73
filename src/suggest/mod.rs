//! Code suggestions made on the researcher's machine, each with its reasons: a tf-idf model
//! of the passages people coded (`model`) proposes codes for the paragraphs nobody coded;
//! the proposals are stored as the codings of a machine coder (`store`), compared with a
//! person's in the review view, accepted (they become the reviewer's own coding) or rejected
//! (remembered, `rejected`). `evaluate` measures the model against what people coded;
//! `evidence` finds the passages that support a sentence of a report. Nothing leaves the
//! machine: no network, no downloaded model.

pub mod evaluate;
pub mod evidence;
pub mod model;
pub mod rejected;
pub mod store;
pub mod terms;

use serde::Serialize;

use crate::coding::CodingSet;
use crate::coding::machine::{Resemblance, TermWeight};
use crate::corpus::Corpus;
use crate::corpus::source::{Segment, Source};
use model::{Example, Method, Model};

/// The method `suggest` uses unless told otherwise: the best of `Method::ALL` on the shipped
/// corpus by `suggest --evaluate` (BENCHMARKS.md).
pub const DEFAULT_METHOD: Method = Method::Centroid;
/// Below this score a proposal is noise on the shipped corpus (see BENCHMARKS.md).
pub const DEFAULT_MIN_SCORE: f64 = 0.15;
/// Paragraphs with fewer content terms say too little to code.
pub const MIN_TERMS: usize = 6;

/// What to suggest for.
#[derive(Debug, Clone)]
pub struct Options {
    /// One source, or every source.
    pub source: Option<String>,
    /// One code, or every code.
    pub code: Option<String>,
    /// Whose codings teach (empty: every person's).
    pub from_coders: Vec<String>,
    /// At most this many proposals, best first.
    pub limit: usize,
    pub min_score: f64,
    pub method: Method,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            source: None,
            code: None,
            from_coders: Vec::new(),
            limit: 50,
            min_score: DEFAULT_MIN_SCORE,
            method: DEFAULT_METHOD,
        }
    }
}

/// One proposed coding of a paragraph, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub source: String,
    pub paragraph: u32,
    /// Char offsets into the body, end-exclusive: the whole paragraph.
    pub start: usize,
    pub end: usize,
    pub code: String,
    pub score: f64,
    pub terms: Vec<TermWeight>,
    pub like: Vec<Resemblance>,
}

/// The people's codings that teach: every person's, or those of `from_coders`; never the
/// machine's own (they live apart in `CodingSet::machine`).
pub fn examples(corpus: &Corpus, codings: &CodingSet, from_coders: &[String]) -> Vec<Example> {
    codings
        .codings
        .iter()
        .filter(|p| !p.coding.orphaned && p.coding.review.is_none())
        .filter(|p| from_coders.is_empty() || from_coders.contains(&p.coder))
        .filter(|p| corpus.codebook.code(&p.coding.code).is_some())
        .map(|p| Example {
            coder: p.coder.clone(),
            source: p.source.clone(),
            coding: p.coding.id.clone(),
            code: p.coding.code.clone(),
            text: p.coding.quote.clone(),
        })
        .collect()
}

/// What the model learns from: the people's codings (see `examples`) and every code's label
/// and definition.
pub fn teaching(corpus: &Corpus, codings: &CodingSet, from_coders: &[String]) -> Vec<Example> {
    let mut out = examples(corpus, codings, from_coders);
    out.extend(corpus.codebook.codes.iter().map(|c| Example {
        coder: String::new(),
        source: String::new(),
        coding: format!("codebook:{}", c.id),
        code: c.id.clone(),
        text: format!("{}. {}", c.label, c.definition),
    }));
    out
}

/// The paragraphs of `source` that can be suggested for: running text with something to
/// say.
pub fn candidate_paragraphs(source: &Source) -> Vec<Segment> {
    source
        .segments()
        .into_iter()
        .filter(|s| !s.is_heading_or_note(&source.meta.title))
        .filter(|s| terms::terms(&s.text).len() >= MIN_TERMS)
        .collect()
}

/// Whether any person coded (part of) `start..end` of `source`.
fn coded_by_someone(codings: &CodingSet, source: &str, start: usize, end: usize) -> bool {
    codings.overlapping(source, start, end).next().is_some()
}

/// Propose codings for the paragraphs nobody has coded, best first, leaving out what was
/// rejected before.
pub fn propose(
    corpus: &Corpus,
    codings: &CodingSet,
    rejected: &rejected::Rejected,
    options: &Options,
) -> Vec<Proposal> {
    let sources: Vec<&Source> = corpus
        .sources
        .iter()
        .filter(|s| options.source.as_ref().is_none_or(|id| *id == s.meta.id))
        .collect();
    let mut paragraphs: Vec<(&Source, Segment)> = Vec::new();
    for source in &sources {
        for seg in candidate_paragraphs(source) {
            if !coded_by_someone(codings, &source.meta.id, seg.start, seg.end) {
                paragraphs.push((source, seg));
            }
        }
    }
    let texts: Vec<&str> = paragraphs.iter().map(|(_, s)| s.text.as_str()).collect();
    let model = Model::train(
        teaching(corpus, codings, &options.from_coders),
        &texts,
        options.method,
    );
    let mut out: Vec<Proposal> = Vec::new();
    for (source, seg) in &paragraphs {
        let best = model.rank(&seg.text).into_iter().find(|s| {
            options.code.as_ref().is_none_or(|c| *c == s.code)
                && !rejected.covers(source, &s.code, seg.start, seg.end)
        });
        let Some(mut best) = best else { continue };
        if best.score < options.min_score {
            continue;
        }
        if best.like.is_empty() {
            best.like = model.nearest(&seg.text, &best.code);
        }
        out.push(proposal(&model, source, seg, best));
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| (&a.source, a.start).cmp(&(&b.source, b.start)))
    });
    out.truncate(options.limit);
    out
}

fn proposal(model: &Model, source: &Source, seg: &Segment, scored: model::Scored) -> Proposal {
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    // A reason names the word as the passage has it ("hoge"), not its stem ("hog").
    let words: std::collections::HashMap<String, String> = terms::content_words(&seg.text)
        .into_iter()
        .map(|(word, stem)| (stem, word))
        .collect();
    Proposal {
        source: source.meta.id.clone(),
        paragraph: seg.ordinal,
        start: seg.start,
        end: seg.end,
        code: scored.code,
        score: round(scored.score),
        terms: scored
            .terms
            .into_iter()
            .map(|(stem, weight)| TermWeight {
                term: words.get(&stem).cloned().unwrap_or(stem),
                weight: round(weight),
            })
            .collect(),
        like: scored
            .like
            .into_iter()
            .map(|(i, similarity)| {
                let e = &model.examples[i];
                Resemblance {
                    coder: e.coder.clone(),
                    source: e.source.clone(),
                    coding: e.coding.clone(),
                    similarity: round(similarity),
                }
            })
            .collect(),
    }
}
