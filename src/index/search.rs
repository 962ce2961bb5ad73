//! Searching: a user query plus filters → ranked hits with snippets. Code, factor, valence
//! and coder filters come from the in-memory codings (never from the index): they become
//! the set of passages whose span overlaps a matching coding.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};
use unicode_normalization::UnicodeNormalization;

use super::compile::{self, Compiler, term};
use super::query;
use super::schema::{self, Fields};
use super::snippet::{self, Highlighter};
use super::span_filter::{PreparedSpans, SpanFilter};
use super::{analyzer, index_error};
use crate::coding::by_source::IndexedCodings;
use crate::coding::{CodingSet, Placed};
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
    tails: super::tails::Tails,
    selected: Mutex<SelectedSpans>,
}

pub const SNIPPET_CHARS: usize = 220;

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
            tails: super::tails::Tails::beside(dir),
            selected: Mutex::default(),
        })
    }

    /// Keep the passages each coding filter selects beside the index too, for the next
    /// process (`visgraat search`, which lives for one search); a long-lived searcher keeps
    /// them in memory only, so a new coding costs it no file written.
    pub fn keep_filter_sets_on_disk(&mut self) {
        self.span_cache = std::sync::Arc::new(super::span_filter::Cache::beside(
            self.dir.join("visgraat-filters"),
        ));
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
        let selected = req
            .filters_codings()
            .then(|| Selection::of(req, codebook).spans(codings));
        let mut hits = self.search_passages(req, selected)?;
        attach_codes(&mut hits, codings, codebook, req.coder.as_deref());
        Ok(hits)
    }

    /// The hits of a search whose coding filters select `selected` (the spans of the
    /// codings they select), without their codes: a process that reads only the coded
    /// spans it needs (`visgraat search`) attaches them.
    pub fn search_spans(&self, req: &Request, selected: PreparedSpans) -> Result<Vec<Hit>> {
        self.search_passages(req, req.filters_codings().then_some(selected))
    }

    /// [`Searcher::search`] over a snapshot whose codings are grouped by source: the hits'
    /// codes are looked up instead of found by a pass over every coding (the TUI's worker,
    /// which answers many searches from one snapshot).
    pub fn search_indexed(
        &self,
        req: &Request,
        codings: &IndexedCodings,
        codebook: &Codebook,
    ) -> Result<Vec<Hit>> {
        let selected = req.filters_codings().then(|| {
            let selection = Selection::of(req, codebook);
            match self.selected.lock() {
                Ok(mut memo) => memo.get(codings.set(), &selection),
                Err(_) => selection.spans(codings.set()),
            }
        });
        let mut hits = self.search_passages(req, selected)?;
        attach_grouped(
            &mut hits,
            |source| codings.of_source(source).collect(),
            codebook,
            req.coder.as_deref(),
        );
        Ok(hits)
    }

    /// The hits of a search, without their codes; `selected`: the spans of the codings its
    /// coding filters select.
    fn search_passages(&self, req: &Request, selected: Option<PreparedSpans>) -> Result<Vec<Hit>> {
        let node = query::parse(&req.query.nfc().collect::<String>())?;
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
        // Passages have text fields of their own: no other document type can match them.
        let text = if doc_type == schema::SEGMENT {
            f.passage
        } else {
            f.note
        };
        let searcher = self.reader.searcher();
        // Kept by the searcher's tails, however many phases and searches ask.
        let compounds = |stem: &str| {
            self.tails
                .compounds(&searcher, text.text, stem, compile::MAX_TAIL_EXPANSIONS)
        };
        let mut highlighter = Highlighter::default();
        let nothing = || Error::Query(super::query::Problem::NoLetters);
        // Phases, each ranked below the one before and run only while the ones before leave
        // room: the words' exact forms alone (one term per word: tantivy prunes a word to its
        // top hits like the bare term), then the words with all forms of their stems, then
        // with the compounds the words end (welzijn → docentenwelzijn).
        let occurs = |term: &Term| searcher.doc_freq(term).map_or(true, |n| n > 0);
        let excluded = std::sync::Arc::default();
        let compile = |tails: bool, exact_only: bool, highlighter: &mut Highlighter| {
            let mut compiler = Compiler {
                text,
                all_of_type: Term::from_field_text(f.doc_type, doc_type),
                tails,
                compounds: &compounds,
                occurs: &occurs,
                widened: compile::Widened::default(),
                exact_only,
                highlighter,
                excluded: &excluded,
            };
            let query = compiler.compile(&node, false).ok_or_else(nothing)?;
            Ok::<_, Error>((query, compiler.widened))
        };
        let exact_first = if compile::has_plain_word(&node) {
            Some(compile(false, true, &mut Highlighter::default())?.0)
        } else {
            None
        };
        let exact_first_absent = exact_first.is_none();
        // The words' stems and the compounds to highlight are the same in every phase.
        let (direct, direct_widened) = compile(false, false, &mut highlighter)?;
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if doc_type != schema::SEGMENT {
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
        if let Some(selected) = selected {
            if selected.is_empty() {
                return Ok(Vec::new());
            }
            filters.push((
                Occur::Must,
                Box::new(SpanFilter::new(
                    &selected,
                    f.source,
                    self.span_cache.clone(),
                )),
            ));
        }
        let limit = req.limit.max(1);
        let run = |user: Box<dyn Query>| -> Result<Vec<(f32, tantivy::DocAddress)>> {
            let collector = TopDocs::with_limit(limit).order_by_score();
            let found = if filters.is_empty() {
                // The user's query itself at the top: a union of terms is then pruned by
                // block-max WAND; under a Must it would score every match.
                searcher.search(&user, &collector)
            } else {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user)];
                clauses.extend(filters.iter().map(|(o, q)| (*o, q.box_clone())));
                searcher.search(&BooleanQuery::new(clauses), &collector)
            };
            found.map_err(|e| index_error(&self.dir, e))
        };
        type Found = Vec<(f32, tantivy::DocAddress)>;
        let mut phases: Vec<Found> = Vec::new();
        let mut seen: std::collections::HashSet<tantivy::DocAddress> = Default::default();
        // One phase: its hits not found before, while there is room.
        let take = |query: Box<dyn Query>,
                    phases: &mut Vec<Found>,
                    seen: &mut std::collections::HashSet<tantivy::DocAddress>|
         -> Result<()> {
            if seen.len() >= limit {
                return Ok(());
            }
            let more: Found = run(query)?
                .into_iter()
                .filter(|(_, a)| !seen.contains(a))
                .take(limit - seen.len())
                .collect();
            seen.extend(more.iter().map(|(_, a)| *a));
            phases.push(more);
            Ok(())
        };
        // A phase that takes in nothing beyond the one before would find it again: with no
        // other form of a word's stem in the index, the words' exact forms were all there
        // is; with no compound of them, the last phase is the one before.
        if let Some(query) = exact_first {
            take(query, &mut phases, &mut seen)?;
        }
        if exact_first_absent || direct_widened.forms {
            take(direct, &mut phases, &mut seen)?;
        }
        if seen.len() < limit && !highlighter.tails.is_empty() {
            // Compiled only when reached: a stem that ends many words has many compounds to
            // look up, more work than the phases before.
            let (with_compounds, widened) = compile(true, false, &mut Highlighter::default())?;
            if widened.compounds {
                take(with_compounds, &mut phases, &mut seen)?;
            }
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
        let text = text_of(f.passage.text)
            .or_else(|| text_of(f.note.text))
            .unwrap_or_default();
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
    let mut of_source: HashMap<String, Vec<&Placed>> = hits
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
        if wanted && let Some(list) = of_source.get_mut(c.source.as_str()) {
            list.push(c);
        }
    }
    attach_grouped(
        hits,
        |source| of_source.get(source).cloned().unwrap_or_default(),
        codebook,
        coder,
    );
}

/// Set each hit's codes from the codings of its source, as `of_source` gives them.
fn attach_grouped<'a>(
    hits: &mut [Hit],
    of_source: impl Fn(&str) -> Vec<&'a Placed>,
    codebook: &Codebook,
    coder: Option<&str>,
) {
    let position: HashMap<&str, usize> = codebook
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    for hit in hits.iter_mut() {
        let (start, end) = (hit.start as usize, hit.end as usize);
        let mut codes: Vec<String> = of_source(hit.source.as_str())
            .into_iter()
            .filter(|c| coder.is_none_or(|k| c.coder == k))
            .filter(|c| !c.coding.orphaned && c.coding.start < end && start < c.coding.end)
            .map(|c| c.coding.code.clone())
            .collect();
        // Fishbone order (the code book's), not alphabetical.
        codes.sort_by_key(|c| position.get(c.as_str()).copied().unwrap_or(usize::MAX));
        codes.dedup();
        hit.codes = codes;
    }
}

/// What decides which codings a request's coding filters select: the coder, the code and,
/// for a factor or valence, the code book's codes that have it — so the book is read once
/// per request, not once per coding. Equal selections select the same codings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selection {
    coder: Option<String>,
    code: Option<String>,
    /// The ids of the codes with the asked factor and valence; None when neither is asked.
    of_factor: Option<BTreeSet<String>>,
}

impl Selection {
    pub fn of(req: &Request, codebook: &Codebook) -> Selection {
        let of_factor = (req.level.is_some() || req.valence.is_some()).then(|| {
            codebook
                .codes
                .iter()
                .filter(|code| {
                    (req.level.is_none() || code.level == req.level)
                        && (req.valence.is_none() || code.valence == req.valence)
                })
                .map(|code| code.id.clone())
                .collect()
        });
        Selection {
            coder: req.coder.clone(),
            code: req.code.clone(),
            of_factor,
        }
    }

    /// True when a coding by `coder` with `code` is one of those selected.
    pub fn selects(&self, coder: &str, code: &str) -> bool {
        self.coder.as_deref().is_none_or(|c| c == coder)
            && self.code.as_deref().is_none_or(|c| c == code)
            && self.of_factor.as_ref().is_none_or(|ids| ids.contains(code))
    }

    /// The coded spans per source of the codings selected.
    fn spans(&self, codings: &CodingSet) -> PreparedSpans {
        let mut out: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for placed in codings.codings.iter().filter(|c| !c.coding.orphaned) {
            if self.selects(&placed.coder, &placed.coding.code) {
                out.entry(placed.source.clone())
                    .or_default()
                    .push((placed.coding.start, placed.coding.end));
            }
        }
        PreparedSpans::new(out)
    }
}

/// The spans of the selections asked of one codings snapshot: a filter typed again and again
/// (the TUI's search line) is selected once. Holds the snapshot, so it is never taken for a
/// newer one at the same address.
#[derive(Default)]
struct SelectedSpans {
    of: Option<Arc<CodingSet>>,
    spans: HashMap<Selection, PreparedSpans>,
}

impl SelectedSpans {
    /// Enough for the filters of a session; past it, start again.
    const MAX: usize = 64;

    fn get(&mut self, snapshot: &Arc<CodingSet>, selection: &Selection) -> PreparedSpans {
        if !self.of.as_ref().is_some_and(|of| Arc::ptr_eq(of, snapshot))
            || self.spans.len() >= Self::MAX
        {
            self.of = Some(snapshot.clone());
            self.spans.clear();
        }
        self.spans
            .entry(selection.clone())
            .or_insert_with(|| selection.spans(snapshot))
            .clone()
    }
}
