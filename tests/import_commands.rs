//! What a user does around importing real transcripts: import every form with
//! `--pseudonymise` and find no real name anywhere, look before writing (`--dry-run`), fix a
//! mislabelled speaker (`speakers rename|merge`, codings follow), check for leaks
//! (`pseudonyms check`), and be told where XML and binary files belong.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::Project;

fn fixture(name: &str) -> PathBuf {
    common::repo_root().join("tests/fixtures/import").join(name)
}

/// Every transcript fixture (the PDF text has its own test).
fn transcript_fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name != "SOURCES.md" && name != "synthetic-notitie-pdf-tekst.txt"
        })
        .collect();
    files.sort();
    files
}

/// Every real name in the fixtures (first names and surnames), as written there.
const REAL_NAMES: &[&str] = &[
    "Sanne",
    "Boer",
    "Jansen",
    "Teun",
    "Brouwer",
    "Smit",
    "Yilmaz",
    "Petra",
    "Bram",
    "Wit",
    "Hendriks",
    "Lotte",
    "Vermeulen",
    "Femke",
    "Visser",
    "Ruud",
    "Kuipers",
    "Karin",
    "Mulder",
    "Tom",
    "Anna",
    "Ahmed",
    "amrani",
    "Yuri",
    "Bakulin",
    "Adrian",
    "Petrescu",
    "Noor",
    "Sam",
];

/// The real names in `text` as whole words.
fn names_in(text: &str) -> Vec<&'static str> {
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
    REAL_NAMES
        .iter()
        .copied()
        .filter(|name| words.contains(name))
        .collect()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The texts of a file, or of each entry of a zip (qdpx, docx).
fn texts(path: &Path) -> Vec<(String, String)> {
    let bytes = std::fs::read(path).unwrap();
    if !bytes.starts_with(b"PK") {
        return vec![(
            path.display().to_string(),
            String::from_utf8_lossy(&bytes).into(),
        )];
    }
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            let name = format!("{}!{}", path.display(), f.name().unwrap());
            (name, String::from_utf8_lossy(&bytes).into())
        })
        .collect()
}

#[test]
fn every_form_imported_with_pseudonyms_leaves_no_real_name_in_the_corpus_or_an_export() {
    let p = Project::shipped();
    let files = transcript_fixtures();
    let mut args = vec!["import".to_string(), "--pseudonymise".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = p.expect(0, &args);
    assert_eq!(
        out.matches("added corpus/sources/transcript/").count(),
        files.len(),
        "{out}"
    );
    assert!(out.contains("pseudonymised: Deelnemer 1 ×"), "{out}");
    assert!(
        out.contains("Windows-1252/Latin-1") && out.contains("UTF-16LE"),
        "{out}"
    );
    // The import's own output names pseudonyms, never the names they replaced.
    assert_eq!(names_in(&out), Vec::<&str>::new(), "{out}");
    let key = std::fs::read_to_string(p.path().join("pseudonyms.toml")).unwrap();
    for name in [
        "Sanne de Boer",
        "Smit",
        "Femke Visser",
        "Bram Hendriks",
        "Yuri Bakulin",
    ] {
        assert!(
            key.contains(&format!("name = \"{name}\"")),
            "{name} in\n{key}"
        );
    }

    let source = "synthetic-focusgroep-haakjes";
    p.expect(
        0,
        &[
            "code",
            source,
            "--match",
            "Een vaste mentor.",
            "team-collegiale-steun",
        ],
    );
    let written =
        std::fs::read_to_string(p.corpus().join(format!("sources/transcript/{source}.md")));
    let written = written.unwrap();
    assert!(
        written.contains("[00:00:03] Deelnemer ")
            && written.contains(" (ROC Oost): Goedemiddag, ik ben Deelnemer"),
        "{written}"
    );
    assert!(
        written.contains(": Een vaste mentor. Mevrouw Deelnemer "),
        "{written}"
    );
    let mut exports = Vec::new();
    for format in ["md", "csv", "ndjson", "qdpx", "docx"] {
        let out = p.path().join(format!("export.{format}"));
        p.expect(
            0,
            &["export", "--format", format, "-o", out.to_str().unwrap()],
        );
        exports.push(out);
    }
    for path in files_under(&p.corpus()).iter().chain(&exports) {
        for (place, text) in texts(path) {
            assert_eq!(names_in(&text), Vec::<&str>::new(), "{place}");
            assert_eq!(
                names_in(&place),
                Vec::<&str>::new(),
                "a name in the file name {place}"
            );
        }
    }
    // The project's own check agrees, over corpus/ and the exports.
    let mut check = vec!["pseudonyms", "check"];
    let shown: Vec<String> = exports.iter().map(|e| e.display().to_string()).collect();
    check.extend(shown.iter().map(String::as_str));
    let out = p.expect(0, &check);
    assert!(out.contains("0 leak(s) of "), "{out}");

    // A name typed into the corpus afterwards is found, with file and line.
    let memo = p
        .corpus()
        .join("sources/transcript/synthetic-regel-per-beurt.md");
    let mut text = std::fs::read_to_string(&memo).unwrap();
    text.push_str("\nMet dank aan Bram Hendriks.\n");
    std::fs::write(&memo, text.as_bytes()).unwrap();
    let lines = text.lines().count();
    let out = p.expect(2, &["pseudonyms", "check"]);
    assert!(
        out.contains(&format!(
            "synthetic-regel-per-beurt.md:{lines}: a real name: Bram Hendriks"
        )),
        "{out}"
    );
}

#[test]
fn a_dry_run_shows_speakers_headers_and_the_word_check_and_writes_nothing() {
    let p = Project::shipped();
    let before: Vec<PathBuf> = files_under(&p.corpus());
    let file = fixture("synthetic-interview-kleine-letters.txt");
    let out = p.expect(0, &["import", "--dry-run", file.to_str().unwrap()]);
    for line in [
        "synthetic-interview-kleine-letters.txt: text; UTF-8; 12 paragraphs, 7 turns of 2 speakers; words 116 in, 116 out",
        "  speaker Interviewer: 4 turns",
        "  speaker Interviewee: 3 turns",
        "  header: Datum: 4 april 2024",
        "  header: Deelnemers: Femke Visser, Ruud Kuipers",
        "(dry run: nothing was written)",
    ] {
        assert!(out.contains(line), "{line:?} in\n{out}");
    }
    assert_eq!(files_under(&p.corpus()), before);
    assert!(!p.path().join("index").exists());
    // A .qdpx has no dry run, and the message says what to do instead.
    let qdpx = p.path().join("ander.qdpx");
    std::fs::write(&qdpx, b"not read").unwrap();
    let err = p.stderr(2, &["import", "--dry-run", qdpx.to_str().unwrap()]);
    assert!(
        err.contains("has no dry run") && err.contains("visgraat init"),
        "{err}"
    );
}

#[test]
fn a_mislabelled_speaker_is_renamed_and_merged_and_codings_follow() {
    let p = Project::shipped();
    let file = fixture("synthetic-focusgroep-otter.txt");
    p.expect(0, &["import", file.to_str().unwrap()]);
    let source = "synthetic-focusgroep-otter";
    p.expect(
        0,
        &[
            "code",
            source,
            "--match",
            "Bij ons gebeurt dat niet altijd.",
            "team-collegiale-steun",
        ],
    );
    let out = p.expect(0, &["speakers", "rename", source, "Speaker 3", "Docent 4"]);
    assert!(
        out.contains("1 turns of Speaker 3 are now Docent 4's"),
        "{out}"
    );
    let written =
        std::fs::read_to_string(p.corpus().join(format!("sources/transcript/{source}.md")))
            .unwrap();
    assert!(
        written.contains("\n[1:02] Docent 4: Mag ik daar iets aan toevoegen?"),
        "{written}"
    );
    let hits = p.search(&[
        "gebeurt",
        "--speaker",
        "Docent 4",
        "--code",
        "team-collegiale-steun",
    ]);
    assert_eq!(hits.len(), 1, "the coding followed its text");
    p.expect(0, &["check"]);
    let participants = std::fs::read_to_string(p.corpus().join("participants.toml")).unwrap();
    assert!(
        participants.contains("speaker = \"Docent 4\"") && !participants.contains("Speaker 3"),
        "{participants}"
    );

    let err = p.stderr(
        2,
        &["speakers", "rename", source, "Docent 4", "Petra Jansen"],
    );
    assert!(
        err.contains("already speaks in synthetic-focusgroep-otter: use merge"),
        "{err}"
    );
    p.expect(0, &["speakers", "merge", source, "Docent 4", "Bram de Wit"]);
    let out = p.expect(0, &["speakers", "list", source]);
    assert!(
        out.contains("  Petra Jansen: 3 turns\n  Bram de Wit: 3 turns\n"),
        "{out}"
    );
    let hits = p.search(&[
        "gebeurt",
        "--speaker",
        "Bram de Wit",
        "--code",
        "team-collegiale-steun",
    ]);
    assert_eq!(hits.len(), 1);
    let err = p.stderr(2, &["speakers", "merge", source, "Bram de Wit", "Niemand"]);
    assert!(
        err.contains("\"Niemand\" does not speak in synthetic-focusgroep-otter: use rename"),
        "{err}"
    );
}

#[test]
fn xml_and_binary_files_are_refused_with_a_pointer() {
    let p = Project::shipped();
    let before = files_under(&p.corpus());
    let write = |name: &str, bytes: &[u8]| {
        let path = p.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let cases = [
        (
            write(
                "Project.qde",
                b"<?xml version=\"1.0\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\"/>",
            ),
            "import the .qdpx archive it belongs to",
        ),
        (
            write(
                "codebook.qdc",
                b"<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"/>",
            ),
            // A .qdc goes to the code-book import (issue 12), which reads this empty one
            // and says so; it never becomes a transcript.
            "no codes in this code book",
        ),
        (
            write(
                "codes.txt",
                b"<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"/>",
            ),
            "XML: a REFI-QDA code book (.qdc), not a transcript",
        ),
        (
            write("scan.txt", b"%PDF-1.7\n\x00\x01"),
            "a PDF: extract its text",
        ),
        (
            write("opname.txt", b"RIFF\x00\x00WAVEfmt "),
            "a binary file, not text",
        ),
        (
            write("notities.doc", b"\xd0\xcf\x11\xe0"),
            "an old Word document (.doc)",
        ),
    ];
    for (file, pointer) in &cases {
        let err = p.stderr(2, &["import", file.to_str().unwrap()]);
        assert!(err.contains(pointer), "{}: {err}", file.display());
    }
    assert_eq!(files_under(&p.corpus()), before, "nothing was written");
}
