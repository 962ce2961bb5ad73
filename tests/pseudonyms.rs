//! `visgraat import --pseudonymise` keeps real names out of the corpus and its exports, also
//! when the file name holds one, and refuses a pseudonym key inside the corpus however its
//! path is written. The transcript is synthetic (tests/fixtures/import/).

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::Project;

const FIXTURE: &str = "tests/fixtures/import/interview-sanne-jansen.txt";

/// The fixture, copied beside the project under its telling name.
fn transcript(p: &Project) -> PathBuf {
    let file = p.path().join("interview-sanne-jansen.txt");
    std::fs::copy(common::repo_root().join(FIXTURE), &file).unwrap();
    file
}

/// The real name's parts that may appear nowhere, in any case.
fn assert_no_name(what: &str, text: &str) {
    let lower = text.to_lowercase();
    for part in ["sanne", "jansen"] {
        assert!(!lower.contains(part), "{part:?} in {what}:\n{text}");
    }
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
    out
}

/// Every entry of a zip file (qdpx, docx), as text.
fn zip_texts(path: &Path) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (
                f.name().unwrap().to_string(),
                String::from_utf8_lossy(&bytes).to_string(),
            )
        })
        .collect()
}

#[test]
fn a_name_in_the_file_name_reaches_no_file_and_no_export() {
    let p = Project::shipped();
    let file = transcript(&p);
    let out = p.expect(0, &["import", file.to_str().unwrap(), "--pseudonymise"]);
    assert_no_name("import's output", &out);
    let source = p
        .corpus()
        .join("sources/transcript/interview-deelnemer-1.md");
    assert!(
        out.contains("added corpus/sources/transcript/interview-deelnemer-1.md"),
        "{out}"
    );
    let written = std::fs::read_to_string(&source).unwrap();
    for line in [
        "id = \"interview-deelnemer-1\"",
        // The file's own first line is its title, pseudonymised as the rest.
        "title = \"Interview Deelnemer 1 — synthetisch transcript (verzonnen voor tests)\"",
        "provenance = \"imported from interview-Deelnemer 1.txt (pseudonymised)\"",
        "[00:00:11] Deelnemer 1: Een goede intake",
        "[00:00:40] Deelnemer 2: Dat herken ik.",
    ] {
        assert!(written.contains(line), "{line:?} in\n{written}");
    }
    // The key, outside the corpus, has the names.
    let key = std::fs::read_to_string(p.path().join("pseudonyms.toml")).unwrap();
    assert!(key.contains("name = \"Sanne Jansen\""), "{key}");

    p.expect(
        0,
        &[
            "code",
            "interview-deelnemer-1",
            "--match",
            "Een goede intake, met een open gesprek met de student zelf.",
            "beleid-intake-met-open-gesprek",
            "--memo",
            "Synthetisch: de intake als open gesprek.",
        ],
    );
    for path in files_under(&p.corpus()) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_string();
        assert_no_name(&path.display().to_string(), &text);
        assert_no_name("a file name under corpus/", &path.to_string_lossy());
    }
    for format in ["md", "csv", "ndjson", "qdpx", "docx"] {
        let out = p.path().join(format!("export.{format}"));
        p.expect(
            0,
            &["export", "--format", format, "-o", out.to_str().unwrap()],
        );
        if matches!(format, "qdpx" | "docx") {
            let entries = zip_texts(&out);
            assert!(
                entries.iter().any(|(_, t)| t.contains("Een goede intake")),
                "the transcript is in the {format} export"
            );
            for (name, text) in entries {
                assert_no_name(&format!("{format}: {name}"), &name);
                assert_no_name(&format!("{format}: {name}"), &text);
            }
        } else {
            let text = std::fs::read_to_string(&out).unwrap();
            assert!(text.contains("Een goede intake"), "{format}: {text}");
            assert_no_name(format, &text);
        }
    }
    // Stable: the same file again changes nothing.
    let again = p.expect(0, &["import", file.to_str().unwrap(), "--pseudonymise"]);
    assert!(again.contains("unchanged"), "{again}");
}

/// config.toml with `pseudonym_key` set to `key` (as written there).
fn with_key(p: &Project, key: &str) {
    std::fs::write(
        p.path().join("config.toml"),
        format!(
            "corpus = \"corpus\"\nindex = \"index\"\ncoder = \"tester\"\npseudonym_key = {key:?}\n"
        ),
    )
    .unwrap();
}

#[test]
fn a_pseudonym_key_inside_the_corpus_is_refused_however_it_is_written() {
    let p = Project::shipped();
    let file = transcript(&p);
    let absolute = p.corpus().join("pseudonyms.toml");
    let mut keys = vec![
        "corpus/pseudonyms.toml".to_string(),
        "./corpus/pseudonyms.toml".to_string(),
        "corpus/import/../pseudonyms.toml".to_string(),
        "corpus/private/pseudonyms.toml".to_string(),
        absolute.to_str().unwrap().to_string(),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(p.corpus().join("import"), p.path().join("private")).unwrap();
        keys.push("private/pseudonyms.toml".to_string());
    }
    for key in &keys {
        with_key(&p, key);
        let err = p.stderr(2, &["import", file.to_str().unwrap(), "--pseudonymise"]);
        assert!(
            err.contains(
                "lies inside the corpus: set pseudonym_key in config.toml to a path outside it"
            ),
            "{key}: {err}"
        );
        assert!(
            !p.corpus().join("sources/transcript").exists(),
            "{key}: nothing imported"
        );
        let check = p.expect(2, &["check"]);
        assert!(check.contains("lies inside the corpus"), "{key}: {check}");
    }
    // A key that is already there is reported by check too.
    std::fs::write(
        &absolute,
        "[[person]]\nname = \"Sanne Jansen\"\npseudonym = \"Deelnemer 1\"\n",
    )
    .unwrap();
    with_key(&p, "./corpus/pseudonyms.toml");
    let check = p.expect(2, &["check"]);
    assert!(check.contains("lies inside the corpus"), "{check}");
    std::fs::remove_file(&absolute).unwrap();

    // Beside the corpus, as by default, all is well.
    with_key(&p, "pseudonyms.toml");
    p.expect(0, &["import", file.to_str().unwrap(), "--pseudonymise"]);
    let check = p.expect(0, &["check"]);
    assert!(check.starts_with("ok: "), "{check}");
}
