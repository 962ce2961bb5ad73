//! Whether the index is still in step with the corpus files, told from stamps (size and
//! modification time) without reading the files. Two steps, because they cost very
//! differently: the directories' stamps (a stat per directory, a dozen at most) change with
//! every file added, removed or renamed — and so with every visgraat write, which is a
//! rename; only a hand edit in place moves no directory's time, and the files' own stamps
//! (a stat per file) catch that. A search answers beside the second step (see
//! `workspace::search_fresh`), so it costs no time on two cores.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::error::Result;

const FILE: &str = "visgraat-stamps";
const HEADER: &str = "visgraat-stamps 1";

/// A file's size and modification time (nanoseconds since the epoch).
pub type Stamp = (u64, i128);

/// The stamps of the files under some directories of a project, by path relative to it:
/// every directory walked with its time, every file read from them with its stamp.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TreeStamps {
    /// Every directory walked (the trees and their subdirectories) and its time, by path.
    dirs: Vec<(String, i128)>,
    /// The files read from the trees, and the single files named, by path. Sorted vectors,
    /// not maps: thousands of entries are compared on every search.
    files: Vec<(String, Stamp)>,
}

/// What to stamp: directory trees, each with the extension of the files read from it
/// (links followed, loops cut), and single files beside them whose directory holds other
/// files too (so its time says nothing about them).
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub trees: &'static [(&'static str, &'static str)],
    pub single: &'static [&'static str],
}

/// The stamp of a file as its metadata gives it.
pub fn stamp_of(meta: &std::fs::Metadata) -> Stamp {
    (meta.len(), mtime(meta))
}

fn mtime(meta: &std::fs::Metadata) -> i128 {
    i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec())
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

impl TreeStamps {
    /// Stamp every file of `layout` under `root`: a stat per file and directory.
    pub fn take(root: &Path, layout: Layout) -> TreeStamps {
        let mut stamps = TreeStamps::default();
        for name in layout.single {
            if let Ok(meta) = std::fs::metadata(root.join(name)) {
                stamps
                    .files
                    .push(((*name).to_string(), (meta.len(), mtime(&meta))));
            }
        }
        for (tree, ext) in layout.trees {
            let mut seen = std::collections::HashSet::new();
            stamps.walk(root, &root.join(tree), ext, &mut seen);
        }
        stamps.sort();
        stamps
    }

    fn sort(&mut self) {
        self.dirs.sort_unstable();
        self.files.sort_unstable();
    }

    fn walk(
        &mut self,
        root: &Path,
        dir: &Path,
        ext: &str,
        seen: &mut std::collections::HashSet<(u64, u64)>,
    ) {
        let Ok(meta) = std::fs::metadata(dir) else {
            return;
        };
        if !seen.insert((meta.dev(), meta.ino())) {
            return;
        }
        self.dirs.push((rel(root, dir), mtime(&meta)));
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        for (path, meta) in stat_all(entries) {
            let Ok(meta) = meta else {
                continue;
            };
            if meta.is_dir() {
                self.walk(root, &path, ext, seen);
            } else if path.extension().is_some_and(|e| e == ext) {
                self.files
                    .push((rel(root, &path), (meta.len(), mtime(&meta))));
            }
        }
    }

    /// True when no directory and no single file changed since these stamps were taken: no
    /// file came, went or was renamed, and visgraat wrote nothing. A stat per directory.
    pub fn dirs_match(&self, root: &Path, layout: Layout) -> bool {
        let dirs_same = self.dirs.iter().all(|(path, time)| {
            std::fs::metadata(root.join(path)).is_ok_and(|m| mtime(&m) == *time)
        });
        // A tree that did not exist then and does now is a change too.
        let trees_same = layout
            .trees
            .iter()
            .all(|(tree, _)| self.dir(tree).is_some() || !root.join(tree).exists());
        let singles_same = layout.single.iter().all(|name| {
            let now = std::fs::metadata(root.join(name))
                .ok()
                .map(|m| (m.len(), mtime(&m)));
            now == self.file(name)
        });
        dirs_same && trees_same && singles_same
    }

    /// True when every file still has the stamp it had: also a hand edit in place is seen.
    /// A stat per file.
    pub fn files_match(&self, root: &Path, layout: Layout) -> bool {
        *self == TreeStamps::take(root, layout)
    }

    /// A fingerprint of every file's stamp (not the directories'): equal for two stamps
    /// exactly when [`TreeStamps::files_match`] would hold between them. A watcher that keeps
    /// its stamps current answers with it (`index::watcher`).
    pub fn files_digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.files.hash(&mut hasher);
        hasher.finish()
    }

    /// Set (Some) or remove (None) the stamp of one file, by path relative to the root.
    pub fn set_file(&mut self, rel: &str, stamp: Option<Stamp>) {
        match (
            self.files.binary_search_by(|(p, _)| p.as_str().cmp(rel)),
            stamp,
        ) {
            (Ok(at), Some(stamp)) => self.files[at].1 = stamp,
            (Ok(at), None) => {
                self.files.remove(at);
            }
            (Err(at), Some(stamp)) => self.files.insert(at, (rel.to_string(), stamp)),
            (Err(_), None) => {}
        }
    }

    /// Remove the stamps of every file at or under `rel` (a directory that went away).
    pub fn remove_under(&mut self, rel: &str) {
        let rel = Path::new(rel);
        self.files.retain(|(p, _)| !Path::new(p).starts_with(rel));
        self.dirs.retain(|(p, _)| !Path::new(p).starts_with(rel));
    }

    /// The stamp of one file (path relative to the root), if it was stamped.
    pub fn file(&self, rel: &str) -> Option<Stamp> {
        let at = self
            .files
            .binary_search_by(|(p, _)| p.as_str().cmp(rel))
            .ok()?;
        Some(self.files[at].1)
    }

    fn dir(&self, rel: &str) -> Option<i128> {
        let at = self
            .dirs
            .binary_search_by(|(p, _)| p.as_str().cmp(rel))
            .ok()?;
        Some(self.dirs[at].1)
    }

    /// The stamps as lines (`d TIME PATH`, `f LEN TIME PATH`), for a file of their own.
    pub fn write_lines(&self, out: &mut String) {
        use std::fmt::Write;
        for (path, time) in &self.dirs {
            let _ = writeln!(out, "d {time} {path}");
        }
        for (path, (len, time)) in &self.files {
            let _ = writeln!(out, "f {len} {time} {path}");
        }
    }

    /// After the last [`TreeStamps::read_line`]: order the stamps for lookup and comparison
    /// (a file written by `write_lines` is in order already; one edited by hand may not be).
    pub fn finish_reading(&mut self) {
        self.sort();
    }

    /// Read one line of [`TreeStamps::write_lines`]: Some(false) when it is no stamp line,
    /// None when it is a garbled one.
    pub fn read_line(&mut self, line: &str) -> Option<bool> {
        let Some((kind, rest)) = line.split_once(' ') else {
            return Some(false);
        };
        match kind {
            "d" => {
                let (time, path) = rest.split_once(' ')?;
                self.dirs.push((path.to_string(), time.parse().ok()?));
            }
            "f" => {
                let mut parts = rest.splitn(3, ' ');
                let len = parts.next()?.parse().ok()?;
                let time = parts.next()?.parse().ok()?;
                self.files.push((parts.next()?.to_string(), (len, time)));
            }
            _ => return Some(false),
        }
        Some(true)
    }
}

/// Above this many entries a directory's entries are stat'ed on two threads: the stats are
/// kernel work that two cores do in half the time, and a search waits for them.
const PARALLEL_STATS_FROM: usize = 512;

/// Each entry's path and stat. The entry's own stat needs no walk of the path from the root;
/// only a link is followed.
fn stat_all(entries: Vec<std::fs::DirEntry>) -> Vec<(PathBuf, std::io::Result<std::fs::Metadata>)> {
    let stat = |entries: &[std::fs::DirEntry]| -> Vec<_> {
        entries
            .iter()
            .map(|entry| {
                let path = entry.path();
                let meta = match entry.file_type() {
                    Ok(t) if t.is_symlink() => std::fs::metadata(&path),
                    _ => entry.metadata(),
                };
                (path, meta)
            })
            .collect()
    };
    if entries.len() < PARALLEL_STATS_FROM {
        return stat(&entries);
    }
    let (first, second) = entries.split_at(entries.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| stat(second));
        let mut all = stat(first);
        // A thread that cannot be joined stat'ed nothing: its files count as gone, which
        // only ever makes the index look stale.
        all.extend(other.join().unwrap_or_default());
        all
    })
}

/// The corpus files the index is built from: the sources, the quotes, and the code book,
/// memos and cases (whose directory holds the codings and more).
pub const CORPUS: Layout = Layout {
    trees: &[("sources", "md"), ("quotes", "toml")],
    single: &["codebook.toml", "memos.toml", "cases.toml"],
};

/// The codings files, whose coded spans are kept beside the index (`coding::span_cache`).
pub const CODINGS: Layout = Layout {
    trees: &[("codings", "toml")],
    single: &[],
};

/// The stamps of the corpus files the index is built from, kept beside the index.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CorpusStamps {
    /// The schema and analysis the index was built with (`schema::fingerprint`).
    pub fingerprint: String,
    stamps: TreeStamps,
}

impl CorpusStamps {
    /// Stamp every corpus file the index depends on: the walk the corpus loader makes.
    pub fn take(root: &Path, fingerprint: &str) -> CorpusStamps {
        CorpusStamps {
            fingerprint: fingerprint.to_string(),
            stamps: TreeStamps::take(root, CORPUS),
        }
    }

    /// See [`TreeStamps::dirs_match`]: a dozen stats.
    pub fn dirs_match(&self, root: &Path) -> bool {
        self.stamps.dirs_match(root, CORPUS)
    }

    /// See [`TreeStamps::files_match`]: a stat per file.
    pub fn files_match(&self, root: &Path) -> bool {
        self.stamps.files_match(root, CORPUS)
    }

    /// The stamp of one file (path relative to the corpus), if it was stamped.
    pub fn file(&self, rel: &str) -> Option<Stamp> {
        self.stamps.file(rel)
    }

    /// See [`TreeStamps::files_digest`].
    pub fn files_digest(&self) -> u64 {
        self.stamps.files_digest()
    }

    /// Read the stamps kept beside the index; None when there are none or they are garbled
    /// (the index is then refreshed, which writes them anew).
    pub fn load(index_dir: &Path) -> Option<CorpusStamps> {
        let text = std::fs::read_to_string(index_dir.join(FILE)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut stamps = CorpusStamps {
            fingerprint: lines.next()?.strip_prefix("fingerprint ")?.to_string(),
            ..CorpusStamps::default()
        };
        for line in lines {
            if !stamps.stamps.read_line(line)? {
                return None;
            }
        }
        stamps.stamps.finish_reading();
        Some(stamps)
    }

    /// Keep the stamps beside the index (atomically: a reader sees the old or the new ones).
    pub fn save(&self, index_dir: &Path) -> Result<()> {
        let mut text = format!("{HEADER}\nfingerprint {}\n", self.fingerprint);
        self.stamps.write_lines(&mut text);
        if std::fs::read_to_string(index_dir.join(FILE))
            .ok()
            .as_deref()
            == Some(text.as_str())
        {
            return Ok(());
        }
        crate::atomic::write(&index_dir.join(FILE), text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sources/transcript")).unwrap();
        std::fs::create_dir_all(dir.path().join("quotes")).unwrap();
        std::fs::write(dir.path().join("sources/transcript/a.md"), "een").unwrap();
        std::fs::write(dir.path().join("quotes/a.toml"), "").unwrap();
        std::fs::write(dir.path().join("codebook.toml"), "").unwrap();
        dir
    }

    #[test]
    fn stamps_round_trip_through_their_file() {
        let dir = corpus();
        let stamps = CorpusStamps::take(dir.path(), "fp");
        stamps.save(dir.path()).unwrap();
        assert_eq!(CorpusStamps::load(dir.path()), Some(stamps));
    }

    #[test]
    fn a_new_file_moves_its_directory_and_an_edit_in_place_only_itself() {
        let dir = corpus();
        let stamps = CorpusStamps::take(dir.path(), "fp");
        assert!(stamps.dirs_match(dir.path()) && stamps.files_match(dir.path()));
        std::fs::write(dir.path().join("sources/transcript/b.md"), "twee").unwrap();
        assert!(!stamps.dirs_match(dir.path()));

        let stamps = CorpusStamps::take(dir.path(), "fp");
        // An edit in place with a different size (a same-size edit within the same clock
        // tick is the one thing stamps cannot see, as for make and git).
        std::fs::write(dir.path().join("sources/transcript/a.md"), "een en nog wat").unwrap();
        assert!(stamps.dirs_match(dir.path()));
        assert!(!stamps.files_match(dir.path()));
    }

    #[test]
    fn a_new_project_file_is_a_change() {
        let dir = corpus();
        let stamps = CorpusStamps::take(dir.path(), "fp");
        std::fs::write(dir.path().join("cases.toml"), "").unwrap();
        assert!(!stamps.dirs_match(dir.path()));
    }
}
