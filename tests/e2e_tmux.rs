//! End to end: the real binary in a real terminal (tmux). Search, open a result, select a
//! span, code it, undo, redo; code from the CLI meanwhile and see the TUI reload; quit; then
//! check the codings file and `visgraat stats`.

mod common;

use common::Project;
use common::tmux::{self, Tmux};

#[test]
fn search_open_code_undo_redo_quit_in_a_real_terminal() {
    if !tmux::available() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let p = Project::shipped();
    let tmux = Tmux::start(p.path(), 140, 40);
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

/// The TUI opens at once on a project without an index, also when the build has to wait
/// (here: for another process holding the index's lock, as `visgraat index` in another
/// terminal would); the reader works meanwhile; a search waits, says why, and is answered
/// when the index is ready.
#[test]
fn opens_at_once_without_an_index_and_searches_when_it_is_built() {
    if !tmux::available() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let p = Project::shipped();
    let index = p.path().join("index");
    std::fs::create_dir_all(&index).unwrap();
    let other_process = std::fs::File::create(index.join(".visgraat-lock")).unwrap();
    other_process.lock().unwrap();

    let tmux = Tmux::start(p.path(), 140, 40);
    tmux.wait_for("wacht op een ander visgraat-proces dat de index bijwerkt");
    // Read a source while the index waits.
    tmux.keys(&["Enter"]);
    let reading = tmux.wait_for("¶1");
    assert!(!reading.contains("Kies een bron links"), "{reading}");
    // Search: no answer yet, and the reason is on the screen.
    tmux.keys(&["/"]);
    tmux.literal("reddingsboeien");
    tmux.wait_for("Zoekvraag — wacht op een ander visgraat-proces");

    // The other process is done: the index is built behind the UI, the search answered.
    drop(other_process);
    let answered = tmux.wait_for("Resultaten (1)");
    assert!(!answered.contains("index wordt"), "{answered}");
    assert!(std::fs::read_dir(&index).unwrap().count() > 2);
    tmux.keys(&["Escape", "q"]);
    tmux.wait_for("EXITED 0");
}

/// A codings file of `p` made a named pipe: the workspace's load waits on it until the
/// returned text is written into it, as on a slow disk.
fn hold_the_load(p: &Project) -> (std::path::PathBuf, String) {
    let dir = p.corpus().join("codings/voorbeeld");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let file = files.remove(0);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&file)
        .status()
        .unwrap();
    assert!(made.success());
    (file, text)
}

/// Keys typed while the workspace is still loading wait, and are acted on in order once it
/// has arrived; meanwhile the first frame shows the tree from the index's catalogue.
#[test]
fn keys_typed_while_loading_are_acted_on_in_order_once_the_workspace_arrives() {
    if !tmux::available() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let p = Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    let config = visgraat::config::Config::load(&p.path().join("config.toml")).unwrap();
    let catalogue = visgraat::index::catalogue::load_fresh(&config.corpus, &config.index).unwrap();
    let (held, text) = hold_the_load(&p);

    let tmux = Tmux::start(p.path(), 140, 40);
    let loading = tmux.wait_for("project wordt gelezen, toetsen wachten");
    let start_of = |i: usize| -> String { catalogue.sources[i].title.chars().take(15).collect() };
    assert!(loading.contains(&start_of(0)), "{loading}");
    // Down to the second source, open it: nothing happens yet.
    tmux.keys(&["Down", "Enter"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let waiting = tmux.screen();
    assert!(
        waiting.contains("LADEN") && !waiting.contains("¶1"),
        "{waiting}"
    );

    std::fs::write(&held, text).unwrap();
    let reading = tmux.wait_for("¶1");
    assert!(reading.contains("NORMAAL"), "{reading}");
    let reader_title = reading
        .lines()
        .find(|l| l.contains("¶1"))
        .unwrap()
        .to_string();
    assert!(reader_title.contains(&start_of(1)), "{reading}");
    tmux.keys(&["Escape", "q"]);
    tmux.wait_for("EXITED 0");
}

/// q quits at once while the workspace is loading, and so does Ctrl-c after keys that
/// would have opened the search's text field (the terminal is given back each time).
#[test]
fn q_and_ctrl_c_quit_at_once_while_the_workspace_is_loading() {
    if !tmux::available() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let p = Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    let (_held, _text) = hold_the_load(&p);
    let tmux = Tmux::start(p.path(), 100, 30);
    tmux.wait_for("project wordt gelezen, toetsen wachten");
    tmux.keys(&["q"]);
    let after = tmux.wait_for("EXITED 0");
    assert!(
        !after.contains("LADEN"),
        "the screen was restored:\n{after}"
    );

    let tmux = Tmux::start(p.path(), 100, 30);
    tmux.wait_for("project wordt gelezen, toetsen wachten");
    tmux.keys(&["/", "q", "C-c"]);
    let after = tmux.wait_for("EXITED 0");
    assert!(
        !after.contains("LADEN"),
        "the screen was restored:\n{after}"
    );
}
