//! Two coders, one repository: each clone adds a coding to the same codings file and git
//! merges them with `visgraat merge-driver`, registered by `coding::merge_driver::register`.
//! Every coding is there afterwards and `check` is clean; a coding changed on both sides is
//! left marked, and `check` says what to do.

mod common;

use std::path::Path;
use std::process::Command;

use common::Project;

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Synthetisch",
            "-c",
            "user.email=s@example.invalid",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success() || args[0] == "pull",
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn visgraat(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

const FILE: &str = "corpus/codings/voorbeeld/intermezzo-intake.toml";

fn count(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join(FILE))
        .unwrap()
        .matches("[[coding]]")
        .count()
}

#[test]
fn two_clones_codings_merge_through_git() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let a = Project::shipped();
    let exe = env!("CARGO_BIN_EXE_visgraat");
    git(a.path(), &["init", "-q", "-b", "main"]);
    visgraat::coding::merge_driver::register(a.path(), exe).unwrap();
    git(a.path(), &["add", "-A"]);
    git(a.path(), &["commit", "-q", "-m", "start"]);
    let b_dir = tempfile::tempdir().unwrap();
    let b = b_dir.path().join("b");
    git(
        b_dir.path(),
        &["clone", "-q", a.path().to_str().unwrap(), "b"],
    );
    // The driver is git config, which a clone does not copy: each clone registers it.
    visgraat::coding::merge_driver::register(&b, exe).unwrap();
    let base = count(a.path());

    for (dir, text, code) in [
        (
            a.path(),
            "privacyregelgeving",
            "beleid-avg-bemoeilijkt-warme-overdracht",
        ),
        (
            b.as_path(),
            "vooropleidingseisen",
            "beleid-intake-met-open-gesprek",
        ),
    ] {
        let out = visgraat(
            dir,
            &[
                "code",
                "intermezzo-intake",
                "--match",
                text,
                code,
                "--coder",
                "voorbeeld",
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        git(dir, &["commit", "-q", "-am", "a coding"]);
    }
    let pulled = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(
        pulled.status.success(),
        "{}",
        String::from_utf8_lossy(&pulled.stderr)
    );
    assert_eq!(count(&b), base + 2, "both additions are in the merged file");
    let check = visgraat(&b, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // And back into the first clone.
    let pulled = git(
        a.path(),
        &["pull", "-q", "--no-rebase", b.to_str().unwrap(), "main"],
    );
    assert!(pulled.status.success());
    assert_eq!(count(a.path()), base + 2);

    // Memos written in parallel on different targets both go in (git's line merge made
    // them conflict every time; found in a new-user trial).
    for (dir, target, text) in [
        (
            a.path(),
            "source:intermezzo-intake",
            "Memo van A (synthetisch).",
        ),
        (
            b.as_path(),
            "code:beleid-intake-met-open-gesprek",
            "Memo van B (synthetisch).",
        ),
    ] {
        let out = visgraat(dir, &["memo", target, text, "--coder", "voorbeeld"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "-q", "-m", "a memo"]);
    }
    let pulled = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(
        pulled.status.success(),
        "{}",
        String::from_utf8_lossy(&pulled.stderr)
    );
    let memos = std::fs::read_to_string(b.join("corpus/memos.toml")).unwrap();
    assert!(
        memos.contains("Memo van A") && memos.contains("Memo van B"),
        "{memos}"
    );
    assert!(visgraat(&b, &["check"]).status.success());
    let pulled = git(
        a.path(),
        &["pull", "-q", "--no-rebase", b.to_str().unwrap(), "main"],
    );
    assert!(pulled.status.success());

    // The same coding's memo changed on both sides: a conflict, marked and explained.
    for (dir, memo) in [
        (a.path(), "Versie A (synthetisch)."),
        (b.as_path(), "Versie B (synthetisch)."),
    ] {
        let path = dir.join(FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        let at = text.find("memo = \"").unwrap();
        let end = at + text[at..].find('\n').unwrap();
        std::fs::write(
            &path,
            format!("{}memo = \"{memo}\"{}", &text[..at], &text[end..]),
        )
        .unwrap();
        git(dir, &["commit", "-q", "-am", "memo"]);
    }
    let pulled = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(!pulled.status.success(), "a real conflict stops the merge");
    // The driver names the file by its path in the repository, not git's temporary file.
    assert!(
        String::from_utf8_lossy(&pulled.stderr)
            .contains(&format!("visgraat: {FILE}: a coding changed on both sides")),
        "{}",
        String::from_utf8_lossy(&pulled.stderr)
    );
    let text = std::fs::read_to_string(b.join(FILE)).unwrap();
    assert!(
        text.contains("<<<<<<< visgraat: coding c-cbdbbea9066e was changed on both sides"),
        "{text}"
    );
    assert!(text.contains("Versie A") && text.contains("Versie B"));
    let check = visgraat(&b, &["check"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!check.status.success(), "{said}");
    assert!(
        said.contains("changed differently on both sides of a git merge"),
        "{said}"
    );
}
