//! A query for any of a word's compounds (`index::tails` lists them per segment), each
//! looked up in the term dictionary of the segments it occurs in, matched with a constant
//! score; the documents a segment's compounds match are kept for the searcher's life.
//!
//! tantivy's `TermSetQuery` gives the same matches, but builds an automaton over the terms
//! and walks the term dictionary with it, per segment: for the compounds of a common stem
//! (`-gemeente`) that walk was most of a search (`perf`: 12 % of a query run in the
//! automaton stream and 3 % in building it, against under 1 % for reading the postings).
//! Looked up one by one in every segment, they were still a third of that search; most
//! compounds occur in few segments, so each segment looks up its own.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, Score, SegmentReader, Term};

use super::tails::Compounds;

/// Any of a word's compounds in `field`.
#[derive(Debug, Clone)]
pub struct TermSet {
    field: Field,
    compounds: Arc<Compounds>,
    /// All of them, as terms (for tantivy's `query_terms`).
    terms: Arc<[Term]>,
}

impl TermSet {
    pub fn new(field: Field, compounds: Arc<Compounds>) -> TermSet {
        TermSet {
            field,
            terms: compounds
                .words()
                .iter()
                .map(|w| Term::from_field_text(field, w))
                .collect(),
            compounds,
        }
    }
}

impl Query for TermSet {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for term in self.terms.iter() {
            visitor(term, false);
        }
    }
}

impl Weight for TermSet {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let words = self.compounds.in_segment(reader.segment_id());
        let matched = self.compounds.sets().matched(reader, self.field, words)?;
        if matched.len() == 0 {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(ConstScorer::new(
            BitSetDocSet::from((*matched).clone()),
            boost,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::explain_by_seek(
            self,
            reader,
            doc,
            "holds one of the terms",
            "the document holds none of the terms",
        )
    }
}

/// The documents that each segment's compounds of a word match, kept for as long as the
/// searcher lives. Reading a common stem's compounds (`gemeente` ends hundreds of words) was
/// most of what an exclusion or a compound phase cost, and typing a query asks for the same
/// sets again and again (`begeleiding -gemeente st…`); Lucene's query cache keeps a filter's
/// documents per segment for the same reason. A segment never changes once written and the
/// key names the very terms looked up, so a kept set is never out of step.
#[derive(Debug, Default)]
pub struct MatchedSets {
    kept: Mutex<Kept>,
    /// How many sets were matched rather than found kept: for tests.
    matched: AtomicUsize,
}

#[derive(Debug, Default)]
struct Kept {
    sets: HashMap<(SegmentId, Field, u64), Arc<BitSet>>,
    bytes: usize,
}

impl MatchedSets {
    /// Past this many bytes of sets (a bit per document of each segment), the kept ones are
    /// dropped and matched again as asked for: segments merged away leave sets nobody asks
    /// for, and a searcher lives for the whole TUI session.
    const MAX_BYTES: usize = 32 << 20;

    /// How many segment sets were matched rather than found kept.
    pub fn count_matched(&self) -> usize {
        self.matched.load(Ordering::Relaxed)
    }

    /// The documents of `reader` that hold any of `words` in `field`.
    fn matched(
        &self,
        reader: &SegmentReader,
        field: Field,
        words: &[String],
    ) -> tantivy::Result<Arc<BitSet>> {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        words.hash(&mut hasher);
        let key = (reader.segment_id(), field, hasher.finish());
        if let Some(set) = self
            .kept
            .lock()
            .ok()
            .and_then(|k| k.sets.get(&key).cloned())
        {
            return Ok(set);
        }
        let mut set = BitSet::with_max_value(reader.max_doc().max(1));
        let index = reader.inverted_index(field)?;
        for word in words {
            let Some(info) = index.get_term_info(&Term::from_field_text(field, word))? else {
                continue;
            };
            let mut postings =
                index.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            loop {
                let docs = postings.docs();
                if docs.is_empty() {
                    break;
                }
                for &doc in docs {
                    set.insert(doc);
                }
                postings.advance();
            }
        }
        self.matched.fetch_add(1, Ordering::Relaxed);
        let set = Arc::new(set);
        if let Ok(mut kept) = self.kept.lock() {
            let bytes = (set.max_value() as usize).div_ceil(8);
            if kept.bytes + bytes > MatchedSets::MAX_BYTES {
                *kept = Kept::default();
            }
            kept.bytes += bytes;
            kept.sets.insert(key, set.clone());
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::TermSet;
    use crate::index::analyzer;
    use crate::index::tails::Tails;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::TermSetQuery;
    use tantivy::schema::Schema;
    use tantivy::{Index, Term, doc};

    #[test]
    fn matches_what_tantivys_term_set_matches_in_every_segment() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", crate::index::schema::text_options());
        let index = Index::create_in_ram(schema.build());
        analyzer::register(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let texts = [
            "de buurgemeente",
            "een gemeente",
            "de randgemeente en de buurgemeente",
            "de klas",
            "twee randgemeenten",
        ];
        for (i, t) in texts.iter().enumerate() {
            writer.add_document(doc!(text => *t)).unwrap();
            if i == 1 || i == 3 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let compounds =
            Tails::default().compounds(&searcher, text, &analyzer::stem("gemeente"), 100);
        assert!(!compounds.is_empty());
        let theirs = searcher
            .search(
                &TermSetQuery::new(
                    compounds
                        .words()
                        .iter()
                        .map(|w| Term::from_field_text(text, w)),
                ),
                &DocSetCollector,
            )
            .unwrap();
        let ours = searcher
            .search(&TermSet::new(text, compounds), &DocSetCollector)
            .unwrap();
        assert_eq!(ours.len(), 3, "{ours:?}");
        assert_eq!(ours, theirs);
    }
}
