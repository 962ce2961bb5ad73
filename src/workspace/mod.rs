//! A workspace: the corpus, the codings and the index of one project, opened together. The
//! CLI and the TUI both start here, so they see the same data the same way.

use crate::coding::CodingSet;
use crate::coding::anchor::{self, Healed};
use crate::config::Config;
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::index::build::{self, IndexReport};
use crate::index::search::Searcher;
use crate::progress::{Progress, Silent};

mod edits;
mod reload;
mod stamps;
mod suggestions;
pub mod watch;

pub use edits::{BookOp, BookOutcome};
pub use reload::Reloaded;
pub use stamps::{Stamps, codings_files_stamp, disk_stamp, sources_stamp};
pub mod init;

pub struct Workspace {
    pub config: Config,
    pub corpus: Corpus,
    pub codings: CodingSet,
    /// Problems found while loading (bad files are skipped, the rest works).
    pub problems: Vec<Error>,
    /// Codings re-anchored (or found orphaned) because their source changed.
    pub healed: Vec<Healed>,
    /// Temp files of killed writes removed on opening (see `atomic::clean_leftovers`).
    pub cleaned: Vec<std::path::PathBuf>,
    /// How many of `problems` come from loading the corpus (the rest from the codings, which
    /// are reloaded on their own).
    corpus_problems: usize,
    /// How often the sources were read again since opening: a caller that keeps views of
    /// them (the TUI's tree and reader) compares it with what it last saw.
    pub sources_read: u64,
}

impl Workspace {
    pub fn open(config: Config) -> Result<Workspace> {
        Workspace::open_with(config, &Silent)
    }

    /// [`Workspace::open`], reporting the files read to `progress`. What re-anchoring found
    /// (sure moves, codings marked for review or orphaned) is written to the codings files,
    /// so that every command, also a search that reads only those files, sees the same.
    pub fn open_with(config: Config, progress: &dyn Progress) -> Result<Workspace> {
        let mut ws = Workspace::inspect_with(config, progress)?;
        if let Err(e) = ws.write_healing(false) {
            ws.problems.push(e);
        }
        Ok(ws)
    }

    /// [`Workspace::open_with`] without writing anything: `check` reports what it finds,
    /// and writes only when asked (`write_healing`, `check --fix`).
    pub fn inspect_with(config: Config, progress: &dyn Progress) -> Result<Workspace> {
        // Before anything is read: a temp file older than a minute is a write that was
        // killed before its rename, never one still going.
        let cleaned = crate::atomic::clean_leftovers(&config.corpus, crate::atomic::LEFTOVER_AGE);
        // The corpus and the codings are independent files: read them side by side.
        let (corpus, (mut codings, coding_problems)) = std::thread::scope(|scope| {
            let codings = scope.spawn(|| CodingSet::load(&config.corpus));
            let corpus = Corpus::load_with(&config.corpus, progress);
            (
                corpus,
                codings.join().expect("loading codings does not panic"),
            )
        });
        let mut corpus = corpus?;
        let mut problems = std::mem::take(&mut corpus.problems);
        let corpus_problems = problems.len();
        problems.extend(coding_problems);
        let healed = anchor::heal(&corpus, &mut codings);
        Ok(Workspace {
            config,
            corpus,
            codings,
            problems,
            healed,
            cleaned,
            corpus_problems,
            sources_read: 0,
        })
    }

    /// Bring the index up to date with the corpus (checking every source).
    pub fn refresh_index(&self, rebuild: bool) -> Result<IndexReport> {
        self.refresh_index_with(rebuild, &Silent)
    }

    /// [`Workspace::refresh_index`], reporting to `progress`.
    pub fn refresh_index_with(
        &self,
        rebuild: bool,
        progress: &dyn Progress,
    ) -> Result<IndexReport> {
        build::update_with(&self.corpus, &self.config.index, rebuild, progress)
    }

    /// [`Workspace::refresh_index_with`], first comparing every index file with its checksum
    /// (all of the index is read): `visgraat index`, where a damaged index is rebuilt rather
    /// than called up to date.
    pub fn refresh_index_verified_with(
        &self,
        rebuild: bool,
        progress: &dyn Progress,
    ) -> Result<IndexReport> {
        build::update_verified(&self.corpus, &self.config.index, rebuild, progress)
    }

    /// Refresh the index only when a corpus file changed since the last refresh (a stat per
    /// file): the start-up path, where opening, verifying and hashing would cost most.
    pub fn refresh_index_if_stale(&self) -> Result<Option<IndexReport>> {
        if build::is_fresh(&self.corpus.root, &self.config.index) {
            return Ok(None);
        }
        self.refresh_index(false).map(Some)
    }

    /// Write the index's catalogue of the sources (what the TUI's first frame is drawn
    /// from) when the index has none that matches this corpus: an index refreshed by an
    /// older visgraat, or by none since. Only beside an existing index; the index build
    /// writes it otherwise.
    pub fn keep_catalogue(&self) -> Result<()> {
        use crate::index::catalogue;
        let dir = &self.config.index;
        if !build::has_manifest(dir) || catalogue::load_fresh(&self.corpus.root, dir).is_some() {
            return Ok(());
        }
        catalogue::save(&self.corpus, dir)
    }

    /// Write the re-anchoring that opening found (sure moves, codings marked for review or
    /// orphaned) to the codings files; with `backfill` (`check --fix`) also store the
    /// surroundings of codings made before they were kept. Returns how many files were
    /// written.
    pub fn write_healing(&mut self, backfill: bool) -> Result<usize> {
        let written = anchor::write(&self.corpus, &mut self.codings, &self.healed, backfill)?;
        for h in &mut self.healed {
            h.changed = false;
        }
        Ok(written)
    }

    /// The framework matrices (see `analysis::framework`): the summaries in framework.toml,
    /// read fresh, over the codings (of `coder`, or of everyone).
    pub fn framework_matrices(
        &self,
        coder: Option<&str>,
    ) -> Result<Vec<crate::analysis::framework::FrameworkMatrix>> {
        let summaries = crate::coding::framework::load(&self.config.corpus)?;
        Ok(crate::analysis::framework::matrices(
            &self.corpus,
            &self.codings,
            &summaries,
            coder,
        ))
    }

    /// One framework matrix (rows × columns), its summaries read fresh from framework.toml.
    pub fn framework_matrix(
        &self,
        rows_are: crate::coding::framework::RowKind,
        columns_are: crate::coding::framework::ColumnKind,
        coder: Option<&str>,
    ) -> Result<crate::analysis::framework::FrameworkMatrix> {
        let summaries = crate::coding::framework::load(&self.config.corpus)?;
        Ok(crate::analysis::framework::matrix(
            &self.corpus,
            &self.codings,
            &summaries,
            rows_are,
            columns_are,
            coder,
        ))
    }

    /// The reliability rounds drawn so far (corpus/icr/round-N.toml), in order.
    pub fn rounds(&self) -> Result<Vec<crate::coding::rounds::Round>> {
        crate::coding::rounds::load_all(&self.config.corpus)
    }

    pub fn searcher(&self) -> Result<Searcher> {
        Searcher::open(&self.config.index)
    }

    /// Read the codings from disk again (after an edit here, or a change by another
    /// process); their problems replace the ones found before.
    pub fn reload_codings(&mut self) {
        let (mut codings, problems) = CodingSet::load(&self.config.corpus);
        self.problems.truncate(self.corpus_problems);
        self.problems.extend(problems);
        self.healed.extend(anchor::heal(&self.corpus, &mut codings));
        self.codings = codings;
    }
}

/// Open a searcher on an index that is up to date, refreshing it only when a corpus file
/// changed since the last refresh (a stat per file, no parsing, in the common case).
pub fn fresh_searcher(config: &Config) -> Result<(Searcher, Option<IndexReport>)> {
    fresh_searcher_with(config, &Silent)
}

/// [`fresh_searcher`], reporting a refresh's work to `progress`.
pub fn fresh_searcher_with(
    config: &Config,
    progress: &dyn Progress,
) -> Result<(Searcher, Option<IndexReport>)> {
    if build::is_fresh(&config.corpus, &config.index)
        && let Ok(searcher) = Searcher::open(&config.index)
    {
        return Ok((searcher, None));
    }
    refreshed_searcher(config, progress)
}

/// Run `search` on an index that is up to date with the corpus; the report says whether it
/// had to be refreshed first. When no directory changed since the last refresh (no file
/// came, went or was renamed, and visgraat wrote nothing: a dozen stats), the index answers
/// at once while a second thread compares every file's own stamp; only when that finds a
/// hand edit in place is the index refreshed and `search` run again. So the stat per file
/// costs no time beside the search, and a changed file is still found by the next search.
pub fn search_fresh<T>(
    config: &Config,
    progress: &dyn Progress,
    search: impl Fn(&mut Searcher) -> Result<T>,
) -> Result<Searched<T>> {
    if let Some(stamps) = build::dirs_fresh(&config.corpus, &config.index) {
        // The check starts first: opening the index is part of what it runs beside. A
        // watcher (`visgraat watch`) that answers for the files' stamps spares the stat per
        // file; one that answers otherwise, or none, leaves the check to the stats.
        let answered = std::thread::scope(|scope| {
            let check = scope.spawn(|| files_fresh(config, &stamps));
            let found = Searcher::open(&config.index).map(|mut s| search(&mut s));
            (check.join().ok().flatten(), found)
        });
        if let (Some(how), Ok(found)) = answered {
            return found.map(|found| Searched {
                found,
                report: None,
                checked: match how {
                    FilesFresh::Watched => Checked::Watched,
                    FilesFresh::Stated => Checked::Stated {
                        files: stamps.file_count(),
                    },
                },
            });
        }
    }
    let (mut searcher, report) = refreshed_searcher(config, progress)?;
    Ok(Searched {
        found: search(&mut searcher)?,
        report,
        checked: Checked::Refreshed,
    })
}

/// What [`search_fresh`] found, and how it knew the index was in step with the corpus.
#[derive(Debug)]
pub struct Searched<T> {
    pub found: T,
    /// The refresh's work, when the index had to be refreshed first.
    pub report: Option<IndexReport>,
    pub checked: Checked,
}

/// How a search knew the index was in step with the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// A watcher answered for every file's stamp: no stat per file.
    Watched,
    /// A stat per file, of this many files: what a watcher would have spared.
    Stated { files: usize },
    /// A directory or file had changed: the index was refreshed first.
    Refreshed,
}

/// How a search knew that no corpus file changed since the index was refreshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilesFresh {
    /// A watcher (`visgraat watch`) answered for every file's stamp.
    Watched,
    /// A stat per file.
    Stated,
}

/// Whether every corpus file still has the stamp kept in `stamps` (None: one changed): from
/// a watcher of the project when one runs and agrees, else by a stat per file (also when
/// the watcher disagrees, so a watcher can only ever spare the stats).
pub fn files_fresh(
    config: &Config,
    stamps: &crate::index::freshness::CorpusStamps,
) -> Option<FilesFresh> {
    if crate::index::watcher::ask(&config.corpus).is_some_and(|d| d.corpus == stamps.files_digest())
    {
        return Some(FilesFresh::Watched);
    }
    stamps
        .files_match(&config.corpus)
        .then_some(FilesFresh::Stated)
}

/// Refresh the index from the corpus (re-anchoring the codings of edited sources first) and
/// open a searcher on it.
fn refreshed_searcher(
    config: &Config,
    progress: &dyn Progress,
) -> Result<(Searcher, Option<IndexReport>)> {
    let corpus = Corpus::load_with(&config.corpus, progress)?;
    // The corpus changed since the index was refreshed: codings of an edited source are
    // re-anchored and written before the search reads the codings files.
    let (mut codings, _) = CodingSet::load(&config.corpus);
    let healed = anchor::heal(&corpus, &mut codings);
    anchor::write(&corpus, &mut codings, &healed, false)?;
    match build::update_with(&corpus, &config.index, false, progress) {
        Ok(report) => Ok((Searcher::open(&config.index)?, Some(report))),
        // Another process holds the writer too long: read the index as it is.
        Err(e @ Error::Index { .. }) => Searcher::open(&config.index)
            .map(|s| (s, None))
            .map_err(|_| e),
        Err(e) => Err(e),
    }
}

/// Run `search` on `searcher`. When the index fails under it (a garbled or missing file that
/// opening the index does not notice), the index is checked by its checksums under the
/// writer's lock, rebuilt from the corpus when they fail, and searched again. Returns why the
/// index was rebuilt, if it was: the caller says so. An index that passes its checksums is
/// left alone and the search's error stands (rebuilding would not change it).
pub fn search_healing<T>(
    config: &Config,
    searcher: &mut Searcher,
    progress: &dyn Progress,
    search: impl Fn(&Searcher) -> Result<T>,
) -> Result<(T, Option<String>)> {
    let failure = match search(searcher) {
        Err(e @ Error::Index { .. }) => e,
        other => return other.map(|found| (found, None)),
    };
    let corpus = Corpus::load_with(&config.corpus, progress)?;
    let report = build::update_verified(&corpus, &config.index, false, progress)?;
    let Some(reason) = report.rebuilt else {
        return Err(failure);
    };
    *searcher = Searcher::open(&config.index)?;
    Ok((search(searcher)?, Some(reason)))
}
