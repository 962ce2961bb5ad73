//! `visgraat watch`: a long-lived process that keeps the stamps of a project's files current
//! from the kernel's change events, so that a search need not stat every file to know that
//! no file was edited in place by hand (see `freshness`).
//!
//! Why this is correct: the kernel queues an inotify event inside the system call that made
//! the change, so every write that returned before a search asked is in the watcher's
//! queue; the watcher reads its whole queue before it answers. It answers with the digest of
//! the files' stamps as they are now ([`TreeStamps::files_digest`]); the search compares it
//! with the digest of the stamps kept beside the index. Equal: no file changed since. Not
//! equal, no answer, or no watcher: the search stats every file as before — the watcher can
//! make a search faster, never make it answer from a stale index.
//!
//! The watcher listens on an abstract Unix socket named after the user, the program's
//! version and the project's folder, and only a watcher of the same user is believed; it
//! stops when its own user asks (`visgraat watch --stop`). A search that had to stat a large
//! project's files starts one behind its answer (`watch` in config.toml, `cli::search`).

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::freshness::{self, CODINGS, CORPUS, Layout, TreeStamps};
use crate::error::{Error, Result};
use crate::inotify::{Events, Inotify, on_network_file_system};

/// What a watcher answers: the digests of the corpus files' stamps (what the index is
/// built from) and of the codings files' stamps (what the coded-spans cache holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    pub corpus: u64,
    pub codings: u64,
}

const PROTOCOL: &str = "visgraat-watch 1";
/// How often a waiting watcher asks whether it should stop.
const STOP_CHECK: Duration = Duration::from_millis(250);
/// How long a search waits for a watcher's answer before it stats the files itself.
const ANSWER_WITHIN: Duration = Duration::from_millis(200);

/// The socket's name for the project at `corpus_root` (canonical): per user, per version
/// (a watcher of another version may stamp differently) and per folder.
fn socket_name(corpus_root: &Path) -> Vec<u8> {
    let folder = Sha256::digest(corpus_root.as_os_str().as_encoded_bytes());
    let folder: String = folder.iter().take(12).map(|b| format!("{b:02x}")).collect();
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    format!(
        "visgraat-watch-{uid}-{}-{}-{folder}",
        env!("CARGO_PKG_VERSION"),
        super::schema::fingerprint()
    )
    .into_bytes()
}

fn address(corpus_root: &Path) -> std::io::Result<SocketAddr> {
    let root = std::fs::canonicalize(corpus_root)?;
    SocketAddr::from_abstract_name(socket_name(&root))
}

/// Send `request` (one line) to the watcher of the project at `corpus_root` and read its
/// answer line: None when none runs, none answers within a fraction of a second, or it is
/// not this user's.
fn request(corpus_root: &Path, request: &str) -> Option<String> {
    let stream = UnixStream::connect_addr(&address(corpus_root).ok()?).ok()?;
    // SAFETY: getuid cannot fail.
    if peer_uid(&stream)? != unsafe { libc::getuid() } {
        return None;
    }
    stream.set_read_timeout(Some(ANSWER_WITHIN)).ok()?;
    stream.set_write_timeout(Some(ANSWER_WITHIN)).ok()?;
    (&stream)
        .write_all(format!("{request}\n").as_bytes())
        .ok()?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line).ok()?;
    Some(line.trim_end().to_string())
}

/// Ask the watcher of the project at `corpus_root`, if one runs: None when none answers
/// (within a fraction of a second) or it is not this user's.
pub fn ask(corpus_root: &Path) -> Option<Digests> {
    let line = request(corpus_root, "digests")?;
    let rest = line.strip_prefix(PROTOCOL)?;
    let mut words = rest.split_whitespace();
    let (Some("corpus"), Some(corpus), Some("codings"), Some(codings)) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return None;
    };
    Some(Digests {
        corpus: corpus.parse().ok()?,
        codings: codings.parse().ok()?,
    })
}

/// Stop the watcher of the project at `corpus_root`: true when one ran (of this user) and
/// said it stops.
pub fn stop(corpus_root: &Path) -> bool {
    request(corpus_root, "stop").is_some_and(|line| line == format!("{PROTOCOL} stopping"))
}

/// The user id of the process at the other end of `stream`.
fn peer_uid(stream: &UnixStream) -> Option<libc::uid_t> {
    // SAFETY: a zeroed ucred is a valid value for the kernel to fill.
    let mut cred: libc::ucred = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: our own socket, and a buffer of the size given.
    let ok = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    } == 0;
    ok.then_some(cred.uid)
}

/// The stamps of one layout, kept current from events.
struct Watched {
    layout: Layout,
    stamps: TreeStamps,
}

/// The files of a project as the kernel reports their changes.
pub struct CorpusWatch {
    root: PathBuf,
    inotify: Inotify,
    layouts: [Watched; 2],
    /// The digests, until the next change.
    digests: Option<Digests>,
}

impl CorpusWatch {
    pub fn new(corpus_root: &Path) -> Result<CorpusWatch> {
        let root = std::fs::canonicalize(corpus_root).map_err(|e| Error::io(corpus_root, e))?;
        if on_network_file_system(&root) {
            return Err(Error::Usage(format!(
                "{} is on a network file system, where the kernel does not hear of other machines' changes: searches check every file instead",
                root.display()
            )));
        }
        let inotify = Inotify::new().map_err(|e| Error::io(&root, e))?;
        let empty = |layout| Watched {
            layout,
            stamps: TreeStamps::default(),
        };
        let mut watch = CorpusWatch {
            root,
            inotify,
            layouts: [empty(CORPUS), empty(CODINGS)],
            digests: None,
        };
        watch.rescan()?;
        Ok(watch)
    }

    /// The digests as they are now: the events waiting are read first.
    pub fn digests(&mut self) -> Result<Digests> {
        let mut events = Events::default();
        self.inotify
            .read(&mut events)
            .map_err(|e| Error::io(&self.root, e))?;
        self.apply(events)?;
        let [corpus, codings] = &self.layouts;
        Ok(*self.digests.get_or_insert(Digests {
            corpus: corpus.stamps.files_digest(),
            codings: codings.stamps.files_digest(),
        }))
    }

    /// True while the project's folder is where it was.
    fn root_exists(&self) -> bool {
        self.root.is_dir()
    }

    /// Watch every directory, then stamp every file: a change after its directory's watch
    /// was added is an event, one before it is in the stamps.
    fn rescan(&mut self) -> Result<()> {
        self.inotify.clear();
        self.digests = None;
        let root = self.root.clone();
        self.inotify.add(&root).map_err(|e| Error::io(&root, e))?;
        let mut seen = std::collections::HashSet::new();
        for tree in ["sources", "quotes", "codings"] {
            self.watch_tree(&root.join(tree), &mut seen)?;
        }
        for watched in &mut self.layouts {
            watched.stamps = TreeStamps::take(&root, watched.layout);
        }
        Ok(())
    }

    /// Watch `dir` and the directories under it (links followed, a directory seen before
    /// skipped), as the stamps walk them.
    fn watch_tree(
        &mut self,
        dir: &Path,
        seen: &mut std::collections::HashSet<(u64, u64)>,
    ) -> Result<()> {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = std::fs::metadata(dir) else {
            return Ok(());
        };
        if !meta.is_dir() || !seen.insert((meta.dev(), meta.ino())) {
            return Ok(());
        }
        self.inotify.add(dir).map_err(|e| Error::io(dir, e))?;
        let Ok(listing) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        for entry in listing.flatten() {
            let path = entry.path();
            if path.is_dir() {
                self.watch_tree(&path, seen)?;
            }
        }
        Ok(())
    }

    /// Bring the stamps in step with what the events named. Paths that are gone first, so a
    /// directory renamed within the project is forgotten under its old name before it is
    /// watched under its new one (the kernel gives both the same watch).
    fn apply(&mut self, events: Events) -> Result<()> {
        if events.overflow {
            return self.rescan();
        }
        if events.paths.is_empty() {
            return Ok(());
        }
        self.digests = None;
        let (gone, present): (Vec<PathBuf>, Vec<PathBuf>) = events
            .paths
            .into_iter()
            .partition(|p| std::fs::symlink_metadata(p).is_err());
        for path in gone {
            self.inotify.forget_under(&path);
            if let Some(rel) = self.relative(&path) {
                for watched in &mut self.layouts {
                    watched.stamps.remove_under(&rel);
                }
            }
        }
        for path in present {
            self.refresh(&path)?;
        }
        Ok(())
    }

    fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        (!rel.as_os_str().is_empty()).then(|| rel.to_string_lossy().into_owned())
    }

    /// Stamp one path again where a layout counts it; a directory (new, or moved in) is
    /// watched, and its files stamped.
    fn refresh(&mut self, path: &Path) -> Result<()> {
        let Some(rel) = self.relative(path) else {
            return Ok(());
        };
        let Ok(meta) = std::fs::metadata(path) else {
            // A dangling link: not a file the stamps count.
            for watched in &mut self.layouts {
                watched.stamps.set_file(&rel, None);
            }
            return Ok(());
        };
        if meta.is_dir() {
            if counted_tree(&rel).is_some() && !self.inotify.is_watched(path) {
                let mut seen = std::collections::HashSet::new();
                self.watch_tree(path, &mut seen)?;
                // Its files, as a walk of their tree finds them now.
                let mut files = Vec::new();
                let mut problems = Vec::new();
                let ext = counted_tree(&rel).map_or("", |(_, ext)| ext);
                crate::corpus::collect_files(path, ext, &mut files, &mut problems);
                for file in files {
                    self.refresh(&file)?;
                }
            }
            return Ok(());
        }
        for watched in &mut self.layouts {
            if counts(watched.layout, &rel) {
                watched
                    .stamps
                    .set_file(&rel, Some(freshness::stamp_of(&meta)));
            }
        }
        Ok(())
    }

    /// Serve searches until the project's folder goes away, the watcher is idle for `idle`,
    /// or `stop` says so (asked at least every quarter second). `ready` is called once the
    /// socket listens.
    pub fn serve(
        mut self,
        idle: Option<Duration>,
        ready: impl FnOnce(),
        stop: impl Fn() -> bool,
    ) -> Result<()> {
        let addr = address(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let listener = UnixListener::bind_addr(&addr).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                Error::Usage(format!(
                    "{} is watched already (another `visgraat watch` runs for it)",
                    self.root.display()
                ))
            } else {
                Error::io(&self.root, e)
            }
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io(&self.root, e))?;
        ready();
        let mut last_asked = Instant::now();
        loop {
            let left = idle.map(|idle| idle.saturating_sub(last_asked.elapsed()));
            if left == Some(Duration::ZERO) || stop() {
                return Ok(());
            }
            let wait = left.map_or(STOP_CHECK, |left| {
                left.clamp(Duration::from_millis(1), STOP_CHECK)
            });
            let ready = crate::inotify::readable(
                &[self.inotify.as_raw_fd(), listener.as_raw_fd()],
                Some(wait),
            )
            .map_err(|e| Error::io(&self.root, e))?;
            let (events_waiting, client_waiting) = (ready[0], ready[1]);
            if events_waiting {
                let mut events = Events::default();
                self.inotify
                    .read(&mut events)
                    .map_err(|e| Error::io(&self.root, e))?;
                self.apply(events)?;
                if !self.root_exists() {
                    return Ok(());
                }
            }
            if client_waiting {
                while let Ok((stream, _)) = listener.accept() {
                    last_asked = Instant::now();
                    let digests = self.digests()?;
                    // A client that went away costs nothing: the next one is served.
                    if answer(&stream, digests).unwrap_or(false) {
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// The tree of the project a relative path lies in, with the extension it counts.
fn counted_tree(rel: &str) -> Option<(&'static str, &'static str)> {
    let first = Path::new(rel).components().next()?.as_os_str().to_str()?;
    [CORPUS, CODINGS]
        .iter()
        .flat_map(|layout| layout.trees.iter())
        .find(|(tree, _)| *tree == first)
        .copied()
}

/// True when `layout` stamps the file at `rel`: a single file it names, or a file with its
/// tree's extension under one of its trees.
fn counts(layout: Layout, rel: &str) -> bool {
    let path = Path::new(rel);
    layout.single.contains(&rel)
        || layout.trees.iter().any(|(tree, ext)| {
            path.starts_with(tree) && path.extension().is_some_and(|e| e == *ext)
        })
}

/// Answer one client; true when it asked the watcher to stop (`visgraat watch --stop`),
/// which only the watcher's own user may.
fn answer(stream: &UnixStream, digests: Digests) -> std::io::Result<bool> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(ANSWER_WITHIN))?;
    stream.set_write_timeout(Some(ANSWER_WITHIN))?;
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line)?;
    let mut out = stream;
    match line.trim_end() {
        "digests" => writeln!(
            out,
            "{PROTOCOL} corpus {} codings {}",
            digests.corpus, digests.codings
        )?,
        // SAFETY: getuid cannot fail.
        "stop" if peer_uid(stream) == Some(unsafe { libc::getuid() }) => {
            writeln!(out, "{PROTOCOL} stopping")?;
            return Ok(true);
        }
        _ => {}
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sources/transcript")).unwrap();
        std::fs::create_dir_all(root.join("quotes")).unwrap();
        std::fs::create_dir_all(root.join("codings/ana")).unwrap();
        std::fs::write(root.join("sources/transcript/a.md"), "een").unwrap();
        std::fs::write(root.join("quotes/a.toml"), "").unwrap();
        std::fs::write(root.join("codings/ana/a.toml"), "").unwrap();
        std::fs::write(root.join("codebook.toml"), "").unwrap();
        dir
    }

    /// The digests a walk gives now.
    fn walked(root: &Path) -> Digests {
        let root = std::fs::canonicalize(root).unwrap();
        Digests {
            corpus: TreeStamps::take(&root, CORPUS).files_digest(),
            codings: TreeStamps::take(&root, CODINGS).files_digest(),
        }
    }

    #[test]
    fn the_digests_follow_every_change_as_a_walk_sees_it() {
        let dir = project();
        let root = dir.path();
        let mut watch = CorpusWatch::new(root).unwrap();
        assert_eq!(watch.digests().unwrap(), walked(root));
        let start = watch.digests().unwrap();

        // Each change is seen at once: no waiting, the queue is read before the answer.
        std::fs::write(root.join("sources/transcript/a.md"), "een en twee").unwrap();
        let edited = watch.digests().unwrap();
        assert_eq!(edited, walked(root));
        assert_ne!(edited.corpus, start.corpus);
        assert_eq!(edited.codings, start.codings);

        type Step = Box<dyn Fn(&Path)>;
        let steps: Vec<Step> = vec![
            Box::new(|r| std::fs::write(r.join("sources/transcript/b.md"), "drie").unwrap()),
            Box::new(|r| std::fs::create_dir_all(r.join("sources/verhuisd/diep")).unwrap()),
            Box::new(|r| {
                std::fs::rename(
                    r.join("sources/transcript/b.md"),
                    r.join("sources/verhuisd/diep/b.md"),
                )
                .unwrap()
            }),
            Box::new(|r| {
                std::fs::rename(r.join("sources/verhuisd"), r.join("sources/elders")).unwrap()
            }),
            Box::new(|r| std::fs::write(r.join("sources/elders/diep/b.md"), "vier").unwrap()),
            Box::new(|r| std::fs::remove_dir_all(r.join("sources/elders")).unwrap()),
            Box::new(|r| std::fs::write(r.join("quotes/a.toml"), "# citaat\n").unwrap()),
            Box::new(|r| std::fs::write(r.join("sources/transcript/notes.txt"), "x").unwrap()),
            Box::new(|r| std::fs::write(r.join("codebook.toml"), "# boek\n").unwrap()),
            Box::new(|r| std::fs::write(r.join("cases.toml"), "").unwrap()),
            Box::new(|r| std::fs::remove_file(r.join("cases.toml")).unwrap()),
            Box::new(|r| std::fs::write(r.join("codings/ana/a.toml"), "# met de hand\n").unwrap()),
            Box::new(|r| {
                crate::atomic::write(&r.join("codings/ana/a.toml"), b"# visgraat\n").unwrap()
            }),
            Box::new(|r| std::fs::create_dir_all(r.join("codings/bob")).unwrap()),
            Box::new(|r| std::fs::write(r.join("codings/bob/a.toml"), "").unwrap()),
        ];
        for (i, step) in steps.iter().enumerate() {
            step(root);
            assert_eq!(watch.digests().unwrap(), walked(root), "after step {i}");
        }
    }

    #[test]
    fn a_search_hears_a_watcher_of_its_project_only() {
        let dir = project();
        let other = project();
        let watch = CorpusWatch::new(dir.path()).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            watch
                .serve(
                    Some(Duration::from_secs(5)),
                    || tx.send(()).unwrap(),
                    || false,
                )
                .unwrap();
        });
        rx.recv().unwrap();
        assert_eq!(ask(dir.path()), Some(walked(dir.path())));
        assert_eq!(ask(other.path()), None);
        // A second watcher of the same project is refused.
        let again = CorpusWatch::new(dir.path()).unwrap();
        assert!(again.serve(None, || {}, || false).is_err());
        std::fs::write(dir.path().join("sources/transcript/a.md"), "anders").unwrap();
        assert_eq!(ask(dir.path()), Some(walked(dir.path())));
    }
}
