//! A source changed on disk outside visgraat — edited in place by hand, added, removed or
//! renamed — is found by the very next `visgraat search`, and by a running TUI (its disk
//! watch or, where it cannot watch, its poll; then its index worker), although a search no
//! longer stats every file before it answers (see `index::freshness`).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use common::Project;
use visgraat::config::Config;
use visgraat::index::search::Request;
use visgraat::tui::app::App;
use visgraat::tui::indexer::{self, Job, Report};
use visgraat::workspace::watch::DiskWatch;
use visgraat::workspace::{Stamps, Workspace};

const INTAKE: &str = "corpus/sources/intermezzo/intermezzo-intake.md";
/// A word no shipped source holds (synthetic, for these tests).
const NEW_WORD: &str = "kwartiermakersoverleg";

fn keys(p: &Project, query: &str) -> Vec<String> {
    p.search(&[query]).iter().map(common::key).collect()
}

fn dir_time(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path.parent().unwrap())
        .unwrap()
        .modified()
        .unwrap()
}

/// Append a paragraph to a source in place (same file, no rename), as an editor that
/// writes in place does; its directory's time stays as it was.
fn edit_in_place(path: &Path) {
    let before = dir_time(path);
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    write!(
        file,
        "\nEen alinea met het {NEW_WORD} erin, met de hand toegevoegd.\n"
    )
    .unwrap();
    drop(file);
    assert_eq!(
        dir_time(path),
        before,
        "an edit in place moves no directory"
    );
}

/// A new source beside the shipped ones (synthetic text).
fn add_source(p: &Project) -> PathBuf {
    let path = p
        .path()
        .join("corpus/sources/intermezzo/synthetic-nieuw.md");
    std::fs::write(
        &path,
        format!(
            "+++\nid = \"synthetic-nieuw\"\nkind = \"intermezzo\"\ntitle = \"Synthetisch: nieuw\"\nprovenance = \"synthetic, for a test\"\n+++\nHet {NEW_WORD} kwam twee keer bijeen.\n"
        ),
    )
    .unwrap();
    path
}

/// A new directory beside the shipped ones, holding the source under a new name.
fn rename_into_new_dir(p: &Project) -> String {
    let dir = p.path().join("corpus/sources/verhuisd");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::rename(p.path().join(INTAKE), dir.join("intermezzo-intake.md")).unwrap();
    "verhuisd/intermezzo-intake.md".into()
}

#[test]
fn the_next_search_finds_a_source_edited_in_place_by_hand() {
    let p = Project::shipped();
    assert!(keys(&p, NEW_WORD).is_empty());
    edit_in_place(&p.path().join(INTAKE));
    let found = keys(&p, NEW_WORD);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("intermezzo-intake#"), "{found:?}");
}

#[test]
fn the_next_search_finds_an_added_source() {
    let p = Project::shipped();
    assert!(keys(&p, NEW_WORD).is_empty());
    add_source(&p);
    let found = keys(&p, NEW_WORD);
    assert_eq!(found, ["synthetic-nieuw#1"], "{found:?}");
}

#[test]
fn the_next_search_no_longer_finds_a_removed_source() {
    let p = Project::shipped();
    let path = add_source(&p);
    assert_eq!(keys(&p, NEW_WORD).len(), 1);
    std::fs::remove_file(path).unwrap();
    assert!(keys(&p, NEW_WORD).is_empty());
}

#[test]
fn the_next_search_finds_a_renamed_source_under_its_new_path() {
    let p = Project::shipped();
    edit_in_place(&p.path().join(INTAKE));
    assert_eq!(keys(&p, NEW_WORD).len(), 1);
    // A rename into a new directory: only the old directory and the tree's root move.
    let moved = rename_into_new_dir(&p);
    let hits = p.search(&[NEW_WORD]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    // Edited in place at its new path: found as it is now.
    let new_path = p.path().join("corpus/sources").join(&moved);
    let text = std::fs::read_to_string(&new_path).unwrap();
    std::fs::write(&new_path, text.replace(NEW_WORD, "stuurgroepoverleg")).unwrap();
    assert!(keys(&p, NEW_WORD).is_empty());
    assert_eq!(keys(&p, "stuurgroepoverleg").len(), 1);
}

/// A running TUI: its workspace, the stamps its disk watch (or poll) last saw, and its index
/// worker.
struct RunningTui {
    app: App,
    seen: Stamps,
    /// The watch the TUI's poller keeps (`tui::spawn_poller`); None: it polls by walking.
    watch: Option<DiskWatch>,
    jobs: mpsc::Sender<Job>,
    reports: mpsc::Receiver<Report>,
    generation: u64,
}

impl RunningTui {
    fn start(p: &Project, watching: bool) -> RunningTui {
        let config = Config::load(&p.path().join("config.toml")).unwrap();
        let app = App::new(Workspace::open(config.clone()).unwrap(), (140, 40), false);
        let seen = Stamps::take(&app.ws.corpus.root);
        let watch = watching.then(|| DiskWatch::new(&app.ws.corpus.root).unwrap());
        let (jobs, jobs_rx) = mpsc::channel();
        let (reports_tx, reports) = mpsc::channel();
        std::thread::spawn(move || indexer::run(config, jobs_rx, reports_tx));
        RunningTui {
            app,
            seen,
            watch,
            jobs,
            reports,
            generation: 0,
        }
    }

    /// One round of the disk watch (what the kernel reported within a second) or poll, and
    /// what the runtime does with it (`tui::event_loop`): a change to the sources reloads
    /// them and asks the worker for a refresh.
    fn poll(&mut self) -> bool {
        let now = match &mut self.watch {
            Some(watch) => {
                let deadline = std::time::Instant::now() + Duration::from_secs(1);
                let mut now = watch.stamps();
                while now == self.seen && std::time::Instant::now() < deadline {
                    now = watch.next_change(Some(Duration::from_millis(100))).unwrap();
                }
                // What the watch keeps is what a walk finds.
                assert_eq!(now, Stamps::take(&self.app.ws.corpus.root));
                now
            }
            None => Stamps::take(&self.app.ws.corpus.root),
        };
        let sources = now.sources != self.seen.sources;
        self.seen = now;
        if sources {
            self.app.reload(true, true);
            self.jobs.send(Job::Refresh).unwrap();
        }
        sources
    }

    /// What the search page's worker answers for `query`: the keys of the hits.
    fn search(&mut self, query: &str) -> Vec<String> {
        self.generation += 1;
        let (codings, codebook) = (
            std::sync::Arc::new(self.app.ws.codings.clone()),
            std::sync::Arc::new(self.app.ws.corpus.codebook.clone()),
        );
        self.jobs
            .send(Job::Search {
                generation: self.generation,
                request: Request {
                    query: query.into(),
                    limit: 20,
                    ..Request::default()
                },
                codings,
                codebook,
            })
            .unwrap();
        loop {
            match self.reports.recv_timeout(Duration::from_secs(60)).unwrap() {
                Report::Searched(generation, result) if generation == self.generation => {
                    return result.unwrap().into_iter().map(|h| h.key).collect();
                }
                _ => {}
            }
        }
    }

    fn has_source(&self, id: &str) -> bool {
        self.app.ws.corpus.source_index(id).is_some()
    }
}

#[test]
fn a_running_tui_finds_a_source_edited_in_place_added_removed_and_renamed() {
    finds_changes(true);
}

#[test]
fn a_running_tui_that_cannot_watch_finds_them_by_polling() {
    finds_changes(false);
}

fn finds_changes(watching: bool) {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    let mut tui = RunningTui::start(&p, watching);
    assert!(tui.search(NEW_WORD).is_empty());
    assert!(!tui.poll(), "nothing changed yet");

    edit_in_place(&p.path().join(INTAKE));
    assert!(tui.poll(), "the poll sees an edit in place");
    let found = tui.search(NEW_WORD);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("intermezzo-intake#"), "{found:?}");

    let added = add_source(&p);
    assert!(tui.poll(), "the poll sees a new source");
    assert!(tui.has_source("synthetic-nieuw"), "the tree shows it");
    assert_eq!(tui.search(NEW_WORD).len(), 2);

    std::fs::remove_file(added).unwrap();
    assert!(tui.poll(), "the poll sees a removed source");
    assert!(!tui.has_source("synthetic-nieuw"));
    assert_eq!(tui.search(NEW_WORD).len(), 1);

    rename_into_new_dir(&p);
    assert!(tui.poll(), "the poll sees a renamed source");
    let source = tui.app.ws.corpus.source_index("intermezzo-intake").unwrap();
    assert!(
        tui.app.ws.corpus.sources[source]
            .path
            .ends_with("verhuisd/intermezzo-intake.md")
    );
    assert_eq!(tui.search(NEW_WORD).len(), 1);
}

#[test]
fn the_poll_tells_a_codings_file_edited_in_place_from_a_visgraat_write() {
    let p = Project::shipped();
    let root = p.corpus();
    let before = Stamps::take(&root);
    // A visgraat write (another process coding): a rename, which the cheap stamp that every
    // own write takes (`disk_stamp`, no stat per file) sees.
    let ws = Workspace::open(Config::load(&p.path().join("config.toml")).unwrap()).unwrap();
    let source = &ws.corpus.sources[0];
    visgraat::coding::add(&root, "ana", source, 0, 4, "beleid-intake", "synthetisch").unwrap();
    let written = Stamps::take(&root);
    assert_ne!(written.project, before.project);
    assert!(!before.edited_in_place(&written));
    // A hand edit of that codings file in place: only the poller's stat per file sees it.
    let file = visgraat::coding::file_path(&root, "ana", &source.meta.id);
    let mut handle = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    handle.write_all(b"\n# met de hand\n").unwrap();
    drop(handle);
    let edited = Stamps::take(&root);
    assert_eq!(edited.project, written.project);
    assert!(written.edited_in_place(&edited));
}

/// A running `visgraat watch` of the project, stopped when dropped.
struct Watcher(std::process::Child);

impl Watcher {
    fn start(p: &Project) -> Watcher {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_visgraat"))
            .args(["watch", "--idle", "10"])
            .current_dir(p.path())
            .env("XDG_CONFIG_HOME", p.path().join(".user-config"))
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // It says so once it listens.
        let mut line = String::new();
        std::io::BufReader::new(child.stderr.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.contains("watching"), "{line}");
        Watcher(child)
    }
}

impl Watcher {
    /// Ctrl-C, as in the terminal it runs in: it stops within a second, cleanly.
    fn stop_with_ctrl_c(mut self) {
        let pid = i32::try_from(self.0.id()).unwrap();
        // SAFETY: a signal to our own child.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        loop {
            if let Some(status) = self.0.try_wait().unwrap() {
                assert!(status.success(), "{status:?}");
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "still running after Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// How the next search would know the index is fresh (None: it is not).
fn files_fresh(p: &Project) -> Option<visgraat::workspace::FilesFresh> {
    let config = Config::load(&p.path().join("config.toml")).unwrap();
    let stamps = visgraat::index::freshness::CorpusStamps::load(&config.index).unwrap();
    visgraat::workspace::files_fresh(&config, &stamps)
}

#[test]
fn with_a_watcher_the_next_search_needs_no_stats_and_still_finds_every_change() {
    use visgraat::workspace::FilesFresh;
    let p = Project::shipped();
    p.expect(0, &["index"]);
    assert_eq!(files_fresh(&p), Some(FilesFresh::Stated), "no watcher yet");
    let watcher = Watcher::start(&p);
    assert_eq!(files_fresh(&p), Some(FilesFresh::Watched));
    assert!(keys(&p, NEW_WORD).is_empty());

    // An edit in place moves no directory: only the watcher (or the stats) can tell.
    edit_in_place(&p.path().join(INTAKE));
    assert_eq!(files_fresh(&p), None, "the watcher heard of the edit");
    let found = keys(&p, NEW_WORD);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        files_fresh(&p),
        Some(FilesFresh::Watched),
        "the search refreshed the index, the watcher agrees"
    );

    let added = add_source(&p);
    assert_eq!(keys(&p, NEW_WORD).len(), 2);
    std::fs::remove_file(added).unwrap();
    assert_eq!(keys(&p, NEW_WORD).len(), 1);
    rename_into_new_dir(&p);
    assert_eq!(keys(&p, NEW_WORD).len(), 1);
    assert_eq!(files_fresh(&p), Some(FilesFresh::Watched));

    // A filter search reads the coded spans' cache; a codings file emptied by hand in place
    // is seen through the watcher too, and so is its return.
    let coded_sources = |p: &Project| -> Vec<String> {
        p.search(&["intake", "--coder", "voorbeeld"])
            .iter()
            .map(|h| h["source"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(coded_sources(&p).iter().any(|s| s == "intermezzo-intake"));
    let file = p.corpus().join("codings/voorbeeld/intermezzo-intake.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(0)
        .unwrap();
    assert!(!coded_sources(&p).iter().any(|s| s == "intermezzo-intake"));
    let mut handle = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    handle.write_all(text.as_bytes()).unwrap();
    drop(handle);
    assert!(coded_sources(&p).iter().any(|s| s == "intermezzo-intake"));

    // Once the watcher is gone, searches stat the files again.
    watcher.stop_with_ctrl_c();
    assert_eq!(files_fresh(&p), Some(FilesFresh::Stated));
}

/// Set `watch` in the project's config.toml (first, so that it is a top-level key).
fn set_watch(p: &Project, value: &str) {
    let path = p.path().join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, format!("watch = \"{value}\"\n{text}")).unwrap();
}

/// Wait (up to ten seconds) until the next search would know freshness as `want`.
fn wait_for(p: &Project, want: Option<visgraat::workspace::FilesFresh>) {
    let start = std::time::Instant::now();
    while files_fresh(p) != want {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still {:?}, not {want:?}",
            files_fresh(p)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_search_that_stats_the_files_starts_a_watcher_that_the_next_searches_ask() {
    use visgraat::workspace::FilesFresh;
    let p = Project::shipped();
    set_watch(&p, "on");
    p.expect(0, &["index"]);
    assert_eq!(files_fresh(&p), Some(FilesFresh::Stated), "no watcher yet");
    // The search answers (its pipe closes although the watcher it starts lives on) ...
    assert!(keys(&p, NEW_WORD).is_empty());
    // ... and the watcher it started answers the next ones.
    wait_for(&p, Some(FilesFresh::Watched));
    edit_in_place(&p.path().join(INTAKE));
    assert_eq!(keys(&p, NEW_WORD).len(), 1, "the edit in place is found");
    assert_eq!(files_fresh(&p), Some(FilesFresh::Watched));

    let stopped = p.run(&["watch", "--stop"]);
    assert_eq!(stopped.status.code(), Some(0), "{stopped:?}");
    wait_for(&p, Some(FilesFresh::Stated));
    assert_eq!(
        p.run(&["watch", "--stop"]).status.code(),
        Some(1),
        "none left"
    );
}

#[test]
fn a_small_project_or_watch_off_starts_no_watcher() {
    use visgraat::workspace::FilesFresh;
    for watch in [None, Some("off")] {
        let p = Project::shipped();
        if let Some(value) = watch {
            set_watch(&p, value);
        }
        p.expect(0, &["index"]);
        assert!(keys(&p, NEW_WORD).is_empty());
        // A watcher starts within milliseconds; give one time to show up.
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(files_fresh(&p), Some(FilesFresh::Stated), "{watch:?}");
    }
}

#[test]
fn a_second_watcher_stops_at_the_lock_before_it_walks() {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    let config = Config::load(&p.path().join("config.toml")).unwrap();
    // Held as a watcher holds it from before its first walk to its end.
    let claim = visgraat::index::watch_claim::claim(&config.index)
        .unwrap()
        .expect("nothing holds it");
    let second = p.run(&["watch", "--idle", "1"]);
    assert_eq!(second.status.code(), Some(2), "{second:?}");
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("watched already"),
        "{second:?}"
    );
    drop(claim);
    let watcher = Watcher::start(&p);
    watcher.stop_with_ctrl_c();
}

#[test]
fn after_a_watcher_could_not_watch_searches_start_none_for_an_hour() {
    use visgraat::index::watch_claim;
    use visgraat::workspace::FilesFresh;
    let p = Project::shipped();
    set_watch(&p, "on");
    p.expect(0, &["index"]);
    let config = Config::load(&p.path().join("config.toml")).unwrap();
    // What a watcher leaves that inotify's limits stopped.
    watch_claim::note_failure(&config.index, "inotify: no space left on device");
    assert!(keys(&p, NEW_WORD).is_empty());
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(files_fresh(&p), Some(FilesFresh::Stated), "none started");
    let check = p.run(&["check"]);
    assert!(
        String::from_utf8_lossy(&check.stdout)
            .contains("could not watch (inotify: no space left on device)"),
        "{check:?}"
    );
    // An hour on, a search tries again, and the watcher that starts clears the note.
    let note = std::fs::File::options()
        .write(true)
        .open(config.index.join("visgraat-watch-failed"))
        .unwrap();
    note.set_modified(std::time::SystemTime::now() - Duration::from_secs(2 * 60 * 60))
        .unwrap();
    drop(note);
    assert!(keys(&p, NEW_WORD).is_empty());
    wait_for(&p, Some(FilesFresh::Watched));
    assert_eq!(
        watch_claim::recent_failure(&config.index, std::time::SystemTime::now()),
        None
    );
    assert!(!config.index.join("visgraat-watch-failed").exists());
    assert_eq!(p.run(&["watch", "--stop"]).status.code(), Some(0));
}
