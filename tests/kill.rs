//! Codings are never lost: `visgraat code` is killed with SIGKILL at random moments while it
//! saves; afterwards every codings file parses and holds every coding that was acknowledged
//! (the command printed "coded … " and exited 0) before the kill.
//!
//! CI runs 50 kills; `VISGRAAT_KILLS=1000 cargo test --release --test kill -- --nocapture`
//! is the long run (scripts/kill-run.sh).

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Lcg, Project};
use visgraat::coding::CodingSet;

#[test]
fn coding_survives_kill() {
    let kills: usize = std::env::var("VISGRAAT_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let p = Project::shipped();
    let bin = env!("CARGO_BIN_EXE_visgraat");
    let source = "intermezzo-intake";
    // Kill within about the time one save takes on this machine now (a loaded machine is
    // slower; a fixed window would then kill every attempt before it could finish).
    let started = std::time::Instant::now();
    let probe = Command::new(bin)
        .args([
            "code",
            source,
            "0",
            "5",
            "doelgroep-verzwaring",
            "--coder",
            "killtest-probe",
        ])
        .current_dir(p.path())
        .output()
        .unwrap();
    assert!(probe.status.success());
    let window = (started.elapsed().as_micros() as u64 * 3 / 2).max(45_000);
    let mut rng = Lcg(0x5eed);
    let mut acknowledged: Vec<(usize, usize, String)> = Vec::new();
    let mut killed = 0;
    let mut attempts = 0;
    while killed < kills {
        attempts += 1;
        let start = (rng.next() % 1500) as usize;
        let end = start + 3 + (rng.next() % 40) as usize;
        let memo = format!("kill-run {attempts}");
        let mut child = Command::new(bin)
            .args([
                "code",
                source,
                &start.to_string(),
                &end.to_string(),
                "doelgroep-verzwaring",
                "--coder",
                "killtest",
                "--memo",
                &memo,
            ])
            .current_dir(p.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next() % window));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        if out.status.success() && String::from_utf8_lossy(&out.stdout).starts_with("coded ") {
            acknowledged.push((start, end, memo));
        } else {
            killed += 1;
        }
        // After every kill: the files parse and nothing acknowledged is missing.
        let (set, problems) = CodingSet::load(&p.corpus());
        assert!(
            problems.is_empty(),
            "after attempt {attempts}: {problems:?}"
        );
        let mine: Vec<_> = set
            .codings
            .iter()
            .filter(|c| c.coder == "killtest")
            .collect();
        for (s, e, m) in &acknowledged {
            assert!(
                mine.iter()
                    .any(|c| c.coding.start == *s && c.coding.end == *e && c.coding.memo == *m),
                "acknowledged coding {s}..{e} ({m}) lost after attempt {attempts}"
            );
        }
    }
    p.expect(0, &["check"]);
    eprintln!(
        "kill run: {killed} kills in {attempts} attempts, {} codings acknowledged, 0 lost",
        acknowledged.len()
    );
    assert!(
        !acknowledged.is_empty(),
        "some saves must finish for the test to mean anything"
    );
}
