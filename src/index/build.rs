//! Building and refreshing the index from the corpus. A manifest records the fingerprint of
//! the schema and analysis, and a content hash per source: a refresh re-indexes only the
//! sources that changed, and a missing, damaged or outdated index is rebuilt from scratch.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tantivy::{Index, IndexSettings, IndexWriter, Term, doc};

use super::freshness::CorpusStamps;
use super::schema;
use super::write_directory::WriteDirectory;
use super::writer::{add_source, ensure_writer};
use super::{analyzer, health, index_error};
use crate::corpus::source::Source;
use crate::corpus::{Corpus, quotes};
use crate::error::{Error, Result};
use crate::progress::{Progress, Stage};

const MANIFEST: &str = "visgraat-manifest.toml";
/// How long a second indexer waits for the first before giving up.
pub(super) const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

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
) -> std::result::Result<(Index, WriteDirectory, Manifest), String> {
    let manifest = read_manifest(dir).ok_or("no index yet")?;
    if manifest.fingerprint != fingerprint {
        return Err("the schema or Dutch analysis changed".into());
    }
    let (index, directory) = health::catching(|| {
        WriteDirectory::open(dir)
            .and_then(|directory| Index::open(directory.clone()).map(|index| (index, directory)))
            .map_err(|e| format!("the index could not be opened ({e})"))
    })?;
    health::verify(&index)?;
    if checksums {
        health::checksums(dir)?;
    }
    Ok((index, directory, manifest))
}

fn create_fresh(dir: &Path) -> Result<(Index, WriteDirectory)> {
    if dir.exists() {
        for entry in std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .flatten()
        {
            let path = entry.path();
            if path.file_name().is_some_and(|n| {
                n == ".gitkeep" || n == LOCK_FILE || n == super::watch_claim::LOCK_FILE
            }) {
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
    let directory = WriteDirectory::open(dir).map_err(|e| index_error(dir, e))?;
    let index = Index::create(directory.clone(), schema, IndexSettings::default())
        .map_err(|e| index_error(dir, e))?;
    Ok((index, directory))
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
    // The stat per corpus file, and reading the stamps of the last refresh, run beside the
    // opening and probing of the index: neither needs the other.
    let (opened, (kept_stamps, new_stamps)) = std::thread::scope(|scope| {
        let stamps = scope.spawn(|| {
            let kept = CorpusStamps::load(dir);
            (kept, CorpusStamps::take(&corpus.root, &fingerprint))
        });
        let opened = if force_rebuild {
            Err(String::new())
        } else {
            open_existing(dir, &fingerprint, checksums)
        };
        let stamps = stamps
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (opened, stamps)
    });
    let (index, directory, old) = match (force_rebuild, opened) {
        (false, Ok(found)) => found,
        (true, _) => {
            report.rebuilt = Some("--rebuild was asked for".into());
            let (index, directory) = create_fresh(dir)?;
            (index, directory, Manifest::default())
        }
        (false, Err(reason)) => {
            report.rebuilt = Some(reason);
            let (index, directory) = create_fresh(dir)?;
            (index, directory, Manifest::default())
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
        None => kept_stamps.unwrap_or_default(),
        Some(_) => CorpusStamps::default(),
    };
    let mut writer: Option<IndexWriter> = None;
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
    // First what changed, then the writer: its threads follow the text to index, so that one
    // edited source makes one small segment, not one per thread.
    let mut changed: Vec<(&Source, bool)> = Vec::new();
    for src in &corpus.sources {
        crate::progress::check(progress)?;
        let id = &src.meta.id;
        let Some(old_hash) = old.sources.get(id) else {
            // New (or all of them, in a rebuild): indexed whatever its hash, which is taken
            // while the writer's threads index it.
            changed.push((src, false));
            continue;
        };
        let quotes_key = format!("quotes/{id}.toml");
        let unchanged_files = cases_same
            && same_stamp(&rel(&src.path))
            && new_stamps.file(&rel(&src.path)).is_some()
            && same_stamp(&quotes_key);
        let h = if unchanged_files {
            old_hash.clone()
        } else {
            source_hash(corpus, src)
        };
        if h == *old_hash {
            report.unchanged += 1;
            progress.advance(1);
        } else {
            changed.push((src, true));
        }
        new.sources.insert(id.clone(), h);
    }
    let bytes_to_index: usize = changed.iter().map(|(src, _)| src.body.len()).sum();
    for (src, previous) in changed {
        crate::progress::check(progress)?;
        let w = ensure_writer(&mut writer, &index, dir, bytes_to_index)?;
        add_source(w, &fields, corpus, src, previous).map_err(|e| index_error(dir, e))?;
        let id = src.meta.id.clone();
        if previous {
            report.updated.push(id);
        } else {
            new.sources.insert(id.clone(), source_hash(corpus, src));
            report.added.push(id);
        }
        progress.advance(1);
    }
    for id in old
        .sources
        .keys()
        .filter(|id| !new.sources.contains_key(*id))
    {
        let w = ensure_writer(&mut writer, &index, dir, bytes_to_index)?;
        w.delete_term(Term::from_field_text(fields.source, id));
        report.removed.push(id.clone());
    }
    if old.codebook != new.codebook {
        let w = ensure_writer(&mut writer, &index, dir, bytes_to_index)?;
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
        let w = ensure_writer(&mut writer, &index, dir, bytes_to_index)?;
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
    // The manifest's text, and the catalogue (what the TUI's first frame shows, written
    // while this corpus is loaded anyway), need only the corpus: they are made while the
    // commit waits on the disk.
    let (committing, beside) = std::thread::scope(|scope| {
        let beside = scope.spawn(|| {
            super::catalogue::save(corpus, dir)?;
            toml::to_string(&new).map_err(|e| Error::invalid(dir, None, e.to_string()))
        });
        let committing = match writer {
            Some(mut w) => {
                progress.stage(Stage::Committing, 0);
                w.commit()
                    .and_then(|_| w.wait_merging_threads())
                    .map_err(|e| index_error(dir, e))
            }
            None => Ok(()),
        };
        let beside = beside
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (committing, beside)
    });
    committing?;
    let text = beside?;
    directory.flush().map_err(|e| Error::io(dir, e))?;
    let reader: tantivy::IndexReader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| index_error(dir, e))?;
    let searcher = reader.searcher();
    std::thread::scope(|scope| {
        // The compounds a word ends, per new segment (its terms reversed), so that no search
        // has to build them; made while the manifest and the stamps are written. Segments
        // change only with a commit; a list lost without one (a crash between the two) is
        // built by the first search that needs it.
        if committed {
            scope.spawn(|| {
                super::tails::keep_for(dir, &searcher, &[fields.passage.text, fields.note.text]);
            });
        }
        if std::fs::read_to_string(dir.join(MANIFEST)).ok().as_deref() != Some(text.as_str()) {
            crate::atomic::write(&dir.join(MANIFEST), text.as_bytes())?;
        }
        super::skipped::save(dir, &corpus.problems)?;
        // After the manifest: stamps that say "fresh" never stand beside an older index.
        new_stamps.save(dir)
    })?;
    report.documents = searcher.num_docs();
    Ok(report)
}
