//! Changes on disk under a running workspace — another visgraat, `git pull`, a person editing
//! a source in their editor — are read back in here, so the workspace never acts on a stale
//! copy: sources included, codings re-anchored against the text as it is now.

use std::path::Path;

use crate::coding::CodingSet;
use crate::coding::anchor;
use crate::corpus::Corpus;
use crate::corpus::cases::Cases;
use crate::corpus::codebook::Codebook;
use crate::error::Error;

use super::Workspace;

/// Fingerprints of what other processes may change: the project's own files (code book,
/// cases, memos, codings) and the sources. Taken without reading any file, so a poller can
/// take them often and off the UI thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamps {
    /// [`disk_stamp`]: moves with every write by visgraat (a rename), here or elsewhere.
    pub project: u64,
    /// [`codings_files_stamp`]: moves also with a hand edit of a codings file in place.
    pub codings_files: u64,
    pub sources: u64,
}

impl Stamps {
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
fn project_files(corpus_root: &Path) -> [std::path::PathBuf; 4] {
    [
        corpus_root.join("codebook.toml"),
        corpus_root.join("cases.toml"),
        crate::coding::memos::path(corpus_root),
        crate::coding::framework::path(corpus_root),
    ]
}

/// A fingerprint of the files visgraat writes under a running TUI — the code book, the
/// cases, the memos, the framework and every codings file — from the project files' stats
/// and the codings directories' entries (name and inode, as `readdir` gives them: no stat per
/// file). Every visgraat write, here or in another process, replaces a file by a rename,
/// which gives its name a new inode; so this moves with every write however close in time,
/// at a cost that grows with the number of coders, not of files. Taken before and after
/// each own write on the UI thread (`tui::commands`).
pub fn disk_stamp(corpus_root: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    use std::os::unix::fs::{DirEntryExt, MetadataExt};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for path in project_files(corpus_root) {
        path.hash(&mut hasher);
        if let Ok(meta) = std::fs::metadata(&path) {
            (meta.ino(), meta.len(), meta.mtime(), meta.mtime_nsec()).hash(&mut hasher);
        }
    }
    let codings = crate::coding::codings_dir(corpus_root);
    // Summed, not sorted: the same entries give the same stamp in any order readdir lists
    // them, without comparing thousands of paths.
    let mut entries: u64 = 0;
    let mut dirs = vec![codings.clone()];
    while let Some(dir) = dirs.pop() {
        let Ok(listing) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut of_dir = std::collections::hash_map::DefaultHasher::new();
        dir.hash(&mut of_dir);
        let dir_seed = of_dir.finish();
        for entry in listing.flatten() {
            // Only one level of coders (so a link back up cannot loop); the entry's type
            // comes with readdir, only a link needs a stat to follow.
            if dir == codings {
                let is_dir = match entry.file_type() {
                    Ok(t) if t.is_symlink() => entry.path().is_dir(),
                    Ok(t) => t.is_dir(),
                    Err(_) => false,
                };
                if is_dir {
                    dirs.push(entry.path());
                }
            }
            let mut one = std::collections::hash_map::DefaultHasher::new();
            (dir_seed, entry.file_name(), entry.ino()).hash(&mut one);
            entries = entries.wrapping_add(one.finish());
        }
    }
    entries.hash(&mut hasher);
    hasher.finish()
}

/// A fingerprint of every codings file's own stamp (path, size, modification time: a stat
/// per file): what a hand edit in place moves. Only the disk poller takes it, off the UI
/// thread.
pub fn codings_files_stamp(corpus_root: &Path) -> u64 {
    files_stamp(&crate::coding::codings_dir(corpus_root), "toml", false)
}

/// A fingerprint of the source files: path, size and modification time of each, and the
/// directories' times (a rename or removal changes those even when no file's own stamp does).
pub fn sources_stamp(corpus_root: &Path) -> u64 {
    files_stamp(&corpus_root.join("sources"), "md", true)
}

/// Path, size and modification time of every `ext` file under `dir` (in path order, as the
/// walk gives them), and with `dir_time` the time of `dir` itself.
fn files_stamp(dir: &Path, ext: &str, dir_time: bool) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut files = Vec::new();
    let mut problems = Vec::new();
    crate::corpus::collect_files(dir, ext, &mut files, &mut problems);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    if dir_time {
        std::fs::metadata(dir)
            .and_then(|m| m.modified())
            .ok()
            .hash(&mut hasher);
    }
    for path in files {
        path.hash(&mut hasher);
        if let Ok(meta) = std::fs::metadata(&path) {
            meta.len().hash(&mut hasher);
            meta.modified().ok().hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// What a reload found.
#[derive(Debug, Default)]
pub struct Reloaded {
    /// The sources were read again (some changed, came or went).
    pub sources: bool,
    /// Codings whose text moved and that were put back on it, or flagged for review.
    pub healed: usize,
    /// The first problem found, if any (all are in `Workspace::problems`).
    pub first_problem: Option<String>,
}

impl Workspace {
    /// Read back whatever changed on disk. With `sources`, the sources too: then every
    /// coding is re-anchored against the text as it is now, and what that finds is written
    /// (as opening a workspace does), so no later write starts from offsets into old text.
    pub fn reload(&mut self, sources: bool) -> Reloaded {
        if !sources {
            let first_problem = self.reload_project_files().first().map(|e| e.to_string());
            return Reloaded {
                first_problem,
                ..Reloaded::default()
            };
        }
        let corpus = match Corpus::load(&self.config.corpus) {
            Ok(c) => c,
            Err(e) => {
                return Reloaded {
                    first_problem: Some(e.to_string()),
                    ..Reloaded::default()
                };
            }
        };
        let mut corpus = corpus;
        self.problems = std::mem::take(&mut corpus.problems);
        self.corpus_problems = self.problems.len();
        self.corpus = corpus;
        let (mut codings, problems) = CodingSet::load(&self.config.corpus);
        self.problems.extend(problems);
        let healed = anchor::heal(&self.corpus, &mut codings);
        self.codings = codings;
        self.sources_read += 1;
        let moved = healed.iter().filter(|h| h.changed).count();
        self.healed = healed;
        if let Err(e) = self.write_healing(false) {
            self.problems.push(e);
        }
        Reloaded {
            sources: true,
            healed: moved,
            first_problem: self.problems.first().map(|e| e.to_string()),
        }
    }

    /// Read the code book, the cases, the memos and the codings again (after an edit of
    /// their files, here or elsewhere). Returns the problems found on the way.
    pub fn reload_project_files(&mut self) -> Vec<Error> {
        let root = self.corpus.root.clone();
        let mut found = Vec::new();
        let (book, problems) = Codebook::load(&root.join("codebook.toml"));
        self.corpus.codebook = book;
        found.extend(problems);
        let cases_path = root.join("cases.toml");
        if cases_path.exists() {
            match Cases::load(&cases_path) {
                Ok(c) => self.corpus.cases = c,
                Err(e) => found.push(e),
            }
        }
        match crate::coding::memos::load(&root) {
            Ok(m) => self.corpus.memos = m,
            Err(e) => found.push(e),
        }
        self.reload_codings();
        found
    }
}
