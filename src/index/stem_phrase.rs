//! A phrase whose every position may be one of a few terms: a stemmed phrase over the one
//! text field, where a word's stem is either its marked stem token or, for a word that is its
//! own stem, the exact form itself (`analyzer::text_analyzer`). The same walk counts the
//! exact phrase (each position's exact form) and scores it on top, so "exact phrases first"
//! costs no second phrase query. tantivy's `PhraseQuery` takes
//! one term per position, its `RegexPhraseQuery` reads whole posting lists into bitsets (and
//! its phrase scorer is not public); this unions the (at most two) posting lists of a
//! position lazily and checks the positions itself.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// One word of the phrase: its exact form, and the terms that stand for its stem.
#[derive(Debug, Clone)]
pub struct Position {
    pub exact: Term,
    pub stems: Vec<Term>,
}

impl Position {
    /// The terms of the stem's forms, each once.
    fn stem_terms(&self) -> Vec<&Term> {
        let mut terms: Vec<&Term> = Vec::with_capacity(self.stems.len());
        for term in &self.stems {
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        terms
    }

    /// Every term of the position, the exact form first, each once.
    fn terms(&self) -> Vec<&Term> {
        let mut terms = vec![&self.exact];
        terms.extend(self.stems.iter().filter(|t| **t != self.exact));
        terms
    }
}

/// Words in order; each position matches any of its terms; an occurrence of the exact forms
/// all in order adds `exact_boost` times its own BM25 score.
#[derive(Debug, Clone)]
pub struct StemPhraseQuery {
    positions: Vec<Position>,
    exact_boost: f32,
}

impl StemPhraseQuery {
    /// `positions`: at least two, all of one field.
    pub fn new(positions: Vec<Position>, exact_boost: f32) -> StemPhraseQuery {
        debug_assert!(positions.len() >= 2);
        StemPhraseQuery {
            positions,
            exact_boost,
        }
    }
}

impl Query for StemPhraseQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let similarity = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                // The idf of a position is that of its commonest term (a term missing from
                // the index would count as the rarest of all).
                let mut commonest = Vec::with_capacity(self.positions.len());
                for position in &self.positions {
                    let mut best: Option<(&Term, u64)> = None;
                    for term in position.terms() {
                        let freq = statistics_provider.doc_freq(term)?;
                        if best.is_none_or(|(_, f)| freq > f) {
                            best = Some((term, freq));
                        }
                    }
                    commonest.push(best.expect("a position has its exact form").0.clone());
                }
                let exact: Vec<Term> = self.positions.iter().map(|p| p.exact.clone()).collect();
                Some((
                    Bm25Weight::for_terms(statistics_provider, &commonest)?,
                    Bm25Weight::for_terms(statistics_provider, &exact)?.boost_by(self.exact_boost),
                ))
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(StemPhraseWeight {
            positions: self.positions.clone(),
            similarity,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for position in &self.positions {
            for term in position.terms() {
                visitor(term, true);
            }
        }
    }
}

struct StemPhraseWeight {
    positions: Vec<Position>,
    /// The stemmed phrase's and the exact phrase's (boosted) BM25 weights.
    similarity: Option<(Bm25Weight, Bm25Weight)>,
}

impl StemPhraseWeight {
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PhraseScorer>> {
        let field = self.positions[0].exact.field();
        let inverted = reader.inverted_index(field)?;
        let mut lists = Vec::with_capacity(self.positions.len());
        for position in &self.positions {
            // The stem's forms find the phrase: every occurrence of the exact form carries
            // its marked stem, or is the stem itself. The exact form's own list is read
            // only for the documents that hold the phrase, to score the exact phrase: in
            // the walk it only doubled the lists to seek and the positions to merge.
            let mut postings = Vec::with_capacity(2);
            for term in position.stem_terms() {
                if let Some(p) =
                    inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
                {
                    postings.push((p, *term == position.exact));
                }
            }
            if postings.is_empty() {
                return Ok(None);
            }
            let exact_alone = if position.stems.contains(&position.exact) {
                None
            } else {
                inverted.read_postings(&position.exact, IndexRecordOption::WithFreqsAndPositions)?
            };
            lists.push(AnyOf::new(postings, exact_alone));
        }
        let fieldnorms = match &self.similarity {
            Some(_) => reader.fieldnorms_readers().get_field(field)?,
            None => None,
        }
        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        let similarity = self
            .similarity
            .as_ref()
            .map(|(stem, exact)| (stem.boost_by(boost), exact.boost_by(boost)));
        Ok(Some(PhraseScorer::new(lists, similarity, fieldnorms)))
    }
}

impl Weight for StemPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match the phrase"
            )));
        }
        Ok(Explanation::new("stemmed phrase", scorer.score()))
    }
}

/// The union of a few posting lists, as one posting list: the positions of all of them in
/// the current document. One of them may be the position's exact form; else the exact
/// form's list stands beside them, read only when asked for its positions.
pub struct AnyOf {
    lists: Vec<(SegmentPostings, bool)>,
    exact_alone: Option<SegmentPostings>,
    doc: DocId,
}

impl AnyOf {
    fn new(mut lists: Vec<(SegmentPostings, bool)>, exact_alone: Option<SegmentPostings>) -> AnyOf {
        lists.retain(|(p, _)| p.doc() != TERMINATED);
        let doc = lists
            .iter()
            .map(|(p, _)| p.doc())
            .min()
            .unwrap_or(TERMINATED);
        AnyOf {
            lists,
            exact_alone,
            doc,
        }
    }

    /// The positions of the exact form in the current document (none when it is not there).
    fn exact_positions(&mut self, output: &mut Vec<u32>) {
        output.clear();
        let doc = self.doc;
        if let Some((list, _)) = self
            .lists
            .iter_mut()
            .find(|(l, exact)| *exact && l.doc() == doc)
        {
            list.append_positions_with_offset(0, output);
        } else if let Some(list) = &mut self.exact_alone {
            // Documents are asked for in order.
            if list.doc() < doc {
                list.seek(doc);
            }
            if list.doc() == doc {
                list.append_positions_with_offset(0, output);
            }
        }
    }
}

impl DocSet for AnyOf {
    fn advance(&mut self) -> DocId {
        let mut next = TERMINATED;
        for (list, _) in &mut self.lists {
            if list.doc() <= self.doc {
                list.advance();
            }
            next = next.min(list.doc());
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let mut next = TERMINATED;
        for (list, _) in &mut self.lists {
            if list.doc() < target {
                list.seek(target);
            }
            next = next.min(list.doc());
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.lists.iter().map(|(p, _)| p.size_hint()).sum()
    }
}

impl Postings for AnyOf {
    fn term_freq(&self) -> u32 {
        self.lists
            .iter()
            .filter(|(l, _)| l.doc() == self.doc)
            .map(|(l, _)| l.term_freq())
            .sum()
    }

    fn append_positions_with_offset(&mut self, offset: u32, output: &mut Vec<u32>) {
        let from = output.len();
        let doc = self.doc;
        let mut lists_here = 0;
        for (list, _) in self.lists.iter_mut().filter(|(l, _)| l.doc() == doc) {
            list.append_positions_with_offset(offset, output);
            lists_here += 1;
        }
        if lists_here > 1 {
            // The lists interleave; a word whose stem differs from it by accents alone has
            // both tokens at one position. In place: this runs for every candidate document.
            output[from..].sort_unstable();
            if from == 0 {
                output.dedup();
            } else {
                let mut appended = output.split_off(from);
                appended.dedup();
                output.append(&mut appended);
            }
        }
    }
}

/// Documents where the lists' terms stand at consecutive positions, scored by BM25 over the
/// number of times the phrase occurs.
pub struct PhraseScorer {
    lists: Vec<AnyOf>,
    /// The lists by their number of documents, fewest first: the first drives the walk,
    /// and a candidate is checked against the rarer lists first, which skip furthest.
    by_size: Vec<usize>,
    /// The list with the fewest documents.
    driver: usize,
    doc: DocId,
    freq: u32,
    similarity: Option<(Bm25Weight, Bm25Weight)>,
    fieldnorms: FieldNormReader,
    starts: Vec<u32>,
    positions: Vec<u32>,
}

impl PhraseScorer {
    fn new(
        lists: Vec<AnyOf>,
        similarity: Option<(Bm25Weight, Bm25Weight)>,
        fieldnorms: FieldNormReader,
    ) -> PhraseScorer {
        let mut by_size: Vec<usize> = (0..lists.len()).collect();
        by_size.sort_by_key(|&i| lists[i].size_hint());
        let driver = by_size.first().copied().unwrap_or(0);
        let mut scorer = PhraseScorer {
            by_size,
            driver,
            lists,
            doc: 0,
            freq: 0,
            similarity,
            fieldnorms,
            starts: Vec::new(),
            positions: Vec::new(),
        };
        scorer.settle();
        scorer
    }

    /// From the driving list's document on, the first document that holds the phrase. The
    /// rarest position drives: "de werkdruk" walks the documents of werkdruk, not of de.
    fn settle(&mut self) -> DocId {
        let driver = self.driver;
        let mut candidate = self.lists[driver].doc();
        'next: while candidate != TERMINATED {
            for &i in &self.by_size {
                let list = &mut self.lists[i];
                let doc = if list.doc() < candidate {
                    list.seek(candidate)
                } else {
                    list.doc()
                };
                if doc > candidate {
                    candidate = doc;
                    continue 'next;
                }
            }
            self.freq = self.phrase_freq(false);
            if self.freq > 0 {
                self.doc = candidate;
                return candidate;
            }
            candidate = self.lists[driver].advance();
        }
        self.doc = TERMINATED;
        TERMINATED
    }

    /// How often the phrase occurs in the document all lists stand on (with `exact`: the
    /// exact forms only). The rarest word's positions first: a common word ("de", "met")
    /// has many, and they are only looked through where a phrase may start.
    fn phrase_freq(&mut self, exact: bool) -> u32 {
        let read = |list: &mut AnyOf, out: &mut Vec<u32>| {
            if exact {
                list.exact_positions(out);
            } else {
                list.positions_with_offset(0, out);
            }
        };
        let first = self.by_size[0];
        read(&mut self.lists[first], &mut self.positions);
        // Where the phrase would start, for each place of its rarest word.
        let shift = first as u32;
        self.starts.clear();
        self.starts.extend(
            self.positions
                .iter()
                .filter(|&&p| p >= shift)
                .map(|&p| p - shift),
        );
        for &i in &self.by_size[1..] {
            if self.starts.is_empty() {
                return 0;
            }
            read(&mut self.lists[i], &mut self.positions);
            // Keep the phrase starts whose word `i` places on is in this list too.
            let shift = i as u32;
            let mut at = 0;
            self.starts.retain(|&start| {
                let wanted = start + shift;
                while at < self.positions.len() && self.positions[at] < wanted {
                    at += 1;
                }
                at < self.positions.len() && self.positions[at] == wanted
            });
        }
        self.starts.len() as u32
    }
}

impl DocSet for PhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.lists[self.driver].advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.lists[self.driver].seek(target);
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.lists.iter().map(DocSet::size_hint).min().unwrap_or(0)
    }
}

impl Scorer for PhraseScorer {
    fn score(&mut self) -> Score {
        if self.similarity.is_none() {
            return 1.0;
        }
        let exact_freq = self.phrase_freq(true);
        let norm = self.fieldnorms.fieldnorm_id(self.doc);
        let Some((stem, exact)) = &self.similarity else {
            return 1.0;
        };
        let bonus = if exact_freq > 0 {
            exact.score(norm, exact_freq)
        } else {
            0.0
        };
        stem.score(norm, self.freq) + bonus
    }
}
