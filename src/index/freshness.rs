//! Whether the index is still in step with the corpus files, told from stamps (size and
//! modification time) without reading the files. Two steps, because they cost very
//! differently: the directories' stamps (a stat per directory, a dozen at most) change with
//! every file added, removed or renamed — and so with every visgraat write, which is a
//! rename; only a hand edit in place moves no directory's time, and the files' own stamps
//! (a stat per file) catch that. A search answers beside the second step (see
//! `workspace::search_fresh`), so it costs no time on two cores.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::file_walk::{FileHash, Seen, joined, walk};
use crate::error::Result;

pub use super::file_walk::files_digest_now;

const FILE: &str = "visgraat-stamps";
const HEADER: &str = "visgraat-stamps 3";

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

pub(super) fn mtime(meta: &std::fs::Metadata) -> i128 {
    i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec())
}

pub(super) fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

impl TreeStamps {
    /// Stamp every file of `layout` under `root`: a stat per file and directory.
    pub fn take(root: &Path, layout: Layout) -> TreeStamps {
        let mut stamps = TreeStamps::default();
        walk(root, layout, true, &mut |seen| match seen {
            Seen::Dir(path, time) => stamps.dirs.push((path.to_string(), time)),
            Seen::File(dir, name, stamp) => stamps.files.push((joined(dir, name), stamp)),
        });
        stamps.sort();
        stamps
    }

    fn sort(&mut self) {
        self.dirs.sort_unstable();
        self.files.sort_unstable();
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
    /// A stat per file (see [`files_digest_now`]); the directories are
    /// [`TreeStamps::dirs_match`]'s to compare.
    pub fn files_match(&self, root: &Path, layout: Layout) -> bool {
        files_digest_now(root, layout) == self.files_digest()
    }

    /// A fingerprint of every file's stamp (not the directories'): equal for two stamps
    /// exactly when they hold the same files with the same stamps (but for a 64-bit
    /// collision). A watcher that keeps its stamps current answers with it (`index::watcher`),
    /// and the stamps files keep it in their header. The sum of a hash per file
    /// ([`FileHash`]), so that a walk can add the files up in the order the directories list
    /// them.
    pub fn files_digest(&self) -> u64 {
        self.files.iter().fold(0u64, |sum, (path, stamp)| {
            let mut hash = FileHash::default();
            hash.eat(path.as_bytes());
            sum.wrapping_add(hash.finish(*stamp))
        })
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

    /// The stamps as lines, for a file of their own: the directories (`d TIME PATH`), the
    /// single files beside the trees (`s LEN TIME PATH`: a path without a directory), then
    /// the files of the trees (`f LEN TIME PATH`) — so that what [`TreeStamps::dirs_match`]
    /// needs comes first and the rest can be left unread.
    pub fn write_lines(&self, out: &mut String) {
        use std::fmt::Write;
        self.write_dir_lines(out);
        let single = |path: &str| !path.contains('/');
        for (path, (len, time)) in self.files.iter().filter(|(p, _)| single(p)) {
            let _ = writeln!(out, "s {len} {time} {path}");
        }
        for (path, (len, time)) in self.files.iter().filter(|(p, _)| !single(p)) {
            let _ = writeln!(out, "f {len} {time} {path}");
        }
    }

    /// The directories' lines of [`TreeStamps::write_lines`] alone: what
    /// [`TreeStamps::dirs_match`] needs beside a files digest.
    pub fn write_dir_lines(&self, out: &mut String) {
        use std::fmt::Write;
        for (path, time) in &self.dirs {
            let _ = writeln!(out, "d {time} {path}");
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
            "f" | "s" => {
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
///
/// Loaded from its file, only the directories and single files are parsed — all that
/// [`CorpusStamps::dirs_match`] needs, and with the digest from the file's header all that a
/// search beside a watcher needs; the thousands of file lines are parsed when first asked for.
#[derive(Debug, Default, Clone)]
pub struct CorpusStamps {
    /// The schema and analysis the index was built with (`schema::fingerprint`).
    pub fingerprint: String,
    /// The directories and single files.
    head: TreeStamps,
    /// Every stamp (None: the kept lines are garbled): taken, or parsed from `rest`.
    all: std::sync::OnceLock<Option<TreeStamps>>,
    /// The kept lines of the trees' files, not parsed yet.
    rest: String,
    /// Every file's stamp's digest, as the file's header gives it.
    digest: Option<u64>,
}

impl PartialEq for CorpusStamps {
    fn eq(&self, other: &CorpusStamps) -> bool {
        self.fingerprint == other.fingerprint && self.all() == other.all()
    }
}

impl CorpusStamps {
    /// Stamp every corpus file the index depends on: the walk the corpus loader makes.
    pub fn take(root: &Path, fingerprint: &str) -> CorpusStamps {
        let stamps = TreeStamps::take(root, CORPUS);
        CorpusStamps {
            fingerprint: fingerprint.to_string(),
            head: stamps.clone(),
            all: Some(stamps).into(),
            ..CorpusStamps::default()
        }
    }

    /// Every stamp; None when the kept lines are garbled.
    fn all(&self) -> Option<&TreeStamps> {
        self.all
            .get_or_init(|| {
                let mut all = self.head.clone();
                for line in self.rest.lines() {
                    if !all.read_line(line)? {
                        return None;
                    }
                }
                all.finish_reading();
                Some(all)
            })
            .as_ref()
    }

    /// See [`TreeStamps::dirs_match`]: a dozen stats.
    pub fn dirs_match(&self, root: &Path) -> bool {
        self.head.dirs_match(root, CORPUS)
    }

    /// See [`TreeStamps::files_match`]: a stat per file, compared with the digest in the
    /// kept file's header (none of its file lines is parsed).
    pub fn files_match(&self, root: &Path) -> bool {
        files_digest_now(root, CORPUS) == self.files_digest()
    }

    /// The stamp of one file (path relative to the corpus), if it was stamped.
    pub fn file(&self, rel: &str) -> Option<Stamp> {
        self.all()?.file(rel)
    }

    /// How many files are stamped: what a stat per file costs. Counted from the kept lines
    /// without parsing them.
    pub fn file_count(&self) -> usize {
        match self.all.get() {
            Some(Some(all)) => all.files.len(),
            _ => self.head.files.len() + self.rest.lines().count(),
        }
    }

    /// See [`TreeStamps::files_digest`]; from the kept file's header when it has one.
    pub fn files_digest(&self) -> u64 {
        // Garbled lines: a digest no watcher gives, so the stats decide (and fail).
        self.digest
            .unwrap_or_else(|| self.all().map_or(0, TreeStamps::files_digest))
    }

    /// Read the stamps kept beside the index; None when there are none or they are garbled
    /// (the index is then refreshed, which writes them anew).
    pub fn load(index_dir: &Path) -> Option<CorpusStamps> {
        let text = std::fs::read_to_string(index_dir.join(FILE)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let fingerprint = lines.next()?.strip_prefix("fingerprint ")?.to_string();
        let digest = u64::from_str_radix(lines.next()?.strip_prefix("digest ")?, 16).ok()?;
        let mut head = TreeStamps::default();
        let mut rest = "";
        for line in lines {
            if line.starts_with("f ") {
                // The lines from here on, as they are in `text`.
                let at = line.as_ptr() as usize - text.as_ptr() as usize;
                rest = &text[at..];
                break;
            }
            if !head.read_line(line)? {
                return None;
            }
        }
        head.finish_reading();
        Some(CorpusStamps {
            fingerprint,
            head,
            all: std::sync::OnceLock::new(),
            rest: rest.to_string(),
            digest: Some(digest),
        })
    }

    /// Keep the stamps beside the index (atomically: a reader sees the old or the new ones).
    pub fn save(&self, index_dir: &Path) -> Result<()> {
        let Some(all) = self.all() else {
            return Ok(());
        };
        let mut text = format!(
            "{HEADER}\nfingerprint {}\ndigest {:016x}\n",
            self.fingerprint,
            all.files_digest()
        );
        all.write_lines(&mut text);
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
    fn a_loaded_file_is_checked_by_its_digest_without_parsing_its_lines() {
        let dir = corpus();
        let stamps = CorpusStamps::take(dir.path(), "fp");
        stamps.save(dir.path()).unwrap();
        let loaded = CorpusStamps::load(dir.path()).unwrap();
        assert!(
            loaded.all.get().is_none(),
            "the file lines are not parsed yet"
        );
        assert_eq!(loaded.files_digest(), stamps.files_digest());
        assert!(loaded.all.get().is_none(), "nor for the digest");
        assert!(
            loaded.dirs_match(dir.path()),
            "directories and single files suffice"
        );
        assert!(loaded.all.get().is_none());
        assert!(loaded.files_match(dir.path()));
        assert!(loaded.all.get().is_none(), "nor for the stat per file");
        std::fs::write(dir.path().join("sources/transcript/a.md"), "een en twee").unwrap();
        assert!(!loaded.files_match(dir.path()), "an edit in place is seen");
        // A garbled file line: the header still vouches for the files it was written from,
        // but no file has a kept stamp, so a refresh reads every source again.
        std::fs::write(dir.path().join("sources/transcript/a.md"), "een").unwrap();
        let stamps = CorpusStamps::take(dir.path(), "fp");
        stamps.save(dir.path()).unwrap();
        let path = dir.path().join(FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("f ", "f x")).unwrap();
        let garbled = CorpusStamps::load(dir.path()).unwrap();
        assert!(garbled.files_match(dir.path()));
        assert_eq!(garbled.file("sources/transcript/a.md"), None);
    }

    #[test]
    fn the_digest_of_a_walk_is_the_digest_of_the_stamps_it_would_take() {
        let dir = corpus();
        std::fs::create_dir_all(dir.path().join("sources/interview/deeper")).unwrap();
        std::fs::write(dir.path().join("sources/interview/deeper/b.md"), "twee").unwrap();
        std::fs::write(dir.path().join("sources/transcript/c.txt"), "not a source").unwrap();
        std::fs::write(dir.path().join("memos.toml"), "").unwrap();
        // Links are followed, a loop is cut.
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("d.md"), "vier").unwrap();
        std::os::unix::fs::symlink(
            elsewhere.path().join("d.md"),
            dir.path().join("sources/d.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(dir.path().join("sources"), dir.path().join("sources/loop"))
            .unwrap();
        let taken = TreeStamps::take(dir.path(), CORPUS);
        assert_eq!(taken.files.len(), 6, "{:?}", taken.files);
        assert_eq!(files_digest_now(dir.path(), CORPUS), taken.files_digest());
        // Each file counts: without one, or with another stamp, the digest differs.
        let mut fewer = taken.clone();
        fewer.set_file("quotes/a.toml", None);
        assert_ne!(fewer.files_digest(), taken.files_digest());
        let mut other = taken.clone();
        other.set_file("quotes/a.toml", Some((1, 0)));
        assert_ne!(other.files_digest(), taken.files_digest());
        // A renamed file with the same stamp is another digest too.
        let mut renamed = fewer.clone();
        renamed.set_file("quotes/b.toml", taken.file("quotes/a.toml"));
        assert_ne!(renamed.files_digest(), taken.files_digest());
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
