//! A researcher's own project, from an empty folder to citations: the commands of README's
//! "Start your own project", run exactly as written, then what they made is checked — every
//! citation names its own focus group and speaker, none the shipped Monitor report.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::repo_root;

/// The shell lines of README's "Start your own project" block.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let section = readme
        .split("### Start your own project")
        .nth(1)
        .expect("README has a \"Start your own project\" section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the section has a sh block");
    block
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Words of a shell line: spaces split, "double quotes" group (enough for the README).
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

fn visgraat(dir: &Path, args: &[String], user_config: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", user_config)
        .env_remove("VISGRAAT_CODER")
        .output()
        .unwrap()
}

/// Run the README's lines in `root` (which stands for a clone: its `tests/` is the
/// repository's), following `cd`; every command must succeed.
fn run_readme(root: &Path) -> PathBuf {
    let user_config = root.join(".user-config");
    let mut cwd = root.to_path_buf();
    for line in readme_commands() {
        let words = words(&line);
        match words[0].as_str() {
            "cd" => cwd = cwd.join(&words[1]),
            "visgraat" => {
                let out = visgraat(&cwd, &words[1..], &user_config);
                assert!(
                    out.status.success(),
                    "`{line}` failed ({:?}):\n{}\n{}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            other => panic!("README line {line:?}: only visgraat and cd, not {other}"),
        }
    }
    cwd
}

fn clone_like() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(repo_root().join("tests"), dir.path().join("tests")).unwrap();
    #[cfg(not(unix))]
    common::copy_dir(
        &repo_root().join("tests/fixtures"),
        &dir.path().join("tests/fixtures"),
    );
    dir
}

/// (case label, speaker) of each synthetic transcript's coded passage.
const EXPECTED: [(&str, &str); 3] = [
    ("Focusgroep B, Docent 1, 00:00:31", "korte lijnen"),
    ("Focusgroep C, Docent 2, 00:00:07", "We vangen veel op"),
    ("fg-e, Mentor", "op tijd aan de bel"),
];

#[test]
fn from_an_empty_folder_to_citations_with_the_readme_commands() {
    let root = clone_like();
    let project = run_readme(root.path());
    assert!(project.ends_with("mijn-onderzoek"));

    // Markdown: each quote with its own group, speaker and time.
    let md = std::fs::read_to_string(project.join("citaten.md")).unwrap();
    for (cited, quote) in EXPECTED {
        let at = md
            .find(quote)
            .unwrap_or_else(|| panic!("{quote:?} in\n{md}"));
        let line = md[at..].lines().find(|l| l.starts_with("— ")).unwrap();
        assert!(line.contains(cited), "{cited:?} in {line:?}");
    }
    assert!(!md.contains("Monitor"), "{md}");
    assert!(
        md.contains("casus: Focusgroep B (regio: Zuid, niveau: 2)"),
        "the attribute values with their names: {md}"
    );

    // CSV: the speaker and the citation as columns, the free attributes as columns.
    let csv = std::fs::read_to_string(project.join("coderingen.csv")).unwrap();
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<_> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    for r in &records {
        assert!(!r[col("speaker")].is_empty(), "{r:?}");
        assert!(!r[col("citation")].contains("Monitor"), "{r:?}");
    }
    let b = records.iter().find(|r| &r[col("case")] == "fg-b").unwrap();
    assert_eq!((&b[col("regio")], &b[col("niveau")]), ("Zuid", "2"));
    let c = records.iter().find(|r| &r[col("case")] == "fg-c").unwrap();
    assert_eq!(&c[col("case_start")], "2024-03-14");

    // Word, read back with python-docx where it is installed.
    match std::env::var("VISGRAAT_TEST_PYTHON") {
        Err(_) => eprintln!(
            "skipped the python-docx check: VISGRAAT_TEST_PYTHON is not set (.ci/run sets it)"
        ),
        Ok(python) => {
            let script = "import sys, docx\nprint('\\n'.join(p.text for p in docx.Document(sys.argv[1]).paragraphs))";
            let out = Command::new(&python)
                .args(["-c", script])
                .arg(project.join("citaten.docx"))
                .output()
                .expect("VISGRAAT_TEST_PYTHON runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            for (cited, _) in EXPECTED {
                assert!(text.contains(cited), "{cited:?} in\n{text}");
            }
            assert!(!text.contains("Monitor"), "{text}");
        }
    }

    // The TUI's y / Y copy the text of this library function.
    let corpus = visgraat::corpus::Corpus::load(&project.join("corpus")).unwrap();
    let source = corpus.source("synthetic-focusgroep-team-b").unwrap();
    let at = source.body.chars().count()
        - source.body[source.body.find("de korte").unwrap()..]
            .chars()
            .count();
    let cited = visgraat::export::citation::cite(&corpus, source, at, at + 10);
    assert!(
        cited.contains("— Focusgroep B, Docent 1, 00:00:31"),
        "{cited}"
    );

    // The coder came from --coder; nothing about coders went into the shared project.
    let config = std::fs::read_to_string(project.join("config.toml")).unwrap();
    assert!(!config.lines().any(|l| l.starts_with("coder")), "{config}");
}

#[test]
fn a_corrected_transcript_keeps_its_case_and_json_reports_what_happened() {
    let root = clone_like();
    let project = run_readme(root.path());
    let user = root.path().join(".user-config");
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        visgraat(&project, &args, &user)
    };
    // Every coded passage of the README's project lies in a case: the bone × case matrix
    // has no column of zeros for passages of none.
    let m: serde_json::Value =
        serde_json::from_slice(&run(&["matrix", "level-case", "--format", "json"]).stdout).unwrap();
    let columns = m["columns"].as_array().unwrap();
    assert!(!columns.is_empty(), "{m}");
    assert!(!columns.iter().any(|c| c == "(no case)"), "{m}");
    // A corrected file imported again without --case stays in its case.
    let fixture = repo_root().join("tests/fixtures/import/synthetic-focusgroep-team-b.txt");
    let corrected = project.join("synthetic-focusgroep-team-b.txt");
    let text = std::fs::read_to_string(&fixture).unwrap();
    std::fs::write(&corrected, text.replace("Einde van de opname.", "Einde.")).unwrap();
    let out = run(&["import", corrected.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(said["files"][0]["status"], "updated");
    let cases: serde_json::Value =
        serde_json::from_slice(&run(&["case", "list", "--json"]).stdout).unwrap();
    let b = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "fg-b")
        .unwrap();
    assert_eq!(b["sources"][0], "synthetic-focusgroep-team-b");
    assert_eq!(b["attributes"]["niveau"], 2);
    // --no-case takes it out.
    assert!(
        run(&["import", corrected.to_str().unwrap(), "--no-case"])
            .status
            .success()
    );
    let cases: serde_json::Value =
        serde_json::from_slice(&run(&["case", "list", "--json"]).stdout).unwrap();
    let b = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "fg-b")
        .unwrap();
    assert!(b["sources"].as_array().unwrap().is_empty(), "{b}");

    let codes: serde_json::Value =
        serde_json::from_slice(&run(&["codes", "list", "--json"]).stdout).unwrap();
    assert_eq!(codes.as_array().unwrap().len(), 2);
    assert_eq!(codes[0]["coded"], 2);
    let check: serde_json::Value =
        serde_json::from_slice(&run(&["check", "--json"]).stdout).unwrap();
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["codings"], 3);
}

#[test]
fn the_errors_of_a_new_user_are_clear_and_exit_2() {
    let root = clone_like();
    let user = root.path().join(".user-config");
    let err = |dir: &Path, args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let out = visgraat(dir, &args, &user);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    // Outside a project: says so and points to init.
    let said = err(root.path(), &["search", "werkdruk"]);
    assert!(
        said.contains("not a visgraat project") && said.contains("visgraat init"),
        "{said}"
    );
    let said = err(root.path(), &["codes", "list"]);
    assert!(said.contains("visgraat init"), "{said}");
    run_readme(root.path());
    let project = root.path().join("mijn-onderzoek");
    // init refuses an existing project.
    let said = err(root.path(), &["init", "mijn-onderzoek"]);
    assert!(said.contains("holds a visgraat project already"), "{said}");
    // An unknown case says how to make it.
    let said = err(
        &project,
        &[
            "import",
            "../tests/fixtures/import/synthetic-focusgroep-team-f.md",
            "--case",
            "fg-f",
        ],
    );
    assert!(
        said.contains("visgraat case add fg-f") && said.contains("--new-case"),
        "{said}"
    );
    // A file that is refused makes no case (it used to be made before the file was read);
    // the first file that is imported makes it, and says so.
    std::fs::write(root.path().join("leeg.txt"), "").unwrap();
    let said = err(
        &project,
        &["import", "../leeg.txt", "--new-case", "fg-leeg"],
    );
    assert!(said.contains("holds no text"), "{said}");
    let cases = || std::fs::read_to_string(project.join("corpus/cases.toml")).unwrap();
    assert!(!cases().contains("fg-leeg"), "{}", cases());
    let args: Vec<String> = [
        "import",
        "../leeg.txt",
        "../tests/fixtures/import/synthetic-focusgroep-team-f.md",
        "--new-case",
        "fg-f",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    let out = visgraat(&project, &args, &user);
    assert_eq!(
        out.status.code(),
        Some(2),
        "the empty file still fails: {out:?}"
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("added case fg-f"), "{said}");
    assert!(cases().contains("id = \"fg-f\""), "{}", cases());
    // A code in use is not deleted; a bad attribute name is refused.
    let said = err(&project, &["codes", "delete", "team-werkdruk"]);
    assert!(said.contains("--into OTHER"), "{said}");
    let said = err(&project, &["case", "set", "fg-b", "--attr", "id=x"]);
    assert!(said.contains("a case's own key"), "{said}");
    let said = err(&project, &["search", "werkdruk", "--limit", "0"]);
    assert!(said.contains("--limit"), "{said}");
    // One bad entry in cases.toml: file and line.
    let cases = project.join("corpus/cases.toml");
    let text = std::fs::read_to_string(&cases).unwrap();
    std::fs::write(
        &cases,
        format!("{text}\n[[case]]\nid = \"fg-b\"\nlabel = \"again\"\n"),
    )
    .unwrap();
    let out = visgraat(&project, &["check".to_string()], &user);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("cases.toml:") && said.contains("duplicate case id"),
        "{said}"
    );
    // project.toml without its required fields: one message naming both.
    std::fs::write(&cases, text).unwrap();
    std::fs::write(project.join("corpus/project.toml"), "language = \"nl\"\n").unwrap();
    let out = visgraat(&project, &["check".to_string()], &user);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert_eq!(said.matches("project.toml").count(), 1, "{said}");
    assert!(said.contains("missing title, provenance"), "{said}");
}

#[test]
fn a_closed_pipe_ends_quietly_and_completions_and_man_are_written() {
    let p = common::Project::shipped();
    p.expect(0, &["index"]);
    let bin = env!("CARGO_BIN_EXE_visgraat");
    // 200 hits of pretty JSON are far more than a pipe holds, so the write after `head`
    // closed it fails: the process must end quietly (SIGPIPE: 141; 0 if all fit).
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{bin}' search onderwijs --json --limit 200 | head -1; echo \"exit=${{PIPESTATUS[0]}}\""
        ))
        .current_dir(p.path())
        .env("XDG_CONFIG_HOME", p.path().join(".user-config"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, ["[", "exit=141"], "{stdout}");
    for shell in ["bash", "zsh", "fish"] {
        let script = p.expect(0, &["completions", shell]);
        assert!(
            script.contains("visgraat") && script.contains("codes"),
            "{shell}"
        );
    }
    assert!(p.expect(0, &["man"]).contains(".TH visgraat 1"));
}

#[test]
fn a_fishbone_with_bones_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join(".user-config");
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        visgraat(dir.path(), &args, &user)
    };
    assert!(run(&["init", "--template", "fishbone"]).status.success());
    let book = dir.path().join("corpus/codebook.toml");
    let text = std::fs::read_to_string(&book).unwrap();
    std::fs::write(
        &book,
        format!(
            "[[level]]\nid = \"gezin\"\nlabel = \"Gezin\"\n\n[[level]]\nid = \"school\"\n\n{text}"
        ),
    )
    .unwrap();
    let out = run(&[
        "codes",
        "add",
        "Steun thuis",
        "--level",
        "gezin",
        "--valence",
        "+",
        "--definition",
        "Ouders helpen mee (synthetisch).",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "codes",
        "add",
        "Roosters",
        "--level",
        "team",
        "--valence",
        "-",
        "--definition",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("use one of gezin, school"), "{said}");
    let codes: serde_json::Value =
        serde_json::from_slice(&run(&["codes", "list", "--json"]).stdout).unwrap();
    assert_eq!(codes[0]["id"], "gezin-steun-thuis");
    assert_eq!(codes[0]["level"], "gezin");
    let text = std::fs::read_to_string(&book).unwrap();
    assert!(text.starts_with("[[level]]\nid = \"gezin\""), "{text}");
    let stats = String::from_utf8_lossy(&run(&["stats"]).stdout).to_string();
    assert!(stats.contains("gezin"), "{stats}");
    // The framework matrix's level columns are the book's own bones, not the monitor's.
    assert!(
        run(&["case", "add", "fg-a", "--label", "Focusgroep A"])
            .status
            .success()
    );
    let out = run(&[
        "framework",
        "set",
        "fg-a",
        "gezin",
        "Ouders doen mee.",
        "--coder",
        "ana",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["framework", "set", "fg-a", "team", "x", "--coder", "ana"]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("gezin, school"), "{said}");
    let shown: serde_json::Value =
        serde_json::from_slice(&run(&["framework", "show", "--json"]).stdout).unwrap();
    let columns: Vec<&str> = shown[0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["Gezin", "school"]);
    assert_eq!(
        shown[0]["cells"][0][0]["summaries"][0]["text"],
        "Ouders doen mee."
    );
    assert!(run(&["check"]).status.success());
}

#[test]
fn the_tui_asks_who_codes_once_and_codes_a_passage_in_a_real_terminal() {
    if !common::tmux::available() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let root = clone_like();
    let project = run_readme(root.path());
    let user_config = root.path().join(".tui-user-config");
    std::fs::create_dir_all(&user_config).unwrap();
    let env = format!(
        "env -u VISGRAAT_CODER XDG_CONFIG_HOME='{}' ",
        user_config.display()
    );
    let t = common::tmux::Tmux::start_with(&project, 120, 36, &env);
    // Nobody said who codes: the first run asks, and remembers it in the user's config.
    t.wait_for("Wie codeert er?");
    t.keys(&["C-u"]);
    for _ in 0..40 {
        t.keys(&["BSpace"]);
    }
    t.literal("bram");
    t.keys(&["Enter"]);
    t.wait_for("actieve codeur: bram");
    let remembered = std::fs::read_to_string(user_config.join("visgraat/config.toml")).unwrap();
    assert!(remembered.contains("coder = \"bram\""), "{remembered}");
    let shared = std::fs::read_to_string(project.join("config.toml")).unwrap();
    assert!(!shared.contains("bram"), "never in the project: {shared}");

    // Open the first transcript, select its first paragraph, code it as werkdruk.
    t.keys(&["Enter"]);
    t.wait_for("Codes in deze alinea");
    t.keys(&["v", "}", "c"]);
    t.wait_for("Kies een code");
    t.literal("werkdruk");
    t.keys(&["Enter"]);
    t.wait_for("Memo");
    t.literal("via de TUI");
    t.keys(&["Enter"]);
    t.wait_for("Codering bewaard");
    t.keys(&["q"]);
    t.wait_for("EXITED 0");

    let (set, problems) = visgraat::coding::CodingSet::load(&project.join("corpus"));
    assert!(problems.is_empty(), "{problems:?}");
    let by_bram: Vec<_> = set.codings.iter().filter(|c| c.coder == "bram").collect();
    assert_eq!(by_bram.len(), 1, "{by_bram:?}");
    assert_eq!(by_bram[0].coding.code, "team-werkdruk");
    assert_eq!(by_bram[0].coding.memo, "via de TUI");

    // A second start does not ask again.
    let t = common::tmux::Tmux::start_with(&project, 120, 36, &env);
    t.wait_for("codeur: bram");
    assert!(!t.screen().contains("Wie codeert er?"));
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
    let out = visgraat(&project, &["check".to_string()], &user_config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
