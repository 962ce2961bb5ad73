//! The walk over a layout's files that the stamps take (`freshness::TreeStamps::take`) and
//! that a search's check sums into a digest (`files_digest_now`): one walk, so that both see
//! the same files under the same paths — links followed, loops cut, the layout's extension
//! only.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::freshness::{Layout, Stamp, mtime, rel, stamp_of};

/// One file's part of a files digest ([`TreeStamps::files_digest`]): FNV-1a over its path
/// (relative to the root) and stamp — the same in every build, unlike the std hasher — then
/// mixed (the splitmix64 finaliser) so that summing the parts loses nothing of FNV's spread.
#[derive(Clone, Copy)]
pub(super) struct FileHash(u64);

impl Default for FileHash {
    fn default() -> FileHash {
        FileHash(0xcbf2_9ce4_8422_2325)
    }
}

impl FileHash {
    pub(super) fn eat(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub(super) fn finish(mut self, (len, time): Stamp) -> u64 {
        self.eat(&[0]);
        self.eat(&len.to_le_bytes());
        self.eat(&time.to_le_bytes());
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The files digest ([`TreeStamps::files_digest`]) of the files of `layout` under `root` as
/// they are now: a stat per file and directory, and nothing else — no path or stamp is kept,
/// sorted or compared, which was two thirds of the time a search waited for (a stat per
/// file of the 100 MB benchmark corpus: 9 ms taking and comparing stamps, 3 ms the stats).
/// A large directory's entries are stat'ed on two threads: even beside the search it checks
/// (on the other core) the walk was the longer of the two.
pub fn files_digest_now(root: &Path, layout: Layout) -> u64 {
    let mut sum = 0u64;
    walk(root, layout, true, &mut |seen| {
        if let Seen::File(dir, name, stamp) = seen {
            let mut hash = FileHash::default();
            if !dir.is_empty() {
                hash.eat(dir.as_bytes());
                hash.eat(b"/");
            }
            hash.eat(name.as_bytes());
            sum = sum.wrapping_add(hash.finish(stamp));
        }
    });
    sum
}

/// What a walk of a layout finds: a directory (its path relative to the root, its time), or
/// a file (its directory's path, "" for a single file beside the trees; its name; its stamp).
pub(super) enum Seen<'a> {
    Dir(&'a str, i128),
    File(&'a str, &'a str, Stamp),
}

/// A file's path relative to the root, from what [`Seen::File`] gives.
pub(super) fn joined(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Walk the single files and the trees of `layout` under `root` (links followed, loops cut),
/// telling `visit` what is found; `split`: stat a large directory's entries on two threads.
pub(super) fn walk(root: &Path, layout: Layout, split: bool, visit: &mut dyn FnMut(Seen<'_>)) {
    for name in layout.single {
        if let Ok(meta) = std::fs::metadata(root.join(name)) {
            visit(Seen::File("", name, stamp_of(&meta)));
        }
    }
    for (tree, ext) in layout.trees {
        let mut seen = std::collections::HashSet::new();
        walk_dir(root, &root.join(tree), ext, split, &mut seen, visit);
    }
}

fn walk_dir(
    root: &Path,
    dir: &Path,
    ext: &str,
    split: bool,
    seen: &mut std::collections::HashSet<(u64, u64)>,
    visit: &mut dyn FnMut(Seen<'_>),
) {
    let Ok(meta) = std::fs::metadata(dir) else {
        return;
    };
    if !seen.insert((meta.dev(), meta.ino())) {
        return;
    }
    let dir_rel = rel(root, dir);
    visit(Seen::Dir(&dir_rel, mtime(&meta)));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    for (entry, meta) in stat_all(entries, split) {
        let Ok(meta) = meta else {
            continue;
        };
        let name = entry.file_name();
        if meta.is_dir() {
            walk_dir(root, &dir.join(&name), ext, split, seen, visit);
        } else if Path::new(&name).extension().is_some_and(|e| e == ext) {
            visit(Seen::File(
                &dir_rel,
                &name.to_string_lossy(),
                stamp_of(&meta),
            ));
        }
    }
}

/// Above this many entries a directory's entries are stat'ed on two threads (when the walk
/// may split): the stats are kernel work that two cores do in half the time.
const PARALLEL_STATS_FROM: usize = 512;

/// Each entry with its stat. The entry's own stat needs no walk of the path from the root;
/// only a link is followed.
fn stat_all(
    entries: Vec<std::fs::DirEntry>,
    split: bool,
) -> Vec<(std::fs::DirEntry, std::io::Result<std::fs::Metadata>)> {
    let stat = |entries: Vec<std::fs::DirEntry>| -> Vec<_> {
        entries
            .into_iter()
            .map(|entry| {
                let meta = match entry.file_type() {
                    Ok(t) if t.is_symlink() => std::fs::metadata(entry.path()),
                    _ => entry.metadata(),
                };
                (entry, meta)
            })
            .collect()
    };
    if !split || entries.len() < PARALLEL_STATS_FROM {
        return stat(entries);
    }
    let mut first = entries;
    let second = first.split_off(first.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| stat(second));
        let mut all = stat(first);
        // A thread that cannot be joined stat'ed nothing: its files count as gone, which
        // only ever makes the index look stale.
        all.extend(other.join().unwrap_or_default());
        all
    })
}
