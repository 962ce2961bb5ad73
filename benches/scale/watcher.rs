//! Watching in the scale benchmark: a `visgraat watch` beside the whole-process searches, and
//! the TUI's disk watch against the poll it replaced.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{BIN, Report, median, ms};

/// A `visgraat watch` of the benchmark corpus, stopped when dropped.
pub struct Watcher(std::process::Child);

impl Watcher {
    /// Started and listening (it says so on stderr), or None.
    pub fn start(config: &Path) -> Option<Watcher> {
        use std::io::BufRead;
        let mut child = Command::new(BIN)
            .arg("--config")
            .arg(config)
            .arg("watch")
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        let mut line = String::new();
        std::io::BufReader::new(child.stderr.as_mut()?)
            .read_line(&mut line)
            .ok()?;
        line.contains("watching").then_some(Watcher(child))
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
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
