//! Building and refreshing the index from the corpus. A manifest records the fingerprint of
//! the schema and analysis, and a content hash per source: a refresh re-indexes only the
//! sources that changed, and a missing, damaged or outdated index is rebuilt from scratch.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tantivy::{Index, IndexWriter, Term, doc};

use super::freshness::CorpusStamps;
use super::schema::{self, Fields};
use super::{analyzer, health, index_error};
use crate::corpus::source::Source;
use crate::corpus::{Corpus, quotes};
use crate::error::{Error, Result};
use crate::progress::{Progress, Stage};

const MANIFEST: &str = "visgraat-manifest.toml";
const WRITER_BUDGET: usize = 64 * 1024 * 1024;
/// How long a second indexer waits for the first before giving up.
const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(60);
/// Below this much text, index on one thread (deterministic ranking of ties).
const PARALLEL_FROM_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    fingerprint: String,
    codebook: String,
    #[serde(default)]
    memos: String,
    sources: BTreeMap<String, String>,
}

/// The stamps kept beside the index when it exists with the current fingerprint and no
/// directory or project file changed since its last refresh (a dozen stats): no file came,
/// went or was renamed, and visgraat wrote nothing. A hand edit in place is still possible:
/// `CorpusStamps::files_match` tells.
pub fn dirs_fresh(corpus_root: &Path, dir: &Path) -> Option<CorpusStamps> {
    let stamps = CorpusStamps::load(dir)?;
    (stamps.fingerprint == schema::fingerprint()
        && dir.join("meta.json").exists()
        && stamps.dirs_match(corpus_root))
    .then_some(stamps)
}

/// True when the index exists with the current fingerprint and no corpus file changed since
/// it was last refreshed. Costs a directory walk and a stat per file, no parsing.
pub fn is_fresh(corpus_root: &Path, dir: &Path) -> bool {
    dirs_fresh(corpus_root, dir).is_some_and(|stamps| stamps.files_match(corpus_root))
}

#[derive(Debug, Default)]
pub struct IndexReport {
    /// Why the index was rebuilt from scratch, if it was.
    pub rebuilt: Option<String>,
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    pub codes_reindexed: bool,
    pub memos_reindexed: bool,
    pub documents: u64,
}

impl IndexReport {
    pub fn did_work(&self) -> bool {
        self.rebuilt.is_some()
            || !self.added.is_empty()
            || !self.updated.is_empty()
            || !self.removed.is_empty()
            || self.codes_reindexed
            || self.memos_reindexed
    }
}

fn hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn source_hash(corpus: &Corpus, src: &Source) -> String {
    let quotes = quotes::render(corpus.quotes_of(&src.meta.id));
    let ties: Vec<String> = corpus
        .cases
        .cases
        .iter()
        .flat_map(|c| c.passages.iter().map(move |p| (c, p)))
        .filter(|(_, p)| p.source == src.meta.id)
        .map(|(c, p)| format!("{}={}", c.id, p.quote))
        .collect();
    hash(&[&src.render(), &quotes, &ties.join("\n")])
}

fn codebook_hash(corpus: &Corpus) -> String {
    hash(&[&toml::to_string(&corpus.codebook).unwrap_or_default()])
}

fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    toml::from_str(&text).ok()
}

/// Open the index, or say why it must be rebuilt. With `checksums`, every file is also
/// compared with its checksum (all of the index is read).
fn open_existing(
    dir: &Path,
    fingerprint: &str,
    checksums: bool,
) -> std::result::Result<(Index, Manifest), String> {
    let manifest = read_manifest(dir).ok_or("no index yet")?;
    if manifest.fingerprint != fingerprint {
        return Err("the schema or Dutch analysis changed".into());
    }
    health::verify(dir)?;
    if checksums {
        health::checksums(dir)?;
    }
    let index =
        Index::open_in_dir(dir).map_err(|e| format!("the index could not be opened ({e})"))?;
    Ok((index, manifest))
}

fn create_fresh(dir: &Path) -> Result<Index> {
    if dir.exists() {
        for entry in std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .flatten()
        {
            let path = entry.path();
            if path
                .file_name()
                .is_some_and(|n| n == ".gitkeep" || n == LOCK_FILE)
            {
                continue;
            }
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(|e| Error::io(&path, e))?;
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let (schema, _) = schema::build();
    Index::create_in_dir(dir, schema).map_err(|e| index_error(dir, e))
}

/// The lock file inside the index directory: a refresh holds it exclusively, opening a
/// reader holds it shared, so no process ever opens an index that is being rebuilt (tantivy's
/// own lock only keeps writers apart).
const LOCK_FILE: &str = ".visgraat-lock";

/// Hold the index lock (shared for readers, exclusive for a refresh), waiting up to
/// `WRITER_WAIT` for another process to finish.
pub(crate) fn lock(dir: &Path, exclusive: bool) -> Result<std::fs::File> {
    lock_with(dir, exclusive, &crate::progress::Silent)
}

/// [`lock`], saying so to `progress` when it has to wait, and giving up when cancelled.
fn lock_with(dir: &Path, exclusive: bool, progress: &dyn Progress) -> Result<std::fs::File> {
    // Said plainly: creating the directory would fail with a bare "File exists".
    if dir.is_file() {
        return Err(Error::Index {
            path: dir.to_path_buf(),
            message: "is a file, not a directory: remove it or set index = … in config.toml to another path".into(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let path = dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    let waited = std::time::Instant::now();
    let mut said_so = false;
    loop {
        let attempt = if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match attempt {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if waited.elapsed() < WRITER_WAIT => {
                if !said_so {
                    progress.stage(Stage::WaitingForIndex, 0);
                    said_so = true;
                }
                crate::progress::check(progress)?;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Index {
                    path: dir.to_path_buf(),
                    message: "another visgraat process has been refreshing the index for a long time; try again when it is done".into(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
    }
}

/// Whether `dir` holds an index that was built before (complete or not, current or not):
/// without one, a refresh is a build from scratch.
pub fn has_manifest(dir: &Path) -> bool {
    dir.join(MANIFEST).is_file()
}

/// Bring the index at `dir` up to date with `corpus`. Another process refreshing the same
/// index is waited for; afterwards there is usually nothing left to do.
pub fn update(corpus: &Corpus, dir: &Path, force_rebuild: bool) -> Result<IndexReport> {
    update_with(corpus, dir, force_rebuild, &crate::progress::Silent)
}

/// [`update`], reporting each source to `progress` and stopping when it is cancelled: the
/// writer is then dropped without a commit, so the index stays as it was (or, when it was
/// being rebuilt, stays without a manifest and is rebuilt next time).
pub fn update_with(
    corpus: &Corpus,
    dir: &Path,
    force_rebuild: bool,
    progress: &dyn Progress,
) -> Result<IndexReport> {
    update_inner(corpus, dir, force_rebuild, false, progress)
}

/// [`update_with`], also comparing every index file with its checksum first and rebuilding
/// when one fails: a garbled middle of a file, which the quick probe on every refresh cannot
/// see. It reads all of the index, so `visgraat index` does it, and a search only after the
/// index failed under it.
pub fn update_verified(
    corpus: &Corpus,
    dir: &Path,
    force_rebuild: bool,
    progress: &dyn Progress,
) -> Result<IndexReport> {
    update_inner(corpus, dir, force_rebuild, true, progress)
}

fn update_inner(
    corpus: &Corpus,
    dir: &Path,
    force_rebuild: bool,
    checksums: bool,
    progress: &dyn Progress,
) -> Result<IndexReport> {
    let _lock = lock_with(dir, true, progress)?;
    let fingerprint = schema::fingerprint();
    let mut report = IndexReport::default();
    let opened = if force_rebuild {
        Err(String::new())
    } else {
        open_existing(dir, &fingerprint, checksums)
    };
    let (index, old) = match (force_rebuild, opened) {
        (false, Ok(found)) => found,
        (true, _) => {
            report.rebuilt = Some("--rebuild was asked for".into());
            (create_fresh(dir)?, Manifest::default())
        }
        (false, Err(reason)) => {
            report.rebuilt = Some(reason);
            (create_fresh(dir)?, Manifest::default())
        }
    };
    analyzer::register(index.tokenizers());
    let fields = super::fields(&index)?;
    let mut new = Manifest {
        fingerprint,
        codebook: codebook_hash(corpus),
        memos: hash(&[&toml::to_string(&corpus.memos).unwrap_or_default()]),
        sources: BTreeMap::new(),
    };
    let old_stamps = match report.rebuilt {
        None => CorpusStamps::load(dir).unwrap_or_default(),
        Some(_) => CorpusStamps::default(),
    };
    let new_stamps = CorpusStamps::take(&corpus.root, &new.fingerprint);
    let mut writer: Option<IndexWriter> = None;
    let corpus_bytes: usize = corpus.sources.iter().map(|s| s.body.len()).sum();
    // A source whose file, quote file and the cases file all have the size and time they had
    // at the last refresh keeps its hash: hashing 100 MB again would be most of the work.
    let rel = |path: &Path| {
        path.strip_prefix(&corpus.root)
            .unwrap_or(path)
            .to_string_lossy()
            .to_string()
    };
    let same_stamp = |key: &str| old_stamps.file(key) == new_stamps.file(key);
    let cases_same = same_stamp("cases.toml");
    progress.stage(Stage::Indexing, corpus.sources.len() as u64);
    for src in &corpus.sources {
        crate::progress::check(progress)?;
        let id = src.meta.id.clone();
        let quotes_key = format!("quotes/{id}.toml");
        let unchanged_files = cases_same
            && same_stamp(&rel(&src.path))
            && new_stamps.file(&rel(&src.path)).is_some()
            && same_stamp(&quotes_key);
        let h = match old.sources.get(&id) {
            Some(old_hash) if unchanged_files => old_hash.clone(),
            _ => source_hash(corpus, src),
        };
        match old.sources.get(&id) {
            Some(old_hash) if *old_hash == h => report.unchanged += 1,
            previous => {
                let w = ensure_writer(&mut writer, &index, dir, corpus_bytes)?;
                if previous.is_some() {
                    w.delete_term(Term::from_field_text(fields.source, &id));
                    report.updated.push(id.clone());
                } else {
                    report.added.push(id.clone());
                }
                add_source(w, &fields, corpus, src).map_err(|e| index_error(dir, e))?;
            }
        }
        new.sources.insert(id, h);
        progress.advance(1);
    }
    for id in old
        .sources
        .keys()
        .filter(|id| !new.sources.contains_key(*id))
    {
        let w = ensure_writer(&mut writer, &index, dir, corpus_bytes)?;
        w.delete_term(Term::from_field_text(fields.source, id));
        report.removed.push(id.clone());
    }
    if old.codebook != new.codebook {
        let w = ensure_writer(&mut writer, &index, dir, corpus_bytes)?;
        w.delete_term(Term::from_field_text(fields.doc_type, schema::CODE));
        for code in &corpus.codebook.codes {
            w.add_document(doc!(
                fields.doc_type => schema::CODE,
                fields.key => format!("code:{}", code.id),
                fields.code => code.id.as_str(),
                fields.title => code.label.as_str(),
                fields.kind => code.group.as_str(),
                fields.note.text => format!("{}\n{}", code.label, code.definition),
            ))
            .map_err(|e| index_error(dir, e))?;
        }
        report.codes_reindexed = true;
    }
    if old.memos != new.memos {
        let w = ensure_writer(&mut writer, &index, dir, corpus_bytes)?;
        w.delete_term(Term::from_field_text(fields.doc_type, schema::MEMO));
        for memo in &corpus.memos.memos {
            let (kind, id) = crate::coding::memos::parse_target(&memo.target)
                .unwrap_or((crate::coding::memos::TargetKind::Code, ""));
            let label = match kind {
                crate::coding::memos::TargetKind::Code => {
                    corpus.codebook.code(id).map(|c| c.label.clone())
                }
                crate::coding::memos::TargetKind::Source => {
                    corpus.source(id).map(|s| s.meta.title.clone())
                }
                crate::coding::memos::TargetKind::Case => {
                    corpus.cases.get(id).map(|c| c.label.clone())
                }
            }
            .unwrap_or_else(|| id.to_string());
            // The target id goes in `code`, not `source`: re-indexing a source deletes its
            // documents by `source`, and must not take its memos with it.
            w.add_document(doc!(
                fields.doc_type => schema::MEMO,
                fields.key => format!("memo:{}:{}", memo.target, memo.author),
                fields.code => id,
                fields.title => format!("memo ({}) · {label}", memo.author),
                fields.kind => memo.target.split(':').next().unwrap_or_default(),
                fields.speaker => memo.author.as_str(),
                fields.note.text => memo.text.as_str(),
            ))
            .map_err(|e| index_error(dir, e))?;
        }
        report.memos_reindexed = true;
    }
    crate::progress::check(progress)?;
    let committed = writer.is_some();
    if let Some(mut w) = writer {
        progress.stage(Stage::Committing, 0);
        w.commit().map_err(|e| index_error(dir, e))?;
        w.wait_merging_threads().map_err(|e| index_error(dir, e))?;
    }
    let text = toml::to_string(&new).map_err(|e| Error::invalid(dir, None, e.to_string()))?;
    if std::fs::read_to_string(dir.join(MANIFEST)).ok().as_deref() != Some(text.as_str()) {
        crate::atomic::write(&dir.join(MANIFEST), text.as_bytes())?;
    }
    // After the manifest: stamps that say "fresh" never stand beside an older index.
    new_stamps.save(dir)?;
    // What the TUI's first frame shows, while this corpus is loaded anyway.
    super::catalogue::save(corpus, dir)?;
    let reader = index.reader().map_err(|e| index_error(dir, e))?;
    // The compounds a word ends, per new segment (its terms reversed), so that no search
    // has to build them. Segments change only with a commit; a list lost without one (a
    // crash between the two) is built by the first search that needs it.
    if committed {
        super::tails::keep_for(
            dir,
            &reader.searcher(),
            &[fields.passage.text, fields.note.text],
        );
    }
    report.documents = reader.searcher().num_docs();
    Ok(report)
}

/// The writer, opened on first use so that a refresh with nothing to do never takes the lock.
fn ensure_writer<'w>(
    writer: &'w mut Option<IndexWriter>,
    index: &Index,
    dir: &Path,
    corpus_bytes: usize,
) -> Result<&'w mut IndexWriter> {
    if writer.is_none() {
        // One indexing thread puts documents into segments in corpus order, so equal scores
        // rank the same way on every build; large corpora use every core.
        let threads = if corpus_bytes < PARALLEL_FROM_BYTES {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(2, usize::from)
                .min(4)
        };
        // One writer per index: a second process waits for the first (up to a while)
        // instead of failing on tantivy's lock.
        let waited = std::time::Instant::now();
        let w = loop {
            match index.writer_with_num_threads(threads, WRITER_BUDGET * threads) {
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
        *writer = Some(w);
    }
    Ok(writer.as_mut().expect("writer was just opened"))
}

fn add_source(
    w: &mut IndexWriter,
    f: &Fields,
    corpus: &Corpus,
    src: &Source,
) -> tantivy::Result<()> {
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
        w.add_document(d)?;
    }
    Ok(())
}
