//! A query that matches the documents (passages or quotes) overlapping given coded spans,
//! so that filters by code, factor, valence or coder apply the codings, which never enter the
//! index. Per index segment it walks the sources' terms beside the selected ones and reads
//! the postings of each selected source and the `start` / `end` fast fields of those
//! documents: work in proportion to the selected sources' documents, never a pass over the
//! stored documents.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
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
///
/// With a folder (`Cache::beside`), the sets are also kept on disk, so that a process that
/// lives for one search (`visgraat search --factor team`) finds them too. A set depends only
/// on the spans and the segment, which never changes once written, so a kept set can never
/// be out of step; a new coding is a new key, and a kept set that fails its checksum is
/// computed again.
#[derive(Debug, Default)]
pub struct Cache {
    sets: Mutex<HashMap<(u64, tantivy::index::SegmentId), Arc<BitSet>>>,
    disk: Option<PathBuf>,
}

impl Cache {
    /// Enough for a few filters over a few hundred segments.
    const MAX_SETS: usize = 1024;
    /// Files kept on disk before the older half is removed.
    const MAX_FILES: usize = 512;

    /// A cache that also keeps its sets in `dir` (created on first use).
    pub fn beside(dir: PathBuf) -> Cache {
        Cache {
            sets: Mutex::default(),
            disk: Some(dir),
        }
    }

    fn file(&self, key: (u64, tantivy::index::SegmentId)) -> Option<PathBuf> {
        let dir = self.disk.as_ref()?;
        Some(dir.join(format!("{:016x}-{}", key.0, key.1.uuid_string())))
    }

    /// The set kept on disk for `key`, if whole.
    fn read(&self, key: (u64, tantivy::index::SegmentId)) -> Option<BitSet> {
        let bytes = std::fs::read(self.file(key)?).ok()?;
        let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        if checksum(body).to_le_bytes() != sum {
            return None;
        }
        let (max, bits) = body.split_at_checked(4)?;
        let max = u32::from_le_bytes(max.try_into().ok()?);
        if bits.len() != max.div_ceil(8) as usize {
            return None;
        }
        let mut set = BitSet::with_max_value(max.max(1));
        for (i, &byte) in bits.iter().enumerate().filter(|(_, b)| **b != 0) {
            for bit in 0..8 {
                if byte & (1 << bit) != 0 {
                    set.insert(u32::try_from(i * 8 + bit).ok()?);
                }
            }
        }
        Some(set)
    }

    /// Keep `set` on disk for `key`: a temp file renamed into place (a cache: a lost or
    /// torn file is computed again, so no fsync).
    fn write(&self, key: (u64, tantivy::index::SegmentId), set: &BitSet) {
        let (Some(dir), Some(path)) = (self.disk.as_ref(), self.file(key)) else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        // The largest doc id the set may hold, then a bit per doc.
        let max = set.max_value();
        let mut body = max.to_le_bytes().to_vec();
        let mut bits = vec![0u8; max.div_ceil(8) as usize];
        for doc in (0..max).filter(|&doc| set.contains(doc)) {
            bits[doc as usize / 8] |= 1 << (doc % 8);
        }
        body.extend_from_slice(&bits);
        let sum = checksum(&body);
        body.extend_from_slice(&sum.to_le_bytes());
        let temp = dir.join(format!(".{}.{}.tmp", key.0, std::process::id()));
        if std::fs::write(&temp, &body).is_ok() && std::fs::rename(&temp, &path).is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        prune(dir, Cache::MAX_FILES);
    }
}

/// A checksum of a kept set (FNV-1a: the same in every build, unlike the std hasher).
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Remove the older half of the files in `dir` when it holds more than `max`.
fn prune(dir: &std::path::Path, max: usize) {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = listing
        .flatten()
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() <= max {
        return;
    }
    files.sort();
    for (_, path) in files.iter().take(files.len() / 2) {
        let _ = std::fs::remove_file(path);
    }
}

/// Coded spans sorted, with the key their matched sets are kept under: made once per
/// selection, however many searches ask for it.
#[derive(Debug, Clone)]
pub struct PreparedSpans {
    spans: Arc<Spans>,
    key: u64,
}

impl PreparedSpans {
    pub fn new(mut spans: Spans) -> PreparedSpans {
        for list in spans.values_mut() {
            list.sort_unstable();
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        spans.hash(&mut hasher);
        PreparedSpans {
            spans: Arc::new(spans),
            key: hasher.finish(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct SpanFilter {
    spans: Arc<Spans>,
    key: u64,
    source: Field,
    cache: Arc<Cache>,
}

impl SpanFilter {
    pub fn new(spans: &PreparedSpans, source: Field, cache: Arc<Cache>) -> SpanFilter {
        SpanFilter {
            spans: spans.spans.clone(),
            key: spans.key,
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
                let set = match self.cache.read(key) {
                    Some(kept) => Arc::new(kept),
                    None => {
                        let set = self.matched(reader)?;
                        self.cache.write(key, &set);
                        Arc::new(set)
                    }
                };
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
        super::explain_by_seek(
            self,
            reader,
            doc,
            "overlaps a selected coding",
            "the document overlaps no selected coding",
        )
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
