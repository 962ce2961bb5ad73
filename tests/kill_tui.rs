//! TUI edits are never lost to a crash: the TUI's state machine runs a session of edits
//! (tests/fixtures/kill/tui-edits.toml: a memo edit, a recode, a removal, settled
//! disagreements, undo and redo of each) through `visgraat replay`, the same `App::update`
//! and writes as at the keyboard, and is killed with SIGKILL at random moments. After every
//! kill every codings file and the review log parse, and no coding is missing that the
//! session does not itself remove at some step (an edit done as two writes lost its coding
//! in a quarter of such kills).
//!
//! CI runs 30 kills; `VISGRAAT_TUI_KILLS=1000 cargo test --release --test kill_tui --
//! --nocapture` is the long run (scripts/kill-run.sh).

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Lcg, Project, copy_dir};
use visgraat::coding::CodingSet;

/// The script's line after which its edits begin (it has opened a source and gone to a
/// coded span).
const EDITS_BEGIN: &str = "step 2";

fn ids(line: &str) -> BTreeSet<String> {
    line.trim_start_matches("ids")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn replay(p: &Project, trace: bool) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_visgraat"));
    c.arg("replay")
        .arg(common::repo_root().join("tests/fixtures/kill/tui-edits.toml"))
        .current_dir(p.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if trace {
        c.arg("--trace");
    }
    c
}

#[test]
fn tui_edits_survive_kill() {
    let kills: usize = std::env::var("VISGRAAT_TUI_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let p = Project::shipped();
    std::fs::write(
        p.path().join("config.toml"),
        "corpus = \"corpus\"\nindex = \"index\"\ncoder = \"voorbeeld\"\n",
    )
    .unwrap();
    let pristine = tempfile::tempdir().unwrap();
    copy_dir(&p.corpus().join("codings"), pristine.path());
    let reset = || {
        std::fs::remove_dir_all(p.corpus().join("codings")).unwrap();
        copy_dir(pristine.path(), &p.corpus().join("codings"));
        let _ = std::fs::remove_file(p.corpus().join("review.toml"));
    };

    // One whole session first, traced: every state it passes through.
    let mut child = replay(&p, true).spawn().unwrap();
    let lines: Vec<(Instant, String)> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| (Instant::now(), l.unwrap()))
        .collect();
    assert!(child.wait().unwrap().success());
    let states: Vec<BTreeSet<String>> = lines
        .iter()
        .map(|(_, l)| l)
        .filter(|l| l.starts_with("ids"))
        .map(|l| ids(l))
        .collect();
    let initial = states[0].clone();
    // What the session itself takes away at some step (a settled disagreement removes the
    // other coder's coding; a removal before its undo).
    let removed_by_session: BTreeSet<String> = states
        .iter()
        .flat_map(|s| initial.difference(s).cloned().collect::<Vec<_>>())
        .collect();
    let (after, _) = CodingSet::load(&p.corpus());
    let edited: Vec<String> = after
        .codings
        .iter()
        .filter(|c| c.coding.memo.ends_with("(herzien)"))
        .map(|c| format!("{}/{}", c.coder, c.coding.id))
        .collect();
    assert_eq!(edited.len(), 1, "the session edits one coding's memo");
    // The coding edited in place (memo, recode) is never legitimately absent, nor is the one
    // that is removed and put back by undo at step boundaries only once.
    assert!(!removed_by_session.contains(&edited[0]));
    assert!(
        removed_by_session.len() <= 2,
        "the session removes little: {removed_by_session:?}"
    );

    // How long the edits take without the tracing (which reads every file after each step).
    reset();
    let mut child = replay(&p, false).spawn().unwrap();
    let lines: Vec<(Instant, String)> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| (Instant::now(), l.unwrap()))
        .collect();
    assert!(child.wait().unwrap().success());
    let began = lines.iter().find(|(_, l)| l == EDITS_BEGIN).unwrap().0;
    let session = lines.last().unwrap().0 - began;

    let mut rng = Lcg(0x7e11);
    let mut killed = 0;
    let mut attempts = 0;
    let window = session.as_micros() as u64 + 1;
    while killed < kills {
        attempts += 1;
        assert!(attempts < kills * 20, "too few kills landed mid-session");
        reset();
        let mut child = replay(&p, false).spawn().unwrap();
        // Up to the first edit, then a random moment among the edits.
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while out.read_line(&mut line).unwrap() > 0 && line.trim_end() != EDITS_BEGIN {
            line.clear();
        }
        std::thread::sleep(Duration::from_micros(rng.next() % window));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let status = child.wait().unwrap();
        if !finished && !status.success() {
            killed += 1;
        }
        let (set, problems) = CodingSet::load(&p.corpus());
        assert!(
            problems.is_empty(),
            "after attempt {attempts}: {problems:?}"
        );
        let review = p.corpus().join("review.toml");
        if review.exists() {
            let text = std::fs::read_to_string(&review).unwrap();
            assert!(
                text.parse::<toml::Table>().is_ok(),
                "review.toml parses after attempt {attempts}:\n{text}"
            );
        }
        let present: BTreeSet<String> = set
            .codings
            .iter()
            .map(|c| format!("{}/{}", c.coder, c.coding.id))
            .collect();
        let lost: Vec<&String> = initial
            .difference(&present)
            .filter(|id| !removed_by_session.contains(*id))
            .collect();
        assert!(
            lost.is_empty(),
            "attempt {attempts}: codings lost: {lost:?}"
        );
    }
    eprintln!(
        "TUI kill run: {killed} kills in {attempts} attempts over {:.0} ms of edits, 0 codings lost",
        session.as_secs_f64() * 1000.0
    );
}
