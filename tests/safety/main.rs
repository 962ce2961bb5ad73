//! Codings are never lost and bad input never breaks the rest: the real binary over copies of
//! the shipped corpus with broken, huge, looping and foreign-encoded files added, and with
//! two processes writing at once.

mod code_book;
#[path = "../common/mod.rs"]
mod common;
mod damaged_index;
mod reanchor;

use std::process::Command;

use common::Project;
use visgraat::config::Config;
use visgraat::tui::app::App;
use visgraat::workspace::Workspace;

pub(crate) const LETTER: &str = "kamerbrief-passend-onderwijs-in-het-mbo-tussenbalans";

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
    // Every search says what its answer leaves out (it reads no corpus file itself: the
    // refresh that met the problems keeps them beside the index), until they are mended.
    for _ in 0..2 {
        let err = p.stderr(0, &["search", "begeleiding"]);
        assert!(
            err.contains("letter/a.md") && err.contains("leaves out what 4 problem(s)"),
            "{err}"
        );
    }

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
    drop(app);
    for name in ["enorm.md", "lus", "a.md", "b.md"] {
        std::fs::remove_file(letters.join(name)).unwrap();
    }
    let err = p.stderr(0, &["search", "begeleiding"]);
    assert!(!err.contains("leaves out"), "mended: {err}");
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
    // `check` reports without rewriting; `check --fix` writes it back under the lock.
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("start = 999990")
    );
    p.expect(2, &["check", "--fix"]);
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

/// A coding whose text is edited so that its meaning may turn (a negation dropped) is not
/// moved by itself: `check` says it needs review, with the text where it may be now, and
/// rewrites nothing; `check --accept` places it there, keeping the first quote.
#[test]
fn a_turned_meaning_waits_for_review_and_is_placed_only_when_accepted() {
    let (p, file, stored) = reanchor::coded();
    let quote = reanchor::QUOTE;
    let id = visgraat::coding::load_file(&file).unwrap().codings[0]
        .id
        .clone();
    assert!(
        stored.contains("prefix = ") && stored.contains("suffix = "),
        "{stored}"
    );

    let src = p
        .corpus()
        .join("sources/intermezzo/intermezzo-definitie-passend-onderwijs.md");
    let text = std::fs::read_to_string(&src).unwrap();
    std::fs::write(
        &src,
        text.replace("docenten niet altijd precies", "docenten altijd precies"),
    )
    .unwrap();
    let out = p.expect(2, &["check"]);
    assert!(
        out.contains(&format!("coding {id} (individu-onduidelijk-wat-passend-onderwijs-is) needs review: a negation was added or removed inside it")),
        "{out}"
    );
    assert!(out.contains("“docenten altijd precies weten"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        stored,
        "check rewrote nothing"
    );
    // It counts nowhere meanwhile.
    assert!(p.search(&["precies", "--coder", "tester"]).is_empty());

    let accepted = p.expect(2, &["check", "--accept", &id]);
    assert!(
        accepted.contains(&format!("placed coding {id}")),
        "{accepted}"
    );
    let placed = std::fs::read_to_string(&file).unwrap();
    assert!(
        placed.contains("quote = \"docenten altijd precies weten wat passend onderwijs inhoudt\""),
        "{placed}"
    );
    assert!(
        placed.contains(&format!("original_quote = \"{quote}\"")),
        "the first quote is kept: {placed}"
    );
    assert!(!placed.contains("review"), "{placed}");
    assert_eq!(p.search(&["precies", "--coder", "tester"]).len(), 1);
}

/// The numbers in `check`'s last line: codes, codings and coders.
pub(crate) fn summary(out: &str) -> (usize, usize, usize) {
    let last = out.lines().last().unwrap_or_default();
    let number_before = |word: &str| {
        let at = last
            .find(word)
            .unwrap_or_else(|| panic!("{word} in {last:?}"));
        last[..at]
            .split_whitespace()
            .last()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("a number before {word} in {last:?}"))
    };
    (
        number_before(" codes,"),
        number_before(" codings by"),
        number_before(" coder(s)"),
    )
}

#[test]
fn an_emptied_codings_file_is_reported_and_the_rest_loads() {
    let p = Project::shipped();
    let (_, codings, coders) = summary(&p.expect(0, &["check"]));
    let intake = p.corpus().join("codings/voorbeeld/intermezzo-intake.toml");
    let lost = std::fs::read_to_string(&intake)
        .unwrap()
        .matches("[[coding]]")
        .count();
    let grenzen = p
        .corpus()
        .join("codings/voorbeeld-2/intermezzo-grenzen-in-passend-onderwijs.toml");
    let lost_too = std::fs::read_to_string(&grenzen)
        .unwrap()
        .matches("[[coding]]")
        .count();
    // A 0-byte file (a failed copy) and one of white space only (an editor's accident).
    std::fs::write(&intake, "").unwrap();
    std::fs::write(&grenzen, "\n  \n").unwrap();

    let out = p.expect(2, &["check"]);
    for file in [
        "voorbeeld/intermezzo-intake.toml",
        "voorbeeld-2/intermezzo-grenzen-in-passend-onderwijs.toml",
    ] {
        assert!(
            out.contains(&format!(
                "{file}: holds no codings: if that is meant, delete the file; if not, restore it from git"
            )),
            "{out}"
        );
    }
    let (_, left, coders_left) = summary(&out);
    assert_eq!((left, coders_left), (codings - lost - lost_too, coders));
    // The rest works: stats counts the other files and says problems were skipped.
    let err = p.stderr(0, &["stats"]);
    assert!(err.contains("holds no codings"), "{err}");
}

#[test]
fn a_coder_directory_linked_to_another_is_read_once_and_reported() {
    let p = Project::shipped();
    let before = summary(&p.expect(0, &["check"]));
    std::os::unix::fs::symlink("voorbeeld", p.corpus().join("codings/x")).unwrap();
    let out = p.expect(2, &["check"]);
    assert!(
        out.contains("codings/x: the same directory as codings/voorbeeld (a symbolic link)"),
        "{out}"
    );
    assert_eq!(summary(&out), before, "no coding is counted twice: {out}");
    // The agreement of voorbeeld with itself would be perfect; x is not a coder at all.
    let err = p.stderr(2, &["agreement", "--coders", "voorbeeld,x"]);
    assert!(err.contains("no codings by \"x\""), "{err}");
}

#[test]
fn leftover_temp_files_are_reported_and_old_ones_removed_on_opening() {
    let p = Project::shipped();
    // What a write killed before its rename leaves: `.NAME.PID.tmp` beside the file.
    let old = p
        .corpus()
        .join("codings/voorbeeld/.intermezzo-intake.toml.4242.tmp");
    let young = p
        .corpus()
        .join("sources/intermezzo/.intermezzo-intake.md.77.tmp");
    let book = p.corpus().join(".codebook.toml.9.tmp");
    for f in [&old, &young, &book] {
        std::fs::write(f, "half a write").unwrap();
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for f in [&old, &book] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    // Not one of visgraat's: left alone.
    let foreign = p.corpus().join("sources/notes.tmp");
    std::fs::write(&foreign, "mine").unwrap();

    // Reported, but not a problem: the files they were for are whole either way.
    let out = p.expect(0, &["check"]);
    assert!(
        out.contains("removed 2 temp file(s) left by writes that were killed"),
        "{out}"
    );
    assert!(!old.exists() && !book.exists());
    // A younger one may be a write in progress: kept, and reported.
    assert!(young.exists() && foreign.exists());
    assert!(
        out.contains(".intermezzo-intake.md.77.tmp: note: temp file of an unfinished write"),
        "{out}"
    );
    assert!(out.lines().last().unwrap().starts_with("ok: "), "{out}");
    assert!(!out.contains("notes.tmp"), "{out}");

    // Other commands say so on stderr; the TUI in its status line.
    std::fs::write(&old, "half a write").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let err = p.stderr(0, &["stats"]);
    assert!(err.contains("note: removed 1 temp file(s)"), "{err}");
    std::fs::remove_file(&young).unwrap();
    std::fs::write(&old, "half a write").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let ws = Workspace::open(Config::load(&p.path().join("config.toml")).unwrap()).unwrap();
    assert_eq!(ws.cleaned, vec![old.clone()]);
    let app = App::new(ws, (100, 30), false);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|(m, error)| !*error && m.starts_with("1 ")),
        "{:?}",
        app.message
    );
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
