//! Watching in the scale benchmark: a `visgraat watch` beside the whole-process searches, and
//! the TUI's disk watch against the poll it replaced.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{BIN, Report, median, ms};

/// The `visgraat watch` that a search of the benchmark corpus started (`watch = "on"`: what
/// `auto` does from 1 000 files, so also for the small corpora CI measures), stopped
/// (`watch --stop`, and `watch = "off"` again) when dropped.
pub struct Watcher<'a>(&'a Path);

impl Watcher<'_> {
    /// Search with `watch = "on"`, then wait until the watcher it started answers; None
    /// when none does within ten seconds.
    pub fn started_by_a_search(config: &Path) -> Option<Watcher<'_>> {
        set_watch(config, "on");
        let watcher = Watcher(config);
        let search = |args: &[&str]| {
            Command::new(BIN)
                .arg("--config")
                .arg(config)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .ok()
        };
        // Twice: a first search that found the index stale refreshes it and starts none.
        search(&["search", "werkdruk"])?;
        search(&["search", "werkdruk"])?;
        let corpus = visgraat::config::Config::load(config).ok()?.corpus;
        let t = Instant::now();
        while visgraat::index::watcher::ask(&corpus).is_none() {
            if t.elapsed() > Duration::from_secs(10) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(watcher)
    }
}

impl Drop for Watcher<'_> {
    fn drop(&mut self) {
        let _ = Command::new(BIN)
            .arg("--config")
            .arg(self.0)
            .args(["watch", "--stop"])
            .stderr(Stdio::null())
            .status();
        set_watch(self.0, "off");
    }
}

/// Set `watch` in the benchmark's config.toml (a line of its own, first, so that it is a
/// top-level key).
pub fn set_watch(config: &Path, value: &str) {
    let text = std::fs::read_to_string(config).unwrap_or_default();
    let rest: String = text
        .lines()
        .filter(|l| !l.starts_with("watch ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(config, format!("watch = \"{value}\"\n{rest}")).unwrap();
}

/// The TUI's disk watch (inotify) against the poll it replaced (a walk of every source and
/// codings file every 0.7 s): a codings file edited in place by hand, until the UI is told.
/// Last in the run: the edit leaves the coded-spans cache stale for a later filtered search.
pub fn disk_watch(report: &mut Report, corpus_root: &Path) {
    use std::io::Write;
    use visgraat::workspace::Stamps;
    use visgraat::workspace::watch::DiskWatch;
    let Ok(mut watch) = DiskWatch::new(corpus_root) else {
        report.note("(the disk watch could not start here: no watch figure)".into());
        return;
    };
    let file = std::fs::read_dir(corpus_root.join("codings"))
        .unwrap()
        .flatten()
        .find_map(|coder| std::fs::read_dir(coder.path()).ok()?.flatten().next())
        .unwrap()
        .path();
    let original = std::fs::read(&file).unwrap();
    let (mut told, mut walks) = (Vec::new(), Vec::new());
    for i in 0..10 {
        let before = watch.stamps();
        let t = Instant::now();
        let mut handle = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        writeln!(handle, "# benchmark edit {i}").unwrap();
        drop(handle);
        while watch.next_change(Some(Duration::from_secs(5))).unwrap() == before {}
        told.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(Stamps::take(corpus_root));
        walks.push(t.elapsed());
    }
    std::fs::write(&file, original).unwrap();
    let (told, walk) = (median(told), median(walks));
    report.row(
        "the TUI's disk watch: a codings file edited in place → the UI told, p50",
        format!(
            "{:.1} ms (40 ms of it waiting for the burst to end)",
            ms(told)
        ),
        format!(
            "the poll it replaced: every 700 ms a walk of every file, {:.1} ms each",
            ms(walk)
        ),
        "work per change: the changed files, not the corpus".into(),
        "proportional to what changed",
    );
}
