//! The writer a refresh opens (its threads, budget and merge policy follow how much text it
//! has to index) and the documents it adds for a source.

use std::path::Path;

use tantivy::indexer::LogMergePolicy;
use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

use super::build::WRITER_WAIT;
use super::index_error;
use super::schema::{self, Fields};
use crate::corpus::Corpus;
use crate::corpus::source::{Segment, Source};
use crate::error::{Error, Result};

const WRITER_BUDGET: usize = 64 * 1024 * 1024;
/// The budget of a writer for less than `SMALL_FROM_BYTES` of text (tantivy's least is 15 MB).
const SMALL_WRITER_BUDGET: usize = 16 * 1024 * 1024;
const SMALL_FROM_BYTES: usize = 1024 * 1024;
/// Below this much text to index, one thread (deterministic ranking of ties, and one
/// segment for a refresh of a few sources, not one per thread).
const PARALLEL_FROM_BYTES: usize = 32 * 1024 * 1024;
/// Segments below this many documents count as this size when tantivy's log merge policy
/// groups segments of like size. Its default, 10 000, put the small segments that
/// refreshes leave (a source is a few hundred documents) in one group with a merged segment
/// of 15 000, so every eighth refresh re-wrote that segment too: 350–450 ms against 60–90.
const MERGE_MIN_LAYER_DOCS: u32 = 1_000;

/// The writer, opened on first use so that a refresh with nothing to do never takes the lock.
pub(super) fn ensure_writer<'w>(
    writer: &'w mut Option<IndexWriter>,
    index: &Index,
    dir: &Path,
    bytes_to_index: usize,
) -> Result<&'w mut IndexWriter> {
    if writer.is_none() {
        // One indexing thread puts documents into segments in corpus order, so equal scores
        // rank the same way on every build; large corpora use every core.
        let threads = if bytes_to_index < PARALLEL_FROM_BYTES {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(2, usize::from)
                .min(4)
        };
        // Tantivy sizes a segment's term table by the budget, and reads all of it when the
        // segment is written: a refresh of a few sources needs no more than the least.
        let budget = if bytes_to_index < SMALL_FROM_BYTES {
            SMALL_WRITER_BUDGET
        } else {
            WRITER_BUDGET
        };
        // One writer per index: a second process waits for the first (up to a while)
        // instead of failing on tantivy's lock.
        let waited = std::time::Instant::now();
        let w = loop {
            match index.writer_with_num_threads(threads, budget * threads) {
                Ok(w) => break w,
                Err(tantivy::TantivyError::LockFailure(..)) if waited.elapsed() < WRITER_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(tantivy::TantivyError::LockFailure(..)) => {
                    return Err(Error::Index {
                        path: dir.to_path_buf(),
                        message: "another visgraat process has been writing the index for a long time; try again when it is done".into(),
                    })
                }
                Err(e) => return Err(index_error(dir, e)),
            }
        };
        let mut merges = LogMergePolicy::default();
        merges.set_min_layer_size(MERGE_MIN_LAYER_DOCS);
        w.set_merge_policy(Box::new(merges));
        *writer = Some(w);
    }
    Ok(writer.as_mut().expect("writer was just opened"))
}

/// Index one source, its passages and its quotes (`replace`: its old documents deleted
/// first). Document by document, not as one batch per source: tantivy bounds its queue in
/// batches, not documents, so a rebuild then made every document before the writer's
/// threads took them (682 MB at its peak against 320 MB, and slower).
pub(super) fn add_source(
    w: &IndexWriter,
    f: &Fields,
    corpus: &Corpus,
    src: &Source,
    replace: bool,
) -> tantivy::Result<()> {
    if replace {
        w.delete_term(Term::from_field_text(f.source, &src.meta.id));
    }
    let segments = src.segments();
    for seg in &segments {
        let mut d = doc!(
            f.doc_type => schema::SEGMENT,
            f.key => format!("{}#{}", src.meta.id, seg.ordinal),
            f.source => src.meta.id.as_str(),
            f.title => src.meta.title.as_str(),
            f.kind => src.meta.kind.as_str(),
            f.ordinal => u64::from(seg.ordinal),
            f.start => seg.start as u64,
            f.end => seg.end as u64,
            f.passage.text => seg.text.as_str(),
        );
        add_passage_fields(&mut d, f, corpus, src, seg);
        w.add_document(d)?;
    }
    for quote in corpus.quotes_of(&src.meta.id) {
        let seg = segments
            .iter()
            .find(|s| s.start <= quote.start && quote.start < s.end.max(s.start + 1));
        let mut d = doc!(
            f.doc_type => schema::QUOTE,
            f.key => quote.id.as_str(),
            f.source => src.meta.id.as_str(),
            f.title => src.meta.title.as_str(),
            f.kind => src.meta.kind.as_str(),
            f.voice => quote.voice.as_str(),
            f.start => quote.start as u64,
            f.end => quote.end as u64,
            f.note.text => quote.text.as_str(),
        );
        if let Some(seg) = seg {
            d.add_u64(f.ordinal, u64::from(seg.ordinal));
            add_passage_fields(&mut d, f, corpus, src, seg);
        }
        w.add_document(d)?;
    }
    Ok(())
}

/// What a passage, and a quote from it, take from the passage: its case, speaker and page.
fn add_passage_fields(
    d: &mut TantivyDocument,
    f: &Fields,
    corpus: &Corpus,
    src: &Source,
    seg: &Segment,
) {
    if let Some(case) = corpus.case_of(src, seg) {
        d.add_text(f.case, case);
    }
    if let Some(speaker) = &seg.speaker {
        d.add_text(f.speaker, speaker);
        d.add_text(f.speaker_key, speaker.to_lowercase());
    }
    if let Some(page) = seg.page {
        d.add_u64(f.page, u64::from(page.page));
        if let Some(max) = page.page_max {
            d.add_u64(f.page_max, u64::from(max));
        }
    }
}
