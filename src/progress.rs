//! Progress of long work, and stopping it. The library says what it is doing and how far it
//! has come through a [`Progress`]; the CLI draws that as a bar on a terminal
//! (`cli::progress`), the TUI in its status line, and scripts and tests see nothing
//! ([`Silent`]). Long loops also ask whether the user pressed Ctrl-C, and stop between two
//! units of work, before anything is written: the index is derived (an interrupted build is
//! rebuilt next time) and every other file is written atomically at the end.

use std::sync::Arc;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// One stage of a long piece of work: what the user is told is happening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and parsing the corpus's source files.
    ReadingCorpus,
    /// Putting sources into the index.
    Indexing,
    /// Writing the index to disk and merging its segments (no count known).
    Committing,
    /// Another visgraat process is writing the index; this one waits for it.
    WaitingForIndex,
    /// Importing transcripts.
    Importing,
    /// Gathering what an export writes.
    Exporting,
    /// Writing a synthetic corpus.
    Generating,
    /// Comparing coders, source by source.
    Comparing,
}

impl Stage {
    /// What is happening, for the command line (English, like all CLI output).
    pub fn describe(self) -> &'static str {
        match self {
            Stage::ReadingCorpus => "reading the corpus",
            Stage::Indexing => "indexing",
            Stage::Committing => "writing the index",
            Stage::WaitingForIndex => "waiting for another visgraat process to finish the index",
            Stage::Importing => "importing",
            Stage::Exporting => "exporting",
            Stage::Generating => "generating",
            Stage::Comparing => "comparing coders",
        }
    }

    /// What is counted.
    pub fn unit(self) -> &'static str {
        match self {
            Stage::ReadingCorpus | Stage::Importing | Stage::Generating => "files",
            Stage::Indexing | Stage::Comparing | Stage::Exporting => "sources",
            Stage::Committing | Stage::WaitingForIndex => "",
        }
    }
}

/// Where long work reports how far it is. Implementations must be cheap to call once per
/// unit of work (a source, a file): the CLI's bar redraws at most a few times a second.
pub trait Progress: Sync {
    /// A new stage begins with `total` units of work (0: not known).
    fn stage(&self, stage: Stage, total: u64);
    /// `units` more are done.
    fn advance(&self, units: u64);
    /// Whether the user asked to stop.
    fn cancelled(&self) -> bool {
        interrupted()
    }
}

/// Reports nowhere, and stops only on Ctrl-C.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: Stage, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// `Err(Error::Interrupted)` once the user asked to stop: long loops call it between units.
pub fn check(progress: &dyn Progress) -> Result<()> {
    if progress.cancelled() {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

static INTERRUPTED: LazyLock<Arc<AtomicBool>> = LazyLock::new(|| Arc::new(AtomicBool::new(false)));

/// Whether Ctrl-C was pressed since [`stop_on_ctrl_c`] was called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Make Ctrl-C (SIGINT) ask long work to stop at its next check instead of killing the
/// process mid-write; a second Ctrl-C ends the process at once (exit 130), as users expect
/// of a command that does not stop quickly enough. (The TUI reads Ctrl-C as a key in raw
/// mode, so this is for the command line.)
pub fn stop_on_ctrl_c() {
    let flag = INTERRUPTED.clone();
    // Registering fails only for signals that cannot be caught; SIGINT can.
    let _ = signal_hook::flag::register_conditional_shutdown(
        signal_hook::consts::SIGINT,
        130,
        flag.clone(),
    );
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, flag);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    struct Cancelled;
    impl Progress for Cancelled {
        fn stage(&self, _: Stage, _: u64) {}
        fn advance(&self, _: u64) {}
        fn cancelled(&self) -> bool {
            true
        }
    }

    struct Counting(AtomicU64);
    impl Progress for Counting {
        fn stage(&self, _: Stage, _: u64) {}
        fn advance(&self, n: u64) {
            self.0.fetch_add(n, Ordering::Relaxed);
        }
    }

    #[test]
    fn check_stops_only_when_cancelled() {
        assert!(check(&Silent).is_ok());
        assert!(matches!(check(&Cancelled), Err(Error::Interrupted)));
        let counting = Counting(AtomicU64::new(0));
        counting.advance(3);
        counting.advance(4);
        assert_eq!(counting.0.load(Ordering::Relaxed), 7);
    }

    #[test]
    fn every_stage_says_what_it_is() {
        for stage in [
            Stage::ReadingCorpus,
            Stage::Indexing,
            Stage::Committing,
            Stage::WaitingForIndex,
            Stage::Importing,
            Stage::Exporting,
            Stage::Generating,
            Stage::Comparing,
        ] {
            assert!(!stage.describe().is_empty());
        }
    }
}
