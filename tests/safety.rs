//! Codings are never lost and bad input never breaks the rest: the real binary over copies of
//! the shipped corpus with broken, huge, looping and foreign-encoded files added, and with
//! two processes writing at once.

mod common;

use std::process::Command;

use common::Project;
use visgraat::config::Config;
use visgraat::tui::app::App;
use visgraat::workspace::Workspace;

const LETTER: &str = "kamerbrief-passend-onderwijs-in-het-mbo-tussenbalans";

#[test]
fn huge_looping_and_foreign_encoded_files_are_reported_and_the_rest_works() {
    let p = Project::shipped();
    let letters = p.corpus().join("sources/letter");
    // 50 MB on one line.
    let huge = format!(
        "+++\nid = \"enorm\"\nkind = \"letter\"\ntitle = \"x\"\nprovenance = \"synthetic\"\n+++\n{}",
        "werkdruk ".repeat(50_000_000 / 9)
    );
    std::fs::write(letters.join("enorm.md"), huge).unwrap();
    // A directory link that leads back to sources/, and two file links pointing at each other.
    std::os::unix::fs::symlink("..", letters.join("lus")).unwrap();
    std::os::unix::fs::symlink("b.md", letters.join("a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", letters.join("b.md")).unwrap();
    // A source saved on Windows: byte-order mark and CRLF. It must simply work.
    std::fs::write(
        letters.join("windows.md"),
        "\u{feff}+++\r\nid = \"synthetic-windows-brief\"\r\nkind = \"letter\"\r\ntitle = \"Synthetische brief\"\r\nprovenance = \"synthetic\"\r\n+++\r\nDe zebravinkregeling is opgeslagen met CRLF.\r\n\r\nTweede alinea.\r\n",
    )
    .unwrap();

    let out = p.expect(2, &["check"]);
    assert!(
        out.contains("enorm.md: 50.0 MB is more than visgraat reads from one file (16 MB)"),
        "{out}"
    );
    assert!(out.contains("lus: symbolic link loop"), "{out}");
    assert!(
        out.contains("letter/a.md: ") && out.contains("symbolic links"),
        "{out}"
    );
    assert!(!out.contains("windows.md"), "BOM and CRLF are fine: {out}");

    let hits = p.search(&["zebravinkregeling"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0]["text"],
        "De zebravinkregeling is opgeslagen met CRLF."
    );
    assert!(
        !p.search(&["begeleiding"]).is_empty(),
        "the rest is searchable"
    );
    let err = p.stderr(0, &["stats"]);
    assert!(err.contains("problem(s) skipped"), "{err}");

    // The TUI opens on it and lists the problems.
    let ws = Workspace::open(Config::load(&p.path().join("config.toml")).unwrap()).unwrap();
    let app = App::new(ws, (100, 30), false);
    let labels: Vec<String> = app.problem_items().into_iter().map(|i| i.label).collect();
    assert_eq!(labels.len(), 4, "{labels:?}");
    assert!(
        app.message
            .as_ref()
            .is_some_and(|(m, error)| *error && m.starts_with("4 "))
    );
}

#[test]
fn duplicate_ids_and_offsets_beyond_the_text() {
    let p = Project::shipped();
    let file = p.corpus().join("codings/voorbeeld/intermezzo-intake.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("id = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    // The second coding takes the first one's id; the first points far beyond the text.
    let (first, second) = (ids[0].to_string(), ids[1].to_string());
    let mut edited = text.replace(&format!("id = \"{second}\""), &format!("id = \"{first}\""));
    let start_line = edited
        .lines()
        .find(|l| l.starts_with("start = "))
        .unwrap()
        .to_string();
    let end_line = edited
        .lines()
        .find(|l| l.starts_with("end = "))
        .unwrap()
        .to_string();
    edited =
        edited
            .replacen(&start_line, "start = 999990", 1)
            .replacen(&end_line, "end = 999999", 1);
    std::fs::write(&file, edited).unwrap();

    let out = p.expect(2, &["check"]);
    assert!(
        out.contains("intermezzo-intake.toml:")
            && out.contains(&format!("coding id {first} is used twice")),
        "{out}"
    );
    // Its quote is still in the source: the coding is put back on it, not lost or moved.
    assert!(
        out.contains(&format!("re-anchored coding {first}: its text moved")),
        "{out}"
    );
    let healed = std::fs::read_to_string(&file).unwrap();
    assert!(
        !healed.contains("start = 999990"),
        "written back under the lock"
    );

    // Offsets beyond the text from the command line: a clear error, exit 2.
    let err = p.stderr(
        2,
        &[
            "code",
            LETTER,
            "999990",
            "999999",
            "team-tekort-aan-tijd-en-docenten",
        ],
    );
    assert!(err.contains("lies outside"), "{err}");
}

#[test]
fn two_processes_coding_at_once_lose_nothing() {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    let bin = env!("CARGO_BIN_EXE_visgraat");
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let dir = p.path().to_path_buf();
            std::thread::spawn(move || {
                for i in 0..12 {
                    let start = (w * 12 + i) * 10;
                    let status = Command::new(bin)
                        .args(["code", LETTER])
                        .args([start.to_string(), (start + 8).to_string()])
                        .args(["team-tekort-aan-tijd-en-docenten", "--coder", "tester"])
                        .current_dir(&dir)
                        .output()
                        .unwrap();
                    assert!(status.status.success(), "{status:?}");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let codings =
        visgraat::coding::load_file(&visgraat::coding::file_path(&p.corpus(), "tester", LETTER))
            .unwrap();
    assert_eq!(
        codings.codings.len(),
        24,
        "every acknowledged coding is on disk"
    );
    let mut starts: Vec<usize> = codings.codings.iter().map(|c| c.start).collect();
    starts.sort();
    assert_eq!(starts, (0..24).map(|i| i * 10).collect::<Vec<_>>());
}

#[test]
fn a_second_indexer_waits_and_searches_go_on_meanwhile() {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    let bin = env!("CARGO_BIN_EXE_visgraat");
    let spawn = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(p.path())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let children = vec![
        spawn(&["index", "--rebuild"]),
        spawn(&["index", "--rebuild"]),
        spawn(&["search", "werkdruk", "--limit", "1"]),
        spawn(&["index", "--rebuild"]),
        spawn(&["search", "begeleiding", "--limit", "1"]),
    ];
    for mut c in children {
        let status = c.wait().unwrap();
        assert_eq!(status.code(), Some(0));
    }
    assert!(!p.search(&["werkdruk"]).is_empty());
}

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
        out.starts_with("ok:") && out.contains("\nindex: checksums ok"),
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
    assert!(app.reader.is_some(), "the reader opens a source");
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

/// The codings lock and the temp files of atomic writes are not data: git ignores them
/// (the lock used to be tracked, as `codings/.lock` only matched at the top level).
#[test]
fn git_ignores_the_codings_lock_and_atomic_temp_files() {
    let root = common::repo_root();
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(&root).args(args).output();
    let Ok(tracked) = git(&["ls-files", "--", "corpus/codings/.lock"]) else {
        eprintln!("no git: skipped");
        return;
    };
    if !tracked.status.success() {
        eprintln!("not a git checkout: skipped");
        return;
    }
    assert!(tracked.stdout.is_empty(), "corpus/codings/.lock is tracked");
    for path in [
        "corpus/codings/.lock",
        "elders/corpus/codings/.lock",
        "corpus/codings/ana/.synthetic-intermezzo.toml.4242.tmp",
        "corpus/.codebook.toml.17.tmp",
        "corpus/sources/transcript/.team-a.md.99999.tmp",
    ] {
        let out = git(&["check-ignore", "--no-index", "-q", path]).unwrap();
        assert_eq!(out.status.code(), Some(0), "{path} is not ignored");
    }
    for path in ["corpus/codebook.toml", "corpus/codings/ana/team-a.toml"] {
        let out = git(&["check-ignore", "--no-index", "-q", path]).unwrap();
        assert_eq!(out.status.code(), Some(1), "{path} is ignored");
    }
}
