//! Whether a search should start a `visgraat watch` (`cli::search`), from two files beside
//! the index:
//!
//! - the watcher's lock, which a watcher takes before its first walk and holds until it
//!   ends: a second watcher stops at once instead of walking the corpus to find the socket
//!   taken, and a search that finds the lock held starts none (one is starting);
//! - the note a watcher leaves when it cannot watch (inotify's limits, most often): for an
//!   hour after, searches start none, instead of each spawning one that walks and fails.
//!   A watcher that starts removes it; a rebuild of the index does too.

use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

/// Held by the project's watcher for its whole life. Kept by a rebuild (`build::create_fresh`).
pub const LOCK_FILE: &str = ".visgraat-watch-lock";
/// Why the last watcher could not watch.
const FAILED_FILE: &str = "visgraat-watch-failed";
/// How long after a watcher could not watch searches start none.
const RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

/// The watcher's lock on a project, held while it lives.
#[derive(Debug)]
pub struct WatchClaim {
    _file: File,
}

fn open_lock(index_dir: &Path) -> std::io::Result<File> {
    std::fs::create_dir_all(index_dir)?;
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(index_dir.join(LOCK_FILE))
}

/// Take the watcher's lock of the project whose index is at `index_dir`: None when another
/// watcher holds it.
pub fn claim(index_dir: &Path) -> Result<Option<WatchClaim>> {
    let file = open_lock(index_dir).map_err(|e| Error::io(index_dir.join(LOCK_FILE), e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(WatchClaim { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(Error::io(index_dir.join(LOCK_FILE), e)),
    }
}

/// True when a watcher runs or is starting for the project (it holds the lock).
pub fn held(index_dir: &Path) -> bool {
    open_lock(index_dir).is_ok_and(|file| matches!(file.try_lock(), Err(TryLockError::WouldBlock)))
}

/// Note that a watcher could not watch, and why (`visgraat check` says so). Best effort:
/// without the note, searches only try again sooner.
pub fn note_failure(index_dir: &Path, reason: &str) {
    let _ = crate::atomic::write(
        &index_dir.join(FAILED_FILE),
        format!("{reason}\n").as_bytes(),
    );
}

/// A watcher started: searches may start one again after it ends.
pub fn clear_failure(index_dir: &Path) {
    let _ = std::fs::remove_file(index_dir.join(FAILED_FILE));
}

/// Why a watcher could not watch, if one failed within the last hour (`now`).
pub fn recent_failure(index_dir: &Path, now: SystemTime) -> Option<String> {
    let path = index_dir.join(FAILED_FILE);
    let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    // A note from the future (a clock set back) counts as recent, up to the hour.
    let age = now.duration_since(written).unwrap_or_default();
    (age < RETRY_AFTER).then(|| {
        std::fs::read_to_string(&path)
            .map(|reason| reason.trim().to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_claim_at_a_time_and_held_while_it_lives() {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        assert!(!held(&index), "nothing holds it yet");
        let first = claim(&index).unwrap().expect("the first claim");
        assert!(
            claim(&index).unwrap().is_none(),
            "a second one waits its turn"
        );
        assert!(held(&index));
        drop(first);
        assert!(!held(&index), "let go with the watcher");
        assert!(claim(&index).unwrap().is_some());
    }

    #[test]
    fn a_failure_holds_searches_back_for_an_hour() {
        let tmp = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        assert_eq!(recent_failure(tmp.path(), now), None);
        note_failure(tmp.path(), "inotify: no space left on device");
        assert_eq!(
            recent_failure(tmp.path(), now).as_deref(),
            Some("inotify: no space left on device")
        );
        let later = now + RETRY_AFTER + Duration::from_secs(1);
        assert_eq!(recent_failure(tmp.path(), later), None, "tried again");
        clear_failure(tmp.path());
        assert_eq!(recent_failure(tmp.path(), now), None);
    }
}
