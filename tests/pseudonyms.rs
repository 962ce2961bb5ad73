//! `visgraat import --pseudonymise` refuses a pseudonym key inside the corpus however its
//! path is written. The transcript is synthetic (tests/fixtures/import/).

mod common;

use std::path::PathBuf;

use common::Project;

const FIXTURE: &str = "tests/fixtures/import/interview-sanne-jansen.txt";

/// The fixture, copied beside the project under its telling name.
fn transcript(p: &Project) -> PathBuf {
    let file = p.path().join("interview-sanne-jansen.txt");
    std::fs::copy(common::repo_root().join(FIXTURE), &file).unwrap();
    file
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
