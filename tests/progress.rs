//! Long work is never silent on a terminal, and never noisy anywhere else: a progress bar on
//! stderr when it is a terminal (a pseudo-terminal made by util-linux's `script`), nothing
//! on a pipe or with `--quiet`; Ctrl-C stops cleanly, leaving nothing half-written.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Project;

fn script_available() -> bool {
    Command::new("script").arg("--version").output().is_ok()
}

/// Run `visgraat ARGS` in `dir` on a pseudo-terminal; returns everything it wrote there
/// (stdout and stderr, escape sequences and all) and its exit code.
fn on_a_terminal(dir: &Path, args: &str) -> (String, i32) {
    let bin = env!("CARGO_BIN_EXE_visgraat");
    let typescript = dir.join("typescript");
    let status = Command::new("script")
        .args(["--quiet", "--return", "--command"])
        .arg(format!("'{bin}' {args}"))
        .arg(&typescript)
        .current_dir(dir)
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    let written = std::fs::read(&typescript).unwrap();
    std::fs::remove_file(&typescript).unwrap();
    (
        String::from_utf8_lossy(&written).to_string(),
        status.code().unwrap_or(-1),
    )
}

/// What Ctrl-C in the terminal sends: SIGINT.
fn ctrl_c(child: &std::process::Child) {
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// A generated corpus (synthetic, deterministic) of `size` in a new temp dir.
fn generated(size: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .args(["generate", "--size", size, "--seed", "3"])
        .arg(dir.path().join("project"))
        .current_dir(common::repo_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

#[test]
fn index_build_shows_progress_on_a_terminal_and_nothing_on_a_pipe() {
    if !script_available() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let dir = generated("1MB");
    let project = dir.path().join("project");

    let (screen, code) = on_a_terminal(&project, "index --rebuild");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("indexing"), "no progress shown:\n{screen}");
    assert!(screen.contains("sources"), "{screen}");
    assert!(screen.contains("index rebuilt"), "{screen}");

    // The same on pipes: stdout has the result, stderr nothing at all.
    let out = Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .args(["index", "--rebuild"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("index rebuilt"));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "stderr on a pipe");

    // --quiet: a terminal, but no bar.
    let (screen, code) = on_a_terminal(&project, "--quiet index --rebuild");
    assert_eq!(code, 0, "{screen}");
    assert!(!screen.contains("indexing"), "{screen}");
    assert!(screen.contains("index rebuilt"), "{screen}");
}

#[test]
fn generate_and_agreement_report_progress_too() {
    if !script_available() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let shipped = common::repo_root();
    let (screen, code) = on_a_terminal(
        &shipped,
        &format!(
            "generate --size 1MB --seed 4 '{}'",
            dir.path().join("g").display()
        ),
    );
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("generating"), "{screen}");
    assert!(screen.contains("files"), "{screen}");

    let (screen, code) = on_a_terminal(&dir.path().join("g"), "agreement");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("comparing coders"), "{screen}");
    assert!(screen.contains("overall"), "{screen}");
}

/// Ctrl-C while the index waits for another process's lock: the command stops at once with
/// exit 130 and says so; the index is untouched, and the next run builds it.
#[test]
fn ctrl_c_stops_an_index_build_cleanly() {
    let p = Project::shipped();
    let index = p.path().join("index");
    std::fs::create_dir_all(&index).unwrap();
    let other_process = std::fs::File::create(index.join(".visgraat-lock")).unwrap();
    other_process.lock().unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .arg("index")
        .current_dir(p.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    assert!(child.try_wait().unwrap().is_none(), "it waits for the lock");
    ctrl_c(&child);
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped promptly"
    );
    assert_eq!(out.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(!index.join("meta.json").exists(), "nothing was written");

    drop(other_process);
    let built = p.expect(0, &["index"]);
    assert!(built.contains("index rebuilt"), "{built}");
    assert!(!p.search(&["reddingsboeien"]).is_empty());
}

/// Ctrl-C during `generate`: no half corpus is left behind, so the same command can run
/// again.
#[test]
fn ctrl_c_during_generate_leaves_no_half_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big");
    let child = Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .args(["generate", "--size", "2GB", "--seed", "5"])
        .arg(&out)
        .current_dir(common::repo_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it is writing transcripts.
    let started = Instant::now();
    while !std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some()) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "generate started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    ctrl_c(&child);
    let result = child.wait_with_output().unwrap();
    assert_eq!(
        result.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
