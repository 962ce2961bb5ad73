//! The TUI's index worker: it brings the index up to date behind the UI and then answers the
//! searches, so the TUI opens at once, also on a project whose index must first be built, and
//! a refresh after a change on disk never blocks a keystroke. Its state reaches the UI as
//! [`IndexState`]; the UI shows it in the status line and in place of search results until
//! the index is ready.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender};

use crate::coding::CodingSet;
use crate::coding::by_source::IndexedCodings;
use crate::config::Config;
use crate::corpus::Corpus;
use crate::corpus::codebook::Codebook;
use crate::error::Error;
use crate::index::build;
use crate::index::search::{Hit, Request, Searcher};
use crate::progress::{Progress, Stage};
use crate::suggest::evidence::Support;
use crate::workspace;

/// How far the index is, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexState {
    /// Being built from scratch (`building`) or brought up to date, `percent` done.
    Working { building: bool, percent: u8 },
    /// Another visgraat process is writing the index; searches wait for it.
    Waiting,
    /// Searches are answered.
    Ready,
    /// The index could not be built or opened: searches report this.
    Failed(String),
}

impl IndexState {
    pub fn is_ready(&self) -> bool {
        *self == IndexState::Ready
    }
}

/// What the UI asks of the worker.
pub enum Job {
    Search {
        generation: u64,
        request: Request,
        codings: Arc<CodingSet>,
        codebook: Arc<Codebook>,
    },
    /// The passages that support a claim (the evidence prompt).
    Evidence {
        generation: u64,
        claim: String,
        quotes_first: bool,
        limit: usize,
        codings: Arc<CodingSet>,
        codebook: Arc<Codebook>,
    },
    /// A corpus file may have changed: bring the index up to date if it is stale.
    Refresh,
}

/// What the worker tells the UI.
pub enum Report {
    Index(IndexState),
    Searched(u64, std::result::Result<Vec<Hit>, String>),
    /// The evidence prompt's answer.
    Evidence(u64, std::result::Result<Vec<Support>, String>),
    /// A search found the index damaged; it was rebuilt (for this reason) and answered.
    Healed(String),
}

/// The worker's progress, turned into [`IndexState`]s for the UI: one message per percent,
/// so a build of thousands of sources does not flood the UI's queue.
struct Tracker<'a> {
    send: &'a (dyn Fn(IndexState) + Sync),
    building: bool,
    /// The current stage and its total, and the share of the whole it starts at and spans.
    stage: Mutex<(Stage, u64)>,
    done: AtomicU64,
    last_percent: AtomicU64,
}

impl<'a> Tracker<'a> {
    fn new(send: &'a (dyn Fn(IndexState) + Sync), building: bool) -> Tracker<'a> {
        Tracker {
            send,
            building,
            stage: Mutex::new((Stage::ReadingCorpus, 0)),
            done: AtomicU64::new(0),
            last_percent: AtomicU64::new(u64::MAX),
        }
    }

    /// Whether this tracker told the UI of any work (the UI then waits for `Ready`).
    fn reported(&self) -> bool {
        self.last_percent.load(Ordering::Relaxed) != u64::MAX
    }

    /// Reading the sources is the first tenth of the work, indexing them the next 85 %,
    /// writing the index the rest.
    fn percent(stage: Stage, done: u64, total: u64) -> u8 {
        let within = if total == 0 {
            0.0
        } else {
            (done as f64 / total as f64).min(1.0)
        };
        let p = match stage {
            Stage::ReadingCorpus => 10.0 * within,
            Stage::Indexing => 10.0 + 85.0 * within,
            Stage::Committing => 95.0,
            _ => 0.0,
        };
        p.floor() as u8
    }
}

impl Progress for Tracker<'_> {
    fn stage(&self, stage: Stage, total: u64) {
        *self.stage.lock().unwrap_or_else(|e| e.into_inner()) = (stage, total);
        self.done.store(0, Ordering::Relaxed);
        if stage == Stage::WaitingForIndex {
            (self.send)(IndexState::Waiting);
            return;
        }
        let percent = Tracker::percent(stage, 0, total);
        self.last_percent
            .store(u64::from(percent), Ordering::Relaxed);
        (self.send)(IndexState::Working {
            building: self.building,
            percent,
        });
    }

    fn advance(&self, units: u64) {
        let done = self.done.fetch_add(units, Ordering::Relaxed) + units;
        let (stage, total) = *self.stage.lock().unwrap_or_else(|e| e.into_inner());
        let percent = Tracker::percent(stage, done, total);
        if self
            .last_percent
            .swap(u64::from(percent), Ordering::Relaxed)
            != u64::from(percent)
        {
            (self.send)(IndexState::Working {
                building: self.building,
                percent,
            });
        }
    }

    /// The TUI is quit with `q`, never with a signal: the worker's work is never cancelled
    /// (an unfinished build is simply redone next time).
    fn cancelled(&self) -> bool {
        false
    }
}

/// Refresh the index if it is stale and (re)open the searcher; the UI hears how it goes.
fn refresh(config: &Config, searcher: &mut Option<Searcher>, send: &(dyn Fn(IndexState) + Sync)) {
    if let Some(open) = searcher.as_ref()
        && build::is_fresh(&config.corpus, &config.index)
    {
        // Fresh, perhaps because another process refreshed it (`visgraat import`, a
        // search): the reader is moved on to the index's newest commit, or it would go on
        // answering from the segments it opened with.
        if open.reload().is_ok() {
            send(IndexState::Ready);
            return;
        }
    }
    if searcher.is_none()
        && build::is_fresh(&config.corpus, &config.index)
        && let Ok(opened) = Searcher::open(&config.index)
    {
        *searcher = Some(opened);
        send(IndexState::Ready);
        return;
    }
    let tracker = Tracker::new(send, !build::has_manifest(&config.index));
    let built = Corpus::load_with(&config.corpus, &tracker)
        .and_then(|corpus| build::update_with(&corpus, &config.index, false, &tracker));
    match built.and_then(|_| Searcher::open(&config.index)) {
        Ok(opened) => {
            *searcher = Some(opened);
            send(IndexState::Ready);
        }
        // An index that could not be refreshed may still answer as it was.
        Err(e) => match searcher {
            Some(_) => send(IndexState::Ready),
            None => match Searcher::open(&config.index) {
                Ok(opened) if matches!(e, Error::Index { .. }) => {
                    *searcher = Some(opened);
                    send(IndexState::Ready);
                }
                _ => send(IndexState::Failed(e.to_string())),
            },
        },
    }
}

/// Run the worker until the UI hangs up: first the index, then searches and evidence
/// questions (only the newest waiting one of each: fast typing never queues stale ones) and
/// refreshes as they come.
pub fn run(config: Config, jobs: Receiver<Job>, reports: Sender<Report>) {
    let send = |state: IndexState| {
        let _ = reports.send(Report::Index(state));
    };
    let mut searcher: Option<Searcher> = None;
    // The codings of the last snapshot, grouped by source once: the UI sends the same
    // snapshot with every search until a write or a reload makes a new one.
    let mut grouped: Option<IndexedCodings> = None;
    refresh(&config, &mut searcher, &send);
    let mut failed = searcher.is_none();
    while let Ok(first) = jobs.recv() {
        let mut newest_search = None;
        let mut newest_evidence = None;
        let mut refresh_asked = false;
        for job in std::iter::once(first).chain(jobs.try_iter()) {
            match job {
                Job::Refresh => refresh_asked = true,
                search @ Job::Search { .. } => newest_search = Some(search),
                evidence @ Job::Evidence { .. } => newest_evidence = Some(evidence),
            }
        }
        if refresh_asked || failed {
            refresh(&config, &mut searcher, &send);
            failed = searcher.is_none();
        }
        if let Some(Job::Search {
            generation,
            request,
            codings,
            codebook,
        }) = newest_search
        {
            if !grouped.as_ref().is_some_and(|g| g.is_of(&codings)) {
                grouped = Some(IndexedCodings::new(codings.clone()));
            }
            let indexed = grouped.as_ref().expect("just set");
            let result = answer(&config, &mut searcher, &send, &reports, |s| {
                s.search_indexed(&request, indexed, &codebook)
            });
            if reports.send(Report::Searched(generation, result)).is_err() {
                break;
            }
        }
        if let Some(Job::Evidence {
            generation,
            claim,
            quotes_first,
            limit,
            codings,
            codebook,
        }) = newest_evidence
        {
            let result = answer(&config, &mut searcher, &send, &reports, |s| {
                crate::suggest::evidence::find(s, &codings, &codebook, &claim, quotes_first, limit)
            });
            if reports.send(Report::Evidence(generation, result)).is_err() {
                break;
            }
        }
    }
}

/// `ask` of the searcher. A damaged file found on the way: the index is rebuilt (the UI
/// shows the build) and asked again, as on the command line.
fn answer<T>(
    config: &Config,
    searcher: &mut Option<Searcher>,
    send: &(dyn Fn(IndexState) + Sync),
    reports: &Sender<Report>,
    ask: impl Fn(&Searcher) -> crate::error::Result<T>,
) -> std::result::Result<T, String> {
    use crate::tui::i18n::{Lang, query};
    let lang = Lang::from_config(&config.language);
    let Some(s) = searcher else {
        return Err(query::no_index(lang).to_string());
    };
    let tracker = Tracker::new(send, true);
    let result = workspace::search_healing(config, s, &tracker, ask);
    if tracker.reported() {
        send(IndexState::Ready);
    }
    match result {
        Ok((found, healed)) => {
            if let Some(reason) = healed {
                let _ = reports.send(Report::Healed(reason));
            }
            Ok(found)
        }
        Err(e) => Err(query::failure(lang, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_runs_through_the_stages_in_order() {
        assert_eq!(Tracker::percent(Stage::ReadingCorpus, 0, 10), 0);
        assert_eq!(Tracker::percent(Stage::ReadingCorpus, 10, 10), 10);
        assert_eq!(Tracker::percent(Stage::Indexing, 0, 200), 10);
        assert_eq!(Tracker::percent(Stage::Indexing, 100, 200), 52);
        assert_eq!(Tracker::percent(Stage::Indexing, 200, 200), 95);
        assert_eq!(Tracker::percent(Stage::Committing, 0, 0), 95);
        assert_eq!(Tracker::percent(Stage::Indexing, 5, 0), 10);
    }

    #[test]
    fn one_message_per_percent() {
        let sent = Mutex::new(Vec::new());
        let send = |s: IndexState| sent.lock().unwrap().push(s);
        let tracker = Tracker {
            send: &send,
            building: true,
            stage: Mutex::new((Stage::ReadingCorpus, 0)),
            done: AtomicU64::new(0),
            last_percent: AtomicU64::new(u64::MAX),
        };
        tracker.stage(Stage::Indexing, 10_000);
        for _ in 0..10_000 {
            tracker.advance(1);
        }
        let sent = sent.into_inner().unwrap();
        // 10 % at the start, then 11 … 95.
        assert_eq!(sent.len(), 86);
        assert_eq!(
            sent.last(),
            Some(&IndexState::Working {
                building: true,
                percent: 95
            })
        );
    }
}
