//! An excluded part of a query (`-gemeente`), matched once per search and shared by its
//! phases. Excluding a word excludes every form of its stem and every compound it ends, so
//! its query is a set of many terms whose postings tantivy reads into a bitset; a search
//! runs up to three phases with the same exclusion, and without this each phase read them
//! all again (`perf`: a third of a `begeleiding -gemeente` search).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, Score, SegmentReader};

/// The documents each excluded part matched, per segment: one search's, dropped with it.
#[derive(Debug, Default)]
pub struct ExcludedSets {
    sets: Mutex<HashMap<(String, SegmentId), Arc<BitSet>>>,
    /// How many sets were matched (not found here): for tests.
    matched: std::sync::atomic::AtomicUsize,
}

impl ExcludedSets {
    /// How many segment sets were matched rather than taken from here.
    pub fn matched(&self) -> usize {
        self.matched.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// `inner`, matched once per segment and search under `key` (which names what `inner`
/// excludes: the same key must always mean the same query).
#[derive(Debug)]
pub struct Excluded {
    key: String,
    inner: Box<dyn Query>,
    sets: Arc<ExcludedSets>,
}

impl Clone for Excluded {
    fn clone(&self) -> Excluded {
        Excluded {
            key: self.key.clone(),
            inner: self.inner.box_clone(),
            sets: self.sets.clone(),
        }
    }
}

impl Excluded {
    pub fn new(key: String, inner: Box<dyn Query>, sets: Arc<ExcludedSets>) -> Excluded {
        Excluded { key, inner, sets }
    }
}

impl Query for Excluded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let Some(searcher) = scoring.searcher() else {
            // No segments to match ahead: the query as it is.
            return self.inner.weight(scoring);
        };
        let mut found = HashMap::new();
        let mut inner: Option<Box<dyn Weight>> = None;
        for reader in searcher.segment_readers() {
            let key = (self.key.clone(), reader.segment_id());
            let kept = self
                .sets
                .sets
                .lock()
                .ok()
                .and_then(|s| s.get(&key).cloned());
            let set = match kept {
                Some(set) => set,
                None => {
                    // Built only when a segment is not matched yet: building it is half the
                    // work for a set of many terms (an automaton over them).
                    let weight = match &mut inner {
                        Some(weight) => weight,
                        None => inner.insert(
                            self.inner
                                .weight(EnableScoring::disabled_from_searcher(searcher))?,
                        ),
                    };
                    let mut set = BitSet::with_max_value(reader.max_doc().max(1));
                    weight.for_each_no_score(reader, &mut |docs| {
                        for &doc in docs {
                            set.insert(doc);
                        }
                    })?;
                    self.sets
                        .matched
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let set = Arc::new(set);
                    if let Ok(mut sets) = self.sets.sets.lock() {
                        sets.insert(key, set.clone());
                    }
                    set
                }
            };
            found.insert(reader.segment_id(), set);
        }
        Ok(Box::new(ExcludedWeight { sets: found }))
    }
}

struct ExcludedWeight {
    sets: HashMap<SegmentId, Arc<BitSet>>,
}

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        match self.sets.get(&reader.segment_id()) {
            // An empty scorer is dropped from the exclusion altogether.
            Some(set) if set.len() > 0 => Ok(Box::new(ConstScorer::new(
                BitSetDocSet::from((**set).clone()),
                boost,
            ))),
            _ => Ok(Box::new(EmptyScorer)),
        }
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::explain_by_seek(
            self,
            reader,
            doc,
            "matches an excluded part",
            "the document matches no excluded part",
        )
    }
}
