//! End to end: the real binary in a real terminal (tmux). Search, open a result, select a
//! span, code it, undo, redo; code from the CLI meanwhile and see the TUI reload; quit; then
//! check the codings file and `visgraat stats`.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::Project;

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(project: &Project, width: u16, height: u16) -> Tmux {
        let session = format!("visgraat-e2e-{}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_visgraat");
        let command = format!(
            "cd '{}' && '{bin}'; echo EXITED $?; sleep 60",
            project.path().display()
        );
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                &command,
            ])
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux could not start");
        Tmux { session }
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            let status = Command::new("tmux")
                .args(["send-keys", "-t", &self.session, k])
                .status()
                .unwrap();
            assert!(status.success());
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    fn literal(&self, text: &str) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.session, "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// Wait until the screen shows `text` (or fail with the screen).
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "waited for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

#[test]
fn search_open_code_undo_redo_quit_in_a_real_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let p = Project::shipped();
    let tmux = Tmux::start(&p, 140, 40);
    tmux.wait_for("Bronnen");

    // Search as you type, then open the only hit.
    tmux.keys(&["/"]);
    tmux.literal("reddingsboeien");
    tmux.wait_for("Resultaten (1)");
    tmux.keys(&["Enter", "Enter"]);
    tmux.wait_for("Intermezzo: werkdruk en docentenwelzijn — p. 28-29, ¶2");

    // Select the paragraph's first two words and code them.
    tmux.keys(&["v", "w", "w", "c"]);
    tmux.wait_for("Kies een code");
    tmux.literal("collega");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Memo");
    tmux.literal("e2e: collegiale steun");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Codering bewaard");
    let file = p
        .corpus()
        .join("codings/tester/intermezzo-werkdruk-en-docentenwelzijn.toml");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("code = \"team-collegiale-steun\""),
        "{saved}"
    );
    assert!(
        saved.contains("quote = \"Onderwijsteams geven\""),
        "{saved}"
    );

    tmux.keys(&["u"]);
    tmux.wait_for("Ongedaan gemaakt");
    assert!(
        !std::fs::read_to_string(&file)
            .unwrap()
            .contains("team-collegiale-steun")
    );
    tmux.keys(&["C-r"]);
    tmux.wait_for("Opnieuw gedaan");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("team-collegiale-steun")
    );

    // Meanwhile the CLI codes in the same file: the TUI notices and reloads, and neither
    // process's coding overwrites the other's.
    p.expect(
        0,
        &[
            "code",
            "intermezzo-werkdruk-en-docentenwelzijn",
            "--match",
            "administratieve lasten",
            "team-tekort-aan-tijd-en-docenten",
            "--memo",
            "e2e: from the command line",
        ],
    );
    tmux.wait_for("opnieuw geladen");
    let both = std::fs::read_to_string(&file).unwrap();
    assert!(both.contains("team-collegiale-steun") && both.contains("administratieve lasten"));

    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXITED 0");
    assert!(
        !screen.contains("Bronnen"),
        "the terminal was restored:\n{screen}"
    );

    let stats: serde_json::Value =
        serde_json::from_str(&p.expect(0, &["stats", "--json", "--coder", "tester"])).unwrap();
    let team_plus = stats["bones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["level"] == "team" && b["valence"] == "bevorderend")
        .unwrap();
    assert_eq!(team_plus["codings"], 1);
    let team_minus = stats["bones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["level"] == "team" && b["valence"] == "belemmerend")
        .unwrap();
    assert_eq!(team_minus["codings"], 1);
}
