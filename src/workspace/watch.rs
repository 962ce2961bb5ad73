//! Watching a project for other processes' changes (inotify), so a running TUI hears of an
//! edit without a stat per file every poll: the kernel names the files that changed, and
//! only those are stat'ed again. The stamps kept here are the same sums `Stamps::take`
//! computes by walking (see `stamps.rs`), so the two can be compared at any time.
//!
//! On a network file system the kernel hears only of this machine's changes, not of other
//! machines' (a colleague's TUI on the same share), so there [`DiskWatch::new`] refuses and
//! the caller polls with `Stamps::take`, as it does where inotify is missing or runs out of
//! watches ([`DiskWatch::next_change`] fails).

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::stamps::{self, Stamps};
use crate::inotify::{Inotify, on_network_file_system};

/// After the first event of a burst, events that follow within this time are taken with it.
const SETTLE: Duration = Duration::from_millis(40);

/// Which tree a file belongs to, and so which stamp it counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tree {
    Sources,
    Codings,
}

pub struct DiskWatch {
    root: PathBuf,
    sources_dir: PathBuf,
    codings_dir: PathBuf,
    project_files: [PathBuf; 4],
    inotify: Inotify,
    /// The project files, and the codings directories' entries (the coders, and their
    /// files): together the `project` stamp.
    project: Counted,
    entries: Counted,
    sources: Counted,
    codings_files: Counted,
}

/// Items by path and their sum: a stamp kept current one item at a time.
#[derive(Default)]
struct Counted {
    items: HashMap<PathBuf, u64>,
    sum: u64,
}

impl Counted {
    /// Count `path` as `item`, or no longer (None).
    fn set(&mut self, path: &Path, item: Option<u64>) {
        let old = match item {
            Some(item) => self.items.insert(path.to_path_buf(), item),
            None => self.items.remove(path),
        };
        self.sum = self
            .sum
            .wrapping_sub(old.unwrap_or(0))
            .wrapping_add(item.unwrap_or(0));
    }

    /// Stop counting every path at or under `path`.
    fn remove_under(&mut self, path: &Path) {
        let sum = &mut self.sum;
        self.items.retain(|p, item| {
            let keep = !p.starts_with(path);
            if !keep {
                *sum = sum.wrapping_sub(*item);
            }
            keep
        });
    }
}

/// What watching could not do; the caller polls instead.
#[derive(Debug)]
pub struct WatchError(pub std::io::Error);

impl DiskWatch {
    /// Watch the project at `corpus_root`: a watch per directory of the sources and the
    /// codings, and one on the project folder for its own files.
    pub fn new(corpus_root: &Path) -> Result<DiskWatch, WatchError> {
        if on_network_file_system(corpus_root) {
            return Err(WatchError(std::io::Error::other(
                "a network file system: other machines' changes are not reported",
            )));
        }
        let inotify = Inotify::new().map_err(WatchError)?;
        let mut watch = DiskWatch {
            root: corpus_root.to_path_buf(),
            sources_dir: corpus_root.join("sources"),
            codings_dir: crate::coding::codings_dir(corpus_root),
            project_files: stamps::project_files(corpus_root),
            inotify,
            project: Counted::default(),
            entries: Counted::default(),
            sources: Counted::default(),
            codings_files: Counted::default(),
        };
        watch.rescan()?;
        Ok(watch)
    }

    /// The stamps as the watch knows them.
    pub fn stamps(&self) -> Stamps {
        Stamps {
            project: self.project.sum.wrapping_add(self.entries.sum),
            codings_files: self.codings_files.sum,
            sources: self.sources.sum,
        }
    }

    /// Wait until something changed on disk (at most `timeout`; None: as long as it takes),
    /// take the burst it came in, and return the stamps after it.
    pub fn next_change(&mut self, timeout: Option<Duration>) -> Result<Stamps, WatchError> {
        let Some(events) = self
            .inotify
            .next_burst(timeout, SETTLE)
            .map_err(WatchError)?
        else {
            return Ok(self.stamps());
        };
        if events.overflow {
            self.rescan()?;
        } else {
            self.apply(events.paths)?;
        }
        Ok(self.stamps())
    }

    /// Stat again what the events named. Paths that are gone are taken out first, so a
    /// directory renamed within the project is forgotten under its old name before it is
    /// watched under its new one (the kernel gives both the same watch).
    fn apply(&mut self, changed: HashSet<PathBuf>) -> Result<(), WatchError> {
        let (gone, present): (Vec<PathBuf>, Vec<PathBuf>) = changed
            .into_iter()
            .partition(|p| std::fs::symlink_metadata(p).is_err());
        for path in gone {
            self.forget(&path);
        }
        for path in present {
            self.refresh(&path)?;
        }
        Ok(())
    }

    /// Forget every item at or under `path`, and its watches.
    fn forget(&mut self, path: &Path) {
        for counted in [
            &mut self.sources,
            &mut self.codings_files,
            &mut self.entries,
        ] {
            counted.remove_under(path);
        }
        if self.project.items.contains_key(path) {
            self.set_project(path, None);
        }
        self.inotify.forget_under(path);
    }

    /// Stat one path again and count it where it belongs; a directory (new, or moved in)
    /// is walked and watched.
    fn refresh(&mut self, path: &Path) -> Result<(), WatchError> {
        if let Some(slot) = self.project_files.iter().position(|p| p == path) {
            let file = self.project_files[slot].clone();
            let meta = std::fs::metadata(&file).ok();
            self.set_project(&file, meta.as_ref());
            return Ok(());
        }
        let Some(tree) = self.tree_of(path) else {
            return Ok(());
        };
        self.set_entry(path);
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                if !self.inotify.is_watched(path) {
                    let mut seen = HashSet::new();
                    self.walk(path, tree, &mut seen)?;
                }
            }
            Ok(meta) => self.set_file(path, tree, Some(&meta)),
            Err(_) => self.set_file(path, tree, None),
        }
        Ok(())
    }

    /// Which tree `path` lies in (the tree's own folder included), if any.
    fn tree_of(&self, path: &Path) -> Option<Tree> {
        if path.starts_with(&self.sources_dir) {
            Some(Tree::Sources)
        } else if path.starts_with(&self.codings_dir) {
            Some(Tree::Codings)
        } else {
            None
        }
    }

    /// Forget everything and walk the project again (at the start, and when the kernel's
    /// queue overflowed and events were lost).
    fn rescan(&mut self) -> Result<(), WatchError> {
        self.inotify.clear();
        self.project = Counted::default();
        self.entries = Counted::default();
        self.sources = Counted::default();
        self.codings_files = Counted::default();
        let root = self.root.clone();
        self.add_watch(&root)?;
        for file in self.project_files.clone() {
            let meta = std::fs::metadata(&file).ok();
            self.set_project(&file, meta.as_ref());
        }
        let mut seen = HashSet::new();
        for (dir, tree) in [
            (self.sources_dir.clone(), Tree::Sources),
            (self.codings_dir.clone(), Tree::Codings),
        ] {
            if dir.is_dir() {
                self.walk(&dir, tree, &mut seen)?;
            }
        }
        Ok(())
    }

    /// Watch `dir` and everything under it, counting its files, as the corpus loader walks
    /// (links followed, a directory seen before skipped).
    fn walk(
        &mut self,
        dir: &Path,
        tree: Tree,
        seen: &mut HashSet<(u64, u64)>,
    ) -> Result<(), WatchError> {
        let Ok(meta) = std::fs::metadata(dir) else {
            return Ok(());
        };
        if !seen.insert((meta.dev(), meta.ino())) {
            return Ok(());
        }
        self.add_watch(dir)?;
        let Ok(listing) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        for entry in listing.flatten() {
            let path = entry.path();
            self.set_entry(&path);
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.walk(&path, tree, seen)?,
                Ok(meta) => self.set_file(&path, tree, Some(&meta)),
                Err(_) => {}
            }
        }
        Ok(())
    }

    fn add_watch(&mut self, dir: &Path) -> Result<(), WatchError> {
        self.inotify.add(dir).map_err(WatchError)
    }

    fn set_project(&mut self, path: &Path, meta: Option<&std::fs::Metadata>) {
        self.project
            .set(path, Some(stamps::project_item(path, meta)));
    }

    /// Count a file of a tree (None: it is no longer a file there).
    fn set_file(&mut self, path: &Path, tree: Tree, meta: Option<&std::fs::Metadata>) {
        let (counted, ext) = match tree {
            Tree::Sources => (&mut self.sources, "md"),
            Tree::Codings => (&mut self.codings_files, "toml"),
        };
        let item = meta
            .filter(|m| !m.is_dir() && path.extension().is_some_and(|e| e == ext))
            .map(|m| stamps::file_item(path, m));
        counted.set(path, item);
    }

    /// Count a directory entry of the codings folder or of a coder's folder (what
    /// `disk_stamp` lists), by its name and its own inode.
    fn set_entry(&mut self, path: &Path) {
        let Some(dir) = path.parent() else {
            return;
        };
        let listed = dir == self.codings_dir
            || (dir.parent() == Some(self.codings_dir.as_path()) && dir.is_dir());
        if !listed {
            return;
        }
        let item = std::fs::symlink_metadata(path)
            .ok()
            .zip(path.file_name())
            .map(|(meta, name)| stamps::entry_item(dir, name, meta.ino()));
        self.entries.set(path, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sources/transcript")).unwrap();
        std::fs::create_dir_all(root.join("codings/ana")).unwrap();
        std::fs::write(root.join("sources/transcript/a.md"), "een").unwrap();
        std::fs::write(root.join("codings/ana/a.toml"), "").unwrap();
        std::fs::write(root.join("codebook.toml"), "").unwrap();
        dir
    }

    /// Wait for the watch to agree with a walk (events may come in more than one burst).
    fn settles(watch: &mut DiskWatch, root: &Path) -> Stamps {
        let walked = Stamps::take(root);
        for _ in 0..50 {
            let now = watch.next_change(Some(Duration::from_millis(100))).unwrap();
            if now == walked {
                return now;
            }
        }
        panic!(
            "the watch never agreed with a walk: {:?} vs {walked:?}",
            watch.stamps()
        );
    }

    #[test]
    fn the_watch_starts_where_a_walk_is() {
        let dir = project();
        let watch = DiskWatch::new(dir.path()).unwrap();
        assert_eq!(watch.stamps(), Stamps::take(dir.path()));
    }

    #[test]
    fn the_watch_follows_every_kind_of_change_as_a_walk_sees_it() {
        let dir = project();
        let root = dir.path();
        let mut watch = DiskWatch::new(root).unwrap();
        let start = watch.stamps();

        // A source edited in place: only the sources' stamp moves.
        std::fs::write(root.join("sources/transcript/a.md"), "een en twee").unwrap();
        let edited = settles(&mut watch, root);
        assert_ne!(edited.sources, start.sources);
        assert_eq!(edited.project, start.project);

        // A source added, then renamed into a new folder, then removed.
        std::fs::write(root.join("sources/transcript/b.md"), "drie").unwrap();
        settles(&mut watch, root);
        std::fs::create_dir_all(root.join("sources/verhuisd")).unwrap();
        std::fs::rename(
            root.join("sources/transcript/b.md"),
            root.join("sources/verhuisd/b.md"),
        )
        .unwrap();
        settles(&mut watch, root);
        // A whole folder renamed: its files are found under the new name.
        std::fs::rename(root.join("sources/verhuisd"), root.join("sources/elders")).unwrap();
        settles(&mut watch, root);
        std::fs::write(root.join("sources/elders/b.md"), "drie en vier").unwrap();
        settles(&mut watch, root);
        std::fs::remove_dir_all(root.join("sources/elders")).unwrap();
        settles(&mut watch, root);

        // A visgraat write (temp file, rename) and a hand edit in place of a codings file.
        let before = watch.stamps();
        crate::atomic::write(&root.join("codings/ana/a.toml"), b"# gecodeerd\n").unwrap();
        let written = settles(&mut watch, root);
        assert!(!before.edited_in_place(&written));
        std::fs::write(root.join("codings/ana/a.toml"), "# met de hand\n").unwrap();
        let by_hand = settles(&mut watch, root);
        assert!(written.edited_in_place(&by_hand));

        // A new coder, the code book replaced, the cases created.
        std::fs::create_dir_all(root.join("codings/bob")).unwrap();
        std::fs::write(root.join("codings/bob/a.toml"), "").unwrap();
        settles(&mut watch, root);
        crate::atomic::write(&root.join("codebook.toml"), b"# boek\n").unwrap();
        std::fs::write(root.join("cases.toml"), "").unwrap();
        settles(&mut watch, root);
    }

    #[test]
    fn a_tree_that_comes_later_is_watched_too() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut watch = DiskWatch::new(root).unwrap();
        std::fs::create_dir_all(root.join("sources/transcript")).unwrap();
        std::fs::write(root.join("sources/transcript/a.md"), "een").unwrap();
        settles(&mut watch, root);
        std::fs::write(root.join("sources/transcript/a.md"), "een en twee").unwrap();
        settles(&mut watch, root);
    }

    #[test]
    fn nothing_changed_is_no_change() {
        let dir = project();
        let mut watch = DiskWatch::new(dir.path()).unwrap();
        let start = watch.stamps();
        let now = watch.next_change(Some(Duration::from_millis(50))).unwrap();
        assert_eq!(now, start);
    }
}
