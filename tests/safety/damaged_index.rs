//! A damaged index (a garbled store, a deleted file, an index path that is a file) is found
//! by its checksums or by the next search, and rebuilt from the corpus; the TUI goes on.

use crate::common::Project;
use visgraat::config::Config;
use visgraat::tui::app::App;
use visgraat::workspace::Workspace;

/// The largest stored-documents file of the index: where a garbled middle is found only when
/// a search reads a document from it.
fn largest_store(p: &Project) -> std::path::PathBuf {
    std::fs::read_dir(p.path().join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.extension().is_some_and(|e| e == "store"))
        .max_by_key(|f| std::fs::metadata(f).unwrap().len())
        .expect("the index has a .store file")
}

/// Overwrite 4 KB in the middle of `path` with other bytes (length unchanged).
fn garble_middle(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let middle = bytes.len() / 2;
    let end = (middle + 4096).min(bytes.len());
    for (i, b) in bytes[middle..end].iter_mut().enumerate() {
        *b = !*b ^ (i as u8).wrapping_mul(37);
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_garbled_middle_of_a_store_file_is_healed_by_the_next_search() {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    let store = largest_store(&p);
    garble_middle(&store);
    // Common words read documents from all over the file (this used to fail every time with
    // "the offset to copy is not contained in the decompressed buffer"): each search answers,
    // the first one to meet the damage rebuilds the index and says so.
    let mut warnings = 0;
    for query in [&["klas"][..], &["onderwijs", "--limit", "1000"]] {
        let mut args = vec!["search"];
        args.extend_from_slice(query);
        args.push("--json");
        let out = p.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{query:?}: {stderr}");
        if stderr.contains("warning: the index is damaged") {
            assert!(stderr.contains("rebuilt it from the corpus"), "{stderr}");
            warnings += 1;
        }
        let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!hits.is_empty(), "{query:?}");
    }
    assert_eq!(
        warnings, 1,
        "healed once, by the first search that met the damage"
    );
    let err = p.stderr(0, &["search", "klas"]);
    assert!(!err.contains("damaged"), "{err}");
}

#[test]
fn a_deleted_positions_file_is_healed_by_the_next_search() {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    for entry in std::fs::read_dir(p.path().join("index")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pos") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let out = p.run(&["search", "klas", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: the index is damaged"), "{stderr}");
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!hits.is_empty());
    let err = p.stderr(0, &["search", "onderwijs"]);
    assert!(!err.contains("damaged"), "{err}");
}

#[test]
fn check_and_index_find_a_damaged_index_by_its_checksums() {
    let p = Project::shipped();
    let out = p.expect(0, &["check"]);
    assert!(out.contains("index: not built yet"), "{out}");
    assert!(!p.path().join("index").exists(), "check builds nothing");
    p.expect(0, &["index"]);
    let out = p.expect(0, &["check"]);
    assert!(
        out.lines().last().unwrap().starts_with("ok:") && out.contains("; index: checksums ok"),
        "{out}"
    );

    let store = largest_store(&p);
    let name = store.file_name().unwrap().to_string_lossy().to_string();
    garble_middle(&store);
    let out = p.expect(2, &["check"]);
    assert!(
        out.contains(&format!("checksum fails: {name}"))
            && out.contains("the next search or `visgraat index` rebuilds it"),
        "{out}"
    );
    // Not "up to date": rebuilt.
    let out = p.expect(0, &["index"]);
    assert!(
        out.contains(&format!(
            "index rebuilt (the index is damaged (checksum fails: {name}"
        )),
        "{out}"
    );
    let out = p.expect(0, &["check"]);
    assert!(out.contains("index: checksums ok"), "{out}");
    assert!(p.expect(0, &["index"]).contains("up to date"));

    // A missing file is named too.
    let pos = std::fs::read_dir(p.path().join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| f.extension().is_some_and(|e| e == "pos"))
        .unwrap();
    std::fs::remove_file(&pos).unwrap();
    let out = p.expect(2, &["check"]);
    let pos_name = pos.file_name().unwrap().to_string_lossy().to_string();
    assert!(out.contains(&format!("missing: {pos_name}")), "{out}");
}

#[test]
fn an_index_path_that_is_a_file_is_reported_and_the_tui_reader_works() {
    use visgraat::tui::indexer::{self, IndexState, Report};
    let p = Project::shipped();
    std::fs::write(p.path().join("index"), "not an index").unwrap();
    let expected =
        "is a file, not a directory: remove it or set index = … in config.toml to another path";
    for args in [
        &["search", "werkdruk"][..],
        &["index"],
        &[
            "export", "--format", "csv", "--output", "out.csv", "--query", "werkdruk",
        ],
    ] {
        let err = p.stderr(2, args);
        assert!(
            err.contains("index at ") && err.contains(expected),
            "{args:?}: {err}"
        );
        assert!(!err.contains("File exists"), "{err}");
    }
    let out = p.expect(2, &["check"]);
    assert!(out.contains(expected), "{out}");
    // Commands without the index go on.
    p.expect(0, &["stats"]);

    // The TUI's worker says why the index is unavailable; the reader still opens sources.
    let config = Config::load(&p.path().join("config.toml")).unwrap();
    let (jobs_tx, jobs_rx) = std::sync::mpsc::channel();
    let (reports_tx, reports_rx) = std::sync::mpsc::channel();
    let worker = std::thread::spawn({
        let config = config.clone();
        move || indexer::run(config, jobs_rx, reports_tx)
    });
    let failed = loop {
        match reports_rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(Report::Index(IndexState::Failed(message))) => break message,
            Ok(_) => continue,
            Err(e) => panic!("no Failed state from the worker: {e}"),
        }
    };
    assert!(failed.contains(expected), "{failed}");
    drop(jobs_tx);
    worker.join().unwrap();
    let ws = Workspace::open(config).unwrap();
    let mut app = App::new(ws, (100, 30), false);
    app.index = IndexState::Failed(failed);
    app.update(visgraat::tui::action::Action::Enter);
    assert!(app.docs.reader.is_some(), "the reader opens a source");
    assert!(std::fs::read_to_string(p.path().join("index")).unwrap() == "not an index");
}

#[test]
fn the_tui_worker_heals_a_damaged_index_and_answers() {
    use std::sync::Arc;
    use visgraat::index::search::Request;
    use visgraat::tui::indexer::{self, IndexState, Job, Report};
    let p = Project::shipped();
    p.expect(0, &["index"]);
    garble_middle(&largest_store(&p));
    let config = Config::load(&p.path().join("config.toml")).unwrap();
    let ws = Workspace::open(config.clone()).unwrap();
    let (jobs_tx, jobs_rx) = std::sync::mpsc::channel();
    let (reports_tx, reports_rx) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || indexer::run(config, jobs_rx, reports_tx));
    let (mut healed, mut states) = (0, Vec::new());
    for (generation, (query, limit)) in [("klas", 20), ("onderwijs", 1000)].into_iter().enumerate()
    {
        jobs_tx
            .send(Job::Search {
                generation: generation as u64,
                request: Request {
                    query: query.into(),
                    limit,
                    ..Request::default()
                },
                codings: Arc::new(ws.codings.clone()),
                codebook: Arc::new(ws.corpus.codebook.clone()),
            })
            .unwrap();
        let hits = loop {
            match reports_rx.recv_timeout(std::time::Duration::from_secs(60)) {
                Ok(Report::Searched(g, result)) if g == generation as u64 => break result,
                Ok(Report::Healed(reason)) => {
                    assert!(reason.contains("the index is damaged"), "{reason}");
                    healed += 1;
                }
                Ok(Report::Index(state)) => states.push(state),
                Ok(_) => {}
                Err(e) => panic!("no answer to {query}: {e}"),
            }
        };
        assert!(!hits.expect("the search answers").is_empty(), "{query}");
    }
    assert_eq!(healed, 1, "{states:?}");
    assert_eq!(states.last(), Some(&IndexState::Ready), "{states:?}");
    drop(jobs_tx);
    worker.join().unwrap();
}
