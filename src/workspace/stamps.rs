//! Fingerprints of what other processes may change under a running workspace, taken without
//! reading any file. Each is a sum of one hash per item (a file's stamp, a directory entry),
//! so it does not depend on the order a walk finds them in, and a watcher that hears of one
//! changed file brings it up to date by taking that file's item out and its new one in
//! (`watch.rs`) instead of walking the corpus again.

use std::ffi::OsStr;
use std::hash::{Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Fingerprints of what other processes may change: the project's own files (code book,
/// cases, memos, codings) and the sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamps {
    /// [`disk_stamp`]: moves with every write by visgraat (a rename), here or elsewhere.
    pub project: u64,
    /// [`codings_files_stamp`]: moves also with a hand edit of a codings file in place.
    pub codings_files: u64,
    pub sources: u64,
}

impl Stamps {
    /// Every stamp by walking the files: a stat per source and codings file.
    pub fn take(corpus_root: &Path) -> Stamps {
        Stamps {
            project: disk_stamp(corpus_root),
            codings_files: codings_files_stamp(corpus_root),
            sources: sources_stamp(corpus_root),
        }
    }

    /// True when, from `self` to `now`, a codings file changed in place: its own stamp
    /// moved, no directory entry did (every visgraat write renames, which moves one).
    pub fn edited_in_place(&self, now: &Stamps) -> bool {
        self.project == now.project && self.codings_files != now.codings_files
    }
}

/// The project files beside the corpus that a running TUI holds besides the codings.
pub(super) fn project_files(corpus_root: &Path) -> [PathBuf; 4] {
    [
        corpus_root.join("codebook.toml"),
        corpus_root.join("cases.toml"),
        crate::coding::memos::path(corpus_root),
        crate::coding::framework::path(corpus_root),
    ]
}

fn hash_of(item: impl Hash) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    item.hash(&mut hasher);
    hasher.finish()
}

/// The item of a project file: its inode, size and time, or that it is absent.
pub(super) fn project_item(path: &Path, meta: Option<&std::fs::Metadata>) -> u64 {
    let stamp = meta.map(|m| (m.ino(), m.len(), m.mtime(), m.mtime_nsec()));
    hash_of(("project", path, stamp))
}

/// The item of a directory entry under the codings: its name and inode (as `readdir` gives
/// it, not following a link).
pub(super) fn entry_item(dir: &Path, name: &OsStr, ino: u64) -> u64 {
    hash_of(("entry", dir, name, ino))
}

/// The item of a source or codings file: its path, size and modification time.
pub(super) fn file_item(path: &Path, meta: &std::fs::Metadata) -> u64 {
    hash_of(("file", path, meta.len(), meta.mtime(), meta.mtime_nsec()))
}

/// A fingerprint of the files visgraat writes under a running TUI — the code book, the
/// cases, the memos, the framework and every codings file — from the project files' stats
/// and the codings directories' entries (name and inode, as `readdir` gives them: no stat per
/// file). Every visgraat write, here or in another process, replaces a file by a rename,
/// which gives its name a new inode; so this moves with every write however close in time,
/// at a cost that grows with the number of coders, not of files. Taken before and after
/// each own write on the UI thread (`tui::commands`).
pub fn disk_stamp(corpus_root: &Path) -> u64 {
    let mut sum: u64 = 0;
    for path in project_files(corpus_root) {
        let meta = std::fs::metadata(&path).ok();
        sum = sum.wrapping_add(project_item(&path, meta.as_ref()));
    }
    let codings = crate::coding::codings_dir(corpus_root);
    let mut dirs = vec![codings.clone()];
    while let Some(dir) = dirs.pop() {
        let Ok(listing) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in listing.flatten() {
            // Only one level of coders (so a link back up cannot loop); the entry's type
            // comes with readdir, only a link needs a stat to follow.
            if dir == codings && is_dir(&entry) {
                dirs.push(entry.path());
            }
            use std::os::unix::fs::DirEntryExt;
            sum = sum.wrapping_add(entry_item(&dir, &entry.file_name(), entry.ino()));
        }
    }
    sum
}

fn is_dir(entry: &std::fs::DirEntry) -> bool {
    match entry.file_type() {
        Ok(t) if t.is_symlink() => entry.path().is_dir(),
        Ok(t) => t.is_dir(),
        Err(_) => false,
    }
}

/// A fingerprint of every codings file's own stamp (path, size, modification time: a stat
/// per file): what a hand edit in place moves. Only the disk poller takes it, off the UI
/// thread.
pub fn codings_files_stamp(corpus_root: &Path) -> u64 {
    files_stamp(&crate::coding::codings_dir(corpus_root), "toml")
}

/// A fingerprint of the source files: path, size and modification time of each (a file
/// that comes, goes or is renamed changes the set of paths).
pub fn sources_stamp(corpus_root: &Path) -> u64 {
    files_stamp(&corpus_root.join("sources"), "md")
}

/// The sum of the items of every `ext` file under `dir`, found as the corpus loader finds
/// them (links followed, loops cut).
fn files_stamp(dir: &Path, ext: &str) -> u64 {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    crate::corpus::collect_files(dir, ext, &mut files, &mut problems);
    files
        .iter()
        .filter_map(|path| Some(file_item(path, &std::fs::metadata(path).ok()?)))
        .fold(0, u64::wrapping_add)
}
