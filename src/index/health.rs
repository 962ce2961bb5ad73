//! Whether the index's files are sound: a quick probe of every segment on each refresh, and
//! tantivy's checksums (every byte read) where that cost is acceptable: `visgraat index`,
//! `visgraat check`, and a search that failed under a damaged file.

use std::path::Path;

use tantivy::{Index, TantivyDocument};

use super::analyzer;
use crate::error::Result;

fn damaged(e: impl std::fmt::Display) -> String {
    format!("the index is damaged ({e})")
}

/// Run `probe`, reporting a panic as damage: tantivy may panic on garbage. The panic hook is
/// silenced meanwhile, so a damaged file does not print a panic message.
pub(super) fn catching<T>(
    probe: impl FnOnce() -> std::result::Result<T, String> + std::panic::UnwindSafe,
) -> std::result::Result<T, String> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(probe);
    std::panic::set_hook(previous);
    match outcome {
        Ok(result) => result,
        Err(_) => Err("the index is damaged (its files could not be read)".into()),
    }
}

/// Read a little of every segment (stored documents, the text postings, a fast field), so a
/// truncated or garbled file is found now rather than in the middle of a search.
/// The refresh that probes has the index open already, and writes through it.
pub fn verify(index: &Index) -> std::result::Result<(), String> {
    // What a panic leaves of the index is not used again: a damaged index is rebuilt.
    let index = std::panic::AssertUnwindSafe(index);
    catching(move || {
        let index = *index;
        analyzer::register(index.tokenizers());
        let fields = super::fields(index).map_err(|e| e.to_string())?;
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(damaged)?;
        let searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(0).map_err(damaged)?;
            if segment.max_doc() > 0 {
                store.get::<TantivyDocument>(0).map_err(damaged)?;
                store
                    .get::<TantivyDocument>(segment.max_doc() - 1)
                    .map_err(damaged)?;
            }
            let inverted = segment
                .inverted_index(fields.passage.text)
                .map_err(damaged)?;
            let mut terms = inverted.terms().stream().map_err(damaged)?;
            // The start of the term dictionary: a damaged one fails here (reading all of it
            // would cost tens of milliseconds on every refresh of a large index).
            for _ in 0..1000 {
                if !terms.advance() {
                    break;
                }
            }
            segment.fast_fields().u64("start").map_err(damaged)?;
        }
        Ok(())
    })
}

/// Compare every index file with the checksum tantivy wrote at its end. This reads all of
/// the index (a garbled middle of a file is found only so), so it is not done on every
/// search. The error names the damaged or missing files.
pub fn checksums(dir: &Path) -> std::result::Result<(), String> {
    catching(|| {
        let index =
            Index::open_in_dir(dir).map_err(|e| format!("the index could not be opened ({e})"))?;
        let name = |p: &Path| p.file_name().unwrap_or(p.as_os_str()).display().to_string();
        match index.validate_checksum() {
            Ok(bad) if bad.is_empty() => Ok(()),
            Ok(bad) => {
                let mut names: Vec<String> = bad.iter().map(|p| name(p)).collect();
                names.sort();
                Err(damaged(format!("checksum fails: {}", names.join(", "))))
            }
            Err(tantivy::TantivyError::OpenReadError(
                tantivy::directory::error::OpenReadError::FileDoesNotExist(p),
            )) => Err(damaged(format!("missing: {}", name(&p)))),
            Err(e) => Err(damaged(e)),
        }
    })
}

/// What `visgraat check` says about the index.
#[derive(Debug, PartialEq, Eq)]
pub enum Health {
    /// There is no index yet: the next search or `visgraat index` builds it.
    NotBuilt,
    /// Every file matches its checksum.
    Sound,
    /// Why the index must be rebuilt (the files named).
    Damaged(String),
}

/// The index at `dir` by its checksums, read under the shared index lock (so never while
/// another process rebuilds it). An index path that is a file is an error.
pub fn health(dir: &Path) -> Result<Health> {
    if !dir.is_dir() && !dir.is_file() {
        return Ok(Health::NotBuilt);
    }
    let _lock = super::build::lock(dir, false)?;
    if !super::build::has_manifest(dir) && !dir.join("meta.json").exists() {
        return Ok(Health::NotBuilt);
    }
    Ok(match checksums(dir) {
        Ok(()) => Health::Sound,
        Err(reason) => Health::Damaged(reason),
    })
}
