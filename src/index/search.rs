//! Searching: a user query plus filters → ranked hits with snippets. Code, factor, valence
//! and coder filters come from the in-memory codings (never from the index): they become
//! the set of passages whose span overlaps a matching coding.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};
use unicode_normalization::UnicodeNormalization;

use super::query::{self, Node};
use super::schema::{self, Fields};
use super::snippet::{self, Highlighter, MIN_TAIL_CHARS};
use super::{analyzer, index_error};
use crate::coding::CodingSet;
use crate::corpus::codebook::{Codebook, Level, Valence};
use crate::corpus::quotes::Voice;
use crate::corpus::source::SourceKind;
use crate::error::{Error, Result};

/// What to search for. Empty filters do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Request {
    pub query: String,
    pub kind: Option<SourceKind>,
    pub case: Option<String>,
    pub speaker: Option<String>,
    pub voice: Option<Voice>,
    pub level: Option<Level>,
    pub valence: Option<Valence>,
    pub code: Option<String>,
    pub coder: Option<String>,
    /// Search quote records instead of passages.
    pub quotes: bool,
    /// Search the code book (labels and definitions) instead of passages.
    pub codes: bool,
    /// Search the memos on codes, sources and cases instead of passages.
    pub memos: bool,
    pub limit: usize,
}

impl Request {
    /// True when the request selects passages by their codings (all codings are needed).
    pub fn filters_codings(&self) -> bool {
        self.level.is_some()
            || self.valence.is_some()
            || self.code.is_some()
            || self.coder.is_some()
    }
}

/// One search result. Field names are the JSON API (README).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub doc_type: String,
    pub key: String,
    pub source: String,
    pub title: String,
    pub kind: String,
    pub case: Option<String>,
    pub speaker: Option<String>,
    pub voice: Option<String>,
    pub page: Option<u64>,
    pub page_max: Option<u64>,
    pub ordinal: Option<u64>,
    pub start: u64,
    pub end: u64,
    pub score: f32,
    pub snippet: String,
    /// Char ranges of the matched words within `snippet`.
    pub highlights: Vec<(usize, usize)>,
    pub text: String,
    /// Codes of the codings that overlap this passage (all coders, or the filtered coder).
    pub codes: Vec<String>,
}

pub struct Searcher {
    dir: PathBuf,
    reader: IndexReader,
    fields: Fields,
    span_cache: std::sync::Arc<super::span_filter::Cache>,
}

pub const SNIPPET_CHARS: usize = 220;
/// At most this many compounds per word (by term order) take part through the tail field.
const MAX_TAIL_EXPANSIONS: u32 = 1000;

impl Searcher {
    pub fn open(dir: &Path) -> Result<Searcher> {
        // Not while another process rebuilds it; once open, the reader keeps its files.
        let _lock = super::build::lock(dir, false)?;
        let index = Index::open_in_dir(dir).map_err(|e| index_error(dir, e))?;
        analyzer::register(index.tokenizers());
        let fields = super::fields(&index)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_error(dir, e))?;
        Ok(Searcher {
            dir: dir.to_path_buf(),
            reader,
            fields,
            span_cache: Default::default(),
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(|e| index_error(&self.dir, e))
    }

    pub fn search(
        &self,
        req: &Request,
        codings: &CodingSet,
        codebook: &Codebook,
    ) -> Result<Vec<Hit>> {
        let node = query::parse(&req.query.nfc().collect::<String>())?;
        let mut highlighter = Highlighter::default();
        let nothing =
            || Error::Query("nothing to search for: the query has no letters or digits".into());
        // Two phases: the words themselves first (a query tantivy can prune to the top hits),
        // then, only when that leaves room, with the compounds the words end (welzijn →
        // docentenwelzijn), whose hits rank below every direct hit.
        let direct = self
            .build(&node, false, false, &mut Highlighter::default())?
            .ok_or_else(nothing)?;
        let with_compounds = self
            .build(&node, false, true, &mut highlighter)?
            .ok_or_else(nothing)?;
        let f = &self.fields;
        let doc_type = if req.codes {
            schema::CODE
        } else if req.memos {
            schema::MEMO
        } else if req.quotes {
            schema::QUOTE
        } else {
            schema::SEGMENT
        };
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if doc_type == schema::SEGMENT {
            // Passages are nearly every document: excluding the few others is cheaper than
            // intersecting with a posting list that holds almost all of them.
            for other in [schema::QUOTE, schema::CODE, schema::MEMO] {
                filters.push((Occur::MustNot, term(f.doc_type, other)));
            }
        } else {
            filters.push((Occur::Must, term(f.doc_type, doc_type)));
        }
        if let Some(kind) = req.kind {
            filters.push((Occur::Must, term(f.kind, kind.as_str())));
        }
        if let Some(case) = &req.case {
            filters.push((Occur::Must, term(f.case, case)));
        }
        if let Some(speaker) = &req.speaker {
            filters.push((Occur::Must, term(f.speaker_key, &speaker.to_lowercase())));
        }
        if let Some(voice) = req.voice {
            filters.push((Occur::Must, term(f.voice, voice.as_str())));
        }
        let selected = req
            .filters_codings()
            .then(|| select_codings(req, codings, codebook));
        if let Some(selected) = selected {
            if selected.is_empty() {
                return Ok(Vec::new());
            }
            filters.push((
                Occur::Must,
                Box::new(super::span_filter::SpanFilter::new(
                    selected,
                    f.source,
                    self.span_cache.clone(),
                )),
            ));
        }
        let searcher = self.reader.searcher();
        let limit = req.limit.max(1);
        let run = |user: Box<dyn Query>| -> Result<Vec<(f32, tantivy::DocAddress)>> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user)];
            clauses.extend(filters.iter().map(|(o, q)| (*o, q.box_clone())));
            searcher
                .search(
                    &BooleanQuery::new(clauses),
                    &TopDocs::with_limit(limit).order_by_score(),
                )
                .map_err(|e| index_error(&self.dir, e))
        };
        // No word long enough to have compounds: the second phase would be the first again.
        let has_compounds = !highlighter.tails.is_empty();
        let mut phases = vec![run(direct)?];
        if has_compounds && phases[0].len() < limit {
            let seen: std::collections::HashSet<tantivy::DocAddress> =
                phases[0].iter().map(|(_, a)| *a).collect();
            let more: Vec<(f32, tantivy::DocAddress)> = run(with_compounds)?
                .into_iter()
                .filter(|(_, a)| !seen.contains(a))
                .take(limit - phases[0].len())
                .collect();
            phases.push(more);
        }
        let mut hits = Vec::with_capacity(limit);
        for phase in phases {
            let mut these = Vec::with_capacity(phase.len());
            for (score, address) in phase {
                let d: TantivyDocument = searcher
                    .doc(address)
                    .map_err(|e| index_error(&self.dir, e))?;
                these.push(self.hit_from(&d, score, &highlighter));
            }
            // Equal scores in a stable order; each phase below the one before.
            these.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
            hits.extend(these);
        }
        attach_codes(&mut hits, codings, codebook, req.coder.as_deref());
        Ok(hits)
    }

    fn hit_from(&self, d: &TantivyDocument, score: f32, highlighter: &Highlighter) -> Hit {
        let f = &self.fields;
        let text_of = |field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let num_of = |field| d.get_first(field).and_then(|v| v.as_u64());
        let text = text_of(f.text).unwrap_or_default();
        let ranges = highlighter.ranges(&text);
        let (snippet, highlights) = snippet::snippet(&text, &ranges, SNIPPET_CHARS);
        Hit {
            doc_type: text_of(f.doc_type).unwrap_or_default(),
            key: text_of(f.key).unwrap_or_default(),
            source: text_of(f.source)
                .or_else(|| text_of(f.code))
                .unwrap_or_default(),
            title: text_of(f.title).unwrap_or_default(),
            kind: text_of(f.kind).unwrap_or_default(),
            case: text_of(f.case),
            speaker: text_of(f.speaker),
            voice: text_of(f.voice),
            page: num_of(f.page),
            page_max: num_of(f.page_max),
            ordinal: num_of(f.ordinal),
            start: num_of(f.start).unwrap_or(0),
            end: num_of(f.end).unwrap_or(0),
            score,
            snippet,
            highlights,
            text,
            codes: Vec::new(),
        }
    }

    /// The tantivy query for a parsed node; None when it holds nothing searchable.
    fn build(
        &self,
        node: &Node,
        negated: bool,
        tails: bool,
        hl: &mut Highlighter,
    ) -> Result<Option<Box<dyn Query>>> {
        let f = &self.fields;
        Ok(match node {
            Node::Word(word) => {
                let exact = analyze(&mut analyzer::exact_analyzer(), word);
                let stems = analyze(&mut analyzer::stem_analyzer(), word);
                match (exact.as_slice(), stems.as_slice()) {
                    ([], _) | (_, []) => None,
                    ([e], [s]) => {
                        if !negated {
                            hl.stems.insert(s.clone());
                            if s.chars().count() >= MIN_TAIL_CHARS {
                                hl.tails.insert(s.clone());
                            }
                        }
                        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![
                            (Occur::Should, boosted(term_freq(f.text_exact, e), 3.0)),
                            (Occur::Should, boosted(term_freq(f.text, s), 1.0)),
                        ];
                        // Excluding a word excludes its compounds too, in both phases, so the
                        // first phase's hits are always hits of the whole query.
                        if (tails || negated) && s.chars().count() >= MIN_TAIL_CHARS {
                            // Compounds ending in the word: their reversed stems start with
                            // the reversed stem (a term-range scan, no automaton to build).
                            let reversed: String = s.chars().rev().collect();
                            let mut tail = PhrasePrefixQuery::new(vec![Term::from_field_text(
                                f.text_tail,
                                &reversed,
                            )]);
                            tail.set_max_expansions(MAX_TAIL_EXPANSIONS);
                            should.push((Occur::Should, boosted(Box::new(tail), 0.3)));
                        }
                        Some(Box::new(BooleanQuery::new(should)))
                    }
                    _ => self.phrase(&exact, &stems, negated, hl),
                }
            }
            Node::Phrase(text) => {
                let exact = analyze(&mut analyzer::exact_analyzer(), text);
                let stems = analyze(&mut analyzer::stem_analyzer(), text);
                match exact.as_slice() {
                    [] => None,
                    [e] => {
                        if !negated {
                            hl.stems.extend(stems.iter().cloned());
                        }
                        Some(term_freq(f.text_exact, e))
                    }
                    _ => self.phrase(&exact, &stems, negated, hl),
                }
            }
            Node::And(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut positive = false;
                for item in items {
                    let (occur, inner, neg) = match item {
                        Node::Not(inner) => (Occur::MustNot, inner.as_ref(), !negated),
                        other => (Occur::Must, other, negated),
                    };
                    if let Some(q) = self.build(inner, neg, tails, hl)? {
                        positive |= occur == Occur::Must;
                        clauses.push((occur, q));
                    }
                }
                positive.then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Node::Or(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for item in items {
                    if let Some(q) = self.build(item, negated, tails, hl)? {
                        clauses.push((Occur::Should, q));
                    }
                }
                (!clauses.is_empty())
                    .then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Node::Not(inner) => {
                // A lone NOT inside OR: match everything but it, among this doc type.
                let q = self.build(inner, !negated, tails, hl)?;
                q.map(|q| {
                    Box::new(BooleanQuery::new(vec![
                        (
                            Occur::Must,
                            Box::new(tantivy::query::AllQuery) as Box<dyn Query>,
                        ),
                        (Occur::MustNot, q),
                    ])) as Box<dyn Query>
                })
            }
        })
    }

    fn phrase(
        &self,
        exact: &[String],
        stems: &[String],
        negated: bool,
        hl: &mut Highlighter,
    ) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        if !negated {
            hl.stems.extend(stems.iter().cloned());
        }
        let exact_terms: Vec<Term> = exact
            .iter()
            .map(|t| Term::from_field_text(f.text_exact, t))
            .collect();
        let stem_terms: Vec<Term> = stems
            .iter()
            .map(|t| Term::from_field_text(f.text, t))
            .collect();
        if negated && stem_terms.len() > 1 {
            // Excluding needs no ranking, and the stemmed phrase matches wherever the exact
            // one does. (A union of phrase scorers under exclusion also trips a debug
            // assertion in tantivy 0.27 when one phrase matches nothing: quickwit-oss/tantivy
            // issue 2811, found by fuzzing the query path.)
            return Some(Box::new(PhraseQuery::new(stem_terms)));
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            boosted(Box::new(PhraseQuery::new(exact_terms)), 2.0),
        )];
        if stem_terms.len() > 1 {
            should.push((Occur::Should, Box::new(PhraseQuery::new(stem_terms))));
        }
        Some(Box::new(BooleanQuery::new(should)))
    }
}

/// Set each hit's `codes`: the codes of the codings that overlap its passage (all coders, or
/// `coder`'s), in the code book's (fishbone) order.
pub fn attach_codes(
    hits: &mut [Hit],
    codings: &CodingSet,
    codebook: &Codebook,
    coder: Option<&str>,
) {
    // One pass over the codings for all hits (a pass per hit costs more at scale).
    let mut of_source: HashMap<String, Vec<&crate::coding::Placed>> = hits
        .iter()
        .map(|h| (h.source.clone(), Vec::new()))
        .collect();
    // Codings come grouped by file (coder, source): look a source up once per run of it.
    let mut last: Option<(&str, bool)> = None;
    for c in &codings.codings {
        let wanted = match last {
            Some((source, wanted)) if source == c.source => wanted,
            _ => {
                let wanted = of_source.contains_key(c.source.as_str());
                last = Some((c.source.as_str(), wanted));
                wanted
            }
        };
        if wanted
            && coder.is_none_or(|k| c.coder == k)
            && let Some(list) = of_source.get_mut(c.source.as_str())
        {
            list.push(c);
        }
    }
    let position: HashMap<&str, usize> = codebook
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    for hit in hits.iter_mut() {
        let (start, end) = (hit.start as usize, hit.end as usize);
        let mut codes: Vec<String> = of_source
            .get(hit.source.as_str())
            .into_iter()
            .flatten()
            .filter(|c| !c.coding.orphaned && c.coding.start < end && start < c.coding.end)
            .map(|c| c.coding.code.clone())
            .collect();
        // Fishbone order (the code book's), not alphabetical.
        codes.sort_by_key(|c| position.get(c.as_str()).copied().unwrap_or(usize::MAX));
        codes.dedup();
        hit.codes = codes;
    }
}

/// The codings a request selects, as coded spans per source.
fn select_codings(
    req: &Request,
    codings: &CodingSet,
    codebook: &Codebook,
) -> BTreeMap<String, Vec<(usize, usize)>> {
    let mut out: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for placed in codings.codings.iter().filter(|c| !c.coding.orphaned) {
        if req.coder.as_deref().is_some_and(|c| c != placed.coder) {
            continue;
        }
        if req.code.as_deref().is_some_and(|c| c != placed.coding.code) {
            continue;
        }
        if req.level.is_some() || req.valence.is_some() {
            let Some(code) = codebook.code(&placed.coding.code) else {
                continue;
            };
            if req.level.is_some() && code.level != req.level {
                continue;
            }
            if req.valence.is_some() && code.valence != req.valence {
                continue;
            }
        }
        out.entry(placed.source.clone())
            .or_default()
            .push((placed.coding.start, placed.coding.end));
    }
    out
}

fn analyze(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<String> {
    analyzer::tokens(analyzer, text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn term_freq(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}
