//! A query that matches the documents (passages or quotes) overlapping given coded spans,
//! so that filters by code, factor, valence or coder apply the codings, which never enter the
//! index. Per index segment it walks the sources' terms beside the selected ones and reads
//! the postings of each selected source and the `start` / `end` fast fields of those
//! documents: work in proportion to the selected sources' documents, never a pass over the
//! stored documents.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TERMINATED};

/// Coded spans per source id, sorted by start.
pub type Spans = BTreeMap<String, Vec<(usize, usize)>>;

/// Matched documents per index segment and set of spans: typing a query with the same
/// filter (the TUI's search line) asks for the same set again and again. Keyed by a hash of
/// the spans, so a new coding is a new key.
#[derive(Debug, Default)]
pub struct Cache {
    sets: Mutex<HashMap<(u64, tantivy::index::SegmentId), Arc<BitSet>>>,
}

impl Cache {
    /// Enough for a few filters over a few hundred segments.
    const MAX_SETS: usize = 1024;
}

#[derive(Debug, Clone)]
pub struct SpanFilter {
    spans: Arc<Spans>,
    key: u64,
    source: Field,
    cache: Arc<Cache>,
}

impl SpanFilter {
    pub fn new(mut spans: Spans, source: Field, cache: Arc<Cache>) -> SpanFilter {
        for list in spans.values_mut() {
            list.sort_unstable();
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        spans.hash(&mut hasher);
        SpanFilter {
            spans: Arc::new(spans),
            key: hasher.finish(),
            source,
            cache,
        }
    }

    fn matched(&self, reader: &SegmentReader) -> tantivy::Result<BitSet> {
        let inverted = reader.inverted_index(self.source)?;
        let fast = reader.fast_fields();
        let starts = fast.u64("start")?;
        let ends = fast.u64("end")?;
        let mut matched = BitSet::with_max_value(reader.max_doc().max(1));
        // One walk along the segment's sources beside the selected ones (both in byte order)
        // instead of a dictionary lookup per selected source: a filter by factor selects
        // most sources of a large corpus.
        let mut selected = self.spans.iter().peekable();
        let mut terms = inverted.terms().stream()?;
        while let Some((key, info)) = terms.next() {
            while selected
                .peek()
                .is_some_and(|(source, _)| source.as_bytes() < key)
            {
                selected.next();
            }
            let Some((source, spans)) = selected.peek() else {
                break;
            };
            if source.as_bytes() != key {
                continue;
            }
            let mut postings =
                inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if let (Some(s), Some(e)) = (starts.first(doc), ends.first(doc))
                    && overlaps(spans, s as usize, e as usize)
                {
                    matched.insert(doc);
                }
                doc = postings.advance();
            }
        }
        Ok(matched)
    }
}

impl Query for SpanFilter {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

/// True when `start..end` overlaps one of the sorted `spans`.
fn overlaps(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    // Spans starting before `end`; one of them must end after `start`. Spans are few per
    // source, so a scan back from the partition point is short.
    let before_end = spans.partition_point(|&(s, _)| s < end);
    spans[..before_end].iter().rev().any(|&(_, e)| e > start)
}

impl Weight for SpanFilter {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let key = (self.key, reader.segment_id());
        let cached = self
            .cache
            .sets
            .lock()
            .ok()
            .and_then(|sets| sets.get(&key).cloned());
        let matched = match cached {
            Some(set) => set,
            None => {
                let set = Arc::new(self.matched(reader)?);
                if let Ok(mut sets) = self.cache.sets.lock() {
                    if sets.len() >= Cache::MAX_SETS {
                        sets.clear();
                    }
                    sets.insert(key, set.clone());
                }
                set
            }
        };
        Ok(Box::new(ConstScorer::new(
            BitSetDocSet::from((*matched).clone()),
            boost,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("overlaps a selected coding", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(
                "the document overlaps no selected coding".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::overlaps;

    #[test]
    fn overlap_is_end_exclusive() {
        let spans = [(10, 20), (30, 40)];
        assert!(overlaps(&spans, 15, 16));
        assert!(overlaps(&spans, 0, 11));
        assert!(!overlaps(&spans, 0, 10));
        assert!(!overlaps(&spans, 20, 30));
        assert!(overlaps(&spans, 39, 50));
        assert!(!overlaps(&spans, 40, 50));
        assert!(overlaps(&spans, 0, 100));
    }
}
