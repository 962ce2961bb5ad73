//! A workspace: the corpus, the codings and the index of one project, opened together. The
//! CLI and the TUI both start here, so they see the same data the same way.

use crate::coding::CodingSet;
use crate::coding::anchor::{self, Healed};
use crate::config::Config;
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::index::build::{self, IndexReport};
use crate::index::search::Searcher;

pub struct Workspace {
    pub config: Config,
    pub corpus: Corpus,
    pub codings: CodingSet,
    /// Problems found while loading (bad files are skipped, the rest works).
    pub problems: Vec<Error>,
    /// Codings re-anchored (or found orphaned) because their source changed.
    pub healed: Vec<Healed>,
}

impl Workspace {
    pub fn open(config: Config) -> Result<Workspace> {
        let mut corpus = Corpus::load(&config.corpus)?;
        let (mut codings, coding_problems) = CodingSet::load(&config.corpus);
        let mut problems = std::mem::take(&mut corpus.problems);
        problems.extend(coding_problems);
        let healed = match anchor::heal(&corpus, &mut codings) {
            Ok(h) => h,
            Err(e) => {
                problems.push(e);
                Vec::new()
            }
        };
        Ok(Workspace {
            config,
            corpus,
            codings,
            problems,
            healed,
        })
    }

    /// Bring the index up to date with the corpus.
    pub fn refresh_index(&self, rebuild: bool) -> Result<IndexReport> {
        build::update(&self.corpus, &self.config.index, rebuild)
    }

    pub fn searcher(&self) -> Result<Searcher> {
        Searcher::open(&self.config.index)
    }

    pub fn reload_codings(&mut self) {
        let (mut codings, problems) = CodingSet::load(&self.config.corpus);
        if let Ok(healed) = anchor::heal(&self.corpus, &mut codings) {
            self.healed.extend(healed);
        }
        self.codings = codings;
        self.problems.extend(problems);
    }
}

/// Open a searcher on an index that is up to date, refreshing it only when a corpus file
/// changed since the last refresh (a stat per file, no parsing, in the common case).
pub fn fresh_searcher(config: &Config) -> Result<(Searcher, Option<IndexReport>)> {
    if build::is_fresh(&config.corpus, &config.index)
        && let Ok(searcher) = Searcher::open(&config.index)
    {
        return Ok((searcher, None));
    }
    let corpus = Corpus::load(&config.corpus)?;
    match build::update(&corpus, &config.index, false) {
        Ok(report) => Ok((Searcher::open(&config.index)?, Some(report))),
        // Another process holds the writer too long: read the index as it is.
        Err(e @ Error::Index { .. }) => Searcher::open(&config.index)
            .map(|s| (s, None))
            .map_err(|_| e),
        Err(e) => Err(e),
    }
}
